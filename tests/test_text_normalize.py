import pytest

import narrate.text.normalize as n


@pytest.mark.parametrize(("rule", "given", "expected"), [
    (n.strip_markup, "**Bold** and _soft_ words", "Bold and soft words"),
    (n.strip_bullet, "  • in the early days", "in the early days"),
    (n.expand_abbreviations, "Dr. Hough met Mr. Gray, e.g. at noon",
     "Doctor Hough met Mister Gray, for example at noon"),
    (n.times, "at 2 a.m. sharp", "at two A M sharp"),
    (n.times, "by 10:30 pm", "by ten thirty P M"),
    (n.ages, "a 19-year-old dancer", "a nineteen-year-old dancer"),
    (n.currency, "it cost $1,200", "it cost one thousand two hundred dollars"),
    (n.ordinals, "her 21st birthday", "her twenty-first birthday"),
    (n.years, "in 1995 and 2024", "in nineteen ninety-five and twenty twenty-four"),
    (n.years, "back in 2005", "back in two thousand five"),
    (n.decades, "the 1990s", "the nineteen nineties"),
    (n.numbers, "the final 30 seconds", "the final thirty seconds"),
    (n.numbers, "2.5 laps", "two point five laps"),
    (n.hashtags, "#DWTSHistory trended", "hashtag DWTS History trended"),
    (n.acronyms, "a DWTS judge", "a D W T S judge"),
    (n.acronyms, "YOU BELIEVED IN ME", "You Believed In Me"),
    (n.acronyms, "NASA called", "NASA called"),
    (n.ellipses, "Wow… it is heavy", "Wow... it is heavy"),
    (n.dashes, "a fall — a tribute", "a fall, a tribute"),
    (n.dashes, "this--this is it", "this, this is it"),
    (n.symbols, "Torvill & Dean", "Torvill and Dean"),
])
def test_rule(rule, given, expected):
    assert rule(given) == expected


def test_number_words():
    assert n.number_to_words(0) == "zero"
    assert n.number_to_words(115) == "one hundred and fifteen"
    assert n.number_to_words(2_000_019) == "two million and nineteen"
    assert n.ordinal_to_words(3) == "third"
    assert n.ordinal_to_words(40) == "fortieth"


def test_normalize_keeps_plain_text_and_applies_lexicon():
    assert n.normalize("She smiled.") == "She smiled."
    assert n.normalize("Carrie  Ann\nwaved", {"Carrie Ann": "Carry Ann"}) == "Carry Ann waved"
