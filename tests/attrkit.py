"""Helpers for the attribution tests."""

from narrate.script import SegmentKind
from narrate.text import build_script


def speakers(text, **kw):
    s = build_script(text, **kw)
    return [seg.speaker for seg in s.segments if seg.kind is SegmentKind.DIALOGUE]


def wrapped(*paragraphs):
    """A hard-wrapped story (blank-line paragraphs, lines of ~66 characters)."""
    import textwrap
    intro = ("The road ran on between the hedges for a long way, and the three of them walked "
             "it without much talk, since the day was hot and the dust rose at every step. ") * 3
    return "\n\n".join(textwrap.fill(p, 66) for p in (intro, *paragraphs)) + "\n"
