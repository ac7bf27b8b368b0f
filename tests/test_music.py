import numpy as np

from narrate.audio.music import PEAK, generate_theme, theme_style
from narrate.audio.pcm import MASTER_RATE


def test_same_show_same_music():
    a = generate_theme("Night Tales", seconds=5.0)
    b = generate_theme("Night Tales", seconds=5.0)
    assert np.array_equal(a.samples, b.samples)


def test_different_shows_differ():
    a = generate_theme("Night Tales", seconds=5.0).samples
    b = generate_theme("Morning Papers", seconds=5.0).samples
    assert theme_style("Night Tales") != theme_style("Morning Papers")
    assert not np.allclose(a, b)


def test_length_level_and_fades():
    theme = generate_theme("Show", seconds=6.5)
    x = theme.samples
    assert theme.sample_rate == MASTER_RATE
    assert len(x) == int(6.5 * MASTER_RATE)
    assert np.abs(x).max() == np.float32(PEAK) or abs(np.abs(x).max() - PEAK) < 1e-4
    assert np.abs(x[:100]).max() < 0.01  # fades in from nothing: no click
    assert np.abs(x[-100:]).max() < 0.01  # and out to nothing
    middle = x[len(x) // 3: 2 * len(x) // 3]
    assert np.sqrt(np.mean(middle**2)) > 0.05  # actually music in between


def test_longer_theme_keeps_the_opening_bars():
    short = generate_theme("Show", seconds=6.0).samples
    long = generate_theme("Show", seconds=12.0).samples
    # Same key and progression: the first seconds (before any fade) share their spectrum.
    n = 2 * MASTER_RATE
    a, b = np.abs(np.fft.rfft(short[:n])), np.abs(np.fft.rfft(long[:n]))
    assert np.corrcoef(a, b)[0, 1] > 0.9
