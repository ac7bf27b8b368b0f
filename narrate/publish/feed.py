"""The podcast feed: RSS 2.0 with the itunes and Podcasting 2.0 namespaces, grown on purpose only.

``feed.xml`` is its own database: publishing parses it, replaces or adds items, and writes it back
under a lock, atomically, after copying the previous version to ``feed.xml.bak``. Items already in
the feed are carried over element by element, so nothing we do not regenerate is ever lost.

The ``podcast:`` prefix is bound to the namespace's original GitHub URI. The spec says it and
``https://podcastindex.org/namespace/1.0`` are the same namespace, but gPodder's podcastparser
(0.6.11) only recognises the GitHub one, and feedparser keys on the prefix whatever the URI. Feeds
written with the official URI are read too.
"""

from __future__ import annotations

import colorsys
import io
import logging
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from narrate import __version__
from narrate.errors import FeedError
from narrate.files import atomic_write_bytes
from narrate.publish.episode import Episode, episode_metadata_path
from narrate.publish.show import ShowConfig
from narrate.publish.xmltext import xml_text

_LOGGER = logging.getLogger(__name__)

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
PODCAST_OFFICIAL = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
PSC = "http://podlove.org/simple-chapters"
for _prefix, _uri in (("itunes", ITUNES), ("podcast", PODCAST), ("atom", ATOM), ("psc", PSC)):
    ET.register_namespace(_prefix, _uri)

LOCK_TIMEOUT_S = 120.0
PLACEHOLDER_COVER = "cover-placeholder.jpg"
"""Written when the show names no cover, so the feed has artwork; `feed check` warns about it."""
COVER_PX = 1400
MIME = {
    ".mp3": "audio/mpeg",
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".json": "application/json+chapters",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


def _it(tag: str) -> str:
    return f"{{{ITUNES}}}{tag}"


def _pc(tag: str) -> str:
    return f"{{{PODCAST}}}{tag}"


@dataclass(frozen=True)
class FeedEntry:
    """One episode as the feed states it."""

    guid: str
    title: str
    slug: str
    """The enclosure's file stem, e.g. ``chapter-1`` for ``chapter-1.mp3``."""
    url: str
    """Enclosure URL."""
    length: int
    """Enclosure length in bytes."""
    mime_type: str
    duration_s: int
    published: datetime | None
    description: str = ""
    image_url: str | None = None
    transcripts: tuple[tuple[str, str], ...] = ()
    """(url, MIME type) pairs."""
    chapters_url: str | None = None
    number: int | None = None
    """itunes:episode: a book's chapter-episode's place in it."""
    season: int | None = None
    """itunes:season: the book's season in the show."""
    series: str = ""
    """The book's title (``podcast:season name``); "" for a stand-alone story."""

    @property
    def book(self) -> str:
        """``The Book, episode 2`` for a chapter-episode (``episode 2`` when the feed names no
        book); "" for a stand-alone story."""
        if self.number is None:
            return ""
        return ", ".join(x for x in (self.series, f"episode {self.number}") if x)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing `feed check` found."""

    severity: Severity
    where: str
    """``channel`` or ``item <guid>``."""
    message: str

    def __str__(self) -> str:
        return f"{self.severity.value}: {self.where}: {self.message}"


@dataclass(frozen=True)
class _Source:
    """An episode to publish, resolved against the feed folder."""

    episode: Episode
    mp3: Path
    rel: str
    """Path of the MP3 relative to the feed folder, POSIX separators."""


# ---------------------------------------------------------------- public API


def publish(mp3_paths: Iterable[str | Path], *, feed_path: str | Path, show: ShowConfig,
            write_page: bool = True, lock_timeout: float = LOCK_TIMEOUT_S) -> list[FeedEntry]:
    """Add or update episodes in the feed; returns their entries as written.

    Every episode is checked before the feed is touched: a missing MP3 or side file, or a feed
    on disk that is not valid XML, raises FeedError and leaves the feed as it was.
    """
    feed_path = Path(feed_path)
    folder = feed_path.parent
    sources = [_resolve_source(Path(p), folder, show) for p in mp3_paths]
    if not sources:
        raise FeedError("nothing to publish; give one or more episode MP3 files")
    with _locked(feed_path, lock_timeout):
        old_bytes, items = _read_items(feed_path)
        cover = _show_cover(show, folder)
        written: list[ET.Element] = []
        for src in sources:
            index = _find_item(items, src.episode.guid or None, _slug_of_rel(src.rel))
            old = items[index] if index is not None else None
            item = _build_item(src, show, cover, old, items)
            if index is None:
                items.append(item)
            else:
                items[index] = item
            written.append(item)
        _write_feed(feed_path, old_bytes, _build_channel(show, cover, items))
        if write_page:
            from narrate.publish.site import write_show_page

            write_show_page(folder, feed_path=feed_path)
    return [_entry(item) for item in written]


def list_episodes(feed_path: str | Path) -> list[FeedEntry]:
    """The feed's episodes, newest first (the order they are written in)."""
    feed_path = Path(feed_path)
    if not feed_path.is_file():
        raise FeedError(f"no feed at {feed_path}; publish an episode first: narrate publish X.mp3")
    return [_entry(item) for item in _read_items(feed_path)[1]]


def in_reading_order(entries: Sequence[FeedEntry]) -> list[FeedEntry]:
    """``entries`` (newest first) for people to read: each book's chapter-episodes together,
    by number, where the book's newest episode is; everything else stays where it is. A book
    rendered last then leads the list, and is read from its first chapter."""
    books: dict[tuple[str, int | None], list[FeedEntry]] = {}
    for entry in entries:
        if entry.number is not None:
            books.setdefault(_book_key(entry), []).append(entry)
    ordered: list[FeedEntry] = []
    for entry in entries:
        if entry.number is None:
            ordered.append(entry)
        elif (chapters := books.pop(_book_key(entry), None)) is not None:
            ordered += sorted(chapters, key=lambda e: e.number or 0)
    return ordered


def _book_key(entry: FeedEntry) -> tuple[str, int | None]:
    # the book's title when the feed names it; a feed edited by hand may give only the season
    return (entry.series, None) if entry.series else ("", entry.season)


def remove_episode(feed_path: str | Path, guid_or_slug: str, *, write_page: bool = True,
                   lock_timeout: float = LOCK_TIMEOUT_S) -> FeedEntry:
    """Take one episode out of the feed (its files stay); returns what was removed."""
    feed_path = Path(feed_path)
    if not feed_path.is_file():
        raise FeedError(f"no feed at {feed_path}")
    with _locked(feed_path, lock_timeout):
        old_bytes = feed_path.read_bytes()
        root = _parse_feed(old_bytes, feed_path)
        channel = _channel(root)
        items = channel.findall("item")
        index = _find_item(items, guid_or_slug, guid_or_slug)
        if index is None:
            known = ", ".join(f"{e.slug} ({e.guid})" for e in map(_entry, items)) or "none"
            raise FeedError(f"no episode {guid_or_slug!r} in {feed_path}; episodes: {known}")
        removed = items[index]
        channel.remove(removed)
        built = channel.find("lastBuildDate")
        if built is not None:
            built.text = format_datetime(datetime.now(UTC).replace(microsecond=0), usegmt=True)
        _write_feed(feed_path, old_bytes, root)
        if write_page:
            from narrate.publish.site import write_show_page

            write_show_page(feed_path.parent, feed_path=feed_path)
    return _entry(removed)


def check_feed(feed_path: str | Path) -> list[Problem]:
    """Check the feed against Apple's requirements; see narrate.publish.feed_check."""
    from narrate.publish.feed_check import check

    return check(Path(feed_path))


# ---------------------------------------------------------------- reading


def _read_items(feed_path: Path) -> tuple[bytes | None, list[ET.Element]]:
    """The feed's bytes (None if there is no feed yet) and its items."""
    if not feed_path.exists():
        return None, []
    data = feed_path.read_bytes()
    return data, _channel(_parse_feed(data, feed_path)).findall("item")


def _channel(root: ET.Element) -> ET.Element:
    channel = root.find("channel")
    assert channel is not None  # _parse_feed checked it
    return channel


def _parse_feed(data: bytes, feed_path: Path) -> ET.Element:
    """The feed's root element; FeedError (feed untouched) if it is not an RSS feed."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise FeedError(f"{feed_path} is not valid XML ({e}); fix it or restore "
                        f"{feed_path.name}.bak; nothing was changed") from e
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise FeedError(f"{feed_path} is not an RSS feed (root <{root.tag}>); "
                        "move it away or restore the backup; nothing was changed")
    _normalise_namespace(root)
    return root


def _normalise_namespace(root: ET.Element) -> None:
    """Read podcast:* under the official URI as ours (the spec says they are equal)."""
    old = f"{{{PODCAST_OFFICIAL}}}"
    for el in root.iter():
        if el.tag.startswith(old):
            el.tag = _pc(el.tag[len(old):])


def _find_item(items: Sequence[ET.Element], guid: str | None, slug: str | None) -> int | None:
    """Match by guid first; else by enclosure file stem (the same file is the same episode)."""
    if guid:
        for i, item in enumerate(items):
            if (item.findtext("guid") or "").strip() == guid:
                return i
    if slug:
        for i, item in enumerate(items):
            enc = item.find("enclosure")
            if enc is not None and _slug_of_url(enc.get("url", "")) == slug:
                return i
    return None


def _entry(item: ET.Element) -> FeedEntry:
    enc = item.find("enclosure")
    url = enc.get("url", "") if enc is not None else ""
    length = enc.get("length", "0") if enc is not None else "0"
    image = item.find(_it("image"))
    chapters = item.find(_pc("chapters"))
    named = item.find(_pc("season"))
    return FeedEntry(
        guid=(item.findtext("guid") or "").strip(),
        title=(item.findtext("title") or "").strip(),
        slug=_slug_of_url(url),
        url=url,
        length=int(length) if length.isdigit() else 0,
        mime_type=enc.get("type", "") if enc is not None else "",
        duration_s=_parse_duration(item.findtext(_it("duration")) or ""),
        published=_parse_date(item.findtext("pubDate") or ""),
        description=(item.findtext("description") or "").strip(),
        image_url=image.get("href") if image is not None else None,
        transcripts=tuple((t.get("url", ""), t.get("type", ""))
                          for t in item.findall(_pc("transcript"))),
        chapters_url=chapters.get("url") if chapters is not None else None,
        number=_int(item.findtext(_it("episode"))),
        season=_int(item.findtext(_it("season"))),
        series=(named.get("name") or "").strip() if named is not None else "",
    )


def _slug_of_url(url: str) -> str:
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    return name[:-4] if name.lower().endswith(".mp3") else name


def _slug_of_rel(rel: str) -> str:
    return _slug_of_url(rel)


def _parse_duration(text: str) -> int:
    """itunes:duration as seconds: ``61``, ``1:01`` or ``0:01:01``."""
    try:
        total = 0.0
        for part in text.strip().split(":"):
            total = total * 60 + float(part)
        return round(total)
    except ValueError:
        return 0


def _parse_date(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text.strip())
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------- episodes in


def _resolve_source(mp3: Path, folder: Path, show: ShowConfig) -> _Source:
    if not mp3.is_file():
        raise FeedError(f"episode file {mp3} not found; render it first; the feed was not changed")
    try:
        rel = mp3.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        raise FeedError(f"{mp3} is not inside the feed folder {folder}; render with -o "
                        f"{folder} or copy it there (the feed links only files it hosts)") from None
    _check_audio(mp3)
    meta = episode_metadata_path(mp3)
    if meta.is_file():
        episode = Episode.load(meta)
    else:
        _LOGGER.info("no %s; reading %s's tags", meta.name, mp3.name)
        episode = _episode_from_mp3(mp3)
    for label, name in (("image", episode.image), ("VTT transcript", episode.vtt),
                        ("SRT transcript", episode.srt), ("chapters", episode.chapters_json)):
        if name and not (mp3.parent / name).is_file():
            raise FeedError(f"{label} {mp3.parent / name} named by {meta.name} is missing; "
                            "re-render the episode; the feed was not changed")
    return _Source(episode, mp3, rel)


def _check_audio(mp3: Path) -> None:
    """The file decodes as MP3 audio, all of it: the feed promises apps an episode."""
    from narrate.audio.pcm import verify_mp3
    from narrate.errors import AudioError

    try:
        verify_mp3(mp3)
    except AudioError as e:
        raise FeedError(f"{mp3}: {e}; the feed was not changed") from e


def _episode_from_mp3(mp3: Path) -> Episode:
    """Best effort for an MP3 with no episode JSON: ID3 tags, duration, files beside it."""
    from mutagen import MutagenError
    from mutagen.mp3 import MP3

    try:
        audio = MP3(mp3)
    except (MutagenError, OSError) as e:
        raise FeedError(f"{mp3} is not a readable MP3 ({e}); the feed was not changed") from e
    tags: Any = audio.tags or {}

    def text(frame: str) -> str:
        found = [v for k, v in tags.items() if k == frame or k.startswith(frame + ":")]
        return str(found[0].text[0]).strip() if found and getattr(found[0], "text", None) else ""

    def beside(suffix: str) -> str | None:
        path = mp3.with_name(mp3.stem + suffix)
        return path.name if path.is_file() else None

    return Episode(slug=mp3.stem, title=text("TIT2") or mp3.stem.replace("-", " ").title(),
                   mp3=mp3.name, duration_s=float(audio.info.length),  # type: ignore[attr-defined]
                   description=text("COMM") or text("TIT3"),
                   image=beside(".jpg") or beside(".png"), vtt=beside(".vtt"),
                   srt=beside(".srt"), chapters_json=beside(".chapters.json"))


def derive_guid(show: ShowConfig, slug: str) -> str:
    """A stable guid for an episode whose metadata has none: UUIDv5 of the slug in the show."""
    return str(uuid.uuid5(uuid.UUID(show.podcast_guid), slug))


# ---------------------------------------------------------------- writing


def _url(show: ShowConfig, rel: str) -> str:
    return show.base + quote(rel)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A child element; its text and attributes pass through `xml_text`, so nothing a user
    typed (a title with a BEL or a colour code) can make the feed unreadable."""
    el = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def _build_item(src: _Source, show: ShowConfig, cover: str | None,
                old: ET.Element | None, items: Sequence[ET.Element] = ()) -> ET.Element:
    ep = src.episode
    slug = _slug_of_rel(src.rel)
    folder_rel = src.rel.rsplit("/", 1)[0] + "/" if "/" in src.rel else ""
    old_guid = (old.findtext("guid") or "").strip() if old is not None else ""
    # Once published, an item's guid is kept: apps would list a new guid as a new episode.
    guid = old_guid or ep.guid or derive_guid(show, slug)
    if ep.guid and old_guid and ep.guid != old_guid:
        _LOGGER.warning("%s: keeping the published guid %s (metadata says %s)",
                        slug, old_guid, ep.guid)
    item = ET.Element("item")
    _sub(item, "title", ep.title or slug)
    _sub(item, "description", ep.description or ep.title or slug)
    _sub(item, "link", show.base + "index.html#" + quote(slug))
    _sub(item, "guid", guid, isPermaLink="false")
    _sub(item, "pubDate", format_datetime(_published(ep, old), usegmt=True))
    _sub(item, "enclosure", url=_url(show, src.rel), length=str(src.mp3.stat().st_size),
         type="audio/mpeg")
    _sub(item, _it("duration"), str(int(ep.duration_s + 0.5)))  # whole seconds, half up
    _sub(item, _it("explicit"), "true" if show.explicit else "false")
    _sub(item, _it("episodeType"), "full")
    if ep.author:
        _sub(item, _it("author"), ep.author)
    if ep.number is not None:
        # A book's chapter-episodes: apps order a season's episodes by number (and by date,
        # which the render gave in reading order too).
        season = _season(ep.series, old, items)
        _sub(item, _it("season"), str(season))
        _sub(item, _it("episode"), str(ep.number))
        if ep.series:
            _sub(item, _pc("season"), str(season), name=ep.series)
        _sub(item, _pc("episode"), str(ep.number))
    image = _url(show, folder_rel + ep.image) if ep.image else cover
    if image:
        _sub(item, _it("image"), href=image)
    # SRT before VTT: podcastparser and feedparser keep the last transcript, and VTT is the one
    # browsers and most apps show.
    if ep.srt:
        _sub(item, _pc("transcript"), url=_url(show, folder_rel + ep.srt),
             type="application/x-subrip")
    if ep.vtt:
        _sub(item, _pc("transcript"), url=_url(show, folder_rel + ep.vtt), type="text/vtt",
             rel="captions")
    if ep.chapters_json:
        _sub(item, _pc("chapters"), url=_url(show, folder_rel + ep.chapters_json),
             type="application/json+chapters")
    if ep.chapters:
        # Podlove Simple Chapters inline too: gPodder reads these, not podcast:chapters JSON.
        psc = _sub(item, f"{{{PSC}}}chapters", version="1.2")
        for ch in ep.chapters:
            _sub(psc, f"{{{PSC}}}chapter", start=_hms(ch.start_ms), title=ch.title)
    for credit in ep.cast:
        narrator = credit.character.strip().lower() in ("", "narrator")
        name = credit.voice if narrator else f"{credit.voice} as {credit.character}"
        _sub(item, _pc("person"), name, group="cast",
             role="Narrator" if narrator else "Voice Actor")
    return item


def _season(series: str, old: ET.Element | None, items: Sequence[ET.Element]) -> int:
    """The season of a book's chapter-episode: the one it was published in, else the one its
    book's other chapters are in (``podcast:season`` names the book), else the next free one:
    each book split into chapters is a season of the show, numbered in publishing order."""
    if old is not None and (kept := _int(old.findtext(_it("season")))) is not None:
        return kept
    seasons = []
    for other in items:
        number = _int(other.findtext(_it("season")))
        if number is None:
            continue
        named = other.find(_pc("season"))
        if series and named is not None and named.get("name") == series:
            return number
        seasons.append(number)
    return max(seasons, default=0) + 1


def _int(text: str | None) -> int | None:
    try:
        return int((text or "").strip())
    except ValueError:
        return None


def _show_type(show: ShowConfig, items: Sequence[ET.Element]) -> str:
    """itunes:type: the show config's, else "serial" when every episode is a numbered chapter
    of a book (apps then play them oldest first, in order), else "episodic"."""
    if show.type:
        return show.type
    numbered = bool(items) and all(_int(it.findtext(_it("episode"))) is not None for it in items)
    return "serial" if numbered else "episodic"


def _published(ep: Episode, old: ET.Element | None) -> datetime:
    """The first-publication time: the episode's own, else the feed's, else now."""
    if ep.published:
        try:
            when = datetime.fromisoformat(ep.published.replace("Z", "+00:00"))
            return when if when.tzinfo else when.replace(tzinfo=UTC)
        except ValueError:
            _LOGGER.warning("%s: unreadable published time %r", ep.slug, ep.published)
    if old is not None and (seen := _parse_date(old.findtext("pubDate") or "")) is not None:
        return seen
    return datetime.now(UTC).replace(microsecond=0)


def _hms(ms: int) -> str:
    s, ms = divmod(int(ms), 1000)
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.{ms:03d}"


def _build_channel(show: ShowConfig, cover: str | None, items: list[ET.Element]) -> ET.Element:
    rss = ET.Element("rss", version="2.0")
    ch = _sub(rss, "channel")
    _sub(ch, "title", show.title)
    _sub(ch, "link", show.link or show.base)
    _sub(ch, "description", show.description)
    _sub(ch, "language", show.language)
    _sub(ch, f"{{{ATOM}}}link", href=show.feed_url, rel="self", type="application/rss+xml")
    _sub(ch, "generator", f"narrate {__version__}")
    _sub(ch, "lastBuildDate", format_datetime(datetime.now(UTC).replace(microsecond=0),
                                              usegmt=True))
    if show.copyright:
        _sub(ch, "copyright", show.copyright)
    _sub(ch, _it("author"), show.author)
    _sub(ch, _it("summary"), show.description)
    _sub(ch, _it("type"), _show_type(show, items))
    _sub(ch, _it("explicit"), "true" if show.explicit else "false")
    if show.category_path:
        # the category name is the `text` attribute, which _sub's text argument would not set
        cat = ET.SubElement(ch, _it("category"), {"text": xml_text(show.category_path[0])})
        for sub in show.category_path[1:]:
            cat = ET.SubElement(cat, _it("category"), {"text": xml_text(sub)})
    if show.owner_name or show.owner_email:
        owner = _sub(ch, _it("owner"))
        if show.owner_name:
            _sub(owner, _it("name"), show.owner_name)
        if show.owner_email:
            _sub(owner, _it("email"), show.owner_email)
    if cover:
        _sub(ch, _it("image"), href=cover)
        img = _sub(ch, "image")
        _sub(img, "url", cover)
        _sub(img, "title", show.title)
        _sub(img, "link", show.link or show.base)
    _sub(ch, _pc("guid"), show.podcast_guid)
    # Newest first, as apps and people expect; stable, so equal dates keep their order.
    epoch = datetime.fromtimestamp(0, UTC)
    ch.extend(sorted(items, key=lambda it: _parse_date(it.findtext("pubDate") or "") or epoch,
                     reverse=True))
    return rss


def _show_cover(show: ShowConfig, folder: Path) -> str | None:
    """URL of the show cover, copied into the hosted folder (or a generated placeholder)."""
    if show.image:
        src = Path(show.image)
        if not src.is_file():
            raise FeedError(f"show cover {src} not found; fix image in [show]; "
                            "the feed was not changed")
        try:
            rel = src.resolve().relative_to(folder.resolve()).as_posix()
        except ValueError:
            rel = "cover" + src.suffix.lower()
            dest = folder / rel
            if not dest.exists() or dest.read_bytes() != src.read_bytes():
                atomic_write_bytes(dest, src.read_bytes())
        return _url(show, rel)
    dest = folder / PLACEHOLDER_COVER
    if not dest.exists():
        atomic_write_bytes(dest, placeholder_cover(show.title))
    return _url(show, PLACEHOLDER_COVER)


def placeholder_cover(title: str, size: int = COVER_PX) -> bytes:
    """A plain square JPEG with the title on a colour picked from the title (stable per show)."""
    from PIL import Image, ImageDraw, ImageFont

    hue = uuid.uuid5(uuid.NAMESPACE_OID, title).int % 360
    r, g, b = (round(c * 255) for c in colorsys.hsv_to_rgb(hue / 360, 0.55, 0.45))
    img = Image.new("RGB", (size, size), (r, g, b))
    draw = ImageDraw.Draw(img)
    font: Any
    try:
        font = ImageFont.load_default(size=size // 12)
    except (TypeError, OSError, ImportError):  # Pillow < 10.1 or no FreeType: small bitmap font
        font = ImageFont.load_default()
    lines = _wrap(title, 16)
    line_h = size // 10
    top = (size - line_h * len(lines)) // 2
    for i, line in enumerate(lines):
        left, _, right, _ = draw.textbbox((0, 0), line, font=font)
        draw.text(((size - (right - left)) // 2, top + i * line_h), line, fill=(255, 255, 255),
                  font=font)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[:6] or [""]


def _write_feed(feed_path: Path, old_bytes: bytes | None, root: ET.Element) -> None:
    """Replace the feed with ``root``, but only once the new document has been parsed back as an
    RSS feed: a feed no reader can parse never replaces a good one."""
    ET.indent(root, space=" ")
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    try:
        _parse_feed(data, feed_path)
    except FeedError as e:
        raise FeedError(f"the new {feed_path.name} would not be a valid feed ({e.__cause__ or e})"
                        f"; nothing was changed") from e
    if old_bytes is not None:
        atomic_write_bytes(feed_path.with_name(feed_path.name + ".bak"), old_bytes)
    atomic_write_bytes(feed_path, data)


class _locked:
    """The feed's lock file, with a FeedError (not a Timeout traceback) when it is held too long."""

    def __init__(self, feed_path: Path, timeout: float) -> None:
        from filelock import FileLock

        feed_path.parent.mkdir(parents=True, exist_ok=True)
        self.path = feed_path.with_name(f".{feed_path.name}.lock")  # hidden: not a thing to serve
        self.lock = FileLock(str(self.path), timeout=timeout)

    def __enter__(self) -> None:
        from filelock import Timeout

        try:
            self.lock.acquire()
        except Timeout as e:
            raise FeedError(f"{self.path} is held by another publisher; try again, or delete "
                            "it if no narrate is running") from e

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


