"""A Django pattern tree from plain data: the items of a route file (docs/django.md#route-files)
or of a test.

An item is a pattern with a view::

    {rule: 'items/<int:pk>/', endpoint: item}          # path()
    {regex: '^items/(?P<pk>[0-9]+)/$', endpoint: item}  # re_path()

optionally with ``view`` (a dotted path), ``kwargs`` (extra kwargs), ``methods`` (the view
accepts only these, like ``require_http_methods``; absent: any method) and
``append_slash: false`` (``@no_append_slash``); or an include::

    {include: 'shop/', namespace: shop, app_name: shop, kwargs: {...}, routes: [...]}

(``include`` is a ``path()`` prefix; ``include_regex`` a ``re_path()`` one). ``converters``
maps a custom converter name to its regex. Errors are :class:`RouteError` located with
``where(item)`` when given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from routecli.errors import RouteError
from routecli.routing.django.converters import Converter
from routecli.routing.django.patterns import RegexPattern, RoutePattern
from routecli.routing.django.urlconf import Endpoint, Include
from routecli.routing.urls import check_method

ENDPOINT_KEYS = frozenset({"rule", "regex", "endpoint", "name", "view", "kwargs", "methods",
                           "append_slash", "noqa"})
INCLUDE_KEYS = frozenset({"include", "include_regex", "namespace", "app_name", "kwargs",
                          "routes", "noqa"})
MAX_DEPTH = 50


def converters_from_data(data: Mapping[str, Any] | None) -> dict[str, Converter]:
    """Custom converters: ``{name: regex}`` or ``{name: {regex: ...}}``."""
    out: dict[str, Converter] = {}
    for name, spec in (data or {}).items():
        regex = spec.get("regex") if isinstance(spec, Mapping) else spec
        if not isinstance(name, str) or not name.isidentifier():
            raise RouteError(f"converter name {name!r} is not an identifier")
        if not isinstance(regex, str) or not regex:
            raise RouteError(f"converter {name!r} needs a regex (a non-empty string)")
        out[name] = Converter(name, regex)
    return out


def patterns_from_data(items: Any, converters: Mapping[str, Converter] | None = None,
                       where: Callable[[Any], Any] | None = None, depth: int = 0) -> list:
    """The pattern tree of a list of items (see the module docstring)."""
    if not isinstance(items, list):
        raise RouteError(f"expected a list of patterns, got {type(items).__name__}")
    if depth > MAX_DEPTH:
        raise RouteError(f"includes nested deeper than {MAX_DEPTH} levels")
    converters = dict(converters or {})
    out = []
    for item in items:
        source = where(item) if where else None
        try:
            out.append(_item(item, converters, where, depth, source))
        except RouteError as exc:
            raise exc.with_source(None if source is None else str(source)) from None
    return out


def _item(item: Any, converters, where, depth: int, source):
    if not isinstance(item, Mapping):
        raise RouteError(f"a pattern is a mapping, got {type(item).__name__}")
    kwargs = item.get("kwargs")
    if kwargs is not None and not isinstance(kwargs, Mapping):
        raise RouteError("kwargs must be a mapping")
    noqa = item.get("noqa") or ()
    noqa = (noqa,) if isinstance(noqa, str) else tuple(noqa)
    if "include" in item or "include_regex" in item:
        unknown = set(item) - INCLUDE_KEYS
        if unknown:
            raise RouteError(f"unknown include field(s): {', '.join(sorted(map(str, unknown)))}")
        if "include" in item and "include_regex" in item:
            raise RouteError("an include has either include (a path() prefix) or "
                             "include_regex (a re_path() prefix), not both")
        prefix = item.get("include", item.get("include_regex"))
        if not isinstance(prefix, str):
            raise RouteError("an include prefix is a string")
        pattern = (RoutePattern(prefix, False, converters) if "include" in item
                   else RegexPattern(prefix, False))
        namespace, app_name = item.get("namespace"), item.get("app_name")
        for label, value in (("namespace", namespace), ("app_name", app_name)):
            if value is not None and not isinstance(value, str):
                raise RouteError(f"{label} must be a string")
        if namespace and app_name is None:
            app_name = namespace  # include((patterns, app_name), namespace) needs one
        children = patterns_from_data(item.get("routes", []), converters, where, depth + 1)
        return Include(pattern, children, namespace=namespace, app_name=app_name,
                       kwargs=kwargs, source=source)
    unknown = set(item) - ENDPOINT_KEYS
    if unknown:
        raise RouteError(f"unknown pattern field(s): {', '.join(sorted(map(str, unknown)))}")
    if ("rule" in item) == ("regex" in item):
        raise RouteError("a pattern has either rule (path() syntax) or regex (re_path())")
    text = item.get("rule", item.get("regex"))
    if not isinstance(text, str):
        raise RouteError("a pattern is a string")
    pattern = (RoutePattern(text, True, converters) if "rule" in item
               else RegexPattern(text, True))
    name = item.get("endpoint", item.get("name"))
    view = item.get("view")
    for label, value in (("endpoint", name), ("view", view)):
        if value is not None and not isinstance(value, str):
            raise RouteError(f"{label} must be a string")
    methods = item.get("methods")
    if methods is not None:
        if methods == "*":
            methods = None
        elif isinstance(methods, str):
            methods = (check_method(methods),)
        elif isinstance(methods, list) and methods:
            methods = tuple(check_method(m) if isinstance(m, str) else _bad_method(m)
                            for m in methods)
        else:
            raise RouteError("methods is a list of HTTP methods (or '*')")
    append_slash = item.get("append_slash", True)
    if not isinstance(append_slash, bool):
        raise RouteError("append_slash must be true or false")
    return Endpoint(pattern, name=name, view=view, kwargs=kwargs, methods=methods,
                    append_slash=append_slash, source=source, noqa=noqa)


def _bad_method(value: Any) -> str:
    raise RouteError(f"invalid HTTP method {value!r}")
