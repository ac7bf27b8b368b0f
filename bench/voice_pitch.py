"""Median pitch (F0) of each installed Kokoro English style on one sentence: the figures in
narrate/voices/catalog.py that casting uses for "a low rumble" / "a thin voice".

    .venv/bin/python bench/voice_pitch.py
"""

from __future__ import annotations

import numpy as np

from narrate.voices.install import installed_styles
from narrate.voices.voicing import speak

SENTENCE = ("The old clock in the hall struck nine, and somewhere far below the window a "
            "dog barked twice at the passing train.")


def median_f0(samples: np.ndarray, rate: int) -> float:
    """Median F0 of the voiced 40 ms frames, by autocorrelation (60-400 Hz)."""
    frame = int(0.04 * rate)
    lo, hi = rate // 400, rate // 60
    found = []
    for start in range(0, len(samples) - frame, frame // 2):
        x = samples[start:start + frame].astype(np.float64)
        x = x - x.mean()
        if np.sqrt(np.mean(x * x)) < 0.02:
            continue
        ac = np.correlate(x, x, "full")[frame - 1:]
        lag = lo + int(np.argmax(ac[lo:hi]))
        if ac[lag] > 0.5 * ac[0]:
            found.append(rate / lag)
    return float(np.median(found)) if found else 0.0


def main() -> None:
    for name in installed_styles():
        audio = speak(f"kokoro:{name}", SENTENCE)
        print(f"{name:<12} {median_f0(audio.samples, audio.sample_rate):6.0f} Hz", flush=True)


if __name__ == "__main__":
    main()
