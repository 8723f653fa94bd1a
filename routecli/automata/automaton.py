"""The automaton: an epsilon-free NFA with CharSet-labelled edges, built by Thompson
construction (epsilon edges carrying zero-width guards, resolved once by epsilon
elimination), with its constructors (literal, charset, concat, union, star) and the two
simple questions (is it empty, does it accept a string)."""

from __future__ import annotations

import functools
import itertools
from bisect import bisect_right
from collections.abc import Callable, Sequence

from routecli.automata.charsets import ANY_CHAR, EMPTY_SET, CharSet, _single
from routecli.automata.limits import Undecidable, current_budget

# Cap on Thompson states while compiling one pattern (counted repeats are expanded into copies).
_MAX_BUILD_STATES = 100_000


# Zero-width guards on epsilon edges.
#  - look-behind guards test the "previous character" context sigma: _START (nothing consumed) or
#    a bit mask telling which registered look-behind classes contain the last character;
#  - look-ahead guards add a constraint on what follows: (allowed next chars, may end here,
#    must end right after the next char).
_START = -1
_G_AT_START = 0  # \A, ^ without MULTILINE
_G_PREV_IN = 1  # (?<=C): something was consumed and it is in C
_G_PREV_NOT_IN = 2  # (?<!C): nothing consumed, or the last char is not in C
_G_PREV_IN_OR_START = 3  # ^ with MULTILINE: at start or after "\n"
_G_AHEAD = 4

# A look-ahead constraint: (allowed next characters, may end here, must end after the next char).
_Ahead = tuple[CharSet, bool, bool]
_FREE: _Ahead = (ANY_CHAR, True, False)
_MUST_END: _Ahead = (EMPTY_SET, True, False)


def _ahead_and(x: _Ahead, y: _Ahead) -> _Ahead:
    if x is _FREE:
        return y
    if y is _FREE:
        return x
    return (x[0] & y[0], x[1] and y[1], x[2] or y[2])


class _Builder:
    """Thompson NFA under construction: states with epsilon edges (maybe guarded) and char edges."""

    def __init__(self) -> None:
        self.eps: list[list[tuple[int, tuple | None]]] = []
        self.moves: list[list[tuple[CharSet, int]]] = []
        self.behind: list[CharSet] = []  # look-behind classes, indexed by guard
        self.uses_start = False

    def state(self) -> int:
        if len(self.moves) >= _MAX_BUILD_STATES:
            raise Undecidable("too large: pattern expands beyond the state budget")
        self.eps.append([])
        self.moves.append([])
        return len(self.moves) - 1

    def char(self, cs: CharSet) -> tuple[int, int]:
        s, f = self.state(), self.state()
        if cs:
            self.moves[s].append((cs, f))
        return s, f

    def epsilon(self, guard: tuple | None = None) -> tuple[int, int]:
        s, f = self.state(), self.state()
        self.eps[s].append((f, guard))
        return s, f

    def nothing(self) -> tuple[int, int]:
        return self.state(), self.state()

    def behind_class(self, cs: CharSet) -> int:
        self.uses_start = True
        if cs not in self.behind:
            self.behind.append(cs)
        return self.behind.index(cs)

    def seq(self, frags: Sequence[tuple[int, int]]) -> tuple[int, int]:
        if not frags:
            return self.epsilon()
        for (_, x), (e, _) in itertools.pairwise(frags):
            self.eps[x].append((e, None))
        return frags[0][0], frags[-1][1]

    def alt(self, frags: Sequence[tuple[int, int]]) -> tuple[int, int]:
        s, f = self.state(), self.state()
        for e, x in frags:
            self.eps[s].append((e, None))
            self.eps[x].append((f, None))
        return s, f

    def repeat(self, build: Callable[[], tuple[int, int]], lo: int, hi: int | None
               ) -> tuple[int, int]:
        if hi == 0:
            return self.epsilon()
        first = len(self.moves)
        frag = build()
        size = len(self.moves) - first
        copies = max(hi if hi is not None else lo, 1)
        if len(self.moves) + size * (copies - 1) > _MAX_BUILD_STATES:
            raise Undecidable(f"too large: repeat count {copies} exceeds the state budget")
        current_budget().spend(size * (copies - 1))
        # Clone before wiring: the fragment's edges then all stay inside its state range.
        frags = [frag] + [self._clone(first, size, frag) for _ in range(copies - 1)]
        if hi is None:
            e, x = frags[max(lo, 1) - 1]
            s, f = self.state(), self.state()
            self.eps[s].append((e, None))
            self.eps[x].append((e, None))
            self.eps[x].append((f, None))
            if lo == 0:
                self.eps[s].append((f, None))
            return self.seq(frags[: max(lo, 1) - 1] + [(s, f)])
        s, f = self.state(), self.state()
        cur = s
        for e, x in frags[lo:hi]:
            self.eps[cur].append((e, None))
            self.eps[cur].append((f, None))
            cur = x
        self.eps[cur].append((f, None))
        return self.seq(frags[:lo] + [(s, f)])

    def _clone(self, first: int, size: int, frag: tuple[int, int]) -> tuple[int, int]:
        off = len(self.moves) - first
        for q in range(first, first + size):
            self.eps.append([(t + off, g) for t, g in self.eps[q]])
            self.moves.append([(cs, t + off) for cs, t in self.moves[q]])
        return frag[0] + off, frag[1] + off

    def embed(self, a: Automaton) -> tuple[int, int]:
        """Copy an epsilon-free automaton in as a fragment with fresh entry and exit states."""
        base = len(self.moves)
        for q in range(len(a.edges)):
            self.state()
            self.moves[base + q] = [(cs, t + base) for cs, t in a.edges[q]]
        s, f = self.state(), self.state()
        self.eps[s].append((base, None))
        for q, acc in enumerate(a.accepting):
            if acc:
                self.eps[base + q].append((f, None))
        return s, f


def _guard_passes(kind: int, arg: int, sigma: int) -> bool:
    if kind == _G_AT_START:
        return sigma == _START
    if sigma == _START:
        return kind != _G_PREV_IN
    inside = (sigma >> arg) & 1 == 1
    return inside if kind != _G_PREV_NOT_IN else not inside


def _eliminate_epsilons(b: _Builder, start: int, final: int) -> Automaton:
    """Epsilon-free NFA over extended states (Thompson state, previous-char context, look-ahead)."""
    return _make(*_epsilon_free(b, start, final))


def _epsilon_free(b: _Builder, start: int, final: int
                  ) -> tuple[list[list[tuple[CharSet, int]]], list[bool]]:
    """The rows (edges, accepting) of :func:`_eliminate_epsilons`' NFA, before trimming: one
    per extended state reached, so their number is what the state budget counted."""
    behind = b.behind
    track = b.uses_start
    s0 = (start, _START if track else 0, _FREE)
    index: dict[tuple, int] = {s0: 0}
    order = [s0]
    edges: list[list[tuple[CharSet, int]]] = []
    accepting: list[bool] = []
    eps, moves = b.eps, b.moves
    spend = current_budget().spend

    def split(label: CharSet) -> list[tuple[CharSet, int]]:
        # Which look-behind classes will the consumed character belong to?
        parts = [(label, 0)]
        for i, cls in enumerate(behind):
            nxt = []
            for p, sig in parts:
                inside, outside = p & cls, p - cls
                if inside:
                    nxt.append((inside, sig | (1 << i)))
                if outside:
                    nxt.append((outside, sig))
            parts = nxt
        return parts

    i = 0
    while i < len(order):
        ext = order[i]
        i += 1
        # Epsilon closure of one extended state; guards are decided here, once.
        seen = {ext}
        stack = [ext]
        while stack:
            q, sigma, ahead = stack.pop()
            for t, g in eps[q]:
                if g is None:
                    nxt = (t, sigma, ahead)
                elif g[0] == _G_AHEAD:
                    na = _ahead_and(ahead, g[1])
                    if not na[0] and not na[1]:
                        continue  # no continuation can satisfy it
                    nxt = (t, sigma, na)
                elif _guard_passes(g[0], g[1] if len(g) > 1 else 0, sigma):
                    nxt = (t, sigma, ahead)
                else:
                    continue
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        spend(len(seen))
        acc = False
        targets: dict[tuple, CharSet] = {}
        for q, _, ahead in seen:
            if q == final and ahead[1]:
                acc = True
            if not moves[q]:
                continue
            after = _MUST_END if ahead is not _FREE and ahead[2] else _FREE
            for label, t in moves[q]:
                if ahead is not _FREE:
                    label = label & ahead[0]
                    if not label:
                        continue
                for part, sig in (split(label) if behind else ((label, 0),)):
                    key = (t, sig, after)
                    old = targets.get(key)
                    targets[key] = part if old is None else old | part
        out = []
        for key, label in targets.items():
            j = index.get(key)
            if j is None:
                if len(order) >= _MAX_BUILD_STATES:
                    raise Undecidable("too large: pattern expands beyond the state budget")
                j = index[key] = len(order)
                order.append(key)
            out.append((label, j))
        edges.append(out)
        accepting.append(acc)
    return edges, accepting


# --------------------------------------------------------------------------------------------
# Automata
# --------------------------------------------------------------------------------------------


class Automaton:
    """An epsilon-free NFA whose edges carry :class:`CharSet` labels.

    State 0 is the start state. Every state is reachable and can reach an accepting state
    (trimmed), so the language is empty exactly when no state accepts. Instances are immutable.
    """

    __slots__ = ("__weakref__", "accepting", "edges")

    edges: tuple[tuple[tuple[CharSet, int], ...], ...]
    accepting: tuple[bool, ...]

    def __init__(self, edges, accepting) -> None:
        # Trusted constructor; use compile_regex or the class methods.
        self.edges = edges
        self.accepting = accepting

    def __repr__(self) -> str:
        n_edges = sum(map(len, self.edges))
        return f"<Automaton states={len(self.edges)} edges={n_edges}>"

    @property
    def num_states(self) -> int:
        """Number of states (after trimming)."""
        return len(self.edges)

    # -- constructors ---------------------------------------------------------------------------

    @classmethod
    def empty(cls) -> Automaton:
        """The empty language."""
        return _EMPTY

    @classmethod
    def charset(cls, chars: CharSet) -> Automaton:
        """All one-character strings whose character is in ``chars``."""
        return _make([[(chars, 1)], []], [False, True])

    @classmethod
    def literal(cls, text: str) -> Automaton:
        """The language ``{text}``."""
        return _literal(text)

    @classmethod
    def any_string(cls, exclude: str = "") -> Automaton:
        """All strings (the empty one included) containing none of the characters in ``exclude``."""
        return _any_string(exclude)

    @classmethod
    def concat(cls, *parts: Automaton) -> Automaton:
        """Concatenation of the parts' languages, in order (no parts: the empty string)."""
        if not parts:
            return _literal("")
        if len(parts) == 1:
            return parts[0]
        return _concat(parts)

    @classmethod
    def union(cls, *parts: Automaton) -> Automaton:
        """Union of the parts' languages (no parts: the empty language)."""
        parts = tuple(p for p in parts if not is_empty(p))
        if not parts:
            return _EMPTY
        if len(parts) == 1:
            return parts[0]
        return _union(parts)

    @classmethod
    def star(cls, part: Automaton) -> Automaton:
        """Kleene star: zero or more strings of ``part``, concatenated."""
        b = _Builder()
        s, f = b.repeat(lambda: b.embed(part), 0, None)
        return _eliminate_epsilons(b, s, f)


# Automata are immutable and hash by identity, so compositions can be memoised on their parts:
# the overlap analysis builds the same route tails over and over. Only small results are
# kept: 1,024 unions of hundreds of large languages (a first-match table of long counted
# repetitions) would hold gigabytes, and a large result is rebuilt in time linear in it.
_MEMO_MAX_STATES = 512


def _memoised_when_small(build):
    memo = functools.lru_cache(maxsize=1024)(build)

    def composed(parts: tuple[Automaton, ...]) -> Automaton:
        if sum(len(p.edges) for p in parts) > _MEMO_MAX_STATES:
            return build(parts)
        return memo(parts)

    return composed


@_memoised_when_small
def _concat(parts: tuple[Automaton, ...]) -> Automaton:
    if any(is_empty(p) for p in parts):
        return _EMPTY
    b = _Builder()
    s, f = b.seq([b.embed(p) for p in parts])
    return _eliminate_epsilons(b, s, f)


@_memoised_when_small
def _union(parts: tuple[Automaton, ...]) -> Automaton:
    # A fresh start state copies every part's start edges; old start states stay as they are.
    raw: list[list[tuple[CharSet, int]]] = [[]]
    acc = [False]
    for p in parts:
        base = len(raw)
        raw[0].extend((cs, t + base) for cs, t in p.edges[0])
        acc[0] = acc[0] or p.accepting[0]
        raw.extend([(cs, t + base) for cs, t in es] for es in p.edges)
        acc.extend(p.accepting)
    return _make(raw, acc)


def _make(raw_edges: Sequence[Sequence[tuple[CharSet, int]]], raw_accepting: Sequence[bool]
          ) -> Automaton:
    """Trim (reachable and co-reachable), merge parallel edges, renumber from 0, sort edges."""
    n = len(raw_edges)
    current_budget().spend(n)
    rev: list[list[int]] = [[] for _ in range(n)]
    for q, es in enumerate(raw_edges):
        for _, t in es:
            rev[t].append(q)
    alive = [False] * n
    stack = [q for q in range(n) if raw_accepting[q]]
    for q in stack:
        alive[q] = True
    while stack:
        for p in rev[stack.pop()]:
            if not alive[p]:
                alive[p] = True
                stack.append(p)
    if not n or not alive[0]:
        return _EMPTY
    index = {0: 0}
    order = [0]
    merged: list[list[tuple[CharSet, int]]] = []
    for q in order:  # grows while iterating: BFS numbering
        by_target: dict[int, CharSet] = {}
        for cs, t in raw_edges[q]:
            if alive[t] and cs:
                old = by_target.get(t)
                by_target[t] = cs if old is None else old | cs
        es = []
        for t, cs in by_target.items():
            j = index.get(t)
            if j is None:
                j = index[t] = len(order)
                order.append(t)
            es.append((cs, j))
        es.sort(key=lambda e: e[0].best[0])
        merged.append(es)
    return Automaton(tuple(map(tuple, merged)), tuple(raw_accepting[q] for q in order))


_EMPTY = Automaton(((),), (False,))


@functools.lru_cache(maxsize=4096)
def _literal(text: str) -> Automaton:
    edges = [((_single(ord(c)), i + 1),) for i, c in enumerate(text)] + [()]
    return Automaton(tuple(edges), tuple(i == len(text) for i in range(len(text) + 1)))


@functools.lru_cache(maxsize=256)
def _any_string(exclude: str) -> Automaton:
    allowed = CharSet.from_chars(exclude).complement()
    return Automaton((((allowed, 0),) if allowed else (),), (True,))


def is_empty(a: Automaton) -> bool:
    """True if the automaton accepts no string at all."""
    return not a.accepting[0] and not a.edges[0]


# Subsets a membership test keeps per automaton (each with its successors by character):
# enough for every state a route's regex reaches on real paths, bounded on hostile ones.
_DFA_MAX_STEPS = 20_000


def membership_test(a: Automaton) -> Callable[[str], bool]:
    """:func:`accepts` for one automaton asked many strings (a matcher's guard): the
    subsets of states it meets and their successors per character are kept (a lazy DFA,
    at most ``_DFA_MAX_STEPS`` of them, then computed as accepts() does), so a character
    costs a dictionary lookup instead of a walk over every edge of every current state."""
    edges, accepting = a.edges, a.accepting
    start = frozenset((0,))
    steps: dict[tuple[frozenset, str], frozenset] = {}
    finals: dict[frozenset, bool] = {}

    def test(s: str) -> bool:
        current = start
        for ch in s:
            key = (current, ch)
            nxt = steps.get(key)
            if nxt is None:
                cp = ord(ch)
                nxt = frozenset(t for q in current for cs, t in edges[q]
                                if bisect_right(cs.bounds, cp) & 1)
                if len(steps) < _DFA_MAX_STEPS:
                    steps[key] = nxt
            if not nxt:
                return False
            current = nxt
        final = finals.get(current)
        if final is None:
            final = any(accepting[q] for q in current)
            if len(finals) < _DFA_MAX_STEPS:
                finals[current] = final
        return final

    return test


def accepts(a: Automaton, s: str) -> bool:
    """True if ``s`` is in the language (agrees with ``re.fullmatch`` for compiled patterns)."""
    edges = a.edges
    current = {0}
    for ch in s:
        cp = ord(ch)
        nxt = set()
        for q in current:
            for cs, t in edges[q]:
                if bisect_right(cs.bounds, cp) & 1:
                    nxt.add(t)
        if not nxt:
            return False
        current = nxt
    return any(a.accepting[q] for q in current)
