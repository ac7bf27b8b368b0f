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
              help="Write an editable script: .json, or a text form (e.g. story.script.txt) "
                   "to fix speakers, voices and pronunciations; render it with --script.")
@reports_errors
def script(story: Path, fmt: str, characters: Path | None, output: Path | None) -> None:
    """Split a story into narration and dialogue and show who speaks each line.

    Skipped boilerplate (author boxes, teaser lists...) is listed with the reason.

    \b
    Example:
      narrate script story.txt --format json --characters cast.json
      narrate script story.txt -o story.script.txt
    """
    from narrate.script import load_characters
    from narrate.text import build_script, read_story

    cast = load_characters(characters) if characters else ()
    result = build_script(read_story(story), characters=cast, title=story.stem, source=str(story))
    if output:
        from narrate.script_file import save_script

        save_script(result, output)
        click.echo(f"wrote {output} ({len(result.spoken)} spoken segments, "
                   f"{len(result.speakers())} speakers)", err=True)
        return
    click.echo(result.to_json() if fmt == "json" else _listing(result))


def _listing(result: Any) -> str:
    lines = []
    for seg in result.segments:
        kind = seg.kind.value
        if kind == "space":
            continue
        if kind == "dialogue":
            label = f"dialogue:{seg.speaker}"
        elif kind == "skipped":
            label = f"skipped: {seg.reason}"
        else:
            label = kind
        lines.append(f"[{label}] {' '.join(seg.text.split())}")
    return "\n".join(lines)


@cli.command()
@click.argument("stories", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("output"), show_default=True, help="Folder for the episodes.")
@click.option("--narrator", default=None, help="Narrator voice id (default piper:joe).")
@click.option("--show", default=None, help="Show name (seeds the music; groups the cast).")
@click.option("--no-music", is_flag=True, help="Leave out the intro and outro music.")
@verbosity_options
@click.pass_context
@reports_errors
def render(ctx: click.Context, stories: tuple[Path, ...], out_dir: Path, narrator: str | None,
           show: str | None, no_music: bool) -> None:
    """Render story files to MP3 episodes.

    \b
    Example:
      narrate render examples/*.txt -o output/
    """
    from narrate.casting import DEFAULT_NARRATOR
    from narrate.pipeline import DEFAULT_SHOW, RenderOptions, render_stories

    options = RenderOptions(narrator=narrator or DEFAULT_NARRATOR, show=show or DEFAULT_SHOW,
                            music=not no_music)
    quiet = ctx.find_root().obj.get("quiet", False)
    progress = None if quiet else _progress_printer()
    for episode in render_stories(list(stories), out_dir, options=options, progress=progress):
        if not quiet:
            click.echo(f"\r\x1b[K{out_dir / episode.mp3}  {episode.duration_s:.1f} s", err=True)


def _progress_printer() -> Callable[[int, int, float], None]:
    def show(done: int, total: int, seconds: float) -> None:
        click.echo(f"\r\x1b[Ksynthesising {done}/{total} segments, {seconds:.0f} s of audio",
                   err=True, nl=False)

    return show


def show_options(func: F) -> F:
    """--config/--show/--base-url/--title: where the show config comes from, and overrides."""
    func = click.option("--title", help="Show title (overrides the config).")(func)
    func = click.option("--base-url", help="URL where the files will be hosted "
                        "(overrides [show] base_url and $NARRATE_SHOW_BASE_URL).")(func)
    func = click.option("--show", "show_name",
                        help="Use voices/SHOW.toml as the show config.")(func)
    func = click.option("--config", "config_path",
                        type=click.Path(path_type=Path, exists=True, dir_okay=False),
                        help="Show config file (default: narrate.toml here, if any).")(func)
    return func


def _load_show(config_path: Path | None, show_name: str | None, base_url: str | None,
               title: str | None) -> Any:
    from narrate.show import load_show_config

    return load_show_config(config_path, show=show_name,
                            overrides={"base_url": base_url, "title": title})


@cli.command()
@click.argument("episodes", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=False))
@click.option("--feed", "feed_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Feed to update (default: feed.xml beside the first MP3).")
@show_options
@reports_errors
def publish(episodes: tuple[Path, ...], feed_path: Path | None, config_path: Path | None,
            show_name: str | None, base_url: str | None, title: str | None) -> None:
    """Add episodes to the podcast feed, or update them if already there.

    Reads <slug>.episode.json beside each MP3 (else the MP3's tags), rewrites
    feed.xml atomically (previous version in feed.xml.bak) and index.html.

    \b
    Example:
      narrate publish output/chapter-1.mp3 --base-url https://example.org/pod/
    """
    from narrate.feed import publish as publish_episodes

    show = _load_show(config_path, show_name, base_url, title)
    feed_path = feed_path or episodes[0].parent / "feed.xml"
    for entry in publish_episodes(episodes, feed_path=feed_path, show=show):
        click.echo(f"published {entry.slug}  guid {entry.guid}  ({entry.duration_s} s)")
    click.echo(f"feed: {feed_path}", err=True)


@cli.group()
def feed() -> None:
    """List, remove and check episodes in a podcast feed."""


_FEED_OPTION = click.option("--feed", "feed_path", default=Path("output/feed.xml"),
                            show_default=True,
                            type=click.Path(path_type=Path, dir_okay=False))


@feed.command("list")
@_FEED_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@reports_errors
def feed_list(feed_path: Path, fmt: str) -> None:
    """List the feed's episodes, newest first.

    \b
    Example:
      narrate feed list --feed output/feed.xml
    """
    import json
    from dataclasses import asdict

    from narrate.feed import list_episodes

    entries = list_episodes(feed_path)
    if fmt == "json":
        rows = [{**asdict(e), "published": e.published.isoformat() if e.published else None}
                for e in entries]
        click.echo(json.dumps(rows, indent=1, ensure_ascii=False))
        return
    for e in entries:
        when = e.published.strftime("%Y-%m-%d") if e.published else "?"
        click.echo(f"{when}  {e.duration_s // 60:3d}:{e.duration_s % 60:02d}  {e.slug}  "
                   f"{e.guid}  {e.title}")


@feed.command("remove")
@click.argument("episode")
@_FEED_OPTION
@reports_errors
def feed_remove(episode: str, feed_path: Path) -> None:
    """Remove an episode (by guid or slug) from the feed; its files stay.

    \b
    Example:
      narrate feed remove chapter-1
    """
    from narrate.feed import remove_episode

    entry = remove_episode(feed_path, episode)
    click.echo(f"removed {entry.slug}  guid {entry.guid}")


@feed.command("check")
@_FEED_OPTION
@reports_errors
def feed_check(feed_path: Path) -> None:
    """Check the feed against Apple Podcasts' requirements; exit 1 on any error.

    Required tags, artwork size and format, enclosure files present with the
    stated length, unique guids, dates and durations.

    \b
    Example:
      narrate feed check --feed output/feed.xml
    """
    from narrate.feed import Severity, check_feed

    problems = check_feed(feed_path)
    for problem in problems:
        click.echo(str(problem))
    errors = sum(p.severity is Severity.ERROR for p in problems)
    if errors:
        raise click.ClickException(f"{errors} error(s) in {feed_path}")
    click.echo(f"ok: {feed_path} ({len(problems)} warning(s))", err=True)


@cli.command()
@click.argument("folder", default=Path("output"),
                type=click.Path(path_type=Path, file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 for every one).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@reports_errors
def serve(folder: Path, host: str, port: int) -> None:
    """Serve the feed, show page and media with HEAD and byte ranges.

    \b
    Example:
      narrate serve output/ --port 8000
    """
    from narrate.serve import serve as serve_folder

    serve_folder(folder, host=host, port=port, ready=lambda url: click.echo(
        f"serving {folder} at {url} (Ctrl-C to stop)", err=True))


def main() -> None:
    cli(prog_name="narrate")
