"""Casting: the narrator and one voice per speaking character."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from narrate.engines.base import Voice, get_engine, split_voice_id
from narrate.errors import VoiceError
from narrate.script import NARRATOR, Gender, Script, SegmentKind

_LOGGER = logging.getLogger(__name__)

DEFAULT_NARRATOR = "piper:joe"
CHARACTER_ENGINES = ("kokoro",)
"""Engines whose voices are offered to characters, in order of preference."""


@dataclass(frozen=True)
class Cast:
    """Who speaks with which voice."""

    narrator: str = DEFAULT_NARRATOR
    roles: Mapping[str, str] = field(default_factory=dict)
    """Character name -> voice id."""

    def voice_for(self, speaker: str | None) -> str:
        if not speaker or speaker == NARRATOR:
            return self.narrator
        return self.roles.get(speaker, self.narrator)


def resolve_voice(voice_id: str) -> Voice:
    """The Voice for ``engine:name``, with an error that lists what exists."""
    engine_name, name = split_voice_id(voice_id)
    engine = get_engine(engine_name)
    reason = engine.availability()
    if reason:
        raise VoiceError(f"voice {voice_id} is not usable here: {reason}")
    return engine.voice(name)


def candidate_voices(engines: Sequence[str] = CHARACTER_ENGINES) -> list[Voice]:
    voices: list[Voice] = []
    for name in engines:
        engine = get_engine(name)
        if engine.availability() is None:
            voices.extend(engine.voices())
    return voices


def cast_script(script: Script, *, narrator: str = DEFAULT_NARRATOR,
                overrides: Mapping[str, str] | None = None,
                engines: Sequence[str] = CHARACTER_ENGINES) -> Cast:
    """Give every speaking character a voice: by gender, most talkative first, no repeats
    while voices last."""
    overrides = dict(overrides or {})
    pool = [v for v in candidate_voices(engines) if v.id != narrator]
    used: dict[str, int] = {}
    roles: dict[str, str] = {}
    for name in script.speakers():
        if name in overrides:
            roles[name] = overrides[name]
            continue
        character = script.character(name)
        gender = character.gender if character else Gender.UNKNOWN
        matching = [v for v in pool if gender is Gender.UNKNOWN or v.gender is gender] or pool
        if not matching:
            roles[name] = narrator
            continue
        choice = min(matching, key=lambda v: (used.get(v.id, 0), matching.index(v)))
        used[choice.id] = used.get(choice.id, 0) + 1
        roles[name] = choice.id
    return Cast(narrator=narrator, roles=roles)


def apply_cast(script: Script, cast: Cast) -> Script:
    """Set each spoken segment's voice (a voice pinned in an edited script wins)."""
    segments = []
    for seg in script.segments:
        if seg.spoken and not seg.voice:
            speaker = seg.speaker if seg.kind is SegmentKind.DIALOGUE else NARRATOR
            seg = replace(seg, voice=cast.voice_for(speaker))
        segments.append(seg)
    characters = tuple(replace(c, voice=cast.roles.get(c.name, c.voice)) for c in script.characters)
    return replace(script, segments=tuple(segments), characters=characters)
