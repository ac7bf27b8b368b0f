"""`feed check`: the feed against Apple Podcasts' requirements, and its files against the feed.

Files the feed links under its own base URL (the folder of the ``atom:link rel="self"``) are
looked up beside feed.xml: they must exist, enclosures with the stated length, artwork with
Apple's size and format. Links elsewhere cannot be checked from here and get a warning.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

from narrate.errors import FeedError
from narrate.publish.feed import (
    ATOM,
    PLACEHOLDER_COVER,
    Problem,
    Severity,
    _entry,
    _it,
    _parse_date,
    _parse_feed,
    _pc,
)

MAX_DESCRIPTION_BYTES = 4000
ARTWORK_PX = (1400, 3000)
APPLE_CATEGORIES = (
    "Arts", "Business", "Comedy", "Education", "Fiction", "Government", "Health & Fitness",
    "History", "Kids & Family", "Leisure", "Music", "News", "Religion & Spirituality",
    "Science", "Society & Culture", "Sports", "Technology", "True Crime", "TV & Film",
)
"""Apple's top-level categories (2019 list); subcategories are not checked."""
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0")

E, W = Severity.ERROR, Severity.WARNING


def check(feed_path: Path) -> list[Problem]:
    """Every problem found; errors first. Raises FeedError only when there is no feed file."""
    if not feed_path.is_file():
        raise FeedError(f"no feed at {feed_path}; publish an episode first")
    data = feed_path.read_bytes()
    try:
        root = _parse_feed(data, feed_path)
    except FeedError as e:
        return [Problem(E, "feed", str(e))]
    found: list[Problem] = []
    channel = root.find("channel")
    assert channel is not None
    base = _base_url(channel)
    folder = feed_path.parent
    found += _check_channel(channel, base, folder)
    items = channel.findall("item")
    if not items:
        found.append(Problem(E, "channel", "no episodes; Apple needs at least one"))
    guids = Counter((it.findtext("guid") or "").strip() for it in items)
    for item in items:
        found += _check_item(item, base, folder, guids)
    return sorted(found, key=lambda p: p.severity != E)


def _base_url(channel: ET.Element) -> str | None:
    for link in channel.findall(f"{{{ATOM}}}link"):
        if link.get("rel") == "self" and link.get("href"):
            return link.get("href", "").rsplit("/", 1)[0] + "/"
    return None


def _check_channel(ch: ET.Element, base: str | None, folder: Path) -> list[Problem]:
    out: list[Problem] = []
    where = "channel"
    for tag, label in (("title", "title"), ("description", "description"),
                       ("language", "language")):
        if not (ch.findtext(tag) or "").strip():
            out.append(Problem(E, where, f"<{label}> is missing or empty"))
    size = len((ch.findtext("description") or "").encode("utf-8"))
    if size > MAX_DESCRIPTION_BYTES:
        out.append(Problem(E, where, f"description is {size} bytes; Apple allows "
                                     f"{MAX_DESCRIPTION_BYTES}"))
    category = ch.find(_it("category"))
    if category is None or not category.get("text"):
        out.append(Problem(E, where, "itunes:category is missing; set category in [show]"))
    elif category.get("text") not in APPLE_CATEGORIES:
        out.append(Problem(E, where, f"itunes:category {category.get('text')!r} is not an "
                                     f"Apple category; one of: {', '.join(APPLE_CATEGORIES)}"))
    explicit = (ch.findtext(_it("explicit")) or "").strip()
    if explicit not in ("true", "false"):
        out.append(Problem(E, where, f"itunes:explicit must be true or false, not {explicit!r}"))
    if not (ch.findtext(_it("author")) or "").strip():
        out.append(Problem(W, where, "itunes:author is missing; set author in [show]"))
    if base is None:
        out.append(Problem(E, where, 'atom:link rel="self" is missing; files cannot be checked'))
    elif (urlsplit(base).hostname or "") in LOCAL_HOSTS:
        out.append(Problem(W, where, f"base URL {base} is this machine; apps elsewhere cannot "
                                     "reach it; set base_url in [show] before submitting"))
    elif urlsplit(base).scheme != "https":
        out.append(Problem(W, where, f"base URL {base} is not https; Apple prefers https"))
    if not (ch.findtext(_pc("guid")) or "").strip():
        out.append(Problem(W, where, "podcast:guid is missing"))
    image = ch.find(_it("image"))
    href = image.get("href", "") if image is not None else ""
    if not href:
        out.append(Problem(E, where, "itunes:image (show artwork) is missing; set image in "
                                     "[show]"))
    else:
        if href.endswith("/" + PLACEHOLDER_COVER):
            out.append(Problem(W, where, "the show has no cover; narrate generated "
                                         f"{PLACEHOLDER_COVER}; set image in [show]"))
        out += _check_artwork(href, base, folder, where)
    return out


def _check_item(item: ET.Element, base: str | None, folder: Path,
                guids: Counter[str]) -> list[Problem]:
    entry = _entry(item)
    where = f"item {entry.guid or entry.title or '?'}"
    out: list[Problem] = []
    if not entry.title:
        out.append(Problem(E, where, "<title> is missing"))
    if not entry.guid:
        out.append(Problem(E, where, "<guid> is missing; apps cannot tell episodes apart"))
    elif guids[entry.guid] > 1:
        out.append(Problem(E, where, f"guid is used by {guids[entry.guid]} items"))
    if _parse_date(item.findtext("pubDate") or "") is None:
        out.append(Problem(E, where, f"pubDate {item.findtext('pubDate')!r} is not an "
                                     "RFC 2822 date"))
    duration = (item.findtext(_it("duration")) or "").strip()
    if not duration or entry.duration_s <= 0:
        out.append(Problem(E, where, f"itunes:duration {duration!r} is missing or not a time"))
    enc = item.find("enclosure")
    if enc is None or not enc.get("url"):
        out.append(Problem(E, where, "<enclosure> with a url is missing"))
    else:
        length = enc.get("length", "")
        if not length.isdigit() or int(length) <= 0:
            out.append(Problem(E, where, f"enclosure length {length!r} is not a byte count"))
        if not enc.get("type", "").startswith("audio/"):
            out.append(Problem(E, where, f"enclosure type {enc.get('type')!r} is not audio/*"))
        path = _local(entry.url, base, folder)
        if path is None:
            out.append(Problem(W, where, f"enclosure {entry.url} is not under the feed's base "
                                         "URL; not checked"))
        elif not path.is_file():
            out.append(Problem(E, where, f"enclosure file {path} is missing"))
        elif length.isdigit() and path.stat().st_size != int(length):
            out.append(Problem(E, where, f"enclosure length {length} but {path.name} is "
                                         f"{path.stat().st_size} bytes; publish it again"))
        else:
            out += _check_audio(path, where)
    if entry.image_url:
        out += _check_artwork(entry.image_url, base, folder, where)
    links = [url for url, _ in entry.transcripts]
    if entry.chapters_url:
        links.append(entry.chapters_url)
    for url in links:
        path = _local(url, base, folder)
        if path is not None and not path.is_file():
            out.append(Problem(E, where, f"linked file {path} is missing"))
    return out


CHECK_DECODE_S = 120.0
"""How much of each enclosure `feed check` decodes: enough to tell audio from anything else,
without decoding a whole show's hours on every check (publish decodes all of it)."""


def _check_audio(path: Path, where: str) -> list[Problem]:
    from narrate.audio.pcm import verify_mp3
    from narrate.errors import AudioError

    try:
        verify_mp3(path, seconds=CHECK_DECODE_S)
    except AudioError as e:
        return [Problem(E, where, f"{e}; apps cannot play it")]
    return []


def _local(url: str, base: str | None, folder: Path) -> Path | None:
    """The file beside the feed that a URL under the base URL names, or None."""
    if not base or not url.startswith(base):
        return None
    rel = unquote(url[len(base):].split("#", 1)[0].split("?", 1)[0])
    path = (folder / rel).resolve()
    return path if path.is_relative_to(folder.resolve()) else None


def _check_artwork(url: str, base: str | None, folder: Path, where: str) -> list[Problem]:
    path = _local(url, base, folder)
    if path is None:
        return [Problem(W, where, f"artwork {url} is not under the feed's base URL; not checked")]
    if not path.is_file():
        return [Problem(E, where, f"artwork file {path} is missing")]
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            fmt, mode, (w, h) = img.format, img.mode, img.size
    except (OSError, UnidentifiedImageError) as e:
        return [Problem(E, where, f"artwork {path.name} is not a readable image ({e})")]
    out = []
    lo, hi = ARTWORK_PX
    if fmt not in ("JPEG", "PNG"):
        out.append(Problem(E, where, f"artwork {path.name} is {fmt}; Apple takes JPEG or PNG"))
    if mode != "RGB":
        out.append(Problem(E, where, f"artwork {path.name} is {mode}; Apple wants RGB"))
    if w != h or not lo <= w <= hi:
        out.append(Problem(E, where, f"artwork {path.name} is {w}x{h}; Apple wants a square "
                                     f"{lo}-{hi} px"))
    return out
