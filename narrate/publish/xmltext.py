"""Text made safe for XML: the one place where anything bound for the feed or the page is cleaned.

XML 1.0 forbids most C0 control characters (a title's BEL or ESC makes the whole feed unreadable
to every parser), lone surrogates and U+FFFE/U+FFFF. Terminal colour codes (``ESC[31m``) are
dropped whole, not just their ESC, so no stray ``[31m`` is left in a title; a byte-order mark
is never part of a title either.
"""

from __future__ import annotations

import re

_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[ ]{2,}")


def xml_text(text: str) -> str:
    """``text`` with what XML 1.0 cannot hold removed (and DEL, BOM and ANSI colour codes);
    spaces left doubled by a removal become one."""
    cleaned = _NOT_XML.sub("", _ANSI.sub("", text))
    return _SPACES.sub(" ", cleaned) if cleaned != text else text
