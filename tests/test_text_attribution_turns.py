"""Attribution: turns (invented passages in, speakers out)."""

from attrkit import speakers

from narrate.script import Character, Gender
from narrate.text import build_script


def test_short_aside_keeps_the_conversation_going():
    text = ("“Are you ready?” asked Rosa.\n\n“Almost,” said Ivan.\n\n“Hurry, then.”\n\n"
            "The kettle hissed.\n\n“I am hurrying.”\n\n“Not fast enough.”\n")
    assert speakers(text) == ["Rosa", "Ivan", "Rosa", "Ivan", "Rosa"]


def test_introduction_ignores_non_names_and_names_of_others():
    text = ("Anna sat with Ben by the window. The rain went on and on, and she was sorry.\n\n"
            "“I am Sorry about the rain,” said Anna.\n\n"
            "“I am Ben, remember?” said the stranger.\n")
    s = build_script(text)
    cast = {c.name: c for c in s.characters}
    assert "Sorry" not in cast["Anna"].aliases
    assert "Ben" not in cast["the stranger"].aliases


def test_vocative_in_the_reply_names_the_untagged_speaker():
    text = ("Lukas and Gregor found Peter in the yard.\n\n"
            "“Is the cart mended?” asked Gregor.\n\n"
            "“Not yet.”\n\n"
            "“Then hurry, Lukas.”\n")
    # the third line calls the second speaker Lukas, a name the narration never used
    assert speakers(text)[1] == "Lukas"


def test_vocative_in_the_reply_outranks_a_bare_description():
    text = ("Bertil leaned on the gate. Mr. Osk came by every morning.\n\n"
            "“Fine morning,” said the man with the dog.\n\n"
            "“Fine indeed, Mr. Osk,” said Bertil.\n")
    assert speakers(text)[0] == "Mr. Osk"


def test_a_new_description_in_a_conversation_is_the_described_speaker():
    # "a rough voice" and then "the man": one person, the story varies its words
    text = ("Kaspar lay asleep on the pier with his cap over his eyes.\n\n"
            "“Get up, you,” said a rough voice.\n\n"
            "“What time is it?” asked Kaspar.\n\n"
            "“Seven o'clock,” said the man, tapping his stick.\n")
    s = build_script(text)
    first, _, last = speakers(text)
    assert first == last
    assert "the man" in s.character(first).aliases


def test_a_quote_calling_the_last_speaker_by_name_is_someone_else():
    text = ("Rosa and her brother Pavel sat at the table with their mother.\n\n"
            "“I hoped she was a witch,” said Pavel, buttering his bread. “Nonsense, Pavel! "
            "Isn't it strange, mamma?”\n")
    assert speakers(text)[1] != "Pavel"


def test_said_the_other_is_the_party_who_did_not_just_speak():
    text = ("Lorcan Hale and Dermot Kane sat by the fire for a long while in silence.\n\n"
            "“We might travel together,” said Dermot.\n\n"
            "“I never take a partner,” replied Lorcan.\n\n"
            "“Then I go alone,” said the other, mildly.\n")
    assert speakers(text) == ["Dermot Kane", "Lorcan Hale", "Dermot Kane"]


def test_a_scene_break_ends_the_conversation():
    for brk in ("* * *", "CHAPTER TWO"):
        text = (f"“Ready?” asked Rosa.\n\n“Yes,” said Ivan.\n\n{brk}\n\n"
                "Lena found Tom in the loft. Tom was asleep.\n\n"
                "“Is anyone there?” called Lena.\n\n“Only me.”\n")
        assert speakers(text)[-1] == "Tom"


def test_the_other_party_is_not_the_speaker_of_the_next_turn():
    text = ("Lucy and her cousin Charlotte sat at dinner opposite an old man.\n\n"
            "“We will change rooms with you,” said the old man.\n\n"
            "“Thank you very much indeed; that is out of the question,” said Charlotte.\n\n"
            "“Why?” said the old man, with both fists on the table.\n\n"
            "“Because it is quite out of the question, thank you.”\n\n"
            "“You see, we don't like to take--” began Lucy.\n")
    assert speakers(text)[3] == "Charlotte"


def test_she_opening_the_answer_to_a_turn_that_calls_a_girl_is_that_girl():
    # Mrs. Hale is the last woman named, but the paragraph opening "She looked at him"
    # answers the turn that called Nell
    text = ("Mrs. Hale was asleep in the next room. The doctor went in to the child and "
            "shut the door behind him. “Feel sick, Nell?” he asked.\n\n"
            "She looked at him with great affection. “I thought you were here,” she said.\n")
    assert speakers(text) == ["the doctor", "Nell"]


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
    assert speakers(text) == ["Clara", "Tom", "Clara", "Walter", "Martha"]


def test_and_name_turns_to_the_next_speaker():
    # "—and Oliver, what have you been doing?" turns to someone new: he answers next
    text = ("Mrs. Hale smiled at Peter and Oliver as they came in from the yard.\n\n"
            "“There you are at last, Peter. What kept you?”\n\n"
            "“The new colt. He would not take the bridle.”\n\n"
            "“That's my brave boy!—and Oliver, what have you been doing?”\n\n"
            "“Fishing.”\n")
    assert speakers(text) == ["Mrs. Hale", "Peter", "Mrs. Hale", "Oliver"]


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
    assert speakers(text) == ["Jonas", "Martin", "Walter", "Mary", "Walter", "Mary"]


def test_a_name_given_to_sir_is_not_a_vocative():
    # “Davy, sir.” answers "your name?": it does not call Davy, so Davy did not ask
    text = ("A tall man seized Davy by the collar in the churchyard.\n\n"
            "“Hold still!” cried the man.\n\n"
            "“Don't hurt me, sir,” said Davy.\n\n"
            "“Tell me your name! Quick!”\n\n"
            "“Davy, sir.”\n")
    assert speakers(text) == ["the man", "Davy", "the man", "Davy"]


def test_a_new_description_answering_the_turn_before_is_the_other_party():
    # "said the parson" replies to the man with the sack: not another name for him
    text = ("On the road home a farmer with a sack was met by a parson riding a bay horse.\n\n"
            "“Evening,” said the man with the sack.\n\n"
            "“Good evening to you,” said the parson.\n\n"
            "“A fine night for it.”\n")
    assert speakers(text) == ["the man", "the parson", "the man"]


def test_the_alternation_goes_on_from_the_last_speaker_of_a_paragraph_with_two():
    text = ("Anna and Ben sat on the steps of the house.\n\n"
            "“Where were you?” said Anna. “Out,” said Ben.\n\n"
            "“Out where?”\n\n“Just out.”\n\n“With whom, then?”\n")
    assert speakers(text) == ["Anna", "Ben", "Anna", "Ben", "Anna"]


def test_narration_that_brings_in_no_one_keeps_the_conversation_going():
    text = ("Anna met Ben at the corner of the street.\n\n“Where were you?” said Anna.\n\n"
            "Ben said, “Out.”\n\n“Out where?” said Anna.\n\n"
            "The clock in the tower struck nine, and somewhere down the street a dog began to "
            "bark at the carts going by on the cobbles.\n\n"
            "“Just out.”\n\n“That is no answer.”\n\n“It is the only one I have.”\n")
    assert speakers(text) == ["Anna", "Ben", "Anna", "Ben", "Anna", "Ben"]


def test_a_name_answering_who_is_not_a_call():
    text = ("Gregory Brennan had taught me for three years. When I came down to supper my "
            "aunt put down her cup and said to me:\n\n"
            "“Well, so your old teacher is gone.”\n\n“Who?” said I.\n\n“Gregory Brennan.”\n\n"
            "“Is he dead?”\n\n“Mrs Hogan told us this morning.”\n")
    said = speakers(text)
    assert said[3] != "Gregory Brennan" and said[3] == said[1]


def test_a_name_given_to_what_name_is_the_answerers_own_not_a_call():
    text = ("Dick held out his brush to Mr. Greyson.\n\n“Not a cent,” said Dick.\n\n"
            "“Then leave the change at my office.”\n\n“All right, sir. Where is it?”\n\n"
            "“Number nine, Fulton Street.”\n\n“Yes, sir. What name?”\n\n"
            "“Greyson, office on the second floor.”\n\n“All right, sir; I'll bring it.”\n")
    cast = (Character("Dick", ("Dick", "Ragged Dick"), Gender.MALE),
            Character("Mr Greyson", ("Mr Greyson", "Greyson"), Gender.MALE))
    said = speakers(text, characters=cast)
    assert said[2] == said[4] == said[6] == "Dick"
    assert said[3] == said[5] == "Mr Greyson"


def test_the_voice_the_next_paragraph_names_is_the_speakers():
    text = ("Florence knelt by her uncle's chair.\n\n“Don't say that, uncle,” she pleaded.\n\n"
            "“And I, too, uncle.”\n\n"
            "There was a shade of jealousy in the voice of Curtis Waring as he entered the "
            "library through the open door.\n")
    assert speakers(text)[1] == "Curtis Waring"


def test_a_speaker_a_tag_brings_in_is_not_the_one_the_turn_before_called():
    text = ("Mrs. Hale talked of the new vicar to Mr. Dunn by the fire all evening.\n\n"
            "“Would you walk to church in this weather, Mr. Dunn?” asked Mrs. Hale.\n\n"
            "“Surely not in the snow,” broke in a stout, red-faced farmer.\n")
    s = build_script(text)
    second = speakers(text)[1]
    assert second != "Mr. Dunn" and second.endswith("red-faced farmer")
    assert "a stout red-faced farmer" in s.character(second).aliases
