"""Registers the engines that ship with narrate (imported lazily by the registry)."""

from __future__ import annotations

from narrate.voices.engines.base import Engine, register_engine


def _piper() -> Engine:
    from narrate.voices.engines.piper import PiperEngine

    return PiperEngine()


def _kokoro() -> Engine:
    from narrate.voices.engines.kokoro import KokoroEngine

    return KokoroEngine()


def _gtts() -> Engine:
    from narrate.voices.engines.gtts import GttsEngine

    return GttsEngine()


def _flite() -> Engine:
    from narrate.voices.engines.flite import FliteEngine

    return FliteEngine()


def _espeak() -> Engine:
    from narrate.voices.engines.espeak import EspeakEngine

    return EspeakEngine()


def _tone() -> Engine:
    from narrate.voices.engines.silent import ToneEngine

    return ToneEngine()


BUILTINS = {"piper": _piper, "kokoro": _kokoro, "gtts": _gtts, "flite": _flite,
            "espeak": _espeak, "tone": _tone}


def register_builtins() -> None:
    for name, factory in BUILTINS.items():
        register_engine(name, factory)
