"""Killing a real render and running it again: it finishes from the cache, with the same audio,
and no half-written MP3 is left in the output folder."""

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from narrate.audio.cache import SegmentCache
from narrate.audio.pcm import decode

REPO = Path(__file__).resolve().parents[1]
PARAGRAPHS = 24


@pytest.fixture
def plugin_path(tmp_path):
    """A slow, exact engine installed as a real plugin (entry point), so the CLI subprocess and
    its worker processes all find it."""
    site = tmp_path / "site"
    (site / "slowtone-1.0.dist-info").mkdir(parents=True)
    (site / "slowtone-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: slowtone\nVersion: 1.0\n")
    (site / "slowtone-1.0.dist-info" / "entry_points.txt").write_text(
        "[narrate.engines]\nslowtone = slowtone:factory\n")
    (site / "slowtone.py").write_text(textwrap.dedent("""
        import os
        import time
        from dataclasses import replace

        from narrate.voices.engines.silent import ToneEngine


        class SlowTone(ToneEngine):
            name = "slowtone"

            def voices(self):
                return [replace(v, id=v.id.replace("tone:", "slowtone:"), engine=self.name)
                        for v in super().voices()]

            def synthesize(self, text, voice, *, speed=1.0):
                time.sleep(0.3)
                with open(os.environ["SLOWTONE_LOG"], "a") as log:
                    log.write(text.replace("\\n", " ") + "\\n")
                return super().synthesize(text, voice, speed=speed)


        def factory():
            return SlowTone()
    """))
    return site


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "long_walk.txt"
    path.write_text("\n\n".join(
        f"Paragraph {n} of the walk, where the path bends north past stone number {n}."
        for n in range(PARAGRAPHS)) + "\n")
    return path


def start_render(story, out, cache, plugin, log):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugin), str(REPO)]),
           "SLOWTONE_LOG": str(log), "NARRATE_CACHE_DIR": str(cache)}
    # SIGINT back to its default in the render, as in a terminal: a test run started in the
    # background (``cmd &`` in a script, as CI may do) hands SIGINT on ignored, and the render
    # would then rightly ignore Ctrl-C too.
    return subprocess.Popen(
        [sys.executable, "-m", "narrate", "render", str(story), "-o", str(out), "-q", "-j", "2",
         "--narrator", "slowtone:low", "--no-music"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def lines(path):
    return path.read_text().splitlines() if path.exists() else []


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_killed_render_resumes_from_the_cache(tmp_path, plugin_path, story, sig):
    out, cache = tmp_path / "output", tmp_path / "cache"
    proc = start_render(story, out, cache, plugin_path, tmp_path / "run1.log")
    try:
        deadline = time.monotonic() + 60
        while SegmentCache(cache).info().entries < 4:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "the render never got going"
            time.sleep(0.02)
        # 0.3 s a segment on two workers: the render still has >= 3 s of work to do here, so a
        # slow machine cannot finish it before the signal lands
        if sig == signal.SIGINT:  # Ctrl-C reaches the whole foreground process group
            os.killpg(proc.pid, signal.SIGINT)
        else:  # only the main process dies; its workers are orphaned
            proc.send_signal(signal.SIGKILL)
        code = proc.wait(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert code == (130 if sig == signal.SIGINT else -signal.SIGKILL)
    if sig == signal.SIGINT:
        assert b"run again to resume" in proc.stderr.read()
    assert not out.exists() or not list(out.glob("*.mp3"))  # glob includes .hidden files
    cached_before = SegmentCache(cache).info().entries
    assert 4 <= cached_before < PARAGRAPHS

    again = start_render(story, out, cache, plugin_path, tmp_path / "run2.log")
    assert again.wait(timeout=120) == 0, again.stderr.read().decode()
    # the story's paragraphs (the spoken title and credits are cached too, or not yet: up to
    # two of the entries counted may be theirs; the credits, with the synthetic-voice
    # disclosure, are the longest job and are spoken first)
    resumed = [t for t in lines(tmp_path / "run2.log") if t.startswith("Paragraph")]
    assert len(resumed) <= PARAGRAPHS - (cached_before - 2)  # cached ones not spoken again
    first = [t for t in lines(tmp_path / "run1.log") if t.startswith("Paragraph")]
    assert len(set(first) | set(resumed)) == PARAGRAPHS
    assert sorted(p.name for p in out.glob("*.mp3")) == ["long-walk.mp3"]

    clean = start_render(story, tmp_path / "clean", tmp_path / "cache2", plugin_path,
                         tmp_path / "run3.log")
    assert clean.wait(timeout=120) == 0, clean.stderr.read().decode()
    a = decode(out / "long-walk.mp3").samples
    b = decode(tmp_path / "clean" / "long-walk.mp3").samples
    assert len(a) == len(b) and len(a) > 44_100 * PARAGRAPHS * 0.5
    assert np.max(np.abs(a - b)) < 1e-3
