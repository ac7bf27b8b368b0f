"""Registers the engines that ship with narrate (imported lazily by the registry)."""

from __future__ import annotations

from narrate.engines.base import Engine, register_engine


def _piper() -> Engine:
    from narrate.engines.piper import PiperEngine

    return PiperEngine()


def _kokoro() -> Engine:
    from narrate.engines.kokoro import KokoroEngine

    return KokoroEngine()


def _gtts() -> Engine:
    from narrate.engines.gtts import GttsEngine

    return GttsEngine()


def _flite() -> Engine:
    from narrate.engines.flite import FliteEngine

    return FliteEngine()


def _espeak() -> Engine:
    from narrate.engines.espeak import EspeakEngine

    return EspeakEngine()


def _tone() -> Engine:
    from narrate.engines.silent import ToneEngine

    return ToneEngine()


BUILTINS = {"piper": _piper, "kokoro": _kokoro, "gtts": _gtts, "flite": _flite,
            "espeak": _espeak, "tone": _tone}


def register_builtins() -> None:
    for name, factory in BUILTINS.items():
        register_engine(name, factory)
