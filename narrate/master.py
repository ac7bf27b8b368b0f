"""Mastering: pydub assembly of speech, pauses and music, then loudness to the podcast target."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from narrate.audio import (
    MASTER_RATE,
    SAMPLE_WIDTH,
    Audio,
    float_to_int16,
    int16_to_float,
    pydub_segment_class,
)
from narrate.render import RenderedSegment
from narrate.script import SegmentKind

_LOGGER = logging.getLogger(__name__)
AudioSegment = pydub_segment_class()

SEGMENT_GAP_MS = 250  # between pieces of one paragraph
PARAGRAPH_GAP_MS = 650
SPEAKER_CHANGE_EXTRA_MS = 150
SECTION_GAP_MS = 1200
MUSIC_GAP_MS = 600  # between the intro music and the first words
FADE_MS = 8  # on every clip edge, so nothing clicks

TARGET_LUFS = -16.0
TRUE_PEAK_DBTP = -1.0


@dataclass(frozen=True)
class Cue:
    """Where a spoken segment sits in the episode."""

    index: int
    start_ms: int
    end_ms: int
    speaker: str
    text: str
    section: int = 0


@dataclass(frozen=True)
class Mix:
    audio: AudioSegment
    cues: tuple[Cue, ...]


def to_segment(audio: Audio) -> AudioSegment:
    audio = audio.resampled(MASTER_RATE)
    return AudioSegment(data=float_to_int16(audio.samples).tobytes(), sample_width=SAMPLE_WIDTH,
                        frame_rate=MASTER_RATE, channels=1)


def silence(ms: int) -> bytes:
    return b"\x00" * (int(ms * MASTER_RATE / 1000) * SAMPLE_WIDTH)


def gap_before(previous: RenderedSegment | None, current: RenderedSegment) -> int:
    """Pause length by the kind of boundary between two spoken segments."""
    if previous is None:
        return 0
    p, c = previous.segment, current.segment
    if c.section != p.section or c.kind is SegmentKind.HEADING or p.kind is SegmentKind.HEADING:
        return SECTION_GAP_MS
    gap = PARAGRAPH_GAP_MS if c.paragraph != p.paragraph else SEGMENT_GAP_MS
    if (c.voice or "") != (p.voice or ""):
        gap += SPEAKER_CHANGE_EXTRA_MS
    return gap


def assemble(rendered: Iterable[RenderedSegment], *, intro: Audio | None = None,
             outro: Audio | None = None) -> Mix:
    """Join speech with pauses between intro and outro music; raw data is joined once, because
    ``a + b`` in a loop is quadratic."""
    chunks: list[bytes] = []
    cues: list[Cue] = []
    position = 0  # bytes so far
    bytes_per_ms = MASTER_RATE * SAMPLE_WIDTH / 1000

    def add(data: bytes) -> None:
        nonlocal position
        chunks.append(data)
        position += len(data)

    if intro is not None:
        add(to_segment(intro).raw_data)
        add(silence(MUSIC_GAP_MS))
    previous: RenderedSegment | None = None
    for item in rendered:
        add(silence(gap_before(previous, item)))
        clip = to_segment(item.audio).fade_in(FADE_MS).fade_out(FADE_MS)
        start = position
        add(clip.raw_data)
        cues.append(Cue(item.index, round(start / bytes_per_ms), round(position / bytes_per_ms),
                        item.segment.speaker or "Narrator", item.segment.text.strip(),
                        item.segment.section))
        previous = item
    if outro is not None:
        add(silence(MUSIC_GAP_MS))
        add(to_segment(outro).raw_data)
    audio = AudioSegment(data=b"".join(chunks), sample_width=SAMPLE_WIDTH, frame_rate=MASTER_RATE,
                         channels=1)
    return Mix(audio, tuple(cues))


def normalize_loudness(audio: AudioSegment, *, target_lufs: float = TARGET_LUFS) -> AudioSegment:
    """Gain to the integrated target; the encoder's limiter then holds the true peak."""
    import pyloudnorm

    samples = int16_to_float(audio.raw_data).astype(np.float64)
    meter = pyloudnorm.Meter(audio.frame_rate)
    loudness = meter.integrated_loudness(samples)
    if not np.isfinite(loudness):
        return audio
    return audio.apply_gain(target_lufs - loudness)
