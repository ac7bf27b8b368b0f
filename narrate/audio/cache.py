"""The segment cache: synthesised speech stored on disk by what it says and how it sounds.

An entry's key is the sha256 of everything that changes the audio (spoken text, the voice's
fingerprint, which names its engine and version, the speed and the trimming settings), so an
interrupted render resumes from the cache and editing one paragraph re-synthesises only that
paragraph. Entries are int16 PCM at the engine's native rate (compact, and exact for what the
engine gave us) and where each engine chunk ends in it (an optional third array: entries without
it are still read, as speech whose sentence times are unknown), written to a temporary name and
renamed, so a killed render never leaves a corrupt entry behind.

The cache is bounded by least-recent use: reading an entry refreshes its modification time (the
access time is unreliable on ``noatime`` mounts), and :meth:`SegmentCache.prune` deletes the
entries used longest ago. Renders prune to a cap when they finish (:func:`cache_cap`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np

from narrate.errors import ConfigError

_LOGGER = logging.getLogger(__name__)

CACHE_ENV = "NARRATE_CACHE_DIR"
CACHE_FORMAT = 1
"""Bump when the entry layout or the post-processing of engine output changes."""
_SEGMENTS = "segments"
_MEMO = "memo"
"""Other things a render makes the same way every time (narrate.audio.memo), pruned alike."""
_EPISODES = "episodes"
"""Fingerprints of episodes rendered, so an unchanged story is not mastered again."""

CACHE_MAX_ENV = "NARRATE_CACHE_MAX"
DEFAULT_CACHE_MAX_BYTES = 10 * 1000**3
"""10 GB: five or so whole novels of speech (~1.7 GB each), small beside today's disks."""
STALE_TMP_S = 3600.0
"""A temporary file this old is left by a killed render; a younger one may still be written."""
_DAY_S = 86_400.0
_OFF = ("0", "none", "off")
"""Spellings of "no automatic cap"."""
_SIZE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*(?:([kmgt])(i)?)?(b)?", re.IGNORECASE)
_POWERS = {"k": 1, "m": 2, "g": 3, "t": 4}
SIZE_FORMS = ("bytes, or a number with K, M, G, T (powers of 1000) or KiB, MiB, GiB, TiB "
              "(powers of 1024), e.g. 500M, 2G, 1.5GB, 750MiB")


def default_cache_dir() -> Path:
    """``$NARRATE_CACHE_DIR``, else the user cache directory (``~/.cache/narrate`` on Linux)."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("narrate"))


def segment_key(text: str, fingerprint: str, **settings: Any) -> str:
    """The cache key of speaking ``text`` with the voice whose fingerprint is ``fingerprint``."""
    blob = json.dumps({"format": CACHE_FORMAT, "text": text, "voice": fingerprint,
                       "settings": settings}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def memo_key(kind: str, **inputs: Any) -> str:
    """The key of a :meth:`SegmentCache.put_arrays` entry: ``kind`` names what it holds, and
    ``inputs`` (JSON values) are everything its content depends on, the code that makes it
    included. Never equal to a segment's key (that blob has no ``kind``)."""
    blob = json.dumps({"format": CACHE_FORMAT, "kind": kind, "inputs": inputs}, sort_keys=True,
                      ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def parse_size(text: str, *, what: str = "size") -> int:
    """Bytes from ``500M``, ``2G``, ``1.5GB``, ``750MiB`` or plain bytes; case does not matter.

    K, M, G and T are powers of 1000 (as disks are sold, and as :func:`format_size` prints);
    KiB, MiB, GiB and TiB powers of 1024."""
    match = _SIZE.fullmatch(text.strip())
    if not match:
        raise ConfigError(f"bad {what} {text!r}: give {SIZE_FORMS}")
    number, prefix, binary, _ = match.groups()
    power = _POWERS[prefix.lower()] if prefix else 0
    return int(float(number) * (1024 if binary else 1000) ** power)


def parse_cache_max(text: str, *, what: str = "--cache-max") -> int:
    """The automatic cap from ``--cache-max`` or ``$NARRATE_CACHE_MAX``: bytes, 0 for none."""
    if text.strip().lower() in _OFF:
        return 0
    try:
        return parse_size(text, what=what)
    except ConfigError:
        raise ConfigError(f"bad {what} {text!r}: give {SIZE_FORMS}, or 0, none or off for no "
                          "cap") from None


def cache_cap(cap: int | None = None) -> int:
    """The cap a render prunes the cache to (bytes, 0: none): ``cap`` when given, else
    ``$NARRATE_CACHE_MAX``, else ``DEFAULT_CACHE_MAX_BYTES``."""
    if cap is not None:
        if cap < 0:
            raise ConfigError(f"bad cache cap {cap}: bytes, 0 for none")
        return cap
    env = os.environ.get(CACHE_MAX_ENV, "").strip()
    return parse_cache_max(env, what=CACHE_MAX_ENV) if env else DEFAULT_CACHE_MAX_BYTES


def format_size(n: int) -> str:
    """``n`` bytes for people, in the units :func:`parse_size` reads back (powers of 1000)."""
    size = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{n} B" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class CacheInfo:
    path: Path
    entries: int
    """Segments (speech)."""
    bytes: int
    """Disk space the entries take, memo entries included."""
    memos: int = 0
    """Memo entries (themes, covers, levelling: small)."""


@dataclass(frozen=True)
class PruneResult:
    removed: CacheInfo
    """Entries deleted and the space they took."""
    left: CacheInfo
    temporaries: int
    """Stale temporary files (left by killed renders) deleted."""


class _Outcome(Enum):
    REMOVED = "removed"
    USED = "used"
    GONE = "gone"


@dataclass(frozen=True)
class _Entry:
    path: Path
    key: str
    size: int
    mtime_ns: int
    memo: bool = False


class SegmentCache:
    """Content-addressed int16 audio entries under ``root/segments/ab/<sha256>.npy``, and a note
    of the inputs each rendered episode came from under ``root/episodes/``."""

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root).expanduser() if root else default_cache_dir()
        self._used: set[str] = set()

    @property
    def used(self) -> frozenset[str]:
        """Keys this object has read (hits) or written: what a render pruning afterwards keeps."""
        return frozenset(self._used)

    def _path(self, key: str, folder: str = _SEGMENTS) -> Path:
        return self.root / folder / key[:2] / f"{key}.npy"

    def __contains__(self, key: str) -> bool:
        return self._path(key).is_file()

    def claim(self, key: str) -> bool:
        """Whether the entry is there, marking it used now as a hit in :meth:`get` does: a render
        that plans to read it later (after hours of synthesis, perhaps) keeps it from a prune
        run meanwhile by another render."""
        path = self._path(key)
        try:
            os.utime(path)
        except FileNotFoundError:
            return False
        except OSError:  # a read-only cache: it cannot be pruned either
            if not path.is_file():
                return False
        self._used.add(key)
        return True

    def get(self, key: str) -> tuple[np.ndarray, int, tuple[int, ...]] | None:
        """The int16 samples, their rate (Hz) and the engine chunk ends in them (sample offsets;
        empty for entries written before they were kept), or None on a miss."""
        # a third array is optional, so entries without it stay valid (no format bump)
        path = self._path(key)
        arrays = self._read(key, path)
        if arrays is None:
            return None
        if len(arrays) < 2 or arrays[0].shape != (1,):
            _LOGGER.warning("dropping unreadable cache entry %s: not a segment", path)
            path.unlink(missing_ok=True)
            self._used.discard(key)
            return None
        marks = tuple(int(m) for m in arrays[2]) if len(arrays) > 2 else ()
        return arrays[1], int(arrays[0][0]), marks

    def put(self, key: str, samples: np.ndarray, rate: int, marks: Sequence[int] = ()) -> None:
        """Store int16 ``samples`` at ``rate`` Hz and the chunk ends ``marks`` (sample offsets);
        the entry appears only when complete."""
        arrays = [np.array([rate], dtype=np.int32), np.ascontiguousarray(samples, dtype="<i2")]
        if len(marks):
            arrays.append(np.asarray(marks, dtype="<i8"))
        self._write(self._path(key), key, arrays)

    def get_arrays(self, key: str) -> list[np.ndarray] | None:
        """The arrays of an entry written by :meth:`put_arrays`, or None on a miss.

        For what else a render makes the same way every time (the show's themes, the drawn
        cover, each segment's levelling: see narrate.audio.memo). They live beside the segments
        (``root/memo/``) and are pruned and cleared with them, least recently used first."""
        return self._read(key, self._path(key, _MEMO))

    def _read(self, key: str, path: Path) -> list[np.ndarray] | None:
        """Every array of the entry at ``path``, or None on a miss."""
        arrays = []
        try:
            with open(path, "rb") as f:
                while f.peek(1):
                    arrays.append(np.load(f, allow_pickle=False))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, IndexError, EOFError) as e:
            # Renames are atomic, so this is outside damage (disk full, a hand edit): drop it.
            _LOGGER.warning("dropping unreadable cache entry %s: %s", path, e)
            path.unlink(missing_ok=True)
            return None
        self._used.add(key)
        # A hit is a use: pruning goes by modification time. A read-only cache still serves
        # hits; all a failed touch costs is the entry's place in the pruning order.
        with contextlib.suppress(OSError):
            os.utime(path)
        return arrays

    def put_arrays(self, key: str, arrays: Sequence[np.ndarray]) -> None:
        """Store ``arrays`` (any numeric dtypes) under ``key``, which must not be a segment's
        (make it with :func:`memo_key`); the entry appears only when complete. Best effort: a
        memo only saves time, so a cache that cannot be written (read-only, disk full) still
        serves the render."""
        try:
            self._write(self._path(key, _MEMO), key, [np.ascontiguousarray(a) for a in arrays])
        except (OSError, ConfigError) as e:
            _LOGGER.debug("memo entry %s not stored: %s", key[:12], e)

    def _write(self, path: Path, key: str, arrays: Sequence[np.ndarray]) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ConfigError(f"cannot create cache directory {path.parent}: {e}; "
                              f"set --cache-dir or {CACHE_ENV}") from e
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{key[:12]}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                for array in arrays:
                    np.save(f, array, allow_pickle=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._used.add(key)

    def _record(self, mp3: Path) -> Path:
        name = hashlib.sha256(str(mp3.resolve()).encode()).hexdigest()[:32]
        return self.root / _EPISODES / f"{name}.json"

    def is_current(self, mp3: str | Path, fingerprint: str) -> bool:
        """True when ``mp3`` is the file we last wrote from inputs with this ``fingerprint``
        (same size and modification time since)."""
        mp3 = Path(mp3)
        try:
            record = json.loads(self._record(mp3).read_text())
            stat = mp3.stat()
        except (OSError, ValueError):
            return False
        return record == {"fingerprint": fingerprint, "size": stat.st_size,
                          "mtime_ns": stat.st_mtime_ns}

    def mark_current(self, mp3: str | Path, fingerprint: str) -> None:
        """Remember that ``mp3`` was just rendered from inputs with this ``fingerprint``."""
        mp3 = Path(mp3)
        stat = mp3.stat()
        path = self._record(mp3)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "w") as f:
                json.dump({"fingerprint": fingerprint, "size": stat.st_size,
                           "mtime_ns": stat.st_mtime_ns}, f)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def info(self) -> CacheInfo:
        return _info(self.root, self._entries())

    def _files(self) -> list[Path]:
        """Every file in the shards and the episode records (entries and temporaries)."""
        found = []
        folders = [self.root / _EPISODES]
        for kind in (_SEGMENTS, _MEMO):
            try:
                with os.scandir(self.root / kind) as shards:
                    folders += [Path(d.path) for d in shards if d.is_dir(follow_symlinks=False)]
            except FileNotFoundError:
                pass
        for folder in folders:
            try:
                with os.scandir(folder) as files:
                    found += [Path(f.path) for f in files if f.is_file(follow_symlinks=False)]
            except (FileNotFoundError, NotADirectoryError):
                pass  # removed by a concurrent `cache clear`, or never made
        return found

    def _entries(self, files: list[Path] | None = None) -> list[_Entry]:
        """The segment entries among ``files`` (default: a fresh listing)."""
        entries = []
        for path in self._files() if files is None else files:
            if path.suffix != ".npy" or path.parent.name == _EPISODES:
                continue
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue  # pruned or cleared by another process meanwhile
            entries.append(_Entry(path, path.stem, stat.st_size, stat.st_mtime_ns,
                                  path.parent.parent.name == _MEMO))
        return entries

    def prune(self, max_bytes: int | None = None, *, older_than_days: float | None = None,
              keep: Collection[str] = ()) -> PruneResult:
        """Delete the least recently used entries (read or written longest ago) until the
        entries take at most ``max_bytes``, and every entry not used for ``older_than_days``.

        Entries whose keys are in ``keep`` stay whatever their age (so the cache can stay over
        ``max_bytes`` when they alone exceed it). Temporary files older than ``STALE_TMP_S`` are
        swept too; younger ones may belong to a render writing them now. Safe beside running
        renders: a file that vanishes meanwhile is skipped, and an entry used since it was
        looked at is kept (a render that still loses one synthesises it again)."""
        if max_bytes is not None and max_bytes < 0:
            raise ConfigError(f"bad cache size limit {max_bytes}: bytes, 0 or more")
        if older_than_days is not None and older_than_days < 0:
            raise ConfigError(f"bad age {older_than_days}: days, 0 or more")
        now_ns = time.time_ns()
        files = self._files()  # one listing for both sweeps: a big cache has ~100k files
        temporaries = self._sweep_temporaries(files, now_ns)
        entries = self._entries(files)
        total = sum(e.size for e in entries)
        kept = frozenset(keep)
        cutoff_ns = (now_ns - int(older_than_days * _DAY_S * 1e9)
                     if older_than_days is not None else None)
        removed: list[_Entry] = []
        gone: list[_Entry] = []
        for entry in sorted((e for e in entries if e.key not in kept),
                            key=lambda e: (e.mtime_ns, e.key)):
            too_old = cutoff_ns is not None and entry.mtime_ns < cutoff_ns
            too_big = max_bytes is not None and total > max_bytes
            if not (too_old or too_big):
                break  # oldest first: every later entry is younger, and the total only shrinks
            outcome = self._remove(entry)
            if outcome is not _Outcome.USED:
                total -= entry.size
            if outcome is _Outcome.REMOVED:
                removed.append(entry)
            elif outcome is _Outcome.GONE:
                gone.append(entry)
        out = set(removed) | set(gone)
        left = [e for e in entries if e not in out]
        result = PruneResult(_info(self.root, removed),
                             replace(_info(self.root, left), bytes=total), temporaries)
        if removed or temporaries:
            _LOGGER.info("pruned the segment cache %s: removed %d segments (%s) and %d stale "
                         "temporary files; %d segments (%s) left", self.root,
                         result.removed.entries, format_size(result.removed.bytes), temporaries,
                         result.left.entries, format_size(total))
        return result

    @staticmethod
    def _remove(entry: _Entry) -> _Outcome:
        """Delete ``entry`` unless a render used it since it was listed."""
        try:
            if entry.path.stat().st_mtime_ns != entry.mtime_ns:
                return _Outcome.USED  # no longer among the least recently used
            entry.path.unlink()
        except FileNotFoundError:
            return _Outcome.GONE  # pruned or cleared by another process
        return _Outcome.REMOVED

    @staticmethod
    def _sweep_temporaries(files: list[Path], now_ns: int) -> int:
        swept = 0
        for path in files:
            if path.suffix != ".tmp":
                continue
            try:
                if now_ns - path.stat().st_mtime_ns < STALE_TMP_S * 1e9:
                    continue
                path.unlink()
            except FileNotFoundError:
                continue  # renamed into place or swept by someone else
            swept += 1
        return swept

    def clear(self) -> CacheInfo:
        """Delete every entry; returns what was removed."""
        before = self.info()
        for folder in (_SEGMENTS, _MEMO, _EPISODES):
            shutil.rmtree(self.root / folder, ignore_errors=True)
        return before


def _info(root: Path, entries: Sequence[_Entry]) -> CacheInfo:
    memos = sum(e.memo for e in entries)
    return CacheInfo(root, len(entries) - memos, sum(e.size for e in entries), memos)
