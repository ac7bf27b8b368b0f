"""The order in which the sieves decide who speaks each quote.

Attribution runs in three passes over a shared `Context` (the text, its paragraphs and
quotes, the name registry and the answers so far):

1. Per quote, in text order: the explicit-tag sieve (`tags.speech_verb`) first; a quote it
   does not answer goes through `UNTAGGED`, in order, and the first sieve that answers wins
   (its name is the Attribution's ``reason``).
2. `CONVERSATION_PASSES`, over each run of dialogue paragraphs: turn-taking, with vocatives
   and kin calls as anchors, may overrule the soft guesses of pass 1 (`SOFT_REASONS`), never
   a tag or a name nearby.
3. `STORY_PASSES`, over each scene: a described speaker who is named later becomes that name.

Each sieve is a function ``(ctx, i, exclude) -> Attribution | None``; ``exclude`` holds the one
the quote addresses by name (never its speaker). docs/script.md ("Attribution sieves") lists
what each decides and its known failures.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from narrate.script import Gender
from narrate.text.attribution import (
    answers,
    beats,
    cast,
    confidence,
    continued,
    kin,
    named_later,
    nearby,
    tags,
    turns,
)
from narrate.text.attribution.context import Attribution, Context
from narrate.text.attribution.narrator import find_narrator
from narrate.text.attribution.patterns import UNKNOWN
from narrate.text.blocks import Block
from narrate.text.names import Registry
from narrate.text.quotes import Quote


@dataclass(frozen=True)
class Sieve:
    name: str
    """The ``reason`` its answers usually carry."""
    decide: Callable[[Context, int, set[str]], Attribution | None]


UNTAGGED: tuple[Sieve, ...] = (
    Sieve("action_beat", beats.beat_in_paragraph),   # “…,” said Tom. Ann laughed. “…”
    Sieve("continued", continued.same_paragraph),    # a second quote of the same paragraph
    Sieve("continued", continued.running_quote),     # a quote running on over paragraphs
    Sieve("continued", continued.tagged_later),      # “…” / “…,” she said (same paragraph)
    Sieve("named_nearby", nearby.named_nearby),      # a name in the sentence beside it
    Sieve("kin_vocative", kin.kin_vocative),         # “Mommy, …” is her son's
    Sieve("named_answer", answers.named_answer),     # “Name?” / “Liam Doyle.”
    Sieve("action_beat", beats.action_beat),         # “Tom was frowning.” / “No.”
    Sieve("voice_after", nearby.voice_after),        # “…” / "…in the voice of Curtis…"
    Sieve("turn_taking", turns.turn_taking),         # the two last speakers alternate
    Sieve("previous", nearby.fallback),              # the next paragraph's name, else the last
    Sieve("cast_guess", cast.guess),                 # with a cast: a member, never no one
)
"""Sieves for a quote without an explicit speech tag, in the order they are tried."""

CONVERSATION_PASSES: tuple[Callable[[Context], None], ...] = (turns.conversations,)
STORY_PASSES: tuple[Callable[[Context], None], ...] = (named_later.named_later,
                                                      nearby.calls_before_a_speaker)


def make_context(text: str, blocks: Sequence[Block], quotes: Sequence[Quote],
                 registry: Registry, headings: Collection[int] = ()) -> Context:
    ctx = Context(text, blocks, quotes, registry, headings)
    ctx.narrator = find_narrator(ctx)
    return ctx


def attribute_quotes(text: str, blocks: Sequence[Block], quotes: Sequence[Quote],
                     registry: Registry, headings: Collection[int] = ()) -> list[Attribution]:
    """One `Attribution` per quote (speech quotes only), in order; `headings` are the indices
    of heading blocks (a conversation never runs across one)."""
    return run(make_context(text, blocks, quotes, registry, headings))


def has_speech_verb(text: str, blocks: Sequence[Block], quotes: Sequence[Quote],
                    registry: Registry) -> list[bool]:
    """For each quote, whether a speech verb stands right beside it (speech, not a title)."""
    ctx = make_context(text, blocks, quotes, registry)
    return [ctx.has_verb(i) for i in range(len(quotes))]


def run(ctx: Context) -> list[Attribution]:
    explicit: dict[int, Attribution | None] = {}

    def tagged(j: int) -> Attribution | None:
        if j not in explicit:
            explicit[j] = tags.speech_verb(ctx, j)
        r = explicit[j]
        if r and r.speaker in ctx.reg.merged:  # a description found to be someone else
            r = explicit[j] = Attribution(ctx.reg.current(r.speaker), r.reason)
        return r

    ctx.tagged = tagged
    for i in range(len(ctx.quotes)):
        r = tagged(i) or untagged(ctx, i)
        ctx.result[i] = r
        if r.speaker in ctx.reg.entities:
            ctx.reg.entities[r.speaker].spoke = True  # type: ignore[attr-defined]
    for conversation_pass in CONVERSATION_PASSES:
        conversation_pass(ctx)
    for story_pass in STORY_PASSES:
        story_pass(ctx)
    _genders_from_tags(ctx)
    out: list[Attribution] = []
    last: float | None = None
    for i, found in enumerate(ctx.result):
        r = found or Attribution(UNKNOWN, "unknown")
        last = confidence.score(ctx, i, r, last)
        out.append(Attribution(r.speaker, r.reason, last))
    return out


def _genders_from_tags(ctx: Context) -> None:
    """A speaker the text gave no gender otherwise is the gender of the pronouns tagging their
    lines ("... when the inspector came. “You'll be Mrs. Gray,” he said"), so casting gives
    them a voice to match. After every sieve: it changes who is cast, not who speaks."""
    for i, r in enumerate(ctx.result):
        e = ctx.reg.entities.get(r.speaker) if r and r.reason == "speech_verb" else None
        if e is None or e.resolved_gender() is not Gender.UNKNOWN or r is None or \
                r.speaker == ctx.narrator:
            continue
        subjects = {(s or "").lower() for s in ctx.tag_subjects(i)}
        if subjects & {"he", "him"} and not subjects & {"she", "her"}:
            e.he += 1
        elif subjects & {"she", "her"} and not subjects & {"he", "him"}:
            e.she += 1


def untagged(ctx: Context, i: int) -> Attribution:
    """The first answer of the `UNTAGGED` sieves, else `UNKNOWN`."""
    addressee = ctx.addressee(i)
    exclude = {addressee} if addressee else set()
    for sieve in UNTAGGED:
        r = sieve.decide(ctx, i, exclude)
        if r is not None:
            return r
    return Attribution(UNKNOWN, "unknown")
