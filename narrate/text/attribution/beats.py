"""Sieve ``action_beat``: a quote opening its paragraph after a paragraph of narration is
said by the subject of that paragraph's last sentence ("Tom was frowning." / "“No.”");
inside a paragraph, a named subject other than the previous speaker takes the next untagged
quote ("“…,” said Tom. Ann laughed. “…”").

Known failures: a beat about the listener ("Tom looked at her. “No.”" said by her)."""

from __future__ import annotations

import re

from narrate.text.attribution import pronouns
from narrate.text.attribution.context import Attribution, Context
from narrate.text.attribution.grammar import closing_tag, last_sentence, subject_before
from narrate.text.attribution.patterns import CONTEXT_CHARS, PRONOUNS, UNKNOWN


def action_beat(ctx: Context, i: int, exclude: set[str]) -> Attribution | None:
    """“Mr. Pett was sniffing suspiciously.” then a paragraph opening with an untagged
    quote: the subject of the narration's last sentence is the one who speaks next (the
    beat introduces the line). Only for a quote opening its paragraph right after a
    paragraph of narration."""
    q = ctx.quotes[i]
    b = ctx.blocks[q.block]
    if ctx.prev_in_block[i] is not None or ctx.text[b.start:q.start].strip() \
            or q.continues or q.block == 0 or ctx.by_block.get(q.block - 1):
        return None
    pb = ctx.blocks[q.block - 1]
    tail = ctx.text[max(pb.start, pb.end - CONTEXT_CHARS):pb.end].rstrip()
    if not tail or tail[-1] in ":,;":
        return None
    body = tail[:-1] if tail[-1] in ".!?" else tail
    last = last_sentence(body)
    start = pb.end - len(ctx.text[max(pb.start, pb.end - CONTEXT_CHARS):pb.end]) + \
        len(body) - len(last)
    lead = len(last) - len(last.lstrip())
    closing = closing_tag(last)  # "The pressure is real, says David Palmiter, a professor."
    key = pronouns.resolve_subject(ctx, closing, start + lead, exclude=None) if closing else \
        _sentence_subject(ctx, last[lead:], start + lead, exclude)
    if key and key not in exclude and key != UNKNOWN:
        return Attribution(key, "action_beat")
    return None


def beat_in_paragraph(ctx: Context, i: int, exclude: set[str]) -> Attribution | None:
    """“…,” said Tom. Mary laughed. “…”: a quote after a finished sentence of narration
    whose subject is someone named other than the previous speaker is theirs."""
    p = ctx.prev_in_block[i]
    said = ctx.result[p] if p is not None else None
    if said is None:
        return None
    prev = said.speaker
    before = ctx.before(i).rstrip()
    if not before or before[-1] not in ".!?":
        return None
    body = before[:-1]
    last = last_sentence(body)
    if last is body:
        return None  # the narration is one clause: the previous quote's tag
    start = ctx.quotes[i].start - len(ctx.before(i)) + len(body) - len(last)
    # "…; whereupon Mrs. Griffin spoke. “…”" / "Rules help, says David Palmiter. “…”"
    subj = closing_tag(last) or subject_before(body)
    if subj and subj.lower() not in PRONOUNS:
        key = pronouns.resolve_subject(ctx, subj, start + len(last), exclude=prev)
        if key and key != prev and key not in exclude and key != UNKNOWN:
            return Attribution(key, "action_beat")
    lead = len(last) - len(last.lstrip())
    words = re.match(r"(?:\S+\s+){0,3}", last[lead:])
    head_end = start + lead + (words.end() if words else 0)
    for m in ctx.reg.between(start + lead, head_end + 1):
        if ctx.reg.candidate(m.key) and m.key != prev and m.key not in exclude:
            return Attribution(m.key, "action_beat")
        return None
    return None


def _sentence_subject(ctx: Context, sentence: str, pos: int, exclude: set[str]) -> str | None:
    """The character a sentence opens with ("Ogden was sprawling", "Then he turned"):
    a mention or a he/she within its first three words; else the he/she of its last
    clause joined by "and"/"but" ("There was a noise and she turned ...")."""
    words = re.match(r"(?:\S+\s+){0,3}", sentence)
    head_end = pos + (words.end() if words else 0)
    pron = re.match(r"(?:\S+\s+){0,2}?(he|she)\b", sentence, re.IGNORECASE)
    for m in ctx.reg.between(pos, head_end + 1):
        if ctx.reg.candidate(m.key):
            return m.key
        return None
    if pron is None:
        # "There was a noise behind her and she turned just in time to seize a small boy":
        # the subject of the sentence's last clause
        clauses = list(_CLAUSE_PRONOUN.finditer(sentence))
        pron = clauses[-1] if clauses else None
    if pron:
        return pronouns.resolve_subject(ctx, pron.group(1), pos + pron.start(1),
                                    exclude=next(iter(exclude), None))
    return None


_CLAUSE_PRONOUN = re.compile(r"\b(?:and|but)\s+(he|she)\s+[a-z]+(?:ed|ew|ook|ame|ent|aw|ood)\b")
