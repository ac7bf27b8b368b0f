"""The studio's edit operations, applied to real scripts and written through the script file."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from narrate.script import NARRATOR, SegmentKind
from narrate.studio.edits import EditError, apply_edits, character_voice
from narrate.studio.project import Project, load_editable, script_path_for
from narrate.text.script_file import load_script

CAST = """show = "narrate"
narrator = "piper:joe"

[roles]
"Anna" = "piper:joe@pitch=3"
"Ben" = "piper:joe@pitch=-2"
"""


@pytest.fixture
def project(short_story: Path, tmp_path: Path) -> Project:
    voices = tmp_path / "voices"
    voices.mkdir(exist_ok=True)
    (voices / "narrate.cast.toml").write_text(CAST, encoding="utf-8")
    return Project.open(short_story, out_dir=tmp_path / "out", show="narrate", voices_dir=voices)


def _index(project: Project, words: str) -> int:
    return next(i for i, s in enumerate(project.script().segments) if words in s.speak)


def test_a_story_gets_its_script_file_beside_it_written_as_narrate_script_does(
        project: Project, short_story: Path) -> None:
    assert project.script_path == script_path_for(short_story)
    assert project.script_path.name == "the-kettle.script.txt"
    text = project.script_path.read_text(encoding="utf-8")
    assert text.startswith("# narrate script 1")
    # the file's @ids are the indexes the studio uses: no silent spaces in the Script
    script = project.script()
    assert all(s.kind is not SegmentKind.SPACE for s in script.segments)
    for i, seg in enumerate(script.segments):
        assert f"@{i} {seg.kind.value} {seg.start}-{seg.end} " in text


def test_speaker_change_takes_the_new_speakers_voice(project: Project) -> None:
    line = _index(project, "Not yet")
    edited = apply_edits(project.script(), [{"op": "speaker", "segment": line,
                                             "speaker": "Ben"}])
    assert edited.segments[line].speaker == "Ben"
    assert edited.segments[line].voice == "piper:joe@pitch=-2"


def test_a_new_speaker_is_a_new_character_cast_at_render(project: Project) -> None:
    line = _index(project, "Not yet")
    edited = apply_edits(project.script(), [{"op": "speaker", "segment": line,
                                             "speaker": "Mrs Hale"}])
    assert edited.character("Mrs Hale") is not None
    assert edited.segments[line].voice is None


def test_voice_applies_to_every_line_of_the_character_and_the_narrator(project: Project) -> None:
    script = apply_edits(project.script(), [
        {"op": "voice", "character": "Anna", "voice": "piper:joe@pitch=5"},
        {"op": "voice", "character": NARRATOR, "voice": "piper:joe@tempo=0.95"}])
    annas = [s for s in script.segments if s.speaker == "Anna" and s.spoken]
    assert annas and all(s.voice == "piper:joe@pitch=5" for s in annas)
    narration = [s for s in script.segments if s.kind is SegmentKind.NARRATION]
    assert all(s.voice == "piper:joe@tempo=0.95" for s in narration)
    assert character_voice(script, "Anna") == "piper:joe@pitch=5"
    assert script.character("Anna").voice == "piper:joe@pitch=5"  # type: ignore[union-attr]


def test_unknown_voice_and_bad_segment_are_clear_errors(project: Project) -> None:
    with pytest.raises(EditError, match="no segment 999"):
        apply_edits(project.script(), [{"op": "text", "segment": 999, "speak": "x"}])
    with pytest.raises(Exception, match="nosuch"):
        apply_edits(project.script(), [{"op": "voice", "character": "Anna",
                                        "voice": "piper:nosuch"}])
    with pytest.raises(EditError, match="unknown operation"):
        apply_edits(project.script(), [{"op": "delete-everything"}])
    narration = _index(project, "filled the kettle")
    with pytest.raises(EditError, match="not dialogue"):
        apply_edits(project.script(), [{"op": "speaker", "segment": narration,
                                        "speaker": "Ben"}])
    with pytest.raises(EditError, match="usable name"):
        apply_edits(project.script(), [{"op": "speaker", "segment": _index(project, "Not yet"),
                                        "speaker": "Ben | kokoro:x"}])


def test_rename_and_merge(project: Project) -> None:
    script = apply_edits(project.script(), [{"op": "rename", "character": "Ben", "to": "Benny"}])
    assert "Benny" in script.speakers() and "Ben" not in script.speakers()
    merged = apply_edits(script, [{"op": "merge", "character": "Benny", "into": "Anna"}])
    assert merged.speakers() == ["Anna"]
    anna = merged.character("Anna")
    assert anna is not None and "Benny" in anna.aliases
    assert {s.voice for s in merged.segments if s.speaker == "Anna"} == {"piper:joe@pitch=3"}
    # renaming onto an existing name merges
    again = apply_edits(project.script(), [{"op": "rename", "character": "Ben", "to": "anna"}])
    assert again.speakers() == ["Anna"]


def test_saved_edits_are_what_narrate_render_script_reads(project: Project) -> None:
    line = _index(project, "Not yet")
    text_line = _index(project, "filled the kettle")
    project.save([
        {"op": "speaker", "segment": line, "speaker": "Ben"},
        {"op": "voice", "character": "Anna", "voice": "piper:joe@pitch=5"},
        {"op": "pronounce", "word": "Patience", "say": "PAY-shunce"},
        {"op": "text", "segment": text_line, "speak": "Anna filled the old kettle."},
    ])
    text = project.script_path.read_text(encoding="utf-8")
    assert f"@{line} dialogue" in text and "[Ben | piper:joe@pitch=-2] Not yet," in text
    assert "# pronounce: Patience = PAY-shunce" in text
    assert "voice: piper:joe@pitch=5" in text
    # the file keeps the words as written; the pronunciation applies when it is read to render
    assert "Patience, Ben." in text
    rendered = load_script(project.script_path)
    assert any("PAY-shunce, Ben." in s.speak for s in rendered.segments)
    assert rendered.segments[text_line].speak == "Anna filled the old kettle."
    # and the studio reads back the words, with the pronunciation beside them
    again = load_editable(project.script_path)
    assert again.meta["pronounce"] == {"Patience": "PAY-shunce"}
    assert any(s.speak == "Patience, Ben." for s in again.segments)
    # removing it gives the words back, untouched
    project.save([{"op": "pronounce", "word": "Patience", "say": ""}])
    assert "\n# pronounce:" not in project.script_path.read_text(encoding="utf-8")


def test_save_applies_to_the_file_as_it_is_now(project: Project) -> None:
    """An edit made meanwhile in a text editor is kept when the studio saves."""
    path = project.script_path
    project.script()
    text = path.read_text(encoding="utf-8").replace("[Ben | piper:joe@pitch=-2] Is it ready yet?",
                                                    "[Ben | piper:joe@pitch=-2] Is it ready?")
    path.write_text(text, encoding="utf-8")
    project.save([{"op": "pronounce", "word": "Ben", "say": "Benn"}])
    saved = path.read_text(encoding="utf-8")
    assert "Is it ready?" in saved and "# pronounce: Ben = Benn" in saved


def test_skip_and_read_again(project: Project) -> None:
    line = _index(project, "filled the kettle")
    skipped = apply_edits(project.script(), [{"op": "kind", "segment": line,
                                              "kind": "skipped"}])
    assert not skipped.segments[line].spoken
    back = apply_edits(skipped, [{"op": "kind", "segment": line, "kind": "narration"}])
    assert back.segments[line].spoken and back.segments[line].voice == "piper:joe"


def test_a_dialogue_line_given_to_the_narrator(project: Project) -> None:
    line = _index(project, "Is it ready yet?")
    script = apply_edits(project.script(), [{"op": "kind", "segment": line,
                                             "kind": "narration"}])
    seg = script.segments[line]
    assert seg.kind is SegmentKind.NARRATION and seg.speaker == NARRATOR
    assert seg.speak == "Is it ready yet?" and seg.voice == "piper:joe"
    assert "Ben" not in script.speakers()


def test_parts_cut_a_long_chapter(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    import narrate.studio.project as module

    monkeypatch.setattr(module, "PART_SEGMENTS", 3)
    parts = project.parts()
    assert parts[0].first == 0 and parts[-1].end == len(project.script().segments)
    assert all(p.end - p.first <= 3 for p in parts)
    assert all(a.end == b.first for a, b in itertools.pairwise(parts))
    assert parts[1].title.endswith("(continued)")


def test_a_line_under_an_alias_is_its_characters(project: Project) -> None:
    """Lines that name a character by an alias move with the character."""
    from dataclasses import replace

    from narrate.script import Character

    script = project.script()
    characters = tuple(replace(c, aliases=(*c.aliases, "Benjamin")) if c.name == "Ben" else c
                       for c in script.characters)
    line = _index(project, "Is it ready")
    segments = list(script.segments)
    segments[line] = replace(segments[line], speaker="Benjamin")
    script = replace(script, characters=characters, segments=tuple(segments))
    assert isinstance(script.character("Benjamin"), Character)
    voiced = apply_edits(script, [{"op": "voice", "character": "Ben", "voice": "piper:joe"}])
    assert voiced.segments[line].voice == "piper:joe"
    renamed = apply_edits(script, [{"op": "rename", "character": "Ben", "to": "Benny"}])
    assert renamed.segments[line].speaker == "Benny"


def test_a_speaker_set_or_confirmed_by_hand_is_no_longer_doubtful(project: Project) -> None:
    line = _index(project, "Not yet")
    other = _index(project, "Patience")
    script = project.script()
    assert getattr(script.segments[line], "confidence", None) is not None  # attribution's guess
    edited = apply_edits(script, [{"op": "speaker", "segment": line, "speaker": "Ben"},
                                  {"op": "confirm", "segment": other}])
    assert getattr(edited.segments[line], "confidence", 0) is None
    assert getattr(edited.segments[other], "confidence", 0) is None
    assert project.confidence(edited.segments[line]) is None
    project.save([{"op": "confirm", "segment": other}])
    saved = project.script_path.read_text(encoding="utf-8")
    assert re.search(rf"^@{other} dialogue \d+-\d+ \[Anna", saved, re.M)


def test_a_change_follows_its_line_when_the_file_changed_under_the_page(
        project: Project) -> None:
    script = project.script()
    line = _index(project, "Not yet")
    seg = script.segments[line]
    op = {"op": "speaker", "segment": line, "start": seg.start, "end": seg.end, "speaker": "Ben"}
    # someone deletes the heading's line in an editor: every index below it moves up one
    path = project.script_path
    path.write_text("\n".join(ln for ln in path.read_text(encoding="utf-8").splitlines()
                              if not ln.startswith("@0 heading")) + "\n", encoding="utf-8")
    saved = project.save([op])
    assert saved.segments[line - 1].speaker == "Ben" and "Not yet" in saved.segments[line - 1].speak
    gone = {**op, "start": 0, "end": 10}  # the heading's span: no longer there
    with pytest.raises(EditError, match="reload the page"):
        project.save([gone])


def test_cast_voices_is_character_voice_for_everyone(project: Project) -> None:
    from narrate.studio.edits import cast_voices, speaker_names

    script = apply_edits(project.script(), [
        {"op": "character", "name": "Mrs Hale"},
        {"op": "speaker", "segment": _index(project, "Not yet"), "speaker": "Ben"}])
    voices = cast_voices(script)
    assert set(voices) == {NARRATOR, *speaker_names(script)}
    for name, voice in voices.items():
        assert voice == character_voice(script, name), name
    assert voices["Mrs Hale"] is None and voices[NARRATOR] == "piper:joe"


def test_a_json_script_is_edited_as_json(short_story: Path, tmp_path: Path) -> None:
    from narrate.text import build_script, read_story
    from narrate.text.script_file import save_script

    path = save_script(build_script(read_story(short_story), source=str(short_story)),
                       tmp_path / "kettle.json")
    project = Project.open(path, out_dir=tmp_path / "out", show="narrate")
    assert project.script_path == path
    spaces = sum(1 for s in project.script().segments if s.kind is SegmentKind.SPACE)
    assert spaces  # the JSON keeps them: indexes are the full Script's
    line = _index(project, "Not yet")
    project.save([{"op": "speaker", "segment": line, "speaker": "Ben"},
                  {"op": "pronounce", "word": "Ben", "say": "Benn"}])
    assert path.read_text(encoding="utf-8").lstrip().startswith("{")
    rendered = load_script(path)
    assert rendered.segments[line].speaker == "Ben"
    assert any("Benn" in s.speak for s in rendered.segments)
    assert any(s.speak == "Patience, Ben." for s in load_editable(path).segments)
