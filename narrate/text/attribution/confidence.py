"""How sure each answer is (0-1), so that a person reviews only the doubtful lines.

The figure starts from the sieve that answered (an explicit tag is right far more often than
a guess from turn-taking: see docs/script.md for the accuracy of each on the dev sets) and is
lowered by what the dev sets show goes wrong: a tag whose subject is a pronoun or a
description rather than a name, a turn many turns away from the nearest tag, a speaker who
is not in the cast when a cast was given, a line whose speaker the quote itself calls by name.
"""

from __future__ import annotations

from narrate.text.attribution.context import Attribution, Context
from narrate.text.attribution.patterns import PRONOUNS, SOFT_REASONS, UNKNOWN

PRIOR = {
    "speech_verb": (0.9, 0.8), "continued": (0.85, 0.78), "vocative": (0.8, 0.8),
    "named_nearby": (0.85, 0.7), "turn_taking": (0.75, 0.68), "action_beat": (0.68, 0.62),
    "kin_vocative": (0.6, 0.6), "next_paragraph": (0.4, 0.2), "previous": (0.4, 0.25),
    "cast_guess": (0.3, 0.3), "voice_after": (0.8, 0.75), "unknown": (0.0, 0.0),
    "named_answer": (0.85, 0.85),
}
"""Where each sieve's answers start, with a cast and without: about the share of its answers
that were right on LitBank (bench/diag_attr.py --calibrate; a cast narrows the choice, so
the same rule is surer with one)."""

DOUBTFUL = 0.6
"""Answers below this are marked for review (`narrate script` prints them with a "?")."""

TAG_SUBJECT = {"name": (0.98, 0.97), "i": (0.95, 0.95), "pronoun": (0.9, 0.75),
               "description": (0.73, 0.63)}
"""An explicit tag's answer by what its subject is ("said Tom", "said I", "he said", "said
the old man"), with a cast and without."""

FAR_TURNS = 5
"""A turn-taking answer this many paragraphs or more from the nearest anchored turn..."""
FAR_LOSS = 0.2
"""...loses this much (the alternation drifts: 36-65% right there, against ~70% nearer)."""


def _tag_kind(subject: str) -> str:
    low = subject.lower()
    if low == "i":
        return "i"
    if low in PRONOUNS or low in ("another", "one"):
        return "pronoun"
    return "name" if subject[:1].isupper() and low.split()[0] not in (
        "the", "a", "an", "his", "her", "their", "my", "our", "your") else "description"


def _turns_from_anchor(ctx: Context, i: int) -> int:
    """Paragraphs between quote i and the nearest quote before or after it whose speaker a tag
    or a name gave (the length of the chain of alternation it hangs on)."""
    block = ctx.quotes[i].block
    best = 99
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(ctx.quotes) and abs(ctx.quotes[j].block - block) < best:
            r = ctx.result[j]
            if r is not None and r.reason not in SOFT_REASONS and r.reason != "continued":
                best = abs(ctx.quotes[j].block - block)
                break
            j += step
    return best


def score(ctx: Context, i: int, r: Attribution, before: float | None) -> float:
    """The confidence of answer `r` for quote i; `before` is the previous quote's, which a
    ``continued`` answer inherits at most."""
    if r.speaker == UNKNOWN:
        return 0.0
    which = 0 if ctx.reg.has_cast else 1
    c = PRIOR.get(r.reason, (0.5, 0.5))[which]
    if r.reason == "speech_verb":
        after, before_tag = ctx.tag_subjects(i)
        subject = after or before_tag
        if subject:
            c = TAG_SUBJECT[_tag_kind(subject)][which]
    elif r.reason == "continued" and before is not None:
        c = min(c, before)
    elif r.reason == "turn_taking" and _turns_from_anchor(ctx, i) >= FAR_TURNS:
        c -= FAR_LOSS
    if ctx.reg.has_cast:
        e = ctx.reg.entities.get(r.speaker)
        if r.speaker != ctx.narrator and (e is None or not e.from_cast):
            c -= 0.2  # a cast was given and this speaker is not in it
    if ctx.addressee(i) == r.speaker:
        c -= 0.3  # the quote calls its own speaker by name
    return round(min(1.0, max(0.0, c)), 2)
