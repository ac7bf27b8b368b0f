"""Pipeline helpers: episode titles and voice credits."""

from __future__ import annotations

from narrate.pipeline import slugify, titled
from narrate.pipeline.produce import _voice_label
from narrate.text import build_script


def test_leading_heading_becomes_the_title_and_is_not_read_twice() -> None:
    script = titled(build_script("The Long Night\n\nIt was dark. “Hello,” said Ann.\n"), "x")
    assert script.title == "The Long Night"
    assert script.segments[0].kind.value == "skipped"
    assert "The Long Night" not in " ".join(s.speak for s in script.spoken)


def test_file_name_title_unless_it_is_an_id() -> None:
    text = "Rain fell on the harbour all night long, and nobody slept at all.\n"
    assert titled(build_script(text), "harbour_tales-2").title == "Harbour Tales"
    assert titled(build_script(text), "000_1d5dd2c8c1371135").title == (
        "Rain fell on the harbour all night long,…".replace(",…", "…"))


def test_voice_labels_are_the_plain_names() -> None:
    assert _voice_label("kokoro:af_heart") == "Heart"
    assert _voice_label("kokoro:jf_alpha") == "Alpha"
    assert _voice_label("piper:joe") == "Joe"
    # credits never read variant settings aloud ("Kumo, lower as Mr. Abernathy" was)
    assert _voice_label("kokoro:jm_kumo@pitch=-3,timbre=warm") == "Kumo"
    assert _voice_label("kokoro:am_michael@pitch=5,tempo=1.05") == "Michael"
    assert _voice_label("kokoro:jf_alpha+jf_tebukuro") == "Alpha and Tebukuro"
    assert _voice_label("kokoro:af_heart*0.7+bf_emma*0.3@pitch=2") == "Heart and Emma"


def test_credits_name_the_voice_as_the_character() -> None:
    from narrate.pipeline.produce import _credits_text

    text = _credits_text("Gold", "The Show", "kokoro:af_heart",
                         {"Witney Carson": "kokoro:af_bella@pitch=2.5,tempo=1.05",
                          "Carson McAllister": "kokoro:am_michael"}, generated_music=False)
    assert text == ("Gold was read by Heart. With Bella as Witney Carson and Michael as Carson "
                    "McAllister. This has been The Show.")


def test_slugify() -> None:
    assert slugify("Café: The Ünder-Story!") == "cafe-the-under-story"
    assert slugify("???") == "episode"


def test_opening_line_title_loses_its_quote_marks() -> None:
    script = titled(build_script("“Mommy, you did it!” the boy cried.\n"), "001_9e465333c74efe3c")
    assert script.title == "Mommy, you did it!"


def test_announcements_are_spoken_like_story_text(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from narrate.pipeline import RenderOptions
    from narrate.pipeline.produce import _announcer

    voices = tmp_path / "voices"
    voices.mkdir()
    (voices / "night.lexicon.toml").write_text('[words]\nNell = "Nel"\n', encoding="utf-8")
    say = _announcer(RenderOptions(show="night", voices_dir=voices), "tone:low")
    assert say("Night presents: Nell and the DWTS at 2 a.m.") == (
        "Night presents: Nel and the D W T S at two A M")


def test_short_slug_cuts_at_a_word_boundary() -> None:
    from narrate.pipeline import short_slug

    assert short_slug("Chapter 3: The Lighthouse Keeper's Daughter") == \
        "chapter-3-the-lighthouse-keeper-s"
    assert short_slug("Short one") == "short-one"
    # no boundary in the second half: a plain cut, never an empty slug
    assert short_slug("a " + "x" * 60) == "a-" + "x" * 38


def test_title_from_file_name_words_keeps_minor_words_lower_case() -> None:
    from narrate.pipeline import title_from_words

    assert title_from_words(["the", "adventures", "of", "sherlock", "holmes"]) == \
        "The Adventures of Sherlock Holmes"
    assert title_from_words(["of", "mice", "and", "men"]) == "Of Mice and Men"
    assert title_from_words(["DWTS", "finale"]) == "DWTS Finale"
