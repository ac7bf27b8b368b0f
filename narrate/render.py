"""Synthesis stage: each spoken segment of a cast Script becomes audio at the master rate."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from narrate.audio import MASTER_RATE, Audio
from narrate.errors import EngineError
from narrate.script import Script, Segment
from narrate.voicing import speak

_LOGGER = logging.getLogger(__name__)

MAX_CHUNK_CHARS = 400
"""Engines degrade on very long inputs; longer text is split at sentence ends."""
TRIM_THRESHOLD = 0.01
"""Linear amplitude under which leading/trailing engine silence is trimmed."""
TRIM_PAD_MS = 20


@dataclass(frozen=True)
class RenderedSegment:
    """A spoken segment and its audio, in script order."""

    index: int
    """Position of the segment in ``Script.segments``."""
    segment: Segment
    audio: Audio
    """Mono float32 at ``MASTER_RATE``."""


ProgressCallback = Callable[[int, int, float], None]
"""Called with (segments done, segments total, audio seconds done)."""


def split_for_engine(text: str, limit: int = MAX_CHUNK_CHARS) -> list[str]:
    """Split long text at sentence, then clause, then word boundaries into chunks <= limit."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return [text] if text else []
    pieces = re.split(r"(?<=[.!?…])\s+", text)
    if max(len(p) for p in pieces) > limit:
        pieces = [q for p in pieces for q in re.split(r"(?<=[,;:—])\s+", p)]
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        while len(piece) > limit:
            cut = piece.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            if current:
                chunks.append(current)
                current = ""
            chunks.append(piece[:cut].strip())
            piece = piece[cut:].strip()
        if current and len(current) + 1 + len(piece) > limit:
            chunks.append(current)
            current = piece
        else:
            current = f"{current} {piece}".strip()
    if current:
        chunks.append(current)
    return [c for c in chunks if c]


def trim_silence(samples: np.ndarray, rate: int) -> np.ndarray:
    loud = np.flatnonzero(np.abs(samples) > TRIM_THRESHOLD)
    if not len(loud):
        return samples
    pad = int(TRIM_PAD_MS * rate / 1000)
    return samples[max(0, loud[0] - pad): loud[-1] + pad + 1]


def synthesize_segment(segment: Segment, *, speed: float = 1.0) -> Audio:
    """Speak one segment with its voice; the result is trimmed and at ``MASTER_RATE``."""
    if not segment.voice:
        raise EngineError(f"segment at {segment.start} has no voice; cast the script first")
    parts = []
    for chunk in split_for_engine(segment.speak):
        audio = speak(segment.voice, chunk, speed=speed)
        parts.append(trim_silence(audio.resampled(MASTER_RATE).samples, MASTER_RATE))
    samples = np.concatenate(parts) if parts else np.zeros(0, np.float32)
    return Audio(samples.astype(np.float32), MASTER_RATE)


def synthesize_script(script: Script, *,
                      progress: ProgressCallback | None = None) -> Iterator[RenderedSegment]:
    """Yield each spoken segment's audio in script order."""
    todo = [(i, s) for i, s in enumerate(script.segments) if s.spoken]
    done_s = 0.0
    for n, (index, segment) in enumerate(todo, 1):
        audio = synthesize_segment(segment)
        done_s += audio.duration_ms / 1000
        if progress:
            progress(n, len(todo), done_s)
        yield RenderedSegment(index, segment, audio)
