"""Pairs kept as blocks: lint's answer to routes that differ only in converter arguments.

Routes on one trie state share their compiled pattern; the first of them with a method
(and websocket flag) takes every request of that method there, so the later ones --
*bystanders* -- are never answered for it (docs/lint.md#how-overlaps-are-decided). Paired
with the routes of another state, a state of N bystanders and a state of M routes make
N x M pairs that no witness can prove. What lint still reads from them is who is tried
before a route, for how many and in which order (RL103 names its dominators, RL106 counts
the routes shadowing a method). A :class:`Block` keeps such a product as the two lists it
came from, and :class:`Dominators` reads it per route and method without spelling out
the pairs: the cost follows the number of states, not routes x routes.
"""

from __future__ import annotations

from heapq import merge
from itertools import islice


class Block:
    """Every pair of ``firsts`` (tried first) with the routes it was recorded for, as
    the join would have emitted them one by one (live, same websocket flag, a shared
    method); ``div`` and ``tie`` as in :class:`~routecli.analysis.pairs.Pair`.

    The pairs of firsts that are not bystanders went one by one too, unless the block is
    ``whole`` (a catch-all against a subtree inside it: none of them is crossed): then
    the block alone holds them, and :func:`shadow_candidates` spells out the ones RL106
    reads."""

    __slots__ = ("_filtered", "bystanders", "div", "firsts", "tie", "whole")

    def __init__(self, firsts, div: int, tie: bool, bystanders: set, whole: bool = False,
                 filtered: dict | None = None) -> None:
        self.firsts = firsts
        self.div = div
        self.tie = tie
        self.bystanders = bystanders
        self.whole = whole
        # What is read of the firsts (a function of them and the bystanders alone):
        # ``filtered`` shares it with the other blocks of the same lists
        self._filtered: dict = {} if filtered is None else filtered

    def tried_before(self, index, second, method: str | None) -> list:
        """The firsts that pair with ``second`` and share ``method`` with it (None: a
        ``second`` accepting every method, whose pairs count only with firsts that do
        too), in order: what RL103 reads of each pair."""
        key = (second.websocket, method)
        found = self._filtered.get(key)
        if found is None:
            found = self._filtered[key] = list(self._before(index, second, method))
        return found

    def any_before(self, index, second, method: str | None) -> bool:
        """True if :meth:`tried_before` holds a route (found without listing them all)."""
        found = self._filtered.get((second.websocket, method))
        if found is not None:
            return bool(found)
        return next(self._before(index, second, method), None) is not None

    def _before(self, index, second, method: str | None):
        live, methods = index.live, index.methods
        ws = second.websocket
        if method is None:
            return (rule for rule in self.firsts if live[rule.index]
                    and rule.websocket == ws and methods[rule.index] is None)
        return (rule for rule in self.firsts if live[rule.index] and rule.websocket == ws
                and (methods[rule.index] is None or method in methods[rule.index]))

    def indices(self, key, piece: list) -> set:
        """The rule indices of the piece :meth:`tried_before` gave for ``key``."""
        found = self._filtered.get(("indices", key))
        if found is None:
            found = self._filtered[("indices", key)] = {rule.index for rule in piece}
        return found

    def patterns(self, key, piece: list) -> list:
        """(the first route of each pattern, how many routes of the piece have it), in
        order, for the piece :meth:`tried_before` gave for ``key``."""
        found = self._filtered.get(("patterns", key))
        if found is None:
            counts: dict = {}
            firsts: dict = {}
            for rule in piece:
                pattern = pattern_of(rule)
                if pattern not in firsts:
                    firsts[pattern] = rule
                    counts[pattern] = 0
                counts[pattern] += 1
            found = self._filtered[("patterns", key)] = [
                (rule, counts[pattern]) for pattern, rule in firsts.items()]
        return found

    def method_groups(self, index, websocket: bool, bystanders: bool = True) -> dict:
        """The live bystanders among the firsts with ``websocket`` (``bystanders`` False:
        the other live firsts, whose pairs a whole block holds), by their effective
        methods (only those declaring methods), each list in index order: RL106 reads
        them per method set."""
        key = ("groups", websocket, bystanders)
        found = self._filtered.get(key)
        if found is None:
            live, methods = index.live, index.methods
            among = self.bystanders
            found = {}
            for rule in self.firsts:
                mine = methods[rule.index]
                if ((rule.index in among) == bystanders and live[rule.index]
                        and rule.websocket == websocket and mine is not None):
                    found.setdefault(mine, []).append(rule)
            for rules in found.values():
                rules.sort(key=_index)
            self._filtered[key] = found
        return found

    def shadows(self, index, second) -> bool:
        """True if some bystander of the block (of a whole block: some first) would be a
        method shadow of ``second`` (tried first, sharing a method, while ``second`` has
        methods it lacks)."""
        mine = index.methods[second.index]
        if mine is None:
            return False
        if any(theirs & mine and mine - theirs
               for theirs in self.method_groups(index, second.websocket)):
            return True
        if not self.whole:
            return False
        live, methods = index.live, index.methods
        ws = second.websocket
        for rule in self.firsts:  # the first one found decides: no groups built here
            theirs = methods[rule.index]
            if (theirs is not None and live[rule.index] and rule.websocket == ws
                    and theirs & mine and mine - theirs):
                return True
        return False


class Dominators:
    """RL103's dominators of one route for one method: the firsts of its recorded pairs
    and blocks that share the method, each route once, in the order the pairs came.
    Behaves as that list (``len``, indexing, slicing, iteration) without building it
    when the blocks do not overlap (they never do unless a pair was recorded twice),
    and gives reachability one route per pattern (:meth:`for_reach`)."""

    def __init__(self, index, second, method: str | None, entries) -> None:
        # (rules, the Block and filter key they come from, or None for pairs' firsts)
        pieces: list[tuple[list, tuple | None]] = []
        single: list = []
        for entry in entries:
            if isinstance(entry, Block):
                if single:
                    pieces.append((single, None))
                    single = []
                piece = entry.tried_before(index, second, method)
                if piece:
                    pieces.append((piece, (entry, (second.websocket, method))))
            elif shares_method(entry, method):
                single.append(entry.first)
        if single:
            pieces.append((single, None))
        self._pieces = pieces
        self._list: list | None = None
        self._count: int | None = None
        if all(source is None for _, source in pieces) or not _overlapping(pieces):
            self._count = _disjoint_count(pieces)

    def _unique(self) -> list:
        if self._list is None:
            self._list = list(self._ordered())
        return self._list

    def _ordered(self):
        if self._count is None or any(source is None for _, source in self._pieces):
            seen: set = set()
            for piece, _ in self._pieces:
                for rule in piece:
                    if rule.index not in seen:
                        seen.add(rule.index)
                        yield rule
        else:
            for piece, _ in self._pieces:
                yield from piece

    def __len__(self) -> int:
        if self._count is not None:
            return self._count
        return len(self._unique())

    def __bool__(self) -> bool:
        return bool(self._pieces)

    def __contains__(self, rule) -> bool:
        # a block holds table routes, one object per index
        for piece, source in self._pieces:
            if source is None:
                if rule in piece:
                    return True
            elif getattr(rule, "index", None) in source[0].indices(source[1], piece):
                return True
        return False

    def __iter__(self):
        if self._list is not None:
            return iter(self._list)
        return self._ordered()

    def __getitem__(self, item):
        if isinstance(item, slice) and item.start is None and item.step is None \
                and self._list is None:
            return list(islice(self._ordered(), item.stop))
        if item == 0 and self._list is None:
            return next(self._ordered())
        return self._unique()[item]

    def for_reach(self) -> tuple[list, dict]:
        """(one dominator per pattern, in order; rule index -> how many dominators
        share its pattern). Routes of one state have the same parts, so the union they
        cover is the one route's; the counts keep reachability's budget for partly
        covering dominators as it was for the whole list."""
        reps: list = []
        weights: dict[int, int] = {}
        by_pattern: dict = {}

        def add(rule, count: int) -> None:
            key = pattern_of(rule)
            rep = by_pattern.get(key)
            if rep is None:
                by_pattern[key] = rule
                reps.append(rule)
                weights[rule.index] = count
            else:
                weights[rep.index] += count

        if self._count is None:
            for rule in self._unique():
                add(rule, 1)
            return reps, weights
        seen: set = set()
        for piece, source in self._pieces:
            if source is None:
                for rule in piece:
                    if rule.index not in seen:
                        seen.add(rule.index)
                        add(rule, 1)
            else:
                block, key = source
                for rule, count in block.patterns(key, piece):
                    add(rule, count)
        return reps, weights


def any_dominator(index, second, method: str | None, entries) -> bool:
    """True if :class:`Dominators` of these arguments would hold a route: the first one
    found decides, without going through a catch-all's tens of thousands of entries."""
    for entry in entries:
        if isinstance(entry, Block):
            if entry.any_before(index, second, method):
                return True
        elif shares_method(entry, method):
            return True
    return False


def shares_method(pair, method: str | None) -> bool:
    """True if a recorded pair counts for ``method`` (None: only a pair of routes that
    both accept every method)."""
    return pair.methods is None or (method is not None and method in pair.methods)


def _overlapping(pieces) -> bool:
    """True if a route appears in two pieces (only blocks' pieces are distinct within)."""
    sets = [set(rule.index for rule in piece) if source is None else source[0].indices(
        source[1], piece) for piece, source in pieces]
    for i, first in enumerate(sets):
        for second in sets[i + 1:]:
            small, large = (first, second) if len(first) <= len(second) else (second, first)
            if any(item in large for item in small):
                return True
    return False


def _disjoint_count(pieces) -> int:
    return sum(len(piece) if source is not None else len({r.index for r in piece})
               for piece, source in pieces)


def shadow_candidates(index, loser, entries, lost_of) -> tuple:
    """RL106's candidates for ``loser`` from its recorded shadow entries: (the pairs to
    verify, by first route, each with its lost methods -- an iterator: a whole block's
    pairs are made as they are reached; the number of candidates in all, bystanders
    included; the first ``limit`` winners in route order). ``lost_of(pair_methods)`` is
    the rule's filter: the methods lost, or None to skip.

    Pairs with one first route come in the order they were recorded (a sort by route
    index and then by entry)."""
    from routecli.analysis.messages import MAX_LISTED
    from routecli.analysis.pairs import shared_methods

    pairs = []
    blocks = []
    for seq, entry in enumerate(entries):
        if isinstance(entry, Block):
            blocks.append((seq, entry))
        else:
            pairs.append((entry.first.index, seq, entry))
    pairs.sort(key=_position_key)
    candidates = []
    for first, seq, pair in pairs:
        lost = lost_of(pair.methods)
        if lost is not None:
            candidates.append((first, seq, pair, lost))
    count = len(candidates)
    streams = [candidates]
    lists = [[pair.first for _, _, pair, _ in candidates]]
    mine = index.methods[loser.index]
    for seq, block in blocks:
        for bystanders in (True, False) if block.whole else (True,):
            for theirs, rules in block.method_groups(index, loser.websocket,
                                                     bystanders).items():
                shared = shared_methods(mine, theirs)
                if not shared or not mine - theirs:
                    continue
                lost = lost_of(shared)
                if lost is None:
                    continue
                count += len(rules)
                lists.append(rules)
                if not bystanders:
                    streams.append(_block_pairs(index, block, seq, rules, loser, lost))
    winners = list(islice(merge(*lists, key=_index), MAX_LISTED)) if len(lists) > 1 \
        else lists[0][:MAX_LISTED]
    ordered = merge(*streams, key=_position_key) if len(streams) > 1 else streams[0]
    return ((pair, lost) for _, _, pair, lost in ordered), count, winners


def _block_pairs(index, block: Block, seq: int, rules: list, loser, lost):
    """(first index, ``seq``, pair, ``lost``) for each of ``rules`` (in index order) with
    ``loser``: the pairs a whole block holds, made as the join would have made them."""
    from routecli.analysis.pairs import route_pairs

    for rule in rules:
        for pair in route_pairs(index, (rule,), (loser,), block.div, block.tie, True):
            yield rule.index, seq, pair, lost


def _position_key(item) -> tuple:
    return item[0], item[1]


def pattern_of(rule) -> tuple:
    """A route's compiled pattern: the keys of its parts."""
    return tuple(part.key for part in rule.parts)


def _index(rule) -> int:
    return rule.index
