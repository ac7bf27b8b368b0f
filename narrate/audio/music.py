"""Intro and outro music made by narrate itself: short, gentle, deterministic for a show.

A show's name seeds the key, tempo, chord progression and arpeggio pattern, so every episode of a
show opens the same way while different shows sound different. A theme of any length repeats the
show's progression bar by bar (so a longer spoken title only adds bars). Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from narrate.audio.pcm import MASTER_RATE, Audio

PROGRESSIONS = (
    (0, 5, 3, 4),  # I-vi-IV-V
    (0, 4, 5, 3),  # I-V-vi-IV
    (0, 3, 0, 4),  # I-IV-I-V
    (5, 3, 0, 4),  # vi-IV-I-V
    (0, 2, 3, 4),  # I-iii-IV-V
)
MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)  # semitones
FADE_IN_S = 0.4
FADE_OUT_S = 1.5
PEAK = 0.5  # linear; the mixer sets the real level by loudness


def _seed(show: str) -> int:
    return int.from_bytes(hashlib.sha256(show.encode("utf-8")).digest()[:8], "big")


def _note_hz(semitones_from_a4: float) -> float:
    return 440.0 * 2 ** (semitones_from_a4 / 12)


@lru_cache(maxsize=256)
def _tone(freq: float, dur_s: float, rate: int, *, decay: float, harmonics: int = 4,
          attack_s: float = 0.01) -> np.ndarray:
    """One note. Cached: a theme plays the same few notes bar after bar (its progression
    repeats), and making each again was most of an episode's music time. Read-only: callers
    add it into their buffers."""
    t = np.arange(int(dur_s * rate), dtype=np.float64) / rate
    wave = sum(np.sin(2 * np.pi * freq * k * t) / k**1.6 for k in range(1, harmonics + 1))
    attack = np.minimum(1.0, t / attack_s)
    note = (wave * attack * np.exp(-t * decay)).astype(np.float32)
    note.flags.writeable = False
    return note


def _chord(degree: int) -> list[int]:
    """Triad on a scale degree, in semitones above the key's root."""
    return [MAJOR_SCALE[(degree + k) % 7] + 12 * ((degree + k) // 7) for k in (0, 2, 4)]


@dataclass(frozen=True)
class ThemeStyle:
    """A show's musical choices."""

    root: int
    """Key: semitones from A4."""
    bar_s: float
    progression: tuple[int, ...]
    pattern: tuple[int, ...]
    """Which chord note each arpeggio step plays."""


def theme_style(show: str) -> ThemeStyle:
    """The show's key, tempo, progression and pattern: all from its name."""
    rng = np.random.default_rng(_seed(show))
    return ThemeStyle(
        root=int(rng.integers(-9, -2)),  # C4 down to F#3 keeps it warm
        bar_s=float(rng.choice([1.6, 1.75, 1.9, 2.0])),
        progression=PROGRESSIONS[int(rng.integers(len(PROGRESSIONS)))],
        pattern=tuple(int(p) for p in rng.permutation([0, 1, 2, 1, 2, 0, 2, 1])),
    )


def generate_theme(show: str, *, seconds: float = 7.0, rate: int = MASTER_RATE) -> Audio:
    """Soft pad, bass and plucked arpeggio with a light echo, faded in and out.

    The same ``show`` and ``seconds`` always give the same samples."""
    style = theme_style(show)
    root, bar_s, progression, pattern = style.root, style.bar_s, style.progression, style.pattern
    n = int(seconds * rate)
    out = np.zeros(n + 4 * rate, dtype=np.float32)
    bars = max(1, math.ceil(seconds / bar_s))
    for bar in range(bars):
        chord = _chord(progression[bar % len(progression)])
        start = int(bar * bar_s * rate)
        for note in chord:  # pad: long, soft, slow attack
            pad = _tone(_note_hz(root + note - 12), bar_s * 1.2, rate, decay=0.7, harmonics=2,
                        attack_s=0.15)
            out[start:start + len(pad)] += 0.09 * pad
        bass = _tone(_note_hz(root + chord[0] - 24), bar_s, rate, decay=1.5, harmonics=3)
        out[start:start + len(bass)] += 0.12 * bass
        step = bar_s / len(pattern)
        for i, which in enumerate(pattern):  # arpeggio: short plucks an octave up
            pluck = _tone(_note_hz(root + chord[which]), step * 3, rate, decay=5.0)
            s = start + int(i * step * rate)
            out[s:s + len(pluck)] += 0.11 * pluck
    delay = int(bar_s * 3 / 8 * rate)  # a dotted-eighth echo makes it feel like a room
    echo = np.zeros_like(out)
    echo[delay:] = out[:-delay]
    echo[2 * delay:] += 0.4 * out[:-2 * delay]
    out = (out + 0.3 * echo)[:n]
    fade_in = min(int(FADE_IN_S * rate), n // 4)
    out[:fade_in] *= np.linspace(0, 1, fade_in, dtype=np.float32)
    tail = min(int(FADE_OUT_S * rate), n // 2)
    if tail:
        out[-tail:] *= np.linspace(1, 0, tail, dtype=np.float32) ** 2
    out /= max(1e-6, float(np.abs(out).max())) / PEAK
    return Audio(out.astype(np.float32), rate)
