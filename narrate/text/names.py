"""Who is in the story: proper names, descriptions ("her son"), aliases and genders.

Without a cast file, characters are found from capitalised word runs that never occur in lower
case elsewhere (so "Confetti" at a sentence start is not a name). A one-word name joins the
full name whose first word it is ("Witney" -> "Witney Carson"), else the one whose last word it
is, when that is unique. Genders come from the cast, a title ("Mrs"), a gendered noun ("her
son") or the pronouns that follow the name.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from narrate.script import Character, Gender
from narrate.text.given_names import gender_of_given_name
from narrate.text.name_words import (
    _ACTS,
    _ARTICLE_BEFORE,
    _COMPOUND_WORD,
    _IMAGE_OF,
    _KIN_OF,
    _NEXT_SENTENCE_PRONOUN,
    _NEXT_WORD,
    _NOT_NAMES,
    _OBJECT_PREPOSITIONS,
    _OF_NAMED,
    _PLACE_NOUNS,
    _PLACE_PREPOSITIONS,
    _POSSESSIVE,
    _POSTMODIFIER,
    _QUALIFIED,
    _SHE_WORDS,
    _TITLE_WORD,
    CHILD_WORDS,
    FEMALE_TITLES,
    INTRO_CHARS,
    MALE_TITLES,
    NAME_RE,
    ORG_NOUNS,
    TITLES,
    _at_sentence_start,
    _intro_re,
    _money_word,
    _name_gender,
    _not_a_name_word,
    _opening_adverb,
    _people_word,
    _relative_clause_gender,
    _sentence_index_start,
    description_head,
    find_descriptions,
    gender_of_noun,
    split_title,
    without_office,
)

__all__ = ["Entity", "Mention", "Registry", "description_head", "find_descriptions",
           "gender_of_noun"]



@dataclass
class Entity:
    """A character (or a candidate) with every form the text uses for them."""

    key: str
    display: str
    forms: set[str] = field(default_factory=set)
    gender: Gender = Gender.UNKNOWN
    from_cast: bool = False
    description: bool = False
    child: bool = False
    he: int = 0
    she: int = 0
    he_lead: int = 0
    she_lead: int = 0
    """Sentences opened by "He"/"She" right after a sentence the name is the subject of ("Carson
    didn't wait. He ran."): the pronoun is the name's, whatever "her" the sentences hold."""
    name_gender: Gender = Gender.UNKNOWN
    """The usual gender of the given name ("Tom"), a weaker hint than a title or pronouns."""

    def resolved_gender(self) -> Gender:
        if self.gender is not Gender.UNKNOWN:
            return self.gender
        if self.name_gender is Gender.MALE and not (self.she >= 2 and self.she >= 3 * self.he):
            return Gender.MALE
        if self.name_gender is Gender.FEMALE and not (self.he >= 2 and self.he >= 3 * self.she):
            return Gender.FEMALE
        if self.he_lead >= 2 and not self.she_lead:
            return Gender.MALE
        if self.she_lead >= 2 and not self.he_lead:
            return Gender.FEMALE
        if self.he >= 2 * self.she + 1:
            return Gender.MALE
        if self.she >= 2 * self.he + 1:
            return Gender.FEMALE
        return Gender.UNKNOWN

    def character(self) -> Character:
        aliases = [self.display, *sorted(f for f in self.forms if f != self.display)]
        return Character(self.display, tuple(aliases), self.resolved_gender(),
                         age="child" if self.child else None)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    key: str
    subject: bool
    """First mention of its sentence (a likely grammatical subject)."""


_DETERMINER_BEFORE = re.compile(r"(?:^|(?<=\W))(an?|one)\s+$")
"""An indefinite determiner and the space right before a phrase (searched in a short window)."""


_TURN_AFTER = re.compile(r"\n\s*\n\s*[“\"‘'—–]")
"""A paragraph break before a paragraph that opens with a quote (a turn of dialogue)."""


class Registry:
    """Entities and their mentions in narration, with lookups by form and position."""

    def __init__(self, text: str, cast: Sequence[Character], narration: Sequence[tuple[int, int]]):
        self.text = text
        self.entities: dict[str, Entity] = {}
        self._form_index: dict[str, str] = {}
        self._folded_index: dict[str, str] = {}
        self.has_cast = bool(cast)
        self.merged: dict[str, str] = {}
        self._places: dict[str, bool] = {}
        self._things: dict[str, bool] = {}
        self.object_only: set[str] = set()
        self._lower: str | None = None
        self._first_described: dict[str, int] | None = None
        self._introductions: dict[str, tuple[int, int] | None] = {}
        self._titled_forms: dict[str, list[str]] = {}
        """Titled names ("Dr. Howard Archie") by the first and last word after the title:
        the only names a short form ("Dr. Archie", "Polly") may join."""
        for c in cast:
            e = Entity(c.name, c.name, {c.name, *c.aliases}, c.gender, from_cast=True,
                       child=c.age == "child", name_gender=_name_gender(c.name, c.aliases))
            self.entities[e.key] = e
            for form in e.forms:
                self._form_index.setdefault(form, e.key)
                self._folded_index.setdefault(form.casefold(), e.key)
                if split_title(form)[0]:
                    self._add_titled(form)
        self._lower_words = {w for w in re.findall(r"\b[a-z][a-z'’-]+\b", text)}
        self._office_holders: set[str] = set()
        """Names the story puts an office before ("Mayor Linda Park"): people, whatever their
        words ("park" is a common word and a kind of place)."""
        self.mentions: list[Mention] = []
        self._discover(narration)
        self._starts = [m.start for m in self.mentions]

    # -- lookups -------------------------------------------------------------------------
    def lookup(self, form: str) -> str | None:
        """The entity key for a surface form (a name, an alias or a description)."""
        form = _POSSESSIVE.sub("", form.strip(" ,.;:!?")) if form else form
        if not form:
            return None
        if form in self._form_index:
            return self._form_index[form]
        key = self._folded_index.get(form.casefold())
        if key:
            return key
        title, core = split_title(form)
        if title and core in self._form_index:
            e = self.entities[self._form_index[core]]
            # ("Mr. Greyson" is the cast's "Mr Greyson": a title's stop does not count)
            want = title.rstrip(".").lower()
            if not any(split_title(f)[0] and split_title(f)[0].rstrip(".").lower() != want
                       for f in e.forms):
                return e.key
        return None

    def common_opener(self, words: Sequence[str], start: int | None) -> bool:
        """"Sometimes Holmes", "Presently Tom", "Soon Tom": a word opening a sentence (at
        ``start``; None: a speech tag's subject, where a capital before a name is one) that
        the story writes in lower case elsewhere is a common word, not part of the name
        after it. Titles ("Old Cotter", "Aunt Polly") and given names ("Will", "Rose")
        stay."""
        if len(words) < 2 or (start is not None and not _at_sentence_start(self.text, start)):
            return False
        w = words[0]
        if w.rstrip(".").lower() in TITLES or gender_of_given_name(w) is not Gender.UNKNOWN:
            return False
        return w.lower() in self._lower_words

    def first_described(self, phrase: str) -> int | None:
        """Where the narration first refers to someone by ``phrase`` ("The boy wearily
        dropped his bundle"), or None."""
        if self._first_described is None:
            self._first_described = {}
            for s, _e, f in self._desc_raw:
                self._first_described.setdefault(" ".join(f.lower().split()), s)
        return self._first_described.get(" ".join(phrase.lower().split()))

    def introduction(self, words: Sequence[str]) -> tuple[int, int] | None:
        """Span of the story's first "a/an/one <words>" in any case ("An old man", "a
        worthy\nwoman"), or None. Searched once per phrase, for the phrase's words as
        literals in a lower-cased copy of the story: a case-insensitive pattern that opens
        with a word boundary cannot use the regex engine's prefix search and took ~4 ms per
        phrase on a 70k-word book (~20x this)."""
        phrase = " ".join(w.lower() for w in words)
        if phrase in self._introductions:
            return self._introductions[phrase]
        if self._lower is None:
            low = self.text.lower()
            # lower() may lengthen a few characters ("İ"); offsets must stay the story's
            self._lower = low if len(low) == len(self.text) else ""
        found: tuple[int, int] | None = None
        if not self._lower:
            m = re.search(r"\b(?:an?|one)\s+" + r"\s+".join(map(re.escape, words)) + r"\b",
                          self.text, re.IGNORECASE)
            found = m.span() if m else None
        else:
            body = re.compile(r"\s+".join(re.escape(w.lower()) for w in words) + r"\b")
            for m in body.finditer(self._lower):
                det = _DETERMINER_BEFORE.search(self._lower, max(0, m.start() - 8), m.start())
                if det:
                    found = (det.start(1), m.end())
                    break
        self._introductions[phrase] = found
        return found

    def description_entity(self, desc: str, pos: int | None = None) -> str:
        """Key for a description ("the old man"), mapped to a cast member when one fits.
        `pos`: where the description is used (its introduction is looked for before it)."""
        desc = " ".join(desc.split())
        key = self.lookup(desc)
        if key:
            return key
        words = desc.split()
        det, rest = words[0].lower(), words[1:]
        head = rest[-1].lower() if rest else det
        if self.has_cast:
            hits = {e.key for e in self.entities.values() if e.from_cast and any(
                head in f.casefold().split() for f in e.forms)}
            if len(hits) == 1:
                return hits.pop()
        if det == "the" and len(words) == 2:
            # "the parson" is Parson Tringham when he is the only one with that title
            titled = {e.key for e in self.entities.values() if not e.description and any(
                _TITLE_WORD.get(t, t) == head for t in
                (split_title(f)[0].rstrip(".").lower() for f in e.forms) if t)}
            if len(titled) == 1:
                return titled.pop()
        # (a bare "one" / "another"; "one of the colts" is one of a group, not "the")
        indefinite = det in ("a", "an", "one", "this", "that") and rest[:1] != ["of"]
        norm = " ".join(["the" if indefinite else det, *rest]).lower() if rest else det
        if words[0][:1].isupper() and words[0].endswith(("'s", "’s")) and rest:
            norm = desc  # "Tom's mother": the owner keeps the capitals of a name
        if norm not in self.entities:
            e = Entity(norm, norm, {norm}, gender_of_noun(head), description=True,
                       child=bool(CHILD_WORDS & {w.lower() for w in words}))
            if det in ("a", "an") and rest:
                e.forms.add(desc.lower())  # the form the tag itself brought them in by
            if norm.startswith("the ") and rest:
                # keep the form the story introduced them by ("a man"), when it has one
                span = self.introduction(rest)
                if span:
                    said = self.text[span[0]:span[1]]
                    e.forms.add(" ".join(said.lower().split()))
                    post = _POSTMODIFIER.match(self.text, span[1])
                    if post:
                        # "a man in the crowd", "a dame of fifty": the introduction whole
                        e.forms.add(" ".join((said + post.group()).lower().split()))
                    if e.gender is Gender.UNKNOWN:
                        e.gender = _relative_clause_gender(self.text, span[1])
                # and the nearest introduction before its first use with adjectives ("a
                # white man" for "the man", "a small boy" for "the boy")
                end = len(self.text) if pos is None else pos
                intros = list(_intro_re(rest[-1]).finditer(
                    self.text, max(0, end - INTRO_CHARS), end))
                if intros:
                    last = intros[-1]
                    intro_words = last.group().lower().replace(",", "").split()
                    e.forms.add(" ".join(last.group().lower().split()))
                    post = _POSTMODIFIER.match(self.text, last.end())
                    if post:
                        e.forms.add(" ".join((last.group() + post.group()).lower().split()))
                    if len(intro_words) > 2 and {w.lower() for w in rest} <= set(intro_words):
                        # the story goes on to call them "the parish surgeon" as well as
                        # "the surgeon": the definite form of the introduction is theirs too
                        definite = " ".join(["the", *intro_words[1:]])
                        e.forms.add(definite)
                        self._folded_index.setdefault(definite, norm)
            self.entities[norm] = e
            self._folded_index.setdefault(norm, norm)
        return norm

    def recent(self, pos: int, *, limit_chars: int = 4000) -> Iterable[Mention]:
        """Mentions before `pos`, nearest first."""
        i = bisect.bisect_left(self._starts, pos)
        while i > 0:
            i -= 1
            m = self.mentions[i]
            if pos - m.start > limit_chars:
                return
            yield m

    def between(self, start: int, end: int) -> list[Mention]:
        i = bisect.bisect_left(self._starts, start)
        j = bisect.bisect_left(self._starts, end)
        return self.mentions[i:j]

    # -- discovery -----------------------------------------------------------------------
    def candidate(self, key: str) -> bool:
        """Whether an entity may be a speaker: a cast member (when there is a cast), a
        description, or a name with a known gender."""
        e = self.entities.get(key)
        if e is None:
            return False
        if e.from_cast or e.description or getattr(e, "spoke", False):
            return True
        return not self.has_cast and e.resolved_gender() is not Gender.UNKNOWN and \
            not self.not_person(key)

    def not_person(self, key: str) -> bool:
        """A place, a people, a sum or a measure: never a speaker or a he/she."""
        return self.is_place(key) or self.is_thing(key)

    def is_thing(self, key: str) -> bool:
        """A capitalised word the story uses for a people, a sum or a measure, not for a
        person: a nationality or a regional people ("the American", "ex-Westerners"), money
        and measures ("Threepence", "Longitude"), or a word that qualifies a noun for a
        person or a place right after it ("a little Swede boy", "a shrill Welsh voice", "at
        Bramblehurst station")."""
        if key not in self._things:
            e = self.entities[key]
            bare = [f for f in e.forms if not split_title(f)[0]]
            # a sum named once or twice ("Threepence had a value"); a character nicknamed
            # "Tuppence" is named again and again
            # "Mr. French", "Tom French": a surname, a person
            titled = len(bare) < len(e.forms)
            money = not titled and all(
                _money_word(f) and self.text.count(f) <= 2 for f in bare)
            people = not titled and all(_people_word(f) for f in bare)
            # "the Lebrun cottages", "the Smith boy": a surname qualifies nouns too, so
            # only a one-word name that never acts ("Lebrun was", "Robert admitted") and
            # is no one's full name
            qualifies = acts = False
            for form in bare if not titled and all(" " not in f for f in bare) else ():
                start = self.text.find(form)
                while start >= 0 and not acts:
                    m = None if start and self.text[start - 1].isalnum() else \
                        _NEXT_WORD.match(self.text, start + len(form))
                    word = m.group(1) if m else ""
                    qualifies = qualifies or word in _QUALIFIED or \
                        word.rstrip("s") in _QUALIFIED or word in (
                            "men", "women", "people", "folk", "folks", "children")
                    acts = word.endswith("ed") or word in _ACTS
                    start = self.text.find(form, start + len(form))
            # a people that acts is a nickname ("Irish murmured"); a sum may "have a value"
            self._things[key] = money or ((people or qualifies) and not acts)
        return self._things[key]

    def is_place(self, key: str) -> bool:
        """A name mostly used after "in", "at", "from", "near"... ("in Chicago", "from
        London"), or one that ends in a kind of place ("Wexley Junction", "Elm Street"), is a
        place, whatever pronouns follow it."""
        if key not in self._places:
            e = self.entities[key]
            if e.forms & self._office_holders:
                self._places[key] = False
                return False
            if all(len(f.split()) > 1 and f.split()[-1].lower().rstrip(".") in ORG_NOUNS
                   for f in e.forms):
                self._places[key] = True  # a business: never a speaker, never "he"
                return True
            if any(len(words) > 1 and words[-1].lower() in _PLACE_NOUNS
                   for words in (form.split() for form in e.forms if not split_title(form)[0])):
                self._places[key] = True
                return True
            total = placed = 0
            # "Roderick Usher", "Lord Burlesdon": a person the story names as one
            person = any(split_title(f)[0] or (len(f.split()) > 1 and gender_of_given_name(
                f.split()[0]) is not Gender.UNKNOWN) for f in e.forms)
            for form in e.forms:
                if split_title(form)[0]:
                    continue  # "Mr. Hale" is a person wherever he is
                start = self.text.find(form)
                while start >= 0:
                    of = _OF_NAMED.search(self.text, max(0, start - 40), start)
                    if of and of.group(1).lower() not in _KIN_OF and not person:
                        self._places[key] = True  # "the Order of Elks", "the Third of X"
                        return True
                    words = self.text[max(0, start - 14):start].split()
                    if words and words[-1].isalpha():
                        total += 1
                        placed += words[-1].lower() in _PLACE_PREPOSITIONS
                    start = self.text.find(form, start + len(form))
            self._places[key] = placed >= 2 and placed * 2 >= total
        return self._places[key]

    def relative(self, owner: str, gender: Gender) -> str | None:
        """A character sharing `owner`'s surname with the given gender ("his wife")."""
        e = self.entities.get(owner)
        if e is None:
            return None
        surnames = {split_title(f)[1].split()[-1] for f in e.forms if split_title(f)[1]}
        hits = []
        for k, other in self.entities.items():
            if k == owner or other.description or other.resolved_gender() is not gender:
                continue
            if any(split_title(f)[1] and split_title(f)[1].split()[-1] in surnames
                   for f in other.forms):
                hits.append(k)
        titled = [k for k in hits if any(split_title(f)[0] for f in self.entities[k].forms)]
        if len(hits) == 1:
            return hits[0]
        return titled[0] if len(titled) == 1 else None

    def is_name(self, form: str) -> bool:
        return self._is_name(form, True)

    def _is_name(self, form: str, at_sentence_start: bool) -> bool:
        first = form.split()[0].rstrip(".")
        if first in _NOT_NAMES and len(form.split()) == 1:
            return False
        tokens = [t for t in form.split() if t.rstrip(".").lower() not in TITLES]
        if not tokens:
            return False
        if any(_COMPOUND_WORD.search(t) for t in tokens):
            return False  # "Self-interest", "Sunday-school", "God-fearing": a common word
        if all(t.lower() in self._lower_words for t in tokens):
            return False
        if (len(tokens) > 1 and tokens[-1].lower() in self._lower_words
                and form.split()[0].rstrip(".").lower() not in TITLES):
            return False  # "Mirrorball Trophy", "White House": a thing, not a person
        return not (at_sentence_start and len(tokens) == 1 and tokens[0].lower() in
                    self._lower_words)

    def _discover(self, narration: Sequence[tuple[int, int]]) -> None:
        text = self.text
        raw: list[tuple[int, int, str, bool]] = []
        counts: Counter[str] = Counter()
        for s, e in narration:
            for m in NAME_RE.finditer(text, s, e):
                form = _POSSESSIVE.sub("", m.group())
                # drop a leading non-name word: "Sure Witney" cannot happen, "When Leo" can
                words = form.split()
                start = m.start()
                while words and (words[0] in _NOT_NAMES or _opening_adverb(words)
                                 or self.common_opener(words, start)) and \
                        words[0].rstrip(".") not in (
                        "Mr", "Mrs", "Ms", "Dr", "Miss", "Sir", "Lady", "Lord"):
                    start += len(words[0]) + 1
                    words = words[1:]
                if not words:
                    continue
                # "Mayor Linda Park", "Councilwoman Maria Delgado": the office is not part
                # of the name, and says the name is a person's
                named = without_office(words)
                office = len(named) < len(words)
                if office:
                    start = text.index(named[0], start)
                    words = named
                # "Newland Archer's New York": a possessive ends the name, what follows is
                # the thing owned
                for k, w in enumerate(words[:-1]):
                    if _POSSESSIVE.search(w) and w[-1] in "sS":
                        words = [*words[:k], _POSSESSIVE.sub("", w)]
                        break
                form = " ".join(words)
                art = None if split_title(form)[0] or self.lookup(form) else \
                    _ARTICLE_BEFORE.search(text, max(0, start - 40), start)
                if art and not self.lookup(" ".join((text[art.start():start] + form).split())):
                    continue  # "the Stars", "a Swede", "the Dane or Norwegian": not a person
                if split_title(form)[0] and not self.lookup(form) and _ARTICLE_BEFORE.search(
                        text, max(0, start - 40), start):
                    nxt = _NEXT_WORD.match(text, start + len(form))
                    if nxt and nxt.group(1) in _QUALIFIED:
                        continue  # "shouts of the Aunt Sally man": a game's name, not hers
                if _IMAGE_OF.search(text, max(0, start - 30), start):
                    continue  # "bowed to the portrait of Countess Amelia": she is not here
                sentence_start = _at_sentence_start(text, start)
                if office:
                    self._office_holders.add(form)
                elif not self._is_name(form, sentence_start):
                    continue
                raw.append((start, start + len(form), form, sentence_start))
                counts[form] += 1
            for ds, de, phrase in find_descriptions(text, s, e):
                if phrase.split()[0].lower() in ("a", "an", "one", "another", "this", "that"):
                    continue  # an indefinite description introduces, it does not refer back
                raw.append((ds, de, phrase, False))
        mid = Counter(form for _, _, form, at_start in raw if not at_start)
        for start, end, form, at_start in list(raw):
            if (at_start and len(form.split()) == 1 and not mid[form] and not self.lookup(form)
                    and gender_of_given_name(form) is Gender.UNKNOWN
                    and _not_a_name_word(text, start, end)):
                raw.remove((start, end, form, at_start))
                del counts[form]
        keys = self._cluster(counts)
        last_sentence = -1
        for start, end, form, _ in sorted(raw):
            key: str | None
            if form in keys:
                key = keys[form]
            elif self.has_cast and self.lookup(form):
                key = self.lookup(form)  # a cast member known by a description ("her son")
            else:
                continue  # descriptions join mentions only once they speak (add_mentions_of)
            assert key is not None
            sent = _sentence_index_start(text, start)
            self.mentions.append(Mention(start, end, key, subject=sent != last_sentence))
            last_sentence = sent
        self._desc_raw = [(s, e, f) for s, e, f, _ in raw if f not in keys]
        self._count_pronouns()

    def _add_titled(self, form: str) -> None:
        words = split_title(form)[1].split()
        if words:
            for w in {words[0], words[-1]}:
                self._titled_forms.setdefault(w, []).append(form)

    def _cluster(self, counts: Counter[str]) -> dict[str, str]:
        keys: dict[str, str] = {}
        forms = sorted(counts, key=lambda f: (-len(f.split()), -counts[f]))
        for form in forms:
            key = self.lookup(form)
            if key:
                keys[form] = key
                continue
            if self.has_cast:
                # the cast file lists the speakers; other names still take part in pronoun
                # resolution (as non-speakers) so that "he" is not forced onto a cast member
                pass
            title, core = split_title(form)
            parts = core.split()
            target = None
            known = list(dict.fromkeys([*keys, *self._form_index]))
            if len(parts) == 1 and not title:
                firsts = [f for f in known if split_title(f)[1].split()[0] == parts[0]
                          and len(split_title(f)[1].split()) > 1]
                lasts = [f for f in known if split_title(f)[1].split()[-1] == parts[0]
                         and len(split_title(f)[1].split()) > 1]
                first_keys = {keys.get(f) or self._form_index[f] for f in firsts}
                last_keys = {keys.get(f) or self._form_index[f] for f in lasts}
                # "Temple" beside "Mr. Temple" and "Charlotte Temple": a bare surname is how
                # the titled one is called ("said Temple"), not his daughter
                titled_keys = {keys.get(f) or self._form_index[f] for f in known
                               if f.endswith(" " + parts[0]) and split_title(f)[0]
                               and split_title(f)[1] == parts[0]}
                people = {keys.get(f) or self._form_index[f] for f in lasts
                          if gender_of_given_name(split_title(f)[1].split()[0])
                          is not Gender.UNKNOWN}
                if firsts and len(people) == 1 and all(
                        f.split()[-1].lower().rstrip(".") in ORG_NOUNS for f in firsts):
                    # "Whitaker" beside "Tom Whitaker" and "Whitaker Hardware": the person's
                    # surname, not the start of the shop's name
                    target = people.pop()
                elif len(first_keys) == 1:
                    target = first_keys.pop()
                elif not first_keys and len(titled_keys) == 1:
                    target = titled_keys.pop()
                elif not first_keys and len(last_keys) == 1:
                    target = last_keys.pop()
                else:
                    target = _titled_owner(self._titled_forms.get(parts[0], ()), keys,
                                           self._form_index, parts[0], None)
            elif title and core in keys:
                other = self.entities[keys[core]]
                if not any(split_title(f)[0] and split_title(f)[0] != title for f in other.forms):
                    target = other.key
            elif title and len(parts) == 1:
                target = _titled_owner(self._titled_forms.get(parts[0], ()), keys,
                                       self._form_index, parts[0], title)
                if target and self._sister_by_given_name(target, title, parts[0]):
                    target = None
            elif len(parts) > 1 and not title:
                # "Sherlock Holmes" beside "Mr. Sherlock Holmes" (longer forms come first): one
                # person, unless two titled forms share the name ("Mr." and "Mrs. John Dashwood")
                owners = {keys.get(f) or self._form_index[f] for f in known
                          if split_title(f)[0] and split_title(f)[1] == core}
                if len(owners) == 1:
                    target = owners.pop()
            if target is None:
                gender = Gender.UNKNOWN
                t = title.rstrip(".").lower()
                if t in MALE_TITLES:
                    gender = Gender.MALE
                elif t in FEMALE_TITLES:
                    gender = Gender.FEMALE
                target = form
                self.entities[form] = Entity(form, form, {form}, gender,
                                             child=title.lower().startswith("little"),
                                             name_gender=_name_gender(form))
            self.entities[target].forms.add(form)
            keys[form] = target
            self._form_index.setdefault(form, target)
            if title:
                self._add_titled(form)
        return keys

    def _sister_by_given_name(self, key: str, title: str, surname: str) -> bool:
        """"Miss Pinkerton" beside "Miss Jemima Pinkerton" is her elder sister when the
        story also calls the younger one "Miss Jemima": a title with the given name alone
        tells two of one family apart, and the title with the surname alone is the other."""
        for f in self.entities[key].forms:
            t, core = split_title(f)
            words = core.split()
            if t and _title_word(t) == _title_word(title) and len(words) > 1 and \
                    words[-1] == surname and re.search(
                        rf"\b{re.escape(t)}\s+{re.escape(words[0])}\b(?!\s+{re.escape(surname)})",
                        self.text):
                return True
        return False

    def _count_pronouns(self) -> None:
        """Gender evidence: pronouns in the rest of a sentence whose subject is a name."""
        text = self.text
        # a name the narration only ever uses after a preposition ("up to London", "the
        # altar of Rome") is a place or a thing: the he/she after it is someone else's
        free: set[str] = set()
        for m in self.mentions:
            before = text[max(0, m.start - 12):m.start].split()
            if not (before and before[-1] in _OBJECT_PREPOSITIONS):
                free.add(m.key)
        self.object_only = {m.key for m in self.mentions} - free
        for i, m in enumerate(self.mentions):
            if m.key not in free:
                continue
            led = _pronoun_led(text, m.start)
            nxt = self.mentions[i + 1].start if i + 1 < len(self.mentions) else len(text)
            stop = min(nxt, m.end + (160 if m.subject else 60))
            window = text[m.end:stop]
            turn = _TURN_AFTER.search(window)
            if turn:
                # a paragraph of dialogue ends the evidence: its he/she is whoever speaks
                # there ("Jo is drying glasses." / "“You're late,” she says. / “Bus broke
                # down.” He sits down."); narration after a break goes on about the same
                # person ("Carson is a dancer." / "He has ...")
                window = window[:turn.start()]
            # not "him": the object of a name's verb is someone else ("Alexandra asked him")
            # (in a sentence a "He" opens, the "he"s after a name are still the leader's)
            he = 0 if led == "He" else len(re.findall(r"\b(?:he|his|himself)\b", window,
                                                      re.IGNORECASE))
            she = 0 if led == "She" else len(_SHE_WORDS.findall(window))
            e = self.entities[m.key]
            if he and not she:
                e.he += 1
            elif she and not he:
                e.she += 1
            lead = _NEXT_SENTENCE_PRONOUN.match(window) if m.subject else None
            if lead:
                if lead.group(1) == "He":
                    e.he_lead += 1
                else:
                    e.she_lead += 1

    def link_description(self, phrase: str, key: str) -> None:
        """"the parson" turned out to be Parson Tringham (a tag said so): from now on the
        phrase in narration is a mention of him ("The parson rode nearer. “...” he said")."""
        e = self.entities.get(key)
        words = phrase.lower().split()
        if e is None or e.description or len(words) < 2 or words[0] != "the":
            return
        linked: set[str] = getattr(self, "_linked", set())
        self._linked = linked
        if phrase.lower() in linked:
            return
        linked.add(phrase.lower())
        new = [Mention(s, end, key, subject=_at_sentence_start(self.text, s))
               for s, end, f in self._desc_raw if " ".join(f.split()).lower() == " ".join(words)]
        if new:
            self.mentions = sorted(self.mentions + new, key=lambda m: m.start)
            self._starts = [m.start for m in self.mentions]

    def merge(self, key: str, into: str) -> None:
        """Entity `key` turned out to be `into` (two descriptions of one person): its forms
        now name `into`."""
        e, target = self.entities[key], self.entities[into]
        target.forms |= e.forms
        for form in e.forms:
            self._form_index[form] = into
            self._folded_index[form.casefold()] = into
        if target.gender is Gender.UNKNOWN:
            target.gender = e.gender
        del self.entities[key]
        self.merged[key] = into
        self.mentions = [Mention(m.start, m.end, into, m.subject) if m.key == key else m
                         for m in self.mentions]

    def current(self, key: str) -> str:
        """The key an entity goes by now (after merges)."""
        while key in self.merged:
            key = self.merged[key]
        return key

    def add_mentions_of(self, key: str) -> None:
        """Start tracking a description ("her son") once it has spoken."""
        e = self.entities[key]
        if not e.description or getattr(e, "_tracked", False):
            return
        e._tracked = True  # type: ignore[attr-defined]
        forms = {f.casefold() for f in e.forms}
        new = [Mention(s, end, key, subject=False) for s, end, f in self._desc_raw
               if " ".join(f.split()).casefold() in forms]
        if new:
            self.mentions = sorted(self.mentions + new, key=lambda m: m.start)
            self._starts = [m.start for m in self.mentions]


def _title_word(title: str) -> str:
    t = title.rstrip(".").lower()
    return _TITLE_WORD.get(t, t)


_LED_BY_PRONOUN = re.compile(r"(?:^|[.!?…][”\"’']?\s+|\n)[“\"‘']?(He|She)\s[^.!?\n]*$")


def _pronoun_led(text: str, pos: int) -> str | None:
    """"He wished he had gone to hear Fay Templeton sing. Then he ...": the "He"/"She"
    opening the sentence that holds `pos`, if any; the pronouns of that gender after a
    name inside it are the leader's, not the name's."""
    m = _LED_BY_PRONOUN.search(text, max(0, pos - 200), pos)
    return m.group(1) if m else None


def _titled_owner(known: Sequence[str], keys: dict[str, str], index: dict[str, str],
                  word: str, title: str | None) -> str | None:
    """The one titled character a shorter form names. With `title` ("Dr. Archie"): the one
    whose name carries the same title and ends in `word` ("Dr. Howard Archie": a story
    drops the given name once it has introduced the doctor). Without ("Polly"): the one
    whose titled name is just `word` ("Aunt Polly", "his aunt Polly"). Two such characters
    ("Mr. Bennet", "Mrs. Bennet") leave the short form alone."""
    owners = set()
    for f in known:
        t, core = split_title(f)
        if not t:
            continue
        words = core.split()
        same = words == [word] if title is None else (
            len(words) > 1 and words[-1] == word and _title_word(t) == _title_word(title))
        if same:
            owners.add(keys.get(f) or index[f])
    return owners.pop() if len(owners) == 1 else None
