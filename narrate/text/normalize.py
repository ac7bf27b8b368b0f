"""Text to speak: spell out what a voice would otherwise misread. The original text is kept.

`normalize` applies `RULES` in order; each rule is a small named function ``str -> str`` with
its own in/out tests. Known failure cases: a Roman numeral ("Henry VIII") stays as letters; an
all-capitals word that is a real word in an all-capitals sentence is kept as a word, but a
capitalised shout of an unknown word ("NOOO") is spelled out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())



def _words_in_order(spaced: str) -> list[str]:
    return spaced.split()


__all__ = ["RULES", "normalize", "number_to_words", "year_to_words"]

_ONES = tuple(_words_in_order(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"))
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))
_ORDINAL_IRREGULAR = {"one": "first", "two": "second", "three": "third", "five": "fifth",
                      "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}


def _below_thousand(n: int) -> str:
    words = []
    if n >= 100:
        words.append(f"{_ONES[n // 100]} hundred")
        n %= 100
        if n:
            words.append("and")
    if n >= 20:
        words.append(_TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else ""))
    elif n or not words:
        words.append(_ONES[n])
    return " ".join(words)


def number_to_words(n: int) -> str:
    """12 -> "twelve", 1200 -> "one thousand two hundred"."""
    if n < 0:
        return "minus " + number_to_words(-n)
    if n < 1000:
        return _below_thousand(n)
    parts = []
    for value, name in _SCALES:
        if n >= value:
            parts.append(f"{number_to_words(n // value)} {name}")
            n %= value
    if n:
        parts.append(("and " if n < 100 else "") + _below_thousand(n))
    return " ".join(parts)


def year_to_words(n: int) -> str:
    """1995 -> "nineteen ninety-five", 2005 -> "two thousand five", 2024 -> "twenty twenty-four"."""
    if 2000 <= n <= 2009 or n % 1000 == 0:
        return number_to_words(n).replace(" and ", " ")
    hi, lo = divmod(n, 100)
    if lo == 0:
        return f"{number_to_words(hi)} hundred"
    return f"{number_to_words(hi)} {'oh ' if lo < 10 else ''}{number_to_words(lo)}"


def ordinal_to_words(n: int) -> str:
    words = number_to_words(n)
    head, sep, last = words.rpartition("-" if "-" in words.split()[-1] else " ")
    if last in _ORDINAL_IRREGULAR:
        last = _ORDINAL_IRREGULAR[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head}{sep}{last}" if sep else last


def strip_markup(text: str) -> str:
    """Markdown emphasis and heading marks: ``**bold**`` -> "bold", ``_word_`` -> "word"."""
    text = re.sub(r"\*\*|__|(?<!\w)_(?=\w)|(?<=\w)_(?!\w)|^#+\s*", "", text, flags=re.M)
    return text.replace("*", "")


def strip_bullet(text: str) -> str:
    """A list bullet at the start: "• in the early days" -> "in the early days"."""
    return re.sub(r"^\s*(?:[•·▪◦●‣∙*+-]|\d{1,3}[.)])\s+", "", text)


_ABBREVIATIONS: Mapping[str, str] = {
    "Mr.": "Mister", "Mrs.": "Missus", "Ms.": "Mizz", "Dr.": "Doctor", "St.": "Saint",
    "Prof.": "Professor", "Jr.": "Junior", "Sr.": "Senior", "Capt.": "Captain",
    "Lt.": "Lieutenant", "Col.": "Colonel", "Gen.": "General", "Rev.": "Reverend",
    "Mt.": "Mount", "vs.": "versus", "etc.": "et cetera", "e.g.": "for example",
    "i.e.": "that is", "approx.": "approximately", "Dept.": "Department", "No.": "Number",
    "Mr": "Mister", "Mrs": "Missus", "Dr": "Doctor"}


_ABBREVIATION_RE = re.compile(r"(?<![\w.])(?:" + "|".join(
    re.escape(k) for k in sorted(_ABBREVIATIONS, key=len, reverse=True)) + r")(?![\w])")


def expand_abbreviations(text: str) -> str:
    """Titles and Latin abbreviations: "Dr. Hough" -> "Doctor Hough", "e.g." -> "for example"."""
    def repl(m: re.Match[str]) -> str:
        word = m.group(0)
        if word == "No." and not re.match(r"\s*\d", text[m.end():]):
            return word
        if word in ("Mr", "Mrs", "Dr") and not re.match(r"\s+[A-Z]", text[m.end():]):
            return word
        return _ABBREVIATIONS[word]

    return _ABBREVIATION_RE.sub(repl, text)


def times(text: str) -> str:
    """Clock times: "2 a.m." -> "two A M", "10:30 p.m." -> "ten thirty P M", "5pm" too."""
    def repl(m: re.Match[str]) -> str:
        hour = number_to_words(int(m.group(1)))
        minute = m.group(2)
        spoken = hour
        if minute and minute != "00":
            mins = int(minute)
            spoken += " " + ("oh " + number_to_words(mins) if mins < 10 else number_to_words(mins))
        suffix = m.group(3).lower().replace(".", "").replace(" ", "")
        tail = m.group(4) or ""
        return f"{spoken} {' '.join(suffix.upper())}{tail}"

    return re.sub(r"\b(\d{1,2})(?::(\d{2}))?\s*([ap]\.\s?m\.|[ap]m\b|[AP]M\b|[AP]\.M\.)"
                  r"(\s+(?=[a-z]))?", repl, text)


def ages(text: str) -> str:
    """"19-year-old" -> "nineteen-year-old", "4-Year-Old" -> "four-Year-Old"."""
    return re.sub(r"\b(\d{1,3})(?=-(?:year|month|week|day)s?-old\b)",
                  lambda m: number_to_words(int(m.group(1))), text, flags=re.I)


def currency(text: str) -> str:
    """"$5" -> "five dollars", "£20" -> "twenty pounds"."""
    names = {"$": "dollars", "£": "pounds", "€": "euros"}

    def repl(m: re.Match[str]) -> str:
        n = int(m.group(2).replace(",", ""))
        unit = names[m.group(1)]
        if n == 1:
            unit = unit[:-1]
        return f"{number_to_words(n)} {unit}"

    return re.sub(r"([$£€])(\d{1,3}(?:,\d{3})+|\d+)\b(?!\.\d)", repl, text)


def ordinals(text: str) -> str:
    """"1st" -> "first", "19th" -> "nineteenth"."""
    return re.sub(r"\b(\d+)(?:st|nd|rd|th)\b", lambda m: ordinal_to_words(int(m.group(1))), text)


def percentages(text: str) -> str:
    """"50%" -> "50 percent" (the number itself is read by `numbers`)."""
    return re.sub(r"(\d)\s?%", r"\1 percent", text)


def years(text: str) -> str:
    """Four-digit years 1100-2099 read as years: "in 1995" -> "in nineteen ninety-five"."""
    return re.sub(r"(?<![\d,.$£€])\b(1[1-9]\d\d|20\d\d)\b(?![\d,]|\.\d)(?!\s*(?:percent|%))",
                  lambda m: year_to_words(int(m.group(1))), text)


def decades(text: str) -> str:
    """"the 1990s" -> "the nineteen nineties"."""
    def repl(m: re.Match[str]) -> str:
        words = year_to_words(int(m.group(1)))
        return re.sub(r"y$", "ies", words) if words.endswith("y") else words + "s"
    return re.sub(r"\b(1[1-9]\d0|20\d0)['’]?s\b", repl, text)


def numbers(text: str) -> str:
    """Other numbers: "30" -> "thirty", "1,200" -> "one thousand two hundred", "2.5" -> "two
    point five"."""
    def repl(m: re.Match[str]) -> str:
        whole = int(m.group(1).replace(",", ""))
        spoken = number_to_words(whole)
        if m.group(2):
            spoken += " point " + " ".join(_ONES[int(d)] for d in m.group(2)[1:])
        return spoken

    return re.sub(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?!\w)", repl, text)


_SPOKEN_ACRONYMS = {"NASA", "NATO", "UNESCO", "UNICEF", "AIDS", "SCUBA", "LASER", "RADAR", "OK",
                    "FIFA", "NAFTA", "OPEC", "ASAP", "IKEA", "COVID", "GIF", "PIN", "SIM",
                    "CAPTCHA", "EMMY", "OSCAR"}
_ROMAN = re.compile(r"^(?=[MDCLXVI]+$)M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def hashtags(text: str) -> str:
    """"#DWTSHistory" -> "hashtag DWTS History" (acronyms are spelled by `acronyms`)."""
    def repl(m: re.Match[str]) -> str:
        body = m.group(1)
        parts = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", body)
        return "hashtag " + " ".join(parts)

    return re.sub(r"(?<!\w)#(\w+)", repl, text)


def acronyms(text: str) -> str:
    """Capitals read as letters: "DWTS" -> "D W T S"; shouted words stay words.

    A run of capitals is spelled only when the text around it is not itself in capitals
    (a headline "YOU BELIEVED IN ME" is read as words) and it is not a known word-acronym.
    """
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        # a shouted headline is read as words, not spelled out
        return re.sub(r"[A-Z]{2,}", lambda m: m.group(0).capitalize(), text)
    shouting = False

    def repl(m: re.Match[str]) -> str:
        word = m.group(0)
        if shouting or word in _SPOKEN_ACRONYMS or (_ROMAN.match(word) and len(word) > 1 and \
                word != "DC"):
            return word.lower().capitalize() if shouting else word
        return " ".join(word)

    return re.sub(r"\b[A-Z]{2,6}\b(?!['’][a-z]{2})", repl, text)


def ellipses(text: str) -> str:
    """"…" and "..." become a pause the voices honour: "..." kept once, spaced."""
    text = re.sub(r"\s*(?:…|\.\s?\.\s?\.)(?:\s*\.)*\s*", "... ", text)
    return re.sub(r"\.\.\. (?=[\"”’'\s]*$)", "...", text)


def dashes(text: str) -> str:
    """Em-dashes and double hyphens read as a comma pause: "a fall — a tribute" -> "a fall, a
    tribute"."""
    text = re.sub(r"\s*(?:—|–|―|--)\s*(?=[\"”’']*\s*$)", "", text)
    text = re.sub(r"^\s*(?:—|–|―|--)\s*", "", text)
    return re.sub(r"\s*(?:—|―|--|\s–\s)\s*", ", ", text)


def symbols(text: str) -> str:
    """"&" -> "and", "+" between words -> "plus", "@" -> "at"."""
    text = re.sub(r"\s*&\s*", " and ", text)
    return re.sub(r"(?<=\w)@(?=\w)", " at ", text)


def whitespace(text: str) -> str:
    """Collapse runs of spaces and line breaks (hard-wrapped lines join up)."""
    return " ".join(text.split())  # str.split and regex \s agree on what is whitespace


RULES: Sequence[Callable[[str], str]] = (
    strip_markup, strip_bullet, whitespace, expand_abbreviations, times, ages, currency,
    percentages, ordinals, decades, years, numbers, hashtags, acronyms, symbols, ellipses,
    dashes, whitespace)


# Most segments hold no digit, capitals run, '#', '&' or dash: a rule whose trigger is absent
# is skipped (normalising is most of the scripting time otherwise).
_TRIGGERS: dict[Callable[[str], str], re.Pattern[str]] = {
    **dict.fromkeys((times, ages, currency, percentages, ordinals, decades, years, numbers),
                    re.compile(r"\d")),
    strip_markup: re.compile(r"[*_#]"),
    strip_bullet: re.compile(r"^\s*(?:[•·▪◦●‣∙*+-]|\d)"),
    hashtags: re.compile(r"#"),
    acronyms: re.compile(r"[A-Z]{2}"),
    symbols: re.compile(r"[&@]"),
    ellipses: re.compile(r"…|\.\s?\."),
    dashes: re.compile(r"[—–―]|--"),
}


def normalize(text: str, lexicon: Mapping[str, str] | None = None) -> str:
    """The text to speak for `text`; `lexicon` maps words to respellings (whole words)."""
    # A trigger's answer holds until a rule changes the text: the eight number rules share one
    # "\d" search, which was half of the time spent normalising a digit-free paragraph.
    found: dict[re.Pattern[str], bool] = {}
    for rule in RULES:
        trigger = _TRIGGERS.get(rule)
        if trigger is not None:
            hit = found.get(trigger)
            if hit is None:
                hit = found[trigger] = trigger.search(text) is not None
            if not hit:
                continue
        changed = rule(text)
        if changed != text:
            text = changed
            found.clear()
    if lexicon:
        for word, respelling in lexicon.items():
            text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", respelling, text)
    return text
