"""Each attribution sieve on a passage of its own: the speaker it gives and its name (the
segment's `reason`), and the order `sieves.py` runs them in."""

import pytest
from attrkit import speakers

from narrate.script import SegmentKind
from narrate.text import build_script
from narrate.text.attribution import grammar, sieves


def _said(text: str) -> list[tuple[str | None, str | None]]:
    s = build_script(text)
    return [(seg.speaker, seg.reason) for seg in s.segments if seg.kind is SegmentKind.DIALOGUE]


def test_the_untagged_sieves_run_in_the_documented_order() -> None:
    assert [s.name for s in sieves.UNTAGGED] == [
        "action_beat", "continued", "continued", "continued", "named_nearby",
        "kin_vocative", "named_answer", "action_beat", "voice_after", "turn_taking", "previous",
        "cast_guess"]


@pytest.mark.parametrize(("after", "subject"), [
    (", said the old man.", "the old man"),
    (" he whispered.", "he"),
    (", replied Mrs. Pike.", "Mrs. Pike"),
    (", cried another.", "another"),
    (", said the ferryman.", "the ferryman"),
    (" Then the bell rang.", None),
])
def test_grammar_finds_the_subject_of_a_tag_after_a_quote(after: str, subject: str | None) -> None:
    assert grammar.subject_after(after) == subject


@pytest.mark.parametrize(("before", "subject"), [
    ("Bruno whispered, ", "Bruno"),
    ("Then Nora said: ", "Nora"),
    ("My uncle looked up and said: ", "My uncle"),
    ("The rain stopped. ", None),
])
def test_grammar_finds_the_subject_of_a_tag_before_a_quote(before: str,
                                                           subject: str | None) -> None:
    assert grammar.subject_before(before) == subject


def test_speech_verb_sieve() -> None:
    text = "Tom met Mary at the gate.\n“Late again,” said Mary.\n"
    assert _said(text) == [("Mary", "speech_verb")]


def test_continued_sieve_keeps_the_speaker_within_a_paragraph() -> None:
    text = "Tom met Mary at the gate.\n“Late again,” said Mary. “And wet.”\n"
    assert _said(text)[1] == ("Mary", "continued")


def test_action_beat_sieve_inside_a_paragraph() -> None:
    text = ("Tom met Mary at the gate.\n"
            "“Late again,” said Mary. Tom shrugged. “The ferry was slow.”\n")
    assert _said(text)[1] == ("Tom", "action_beat")


def test_action_beat_sieve_after_a_paragraph_of_narration() -> None:
    text = ("Tom met Mary at the gate.\n“Late again,” said Mary.\n"
            "Tom was shaking the rain off his coat.\n“The ferry was slow.”\n")
    assert _said(text)[1] == ("Tom", "action_beat")


def test_named_nearby_sieve() -> None:
    text = ("Tom met Mary at the gate. The rain had not stopped all day.\n"
            "“Late again.” Mary held the gate open for him and looked at the sky.\n")
    assert _said(text) == [("Mary", "named_nearby")]


def test_kin_vocative_sieve() -> None:
    text = ("The kitchen was warm and the kettle was singing on the stove.\n"
            "“Mommy, can I have one?”\n"
            "Mary turned and saw her son reaching for the biscuits on the shelf.\n")
    speaker, reason = _said(text)[0]
    assert reason == "kin_vocative" and speaker is not None and "son" in speaker


def test_turn_taking_sieve_alternates_two_speakers() -> None:
    text = ("Tom met Mary at the gate.\n“Late again,” said Mary.\n"
            "“The ferry was slow,” said Tom.\n“It always is.”\n“Not on a Sunday, it is not.”\n")
    assert [s for s, _ in _said(text)] == ["Mary", "Tom", "Mary", "Tom"]
    assert _said(text)[2][1] == "turn_taking"


def test_a_diminutive_given_name_before_an_untagged_line_is_its_speaker():
    # "Milly" and "Babs" were not known as women's names: Milly, the subject of the sentence
    # before the line, could not speak it, and the turn-taking gave it to Babs
    text = ("Milly unpacked the basket while Babs and Kate argued about the wasps.\n\n"
            "“They won't bother us,” said Kate.\n\n"
            "“That's what you said last year,” Babs said.\n\n"
            "Milly held up a jar. “Who forgot the mustard?”\n")
    assert speakers(text)[-1] == "Milly"


def test_a_name_given_in_answer_to_a_question_for_it_is_the_answerer():
    text = ("The clerk looked up from the ledger.\n\n“Your name, please?”\n\n"
            "“Mrs. Ada Finch.”\n\n“Thank you.”\n")
    assert speakers(text)[1] == "Mrs. Ada Finch"
    # a name answering another question is not the answerer's own
    text = ("“Who broke the window?” asked the clerk.\n\n“Tom Reed.”\n")
    assert speakers(text)[1] != "Tom Reed"


def test_a_voice_calling_out_before_the_story_says_whose_it_is():
    # "“TOM!” / No answer." before "The old lady ... said:" were no one's
    text = ("“NED!”\n\nNo answer.\n\n“NED! Where has that boy got to?”\n\nNo answer.\n\n"
            "The old woman put down her basket and looked round the yard, and then said:\n\n"
            "“If I catch you I'll tan your hide.”\n")
    assert speakers(text) == ["the old woman"] * 3
    # two unknown lines side by side are two voices: they stay unknown
    text = ("“Who's there?”\n\n“Only me.”\n\n"
            "The old woman put down her basket and looked round the yard, and then said:\n\n"
            "“Come in, then.”\n")
    assert speakers(text)[:2] == ["Someone", "Someone"]
