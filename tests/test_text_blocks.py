from narrate.text.blocks import is_hard_wrapped, split_blocks
from narrate.text.clean import classify_blocks, is_title_case


def _texts(text):
    return [text[b.start:b.end] for b in split_blocks(text)]


def test_one_line_per_paragraph():
    text = "First line here.\nSecond line.\n\nThird.\n"
    assert _texts(text) == ["First line here.", "Second line.", "Third."]


def test_hard_wrapped_paragraphs_join_lines():
    line = "word " * 13
    para = "\n".join([line.strip()] * 3)
    text = f"{para}\n\n{para}\n\n{para}\n"
    assert is_hard_wrapped(text)
    assert len(_texts(text)) == 3


def test_bullets_start_blocks_even_when_wrapped():
    line = "word " * 13
    text = f"{line}\n{line}\n\n- one\n- two\n\n{line}\n{line}\n"
    assert "- one" in _texts(text)


def test_title_case():
    assert is_title_case("The Night the World Held Its Breath")
    assert not is_title_case("It was the truth.")


def _kinds(text):
    blocks = split_blocks(text)
    infos = classify_blocks(text, blocks)
    return [(text[b.start:b.end], i.kind) for b, i in zip(blocks, infos, strict=True)]


def test_headings_lists_and_text():
    text = ("Story start is here and long.\n\nA Night That Changed Everything\n\n"
            "She ran home.\n  • first item\n  • second item\n\n**Bold Heading**\n\nEnd.")
    kinds = dict(_kinds(text))
    assert kinds["A Night That Changed Everything"] == "heading"
    assert kinds["She ran home."] == "text"
    assert kinds["• first item"] == "list_item"
    assert kinds["**Bold Heading**"] == "heading"


def test_trailer_after_marker_is_skipped_with_reason():
    story = "\n".join(f"Sentence number {i} of the tale went on." for i in range(8))
    text = (story + "\nNews\nSomething Else Happened To Someone Famous Today\n"
            "A teaser that stops in the middle of…\nEnd of content\n")
    kinds = _kinds(text)
    assert [k for _, k in kinds[:8]] == ["text"] * 8
    assert [k for _, k in kinds[8:]] == ["skipped"] * 4
    blocks = split_blocks(text)
    reasons = [i.reason for i in classify_blocks(text, blocks)][8:]
    assert all(reasons) and "News" in reasons[0]


def test_marker_word_inside_story_is_not_trailer():
    text = "News\n" + "\n".join(f"Line {i} tells the story on." for i in range(6))
    assert [k for _, k in _kinds(text)][1:] == ["text"] * 6


def _wrap(text, width=56):
    """Greedy wrap, as a book scanner or textwrap would."""
    lines, cur = [], ""
    for word in text.split():
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    return [*lines, cur]


_NARRATION = ("The road wound down past the mill and over the old stone bridge, where the "
              "water ran brown and quick under the arches after a week of rain in the hills. ")


def _single_newline_book():
    paras = [_NARRATION * 6, "“Is the bridge safe?” asked the carter.",
             "“Safe enough for a light cart,” said the miller’s boy. “Not for yours.”",
             "“Then I wait.”", "“Do.”", _NARRATION * 7, "“Who goes there?” called a voice.",
             _NARRATION * 5]
    return "Chapter One\n\n" + "\n".join(line for p in paras for line in _wrap(p)) + "\n"


def test_single_newline_paragraphs_split_in_long_wrapped_region():
    text = _single_newline_book()
    texts = _texts(text)
    assert "“Then I wait.”" in texts and "“Do.”" in texts
    assert "“Is the bridge safe?” asked the carter." in texts
    assert any(t.startswith("“Who goes there?”") for t in texts)
    # the wrapped narration paragraphs stay whole
    assert sum(t.startswith("The road wound") for t in texts) == 3


def test_hard_wrapped_text_without_any_blank_line_is_wrapped():
    text = _single_newline_book().replace("Chapter One\n\n", "")
    assert is_hard_wrapped(text)
    assert "“Do.”" in _texts(text)


def test_one_sentence_per_line_without_blank_lines_is_not_wrapped():
    text = "\n".join(f"Sentence number {i} of this tale went on for a long while." for i in
                     range(50))
    assert not is_hard_wrapped(text)
    assert len(_texts(text)) == 50


def test_long_blank_line_paragraph_keeps_a_stray_early_break():
    # one early break in a long paragraph is a wrap quirk, not a paragraph end
    lines = _wrap(_NARRATION * 12)
    lines[10] = lines[10].rstrip() + "."
    lines[11] = "It " + lines[11]
    para = "\n".join(lines)
    text = f"{para}\n\n{para}\n"
    assert len(_texts(text)) == 2


def test_indented_line_starts_a_paragraph_in_long_region():
    lines = []
    for _ in range(6):
        body = _wrap(_NARRATION * 3, 60)
        lines += ["    " + body[0], *body[1:]]
    text = "\n".join(lines) + "\n\nThe end.\n"
    texts = _texts(text)
    assert len(texts) == 7
    assert all(t.startswith("The road") for t in texts[:6])


def test_quoted_lines_of_a_conversation_are_not_headings():
    # invented passage in the manner of the hard-wrapped books that made chapters of these lines
    text = ("He looked up from the fire and said abruptly:\n\n“Who is it?”\n\n“Mr Fogarty.”\n\n"
            "She put down her cup.\n\n“And Miss Harding?”\n\n“Gone to the Coast Road.”\n\n"
            "The room went quiet.\n\n“Harding, the Harbour Master of Cork!”\n\n"
            "Nobody laughed at that.\n\n“Derevaun Seraun! Derevaun Seraun!”\n\nThen silence.")
    kinds = dict(_kinds(text))
    for line in ("“Who is it?”", "“Mr Fogarty.”", "“And Miss Harding?”",
                 "“Gone to the Coast Road.”", "“Harding, the Harbour Master of Cork!”",
                 "“Derevaun Seraun! Derevaun Seraun!”"):
        assert kinds[line] == "text", line


def test_a_quoted_title_set_apart_from_talk_stays_a_heading():
    text = ("The crowd roared and the stage shook under them.\n\n\n“This Is Our Win.”\n\n"
            "Fans saw only the final hug and the kiss on her forehead.")
    assert dict(_kinds(text))["“This Is Our Win.”"] == "heading"


def test_one_word_in_capitals_between_section_gaps_is_a_title():
    body = "She went down to the quay and waited there for the boat. " * 3
    text = f"{body}\n\n\n\n\n\nARABY\n\n{body}\n\nSTOP\n\n{body}"
    kinds = dict(_kinds(text))
    assert kinds["ARABY"] == "heading"
    assert kinds["STOP"] == "text"  # one capital word in an ordinary paragraph gap: a shout
    opening = dict(_kinds(f"DUBLINERS\n\n\n\n\nARABY\n\n{body}"))
    assert opening["DUBLINERS"] == "heading" and opening["ARABY"] == "heading"
    assert dict(_kinds(f"HELP\n\n{body}"))["HELP"] == "text"
