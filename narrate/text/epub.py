"""EPUB (2 and 3) -> story text, metadata and cover, with zipfile and ElementTree.

``META-INF/container.xml`` names the package (OPF) file; its metadata gives the title
(``dc:title``), author (``dc:creator``) and language (``dc:language``), its spine the reading
order. Each spine document goes through `narrate.text.htmltext`, so its headings become ``#``
lines, which the segmenter takes for headings and the mixer for chapters; documents are
separated by a blank line. Left out: the navigation document (``properties="nav"``) and the
NCX, spine items marked ``linear="no"`` (notes, pop-ups), documents without text, and cover
pages (the guide's ``type="cover"`` or ``epub:type="cover"``, or a page showing only the cover
image, when they hold a few words at most).

The cover image (``properties="cover-image"``, else ``<meta name="cover" content="ID">``) is
returned as bytes, for the episode's cover art.

Refused with an `InputError` naming the file: not a zip, a damaged zip, no container.xml, no
package file, a package that is not XML, content documents encrypted by DRM (listed in
``META-INF/encryption.xml``; obfuscated fonts alone are fine), more than `MAX_STORY_BYTES` of
text. Known limits: a document with no heading joins the chapter before it (the table of
contents' labels are not used); fixed-layout and image-only books have no text to read.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

from narrate.errors import InputError
from narrate.text.formats import MAX_STORY_BYTES, Cover, StoryText, decode_text
from narrate.text.htmltext import html_to_text

__all__ = ["read_epub"]

CONTAINER = "META-INF/container.xml"
ENCRYPTION = "META-INF/encryption.xml"
MAX_COVER_BYTES = 32 * 1024 * 1024
"""A larger cover image is not used (the episode gets a drawn cover)."""
COVER_PAGE_WORDS = 20
"""A cover page may carry the title and author; more words than this make it content."""
FONT_OBFUSCATION = frozenset(["http://www.idpf.org/2008/embedding",
                              "http://ns.adobe.com/pdf/enc#RC"])
"""Encryption algorithms that only obfuscate embedded fonts: not DRM."""
DOCUMENT_TYPES = frozenset(["application/xhtml+xml", "text/html", "application/xml"])


@dataclass(frozen=True)
class _Item:
    """A manifest entry."""

    id: str
    path: str
    """Path inside the zip."""
    media_type: str
    properties: frozenset[str]


class _Book:
    """The open zip and the name it is known by in errors."""

    def __init__(self, zf: zipfile.ZipFile, path: Path) -> None:
        self.zf = zf
        self.path = path
        self.names = set(zf.namelist())

    def fail(self, problem: str) -> InputError:
        return InputError(f"{self.path} {problem}")

    def read(self, name: str, limit: int = MAX_STORY_BYTES) -> bytes | None:
        """A member's bytes (None when too large); reading stops at ``limit``, so a zip bomb
        costs no more memory than a story may take."""
        try:
            with self.zf.open(name) as member:
                data = member.read(limit + 1)
        except KeyError as e:
            raise self.fail(f"is a damaged EPUB: {name} is listed in the book but missing from "
                            "the archive") from e
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as e:
            raise self.fail(f"is a damaged EPUB: cannot unpack {name} ({e})") from e
        except RuntimeError as e:  # a password-protected zip member
            raise self.fail(f"is encrypted ({name} needs a password); narrate cannot read "
                            "it") from e
        return None if len(data) > limit else data

    def xml(self, name: str) -> ElementTree.Element:
        data = self.read(name)
        if data is None:
            raise self.fail(f"is not a usable EPUB: {name} is over {MAX_STORY_BYTES // 2**20} MB")
        try:
            return ElementTree.fromstring(data)
        except (ElementTree.ParseError, LookupError, ValueError) as e:
            # LookupError: the XML declaration names an encoding Python does not know
            raise self.fail(f"is a damaged EPUB: {name} is not valid XML ({e})") from e


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(element: ElementTree.Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def read_epub(path: Path) -> StoryText:
    """The book's text in spine order, its metadata and cover (see the module docstring)."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as e:
        raise InputError(f"{path} is not a readable EPUB: it is not a zip archive, or a "
                         "damaged one") from e
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from e
    with zf:
        return _read(_Book(zf, path))


def _read(book: _Book) -> StoryText:
    if CONTAINER not in book.names:
        raise book.fail(f"is not an EPUB: it has no {CONTAINER} (is it a plain zip?)")
    rootfiles = [r.get("full-path", "") for r in book.xml(CONTAINER).iter()
                 if _local(r.tag) == "rootfile"]
    opf_path = next((p for p in rootfiles if p), "")
    if not opf_path:
        raise book.fail(f"is not a usable EPUB: {CONTAINER} names no package (OPF) file")
    if opf_path not in book.names:
        raise book.fail(f"is not a usable EPUB: its package file {opf_path} is missing")
    opf = book.xml(opf_path)
    base = posixpath.dirname(opf_path)

    def resolve(href: str) -> str:
        return posixpath.normpath(posixpath.join(base, unquote(href.split("#")[0])))

    manifest: dict[str, _Item] = {}
    for el in opf.iter():
        if _local(el.tag) == "item" and el.get("id") and el.get("href"):
            manifest[el.get("id", "")] = _Item(
                el.get("id", ""), resolve(el.get("href", "")), el.get("media-type", ""),
                frozenset((el.get("properties") or "").split()))
    spine = next((el for el in opf.iter() if _local(el.tag) == "spine"), None)
    if spine is None:
        raise book.fail(f"is not a usable EPUB: its package file {opf_path} has no spine "
                        "(reading order)")
    ncx = manifest.get(spine.get("toc") or "")
    skip = {i.path for i in manifest.values() if "nav" in i.properties
            or i.media_type == "application/x-dtbncx+xml"} | ({ncx.path} if ncx else set())
    order = [manifest[ref.get("idref", "")] for ref in spine if _local(ref.tag) == "itemref"
             and ref.get("idref") in manifest and ref.get("linear", "yes") != "no"]
    documents = [i for i in order if i.path not in skip and i.media_type in DOCUMENT_TYPES]
    _refuse_drm(book, {i.path for i in documents})

    metadata = next((el for el in opf.iter() if _local(el.tag) == "metadata"), opf)
    fields: dict[str, list[str]] = {}
    for el in metadata.iter():
        if _local(el.tag) in ("title", "creator", "language") and _text(el):
            fields.setdefault(_local(el.tag), []).append(_text(el))
    cover = _cover(book, opf, manifest)
    cover_pages = {resolve(r.get("href", "")) for r in opf.iter()
                   if _local(r.tag) == "reference" and r.get("type") == "cover"}

    parts: list[str] = []
    size = 0
    for item in documents:
        data = book.read(item.path)
        if data is None:
            raise book.fail(f"is too large: {item.path} is over {MAX_STORY_BYTES // 2**20} MB of "
                            "text (split the book into parts)")
        page = html_to_text(decode_text(data, f"{book.path}: {item.path}"))
        words = len(page.text.split())
        if not words:
            continue
        shows_cover = cover is not None and any(
            resolve_from(item.path, src) == cover[0] for src in page.images)
        if words <= COVER_PAGE_WORDS and (item.path in cover_pages or page.cover or shows_cover):
            continue
        size += len(page.text.encode("utf-8"))
        if size > MAX_STORY_BYTES:
            raise book.fail(f"is too large: over {MAX_STORY_BYTES // 2**20} MB of text (split "
                            "the book into parts)")
        parts.append(page.text.strip("\n"))
    language = fields.get("language", [""])[0]
    return StoryText("\n\n".join(parts) + "\n" if parts else "", "epub",
                     title=fields.get("title", [""])[0],
                     author=" and ".join(dict.fromkeys(fields.get("creator", []))),
                     language=language, cover=cover[1] if cover else None)


def resolve_from(document: str, href: str) -> str:
    """The zip path of ``href`` as written in ``document`` (a zip path)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(document),
                                             unquote(href.split("#")[0])))


def _refuse_drm(book: _Book, documents: set[str]) -> None:
    """Encrypted content documents mean DRM (Adobe ADEPT, Readium LCP...); fonts obfuscated
    by the publisher are listed in encryption.xml too and do not stop reading."""
    if ENCRYPTION not in book.names:
        return
    try:
        root = book.xml(ENCRYPTION)
    except InputError:
        raise book.fail("is DRM-protected (its encryption.xml cannot be read); narrate "
                        "cannot read it: use a DRM-free copy") from None
    for data in root.iter():
        if _local(data.tag) != "EncryptedData":
            continue
        method = next((m.get("Algorithm", "") for m in data.iter()
                       if _local(m.tag) == "EncryptionMethod"), "")
        uris = [posixpath.normpath(unquote(r.get("URI", ""))) for r in data.iter()
                if _local(r.tag) == "CipherReference"]
        if method not in FONT_OBFUSCATION and any(u in documents for u in uris):
            raise book.fail("is DRM-protected; narrate cannot read it: use a DRM-free copy "
                            "(its content files are encrypted)")


def _cover(book: _Book, opf: ElementTree.Element,
           manifest: dict[str, _Item]) -> tuple[str, Cover] | None:
    """The cover image's zip path and bytes: EPUB 3 ``cover-image``, else EPUB 2's
    ``<meta name="cover">``."""
    item = next((i for i in manifest.values() if "cover-image" in i.properties), None)
    if item is None:
        ref = next((m.get("content", "") for m in opf.iter()
                    if _local(m.tag) == "meta" and m.get("name") == "cover"), "")
        item = manifest.get(ref)
    if item is None or not item.media_type.startswith("image/") or item.path not in book.names:
        return None
    data = book.read(item.path, MAX_COVER_BYTES)
    return (item.path, Cover(data, item.media_type)) if data else None
