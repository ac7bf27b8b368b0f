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

