"""Sieve ``named_answer``: a line that is only a name, answering a question for a name
("“Name?” she asked." / "“Liam Doyle.”"), is said by the one it names: people answer
"what's your name?" with their own.

Known failures: an answer naming someone else ("Who did this?" / "Tom."), which the question
must then ask about another person ("who(m)", "who's there" are left out for that reason)."""

from __future__ import annotations

import re
from collections import Counter

from narrate.text.attribution.context import Attribution, Context
from narrate.text.attribution.patterns import CAP, UNKNOWN

_ASKS_OWN_NAME = re.compile(
    r"(?:\byour (?:full |first |last )?name\b|\bwho are you\b|^\W*(?:and\s+)?(?:full\s+)?"
    r"name\s*[?.]?\W*$)", re.I)
"""A question for the listener's own name ("Name?", "What's your name?", "Who are you?")."""

_ONLY_A_NAME = re.compile(
    rf"^\W*((?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?{CAP}(?:\s+{CAP}){{0,3}})"
    r"(?:,\s*(?:sir|ma['’]am|madam|miss|officer))?\W*$")


def named_answer(ctx: Context, i: int, exclude: set[str]) -> Attribution | None:
    q = ctx.quotes[i]
    if q.block == 0 or ctx.prev_in_block[i] is not None or \
            not ctx.paragraph_is_dialogue_only(i) or len(ctx.by_block[q.block]) != 1:
        return None
    asked = ctx.by_block.get(q.block - 1)
    if not asked:
        return None
    question = ctx.quotes[asked[-1]]
    if not _ASKS_OWN_NAME.search(ctx.text[question.inner_start:question.inner_end]):
        return None
    m = _ONLY_A_NAME.match(ctx.text[q.inner_start:q.inner_end])
    if not m:
        return None
    form = " ".join(m.group(1).split())
    if not ctx.reg.is_name(form):
        return None
    key = ctx.reg.lookup(form)
    if key is None:
        ctx.reg._cluster(Counter({form: 1}))
        key = ctx.reg.lookup(form)
    asker = ctx.result[asked[-1]]
    if key is None or key == UNKNOWN or key in exclude or (asker and asker.speaker == key):
        return None
    return Attribution(key, "named_answer")
