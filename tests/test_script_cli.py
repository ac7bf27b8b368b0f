import json
import re

import pytest
from click.testing import CliRunner

from narrate.cli import cli

STORY = "“Come in,” said Greta.\n“Thank you,” Hugo replied.\n\nNews\nEnd of content\n"


@pytest.fixture
def story(tmp_path):
    p = tmp_path / "s.txt"
    p.write_bytes(STORY.encode("utf-8"))
    return p


def test_json_contract(story, tmp_path):
    cast = tmp_path / "cast.json"
    cast.write_text(json.dumps({"characters": [{"name": "Greta Lind", "aliases": ["Greta"],
                                                "gender": "female"}]}), encoding="utf-8")
    r = CliRunner().invoke(cli, ["script", str(story), "--format", "json", "--characters",
                                 str(cast)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    segs = data["segments"]
    assert all({"kind", "speaker", "start", "end", "text"} <= s.keys() for s in segs)
    assert all(STORY[s["start"]:s["end"]] == s["text"] for s in segs)
    assert [s["speaker"] for s in segs if s["kind"] == "dialogue"] == ["Greta Lind", "Hugo"]
    assert {c["name"] for c in data["characters"]} == {"Greta Lind", "Hugo"}


def test_text_listing_shows_skips(story):
    r = CliRunner().invoke(cli, ["script", str(story)])
    assert r.exit_code == 0
    assert "[skipped: page furniture: 'End of content'] End of content" in r.output


def test_output_file(story, tmp_path):
    out = tmp_path / "s.script.txt"
    r = CliRunner().invoke(cli, ["script", str(story), "-o", str(out)])
    assert r.exit_code == 0 and out.read_text(encoding="utf-8").startswith("# narrate script")


@pytest.mark.parametrize(("content", "message"), [
    (b"", "is empty"),
    (b"  \n\n", "is empty"),
    (b"\x00\x01\x02binary", "looks binary"),
    (b"caf\xe9 au lait", "not UTF-8"),
])
def test_bad_input_is_one_line(tmp_path, content, message):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    r = CliRunner().invoke(cli, ["script", str(p)])
    assert r.exit_code == 1
    assert message in r.output and "Traceback" not in r.output


def test_missing_and_directory(tmp_path):
    r = CliRunner().invoke(cli, ["script", str(tmp_path / "nope.txt")])
    assert r.exit_code == 1 and "no such story file" in r.output
    r = CliRunner().invoke(cli, ["script", str(tmp_path)])
    assert r.exit_code == 1 and "directory" in r.output


def test_bad_cast_file(story, tmp_path):
    cast = tmp_path / "cast.json"
    cast.write_text("{not json", encoding="utf-8")
    r = CliRunner().invoke(cli, ["script", str(story), "--characters", str(cast)])
    assert r.exit_code == 1 and "not valid JSON" in r.output


def test_doubtful_lists_only_the_lines_worth_a_review(tmp_path):
    # the last two turns hang on turn-taking far from any tag, the first two on tags
    p = tmp_path / "talk.txt"
    p.write_text("Greta met Hugo at the gate.\n\n“Late again,” said Greta.\n\n"
                 "“The ferry,” said Hugo.\n\n“Always the ferry.”\n\n“Not always.”\n\n"
                 "“Usually.”\n\n“Sometimes.”\n\n“Often.”\n\n“Rarely.”\n\n“Never.”\n",
                 encoding="utf-8")
    full = CliRunner().invoke(cli, ["script", str(p)])
    only = CliRunner().invoke(cli, ["script", str(p), "--doubtful"])
    assert full.exit_code == 0 and only.exit_code == 0, (full.output, only.output)
    marked = [line for line in full.output.splitlines() if "?)" in line]
    listed = only.output.splitlines()
    assert marked and len(listed) == len(marked)
    assert all(re.match(r"@\d+ \d+-\d+ \[\w+\? 0\.\d\d turn_taking\] “", x) for x in listed)
    assert "Late again" not in only.output and "said Greta" not in only.output
