"""Export: the mastered mix to an MP3 file, written atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from narrate.audio import run_ffmpeg
from narrate.master import TRUE_PEAK_DBTP, AudioSegment

BITRATE = "96k"  # CBR mono: Apple's recommended range for spoken word


def encode_mp3(audio: AudioSegment, path: str | Path, *, bitrate: str = BITRATE) -> Path:
    """Encode mono CBR MP3 through a true-peak limiter; the file appears only when complete."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    limit = 10 ** ((TRUE_PEAK_DBTP - 0.5) / 20)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".mp3")
    os.close(fd)
    try:
        run_ffmpeg(["-y", "-f", "s16le", "-ar", str(audio.frame_rate), "-ac", "1", "-i", "-",
                    "-af", f"alimiter=limit={limit:.4f}:level=false:attack=1:release=50",
                    "-c:a", "libmp3lame", "-b:a", bitrate, "-ac", "1", tmp],
                   input_bytes=audio.raw_data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
