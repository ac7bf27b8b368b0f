"""Story files of every kind -> story text and what the file says about itself.

``read_source`` picks a reader by the file's suffix (`READERS`): plain text is read as it is;
Markdown, HTML and EPUB are turned into plain text with one paragraph per line, separated by
blank lines, and headings as ``#`` lines (the segmenter makes them headings, the mixer makes
them chapters). A suffix narrate does not know is read as plain text.

The Script's offsets index `StoryText.text`: for a ``.txt`` file that is the file's own text,
for the other kinds the extracted text (``narrate script FILE --extract`` prints it).

The readers of the other kinds import their parsers (zipfile, ElementTree, html.parser) when
called, so that ``narrate script story.txt`` starts as fast as before.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narrate.errors import InputError

__all__ = ["MAX_STORY_BYTES", "READERS", "SUPPORTED_SUFFIXES", "Cover", "StoryText",
           "decode_text", "markdown_to_text", "read_source", "story_suffix"]

_LOGGER = logging.getLogger(__name__)
MAX_STORY_BYTES = 64 * 1024 * 1024
"""Bytes: larger story files are refused (a novel is well under 5 MB); for an EPUB, the limit
applies to the text extracted from it (its images do not count)."""


@dataclass(frozen=True)
class Cover:
    """A cover image found in the story file (an EPUB's cover)."""

    data: bytes
    media_type: str
    """As the file declares it, e.g. ``image/jpeg``."""


@dataclass(frozen=True)
class StoryText:
    """A story file read: the text to script and the file's own metadata."""

    text: str
    """What the Script is built from and what its offsets index."""
    format: str
    """"text", "markdown", "html" or "epub"."""
    title: str = ""
    """The title the file gives (EPUB ``dc:title``, HTML ``<h1>`` or ``<title>``, Markdown front
    matter); "" when it gives none, and the title is found as for a .txt file."""
    author: str = ""
    """EPUB ``dc:creator`` (several joined with "and"), Markdown front matter ``author``."""
    language: str = ""
    """EPUB ``dc:language``, HTML ``<html lang>``, e.g. ``en``."""
    cover: Cover | None = None

    @property
    def meta(self) -> dict[str, Any]:
        """What the Script records about its source (nothing for plain text, so a .txt story's
        Script is what it always was). The cover is recorded by its digest, so that a new cover
        renders the episode again."""
        if self.format == "text":
            return {}
        meta: dict[str, Any] = {"format": self.format}
        for key in ("author", "language"):
            if getattr(self, key):
                meta[key] = getattr(self, key)
        if self.cover is not None:
            import hashlib

            meta["cover"] = {"media_type": self.cover.media_type, "bytes": len(self.cover.data),
                             "sha256": hashlib.sha256(self.cover.data).hexdigest()}
        return meta


Reader = Callable[[Path], StoryText]


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refused when larger than `MAX_STORY_BYTES`: never more than that is
    read, whatever the size the file claims (a file under /proc says 0)."""
    check_story_file(path)
    try:
        with path.open("rb") as f:
            data = f.read(MAX_STORY_BYTES + 1)
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from e
    if len(data) > MAX_STORY_BYTES:
        raise InputError(f"{path} is over {MAX_STORY_BYTES // 2**20} MB; longer stories are "
                         "refused (split it into parts)")
    return data


def check_story_file(path: Path) -> None:
    """Refuse what is not a regular file under `MAX_STORY_BYTES` before opening it: opening a
    FIFO waits forever for a writer, and /dev/zero or /dev/urandom never end."""
    import stat

    try:
        st = path.stat()  # follows links: a link to /dev/zero is /dev/zero
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from e
    if not stat.S_ISREG(st.st_mode):
        kind = ("a FIFO" if stat.S_ISFIFO(st.st_mode) else
                "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
                "a socket" if stat.S_ISSOCK(st.st_mode) else "not a file")
        raise InputError(f"{path} is not a regular file ({kind}); give a story file")
    if st.st_size > MAX_STORY_BYTES:
        raise InputError(f"{path} is {st.st_size // 2**20} MB; stories over "
                         f"{MAX_STORY_BYTES // 2**20} MB are refused (split it into parts)")


def _non_empty(path: Path, story: StoryText) -> StoryText:
    if not story.text.strip("\ufeff \t\r\n"):
        what = "" if story.format == "text" else f" (no readable text in this {story.format} file)"
        raise InputError(f"{path} is empty{what}")
    return story


def read_plain_text(path: Path) -> StoryText:
    """UTF-8 without newline translation, so offsets stay valid for the file."""
    data = _read_bytes(path)
    if b"\x00" in data[:8192]:
        raise InputError(f"{path} looks binary, not a text story; give a UTF-8 .txt file "
                         f"(or {', '.join(s for s in SUPPORTED_SUFFIXES if s != '.txt')})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{path} is not UTF-8 text (bad byte at offset {e.start}); "
                         f"convert it, e.g. `iconv -f latin1 -t utf-8`") from e
    # A BOM becomes a space: one character for one, so offsets stay valid, and it is no
    # longer the first letter of the title (nor of the chapter and the feed's <title>).
    if text.startswith("\ufeff"):
        text = " " + text[1:]
    return _non_empty(path, StoryText(text, "text"))


_CHARSET = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]+)""")


def decode_text(data: bytes, what: str) -> str:
    """Markup bytes as text: a BOM, else the charset or XML encoding it declares, else UTF-8.
    ``what`` names the file in the error."""
    import codecs

    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    declared = _CHARSET.search(data[:2048])
    codec = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    try:
        codecs.lookup(codec)
    except LookupError:
        codec = "utf-8"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        raise InputError(f"{what} is not {codec} text as it declares (bad byte at offset "
                         f"{e.start}); convert it to UTF-8") from e


_HTML_DOCUMENT = re.compile(r"\A[\ufeff\s]*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                            re.I | re.S)
_TAG = re.compile(r"</?(?:[a-z][a-z0-9]*)(?:\s[^<>]*)?/?>", re.I)
MARKUP_TAGS_TO_WARN = 3
"""Tags in a .txt story from which on it is said to hold markup (one ``<b>`` may be prose)."""


def read_txt(path: Path) -> StoryText:
    """A ``.txt`` story (or one with an unknown suffix). A web page saved with a .txt name is
    read as the page it is (its <script> and <title> were read aloud); other markup is read as
    written, with a warning, since a story may mean its angle brackets."""
    story = read_plain_text(path)
    if _HTML_DOCUMENT.match(story.text):
        _LOGGER.warning("%s is HTML, not plain text: reading it as a web page (name it .html "
                        "to say so)", path)
        return read_html(path)
    tags = _TAG.findall(story.text)
    if len(tags) >= MARKUP_TAGS_TO_WARN:
        shown = ", ".join(dict.fromkeys(t[:20] for t in tags[:10]))
        _LOGGER.warning("%s holds %d markup tags (%s); they will be read aloud as written: "
                        "remove them, or name the file .html or .md", path, len(tags), shown)
    return story


def read_html(path: Path) -> StoryText:
    """A web page or XHTML document: see `narrate.text.htmltext`."""
    from narrate.text.htmltext import html_to_text

    page = html_to_text(decode_text(_read_bytes(path), str(path)))
    return _non_empty(path, StoryText(page.text, "html", title=page.title,
                                      language=page.language))


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)\n?",
                    re.M | re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_FRONT_MATTER = re.compile(r"\A[\ufeff ]?---[ \t]*\r?\n([A-Za-z_][\w-]*[ \t]*:.*?)\r?\n"
                           r"(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
"""YAML front matter: a ``---`` line, ``key: value`` lines, a ``---`` (or ``...``) line."""
_SETEXT = re.compile(r"^([^\n]*\S[^\n]*)\r?\n {0,3}(={2,}|-{2,})[ \t]*\r?$", re.M)
_RULE = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})\r?$", re.M)
_IMAGE = re.compile(r"!\[[^\]\n]*\](?:\([^)\n]*\)|\[[^\]\n]*\])")
_LINK = re.compile(r"\[([^\]\n]+)\](?:\([^)\n]*\)|\[[^\]\n]*\])")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]+\S+[^\n]*\n?", re.M)
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_QUOTE_MARK = re.compile(r"^ {0,3}(?:> ?)+", re.M)
_INLINE_CODE = re.compile(r"(`+)([^`\n]+?)\1")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~])")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_FIELD = re.compile(r"^(title|author)\s*:\s*(.+?)\s*$", re.M | re.I)


def markdown_to_text(markdown: str) -> tuple[str, dict[str, str]]:
    """Markdown -> the text to script, and the front matter's ``title``/``author``.

    Kept as they are, because the segmenter reads them right: ``#`` headings, ``**bold**``,
    ``*emphasis*``/``_emphasis_``, ``-``/``*``/``1.`` list items, bare URLs (as in .txt).
    Converted, because they would be read aloud as markup:

    * YAML front matter (``---`` ... ``---`` at the top): dropped; its title and author kept;
    * fenced code blocks (```` ``` ```` or ``~~~``): dropped with their content;
    * HTML comments and tags (``<br>``, ``<span ...>``): dropped, their text kept;
    * images ``![alt](src)``: dropped (the alt text describes a picture, it is no story);
    * links ``[text](url)``, ``[text][ref]``: the text; reference definitions dropped;
      autolinks ``<https://...>``: the URL without brackets;
    * setext headings (a line underlined with ``===``/``---``): ``#``/``##`` headings;
    * thematic breaks (``---``, ``***``, ``___``): an empty line;
    * blockquote marks ``>``, inline code backticks, backslash escapes: dropped;
    * character references (``&amp;``, ``&#8220;``): decoded.
    """
    import html

    meta: dict[str, str] = {}
    front = _FRONT_MATTER.match(markdown)
    if front:
        for key, value in _FIELD.findall(front.group(1)):
            meta.setdefault(key.lower(), value.strip("\"'"))
        markdown = markdown[front.end():]
    text = _FENCE.sub("", markdown)
    text = _COMMENT.sub("", text)
    text = _SETEXT.sub(lambda m: ("# " if m.group(2)[0] == "=" else "## ") + m.group(1).strip(),
                       text)
    text = _RULE.sub("", text)
    text = _LINK_DEFINITION.sub("", text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _QUOTE_MARK.sub("", text)
    text = _INLINE_CODE.sub(r"\2", text)
    text = _ESCAPE.sub(r"\1", text)
    text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    return text, meta


def read_markdown(path: Path) -> StoryText:
    """A Markdown story: see `markdown_to_text` for what is converted."""
    raw = read_plain_text(path).text
    text, meta = markdown_to_text(raw)
    return _non_empty(path, StoryText(text, "markdown", title=meta.get("title", ""),
                                      author=meta.get("author", "")))


def read_epub(path: Path) -> StoryText:
    """An EPUB 2 or 3 book: see `narrate.text.epub`."""
    from narrate.text.epub import read_epub as read

    return _non_empty(path, read(path))


READERS: Mapping[str, Reader] = {
    ".txt": read_txt,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".epub": read_epub,
}
"""Suffix (lower case) -> reader. Any other suffix is read as plain text."""

SUPPORTED_SUFFIXES = tuple(READERS)
"""Suffixes a folder of stories is searched for."""


def story_suffix(path: str | Path) -> bool:
    """Whether ``path`` has a suffix a folder of stories is searched for."""
    return Path(path).suffix.lower() in READERS


def read_source(path: str | Path) -> StoryText:
    """Read a story file of any supported kind (see `READERS`); errors are `InputError`s that
    name the file and the problem."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"no such story file: {path}")
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a story file; give a file "
                         f"({', '.join(SUPPORTED_SUFFIXES)})")
    check_story_file(path)
    return READERS.get(path.suffix.lower(), read_txt)(path)
