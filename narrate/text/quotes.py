"""Find quotations in story blocks and decide which are speech.

The quote style is chosen once per document (`detect_style`): double quotes (curly or straight,
with single quotes nested inside), single quotes (British style, apostrophes told apart by their
neighbours) or em-dash dialogue (a paragraph opening with a dash). A quote left open at the end
of its paragraph is closed there (it never swallows the rest of the story); when the next
paragraph opens with a quote mark, that quote continues the same speech.

Not every quotation is speech: titles ("a rumba titled “Weightless,”"), headlines, posts and
scare quotes stay with the narrator (`speech_rule`).

Known failure cases: a plural possessive inside single-quoted speech (‘the boys’ hats’) closes
the quote early; an unmarked nested quote in straight double quotes toggles the state.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from narrate.text.blocks import Block
from narrate.text.clean import is_title_case

__all__ = ["Quote", "QuoteStyle", "detect_style", "find_quotes", "speech_rule"]


class QuoteStyle(StrEnum):
    DOUBLE = "double"
    SINGLE = "single"
    DASH = "dash"


@dataclass(frozen=True)
class Quote:
    """One quotation: ``text[start:end]`` includes its marks; ``inner`` excludes them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    block: int
    closed: bool = True
    """False when the paragraph ended before a closing mark."""
    continues: bool = False
    """True when this quote continues an unclosed quote of the previous paragraph."""


_OPEN_CONTEXT = set(" \t\n\r([{—–-/:;,*_“‘\"'…")
_DASH_START = re.compile(r"(?:—|–|―|--)\s*\S")
_DOUBLE_MARKS = re.compile(r"[“”\"]")
_SINGLE_MARKS = re.compile(r"[“”‘’']")
_CONTRACTION = re.compile(
    r"(?i)(?:tis|twas|twere|twill|em|cause|n|un|ere|ave|alf|ow|im|er|is|e|bout|round|fore|"
    r"til|till|nuff|specially|spose|d|ll|s|t|re|ve|m)\b")


def _is_open_single(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if prev not in _OPEN_CONTEXT or nxt.isspace() or not nxt:
        return False
    return not (text[i] == "'" and _CONTRACTION.match(text, i + 1))


def _is_close_single(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if prev.isspace():
        return False
    return not nxt.isalnum()


def detect_style(text: str, blocks: Sequence[Block]) -> QuoteStyle:
    """The document's dialogue convention, from how paragraphs open and marks are used."""
    double = text.count("“") + text.count("\"") / 2
    single = 0
    for m in re.finditer(r"[‘']", text):
        if _is_open_single(text, m.start()):
            single += 1
    dash = sum(1 for b in blocks if _DASH_START.match(text, b.start, b.end))
    para_double = sum(1 for b in blocks if text[b.start] in "“\"")
    para_single = sum(1 for b in blocks if text[b.start] in "‘'")
    if dash >= 3 and dash > para_double + para_single and dash * 2 > double + single:
        return QuoteStyle.DASH
    if single > double * 1.5 or (para_single > para_double * 2 and single > double * 0.5):
        return QuoteStyle.SINGLE
    return QuoteStyle.DOUBLE


def _scan_double(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    spans: list[tuple[int, int, bool]] = []
    open_at = -1
    for m in _DOUBLE_MARKS.finditer(text, start, end):  # the regex skips the other characters
        i = m.start()
        c = text[i]
        if c == "“":
            if open_at >= 0:  # the previous quote never closed: end it here
                spans.append((open_at, i, False))
            open_at = i
        elif c == "”":
            if open_at >= 0:
                spans.append((open_at, i + 1, True))
                open_at = -1
        elif c == "\"":
            if open_at < 0:
                prev = text[i - 1] if i > start else " "
                nxt = text[i + 1] if i + 1 < end else " "
                if (prev in _OPEN_CONTEXT or i == start) and not nxt.isspace():
                    open_at = i
            else:
                spans.append((open_at, i + 1, True))
                open_at = -1
    if open_at >= 0:
        spans.append((open_at, end, False))
    return spans


def _scan_single(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    spans: list[tuple[int, int, bool]] = []
    open_at = -1
    in_double = False
    for m in _SINGLE_MARKS.finditer(text, start, end):
        i = m.start()
        c = text[i]
        if c in "“”":
            in_double = c == "“"
            continue
        if open_at < 0:
            if c != "’" and not in_double and (i == start or _is_open_single(text, i)):
                open_at = i
        elif c != "‘" and _is_close_single(text, i):
            spans.append((open_at, i + 1, True))
            open_at = -1
    if open_at >= 0:
        spans.append((open_at, end, False))
    return spans


def find_quotes(text: str, blocks: Sequence[Block], style: QuoteStyle,
                spoken_blocks: Sequence[bool]) -> list[Quote]:
    """Quotations in the blocks flagged in `spoken_blocks` (story text), in order."""
    quotes: list[Quote] = []
    prev_open = False
    for b, use in zip(blocks, spoken_blocks, strict=True):
        if not use:
            prev_open = False
            continue
        if style is QuoteStyle.DASH:
            if _DASH_START.match(text, b.start, b.end):
                quotes += _dash_quotes(text, b)
            prev_open = False
            continue
        if style is QuoteStyle.SINGLE:
            spans = _scan_single(text, b.start, b.end)
        else:
            spans = _scan_double(text, b.start, b.end)
        first = True
        for s, e, closed in spans:
            inner_s = s + (2 if text.startswith("--", s) else 1)
            inner_e = e - 1 if closed and style is not QuoteStyle.DASH else e
            while inner_s < inner_e and text[inner_s].isspace():
                inner_s += 1
            if inner_s >= inner_e:
                continue
            quotes.append(Quote(s, e, inner_s, inner_e, b.index, closed,
                                continues=prev_open and first and s == b.start))
            first = False
        prev_open = bool(spans) and not spans[-1][2]
    return quotes


def _dash_quotes(text: str, b: Block) -> list[Quote]:
    """An em-dash paragraph is speech to its end, but for the speech tag inside it: "—You'll
    miss your train, said his sister." is the sister's words and the narrator's tag, so the
    tag is cut out (the words after it, if any, are a second quote of the same speaker)."""
    inner_s = b.start + (2 if text.startswith("--", b.start) else 1)
    while inner_s < b.end and text[inner_s].isspace():
        inner_s += 1
    if inner_s >= b.end:
        return []
    tag = _dash_tag(text, inner_s, b.end)
    if tag is None:
        return [Quote(b.start, b.end, inner_s, b.end, b.index)]
    quotes = [Quote(b.start, tag[0], inner_s, tag[0], b.index)]
    rest = tag[1]
    while rest < b.end and text[rest].isspace():
        rest += 1
    if rest < b.end:
        quotes.append(Quote(rest, b.end, rest, b.end, b.index))
    return quotes


_TAG_END = re.compile(r"[.,;:!?…]")


def _dash_tag(text: str, start: int, end: int) -> tuple[int, int] | None:
    """(where the speech before the tag ends, where the tag's clause ends), or None."""
    from narrate.text.attribution.grammar import subject_after
    from narrate.text.attribution.patterns import CLAUSE_END

    window = text[start:min(end, start + _DASH_TAG_REACH)]
    for m in CLAUSE_END.finditer(window):
        if subject_after(window[m.end():]):
            tag = start + m.end()
            stop = _TAG_END.search(text, tag, end)
            return start + m.start() + 1, (stop.end() if stop else end)
    return None


_DASH_TAG_REACH = 400
"""Characters of an em-dash paragraph searched for its tag (as attribution does)."""


# words that announce written, not spoken, text (a set: a regex alternation of them costs
# several milliseconds to compile at every process start)
_WRITTEN_LIST = (
    "headline headlines post posts posted tweet tweets tweeted wrote written writes caption "
    "captioned titled entitled named dubbed sign signs banner inscription inscribed labeled "
    "labelled message texted article song album book film movie poem novel so-called read "
    "reads")
_WRITTEN_WORDS = frozenset(_WRITTEN_LIST.split())
_WRITTEN_PAIRS = frozenset([("the", "word"), ("the", "words"), ("known", "as")])
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


_SPOKEN = frozenset(_WORD.findall(
    "said say says cried cry asked answered replied whispered shouted called exclaimed "
    "articulated uttered spoke repeated murmured muttered added began continued"))
"""Verbs of speaking: after the written word ("wrote a sum on the board and then said:"),
or before "the words" ("articulated the words,"), the quote is spoken."""


_ACCORDING_TO_A_BODY = re.compile(r"\baccording to (?:the|a|an|its|their|his|her)\b[^.!?“”\"]*"
                                  r"[,:]?\s*$", re.I)
"""'According to the National Weather Service, “wind gusts reached...”': words of an agency
or a document, not of a person in the story."""


def _names_written_text(lead: str) -> bool:
    words = _WORD.findall(lead.lower())
    last = max((k for k, w in enumerate(words) if w in _WRITTEN_WORDS), default=-1)
    for k, pair in enumerate(pairwise(words)):
        if pair in _WRITTEN_PAIRS and not _SPOKEN & set(words[max(0, k - 2):k]):
            last = max(last, k + 1)
    if last < 0:
        return False
    # a verb of speaking later in the lead, not right after the written word ("the sign
    # said" is written), makes the quote speech
    return not any(w in _SPOKEN for w in words[last + 2:])


_SENTENCE_END = re.compile(r"[.!?](?=[\s”\"’']*\s)|\n\s*\n")


def _sentence_before(text: str, block_start: int, pos: int) -> str:
    before = text[max(block_start, pos - 400):pos]
    last = None
    for m in _SENTENCE_END.finditer(before):
        last = m
    return before[last.end():] if last else before


def speech_rule(text: str, quote: Quote, prev_block_tail: str, attributed: bool,
                block_start: int) -> str | None:
    """Why a quotation is not speech (None when it is). `attributed`: a speech verb is next to it.

    Rules, in order: written words named just before (headline, post, titled...); a Title Case
    phrase with no speech verb near it; a short scare quote inside a sentence.
    """
    inner = text[quote.inner_start:quote.inner_end].strip()
    lead = _sentence_before(text, block_start, quote.start)
    if quote.start == block_start and prev_block_tail.rstrip().endswith(":"):
        lead = prev_block_tail
    if not attributed and _names_written_text(lead[-120:]):
        return "written text (title, headline or post), read by the narrator"
    if not attributed and _ACCORDING_TO_A_BODY.search(lead[-160:]):
        return "a source's words (according to an agency or a report), read by the narrator"
    words = inner.split()
    # a quote that is its whole paragraph, right after a paragraph of dialogue, is a turn of
    # the conversation even in Title Case ("“Old Miss' School.”" answering a question)
    turn = quote.start == block_start and not text[quote.end:quote.end + 2].strip() and \
        ("”" in prev_block_tail or '"' in prev_block_tail)
    # a Title Case sentence of its own, stop included, said after a sentence of narration
    # ("he smiled. ‘Evening, Mrs. Ross.’"): a greeting, not a title named in passing
    said = inner.endswith(".") and "," in inner and quote.start > block_start and \
        re.search(r"[.!?][’”'\"]?\s*$", text[block_start:quote.start]) is not None
    if not attributed and not turn and not said and \
            is_title_case(inner.rstrip(".,!?…"), min_words=3) and not inner.endswith(("?", "!")):
        return "a title in Title Case, read by the narrator"
    if not attributed and len(words) <= 3 and not re.search(r"[.,!?;…—]", inner.rstrip(".,")):
        prev = text[quote.start - 1] if quote.start > 0 else "\n"
        nxt = text[quote.end] if quote.end < len(text) else "\n"
        if (prev == " " and lead.strip() and not lead.rstrip().endswith((":", ","))
                and nxt not in "\n"):
            return "a scare quote or a term, read by the narrator"
    return None
