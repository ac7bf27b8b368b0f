"""Registers the engines that ship with narrate (imported lazily by the registry)."""

from __future__ import annotations

from narrate.engines.base import Engine, register_engine


def _piper() -> Engine:
    from narrate.engines.piper import PiperEngine

    return PiperEngine()


def _kokoro() -> Engine:
    from narrate.engines.kokoro import KokoroEngine

    return KokoroEngine()


def _tone() -> Engine:
    from narrate.engines.silent import ToneEngine

    return ToneEngine()


def register_builtins() -> None:
    register_engine("piper", _piper)
    register_engine("kokoro", _kokoro)
    register_engine("tone", _tone)
