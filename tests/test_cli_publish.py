from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from feedkit import BASE_URL, cover_jpeg, make_episode

from narrate.cli import cli


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with a narrate.toml and two rendered episodes in output/."""
    monkeypatch.chdir(tmp_path)
    for key in ("TITLE", "BASE_URL", "IMAGE"):
        monkeypatch.delenv(f"NARRATE_SHOW_{key}", raising=False)
    cover_jpeg(tmp_path / "cover.jpg")
    (tmp_path / "narrate.toml").write_text(
        f'[show]\ntitle = "Night Stories"\nauthor = "A. Reader"\nimage = "cover.jpg"\n'
        f'base_url = "{BASE_URL}"\n')
    make_episode(tmp_path / "output", "one", guid="g-one",
                 published="2024-01-01T00:00:00Z")
    make_episode(tmp_path / "output", "two", guid="g-two", published="2024-02-01T00:00:00Z")
    return tmp_path


def test_publish_list_check_remove(project: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["publish", "output/one.mp3", "output/two.mp3"])
    assert r.exit_code == 0, r.output
    assert "published one  guid g-one" in r.output
    r = runner.invoke(cli, ["feed", "list"])
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert [line.split()[3] for line in lines] == ["g-two", "g-one"]
    r = runner.invoke(cli, ["feed", "list", "--format", "json"])
    assert [row["slug"] for row in json.loads(r.output)] == ["two", "one"]
    r = runner.invoke(cli, ["feed", "check"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["feed", "remove", "one"])
    assert r.exit_code == 0 and "removed one  guid g-one" in r.output
    r = runner.invoke(cli, ["feed", "list"])
    assert len(r.output.splitlines()) == 1


def test_flags_override_the_config(project: Path) -> None:
    r = CliRunner().invoke(cli, ["publish", "output/one.mp3", "--base-url",
                                 "https://cdn.example.net/x/", "--title", "Other"])
    assert r.exit_code == 0, r.output
    feed = (project / "output" / "feed.xml").read_text()
    assert "<title>Other</title>" in feed
    assert 'url="https://cdn.example.net/x/one.mp3"' in feed


def test_check_fails_on_errors(project: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["publish", "output/one.mp3"])
    (project / "output" / "one.mp3").unlink()
    r = runner.invoke(cli, ["feed", "check"])
    assert r.exit_code == 1
    assert "one.mp3 is missing" in r.output
    assert "Error: 1 error(s)" in r.output


@pytest.mark.parametrize("args, message", [
    (["publish", "output/nope.mp3"], "nope.mp3 not found"),
    (["feed", "list", "--feed", "none.xml"], "no feed at none.xml"),
    (["feed", "remove", "zzz"], "no feed at output/feed.xml"),
    (["feed", "check", "--feed", "none.xml"], "no feed at none.xml"),
    (["serve", "missing-folder"], "is not a folder"),
])
def test_errors_are_one_line(project: Path, args: list[str], message: str) -> None:
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 1
    assert message in r.output
    assert "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1


def test_bad_config_is_reported(project: Path) -> None:
    (project / "narrate.toml").write_text('[show]\nexplicit = "sometimes"\n')
    r = CliRunner().invoke(cli, ["publish", "output/one.mp3"])
    assert r.exit_code == 1 and "explicit must be true or false" in r.output
    assert not (project / "output" / "feed.xml").exists()


@pytest.mark.parametrize("command", [["publish"], ["feed"], ["feed", "list"], ["feed", "remove"],
                                     ["feed", "check"], ["serve"]])
def test_every_command_has_help(command: list[str]) -> None:
    r = CliRunner().invoke(cli, [*command, "--help"])
    assert r.exit_code == 0 and "Usage:" in r.output


@pytest.fixture
def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Rendered episodes of the show "Night Stories", and no show config anywhere."""
    monkeypatch.chdir(tmp_path)
    for key in ("TITLE", "BASE_URL", "IMAGE"):
        monkeypatch.delenv(f"NARRATE_SHOW_{key}", raising=False)
    make_episode(tmp_path / "output", "one", guid="g-one")
    make_episode(tmp_path / "output", "two", guid="g-two")
    return tmp_path


def _feed_title(folder: Path) -> str:
    import feedparser

    return str(feedparser.parse((folder / "output" / "feed.xml").read_bytes()).feed.title)


def test_publish_names_the_show_its_episodes_name(bare: Path) -> None:
    """Without --title the show was renamed "Narrated stories" (the default), though every
    episode said "show": "Night Stories"."""
    r = CliRunner().invoke(cli, ["publish", "output/one.mp3", "output/two.mp3"])
    assert r.exit_code == 0, r.output
    assert _feed_title(bare) == "Night Stories"


def test_publish_show_takes_the_name_render_show_takes(bare: Path) -> None:
    r = CliRunner().invoke(cli, ["publish", "output/one.mp3", "--show", "Night Stories"])
    assert r.exit_code == 0, r.output
    assert _feed_title(bare) == "Night Stories"
    r = CliRunner().invoke(cli, ["publish", "output/one.mp3", "--title", "Other"])
    assert r.exit_code == 0, r.output
    assert _feed_title(bare) == "Other"
