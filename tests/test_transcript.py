import json
import re

from narrate.episode import Chapter
from narrate.master import Cue
from narrate.transcript import to_chapters_json, to_srt, to_vtt

CUES = [Cue(0, 1500, "Narrator", "It was  late.\nVery late.", "tone:low", 0),
        Cue(2250, 3_725_004, "Ann <the elder>", "“Go & see --> now,” she said.", "tone:mid", 1)]


def test_vtt_has_voices_times_and_escapes():
    vtt = to_vtt(CUES)
    assert vtt.startswith("WEBVTT\n\n")
    blocks = vtt.strip().split("\n\n")[1:]
    assert len(blocks) == 2
    assert blocks[0].splitlines() == ["1", "00:00:00.000 --> 00:00:01.500",
                                      "<v Narrator>It was late. Very late."]
    assert blocks[1].splitlines()[1] == "00:00:02.250 --> 01:02:05.004"
    assert blocks[1].splitlines()[2] == ("<v Ann &lt;the elder&gt;>“Go &amp; see -&gt; now,” "
                                         "she said.")
    for block in blocks:  # every cue: id, timing line, one text line
        assert re.fullmatch(r"\d+\n\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}\n<v [^>]+>.+",
                            block)


def test_srt_numbers_commas_and_speaker_prefix():
    srt = to_srt(CUES)
    blocks = srt.strip().split("\n\n")
    assert blocks[0].splitlines() == ["1", "00:00:00,000 --> 00:00:01,500",
                                      "It was late. Very late."]
    assert blocks[1].splitlines()[2].startswith("Ann <the elder>: “Go & see")


def test_chapters_json_sorted_in_seconds():
    data = json.loads(to_chapters_json([Chapter("B", 61_500, 90_000), Chapter("A", 0, 61_500)],
                                       title="Ep"))
    assert data["version"] == "1.2.0" and data["title"] == "Ep"
    assert data["chapters"] == [{"startTime": 0.0, "endTime": 61.5, "title": "A"},
                                {"startTime": 61.5, "endTime": 90.0, "title": "B"}]
