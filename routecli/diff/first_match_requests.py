"""The candidate hook of the first-match dialects (Starlette, FastAPI, Django): requests
around the touched entries, from their path languages.

Each entry's ``pattern`` is its path language (routing/ordered.py), compiled by the
automata engine as first-match lint compiles it (:class:`~routecli.analysis.first_match.
FirstMatch`). For a touched entry T of either side, the entries of *both* tables that
can share a path with T are found by their literal heads (a head that is a prefix of
T's, or starts with it: no compilation of the rest of the table), and for each such E
the hook proposes a path of L(T) ∩ L(E) (which of the two answers it is what order,
methods and convertors decide), of L(T) \\ L(E) and of L(E) \\ L(T) (a narrowed or widened
convertor, a moved boundary), plus a few paths of L(T) alone. Every path is asked with
the methods of both entries and GET, and with its trailing slash toggled (redirect_slashes,
APPEND_SLASH). Cost follows the number of touched entries and their neighbours.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from routecli.analysis.first_match import (
    FirstMatch,
    candidates_by_head,
    literal_head,
    readable,
)
from routecli.automata import (
    Undecidable,
    compile_regex,
    current_budget,
    difference_witness,
    intersect_witness,
    intersection,
)
from routecli.diff.answers import Request, toggle_slash

_SAMPLES = 3  # paths of a touched entry's own language
_NEIGHBOURS = 128  # entries followed per touched entry and side (a catch-all meets all)
_MAX_STATES = 20_000
_ANY_METHODS = ("GET", "POST")


class _Side:
    """One table: its entries' languages (compiled on demand) and literal heads."""

    def __init__(self, table, name: str) -> None:
        from routecli.analysis.first_match_run import FirstMatchRun

        self.table = table
        self.name = name
        self.run = FirstMatchRun(table)
        self.core: FirstMatch = self.run.core
        self._index = None
        self._neighbours: dict[str, list[int]] = {}

    def language(self, entry):
        try:
            return self.core.language(entry)
        except Undecidable:
            return None

    def near(self, head: str) -> list[int]:
        """Indices of the entries whose literal head is a prefix of ``head`` or starts
        with it (only those can share a path with an entry of that head)."""
        if self._index is None:
            by_head = sorted((literal_head(entry.pattern), entry.index)
                             for entry in self.table.rules if takes_requests(entry))
            self._index = ([h for h, _ in by_head], by_head)
        heads, by_head = self._index
        return candidates_by_head(head, heads, by_head)

    def neighbours(self, head: str) -> list[int]:
        """The first :data:`_NEIGHBOURS` of :meth:`near`, once per head (the listing is
        charged to the work budget: one path of 10,000 routes lists 10,000 each time)."""
        found = self._neighbours.get(head)
        if found is None:
            near = self.near(head)
            current_budget().charge(len(near))
            found = self._neighbours[head] = near[:_NEIGHBOURS]
        return found


def takes_requests(entry) -> bool:
    """A route, or a group that keeps every request of its prefix (a Mount)."""
    return entry.is_route or entry.captures


def candidate_requests(old, new, touched) -> Iterator[Request]:
    """Requests around the touched entries of ``old`` and ``new`` (module doc): every
    entry's own paths first, then its neighbours', so that a diff whose work budget runs
    out has asked about every touched entry."""
    sides = (_Side(old, "old"), _Side(new, "new"))
    # Paths depend on the patterns alone, and a table repeats its patterns (one path
    # with a route per method): each pattern, and each pair of them, is asked once.
    paths: dict[tuple, list[str]] = {}
    touched_entries = [(me, me.table.rules[i])
                       for me, hot in ((sides[0], touched.old), (sides[1], touched.new))
                       for i in sorted(hot) if takes_requests(me.table.rules[i])]
    for me, entry in touched_entries:
        yield from _own(me, entry, paths)
    for me, entry in touched_entries:
        yield from _around(me, entry, sides, paths)


def _own(me: _Side, entry, paths: dict) -> Iterator[Request]:
    mine = me.language(entry)
    if mine is None:
        return
    about = ((me.name, entry.index),)
    key = (entry.pattern,)
    if key not in paths:
        paths[key] = _samples(mine)
    for path in paths[key]:
        yield from _requests(me, entry, path, _methods(entry), about)


def _around(me: _Side, entry, sides, paths: dict) -> Iterator[Request]:
    mine = me.language(entry)
    if mine is None:
        return
    about = ((me.name, entry.index),)
    head = literal_head(entry.pattern)
    for side in sides:
        for j in side.neighbours(head):
            other = side.table.rules[j]
            if side is me and j == entry.index:
                continue
            theirs = side.language(other)
            if theirs is None:
                continue
            methods = tuple(dict.fromkeys(_methods(entry) + _methods(other)))
            pair = (*about, (side.name, j))
            key = (entry.pattern, other.pattern)
            if key not in paths:
                paths[key] = _pair_paths(mine, theirs)
            for path in paths[key]:
                yield from _requests(me, entry, path, methods, pair)


def _samples(language) -> list[str]:
    """Up to :data:`_SAMPLES` shortest readable paths of ``language``."""
    out: list[str] = []
    try:
        base = intersection(language, readable())
    except Undecidable:  # too large, or the work budget ran out: no samples
        return out
    for _ in range(_SAMPLES):
        try:
            found = (difference_witness(base, *(_literal(p) for p in out),
                                        max_states=_MAX_STATES) if out
                     else intersect_witness(base, max_states=_MAX_STATES))
        except Undecidable:
            break
        if found is None:
            break
        out.append(found)
    return out


def _pair_paths(mine, theirs) -> list[str]:
    """A readable path both languages share, one only ``mine`` has, one only ``theirs``."""
    out = []
    questions = ((intersect_witness, mine, theirs), (difference_witness, mine, theirs),
                 (difference_witness, theirs, mine))
    for question, a, b in questions:
        try:
            found = question(intersection(a, readable()), b, max_states=_MAX_STATES)
        except Undecidable:
            continue
        if found is not None:
            out.append(found)
    return out


def _literal(path: str):
    return compile_regex(re.escape(path))


def _methods(entry) -> tuple[str, ...]:
    methods = entry.methods
    if methods is None or entry.captures:
        return _ANY_METHODS
    return tuple(dict.fromkeys(("GET", *sorted(methods))))


def _requests(side: _Side, entry, path: str, methods, about: tuple) -> Iterator[Request]:
    url = side.run.url(path, entry)
    for method in methods:
        yield Request(method, url, None, about)
        yield Request(method, toggle_slash(url), None, about)
