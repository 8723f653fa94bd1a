"""The 404 test by prefixes of the generated ``match`` (match_function.compile_match): most
paths a table cannot answer leave its trie within a few static segments, so a plain path
that starts with none of a few texts is a 404 with no search.

:func:`answerable_prefixes` finds those texts; :func:`prefix_ranges` turns them into
ranges of text (``p <= url < above(p)``), and :func:`route_by_prefix` writes the test as a
binary search over the ranges by string comparisons, into the generated function.
"""

from __future__ import annotations

import collections
import sys
from collections.abc import Callable

#: The condition "``url`` is not a plain path" (a query, a fragment or an escape in it).
NOT_PLAIN = "'?' in url or '#' in url or '%' in url"

#: At most this many texts in :func:`answerable_prefixes`: every plain path that is not a
#: static one is compared with them, so a few short ones are cheaper than many long ones.
_PREFIXES = 4

def prefix_ranges(prefixes: tuple[str, ...], weight: Callable) -> list[list]:
    """``[low, high, weight, prefixes]`` for ``prefixes``, in order, adjacent or nested
    ones merged: a text starts with ``p`` exactly when ``p <= text < _above(p)``;
    ``weight(prefix)`` is the states below a prefix."""
    ranges: list[list] = []
    for low in sorted(prefixes):
        high = _above(low)
        if ranges and low <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], high)
            ranges[-1][2] += weight(low)
            ranges[-1][3].append(low)
        else:
            ranges.append([low, high, weight(low), [low]])
    return ranges


def _above(prefix: str) -> str:
    """The least text above every text that starts with ``prefix`` ("/"...): its last
    character one code point higher (past trailing U+10FFFF, above which is none)."""
    stem = prefix.rstrip(chr(sys.maxunicode))
    return stem[:-1] + chr(ord(stem[-1]) + 1)


#: Where a path that starts with no prefix is a 404 when it is plain: "/" and not "//"
#: (a host) after it, that is ``"/0" <= url < "0"`` (the usual "/x") or ``"/" <= url < "//"``.
_PLAIN_PATHS = (("/0", "0"), ("/", "//"))


def route_by_prefix(unit, ranges: list[list], low: str | None, high: str | None,
                     indent: int, merge_slashes: bool, inside: Callable | None = None
                     ) -> None:
    """Code for a ``url`` known to lie in ``[low, high)`` (None: no bound) that answers
    one starting with no prefix (``ranges``: :func:`prefix_ranges` there) and falls
    through for the others, to the search; or with ``inside``, writes each range's own
    code there: ``inside(indent, prefix, low, high)`` (the range's one prefix, or None
    for several merged, and its bounds), code that must return.

    A binary search over the ranges by comparisons, the heaviest first (most paths that
    are no 404 lie there: two comparisons reach it). A comparison is no call (a call of
    ``str.startswith`` parses its arguments each time), and the bounds a 404 is found
    between mostly say already that it starts with "/" and not "//": fewer tests than
    each range in turn and then the path's first characters."""
    emit = unit.emit
    if ranges:
        heaviest = max(range(len(ranges)), key=lambda i: ranges[i][2])
        start, end, _, held = ranges[heaviest]
        emit(indent, f"if url < {end!r}:")
        emit(indent + 1, f"if url < {start!r}:")
        route_by_prefix(unit, ranges[:heaviest], low, start, indent + 2, merge_slashes,
                        inside)
        if inside is not None:
            inside(indent + 1, held[0] if len(held) == 1 else None, start, end)
        emit(indent, "else:")
        route_by_prefix(unit, ranges[heaviest + 1:], end, high, indent + 1, merge_slashes,
                        inside)
        return
    tests = []  # where in [low, high) a plain path lies, as comparisons ("": all of it)
    for first, last in _PLAIN_PATHS:
        first = first if low is None else max(first, low)
        last = last if high is None else min(last, high)
        if first < last:
            tests.append(" and ".join([f"{first!r} <= url"] * (first != low) +
                                      [f"url < {last!r}"] * (last != high)))
    if not tests:  # no plain path here
        emit(indent, "return GENERAL(method, url)")
        return
    where = "" if "" in tests else f"({' or '.join(tests)}) and "
    slashes = " and '//' not in url" if merge_slashes else ""
    emit(indent, f"if {where}not ({NOT_PLAIN}){slashes}:")
    unit.result(indent + 1, "ANSWER_404")
    emit(indent + 1, "return r")
    emit(indent, "return GENERAL(method, url)")


# States counted below a prefix to order the tests (see route_by_prefix).
WEIGHT_LIMIT = 2000


def state_at(start, path: str):
    """The state a static ``path`` ("/a/b", or a prefix "/a/b/": the same state) leads
    to from ``start``."""
    state = start
    for segment in path.removesuffix("/").split("/"):
        state = state.static[segment]
    return state


def answerable_prefixes(start) -> tuple[str, ...] | None:
    """Texts that every plain path the search from ``start`` can answer (a match, a
    redirect, a 405 or 400) starts with; None when that can be any path.

    From the state after the leading slash, static segments are followed while a state
    can only be passed through: no rules, no dynamic transitions, no branch rule ("" child,
    a redirect of the path ending there). Only such a state's static children lead on, so
    a path answered below it repeats their texts; a 404 elsewhere needs no search. A
    state without rules of its own or a branch rule answers only paths going on past it:
    its text ends with a slash ("/api/v1/")."""
    if start.rules or start.dynamic:
        return None
    root = start.static.get("")
    if root is None:
        return ()
    found: list[str] = []
    frontier = collections.deque([("", root)])  # breadth first: short prefixes
    while frontier:
        text, state = frontier.popleft()
        children = state.static
        if state.rules or state.dynamic or "" in children or (
                len(found) + len(frontier) + len(children) > _PREFIXES):
            if not text:
                return None
            found.append(text if state.rules or "" in children else f"{text}/")
            continue
        frontier.extend((f"{text}/{segment}", child) for segment, child in children.items())
    return tuple(found)
