"""The command line's shared pieces: error reporting, verbosity, options several commands
take, and the progress line. Commands themselves are in `narrate.cli`."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

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
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except OSError as e:
            # a full disk, a folder we may not write: the user's to fix, so say what and where
            where = f": {e.filename}" if e.filename else ""
            raise click.ClickException(f"{e.strerror or e}{where}") from e
        except Exception as e:
            # a bug of ours still gets one line; -vv logs where it happened
            logging.getLogger("narrate").debug("unexpected error", exc_info=True)
            raise click.ClickException(
                f"unexpected {type(e).__name__}: {e} (a bug in narrate; run with -vv to see "
                "where, and please report it)") from e

    return wrapper  # type: ignore[return-value]


def set_verbosity(ctx: click.Context, verbose: int, quiet: bool) -> None:
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
            set_verbosity(ctx, 0, True)
        elif param.name == "verbose" and value:
            set_verbosity(ctx, value, False)
        return value

    func = click.option("-v", "--verbose", count=True, expose_value=False, callback=callback,
                        help="More detail on stderr (-vv for debug).")(func)
    func = click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=callback,
                        help="Only errors on stderr; no progress display.")(func)
    return func


def accent_option(func: F) -> F:
    return click.option("--accent", type=click.Choice(["american", "british", "auto"]),
                        default=None, help="English of the narrator and characters [default: "
                        "the show's [casting] accent or saved cast, else the story's spelling]."
                        )(func)


def cast_options(func: F) -> F:
    """Casting options shared by `script` (read-only) and others."""
    func = click.option("--narrator", default=None, help="Narrator voice id (default: the "
                        "show's saved narrator, else kokoro:af_heart, kokoro:bm_george for "
                        "British; piper:joe until `narrate voices install`).")(func)
    func = accent_option(func)
    func = click.option("--voices-dir", type=click.Path(path_type=Path, file_okay=False),
                        help="Folder of voice presets, user voices, casts and lexicons "
                             "[default: ./voices or $NARRATE_VOICES_DIR].")(func)
    func = click.option("--voice", multiple=True, metavar="NAME=VOICE",
                        help="Cast a character, e.g. \"Ann Lee=kokoro:jf_alpha\". "
                             "Repeatable.")(func)
    func = click.option("--show", default=None,
                        help="Show whose saved cast (voices/<show>.cast.toml) to use.")(func)
    return func
def cache_dir_option(func: F) -> F:
    return click.option(
        "--cache-dir", type=click.Path(path_type=Path, file_okay=False), envvar="NARRATE_CACHE_DIR",
        default=None, help="Segment cache folder (env NARRATE_CACHE_DIR; default: the user "
        "cache directory).")(func)


def _clock(seconds: float) -> str:
    h, rest = divmod(round(seconds), 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


def progress_printer() -> Callable[[Any], None]:
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


def show_options(func: F) -> F:
    """--config/--show/--base-url/--title: where the show config comes from, and overrides."""
    func = click.option("--title", help="Show title (overrides the config).")(func)
    func = click.option("--base-url", help="URL where the files will be hosted "
                        "(overrides [show] base_url and $NARRATE_SHOW_BASE_URL).")(func)
    func = click.option("--show", "show_name",
                        help="The show, named as `render --show` names it: voices/<show>.toml, "
                             "else narrate.toml, else the defaults titled SHOW (default: the "
                             "show the episodes' metadata names).")(func)
    func = click.option("--config", "config_path",
                        type=click.Path(path_type=Path, exists=True, dir_okay=False),
                        help="Show config file (default: narrate.toml here, if any).")(func)
    return func
