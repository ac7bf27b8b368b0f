"""`make clean` leaves nothing a render or publish wrote in output/ (issue 15)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = ("story.mp3", "story.vtt", "story.srt", "story.jpg", "story.chapters.json",
           "story.episode.json", "feed.xml", "feed.xml.bak", "index.html",
           "cover-placeholder.jpg", "cover.png", ".feed.xml.lock", ".story.lock",
           ".story.x1y2.pcm", ".feed.xml.abc.tmp")


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_clean_removes_every_output(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    for name in OUTPUTS:
        (out / name).write_bytes(b"x")
    (out / "notes.md").write_text("mine")  # not narrate's: stays
    subprocess.run(["make", "-f", str(ROOT / "Makefile"), "clean", "VENV=.no-venv"],
                   cwd=tmp_path, check=True, capture_output=True)
    assert sorted(p.name for p in out.iterdir()) == ["notes.md"]
