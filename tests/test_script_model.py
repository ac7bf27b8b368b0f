"""The Script data model: JSON round trip and the characters file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrate.errors import ScriptError
from narrate.script import Character, Gender, Script, Segment, SegmentKind, load_characters


def test_json_round_trip() -> None:
    script = Script(
        segments=(Segment(SegmentKind.NARRATION, 0, 5, "Hello", speak="Hello", speaker="Narrator"),
                  Segment(SegmentKind.DIALOGUE, 5, 10, "“Hi!”", speak="Hi!", speaker="Ann",
                          voice="kokoro:jf_alpha", paragraph=1)),
        characters=(Character("Ann", ("Ann", "Annie"), Gender.FEMALE),), title="T")
    again = Script.from_json(script.to_json())
    assert again == script


def test_characters_file_json_and_toml(tmp_path: Path) -> None:
    js = tmp_path / "cast.json"
    js.write_text(json.dumps({"characters": [{"name": "Ann", "aliases": ["Annie"],
                                              "gender": "female"}]}))
    assert load_characters(js)[0].gender is Gender.FEMALE
    tm = tmp_path / "cast.toml"
    tm.write_text('[[characters]]\nname = "Bob"\ngender = "m"\n')
    assert load_characters(tm) == (Character("Bob", (), Gender.MALE),)


def test_bad_characters_file(tmp_path: Path) -> None:
    bad = tmp_path / "cast.json"
    bad.write_text("{not json")
    with pytest.raises(ScriptError, match="not valid JSON"):
        load_characters(bad)
