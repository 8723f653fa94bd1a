"""Tables whose routes all meet without any automaton work: N routes ``/<x>/rI/<y>`` and N
routes ``/rJ/<x>/<path:y>`` overlap pairwise (``/rJ/rI/...``), so the overlap join alone
reports N^2 pairs, and a diff from the first N to the second asks about each. The pairs,
the trie states walked and diff's requests are counted in the work budget (docs/lint.md,
"The work budget"; docs/diff.md): 1,000 of each took 68 s and 2.5 GB to lint, and 78 s
and 1.6 GB to diff, before they were."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from helpers import ordered
from routecli.analysis import conflicts, lint
from routecli.cli.app import cli
from routecli.diff import diff
from routecli.diff.compare import UNPROVEN
from routecli.routing.werkzeug.table import RouteTable


def firsts(n: int) -> list[dict]:
    return [{"rule": f"/<x>/r{i}/<y>", "endpoint": f"a{i}"} for i in range(n)]


def seconds(n: int) -> list[dict]:
    return [{"rule": f"/r{n - i}/<x>/<path:y>", "endpoint": f"b{i}"} for i in range(n)]


def crossed(n: int) -> RouteTable:
    return RouteTable.from_data({"routes": firsts(n) + seconds(n)})


def budget_findings(report):
    return [f for f in report.findings if f.code == "RL199" and f.details.get("budget")]


def test_the_pairs_of_the_join_are_counted_and_stop_at_the_budget():
    tbl = crossed(60)  # 3,600 crossing pairs
    full = lint(tbl, budget=0, group=False)
    assert sum(f.code == "RL105" for f in full.findings) == 3600
    bounded = lint(tbl, budget=5_000, group=False)
    assert bounded.stats["budget_ran_out"] and bounded.stats["budget_used"] == 5_000
    left = budget_findings(bounded)
    assert len(left) == 1 and left[0].routes  # the routes of the pairs left, once
    # the join done (30 steps a pair) and part of the witnesses (50 each): what was
    # decided stands, fewer crossings, each one the full run reports too
    witnessed = lint(tbl, budget=150_000, group=False)
    assert witnessed.stats["budget_ran_out"] and len(budget_findings(witnessed)) == 1
    found = {f.message for f in witnessed.findings if f.code == "RL105"}
    assert found and found < {f.message for f in full.findings if f.code == "RL105"}
    report = conflicts(tbl, budget=5_000)
    assert report.stats["budget_ran_out"] and budget_findings(report)


def test_within_the_budget_nothing_changes():
    tbl = crossed(20)
    bounded, unbounded = lint(tbl), lint(tbl, budget=0)
    assert not bounded.stats["budget_ran_out"] and bounded.stats["budget_used"] > 400
    assert [f.message for f in bounded.findings] == [f.message for f in unbounded.findings]


def test_once_spent_the_walk_notes_what_it_leaves_and_stops():
    # The budget runs out at once: the join still visits the states (each once, to note
    # their routes), never a state pair per route pair.
    tbl = crossed(400)
    report = lint(tbl, budget=1)
    assert report.stats["budget_ran_out"]
    assert report.stats["state_pairs"] < 5 * len(tbl.rules)  # 162,000 when walked whole
    routes = {rule.endpoint for f in budget_findings(report) for rule in f.routes}
    assert {"a0", "a399", "b0", "b399"} <= routes


def test_diff_of_crossing_tables_is_bounded_and_asks_about_every_route_first():
    old = RouteTable.from_data({"routes": firsts(150)})
    new = RouteTable.from_data({"routes": seconds(150)})
    report = diff(old, new, lint=False, budget=200_000)
    assert report.stats["budget_ran_out"]
    # every route is in a change, and each route's own requests came before any pair's:
    # each change is proven although the pairs' requests ran out
    routes = {id(rule) for change in report.changes for rule in (change.old, change.new)}
    assert len(routes - {id(None)}) == 300
    assert all(change.requests for change in report.changes)
    assert {change.severity for change in report.changes if change.new is None} == {"breaking"}


@pytest.mark.parametrize("dialect", ["starlette", "django"])
def test_a_first_match_diff_that_runs_out_has_asked_about_every_entry(dialect):
    spelled = {"starlette": ("/{{x}}/r{}/{{y}}", "/r{}/{{x}}/{{y:path}}"),
               "django": ("<x>/r{}/<y>/", "r{}/<x>/<path:y>")}[dialect]
    old = ordered(dialect, *[{"rule": spelled[0].format(i), "endpoint": f"a{i}"}
                             for i in range(40)])
    new = ordered(dialect, *[{"rule": spelled[1].format(40 - i), "endpoint": f"b{i}"}
                             for i in range(40)])
    for budget in (20_000, 150_000):
        report = diff(old, new, lint=False, budget=budget)
        assert report.stats["budget_ran_out"]
        routes = {id(rule) for change in report.changes for rule in (change.old, change.new)}
        assert len(routes - {id(None)}) == 80
        # a change no request proves says so, rather than "answers no request differently"
        assert all(change.requests or change.message.endswith(UNPROVEN)
                   for change in report.changes)
    assert any(change.message.endswith(UNPROVEN) for change in diff(
        old, new, lint=False, budget=20_000).changes)
    assert not any(change.message.endswith(UNPROVEN) for change in diff(
        old, new, lint=False).changes)


def test_diff_within_its_budget_is_the_unbounded_diff():
    old = RouteTable.from_data({"routes": firsts(25)})
    new = RouteTable.from_data({"routes": seconds(25)})
    bounded, unbounded = diff(old, new), diff(old, new, budget=0)
    assert not bounded.stats["budget_ran_out"] and bounded.stats["budget_used"] > 0
    assert bounded.to_dict() == unbounded.to_dict()


def test_the_cli_says_the_diff_budget_ran_out(tmp_path):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps({"routes": firsts(100)}))
    new.write_text(json.dumps({"routes": seconds(100)}))
    result = CliRunner().invoke(cli, ["diff", str(old), str(new), "--budget", "100000",
                                      "--format", "json"])
    assert result.exit_code == 1, result.output  # routes were removed: breaking
    assert "ran out of its work budget (100,000 steps)" in result.stderr
    document = json.loads(result.stdout)
    assert all(change["requests"] for change in document["changes"])
    assert document["summary"]["complete"] is False


def test_json_says_whether_the_run_was_complete(tmp_path):
    path = tmp_path / "routes.json"
    path.write_text(json.dumps({"routes": firsts(60) + seconds(60)}))
    for command in (["lint"], ["conflicts"]):
        for budget, complete in (("5000", False), ("0", True)):
            result = CliRunner().invoke(cli, ["-r", str(path), *command, "--format", "json",
                                              "--budget", budget])
            assert result.exit_code in (0, 1), result.output
            assert json.loads(result.stdout)["summary"]["complete"] is complete
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps({"routes": firsts(3)}))
    new.write_text(json.dumps({"routes": firsts(2)}))
    result = CliRunner().invoke(cli, ["diff", str(old), str(new), "--format", "json"])
    assert json.loads(result.stdout)["summary"]["complete"] is True


@pytest.mark.parametrize("dialect", ["starlette", "django"])
def test_a_first_match_request_costs_the_routes_it_tries(dialect, monkeypatch):
    # A first-match table tries its routes in turn: on crossing tables every request is
    # tried against every route (as the framework does), and diff counts each.
    import routecli.diff.compare as compare

    spelled = {"starlette": ("/{{x}}/r{}/{{y}}", "/r{}/{{x}}/{{y:path}}", "/p{}/x"),
               "django": ("<x>/r{}/<y>/", "r{}/<x>/<path:y>", "p{}/x")}[dialect]
    old = ordered(dialect, *[{"rule": spelled[0].format(i), "endpoint": f"a{i}"}
                             for i in range(200)])
    new = ordered(dialect, *[{"rule": spelled[1].format(200 - i), "endpoint": f"b{i}"}
                             for i in range(200)])
    assert old.match_cost("/r5/r6/x/") == 200
    statics = ordered(dialect, *[{"rule": spelled[2].format(i), "endpoint": f"p{i}"}
                                 for i in range(200)])
    assert statics.match_cost("/p5/x") <= 2  # the index narrows them
    asked = []
    monkeypatch.setattr(compare, "ask", lambda table, request: asked.append(1) or None)
    report = diff(old, new, lint=False, budget=100_000)
    assert report.stats["budget_ran_out"]
    assert len(asked) < 2 * 100_000 / 200  # two tables a request, 200 routes each
