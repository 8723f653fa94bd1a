"""Questions about several automata, answered with shortest readable witnesses: the lazy
product for intersection, the lazy subset construction for inclusion and difference, both
under a state budget (Undecidable "too large" beyond it)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

from routecli.automata.automaton import Automaton, _make, is_empty
from routecli.automata.charsets import ANY_CHAR, CharSet, _and, _sub
from routecli.automata.limits import Undecidable, current_budget

#: Default cap on the states explored by one intersection or inclusion question.
DEFAULT_MAX_STATES = 100_000


def _shortest_readable(start: Hashable,
                       moves: Callable[[Hashable], Iterable[tuple[int, str, Hashable]]],
                       is_goal: Callable[[Hashable], bool], max_states: int) -> str | None:
    """Layered BFS: a shortest path to a goal, lexicographically smallest by character rank.

    ``moves(state)`` yields ``(rank, char, target)``. Within a layer, states are kept in the
    order of their best path string; states reached by equal strings share a class number, so
    sorting candidates by (parent class, rank) keeps that order exact for the next layer.
    Each state explored and each move spends a step of the current work budget.
    """
    spend = current_budget().spend
    spend(1)  # a question asked after the budget ran out fails at once
    if is_goal(start):
        return ""
    parent: dict[Hashable, tuple[Hashable, str] | None] = {start: None}
    layer: list[tuple[int, Hashable]] = [(0, start)]
    while layer:
        cands = []
        for cls, st in layer:
            found = moves(st)
            spend(1 + len(found))
            for rank, ch, t in found:
                if t not in parent:
                    cands.append((cls, rank, ch, t, st))
        if not cands:
            return None
        cands.sort(key=lambda c: (c[0], c[1]))
        layer = []
        last = None
        cls = -1
        for pcls, rank, ch, t, st in cands:
            if t in parent:
                continue
            if (pcls, rank) != last:
                cls += 1
                last = (pcls, rank)
            parent[t] = (st, ch)
            if is_goal(t):
                out = []
                node: Hashable = t
                while (step := parent[node]) is not None:
                    node, c = step
                    out.append(c)
                return "".join(reversed(out))
            layer.append((cls, t))
        if len(parent) > max_states:
            raise Undecidable(f"too large: more than {max_states} states explored")
    return None


def intersection(*parts: Automaton) -> Automaton:
    """An automaton for the intersection of the parts' languages."""
    if len(parts) == 1:
        return parts[0]
    if any(is_empty(p) for p in parts):
        return Automaton.empty()
    start = (0,) * len(parts)
    index = {start: 0}
    order = [start]
    edges: list[list[tuple]] = []
    spend = current_budget().spend
    spend(1)
    for state in order:  # grows while iterating
        out: list[tuple] = [(None, ())]
        for automaton, q in zip(parts, state):
            nxt = []
            spend(1 + len(out) * len(automaton.edges[q]))
            for label, targets in out:
                for charset, target in automaton.edges[q]:
                    # memoised: equal labels stay one object, shared by every state of
                    # the product (a \w label is hundreds of intervals)
                    both = charset if label is None else _and(label, charset)
                    if both:
                        nxt.append((both, (*targets, target)))
            out = nxt
            if not out:
                break
        row = []
        for label, targets in out:
            j = index.get(targets)
            if j is None:
                j = index[targets] = len(order)
                order.append(targets)
                if len(order) > DEFAULT_MAX_STATES:
                    raise Undecidable("too large: product automaton")
            row.append((label, j))
        edges.append(row)
    accepting = [all(p.accepting[q] for p, q in zip(parts, state)) for state in order]
    return _make(edges, accepting)


def intersect_witness(*automata: Automaton, max_states: int = DEFAULT_MAX_STATES) -> str | None:
    """A shortest string accepted by every automaton (readable on ties), or None if there is none.

    With a single automaton this is its shortest readable member.
    """
    if not automata:
        raise TypeError("intersect_witness needs at least one automaton")
    if any(is_empty(a) for a in automata):
        return None
    if len(automata) == 1:
        (a,) = automata
        return _shortest_readable(
            0, lambda q: [(cs.best[0], cs.best[1], t) for cs, t in a.edges[q]],
            a.accepting.__getitem__, max_states)

    all_edges = [a.edges for a in automata]
    all_acc = [a.accepting for a in automata]
    spend = current_budget().spend

    def moves(state: tuple[int, ...]) -> list[tuple[int, str, tuple[int, ...]]]:
        parts: list[tuple[CharSet, tuple[int, ...]]] = [(ANY_CHAR, ())]
        for edges, q in zip(all_edges, state, strict=True):
            # counted before the work: one state of two alternations of N words each
            # meets N^2 edge pairs
            spend(len(parts) * len(edges[q]))
            nxt = []
            for label, ts in parts:
                for cs, t in edges[q]:
                    both = _and(label, cs)
                    if both:
                        nxt.append((both, (*ts, t)))
            parts = nxt
            if not parts:
                return []
        return [(cs.best[0], cs.best[1], ts) for cs, ts in parts]

    def is_goal(state: tuple[int, ...]) -> bool:
        return all(acc[q] for acc, q in zip(all_acc, state, strict=True))

    return _shortest_readable((0,) * len(automata), moves, is_goal, max_states)


def intersects(a: Automaton, b: Automaton, max_states: int = DEFAULT_MAX_STATES) -> bool:
    """``intersect_witness(a, b, max_states=max_states) is not None``, without building the
    witness: a depth-first search of the product when it has at most ``max_states`` states
    (the witness search then could not run out of budget), the witness search otherwise (so
    that it raises :class:`Undecidable` where that one does)."""
    if is_empty(a) or is_empty(b):
        return False
    if len(a.edges) * len(b.edges) > max_states:
        return intersect_witness(a, b, max_states=max_states) is not None
    a_edges, b_edges = a.edges, b.edges
    a_acc, b_acc = a.accepting, b.accepting
    spend = current_budget().spend
    spend(1)
    seen = {(0, 0)}
    stack = [(0, 0)]
    while stack:
        p, q = stack.pop()
        if a_acc[p] and b_acc[q]:
            return True
        spend(1 + len(a_edges[p]) * len(b_edges[q]))
        for cs, t in a_edges[p]:
            for ds, u in b_edges[q]:
                if (t, u) not in seen and _and(cs, ds):
                    seen.add((t, u))
                    stack.append((t, u))
    return False


def difference_witness(a: Automaton, *others: Automaton,
                       max_states: int = DEFAULT_MAX_STATES) -> str | None:
    """A shortest string of ``a`` matched by none of ``others``, or None if L(a) ⊆ ∪ L(others).

    The union of ``others`` is determinised on demand (subset construction, paired with the
    states of ``a``); raises :class:`Undecidable` ``"too large"`` beyond ``max_states`` pairs.
    """
    if is_empty(a):
        return None
    u = Automaton.union(*others)
    if is_empty(u):
        return intersect_witness(a, max_states=max_states)
    a_edges, a_acc = a.edges, a.accepting
    u_edges, u_acc = u.edges, u.accepting
    subset_moves: dict[frozenset[int], list[tuple[CharSet, int]]] = {}
    spend = current_budget().spend
    spend(1)

    def moves_of(subset: frozenset[int]) -> list[tuple[CharSet, int]]:
        # Edges leaving a subset, merged per target so that each target splits labels once.
        es = subset_moves.get(subset)
        if es is None:
            spend(len(subset))
            by_target: dict[int, CharSet] = {}
            for q in subset:
                for cs, t in u_edges[q]:
                    old = by_target.get(t)
                    by_target[t] = cs if old is None else old | cs
            es = subset_moves[subset] = [(cs, t) for t, cs in by_target.items()]
        return es

    def moves(state: tuple[int, frozenset[int]]):
        qa, subset = state
        u_moves = moves_of(subset)
        spend(len(a_edges[qa]) * len(u_moves))
        out = []
        for cs_a, ta in a_edges[qa]:
            # Refine the a-edge's label by every edge of the subset: each piece knows exactly
            # which subset states it leads to.
            parts: list[tuple[CharSet, tuple[int, ...]]] = [(cs_a, ())]
            for cs_u, tu in u_moves:
                nxt = []
                for label, ts in parts:
                    inside = _and(label, cs_u)
                    if not inside:
                        nxt.append((label, ts))
                        continue
                    nxt.append((inside, (*ts, tu)))
                    outside = _sub(label, cs_u)
                    if outside:
                        nxt.append((outside, ts))
                parts = nxt
            for label, ts in parts:
                out.append((label.best[0], label.best[1], (ta, frozenset(ts))))
        return out

    def is_goal(state: tuple[int, frozenset[int]]) -> bool:
        qa, subset = state
        return a_acc[qa] and not any(u_acc[q] for q in subset)

    return _shortest_readable((0, frozenset((0,))), moves, is_goal, max_states)


def is_subset(a: Automaton, *others: Automaton, max_states: int = DEFAULT_MAX_STATES) -> bool:
    """True if every string of ``a`` is accepted by at least one of ``others``."""
    return difference_witness(a, *others, max_states=max_states) is None
