"""``conflicts`` groups a pattern's bystanders (routes that never answer on their own
pattern, as earlier routes on it take each of their methods; routecli/analysis/overlap.py):
on random tables full of converter-argument variants, every finding it lists is one that
listing every pair one by one lists too, word for word, and every pair it leaves out
involves a route of a bystander group."""

from __future__ import annotations

import pytest
from test_blocks import random_rules

from helpers import table
from routecli.analysis import conflicts, engine


def summary(finding) -> tuple:
    witness = finding.witness
    return (finding.code, finding.severity, finding.message,
            tuple(rule.index for rule in finding.routes),
            None if witness is None else (witness.method, witness.url), finding.answered_by)


@pytest.mark.parametrize("seed", range(16))
def test_grouped_listing_is_the_full_listing_less_bystander_pairs(seed, monkeypatch):
    grouped = conflicts(table(*random_rules(seed, 150))).findings
    join = engine.Analysis.join

    def without_groups(self, on_pair, *args, **kwargs):
        kwargs.pop("on_bystanders", None)
        return join(self, on_pair, *args, **kwargs)

    monkeypatch.setattr(engine.Analysis, "join", without_groups)
    full = {summary(f) for f in conflicts(table(*random_rules(seed, 150))).findings}
    groups = [f for f in grouped if f.kind == "bystanders"]
    bystanders = {rule.index for f in groups for rule in f.routes[:-1]}
    listed = {summary(f) for f in grouped if f.kind != "bystanders"}
    assert listed <= full
    # each bystander keeps its pair with a route taking its methods
    assert bystanders <= {index for entry in listed for index in entry[3]}
    for left_out in full - listed:
        assert bystanders.intersection(left_out[3]), left_out
    for group in groups:
        # shown by a request the first bystander matches and an earlier route takes
        loser = group.routes[0]
        assert group.witness is not None and group.answered_by != loser.endpoint

def test_random_tables_have_bystander_groups():
    found = sum(any(f.kind == "bystanders" for f in conflicts(
        table(*random_rules(seed, 150))).findings) for seed in range(16))
    assert found >= 10
