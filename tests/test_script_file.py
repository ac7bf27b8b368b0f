import re

import pytest

from narrate.errors import ScriptError
from narrate.script import SegmentKind
from narrate.text import build_script
from narrate.text.script_file import load_script, save_script

STORY = ("A Quiet Evening\n\nDWTS fans waited. “Ready?” asked Mila.\n"
         "“Always,” said Pavel.\nAbout The Author\nReply\n")


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_json_round_trip(story, tmp_path):
    script = build_script(STORY, source=str(story))
    out = save_script(script, tmp_path / "s.json")
    assert load_script(out) == script


def test_text_form_round_trip_keeps_speakers_and_offsets(story, tmp_path):
    script = build_script(STORY, source=str(story), title="t")
    path = save_script(script, tmp_path / "story.script.txt")
    back = load_script(path)
    spoken = [(s.kind, s.start, s.end, s.speaker) for s in script.segments
              if s.kind is not SegmentKind.SPACE]
    assert [(s.kind, s.start, s.end, s.speaker) for s in back.segments] == spoken
    assert all(s.text == STORY[s.start:s.end] for s in back.segments)
    assert "# skipped: page furniture" in path.read_text(encoding="utf-8")


def test_edits_are_honoured(story, tmp_path):
    path = save_script(build_script(STORY, source=str(story)), tmp_path / "story.script.txt")
    text = path.read_text(encoding="utf-8")
    text = text.replace("[Pavel]", "[Pavel | kokoro:am_adam]").replace("Always", "Forever")
    text = re.sub(r"^(@\d+) skipped", r"\1 narration", text, count=1, flags=re.M)
    text += "# pronounce: Mila = Meela\n"
    path.write_text(text, encoding="utf-8")
    back = load_script(path)
    pavel = next(s for s in back.segments if s.speaker == "Pavel")
    assert pavel.voice == "kokoro:am_adam" and pavel.speak == "Forever,"
    assert any("Meela" in s.speak for s in back.segments)
    assert next(s for s in back.segments if s.text == "About The Author").spoken


def test_bad_lines_are_one_clear_error(tmp_path):
    path = tmp_path / "bad.script.txt"
    path.write_text("@1 banter 0-4 [X] hi\n", encoding="utf-8")
    with pytest.raises(ScriptError, match="unknown kind 'banter'"):
        load_script(path)
    path.write_text("just words\n", encoding="utf-8")
    with pytest.raises(ScriptError, match="line 1"):
        load_script(path)
    with pytest.raises(ScriptError, match="no such script"):
        load_script(tmp_path / "missing.txt")
