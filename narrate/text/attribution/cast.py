"""Sieve helpers for a given cast: every speaker is a cast member whenever one fits.

* a name shared by several cast members ("said John" with John Andrew and John Beaver) is
  the one present in the scene: mentioned or speaking most recently before the line;
* a title and a surname ("Miss Quested") is the cast member of that surname and a matching
  gender (Adela Quested), a first name or a surname alone the one cast member it names;
* a cast name written in lower case in a tag ("said nanny", "nanny said") is that member;
* "the doctor" is the one cast member whose alias has that title ("Doctor Losberne").

Known failures: two cast members of one surname and gender ("Miss Bennet" for any of the
sisters) stay with the registry's own choice; a name no cast alias contains stays new.
"""

from __future__ import annotations

import bisect
import re

from narrate.script import Gender
from narrate.text.attribution.context import Attribution, Context
from narrate.text.attribution.grammar import is_verb
from narrate.text.attribution.patterns import RECENT_SPEAKER_CHARS, TOKEN
from narrate.text.name_words import (
    FEMALE_TITLES,
    MALE_TITLES,
    TITLES,
    split_title,
)

_LOWER_AFTER = re.compile(r"^\W*([a-z]+(?:\s+[a-z]+)?)\s+([a-z]+)\b")
_LOWER_BEFORE = re.compile(r"\b([a-z]+)\s+([a-z]+)\W*$")


def _index(ctx: Context) -> dict[str, list[str]]:
    """Cast members by every word-run of their names: full forms, first, middle and last
    words ("John Beaver" -> "John Beaver", "John", "Beaver"; "Doctor Losberne" ->
    "Losberne")."""
    if ctx.cast_parts is None:
        parts: dict[str, list[str]] = {}
        for e in ctx.reg.entities.values():
            if not e.from_cast:
                continue
            names: set[str] = set()
            for form in e.forms:
                core = split_title(form)[1].split()
                if not core:
                    continue
                names.update((form, " ".join(core), core[0], core[-1]))
                # a middle name the story uses alone ("Good" of "Captain John Good RN")
                names.update(w for w in core[1:-1] if w[:1].isupper()
                             and w.lower() not in TITLES)
            for n in names:
                keys = parts.setdefault(n, [])
                if e.key not in keys:
                    keys.append(e.key)
        ctx.cast_parts = parts
    return ctx.cast_parts


def _title_gender(title: str) -> Gender:
    t = title.rstrip(".").lower()
    if t in FEMALE_TITLES:
        return Gender.FEMALE
    if t in MALE_TITLES:
        return Gender.MALE
    return Gender.UNKNOWN


def present(ctx: Context, keys: list[str], pos: int) -> str | None:
    """Of these cast members, the one mentioned or heard most recently before `pos` (within
    a conversation's reach), or None when none is."""
    best, best_pos = None, -1
    for m in ctx.reg.recent(pos, limit_chars=RECENT_SPEAKER_CHARS):
        if m.key in keys:
            best, best_pos = m.key, m.start
            break
    j = bisect.bisect_right(ctx.quote_ends, pos) - 1
    while j >= 0 and pos - ctx.quote_ends[j] <= RECENT_SPEAKER_CHARS:
        r = ctx.result[j]
        if r is not None and r.speaker in keys:
            if ctx.quotes[j].start > best_pos:
                best = r.speaker
            break
        j -= 1
    return best


def _plain(form: str) -> str:
    return " ".join(form.replace(".", " ").casefold().split())


def _exact(ctx: Context) -> dict[str, list[str]]:
    """Cast members by each of their forms, stops and case ignored ("mrs lennox")."""
    if ctx.cast_forms is None:
        forms: dict[str, list[str]] = {}
        for e in ctx.reg.entities.values():
            if e.from_cast:
                for f in e.forms:
                    keys = forms.setdefault(_plain(f), [])
                    if e.key not in keys:
                        keys.append(e.key)
        ctx.cast_forms = forms
    return ctx.cast_forms


def cast_member(ctx: Context, name: str, pos: int, key: str | None) -> str | None:
    """The cast member a tag's name means at `pos` (`key`: what the registry's lookup gave),
    or `key` when no cast member fits better."""
    if not ctx.reg.has_cast:
        return key
    exact = _exact(ctx).get(_plain(name), [])
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        return present(ctx, exact, pos) or (key if key in exact else exact[0])
    if key is not None and ctx.reg.entities[key].from_cast:
        return key
    title, core = split_title(name.strip())
    words = core.split()
    if not words:
        return key
    parts = _index(ctx)
    hits = list(parts.get(core, ())) or (list(parts.get(words[-1], ())) if title else [])
    if title and hits:
        want = _title_gender(title)
        hits = [k for k in hits if want is Gender.UNKNOWN or
                ctx.reg.entities[k].resolved_gender() in (want, Gender.UNKNOWN)]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        return present(ctx, hits, pos) or key
    return key


def lower_case_tag(ctx: Context, i: int) -> str | None:
    """A cast name the tag writes in lower case: “…,” said nanny / nanny said, “…”."""
    if not ctx.reg.has_cast:
        return None
    parts = _index(ctx)
    q = ctx.quotes[i]
    tags = []
    if q.closed:
        m = _LOWER_AFTER.match(ctx.after(i)[:80])
        if m:
            tags.append((m.group(1), m.group(2)))  # (verb, word)
    m = _LOWER_BEFORE.search(ctx.before(i)[-80:])
    if m:
        tags.append((m.group(2), m.group(1)))
    for verb, word in tags:
        verb_tokens = TOKEN.findall(verb)
        name = word.capitalize()
        if is_verb(verb_tokens, 0) and len(parts.get(name, ())) == 1:
            return parts[name][0]
    return None


def head_member(ctx: Context, desc: str) -> str | None:
    """The one cast member whose names hold the description's noun ("the guide" for "our
    last guide"), or None."""
    head = desc.lower().split()[-1]
    hits = {e.key for e in ctx.reg.entities.values() if e.from_cast and any(
        head in f.casefold().split() for f in e.forms)}
    return hits.pop() if len(hits) == 1 else None


def titled_description(ctx: Context, desc: str) -> str | None:
    """"the doctor": the one cast member whose name or alias has that title ("Doctor
    Losberne", "Dr. Losberne"), when exactly one has."""
    words = desc.lower().split()
    if not ctx.reg.has_cast or len(words) != 2 or words[0] != "the":
        return None
    hits = {e.key for e in ctx.reg.entities.values() if e.from_cast and any(
        _title_word(split_title(f)[0]) == words[1] for f in e.forms)}
    return hits.pop() if len(hits) == 1 else None


_TITLE_WORDS = {"dr": "doctor", "capt": "captain", "prof": "professor", "rev": "reverend",
                "col": "colonel", "gen": "general", "lt": "lieutenant", "sgt": "sergeant"}


def _title_word(title: str) -> str:
    t = title.rstrip(".").lower()
    return _TITLE_WORDS.get(t, t)


def guess(ctx: Context, i: int, exclude: set[str]) -> Attribution | None:
    """Sieve ``cast_guess``, the last one, with a cast only: a line no rule could attribute
    still goes to a cast member rather than to no one - of the tag's gender ("she said" with
    no woman named nearby), the one who spoke last before it (not the turn right before: turns
    alternate), else the first named after it, else the first the cast lists. Right far less
    often than the rules before it (its confidence says so), but "Someone" is never right."""
    if not ctx.reg.has_cast:
        return None
    after, before = ctx.tag_subjects(i)
    subject = (after or before or "").lower()
    want = {"he": Gender.MALE, "she": Gender.FEMALE}.get(subject)
    members = [e.key for e in ctx.reg.entities.values() if e.from_cast
               and e.key not in exclude and e.key != ctx.narrator
               and (want is None or e.resolved_gender() in (want, Gender.UNKNOWN))]
    if not members:
        return None
    # the one who spoke last, unless that was the turn right before (turns alternate)
    prev_said = ctx.result[i - 1] if i > 0 else None
    last_turn = prev_said.speaker if prev_said is not None and \
        ctx.quotes[i - 1].block != ctx.quotes[i].block else None
    for j in range(i - 1, -1, -1):
        r = ctx.result[j]
        if r is not None and r.speaker in members and r.speaker != last_turn:
            return Attribution(r.speaker, "cast_guess")
    q = ctx.quotes[i]
    for m in ctx.reg.between(q.end, q.end + RECENT_SPEAKER_CHARS):
        if m.key in members:
            return Attribution(m.key, "cast_guess")
    return Attribution(members[0], "cast_guess")
