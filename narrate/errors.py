"""Exceptions raised by narrate. The CLI turns each into one line on stderr and a non-zero exit."""

from __future__ import annotations


class NarrateError(Exception):
    """Base class for every error narrate reports to a user."""


class InputError(NarrateError):
    """A story file is missing, empty, binary or not text."""


class ScriptError(NarrateError):
    """A script or characters file is malformed."""


class EngineError(NarrateError):
    """A TTS engine is unknown, unavailable or failed to synthesise."""


class VoiceError(NarrateError):
    """A voice id is unknown or cannot be used here."""


class AudioError(NarrateError):
    """Decoding, mixing or encoding audio failed (carries the ffmpeg command and stderr)."""


class FeedError(NarrateError):
    """The podcast feed or an episode to publish is invalid."""


class ConfigError(NarrateError):
    """A show config, cast or lexicon file is invalid."""
