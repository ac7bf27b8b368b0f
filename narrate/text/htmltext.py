"""HTML and XHTML -> readable story text, with the standard library's ``html.parser``.

* ``h1``-``h6`` become heading lines (``#`` to ``######`` and the heading's words) with blank
  lines around, which the segmenter takes for headings and the mixer for chapters;
* block elements (``p``, ``div``, ``li``, ``blockquote``, ``br``, table rows...) end a paragraph;
  paragraphs are separated by a blank line, whitespace inside them collapses to single spaces;
* page furniture and what is never read (``script``, ``style``, ``nav``, ``header``,
  ``footer``, ``aside``, ``form``, ``noscript``, ``template``, ``svg``, ruby annotations, EPUB
  note references and page-break markers) is dropped with its content; a ``header`` inside an
  ``article`` or ``section`` is kept (it holds a chapter's title);
* entities and character references are decoded.

Known limits: CSS is not read (text hidden by a style is spoken); a heading made of styled
``<p>`` or ``<b>`` (no ``h`` element) is a paragraph; a poem's ``<br>`` lines each become a
paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["Page", "html_to_text"]

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
DROPPED = frozenset(["script", "style", "nav", "header", "footer", "aside", "form",
                     "noscript", "template", "svg", "math", "rt", "rp", "button", "select",
                     "iframe", "object", "canvas", "audio", "video"])
"""Elements whose content is never story text. ``header`` is dropped only outside an
``article``/``section``/``main``: a site's banner is, a chapter's title block is not."""
SECTIONING = frozenset(["article", "section", "main"])
BLOCKS = frozenset(["p", "div", "li", "blockquote", "br", "hr", "tr", "td", "th", "dt", "dd",
                    "ul", "ol", "dl", "table", "section", "article", "main", "body",
                    "figure", "figcaption", "pre", "address", "center", "caption"])
"""Elements that end the paragraph before them and start a new one."""
DROPPED_EPUB_TYPES = frozenset(["noteref", "pagebreak", "footnote", "endnote", "rearnote",
                                "toc", "landmarks", "page-list"])
"""``epub:type`` values of inline markers and notes that would interrupt the story."""
VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "param", "source", "track", "wbr"])


@dataclass(frozen=True)
class Page:
    text: str
    """Paragraphs and ``#`` heading lines separated by blank lines."""
    title: str = ""
    """The first ``h1``, else the ``<title>``; "" when there is neither."""
    language: str = ""
    """``<html lang>`` (or ``xml:lang``)."""
    headings: tuple[str, ...] = ()
    """The words of every heading, in order."""
    cover: bool = False
    """The body or a section is marked ``epub:type="cover"``."""
    images: tuple[str, ...] = field(default_factory=tuple)
    """``src`` (or SVG ``href``) of every image, as written."""


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.buffer: list[str] = []
        self.dropping: list[str] = []  # open dropped elements, innermost last
        self.heading: int = 0  # level of the open heading element
        self.sectioning = 0  # open article/section/main elements
        self.headings: list[str] = []
        self.first_h1 = ""
        self.title: list[str] | None = None
        self.title_text = ""
        self.language = ""
        self.cover = False
        self.images: list[str] = []

    def _flush(self) -> None:
        words = " ".join("".join(self.buffer).split())
        self.buffer.clear()
        if not words:
            return
        if self.heading:
            self.headings.append(words)
            if self.heading == 1 and not self.first_h1:
                self.first_h1 = words
            words = "#" * self.heading + " " + words
        self.paragraphs.append(words)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v or "" for k, v in attrs}
        if tag == "html":
            self.language = values.get("lang") or values.get("xml:lang") or ""
        types = set(values.get("epub:type", "").split())
        if "cover" in types:
            self.cover = True
        if tag in ("img", "image"):
            src = values.get("src") or values.get("xlink:href") or values.get("href")
            if src:
                self.images.append(src)
        if tag == "title" and not self.title_text and "svg" not in self.dropping:
            self.title = []
            return
        if self.dropping:
            if tag not in VOID:
                self.dropping.append(tag)
            return
        if tag in SECTIONING:
            self.sectioning += 1
        if (tag in DROPPED and not (tag == "header" and self.sectioning)) or (
                types & DROPPED_EPUB_TYPES):
            if tag not in VOID:
                self.dropping.append(tag)
        elif tag in HEADINGS:
            self._flush()
            self.heading = HEADINGS[tag]
        elif tag in BLOCKS:
            if self.heading:
                self.buffer.append(" ")  # a <br> inside a heading keeps it one line
            else:
                self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:  # <div/> in XHTML: open and closed at once
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.title is not None:
            self.title_text = " ".join("".join(self.title).split())
            self.title = None
            return
        if self.dropping:
            if tag in self.dropping:  # close it and anything left open inside it
                del self.dropping[len(self.dropping) - 1 - self.dropping[::-1].index(tag):]
            return
        if tag in SECTIONING:
            self.sectioning = max(0, self.sectioning - 1)
        if tag in HEADINGS and self.heading:
            self._flush()
            self.heading = 0
        elif tag in BLOCKS and not self.heading:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.title is not None:
            self.title.append(data)
        elif not self.dropping:
            self.buffer.append(data)


def html_to_text(markup: str) -> Page:
    """The readable text of an HTML or XHTML document (see the module docstring)."""
    parser = _Extractor()
    parser.feed(markup)
    parser.close()
    parser._flush()
    return Page("\n\n".join(parser.paragraphs) + ("\n" if parser.paragraphs else ""),
                title=parser.first_h1 or parser.title_text, language=parser.language,
                headings=tuple(parser.headings), cover=parser.cover, images=tuple(parser.images))
