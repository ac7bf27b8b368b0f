"""Sieve ``turn_taking`` and the conversation pass: in a run of dialogue paragraphs the two
last speakers alternate; tags anchor the alternation backwards and forwards; a turn the next
or previous one addresses by name (``vocative``) is said by that person; the other party is
not the tagged speaker of a turn beside it (three-way talk); a heading or a scene break ends
the conversation.

Known failures: a third speaker joining without a tag; a paragraph holding two speakers'
lines; long interruptions by narration (more than `ASIDE_WORDS`)."""

from __future__ import annotations

from narrate.text.attribution import kin
from narrate.text.attribution.context import Attribution, Context
from narrate.text.attribution.patterns import (
    NARRATIVE_WORDS,
    OTHER_EXCHANGE_WORDS,
    RECENT_SPEAKER_CHARS,
    SOFT_REASONS,
    TURNING_TO,
    UNKNOWN,
)


def turn_taking(ctx: Context, i: int, exclude: set[str]) -> Attribution | None:
    q = ctx.quotes[i]
    speakers: list[str] = []
    block = q.block
    j = i - 1
    while j >= 0 and len(speakers) < 2:
        pq = ctx.quotes[j]
        if any(not ctx.is_aside(b) for b in range(pq.block + 1, block)):
            break  # a narration paragraph between them ends the exchange
        r = ctx.result[j]
        if pq.block != q.block and r and (not speakers or speakers[-1] != r.speaker):
            speakers.append(r.speaker)
        if pq.block < block:
            block = pq.block
        j -= 1
    if len(speakers) == 2 and speakers[1] not in exclude:
        return Attribution(speakers[1], "turn_taking")
    if len(speakers) == 1:
        # the other party: the last character mentioned who is not the last speaker
        for m in ctx.reg.recent(q.start, limit_chars=1500):
            if m.key != speakers[0] and m.key not in exclude and ctx.reg.candidate(m.key):
                return Attribution(m.key, "turn_taking")
    return None


def conversations(ctx: Context) -> None:
    """Second pass over each run of dialogue paragraphs: an untagged turn takes the speaker
    of the nearest tagged turn when an even number of turns lies between them, else the
    other participant (turns alternate between two people); tags anchor the alternation
    backwards as well as forwards."""
    run: list[list[int]] = []
    last_block = -1
    for block in sorted(ctx.by_block):
        first = ctx.by_block[block][0]
        if run and ctx.quotes[first].continues:
            run[-1].append(block)  # a quote running on over paragraphs is one turn
        elif run and all(ctx.is_aside(b) for b in range(last_block + 1, block)) \
                and not _narrative_block(ctx, last_block, leading=False) \
                and not _narrative_block(ctx, block, leading=True):
            run.append([block])
        else:
            _fill_run(ctx, run)
            run = [[block]]
        last_block = block
    _fill_run(ctx, run)


def _narrative_block(ctx: Context, block: int, leading: bool) -> bool:
    """A paragraph of narration that quotes in passing (it opens with narration and
    tells more than it quotes: "She fed him sections of ... her “line.” Her hand ...") is
    not a turn of the conversation around it. One that ends on its quote ("...and had
    spoken thus: “Ma, I'm going.”") still leads into the reply after it."""
    b = ctx.blocks[block]
    ids = ctx.by_block[block]
    if not ctx.text[b.start:ctx.quotes[ids[0]].start].strip():
        return False
    if not leading and not ctx.text[ctx.quotes[ids[-1]].end:b.end].strip():
        return False
    quoted = sum(len(ctx.text[ctx.quotes[j].start:ctx.quotes[j].end].split()) for j in ids)
    told = len(ctx.text[b.start:b.end].split()) - quoted
    return told > NARRATIVE_WORDS and told > 2 * quoted


def _turn_anchor(ctx: Context, blocks: list[int]) -> str | None:
    for b in blocks:
        for j in ctx.by_block[b]:
            r = ctx.result[j]
            if r and r.reason not in SOFT_REASONS:
                return r.speaker
    return None


def _turn_last(ctx: Context, blocks: list[int]) -> str | None:
    """The speaker of the turn's last line that a tag or a name gave."""
    for b in reversed(blocks):
        for j in reversed(ctx.by_block[b]):
            r = ctx.result[j]
            if r and r.reason not in SOFT_REASONS:
                return r.speaker
    return None


def _fill_run(ctx: Context, turns: list[list[int]]) -> None:
    if len(turns) < 2:
        return
    anchors = [_turn_anchor(ctx, t) for t in turns]
    _vocative_anchors(ctx, turns, anchors)
    kin.kin_anchors(ctx, turns, anchors)
    tagged = [k for k, a in enumerate(anchors) if a]
    if not tagged:
        return
    lasts = [_turn_last(ctx, t) or anchors[k] for k, t in enumerate(turns)]
    before_run = ctx.quotes[ctx.by_block[turns[0][0]][0]]
    for k, turn in enumerate(turns):
        if anchors[k]:
            continue
        a = min(tagged, key=lambda t: (abs(t - k), t > k))
        speaker = anchors[a] if a > k else lasts[a]
        assert speaker is not None
        if lasts[a] != anchors[a]:
            # a paragraph holding two speakers' lines (“…,” said A. “…,” said B.): the
            # alternation goes on from the one who spoke last (back from the first), and
            # the other party is the other speaker of that paragraph
            other: str | None = lasts[a] if a > k else anchors[a]
        else:
            other = _other_party(ctx, speaker, a, k, turns, anchors, before_run.start)
        if abs(k - a) % 2:
            if other is None:
                continue
            speaker, other = other, speaker
        first = ctx.by_block[turn[0]][0]
        if other and ctx.addressee(first) == speaker:
            speaker = other  # "Pip, ..." is not said by Pip
        for b in turn:
            for j in ctx.by_block[b]:
                r = ctx.result[j]
                if r is None or r.reason in SOFT_REASONS or r.reason == "continued":
                    ctx.result[j] = Attribution(speaker, "turn_taking")


def _turn_addressee(ctx: Context, turn: list[int]) -> str | None:
    for b in turn:
        for j in ctx.by_block[b]:
            key = ctx.addressee(j)
            if key:
                return key
    return None


def _turning_to(ctx: Context, turn: list[int]) -> str | None:
    """The one the last quote of a turn turns to ("—and Fergus, what have you done?")."""
    q = ctx.quotes[ctx.by_block[turn[-1]][-1]]
    m = TURNING_TO.search(ctx.text, q.inner_start, q.inner_end)
    return ctx.reg.lookup(m.group(1)) if m else None


def _vocative_anchors(ctx: Context, turns: list[list[int]], anchors: list[str | None]) -> None:
    """“Good night, Sir John,” answers the line before it: an untagged turn is said by
    the one the next turn (or the turn before) addresses by name."""
    called = [_turn_addressee(ctx, t) for t in turns]
    for k, turn in enumerate(turns):
        described = ctx.described_only(anchors[k])
        if anchors[k] and (not described or _introduced_here(ctx, turn)):
            continue
        votes = {called[n] for n in (k - 1, k + 1) if 0 <= n < len(turns) and called[n]
                 and called[n] != anchors[n] and called[n] != called[k]
                 and not (anchors[k] and anchors[n] == anchors[k])}
        if k > 0 and not called[k - 1] and not anchors[k]:
            turned = _turning_to(ctx, turns[k - 1])
            if turned and turned != anchors[k - 1]:
                votes.add(turned)
        found = {v for v in votes if v and ctx.reg.candidate(v) and v != UNKNOWN}
        if len(found) != 1:
            continue
        key = found.pop()
        if described and ctx.described_only(key):
            continue
        # a description ("said the man") gives way to the name the other party calls
        # him by; only in this turn: the same words may mean someone else later
        old = anchors[k]
        anchors[k] = key
        for b in turn:
            for j in ctx.by_block[b]:
                r = ctx.result[j]
                if r is None or r.reason in SOFT_REASONS or r.reason == "continued" or \
                        (old and r.speaker == old):
                    ctx.result[j] = Attribution(key, "vocative")


def _introduced_here(ctx: Context, turn: list[int]) -> bool:
    """“Surely she could learn Persian,” broke in a thin, elderly gentleman: a tag that
    brings its speaker in with "a"/"an" introduces someone new, not the one the turn
    before called by name."""
    for b in turn:
        for j in ctx.by_block[b]:
            for subj in ctx.tag_subjects(j):
                if subj and subj.split()[0].lower() in ("a", "an"):
                    return True
    return False


def _other_party(ctx: Context, speaker: str, a: int, k: int, turns: list[list[int]],
                 anchors: list[str | None], run_start: int) -> str | None:
    """Who `speaker` talks to in this run: the nearest other tagged speaker, else the one
    their quotes address, else the last other speaker before the run."""
    others = [t for t, s in enumerate(anchors) if s and s != speaker]
    # turns alternate: the turns on either side of k are someone else's
    beside = {anchors[n] for n in (k - 1, k + 1) if 0 <= n < len(anchors)}
    others = [t for t in others if anchors[t] not in beside] or others
    if others:
        return anchors[min(others, key=lambda t: abs(t - k))]
    for t, s in enumerate(anchors):
        if s == speaker or (s is None and (t - a) % 2 == 0):
            for b in turns[t]:
                for j in ctx.by_block[b]:
                    key = ctx.addressee(j)
                    if key and key != speaker:
                        return key
    first = ctx.by_block[turns[0][0]][0]
    if speaker != ctx.narrator and ctx.narrator_present(turns[0][0]):
        return ctx.narrator
    for j in range(first - 1, -1, -1):
        if run_start - ctx.quotes[j].end > RECENT_SPEAKER_CHARS or \
                ctx.scene_break(ctx.quotes[j].block, turns[0][0]):
            break
        r = ctx.result[j]
        told_from = ctx.blocks[ctx.quotes[j].block].end
        if len(ctx.text[told_from:run_start].split()) > OTHER_EXCHANGE_WORDS:
            # a speaker of an exchange that pages of narration separate from this one,
            # and that the narration does not mention again, is less likely the listener
            # than the person the narration just told of
            told = [m.key for m in ctx.reg.recent(run_start,
                                                   limit_chars=run_start - told_from)
                if m.key != speaker and m.key != ctx.narrator and ctx.reg.candidate(m.key)]
            if told and not (r and r.speaker in told):
                return told[0]
        if r and r.speaker != speaker and r.speaker != UNKNOWN and \
                r.speaker in ctx.reg.entities:
            return r.speaker
    r = ctx.result[ctx.by_block[turns[k][0]][0]]
    if r and r.speaker != speaker and r.speaker != UNKNOWN:
        return r.speaker
    return None
