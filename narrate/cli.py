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


def cache_dir_option(func: F) -> F:
    return click.option(
        "--cache-dir", type=click.Path(path_type=Path, file_okay=False), envvar="NARRATE_CACHE_DIR",
        default=None, help="Segment cache folder (env NARRATE_CACHE_DIR; default: the user "
        "cache directory).")(func)


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
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Synthesis worker processes (default: one per core).")
@click.option("--executor", type=click.Choice(["local", "serial", "dask"]), default="local",
              show_default=True, help="Where synthesis runs: a local process pool, this process, "
              "or a Dask cluster.")
@click.option("--address", envvar="DASK_SCHEDULER_ADDRESS", default=None,
              help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (env DASK_SCHEDULER_ADDRESS).")
@cache_dir_option
@click.option("--force", is_flag=True, help="Render again even stories whose episode is up to "
              "date (the segment cache is still used).")
@verbosity_options
@click.pass_context
@reports_errors
def render(ctx: click.Context, stories: tuple[Path, ...], out_dir: Path, narrator: str | None,
           show: str | None, no_music: bool, jobs: int | None, executor: str,
           address: str | None, cache_dir: Path | None, force: bool) -> None:
    """Render story files, or folders of *.txt stories, to MP3 episodes.

    Synthesised speech is cached: a render that was interrupted resumes where it stopped, and
    after an edit only the changed paragraphs are spoken again.

    \b
    Example:
      narrate render examples/*.txt -o output/
      narrate render stories/ -j 2
      narrate render book.txt --executor dask --address tcp://scheduler:8786
    """
    from narrate.casting import DEFAULT_NARRATOR
    from narrate.pipeline import DEFAULT_SHOW, RenderOptions, render_stories

    if address and executor != "dask" and ctx.get_parameter_source("address") is \
            click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError("--address is for --executor dask")
    options = RenderOptions(narrator=narrator or DEFAULT_NARRATOR, show=show or DEFAULT_SHOW,
                            music=not no_music, executor=executor, jobs=jobs, address=address,
                            cache_dir=cache_dir, force=force)
    quiet = ctx.find_root().obj.get("quiet", False)
    progress = None if quiet else _progress_printer()
    for episode in render_stories(list(stories), out_dir, options=options, progress=progress):
        if not quiet:
            click.echo(f"\r\x1b[K{out_dir / episode.mp3}  {episode.duration_s:.1f} s", err=True)


def _clock(seconds: float) -> str:
    h, rest = divmod(round(seconds), 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


def _progress_printer() -> Callable[[Any], None]:
    """One updating status line: segments, audio done, and an ETA from the synthesis rate."""
    import time

    last = [0.0]

    def show(p: Any) -> None:
        now = time.monotonic()
        if p.done < p.total and now - last[0] < 0.2:  # a terminal can't show more anyway
            return
        last[0] = now
        eta = p.eta_s
        eta_text = "ETA --:--" if eta is None else f"ETA {_clock(eta)}"
        cached = f" ({p.cached} cached)" if p.cached else ""
        line = (f"synthesising {p.done}/{p.total} segments{cached}, "
                f"{_clock(p.audio_s)} of audio, {eta_text}")
        click.echo(f"\r\x1b[K{line}", err=True, nl=False)

    return show


@cli.group()
def cache() -> None:
    """Inspect or empty the segment cache (synthesised speech kept between renders)."""


@cache.command("info")
@cache_dir_option
@reports_errors
def cache_info(cache_dir: Path | None) -> None:
    """Show where the cache is, how many segments it holds and their size.

    \b
    Example:
      narrate cache info
    """
    from narrate.cache import SegmentCache

    info = SegmentCache(cache_dir).info()
    click.echo(f"path: {info.path}\nsegments: {info.entries}\nsize: {_size(info.bytes)}")


@cache.command("clear")
@cache_dir_option
@click.option("-y", "--yes", is_flag=True, help="Don't ask for confirmation.")
@reports_errors
def cache_clear(cache_dir: Path | None, yes: bool) -> None:
    """Delete every cached segment (the next render synthesises everything again).

    \b
    Example:
      narrate cache clear --yes
    """
    from narrate.cache import SegmentCache

    store = SegmentCache(cache_dir)
    if not yes:
        click.confirm(f"Delete the segment cache in {store.root}?", abort=True)
    removed = store.clear()
    click.echo(f"removed {removed.entries} segments ({_size(removed.bytes)}) from {removed.path}")


def _size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def main() -> None:
    cli(prog_name="narrate")
