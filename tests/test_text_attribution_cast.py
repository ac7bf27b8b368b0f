"""With a cast, every speaker is a cast member whenever one fits (`attribution/cast.py`)."""

from attrkit import speakers

from narrate.script import Character, Gender


def _c(name: str, *aliases: str, gender: str = "unknown") -> Character:
    return Character(name, (name, *aliases), Gender.parse(gender))


def test_a_shared_first_name_is_the_one_present_in_the_scene() -> None:
    cast = (_c("Peter Hale", "Peter", gender="male"), _c("Peter Voss", "Peter", gender="male"),
            _c("Irma", gender="female"))
    text = ("Peter Voss came into the kitchen where Irma sat.\n\n“You are late,” said Irma.\n\n"
            "“I know,” said Peter.\n")
    assert speakers(text, characters=cast) == ["Irma", "Peter Voss"]
    text = text.replace("Peter Voss came", "Peter Hale came")
    assert speakers(text, characters=cast) == ["Irma", "Peter Hale"]


def test_a_title_and_surname_is_the_cast_member_of_that_surname_and_gender() -> None:
    cast = (_c("Agnes Thornby", gender="female"), _c("Walter Thornby", gender="male"),
            _c("Mrs. Cole", gender="female"))
    text = "The carriage stopped at the inn.\n\n“Is this the place?” said Miss Thornby.\n"
    assert speakers(text, characters=cast) == ["Agnes Thornby"]
    text = "The carriage stopped at the inn.\n\n“It is,” said Mr. Thornby.\n"
    assert speakers(text, characters=cast) == ["Walter Thornby"]


def test_a_cast_name_written_in_lower_case_in_a_tag() -> None:
    cast = (_c("Nurse", gender="female"), _c("Lotte", gender="female"))
    text = "The children ran into the nursery.\n\n“Hush now,” said nurse.\n"
    assert speakers(text, characters=cast) == ["Nurse"]
    text = "The children ran into the nursery.\n\nnurse said, “Hush now.”\n"
    assert speakers(text, characters=cast) == ["Nurse"]


def test_the_title_of_a_cast_alias_is_that_member() -> None:
    cast = (_c("Amos Kettle", "Doctor Kettle", gender="male"), _c("Rudi", gender="male"))
    text = ("Rudi lay in bed by the window.\n\n“He is better,” said the doctor.\n\n"
            "The doctor closed his bag. “Rest,” he said.\n")
    assert speakers(text, characters=cast) == ["Amos Kettle", "Amos Kettle"]


def test_with_a_cast_no_line_is_left_to_no_one() -> None:
    cast = (_c("Ida Marsh", gender="female"), _c("Oskar Lund", gender="male"),
            _c("Vera Lund", gender="female"))
    text = ("“Is the boat in?” said Vera Lund.\n\n"
            "The harbour lay grey under the rain for most of that long afternoon, and the "
            "gulls sat in rows along the wall of the quay.\n\n"
            "A servant came into the room and drew the curtains.\n\n"
            "“It is late,” she said.\n")
    # no woman named near "she said": the cast's woman who spoke last, never "Someone"
    assert speakers(text, characters=cast) == ["Vera Lund", "Vera Lund"]
    assert speakers("“Hello?”\n", characters=cast) == ["Ida Marsh"]


def test_he_after_a_described_person_whose_noun_names_a_cast_member() -> None:
    cast = (_c("Our old guide", gender="male"), _c("Jeff", gender="male"),
            _c("Terry", gender="male"))
    text = ("Jeff and Terry unloaded the canoe while we waited.\n\n"
            "The guide stood on the bank, well pleased with our excitement.\n\n"
            "“One day blue, one day red,” he told us.\n")
    assert speakers(text, characters=cast) == ["Our old guide"]


def test_a_middle_word_of_a_cast_name_that_the_story_uses_alone() -> None:
    cast = (_c("Captain Ned Lark RN", gender="male"), _c("Sir Henry Dane", "Sir Henry",
                                                          gender="male"))
    text = ("Sir Henry laughed. “How very odd,” he said.\n\n"
            "Lark beamed at me through his eyeglass and murmured, “Yes, odd, very odd.”\n")
    assert speakers(text, characters=cast) == ["Sir Henry Dane", "Captain Ned Lark RN"]


SHINE = ("Tobias Wren had set out his box of brushes on the corner by the bank before "
         "eight, and he watched every pair of boots that went by.\n\n"
         "“How much for a polish?” asked a gentleman with a cane.\n\n"
         "“Ten pence,” said Tobias.\n\n"
         "“That is dear,” said the gentleman, frowning at the boy's coat.\n\n"
         "“It shines, sir,” said Tobias.\n\n"
         "“Then shine away,” said Mr. Holloway, and put his boot upon the box.\n")
SHINE_CAST = (Character("Tobias Wren", ("Tobias Wren", "Tobias"), Gender.MALE),
              Character("Mr Holloway", ("Mr Holloway", "Mr. Holloway", "Holloway"),
                        Gender.MALE))


def test_a_description_is_not_the_cast_member_the_turn_beside_it_names() -> None:
    # the boy is the last man mentioned before each of the gentleman's lines, but the turns
    # beside them are tagged "said Tobias": the gentleman is someone else, named at last
    assert speakers(SHINE, characters=SHINE_CAST) == [
        "Mr Holloway", "Tobias Wren", "Mr Holloway", "Tobias Wren", "Mr Holloway"]
