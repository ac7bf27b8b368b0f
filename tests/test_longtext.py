"""Long runs of text are cut into segments of bounded length before synthesis (issue 15.8)."""

from __future__ import annotations

import random
from itertools import pairwise
from pathlib import Path

import pytest

from narrate.audio.longtext import MAX_SEGMENT_WORDS, split_long_segment
from narrate.audio.render import synthesize_script
from narrate.script import Script, Segment, SegmentKind

VOCAB = ["the", "harbour", "lamp", "boat", "rain", "night", "keeper", "daughter", "walked",
         "slowly", "along", "grey", "stones", "while", "wind", "carried", "voices", "of",
         "sailors", "over", "water"]


def _paragraph(words: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(VOCAB) for _ in range(words))


def _segment(text: str, start: int = 10, speak: str | None = None) -> Segment:
    return Segment(SegmentKind.NARRATION, start, start + len(text), text,
                   speak=text if speak is None else speak, voice="tone:low", paragraph=3)


def test_an_unpunctuated_run_is_cut_at_word_boundaries() -> None:
    text = _paragraph(3000)
    seg = _segment(text)
    pieces = split_long_segment(seg)
    assert len(pieces) >= 3000 // MAX_SEGMENT_WORDS
    assert all(len(p.speak.split()) <= MAX_SEGMENT_WORDS for p in pieces)
    assert "".join(p.text for p in pieces) == text  # every character once, in order
    assert " ".join(p.speak for p in pieces).split() == text.split()
    assert pieces[0].start == seg.start and pieces[-1].end == seg.end
    for a, b in pairwise(pieces):
        assert a.end == b.start
        assert not a.text[-1:].isalnum() or not b.text[:1].isalnum()  # never inside a word
    assert {(p.kind, p.voice, p.paragraph) for p in pieces} == {(seg.kind, seg.voice, 3)}


def test_sentences_are_kept_whole_where_they_fit() -> None:
    sentences = [f"Sentence {n} says {_paragraph(20, n)}." for n in range(30)]
    text = " ".join(sentences)
    pieces = split_long_segment(_segment(text))
    assert len(pieces) > 1
    assert all(p.speak.rstrip().endswith(".") for p in pieces)
    assert all(p.text.rstrip().endswith(".") for p in pieces)


def test_short_segments_are_left_alone() -> None:
    seg = _segment(_paragraph(MAX_SEGMENT_WORDS))
    assert split_long_segment(seg) == [seg]


def test_normalised_speech_is_split_with_its_text() -> None:
    text = _paragraph(600)
    speak = text.replace("boat", "little boat")  # normalisation changed the word count
    pieces = split_long_segment(_segment(text, speak=speak))
    assert " ".join(p.speak for p in pieces).split() == speak.split()
    assert "".join(p.text for p in pieces) == text


def test_synthesis_speaks_a_long_run_as_several_segments() -> None:
    text = _paragraph(1000)
    script = Script((_segment(text, start=0),), title="t")
    rendered = list(synthesize_script(script))
    assert len(rendered) > 1
    assert {r.index for r in rendered} == {0}
    assert " ".join(r.segment.speak for r in rendered).split() == text.split()


def test_a_run_without_punctuation_reaches_the_engine_in_short_chunks() -> None:
    from narrate.audio.longtext import RUN_CHUNK_CHARS
    from narrate.audio.render import engine_chunks, split_for_engine

    run = _paragraph(150)
    chunks = engine_chunks("piper:joe", run)
    assert all(len(c) <= RUN_CHUNK_CHARS for c in chunks)
    assert " ".join(chunks) == run
    punctuated = "A short one. " + ", ".join(_paragraph(12, n) for n in range(12)) + "."
    assert max(len(c) for c in split_for_engine(punctuated, 200)) > RUN_CHUNK_CHARS


def test_only_texts_with_a_run_change_cache_key() -> None:
    from narrate.audio.render import SynthesisJob, _key

    plain = "It was late. " * 30
    assert _key(SynthesisJob("piper:joe", plain), "f") == _key(SynthesisJob("piper:joe", plain),
                                                               "f")
    from narrate.audio.cache import segment_key
    from narrate.audio.render import TRIM_PAD_MS, TRIM_THRESHOLD

    assert _key(SynthesisJob("piper:joe", plain), "f") == segment_key(
        plain, "f", speed=1.0, trim=[TRIM_THRESHOLD, TRIM_PAD_MS], chunk=200)
    run = _paragraph(100)
    assert _key(SynthesisJob("piper:joe", run), "f") != segment_key(
        run, "f", speed=1.0, trim=[TRIM_THRESHOLD, TRIM_PAD_MS], chunk=200)


@pytest.mark.slow
def test_a_3000_word_paragraph_without_punctuation_renders_under_900_mb(tmp_path: Path) -> None:
    """The issue's acceptance: the whole process tree (render, its two synthesis workers, the
    resource tracker, ffmpeg) stays under 900 MB of resident memory (it was 3.0 GB with -j 1:
    the paragraph was one 20-minute segment)."""
    import subprocess
    import sys
    import time

    import psutil

    rng = random.Random(3000)
    story = tmp_path / "para.txt"
    story.write_text("The Long Paragraph\n\n" + " ".join(rng.choice(VOCAB) for _ in range(3000))
                     + "\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "narrate", "render", str(story), "-o",
                             str(tmp_path / "out"), "--no-music", "-q", "-j", "2"])
    parent = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
        except psutil.Error:
            pass
        time.sleep(0.05)
    assert proc.returncode == 0
    assert peak < 900 * 2**20, f"{peak / 2**20:.0f} MB"
    assert (tmp_path / "out" / "para.mp3").stat().st_size > 1_000_000
