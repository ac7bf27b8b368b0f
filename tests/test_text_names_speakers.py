"""Attribution: names (invented passages in, speakers out)."""

from attrkit import speakers

from narrate.script import Character, Gender, SegmentKind
from narrate.text import build_script


def test_aliases_join_full_name_and_first_name():
    text = ("Marta Vale walked in. She sat.\n“Tea?” Marta asked.\n"
            "Later Marta Vale laughed.\n")
    s = build_script(text)
    assert speakers(text) == ["Marta Vale"]
    assert "Marta" in s.character("Marta Vale").aliases


def test_cast_file_names_aliases_and_gender():
    cast = [Character("Witold Brand", ("Witold Brand", "Wit", "Papa"), Gender.MALE)]
    text = "The boy ran in.\n“Wit, look!” he shouted.\n“I see,” said Wit.\n"
    assert speakers(text, characters=cast)[1] == "Witold Brand"


def test_different_people_sharing_a_name_word():
    text = ("Nora Hale waved to Hale Brenner. Hale Brenner grinned at her.\n"
            "“Good show,” said Hale.\n")
    assert speakers(text) == ["Hale Brenner"]


def test_characters_list_has_every_speaker():
    s = build_script("“Hi,” said Ulla. “Bye,” said Sven.\n")
    names = {c.name for c in s.characters}
    assert names == {"Ulla", "Sven"}


def test_given_name_lexicon_is_a_hint_not_a_rule():
    from narrate.text.given_names import gender_of_given_name
    assert gender_of_given_name("Tom Sawyer") is Gender.MALE
    assert gender_of_given_name("Harriet") is Gender.FEMALE
    assert gender_of_given_name("Leslie") is Gender.UNKNOWN  # unisex names are left out
    assert gender_of_given_name("") is Gender.UNKNOWN


def test_name_wrapped_over_a_line_break_joins_its_short_form():
    text = ("I was so busy at the fence that I did not see the rider come\n"
            "out of the forest, until I heard that my good friend, Master Hugh\n"
            "Brackwell, was at the gate and would speak to me at once.\n\n"
            "“You are late,” said Brackwell, as he climbed down from the\n"
            "saddle and gave the tired horse to the boy at the gate.\n")
    s = build_script(text)
    assert speakers(text) == ["Master Hugh Brackwell"]
    assert "Brackwell" in s.character("Master Hugh Brackwell").aliases


def test_sentence_opening_words_are_not_names():
    text = ("Mary walked on alone.\n\nSomehow he had found her. Without a word, she "
            "turned.\n\n“Go home,” she said.\n\nPresently Oren said, “No.”\n")
    assert speakers(text) == ["Mary", "Oren"]


def test_word_after_an_article_is_not_a_person():
    # "the Dane or Norwegian", "a Swede": nationalities, so "he" is Tom, not "Norwegian"
    text = ("Tom came in at noon. He had a touch of the Dane or Norwegian about him, and a "
            "Swede had sold him his boots.\n\n“Is dinner ready?” he cried.\n")
    assert speakers(text) == ["Tom"]
    s = build_script(text)
    assert [c.name for c in s.characters] == ["Tom"]


def test_a_nationality_is_not_a_speaker():
    # "that mysterious Englishman. He ..." gives the word a "he"; it names a people.
    text = ("Sergeant Kolb kept the east gate of the town. Every evening he counted the carts "
            "and hoped to catch that mysterious Englishman. He was said to wear a red coat.\n\n"
            "“Nothing today,” he said to his corporal.\n")
    assert speakers(text) == ["Sergeant Kolb"]


def test_money_and_measures_are_not_speakers():
    # a sentence-opening sum with a "he" after it is not a person
    text = ("Tobias Wren stood at the toll gate while the carter argued. Fourpence had a "
            "value; he knew it well.\n\n“Let her pass,” he said.\n")
    assert speakers(text) == ["Tobias Wren"]


def test_a_word_before_a_noun_for_a_person_or_place_is_not_a_speaker():
    # "a little Lapp boy", "at Holloway station": the capitalised word qualifies the noun
    text = ("Ingrid Dahl walked past the stores. On the step sat a little Lapp boy; he "
            "was crying. She took him to Holloway station, where he stopped.\n\n"
            "“Are you lost?” she asked.\n\n“My kitten,” he said.\n\n“Come along,” she said.\n")
    assert "Lapp" not in speakers(text)
    assert "Holloway" not in speakers(text)


def test_a_possessive_ends_a_name():
    # "Clara Venn's New Brighton" is a town seen by Clara, not a person of that name
    text = ("Nobody in Clara Venn's New Brighton ever left a dance early, and she thought it "
            "absurd.\n\n“Nonsense,” she said.\n")
    assert speakers(text) == ["Clara Venn"]


def test_a_name_after_a_capitalised_word_and_of_is_not_a_speaker():
    # "the Order of Beavers", "the King of Valdoria": a body or a country; "Son of" aside
    text = ("Hugo Brandt leaned across the aisle.\n\nOn the lapel was the badge of the "
            "Order of Beavers. The whole suit was tight on him.\n\n“Going far?” he said.\n")
    assert speakers(text) == ["Hugo Brandt"]
    text = ("Chapter One: The Son of Edwina\n\nThe house was quiet. Edwina sat by the fire "
            "and she sighed.\n\n“Another winter,” she said.\n")
    assert speakers(text) == ["Edwina"]


def test_poor_is_not_part_of_a_name():
    text = ("Poor Anselm had waited all evening.\n\n“Is it time?” asked Anselm.\n")
    assert [c.name for c in build_script(text).characters] == ["Anselm"]


def test_a_money_word_named_again_and_again_is_a_person():
    text = ("At the inn everyone called her Fourpence. Fourpence liked it. Fourpence sat by "
            "the stove and she yawned.\n\n“Cold tonight,” she said.\n")
    assert speakers(text) == ["Fourpence"]


def test_a_hyphenated_common_word_is_not_a_name():
    text = ("Rhoda Finch watched the fields go by. Self-interest with her was strong, and she "
            "knew it.\n\n“Is it far?” she asked.\n")
    assert speakers(text) == ["Rhoda Finch"]


def test_a_sentence_opening_adjective_paired_with_another_is_not_a_name():
    # "Secular and religious education": "Gideon and his brother" would be a name
    text = ("Gideon Ware had read of great wars. Secular and religious schooling had "
            "taught him that men were tamer now.\n\n“I'm going to enlist,” he said.\n")
    assert speakers(text) == ["Gideon Ware"]
    text = ("Rasmus and his brother came in.\n\n“Cold,” said Rasmus.\n")
    assert speakers(text) == ["Rasmus"]


def test_a_surname_that_is_a_nationality_is_a_person():
    text = ("Dora Lake waited outside.\n\nTom French unlocked the shop. French was always "
            "early, and he whistled as he swept.\n\n“Morning,” he said.\n")
    assert speakers(text) == ["Tom French"]


def test_a_book_title_with_of_leaves_the_name_a_person():
    text = ("She had been reading The Adventures of Bertram Quill all winter.\n\n"
            "Bertram Quill was a detective, and he never slept.\n\n“Another case,” he said.\n")
    assert speakers(text) == ["Bertram Quill"]


def test_a_surname_qualifying_a_noun_is_still_a_person_who_acts():
    # "the Lebrun cottages" like "a Swede boy", but "Lebrun was" says he is someone
    text = ("Lebrun was the landlord. Everyone rented the Lebrun cottages, and he collected "
            "the rent himself.\n\n“Pay up,” he said.\n")
    assert speakers(text) == ["Lebrun"]


def test_a_nationality_used_as_a_nickname_who_acts_is_a_person():
    text = ("Carl Flint rode ahead.\n\nBehind him came the cowboy they all called Dutch. "
            "Dutch grinned, and he spat in the dust.\n\n“Hot enough,” he said.\n")
    assert speakers(text) == ["Dutch"]


def test_a_person_in_a_portrait_is_not_there_to_speak():
    text = ("“I like the old painting,” said Hester Vane, and she curtsied to the portrait "
            "of Lady Morwenna.\n\nHer sister-in-law sighed with impatience.\n\n"
            "“Take it down,” said Hester.\n\n“Never,” she answered.\n")
    assert speakers(text)[-1] != "Lady Morwenna"


def test_a_bare_surname_is_the_titled_man_not_his_daughter():
    # "Vane" joins "Mr. Vane", not "Clara Vane": "said Vane" is the father's line
    text = ("Mr. Vane was the youngest son of a poor family. His daughter Clara Vane was "
            "seventeen, and she loved the garden.\n\n"
            "“We cannot stay here,” said Vane, and he looked at the empty grate.\n\n"
            "“Then we must go,” said Clara Vane.\n")
    assert speakers(text) == ["Mr. Vane", "Clara Vane"]


def test_a_shortened_titled_name_joins_the_full_titled_name():
    # "Dr. Halvard Mott" then "Dr. Mott": one doctor, so "the doctor" is him
    text = ("Dr. Halvard Mott kept his rooms above the bakery. He was tired.\n\n"
            "“Come in,” said the doctor.\n\n"
            "Dr. Mott put down his pen and waited.\n")
    s = build_script(text)
    assert speakers(text) == ["Dr. Halvard Mott"]
    assert "Dr. Mott" in s.character("Dr. Halvard Mott").aliases


def test_a_bare_name_joins_the_only_titled_form_of_it():
    text = ("Uncle Bertram lit his pipe. He frowned at the rain.\n\n"
            "“Wet again,” said Bertram.\n")
    s = build_script(text)
    assert speakers(text) == ["Uncle Bertram"]
    assert "Bertram" in s.character("Uncle Bertram").aliases


def test_a_bare_surname_shared_by_two_titled_names_stays_apart():
    text = ("Mr. Ashdown and Mrs. Ashdown sat by the fire. He read; she knitted.\n\n"
            "“Late,” said Ashdown.\n")
    names = {c.name for c in build_script(text).characters}
    assert "Mr. Ashdown" not in names and "Mrs. Ashdown" not in names


def test_a_titled_full_name_the_plain_one_and_the_surname_are_one_person():
    # "Sometimes" opens a sentence and is written in lower case elsewhere: not part of a name
    # ("Sometimes Drake" had made "Drake" ambiguous); "Oswin Drake" is "Mr. Oswin Drake"
    text = ("Mr. Oswin Drake took the chair by the window. Oswin Drake was a patient man. "
            "Sometimes Drake would wait an hour without a word, and sometimes he would "
            "not.\n\n“Well?” said Drake.\n\n“Nothing yet,” said Oswin Drake.\n\n"
            "“Then we wait,” said Mr. Oswin Drake.\n")
    assert speakers(text) == ["Mr. Oswin Drake"] * 3


def test_a_conjunction_before_a_possessive_is_not_part_of_the_description():
    from narrate.text.name_words import find_descriptions

    text = "She was surprised to see that her visitor still wore his hat."
    assert [d for _s, _e, d in find_descriptions(text, 0, len(text))] == ["her visitor"]


def test_ranks_before_a_full_name_are_not_part_of_it():
    # the speaker was "Detective Sergeant Nadia Brook", of no known gender; and the name given
    # in answer to "Name?" is the one answering (the line went to the detective)
    text = ("Detective Sergeant Nadia Brook sat down across from the boy.\n\n"
            "“Name?” she asked.\n\n“Liam Doyle.”\n\n“How old are you, Liam?”\n")
    script = build_script(text)
    names = {c.name: c for c in script.characters}
    assert "Nadia Brook" in names and names["Nadia Brook"].gender is Gender.FEMALE
    assert [s.speaker for s in script.segments if s.kind is SegmentKind.DIALOGUE] == [
        "Nadia Brook", "Liam Doyle", "Nadia Brook"]


def test_pronouns_in_the_dialogue_paragraph_after_a_name_are_not_its_gender():
    # "He sits down" in the turn after "Jo is drying glasses." made Jo a man, so her
    # "she says" lines and the turns after them went wrong
    text = ("The pub is nearly empty when Marcus comes in. Jo is drying glasses.\n\n"
            "“You're late,” she says.\n\n"
            "“Bus broke down.” He sits on the stool nearest the fire.\n\n"
            "“You look tired,” she says after a while.\n")
    script = build_script(text)
    genders = {c.name: c.gender for c in script.characters}
    assert genders["Jo"] is Gender.FEMALE
    assert [s.speaker for s in script.segments if s.kind is SegmentKind.DIALOGUE] == [
        "Jo", "Marcus", "Jo"]
