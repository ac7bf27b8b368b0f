"""Sieve ``speech_verb`` (first, near-perfect): a speech tag beside the quote, after it
(", said Bruno", ", he asked", ", the old man cried") or before it ("Bruno whispered, “...",
"he said:"). One tag between two quotes covers both; the person the quote addresses is never
its speaker; a he/she opening the turn after another's tagged turn is the other party,
unless the verb continues ("he added"); a he/she answering a turn that calls someone of that
gender by name is the one called.

Known failures: a pronoun whose antecedent is the listener of an earlier line ("he said
to Tom. “...” he added"; "said he to Tom" itself excludes Tom)."""

from __future__ import annotations

import re
from collections import Counter

from narrate.script import Gender
from narrate.text.attribution import cast, descriptions, pronouns
from narrate.text.attribution.context import Attribution, Context
from narrate.text.attribution.patterns import CONTINUING_TAG, REPLY_TAG, VOCATIVE
from narrate.text.name_words import _NOT_NAMES, split_title


def speech_verb(ctx: Context, i: int) -> Attribution | None:
    q = ctx.quotes[i]
    ctx.addressed = ctx.addressee(i)
    subj, before = ctx.tag_subjects(i)
    p = ctx.prev_in_block[i]
    if before and p is not None and ctx.tag_subjects(p)[0] and ctx.result[p]:
        # “Clara,” she said, “bring the bread.”: one tag between two quotes of one speaker
        prev = ctx.result[p]
        assert prev is not None
        return Attribution(prev.speaker, prev.reason)
    called = _called_responder(ctx, i, subj or before)
    if called:
        return Attribution(called, "speech_verb")
    # "“Annie,” she teased": whoever the quote addresses is not the one speaking
    for s, where in ((subj, ctx.after(i)), (before, ctx.before(i))):
        if s:
            s = descriptions.voice_owner(ctx, s, where, s is subj) or s
            key = _reply_pronoun(ctx, i, s)
            if key:
                return Attribution(key, "speech_verb")
            listener = ctx.addressed or _told_to(ctx, s, where, s is subj)
            key = (pronouns.resolve_subject(ctx, s, q.start, exclude=listener)
                   or pronouns.recent_speaker(ctx, i, s) or _answering(ctx, i, s))
            if key:
                key = descriptions.same_described_speaker(ctx, i, s, key)
                return Attribution(key, "speech_verb")
    if not subj and not before:
        key = cast.lower_case_tag(ctx, i)  # “…,” said nanny
        if key:
            return Attribution(key, "speech_verb")
    return None


_TOLD_TO = re.compile(r"^\W*(?:\w+\s+){1,2}to\s+((?:(?:Mr|Mrs|Ms|Dr)\.?\s+|Miss\s+)?"
                      r"[A-Z][\w’'-]+)")


def _told_to(ctx: Context, subj: str, tag: str, after: bool) -> str | None:
    """“…,” said he to Temple: the one a he/she tag speaks to is not who "he" is."""
    if not after or subj.lower() not in ("he", "she"):
        return None
    m = _TOLD_TO.match(tag)
    return ctx.reg.lookup(m.group(1)) if m else None


def _called_responder(ctx: Context, i: int, subj: str | None) -> str | None:
    """“Feel sick, Thea?” he asked. / She looked at him. “I thought you were here,” she
    said: a paragraph that opens with the pronoun and answers a turn calling someone of
    that gender by name is theirs (the one called is the one who responds)."""
    if not subj or subj.lower() not in ("he", "she"):
        return None
    q = ctx.quotes[i]
    if ctx.prev_in_block[i] is not None or q.block == 0:
        return None
    head = ctx.text[ctx.blocks[q.block].start:q.start].lstrip()
    if not head or head.split(None, 1)[0] != subj.capitalize():
        return None
    ids = ctx.by_block.get(q.block - 1)
    if not ids:
        return None
    want = Gender.MALE if subj.lower() == "he" else Gender.FEMALE
    key = next((k for k in (ctx.addressee(j) for j in reversed(ids)) if k), None)
    if key is None and not ctx.reg.has_cast:
        # a name heard only in the dialogue ("It must be Thea") is still the one called
        for j in reversed(ids):
            inner = ctx.text[ctx.quotes[j].inner_start:ctx.quotes[j].inner_end]
            m = VOCATIVE.search(inner)
            form = m and (m.group(1) or m.group(2))
            if form and ctx.reg.is_name(form) and \
                    split_title(form)[1].split()[0] not in _NOT_NAMES:
                ctx.reg._cluster(Counter({form: 1}))
                key = ctx.reg.lookup(form)
                break
    e = ctx.reg.entities.get(key) if key else None
    if e is None or e.resolved_gender() not in (want, Gender.UNKNOWN) or e.description \
            or key == ctx.narrator or ctx.reg.is_place(e.key):
        return None
    r = ctx.result[ids[-1]]
    return key if r is None or r.speaker != key else None


def _answering(ctx: Context, i: int, subj: str) -> str | None:
    """“It's late, Tom,” said I. / “What of it?” he replied: a he/she with no antecedent
    in the narration, opening the turn right after one that calls someone by name, is
    the one called (when their gender agrees)."""
    if subj.lower() not in ("he", "she"):
        return None
    q = ctx.quotes[i]
    if ctx.prev_in_block[i] is not None or q.continues or not ctx.by_block.get(
            q.block - 1) or ctx.text[ctx.blocks[q.block].start:q.start].strip():
        return None
    want = Gender.MALE if subj.lower() == "he" else Gender.FEMALE
    for j in reversed(ctx.by_block[q.block - 1]):
        key = ctx.addressee(j)
        e = ctx.reg.entities.get(key) if key else None
        if e is not None and e.resolved_gender() in (want, Gender.UNKNOWN) and \
                ctx.reg.candidate(e.key):
            return e.key
    return None


def _reply_pronoun(ctx: Context, i: int, subj: str) -> str | None:
    """“...,” he answered — in a new paragraph right after another turn: a he/she that
    opens a turn is not the one who spoke the turn before (the nearest name is often the
    previous speaker's tag), unless the verb continues ("he added", "she went on")."""
    if subj.lower() not in ("he", "she"):
        return None
    prev = ctx.previous_turn_speaker(i)
    if prev is None and REPLY_TAG.match(ctx.after(i)):
        prev = ctx.previous_paragraph_speaker(i)
    if prev is None or CONTINUING_TAG.match(ctx.after(i)):
        return None
    key = pronouns.resolve_subject(ctx, subj, ctx.quotes[i].start, exclude=prev) or \
        _answering(ctx, i, subj)
    if key and key != ctx.addressed and key != prev:
        return key
    return None
