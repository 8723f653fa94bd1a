"""The one terminal table style of every command: no outer edge, bold headers, columns
sized to the terminal by :mod:`routecli.output.layout` so that no token is split."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

#: how a column wraps, by its header (routecli.output.layout.BREAKS); numbers never wrap
HEADER_KINDS = {
    "Endpoint": "name", "View": "name", "Host": "name", "Subdomain": "name", "Name": "name",
    "Rule": "rule", "Redirect": "rule", "Shape": "rule", "Examples": "rule", "Pattern": "rule",
    "Methods": "list", "Source": "path", "Summary": "text", "Why not": "text",
    "Reason": "text", "Message": "text",
}
NUMERIC = {"Count", "Hits", "Redirects", "Share", "#", "Routes"}
DIM = {"Source", "Examples"}

Styler = Callable[[str], Any]


def fitted_table(console: Any, headers: Sequence[str], rows: Sequence[Sequence[str]],
                 stylers: dict[str, Styler] | None = None) -> Any:
    """A rich Table of plain-text ``rows`` (already terminal-safe) that fits ``console``:
    each cell is wrapped at its column's boundaries, then styled by ``stylers[header]``
    (default: shown as text, never as markup)."""
    from rich.table import Table
    from rich.text import Text

    from routecli.output.layout import fit_table

    stylers = stylers or {}
    kinds = [HEADER_KINDS.get(h, "text") for h in headers]
    # no edge and no edge padding: the separator between two columns is " │ "
    widths, cells = fit_table(list(headers), [list(row) for row in rows], kinds,
                              console.width - 3 * (len(headers) - 1))
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for header, width in zip(headers, widths):
        table.add_column(header, width=width, no_wrap=True, overflow="fold",
                         justify="right" if header in NUMERIC else "left",
                         style="dim" if header in DIM else None)
    for line in cells:
        table.add_row(*(stylers.get(h, Text)(text) for h, text in zip(headers, line)))
    return table
