"""Save and load an editable script: ``.json`` (the full Script) or a text form for people.

The text form (any suffix other than ``.json``, e.g. ``story.script.txt``) has one line per
segment that is spoken or skipped::

    # narrate script 1
    # author: Jane Writer
    # source: story.txt
    # character: Leo | male | child | voice: kokoro:am_puck | aliases: Leo, little Leo
    # pronounce: DWTS = dee double-you tee ess
    @4 dialogue 120-141 (0.97 speech_verb) [Leo | kokoro:am_puck] Mommy, you did it!
    @5 dialogue 142-160 (0.45? turn_taking) [Mia | kokoro:af_heart] No, you did.
    @6 narration 142-300 [Narrator] The words sliced through the ballroom...
    # skipped: page furniture: 'Reply'
    @90 skipped 5012-5017 [Narrator] Reply

A person may change the speaker or voice inside the brackets, the text to speak after them,
the kind (``skipped`` <-> ``narration``), characters and pronunciations. A dialogue line
carries how sure attribution is of its speaker and the rule that found it, ``(0.45?
turn_taking)``; a ``?`` marks the doubtful ones worth checking. ``@id`` and offsets map
each line back to the story; when the story file is found, its original text fills the gaps.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from narrate.errors import ScriptError
from narrate.script import NARRATOR, SCRIPT_VERSION, Character, Gender, Script, Segment, SegmentKind

__all__ = ["apply_pronunciations", "confidence_mark", "doubtful", "dump_text", "load_script",
           "parse_text", "save_script"]

_LINE = re.compile(r"^@(\d+)\s+(\w+)\s+(\d+)-(\d+)\s+(?:\(([\d.]+)\??(?:\s+(\w+))?\)\s+)?"
                   r"\[([^\]|]*)(?:\|([^\]]*))?\]\s?(.*)$")
_PRONOUNCE = re.compile(r"^#\s*pronounce:\s*(.+?)\s*=\s*(.+?)\s*$")
_CHARACTER = re.compile(r"^#\s*character:\s*(.+)$")
_HEADER = re.compile(r"^#\s*(title|author|source):\s?(.*)$")


def save_script(script: Script, path: str | Path) -> Path:
    """Write `script` to `path` atomically: JSON for ``.json``, else the text form."""
    from narrate.files import atomic_write_text

    path = Path(path)
    body = script.to_json() if path.suffix.lower() == ".json" else dump_text(script)
    atomic_write_text(path, body + "\n")
    return path


def read_script_text(path: Path) -> str:
    """A script file's text, or a one-line `ScriptError` saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise ScriptError(f"no such script file: {path}") from e
    except (OSError, UnicodeDecodeError) as e:
        raise ScriptError(f"cannot read script {path}: {e}") from e


def is_json_script(path: Path, raw: str) -> bool:
    """A full Script as JSON (``narrate script --format json``), not the editable text form."""
    return path.suffix.lower() == ".json" or raw.lstrip().startswith("{")


def load_script(path: str | Path) -> Script:
    """Read a script saved by `save_script` (possibly edited by hand)."""
    path = Path(path)
    raw = read_script_text(path)
    if is_json_script(path, raw):
        script = Script.from_json(raw)
        pron = script.meta.get("pronounce") or {}
        return apply_pronunciations(script, pron) if pron else script
    return parse_text(raw, base=path.parent)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def dump_text(script: Script) -> str:
    """The human-editable text form of `script`."""
    out = [f"# narrate script {SCRIPT_VERSION}",
           "# Edit [speaker | voice], the words after them, or add '# pronounce: word = say-it'.",
           "# Change 'skipped' to 'narration' to have a skipped line read.",
           "# (0.45? rule) on a dialogue line: how sure the speaker is; '?' marks the doubtful."]
    if script.title:
        out.append(f"# title: {script.title}")
    if script.meta.get("author"):
        # the episodes' author (tags, feed); the rest of the story file's metadata stays there
        out.append(f"# author: {_one_line(str(script.meta['author']))}")
    if script.source:
        out.append(f"# source: {script.source}")
    for c in script.characters:
        parts = [c.name, c.gender.value]
        if c.age:
            parts.append(c.age)
        if c.voice:
            parts.append(f"voice: {c.voice}")
        parts.append("aliases: " + ", ".join(c.aliases or (c.name,)))
        out.append("# character: " + " | ".join(parts))
    for word, say in dict(script.meta.get("pronounce") or {}).items():
        out.append(f"# pronounce: {word} = {say}")
    out.append("")
    for i, s in enumerate(script.segments):
        if s.kind is SegmentKind.SPACE:
            continue
        who = s.speaker or NARRATOR
        mark = f"[{who} | {s.voice}]" if s.voice else f"[{who}]"
        if s.confidence is not None:
            mark = f"({confidence_mark(s.confidence)} {s.reason or 'edited'}) {mark}"
        words = _one_line(s.text if s.kind is SegmentKind.SKIPPED else s.speak)
        if s.kind is SegmentKind.SKIPPED:
            out.append(f"# skipped: {s.reason or 'not part of the story'}")
        elif s.reason and s.kind is SegmentKind.NARRATION:
            out.append(f"# {s.reason}")
        out.append(f"@{i} {s.kind.value} {s.start}-{s.end} {mark} {words}")
    return "\n".join(out)


def confidence_mark(confidence: float) -> str:
    """"0.97", or "0.45?" for a doubtful one (below `DOUBTFUL`)."""
    return f"{confidence:.2f}" + ("?" if doubtful(confidence) else "")


def doubtful(confidence: float | None) -> bool:
    """An attribution worth a person's review."""
    # (imported here: loading a script needs no attribution, and its patterns take ms)
    from narrate.text.attribution.confidence import DOUBTFUL

    return confidence is not None and confidence < DOUBTFUL


def _parse_character(spec: str) -> Character:
    parts = [p.strip() for p in spec.split("|")]
    name, gender, age, voice = parts[0], Gender.UNKNOWN, None, None
    aliases: tuple[str, ...] = (parts[0],)
    for p in parts[1:]:
        if p.startswith("voice:"):
            voice = p.split(":", 1)[1].strip() or None
        elif p.startswith("aliases:"):
            aliases = tuple(a.strip() for a in p.split(":", 1)[1].split(",") if a.strip())
        elif p in ("child", "adult"):
            age = p
        else:
            gender = Gender.parse(p)
    if not name:
        raise ScriptError(f"character line without a name: {spec!r}")
    return Character(name, aliases, gender, age=age, voice=voice)


def parse_text(raw: str, *, base: Path | None = None) -> Script:
    """Parse the text form; `base` resolves a relative ``# source:`` path."""
    title, author, source = "", "", None
    characters: list[Character] = []
    pronounce: dict[str, str] = {}
    segments: list[Segment] = []
    reason: str | None = None
    for n, line in enumerate(raw.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            if m := _HEADER.match(stripped):
                if m.group(1) == "title":
                    title = m.group(2)
                elif m.group(1) == "author":
                    author = m.group(2).strip()
                else:
                    source = m.group(2) or None
            elif m := _PRONOUNCE.match(stripped):
                pronounce[m.group(1)] = m.group(2)
            elif m := _CHARACTER.match(stripped):
                characters.append(_parse_character(m.group(1)))
            elif stripped.startswith("# skipped:"):
                reason = stripped.split(":", 1)[1].strip()
            continue
        m = _LINE.match(stripped)
        if not m:
            raise ScriptError(f"script line {n} is not '@ID KIND START-END [SPEAKER | VOICE] "
                              f"TEXT': {stripped[:60]!r}")
        try:
            kind = SegmentKind(m.group(2))
        except ValueError as e:
            valid = ", ".join(k.value for k in SegmentKind)
            raise ScriptError(f"script line {n}: unknown kind {m.group(2)!r}; use one of "
                              f"{valid}") from e
        start, end = int(m.group(3)), int(m.group(4))
        if end < start:
            raise ScriptError(f"script line {n}: end {end} is before start {start}")
        sure, rule = m.group(5), m.group(6)
        speaker = m.group(7).strip() or NARRATOR
        voice = (m.group(8) or "").strip() or None
        words = m.group(9)
        skipped = kind is SegmentKind.SKIPPED
        try:
            confidence = float(sure) if sure is not None else None
        except ValueError as e:
            raise ScriptError(f"script line {n}: bad confidence {sure!r}") from e
        if confidence is not None and not 0.0 <= confidence <= 1.0:
            raise ScriptError(f"script line {n}: confidence {sure} is not between 0 and 1")
        segments.append(Segment(kind, start, end, words, speak="" if skipped else words,
                                speaker=speaker, voice=voice,
                                reason=reason if skipped else rule, confidence=confidence))
        reason = None
    segments = _with_story_text(segments, source, base)
    meta: dict[str, object] = {"author": author} if author else {}
    if pronounce:
        meta["pronounce"] = pronounce
    script = Script(tuple(segments), tuple(characters), title=title, source=source, meta=meta)
    return apply_pronunciations(script, pronounce) if pronounce else script


def _with_story_text(segments: list[Segment], source: str | None,
                     base: Path | None) -> list[Segment]:
    """Fill original text, paragraphs and sections from the story file when it is there."""
    if not source:
        return segments
    path = Path(source)
    if not path.is_absolute() and base is not None and not path.exists():
        path = base / path
    from narrate.errors import InputError
    from narrate.text import build_script, read_story

    try:
        story = read_story(path)
    except InputError:
        return segments  # the story moved: the script still renders from its own text
    if segments and segments[-1].end > len(story):
        return segments

    fresh = {(s.start, s.end): s for s in build_script(story).segments}
    out = []
    for s in segments:
        orig = fresh.get((s.start, s.end))
        text = story[s.start:s.end]
        speak = s.speak
        if s.kind is SegmentKind.SKIPPED:
            speak = ""
        elif orig is not None and orig.kind is SegmentKind.SKIPPED and not speak.strip():
            speak = _one_line(text)
        out.append(Segment(s.kind, s.start, s.end, text, speak=speak, speaker=s.speaker,
                           voice=s.voice, paragraph=orig.paragraph if orig else 0,
                           section=orig.section if orig else 0, reason=s.reason or (
                               orig.reason if orig else None), confidence=s.confidence))
    return out


def apply_pronunciations(script: Script, lexicon: Mapping[str, str]) -> Script:
    """Replace whole words in every segment's text to speak ("DWTS" -> "dee double-you...")."""
    if not lexicon:
        return script
    patterns = [(re.compile(rf"(?<!\w){re.escape(w)}(?!\w)"), say) for w, say in lexicon.items()]
    segments = []
    for s in script.segments:
        speak = s.speak
        for rx, say in patterns:
            speak = rx.sub(say, speak)
        segments.append(Segment(s.kind, s.start, s.end, s.text, speak=speak, speaker=s.speaker,
                                voice=s.voice, paragraph=s.paragraph, section=s.section,
                                reason=s.reason, confidence=s.confidence))
    meta = dict(script.meta)
    meta["pronounce"] = dict(lexicon)
    return Script(tuple(segments), script.characters, title=script.title, source=script.source,
                  meta=meta)
