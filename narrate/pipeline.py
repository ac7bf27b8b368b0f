"""The whole job, story file to episode: read, script, cast, synthesise, master, export."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
import unicodedata
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from narrate.cache import SegmentCache
from narrate.casting import DEFAULT_NARRATOR, apply_cast, cast_script
from narrate.episode import CastCredit, Episode, episode_metadata_path
from narrate.errors import InputError
from narrate.executors import Executor, SerialExecutor, make_executor
from narrate.export import encode_mp3
from narrate.master import assemble, normalize_loudness
from narrate.music import generate_theme
from narrate.render import ProgressCallback, prefetch, synthesize_script
from narrate.script import Script
from narrate.text import build_script, read_story
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
    executor: str = "local"
    """Where synthesis runs: "local" (a process pool), "serial" or "dask"."""
    jobs: int | None = None
    """Local worker processes; None: one per core."""
    address: str | None = None
    """Dask scheduler address; None: ``$DASK_SCHEDULER_ADDRESS``."""
    cache_dir: str | Path | None = None
    """Segment cache; None: ``$NARRATE_CACHE_DIR`` or the user cache directory."""
    force: bool = False
    """Render stories again even when their episode is up to date."""


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80] or "episode"


def script_story(path: str | Path) -> Script:
    path = Path(path)
    return build_script(read_story(path), title=_title_from(path), source=str(path))


def _title_from(path: Path) -> str:
    return path.stem.replace("_", " ").replace("-", " ").strip().title() or "Episode"


def render_script(script: Script, out_dir: str | Path, *, slug: str | None = None,
                  options: RenderOptions | None = None,
                  progress: ProgressCallback | None = None,
                  executor: Executor | None = None) -> Episode:
    """Render one Script to ``out_dir/<slug>.mp3`` with its episode metadata.

    ``executor`` runs synthesis (default: made from ``options`` for this call only)."""
    options = options or RenderOptions()
    out_dir = Path(out_dir)
    slug = slug or slugify(script.title or "episode")
    cast = cast_script(script, narrator=options.narrator)
    script = apply_cast(script, cast)
    intro = generate_theme(options.show) if options.music else None
    outro = generate_theme(options.show + " outro", seconds=6.0) if options.music else None
    with _synthesis_executor(options, executor) as run_on:
        mix = assemble(synthesize_script(script, progress=progress,
                                         cache=SegmentCache(options.cache_dir), executor=run_on),
                       intro=intro, outro=outro)
    mastered = normalize_loudness(mix.audio)
    mp3 = encode_mp3(mastered, out_dir / f"{slug}.mp3")
    previous = _previous_episode(mp3)
    episode = Episode(
        slug=slug, title=script.title or slug, mp3=mp3.name,
        duration_s=round(len(mastered) / 1000, 3), show=options.show,
        published=previous.published if previous else datetime.now(UTC).isoformat(
            timespec="seconds"),
        guid=previous.guid if previous else str(uuid.uuid5(EPISODE_NAMESPACE,
                                                            f"{options.show}/{slug}")),
        cast=tuple([CastCredit("Narrator", cast.narrator)]
                   + [CastCredit(name, voice) for name, voice in cast.roles.items()]),
    )
    episode.save(out_dir)
    return episode


def _previous_episode(mp3: Path) -> Episode | None:
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
    return apply_cast(script, cast_script(script, narrator=options.narrator))


@contextmanager
def _synthesis_executor(options: RenderOptions,
                        given: Executor | None) -> Iterator[Executor]:
    if given is not None:
        yield given
        return
    with make_executor(options.executor, jobs=options.jobs, address=options.address) as made:
        yield made


def story_paths(paths: Sequence[str | Path]) -> list[Path]:
    """Story files from files and folders (a folder gives its ``*.txt``, sorted)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            inside = sorted(p for p in path.glob("*.txt") if p.is_file())
            if not inside:
                raise InputError(f"no .txt stories in folder {path}")
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
                       "options": [options.narrator, options.show, options.music]},
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
    """Render each story file (or every ``*.txt`` of a folder) to its own episode.

    All inputs are read before any audio work, so a bad file fails fast. A story whose episode
    is already up to date (same inputs, same code, MP3 untouched) is skipped unless
    ``options.force``. The segments of the other stories are synthesised as one stream through
    the cache, so every worker stays busy, longest story first; each story is mastered (in a
    thread, from cache hits) as soon as its last segment is in, while the rest are spoken.
    """
    options = options or RenderOptions()
    out = Path(out_dir)
    files = story_paths(paths)
    scripts = [script_story(p) for p in files]
    slugs = [slugify(p.stem) for p in files]
    store = SegmentCache(options.cache_dir)
    cast = [cast_for_render(s, options) for s in scripts]
    prints = [episode_fingerprint(c, options, slug) for c, slug in zip(cast, slugs, strict=True)]
    episodes: dict[int, Episode] = {}
    if not options.force:
        for n, slug in enumerate(slugs):
            current = _current_episode(store, out, slug, prints[n])
            if current is not None:
                _LOGGER.info("%s is up to date", out / current.mp3)
                episodes[n] = current
    order = sorted((n for n in range(len(files)) if n not in episodes),
                   key=lambda n: -sum(len(s.speak) for s in cast[n].segments if s.spoken))

    def master(n: int) -> Episode:
        if out.is_dir():
            _remove_stale_temporaries(out, slugs[n])
        episode = render_script(scripts[n], out, slug=slugs[n], options=options,
                                executor=SerialExecutor())
        store.mark_current(out / episode.mp3, prints[n])
        return episode

    started = time.monotonic()
    with make_executor(options.executor, jobs=options.jobs, address=options.address) as executor, \
            ThreadPoolExecutor(1, thread_name_prefix="narrate-master") as mastering:
        pending: dict[int, Future[Episode]] = {}
        for k in prefetch([cast[n] for n in order], store, executor=executor, progress=progress):
            pending[order[k]] = mastering.submit(master, order[k])
            for future in pending.values():  # fail fast rather than after all the speech
                if future.done() and future.exception():
                    future.result()
        _LOGGER.info("synthesis done in %.2f s", time.monotonic() - started)
        for n, future in pending.items():
            episodes[n] = future.result()
    _LOGGER.info("render done in %.2f s", time.monotonic() - started)
    return [episodes[n] for n in range(len(files))]
