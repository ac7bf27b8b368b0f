"""The memo entries in the segment cache: a hit skips the work, a changed input misses."""

import os

import numpy as np
import pytest

from narrate.audio import memo, music
from narrate.audio.cache import SegmentCache
from narrate.publish import cover as covers


@pytest.fixture
def counted(monkeypatch):
    calls = []
    theme, draw = music.generate_theme, covers.draw_cover

    def counting_theme(*a, **k):
        calls.append("theme")
        return theme(*a, **k)

    def counting_cover(*a, **k):
        calls.append("cover")
        return draw(*a, **k)

    monkeypatch.setattr(music, "generate_theme", counting_theme)
    monkeypatch.setattr(covers, "draw_cover", counting_cover)
    return calls


def test_theme_hit_skips_generation_and_is_the_same(tmp_path, counted):
    cache = SegmentCache(tmp_path)
    made = memo.theme(cache, "Night Tales", seconds=9.25)
    again = memo.theme(SegmentCache(tmp_path), "Night Tales", seconds=9.25)
    assert counted == ["theme"]
    assert again.sample_rate == made.sample_rate
    assert again.samples.dtype == np.float32
    assert np.array_equal(again.samples, made.samples)
    assert np.array_equal(made.samples, music.generate_theme("Night Tales", seconds=9.25).samples)


@pytest.mark.parametrize("show, seconds", [("Night Tales", 9.3), ("Day Tales", 9.25)])
def test_theme_other_input_misses(tmp_path, counted, show, seconds):
    cache = SegmentCache(tmp_path)
    memo.theme(cache, "Night Tales", seconds=9.25)
    other = memo.theme(cache, show, seconds=seconds)
    assert counted == ["theme", "theme"]
    assert len(other.samples) == len(music.generate_theme(show, seconds=seconds).samples)


def test_changed_code_misses(tmp_path, counted, monkeypatch):
    cache = SegmentCache(tmp_path)
    memo.theme(cache, "Night Tales", seconds=4.0)
    memo.cover(cache, "Night Tales", "One")
    monkeypatch.setattr(memo, "code_digest", lambda *modules: "edited")
    memo.theme(cache, "Night Tales", seconds=4.0)
    memo.cover(cache, "Night Tales", "One")
    assert counted == ["theme", "cover", "theme", "cover"]


def test_cover_hit_skips_drawing(tmp_path, counted):
    cache = SegmentCache(tmp_path)
    made = memo.cover(cache, "Night Tales", "One")
    assert memo.cover(cache, "Night Tales", "One") == made
    assert counted == ["cover"]
    assert memo.cover(cache, "Night Tales", "Two") != made
    assert counted == ["cover", "cover"]
    assert made == covers.draw_cover("Night Tales", "One")


def test_entries_are_pruned_and_cleared_like_segments(tmp_path):
    cache = SegmentCache(tmp_path)
    memo.cover(cache, "Night Tales", "One")
    cache.put("a" * 64, np.zeros(100, "<i2"), 16_000)
    info = cache.info()
    assert (info.entries, info.memos) == (1, 1)  # speech segments are counted apart
    assert len(cache.used) == 2
    kept = cache.prune(0, keep=cache.used)
    assert (kept.removed.entries, kept.removed.memos) == (0, 0)
    result = cache.prune(0)
    assert (result.removed.entries, result.removed.memos) == (1, 1)
    assert (result.left.entries, result.left.memos, result.left.bytes) == (0, 0, 0)
    memo.cover(cache, "Night Tales", "One")
    assert cache.clear().memos == 1
    assert cache.info().memos == 0 and not (tmp_path / "memo").exists()


def test_no_cache_makes_it_each_time(counted):
    memo.theme(None, "Night Tales", seconds=3.0)
    memo.theme(None, "Night Tales", seconds=3.0)
    assert counted == ["theme", "theme"]


def test_unreadable_entry_is_made_again(tmp_path, counted):
    cache = SegmentCache(tmp_path)
    made = memo.cover(cache, "Night Tales", "One")
    (entry,) = (tmp_path / "memo").rglob("*.npy")
    entry.write_bytes(b"garbage")
    assert memo.cover(cache, "Night Tales", "One") == made
    assert counted == ["cover", "cover"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_still_serves(tmp_path, counted):
    cache = SegmentCache(tmp_path)
    (tmp_path / "memo").mkdir()
    (tmp_path / "memo").chmod(0o500)
    try:
        assert memo.cover(cache, "Night Tales", "One") == covers.draw_cover("Night Tales", "One")
    finally:
        (tmp_path / "memo").chmod(0o700)


def test_a_cache_that_cannot_be_written_still_serves(tmp_path, counted, monkeypatch):
    cache = SegmentCache(tmp_path)

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache, "_write", full)
    made = memo.theme(cache, "Night Tales", seconds=3.0)
    assert len(made.samples) and counted == ["theme"]
    assert cache.info().memos == 0
