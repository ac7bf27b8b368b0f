from __future__ import annotations

from pathlib import Path

from feedkit import make_episode, show

from narrate.publish.feed import publish, remove_episode
from narrate.publish.site import transcript_text


def test_publish_writes_a_page_with_player_and_transcript(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish([make_episode(out, "one"), make_episode(out, "two & more", title="Two <b>")],
            feed_path=out / "feed.xml", show=show())
    page = (out / "index.html").read_text()
    assert "<h1>Night Stories</h1>" in page
    assert '<audio controls preload="none" src="one.mp3">' in page
    assert '<track kind="captions" src="one.vtt" default>' in page
    assert "<p>Mara: Who is there?</p>" in page
    assert "Two &lt;b&gt;" in page and "<b>" not in page  # titles are escaped
    assert 'src="two%20%26%20more.mp3"' in page
    remove_episode(out / "feed.xml", "one")
    assert "one.mp3" not in (out / "index.html").read_text()


def test_transcript_text_from_vtt_and_srt() -> None:
    vtt = ("WEBVTT\n\nNOTE made by hand\n\n1\n00:00.000 --> 00:01.500\n<v Ann>Hello &amp; "
           "<i>welcome</i>\nfriend.\n\n00:01.500 --> 00:02.000\nPlain.\n")
    assert transcript_text(vtt) == "Ann: Hello & welcome friend.\nPlain."
    srt = ("1\r\n00:00:00,000 --> 00:00:01,000\r\nOne.\r\n\r\n"
           "2\r\n00:00:01,000 --> 00:00:02,000\r\nTwo.\r\n")
    assert transcript_text(srt) == "One.\nTwo."


def test_transcript_text_joins_the_sentence_cues_of_a_paragraph() -> None:
    # narrate's cues tile a paragraph with no gap: one line; a pause or a new voice starts another
    vtt = ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\n<v Narrator>It was late.\n\n"
           "2\n00:00:03.000 --> 00:00:05.000\n<v Narrator>Very late.\n\n"
           "3\n00:00:05.000 --> 00:00:06.000\n<v Ann &amp; Bo>Go.\n\n"
           "4\n00:00:06.700 --> 00:00:07.000\n<v Ann &amp; Bo>Now.\n")
    assert transcript_text(vtt).splitlines() == ["Narrator: It was late. Very late.",
                                                 "Ann & Bo: Go.", "Ann & Bo: Now."]
