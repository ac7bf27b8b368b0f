from __future__ import annotations

from pathlib import Path

import pytest

from narrate.errors import ConfigError
from narrate.publish.show import DEFAULT_BASE_URL, ShowConfig, load_show_config

TOML = """
[show]
title = "Night Stories"
author = "A. Reader"
explicit = true
image = "art/cover.jpg"
base_url = "https://pod.example.org/stories"

[render]
engine = "piper"
"""


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_show_config(cwd=tmp_path, env={})
    assert config == ShowConfig()
    assert config.feed_url == DEFAULT_BASE_URL + "feed.xml"


def test_file_then_env_then_flag(tmp_path: Path) -> None:
    (tmp_path / "narrate.toml").write_text(TOML)
    config = load_show_config(cwd=tmp_path, env={})
    assert (config.title, config.author, config.explicit) == ("Night Stories", "A. Reader", True)
    assert config.image == str(tmp_path / "art" / "cover.jpg")
    assert config.base == "https://pod.example.org/stories/"
    env = {"NARRATE_SHOW_TITLE": "From Env", "NARRATE_SHOW_EXPLICIT": "no"}
    config = load_show_config(cwd=tmp_path, env=env)
    assert (config.title, config.explicit) == ("From Env", False)
    config = load_show_config(cwd=tmp_path, env=env, overrides={"title": "From Flag",
                                                               "base_url": None})
    assert config.title == "From Flag"
    assert config.base_url == "https://pod.example.org/stories"


def test_named_show_reads_voices_folder(tmp_path: Path) -> None:
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "noir.toml").write_text('[show]\ntitle = "Noir"\n')
    config = load_show_config(show="noir", cwd=tmp_path, env={})
    assert (config.title, config.name) == ("Noir", "noir")
    with pytest.raises(ConfigError, match=r"voices/other\.toml"):
        load_show_config(show="other", cwd=tmp_path, env={})


@pytest.mark.parametrize("text, message", [
    ('[show]\ntitel = "x"\n', "unknown \\[show\\] key\\(s\\) titel"),
    ('[show]\nexplicit = "maybe"\n', "explicit must be true or false"),
    ('[show]\nbase_url = "ftp://x/"\n', "not an http\\(s\\) URL"),
    ('[show]\ntitle = 3\n', "title must be a string"),
    ('[show\n', "cannot read show config"),
])
def test_bad_config_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "show.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_show_config(path, env={})


def test_missing_named_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_show_config(tmp_path / "nope.toml", env={})
