"""One self-contained HTML page: the shell the HTML reports (coverage, lint) are written in.

The page loads nothing: its CSS and its one small script are inline, and its
Content-Security-Policy forbids every fetch and every script but that one (by hash), so
even a value that slipped through escaping could not run or phone home. Everything works
with scripts off: sections fold with ``<details>``; the script only adds "expand all" and
"collapse all" buttons.

Every value that comes from route data or logs goes through :func:`text`: escaped for
HTML (``<``, ``&`` and both quotes), and first made one line with control, bidi and other
invisible characters shown as escapes (``\\u202e``), as on a terminal.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from routecli.output.text import one_line


def text(value: object) -> str:
    """``value`` as HTML text or attribute content: one line, invisible characters shown
    as escapes, markup characters escaped."""
    return html.escape(one_line(str(value)), quote=True)


def code(value: object, css: str = "") -> str:
    """``value`` as ``<code>``."""
    cls = f' class="{css}"' if css else ""
    return f"<code{cls}>{text(value)}</code>"


def path(value: object, prefix: str = "") -> str:
    """A rule or URL path as ``<code>`` that a narrow column wraps after a ``/``, never
    inside a segment (unless one segment alone is wider than the column); a leading
    ``prefix`` (the tree node it sits in) is dimmed."""
    value = str(value)

    def wrapped(part: str) -> str:
        return "/<wbr>".join(text(piece) for piece in part.split("/"))

    if len(prefix) > 1 and value.startswith(prefix) and value != prefix:
        return (f'<code class="path"><span class="dim">{wrapped(prefix)}</span>'
                f"{wrapped(value[len(prefix):])}</code>")
    return f'<code class="path">{wrapped(value)}</code>'


def name(value: object) -> str:
    """An endpoint or other identifier as text that a narrow column wraps after a ``_`` or
    a ``.`` rather than anywhere."""
    return text(value).replace("_", "_<wbr>").replace(".", ".<wbr>")


def source(value: object | None) -> str:
    """A ``file:line`` (or nothing), dimmed, wrapping after a ``/`` when it must."""
    if not value:
        return ""
    return ('<code class="source">' + "/<wbr>".join(text(p) for p in str(value).split("/"))
            + "</code>")


def width(part: float, whole: float) -> str:
    """A bar width: ``part`` of ``whole`` in percent, one decimal (``"37.5%"``)."""
    return f"{100 * part / whole:.1f}%" if whole > 0 else "0.0%"


def bar(segments: Sequence[tuple[float, str]], whole: float, label: str) -> str:
    """A horizontal bar of stacked ``(amount, css class)`` segments, each as wide as its
    share of ``whole``; ``label`` says it in words (a tooltip, and for screen readers)."""
    spans = "".join(f'<span class="seg {css}" style="width:{width(amount, whole)}"></span>'
                    for amount, css in segments if amount)
    return f'<span class="bar" role="img" title="{text(label)}" aria-label="{text(label)}">{spans}</span>'


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], css: str = "compact",
          numeric: Iterable[int] = ()) -> str:
    """A table of cells that are already HTML; ``numeric`` columns align right."""
    numeric = set(numeric)

    def cell(tag: str, i: int, content: str) -> str:
        return f'<{tag} class="num">{content}</{tag}>' if i in numeric else f"<{tag}>{content}</{tag}>"

    head = "".join(cell("th", i, text(h)) for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>"
                   for row in rows)
    cls = f' class="{css}"' if css else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def section(title: str, body: str, *, open_: bool = True, css: str = "") -> str:
    """A foldable section: ``<details>`` with the title as its summary."""
    cls = f' class="{css}"' if css else ""
    opened = " open" if open_ else ""
    return (f'<details{cls}{opened}><summary><h2>{text(title)}</h2></summary>'
            f'<div class="body">{body}</div></details>')


SCRIPT = """\
(function () {
  var bar = document.getElementById("toolbar");
  if (!bar) { return; }
  function all(open) {
    var nodes = document.querySelectorAll("details");
    for (var i = 0; i < nodes.length; i++) { nodes[i].open = open; }
  }
  [["Expand all", true], ["Collapse all", false]].forEach(function (item) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = item[0];
    button.addEventListener("click", function () { all(item[1]); });
    bar.appendChild(button);
  });
})();
"""

_SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()

# No fetch of any kind; inline styles (bar widths) and the one script above only.
CSP = (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{_SCRIPT_HASH}'; "
       "base-uri 'none'; form-action 'none'")

CSS = """\
:root { --fg: #1f2328; --dim: #656d76; --line: #d0d7de; --bg: #fff; --panel: #f6f8fa;
  --hit: #2f81f7; --redirect: #a5c8ff; --error: #cf222e; --error-bg: #ffebe9;
  --warning: #9a6700; --warning-bg: #fff8c5; --info: #0969da; --info-bg: #ddf4ff;
  --unused: #cf222e; --unused-bg: #ffebe9; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --dim: #8d96a0; --line: #30363d; --bg: #0d1117; --panel: #161b22;
    --hit: #2f81f7; --redirect: #1f4f8f; --error: #ff7b72; --error-bg: #3c1618;
    --warning: #d29922; --warning-bg: #3a2d0b; --info: #58a6ff; --info-bg: #0c2d4f;
    --unused: #ff7b72; --unused-bg: #3c1618; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 16px 24px 48px; color: var(--fg);
  background: var(--bg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { display: inline; font-size: 17px; margin: 0; }
code, .mono { font: 12.5px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  overflow-wrap: anywhere; }
.dim, code.source { color: var(--dim); }
.summary { margin: 4px 0 12px; padding: 0; list-style: none; }
.summary li { margin: 2px 0; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0 16px; }
.chip { border: 1px solid var(--line); border-radius: 12px; padding: 1px 10px;
  background: var(--panel); }
#toolbar { margin: 0 0 12px; display: flex; gap: 8px; }
#toolbar button { font: inherit; padding: 2px 10px; border: 1px solid var(--line);
  border-radius: 6px; background: var(--panel); color: var(--fg); cursor: pointer; }
details { margin: 0; }
summary { cursor: pointer; padding: 4px 0; }
body > details { border-top: 1px solid var(--line); padding: 8px 0; }
.body { padding: 4px 0 8px; }
.body > p:first-child { margin-top: 2px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0; }
th, td { text-align: left; vertical-align: top; padding: 3px 8px;
  border-bottom: 1px solid var(--line); }
th { font-weight: 600; color: var(--dim); font-size: 12.5px; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.tree details.node { margin-left: 0; }
.tree details.node details.node { margin-left: 18px; border-left: 1px solid var(--line);
  padding-left: 8px; }
.tree summary .prefix { font-weight: 600; }
.tree summary .count { color: var(--dim); margin-left: 8px; font-size: 12.5px; }
table.routes { table-layout: fixed; }
table.routes col.c-bar { width: 166px; }
table.routes col.c-num { width: 76px; }
table.routes col.c-methods { width: 110px; }
table.routes col.c-endpoint { width: 19%; }
table.routes col.c-source { width: 23%; }
table.routes col.c-flags { width: 150px; }
table.routes td { overflow-wrap: anywhere; }
table.compact { width: auto; min-width: 60%; }

.bar { display: flex; width: 150px; height: 12px; margin-top: 3px; background: var(--panel);
  border: 1px solid var(--line); border-radius: 3px; overflow: hidden; }
.bar .seg { display: block; height: 100%; }
.hits { background: var(--hit); }
.redirects { background: var(--redirect); }
.key { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
  vertical-align: middle; }
tr.unused td { background: var(--unused-bg); }
tr.sev-error td { background: var(--error-bg); }
tr.sev-warning td { background: var(--warning-bg); }
tr.sev-info td { background: var(--info-bg); }
.badge { display: inline-block; border-radius: 10px; padding: 0 7px; font-size: 12px;
  font-weight: 600; white-space: nowrap; margin: 1px 2px 1px 0; text-decoration: none; }
.badge.unused, .badge.error { color: #fff; background: var(--error); }
.badge.warning { color: #fff; background: var(--warning); }
.badge.info { color: #fff; background: var(--info); }
.badge.build-only { color: var(--dim); border: 1px solid var(--line); }
.finding { border: 1px solid var(--line); border-left: 4px solid var(--dim);
  border-radius: 6px; padding: 8px 12px; margin: 8px 0; background: var(--bg); }
.finding.error { border-left-color: var(--error); }
.finding.warning { border-left-color: var(--warning); }
.finding.info { border-left-color: var(--info); }
.finding:target { outline: 2px solid var(--hit); }
.finding h3 { font-size: 14px; margin: 0 0 4px; }
.finding h3 .dim { font-weight: 400; }
.finding .message { margin: 2px 0 6px; }
.witness { background: var(--panel); border-radius: 4px; padding: 4px 8px; margin: 4px 0; }
.finding ul { margin: 4px 0; padding-left: 18px; }
.source-line { display: block; white-space: pre-wrap; color: var(--dim); }
.examples code { display: inline-block; margin-right: 10px; }
.empty { color: var(--dim); font-style: italic; }
"""


def page(title: str, body: str) -> str:
    """The whole document around ``body`` (HTML), with ``title`` escaped."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="routecli">'
        f"<title>{text(title)}</title><style>{CSS}</style></head>\n"
        f'<body><h1>{text(title)}</h1><div id="toolbar"></div>\n{body}\n'
        f"<script>{SCRIPT}</script></body></html>\n"
    )


def tree(root, columns: Sequence[tuple[str, str]],
         row: Callable[[Any, str], tuple[str, list[str]]],
         note: Callable[[Any], str] = lambda node: "", open_routes: int = 300) -> str:
    """A :class:`~routecli.output.route_tree.PrefixNode` tree as nested ``<details>``: each
    node's summary is its prefix (the parent's part dimmed), its route count and ``note``
    (HTML); then a table of its own routes, one ``row(route, prefix)`` each (``(css class,
    cells)``, cells as HTML) under ``columns`` (``(header, css class of its <col>)``); then its
    children. Every node starts open, unless the table has over ``open_routes`` routes:
    then only the first two levels do."""
    everything_open = root.count() <= open_routes
    colgroup = "<colgroup>" + "".join(f'<col class="{css}">' for _, css in columns) + "</colgroup>"
    numeric = [css == "c-num" for _, css in columns]
    head = "<thead><tr>" + "".join(
        f'<th class="num">{text(title)}</th>' if n else f"<th>{text(title)}</th>"
        for (title, _), n in zip(columns, numeric)) + "</tr></thead>"

    def cells(css: str, content: list[str]) -> str:
        tds = "".join(f'<td class="num">{c}</td>' if n else f"<td>{c}</td>"
                      for c, n in zip(content, numeric))
        return f'<tr class="{css}">{tds}</tr>' if css else f"<tr>{tds}</tr>"

    def node_html(node, parent: str, depth: int) -> str:
        count = node.count()
        shown = (f'<span class="dim">{text(parent)}</span>{text(node.prefix[len(parent):])}'
                 if parent and node.prefix.startswith(parent) else text(node.prefix))
        opened = " open" if everything_open or depth < 2 else ""
        out = [f'<details class="node"{opened}><summary><span class="prefix mono">{shown}</span>'
               f'<span class="count">{count:,} route{"" if count == 1 else "s"}{note(node)}'
               f"</span></summary>"]
        if node.routes:
            out.append(f'<table class="routes">{colgroup}{head}<tbody>'
                       + "".join(cells(*row(route, node.prefix)) for route in node.routes)
                       + "</tbody></table>")
        out += [node_html(child, node.prefix, depth + 1) for child in node.children]
        out.append("</details>")
        return "".join(out)

    return f'<div class="tree">{node_html(root, "", 0)}</div>'
