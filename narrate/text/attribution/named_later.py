"""Story passes after attribution: a described speaker ("an old man ... “...,” he muttered")
whom the scene names soon after ("Mr. Abernathy counted the squares") becomes that name, and
a speaker who introduces themselves ("I am Parson Tringham") is known by that name too.

Known failures: a name that arrives long after the description spoke; two described
speakers of one gender in a scene."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from narrate.script import Gender
from narrate.text.attribution.context import Attribution, Context
from narrate.text.attribution.patterns import INTRODUCES, NAMED_LATER_CHARS, SCENE_BREAK
from narrate.text.name_words import RELATIONS
from narrate.text.names import Entity, Registry
from narrate.text.quotes import Quote


def self_introductions(text: str, quotes: Sequence[Quote], attributions: Sequence[Attribution],
                       registry: Registry) -> None:
    """A speaker who says "I am Parson Tringham" / "my name is Tom" is known by that name
    too: add it to the speaker's forms (a described speaker, "the parson", is otherwise never
    linked to the name the story gives them). Skipped when the name already belongs to
    someone else (then "I am X" is more likely irony or a quotation) or is not a name."""
    for q, a in zip(quotes, attributions, strict=True):
        e = registry.entities.get(a.speaker)
        if e is None:
            continue
        for m in INTRODUCES.finditer(text, q.inner_start, q.inner_end):
            form = " ".join(m.group(1).split())
            if not registry.is_name(form):
                continue
            owner = registry.lookup(form)
            if owner is None or owner == e.key:
                e.forms.add(form)
                registry._form_index.setdefault(form, e.key)
            elif e.description and _same_person(e, registry.entities.get(owner)):
                # "“I am Mary Lennox,” the little girl said": the description is the named
                # character the narration tells about (the name keeps its own entry)
                e.forms.add(form)


def _same_person(described: Entity, named: Entity | None) -> bool:
    """A described speaker may be this named character: a name of the same known gender
    ("the little girl" and Mary; "the stranger" who says "I am Ben" may be joking)."""
    if named is None or named.description:
        return False
    a = described.resolved_gender()
    return a is not Gender.UNKNOWN and a is named.resolved_gender()


def named_later(ctx: Context) -> None:
    """"An old man in a tweed cap was doing a crossword. “Seven letters,” he muttered.
    [...] Mr. Abernathy counted the squares": a story often names a person only after
    they have spoken as a description. In each scene (between headings
    and scene breaks), a described speaker of a known gender becomes the one named
    character of that gender whom the story first mentions after the description first
    spoke there (within NAMED_LATER_CHARS of its last line), when no other described
    speaker of that gender spoke more recently before the name and the two never talk
    back and forth (two people talking are two people). With a cast, the name is a cast
    member's (a description the cast did not claim is someone it names later)."""
    if not ctx.quotes:
        return
    breaks = [b.start for b in ctx.blocks if b.index in ctx.headings or (
        b.index not in ctx.by_block and SCENE_BREAK.match(ctx.text[b.start:b.end]))]
    first_seen: dict[str, int] = {}
    for m in ctx.reg.mentions:
        first_seen.setdefault(m.key, m.start)
    scenes: dict[int, list[int]] = {}
    for i, q in enumerate(ctx.quotes):
        scenes.setdefault(bisect.bisect_right(breaks, q.start), []).append(i)
    for scene, ids in scenes.items():
        lo = breaks[scene - 1] if scene > 0 else 0
        hi = breaks[scene] if scene < len(breaks) else len(ctx.text)
        described: dict[Gender, list[str]] = {}
        first_quote: dict[str, int] = {}
        last_quote: dict[str, int] = {}
        for i in ids:
            r = ctx.result[i]
            e = ctx.reg.entities.get(r.speaker) if r else None
            if r is not None and r.speaker in first_quote:
                last_quote[r.speaker] = ctx.quotes[i].end
            if r is None or e is None or not e.description or r.speaker in first_quote:
                continue
            words = e.key.split()
            if words[0] != "the" or (len(words) == 2 and words[-1] in RELATIONS):
                continue  # "his wife", "the mother" have their own rules
            first_quote[r.speaker] = ctx.quotes[i].start
            last_quote[r.speaker] = ctx.quotes[i].end
            described.setdefault(e.resolved_gender(), []).append(r.speaker)
        lines: dict[str, list[int]] = {}
        for i in ids:
            r = ctx.result[i]
            if r and r.speaker in first_quote:
                lines.setdefault(r.speaker, []).append(ctx.quotes[i].end)

        def latest(d: str, pos: int, lines: dict[str, list[int]] = lines) -> int:
            return max((end for end in lines[d] if end < pos), default=-1)

        for gender, descs in described.items():
            if gender is Gender.UNKNOWN:
                continue
            for desc in descs:
                named = {k for k, start in first_seen.items()
                         if first_quote[desc] < start < hi and start >= lo
                         and start - last_quote[desc] <= NAMED_LATER_CHARS
                         and k != ctx.narrator and not ctx.reg.entities[k].description
                         and ctx.reg.entities[k].resolved_gender() is gender
                         and ctx.reg.candidate(k) and ctx.person_name(k)
                         # with several described speakers of that gender, the name is
                         # the one who spoke last before it ("said the clergyman. [...]
                         # Mr. Beebe bowed.")
                         and all(latest(desc, start) > latest(d, start)
                                 for d in descs if d != desc)}
                if len(named) != 1:
                    continue
                name = named.pop()
                if _answer_each_other(ctx, ids, desc, name):
                    continue
                for i in ids:
                    r = ctx.result[i]
                    if r and r.speaker == desc:
                        ctx.result[i] = Attribution(name, r.reason)
                ctx.reg.entities[name].forms |= ctx.reg.entities[desc].forms


def _answer_each_other(ctx: Context, ids: list[int], a: str, b: str) -> bool:
    """Two speakers who talk back and forth (a, b, a in three paragraphs in a row)
    somewhere in these quotes; one change of speaker may be one person's lines split by
    narration."""
    turns: list[tuple[str, int]] = []
    for i in ids:
        r = ctx.result[i]
        if r and (not turns or turns[-1][1] != ctx.quotes[i].block):
            turns.append((r.speaker, ctx.quotes[i].block))
    return any(x[0] == z[0] and {x[0], y[0]} == {a, b}
               for x, y, z in zip(turns, turns[1:], turns[2:], strict=False))
