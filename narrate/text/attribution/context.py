"""The state every sieve reads: the text, its paragraphs and quotes, the name registry and
the answers so far (`Context.result`), with the views of it the sieves share (the narration
before and after a quote, its speech tag's subjects, who it addresses, the speakers of the
conversation so far). Sieves write only `result` and the registry."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from itertools import pairwise

from narrate.script import NARRATOR, Gender
from narrate.text.attribution.grammar import (
    first_sentence,
    last_sentence,
    subject_after,
    subject_before,
)
from narrate.text.attribution.patterns import (
    ASIDE_WORDS,
    ASKS_NAME,
    CLAUSE_END,
    CONTEXT_CHARS,
    CONVERSATION_TURNS,
    GUESSED,
    I_WORD,
    NAME_GIVEN,
    OPENING_PHRASE,
    OWNED_APPOSITIVE,
    PRONOUNS,
    RECENT_SPEAKER_CHARS,
    SCENE_BREAK,
    SENTENCE_BEFORE,
    TURN_NARRATION_WORDS,
    UNKNOWN,
    VOCATIVE,
    VOCATIVE_ANY,
    described_name,
)
from narrate.text.blocks import Block
from narrate.text.name_words import split_title
from narrate.text.names import Registry
from narrate.text.quotes import Quote


@dataclass(frozen=True)
class Attribution:
    speaker: str
    """Entity key, or `NARRATOR` for a first-person narrator."""
    reason: str
    confidence: float = 0.0
    """How sure the answer is (0-1), set once every pass has run (`confidence.score`)."""


IMPERSONAL_WORDS = 80
"""Narration up to this many words that mentions no one keeps a conversation going."""
PERSONAL = re.compile(r"\b(?:[Hh]e|[Ss]he|[Hh]im|[Hh]er|[Hh]is|[Hh]ers|I|[Mm]e|[Mm]y|[Ww]e|[Uu]s|"
                      r"[Oo]ur|[Tt]hey|[Tt]hem|[Tt]heir)\b")

MAX_RESOLUTION_DEPTH = 8
"""Resolutions nested inside one another ("her daughter" asks who "she" is, the subject
"Her mother", who asks who "she" is ...) before the innermost gives up; a resolution already
under way for the same words at the same place gives up at once (a cycle)."""


class Context:
    def __init__(self, text: str, blocks: Sequence[Block], quotes: Sequence[Quote],
                 registry: Registry, headings: Collection[int] = ()):
        self.text = text
        self.headings = frozenset(headings)
        self._heading_starts: list[int] | None = None
        self.block_starts: list[int] | None = None
        self.blocks = blocks
        self.quotes = quotes
        self.reg = registry
        self.result: list[Attribution | None] = [None] * len(quotes)
        self.by_block: dict[int, list[int]] = {}
        for i, q in enumerate(quotes):
            self.by_block.setdefault(q.block, []).append(i)
        # neighbours within a paragraph, in O(1) (a 2 MB paragraph may hold 40,000 quotes)
        self.prev_in_block: list[int | None] = [None] * len(quotes)
        self.next_in_block: list[int | None] = [None] * len(quotes)
        for ids in self.by_block.values():
            for a, b in pairwise(ids):
                self.next_in_block[a] = b
                self.prev_in_block[b] = a
        self._dialogue_only: dict[int, bool] = {}
        self.addressed: str | None = None
        self._tags: dict[int, tuple[str | None, str | None]] = {}
        self.quote_ends = [q.end for q in quotes]
        self.desc_names: dict[str, str] | None = None
        self._first_person: bool | None = None
        """Who the quote being attributed addresses (for "his wife" in its tag)."""

        self._resolving: set[tuple[str, str, int]] = set()
        self.cast_parts: dict[str, list[str]] | None = None
        self.cast_forms: dict[str, list[str]] | None = None
        """Cast members by each part of their names (`cast._index`)."""
        self.narrator: str = NARRATOR
        """Entity key of the first-person narrator (`narrator.find_narrator` sets it)."""
        self.tagged: Callable[[int], Attribution | None] = lambda _i: None
        """The explicit-tag sieve's answer for a quote, cached (`sieves.run` sets it)."""

    def enter(self, kind: str, words: str, pos: int) -> bool:
        """Start resolving `words` at `pos`; False (do not) when that is already under way
        further up or the nesting is too deep. Pair a True with `leave`."""
        key = (kind, words.lower(), pos)
        if key in self._resolving or len(self._resolving) >= MAX_RESOLUTION_DEPTH:
            return False
        self._resolving.add(key)
        return True

    def leave(self, kind: str, words: str, pos: int) -> None:
        self._resolving.discard((kind, words.lower(), pos))

    def narrator_tagged(self, i: int) -> bool:
        """Quote i has a first-person tag: "…,” I said." or the second half of "“…,” I
        said, “…”" (one tag between two quotes covers both)."""
        after, before = self.tag_subjects(i)
        p = self.prev_in_block[i]
        if before and before.lower() == "i" and p is not None and \
                (self.tag_subjects(p)[0] or "").lower() == "i":
            return True
        return (after or before or "").lower() == "i"

    def before(self, i: int) -> str:
        """Narration between the previous quote of the paragraph (or its start) and quote i."""
        q = self.quotes[i]
        p = self.prev_in_block[i]
        start = self.quotes[p].end if p is not None else self.blocks[q.block].start
        return self.text[max(start, q.start - CONTEXT_CHARS):q.start]

    def after(self, i: int) -> str:
        q = self.quotes[i]
        n = self.next_in_block[i]
        end = self.quotes[n].start if n is not None else self.blocks[q.block].end
        return self.text[q.end:min(end, q.end + CONTEXT_CHARS)]

    def addressee(self, i: int) -> str | None:
        q = self.quotes[i]
        inner = self.text[q.inner_start:q.inner_end]
        if i > 0 and q.start - self.quotes[i - 1].end < CONTEXT_CHARS and any(
                ASKS_NAME.search(self.text, self.quotes[j].inner_start, self.quotes[j].inner_end)
                for j in self.by_block[self.quotes[i - 1].block][-3:] if j < i):
            # “Tell us your name!” / “Pip, sir.”: the answer's name is its speaker's own
            return None
        if NAME_GIVEN.match(inner):
            return None  # “Pip, sir.”: a name given in answer; "sir" is the one addressed
        m = VOCATIVE.search(inner)
        if m:
            form = m.group(1) or m.group(2)
            key = self.reg.lookup(form)
            if key:
                return key
        head = re.match(r"^\W*([A-Z][a-z]+)[,!]", inner)
        if head and self.reg.lookup(head.group(1)):
            return self.reg.lookup(head.group(1))
        for m in VOCATIVE_ANY.finditer(inner):
            key = self.reg.lookup(m.group(1))
            if key:
                return key
        return None

    def scope_start(self, pos: int) -> int:
        """Start of the paragraph holding `pos`, or of the one before when `pos` opens it."""
        j = self.text.rfind("\n", max(0, pos - CONTEXT_CHARS), pos)
        if j < 0:
            return max(0, pos - CONTEXT_CHARS)
        if not self.text[j + 1:pos].strip() and j > 0:
            k = j
            while k > 0 and self.text[k - 1] in "\n\r \t":
                k -= 1
            return self.text.rfind("\n", 0, k) + 1
        return j + 1

    def heading_floor(self, pos: int) -> int:
        """Start of the latest heading block before ``pos`` (0 when there is none)."""
        if self._heading_starts is None:
            self._heading_starts = sorted(self.blocks[b].start for b in self.headings)
        i = bisect.bisect_right(self._heading_starts, pos) - 1
        return self._heading_starts[i] if i >= 0 else 0

    def inner_possessive(self, start: int, end: int) -> bool:
        """"...he had observed Durbeyfield's name on his waggon": a possessive inside a
        sentence (not opening it) qualifies a thing; the sentence's subject is someone else."""
        return self.text[end:end + 2] in ("'s", "’s") and \
            SENTENCE_BEFORE.search(self.text, max(0, start - 4), start) is None

    def name_alone(self, start: int, end: int) -> bool:
        """"...with gold points. Chrysostomos. Two whistles answered": a name that is a
        sentence by itself is a thought or a call, not someone acting."""
        return self.text[end:end + 1] in (".", "!") and \
            SENTENCE_BEFORE.search(self.text, max(0, start - 4), start) is not None

    def owned_by_pronoun(self, start: int, end: int, pronoun: str) -> bool:
        """"Millie, her maid, had been scolded ..." / "it was not her Ayah": a name given an
        owner of the pronoun's gender is not who that pronoun means (the owner is)."""
        owner = "his" if pronoun == "he" else "her"
        m = OWNED_APPOSITIVE.match(self.text, end)
        if m is not None and m.group(1).lower() == owner:
            return True
        return self.text[max(0, start - 4):start].lower() == owner + " "

    def pronoun_led(self, pos: int, pronoun: str) -> bool:
        """The sentence holding `pos` opens with `pronoun` ("He turned his eyes to Tom's
        face"): a name later in it is not who that pronoun means, so it is not the
        antecedent of the next one either."""
        head = last_sentence(self.text[max(0, pos - 300):pos]).lstrip(" \t\r\n“”\"‘’'—-")
        # (a hard-wrapped line may break right after the pronoun: "He\nglanced round")
        if head[:len(pronoun)].lower() == pronoun and head[len(pronoun):][:1].isspace():
            return True
        # after an opening phrase: "Laughing again, he took the glass from Tom's hand"
        m = OPENING_PHRASE.match(head)
        return m is not None and head[m.end():m.end() + len(pronoun)] == pronoun and \
            head[m.end() + len(pronoun):][:1].isspace()

    def speakers_before(self, pos: int) -> list[str]:
        """Speakers of the conversation's quotes that end before ``pos`` (latest first, at
        most CONVERSATION_TURNS, none more than RECENT_SPEAKER_CHARS back)."""
        found: list[str] = []
        j = bisect.bisect_right(self.quote_ends, pos) - 1
        last = pos
        for k in range(j, max(-1, j - CONVERSATION_TURNS), -1):
            if last - self.quotes[k].end > RECENT_SPEAKER_CHARS:
                break
            last = self.quotes[k].start
            r = self.result[k]
            if r is not None and r.speaker != UNKNOWN and r.speaker not in found:
                found.append(r.speaker)
        return found

    def last_speaker_before(self, pos: int) -> str | None:
        """The speaker of the last quote ending before `pos` (within a conversation's reach)."""
        j = bisect.bisect_right(self.quote_ends, pos) - 1
        while j >= 0 and pos - self.quote_ends[j] <= RECENT_SPEAKER_CHARS:
            r = self.result[j]
            if r and r.speaker != UNKNOWN:
                return r.speaker
            j -= 1
        return None

    def gender_after(self, end: int) -> Gender:
        """The gender of the pronouns in the rest of the clause after a neutral noun."""
        rest = re.split(r"[,;:—]|\bwho\b", first_sentence(self.text[end:end + 120]))[0]
        he = len(re.findall(r"\b(?:he|his|him|himself)\b", rest, re.IGNORECASE))
        she = len(re.findall(r"\b(?:she|her|hers|herself)\b", rest, re.IGNORECASE))
        if he and not she:
            return Gender.MALE
        if she and not he:
            return Gender.FEMALE
        return Gender.UNKNOWN

    def only_cast_member(self, gender: Gender, exclude: str | None,
                         described: bool = False) -> str | None:
        """With a cast, the one member of that gender (not the narrator, not `exclude`): "she
        asked" before any woman is named; with `described`, the one such member the cast
        itself names by a description ("a girl", "convict"), for "the girl"."""
        if not self.reg.has_cast:
            return None
        hits = [e.key for e in self.reg.entities.values()
                if e.from_cast and e.key not in (exclude, self.narrator)
                and e.resolved_gender() is gender
                and (not described or described_name(e.display))]
        return hits[0] if len(hits) == 1 else None

    def tag_subjects(self, i: int) -> tuple[str | None, str | None]:
        """The subjects of a speech tag after quote i (when it is closed) and before it."""
        if i not in self._tags:
            q = self.quotes[i]
            after = subject_after(self.after(i)) if q.closed else None
            if after is None and q.closed and q.inner_end == q.end:
                after = self._inner_tag(i)
            before = subject_before(self._before_tag(i))
            if after and before and self._tag_leads_next(i):
                after = None  # Milly said, “It is mine.” Babs said, “No, ...”
            self._tags[i] = (after, before)
        return self._tags[i]

    def _tag_leads_next(self, i: int) -> bool:
        """The narration after quote i, which closes a sentence, runs into the next quote of
        the paragraph with a comma or a colon ("“It is mine.” Babs said, “No...”"): its tag
        introduces that next quote, not this one."""
        n = self.next_in_block[i]
        if n is None:
            return False
        q = self.quotes[i]
        between = self.text[q.end:self.quotes[n].start].rstrip()
        inner = self.text[q.inner_start:q.inner_end].rstrip()
        return between.endswith((",", ":")) and inner.endswith((".", "!", "?"))

    def _inner_tag(self, i: int) -> str | None:
        """Em-dash dialogue has no closing mark: the tag sits inside the paragraph after a
        clause of speech ("—Our mighty mother! Buck Mulligan said. ...")."""
        q = self.quotes[i]
        inner = self.text[q.inner_start:min(q.inner_end, q.inner_start + CONTEXT_CHARS)]
        for m in CLAUSE_END.finditer(inner):
            subj = subject_after(inner[m.end():])
            if subj:
                return subj
        return None

    def previous_turn_speaker(self, i: int) -> str | None:
        """Who spoke the turn right before quote i, when quote i opens a new paragraph and
        the paragraph before it holds a quote (consecutive turns of a conversation)."""
        q = self.quotes[i]
        if self.prev_in_block[i] is not None or q.continues or q.block == 0:
            return None
        if self.text[self.blocks[q.block].start:q.start].strip():
            return None
        ids = self.by_block.get(q.block - 1)
        if not ids:
            return None
        pb = self.blocks[q.block - 1]
        if self.text[pb.start:self.quotes[ids[0]].start].strip():
            return None  # the paragraph before opens with narration: not a plain turn
        words, pos = 0, pb.start
        for j in ids:
            words += len(self.text[pos:self.quotes[j].start].split())
            pos = self.quotes[j].end
        if words + len(self.text[pos:pb.end].split()) > TURN_NARRATION_WORDS:
            return None
        r = self.result[ids[-1]]
        # only a turn whose speaker a tag gave: a guessed one would spread its error
        return r.speaker if r and r.reason not in GUESSED and r.speaker != UNKNOWN else None

    def named_beside(self, pos: int) -> set[str]:
        """Who the paragraphs right before and after the one holding `pos` tag by name
        ("“…,” asked Dick."): the speakers of the turns beside a quote at `pos`."""
        j = bisect.bisect_right(self.quote_ends, pos)
        if j >= len(self.quotes) or self.quotes[j].start > pos:
            return set()
        block = self.quotes[j].block
        found: set[str] = set()
        for b in (block - 1, block + 1):
            for k in self.by_block.get(b, ()):
                for subj in self.tag_subjects(k):
                    if subj and subj[:1].isupper() and subj.lower() not in PRONOUNS:
                        key = self.reg.lookup(subj)
                        if key:
                            found.add(key)
        return found

    def previous_paragraph_speaker(self, i: int) -> str | None:
        """Who spoke the last quote of the paragraph before, when quote i opens its own
        paragraph and that speaker was read from a tag or a name (not guessed); the paragraph
        before may hold any amount of narration."""
        q = self.quotes[i]
        if self.prev_in_block[i] is not None or q.continues or q.block == 0 or \
                self.text[self.blocks[q.block].start:q.start].strip():
            return None
        ids = self.by_block.get(q.block - 1)
        r = self.result[ids[-1]] if ids else None
        return r.speaker if r and r.reason not in GUESSED and r.speaker != UNKNOWN else None

    def conversation_speakers(self, i: int) -> list[str]:
        """Distinct speakers of the quotes before quote i in its conversation, latest first."""
        start = self.quotes[i].start
        found: list[str] = []
        for j in range(i - 1, max(-1, i - CONVERSATION_TURNS), -1):
            if start - self.quotes[j].end > RECENT_SPEAKER_CHARS:
                break
            r = self.result[j]
            if r is not None and r.speaker not in found and r.speaker not in (UNKNOWN,
                                                                               self.narrator):
                found.append(r.speaker)
        return found

    def _before_tag(self, i: int) -> str:
        q = self.quotes[i]
        before = last_sentence(self.before(i))
        if not before.strip() and q.start == self.blocks[q.block].start and q.block > 0:
            # "...she said dreamily:" closing the paragraph before (after its own quotes too)
            prev_b = self.blocks[q.block - 1]
            ids = self.by_block.get(q.block - 1)
            lo = self.quotes[ids[-1]].end if ids else prev_b.start
            tail = self.text[max(lo, prev_b.end - 300):prev_b.end].rstrip()
            # (or a comma: "...it was impossible for him not to say, as he had said at
            # dinner," and the quote is the rest of that sentence)
            if tail.endswith((":", "--", "—", ",")):
                before = last_sentence(tail.rstrip(":-—,") + ":")
        return before

    def has_verb(self, i: int) -> bool:
        """A speech verb right beside the quote (used to tell speech from titles)."""
        after, before = self.tag_subjects(i)
        return bool(after or before)

    def named_in(self, start: int, end: int, exclude: set[str]) -> str | None:
        for m in self.reg.between(start, end):
            if m.key not in exclude and self.reg.candidate(m.key):
                return m.key
        return None

    def is_aside(self, block: int) -> bool:
        """A short paragraph without quotes ("This was invitation enough.") that does not
        interrupt a conversation; blank or skipped blocks do not either. A heading or a
        scene break ("* * *", "II") does: the next exchange starts afresh."""
        if block in self.by_block or block in self.headings:
            return False
        b = self.blocks[block]
        chunk = self.text[b.start:b.end]
        if SCENE_BREAK.match(chunk):
            return False
        words = len(chunk.split())
        # narration that brings in no one ("The clock in the tower struck nine, and a dog
        # began to bark.") does not change who is talking
        return words <= ASIDE_WORDS or (words <= IMPERSONAL_WORDS and not PERSONAL.search(chunk)
                                        and not self.reg.between(b.start, b.end))

    def scene_break(self, lo: int, hi: int) -> bool:
        """A heading or a scene break lies between blocks lo and hi (a new exchange)."""
        return any(b in self.headings or SCENE_BREAK.match(
            self.text[self.blocks[b].start:self.blocks[b].end]) for b in range(lo + 1, hi))

    def paragraph_is_dialogue_only(self, i: int) -> bool:
        """The paragraph holds quotes and at most one word of narration."""
        block = self.quotes[i].block
        if block not in self._dialogue_only:
            b = self.blocks[block]
            words, pos = 0, b.start
            for j in self.by_block[block]:
                qq = self.quotes[j]
                words += len(re.findall(r"\w+", self.text[pos:qq.start]))
                pos = qq.end
                if words > 1:
                    break
            words += len(re.findall(r"\w+", self.text[pos:b.end])) if words <= 1 else 0
            self._dialogue_only[block] = words <= 1
        return self._dialogue_only[block]

    def person_name(self, key: str) -> bool:
        """A name that is surely a person's: a cast member, titled ("Mr. Abernathy") or a
        known given name (a capitalised word with pronouns after it may be a thing: "the
        Elks", "Nature")."""
        e = self.reg.entities[key]
        return e.from_cast or any(split_title(f)[0] for f in e.forms) or \
            e.name_gender is not Gender.UNKNOWN

    def described_only(self, key: str | None) -> bool:
        e = self.reg.entities.get(key) if key else None
        return bool(e and e.description and not e.from_cast)

    def told_in_first_person(self) -> bool:
        """The narration (the text outside quotes) says "I" more than 8 times per 1,000
        words."""
        if self._first_person is None:
            parts, last = [], 0
            for q in self.quotes:
                parts.append(self.text[last:q.start])
                last = q.end
            parts.append(self.text[last:])
            narration = " ".join(parts)
            self._first_person = len(I_WORD.findall(narration)) > \
                0.008 * len(narration.split())
        return self._first_person

    def narrator_present(self, block: int) -> bool:
        """In a story told in the first person, the paragraph of narration right before a
        conversation puts "I" in the scene ("Accustomed to his abuse, I never replied"): the
        one the tagged speaker talks to, when no one else is tagged or called."""
        if not self.told_in_first_person() or block == 0 or self.by_block.get(block - 1):
            return False
        pb = self.blocks[block - 1]
        return I_WORD.search(self.text, pb.start, pb.end) is not None


Resolver = Callable[["Context", str, int, "str | None"], "str | None"]
"""resolve(ctx, words, pos, exclude): the entity `words` stand for at `pos`, or None."""


def guarded(kind: str) -> Callable[[Resolver], Callable[..., str | None]]:
    """A resolution that may ask others ("her daughter" asks who "she" is) run inside
    `Context.enter`/`leave`: one already under way further up, or nested too deep, answers
    None instead of recursing."""
    def wrap(resolve: Resolver) -> Callable[..., str | None]:
        @functools.wraps(resolve)
        def resolving(ctx: Context, words: str, pos: int,
                      exclude: str | None = None) -> str | None:
            if not ctx.enter(kind, words, pos):
                return None
            try:
                return resolve(ctx, words, pos, exclude)
            finally:
                ctx.leave(kind, words, pos)
        return resolving
    return wrap
