"""Voice variants: the id grammar and what the processing does to audio."""

from __future__ import annotations

import numpy as np
import pytest

from narrate.audio.pcm import Audio
from narrate.errors import VoiceError
from narrate.voices.engines.variants import Variant, apply_variant, split_variant

RATE = 16_000


def _tone(hz: float, seconds: float = 1.0) -> Audio:
    t = np.arange(int(RATE * seconds)) / RATE
    return Audio((0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32), RATE)


def _peak_hz(audio: Audio) -> float:
    spectrum = np.abs(np.fft.rfft(audio.samples * np.hanning(len(audio.samples))))
    return float(np.fft.rfftfreq(len(audio.samples), 1 / audio.sample_rate)[spectrum.argmax()])


def _rms(audio: Audio) -> float:
    return float(np.sqrt(np.mean(audio.samples.astype(np.float64) ** 2)))


@pytest.mark.parametrize(("voice_id", "base", "variant"), [
    ("kokoro:jm_kumo", "kokoro:jm_kumo", Variant()),
    ("kokoro:jm_kumo@pitch=-2", "kokoro:jm_kumo", Variant(pitch=-2)),
    ("piper:joe@tempo=0.9,timbre=warm", "piper:joe", Variant(tempo=0.9, timbre="warm")),
    ("x:y@ pitch = 1.5 , timbre=dark", "x:y", Variant(pitch=1.5, timbre="dark")),
])
def test_split_variant(voice_id: str, base: str, variant: Variant) -> None:
    assert split_variant(voice_id) == (base, variant)


def test_canonical_id_round_trips() -> None:
    v = Variant(pitch=-3, tempo=1.06, timbre="warm")
    assert v.apply_to("kokoro:jm_kumo") == "kokoro:jm_kumo@pitch=-3,tempo=1.06,timbre=warm"
    assert split_variant(v.apply_to("kokoro:jm_kumo")) == ("kokoro:jm_kumo", v)
    assert Variant().apply_to("piper:joe") == "piper:joe"


@pytest.mark.parametrize("bad", ["a:b@pitch", "a:b@loud=3", "a:b@pitch=x", "a:b@pitch=9",
                                 "a:b@tempo=3", "a:b@timbre=shiny", "a:b@pitch=1,pitch=2"])
def test_bad_variants_say_what_is_allowed(bad: str) -> None:
    with pytest.raises(VoiceError):
        split_variant(bad)


def test_pitch_shift_moves_pitch_keeps_duration_and_level() -> None:
    tone = _tone(200.0)
    up = apply_variant(tone, Variant(pitch=5))
    down = apply_variant(tone, Variant(pitch=-3))
    assert _peak_hz(up) == pytest.approx(200 * 2 ** (5 / 12), rel=0.03)
    assert _peak_hz(down) == pytest.approx(200 * 2 ** (-3 / 12), rel=0.03)
    for shifted in (up, down):
        assert shifted.duration_ms == pytest.approx(tone.duration_ms, abs=30)
        assert _rms(shifted) == pytest.approx(_rms(tone), rel=0.05)


def test_timbre_changes_the_spectrum_not_the_level() -> None:
    mix = Audio(_tone(150).samples + _tone(4000).samples, RATE)
    warm = apply_variant(mix, Variant(timbre="warm"))
    spectrum = np.abs(np.fft.rfft(warm.samples))
    freqs = np.fft.rfftfreq(len(warm.samples), 1 / RATE)
    low = spectrum[np.abs(freqs - 150) < 5].max()
    high = spectrum[np.abs(freqs - 4000) < 5].max()
    assert low > 1.5 * high
    assert _rms(warm) == pytest.approx(_rms(mix), rel=0.05)


def test_identity_and_empty_audio_pass_through() -> None:
    tone = _tone(100)
    assert apply_variant(tone, Variant()) is tone
    empty = Audio(np.zeros(0, np.float32), RATE)
    assert apply_variant(empty, Variant(pitch=2)) is empty
