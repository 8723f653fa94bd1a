"""A Django pattern tree (:mod:`.urlconf`) from a :class:`RouteSet` of the ``django``
dialect, as a route file (sources/django_schema.py) or a live URLconf
(sources/python/django_urlconf.py) gives it.

A :class:`Route` is a ``path()`` (``rule`` in path syntax) or, with ``extra["regex"]``,
a ``re_path()``; ``endpoint`` is its URL name ("" for none), ``view`` the view's dotted
path, ``methods`` what the view accepts (its ``Allow`` order; None: any method),
``extra["kwargs"]`` its extra kwargs and ``extra["append_slash"]`` False for a
``@no_append_slash`` view; live converter objects come in ``converters`` (by converter
name). A :class:`Group` of kind ``include`` is an ``include()``: ``prefix`` with
``options`` ``regex``, ``locale`` (an ``i18n_patterns`` language prefix), ``namespace``,
``app_name``, ``kwargs`` and ``converters``. Errors Django would raise are
:class:`RouteError` at the item's source.
"""

from __future__ import annotations

from collections.abc import Mapping

from routecli.errors import RouteError
from routecli.routing.django.converters import Converter
from routecli.routing.django.patterns import LocalePrefixPattern, RegexPattern, RoutePattern
from routecli.routing.django.urlconf import Endpoint, Include
from routecli.routing.model import ConverterDef, Group, Route, RouteSet

MAX_DEPTH = 50


def file_converters(defs: Mapping[str, ConverterDef]) -> dict[str, Converter]:
    """A route file's custom converters: a regex each, values passed on unchanged."""
    return {name: Converter(name, d.regex) for name, d in defs.items()}


def tree_from_routeset(routeset: RouteSet) -> list:
    return tree_from_routes(routeset.routes, file_converters(routeset.converters))


def tree_from_routes(items: list, converters: Mapping[str, Converter], depth: int = 0,
                     shared: dict | None = None) -> list:
    """The pattern tree of ``items``; ``shared`` holds what equal patterns share (their
    converter maps) while one URLconf is built."""
    shared = {} if shared is None else shared
    if depth > MAX_DEPTH:
        raise RouteError(f"include() nested deeper than {MAX_DEPTH} levels")
    out = []
    for item in items:
        try:
            out.append(_group(item, converters, depth, shared) if isinstance(item, Group)
                       else _endpoint(item, converters, shared))
        except RouteError as exc:
            source = getattr(item, "source", None)
            raise exc.with_source(None if source is None else str(source)) from None
    return out


def _pattern(text: str, regex: bool, is_endpoint: bool, converters, own, shared: dict):
    if regex:
        return RegexPattern(text, is_endpoint)
    return RoutePattern(text, is_endpoint, {**converters, **own} if own else converters,
                        shared)


def _endpoint(route: Route, converters, shared: dict) -> Endpoint:
    extra = route.extra or {}
    pattern = _pattern(route.rule, bool(extra.get("regex")), True, converters,
                       route.converters, shared)
    endpoint = Endpoint(pattern, name=route.name or route.endpoint or None, view=route.view,
                        kwargs=extra.get("kwargs"), methods=route.methods,
                        append_slash=extra.get("append_slash", True), noqa=route.noqa)
    endpoint.route = route
    return endpoint


def _group(group: Group, converters, depth: int, shared: dict) -> Include:
    if group.kind != "include":
        raise RouteError(f"Django has no {group.kind!r} groups, only include")
    options = group.options
    if options.get("locale"):
        pattern = LocalePrefixPattern(group.prefix)
    else:
        pattern = _pattern(group.prefix, bool(options.get("regex")), False, converters,
                           options.get("converters"), shared)
    children = tree_from_routes(group.routes, converters, depth + 1, shared)
    include = Include(pattern, children, namespace=options.get("namespace"),
                      app_name=options.get("app_name"), kwargs=options.get("kwargs"),
                      source=group.source)
    include.group = group
    return include
