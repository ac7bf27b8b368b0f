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
