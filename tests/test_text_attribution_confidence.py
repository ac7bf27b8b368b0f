"""Every attributed quote carries a confidence (0-1): a tag naming the speaker is surer than
a pronoun tag, which is surer than a guess from turn-taking far from any tag."""

import json

import pytest

from narrate.errors import ScriptError
from narrate.script import Character, Gender, Script, Segment, SegmentKind
from narrate.text import build_script


def _sure(text: str, **kw) -> list[tuple[str | None, float | None]]:
    return [(s.speaker, s.confidence) for s in build_script(text, **kw).segments
            if s.kind is SegmentKind.DIALOGUE]


TALK = ("Greta met Hugo at the gate.\n\n“Late again,” said Greta.\n\n“The ferry,” he said.\n\n"
        "“Always the ferry.”\n\n“Not always.”\n\n“Usually.”\n\n“Sometimes.”\n\n“Often.”\n")


def test_a_named_tag_is_surer_than_a_pronoun_tag_and_both_than_distant_turns() -> None:
    found = _sure(TALK)
    assert all(c is not None and 0.0 <= c <= 1.0 for _, c in found)
    named, pronoun, *turns = (c for _, c in found)
    assert named > pronoun > turns[0] > turns[-1]


def test_a_speaker_outside_the_given_cast_is_less_sure() -> None:
    text = "Greta met Hugo at the gate.\n\n“Late again,” said Greta.\n\n“Yes,” said Hugo.\n"
    cast = (Character("Greta", (), Gender.FEMALE),)
    (_, greta), (_, hugo) = _sure(text, characters=cast)
    assert greta > hugo


def test_an_unattributed_quote_has_no_confidence_at_all() -> None:
    assert _sure("“Is anyone there?”\n") == [("Someone", 0.0)]


def test_narration_carries_none_and_the_json_round_trips() -> None:
    script = build_script(TALK)
    assert all(s.confidence is None for s in script.segments
               if s.kind is not SegmentKind.DIALOGUE)
    back = Script.from_json(script.to_json())
    assert [s.confidence for s in back.segments] == [s.confidence for s in script.segments]


@pytest.mark.parametrize("bad", ["high", 1.5, -0.1])
def test_a_bad_confidence_in_json_is_a_clear_error(bad) -> None:
    seg = Segment(SegmentKind.DIALOGUE, 0, 2, "Hi", speaker="Ann").to_dict()
    with pytest.raises(ScriptError, match="confidence"):
        Segment.from_dict({**seg, "confidence": bad})
    assert json.loads(json.dumps(seg)).get("confidence") is None
