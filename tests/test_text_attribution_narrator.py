"""Attribution: narrator (invented passages in, speakers out)."""

from attrkit import speakers

from narrate.script import Character, Gender
from narrate.text import build_script


def test_first_person_narrator():
    text = "I waited by the gate.\n\n“Who goes there?” I asked.\n"
    assert speakers(text) == ["Narrator"]


def test_named_first_person_narrator_from_vocatives():
    text = ("I followed my friend into the hall.\n\n“You see, Wendel, the door was open,” "
            "said Ashby.\n\n“I see it,” I said.\n\n“Then think, Wendel. Who opened it?”\n\n"
            "I could not answer him.\n")
    assert speakers(text)[1] == "Wendel"


def test_third_person_pronoun_never_the_named_narrator():
    cast = [Character("Pell", ("Pell",), Gender.MALE),
            Character("a sailor", ("a sailor",), Gender.MALE)]
    text = ("My name is Pell, and I was alone when Pell heard the steps.\n\n"
            "“Stand still,” he growled.\n\n“Yes, sir,” said I.\n")
    assert speakers(text, characters=cast) == ["a sailor", "Pell"]


def test_first_person_narrator_named_by_a_vocative_opening_a_quote():
    text = ("I went down to the gate and let my old friend in.\n\n"
            "“Ralph,” he said, “you bar your gate early.”\n\n"
            "“It is my habit,” I answered.\n\n"
            "“Smile and speak calmly, Ralph, as I do,” he said.\n")
    assert speakers(text)[2] == "Ralph"


def test_my_father_is_named_after_the_narrator_surname():
    # a first-person narrator named by others; "my father" is Mr <narrator's surname>
    text = ("I was late that day, and I knew it. “Good morning, Gideon Farrow,” said the "
            "vicar. I bowed.\n\n“Hurry along, Gideon Farrow,” said the vicar.\n\n"
            "I walked home through the rain and thought about the long sermon all the way "
            "back to our gate.\n\n“You are late,” said my father.\n")
    s = build_script(text)
    speaker = speakers(text)[-1]
    assert "Mr Farrow" in s.character(speaker).aliases


def test_a_third_person_story_full_of_i_in_its_dialogue_has_no_named_narrator():
    # "Tom" is called twice inside quotes and the quotes say "I" often, but the narration
    # never does: Tom is not a first-person narrator, so "he said" may be Tom
    text = ("Ben sat down by the stove. Tom stood at the door and looked at his aunt.\n\n"
            "“I know you took the jam, Tom,” said Aunt Polly. “I saw you.”\n\n"
            "“I never did,” he said.\n\n“I think you did, Tom. I know it.”\n")
    assert speakers(text)[2] == "Tom"


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
    assert speakers(text, characters=cast)[2] == "Nora Vale"


def test_the_narrator_is_named_by_the_reply_to_their_own_turn():
    # no cast: the one call that names the narrator opens the turn answering "I asked"
    text = ("I hid behind the curtain with my book, and I kept very still, for I knew "
            "my cousin would find me. I heard the door, and I came out.\n\n"
            "“What do you want?” I asked.\n\n“Nora, sit down and be quiet.”\n\n"
            "I sat down, and I said nothing more.\n")
    assert speakers(text)[0] == "Nora"


def test_the_narrator_who_answers_with_a_full_name_is_named_by_it():
    text = ("I came to the inn at dusk, and I knocked, and an old woman opened the door "
            "to me. I was tired and I was cold. She peered at me and said, “The English "
            "gentleman?” “Yes,” I said, “Walter Brandt.” She let me in, and I followed "
            "her up the stairs, where I found my room.\n\n“Sleep well,” she said.\n\n"
            "“I will,” I said.\n")
    assert speakers(text)[-1] == "Walter Brandt"


def test_a_name_the_narration_opens_a_sentence_with_is_not_the_narrator():
    # the servant is called twice, but the narration tells of him as a third person
    text = ("I rode up to the house, and I waited while my host came out. I had never "
            "seen so cold a man, and I said so to myself.\n\n"
            "“Bram, take the horse,” he called. “Bram, bring some wine.”\n\n"
            "Bram was an old man, bent and sour. He took the horse without a word.\n\n"
            "“A fine evening,” I said.\n")
    assert speakers(text)[-1] == "Narrator"


def test_a_first_person_tag_with_a_verb_before_the_speech_verb():
    # "I remember asking." / "he managed to say." are tags; without them the turns would
    # be guessed from the conversation
    text = ("We sat round the fire, and I listened while Douglas spoke.\n\n"
            "“It is beyond everything,” said Douglas.\n\n"
            "“For sheer terror?” I remember asking.\n\n"
            "Douglas passed his hand over his eyes. He said nothing for a while.\n\n"
            "“For dread,” he managed to say.\n")
    assert speakers(text) == ["Douglas", "Narrator", "Douglas"]


def test_the_narrator_is_the_other_party_when_the_narration_puts_i_in_the_scene():
    # the cousin is tagged; nobody else is tagged or called, and the paragraph before the
    # talk has "I" in it: the untagged answer is the narrator's
    text = ("I had been sent to bed early, and I took my book and hid. I did not hear the "
            "door, and I did not see my cousin come in until he was there. I was afraid of "
            "him, and I said nothing at first, for I knew he would find me.\n\n"
            "Mr. Dale had gone out for the evening.\n\n"
            "Accustomed to his temper, I waited for the blow.\n\n"
            "“What were you doing behind the curtain?” he asked.\n\n“I was reading.”\n")
    assert speakers(text)[-1] == "Narrator"


def test_a_relation_named_inside_someone_elses_quote_is_not_the_narrators():
    text = ("I met Tom at the gate, and I asked him about the boats.\n\n"
            "“My father Walter built them all,” said Tom.\n\n"
            "At home I told the story again.\n\n"
            "“Nonsense,” said my father.\n")
    assert speakers(text)[-1] != "Walter"


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
    assert speakers(text) == ["Finch", "Finch", "Moreau", "Finch", "Moreau", "Finch"]
