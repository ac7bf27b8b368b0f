"""Which voice suits which character: the casting pool, how different two voices sound, and
the rules that pick one.

With the native English Kokoro voices installed (`narrate voices install`), characters are cast
from the styles of the story's accent, best graded first; then blends of two styles of one
gender (``kokoro:a+b``); then pitch/tempo/timbre variants. Without them, the older pool (the
Japanese-trained Kokoro styles, Piper) is used as before, so a fresh checkout still renders.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from narrate.errors import NarrateError, VoiceError
from narrate.script import Gender
from narrate.voices.catalog import ENGLISH_STYLES
from narrate.voices.engines.base import Voice, get_engine, split_voice_id
from narrate.voices.engines.variants import Variant, split_variant
from narrate.voices.traits import AMERICAN, BRITISH, Traits

_LOGGER = logging.getLogger(__name__)

CHARACTER_ENGINES = ("kokoro", "piper")
"""Engines whose voices are offered to characters, in order of preference (natural-sounding
offline voices only; flite, espeak and gtts are cast by hand or via ``[casting] engines``)."""
NARRATORS = {AMERICAN: "kokoro:af_heart", BRITISH: "kokoro:bm_george"}
"""The narrator per accent, chosen by measurement (docs/voices.md)."""
FALLBACK_NARRATOR = "piper:joe"
"""The narrator when the English voices are not installed."""
DRAFT_NARRATOR = "piper:joe"
"""`render --draft`: the fastest natural voice we have (~40x real time, Kokoro ~5x)."""

# Derived variants, mildest first: they stay natural and are clearly apart from their base.
MALE_VARIANTS = (Variant(pitch=-3.0, timbre="warm"), Variant(pitch=2.5, tempo=1.06),
                 Variant(pitch=-1.5, tempo=0.92, timbre="dark"))
FEMALE_VARIANTS = (Variant(pitch=2.5, tempo=1.05), Variant(pitch=-2.5, timbre="warm"),
                   Variant(pitch=1.0, tempo=0.93, timbre="bright"))
CHILD_VARIANTS = (Variant(pitch=3.0, tempo=1.05), Variant(pitch=1.5, timbre="bright"))
# an adult English style made a child's: raised (formants too, which reads as a smaller
# speaker) and a little quicker; men's styles need more to leave the adult range
GIRL_VARIANT = Variant(pitch=3.0, tempo=1.05)
BOY_VARIANT = Variant(pitch=5.0, tempo=1.05)


def english_voices() -> list[Voice]:
    """The installed native English Kokoro styles (empty when not installed)."""
    try:
        engine = get_engine("kokoro")
    except NarrateError:
        return []
    if engine.availability():
        return []
    return [v for v in engine.voices() if v.name in ENGLISH_STYLES]


def candidate_voices(engines: Sequence[str] = CHARACTER_ENGINES) -> list[Voice]:
    """Base voices of ``engines`` that work here, in preference order."""
    voices: list[Voice] = []
    for name in engines:
        try:
            engine = get_engine(name)
        except NarrateError:
            _LOGGER.warning("casting: unknown engine %s ignored", name)
            continue
        if engine.availability() is None:
            voices.extend(v for v in engine.voices() if v.language.lower().startswith("en"))
    return voices


def grade(voice: Voice) -> int:
    """Higher is better: Hexgrad's grade of the style (mean over a blend's parts)."""
    parts = _parts(voice.name) if voice.engine == "kokoro" else []
    scores = [ENGLISH_STYLES[p].score for p in parts if p in ENGLISH_STYLES]
    return round(sum(scores) / len(scores)) if scores else 0


def pitch_hz(voice_id: str) -> float | None:
    """The measured pitch of a catalogued style (a blend: the mean), shifted by a variant."""
    base, variant = split_variant(voice_id)
    try:
        engine, name = split_voice_id(base)
    except VoiceError:
        return None
    hz = [ENGLISH_STYLES[p].pitch_hz for p in _parts(name) if p in ENGLISH_STYLES] \
        if engine == "kokoro" else []
    return sum(hz) / len(hz) * 2 ** (variant.pitch / 12) if hz else None


def _parts(name: str) -> list[str]:
    return [p.split("*")[0].strip() for p in name.split("+")]


def casting_pool(engines: Sequence[str] = CHARACTER_ENGINES, accent: str | None = None
                 ) -> list[Voice]:
    """Base voices, then Kokoro blends of two styles of one gender, then pitch/tempo/timbre
    variants (and children's variants): the order in which casting reaches for them."""
    english = english_voices() if "kokoro" in engines else []
    if english:
        accent = accent or AMERICAN
        order = list(ENGLISH_STYLES)
        # best graded first; within a grade, the catalogue's order (measured voices first)
        base = sorted((v for v in english if v.language == accent),
                      key=lambda v: (-grade(v), order.index(v.name)))
        # other engines the show asked for by name ([casting] engines) still take part; Piper's
        # joe and the Japanese-trained styles are heard wrong more often (docs/voices.md)
        base += candidate_voices([e for e in engines if e not in ("kokoro", "piper")])
    else:
        base = candidate_voices(engines)
    pool = list(base)
    kokoro = [v for v in base if v.engine == "kokoro" and "+" not in v.name
              and v.gender is not Gender.UNKNOWN]
    blends = [(a, b) for a, b in itertools.combinations(kokoro, 2)
              if a.gender is b.gender and a.age == b.age and a.language == b.language]
    blends.sort(key=lambda ab: -(grade(ab[0]) + grade(ab[1])))
    for a, b in blends:
        pool.append(replace(a, id=f"kokoro:{a.name}+{b.name}", name=f"{a.name}+{b.name}",
                            description=f"blend of {a.name} and {b.name}"))
    for v in base:
        variants = (CHILD_VARIANTS if v.age == "child" else
                    FEMALE_VARIANTS if v.gender is Gender.FEMALE else MALE_VARIANTS)
        for variant in variants:
            pool.append(replace(v, id=variant.apply_to(v.id),
                                description=f"{v.description}; {variant.describe()}"))
    # children's voices of both genders, so a boy never gets a girl's voice
    for v in base:
        if v.age == "adult" and v.gender is not Gender.UNKNOWN:
            child = BOY_VARIANT if v.gender is Gender.MALE else GIRL_VARIANT
            pool.append(replace(v, id=child.apply_to(v.id), age="child",
                                description=f"{v.description}; a child's ({child.describe()})"))
    return pool


# ---------------------------------------------------------------- distinctness

@dataclass(frozen=True)
class Profile:
    engine: str
    parts: frozenset[str]
    """The base voices (styles) the sound is made of."""
    pitch: float
    tempo: float
    timbre: str | None
    gender: Gender


def profile(voice_id: str, gender: Gender) -> Profile:
    base, variant = split_variant(voice_id)
    try:
        engine, name = split_voice_id(base)
    except VoiceError:
        engine, name = "?", base
    parts = frozenset(_parts(name)) if engine == "kokoro" else frozenset({name})
    return Profile(engine, parts, variant.pitch, variant.tempo, variant.timbre, gender)


def voice_distance(a: Profile, b: Profile) -> float:
    """How easy two voices are to tell apart (0: the same voice). Different engines and base
    voices count most, then pitch (2 semitones = 1), gender, timbre and tempo."""
    d = 0.5 if a.engine != b.engine else 0.0
    union = a.parts | b.parts
    d += 2.0 * (1.0 - len(a.parts & b.parts) / len(union)) if union else 0.0
    d += min(abs(a.pitch - b.pitch), 4.0) / 2.0
    d += 0.4 if a.timbre != b.timbre else 0.0
    d += min(abs(a.tempo - b.tempo), 0.2) * 2.0
    if Gender.UNKNOWN not in (a.gender, b.gender) and a.gender is not b.gender:
        d += 1.0
    return d


CLEARLY_DISTINCT = 2.0
"""Distance at which two voices are told apart at once: a base voice no one in the cast uses."""
APART = 0.5
"""Below this two voices are (nearly) the same one."""


def suits(voice: Voice, traits: Traits) -> bool:
    """Never a voice of the other gender than the text says; children's voices for children
    only (and for every child while there is one)."""
    if traits.gender is not Gender.UNKNOWN and voice.gender is not traits.gender:
        return False
    return (voice.age == "child") == (traits.age == "child")


def _tier(voice: Voice, traits: Traits) -> int:
    """0: a natural voice (for a child, a child's voice); 1: a blend; 2: a variant."""
    if "+" in voice.name:
        return 1
    if "@" in voice.id and not (traits.age == "child" and voice.age == "child"):
        return 2
    return 0


def _fit(voice: Voice, traits: Traits, median: float | None) -> int:
    """1 when the voice is on the side the text asks for: low for "a low rumble" (and the
    old), high for "a thin voice" (and children)."""
    want = traits.pitch or {"old": "low", "child": "high"}.get(traits.age or "")
    hz = pitch_hz(voice.id)
    if not want or hz is None or median is None:
        return 0
    return int(hz < median if want == "low" else hz > median)


def choose_voice(pool: Sequence[Voice], traits: Traits, taken: Sequence[Profile],
                 narrator: str) -> str:
    """The voice for a character with ``traits``, given the voices already ``taken``.

    The first tier with a voice that is apart from all taken wins: an unused base voice, then a
    blend, then a variant. Within it, a voice on the side the text describes, then the most
    distinct, then the best graded (characters come most-lines-first, so the characters heard
    most get the best voices). Nothing built on the narrator's voice is offered."""
    own = profile(narrator, Gender.UNKNOWN)

    def not_narrators(v: Voice) -> bool:
        p = profile(v.id, v.gender)
        return not (p.engine == own.engine and p.parts & own.parts)

    for allowed in (not_narrators, lambda v: v.id != narrator):
        # the narrator's own style, even varied, only when nothing else is left apart
        found = _pick(pool, traits, taken, allowed)
        if found:
            return found
    suitable = [v for v in pool if v.id != narrator and
                (traits.gender is Gender.UNKNOWN or v.gender is traits.gender)] or \
        [v for v in pool if v.id != narrator]
    if not suitable:
        return narrator
    return max(suitable, key=lambda v: min([CLEARLY_DISTINCT, *(
        voice_distance(profile(v.id, v.gender), t) for t in taken)])).id


def _pick(pool: Sequence[Voice], traits: Traits, taken: Sequence[Profile],
          allowed: Callable[[Voice], bool]) -> str | None:
    suitable = [v for v in pool if suits(v, traits) and allowed(v)]
    if not suitable and traits.age == "child":
        suitable = [v for v in pool if allowed(v) and suits(v, Traits(traits.gender))]
    distance = {v.id: min([CLEARLY_DISTINCT, *(voice_distance(profile(v.id, v.gender), t)
                                               for t in taken)]) for v in suitable}
    pitches = sorted(hz for v in suitable if _tier(v, traits) == 0
                     and (hz := pitch_hz(v.id)) is not None)
    median = pitches[len(pitches) // 2] if pitches else None
    order = {v.id: i for i, v in enumerate(suitable)}
    used = {(t.engine, part) for t in taken for part in t.parts}

    def unused(v: Voice) -> bool:
        p = profile(v.id, v.gender)
        return not any((p.engine, part) in used for part in p.parts)

    for tier, floor in ((0, CLEARLY_DISTINCT), (1, APART), (2, APART)):
        # a natural voice of their own: no one in the cast speaks with its style at all
        fresh = [v for v in suitable if _tier(v, traits) == tier and distance[v.id] >= floor
                 and (tier > 0 or unused(v))]
        if fresh:
            return max(fresh, key=lambda v: (_fit(v, traits, median), distance[v.id], grade(v),
                                             -order[v.id])).id
    return None


# ---------------------------------------------------------------- the narrator

def default_narrator(accent: str | None) -> str:
    """The measured best narrator for ``accent``; Piper's joe, with a warning, when the English
    voices are not installed (a fresh checkout still renders)."""
    wanted = NARRATORS.get(accent or AMERICAN, NARRATORS[AMERICAN])
    name = split_voice_id(wanted)[1]
    if any(v.name == name for v in english_voices()):
        return wanted
    # `render` warns (narrate.voices.casting.warn_if_fallback); `script` only lists the cast
    _LOGGER.info("the English voices are not installed (run `narrate voices install`); "
                 "narrating with %s instead of %s", FALLBACK_NARRATOR, wanted)
    return FALLBACK_NARRATOR


DRAFT_VARIANTS = {
    Gender.MALE: (Variant(pitch=-2.0), Variant(pitch=-4.0, timbre="dark"),
                  Variant(pitch=1.5, tempo=1.08)),
    Gender.FEMALE: (Variant(pitch=4.0), Variant(pitch=5.5, timbre="bright"),
                    Variant(pitch=3.0, tempo=1.08)),
    Gender.UNKNOWN: (Variant(pitch=2.0), Variant(pitch=-1.0, timbre="warm")),
}
CHILD_DRAFT = Variant(pitch=6.0, tempo=1.08)


def draft_voices(roles: dict[str, str], genders: dict[str, Gender],
                 children: set[str]) -> dict[str, str]:
    """Each character's draft voice: the draft narrator's voice raised for women and children,
    lowered for men, cycling through a few variants so neighbours differ."""
    used: dict[Gender, int] = {}
    result = {}
    for name in roles:
        if name in children:
            result[name] = CHILD_DRAFT.apply_to(DRAFT_NARRATOR)
            continue
        gender = genders.get(name, Gender.UNKNOWN)
        n = used.get(gender, 0)
        used[gender] = n + 1
        variants = DRAFT_VARIANTS[gender]
        result[name] = variants[n % len(variants)].apply_to(DRAFT_NARRATOR)
    return result
