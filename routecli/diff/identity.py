"""Which routes a change touched: routes compared by everything that shapes their answers.

A route's *signature* is every field of its declaration except where it was written
(source, view, noqa), so an edit anywhere else in a file changes nothing here. OLD and NEW
are compared as sequences of signatures: equal signatures pair up in order (a multiset
match), and among the pairs, the longest run that kept its relative order is "in place";
the others moved, and since order decides between overlapping routes, a moved route is
touched too. Everything is O(n log n) in the table size; what comes after works only on
the touched routes.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections import defaultdict
from operator import attrgetter
from typing import Any, NamedTuple

# Declaration fields that only say where a route was written or how it is linted.
_WHERE_FIELDS = frozenset({"source", "view", "has_view", "noqa", "converters"})
_CONVERTER_NAME = re.compile(r"<\s*([A-Za-z_]\w*)\s*[:(]")


class Touched(NamedTuple):
    """The routes of OLD and NEW (by index) that a change touched, and the rest paired.

    ``unchanged`` maps an OLD index to the NEW index of the same route (same signature,
    same relative order); ``moved`` holds such pairs whose relative order changed."""

    old: set[int]
    new: set[int]
    unchanged: dict[int, int]
    moved: dict[int, int]


def signature(route, changed_converters: frozenset = frozenset()) -> tuple:
    """Everything about ``route`` that can change an answer, as a hashable value.

    ``changed_converters``: converter names defined differently in OLD and NEW; a route
    using one gets a different signature on each side (see :func:`touched_routes`)."""
    kind = type(route)
    known = _FIELDS.get(kind)
    if known is None:
        names = (getattr(kind, "FIELDS", None) or getattr(kind, "__slots__", None)
                 or sorted(vars(route)))
        names = tuple(name for name in names if name not in _WHERE_FIELDS
                      and name != "methods")
        known = _FIELDS[kind] = (names, attrgetter(*names) if len(names) > 1 else None)
    names, getter = known
    raw = getter(route) if getter is not None else (getattr(route, names[0], None),)
    methods = getattr(route, "methods", None)
    # the declared order of methods does not matter
    raw = (*raw, None if methods is None else tuple(sorted(methods)))
    try:
        hash(raw)
        values = [kind.__name__, raw]
    except TypeError:  # a dict or list among the values (defaults): make it hashable
        values = [kind.__name__, tuple(_hashable(value) for value in raw)]
    if changed_converters:
        used = set(_CONVERTER_NAME.findall(str(getattr(route, "rule", ""))))
        values.append(tuple(sorted(used & changed_converters)))
    converters = getattr(route, "converters", None)
    if converters:  # ready-made converter objects (Python apps): their type and regex
        values.append(tuple(
            (name, type(conv).__qualname__, getattr(conv, "regex", None),
             getattr(conv, "weight", None)) for name, conv in sorted(converters.items())))
    return tuple(values)


_FIELDS: dict[type, tuple] = {}  # route class -> (field names, their getter)


def _hashable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool, tuple)):
        return value
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}"
    try:
        return json.dumps(value, sort_keys=True, default=repr)
    except (TypeError, ValueError):
        pass
    from routecli.routing.result import shown_value

    return shown_value(value)  # repr(), or JSON when it holds an integer too large to print


def converter_key(converter) -> tuple:
    """A custom converter definition as comparable data."""
    return (getattr(converter, "regex", None), getattr(converter, "weight", None),
            getattr(converter, "part_isolating", None), _hashable(getattr(converter, "factory", None)))


def changed_converter_names(old_routeset, new_routeset) -> frozenset:
    """Names of custom converters defined on one side only, or differently on each."""
    old, new = old_routeset.converters, new_routeset.converters
    names = set(old) | set(new)
    return frozenset(name for name in names
                     if name not in old or name not in new
                     or converter_key(old[name]) != converter_key(new[name]))


def entry_signature(entry, changed_converters: frozenset = frozenset()) -> tuple:
    """The signature of an entry of a first-match table (routing/ordered.py): its route's,
    with where it sits (the full template and pattern, the groups holding it) and what
    it takes (methods, Allow header, kind), since order and nesting decide its answers."""
    from routecli.routing.model import Route

    route = entry.route
    own = signature(route, changed_converters) if isinstance(route, Route) \
        else _group_key(route)
    parents = tuple((*_group_key(p.route), p.rule, p.pattern) for p in entry.parents)
    methods = None if entry.methods is None else tuple(sorted(entry.methods))
    compiled = (_settings_of(entry.data), *(_settings_of(p.data) for p in entry.parents))
    return ("entry", entry.kind, entry.rule, entry.pattern, entry.endpoint, methods,
            entry.allowed, entry.captures, entry.exact, entry.may_decline, entry.domain,
            own, parents, compiled)


_NOT_SETTINGS = _WHERE_FIELDS | {"entry", "index", "position", "level", "route", "group",
                                 "handled"}


def _settings_of(data, depth: int = 1) -> tuple:
    """The plain values (text, numbers, flags; one level down) of a dialect's compiled
    form of an entry: a group's own settings live there (a Mount's ``redirect_slashes``
    on its router, a Django include's ``kwargs``), not on the synthetic route."""
    names = getattr(type(data), "__slots__", None) or sorted(getattr(data, "__dict__", ()))
    out = []
    for name in names:
        if name in _NOT_SETTINGS or name.startswith("_"):
            continue  # where it is, what it is part of, caches filled while matching
        value = getattr(data, name, None)
        if value is None or isinstance(value, (str, int, float, bool)):
            out.append((name, value))
        elif isinstance(value, dict) and all(isinstance(k, str) for k in value):
            out.append((name, _hashable(value)))
        elif depth and hasattr(value, "__slots__"):
            out.append((name, _settings_of(value, depth - 1)))
    return tuple(out)


def _group_key(group) -> tuple:
    return (type(group).__name__, getattr(group, "kind", None), getattr(group, "prefix", None),
            _hashable(getattr(group, "options", None)), getattr(group, "name", None))


def table_signatures(table, changed_converters: frozenset = frozenset()) -> list[tuple]:
    """The signature of each compiled rule of ``table``, by index: a Werkzeug rule's route,
    a first-match entry's own (:func:`entry_signature`)."""
    from routecli.routing.dialects import dialect_of

    if dialect_of(table).first_match:
        return [entry_signature(entry, changed_converters) for entry in table.rules]
    return [signature(route, changed_converters) for route in table.routes]


def touched_routes(old_routes: list, new_routes: list,
                   changed_converters: frozenset = frozenset()) -> Touched:
    """The touched routes of OLD and NEW, and the pairing of the others (module doc)."""
    return touched_by_signature([signature(r, changed_converters) for r in old_routes],
                                [signature(r, changed_converters) for r in new_routes])


def touched_by_signature(old_keys: list[tuple], new_keys: list[tuple]) -> Touched:
    """:func:`touched_routes` from the signatures of each side, by index."""
    positions: dict[tuple, list[int]] = defaultdict(list)
    for index, key in enumerate(old_keys):
        positions[key].append(index)
    cursor: dict[tuple, int] = defaultdict(int)
    matched: list[tuple[int, int]] = []  # (old, new) in NEW order
    new_touched: set[int] = set()
    for index, key in enumerate(new_keys):
        found = positions.get(key)
        at = cursor[key]
        if found is not None and at < len(found):
            matched.append((found[at], index))
            cursor[key] = at + 1
        else:
            new_touched.add(index)
    kept = _longest_increasing([old for old, _ in matched])
    unchanged, moved = {}, {}
    for position, (old, new) in enumerate(matched):
        (unchanged if position in kept else moved)[old] = new
    paired_old = set(unchanged) | set(moved)
    old_touched = {i for i in range(len(old_keys)) if i not in paired_old}
    old_touched |= set(moved)
    new_touched |= set(moved.values())
    return Touched(old_touched, new_touched, unchanged, moved)


def _longest_increasing(values: list[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence of ``values``."""
    tails: list[int] = []  # smallest tail value of an increasing run of each length
    tail_at: list[int] = []  # its position
    previous = [-1] * len(values)
    for position, value in enumerate(values):
        length = bisect_left(tails, value)
        if length == len(tails):
            tails.append(value)
            tail_at.append(position)
        else:
            tails[length] = value
            tail_at[length] = position
        previous[position] = tail_at[length - 1] if length else -1
    out: set[int] = set()
    position = tail_at[-1] if tail_at else -1
    while position != -1:
        out.add(position)
        position = previous[position]
    return out
