"""GitHub-flavoured Markdown tables: the ``--format markdown`` of every command that
prints a table (docs/README.md#output-formats). Plain strings, no printing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from routecli.output.text import one_line


def _plain(text: str) -> str:
    # HTML is escaped: a rule's `<id>` outside code would vanish as an unknown tag.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\\", "\\\\").replace("|", "\\|")


def code(text: str) -> str:
    """``text`` as inline code in a table cell (backticks dropped: GitHub renders no
    escape inside code; ``|`` escaped, which GitHub's tables honour even there)."""
    text = one_line(str(text)).replace("`", "").replace("|", "\\|")
    return f"`{text}`" if text else ""


def cell(text: object) -> str:
    """Text for a table cell, on one line: the message's own `code spans` kept as code,
    the rest with HTML and pipes escaped."""
    text = one_line(str(text))
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code spans at all
        return _plain(text).replace("`", "\\`")
    return "".join(_plain(part) if i % 2 == 0 else code(part) if part else "``"
                   for i, part in enumerate(parts))


def table(headers: Sequence[str], rows: Iterable[Sequence[str]],
          right: Iterable[str] = ()) -> list[str]:
    """The lines of a table of already-escaped cells; columns named in ``right`` (counts)
    are right-aligned."""
    right = set(right)
    lines = ["| " + " | ".join(headers) + " |",
             "|" + "|".join("---:" if h in right else "---" for h in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines
