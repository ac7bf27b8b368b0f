"""Text made safe for XML: everything bound for the feed or the page passes through `xml_text`.

The rules are `narrate.printable`'s, shared with the MP3's tags: what XML 1.0 cannot hold (most
C0 control characters, lone surrogates, U+FFFE/U+FFFF), DEL, a byte-order mark and terminal
colour codes are removed.
"""

from __future__ import annotations

from narrate.printable import printable


def xml_text(text: str) -> str:
    """``text`` with what XML 1.0 cannot hold removed (and DEL, BOM and ANSI colour codes);
    spaces left doubled by a removal become one."""
    return printable(text)
