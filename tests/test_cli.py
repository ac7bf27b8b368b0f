"""The command line end to end: a real render with the real offline engines, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from narrate.audio.pcm import decode
from narrate.cli import cli


def test_help_lists_commands(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("render", "script"):
        assert command in result.output


def test_every_command_has_help(runner: CliRunner) -> None:
    for name, command in cli.commands.items():  # type: ignore[attr-defined]
        assert command.help, f"{name} has no help text"
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, result.output


def test_render_real_story(runner: CliRunner, short_story: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(short_story), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    mp3 = out / "the-kettle.mp3"
    episode = json.loads((out / "the-kettle.episode.json").read_text())
    audio = decode(mp3)
    seconds = audio.duration_ms / 1000
    assert abs(seconds - episode["duration_s"]) < 0.5
    # intro music + about 9 s of speech + outro music
    assert 15 < seconds < 60
    samples = audio.samples
    rate = audio.sample_rate
    window = rate // 10
    rms = np.sqrt(np.mean(samples[: len(samples) // window * window].reshape(-1, window) ** 2,
                          axis=1))
    assert (rms > 0.01).mean() > 0.5, "mostly silence"
    assert rms[:20].max() > 0.01 and rms[-30:].max() > 0.01, "no music at the start or end"
    assert episode["title"] == "The Kettle"  # the leading heading
    voices = {credit["voice"] for credit in episode["cast"]}
    assert len(voices) >= 2, episode["cast"]


def test_missing_file_is_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["render", str(tmp_path / "missing.txt"), "-o", str(tmp_path)])
    assert result.exit_code != 0
    assert "no such story file" in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_empty_file_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    result = runner.invoke(cli, ["render", str(empty), "-o", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "empty" in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.mp3"))


def test_binary_file_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    blob = tmp_path / "blob.txt"
    blob.write_bytes(b"\x00\x01\x02binary")
    result = runner.invoke(cli, ["render", str(blob), "-o", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "binary" in result.output


def _dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


def test_render_an_edited_script_as_edited(runner: CliRunner, tmp_path: Path) -> None:
    story = tmp_path / "rain.txt"
    story.write_text("Ann looked up.\n\n“Is it raining?” asked Ann.\n\nThe window was dark.\n",
                     encoding="utf-8")
    edited = tmp_path / "rain.script.txt"
    result = runner.invoke(cli, ["script", str(story), "-o", str(edited)])
    assert result.exit_code == 0, result.output
    # the user recasts by hand: tone voices hum at known pitches (low 110 Hz, high 330 Hz)
    text = edited.read_text(encoding="utf-8")
    text = text.replace("piper:joe", "tone:low").replace("kokoro:jf_alpha", "tone:high")
    edited.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", "--script", str(edited), "-o", str(out), "-q",
                                 "--narrator", "tone:low", "--no-music",
                                 "--cache-dir", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    audio = decode(out / "rain.mp3")
    vtt = (out / "rain.vtt").read_text(encoding="utf-8")
    cues = [block.splitlines() for block in vtt.split("\n\n") if "-->" in block]
    line = next(c for c in cues if "<v Ann>" in c[-1])
    start, end = (sum(float(x) * m for x, m in zip(t.strip().split(":"), (3600, 60, 1),
                                                   strict=True))
                  for t in line[1].split("-->"))
    rate = audio.sample_rate
    hz = _dominant_hz(audio.samples[int(start * rate):int(end * rate)], rate)
    assert abs(hz - 330) < 15, hz


def test_render_needs_stories_or_a_script(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["render", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "story files" in result.output


def test_folder_without_stories_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = runner.invoke(cli, ["render", str(tmp_path / "empty"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "no stories in folder" in result.output
    assert ".txt, .md, .markdown, .html, .htm, .xhtml, .epub" in result.output


def test_render_publish_writes_a_feed(runner: CliRunner, tmp_path: Path,
                                      monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import feedparser

    monkeypatch.chdir(tmp_path)
    story = tmp_path / "night-walk.txt"
    story.write_text("The Night Walk\n\nThe road was long and the moon was low.\n",
                     encoding="utf-8")
    args = ["render", str(story), "-o", "out", "-q", "--narrator", "tone:low", "--no-music",
            "--cache-dir", str(tmp_path / "cache"), "--publish", "--show", "Moon Tales"]
    assert runner.invoke(cli, args).exit_code == 0
    assert runner.invoke(cli, [*args, "--force"]).exit_code == 0  # re-render: same item
    parsed = feedparser.parse(str(tmp_path / "out" / "feed.xml"))
    assert parsed.feed.title == "Moon Tales"
    assert [e.title for e in parsed.entries] == ["The Night Walk"]
    enclosure = parsed.entries[0].enclosures[0]
    assert int(enclosure.length) == (tmp_path / "out" / "night-walk.mp3").stat().st_size
    assert (tmp_path / "out" / "index.html").is_file()


def test_an_os_error_is_one_line(runner: CliRunner, short_story: Path) -> None:
    # /proc takes no new files: the write fails inside the library with an OSError
    result = runner.invoke(cli, ["script", str(short_story), "-o", "/proc/x.script.txt"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert "/proc/" in result.output and "Traceback" not in result.output


def test_an_unexpected_error_is_one_line_and_says_how_to_see_more(
        runner: CliRunner, short_story: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import narrate.text

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("something inside broke")

    monkeypatch.setattr(narrate.text, "build_script", broken)
    result = runner.invoke(cli, ["script", str(short_story)])
    assert result.exit_code == 1
    assert result.output == ("Error: unexpected ValueError: something inside broke (a bug in "
                             "narrate; run with -vv to see where, and please report it)\n")
