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


def test_an_all_caps_title_is_said_as_words_once_with_one_period(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """"YOU BELIEVED IN ME." was announced "Y-O-U B-E-L-I-E-V-E-D..." and written with ".."."""
    from narrate.pipeline import RenderOptions
    from narrate.pipeline.produce import _announcement_texts, _announcer

    options = RenderOptions(show="night", voices_dir=tmp_path, music=False)
    title_text, credits_text = _announcement_texts(options, "YOU BELIEVED IN ME.", "piper:joe",
                                                   {})
    assert ".." not in title_text and ".." not in credits_text
    say = _announcer(options, "piper:joe")
    spoken = say(title_text) + " " + say(credits_text)
    assert "Y O U" not in spoken and "B E L" not in spoken
    assert "You Believed In Me" in spoken or "You believed in me" in spoken
    # an acronym in a title that is not all capitals stays one
    assert "D W T S" in say(_announcement_texts(options, "The DWTS Finale", "piper:joe", {})[0])


def test_the_description_never_stops_inside_a_quotation() -> None:
    from narrate.pipeline.produce import _description
    from narrate.voices.casting import Cast

    story = ("The Last Train\n\n"
             + "The station was empty but for the porter and his lamp, and the rain. " * 3
             + "\n\n“Last one tonight, miss. Platform 2. Mind the gap and the cold, and do "
             "not wait for the guard, he is asleep in the van and will not wake for you or "
             "anyone else tonight,” he said.\n")
    script = build_script(story, title="The Last Train")
    text = _description([(script, Cast(narrator="piper:joe", roles={}))], "The Last Train",
                        "piper:joe", {})
    opening = text.split(" Read by ")[0]
    assert opening.count("“") == opening.count("”")
    assert "Last one tonight" not in opening or opening.rstrip().endswith(("said.", "”"))


def test_synthetic_voices_are_disclosed_in_description_and_credits(tmp_path,  # type: ignore[no-untyped-def]
                                                                   monkeypatch) -> None:
    from narrate.pipeline import RenderOptions
    from narrate.pipeline.produce import _announcement_texts, disclosure

    monkeypatch.chdir(tmp_path)
    options = RenderOptions(show="night", voices_dir=tmp_path / "voices")
    sentence = disclosure(options)
    assert "synthetic" in sentence.lower() or "ai" in sentence.lower().split()
    assert sentence in _announcement_texts(options, "A Title", "piper:joe", {})[1]
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "night.toml").write_text(
        '[show]\ntitle = "Night"\ndisclosure = "Read by computer voices."\n')
    assert disclosure(options) == "Read by computer voices."
    assert "Read by computer voices." in _announcement_texts(options, "T", "piper:joe", {})[1]
