"""Control characters in titles and descriptions never reach the feed or the page (issue 15.1)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import podcastparser
import pytest
from click.testing import CliRunner
from feedkit import BASE_URL, make_episode, show

from narrate.cli import cli
from narrate.errors import FeedError
from narrate.publish.episode import Episode, episode_metadata_path
from narrate.publish.feed import _write_feed, list_episodes, publish
from narrate.publish.xmltext import xml_text

HOSTILE = "Bell\a and Esc\x1b[31m red\x1b[0m \x00nul\ufffe\x0b end"


def test_xml_text_keeps_words_and_drops_what_xml_forbids() -> None:
    assert xml_text(HOSTILE) == "Bell and Esc red nul end"
    assert xml_text("tab\tnew\nline\r") == "tab\tnew\nline\r"
    assert xml_text("\ufeffTitle") == "Title"
    assert xml_text("Café “quoted” — 日本") == "Café “quoted” — 日本"


def _hostile_episode(out: Path) -> Path:
    mp3 = make_episode(out, "bell")
    meta = episode_metadata_path(mp3)
    ep = Episode.load(meta)
    ep.with_(title=HOSTILE, description=HOSTILE, author="A\x07uthor").save(out)
    return mp3


def test_control_characters_do_not_break_the_feed(tmp_path: Path) -> None:
    out = tmp_path / "output"
    good = make_episode(out, "good")
    publish([good], feed_path=out / "feed.xml", show=show())
    publish([_hostile_episode(out)], feed_path=out / "feed.xml",
            show=show(title="Night\x1b[1m Stories\x07", description="Short\x00 stories."))
    data = (out / "feed.xml").read_bytes()
    ET.fromstring(data)  # a reader parses it
    fp = feedparser.parse(data)
    assert not fp.bozo, fp.get("bozo_exception")
    pp = podcastparser.parse(BASE_URL + "feed.xml", io.BytesIO(data))
    assert pp["title"] == "Night Stories"
    titles = {e.slug: e.title for e in list_episodes(out / "feed.xml")}
    assert titles == {"good": "Episode good", "bell": "Bell and Esc red nul end"}
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "\x1b" not in page and "\a" not in page and "Bell and Esc red" in page
    # and the next publish still works
    publish([good], feed_path=out / "feed.xml", show=show())


def test_a_feed_that_would_not_parse_is_never_written(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(b"<?xml version='1.0'?><rss version='2.0'><channel><title>Old</title>"
                     b"</channel></rss>")
    before = feed.read_bytes()
    root = ET.Element("rss", version="2.0")
    ET.SubElement(ET.SubElement(root, "channel"), "title").text = "bad \x01 char"
    with pytest.raises(FeedError, match="nothing was changed"):
        _write_feed(feed, before, root)
    assert feed.read_bytes() == before


@pytest.mark.parametrize("args", [
    ["publish", "output/good.mp3", "--title", "Esc\x1b[31m show\a"],
])
def test_cli_publish_title_with_control_characters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   args: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    make_episode(tmp_path / "output", "good")
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(cli, ["feed", "list"])
    assert r.exit_code == 0, r.output
    assert "Episode good" in r.output
    data = (tmp_path / "output" / "feed.xml").read_bytes()
    assert feedparser.parse(data).feed.title == "Esc show"
