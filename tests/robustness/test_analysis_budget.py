"""The work budget (docs/lint.md, "The work budget"): tables whose every pair of routes
meets over automata as large as the table (counted repetitions ``[0-9]{1,i}``) cost N^3
steps; one analysis stops at its budget, says so, and keeps what it decided."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from helpers import ordered, table
from routecli.analysis import conflicts, lint
from routecli.analysis.budget import default_budget
from routecli.analysis.rules.meta import checked_within_budget
from routecli.automata import (
    BudgetSpent,
    compile_regex,
    difference_witness,
    intersect_witness,
    work_budget,
)
from routecli.automata.limits import UNLIMITED, current_budget, unbudgeted
from routecli.cli.app import cli


def nested_django(count: int, first: int = 1):
    return ordered("django", *[{"regex": f"^same/(?P<x>[0-9]{{1,{i}}})/$",
                                "endpoint": f"e{i}"} for i in range(first, first + count)])


def nested_werkzeug(count: int):
    return table(*[(f"/same/<c{i}:x>", f"e{i}") for i in range(1, count + 1)],
                 converters={f"c{i}": {"regex": f"[0-9]{{1,{i}}}"} for i in range(1, count + 1)})


def budget_findings(report):
    return [f for f in report.findings if f.code == "RL199" and f.details.get("budget")]


# -- the engine ------------------------------------------------------------------------------


def test_questions_spend_steps_and_fail_once_the_budget_is_spent():
    a, b = compile_regex("[0-9]{1,300}"), compile_regex("[0-9]{1,299}")
    with work_budget(10**9) as budget:
        assert difference_witness(a, b) == "1" * 300  # readable ranks: 1 before 0
    used = budget.used
    assert used > 300  # one step at least per state explored
    with work_budget(used // 2) as budget, pytest.raises(BudgetSpent):
        difference_witness(a, b)
    assert budget.spent
    with work_budget(used // 2), pytest.raises(BudgetSpent):
        compile_regex("[a-z]{1,5000}")  # building an automaton counts too


def test_once_spent_a_new_pattern_is_not_even_parsed():
    # (every pair of 1,000 converters asked for their automata again: 34 s -> 14 s)
    with work_budget(10) as budget:
        with pytest.raises(BudgetSpent):
            compile_regex("[a-z]{1,100}")
        assert budget.spent
        with pytest.raises(BudgetSpent):
            compile_regex("(unbalanced")  # re.error once parsed; not parsed now


def test_outside_a_budget_nothing_is_counted_and_blocks_nest_into_the_outer():
    assert current_budget() is UNLIMITED
    with work_budget(1000) as outer:
        with work_budget(10**9) as inner:
            assert inner is outer  # diff running lint is bounded once
        with unbudgeted():  # a matcher's own linear-time test
            intersect_witness(compile_regex("[a-z]{1,3000}"), compile_regex("[a-y]{1,3000}"))
        assert outer.used == 0
    assert current_budget() is UNLIMITED


def test_a_rule_check_that_runs_out_is_reported_as_not_checked():
    def check(run):
        raise BudgetSpent("the analysis's work budget ran out (5 steps)")

    (finding,) = checked_within_budget(check, None, "RL103")
    assert finding.code == "RL199" and "RL103 was not checked to the end" in finding.message


# -- first-match tables ------------------------------------------------------------------------


def test_nested_repetitions_stop_at_the_budget_in_bounded_time():
    tbl = nested_django(300)
    start = time.process_time()
    report = lint(tbl)
    assert time.process_time() - start < 40  # was ~70 s, cubic; the budget is ~4 s of it
    assert report.stats["budget_ran_out"]
    assert report.stats["budget_steps"] == default_budget(tbl) == 2_300_000
    (finding,) = budget_findings(report)
    assert "work budget ran out (2,300,000 steps)" in finding.message
    undecided = [route.endpoint for route in finding.routes]
    # the early routes were decided; the rest, in table order, are named
    assert undecided and "e1" not in undecided and undecided[-1] == "e300"
    assert undecided == sorted(undecided, key=lambda e: int(e[1:]))


def test_what_was_decided_before_the_budget_ran_out_stands():
    dead = [{"regex": "^same/(?P<x>[0-9]+)/$", "endpoint": "broad"},
            {"regex": "^same/(?P<x>[0-9]{1,3})/$", "endpoint": "dead"}]
    tbl = ordered("django", *dead, *[{"regex": f"^other/(?P<x>[0-9]{{1,{i}}})/$",
                                      "endpoint": f"e{i}"} for i in range(1, 200)])
    report = lint(tbl, budget=300_000)
    assert report.stats["budget_ran_out"]
    assert any(f.code == "RL201" and f.routes[0].endpoint == "dead" for f in report.findings)
    assert budget_findings(report)


def test_within_the_budget_the_report_is_the_unbounded_one():
    tbl = nested_django(40)
    bounded, unbounded = lint(tbl), lint(tbl, budget=0)
    assert not bounded.stats["budget_ran_out"] and "budget_steps" not in unbounded.stats
    assert [f.message for f in bounded.findings] == [f.message for f in unbounded.findings]


def test_the_budget_is_deterministic():
    tbl = nested_django(120)
    first, second = lint(tbl, budget=400_000), lint(tbl, budget=400_000)
    assert first.stats["budget_used"] == second.stats["budget_used"] == 400_000
    assert [f.message for f in first.findings] == [f.message for f in second.findings]


def test_conflicts_stop_at_the_budget_too():
    report = conflicts(nested_django(150), budget=200_000)
    assert report.stats["budget_ran_out"] and budget_findings(report)


# -- Werkzeug ----------------------------------------------------------------------------------


def test_werkzeug_converters_of_nested_repetitions_stop_at_the_budget():
    # their pairs' witnesses count too (a candidate tried on a state's earlier edges),
    # after the join's pairs (11,000 of them, 30 steps each)
    tbl = nested_werkzeug(150)
    start = time.process_time()
    report = lint(tbl, budget=700_000)
    assert time.process_time() - start < 40
    assert report.stats["budget_ran_out"]
    (finding,) = budget_findings(report)
    assert "questions about" in finding.message
    assert any(f.code == "RL102" for f in report.findings)  # the ties decided first
    assert conflicts(tbl, budget=100_000).stats["budget_ran_out"]


# -- the command line --------------------------------------------------------------------------


@pytest.fixture
def nested_file(tmp_path):
    path = tmp_path / "routes.json"
    path.write_text(json.dumps({"settings": {"dialect": "django"}, "routes": [
        {"regex": f"^same/(?P<x>[0-9]{{1,{i}}})/$", "endpoint": f"e{i}"}
        for i in range(1, 120)]}))
    return str(path)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_cli_says_on_stderr_that_the_budget_ran_out(nested_file, fmt):
    result = CliRunner().invoke(cli, ["-r", nested_file, "lint", "--budget", "200000",
                                      "--format", fmt, "--select", "RL199"])
    assert result.exit_code == 0, result.output  # an info finding fails nothing
    assert "ran out of its work budget (200,000 steps)" in result.stderr
    assert "questions about" in result.stdout


def test_budget_zero_is_no_limit(nested_file):
    result = CliRunner().invoke(cli, ["-r", nested_file, "conflicts", "--budget", "0",
                                      "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    assert "work budget" not in result.stderr + result.stdout


def test_diff_is_bounded_and_says_so(nested_file, tmp_path):
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"settings": {"dialect": "django"}, "routes": [
        {"regex": f"^same/(?P<x>[0-9]{{1,{i}}})/$", "endpoint": f"e{i}"}
        for i in range(1, 60)]}))
    result = CliRunner().invoke(cli, ["diff", str(old), nested_file, "--budget", "50000"])
    assert result.exit_code == 0, result.output
    assert "ran out of its work budget (50,000 steps)" in result.stderr


def test_tables_pass_the_budget_on():
    tbl = nested_django(30)
    assert tbl.conflicts(budget=5).stats["budget_ran_out"]
    assert tbl.lint(budget=5).stats["budget_ran_out"]
    assert "budget_steps" not in tbl.conflicts(budget=0).stats


def test_a_tiny_budget_in_a_fresh_process_leaves_the_modules_whole():
    # The analysis modules are imported inside the first analysis: what they compile at
    # import is not its work (it once failed the import, half done, for budget=5).
    import subprocess
    import sys

    code = ("import routecli.routing.dialects as d\n"
            "from routecli.sources.schema import routeset_from_data\n"
            "from routecli.analysis import lint, conflicts\n"
            "for dialect in ('werkzeug', 'starlette', 'django'):\n"
            "    rule = '/a/<x>' if dialect == 'werkzeug' else ('/a/{x}' if dialect == "
            "'starlette' else 'a/<x>/')\n"
            "    t = d.compile_table(routeset_from_data({'settings': {'dialect': dialect},"
            " 'routes': [{'rule': rule, 'endpoint': 'a'}, {'rule': rule, 'endpoint': 'b'}]},"
            " 'r.yaml'))\n"
            "    for run in (lint, conflicts):\n"
            "        report = run(t, budget=1)\n"
            "    print(dialect, [f.code for f in lint(t).findings])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "werkzeug ['RL101']" in done.stdout


REAL_TABLES = ["tables/moto-lambda.json", "tables/calibre-web.json", "tables/prefect.json",
               "tables/sqladmin.json", "django_corpus/tables/django-cms.json",
               "django_corpus/tables/wagtail.json"]


@pytest.mark.parametrize("name", REAL_TABLES)
def test_real_tables_under_any_budget_report_and_never_fail(name):
    # A question can run out anywhere: every one of them is unverified, none escapes.
    import pathlib

    import routecli

    tbl = routecli.load(str(pathlib.Path(__file__).parents[1] / "realapps" / name))
    full = lint(tbl)
    assert not full.stats["budget_ran_out"]  # real tables are far inside the default
    for budget in (1, 300, 30_000):
        for run in (lint, conflicts):
            report = run(tbl, budget=budget)
            if report.stats["budget_ran_out"]:
                assert budget_findings(report) or any(
                    "was not checked to the end" in f.message for f in report.findings)


def test_once_spent_the_pairs_of_a_state_are_not_asked_one_by_one(monkeypatch):
    # 600 disjoint custom converters on one path: 180,000 pairs of edges, each refused at
    # once after the budget ran out, took most of the time (3,000: 52 s -> 12 s).
    from routecli.analysis.languages import Languages

    asked_after = []
    intersects = Languages.intersects

    def counting(self, p, q):
        if current_budget().spent:
            asked_after.append((p, q))
        return intersects(self, p, q)

    monkeypatch.setattr(Languages, "intersects", counting)
    count = 600
    tbl = table(*[(f"/x/<c{i}:v>", f"e{i}") for i in range(count)],
                converters={f"c{i}": {"regex": f"q{i}[a-z]+"} for i in range(count)})
    report = lint(tbl, budget=20_000)
    assert report.stats["budget_ran_out"]
    assert len(asked_after) < count  # what is left of one edge's row, not N^2 / 2
    (finding,) = budget_findings(report)
    assert len(finding.routes) == count  # the state's routes, each named once


def test_listed_languages_are_counted_and_not_kept_per_pair(monkeypatch):
    # N disjoint any() on one path: every pair of edges is decided by trying the items,
    # which kept N^2 answers (6,000 routes: 55 s, 3.5 GB) and spent no step.
    from routecli.analysis.languages import Languages

    made = []
    init = Languages.__init__

    def keep(self, *args, **kwargs):
        init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(Languages, "__init__", keep)
    tbl = table(*[(f"/x/<any(u{i}a,u{i}b):a>/y{i % 50}", f"e{i}") for i in range(400)])
    report = lint(tbl, budget=0)
    assert [f.code for f in report.findings] == []
    assert all(not langs._inter for langs in made)
    assert lint(tbl, budget=20_000).stats["budget_ran_out"]


def test_the_docs_state_the_default_budget():
    import pathlib

    from routecli.analysis.budget import BASE_STEPS, STEPS_PER_ROUTE

    text = (pathlib.Path(__file__).parents[2] / "docs" / "lint.md").read_text()
    assert f"**{BASE_STEPS:,} steps plus {STEPS_PER_ROUTE:,} per route**" in text


def test_a_matcher_guard_is_built_even_after_the_budget_ran_out():
    # a witness checked inside a spent analysis still matches with its linear-time guard
    from routecli.routing.backtracking import linear_test

    with work_budget(1) as budget:
        with pytest.raises(BudgetSpent):
            compile_regex("[a-z]{1,50}")
        assert budget.spent
        guard = linear_test("(?:w0|w1|w12){1,7}")
    assert guard is not None and guard("w0w12") and not guard("w3")


def test_a_tail_refused_for_want_of_steps_is_not_remembered_as_undecidable():
    from routecli.analysis.first_match_languages import _tail

    rest = "(?P<z>[0-9]{1,37})/$"
    _tail.cache_clear()
    with work_budget(1) as budget:
        budget.left, budget.spent = -1, True  # spent
        with pytest.raises(BudgetSpent):
            _tail(rest)
    assert _tail(rest) is not None  # outside a budget: the rest compiles after all


def test_diff_samples_of_a_spent_budget_are_none_not_an_error():
    from routecli.diff.first_match_requests import _samples

    language = compile_regex("/a/[0-9]{1,40}")
    with work_budget(1) as budget:
        budget.left, budget.spent = -1, True
        assert _samples(language) == []
    assert _samples(language)
