"""Story text -> Script: clean, segment, attribute every quote and normalise for speech.

The pipeline, one module per stage:

* `formats`   - story files (.txt, Markdown, HTML, EPUB) -> text, title, author, cover
* `blocks`    - paragraphs and their offsets (web one-line-per-paragraph or hard-wrapped text)
* `clean`     - headings, list items and page boilerplate (kept as `skipped` segments)
* `quotes`    - quotation spans and which of them are speech
* `names`     - characters, aliases and genders (from the text and an optional cast);
  `name_words` holds the words it reads names by (titles, person nouns, relations)
* `attribution` - who speaks each quote (named sieves, `attribution/sieves.py` orders them)
* `normalize` - the text to speak
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from narrate.script import NARRATOR, Character, Gender, Script, Segment, SegmentKind
from narrate.text.attribution import (
    Attribution,
    attribute_quotes,
    has_speech_verb,
    kin_names,
    self_introductions,
)
from narrate.text.blocks import is_hard_wrapped, split_blocks
from narrate.text.clean import classify_blocks
from narrate.text.formats import MAX_STORY_BYTES, StoryText, read_source
from narrate.text.names import Registry
from narrate.text.normalize import normalize as speakable
from narrate.text.quotes import Quote, detect_style, find_quotes, speech_rule

__all__ = ["MAX_STORY_BYTES", "StoryText", "build_script", "read_source", "read_story",
           "speakable"]

UNKNOWN_SPEAKER = "Someone"
"""Speaker of a quote no rule could attribute."""


def read_story(path: str | Path) -> str:
    """The text of a story file, which a Script's offsets index: a .txt file's own text (UTF-8,
    no newline translation), the extracted text of Markdown, HTML and EPUB files (see
    `narrate.text.formats`; `read_source` also gives their title, author and cover)."""
    return read_source(path).text


def build_script(text: str, *, characters: Sequence[Character] = (), title: str = "",
                 source: str | None = None, meta: Mapping[str, Any] | None = None) -> Script:
    """Segments that tile `text` (kind, speaker, offsets, text to speak) and the speakers.
    ``meta`` (e.g. `StoryText.meta`: the source's format, author, cover) joins the Script's."""
    blocks = split_blocks(text)
    infos = classify_blocks(text, blocks)
    story = [info.kind == "text" for info in infos]
    style = detect_style(text, [b for b, s in zip(blocks, story, strict=True) if s])
    quotes = find_quotes(text, blocks, style, story)
    narration = _narration_spans(text, blocks, story, quotes)
    registry = Registry(text, characters, narration)
    verbs = has_speech_verb(text, blocks, quotes, registry)
    speech: list[Quote] = []
    not_speech: dict[int, str] = {}
    for q, verb in zip(quotes, verbs, strict=True):
        prev_tail = ""
        if q.block > 0:
            pb = blocks[q.block - 1]
            prev_tail = text[max(pb.start, pb.end - 300):pb.end]
        why = speech_rule(text, q, prev_tail, verb, blocks[q.block].start)
        if why:
            not_speech[q.start] = why
        else:
            speech.append(q)
    headings = [k for k, info in enumerate(infos) if info.kind == "heading"]
    attributions = attribute_quotes(text, blocks, speech, registry, headings)
    self_introductions(text, speech, attributions, registry)
    kin_names(text, registry)
    segments = _segments(text, blocks, infos, quotes, speech, attributions, not_speech,
                         registry)
    cast = _mark_children(text, segments, _speaking_characters(segments, registry))
    return Script(tuple(segments), cast, title=title, source=source,
                  meta={"quote_style": style.value, "hard_wrapped": is_hard_wrapped(text),
                        **(meta or {})})


_CHILD_CALLS = re.compile(r"^\W*(mommy|mummy|momma|daddy|dada|mama|papa)\b", re.I)
"""Words for a parent that a child uses: a speaker who opens a line with one is a child."""
_LITTLE = "little "
_YOUNG_AGE = re.compile(
    r"\b(?:[1-9]|1[0-2]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"[- ]years?[- ]old\b", re.I)
"""An age a child has ("seven years old", "a nine-year-old")."""
_AGE_APPOSITIVE = re.compile(
    r",\s+(?:who\s+(?:was|is)|aged)\s+"
    r"(?:[2-9]|1[0-2]|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b"
    r"(?!-|\s+(?:feet|foot|inch|inches|miles?|pounds?|stone|o['’]clock|minutes?|hours?|days?"
    r"|weeks?|months?|of|hundred|thousand|and\s+(?:twenty|thirty|forty|fifty|sixty)))")
"""A child's age in an appositive right after the name ("Poppy, who was six, watched")."""
AGE_WINDOW = 200  # characters after a mention of the name, within its paragraph


def _mark_children(text: str, segments: Sequence[Segment],
                   cast: Sequence[Character]) -> tuple[Character, ...]:
    """Mark as children the speakers who call out "Mommy"/"Daddy", whom the story calls
    "little <name>", or whose young age follows their name: casting gives them a young voice.
    Known failures: an adult saying "Daddy" in jest, a nickname like "Little John", another
    person's age stated right after the name ("Ann's son, seven years old")."""
    callers = {s.speaker for s in segments
               if s.kind is SegmentKind.DIALOGUE and _CHILD_CALLS.match(s.text.strip("“”\"'‘’"))}
    folded = text.casefold()
    # most stories state no age in years: then no pattern per name is built and run
    ages_stated = "year" in folded or "who was " in folded or "who is " in folded or \
        "aged " in folded
    marked = []
    for c in cast:
        names = {c.name, *c.aliases}
        little = any(_LITTLE + n.split()[0].casefold() in folded for n in names
                     if n and n[0].isupper())
        if c.age is None and (c.name in callers or little or
                              (ages_stated and _young_by_age(text, names))):
            c = replace(c, age="child")
        marked.append(c)
    return tuple(marked)


def _young_by_age(text: str, names: set[str]) -> bool:
    """A child's age stated just after a mention ("Pip ... He was seven years old")."""
    for name in names:
        if not name or not name[0].isupper():
            continue
        # `\bName\b` would be ~40x slower: a leading \b stops the regex engine from jumping
        # to its literal prefix, so the boundary before the name is checked by hand
        for m in re.finditer(rf"{re.escape(name)}\b", text):
            before = text[m.start() - 1] if m.start() else " "
            if before.isalnum() or before == "_":
                continue
            window = text[m.end():m.end() + AGE_WINDOW].split("\n\n")[0]
            if _YOUNG_AGE.search(window) or _AGE_APPOSITIVE.match(window):
                return True
    return False


def _narration_spans(text: str, blocks: Sequence, story: Sequence[bool],
                     quotes: Sequence[Quote]) -> list[tuple[int, int]]:
    spans = []
    qi = 0
    for b, use in zip(blocks, story, strict=True):
        if not use:
            continue
        pos = b.start
        while qi < len(quotes) and quotes[qi].start < b.end:
            q = quotes[qi]
            if q.start > pos:
                spans.append((pos, q.start))
            pos = max(pos, q.end)
            qi += 1
        if pos < b.end:
            spans.append((pos, b.end))
    return spans


def _display(key: str, registry: Registry) -> str:
    if key == NARRATOR:
        return NARRATOR
    e = registry.entities.get(key)
    if e is None:
        return UNKNOWN_SPEAKER
    if e.from_cast or e.description:
        return e.display
    # the longest name; descriptions merged into a named character ("the gentleman") are
    # aliases, not the name to show
    forms = sorted(e.forms, key=lambda f: (not f[:1].isupper(), -len(f.split()), f))
    return forms[0] if forms else e.display


def _segments(text: str, blocks: Sequence, infos: Sequence, quotes: Sequence[Quote],
              speech: Sequence[Quote], attributions: Sequence[Attribution],
              not_speech: dict[int, str], registry: Registry) -> list[Segment]:
    segments: list[Segment] = []
    section = 0
    pos = 0
    speech_at = {q.start: (q, a) for q, a in zip(speech, attributions, strict=True)}
    by_block: dict[int, list[Quote]] = {}
    for q in quotes:
        by_block.setdefault(q.block, []).append(q)

    def narration(s: int, e: int, para: int, reason: str | None = None) -> None:
        chunk = text[s:e]
        segments.append(Segment(SegmentKind.NARRATION, s, e, chunk, speak=speakable(chunk),
                                speaker=NARRATOR, paragraph=para, section=section,
                                reason=reason))

    for b, info in zip(blocks, infos, strict=True):
        if info.kind == "heading" and segments:
            section += 1
        if b.start > pos:
            segments.append(Segment(SegmentKind.SPACE, pos, b.start, text[pos:b.start],
                                    speaker=NARRATOR, paragraph=b.index, section=section))
        chunk = text[b.start:b.end]
        if info.kind == "skipped":
            segments.append(Segment(SegmentKind.SKIPPED, b.start, b.end, chunk, speaker=NARRATOR,
                                    paragraph=b.index, section=section, reason=info.reason))
        elif info.kind in ("heading", "list_item"):
            kind = SegmentKind.HEADING if info.kind == "heading" else SegmentKind.LIST_ITEM
            speak = speakable(chunk.replace("“", "").replace("”", "").replace("\"", ""))
            segments.append(Segment(kind, b.start, b.end, chunk, speak=speak, speaker=NARRATOR,
                                    paragraph=b.index, section=section))
        else:
            cur = b.start
            for q in by_block.get(b.index, []):
                if q.start in speech_at:
                    if q.start > cur:
                        narration(cur, q.start, b.index)
                    _, att = speech_at[q.start]
                    inner = text[q.inner_start:q.inner_end]
                    segments.append(Segment(
                        SegmentKind.DIALOGUE, q.start, q.end, text[q.start:q.end],
                        speak=speakable(inner), speaker=_display(att.speaker, registry),
                        paragraph=b.index, section=section, reason=att.reason,
                        confidence=att.confidence))
                    cur = q.end
                elif q.start in not_speech:
                    if q.start > cur:
                        narration(cur, q.start, b.index)
                    narration(q.start, q.end, b.index, reason=not_speech[q.start])
                    cur = q.end
            if cur < b.end:
                narration(cur, b.end, b.index)
        pos = b.end
    if pos < len(text):
        segments.append(Segment(SegmentKind.SPACE, pos, len(text), text[pos:], speaker=NARRATOR,
                                paragraph=len(blocks), section=section))
    return segments


def _speaking_characters(segments: Sequence[Segment], registry: Registry) -> tuple[Character, ...]:
    seen: dict[str, Character] = {}
    by_display = {_display(k, registry): e for k, e in registry.entities.items()}
    for s in segments:
        if s.kind is not SegmentKind.DIALOGUE or not s.speaker or s.speaker in seen:
            continue
        if s.speaker == NARRATOR:
            seen[NARRATOR] = Character(NARRATOR, (NARRATOR, "I"), Gender.UNKNOWN)
        elif s.speaker in by_display:
            c = by_display[s.speaker].character()
            seen[s.speaker] = Character(s.speaker, tuple(dict.fromkeys(
                [s.speaker, *c.aliases])), c.gender, age=c.age)
        else:
            seen[s.speaker] = Character(s.speaker, (s.speaker,), Gender.UNKNOWN)
    return tuple(seen.values())
