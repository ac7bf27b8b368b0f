"""The whole job, story file to episode: read, script, cast, synthesise, master, export."""

from __future__ import annotations

import logging
import re
import unicodedata
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from narrate.casting import DEFAULT_NARRATOR, apply_cast, cast_for_show, with_offline_fallback
from narrate.episode import CastCredit, Episode, episode_metadata_path
from narrate.export import encode_mp3
from narrate.lexicon import apply_lexicon, lexicon_for_show
from narrate.master import assemble, normalize_loudness
from narrate.music import generate_theme
from narrate.render import ProgressCallback, synthesize_script
from narrate.script import Script
from narrate.text import build_script, read_story
from narrate.voice_config import use_voices_dir

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
                  progress: ProgressCallback | None = None) -> Episode:
    """Render one Script to ``out_dir/<slug>.mp3`` with its episode metadata."""
    options = options or RenderOptions()
    out_dir = Path(out_dir)
    slug = slug or slugify(script.title or "episode")
    use_voices_dir(options.voices_dir)
    cast = cast_for_show(script, show=options.show, folder=options.voices_dir,
                         narrator=options.narrator, overrides=options.voice_overrides)
    cast = cast.for_script(script)
    if options.fallback_engine:
        cast = with_offline_fallback(cast, options.fallback_engine)
    original = script
    script = apply_lexicon(apply_cast(script, cast),
                           lexicon_for_show(options.show, options.voices_dir))
    intro = generate_theme(options.show) if options.music else None
    outro = generate_theme(options.show + " outro", seconds=6.0) if options.music else None
    mix = assemble(synthesize_script(script, progress=progress), intro=intro, outro=outro)
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
    if options.check:
        from narrate.check import check_render

        retry = None if not options.check_retry else (
            lambda pinned: render_script(pinned, out_dir, slug=slug, progress=progress,
                                         options=replace(options, check_retry=False)))
        episode = check_render(original, script, episode, out_dir, mix.cues, retry=retry)
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


def render_stories(paths: Sequence[str | Path], out_dir: str | Path, *,
                   options: RenderOptions | None = None,
                   progress: ProgressCallback | None = None) -> list[Episode]:
    """Render each story file to its own episode. All inputs are read before any audio work,
    so a bad file fails fast."""
    scripts = [script_story(p) for p in paths]
    return [render_script(s, out_dir, slug=slugify(Path(p).stem), options=options,
                          progress=progress) for p, s in zip(paths, scripts, strict=True)]
