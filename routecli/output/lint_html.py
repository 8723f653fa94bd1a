"""The lint report (``routecli lint --format html``) as one self-contained page.

The findings first, each with its severity, rule, message, witness request (the answer it
gets, and the ``routecli match`` line that replays it) and every route involved with its
source and, when the file can be read, the source line; then the counts per rule; then the
whole route table as a tree by path prefix, each route marked with the findings it is in
(linking to them) and coloured by the worst one.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from routecli.analysis.findings import SEVERITY_RANK, Finding
from routecli.output.html_page import (
    code,
    name,
    page,
    path,
    section,
    source,
    table,
    text,
    tree,
)
from routecli.output.lint import (
    SourceLines,
    describe_witness,
    sort_findings,
    statistics,
    summary_line,
)
from routecli.output.route_tree import route_tree
from routecli.routing.serialize import route_ref

ROUTE_COLUMNS = [("Findings", "c-flags"), ("Methods", "c-methods"), ("Rule", ""),
                 ("Endpoint", "c-endpoint"), ("Source", "c-source")]


def _key(ref: Mapping[str, Any]) -> tuple:
    return (ref["rule"], ref["endpoint"], ref["source"], tuple(ref["methods"]))


def _methods(methods: Sequence[str]) -> str:
    return "ANY" if list(methods) == ["*"] else ", ".join(methods)


def _message(message: str) -> str:
    """A finding's message, its `quoted` parts (rules, endpoints) as code."""
    parts = message.split("`")
    if len(parts) % 2 == 0:  # an odd backtick: show it as it is
        return text(message)
    return "".join(code(part) if i % 2 else text(part) for i, part in enumerate(parts))


def _badge(severity: str, label: str, href: str = "") -> str:
    if href:
        return f'<a class="badge {severity}" href="#{href}">{text(label)}</a>'
    return f'<span class="badge {severity}">{text(label)}</span>'


def lint_html(findings: Sequence[Finding], table_routes: Iterable, *, noqa: int = 0,
              baselined: int = 0, stale: int = 0, rules: Mapping[str, Any] | None = None,
              source_line: Callable[[str, int | None], str | None] | None = None) -> str:
    """The whole page (a string ending with a newline). ``table_routes`` are the table's
    compiled rules; ``source_line(file, line)`` reads a route's source line (default:
    :class:`~routecli.output.lint.SourceLines`; ``lambda file, line: None`` for none)."""
    if source_line is None:
        source_line = SourceLines()
    refs = [route_ref(rule) for rule in table_routes]
    ordered = sort_findings(findings)
    anchors = {id(finding): f"f{i}" for i, finding in enumerate(ordered, 1)}
    in_findings: dict[tuple, list[Finding]] = {}
    for finding in ordered:
        for rule in finding.routes:
            in_findings.setdefault(_key(route_ref(rule)), []).append(finding)

    summary = summary_line(findings, len(refs), noqa=noqa, baselined=baselined, stale=stale)
    counts = {severity: 0 for severity in ("error", "warning", "info")}
    for finding in findings:
        counts[finding.severity] += 1
    parts = [f'<ul class="summary"><li>{text(summary)}</li></ul>',
             '<div class="chips">' + "".join(
                 f'<span class="chip">{_badge(severity, severity)} {count:,}</span>'
                 for severity, count in counts.items() if count) + "</div>"]

    items = [_finding_html(f, anchors[id(f)], rules, source_line) for f in ordered]
    parts.append(section(f"Findings ({len(ordered):,})", "".join(items) if items else
                         '<p class="empty">No findings.</p>', css="findings"))

    rows = [[code(row["code"]), text(row["name"]), _badge(row["severity"], row["severity"]),
             f"{row['count']:,}"] for row in statistics(findings, rules)]
    if rows:
        parts.append(section("Findings per rule", table(["Code", "Rule", "Severity", "Count"],
                                                        rows, numeric=(3,))))

    def route_row(ref: Mapping[str, Any], prefix: str) -> tuple[str, list[str]]:
        mine = in_findings.get(_key(ref), [])
        badges = "".join(_badge(f.severity, f.code, anchors[id(f)]) for f in mine)
        worst = max((f.severity for f in mine), key=SEVERITY_RANK.get, default=None)
        return (f"sev-{worst}" if worst else ""), [
            badges, text(_methods(ref["methods"])), path(ref["rule"], prefix), name(ref["endpoint"]),
            source(ref["source"]),
        ]

    def node_note(node) -> str:
        involved = sum(1 for ref in node.walk() if _key(ref) in in_findings)
        return f" · {involved:,} in findings" if involved else ""

    parts.append(section(f"Routes ({len(refs):,})",
                         tree(route_tree(refs), ROUTE_COLUMNS, route_row, node_note),
                         css="routes-section"))
    return page("Route lint report", "\n".join(parts))


def _finding_html(finding: Finding, anchor: str, rules: Mapping[str, Any] | None,
                  source_line: Callable[[str, int | None], str | None]) -> str:
    if rules is None:
        from routecli.analysis.registry import RULES as rules
    name = getattr(rules.get(finding.code), "name", "")
    where = finding.source
    head = (f'{_badge(finding.severity, finding.severity)} <strong>{text(finding.code)}</strong>'
            f' <span class="dim">{text(name)}</span>'
            + (f' <span class="dim">at</span> {source(where)}' if where else ""))
    out = [f'<article class="finding {finding.severity}" id="{anchor}"><h3>{head}</h3>',
           f'<p class="message">{_message(finding.message)}</p>']
    witness = describe_witness(finding)
    if witness is not None:
        replay = f"routecli match {shlex.quote(finding.witness.method)} {shlex.quote(finding.witness.url)}"
        out.append(f'<div class="witness">Witness: {code(witness)}<br>'
                   f'<span class="dim">replay:</span> {code(replay)}</div>')
    out.append("<ul>")
    for rule in finding.routes:
        ref = route_ref(rule)
        line = (source_line(rule.source.file, rule.source.line)
                if rule.source is not None else None)
        out.append(f"<li>{path(ref['rule'])} ({text(ref['endpoint'])}, "
                   f"{text(_methods(ref['methods']))})"
                   + (f' <span class="dim">at</span> {source(ref["source"])}'
                      if ref["source"] else "")
                   + (f'<code class="source-line">{rule.source.line:>5} | {text(line.rstrip())}'
                      f"</code>" if line is not None else "")
                   + "</li>")
    out.append("</ul></article>")
    return "".join(out)
