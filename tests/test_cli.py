"""The command line end to end: a real render with the real offline engines, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from narrate.audio import decode
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
