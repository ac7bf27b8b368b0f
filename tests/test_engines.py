"""Engine registry, availability and the command-line engines (flite, espeak-ng)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from narrate.audio.pcm import Audio
from narrate.errors import EngineError, VoiceError
from narrate.script import Gender
from narrate.voices.engines import Engine, Voice, engine_names, get_engine, register_engine
from narrate.voices.engines.espeak import EspeakEngine
from narrate.voices.engines.flite import FliteEngine

needs_flite = pytest.mark.skipif(not shutil.which("flite"), reason="flite not installed")
needs_espeak = pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng not installed")


def test_builtin_engines_are_registered() -> None:
    assert {"piper", "kokoro", "gtts", "flite", "espeak", "tone"} <= set(engine_names())


def test_unknown_engine_lists_the_known_ones() -> None:
    with pytest.raises(EngineError, match=r"unknown engine 'nope'.*kokoro.*piper"):
        get_engine("nope")


def test_third_party_engine_registers_through_the_same_hook() -> None:
    class Hum(Engine):
        name = "hum"

        def voices(self) -> list[Voice]:
            return [Voice(id="hum:a", engine="hum", name="a", gender=Gender.FEMALE)]

        def synthesize(self, text: str, voice: Voice, *, speed: float = 1.0) -> Audio:
            return Audio(np.full(100 * len(text), 0.1, np.float32), 16_000)

    register_engine("hum", Hum)
    try:
        from narrate.voices.voicing import speak

        assert len(speak("hum:a", "abc").samples) == 300
        assert "hum" in engine_names()
    finally:
        from narrate.voices.engines import base

        base._REGISTRY.pop("hum", None)
        base._INSTANCES.pop("hum", None)


def test_every_voice_carries_its_metadata() -> None:
    for name in ("piper", "kokoro", "flite", "espeak", "gtts"):
        engine = get_engine(name)
        if engine.availability():
            continue
        for v in engine.voices():
            assert v.id == f"{name}:{v.name}"
            assert v.engine == name and v.sample_rate > 0 and v.language
            assert v.offline is engine.offline


@pytest.mark.parametrize("engine", [FliteEngine(), EspeakEngine()])
def test_missing_program_is_reported_not_raised(engine: Engine,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    reason = engine.availability()
    assert reason is not None and "not available: program" in reason and "not on PATH" in reason
    with pytest.raises(EngineError, match="not on PATH"):
        engine.synthesize("hello", engine.voices()[0])


@needs_flite
def test_flite_speaks_at_its_rate_and_speed_changes_length() -> None:
    engine = get_engine("flite")
    voice = engine.voice("slt")
    normal = engine.synthesize("The quick brown fox jumps over the lazy dog.", voice)
    fast = engine.synthesize("The quick brown fox jumps over the lazy dog.", voice, speed=1.5)
    assert normal.sample_rate == 16_000
    assert 1500 < normal.duration_ms < 5000
    assert fast.duration_ms < normal.duration_ms * 0.8
    assert float(np.abs(normal.samples).max()) > 0.05


@needs_espeak
def test_espeak_speaks_and_accepts_any_variant_name() -> None:
    engine = get_engine("espeak")
    audio = engine.synthesize("Hello there, friend.", engine.voice("en-us+f3"))
    assert audio.sample_rate == 22_050 and audio.duration_ms > 500
    assert engine.voice("en-gb+m3").gender is Gender.MALE
    with pytest.raises(VoiceError):
        engine.voice("bad name;rm")


@needs_espeak
def test_text_starting_with_a_dash_is_spoken_not_parsed_as_an_option() -> None:
    engine = get_engine("espeak")
    audio = engine.synthesize("-v nothing here", engine.voice("en-us"))
    assert audio.duration_ms > 300


def test_unknown_voice_lists_what_exists() -> None:
    with pytest.raises(VoiceError, match=r"available: .*slt"):
        FliteEngine().voice("bob")
