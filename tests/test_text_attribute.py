from narrate.script import Character, Gender, SegmentKind
from narrate.text import build_script


def _speakers(text, **kw):
    s = build_script(text, **kw)
    return [seg.speaker for seg in s.segments if seg.kind is SegmentKind.DIALOGUE]


def test_verb_before_and_after():
    text = ("Ada looked up. “Hello,” Ada said.\n"
            "“Who is there?” asked Bram.\n"
            "Bram whispered, “Only me.”\n")
    assert _speakers(text) == ["Ada", "Bram", "Bram"]


def test_pronoun_by_gender():
    text = ("Ada and Bram walked home. Ada held her lamp high; Bram kept his hands in his "
            "pockets.\n“Cold tonight,” he said.\n“Colder tomorrow,” she answered.\n")
    assert _speakers(text) == ["Bram", "Ada"]


def test_pronoun_prefers_sentence_subject():
    text = ("Lena smiled at her friend. Oskar handed the map to Piet, letting him hold it. "
            "His hands shook.\n“Want it?” he asked.\n")
    assert _speakers(text) == ["Oskar"]


def test_turn_taking_in_conversation():
    text = ("“Are you ready?” asked Rosa.\n\n“Almost,” said Ivan.\n\n“Hurry, then.”\n\n"
            "“I am hurrying.”\n\nThe clock struck.\n")
    assert _speakers(text) == ["Rosa", "Ivan", "Rosa", "Ivan"]


def test_aliases_join_full_name_and_first_name():
    text = ("Marta Vale walked in. She sat.\n“Tea?” Marta asked.\n"
            "Later Marta Vale laughed.\n")
    s = build_script(text)
    assert _speakers(text) == ["Marta Vale"]
    assert "Marta" in s.character("Marta Vale").aliases


def test_cast_file_names_aliases_and_gender():
    cast = [Character("Witold Brand", ("Witold Brand", "Wit", "Papa"), Gender.MALE)]
    text = "The boy ran in.\n“Wit, look!” he shouted.\n“I see,” said Wit.\n"
    assert _speakers(text, characters=cast)[1] == "Witold Brand"


def test_different_people_sharing_a_name_word():
    text = ("Nora Hale waved to Hale Brenner. Hale Brenner grinned at her.\n"
            "“Good show,” said Hale.\n")
    assert _speakers(text) == ["Hale Brenner"]


def test_kin_vocative_goes_to_the_child():
    text = ("Jana Novak stood on the stage, her hands shaking.\n“Mommy, you won!”\n"
            "She turned to see her son running toward her. He held her tight.\n")
    s = build_script(text)
    assert _speakers(text) == ["her son"]
    assert s.character("her son").age == "child"
    assert s.character("her son").gender is Gender.MALE


def test_description_speaker_reported_as_the_story_says():
    text = "The road was long.\n\n“Good night,” said the old man.\n"
    assert _speakers(text) == ["the old man"]


def test_relational_description_resolves_to_relative():
    text = ("Mr. Dorrit sat by the fire. He read his paper. Mrs. Dorrit came in; she was cross.\n\n"
            "“You never listen,” said his wife.\n")
    assert _speakers(text) == ["Mrs. Dorrit"]


def test_first_person_narrator():
    text = "I waited by the gate.\n\n“Who goes there?” I asked.\n"
    assert _speakers(text) == ["Narrator"]


def test_characters_list_has_every_speaker():
    s = build_script("“Hi,” said Ulla. “Bye,” said Sven.\n")
    names = {c.name for c in s.characters}
    assert names == {"Ulla", "Sven"}


def test_given_name_gives_gender_without_pronouns():
    # no pronoun follows either name: the given names decide who "she" is
    text = ("Margaret and Hugo met at the gate.\n“You are late,” she said.\n"
            "“The bus,” he said.\n")
    assert _speakers(text) == ["Margaret", "Hugo"]


def test_given_name_lexicon_is_a_hint_not_a_rule():
    from narrate.text.given_names import gender_of_given_name
    assert gender_of_given_name("Tom Sawyer") is Gender.MALE
    assert gender_of_given_name("Harriet") is Gender.FEMALE
    assert gender_of_given_name("Leslie") is Gender.UNKNOWN  # unisex names are left out
    assert gender_of_given_name("") is Gender.UNKNOWN


def test_short_aside_keeps_the_conversation_going():
    text = ("“Are you ready?” asked Rosa.\n\n“Almost,” said Ivan.\n\n“Hurry, then.”\n\n"
            "The kettle hissed.\n\n“I am hurrying.”\n\n“Not fast enough.”\n")
    assert _speakers(text) == ["Rosa", "Ivan", "Rosa", "Ivan", "Rosa"]


def test_pronoun_tag_falls_back_to_the_last_speaker_of_that_gender():
    # the woman is never named in narration, only as "his wife" who spoke before
    text = ("“My dear Mr. Pell,” said his wife, “the house is let.”\n\n"
            "Mr. Pell said nothing.\n\n“It is,” returned she, “to a rich man.”\n")
    s = build_script(text)
    speakers = [seg.speaker for seg in s.segments if seg.kind is SegmentKind.DIALOGUE]
    assert speakers[0] == speakers[-1] != "Mr. Pell"


def test_addressee_is_not_the_speaker():
    text = ("Nora stood by the stove with Clara.\n"
            "“Clara,” she said, “bring the bread.”\n")
    assert _speakers(text) == ["Nora", "Nora"]


def test_named_first_person_narrator_from_vocatives():
    text = ("I followed my friend into the hall.\n\n“You see, Wendel, the door was open,” "
            "said Ashby.\n\n“I see it,” I said.\n\n“Then think, Wendel. Who opened it?”\n\n"
            "I could not answer him.\n")
    assert _speakers(text)[1] == "Wendel"


def test_description_keeps_the_form_the_story_introduced():
    text = ("A stranger came up the road with a sack.\n"
            "“Is this the way to the mill?” asked the stranger.\n")
    s = build_script(text)
    c = s.character(_speakers(text)[0])
    assert "a stranger" in c.aliases


def test_turn_taking_anchors_backwards_from_a_later_tag():
    # the first two turns have no tag; the tag on the third fixes the alternation
    text = ("Rosa met Ivan at the gate.\n\n“Late again.”\n\n“The train was slow.”\n\n"
            "“It always is,” said Rosa.\n\n“Not always,” said Ivan.\n\nThe clock struck.\n")
    assert _speakers(text) == ["Rosa", "Ivan", "Rosa", "Ivan"]


def test_turn_taking_vocative_names_the_listener():
    text = ("“Ready?” asked Rosa.\n\n“Almost,” said Ivan.\n\n“Hurry, then.”\n\n"
            "“Rosa, I am hurrying.”\n\nThe clock struck.\n")
    assert _speakers(text) == ["Rosa", "Ivan", "Rosa", "Ivan"]


def test_third_person_pronoun_never_the_named_narrator():
    cast = [Character("Pell", ("Pell",), Gender.MALE),
            Character("a sailor", ("a sailor",), Gender.MALE)]
    text = ("My name is Pell, and I was alone when Pell heard the steps.\n\n"
            "“Stand still,” he growled.\n\n“Yes, sir,” said I.\n")
    assert _speakers(text, characters=cast) == ["a sailor", "Pell"]


def test_cast_description_and_lone_gender_member():
    cast = [Character("a girl", ("a girl",), Gender.FEMALE),
            Character("The boy", ("The boy",), Gender.MALE)]
    text = ("He ran down the road until he stopped for breath.\n\n"
            "“What you run for?” she asked.\n\n“Because,” said the boy.\n")
    assert _speakers(text, characters=cast) == ["a girl", "The boy"]


def test_name_wrapped_over_a_line_break_joins_its_short_form():
    text = ("I was so busy at the fence that I did not see the rider come\n"
            "out of the forest, until I heard that my good friend, Master Hugh\n"
            "Brackwell, was at the gate and would speak to me at once.\n\n"
            "“You are late,” said Brackwell, as he climbed down from the\n"
            "saddle and gave the tired horse to the boy at the gate.\n")
    s = build_script(text)
    assert _speakers(text) == ["Master Hugh Brackwell"]
    assert "Brackwell" in s.character("Master Hugh Brackwell").aliases


def test_sentence_opening_words_are_not_names():
    text = ("Mary walked on alone.\n\nSomehow he had found her. Without a word, she "
            "turned.\n\n“Go home,” she said.\n\nPresently Oren said, “No.”\n")
    assert _speakers(text) == ["Mary", "Oren"]


def test_first_person_narrator_named_by_a_vocative_opening_a_quote():
    text = ("I went down to the gate and let my old friend in.\n\n"
            "“Ralph,” he said, “you bar your gate early.”\n\n"
            "“It is my habit,” I answered.\n\n"
            "“Smile and speak calmly, Ralph, as I do,” he said.\n")
    assert _speakers(text)[2] == "Ralph"


def test_children_are_marked_by_what_they_call_their_parent_or_by_little() -> None:
    from narrate.text import build_script

    text = ("Sam ran across the yard. “Daddy, look at me!” Sam shouted.\n\n"
            "“I see you,” said Tom Hale, laughing.\n\n"
            "Behind them little Nell waved. “Wait for me!” Nell cried.\n")
    ages = {c.name: c.age for c in build_script(text).characters}
    assert ages["Sam"] == "child"
    assert ages["Nell"] == "child"
    assert ages["Tom Hale"] is None


def test_described_speaker_who_introduces_himself_carries_that_name():
    text = ("A farmer walked home along the lane, and met a priest on a horse.\n\n"
            "“Evening,” said the priest. “I am Father Osgood, of the abbey.”\n\n"
            "“Good evening to you,” said the farmer.\n")
    s = build_script(text)
    cast = {c.name: c for c in s.characters}
    assert "Father Osgood" in cast["the priest"].aliases
    assert "Father Osgood" not in cast["the farmer"].aliases


def test_introduction_ignores_non_names_and_names_of_others():
    text = ("Anna sat with Ben by the window. The rain went on and on, and she was sorry.\n\n"
            "“I am Sorry about the rain,” said Anna.\n\n"
            "“I am Ben, remember?” said the stranger.\n")
    s = build_script(text)
    cast = {c.name: c for c in s.characters}
    assert "Sorry" not in cast["Anna"].aliases
    assert "Ben" not in cast["the stranger"].aliases


def test_word_after_an_article_is_not_a_person():
    # "the Dane or Norwegian", "a Swede": nationalities, so "he" is Tom, not "Norwegian"
    text = ("Tom came in at noon. He had a touch of the Dane or Norwegian about him, and a "
            "Swede had sold him his boots.\n\n“Is dinner ready?” he cried.\n")
    assert _speakers(text) == ["Tom"]
    s = build_script(text)
    assert [c.name for c in s.characters] == ["Tom"]


def test_relational_speaker_carries_the_name_the_story_calls_them():
    text = ("Curtis came into the library, where the old gentleman sat by the fire.\n\n"
            "“Good evening, Uncle Amos,” said Curtis.\n\n"
            "“You are late,” said his uncle.\n\n"
            "“The roads were bad,” said the stranger.\n")
    s = build_script(text)
    cast = {c.name: c for c in s.characters}
    assert {"Uncle", "Uncle Amos"} <= set(cast["his uncle"].aliases)
    assert "Uncle" not in cast["the stranger"].aliases


def test_pronoun_with_no_named_antecedent_is_the_described_person():
    text = ("The deck was crowded. One girl stood alone at the rail, quite young and calm.\n\n"
            "“Are they lowering the boats?” she asked.\n")
    assert _speakers(text) == ["the girl"]
    s = build_script(text)
    assert "one girl" in s.characters[0].aliases


def test_described_antecedent_is_not_used_with_a_cast():
    text = ("The deck was crowded. One girl stood alone at the rail, quite young and calm.\n\n"
            "“Are they lowering the boats?” she asked.\n")
    cast = (Character("Nora", ("Nora",), Gender.FEMALE),
            Character("Jane", ("Jane",), Gender.FEMALE))
    assert _speakers(text, characters=cast) != ["the girl"]


def test_a_young_age_after_the_name_marks_a_child() -> None:
    from narrate.text import build_script

    text = ("“Look!” cried Pip. He was seven years old and never sat still.\n\n"
            "“I see,” said Tom Hale, who was forty years old.\n")
    ages = {c.name: c.age for c in build_script(text).characters}
    assert ages["Pip"] == "child"
    assert ages["Tom Hale"] is None


def test_action_beat_paragraph_names_the_next_speaker():
    text = ("“Where were you?” asked Hilda.\n\n“Out.”\n\n"
            "Mr. Crane was drumming his fingers on the table.\n\n“Out where?”\n\n"
            "“Just out.”\n")
    # the beat makes Crane the speaker of the line after it; the turns alternate from there
    assert _speakers(text)[2:] == ["Mr. Crane", "Hilda"]


def test_action_beat_does_not_reach_past_a_colon_or_an_inline_quote():
    text = ("Olga shrugged. Piet set down the cup and said to her:\n\n“Fine weather.”\n")
    assert _speakers(text) == ["Piet"]


def test_em_dash_dialogue_tag_inside_the_paragraph():
    text = ("—Come along, Rudi, said Marek. The tide is turning.\n\n"
            "—Not yet! Rudi said. Give me a minute.\n\n"
            "—Now, he said quietly.\n\n"
            "Marek walked off.\n")
    assert _speakers(text) == ["Marek", "Rudi", "Rudi"]


def test_name_inside_a_pronoun_led_sentence_is_not_the_next_he():
    text = ("“Ready?” said Anton.\n\n"
            "He turned his eyes from the window to Felix's face.\n\n"
            "“We leave at dawn,” he said.\n")
    assert _speakers(text) == ["Anton", "Anton"]


def test_tagged_speaker_is_a_pronoun_antecedent_in_dash_dialogue():
    text = ("Felix sat by the fire.\n\n"
            "—Wake up, Albert said. We leave at dawn.\n\n"
            "—Already? Felix said.\n\n"
            "—Now, Albert said.\n\n"
            "He pulled on his boots.\n\n"
            "—The horses are ready, he said.\n")
    assert _speakers(text)[-1] == "Albert"


def test_a_description_tag_links_later_mentions_of_it_to_the_cast_member():
    cast = [Character("Parson Grell", ("Parson Grell",), Gender.MALE),
            Character("Tobias Venn", ("Tobias Venn", "Tobias"), Gender.MALE)]
    text = ("Tobias Venn trudged along the lane.\n\n"
            "“Evening,” said the parson.\n\n"
            "Tobias kept walking. The parson rode nearer.\n\n"
            "“A word with you,” he said.\n")
    assert _speakers(text, characters=cast) == ["Parson Grell", "Parson Grell"]


def test_vocative_in_the_reply_names_the_untagged_speaker():
    text = ("Lukas and Gregor found Peter in the yard.\n\n"
            "“Is the cart mended?” asked Gregor.\n\n"
            "“Not yet.”\n\n"
            "“Then hurry, Lukas.”\n")
    # the third line calls the second speaker Lukas, a name the narration never used
    assert _speakers(text)[1] == "Lukas"


def test_vocative_in_the_reply_outranks_a_bare_description():
    text = ("Bertil leaned on the gate. Mr. Osk came by every morning.\n\n"
            "“Fine morning,” said the man with the dog.\n\n"
            "“Fine indeed, Mr. Osk,” said Bertil.\n")
    assert _speakers(text)[0] == "Mr. Osk"


def test_occupations_and_kinds_of_person_are_tag_subjects():
    text = ("The train slowed. Ilse held out her ticket.\n\n"
            "“Too late for this one,” said the conductor.\n\n"
            "“Shame on her,” said a hard-faced matron.\n")
    assert _speakers(text) == ["the conductor", "the hard-faced matron"]


def test_bare_another_is_a_tag_subject():
    text = ("The women by the well talked of nothing else.\n\n"
            "“She should be ashamed,” said one.\n\n"
            "“She is not,” said another.\n")
    assert _speakers(text) == ["one", "another"]


def test_reply_pronoun_is_not_the_previous_speaker():
    # "he answered" opening the next turn: the nearest "he" is the previous tag's speaker
    text = ("Daniel Vane sat by his easel; Lord Teodor lay on the divan.\n\n"
            "“You must send it to the gallery,” said Lord Teodor.\n\n"
            "“I shall not send it anywhere,” he answered.\n")
    assert _speakers(text) == ["Lord Teodor", "Daniel Vane"]


def test_reply_pronoun_keeps_a_speaker_who_goes_on():
    text = ("Daniel Vane sat by his easel; Lord Teodor lay on the divan.\n\n"
            "“You must send it to the gallery,” said Lord Teodor.\n\n"
            "“Or burn it,” he added.\n")
    assert _speakers(text) == ["Lord Teodor", "Lord Teodor"]


def test_the_mother_is_the_only_married_woman_nearby():
    text = ("Mrs. Harrow set the bread on the table. Her boy Tobias came running in.\n\n"
            "“Is dinner ready?” he cried.\n\n"
            "“Not yet,” replied the mother.\n")
    assert _speakers(text)[1] == "Mrs. Harrow"


def test_her_mother_takes_the_family_surname():
    text = ("Kezia Plumb sat by the fire and Mrs. Plumb sewed. Mr. Plumb read his paper.\n\n"
            "“I want a new gown,” said Kezia.\n\n"
            "“You shall have one,” cried her mother.\n")
    assert _speakers(text)[1] == "Mrs. Plumb"


def test_my_father_is_named_after_the_narrator_surname():
    # a first-person narrator named by others; "my father" is Mr <narrator's surname>
    text = ("I was late that day, and I knew it. “Good morning, Gideon Farrow,” said the "
            "vicar. I bowed.\n\n“Hurry along, Gideon Farrow,” said the vicar.\n\n"
            "I walked home through the rain and thought about the long sermon all the way "
            "back to our gate.\n\n“You are late,” said my father.\n")
    s = build_script(text)
    speaker = _speakers(text)[-1]
    assert "Mr Farrow" in s.character(speaker).aliases


def test_described_speaker_keeps_the_introduction_with_adjectives():
    text = ("Out of the dusk came a white man leading a mule.\n\n"
            "“Evening,” the man called. “May I share your fire?”\n")
    s = build_script(text)
    speaker = _speakers(text)[0]
    assert "a white man" in s.character(speaker).aliases


def test_a_new_description_in_a_conversation_is_the_described_speaker():
    # "a rough voice" and then "the man": one person, the story varies its words
    text = ("Kaspar lay asleep on the pier with his cap over his eyes.\n\n"
            "“Get up, you,” said a rough voice.\n\n"
            "“What time is it?” asked Kaspar.\n\n"
            "“Seven o'clock,” said the man, tapping his stick.\n")
    s = build_script(text)
    first, _, last = _speakers(text)
    assert first == last
    assert "the man" in s.character(first).aliases


def test_the_young_man_is_not_the_old_man():
    text = ("An old man sat by the window; a young man stood near the door.\n\n"
            "“Close it,” said the old man.\n\n"
            "“It is closed,” said the young man.\n")
    assert _speakers(text) == ["the old man", "the young man"]


def test_a_described_speaker_named_later_in_a_tag():
    # the gentleman is not named until the tag "said Mr. Quill" that closes the talk
    text = ("Benno waited by his box of brushes on the corner for a customer.\n\n"
            "“How much for a shine?” asked a gentleman.\n\n"
            "“Ten cents, sir,” said Benno.\n\n"
            "“Then shine them well,” said the gentleman.\n\n"
            "“Yes, sir.”\n\n"
            "“A sharp boy,” said Mr. Quill to himself as he walked off.\n")
    s = build_script(text)
    got = _speakers(text)
    assert got[0] == got[2] == got[4] == "Mr. Quill"
    assert "the gentleman" in s.character("Mr. Quill").aliases


def test_a_place_with_pronouns_after_it_is_not_a_speaker():
    # "in Dunmore. She ..." gives the town a "she"; it is still a place, not the speaker
    text = ("Greta Moss left the farm at dawn. The train ran north toward Dunmore. She had "
            "never been in Dunmore. She thought of the streets of Dunmore. The man beside "
            "her coughed.\n\n"
            "“Going far?” he asked.\n\n"
            "“Only to Dunmore,” she answered.\n")
    assert _speakers(text)[1] == "Greta Moss"


def test_a_quote_calling_the_last_speaker_by_name_is_someone_else():
    text = ("Rosa and her brother Pavel sat at the table with their mother.\n\n"
            "“I hoped she was a witch,” said Pavel, buttering his bread. “Nonsense, Pavel! "
            "Isn't it strange, mamma?”\n")
    assert _speakers(text)[1] != "Pavel"


def test_said_the_other_is_the_party_who_did_not_just_speak():
    text = ("Lorcan Hale and Dermot Kane sat by the fire for a long while in silence.\n\n"
            "“We might travel together,” said Dermot.\n\n"
            "“I never take a partner,” replied Lorcan.\n\n"
            "“Then I go alone,” said the other, mildly.\n")
    assert _speakers(text) == ["Dermot Kane", "Lorcan Hale", "Dermot Kane"]


def test_named_beat_inside_paragraph_gives_the_next_quote_to_its_subject():
    text = ("Hilde and Anton sat by the stove.\n\n"
            "“We should go,” said Anton. Hilde shook her head slowly. “Not yet.”\n\n"
            "“Then when?” said Anton. The kettle sang on the stove; at last Hilde spoke. "
            "“At dawn.”\n")
    assert _speakers(text) == ["Anton", "Hilde", "Anton", "Hilde"]


def test_beat_naming_the_same_speaker_continues():
    text = ("Hilde and Anton sat by the stove.\n\n"
            "“We should go,” said Anton. Anton rose from his chair. “Now.”\n")
    assert _speakers(text) == ["Anton", "Anton"]


def test_occupation_noun_after_speech_verb_is_the_speaker():
    text = ("The cart stopped at the gate, and Hilde climbed down.\n\n"
            "“That will be twopence,” said the gatekeeper.\n\n"
            "“Here it is,” said Hilde.\n")
    s = build_script(text)
    first = _speakers(text)[0]
    assert first != "Hilde" and "gatekeeper" in s.character(first).name.lower()


def _wrapped(*paragraphs):
    """A hard-wrapped story (blank-line paragraphs, lines of ~66 characters)."""
    import textwrap
    intro = ("The road ran on between the hedges for a long way, and the three of them walked "
             "it without much talk, since the day was hot and the dust rose at every step. ") * 3
    return "\n\n".join(textwrap.fill(p, 66) for p in (intro, *paragraphs)) + "\n"


def test_a_tag_closing_the_paragraph_before_after_its_own_quotes():
    text = _wrapped("Tom, Mary and Jack stood at the crossroads.", "“Is it far?” asked Tom.",
                    "“Two miles,” said Jack. Mary looked at him and then at the sky, and "
                    "said quietly:", "“Three, at least.”")
    assert _speakers(text) == ["Tom", "Jack", "Mary"]


def test_a_coordinated_speech_verb_takes_the_sentence_subject():
    text = _wrapped("Tom, Mary and Jack stood at the crossroads.", "“Is it far?” asked Tom.",
                    "“Two miles,” said Jack.", "Mary frowned at the map for a while and said:",
                    "“Three, at least.”")
    assert _speakers(text) == ["Tom", "Jack", "Mary"]


def test_an_opening_then_is_not_part_of_the_name():
    text = _wrapped("Tom, Mary and Jack stood at the crossroads.", "“Is it far?” asked Tom.",
                    "“Two miles,” said Jack.", "Then Mary said:", "“Three, at least.”")
    assert _speakers(text) == ["Tom", "Jack", "Mary"]


def test_reply_pronoun_with_no_antecedent_is_the_one_just_called():
    fill = "The rain kept on all afternoon and the river rose. " * 90
    text = ("Jack and Mary lived by the river with old Tom.\n\n" + fill + "\n\n"
            "“You should rest, Jack,” said Tom.\n\n"
            "“Why should I?” he answered. “I am not tired.”\n\n“You are, Jack,” said Mary.\n")
    assert _speakers(text) == ["Tom", "Jack", "Jack", "Mary"]


def test_a_scene_break_ends_the_conversation():
    for brk in ("* * *", "CHAPTER TWO"):
        text = (f"“Ready?” asked Rosa.\n\n“Yes,” said Ivan.\n\n{brk}\n\n"
                "Lena found Tom in the loft. Tom was asleep.\n\n"
                "“Is anyone there?” called Lena.\n\n“Only me.”\n")
        assert _speakers(text)[-1] == "Tom"


def test_the_other_party_is_not_the_speaker_of_the_next_turn():
    text = ("Lucy and her cousin Charlotte sat at dinner opposite an old man.\n\n"
            "“We will change rooms with you,” said the old man.\n\n"
            "“Thank you very much indeed; that is out of the question,” said Charlotte.\n\n"
            "“Why?” said the old man, with both fists on the table.\n\n"
            "“Because it is quite out of the question, thank you.”\n\n"
            "“You see, we don't like to take--” began Lucy.\n")
    assert _speakers(text)[3] == "Charlotte"


def test_a_third_person_story_full_of_i_in_its_dialogue_has_no_named_narrator():
    # "Tom" is called twice inside quotes and the quotes say "I" often, but the narration
    # never does: Tom is not a first-person narrator, so "he said" may be Tom
    text = ("Ben sat down by the stove. Tom stood at the door and looked at his aunt.\n\n"
            "“I know you took the jam, Tom,” said Aunt Polly. “I saw you.”\n\n"
            "“I never did,” he said.\n\n“I think you did, Tom. I know it.”\n")
    assert _speakers(text)[2] == "Tom"


def test_the_narrator_is_the_one_called_whom_the_narration_never_names():
    # the cousin is called twice in quotes, the narrator once; the narration names the
    # cousin (so he is not "I") and never the narrator, whom the cast lists by name
    cast = [Character("Nora Vale", ("Nora Vale", "Nora"), Gender.FEMALE),
            Character("Hugh Dunn", ("Hugh Dunn", "Hugh"), Gender.MALE),
            Character("Ella", ("Ella",), Gender.FEMALE)]
    text = ("Hugh Dunn was my cousin, and I feared him. Hugh was fourteen and I was ten, "
            "and Hugh never let me forget it. I hid behind the curtain with my book.\n\n"
            "“Where is she, Hugh?” said Ella.\n\n“In the window seat, Hugh,” said Ella.\n\n"
            "I came out at once, for I trembled at being dragged out.\n\n"
            "“What do you want?” I asked.\n\n“Nora, come here.”\n")
    assert _speakers(text, characters=cast)[2] == "Nora Vale"


def test_her_name_was_names_the_description_before_it():
    # "my mother" is named by the statement after the narration about her
    text = ("I lived in a meadow with my mother. I knew she was a wise old mare, and our "
            "master thought a great deal of her. Her name was Bramble.\n\n"
            "“Stay close to me,” said my mother.\n\n“Why?” I asked.\n")
    cast = [Character("Bramble", ("Bramble",), Gender.FEMALE),
            Character("our master", ("our master",), Gender.MALE)]
    assert _speakers(text, characters=cast)[0] == "Bramble"
    assert _speakers(text)[0] == "Bramble"


def test_a_name_ending_in_a_kind_of_place_is_not_a_speaker():
    # Once, after "at", with "he" nearby: still a place, because of its last word.
    text = ("At dusk the platform at Brindle Junction was empty but for a porter, and he "
            "yawned.\n\n“Any luggage?” he asked.\n\n“Just the one bag,” said Ida Marsh.\n\n"
            "“Right you are,” he said.\n")
    assert "Brindle Junction" not in _speakers(text)
    assert "Brindle Junction" not in [c.name for c in build_script(text).characters]


def test_a_described_subject_speaks_the_untagged_line_after_it():
    text = ("“Is this the ferry?” asked Ida Marsh.\n\n"
            "The porter scratched his chin. “Last crossing tonight, miss.”\n\n"
            "“Good,” Ida said.\n")
    assert _speakers(text) == ["Ida Marsh", "the porter", "Ida Marsh"]


def test_a_relative_clause_gives_a_neutral_noun_its_gender():
    text = ("On the quay stood a porter who looked as if she had not slept in a week.\n\n"
            "“Luggage?” the porter asked.\n")
    script = build_script(text)
    assert script.character("the porter").gender is Gender.FEMALE
    assert build_script(text.replace(" she ", " he ")).character("the porter").gender \
        is Gender.MALE


def test_whose_name_was_names_a_described_speaker():
    text = ("A boy sat on the step.\n\n“Is it raining?” asked the boy.\n\n"
            "“Not yet,” said Ida Marsh.\n\nThe boy, whose name was Tobias, nodded.\n\n"
            "“Good,” said the boy.\n")
    assert _speakers(text) == ["Tobias", "Ida Marsh", "Tobias"]


def test_a_pronoun_does_not_reach_back_over_a_chapter_heading():
    # Chapter one's porter (male) is not the "he" of chapter two, where the only man in
    # sight is the one the narration has just described.
    text = ("Chapter One\n\nOn the quay stood a porter who looked as if he had not slept.\n\n"
            "“Luggage?” the porter asked.\n\n“None,” said Ida Marsh.\n\nChapter Two\n\n"
            "The cabin was warm. An old man in a grey coat was reading.\n\n"
            "“Cold out,” he muttered.\n")
    assert _speakers(text)[-1] == "the old man"


def test_a_nationality_is_not_a_speaker():
    # "that mysterious Englishman. He ..." gives the word a "he"; it names a people.
    text = ("Sergeant Kolb kept the east gate of the town. Every evening he counted the carts "
            "and hoped to catch that mysterious Englishman. He was said to wear a red coat.\n\n"
            "“Nothing today,” he said to his corporal.\n")
    assert _speakers(text) == ["Sergeant Kolb"]


def test_money_and_measures_are_not_speakers():
    # a sentence-opening sum with a "he" after it is not a person
    text = ("Tobias Wren stood at the toll gate while the carter argued. Fourpence had a "
            "value; he knew it well.\n\n“Let her pass,” he said.\n")
    assert _speakers(text) == ["Tobias Wren"]


def test_a_word_before_a_noun_for_a_person_or_place_is_not_a_speaker():
    # "a little Lapp boy", "at Holloway station": the capitalised word qualifies the noun
    text = ("Ingrid Dahl walked past the stores. On the step sat a little Lapp boy; he "
            "was crying. She took him to Holloway station, where he stopped.\n\n"
            "“Are you lost?” she asked.\n\n“My kitten,” he said.\n\n“Come along,” she said.\n")
    assert "Lapp" not in _speakers(text)
    assert "Holloway" not in _speakers(text)


def test_an_opening_preposition_or_adverb_is_not_a_name():
    text = ("Oskar Lind knocked at the inn door and waited in the rain. Meanwhile, the lamp "
            "in the window went out.\n\n“Open up,” he shouted.\n\n"
            "Upon Oskar's second knock the bolt slid back. Altogether the place looked "
            "deserted.\n\n“At last,” he said.\n")
    assert _speakers(text) == ["Oskar Lind", "Oskar Lind"]
    names = [c.name for c in build_script(text).characters]
    assert not {"Meanwhile", "Upon Oskar", "Altogether"} & set(names)


def test_a_possessive_ends_a_name():
    # "Clara Venn's New Brighton" is a town seen by Clara, not a person of that name
    text = ("Nobody in Clara Venn's New Brighton ever left a dance early, and she thought it "
            "absurd.\n\n“Nonsense,” she said.\n")
    assert _speakers(text) == ["Clara Venn"]


def test_a_name_after_a_capitalised_word_and_of_is_not_a_speaker():
    # "the Order of Beavers", "the King of Valdoria": a body or a country; "Son of" aside
    text = ("Hugo Brandt leaned across the aisle.\n\nOn the lapel was the badge of the "
            "Order of Beavers. The whole suit was tight on him.\n\n“Going far?” he said.\n")
    assert _speakers(text) == ["Hugo Brandt"]
    text = ("Chapter One: The Son of Edwina\n\nThe house was quiet. Edwina sat by the fire "
            "and she sighed.\n\n“Another winter,” she said.\n")
    assert _speakers(text) == ["Edwina"]


def test_a_name_only_seen_after_a_preposition_takes_no_he_or_she():
    # "up to Tarnby, and she ...": the she is the girl, the town gets no gender
    text = ("Ingrid Sol packed her trunk slowly.\n\n"
            "Her father had written that the family must go up to Tarnby, and she dreaded "
            "it.\n\n“I shall miss this room,” said she.\n")
    assert _speakers(text) == ["Ingrid Sol"]


def test_poor_is_not_part_of_a_name():
    text = ("Poor Anselm had waited all evening.\n\n“Is it time?” asked Anselm.\n")
    assert [c.name for c in build_script(text).characters] == ["Anselm"]


def test_a_money_word_named_again_and_again_is_a_person():
    text = ("At the inn everyone called her Fourpence. Fourpence liked it. Fourpence sat by "
            "the stove and she yawned.\n\n“Cold tonight,” she said.\n")
    assert _speakers(text) == ["Fourpence"]


def test_a_hyphenated_common_word_is_not_a_name():
    text = ("Rhoda Finch watched the fields go by. Self-interest with her was strong, and she "
            "knew it.\n\n“Is it far?” she asked.\n")
    assert _speakers(text) == ["Rhoda Finch"]


def test_a_voice_is_the_person_the_tag_brings_in():
    text = ("The lane was dark and Nell walked fast.\n\n"
            "“Stand still!” roared a dreadful voice, as a man rose up from behind the wall.\n\n"
            "“Who are you?” said the man.\n")
    assert _speakers(text) == ["the man", "the man"]
    text = ("Mrs. Pell was at the window and Ada Rowe at the piano.\n\n"
            "“Such a pretty tune,” said a soft voice, which Ada knew to be that of Mrs. Pell.\n")
    assert _speakers(text) == ["Mrs. Pell"]


def test_a_sentence_opening_adjective_paired_with_another_is_not_a_name():
    # "Secular and religious education": "Gideon and his brother" would be a name
    text = ("Gideon Ware had read of great wars. Secular and religious schooling had "
            "taught him that men were tamer now.\n\n“I'm going to enlist,” he said.\n")
    assert _speakers(text) == ["Gideon Ware"]
    text = ("Rasmus and his brother came in.\n\n“Cold,” said Rasmus.\n")
    assert _speakers(text) == ["Rasmus"]


def test_a_surname_that_is_a_nationality_is_a_person():
    text = ("Dora Lake waited outside.\n\nTom French unlocked the shop. French was always "
            "early, and he whistled as he swept.\n\n“Morning,” he said.\n")
    assert _speakers(text) == ["Tom French"]


def test_a_book_title_with_of_leaves_the_name_a_person():
    text = ("She had been reading The Adventures of Bertram Quill all winter.\n\n"
            "Bertram Quill was a detective, and he never slept.\n\n“Another case,” he said.\n")
    assert _speakers(text) == ["Bertram Quill"]


def test_a_surname_qualifying_a_noun_is_still_a_person_who_acts():
    # "the Lebrun cottages" like "a Swede boy", but "Lebrun was" says he is someone
    text = ("Lebrun was the landlord. Everyone rented the Lebrun cottages, and he collected "
            "the rent himself.\n\n“Pay up,” he said.\n")
    assert _speakers(text) == ["Lebrun"]


def test_the_house_of_a_family_leaves_its_member_a_person():
    text = ("Visitors seldom came to the House of Ashcombe.\n\n"
            "Roland Ashcombe met me at the door. Ashcombe was pale, and he trembled.\n\n"
            "“You came,” he said.\n")
    assert _speakers(text) == ["Roland Ashcombe"]


def test_a_nationality_used_as_a_nickname_who_acts_is_a_person():
    text = ("Carl Flint rode ahead.\n\nBehind him came the cowboy they all called Dutch. "
            "Dutch grinned, and he spat in the dust.\n\n“Hot enough,” he said.\n")
    assert _speakers(text) == ["Dutch"]


def test_a_person_in_a_portrait_is_not_there_to_speak():
    text = ("“I like the old painting,” said Hester Vane, and she curtsied to the portrait "
            "of Lady Morwenna.\n\nHer sister-in-law sighed with impatience.\n\n"
            "“Take it down,” said Hester.\n\n“Never,” she answered.\n")
    assert _speakers(text)[-1] != "Lady Morwenna"

def test_the_narrator_is_named_by_the_reply_to_their_own_turn():
    # no cast: the one call that names the narrator opens the turn answering "I asked"
    text = ("I hid behind the curtain with my book, and I kept very still, for I knew "
            "my cousin would find me. I heard the door, and I came out.\n\n"
            "“What do you want?” I asked.\n\n“Nora, sit down and be quiet.”\n\n"
            "I sat down, and I said nothing more.\n")
    assert _speakers(text)[0] == "Nora"


def test_the_narrator_who_answers_with_a_full_name_is_named_by_it():
    text = ("I came to the inn at dusk, and I knocked, and an old woman opened the door "
            "to me. I was tired and I was cold. She peered at me and said, “The English "
            "gentleman?” “Yes,” I said, “Walter Brandt.” She let me in, and I followed "
            "her up the stairs, where I found my room.\n\n“Sleep well,” she said.\n\n"
            "“I will,” I said.\n")
    assert _speakers(text)[-1] == "Walter Brandt"


def test_a_name_the_narration_opens_a_sentence_with_is_not_the_narrator():
    # the servant is called twice, but the narration tells of him as a third person
    text = ("I rode up to the house, and I waited while my host came out. I had never "
            "seen so cold a man, and I said so to myself.\n\n"
            "“Bram, take the horse,” he called. “Bram, bring some wine.”\n\n"
            "Bram was an old man, bent and sour. He took the horse without a word.\n\n"
            "“A fine evening,” I said.\n")
    assert _speakers(text)[-1] == "Narrator"


def test_an_object_pronoun_after_a_name_is_not_its_gender():
    # "watched him" / "asked her" are about someone else: Velde is a woman (her book) and
    # Ansel a man (his coat), whom they watched and asked
    text = ("Velde sat by the fire with her book. Tom stood by the door. Velde watched "
            "him for a while.\n\n“Stay,” said Velde.\n\nAnsel took off his coat. Mary "
            "came in. Ansel asked her to sit.\n\n“Thank you,” said Ansel.\n")
    genders = {c.name: c.gender for c in build_script(text).characters}
    assert genders == {"Velde": Gender.FEMALE, "Ansel": Gender.MALE}


def test_a_name_in_a_sentence_whose_subject_is_he_after_an_opening_phrase():
    # "Laughing, he took ... Tom's hand": Tom is not who "he" means, nor the next "he"
    text = ("Ben came in from the rain. Laughing softly, he took the cup from Tom's hand."
            "\n\n“Mine now,” he said.\n")
    assert _speakers(text) == ["Ben"]


def test_a_pronoun_led_sentence_broken_after_the_pronoun_by_a_hard_wrap():
    # "He⏎glanced ... Mr. Hale was there": Hale is not the "he" of the next tag
    text = ("Ben Ardley walked slowly up the long drive to the house, for he had no wish\n"
            "to be early and no wish at all to be seen arriving on foot by the others. He\n"
            "glanced round the hall when the door opened, and saw that Mr. Hale was\n"
            "already there by the fire, talking to a woman in a grey dress.\n\n"
            "“Have you been here long?” he asked Nora.\n\n"
            "“Not long,” she said, and turned back to the fire.\n")
    assert _speakers(text)[0] == "Ben Ardley"


def test_he_after_a_sentence_opened_by_a_described_person_is_that_person():
    # Tom is the last man named, but the sentence right before the quote is the surgeon's
    text = ("Tom Reed was taken up the stairs and left there with his mother.\n\n"
            "That night the door opened. The surgeon leaned over the bed and raised "
            "the lamp. “The old story,” he said.\n")
    assert _speakers(text) == ["the surgeon"]


def test_he_replied_after_a_named_speakers_long_paragraph_is_the_other_man():
    # Hugo's turn has a long stretch of narration, so it is not a plain turn; "he replied"
    # still answers him, so it is Piet's line, not Hugo's
    text = ("Piet Laan sat by the easel with his brush in his hand.\n\n"
            "Hugo Brandt stretched himself out on the long couch by the window and looked at "
            "his friend for a long time through the smoke that curled up from his pipe. "
            "“Not show it? Why ever not?”\n\n"
            "“You will laugh at me,” he replied, “but I cannot.”\n")
    assert _speakers(text) == ["Hugo Brandt", "Piet Laan", "Piet Laan"]


def test_a_tag_with_an_epithet_before_the_name_names_the_speaker():
    # "said old Hobb" is Hobb's tag: Hobb, though called twice, is not the narrator "I"
    text = ("I came down to supper late, and I sat at the end of the table by my aunt.\n\n"
            "“A bad business, Mr Hobb,” my aunt was saying. “How do you mean, Mr Hobb?”\n\n"
            "“Bad for children,” said old Hobb, “that is what I mean.”\n\n"
            "I said nothing, and I ate my supper.\n\n“Who is ill?” said I.\n")
    assert _speakers(text)[2:] == ["Hobb", "Hobb", "Narrator"]


def test_a_first_person_tag_with_a_verb_before_the_speech_verb():
    # "I remember asking." / "he managed to say." are tags; without them the turns would
    # be guessed from the conversation
    text = ("We sat round the fire, and I listened while Douglas spoke.\n\n"
            "“It is beyond everything,” said Douglas.\n\n"
            "“For sheer terror?” I remember asking.\n\n"
            "Douglas passed his hand over his eyes. He said nothing for a while.\n\n"
            "“For dread,” he managed to say.\n")
    assert _speakers(text) == ["Douglas", "Narrator", "Douglas"]


def test_a_bare_surname_is_the_titled_man_not_his_daughter():
    # "Vane" joins "Mr. Vane", not "Clara Vane": "said Vane" is the father's line
    text = ("Mr. Vane was the youngest son of a poor family. His daughter Clara Vane was "
            "seventeen, and she loved the garden.\n\n"
            "“We cannot stay here,” said Vane, and he looked at the empty grate.\n\n"
            "“Then we must go,” said Clara Vane.\n")
    assert _speakers(text) == ["Mr. Vane", "Clara Vane"]


def test_a_titled_name_heard_in_dialogue_is_the_tagged_man_of_that_surname():
    # "Mr Hobb" (only in quotes) is the "old Hobb" of the tags, so not the narrator "I"
    text = ("I came down to supper late. Old Hobb was sitting at the fire, and I sat at "
            "the end of the table by my aunt, and I said nothing at all.\n\n"
            "“A bad business, Mr Hobb,” my aunt was saying. “How do you mean, Mr Hobb?”\n\n"
            "“Bad for children,” said old Hobb.\n\n“Who is ill?” said I.\n")
    assert _speakers(text)[-1] == "Narrator"


def test_a_name_owned_by_her_is_not_she():
    # "her Ayah" and "Millie, her maid," belong to the "she" around them
    text = ("Mary Lennox woke up cross, and she grew crosser when she saw that the woman "
            "by her bed was not her Ayah.\n\n“Why did you come?” she said.\n\n"
            "Mrs. Wren lit the fire. As soon as the kettle was on, and Millie, her young "
            "maid, had been sent out, she laid the table.\n\n“Supper is ready,” she said.\n")
    assert _speakers(text) == ["Mary Lennox", "Mrs. Wren"]


def test_a_name_that_is_a_sentence_by_itself_is_not_the_next_he():
    # "Orestes." is a thought, not someone acting: "he cried" is still Ned's
    text = ("Ned Hollis climbed onto the wall and whistled, then paused to listen, his "
            "teeth glinting. Orestes. Two whistles answered him from the shore.\n\n"
            "“Thanks, old chap,” he cried.\n")
    assert _speakers(text) == ["Ned Hollis"]


def test_the_name_in_the_answer_to_your_name_is_the_answerers_own():
    # “Ned, sir.” answers “Tell me your name!”: it does not call the man Ned, so the
    # man's lines stay his
    text = ("I was alone in the churchyard when a rough man seized me by the collar, and I "
            "cried out.\n\n“Tell me your name!” said the man. “Quick!”\n\n“Ned, sir.”\n\n"
            "“Once more,” said the man.\n\n“Ned. Ned, sir.”\n")
    got = _speakers(text)
    assert got[0] == got[1] == "the man"


def test_a_paragraph_ending_in_a_comma_introduces_the_quote_after_it():
    # the sentence "...as he had said at dinner," runs on into the quote: it is his line
    text = ("Mr. Hale sat by the fire. Ada smiled and talked as brightly as she could, to keep "
            "him cheerful; but when tea came, it was impossible for him not to say again, as "
            "he had said at dinner,\n\n"
            "“Poor Miss Dunn! I wish she were here.”\n\n"
            "“I cannot agree with you, papa.”\n")
    assert _speakers(text) == ["Mr. Hale", "Ada"]


def test_she_opening_the_answer_to_a_turn_that_calls_a_girl_is_that_girl():
    # Mrs. Hale is the last woman named, but the paragraph opening "She looked at him"
    # answers the turn that called Nell
    text = ("Mrs. Hale was asleep in the next room. The doctor went in to the child and "
            "shut the door behind him. “Feel sick, Nell?” he asked.\n\n"
            "She looked at him with great affection. “I thought you were here,” she said.\n")
    assert _speakers(text) == ["the doctor", "Nell"]


def test_a_possessive_inside_a_sentence_is_not_the_next_he():
    # "Mr. Ward's name" qualifies the cart; the man who had seen it is the one who speaks
    text = ("Parson Lee rode up slowly, for he had much to say.\n\n"
            "The sun was low over the hill.\n\n"
            "A month before, when Mary was ill, he had seen Mr. Ward's name painted on a "
            "cart.\n\n“I meant not to trouble you with it,” said he.\n")
    assert _speakers(text) == ["Parson Lee"]


def test_a_tag_with_would_before_a_plain_speech_verb():
    # "she would sigh" is a tag (a habit told once for many days)
    text = ("Every morning Beatrix came into the nursery, and Tom sat up in bed.\n\n"
            "“All right.”\n\n“I am feeling very old to-day, Tom,” she would sigh.\n")
    assert _speakers(text)[-1] == "Beatrix"


def test_the_narrator_is_the_other_party_when_the_narration_puts_i_in_the_scene():
    # the cousin is tagged; nobody else is tagged or called, and the paragraph before the
    # talk has "I" in it: the untagged answer is the narrator's
    text = ("I had been sent to bed early, and I took my book and hid. I did not hear the "
            "door, and I did not see my cousin come in until he was there. I was afraid of "
            "him, and I said nothing at first, for I knew he would find me.\n\n"
            "Mr. Dale had gone out for the evening.\n\n"
            "Accustomed to his temper, I waited for the blow.\n\n"
            "“What were you doing behind the curtain?” he asked.\n\n“I was reading.”\n")
    assert _speakers(text)[-1] == "Narrator"


def test_he_follows_a_chain_of_he_sentences_back_to_the_described_person():
    # "As the doctor crossed the room he paused ... He went to the door.": the doctor,
    # not Tom, whom the paragraph named first
    text = ("Tom Reed was pouring coal into the stove in the kitchen.\n\n"
            "As the doctor crossed the dining-room he paused and listened. From one of the "
            "rooms he heard a child breathing fast. He went to the kitchen door.\n\n"
            "“Is one of the children sick?” he asked.\n")
    assert _speakers(text) == ["the doctor"]

# -- round 5: a described speaker and the name the story gives the same person -------------

def test_a_shortened_titled_name_joins_the_full_titled_name():
    # "Dr. Halvard Mott" then "Dr. Mott": one doctor, so "the doctor" is him
    text = ("Dr. Halvard Mott kept his rooms above the bakery. He was tired.\n\n"
            "“Come in,” said the doctor.\n\n"
            "Dr. Mott put down his pen and waited.\n")
    s = build_script(text)
    assert _speakers(text) == ["Dr. Halvard Mott"]
    assert "Dr. Mott" in s.character("Dr. Halvard Mott").aliases


def test_a_bare_name_joins_the_only_titled_form_of_it():
    text = ("Uncle Bertram lit his pipe. He frowned at the rain.\n\n"
            "“Wet again,” said Bertram.\n")
    s = build_script(text)
    assert _speakers(text) == ["Uncle Bertram"]
    assert "Bertram" in s.character("Uncle Bertram").aliases


def test_a_bare_surname_shared_by_two_titled_names_stays_apart():
    text = ("Mr. Ashdown and Mrs. Ashdown sat by the fire. He read; she knitted.\n\n"
            "“Late,” said Ashdown.\n")
    names = {c.name for c in build_script(text).characters}
    assert "Mr. Ashdown" not in names and "Mrs. Ashdown" not in names


def test_her_mother_is_the_one_mrs_of_the_family_named_in_the_scene():
    # no "Mrs. Farrow" before the line; the scene's family name (Mr. Farrow) makes her
    text = ("Mr. Farrow came in from the fields and found his daughter at the window. "
            "He hung up his coat.\n\n"
            "“Rain tomorrow, Nell,” he said.\n\n"
            "“Then we stay home,” said her mother from the stove.\n\n"
            "Mrs. Farrow set down the kettle and Mrs. Dale, her neighbour, laughed.\n")
    assert _speakers(text) == ["Mr. Farrow", "Mrs. Farrow"]


def test_the_definite_form_of_an_introduction_is_an_alias():
    # the story may go on to say "the village nurse": that is the nurse who spoke
    text = ("A village nurse came up the lane with her basket. The house was dark.\n\n"
            "“Is the child awake?” asked the nurse.\n")
    s = build_script(text)
    assert _speakers(text) == ["the nurse"]
    assert "the village nurse" in s.character("the nurse").aliases


def test_an_epithet_tag_is_the_named_person_just_talked_about():
    text = ("Mrs. Pruett watched the road all morning. Mrs. Pruett, try as she might, "
            "could not guess where the cart had gone.\n\n"
            "“I'll ask at the mill,” said the good woman at last.\n")
    assert _speakers(text) == ["Mrs. Pruett"]


def test_an_introduced_description_keeps_its_own_person():
    text = ("Mrs. Pruett watched the road. A tall woman came up the path with a basket.\n\n"
            "“Any eggs today?” asked the tall woman.\n")
    assert _speakers(text) == ["the tall woman"]


def test_a_described_speaker_who_gives_a_known_name_has_it_as_an_alias():
    # (introduced as "a little girl", so not an epithet for the name)
    text = ("Nora Fenn had slept through the storm. When the men came, a little girl sat "
            "alone in the corner.\n\n"
            "“I am Nora Fenn,” the little girl said.\n")
    s = build_script(text)
    speaker = _speakers(text)[0]
    assert "Nora Fenn" in (speaker, *s.character(speaker).aliases)


def test_an_introduction_keeps_its_prepositional_phrase_as_an_alias():
    text = ("The square was full.\n\n"
            "“Shame on them!” cried a man in the crowd.\n\n"
            "The bell rang twice, and everyone turned.\n\n"
            "“Hush now,” said the man.\n")
    s = build_script(text)
    assert _speakers(text) == ["the man", "the man"]
    assert "a man in the crowd" in s.character("the man").aliases


def test_a_described_speaker_takes_the_name_the_scene_gives_next():
    text = ("The ferry was cold. A young woman stood by the rail, and a stout man in a "
            "grey coat was reading a timetable.\n\n"
            "“Twenty minutes late,” he grumbled.\n\n"
            "“It always is,” said the young woman.\n\n"
            "“Not on Sundays,” said the stout man.\n\n"
            "Mr. Pellow folded the timetable into his pocket.\n\n"
            "“Never on Sundays,” he said.\n")
    assert _speakers(text) == ["Mr. Pellow", "the young woman", "Mr. Pellow", "Mr. Pellow"]
    names = {c.name for c in build_script(text).characters}
    assert "the stout man" not in names


def test_two_described_people_who_talk_are_not_the_name_that_arrives():
    # the man and the woman answer each other; Mr. Pellow who comes in is a third person
    text = ("A stout man and a young woman stood by the rail.\n\n"
            "“Late,” said the stout man.\n\n"
            "“Always,” said the young woman.\n\n"
            "“Not always,” said the stout man.\n\n"
            "“Always,” said the young woman.\n\n"
            "Then Mr. Pellow came up the stairs.\n")
    assert _speakers(text) == ["the stout man", "the young woman"] * 2


def test_her_name_was_a_title_word_still_names_her():
    # a pet's or a horse's name may be a title word ("Princess", "Major")
    text = ("I grew up in a warm stable. My mother was a gentle old mare with a white "
            "star on her face. Her name was Princess.\n\n"
            "“Keep your head low in the wind,” said my mother.\n")
    assert _speakers(text) == ["Princess"]


def test_my_relation_followed_by_a_name_is_that_person():
    text = ("I was the youngest, and my sister Clara never let me forget it. We lived by "
            "the river.\n\n"
            "“You will fall in,” said my sister.\n\n"
            "“I never fall in,” I said.\n")
    assert _speakers(text)[0] == "Clara"


def test_a_relation_named_inside_someone_elses_quote_is_not_the_narrators():
    text = ("I met Tom at the gate, and I asked him about the boats.\n\n"
            "“My father Walter built them all,” said Tom.\n\n"
            "At home I told the story again.\n\n"
            "“Nonsense,” said my father.\n")
    assert _speakers(text)[-1] != "Walter"


def test_two_kinds_of_person_introduced_apart_are_two_speakers():
    text = ("A stooped farmer was driving his cart along the lane when he met a young "
            "curate on a bicycle.\n\n"
            "“Fine morning,” said the farmer with the cart.\n\n"
            "“Fine indeed,” said the curate.\n\n"
            "“Rain by noon, though.”\n")
    sp = _speakers(text)
    assert sp[0] != sp[1]
    assert sp[1] == "the curate"


def test_a_description_inside_a_quote_is_not_a_he_in_the_scene():
    text = ("The ward was quiet.\n\n"
            "“Is it a girl?” whispered the mother.\n\n"
            "“Another boy.”\n\n"
            "Then the surgeon washed his hands at the basin.\n\n"
            "“Rest now,” he said.\n")
    assert _speakers(text)[-1] == "the surgeon"


def test_a_neutral_noun_takes_its_gender_from_its_own_clause():
    # "the surgeon washed his hands": he; the "his" after a comma may be someone else's.
    # (A sentence between keeps the rule for a he right after a sentence opened by a described
    # person out of this test.)
    text = ("The ward was quiet. Then the surgeon washed his hands at the basin. The lamp "
            "flickered.\n\n“Rest now,” he said.\n")
    assert _speakers(text) == ["the surgeon"]
    text = ("The ward was quiet. Then the surgeon, who had been talking to his son, "
            "washed. The lamp flickered.\n\n“Rest now,” he said.\n")
    assert _speakers(text) != ["the surgeon"]


def test_with_two_described_speakers_the_name_goes_to_the_one_who_spoke_last():
    text = ("An old man sat by the stove. Later a young curate came in from the rain.\n\n"
            "“Wet night,” said the old man.\n\n"
            "Nobody answered him for a while.\n\n"
            "“It is,” said the curate, shaking his coat.\n\n"
            "Mr. Lindqvist hung the coat by the door.\n")
    assert _speakers(text) == ["the old man", "Mr. Lindqvist"]

def test_tag_closing_the_paragraph_before_with_a_comma():
    # the narration runs into the speech: "...as he had said at breakfast," / "“...”"
    text = ("Walter sat by the stove. Emily poured his coffee and chattered to keep him "
            "cheerful; but when the cake came, it was impossible for him not to say, as he "
            "had said at breakfast,\n\n"
            "“Poor Marta! I wish she were here again.”\n\n"
            "“You know she is happy now, uncle.”\n\n"
            "“Happy! How can she be happy so far away?”\n")
    assert _speakers(text) == ["Walter", "Emily", "Walter"]


def test_habitual_tag_with_a_modal():
    # "she would sigh": the base form after a modal is the same speech verb as "sighed"
    text = ("Margaret sat by the window and Walter read his paper.\n\n"
            "“Good morning,” said Walter.\n\n"
            "“Morning.”\n\n"
            "“I am feeling very tired today,” she would sigh, her hand at her brow.\n")
    assert _speakers(text) == ["Walter", "Margaret", "Margaret"]


def test_narration_that_quotes_in_passing_ends_the_exchange():
    # the paragraph about the household quotes Walter in passing: it is not a turn of the
    # exchange before it, so Martha (tagged after it) is not the other party of that exchange
    text = ("Clara stood at the foot of the stairs below the room where Tom slept. It was "
            "early, and the house was cold.\n\n"
            "“Tom.”\n\n"
            "“What is it now? I am still asleep.”\n\n"
            "“Come down and help me with the washing.”\n\n"
            "Nobody in the house hurried in the mornings. The kettle took its time, the clock in "
            "the hall ran slow, and the dog slept on the warm bricks by the stove until the sun "
            "reached the window. Every morning Walter said, “Leave the boy alone,” and went back "
            "to his newspaper, and the house grew quiet again until noon.\n\n"
            "“He will be late for school,” said Martha.\n")
    assert _speakers(text) == ["Clara", "Tom", "Clara", "Walter", "Martha"]


def test_relation_a_turn_is_called_by_names_its_speaker():
    # "Surely, uncle, ..." answers the line before it: that line is her uncle's
    text = ("Margaret sat by the bed in the darkened room.\n\n"
            "“I am not well, Margaret. I doubt I shall see another spring.”\n\n"
            "“Surely, uncle, you cannot mean it.”\n\n"
            "“I do mean it, my child. The doctor says so.”\n\n"
            "“Do not say so, uncle,” said Margaret.\n")
    s = build_script(text)
    assert _speakers(text) == ["her uncle", "Margaret", "her uncle", "Margaret"]
    assert "Uncle" in next(c for c in s.characters if c.name == "her uncle").aliases



def test_and_name_turns_to_the_next_speaker():
    # "—and Oliver, what have you been doing?" turns to someone new: he answers next
    text = ("Mrs. Hale smiled at Peter and Oliver as they came in from the yard.\n\n"
            "“There you are at last, Peter. What kept you?”\n\n"
            "“The new colt. He would not take the bridle.”\n\n"
            "“That's my brave boy!—and Oliver, what have you been doing?”\n\n"
            "“Fishing.”\n")
    assert _speakers(text) == ["Mrs. Hale", "Peter", "Mrs. Hale", "Oliver"]


def test_a_speaker_pages_of_narration_away_is_not_the_listener():
    # Martin spoke in another exchange; the narration since tells of Mary, not of him
    filler = ("The road ran on between the hedges for a mile or more, and the dust lay thick "
              "upon it, for there had been no rain since the fair. ") * 6
    text = ("“Will you sell the horse?” asked Jonas.\n\n"
            "“Not for that price,” said Martin.\n\n" + filler + "\n\n"
            "Later that evening Walter found Mary in the kitchen. She was bent over the "
            "accounts with a candle at her elbow.\n\n"
            "“Still at it?” said Walter.\n\n"
            "“Someone has to be.”\n\n"
            "“Leave it till morning.”\n\n"
            "“And have the bailiff at the door by noon? No.”\n")
    assert _speakers(text) == ["Jonas", "Martin", "Walter", "Mary", "Walter", "Mary"]


def test_a_name_given_to_sir_is_not_a_vocative():
    # “Davy, sir.” answers "your name?": it does not call Davy, so Davy did not ask
    text = ("A tall man seized Davy by the collar in the churchyard.\n\n"
            "“Hold still!” cried the man.\n\n"
            "“Don't hurt me, sir,” said Davy.\n\n"
            "“Tell me your name! Quick!”\n\n"
            "“Davy, sir.”\n")
    assert _speakers(text) == ["the man", "Davy", "the man", "Davy"]


def test_a_new_description_answering_the_turn_before_is_the_other_party():
    # "said the parson" replies to the man with the sack: not another name for him
    text = ("On the road home a farmer with a sack was met by a parson riding a bay horse.\n\n"
            "“Evening,” said the man with the sack.\n\n"
            "“Good evening to you,” said the parson.\n\n"
            "“A fine night for it.”\n")
    assert _speakers(text) == ["the man", "the parson", "the man"]


def test_narrator_named_in_dialogue_though_they_call_a_tagged_friend_more_often():
    # the narrator calls "Moreau" more often than anyone calls them "Finch", but a tag shows
    # Moreau speaking, so he is a third person and the narrator is Finch
    text = ("I had not seen my friend for a month when I called at his rooms. I knocked and "
            "I went in.\n\n"
            "“My dear Moreau,” said I, “you look tired.”\n\n"
            "“Tired, Finch? Never,” said Moreau.\n\n"
            "“My dear Moreau, you have not slept.”\n\n"
            "“Sit down, Finch, and listen.”\n\n"
            "“Moreau, I am listening,” I answered.\n")
    assert _speakers(text) == ["Finch", "Finch", "Moreau", "Finch", "Moreau", "Finch"]


def test_a_titled_full_name_the_plain_one_and_the_surname_are_one_person():
    # "Sometimes" opens a sentence and is written in lower case elsewhere: not part of a name
    # ("Sometimes Drake" had made "Drake" ambiguous); "Oswin Drake" is "Mr. Oswin Drake"
    text = ("Mr. Oswin Drake took the chair by the window. Oswin Drake was a patient man. "
            "Sometimes Drake would wait an hour without a word, and sometimes he would "
            "not.\n\n“Well?” said Drake.\n\n“Nothing yet,” said Oswin Drake.\n\n"
            "“Then we wait,” said Mr. Oswin Drake.\n")
    assert _speakers(text) == ["Mr. Oswin Drake"] * 3


def test_a_sentence_adverb_before_a_tagged_name_is_not_part_of_it():
    # "soon" is written in lower case elsewhere: "Soon Tom" is Tom
    text = ("Tom Reed and Sid Reed sat on the fence. They would soon hear the bell.\n\n"
            "“That's school,” Sid said.\n\n"
            "Soon Tom said, “I'm not going.”\n")
    assert _speakers(text) == ["Sid Reed", "Tom Reed"]


def test_an_epithet_is_the_one_named_speaker_of_its_gender_in_the_talk():
    # "the old man" is the clockmaker named paragraphs earlier, the one man talking
    text = ("The clockmaker, Ansel Brook, kept a shop of clocks. His new apprentice was a "
            "girl called Lena Hart.\n\n"
            "“Wind them all,” Ansel said.\n\n"
            "“Every one?” asked Lena.\n\n"
            "“Every one. It takes an hour.”\n\n"
            "The clocks ticked on the walls while she worked.\n\n"
            "“Done!”\n\n"
            "“No,” the old man said. “You missed the cuckoo.”\n")
    assert _speakers(text)[-2:] == ["Ansel Brook", "Ansel Brook"]
    # a description the narration follows as a person of its own keeps its lines
    text = ("The boy walked all night. The boy was tired and the road was long. Ansel "
            "Brook met him at the gate with his daughter Lena Hart.\n\n"
            "“Who are you?” said Ansel.\n\n"
            "“Nobody,” said Lena.\n\n"
            "“A traveller,” the tired boy said.\n")
    assert _speakers(text)[-1] != "Ansel Brook"
