from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from narrate.cache import CACHE_ENV, SegmentCache, default_cache_dir, segment_key
from narrate.cli import cli


def test_key_depends_on_text_voice_and_settings():
    base = segment_key("Hello.", "piper:joe|1|22050", speed=1.0)
    assert base == segment_key("Hello.", "piper:joe|1|22050", speed=1.0)
    assert base != segment_key("Hello!", "piper:joe|1|22050", speed=1.0)
    assert base != segment_key("Hello.", "piper:joe|2|22050", speed=1.0)
    assert base != segment_key("Hello.", "piper:joe|1|22050", speed=1.1)
    assert len(base) == 64


def test_put_then_get_round_trips_int16_and_rate(tmp_path):
    cache = SegmentCache(tmp_path)
    samples = (np.arange(-500, 500) * 30).astype("<i2")
    key = segment_key("x", "v")
    assert cache.get(key) is None and key not in cache
    cache.put(key, samples, 22_050)
    got, rate, marks = cache.get(key)
    assert rate == 22_050 and got.dtype == np.dtype("<i2") and marks == ()
    np.testing.assert_array_equal(got, samples)
    assert key in cache
    # nothing but the entry is left behind: it was renamed into place
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f"{key}.npy"]


def test_damaged_entry_is_a_miss_and_is_removed(tmp_path):
    cache = SegmentCache(tmp_path)
    key = segment_key("x", "v")
    cache.put(key, np.zeros(100, "<i2"), 16_000)
    path = next(tmp_path.rglob("*.npy"))
    path.write_bytes(path.read_bytes()[:90])
    assert cache.get(key) is None
    assert not path.exists()


def test_info_and_clear(tmp_path):
    cache = SegmentCache(tmp_path)
    for i in range(3):
        cache.put(segment_key(str(i), "v"), np.zeros(1000, "<i2"), 16_000)
    info = cache.info()
    assert info.entries == 3 and info.bytes > 6000 and info.path == tmp_path
    assert cache.clear().entries == 3
    assert cache.info().entries == 0


def test_default_dir_from_env(monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    assert SegmentCache().root == tmp_path / "c"
    monkeypatch.delenv(CACHE_ENV)
    assert default_cache_dir().name == "narrate"


def test_cli_cache_info_and_clear(tmp_path):
    cache = SegmentCache(tmp_path)
    cache.put(segment_key("a", "v"), np.zeros(4000, "<i2"), 16_000)
    runner = CliRunner()
    result = runner.invoke(cli, ["cache", "info", "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "segments: 1" in result.output and str(tmp_path) in result.output
    result = runner.invoke(cli, ["cache", "clear", "--cache-dir", str(tmp_path)], input="n\n")
    assert result.exit_code == 1 and cache.info().entries == 1  # declined: nothing removed
    result = runner.invoke(cli, ["cache", "clear", "--yes"], env={CACHE_ENV: str(tmp_path)})
    assert result.exit_code == 0, result.output
    assert "removed 1 segments" in result.output and cache.info().entries == 0


def test_unwritable_cache_dir_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    from narrate.errors import ConfigError

    with pytest.raises(ConfigError, match="cache directory"):
        SegmentCache(Path(blocker)).put(segment_key("a", "v"), np.zeros(10, "<i2"), 16_000)


def test_chunk_ends_round_trip_and_entries_without_them_still_read(tmp_path):
    cache = SegmentCache(tmp_path)
    samples = np.arange(3000, dtype="<i2")
    key = segment_key("x", "v")
    cache.put(key, samples, 24_000, (1000, 2400, 3000))
    got, rate, marks = cache.get(key)
    assert rate == 24_000 and marks == (1000, 2400, 3000)
    np.testing.assert_array_equal(got, samples)
    # an entry written before chunk ends were kept: rate and samples only
    old = segment_key("old", "v")
    path = cache._path(old)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        np.save(f, np.array([22_050], dtype=np.int32))
        np.save(f, samples)
    got, rate, marks = cache.get(old)
    assert rate == 22_050 and marks == () and path.exists()
    np.testing.assert_array_equal(got, samples)
    # damage inside the third array is still damage
    path = cache._path(key)
    path.write_bytes(path.read_bytes()[:-5])
    assert cache.get(key) is None and not path.exists()
