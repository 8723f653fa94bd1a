"""A live Django URLconf (``urlpatterns`` of URLPattern/URLResolver objects) read into
routecli's Django pattern tree (:mod:`routecli.routing.django.urlconf`).

What is read, per pattern: the pattern text and its converters (the project's own
converter objects, so a ``to_python`` that raises ValueError rejects as in Django), the
URL name, the view's dotted path and ``file:line``, extra kwargs, include namespaces and
app names, and the methods a view accepts where they can be read: a class-based view's
``http_method_names`` and handlers, or a ``require_http_methods`` decorator
(docs/django.md#live-urlconfs).
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

from routecli.errors import RouteError
from routecli.routing.django import patterns as dj_patterns
from routecli.routing.django.converters import from_object
from routecli.routing.django.urlconf import Endpoint, Include
from routecli.sources.python.flask_app import _describe_view

MAX_DEPTH = 50  # include() nesting deeper than this is a cycle or a mistake


def read_urlpatterns(urlpatterns: Any, depth: int = 0) -> list:
    """The pattern tree of a ``urlpatterns`` list (URLPattern and URLResolver objects)."""
    from django.urls import URLPattern, URLResolver

    if depth > MAX_DEPTH:
        raise RouteError(f"include() nested deeper than {MAX_DEPTH} levels")
    tree: list = []
    for item in urlpatterns:
        if isinstance(item, URLResolver):
            tree.append(Include(
                read_pattern(item.pattern, is_endpoint=False),
                read_urlpatterns(item.url_patterns, depth + 1),
                namespace=item.namespace, app_name=item.app_name,
                kwargs=item.default_kwargs))
        elif isinstance(item, URLPattern):
            tree.append(read_endpoint(item))
        else:
            raise RouteError(f"urlpatterns holds {type(item).__name__} {item!r}, which is "
                             "not a path() or re_path() pattern (Django: urls.E004)")
    return tree


def read_endpoint(item: Any) -> Endpoint:
    callback = item.callback
    view, source, _body, _cbv = _describe_view(callback, item.name)
    return Endpoint(read_pattern(item.pattern, is_endpoint=True), name=item.name,
                    view=func_path(callback) or view, kwargs=item.default_args,
                    methods=view_methods(callback),
                    append_slash=getattr(callback, "should_append_slash", True),
                    source=source)


def read_pattern(pattern: Any, is_endpoint: bool):
    """routecli's twin of a Django pattern object."""
    from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        by_name = {}
        for found in dj_patterns.PARAMETER.finditer(route):
            name = found.group("converter") or "str"
            converter = pattern.converters.get(found.group("parameter"))
            if converter is not None:
                by_name[name] = from_object(name, converter)
        return dj_patterns.RoutePattern(route, is_endpoint, by_name)
    if isinstance(pattern, RegexPattern):
        return dj_patterns.RegexPattern(str(pattern), is_endpoint)
    if isinstance(pattern, LocalePrefixPattern):
        return dj_patterns.LocalePrefixPattern(pattern.language_prefix)
    raise RouteError(f"unsupported URL pattern class {type(pattern).__name__}")


def func_path(callback: Any) -> str | None:
    """The view's dotted path as Django's ResolverMatch spells it (``_func_path``)."""
    try:
        func = getattr(callback, "view_class", callback)
        if not hasattr(func, "__name__"):
            return f"{type(func).__module__}.{type(func).__name__}"
        return f"{func.__module__}.{func.__name__}"
    except Exception:  # noqa: BLE001 - naming a view must never fail the load
        return None


def view_methods(callback: Any) -> tuple[str, ...] | None:
    """The methods a view accepts, in its ``Allow`` header's order, or None when any
    method reaches it (or it cannot be told)."""
    view_class = getattr(callback, "view_class", None)
    if isinstance(view_class, type):
        return class_view_methods(view_class, getattr(callback, "view_initkwargs", {}) or {})
    return decorated_methods(callback)


def class_view_methods(view_class: type, initkwargs: dict) -> tuple[str, ...] | None:
    """``View._allowed_methods()``: each of ``http_method_names`` with a handler (HEAD
    whenever ``get`` exists, as ``View.setup`` adds it); OPTIONS is a View handler."""
    names = initkwargs.get("http_method_names", getattr(view_class, "http_method_names", None))
    if not isinstance(names, (list, tuple)):
        return None
    methods = []
    for name in names:
        if not isinstance(name, str):
            return None
        if hasattr(view_class, name) or (name == "head" and hasattr(view_class, "get")):
            methods.append(name.upper())
    return tuple(methods)


def decorated_methods(callback: Any) -> tuple[str, ...] | None:
    """The method list of the outermost ``require_http_methods`` (``require_GET``,
    ``require_POST``, ``require_safe``) wrapping a function view, read from its closure."""
    func = callback
    for _ in range(50):
        if isinstance(func, functools.partial):
            func = func.func
            continue
        code = getattr(func, "__code__", None)
        if code is not None and getattr(code, "co_qualname", "").startswith(
                "require_http_methods.") and "request_method_list" in code.co_freevars:
            cell = func.__closure__[code.co_freevars.index("request_method_list")]
            try:
                value = cell.cell_contents
            except ValueError:
                return None
            if isinstance(value, (list, tuple, set, frozenset)) and all(
                    isinstance(m, str) for m in value):
                return tuple(value)
            return None
        wrapped = getattr(func, "__wrapped__", None)
        if wrapped is None or inspect.isclass(func):
            return None
        func = wrapped
    return None
