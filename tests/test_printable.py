"""One cleaner for every text that leaves narrate as metadata: feed, page and MP3 tags."""

from __future__ import annotations

import io

from mutagen import id3

from narrate.audio.tags import Tags, id3_tag
from narrate.audio.timeline import Chapter
from narrate.printable import one_line, printable

HOSTILE = "Bell\a and Esc\x1b[31m red\x1b[0m \x00nul\ufffe\x0b end"


def test_printable_keeps_words_and_line_breaks() -> None:
    assert printable(HOSTILE) == "Bell and Esc red nul end"
    assert printable("tab\tnew\nline\r") == "tab\tnew\nline\r"
    assert printable("\ufeffTitle") == "Title"
    assert printable("Café “quoted” — 日本") == "Café “quoted” — 日本"


def test_one_line_joins_lines() -> None:
    assert one_line("  The Quiet\n\tHarbour \r\n") == "The Quiet Harbour"
    assert one_line(HOSTILE) == "Bell and Esc red nul end"


def _read(tag: bytes) -> id3.ID3:
    return id3.ID3(io.BytesIO(tag + b"\xff\xfb\x90\x00" * 8))


def test_tags_hold_no_control_characters() -> None:
    """In ID3v2.4 a NUL separates a frame's values: a title with one was read as two titles,
    and a colour code or form feed reached every player's display."""
    tags = Tags(title="The \x00Harbour\x1b[1m\n", show="Show\x07", author="Ann\x0c Lee",
                description="First.\n\nSecond\x00.",
                chapters=(Chapter("Part\x00 one", 0, 1000),),
                credits=(("narrator", "Joe\x1b[0m"),))
    tag = _read(id3_tag(tags))
    assert tag["TIT2"].text == ["The Harbour"]
    assert tag["TPE1"].text == ["Ann Lee"] and tag["TALB"].text == ["Show"]
    assert tag.getall("COMM")[0].text == ["First.\n\nSecond."]
    assert tag.getall("CHAP")[0].sub_frames["TIT2"].text == ["Part one"]
    assert tag["TIPL"].people == [["narrator", "Joe"]]
