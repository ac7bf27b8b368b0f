"""The whole job, story file to episode: read, script, cast, synthesise, master, export."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from narrate.cache import SegmentCache, cache_cap
from narrate.casting import DEFAULT_NARRATOR, Cast, apply_cast, cast_for_show, with_offline_fallback
from narrate.episode import (
    CastCredit,
    Episode,
    atomic_write_bytes,
    atomic_write_text,
    episode_metadata_path,
)
from narrate.errors import InputError
from narrate.executors import Executor, SerialExecutor, make_executor
from narrate.export import BITRATE_KBPS, TARGET_LUFS, MasterSettings, check_settings, master_mp3
from narrate.lexicon import apply_lexicon, lexicon_for_show
from narrate.render import ProgressCallback, SynthesisJob, prefetch, synthesize_script
from narrate.script import NARRATOR, Script, SegmentKind, heading_title
from narrate.split import MIN_CHAPTER_WORDS, SplitMode, split_chapters
from narrate.tags import Tags
from narrate.text import build_script, read_source
from narrate.text.formats import SUPPORTED_SUFFIXES, Cover, story_suffix
from narrate.voice_config import use_voices_dir
from narrate.voicing import voice_fingerprint

_LOGGER = logging.getLogger(__name__)

DEFAULT_SHOW = "narrate"
EPISODE_NAMESPACE = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")  # RFC 4122 URL namespace


@dataclass(frozen=True)
class RenderOptions:
    """Choices that apply to every story of one render."""

    narrator: str = DEFAULT_NARRATOR
    show: str = DEFAULT_SHOW
    music: bool = True
    voice_overrides: Mapping[str, str] = field(default_factory=dict)
    """Character name (or ``Narrator``) -> voice id; saved into the show's cast file."""
    voices_dir: Path | None = None
    """The voices folder (user voices, presets, casts, lexicons); None: $NARRATE_VOICES_DIR or
    ./voices."""
    fallback_engine: str | None = None
    """Offline engine that stands in for unreachable online voices (gTTS without network)."""
    check: bool = False
    """Transcribe the episode, re-render segments whose audio does not say their text once with
    another voice, and report what is still wrong (needs the ``check`` extra)."""
    check_retry: bool = True
    """With ``check``: re-render flagged segments once (False: only report)."""
    intro: Path | None = None
    """The user's intro music (any file ffmpeg reads) instead of the generated theme."""
    outro: Path | None = None
    loudness_lufs: float = TARGET_LUFS
    bitrate_kbps: int = BITRATE_KBPS
    cover: Path | None = None
    """The user's cover image; None draws one from the show and episode title."""
    episode_title: str | None = None
    """Title of the episode; with several stories, they make this one episode."""
    description: str | None = None
    executor: str = "local"
    """Where synthesis runs: "local" (a process pool), "serial" or "dask"."""
    jobs: int | None = None
    """Local worker processes; None: one per core."""
    address: str | None = None
    """Dask scheduler address; None: ``$DASK_SCHEDULER_ADDRESS``."""
    cache_dir: str | Path | None = None
    """Segment cache; None: ``$NARRATE_CACHE_DIR`` or the user cache directory."""
    cache_max: int | None = None
    """Bytes the segment cache is pruned to when the render is done (least recently used first,
    never what this render used); 0: no cap; None: ``$NARRATE_CACHE_MAX``, else 10 GB."""
    force: bool = False
    """Render stories again even when their episode is up to date."""
    split: str = SplitMode.NONE.value
    """"none": one episode per story; "chapters": a book becomes a series, one episode per
    chapter (see `narrate.split`); with one story, ``episode_title`` then names the book."""
    chapter_min_words: int = MIN_CHAPTER_WORDS
    """With ``split="chapters"``: a chapter with fewer spoken words joins the next one."""


@dataclass(frozen=True)
class EpisodePlace:
    """Where a chapter-episode sits in its book's series."""

    series: str
    """The book's title."""
    number: int
    """The chapter's place, from 1."""
    of: int
    """How many chapter-episodes the book has."""
    published: str
    """First-publication time (ISO 8601 UTC) given to the episode if it has none yet: the
    book's first render time plus ``number - 1`` seconds, so dates sort in reading order."""


RUN_ONLY_OPTIONS = ("executor", "jobs", "address", "cache_dir", "cache_max", "force",
                    "check_retry")
"""Options that change how a render runs, not what it sounds like."""


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80] or "episode"


_MINOR_WORDS = frozenset({"a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at",
                          "to", "for", "by", "with", "from", "as", "into"})


def title_from_words(words: Sequence[str]) -> str:
    """A title from file-name words: "The Adventures of Sherlock Holmes", not str.title()'s
    "The Adventures Of Sherlock Holmes" (minor words stay lower case after the first)."""
    return " ".join(w[:1].upper() + w[1:] if n == 0 or w.lower() not in _MINOR_WORDS
                    else w.lower() for n, w in enumerate(words))


def short_slug(text: str, limit: int = 40) -> str:
    """``slugify(text)`` cut to ``limit`` characters at a word boundary where one is in the
    second half ("the-lighthouse-keeper-s", not "the-lighthouse-keeper-s-daught")."""
    slug = slugify(text)
    if len(slug) <= limit:
        return slug
    cut = slug.rfind("-", 0, limit + 1)
    return slug[:cut] if cut > limit // 2 else slug[:limit].strip("-")


TITLE_WORDS = 8
"""Words of the opening used as a title when neither a heading nor the file name gives one."""


def script_story(path: str | Path) -> Script:
    """Read and script a story file (any kind `read_source` reads); its title is the one the
    file gives (EPUB metadata, HTML title, Markdown front matter), else its leading heading,
    else the file name."""
    return read_script(path)[0]


def read_script(path: str | Path) -> tuple[Script, Cover | None]:
    """`script_story`, and the cover image the file carries (an EPUB's), if any."""
    path = Path(path)
    source = read_source(path)
    script = build_script(source.text, source=str(path), meta=source.meta)
    return titled(script, path.stem, title=source.title), source.cover


def titled(script: Script, stem: str, *, title: str = "", book: bool = False) -> Script:
    """Give a script its episode title. A heading that opens the story becomes the title and is
    marked skipped (the title is announced over the intro music; reading it again is clumsy).
    A file name that is an id (``000_1d5dd2c8``) is no title: the opening words stand in.

    ``title``, when the file gives one (an EPUB's ``dc:title``), is the title; an opening heading
    is then skipped only when it says the same (a book's first heading is often its first
    chapter's, which must be read and name the first chapter).

    ``book`` (a book split into chapters): an opening heading followed by text, not by another
    heading, is the first chapter's ("Chapter 1"), not the book's title."""
    for i, seg in enumerate(script.segments):
        if seg.kind is SegmentKind.HEADING and seg.speak.strip():
            heading = heading_title(seg.text)
            if title and heading.casefold() != " ".join(title.split()).casefold():
                break
            if book and not title and not _heading_follows(script, i):
                break
            announced = replace(seg, kind=SegmentKind.SKIPPED, reason="episode title, announced")
            segments = (*script.segments[:i], announced, *script.segments[i + 1:])
            return replace(script, segments=segments,
                           title=title or heading or " ".join(seg.speak.split()))
        if seg.spoken:
            break
    if title:
        return replace(script, title=title)
    words = [w for w in stem.replace("_", " ").replace("-", " ").split() if not _looks_like_id(w)]
    if sum(c.isalpha() for w in words for c in w) >= 3:
        return replace(script, title=title_from_words(words))
    opening = next((s.text.replace("**", "") for s in script.segments if s.spoken), "").split()
    for n, word in enumerate(opening[:TITLE_WORDS + 4], 1):
        if word.rstrip(_QUOTES).endswith((".", "!", "?")):  # a short first sentence is best
            return replace(script, title=" ".join(opening[:n]).strip(_QUOTES).rstrip("."))
    title = " ".join(opening[:TITLE_WORDS]).strip(_QUOTES).rstrip(",;:—-")
    return replace(script, title=(title + "…" if len(opening) > TITLE_WORDS else title)
                   or "Episode")


_QUOTES = "“”\"‘’'"


def _heading_follows(script: Script, index: int) -> bool:
    """The first spoken segment after ``index`` is a heading."""
    nxt = next((s for s in script.segments[index + 1:] if s.spoken), None)
    return nxt is not None and nxt.kind is SegmentKind.HEADING


def _looks_like_id(word: str) -> bool:
    """Digits, or hex with digits in it (hash-like file names)."""
    return word.isdigit() or (any(c.isdigit() for c in word)
                              and all(c in "0123456789abcdefABCDEF" for c in word))


def render_script(script: Script, out_dir: str | Path, *, slug: str | None = None,
                  options: RenderOptions | None = None,
                  progress: ProgressCallback | None = None,
                  executor: Executor | None = None) -> Episode:
    """Render one Script to ``out_dir/<slug>.mp3`` with its episode metadata.

    ``executor`` runs synthesis (default: made from ``options`` for this call only)."""
    options = options or RenderOptions()
    store, cap = _render_cache(options)
    episode = _render_uncast(script, out_dir, slug=slug or slugify(script.title or "episode"),
                             options=options, progress=progress, executor=executor, store=store)
    _prune_cache(store, cap)
    return episode


def _render_uncast(script: Script, out_dir: str | Path, *, slug: str, options: RenderOptions,
                   progress: ProgressCallback | None, executor: Executor | None,
                   store: SegmentCache, book_cover: Cover | None = None,
                   place: EpisodePlace | None = None) -> Episode:
    return _render_cast(script, *cast_story(script, options), out_dir, slug=slug,
                        options=options, progress=progress, executor=executor, store=store,
                        book_cover=book_cover, place=place)


def _render_cast(original: Script, script: Script, cast: Cast, out_dir: str | Path, *,
                 slug: str, options: RenderOptions, progress: ProgressCallback | None,
                 executor: Executor | None, store: SegmentCache,
                 book_cover: Cover | None = None, place: EpisodePlace | None = None) -> Episode:
    """``render_script`` once the story is cast: ``original`` is the uncast script, which
    ``--check`` re-renders with flagged segments pinned to other voices. ``book_cover`` is the
    story file's own cover (an EPUB's), used when the user gave none; ``place`` puts a
    chapter-episode in its book's series."""
    out_dir = Path(out_dir)
    episode, cues = _produce([(script, cast)], out_dir, slug=slug,
                             title=_episode_title(script, options, slug),
                             options=options, progress=progress, executor=executor, store=store,
                             book_cover=book_cover, place=place)
    if options.check:
        from narrate.check import check_render

        retry = None if not options.check_retry else (
            lambda pinned: _render_uncast(pinned, out_dir, slug=slug, progress=progress,
                                          options=replace(options, check_retry=False),
                                          executor=executor, store=store,
                                          book_cover=book_cover, place=place))
        episode = check_render(original, script, episode, out_dir, cues, retry=retry)
    return episode


def _render_cache(options: RenderOptions) -> tuple[SegmentCache, int]:
    """The segment cache a render uses and the cap it prunes it to when done, read before any
    audio work so that a bad ``$NARRATE_CACHE_MAX`` fails fast, not after hours of speech."""
    return SegmentCache(options.cache_dir), cache_cap(options.cache_max)


def _prune_cache(store: SegmentCache, cap: int) -> None:
    """Bring the cache back within ``cap`` (0: no cap) once the episodes are written, keeping
    every entry the render read or wrote through ``store``: its own speech outlives the
    speech of books rendered before it."""
    if not cap:
        return
    try:
        store.prune(cap, keep=store.used)
    except OSError as e:
        # The episodes are done; a cache we may not prune is worth a warning, not a failure.
        _LOGGER.warning("could not prune the segment cache in %s: %s", store.root, e)


def _episode_title(script: Script, options: RenderOptions, slug: str) -> str:
    """A one-story episode's title. The spoken title is prefetched from it, so the mastering
    must ask for the same words or they are spoken twice."""
    return options.episode_title or script.title or slug


def cast_story(script: Script, options: RenderOptions) -> tuple[Script, Cast]:
    """Cast a story with the show's saved cast, overrides and lexicon; voices set on segments."""
    use_voices_dir(options.voices_dir)
    cast = cast_for_show(script, show=options.show, folder=options.voices_dir,
                         narrator=options.narrator, overrides=options.voice_overrides)
    cast = cast.for_script(script)
    if options.fallback_engine:
        cast = with_offline_fallback(cast, options.fallback_engine)
    script = apply_lexicon(apply_cast(script, cast),
                           lexicon_for_show(options.show, options.voices_dir))
    return script, cast


def _previous_episode(mp3: Path) -> Episode | None:
    meta = episode_metadata_path(mp3)
    if not meta.exists():
        return None
    try:
        return Episode.load(meta)
    except Exception:  # a damaged sidecar must not stop a render; it is rewritten below
        _LOGGER.warning("ignoring unreadable %s", meta)
        return None


def render_episode(paths: Sequence[str | Path], out_dir: str | Path, *, title: str,
                   options: RenderOptions | None = None,
                   progress: ProgressCallback | None = None) -> Episode:
    """Render several story files as one episode: one after another, a chapter per story."""
    options = options or RenderOptions()
    store, cap = _render_cache(options)
    read = [read_script(p) for p in paths]
    stories = [cast_story(script, options) for script, _ in read]
    episode = _produce(stories, out_dir, slug=slugify(title), title=title, options=options,
                       progress=progress, store=store,
                       book_cover=next((c for _, c in read if c is not None), None))[0]
    _prune_cache(store, cap)
    return episode


def cast_for_render(script: Script, options: RenderOptions) -> Script:
    """The script with a voice on every spoken segment, as ``render_script`` casts it."""
    return cast_story(script, options)[0]


@contextmanager
def _synthesis_executor(options: RenderOptions,
                        given: Executor | None) -> Iterator[Executor]:
    if given is not None:
        yield given
        return
    with make_executor(options.executor, jobs=options.jobs, address=options.address) as made:
        yield made


def story_paths(paths: Sequence[str | Path]) -> list[Path]:
    """Story files from files and folders (a folder gives its files of a supported kind,
    `SUPPORTED_SUFFIXES`, sorted; hidden files such as macOS ``._name`` are left out)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if story_suffix(p)
                            and not p.name.startswith(".") and p.is_file())
            if not inside:
                raise InputError(f"no stories in folder {path}: narrate reads "
                                 f"{', '.join(SUPPORTED_SUFFIXES)} files")
            found.extend(inside)
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _remove_stale_temporaries(out_dir: Path, slug: str) -> None:
    """A render killed while encoding leaves its temporary ``.<slug>.*.mp3``; the final file
    never existed half-written, but the leftover must not linger."""
    for leftover in out_dir.glob(f".{slug}.*.mp3"):
        leftover.unlink(missing_ok=True)


def episode_fingerprint(script: Script, options: RenderOptions, slug: str) -> str:
    """What an episode depends on: its cast script, the voices' engines, the options that shape
    the mix, and narrate's own code (any change to it renders again)."""
    voices = sorted({s.voice for s in script.segments if s.spoken and s.voice})
    blob = json.dumps({"code": _code_digest(), "script": script.to_dict(), "slug": slug,
                       "voices": [voice_fingerprint(v) for v in voices],
                       "options": {k: v for k, v in asdict(options).items()
                                   if k not in RUN_ONLY_OPTIONS}},
                      sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


@lru_cache(maxsize=1)
def _code_digest() -> str:
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _current_episode(store: SegmentCache, out_dir: Path, slug: str,
                     fingerprint: str) -> Episode | None:
    mp3 = out_dir / f"{slug}.mp3"
    if not store.is_current(mp3, fingerprint):
        return None
    return _previous_episode(mp3)


def render_stories(paths: Sequence[str | Path], out_dir: str | Path, *,
                   options: RenderOptions | None = None,
                   progress: ProgressCallback | None = None) -> list[Episode]:
    """Render each story file (or every story file of a folder) to its own episode, or, with
    ``options.split="chapters"``, each chapter of each story to its own episode (a series).

    All inputs are read before any audio work, so a bad file fails fast. An episode that is
    already up to date (same inputs, same code, MP3 untouched) is skipped unless
    ``options.force``. The segments of the other episodes are synthesised as one stream through
    the cache, so every worker stays busy, longest episode first; each episode is mastered (in a
    thread, from cache hits) as soon as its last segment is in, while the rest are spoken.
    """
    options = options or RenderOptions()
    split = SplitMode.parse(options.split)
    out = Path(out_dir)
    files = story_paths(paths)
    if options.episode_title and len(files) > 1:
        if split is not SplitMode.NONE:
            raise InputError(f"an episode title ({options.episode_title!r}) makes several "
                             "stories ONE episode, and split 'chapters' makes an episode per "
                             "chapter: drop one, or render the stories one at a time")
        return [render_episode(files, out_dir, title=options.episode_title, options=options,
                               progress=progress)]
    if options.chapter_min_words < 0:
        raise InputError(f"chapter_min_words must be 0 or more, not {options.chapter_min_words}")
    store, cap = _render_cache(options)
    planned: list[_Planned] = []
    for path in files:
        planned += (_plan_book(path, options, out) if split is SplitMode.CHAPTERS
                    else [_plan_story(path, options)])
    if split is SplitMode.CHAPTERS:
        # the title named the book (see _plan_book); each chapter-episode has its own
        options = replace(options, episode_title=None)
    episodes = _render_planned(planned, out, options=options, progress=progress, store=store)
    _prune_cache(store, cap)
    return episodes


@dataclass(frozen=True)
class _Planned:
    """One episode of a render of story files, cast and ready to synthesise."""

    original: Script
    """The uncast script, which ``--check`` re-renders with flagged segments re-voiced."""
    script: Script
    """The cast script: what is synthesised."""
    cast: Cast
    slug: str
    cover: Cover | None = None
    """The story file's own cover (an EPUB's)."""
    place: EpisodePlace | None = None
    """Where a chapter-episode sits in its book."""


def _plan_story(path: Path, options: RenderOptions) -> _Planned:
    script, cover = read_script(path)
    return _Planned(script, *cast_story(script, options), slug=slugify(path.stem), cover=cover)


def _plan_book(path: Path, options: RenderOptions, out: Path) -> list[_Planned]:
    """A story file's chapter-episodes (see `_plan_chapters`)."""
    source = read_source(path)
    raw = build_script(source.text, source=str(path), meta=source.meta)
    return _plan_chapters(raw, path.stem, title=options.episode_title or source.title,
                          cover=source.cover, options=options, out=out, name=str(path))


def _plan_chapters(raw: Script, stem: str, *, title: str, cover: Cover | None,
                   options: RenderOptions, out: Path, name: str) -> list[_Planned]:
    """A book's chapter-episodes, from its Script (a story file's, or an edited script's) and
    the title its file gives. The whole book is cast once, then split, so a character keeps one
    voice in every chapter. A book of one chapter (or none) is one episode, as unsplit."""
    book = titled(raw, stem, title=title, book=True)
    chapters = split_chapters(book, min_words=options.chapter_min_words)
    if len(chapters) == 1:
        _LOGGER.info("%s has %s: it is one episode", name,
                     "no chapter headings" if not chapters[0].title else "one chapter")
        single = titled(raw, stem, title=title)
        return [_Planned(single, *cast_story(single, options), slug=slugify(stem), cover=cover)]
    cast_book, cast = cast_story(book, options)
    book_slug = slugify(stem)
    width = max(2, len(str(len(chapters))))
    slugs = [f"{book_slug}-{ch.number:0{width}d}-{short_slug(ch.title)}" for ch in chapters]
    first = _series_start(out, slugs)
    planned = []
    for chapter, slug in zip(chapters, slugs, strict=True):
        episode_title = f"{book.title}{SERIES_TITLE_JOINER}{chapter.title}"
        script = replace(chapter.of(cast_book), title=episode_title)
        when = first + timedelta(seconds=chapter.number - 1)
        planned.append(_Planned(
            replace(chapter.of(book), title=episode_title), script, cast.for_script(script),
            slug=slug, cover=cover,
            place=EpisodePlace(series=book.title, number=chapter.number, of=len(chapters),
                               published=when.isoformat(timespec="seconds"))))
    _LOGGER.info("%s: %d chapter-episodes", name, len(chapters))
    return planned


SERIES_TITLE_JOINER = " — "
"""Between the book's title and the chapter's in a chapter-episode's title."""


def _series_start(out: Path, slugs: Sequence[str]) -> datetime:
    """When the book's series began: from a chapter-episode rendered before (its published time
    less one second per chapter before it), else now. New chapters of a book rendered in parts
    then still date in reading order among the old ones."""
    starts = []
    for slug in slugs:
        previous = _previous_episode(out / f"{slug}.mp3")
        if previous is None or not previous.published or not previous.number:
            continue
        try:
            when = datetime.fromisoformat(previous.published.replace("Z", "+00:00"))
        except ValueError:
            continue
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        starts.append(when - timedelta(seconds=previous.number - 1))
    return min(starts, default=datetime.now(UTC).replace(microsecond=0))


def _render_planned(planned: Sequence[_Planned], out: Path, *, options: RenderOptions,
                    progress: ProgressCallback | None, store: SegmentCache) -> list[Episode]:
    """Render planned episodes: skip the up-to-date ones, synthesise the others' segments as
    one stream, master each as soon as its speech is in."""
    prints = [episode_fingerprint(p.script, options, p.slug) for p in planned]
    episodes: dict[int, Episode] = {}
    if not options.force:
        for n, p in enumerate(planned):
            current = _current_episode(store, out, p.slug, prints[n])
            if current is not None:
                _LOGGER.info("%s is up to date", out / current.mp3)
                episodes[n] = current
    order = sorted((n for n in range(len(planned)) if n not in episodes),
                   key=lambda n: -sum(len(s.speak) for s in planned[n].script.segments
                                      if s.spoken))

    def master(n: int) -> Episode:
        p = planned[n]
        if out.is_dir():
            _remove_stale_temporaries(out, p.slug)
        episode = _render_cast(p.original, p.script, p.cast, out, slug=p.slug, options=options,
                               progress=None, executor=SerialExecutor(), store=store,
                               book_cover=p.cover, place=p.place)
        store.mark_current(out / episode.mp3, prints[n])
        return episode

    started = time.monotonic()
    with ThreadPoolExecutor(1, thread_name_prefix="narrate-master") as mastering:
        pending: dict[int, Future[Episode]] = {}
        with make_executor(options.executor, jobs=options.jobs,
                           address=options.address) as executor:
            extra = [announcement_jobs(planned[n].script, planned[n].cast, options,
                                       planned[n].slug) for n in order]
            for k in prefetch([planned[n].script for n in order], store, executor=executor,
                              progress=progress, extra=extra):
                pending[order[k]] = mastering.submit(master, order[k])
                for future in pending.values():  # fail fast rather than after all the speech
                    if future.done() and future.exception():
                        future.result()
        # The workers are gone (with the engines' memory) before the last stories are mastered.
        _LOGGER.info("synthesis done in %.2f s", time.monotonic() - started)
        for n, future in pending.items():
            episodes[n] = future.result()
    _LOGGER.info("render done in %.2f s", time.monotonic() - started)
    return [episodes[n] for n in range(len(planned))]


def render_script_files(paths: Sequence[str | Path], out_dir: str | Path, *,
                        options: RenderOptions | None = None,
                        progress: ProgressCallback | None = None) -> list[Episode]:
    """Render edited scripts (``narrate script -o FILE``, then fixed by hand) as they are:
    speakers, voices and spoken text from the file win over anything narrate would guess.

    With ``options.split="chapters"`` each script is a book split as its story file would be
    (same chapters, titles, slugs and dates, so a re-render replaces those episodes), rendered
    as `render_stories` renders books. The slugs come from the script file's name up to its
    first dot (``book.script.txt`` -> ``book``), so name it after the story file."""
    from narrate.script_file import load_script

    options = options or RenderOptions()
    split = SplitMode.parse(options.split)
    if split is SplitMode.CHAPTERS and options.episode_title and len(paths) > 1:
        raise InputError(f"an episode title ({options.episode_title!r}) names ONE book, and "
                         f"split 'chapters' got {len(paths)} scripts: render them one at a time")
    store, cap = _render_cache(options)
    scripts = [load_script(p) for p in paths]  # all read first: a bad file fails fast
    stems = [Path(p).name.split(".")[0] for p in paths]
    episodes = []
    if split is SplitMode.CHAPTERS:
        out = Path(out_dir)
        planned: list[_Planned] = []
        for path, stem, script in zip(paths, stems, scripts, strict=True):
            # an EPUB's cover is not in a script file: --cover, else a drawn one
            planned += _plan_chapters(script, stem,
                                      title=options.episode_title or _given_title(script),
                                      cover=None, options=_with_script_voices(script, options),
                                      out=out, name=str(path))
        episodes = _render_planned(planned, out, progress=progress, store=store,
                                   options=replace(options, episode_title=None))
    else:
        with make_executor(options.executor, jobs=options.jobs,
                           address=options.address) as run_on:
            for stem, script in zip(stems, scripts, strict=True):
                if not script.title:
                    script = titled(script, stem)
                episodes.append(_render_uncast(script, out_dir, slug=slugify(stem),
                                               options=_with_script_voices(script, options),
                                               progress=progress, executor=run_on,
                                               store=store))
    _prune_cache(store, cap)
    return episodes


def _given_title(script: Script) -> str:
    """The title an edited script's story file gave. ``narrate script`` writes the story file's
    name when the file gives no title (a .txt book); that is no title here, so the book is
    titled as its story file would be (by an opening heading)."""
    if script.source and script.title == Path(script.source).stem:
        return ""
    return script.title


def _with_script_voices(script: Script, options: RenderOptions) -> RenderOptions:
    """``options`` with the voices an edited script pins as overrides: each speaker's most used
    voice (the narrator's on narration), so the cast, the credits and the show's saved cast say
    what the audio does. The script's voices win over ``--voice``, as they do on its segments."""
    used: dict[str, dict[str, int]] = {}
    for seg in script.segments:
        if seg.spoken and seg.voice:
            who = (seg.speaker or NARRATOR) if seg.kind is SegmentKind.DIALOGUE else NARRATOR
            counts = used.setdefault(who, {})
            counts[seg.voice] = counts.get(seg.voice, 0) + 1
    if not used:
        return options
    pinned = {who: max(counts, key=lambda v: counts[v]) for who, counts in used.items()}
    names = {who.casefold() for who in pinned}
    kept = {k: v for k, v in options.voice_overrides.items() if k.strip().casefold() not in names}
    return replace(options, voice_overrides={**kept, **pinned})


def show_config_for(show: str | None, *, voices_dir: str | Path | None = None) -> Any:
    """The show config a render publishes with: ``<voices>/<show>.toml`` when it exists, else
    ``narrate.toml`` here (or the defaults, titled after ``show``); ``NARRATE_SHOW_*`` apply."""
    from narrate.show import DEFAULT_CONFIG, load_show_config
    from narrate.voice_config import voices_dir as resolve_voices_dir

    name = slugify(show) if show else None
    if name:
        file = resolve_voices_dir(voices_dir) / f"{name}.toml"
        if file.is_file():
            config = load_show_config(file)
            return config if config.name else replace(config, name=name)
    config = load_show_config()
    if show and not DEFAULT_CONFIG.is_file():
        config = replace(config, title=show, name=name or "")
    return config


def publish_episodes(episodes: Sequence[Episode], out_dir: str | Path, *,
                     show: str | None = None,
                     voices_dir: str | Path | None = None) -> list[Any]:
    """Add or update rendered episodes in ``out_dir/feed.xml`` (and the show page)."""
    from narrate.feed import publish

    out = Path(out_dir)
    return publish([out / e.mp3 for e in episodes], feed_path=out / "feed.xml",
                   show=show_config_for(show, voices_dir=voices_dir))


# --- mastering and export: everything after the synthesis stream ------------------------------

DESCRIPTION_CHARS = 300  # of the story's opening, for tags and the feed


def produce_episode(stories: Sequence[tuple[Script, Cast]], out_dir: str | Path, *, slug: str,
                    title: str, options: RenderOptions,
                    progress: ProgressCallback | None = None,
                    executor: Executor | None = None) -> Episode:
    """Synthesise, assemble, master and export cast stories as one episode (see ``_produce``).
    The cache is not pruned: that is for the render this is part of."""
    return _produce(stories, out_dir, slug=slug, title=title, options=options,
                    progress=progress, executor=executor,
                    store=SegmentCache(options.cache_dir))[0]


def _produce(stories: Sequence[tuple[Script, Cast]], out_dir: str | Path, *, slug: str,
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
    from narrate.cover import draw_cover, fit_cover
    from narrate.master import StoryInput, assemble
    from narrate.transcript import to_chapters_json, to_srt, to_vtt

    settings = MasterSettings(target_lufs=options.loudness_lufs,
                              bitrate_kbps=options.bitrate_kbps)
    check_settings(settings)
    for label, path in (("intro", options.intro), ("outro", options.outro),
                        ("cover", options.cover)):
        if path is not None and not Path(path).is_file():
            raise InputError(f"no {label} file at {path}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    mp3 = out_dir / f"{slug}.mp3"
    previous = _previous_episode(mp3)
    # once published, an episode's date never changes: apps would list it again
    published = (previous.published if previous and previous.published else
                 place.published if place else
                 datetime.now(UTC).isoformat(timespec="seconds"))
    author = _author(stories)
    cover = (fit_cover(options.cover) if options.cover else
             _book_cover(book_cover) if book_cover else None) or draw_cover(options.show, title)
    narrator = stories[0][1].narrator
    roles = _roles(stories)
    # ``store`` is the whole render's: it notes the keys used, which pruning afterwards keeps
    parts = _show_parts(options, title, narrator, roles, store)
    pcm = out_dir / f".{slug}.pcm"
    try:
        with _synthesis_executor(options, executor) as run_on:
            inputs = [StoryInput(script.title or title,
                                 synthesize_script(script, progress=progress, cache=store,
                                                   executor=run_on))
                      for script, _ in stories]
            mix = assemble(inputs, pcm, parts=parts,
                           generated_music=options.intro is None and options.outro is None)
        description = options.description or _description(stories, title, narrator, roles)
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


def _book_cover(cover: Cover) -> bytes | None:
    """The book's cover fitted for the episode; None (a drawn cover) when Pillow cannot read it
    (an SVG cover, a damaged image): the book is still worth rendering."""
    from narrate.cover import fit_cover

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
    """A speakable name for a voice: ``kokoro:jf_alpha`` -> ``Alpha``; a variant
    (``kokoro:jm_kumo@pitch=-3``) -> ``Kumo, lower``; a blend (``a+b``) -> ``A and B``."""
    name, _, variant = voice_id.split(":", 1)[-1].partition("@")
    parts = [re.sub(r"^[a-z]{2}_", "", p).replace("_", " ").replace("-", " ").title()
             for p in name.split("+") if p]
    label = " and ".join(parts) or voice_id
    pitch = re.search(r"pitch=([-+]?\d+(?:\.\d+)?)", variant)
    if pitch and float(pitch.group(1)):
        label += ", lower" if float(pitch.group(1)) < 0 else ", higher"
    elif variant:
        label += ", varied"
    return label


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
    from narrate.audio import decode
    from narrate.master import Announcement, ShowParts
    from narrate.music import generate_theme
    from narrate.render import speak_cached

    title_text, credits_text = _announcement_texts(options, title, narrator, roles)
    say = _announcer(options, narrator)
    spoken_title = speak_cached(narrator, say(title_text), cache)
    spoken_credits = speak_cached(narrator, say(credits_text), cache)
    intro = outro = sting = None
    if options.music:
        # The generated bed is as long as its words need; bars repeat, the theme stays the show's.
        lead_s = 3.5 + spoken_title.duration_ms / 1000 + 3.0
        intro = decode(options.intro) if options.intro else generate_theme(options.show,
                                                                             seconds=lead_s)
        tail_s = 1.5 + spoken_credits.duration_ms / 1000 + 3.0
        outro = decode(options.outro) if options.outro else generate_theme(
            options.show + " outro", seconds=tail_s)
        sting = generate_theme(options.show, seconds=3.0)
    return ShowParts(intro_music=intro, outro_music=outro,
                     title=Announcement(title_text, spoken_title, narrator),
                     credits=Announcement(credits_text, spoken_credits, narrator), sting=sting)


def _announcement_texts(options: RenderOptions, title: str, narrator: str,
                        roles: dict[str, str]) -> tuple[str, str]:
    """What the narrator says over the intro and the outro music."""
    generated = options.intro is None and options.outro is None
    return (f"{options.show} presents: {title}.",
            _credits_text(title, options.show, narrator, roles, generated))


def announcement_jobs(script: Script, cast: Cast, options: RenderOptions,
                      slug: str) -> list[SynthesisJob]:
    """The spoken title and credits of a one-story episode as synthesis work, so they can be
    spoken by the workers with the story's segments rather than in the mastering thread."""
    title = _episode_title(script, options, slug)
    say = _announcer(options, cast.narrator)
    return [SynthesisJob(cast.narrator, say(text)) for text in
            _announcement_texts(options, title, cast.narrator, _roles([(script, cast)]))]


def _announcer(options: RenderOptions, narrator: str) -> Callable[[str], str]:
    """How the narrator says an announcement: normalised like story text ("DWTS" as letters)
    and with the show's lexicon, as every segment is."""
    from narrate.text import speakable
    from narrate.voicing import engine_supports_ipa

    lexicon = lexicon_for_show(options.show, options.voices_dir)
    ipa = engine_supports_ipa(narrator)
    return lambda text: lexicon.apply(speakable(text), ipa=ipa)


def _description(stories: Sequence[tuple[Script, Cast]], title: str, narrator: str,
                 roles: dict[str, str]) -> str:
    if len(stories) > 1:
        opening = "Stories: " + "; ".join(s.title or f"Story {i + 1}"
                                           for i, (s, _) in enumerate(stories)) + "."
    else:
        text = " ".join(" ".join(seg.text.split()) for seg in stories[0][0].segments
                        if seg.spoken and seg.kind.value != "heading")
        opening = text[:DESCRIPTION_CHARS]
        if len(text) > DESCRIPTION_CHARS:
            cut = max(opening.rfind(". "), opening.rfind("? "), opening.rfind("! "))
            opening = opening[:cut + 1] if cut > 80 else opening.rsplit(" ", 1)[0] + "…"
    return f"{opening} Read by {_voice_label(narrator)}." + (
        " With " + ", ".join(f"{_voice_label(v)} as {n}" for n, v in roles.items()) + "."
        if roles else "")
