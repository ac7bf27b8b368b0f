"""A small packed kokoro-js for tests: the real layout (package/package.json and
package/voices/NAME.bin, 510 x 1 x 256 float32 each) with made-up style arrays, so installing and
casting can be tested without npm or the network. The arrays are smooth ramps: they compress to
almost nothing, and they are not voices anyone should listen to."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Iterable
from pathlib import Path

from narrate.voices.catalog import ENGLISH_STYLES

STYLE_BYTES = 510 * 256 * 4


def style_bytes(seed: int) -> bytes:
    import numpy as np

    values = np.linspace(-0.2, 0.2, 510 * 256, dtype=np.float32) * (1 + seed / 100)
    return values.astype("<f4").tobytes()


def build_kokoro_tgz(path: Path, styles: Iterable[str] = (*ENGLISH_STYLES, "jf_alpha", "zf_x"),
                     *, name: str = "kokoro-js", version: str = "1.2.1",
                     overrides: dict[str, bytes] | None = None) -> Path:
    """Write a packed npm package like ``npm pack kokoro-js@1.2.1`` makes; ``overrides`` puts
    other bytes at a member path (to test damaged packages)."""
    members: dict[str, bytes] = {
        "package/package.json": json.dumps({"name": name, "version": version}).encode(),
        "package/LICENSE": b"Apache License 2.0\n",
    }
    for i, style in enumerate(styles):
        members[f"package/voices/{style}.bin"] = style_bytes(i)
    members.update(overrides or {})
    with tarfile.open(path, "w:gz") as tar:
        for member, data in members.items():
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def install_test_voices(tmp_path: Path, styles: Iterable[str] | None = None) -> Path:
    """Install made-up English styles into the test's data folder (NARRATE_DATA_DIR)."""
    from narrate.voices.install import install_voices

    tgz = build_kokoro_tgz(tmp_path / "kokoro-js-test.tgz",
                           styles if styles is not None else tuple(ENGLISH_STYLES))
    return install_voices(tgz).path
