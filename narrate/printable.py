"""Text made safe for the metadata of an episode: its feed, its web page and its MP3's tags.

One cleaner for every place a title or description leaves narrate, so a control character in
a story's first line (a form feed from a PDF, a terminal's colour codes pasted with the text)
reaches none of them:

- XML 1.0 forbids most C0 control characters (a title's BEL or ESC makes the whole feed
  unreadable to every parser), lone surrogates and U+FFFE/U+FFFF;
- in an ID3v2.4 text frame NUL separates values, so "A\\x00B" is read as two titles.

Terminal colour codes (``ESC[31m``) are dropped whole, not just their ESC, so no stray ``[31m``
is left in a title; a byte-order mark is never part of a title either. Tab, newline and
carriage return are kept: XML holds them and a description's paragraphs need them.
"""

from __future__ import annotations

import re

_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[ ]{2,}")
_LINE_BREAKS = re.compile(r"\s*[\t\r\n]\s*")


def printable(text: str) -> str:
    """``text`` without control characters (but tab and line breaks), DEL, BOM, lone
    surrogates, non-characters and ANSI colour codes; spaces left doubled by a removal become
    one."""
    cleaned = _UNPRINTABLE.sub("", _ANSI.sub("", text))
    return _SPACES.sub(" ", cleaned) if cleaned != text else text


def one_line(text: str) -> str:
    """``printable(text)`` on one line: tabs and line breaks (with the spaces around them)
    become one space, for fields a player shows as a single line (a title, a chapter)."""
    return _LINE_BREAKS.sub(" ", printable(text)).strip()
