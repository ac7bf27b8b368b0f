"""The Episode: what a render leaves beside its MP3, and what publishing reads.

``<slug>.episode.json`` sits next to ``<slug>.mp3``; file fields are names relative to that folder.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from narrate.audio.timeline import Chapter
from narrate.errors import FeedError
from narrate.files import atomic_write_text

EPISODE_SUFFIX = ".episode.json"


@dataclass(frozen=True)
class CastCredit:
    """Who voices whom, for credits, tags and ``podcast:person``."""

    character: str
    """Character name, or ``Narrator``."""
    voice: str
    """Voice id, e.g. ``kokoro:jf_alpha``."""


@dataclass(frozen=True)
class Episode:
    slug: str
    title: str
    mp3: str
    """File name of the MP3 in the episode's folder."""
    duration_s: float
    show: str = ""
    description: str = ""
    published: str = ""
    """ISO 8601 UTC time of the first render; kept when re-rendered."""
    guid: str = ""
    """Never changes for an episode: derived from the show and slug at first render."""
    image: str | None = None
    vtt: str | None = None
    srt: str | None = None
    chapters_json: str | None = None
    chapters: tuple[Chapter, ...] = ()
    cast: tuple[CastCredit, ...] = ()
    loudness_lufs: float | None = None
    true_peak_dbtp: float | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    author: str = ""
    """The story's author (an EPUB's ``dc:creator``, Markdown front matter ``author``)."""
    series: str = ""
    """The book this episode is a chapter of (``render --split chapters``); "" for a whole
    story. Episode JSON written before this field existed reads as ""."""
    number: int | None = None
    """Place of the chapter in its series, from 1 (``itunes:episode``); None for a whole story."""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["meta"] = dict(self.meta)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Episode:
        try:
            chapters = tuple(Chapter(**c) for c in data.get("chapters") or ())
            cast = tuple(CastCredit(**c) for c in data.get("cast") or ())
            known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
            known.update(chapters=chapters, cast=cast, meta=dict(data.get("meta") or {}))
            return cls(**known)
        except TypeError as e:
            raise FeedError(f"bad episode metadata: {e}") from e

    def with_(self, **changes: Any) -> Episode:
        return replace(self, **changes)

    def save(self, folder: str | Path) -> Path:
        path = Path(folder) / f"{self.slug}{EPISODE_SUFFIX}"
        atomic_write_text(path, json.dumps(self.to_dict(), ensure_ascii=False, indent=1))
        return path

    @classmethod
    def load(cls, path: str | Path) -> Episode:
        path = Path(path)
        try:
            return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError) as e:
            raise FeedError(f"cannot read episode metadata {path}: {e}") from e


def episode_metadata_path(mp3: str | Path) -> Path:
    mp3 = Path(mp3)
    return mp3.with_name(mp3.stem + EPISODE_SUFFIX)
