"""Sieves ``named_nearby`` (the character named in the sentence right after the quote or the
last sentence before it, in the same paragraph) and the last resort ``next_paragraph`` /
``previous`` (the first character named in the next paragraph, a stand-alone line introduced
after it; else the last one mentioned).

Known failures: a name in the sentence beside the quote that is its listener or its topic
("“Where is Tom?”" after narration about Tom)."""

from __future__ import annotations

import itertools
import re

from narrate.text.attribution import descriptions, pronouns
from narrate.text.attribution.context import Attribution, Context
from narrate.text.attribution.grammar import (
    closing_tag,
    first_sentence,
    last_sentence,
    subject_at,
)
from narrate.text.attribution.patterns import (
    DETERMINERS,
    NAMED_LATER_CHARS,
    OPENERS,
    SOFT_REASONS,
    TOKEN,
    UNKNOWN,
)

_HEARD = re.compile(r"\b(?:heard|hears|overheard)\b")


def named_nearby(ctx: Context, i: int, exclude: set[str]) -> Attribution | None:
    """The character named in the sentence right after the quote or the last sentence
    before it, in the same paragraph (not one the quote addresses); not in a paragraph of
    dialogue only."""
    if ctx.paragraph_is_dialogue_only(i):
        return None
    q = ctx.quotes[i]
    after = ctx.after(i)
    first = first_sentence(after)
    heard = _HEARD.search(first)
    if heard:
        # “…” Anna heard him say: the hearer named before the verb is not the speaker
        exclude = exclude | {m.key for m in ctx.reg.between(q.end, q.end + heard.start())}
    # ("‘Dinah'll miss me very much to-night, I should think!’ (Dinah was the cat.)": an
    # aside in brackets tells about someone, it does not say who spoke)
    key = None if first.lstrip(" ,;\t\r\n").startswith("(") else \
        ctx.named_in(q.end, q.end + len(first), exclude)
    if key:
        return Attribution(key, "named_nearby")
    before = ctx.before(i).rstrip()
    last = last_sentence(before)
    if last.strip():
        start = q.start - len(ctx.before(i)) + len(before) - len(last)
        closing = closing_tag(last.rstrip(".!?:"))  # "Rules help, says David Palmiter. “…”"
        key = pronouns.resolve_subject(ctx, closing, start, exclude=None) if closing else None
        if key and key not in exclude:
            return Attribution(key, "named_nearby")
        key = ctx.named_in(start, q.start, exclude)
        if key:
            return Attribution(key, "named_nearby")
        key = _described_opener(ctx, last, start, exclude) if before[-1] in ".!?" else None
        if key:  # "The conductor squinted at it. “Last one tonight.”"
            return Attribution(key, "named_nearby")
        pron = re.search(r"\b(he|she)\b", last, re.IGNORECASE)
        if pron:
            key = pronouns.resolve_subject(ctx, pron.group(1), start + pron.start(), exclude=None)
            if key and key not in exclude:
                return Attribution(key, "named_nearby")
    return None


def _described_opener(ctx: Context, sentence: str, pos: int, exclude: set[str]) -> str | None:
    """The person a sentence of narration opens with when it is a description ("The
    conductor squinted at it."): the one who speaks the untagged quote after it."""
    tokens = TOKEN.findall(sentence)
    k = 0
    while k < len(tokens) and tokens[k].lower() in OPENERS:
        k += 1
    if k >= len(tokens) or tokens[k].lower() not in DETERMINERS:
        return None
    found = subject_at(tokens, k)
    if not found:
        return None
    key = descriptions.resolve_description(ctx, found[0], pos, None)
    return key if key and key not in exclude and key != UNKNOWN else None


def fallback(ctx: Context, i: int, exclude: set[str]) -> Attribution | None:
    q = ctx.quotes[i]
    b = ctx.blocks[q.block]
    if q.block + 1 < len(ctx.blocks) and not ctx.by_block.get(q.block + 1):
        nb = ctx.blocks[q.block + 1]
        key = ctx.named_in(nb.start, nb.end, exclude)
        if key and ctx.paragraph_is_dialogue_only(i):
            return Attribution(key, "next_paragraph")
    for m in ctx.reg.recent(b.start):
        if m.key not in exclude and ctx.reg.candidate(m.key):
            return Attribution(m.key, "previous")
    return None


_VOICE_NAMED = re.compile(r"\bvoice\s+of\s+((?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?[A-Z][\w’'-]+"
                          r"(?:\s+[A-Z][\w’'-]+)*)|"
                          r"\b((?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)"
                          r"['’]s\s+(?:\w+\s+)?voice\b")


def voice_after(ctx: Context, i: int, exclude: set[str]) -> Attribution | None:
    """Sieve ``voice_after``: “And I, too, uncle.” / "There was a shade of jealousy in the
    voice of Curtis Waring as he entered": the first sentence of the narration paragraph
    right after a paragraph of dialogue alone names whose voice that was."""
    q = ctx.quotes[i]
    if q.block + 1 >= len(ctx.blocks) or ctx.by_block.get(q.block + 1) or \
            ctx.next_in_block[i] is not None or not ctx.paragraph_is_dialogue_only(i):
        return None
    nb = ctx.blocks[q.block + 1]
    m = _VOICE_NAMED.search(first_sentence(ctx.text[nb.start:nb.end]))
    if not m:
        return None
    key = pronouns.resolve_subject(ctx, m.group(1) or m.group(2), nb.start, exclude=None)
    return Attribution(key, "voice_after") if key and key not in exclude else None


def calls_before_a_speaker(ctx: Context) -> None:
    """Story pass: “TOM!” / No answer. / “TOM!” / [...] The old lady ... said: “Well, I lay
    ...”: lines no rule could give anyone, each with narration after it, before the first
    line whose speaker the text tells (within NAMED_LATER_CHARS), with no one else named
    between them, are that speaker's: a story often lets a voice call out before it says whose
    it is. Two such lines in paragraphs side by side are a conversation, and stay unknown."""
    n = len(ctx.quotes)
    i = 0
    while i < n:
        if not _unknown(ctx, i):
            i += 1
            continue
        j = i
        while j < n and _unknown(ctx, j):
            j += 1
        if j < n and _one_voice(ctx, i, j):
            key = ctx.result[j].speaker  # type: ignore[union-attr]
            for k in range(i, j):
                ctx.result[k] = Attribution(key, "next_paragraph")
        i = j + 1


def _unknown(ctx: Context, i: int) -> bool:
    r = ctx.result[i]
    return r is None or r.speaker == UNKNOWN


def _one_voice(ctx: Context, i: int, j: int) -> bool:
    """Whether the unknown lines i..j-1 can be the voice of line j."""
    r = ctx.result[j]
    if r is None or r.reason in SOFT_REASONS or r.speaker in (UNKNOWN, ctx.narrator) or \
            ctx.quotes[j].start - ctx.quotes[j - 1].end > NAMED_LATER_CHARS or \
            ctx.scene_break(ctx.quotes[i].block, ctx.quotes[j].block):
        return False
    blocks = [ctx.quotes[k].block for k in range(i, j + 1)]
    if any(b + 1 == c for b, c in itertools.pairwise(blocks)):
        return False  # lines in paragraphs side by side: two voices talking
    # (a description the tag turned out to mean is the speaker too: "The old lady" of
    # Aunt Polly)
    speaker = ctx.reg.current(r.speaker)
    return all(ctx.reg.current(m.key) == speaker or not ctx.reg.candidate(m.key)
               or ctx.reg.entities[m.key].description
               for m in ctx.reg.between(ctx.quotes[i].start, ctx.quotes[j].start))
