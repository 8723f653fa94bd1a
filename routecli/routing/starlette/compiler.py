"""From a Starlette/FastAPI route set to routers (for matching) and entries (for everyone).

A :class:`Router` is one level of Starlette's dispatch: its items in order and its own
``redirect_slashes``. A Route becomes a :class:`RouteItem`, a Mount or Host a
:class:`GroupItem` holding a nested Router, and a FastAPI ``include_router`` is expanded
inline at its position (what FastAPI ≤0.136 does, and what ≥0.137's live node answers
exactly like). Every item also becomes an :class:`~routecli.routing.ordered.Entry`, in
declaration order, with the prefixed template as its ``rule``.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from routecli.errors import RouteError
from routecli.routing.backtracking import guarded
from routecli.routing.lazy import LazySlots
from routecli.routing.model import Group, Route, RouteSet, Source
from routecli.routing.ordered import Entry, position_text
from routecli.routing.starlette import syntax, versions
from routecli.routing.starlette.convertors import BUILT_IN, Convertor, convertor_table

# HTTPEndpoint's own 405 lists the handlers it has, in this order (HEAD when it has get).
ENDPOINT_METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "QUERY")
# Before Starlette 1.0: only the methods it defines, HEAD only for its own head()
OLD_ENDPOINT_METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
# FastAPI() adds these first, as plain Starlette routes (GET and HEAD), unless set to None.
DOCS_ROUTES = (("openapi_url", "openapi"), ("docs_url", "swagger_ui_html"),
               ("swagger_ui_oauth2_redirect_url", "swagger_ui_redirect"),
               ("redoc_url", "redoc_html"))
_SPLIT_SAFE = frozenset(("str", "int", "float", "uuid"))  # cannot contain "/"
# Starlette's "$" (re.match) also takes one trailing newline: /items%0A answers /items.
_NEWLINE = "\n?"


class PathRegex(NamedTuple):
    """How an item matches a path: ``regex.match(path, len(head))``, then, unless
    ``literals`` is None, ``match.group(*spots) == literals`` (the whole literal segments
    of the template, compared as strings: Compiler.path)."""

    regex: Any  # re.Pattern, or routing/backtracking.py's GuardedPattern, BudgetedPattern
    spots: tuple[int, ...] | None
    literals: str | tuple[str, ...] | None


class RouteEntry(LazySlots, Entry):
    """A route's entry, whose ``pattern`` (its path language, for the analysis and
    ``--explain``: 80 B a route that matching never reads) is made when read, from its
    item's template and the Mount above it (routing/lazy.py)."""

    __slots__ = ()


def _route_pattern(entry: Entry) -> str:
    item = entry.data
    prefix = ""  # the pattern of the innermost Mount's prefix (a Host adds nothing)
    for parent in reversed(entry.parents):
        if parent.kind == "mount":
            prefix = parent.pattern[:-len("/.*" + _NEWLINE)]
            break
    known = {convertor.name: convertor for convertor in item.convertors.values()}
    pieces = syntax.parse(item.template, known)
    return prefix + syntax.regex_source(pieces, known, named=False)[1:-1] + _NEWLINE


RouteEntry._MAKERS = {"pattern": _route_pattern}


class RouteItem:
    """A Route or WebSocketRoute at one router level."""

    __slots__ = ("entry", "regex", "spots", "literals", "convertors", "full", "allowed",
                 "websocket", "head", "key", "handled", "template", "shape")

    def __init__(self, entry: Entry, regex: PathRegex, convertors: dict[str, Convertor],
                 full: frozenset[str] | None, allowed: tuple[str, ...] | None,
                 websocket: bool, head: str) -> None:
        self.entry = entry
        # The path's regex after ``head`` (shared by templates of one shape), the groups it
        # leaves to compare and what they must be (None: nothing to compare): PathRegex.
        self.regex, self.spots, self.literals = regex
        self.convertors = convertors
        self.full = full  # methods it takes (None: every method)
        self.allowed = allowed  # the Allow header of its 405
        self.websocket = websocket
        self.head = head  # the literal text every path it matches starts with
        # the matcher's index (matcher.py): set by the compiler, which knows the template
        self.key: str | None = None
        self.handled: frozenset[str] | None = None  # a class endpoint's own methods
        self.template = entry.rule  # its path as this level compiles it (url_path_for)
        # One object for the routes of a level that match a path alike (same head, regex,
        # compared literals, convertors, kind): the matcher reuses the last one's match.
        # None when an app's own convertor runs: its convert() is called every time.
        self.shape: object | None = None

    @property
    def matching_identity(self) -> tuple:
        """What Starlette's matching of this route reads at its level: the compiled regex
        and the convertor objects (a custom convertor's regex and ``convert``). The
        methods, websocket flag and enclosing Mounts/Hosts are in the analysis' copy key
        already; the same remaining path meets the same regex, so a later copy of an
        approximate route (under a Mount with a ``path`` or custom convertor, or a host
        pattern) never answers (docs/lint.md#first-match-rules)."""
        # The regex is shared by templates of one shape: the head and the compared
        # literal segments complete what the route matches.
        return (self.head, self.regex.pattern, self.spots, self.literals,
                tuple((name, id(convertor)) for name, convertor in self.convertors.items()))


class GroupItem:
    """A Mount (``host`` False) or Host at one router level, with its nested router
    (None for an opaque mounted app)."""

    __slots__ = ("entry", "regex", "spots", "literals", "convertors", "router", "host", "head",
                 "key", "fold_case", "template")

    def __init__(self, entry: Entry, regex: PathRegex, convertors: dict[str, Convertor],
                 router: Router | None, host: bool, head: str, fold_case: bool = True) -> None:
        self.entry = entry
        self.regex, self.spots, self.literals = regex  # as a RouteItem's (a Host: whole)
        self.convertors = convertors
        self.router = router
        self.host = host
        self.head = head
        self.key = None if host else index_key(head, exact=False)  # matcher.py
        # Hosts compare case-insensitively since Starlette 0.53; a live app's own flag.
        self.fold_case = fold_case
        self.template = entry.rule  # the Mount's path with "/{path:path}", or Host pattern


class Router:
    """One level of dispatch: items in order, and its own slash-redirect flag."""

    __slots__ = ("items", "redirect_slashes", "index")

    def __init__(self, items: list, redirect_slashes: bool) -> None:
        self.items = items
        self.redirect_slashes = redirect_slashes
        self.index: Any = None  # set by the matcher


def index_key(head: str, exact: bool) -> str | None:
    """What the matcher's index files an item under (matcher.py): the whole path
    segments (each ending in "/") of its literal ``head``, every path it matches starting
    with them; or, ``exact`` (a template without parameters, the whole ``head``) and not
    ending in "/", that one path. None when the head fixes nothing but "/"."""
    if not head.startswith("/"):
        return None
    if exact and not head.endswith("/"):
        return head
    key = head[:head.rfind("/") + 1]
    return None if key == "/" else key


class _Scope(NamedTuple):
    """Where a level compiles: the prefix shown in rules, the prefix its own regexes
    start with (FastAPI include prefixes; a Mount starts afresh), the analysis pattern
    of everything above, the enclosing groups and their convertors."""

    shown: str
    local: str
    pattern: str
    parents: tuple
    outer: dict


class Compiler:
    """Compiles one route set; ``entries`` fills up in declaration order."""

    def __init__(self, routeset: RouteSet) -> None:
        self.dialect = routeset.dialect
        self.fastapi = routeset.dialect == "fastapi"
        self.options = routeset.options
        self.known = convertor_table(routeset.converters)
        self.entries: list[Entry] = []
        options = routeset.options
        # What the versions a route file names change (routing/starlette/versions.py)
        self.flat_include = self.fastapi and versions.before(options, "fastapi_version",
                                                             versions.INCLUDE_TREE)
        self.hosts_fold_case = not versions.before(options, "starlette_version",
                                                   versions.HOSTS_FOLD_CASE)
        self.endpoint_allow_head = not versions.before(options, "starlette_version",
                                                       versions.ENDPOINT_ALLOW_HEAD)
        self.include_depth = 0
        # Equal method sets, Allow tuples, convertor maps and first segments shared between
        # the routes (a large app repeats a few: README.md#performance); never changed
        # once compiled.
        self._shared: dict = {}
        # One compiled regex per distinct rest-of-template (Compiler.path), with the group
        # numbers of its compared segments.
        self._regexes: dict[str, tuple] = {}
        self._shapes: dict[tuple, object] = {}  # RouteItem.shape

    def _share(self, value):
        return self._shared.setdefault(value, value) if value is not None else None

    def _shared_convertors(self, convertors: dict) -> dict:
        key = ("convertors", *((name, id(conv)) for name, conv in convertors.items()))
        return self._shared.setdefault(key, convertors)

    def compile(self, routes: list) -> Router:
        items: list = []
        position = 0
        top = _Scope("", "", "", (), {})
        for url, endpoint in self.docs_routes():
            docs = Route(url, endpoint, ("GET", "HEAD"), kind="docs", name=endpoint,
                         source=Source("fastapi/applications.py"))
            items.append(self.route(docs, top, (position,)))
            position += 1
        self.level(routes, items, top, (position,))
        return Router(items, self.options.get("redirect_slashes", True))

    def level(self, routes: list, items: list, scope: _Scope, at: tuple[int, ...]) -> None:
        """Compile ``routes`` into ``items``; positions continue from ``at``."""
        base, number = at[:-1], at[-1]
        for item in routes:
            here = (*base, number)
            if isinstance(item, Group) and item.kind == "include":
                number = self.include(item, items, scope, here)
                continue
            if isinstance(item, Group) and self.flat_include and self.include_depth:
                self.lost(_lost_group(item), scope, here)  # FastAPI <0.137 drops it
            elif isinstance(item, Group) and item.kind == "host":
                items.append(self.host(item, scope, here))
            elif isinstance(item, Group):
                items.append(self.mount(item, scope, here))
            elif item.kind == "lost":
                self.lost(item, scope, here)  # listed and linted, never matched
            else:
                items.append(self.route(item, scope, here))
            number += 1

    def include(self, group: Group, items: list, scope: _Scope, at: tuple[int, ...]) -> int:
        """FastAPI's include_router: the routes inline, their paths prefixed."""
        prefix = group.prefix
        if prefix and (not prefix.startswith("/") or prefix.endswith("/")):
            raise RouteError(f"an include prefix must start with '/' and must not end with "
                             f"'/', got {prefix!r}", _where(group.source))
        before = len(self.entries)
        inner = _Scope(scope.shown + prefix, scope.local + prefix, scope.pattern,
                       scope.parents, scope.outer)
        self.include_depth += 1
        self.level(group.routes, items, inner, at)
        self.include_depth -= 1
        # positions count the included items at this level (lost ones too)
        return at[-1] + sum(1 for entry in self.entries[before:]
                            if len(entry.position.split(".")) == len(at))

    def parse(self, template: str, source: Source | None, host: bool = False,
              fold_case: bool = True) -> tuple[list[syntax.Piece], PathRegex]:
        """A template compiled whole, as Starlette compiles it (a Host's, a FastAPI path
        without "/", and a path whose convertors could backtrack badly)."""
        try:
            pieces = syntax.parse(template, self.known)
            # A convertor regex re could backtrack on for ages gets a linear-time test
            # first (routing/backtracking.py), as Werkzeug's and Django's do.
            regex = guarded(re.compile(syntax.regex_source(pieces, self.known, host=host),
                                       re.IGNORECASE if host and fold_case else 0))
        except RouteError as exc:
            raise exc.with_source(_where(source)) from None
        except re.error as exc:
            raise RouteError(f"cannot compile {template!r}: {exc}", _where(source)) from None
        return pieces, PathRegex(regex, None, None)

    def path(self, template: str, source: Source | None
             ) -> tuple[list[syntax.Piece], str, PathRegex]:
        """A path template (starting with "/") as its literal head and the shared regex of
        the rest, matched from the head's end: ``^`` + the escaped head + the rest is the
        regex Starlette compiles, so a path matches it exactly when it starts with the
        head and the rest matches there. Where no parameter can span a "/", whole literal
        segments of the rest are compared as strings (syntax.tail_source), and templates
        of one shape share one regex (bench/README.md#memory-per-loaded-route)."""
        try:
            pieces = syntax.parse(template, self.known)
        except RouteError as exc:
            raise exc.with_source(_where(source)) from None
        head = syntax.literal_head(pieces)
        tail, spots, literals = syntax.tail_source(pieces, self.known, head,
                                                   compare=self._aligned(pieces))
        shared = self._regexes.get(tail)
        if shared is None:
            try:
                regex = guarded(re.compile(tail))
            except re.error as exc:
                raise RouteError(f"cannot compile {template!r}: {exc}",
                                 _where(source)) from None
            shared = self._regexes[tail] = (regex, spots or None)
        regex, spots = shared
        if regex.__class__ is not re.Pattern:
            # A guarded regex's linear-time test reads the whole path: compile it whole
            # (matched from 0: no head).
            return (pieces, "", self.parse(template, source)[1])
        if not literals:
            return pieces, head, PathRegex(regex, None, None)
        # match.group(*spots) is a string for one spot, a tuple for more
        return pieces, head, PathRegex(regex, spots,
                                       self._share(literals[0] if len(literals) == 1
                                                   else literals))

    def _aligned(self, pieces: list[syntax.Piece]) -> bool:
        """Whether no parameter of ``pieces`` can span a "/": Starlette's own convertors
        but ``path``, which may end the template (the segments before it are still
        fixed by the first slashes)."""
        known = self.known
        last = len(pieces) - 1
        for index, piece in enumerate(pieces):
            name = piece.convertor
            if name is None:
                continue
            if known[name] is not BUILT_IN.get(name) or (name == "path" and index != last):
                return False
        return True

    def route(self, route: Route, scope: _Scope, at: tuple[int, ...]) -> RouteItem:
        kind = route.kind
        own_path = route.rule
        if not own_path.startswith("/") and not (self.fastapi and kind == "route"):
            raise RouteError(f"a routed path must start with '/', got {own_path!r} "
                             "(Starlette refuses it)", _where(route.source))
        local = scope.local + own_path
        if local.startswith("/"):
            pieces, start, regex = self.path(local, route.source)
        else:  # a FastAPI path without "/" compiles as a host pattern: it never matches
            (pieces, regex), start = self.parse(local, route.source, host=True), ""
        convertors = {p.name: self.known[p.convertor] for p in pieces if p.name}
        declared = route.param_types or {}
        unknown = [name for name, kind in declared.items()
                   if isinstance(kind, str) and name not in convertors]
        if unknown:
            raise RouteError(f"params: {unknown[0]!r} is not a parameter of {local!r}",
                             _where(route.source))
        methods = route.methods
        handled = None
        if kind == "websocket":
            full, allowed = frozenset(), ()
        elif kind == "endpoint":
            # Every method reaches the class; it serves HEAD with get() and answers 405
            # itself, with its own Allow (a live app's, when the reader could ask it).
            handlers = set(ENDPOINT_METHOD_ORDER if methods is None else methods)
            defined = set(handlers)
            if "GET" in handlers:
                handlers.add("HEAD")
            full = None
            allow = (route.extra or {}).get("allow")
            listed, order = ((handlers, ENDPOINT_METHOD_ORDER) if self.endpoint_allow_head
                             else (defined, OLD_ENDPOINT_METHOD_ORDER))
            allowed = tuple(allow) if allow is not None else tuple(
                m for m in order if m in listed) + tuple(sorted(listed - set(order)))
            handled = frozenset(handlers)
        elif methods is None or (not methods and not self.fastapi):
            full, allowed = None, None
        else:
            declared = set(methods)
            # Starlette's Route adds HEAD to GET; FastAPI's APIRoute does not.
            if "GET" in declared and (not self.fastapi or kind == "docs"):
                declared.add("HEAD")
            full = frozenset(declared)
            allowed = tuple(sorted(declared))
        exact = local.startswith("/") and all(c.name in _SPLIT_SAFE for c in scope.outer.values())
        full, allowed, handled = self._share(full), self._share(allowed), self._share(handled)
        convertors = self._shared_convertors(convertors)
        entry = RouteEntry(len(self.entries), position_text(at), route,
                           scope.shown + own_path, route.endpoint, kind, full, None,
                           allowed=allowed, exact=exact, source=route.source,
                      parents=scope.parents, domain=_domain(scope.parents),
                      catch_all=bool(pieces) and pieces[-1].convertor == "path")
        self.entries.append(entry)
        # A host-pattern path (no leading "/") has no head a path could start with.
        head = syntax.literal_head(pieces) if local.startswith("/") else ""
        item = RouteItem(entry, regex, convertors, full, allowed, kind == "websocket", head)
        item.head = start  # where its regex starts ("" if compiled whole)
        item.handled = handled
        item.template = local
        if not any(convertor.own for convertor in convertors.values()):
            item.shape = self._shapes.setdefault(
                (start, id(item.regex), item.spots, item.literals, id(convertors),
                 item.websocket), object())
        # one "/api/v1/" for every /api/v1/... route; a template without parameters
        # (its own literal head) is its own key, kept once (as the template)
        key = index_key(head, exact=head == local)
        item.key = local if key == local else self._share(key)
        entry.data = item
        return item

    def lost(self, route: Route, scope: _Scope, at: tuple[int, ...]) -> None:
        """A route the app never serves (FastAPI ≤0.136 dropped it at include time)."""
        methods = None if route.methods is None else frozenset(route.methods)
        self.entries.append(Entry(len(self.entries), position_text(at), route,
                                  scope.shown + route.rule, route.endpoint, "lost", methods,
                                  "(?!)", exact=False, source=route.source,
                                  parents=scope.parents, domain=_domain(scope.parents)))

    def mount(self, group: Group, scope: _Scope, at: tuple[int, ...]) -> GroupItem:
        path = group.prefix
        if path and not path.startswith("/"):
            raise RouteError(f"a mount path must start with '/' (or be empty), got {path!r}",
                             _where(group.source))
        local = scope.local + path.rstrip("/")
        pieces, start, regex = self.path(local + "/{path:path}", group.source)
        own = {p.name: self.known[p.convertor] for p in pieces if p.name and p.name != "path"}
        shown = scope.shown + path.rstrip("/")
        opaque = "app" in group.options
        route = Route(shown, group.options.get("app") or group.name or "(mount)",
                      None, kind="app" if opaque else "mount", name=group.name,
                      source=group.source, noqa=group.options.get("noqa", ()))
        outer = {**scope.outer, **own}
        prefix_pattern = scope.pattern + self.pattern(syntax.parse(local, self.known))
        entry = Entry(len(self.entries), position_text(at), route,
                      shown + "/{path:path}" if opaque else shown, route.endpoint,
                      route.kind, None, prefix_pattern + "/.*" + _NEWLINE, captures=True,
                      exact=all(c.name in _SPLIT_SAFE for c in outer.values()),
                      source=group.source, parents=scope.parents,
                      domain=_domain(scope.parents))
        self.entries.append(entry)
        router = None
        if not opaque:
            items: list = []
            inner = _Scope(shown, "", prefix_pattern, (*scope.parents, entry), outer)
            self.level(group.routes, items, inner, (*at, 0))
            router = Router(items, group.options.get("redirect_slashes", True))
        item = GroupItem(entry, regex, {**own, "path": self.known["path"]}, router, False,
                         syntax.literal_head(pieces))
        item.head = start
        item.template = local + "/{path:path}"
        item.key = self._share(item.key)
        entry.data = item
        return item

    def host(self, group: Group, scope: _Scope, at: tuple[int, ...]) -> GroupItem:
        if group.prefix.startswith("/"):
            raise RouteError(f"a host pattern must not start with '/', got {group.prefix!r}",
                             _where(group.source))
        fold_case = group.options.get("fold_case", self.hosts_fold_case)
        pieces, regex = self.parse(group.prefix, group.source, host=True, fold_case=fold_case)
        convertors = {p.name: self.known[p.convertor] for p in pieces if p.name}
        routes, shown = group.routes, scope.shown
        if scope.local:
            # FastAPI 0.137+ serves a Host of an included router as Host(host,
            # Router([Mount(prefix, app)])): the Host takes every path of its host, and
            # an unnamed Mount of the include prefix holds the routes.
            routes = [Group("mount", scope.local, routes, {}, group.source)]
            shown = shown[:len(shown) - len(scope.local)]
        route = Route(shown or "/", group.name or "(host)", None, kind="host", name=group.name,
                      host=group.prefix, source=group.source,
                      noqa=group.options.get("noqa", ()))
        entry = Entry(len(self.entries), position_text(at), route,
                      shown + "/{path:path}", route.endpoint, "host", None,
                      scope.pattern + "/.*", exact=False, source=group.source,
                      parents=scope.parents, domain=group.prefix)
        self.entries.append(entry)
        items: list = []
        inner = _Scope(shown, "", scope.pattern, (*scope.parents, entry), scope.outer)
        self.level(routes, items, inner, (*at, 0))
        item = GroupItem(entry, regex, convertors, Router(items, True), True, "", fold_case)
        item.template = group.prefix
        entry.data = item
        return item

    def docs_routes(self) -> list[tuple[str, str]]:
        """FastAPI's docs routes (url, endpoint), in the order FastAPI() adds them."""
        if not self.fastapi or not self.options.get("openapi_url"):
            return []
        get = self.options.get
        urls = [(get("openapi_url"), "openapi")]
        if get("docs_url"):
            urls.append((get("docs_url"), "swagger_ui_html"))
            if get("swagger_ui_oauth2_redirect_url"):
                urls.append((get("swagger_ui_oauth2_redirect_url"), "swagger_ui_redirect"))
        if get("redoc_url"):
            urls.append((get("redoc_url"), "redoc_html"))
        return urls

    def pattern(self, pieces: list[syntax.Piece]) -> str:
        """A level's part of an entry's path language (unnamed groups, no anchors)."""
        return syntax.regex_source(pieces, self.known, named=False)[1:-1]


def _lost_group(group: Group) -> Route:
    """A Mount or Host FastAPI <0.137 dropped from an included router, as a lost entry."""
    name = group.name or group.options.get("app") or f"({group.kind})"
    host = group.kind == "host"
    return Route("" if host else group.prefix, name, None, kind="lost", name=group.name,
                 host=group.prefix if host else None, source=group.source,
                 extra={"mount": True})


def _domain(parents: tuple[Entry, ...]) -> str:
    for parent in reversed(parents):
        if parent.kind == "host":
            return parent.domain
    return ""


def _where(source: Source | None) -> str | None:
    return str(source) if source else None


def compile_routeset(routeset: RouteSet) -> tuple[Router, list[Entry]]:
    """The top router and every entry in declaration order."""
    compiler = Compiler(routeset)
    return compiler.compile(routeset.routes), compiler.entries
