"""The segment cache: synthesised speech stored on disk by what it says and how it sounds.

An entry's key is the sha256 of everything that changes the audio (spoken text, the voice's
fingerprint, which names its engine and version, the speed and the trimming settings), so an
interrupted render resumes from the cache and editing one paragraph re-synthesises only that
paragraph. Entries are int16 PCM at the engine's native rate (compact, and exact for what the
engine gave us) and where each engine chunk ends in it (an optional third array: entries without
it are still read, as speech whose sentence times are unknown), written to a temporary name and
renamed, so a killed render never leaves a corrupt entry behind.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from narrate.errors import ConfigError

_LOGGER = logging.getLogger(__name__)

CACHE_ENV = "NARRATE_CACHE_DIR"
CACHE_FORMAT = 1
"""Bump when the entry layout or the post-processing of engine output changes."""
_SEGMENTS = "segments"
_EPISODES = "episodes"
"""Fingerprints of episodes rendered, so an unchanged story is not mastered again."""


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


@dataclass(frozen=True)
class CacheInfo:
    path: Path
    entries: int
    bytes: int
    """Disk space the entries take."""


class SegmentCache:
    """Content-addressed int16 audio entries under ``root/segments/ab/<sha256>.npy``, and a note
    of the inputs each rendered episode came from under ``root/episodes/``."""

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root).expanduser() if root else default_cache_dir()

    def _path(self, key: str) -> Path:
        return self.root / _SEGMENTS / key[:2] / f"{key}.npy"

    def __contains__(self, key: str) -> bool:
        return self._path(key).is_file()

    def get(self, key: str) -> tuple[np.ndarray, int, tuple[int, ...]] | None:
        """The int16 samples, their rate (Hz) and the engine chunk ends in them (sample offsets;
        empty for entries written before they were kept), or None on a miss."""
        path = self._path(key)
        try:
            with open(path, "rb") as f:
                rate = int(np.load(f)[0])
                samples = np.load(f)
                # a third array is optional, so entries without it stay valid (no format bump)
                marks = tuple(int(m) for m in np.load(f)) if f.peek(1) else ()
        except FileNotFoundError:
            return None
        except (OSError, ValueError, IndexError, EOFError) as e:
            # Renames are atomic, so this is outside damage (disk full, a hand edit): drop it.
            _LOGGER.warning("dropping unreadable cache entry %s: %s", path, e)
            path.unlink(missing_ok=True)
            return None
        return samples, rate, marks

    def put(self, key: str, samples: np.ndarray, rate: int, marks: Sequence[int] = ()) -> None:
        """Store int16 ``samples`` at ``rate`` Hz and the chunk ends ``marks`` (sample offsets);
        the entry appears only when complete."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ConfigError(f"cannot create cache directory {path.parent}: {e}; "
                              f"set --cache-dir or {CACHE_ENV}") from e
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{key[:12]}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                np.save(f, np.array([rate], dtype=np.int32))
                np.save(f, np.ascontiguousarray(samples, dtype="<i2"))
                if len(marks):
                    np.save(f, np.asarray(marks, dtype="<i8"))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

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
        entries = size = 0
        base = self.root / _SEGMENTS
        if base.is_dir():
            for path in base.glob("*/*.npy"):
                entries += 1
                size += path.stat().st_size
        return CacheInfo(self.root, entries, size)

    def clear(self) -> CacheInfo:
        """Delete every entry; returns what was removed."""
        before = self.info()
        shutil.rmtree(self.root / _SEGMENTS, ignore_errors=True)
        shutil.rmtree(self.root / _EPISODES, ignore_errors=True)
        return before
