"""Story files other than .txt: EPUB, HTML and Markdown read into story text and metadata.

Every EPUB here is built in the test with zipfile (and its cover with Pillow): no binary
fixture is committed."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from narrate.cli import cli
from narrate.errors import InputError
from narrate.pipeline import read_script, script_story, story_paths
from narrate.script import SegmentKind
from narrate.text import build_script, read_source, read_story
from narrate.text.formats import markdown_to_text
from narrate.text.htmltext import html_to_text

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf"
    media-type="application/oebps-package+xml"/></rootfiles>
</container>"""

CHAPTER_ONE = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>One</title><style>p { margin: 0 }</style></head>
<body><section epub:type="chapter"><h1>The Orchard</h1>
<p>Anna stood by the gate &amp; waited for her brother.</p>
<p>“Come here,” said Anna.</p>
<p>“I am coming,” said Ben.</p></section></body></html>"""

CHAPTER_TWO = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Two</title></head>
<body><h2>The River</h2>
<p>The water ran fast and brown under the old bridge.</p>
<p>“Look at the boats,” Ben said.</p></body></html>"""

NAV = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>Contents</title></head><body><nav epub:type="toc"><h1>Contents</h1><ol>
<li><a href="ch1.xhtml">Table of contents entry one</a></li></ol></nav>
<p>Navigation page words that must never be read.</p></body></html>"""

COVER_PAGE = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Cover</title></head>
<body><div><img src="images/cover.png" alt="Cover"/></div></body></html>"""


def png(color: tuple[int, int, int] = (200, 30, 30), size: tuple[int, int] = (40, 60)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def opf(*, spine: str, cover_meta: bool = False) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">urn:uuid:1</dc:identifier>
    <dc:title>The Orchard Book</dc:title>
    <dc:creator>Jane Writer</dc:creator>
    <dc:language>en</dc:language>
    {'<meta name="cover" content="cover-img"/>' if cover_meta else ''}
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="cover-img" href="images/cover.png" media-type="image/png"
          {'' if cover_meta else 'properties="cover-image"'}/>
    <item id="coverpage" href="cover.xhtml" media-type="application/xhtml+xml"/>
    <item id="ch1" href="text/ch%201.xhtml" media-type="application/xhtml+xml"/>
    <item id="ch2" href="text/ch2.xhtml" media-type="application/xhtml+xml"/>
  </manifest>
  <spine toc="ncx">{spine}</spine>
</package>"""


def make_epub(path: Path, *, spine: str = "coverpage nav ch2 ch1", cover_meta: bool = False,
              encryption: str | None = None, drop: tuple[str, ...] = (),
              cover: bytes | None = None) -> Path:
    """A small EPUB 3: cover page, nav document and two chapters; ``spine`` lists the idrefs in
    reading order (chapter two first by default, so the spine, not the manifest, must rule)."""
    members = {
        "META-INF/container.xml": CONTAINER,
        "OEBPS/content.opf": opf(spine="".join(f'<itemref idref="{i}"/>' for i in spine.split()),
                                 cover_meta=cover_meta),
        "OEBPS/nav.xhtml": NAV,
        "OEBPS/toc.ncx": "<ncx xmlns='http://www.daisy.org/z3986/2005/ncx/'/>",
        "OEBPS/cover.xhtml": COVER_PAGE,
        "OEBPS/text/ch 1.xhtml": CHAPTER_ONE,
        "OEBPS/text/ch2.xhtml": CHAPTER_TWO,
    }
    if encryption is not None:
        members["META-INF/encryption.xml"] = encryption
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, text in members.items():
            if name not in drop:
                zf.writestr(name, text, compress_type=zipfile.ZIP_DEFLATED)
        if "OEBPS/images/cover.png" not in drop:
            zf.writestr("OEBPS/images/cover.png", cover if cover is not None else png())
    return path


@pytest.fixture
def epub(tmp_path: Path) -> Path:
    return make_epub(tmp_path / "orchard.epub")


# --- EPUB ------------------------------------------------------------------------------------

def test_epub_text_follows_the_spine_and_leaves_out_nav_and_cover_page(epub: Path) -> None:
    book = read_source(epub)
    assert book.format == "epub"
    assert book.text.startswith("## The River\n\nThe water ran fast")
    assert book.text.index("## The River") < book.text.index("# The Orchard")
    assert "Anna stood by the gate & waited" in book.text  # entity decoded
    assert "Navigation page" not in book.text and "Table of contents" not in book.text
    assert "Cover" not in book.text and "margin" not in book.text
    assert read_story(epub) == book.text


def test_epub_metadata_and_cover(epub: Path) -> None:
    book = read_source(epub)
    assert (book.title, book.author, book.language) == ("The Orchard Book", "Jane Writer", "en")
    assert book.cover is not None and book.cover.media_type == "image/png"
    assert book.cover.data == png()
    assert book.meta["author"] == "Jane Writer"
    assert book.meta["cover"]["bytes"] == len(png())


def test_epub2_cover_from_meta_name_cover(tmp_path: Path) -> None:
    book = read_source(make_epub(tmp_path / "b.epub", cover_meta=True))
    assert book.cover is not None and book.cover.data == png()


def test_epub_script_headings_become_sections_and_dialogue_is_attributed(epub: Path) -> None:
    script, cover = read_script(epub)
    assert script.title == "The Orchard Book"  # dc:title, not the first chapter's heading
    assert cover is not None
    headings = [s for s in script.segments if s.kind is SegmentKind.HEADING]
    assert [h.speak for h in headings] == ["The River", "The Orchard"]  # both read aloud
    assert {s.section for s in headings} == {0, 1}
    dialogue = {s.speak: s.speaker for s in script.segments if s.kind is SegmentKind.DIALOGUE}
    assert dialogue["Come here,"] == "Anna"
    assert dialogue["I am coming,"] == "Ben"
    text = read_story(epub)
    assert all(text[s.start:s.end] == s.text for s in script.segments)  # offsets: extracted text
    assert script.meta["format"] == "epub" and script.meta["language"] == "en"


def test_epub_opening_heading_that_is_the_book_title_is_announced_not_read(tmp_path: Path) -> None:
    path = make_epub(tmp_path / "b.epub", spine="ch1 ch2")
    book = read_source(path)
    titled_book = path.with_name("t.epub")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(titled_book, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith("ch 1.xhtml"):
                data = data.replace(b"<h1>The Orchard</h1>", b"<h1>The Orchard Book</h1>")
            dst.writestr(item, data)
    assert book.title == "The Orchard Book"
    first = script_story(titled_book).segments[0]
    assert first.kind is SegmentKind.SKIPPED and first.reason == "episode title, announced"
    assert script_story(path).segments[0].kind is SegmentKind.HEADING  # "The Orchard": a chapter


def test_epub_font_obfuscation_is_not_drm(tmp_path: Path) -> None:
    fonts = """<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
      xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>
      <enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>
      <enc:CipherData><enc:CipherReference URI="OEBPS/fonts/a.otf"/></enc:CipherData>
      </enc:EncryptedData></encryption>"""
    assert "The Orchard" in read_story(make_epub(tmp_path / "f.epub", encryption=fonts))


DRM = """<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
  xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>
  <enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
  <enc:CipherData><enc:CipherReference URI="OEBPS/text/ch2.xhtml"/></enc:CipherData>
  </enc:EncryptedData></encryption>"""


def _corrupt(tmp_path: Path) -> Path:
    good = make_epub(tmp_path / "good.epub").read_bytes()
    path = tmp_path / "corrupt.epub"
    path.write_bytes(good[: len(good) // 2])
    return path


def _unknown_encoding(tmp_path: Path) -> Path:
    # found by fuzzing: ElementTree raises LookupError, not ParseError, for such a declaration
    path = make_epub(tmp_path / "b.epub", drop=("META-INF/container.xml",))
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("META-INF/container.xml", CONTAINER.replace(
            '<?xml version="1.0"?>', '<?xml version="1.0" encoding="utC-8"?>', 1))
    return path


@pytest.mark.parametrize(("build", "message"), [
    (_unknown_encoding, "is a damaged EPUB: META-INF/container.xml is not valid XML"),
    (lambda d: _corrupt(d), "is not a readable EPUB: it is not a zip archive, or a damaged one"),
    (lambda d: (d / "text.epub").write_text("hello") and d / "text.epub",
     "is not a readable EPUB"),
    (lambda d: make_epub(d / "b.epub", drop=("META-INF/container.xml",)),
     "is not an EPUB: it has no META-INF/container.xml"),
    (lambda d: make_epub(d / "b.epub", drop=("OEBPS/content.opf",)),
     "its package file OEBPS/content.opf is missing"),
    (lambda d: make_epub(d / "b.epub", drop=("OEBPS/text/ch2.xhtml",)),
     "OEBPS/text/ch2.xhtml is listed in the book but missing"),
    (lambda d: make_epub(d / "b.epub", encryption=DRM),
     "is DRM-protected; narrate cannot read it"),
    (lambda d: make_epub(d / "b.epub", spine="nav coverpage"), "is empty"),
])
def test_bad_epub_is_a_one_line_cli_error(tmp_path: Path, build, message: str) -> None:
    path = build(tmp_path)
    with pytest.raises(InputError, match=message):
        read_source(path)
    for command in (["script", str(path)], ["render", str(path), "-o", str(tmp_path / "o")]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and message in lines[0] and str(path) in lines[0], lines


def test_epub_text_over_the_limit_is_refused(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import narrate.text.epub as epub_module

    monkeypatch.setattr(epub_module, "MAX_STORY_BYTES", 150)
    with pytest.raises(InputError, match="is too large"):
        read_source(make_epub(tmp_path / "b.epub"))


def test_epub_with_an_unreadable_cover_renders_with_a_drawn_one(tmp_path: Path) -> None:
    from narrate.pipeline.produce import _book_cover

    book = read_source(make_epub(tmp_path / "b.epub", cover=b"not an image"))
    assert book.cover is not None
    assert _book_cover(book.cover) is None


# --- HTML ------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html lang="en"><head><title>The Kettle | Tales Weekly</title>
<script>document.write("<p>no</p>")</script><style>.a{}</style></head>
<body><header><a href="/">Tales Weekly</a><nav><ul><li>Home</li><li>Fiction</li></ul></nav>
</header><main><article>
<p>Anna filled the kettle &amp; set it on the stove&nbsp;at   once.</p>
<p>&ldquo;Is it ready yet?&rdquo; asked Ben,
   peering round the door.</p>
<h2>Later</h2><div>&ldquo;Not yet,&rdquo; Anna said.<br>She smiled.</div>
<ul><li>One cup</li></ul></article></main>
<aside>Related stories</aside><form>Subscribe now</form><noscript>Enable JS</noscript>
<footer>Copyright</footer></body></html>"""


def test_html_drops_furniture_and_decodes_entities() -> None:
    page = html_to_text(PAGE)
    assert page.text == ("Anna filled the kettle & set it on the stove at once.\n\n"
                         "“Is it ready yet?” asked Ben, peering round the door.\n\n"
                         "## Later\n\n“Not yet,” Anna said.\n\nShe smiled.\n\nOne cup\n")
    assert page.title == "The Kettle | Tales Weekly"  # no h1: the <title>
    assert page.language == "en"


def test_html_h1_is_the_title_and_headings_are_lines_of_their_own(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_text("<title>Site</title><h1>The  Kettle</h1>Anna waited.<h3>Part <b>Two</b>"
                    "</h3><p>“Now,” said Ben.", encoding="utf-8")
    source = read_source(path)
    assert source.text == "# The Kettle\n\nAnna waited.\n\n### Part Two\n\n“Now,” said Ben.\n"
    assert source.title == "The Kettle"
    script = script_story(path)
    assert script.title == "The Kettle"
    assert script.segments[0].kind is SegmentKind.SKIPPED  # announced as the title
    assert [s.speaker for s in script.segments if s.kind is SegmentKind.DIALOGUE] == ["Ben"]


def test_html_declared_charset_is_used(tmp_path: Path) -> None:
    path = tmp_path / "old.html"
    path.write_bytes('<meta charset="windows-1252"><p>Caf\u00e9 at noon.</p>'.encode("cp1252"))
    assert read_story(path) == "Café at noon.\n"


# --- Markdown --------------------------------------------------------------------------------

MARKDOWN = """---
title: "The Kettle"
author: Jane Writer
---
The Storm
=========

Anna read the [note](https://example.org/note "a note") twice. ![A kettle](kettle.png)
<!-- draft: fix this later -->
> “Come here,” said Anna.

***

Ben used `tea` and \\*sugar\\* &amp; milk, see <https://example.org> and [the ref][r].

```python
print("never read aloud")
```

[r]: https://example.org/ref
# Part *Two*
"""


def test_markdown_converts_only_what_would_be_read_as_markup() -> None:
    text, meta = markdown_to_text(MARKDOWN)
    assert meta == {"title": "The Kettle", "author": "Jane Writer"}
    assert text == ("# The Storm\n\nAnna read the note twice. \n\n“Come here,” said Anna.\n\n\n\n"
                    "Ben used tea and *sugar* & milk, see https://example.org and the ref.\n\n"
                    "\n# Part *Two*\n")


def test_plain_markdown_is_left_as_it_is() -> None:
    plain = "# Title\n\nShe said *no*, and **meant** it.\n\n- a list item\n"
    assert markdown_to_text(plain) == (plain, {})


def test_markdown_story_is_scripted_with_its_front_matter_title(tmp_path: Path) -> None:
    path = tmp_path / "kettle.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    script = script_story(path)
    assert script.title == "The Kettle" and script.meta["author"] == "Jane Writer"
    spoken = " ".join(s.speak for s in script.spoken)
    assert "example.org/note" not in spoken and "kettle.png" not in spoken
    assert "never read" not in spoken and "draft" not in spoken
    assert [s.speaker for s in script.segments if s.kind is SegmentKind.DIALOGUE] == ["Anna"]


# --- .txt and folders ------------------------------------------------------------------------

def test_txt_script_is_unchanged() -> None:
    """A .txt story is read as it always was: the file's own text, offsets into it."""
    example = Path(__file__).resolve().parents[1] / "examples" / "the-last-train-to-ashford.txt"
    text = example.read_bytes().decode("utf-8")
    assert read_story(example) == text
    assert read_source(example).meta == {}
    script = script_story(example)
    assert script.to_dict()["meta"] == build_script(text).to_dict()["meta"]
    assert all(text[s.start:s.end] == s.text for s in script.segments)
    assert script.segments[-1].end == len(text)


def test_unknown_suffix_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "story.text"
    path.write_text("Anna waited.\n", encoding="utf-8")
    assert read_story(path) == "Anna waited.\n"


def test_folder_gives_every_supported_file_sorted(tmp_path: Path, epub: Path) -> None:
    for name in ("b.md", "c.html", "d.txt", "notes.json", "._e.txt"):
        (tmp_path / name).write_text("Anna waited.\n", encoding="utf-8")
    assert [p.name for p in story_paths([tmp_path])] == ["b.md", "c.html", "d.txt",
                                                          "orchard.epub"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"no stories in folder .*\.txt, \.md.*\.epub"):
        story_paths([tmp_path / "empty"])


# --- CLI -------------------------------------------------------------------------------------

def test_script_extract_prints_the_text_the_offsets_index(epub: Path) -> None:
    runner = CliRunner()
    extracted = runner.invoke(cli, ["script", str(epub), "--extract"])
    assert extracted.exit_code == 0, extracted.output
    assert extracted.output == read_story(epub)
    result = runner.invoke(cli, ["script", str(epub), "--format", "json"])
    assert result.exit_code == 0, result.output
    script = json.loads(result.output)
    assert script["title"] == "The Orchard Book"
    for seg in script["segments"]:
        assert extracted.output[seg["start"]:seg["end"]] == seg["text"]


def test_render_epub_end_to_end(epub: Path, tmp_path: Path) -> None:
    from mutagen.id3 import ID3

    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["render", str(epub), "-o", str(out), "-q", "--no-music",
                                      "--narrator", "tone:deep", "--executor", "serial"])
    assert result.exit_code == 0, result.output
    mp3 = out / "orchard.mp3"
    episode = json.loads((out / "orchard.episode.json").read_text(encoding="utf-8"))
    assert episode["title"] == "The Orchard Book"
    titles = [c["title"] for c in episode["chapters"]]
    assert titles[:2] == ["The River", "The Orchard"], titles
    tags = ID3(mp3)
    assert len(tags.getall("CHAP")) == len(titles) >= 2
    with Image.open(io.BytesIO(tags.getall("APIC")[0].data)) as cover:
        assert cover.size == (1400, 1400)
        assert cover.getpixel((700, 700))[0] > 150  # the book's red cover, not a drawn one
    assert (out / "orchard.jpg").read_bytes() == tags.getall("APIC")[0].data


# ------------------------------------------------------------------ hostile files (issue 15)

def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    import os
    import threading

    fifo = tmp_path / "story.txt"
    os.mkfifo(fifo)
    found: list[BaseException] = []

    def read() -> None:
        try:
            read_source(fifo)
        except BaseException as e:
            found.append(e)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(5)
    if reader.is_alive():  # unblock the hung reader so the test ends
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO hung")
    assert isinstance(found[0], InputError)
    assert "not a regular file" in str(found[0])


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_link_to_a_device_is_refused(tmp_path: Path, device: str) -> None:
    link = tmp_path / "story.txt"
    link.symlink_to(device)
    with pytest.raises(InputError, match="not a regular file"):
        read_source(link)


def test_cli_refuses_a_device_in_one_line(tmp_path: Path) -> None:
    link = tmp_path / "story.md"
    link.symlink_to("/dev/zero")
    r = CliRunner().invoke(cli, ["script", str(link)])
    assert r.exit_code == 1
    assert r.output.startswith("Error: ") and len(r.output.strip().splitlines()) == 1
    assert "not a regular file" in r.output


def test_a_byte_order_mark_is_not_part_of_the_title(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_bytes("\ufeffThe Kettle\n\nAnna filled the kettle.\n".encode())
    script, _ = read_script(story)
    assert script.title == "The Kettle"
    assert all("\ufeff" not in s.speak for s in script.segments)
    assert all(not s.spoken or "\ufeff" not in s.text for s in script.segments)


def test_a_byte_order_mark_before_markdown_front_matter(tmp_path: Path) -> None:
    story = tmp_path / "story.md"
    story.write_bytes("\ufeff---\ntitle: Kettle Song\n---\n\nAnna filled the kettle.\n".encode())
    assert read_script(story)[0].title == "Kettle Song"


PAGE_AS_TXT = ("<!DOCTYPE html>\n<html><head><title>The Kettle</title>\n"
               "<script>alert('x')</script><style>p{color:red}</style></head>\n"
               "<body><p>Anna filled the kettle.</p>\n<p>“Is it ready?” asked Ben.</p>"
               "</body></html>\n")


def test_a_web_page_saved_as_txt_is_read_as_html_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    story = tmp_path / "story.txt"
    story.write_text(PAGE_AS_TXT, encoding="utf-8")
    with caplog.at_level("WARNING"):
        script, _ = read_script(story)
    spoken = " ".join(s.speak for s in script.segments if s.spoken).lower()
    assert "alert" not in spoken and "script" not in spoken and "color" not in spoken
    assert "anna filled the kettle" in spoken
    assert script.title == "The Kettle"
    assert any("story.txt is HTML" in r.getMessage() for r in caplog.records)


def test_markup_in_a_txt_story_is_warned_about(tmp_path: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    story = tmp_path / "story.txt"
    story.write_text("The Kettle\n\nAnna <b>filled</b> the kettle.<br>\n\nBen <i>waited</i>.\n",
                     encoding="utf-8")
    with caplog.at_level("WARNING"):
        read_source(story)
    assert any("markup" in r.getMessage() for r in caplog.records)
    caplog.clear()
    plain = tmp_path / "plain.txt"
    plain.write_text("The Kettle\n\nIf a < b and c > d, Anna said.\n", encoding="utf-8")
    with caplog.at_level("WARNING"):
        read_source(plain)
    assert not caplog.records
