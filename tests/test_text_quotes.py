from narrate.script import SegmentKind
from narrate.text import build_script


def _dialogue(text, **kw):
    s = build_script(text, **kw)
    return [(seg.text, seg.speaker) for seg in s.segments if seg.kind is SegmentKind.DIALOGUE]


def test_curly_quotes_interrupted_and_resumed():
    d = _dialogue("“I came,” Mara said softly. “And I stayed.”\n")
    assert d == [("“I came,”", "Mara"), ("“And I stayed.”", "Mara")]


def test_straight_quotes_and_apostrophes():
    d = _dialogue('Tom\'s dog barked. "Don\'t go," said Tom.\n')
    assert d == [('"Don\'t go,"', "Tom")]


def test_unbalanced_quote_closes_at_paragraph_end():
    text = "“Wait for me, she cried.\nThe train left without anyone.\n"
    s = build_script(text)
    kinds = [(seg.kind, seg.text) for seg in s.segments if seg.kind is not SegmentKind.SPACE]
    assert kinds[0][0] is SegmentKind.DIALOGUE and kinds[0][1].endswith("cried.")
    assert kinds[1] == (SegmentKind.NARRATION, "The train left without anyone.")


def test_speech_over_several_paragraphs_keeps_speaker():
    text = ('"It began long ago," said Odile. "We were young.\n\n'
            '"Then the war came.\n\n"And we left."\n\nThe room was quiet.\n')
    d = _dialogue(text)
    assert [who for _, who in d] == ["Odile"] * 4


def test_single_quote_style():
    text = ("‘Good morning,’ said Jasper.\n\n‘Is it?’ asked Nell.\n\n"
            "‘It is,’ said Jasper. ‘The boat’s in.’\n\n‘Oh!’ said Nell.\n")
    assert [w for _, w in _dialogue(text)] == ["Jasper", "Nell", "Jasper", "Jasper", "Nell"]


def test_em_dash_dialogue():
    text = "—Come up, Kinch! he called.\n\n—Coming, said the other.\n\n—Hurry up.\n\nHe went.\n"
    d = _dialogue(text)
    assert len(d) == 3


def test_the_tag_of_an_em_dash_paragraph_is_the_narrators():
    # the whole paragraph was one quote, so "said his sister" was read in the sister's voice
    from narrate.script import SegmentKind
    from narrate.text import build_script

    text = ("—You'll miss your train, said his sister.\n\n—Then I'll take the next one.\n\n"
            "—Mother will be waiting, she said. She always waits.\n\n—No, Paolo said.\n")
    segs = [(s.kind, s.text.strip()) for s in build_script(text).segments
            if s.kind in (SegmentKind.DIALOGUE, SegmentKind.NARRATION)]
    assert segs == [
        (SegmentKind.DIALOGUE, "—You'll miss your train,"),
        (SegmentKind.NARRATION, "said his sister."),
        (SegmentKind.DIALOGUE, "—Then I'll take the next one."),
        (SegmentKind.DIALOGUE, "—Mother will be waiting,"),
        (SegmentKind.NARRATION, "she said."),
        (SegmentKind.DIALOGUE, "She always waits."),
        (SegmentKind.DIALOGUE, "—No,"),
        (SegmentKind.NARRATION, "Paolo said."),
    ]


def test_titles_headlines_and_posts_stay_with_narrator():
    text = ("They danced a waltz titled “Falling Slowly,” to a hushed room.\n"
            "The papers ran it: “A Night the Whole City Will Remember Forever.”\n"
            "Later he posted one line beneath a photo:\n“Some days you simply fly.”\n"
            "It was a so-called “miracle” cure.\n")
    assert _dialogue(text) == []
    s = build_script(text)
    reasons = [seg.reason for seg in s.segments if seg.reason]
    assert len(reasons) == 4


def test_quote_inside_heading_is_not_dialogue():
    text = "**“WE DID IT.”**\n\nThe crowd cheered for the pair.\n"
    assert _dialogue(text) == []


def test_scare_quote_with_its_stop_inside_is_narration():
    text = ("His friends said that he was at Geneva “studying.” His enemies laughed.\n"
            "The main building was called “the house,” to tell it from the cottages.\n"
            "“Come in,” said Ada.\n")
    assert _dialogue(text) == [("“Come in,”", "Ada")]


def test_a_title_case_answer_that_is_its_own_paragraph_in_a_conversation_is_speech():
    from narrate.script import SegmentKind
    from narrate.text import build_script

    text = ("“What is yonder to the west?” he asked.\n\n“Old Miss' School.”\n\n"
            "“Miss Smith's school?”\n")
    kinds = [s.kind for s in build_script(text).segments if s.text.startswith("“")]
    assert kinds == [SegmentKind.DIALOGUE] * 3
    # a quoted title inside narration stays the narrator's
    text = "She had read “The Old Man And The Sea” twice that summer.\n"
    assert all(s.kind is not SegmentKind.DIALOGUE for s in build_script(text).segments)


def test_a_verb_of_speaking_after_the_written_word_makes_the_quote_speech():
    from narrate.script import SegmentKind
    from narrate.text import build_script

    for text in ("Father Arnall wrote a hard sum on the board and then said:\n\n"
                 "“Now then, who will win? Go ahead, York!”\n",
                 "A faint voice feebly articulated the words, “Let me see the child.”\n"):
        kinds = [s.kind for s in build_script(text).segments if s.text.startswith("“")]
        assert kinds == [SegmentKind.DIALOGUE], text
    text = "The sign on the gate said “Keep Out” in red letters.\n"
    assert all(s.kind is not SegmentKind.DIALOGUE for s in build_script(text).segments)


def test_a_title_case_greeting_after_a_sentence_of_narration_is_speech():
    # "Evening, Mrs. Ross." is Title Case, but a greeting said after "he smiled." is no title
    text = ("‘Tickets, please,’ the guard said, and then, seeing the old lady, he smiled. "
            "‘Evening, Mrs. Wren.’\n")
    assert [q for q, _ in _dialogue(text)] == ["‘Tickets, please,’", "‘Evening, Mrs. Wren.’"]
    # a title named inside a sentence stays the narrator's, stop or no stop
    text = "She had read ‘Goodbye, Mister Chips.’ twice that summer.\n"
    assert _dialogue(text) == []


def test_the_words_of_an_agency_or_a_report_are_the_narrators():
    # "According to the National Weather Service, “wind gusts ...”" went to the last speaker
    text = ("“Stay inside,” said Mayor Ruth Adeyemi.\n\n"
            "According to the county weather office, “gusts reached 70 miles per hour.”\n")
    assert _dialogue(text) == [("“Stay inside,”", "Ruth Adeyemi")]
