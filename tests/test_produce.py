"""Producing an episode safely: one render of an episode at a time, temporary names of its own
(issue 15.6)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SHORT_STORY


def _render(story: Path, out: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "narrate", "render", str(story), "-o",
                             str(out), "--no-music", "-j", "1", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_a_second_render_of_an_episode_waits_and_says_why(tmp_path: Path) -> None:
    import threading

    from filelock import FileLock

    story = tmp_path / "kettle.txt"
    story.write_text(SHORT_STORY, encoding="utf-8")
    out = tmp_path / "out"
    first = _render(story, out)
    assert first.communicate(timeout=180)[0] is not None and first.returncode == 0
    made = (out / "kettle.mp3").stat().st_mtime_ns
    lock = FileLock(str(out / ".kettle.lock"))
    lock.acquire()  # another render of this episode is running
    proc = _render(story, out, "--force")
    lines: list[str] = []
    waiting = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if "another narrate is rendering kettle" in line:
                waiting.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert waiting.wait(120), "".join(lines)
        time.sleep(2)
        assert proc.poll() is None, "".join(lines)
        assert (out / "kettle.mp3").stat().st_mtime_ns == made
    finally:
        lock.release()
    assert proc.wait(timeout=120) == 0, "".join(lines)
    reader.join(10)
    assert (out / "kettle.mp3").stat().st_mtime_ns != made
    assert not [p.name for p in out.iterdir() if p.name.endswith((".pcm", ".tmp"))]


@pytest.mark.slow
def test_two_renders_of_one_story_into_one_folder_both_succeed(tmp_path: Path) -> None:
    """4 in 9 such pairs failed: both wrote and deleted the same `.<slug>.pcm`."""
    story = tmp_path / "kettle.txt"
    story.write_text(SHORT_STORY, encoding="utf-8")
    out = tmp_path / "out"
    first = _render(story, out)
    assert first.communicate(timeout=180)[0] is not None and first.returncode == 0
    for _ in range(3):
        pair = [_render(story, out, "--force") for _ in range(2)]
        outputs = [p.communicate(timeout=180)[0] for p in pair]
        assert [p.returncode for p in pair] == [0, 0], outputs
    assert (out / "kettle.mp3").stat().st_size > 10_000
    assert not [p.name for p in out.iterdir() if p.name.endswith((".pcm", ".tmp"))]



def test_a_failed_render_leaves_the_shows_cast_as_it_was(tmp_path: Path, monkeypatch) -> None:
    """An offline gTTS voice given with --voice failed the render and was saved in the cast
    anyway, so every later render failed too (issue 15.7)."""
    monkeypatch.setenv("NARRATE_VOICES_DIR", str(tmp_path / "voices"))
    story = tmp_path / "kettle.txt"
    story.write_text(SHORT_STORY, encoding="utf-8")
    out = tmp_path / "out"
    assert _render(story, out).wait(timeout=180) == 0
    (cast_file,) = (tmp_path / "voices").glob("*.cast.toml")
    saved = cast_file.read_bytes()
    failed = subprocess.run([sys.executable, "-m", "narrate", "render", str(story), "-o",
                             str(out), "--no-music", "-j", "1", "--force",
                             "--voice", "Ben=gtts:en-us"],
                            capture_output=True, text=True, timeout=180)
    if failed.returncode == 0:
        pytest.skip("gTTS reached the internet here; the failure cannot be reproduced")
    assert "gTTS" in failed.stderr
    assert cast_file.read_bytes() == saved
    assert _render(story, out, "--force").wait(timeout=180) == 0


def test_an_intro_that_is_not_audio_is_refused_before_synthesis(tmp_path: Path) -> None:
    story = tmp_path / "kettle.txt"
    story.write_text(SHORT_STORY, encoding="utf-8")
    notes = tmp_path / "notes.mp3"
    notes.write_text("not audio at all\n" * 100)
    r = subprocess.run([sys.executable, "-m", "narrate", "render", str(story), "-o",
                        str(tmp_path / "out"), "--intro", str(notes), "-j", "1"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert r.stderr.startswith("Error: ") and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "--intro" in r.stderr and "notes.mp3" in r.stderr and "not audio" in r.stderr
    assert "-hide_banner" not in r.stderr and "synthesising" not in r.stderr
