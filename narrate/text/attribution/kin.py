"""Family: "her mother", "said the father", "my mother" (the owner's relative, else the one
"Mrs X" nearby), sieve ``kin_vocative`` (“Mommy, …” is said by "her son" found nearby), and
in conversations a turn beside one that calls its speaker "uncle" or "papa" is that relative.

Known failures: a family the text names only by first names; "mother" used as a name for
someone else's mother."""

from __future__ import annotations

import re
from collections.abc import Sequence

from narrate.script import Gender
from narrate.text.attribution import descriptions
from narrate.text.attribution.context import Attribution, Context
from narrate.text.attribution.patterns import (
    CHILD_DESC,
    CONTEXT_CHARS,
    KIN,
    KIN_CALL,
    KIN_CALLS,
    KIN_DESCRIPTION,
    RECENT_SPEAKER_CHARS,
    SOFT_REASONS,
    UNKNOWN,
)
from narrate.text.name_words import RELATIONS, gender_of_noun, split_title
from narrate.text.names import Registry


def kin_names(text: str, registry: Registry) -> None:
    """A speaker known by a relation ("his uncle", "the mother") is called by it in the story
    ("Uncle", "Uncle John"): add the bare relation and the one "<Relation> <Name>" the text
    uses, unless that name is someone else's."""
    for e in list(registry.entities.values()):
        m = KIN_DESCRIPTION.fullmatch(e.display) if e.description else None
        if not m or m.group(1) not in RELATIONS:
            continue
        word = m.group(1).capitalize()
        e.forms.add(word)
        named = {" ".join(f.split()) for f in re.findall(
            rf"\b{word}\s+[A-Z][a-z]+\b(?!\s+[A-Z])", text)}
        named = {f for f in named if registry.lookup(f) in (None, e.key)
                 and registry.is_name(f)}
        if len(named) == 1:
            e.forms.add(named.pop())


def family_member(ctx: Context, desc: str, title: str, owners: Sequence[str | None], pos: int,
                   exclude: str | None, nearest: bool = True) -> str | None:
    """"the mother", "my father" with no relative of that surname known: the owner's
    surname makes the name ("my mother" of Gilbert Markham is Mrs Markham, the name the
    story's characters call her by); without one, the nearest "Mrs X" ("Mr X")
    mentioned before, when no other person of that title is mentioned near it."""
    for owner in owners:
        e = ctx.reg.entities.get(owner) if owner else None
        if e is None or e.description:
            continue
        full = [split_title(f)[1].split() for f in e.forms if not split_title(f)[0]]
        surnames = {w[-1] for w in full if len(w) > 1}
        if len(surnames) == 1:
            form = f"{title} {surnames.pop()}"
            key = ctx.reg.lookup(form)
            if key is None:
                key = ctx.reg.description_entity(desc)
                if ctx.reg.entities[key].description:
                    ctx.reg.entities[key].forms.add(form)
            return key if key != exclude else None
    if not nearest:
        return None
    seen: list[str] = []
    for m in ctx.reg.recent(pos, limit_chars=RECENT_SPEAKER_CHARS):
        e = ctx.reg.entities[m.key]
        if m.key in seen or m.key in owners or m.key == exclude or e.description:
            continue
        if any(split_title(f)[0].rstrip(".") == title for f in e.forms):
            seen.append(m.key)
    if not seen:
        return _family_by_surname(ctx, title, owners, pos, exclude)
    return seen[0] if len(seen) == 1 else None


def _family_by_surname(ctx: Context, title: str, owners: Sequence[str | None], pos: int,
                       exclude: str | None) -> str | None:
    """"said her mother" in a scene where only "Mr. Bennet" and "Lizzy" are named: the
    family of the scene is the Bennets, and the story's one "Mrs. Bennet" (named later
    or earlier, but not nearby) is the mother. Only when the surnames named nearby give
    exactly one person of that title."""
    hits: set[str] = set()
    done: set[str] = set()
    for m in ctx.reg.recent(pos, limit_chars=RECENT_SPEAKER_CHARS):
        if m.key in done:
            continue
        done.add(m.key)
        e = ctx.reg.entities[m.key]
        if e.description:
            continue
        for f in e.forms:
            words = split_title(f)[1].split()
            if not words or (len(words) == 1 and not split_title(f)[0]):
                continue  # a bare "Lizzy" carries no surname
            key = ctx.reg.lookup(f"{title}. {words[-1]}") or \
                ctx.reg.lookup(f"{title} {words[-1]}")
            if key and key not in owners and key != exclude and key != m.key:
                hits.add(key)
    return hits.pop() if len(hits) == 1 else None


def kin_vocative(ctx: Context, i: int, exclude: set[str]) -> Attribution | None:
    q = ctx.quotes[i]
    inner = ctx.text[q.inner_start:q.inner_end]
    if not KIN.match(inner):
        return None
    for lo, hi in ((q.end, q.end + 1500), (max(0, q.start - 1500), q.start)):
        for m in CHILD_DESC.finditer(ctx.text, lo, hi):
            key = ctx.reg.description_entity(m.group(0))
            ctx.reg.entities[key].child = True
            ctx.reg.add_mentions_of(key)
            if key not in exclude:
                return Attribution(key, "kin_vocative")
    return None


def _kin_call(ctx: Context, j: int, speaker: str) -> tuple[str, str] | None:
    """(speaker, relation) when quote j, said by the turn's `speaker`, calls the one it
    answers or is answered by by a relation. A turn where someone else speaks as well
    ("…,’ observed Fergus. ‘Nonsense, Fergus! …, mamma?’") is three-way talk: skipped."""
    r = ctx.result[j]
    if r is None or r.speaker != speaker or speaker == UNKNOWN:
        return None
    q = ctx.quotes[j]
    m = KIN_CALL.search(ctx.text, q.inner_start, q.inner_end)
    return (r.speaker, KIN_CALLS[m.group(1).lower()]) if m else None


def kin_anchors(ctx: Context, turns: list[list[int]], anchors: list[str | None]) -> None:
    """“Surely, uncle, you cannot mean--” answers the line before it: an untagged turn
    beside a turn that calls its speaker by a relation ("uncle", "papa") is said by that
    relative of the caller ("her uncle", the owner's "Mr X" for a father)."""
    for k, turn in enumerate(turns):
        if anchors[k]:
            continue
        found = set()
        for n in (k - 1, k + 1):
            speaker = anchors[n] if 0 <= n < len(turns) else None
            if speaker:
                # the line right before this turn, or right after it
                j = ctx.by_block[turns[n][-1]][-1] if n < k else ctx.by_block[turns[n][0]][0]
                call = _kin_call(ctx, j, speaker)
                if call:
                    found.add(call)
        if len(found) != 1:
            continue
        owner, rel = found.pop()
        assert owner is not None
        g = ctx.reg.entities[owner].resolved_gender() if owner in ctx.reg.entities \
            else Gender.UNKNOWN
        if g is Gender.UNKNOWN or owner == ctx.narrator:
            continue
        desc = f"{'his' if g is Gender.MALE else 'her'} {rel}"
        pos = ctx.quotes[ctx.by_block[turn[0]][0]].start
        # resolved as a tag "said her uncle" would be, the caller being the owner
        saved, ctx.addressed = ctx.addressed, owner
        key = descriptions.resolve_description(ctx, desc, pos, owner)
        ctx.addressed = saved
        if not key or key == owner or (ctx.reg.has_cast and key in ctx.reg.entities
                                       and not ctx.reg.entities[key].from_cast):
            continue
        anchors[k] = key
        for b in turn:
            for j in ctx.by_block[b]:
                r = ctx.result[j]
                if r is None or r.reason in SOFT_REASONS or r.reason == "continued":
                    ctx.result[j] = Attribution(key, "vocative")


_INVERSE = {"mother": ("daughter", "son", "child"), "father": ("daughter", "son", "child"),
            "mom": ("daughter", "son"), "dad": ("daughter", "son"),
            "mama": ("daughter", "son"), "papa": ("daughter", "son"),
            "wife": ("husband",), "husband": ("wife",), "aunt": ("niece", "nephew"),
            "uncle": ("niece", "nephew")}
"""Relations whose owner is the relative of the one they name: "her mother"'s daughter is
the one "her" stands for."""
_OWNER_GENDER = {"her": Gender.FEMALE, "his": Gender.MALE}


def inverse(ctx: Context, owner: str, relation: str) -> str | None:
    """"Elizabeth went up stairs. Her mother met her ... said her daughter": the daughter of
    someone known only as "her mother" is the one that "her" stood for where the story
    first said "her mother" (the nearest named person of that gender before it), when the
    relation's gender fits."""
    e = ctx.reg.entities.get(owner)
    if e is None or not e.description:
        return None
    words = e.display.lower().split()
    if len(words) != 2 or words[0] not in _OWNER_GENDER or \
            relation not in _INVERSE.get(words[1], ()):
        return None
    first = ctx.reg.first_described(e.display)
    if first is None:
        return None
    want = gender_of_noun(relation)
    for m in ctx.reg.recent(first, limit_chars=CONTEXT_CHARS):
        named = ctx.reg.entities[m.key]
        if named.description or m.key == ctx.narrator:
            continue
        g = named.resolved_gender()
        if g is _OWNER_GENDER[words[0]] and want in (g, Gender.UNKNOWN):
            return m.key
    return None
