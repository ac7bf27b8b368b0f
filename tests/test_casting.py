"""Casting: distinct voices by gender and talkativeness, cast files, overrides, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrate.cli import cli
from narrate.errors import ConfigError, VoiceError
from narrate.script import NARRATOR, Character, Gender, Script, Segment, SegmentKind
from narrate.voices.casting import (
    Cast,
    alternative_voice,
    apply_cast,
    cast_file_path,
    cast_for_show,
    cast_script,
    casting_pool,
    load_cast,
    parse_voice_overrides,
    save_cast,
)
from narrate.voices.engines.variants import split_variant
from narrate.voices.voicing import resolve_voice


@pytest.fixture(autouse=True)
def voices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "voices"
    folder.mkdir()
    monkeypatch.setenv("NARRATE_VOICES_DIR", str(folder))
    return folder


def make_script(lines: list[tuple[str, int]], characters: list[Character]) -> Script:
    """A script where each (speaker, n) says n lines, between narration."""
    segments = [Segment(SegmentKind.NARRATION, 0, 4, "Once", speak="Once")]
    pos = 4
    for speaker, n in lines:
        for _ in range(n):
            segments.append(Segment(SegmentKind.DIALOGUE, pos, pos + 3, "Hi.", speak="Hi.",
                                    speaker=speaker))
            pos += 3
    return Script(tuple(segments), tuple(characters))


FAMILY = [Character("Witney Carson", ("Witney",), Gender.FEMALE),
          Character("her son", (), Gender.MALE, age="child"),
          Character("Robert Irwin", ("Robert",), Gender.MALE),
          Character("Bruno Tonioli", ("Bruno",), Gender.MALE)]
FAMILY_LINES = [("her son", 3), ("Witney Carson", 2), ("Robert Irwin", 1), ("Bruno Tonioli", 1)]


def _gender(voice_id: str) -> Gender:
    return resolve_voice(voice_id).gender


def test_everyone_gets_a_distinct_voice_of_their_gender() -> None:
    cast = cast_script(make_script(FAMILY_LINES, FAMILY))
    voices = [cast.narrator, *cast.roles.values()]
    assert len(set(voices)) == 5
    assert cast.narrator == "piper:joe"
    assert _gender(cast.roles["Witney Carson"]) is Gender.FEMALE
    assert _gender(cast.roles["Robert Irwin"]) is Gender.MALE
    assert _gender(cast.roles["Bruno Tonioli"]) is Gender.MALE
    # a boy gets a boy's voice: a male voice made a child's, never the girlish jf_nezumi
    son = cast.roles["her son"]
    assert _gender(son) is Gender.MALE
    assert {v.id: v.age for v in casting_pool()}[son] == "child"


def test_the_most_talkative_get_natural_base_voices() -> None:
    men = [Character(f"Man {i}", (), Gender.MALE) for i in range(5)]
    cast = cast_script(make_script([(f"Man {i}", 10 - i) for i in range(5)], men))
    voices = [cast.roles[f"Man {i}"] for i in range(5)]
    assert len(set(voices)) == 5  # more men than male voices: variants fill in
    assert split_variant(voices[0])[1].is_identity  # the chattiest gets a real voice
    assert all(_gender(v) is Gender.MALE for v in voices)
    assert all(not split_variant(v)[1].is_identity for v in voices[1:])


def test_pool_variants_are_distinct_and_gender_kept() -> None:
    pool = casting_pool()
    ids = [v.id for v in pool]
    assert len(ids) == len(set(ids))
    assert len(pool) > 20
    for v in pool:
        assert resolve_voice(v.id).gender is v.gender


def test_many_characters_never_share_while_the_pool_lasts() -> None:
    women = [Character(f"W{i}", (), Gender.FEMALE) for i in range(12)]
    cast = cast_script(make_script([(f"W{i}", 1) for i in range(12)], women))
    assert len(set(cast.roles.values())) == 12


def test_overrides_win_and_are_checked() -> None:
    script = make_script(FAMILY_LINES, FAMILY)
    # kokoro:jf_tebukuro is not the voice casting would pick for Witney, so the override shows
    cast = cast_script(script, overrides={"witney": "kokoro:jf_tebukuro",
                                          "Narrator": "kokoro:jm_kumo"})
    assert cast.roles["Witney Carson"] == "kokoro:jf_tebukuro"
    assert cast.narrator == "kokoro:jm_kumo"
    assert "kokoro:jm_kumo" not in cast.roles.values()
    with pytest.raises(VoiceError, match="unknown voice"):
        cast_script(script, overrides={"Bruno": "kokoro:nobody"})


def test_parse_voice_overrides() -> None:
    assert parse_voice_overrides(["Witney Carson=kokoro:jf_alpha", " Bob = tone:low@pitch=-2"]) \
        == {"Witney Carson": "kokoro:jf_alpha", "Bob": "tone:low@pitch=-2"}
    with pytest.raises(VoiceError, match="expected NAME=VOICE"):
        parse_voice_overrides(["Witney"])


def test_cast_file_round_trip(voices: Path) -> None:
    cast = Cast(narrator="piper:joe", roles={'Ann "Red" Lee': "kokoro:jf_alpha",
                                             "Zoë": "kokoro:jf_nezumi@pitch=3"}, show="My Show",
                narrator_pinned=True, accent="en-GB")
    path = cast_file_path("My Show")
    assert path == voices / "my-show.cast.toml"
    save_cast(cast, path)
    assert load_cast(path) == cast
    assert load_cast(voices / "none.cast.toml") is None
    # a narrator nobody chose is not saved: the show follows the default narrator
    unpinned = Cast(roles={"Ann": "kokoro:af_bella"}, show="My Show")
    save_cast(unpinned, path)
    assert "narrator =" not in path.read_text(encoding="utf-8").replace("# narrator", "")
    assert load_cast(path) == unpinned


def test_an_old_cast_file_keeps_its_voices_but_not_the_old_default_narrator(
        voices: Path) -> None:
    path = voices / "old.cast.toml"
    # what narrate wrote before the English voices: the old default narrator, Japanese styles
    path.write_text('show = "Old"\nnarrator = "piper:joe"\n\n[roles]\n'
                    '"Witney Carson" = "kokoro:jf_alpha"\n"Bruno Tonioli" = "kokoro:jm_kumo"\n',
                    encoding="utf-8")
    old = load_cast(path)
    assert old is not None and not old.narrator_pinned
    cast = cast_for_show(make_script(FAMILY_LINES, FAMILY), show="Old")
    assert cast.roles["Witney Carson"] == "kokoro:jf_alpha"
    assert cast.roles["Bruno Tonioli"] == "kokoro:jm_kumo"
    # a narrator the user chose in an old file is kept
    path.write_text('show = "Old"\nnarrator = "kokoro:jm_kumo"\n[roles]\n', encoding="utf-8")
    assert cast_for_show(make_script(FAMILY_LINES, FAMILY), show="Old").narrator == \
        "kokoro:jm_kumo"


def test_bad_cast_file_is_one_clear_error(voices: Path) -> None:
    path = voices / "x.cast.toml"
    path.write_text("[roles]\nAnn = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="roles"):
        load_cast(path)
    path.write_text("roles = [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_cast(path)


def test_a_show_keeps_its_cast_across_episodes(voices: Path) -> None:
    first = make_script(FAMILY_LINES, FAMILY)
    cast1 = cast_for_show(first, show="Dance")
    saved = load_cast(voices / "dance.cast.toml")
    assert saved is not None and saved.roles == cast1.roles
    # another episode: Witney speaks most now, Bruno is absent, a newcomer appears
    second = make_script([("Witney", 5), ("Robert", 2), ("Derek Hough", 2)],
                         [*FAMILY, Character("Derek Hough", ("Derek",), Gender.MALE)])
    cast2 = cast_for_show(second, show="Dance")
    assert cast2.roles["Witney Carson"] == cast1.roles["Witney Carson"]
    assert cast2.roles["Robert Irwin"] == cast1.roles["Robert Irwin"]
    assert "Witney" not in cast2.roles
    assert cast2.roles["Derek Hough"] not in cast1.roles.values()
    assert cast2.roles["Derek Hough"] != cast2.narrator
    # the file keeps everyone (Bruno too) and the newcomer
    saved = load_cast(voices / "dance.cast.toml")
    assert saved is not None
    assert {"Bruno Tonioli", "Derek Hough"} <= set(saved.roles)
    assert set(cast2.for_script(second).roles) == {"Witney Carson", "Robert Irwin",
                                                   "Derek Hough"}
    voiced = apply_cast(second, cast2)
    assert {s.voice for s in voiced.segments if s.speaker == "Witney"} == \
        {cast1.roles["Witney Carson"]}


def test_editing_the_cast_file_recasts(voices: Path) -> None:
    script = make_script(FAMILY_LINES, FAMILY)
    cast_for_show(script, show="Dance")
    path = voices / "dance.cast.toml"
    old = load_cast(path)
    assert old is not None and old.roles["Bruno Tonioli"] != "kokoro:jm_kumo@pitch=-5"
    text = path.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith('"Bruno Tonioli"'))
    path.write_text(text.replace(line, '"Bruno Tonioli" = "kokoro:jm_kumo@pitch=-5"'),
                    encoding="utf-8")
    assert cast_for_show(script, show="Dance").roles["Bruno Tonioli"] == "kokoro:jm_kumo@pitch=-5"


def test_an_unusable_saved_voice_is_recast(voices: Path,
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("WARNING")
    save_cast(Cast(roles={"Bruno Tonioli": "kokoro:gone"}), voices / "dance.cast.toml")
    cast = cast_for_show(make_script(FAMILY_LINES, FAMILY), show="Dance")
    assert cast.roles["Bruno Tonioli"] != "kokoro:gone"
    assert "not usable" in caplog.text


def test_apply_cast_voices_every_spoken_segment_and_keeps_pinned_ones() -> None:
    script = make_script(FAMILY_LINES, FAMILY)
    pinned = script.with_segments([*script.segments[:-1],
                                   Segment(SegmentKind.DIALOGUE, 20, 23, "Hi.", speak="Hi.",
                                           speaker="Bruno Tonioli", voice="tone:low")])
    cast = cast_script(pinned)
    out = apply_cast(pinned, cast)
    assert all(s.voice for s in out.segments if s.spoken)
    assert out.segments[0].voice == cast.narrator
    assert out.segments[-1].voice == "tone:low"
    assert {c.name: c.voice for c in out.characters}["Witney Carson"] == \
        cast.roles["Witney Carson"]


def test_alternative_voice_keeps_gender_and_differs() -> None:
    for voice in ("kokoro:jf_alpha", "kokoro:jm_kumo", "piper:joe"):
        other = alternative_voice(voice)
        assert other != voice and _gender(other) is _gender(voice)


STORY = """The Kettle

Anna filled the kettle. “Is it ready yet?” asked Ben.

“Not yet,” Anna said.
"""


def test_script_json_gives_every_segment_its_voice(tmp_path: Path) -> None:
    story = tmp_path / "kettle.txt"
    story.write_text(STORY, encoding="utf-8")
    chars = tmp_path / "cast.json"
    chars.write_text(json.dumps({"characters": [
        {"name": "Anna", "gender": "female"}, {"name": "Ben", "gender": "male"}]}))
    result = CliRunner().invoke(cli, ["script", str(story), "--format", "json",
                                      "--characters", str(chars), "--show", "Kitchen",
                                      "--voice", "Anna=kokoro:jf_tebukuro"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    spoken = [s for s in data["segments"] if s["kind"] in ("narration", "dialogue", "heading")]
    assert spoken and all(s.get("voice") for s in spoken)
    assert {s["voice"] for s in spoken if s.get("speaker") in (None, NARRATOR)} == {"piper:joe"}
    assert not (tmp_path / "voices" / "kitchen.cast.toml").exists()  # script never writes


def test_script_rejects_a_bad_voice_override(tmp_path: Path) -> None:
    story = tmp_path / "kettle.txt"
    story.write_text(STORY, encoding="utf-8")
    result = CliRunner().invoke(cli, ["script", str(story), "--voice", "Anna"])
    assert result.exit_code == 1
    assert "expected NAME=VOICE" in result.output and "Traceback" not in result.output


def test_voices_lists_at_least_six_offline_voices_without_network(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NARRATE_GTTS_ENDPOINT", "http://no-such-host.invalid")
    result = CliRunner().invoke(cli, ["voices", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    offline = [r for r in rows if r["available"] and r["offline"]]
    assert len(offline) >= 6
    assert {"piper:joe", "kokoro:jf_alpha", "kokoro:jm_kumo"} <= {r["id"] for r in offline}
    assert all(r["gender"] in ("male", "female", "unknown") and r["sample_rate"] > 0
               for r in offline)
    assert {r["id"]: r["reason"] for r in rows if not r["available"]}["gtts:*"].startswith(
        "online only, and no-such-host.invalid:80 cannot be reached")
    text = CliRunner().invoke(cli, ["voices"]).output
    assert "piper:joe" in text and "offline" in text


def test_voices_explains_why_an_engine_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    result = CliRunner().invoke(cli, ["voices"])
    assert result.exit_code == 0
    assert "Not available here:" in result.output
    assert "flite:*: not available: program flite not on PATH" in result.output


def test_voices_sample_writes_audio(tmp_path: Path) -> None:
    out = tmp_path / "s.mp3"
    result = CliRunner().invoke(cli, ["voices", "--sample", "tone:mid@pitch=2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 1000
    result = CliRunner().invoke(cli, ["voices", "--sample", "tone:mid"])
    assert result.exit_code == 2 and "needs -o" in result.output
    result = CliRunner().invoke(cli, ["voices", "--sample", "nope:x",
                                      "-o", str(tmp_path / "n.mp3")])
    assert result.exit_code == 1 and "unknown engine" in result.output
    assert not (tmp_path / "n.mp3").exists()


def test_render_saves_the_show_cast_and_the_next_story_reuses_it(tmp_path: Path,
                                                                 voices: Path) -> None:
    from narrate.voices.casting import load_cast

    (voices / "engines.toml").write_text('[casting]\nengines = ["tone"]\n', encoding="utf-8")
    chars = tmp_path / "cast.json"
    first, second = tmp_path / "one.txt", tmp_path / "two.txt"
    first.write_text("“Tea?” asked Ben.\n\n“Yes,” Anna said.\n", encoding="utf-8")
    second.write_text("“More?” asked Ben.\n\n“No,” Anna said. “Thanks.”\n", encoding="utf-8")
    chars.write_text("{}")
    out = tmp_path / "out"
    args = ["render", "-q", "--no-music", "--show", "Tea Time", "-o", str(out),
            "--voices-dir", str(voices), "--voice", "Narrator=tone:deep"]
    result = CliRunner().invoke(cli, [*args, str(first)])
    assert result.exit_code == 0, result.output
    saved = load_cast(voices / "tea-time.cast.toml")
    assert saved is not None and saved.narrator == "tone:deep"
    assert saved.roles and all(v.startswith("tone:") for v in saved.roles.values())
    assert len(set(saved.roles.values())) == len(saved.roles)
    result = CliRunner().invoke(cli, [*args, str(second)])
    assert result.exit_code == 0, result.output
    again = load_cast(voices / "tea-time.cast.toml")
    assert again is not None
    assert {k: again.roles[k] for k in saved.roles} == dict(saved.roles)
    episode = json.loads((out / "two.episode.json").read_text())
    credits = {c["character"]: c["voice"] for c in episode["cast"]}
    assert credits["Narrator"] == "tone:deep"
    for name, voice in credits.items():
        if name != "Narrator":
            assert again.roles[name] == voice


def test_render_rejects_an_unknown_fallback_engine(tmp_path: Path) -> None:
    story = tmp_path / "s.txt"
    story.write_text("“Hi,” Ann said.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", "-q", "--no-music", str(story),
                                      "-o", str(tmp_path / "o"), "--fallback-engine", "nope",
                                      "--voice", "Narrator=tone:low", "--voice", "Ann=tone:mid"])
    assert result.exit_code == 1 and "unknown engine 'nope'" in result.output
    assert not (tmp_path / "o" / "s.mp3").exists()


def test_saved_role_matches_the_same_person_by_first_name() -> None:
    from narrate.voices.casting import Cast

    cast = Cast(roles={"Bruno": "kokoro:jm_kumo", "Witney Carson": "kokoro:jf_alpha",
                       "Carson McAllister": "piper:joe@pitch=2"})
    assert cast.key_for(["Bruno Tonioli"]) == "Bruno"
    assert cast.key_for(["Witney"]) == "Witney Carson"
    assert cast.key_for(["Carson"]) == "Carson McAllister"  # a first name, not a surname
    assert cast.key_for(["her son"]) is None
    two_anns = Cast(roles={"Ann Lee": "kokoro:jf_alpha", "Ann Smith": "kokoro:jf_nezumi"})
    assert two_anns.key_for(["Ann"]) is None  # which Ann? neither


def test_a_cast_saved_by_another_render_meanwhile_is_kept(tmp_path: Path, voices: Path) -> None:
    """Two renders of one show at once: each cast from the file as it began, and the one that
    saved last dropped the other's characters (the next episode recast them with new voices).
    The file is merged instead: the other render's roles, and a voice edited by hand while this
    render ran, are kept beside this render's new ones."""
    from narrate.pipeline import RenderOptions, cast_story, script_story
    from narrate.pipeline.produce import cast_saved_on_success

    (voices / "engines.toml").write_text('[casting]\nengines = ["tone"]\n', encoding="utf-8")
    path = cast_file_path("Tea Time", voices)
    save_cast(Cast(narrator="tone:deep", roles={"Ben": "tone:low"}, show="Tea Time",
                   narrator_pinned=True), path)
    story = tmp_path / "one.txt"
    story.write_text("“Tea?” asked Ben.\n\n“Yes,” Anna said.\n", encoding="utf-8")
    options = RenderOptions(show="Tea Time", voices_dir=str(voices))
    with cast_saved_on_success():
        _, ours = cast_story(script_story(story), options)
        assert set(ours.roles) == {"Ben", "Anna"}
        # meanwhile another render saves Carl, and the user gives Ben another voice
        save_cast(Cast(narrator="tone:deep", roles={"Ben": "tone:high", "Carl": "tone:mid"},
                       show="Tea Time", narrator_pinned=True), path)
    saved = load_cast(path)
    assert saved is not None
    assert saved.roles["Carl"] == "tone:mid" and saved.roles["Ben"] == "tone:high"
    assert saved.roles["Anna"] == ours.roles["Anna"] and saved.narrator == "tone:deep"


def test_merge_casts_keeps_what_changed_on_disk() -> None:
    from narrate.voices.casting import merge_casts

    base = Cast(narrator="tone:deep", roles={"A": "tone:low"}, narrator_pinned=True)
    ours = Cast(narrator="tone:deep", roles={"A": "tone:low", "B": "tone:mid"},
                narrator_pinned=True)
    current = Cast(narrator="tone:high", roles={"A": "tone:low", "C": "tone:mid"},
                   narrator_pinned=True, accent="en-GB")
    merged = merge_casts(ours, base, current)
    assert dict(merged.roles) == {"A": "tone:low", "B": "tone:mid", "C": "tone:mid"}
    assert merged.narrator == "tone:high" and merged.accent == "en-GB"
    # nothing changed on disk: ours as it is
    assert merge_casts(ours, base, base) == ours
