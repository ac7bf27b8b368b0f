"""The whole job, story file to episode: read, script, cast, synthesise, master, export.

`plan` turns story files, books and edited scripts into cast episodes and drives one synthesis
stream; `produce` makes one episode from its cast stories; `titles` names episodes; `options`
holds what a render is asked for; `publishing` puts episodes in the feed. Calls go one way:
plan -> produce -> titles/options.
"""

from narrate.pipeline.options import DEFAULT_SHOW, EpisodePlace, RenderOptions
from narrate.pipeline.plan import (
    SERIES_TITLE_JOINER,
    episode_fingerprint,
    render_episode,
    render_script,
    render_script_files,
    render_stories,
    story_paths,
)
from narrate.pipeline.produce import (
    announcement_jobs,
    cast_for_render,
    cast_story,
    produce_episode,
)
from narrate.pipeline.publishing import publish_episodes, show_config_for
from narrate.pipeline.titles import (
    read_script,
    script_story,
    short_slug,
    slugify,
    title_from_words,
    titled,
)

__all__ = [
    "DEFAULT_SHOW",
    "SERIES_TITLE_JOINER",
    "EpisodePlace",
    "RenderOptions",
    "announcement_jobs",
    "cast_for_render",
    "cast_story",
    "episode_fingerprint",
    "produce_episode",
    "publish_episodes",
    "read_script",
    "render_episode",
    "render_script",
    "render_script_files",
    "render_stories",
    "script_story",
    "short_slug",
    "show_config_for",
    "slugify",
    "story_paths",
    "title_from_words",
    "titled",
]
