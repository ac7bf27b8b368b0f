"""Sieves: a quote that goes on from a quote beside it (``continued``).

* `same_paragraph`: a later quote in the paragraph keeps the speaker of the quote before it,
  unless it calls that speaker by name ("…,’ observed Fergus. ‘Nonsense, Fergus!’" is someone
  answering him).
* `running_quote`: a paragraph continuing an unclosed quote keeps its speaker.
* `tagged_later`: an untagged quote before a tagged one in the same paragraph ("“Clara,” / …
  / “…,” she said") has that tag's speaker.

Known failures: two speakers in one paragraph with only the second tagged ("Milly said, …
Babs said, …" works; "“…” Babs said. “…”" where the second quote is Milly's does not).
"""

from __future__ import annotations

from narrate.text.attribution.context import Attribution, Context


def same_paragraph(ctx: Context, i: int, exclude: set[str]) -> Attribution | None:
    p = ctx.prev_in_block[i]
    before = ctx.result[p] if p is not None else None
    if before is not None and before.speaker not in exclude:
        # (“..., Fergus! ...” right after Fergus's quote is someone answering him)
        return Attribution(before.speaker, "continued")
    return None


def running_quote(ctx: Context, i: int, exclude: set[str]) -> Attribution | None:
    last = ctx.result[i - 1] if i > 0 else None
    if ctx.quotes[i].continues and last is not None:
        return Attribution(last.speaker, "continued")
    return None


def tagged_later(ctx: Context, i: int, exclude: set[str]) -> Attribution | None:
    n = ctx.next_in_block[i]
    later = ctx.tagged(n) if n is not None else None
    return Attribution(later.speaker, "continued") if later else None
