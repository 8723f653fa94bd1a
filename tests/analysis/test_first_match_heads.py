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


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text("/ab", max_size=4), st.booleans()), max_size=25),
       st.randoms(use_true_random=False))
def test_earlier_candidates_are_the_pairs_heads_allow(shapes, rng):
    indices = list(range(len(shapes)))
    rng.shuffle(indices)  # entries come in any order, with gaps left by later copies
    kept = [(head, literal, index * 2) for (head, literal), index in zip(shapes, indices)]
    # Every other entry can be an earlier one; all ask, and one that is no earlier entry
    # for anyone (the first of later copies, which carries the others).
    asking = [*kept, ("/a", False, 2 * len(kept) + 1), ("", False, 2 * len(kept) + 3)]
    index = HeadIndex(kept[::2] + kept[1::2], asking)
    for head, literal, at in asking:
        expected = sorted(i for h, lit, i in kept if i < at and _can_meet(head, literal, h, lit))
        assert index.earlier(at, head, literal) == expected


def test_a_literal_route_meets_no_longer_head_and_no_shorter_literal():
    shapes = [("/res1", True, 0), ("/res1/", False, 1), ("/res", False, 2),
              ("/res12", True, 3), ("/res1", False, 4)]
    index = HeadIndex(shapes, [("/res12", True, 5), ("/res1", False, 6), ("/res12/", False, 7)])
    assert index.earlier(5, "/res12", True) == [2, 3, 4]
    assert index.earlier(6, "/res1", False) == [0, 1, 2, 3, 4]
    assert index.earlier(7, "/res12/", False) == [2, 4]
