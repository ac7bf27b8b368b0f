from __future__ import annotations

import io
import multiprocessing
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import podcastparser
import pytest
from feedkit import BASE_URL, cover_jpeg, make_episode, publish_worker, show

from narrate.errors import FeedError
from narrate.publish.feed import (
    PLACEHOLDER_COVER,
    PODCAST_OFFICIAL,
    Severity,
    check_feed,
    derive_guid,
    list_episodes,
    publish,
    remove_episode,
)


def _parse_both(feed: Path) -> tuple[dict, feedparser.FeedParserDict]:
    data = feed.read_bytes()
    return (podcastparser.parse(BASE_URL + "feed.xml", io.BytesIO(data)),
            feedparser.parse(data))


def _published_feed(tmp_path: Path, n: int = 3) -> tuple[Path, list[Path]]:
    out = tmp_path / "output"
    mp3s = [make_episode(out, f"ep-{i}", seconds=1.0 + i, freq=300 + 50 * i,
                         published=f"2024-05-0{i + 1}T10:00:00Z", guid=f"guid-{i}")
            for i in range(n)]
    cover_jpeg(tmp_path / "show.jpg")
    publish(mp3s, feed_path=out / "feed.xml", show=show(image=str(tmp_path / "show.jpg")))
    return out / "feed.xml", mp3s


def test_real_parsers_find_every_episode(tmp_path: Path) -> None:
    feed, mp3s = _published_feed(tmp_path)
    pp, fp = _parse_both(feed)
    assert not fp.bozo, fp.get("bozo_exception")
    assert pp["title"] == fp.feed.title == "Night Stories"
    assert pp["cover_url"] == fp.feed.image.href == BASE_URL + "cover.jpg"
    assert pp["itunes_categories"] == [["Fiction", "Drama"]]
    assert fp.feed.tags[0].term == "Fiction"
    assert len(pp["episodes"]) == len(fp.entries) == 3
    by_guid_pp = {e["guid"]: e for e in pp["episodes"]}
    by_guid_fp = {e.id: e for e in fp.entries}
    for i, mp3 in enumerate(mp3s):
        size = mp3.stat().st_size
        when = datetime(2024, 5, i + 1, 10, tzinfo=UTC)
        e = by_guid_pp[f"guid-{i}"]
        assert e["enclosures"] == [{"url": BASE_URL + mp3.name, "file_size": size,
                                    "mime_type": "audio/mpeg"}]
        assert e["total_time"] == 1 + i
        assert e["published"] == when.timestamp()
        assert e["episode_art_url"] == BASE_URL + f"ep-{i}.jpg"
        # the podcast:* tags reach podcastparser only under the namespace URI it knows
        assert e["transcript_url"] == BASE_URL + f"ep-{i}.vtt"
        assert e["chapters_json_url"] == BASE_URL + f"ep-{i}.chapters.json"
        assert [(p["name"], p["role"]) for p in e["persons"]] == [
            ("piper:joe", "narrator"), ("kokoro:jf_alpha as Mara", "voice actor")]
        assert [c["title"] for c in e["chapters"]] == ["Start", "Knock"]
        f = by_guid_fp[f"guid-{i}"]
        assert f.enclosures[0].href == BASE_URL + mp3.name
        assert int(f.enclosures[0].length) == size
        assert f.enclosures[0].type == "audio/mpeg"
        assert f.itunes_duration == str(1 + i)
        assert datetime(*f.published_parsed[:6], tzinfo=UTC) == when
        assert f.image.href == BASE_URL + f"ep-{i}.jpg"
        assert f.podcast_transcript["url"] == BASE_URL + f"ep-{i}.vtt"
        assert f.podcast_chapters["type"] == "application/json+chapters"
    # newest first
    assert [e.guid for e in list_episodes(feed)] == ["guid-2", "guid-1", "guid-0"]


def test_feed_has_both_transcripts_and_show_guid(tmp_path: Path) -> None:
    feed, _ = _published_feed(tmp_path, n=1)
    root = ET.parse(feed).getroot()
    ns = {"podcast": "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"}
    types = [t.get("type") for t in root.iterfind("channel/item/podcast:transcript", ns)]
    assert types == ["application/x-subrip", "text/vtt"]
    guid = root.findtext("channel/podcast:guid", namespaces=ns)
    assert guid == show().podcast_guid
    assert _parse_both(feed)[1].feed.podcast_guid == guid


def test_podcast_guid_is_uuid5_of_feed_url_without_scheme() -> None:
    import uuid

    expected = uuid.uuid5(uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"),
                          "pod.example.org/stories/feed.xml")
    assert show().podcast_guid == str(expected)


def test_republish_updates_the_item_and_keeps_a_backup(tmp_path: Path) -> None:
    feed, _ = _published_feed(tmp_path)
    before = feed.read_bytes()
    mp3 = make_episode(feed.parent, "ep-1", seconds=4.0, guid="guid-1", title="Renamed")
    entries = publish([mp3], feed_path=feed, show=show(image=str(tmp_path / "show.jpg")))
    assert entries[0].guid == "guid-1"
    assert (feed.parent / "feed.xml.bak").read_bytes() == before
    listed = list_episodes(feed)
    assert [e.guid for e in listed].count("guid-1") == 1 and len(listed) == 3
    updated = next(e for e in listed if e.guid == "guid-1")
    assert (updated.title, updated.duration_s, updated.length) == ("Renamed", 4,
                                                                  mp3.stat().st_size)


def test_guid_without_metadata_guid_is_derived_and_never_changes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    mp3 = make_episode(out, "quiet-night", guid="")
    feed = out / "feed.xml"
    first = publish([mp3], feed_path=feed, show=show())[0].guid
    assert first == derive_guid(show(), "quiet-night")
    assert publish([mp3], feed_path=feed, show=show())[0].guid == first
    # a new host changes every URL but not the episode's identity
    moved = publish([mp3], feed_path=feed, show=show(base_url="https://cdn.example.net/p"))
    assert moved[0].guid == first
    assert moved[0].url == "https://cdn.example.net/p/quiet-night.mp3"
    assert len(list_episodes(feed)) == 1


def test_mp3_without_episode_json_uses_its_tags(tmp_path: Path) -> None:
    from mutagen.id3 import ID3, TIT2

    out = tmp_path / "out"
    mp3 = make_episode(out, "bare", seconds=3.0, with_json=False)
    tags = ID3()
    tags.add(TIT2(encoding=3, text="A Bare File"))
    tags.save(mp3)
    entry = publish([mp3], feed_path=out / "feed.xml", show=show())[0]
    assert entry.title == "A Bare File"
    assert entry.duration_s == 3
    assert entry.length == mp3.stat().st_size
    assert entry.guid == derive_guid(show(), "bare")


@pytest.mark.parametrize("breakage", ["missing-mp3", "missing-vtt", "outside", "bad-xml",
                                      "not-rss"])
def test_bad_input_leaves_the_feed_untouched(tmp_path: Path, breakage: str) -> None:
    feed, _ = _published_feed(tmp_path, n=1)
    target = make_episode(feed.parent, "next")
    if breakage == "missing-mp3":
        target = feed.parent / "nowhere.mp3"
    elif breakage == "missing-vtt":
        (feed.parent / "next.vtt").unlink()
    elif breakage == "outside":
        target = make_episode(tmp_path / "elsewhere", "stray")
    elif breakage == "bad-xml":
        feed.write_bytes(feed.read_bytes()[:-40])
    else:
        feed.write_text("<html><body>hi</body></html>")
    before = feed.read_bytes()
    with pytest.raises(FeedError) as err:
        publish([target], feed_path=feed, show=show())
    assert feed.read_bytes() == before
    assert "\n" not in str(err.value)
    assert {"missing-mp3": "nowhere.mp3", "missing-vtt": "next.vtt", "outside": "not inside",
            "bad-xml": "not valid XML", "not-rss": "not an RSS feed"}[breakage] in str(err.value)


def test_remove_by_slug_or_guid(tmp_path: Path) -> None:
    feed, _ = _published_feed(tmp_path)
    assert remove_episode(feed, "ep-0").guid == "guid-0"
    assert remove_episode(feed, "guid-2").slug == "ep-2"
    assert [e.slug for e in list_episodes(feed)] == ["ep-1"]
    with pytest.raises(FeedError, match="ep-1 \\(guid-1\\)"):
        remove_episode(feed, "ep-9")
    assert (feed.parent / "ep-0.mp3").is_file()  # files stay


def test_feed_under_the_official_namespace_uri_is_read(tmp_path: Path) -> None:
    feed, _ = _published_feed(tmp_path, n=1)
    official = feed.read_text().replace(
        "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
        PODCAST_OFFICIAL)
    feed.write_text(official)
    assert list_episodes(feed)[0].transcripts[-1][1] == "text/vtt"
    publish([make_episode(feed.parent, "two")], feed_path=feed, show=show())
    pp, _ = _parse_both(feed)
    assert all(e.get("transcript_url") for e in pp["episodes"])


def test_placeholder_cover_when_show_has_none(tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "out"
    publish([make_episode(out, "a")], feed_path=out / "feed.xml", show=show())
    with Image.open(out / PLACEHOLDER_COVER) as img:
        assert (img.format, img.mode, img.size) == ("JPEG", "RGB", (1400, 1400))
    problems = check_feed(out / "feed.xml")
    assert [p.severity for p in problems] == [Severity.WARNING]
    assert "no cover" in problems[0].message


def test_check_passes_a_good_feed(tmp_path: Path) -> None:
    feed, _ = _published_feed(tmp_path)
    assert check_feed(feed) == []


def test_check_finds_what_apple_would_reject(tmp_path: Path) -> None:
    feed, mp3s = _published_feed(tmp_path)
    with mp3s[0].open("ab") as f:
        f.write(b"\0" * 10)  # re-encoded behind the feed's back
    (feed.parent / "ep-1.mp3").unlink()
    cover_jpeg(feed.parent / "ep-2.jpg", size=(1000, 1000))
    cover_jpeg(feed.parent / "cover.jpg", size=(1400, 1400), mode="RGBA", fmt="PNG")
    text = feed.read_text().replace("guid-2</guid>", "guid-0</guid>")
    text = text.replace("<itunes:duration>2</itunes:duration>", "<itunes:duration>"
                        "</itunes:duration>")
    feed.write_text(text.replace('text="Fiction"', 'text="Stories"'))
    messages = [str(p) for p in check_feed(feed)]
    joined = "\n".join(messages)
    assert all(m.startswith("error") for m in messages), joined
    for expected in ("enclosure length", "ep-1.mp3 is missing", "1000x1000", "is RGBA",
                     "guid is used by 2 items", "not an Apple category", "itunes:duration"):
        assert expected in joined, (expected, joined)


def test_check_reports_invalid_xml_as_a_problem(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text("<rss><channel>")
    [problem] = check_feed(feed)
    assert problem.severity is Severity.ERROR and "not valid XML" in problem.message


def test_twenty_episodes_from_four_processes_all_land(tmp_path: Path) -> None:
    out = tmp_path / "out"
    slugs = [f"story-{i:02d}" for i in range(20)]
    for i, slug in enumerate(slugs):
        make_episode(out, slug, seconds=1.0, published=f"2024-06-{i + 1:02d}T08:00:00Z")
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(4)
    procs = [ctx.Process(target=publish_worker, args=(str(out), slugs[k::4], start))
             for k in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    pp, fp = _parse_both(out / "feed.xml")
    assert not fp.bozo
    assert sorted(e["guid"] for e in pp["episodes"]) == sorted(
        derive_guid(show(), s) for s in slugs)
    assert sorted(e.slug for e in list_episodes(out / "feed.xml")) == slugs
    assert [p for p in check_feed(out / "feed.xml") if p.severity is Severity.ERROR] == []
    assert not list(out.glob(".feed.xml.*.tmp"))


@pytest.mark.parametrize("with_json", [True, False])
def test_a_file_that_is_not_mp3_audio_is_not_published(tmp_path: Path, with_json: bool) -> None:
    """A copy of /bin/ls named .mp3 was published as a 17-second episode (issue 15.4)."""
    out = tmp_path / "output"
    good = make_episode(out, "good")
    publish([good], feed_path=out / "feed.xml", show=show())
    before = (out / "feed.xml").read_bytes()
    fake = make_episode(out, "fake", with_json=with_json)
    fake.write_bytes(Path("/bin/ls").read_bytes())
    with pytest.raises(FeedError, match=r"fake\.mp3 is not MP3 audio.*feed was not changed"):
        publish([fake], feed_path=out / "feed.xml", show=show())
    assert (out / "feed.xml").read_bytes() == before


def test_feed_check_decodes_the_enclosures(tmp_path: Path) -> None:
    feed, mp3s = _published_feed(tmp_path, n=1)
    assert not [p for p in check_feed(feed) if p.severity is Severity.ERROR]
    size = mp3s[0].stat().st_size
    mp3s[0].write_bytes((Path("/bin/ls").read_bytes() * 2)[:size])  # same length, not audio
    errors = [p for p in check_feed(feed) if p.severity is Severity.ERROR]
    assert any("not MP3 audio" in p.message for p in errors), errors
