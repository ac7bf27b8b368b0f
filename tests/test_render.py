from itertools import pairwise

import numpy as np
import pytest

from narrate.audio import render
from narrate.audio.cache import SegmentCache
from narrate.audio.executors import LocalExecutor
from narrate.audio.pcm import MASTER_RATE
from narrate.audio.render import prefetch, split_for_engine, synthesize_script
from narrate.errors import EngineError
from narrate.script import Script, Segment, SegmentKind
from narrate.voices.engines.silent import MS_PER_CHAR

TRIM_PAD = render.TRIM_PAD_MS


def make_script(lines, voice="tone:low"):
    segments, pos = [], 0
    for n, line in enumerate(lines):
        segments.append(Segment(SegmentKind.NARRATION, pos, pos + len(line), line, speak=line,
                                voice=voice, paragraph=n))
        pos += len(line)
        segments.append(Segment(SegmentKind.SPACE, pos, pos + 2, "\n\n"))
        pos += 2
    return Script(tuple(segments), title="t")


def expected_ms(text):
    return sum(len(c) * MS_PER_CHAR for c in split_for_engine(text))


@pytest.fixture
def counted(monkeypatch):
    """Records every text the engine is asked to speak (in this process)."""
    spoken = []
    real = render.speak

    def speak(voice, text, **kw):
        spoken.append(text)
        return real(voice, text, **kw)

    monkeypatch.setattr(render, "speak", speak)
    return spoken


LINES = ["The first line is short.", "A second, longer line follows it here.",
         "Third line.", "The fourth and final line of this tiny story."]


def test_yields_spoken_segments_in_order_at_master_rate():
    script = make_script(LINES)
    out = list(synthesize_script(script))
    assert [r.index for r in out] == [0, 2, 4, 6]
    for r, line in zip(out, LINES, strict=True):
        assert r.audio.sample_rate == MASTER_RATE and r.audio.samples.dtype == np.float32
        assert r.segment.text == line
        # tone audio is loud from the first sample, so trimming keeps it all
        assert r.audio.duration_ms == pytest.approx(expected_ms(line), abs=1)


def test_uncast_segment_is_an_error():
    script = make_script(["No voice here."], voice=None)
    with pytest.raises(EngineError, match="cast the script first"):
        list(synthesize_script(script))


def test_cache_serves_a_second_render_and_an_edit_resynthesises_only_the_change(tmp_path,
                                                                              counted):
    cache = SegmentCache(tmp_path)
    first = [r.audio.samples for r in synthesize_script(make_script(LINES), cache=cache)]
    assert len(counted) == 4
    counted.clear()
    second = [r.audio.samples for r in synthesize_script(make_script(LINES), cache=cache)]
    assert counted == []
    for a, b in zip(first, second, strict=True):
        np.testing.assert_allclose(a, b, atol=1 / 16000)
    edited = [*LINES[:2], "Third line, now edited.", LINES[3]]
    list(synthesize_script(make_script(edited), cache=cache))
    assert counted == ["Third line, now edited."]


def test_voice_change_is_a_cache_miss(tmp_path, counted):
    cache = SegmentCache(tmp_path)
    list(synthesize_script(make_script(LINES[:1]), cache=cache))
    list(synthesize_script(make_script(LINES[:1], voice="tone:high"), cache=cache))
    assert len(counted) == 2


def test_repeated_line_is_synthesised_once(tmp_path, counted):
    script = make_script(["Yes.", "No.", "Yes.", "Yes."])
    out = list(synthesize_script(script, cache=SegmentCache(tmp_path)))
    assert sorted(counted) == ["No.", "Yes."]
    assert len(out) == 4


def test_progress_reports_audio_and_eta(tmp_path):
    cache = SegmentCache(tmp_path)
    list(synthesize_script(make_script(LINES[:2]), cache=cache))
    seen = []
    list(synthesize_script(make_script(LINES), cache=cache, progress=seen.append))
    assert [p.done for p in seen] == [1, 2, 3, 4]
    assert [p.cached for p in seen] == [1, 2, 2, 2]
    assert seen[-1].audio_s == pytest.approx(sum(expected_ms(x) for x in LINES) / 1000, abs=0.01)
    assert seen[-1].chars_todo == len(LINES[2]) + len(LINES[3])
    assert seen[-1].eta_s == 0.0
    assert all(a.audio_s < b.audio_s for a, b in pairwise(seen))


def test_local_pool_gives_the_same_audio_in_order(tmp_path):
    script = make_script(LINES * 3)
    serial = [r.audio.samples for r in synthesize_script(script)]
    with LocalExecutor(2) as pool:
        pooled = list(synthesize_script(script, executor=pool))
    assert [r.index for r in pooled] == [i * 2 for i in range(12)]
    for a, r in zip(serial, pooled, strict=True):
        np.testing.assert_array_equal(a, r.audio.samples)


def test_prefetch_fills_the_cache_for_many_scripts(tmp_path, counted):
    cache = SegmentCache(tmp_path)
    scripts = [make_script(LINES[:2]), make_script(LINES[1:])]
    finished = list(prefetch(scripts, cache))
    assert sorted(finished) == [0, 1]
    assert len(counted) == 4 and cache.info().entries == 4  # LINES[1] is shared: spoken once
    counted.clear()
    for script in scripts:
        list(synthesize_script(script, cache=cache))
    assert counted == []


def test_prefetch_reports_a_script_as_soon_as_it_is_complete(tmp_path):
    cache = SegmentCache(tmp_path)
    list(synthesize_script(make_script(LINES[2:]), cache=cache))
    scripts = [make_script(LINES), make_script(LINES[2:]), make_script(LINES[:1])]
    seen = []
    finished = list(prefetch(scripts, cache, progress=seen.append))
    assert finished[0] == 1  # all cached: ready before any work
    assert sorted(finished) == [0, 1, 2]
    assert seen[-1].done == seen[-1].total == 7 and seen[-1].cached == 4


def test_prefetch_through_a_pool_matches_serial_audio(tmp_path):
    scripts = [make_script(LINES), make_script([x.upper() for x in LINES], voice="tone:high")]
    pooled, serial = SegmentCache(tmp_path / "a"), SegmentCache(tmp_path / "b")
    with LocalExecutor(2) as pool:
        assert sorted(prefetch(scripts, pooled, executor=pool)) == [0, 1]
    list(prefetch(scripts, serial))
    for script in scripts:
        for a, b in zip(synthesize_script(script, cache=pooled),
                        synthesize_script(script, cache=serial), strict=True):
            np.testing.assert_array_equal(a.audio.samples, b.audio.samples)


def test_prefetch_speaks_extra_text_where_speak_cached_finds_it(tmp_path, counted):
    cache = SegmentCache(tmp_path)
    extra = [[render.SynthesisJob("tone:low", "Show presents: the first tale.")], []]
    assert sorted(prefetch([make_script(LINES[:1]), make_script(LINES[1:2])], cache,
                           extra=extra)) == [0, 1]
    assert "Show presents: the first tale." in counted
    counted.clear()
    audio = render.speak_cached("tone:low", "Show presents: the first tale.", cache)
    assert counted == [] and audio.duration_ms > 0


def test_sentences_split_alike_in_original_and_spoken_text():
    assert render.split_sentences("At 11:40 p.m. the  platform\nwas empty. “Ready?” asked Ben. "
                                  "Mr. Hale met J. Smith at No. 5. “Go!” He went.") == [
        "At 11:40 p.m. the platform was empty.", "“Ready?” asked Ben.",
        "Mr. Hale met J. Smith at No. 5.", "“Go!”", "He went."]
    assert render.sentence_ends("One. Two.") == [4, 9]
    assert render.split_sentences("") == [] and render.sentence_ends("") == []


def test_caption_chunks_pair_spoken_sentences_with_the_original_ones():
    text = "It was 1998. Mr. Hale had 2 cats. They slept. Nobody woke them."
    speak = "It was nineteen ninety-eight. Mister Hale had two cats. They slept. Nobody woke them."
    chunks = split_for_engine(speak, 40)
    assert chunks == ["It was nineteen ninety-eight.", "Mister Hale had two cats. They slept.",
                      "Nobody woke them."]
    assert render.caption_chunks(text, speak, chunks) == [
        (1, "It was 1998."), (2, "Mr. Hale had 2 cats. They slept."), (3, "Nobody woke them.")]
    # a chunk that stops inside a sentence (cut at a comma) joins the chunk that ends it
    long = "One two three four five, six seven eight nine ten. Eleven."
    chunks = split_for_engine(long, 30)
    assert len(chunks) == 3
    assert render.caption_chunks(long, long, chunks) == [
        (2, "One two three four five, six seven eight nine ten."), (3, "Eleven.")]


def test_a_sentence_longer_than_the_limit_gets_chunks_of_its_own():
    long = "Then came a sentence far too long for one call, with clauses, and more clauses."
    text = f"Short one. Short two. {long} Short three."
    chunks = split_for_engine(text, 50)
    assert all(len(c) <= 50 for c in chunks) and " ".join(chunks) == text
    # the short sentences around it are not glued to its clauses: they still end chunks
    assert chunks[0] == "Short one. Short two." and chunks[-1] == "Short three."
    assert " ".join(chunks[1:-1]) == long and len(chunks) == 4
    assert [n for n, _ in render.caption_chunks(text, text, chunks)] == [1, 3, 4]


def test_caption_chunks_fall_back_to_one_caption_when_sentences_do_not_pair():
    # normalisation turned one sentence into two ("v. 2" read out as "version two. Final")
    text = "The build was v.2 final. It shipped."
    speak = "The build was version two. Final. It shipped."
    chunks = split_for_engine(speak, 30)
    assert len(chunks) == 2
    assert render.caption_chunks(text, speak, chunks) == [(2, text)]
    # chunks that are not pieces of the spoken text (a stale cache entry): one caption too
    assert render.caption_chunks("A b. C d.", "A b. C d.", ["A b.", "X y."]) == [(2, "A b. C d.")]
    assert render.caption_chunks("A b. C d.", "A b. C d.", ["A b. C d."]) == [(1, "A b. C d.")]


def test_synthesis_keeps_chunk_ends_and_captions_cover_the_audio(tmp_path):
    sentences = [f"Sentence number {n} of a paragraph that is long enough to need chunks."
                 for n in ("one", "two", "three", "four", "five", "six", "seven")]
    paragraph = " ".join(sentences)
    assert len(split_for_engine(paragraph)) == 2
    samples, rate, marks = render.synthesize_job(render.SynthesisJob("tone:low", paragraph))
    assert len(marks) == 2 and marks[-1] == len(samples)
    cache = SegmentCache(tmp_path)
    for _ in range(2):  # synthesised and stored, then read back from the cache
        (rendered,) = synthesize_script(make_script([paragraph]), cache=cache)
        assert [c.text for c in rendered.captions] == [" ".join(sentences[:5]),
                                                       " ".join(sentences[5:])]
        assert rendered.captions[-1].end == len(rendered.audio.samples)
        assert rendered.captions[0].end == round(marks[0] * MASTER_RATE / rate)


def test_an_added_sentence_speaks_only_the_chunks_it_changed(tmp_path, counted):
    sentences = [f"Sentence number {n} of a paragraph that is long enough to need chunks."
                 for n in ("one", "two", "three", "four", "five", "six", "seven")]
    paragraph = " ".join(sentences)
    cache = SegmentCache(tmp_path)
    (before,) = synthesize_script(make_script([paragraph]), cache=cache)
    assert len(counted) == 2
    counted.clear()
    added = "Nobody said a word."
    (after,) = synthesize_script(make_script([f"{paragraph} {added}"]), cache=cache)
    _first, last = split_for_engine(f"{paragraph} {added}")
    assert counted == [last] and last.endswith(added)
    # the unchanged chunk is the very same audio, and the chunk ends still cut the captions
    start = before.captions[0].end
    np.testing.assert_array_equal(after.audio.samples[:start], before.audio.samples[:start])
    assert after.captions[-1].text.endswith(added)
    assert after.captions[-1].end == len(after.audio.samples)


def test_prefetch_speaks_only_missing_chunks_and_reports_whole_segments(tmp_path, counted):
    sentences = [f"Sentence {n} is a sentence long enough for this paragraph to need chunks."
                 for n in range(8)]
    cache = SegmentCache(tmp_path)
    list(synthesize_script(make_script([" ".join(sentences[:5])]), cache=cache))
    counted.clear()
    grown = make_script([" ".join(sentences), LINES[0]])
    seen = []
    assert list(prefetch([grown], cache, progress=seen.append)) == [0]
    assert counted == [split_for_engine(" ".join(sentences))[-1], LINES[0]]
    assert seen[-1].done == seen[-1].total == 2 and seen[-1].cached == 0
    counted.clear()
    assert len(list(synthesize_script(grown, cache=cache))) == 2 and counted == []
