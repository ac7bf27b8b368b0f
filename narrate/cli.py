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
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else
                                         logging.INFO if verbose else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    ctx.ensure_object(dict)
    ctx.obj["quiet"] = quiet
    ctx.obj["verbose"] = verbose


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


def main() -> None:
    cli(prog_name="narrate")
