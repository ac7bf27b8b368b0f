"""Split story text into blocks (paragraphs) with their offsets.

Two layouts occur in the wild: web pages put one paragraph per line, while Project Gutenberg
style files hard-wrap lines at ~70 characters and separate paragraphs by blank lines. The layout
is decided once per document (`is_hard_wrapped`); in a hard-wrapped text a single newline is a
soft wrap, except before a bullet, which always starts a new block.

Some hard-wrapped texts (scans, scraped books) separate paragraphs by a single newline, so a
whole chapter of dialogue would be one block. A block far longer than a paragraph is split where
a line ends a sentence although the next line's first word would have fitted on it (a wrapper
only breaks early at a paragraph end), or where the next line is indented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

__all__ = ["Block", "is_hard_wrapped", "split_blocks"]

WRAP_WIDTH = 100
"""Characters: lines this long or longer are paragraphs, not wrapped lines."""

MIN_WRAPPED = 45
"""Characters: the median wrapped line is at least this long."""

LONG_REGION = 40
"""Lines: a blank-line block this long is checked for single-newline paragraph breaks."""

MIN_BREAKS_PER_LINE = 1 / 20
"""A long block splits only when early breaks are this frequent (a stray one is a wrap quirk)."""

_BULLET = re.compile(r"[ \t]*(?:[•·▪◦●‣∙*+-]|\d{1,3}[.)])[ \t]+\S")
_LINE = re.compile(r"[^\n]*\n?")
_SENTENCE_END = re.compile(r"(?:[.!?:]|[.!?,;:—–-]?[\"”’'])[\"”’')\]]*$")
_OPENS_PARAGRAPH = re.compile(r"[\"“‘'(\[]*[A-Z0-9]")


@dataclass(frozen=True)
class Block:
    """A paragraph: ``text[start:end]`` with no leading or trailing whitespace."""

    start: int
    end: int
    index: int
    blank_before: bool
    """Whether a blank line (or the start of the text) precedes the block."""
    blank_after: bool


def is_hard_wrapped(text: str) -> bool:
    """True when most lines are wrapped at a fixed width (so single newlines are soft).

    Needs blank-line paragraph breaks, and nearly every line shorter than `WRAP_WIDTH`, with
    several lines in a row (a web page has one long line per paragraph).
    """
    lengths = [len(line.rstrip()) for line in text.split("\n") if line.strip()]
    if len(lengths) < 4:
        return False
    if "\n\n" not in text and "\n\r\n" not in text and "\n \n" not in text:
        # no blank lines at all: wrapped prose still shows as many lines that stop mid-sentence
        ends = sum(1 for line in text.split("\n") if _SENTENCE_END.search(line.rstrip()))
        if len(lengths) < LONG_REGION or ends > 0.4 * len(lengths):
            return False
    long_lines = sum(1 for n in lengths if n >= WRAP_WIDTH)
    lines = text.split("\n")
    wrapped = sorted(len(a.rstrip()) for a, b in pairwise(lines)
                     if a.strip() and b.strip())
    # a wrapped line runs close to the wrap width; short single lines are verse or chat
    return (long_lines <= 0.05 * len(lengths) and len(wrapped) >= 0.3 * len(lengths)
            and wrapped[len(wrapped) // 2] >= MIN_WRAPPED)


def split_blocks(text: str) -> list[Block]:
    """Blocks in document order; the gaps between them are whitespace only."""
    wrapped = is_hard_wrapped(text)
    spans: list[tuple[int, int]] = []
    cur_start: int | None = None
    cur_end = 0
    for m in _LINE.finditer(text):
        if m.start() == m.end():
            break
        line = m.group()
        stripped = line.strip()
        if not stripped:
            if cur_start is not None:
                spans.append((cur_start, cur_end))
                cur_start = None
            continue
        lstart = m.start() + (len(line) - len(line.lstrip()))
        lend = m.start() + len(line.rstrip())
        if cur_start is not None and (not wrapped or _BULLET.match(line)):
            spans.append((cur_start, cur_end))
            cur_start = None
        if cur_start is None:
            cur_start = lstart
        cur_end = lend
    if cur_start is not None:
        spans.append((cur_start, cur_end))
    if wrapped:
        spans = [piece for span in spans for piece in _split_long_region(text, *span)]
    blocks = []
    for i, (s, e) in enumerate(spans):
        before = text[spans[i - 1][1]:s] if i else text[:s]
        after = text[e:spans[i + 1][0]] if i + 1 < len(spans) else text[e:]
        blocks.append(Block(s, e, i, blank_before=i == 0 or before.count("\n") >= 2,
                            blank_after=i + 1 == len(spans) or after.count("\n") >= 2))
    return blocks


def _split_long_region(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` cut at its single-newline paragraph breaks when it is a region too
    long to be one paragraph and such breaks are frequent; else the span itself."""
    first = text.rfind("\n", 0, start) + 1
    lines = text[first:end].split("\n")
    if len(lines) < LONG_REGION:
        return [(start, end)]
    lengths = sorted(len(line.rstrip()) for line in lines)
    width = lengths[int(0.9 * len(lengths))]
    indents = sorted(len(line) - len(line.lstrip()) for line in lines)
    indent = indents[len(indents) // 2]
    cuts: list[tuple[int, int]] = []  # (end of one paragraph, start of the next)
    pos = first
    for a, b in pairwise(lines):
        line_end = pos + len(a.rstrip())
        pos += len(a) + 1
        body = b.lstrip()
        if not _SENTENCE_END.search(a.rstrip()) or not _OPENS_PARAGRAPH.match(body):
            continue
        # a greedy wrapper breaks a line early only where its paragraph ends
        if (len(a.rstrip()) + 1 + len(body.split(None, 1)[0]) <= width
                or len(b) - len(body) > indent):
            cuts.append((line_end, pos + len(b) - len(body)))
    if len(cuts) < MIN_BREAKS_PER_LINE * len(lines):
        return [(start, end)]
    spans = []
    cur = start
    for cut_end, cut_start in cuts:
        spans.append((cur, cut_end))
        cur = cut_start
    spans.append((cur, end))
    return spans
