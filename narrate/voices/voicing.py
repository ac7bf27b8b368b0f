"""Speaking text with a voice id: resolution, the engine call, and what identifies the sound.

The render stage and its cache use only ``speak`` and ``voice_fingerprint``, so new engines,
user voices, presets (``preset:NAME``) and variants (``BASE@pitch=..,tempo=..,timbre=..``) need
no change there.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from narrate.errors import VoiceError
from narrate.voices.engines.base import Engine, Voice, get_engine, split_voice_id
from narrate.voices.engines.variants import VARIANT_VERSION, Variant, apply_variant, split_variant

if TYPE_CHECKING:
    from narrate.audio.pcm import Audio

PRESET_ENGINE = "preset"


def expand_voice_id(voice_id: str) -> str:
    """Presets become the variant they stand for; every other id is returned as is."""
    voice_id = voice_id.strip()
    if voice_id.startswith(f"{PRESET_ENGINE}:"):
        from narrate.voices.config import load_voice_config

        name = voice_id.split(":", 1)[1]
        presets = load_voice_config().presets
        if name not in presets:
            raise VoiceError(f"unknown preset {name!r}; defined: {', '.join(presets) or 'none'} "
                             "(presets live in the voices folder, see docs/voices.md)")
        expanded = presets[name].variant_id()
        if expanded.startswith(f"{PRESET_ENGINE}:"):
            raise VoiceError(f"preset {name!r} is based on another preset; use an engine voice")
        return expanded
    return voice_id


def _base(voice_id: str) -> tuple[Engine, Voice, Variant]:
    base_id, variant = split_variant(expand_voice_id(voice_id))
    engine_name, name = split_voice_id(base_id)
    engine = get_engine(engine_name)
    reason = engine.availability()
    if reason:
        raise VoiceError(f"voice {voice_id} is not usable here: {reason}")
    return engine, engine.voice(name), variant


def resolve_voice(voice_id: str) -> Voice:
    """The Voice for an id (plain, variant or preset), with an error that lists what exists."""
    _, voice, variant = _base(voice_id)
    if voice_id.startswith(f"{PRESET_ENGINE}:"):
        from narrate.voices.config import load_voice_config

        preset = load_voice_config().presets[voice_id.split(":", 1)[1]]
        return replace(voice, id=voice_id, gender=preset.gender or voice.gender,
                       description=preset.description or variant.describe() or voice.description)
    if variant.is_identity:
        return voice
    return replace(voice, id=voice_id, description=f"{voice.description}; {variant.describe()}")


def speak(voice_id: str, text: str, *, speed: float = 1.0) -> Audio:
    """Synthesise ``text`` with the voice ``voice_id`` (any sample rate)."""
    engine, voice, variant = _base(voice_id)
    audio = engine.synthesize(text, voice, speed=speed * variant.tempo)
    return apply_variant(audio, variant)


def voice_fingerprint(voice_id: str) -> str:
    """Everything that changes how ``voice_id`` sounds: part of a cache key."""
    engine, voice, variant = _base(voice_id)
    fingerprint = engine.voice_fingerprint(voice)
    if not variant.is_identity:
        fingerprint += f"|variant {VARIANT_VERSION}:{variant.suffix()}"
    return fingerprint


def engine_supports_ipa(voice_id: str) -> bool:
    """Whether the voice's engine reads inline ``[[ ipa ]]`` (cheap: no model load)."""
    base_id, _ = split_variant(expand_voice_id(voice_id))
    return get_engine(split_voice_id(base_id)[0]).supports_ipa


SAMPLE_TEXT = ("Hello! This is {name}. The quick brown fox jumps over the lazy dog, "
               "and the story goes on.")
SAMPLE_FORMATS = {".mp3": ["-c:a", "libmp3lame", "-b:a", "96k"], ".wav": ["-c:a", "pcm_s16le"],
                  ".ogg": ["-c:a", "libvorbis"], ".flac": ["-c:a", "flac"]}


def speak_sample(voice_id: str, path: str | Path, *, text: str | None = None) -> Path:
    """Speak a short sample with ``voice_id`` into ``path`` (.mp3, .wav, .ogg or .flac). The
    file appears only when complete: a failed engine leaves nothing behind."""
    from narrate.audio.pcm import float_to_int16, run_ffmpeg
    from narrate.files import atomic_write_bytes

    path = Path(path)
    codec = SAMPLE_FORMATS.get(path.suffix.lower())
    if codec is None:
        raise VoiceError(f"cannot write a sample as {path.name!r}: use one of "
                         f"{', '.join(SAMPLE_FORMATS)}")
    voice = resolve_voice(voice_id)
    audio = speak(voice_id, text or SAMPLE_TEXT.format(name=voice.id))
    data = run_ffmpeg(["-f", "s16le", "-ar", str(audio.sample_rate), "-ac", "1", "-i", "pipe:0",
                       *codec, "-f", path.suffix.lower().lstrip("."), "pipe:1"],
                      input_bytes=float_to_int16(audio.samples).tobytes())
    if not data:
        raise VoiceError(f"encoding the sample of {voice_id} produced no data")
    atomic_write_bytes(path, data)
    return path
