"""The coverage report (``routecli coverage``) as plain text and markdown.

Both take the report's JSON (``CoverageReport.to_dict()``, docs/coverage.md) and the
number of routes in the table, and return text; the CLI's terminal tables are drawn from
the same :func:`summary_lines` and :func:`coverage_sections`. ``--format json`` is
``to_dict()`` itself.
"""

from __future__ import annotations

from routecli.output.text import listed, one_line

# A section: (title, column headers, rows, note). A cell is a string, or a list of
# examples that each format joins its own way; a note is a line, or a list of examples.
Section = tuple[str, list[str], list[list], "str | list[str]"]


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _methods(methods: list[str]) -> str:
    return "ANY" if methods == ["*"] else ", ".join(methods)


def summary_lines(data: dict, total_routes: int) -> list[str]:
    """Three lines: lines read (requests, malformed, skipped), requests by status, and
    routes used and unused."""
    requests = data["requests"]
    counted = data.get("counted_lines", 0)
    # A line of pre-aggregated counts stands for many requests: say so, never call the
    # requests lines.
    read = (f"{data['lines']:,} lines: {requests:,} requests"
            + (f" (counted on {counted:,} lines)" if counted else ""))
    lines = [
        f"{read}, {data['malformed']:,} malformed"
        + (f", {data['skipped']:,} blank or comment lines skipped" if data["skipped"] else ""),
        "status: " + "  ".join(
            f"{code} {count:,} ({_percent(count, requests)})"
            for code, count in data["status"].items()
        ),
    ]
    unused = len(data["unused"])
    what = "unused" if data["min_hits"] == 1 else f"with fewer than {data['min_hits']} hits"
    lines.append(f"routes: {data['used_routes']:,} of {total_routes:,} used, {unused:,} {what}")
    return lines


def coverage_sections(data: dict, top: int) -> list[Section]:
    """Every section of the report: routes by hits (``top`` rows, 0 for all), unused
    routes, 404s by shape, 405s by route, traffic by endpoint, and malformed lines when
    there are some; every cell and note terminal-safe."""
    requests = data["requests"]
    limit = top or None
    sections = []

    busy = sorted((r for r in data["routes"] if r["hits"] or r["redirects"]),
                  key=lambda r: (-r["hits"], -r["redirects"]))
    shown = busy[:limit] if limit else busy
    sections.append((
        "Routes by hits",
        ["Hits", "Redirects", "Share", "Endpoint", "Methods", "Rule", "Source"],
        [[f"{r['hits']:,}", f"{r['redirects']:,}", _percent(r["hits"], requests), r["endpoint"],
          _methods(r["methods"]), r["rule"], r["source"] or ""] for r in shown],
        f"{len(shown)} of {len(busy)} routes with traffic" if len(shown) < len(busy) else "",
    ))

    title = ("Unused routes" if data["min_hits"] == 1
             else f"Routes with fewer than {data['min_hits']} hits")
    by_rule = {(r["rule"], r["endpoint"], r["source"]): r for r in data["routes"]}
    unused_rows = []
    for entry in data["unused"]:
        route = by_rule.get((entry["rule"], entry["endpoint"], entry["source"]), {})
        row = [entry["endpoint"], _methods(route.get("methods", [])), entry["rule"],
               entry["source"] or ""]
        if data["min_hits"] > 1:
            row.insert(0, f"{route.get('hits', 0) + route.get('redirects', 0):,}")
        unused_rows.append(row)
    headers = ["Endpoint", "Methods", "Rule", "Source"]
    if data["min_hits"] > 1:
        headers.insert(0, "Hits")
    sections.append((f"{title} ({len(unused_rows):,})", headers, unused_rows, ""))

    unmatched = data["unmatched"]
    note = ""
    if data["unmatched_other"]:
        note = f"{data['unmatched_other']:,} more 404s in other shapes"
    sections.append((
        f"Unmatched requests (404) by shape ({data['status'].get('404', 0):,})",
        ["Count", "Share", "Shape", "Examples"],
        [[f"{u['count']:,}", _percent(u["count"], requests), u["shape"],
          list(u["examples"])] for u in unmatched],  # a list: each format joins it
        note,
    ))

    sections.append((
        f"Method not allowed (405) by route ({data['status'].get('405', 0):,})",
        ["Count", "Methods tried", "Allowed", "Endpoint", "Rule", "Source"],
        [[f"{m['count']:,}", listed(f"{k} {v:,}" for k, v in m["methods_tried"].items()),
          listed(m["allowed"]), m["endpoint"] or "", m["rule"] or "", m["source"] or ""]
         for m in data["method_not_allowed"]],
        "",
    ))

    sections.append((
        "Share of traffic by endpoint",
        ["Hits", "Redirects", "Share", "Endpoint"],
        [[f"{e['hits']:,}", f"{e['redirects']:,}", _percent(e["hits"], requests), e["endpoint"]]
         for e in data["endpoints"]],
        "",
    ))

    if data["malformed"]:
        rows = [[f"{count:,}", reason] for reason, count in data["malformed_reasons"].items()]
        examples = [_malformed_example(m) for m in data["malformed_examples"]]
        sections.append((f"Malformed lines ({data['malformed']:,})", ["Count", "Reason"], rows,
                         examples))

    # Route data and logged URLs go to a terminal: no raw control characters.
    def clean(note):
        return [one_line(line) for line in note] if isinstance(note, list) else one_line(note)

    def cell(value):
        return [one_line(v) for v in value] if isinstance(value, list) else one_line(str(value))

    return [(title, headers, [[cell(value) for value in row] for row in rows], clean(note))
            for title, headers, rows, note in sections]


def _malformed_example(example: dict) -> str:
    where = example["file"] or "request"
    if example["line"]:
        where += f":{example['line']}"
    return f"{where}: {example['reason']}: {example['text']}"


def coverage_text(data: dict, total_routes: int, top: int) -> str:
    """The summary, then each section as aligned columns ("(none)" when empty) and its
    note or examples; ends with a newline."""
    out = list(summary_lines(data, total_routes))
    for title, headers, rows, note in coverage_sections(data, top):
        out += ["", title]
        rows = [[c if isinstance(c, str) else "  ".join(c) for c in row] for row in rows]
        if rows:
            widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
            out.append("  " + "  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
            out += ["  " + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip()
                    for row in rows]
        else:
            out.append("  (none)")
        if isinstance(note, list):
            out.append("  examples:")
            out += [f"    {line}" for line in note]
        elif note:
            out.append(f"  {note}")
    return "\n".join(out) + "\n"


def _markdown_cell(text, code: bool = False) -> str:
    if not isinstance(text, str):  # a list of examples
        return " ".join(_markdown_cell(item, True) for item in text)
    text = text.replace("|", r"\|").replace("\n", " ")
    if code and text:
        # Backticks are dropped rather than escaped: GitHub renders no escape inside code.
        text = text.replace("`", "")
        return f"`{text}`"
    return text


def coverage_markdown(data: dict, total_routes: int, top: int) -> str:
    """A "# Route coverage" document: the summary as a list, then a "##" section per
    table (numbers right-aligned, rules and shapes as code, ``|`` escaped); ends with a
    newline."""
    out = ["# Route coverage", ""]
    out += [f"- {line}" for line in summary_lines(data, total_routes)]
    for title, headers, rows, note in coverage_sections(data, top):
        out += ["", f"## {title}", ""]
        if rows:
            code_columns = {i for i, h in enumerate(headers) if h in ("Rule", "Shape")}
            out.append("| " + " | ".join(headers) + " |")
            out.append("|" + "|".join("---:" if h in ("Count", "Hits", "Redirects", "Share")
                                      else "---" for h in headers) + "|")
            out += ["| " + " | ".join(_markdown_cell(c, i in code_columns)
                                      for i, c in enumerate(row)) + " |" for row in rows]
        else:
            out.append("None.")
        if isinstance(note, list):
            out += ["", "Examples:", ""]
            out += [f"- `{line.replace('`', '')}`" for line in note]
        elif note:
            out += ["", _markdown_cell(note)]
    return "\n".join(out) + "\n"
