"""Which touched route of OLD became which touched route of NEW (one route edited).

Candidates are scored, best first: the requests both answer; then the same pattern; then
the same endpoint; then the nearest positions (the smaller |i - j|), and of those the
smaller OLD index, then the smaller NEW index. Taking the best candidate whose routes are
both still free, again and again, gives the pairs.

Listing every candidate would be quadratic: 3,000 touched routes of one endpoint (or one
path) are 9,000,000 candidates. Only the pairs that answer requests together are listed
(at most one per request asked). The others come in three tiers (same pattern and
endpoint, same pattern, same endpoint), and within a tier's group (the routes sharing that
key) every free OLD route is a candidate for every free NEW route: what the previous tier
left in a group of this one can pair across it only with a different endpoint (or
pattern), or the previous tier would have taken it. So each tier is the nearest-first
matching of a group's positions, where the nearest pair among the free routes is always
next to each other in position order: a heap of neighbours does it in n log n.
"""

from __future__ import annotations

import heapq
from collections import Counter

from routecli.diff.identity import Touched


def pair_touched(old, new, touched: Touched, co_answered: Counter) -> dict[int, int]:
    """OLD index -> NEW index for the touched routes that are one route edited: moved
    routes first, then as the module doc says. ``co_answered[i, j]``: requests that OLD's
    route ``i`` and NEW's route ``j`` both answer."""
    pairs = dict(touched.moved)
    free_old = {i for i in touched.old if i not in pairs}
    free_new = set(touched.new) - set(pairs.values())

    def take(i: int, j: int) -> None:
        pairs[i] = j
        free_old.discard(i)
        free_new.discard(j)

    together = []
    for (i, j), count in co_answered.items():
        if i in free_old and j in free_new:
            a, b = old.rules[i], new.rules[j]
            together.append(((count, a.rule == b.rule, a.endpoint == b.endpoint, -abs(i - j),
                              -i, -j), i, j))
    together.sort(reverse=True)
    for _, i, j in together:
        if i in free_old and j in free_new:
            take(i, j)
    for key in (lambda rule: (rule.rule, rule.endpoint), lambda rule: rule.rule,
                lambda rule: rule.endpoint):
        groups: dict = {}
        for i in sorted(free_old):
            groups.setdefault(key(old.rules[i]), ([], []))[0].append(i)
        for j in sorted(free_new):
            group = groups.get(key(new.rules[j]))
            if group is not None:
                group[1].append(j)
        for olds, news in groups.values():
            if olds and news:
                for i, j in nearest_first(olds, news):
                    take(i, j)
    return pairs


def nearest_first(olds: list[int], news: list[int]) -> list[tuple[int, int]]:
    """Pairs of ``olds`` and ``news`` positions (each ascending), nearest first (ties: the
    smaller old, then the smaller new), each position in one pair at most, until one side
    is used up."""
    items = sorted([(i, 0) for i in olds] + [(j, 1) for j in news])
    count = len(items)
    before = list(range(-1, count - 1))
    after = list(range(1, count + 1))
    free = [True] * count

    def neighbours(a: int, b: int) -> tuple | None:
        """The heap entry of positions ``a`` < ``b`` next to each other, if they pair."""
        if a < 0 or b >= count or items[a][1] == items[b][1]:
            return None
        i, j = (items[a][0], items[b][0]) if items[a][1] == 0 else (items[b][0], items[a][0])
        return (abs(i - j), i, j, a, b)

    heap = [entry for a in range(count - 1) if (entry := neighbours(a, a + 1))]
    heapq.heapify(heap)
    out = []
    while heap:
        _, i, j, a, b = heapq.heappop(heap)
        if not (free[a] and free[b]):
            continue  # two free positions once next to each other still are
        out.append((i, j))
        free[a] = free[b] = False
        left, right = before[a], after[b]
        if left >= 0:
            after[left] = right
        if right < count:
            before[right] = left
        entry = neighbours(left, right)
        if entry is not None:
            heapq.heappush(heap, entry)
    return out
