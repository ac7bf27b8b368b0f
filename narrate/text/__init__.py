"""Story text -> Script. (First cut: paragraphs, quoted dialogue, nearest-name speakers.)"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from narrate.errors import InputError
from narrate.script import NARRATOR, Character, Gender, Script, Segment, SegmentKind

__all__ = ["build_script", "read_story"]

_QUOTE = re.compile(r"“[^”\n]*”?|\"[^\"\n]*\"?")
_NAME = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)*\b")
_STOP = {"The", "A", "An", "He", "She", "It", "They", "I", "We", "You", "His", "Her", "But",
         "And", "As", "In", "On", "At", "Then", "When", "What", "Mommy", "Mom"}


def read_story(path: str | Path) -> str:
    """Read a story file as UTF-8 without newline translation (offsets stay valid)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"no such story file: {path}")
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a story file")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from e
    if b"\x00" in data[:8192]:
        raise InputError(f"{path} looks binary, not a text story")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{path} is not UTF-8 text (byte {e.start})") from e
    if not text.strip():
        raise InputError(f"{path} is empty")
    return text


def build_script(text: str, *, characters: Sequence[Character] = (), title: str = "",
                 source: str | None = None) -> Script:
    segments: list[Segment] = []
    pos = 0
    found: dict[str, Character] = {c.name: c for c in characters}
    for para_index, m in enumerate(re.finditer(r"[^\n]+", text)):
        if m.start() > pos:
            segments.append(Segment(SegmentKind.SPACE, pos, m.start(), text[pos:m.start()],
                                    paragraph=para_index))
        line_start, line = m.start(), m.group()
        cursor = 0
        for q in _QUOTE.finditer(line):
            if q.start() > cursor:
                chunk = line[cursor:q.start()]
                segments.append(_narration(chunk, line_start + cursor, para_index))
            names = [n for n in _NAME.findall(line) if n not in _STOP]
            speaker = names[0] if names else "Someone"
            found.setdefault(speaker, Character(speaker, (speaker,), Gender.UNKNOWN))
            inner = q.group().strip("“”\"")
            segments.append(Segment(SegmentKind.DIALOGUE, line_start + q.start(),
                                    line_start + q.end(), q.group(), speak=inner,
                                    speaker=speaker, paragraph=para_index))
            cursor = q.end()
        if cursor < len(line):
            segments.append(_narration(line[cursor:], line_start + cursor, para_index))
        pos = m.end()
    if pos < len(text):
        segments.append(Segment(SegmentKind.SPACE, pos, len(text), text[pos:]))
    return Script(tuple(segments), tuple(found.values()), title=title, source=source)


def _narration(chunk: str, start: int, paragraph: int) -> Segment:
    return Segment(SegmentKind.NARRATION, start, start + len(chunk), chunk,
                   speak=chunk.replace("**", "").strip(), speaker=NARRATOR, paragraph=paragraph)
