"""What the overlap analysis knows about a table, and the pairs it yields: the live routes
(:class:`Index`: effective methods, routes no request can reach, each route's trail through
the trie) and :class:`Pair`, two routes that can answer one request with a method in
common. The self-join that finds them is :mod:`.overlap`; the rules read the pairs.
"""

from __future__ import annotations

from typing import NamedTuple

from routecli.analysis.languages import Languages
from routecli.routing.werkzeug.converters import FloatConverter, IntConverter


class Pair(NamedTuple):
    """Two rules whose patterns match a common request with a shared method.

    ``first`` is tried first by the matcher (for the shared methods); ``div`` is the index of
    the first part where their paths split (None: same pattern, same state); ``tie`` is True
    when that split was decided by transition creation order between equal weights;
    ``methods`` are the shared methods (None: every method).

    Pairs that overlap only through a route's slash form (strict_slashes off, see
    :mod:`.slashes`) carry ``forms``: the (first's form, second's form) combinations that
    share a URL, best first; ``twin`` marks a leaf and a branch on the same state.
    """

    first: object
    second: object
    div: int | None
    tie: bool
    methods: frozenset | None
    forms: tuple | None = None
    twin: bool = False


def effective_methods(rule) -> frozenset | None:
    """The methods a rule answers for overlap purposes: the automatic OPTIONS never counts."""
    methods = rule.methods
    if methods is None:
        return None
    if rule.automatic_options and "OPTIONS" in methods:
        return methods - {"OPTIONS"}
    return methods


def shared_methods(a: frozenset | None, b: frozenset | None) -> frozenset | None:
    """Methods both accept; None means every method, an empty set means none."""
    if a is None:
        return b
    if b is None:
        return a
    return a & b


class Index:
    """What the analysis knows about a table: live rules, effective methods, trie trails."""

    def __init__(self, table) -> None:
        self.table = table
        self.root = table.matcher.root
        self.langs = Languages()
        self.rules = table.rules
        # A table has a handful of distinct method sets: one effective set per kind,
        # shared by its routes (not one new frozenset per route).
        effective: dict = {}
        self.methods = methods = []
        for rule in self.rules:
            key = (rule.methods, rule.automatic_options)
            found = effective.get(key, effective)
            if found is effective:
                found = effective[key] = effective_methods(rule)
            methods.append(found)
        self.never = {}  # rule index -> why no request can ever reach it
        for rule in self.rules:
            if not rule.build_only:
                reason = self._never_reason(rule)
                if reason:
                    self.never[rule.index] = reason
        self.live = [not rule.build_only and rule.index not in self.never
                     for rule in self.rules]
        self._trails: dict[int, tuple[list, list]] = {}
        self._edge_positions: dict[int, dict] = {}

    def trail(self, rule) -> tuple[list, list]:
        """The states before each of the rule's parts, and per part the index of its
        dynamic edge in that state's sorted list (-1 for a static part). A slash form
        (:mod:`.slashes`) gets its route's trail."""
        rule = getattr(rule, "origin", rule)
        found = self._trails.get(rule.index)
        if found is None:
            states, edges = [], []
            state = self.root
            for part in rule.parts:
                states.append(state)
                if part.static:
                    edges.append(-1)
                    state = state.static[part.content]
                    continue
                position = self._positions(state).get(part.key)
                if position is None:  # pragma: no cover - in the trie by construction
                    raise LookupError(f"{rule!r} is not in the matcher")
                edges.append(position)
                state = state.dynamic[position][1]
            states.append(state)
            found = self._trails[rule.index] = (states, edges)
        return found

    def _positions(self, state) -> dict:
        """Key -> position of each dynamic transition of ``state`` (the first with it)."""
        found = self._edge_positions.get(id(state))
        if found is None:
            found = {}
            for position, (edge, _) in enumerate(state.dynamic):
                found.setdefault(edge.key, position)
            self._edge_positions[id(state)] = found
        return found

    def _never_reason(self, rule) -> str | None:
        settings = self.table.settings
        domain = rule.parts[0]
        if settings.host_matching:
            if domain.static and domain.content == "":
                return "host_matching is on and the route has no host, so no request matches it"
        elif not settings.server_name:
            wanted = settings.default_subdomain
            hit = domain.content == wanted if domain.static else domain.match(wanted) is not None
            if not hit:
                return (f"subdomain {rule.domain!r} is never requested: without a server_name "
                        f"every request has subdomain {wanted!r}")
        if rule.methods is not None and not rule.methods:
            return "it accepts no method (methods is empty and there is no automatic OPTIONS)"
        for name, conv in rule.converters.items():
            if isinstance(conv, (IntConverter, FloatConverter)) and _empty_range(conv):
                return f"converter {conv.spec} of '{name}' accepts no value"
        return None


def _empty_range(conv) -> bool:
    low, high = conv.min, conv.max
    if isinstance(conv, IntConverter) and conv.fixed_digits:
        # fixed_digits counts the sign too
        digits = conv.fixed_digits
        top = 10 ** digits - 1
        bottom = -(10 ** (digits - 1) - 1) if conv.signed and digits > 1 else 0
        low = bottom if low is None else max(low, bottom)
        high = top if high is None else min(high, top)
    if not conv.signed and high is not None and high < 0:
        return True
    return low is not None and high is not None and low > high


def route_pairs(index: Index, xs, ys, div, tie: bool, x_first: bool,
                skipped: set[int] = frozenset(), _new=tuple.__new__) -> list:
    """The pairs (``xs`` tried first when ``x_first``) of live routes of ``xs`` (less
    ``skipped``) and ``ys`` that can answer one request (same kind, a method in
    common), in ``xs``-then-``ys`` order. A list built in one loop, each pair made with
    ``tuple.__new__`` (not the NamedTuple's generated ``__new__``): the join makes tens
    of thousands of them."""
    live, methods = index.live, index.methods
    out = []
    append = out.append
    for a in xs:
        if a.index in skipped or not live[a.index]:
            continue
        ma = methods[a.index]
        ws = a.websocket
        for b in ys:
            if not live[b.index] or ws != b.websocket:
                continue
            mb = methods[b.index]  # shared_methods, inline: once per pair
            if ma is None:
                shared = mb
            elif mb is None:
                shared = ma
            else:
                shared = ma & mb
            if shared is None or shared:
                append(_new(Pair, (a, b, div, tie, shared, None, False) if x_first
                            else (b, a, div, tie, shared, None, False)))
    return out
