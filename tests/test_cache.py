import os
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from narrate.audio.cache import (
    CACHE_ENV,
    CACHE_MAX_ENV,
    DEFAULT_CACHE_MAX_BYTES,
    SegmentCache,
    cache_cap,
    default_cache_dir,
    format_size,
    parse_cache_max,
    parse_size,
    segment_key,
)
from narrate.cli import cli
from narrate.errors import ConfigError


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
    with pytest.raises(ConfigError, match="cache directory"):
        SegmentCache(Path(blocker)).put(segment_key("a", "v"), np.zeros(10, "<i2"), 16_000)


# --- pruning: least recently used first, bounded by size and by age ---------------------------

DAY_S = 86_400


def _filled(tmp_path, n, *, samples=1000):
    """A cache with ``n`` equal entries, the first used longest ago (one day apart)."""
    cache = SegmentCache(tmp_path)
    keys = [segment_key(str(i), "v") for i in range(n)]
    now = time.time()
    for age, key in zip(range(n, 0, -1), keys, strict=True):
        cache.put(key, np.zeros(samples, "<i2"), 16_000)
        os.utime(cache._path(key), (now - age * DAY_S, now - age * DAY_S))
    return cache, keys


def _left(cache, keys):
    return [k for k in keys if k in cache]


def test_prune_removes_least_recently_used_first_until_within_the_cap(tmp_path):
    cache, keys = _filled(tmp_path, 5)
    entry = cache.info().bytes // 5
    result = cache.prune(max_bytes=2 * entry + entry // 2)
    assert _left(cache, keys) == keys[3:]
    assert (result.removed.entries, result.removed.bytes) == (3, 3 * entry)
    assert (result.left.entries, result.left.bytes) == (2, 2 * entry) == (
        cache.info().entries, cache.info().bytes)
    # order is by use, not by key or by when first written
    os.utime(cache._path(keys[4]), (time.time() - 9 * DAY_S,) * 2)
    cache.prune(max_bytes=entry)
    assert _left(cache, keys) == [keys[3]]


def test_prune_within_the_cap_removes_nothing(tmp_path):
    cache, keys = _filled(tmp_path, 3)
    result = cache.prune(max_bytes=cache.info().bytes)
    assert result.removed.entries == 0 and _left(cache, keys) == keys


def test_a_get_hit_refreshes_an_entry_so_pruning_spares_it(tmp_path):
    cache, keys = _filled(tmp_path, 3)
    entry = cache.info().bytes // 3
    before = cache._path(keys[0]).stat().st_mtime
    assert cache.get(keys[0]) is not None  # the oldest, now the most recently used
    assert cache._path(keys[0]).stat().st_mtime > before + DAY_S
    cache.prune(max_bytes=entry)
    assert _left(cache, keys) == [keys[0]]


def test_a_failed_touch_does_not_fail_the_hit(tmp_path, monkeypatch):
    cache, keys = _filled(tmp_path, 1)
    path = cache._path(keys[0])

    def read_only(*args, **kwargs):
        # what a read-only mount answers (the tests may run as root, whom modes do not stop)
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(os, "utime", read_only)
    got = cache.get(keys[0])
    assert got is not None and got[1] == 16_000
    assert path.stat().st_mtime < time.time() - DAY_S / 2  # not touched, and no error


def test_prune_never_removes_kept_keys(tmp_path):
    cache, keys = _filled(tmp_path, 4)
    result = cache.prune(max_bytes=0, keep=[keys[0], keys[2]])
    assert _left(cache, keys) == [keys[0], keys[2]]
    assert result.removed.entries == 2 and result.left.entries == 2  # over the cap: kept anyway


def test_prune_older_than_days(tmp_path):
    cache, keys = _filled(tmp_path, 5)  # used 5, 4, 3, 2 and 1 days ago
    result = cache.prune(older_than_days=2.5, keep=[keys[0]])
    assert _left(cache, keys) == [keys[0], keys[3], keys[4]]
    assert result.removed.entries == 2
    entry = cache.info().bytes // 3
    cache.prune(entry, older_than_days=30, keep=[keys[0]])  # both: whichever removes more
    assert _left(cache, keys) == [keys[0]]  # kept, though the oldest
    cache.prune(older_than_days=0)
    assert _left(cache, keys) == []


def test_prune_sweeps_stale_temporaries_but_not_fresh_ones(tmp_path):
    cache, keys = _filled(tmp_path, 1)
    shard = cache._path(keys[0]).parent
    stale, fresh = shard / ".abc.killed.tmp", shard / ".abc.writing.tmp"
    stale_record = tmp_path / "episodes" / "x.tmp"
    stale_record.parent.mkdir()
    for path in (stale, fresh, stale_record):
        path.write_bytes(b"half an entry")
    two_hours_ago = time.time() - 2 * 3600
    os.utime(stale, (two_hours_ago, two_hours_ago))
    os.utime(stale_record, (two_hours_ago, two_hours_ago))
    result = cache.prune(older_than_days=30)
    assert result.temporaries == 2
    assert not stale.exists() and not stale_record.exists() and fresh.exists()
    assert _left(cache, keys) == keys


def test_prune_of_a_missing_or_empty_cache_is_nothing_to_do(tmp_path):
    result = SegmentCache(tmp_path / "never").prune(0, older_than_days=0)
    assert result.removed.entries == result.left.entries == result.temporaries == 0
    assert not (tmp_path / "never").exists()


def test_an_entry_used_or_removed_during_the_prune_is_not_an_error(tmp_path):
    cache, keys = _filled(tmp_path, 3)
    entries = sorted(cache._entries(), key=lambda e: e.mtime_ns)
    cache._path(keys[0]).unlink()  # another process pruned it after we listed it
    cache.get(keys[1])  # a render used it after we listed it
    assert cache._remove(entries[0]).value == "gone"
    assert cache._remove(entries[1]).value == "used" and keys[1] in cache
    assert cache._remove(entries[2]).value == "removed" and keys[2] not in cache


def test_used_keys_are_the_hits_and_the_writes(tmp_path):
    _, keys = _filled(tmp_path, 3)
    fresh = SegmentCache(tmp_path)
    fresh.get(keys[1])
    fresh.get(segment_key("never stored", "v"))
    fresh.put(segment_key("new", "v"), np.zeros(10, "<i2"), 16_000)
    assert fresh.used == {keys[1], segment_key("new", "v")}


def test_prune_rejects_negative_limits(tmp_path):
    with pytest.raises(ConfigError, match="bad cache size limit"):
        SegmentCache(tmp_path).prune(-1)
    with pytest.raises(ConfigError, match="bad age"):
        SegmentCache(tmp_path).prune(older_than_days=-1)


# --- sizes ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "size"), [
    ("500M", 500_000_000), ("2G", 2_000_000_000), ("1.5GB", 1_500_000_000),
    ("750MiB", 750 * 1024**2), ("1024", 1024), ("10g", 10**10), (" 2 gb ", 2 * 10**9),
    ("1Ki", 1024), ("3T", 3 * 10**12), ("0", 0), (".5K", 500), ("12B", 12),
])
def test_parse_size(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "G", "-1G", "2X", "1.5.5G", "5iB", "ten", "1e9", "2 G B"])
def test_parse_size_rejects_with_the_accepted_forms(text):
    with pytest.raises(ConfigError) as e:
        parse_size(text, what="--max-size")
    message = str(e.value)
    assert f"--max-size {text!r}" in message and "500M" in message and "MiB" in message
    assert "\n" not in message


def test_cache_cap_from_option_env_or_default(monkeypatch):
    monkeypatch.delenv(CACHE_MAX_ENV, raising=False)
    assert cache_cap() == DEFAULT_CACHE_MAX_BYTES == 10 * 10**9
    assert cache_cap(123) == 123 and cache_cap(0) == 0
    monkeypatch.setenv(CACHE_MAX_ENV, "2G")
    assert cache_cap() == 2 * 10**9 and cache_cap(5) == 5
    for off in ("0", "none", "OFF"):
        monkeypatch.setenv(CACHE_MAX_ENV, off)
        assert cache_cap() == 0
    monkeypatch.setenv(CACHE_MAX_ENV, "lots")
    with pytest.raises(ConfigError, match=f"bad {CACHE_MAX_ENV} 'lots'.*500M.*off"):
        cache_cap()
    assert parse_cache_max("none") == 0 and parse_cache_max("1.5GB") == 1_500_000_000


def test_format_size_reads_back_as_parse_size_reads():
    assert format_size(999) == "999 B"
    assert format_size(10 * 10**9) == "10.0 GB"
    assert parse_size("10.0GB") == 10 * 10**9
    assert format_size(1_500_000) == "1.5 MB" and format_size(3 * 10**12) == "3.0 TB"


def test_claim_marks_an_entry_a_render_will_read_as_used(tmp_path):
    # a render plans its hits long before it reads them; a prune meanwhile must spare them
    cache, keys = _filled(tmp_path, 3)
    planner = SegmentCache(tmp_path)
    assert planner.claim(keys[0]) and not planner.claim(segment_key("missing", "v"))
    assert planner.used == {keys[0]}
    cache.prune(max_bytes=cache.info().bytes // 3)
    assert _left(cache, keys) == [keys[0]]


# --- the command line ---------------------------------------------------------------------------

def test_cli_cache_prune_by_size_and_by_age(tmp_path):
    cache, keys = _filled(tmp_path, 4)  # used 4, 3, 2 and 1 days ago
    entry = cache.info().bytes // 4
    runner = CliRunner()
    result = runner.invoke(cli, ["cache", "prune", "--max-size", str(3 * entry),
                                 "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"removed 1 segments ({format_size(entry)}) from {tmp_path}" in result.output
    assert f"left: 3 segments ({format_size(3 * entry)})" in result.output
    assert _left(cache, keys) == keys[1:]
    result = runner.invoke(cli, ["cache", "prune", "--older-than", "1.5"],
                           env={CACHE_ENV: str(tmp_path)})
    assert result.exit_code == 0, result.output
    assert "removed 2 segments" in result.output and "left: 1 segments" in result.output
    assert _left(cache, keys) == keys[3:]


def test_cli_cache_prune_error_paths(tmp_path):
    cache, keys = _filled(tmp_path, 2)
    runner = CliRunner()
    result = runner.invoke(cli, ["cache", "prune", "--cache-dir", str(tmp_path)])
    assert result.exit_code == 2 and "give --max-size SIZE, --older-than DAYS" in result.output
    result = runner.invoke(cli, ["cache", "prune", "--max-size", "2 lots",
                                 "--cache-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "Error: bad --max-size '2 lots'" in result.output
    assert "750MiB" in result.output
    result = runner.invoke(cli, ["cache", "prune", "--older-than", "-3",
                                 "--cache-dir", str(tmp_path)])
    assert result.exit_code == 2 and "--older-than" in result.output
    assert _left(cache, keys) == keys  # nothing removed by a refused command


def test_cli_cache_info_shows_the_automatic_cap(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["cache", "info", "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "cap after each render: 10.0 GB (default" in result.output
    result = runner.invoke(cli, ["cache", "info", "--cache-dir", str(tmp_path)],
                           env={CACHE_MAX_ENV: "750MiB"})
    assert f"cap after each render: {format_size(750 * 1024**2)} (${CACHE_MAX_ENV}" \
        in result.output
    result = runner.invoke(cli, ["cache", "info", "--cache-dir", str(tmp_path)],
                           env={CACHE_MAX_ENV: "off"})
    assert "cap after each render: none" in result.output
    result = runner.invoke(cli, ["cache", "info", "--cache-dir", str(tmp_path)],
                           env={CACHE_MAX_ENV: "big"})
    assert result.exit_code == 1 and f"Error: bad {CACHE_MAX_ENV} 'big'" in result.output

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
