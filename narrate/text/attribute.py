"""Decide who speaks each quotation.

Rules, tried in order for each quote (the first that answers wins; `reason` records which):

1. ``speech_verb``: a speech verb beside the quote — after it (", said Bruno", ", he asked",
   ", the old man cried") or before it ("Bruno whispered, “...", "he said:"). Pronouns resolve
   to the nearest character of that gender mentioned before; "I" is the narrator.
2. ``continued``: a later quote in the same paragraph, or a paragraph continuing an unclosed
   quote, keeps the speaker of the quote before it.
3. ``named_nearby``: the character named in the sentence right after the quote or the last
   sentence before it, in the same paragraph (not the one addressed by a vocative).
4. ``kin_vocative``: "Mommy, ..." is said by the addressee's child ("her son") found nearby.
5. ``action_beat``: a quote opening its paragraph after a paragraph of narration is said by
   the subject of that paragraph's last sentence ("Tom was frowning." / "“No.”"); inside a
   paragraph, a named subject other than the previous speaker takes the next untagged quote
   ("“…,” said Tom. Ann laughed. “…”").
6. ``turn_taking``: in a run of dialogue paragraphs the two last speakers alternate; a turn
   the next or previous one addresses by name (``vocative``) is said by that person; the
   other party is not the tagged speaker of a turn beside it (three-way talk), and a heading
   or scene break ("* * *") ends the conversation.
7. ``next_paragraph`` / ``previous``: the first character named in the next paragraph (a
   stand-alone line introduced after it), else the last one mentioned.

Within rule 1: a he/she opening the turn after a tagged turn is the other party; "the
mother"/"her mother" is the owner's relative or the one "Mrs X" nearby; a new description
tag in a conversation with one described speaker is that speaker, and a name first heard in
a tag names the conversation's described speaker.

Known failure cases: a pronoun whose antecedent is the listener ("he said to Tom. “...” he
added"), a conversation among three people without tags, speakers named only by a description
that the text never repeats.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from itertools import pairwise

from narrate.script import NARRATOR, Gender
from narrate.text.blocks import Block
from narrate.text.names import (
    _NOT_NAMES,
    PERSON_NOUNS,
    RELATIONS,
    TITLES,
    Entity,
    Registry,
    find_descriptions,
    gender_of_noun,
    split_title,
)
from narrate.text.quotes import Quote


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


__all__ = ["Attribution", "attribute_quotes"]

SPEECH_VERBS = _words(
    "said says say saying asked asks ask replied replies answered answers cried cries exclaimed "
    "exclaims shouted shouts whispered whispers muttered mutters murmured murmurs called calls "
    "continued continues added adds began begins returned returns remarked remarks observed "
    "observes repeated responded screamed yelled laughed sighed teased demanded inquired "
    "enquired declared insisted admitted explained urged pleaded begged protested interrupted "
    "interposed suggested growled snapped retorted rejoined rejoins concluded sobbed gasped "
    "gasps roared breathed whimpered stammered faltered ventured resumed persisted pursued "
    "echoed told assured grumbled groaned hissed panted wailed mused agreed objected warned "
    "commanded ordered announced thundered bellowed drawled chuckled smiled grinned nodded "
    "shrieked squeaked moaned sneered joked cooed mumbled blurted barked corrected confessed "
    "conceded offered prompted reminded whined wondered exploded admonished implored entreated "
    "bawled spoke speaks shrugged hollered piped lied cautioned noted gushed boasted quipped "
    "sang soothed proposed reasoned inquires went put broke cut struck chimed"
)
_PHRASAL = {"went": "on", "put": "in", "broke": "in", "cut": "in", "struck": "in",
            "chimed": "in"}
_ADVERBS = _words(
    "then again also now only still simply just at last once more later finally presently "
    "suddenly quickly softly aloud back out up quietly gently slowly"
)
_LOWER_ADVERB_OK = _words(
    "presently suddenly finally slowly quickly softly quietly gently eventually instantly "
    "immediately directly accordingly consequently meanwhile naturally evidently apparently "
    "obviously certainly surely really only lastly firstly secondly frankly honestly"
)
_OPENERS = _words("then now so and but here there still yet at last again")
"""Capitalised words that open a sentence before its subject ("Then Tom said")."""
_SCENE_BREAK = re.compile(r"\W*$|\W*(?:[IVXLC]+|\d+)\W*$")
"""A paragraph of only marks ("* * *") or a section number ("II", "3.")."""
_AUX = frozenset(["had", "has", "have", "would", "will", "could", "should", "did", "was", "then"])
_PRONOUNS = frozenset(("he", "she", "i", "they", "we"))
_MODALS = frozenset(("would", "will", "could", "might", "shall", "should", "did", "must"))
_BARE_SUBJECTS = frozenset(("another", "one"))
"""Pronoun-like subjects of a tag that stand for a person of a group ("said another")."""
_DETERMINERS = _words(
    "the a an his her their my our your this that one another"
)
_TOKEN = re.compile(r"(?:Mr|Mrs|Ms|Dr|St|Mme|Mlle|Messrs|Capt|Col|Gen|Rev|Prof|Lt|Sgt)\.|"
                    r"[A-Za-z][\w’'-]*|[^\w\s]")
_SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bMrs)(?<!\bDr)(?<!\bMs)(?<!\bSt)[.!?…]"
                           r"[”\"’']?(?=\s)|\n[ \t]*\n")
_KIN = re.compile(r"^\W*(?:Mommy|Mom|Mum|Mummy|Mama|Mamma|Momma|Ma|Mother|Daddy|Dad|Papa|Pa|"
                  r"Father|Grandma|Grandpa|Granny)\b[,!.?]")
_CHILD_DESC = re.compile(r"\b(?:her|his|their)\s+(?:(?:little|young|baby|small|tiny|eldest|"
                         r"youngest|oldest|own)\s+)?(son|daughter|boy|girl|child|kid)\b")
_CAP = r"[A-Z][\w’'-]*"
_AGENT_NOUN = re.compile(r"[a-z-]{3,}(?:[^e]er|or|keeper|man|woman|ist|ian)$")
"""A noun naming what someone does ("waggoner", "turnpike-keeper"): a person when a speech
verb's subject ("said the waggoner.")."""
_CONTINUING_TAG = re.compile(
    r"\W*(?:\w+\s+){0,2}?(?:added|adds|continued|continues|went on|goes on|resumed|"
    r"repeated|persisted|pursued|concluded)\b", re.IGNORECASE)
"""A tag saying the speaker goes on ("he added"): the same speaker as the turn before."""
_DEFINITE = frozenset(("the", "his", "her", "their", "this"))
_EPITHET_NOUNS = frozenset(("man", "woman", "lady", "gentleman", "girl", "boy", "fellow",
                            "lad", "lass", "dame", "matron", "maiden", "youth"))
"""Generic person nouns a story uses as an epithet for someone it has named."""
_FAMILY_TITLE = {"mother": "Mrs", "wife": "Mrs", "father": "Mr", "husband": "Mr"}
"""The title a parent or spouse goes by in a family known by its surname."""
_CLAUSE_END = re.compile(r"[,!?.…]\s+")
_I_WORD = re.compile(r"\bI\b")
_NAME_STATEMENT = re.compile(rf"\b([Hh]is|[Hh]er) (?:real |true |Christian |first )?name "
                             rf"(?:was|is) ({_CAP}(?: {_CAP})*)")
_RELATION_NAMED = re.compile(rf"\b([Mm]y|[Oo]ur) ([a-z]+),? ({_CAP})\b")
"""The narrator's relation followed by the name ("my brother Robert", "our cousin, Ellen"):
"said my brother" is Robert. Not "his brother X": "his" changes owner from scene to scene."""
_WHOSE_NAME = re.compile(rf"\b(?:[Tt]he|[Aa]n?)\s+((?:[a-z]+\s+){{0,2}}[a-z]+),\s+whose "
                         rf"(?:real |true |first )?name (?:was|is) ({_CAP}(?: {_CAP})*)")
_KIN_PHRASE = re.compile(r"\b(?:[Mm]y|[Oo]ur|[Hh]is|[Hh]er|[Tt]heir|[Tt]he)\s+([a-z]+)\b")
_SELF_NAMED = re.compile(rf"\b(?:[Mm]y name (?:is|was)|call(?:ed|s)? me|called myself)\s+"
                         rf"({_CAP}(?: {_CAP})*)")
_VOCATIVE_ANY = re.compile(rf"(?:^\W*|[,;—]\s*|\b[Mm]y dear\s+|\b[Dd]ear\s+)"
                           rf"((?:(?:Mr|Mrs|Ms|Dr|St)\.\s*)?{_CAP}(?: {_CAP})*)(?=\s*[,.!?;—])")
_PLAIN_SPEECH_VERBS = _words(
    "say saying ask asking reply replying answer answering remark remarking inquire "
    "inquiring exclaim exclaiming whisper whispering observe observing sigh sighing murmur "
    "murmuring mutter muttering cry crying shout shouting add adding explain explaining "
    "repeat repeating insist insisting declare declaring protest protesting retort retorting"
)
"""Speech verbs after "remember", "managed to", "heard myself", "would" in a tag."""
_EPITHET_WORDS = frozenset(("old", "young", "little", "poor", "big", "dear"))
_LOWER_NEXT = re.compile(r"\s+[a-z]")
_SENTENCE_BEFORE = re.compile(r"(?:[.!?][”’\"']?\s+|\n\s*\n\s*)$")
"""A stop and a space, or a blank line, right before a position (a hard-wrapped line break
alone does not start a sentence)."""
_REPLY_TAG = re.compile(r"\W*(?:(?:he|she)\s+(?:\w+ly\s+)?(?:replied|answered|rejoined|retorted|"
                        r"returned)|(?:replied|answered|rejoined|retorted|returned)\s+(?:he|she))"
                        r"\b")
"""A pronoun tag whose verb says the line answers someone ("he replied", "answered she")."""
_OWNED_APPOSITIVE = re.compile(r",\s+(his|her)\s+[a-z][a-z\s-]{0,30}?,", re.I)
"""An appositive that names the name's owner: "Millie, her lymphatic maid," ."""
_ASKS_NAME = re.compile(r"\b(?:your name|who are you|who(?:'s| is) (?:it|there|that))\b",
                        re.I)
"""A question whose answer is the answerer's own name ("Tell us your name!")."""
_SUBORDINATORS = _words("as when while after before once")
"""Words opening a clause before its subject ("As the doctor crossed the room he paused")."""
CHAIN_SENTENCES = 4
"""Sentences led by the same he/she looked back over for the described person they follow."""
_OPENING_PHRASE = re.compile(r"[A-Z][a-z]+(?:\s+[a-z]+){0,4},\s+")
"""A short lower-case phrase opening a sentence before its subject ("Laughing again, he")."""
_BARE_NAME = re.compile(rf"^((?:(?:Mr|Mrs|Ms|Dr)\.\s*)?{_CAP}(?: {_CAP})+)\.$")
"""A quote that is only a full name and a stop: "Jonathan Harker." (not a call: "Tom!")."""
_OPENING_CALL = re.compile(rf"^\W*((?:(?:Mr|Mrs|Ms|Dr)\.\s*)?{_CAP}(?: {_CAP})*),\s")
"""A quote opening with a name and a comma: "Jane, come here." """
_KIN_CALLS = {"uncle": "uncle", "aunt": "aunt", "auntie": "aunt", "papa": "father",
              "pa": "father", "father": "father", "mamma": "mother", "mama": "mother",
              "ma": "mother", "mother": "mother", "grandpa": "grandfather",
              "grandfather": "grandfather", "grandma": "grandmother", "granny": "grandmother",
              "grandmother": "grandmother"}
"""Relations a speaker calls a relative by ("Surely, uncle, ..."), as the relation noun."""
_KIN_CALL = re.compile(r"(?:^\W*|[,;—]\s*|\b[Dd]ear\s+)((?i:" + "|".join(_KIN_CALLS) +
                       r"))(?=\s*[,.!?;—]|\s*$)")
_TURNING_TO = re.compile(rf"[,;—]\s*and\s+((?:(?:Mr|Mrs|Ms|Dr|St)\.\s*)?{_CAP}(?: {_CAP})*)"
                         rf"(?=\s*[,!?])")
"""“That's my brave boy!—and Fergus, what have you been doing?”: the speaker turns to someone
new, who answers next (but did not say the line before)."""
_NAME_GIVEN = re.compile(rf"\W*{_CAP}(?: {_CAP})*(?:[.,!]\s*{_CAP}(?: {_CAP})*)*,\s*"
                         r"(?:sir|ma['’]am|madam|miss|mum|mister)\W*$")
"""“Pip, sir.” / “Pip. Pip, sir.”: the whole quote is a name told to someone called "sir"."""
_VOCATIVE = re.compile(rf"^\W*({_CAP}(?: {_CAP})*)[,!?]|,\s*({_CAP}(?: {_CAP})*)\s*[.!?,]*\W*$")


def _described_name(name: str) -> bool:
    """A cast name that is a description ("a girl", "convict"), not a proper name."""
    first = name.split()[0] if name.split() else ""
    return first.islower() or first.lower() in _DETERMINERS


def _contrasting(a: str, b: str) -> bool:
    """"the young man" and "the old man": one noun told apart by different words."""
    wa, wb = a.lower().split()[1:], b.lower().split()[1:]
    return bool(wa and wb and wa[-1] == wb[-1] and len(wa) > 1 and len(wb) > 1 and wa != wb)


_NOT_A_KIND = frozenset(("voice", "one", "other", "another"))


def _introduced_apart(a: Entity, b: Entity) -> bool:
    """"a middle-aged man ... an elderly parson ... said the man with the basket ... said the
    parson": two kinds of person, each introduced by the narration on its own ("a ...
    man", "an ... parson"), are two people ("a terrible voice" and "a man" may be one)."""
    heads = [x.display.split()[-1] for x in (a, b)]
    if heads[0] == heads[1] or any(h in _NOT_A_KIND or h not in PERSON_NOUNS for h in heads):
        return False
    return all(any(f.split()[0] in ("a", "an") and f.split()[-1] == h for f in x.forms)
               for x, h in zip((a, b), heads, strict=True))


def _is_adverb(word: str) -> bool:
    w = word.lower()
    return w in _ADVERBS or (w.endswith("ly") and len(w) > 3)


def _is_verb(tokens: list[str], i: int) -> int:
    """Length of the speech verb at ``tokens[i]`` (2 for "went on"), 0 when none."""
    if i >= len(tokens):
        return 0
    w = tokens[i].lower()
    if w not in SPEECH_VERBS:
        # "she would sigh", "he will answer": a modal's base form of a listed past tense
        if i > 0 and tokens[i - 1].lower() in _MODALS and len(w) > 3 and w.isalpha() and (
                w + "ed" in SPEECH_VERBS or w + "d" in SPEECH_VERBS
                or (w.endswith("y") and w[:-1] + "ied" in SPEECH_VERBS)):
            return 1
        return 0
    if w in _PHRASAL:
        return 2 if i + 1 < len(tokens) and tokens[i + 1].lower() == _PHRASAL[w] else 0
    return 1


def _subject_at(tokens: list[str], i: int) -> tuple[str, int] | None:
    """A subject starting at ``tokens[i]``: (phrase, tokens used)."""
    if i >= len(tokens):
        return None
    t = tokens[i]
    if t.lower() in _PRONOUNS and (t == "I" or t.islower() or i == 0 or t in ("He", "She")):
        return t, 1
    if t in _EPITHET_WORDS and i + 1 < len(tokens) and tokens[i + 1][0].isupper() and \
            tokens[i + 1].lower() not in _DETERMINERS and tokens[i + 1].lower() not in _PRONOUNS:
        # "said old Cotter", "cried little Tom": the epithet is not part of the name
        found = _subject_at(tokens, i + 1)
        return (found[0], found[1] + 1) if found else None
    if t[0].isupper() and t.lower() not in _DETERMINERS:
        j = i
        while j < len(tokens) and tokens[j][0].isupper() and j - i < 4:
            j += 1
        return " ".join(tokens[i:j]), j - i
    if t.lower() in _BARE_SUBJECTS and (i + 1 >= len(tokens) or not tokens[i + 1][0].isalpha()):
        return t.lower(), 1  # ", said another." / ", cried one,"
    if t.lower() in _DETERMINERS:
        for j in range(i + 1, min(i + 4, len(tokens))):
            w = tokens[j].lower()
            if w in PERSON_NOUNS:
                if w == "voice" and j + 2 < len(tokens) and tokens[j + 1] == "of" and \
                        tokens[j + 2][0].isupper():
                    k = j + 2
                    while k < len(tokens) and tokens[k][0].isupper() and k - j < 5:
                        k += 1
                    return " ".join(tokens[i:k]), k - i
                return " ".join(tokens[i:j + 1]), j + 1 - i
            if _AGENT_NOUN.match(w) and (j + 1 == len(tokens) or not tokens[j + 1][0].isalnum()):
                return " ".join(tokens[i:j + 1]), j + 1 - i  # "said the waggoner."
            if not re.match(r"[a-z][a-z-]*$", tokens[j]):
                return None
    return None


def _subject_before(tokens: list[str], i: int) -> str | None:
    """The subject ending just before ``tokens[i]`` (skipping adverbs and auxiliaries)."""
    j = i - 1
    while j >= 0 and (_is_adverb(tokens[j]) or tokens[j].lower() in _AUX) and i - j <= 3:
        j -= 1
    if j < 0:
        return None
    t = tokens[j]
    if t.lower() in _PRONOUNS:
        return t
    if t[0].isupper() and t.lower() not in _DETERMINERS:
        k = j
        while k > 0 and tokens[k - 1][0].isupper() and j - k < 3 and \
                tokens[k - 1].lower() not in _DETERMINERS and tokens[k - 1].lower() not in \
                _PRONOUNS:
            k -= 1
        while k < j and (tokens[k].lower() in _LOWER_ADVERB_OK or tokens[k].lower() in
                         _OPENERS):
            k += 1  # "Presently Tom said", "Then Tom said": the adverb is not part of the name
        return " ".join(tokens[k:j + 1])
    if t.lower() in PERSON_NOUNS:
        for k in range(j - 1, max(-1, j - 4), -1):
            if tokens[k].lower() in _DETERMINERS:
                return " ".join(tokens[k:j + 1])
            if not re.match(r"[a-z][a-z-]*$", tokens[k]):
                break
    return None


def subject_after(after: str) -> str | None:
    """Speaker named in a tag after a quote: ", said the parson." / " he whispered"."""
    tokens = [t for t in _TOKEN.findall(after[:160])]
    while tokens and tokens[0] in ",;:—–-":
        tokens.pop(0)
    i = 0
    while i < len(tokens) and _is_adverb(tokens[i]) and i < 2:
        i += 1
    n = _is_verb(tokens, i)
    if n:
        k = i + n
        while k < len(tokens) and _is_adverb(tokens[k]) and k - i - n < 2:
            k += 1
        found = _subject_at(tokens, k)
        if found:
            return found[0]
    found = _subject_at(tokens, 0)
    if found:
        k = found[1]
        while k < len(tokens) and (_is_adverb(tokens[k]) or tokens[k].lower() in _AUX) \
                and k - found[1] < 3:
            k += 1
        if _is_verb(tokens, k):
            return found[0]
        # "I remember asking.", "he managed to say.", "I heard myself say.": a speech verb
        # in its plain or -ing form closing the tag a few words after the subject
        for j in range(found[1], min(found[1] + 5, len(tokens) - 1)):
            w = tokens[j]
            if not w.islower():
                break
            if w in _PLAIN_SPEECH_VERBS and not tokens[j + 1][0].isalnum():
                return found[0]
    return None


def subject_before(before: str) -> str | None:
    """Speaker named in a tag before a quote: "Bruno whispered, " / "he said:"."""
    tokens = _TOKEN.findall(before[-240:])
    if any(t in ".!?" for t in tokens[-1:]):
        return None
    for i in range(len(tokens) - 1, max(-1, len(tokens) - 14), -1):
        if _is_verb(tokens, i):
            subj = _subject_before(tokens, i)
            if subj:
                return subj
            if i > 0 and tokens[i - 1] == "and":
                return _sentence_opener(tokens, i - 1)  # "My uncle looked up and said:"
    return None


def _led_by(tokens: list[str], pronoun: str) -> bool:
    """The sentence's subject is `pronoun` after a short opening phrase with no person in it
    ("From one of the rooms he heard ...")."""
    for k, t in enumerate(tokens[:8]):
        if t.lower() == pronoun:
            # ("one of the rooms": "one" here is a number, not a person)
            return all((w.lower() not in PERSON_NOUNS or w.lower() in _BARE_SUBJECTS)
                       and (j == 0 or not w[0].isupper()) for j, w in enumerate(tokens[:k]))
    return False


def _sentence_opener(tokens: list[str], i: int) -> str | None:
    """The subject opening the sentence that holds ``tokens[i]``."""
    k = i
    while k > 0 and tokens[k - 1] not in ".!?;”\"’":
        k -= 1
    while k < i and tokens[k].lower() in _OPENERS:
        k += 1
    found = _subject_at(tokens, k)
    return found[0] if found else None


CONTEXT_CHARS = 600
"""Characters of narration looked at on each side of a quote."""

RECENT_SPEAKER_CHARS = 3000
"""How far back a pronoun in a speech tag may find its speaker among earlier quotes."""

TURN_NARRATION_WORDS = 20
"""A paragraph opening with a quote and holding at most this many words of narration is a
plain turn of a conversation (the next paragraph's turn is most likely the other party's)."""

NARRATIVE_WORDS = 45
"""A paragraph opening with narration that tells more than this many words (and twice what it
quotes) only quotes in passing: it is not a turn of the conversation around it."""

OTHER_EXCHANGE_WORDS = 150
"""Narration of more than this many words between two quotes puts them in different exchanges."""

CONVERSATION_TURNS = 8
"""Quotes looked back over for the people of the current conversation."""

ASIDE_WORDS = 12
"""A paragraph of narration up to this many words keeps a conversation going."""

NAMED_LATER_CHARS = 1000
"""A name that arrives after a described speaker has spoken is theirs only this close to
their last line (a name much later in the scene is someone who has just come in)."""

_SOFT_REASONS = frozenset(("turn_taking", "previous", "next_paragraph", "unknown"))
"""Guesses the conversation pass may overrule (a tag or a name nearby it may not)."""

_GUESSED = _SOFT_REASONS | {"action_beat"}
"""Reasons that guess from the narration around a quote rather than read a tag or a name."""

NARRATED_NAME = 2
"""Mentions in the narration above which a name is not a first-person narrator's."""

UNKNOWN = "someone"
"""Entity key of a speaker no rule could find."""


@dataclass(frozen=True)
class Attribution:
    speaker: str
    """Entity key, or `NARRATOR` for a first-person narrator."""
    reason: str


def _last_sentence(s: str) -> str:
    last = None
    for m in _SENTENCE_END.finditer(s):
        last = m
    return s[last.end():] if last else s


def _first_sentence(s: str) -> str:
    m = _SENTENCE_END.search(s)
    return s[:m.end()] if m else s


_PERSON_INTRO = re.compile(r"\b(?:a|an|the)\s+(?:[a-z]+\s+){0,2}?([a-z]+)\b")
"""A person brought in by an article and up to two adjectives ("as a man started up")."""
_VOICE_OF = re.compile(r"\bof\s+((?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?[A-Z][\w’'-]+"
                       r"(?:\s+[A-Z][\w’'-]+)*)")


class _Attributor:
    def __init__(self, text: str, blocks: Sequence[Block], quotes: Sequence[Quote],
                 registry: Registry, headings: Collection[int] = ()):
        self.text = text
        self.headings = frozenset(headings)
        self._heading_starts: list[int] | None = None
        self._block_starts: list[int] | None = None
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
        self._addressee: str | None = None
        self._tags: dict[int, tuple[str | None, str | None]] = {}
        self._quote_ends = [q.end for q in quotes]
        self._desc_names: dict[str, str] | None = None
        self._first_person: bool | None = None
        """Who the quote being attributed addresses (for "his wife" in its tag)."""

        self.narrator = (self.reg.lookup("Narrator") or self.reg.lookup("I")
                         or self._named_narrator() or NARRATOR)

    def _named_narrator(self) -> str | None:
        """In a first-person story, the name others call the narrator by: "my name is Pip",
        "called me Pip", else the character most often addressed inside quotes ("I think,
        Watson, ...") who is never the subject of a third-person speech tag."""
        if len(_I_WORD.findall(self.text)) <= 0.004 * len(self.text.split()):
            return None
        votes: dict[str, int] = {}
        for m in _SELF_NAMED.finditer(self.text):
            key = self.reg.lookup(m.group(1))
            if key:
                votes[key] = votes.get(key, 0) + 2
        for form in self._narrator_told_names():
            key = self.reg.lookup(form)
            if key is None and not self.reg.has_cast:
                self.reg._cluster(Counter({form: 1}))
                key = self.reg.lookup(form)
            if key and not self.reg.entities[key].description:
                votes[key] = votes.get(key, 0) + 2
        unseen: dict[str, int] = {}
        for q in self.quotes:
            # (on the slice: "^" does not match at a `pos` inside the text)
            for m in _VOCATIVE_ANY.finditer(self.text[q.inner_start:q.inner_end]):
                key = self.reg.lookup(m.group(1))
                if key and not self.reg.entities[key].description:
                    votes[key] = votes.get(key, 0) + 1
                elif key is None and not self.reg.has_cast and self.reg.is_name(m.group(1)) \
                        and split_title(m.group(1))[1].split()[0] not in _NOT_NAMES:
                    unseen[m.group(1)] = unseen.get(m.group(1), 0) + 1
        if unseen:
            # a name heard only in dialogue ("I think, Watson, ...") may be the narrator's
            form = max(unseen, key=lambda f: unseen[f])
            if unseen[form] >= 2 and unseen[form] > max(votes.values(), default=0):
                self.reg._cluster(Counter({form: 1}))
                key = self.reg.lookup(form)
                if key:
                    votes[key] = unseen[form]
        if not votes and not unseen:
            return None
        # a story whose dialogue is full of "I" registers the names heard only in dialogue
        # (above), but it is told in the first person only when its narration says "I"
        # ("Red Badge": 8 per 1,000 words in all, none outside the quotes; a named narrator
        # is never a he/she, so a wrong one loses their pronoun tags)
        if not self._told_in_first_person():
            return None
        tagged: set[str] = set()
        for i in range(len(self.quotes)):
            after, before = self.tag_subjects(i)
            subj = after or before
            if subj and subj[0].isupper() and subj.lower() not in _PRONOUNS:
                key = self.reg.lookup(subj)
                if key:
                    tagged.add(key)
        # "Joseph was an old man": a name opening a sentence of the narration, before a
        # lower-case word, is a third person; the narrator would say "I"
        starts = [q.start for q in self.quotes]
        for men in self.reg.mentions:
            if men.key in votes and _SENTENCE_BEFORE.search(self.text, max(0, men.start - 4),
                                                            men.start) and \
                    _LOWER_NEXT.match(self.text, men.end):
                k = bisect.bisect_right(starts, men.start) - 1
                if k < 0 or self.quotes[k].end <= men.start:  # not inside a quote
                    tagged.add(men.key)
        if unseen:
            # the one called most may be someone a tag shows speaking ("My dear Holmes," said
            # I / "..." said Holmes): then the name heard only in dialogue ("I think, Watson,
            # ...") competes with the untagged ones only
            form = max(unseen, key=lambda f: unseen[f])
            rival = max((v for k, v in votes.items() if k not in tagged), default=0)
            if unseen[form] >= 2 and unseen[form] > rival and self.reg.lookup(form) is None:
                self.reg._cluster(Counter({form: 1}))
                key = self.reg.lookup(form)
                if key:
                    votes[key] = unseen[form]
        if not votes:
            return None
        # the narrator says "I": a name the narration itself uses is someone else's ("John
        # Reed was a schoolboy", though the narrator's cousin calls him "Jack" too)
        told = Counter(m.key for m in self.reg.mentions)
        # "Mr Cotter" heard in the dialogue is the "old Cotter" of the tags
        tagged_cores = {split_title(f)[1] for k in tagged for f in self.reg.entities[k].forms}
        tagged.update(k for k in votes if any(split_title(f)[1] in tagged_cores
                                              for f in self.reg.entities[k].forms))
        ranked = sorted((k for k in votes if k not in tagged),
                        key=lambda k: (told[k] > NARRATED_NAME, -votes[k]))
        if not ranked:
            return None
        best = ranked[0]
        # one call is enough for a cast member the narration never names ("…, Gilbert, …")
        ent = self.reg.entities[best]
        once = ent.from_cast and told[best] <= 1 and not _described_name(ent.display)
        return best if votes[best] >= 2 or once else None

    def _narrator_told_names(self) -> list[str]:
        """Names a talk with the narrator gives them: the narrator's own reply that is just
        a full name ("“Yes,” I said, “Tom Baxter.”": asked who they are, people answer with
        their name) and the name that opens the turn answering the narrator's tagged one
        ("“What have I done?” I asked. / “Jane, be quiet.”": a reply calls the one it
        answers)."""
        forms: list[str] = []
        for i, q in enumerate(self.quotes):
            if not self._narrator_tagged(i):
                continue
            inner = self.text[q.inner_start:q.inner_end].strip()
            m = _BARE_NAME.match(inner)
            if m and self.reg.is_name(m.group(1)):
                forms.append(m.group(1))
            j = self._reply_to(i)
            if j is not None:
                head = _OPENING_CALL.match(self.text[self.quotes[j].inner_start:
                                                     self.quotes[j].inner_end])
                if head and self.reg.is_name(head.group(1)) and \
                        split_title(head.group(1))[1].split()[0] not in _NOT_NAMES:
                    forms.append(head.group(1))
        return forms

    def _narrator_tagged(self, i: int) -> bool:
        """Quote i has a first-person tag: "…,” I said." or the second half of "“…,” I
        said, “…”" (one tag between two quotes covers both)."""
        after, before = self.tag_subjects(i)
        p = self.prev_in_block[i]
        if before and before.lower() == "i" and p is not None and \
                (self.tag_subjects(p)[0] or "").lower() == "i":
            return True
        return (after or before or "").lower() == "i"

    def _reply_to(self, i: int) -> int | None:
        """The quote answering quote i: the first quote of the next paragraph when that
        paragraph opens with it and its own tag is not the first person's."""
        q = self.quotes[i]
        ids = self.by_block.get(q.block + 1)
        if not ids or self.next_in_block[i] is not None:
            return None
        j = ids[0]
        nq = self.quotes[j]
        if nq.continues or self.text[self.blocks[nq.block].start:nq.start].strip():
            return None
        return None if self._narrator_tagged(j) else j

    # -- contexts ------------------------------------------------------------------------
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
                _ASKS_NAME.search(self.text, self.quotes[j].inner_start, self.quotes[j].inner_end)
                for j in self.by_block[self.quotes[i - 1].block][-3:] if j < i):
            # “Tell us your name!” / “Pip, sir.”: the answer's name is its speaker's own
            return None
        if _NAME_GIVEN.match(inner):
            return None  # “Pip, sir.”: a name given in answer; "sir" is the one addressed
        m = _VOCATIVE.search(inner)
        if m:
            form = m.group(1) or m.group(2)
            key = self.reg.lookup(form)
            if key:
                return key
        head = re.match(r"^\W*([A-Z][a-z]+)[,!]", inner)
        if head and self.reg.lookup(head.group(1)):
            return self.reg.lookup(head.group(1))
        for m in _VOCATIVE_ANY.finditer(inner):
            key = self.reg.lookup(m.group(1))
            if key:
                return key
        return None

    def _scope_start(self, pos: int) -> int:
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

    # -- subject resolution --------------------------------------------------------------
    def resolve_subject(self, subj: str, pos: int, exclude: str | None = None) -> str | None:
        word = subj.strip()
        low = word.lower()
        if low == "i":
            return self.narrator
        if low in ("he", "she"):
            want = Gender.MALE if low == "he" else Gender.FEMALE
            # the subject of a sentence in this paragraph (or the one before) first, then
            # the nearest mention of that gender, then a subject whose gender is not known
            scope = self._scope_start(pos)
            described = self._described_subject(pos, want, exclude)
            if described:
                return described
            # a third-person pronoun never means the first-person narrator
            local = [m for m in self.reg.recent(pos, limit_chars=pos - scope)
                     if m.key != self.narrator]
            for m in local:
                e = self.reg.entities[m.key]
                g = e.resolved_gender()
                if m.subject and m.key != exclude and not self._pronoun_led(m.start, low) and \
                        not self._owned_by_pronoun(m.start, m.end, low) and (
                        (g is want and self.reg.candidate(m.key))
                        or (g is Gender.UNKNOWN and not self.reg.has_cast and not e.description
                            and not self.reg.not_person(m.key)
                            and m.key not in self.reg.object_only)) \
                        and not self._name_alone(m.start, m.end):
                    return m.key
            last = pos
            floor = self._heading_floor(pos)
            for m in self.reg.recent(pos):
                if m.start < floor:
                    break  # a pronoun does not reach back over a chapter heading
                spoke = self._speaker_between(m.end, last, want, exclude)
                if spoke:
                    return spoke
                last = m.start
                e = self.reg.entities[m.key]
                if m.key != exclude and m.key != self.narrator and \
                        e.resolved_gender() is want and self.reg.candidate(m.key) and \
                        not self._pronoun_led(m.start, low) and \
                        not self._owned_by_pronoun(m.start, m.end, low) and \
                        not self._name_alone(m.start, m.end) and \
                        not self._inner_possessive(m.start, m.end):
                    return m.key
            for m in local:
                e = self.reg.entities[m.key]
                if (m.subject and m.key != exclude and e.resolved_gender() is Gender.UNKNOWN
                        and not e.description and (e.from_cast or not self.reg.has_cast)
                        and not self.reg.not_person(m.key)
                        and m.key not in self.reg.object_only):
                    return m.key
            return self.only_cast_member(want, exclude) or self._described_antecedent(
                want, pos, exclude) or self._unknown_gender_subject(pos, floor, exclude)
        if low in ("they", "we"):
            return None
        if word[0].isupper() and low.split()[0] not in ("the", "his", "her", "their", "my",
                                                          "our", "your", "a", "an"):
            key = self.reg.lookup(word)
            if key is None and word.split()[0] not in _NOT_NAMES and \
                    self.reg.common_opener(word.split(), None):
                # "Presently Tom said": Tom, when the story knows him ("But Eliza says" in a
                # quote is no tag: "But" is no opener here, it is the quote's own word)
                key = self.reg.lookup(word.split(None, 1)[1])
                if key:
                    return key
            if key is None:
                # a name never seen in narration before: accept it as a new character
                _title, core = split_title(word)
                if core.split()[0] in _NOT_NAMES or not self.reg.is_name(word):
                    return None
                self.reg._cluster(Counter({word: 1}))
                key = self.reg.lookup(word)
            return key
        return self.resolve_description(word, pos, exclude)

    def _described_subject(self, pos: int, want: Gender, exclude: str | None) -> str | None:
        """“The surgeon leaned over the bed. “The old story,” he said.”: when the sentence
        right before the quote is opened by a described person of that gender (or follows
        such a sentence through sentences led by the same pronoun: "As the doctor crossed
        the room he paused. He went to the door."), he/she is that person, not a name
        mentioned further back. Without a cast only (the cast lists the speakers, and a
        described extra would take their lines)."""
        if self.reg.has_cast:
            return None
        start = self.text.rfind("\n\n", max(0, pos - CONTEXT_CHARS), pos)
        body = self.text[max(0, pos - CONTEXT_CHARS) if start < 0 else start:pos].rstrip()
        if not body.strip() and start > 0:
            # the quote opens its paragraph: the paragraph before, when it ends in narration
            prev = self.text.rfind("\n\n", max(0, start - CONTEXT_CHARS), start)
            body = self.text[max(0, start - CONTEXT_CHARS) if prev < 0 else prev:start].rstrip()
        if not body or body[-1] not in ".!?":
            return None
        pronoun = "he" if want is Gender.MALE else "she"
        rest = body[:-1]
        for _ in range(CHAIN_SENTENCES):
            last = _last_sentence(rest)
            tokens = _TOKEN.findall(last)
            k = 0
            while k < len(tokens) and (tokens[k].lower() in _OPENERS or
                                       tokens[k].lower() in _SUBORDINATORS):
                k += 1
            found = _subject_at(tokens, k)
            if (found and found[0].lower() == pronoun) or _led_by(tokens, pronoun):
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
        if words[0] not in _DETERMINERS or words[-1] not in PERSON_NOUNS or \
                gender_of_noun(words[-1]) not in (want, Gender.UNKNOWN):
            return None
        key = self.resolve_description(found[0], pos, exclude)
        return key if key and key not in (exclude, self.narrator, UNKNOWN) else None

    def _unknown_gender_subject(self, pos: int, floor: int, exclude: str | None) -> str | None:
        """Without a cast, a he/she that found no one of its gender: the nearest named
        subject whose gender the text never showed ("Greta Moss left the farm. [...] “...,”
        she answered"), when it is not a place."""
        if self.reg.has_cast:
            return None
        for m in self.reg.recent(pos):
            if m.start < floor:
                break
            e = self.reg.entities[m.key]
            if m.subject and m.key not in (exclude, self.narrator) and not e.description \
                    and e.resolved_gender() is Gender.UNKNOWN and not self.reg.not_person(m.key) \
                    and m.key not in self.reg.object_only:
                return m.key
        return None

    def _heading_floor(self, pos: int) -> int:
        """Start of the latest heading block before ``pos`` (0 when there is none)."""
        if self._heading_starts is None:
            self._heading_starts = sorted(self.blocks[b].start for b in self.headings)
        i = bisect.bisect_right(self._heading_starts, pos) - 1
        return self._heading_starts[i] if i >= 0 else 0

    def _speaker_between(self, lo: int, hi: int, want: Gender,
                         exclude: str | None) -> str | None:
        """The speaker of the latest tagged quote of that gender ending in [lo, hi): a
        speaker is as much an antecedent as a name in narration (in em-dash dialogue the
        tags are inside the quotes, so the speakers are not mentions)."""
        j = bisect.bisect_right(self._quote_ends, hi) - 1
        while j >= 0 and self._quote_ends[j] >= lo:
            r = self.result[j]
            if r and r.reason not in _SOFT_REASONS and r.speaker not in (exclude, UNKNOWN,
                                                                          self.narrator):
                e = self.reg.entities.get(r.speaker)
                if e is not None and e.resolved_gender() is want:
                    return r.speaker
            j -= 1
        return None

    def _inner_possessive(self, start: int, end: int) -> bool:
        """"...he had observed Durbeyfield's name on his waggon": a possessive inside a
        sentence (not opening it) qualifies a thing; the sentence's subject is someone else."""
        return self.text[end:end + 2] in ("'s", "’s") and \
            _SENTENCE_BEFORE.search(self.text, max(0, start - 4), start) is None

    def _name_alone(self, start: int, end: int) -> bool:
        """"...with gold points. Chrysostomos. Two whistles answered": a name that is a
        sentence by itself is a thought or a call, not someone acting."""
        return self.text[end:end + 1] in (".", "!") and \
            _SENTENCE_BEFORE.search(self.text, max(0, start - 4), start) is not None

    def _owned_by_pronoun(self, start: int, end: int, pronoun: str) -> bool:
        """"Millie, her maid, had been scolded ..." / "it was not her Ayah": a name given an
        owner of the pronoun's gender is not who that pronoun means (the owner is)."""
        owner = "his" if pronoun == "he" else "her"
        m = _OWNED_APPOSITIVE.match(self.text, end)
        if m is not None and m.group(1).lower() == owner:
            return True
        return self.text[max(0, start - 4):start].lower() == owner + " "

    def _pronoun_led(self, pos: int, pronoun: str) -> bool:
        """The sentence holding `pos` opens with `pronoun` ("He turned his eyes to Tom's
        face"): a name later in it is not who that pronoun means, so it is not the
        antecedent of the next one either."""
        head = _last_sentence(self.text[max(0, pos - 300):pos]).lstrip(" \t\r\n“”\"‘’'—-")
        # (a hard-wrapped line may break right after the pronoun: "He\nglanced round")
        if head[:len(pronoun)].lower() == pronoun and head[len(pronoun):][:1].isspace():
            return True
        # after an opening phrase: "Laughing again, he took the glass from Tom's hand"
        m = _OPENING_PHRASE.match(head)
        return m is not None and head[m.end():m.end() + len(pronoun)] == pronoun and \
            head[m.end() + len(pronoun):][:1].isspace()

    def _named_descriptions(self) -> dict[str, str]:
        """"my mother ... she was a wise old horse ... Her name was Duchess": the latest
        person of that gender the paragraph describes before the statement is the one named
        (so "said my mother" is Duchess)."""
        if self._desc_names is None:
            self._desc_names = {}
            for m in _NAME_STATEMENT.finditer(self.text):
                key = self.reg.lookup(m.group(2))
                if key is None and not self.reg.has_cast and (
                        self.reg.is_name(m.group(2)) or m.group(2).lower() in TITLES):
                    # a name the story gives once, in this statement, is still a name, even
                    # a title word ("Her name was Duchess", a horse's or a dog's)
                    self.reg._cluster(Counter({m.group(2): 1}))
                    key = self.reg.lookup(m.group(2))
                if key is None:
                    continue
                want = Gender.MALE if m.group(1).lower() == "his" else Gender.FEMALE
                para = self.text.rfind("\n\n", max(0, m.start() - CONTEXT_CHARS), m.start())
                window = self.text[max(para, m.start() - CONTEXT_CHARS, 0):m.start()]
                phrase = None
                for d in _KIN_PHRASE.finditer(window):
                    noun = d.group(1)
                    if noun in PERSON_NOUNS and gender_of_noun(noun) is want:
                        phrase = d.group(0).lower()
                if phrase and phrase not in self._desc_names:
                    self._desc_names[phrase] = key
            for m in _RELATION_NAMED.finditer(self.text):  # "my brother Robert"
                j = bisect.bisect_right(self._quote_ends, m.start())
                if m.group(2) not in RELATIONS or (
                        j < len(self.quotes) and self.quotes[j].start <= m.start()):
                    continue  # inside a quote "my father" is the speaker's, not the narrator's
                key = self.reg.lookup(m.group(3))
                if key is not None and not self.reg.entities[key].description:
                    self._desc_names.setdefault(f"{m.group(1).lower()} {m.group(2)}", key)
            for m in _WHOSE_NAME.finditer(self.text):  # "The girl, whose name was Rosie,"
                words = m.group(1).lower().split()
                if words[-1] not in PERSON_NOUNS:
                    continue
                key = self.reg.lookup(m.group(2))
                if key is None and not self.reg.has_cast and self.reg.is_name(m.group(2)):
                    self.reg._cluster(Counter({m.group(2): 1}))
                    key = self.reg.lookup(m.group(2))
                if key is not None:
                    self._desc_names.setdefault(" ".join(["the", *words]), key)
                    self._desc_names.setdefault(f"the {words[-1]}", key)
        return self._desc_names

    def resolve_description(self, desc: str, pos: int, exclude: str | None) -> str | None:
        """"his wife" -> the possessor's wife (same surname); "the voice of John" -> John;
        with a cast, "the young man" -> the cast member of that gender last mentioned."""
        named = self._named_descriptions().get(desc.lower())
        if named and named != exclude:
            return named
        of = re.search(r"\bof\s+([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)\s*$", desc)
        if of:
            return self.resolve_subject(of.group(1), pos, exclude)
        words = desc.lower().split()
        head = words[-1]
        gender = gender_of_noun(head)
        if words[0] in ("his", "her", "my", "our", "the") and head in RELATIONS and \
                len(words) == 2:
            # "“My dear Mr. Bennet,” said his lady": the one addressed is the owner first
            owners: list[str | None] = [self._addressee]
            if words[0] in ("his", "her"):
                owners.append(self.resolve_subject("he" if words[0] == "his" else "she", pos))
            elif words[0] in ("my", "our"):
                # a first-person narrator's family: only their surname names them (others
                # of that surname nearby are as likely cousins as parents)
                family = _FAMILY_TITLE.get(head)
                return (family and self._family_member(desc, family, [self.narrator], pos,
                                                       exclude, nearest=False)) or \
                    self._plain_description(desc, pos, exclude, gender)
            else:
                # "replied the mother": the mother of whoever spoke just before
                owners.append(self._last_speaker_before(pos))
            for owner in owners:
                if owner:
                    target = self.reg.relative(owner, gender)
                    if target and target != exclude:
                        return target
            family = _FAMILY_TITLE.get(head)
            if family:
                key = self._family_member(desc, family, owners, pos, exclude)
                if key:
                    return key
        return self._plain_description(desc, pos, exclude, gender)

    def _epithet_of(self, desc: str, pos: int, exclude: str | None,
                    gender: Gender) -> str | None:
        """"Mrs. Rachel, ponder as she might, ... “...” the worthy woman concluded": a
        "the <adjectives> woman" the story never introduced ("a worthy woman") is an epithet
        for the named person of that gender it has just been talking about. Only generic
        nouns (woman, lady, girl, man...): an occupation ("the doctor") is as often a new
        person. Without a cast (the cast's own rule is in `_plain_description`)."""
        words = desc.lower().split()
        if self.reg.has_cast or words[0] != "the" or words[-1] not in _EPITHET_NOUNS or \
                gender is Gender.UNKNOWN:
            return None
        if len(words) == 2 and words[1] in ("man", "woman"):
            return None  # a bare "the man" is more often someone new than an epithet
        intro = self.reg.introduction(words[1:])
        if intro and intro[0] < pos:
            return None  # "a girl ... the girl": the description has its own person
        if self._block_starts is None:
            self._block_starts = [b.start for b in self.blocks]
        # this paragraph and the one before it (blocks, not lines: hard-wrapped text)
        b = max(0, bisect.bisect_right(self._block_starts, pos) - 2)
        scope = max(self._block_starts[b] if self._block_starts else 0, self._heading_floor(pos))
        for m in self.reg.recent(pos, limit_chars=pos - scope):
            e = self.reg.entities[m.key]
            if e.description or m.key in (exclude, self.narrator):
                continue
            if e.resolved_gender() is gender and self.reg.candidate(m.key):
                return m.key
        # “No,” the old man said: named further back, but the one named speaker of that
        # gender in the talk going on ("The clockmaker, Anselm Brück, ..." and a girl); not
        # for a description the narration already follows as someone ("The boy wearily
        # dropped his bundle": a protagonist known only so)
        if any(f is not None and f < pos for f in (self.reg.first_described(desc),
                                                     self.reg.first_described("the " + words[-1]))):
            return None
        talking = {k for k in self._speakers_before(pos) if k not in (exclude, self.narrator)
                   and not self.reg.entities[k].description
                   and self.reg.entities[k].resolved_gender() is gender}
        return talking.pop() if len(talking) == 1 else None

    def _speakers_before(self, pos: int) -> list[str]:
        """Speakers of the conversation's quotes that end before ``pos`` (latest first, at
        most CONVERSATION_TURNS, none more than RECENT_SPEAKER_CHARS back)."""
        found: list[str] = []
        j = bisect.bisect_right(self._quote_ends, pos) - 1
        last = pos
        for k in range(j, max(-1, j - CONVERSATION_TURNS), -1):
            if last - self.quotes[k].end > RECENT_SPEAKER_CHARS:
                break
            last = self.quotes[k].start
            r = self.result[k]
            if r is not None and r.speaker != UNKNOWN and r.speaker not in found:
                found.append(r.speaker)
        return found

    def _plain_description(self, desc: str, pos: int, exclude: str | None,
                           gender: Gender) -> str | None:
        named = self._epithet_of(desc, pos, exclude, gender)
        if named:
            return named
        key = self.reg.description_entity(desc, pos)
        e = self.reg.entities[key]
        if not e.description:
            self.reg.link_description(desc, key)
        if e.description and self.reg.has_cast and gender is not Gender.UNKNOWN:
            for m in self.reg.recent(pos):
                c = self.reg.entities[m.key]
                if c.from_cast and m.key not in (exclude, self.narrator) and \
                        c.resolved_gender() is gender:
                    return m.key
            only = self.only_cast_member(gender, exclude, described=True)
            if only:
                return only
        self.reg.add_mentions_of(key)
        return key

    def _last_speaker_before(self, pos: int) -> str | None:
        """The speaker of the last quote ending before `pos` (within a conversation's reach)."""
        j = bisect.bisect_right(self._quote_ends, pos) - 1
        while j >= 0 and pos - self._quote_ends[j] <= RECENT_SPEAKER_CHARS:
            r = self.result[j]
            if r and r.speaker != UNKNOWN:
                return r.speaker
            j -= 1
        return None

    def _family_member(self, desc: str, title: str, owners: Sequence[str | None], pos: int,
                       exclude: str | None, nearest: bool = True) -> str | None:
        """"the mother", "my father" with no relative of that surname known: the owner's
        surname makes the name ("my mother" of Gilbert Markham is Mrs Markham, the name the
        story's characters call her by); without one, the nearest "Mrs X" ("Mr X")
        mentioned before, when no other person of that title is mentioned near it."""
        for owner in owners:
            e = self.reg.entities.get(owner) if owner else None
            if e is None or e.description:
                continue
            full = [split_title(f)[1].split() for f in e.forms if not split_title(f)[0]]
            surnames = {w[-1] for w in full if len(w) > 1}
            if len(surnames) == 1:
                form = f"{title} {surnames.pop()}"
                key = self.reg.lookup(form)
                if key is None:
                    key = self.reg.description_entity(desc)
                    if self.reg.entities[key].description:
                        self.reg.entities[key].forms.add(form)
                return key if key != exclude else None
        if not nearest:
            return None
        seen: list[str] = []
        for m in self.reg.recent(pos, limit_chars=RECENT_SPEAKER_CHARS):
            e = self.reg.entities[m.key]
            if m.key in seen or m.key in owners or m.key == exclude or e.description:
                continue
            if any(split_title(f)[0].rstrip(".") == title for f in e.forms):
                seen.append(m.key)
        if not seen:
            return self._family_by_surname(title, owners, pos, exclude)
        return seen[0] if len(seen) == 1 else None

    def _family_by_surname(self, title: str, owners: Sequence[str | None], pos: int,
                           exclude: str | None) -> str | None:
        """"said her mother" in a scene where only "Mr. Bennet" and "Lizzy" are named: the
        family of the scene is the Bennets, and the story's one "Mrs. Bennet" (named later
        or earlier, but not nearby) is the mother. Only when the surnames named nearby give
        exactly one person of that title."""
        hits: set[str] = set()
        done: set[str] = set()
        for m in self.reg.recent(pos, limit_chars=RECENT_SPEAKER_CHARS):
            if m.key in done:
                continue
            done.add(m.key)
            e = self.reg.entities[m.key]
            if e.description:
                continue
            for f in e.forms:
                words = split_title(f)[1].split()
                if not words or (len(words) == 1 and not split_title(f)[0]):
                    continue  # a bare "Lizzy" carries no surname
                key = self.reg.lookup(f"{title}. {words[-1]}") or \
                    self.reg.lookup(f"{title} {words[-1]}")
                if key and key not in owners and key != exclude and key != m.key:
                    hits.add(key)
        return hits.pop() if len(hits) == 1 else None

    def _described_antecedent(self, want: Gender, pos: int, exclude: str | None) -> str | None:
        """"One girl stood alone. [...] “Yes?” she said": with no named character of that
        gender about, he/she is the nearest person the narration describes ("one girl").
        Not with a cast: the cast lists the speakers, and a described extra would take
        their lines."""
        if self.reg.has_cast:
            return None
        start = max(0, pos - RECENT_SPEAKER_CHARS)
        for ds, de, phrase in reversed(find_descriptions(self.text, start, pos)):
            g = gender_of_noun(phrase.split()[-1].lower())
            if g is Gender.UNKNOWN and phrase.split()[-1].lower() in PERSON_NOUNS:
                g = self._gender_after(de)  # "the doctor felt his patient's pulse"
            if g is not want:
                continue
            j = bisect.bisect_right(self._quote_ends, ds)
            if j < len(self.quotes) and self.quotes[j].start <= ds:
                continue  # “Another boy.” is said, not a person in the scene
            if phrase.split()[0].lower() in ("his", "her", "their", "its"):
                continue  # "her husband" needs its owner; that is resolve_description's job
            key = self.resolve_description(phrase, pos, exclude)
            if key and key != exclude and key != self.narrator:
                return key
        return None

    def _gender_after(self, end: int) -> Gender:
        """The gender of the pronouns in the rest of the clause after a neutral noun."""
        rest = re.split(r"[,;:—]|\bwho\b", _first_sentence(self.text[end:end + 120]))[0]
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
                and (not described or _described_name(e.display))]
        return hits[0] if len(hits) == 1 else None

    def tag_subjects(self, i: int) -> tuple[str | None, str | None]:
        """The subjects of a speech tag after quote i (when it is closed) and before it."""
        if i not in self._tags:
            q = self.quotes[i]
            after = subject_after(self.after(i)) if q.closed else None
            if after is None and q.closed and q.inner_end == q.end:
                after = self._inner_tag(i)
            self._tags[i] = (after, subject_before(self._before_tag(i)))
        return self._tags[i]

    def _inner_tag(self, i: int) -> str | None:
        """Em-dash dialogue has no closing mark: the tag sits inside the paragraph after a
        clause of speech ("—Our mighty mother! Buck Mulligan said. ...")."""
        q = self.quotes[i]
        inner = self.text[q.inner_start:min(q.inner_end, q.inner_start + CONTEXT_CHARS)]
        for m in _CLAUSE_END.finditer(inner):
            subj = subject_after(inner[m.end():])
            if subj:
                return subj
        return None

    def explicit(self, i: int) -> Attribution | None:
        q = self.quotes[i]
        self._addressee = self.addressee(i)
        subj, before = self.tag_subjects(i)
        p = self.prev_in_block[i]
        if before and p is not None and self.tag_subjects(p)[0] and self.result[p]:
            # “Clara,” she said, “bring the bread.”: one tag between two quotes of one speaker
            prev = self.result[p]
            assert prev is not None
            return Attribution(prev.speaker, prev.reason)
        called = self._called_responder(i, subj or before)
        if called:
            return Attribution(called, "speech_verb")
        # "“Annie,” she teased": whoever the quote addresses is not the one speaking
        for s, where in ((subj, self.after(i)), (before, self.before(i))):
            if s:
                s = self._voice_owner(s, where, s is subj) or s
                key = self._reply_pronoun(i, s)
                if key:
                    return Attribution(key, "speech_verb")
                key = (self.resolve_subject(s, q.start, exclude=self._addressee)
                       or self.recent_speaker(i, s) or self._answering(i, s))
                if key:
                    return Attribution(self._same_described_speaker(i, s, key), "speech_verb")
        return None

    def _voice_owner(self, subj: str, tag: str, after: bool) -> str | None:
        """"cried a terrible voice, as a man started up": a voice is not a person; the
        person the tag's sentence brings in with it is the speaker ("the man")."""
        if subj.split()[-1].lower() != "voice":
            return None
        sentence = _first_sentence(tag) if after else _last_sentence(tag)
        named = _VOICE_OF.search(sentence)  # "which she knew to be that of Mrs. Gibson"
        if named and self.reg.lookup(named.group(1)):
            return named.group(1)
        for m in _PERSON_INTRO.finditer(sentence):
            noun = m.group(1).lower()
            if noun in PERSON_NOUNS and noun not in ("voice", "one", "other"):
                return f"the {noun}"
        return None

    def _called_responder(self, i: int, subj: str | None) -> str | None:
        """“Feel sick, Thea?” he asked. / She looked at him. “I thought you were here,” she
        said: a paragraph that opens with the pronoun and answers a turn calling someone of
        that gender by name is theirs (the one called is the one who responds)."""
        if not subj or subj.lower() not in ("he", "she"):
            return None
        q = self.quotes[i]
        if self.prev_in_block[i] is not None or q.block == 0:
            return None
        head = self.text[self.blocks[q.block].start:q.start].lstrip()
        if not head or head.split(None, 1)[0] != subj.capitalize():
            return None
        ids = self.by_block.get(q.block - 1)
        if not ids:
            return None
        want = Gender.MALE if subj.lower() == "he" else Gender.FEMALE
        key = next((k for k in (self.addressee(j) for j in reversed(ids)) if k), None)
        if key is None and not self.reg.has_cast:
            # a name heard only in the dialogue ("It must be Thea") is still the one called
            for j in reversed(ids):
                inner = self.text[self.quotes[j].inner_start:self.quotes[j].inner_end]
                m = _VOCATIVE.search(inner)
                form = m and (m.group(1) or m.group(2))
                if form and self.reg.is_name(form) and \
                        split_title(form)[1].split()[0] not in _NOT_NAMES:
                    self.reg._cluster(Counter({form: 1}))
                    key = self.reg.lookup(form)
                    break
        e = self.reg.entities.get(key) if key else None
        if e is None or e.resolved_gender() not in (want, Gender.UNKNOWN) or e.description \
                or key == self.narrator or self.reg.is_place(e.key):
            return None
        r = self.result[ids[-1]]
        return key if r is None or r.speaker != key else None

    def _previous_turn_speaker(self, i: int) -> str | None:
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
        return r.speaker if r and r.reason not in _GUESSED and r.speaker != UNKNOWN else None

    def _answering(self, i: int, subj: str) -> str | None:
        """“It's late, Tom,” said I. / “What of it?” he replied: a he/she with no antecedent
        in the narration, opening the turn right after one that calls someone by name, is
        the one called (when their gender agrees)."""
        if subj.lower() not in ("he", "she"):
            return None
        q = self.quotes[i]
        if self.prev_in_block[i] is not None or q.continues or not self.by_block.get(
                q.block - 1) or self.text[self.blocks[q.block].start:q.start].strip():
            return None
        want = Gender.MALE if subj.lower() == "he" else Gender.FEMALE
        for j in reversed(self.by_block[q.block - 1]):
            key = self.addressee(j)
            e = self.reg.entities.get(key) if key else None
            if e is not None and e.resolved_gender() in (want, Gender.UNKNOWN) and \
                    self.reg.candidate(e.key):
                return e.key
        return None

    def _reply_pronoun(self, i: int, subj: str) -> str | None:
        """“...,” he answered — in a new paragraph right after another turn: a he/she that
        opens a turn is not the one who spoke the turn before (the nearest name is often the
        previous speaker's tag), unless the verb continues ("he added", "she went on")."""
        if subj.lower() not in ("he", "she"):
            return None
        prev = self._previous_turn_speaker(i)
        if prev is None and _REPLY_TAG.match(self.after(i)):
            prev = self._previous_paragraph_speaker(i)
        if prev is None or _CONTINUING_TAG.match(self.after(i)):
            return None
        key = self.resolve_subject(subj, self.quotes[i].start, exclude=prev) or \
            self._answering(i, subj)
        if key and key != self._addressee and key != prev:
            return key
        return None

    def _previous_paragraph_speaker(self, i: int) -> str | None:
        """Who spoke the last quote of the paragraph before, when quote i opens its own
        paragraph and that speaker was read from a tag or a name (not guessed); the paragraph
        before may hold any amount of narration."""
        q = self.quotes[i]
        if self.prev_in_block[i] is not None or q.continues or q.block == 0 or \
                self.text[self.blocks[q.block].start:q.start].strip():
            return None
        ids = self.by_block.get(q.block - 1)
        r = self.result[ids[-1]] if ids else None
        return r.speaker if r and r.reason not in _GUESSED and r.speaker != UNKNOWN else None

    def _same_described_speaker(self, i: int, subj: str, key: str) -> str:
        """“...,” said a white man. [...] “...,” called the man. [...] said the other: a
        definite description that has not spoken before, in a conversation where one other
        described person speaks, is that person (stories vary the words for someone they do
        not name: "the man", "the other", "his companion", "the prospector")."""
        e = self.reg.entities.get(key)
        words = subj.lower().split()
        if e is not None and not e.description and subj[:1].isupper() and \
                subj.lower() not in _PRONOUNS:
            return self._named_at_last(i, key)
        if e is None or not e.description or e.from_cast or getattr(e, "spoke", False) \
                or len(words) < 2 or words[0] not in _DEFINITE or words[-1] in RELATIONS:
            return key  # ("the son" is someone's relative, not the one he talks to)
        if words[-1] == "other" and len(words) == 2:
            # "said the other": the party of the conversation who did not just speak
            prev = self._last_speaker_before(self.quotes[i].start)
            party = [k for k in self._conversation_speakers(i) if k not in (prev, key)]
            if prev and party:
                return party[0]
        found = [k for k in self._conversation_speakers(i) if k != key]
        want = e.resolved_gender()
        described = [k for k in found if self._described_only(k) and k != self._addressee
                     and self.reg.entities[k].resolved_gender() in (want, Gender.UNKNOWN)
                     and not _contrasting(e.display, self.reg.entities[k].display)
                     and not _introduced_apart(e, self.reg.entities[k])]
        if len(described) != 1 or described[0] == self._previous_turn_speaker(i):
            # “Good night t'ee,” said the man with the basket. / “Good night, Sir John,” said
            # the parson.: a new description answering the turn right before is the other party
            return key
        self.reg.merge(key, described[0])
        return described[0]

    def _conversation_speakers(self, i: int) -> list[str]:
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

    def _named_at_last(self, i: int, key: str) -> str:
        """“...,” asked a gentleman. [...] “...,” said Mr. Greyson: a name the story has not
        used before the speech tag that brings it in, in a conversation where one described
        person speaks, names that person."""
        e = self.reg.entities[key]
        if e.from_cast or getattr(e, "spoke", False) or self.reg.has_cast:
            return key
        para = self.blocks[self.quotes[i].block].start
        if any(m.key == key for m in self.reg.recent(para, limit_chars=para)):
            return key
        if self.reg.lookup(key) != key:
            return key
        want = e.resolved_gender()
        if want is Gender.UNKNOWN:
            return key  # (a place or a thing as often as a person)
        # the one who spoke the turn before is the one answered, not the one answering
        prev = self._previous_turn_speaker(i)
        described = [k for k in self._conversation_speakers(i)
                     if k != key and self._described_only(k) and k not in (self._addressee, prev)
                     and self.reg.entities[k].display.split()[-1] not in RELATIONS
                     and self.reg.entities[k].resolved_gender() in (want, Gender.UNKNOWN)]
        if len(described) != 1:
            return key
        old = described[0]
        self.reg.merge(old, key)
        for j, r in enumerate(self.result):
            if r and r.speaker == old:
                self.result[j] = Attribution(key, r.reason)
        return key

    def recent_speaker(self, i: int, pronoun: str) -> str | None:
        """For "returned she" with no woman named nearby: the last speaker of that gender in
        the conversation (speakers are the likeliest antecedents in dialogue)."""
        low = pronoun.lower()
        if low not in ("he", "she"):
            return None
        want = Gender.MALE if low == "he" else Gender.FEMALE
        start = self.quotes[i].start
        unknown = None
        for j in range(i - 1, -1, -1):
            if start - self.quotes[j].end > RECENT_SPEAKER_CHARS:
                break
            r = self.result[j]
            e = self.reg.entities.get(r.speaker) if r else None
            if not r or not e or r.speaker == self._addressee:
                continue
            g = e.resolved_gender()
            if g is want:
                return r.speaker
            if g is Gender.UNKNOWN and not e.description and unknown is None:
                unknown = r.speaker
        return unknown

    def _before_tag(self, i: int) -> str:
        q = self.quotes[i]
        before = _last_sentence(self.before(i))
        if not before.strip() and q.start == self.blocks[q.block].start and q.block > 0:
            # "...she said dreamily:" closing the paragraph before (after its own quotes too)
            prev_b = self.blocks[q.block - 1]
            ids = self.by_block.get(q.block - 1)
            lo = self.quotes[ids[-1]].end if ids else prev_b.start
            tail = self.text[max(lo, prev_b.end - 300):prev_b.end].rstrip()
            # (or a comma: "...it was impossible for him not to say, as he had said at
            # dinner," and the quote is the rest of that sentence)
            if tail.endswith((":", "--", "—", ",")):
                before = _last_sentence(tail.rstrip(":-—,") + ":")
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

    def nearby(self, i: int, exclude: set[str]) -> Attribution | None:
        q = self.quotes[i]
        after = self.after(i)
        first = _first_sentence(after)
        key = self.named_in(q.end, q.end + len(first), exclude)
        if key:
            return Attribution(key, "named_nearby")
        before = self.before(i).rstrip()
        last = _last_sentence(before)
        if last.strip():
            start = q.start - len(self.before(i)) + len(before) - len(last)
            key = self.named_in(start, q.start, exclude)
            if key:
                return Attribution(key, "named_nearby")
            key = self._described_opener(last, start, exclude) if before[-1] in ".!?" else None
            if key:  # "The conductor squinted at it. “Last one tonight.”"
                return Attribution(key, "named_nearby")
            pron = re.search(r"\b(he|she)\b", last, re.IGNORECASE)
            if pron:
                key = self.resolve_subject(pron.group(1), start + pron.start(), exclude=None)
                if key and key not in exclude:
                    return Attribution(key, "named_nearby")
        return None

    def _described_opener(self, sentence: str, pos: int, exclude: set[str]) -> str | None:
        """The person a sentence of narration opens with when it is a description ("The
        conductor squinted at it."): the one who speaks the untagged quote after it."""
        tokens = _TOKEN.findall(sentence)
        k = 0
        while k < len(tokens) and tokens[k].lower() in _OPENERS:
            k += 1
        if k >= len(tokens) or tokens[k].lower() not in _DETERMINERS:
            return None
        found = _subject_at(tokens, k)
        if not found:
            return None
        key = self.resolve_description(found[0], pos, None)
        return key if key and key not in exclude and key != UNKNOWN else None

    def kin(self, i: int, exclude: set[str]) -> Attribution | None:
        q = self.quotes[i]
        inner = self.text[q.inner_start:q.inner_end]
        if not _KIN.match(inner):
            return None
        for lo, hi in ((q.end, q.end + 1500), (max(0, q.start - 1500), q.start)):
            for m in _CHILD_DESC.finditer(self.text, lo, hi):
                key = self.reg.description_entity(m.group(0))
                self.reg.entities[key].child = True
                self.reg.add_mentions_of(key)
                if key not in exclude:
                    return Attribution(key, "kin_vocative")
        return None

    def turn_taking(self, i: int, exclude: set[str]) -> Attribution | None:
        q = self.quotes[i]
        speakers: list[str] = []
        block = q.block
        j = i - 1
        while j >= 0 and len(speakers) < 2:
            pq = self.quotes[j]
            if any(not self._is_aside(b) for b in range(pq.block + 1, block)):
                break  # a narration paragraph between them ends the exchange
            r = self.result[j]
            if pq.block != q.block and r and (not speakers or speakers[-1] != r.speaker):
                speakers.append(r.speaker)
            if pq.block < block:
                block = pq.block
            j -= 1
        if len(speakers) == 2 and speakers[1] not in exclude:
            return Attribution(speakers[1], "turn_taking")
        if len(speakers) == 1:
            # the other party: the last character mentioned who is not the last speaker
            for m in self.reg.recent(q.start, limit_chars=1500):
                if m.key != speakers[0] and m.key not in exclude and self.reg.candidate(m.key):
                    return Attribution(m.key, "turn_taking")
        return None

    def _is_aside(self, block: int) -> bool:
        """A short paragraph without quotes ("This was invitation enough.") that does not
        interrupt a conversation; blank or skipped blocks do not either. A heading or a
        scene break ("* * *", "II") does: the next exchange starts afresh."""
        if block in self.by_block or block in self.headings:
            return False
        b = self.blocks[block]
        chunk = self.text[b.start:b.end]
        return len(chunk.split()) <= ASIDE_WORDS and not _SCENE_BREAK.match(chunk)

    def _scene_break(self, lo: int, hi: int) -> bool:
        """A heading or a scene break lies between blocks lo and hi (a new exchange)."""
        return any(b in self.headings or _SCENE_BREAK.match(
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

    def fallback(self, i: int, exclude: set[str]) -> Attribution | None:
        q = self.quotes[i]
        b = self.blocks[q.block]
        if q.block + 1 < len(self.blocks) and not self.by_block.get(q.block + 1):
            nb = self.blocks[q.block + 1]
            key = self.named_in(nb.start, nb.end, exclude)
            if key and self.paragraph_is_dialogue_only(i):
                return Attribution(key, "next_paragraph")
        for m in self.reg.recent(b.start):
            if m.key not in exclude and self.reg.candidate(m.key):
                return Attribution(m.key, "previous")
        return None

    def run(self) -> list[Attribution]:
        explicit: dict[int, Attribution | None] = {}

        def tagged(j: int) -> Attribution | None:
            if j not in explicit:
                explicit[j] = self.explicit(j)
            r = explicit[j]
            if r and r.speaker in self.reg.merged:  # a description found to be someone else
                r = explicit[j] = Attribution(self.reg.current(r.speaker), r.reason)
            return r

        for i in range(len(self.quotes)):
            r = tagged(i)
            if r is None:
                r = self.untagged(i, tagged)
            self.result[i] = r
            if r.speaker in self.reg.entities:
                self.reg.entities[r.speaker].spoke = True  # type: ignore[attr-defined]
        self.conversations()
        self._named_later()
        return [r or Attribution(UNKNOWN, "unknown") for r in self.result]

    def _named_later(self) -> None:
        """"An old man in a tweed cap was doing a crossword. “Seven letters,” he muttered.
        [...] Mr. Abernathy counted the squares": a story often names a person only after
        they have spoken as a description. Without a cast, in each scene (between headings
        and scene breaks), a described speaker of a known gender becomes the one named
        character of that gender whom the story first mentions after the description first
        spoke there (within NAMED_LATER_CHARS of its last line), when no other described
        speaker of that gender spoke more recently before the name and the two never talk
        back and forth (two people talking are two people)."""
        if self.reg.has_cast or not self.quotes:
            return
        breaks = [b.start for b in self.blocks if b.index in self.headings or (
            b.index not in self.by_block and _SCENE_BREAK.match(self.text[b.start:b.end]))]
        first_seen: dict[str, int] = {}
        for m in self.reg.mentions:
            first_seen.setdefault(m.key, m.start)
        scenes: dict[int, list[int]] = {}
        for i, q in enumerate(self.quotes):
            scenes.setdefault(bisect.bisect_right(breaks, q.start), []).append(i)
        for scene, ids in scenes.items():
            lo = breaks[scene - 1] if scene > 0 else 0
            hi = breaks[scene] if scene < len(breaks) else len(self.text)
            described: dict[Gender, list[str]] = {}
            first_quote: dict[str, int] = {}
            last_quote: dict[str, int] = {}
            for i in ids:
                r = self.result[i]
                e = self.reg.entities.get(r.speaker) if r else None
                if r is not None and r.speaker in first_quote:
                    last_quote[r.speaker] = self.quotes[i].end
                if r is None or e is None or not e.description or r.speaker in first_quote:
                    continue
                words = e.key.split()
                if words[0] != "the" or (len(words) == 2 and words[-1] in RELATIONS):
                    continue  # "his wife", "the mother" have their own rules
                first_quote[r.speaker] = self.quotes[i].start
                last_quote[r.speaker] = self.quotes[i].end
                described.setdefault(e.resolved_gender(), []).append(r.speaker)
            lines: dict[str, list[int]] = {}
            for i in ids:
                r = self.result[i]
                if r and r.speaker in first_quote:
                    lines.setdefault(r.speaker, []).append(self.quotes[i].end)

            def latest(d: str, pos: int, lines: dict[str, list[int]] = lines) -> int:
                return max((end for end in lines[d] if end < pos), default=-1)

            for gender, descs in described.items():
                if gender is Gender.UNKNOWN:
                    continue
                for desc in descs:
                    named = {k for k, start in first_seen.items()
                             if first_quote[desc] < start < hi and start >= lo
                             and start - last_quote[desc] <= NAMED_LATER_CHARS
                             and k != self.narrator and not self.reg.entities[k].description
                             and self.reg.entities[k].resolved_gender() is gender
                             and self.reg.candidate(k) and self._person_name(k)
                             # with several described speakers of that gender, the name is
                             # the one who spoke last before it ("said the clergyman. [...]
                             # Mr. Beebe bowed.")
                             and all(latest(desc, start) > latest(d, start)
                                     for d in descs if d != desc)}
                    if len(named) != 1:
                        continue
                    name = named.pop()
                    if self._answer_each_other(ids, desc, name):
                        continue
                    for i in ids:
                        r = self.result[i]
                        if r and r.speaker == desc:
                            self.result[i] = Attribution(name, r.reason)
                    self.reg.entities[name].forms |= self.reg.entities[desc].forms

    def _person_name(self, key: str) -> bool:
        """A name that is surely a person's: titled ("Mr. Abernathy") or a known given name
        (a capitalised word with pronouns after it may be a thing: "the Elks", "Nature")."""
        e = self.reg.entities[key]
        return any(split_title(f)[0] for f in e.forms) or e.name_gender is not Gender.UNKNOWN

    def _answer_each_other(self, ids: list[int], a: str, b: str) -> bool:
        """Two speakers who talk back and forth (a, b, a in three paragraphs in a row)
        somewhere in these quotes; one change of speaker may be one person's lines split by
        narration."""
        turns: list[tuple[str, int]] = []
        for i in ids:
            r = self.result[i]
            if r and (not turns or turns[-1][1] != self.quotes[i].block):
                turns.append((r.speaker, self.quotes[i].block))
        return any(x[0] == z[0] and {x[0], y[0]} == {a, b}
                   for x, y, z in zip(turns, turns[1:], turns[2:], strict=False))

    # -- conversations -------------------------------------------------------------------
    def conversations(self) -> None:
        """Second pass over each run of dialogue paragraphs: an untagged turn takes the speaker
        of the nearest tagged turn when an even number of turns lies between them, else the
        other participant (turns alternate between two people); tags anchor the alternation
        backwards as well as forwards."""
        run: list[list[int]] = []
        last_block = -1
        for block in sorted(self.by_block):
            first = self.by_block[block][0]
            if run and self.quotes[first].continues:
                run[-1].append(block)  # a quote running on over paragraphs is one turn
            elif run and all(self._is_aside(b) for b in range(last_block + 1, block)) \
                    and not self._narrative_block(last_block, leading=False) \
                    and not self._narrative_block(block, leading=True):
                run.append([block])
            else:
                self._fill_run(run)
                run = [[block]]
            last_block = block
        self._fill_run(run)

    def _narrative_block(self, block: int, leading: bool) -> bool:
        """A paragraph of narration that quotes in passing (it opens with narration and
        tells more than it quotes: "She fed him sections of ... her “line.” Her hand ...") is
        not a turn of the conversation around it. One that ends on its quote ("...and had
        spoken thus: “Ma, I'm going.”") still leads into the reply after it."""
        b = self.blocks[block]
        ids = self.by_block[block]
        if not self.text[b.start:self.quotes[ids[0]].start].strip():
            return False
        if not leading and not self.text[self.quotes[ids[-1]].end:b.end].strip():
            return False
        quoted = sum(len(self.text[self.quotes[j].start:self.quotes[j].end].split()) for j in ids)
        told = len(self.text[b.start:b.end].split()) - quoted
        return told > NARRATIVE_WORDS and told > 2 * quoted

    def _turn_anchor(self, blocks: list[int]) -> str | None:
        for b in blocks:
            for j in self.by_block[b]:
                r = self.result[j]
                if r and r.reason not in _SOFT_REASONS:
                    return r.speaker
        return None

    def _fill_run(self, turns: list[list[int]]) -> None:
        if len(turns) < 2:
            return
        anchors = [self._turn_anchor(t) for t in turns]
        self._vocative_anchors(turns, anchors)
        self._kin_anchors(turns, anchors)
        tagged = [k for k, a in enumerate(anchors) if a]
        if not tagged:
            return
        before_run = self.quotes[self.by_block[turns[0][0]][0]]
        for k, turn in enumerate(turns):
            if anchors[k]:
                continue
            a = min(tagged, key=lambda t: (abs(t - k), t > k))
            speaker = anchors[a]
            assert speaker is not None
            other = self._other_party(speaker, a, k, turns, anchors, before_run.start)
            if abs(k - a) % 2:
                if other is None:
                    continue
                speaker, other = other, speaker
            first = self.by_block[turn[0]][0]
            if other and self.addressee(first) == speaker:
                speaker = other  # "Pip, ..." is not said by Pip
            for b in turn:
                for j in self.by_block[b]:
                    r = self.result[j]
                    if r is None or r.reason in _SOFT_REASONS or r.reason == "continued":
                        self.result[j] = Attribution(speaker, "turn_taking")

    def _turn_addressee(self, turn: list[int]) -> str | None:
        for b in turn:
            for j in self.by_block[b]:
                key = self.addressee(j)
                if key:
                    return key
        return None

    def _turning_to(self, turn: list[int]) -> str | None:
        """The one the last quote of a turn turns to ("—and Fergus, what have you done?")."""
        q = self.quotes[self.by_block[turn[-1]][-1]]
        m = _TURNING_TO.search(self.text, q.inner_start, q.inner_end)
        return self.reg.lookup(m.group(1)) if m else None

    def _vocative_anchors(self, turns: list[list[int]], anchors: list[str | None]) -> None:
        """“Good night, Sir John,” answers the line before it: an untagged turn is said by
        the one the next turn (or the turn before) addresses by name."""
        called = [self._turn_addressee(t) for t in turns]
        for k, turn in enumerate(turns):
            described = self._described_only(anchors[k])
            if anchors[k] and not described:
                continue
            votes = {called[n] for n in (k - 1, k + 1) if 0 <= n < len(turns) and called[n]
                     and called[n] != anchors[n] and called[n] != called[k]
                     and not (anchors[k] and anchors[n] == anchors[k])}
            if k > 0 and not called[k - 1] and not anchors[k]:
                turned = self._turning_to(turns[k - 1])
                if turned and turned != anchors[k - 1]:
                    votes.add(turned)
            found = {v for v in votes if v and self.reg.candidate(v) and v != UNKNOWN}
            if len(found) != 1:
                continue
            key = found.pop()
            if described and self._described_only(key):
                continue
            # a description ("said the man") gives way to the name the other party calls
            # him by; only in this turn: the same words may mean someone else later
            old = anchors[k]
            anchors[k] = key
            for b in turn:
                for j in self.by_block[b]:
                    r = self.result[j]
                    if r is None or r.reason in _SOFT_REASONS or r.reason == "continued" or \
                            (old and r.speaker == old):
                        self.result[j] = Attribution(key, "vocative")

    def _kin_call(self, j: int, speaker: str) -> tuple[str, str] | None:
        """(speaker, relation) when quote j, said by the turn's `speaker`, calls the one it
        answers or is answered by by a relation. A turn where someone else speaks as well
        ("…,’ observed Fergus. ‘Nonsense, Fergus! …, mamma?’") is three-way talk: skipped."""
        r = self.result[j]
        if r is None or r.speaker != speaker or speaker == UNKNOWN:
            return None
        q = self.quotes[j]
        m = _KIN_CALL.search(self.text, q.inner_start, q.inner_end)
        return (r.speaker, _KIN_CALLS[m.group(1).lower()]) if m else None

    def _kin_anchors(self, turns: list[list[int]], anchors: list[str | None]) -> None:
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
                    j = self.by_block[turns[n][-1]][-1] if n < k else self.by_block[turns[n][0]][0]
                    call = self._kin_call(j, speaker)
                    if call:
                        found.add(call)
            if len(found) != 1:
                continue
            owner, rel = found.pop()
            assert owner is not None
            g = self.reg.entities[owner].resolved_gender() if owner in self.reg.entities \
                else Gender.UNKNOWN
            if g is Gender.UNKNOWN or owner == self.narrator:
                continue
            desc = f"{'his' if g is Gender.MALE else 'her'} {rel}"
            pos = self.quotes[self.by_block[turn[0]][0]].start
            # resolved as a tag "said her uncle" would be, the caller being the owner
            saved, self._addressee = self._addressee, owner
            key = self.resolve_description(desc, pos, owner)
            self._addressee = saved
            if not key or key == owner or (self.reg.has_cast and key in self.reg.entities
                                           and not self.reg.entities[key].from_cast):
                continue
            anchors[k] = key
            for b in turn:
                for j in self.by_block[b]:
                    r = self.result[j]
                    if r is None or r.reason in _SOFT_REASONS or r.reason == "continued":
                        self.result[j] = Attribution(key, "vocative")

    def _described_only(self, key: str | None) -> bool:
        e = self.reg.entities.get(key) if key else None
        return bool(e and e.description and not e.from_cast)

    def _told_in_first_person(self) -> bool:
        """The narration (the text outside quotes) says "I" more than 8 times per 1,000
        words."""
        if self._first_person is None:
            parts, last = [], 0
            for q in self.quotes:
                parts.append(self.text[last:q.start])
                last = q.end
            parts.append(self.text[last:])
            narration = " ".join(parts)
            self._first_person = len(_I_WORD.findall(narration)) > \
                0.008 * len(narration.split())
        return self._first_person

    def _narrator_present(self, block: int) -> bool:
        """In a story told in the first person, the paragraph of narration right before a
        conversation puts "I" in the scene ("Accustomed to his abuse, I never replied"): the
        one the tagged speaker talks to, when no one else is tagged or called."""
        if not self._told_in_first_person() or block == 0 or self.by_block.get(block - 1):
            return False
        pb = self.blocks[block - 1]
        return _I_WORD.search(self.text, pb.start, pb.end) is not None

    def _other_party(self, speaker: str, a: int, k: int, turns: list[list[int]],
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
                    for j in self.by_block[b]:
                        key = self.addressee(j)
                        if key and key != speaker:
                            return key
        first = self.by_block[turns[0][0]][0]
        if speaker != self.narrator and self._narrator_present(turns[0][0]):
            return self.narrator
        for j in range(first - 1, -1, -1):
            if run_start - self.quotes[j].end > RECENT_SPEAKER_CHARS or \
                    self._scene_break(self.quotes[j].block, turns[0][0]):
                break
            r = self.result[j]
            told_from = self.blocks[self.quotes[j].block].end
            if len(self.text[told_from:run_start].split()) > OTHER_EXCHANGE_WORDS:
                # a speaker of an exchange that pages of narration separate from this one,
                # and that the narration does not mention again, is less likely the listener
                # than the person the narration just told of
                told = [m.key for m in self.reg.recent(run_start,
                                                       limit_chars=run_start - told_from)
                    if m.key != speaker and m.key != self.narrator and self.reg.candidate(m.key)]
                if told and not (r and r.speaker in told):
                    return told[0]
            if r and r.speaker != speaker and r.speaker != UNKNOWN and \
                    r.speaker in self.reg.entities:
                return r.speaker
        r = self.result[self.by_block[turns[k][0]][0]]
        if r and r.speaker != speaker and r.speaker != UNKNOWN:
            return r.speaker
        return None

    def untagged(self, i: int, tagged: Callable[[int], Attribution | None]) -> Attribution:
        q = self.quotes[i]
        exclude: set[str] = set()
        addressee = self.addressee(i)
        if addressee:
            exclude.add(addressee)
        p = self.prev_in_block[i]
        before = self.result[p] if p is not None else None
        if before is not None:
            beat = self._beat_in_paragraph(i, before.speaker, exclude)
            if beat:
                return beat
        if before is not None and before.speaker != addressee:
            # (“..., Fergus! ...” right after Fergus's quote is someone answering him)
            return Attribution(before.speaker, "continued")
        last = self.result[i - 1] if i > 0 else None
        if q.continues and last is not None:
            return Attribution(last.speaker, "continued")
        n = self.next_in_block[i]
        if n is not None:
            later = tagged(n)
            if later:
                return Attribution(later.speaker, "continued")
        r: Attribution | None = None
        if not self.paragraph_is_dialogue_only(i):
            r = self.nearby(i, exclude)
        return (r or self.kin(i, exclude) or self.action_beat(i, exclude)
                or self.turn_taking(i, exclude)
                or self.fallback(i, exclude) or Attribution(UNKNOWN, "unknown"))

    def action_beat(self, i: int, exclude: set[str]) -> Attribution | None:
        """“Mr. Pett was sniffing suspiciously.” then a paragraph opening with an untagged
        quote: the subject of the narration's last sentence is the one who speaks next (the
        beat introduces the line). Only for a quote opening its paragraph right after a
        paragraph of narration."""
        q = self.quotes[i]
        b = self.blocks[q.block]
        if self.prev_in_block[i] is not None or self.text[b.start:q.start].strip() \
                or q.continues or q.block == 0 or self.by_block.get(q.block - 1):
            return None
        pb = self.blocks[q.block - 1]
        tail = self.text[max(pb.start, pb.end - CONTEXT_CHARS):pb.end].rstrip()
        if not tail or tail[-1] in ":,;":
            return None
        body = tail[:-1] if tail[-1] in ".!?" else tail
        last = _last_sentence(body)
        start = pb.end - len(self.text[max(pb.start, pb.end - CONTEXT_CHARS):pb.end]) + \
            len(body) - len(last)
        lead = len(last) - len(last.lstrip())
        key = self._sentence_subject(last[lead:], start + lead, exclude)
        if key and key not in exclude and key != UNKNOWN:
            return Attribution(key, "action_beat")
        return None

    def _beat_in_paragraph(self, i: int, prev: str, exclude: set[str]) -> Attribution | None:
        """“…,” said Tom. Mary laughed. “…”: a quote after a finished sentence of narration
        whose subject is someone named other than the previous speaker is theirs."""
        before = self.before(i).rstrip()
        if not before or before[-1] not in ".!?":
            return None
        body = before[:-1]
        last = _last_sentence(body)
        if last is body:
            return None  # the narration is one clause: the previous quote's tag
        start = self.quotes[i].start - len(self.before(i)) + len(body) - len(last)
        subj = subject_before(body)  # "...; whereupon Mrs. Griffin spoke. “…”"
        if subj and subj.lower() not in _PRONOUNS:
            key = self.resolve_subject(subj, start + len(last), exclude=prev)
            if key and key != prev and key not in exclude and key != UNKNOWN:
                return Attribution(key, "action_beat")
        lead = len(last) - len(last.lstrip())
        words = re.match(r"(?:\S+\s+){0,3}", last[lead:])
        head_end = start + lead + (words.end() if words else 0)
        for m in self.reg.between(start + lead, head_end + 1):
            if self.reg.candidate(m.key) and m.key != prev and m.key not in exclude:
                return Attribution(m.key, "action_beat")
            return None
        return None

    def _sentence_subject(self, sentence: str, pos: int, exclude: set[str]) -> str | None:
        """The character a sentence opens with ("Ogden was sprawling", "Then he turned"):
        a mention or a he/she within its first three words."""
        words = re.match(r"(?:\S+\s+){0,3}", sentence)
        head_end = pos + (words.end() if words else 0)
        pron = re.match(r"(?:\S+\s+){0,2}?(he|she)\b", sentence, re.IGNORECASE)
        for m in self.reg.between(pos, head_end + 1):
            if self.reg.candidate(m.key):
                return m.key
            return None
        if pron:
            return self.resolve_subject(pron.group(1), pos + pron.start(1),
                                        exclude=next(iter(exclude), None))
        return None


def attribute_quotes(text: str, blocks: Sequence[Block], quotes: Sequence[Quote],
                     registry: Registry, headings: Collection[int] = ()) -> list[Attribution]:
    """One `Attribution` per quote (speech quotes only), in order; `headings` are the indices
    of heading blocks (a conversation never runs across one)."""
    return _Attributor(text, blocks, quotes, registry, headings).run()


_INTRODUCES = re.compile(
    r"\b(?:I am|I['’]m|[Mm]y name(?:['’]s| is)|[Tt]hey call me|[Pp]eople call me)\s+"
    r"((?:(?:Mr|Mrs|Ms|Dr)\.\s*)?[A-Z][a-z]+(?:[ \t]*\r?\n?[ \t]*[A-Z][a-z]+)*)(?![\w'’-])")


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
        for m in _INTRODUCES.finditer(text, q.inner_start, q.inner_end):
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


_KIN_DESCRIPTION = re.compile(r"(?:his|her|their|my|our|your|the) (\w+)")


def kin_names(text: str, registry: Registry) -> None:
    """A speaker known by a relation ("his uncle", "the mother") is called by it in the story
    ("Uncle", "Uncle John"): add the bare relation and the one "<Relation> <Name>" the text
    uses, unless that name is someone else's."""
    for e in list(registry.entities.values()):
        m = _KIN_DESCRIPTION.fullmatch(e.display) if e.description else None
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


def has_speech_verb(text: str, blocks: Sequence[Block], quotes: Sequence[Quote],
                    registry: Registry) -> list[bool]:
    a = _Attributor(text, blocks, quotes, registry)
    return [a.has_verb(i) for i in range(len(quotes))]
