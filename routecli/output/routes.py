"""The route list (``routecli list``) as plain text, CSV, markdown and JSON.

Every function takes the rows of :func:`routecli.routing.serialize.route_row` (one dict
per route, the JSON of docs/list.md) and returns text, so ``import routecli`` can write
what ``routecli list --format ...`` writes. The terminal table is drawn by the CLI from
:func:`route_columns` and :func:`route_cell`.
"""

from __future__ import annotations

import csv
import io
import json

from routecli.output.json_text import dumps
from routecli.output.text import one_line

# Every key of a route row, in the order of the CSV columns (all of them, always).
CSV_KEYS = ("endpoint", "methods", "rule", "host", "subdomain", "defaults", "strict_slashes",
            "redirect_to", "view", "source")


def route_columns(rows: list[dict], extra: tuple[tuple[str, str], ...] = ()
                  ) -> list[tuple[str, str]]:
    """``(title, key)`` of the columns the text, markdown and terminal tables show:
    the dialect's ``extra`` columns (e.g. position and kind), endpoint, methods and rule
    always, then only the optional columns some row fills."""
    columns = [*extra, ("Endpoint", "endpoint"), ("Methods", "methods"), ("Rule", "rule")]
    if any(row["host"] for row in rows):
        columns.append(("Host", "host"))
    if any(row["subdomain"] for row in rows):
        columns.append(("Subdomain", "subdomain"))
    if any(row["redirect_to"] for row in rows):
        columns.append(("Redirect", "redirect_to"))
    if any(row["view"] for row in rows):
        columns.append(("View", "view"))
    columns.append(("Source", "source"))
    return columns


def route_cell(row: dict, key: str) -> str:
    """One cell of a table, terminal-safe; methods read "GET, POST" (or "ANY")."""
    value = row[key]
    if key == "methods":
        return ", ".join(value) if value != ["*"] else "ANY"
    return "" if value is None else one_line(str(value))


def routes_text(rows: list[dict], extra: tuple[tuple[str, str], ...] = ()) -> str:
    """Aligned columns under a header and a dashed line ("No routes." when empty);
    ends with a newline."""
    if not rows:
        return "No routes.\n"
    columns = route_columns(rows, extra)
    cells = [[route_cell(row, key) for _, key in columns] for row in rows]
    widths = [max(len(title), *(len(line[i]) for line in cells))
              for i, (title, _) in enumerate(columns)]
    lines = ["  ".join(title.ljust(w) for (title, _), w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(value.ljust(w) for value, w in zip(line, widths)).rstrip()
              for line in cells]
    return "\n".join(lines) + "\n"


def routes_csv(rows: list[dict], extra: tuple[tuple[str, str], ...] = ()) -> str:
    """A header of :data:`CSV_KEYS` (then the dialect's ``extra`` keys), then one line
    per route: methods space-separated, defaults as JSON, None as empty; values as they
    are (not made terminal-safe)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    keys = CSV_KEYS + tuple(key for _, key in extra)
    writer.writerow(keys)
    for row in rows:
        values = []
        for key in keys:
            value = row[key]
            if key == "methods":
                value = " ".join(value)
            elif key == "defaults":
                value = "" if value is None else json.dumps(value, default=str)
            elif value is None:
                value = ""
            values.append(value)
        writer.writerow(values)
    return out.getvalue()


def routes_markdown(rows: list[dict], extra: tuple[tuple[str, str], ...] = ()) -> str:
    """A GitHub markdown table of the shown columns, ``|`` escaped, rules in backticks;
    ends with a newline."""
    columns = route_columns(rows, extra)
    lines = ["| " + " | ".join(title for title, _ in columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    for row in rows:
        cells = []
        for _, key in columns:
            text = route_cell(row, key).replace("|", r"\|")
            cells.append(f"`{text}`" if key == "rule" and text else text)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def routes_json(rows: list[dict], extra: tuple[tuple[str, str], ...] = ()) -> str:
    """The rows as an indented JSON list (docs/list.md); ends with a newline."""
    return dumps(rows, indent=2) + "\n"
