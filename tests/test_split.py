"""A book as a series: the chapter splitter, and `render --split chapters` end to end."""

from __future__ import annotations

import io
import json
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrate.audio import render
from narrate.cli import cli
from narrate.errors import InputError
from narrate.publish.episode import Episode
from narrate.script import SegmentKind
from narrate.text import build_script
from narrate.text.split import SplitMode, split_chapters

# --- the splitter ------------------------------------------------------------------------------


def words(n: int, word: str = "rain") -> str:
    return " ".join([word] * (n - 1) + [word + "."])


def book(*parts: str) -> str:
    return "\n\n".join(parts) + "\n"


def chapters_of(text: str, min_words: int = 10) -> list[tuple[str, list[str]]]:
    script = build_script(text)
    chapters = split_chapters(script, min_words=min_words)
    return [(c.title, [s.text for s in c.of(script).segments if s.spoken]) for c in chapters]


def test_every_segment_lands_in_exactly_one_chapter_in_order() -> None:
    text = book("Foreword by nobody at all, a few words.", "Chapter 1", words(20),
                "“Who is there?” asked Ann.", "Chapter 2", words(30, "snow"),
                "Chapter 3", words(25, "wind"))
    script = build_script(text)
    chapters = split_chapters(script, min_words=10)
    assert [c.title for c in chapters] == ["Chapter 1", "Chapter 2", "Chapter 3"]
    assert [c.number for c in chapters] == [1, 2, 3]
    joined = [seg for c in chapters for seg in c.of(script).segments]
    assert joined == list(script.segments)  # same objects, same order, offsets untouched
    assert chapters[0].first == 0 and chapters[-1].stop == len(script.segments)
    for a, b in pairwise(chapters):
        assert a.stop == b.first
    for seg in joined:
        assert text[seg.start:seg.end] == seg.text
    # the chapter's script opens with its heading (front matter aside) and knows its place
    second = chapters[1].of(script)
    assert next(s for s in second.segments if s.spoken).kind is SegmentKind.HEADING
    assert second.meta["chapter"] == {"number": 2, "title": "Chapter 2"}
    assert second.characters == script.characters


def test_front_matter_joins_the_first_chapter() -> None:
    found = chapters_of(book("An epigraph: the sea remembers.", "Chapter 1", words(12),
                             "Chapter 2", words(12)))
    assert found[0][0] == "Chapter 1"
    assert found[0][1][0] == "An epigraph: the sea remembers."


def test_consecutive_headings_open_one_chapter() -> None:
    found = chapters_of(book("Part One", "Chapter 1", words(12), "Chapter 2", words(12),
                             "Part Two", "Chapter 3", words(12)))
    assert [title for title, _ in found] == ["Part One: Chapter 1", "Chapter 2",
                                             "Part Two: Chapter 3"]


def test_short_chapters_join_the_next_and_a_short_last_one_the_previous() -> None:
    found = chapters_of(book("Scene 1", words(4), "Scene 2", words(4), "Scene 3", words(4),
                             "Chapter 2", words(12), "Coda", words(3)), min_words=10)
    assert [title for title, _ in found] == ["Scene 1", "Chapter 2"]
    # the joined chapter reads every heading it holds; nothing is lost
    assert [t for t in found[0][1] if t.startswith("Scene")] == ["Scene 1", "Scene 2", "Scene 3"]
    assert found[1][1][-2:] == ["Coda", words(3)]


def test_no_headings_is_one_chapter() -> None:
    script = build_script(book(words(40), words(40)))
    [only] = split_chapters(script)
    assert (only.title, only.first, only.stop) == ("", 0, len(script.segments))


def test_split_mode_parse_names_the_choices() -> None:
    assert SplitMode.parse("Chapters") is SplitMode.CHAPTERS
    with pytest.raises(InputError, match="unknown split 'pages'; use one of: none, chapters"):
        SplitMode.parse("pages")


def test_old_episode_json_reads_without_series_fields() -> None:
    old = {"slug": "a", "title": "A", "mp3": "a.mp3", "duration_s": 1.0}
    episode = Episode.from_dict(old)
    assert (episode.author, episode.series, episode.number) == ("", "", None)


# --- render --split chapters -------------------------------------------------------------------

ANNA = ["“Is the kettle on?” asked Anna.", "“Not yet,” Ben said.",
        "“Then I will wait,” said Anna."]
BEN = ["“Where is the map?” asked Ben.", "“On the table,” Anna said."]


def chapter(title: str, lines: list[str], filler: str) -> list[str]:
    sentence = f"The {filler} lay quiet over the hills while the house slept on."
    return [title, " ".join([sentence] * 6), *lines, " ".join([sentence] * 6)]


@pytest.fixture
def three_chapters(tmp_path: Path) -> Path:
    path = tmp_path / "kettle-book.txt"
    path.write_text(book("The Kettle Book", *chapter("Chapter One", ANNA, "mist"),
                         *chapter("Chapter Two", BEN, "snow"),
                         *chapter("Chapter Three", ANNA, "rain")), encoding="utf-8")
    return path


@pytest.fixture
def tone_cast(tmp_path: Path) -> Path:
    voices = tmp_path / "voices"  # conftest points NARRATE_VOICES_DIR here
    voices.mkdir(exist_ok=True)
    (voices / "engines.toml").write_text('[casting]\nengines = ["tone"]\n', encoding="utf-8")
    return voices


def render_args(story: Path, out: Path, *more: str) -> list[str]:
    return ["render", str(story), "-o", str(out), "-q", "--no-music", "--split", "chapters",
            "--narrator", "tone:low", "--show", "Kettle Tales", "--executor", "serial", *more]


def test_render_split_chapters_publishes_a_series_in_reading_order(
        tmp_path: Path, three_chapters: Path, tone_cast: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import feedparser
    import podcastparser

    from narrate.audio.pcm import decode

    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, render_args(three_chapters, out, "--publish"))
    assert result.exit_code == 0, result.output
    slugs = ["kettle-book-01-chapter-one", "kettle-book-02-chapter-two",
             "kettle-book-03-chapter-three"]
    assert sorted(p.stem for p in out.glob("*.mp3")) == slugs
    episodes = [json.loads((out / f"{s}.episode.json").read_text(encoding="utf-8"))
                for s in slugs]
    assert [e["title"] for e in episodes] == ["The Kettle Book — Chapter One",
                                              "The Kettle Book — Chapter Two",
                                              "The Kettle Book — Chapter Three"]
    assert [(e["series"], e["number"]) for e in episodes] == [("The Kettle Book", n)
                                                              for n in (1, 2, 3)]
    dates = [datetime.fromisoformat(e["published"]) for e in episodes]
    assert dates == sorted(dates) and len(set(dates)) == 3
    for slug in slugs:
        audio = decode(out / f"{slug}.mp3")
        assert audio.duration_ms > 5_000
    # one voice per character in every chapter (the book was cast once)
    voices: dict[str, set[str]] = {}
    for e in episodes:
        for credit in e["cast"]:
            voices.setdefault(credit["character"], set()).add(credit["voice"])
    assert {"Anna", "Ben", "Narrator"} <= set(voices)
    assert all(len(v) == 1 for v in voices.values()), voices
    assert voices["Anna"] != voices["Ben"]
    # chapter two's text only in chapter two
    assert "snow" in (out / f"{slugs[1]}.vtt").read_text(encoding="utf-8")
    assert "snow" not in (out / f"{slugs[0]}.vtt").read_text(encoding="utf-8")

    data = (out / "feed.xml").read_bytes()
    pp = podcastparser.parse("https://example.org/feed.xml", io.BytesIO(data))
    by_number = sorted(pp["episodes"], key=lambda e: e["number"])
    assert [e["number"] for e in by_number] == [1, 2, 3]
    assert [e["title"] for e in by_number] == [e["title"] for e in episodes]
    assert [e["published"] for e in by_number] == sorted(e["published"] for e in by_number)
    assert {e["season"] for e in by_number} == {1} and {e["type"] for e in by_number} == {"full"}
    fp = feedparser.parse(data)
    assert fp.feed.itunes_type == "serial"
    by_date = sorted(fp.entries, key=lambda e: e.published_parsed)
    assert [e.itunes_episode for e in by_date] == ["1", "2", "3"]
    assert [e.title for e in by_date] == [e["title"] for e in episodes]


def test_re_render_of_a_split_book_is_up_to_date(tmp_path: Path, three_chapters: Path,
                                                 tone_cast: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, render_args(three_chapters, out)).exit_code == 0
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.mp3")}
    published = {p.name: json.loads(p.read_text())["published"]
                 for p in out.glob("*.episode.json")}
    spoken: list[str] = []
    real = render.speak
    monkeypatch.setattr(render, "speak", lambda voice, text, **kw: (spoken.append(text),
                                                                    real(voice, text, **kw))[1])
    result = CliRunner().invoke(cli, render_args(three_chapters, out))
    assert result.exit_code == 0, result.output
    assert spoken == []
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.mp3")} == stamps
    # forced: mastered again (from the cache), and the published dates stay
    result = CliRunner().invoke(cli, render_args(three_chapters, out, "--force"))
    assert result.exit_code == 0, result.output
    assert spoken == []
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.mp3")} != stamps
    assert {p.name: json.loads(p.read_text())["published"]
            for p in out.glob("*.episode.json")} == published


def test_epub_splits_by_its_chapters_and_carries_the_author(tmp_path: Path, tone_cast: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    import feedparser
    from mutagen.id3 import ID3

    from tests.test_text_formats import make_epub

    monkeypatch.chdir(tmp_path)
    epub = make_epub(tmp_path / "orchard.epub", spine="coverpage nav ch1 ch2")
    out = tmp_path / "out"
    # the test book's chapters are short: the library's threshold is lowered for it
    from narrate.pipeline import RenderOptions, publish_episodes, render_stories

    episodes = render_stories([epub], out, options=RenderOptions(
        narrator="tone:low", music=False, executor="serial", split="chapters",
        chapter_min_words=5, show="Orchard Tales"))
    assert [(e.slug, e.number, e.author) for e in episodes] == [
        ("orchard-01-the-orchard", 1, "Jane Writer"), ("orchard-02-the-river", 2, "Jane Writer")]
    assert episodes[0].title == "The Orchard Book — The Orchard"
    tags = ID3(out / "orchard-02-the-river.mp3")
    assert str(tags["TPE1"]) == "Jane Writer"
    assert str(tags["TALB"]) == "The Orchard Book" and str(tags["TRCK"]) == "2/2"
    assert str(tags["TPE2"]) == "Orchard Tales"
    publish_episodes(episodes, out, show="Orchard Tales")
    fp = feedparser.parse((out / "feed.xml").read_bytes())
    assert {e.author for e in fp.entries} == {"Jane Writer"}
    assert sorted(e.itunes_episode for e in fp.entries) == ["1", "2"]

    # with the default threshold the two short chapters are one episode, as without --split
    result = CliRunner().invoke(cli, ["render", str(epub), "-o", str(tmp_path / "one"), "-q",
                                      "--no-music", "--narrator", "tone:low", "--split",
                                      "chapters", "--executor", "serial"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "one").glob("*.mp3")] == ["orchard.mp3"]
    assert str(ID3(tmp_path / "one" / "orchard.mp3")["TPE1"]) == "Jane Writer"


def test_split_usage_errors(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    for p in (a, b):
        p.write_text("Chapter 1\n\nWords.\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["render", str(a), str(b), "--split", "chapters",
                                 "--episode", "Both"])
    assert result.exit_code == 2 and "--episode TITLE makes several stories" in result.output
    result = runner.invoke(cli, ["render", "--script", str(a), "--script", str(b), "--split",
                                 "chapters", "--episode", "Both"])
    assert result.exit_code == 2 and "--episode TITLE makes several stories" in result.output
    result = runner.invoke(cli, ["render", "--script", str(tmp_path / "gone.script.txt"),
                                 "--split", "chapters"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: no such script file: {tmp_path / 'gone.script.txt'}"]
    result = runner.invoke(cli, ["render", str(a), "--split", "pages"])
    assert result.exit_code == 2 and "'pages' is not one of" in result.output


# --- an edited script of a book, split ------------------------------------------------------


def _episodes(out: Path) -> dict[str, dict]:
    return {p.name.removesuffix(".episode.json"): json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(out.glob("*.episode.json"))}


def _hz_of_line(out: Path, slug: str, speaker: str) -> float:
    import numpy as np

    from narrate.audio.pcm import decode

    audio = decode(out / f"{slug}.mp3")
    vtt = (out / f"{slug}.vtt").read_text(encoding="utf-8")
    cue = next(b.splitlines() for b in vtt.split("\n\n") if f"<v {speaker}>" in b)
    start, end = (sum(float(x) * m for x, m in zip(t.strip().split(":"), (3600, 60, 1),
                                                   strict=True))
                  for t in cue[-2].split("-->"))
    rate = audio.sample_rate
    samples = audio.samples[int(start * rate):int(end * rate)]
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


def test_an_edited_script_of_a_book_replaces_its_chapter_episodes(
        tmp_path: Path, three_chapters: Path, tone_cast: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(cli, render_args(three_chapters, out))
    assert result.exit_code == 0, result.output
    from_story = _episodes(out)
    assert len(from_story) == 3
    # the user writes the book's script, and gives Ben another voice by editing the file
    edited = tmp_path / "edits" / "kettle-book.script.txt"
    edited.parent.mkdir()
    result = runner.invoke(cli, ["script", str(three_chapters), "-o", str(edited),
                                 "--show", "Kettle Tales", "--narrator", "tone:low"])
    assert result.exit_code == 0, result.output
    text = edited.read_text(encoding="utf-8")
    [ben] = set(re.findall(r"\[Ben \| (tone:\w+)\]", text))
    [anna] = set(re.findall(r"\[Anna \| (tone:\w+)\]", text))
    new = next(v for v in ("tone:child", "tone:deep") if v not in (ben, anna, "tone:low"))
    edited.write_text(text.replace(f"[Ben | {ben}]", f"[Ben | {new}]"), encoding="utf-8")

    result = runner.invoke(cli, ["render", "--script", str(edited), "-o", str(out), "-q",
                                 "--no-music", "--split", "chapters", "--narrator", "tone:low",
                                 "--show", "Kettle Tales", "--executor", "serial"])
    assert result.exit_code == 0, result.output
    from_script = _episodes(out)
    # the same episodes, replaced: slugs, titles, numbers, dates and guids all as before
    assert list(from_script) == list(from_story) == [
        "kettle-book-01-chapter-one", "kettle-book-02-chapter-two",
        "kettle-book-03-chapter-three"]
    for key in ("title", "series", "number", "published", "guid"):
        assert [e[key] for e in from_script.values()] == [e[key] for e in from_story.values()]
    # Ben speaks only in chapter two, now with the edited voice; the rest as cast
    credits = {slug: {c["character"]: c["voice"] for c in e["cast"]}
               for slug, e in from_script.items()}
    assert credits["kettle-book-02-chapter-two"]["Ben"] == new
    assert {c.get("Anna") for c in credits.values()} - {None} == {anna}
    assert {c["Narrator"] for c in credits.values()} == {"tone:low"}
    hz = {"tone:child": 440, "tone:deep": 90}[new]
    assert abs(_hz_of_line(out, "kettle-book-02-chapter-two", "Ben") - hz) < 15
    assert "snow" in (out / "kettle-book-02-chapter-two.vtt").read_text(encoding="utf-8")
    assert "snow" not in (out / "kettle-book-01-chapter-one.vtt").read_text(encoding="utf-8")


def test_an_epub_script_splits_as_the_epub_does(tmp_path: Path, tone_cast: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from narrate.pipeline import RenderOptions, render_script_files, render_stories
    from tests.test_text_formats import make_epub

    monkeypatch.chdir(tmp_path)
    epub = make_epub(tmp_path / "orchard.epub", spine="coverpage nav ch1 ch2")
    options = RenderOptions(narrator="tone:low", music=False, executor="serial",
                            split="chapters", chapter_min_words=5, show="Orchard Tales")
    from_epub = render_stories([epub], tmp_path / "a", options=options)
    script = tmp_path / "orchard.script.txt"
    result = CliRunner().invoke(cli, ["script", str(epub), "-o", str(script),
                                      "--show", "Orchard Tales"])
    assert result.exit_code == 0, result.output
    # the book's title and author travel in the script file; its cover does not
    assert "# title: The Orchard Book\n# author: Jane Writer\n" in script.read_text()
    from_script = render_script_files([script], tmp_path / "b", options=options)
    assert [(e.slug, e.title, e.series, e.number, e.author) for e in from_script] == [
        (e.slug, e.title, e.series, e.number, e.author) for e in from_epub]
    assert len(from_script) == 2


# --- the feed of a show of books -------------------------------------------------------------


def _chapter_episode(folder: Path, slug: str, series: str, number: int, when: str) -> Path:
    from tests.feedkit import make_episode

    mp3 = make_episode(folder, slug, published=when, title=f"{series} — {number}")
    meta = folder / f"{slug}.episode.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "series": series,
                                "number": number, "author": "Jane Writer"}))
    return mp3


def test_each_book_is_a_season_and_a_show_of_books_is_serial(tmp_path: Path) -> None:
    import podcastparser

    from narrate.publish.feed import publish
    from tests.feedkit import make_episode, show

    out, feed = tmp_path / "out", tmp_path / "out" / "feed.xml"
    first = [_chapter_episode(out, f"a-0{n}", "Book A", n, f"2024-05-01T10:00:0{n}Z")
             for n in (1, 2)]
    publish(first, feed_path=feed, show=show())
    second = [_chapter_episode(out, f"b-0{n}", "Book B", n, f"2024-06-01T10:00:0{n}Z")
              for n in (1, 2)]
    publish(second[:1], feed_path=feed, show=show())
    publish([second[1], first[0]], feed_path=feed, show=show())  # a season, once given, stays

    def parsed() -> dict:
        return podcastparser.parse("https://x/feed.xml", io.BytesIO(feed.read_bytes()))

    seasons = {e["title"]: (e["season"], e["number"]) for e in parsed()["episodes"]}
    assert seasons == {"Book A — 1": (1, 1), "Book A — 2": (1, 2), "Book B — 1": (2, 1),
                       "Book B — 2": (2, 2)}
    assert {e["itunes_author"] for e in parsed()["episodes"]} == {"Jane Writer"}
    assert parsed()["type"] == "serial"
    publish([make_episode(out, "stand-alone")], feed_path=feed, show=show())
    assert parsed()["type"] == "episodic"  # stand-alone stories: newest first again
    publish([first[0]], feed_path=feed, show=show(type="serial"))
    assert parsed()["type"] == "serial"


def test_show_type_must_be_episodic_or_serial(tmp_path: Path) -> None:
    from narrate.errors import ConfigError
    from narrate.publish.show import load_show_config

    config = tmp_path / "narrate.toml"
    config.write_text('[show]\ntype = "Serial"\n', encoding="utf-8")
    assert load_show_config(config).type == "serial"
    config.write_text('[show]\ntype = "seasonal"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="show type 'seasonal' is not one of episodic, serial"):
        load_show_config(config)


def test_listings_show_a_book_in_reading_order_beside_stand_alone_stories(
        tmp_path: Path) -> None:
    import re

    from narrate.publish.feed import publish
    from tests.feedkit import make_episode, show

    out, feed = tmp_path / "out", tmp_path / "out" / "feed.xml"
    book_title = "Tom & Ann <Vol. 1>"
    chapters = [_chapter_episode(out, f"tom-0{n}", book_title, n, f"2024-05-01T10:00:0{n}Z")
                for n in (1, 2, 3)]
    older = make_episode(out, "older", published="2024-04-01T10:00:00Z", title="Older Story")
    newer = make_episode(out, "newer", published="2024-06-01T10:00:00Z", title="Newer Story")
    publish([chapters[1], older, chapters[0], newer, chapters[2]], feed_path=feed, show=show())

    result = CliRunner().invoke(cli, ["feed", "list", "--feed", str(feed)])
    assert result.exit_code == 0, result.output
    rows = [re.split(r" {2,}", line) for line in result.output.splitlines()]
    # newest first, the book where its newest chapter is, its chapters from the first
    assert [row[2] for row in rows] == ["newer", "tom-01", "tom-02", "tom-03", "older"]
    assert rows[1][-2:] == [f"{book_title} — 1", f"({book_title}, episode 1)"]
    assert rows[3][-1] == f"({book_title}, episode 3)"
    # a stand-alone story's line is as it always was: date, length, slug, guid, title
    assert re.fullmatch(r"2024-06-01    0:02  newer  \S+  Newer Story", result.output
                        .splitlines()[0]), result.output
    result = CliRunner().invoke(cli, ["feed", "list", "--feed", str(feed), "--format", "json"])
    listed = json.loads(result.output)
    assert [(e["slug"], e["series"], e["number"]) for e in listed] == [
        ("newer", "", None), ("tom-01", book_title, 1), ("tom-02", book_title, 2),
        ("tom-03", book_title, 3), ("older", "", None)]

    page = (out / "index.html").read_text(encoding="utf-8")
    articles = re.findall(r'<article id="([^"]+)">(.*?)</article>', page, re.S)
    assert [slug for slug, _ in articles] == ["newer", "tom-01", "tom-02", "tom-03", "older"]
    body = dict(articles)
    assert '<p class="book">Tom &amp; Ann &lt;Vol. 1&gt;, episode 2</p>' in body["tom-02"]
    assert "<Vol. 1>" not in page  # the book's title is escaped like every title
    assert 'class="book"' not in body["newer"] + body["older"]
    assert '<p class="meta">01 June 2024 · 0:02</p>' in body["newer"]
