"""Text safe for a terminal: control characters from route data or URLs shown as escapes.

An endpoint holding ``"\\x1b[2J"`` must not clear the screen of whoever lists the routes,
so every plain-text and rich output passes route data and logged URLs through
:func:`printable` first (JSON escapes them itself; CSV keeps data as it is).
"""

from __future__ import annotations

# Tab and newline are kept: they lay text out, they do not drive the terminal.
_CONTROLS = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F) if code not in (0x09, 0x0A)}


def printable(text: str) -> str:
    """``text`` safe for a terminal: control characters (but tab and newline) escaped."""
    return text.translate(_CONTROLS)
