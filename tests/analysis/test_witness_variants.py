"""Witness values for routes differing only in converter arguments: the values shared by
parts alike on the candidates (Witnesses._alike) are the values each pair computes alone."""

from __future__ import annotations

import itertools

import pytest

from helpers import table
from routecli.analysis import lint, witness
from routecli.analysis.engine import Analysis

RULES = [
    *(f"/v/<int(max={k}):x>" for k in (0, 1, 2, 3, 5, 10, 99, 100, 1000, 5000, 20000)),
    *(f"/v/<int(min={k}):x>" for k in (0, 2, 11, 1001)),
    "/v/<int(fixed_digits=2):x>", "/v/<int(fixed_digits=3, max=500):x>",
    *(f"/v/<string(length={k}):x>" for k in (1, 2, 3, 7)),
    *(f"/v/<string(minlength={k}, maxlength={k + 2}):x>" for k in (1, 2, 4)),
    "/v/<any(a, b):x>", "/v/<any(b, c, '1'):x>", "/v/<any(x, y):x>",
    *(f"/<s>/<int(max={k}):x>" for k in (0, 4, 50, 7000)),
    "/v/1", "/v/x", "/v/3",  # static siblings: values equal to them are avoided
]


def variants():
    return table(*[(rule, f"e{i}") for i, rule in enumerate(RULES)])


def all_pair_values(monkeypatch, alike_after: int) -> dict:
    monkeypatch.setattr(witness, "_ALIKE_AFTER", alike_after)
    analysis = Analysis(variants())
    witnesses = analysis.witnesses
    rules = [rule for rule in analysis.table.rules if not rule.parts[-1].static]
    out = {}
    for first, second in itertools.product(rules, repeat=2):
        for reject in (False, True):
            out[first.index, second.index, reject] = list(
                witnesses.pair_values(first, second, reject=reject))
    return out


def test_shared_values_equal_each_pairs_own(monkeypatch):
    alone = all_pair_values(monkeypatch, 10 ** 9)  # every pair by its own parts
    shared = all_pair_values(monkeypatch, 0)  # every pair through the shared values
    assert shared == alone
    assert any(values for values in alone.values())


@pytest.mark.parametrize("alike_after", [0, 10 ** 9])
def test_lint_is_the_same_either_way(monkeypatch, alike_after):
    def findings(after):
        monkeypatch.setattr(witness, "_ALIKE_AFTER", after)
        report = lint(variants(), group=False)
        return [(f.code, f.message, f.witness, f.answered_by, f.details)
                for f in report.findings], dict(report.stats)

    assert findings(alike_after) == findings(witness._ALIKE_AFTER)
