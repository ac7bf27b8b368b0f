"""The static show page: ``index.html`` beside feed.xml, built from the feed itself.

Links are relative, so the page works from `narrate serve` and from wherever the folder is hosted.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, unquote

from narrate.files import atomic_write_text
from narrate.publish.feed import FeedEntry, _entry, _it, _parse_feed, in_reading_order
from narrate.publish.show import FEED_FILE
from narrate.publish.xmltext import xml_text

PAGE_FILE = "index.html"
_TIMING = re.compile(r"^\s*[\d:.,]+\s*-->\s*[\d:.,]+")
_VOICE = re.compile(r"<v(?:\.[^ >]*)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]+>")


def write_show_page(folder: str | Path, *, feed_path: str | Path | None = None) -> Path:
    """Write ``index.html``: the show, then each episode with a player and its transcript, newest
    first, a book's chapter-episodes together in reading order (see `in_reading_order`)."""
    folder = Path(folder)
    feed_path = Path(feed_path) if feed_path is not None else folder / FEED_FILE
    root = _parse_feed(feed_path.read_bytes(), feed_path)
    channel = root.find("channel")
    assert channel is not None
    base = _base(channel)
    title = (channel.findtext("title") or "").strip()
    image = channel.find(_it("image"))
    cover = _relative(image.get("href", ""), base) if image is not None else ""
    parts = [
        "<!doctype html>",
        '<html lang="{}">'.format(_esc((channel.findtext("language") or "en").strip())),
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}</title>",
        f'<link rel="alternate" type="application/rss+xml" href="{FEED_FILE}" '
        f'title="{_esc(title)}">',
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f'<img class="cover" src="{_esc(cover)}" alt="">' if cover else "",
        f"<h1>{_esc(title)}</h1>",
        f"<p>{_esc((channel.findtext('description') or '').strip())}</p>",
        f'<p><a href="{FEED_FILE}">Podcast feed (RSS)</a></p>',
        "</header>",
        "<main>",
    ]
    for entry in in_reading_order([_entry(item) for item in channel.findall("item")]):
        parts.append(_episode_html(entry, base, folder))
    parts += ["</main>", "</body>", "</html>", ""]
    path = folder / PAGE_FILE
    atomic_write_text(path, "\n".join(p for p in parts if p))
    return path


def _episode_html(entry: FeedEntry, base: str, folder: Path) -> str:
    audio = _esc(_relative(entry.url, base))
    when = entry.published.strftime("%d %B %Y") if entry.published else ""
    minutes, seconds = divmod(entry.duration_s, 60)
    tracks = []
    transcript = ""
    for url, mime in entry.transcripts:
        rel = _relative(url, base)
        if mime == "text/vtt":
            tracks.append(f'<track kind="captions" src="{_esc(rel)}" default>')
        if not transcript or mime == "text/vtt":
            local = folder / unquote(rel)
            if local.is_file() and not rel.startswith(("http:", "https:")):
                transcript = transcript_text(local.read_text(encoding="utf-8", errors="replace"))
    image = (f'<img class="art" src="{_esc(_relative(entry.image_url, base))}" alt="">'
             if entry.image_url else "")
    body = "".join(f"<p>{_esc(line)}</p>" for line in transcript.splitlines() if line)
    return "\n".join(x for x in (
        f'<article id="{_esc(quote(entry.slug))}">',
        image,
        f"<h2>{_esc(entry.title)}</h2>",
        f'<p class="book">{_esc(entry.book)}</p>' if entry.book else "",
        f'<p class="meta">{_esc(when)} · {minutes}:{seconds:02d}</p>',
        f"<p>{_esc(entry.description)}</p>" if entry.description else "",
        f'<audio controls preload="none" src="{audio}">{"".join(tracks)}</audio>',
        f'<p><a href="{audio}" download>Download MP3</a></p>',
        f"<details><summary>Transcript</summary>{body}</details>" if body else "",
        "</article>",
    ) if x)


def transcript_text(cues: str) -> str:
    """Readable text from WebVTT or SRT: one line per cue, ``Speaker: words`` for voice tags.

    Cues with the same voice that follow each other with no gap are one line: narrate writes a
    paragraph as several such cues (a sentence or a few each), and the page shows it whole."""
    lines: list[str] = []
    last: tuple[str, str] | None = None  # (end time, voice) of the line being written
    for block in re.split(r"\n\s*\n", cues.replace("\r\n", "\n").strip()):
        rows = [r for r in block.split("\n") if r.strip()]
        if not rows or rows[0].startswith(("WEBVTT", "NOTE", "STYLE", "REGION")):
            continue
        text_rows = []
        timing = ("", "")
        for row in rows:
            if _TIMING.match(row):
                start, _, end = row.partition("-->")
                timing = (start.strip(), (end.split() or [""])[0])
            elif timing[0]:
                text_rows.append(row.strip())
        raw = " ".join(text_rows)
        voice = _VOICE.search(raw)
        speaker = html.unescape(voice.group(1).strip()) if voice else ""
        words = html.unescape(_TAG.sub("", raw)).strip()
        if not words:
            continue
        if speaker and lines and last == (timing[0], speaker):
            lines[-1] += f" {words}"
        else:
            lines.append(f"{speaker}: {words}" if speaker else words)
        last = (timing[1], speaker)
    return "\n".join(lines)


def _esc(text: str) -> str:
    """Escaped for HTML, cleaned as the feed is (a transcript is read from its file)."""
    return html.escape(xml_text(text))


def _base(channel: ET.Element) -> str:
    for link in channel.findall("{http://www.w3.org/2005/Atom}link"):
        if link.get("rel") == "self":
            return link.get("href", "").rsplit("/", 1)[0] + "/"
    return ""


def _relative(url: str, base: str) -> str:
    """A link relative to the page when the URL is under the base URL, else the URL."""
    return url[len(base):] if base and url.startswith(base) else url


_CSS = (
    "body{font:17px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
    "color:#222}header{border-bottom:1px solid #ddd;margin-bottom:1rem}"
    ".cover{width:10rem;height:10rem;float:right;margin-left:1rem}"
    ".art{width:6rem;height:6rem;float:right;margin-left:1rem}"
    "article{clear:both;padding:1rem 0;border-bottom:1px solid #eee}audio{width:100%}"
    ".meta{color:#666;font-size:.9em}.book{color:#666;margin:0}details p{margin:.3em 0}"
)
