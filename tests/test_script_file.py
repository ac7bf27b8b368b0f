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


def test_text_form_keeps_each_lines_confidence_and_rule(story, tmp_path):
    script = build_script(STORY, source=str(story))
    out = save_script(script, tmp_path / "s.script.txt")
    raw = out.read_text(encoding="utf-8")
    assert re.search(r"^@\d+ dialogue \d+-\d+ \(0\.\d\d speech_verb\) \[Mila\]", raw, re.M)
    back = load_script(out)
    before = [(s.speaker, s.confidence, s.reason) for s in script.segments
              if s.kind is SegmentKind.DIALOGUE]
    after = [(s.speaker, s.confidence, s.reason) for s in back.segments
             if s.kind is SegmentKind.DIALOGUE]
    assert after == before and all(c is not None for _, c, _ in after)


def test_a_doubtful_line_is_marked_and_a_line_without_confidence_still_loads(tmp_path):
    path = tmp_path / "s.script.txt"
    path.write_text("@1 dialogue 0-5 (0.45? turn_taking) [Ann] Hello\n"
                    "@2 dialogue 6-9 [Bob] Hi\n", encoding="utf-8")
    segs = load_script(path).segments
    assert (segs[0].confidence, segs[0].reason) == (0.45, "turn_taking")
    assert segs[1].confidence is None
    path.write_text("@1 dialogue 0-5 (1.5 turn_taking) [Ann] Hello\n", encoding="utf-8")
    with pytest.raises(ScriptError, match="confidence"):
        load_script(path)
