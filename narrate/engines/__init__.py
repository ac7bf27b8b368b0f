"""TTS engines behind one interface; see :mod:`narrate.engines.base`."""

from narrate.engines.base import Engine, Voice, engine_names, get_engine, register_engine

__all__ = ["Engine", "Voice", "engine_names", "get_engine", "register_engine"]
