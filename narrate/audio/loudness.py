"""Loudness (ITU-R BS.1770 / EBU R128): a streaming meter for the mixer, ffmpeg's for files.

The mixer needs loudness while audio streams past (per voice, and for the whole programme), so
:class:`LoudnessMeter` keeps only a histogram of 400 ms block loudnesses: its memory does not grow
with the length of the episode. Finished files are measured by ffmpeg's ``ebur128`` filter, an
independent implementation (it and pyloudnorm agree within 0.1 LU), with true peak.
"""

from __future__ import annotations

import functools
import math
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narrate.audio.pcm import ffmpeg_exe
from narrate.errors import AudioError

BLOCK_S = 0.4  # gating block (BS.1770)
HOP_S = 0.1  # 75 % overlap
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
_BIN_LU = 0.05  # histogram resolution; the gate is exact to this
_BIN_LOW = ABSOLUTE_GATE_LUFS
_BINS = int((20.0 - _BIN_LOW) / _BIN_LU)


@dataclass(frozen=True)
class Loudness:
    """What a meter read on a whole file."""

    integrated_lufs: float
    true_peak_dbtp: float
    lra_lu: float = 0.0


def _biquad_high_shelf(rate: int) -> tuple[np.ndarray, np.ndarray]:
    # BS.1770 pre-filter, derived for any rate (coefficients as in pyloudnorm / libebur128).
    gain_db, q, fc = 3.999843853973347, 0.7071752369554196, 1681.974450955533
    k = math.tan(math.pi * fc / rate)
    vh = 10 ** (gain_db / 20)
    vb = vh ** 0.4996667741545416
    a0 = 1 + k / q + k * k
    b = np.array([(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0,
                  (vh - vb * k / q + k * k) / a0])
    a = np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    return b, a


def _biquad_high_pass(rate: int) -> tuple[np.ndarray, np.ndarray]:
    q, fc = 0.5003270373238773, 38.13547087602444
    k = math.tan(math.pi * fc / rate)
    a0 = 1 + k / q + k * k
    a = np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    return np.array([1.0, -2.0, 1.0]), a


class LoudnessMeter:
    """Integrated loudness of everything fed so far, in bounded memory.

    Feed contiguous mono float audio in any chunk sizes; blocks that span chunks are measured
    exactly as if the audio had come in one piece.
    """

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._state = np.zeros((2, 2))  # the two K-weighting sections' filter memory
        self._hop = round(HOP_S * rate)
        self._pending = np.zeros(0)  # squared K-weighted samples not yet in a full hop
        self._recent: list[float] = []  # sums of the last three hops
        self._energy = np.zeros(_BINS)  # summed mean-square per loudness bin
        self._count = np.zeros(_BINS, dtype=np.int64)
        self._seconds = 0.0
        self._sum_square = 0.0

    @property
    def energy(self) -> float:
        """Summed mean square of the blocks counted so far (above the absolute gate)."""
        return float(self._energy.sum())

    @property
    def seconds(self) -> float:
        return self._seconds

    def feed(self, samples: np.ndarray) -> None:
        # Imported here: scipy.signal takes ~0.5-1 s to import, and ``narrate render`` should
        # start its synthesis workers first (mastering, the first user, runs beside them).
        from scipy.signal import sosfilt

        x = np.asarray(samples, dtype=np.float64)
        if not len(x):
            return
        self._seconds += len(x) / self.rate
        # both K-weighting sections in one pass, as clip_blocks does; squares made once
        x, self._state = sosfilt(_k_weighting_sos(self.rate), x, zi=self._state)
        x *= x
        squared = np.concatenate([self._pending, x]) if len(self._pending) else x
        self._sum_square += float(np.sum(x))
        hops = len(squared) // self._hop
        self._pending = squared[hops * self._hop:]
        if not hops:
            return
        sums = _hop_sums(squared, self._hop, hops)
        window = np.concatenate([np.asarray(self._recent), sums])
        if len(window) >= 4:
            blocks = _block_means(window, self._hop)
            self._add_blocks(blocks)
        self._recent = list(window[-3:])

    def _add_blocks(self, mean_squares: np.ndarray) -> None:
        energy, count = _histogram(mean_squares)
        self._energy += energy
        self._count += count

    def add_blocks(self, mean_squares: np.ndarray) -> None:
        """Count gating blocks measured elsewhere (see :func:`clip_blocks`) as if fed."""
        self._add_blocks(mean_squares)
        self._seconds += HOP_S * len(mean_squares)
        self._sum_square += float(np.sum(mean_squares)) * HOP_S * self.rate

    def integrated(self) -> float:
        """Gated integrated loudness in LUFS; ``-inf`` for silence.

        Before the first full 400 ms block exists, the ungated mean square stands in, so even a
        very short clip gets a usable reading."""
        total = int(self._count.sum())
        if total == 0:
            if self._sum_square <= 0 or self._seconds <= 0:
                return -math.inf
            return -0.691 + 10 * math.log10(self._sum_square / (self._seconds * self.rate))
        return _gated(self._energy, self._count)

    def integrated_with(self, mean_squares: np.ndarray) -> float:
        """What :meth:`integrated` would read after ``add_blocks(mean_squares)``, without adding
        them: lets the mixer try gains on a clip without filtering it again."""
        energy, count = _histogram(mean_squares)
        if not count.any():
            return self.integrated()
        return _gated(self._energy + energy, self._count + count)


def _histogram(mean_squares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore"):
        lufs = -0.691 + 10 * np.log10(mean_squares)
    keep = lufs > ABSOLUTE_GATE_LUFS
    bins = np.clip(((lufs[keep] - _BIN_LOW) / _BIN_LU).astype(int), 0, _BINS - 1)
    return (np.bincount(bins, weights=mean_squares[keep], minlength=_BINS),
            np.bincount(bins, minlength=_BINS))


def _gated(energy: np.ndarray, count: np.ndarray) -> float:
    total = int(count.sum())
    if total == 0:
        return -math.inf
    gate = -0.691 + 10 * math.log10(energy.sum() / total) + RELATIVE_GATE_LU
    first = max(0, math.floor((gate - _BIN_LOW) / _BIN_LU))
    kept = int(count[first:].sum())
    if kept == 0:
        return -math.inf
    return -0.691 + 10 * math.log10(energy[first:].sum() / kept)


def clip_blocks(samples: np.ndarray, rate: int) -> np.ndarray:
    """K-weighted mean squares of a clip's gating blocks (400 ms every 100 ms), the clip measured
    on its own. A clip shorter than one block is one block of its whole length, so a short
    line still counts."""
    from scipy.signal import sosfilt

    x = np.asarray(samples, dtype=np.float64)
    if not len(x):
        return np.zeros(0)
    squared = sosfilt(_k_weighting_sos(rate), x) ** 2
    hop = round(HOP_S * rate)
    hops = len(squared) // hop
    if hops < 4:
        return np.array([squared.mean()])
    return _block_means(_hop_sums(squared, hop, hops), hop)


@functools.cache
def _k_weighting_sos(rate: int) -> np.ndarray:
    """The BS.1770 pre-filter and high-pass as second-order sections (one filter call)."""
    return np.array([np.concatenate([b, a]) for b, a in (_biquad_high_shelf(rate),
                                                          _biquad_high_pass(rate))])


def _hop_sums(squared: np.ndarray, hop: int, hops: int) -> np.ndarray:
    return squared[:hops * hop].reshape(hops, hop).sum(axis=1)


def _block_means(hop_sums: np.ndarray, hop: int) -> np.ndarray:
    """Mean square of each 400 ms block (four hops) from consecutive hop sums."""
    return np.convolve(hop_sums, np.ones(4), mode="valid") / (4 * hop)


def measure_samples(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness of one clip (LUFS)."""
    meter = LoudnessMeter(rate)
    meter.feed(samples)
    return meter.integrated()


_SUMMARY = re.compile(
    r"I:\s+(-?[\d.]+|-inf) LUFS.*?LRA:\s+(-?[\d.]+) LU.*?Peak:\s+(-?[\d.]+|-inf) dBFS", re.S)


def ffmpeg_stderr(args: list[str]) -> str:
    """Run ffmpeg at info level (meters print there) and return its stderr."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", *args]
    try:
        proc = subprocess.run(cmd, capture_output=True, check=False)
    except OSError as e:
        raise AudioError(f"cannot run ffmpeg: {e}") from e
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        last = err.strip().splitlines()[-1:] or ["no output"]
        raise AudioError(f"ffmpeg failed ({' '.join(cmd[1:])}): {last[0]}")
    return err


def parse_summary(text: str) -> Loudness:
    """The first ebur128 summary in ``text``."""
    found = _SUMMARY.search(text)
    if not found:
        raise AudioError("ffmpeg printed no loudness summary")
    return Loudness(integrated_lufs=float(found.group(1)), true_peak_dbtp=float(found.group(3)),
                    lra_lu=float(found.group(2)))


def measure_file(path: str | Path, *, raw_rate: int | None = None) -> Loudness:
    """Measure a file with ffmpeg's ``ebur128`` (true peak by 4x oversampling).

    ``raw_rate`` reads headerless mono s16le PCM at that rate (the mixer's temp file)."""
    path = Path(path)
    if not path.is_file():
        raise AudioError(f"no audio file at {path}")
    fmt = ["-f", "s16le", "-ar", str(raw_rate), "-ac", "1"] if raw_rate else []
    err = ffmpeg_stderr([*fmt, "-i", str(path), "-map", "0:a:0",
                         "-af", "ebur128=peak=true:framelog=quiet", "-f", "null", "-"])
    if "Summary:" not in err:
        raise AudioError(f"cannot measure loudness of {path}: no summary from ffmpeg")
    return parse_summary(err[err.rfind("Summary:"):])
