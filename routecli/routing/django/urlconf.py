"""A URLconf as a tree: :class:`Endpoint` (``path()``/``re_path()`` with a view) and
:class:`Include` (``include()``: a prefix pattern over children).

Sources (route files, live projects) build these; :func:`finish` fills in what Django
derives from the tree (each endpoint's full route and ``view_name``) and numbers the
endpoints in URLconf order.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


class _NoKwargs(dict):
    """The extra kwargs of the many patterns that have none: one empty dict, shared, so
    read-only (a pickle of it is the one again)."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("a pattern without extra kwargs shares this empty dict: read-only")

    __setitem__ = __delitem__ = __ior__ = update = setdefault = pop = popitem = clear = _refuse

    def __reduce__(self) -> str:
        return "NO_KWARGS"


NO_KWARGS = _NoKwargs()


class Endpoint:
    """One ``path()``/``re_path()`` pattern with its view.

    ``name`` is the URL name (``path(..., name=)``); ``view`` the view's dotted path
    when known; ``kwargs`` the extra kwargs (they override captured values);
    ``methods`` the methods the view accepts, in its ``Allow`` order, or None when any
    method reaches it; ``append_slash`` is False for ``@no_append_slash`` views.
    ``rule`` (the full route, as ``ResolverMatch.route``) and ``endpoint`` (the
    ``view_name``, ``ns:name``) are set by :func:`finish`.
    """

    kind = "endpoint"
    __slots__ = ("pattern", "name", "view", "kwargs", "methods", "append_slash", "_source",
                 "noqa", "rule", "endpoint", "namespaces", "parents", "index", "route",
                 "entry")

    def __init__(self, pattern, name: str | None = None, view: str | None = None,
                 kwargs: dict[str, Any] | None = None, methods: tuple[str, ...] | None = None,
                 append_slash: bool = True, source=None, noqa: tuple[str, ...] = ()) -> None:
        self.pattern = pattern
        self.name = name
        self.view = view
        self.kwargs = dict(kwargs) if kwargs else NO_KWARGS
        self.methods = None if methods is None else tuple(methods)
        self.append_slash = append_slash
        self._source = source  # None: its route's (a Source kept per pattern is 64 B)
        self.noqa = tuple(noqa)
        self.rule = str(pattern)
        self.endpoint = name or view or ""
        self.namespaces: tuple[str, ...] = ()
        self.parents: tuple[Include, ...] = ()
        self.index = -1
        self.route = None  # the model Route it was built from
        self.entry = None  # its routing.ordered.Entry, set by the table

    @property
    def source(self):
        """Where the pattern was declared (None when unknown)."""
        if self._source is None and self.route is not None:
            return self.route.source
        return self._source

    def __repr__(self) -> str:
        return f"<Endpoint {self.rule!r} -> {self.endpoint!r}>"


class Include:
    """``include()``: children resolved against what follows the prefix ``pattern``."""

    kind = "include"
    __slots__ = ("pattern", "children", "namespace", "app_name", "kwargs", "source", "level",
                 "group", "entry")

    def __init__(self, pattern, children: list, namespace: str | None = None,
                 app_name: str | None = None, kwargs: dict[str, Any] | None = None,
                 source=None) -> None:
        self.pattern = pattern
        self.children = list(children)
        self.namespace = namespace
        self.app_name = app_name
        self.kwargs = dict(kwargs) if kwargs else NO_KWARGS
        self.source = source
        self.level = None  # the children's resolver level, set by the resolver
        self.group = None  # the model Group it was built from
        self.entry = None

    def __repr__(self) -> str:
        return f"<Include {str(self.pattern)!r} ({len(self.children)} patterns)>"


def join_route(outer: str, inner: str) -> str:
    """Django's route join: the inner route loses a leading ``^`` after a prefix."""
    if not outer:
        return inner
    return outer + inner.removeprefix("^")


def finish(patterns: list) -> list[Endpoint]:
    """Set each endpoint's full route, view_name and index; the endpoints in order."""
    endpoints: list[Endpoint] = []

    def walk(items: list, parents: tuple[Include, ...]) -> None:
        for item in items:
            if isinstance(item, Include):
                walk(item.children, (*parents, item))
                continue
            route = str(item.pattern)
            for parent in reversed(parents):
                route = join_route(str(parent.pattern), route)
            item.rule = route
            item.parents = parents
            item.namespaces = tuple(p.namespace for p in parents if p.namespace)
            item.endpoint = ":".join((*item.namespaces, item.name or item.view or ""))
            item.index = len(endpoints)
            endpoints.append(item)

    walk(patterns, ())
    return endpoints


def walk_endpoints(patterns: list) -> Iterator[Endpoint]:
    for item in patterns:
        if isinstance(item, Include):
            yield from walk_endpoints(item.children)
        else:
            yield item
