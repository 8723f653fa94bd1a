"""conflicts/lint with strict_slashes off: the URLs a route answers with its slash toggled.

A non-strict leaf ``/bar`` also answers ``/bar/`` and a non-strict branch ``/foo/`` also
answers ``/foo`` (routecli.analysis.slashes). docs/lint.md#conflicts: ``conflicts`` lists every pair of
routes that can answer the same request, so these pairs are listed too, classified, and
proven by a witness the table (and Flask) answers as claimed.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest

from flask_oracle import FlaskOracle
from helpers import slash_matches
from routecli.analysis import conflicts, lint
from routecli.analysis.engine import Analysis
from routecli.analysis.slash_forms import slash_form
from routecli.routing.werkzeug.explain import pattern_values
from routecli.routing.werkzeug.table import RouteTable

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from bench_lint import generate

NS = {"strict_slashes": False}
SLUG = {"slug": {"regex": "[a-z-]+"}}


def data(*rules, converters=None, **settings):
    routes = [{"rule": rule, "endpoint": endpoint, **options}
              for rule, endpoint, options in rules]
    out = {"routes": routes}
    if converters:
        out["converters"] = converters
    if settings:
        out["settings"] = settings
    return out



def check_witnesses(spec, report, tbl):
    """Every pair finding's witness is matched by both routes (slash behaviour included),
    and table.match and Flask both answer it as ``answered_by`` says."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        oracle = FlaskOracle(spec)
    assert report.stats["model_disagreements"] == 0
    for finding in report.findings:
        witness = finding.witness
        if witness is None:
            continue
        result = tbl.match(witness.method, witness.url, witness.host)
        assert result.endpoint == finding.answered_by
        assert oracle.match(witness.method, witness.url, witness.host)["endpoint"] == \
            finding.answered_by
        if finding.code in ("RL107", "RL108"):
            continue
        segments = [tbl.bind(result.host).domain, *result.path.split("/")]
        for rule in finding.routes:
            assert slash_matches(rule, segments), (finding.code, rule.rule, witness)


def codes(report) -> set:
    return {f.code for f in report.findings}


# (id, route data, conflicts codes, lint codes, (code, method, url, answered_by))
BRIEF = [
    # The branch answers /a non-strictly; the two transitions have equal weights, so the
    # one created first wins: an order-dependent tie.
    ("branch-vs-leaf-tie",
     data(("/<x>", "x", {}), ("/<string(length=1):x>/", "b", NS)),
     {"RL102"}, {"RL102"}, ("RL102", "GET", "/x", "x")),
    ("tie-reversed",
     data(("/<string(length=1):x>/", "b", NS), ("/<x>", "x", {})),
     {"RL102"}, {"RL102", "RL108"}, ("RL102", "GET", "/x", "b")),
    # Both answer /p/a/a.a (the branch without its slash); neither is narrower.
    ("tail-crossed",
     data(("/p/<path:p>/a.<x>", "a", {}), ("/p/<slug:s>/<path:q>/", "b", NS), converters=SLUG),
     {"RL105"}, {"RL105"}, ("RL105", "GET", "/p/a/a.a", "a")),
    # The non-strict leaf also answers POST /a/, which the static branch takes first.
    ("any-leaf-vs-static-branch",
     data(("/<any(a,b):x>", "any", {**NS, "methods": ["POST"]}), ("/a/", "a", {"methods": ["POST"]})),
     {"RL104"}, {"RL108"}, ("RL104", "POST", "/a/", "a")),
    # Slash twins where the branch is non-strict: the leaf answers /x.json first.
    ("twins-json",
     data(("/<x>.json", "j", {}), ("/<x>.json/", "js", NS)),
     {"RL104"}, {"RL107"}, ("RL104", "GET", "/x.json", "j")),
]


@pytest.mark.parametrize("case", BRIEF, ids=[case[0] for case in BRIEF])
def test_nonstrict_overlaps_are_listed(case):
    _, spec, conflict_codes, lint_codes, (code, method, url, answered_by) = case
    tbl = RouteTable.from_data(spec)
    listing = conflicts(tbl)
    assert codes(listing) == conflict_codes, [f.message for f in listing.findings]
    found = [f for f in listing.findings if f.code == code][0]
    assert (found.witness.method, found.witness.url) == (method, url)
    assert found.answered_by == answered_by
    assert "strict_slashes is off" in found.message
    assert found.details["slash_form"]
    report = lint(tbl)
    assert codes(report) == lint_codes, [f.message for f in report.findings]
    check_witnesses(spec, listing, tbl)
    check_witnesses(spec, report, tbl)


@pytest.mark.parametrize("leaf,branch", [(NS, {}), (NS, NS), ({}, NS)],
                         ids=["leaf-nonstrict", "both", "branch-nonstrict"])
def test_slash_twins_are_a_specialisation(leaf, branch):
    spec = data(("/a", "leaf", leaf), ("/a/", "branch", branch))
    tbl = RouteTable.from_data(spec)
    listing = conflicts(tbl)
    assert codes(listing) == {"RL104"}
    # Each answers its own pattern's URLs: nothing is unreachable, nothing crossed.
    assert codes(lint(tbl)) == {"RL107"}
    assert tbl.match("GET", "/a").endpoint == "leaf"
    assert tbl.match("GET", "/a/").endpoint == "branch"
    check_witnesses(spec, listing, tbl)


def test_route_dead_through_a_slash_form():
    # /a and /b go to the non-strict branch (its transition was created first).
    spec = data(("/<string(length=1):y>/", "b", NS), ("/<any(a,b):x>", "any", {}))
    tbl = RouteTable.from_data(spec)
    report = lint(tbl)
    assert codes(report) == {"RL102", "RL103", "RL108"}
    dead = [f for f in report.findings if f.code == "RL103"][0]
    assert dead.routes[0].endpoint == "any"
    assert dead.answered_by == "b"
    check_witnesses(spec, report, tbl)


def test_non_strict_leaf_dead_only_when_its_slash_form_is_taken_too():
    spec = data(("/<x>", "x", NS), ("/<y>/", "y", {}), ("/<string(length=1):z>", "z", NS))
    tbl = RouteTable.from_data(spec)
    report = lint(tbl)
    dead = [f for f in report.findings if f.code == "RL103"]
    assert [f.routes[0].endpoint for f in dead] == ["z"]  # /a -> x, /a/ -> y
    check_witnesses(spec, report, tbl)
    # Without the branch, z still answers its URLs with a slash added: not dead.
    spec = data(("/<x>", "x", {}), ("/<string(length=1):z>", "z", NS))
    tbl = RouteTable.from_data(spec)
    report = lint(tbl)
    assert "RL103" not in codes(report)
    assert tbl.match("GET", "/a/").endpoint == "z"


def test_slash_form_escape_is_no_cover():
    # Every /q/<digits> goes to int, but any still answers /q/1/: crossed, not dead.
    spec = data(("/q/<int:n>", "int", {}), ("/q/<any('1','2'):x>", "any", NS))
    tbl = RouteTable.from_data(spec)
    assert codes(conflicts(tbl)) == {"RL105"}
    assert codes(lint(tbl)) == {"RL105"}
    assert tbl.match("GET", "/q/1/").endpoint == "any"
    # Strict, the same pair is a cover.
    strict = RouteTable.from_data(data(("/q/<int:n>", "int", {}),
                                       ("/q/<any('1','2'):x>", "any", {})))
    assert codes(conflicts(strict)) == {"RL103"}


def test_non_strict_specialisations_stay_silent():
    for spec in (data(("/about", "about", NS), ("/<page>/", "page", {})),
                 data(("/users/me", "me", NS), ("/users/<id>", "user", {}))):
        tbl = RouteTable.from_data(spec)
        assert codes(conflicts(tbl)) == {"RL104"}
        assert codes(lint(tbl)) == set()


def test_duplicate_with_a_non_strict_second_says_it_still_answers_slashed_urls():
    tbl = RouteTable.from_data(data(("/a", "one", {}), ("/a", "two", NS)))
    finding = [f for f in lint(tbl).findings if f.code == "RL101"][0]
    assert "strict_slashes is off: it still answers GET /a/" in finding.message
    assert tbl.match("GET", "/a/").endpoint == "two"
    # With a branch twin taking /a/, there is nothing to add.
    tbl = RouteTable.from_data(data(("/a", "one", {}), ("/a", "two", NS), ("/a/", "b", {})))
    finding = [f for f in lint(tbl).findings if f.code == "RL101"][0]
    assert "strict_slashes" not in finding.message


def test_validation_trap_on_a_twin():
    spec = data(("/<int(max=5):n>", "small", {}), ("/<int:m>/", "big", NS))
    tbl = RouteTable.from_data(spec)
    report = lint(tbl)
    trap = [f for f in report.findings if f.code == "RL110"][0]
    assert trap.witness.url == "/6" and trap.answered_by is None
    check_witnesses(spec, report, tbl)


def test_map_wide_strict_slashes_off():
    spec = data(("/a", "a", {}), ("/<x>/", "x", {}), ("/a/<y>", "y", {}), strict_slashes=False)
    tbl = RouteTable.from_data(spec)
    listing = conflicts(tbl)
    assert [(f.code, f.witness.url, f.answered_by) for f in listing.findings] == [
        ("RL104", "/a/", "a")]
    check_witnesses(spec, listing, tbl)


def test_routes_without_a_slash_form():
    tbl = RouteTable.from_data(data(("/", "root", NS), ("/f/<path:p>", "tail", NS),
                                    ("/f/<path:p>.b", "tailb", NS), ("/g", "g", {})))
    assert [slash_form(rule) for rule in tbl.rules] == [None, None, None, None]
    # A leaf ending in a tail never falls back: Werkzeug answers 404.
    assert tbl.match("GET", "/f/x.b/").endpoint == "tail"


def test_slash_form_shapes():
    tbl = RouteTable.from_data(data(("/a", "a", NS), ("/b/", "b", NS), ("/c/<path:p>/", "c", NS)))
    leaf, branch, tail = (slash_form(rule) for rule in tbl.rules)
    assert pattern_values(leaf, ["", "", "a", ""]) == []
    assert pattern_values(branch, ["", "", "b"]) == []
    assert pattern_values(tail, ["", "", "c", "x", "y"]) == ["x/y"]
    assert pattern_values(tail, ["", "", "c", "x", ""]) is None  # that is the pattern's own
    assert (leaf.rule, branch.rule, tail.rule) == ("/a/", "/b", "/c/<path:p>")


def test_strict_tables_do_no_extra_work(monkeypatch):
    from routecli.analysis import slash_forms as slashes

    def boom(*args, **kwargs):  # pragma: no cover - must not run
        raise AssertionError("slash pairs computed for a strict table")

    monkeypatch.setattr(slashes.Slashes, "pairs", boom)
    tbl = RouteTable.from_data({"routes": generate(300)})
    assert not Analysis(tbl).slashes.active
    assert "slash_pairs" not in lint(tbl).stats
    assert "slash_pairs" not in conflicts(tbl).stats


def test_generated_table_map_wide_agrees_with_the_matcher():
    tbl = RouteTable.from_data({"routes": generate(1500), "settings": {"strict_slashes": False}})
    strict = RouteTable.from_data({"routes": generate(1500)})
    report = lint(tbl)
    assert report.stats["model_disagreements"] == 0
    # The generated table has no slash-only overlaps: the same findings as when strict.
    assert sorted(f.code for f in report.findings) == sorted(f.code for f in lint(strict).findings)
