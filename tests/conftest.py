"""Canonical fixtures: small stories written for the tests, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

SHORT_STORY = """\
The Kettle

Anna filled the kettle and set it on the stove.

“Is it ready yet?” asked Ben, peering round the door.

“Not yet,” Anna said. “Patience, Ben.”
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def short_story(tmp_path: Path) -> Path:
    path = tmp_path / "the-kettle.txt"
    path.write_text(SHORT_STORY, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _own_voices_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Renders save the show's cast in the voices folder: keep each test's in its tmp_path, never
    the repository's voices/ (tests that need a particular folder set NARRATE_VOICES_DIR)."""
    monkeypatch.setenv("NARRATE_VOICES_DIR", str(tmp_path / "voices"))


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty data folder: the English Kokoro voices the user installed are not seen unless a
    test installs some (tests/voicekit.py) or asks for the real ones (`english_voices`)."""
    monkeypatch.setenv("NARRATE_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def english_voices(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The real native English voices (`narrate voices install`, which `make test` runs); the
    test skips when this machine has none."""
    from narrate.voices.install import VOICES_FILE

    folder = _REAL_DATA_DIR / "voices"
    if not (folder / VOICES_FILE).is_file():
        pytest.skip(f"the English Kokoro voices are not installed in {folder} "
                    "(run `narrate voices install`)")
    monkeypatch.setenv("NARRATE_DATA_DIR", str(_REAL_DATA_DIR))
    return _REAL_DATA_DIR


def _real_data_dir() -> Path:
    import os

    from platformdirs import user_data_dir

    return Path(os.environ.get("NARRATE_DATA_DIR") or user_data_dir("narrate"))


_REAL_DATA_DIR = _real_data_dir()


@pytest.fixture(autouse=True)
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    """One segment cache for the whole test session, never the user's own: the first real
    render in a run really synthesises, later ones may reuse its speech. The automatic cap is the
    default whatever the environment says (tests that need another set it)."""
    monkeypatch.setenv("NARRATE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.delenv("NARRATE_CACHE_MAX", raising=False)
