"""Pronunciation lexicon: how to say names and words the engines get wrong.

``voices/lexicon.toml`` applies to every show, ``voices/<show>.lexicon.toml`` to one show (its
entries win)::

    [words]
    Tonioli = "toe knee OH lee"              # a respelling: every engine reads it
    Witney = { respell = "Whitney", ipa = "ˈwɪtni" }

An entry with ``ipa`` is spoken from those phonemes by engines that read IPA (Piper); the others
use ``respell``. An IPA-only entry leaves the word as written for engines without IPA. Words match
whole, case-insensitively; longer entries ("Bruno Tonioli") win over shorter ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from narrate.errors import ConfigError
from narrate.script import Script
from narrate.voices.config import LEXICON_SUFFIX, read_toml, voices_dir

GLOBAL_LEXICON = "lexicon.toml"


@dataclass(frozen=True)
class Pronunciation:
    respell: str | None = None
    ipa: str | None = None


@dataclass(frozen=True)
class Lexicon:
    entries: Mapping[str, Pronunciation] = field(default_factory=dict)
    """Word or phrase (as written) -> how to say it."""

    def __bool__(self) -> bool:
        return bool(self.entries)

    def merged(self, other: Lexicon) -> Lexicon:
        """This lexicon with ``other``'s entries on top."""
        return Lexicon({**self.entries, **other.entries})

    def _pattern(self) -> re.Pattern[str] | None:
        if not self.entries:
            return None
        words = sorted(self.entries, key=len, reverse=True)
        return re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)",
                          re.IGNORECASE)

    def apply(self, text: str, *, ipa: bool = False) -> str:
        """``text`` with every entry replaced by its respelling, or ``[[ ipa ]]`` when the engine
        reads IPA and the entry has it."""
        pattern = self._pattern()
        if pattern is None:
            return text
        folded = {k.casefold(): v for k, v in self.entries.items()}

        def say(m: re.Match[str]) -> str:
            entry = folded[m.group(1).casefold()]
            if ipa and entry.ipa:
                return f"[[ {entry.ipa} ]]"
            return entry.respell or m.group(1)

        return pattern.sub(say, text)


def parse_lexicon(data: Mapping[str, Any], *, source: str = "lexicon") -> Lexicon:
    words = data.get("words", {})
    if not isinstance(words, Mapping):
        raise ConfigError(f"{source}: [words] must map words to respellings")
    entries: dict[str, Pronunciation] = {}
    for word, value in words.items():
        if not word.strip():
            raise ConfigError(f"{source}: empty word in [words]")
        if isinstance(value, str) and value.strip():
            entries[word] = Pronunciation(respell=value.strip())
        elif isinstance(value, Mapping) and (value.get("respell") or value.get("ipa")):
            respell, ipa = value.get("respell"), value.get("ipa")
            if not all(v is None or isinstance(v, str) for v in (respell, ipa)):
                raise ConfigError(f"{source}: {word!r}: respell and ipa must be strings")
            if ipa and ("[[" in ipa or "]]" in ipa):
                raise ConfigError(f"{source}: {word!r}: write ipa without [[ ]]")
            entries[word] = Pronunciation(respell=respell or None, ipa=ipa or None)
        else:
            raise ConfigError(f"{source}: {word!r} needs a respelling string or "
                              '{ respell = "...", ipa = "..." }')
    return Lexicon(entries)


def load_lexicon(path: str | Path) -> Lexicon:
    path = Path(path)
    return parse_lexicon(read_toml(path), source=str(path)) if path.exists() else Lexicon()


def lexicon_for_show(show: str, folder: str | Path | None = None) -> Lexicon:
    """The global lexicon with the show's own entries on top."""
    from narrate.voices.casting import show_slug

    folder = voices_dir(folder)
    return load_lexicon(folder / GLOBAL_LEXICON).merged(
        load_lexicon(folder / f"{show_slug(show)}{LEXICON_SUFFIX}"))


def apply_lexicon(script: Script, lexicon: Lexicon) -> Script:
    """Each spoken segment's ``speak`` text with the lexicon applied for its voice's engine."""
    if not lexicon:
        return script
    from narrate.voices.voicing import engine_supports_ipa

    return script.with_segments(
        replace(s, speak=lexicon.apply(s.speak, ipa=engine_supports_ipa(s.voice)))
        if s.spoken and s.voice else s for s in script.segments)
