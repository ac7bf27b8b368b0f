"""Shared plumbing for engines that are command-line programs (flite, espeak-ng)."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from typing import TYPE_CHECKING, ClassVar

from narrate.errors import EngineError
from narrate.script import Gender
from narrate.voices.engines.base import Engine, Voice

if TYPE_CHECKING:
    from narrate.audio.pcm import Audio


def missing_program(program: str) -> str | None:
    """None when ``program`` is on PATH, else the reason an engine is not available."""
    if shutil.which(program):
        return None
    return f"not available: program {program} not on PATH (e.g. `apt-get install {program}`)"


def run_program(cmd: list[str], *, what: str) -> bytes:
    """Run ``cmd`` and return its stdout; EngineError with stderr when it fails."""
    exe = shutil.which(cmd[0])
    if not exe:
        raise EngineError(f"{what}: {missing_program(cmd[0])}")
    try:
        proc = subprocess.run([exe, *cmd[1:]], capture_output=True, check=False, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise EngineError(f"{what}: cannot run {cmd[0]}: {e}") from e
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise EngineError(f"{what}: {cmd[0]} exited {proc.returncode}: "
                          f"{err[-1] if err else 'no message'}")
    return proc.stdout


def wav_to_audio(data: bytes, *, what: str) -> Audio:
    """Decode 16-bit PCM WAV bytes to mono float Audio."""
    import numpy as np

    from narrate.audio.pcm import Audio, int16_to_float

    try:
        with wave.open(io.BytesIO(data)) as w:
            rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
            frames = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as e:
        # espeak-ng writes 0x7fffffff as the data size when streaming to stdout
        raise EngineError(f"{what}: output is not a WAV file: {e}") from e
    if width != 2:
        raise EngineError(f"{what}: expected 16-bit WAV, got {8 * width}-bit")
    samples = int16_to_float(frames)
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1).astype(np.float32)
    return Audio(samples, rate)


def check_not_empty(audio: Audio, text: str, *, what: str) -> Audio:
    if text.strip() and not len(audio.samples):
        raise EngineError(f"{what} produced no audio for {text[:40]!r}")
    return audio


class ProgramEngine(Engine):
    """An engine that runs a command-line program: usable when the program is on PATH, and
    versioned by what the program says of itself."""

    program: ClassVar[str]
    sample_rate: ClassVar[int]
    """Hz of what the program writes."""
    voice_table: ClassVar[dict[str, tuple[Gender, str, str]]]
    """Voice name -> (gender, language, description)."""

    def voices(self) -> list[Voice]:
        return [Voice(id=f"{self.name}:{n}", engine=self.name, name=n, gender=g, language=lang,
                      sample_rate=self.sample_rate, description=desc)
                for n, (g, lang, desc) in self.voice_table.items()]

    @property
    def version(self) -> str:
        if missing_program(self.program):
            return "missing"
        try:
            out = subprocess.run([self.program, "--version"], capture_output=True, text=True,
                                 check=False, timeout=10).stdout
        except (OSError, subprocess.TimeoutExpired):
            return "unknown"
        return out.strip().splitlines()[0] if out.strip() else "unknown"

    def availability(self) -> str | None:
        return missing_program(self.program)

