"""Pronunciation lexicon: respellings for every engine, IPA for engines that read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrate.errors import ConfigError
from narrate.script import Script, Segment, SegmentKind
from narrate.voices.lexicon import (
    Lexicon,
    Pronunciation,
    apply_lexicon,
    lexicon_for_show,
    load_lexicon,
    parse_lexicon,
)

LEX = Lexicon({"Tonioli": Pronunciation(respell="toe knee OH lee"),
               "Witney": Pronunciation(respell="Whitney", ipa="ˈwɪtni"),
               "Bruno Tonioli": Pronunciation(respell="BROO no toe knee OH lee"),
               "Inaba": Pronunciation(ipa="iˈnɑbə")})


@pytest.mark.parametrize(("text", "ipa", "said"), [
    ("Tonioli smiled.", False, "toe knee OH lee smiled."),
    ("TONIOLI!", False, "toe knee OH lee!"),
    ("Bruno Tonioli stood.", False, "BROO no toe knee OH lee stood."),  # longest wins
    ("Witney's son", False, "Whitney's son"),
    ("Witney's son", True, "[[ ˈwɪtni ]]'s son"),
    ("Toniolis", False, "Toniolis"),  # whole words only
    ("Inaba said", False, "Inaba said"),  # IPA only: unchanged without IPA support
    ("Inaba said", True, "[[ iˈnɑbə ]] said"),
])
def test_apply(text: str, ipa: bool, said: str) -> None:
    assert LEX.apply(text, ipa=ipa) == said


def test_empty_lexicon_changes_nothing() -> None:
    assert Lexicon().apply("Tonioli") == "Tonioli"
    assert not Lexicon()


def test_show_entries_win_over_global(tmp_path: Path) -> None:
    (tmp_path / "lexicon.toml").write_text(
        '[words]\nTonioli = "tony"\nInaba = "ee NAH bah"\n', encoding="utf-8")
    (tmp_path / "dance-night.lexicon.toml").write_text(
        '[words]\nTonioli = { respell = "toe knee OH lee", ipa = "tɔˈnjɔli" }\n',
        encoding="utf-8")
    lex = lexicon_for_show("Dance Night", tmp_path)
    assert lex.apply("Tonioli and Inaba") == "toe knee OH lee and ee NAH bah"
    assert lexicon_for_show("Other", tmp_path).apply("Tonioli") == "tony"


@pytest.mark.parametrize("toml", ['words = 3', '[words]\nx = 3', '[words]\nx = {}',
                                  '[words]\nx = { ipa = "[[a]]" }', '[words]\nx = ""'])
def test_bad_entries_are_one_clear_error(toml: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.lexicon.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.lexicon\.toml"):
        load_lexicon(path)


def test_missing_file_is_an_empty_lexicon(tmp_path: Path) -> None:
    assert not load_lexicon(tmp_path / "none.lexicon.toml")


def test_applied_per_segment_for_its_engine() -> None:
    segs = (Segment(SegmentKind.NARRATION, 0, 6, "Witney", speak="Witney", voice="piper:joe"),
            Segment(SegmentKind.DIALOGUE, 6, 12, "Witney", speak="Witney",
                    voice="kokoro:jf_alpha@pitch=1"),
            Segment(SegmentKind.SPACE, 12, 13, "\n"))
    out = apply_lexicon(Script(segs), LEX)
    assert [s.speak for s in out.segments] == ["[[ ˈwɪtni ]]", "Whitney", ""]
    assert parse_lexicon({"words": {"a b": "c"}}).apply("say a b") == "say c"
