"""The speech check: cue sources, word error rate, judging, and a real Whisper pass."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from narrate.audio.check import (
    CheckError,
    TimedText,
    check_audio,
    judge,
    normalize_words,
    read_vtt,
    timed_texts,
    whole_segments,
    word_errors,
)
from narrate.audio.pcm import Audio
from narrate.cli import cli

VTT = """WEBVTT

1
00:00:00.500 --> 00:00:02.250
<v Narrator>The kettle sang.

2
00:00:02.600 --> 00:01:03.000
<v Ben>“Is it ready yet?”
he asked.
"""


def test_read_vtt(tmp_path: Path) -> None:
    path = tmp_path / "ep.vtt"
    path.write_text(VTT, encoding="utf-8")
    assert read_vtt(path) == [TimedText(500, 2250, "The kettle sang.", "Narrator"),
                              TimedText(2600, 63000, "“Is it ready yet?” he asked.", "Ben")]
    path.write_text("not vtt", encoding="utf-8")
    with pytest.raises(CheckError, match="not a WebVTT"):
        read_vtt(path)


def test_timed_texts_from_tuples_and_master_cues() -> None:
    from narrate.audio.master import Cue

    assert timed_texts([(0, 10, "a")]) == [TimedText(0, 10, "a")]
    cue = Cue(index=4, start_ms=5, end_ms=9, speaker="Ann", text="hi")
    assert timed_texts([cue]) == [TimedText(5, 9, "hi", "Ann", 4)]


def test_normalize_words() -> None:
    assert normalize_words("“You’re the Greatest, Mr. Smith — 2 times!”") == \
        ["youre", "the", "greatest", "mister", "smith", "two", "times"]
    assert normalize_words("Torvill & Dean, #CarrieAnn") == \
        ["torvill", "and", "dean", "carrie", "ann"]


@pytest.mark.parametrize(("ref", "hyp", "errors", "tail"), [
    ("a b c d", "a b c d", 0, 0),
    ("a b c d", "a x c d", 1, 0),
    ("a b c d", "a b", 2, 2),
    ("a b c d", "", 4, 4),
    ("a b", "a b c", 1, 0),
])
def test_word_errors(ref: str, hyp: str, errors: int, tail: int) -> None:
    assert word_errors(ref.split(), hyp.split()) == (errors, tail)


def test_judge() -> None:
    cue = TimedText(0, 1000, "I love you the most, you are my best dancer.")
    assert judge(cue, "I love you the most. You are my best dancer!", silent=False).problem is None
    assert judge(cue, "", silent=True).problem == "silent"
    assert judge(cue, "I love you the most", silent=False).problem == "cut off"
    assert judge(cue, "a glove shoe toast cancer", silent=False).problem == "garbled"
    assert judge(TimedText(0, 1, "Beautiful."), "Wonderful.", silent=False).problem == "garbled"


def test_check_audio_slices_each_cue_and_reports_wer() -> None:
    rate = 16_000
    samples = np.zeros(rate * 3, np.float32)
    samples[rate // 2: rate] = 0.2  # "speech" in the first cue only
    heard: list[int] = []

    def fake(piece: np.ndarray) -> str:
        heard.append(len(piece))
        return "hello there"

    report = check_audio(Audio(samples, rate),
                         [TimedText(500, 1000, "hello there"), TimedText(2000, 2500, "and bye")],
                         transcriber=fake)
    assert [s.problem for s in report.segments] == [None, "silent"]
    assert heard == [int(0.7 * rate)]  # cue plus 100 ms either side; the silent cue is skipped
    assert report.wer == pytest.approx(2 / 4)
    assert "1 flagged" in report.summary()


def test_a_segments_sentence_cues_are_checked_as_one_segment() -> None:
    # cues that tile one segment (no gap, same speaker and index) are heard together; the next
    # segment, after a pause, on its own
    cues = [TimedText(0, 800, "One two.", "Ann", 3), TimedText(800, 1500, "Three four.", "Ann", 3),
            TimedText(1800, 2400, "Five.", "Ann", 4), TimedText(2400, 2900, "Six.", "Bo", 5)]
    assert whole_segments(cues) == [TimedText(0, 1500, "One two. Three four.", "Ann", 3),
                                    TimedText(1800, 2400, "Five.", "Ann", 4),
                                    TimedText(2400, 2900, "Six.", "Bo", 5)]
    heard: list[int] = []

    def fake(piece: np.ndarray) -> str:
        heard.append(len(piece))
        return "one two three four"

    samples = np.full(16_000 * 2, 0.2, np.float32)
    report = check_audio(Audio(samples, 16_000), cues[:2], transcriber=fake)
    assert heard == [int(1.6 * 16_000)] and len(report.segments) == 1
    assert report.segments[0].problem is None and report.segments[0].index == 3


def test_cli_check_without_transcript_is_a_clear_error(tmp_path: Path) -> None:
    mp3 = tmp_path / "ep.mp3"
    mp3.write_bytes(b"ID3")
    result = CliRunner().invoke(cli, ["check", str(mp3)])
    assert result.exit_code == 1
    assert "no timed transcript ep.vtt" in result.output and "Traceback" not in result.output


@pytest.mark.skipif(not __import__("shutil").which("flite"), reason="flite not installed")
def test_whisper_hears_flite_and_flags_a_wrong_cue(tmp_path: Path) -> None:
    pytest.importorskip("faster_whisper")
    from narrate.audio.pcm import MASTER_RATE, float_to_int16, run_ffmpeg
    from narrate.voices.voicing import speak

    said = speak("flite:slt", "The garden was quiet in the morning.").resampled(MASTER_RATE)
    gap = np.zeros(MASTER_RATE // 2, np.float32)
    audio = np.concatenate([gap, said.samples, gap, said.samples, gap])
    mp3 = tmp_path / "ep.mp3"
    mp3.write_bytes(run_ffmpeg(["-f", "s16le", "-ar", str(MASTER_RATE), "-ac", "1", "-i", "-",
                                "-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3", "-"],
                               input_bytes=float_to_int16(audio).tobytes()))
    first_end = 500 + int(said.duration_ms)
    second = first_end + 500

    def stamp(ms: int) -> str:
        return f"00:00:{ms // 1000:02d}.{ms % 1000:03d}"

    (tmp_path / "ep.vtt").write_text(
        f"WEBVTT\n\n{stamp(500)} --> {stamp(first_end)}\nThe garden was quiet in the morning.\n\n"
        f"{stamp(second)} --> {stamp(second + int(said.duration_ms))}\n"
        "Rockets launched over distant purple mountains.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(mp3), "--max-wer", "0.9"])
    assert result.exit_code == 0, result.output
    assert "2 segments" in result.output and "1 flagged" in result.output
    assert "garbled" in result.output and "Rockets" in result.output
    result = CliRunner().invoke(cli, ["check", str(mp3), "--max-wer", "0.1"])
    assert result.exit_code == 1 and "above 0.1" in result.output


def test_render_check_rerenders_flagged_segments_once_with_another_voice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    import narrate.audio.check

    calls: list[int] = []

    def deaf() -> narrate.audio.check.Transcriber:
        def transcribe(piece: np.ndarray) -> str:
            calls.append(len(piece))
            return ""

        return transcribe

    monkeypatch.setattr(narrate.audio.check, "whisper_transcriber", deaf)
    voices = tmp_path / "voices"
    voices.mkdir()
    # --voices-dir sets the variable for worker processes; monkeypatch restores it afterwards
    monkeypatch.setenv("NARRATE_VOICES_DIR", str(voices))
    (voices / "engines.toml").write_text('[casting]\nengines = ["tone"]\n', encoding="utf-8")
    story = tmp_path / "s.txt"
    story.write_text("Ann came in.\n\n“Hello,” Ann said.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["render", "--no-music", "--check", str(story), "-o",
                                      str(out), "--voices-dir", str(voices),
                                      "--voice", "Narrator=tone:deep"])
    assert result.exit_code == 0, result.output
    spoken = len(calls) // 2
    assert spoken >= 2 and len(calls) == 2 * spoken  # checked, re-rendered once, checked again
    assert result.output.count("rendering it again with tone:") == spoken
    meta = json.loads((out / "s.episode.json").read_text())["meta"]["check"]
    assert len(meta["flagged"]) == spoken and meta["wer"] == 1.0
    assert "flagged" in result.output
