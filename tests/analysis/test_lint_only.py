"""``lint(table, only=...)``: only the wanted rules' checks run, with the checks they read
(``Rule.reads``), and each wanted rule's findings are those of a run of every check."""

from __future__ import annotations

import random

import pytest

from helpers import table
from routecli.analysis import lint
from routecli.analysis.registry import RULES, checks_for, rules_of
from routecli.analysis.rules import overlaps
from routecli.analysis.selection import LintSettings
from routecli.routing.dialects import get
from routecli.routing.werkzeug.table import RouteTable

WERKZEUG = rules_of(get("werkzeug"))


def codes(rules) -> list[str]:
    return [rule.code for rule in rules]


def findings(report) -> list[dict]:
    return [finding.to_dict() for finding in report.findings]


def test_the_default_selection_leaves_the_opt_in_checks_out():
    run = codes(checks_for(WERKZEUG, LintSettings().enabled()))
    assert "RL101" in run and "RL103" in run
    assert not {"RL105", "RL106", "RL107", "RL108", "RL117"} & set(run)


def test_a_wanted_rule_brings_the_checks_it_reads_in_code_order():
    assert codes(checks_for(WERKZEUG, {"RL106"})) == ["RL101", "RL103", "RL106"]
    assert codes(checks_for(WERKZEUG, {"RL110"})) == ["RL101", "RL103", "RL110"]
    assert codes(checks_for(WERKZEUG, {"RL105"})) == ["RL105"]
    assert codes(checks_for(WERKZEUG, None)) == codes(WERKZEUG)


def test_unverified_questions_are_those_of_the_default_checks():
    # RL199 has no check: its findings are the questions the checks that run meet
    default = checks_for(WERKZEUG, LintSettings().enabled())
    assert codes(checks_for(WERKZEUG, {"RL199"})) == codes(default)
    assert "RL105" in codes(checks_for(WERKZEUG, {"RL199", "RL105"}))


# Each table makes a wanted rule's findings depend on what an earlier check set: without
# its ``reads``, lint(only={code}) would report otherwise.
READERS = {
    # RL103 does not repeat a route RL101 reports (run.duplicated)
    "RL103": table(("/a", "one"), ("/a", "two")),
    # RL106 does not repeat the methods RL103 found dead (run.dead)
    "RL106": table(("/<x>/<path:p>", "files", {"methods": ["DELETE"]}),
                   ("/<uuid:u>/<any(a,b):k>/<float:f>/", "item",
                    {"methods": ["GET", "DELETE"]})),
    # RL110 is an error when its victim is dead (run.dead)
    "RL110": table(("/<int(min=5):q>", "big", {"methods": ["GET", "DELETE"]}),
                   ("/<int:n>", "number")),
}


@pytest.mark.parametrize("code", sorted(READERS))
def test_a_rule_that_reads_another_reports_as_in_a_full_run(code):
    routes = READERS[code]
    full = [f for f in findings(lint(routes, noqa=False, group=False)) if f["code"] == code]
    assert findings(lint(routes, noqa=False, group=False, only={code})) == full


@pytest.mark.parametrize("code", sorted(READERS))
def test_the_reads_matter_on_these_tables(code, monkeypatch):
    # the tables above would catch a missing declaration
    routes = READERS[code]
    full = [f for f in findings(lint(routes, noqa=False, group=False)) if f["code"] == code]
    monkeypatch.setattr(RULES[code], "reads", ())
    assert findings(lint(routes, noqa=False, group=False, only={code})) != full


def _random_table(rng: random.Random) -> RouteTable:
    parts = ["a", "me", "<x>", "<int:n>", "<int(max=10):m>", "<any(a,b):k>", "<path:p>",
             "<uuid:u>", "<int(min=5):q>", "<float:f>"]
    methods = [None, ["GET"], ["POST"], ["GET", "POST"], ["DELETE"], ["GET", "DELETE"]]
    routes = []
    for i in range(rng.randint(2, 8)):
        chosen: list[str] = []
        for _ in range(rng.randint(1, 3)):
            part = rng.choice(parts)
            if part in chosen or part == "<path:p>" and len(chosen) < 2:
                part = "c"
            chosen.append(part)
        route = {"rule": "/" + "/".join(chosen) + rng.choice(["", "/"]),
                 "endpoint": rng.choice([f"e{i}", "e0"])}
        if (method := rng.choice(methods)) is not None:
            route["methods"] = method
        if rng.random() < 0.2:
            route["strict_slashes"] = False
        routes.append(route)
    return RouteTable.from_data({"routes": routes})


def test_every_rule_alone_reports_as_in_a_full_run():
    # A rule whose check reads another's without declaring it fails here (each of the
    # three declarations above, removed, makes some of these tables differ).
    checked = [rule.code for rule in WERKZEUG if rule.check is not None] + ["RL199"]
    for seed in range(150):
        routes = _random_table(random.Random(seed))
        full = findings(lint(routes, noqa=False, group=False))
        for code in checked:
            alone = findings(lint(routes, noqa=False, group=False, only={code}))
            assert alone == [f for f in full if f["code"] == code], (seed, code)


def test_without_only_every_check_runs_opt_in_included():
    routes = table(("/<entity>/me", "me"), ("/books/<id>", "book"))
    assert [f.code for f in lint(routes).findings] == ["RL105"]
    assert lint(routes, only={"RL101"}).findings == []


def test_an_unwanted_check_is_not_run(monkeypatch):
    def boom(run):
        raise AssertionError("RL105's check ran")

    monkeypatch.setattr(overlaps.CROSSED, "check", boom)
    routes = table(("/<entity>/me", "me"), ("/books/<id>", "book"))
    assert lint(routes, only=LintSettings().enabled()).findings == []
    with pytest.raises(AssertionError, match="RL105's check ran"):
        lint(routes, only={"RL105"})


def test_first_match_rules_alone_report_as_in_a_full_run():
    from pathlib import Path

    from routecli import load

    sample = Path(__file__).resolve().parents[2] / "sample_routes"
    for name in ("fastapi_routes.yaml", "fastapi_0136_routes.yaml", "django_urls.yaml"):
        routes = load(str(sample / name))
        full = findings(lint(routes, noqa=False, group=False))
        assert full
        for rule in rules_of(get(routes.dialect_name)):
            alone = findings(lint(routes, noqa=False, group=False, only={rule.code}))
            assert alone == [f for f in full if f["code"] == rule.code], (name, rule.code)


def test_conflicts_of_one_rule_are_those_of_every_pair():
    from routecli.analysis import conflicts

    wanted = ["RL101", "RL102", "RL103", "RL104", "RL105", "RL106", "RL198", "RL199"]
    for seed in range(150):
        routes = _random_table(random.Random(seed))
        every = findings(conflicts(routes))
        for code in wanted:
            alone = findings(conflicts(routes, only={code}))
            assert alone == [f for f in every if f["code"] == code], (seed, code)
