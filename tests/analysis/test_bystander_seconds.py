"""Lint does not pair a bystander (a route whose state's earlier routes take each of its
methods: it never answers) with the routes of other states tried before it; RL103 reads
its taker's pairs instead, and a bystander RL101 reports against each taker is dead
without listing its dominators (routecli/analysis/overlap.py, docs/lint.md#how-overlaps-
are-decided). On random tables full of converter-argument variants, every finding is the
one that pairing every route one by one gives, word for word, but the ties and crossed
overlaps (RL102, RL105) of bystanders, which lint no longer reports."""

from __future__ import annotations

import pytest
from test_blocks import CUSTOM, catch_all_rules, findings, random_rules

from helpers import table
from routecli.analysis import engine, overlap
from routecli.analysis.engine import Analysis, PairCollector
from routecli.analysis.rules import unreachable


def bystanders_of(tbl) -> set:
    analysis = Analysis(tbl)
    pairs = PairCollector(analysis)
    join = analysis.join(pairs.on_pair, pairs.on_slash, pairs.on_copies, takers_only=True,
                         on_block=pairs.on_block, on_trap=pairs.on_trap)
    return set(join.bystander_takers)


def one_by_one(monkeypatch) -> None:
    """Every bystander paired as it was: emitted, recorded and read directly."""
    monkeypatch.setattr(overlap.SelfJoin, "_split_bystanders", lambda self, rules: (rules, []))
    monkeypatch.setattr(engine.PairCollector, "dominating",
                        lambda self, rule, method: self.dominated[rule.index])
    monkeypatch.setattr(unreachable, "_lost_to_duplicates", lambda run, rule, checks: False)


def compare(make, monkeypatch) -> int:
    fast = findings(make())
    bystanders = bystanders_of(make())
    with monkeypatch.context() as patch:
        one_by_one(patch)
        slow = findings(make())
    expected = [f for f in slow if not (f[0] in ("RL102", "RL105") and f[3][0] in bystanders)]
    assert fast == expected
    return len(slow) - len(expected)


def statics_and_variants(seed: int) -> list:
    rules = random_rules(seed, 70)
    rules[:0] = [(f"/{segment}", f"s{segment}") for segment in ("a", "b", "1", "2", "7")]
    rules[:0] = [(f"/{a}/{b}", f"s{a}{b}") for a in ("a", "1", "3") for b in ("b", "2", "9")]
    return rules


@pytest.mark.parametrize("seed", range(20))
def test_random_tables(seed, monkeypatch):
    compare(lambda: table(*statics_and_variants(seed)), monkeypatch)


@pytest.mark.parametrize("seed", range(12))
def test_random_tables_with_catch_alls(seed, monkeypatch):
    compare(lambda: table(*catch_all_rules(seed, 60), converters=CUSTOM), monkeypatch)


def test_statics_before_ten_thousand_variants():
    rules = [(f"/same/{i}", f"s{i}") for i in range(10_000, 20_000)]
    rules += [(f"/same/<int(max={i}):x>", f"e{i}") for i in range(1, 10_001)]
    report = engine_lint(table(*rules))
    assert sorted({f.code for f in report.findings}) == ["RL101", "RL110"]
    assert sum(f.code == "RL101" for f in report.findings) == 9_999


def engine_lint(tbl):
    from routecli.analysis.run import lint_report

    return lint_report(tbl)


def test_statics_masking_the_variants_duplicate_pairs():
    # /same/1.. take the witnesses of the variants' duplicate pairs: RL101 cannot show
    # most of them, RL103 does, each naming the same dominators (made once for all)
    rules = [(f"/same/{i}", f"s{i}") for i in range(1, 3001)]
    rules += [(f"/same/<int(max={i}):x>", f"e{i}") for i in range(1, 3001)]
    report = engine_lint(table(*rules))
    dead = [f for f in report.findings if f.code == "RL103"]
    assert len(dead) == 2998 and sum(f.code == "RL101" for f in report.findings) == 1
    assert {f.message for f in dead} == {
        "unreachable: this route never answers a request; `/same/<int(max=1):x>`, "
        "`/same/1`, `/same/2` and 2998 more take every URL it matches, e.g. GET /same/1"}


def test_bystanders_with_different_dominators_on_their_state(monkeypatch):
    # b2 meets t1 and t2 on its state for GET (t2 shares GET, taking POST), b1 only t1:
    # they share t1's dominators across states but not their lists
    def make():
        return table(("/u/<y>", "str", {"methods": ["GET", "POST"]}),
                     ("/u/<uuid:a>", "t1", {"methods": ["GET"]}),
                     ("/u/<uuid:b>", "t2", {"methods": ["GET", "POST"]}),
                     ("/u/<uuid:c>", "b1", {"methods": ["GET"]}),
                     ("/u/<uuid:d>", "b2", {"methods": ["GET", "POST"]}))

    compare(make, monkeypatch)
    dead = {f.routes[0].endpoint: f.message for f in engine_lint(make()).findings
            if f.code == "RL103"}
    assert "`/u/<uuid:b>`" in dead["b2"] and "`/u/<uuid:b>`" not in dead["b1"]
