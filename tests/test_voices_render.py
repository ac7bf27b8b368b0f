"""A real render with the native English voices: the default narrator is Kokoro's af_heart, a
man gets a male English voice, the credits name them plainly, and Whisper hears the words.
Needs the voices (`narrate voices install`, which `make test` runs); skips without them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrate.cli import cli

STORY = """The Lamp

Maria lit the lamp in the window as the ferry came in.

“Is that the last boat tonight?” asked Tom.

“It is,” said Maria. “Nobody else will cross the bay before morning.”
"""


def test_a_render_with_the_english_voices_is_heard(tmp_path: Path, english_voices: Path) -> None:
    pytest.importorskip("faster_whisper")
    from narrate.audio.check import check_episode
    from narrate.audio.pcm import decode

    story = tmp_path / "lamp.txt"
    story.write_text(STORY, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["render", str(story), "-o", str(out), "--no-music",
                                      "-j", "1"])
    assert result.exit_code == 0, result.output
    episode = json.loads((out / "lamp.episode.json").read_text(encoding="utf-8"))
    cast = {c["character"]: c["voice"] for c in episode["cast"]}
    assert cast["Narrator"] == "kokoro:af_heart"
    assert cast["Tom"].startswith("kokoro:am_") and cast["Maria"].startswith("kokoro:af_")
    audio = decode(out / "lamp.mp3", rate=16_000)
    assert audio.duration_ms > 8_000
    report = check_episode(out / "lamp.mp3")
    # the story's own segments (the spoken title says "narrate presents", which Whisper
    # hears as "No rate presents" whoever speaks it)
    story_checks = [c for c in report.segments
                    if "presents" not in c.expected and "This has been" not in c.expected]
    assert len(story_checks) >= 5
    errors = sum(c.errors for c in story_checks)
    # short lines heard alone: tiny.en hears "ferry" as "fairy", "asked Tom" as "Ask Tom"
    assert errors <= 0.15 * sum(c.ref_words for c in story_checks), [
        (c.expected, c.heard) for c in story_checks if c.errors]
    assert not [c for c in story_checks if c.problem], report.summary()
    credits = next(c for c in report.segments if "This has been" in c.expected)
    assert "read by Heart" in credits.expected and "as Tom" in credits.expected
    assert "@" not in credits.expected and "pitch" not in credits.expected


def test_a_draft_render_uses_joe(tmp_path: Path, english_voices: Path) -> None:
    story = tmp_path / "lamp.txt"
    story.write_text(STORY, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["render", str(story), "-o", str(out), "--no-music",
                                      "--draft", "-j", "1"])
    assert result.exit_code == 0, result.output
    episode = json.loads((out / "lamp.episode.json").read_text(encoding="utf-8"))
    voices = {c["character"]: c["voice"] for c in episode["cast"]}
    assert voices["Narrator"] == "piper:joe"
    assert all(v.startswith("piper:joe") for v in voices.values())
    assert voices["Tom"] != voices["Maria"]
