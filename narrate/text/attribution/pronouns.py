"""He/she (and "I") in a speech tag: the subject of a sentence of this paragraph or the one
before, then the nearest mention of that gender (a tagged speaker counts as a mention), then
a subject whose gender the text never showed; "I" is the narrator.

Known failures: a name inside a sentence led by another pronoun; in long conversations the
nearest mention of a gender is often the listener."""

from __future__ import annotations

import bisect
from collections import Counter

from narrate.script import Gender
from narrate.text.attribution import cast, descriptions
from narrate.text.attribution.context import Context, guarded
from narrate.text.attribution.grammar import (
    after_opening_phrase,
    last_sentence,
    led_by,
    subject_at,
)
from narrate.text.attribution.patterns import (
    CHAIN_SENTENCES,
    CONTEXT_CHARS,
    DETERMINERS,
    OPENERS,
    POSSESSED,
    PRONOUNS,
    RECENT_SPEAKER_CHARS,
    SOFT_REASONS,
    SUBORDINATORS,
    TOKEN,
    UNKNOWN,
)
from narrate.text.name_words import (
    _NOT_NAMES,
    PERSON_NOUNS,
    find_descriptions,
    gender_of_noun,
    split_title,
)


@guarded("subject")
def resolve_subject(ctx: Context, subj: str, pos: int, exclude: str | None = None) -> str | None:
    """The entity a tag's subject ("he", "Tom", "the old man", "I") stands for at `pos`, or
    None; a cycle of resolutions (see `Context.enter`) answers None."""
    word = subj.strip()
    low = word.lower()
    if low == "i":
        return ctx.narrator
    if low in ("he", "she"):
        want = Gender.MALE if low == "he" else Gender.FEMALE
        # the subject of a sentence in this paragraph (or the one before) first, then
        # the nearest mention of that gender, then a subject whose gender is not known
        scope = ctx.scope_start(pos)
        described = _described_subject(ctx, pos, want, exclude)
        if described:
            return described
        # a third-person pronoun never means the first-person narrator
        local = [m for m in ctx.reg.recent(pos, limit_chars=pos - scope)
                 if m.key != ctx.narrator]
        for m in local:
            e = ctx.reg.entities[m.key]
            g = e.resolved_gender()
            if m.subject and m.key != exclude and not ctx.pronoun_led(m.start, low) and \
                    not ctx.owned_by_pronoun(m.start, m.end, low) and (
                    (g is want and ctx.reg.candidate(m.key))
                    or (g is Gender.UNKNOWN and not ctx.reg.has_cast and not e.description
                        and not ctx.reg.not_person(m.key)
                        and m.key not in ctx.reg.object_only)) \
                    and not ctx.name_alone(m.start, m.end):
                return m.key
        last = pos
        floor = ctx.heading_floor(pos)
        for m in ctx.reg.recent(pos):
            if m.start < floor:
                break  # a pronoun does not reach back over a chapter heading
            spoke = _speaker_between(ctx, m.end, last, want, exclude)
            if spoke:
                return spoke
            last = m.start
            e = ctx.reg.entities[m.key]
            if m.key != exclude and m.key != ctx.narrator and \
                    e.resolved_gender() is want and ctx.reg.candidate(m.key) and \
                    not ctx.pronoun_led(m.start, low) and \
                    not ctx.owned_by_pronoun(m.start, m.end, low) and \
                    not ctx.name_alone(m.start, m.end) and \
                    not ctx.inner_possessive(m.start, m.end):
                return m.key
        else:
            # before the earliest mention in reach: a tagged speaker still counts ("“My
            # dear Mr. Bennet,” said his lady [...] Mr. Bennet replied that he had not. /
            # “But it is,” returned she")
            spoke = _speaker_between(ctx, max(floor, last - CONTEXT_CHARS), last,
                                     want, exclude)
            if spoke:
                return spoke
        for m in local:
            e = ctx.reg.entities[m.key]
            if (m.subject and m.key != exclude and e.resolved_gender() is Gender.UNKNOWN
                    and not e.description and (e.from_cast or not ctx.reg.has_cast)
                    and not ctx.reg.not_person(m.key)
                    and m.key not in ctx.reg.object_only):
                return m.key
        return ctx.only_cast_member(want, exclude) or _described_antecedent(ctx,
            want, pos, exclude) or _unknown_gender_subject(ctx, pos, floor, exclude)
    if low in ("they", "we"):
        return None
    if word[0].isupper() and low.split()[0] not in ("the", "his", "her", "their", "my",
                                                      "our", "your", "a", "an") and \
            not POSSESSED.search(word):
        key = cast.cast_member(ctx, word, pos, ctx.reg.lookup(word))
        if key is None and word.split()[0] not in _NOT_NAMES and \
                ctx.reg.common_opener(word.split(), None):
            # "Presently Tom said": Tom, when the story knows him ("But Eliza says" in a
            # quote is no tag: "But" is no opener here, it is the quote's own word)
            key = ctx.reg.lookup(word.split(None, 1)[1])
            if key:
                return key
        if key is None:
            # a name never seen in narration before: accept it as a new character
            _title, core = split_title(word)
            if core.split()[0] in _NOT_NAMES or not ctx.reg.is_name(word):
                return None
            ctx.reg._cluster(Counter({word: 1}))
            key = ctx.reg.lookup(word)
        return key
    return descriptions.resolve_description(ctx, word, pos, exclude)


def _described_subject(ctx: Context, pos: int, want: Gender, exclude: str | None) -> str | None:
    """“The surgeon leaned over the bed. “The old story,” he said.”: when the sentence
    right before the quote is opened by a described person of that gender (or follows
    such a sentence through sentences led by the same pronoun: "As the doctor crossed
    the room he paused. He went to the door."), he/she is that person, not a name
    mentioned further back. With a cast, only a description whose noun names one cast
    member ("The guide stood on the bank." for the cast's "our last guide"): a described
    extra would take the cast's lines."""
    start = ctx.text.rfind("\n\n", max(0, pos - CONTEXT_CHARS), pos)
    body = ctx.text[max(0, pos - CONTEXT_CHARS) if start < 0 else start:pos].rstrip()
    if not body.strip() and start > 0:
        # the quote opens its paragraph: the paragraph before, when it ends in narration
        prev = ctx.text.rfind("\n\n", max(0, start - CONTEXT_CHARS), start)
        body = ctx.text[max(0, start - CONTEXT_CHARS) if prev < 0 else prev:start].rstrip()
    if not body or body[-1] not in ".!?":
        return None
    pronoun = "he" if want is Gender.MALE else "she"
    rest = body[:-1]
    for _ in range(CHAIN_SENTENCES):
        last = last_sentence(rest)
        tokens = TOKEN.findall(last)
        k = 0
        while k < len(tokens) and (tokens[k].lower() in OPENERS or
                                   tokens[k].lower() in SUBORDINATORS):
            k += 1
        at = after_opening_phrase(tokens, k)
        found = subject_at(tokens, at)
        if (found and found[0].lower() == pronoun) or led_by(tokens, pronoun):
            # "He went to the door." before the quote: the same person as the
            # sentence before it ("As the doctor crossed the room he paused.")
            rest = rest[:len(rest) - len(last)].rstrip()
            if not rest or rest[-1] not in ".!?":
                return None
            rest = rest[:-1]
            continue
        break
    else:
        return None
    if not found or found[1] < 2:
        return None
    words = found[0].lower().split()
    if words[0] not in DETERMINERS or words[-1] not in PERSON_NOUNS or \
            gender_of_noun(words[-1]) not in (want, Gender.UNKNOWN):
        return None
    named = _named_in_apposition(ctx, tokens, at + found[1], gender_of_noun(words[-1]))
    if named and named not in (exclude, ctx.narrator):
        return named
    if ctx.reg.has_cast:
        key = cast.head_member(ctx, found[0])
    else:
        key = descriptions.resolve_description(ctx, found[0], pos, exclude)
    return key if key and key not in (exclude, ctx.narrator, UNKNOWN) else None


def _named_in_apposition(ctx: Context, tokens: list[str], k: int, gender: Gender) -> str | None:
    """"Their granddaughter Poppy, who was six, watched him": the name right after the
    described subject is the person (and has the noun's gender, when the text gave none)."""
    if k >= len(tokens) or not tokens[k][:1].isupper() or tokens[k].lower() in PRONOUNS:
        return None
    key = ctx.reg.lookup(tokens[k])
    e = ctx.reg.entities.get(key) if key else None
    if e is None or e.description or ctx.reg.not_person(e.key):
        return None
    if e.resolved_gender() is Gender.UNKNOWN and gender is not Gender.UNKNOWN:
        e.gender = gender
    return e.key if e.resolved_gender() in (gender, Gender.UNKNOWN) else None


def _unknown_gender_subject(ctx: Context, pos: int, floor: int, exclude: str | None) -> str | None:
    """Without a cast, a he/she that found no one of its gender: the nearest named
    subject whose gender the text never showed ("Greta Moss left the farm. [...] “...,”
    she answered"), when it is not a place."""
    if ctx.reg.has_cast:
        return None
    for m in ctx.reg.recent(pos):
        if m.start < floor:
            break
        e = ctx.reg.entities[m.key]
        if m.subject and m.key not in (exclude, ctx.narrator) and not e.description \
                and e.resolved_gender() is Gender.UNKNOWN and not ctx.reg.not_person(m.key) \
                and m.key not in ctx.reg.object_only:
            return m.key
    return None


def _speaker_between(ctx: Context, lo: int, hi: int, want: Gender,
                     exclude: str | None) -> str | None:
    """The speaker of the latest tagged quote of that gender ending in [lo, hi): a
    speaker is as much an antecedent as a name in narration (in em-dash dialogue the
    tags are inside the quotes, so the speakers are not mentions)."""
    j = bisect.bisect_right(ctx.quote_ends, hi) - 1
    while j >= 0 and ctx.quote_ends[j] >= lo:
        r = ctx.result[j]
        if r and r.reason not in SOFT_REASONS and r.speaker not in (exclude, UNKNOWN,
                                                                      ctx.narrator):
            e = ctx.reg.entities.get(r.speaker)
            if e is not None and e.resolved_gender() is want:
                return r.speaker
        j -= 1
    return None


def _described_antecedent(ctx: Context, want: Gender, pos: int, exclude: str | None) -> str | None:
    """"One girl stood alone. [...] “Yes?” she said": with no named character of that
    gender about, he/she is the nearest person the narration describes ("one girl"); failing
    one of that gender, the nearest whose noun and clause say no gender ("... when the
    inspector came. “You'll be Mrs. Gray,” he said"). Not with a cast: the cast lists the
    speakers, and a described extra would take their lines."""
    if ctx.reg.has_cast:
        return None
    start = max(0, pos - RECENT_SPEAKER_CHARS)
    neutral: list[tuple[int, str]] = []
    for ds, de, phrase in reversed(find_descriptions(ctx.text, start, pos)):
        noun = phrase.split()[-1].lower()
        g = gender_of_noun(noun)
        if g is Gender.UNKNOWN and noun in PERSON_NOUNS:
            g = ctx.gender_after(de)  # "the doctor felt his patient's pulse"
        if g is not want and not (g is Gender.UNKNOWN and noun in PERSON_NOUNS):
            continue
        j = bisect.bisect_right(ctx.quote_ends, ds)
        if j < len(ctx.quotes) and ctx.quotes[j].start <= ds:
            continue  # “Another boy.” is said, not a person in the scene
        if phrase.split()[0].lower() in ("his", "her", "their", "its"):
            continue  # "her husband" needs its owner; that is resolve_description's job
        if g is not want:
            neutral.append((ds, phrase))
            continue
        key = descriptions.resolve_description(ctx, phrase, pos, exclude)
        if key and key != exclude and key != ctx.narrator:
            return key
    for _ds, phrase in neutral:
        key = descriptions.resolve_description(ctx, phrase, pos, exclude)
        if key and key not in (exclude, ctx.narrator) and \
                ctx.reg.entities[key].resolved_gender() in (want, Gender.UNKNOWN):
            return key
    return None


def recent_speaker(ctx: Context, i: int, pronoun: str) -> str | None:
    """For "returned she" with no woman named nearby: the last speaker of that gender in
    the conversation (speakers are the likeliest antecedents in dialogue)."""
    low = pronoun.lower()
    if low not in ("he", "she"):
        return None
    want = Gender.MALE if low == "he" else Gender.FEMALE
    start = ctx.quotes[i].start
    unknown = None
    for j in range(i - 1, -1, -1):
        if start - ctx.quotes[j].end > RECENT_SPEAKER_CHARS:
            break
        r = ctx.result[j]
        e = ctx.reg.entities.get(r.speaker) if r else None
        if not r or not e or r.speaker == ctx.addressed:
            continue
        g = e.resolved_gender()
        if g is want:
            return r.speaker
        if g is Gender.UNKNOWN and not e.description and unknown is None:
            unknown = r.speaker
    return unknown
