"""The Script: the hinge between text and audio.

A Script is an ordered list of segments that tile the story text. Each segment knows what it is
(narration, dialogue, heading...), who speaks it, the original text and the text to speak. A
person can read it, fix a speaker or a voice, and render it again; only changed segments are
re-synthesised.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from narrate.errors import ScriptError

SCRIPT_VERSION = 1


class SegmentKind(StrEnum):
    """What a span of the story is, which decides how (and whether) it is spoken."""

    HEADING = "heading"
    NARRATION = "narration"
    DIALOGUE = "dialogue"
    LIST_ITEM = "list_item"
    SKIPPED = "skipped"
    """Boilerplate kept for the record but never spoken (`reason` says why)."""
    SPACE = "space"
    """Whitespace between blocks: silent, kept so that segments tile the input."""

    @property
    def spoken(self) -> bool:
        return self not in (SegmentKind.SKIPPED, SegmentKind.SPACE)


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: str | None) -> Gender:
        if not value:
            return cls.UNKNOWN
        value = value.strip().lower()
        aliases = {"f": "female", "woman": "female", "girl": "female", "m": "male", "man": "male",
                   "boy": "male"}
        value = aliases.get(value, value)
        try:
            return cls(value)
        except ValueError:
            return cls.UNKNOWN


NARRATOR = "Narrator"
"""Speaker name of every segment that no character speaks."""


def heading_title(text: str) -> str:
    """A heading's words without its markup (``# Part Two``, ``**Part Two**``, quotes): the
    episode or chapter title it gives."""
    return " ".join(text.replace("**", "").split()).strip("“”\"‘’'#*_ ")


@dataclass(frozen=True)
class Character:
    """A person who speaks in the story."""

    name: str
    aliases: tuple[str, ...] = ()
    gender: Gender = Gender.UNKNOWN
    age: str | None = None
    """"child" or "adult" when known (casting gives children lighter voices)."""
    voice: str | None = None
    """Voice id once cast, e.g. ``kokoro:jf_alpha``."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "aliases": list(self.aliases) or [self.name],
                                "gender": self.gender.value}
        if self.age:
            data["age"] = self.age
        if self.voice:
            data["voice"] = self.voice
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Character:
        name = str(data.get("name") or "").strip()
        if not name:
            raise ScriptError(f"character without a name: {dict(data)!r}")
        aliases = tuple(str(a) for a in (data.get("aliases") or ()) if str(a).strip())
        return cls(name=name, aliases=aliases, gender=Gender.parse(data.get("gender")),
                   age=data.get("age"), voice=data.get("voice"))


@dataclass(frozen=True)
class Segment:
    """One span of the input, ``text == source[start:end]``."""

    kind: SegmentKind
    start: int
    """Offset of the first character in the input (a Python ``str`` index)."""
    end: int
    """Offset one past the last character."""
    text: str
    """The original text of the span."""
    speak: str = ""
    """What is said aloud (normalised: numbers, abbreviations, symbols). Empty for silent kinds."""
    speaker: str | None = None
    """Character name for dialogue; ``NARRATOR`` (or None) for everything else."""
    voice: str | None = None
    """Voice id once cast; an edited script may pin it."""
    paragraph: int = 0
    """Index of the paragraph (block) the segment belongs to; drives pause lengths."""
    section: int = 0
    """Index of the section (story part under a heading); drives chapters."""
    reason: str | None = None
    """Why a segment is skipped, or how its speaker was found (for people reading the script)."""
    confidence: float | None = None
    """For dialogue, how sure attribution is of the speaker (0-1); low ones are worth a
    person's review (`narrate script --doubtful`). None where nothing was attributed."""

    @property
    def spoken(self) -> bool:
        return self.kind.spoken and bool(self.speak.strip())

    def to_dict(self) -> dict[str, Any]:
        # every field is a plain value, so a shallow read equals `asdict` without its recursive
        # deep copy (15x faster; it was most of the time `narrate script --format json` took
        # to print a script)
        data = {f.name: getattr(self, f.name) for f in _SEGMENT_FIELDS}
        data["kind"] = self.kind.value
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Segment:
        try:
            kind = SegmentKind(data["kind"])
            start, end = int(data["start"]), int(data["end"])
        except (KeyError, ValueError, TypeError) as e:
            raise ScriptError(f"bad segment {dict(data)!r}: {e}") from e
        return cls(kind=kind, start=start, end=end, text=str(data.get("text", "")),
                   speak=str(data.get("speak", "")), speaker=data.get("speaker"),
                   voice=data.get("voice"), paragraph=int(data.get("paragraph", 0)),
                   section=int(data.get("section", 0)), reason=data.get("reason"),
                   confidence=_confidence(data.get("confidence")))


_SEGMENT_FIELDS = fields(Segment)


def _confidence(value: Any) -> float | None:
    if value is None:
        return None
    try:
        c = float(value)
    except (TypeError, ValueError) as e:
        raise ScriptError(f"bad confidence {value!r}: {e}") from e
    if not 0.0 <= c <= 1.0:
        raise ScriptError(f"bad confidence {value!r}: not between 0 and 1")
    return c


@dataclass(frozen=True)
class Script:
    """A story ready to cast and render."""

    segments: tuple[Segment, ...]
    characters: tuple[Character, ...] = ()
    title: str = ""
    source: str | None = None
    """Path of the story file, when there is one."""
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Segment]:
        return iter(self.segments)

    def __len__(self) -> int:
        return len(self.segments)

    @property
    def spoken(self) -> list[Segment]:
        return [s for s in self.segments if s.spoken]

    def character(self, name: str | None) -> Character | None:
        if not name:
            return None
        folded = name.casefold()
        for c in self.characters:
            if c.name.casefold() == folded or any(a.casefold() == folded for a in c.aliases):
                return c
        return None

    def speakers(self) -> list[str]:
        """Names of characters who speak, most lines first."""
        counts: dict[str, int] = {}
        for s in self.segments:
            if s.kind is SegmentKind.DIALOGUE and s.speaker and s.speaker != NARRATOR:
                counts[s.speaker] = counts.get(s.speaker, 0) + 1
        return sorted(counts, key=lambda n: (-counts[n], n))

    def with_segments(self, segments: Iterable[Segment]) -> Script:
        return replace(self, segments=tuple(segments))

    def to_dict(self) -> dict[str, Any]:
        return {"version": SCRIPT_VERSION, "title": self.title, "source": self.source,
                "meta": dict(self.meta),
                "segments": [s.to_dict() for s in self.segments],
                "characters": [c.to_dict() for c in self.characters]}

    def to_json(self, *, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Script:
        if not isinstance(data, Mapping) or "segments" not in data:
            raise ScriptError("not a narrate script: no 'segments' list")
        segments = tuple(Segment.from_dict(s) for s in data["segments"])
        characters = tuple(Character.from_dict(c) for c in data.get("characters") or ())
        return cls(segments=segments, characters=characters, title=str(data.get("title") or ""),
                   source=data.get("source"), meta=dict(data.get("meta") or {}))

    @classmethod
    def from_json(cls, text: str) -> Script:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ScriptError(f"script is not valid JSON: {e}") from e
        return cls.from_dict(data)


def load_characters(path: str | Path) -> tuple[Character, ...]:
    """Read a cast hint file: JSON ``{"characters": [...]}`` (or a bare list) or TOML."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ScriptError(f"cannot read characters file {path}: {e}") from e
    data: Any
    if path.suffix.lower() == ".toml":
        import tomllib

        try:
            data = tomllib.loads(raw)
        except tomllib.TOMLDecodeError as e:
            raise ScriptError(f"{path}: not valid TOML: {e}") from e
    else:
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as e:
            raise ScriptError(f"{path}: not valid JSON: {e}") from e
    if isinstance(data, Mapping):
        data = data.get("characters", [])
    if not isinstance(data, list):
        raise ScriptError(f"{path}: expected a list of characters")
    return tuple(Character.from_dict(c) for c in data)
