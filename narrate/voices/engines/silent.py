"""A test engine that is exact and instant: a tone whose length is proportional to the text.

Each voice hums at its own pitch so tests can tell voices apart by frequency; durations are
exactly ``MS_PER_CHAR`` per character, which keeps pipeline tests exact and fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from narrate.errors import EngineError
from narrate.script import Gender
from narrate.voices.engines.base import Engine, Voice

if TYPE_CHECKING:
    from narrate.audio.pcm import Audio

SAMPLE_RATE = 16_000  # Hz
MS_PER_CHAR = 10
_VOICES = {"low": (Gender.MALE, 110.0), "mid": (Gender.FEMALE, 220.0),
           "high": (Gender.FEMALE, 330.0), "deep": (Gender.MALE, 90.0),
           "child": (Gender.UNKNOWN, 440.0)}


class ToneEngine(Engine):
    name = "tone"
    listed = False

    def voices(self) -> list[Voice]:
        return [Voice(id=f"tone:{n}", engine=self.name, name=n, gender=g, sample_rate=SAMPLE_RATE,
                      description=f"{hz:.0f} Hz test tone",
                      age="child" if n == "child" else "adult")
                for n, (g, hz) in _VOICES.items()]

    def frequency(self, voice: Voice) -> float:
        return _VOICES[voice.name][1]

    def synthesize(self, text: str, voice: Voice, *, speed: float = 1.0) -> Audio:
        import numpy as np

        from narrate.audio.pcm import Audio

        if voice.name not in _VOICES:
            raise EngineError(f"tone engine has no voice {voice.name}")
        n = int(len(text.strip()) * MS_PER_CHAR * SAMPLE_RATE / 1000 / speed)
        t = np.arange(n, dtype=np.float32) / SAMPLE_RATE
        return Audio((0.3 * np.sin(2 * np.pi * self.frequency(voice) * t)).astype(np.float32),
                     SAMPLE_RATE)
