"""The first-person narrator's name: "my name is Pip", "called me Pip", the name a reply
to the narrator's own line calls them by, else the character most often addressed inside
quotes ("I think, Watson, ...") who is never the subject of a third-person tag.

Known failures: a narrator no one names; a story told in the first person for only a
frame (its narration says "I" less than 8 times per 1,000 words)."""

from __future__ import annotations

import bisect
from collections import Counter

from narrate.script import NARRATOR
from narrate.text.attribution.context import Context
from narrate.text.attribution.patterns import (
    BARE_NAME,
    I_WORD,
    LOWER_NEXT,
    NARRATED_NAME,
    OPENING_CALL,
    PRONOUNS,
    SELF_NAMED,
    SENTENCE_BEFORE,
    VOCATIVE_ANY,
    described_name,
)
from narrate.text.name_words import _NOT_NAMES, split_title


def named_narrator(ctx: Context) -> str | None:
    """In a first-person story, the name others call the narrator by: "my name is Pip",
    "called me Pip", else the character most often addressed inside quotes ("I think,
    Watson, ...") who is never the subject of a third-person speech tag."""
    if len(I_WORD.findall(ctx.text)) <= 0.004 * len(ctx.text.split()):
        return None
    votes: dict[str, int] = {}
    for m in SELF_NAMED.finditer(ctx.text):
        key = ctx.reg.lookup(m.group(1))
        if key:
            votes[key] = votes.get(key, 0) + 2
    for form in _told_names(ctx):
        key = ctx.reg.lookup(form)
        if key is None and not ctx.reg.has_cast:
            ctx.reg._cluster(Counter({form: 1}))
            key = ctx.reg.lookup(form)
        if key and not ctx.reg.entities[key].description:
            votes[key] = votes.get(key, 0) + 2
    unseen: dict[str, int] = {}
    for q in ctx.quotes:
        # (on the slice: "^" does not match at a `pos` inside the text)
        for m in VOCATIVE_ANY.finditer(ctx.text[q.inner_start:q.inner_end]):
            key = ctx.reg.lookup(m.group(1))
            if key and not ctx.reg.entities[key].description:
                votes[key] = votes.get(key, 0) + 1
            elif key is None and not ctx.reg.has_cast and ctx.reg.is_name(m.group(1)) \
                    and split_title(m.group(1))[1].split()[0] not in _NOT_NAMES:
                unseen[m.group(1)] = unseen.get(m.group(1), 0) + 1
    if unseen:
        # a name heard only in dialogue ("I think, Watson, ...") may be the narrator's
        form = max(unseen, key=lambda f: unseen[f])
        if unseen[form] >= 2 and unseen[form] > max(votes.values(), default=0):
            ctx.reg._cluster(Counter({form: 1}))
            key = ctx.reg.lookup(form)
            if key:
                votes[key] = unseen[form]
    if not votes and not unseen:
        return None
    # a story whose dialogue is full of "I" registers the names heard only in dialogue
    # (above), but it is told in the first person only when its narration says "I"
    # ("Red Badge": 8 per 1,000 words in all, none outside the quotes; a named narrator
    # is never a he/she, so a wrong one loses their pronoun tags)
    if not ctx.told_in_first_person():
        return None
    tagged: set[str] = set()
    for i in range(len(ctx.quotes)):
        after, before = ctx.tag_subjects(i)
        subj = after or before
        if subj and subj[0].isupper() and subj.lower() not in PRONOUNS:
            key = ctx.reg.lookup(subj)
            if key:
                tagged.add(key)
    # "Joseph was an old man": a name opening a sentence of the narration, before a
    # lower-case word, is a third person; the narrator would say "I"
    starts = [q.start for q in ctx.quotes]
    for men in ctx.reg.mentions:
        if men.key in votes and SENTENCE_BEFORE.search(ctx.text, max(0, men.start - 4),
                                                        men.start) and \
                LOWER_NEXT.match(ctx.text, men.end):
            k = bisect.bisect_right(starts, men.start) - 1
            if k < 0 or ctx.quotes[k].end <= men.start:  # not inside a quote
                tagged.add(men.key)
    if unseen:
        # the one called most may be someone a tag shows speaking ("My dear Holmes," said
        # I / "..." said Holmes): then the name heard only in dialogue ("I think, Watson,
        # ...") competes with the untagged ones only
        form = max(unseen, key=lambda f: unseen[f])
        rival = max((v for k, v in votes.items() if k not in tagged), default=0)
        if unseen[form] >= 2 and unseen[form] > rival and ctx.reg.lookup(form) is None:
            ctx.reg._cluster(Counter({form: 1}))
            key = ctx.reg.lookup(form)
            if key:
                votes[key] = unseen[form]
    if not votes:
        return None
    # the narrator says "I": a name the narration itself uses is someone else's ("John
    # Reed was a schoolboy", though the narrator's cousin calls him "Jack" too)
    told = Counter(m.key for m in ctx.reg.mentions)
    # "Mr Cotter" heard in the dialogue is the "old Cotter" of the tags
    tagged_cores = {split_title(f)[1] for k in tagged for f in ctx.reg.entities[k].forms}
    tagged.update(k for k in votes if any(split_title(f)[1] in tagged_cores
                                          for f in ctx.reg.entities[k].forms))
    ranked = sorted((k for k in votes if k not in tagged),
                    key=lambda k: (told[k] > NARRATED_NAME, -votes[k]))
    if not ranked:
        return None
    best = ranked[0]
    # one call is enough for a cast member the narration never names ("…, Gilbert, …")
    ent = ctx.reg.entities[best]
    once = ent.from_cast and told[best] <= 1 and not described_name(ent.display)
    return best if votes[best] >= 2 or once else None


def _told_names(ctx: Context) -> list[str]:
    """Names a talk with the narrator gives them: the narrator's own reply that is just
    a full name ("“Yes,” I said, “Tom Baxter.”": asked who they are, people answer with
    their name) and the name that opens the turn answering the narrator's tagged one
    ("“What have I done?” I asked. / “Jane, be quiet.”": a reply calls the one it
    answers)."""
    forms: list[str] = []
    for i, q in enumerate(ctx.quotes):
        if not ctx.narrator_tagged(i):
            continue
        inner = ctx.text[q.inner_start:q.inner_end].strip()
        m = BARE_NAME.match(inner)
        if m and ctx.reg.is_name(m.group(1)):
            forms.append(m.group(1))
        j = _reply_to(ctx, i)
        if j is not None:
            head = OPENING_CALL.match(ctx.text[ctx.quotes[j].inner_start:
                                                 ctx.quotes[j].inner_end])
            if head and ctx.reg.is_name(head.group(1)) and \
                    split_title(head.group(1))[1].split()[0] not in _NOT_NAMES:
                forms.append(head.group(1))
    return forms


def _reply_to(ctx: Context, i: int) -> int | None:
    """The quote answering quote i: the first quote of the next paragraph when that
    paragraph opens with it and its own tag is not the first person's."""
    q = ctx.quotes[i]
    ids = ctx.by_block.get(q.block + 1)
    if not ids or ctx.next_in_block[i] is not None:
        return None
    j = ids[0]
    nq = ctx.quotes[j]
    if nq.continues or ctx.text[ctx.blocks[nq.block].start:nq.start].strip():
        return None
    return None if ctx.narrator_tagged(j) else j


def find_narrator(ctx: Context) -> str:
    """The first-person narrator's entity key: a cast's "Narrator" (or "I"), else the name
    others call them by (`named_narrator`), else `NARRATOR`."""
    return (ctx.reg.lookup("Narrator") or ctx.reg.lookup("I") or named_narrator(ctx)
            or NARRATOR)
