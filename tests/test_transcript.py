import json
import re
from itertools import pairwise

import numpy as np
import pytest

from narrate.audio.master import Cue
from narrate.audio.timeline import Chapter
from narrate.audio.transcript import to_chapters_json, to_srt, to_vtt

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


PARAGRAPH = ("The night train left Wexley at 11:40 p.m. and nobody saw it go. "
             "Mr. Hale counted 12 carriages from the footbridge, then counted them again. "
             "The lamps along the platform hissed and went out one by one. "
             "A porter swept the same square of concrete for the third time that hour. "
             "Somewhere past the signal box a dog barked twice and was answered by nothing. "
             "By midnight the rails had stopped singing, and the town was asleep. "
             "Only the stationmaster stayed awake, reading the same page of his book. "
             "At 1 a.m. he gave up, turned off the kettle and locked the ticket office. "
             "Outside, the frost had already begun to write on the windows of the waiting room. "
             "Nobody would read it before dawn. "
             "Far down the line, Dr. Ames was still awake in the signal box at Ashford. "
             "He wrote 3 words in the log, crossed them out, and wrote them again more slowly. "
             "Then he waited for a train that was not coming.")
STORY = f"The Night Train\n\n{PARAGRAPH}\n\n“Is it gone?” asked Ann.\n"


def _paragraph_cues(cues):
    """The run of cues that shows PARAGRAPH, checked to be its sentences in order."""
    from narrate.audio.render import split_sentences

    sentences = split_sentences(PARAGRAPH)
    first = next(i for i, c in enumerate(cues) if c.text.startswith("The night train"))
    run, used = [], 0
    for cue in cues[first:]:
        if used == len(sentences):
            break
        # each cue shows whole original sentences (numbers as written, not as spoken)
        n = next(n for n in range(used + 1, len(sentences) + 1)
                 if " ".join(sentences[used:n]) == cue.text)
        run.append(cue)
        used = n
    assert used == len(sentences)
    return run


def test_a_long_paragraph_is_several_exact_cues(tmp_path):
    from dataclasses import replace

    from narrate.audio.cache import SegmentCache
    from narrate.audio.master import PARAGRAPH_GAP_MS, StoryInput, assemble
    from narrate.audio.pcm import MASTER_RATE, int16_to_float
    from narrate.audio.render import synthesize_script
    from narrate.text import build_script

    script = build_script(STORY)
    script = script.with_segments([replace(s, voice="tone:low") if s.spoken else s
                                   for s in script.segments])
    stream = synthesize_script(script, cache=SegmentCache(tmp_path / "cache"))
    mix = assemble([StoryInput("The Night Train", stream)], tmp_path / "a.pcm")
    run = _paragraph_cues(mix.cues)
    assert len(run) >= 3 and len({c.index for c in run}) == 1
    for a, b in pairwise(run):
        assert a.start_ms < a.end_ms == b.start_ms  # in order, no gap inside the paragraph
    # the tone engine speaks 10 ms a character; the whole paragraph is one clip of its audio
    assert run[-1].end_ms - run[0].start_ms == pytest.approx(10 * len(
        " ".join(s.speak for s in script.segments if s.text.startswith("The night"))), abs=60)
    x = int16_to_float(mix.pcm.read_bytes())

    def at(ms):
        return int(ms * MASTER_RATE / 1000)

    end = run[-1].end_ms
    assert np.abs(x[at(end) + 2: at(end + PARAGRAPH_GAP_MS) - 2]).max() == 0  # silent after
    assert np.abs(x[at(end - 40): at(end - 15)]).max() > 0.05  # speech up to the fade-out
    start = run[0].start_ms
    assert np.abs(x[at(start - PARAGRAPH_GAP_MS) + 2: at(start) - 2]).max() == 0
    assert np.abs(x[at(start + 15): at(start + 40)]).max() > 0.05


def test_rendered_transcripts_show_the_paragraph_sentence_by_sentence(tmp_path):
    from click.testing import CliRunner

    from narrate.audio.check import read_vtt
    from narrate.cli import cli

    story = tmp_path / "night-train.txt"
    story.write_text(STORY, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["render", str(story), "-o", str(out), "-q", "--narrator",
                                      "tone:low", "--no-music", "--cache-dir",
                                      str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    cues = read_vtt(out / "night-train.vtt")
    run = _paragraph_cues(cues)
    assert len(run) >= 3 and {c.speaker for c in run} == {"Narrator"}
    for a, b in pairwise(run):
        assert a.start_ms < a.end_ms == b.start_ms
    srt = (out / "night-train.srt").read_text(encoding="utf-8")
    assert srt.count(" --> ") == len(cues)
    assert "Ann: “Is it gone?”" in srt or "Ann: Is it gone?" in srt
