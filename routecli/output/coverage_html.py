"""The coverage report (``routecli coverage --format html``) as one self-contained page.

Takes the report's JSON (``CoverageReport.to_dict()``, docs/coverage.md), like the text
and markdown formats: the summary, the route table as a tree by path prefix with a bar per
route (hits, then redirects, as wide as their share of the busiest route's), unused routes
highlighted and listed with their sources, then the 404 shapes, the 405s, the traffic per
endpoint and the malformed lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from routecli.output.coverage import _methods, _percent, summary_lines
from routecli.output.html_page import (
    bar,
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
from routecli.output.route_tree import route_tree

ROUTE_COLUMNS = [("Traffic", "c-bar"), ("Hits", "c-num"), ("Redirects", "c-num"),
                 ("Methods", "c-methods"), ("Rule", ""), ("Endpoint", "c-endpoint"),
                 ("Source", "c-source")]


def _key(route: Mapping[str, Any]) -> tuple:
    return (route["rule"], route["endpoint"], route["source"])


def _traffic(route: Mapping[str, Any]) -> int:
    return route["hits"] + route["redirects"]


def coverage_html(data: Mapping[str, Any], total_routes: int) -> str:
    """The whole page (a string ending with a newline)."""
    unused = {_key(entry) for entry in data["unused"]}
    busiest = max((_traffic(r) for r in data["routes"]), default=0)
    requests = data["requests"]
    under = ("unused" if data["min_hits"] == 1 else f"under {data['min_hits']:,} hits")

    def route_row(route: Mapping[str, Any], prefix: str) -> tuple[str, list[str]]:
        label = (f"{route['hits']:,} hits, {route['redirects']:,} redirects, "
                 f"{_percent(route['hits'], requests)} of requests")
        flag, css = "", ""
        if _key(route) in unused:
            flag, css = f' <span class="badge unused">{text(under)}</span>', "unused"
        elif _traffic(route) < data["min_hits"]:
            flag = ' <span class="badge build-only">build only</span>'
        return css, [
            bar([(route["hits"], "hits"), (route["redirects"], "redirects")], busiest, label),
            f"{route['hits']:,}", f"{route['redirects']:,}",
            text(_methods(route["methods"])), path(route["rule"], prefix) + flag,
            name(route["endpoint"]), source(route["source"]),
        ]

    def node_note(node) -> str:
        routes = list(node.walk())
        hits = sum(r["hits"] for r in routes)
        idle = sum(1 for r in routes if _key(r) in unused)
        note = f" · {hits:,} hits"
        if idle:
            note += f' · <span class="badge unused">{idle:,} {text(under)}</span>'
        return note

    # The summary's lines read and routes used; the status line becomes chips.
    lines, _status, routes_line = summary_lines(data, total_routes)
    parts = [f'<ul class="summary"><li>{text(lines)}</li><li>{text(routes_line)}</li></ul>',
             '<div class="chips">' + "".join(
                 f'<span class="chip">{text(status)}: {count:,} '
                 f'({_percent(count, requests)})</span>'
                 for status, count in data["status"].items()) + "</div>"]
    legend = ('<p class="dim">Each bar: the route\'s hits <span class="key hits"></span> then '
              'redirects <span class="key redirects"></span>, against the busiest route.</p>')
    parts.append(section(f"Routes ({len(data['routes']):,})",
                         legend + tree(route_tree(data["routes"]), ROUTE_COLUMNS, route_row,
                                       node_note),
                         css="routes-section"))
    parts.append(_unused_section(data))
    parts.append(_unmatched_section(data))
    parts.append(_not_allowed_section(data))
    parts.append(_endpoints_section(data))
    if data["malformed"]:
        parts.append(_malformed_section(data))
    return page("Route coverage", "\n".join(parts))


def _unused_section(data: Mapping[str, Any]) -> str:
    methods = {_key(r): r["methods"] for r in data["routes"]}
    rows = [[path(e["rule"]), text(e["endpoint"]), text(_methods(methods.get(_key(e), []))),
             source(e["source"])] for e in data["unused"]]
    title = ("Unused routes" if data["min_hits"] == 1
             else f"Routes with fewer than {data['min_hits']:,} hits") + f" ({len(rows):,})"
    if not rows:
        return section(title, '<p class="empty">None: every route answered requests.</p>')
    return section(title, table(["Rule", "Endpoint", "Methods", "Source"], rows, "unused-list"),
                   css="unused-section")


def _unmatched_section(data: Mapping[str, Any]) -> str:
    shapes = data["unmatched"]
    most = max((u["count"] for u in shapes), default=0)
    rows = [[bar([(u["count"], "hits")], most, f"{u['count']:,} requests"),
             f"{u['count']:,}", _percent(u["count"], data["requests"]), path(u["shape"]),
             '<span class="examples">' + "".join(path(e) for e in u["examples"]) + "</span>"]
            for u in shapes]
    body = (table(["", "Count", "Share", "Shape", "Examples"], rows, numeric=(1, 2)) if rows
            else '<p class="empty">None.</p>')
    if data["unmatched_other"]:
        body += f'<p class="dim">{data["unmatched_other"]:,} more 404s in other shapes</p>'
    return section(f"Unmatched requests (404) by shape ({data['status'].get('404', 0):,})", body)


def _not_allowed_section(data: Mapping[str, Any]) -> str:
    rows = [[f"{m['count']:,}",
             text(", ".join(f"{k} {v:,}" for k, v in m["methods_tried"].items())),
             text(", ".join(m["allowed"])), text(m["endpoint"] or ""), path(m["rule"] or ""),
             source(m["source"])] for m in data["method_not_allowed"]]
    body = (table(["Count", "Methods tried", "Allowed", "Endpoint", "Rule", "Source"], rows,
                  numeric=(0,)) if rows else '<p class="empty">None.</p>')
    return section(f"Method not allowed (405) by route ({data['status'].get('405', 0):,})", body)


def _endpoints_section(data: Mapping[str, Any]) -> str:
    endpoints = data["endpoints"]
    most = max((e["hits"] + e["redirects"] for e in endpoints), default=0)
    rows = [[bar([(e["hits"], "hits"), (e["redirects"], "redirects")], most,
                 f"{e['hits']:,} hits, {e['redirects']:,} redirects"),
             f"{e['hits']:,}", f"{e['redirects']:,}", _percent(e["hits"], data["requests"]),
             text(e["endpoint"])] for e in endpoints]
    body = (table(["", "Hits", "Redirects", "Share", "Endpoint"], rows, numeric=(1, 2, 3))
            if rows else '<p class="empty">None.</p>')
    return section("Share of traffic by endpoint", body)


def _malformed_section(data: Mapping[str, Any]) -> str:
    rows = [[f"{count:,}", text(reason)] for reason, count in data["malformed_reasons"].items()]
    examples = "".join(
        f"<li>{text(e['file'] or 'request')}{':' + str(e['line']) if e['line'] else ''}: "
        f"{text(e['reason'])}: {code(e['text'])}</li>" for e in data["malformed_examples"])
    body = table(["Count", "Reason"], rows, numeric=(0,))
    if examples:
        body += f'<p class="dim">Examples:</p><ul>{examples}</ul>'
    return section(f"Malformed lines ({data['malformed']:,})", body)
