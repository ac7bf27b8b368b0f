"""Speaking text with a voice id: resolution, the engine call, and what identifies the sound.

The render stage and its cache use only these two functions, so new engines, user voices and
voice variants need no change there.
"""

from __future__ import annotations

from narrate.audio import Audio
from narrate.casting import resolve_voice
from narrate.engines.base import get_engine


def speak(voice_id: str, text: str, *, speed: float = 1.0) -> Audio:
    """Synthesise ``text`` with the voice ``voice_id`` (any sample rate)."""
    voice = resolve_voice(voice_id)
    return get_engine(voice.engine).synthesize(text, voice, speed=speed)


def voice_fingerprint(voice_id: str) -> str:
    """Everything that changes how ``voice_id`` sounds: part of a cache key."""
    voice = resolve_voice(voice_id)
    return f"{voice.id}|{get_engine(voice.engine).version}|{voice.sample_rate}"
