"""Producing one episode from cast stories: synthesise, assemble, master, export.

Called by `narrate.pipeline.plan`; never calls back into it."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from narrate.audio.cache import SegmentCache
from narrate.audio.executors import Executor, make_executor
from narrate.audio.export import MasterSettings, check_settings, master_mp3
from narrate.audio.render import ProgressCallback, SynthesisJob, synthesize_script
from narrate.audio.tags import Tags
from narrate.errors import InputError
from narrate.files import atomic_write_bytes, atomic_write_text
from narrate.pipeline.options import EPISODE_NAMESPACE, EpisodePlace, RenderOptions
from narrate.publish.episode import CastCredit, Episode, episode_metadata_path
from narrate.script import Script
from narrate.text.formats import Cover
from narrate.voices.casting import (
    Cast,
    apply_cast,
    cast_for_show,
    draft_cast,
    warn_if_fallback,
    with_offline_fallback,
)
from narrate.voices.config import use_voices_dir
from narrate.voices.lexicon import apply_lexicon, lexicon_for_show

_LOGGER = logging.getLogger(__name__)


def episode_title(script: Script, options: RenderOptions, slug: str) -> str:
    """A one-story episode's title. The spoken title is prefetched from it, so the mastering
    must ask for the same words or they are spoken twice."""
    return options.episode_title or script.title or slug


class _PendingCasts:
    """The show casts a render has made, saved only once it has succeeded: a render that fails
    (an offline gTTS voice given with --voice) must not leave its cast for every later render
    to fail with. Later stories of the same render are cast against these, not the file."""

    def __init__(self) -> None:
        self.casts: dict[Path, Cast] = {}
        self.bases: dict[Path, Cast | None] = {}
        """Each cast file as this render first read it: what it changed is merged into the file
        as it is when saved (another render may have saved it meanwhile)."""

    def cast(self, script: Script, options: RenderOptions) -> Cast:
        from narrate.voices.casting import cast_file_path, cast_for_show, load_cast

        path = cast_file_path(options.show, options.voices_dir)
        if path not in self.bases:
            self.bases[path] = load_cast(path)
        cast = cast_for_show(script, show=options.show, folder=options.voices_dir,
                             narrator=options.narrator, overrides=options.voice_overrides,
                             accent=options.accent, save=False,
                             previous=self.casts.get(path) or self.bases[path])
        self.casts[path] = cast
        return cast

    def save(self) -> None:
        from narrate.voices.casting import cast_to_toml, save_cast

        for path, cast in self.casts.items():
            base = self.bases.get(path)
            if base is None or cast_to_toml(base) != cast_to_toml(cast):
                save_cast(cast, path, base=base, merge=True)


_PENDING: ContextVar[_PendingCasts | None] = ContextVar("narrate_pending_casts", default=None)


@contextmanager
def cast_saved_on_success() -> Iterator[None]:
    """Within this block, `cast_story` keeps the show's cast in memory; it is saved when the
    block ends without an exception (nested blocks join the outermost)."""
    if _PENDING.get() is not None:
        yield
        return
    pending = _PendingCasts()
    token = _PENDING.set(pending)
    try:
        yield
    finally:
        _PENDING.reset(token)
    pending.save()


def cast_story(script: Script, options: RenderOptions) -> tuple[Script, Cast]:
    """Cast a story with the show's saved cast, overrides and lexicon; voices set on segments.
    Inside `cast_saved_on_success` the cast is saved when the render succeeds, else at once."""
    use_voices_dir(options.voices_dir)
    pending = _PENDING.get()
    cast = (pending.cast(script, options) if pending is not None else
            cast_for_show(script, show=options.show, folder=options.voices_dir,
                          narrator=options.narrator, overrides=options.voice_overrides,
                          accent=options.accent))
    cast = cast.for_script(script)
    if not options.draft:
        warn_if_fallback(cast)
    if options.fallback_engine:
        cast = with_offline_fallback(cast, options.fallback_engine)
    if options.draft:
        cast = draft_cast(cast, script)
    script = apply_lexicon(apply_cast(script, cast),
                           lexicon_for_show(options.show, options.voices_dir))
    return script, cast


def check_input_files(options: RenderOptions) -> None:
    """The intro, outro and cover files a render was given, checked before any speech is made:
    each must be a file, the music audio that ffmpeg decodes, the cover an image Pillow reads.
    (A text file given as --intro failed after the whole synthesis, with ffmpeg's command line
    for a message.)"""
    from narrate.audio.pcm import run_ffmpeg
    from narrate.errors import AudioError
    from narrate.publish.cover import fit_cover

    for label, path in (("--intro", options.intro), ("--outro", options.outro),
                        ("--cover", options.cover)):
        if path is None:
            continue
        if not Path(path).is_file():
            raise InputError(f"{label} {path}: no such file")
        if label == "--cover":
            fit_cover(path)
            continue
        try:
            run_ffmpeg(["-i", str(path), "-t", "1", "-map", "0:a:0", "-f", "null", "-"])
        except AudioError as e:
            reason = str(e).rsplit(": ", 1)[-1]
            raise InputError(f"{label} {path} is not audio narrate can read ({reason}); give "
                             "an MP3, WAV, OGG or FLAC file") from e


def previous_episode(mp3: Path) -> Episode | None:
    meta = episode_metadata_path(mp3)
    if not meta.exists():
        return None
    try:
        return Episode.load(meta)
    except Exception:  # a damaged sidecar must not stop a render; it is rewritten below
        _LOGGER.warning("ignoring unreadable %s", meta)
        return None


def cast_for_render(script: Script, options: RenderOptions) -> Script:
    """The script with a voice on every spoken segment, as ``render_script`` casts it."""
    return cast_story(script, options)[0]


@contextmanager
def _synthesis_executor(options: RenderOptions,
                        given: Executor | None) -> Iterator[Executor]:
    if given is not None:
        yield given
        return
    with make_executor(options.executor, jobs=options.jobs, address=options.address,
                       device=options.device) as made:
        yield made


DESCRIPTION_CHARS = 300  # of the story's opening, for tags and the feed


def produce_episode(stories: Sequence[tuple[Script, Cast]], out_dir: str | Path, *, slug: str,
                    title: str, options: RenderOptions,
                    progress: ProgressCallback | None = None,
                    executor: Executor | None = None) -> Episode:
    """Synthesise, assemble, master and export cast stories as one episode (see
    ``produce_with_cues``). The cache is not pruned: that is for the render this is part of."""
    check_input_files(options)  # a render checks them once up front; this entry is alone
    return produce_with_cues(stories, out_dir, slug=slug, title=title, options=options,
                             progress=progress, executor=executor,
                             store=SegmentCache(options.cache_dir))[0]


EPISODE_LOCK_WAIT_S = 3600.0
"""How long a render waits for another render of the same episode into the same folder."""


@contextmanager
def episode_lock(out_dir: Path, slug: str) -> Iterator[None]:
    """Hold ``<out>/.<slug>.lock`` while an episode's files are made: a second render of the
    same episode into the same folder waits (and says so) instead of both writing at once.
    The lock is an OS file lock, so a render that was killed holds it no longer; the
    temporary files such a render left are swept once the lock is ours."""
    from filelock import FileLock, Timeout

    out_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(out_dir / f".{slug}.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        _LOGGER.warning("another narrate is rendering %s into %s; waiting for it to finish",
                        slug, out_dir)
        try:
            lock.acquire(timeout=EPISODE_LOCK_WAIT_S)
        except Timeout:
            raise InputError(f"another narrate has been rendering {slug} into {out_dir} for "
                             f"over {EPISODE_LOCK_WAIT_S / 60:.0f} minutes; wait for it, or "
                             "render into another folder") from None
    try:
        for leftover in (*out_dir.glob(f".{slug}.*.mp3"), *out_dir.glob(f".{slug}.*.pcm"),
                         *out_dir.glob(f".{slug}.*.tagged")):
            leftover.unlink(missing_ok=True)
        yield
    finally:
        lock.release()


def produce_with_cues(stories: Sequence[tuple[Script, Cast]], out_dir: str | Path, *, slug: str,
                      title: str, options: RenderOptions, store: SegmentCache,
                      progress: ProgressCallback | None = None,
                      executor: Executor | None = None,
                      book_cover: Cover | None = None,
                      place: EpisodePlace | None = None) -> tuple[Episode, tuple[Any, ...]]:
    """`_produce_with_cues`, holding the episode's lock (see `episode_lock`)."""
    with episode_lock(Path(out_dir), slug):
        return _produce_with_cues(stories, out_dir, slug=slug, title=title, options=options,
                                  store=store, progress=progress, executor=executor,
                                  book_cover=book_cover, place=place)


def _produce_with_cues(stories: Sequence[tuple[Script, Cast]], out_dir: str | Path, *, slug: str,
                       title: str, options: RenderOptions, store: SegmentCache,
                       progress: ProgressCallback | None = None,
                       executor: Executor | None = None,
                       book_cover: Cover | None = None,
                       place: EpisodePlace | None = None) -> tuple[Episode, tuple[Any, ...]]:
    """Synthesise, assemble, master and export cast stories as one episode. The cover is the
    user's (``options.cover``), else the book's own, else one drawn from the show and title.
    ``place`` makes it a numbered chapter-episode of a book's series.

    Writes ``<slug>.mp3`` with tags, cover and chapters, ``<slug>.jpg``, ``<slug>.vtt``,
    ``<slug>.srt``, ``<slug>.chapters.json`` and ``<slug>.episode.json``. Audio streams through a
    temp PCM file beside the output, so memory does not grow with the episode's length."""
    from narrate.audio import memo
    from narrate.audio.master import StoryInput, assemble
    from narrate.audio.transcript import to_chapters_json, to_srt, to_vtt
    from narrate.publish.cover import fit_cover

    settings = MasterSettings(target_lufs=options.loudness_lufs,
                              bitrate_kbps=options.bitrate_kbps)
    check_settings(settings)  # the intro, outro and cover were checked by check_input_files
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    mp3 = out_dir / f"{slug}.mp3"
    previous = previous_episode(mp3)
    # once published, an episode's date never changes: apps would list it again
    published = (previous.published if previous and previous.published else
                 place.published if place else
                 datetime.now(UTC).isoformat(timespec="seconds"))
    author = _author(stories)
    cover = (fit_cover(options.cover) if options.cover else
             _book_cover(book_cover) if book_cover else None) or memo.cover(store, options.show,
                                                                            title)
    narrator = stories[0][1].narrator
    roles = _roles(stories)
    # ``store`` is the whole render's: it notes the keys used, which pruning afterwards keeps
    parts = _show_parts(options, title, narrator, roles, store)
    pcm = _temporary(out_dir, slug, ".pcm")
    try:
        with _synthesis_executor(options, executor) as run_on:
            inputs = [StoryInput(script.title or title,
                                 synthesize_script(script, progress=progress, cache=store,
                                                   executor=run_on))
                      for script, _ in stories]
            mix = assemble(inputs, pcm, parts=parts, memo=store,
                           generated_music=options.intro is None and options.outro is None)
        description = with_disclosure(
            options.description or _description(stories, title, narrator, roles), options)
        tags = Tags(title=title, show=options.show, date=published, description=description,
                    cover_jpeg=cover, chapters=mix.chapters, author=author,
                    album=place.series if place else "",
                    track=(place.number, place.of) if place else None,
                    credits=(("narrator", _voice_label(narrator)),
                             *((character, _voice_label(v)) for character, v in roles.items())))
        measured = master_mp3(mix.pcm, mix.rate, mp3, pcm_lufs=mix.loudness_lufs, tags=tags,
                              pcm_peak_dbfs=mix.peak_dbfs, settings=settings)
    finally:
        pcm.unlink(missing_ok=True)
    names = {"image": f"{slug}.jpg", "vtt": f"{slug}.vtt", "srt": f"{slug}.srt",
             "chapters_json": f"{slug}.chapters.json"}
    atomic_write_bytes(out_dir / names["image"], cover)
    atomic_write_text(out_dir / names["vtt"], to_vtt(mix.cues))
    atomic_write_text(out_dir / names["srt"], to_srt(mix.cues))
    atomic_write_text(out_dir / names["chapters_json"], to_chapters_json(mix.chapters,
                                                                         title=title))
    episode = Episode(
        slug=slug, title=title, mp3=mp3.name, duration_s=round(mix.duration_ms / 1000, 3),
        show=options.show, description=description, published=published,
        guid=previous.guid if previous else str(uuid.uuid5(EPISODE_NAMESPACE,
                                                            f"{options.show}/{slug}")),
        cast=tuple([CastCredit("Narrator", narrator)]
                   + [CastCredit(name, voice) for name, voice in roles.items()]),
        chapters=mix.chapters, loudness_lufs=measured.integrated_lufs,
        true_peak_dbtp=measured.true_peak_dbtp,
        meta={"voice_lufs_before_levelling": mix.voice_lufs,
              "bitrate_kbps": options.bitrate_kbps},
        author=author, series=place.series if place else "",
        number=place.number if place else None,
        **names,
    )
    episode.save(out_dir)
    return episode, mix.cues


def _temporary(folder: Path, slug: str, suffix: str) -> Path:
    """A new hidden file of this render's own (``.<slug>.<random><suffix>``)."""
    import os
    import tempfile

    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{slug}.", suffix=suffix)
    os.close(fd)
    return Path(name)


def _book_cover(cover: Cover) -> bytes | None:
    """The book's cover fitted for the episode; None (a drawn cover) when Pillow cannot read it
    (an SVG cover, a damaged image): the book is still worth rendering."""
    from narrate.publish.cover import fit_cover

    try:
        return fit_cover(cover.data)
    except InputError as e:
        _LOGGER.warning("not using the book's %s cover: %s", cover.media_type, e)
        return None


def _author(stories: Sequence[tuple[Script, Cast]]) -> str:
    """The stories' authors (``meta["author"]``: an EPUB's ``dc:creator``, Markdown front
    matter), each once, joined with "and"; "" when none says."""
    names = dict.fromkeys(str(s.meta.get("author") or "").strip() for s, _ in stories)
    return " and ".join(n for n in names if n)


def _roles(stories: Sequence[tuple[Script, Cast]]) -> dict[str, str]:
    roles: dict[str, str] = {}
    for _, cast in stories:
        for name, voice in cast.roles.items():
            roles.setdefault(name, voice)
    return roles


def _voice_label(voice_id: str) -> str:
    """The voice's plain, speakable name: ``kokoro:af_heart`` -> ``Heart``; a variant
    (``kokoro:am_michael@pitch=-3``) is still ``Michael`` (credits never read settings aloud);
    a blend (``a+b``, weights or not) -> ``A and B``."""
    name = voice_id.split(":", 1)[-1].partition("@")[0]
    parts = [re.sub(r"^[a-z]{2}_", "", p.split("*")[0].strip()).replace("_", " ")
             .replace("-", " ").title() for p in name.split("+") if p.strip()]
    return " and ".join(dict.fromkeys(parts)) or voice_id


def _credits_text(title: str, show: str, narrator: str, roles: dict[str, str],
                  generated_music: bool) -> str:
    words = [f"{title} was read by {_voice_label(narrator)}."]
    if roles:
        cast = [f"{_voice_label(v)} as {name}" for name, v in roles.items()]
        listing = cast[0] if len(cast) == 1 else ", ".join(cast[:-1]) + f" and {cast[-1]}"
        words.append(f"With {listing}.")
    if generated_music:
        words.append("Music by narrate.")
    words.append(f"This has been {show}.")
    return " ".join(words)


def _show_parts(options: RenderOptions, title: str, narrator: str,
                roles: dict[str, str], cache: SegmentCache) -> Any:
    from narrate.audio import memo
    from narrate.audio.master import Announcement, ShowParts
    from narrate.audio.pcm import decode
    from narrate.audio.render import speak_cached

    title_text, credits_text = _announcement_texts(options, title, narrator, roles)
    say = _announcer(options, narrator)
    spoken_title = speak_cached(narrator, say(title_text), cache)
    spoken_credits = speak_cached(narrator, say(credits_text), cache)
    intro = outro = sting = None
    if options.music:
        # The generated bed is as long as its words need; bars repeat, the theme stays the show's.
        lead_s = 3.5 + spoken_title.duration_ms / 1000 + 3.0
        intro = decode(options.intro) if options.intro else memo.theme(cache, options.show,
                                                                         seconds=lead_s)
        tail_s = 1.5 + spoken_credits.duration_ms / 1000 + 3.0
        outro = decode(options.outro) if options.outro else memo.theme(
            cache, options.show + " outro", seconds=tail_s)
        sting = memo.theme(cache, options.show, seconds=3.0)
    return ShowParts(intro_music=intro, outro_music=outro,
                     title=Announcement(title_text, spoken_title, narrator),
                     credits=Announcement(credits_text, spoken_credits, narrator), sting=sting)


def _announcement_texts(options: RenderOptions, title: str, narrator: str,
                        roles: dict[str, str]) -> tuple[str, str]:
    """What the narrator says over the intro and the outro music."""
    generated = options.intro is None and options.outro is None
    said = _title_for_speech(title)
    credits = _credits_text(said.rstrip(". "), options.show, narrator, roles, generated)
    return (f"{options.show} presents: {_one_stop(said)}", f"{credits} {disclosure(options)}")


def _title_for_speech(title: str) -> str:
    """A title in capitals as words ("YOU BELIEVED IN ME" -> "You Believed In Me"): story
    text normalisation spells a word in capitals letter by letter, as the acronym it usually
    is. A title with small letters keeps its acronyms."""
    title = " ".join(title.split())
    letters = [c for c in title if c.isalpha()]
    if len(letters) < 4 or not all(c.isupper() for c in letters):
        return title
    return " ".join(word[:1] + word[1:].lower() for word in title.split())


def _one_stop(text: str) -> str:
    """``text`` ending in one sentence stop: its own (``?``, ``!``, ``…``, ``.``), else a period."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!", "…")) else text + "."


DISCLOSURE = "Every voice in this episode is synthetic, made with AI text to speech."
"""Said in the credits and written in each episode's description (Apple asks that synthetic
voices be disclosed); a show words it its own way with ``disclosure`` in its [show] config."""


def disclosure(options: RenderOptions) -> str:
    """The show's sentence disclosing synthetic voices (``[show] disclosure``, else
    `DISCLOSURE`)."""
    from narrate.pipeline.publishing import show_config_for

    own = show_config_for(options.show, voices_dir=options.voices_dir).disclosure.strip()
    return _one_stop(own) if own else DISCLOSURE


def with_disclosure(description: str, options: RenderOptions) -> str:
    """The description with the disclosure after it (unless it already says it)."""
    sentence = disclosure(options)
    return description if sentence in description else f"{description.rstrip()} {sentence}"


def announcement_jobs(script: Script, cast: Cast, options: RenderOptions,
                      slug: str) -> list[SynthesisJob]:
    """The spoken title and credits of a one-story episode as synthesis work, so they can be
    spoken by the workers with the story's segments rather than in the mastering thread."""
    title = episode_title(script, options, slug)
    say = _announcer(options, cast.narrator)
    return [SynthesisJob(cast.narrator, say(text)) for text in
            _announcement_texts(options, title, cast.narrator, _roles([(script, cast)]))]


def _announcer(options: RenderOptions, narrator: str) -> Callable[[str], str]:
    """How the narrator says an announcement: normalised like story text ("DWTS" as letters)
    and with the show's lexicon, as every segment is."""
    from narrate.text import speakable
    from narrate.voices.voicing import engine_supports_ipa

    lexicon = lexicon_for_show(options.show, options.voices_dir)
    ipa = engine_supports_ipa(narrator)
    return lambda text: lexicon.apply(speakable(text), ipa=ipa)


def _opening(script: Script) -> str:
    """The story's first words for its description, up to ``DESCRIPTION_CHARS``: whole
    segments, so it never stops inside a quotation (a line of dialogue is one segment); a
    narration segment that does not fit gives the sentences of it that do."""
    opening = ""
    for seg in script.segments:
        if not seg.spoken or seg.kind.value == "heading":
            continue
        piece = " ".join(seg.text.split())
        if len(opening) + 1 + len(piece) <= DESCRIPTION_CHARS:
            opening = f"{opening} {piece}".strip()
            continue
        if seg.kind.value != "dialogue":
            for sentence in re.split(r"(?<=[.!?…])\s+", piece):
                if len(opening) + 1 + len(sentence) > DESCRIPTION_CHARS:
                    break
                opening = f"{opening} {sentence}".strip()
        if not opening:  # the very first segment is too long: its words, cut
            opening = piece[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + "…"
        break
    return opening


def _description(stories: Sequence[tuple[Script, Cast]], title: str, narrator: str,
                 roles: dict[str, str]) -> str:
    if len(stories) > 1:
        opening = "Stories: " + "; ".join(s.title or f"Story {i + 1}"
                                           for i, (s, _) in enumerate(stories)) + "."
    else:
        opening = _opening(stories[0][0])
    return f"{opening} Read by {_voice_label(narrator)}." + (
        " With " + ", ".join(f"{_voice_label(v)} as {n}" for n, v in roles.items()) + "."
        if roles else "")
