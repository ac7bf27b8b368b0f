"""Attribution: descriptions (invented passages in, speakers out)."""

from attrkit import speakers

from narrate.script import Character, Gender, SegmentKind
from narrate.text import build_script


def test_description_speaker_reported_as_the_story_says():
    text = "The road was long.\n\n“Good night,” said the old man.\n"
    assert speakers(text) == ["the old man"]


def test_description_keeps_the_form_the_story_introduced():
    text = ("A stranger came up the road with a sack.\n"
            "“Is this the way to the mill?” asked the stranger.\n")
    s = build_script(text)
    c = s.character(speakers(text)[0])
    assert "a stranger" in c.aliases


def test_cast_description_and_lone_gender_member():
    cast = [Character("a girl", ("a girl",), Gender.FEMALE),
            Character("The boy", ("The boy",), Gender.MALE)]
    text = ("He ran down the road until he stopped for breath.\n\n"
            "“What you run for?” she asked.\n\n“Because,” said the boy.\n")
    assert speakers(text, characters=cast) == ["a girl", "The boy"]


def test_described_speaker_who_introduces_himself_carries_that_name():
    text = ("A farmer walked home along the lane, and met a priest on a horse.\n\n"
            "“Evening,” said the priest. “I am Father Osgood, of the abbey.”\n\n"
            "“Good evening to you,” said the farmer.\n")
    s = build_script(text)
    cast = {c.name: c for c in s.characters}
    assert "Father Osgood" in cast["the priest"].aliases
    assert "Father Osgood" not in cast["the farmer"].aliases


def test_a_description_tag_links_later_mentions_of_it_to_the_cast_member():
    cast = [Character("Parson Grell", ("Parson Grell",), Gender.MALE),
            Character("Tobias Venn", ("Tobias Venn", "Tobias"), Gender.MALE)]
    text = ("Tobias Venn trudged along the lane.\n\n"
            "“Evening,” said the parson.\n\n"
            "Tobias kept walking. The parson rode nearer.\n\n"
            "“A word with you,” he said.\n")
    assert speakers(text, characters=cast) == ["Parson Grell", "Parson Grell"]


def test_described_speaker_keeps_the_introduction_with_adjectives():
    text = ("Out of the dusk came a white man leading a mule.\n\n"
            "“Evening,” the man called. “May I share your fire?”\n")
    s = build_script(text)
    speaker = speakers(text)[0]
    assert "a white man" in s.character(speaker).aliases


def test_the_young_man_is_not_the_old_man():
    text = ("An old man sat by the window; a young man stood near the door.\n\n"
            "“Close it,” said the old man.\n\n"
            "“It is closed,” said the young man.\n")
    assert speakers(text) == ["the old man", "the young man"]


def test_a_described_speaker_named_later_in_a_tag():
    # the gentleman is not named until the tag "said Mr. Quill" that closes the talk
    text = ("Benno waited by his box of brushes on the corner for a customer.\n\n"
            "“How much for a shine?” asked a gentleman.\n\n"
            "“Ten cents, sir,” said Benno.\n\n"
            "“Then shine them well,” said the gentleman.\n\n"
            "“Yes, sir.”\n\n"
            "“A sharp boy,” said Mr. Quill to himself as he walked off.\n")
    s = build_script(text)
    got = speakers(text)
    assert got[0] == got[2] == got[4] == "Mr. Quill"
    assert "the gentleman" in s.character("Mr. Quill").aliases


def test_her_name_was_names_the_description_before_it():
    # "my mother" is named by the statement after the narration about her
    text = ("I lived in a meadow with my mother. I knew she was a wise old mare, and our "
            "master thought a great deal of her. Her name was Bramble.\n\n"
            "“Stay close to me,” said my mother.\n\n“Why?” I asked.\n")
    cast = [Character("Bramble", ("Bramble",), Gender.FEMALE),
            Character("our master", ("our master",), Gender.MALE)]
    assert speakers(text, characters=cast)[0] == "Bramble"
    assert speakers(text)[0] == "Bramble"


def test_whose_name_was_names_a_described_speaker():
    text = ("A boy sat on the step.\n\n“Is it raining?” asked the boy.\n\n"
            "“Not yet,” said Ida Marsh.\n\nThe boy, whose name was Tobias, nodded.\n\n"
            "“Good,” said the boy.\n")
    assert speakers(text) == ["Tobias", "Ida Marsh", "Tobias"]


def test_a_voice_is_the_person_the_tag_brings_in():
    text = ("The lane was dark and Nell walked fast.\n\n"
            "“Stand still!” roared a dreadful voice, as a man rose up from behind the wall.\n\n"
            "“Who are you?” said the man.\n")
    assert speakers(text) == ["the man", "the man"]
    text = ("Mrs. Pell was at the window and Ada Rowe at the piano.\n\n"
            "“Such a pretty tune,” said a soft voice, which Ada knew to be that of Mrs. Pell.\n")
    assert speakers(text) == ["Mrs. Pell"]


def test_a_tag_with_an_epithet_before_the_name_names_the_speaker():
    # "said old Hobb" is Hobb's tag: Hobb, though called twice, is not the narrator "I"
    text = ("I came down to supper late, and I sat at the end of the table by my aunt.\n\n"
            "“A bad business, Mr Hobb,” my aunt was saying. “How do you mean, Mr Hobb?”\n\n"
            "“Bad for children,” said old Hobb, “that is what I mean.”\n\n"
            "I said nothing, and I ate my supper.\n\n“Who is ill?” said I.\n")
    assert speakers(text)[2:] == ["Hobb", "Hobb", "Narrator"]


def test_a_paragraph_ending_in_a_comma_introduces_the_quote_after_it():
    # the sentence "...as he had said at dinner," runs on into the quote: it is his line
    text = ("Mr. Hale sat by the fire. Ada smiled and talked as brightly as she could, to keep "
            "him cheerful; but when tea came, it was impossible for him not to say again, as "
            "he had said at dinner,\n\n"
            "“Poor Miss Dunn! I wish she were here.”\n\n"
            "“I cannot agree with you, papa.”\n")
    assert speakers(text) == ["Mr. Hale", "Ada"]


def test_the_definite_form_of_an_introduction_is_an_alias():
    # the story may go on to say "the village nurse": that is the nurse who spoke
    text = ("A village nurse came up the lane with her basket. The house was dark.\n\n"
            "“Is the child awake?” asked the nurse.\n")
    s = build_script(text)
    assert speakers(text) == ["the nurse"]
    assert "the village nurse" in s.character("the nurse").aliases


def test_an_epithet_tag_is_the_named_person_just_talked_about():
    text = ("Mrs. Pruett watched the road all morning. Mrs. Pruett, try as she might, "
            "could not guess where the cart had gone.\n\n"
            "“I'll ask at the mill,” said the good woman at last.\n")
    assert speakers(text) == ["Mrs. Pruett"]


def test_an_introduced_description_keeps_its_own_person():
    text = ("Mrs. Pruett watched the road. A tall woman came up the path with a basket.\n\n"
            "“Any eggs today?” asked the tall woman.\n")
    assert speakers(text) == ["the tall woman"]


def test_a_described_speaker_who_gives_a_known_name_has_it_as_an_alias():
    # (introduced as "a little girl", so not an epithet for the name)
    text = ("Nora Fenn had slept through the storm. When the men came, a little girl sat "
            "alone in the corner.\n\n"
            "“I am Nora Fenn,” the little girl said.\n")
    s = build_script(text)
    speaker = speakers(text)[0]
    assert "Nora Fenn" in (speaker, *s.character(speaker).aliases)


def test_an_introduction_keeps_its_prepositional_phrase_as_an_alias():
    text = ("The square was full.\n\n"
            "“Shame on them!” cried a man in the crowd.\n\n"
            "The bell rang twice, and everyone turned.\n\n"
            "“Hush now,” said the man.\n")
    s = build_script(text)
    assert speakers(text) == ["the man", "the man"]
    assert "a man in the crowd" in s.character("the man").aliases


def test_a_described_speaker_takes_the_name_the_scene_gives_next():
    text = ("The ferry was cold. A young woman stood by the rail, and a stout man in a "
            "grey coat was reading a timetable.\n\n"
            "“Twenty minutes late,” he grumbled.\n\n"
            "“It always is,” said the young woman.\n\n"
            "“Not on Sundays,” said the stout man.\n\n"
            "Mr. Pellow folded the timetable into his pocket.\n\n"
            "“Never on Sundays,” he said.\n")
    assert speakers(text) == ["Mr. Pellow", "the young woman", "Mr. Pellow", "Mr. Pellow"]
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
    assert speakers(text) == ["the stout man", "the young woman"] * 2


def test_her_name_was_a_title_word_still_names_her():
    # a pet's or a horse's name may be a title word ("Princess", "Major")
    text = ("I grew up in a warm stable. My mother was a gentle old mare with a white "
            "star on her face. Her name was Princess.\n\n"
            "“Keep your head low in the wind,” said my mother.\n")
    assert speakers(text) == ["Princess"]


def test_with_two_described_speakers_the_name_goes_to_the_one_who_spoke_last():
    text = ("An old man sat by the stove. Later a young curate came in from the rain.\n\n"
            "“Wet night,” said the old man.\n\n"
            "Nobody answered him for a while.\n\n"
            "“It is,” said the curate, shaking his coat.\n\n"
            "Mr. Lindqvist hung the coat by the door.\n")
    assert speakers(text) == ["the old man", "Mr. Lindqvist"]


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
    assert speakers(text)[-2:] == ["Ansel Brook", "Ansel Brook"]
    # a description the narration follows as a person of its own keeps its lines
    text = ("The boy walked all night. The boy was tired and the road was long. Ansel "
            "Brook met him at the gate with his daughter Lena Hart.\n\n"
            "“Who are you?” said Ansel.\n\n"
            "“Nobody,” said Lena.\n\n"
            "“A traveller,” the tired boy said.\n")
    assert speakers(text)[-1] != "Ansel Brook"


def test_a_description_answering_the_one_just_called_by_name_is_them():
    # the first turn calls Jonah by name; "the lad" answers it: Jonah, not the stranger
    # (the other described speaker of the scene), and "the lad" does not become his alias
    text = ("The stranger stood by the forge.\n\n“A cold road,” the stranger said.\n\n"
            "Ada Kerr set down her basket and looked him over for a long while without a word, "
            "as she looked over every horse and every buyer that came up the lane. Her grandson "
            "Jonah was stacking wood by the wall.\n\n"
            "“Jonah, fetch the gentleman some cider,” said Ada.\n\n"
            "“There's none left, Gran,” the lad answered.\n")
    script = build_script(text)
    lines = [s.speaker for s in script.segments if s.kind is SegmentKind.DIALOGUE]
    assert lines == ["the stranger", "Ada Kerr", "Jonah"]
    stranger = next(c for c in script.characters if c.name == "the stranger")
    assert "the lad" not in stranger.aliases


def test_the_animals_of_a_fable_speak_as_described_people():
    # "said the hare" was no speaker at all: every line went to "Someone"
    text = ("A hare met a tortoise on the road.\n\n"
            "“How slowly you walk,” said the hare.\n\n"
            "“Race me, then,” the tortoise answered.\n\n"
            "The hare laughed at him. “Gladly,” he said.\n")
    assert speakers(text) == ["the hare", "the tortoise", "the hare"]
def test_with_a_cast_a_described_speaker_takes_the_member_the_scene_names_next():
    cast = (Character("Nils Berg", ("Nils Berg", "Nils"), Gender.MALE),
            Character("Oskar Lind", ("Oskar Lind", "Oskar"), Gender.MALE),
            Character("Greta", ("Greta",), Gender.FEMALE))
    text = ("Nils Berg sat on the harbour wall mending a net.\n\n"
            "A young man in a sailor's jacket came along the quay and stopped beside him.\n\n"
            "“Is this the boat for Visby?” said the young man.\n\n"
            "“It is,” said Nils.\n\n"
            "“Then I am in time,” said the young man. Oskar Lind set down his bag and "
            "laughed.\n")
    assert speakers(text, characters=cast) == ["Oskar Lind", "Nils Berg", "Oskar Lind"]


def test_more_kinds_of_person_are_described_speakers():
    # "said the hag" and "the publican" were no person nouns: their lines went to someone else
    text = ("Martin knocked at the cottage door, and an old woman opened it.\n\n"
            "“Who sent you?” said the hag.\n\n"
            "“The publican at the crossroads,” said Martin.\n")
    assert speakers(text) == ["the hag", "Martin"]


def test_a_description_the_story_says_who_is_is_that_person():
    # "asked the man, who was a porter ..." / "said the porter": one person, not two
    text = ("A rough voice woke him. “Get up, you lazy boy!”\n\n"
            "“What time is it?” asked Dan.\n\n"
            "“Past seven,” said the man, who was a porter at the fish market. “You'll miss "
            "the boats.”\n\n"
            "Dan sat up and rubbed his eyes.\n\n"
            "“Some boys get up earlier than that,” said the porter.\n")
    script = build_script(text)
    said = [s.speaker for s in script.segments if s.kind is SegmentKind.DIALOGUE]
    assert said[2] == said[4]
