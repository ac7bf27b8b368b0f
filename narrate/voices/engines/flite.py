"""flite (CMU Flite), offline, when the ``flite`` program is on PATH. Fast, clear, a little
robotic: castable by hand (``--voice``), not offered to characters automatically."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from narrate.script import Gender
from narrate.voices.engines.base import Voice
from narrate.voices.engines.program import (
    ProgramEngine,
    check_not_empty,
    run_program,
    wav_to_audio,
)

if TYPE_CHECKING:
    from narrate.audio.pcm import Audio

PROGRAM = "flite"
SAMPLE_RATE = 16_000  # Hz

_VOICES: dict[str, tuple[Gender, str, str]] = {
    "slt": (Gender.FEMALE, "en-US", "CMU Arctic slt: US female"),
    "rms": (Gender.MALE, "en-US", "CMU Arctic rms: US male"),
    "awb": (Gender.MALE, "en-GB-scotland", "CMU Arctic awb: Scottish male"),
    "kal16": (Gender.MALE, "en-US", "diphone kal16: US male, robotic"),
}


class FliteEngine(ProgramEngine):
    name = "flite"
    program = PROGRAM
    sample_rate = SAMPLE_RATE
    voice_table = _VOICES

    def synthesize(self, text: str, voice: Voice, *, speed: float = 1.0) -> Audio:
        what = f"flite ({voice.id})"
        with tempfile.TemporaryDirectory(prefix="narrate-flite-") as tmp:
            wav = Path(tmp) / "out.wav"
            txt = Path(tmp) / "in.txt"
            # text through a file: no argument-length limit, no leading "-" taken as an option
            txt.write_text(text, encoding="utf-8")
            run_program([PROGRAM, "-voice", voice.name, "--setf",
                         f"duration_stretch={1.0 / speed:.3f}", "-f", str(txt), "-o", str(wav)],
                        what=what)
            return check_not_empty(wav_to_audio(wav.read_bytes(), what=what), text, what=what)
