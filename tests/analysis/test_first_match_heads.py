"""HeadIndex lists the earlier entries whose heads let them share a path with an entry:
one head a prefix of the other, and a literal entry's one path starting with the other's
head (checked against every pair)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from routecli.analysis.first_match_heads import HeadIndex


def _can_meet(head: str, literal: bool, other: str, other_literal: bool) -> bool:
    if not (head.startswith(other) or other.startswith(head)):
        return False
    if literal and not head.startswith(other):
        return False  # its one path is shorter than every path of the other
    return not (other_literal and not other.startswith(head))


_METHODS = st.one_of(st.none(), st.frozensets(st.sampled_from(["GET", "POST", "PUT"]),
                                               min_size=1))


def _methods_meet(asked, taken) -> bool:
    return asked is None or taken is None or not asked.isdisjoint(taken)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text("/ab", max_size=4), st.booleans(), _METHODS), max_size=25),
       st.lists(_METHODS, min_size=27, max_size=27), st.randoms(use_true_random=False))
def test_earlier_candidates_are_the_pairs_heads_and_methods_allow(shapes, asked, rng):
    indices = list(range(len(shapes)))
    rng.shuffle(indices)  # entries come in any order, with gaps left by later copies
    kept = [(head, literal, index * 2, methods)
            for (head, literal, methods), index in zip(shapes, indices)]
    # Every other entry can be an earlier one; all ask, and one that is no earlier entry
    # for anyone (the first of later copies, which carries the others).
    asking = [*(shape[:3] for shape in kept), ("/a", False, 2 * len(kept) + 1),
              ("", False, 2 * len(kept) + 3)]
    index = HeadIndex(kept[::2] + kept[1::2], asking)
    for (head, literal, at), methods in zip(asking, asked, strict=False):
        allowed = sorted(i for h, lit, i, _ in kept
                         if i < at and _can_meet(head, literal, h, lit))
        assert index.earlier(at, head, literal) == allowed
        taken = {i: m for _, _, i, m in kept}
        expected = [i for i in allowed if _methods_meet(methods, taken[i])]
        assert index.earlier(at, head, literal, methods) == expected


def test_a_route_limited_to_methods_meets_only_routes_taking_one_of_them():
    shapes = [("/x", True, i, frozenset({f"M{i}"})) for i in range(1_000)]
    shapes += [("/x", True, 1_000, None), ("/", False, 1_001, frozenset({"M5", "M7"}))]
    index = HeadIndex(shapes, [("/x", True, 2_000)])
    assert index.earlier(2_000, "/x", True, frozenset({"M5"})) == [5, 1_000, 1_001]
    assert index.earlier(2_000, "/x", True, frozenset({"M7", "M5", "M9"})) == [
        5, 7, 9, 1_000, 1_001]
    assert len(index.earlier(2_000, "/x", True)) == 1_002


def test_a_literal_route_meets_no_longer_head_and_no_shorter_literal():
    shapes = [("/res1", True, 0, None), ("/res1/", False, 1, None), ("/res", False, 2, None),
              ("/res12", True, 3, None), ("/res1", False, 4, None)]
    index = HeadIndex(shapes, [("/res12", True, 5), ("/res1", False, 6), ("/res12/", False, 7)])
    assert index.earlier(5, "/res12", True) == [2, 3, 4]
    assert index.earlier(6, "/res1", False) == [0, 1, 2, 3, 4]
    assert index.earlier(7, "/res12/", False) == [2, 4]
