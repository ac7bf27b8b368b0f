"""What the text says about how a character should sound, and which English a story is in.

Casting reads these, never the other way round: a character's gender and childhood come from
the script (:mod:`narrate.text.names`); old age comes from the names the text gives them ("the
old man", "Grandpa Joe"); a described timbre ("a low rumble", "a thin voice") from the narration
that mentions them or, for a sentence led by "he"/"she", the last speaker of that gender. The
accent is British when the story spells the British way ("colour", "realised", "grey").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from narrate.script import NARRATOR, Gender, Script, SegmentKind

AMERICAN, BRITISH = "en-US", "en-GB"
ACCENTS = {"american": AMERICAN, "us": AMERICAN, "en-us": AMERICAN,
           "british": BRITISH, "gb": BRITISH, "uk": BRITISH, "en-gb": BRITISH}

_OLD = re.compile(r"\b(?:old|elderly|aged|ancient|grey-haired|gray-haired|white-haired|"
                  r"grand(?:father|mother|pa|ma|dad|mum|mom)|granny|gran|grandpapa|"
                  r"grandmamma|grampa|gramps|nana|widow(?:er)?)\b", re.IGNORECASE)
_VOICE = r"(?:voice|laugh|tone|rumble|growl|murmur|whisper|chuckle|cry|call)s?"
_LOW = re.compile(rf"\b(?:rumbl\w*|baritone|bass|booming|boomed|gravel\w*|gruff\w*|hoarse\w*|"
                  rf"husk\w*|growl\w*|sonorous|(?:deep|low|rough|rich)(?:er)?,? {_VOICE})\b",
                  re.IGNORECASE)
_HIGH = re.compile(rf"\b(?:reedy|squeak\w*|shrill\w*|piping|high[- ]pitched|falsetto|tinny|"
                   rf"(?:thin|high|small|light|bright)(?:er)?,? {_VOICE})\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?]+[.!?]*[\"”’]?")
_LEAD_PRONOUN = re.compile(r"^\W*(he|she|his|her)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Traits:
    """How a character should sound, as far as the text tells."""

    gender: Gender = Gender.UNKNOWN
    age: str | None = None
    """"child", "old" or None."""
    pitch: str | None = None
    """"low" or "high" when the text describes the voice; None otherwise."""


def character_traits(script: Script) -> dict[str, Traits]:
    """Traits of every speaker in ``script``."""
    speakers = script.speakers()
    info = {name: _names_of(script, name) for name in speakers}
    pitch: dict[str, list[str]] = {name: [] for name in speakers}
    last_speaker: dict[Gender, str] = {}
    for seg in script.segments:
        if seg.kind is SegmentKind.DIALOGUE and seg.speaker in info:
            last_speaker[_gender(script, seg.speaker)] = seg.speaker
            continue
        if not seg.spoken or (seg.speaker and seg.speaker != NARRATOR):
            continue
        for sentence in _SENTENCE.findall(seg.text):
            low, high = bool(_LOW.search(sentence)), bool(_HIGH.search(sentence))
            if low == high:
                continue
            who = _about(sentence, info, last_speaker)
            if who:
                pitch[who].append("low" if low else "high")
    result = {}
    for name in speakers:
        character = script.character(name)
        age = character.age if character and character.age in ("child", "old") else None
        if age is None and any(_OLD.search(n) for n in info[name]):
            age = "old"
        votes = pitch[name]
        described = max(set(votes), key=votes.count) if votes else None
        result[name] = Traits(_gender(script, name), age, described)
    return result


def _names_of(script: Script, name: str) -> tuple[str, ...]:
    character = script.character(name)
    return (name, character.name, *character.aliases) if character else (name,)


def _gender(script: Script, name: str) -> Gender:
    character = script.character(name)
    return character.gender if character else Gender.UNKNOWN


def _about(sentence: str, names: dict[str, tuple[str, ...]],
           last_speaker: dict[Gender, str]) -> str | None:
    """The speaker a descriptive sentence is about: the one it names, else, when it opens with
    a pronoun, the last speaker of that gender."""
    named = [who for who, forms in names.items()
             if any(re.search(rf"\b{re.escape(f)}\b", sentence) for f in forms if f)]
    if len(named) == 1:
        return named[0]
    if named:
        return None
    lead = _LEAD_PRONOUN.match(sentence)
    if not lead:
        return None
    gender = Gender.MALE if lead.group(1).lower() in ("he", "his") else Gender.FEMALE
    return last_speaker.get(gender)


# ---------------------------------------------------------------- accent

_BRITISH_WORDS = re.compile(
    r"\b(?:colour|favour|honour|labour|neighbour|harbour|humour|rumour|flavour|behaviour|"
    r"armour|parlour|odour|vapour|savour|splendour|endeavour|vigour|\w+isation|realis\w+|"
    r"recognis\w+|organis\w+|apologis\w+|criticis\w+|theatre|centre|metre|litre|grey|whilst|"
    r"amongst|travell\w+|cancell\w+|jewellery|pyjamas|mum|towards|programme|cheque|kerb|"
    r"tyre|aluminium|practise[sd]?|licence|defence|offence|cosy|moustache|aeroplane|"
    r"fortnight|lorry|petrol)\b", re.IGNORECASE)
_AMERICAN_WORDS = re.compile(
    r"\b(?:color|favor|honor|labor|neighbor|harbor|humor|rumor|flavor|behavior|armor|parlor|"
    r"odor|vapor|savor|splendor|endeavor|vigor|\w+ization|realiz\w+|recogniz\w+|organiz\w+|"
    r"apologiz\w+|criticiz\w+|theater|center|liter|gray|toward|traveled|traveling|"
    r"canceled|canceling|jewelry|pajamas|mom|program|curb|aluminum|license|"
    r"defense|offense|cozy|mustache|airplane|apartment|gasoline|sidewalk)\b",
    re.IGNORECASE)


def detect_accent(texts: Sequence[str]) -> str:
    """British when the text spells the British way clearly more often than the American way;
    American otherwise (the larger voice set, and the usual web story)."""
    british = american = 0
    for text in texts:
        british += len(_BRITISH_WORDS.findall(text))
        american += len(_AMERICAN_WORDS.findall(text))
    return BRITISH if british >= 3 and british >= 2 * american else AMERICAN


def parse_accent(value: str | None) -> str | None:
    """"american"/"british" (or us, gb, uk, en-US, en-GB) -> the BCP 47 tag; None/"auto" ->
    None (decide from the text)."""
    from narrate.errors import ConfigError

    if value is None or value.strip().lower() in ("", "auto"):
        return None
    try:
        return ACCENTS[value.strip().lower()]
    except KeyError:
        raise ConfigError(f"unknown accent {value!r}: use american, british or auto") from None
