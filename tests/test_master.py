import os

import numpy as np
import pytest

from narrate.audio.loudness import measure_samples
from narrate.audio.master import (
    DUCK_DB,
    MAX_PLR_DB,
    PARAGRAPH_GAP_MS,
    SECTION_GAP_MS,
    SENTENCE_GAP_MS,
    SPEAKER_CHANGE_EXTRA_MS,
    SPEECH_LUFS,
    Announcement,
    ShowParts,
    StoryInput,
    assemble,
    gap_before,
    peak_limit,
)
from narrate.audio.music import generate_theme
from narrate.audio.pcm import MASTER_RATE, Audio, int16_to_float
from narrate.audio.render import Caption, RenderedSegment
from narrate.script import Segment, SegmentKind


def tone(ms: float, freq: float = 220.0, amp: float = 0.3) -> Audio:
    t = np.arange(int(ms * MASTER_RATE / 1000)) / MASTER_RATE
    return Audio((amp * np.sin(2 * np.pi * freq * t)).astype(np.float32), MASTER_RATE)


def item(index: int, ms: float = 800, *, voice: str = "tone:low", kind=SegmentKind.NARRATION,
         paragraph: int = 0, section: int = 0, speaker: str | None = None, text: str = "words",
         amp: float = 0.3, freq: float = 220.0) -> RenderedSegment:
    seg = Segment(kind, 0, len(text), text, speak=text, speaker=speaker, voice=voice,
                  paragraph=paragraph, section=section)
    return RenderedSegment(index, seg, tone(ms, freq, amp))


def pcm_samples(mix) -> np.ndarray:
    return int16_to_float(mix.pcm.read_bytes())


def rms_db(x: np.ndarray) -> float:
    return 20 * np.log10(np.sqrt(np.mean(np.square(x, dtype=np.float64))) + 1e-12)


def at(ms: int) -> int:
    return int(ms * MASTER_RATE / 1000)


def test_gap_by_boundary():
    a = item(0, paragraph=0)
    assert gap_before(None, a) == 0
    assert gap_before(a, item(1, paragraph=0)) == SENTENCE_GAP_MS
    assert gap_before(a, item(1, paragraph=1)) == PARAGRAPH_GAP_MS
    assert gap_before(a, item(1, paragraph=1, voice="tone:mid")) == (PARAGRAPH_GAP_MS
                                                                     + SPEAKER_CHANGE_EXTRA_MS)
    assert gap_before(a, item(1, section=1)) == SECTION_GAP_MS
    assert gap_before(a, item(1, kind=SegmentKind.HEADING)) == SECTION_GAP_MS


def test_cues_follow_the_audio_exactly(tmp_path):
    items = [item(0, 500), item(1, 700, paragraph=1), item(2, 300, paragraph=1, voice="tone:mid",
                                                           kind=SegmentKind.DIALOGUE,
                                                           speaker="Ann")]
    mix = assemble([StoryInput("Story", items)], tmp_path / "a.pcm")
    x = pcm_samples(mix)
    assert len(x) == at(mix.duration_ms) or abs(len(x) - at(mix.duration_ms)) <= 50
    assert [c.index for c in mix.cues] == [0, 1, 2]
    assert [c.speaker for c in mix.cues] == ["Narrator", "Narrator", "Ann"]
    for cue, ms in zip(mix.cues, (500, 700, 300), strict=True):
        assert cue.end_ms - cue.start_ms == pytest.approx(ms, abs=1)
        inside = x[at(cue.start_ms) + at(20): at(cue.end_ms) - at(20)]
        assert rms_db(inside) > -40
    gaps = [b.start_ms - a.end_ms for a, b in zip(mix.cues, mix.cues[1:], strict=False)]
    assert gaps == pytest.approx([PARAGRAPH_GAP_MS, SENTENCE_GAP_MS + SPEAKER_CHANGE_EXTRA_MS],
                                 abs=1)
    for a, b in zip(mix.cues, mix.cues[1:], strict=False):
        assert np.abs(x[at(a.end_ms) + 2: at(b.start_ms) - 2]).max() == 0  # true silence


def test_a_segment_with_captions_is_cues_that_tile_its_audio(tmp_path):
    # 1 s of speech at 16 kHz (an engine's rate) whose chunks end at 0.3 s, 0.3 s + 2 samples and
    # at the end: the boundaries land on the master timeline, a sub-millisecond caption joins
    # the next, and the last cue ends exactly where the segment does
    rate = 16_000
    t = np.arange(rate) / rate
    audio = Audio((0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), rate)
    text = "One. Two. Three."
    seg = Segment(SegmentKind.NARRATION, 0, len(text), text, speak=text, voice="tone:low",
                  paragraph=1)
    captioned = RenderedSegment(1, seg, audio, (Caption(4800, "One."), Caption(4802, "Two."),
                                                Caption(rate, "Three.")))
    mix = assemble([StoryInput("S", [item(0, 500), captioned, item(2, 400, paragraph=2)])],
                   tmp_path / "a.pcm")
    first, *middle, last = mix.cues
    assert [c.text for c in middle] == ["One.", "Two. Three."]
    assert [c.index for c in middle] == [1, 1]
    start = first.end_ms + PARAGRAPH_GAP_MS
    assert [(c.start_ms, c.end_ms) for c in middle] == [(start, start + 300),
                                                        (start + 300, start + 1000)]
    assert last.start_ms == start + 1000 + PARAGRAPH_GAP_MS


def test_clip_edges_are_faded(tmp_path):
    mix = assemble([StoryInput("S", [item(0, 400, amp=0.5, freq=1000)])], tmp_path / "a.pcm")
    x = pcm_samples(mix)
    cue = mix.cues[0]
    first = x[at(cue.start_ms): at(cue.start_ms) + 20]
    assert np.abs(first).max() < 0.05  # no step from silence to full level


def test_voices_are_levelled_to_the_same_loudness(tmp_path):
    # One voice 20 dB quieter than the other arrives at the mixer: both leave at SPEECH_LUFS.
    items = []
    for i in range(12):
        quiet = i % 2 == 0
        items.append(item(i, 900 + 50 * i, voice="tone:low" if quiet else "tone:high",
                          amp=0.03 if quiet else 0.3, freq=150 if quiet else 600,
                          paragraph=i))
    mix = assemble([StoryInput("S", items)], tmp_path / "a.pcm")
    x = pcm_samples(mix)
    by_voice: dict[str, list[np.ndarray]] = {}
    for cue in mix.cues:
        by_voice.setdefault(cue.voice, []).append(x[at(cue.start_ms): at(cue.end_ms)])
    levels = {v: measure_samples(np.concatenate(parts), MASTER_RATE)
              for v, parts in by_voice.items()}
    assert abs(levels["tone:low"] - levels["tone:high"]) <= 1.0
    assert levels["tone:low"] == pytest.approx(SPEECH_LUFS, abs=0.5)
    # What the mixer read before levelling is what the engine made.
    assert mix.voice_lufs["tone:low"] == pytest.approx(
        measure_samples(np.concatenate([i.audio.samples for i in items[::2]]), MASTER_RATE),
        abs=0.2)


def test_chapter_per_heading(tmp_path):
    items = [item(0, 400, kind=SegmentKind.HEADING, text="Part One"),
             item(1, 600, section=0, paragraph=1),
             item(2, 400, kind=SegmentKind.HEADING, section=1, paragraph=2, text="Part  Two"),
             item(3, 600, section=1, paragraph=3)]
    mix = assemble([StoryInput("The Story", items)], tmp_path / "a.pcm")
    assert [c.title for c in mix.chapters] == ["Part One", "Part Two"]
    first, second = mix.chapters
    assert first.start_ms == 0 and first.end_ms == second.start_ms
    heading_cue = mix.cues[2]
    assert mix.cues[1].end_ms < second.start_ms < heading_cue.start_ms  # starts in the pause
    assert second.end_ms == mix.duration_ms


def test_chapter_per_story_and_show_parts(tmp_path):
    words = Announcement("Show presents: Two Tales.", tone(1500, 300), "tone:low")
    credits = Announcement("Credits.", tone(1000, 300), "tone:low")
    parts = ShowParts(intro_music=generate_theme("Show", seconds=8),
                      outro_music=generate_theme("Show outro", seconds=7),
                      title=words, credits=credits, sting=generate_theme("Show", seconds=3))
    stories = [StoryInput("First", [item(0, 500), item(1, 500, kind=SegmentKind.HEADING,
                                                            section=1, text="Inner")]),
               StoryInput("Second", [item(0, 500)])]
    mix = assemble(stories, tmp_path / "a.pcm", parts=parts)
    assert [c.title for c in mix.chapters] == ["First", "Second", "Credits"]
    assert [c.story for c in mix.cues if c.index is not None] == [0, 0, 1]
    title_cue, *_, credits_cue = mix.cues
    assert title_cue.text == words.text and title_cue.index is None
    assert credits_cue.text == "Credits." and credits_cue.start_ms >= mix.chapters[-1].start_ms
    x = pcm_samples(mix)
    lead = x[at(500): at(3000)]  # music alone
    during = x[at(title_cue.start_ms + 300): at(title_cue.end_ms - 300)]
    assert rms_db(during) > rms_db(lead)  # the words sit above the music
    assert mix.duration_ms > 8000 + 7000


def test_bed_is_ducked_under_words(tmp_path):
    from scipy.signal import butter, sosfilt

    music = generate_theme("Show", seconds=10)
    alone = assemble([StoryInput("S", [item(0, 300)])], tmp_path / "a.pcm",
                     parts=ShowParts(intro_music=music))
    words = Announcement("x", tone(3000, 3000, 0.3), "tone:low")  # a tone far above the music
    ducked = assemble([StoryInput("S", [item(0, 300)])], tmp_path / "b.pcm",
                      parts=ShowParts(intro_music=music, title=words))
    low = butter(8, 1200, "low", fs=MASTER_RATE, output="sos")  # keep the music, drop the tone
    span = slice(at(4500), at(6000))  # inside the words, which start at the lead (3.5 s)
    music_alone = rms_db(sosfilt(low, pcm_samples(alone))[span])
    music_ducked = rms_db(sosfilt(low, pcm_samples(ducked))[span])
    assert music_alone - music_ducked == pytest.approx(DUCK_DB, abs=2)


def test_assembly_memory_stays_flat(tmp_path):
    """Peak Python/numpy allocations (tracemalloc: exact, unlike RSS, which the allocator and
    page cache make noisy) do not grow with the length of the episode: the working set is a
    fixed number of 30 s chunks, whatever the length."""
    import tracemalloc

    def stream(minutes: int):
        for i in range(minutes * 6):  # ten-second segments, made as they are consumed
            yield item(i, 10_000, paragraph=i, voice=("tone:low", "tone:mid")[i % 2],
                       amp=(0.1, 0.3)[i % 2])

    def peak_bytes(minutes: int) -> tuple[int, int]:
        tracemalloc.start()
        try:
            mix = assemble([StoryInput("long", stream(minutes))], tmp_path / f"{minutes}.pcm")
            return tracemalloc.get_traced_memory()[1], mix.pcm.stat().st_size
        finally:
            tracemalloc.stop()

    assemble([StoryInput("warm up", stream(1))], tmp_path / "w.pcm")
    short, _ = peak_bytes(4)
    long, size = peak_bytes(20)
    assert size > 100_000_000  # 20 minutes of PCM went to disk...
    assert long < short * 1.1 + 2_000_000  # ...and five times the audio took no more memory
    assert long < size  # nor anything like the audio's size


@pytest.mark.slow
def test_three_hour_assembly_memory(tmp_path, capsys):
    """The issue's bound: a 3-hour episode assembles in well under 500 MB beyond the engines."""
    import time

    psutil = pytest.importorskip("psutil")
    proc = psutil.Process(os.getpid())

    def stream(seconds: int):
        for i in range(seconds // 12):  # twelve-second segments, two voices, made on demand
            yield item(i, 12_000, paragraph=i, voice=("tone:low", "tone:mid")[i % 2],
                       amp=(0.1, 0.3)[i % 2], freq=(180.0, 260.0)[i % 2])

    before = proc.memory_info().rss
    start = time.perf_counter()
    mix = assemble([StoryInput("long", stream(3 * 3600))], tmp_path / "long.pcm")
    grown = proc.memory_info().rss - before
    with capsys.disabled():
        print(f"\n3 h assembly: {time.perf_counter() - start:.0f} s, RSS +{grown / 1e6:.0f} MB, "
              f"PCM {mix.pcm.stat().st_size / 1e6:.0f} MB")
    assert mix.duration_ms > 3 * 3600 * 1000
    assert grown < 500_000_000


def test_peak_limit_holds_peaks_and_leaves_the_rest():
    rng = np.random.default_rng(4)
    x = (rng.standard_normal(MASTER_RATE * 2) * 0.05).astype(np.float32)
    spikes = [5_000, 40_000, 41_000, 80_000]
    x[spikes] = 0.9
    out = peak_limit(x, 0.5)
    assert np.abs(out).max() <= 0.5 + 1e-6
    far = np.ones(len(x), bool)
    for i in spikes:
        far[max(0, i - 3 * MASTER_RATE // 80): i + 3 * MASTER_RATE // 80] = False
    assert np.array_equal(out[far], x[far])  # away from the peaks: untouched
    # Gain comes down before a peak and back up after it, smoothly (no step).
    assert 0.5 < out[spikes[0] - 200] / x[spikes[0] - 200] < 1.0
    assert np.array_equal(peak_limit(x * 0.1, 0.5), x * 0.1)  # nothing over: unchanged


def test_peaky_voice_is_limited_and_still_levelled(tmp_path):
    # A voice whose peaks stand far above its loudness is held at the ceiling and still
    # reaches SPEECH_LUFS beside a smooth one.
    items = []
    for i in range(10):
        peaky = i % 2 == 0
        plain = item(i, 1200, voice="tone:low" if peaky else "tone:high", paragraph=i,
                     freq=200 if peaky else 500, amp=0.05 if peaky else 0.2)
        samples = plain.audio.samples.copy()
        if peaky:
            samples[:: MASTER_RATE // 20] = 0.95
        items.append(RenderedSegment(i, plain.segment, Audio(samples, MASTER_RATE)))
    mix = assemble([StoryInput("S", items)], tmp_path / "a.pcm")
    x = pcm_samples(mix)
    levels = {}
    for voice in ("tone:low", "tone:high"):
        parts = [x[at(c.start_ms): at(c.end_ms)] for c in mix.cues if c.voice == voice]
        levels[voice] = measure_samples(np.concatenate(parts), MASTER_RATE)
        ceiling = 10 ** ((SPEECH_LUFS + MAX_PLR_DB) / 20)
        assert max(np.abs(p).max() for p in parts) <= ceiling + 1e-4
    assert abs(levels["tone:low"] - levels["tone:high"]) <= 0.5


def _peaky_story(edit_at: int | None = None) -> list[RenderedSegment]:
    """Two voices, one peaky enough that the limiter bites; ``edit_at`` makes that clip louder
    (an edited line)."""
    items = []
    for i in range(8):
        peaky = i % 2 == 0
        plain = item(i, 900 + 50 * i, voice="tone:low" if peaky else "tone:high", paragraph=i,
                     freq=200 if peaky else 500, amp=0.05 if peaky else 0.2)
        samples = plain.audio.samples.copy()
        if peaky:
            samples[:: MASTER_RATE // 20] = 0.95
        if i == edit_at:
            samples = samples * np.float32(1.5)
        items.append(RenderedSegment(i, plain.segment, Audio(samples, MASTER_RATE)))
    return items


def test_levelling_memo_hits_skip_the_work_and_give_the_same_mix(tmp_path, monkeypatch):
    import narrate.audio.master as master
    from narrate.audio.cache import SegmentCache

    plain = assemble([StoryInput("S", _peaky_story())], tmp_path / "plain.pcm")
    memo = SegmentCache(tmp_path / "cache")
    first = assemble([StoryInput("S", _peaky_story())], tmp_path / "first.pcm", memo=memo)
    weighed = []
    real = master.clip_blocks
    monkeypatch.setattr(master, "clip_blocks", lambda *a: weighed.append(1) or real(*a))
    again = assemble([StoryInput("S", _peaky_story())], tmp_path / "again.pcm", memo=memo)
    assert not weighed  # every clip's levelling was read back, none worked out
    assert plain.pcm.read_bytes() == first.pcm.read_bytes() == again.pcm.read_bytes()
    assert (again.loudness_lufs, again.cues) == (plain.loudness_lufs, plain.cues)


def test_levelling_memo_misses_from_an_edit_on_for_that_voice(tmp_path, monkeypatch, caplog):
    import logging

    from narrate.audio.cache import SegmentCache

    memo = SegmentCache(tmp_path / "cache")
    assemble([StoryInput("S", _peaky_story())], tmp_path / "first.pcm", memo=memo)
    with caplog.at_level(logging.INFO, logger="narrate.audio.master"):
        edited = assemble([StoryInput("S", _peaky_story(edit_at=4))], tmp_path / "e.pcm",
                          memo=memo)
    # clips 0-3 of both voices and 5, 7 of the other voice come back; 4 and 6 (the edited
    # voice from the edit on) are levelled again, as the changed history asks
    assert "levelling: 6 clips as in the last render" in caplog.text
    fresh = assemble([StoryInput("S", _peaky_story(edit_at=4))], tmp_path / "fresh.pcm")
    assert edited.pcm.read_bytes() == fresh.pcm.read_bytes()


def test_levelling_memo_misses_when_the_code_changes(tmp_path, monkeypatch, caplog):
    import logging

    import narrate.audio.master as master
    from narrate.audio.cache import SegmentCache

    memo = SegmentCache(tmp_path / "cache")
    assemble([StoryInput("S", _peaky_story())], tmp_path / "first.pcm", memo=memo)
    monkeypatch.setattr(master, "code_digest", lambda *modules: "edited")
    with caplog.at_level(logging.INFO, logger="narrate.audio.master"):
        assemble([StoryInput("S", _peaky_story())], tmp_path / "again.pcm", memo=memo)
    assert "levelling: 0 clips as in the last render" in caplog.text
