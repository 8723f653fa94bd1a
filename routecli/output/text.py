"""Text safe for a terminal: control, C1, bidi and other invisible format characters from
route data or URLs shown as escapes.

An endpoint holding ``"\\x1b[2J"`` must not clear the screen of whoever lists the routes,
a ``"\\u202e"`` (right-to-left override) must not make ``/admin`` read as something else,
and a URL holding a newline must not split a one-line answer. So every plain-text and rich
output passes route data and logged URLs through :func:`printable` (whole texts: tabs and
newlines lay them out) or :func:`one_line` (a field or a line: those are escaped too).
JSON escapes what it must itself; CSV keeps data as it is.
"""

from __future__ import annotations

import re
from functools import cache

# C0 controls but tab and newline, DEL, C1 controls (U+009B is a one-byte CSI), the
# line/paragraph separators, and every invisible format character (Unicode category Cf, as
# of Unicode 15): bidi marks, embeddings, overrides and isolates, zero-width characters, the
# BOM, interlinear annotations, tag characters, and the prepended number signs (U+0600...)
# that draw over the text beside them. Written out rather than derived from unicodedata at
# import: that walk would cost start-up.
_UNSAFE = (
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    "\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e007f]"
)
_UNSAFE_LINE = _UNSAFE.replace("\x00-\x08\x0b-\x1f", "\x00-\x1f")


@cache
def _compiled(pattern: str) -> re.Pattern:
    # compiled on the first text that needs it: most output is printable, and a compile
    # at import would cost every command's start-up
    return re.compile(pattern)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` safe for a terminal: controls (but tab and newline), C1 and invisible
    format characters escaped (``\\x1b``, ``\\x9b``, ``\\u202e``)."""
    # str.isprintable() is False for every character _UNSAFE names (and for more: tab,
    # newline, non-ASCII spaces), so a True answer needs no escaping
    if text.isprintable():
        return text
    return _compiled(_UNSAFE).sub(_escape, text)


def one_line(text: str) -> str:
    """Like :func:`printable`, and tab, newline and carriage return escaped too: a field
    or a line that must stay one line."""
    if text.isprintable():
        return text
    return _compiled(_UNSAFE_LINE).sub(_escape, text)


#: Items of a list shown in human output (the allowed methods of a 405): a path with
#: 10,000 rules, a method each, made every one of its answers a 60 KB line.
SHOWN_ITEMS = 12


def listed(items, most: int = SHOWN_ITEMS) -> str:
    """``items`` joined by ", ", the first ``most`` of them and how many more ("GET, HEAD,
    ... and 9,988 more"); JSON keeps them all."""
    items = list(items)
    if len(items) <= most:
        return ", ".join(items)
    return f"{', '.join(items[:most])} and {len(items) - most:,} more"
