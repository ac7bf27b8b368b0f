"""Audio values passed between stages, and the few conversions every stage needs.

Inside narrate audio is mono float32 in [-1, 1] at a known rate; durations are in milliseconds.
Everything that reaches the mixer is first brought to ``MASTER_RATE`` so pydub never has to guess.
"""

from __future__ import annotations

import shutil
import subprocess
import warnings
from dataclasses import dataclass
from math import gcd
from pathlib import Path
from typing import Any

import numpy as np

from narrate.errors import AudioError

MASTER_RATE = 44_100  # Hz: Apple's recommended rate for podcast MP3
SAMPLE_WIDTH = 2  # bytes: int16 PCM into pydub and the encoder


@dataclass(frozen=True)
class Audio:
    """Mono PCM samples with their rate."""

    samples: np.ndarray
    """float32, mono, nominally in [-1, 1]."""
    sample_rate: int
    """Hz."""

    @property
    def duration_ms(self) -> float:
        return 1000.0 * len(self.samples) / self.sample_rate

    def resampled(self, rate: int) -> Audio:
        return Audio(resample(self.samples, self.sample_rate, rate), rate)

    def to_int16_bytes(self) -> bytes:
        return float_to_int16(self.samples).tobytes()


def resample(samples: np.ndarray, src_rate: int, dst_rate: int) -> np.ndarray:
    """Polyphase resampling (band-limited, so no aliasing hiss on voices)."""
    samples = np.asarray(samples, dtype=np.float32)
    if src_rate == dst_rate or len(samples) == 0:
        return samples
    from scipy.signal import resample_poly

    g = gcd(src_rate, dst_rate)
    return resample_poly(samples, dst_rate // g, src_rate // g).astype(np.float32)


def float_to_int16(samples: np.ndarray) -> np.ndarray:
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")


def int16_to_float(data: bytes | np.ndarray) -> np.ndarray:
    arr = np.frombuffer(data, dtype="<i2") if isinstance(data, bytes | bytearray) else data
    return arr.astype(np.float32) / 32768.0


def ffmpeg_exe() -> str:
    """The ffmpeg binary: one on PATH, else the static build shipped by imageio-ffmpeg."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg
    except ImportError as e:  # pragma: no cover - a default dependency
        raise AudioError("ffmpeg not found; install it or `pip install imageio-ffmpeg`") from e
    return str(imageio_ffmpeg.get_ffmpeg_exe())


def run_ffmpeg(args: list[str], *, input_bytes: bytes | None = None) -> bytes:
    """Run ffmpeg quietly; raise AudioError with the command and stderr when it fails."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", *args]
    try:
        proc = subprocess.run(cmd, input=input_bytes, capture_output=True, check=False)
    except OSError as e:
        raise AudioError(f"cannot run ffmpeg: {e}") from e
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AudioError(f"ffmpeg failed ({' '.join(cmd[1:])}): {err[-1] if err else 'no output'}")
    return proc.stdout


def pydub_segment_class() -> Any:
    """pydub's AudioSegment, told where ffmpeg is (pydub warns at import when none is on PATH)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        from pydub import AudioSegment
    AudioSegment.converter = ffmpeg_exe()
    return AudioSegment


def decode(path: str | Path, *, rate: int = MASTER_RATE) -> Audio:
    """Decode any file ffmpeg reads (MP3, WAV...) to mono float32 at ``rate``."""
    path = Path(path)
    if not path.is_file():
        raise AudioError(f"no audio file at {path}")
    raw = run_ffmpeg(["-i", str(path), "-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1",
                      "-ar", str(rate), "-"])
    return Audio(int16_to_float(raw), rate)


def verify_mp3(path: str | Path, *, seconds: float | None = None) -> None:
    """Raise AudioError unless ``path`` is MPEG layer III audio that ffmpeg decodes without an
    error (the first ``seconds`` of it, or all). Any file named .mp3 otherwise passes for one:
    mutagen finds "frames" in a program binary, and ffmpeg guesses MPEG layer I and plays noise."""
    from mutagen import MutagenError
    from mutagen.mp3 import MP3

    path = Path(path)
    try:
        layer = MP3(path).info.layer  # type: ignore[union-attr,attr-defined]
    except (MutagenError, OSError) as e:
        raise AudioError(f"{path.name} is not MP3 audio ({e})") from e
    if layer != 3:
        raise AudioError(f"{path.name} is not MP3 audio (MPEG layer {layer} frames, if any)")
    limit = ["-t", str(seconds)] if seconds else []
    try:
        run_ffmpeg(["-xerror", "-i", str(path), *limit, "-map", "0:a:0", "-f", "null", "-"])
    except AudioError as e:
        reason = str(e).rsplit(": ", 1)[-1]
        raise AudioError(f"{path.name} is not MP3 audio that decodes ({reason})") from e
