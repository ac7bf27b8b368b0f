"""Speakers known by a description: "the old man", "his wife", "a terrible voice", "the
worthy woman" (an epithet for someone named), "said the other"; with a cast, the cast member
of that gender last mentioned.

Known failures: a description the text never repeats and never names; two people described
by the same noun ("the man" for two men in one scene)."""

from __future__ import annotations

import bisect
import re
from collections import Counter

from narrate.script import Gender
from narrate.text.attribution import cast, kin, pronouns
from narrate.text.attribution.context import Attribution, Context, guarded
from narrate.text.attribution.grammar import first_sentence, last_sentence
from narrate.text.attribution.patterns import (
    CONTEXT_CHARS,
    DEFINITE,
    EPITHET_NOUNS,
    FAMILY_TITLE,
    KIN_PHRASE,
    NAME_STATEMENT,
    PERSON_INTRO,
    POSSESSED,
    PRONOUNS,
    RELATION_NAMED,
    VOICE_OF,
    WHOSE_NAME,
    contrasting,
    introduced_apart,
)
from narrate.text.name_words import PERSON_NOUNS, RELATIONS, TITLES, gender_of_noun


def _named_descriptions(ctx: Context) -> dict[str, str]:
    """"my mother ... she was a wise old horse ... Her name was Duchess": the latest
    person of that gender the paragraph describes before the statement is the one named
    (so "said my mother" is Duchess)."""
    if ctx.desc_names is None:
        ctx.desc_names = {}
        for m in NAME_STATEMENT.finditer(ctx.text):
            key = ctx.reg.lookup(m.group(2))
            if key is None and not ctx.reg.has_cast and (
                    ctx.reg.is_name(m.group(2)) or m.group(2).lower() in TITLES):
                # a name the story gives once, in this statement, is still a name, even
                # a title word ("Her name was Duchess", a horse's or a dog's)
                ctx.reg._cluster(Counter({m.group(2): 1}))
                key = ctx.reg.lookup(m.group(2))
            if key is None:
                continue
            want = Gender.MALE if m.group(1).lower() == "his" else Gender.FEMALE
            para = ctx.text.rfind("\n\n", max(0, m.start() - CONTEXT_CHARS), m.start())
            window = ctx.text[max(para, m.start() - CONTEXT_CHARS, 0):m.start()]
            phrase = None
            for d in KIN_PHRASE.finditer(window):
                noun = d.group(1)
                if noun in PERSON_NOUNS and gender_of_noun(noun) is want:
                    phrase = d.group(0).lower()
            if phrase and phrase not in ctx.desc_names:
                ctx.desc_names[phrase] = key
        for m in RELATION_NAMED.finditer(ctx.text):  # "my brother Robert"
            j = bisect.bisect_right(ctx.quote_ends, m.start())
            if m.group(2) not in RELATIONS or (
                    j < len(ctx.quotes) and ctx.quotes[j].start <= m.start()):
                continue  # inside a quote "my father" is the speaker's, not the narrator's
            key = ctx.reg.lookup(m.group(3))
            if key is not None and not ctx.reg.entities[key].description:
                ctx.desc_names.setdefault(f"{m.group(1).lower()} {m.group(2)}", key)
        for m in WHOSE_NAME.finditer(ctx.text):  # "The girl, whose name was Rosie,"
            words = m.group(1).lower().split()
            if words[-1] not in PERSON_NOUNS:
                continue
            key = ctx.reg.lookup(m.group(2))
            if key is None and not ctx.reg.has_cast and ctx.reg.is_name(m.group(2)):
                ctx.reg._cluster(Counter({m.group(2): 1}))
                key = ctx.reg.lookup(m.group(2))
            if key is not None:
                ctx.desc_names.setdefault(" ".join(["the", *words]), key)
                ctx.desc_names.setdefault(f"the {words[-1]}", key)
    return ctx.desc_names


@guarded("description")
def resolve_description(ctx: Context, desc: str, pos: int, exclude: str | None) -> str | None:
    """"his wife" -> the possessor's wife (same surname); "the voice of John" -> John;
    with a cast, "the young man" -> the cast member of that gender last mentioned."""
    titled = cast.titled_description(ctx, desc)
    if titled and titled != exclude:
        # "the doctor": the cast's "Doctor Losberne", also in the narration from now on
        ctx.reg.link_description(desc, titled)
        return titled
    named = _named_descriptions(ctx).get(desc.lower())
    if named and named != exclude:
        return named
    owned = POSSESSED.match(desc)
    if owned:
        key = _possessed(ctx, desc, owned.group(1), owned.group(2), pos, exclude)
        if key:
            return key
    of = re.search(r"\bof\s+([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)\s*$", desc)
    if of:
        return pronouns.resolve_subject(ctx, of.group(1), pos, exclude)
    words = desc.lower().split()
    head = words[-1]
    gender = gender_of_noun(head)
    if words[0] in ("his", "her", "my", "our", "the") and head in RELATIONS and \
            len(words) == 2:
        # "“My dear Mr. Bennet,” said his lady": the one addressed is the owner first
        owners: list[str | None] = [ctx.addressed]
        if words[0] in ("his", "her"):
            owners.append(pronouns.resolve_subject(ctx, "he" if words[0] == "his" else "she", pos))
        elif words[0] in ("my", "our"):
            # a first-person narrator's family: only their surname names them (others
            # of that surname nearby are as likely cousins as parents)
            family = FAMILY_TITLE.get(head)
            return (family and kin.family_member(ctx, desc, family, [ctx.narrator], pos,
                                                   exclude, nearest=False)) or \
                _plain_description(ctx, desc, pos, exclude, gender)
        else:
            # "replied the mother": the mother of whoever spoke just before
            owners.append(ctx.last_speaker_before(pos))
        for owner in owners:
            if owner:
                target = ctx.reg.relative(owner, gender) or kin.inverse(ctx, owner, head)
                if target and target != exclude:
                    return target
        family = FAMILY_TITLE.get(head)
        if family:
            key = kin.family_member(ctx, desc, family, owners, pos, exclude)
            if key:
                return key
    return _plain_description(ctx, desc, pos, exclude, gender)


def _possessed(ctx: Context, desc: str, owner_words: str, noun: str, pos: int,
               exclude: str | None) -> str | None:
    """"said Tom's mother", "my brother's wife": the owner's relative when the story
    knows one (same surname, or the "Mrs X" of the owner's family); else the description
    itself, keeping the owner's capitals ("Tom's mother"), never the owner."""
    if noun == "voice":  # "his mother's voice" is his mother's
        return pronouns.resolve_subject(ctx, owner_words, pos, exclude)
    owner = pronouns.resolve_subject(ctx, owner_words, pos)
    gender = gender_of_noun(noun)
    if owner and noun in RELATIONS:
        target = ctx.reg.relative(owner, gender) or kin.inverse(ctx, owner, noun)
        family = FAMILY_TITLE.get(noun)
        if not target and family:
            target = kin.family_member(ctx, desc, family, [owner], pos, exclude)
        if target and target not in (exclude, owner):
            return target
    key = ctx.reg.description_entity(desc, pos)
    if key == owner:
        return None
    ctx.reg.add_mentions_of(key)
    return key


def _epithet_of(ctx: Context, desc: str, pos: int, exclude: str | None,
                gender: Gender) -> str | None:
    """"Mrs. Rachel, ponder as she might, ... “...” the worthy woman concluded": a
    "the <adjectives> woman" the story never introduced ("a worthy woman") is an epithet
    for the named person of that gender it has just been talking about. Only generic
    nouns (woman, lady, girl, man...): an occupation ("the doctor") is as often a new
    person. Without a cast (the cast's own rule is in `_plain_description`)."""
    words = desc.lower().split()
    if ctx.reg.has_cast or words[0] != "the" or words[-1] not in EPITHET_NOUNS or \
            gender is Gender.UNKNOWN:
        return None
    if len(words) == 2 and words[1] in ("man", "woman"):
        return None  # a bare "the man" is more often someone new than an epithet
    intro = ctx.reg.introduction(words[1:])
    if intro and intro[0] < pos:
        return None  # "a girl ... the girl": the description has its own person
    if ctx.block_starts is None:
        ctx.block_starts = [b.start for b in ctx.blocks]
    # this paragraph and the one before it (blocks, not lines: hard-wrapped text)
    b = max(0, bisect.bisect_right(ctx.block_starts, pos) - 2)
    scope = max(ctx.block_starts[b] if ctx.block_starts else 0, ctx.heading_floor(pos))
    for m in ctx.reg.recent(pos, limit_chars=pos - scope):
        e = ctx.reg.entities[m.key]
        if e.description or m.key in (exclude, ctx.narrator):
            continue
        if e.resolved_gender() is gender and ctx.reg.candidate(m.key):
            return m.key
    # “No,” the old man said: named further back, but the one named speaker of that
    # gender in the talk going on ("The clockmaker, Anselm Brück, ..." and a girl); not
    # for a description the narration already follows as someone ("The boy wearily
    # dropped his bundle": a protagonist known only so)
    if any(f is not None and f < pos for f in (ctx.reg.first_described(desc),
                                                 ctx.reg.first_described("the " + words[-1]))):
        return None
    talking = {k for k in ctx.speakers_before(pos) if k not in (exclude, ctx.narrator)
               and not ctx.reg.entities[k].description
               and ctx.reg.entities[k].resolved_gender() is gender}
    return talking.pop() if len(talking) == 1 else None


def _plain_description(ctx: Context, desc: str, pos: int, exclude: str | None,
                       gender: Gender) -> str | None:
    named = _epithet_of(ctx, desc, pos, exclude, gender)
    if named:
        return named
    key = ctx.reg.description_entity(desc, pos)
    e = ctx.reg.entities[key]
    if not e.description:
        ctx.reg.link_description(desc, key)
    if e.description and ctx.reg.has_cast and gender is not Gender.UNKNOWN:
        # (not one a turn beside this one tags by name: “…,” asked Dick. / “…,” said the
        # gentleman. -- a story that names him in one turn and describes the speaker of
        # the next means someone else)
        beside = ctx.named_beside(pos)
        for m in ctx.reg.recent(pos):
            c = ctx.reg.entities[m.key]
            if c.from_cast and m.key not in (exclude, ctx.narrator) and \
                    c.resolved_gender() is gender and m.key not in beside:
                return m.key
        only = ctx.only_cast_member(gender, exclude, described=True)
        if only:
            return only
    ctx.reg.add_mentions_of(key)
    return key


def voice_owner(ctx: Context, subj: str, tag: str, after: bool) -> str | None:
    """"cried a terrible voice, as a man started up": a voice is not a person; the
    person the tag's sentence brings in with it is the speaker ("the man")."""
    if subj.split()[-1].lower() != "voice" or POSSESSED.match(subj):
        return None  # (“his mother's voice” says whose it is)
    sentence = first_sentence(tag) if after else last_sentence(tag)
    named = VOICE_OF.search(sentence)  # "which she knew to be that of Mrs. Gibson"
    if named and ctx.reg.lookup(named.group(1)):
        return named.group(1)
    for m in PERSON_INTRO.finditer(sentence):
        noun = m.group(1).lower()
        if noun in PERSON_NOUNS and noun not in ("voice", "one", "other"):
            return f"the {noun}"
    return None


def same_described_speaker(ctx: Context, i: int, subj: str, key: str) -> str:
    """“...,” said a white man. [...] “...,” called the man. [...] said the other: a
    definite description that has not spoken before, in a conversation where one other
    described person speaks, is that person (stories vary the words for someone they do
    not name: "the man", "the other", "his companion", "the prospector")."""
    e = ctx.reg.entities.get(key)
    words = subj.lower().split()
    if e is not None and not e.description and subj[:1].isupper() and \
            subj.lower() not in PRONOUNS:
        return _named_at_last(ctx, i, key)
    if e is None or not e.description or e.from_cast or getattr(e, "spoke", False) \
            or len(words) < 2 or words[0] not in DEFINITE or words[-1] in RELATIONS \
            or POSSESSED.match(subj):
        return key  # ("the son", "his mother's voice": someone's relative, not the one
        # he talks to)
    called = _answering_the_one_called(ctx, i, words)
    if called:
        return called
    same = _who_was(ctx, i, words[-1], key)
    if same:
        return same
    if words[-1] == "other" and len(words) == 2:
        # "said the other": the party of the conversation who did not just speak
        prev = ctx.last_speaker_before(ctx.quotes[i].start)
        party = [k for k in ctx.conversation_speakers(i) if k not in (prev, key)]
        if prev and party:
            return party[0]
    found = [k for k in ctx.conversation_speakers(i) if k != key]
    want = e.resolved_gender()
    described = [k for k in found if ctx.described_only(k) and k != ctx.addressed
                 and ctx.reg.entities[k].resolved_gender() in (want, Gender.UNKNOWN)
                 and not contrasting(e.display, ctx.reg.entities[k].display)
                 and not introduced_apart(e, ctx.reg.entities[k])]
    if len(described) != 1 or described[0] == ctx.previous_turn_speaker(i):
        # “Good night t'ee,” said the man with the basket. / “Good night, Sir John,” said
        # the parson.: a new description answering the turn right before is the other party
        return key
    ctx.reg.merge(key, described[0])
    return described[0]


def _who_was(ctx: Context, i: int, noun: str, key: str) -> str | None:
    """"asked the man, who was a porter in the employ of a firm" ... "said the porter": the
    story said who the porter is; his lines and the man's are one person's (merged)."""
    start = max(0, ctx.quotes[i].start - RELATIVE_REACH)
    found = None
    for m in re.finditer(rf"\b(?:the|a|an)\s+((?:[a-z-]+\s+){{0,2}}[a-z-]+),\s+who\s+"
                         rf"(?:was|is|had\s+been)\s+(?:a|an|the)\s+(?:[a-z-]+\s+){{0,2}}?"
                         rf"{re.escape(noun)}\b", ctx.text[start:ctx.quotes[i].start],
                         re.IGNORECASE):
        found = m
    if found is None:
        return None
    other = ctx.reg.lookup("the " + found.group(1).lower())
    if other is None or other == key or not ctx.reg.entities[other].description:
        return None
    ctx.reg.merge(key, other)
    return ctx.reg.current(other)


RELATIVE_REACH = 3000
"""How far before a description's tag the sentence that says who it is may be."""


def _answering_the_one_called(ctx: Context, i: int, words: list[str]) -> str | None:
    """“Tom, put the kettle on,” she said. / “It's on already,” the boy replied.: a generic
    description ("the boy", "the old man") answering the turn that called someone by name is
    that someone, not another described speaker of the scene."""
    q = ctx.quotes[i]
    if words[-1] not in EPITHET_NOUNS or ctx.prev_in_block[i] is not None or not q.block:
        return None
    ids = ctx.by_block.get(q.block - 1)
    if not ids:
        return None
    called = next((k for k in map(ctx.addressee, ids) if k), None)
    if called is None or called == ctx.narrator:
        return None
    e = ctx.reg.entities.get(called)
    r = ctx.result[ids[-1]]
    if e is None or e.description or (r is not None and r.speaker == called):
        return None
    want = gender_of_noun(words[-1])
    return called if want is Gender.UNKNOWN or e.resolved_gender() in (want, Gender.UNKNOWN) \
        else None


def _named_at_last(ctx: Context, i: int, key: str) -> str:
    """“...,” asked a gentleman. [...] “...,” said Mr. Greyson: a name the story has not
    used before the speech tag that brings it in, in a conversation where one described
    person speaks, names that person."""
    e = ctx.reg.entities[key]
    if getattr(e, "spoke", False):
        return key
    para = ctx.blocks[ctx.quotes[i].block].start
    if any(m.key == key for m in ctx.reg.recent(para, limit_chars=para)):
        return key
    if ctx.reg.lookup(key) != key:
        return key
    want = e.resolved_gender()
    if want is Gender.UNKNOWN:
        return key  # (a place or a thing as often as a person)
    # the one who spoke the turn before is the one answered, not the one answering
    prev = ctx.previous_turn_speaker(i)
    described = [k for k in ctx.conversation_speakers(i)
                 if k != key and ctx.described_only(k) and k not in (ctx.addressed, prev)
                 and ctx.reg.entities[k].display.split()[-1] not in RELATIONS
                 and ctx.reg.entities[k].resolved_gender() in (want, Gender.UNKNOWN)]
    if len(described) != 1:
        return key
    old = described[0]
    ctx.reg.merge(old, key)
    for j, r in enumerate(ctx.result):
        if r and r.speaker == old:
            ctx.result[j] = Attribution(key, r.reason)
    return key
