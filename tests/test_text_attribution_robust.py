"""Attribution never raises: generated grammatical stories full of possessive chains
("her mother's daughter"), nested descriptions ("the voice of the old man"), pronoun-only
conversations and kin words, with and without a cast (random text is in
test_script_properties.py)."""

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrate.script import Character, Gender, SegmentKind
from narrate.text import build_script, read_story

NAMES = ["Elizabeth", "Anna", "Mr. Bo", "Lady Catherine", "Tom", "Mrs. Bennet", "Jane"]
RELATIONS = ["mother", "father", "daughter", "son", "wife", "husband", "sister", "uncle",
             "aunt", "cousin", "friend", "maid"]
PEOPLE = ["the old man", "the woman", "a girl", "the doctor", "another", "the other",
          "a terrible voice", "the stranger"]
PRONOUNS = ["he", "she", "I", "they", "we"]

KIN = st.tuples(st.sampled_from(["her", "his", "my", "the", "their"]),
                st.sampled_from(RELATIONS)).map(" ".join)
BASE = st.one_of(KIN, st.sampled_from(NAMES), st.sampled_from(PEOPLE),
                 st.sampled_from(["her mother", "her daughter", "his father", "his son"]))
SUBJECT = st.recursive(BASE, lambda inner: st.one_of(
    st.tuples(inner, st.sampled_from(RELATIONS)).map(lambda t: f"{t[0]}'s {t[1]}"),
    st.tuples(st.sampled_from(RELATIONS), inner).map(lambda t: f"the {t[0]} of {t[1]}"),
    inner.map(lambda s: f"the voice of {s}"),
), max_leaves=4)
ANY_SUBJECT = st.one_of(st.sampled_from(PRONOUNS), SUBJECT)
SPEECH = st.sampled_from(["She did not choose it", "Mommy, come here", "Anna, wait",
                          "I am Tom", "Who are you", "Yes, uncle", "Not now", "Her name was Jo"])
VERB = st.sampled_from(["said", "asked", "replied", "went on", "added", "cried"])


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


NARRATION = st.tuples(ANY_SUBJECT, st.sampled_from([
    "went up stairs", "impatiently met her at the door", "looked at him",
    "spoke to her mother", "was frowning", "said nothing"]), st.sampled_from([".", ":", ","])
).map(lambda t: f"{_cap(t[0])} {t[1]}{t[2]}")
DIALOGUE = st.one_of(
    st.tuples(SPEECH, VERB, ANY_SUBJECT).map(lambda t: f"“{t[0]},” {t[1]} {t[2]}."),
    st.tuples(SPEECH, ANY_SUBJECT, VERB).map(lambda t: f"“{t[0]},” {t[1]} {t[2]}."),
    st.tuples(ANY_SUBJECT, VERB, SPEECH).map(lambda t: f"{_cap(t[0])} {t[1]}, “{t[2]}.”"),
    st.tuples(SPEECH, VERB, ANY_SUBJECT, SPEECH).map(
        lambda t: f"“{t[0]},” {t[1]} {t[2]}, “{t[3]}.”"),
    SPEECH.map(lambda s: f"“{s}.”"),
    SPEECH.map(lambda s: f"\"{s}\""),
)
PARAGRAPH = st.lists(st.one_of(NARRATION, DIALOGUE), min_size=1, max_size=4).map(" ".join)
STORY = st.tuples(st.lists(PARAGRAPH, min_size=1, max_size=12),
                  st.sampled_from(["\n\n", "\n"])).map(lambda t: t[1].join(t[0]) + "\n")
FAMILY = st.sampled_from(["her mother", "her daughter", "his father", "his son", "she", "he",
                          "Elizabeth", "her mother's sister", "the daughter of her mother"])
FAMILY_STORY = st.lists(st.one_of(
    st.tuples(FAMILY, st.sampled_from(["met her at the door", "looked at him"])).map(
        lambda t: f"{_cap(t[0])} {t[1]}."),
    st.tuples(SPEECH, VERB, FAMILY).map(lambda t: f"“{t[0]},” {t[1]} {t[2]}."),
), min_size=1, max_size=6).map(lambda ps: "\n\n".join(ps) + "\n")
"""Possessive chains only: every tag's speaker is someone's relative."""
CAST = (Character("Elizabeth", ("Lizzy",), Gender.FEMALE),
        Character("Mrs. Bennet", ("her mother",), Gender.FEMALE),
        Character("Tom", (), Gender.MALE))


def _attributes(text: str, cast: tuple[Character, ...]) -> None:
    script = build_script(text, characters=cast)
    pos = 0
    for seg in script.segments:
        assert seg.start == pos and seg.text == text[seg.start:seg.end]
        pos = seg.end
        if seg.kind is SegmentKind.DIALOGUE:
            assert seg.speaker
    assert pos == len(text)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STORY)
def test_generated_stories_attribute_without_a_cast(text: str) -> None:
    _attributes(text, ())


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STORY)
def test_generated_stories_attribute_with_a_cast(text: str) -> None:
    _attributes(text, CAST)


def test_a_description_whose_owner_is_described_by_the_same_pronoun() -> None:
    # "her daughter" asks who "she" is: "Her mother", who asks who "she" is ... (it raised
    # RecursionError on Pride and Prejudice)
    text = ("Elizabeth went up stairs. Her mother\nimpatiently met her at the door of the "
            "dressing-room, to ask why Lady\nCatherine would not come in again.\n\n"
            "\"She did not choose it,\" said her daughter, \"she would go.\"\n")
    for cast in ((), CAST):
        _attributes(text, cast)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FAMILY_STORY)
def test_generated_family_stories_attribute(text: str) -> None:
    _attributes(text, ())
    _attributes(text, CAST)


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="no shared corpus here")
@pytest.mark.parametrize("book", sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else [])
def test_every_corpus_book_scripts_with_and_without_a_cast(book: Path) -> None:
    text = read_story(book)
    plain = build_script(text)
    speaking = Counter(s.speaker for s in plain.segments if s.kind is SegmentKind.DIALOGUE)
    top = {name for name, _ in speaking.most_common(12)}
    cast = tuple(c for c in plain.characters if c.name in top)
    _attributes(text, ())
    _attributes(text, cast)
