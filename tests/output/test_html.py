"""The HTML reports (docs/coverage.md#html-report, docs/lint.md#html-report): parsed with
html.parser and checked for structure (a tree node per path prefix, a row per route, bars
of the right widths, findings with witnesses and sources), self-containment (nothing
fetched, one script allowed by hash) and escaping of hostile route data and log lines."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import table
from routecli import load
from routecli.analysis import lint
from routecli.analysis.findings import Finding, Witness
from routecli.coverage.report import CoverageReport
from routecli.output.coverage_html import coverage_html
from routecli.output.html_page import SCRIPT
from routecli.output.lint_html import lint_html
from routecli.output.route_tree import route_tree, segments

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_routes"


# ----------------------------------------------------------------------------- a tiny DOM


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str, cls: str | None = None) -> list[Node]:
        return [n for n in self.iter() if n.tag == tag and (cls is None or cls in n.classes)]

    def kids(self, tag: str, cls: str | None = None) -> list[Node]:
        return [n for n in self.children if isinstance(n, Node) and n.tag == tag
                and (cls is None or cls in n.classes)]


VOID = {"meta", "br", "col", "wbr", "img", "input", "link"}


class Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {}, None)
        self.doctype = None

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
        self.current = self.current.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(document: str) -> Node:
    parser = Parser()
    parser.feed(document)
    parser.close()
    assert parser.current is parser.root, "unclosed elements"
    assert parser.doctype == "DOCTYPE html"
    return parser.root


def assert_self_contained(document: str, dom: Node) -> None:
    """Nothing fetched: no src, no link elements, only in-page links; the one script is
    ours and the CSP allows it alone (by hash) and forbids every fetch."""
    for node in dom.iter():
        assert "src" not in node.attrs and "srcset" not in node.attrs, node.tag
        assert node.tag not in ("link", "img", "iframe", "object", "embed", "base", "form")
        assert not any(name.startswith("on") for name in node.attrs), node.attrs
        href = node.attrs.get("href")
        if href is not None:
            assert href.startswith("#"), href
        assert "url(" not in (node.attrs.get("style") or "")
    scripts = dom.find_all("script")
    assert len(scripts) == 1 and scripts[0].text() == SCRIPT
    (style,) = dom.find_all("style")
    assert "url(" not in style.text() and "@import" not in style.text()
    csp = [m.attrs["content"] for m in dom.find_all("meta")
           if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    assert csp and "default-src 'none'" in csp[0] and f"'sha256-{digest}'" in csp[0]
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:|//|data:|javascript:)",
                         document, re.I)


def tree_nodes(dom: Node) -> dict[str, Node]:
    """Tree nodes by prefix (the summary's text before the count)."""
    nodes = {}
    for node in dom.find_all("details", "node"):
        (summary,) = node.kids("summary")
        (prefix,) = [n for n in summary.children if isinstance(n, Node) and "prefix" in n.classes]
        nodes[prefix.text()] = node
    return nodes


def own_rows(node: Node) -> list[Node]:
    """The route rows of a tree node itself (not of its children)."""
    rows = []
    for tbl in node.kids("table", "routes"):
        for body in tbl.kids("tbody"):
            rows += body.kids("tr")
    return rows


def cells(row: Node) -> list[Node]:
    return row.kids("td")


def rule_of(row: Node, column: int = 4) -> str:
    return cells(row)[column].find_all("code")[0].text()


def bar_widths(cell: Node) -> dict[str, str]:
    (bar,) = cell.find_all("span", "bar")
    widths = {}
    for seg in bar.kids("span", "seg"):
        (kind,) = seg.classes - {"seg"}
        widths[kind] = re.fullmatch(r"width:(\d+\.\d%)", seg.attrs["style"]).group(1)
    return widths


# ----------------------------------------------------------------------------- the tree


def test_segments_split_on_slashes_outside_converter_arguments():
    assert segments("/") == [""]
    assert segments("/blog/") == ["blog", ""]
    assert segments("/a/<path(x/y):p>/b") == ["a", "<path(x/y):p>", "b"]
    assert segments("/items/{id:int}/x") == ["items", "{id:int}", "x"]


def test_route_tree_groups_by_parent_prefix_and_merges_empty_chains():
    rules = ["/", "/about", "/api/v1/users", "/api/v1/users/<id>", "/blog/", "/blog/<slug>"]
    root = route_tree({"rule": r} for r in rules)
    assert root.prefix == "/" and [r["rule"] for r in root.routes] == ["/", "/about"]
    assert [c.prefix for c in root.children] == ["/api/v1/", "/blog/"]  # /api/ merged away
    api, blog = root.children
    assert [r["rule"] for r in api.routes] == ["/api/v1/users"]
    assert [c.prefix for c in api.children] == ["/api/v1/users/"]
    assert [r["rule"] for r in blog.routes] == ["/blog/", "/blog/<slug>"]
    assert root.count() == len(rules)
    assert [r["rule"] for r in root.walk()] == ["/", "/about", "/api/v1/users",
                                                 "/api/v1/users/<id>", "/blog/", "/blog/<slug>"]


# ----------------------------------------------------------------------------- coverage


@pytest.fixture(scope="module")
def blog_coverage():
    tbl = load(str(SAMPLES / "blog.yaml"))
    report = CoverageReport(tbl)
    report.read([str(SAMPLES / "access.log")], "auto", None, None)
    data = report.to_dict(top=20, min_hits=1)
    return data, coverage_html(data, len(tbl))


def test_coverage_page_is_self_contained(blog_coverage):
    data, document = blog_coverage
    assert_self_contained(document, parse(document))


def test_coverage_tree_has_a_node_per_prefix_and_a_row_per_route(blog_coverage):
    data, document = blog_coverage
    dom = parse(document)
    nodes = tree_nodes(dom)
    assert set(nodes) == {"/", "/blog/", "/blog/posts/", "/blog/post/"}
    rules = {prefix: [rule_of(row) for row in own_rows(node)]
             for prefix, node in nodes.items()}
    assert rules == {"/": ["/", "/about", "/login", "/endpoint", "/endpoint"],
                     "/blog/": ["/blog/posts", "/blog/new"],
                     "/blog/posts/": ["/blog/posts/<post_id>"],
                     "/blog/post/": ["/blog/post/<int:post_id>"]}
    # nesting: /blog/posts/ sits inside /blog/, inside /
    assert nodes["/blog/posts/"].parent is nodes["/blog/"]
    assert nodes["/blog/"].parent is nodes["/"]
    assert sum(len(own_rows(n)) for n in nodes.values()) == len(data["routes"]) == 9


def test_coverage_bars_are_as_wide_as_the_share_of_the_busiest_route(blog_coverage):
    data, document = blog_coverage
    rows = [row for node in tree_nodes(parse(document)).values() for row in own_rows(node)]
    busiest = max(r["hits"] + r["redirects"] for r in data["routes"])
    assert busiest == 93
    seen = 0
    for row in rows:
        tds = cells(row)
        route = next(r for r in data["routes"] if r["rule"] == rule_of(row)
                     and r["endpoint"] == tds[5].text())
        assert tds[1].text() == str(route["hits"])
        expected = {} if not route["hits"] else {"hits": f"{100 * route['hits'] / busiest:.1f}%"}
        assert bar_widths(tds[0]) == expected
        seen += 1
    assert seen == 9
    top = next(r for r in rows if rule_of(r) == "/blog/posts/<post_id>")
    assert bar_widths(cells(top)[0]) == {"hits": "100.0%"}
    index = next(r for r in rows if rule_of(r) == "/")
    assert bar_widths(cells(index)[0]) == {"hits": "46.2%"}  # 43 of 93


def test_coverage_redirects_stack_after_hits():
    tbl = table(("/a/", "a"), ("/b", "b"))
    report = CoverageReport(tbl)
    for url in ["/a/", "/a", "/a", "/b"]:  # /a redirects to /a/ (strict slashes)
        report.add("GET", url)
    data = report.to_dict(min_hits=1)
    rows = {rule_of(r): r for n in tree_nodes(parse(coverage_html(data, 2))).values()
            for r in own_rows(n)}
    assert bar_widths(cells(rows["/a/"])[0]) == {"hits": "33.3%", "redirects": "66.7%"}
    assert bar_widths(cells(rows["/b"])[0]) == {"hits": "33.3%"}


def test_coverage_unused_routes_are_highlighted_and_listed_with_sources(blog_coverage):
    data, document = blog_coverage
    dom = parse(document)
    unused = [row for node in tree_nodes(dom).values() for row in own_rows(node)
              if "unused" in row.classes]
    assert [cells(r)[4].text() for r in unused] == ["/about unused"]  # rule, then the badge
    assert cells(unused[0])[4].find_all("span", "badge")[0].text() == "unused"
    (listing,) = dom.find_all("table", "unused-list")
    (row,) = listing.kids("tbody")[0].kids("tr")
    texts = [c.text() for c in cells(row)]
    assert texts[:3] == ["/about", "about", "GET"]
    assert texts[3].endswith("sample_routes/blog.yaml:12")
    summaries = [s.text() for s in dom.find_all("summary")]
    assert "Unused routes (1)" in summaries


def test_coverage_404_shapes_have_bars_and_examples(blog_coverage):
    data, document = blog_coverage
    dom = parse(document)
    section = next(d for d in dom.find_all("details")
                   if d.kids("summary")[0].text().startswith("Unmatched requests (404)"))
    rows = section.find_all("tbody")[0].kids("tr")
    assert len(rows) == len(data["unmatched"])
    first = cells(rows[0])
    assert first[3].text() == "/api/v1/users/<int>/avatar"
    assert bar_widths(first[0]) == {"hits": "100.0%"}
    assert [c.text() for c in first[4].find_all("code")] == data["unmatched"][0]["examples"]


HOSTILE = ['</script><script>alert(1)</script>', '"onmouseover="alert(1)', "'><img src=x>",
           "bidi\u202eevil", "esc\x1b[2Jape", "nl\nbreak", "amp&lt;"]


def _assert_escaped(document: str, dom: Node) -> None:
    assert_self_contained(document, dom)
    assert "<script>alert" not in document and "<img" not in document
    for char in "\u202e\x1b\x00":
        assert char not in document
    text = dom.text()
    assert "</script><script>alert(1)</script>" in text  # shown as text
    assert "bidi\\u202eevil" in text and "esc\\x1b[2Jape" in text
    assert "amp&lt;" in text  # an entity in the data stays data


def test_coverage_escapes_hostile_route_data_and_log_lines():
    data = {
        "lines": 3, "requests": 2, "malformed": 1, "skipped": 0, "min_hits": 1, "used_routes": 1,
        "status": {"200": 1, "308": 0, "404": 1, "405": 0},
        "routes": [{"rule": f"/{h}", "endpoint": h, "methods": [h], "source": f"{h}:1",
                    "hits": 1, "redirects": 0} for h in HOSTILE[:1]]
        + [{"rule": "/u", "endpoint": h, "methods": ["GET"], "source": None, "hits": 0,
            "redirects": 0} for h in HOSTILE],
        "unused": [{"rule": "/u", "endpoint": h, "source": None} for h in HOSTILE],
        "unmatched": [{"shape": HOSTILE[0], "count": 1, "examples": HOSTILE}],
        "unmatched_other": 0,
        "method_not_allowed": [{"rule": HOSTILE[1], "endpoint": HOSTILE[2], "source": HOSTILE[3],
                                "routes": [], "allowed": [HOSTILE[4]],
                                "methods_tried": {HOSTILE[5]: 1}, "count": 1}],
        "endpoints": [{"endpoint": h, "hits": 1, "redirects": 0, "share": 0.5} for h in HOSTILE],
        "malformed_reasons": {HOSTILE[0]: 1},
        "malformed_examples": [{"file": HOSTILE[1], "line": 3, "reason": HOSTILE[3],
                                "text": "\x16\x03" + HOSTILE[0]}],
        "formats": {}, "bytes_read": 10,
    }
    document = coverage_html(data, len(data["routes"]))
    _assert_escaped(document, parse(document))


# ----------------------------------------------------------------------------- lint


@pytest.fixture(scope="module")
def demo_lint():
    tbl = load(str(SAMPLES / "lint_demo.yaml"))
    report = lint(tbl)
    return tbl, report.findings, lint_html(report.findings, tbl)


def test_lint_page_is_self_contained(demo_lint):
    _, _, document = demo_lint
    assert_self_contained(document, parse(document))


def test_lint_findings_show_witness_routes_and_source_lines(demo_lint):
    tbl, findings, document = demo_lint
    dom = parse(document)
    articles = dom.find_all("article", "finding")
    assert len(articles) == len(findings) >= 4
    codes = {f.code for f in findings}
    assert {"RL101", "RL103"} <= codes
    shown = {a.find_all("strong")[0].text() for a in articles}
    assert shown == codes
    duplicate = next(a for a in articles if a.find_all("strong")[0].text() == "RL101")
    assert "error" in duplicate.classes
    (witness,) = duplicate.find_all("div", "witness")
    assert "GET /blog/1 -> answered by show_post" in witness.text()
    assert "routecli match GET /blog/1" in witness.text()
    items = duplicate.find_all("li")
    sources = [li.find_all("code", "source")[0].text() for li in items]
    assert [s.rsplit("/", 1)[1] for s in sources] == ["lint_demo.yaml:13", "lint_demo.yaml:11"]
    lines = [li.find_all("code", "source-line")[0].text() for li in items]
    assert lines == ["   13 |   - rule: /blog/<int:post_id>", "   11 |   - rule: /blog/<int:post_id>"]


def test_lint_tree_marks_each_route_with_its_findings(demo_lint):
    tbl, findings, document = demo_lint
    dom = parse(document)
    anchors = {a.attrs["id"] for a in dom.find_all("article", "finding")}
    nodes = tree_nodes(dom)
    assert set(nodes) == {"/", "/blog/", "/p/", "/orders/", "/users/"}
    rows = [row for node in nodes.values() for row in own_rows(node)]
    assert len(rows) == len(tbl) == 9
    by_rule = {(cells(r)[2].text(), cells(r)[3].text()): r for r in rows}
    index = by_rule[("/", "index")]
    assert cells(index)[0].find_all("a") == [] and not index.classes
    unreachable = by_rule[("/orders/<uuid:order_id>", "order_by_uuid")]
    links = cells(unreachable)[0].find_all("a")
    assert sorted(a.text() for a in links) == ["RL102", "RL103"]
    assert all(a.attrs["href"][1:] in anchors for a in links)
    assert "sev-error" in unreachable.classes  # the worst of its findings
    tie = by_rule[("/p/<name>", "page")]
    assert "sev-warning" in tie.classes
    assert cells(tie)[4].text().endswith("sample_routes/lint_demo.yaml:19")


def test_lint_escapes_hostile_route_data_and_messages():
    tbl = table(*[(f"/h{i}/" + h.replace("<", "").replace(">", "").replace("/", "")
                   .replace("\n", ""), h) for i, h in enumerate(HOSTILE)])
    rules = list(tbl)
    findings = [Finding("RL101", "error", f"`{h}` and {h}", rules[i:i + 2],
                        witness=Witness(HOSTILE[0], "/" + h), answered_by=h)
                for i, h in enumerate(HOSTILE)]
    document = lint_html(findings, tbl, source_line=lambda file, line: HOSTILE[0])
    _assert_escaped(document, parse(document))


def test_lint_page_without_findings_says_so():
    tbl = table(("/a", "a"))
    dom = parse(lint_html([], tbl))
    assert "No findings." in dom.text()
    assert len(own_rows(tree_nodes(dom)["/"])) == 1
