"""Lint's blocks (routecli/analysis/blocks.py) report exactly what pairing routes one by
one reports: on random tables full of converter-argument variants (many routes on one
trie state, most of them bystanders), every finding -- message, routes, witness, details,
grouped members -- is the same with blocks as with every pair emitted one by one."""

from __future__ import annotations

import random
import re

import pytest

from helpers import table
from routecli.analysis import engine
from routecli.analysis.run import lint_report

SEGMENTS = ["a", "b", "<x>", "<int:x>", "<int(max={k}):x>", "<int(min={k}):x>",
            "<string(length={k1}):x>", "<string(maxlength={k1}):x>", "<any(a,b{k}):x>",
            "<uuid:x>", "<float:x>", "<int(signed=True):x>", "<any(a,b):x>",
            "<string(minlength={k}):x>"]
ENDINGS = ["", "/", "/<path:x>", "/<path:x>/"]
METHODS = [None, ["GET"], ["POST"], ["GET", "POST"], ["PUT"], ["GET", "DELETE"]]


def random_rules(seed: int, count: int) -> list:
    """``count`` routes over a small vocabulary, so that many share a trie state and
    differ only in a converter argument or their methods."""
    rng = random.Random(seed)
    rules = []
    for i in range(count):
        segments = [rng.choice(SEGMENTS).format(k=rng.randint(0, 4), k1=rng.randint(1, 5))
                    for _ in range(rng.randint(1, 3))]
        rule = "/" + "/".join(segments) + rng.choice(ENDINGS)
        names = iter("abcdefgh")
        rule = re.sub(r"(<(?:[^<>]*:)?)x>", lambda m, names=names: m.group(1) + next(names) + ">",
                      rule)
        options = {}
        methods = rng.choice(METHODS)
        if methods is not None:
            options["methods"] = methods
        if methods in (None, ["GET"]) and rng.random() < 0.15:
            options["websocket"] = True
        rules.append((rule, f"e{i}", options))
    return rules


def findings(tbl) -> list:
    out = []
    for finding in lint_report(tbl).findings:
        members = getattr(finding, "members", None) or [finding]
        for member in members:
            witness = member.witness
            out.append((member.code, member.severity, member.message,
                        [rule.index for rule in member.routes],
                        None if witness is None else (witness.method, witness.url),
                        member.answered_by, repr(member.details), repr(member.cause)))
    return out


@pytest.fixture
def one_by_one(monkeypatch):
    """Lint with every block declined: the join then emits each pair by itself."""
    def emit(enabled: bool) -> None:
        if enabled:
            monkeypatch.setattr(engine.PairCollector, "on_block",
                                lambda self, *args: False)
        else:
            monkeypatch.undo()
    return emit


USED: list = []  # per random table: whether some block was recorded


@pytest.mark.parametrize("seed", range(24))
def test_blocks_report_what_pairs_report(seed, one_by_one, monkeypatch):
    tbl = table(*random_rules(seed, 70))
    used = []
    original = engine.PairCollector.on_block

    def counting(self, *args):
        result = original(self, *args)
        used.append(result)
        return result

    monkeypatch.setattr(engine.PairCollector, "on_block", counting)
    fast = findings(tbl)
    monkeypatch.undo()
    one_by_one(True)
    slow = findings(table(*random_rules(seed, 70)))
    assert fast == slow
    USED.append(bool(used))


def test_most_random_tables_use_blocks():
    if len(USED) < 24:
        pytest.skip("runs after the random tables")
    assert sum(USED) >= 12


def test_bystanders_across_states_are_one_block_per_state_pair():
    # 300 int(max=K) variants under /a/ against 300 under /<s>/: 90,000 pairs before;
    # one block of the 300 tried first against the one route of /<s>/ that answers (its
    # 299 bystanders are not paired across states: their taker's pairs stand for them)
    rules = [(f"/a/<int(max={k}):x>" if k % 2 else f"/<s>/<int(max={k}):x>", f"e{k}")
             for k in range(600)]
    calls = []
    original = engine.PairCollector.on_block

    def counting(self, *args):
        calls.append(len(args[0]) * len(args[1]))
        return original(self, *args)

    import pytest as _pytest
    with _pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine.PairCollector, "on_block", counting)
        report = lint_report(table(*rules))
    assert calls == [300 * 1]
    codes = sorted(f.code for f in report.findings)
    # Each variant after its state's first is a duplicate of it: RL101 alone reports the
    # methods it loses (a duplicate is not also RL103, realapps: one finding per cause).
    assert codes.count("RL101") == 598 and codes.count("RL110") == 2
    assert "RL103" not in codes
    fast = findings(table(*rules))
    with _pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine.PairCollector, "on_block", lambda self, *args: False)
        assert findings(table(*rules)) == fast


def catch_all_rules(seed: int, count: int) -> list:
    """Catch-alls (``/<path:rest>`` at the root and under statics, with methods of their
    own) registered among routes below them: ids that refuse values (RL110's traps),
    methods the catch-alls lose or keep (RL106), copies and variants (bystanders),
    websocket routes, routes whose first piece can be empty and a custom regex."""
    rng = random.Random(seed)
    tops = ["a", "b", "<int:t>", "<any(c,d):t>"]
    below = ["s", "<x>", "<int:x>", "<int(max={k}):x>", "<int(min={k}):x>", "<uuid:x>",
             "<string(minlength=0):x>", "<any(p,q):x>", "<float:x>", "<re:x>"]
    rules = [("/<path:rest>", "spa", {"methods": ["GET", "POST"]})]
    for i in range(count):
        top = rng.choice(tops)
        if rng.random() < 0.12:
            rule = f"/{top}/<path:rest>"
        else:
            segments = [rng.choice(below).format(k=rng.randint(0, 3))
                        for _ in range(rng.randint(1, 2))]
            rule = f"/{top}/" + "/".join(segments) + rng.choice(["", "", "/"])
        names = iter("abcdefgh")
        rule = re.sub(r"(<(?:[^<>]*:)?)(?:x|t)>",
                      lambda m, names=names: m.group(1) + next(names) + ">", rule)
        options = {}
        methods = rng.choice(METHODS + [["GET", "PATCH"], ["DELETE"]])
        if methods is not None:
            options["methods"] = methods
        if methods in (None, ["GET"]) and rng.random() < 0.1:
            options["websocket"] = True
        rules.append((rule, f"e{i}", options))
    rng.shuffle(rules)
    return rules


# a custom converter: its parts are not plain, so a subtree holding one is paired one by one
CUSTOM = {"re": {"regex": r"[a-z]+\d?"}}


@pytest.mark.parametrize("seed", range(16))
def test_whole_blocks_report_what_pairs_report(seed, one_by_one, monkeypatch):
    # a catch-all tried after a subtree inside it: the pairs stay in one block (whole),
    # read by RL103, RL106 and RL110 from it; declined, they come one by one
    rules = catch_all_rules(seed, 60)
    wholes = []
    original = engine.PairCollector.on_block

    def counting(self, *args):
        wholes.append(len(args) > 6 and args[6])
        return original(self, *args)

    monkeypatch.setattr(engine.PairCollector, "on_block", counting)
    fast = findings(table(*rules, converters=CUSTOM))
    monkeypatch.undo()
    assert any(wholes)
    one_by_one(True)
    slow = findings(table(*rules, converters=CUSTOM))
    assert fast == slow
