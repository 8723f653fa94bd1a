"""First-match lint and conflicts pair a route only with earlier routes whose literal
suffix can end its paths too, found by a suffix index where few routes can
(routecli/analysis/first_match.py, first_match_heads.py): on random Starlette/
FastAPI tables and on Django-like ones after a leading parameter, the findings are word for
word those of asking the automata about every candidate the heads allow."""

from __future__ import annotations

import pytest
from first_match_tables import table_data

from helpers import ordered
from routecli.analysis import conflicts, first_match, lint
from routecli.analysis.first_match_heads import SuffixIndex
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
        patch.setattr(first_match.SuffixIndex, "few_earlier", lambda *args: None)
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


def test_routes_after_a_leading_parameter_many(monkeypatch):
    # past the suffix index's "few": 80 routes ending in /users, 200 distinct ends
    items = [{"rule": f"/{{t}}/{'users' if i % 3 == 0 else f'x{i}'}", "endpoint": f"e{i}"}
             for i in range(280)]
    both(lambda: ordered("starlette", *items), monkeypatch)


def test_the_suffix_index_finds_every_earlier_meeting_end():
    import random

    rng = random.Random(5)
    alphabet = ["", "a", "/a", "ba", "/ba", "b/a", "/", "x", "a/x", "\U0010ffff"]
    shapes = [(rng.choice(alphabet) + rng.choice(alphabet), index) for index in range(300)]
    index = SuffixIndex(shapes[::2] + shapes[1::2])
    for suffix, at in shapes + [("a", 999), ("zz", 999)]:
        expected = sorted(i for s, i in shapes if i < at
                          and (s.endswith(suffix) or suffix.endswith(s)))
        found = index.few_earlier(at, suffix, 10**6)
        assert found is None and (not suffix or suffix[0] == "\U0010ffff") or found == expected
        few = index.few_earlier(at, suffix, 3)
        assert few is None or few == expected
