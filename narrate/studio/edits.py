"""The studio's edits: a list of small operations applied to a Script, in order.

The page keeps what a person changed as operations (``speaker`` of a line, a character's
``voice``, ``rename``, ``merge``, ``pronounce``, ``text``, ``kind``) rather than as a copy of the
script: Save applies them to the script file as it is on disk *now*, so a change made meanwhile
in a text editor or by ``narrate script -o`` is kept, and playing an unsaved line applies the same
operations in memory (what is heard is what Save would write).

The Script edited here is the script file's as written: ``speak`` without the file's own
pronunciations applied (they live in ``meta["pronounce"]`` and are applied when it is read for a
render), so removing a pronunciation gives the words back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from narrate.errors import ScriptError
from narrate.script import NARRATOR, Character, Gender, Script, Segment, SegmentKind

__all__ = ["EditError", "apply_edits", "cast_voices", "character_voice", "speaker_names"]

EDITABLE_KINDS = (SegmentKind.NARRATION, SegmentKind.DIALOGUE, SegmentKind.HEADING,
                  SegmentKind.LIST_ITEM, SegmentKind.SKIPPED)
MAX_NAME = 80
MAX_TEXT = 5000


class EditError(ScriptError):
    """An operation that cannot apply (bad segment index, unknown character, empty name)."""


def _name(value: Any, what: str) -> str:
    name = " ".join(str(value or "").split())
    if not name:
        raise EditError(f"{what} needs a name")
    if len(name) > MAX_NAME or any(c in name for c in "[]|#@\n"):
        # the text form puts names inside [speaker | voice] on one line
        raise EditError(f"{what}: {name[:40]!r} is not a usable name (at most {MAX_NAME} "
                        "characters, no [ ] | # @)")
    return name


def _segment(script: Script, op: Mapping[str, Any]) -> int:
    """The index of the segment an operation names. With the segment's ``start``/``end``
    offsets (the page sends them), a script that changed on disk under the page (lines added or
    removed by hand) still gets the change on the right line, or refuses it."""
    value: Any = op.get("segment")
    try:
        index = int(value)
    except (TypeError, ValueError) as e:
        raise EditError(f"segment {value!r} is not a number") from e
    span = (op.get("start"), op.get("end"))
    if None not in span:
        segments = script.segments
        if not (0 <= index < len(segments) and (segments[index].start, segments[index].end)
                == span):
            moved = next((i for i, s in enumerate(segments) if (s.start, s.end) == span), None)
            if moved is None:
                raise EditError(f"line {index} is no longer in the script file (it changed on "
                                "disk): reload the page")
            index = moved
    if not 0 <= index < len(script.segments):
        raise EditError(f"no segment {index} (the script has {len(script.segments)})")
    return index


def speaker_names(script: Script) -> list[str]:
    """Characters of the script: its cast list, then speakers the list lacks."""
    names = [c.name for c in script.characters]
    folded = {n.casefold() for n in names}
    for s in script.speakers():
        if s.casefold() not in folded and script.character(s) is None:
            names.append(s)
            folded.add(s.casefold())
    return names


def _is_narrator(name: str) -> bool:
    return name.casefold() == NARRATOR.casefold()


def _speaks_as(seg: Segment) -> str:
    """Whose voice a segment is spoken in: a dialogue line's speaker, else the narrator's."""
    if seg.kind is SegmentKind.DIALOGUE and seg.speaker and not _is_narrator(seg.speaker):
        return seg.speaker
    return NARRATOR


def _same(script: Script, name: str) -> Callable[[str | None], bool]:
    """Whether a segment's speaker is ``name``: by name, or by being one of the same
    character's names (a line may say "Eleanor" for the character "Eleanor Voss")."""
    character = None if _is_narrator(name) else script.character(name)
    names = {name.casefold()}
    if character is not None:
        names |= {character.name.casefold(), *(a.casefold() for a in character.aliases)}
    return lambda speaker: speaker is not None and speaker.casefold() in names


def character_voice(script: Script, name: str) -> str | None:
    """The voice ``name`` speaks in: the most used voice on their lines, else their cast entry."""
    counts: dict[str, int] = {}
    same = _same(script, name)
    for seg in script.segments:
        if seg.spoken and seg.voice and same(_speaks_as(seg)):
            counts[seg.voice] = counts.get(seg.voice, 0) + 1
    if counts:
        return max(counts, key=lambda v: counts[v])
    character = None if _is_narrator(name) else script.character(name)
    return character.voice if character else None


def cast_voices(script: Script) -> dict[str, str | None]:
    """`character_voice` of the narrator and every character, in one pass over the lines (a
    novel has thousands of lines and dozens of characters)."""
    canonical: dict[str, str] = {}  # a speaker as written -> the character's name, folded

    def who(speaker: str) -> str:
        if speaker not in canonical:
            character = None if _is_narrator(speaker) else script.character(speaker)
            canonical[speaker] = (character.name if character else speaker).casefold()
        return canonical[speaker]

    counts: dict[str, dict[str, int]] = {}
    for seg in script.segments:
        if seg.spoken and seg.voice:
            tally = counts.setdefault(who(_speaks_as(seg)), {})
            tally[seg.voice] = tally.get(seg.voice, 0) + 1
    voices: dict[str, str | None] = {}
    for name in (NARRATOR, *speaker_names(script)):
        tally = counts.get(who(name), {})
        if tally:
            voices[name] = max(tally, key=lambda v: tally[v])
        else:
            character = None if _is_narrator(name) else script.character(name)
            voices[name] = character.voice if character else None
    return voices


def _resolve(script: Script, name: str) -> str:
    """``name`` as the script spells it (a character's name when it is one of their aliases)."""
    character = script.character(name)
    if character is not None:
        return character.name
    for known in speaker_names(script):
        if known.casefold() == name.casefold():
            return known
    return name


def _set_speaker(script: Script, op: Mapping[str, Any]) -> Script:
    index = _segment(script, op)
    seg = script.segments[index]
    if seg.kind is not SegmentKind.DIALOGUE:
        raise EditError(f"segment {index} is {seg.kind.value}, not dialogue: only dialogue has "
                        "a speaker of its own")
    name = _name(op.get("speaker"), "speaker")
    characters = script.characters
    if _is_narrator(name):
        name = NARRATOR
    else:
        name = _resolve(script, name)
        if script.character(name) is None:  # a new character, created by naming them
            characters = (*characters, Character(name, (name,), Gender.parse(op.get("gender"))))
    script = replace(script, characters=characters)
    # the line takes its new speaker's voice; an unknown one is cast at render time
    voice = character_voice(script, name) if seg.speaker != name else seg.voice
    segments = list(script.segments)
    segments[index] = _reviewed(replace(seg, speaker=name, voice=voice))
    return replace(script, segments=tuple(segments))


def _reviewed(seg: Segment) -> Segment:
    """A line whose speaker a person set or confirmed: no longer a guess to review."""
    if seg.confidence is not None:
        return replace(seg, confidence=None, reason="set by hand")
    return seg


def _confirm(script: Script, op: Mapping[str, Any]) -> Script:
    """A doubtful line whose guessed speaker is right after all."""
    index = _segment(script, op)
    seg = script.segments[index]
    if seg.kind is not SegmentKind.DIALOGUE:
        raise EditError(f"segment {index} is {seg.kind.value}, not dialogue")
    segments = list(script.segments)
    segments[index] = _reviewed(seg)
    return replace(script, segments=tuple(segments))


def _set_voice(script: Script, op: Mapping[str, Any]) -> Script:
    name = _name(op.get("character"), "voice")
    voice = " ".join(str(op.get("voice") or "").split())
    if not voice:
        raise EditError(f"voice for {name}: no voice id given")
    from narrate.voices.voicing import resolve_voice

    resolve_voice(voice)  # an unknown voice fails here, with the reason, not at render time
    target = NARRATOR if _is_narrator(name) else _resolve(script, name)
    if target != NARRATOR and script.character(target) is None and \
            target not in script.speakers():
        raise EditError(f"no character {name!r} in this script")
    same = _same(script, target)
    segments = tuple(replace(s, voice=voice) if s.spoken and same(_speaks_as(s)) else s
                     for s in script.segments)
    characters = tuple(replace(c, voice=voice) if c.name == target else c
                       for c in script.characters)
    return replace(script, segments=segments, characters=characters)


def _rename(script: Script, op: Mapping[str, Any]) -> Script:
    old = _resolve(script, _name(op.get("character"), "rename"))
    new = _name(op.get("to"), "rename")
    if _is_narrator(old) or _is_narrator(new):
        raise EditError("the narrator cannot be renamed, nor a character named Narrator")
    existing = script.character(new)
    if existing is not None and existing.name != old:
        return _merge(script, {"character": old, "into": existing.name})
    if script.character(old) is None and old not in script.speakers():
        raise EditError(f"no character {old!r} in this script")
    characters = []
    for c in script.characters:
        if c.name == old:
            aliases = [new if a.casefold() == old.casefold() else a for a in c.aliases]
            c = replace(c, name=new, aliases=tuple(dict.fromkeys(aliases or [new])))
        characters.append(c)
    same = _same(script, old)
    segments = tuple(replace(s, speaker=new) if same(s.speaker) else s for s in script.segments)
    return replace(script, segments=segments, characters=tuple(characters))


def _merge(script: Script, op: Mapping[str, Any]) -> Script:
    source = _resolve(script, _name(op.get("character"), "merge"))
    target = _resolve(script, _name(op.get("into"), "merge"))
    if source == target:
        raise EditError(f"cannot merge {source} into themselves")
    if _is_narrator(source):
        raise EditError("the narrator cannot be merged into a character")
    known = set(speaker_names(script))
    for who in (source, target):
        if who not in known and not _is_narrator(who):
            raise EditError(f"no character {who!r} in this script")
    voice = character_voice(script, target)
    same = _same(script, source)
    segments = tuple(replace(s, speaker=target, voice=voice or s.voice)
                     if same(s.speaker) else s for s in script.segments)
    gone = script.character(source)
    characters = []
    for c in script.characters:
        if c.name == source:
            continue
        if c.name == target and gone is not None:
            # the merged name still finds them (a cast hint, a saved cast)
            c = replace(c, aliases=tuple(dict.fromkeys((*c.aliases, gone.name, *gone.aliases))))
        characters.append(c)
    return replace(script, segments=segments, characters=tuple(characters))


def _pronounce(script: Script, op: Mapping[str, Any]) -> Script:
    word = " ".join(str(op.get("word") or "").split())
    say = " ".join(str(op.get("say") or "").split())
    if not word or "=" in word or word.startswith("#") or len(word) > MAX_NAME:
        raise EditError(f"pronunciation: {word[:40]!r} is not a word to respell (no '=')")
    lexicon = dict(script.meta.get("pronounce") or {})
    if say:
        lexicon[word] = say
    else:
        lexicon.pop(word, None)
    meta = dict(script.meta)
    if lexicon:
        meta["pronounce"] = lexicon
    else:
        meta.pop("pronounce", None)
    return replace(script, meta=meta)


def _text(script: Script, op: Mapping[str, Any]) -> Script:
    index = _segment(script, op)
    seg = script.segments[index]
    speak = " ".join(str(op.get("speak") or "").split())
    if not speak:
        raise EditError(f"segment {index}: the text to speak is empty (mark the line skipped "
                        "instead)")
    if len(speak) > MAX_TEXT:
        raise EditError(f"segment {index}: over {MAX_TEXT} characters")
    if seg.kind is SegmentKind.SKIPPED:
        raise EditError(f"segment {index} is skipped: have it read first")
    segments = list(script.segments)
    segments[index] = replace(seg, speak=speak)
    return replace(script, segments=tuple(segments))


def _kind(script: Script, op: Mapping[str, Any]) -> Script:
    """Skip a line, have a skipped one read (as narration), or give a dialogue line to the
    narrator (a quoted sign or title is no one's line)."""
    index = _segment(script, op)
    seg = script.segments[index]
    wanted = str(op.get("kind") or "")
    if wanted not in (SegmentKind.SKIPPED.value, SegmentKind.NARRATION.value) or \
            seg.kind not in EDITABLE_KINDS:
        raise EditError(f"segment {index}: can only be marked skipped or narration")
    kind = SegmentKind(wanted)
    if kind is seg.kind:
        return script
    if kind is SegmentKind.SKIPPED:
        seg = replace(_reviewed(seg), kind=kind, speak="", reason="skipped in the studio")
    else:
        # a skipped line has nothing to speak yet: its words as written; a dialogue line keeps
        # its spoken words (normalised, perhaps edited), now in the narrator's voice
        seg = replace(_reviewed(seg), kind=kind, speak=seg.speak or " ".join(seg.text.split()),
                      speaker=NARRATOR, voice=character_voice(script, NARRATOR), reason=None)
    segments = list(script.segments)
    segments[index] = seg
    return replace(script, segments=tuple(segments))


def _add_character(script: Script, op: Mapping[str, Any]) -> Script:
    """A new character (to give lines to, or a voice, before they speak)."""
    name = _name(op.get("name"), "new character")
    if _is_narrator(name) or script.character(name) is not None:
        raise EditError(f"there is already a {name!r}")
    character = Character(name, (name,), Gender.parse(op.get("gender")))
    return replace(script, characters=(*script.characters, character))


_OPERATIONS = {"character": _add_character, "speaker": _set_speaker, "confirm": _confirm,
               "voice": _set_voice, "rename": _rename, "merge": _merge,
               "pronounce": _pronounce, "text": _text, "kind": _kind}
MAX_OPERATIONS = 10_000


def apply_edits(script: Script, operations: Iterable[Any]) -> Script:
    """``script`` with each operation applied in order; an EditError names the first bad one."""
    for n, op in enumerate(operations):
        if n >= MAX_OPERATIONS:
            raise EditError(f"more than {MAX_OPERATIONS} changes at once: save more often")
        if not isinstance(op, Mapping) or op.get("op") not in _OPERATIONS:
            raise EditError(f"change {n + 1}: unknown operation {op!r:.60}; one of "
                            f"{', '.join(_OPERATIONS)}")
        script = _OPERATIONS[op["op"]](script, op)
    return script
