"""ID3v2.4 tags for the episode MP3: title, show, date, genre, description, cover, chapters.

mutagen builds every frame, but on save it orders frames by size, which puts CHAP frames out of
time order (ffmpeg and many players list chapters in file order). So each frame is serialised by
mutagen on its own and the tag is assembled here in a fixed order: text frames, the chapter
table (CTOC, then CHAP in time order), the cover last.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from mutagen import id3

from narrate.audio.timeline import Chapter
from narrate.printable import one_line, printable

PADDING = 1024  # bytes of ID3 padding, so later tag edits need not rewrite the audio
_NO_OFFSET = 0xFFFFFFFF  # CHAP byte offsets unused: times are authoritative


@dataclass(frozen=True)
class Tags:
    title: str
    show: str
    date: str = ""
    """ISO date (YYYY-MM-DD) or full ISO timestamp; the date part is written."""
    description: str = ""
    genre: str = "Podcast"
    cover_jpeg: bytes | None = None
    chapters: tuple[Chapter, ...] = ()
    credits: tuple[tuple[str, str], ...] = ()
    """(role, name) pairs, e.g. ("narrator", "Joe"), written as TIPL involved people."""
    author: str = ""
    """The story's author: the artist (TPE1) when known, else the show is."""
    album: str = ""
    """The album (TALB): a split book's title, so players group its chapters; "" the show."""
    track: tuple[int, int] | None = None
    """(number, of) for a split book's chapter (TRCK), so players sort them in reading order."""


def _syncsafe(n: int) -> bytes:
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])


def _frame_bytes(frame: id3.Frame) -> bytes:
    tag = id3.ID3()
    tag.add(frame)
    buf = io.BytesIO()
    tag.save(buf, v2_version=4, padding=lambda info: 0)
    return buf.getvalue()[10:]  # drop the 10-byte tag header


def frames(tags: Tags) -> list[id3.Frame]:
    """The tag's frames in the order they are written. Every text is cleaned of control
    characters first (`narrate.printable`): in ID3v2.4 a NUL separates a frame's values."""
    tags = _printable(tags)
    utf8 = id3.Encoding.UTF8
    out: list[id3.Frame] = [id3.TIT2(encoding=utf8, text=[tags.title]),
                            id3.TPE1(encoding=utf8, text=[tags.author or tags.show]),
                            id3.TALB(encoding=utf8, text=[tags.album or tags.show])]
    if tags.album or tags.author:  # the show stays findable as the album artist
        out.append(id3.TPE2(encoding=utf8, text=[tags.show]))
    if tags.track:
        out.append(id3.TRCK(encoding=utf8, text=[f"{tags.track[0]}/{tags.track[1]}"]))
    if tags.date:
        out.append(id3.TDRC(encoding=utf8, text=[tags.date[:10]]))
    out.append(id3.TCON(encoding=utf8, text=[tags.genre]))
    if tags.description:
        out.append(id3.COMM(encoding=utf8, lang="eng", desc="", text=[tags.description]))
        out.append(id3.TDES(encoding=utf8, text=[tags.description]))  # iTunes podcast field
    if tags.credits:
        out.append(id3.TIPL(encoding=utf8, people=[list(p) for p in tags.credits]))
    chapters = sorted(tags.chapters, key=lambda c: c.start_ms)
    if chapters:
        ids = [f"chp{i}" for i in range(len(chapters))]
        out.append(id3.CTOC(element_id="toc",
                            flags=id3.CTOCFlags.TOP_LEVEL | id3.CTOCFlags.ORDERED,
                            child_element_ids=ids,
                            sub_frames=[id3.TIT2(encoding=utf8, text=["Chapters"])]))
        out += [id3.CHAP(element_id=i, start_time=c.start_ms, end_time=c.end_ms,
                         start_offset=_NO_OFFSET, end_offset=_NO_OFFSET,
                         sub_frames=[id3.TIT2(encoding=utf8, text=[c.title])])
                for i, c in zip(ids, chapters, strict=True)]
    if tags.cover_jpeg:
        out.append(id3.APIC(encoding=utf8, mime="image/jpeg", type=id3.PictureType.COVER_FRONT,
                            desc="Cover", data=tags.cover_jpeg))
    return out


def _printable(tags: Tags) -> Tags:
    return replace(
        tags, title=one_line(tags.title), show=one_line(tags.show), date=one_line(tags.date),
        description=printable(tags.description), genre=one_line(tags.genre),
        author=one_line(tags.author), album=one_line(tags.album),
        chapters=tuple(replace(c, title=one_line(c.title)) for c in tags.chapters),
        credits=tuple((one_line(role), one_line(name)) for role, name in tags.credits))


def id3_tag(tags: Tags) -> bytes:
    """A complete ID3v2.4 tag (header, frames in order, padding)."""
    body = b"".join(_frame_bytes(f) for f in frames(tags)) + b"\x00" * PADDING
    return b"ID3\x04\x00\x00" + _syncsafe(len(body)) + body


def write_tagged(audio_mp3: str | Path, dest: str | Path, tags: Tags) -> None:
    """Write ``dest`` = the tag followed by the untagged MP3 stream of ``audio_mp3`` (streamed)."""
    with Path(audio_mp3).open("rb") as src, Path(dest).open("wb") as out:
        out.write(id3_tag(tags))
        shutil.copyfileobj(src, out, 1 << 20)


def read_chapters(path: str | Path) -> list[Chapter]:
    """CHAP frames of an MP3 in file order (for checks)."""
    tag = id3.ID3(str(path))
    return [Chapter(title=str(f.sub_frames["TIT2"].text[0]) if "TIT2" in f.sub_frames else "",
                    start_ms=f.start_time, end_ms=f.end_time) for f in tag.getall("CHAP")]

