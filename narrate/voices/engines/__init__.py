"""TTS engines behind one interface; see :mod:`narrate.voices.engines.base`."""

from narrate.voices.engines.base import Engine, Voice, engine_names, get_engine, register_engine

__all__ = ["Engine", "Voice", "engine_names", "get_engine", "register_engine"]
