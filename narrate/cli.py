"""The `narrate` command line: parses options and calls the library; no logic lives here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from narrate import __version__
from narrate.cli_options import (
    accent_option,
    cache_dir_option,
    cast_options,
    progress_printer,
    reports_errors,
    set_verbosity,
    show_options,
    verbosity_options,
)


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
    set_verbosity(ctx, verbose, quiet)


@cli.command()
@click.argument("story", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text",
              show_default=True, help="json: the machine contract; text: a readable listing.")
@click.option("--extract", is_flag=True,
              help="Print the plain text narrate reads from STORY (extracted from an EPUB, HTML "
                   "or Markdown file; a .txt file as it is): the script's start/end offsets "
                   "index it.")
@click.option("--characters", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Cast hint: JSON {\"characters\": [{name, aliases, gender}]} or TOML.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write an editable script: .json, or a text form (e.g. story.script.txt) "
                   "to fix speakers, voices and pronunciations; render it with --script.")
@click.option("--doubtful", is_flag=True,
              help="List only the dialogue lines whose speaker attribution is doubtful (marked "
                   "'?'), with their offsets, to review them.")
@cast_options
@reports_errors
def script(story: Path, fmt: str, extract: bool, characters: Path | None,
           output: Path | None, doubtful: bool, show: str | None, voice: tuple[str, ...],
           voices_dir: Path | None, narrator: str | None, accent: str | None) -> None:
    """Split a story into narration and dialogue, show who speaks each line and with which
    voice (the show's saved cast is read, not changed).

    STORY is a .txt, .md/.markdown, .html/.htm/.xhtml or .epub file. Skipped boilerplate
    (author boxes, teaser lists...) is listed with the reason.

    \b
    Example:
      narrate script story.txt --format json --characters cast.json
      narrate script story.txt -o story.script.txt
      narrate script book.epub --extract > book.txt
      narrate script story.txt --doubtful
    """
    from narrate.script import load_characters
    from narrate.text import build_script, read_source
    from narrate.voices.casting import (
        DEFAULT_NARRATOR,
        DEFAULT_SHOW,
        apply_cast,
        cast_for_show,
        parse_voice_overrides,
    )
    from narrate.voices.config import use_voices_dir
    from narrate.voices.traits import parse_accent

    source = read_source(story)
    if extract:
        click.echo(source.text, nl=False)
        return
    cast = load_characters(characters) if characters else ()
    result = build_script(source.text, characters=cast, title=source.title or story.stem,
                          source=str(story), meta=source.meta)
    use_voices_dir(voices_dir)
    voices = cast_for_show(result, show=show or DEFAULT_SHOW, folder=voices_dir,
                           narrator=narrator or DEFAULT_NARRATOR,
                           overrides=parse_voice_overrides(voice), save=False,
                           accent=parse_accent(accent))
    result = apply_cast(result, voices)
    if output:
        from narrate.text.script_file import save_script

        save_script(result, output)
        click.echo(f"wrote {output} ({len(result.spoken)} spoken segments, "
                   f"{len(result.speakers())} speakers)", err=True)
        return
    click.echo(result.to_json() if fmt == "json" else _listing(result, only_doubtful=doubtful))


def _listing(result: Any, only_doubtful: bool = False) -> str:
    from narrate.text.script_file import confidence_mark
    from narrate.text.script_file import doubtful as is_doubtful

    lines = []
    for index, seg in enumerate(result.segments):
        kind = seg.kind.value
        if kind == "space":
            continue
        if only_doubtful:
            if kind == "dialogue" and is_doubtful(seg.confidence):
                lines.append(f"@{index} {seg.start}-{seg.end} [{seg.speaker}? "
                             f"{seg.confidence:.2f} {seg.reason}] {' '.join(seg.text.split())}")
            continue
        if kind == "dialogue":
            label = f"dialogue:{seg.speaker}"
            if is_doubtful(seg.confidence):
                label += f" ({confidence_mark(seg.confidence)})"
        elif kind == "skipped":
            label = f"skipped: {seg.reason}"
        else:
            label = kind
        if seg.voice:
            label += f" ({seg.voice})"
        lines.append(f"[{label}] {' '.join(seg.text.split())}")
    return "\n".join(lines)


@cli.command()
@click.argument("stories", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("output"), show_default=True, help="Folder for the episodes.")
@click.option("--script", "script_files", multiple=True,
              type=click.Path(path_type=Path, dir_okay=False),
              help="Render an edited script (from `narrate script -o FILE`) as it is. "
                   "Repeatable; instead of STORIES. With --split chapters, name it after the "
                   "book (book.script.txt) to replace the book's episodes.")
@click.option("--publish", "publish_feed", is_flag=True,
              help="Add the episodes to OUTPUT/feed.xml (show config: voices/<show>.toml or "
                   "narrate.toml) and update the show page.")
@click.option("--narrator", default=None, help="Narrator voice id (default: kokoro:af_heart, "
              "kokoro:bm_george for British; piper:joe until `narrate voices install`).")
@accent_option
@click.option("--draft", is_flag=True, help="Quick proof listen with the fastest voices: Piper's "
              "joe narrates, variants of it speak for the characters (the show's cast is "
              "kept).")
@click.option("--show", default=None, help="Show name (seeds the music; groups the cast).")
@click.option("--no-music", is_flag=True, help="Leave out the intro and outro music.")
@click.option("--voice", multiple=True, metavar="NAME=VOICE",
              help="Cast a character (or Narrator), e.g. \"Ann Lee=kokoro:jf_alpha\"; saved in "
                   "the show's cast file. Repeatable.")
@click.option("--voices-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of voice presets, user voices, casts and lexicons [default: ./voices "
                   "or $NARRATE_VOICES_DIR].")
@click.option("--fallback-engine", metavar="ENGINE",
              help="Offline engine (e.g. piper) that stands in when an online voice (gtts) "
                   "cannot be reached.")
@click.option("--check", "check_audio", is_flag=True,
              help="Transcribe the result, re-render segments that do not say their text once "
                   "with another voice, report the rest (needs the `check` extra).")
@click.option("--episode", "episode_title", default=None, metavar="TITLE",
              help="Episode title; with several stories, make them ONE episode of this title; "
                   "with --split chapters, the book's title.")
@click.option("--split", type=click.Choice(["none", "chapters"]), default="none",
              show_default=True,
              help="chapters: make a book a series, one episode per chapter (from its "
                   "headings; chapters under 150 words join the next), numbered in the feed.")
@click.option("--intro", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Your own intro music (any audio file) instead of the generated theme.")
@click.option("--outro", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Your own outro music.")
@click.option("--loudness", "loudness_lufs", type=float, default=-16.0, show_default=True,
              help="Integrated loudness target in LUFS (e.g. -19 for mono).")
@click.option("--bitrate", "bitrate_kbps", type=int, default=96, show_default=True,
              help="MP3 bitrate in kbit/s (CBR, mono).")
@click.option("--cover", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Cover image (JPEG/PNG; cropped square, 1400-3000 px). Default: an EPUB's "
                   "own cover, else drawn.")
@click.option("--description", default=None, help="Episode description for tags and feed.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Synthesis worker processes (default: one per core).")
@click.option("--executor", type=click.Choice(["local", "serial", "dask"]), default="local",
              show_default=True, help="Where synthesis runs: a local process pool, this process, "
              "or a Dask cluster.")
@click.option("--address", envvar="DASK_SCHEDULER_ADDRESS", default=None,
              help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (env DASK_SCHEDULER_ADDRESS).")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default=None,
              help="Where Kokoro and Piper run: cuda needs a GPU and `pip install "
              "'narrate[gpu]'` [default: $NARRATE_DEVICE, else auto: cuda when there is one].")
@cache_dir_option
@click.option("--cache-max", "cache_max", metavar="SIZE", default=None,
              help="When done, prune the segment cache to SIZE, least recently used first and "
                   "never this render's speech: 500M, 2G, 1.5GB, 750MiB; 0 or off: no cap "
                   "[default: $NARRATE_CACHE_MAX, else 10G].")
@click.option("--force", is_flag=True, help="Render again even stories whose episode is up to "
              "date (the segment cache is still used).")
@verbosity_options
@click.pass_context
@reports_errors
def render(ctx: click.Context, stories: tuple[Path, ...], out_dir: Path,
           script_files: tuple[Path, ...], publish_feed: bool, narrator: str | None,
           accent: str | None, draft: bool,
           show: str | None, no_music: bool, voice: tuple[str, ...], voices_dir: Path | None,
           fallback_engine: str | None, check_audio: bool, episode_title: str | None,
           intro: Path | None, outro: Path | None, loudness_lufs: float, bitrate_kbps: int,
           cover: Path | None, description: str | None, jobs: int | None, executor: str,
           address: str | None, cache_dir: Path | None, cache_max: str | None,
           force: bool, split: str, device: str | None = None) -> None:
    """Render story files, or folders of them, to MP3 episodes.

    A story is a .txt, .md/.markdown, .html/.htm/.xhtml or .epub file; a folder gives every
    such file in it, in name order. An EPUB's title becomes the episode's title, its chapter
    headings its chapters, and its cover the episode's cover (unless --cover is given).

    Synthesised speech is cached: a render that was interrupted resumes where it stopped, and
    after an edit only the changed paragraphs are spoken again. When the render is done the
    cache is pruned to --cache-max, speech used longest ago first.

    Each story becomes an episode (MP3 with tags, cover and chapters, plus .vtt, .srt,
    .chapters.json and cover .jpg beside it); with --episode, all stories make one episode.
    With --split chapters, each chapter of a book becomes an episode <book>-01-<chapter>,
    all voiced by one cast and numbered in reading order.

    \b
    Example:
      narrate render examples/*.txt -o output/ --publish
      narrate render a.txt b.txt --episode "Two Tales" --loudness -19
      narrate render --script story.script.txt
      narrate render stories/ -j 2
      narrate render book.epub --narrator kokoro:bm_george --accent british
      narrate render story.txt --draft
      narrate render book.epub --split chapters --publish
      narrate render --script book.script.txt --split chapters
      narrate render book.txt --executor dask --address tcp://scheduler:8786
    """
    from narrate.audio.cache import parse_cache_max
    from narrate.pipeline import (
        DEFAULT_SHOW,
        RenderOptions,
        publish_episodes,
        render_script_files,
        render_stories,
    )
    from narrate.script import NARRATOR
    from narrate.voices.casting import DEFAULT_NARRATOR, parse_voice_overrides
    from narrate.voices.traits import parse_accent

    if bool(stories) == bool(script_files):
        raise click.UsageError("give story files (or folders), or --script FILE, not both")
    if address and executor != "dask" and ctx.get_parameter_source("address") is \
            click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError("--address is for --executor dask")
    if split != "none" and episode_title and (len(stories) > 1 or len(script_files) > 1
                                              or any(p.is_dir() for p in stories)):
        raise click.UsageError("--episode TITLE makes several stories one episode and --split "
                               "chapters one episode per chapter: drop one, or give one book")
    overrides = parse_voice_overrides(voice)
    if narrator:  # an explicit --narrator beats the show's saved narrator
        overrides.setdefault(NARRATOR, narrator)
    options = RenderOptions(narrator=narrator or DEFAULT_NARRATOR, show=show or DEFAULT_SHOW,
                            music=not no_music, voice_overrides=overrides, voices_dir=voices_dir,
                            fallback_engine=fallback_engine, check=check_audio,
                            episode_title=episode_title, intro=intro, outro=outro,
                            loudness_lufs=loudness_lufs, bitrate_kbps=bitrate_kbps, cover=cover,
                            description=description, executor=executor, jobs=jobs,
                            address=address, cache_dir=cache_dir, force=force, split=split,
                            device=device,
                            cache_max=None if cache_max is None else parse_cache_max(cache_max),
                            draft=draft, accent=parse_accent(accent))
    quiet = ctx.find_root().obj.get("quiet", False)
    progress = None if quiet else progress_printer()
    episodes = (render_script_files(list(script_files), out_dir, options=options,
                                    progress=progress) if script_files else
                render_stories(list(stories), out_dir, options=options, progress=progress))
    for episode in episodes:
        if not quiet:
            click.echo(f"\r\x1b[K{out_dir / episode.mp3}  {episode.duration_s:.1f} s  "
                       f"{episode.loudness_lufs} LUFS  {episode.true_peak_dbtp} dBTP", err=True)
        check_report = episode.meta.get("check")
        if check_report:
            click.echo(check_report["summary"], err=True)
    if publish_feed:
        for entry in publish_episodes(episodes, out_dir, show=show, voices_dir=voices_dir):
            if not quiet:
                click.echo(f"published {entry.slug} in {out_dir / 'feed.xml'}", err=True)


@cli.group(invoke_without_command=True)
@click.option("--sample", "sample_voice", metavar="VOICE",
              help="Speak a short sample with VOICE (needs -o).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Where to write the sample (.mp3, .wav, .ogg, .flac).")
@click.option("--text", default=None, help="What the sample says.")
@click.option("--voices-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of voice presets and user voices [default: ./voices].")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@verbosity_options
@click.pass_context
@reports_errors
def voices(ctx: click.Context, sample_voice: str | None, output: Path | None, text: str | None,
           voices_dir: Path | None, as_json: bool) -> None:
    """List the voices this machine can use now, by accent and gender, and why others cannot
    be used; `narrate voices install` adds the 28 native English Kokoro voices.

    \b
    Examples:
      narrate voices
      narrate voices install
      narrate voices --sample kokoro:af_heart -o heart.mp3
    """
    if ctx.invoked_subcommand:
        return
    from narrate.voices.config import use_voices_dir

    use_voices_dir(voices_dir)
    if sample_voice:
        if not output:
            raise click.UsageError("--sample needs -o FILE, e.g. -o sample.mp3")
        from narrate.voices.voicing import speak_sample

        click.echo(speak_sample(sample_voice, output, text=text))
        return
    if output or text:
        raise click.UsageError("-o and --text go with --sample VOICE")
    from narrate.voices.casting import voice_statuses

    statuses = voice_statuses(probe=True)
    if as_json:
        import json

        click.echo(json.dumps([{"id": s.id, "available": s.reason is None, "reason": s.reason,
                                **({"engine": s.voice.engine, "gender": s.voice.gender.value,
                                    "language": s.voice.language,
                                    "sample_rate": s.voice.sample_rate,
                                    "offline": s.voice.offline, "age": s.voice.age,
                                    "description": s.voice.description} if s.voice else {})}
                               for s in statuses], indent=1))
        return
    usable = [s for s in statuses if s.reason is None and s.voice]
    width = max((len(s.id) for s in usable), default=10)
    groups: dict[tuple[str, str], list[Any]] = {}
    for s in usable:
        assert s.voice is not None
        groups.setdefault((s.voice.language, s.voice.gender.value), []).append(s)
    languages = {"en-US": "American English", "en-GB": "British English"}
    from narrate.voices.choice import grade

    for (language, gender), members in sorted(
            groups.items(), key=lambda kv: (list(languages).index(kv[0][0])
                                            if kv[0][0] in languages else 9, kv[0])):
        # the native English voices best first, then the others as their engines list them
        members.sort(key=lambda s: (s.voice.engine != "kokoro" or "(grade" not in
                                    s.voice.description, -grade(s.voice)))
        click.echo(f"{languages.get(language, language)}, {gender} ({len(members)}):")
        for s in members:
            v = s.voice
            where = "" if v.offline else "  [online]"
            click.echo(f"  {s.id:<{width}}  {v.description}{where}")
    missing = [s for s in statuses if s.reason is not None]
    if missing:
        click.echo("\nNot available here:")
        for s in missing:
            click.echo(f"  {s.id}: {s.reason}")
    offline = sum(1 for s in usable if s.voice and s.voice.offline)
    click.echo(f"\n{len(usable)} voices usable ({offline} offline). Variants: VOICE@pitch=-2,"
               "tempo=0.95,timbre=warm; Kokoro blends: kokoro:af_heart+af_bella.")


@voices.command("install")
@click.option("--from", "tarball", type=click.Path(path_type=Path, dir_okay=False),
              help="Install from an already packed kokoro-js .tgz (`npm pack kokoro-js@1.2.1`) "
                   "instead of fetching it with npm.")
@click.option("--force", is_flag=True, help="Install again even when the voices are there.")
@verbosity_options
@reports_errors
def voices_install(tarball: Path | None, force: bool) -> None:
    """Install Kokoro's 28 native English voices (American and British) from the npm package
    kokoro-js 1.2.1 (Apache-2.0) into narrate's data folder ($NARRATE_DATA_DIR overrides it).

    Fetched once with npm, which checks the package's integrity; idempotent, and offline from
    then on. The voices already installed keep working if this fails.

    \b
    Examples:
      narrate voices install
      narrate voices install --from kokoro-js-1.2.1.tgz
    """
    from narrate.voices.install import install_voices

    click.echo(install_voices(tarball, force=force).summary())


@cli.command()
@click.argument("episode", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--vtt", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Timed transcript of the episode [default: <episode>.vtt beside it].")
@click.option("--max-wer", type=float, default=None,
              help="Exit 1 when the overall word error rate is above this.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@verbosity_options
@reports_errors
def check(episode: Path, vtt: Path | None, max_wer: float | None, as_json: bool) -> None:
    """Transcribe an episode segment by segment and flag segments whose audio does not say
    their text (garbled, cut off, silent). Needs the `check` extra.

    \b
    Example:
      narrate check output/my-story.mp3
    """
    from narrate.audio.check import check_episode

    report = check_episode(episode, vtt=vtt)
    click.echo(report.to_json() if as_json else report.summary())
    if max_wer is not None and report.wer > max_wer:
        raise click.ClickException(f"word error rate {report.wer:.3f} is above {max_wer}")


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
    from narrate.pipeline.publishing import show_config_for_episodes
    from narrate.publish.feed import publish as publish_episodes

    show = show_config_for_episodes(episodes, config=config_path, show=show_name,
                                    overrides={"base_url": base_url, "title": title})
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
    """List the feed's episodes, newest first; a book's chapter-episodes (render --split
    chapters) are listed together in reading order, with the book and their number.

    \b
    Example:
      narrate feed list --feed output/feed.xml
    """
    import json
    from dataclasses import asdict

    from narrate.publish.feed import in_reading_order, list_episodes

    entries = in_reading_order(list_episodes(feed_path))
    if fmt == "json":
        rows = [{**asdict(e), "published": e.published.isoformat() if e.published else None}
                for e in entries]
        click.echo(json.dumps(rows, indent=1, ensure_ascii=False))
        return
    for e in entries:
        when = e.published.strftime("%Y-%m-%d") if e.published else "?"
        book = f"  ({e.book})" if e.book else ""
        click.echo(f"{when}  {e.duration_s // 60:3d}:{e.duration_s % 60:02d}  {e.slug}  "
                   f"{e.guid}  {e.title}{book}")


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
    from narrate.publish.feed import remove_episode

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
    from narrate.publish.feed import Severity, check_feed

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
              help="Interface to listen on: 0.0.0.0 for every one, so podcast apps on your "
                   "network can subscribe (the feed's URLs follow the address they use).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@reports_errors
def serve(folder: Path, host: str, port: int) -> None:
    """Serve the feed, show page and media with HEAD and byte ranges.

    Only what the feed and show page publish is served (feed.xml, index.html, the
    episodes' MP3s, transcripts, chapters and covers); nothing else in FOLDER.

    \b
    Example:
      narrate serve output/ --port 8000
      narrate serve output/ --host 0.0.0.0 --port 8765   # apps on your network
    """
    from narrate.publish.serve import serve as serve_folder

    serve_folder(folder, host=host, port=port, ready=lambda url: click.echo(
        f"serving {folder} at {url} (Ctrl-C to stop)", err=True))


@cli.command()
@click.argument("path", metavar="STORY|SCRIPT", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535),
              help="Port on 127.0.0.1 (the studio never listens on other interfaces).")
@click.option("--no-browser", is_flag=True, help="Print the URL only; do not open a browser.")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("output"), show_default=True, help="Folder for the rendered episode.")
@click.option("--show", default=None, help="Show whose saved cast and lexicon to use.")
@click.option("--narrator", default=None, help="Narrator voice id for a story's new script.")
@click.option("--voices-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of voice presets, user voices, casts and lexicons [default: ./voices "
                   "or $NARRATE_VOICES_DIR].")
@click.option("--no-music", is_flag=True, help="Render without the intro and outro music.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Synthesis worker processes for a render (default: one per core).")
@cache_dir_option
@verbosity_options
@reports_errors
def studio(path: Path, port: int, no_browser: bool, out_dir: Path, show: str | None,
           narrator: str | None, voices_dir: Path | None, no_music: bool, jobs: int | None,
           cache_dir: Path | None) -> None:
    """Review and fix a script in the browser: every line with its speaker, change speakers,
    voices and pronunciations, hear any line, render the episode and play it.

    STORY is a story file (its editable script, STORY-NAME.script.txt, is made beside it the
    way `narrate script -o` makes it, or opened when it is there); SCRIPT is such a script.
    Edits are saved into that file, so `narrate render --script FILE` renders them too. The
    studio listens on 127.0.0.1 only.

    \b
    Example:
      narrate studio examples/the-last-train-to-ashford.txt
      narrate studio story.script.txt --port 8800 --no-browser
    """
    from narrate.pipeline import DEFAULT_SHOW, RenderOptions
    from narrate.studio import run_studio
    from narrate.voices.casting import DEFAULT_NARRATOR
    from narrate.voices.config import use_voices_dir

    use_voices_dir(voices_dir)
    options = RenderOptions(narrator=narrator or DEFAULT_NARRATOR, show=show or DEFAULT_SHOW,
                            music=not no_music, voices_dir=voices_dir, jobs=jobs,
                            cache_dir=cache_dir)
    run_studio(path, port=port, out_dir=out_dir, options=options, open_browser=not no_browser,
               ready=lambda url, script_file: click.echo(
                   f"narrate studio: {url}  (editing {script_file}; Ctrl-C to stop)", err=True))


@cli.group()
def cache() -> None:
    """Inspect, prune or empty the segment cache (synthesised speech kept between renders)."""


@cache.command("info")
@cache_dir_option
@reports_errors
def cache_info(cache_dir: Path | None) -> None:
    """Show where the cache is, how many segments it holds, their size, and the cap renders
    prune it to.

    \b
    Example:
      narrate cache info
    """
    import os

    from narrate.audio.cache import CACHE_MAX_ENV, SegmentCache, cache_cap, format_size

    info = SegmentCache(cache_dir).info()
    cap = cache_cap()
    source = f"${CACHE_MAX_ENV}" if os.environ.get(CACHE_MAX_ENV, "").strip() else "default"
    click.echo(f"path: {info.path}\nsegments: {info.entries}\nsize: {format_size(info.bytes)}\n"
               f"cap after each render: {format_size(cap) if cap else 'none'} ({source}; "
               "narrate render --cache-max SIZE overrides)")


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
    from narrate.audio.cache import SegmentCache, format_size

    store = SegmentCache(cache_dir)
    if not yes:
        click.confirm(f"Delete the segment cache in {store.root}?", abort=True)
    removed = store.clear()
    click.echo(f"removed {removed.entries} segments ({format_size(removed.bytes)}) from "
               f"{removed.path}")


@cache.command("prune")
@cache_dir_option
@click.option("--max-size", metavar="SIZE", default=None,
              help="Remove the segments used longest ago until the cache takes at most SIZE: "
                   "500M, 2G, 1.5GB, 750MiB or bytes.")
@click.option("--older-than", "older_than", type=click.FloatRange(min=0), default=None,
              metavar="DAYS", help="Remove the segments not used for DAYS days.")
@reports_errors
def cache_prune(cache_dir: Path | None, max_size: str | None, older_than: float | None) -> None:
    """Remove the segments used longest ago, down to a size or by age (renders prune to their
    --cache-max themselves). Left-over temporary files of killed renders go too.

    \b
    Example:
      narrate cache prune --max-size 2G
      narrate cache prune --older-than 30
    """
    if max_size is None and older_than is None:
        raise click.UsageError("give --max-size SIZE, --older-than DAYS, or both")
    from narrate.audio.cache import SegmentCache, format_size, parse_size

    limit = None if max_size is None else parse_size(max_size, what="--max-size")
    result = SegmentCache(cache_dir).prune(limit, older_than_days=older_than)
    click.echo(f"removed {result.removed.entries} segments ({format_size(result.removed.bytes)}) "
               f"from {result.removed.path}")
    if result.temporaries:
        click.echo(f"removed {result.temporaries} temporary files left by killed renders")
    click.echo(f"left: {result.left.entries} segments ({format_size(result.left.bytes)})")


def main() -> None:
    cli(prog_name="narrate")
