"""The one small interface every TTS engine implements, and the registry that finds them.

Built-in engines register through the same entry-point group as third-party ones
(``narrate.voices.engines`` in a package's metadata), so a plugin is a first-class engine.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from narrate.errors import EngineError, VoiceError
from narrate.script import Gender

if TYPE_CHECKING:  # narrate.audio.pcm imports numpy: too slow for `narrate script`
    from narrate.audio.pcm import Audio

_LOGGER = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "narrate.engines"


@dataclass(frozen=True)
class Voice:
    """A voice an engine can speak with."""

    id: str
    """Globally unique, ``engine:name`` (e.g. ``piper:joe``, ``kokoro:jf_alpha``)."""
    engine: str
    name: str
    """The engine's own name for the voice."""
    gender: Gender = Gender.UNKNOWN
    language: str = "en-US"
    """BCP 47 language and accent."""
    sample_rate: int = 22_050
    """Hz of the engine's native output."""
    offline: bool = True
    description: str = ""
    age: str = "adult"
    """"adult" or "child"."""


class Engine(ABC):
    """A text-to-speech engine. Instances are cheap; heavy models load lazily, once."""

    name: ClassVar[str]
    """Registry key and the prefix of its voice ids."""
    offline: ClassVar[bool] = True
    listed: ClassVar[bool] = True
    """False for test engines that `narrate voices` and casting leave out."""
    supports_ipa: ClassVar[bool] = False
    """True when ``synthesize`` understands inline IPA as ``[[ phonemes ]]`` (lexicon entries)."""

    @property
    def version(self) -> str:
        """Changes whenever the same text may sound different (part of the cache key)."""
        return "1"

    def availability(self) -> str | None:
        """None when usable here; else a one-line reason (missing package, program...).

        Must stay cheap (no model loads, no network): ``narrate script`` and ``narrate voices``
        call it for every engine."""
        return None

    @abstractmethod
    def voices(self) -> list[Voice]:
        """Every voice this engine offers on this machine."""

    @abstractmethod
    def synthesize(self, text: str, voice: Voice, *, speed: float = 1.0) -> Audio:
        """Speak ``text`` with ``voice``; raise EngineError on failure, never return empty audio
        for non-empty text."""

    def reachable(self) -> str | None:
        """None when the engine can work right now; online engines probe their service (may
        take a few seconds) and return why not."""
        return None

    def voice_fingerprint(self, voice: Voice) -> str:
        """Everything that changes how ``voice`` sounds (model files included)."""
        return f"{voice.id}|{self.version}|{voice.sample_rate}"

    def unavailable_voices(self) -> list[tuple[str, str]]:
        """(voice id, reason) for voices this engine knows of but cannot use here."""
        return []

    def voice(self, name: str) -> Voice:
        for v in self.voices():
            if v.name == name or v.id == name:
                return v
        names = ", ".join(v.name for v in self.voices()) or "none"
        raise VoiceError(f"unknown voice {name!r} for engine {self.name}; available: {names}")


EngineFactory = Callable[[], Engine]
_REGISTRY: dict[str, EngineFactory] = {}
_INSTANCES: dict[str, Engine] = {}
_LOADED_ENTRY_POINTS = False


def register_engine(name: str, factory: EngineFactory) -> None:
    """Make an engine available under ``name`` (later registrations replace earlier ones)."""
    _REGISTRY[name] = factory
    _INSTANCES.pop(name, None)


_LOADED_BUILTINS = False


def _load_builtins() -> None:
    global _LOADED_BUILTINS
    if not _LOADED_BUILTINS:
        _LOADED_BUILTINS = True
        from narrate.voices.engines import builtin

        builtin.register_builtins()


def _load_entry_points() -> None:
    global _LOADED_ENTRY_POINTS
    if _LOADED_ENTRY_POINTS:
        return
    _LOADED_ENTRY_POINTS = True
    _load_builtins()
    from importlib.metadata import entry_points  # ~15 ms: only when a plugin may be needed

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in _REGISTRY and ep.value.startswith("narrate."):
            continue
        try:
            factory = ep.load()
        except Exception as e:  # a broken plugin must not break narrate
            _LOGGER.warning("engine plugin %s failed to load: %s", ep.name, e)
            continue
        register_engine(ep.name, factory)


def engine_names() -> list[str]:
    _load_entry_points()
    return sorted(_REGISTRY)


def get_engine(name: str) -> Engine:
    """The engine registered as ``name`` (one shared instance per process)."""
    _load_builtins()
    if name not in _REGISTRY:  # scanning installed packages costs ~15 ms: only when needed
        _load_entry_points()
    if name not in _REGISTRY:
        raise EngineError(f"unknown engine {name!r}; available: {', '.join(sorted(_REGISTRY))}")
    if name not in _INSTANCES:
        _INSTANCES[name] = _REGISTRY[name]()
    return _INSTANCES[name]


def split_voice_id(voice_id: str) -> tuple[str, str]:
    engine, sep, name = voice_id.partition(":")
    if not sep or not engine or not name:
        raise VoiceError(f"bad voice id {voice_id!r}: expected ENGINE:VOICE, e.g. piper:joe; "
                         "run `narrate voices`")
    return engine, name
