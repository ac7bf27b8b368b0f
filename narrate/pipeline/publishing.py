"""Rendered episodes into the show's feed and page."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from narrate.pipeline.titles import slugify
from narrate.publish.episode import Episode


def show_config_for(show: str | None, *, voices_dir: str | Path | None = None,
                    overrides: Mapping[str, Any] | None = None) -> Any:
    """The show config a render publishes with: ``<voices>/<show>.toml`` when it exists, else
    ``narrate.toml`` here (or the defaults, titled after ``show``); ``NARRATE_SHOW_*`` apply,
    and ``overrides`` (flags: base_url, title) over everything."""
    from narrate.publish.show import DEFAULT_CONFIG, load_show_config
    from narrate.voices.config import voices_dir as resolve_voices_dir

    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    name = slugify(show) if show else None
    if name:
        file = resolve_voices_dir(voices_dir) / f"{name}.toml"
        if file.is_file():
            config = load_show_config(file, overrides=overrides)
            return config if config.name else replace(config, name=name)
    config = load_show_config(overrides=overrides)
    if show and not DEFAULT_CONFIG.is_file():
        config = replace(config, name=name or "")
        if "title" not in overrides and not os.environ.get("NARRATE_SHOW_TITLE"):
            config = replace(config, title=show)
    return config


def show_config_for_episodes(mp3_paths: Sequence[str | Path], *,
                             config: str | Path | None = None, show: str | None = None,
                             overrides: Mapping[str, Any] | None = None) -> Any:
    """The show config `narrate publish` uses: ``config`` when given; else the show named
    (``--show``, as `render --show` takes it), else the one every episode's metadata names,
    resolved as a render's is (`show_config_for`). Publishing episodes of "narrate examples"
    then keeps that title instead of renaming the show to the default."""
    from narrate.publish.show import load_show_config

    if config is not None:
        return load_show_config(config, overrides=overrides)
    return show_config_for(show or _episodes_show(mp3_paths), overrides=overrides)


def _episodes_show(mp3_paths: Sequence[str | Path]) -> str | None:
    """The show all the episodes' metadata names, if they agree on one."""
    from narrate.errors import FeedError
    from narrate.publish.episode import episode_metadata_path

    names = set()
    for mp3 in mp3_paths:
        meta = episode_metadata_path(mp3)
        try:
            names.add(Episode.load(meta).show.strip() if meta.is_file() else "")
        except FeedError:
            names.add("")
    return names.pop() or None if len(names) == 1 else None


def publish_episodes(episodes: Sequence[Episode], out_dir: str | Path, *,
                     show: str | None = None,
                     voices_dir: str | Path | None = None) -> list[Any]:
    """Add or update rendered episodes in ``out_dir/feed.xml`` (and the show page)."""
    from narrate.publish.feed import publish

    out = Path(out_dir)
    return publish([out / e.mp3 for e in episodes], feed_path=out / "feed.xml",
                   show=show_config_for(show, voices_dir=voices_dir))
