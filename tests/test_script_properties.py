"""Properties that hold for any input: segments tile the text; the JSON round-trips."""

import json
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrate.script import Script, SegmentKind
from narrate.text import build_script

PIECES = st.sampled_from([
    "“", "”", "\"", "'", "‘", "’", "—", "--", "\n", "\n\n", " ", "said Anna", "he said",
    "Mr. Bo", "**", "#Tag", "DWTS", "2 a.m.", "19-year-old", "…", "• ", "News", "Reply",
    "End of content", "The Title Here", "Hello, Anna!", "she whispered.", "1995", ",", ".",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40).map("".join)


def _check_tiling(text: str) -> Script:
    script = build_script(text)
    pos = 0
    for seg in script.segments:
        assert seg.start == pos and seg.end > seg.start
        assert seg.text == text[seg.start:seg.end]
        pos = seg.end
    assert pos == len(text)
    for seg in script.segments:
        if seg.kind is SegmentKind.SPACE:
            assert not seg.text.strip()
    return script


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_segments_tile_the_input(text):
    _check_tiling(text)


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_json_round_trips(text):
    script = build_script(text, title="t")
    back = Script.from_json(script.to_json())
    assert back == script
    json.loads(script.to_json())


def test_huge_single_paragraph_is_fast_and_tiles():
    text = ("“Go on,” said Nina, and the road went on and on " * 40000)[:2_000_000]
    t0 = time.perf_counter()
    script = _check_tiling(text)
    assert time.perf_counter() - t0 < 30
    assert any(s.kind is SegmentKind.DIALOGUE for s in script.segments)
