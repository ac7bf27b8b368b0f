"""Kokoro's packaged model: assembled once, safely, when several workers start at once."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from narrate.errors import EngineError
from narrate.voices.engines.kokoro import packaged_model_path


def _assemble(folder: str) -> tuple[str, int]:
    import os

    os.environ["KOKORO_JA_CACHE"] = folder
    path = packaged_model_path()
    return path, Path(path).stat().st_size


def test_workers_starting_together_on_a_fresh_machine_share_one_model(tmp_path: Path) -> None:
    # four spawned processes race to assemble the ~90 MB model into an empty cache folder;
    # without the lock some of them failed with FileNotFoundError on the shared temp file
    folder = str(tmp_path / "kokoro-cache")
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_assemble, [folder] * 4)
    sizes = {size for _, size in results}
    assert len({path for path, _ in results}) == 1
    assert len(sizes) == 1 and sizes.pop() > 10_000_000
    assert not list(Path(folder).glob("*.tmp"))


def test_an_unwritable_cache_folder_is_a_clear_error(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("KOKORO_JA_CACHE", str(blocker / "cache"))
    with pytest.raises(EngineError, match=r"kokoro could not assemble its model.*KOKORO_JA_CACHE"):
        packaged_model_path()
