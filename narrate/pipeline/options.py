"""What a render is asked for: the options of one render and a chapter-episode's place."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from narrate.audio.export import BITRATE_KBPS, TARGET_LUFS
from narrate.text.split import MIN_CHAPTER_WORDS, SplitMode
from narrate.voices.casting import DEFAULT_NARRATOR

DEFAULT_SHOW = "narrate"


EPISODE_NAMESPACE = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")  # RFC 4122 URL namespace


@dataclass(frozen=True)
class RenderOptions:
    """Choices that apply to every story of one render."""

    narrator: str = DEFAULT_NARRATOR
    """A voice id, or ``DEFAULT_NARRATOR`` ("auto"): the measured best voice for the accent."""
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
    device: str | None = None
    """Where the ONNX engines run: "cpu", "cuda" or "auto" (CUDA when a GPU and onnxruntime-gpu
    are there); None: ``$NARRATE_DEVICE``, else "auto"."""
    cache_dir: str | Path | None = None
    """Segment cache; None: ``$NARRATE_CACHE_DIR`` or the user cache directory."""
    cache_max: int | None = None
    """Bytes the segment cache is pruned to when the render is done (least recently used first,
    never what this render used); 0: no cap; None: ``$NARRATE_CACHE_MAX``, else 10 GB."""
    force: bool = False
    """Render stories again even when their episode is up to date."""
    split: str = SplitMode.NONE.value
    """"none": one episode per story; "chapters": a book becomes a series, one episode per
    chapter (see `narrate.text.split`); with one story, ``episode_title`` then names the book."""
    chapter_min_words: int = MIN_CHAPTER_WORDS
    """With ``split="chapters"``: a chapter with fewer spoken words joins the next one."""
    draft: bool = False
    """A quick proof listen: the fastest voices (Piper's joe narrating, variants of it for the
    characters), ~7x less synthesis time than the Kokoro cast; the show's cast is untouched."""
    accent: str | None = None
    """"en-US" or "en-GB" for the narrator and characters; None: the show's ``[casting]
    accent``, else its saved cast's, else the story's spelling."""


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


RUN_ONLY_OPTIONS = ("executor", "jobs", "address", "device", "cache_dir", "cache_max", "force",
                    "check_retry")


"""Options that change how a render runs, not what it sounds like."""
