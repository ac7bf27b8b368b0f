"""Planning a render: story files, books and chapters -> cast episodes, which are
synthesised as one stream and handed to `narrate.pipeline.produce` one by one."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from narrate.audio.cache import SegmentCache, cache_cap
from narrate.audio.executors import Executor, SerialExecutor, make_executor
from narrate.audio.render import ProgressCallback, prefetch
from narrate.errors import InputError
from narrate.pipeline.options import RUN_ONLY_OPTIONS, EpisodePlace, RenderOptions
from narrate.pipeline.produce import (
    announcement_jobs,
    cast_saved_on_success,
    cast_story,
    check_input_files,
    episode_title,
    previous_episode,
    produce_with_cues,
)
from narrate.pipeline.titles import read_script, short_slug, slugify, titled
from narrate.publish.episode import Episode
from narrate.script import NARRATOR, Script, SegmentKind
from narrate.text import build_script, read_source
from narrate.text.formats import SUPPORTED_SUFFIXES, Cover, story_suffix
from narrate.text.split import SplitMode, split_chapters
from narrate.voices.casting import Cast
from narrate.voices.engines.device import set_device
from narrate.voices.voicing import voice_fingerprint

_LOGGER = logging.getLogger(__name__)


@cast_saved_on_success()
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
    episode, cues = produce_with_cues([(script, cast)], out_dir, slug=slug,
                             title=episode_title(script, options, slug),
                             options=options, progress=progress, executor=executor, store=store,
                             book_cover=book_cover, place=place)
    if options.check:
        from narrate.audio.check import check_render

        retry = None if not options.check_retry else (
            lambda pinned: _render_uncast(pinned, out_dir, slug=slug, progress=progress,
                                          options=replace(options, check_retry=False),
                                          executor=executor, store=store,
                                          book_cover=book_cover, place=place))
        episode = check_render(original, script, episode, out_dir, cues, retry=retry)
    return episode


def _render_cache(options: RenderOptions) -> tuple[SegmentCache, int]:
    """The segment cache a render uses and the cap it prunes it to when done, read before any
    audio work so that a bad ``$NARRATE_CACHE_MAX`` fails fast, not after hours of speech
    (as do the intro, outro and cover files, checked here too). The device is chosen here too
    (``--device cuda`` without a GPU fails before any work), and before the workers start:
    they inherit it."""
    from narrate.audio.master import import_in_background

    check_input_files(options)
    set_device(options.device)
    import_in_background()
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


@cast_saved_on_success()
def render_episode(paths: Sequence[str | Path], out_dir: str | Path, *, title: str,
                   options: RenderOptions | None = None,
                   progress: ProgressCallback | None = None) -> Episode:
    """Render several story files as one episode: one after another, a chapter per story."""
    options = options or RenderOptions()
    store, cap = _render_cache(options)
    read = [read_script(p) for p in paths]
    stories = [cast_story(script, options) for script, _ in read]
    episode = produce_with_cues(stories, out_dir, slug=slugify(title), title=title, options=options,
                       progress=progress, store=store,
                       book_cover=next((c for _, c in read if c is not None), None))[0]
    _prune_cache(store, cap)
    return episode


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
    package = Path(__file__).parent.parent  # all of narrate, not only the pipeline
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _current_episode(store: SegmentCache, out_dir: Path, slug: str,
                     fingerprint: str) -> Episode | None:
    mp3 = out_dir / f"{slug}.mp3"
    if not store.is_current(mp3, fingerprint):
        return None
    return previous_episode(mp3)


@cast_saved_on_success()
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
        previous = previous_episode(out / f"{slug}.mp3")
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
        episode = _render_cast(p.original, p.script, p.cast, out, slug=p.slug, options=options,
                               progress=None, executor=SerialExecutor(), store=store,
                               book_cover=p.cover, place=p.place)
        store.mark_current(out / episode.mp3, prints[n])
        return episode

    started = time.monotonic()
    with ThreadPoolExecutor(1, thread_name_prefix="narrate-master") as mastering:
        pending: dict[int, Future[Episode]] = {}
        with make_executor(options.executor, jobs=options.jobs,
                           address=options.address, device=options.device) as executor:
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


@cast_saved_on_success()
def render_script_files(paths: Sequence[str | Path], out_dir: str | Path, *,
                        options: RenderOptions | None = None,
                        progress: ProgressCallback | None = None) -> list[Episode]:
    """Render edited scripts (``narrate script -o FILE``, then fixed by hand) as they are:
    speakers, voices and spoken text from the file win over anything narrate would guess.

    With ``options.split="chapters"`` each script is a book split as its story file would be
    (same chapters, titles, slugs and dates, so a re-render replaces those episodes), rendered
    as `render_stories` renders books. The slugs come from the script file's name up to its
    first dot (``book.script.txt`` -> ``book``), so name it after the story file."""
    from narrate.text.script_file import load_script

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
                                      cover=None, options=with_script_voices(script, options),
                                      out=out, name=str(path))
        episodes = _render_planned(planned, out, progress=progress, store=store,
                                   options=replace(options, episode_title=None))
    else:
        with make_executor(options.executor, jobs=options.jobs,
                           address=options.address, device=options.device) as run_on:
            for stem, script in zip(stems, scripts, strict=True):
                if not script.title:
                    script = titled(script, stem)
                episodes.append(_render_uncast(script, out_dir, slug=slugify(stem),
                                               options=with_script_voices(script, options),
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


def with_script_voices(script: Script, options: RenderOptions) -> RenderOptions:
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
