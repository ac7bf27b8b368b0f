"""The `narrate` command line: parses options and calls the library; no logic lives here."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from narrate import __version__
from narrate.errors import NarrateError

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    """Turn library errors into one clear line and exit status 1 (no traceback)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NarrateError as e:
            raise click.ClickException(str(e)) from e
        except KeyboardInterrupt:
            click.echo("interrupted; finished segments are cached, run again to resume", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def _set_verbosity(ctx: click.Context, verbose: int, quiet: bool) -> None:
    obj = ctx.ensure_object(dict)
    obj["quiet"] = quiet or obj.get("quiet", False)
    obj["verbose"] = max(verbose, obj.get("verbose", 0))
    level = (logging.ERROR if obj["quiet"] else logging.DEBUG if obj["verbose"] > 1
             else logging.INFO if obj["verbose"] else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)


def verbosity_options(func: F) -> F:
    """-v/-q accepted after any command too (``narrate render -q ...``)."""

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if param.name == "quiet" and value:
            _set_verbosity(ctx, 0, True)
        elif param.name == "verbose" and value:
            _set_verbosity(ctx, value, False)
        return value

    func = click.option("-v", "--verbose", count=True, expose_value=False, callback=callback,
                        help="More detail on stderr (-vv for debug).")(func)
    func = click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=callback,
                        help="Only errors on stderr; no progress display.")(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="narrate")
@click.option("-v", "--verbose", count=True, help="More detail on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr; no progress display.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Turn written stories into podcast episodes.

    \b
    Example:
      narrate render examples/*.txt -o output/
    """
    _set_verbosity(ctx, verbose, quiet)


@cli.command()
@click.argument("story", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text",
              show_default=True, help="json: the machine contract; text: a readable listing.")
@click.option("--characters", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Cast hint: JSON {\"characters\": [{name, aliases, gender}]} or TOML.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the script to this file instead of stdout.")
@reports_errors
def script(story: Path, fmt: str, characters: Path | None, output: Path | None) -> None:
    """Split a story into narration and dialogue and show who speaks each line.

    \b
    Example:
      narrate script story.txt --format json --characters cast.json
    """
    from narrate.script import load_characters
    from narrate.text import build_script, read_story

    cast = load_characters(characters) if characters else ()
    result = build_script(read_story(story), characters=cast, title=story.stem, source=str(story))
    text = result.to_json() if fmt == "json" else _listing(result)
    if output:
        from narrate.episode import atomic_write_text

        atomic_write_text(output, text + "\n")
    else:
        click.echo(text)


def _listing(result: Any) -> str:
    lines = []
    for seg in result.segments:
        if seg.kind.value == "space":
            continue
        who = seg.speaker or "Narrator"
        label = f"{seg.kind.value}:{who}" if seg.kind.value == "dialogue" else seg.kind.value
        lines.append(f"[{label}] {seg.text.strip()}")
    return "\n".join(lines)


@cli.command()
@click.argument("stories", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("output"), show_default=True, help="Folder for the episodes.")
@click.option("--narrator", default=None, help="Narrator voice id (default piper:joe).")
@click.option("--show", default=None, help="Show name (seeds the music; groups the cast).")
@click.option("--no-music", is_flag=True, help="Leave out the intro and outro music.")
@click.option("--episode", "episode_title", default=None, metavar="TITLE",
              help="Episode title; with several stories, make them ONE episode of this title.")
@click.option("--intro", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Your own intro music (any audio file) instead of the generated theme.")
@click.option("--outro", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Your own outro music.")
@click.option("--loudness", "loudness_lufs", type=float, default=-16.0, show_default=True,
              help="Integrated loudness target in LUFS (e.g. -19 for mono).")
@click.option("--bitrate", "bitrate_kbps", type=int, default=96, show_default=True,
              help="MP3 bitrate in kbit/s (CBR, mono).")
@click.option("--cover", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Cover image (JPEG/PNG; cropped square, 1400-3000 px). Default: drawn.")
@click.option("--description", default=None, help="Episode description for tags and feed.")
@verbosity_options
@click.pass_context
@reports_errors
def render(ctx: click.Context, stories: tuple[Path, ...], out_dir: Path, narrator: str | None,
           show: str | None, no_music: bool, episode_title: str | None, intro: Path | None,
           outro: Path | None, loudness_lufs: float, bitrate_kbps: int, cover: Path | None,
           description: str | None) -> None:
    """Render story files to MP3 episodes.

    Each story becomes an episode (MP3 with tags, cover and chapters, plus .vtt, .srt,
    .chapters.json and cover .jpg beside it); with --episode, all stories make one episode.

    \b
    Example:
      narrate render examples/*.txt -o output/
      narrate render a.txt b.txt --episode "Two Tales" --loudness -19
    """
    from narrate.casting import DEFAULT_NARRATOR
    from narrate.pipeline import DEFAULT_SHOW, RenderOptions, render_stories

    options = RenderOptions(narrator=narrator or DEFAULT_NARRATOR, show=show or DEFAULT_SHOW,
                            music=not no_music, episode_title=episode_title, intro=intro,
                            outro=outro, loudness_lufs=loudness_lufs, bitrate_kbps=bitrate_kbps,
                            cover=cover, description=description)
    quiet = ctx.find_root().obj.get("quiet", False)
    progress = None if quiet else _progress_printer()
    for episode in render_stories(list(stories), out_dir, options=options, progress=progress):
        if not quiet:
            click.echo(f"\r\x1b[K{out_dir / episode.mp3}  {episode.duration_s:.1f} s  "
                       f"{episode.loudness_lufs} LUFS  {episode.true_peak_dbtp} dBTP", err=True)


def _progress_printer() -> Callable[[int, int, float], None]:
    def show(done: int, total: int, seconds: float) -> None:
        click.echo(f"\r\x1b[Ksynthesising {done}/{total} segments, {seconds:.0f} s of audio",
                   err=True, nl=False)

    return show


def main() -> None:
    cli(prog_name="narrate")
