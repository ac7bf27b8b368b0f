"""Rendered episodes into the show's feed and page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from narrate.pipeline.titles import slugify
from narrate.publish.episode import Episode


def show_config_for(show: str | None, *, voices_dir: str | Path | None = None) -> Any:
    """The show config a render publishes with: ``<voices>/<show>.toml`` when it exists, else
    ``narrate.toml`` here (or the defaults, titled after ``show``); ``NARRATE_SHOW_*`` apply."""
    from narrate.publish.show import DEFAULT_CONFIG, load_show_config
    from narrate.voices.config import voices_dir as resolve_voices_dir

    name = slugify(show) if show else None
    if name:
        file = resolve_voices_dir(voices_dir) / f"{name}.toml"
        if file.is_file():
            config = load_show_config(file)
            return config if config.name else replace(config, name=name)
    config = load_show_config()
    if show and not DEFAULT_CONFIG.is_file():
        config = replace(config, title=show, name=name or "")
    return config


def publish_episodes(episodes: Sequence[Episode], out_dir: str | Path, *,
                     show: str | None = None,
                     voices_dir: str | Path | None = None) -> list[Any]:
    """Add or update rendered episodes in ``out_dir/feed.xml`` (and the show page)."""
    from narrate.publish.feed import publish

    out = Path(out_dir)
    return publish([out / e.mp3 for e in episodes], feed_path=out / "feed.xml",
                   show=show_config_for(show, voices_dir=voices_dir))
