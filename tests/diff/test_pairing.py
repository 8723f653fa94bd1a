"""Pairing touched routes (routecli/diff/pairing.py) gives the pairs of the greedy rule
over every candidate, scored as docs/diff.md#change-kinds says, without listing the candidates: checked
against that rule written out, and on groups too large to list."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from routecli.diff.identity import Touched
from routecli.diff.pairing import nearest_first, pair_touched


def _table(shapes) -> SimpleNamespace:
    return SimpleNamespace(rules=[SimpleNamespace(rule=rule, endpoint=endpoint)
                                  for rule, endpoint in shapes])


def _every_candidate(old, new, touched: Touched, co_answered: Counter) -> dict[int, int]:
    """The rule itself: every candidate scored, the best taken while both are free."""
    pairs = dict(touched.moved)
    taken = set(pairs.values())
    scores = {}
    for i in touched.old:
        for j in touched.new:
            a, b = old.rules[i], new.rules[j]
            count = co_answered.get((i, j), 0)
            if count or a.rule == b.rule or a.endpoint == b.endpoint:
                scores[i, j] = (count, a.rule == b.rule, a.endpoint == b.endpoint,
                                -abs(i - j), -i, -j)
    for (i, j), _ in sorted(scores.items(), key=lambda item: item[1], reverse=True):
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    return pairs


_SHAPES = st.lists(st.tuples(st.sampled_from(["/a", "/b", "/c"]), st.sampled_from("xyz")),
                   min_size=1, max_size=14)


@settings(max_examples=400, deadline=None)
@given(_SHAPES, _SHAPES, st.data())
def test_pairs_are_the_greedy_rule_over_every_candidate(old_shapes, new_shapes, data):
    old, new = _table(old_shapes), _table(new_shapes)
    touched_old = data.draw(st.sets(st.sampled_from(range(len(old_shapes)))))
    touched_new = data.draw(st.sets(st.sampled_from(range(len(new_shapes)))))
    free_new = sorted(set(range(len(new_shapes))) - touched_new)
    moved = {}
    for i in sorted(set(range(len(old_shapes))) - touched_old):
        if free_new and data.draw(st.booleans()):
            moved[i] = free_new.pop()
    counts = data.draw(st.dictionaries(
        st.tuples(st.sampled_from(sorted(touched_old) or [0]),
                  st.sampled_from(sorted(touched_new) or [0])),
        st.integers(1, 3), max_size=6))
    co_answered = Counter({key: count for key, count in counts.items()
                           if key[0] in touched_old and key[1] in touched_new})
    touched = Touched(touched_old, touched_new, {}, moved)
    assert pair_touched(old, new, touched, co_answered) == \
        _every_candidate(old, new, touched, co_answered)


@settings(max_examples=300, deadline=None)
@given(st.sets(st.integers(0, 40)), st.sets(st.integers(0, 40)))
def test_nearest_first_is_the_greedy_rule_on_positions(olds, news):
    expected, used_old, used_new = [], set(), set()
    for _, i, j in sorted((abs(i - j), i, j) for i in olds for j in news):
        if i not in used_old and j not in used_new:
            expected.append((i, j))
            used_old.add(i)
            used_new.add(j)
    assert nearest_first(sorted(olds), sorted(news)) == expected


def test_routes_of_one_endpoint_pair_by_position_without_listing_every_candidate():
    # 20,000 touched routes of one endpoint were 10^8 candidates (gigabytes) before.
    count = 10_000
    old = _table([(f"/o{i}", "view") for i in range(count)])
    new = _table([(f"/n{i}", "view") for i in range(count)])
    touched = Touched(set(range(count)), set(range(1, count)), {}, {})
    pairs = pair_touched(old, new, touched, Counter({(5, 9): 1}))
    assert pairs[5] == 9  # the requests both answer come first
    assert pairs[4] == 4 and pairs[6] == 6 and pairs[10] == 10
    assert pairs[9] == 5 and 0 not in pairs  # the nearest free of what is left
    assert len(pairs) == count - 1 and len(set(pairs.values())) == count - 1
