"""Tables that fit the terminal without splitting a token (docs/list.md#columns).

A narrow terminal must not turn ``/users/<user>/events`` into ``/users/<user>/`` +
``events`` cut mid-word, or an endpoint into ``users_user_recei`` + ``ved_events``. So the
columns' widths are chosen here (:func:`fit_widths`: the widest columns give way first,
never below their longest unbreakable piece while there is room) and each cell is wrapped
at its own kind of boundary (:func:`wrap_cell`: a rule before each ``/``, a dotted or
snake_case or kebab-case name after ``.``, ``_`` or ``-``, a source after ``/`` and before its ``:line``). Only
a piece wider than its whole column is folded, because nothing else fits. Pure functions:
the rich renderers in the CLI pass the results to rich as fixed widths and line breaks.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

#: where each kind of cell may break: the piece pattern its text is cut into
BREAKS = {
    "rule": re.compile(r"/?[^/]*"),  # each piece starts at a '/'
    "name": re.compile(r"[^._-]*[._-]?"),  # each piece ends after a '.', '_' or '-'
    "path": re.compile(r"[^/:]*/|:?[^/:]*"),  # after a '/', and ':line' on its own
    "list": re.compile(r"[^,]*,? ?"),  # "GET, POST": after each comma
    "text": re.compile(r"\S*\s*"),  # prose: after spaces
}


SAMPLE_ROWS = 300  # rows that decide the widths: the cost stays bounded on big tables


def pieces(text: str, kind: str) -> list[str]:
    """``text`` cut where ``kind`` allows a line break (the pieces join back to ``text``)."""
    return [piece for piece in BREAKS[kind].findall(text) if piece]


def min_width(text: str, kind: str) -> int:
    """The narrowest a column can be without splitting any piece of ``text``."""
    return max((len(piece.rstrip()) for line in text.split("\n")
                for piece in pieces(line, kind)), default=0)


def natural_width(text: str) -> int:
    """The width ``text`` takes unwrapped: its longest line."""
    return max(len(line) for line in text.split("\n"))


def wrap_cell(text: str, width: int, kind: str) -> str:
    """``text`` with newlines where ``kind`` allows them, so no line is wider than
    ``width``; a single piece wider than ``width`` is folded (nothing else fits). A cell
    of several lines (a list of examples) wraps each line on its own."""
    if "\n" in text:
        return "\n".join(wrap_cell(line, width, kind) for line in text.split("\n"))
    if width <= 0 or len(text) <= width:
        return text
    lines: list[str] = []
    line = ""
    for piece in pieces(text, kind):
        if line and len(line) + len(piece.rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        while len(piece.rstrip()) > width:  # one piece wider than the column: fold it
            if line:
                lines.append(line.rstrip())
                line = ""
            lines.append(piece[:width])
            piece = piece[width:]
        line += piece
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return "\n".join(lines)


def fit_widths(natural: list[int], minimum: list[int], available: int,
               lines: Callable[[int, int], int] | None = None, floor: int = 6) -> list[int]:
    """Column widths summing to at most ``available``. Each column starts at its
    ``natural`` width; while the table is too wide, one column gives a character: the one
    whose rows gain the fewest lines by it (``lines(column, width)``: the lines its cells
    take at that width), the widest among equals. First no column goes below its
    ``minimum`` (its longest unbreakable piece); if the table still does not fit, down to
    ``floor``, folding pieces."""
    widths = list(natural)
    if lines is None:
        def lines(_column: int, _width: int) -> int:
            return 0
    for lower in ([max(m, 1) for m in minimum], [min(floor, n) for n in natural]):
        excess = sum(widths) - available
        while excess > 0:
            candidates = [i for i, w in enumerate(widths) if w > lower[i]]
            if not candidates:
                break
            chosen = min(candidates, key=lambda i: (lines(i, widths[i] - 1) - lines(i, widths[i]),
                                                    -widths[i], i))
            widths[chosen] -= 1
            excess -= 1
    return widths


def fit_table(titles: list[str], rows: list[list[str]], kinds: list[str], available: int,
              ) -> tuple[list[int], list[list[str]]]:
    """Widths for a table's columns within ``available`` characters of content (the
    caller subtracts its separators) and every cell wrapped to its column: the columns'
    natural widths, shrunk by :func:`fit_widths`, titles never split."""
    count = len(titles)
    natural = [max([len(titles[i])] + [natural_width(row[i]) for row in rows])
               for i in range(count)]
    minimum = [max([len(titles[i])] + [min_width(row[i], kinds[i]) for row in rows])
               for i in range(count)]
    sample = rows[:SAMPLE_ROWS]

    @functools.cache
    def lines(column: int, width: int) -> int:
        return sum(wrap_cell(row[column], width, kinds[column]).count("\n") + 1
                   for row in sample)

    widths = fit_widths(natural, minimum, available, lines)
    widths = _share_spare(widths, natural, available, lines,
                          lambda column, width: max(len(titles[column]),
                                                    _needed(sample, column, width, kinds)))
    wrapped = [[wrap_cell(row[i], widths[i], kinds[i]) for i in range(count)] for row in rows]
    return widths, wrapped


def _needed(rows: list[list[str]], column: int, width: int, kinds: list[str]) -> int:
    """The widest line of a column's cells wrapped at ``width``."""
    return max((len(line) for row in rows
                for line in wrap_cell(row[column], width, kinds[column]).split("\n")),
               default=0)


def _share_spare(widths: list[int], natural: list[int], available: int,
                 lines: Callable[[int, int], int], needed: Callable[[int, int], int],
                 ) -> list[int]:
    """Columns whose wrapped cells leave room unused give it to the column that saves the
    most lines with it (a source wrapped at its ``/`` needs less than its share)."""
    for _ in range(4 * len(widths)):
        trimmed = [max(needed(i, w), 1) for i, w in enumerate(widths)]
        spare = available - sum(trimmed)
        if spare <= 0:
            break
        grown = [min(natural[i], t + spare) for i, t in enumerate(trimmed)]
        gain, best = max((lines(i, t) - lines(i, grown[i]), i) for i, t in enumerate(trimmed))
        if gain <= 0:
            break
        trimmed[best] = grown[best]
        widths = trimmed
    return widths
