"""Classify blocks: story text, headings, list items and web-page boilerplate.

Scraped pages carry author boxes, comment buttons, "News" teaser lists and feed footers after
the story. Those blocks become `skipped` segments with a reason, never deleted silently. Each
rule is a small named function; the first that matches decides.

Known failure cases: a one-line paragraph in Title Case with no final stop ("A Night To
Remember") is taken for a heading; a teaser list without any marker line ("News", "Related",
"End of content"...) is kept as story text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from narrate.text.blocks import Block

__all__ = ["BlockInfo", "classify_blocks", "is_title_case"]

# page furniture lines, matched as whole lines (a set: a case-insensitive regex alternation
# of them costs milliseconds to compile at every process start)
_MARKER_LINES = frozenset([
    "about the author", "reply", "leave a reply", "leave a comment", "comment", "comments",
    "news", "related", "related posts", "related articles", "related stories",
    "you may also like", "read more", "read next", "more stories", "recommended",
    "recommended for you", "trending", "trending now", "popular", "popular posts",
    "advertisement", "sponsored", "share", "share this", "share this article",
    "share this story", "tag", "tags", "end of content", "no more pages to load", "load more",
    "show more", "see more", "previous post", "previous article", "next post", "next article",
    "subscribe"])
_END_LINES = frozenset(["end of content", "no more pages to load", "load more", "show more"])
_COMMENT_COUNT = re.compile(r"\d+ comments?")


class _Lines:
    """`match(line)` like a compiled pattern, on a whole line: its casefolded words are one
    of `lines` (a trailing ':', '.' or '!' allowed)."""

    def __init__(self, lines: frozenset[str], count: bool):
        self.lines = lines
        self.count = count

    def match(self, line: str) -> bool:
        key = line[:-1] if line.endswith((":", ".", "!")) else line
        key = key.casefold()
        return key in self.lines or (self.count and bool(_COMMENT_COUNT.fullmatch(key)))


_MARKERS = _Lines(_MARKER_LINES, count=True)
_END_MARKERS = _Lines(_END_LINES, count=False)
_SMALL_WORDS = {"a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for",
                "by", "with", "from", "as", "into", "vs", "via", "per", "is", "it", "its"}
_BULLET = re.compile(r"^(?:[•·▪◦●‣∙*+-]|\d{1,3}[.)])\s+")
_CHAPTER = re.compile(r"(?i)^(?:chapter|book|part|act|scene|prologue|epilogue)\b[\w .:-]{0,40}$")
_WORD = re.compile(r"[A-Za-z][\w’'-]*")


@dataclass(frozen=True)
class BlockInfo:
    kind: str
    """"text", "heading", "list_item" or "skipped"."""
    reason: str | None = None


def is_title_case(text: str, *, min_words: int = 2) -> bool:
    """Every significant word capitalised ("The Night the World Held Its Breath")."""
    words = _WORD.findall(text)
    if len(words) < min_words:
        return False
    significant = [w for w in words[1:] if w.lower() not in _SMALL_WORDS]
    return words[0][0].isupper() and all(w[0].isupper() for w in significant)


def _plain(text: str) -> str:
    return text.replace("**", "").replace("__", "").strip().strip("#").strip()


def rule_marker(text: str) -> str | None:
    """A page-furniture line: "Reply", "About The Author", "End of content"..."""
    return "page furniture" if _MARKERS.match(_plain(text)) else None


def rule_markdown_heading(text: str) -> str | None:
    """``# Title`` or a block opening or closing a bold span: ``**Title**``."""
    stripped = text.strip()
    if re.match(r"#+\s", stripped) and len(stripped) < 200:
        return "heading"
    if (stripped.startswith("**") or stripped.endswith("**")) and len(stripped.split()) <= 25:
        return "heading"
    return None


def rule_chapter_heading(text: str) -> str | None:
    """"Chapter 1", "CHAPTER IV. The Storm", "Part Two"."""
    return "heading" if _CHAPTER.match(_plain(text)) else None


def rule_title_line(text: str) -> str | None:
    """A short stand-alone line in Title Case or capitals without a final stop."""
    plain = _plain(text)
    words = plain.split()
    if not 1 <= len(words) <= 14 or "\n" in plain:
        return None
    bare = plain.strip("“”\"‘’'")
    quoted = bare != plain
    if bare.endswith((",", ";", ":")):
        return None
    if bare.endswith((".", "!", "?", "…")) and not quoted:
        return None
    if quoted and bare.rstrip("”\"’'").endswith(("!", "?")):
        return None  # "“Holmes, the Scotland Yard Jack-in-office!”": an exclamation is speech
    letters = [c for c in bare if c.isalpha()]
    if len(words) >= 2 and letters and all(c.isupper() for c in letters) and not quoted:
        return "heading"
    if is_title_case(bare, min_words=3 if quoted else 2) and not (
            quoted and not _capitalised_after_first(bare)):
        return "heading"
    return None


def _capitalised_after_first(text: str) -> int:
    """Capitalised words after the first that are not small words: a quoted line of small words
    ("“Who is it?”") is title case only vacuously, and is speech."""
    return sum(w[0].isupper() for w in _WORD.findall(text)[1:] if w.lower() not in _SMALL_WORDS)


_OPENING_QUOTES = ("“", '"', "‘")
SECTION_GAP_LINES = 3
"""Blank lines around a block that set it apart as a title (books put 3-6 before a story)."""


def _set_apart_word(text: str, blocks: Sequence[Block], i: int) -> bool:
    """One word in capitals alone between section gaps ("ARABY", "EVELINE" in Dubliners): a
    title, though the title-line rule wants two words of capitals (one could be a shout)."""
    word = text[blocks[i].start:blocks[i].end]
    if len(word) < 3 or not word.isalpha() or not word.isupper():
        return False
    # the first block has nothing before it: the gap after it sets it apart instead
    gap = (text[blocks[i - 1].end:blocks[i].start] if i
           else text[blocks[0].end:blocks[1].start] if len(blocks) > 1 else "")
    return gap.count("\n") > SECTION_GAP_LINES


def _in_conversation(text: str, blocks: Sequence[Block], i: int) -> bool:
    """A quoted block whose neighbour is a quoted paragraph, or that follows a paragraph ending
    in a colon ("he said abruptly:"), is a line of a conversation, not a quoted title: in
    hard-wrapped novels "“And Irene Adler?”" and "“Good-night, Miss Morkan.”" made chapters."""
    before = text[blocks[i - 1].start:blocks[i - 1].end].rstrip() if i else ""
    after = text[blocks[i + 1].start:blocks[i + 1].end].lstrip() if i + 1 < len(blocks) else ""
    return (before.endswith(":") or before.startswith(_OPENING_QUOTES)
            or after.startswith(_OPENING_QUOTES))


BLOCK_RULES: Sequence[Callable[[str], str | None]] = (
    rule_marker, rule_markdown_heading, rule_chapter_heading, rule_title_line)


def _teaser_like(text: str) -> bool:
    """A related-article teaser: a truncated excerpt or a headline."""
    plain = _plain(text)
    return plain.endswith(("…", "...")) or bool(rule_title_line(plain)) or bool(
        _MARKERS.match(plain)) or (is_title_case(plain, min_words=5) and len(plain) < 200)


def classify_blocks(text: str, blocks: Sequence[Block]) -> list[BlockInfo]:
    """One `BlockInfo` per block."""
    infos: list[BlockInfo] = []
    for i, b in enumerate(blocks):
        chunk = text[b.start:b.end]
        info = BlockInfo("text")
        if rule_marker(chunk):
            info = BlockInfo("skipped", f"page furniture: {_plain(chunk)!r}")
        elif _BULLET.match(chunk):
            info = BlockInfo("list_item")
        elif rule_markdown_heading(chunk) or rule_chapter_heading(chunk) or _set_apart_word(
                text, blocks, i) or (
                (b.blank_before or b.blank_after or b.index == 0) and rule_title_line(chunk)
                and not (chunk.lstrip().startswith(_OPENING_QUOTES)
                         and _in_conversation(text, blocks, i))):
            info = BlockInfo("heading")
        infos.append(info)
    _skip_trailer(text, blocks, infos)
    return infos


def _skip_trailer(text: str, blocks: Sequence[Block], infos: list[BlockInfo]) -> None:
    """From a marker line in the second half on, skip the page's trailer (teasers, footers).

    The trailer must look like one: at least half of the blocks after the marker are teasers,
    headlines or more markers.
    """
    n = len(blocks)
    for i in range(n // 2, n):
        chunk = text[blocks[i].start:blocks[i].end]
        if not _MARKERS.match(_plain(chunk)):
            continue
        rest = [text[b.start:b.end] for b in blocks[i + 1:]]
        if rest and sum(_teaser_like(r) for r in rest) * 2 < len(rest):
            continue
        label = _plain(chunk)
        for j in range(i, n):
            if j == i or infos[j].kind != "skipped":
                end = text[blocks[j].start:blocks[j].end]
                why = (f"page furniture: {_plain(end)!r}" if _END_MARKERS.match(_plain(end))
                       or j == i else f"page trailer after {label!r} (teasers, links)")
                infos[j] = BlockInfo("skipped", why)
        return
