"""First-match lint and conflicts pair a route only with earlier routes whose literal
suffix can end its paths too (routecli/analysis/first_match.py): on random Starlette/
FastAPI tables and on Django-like ones after a leading parameter, the findings are word for
word those of asking the automata about every candidate the heads allow."""

from __future__ import annotations

import pytest
from first_match_tables import table_data

from helpers import ordered
from routecli.analysis import conflicts, first_match, lint
from routecli.routing.dialects import compile_table
from routecli.sources.schema import routeset_from_data


def summary(report) -> list:
    return [(f.code, f.severity, f.message, [r.index for r in f.routes],
             None if f.witness is None else tuple(f.witness), repr(f.details))
            for finding in report.findings for f in (finding.members or [finding])]


def both(make, monkeypatch) -> None:
    fast = [summary(lint(make())), summary(conflicts(make()))]
    with monkeypatch.context() as patch:
        patch.setattr(first_match, "_ends_meet", lambda suffix, other: True)
        slow = [summary(lint(make())), summary(conflicts(make()))]
    assert fast == slow


@pytest.mark.parametrize("seed", range(30))
def test_random_tables(seed, monkeypatch):
    data = table_data(seed, seed % 2 == 0)
    try:
        compile_table(routeset_from_data(data, "<suffixes>"))
    except Exception:  # noqa: BLE001 - a table the framework refuses too
        return
    both(lambda: compile_table(routeset_from_data(data, "<suffixes>")), monkeypatch)


def test_routes_after_a_leading_parameter(monkeypatch):
    items = [{"rule": f"/{{tenant}}/{name}", "endpoint": f"e{i}"}
             for i, name in enumerate(["users", "orders", "x/users", "users", "{id}/users",
                                       "items/{id}", "0", "10", "a0"])]
    items.append({"rule": "/{path:path}", "endpoint": "rest"})
    both(lambda: ordered("starlette", *items), monkeypatch)
    codes = [f.code for f in lint(ordered("starlette", *items)).findings]
    assert codes  # the copy of /{tenant}/users and the catch-all are still reported
