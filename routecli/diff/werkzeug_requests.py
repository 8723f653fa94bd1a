"""Werkzeug's candidate hook: requests around the touched routes, from the overlap engine.

The pairs of the union of both tables that involve a touched route are found without
compiling the union: untouched routes are the same on both sides, so a touched route of
OLD meets them in OLD's own trie and a touched route of NEW in NEW's; touched routes of
both sides meet in a small table of just the touched routes. Each trie self-join of
:mod:`routecli.analysis.overlap` is walked only where a touched route is: a pair of
states is visited when either lies on a touched route's path (or the pair split on a tie,
whose order other routes can change, werkzeug#3156), so the cost follows the change, not
the table; the small table gives only pairs across the sides (a pair within one side is
its own trie's). Each overlapping pair gives the witness values
:mod:`routecli.analysis.witness` builds for lint; each touched route, and every route
sharing its endpoint (redirects to defaults and aliases are built from those), gives its
own, plus values its converters refuse. Every request is also tried with its trailing
slash toggled, and with the methods of both routes. The routes' own requests come first,
then the pairs': a diff whose work budget runs out has asked about every touched route.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Iterable, Iterator

from routecli.analysis.budget import ROUTE_PAIR_STEPS
from routecli.analysis.overlap import SelfJoin
from routecli.analysis.pairs import Index
from routecli.analysis.witness import Witnesses
from routecli.automata.limits import current_budget
from routecli.diff.answers import Request, toggle_slash
from routecli.diff.identity import converter_key
from routecli.errors import RouteError
from routecli.routing.model import RouteSet

_OWN_VALUES = 4  # value lists per route on its own
_PAIR_VALUES = 3  # value lists per overlapping pair
_PAIRS_PER_RULE = 256  # overlapping pairs per touched route (a catch-all meets everything)
_ANY_METHODS = ("GET", "POST")  # asked of a route that accepts every method


_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def index_of(table) -> Index:
    """The overlap engine's index of ``table``, built once per table (the candidate
    requests and the lint region of one diff both walk it)."""
    found = _INDEXES.get(table)
    if found is None:
        found = _INDEXES[table] = Index(table)
    return found


def candidate_requests(old, new, touched) -> Iterator[Request]:
    """Requests around the touched routes of ``old`` and ``new`` (module doc)."""
    def about_old(i: int) -> tuple:
        return ("old", i)

    def about_new(j: int) -> tuple:
        return ("new", j)

    yield from _own(old, touched.old, about_old)
    yield from _own(new, touched.new, about_new)
    yield from _paired(old, touched.old, about_old)
    yield from _paired(new, touched.new, about_new)
    small = _touched_union(old, new, touched)
    if small is not None:
        table, about, base = small
        yield from _paired(table, set(range(len(table.rules))), about, Index(table), base)


def _touched_union(old, new, touched):
    """(the touched routes of both sides as one table, index -> route of OLD or NEW, the
    index of its first route of NEW), or None when the sides cannot share a table
    (settings or converters differ)."""
    if not touched.old or not touched.new or old.settings != new.settings:
        return None
    converters = dict(old.routeset.converters)
    for name, conv in new.routeset.converters.items():
        if name in converters and converter_key(converters[name]) != converter_key(conv):
            return None
        converters.setdefault(name, conv)
    olds, news = sorted(touched.old), sorted(touched.new)
    routes = [old.routes[i] for i in olds] + [new.routes[j] for j in news]
    try:
        table = type(old)(RouteSet(routes, old.settings, converters))
    except RouteError:
        return None
    base = len(olds)

    def about(u: int) -> tuple:
        return ("old", olds[u]) if u < base else ("new", news[u - base])

    return table, about, base


def _own(table, hot: set[int], about) -> Iterator[Request]:
    """Requests for the ``hot`` rules of ``table`` on their own (and for every rule sharing
    an endpoint with one: they build each other's redirects); ``about(index)`` says which
    route of OLD or NEW a rule of ``table`` is."""
    if not hot:
        return
    index = index_of(table)
    witnesses = Witnesses(table, index.langs, index.trail)
    rules = table.rules
    focus = [rules[i] for i in sorted(hot)]
    alone: dict[int, object] = {rule.index: rule for rule in focus}
    endpoints: set = set()
    for rule in focus:
        if rule.endpoint in endpoints:
            continue  # once per endpoint: one view's 10,000 routes are not 10,000^2 steps
        endpoints.add(rule.endpoint)
        for sibling in table.rules_by_endpoint.get(rule.endpoint, ()):
            alone.setdefault(sibling.index, sibling)
    for rule in alone.values():
        if rule.build_only:
            continue
        values = _safe(lambda rule=rule: itertools.islice(witnesses.rule_values(rule),
                                                          _OWN_VALUES))
        # and values its converters refuse (min/max/fixed_digits): a narrowed range
        values += _safe(lambda rule=rule: itertools.islice(
            witnesses.pair_values(rule, rule, reject=True), _PAIR_VALUES))
        yield from _requests(witnesses, values, _methods(rule), rule.websocket,
                             (about(rule.index),))


def _paired(table, hot: set[int], about, index: Index | None = None,
            across: int | None = None) -> Iterator[Request]:
    """Requests for the overlapping pairs of the ``hot`` rules of ``table`` (only those
    with one rule below ``across`` and one from it on, when given)."""
    if not hot:
        return
    index = index or index_of(table)
    witnesses = Witnesses(table, index.langs, index.trail)
    budget = current_budget()
    for first, second in _pairs(index, hot, across):
        if not budget.charge(ROUTE_PAIR_STEPS):
            return  # the pairs left are not witnessed (the budget's stats say so)
        values = _safe(lambda a=first, b=second: itertools.islice(
            witnesses.pair_values(a, b), _PAIR_VALUES))
        methods = dict.fromkeys(_methods(first) + _methods(second))
        yield from _requests(witnesses, values, tuple(methods), first.websocket,
                             (about(first.index), about(second.index)))


def hot_states(index: Index, hot: Iterable[int]) -> set[int]:
    """Ids of the trie states on the paths of the ``hot`` live rules."""
    states: set[int] = set()
    for i in hot:
        if index.live[i]:
            trail_states, _ = index.trail(index.rules[i])
            states.update(id(state) for state in trail_states)
    return states


def _pairs(index: Index, hot: set[int], across: int | None = None) -> list[tuple]:
    """Overlapping pairs with a touched route (or split on a tie), at most
    :data:`_PAIRS_PER_RULE` per touched route; with ``across``, only pairs of a rule
    below it and one from it on."""
    states = hot_states(index, hot)
    found: list[tuple] = []
    per_rule: dict[int, int] = {}

    def on_pair(pair) -> None:
        a, b = pair.first.index, pair.second.index
        if across is not None and (a < across) == (b < across):
            return
        subject = a if a in hot else b if b in hot else None
        if subject is None and not pair.tie:
            return
        key = subject if subject is not None else -1
        count = per_rule.get(key, 0)
        if count >= _PAIRS_PER_RULE:
            return
        per_rule[key] = count + 1
        found.append((pair.first, pair.second))

    FocusedJoin(index, on_pair, states).run()
    return found


class FocusedJoin(SelfJoin):
    """The self-join, entering only state pairs where a touched route is (or a tie)."""

    # Only the walk is charged per pair here: the receivers keep a few pairs per route,
    # and charge those they witness (and diff each request it asks).
    pair_steps = 1

    def __init__(self, index: Index, on_pair, hot_states: set[int], on_slash=None) -> None:
        super().__init__(index, on_pair, on_slash)
        self._hot = hot_states

    def _walk_same(self, x, pos: int):
        if id(x) not in self._hot:
            return iter(())
        return super()._walk_same(x, pos)

    def _walk_pair(self, x, y, pos: int, div: int, x_first: bool, tie: bool):
        if not tie and id(x) not in self._hot and id(y) not in self._hot:
            return iter(())
        return super()._walk_pair(x, y, pos, div, x_first, tie)


def _methods(rule) -> tuple[str, ...]:
    declared = rule.declared_methods
    if declared is None:
        return _ANY_METHODS
    return tuple(declared) or ("GET",)


def _safe(make) -> list[list[str]]:
    """Witness value lists, or none when the automata cannot decide (no candidates then)."""
    try:
        return list(make())
    except Exception:  # noqa: BLE001 - a language the engine cannot handle proposes nothing
        return []


def _requests(witnesses: Witnesses, values_list: Iterable[list[str]], methods,
              websocket: bool, about: tuple) -> Iterator[Request]:
    for values in values_list:
        for method in methods:
            witness = witnesses.request(values, method, websocket)
            if witness is None:
                continue
            host = None if "://" in witness.url else witness.host
            yield Request(witness.method, witness.url, host, about)
            yield Request(witness.method, toggle_slash(witness.url), host, about)
