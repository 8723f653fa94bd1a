"""Compiled entries of a first-match table, whatever the dialect (docs/architecture.md#dialects).

A first-match framework (Starlette, FastAPI, Django) tries routes in declaration order
and the first that takes a request answers it. Each dialect compiles its route set into a
list of :class:`Entry` objects in that order (groups such as a Mount are entries too,
followed by their children) and matches requests with its own algorithm; the analysis
(:mod:`routecli.analysis.first_match`) reads the same entries through the fields below,
never through dialect names.

``pattern`` is a Python regex whose *full match* is the set of decoded request paths
the entry takes: for a route, its full prefixed path; for a capturing group (a Starlette
Mount), every path under its prefix. ``methods`` is the set of methods the entry takes
such a path for (None: every method); ``allowed`` what its 405 lists. ``captures``: the
entry keeps every request of ``pattern``, whatever its method or children (a Mount, a
Host). ``exact``: ``pattern`` is exactly its language (False when a prefix can split in
several ways, so that it is only an over-approximation); ``may_decline``: a converter
may refuse a value and let later routes try (Django). The analysis only lets exact
entries that never decline dominate others. ``catch_all``: the entry answers whole URL
subtrees (a trailing path converter, a Mount).
"""

from __future__ import annotations

from typing import Any

from routecli.routing.model import Route, Source

#: entry kinds listed by ``routecli list``: routes (and opaque mounted apps) answer
#: requests, groups hold routes; "lost" entries are listed and linted, never matched
ROUTE_KINDS = ("route", "endpoint", "websocket", "docs", "app")
GROUP_KINDS = ("mount", "host", "include")
_ROUTE_SOURCE = object()  # Entry._source: the route's own


class Entry:
    """One compiled item of a first-match table (a route, or a group of routes)."""

    __slots__ = ("index", "position", "route", "rule", "endpoint", "kind", "methods",
                 "allowed", "pattern", "captures", "exact", "may_decline", "_source",
                 "parents", "domain", "data", "catch_all")

    # What routing/serialize.py and the Werkzeug-shaped readers expect of a rule.
    defaults = None
    strict_slashes = None
    redirect_to = None

    def __init__(self, index: int, position: str, route: Route, rule: str, endpoint: str,
                 kind: str, methods: frozenset[str] | None, pattern: str | None, *,
                 allowed: tuple[str, ...] | None = None, captures: bool = False,
                 exact: bool | None = True, may_decline: bool = False,
                 source: Source | None = None, parents: tuple[Entry, ...] = (),
                 domain: str = "", data: Any = None, catch_all: bool = False) -> None:
        self.index = index
        self.position = position
        self.route = route
        self.rule = rule
        self.endpoint = endpoint
        self.kind = kind
        self.methods = methods
        self.allowed = allowed
        if pattern is not None:  # None: a subclass makes it when read (routing/lazy.py)
            self.pattern = pattern
        self.captures = captures
        if exact is not None:  # as pattern
            self.exact = exact
        self.may_decline = may_decline
        # The route's own source is read through it (a Source per entry is 56 B kept).
        self._source = (_ROUTE_SOURCE if source is not None and source == route.source
                        else source)
        self.parents = parents
        self.domain = domain
        self.data = data  # the dialect's own compiled form (regexes, convertors)
        # It answers whole URL subtrees (a Mount, a trailing path convertor): lint groups
        # the findings it causes on many routes into one.
        self.catch_all = catch_all or captures

    # Read through the route and the kind (a slot each is 8 B a route: README.md#performance).
    @property
    def declared_methods(self) -> tuple[str, ...] | None:
        return self.route.methods

    @property
    def noqa(self) -> tuple[str, ...]:
        return self.route.noqa

    @property
    def websocket(self) -> bool:
        return self.kind == "websocket"

    @property
    def source(self) -> Source | None:
        """Where the entry was declared."""
        source = self._source
        return self.route.source if source is _ROUTE_SOURCE else source

    @property
    def matching_identity(self):
        """What the entry's own matching reads besides ``pattern``, for an entry whose
        pattern does not say it all (approximate, or may decline): two entries under the
        same parents with equal identities decide every path alike, so the later never
        answers. None: not known (the dialect says nothing), never taken as equal. By
        default the compiled item's own ``matching_identity`` (Starlette's routes)."""
        return getattr(self.data, "matching_identity", None)

    @property
    def build_only(self) -> bool:
        """True for a group holding routes: it never answers a request itself."""
        return self.kind in GROUP_KINDS

    @property
    def is_route(self) -> bool:
        return self.kind in ROUTE_KINDS

    def __repr__(self) -> str:
        methods = "*" if self.methods is None else ",".join(sorted(self.methods))
        return f"<Entry {self.position} {self.kind} {self.rule!r} [{methods}] {self.endpoint!r}>"


def position_text(path: tuple[int, ...]) -> str:
    """A nested position as ``routecli list`` shows it: ``3``, ``3.2`` (1-based)."""
    return ".".join(str(number + 1) for number in path)


def name_apart(name: str, entry: Entry, other_name: str) -> str:
    """``name`` (``entry``'s) as a warning sets it against ``other_name``: with the entry's
    rule and list number when the names are equal (one router included twice), where the
    name alone would tell nothing."""
    if name != other_name:
        return repr(name)
    return f"{name!r} ({entry.rule}, #{entry.position})"

