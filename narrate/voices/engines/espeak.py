"""espeak-ng, offline, when the ``espeak-ng`` program is on PATH. Formant synthesis: very fast
and robotic; many accents. Castable by hand, not offered to characters automatically."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from narrate.errors import VoiceError
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

PROGRAM = "espeak-ng"
SAMPLE_RATE = 22_050  # Hz
WORDS_PER_MINUTE = 165  # espeak's default 175 is hurried for stories

_VOICES: dict[str, tuple[Gender, str, str]] = {
    "en-us": (Gender.MALE, "en-US", "American English, male"),
    "en-us+f3": (Gender.FEMALE, "en-US", "American English, female"),
    "en-gb": (Gender.MALE, "en-GB", "British English, male"),
    "en-gb+f4": (Gender.FEMALE, "en-GB", "British English, female"),
    "en-gb-scotland": (Gender.MALE, "en-GB-scotland", "Scottish English, male"),
    "en-029+f2": (Gender.FEMALE, "en-029", "Caribbean English, female"),
}


class EspeakEngine(ProgramEngine):
    name = "espeak"
    program = PROGRAM
    sample_rate = SAMPLE_RATE
    voice_table = _VOICES
    supports_ipa = False

    def voice(self, name: str) -> Voice:
        try:
            return super().voice(name)
        except VoiceError:
            # any espeak-ng voice[+variant] name works; gender from a +fN/+mN variant
            if not all(c.isalnum() or c in "-+_" for c in name):
                raise
            gender = (Gender.FEMALE if "+f" in name else Gender.MALE if "+m" in name
                      else Gender.UNKNOWN)
            return Voice(id=f"espeak:{name}", engine=self.name, name=name, gender=gender,
                         language=name.split("+")[0], sample_rate=SAMPLE_RATE)

    def synthesize(self, text: str, voice: Voice, *, speed: float = 1.0) -> Audio:
        what = f"espeak-ng ({voice.id})"
        with tempfile.TemporaryDirectory(prefix="narrate-espeak-") as tmp:
            txt = Path(tmp) / "in.txt"
            wav = Path(tmp) / "out.wav"
            txt.write_text(text, encoding="utf-8")
            run_program([PROGRAM, "-v", voice.name, "-s", str(round(WORDS_PER_MINUTE * speed)),
                         "-f", str(txt), "-w", str(wav)], what=what)
            return check_not_empty(wav_to_audio(wav.read_bytes(), what=what), text, what=what)
