"""Speech tags as grammar: the speech verb beside a quote and its subject ("said the old
man", "he whispered", "Bruno whispered, ", "My uncle looked up and said:").

Known failures: a tag whose subject follows a long clause ("said, with a look at the door
that nobody else could have managed, the old man"); a verb missing from `SPEECH_VERBS`."""

from __future__ import annotations

import re

from narrate.text.attribution.patterns import (
    ADVERBS,
    AGENT_NOUN,
    AUX,
    BARE_SUBJECTS,
    DETERMINERS,
    EPITHET_WORDS,
    INTRODUCING_VERBS,
    LOWER_ADVERB_OK,
    MODALS,
    OPENERS,
    PHRASAL,
    PLAIN_SPEECH_VERBS,
    PRONOUNS,
    SENTENCE_END,
    SPEECH_VERBS,
    TOKEN,
)
from narrate.text.name_words import (
    _NOT_NAMES,
    PERSON_NOUNS,
    RELATIONS,
    without_office,
)


def is_adverb(word: str) -> bool:
    """"quietly", "then"; a capitalised -ly word only when it is a known adverb ("Suddenly"):
    inside a tag it is a name ("said Kimberly Strach", "Emily said")."""
    w = word.lower()
    if w in ADVERBS:
        return True
    return w.endswith("ly") and len(w) > 3 and (word.islower() or w in LOWER_ADVERB_OK)


def is_verb(tokens: list[str], i: int) -> int:
    """Length of the speech verb at ``tokens[i]`` (2 for "went on"), 0 when none."""
    if i >= len(tokens):
        return 0
    w = tokens[i].lower()
    if w not in SPEECH_VERBS:
        # "she would sigh", "he will answer": a modal's base form of a listed past tense
        if i > 0 and tokens[i - 1].lower() in MODALS and len(w) > 3 and w.isalpha() and (
                w + "ed" in SPEECH_VERBS or w + "d" in SPEECH_VERBS
                or (w.endswith("y") and w[:-1] + "ied" in SPEECH_VERBS)):
            return 1
        return 0
    if w in PHRASAL:
        return 2 if i + 1 < len(tokens) and tokens[i + 1].lower() == PHRASAL[w] else 0
    return 1


def subject_at(tokens: list[str], i: int) -> tuple[str, int] | None:
    """A subject starting at ``tokens[i]``: (phrase, tokens used)."""
    if i >= len(tokens):
        return None
    t = tokens[i]
    if t.lower() in PRONOUNS and (t == "I" or t.islower() or i == 0 or t in ("He", "She")):
        return t, 1
    if t in EPITHET_WORDS and i + 1 < len(tokens) and tokens[i + 1][0].isupper() and \
            tokens[i + 1].lower() not in DETERMINERS and tokens[i + 1].lower() not in PRONOUNS:
        # "said old Cotter", "cried little Tom": the epithet is not part of the name
        found = subject_at(tokens, i + 1)
        return (found[0], found[1] + 1) if found else None
    if t[0].isupper() and t.lower() not in DETERMINERS:
        j = i
        while j < len(tokens) and tokens[j][0].isupper() and j - i < 6:
            j += 1
        if j - i > 4 and without_office(tokens[i:j]) == tokens[i:j]:
            j = i + 4  # (up to 4 words of a name; more only when an office opens them)
        if _possessive(tokens[j - 1]) and j < len(tokens) and tokens[j].lower() in PERSON_NOUNS:
            # "said Tom's mother": the mother, not Tom (someone else's "maid" or "friend"
            # is left to the other sieves)
            if tokens[j].lower() not in OWNED_SPEAKERS:
                return None
            return " ".join([*without_office(tokens[i:j]), tokens[j]]), j + 1 - i
        return " ".join(without_office(tokens[i:j])), j - i
    part = _partitive(tokens, i)
    if part:
        return " ".join(tokens[i:i + part]), part
    if t.lower() in BARE_SUBJECTS:
        # ", said another." / ", cried one," / "somebody else inquired" / "someone said"
        n = 2 if i + 1 < len(tokens) and tokens[i + 1] == "else" else 1
        if i + n >= len(tokens) or not tokens[i + n][0].isalpha() or \
                (t.lower() not in DETERMINERS and is_verb(tokens, i + n)):
            return " ".join(w.lower() for w in tokens[i:i + n]), n
    if t.lower() in DETERMINERS:
        words = [t]
        for j in range(i + 1, min(i + 5, len(tokens))):
            if tokens[j] == "," and len(words) > 1 and j + 1 < len(tokens) and \
                    re.match(r"[a-z][a-z-]*$", tokens[j + 1]):
                continue  # "a thin, elderly gentleman": adjectives in a row
            words.append(tokens[j])
            if len(words) > 4:
                return None
            w = tokens[j].lower()
            if _possessive(w) and w[:-2] in PERSON_NOUNS and j + 1 < len(tokens) and \
                    tokens[j + 1].lower() == "voice":
                continue  # "called a girl's voice"
            if w in PERSON_NOUNS or (_people(w) and t.lower() == "the"):
                if w == "voice" and j + 2 < len(tokens) and tokens[j + 1] == "of" and \
                        tokens[j + 2][0].isupper():
                    k = j + 2
                    while k < len(tokens) and tokens[k][0].isupper() and k - j < 5:
                        k += 1
                    return " ".join(tokens[i:k]), k - i
                return " ".join(words), j + 1 - i
            if AGENT_NOUN.match(w) and (j + 1 == len(tokens) or not tokens[j + 1][0].isalnum()
                                        or (tokens[j + 1].islower() and is_adverb(tokens[j + 1]))):
                # "said the waggoner.", "continued the undertaker solemnly"
                return " ".join(words), j + 1 - i
            if not re.match(r"[a-z][a-z-]*$", tokens[j]):
                return None
    return None


OWNED_SPEAKERS = RELATIONS | {"voice"}
"""Nouns that a named owner's possessive makes a speaker of their own ("Tom's mother")."""


def _people(word: str) -> bool:
    """A plural of a person noun: a group speaking at once ("cried the ladies", "all the
    girls whispered"); only after "the" (what "his friends said" is hearsay as often)."""
    w = word.lower()
    if w in ("men", "women", "children", "people", "folk", "folks"):
        return True
    return w.endswith("s") and len(w) > 3 and (
        w[:-1] in PERSON_NOUNS or (w.endswith("ies") and w[:-3] + "y" in PERSON_NOUNS))


def _possessive(word: str) -> bool:
    return word.endswith(("'s", "’s")) and len(word) > 2


def _after_aside(tokens: list[str], k: int) -> tuple[str, int] | None:
    """"interposed, more softly, a young wife": a short phrase set off by commas between
    the verb and a described subject (an article or a possessive opens the subject)."""
    if k >= len(tokens) or tokens[k] != ",":
        return None
    for j in range(k + 2, min(k + 6, len(tokens))):
        if tokens[j] == ",":
            if j + 1 < len(tokens) and tokens[j + 1].lower() in DETERMINERS:
                return subject_at(tokens, j + 1)
            return None
        if not re.match(r"[a-z][a-z-]*$", tokens[j]):
            return None
    return None


_RANKED = re.compile(r"[a-z]{2,}est|first|second|third|last|elder|younger")
_GROUP_OWNERS = frozenset(("the", "these", "those", "his", "her", "their", "our", "my"))
GROUP_NOUNS = frozenset(("gang", "party", "crowd", "group", "family", "company", "crew",
                         "band", "troop", "household", "class", "team", "men", "women",
                         "children", "people"))


def _partitive(tokens: list[str], i: int) -> int:
    """"the oldest of the colts", "the youngest of the gang": one person picked out of a
    group by rank; the number of tokens it takes, else 0."""
    if i + 3 < len(tokens) and tokens[i].lower() == "one" and tokens[i + 1] == "of" and \
            tokens[i + 2].lower() in _GROUP_OWNERS and _group(tokens[i + 3]):
        return 4  # "said one of the colts", "cried one of the women"
    if i + 4 >= len(tokens) or tokens[i].lower() != "the" or \
            not _RANKED.fullmatch(tokens[i + 1].lower()) or tokens[i + 2] != "of" or \
            tokens[i + 3].lower() not in _GROUP_OWNERS:
        return 0
    return 5 if _group(tokens[i + 4]) else 0


def _group(word: str) -> bool:
    return re.fullmatch(r"[a-z][a-z-]+", word) is not None and (
        word.endswith(("s", "men")) or word in GROUP_NOUNS)


def _subject_before(tokens: list[str], i: int) -> str | None:
    """The subject ending just before ``tokens[i]`` (skipping adverbs and auxiliaries)."""
    j = i - 1
    while j >= 0 and (is_adverb(tokens[j]) or tokens[j].lower() in AUX) and i - j <= 3:
        j -= 1
    if j < 0:
        return None
    t = tokens[j]
    if t == ",":
        # "my father, after showing a great concern at it, said to her": the subject
        # before a phrase set off by commas
        for k in range(j - 1, max(-1, j - 10), -1):
            if tokens[k] == ",":
                if tokens[k + 1].lower() in ("and", "but"):
                    # "he thumped like a naughty child, and turned to his son, saying,"
                    return _sentence_opener(tokens, k)
                return _subject_before(tokens, k)
            if tokens[k] in ".!?;:“”\"‘’":
                break
        return None
    if t.lower() in PRONOUNS:
        return t
    if t[0].isupper() and t.lower() not in DETERMINERS:
        k = j
        while k > 0 and tokens[k - 1][0].isupper() and j - k < 5 and \
                tokens[k - 1].lower() not in DETERMINERS and tokens[k - 1].lower() not in \
                PRONOUNS:
            k -= 1
        while k < j and (tokens[k].lower() in LOWER_ADVERB_OK or tokens[k].lower() in
                         OPENERS):
            k += 1  # "Presently Tom said", "Then Tom said": the adverb is not part of the name
        words = without_office(tokens[k:j + 1])
        return " ".join(words[-4:] if len(words) > 4 else words)
    if t.lower() in PERSON_NOUNS or _people(t):
        for k in range(j - 1, max(-1, j - 4), -1):
            if tokens[k].lower() in DETERMINERS:
                if t.lower() not in PERSON_NOUNS and tokens[k].lower() != "the":
                    return None  # ("His friends said that he was “studying.”": hearsay)
                return " ".join(tokens[k:j + 1])
            if _possessive(tokens[k]) and tokens[k][0].isupper() and t.lower() in OWNED_SPEAKERS:
                # "Tom's mother said": the capitalised owner and the noun
                o = k
                while o > 0 and tokens[o - 1][0].isupper() and k - o < 3 and \
                        tokens[o - 1].lower() not in DETERMINERS and \
                        tokens[o - 1].lower() not in OPENERS:
                    o -= 1
                return " ".join(tokens[o:j + 1])
            if _possessive(tokens[k]) and tokens[k][:-2].lower() in PERSON_NOUNS and \
                    t.lower() == "voice":
                continue  # "a girl's voice called"
            if not re.match(r"[a-z][a-z-]*$", tokens[k]):
                break
    return None


_CALLERS = frozenset(("they", "people", "everyone", "we", "you", "the", "others", "all"))


def _called(tokens: list[str], k: int) -> str | None:
    """The name after a description that says what the person is called: "said the one they
    called Veronica", "cried a boy named Tim", "said the woman known as Ma"."""
    j = k
    if j < len(tokens) and tokens[j].lower() in ("whom", "who", "that"):
        j += 1
    while j < len(tokens) and tokens[j].lower() in _CALLERS and j - k < 3:
        j += 1
    if j < len(tokens) and tokens[j].lower() in ("called", "named", "call", "calls"):
        j += 1
    elif j + 1 < len(tokens) and tokens[j].lower() == "known" and tokens[j + 1] == "as":
        j += 2
    else:
        return None
    found = subject_at(tokens, j) if j < len(tokens) and tokens[j][:1].isupper() else None
    return found[0] if found and found[0].lower() not in PRONOUNS else None


PERCEIVING = frozenset(("heard", "hear", "hears", "overheard"))


def _heard(tokens: list[str], k: int) -> str | None:
    """“…” Mary heard Tom say / she heard one voice say: the one heard speaks, not the
    hearer. A pronoun heard ("heard her say") is left to the other sieves: its antecedent
    is often the hearer's own name, which would be wrong."""
    found = subject_at(tokens, k)
    if not found or found[0].lower() in PRONOUNS:
        return None
    j = k + found[1]
    if j < len(tokens) and (is_verb(tokens, j) or tokens[j].lower() in PLAIN_SPEECH_VERBS):
        return found[0]
    return None


def subject_after(after: str) -> str | None:
    """Speaker named in a tag after a quote: ", said the parson." / " he whispered"."""
    tokens = [t for t in TOKEN.findall(after[:160])]
    while tokens and tokens[0] in ",;:—–-":
        tokens.pop(0)
    i = 0
    while i < len(tokens) and is_adverb(tokens[i]) and i < 2:
        i += 1
    n = is_verb(tokens, i)
    if n:
        k = i + n
        while k < len(tokens) and is_adverb(tokens[k]) and k - i - n < 2:
            k += 1
        found = subject_at(tokens, k) or _after_aside(tokens, k)
        if found:
            return (_called(tokens, k + found[1]) if found[0][:1].islower() else None) \
                or found[0]
    found = subject_at(tokens, 0)
    if found:
        k = found[1]
        while k < len(tokens) and (is_adverb(tokens[k]) or tokens[k].lower() in AUX) \
                and k - found[1] < 3:
            k += 1
        if k < len(tokens) and tokens[k].lower() in PERCEIVING:
            return _heard(tokens, k + 1)
        if is_verb(tokens, k):
            return found[0]
        # "I remember asking.", "he managed to say.", "I heard myself say.": a speech verb
        # in its plain or -ing form closing the tag a few words after the subject
        for j in range(found[1], min(found[1] + 5, len(tokens) - 1)):
            w = tokens[j]
            if not w.islower():
                break
            if w in PLAIN_SPEECH_VERBS and not tokens[j + 1][0].isalnum():
                return found[0]
    return _name_before_verb(tokens)


_ROLE = re.compile(r"^[a-z][a-z-]*(?:person|man|woman|ist|ian|ant|ent|eer)$")
"""A lower-case noun for someone's role or job ("spokesperson", "economist", "resident")."""


def _name_before_verb(tokens: list[str]) -> str | None:
    """News style: the name closing a noun phrase that describes its owner, right before the
    verb (" Pacific Grid spokesperson Karen Liu told reporters"): the phrase's own subject
    ("Pacific Grid") is an organisation, the speaker is the name after its role word."""
    for v in range(2, min(len(tokens), 10)):
        if not tokens[v][:1].isalpha():
            return None
        if is_verb(tokens, v) and tokens[v - 1][:1].isupper():
            s = v - 1
            while s > 0 and tokens[s - 1][:1].isupper() and v - s < 4:
                s -= 1
            role = tokens[s - 1] if s > 0 else ""
            if role in PERSON_NOUNS or AGENT_NOUN.match(role) or _ROLE.search(role):
                return " ".join(without_office(tokens[s:v]))
            return None
    return None


def subject_before(before: str) -> str | None:
    """Speaker named in a tag before a quote: "Bruno whispered, " / "he said:"."""
    tokens = TOKEN.findall(before[-240:])
    if any(t in ".!?" for t in tokens[-1:]):
        return None
    # a colon introduces the quote even after a long clause ("and then said, not fiercely,
    # but still loud enough for the furniture to hear:")
    reach = 24 if tokens[-1:] == [":"] else 14
    for i in range(len(tokens) - 1, max(-1, len(tokens) - reach), -1):
        if is_verb(tokens, i):
            subj = _subject_before(tokens, i)
            if subj:
                return subj
            a = i - 1
            while a > 0 and is_adverb(tokens[a]) and i - a <= 2:
                a -= 1  # "... wrote a sum on the board and then said:"
            if a >= 0 and tokens[a] == "and":
                return _sentence_opener(tokens, a)  # "My uncle looked up and said:"
            if a > 0 and tokens[a] == "," and tokens[-1] == ":":
                # "Buck Mulligan ..., thrusting a hand into his pocket, said:"
                return _sentence_opener(tokens, a)
    if tokens and tokens[-1] in (":", ","):
        # "he suddenly addressed her with:", "...by leaning towards him and remarking:": a
        # verb that introduces speech only when the quote follows at once
        for i in range(len(tokens) - 2, max(-1, len(tokens) - 10), -1):
            if tokens[i].lower() in INTRODUCING_VERBS:
                # ("The quiet voice beside her whispering," has no clause for an opener)
                opener = _sentence_opener(tokens, i) if tokens[i - 1] in ("and", ",") else None
                return _subject_before(tokens, i) or opener
    return None


def led_by(tokens: list[str], pronoun: str) -> bool:
    """The sentence's subject is `pronoun` after a short opening phrase with no person in it
    ("From one of the rooms he heard ...")."""
    for k, t in enumerate(tokens[:8]):
        if t.lower() == pronoun:
            # ("one of the rooms": "one" here is a number, not a person)
            return all((w.lower() not in PERSON_NOUNS or w.lower() in BARE_SUBJECTS)
                       and (j == 0 or not w[0].isupper()) for j, w in enumerate(tokens[:k]))
    return False


def after_opening_phrase(tokens: list[str], k: int) -> int:
    """Where the subject starts after a short opening phrase set off by a comma ("Inside, the
    inspector spread his papers", "At the gate, the old man turned"): the phrase is a time or
    a place, with no person in it (no person noun, no capitalised word after its first);
    ``k`` itself when there is none."""
    for c in range(k + 1, min(k + 5, len(tokens))):
        if tokens[c] == ",":
            words = tokens[k:c]
            # the phrase opens with a word no name is ("Inside", "At", "Halted", "Slowly"),
            # so "Tom, who was tired, said" keeps Tom
            opener = words[0] in _NOT_NAMES or words[0].islower() or \
                re.search(r"(?:ed|ing|ly)$", words[0]) is not None
            if opener and all(re.match(r"[A-Za-z][a-z’'-]*$", w)
                              and w.lower() not in PERSON_NOUNS and w.lower() not in PRONOUNS
                              and (j == 0 or w.islower()) for j, w in enumerate(words)):
                return c + 1
            return k
        if not re.match(r"[A-Za-z]", tokens[c]):
            return k
    return k


def _sentence_opener(tokens: list[str], i: int) -> str | None:
    """The subject opening the clause that holds ``tokens[i]``: the last ", and <subject>"
    before it ("He kept this suspended while the newcomer sat down, and Mrs. Hilbery deftly
    joined the severed parts by leaning towards him and remarking:"), else the sentence's."""
    for c in range(i - 1, 0, -1):
        if tokens[c] in ".!?;”\"’":
            break
        if tokens[c] == "and" and tokens[c - 1] == ",":
            found = subject_at(tokens, c + 1)
            if found and c + 1 + found[1] < i and (found[0][:1].isupper()
                                                  or found[0].split()[0].lower() in DETERMINERS):
                return found[0]
            break
    k = i
    while k > 0 and tokens[k - 1] not in ".!?;”\"’":
        k -= 1
    while k < i and tokens[k].lower() in OPENERS:
        k += 1
    found = subject_at(tokens, min(i, after_opening_phrase(tokens, k)))
    return found[0] if found else None


def last_sentence(s: str) -> str:
    last = None
    for m in SENTENCE_END.finditer(s):
        last = m
    return s[last.end():] if last else s


def first_sentence(s: str) -> str:
    m = SENTENCE_END.search(s)
    return s[:m.end()] if m else s


_CLOSING_TAG = re.compile(
    r"[,;]?\s+(?:says|said|adds|added|notes|noted|explains|explained|argues|argued|"
    r"according\s+to)\s+((?:[A-Z][\w’'.-]*\s+){0,4}?[A-Z][\w’'-]*)(?:,[^.!?]{0,160})?\s*$")


def closing_tag(sentence: str) -> str | None:
    """The person a sentence of reported speech is attributed to at its end (news style):
    "Many parents struggle to set rules, says David Palmiter, a professor of psychology" ->
    "David Palmiter" (an office before the name dropped: "said Sen. Paul Grady")."""
    m = _CLOSING_TAG.search(sentence)
    if not m:
        return None
    words = without_office(m.group(1).split())
    return " ".join(words) if words and words[0].lower() not in PRONOUNS else None
