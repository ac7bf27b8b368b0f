import math

import numpy as np
import pyloudnorm
import pytest

from narrate.audio.loudness import LoudnessMeter, clip_blocks, measure_file, measure_samples
from narrate.audio.pcm import float_to_int16, int16_to_float
from narrate.errors import AudioError


def _speechlike(rate: int, seconds: float = 8.0, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = int(rate * seconds)
    envelope = np.repeat(rng.uniform(0.0, 0.3, int(seconds * 5)), rate // 5)[:n]
    return (rng.standard_normal(n) * envelope).astype(np.float32)


@pytest.mark.parametrize("rate", [44_100, 16_000, 24_000])
def test_meter_agrees_with_pyloudnorm(rate):
    x = _speechlike(rate)
    reference = pyloudnorm.Meter(rate).integrated_loudness(x.astype(np.float64))
    assert abs(measure_samples(x, rate) - reference) < 0.2


def test_chunked_feed_equals_one_piece():
    x = _speechlike(44_100, seed=3)
    meter = LoudnessMeter(44_100)
    for chunk in np.array_split(x, 57):
        meter.feed(chunk)
    assert meter.integrated() == pytest.approx(measure_samples(x, 44_100), abs=1e-6)


def test_gain_moves_loudness_by_the_same_db():
    x = _speechlike(44_100, seed=5)
    assert measure_samples(x * 0.5, 44_100) == pytest.approx(measure_samples(x, 44_100)
                                                             - 6.0206, abs=0.06)


def test_silence_and_short_clips():
    assert measure_samples(np.zeros(44_100, np.float32), 44_100) == -math.inf
    short = (0.3 * np.sin(np.arange(4410) / 44_100 * 2 * np.pi * 440)).astype(np.float32)
    assert math.isfinite(measure_samples(short, 44_100))  # 100 ms: no full block, still a value


def test_measure_file_raw_pcm_matches_meter(tmp_path):
    x = _speechlike(44_100, seed=7)
    raw = tmp_path / "x.raw"
    raw.write_bytes(float_to_int16(x).tobytes())
    got = measure_file(raw, raw_rate=44_100)
    assert got.integrated_lufs == pytest.approx(
        measure_samples(int16_to_float(float_to_int16(x)), 44_100), abs=0.1)
    assert got.true_peak_dbtp > 20 * np.log10(np.abs(x).max()) - 0.1


def test_measure_file_missing(tmp_path):
    with pytest.raises(AudioError, match="no audio file"):
        measure_file(tmp_path / "nope.mp3")


def test_clip_blocks_meter_like_a_feed():
    # Clips metered on their own and counted as blocks read what feeding them reads, but for
    # the blocks that straddle two clips when they are fed back to back.
    clips = [_speechlike(44_100, seconds=s, seed=i) for i, s in enumerate((3.0, 0.2, 5.0, 1.0))]
    fed, counted = LoudnessMeter(44_100), LoudnessMeter(44_100)
    for clip in clips:
        fed.feed(clip)
        counted.add_blocks(clip_blocks(clip, 44_100))
    assert counted.integrated() == pytest.approx(fed.integrated(), abs=0.25)
    assert len(clip_blocks(clips[1], 44_100)) == 1  # shorter than a block: still counted


def test_integrated_with_predicts_without_adding():
    meter = LoudnessMeter(44_100)
    meter.feed(_speechlike(44_100, seed=7))
    before = meter.integrated()
    louder = clip_blocks(_speechlike(44_100, seed=8) * 3.0, 44_100)
    predicted = meter.integrated_with(louder)
    assert predicted > before + 1.0
    assert meter.integrated() == before  # nothing was added
    meter.add_blocks(louder)
    assert meter.integrated() == pytest.approx(predicted, abs=1e-9)
