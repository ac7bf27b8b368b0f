"""Intro and outro music made by narrate itself: short, gentle, deterministic for a show.

A show's name seeds the key, tempo and chord progression, so every episode of a show opens the
same way while different shows sound different. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib

import numpy as np

from narrate.audio import MASTER_RATE, Audio

PROGRESSIONS = (
    (0, 5, 3, 4),  # I-vi-IV-V
    (0, 4, 5, 3),  # I-V-vi-IV
    (0, 3, 0, 4),  # I-IV-I-V
    (5, 3, 0, 4),  # vi-IV-I-V
)
MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)  # semitones


def _seed(show: str) -> int:
    return int.from_bytes(hashlib.sha256(show.encode("utf-8")).digest()[:8], "big")


def _note_hz(semitones_from_a4: float) -> float:
    return 440.0 * 2 ** (semitones_from_a4 / 12)


def _tone(freq: float, dur_s: float, rate: int, *, decay: float, harmonics: int = 4) -> np.ndarray:
    t = np.arange(int(dur_s * rate), dtype=np.float64) / rate
    wave = sum(np.sin(2 * np.pi * freq * k * t) / k**1.6 for k in range(1, harmonics + 1))
    attack = np.minimum(1.0, t / 0.01)
    return (wave * attack * np.exp(-t * decay)).astype(np.float32)


def generate_theme(show: str, *, seconds: float = 7.0, rate: int = MASTER_RATE) -> Audio:
    """A few bars of soft pad and plucked arpeggio, faded in and out."""
    rng = np.random.default_rng(_seed(show))
    root = int(rng.integers(-9, -2))  # semitones from A4: F#3..C#4 keeps it warm
    progression = PROGRESSIONS[int(rng.integers(len(PROGRESSIONS)))]
    bar_s = seconds / len(progression)
    n = int(seconds * rate)
    out = np.zeros(n + rate, dtype=np.float32)
    pattern = rng.permutation([0, 1, 2, 1, 2, 0, 2, 1])
    for bar, degree in enumerate(progression):
        chord = [MAJOR_SCALE[(degree + k) % 7] + 12 * ((degree + k) // 7) for k in (0, 2, 4)]
        start = int(bar * bar_s * rate)
        for note in chord:  # pad: long, soft
            pad = _tone(_note_hz(root + note - 12), bar_s * 1.1, rate, decay=0.8, harmonics=2)
            out[start:start + len(pad)] += 0.10 * pad
        step = bar_s / len(pattern)
        for i, which in enumerate(pattern):  # arpeggio: short plucks an octave up
            pluck = _tone(_note_hz(root + chord[which]), step * 3, rate, decay=5.0)
            s = start + int(i * step * rate)
            out[s:s + len(pluck)] += 0.12 * pluck
    out = out[:n]
    fade = int(0.4 * rate)
    out[:fade] *= np.linspace(0, 1, fade, dtype=np.float32)
    tail = int(1.5 * rate)
    out[-tail:] *= np.linspace(1, 0, tail, dtype=np.float32) ** 2
    out /= max(1e-6, float(np.abs(out).max())) / 0.5
    return Audio(out, rate)
