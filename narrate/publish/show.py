"""The show: the podcast-wide facts a feed needs (title, author, cover, where files are hosted).

Read from ``[show]`` in ``narrate.toml`` (or ``voices/<show>.toml``), with ``NARRATE_SHOW_<KEY>``
environment variables and explicit overrides on top: flag > env > file > defaults.
"""

from __future__ import annotations

import os
import tomllib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from narrate.errors import ConfigError

DEFAULT_CONFIG = Path("narrate.toml")
DEFAULT_BASE_URL = "http://127.0.0.1:8000/"
"""Where `narrate serve` answers by default, so a feed made with no config plays locally."""
FEED_FILE = "feed.xml"
ENV_PREFIX = "NARRATE_SHOW_"
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
"""Podcasting 2.0: podcast:guid is UUIDv5 of the feed URL (no scheme) in this namespace."""


@dataclass(frozen=True)
class ShowConfig:
    """One podcast show."""

    title: str = "Narrated stories"
    author: str = "narrate"
    description: str = "Stories read aloud by narrate."
    language: str = "en"
    """BCP 47 / ISO 639 code, e.g. ``en`` or ``en-us``."""
    category: str = "Fiction"
    """Apple category; a subcategory after ``>``, e.g. ``Fiction > Drama``."""
    explicit: bool = False
    image: str | None = None
    """Show cover (JPEG/PNG, 1400-3000 px square); a relative path is from the config file."""
    base_url: str = DEFAULT_BASE_URL
    """URL of the folder where feed.xml and the episode files will be hosted."""
    link: str | None = None
    """Show website; None means the base URL (the show page index.html lives there)."""
    owner_name: str | None = None
    owner_email: str | None = None
    copyright: str | None = None
    name: str = ""
    """Short name of the show (the ``voices/<name>.toml`` stem); used in derived guids."""
    disclosure: str = ""
    """The sentence that says the voices are synthetic, in each episode's description and its
    spoken credits; "" says it narrate's way (``narrate.pipeline.produce.DISCLOSURE``)."""
    type: str = ""
    """itunes:type, ``episodic`` or ``serial``; "" decides from the feed: serial when every
    episode is a numbered chapter of a book (``render --split chapters``), else episodic."""

    @property
    def base(self) -> str:
        """The base URL, always ending in one slash."""
        return self.base_url.rstrip("/") + "/"

    @property
    def feed_url(self) -> str:
        return self.base + FEED_FILE

    @property
    def podcast_guid(self) -> str:
        """podcast:guid: UUIDv5 of the feed URL without scheme or trailing slash."""
        parts = urlsplit(self.feed_url)
        bare = (parts.netloc + parts.path).rstrip("/")
        if parts.query:
            bare += "?" + parts.query
        return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))

    @property
    def category_path(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.category.split(">") if p.strip())


_FIELDS = {f.name: f for f in fields(ShowConfig)}
SHOW_TYPES = ("", "episodic", "serial")
"""Values of ``type``; "" decides from the feed."""
_BOOL_WORDS = {"1": True, "true": True, "yes": True, "on": True,
               "0": False, "false": False, "no": False, "off": False}


def load_show_config(path: str | Path | None = None, *, show: str | None = None,
                     overrides: Mapping[str, Any] | None = None,
                     env: Mapping[str, str] | None = None,
                     cwd: str | Path | None = None) -> ShowConfig:
    """Resolve the show config: ``overrides`` > ``NARRATE_SHOW_*`` env > file > defaults.

    With ``path=None`` the file is ``voices/<show>.toml`` when ``show`` is given, else
    ``narrate.toml`` in ``cwd``; a missing default file is fine, a missing named file is not.
    """
    base_dir = Path(cwd) if cwd is not None else Path.cwd()
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    config_dir = base_dir
    if path is not None:
        file = Path(path) if Path(path).is_absolute() else base_dir / path
        if not file.is_file():
            raise ConfigError(f"show config {path} not found; create it or drop the option")
        values.update(_read_file(file))
        config_dir = file.parent
    else:
        file = base_dir / ("voices" / Path(f"{show}.toml") if show else DEFAULT_CONFIG)
        if file.is_file():
            values.update(_read_file(file))
            config_dir = file.parent
        elif show:
            raise ConfigError(f"show config {file} not found; create it with a [show] table")
    if values.get("image"):
        values["image"] = str((config_dir / str(values["image"])).resolve())
    for key in _FIELDS:
        raw = env.get(ENV_PREFIX + key.upper())
        if raw is not None and raw != "":
            values[key] = _coerce(key, raw, f"${ENV_PREFIX}{key.upper()}")
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = _coerce(key, value, f"--{key.replace('_', '-')}")
    if show and not values.get("name"):
        values["name"] = show
    config = replace(ShowConfig(), **values)
    _validate(config)
    return config


def _read_file(file: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"cannot read show config {file}: {e}") from e
    table = data.get("show", data)
    if not isinstance(table, dict):
        raise ConfigError(f"{file}: [show] must be a table")
    # narrate.toml may hold other tables (cast, render...): only [show] is ours, and inside it
    # every key must be known, so a typo never silently falls back to a default.
    if "show" not in data:
        table = {k: v for k, v in table.items() if not isinstance(v, dict)}
    unknown = sorted(set(table) - set(_FIELDS))
    if unknown and "show" in data:
        raise ConfigError(f"{file}: unknown [show] key(s) {', '.join(unknown)}; "
                          f"valid keys: {', '.join(_FIELDS)}")
    return {k: _coerce(k, v, f"{file}: {k}") for k, v in table.items() if k in _FIELDS}


def _coerce(key: str, value: Any, where: str) -> Any:
    if key not in _FIELDS:
        raise ConfigError(f"{where}: unknown show setting {key!r}; valid: {', '.join(_FIELDS)}")
    if key == "explicit":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word not in _BOOL_WORDS:
            raise ConfigError(f"{where}: explicit must be true or false, not {value!r}")
        return _BOOL_WORDS[word]
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {key} must be a string, not {value!r}")
    return value.strip().lower() if key == "type" else value.strip()


def _validate(config: ShowConfig) -> None:
    parts = urlsplit(config.base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"show base_url {config.base_url!r} is not an http(s) URL; "
                          "set base_url = \"https://example.org/podcast/\" in [show]")
    if not config.title.strip():
        raise ConfigError("show title is empty; set title in [show]")
    if config.type not in SHOW_TYPES:
        raise ConfigError(f"show type {config.type!r} is not one of "
                          f"{', '.join(t for t in SHOW_TYPES if t)}; set type = \"serial\" "
                          "(or leave it out) in [show]")
