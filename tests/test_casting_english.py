"""Casting with the native English voices installed (made-up style arrays: casting reads only
names and metadata): gender, children, the old and described voices, accent, a base voice per
character, blends before variants, the narrator's voice kept for the narrator."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from voicekit import install_test_voices

from narrate.script import Character, Gender, Script, Segment, SegmentKind
from narrate.text import build_script
from narrate.voices.casting import cast_for_show, cast_script, draft_cast, load_cast
from narrate.voices.catalog import ENGLISH_STYLES
from narrate.voices.choice import casting_pool, pitch_hz
from narrate.voices.engines.variants import split_variant
from narrate.voices.voicing import resolve_voice


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One install for the module (made-up arrays; the tests only read it)."""
    folder = tmp_path_factory.mktemp("english-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NARRATE_DATA_DIR", str(folder))
        install_test_voices(folder)
    return folder


@pytest.fixture(autouse=True)
def english(installed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NARRATE_DATA_DIR", str(installed))


def make_script(lines: list[tuple[str, int]], characters: list[Character],
                narration: str = "Once upon a time.") -> Script:
    segments = [Segment(SegmentKind.NARRATION, 0, len(narration), narration, speak=narration)]
    pos = len(narration)
    for speaker, n in lines:
        for _ in range(n):
            segments.append(Segment(SegmentKind.DIALOGUE, pos, pos + 3, "Hi.", speak="Hi.",
                                    speaker=speaker))
            pos += 3
    return Script(tuple(segments), tuple(characters))


def style(voice_id: str) -> str:
    return split_variant(voice_id)[0].split(":", 1)[1]


def parts(voice_id: str) -> set[str]:
    return {p.split("*")[0] for p in style(voice_id).split("+")}


def test_the_default_narrator_is_a_native_english_voice() -> None:
    cast = cast_script(make_script([("Ann", 1)], [Character("Ann", (), Gender.FEMALE)]))
    assert cast.narrator == "kokoro:af_heart"
    assert not cast.narrator_pinned


def test_without_the_english_voices_joe_narrates_with_a_warning(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        short_story: Path) -> None:
    from narrate.pipeline import RenderOptions
    from narrate.pipeline.produce import cast_story
    from narrate.voices import casting

    monkeypatch.setenv("NARRATE_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.setattr(casting, "_WARNED", [])
    caplog.set_level(logging.WARNING)
    script = build_script(short_story.read_text(encoding="utf-8"))
    _, cast = cast_story(script, RenderOptions())
    assert cast.narrator == "piper:joe"
    assert "narrate voices install" in caplog.text


def test_he_never_gets_a_female_voice_nor_she_a_male_one() -> None:
    people = [Character(f"M{i}", (), Gender.MALE) for i in range(14)] + \
             [Character(f"F{i}", (), Gender.FEMALE) for i in range(14)]
    cast = cast_script(make_script([(c.name, 1) for c in people], people))
    for c in people:
        assert resolve_voice(cast.roles[c.name]).gender is c.gender, c.name


def test_every_character_gets_a_base_voice_of_their_own_while_the_pool_lasts() -> None:
    # 9 American male styles: nine men each get one, none shared, all plain styles
    men = [Character(f"Man {i}", (), Gender.MALE) for i in range(9)]
    cast = cast_script(make_script([(m.name, 20 - i) for i, m in enumerate(men)], men))
    voices = [cast.roles[m.name] for m in men]
    assert all("+" not in v and "@" not in v for v in voices)
    assert len({style(v) for v in voices}) == 9
    # the tenth man gets a blend of two men's styles, not a pitch variant
    men.append(Character("Man 9", (), Gender.MALE))
    cast = cast_script(make_script([(m.name, 20 - i) for i, m in enumerate(men)], men))
    tenth = cast.roles["Man 9"]
    assert "+" in tenth and "@" not in tenth
    assert all(ENGLISH_STYLES[p] and p.startswith("am_") for p in parts(tenth))


def test_blends_come_before_variants_in_a_british_story() -> None:
    men = [Character(f"Man {i}", (), Gender.MALE) for i in range(11)]
    # an American narrator, so all four British men's styles are free for the characters
    cast = cast_script(make_script([(m.name, 20 - i) for i, m in enumerate(men)], men),
                       accent="en-GB", narrator="kokoro:af_heart")
    voices = [cast.roles[m.name] for m in men]
    assert len(set(voices)) == 11
    assert [("+" in v, "@" in v) for v in voices] == \
        [(False, False)] * 4 + [(True, False)] * 6 + [(False, True)]
    assert all(p.startswith("bm_") for v in voices for p in parts(v))


def test_nothing_built_on_the_narrators_voice_goes_to_a_character() -> None:
    women = [Character(f"W{i}", (), Gender.FEMALE) for i in range(30)]
    cast = cast_script(make_script([(w.name, 1) for w in women], women))
    assert cast.narrator == "kokoro:af_heart"
    assert all("af_heart" not in parts(v) for v in cast.roles.values())
    assert len(set(cast.roles.values())) == 30


def test_the_characters_heard_most_get_the_best_graded_voices() -> None:
    women = [Character("Lead", (), Gender.FEMALE), Character("Extra", (), Gender.FEMALE)]
    cast = cast_script(make_script([("Lead", 9), ("Extra", 1)], women))
    # af_heart (A) narrates; af_bella (A-) is the best left
    assert cast.roles["Lead"] == "kokoro:af_bella"
    assert cast.roles["Extra"] == "kokoro:af_nicole"
    assert cast_script(make_script([("Extra", 9), ("Lead", 1)], women)).roles["Extra"] == \
        "kokoro:af_bella"


def test_a_boy_gets_a_boys_voice_and_a_girl_a_girls() -> None:
    kids = [Character("Pip", (), Gender.MALE, age="child"),
            Character("Rosie", (), Gender.FEMALE, age="child"),
            Character("Tom", (), Gender.MALE)]
    cast = cast_script(make_script([("Pip", 3), ("Rosie", 2), ("Tom", 1)], kids))
    ages = {v.id: v.age for v in casting_pool()}
    for name, gender in (("Pip", Gender.MALE), ("Rosie", Gender.FEMALE)):
        voice = cast.roles[name]
        assert resolve_voice(voice).gender is gender
        assert ages[voice] == "child" and split_variant(voice)[1].pitch > 0
    assert ages[cast.roles["Tom"]] == "adult"
    assert not parts(cast.roles["Tom"]) & parts(cast.roles["Pip"])


LIGHTHOUSE = """The Light

Martha climbed the stairs. Her father Thomas was polishing the lens.

“You're late,” said Thomas. “The light won't wait.”

“It can wait for me,” Martha said.

He laughed at that, a low rumble like distant thunder.

“Show me,” said Thomas.
"""


def test_a_described_low_voice_gets_a_low_voice() -> None:
    script = build_script(LIGHTHOUSE)
    cast = cast_script(script)
    thomas = cast.roles["Thomas"]
    men = [hz for v in casting_pool() if v.language == "en-US" and v.gender is Gender.MALE
           and "+" not in v.id and "@" not in v.id and (hz := pitch_hz(v.id))]
    median = sorted(men)[len(men) // 2]
    assert (pitch_hz(thomas) or 999) < median
    # the same man with "a thin, reedy voice" gets one above the middle
    thin = build_script(LIGHTHOUSE.replace("a low rumble like distant thunder",
                                           "in a thin, reedy voice"))
    assert (pitch_hz(cast_script(thin).roles["Thomas"]) or 0) > median


def test_the_old_get_a_lower_voice() -> None:
    people = [Character("Mr. Abernathy", ("the old man",), Gender.MALE),
              Character("Sam", (), Gender.MALE)]
    cast = cast_script(make_script([("Sam", 5), ("Mr. Abernathy", 1)], people))
    assert (pitch_hz(cast.roles["Mr. Abernathy"]) or 999) < (pitch_hz(cast.roles["Sam"]) or 0)


BRITISH = """The Harbour

The grey harbour was full of colour that autumn, and the neighbours realised whilst they
queued at the theatre that the lorry had gone.

“I favour the centre,” said Ann. “It is the honour of the parlour.”

“Whatever you say,” Tom said.
"""


def test_british_spelling_gives_british_voices() -> None:
    cast = cast_script(build_script(BRITISH))
    assert cast.narrator == "kokoro:bm_george" and cast.accent == "en-GB"
    assert all(style(v).startswith(("bf_", "bm_")) for v in cast.roles.values())


def test_the_accent_flag_and_the_show_config_win(voices_dir: Path) -> None:
    cast = cast_script(build_script(BRITISH), accent="en-US")
    assert cast.narrator == "kokoro:af_heart"
    assert all(style(v).startswith(("af_", "am_")) for v in cast.roles.values())
    (voices_dir / "show.toml").write_text('[casting]\naccent = "british"\n', encoding="utf-8")
    assert cast_script(build_script("Plain story.\n\n“Hi,” said Tom.\n")).accent == "en-GB"


@pytest.fixture
def voices_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "voices"
    folder.mkdir(exist_ok=True)
    monkeypatch.setenv("NARRATE_VOICES_DIR", str(folder))
    return folder


def test_a_show_keeps_its_accent_and_old_japanese_roles(voices_dir: Path) -> None:
    (voices_dir / "tales.cast.toml").write_text(
        'show = "Tales"\nnarrator = "piper:joe"\n[roles]\n"Ann" = "kokoro:jf_alpha"\n',
        encoding="utf-8")
    script = build_script(BRITISH)
    cast = cast_for_show(script, show="Tales")
    assert cast.roles["Ann"] == "kokoro:jf_alpha"  # an old cast still renders as it was
    assert cast.narrator == "kokoro:bm_george"  # the old default narrator gives way
    saved = load_cast(voices_dir / "tales.cast.toml")
    assert saved is not None and saved.accent == "en-GB"
    # a later American-spelled episode of the same show stays British
    later = cast_for_show(build_script("The color of it.\n\n“Hi,” said Ann.\n"), show="Tales")
    assert later.narrator == "kokoro:bm_george"


def test_draft_casts_joe_and_variants_of_him() -> None:
    people = [Character("Ann", (), Gender.FEMALE), Character("Tom", (), Gender.MALE),
              Character("Pip", (), Gender.MALE, age="child")]
    script = make_script([("Ann", 3), ("Tom", 2), ("Pip", 1)], people)
    draft = draft_cast(cast_script(script), script)
    assert draft.narrator == "piper:joe"
    assert all(split_variant(v)[0] == "piper:joe" for v in draft.roles.values())
    pitch = {n: split_variant(v)[1].pitch for n, v in draft.roles.items()}
    assert pitch["Ann"] > 0 > pitch["Tom"] and pitch["Pip"] > pitch["Ann"]
