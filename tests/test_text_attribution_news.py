"""News writing: an office before a name is not part of it ("said Sen. Paul Grady"), a middle
initial is ("Linda K. Moss"), and an appositive after the name does not cut it."""

import pytest
from attrkit import speakers

from narrate.script import Gender, SegmentKind
from narrate.text import build_script
from narrate.text.attribution.grammar import without_office


@pytest.mark.parametrize(("tag", "who"), [
    ("“We will keep going,” said Rep. Maria Ortiz, who leads the panel.", "Maria Ortiz"),
    ("“It is a sad day,” said Sen. Paul Grady of Ohio.", "Paul Grady"),
    ("Vice President Ana Ruiz said, “We are not done.”", "Ana Ruiz"),
    ("“Rates will hold,” Board Chair Linda K. Moss said on Tuesday.", "Linda K. Moss"),
    ("“Stay home,” Gov. Ned Hale told reporters.", "Ned Hale"),
    ("“Stay home,” Gov. Hale told reporters.", "Hale"),
    ("“No fraud was found,” said Beverly Ann Rowe, executive director of the elections "
     "board.", "Beverly Ann Rowe"),
])
def test_the_speaker_is_the_name_without_its_office(tag: str, who: str) -> None:
    assert speakers(f"The meeting ran late on Monday.\n\n{tag}\n") == [who]


def test_an_office_spelled_out_before_a_single_name_stays() -> None:
    # a story may call someone "General Tilney": only a full name after it drops it
    assert without_office(["General", "Tilney"]) == ["General", "Tilney"]
    assert without_office(["Secretary", "State", "Mike", "Dunn"]) == ["Mike", "Dunn"]


def test_a_title_abbreviation_does_not_end_the_sentence() -> None:
    text = ("Reporters waited outside.\n\nSen. Paul Grady stepped out of the car. “Not today,” "
            "he said.\n")
    assert speakers(text) == ["Paul Grady"]


def test_a_quote_after_reported_speech_is_the_one_the_sentence_attributes_it_to() -> None:
    # news style: the paraphrase's closing tag names the speaker of the quote after it,
    # not the last person quoted or named earlier in the paragraph
    text = ("“Screens are fine in moderation,” Molitor said. Still, many parents struggle to "
            "set rules, and the pressure from friends is real, says Hannah Kessler, a "
            "professor of psychology. “It is about balance.”\n")
    assert speakers(text) == ["Molitor", "Hannah Kessler"]
    text = ("Molitor has a point, and the pressure is real, says Sen. Hannah Kessler, a "
            "former teacher.\n\n“It is about balance.”\n")
    assert speakers(text) == ["Hannah Kessler"]


def test_an_office_before_a_name_makes_it_a_person_not_a_place() -> None:
    # "park" is a common word of the story and a kind of place: "Mayor Jane Park" was
    # dropped as a thing, so her "she said" went to the councilwoman quoted before
    text = ("The board met on Monday.\n\n"
            "“We finally have a plan,” said Councilwoman Rosa Iglesias.\n\n"
            "Some residents wanted a place to park near the river.\n\n"
            "Mayor Jane Park, who had stayed out of the fight, welcomed the vote. “It is a "
            "fair deal,” she said.\n")
    assert speakers(text) == ["Rosa Iglesias", "Jane Park"]


def test_a_surname_alone_is_the_person_not_the_business_named_after_them() -> None:
    # "Whitaker said" meant Tom Whitaker, not Whitaker Hardware, his shop
    text = ("Tom Kessler runs Kessler Hardware on Front Street.\n\n"
            "“My customers come by truck,” Kessler said.\n")
    assert speakers(text) == ["Tom Kessler"]


def test_the_name_after_an_organisation_and_a_role_is_the_speaker() -> None:
    # "Pacific Grid spokesperson Karen Liu told reporters": the subject was taken to be the
    # company, no one, and her lines went to "Someone"; her name now says she is a woman
    text = ("Thousands lost power overnight.\n\n"
            "“Our crews worked all night,” North Valley Power spokesperson Jennifer Osei told "
            "reporters. “Most homes will be back by Friday.”\n\n"
            "County Supervisor Dana Whitfield urged patience. “Stay away from the lines,” she "
            "said.\n")
    script = build_script(text)
    assert [s.speaker for s in script.segments if s.kind is SegmentKind.DIALOGUE] == [
        "Jennifer Osei", "Jennifer Osei", "Dana Whitfield"]
    genders = {c.name: c.gender for c in script.characters}
    assert genders["Jennifer Osei"] is Gender.FEMALE
