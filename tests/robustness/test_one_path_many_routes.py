"""Many routes on one path (a route per method) or of one endpoint: the analyses and diff
do work near-linear in the routes, counted rather than timed (issue #13, bounded cost):
first-match candidates by method, Werkzeug's wide states by index, diff's requests once
each, RL117 per argument set."""

from __future__ import annotations

import time

import pytest

from helpers import ordered, table
from routecli.analysis import lint
from routecli.diff import diff


def _one_path(count: int, endpoint=None) -> list[dict]:
    return [{"rule": "/x", "methods": [f"M{i}"], "endpoint": endpoint or f"e{i}"}
            for i in range(count)]


@pytest.mark.parametrize("dialect", ["starlette", "fastapi"])
def test_first_match_routes_on_one_path_meet_only_those_sharing_a_method(dialect):
    routes = _one_path(3_000)
    routes.append({"rule": "/x", "methods": ["M7", "M2999"], "endpoint": "late"})
    report = lint(ordered(dialect, *routes))
    # 4,500,000 candidate pairs before; now the late route against M7 and M2999 only
    assert report.stats["pairs"] == 2
    assert not report.stats.get("budget_ran_out")
    # dead behind the two routes taking its methods (RL210 names each later route's
    # methods left out of the first route's 405, 3,000 of them)
    [finding] = [f for f in report.findings if f.code == "RL202"]
    assert finding.routes[0].endpoint == "late"


def _edit(routes: list[dict]) -> list[dict]:
    """Every 7th route removed, every 11th endpoint renamed."""
    return [dict(route, endpoint=route["endpoint"] + ("z" if i % 11 == 0 else ""))
            for i, route in enumerate(routes) if i % 7]


@pytest.mark.parametrize("dialect", ["starlette", "werkzeug"])
def test_a_diff_on_one_path_of_3000_routes_finishes_within_its_budget(dialect):
    # Starlette: 18 s and out of budget before (each pair proposed its requests again);
    # Werkzeug, routes of one endpoint: 11 s (a set update per rule and request)
    routes = _one_path(3_000, endpoint=None if dialect == "starlette" else "e")
    if dialect == "starlette":
        old, new = ordered(dialect, *routes), ordered(dialect, *_edit(routes))
    else:
        from routecli.routing.werkzeug.table import RouteTable

        old = RouteTable.from_data({"routes": routes})
        new = RouteTable.from_data({"routes": _edit(routes)})
    report = diff(old, new)
    assert not report.stats["budget_ran_out"]
    removed = [c for c in report.changes if c.new is None]
    assert len(removed) == len(routes) - len(_edit(routes))
    assert all(change.requests for change in removed)


def test_rl117_compares_argument_sets_not_routes():
    # 20,000 routes of one view with one argument set: 200,000,000 comparisons before
    rules = [(f"/p{i}/<x>", "view") for i in range(20_000)]
    rules.append(("/late/<y>", "view"))
    tbl = table(*rules)
    start = time.perf_counter()
    report = lint(tbl, only={"RL117"})
    assert time.perf_counter() - start < 20
    [finding] = report.findings
    assert finding.routes[0].rule == "/late/<y>" and finding.routes[1].rule == "/p0/<x>"


def test_first_match_candidates_are_charged_to_the_budget(monkeypatch):
    # Every route takes GET: each meets every earlier one, 300 x 299 / 2 candidates, and
    # the budget must see them (10,000 such routes were minutes no budget counted)
    from routecli.analysis import first_match

    routes = [{"rule": "/x", "methods": ["GET", f"M{i}"], "endpoint": f"e{i}"}
              for i in range(300)]
    report = lint(ordered("starlette", *routes), budget=10**9)
    assert report.stats["pairs"] == 300 * 299 // 2
    monkeypatch.setattr(first_match, "CANDIDATE_STEPS", 0)
    uncounted = lint(ordered("starlette", *routes), budget=10**9)
    assert report.stats["budget_used"] - uncounted.stats["budget_used"] == 300 * 299 // 2
    monkeypatch.undo()
    spent = lint(ordered("starlette", *routes), budget=20_000)
    assert spent.stats["budget_ran_out"]
    assert any(f.code == "RL199" for f in spent.findings)


def test_a_diff_answers_each_distinct_request_once(monkeypatch):
    # 200 routes on one path propose the same few requests for every pair of them
    # (diff/candidates.py passes each key on once)
    routes = _one_path(200)
    old, new = ordered("starlette", *routes), ordered("starlette", *_edit(routes))
    asked: list = []
    for table_ in (old, new):
        match = table_.match

        def counted(method, url, host=None, _match=match):
            asked.append((method, url, host))
            return _match(method, url, host)

        monkeypatch.setattr(table_, "match", counted)
    diff(old, new, lint=False, budget=0)
    assert asked and len(asked) == 2 * len(set(asked))  # once per table


def test_the_variants_of_one_state_have_their_patterns_read_once_per_state(monkeypatch):
    # The join hands one state's firsts to each later edge: 900 variants were 900^2/2
    # pattern reads in RL102's classification alone
    from routecli.analysis import engine

    calls = []
    pattern_of = engine._pattern
    monkeypatch.setattr(engine, "_pattern", lambda rule: calls.append(1) or pattern_of(rule))
    kinds = ["/m/<int(max={k}):v>", "/m/<string(length={k}):v>", "/m/<int(min={k}):v>"]
    tbl = table(*[(kinds[k % 3].format(k=k + 1), f"m{k}") for k in range(900)])
    lint(tbl)
    assert 0 < len(calls) < 20 * 900
