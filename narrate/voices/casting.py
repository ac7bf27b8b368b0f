"""Casting: the narrator and one voice per speaking character, kept across a show's episodes.

Characters are cast most-talkative first, each to the available voice of their gender (children
to youthful voices) that is most different from every voice already in the cast, so the people
heard most are the easiest to tell apart. When characters outnumber voices, derived variants
(Kokoro blends, pitch/tempo/timbre variants; see :mod:`narrate.voices.engines.variants`) join
the pool.
The cast of a show lives in ``voices/<show>.cast.toml``; what is there is reused, new characters
are added, and a user may edit it or override with ``--voice NAME=VOICE``.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from narrate.errors import ConfigError, NarrateError, VoiceError
from narrate.script import NARRATOR, Character, Gender, Script, SegmentKind
from narrate.voices.choice import (
    CHARACTER_ENGINES,
    DRAFT_NARRATOR,
    FALLBACK_NARRATOR,
    Profile,
    candidate_voices,
    casting_pool,
    choose_voice,
    default_narrator,
    draft_voices,
    english_voices,
    profile,
)
from narrate.voices.config import CAST_SUFFIX, load_voice_config, read_toml, voices_dir
from narrate.voices.engines.base import Voice, engine_names, get_engine
from narrate.voices.traits import Traits, character_traits, detect_accent
from narrate.voices.voicing import resolve_voice

_LOGGER = logging.getLogger(__name__)

DEFAULT_NARRATOR = "auto"
"""No narrator chosen: the measured best English voice for the story's accent (see
:func:`narrate.voices.choice.default_narrator`), Piper's joe until the voices are installed."""
DEFAULT_SHOW = "narrate"
"""Same as ``narrate.pipeline.DEFAULT_SHOW`` (kept here so `narrate script` stays light)."""
OLD_DEFAULT_NARRATOR = "piper:joe"
"""What cast files before format 2 saved as the narrator whether or not anyone chose it."""
CAST_FORMAT = 2


@dataclass(frozen=True)
class Cast:
    """Who speaks with which voice."""

    narrator: str = DEFAULT_NARRATOR
    roles: Mapping[str, str] = field(default_factory=dict)
    """Character name -> voice id."""
    show: str = ""
    narrator_pinned: bool = False
    """The narrator was chosen (--narrator, the cast file): saved, and kept for the show. An
    unpinned narrator follows the default, which changes when the English voices arrive."""
    accent: str | None = None
    """"en-US" or "en-GB": the show's English, kept so every episode sounds alike."""

    def voice_for(self, speaker: str | None) -> str:
        if not speaker or speaker == NARRATOR:
            return self.narrator
        return self.roles.get(speaker, self.narrator)

    def for_script(self, script: Script) -> Cast:
        """The cast restricted to the characters who speak in ``script`` (for its credits)."""
        keys = {self.key_for(_names(script, n)) for n in script.speakers()}
        return replace(self, roles={n: v for n, v in self.roles.items() if n in keys})

    def key_for(self, names: Sequence[str]) -> str | None:
        """The role whose name is one of ``names`` (case-insensitive); failing that, the one role
        that is the same person by first name ("Bruno" saved, "Bruno Tonioli" now, or the other
        way round). Two candidates ("Ann" with Ann Lee and Ann Smith saved) match none."""
        wanted = {n.casefold() for n in names}
        for role in self.roles:
            if role.casefold() in wanted:
                return role
        candidates = {role for role in self.roles for n in names if _same_person(role, n)}
        return candidates.pop() if len(candidates) == 1 else None

    def lookup(self, name: str, aliases: Sequence[str] = ()) -> str | None:
        """The voice of ``name`` or of one of its aliases (case-insensitive)."""
        key = self.key_for((name, *aliases))
        return self.roles[key] if key is not None else None


def _same_person(a: str, b: str) -> bool:
    """One name is a single word and the other's first word ("Bruno" / "Bruno Tonioli")."""
    x, y = a.casefold().split(), b.casefold().split()
    if len(x) > len(y):
        x, y = y, x
    return len(x) == 1 and len(y) > 1 and x[0] == y[0] and x[0] not in _NOT_FIRST_NAMES


_NOT_FIRST_NAMES = {"the", "a", "an", "her", "his", "my", "our", "their", "mr", "mrs", "miss",
                    "ms", "dr", "sir", "lady", "lord", "uncle", "aunt", "old", "young", "little"}


def _names(script: Script, speaker: str) -> tuple[str, ...]:
    """A speaker's name as written, its character's name and aliases."""
    character = script.character(speaker)
    return (speaker, character.name, *character.aliases) if character else (speaker,)


# ---------------------------------------------------------------- what can be cast

@dataclass(frozen=True)
class VoiceStatus:
    """A line of `narrate voices`: a voice and whether it can be used here."""

    id: str
    voice: Voice | None
    reason: str | None = None
    """None when usable."""


def voice_statuses(*, probe: bool = False) -> list[VoiceStatus]:
    """Every voice narrate knows of, usable ones first per engine (metadata only: cheap).
    With ``probe``, online engines check that their service answers now."""
    statuses: list[VoiceStatus] = []
    for name in engine_names():
        try:
            engine = get_engine(name)
        except NarrateError as e:
            statuses.append(VoiceStatus(f"{name}:*", None, str(e)))
            continue
        if not engine.listed:
            continue
        reason = engine.availability() or (engine.reachable() if probe else None)
        if reason:
            statuses.append(VoiceStatus(f"{name}:*", None, reason))
            continue
        statuses += [VoiceStatus(v.id, v) for v in engine.voices()]
        statuses += [VoiceStatus(vid, None, why) for vid, why in engine.unavailable_voices()]
    for preset in load_voice_config().presets.values():
        pid = f"preset:{preset.name}"
        try:
            statuses.append(VoiceStatus(pid, resolve_voice(pid)))
        except NarrateError as e:
            statuses.append(VoiceStatus(pid, None, str(e)))
    return statuses


# ---------------------------------------------------------------- casting

def cast_script(script: Script, *, narrator: str = DEFAULT_NARRATOR,
                overrides: Mapping[str, str] | None = None, previous: Cast | None = None,
                engines: Sequence[str] | None = None, show: str = "",
                accent: str | None = None) -> Cast:
    """Give every speaking character a voice.

    ``overrides`` (name -> voice id) win, then the voices in ``previous`` (the show's saved
    cast), then the suitable voice :func:`narrate.voices.choice.choose_voice` picks from the
    pool of the show's ``accent`` (None: the flag or ``[casting] accent``, else the saved cast's,
    else what the story's spelling says). ``Narrator`` in ``overrides`` sets the narrator;
    ``DEFAULT_NARRATOR`` means the best narrator for the accent."""
    overrides = {k.strip(): v.strip() for k, v in (overrides or {}).items()}
    config = load_voice_config()
    accent = accent or config.accent or (previous.accent if previous else None) or \
        detect_accent([seg.text for seg in script.segments if seg.spoken])
    chosen = _override(overrides, NARRATOR)
    pinned = bool(chosen) or narrator != DEFAULT_NARRATOR
    narrator = chosen or narrator
    if narrator == DEFAULT_NARRATOR:
        narrator = default_narrator(accent)
    resolve_voice(narrator)
    if engines is None:
        engines = config.casting_engines or CHARACTER_ENGINES
    pool = casting_pool(engines, accent)
    genders = {v.id: v.gender for v in pool}
    traits = character_traits(script)
    roles: dict[str, str] = {}
    previous_roles = dict(previous.roles) if previous else {}
    # voices the show already uses count as taken, so a newcomer does not sound like a regular
    taken = [profile(narrator, _gender_of(narrator, genders))]
    taken += [profile(v, _gender_of(v, genders)) for v in previous_roles.values()]
    for name in script.speakers():
        character = script.character(name)
        names = _names(script, name)
        # the saved name wins, so "Witney" in one episode is "Witney Carson" of the last one
        key = (previous.key_for(names) if previous else None) or (
            character.name if character else name)
        fixed = _override(overrides, name, names[1:])
        if fixed:
            resolve_voice(fixed)  # a clear error now, not mid-render
            choice = fixed
        else:
            kept = previous.roles.get(key) if previous else None
            if kept and _usable(kept):
                choice = kept
            else:
                if kept:
                    _LOGGER.warning("cast: %s's voice %s is not usable here; recasting", name, kept)
                choice = choose_voice(pool, traits.get(name) or _traits_of(character), taken,
                                      narrator)
        roles[key] = choice
        taken.append(profile(choice, _gender_of(choice, genders)))
    # keep everyone the show already knows, so the file only grows
    merged = {**previous_roles, **roles}
    for name, voice in overrides.items():
        if name.casefold() != NARRATOR.casefold() and not any(
                r.casefold() == name.casefold() for r in merged):
            resolve_voice(voice)
            merged[name] = voice
    return Cast(narrator=narrator, roles=merged, show=show or (previous.show if previous else ""),
                narrator_pinned=pinned, accent=accent)


def _traits_of(character: Character | None) -> Traits:
    if character is None:
        return Traits()
    return Traits(character.gender, character.age if character.age in ("child", "old") else None)


def _override(overrides: Mapping[str, str], name: str, aliases: Sequence[str] = ()) -> str | None:
    wanted = {n.casefold() for n in (name, *aliases)}
    for key, voice in overrides.items():
        if key.casefold() in wanted:
            return voice
    return None


def _gender_of(voice_id: str, known: Mapping[str, Gender]) -> Gender:
    if voice_id in known:
        return known[voice_id]
    try:
        return resolve_voice(voice_id).gender
    except NarrateError:
        return Gender.UNKNOWN


def _usable(voice_id: str) -> bool:
    try:
        resolve_voice(voice_id)
    except NarrateError:
        return False
    return True


def alternative_voice(voice_id: str, *, engines: Sequence[str] | None = None) -> str:
    """Another natural voice of the same gender, age and accent, as different from
    ``voice_id`` as the pool allows (for re-rendering a segment the checker flagged)."""
    try:
        current: Voice | None = resolve_voice(voice_id)
    except NarrateError:
        current = None
    gender = current.gender if current else Gender.UNKNOWN
    traits = Traits(gender, "child" if current and current.age == "child" else None)
    taken: list[Profile] = [profile(voice_id, gender)]
    if engines is None:
        engines = load_voice_config().casting_engines or CHARACTER_ENGINES
    accent = current.language if current and current.language in ("en-US", "en-GB") else None
    return choose_voice([v for v in casting_pool(engines, accent) if v.id != voice_id], traits,
                        taken, voice_id)


def apply_cast(script: Script, cast: Cast) -> Script:
    """Set each spoken segment's voice (a voice pinned in an edited script wins)."""
    segments = []
    for seg in script.segments:
        if seg.spoken and not seg.voice:
            speaker = seg.speaker if seg.kind is SegmentKind.DIALOGUE else NARRATOR
            voice = None
            if speaker and speaker != NARRATOR:
                voice = cast.lookup(speaker, _names(script, speaker)[1:])
            seg = replace(seg, voice=voice or cast.narrator)
        segments.append(seg)
    characters = tuple(replace(c, voice=cast.lookup(c.name, c.aliases) or c.voice)
                       for c in script.characters)
    return replace(script, segments=tuple(segments), characters=characters)


# ---------------------------------------------------------------- cast files

def show_slug(show: str) -> str:
    text = unicodedata.normalize("NFKD", show).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "show"


def cast_file_path(show: str, folder: str | Path | None = None) -> Path:
    """``voices/<show>.cast.toml``."""
    return voices_dir(folder) / f"{show_slug(show)}{CAST_SUFFIX}"


def load_cast(path: str | Path) -> Cast | None:
    """The cast saved at ``path``, or None when there is none yet."""
    path = Path(path)
    if not path.exists():
        return None
    data = read_toml(path)
    roles = data.get("roles", {})
    if not isinstance(roles, Mapping) or not all(isinstance(v, str) for v in roles.values()):
        raise ConfigError(f"{path}: [roles] must map character names to voice ids, e.g. "
                          '"Ann Lee" = "kokoro:jf_alpha"')
    narrator = data.get("narrator")
    if narrator is not None and not isinstance(narrator, str):
        raise ConfigError(f"{path}: narrator must be a voice id such as \"kokoro:af_heart\"")
    accent = data.get("accent")
    if accent is not None and accent not in ("en-US", "en-GB"):
        raise ConfigError(f"{path}: accent must be \"en-US\" or \"en-GB\"")
    # files before format 2 saved the default narrator as if chosen: piper:joe there is the
    # old default, not a choice, and gives way to the measured better one
    pinned = narrator is not None and not (data.get("format") is None and
                                           narrator == OLD_DEFAULT_NARRATOR)
    return Cast(narrator=narrator if pinned and narrator else DEFAULT_NARRATOR,
                roles=dict(roles), show=str(data.get("show") or ""), narrator_pinned=pinned,
                accent=accent)


def _toml_str(value: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes
    return json.dumps(value, ensure_ascii=False)


def cast_to_toml(cast: Cast) -> str:
    lines = ["# narrate cast: one voice per character, reused by every episode of the show.",
             "# Edit a voice id and render again; `narrate voices` lists the ids.",
             f"format = {CAST_FORMAT}", f"show = {_toml_str(cast.show)}"]
    if cast.narrator_pinned:
        lines.append(f"narrator = {_toml_str(cast.narrator)}")
    else:
        lines.append("# narrator = \"kokoro:af_heart\"   (unset: the best one for the accent)")
    if cast.accent:
        lines.append(f"accent = {_toml_str(cast.accent)}")
    lines += ["", "[roles]"]
    lines += [f"{_toml_str(name)} = {_toml_str(voice)}" for name, voice in cast.roles.items()]
    return "\n".join(lines) + "\n"


def save_cast(cast: Cast, path: str | Path, *, base: Cast | None = None,
              merge: bool = False) -> Cast:
    """Write ``cast`` to ``path`` and return what was written.

    With ``merge``, ``cast`` was made from ``base`` (the file as it was read, None: there was
    none), and what changed in the file since then is kept: another render of the same show
    that saved its new characters meanwhile, or a voice the user edited while this one ran.
    Without it, two renders casting at once each wrote the cast they began from plus their own
    characters, and the later one dropped the earlier one's (whose voices the next episode then
    chose again)."""
    from filelock import FileLock

    from narrate.files import atomic_write_text

    path = Path(path)
    if not merge:
        atomic_write_text(path, cast_to_toml(cast))
        return cast
    with FileLock(str(path.with_name(f".{path.name}.lock")), timeout=60):
        current = load_cast(path)
        if current is not None:
            cast = merge_casts(cast, base, current)
        if current is None or cast_to_toml(cast) != cast_to_toml(current):
            atomic_write_text(path, cast_to_toml(cast))
    return cast


def merge_casts(ours: Cast, base: Cast | None, current: Cast) -> Cast:
    """A three-way merge: ``ours`` was made from ``base``; ``current`` is the file now. What the
    file changed since ``base`` wins (it was saved first, maybe by hand); the rest is ours."""
    def changed(name: str) -> bool:
        return base is None or base.roles.get(name) != current.roles[name]

    roles = dict(ours.roles)
    for name, voice in current.roles.items():
        if name not in roles or changed(name):
            roles[name] = voice
    narrator_changed = base is None or (current.narrator, current.narrator_pinned) != (
        base.narrator, base.narrator_pinned)
    keep = current if narrator_changed and current.narrator_pinned else ours
    accent = current.accent if base is None or current.accent != base.accent else ours.accent
    return replace(ours, roles=roles, narrator=keep.narrator,
                   narrator_pinned=keep.narrator_pinned, accent=accent or ours.accent)


def cast_for_show(script: Script, *, show: str, folder: str | Path | None = None,
                  narrator: str = DEFAULT_NARRATOR, overrides: Mapping[str, str] | None = None,
                  save: bool = True, accent: str | None = None,
                  previous: Cast | None = None) -> Cast:
    """Cast ``script`` with the show's saved cast; save the result (unless ``save`` is False).
    The returned cast holds the whole show; apply it with :func:`apply_cast`. ``previous``
    stands in for the saved cast (a render's casts not saved yet).

    The narrator is an override, then the saved one, then ``narrator``."""
    path = cast_file_path(show, folder)
    previous = previous if previous is not None else load_cast(path)
    if previous and previous.narrator_pinned and narrator == DEFAULT_NARRATOR:
        narrator = previous.narrator
    cast = cast_script(script, narrator=narrator, overrides=overrides, previous=previous,
                       show=show, accent=accent)
    if save and (previous is None or cast_to_toml(cast) != cast_to_toml(previous)):
        save_cast(cast, path, base=previous, merge=True)
    return cast


def with_offline_fallback(cast: Cast, engine: str) -> Cast:
    """``cast`` with every voice of an online engine that cannot be reached now replaced by a
    voice of ``engine`` of the same gender (with a warning), so a render can go on offline."""
    fallback = get_engine(engine)
    reason = fallback.availability()
    if reason or not fallback.offline:
        raise VoiceError(f"--fallback-engine {engine} cannot be used: "
                         f"{reason or 'it is not an offline engine'}")
    pool = candidate_voices([engine])
    if not pool:
        raise VoiceError(f"--fallback-engine {engine} has no voices here")
    replaced: dict[str, str] = {}

    def offline(voice_id: str) -> str:
        if voice_id in replaced:
            return replaced[voice_id]
        voice = resolve_voice(voice_id)
        online = get_engine(voice.engine)
        problem = None if online.offline else online.reachable()
        if problem is None:
            replaced[voice_id] = voice_id
            return voice_id
        same = [v for v in pool if v.gender is voice.gender] or pool
        choice = same[len(replaced) % len(same)].id
        _LOGGER.warning("%s is unreachable (%s); using %s instead (--fallback-engine)",
                        voice_id, problem, choice)
        replaced[voice_id] = choice
        return choice

    return replace(cast, narrator=offline(cast.narrator),
                   roles={n: offline(v) for n, v in cast.roles.items()})


_WARNED: list[bool] = []


def warn_if_fallback(cast: Cast) -> None:
    """Say so when the default narrator stood in for the English voices that are missing."""
    if not _WARNED and not cast.narrator_pinned and cast.narrator == FALLBACK_NARRATOR and \
            not english_voices():
        _WARNED.append(True)  # once per run, not once per story
        _LOGGER.warning("the English voices are not installed: narrating with %s; "
                        "`narrate voices install` adds the clearer default narrator",
                        FALLBACK_NARRATOR)


def draft_cast(cast: Cast, script: Script) -> Cast:
    """The cast of a quick proof listen (`render --draft`): Piper's joe narrates and variants of
    it speak for the characters (raised for women and children, lowered for men), ~7x less
    synthesis than Kokoro. Not saved: the show keeps its real cast."""
    traits = character_traits(script)
    genders: dict[str, Gender] = {}
    children: set[str] = set()
    for role in cast.roles:
        names = _names(script, role)
        t = next((traits[n] for n in names if n in traits), None)
        character = script.character(role)
        genders[role] = t.gender if t else character.gender if character else Gender.UNKNOWN
        if (t and t.age == "child") or (character and character.age == "child"):
            children.add(role)
    return replace(cast, narrator=DRAFT_NARRATOR,
                   roles=draft_voices(dict(cast.roles), genders, children))


def parse_voice_overrides(values: Sequence[str]) -> dict[str, str]:
    """``["Ann Lee=kokoro:jf_alpha", ...]`` -> {name: voice id}; a clear error for a bad one."""
    result: dict[str, str] = {}
    for value in values:
        name, sep, voice = value.partition("=")
        if not sep or not name.strip() or not voice.strip():
            raise VoiceError(f"bad --voice {value!r}: expected NAME=VOICE, e.g. "
                             "\"Ann Lee=kokoro:jf_alpha\" (`narrate voices` lists voices)")
        result[name.strip()] = voice.strip()
    return result
