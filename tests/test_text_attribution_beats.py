"""Attribution: beats (invented passages in, speakers out)."""


from attrkit import speakers


def test_action_beat_paragraph_names_the_next_speaker():
    text = ("“Where were you?” asked Hilda.\n\n“Out.”\n\n"
            "Mr. Crane was drumming his fingers on the table.\n\n“Out where?”\n\n"
            "“Just out.”\n")
    # the beat makes Crane the speaker of the line after it; the turns alternate from there
    assert speakers(text)[2:] == ["Mr. Crane", "Hilda"]


def test_action_beat_does_not_reach_past_a_colon_or_an_inline_quote():
    text = ("Olga shrugged. Piet set down the cup and said to her:\n\n“Fine weather.”\n")
    assert speakers(text) == ["Piet"]


def test_named_beat_inside_paragraph_gives_the_next_quote_to_its_subject():
    text = ("Hilde and Anton sat by the stove.\n\n"
            "“We should go,” said Anton. Hilde shook her head slowly. “Not yet.”\n\n"
            "“Then when?” said Anton. The kettle sang on the stove; at last Hilde spoke. "
            "“At dawn.”\n")
    assert speakers(text) == ["Anton", "Hilde", "Anton", "Hilde"]


def test_beat_naming_the_same_speaker_continues():
    text = ("Hilde and Anton sat by the stove.\n\n"
            "“We should go,” said Anton. Anton rose from his chair. “Now.”\n")
    assert speakers(text) == ["Anton", "Anton"]


def test_a_described_subject_speaks_the_untagged_line_after_it():
    text = ("“Is this the ferry?” asked Ida Marsh.\n\n"
            "The porter scratched his chin. “Last crossing tonight, miss.”\n\n"
            "“Good,” Ida said.\n")
    assert speakers(text) == ["Ida Marsh", "the porter", "Ida Marsh"]


def test_a_beat_whose_last_clause_has_the_subject():
    text = ("Aunt Hedda looked under the bed and in the wardrobe for her nephew Jonas.\n\n"
            "“Jonas! Where are you?”\n\n"
            "There was a creak behind the curtain and she turned just in time to catch "
            "a small boy by the collar of his coat.\n\n"
            "“So there you are!”\n\n"
            "“I was only looking for my cap.”\n")
    assert speakers(text)[1:] == ["Aunt Hedda", "Jonas"]
