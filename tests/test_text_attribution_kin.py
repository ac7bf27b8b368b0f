"""Attribution: kin (invented passages in, speakers out)."""

from attrkit import speakers

from narrate.script import Gender
from narrate.text import build_script


def test_turn_taking_in_conversation():
    text = ("“Are you ready?” asked Rosa.\n\n“Almost,” said Ivan.\n\n“Hurry, then.”\n\n"
            "“I am hurrying.”\n\nThe clock struck.\n")
    assert speakers(text) == ["Rosa", "Ivan", "Rosa", "Ivan"]


def test_kin_vocative_goes_to_the_child():
    text = ("Jana Novak stood on the stage, her hands shaking.\n“Mommy, you won!”\n"
            "She turned to see her son running toward her. He held her tight.\n")
    s = build_script(text)
    assert speakers(text) == ["her son"]
    assert s.character("her son").age == "child"
    assert s.character("her son").gender is Gender.MALE


def test_relational_description_resolves_to_relative():
    text = ("Mr. Dorrit sat by the fire. He read his paper. Mrs. Dorrit came in; she was cross.\n\n"
            "“You never listen,” said his wife.\n")
    assert speakers(text) == ["Mrs. Dorrit"]


def test_turn_taking_anchors_backwards_from_a_later_tag():
    # the first two turns have no tag; the tag on the third fixes the alternation
    text = ("Rosa met Ivan at the gate.\n\n“Late again.”\n\n“The train was slow.”\n\n"
            "“It always is,” said Rosa.\n\n“Not always,” said Ivan.\n\nThe clock struck.\n")
    assert speakers(text) == ["Rosa", "Ivan", "Rosa", "Ivan"]


def test_turn_taking_vocative_names_the_listener():
    text = ("“Ready?” asked Rosa.\n\n“Almost,” said Ivan.\n\n“Hurry, then.”\n\n"
            "“Rosa, I am hurrying.”\n\nThe clock struck.\n")
    assert speakers(text) == ["Rosa", "Ivan", "Rosa", "Ivan"]


def test_children_are_marked_by_what_they_call_their_parent_or_by_little() -> None:
    from narrate.text import build_script

    text = ("Sam ran across the yard. “Daddy, look at me!” Sam shouted.\n\n"
            "“I see you,” said Tom Hale, laughing.\n\n"
            "Behind them little Nell waved. “Wait for me!” Nell cried.\n")
    ages = {c.name: c.age for c in build_script(text).characters}
    assert ages["Sam"] == "child"
    assert ages["Nell"] == "child"
    assert ages["Tom Hale"] is None


def test_relational_speaker_carries_the_name_the_story_calls_them():
    text = ("Curtis came into the library, where the old gentleman sat by the fire.\n\n"
            "“Good evening, Uncle Amos,” said Curtis.\n\n"
            "“You are late,” said his uncle.\n\n"
            "“The roads were bad,” said the stranger.\n")
    s = build_script(text)
    cast = {c.name: c for c in s.characters}
    assert {"Uncle", "Uncle Amos"} <= set(cast["his uncle"].aliases)
    assert "Uncle" not in cast["the stranger"].aliases


def test_a_young_age_after_the_name_marks_a_child() -> None:
    from narrate.text import build_script

    text = ("“Look!” cried Pip. He was seven years old and never sat still.\n\n"
            "“I see,” said Tom Hale, who was forty years old.\n")
    ages = {c.name: c.age for c in build_script(text).characters}
    assert ages["Pip"] == "child"
    assert ages["Tom Hale"] is None


def test_a_young_age_in_an_appositive_marks_a_child() -> None:
    # "Their grandson Rufus, who was six, ..." gave Rufus a grown man's voice
    from narrate.text import build_script

    text = ("The Marlowes ate in silence. Their grandson Rufus, who was six, watched the "
            "rain.\n\n“Can we go out?” he asked.\n\n"
            "“No,” said Ida Marlowe, who was six feet tall and sixty-two.\n")
    script = build_script(text)
    ages = {c.name: c.age for c in script.characters}
    assert [s.speaker for s in script.segments if s.kind.value == "dialogue"] == [
        "Rufus", "Ida Marlowe"]
    assert ages["Rufus"] == "child" and ages["Ida Marlowe"] is None


def test_occupations_and_kinds_of_person_are_tag_subjects():
    text = ("The train slowed. Ilse held out her ticket.\n\n"
            "“Too late for this one,” said the conductor.\n\n"
            "“Shame on her,” said a hard-faced matron.\n")
    assert speakers(text) == ["the conductor", "the hard-faced matron"]


def test_the_mother_is_the_only_married_woman_nearby():
    text = ("Mrs. Harrow set the bread on the table. Her boy Tobias came running in.\n\n"
            "“Is dinner ready?” he cried.\n\n"
            "“Not yet,” replied the mother.\n")
    assert speakers(text)[1] == "Mrs. Harrow"


def test_her_mother_takes_the_family_surname():
    text = ("Kezia Plumb sat by the fire and Mrs. Plumb sewed. Mr. Plumb read his paper.\n\n"
            "“I want a new gown,” said Kezia.\n\n"
            "“You shall have one,” cried her mother.\n")
    assert speakers(text)[1] == "Mrs. Plumb"


def test_a_name_ending_in_a_kind_of_place_is_not_a_speaker():
    # Once, after "at", with "he" nearby: still a place, because of its last word.
    text = ("At dusk the platform at Brindle Junction was empty but for a porter, and he "
            "yawned.\n\n“Any luggage?” he asked.\n\n“Just the one bag,” said Ida Marsh.\n\n"
            "“Right you are,” he said.\n")
    assert "Brindle Junction" not in speakers(text)
    assert "Brindle Junction" not in [c.name for c in build_script(text).characters]


def test_the_house_of_a_family_leaves_its_member_a_person():
    text = ("Visitors seldom came to the House of Ashcombe.\n\n"
            "Roland Ashcombe met me at the door. Ashcombe was pale, and he trembled.\n\n"
            "“You came,” he said.\n")
    assert speakers(text) == ["Roland Ashcombe"]


def test_her_mother_is_the_one_mrs_of_the_family_named_in_the_scene():
    # no "Mrs. Farrow" before the line; the scene's family name (Mr. Farrow) makes her
    text = ("Mr. Farrow came in from the fields and found his daughter at the window. "
            "He hung up his coat.\n\n"
            "“Rain tomorrow, Nell,” he said.\n\n"
            "“Then we stay home,” said her mother from the stove.\n\n"
            "Mrs. Farrow set down the kettle and Mrs. Dale, her neighbour, laughed.\n")
    assert speakers(text) == ["Mr. Farrow", "Mrs. Farrow"]


def test_my_relation_followed_by_a_name_is_that_person():
    text = ("I was the youngest, and my sister Clara never let me forget it. We lived by "
            "the river.\n\n"
            "“You will fall in,” said my sister.\n\n"
            "“I never fall in,” I said.\n")
    assert speakers(text)[0] == "Clara"


def test_two_kinds_of_person_introduced_apart_are_two_speakers():
    text = ("A stooped farmer was driving his cart along the lane when he met a young "
            "curate on a bicycle.\n\n"
            "“Fine morning,” said the farmer with the cart.\n\n"
            "“Fine indeed,” said the curate.\n\n"
            "“Rain by noon, though.”\n")
    sp = speakers(text)
    assert sp[0] != sp[1]
    assert sp[1] == "the curate"


def test_relation_a_turn_is_called_by_names_its_speaker():
    # "Surely, uncle, ..." answers the line before it: that line is her uncle's
    text = ("Margaret sat by the bed in the darkened room.\n\n"
            "“I am not well, Margaret. I doubt I shall see another spring.”\n\n"
            "“Surely, uncle, you cannot mean it.”\n\n"
            "“I do mean it, my child. The doctor says so.”\n\n"
            "“Do not say so, uncle,” said Margaret.\n")
    s = build_script(text)
    assert speakers(text) == ["her uncle", "Margaret", "her uncle", "Margaret"]
    assert "Uncle" in next(c for c in s.characters if c.name == "her uncle").aliases


def test_her_daughter_of_her_mother_is_the_one_her_stood_for():
    # "said her daughter" asks who "she" is: "Her mother", whose "her" is Elizabeth
    text = ("Elizabeth went up stairs. Her mother\nimpatiently met her at the door of the "
            "dressing-room, to ask why Lady\nCatherine would not come in again.\n\n"
            "\"She did not choose it,\" said her daughter, \"she would go.\"\n")
    assert speakers(text) == ["Elizabeth", "Elizabeth"]
    text = ("Harriet sat by the fire. Her husband came in from the yard with the dog.\n\n"
            "“You are late,” said his wife.\n")
    assert speakers(text) == ["Harriet"]


def test_kin_compound_in_a_tag_is_a_speaker():
    # "-in-law", "step-", "half-", "great-" relatives are people of their base word's gender
    text = ("Olga set the table while Pavel cut the bread.\n\n"
            "“The soup is cold,” said her step-mother.\n\n"
            "“Then heat it,” said his half-brother.\n")
    s = build_script(text)
    assert speakers(text) == ["her step-mother", "his half-brother"]
    assert s.character("her step-mother").gender is Gender.FEMALE
    assert s.character("his half-brother").gender is Gender.MALE


def test_hyphenated_word_that_is_no_relative_is_no_speaker():
    text = ("Olga set the table.\n\n“The soup is cold,” said the well-known.\n")
    assert speakers(text) != ["the well-known"]
