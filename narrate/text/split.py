"""A book as a series: its Script cut into one Script per chapter, an episode each.

Chapters come from the Script's heading segments:

* consecutive headings (``Part One`` then ``Chapter 1``, nothing spoken between them) open one
  chapter, titled by both (``Part One: Chapter 1``);
* text before the first heading (front matter, an epigraph) joins the first chapter;
* a chapter of fewer than ``min_words`` spoken words (scene labels, a part title page) joins the
  chapter after it, until the joined chapter is long enough; a short last chapter joins the one
  before it. A joined chapter keeps its first part's title (the episode's own chapter marks
  still name every heading);
* a Script without headings is one chapter.

Segments are sliced, never copied or changed: every segment lands in exactly one chapter, in
order, and keeps its offsets into the book's text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from narrate.errors import InputError
from narrate.script import Script, SegmentKind, heading_title

MIN_CHAPTER_WORDS = 150
"""A chapter with fewer spoken words than this (about a minute of speech) is no episode of its
own: it joins the next chapter."""

HEADING_JOINER = ": "
"""Between the titles of consecutive headings that open one chapter."""


class SplitMode(StrEnum):
    """How a story becomes episodes."""

    NONE = "none"
    """One episode per story (chapters are marks inside it)."""
    CHAPTERS = "chapters"
    """One episode per chapter of the story."""

    @classmethod
    def parse(cls, value: str | SplitMode) -> SplitMode:
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            raise InputError(f"unknown split {value!r}; use one of: "
                             f"{', '.join(m.value for m in cls)}") from None


@dataclass(frozen=True)
class BookChapter:
    """One chapter of a book: a run of the Script's segments."""

    number: int
    """Place in the book, from 1."""
    title: str
    """Its heading's words (consecutive headings joined); "" for a book without headings."""
    first: int
    """Index of its first segment in the book's Script."""
    stop: int
    """Index one past its last segment."""
    words: int
    """Spoken words in it, headings left out."""

    def of(self, book: Script) -> Script:
        """The chapter's part of ``book`` (or of a Script with the same segments, such as the
        book once cast): same characters, source and metadata, plus ``meta["chapter"]``."""
        if self.stop > len(book.segments):
            raise InputError(f"chapter {self.number} ends at segment {self.stop}, but the "
                             f"script has {len(book.segments)}: split that script instead")
        meta = {**book.meta, "chapter": {"number": self.number, "title": self.title}}
        return replace(book, segments=book.segments[self.first:self.stop], meta=meta)


def split_chapters(script: Script, *, min_words: int = MIN_CHAPTER_WORDS) -> list[BookChapter]:
    """The chapters of ``script`` (see the module's rules); always at least one."""
    if min_words < 0:
        raise InputError(f"min_words must be 0 or more, not {min_words}")
    segments = script.segments
    # (first segment, heading titles, words) of each run of text under a run of headings
    groups: list[tuple[int, list[str], int]] = []
    text_since_heading = True
    front_words = 0
    for i, seg in enumerate(segments):
        if seg.kind is SegmentKind.HEADING:
            title = heading_title(seg.text)
            if not title:  # markup only: no chapter to name
                continue
            if groups and not text_since_heading:
                groups[-1][1].append(title)
            else:
                groups.append((i, [title], 0))
            text_since_heading = False
        elif seg.spoken:
            text_since_heading = True
            words = len(seg.text.split())
            if groups:
                first, titles, count = groups[-1]
                groups[-1] = (first, titles, count + words)
            else:
                front_words += words
    if not groups:
        return [BookChapter(1, "", 0, len(segments), front_words)]
    # front matter joins the first chapter
    first, titles, count = groups[0]
    groups[0] = (0, titles, count + front_words)
    merged: list[tuple[int, str, int]] = []
    pending: tuple[int, str, int] | None = None
    for first, titles, count in groups:
        title = HEADING_JOINER.join(titles)
        pending = (pending[0], pending[1], pending[2] + count) if pending else (first, title,
                                                                                count)
        if pending[2] >= min_words:
            merged.append(pending)
            pending = None
    if pending is not None:
        if merged:  # a short last chapter joins the one before it
            first, title, count = merged[-1]
            merged[-1] = (first, title, count + pending[2])
        else:
            merged.append(pending)
    stops = [first for first, _, _ in merged[1:]] + [len(segments)]
    return [BookChapter(n, title, first, stop, count)
            for n, ((first, title, count), stop) in enumerate(zip(merged, stops, strict=True), 1)]
