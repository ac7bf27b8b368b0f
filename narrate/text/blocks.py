"""Split story text into blocks (paragraphs) with their offsets.

Two layouts occur in the wild: web pages put one paragraph per line, while Project Gutenberg
style files hard-wrap lines at ~70 characters and separate paragraphs by blank lines. The layout
is decided once per document (`is_hard_wrapped`); in a hard-wrapped text a single newline is a
soft wrap, except before a bullet, which always starts a new block.
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

_BULLET = re.compile(r"[ \t]*(?:[•·▪◦●‣∙*+-]|\d{1,3}[.)])[ \t]+\S")
_LINE = re.compile(r"[^\n]*\n?")


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
    if "\n\n" not in text and "\n\r\n" not in text and "\n \n" not in text:
        return False
    lengths = [len(line.rstrip()) for line in text.split("\n") if line.strip()]
    if len(lengths) < 4:
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
    blocks = []
    for i, (s, e) in enumerate(spans):
        before = text[spans[i - 1][1]:s] if i else text[:s]
        after = text[e:spans[i + 1][0]] if i + 1 < len(spans) else text[e:]
        blocks.append(Block(s, e, i, blank_before=i == 0 or before.count("\n") >= 2,
                            blank_after=i + 1 == len(spans) or after.count("\n") >= 2))
    return blocks
