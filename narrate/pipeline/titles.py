"""Episode titles and slugs: from a story's heading, its file's title or its file name."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from narrate.script import Script, SegmentKind, heading_title
from narrate.text import build_script, read_source
from narrate.text.formats import Cover


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80] or "episode"


_MINOR_WORDS = frozenset({"a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at",
                          "to", "for", "by", "with", "from", "as", "into"})


def title_from_words(words: Sequence[str]) -> str:
    """A title from file-name words: "The Adventures of Sherlock Holmes", not str.title()'s
    "The Adventures Of Sherlock Holmes" (minor words stay lower case after the first)."""
    return " ".join(w[:1].upper() + w[1:] if n == 0 or w.lower() not in _MINOR_WORDS
                    else w.lower() for n, w in enumerate(words))


def short_slug(text: str, limit: int = 40) -> str:
    """``slugify(text)`` cut to ``limit`` characters at a word boundary where one is in the
    second half ("the-lighthouse-keeper-s", not "the-lighthouse-keeper-s-daught")."""
    slug = slugify(text)
    if len(slug) <= limit:
        return slug
    cut = slug.rfind("-", 0, limit + 1)
    return slug[:cut] if cut > limit // 2 else slug[:limit].strip("-")


TITLE_WORDS = 8


"""Words of the opening used as a title when neither a heading nor the file name gives one."""


def script_story(path: str | Path) -> Script:
    """Read and script a story file (any kind `read_source` reads); its title is the one the
    file gives (EPUB metadata, HTML title, Markdown front matter), else its leading heading,
    else the file name."""
    return read_script(path)[0]


def read_script(path: str | Path) -> tuple[Script, Cover | None]:
    """`script_story`, and the cover image the file carries (an EPUB's), if any."""
    path = Path(path)
    source = read_source(path)
    script = build_script(source.text, source=str(path), meta=source.meta)
    return titled(script, path.stem, title=source.title), source.cover


def titled(script: Script, stem: str, *, title: str = "", book: bool = False) -> Script:
    """Give a script its episode title. A heading that opens the story becomes the title and is
    marked skipped (the title is announced over the intro music; reading it again is clumsy).
    A file name that is an id (``000_1d5dd2c8``) is no title: the opening words stand in.

    ``title``, when the file gives one (an EPUB's ``dc:title``), is the title; an opening heading
    is then skipped only when it says the same (a book's first heading is often its first
    chapter's, which must be read and name the first chapter).

    ``book`` (a book split into chapters): an opening heading followed by text, not by another
    heading, is the first chapter's ("Chapter 1"), not the book's title."""
    for i, seg in enumerate(script.segments):
        if seg.kind is SegmentKind.HEADING and seg.speak.strip():
            heading = heading_title(seg.text)
            if title and heading.casefold() != " ".join(title.split()).casefold():
                break
            if book and not title and not _heading_follows(script, i):
                break
            announced = replace(seg, kind=SegmentKind.SKIPPED, reason="episode title, announced")
            segments = (*script.segments[:i], announced, *script.segments[i + 1:])
            return replace(script, segments=segments,
                           title=title or heading or " ".join(seg.speak.split()))
        if seg.spoken:
            break
    if title:
        return replace(script, title=title)
    words = [w for w in stem.replace("_", " ").replace("-", " ").split() if not _looks_like_id(w)]
    if sum(c.isalpha() for w in words for c in w) >= 3:
        return replace(script, title=title_from_words(words))
    opening = next((s.text.replace("**", "") for s in script.segments if s.spoken), "").split()
    for n, word in enumerate(opening[:TITLE_WORDS + 4], 1):
        if word.rstrip(_QUOTES).endswith((".", "!", "?")):  # a short first sentence is best
            return replace(script, title=" ".join(opening[:n]).strip(_QUOTES).rstrip("."))
    title = " ".join(opening[:TITLE_WORDS]).strip(_QUOTES).rstrip(",;:—-")
    return replace(script, title=(title + "…" if len(opening) > TITLE_WORDS else title)
                   or "Episode")


_QUOTES = "“”\"‘’'"


def _heading_follows(script: Script, index: int) -> bool:
    """The first spoken segment after ``index`` is a heading."""
    nxt = next((s for s in script.segments[index + 1:] if s.spoken), None)
    return nxt is not None and nxt.kind is SegmentKind.HEADING


def _looks_like_id(word: str) -> bool:
    """Digits, or hex with digits in it (hash-like file names)."""
    return word.isdigit() or (any(c.isdigit() for c in word)
                              and all(c in "0123456789abcdefABCDEF" for c in word))
