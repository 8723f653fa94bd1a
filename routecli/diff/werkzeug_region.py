"""Werkzeug's lint region: the routes whose lint findings a change can alter, and what they
need to be linted as in the whole table.

A lint finding about a route depends on the routes that can answer its requests: the
routes overlapping it (which one answers a witness, which cover it), the routes of their
endpoints (a redirect built from another route's defaults), the routes that created the
trie transitions it passes (equal-weight order, werkzeug#3156) and, for RL117 and RL120,
the routes sharing its endpoint or its custom converter. A finding whose dependencies hold
no touched route is the same in OLD and NEW: it cannot be new. So the region is

* the touched routes and their endpoint groups (*near*: what the change moved),
* the routes overlapping a near route on either side (*first ring*),
* the routes overlapping a first-ring route (*second ring*: what first-ring findings
  depend on), the endpoint groups and transition creators of all of them, and the users
  of a custom converter a touched route uses.

Each side is linted restricted to its touched routes plus the region's untouched routes
(the same routes on both sides, in the same relative order). A finding about a route
outside the first ring may come out of that lint with a partial view of its
dependencies, but the view is the same on both sides, so its fingerprint cancels; a
finding whose dependencies hold a touched route is about a first-ring route, whose
dependencies are all in the region, so it comes out as the whole-table lint has it.
tests/diff/test_lint_delta.py compares this with linting both whole tables.

Two checks look beyond any such region and run on the whole tables instead
(:data:`WIDE_CODES`): RL116 follows a redirect to wherever it points, RL119 compares
static segments across the whole trie.
"""

from __future__ import annotations

from bisect import bisect_left

from routecli.diff.werkzeug_requests import FocusedJoin, hot_states, index_of
from routecli.routing.werkzeug.converters import ForeignConverter, RegexConverter

#: lint codes whose findings depend on routes anywhere in the table
WIDE_CODES = frozenset({"RL116", "RL119"})


def findings(old, new, touched) -> tuple[list, object]:
    """(NEW's findings that can be new, a function giving OLD's to compare with): each
    side's region linted, and the :data:`WIDE_CODES` checks where they can differ."""
    olds, news = lint_region(old, new, touched)
    found = _lint(_restricted(new, news)) + _noqa(wide_findings(new, old, new, touched))
    return found, lambda: (_lint(_restricted(old, olds))
                           + _noqa(wide_findings(old, old, new, touched)))


def _lint(table) -> list:
    if not table.rules:
        return []
    from routecli.analysis.run import lint_report
    from routecli.gc_paused import gc_paused

    with gc_paused():
        report = lint_report(table, skip=WIDE_CODES)
    return _noqa(report.findings)


def _noqa(findings: list) -> list:
    from routecli.analysis.selection.noqa import drop_noqa

    return drop_noqa(findings)[0]


def _restricted(table, indices: list[int]):
    """``table`` with only the routes at ``indices`` (in order): the same settings and
    converters, compiled afresh."""
    from routecli.routing.model import RouteSet

    routeset = table.routeset
    routes = [table.routes[i] for i in indices]
    return type(table)(RouteSet(routes, routeset.settings, routeset.converters,
                                routeset.sources, routeset.dialect, routeset.options))


def lint_region(old, new, touched) -> tuple[list[int], list[int]]:
    """(OLD indices, NEW indices) of the routes to lint on each side (module doc)."""
    to_new = touched.unchanged  # untouched OLD index -> its NEW index
    to_old = {j: i for i, j in to_new.items()}
    sides = ((old, touched.old, to_new.get), (new, touched.new, lambda j: j))
    near_new: set[int] = set()  # untouched routes, by NEW index
    custom: set[str] = set()
    for table, seeds, mapped in sides:
        near = set(seeds) | _endpoint_groups(table, seeds)
        near_new |= _untouched(near - set(seeds), mapped, touched)
        custom |= _custom_converters(table, seeds)
    ring: set[int] = set()
    for table, seeds, mapped in sides:
        hot = set(seeds) | _sides_index(near_new, table is old, to_old)
        ring |= _untouched(_overlapping(table, hot), mapped, touched)
    region = near_new | ring
    region |= _untouched(_overlapping(new, ring - near_new), lambda j: j, touched)
    for table, seeds, mapped in sides:
        mine = set(seeds) | _sides_index(region, table is old, to_old)
        extra = _endpoint_groups(table, mine) | _creators(table, mine)
        if custom:
            extra |= _converter_users(table, custom)
        region |= _untouched(extra, mapped, touched)
    olds = sorted(touched.old | {to_old[j] for j in region if j in to_old})
    news = sorted(touched.new | region)
    return olds, news


def _sides_index(region_new: set[int], is_old: bool, to_old: dict[int, int]) -> set[int]:
    return {to_old[j] for j in region_new if j in to_old} if is_old else set(region_new)


def _untouched(indices, mapped, touched) -> set[int]:
    """The NEW indices of the untouched routes among ``indices`` of one side."""
    out = set()
    for index in indices:
        j = mapped(index)
        if j is not None and j not in touched.new:
            out.add(j)
    return out


def _overlapping(table, hot: set[int]) -> set[int]:
    """Every route sharing a request (or a slash relation, or a trie state) with a ``hot``
    route, found by the overlap engine's join entered only where a hot route is."""
    if not hot:
        return set()
    index = index_of(table)
    rules = table.rules
    hot = set(hot)
    seen: set[int] = set()
    for i in list(hot):  # copies of one route are walked as one: take the whole state
        if index.live[i]:
            states, _ = index.trail(rules[i])
            if id(states[-1]) in seen:
                continue  # once per state: 10,000 hot routes of one state are one
            seen.add(id(states[-1]))
            hot.update(rule.index for rule in states[-1].rules)
            branch = states[-1].static.get("")
            if branch is not None:
                hot.update(rule.index for rule in branch.rules)
    found: set[int] = set(hot)

    def on_pair(pair) -> None:
        a, b = pair.first.index, pair.second.index
        if a in hot or b in hot:
            found.update((a, b))

    def on_slash(leaf, branch, _twin) -> None:
        if leaf.index in hot or branch.index in hot:
            found.update((leaf.index, branch.index))

    FocusedJoin(index, on_pair, hot_states(index, hot), on_slash).run()
    if any(not rule.strict_slashes for rule in rules):
        from routecli.analysis.slash_forms import Slashes

        for pair in Slashes(index).pairs(set()):
            a, b = pair.first.index, pair.second.index
            if a in hot or b in hot:
                found.update((a, b))
    return found


def _endpoint_groups(table, indices: set[int]) -> set[int]:
    rules, groups = table.rules, table.rules_by_endpoint
    endpoints = {rules[i].endpoint for i in indices}  # each group listed once
    return {rule.index for endpoint in endpoints for rule in groups.get(endpoint, ())}


def _creators(table, indices: set[int]) -> set[int]:
    """The routes that created each dynamic transition of the states the ``indices``
    routes pass where there is a choice: the first route below each (Werkzeug orders
    equal weights by creation)."""
    index = index_of(table)
    rules = table.rules
    first_below: dict[int, int] = {}
    out: set[int] = set()
    for i in indices:
        if not index.live[i]:
            continue
        states, _ = index.trail(rules[i])
        for state in states:
            if len(state.dynamic) > 1:
                out.update(_first_below(child, first_below) for _, child in state.dynamic)
    out.discard(-1)
    return out


def _first_below(state, memo: dict[int, int]) -> int:
    """The lowest index of a route at or below ``state`` (-1: none)."""
    found = memo.get(id(state))
    if found is None:
        best, stack = -1, [state]
        while stack:
            node = stack.pop()
            for rule in node.rules:
                if best < 0 or rule.index < best:
                    best = rule.index
            stack.extend(node.static.values())
            stack.extend(child for _, child in node.dynamic)
        found = memo[id(state)] = best
    return found


def _custom_converters(table, indices) -> set[str]:
    rules = table.rules
    return {conv.name for i in indices for conv in rules[i].converters.values()
            if isinstance(conv, (RegexConverter, ForeignConverter))}


def _converter_users(table, names: set[str]) -> set[int]:
    return {rule.index for rule in table.rules
            if any(conv.name in names for conv in rule.converters.values()
                   if isinstance(conv, (RegexConverter, ForeignConverter)))}


def wide_findings(table, old, new, touched) -> list:
    """The findings of :data:`WIDE_CODES` in ``table`` (``old`` or ``new``) that the
    change can concern: RL119 for the segments beside the touched routes' paths and for
    their segments wherever they are; RL116 over the whole table when some route
    redirects to a URL template."""
    from routecli.analysis.rules import endpoints, slashes

    seeds = [old.rules[i] for i in touched.old] + [new.rules[j] for j in touched.new]
    words: set[str] = {part.content for rule in seeds for part in rule.parts if part.static}
    for side in (old, new):
        for state, keys in _beside(side, seeds).values():
            words |= slashes.joined_segments(state, keys)
    out = slashes.missing_slashes(table.matcher.root, _beside(table, seeds),
                                  frozenset(words))
    if any(isinstance(rule.redirect_to, str) for rule in table.rules):
        from routecli.analysis.engine import Analysis, LintRun

        out += endpoints.check_redirects(LintRun(Analysis(table), None, False))
    return out


def _beside(table, seeds: list) -> dict:
    """State id -> (state, static segments) of ``table``'s trie along the paths of the
    ``seeds`` (compiled rules of either side): at each state a seed leaves by a static
    segment, that segment and its siblings starting with it (the only ones whose reading
    as two glued siblings the seed can change)."""
    out: dict[int, tuple] = {}
    ordered: dict[int, list[str]] = {}  # state id -> its static segments, sorted
    for rule in seeds:
        state = table.matcher.root
        for part in rule.parts:
            if part.static:
                keys = _starting_with(state, part.content, ordered)
                if keys:
                    out.setdefault(id(state), (state, set()))[1].update(keys)
                state = state.static.get(part.content)
            else:
                state = next((child for edge, child in state.dynamic if edge.key == part.key),
                             None)
            if state is None:
                break
    return out


def _starting_with(state, word: str, ordered: dict[int, list[str]]) -> list[str]:
    """The static segments of ``state`` starting with ``word`` (``word`` included)."""
    statics = state.static
    if len(statics) < 2:
        return []
    if len(statics) < 16:
        return [key for key in statics if key.startswith(word)]
    keys = ordered.get(id(state))
    if keys is None:
        keys = ordered[id(state)] = sorted(statics)
    out = []
    at = bisect_left(keys, word)
    while at < len(keys) and keys[at].startswith(word):
        out.append(keys[at])
        at += 1
    return out
