"""The self-join of the matcher's trie: every pair of rules that can answer one request.

Instead of comparing all pairs, the walk follows two paths through the compiled trie at
once, starting from (root, root), and only steps along pairs of edges whose parts can accept
a common segment (docs/lint.md#how-overlaps-are-decided). While both paths coincide the rules share a state; where
they split, the matcher's own order decides who is tried first: a static child before any
dynamic edge, dynamic edges in the order of the state's sorted list (equal weights in the
order their transitions were created, which other rules may influence, werkzeug#3156).
Rules ending at the two states reached together form the pairs. Cost follows the real
overlap: co-reachable state pairs plus the pairs found, each counted in the analysis's
work budget (:mod:`routecli.analysis.budget`): N routes that all meet are N^2 pairs, and
once the budget is spent the walk notes what it leaves (their routes, as RL199's) and stops.

Copies of one route (same state, so same compiled parts and host; same methods, converters
and options; only the endpoint or the source may differ) behave identically, so the later
ones never answer anything. When a state holds :data:`GROUP_MIN` or more of them, the walk
keeps only the first, and reports the group once (``on_copies``): N copies cost one rule,
not N^2 pairs.

For ``conflicts`` (``on_bystanders``), routes that differ from an earlier one only in
converter arguments go the same way: on one state the first route with a method takes
every request of it, so a later route all of whose methods are taken (a *bystander*)
never answers. When a state holds GROUP_MIN - 1 or more of them, each still pairs with
the routes that take its methods, but the bystanders take part in no other pair (their
overlaps with one another and with other states' routes could only be masked), and the
state's bystanders are reported once (``on_bystanders``): N variants of one route cost
N pairs, not N^2.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from heapq import heappop, heappush
from operator import attrgetter

from routecli.analysis.budget import ROUTE_PAIR_STEPS, STATE_PAIR_STEPS
from routecli.analysis.languages import INFINITE, float_shaped, plain_text
from routecli.analysis.pairs import Index, Pair, route_pairs
from routecli.automata import Undecidable
from routecli.automata.limits import budget_spent_message, current_budget

_index_of = attrgetter("index")

# A static child dict this large gets its keys bucketed by shape, so that an int, float,
# uuid or any edge is compared against a few candidate keys instead of all of them.
_BUCKET_THRESHOLD = 24

# From this many copies of one route on, a state's copies are walked as one rule and
# reported as one group (two copies stay an ordinary duplicate pair).
GROUP_MIN = 3
# From this many routes on one state on, same-state pairs are found through a method index.
_METHOD_INDEX_THRESHOLD = 32
# Below this many pairs of dynamic edges, every pair is compared; above, a sweep over
# their segment lengths picks the pairs that can meet first.
_SWEEP_MIN = 256
# From this many routes on, a list of routes tried second is filtered of lint's
# bystanders once (remembered by identity), not at each pair of states.
_FILTER_MEMO_MIN = 16


def copy_key(rule) -> tuple:
    """What makes two routes on one trie state behave identically: everything that matching
    reads to decide whether the route answers. The endpoint, defaults and redirect_to only
    shape the answer of the route that does, which for copies is always the first, so they
    may differ. A slash form is keyed by its route's options and its own parts."""
    origin = getattr(rule, "origin", rule)
    route = getattr(origin, "route", None)
    return (origin.methods, origin.automatic_options, origin.websocket, origin.build_only,
            origin.strict_slashes, origin.merge_slashes,
            tuple((type(conv), conv.spec) for part in rule.parts for conv in part.converters),
            getattr(route, "has_view", None))


def collapse_copies(rules) -> tuple[list, list[tuple[object, list]]]:
    """``rules`` (one state's, in matching order) with every group of GROUP_MIN or more
    copies reduced to its first rule, and the groups as (first, [later copies])."""
    if len(rules) < GROUP_MIN:
        return rules, []
    by_key: dict[tuple, list] = {}
    for rule in rules:
        by_key.setdefault(copy_key(rule), []).append(rule)
    groups = [(members[0], members[1:]) for members in by_key.values()
              if len(members) >= GROUP_MIN]
    if not groups:
        return rules, []
    dropped = {id(rule) for _, copies in groups for rule in copies}
    return [rule for rule in rules if id(rule) not in dropped], groups


class SelfJoin:
    """Walks the trie against itself and reports pairs and slash relations to callbacks.

    ``on_pair(pair)`` gets every overlapping pair; ``on_slash(leaf, branch, twin)`` gets a
    leaf rule and a branch rule ("/x/") whose path without its final slash overlaps the
    leaf's; ``twin`` is True when they share a state, else the branch is tried first.
    ``on_copies(first, copies)`` gets each group of live copies of one route (see
    :func:`collapse_copies`); the copies take part in no pair.
    """

    #: steps a reported pair costs: what lint and conflicts do with each (collect it,
    #: classify it, witness it) is charged here, where the pairs are counted
    pair_steps = ROUTE_PAIR_STEPS

    def __init__(self, index: Index, on_pair: Callable[[Pair], None],
                 on_slash: Callable[[object, object, bool], None] | None = None,
                 on_unverified: Callable[[list, list, str], None] | None = None,
                 on_copies: Callable[[object, list], None] | None = None,
                 first_takers_only: bool = False,
                 on_block: Callable[..., bool] | None = None,
                 on_bystanders: Callable[[list, list], None] | None = None,
                 on_trap: Callable[[list, list, int, bool], None] | None = None) -> None:
        self.index = index
        self.on_bystanders = on_bystanders
        # lint's: gets (firsts, the bystanders tried after them, div, tie), of which RL110
        # reads whom a validating first traps
        self.on_trap = on_trap
        # lint's: bystander index -> {method key: the route of its state taking it}
        self.bystander_takers: dict[int, dict] = {}
        self.first_takers_only = first_takers_only
        self.on_block = on_block
        # lint's: indices of the live routes that never take a method on their state
        self._bystanders: set[int] = set()
        self.langs = index.langs
        self.on_pair = on_pair
        self.on_slash = on_slash
        self.on_unverified = on_unverified
        self.on_copies = on_copies
        self._static_hits: dict = {}
        self._buckets: dict = {}
        self._subtrees: dict = {}
        self._plain: dict = {}  # id(state) -> every edge below it is plain
        self._branches: dict = {}  # id(state) -> the subtree's routes ending in "/"
        self._collapsed: dict = {}
        self._filtered: dict = {}  # id(rules) -> (rules, less bystanders, the bystanders)
        self.state_pairs = 0
        self._budget = current_budget()

    def run(self) -> None:
        """Walk the trie against itself, reporting every overlapping pair."""
        self._budget = current_budget()
        if self.first_takers_only and self.on_block is not None:
            self._find_bystanders()
        self._same(self.index.root, 0)

    def _find_bystanders(self) -> None:
        """Mark the live routes that take no method on their state (an earlier route of
        that state takes each of theirs): the matcher never answers with them, so lint
        pairs them across states in blocks (``on_block``) instead of one by one when they
        are tried first, and not at all when they are tried second (``_emit``); what lint
        reads of those pairs it reads from their takers' (``bystander_takers``)."""
        live, methods = self.index.live, self.index.methods
        stack = [self.index.root]
        while stack:
            state = stack.pop()
            if len(state.rules) > 1:  # (a state of one rule has no bystander)
                rules = self._rules(state)
                if len(rules) > 1:
                    first, _, takers = _first_takers(rules, self.index)
                    firsts = {id(rule) for rule in first}
                    for rule in rules:
                        if live[rule.index] and id(rule) not in firsts:
                            self._bystanders.add(rule.index)
                            ws = rule.websocket
                            self.bystander_takers[rule.index] = {
                                key: taker for (flag, key), (_, taker) in takers.items()
                                if flag == ws and (methods[rule.index] is None
                                                   or key in methods[rule.index])}
            if state.static:
                stack.extend(state.static.values())
            if state.dynamic:
                stack.extend([child for _, child in state.dynamic])

    # -- emitting ---------------------------------------------------------------------------

    def _emit(self, xs, ys, div, x_first: bool, tie: bool) -> None:
        bystanders = self._bystanders
        if bystanders and div is not None:
            firsts, seconds = (xs, ys) if x_first else (ys, xs)
            kept, losers = self._split_bystanders(seconds)
            if losers:
                if self.on_trap is not None:
                    # (a bystander tried first captures nothing: it traps no one)
                    self.on_trap([rule for rule in firsts if rule.index not in bystanders],
                                 losers, div, tie)
                if not kept:
                    return
                seconds = kept
                xs, ys = (firsts, seconds) if x_first else (seconds, firsts)
            if not bystanders.isdisjoint(map(_index_of, firsts)) and self._emit_block(
                    firsts, seconds, div, tie):
                return
        pairs = route_pairs(self.index, xs, ys, div, tie, x_first)
        if not self._charge(pairs, xs, ys):
            return
        on_pair = self.on_pair
        for pair in pairs:
            on_pair(pair)

    def _charge(self, pairs: list, xs, ys) -> bool:
        """Count ``pairs`` in the work budget: False (the routes noted as left) when it
        is spent, and they must not be reported."""
        if not pairs or self._budget.charge(self.pair_steps * len(pairs)):
            return True
        self._unverified(xs, ys, budget_spent_message(self._budget))
        return False

    def _left(self, x, y) -> None:
        """Note the pairs of the subtrees of states ``x`` and ``y`` as left by the budget."""
        if self.on_unverified is None:  # (diff's walks: nobody to tell)
            return
        rules = self._subtree(x)
        self._unverified(rules, rules if y is x else self._subtree(y),
                         budget_spent_message(self._budget))

    def _split_bystanders(self, rules) -> tuple[list, list]:
        """(``rules`` (tried second) less lint's bystanders -- ``rules`` itself when it
        holds none --, the bystanders among them). A bystander never answers, so its pair
        with a route of another state says nothing its taker's pair does not (same
        pattern, and the taker has the method): lint reads the taker's
        (:meth:`PairCollector.dominating`), and only whom a validating route traps from
        the bystander's own (``on_trap``). Paired, 10,000 static routes before 10,000
        variants of one route were 10^8 pairs. A long list is split once (remembered by
        identity, kept alive with its halves so that the id stays its own)."""
        bystanders = self._bystanders
        if len(rules) < _FILTER_MEMO_MIN:
            if bystanders.isdisjoint(map(_index_of, rules)):
                return rules, []
            return ([rule for rule in rules if rule.index not in bystanders],
                    [rule for rule in rules if rule.index in bystanders])
        found = self._filtered.get(id(rules))
        if found is None or found[0] is not rules:
            losers = [rule for rule in rules if rule.index in bystanders]
            kept = [rule for rule in rules if rule.index not in bystanders] if losers else rules
            found = self._filtered[id(rules)] = (rules, kept, losers)
        return found[1], found[2]

    def _emit_block(self, firsts, seconds, div, tie: bool) -> bool:
        """Lint's pairs of routes on different states when some of ``firsts`` (tried
        first) are bystanders: the pairs of the others one by one, and every pair as one
        block (``on_block``) for what reads the routes tried before a route (RL103's
        dominators, RL106's shadows) -- a bystander's pair is never answered as one of
        its routes, so no witness can prove it: only its count and order matter. False
        (nothing emitted) when the receiver wants the pairs one by one after all."""
        bystanders = self._bystanders
        pairs = route_pairs(self.index, firsts, seconds, div, tie, True, bystanders)
        if not self._charge(pairs, firsts, seconds):
            return True  # nothing to emit: the pairs are noted as left
        return self.on_block(firsts, seconds, div, tie, pairs, bystanders)

    def _emit_same(self, rules) -> None:
        if self.first_takers_only:
            self._emit_takers(rules)
            return
        if len(rules) < _METHOD_INDEX_THRESHOLD:
            for i, a in enumerate(rules):
                self._emit((a,), rules[i + 1:], None, True, False)
            return
        # Many routes on one state: pair each only with the later ones sharing a method
        # (or accepting every method), so that routes with disjoint methods cost nothing.
        methods = self.index.methods
        by_method: dict = defaultdict(list)  # method (None: every method) -> positions
        for position, rule in enumerate(rules):
            for method in methods[rule.index] or (None,):
                by_method[method].append(position)
        every = by_method.get(None, [])
        for i, a in enumerate(rules):
            mine = methods[a.index]
            if mine is None:
                later = rules[i + 1:]
            else:
                positions = set(every[bisect_right(every, i):])
                for method in mine:
                    found = by_method[method]
                    positions.update(found[bisect_right(found, i):])
                later = [rules[p] for p in sorted(positions)]
            if later:
                self._emit((a,), later, None, True, False)

    def _emit_takers(self, rules) -> None:
        """Pair each route of one state only with the earlier routes that take one of its
        methods there: on one state the matcher settles a request on the first route with
        its method (and websocket flag), whose converters then accept or refuse it with a
        404, so an earlier route first for none of the shared methods never answers a
        shared request (its pair could only be masked). Cost: routes x distinct methods,
        not routes^2 for routes differing only in converter arguments."""
        for rule, earlier in _first_takers(rules, self.index)[1]:
            self._emit(earlier, (rule,), None, True, False)

    def _slash(self, leaves, branches, twin: bool) -> None:
        if self.on_slash is None:
            return
        live = self.index.live
        for leaf in leaves:
            if live[leaf.index]:
                for branch in branches:
                    if live[branch.index] and branch.websocket == leaf.websocket:
                        self.on_slash(leaf, branch, twin)

    # -- walking ----------------------------------------------------------------------------

    def _rules(self, state) -> list:
        """The rules ending at ``state``, each group of copies walked as its first rule
        (and, for ``conflicts``, a group of bystanders left out)."""
        rules = state.rules
        if len(rules) < GROUP_MIN:
            return rules
        found = self._collapsed.get(id(state))
        if found is None:
            found = self._collapse(rules)
            self._collapsed[id(state)] = found
        return found[2]

    def _collapse(self, rules) -> tuple:
        """(the rules less later copies, the copy groups, the rules walked, the bystanders
        left out of the walk: empty unless ``on_bystanders`` groups them)."""
        kept, groups = collapse_copies(rules)
        if self.on_bystanders is None or len(kept) < GROUP_MIN:
            return kept, groups, kept, []
        takers = {id(rule) for rule in _first_takers(kept, self.index)[0]}
        live = self.index.live
        bystanders = [rule for rule in kept if id(rule) not in takers and live[rule.index]]
        if len(bystanders) < GROUP_MIN - 1:
            return kept, groups, kept, []
        left_out = {id(rule) for rule in bystanders}
        return kept, groups, [rule for rule in kept if id(rule) not in left_out], bystanders

    # The walks are generators that yield their recursive steps, driven by _drive with an
    # explicit stack: the order is the recursion's, and a rule of thousands of segments
    # does not exhaust Python's recursion limit.

    def _same(self, x, pos: int) -> None:
        """Walk from state ``x`` on both paths."""
        _drive(self._walk_same(x, pos))

    def _pair(self, x, y, pos: int, div: int, x_first: bool, tie: bool) -> None:
        """Walk from states ``x`` and ``y`` where the paths have split."""
        _drive(self._walk_pair(x, y, pos, div, x_first, tie))

    def _walk_same(self, x, pos: int):
        """Both paths are at state ``x``: pairs within it, then every pair of its edges."""
        self._same_state(x)
        statics = x.static
        # A leaf child (most states of a big table) is walked in place: the same steps
        # in the same order, without a generator for it.
        # A leaf of one rule (most of them) has no pair within: only counted.
        for child in statics.values():
            if child.static or child.dynamic:
                yield self._walk_same(child, pos + 1)
            elif len(child.rules) > 1:
                self._same_state(child)
            else:
                self.state_pairs += 1
        dynamic = x.dynamic
        if not dynamic:
            return
        for _, child in dynamic:
            if child.static or child.dynamic:
                yield self._walk_same(child, pos + 1)
            elif len(child.rules) > 1:
                self._same_state(child)
            else:
                self.state_pairs += 1
        meeting = self._meeting(dynamic, None)
        budget = self._budget
        for i, (p, c) in enumerate(dynamic):
            if budget.spent:
                # Every pair of edges left here would be refused one by one (N^2 of them
                # for N custom converters on one path): the state's routes, once.
                self._left(x, x)
                return
            if p.final:
                tail_rules = self._tail_rules(p, c)
                if not tail_rules:
                    continue
                for key, child in statics.items():
                    self._tail_vs_state(p, tail_rules, child, plain_text(key), pos, False,
                                        False)
                for j, (q, d) in enumerate(dynamic):
                    if j == i:
                        continue
                    tie = p.weight == q.weight
                    if q.final:
                        if j > i and self._tails_intersect(p, q, c, d):
                            self._emit(tail_rules, self._tail_rules(q, d), pos, True, tie)
                    else:
                        self._tail_vs_state(p, tail_rules, d, self.langs.plain_part(q), pos,
                                            i < j, tie)
                continue
            if statics:
                for key in self._statics_matching(x, p):
                    yield self._walk_pair(statics[key], c, pos + 1, pos, True, False)
            for j in meeting[i]:
                q, d = dynamic[j]
                if not q.final and self._intersects(p, q, c, d):
                    yield self._walk_pair(c, d, pos + 1, pos, True, p.weight == q.weight)

    def _same_state(self, x) -> None:
        """The pairs within state ``x``: its copies, its routes, its slash twins."""
        self.state_pairs += 1
        rules = self._rules(x)
        bystanders = ()
        if rules is not x.rules:
            kept, copy_groups, _, bystanders = self._collapsed[id(x)]
            if self.on_copies is not None:
                live = self.index.live
                for first, copies in copy_groups:
                    if live[first.index]:
                        self.on_copies(first, copies)
        if bystanders:
            # each bystander pairs with the routes taking its methods, and nothing else
            self._emit_takers(kept)
            self.on_bystanders(rules, bystanders)
        elif len(rules) > 1:
            self._emit_same(rules)
        branch = x.static.get("")
        if branch is not None and rules:
            branch_rules = self._rules(branch)
            if branch_rules:
                self._slash(rules, branch_rules, True)

    def _walk_pair(self, x, y, pos: int, div: int, x_first: bool, tie: bool):
        """The paths split at part ``div``; ``x_first`` says which side the matcher tries
        first. Pairs the rules ending at x and y, then every pair of their edges."""
        self.state_pairs += 1
        budget = self._budget
        # Once the budget is spent, the pairs below x and y are noted once, here, rather
        # than state pair by state pair.
        if not budget.charge(STATE_PAIR_STEPS):
            self._left(x, y)
            return
        x_rules, y_rules = self._rules(x), self._rules(y)
        if x_rules and y_rules:
            self._emit(x_rules, y_rules, div, x_first, tie)
        xs, ys = x.static, y.static
        if x_rules and "" in ys and ys[""].rules and not x_first:
            self._slash(x_rules, self._rules(ys[""]), False)
        if y_rules and "" in xs and xs[""].rules and x_first:
            self._slash(y_rules, self._rules(xs[""]), False)
        if xs and ys:
            small, large = (xs, ys) if len(xs) <= len(ys) else (ys, xs)
            for key in small:
                if key in large:
                    if budget.spent:
                        self._left(x, y)
                        return
                    yield self._walk_pair(xs[key], ys[key], pos + 1, div, x_first, tie)
        for q, d in y.dynamic:
            if not q.final and xs:
                for key in self._statics_matching(x, q):
                    if budget.spent:
                        self._left(x, y)
                        return
                    yield self._walk_pair(xs[key], d, pos + 1, div, x_first, tie)
        meeting = self._meeting(x.dynamic, y.dynamic)
        for i, (p, c) in enumerate(x.dynamic):
            if p.final:
                continue
            if budget.spent:
                self._left(x, y)
                return
            if ys:
                for key in self._statics_matching(y, p):
                    yield self._walk_pair(c, ys[key], pos + 1, div, x_first, tie)
            for j in meeting[i]:
                q, d = y.dynamic[j]
                if not q.final and self._intersects(p, q, c, d):
                    yield self._walk_pair(c, d, pos + 1, div, x_first, tie)
        # Slash-spanning tails against everything below the other state.
        for p, c in x.dynamic:
            if p.final:
                tail_rules = self._tail_rules(p, c)
                if tail_rules:
                    self._tail_vs(p, tail_rules, self._below(y), pos, div, x_first, tie)
                    for q, d in y.dynamic:
                        if q.final and self._tails_intersect(p, q, c, d):
                            self._emit(tail_rules, self._tail_rules(q, d), div, x_first, tie)
        for q, d in y.dynamic:
            if q.final:
                tail_rules = self._tail_rules(q, d)
                if tail_rules:
                    self._tail_vs(q, tail_rules, self._below(x), pos, div, not x_first, tie)

    def _tail_vs_state(self, tail, tail_rules, state, plain_edge: bool, pos: int,
                       tail_first: bool, tie: bool) -> None:
        """:meth:`_tail_vs` against the subtree of ``state``, a child of the tail's own
        state (the paths split at the tail, ``pos``) through an edge (plain or not).

        Lint's shortcut for a catch-all tried after a subtree whose rules all lie inside
        it (an any-text tail, every edge from ``pos`` on plain, the first piece never
        empty: :meth:`Languages.rest_subset`'s catch-all case): every live rule of the
        subtree pairs with the tail, none of the pairs is crossed, so they go as one
        block (``on_block(..., whole=True)``) and are spelled out only by the rules
        that read them, not one by one (160,000 of them at 100,000 routes). A receiver
        that declines the block gets them one by one."""
        others = self._subtree(state)
        if not others:
            return
        langs = self.langs
        if (self.on_block is not None and not tail_first and not tie and plain_edge
                and langs.takes_any_text(tail) and self._plain[id(state)]):
            part = others[0].parts[pos]  # the edge into ``state``: shared by the subtree
            if (langs.starts_text(part) and langs.can_be_nonempty(part)
                    and self.on_block(others, tail_rules, pos, False, (), self._bystanders,
                                      True)):
                self._tail_slashes(tail, tail_rules, self._branches[id(state)], pos)
                return
        self._tail_vs(tail, tail_rules, others, pos, pos, tail_first, tie)

    def _tail_vs(self, tail, tail_rules, others, pos: int, div: int, tail_first: bool,
                 tie: bool) -> None:
        live = self.index.live
        langs = self.langs
        overlaps = langs.tail_overlaps
        # A catch-all tail takes every plain rule's rest when its first piece can be
        # non-empty: decided here without the general call (most of a big table's pairs).
        any_text = langs.takes_any_text(tail)
        plain_from, nonempty = langs.plain_from, langs.can_be_nonempty
        hits = []
        for rule in others:
            if live[rule.index]:
                if any_text and plain_from(rule, pos):
                    if nonempty(rule.parts[pos]):
                        hits.append(rule)
                    continue
                try:
                    if overlaps(tail, rule, pos):
                        hits.append(rule)
                except Undecidable as exc:
                    self._unverified(tail_rules, [rule], str(exc))
        if hits:
            self._emit(tail_rules, hits, div, tail_first, tie)
        if not tail_first:
            self._tail_slashes(tail, tail_rules, others, pos)

    def _tail_slashes(self, tail, tail_rules, others, pos: int) -> None:
        """The slash relations of a tail with the branch routes among ``others``, tried
        first."""
        if self.on_slash is not None:
            # A branch route tried before the tail redirects (or answers) its URL without
            # the final slash, which the tail would match.
            live = self.index.live
            overlaps = self.langs.tail_overlaps
            for rule in others:
                parts = rule.parts
                if (live[rule.index] and len(parts) - 1 > pos and parts[-1].static
                        and parts[-1].content == "" and not parts[-2].suffixed):
                    try:
                        if overlaps(tail, rule, pos, -1):
                            self._slash(tail_rules, [rule], False)
                    except Undecidable as exc:
                        self._unverified(tail_rules, [rule], str(exc))

    def _intersects(self, p, q, c, d) -> bool:
        try:
            return self.langs.intersects(p, q)
        except Undecidable as exc:
            self._unverified(self._subtree(c), self._subtree(d), str(exc))
            return False

    def _tails_intersect(self, p, q, c, d) -> bool:
        try:
            return self.langs.tails_intersect(p, q)
        except Undecidable as exc:
            self._unverified(self._subtree(c), self._subtree(d), str(exc))
            return False

    def _unverified(self, rules, others, reason: str) -> None:
        if self.on_unverified is None:
            return
        live = self.index.live
        rules = [r for r in rules if live[r.index]]
        others = [r for r in others if live[r.index]]
        if self.on_unverified is not None and rules and others:
            self.on_unverified(rules, others, reason)

    # -- helpers ------------------------------------------------------------------------------

    def _meeting(self, xs, ys) -> list:
        """For each edge of ``xs``, the positions of the edges of ``ys`` (of ``xs`` after
        it, when ``ys`` is None) whose segment lengths can meet (:meth:`Languages.lengths`),
        ascending. Edges of one state mostly share lengths; when many differ only in a
        length argument (``string(length=K)``), a sweep finds the pairs that meet in
        O(n log n + pairs) instead of comparing all n^2."""
        others = xs if ys is None else ys
        if len(xs) * len(others) <= _SWEEP_MIN:
            if ys is None:
                return [range(i + 1, len(xs)) for i in range(len(xs))]
            return [range(len(ys))] * len(xs)
        lengths = self.langs.lengths
        ranges = [lengths(part) if not part.final else (0, INFINITE) for part, _ in xs]
        other_ranges = ranges if ys is None else [
            lengths(part) if not part.final else (0, INFINITE) for part, _ in ys]
        return _meeting_ranges(ranges, None if ys is None else other_ranges)

    def _tail_rules(self, part, child) -> list:
        """The rules that end after a tail edge (after its "/" when the tail ends in one)."""
        if part.suffixed:
            branch = child.static.get("")
            return self._rules(branch) if branch is not None else []
        return self._rules(child)

    def _subtree(self, state) -> list:
        """Every rule at or below ``state``, in trie order (depth first, without recursion).
        Records too whether every edge below ``state`` is plain (``_plain``,
        :meth:`Languages.plain_part`): each rule of the subtree is then plain from there
        on, known per state as the listing visits it, not per rule; and the rules among
        them that end in a slash (``_branches``, in order: the slash relations of a
        catch-all tail read those alone)."""
        subtrees = self._subtrees
        found = subtrees.get(id(state))
        if found is None:
            plains, branches = self._plain, self._branches
            plain_part = self.langs.plain_part
            plain = True
            found = []
            branch = []
            stack = [state]
            while stack:
                node = stack.pop()
                # a subtree already listed (the walk reaches a state's children before
                # its own tails: /api/v1's before /api's) is its part of this one, in order
                done = subtrees.get(id(node))
                if done is not None:
                    found.extend(done)
                    branch.extend(branches[id(node)])
                    plain = plain and plains[id(node)]
                    continue
                rules = node.rules
                if rules:
                    rules = rules if len(rules) < GROUP_MIN else self._rules(node)
                    found.extend(rules)
                    last = rules[0].parts[-1] if rules else None  # one state: one pattern
                    if last is not None and last.static and last.content == "":
                        branch.extend(rules)
                # children in trie order (static, then dynamic) popped first to last
                dynamic = node.dynamic
                if dynamic:
                    stack.extend([child for _, child in reversed(dynamic)])
                    if plain:
                        plain = all([plain_part(part) for part, _ in dynamic])
                statics = node.static
                if statics:
                    stack.extend(reversed(statics.values()))
                    if plain:
                        plain = all(map(plain_text, statics))
            subtrees[id(state)] = found
            plains[id(state)] = plain
            branches[id(state)] = branch
        return found

    def _below(self, state) -> list:
        """The rules below ``state`` through its static children and segment edges."""
        found = []
        for child in state.static.values():
            found.extend(self._subtree(child))
        for part, child in state.dynamic:
            if not part.final:
                found.extend(self._subtree(child))
        return found

    def _statics_matching(self, state, part) -> list[str]:
        """The static children of ``state`` that the dynamic ``part`` also accepts."""
        key = (id(state), part.key)
        found = self._static_hits.get(key)
        if found is not None:
            return found
        statics = state.static
        lang = self.langs.lang(part)
        if lang.kind == "any":
            found = [item for item in lang.items if item in statics]
        elif lang.kind == "string" and lang.lo <= 1 and lang.hi is None:
            found = [key for key in statics if key]
        elif len(statics) < _BUCKET_THRESHOLD or lang.kind not in ("int", "float", "uuid"):
            match = lang.match
            found = [key for key in statics if match(key)]
        else:
            buckets = self._buckets.get(id(state))
            if buckets is None:
                buckets = self._buckets[id(state)] = _bucket(statics)
            match = lang.match
            candidates = buckets[lang.kind]
            if lang.kind == "int" and lang.signed:
                candidates = candidates + buckets["signed"]
            found = [key for key in candidates if match(key)]
        self._static_hits[key] = found
        return found


def _meeting_ranges(ranges: list, others: list | None) -> list[list[int]]:
    """For each (lo, hi) of ``ranges``, the positions of the ranges of ``others`` that
    overlap it, ascending (of ``ranges`` after it when ``others`` is None): a sweep by
    lower bound that keeps the ranges still open, each side in a heap by upper bound."""
    events = [(lo, 0, i, hi) for i, (lo, hi) in enumerate(ranges)]
    if others is not None:
        events += [(lo, 1, j, hi) for j, (lo, hi) in enumerate(others)]
    events.sort()
    found: list[list[int]] = [[] for _ in ranges]
    open_sides: list[dict] = [{}, {}]
    heaps: list[list] = [[], []]
    for lo, side, position, hi in events:
        for each in (0, 1):
            heap, active = heaps[each], open_sides[each]
            while heap and heap[0][0] < lo:
                _, gone = heappop(heap)
                del active[gone]
        if others is None:
            for other in open_sides[0]:
                low, high = (other, position) if other < position else (position, other)
                found[low].append(high)
        elif side == 0:
            found[position].extend(open_sides[1])
        else:
            for other in open_sides[0]:
                found[other].append(position)
        open_sides[side][position] = hi
        heappush(heaps[side], (hi, position))
    for positions in found:
        positions.sort()
    return found


def _first_takers(rules, index) -> tuple[list, list, dict]:
    """(the live routes of one state's ``rules`` that are first for some method and
    websocket flag, [(route, the earlier routes taking its methods)] for every route
    something earlier takes a method of, {(websocket, method key): (position, the route
    taking it)}), in matching order. A method key None stands for every method no route
    of the state declares."""
    live, methods = index.live, index.methods
    declared = {method for rule in rules for method in (methods[rule.index] or ())}
    keys = (*sorted(declared), None)
    takers: dict = {}  # (websocket, method key) -> (position, the first live route with it)
    first, later = [], []
    for position, rule in enumerate(rules):
        if not live[rule.index]:
            continue
        mine = methods[rule.index]
        ws = rule.websocket
        earlier = set()
        new = False
        for key in keys if mine is None else mine:
            taker = takers.get((ws, key))
            if taker is None:
                takers[(ws, key)] = (position, rule)
                new = True
            else:
                earlier.add(taker)
        if new:
            first.append(rule)
        if earlier:
            later.append((rule, [taker for _, taker in sorted(earlier, key=_position)]))
    return first, later, takers


def _position(entry) -> int:
    return entry[0]


def _bucket(statics) -> dict[str, list[str]]:
    buckets: dict[str, list[str]] = {"int": [], "signed": [], "float": [], "uuid": []}
    for key in statics:
        if key.isdecimal():
            buckets["int"].append(key)
        elif key[:1] == "-" and key[1:].isdecimal():
            buckets["signed"].append(key)
        elif "." in key and float_shaped(key):
            buckets["float"].append(key)
        elif len(key) == 36 and key.count("-") == 4:
            buckets["uuid"].append(key)
    return buckets


def _drive(walk) -> None:
    """Run a walking generator and every step it yields, depth first, in order."""
    stack = [walk]
    while stack:
        try:
            step = next(stack[-1])
        except StopIteration:
            stack.pop()
            continue
        stack.append(step)
