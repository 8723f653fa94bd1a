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

import contextlib
import functools
import inspect
import sys
from types import ModuleType
from typing import Any

from routecli.errors import RouteError
from routecli.routing.django import patterns as dj_patterns
from routecli.routing.django.converters import from_object
from routecli.routing.model import Group, Route, RouteSet, Source

MAX_DEPTH = 50  # include() nesting deeper than this is a cycle or a mistake
_SITE = "_routecli_site"  # where a pattern object was made: (filename, line)


@contextlib.contextmanager
def pattern_sites():
    """Record, on every URLPattern and URLResolver built meanwhile, the line of the
    ``path()``, ``re_path()``, ``include()`` or ``i18n_patterns()`` call that built it:
    the first frame outside ``django/urls/`` and ``django/conf/urls/``
    (``admin.site.urls`` gives the admin's own ``path()`` lines).
    Patterns built before (a URLconf imported earlier in this process) have none."""
    from django.urls import URLPattern, URLResolver

    originals = {cls: cls.__init__ for cls in (URLPattern, URLResolver)}

    def recording(original):
        def __init__(self, *args, **kwargs):
            original(self, *args, **kwargs)
            frame = sys._getframe(1)
            for _ in range(20):
                if frame is None:
                    return
                name = frame.f_code.co_filename.replace("\\", "/")
                if "/django/urls/" not in name and "/django/conf/urls/" not in name:
                    setattr(self, _SITE, (name, frame.f_lineno))
                    return
                frame = frame.f_back
        return __init__

    for cls, original in originals.items():
        cls.__init__ = recording(original)
    try:
        yield
    finally:
        for cls, original in originals.items():
            cls.__init__ = original


def site_of(item: Any) -> Source | None:
    """The recorded ``path()`` line of a pattern object (see :func:`pattern_sites`)."""
    from routecli.sources.python.user_code import code_path

    site = getattr(item, _SITE, None)
    if not isinstance(site, tuple):
        return None
    return Source(code_path(site[0]), site[1])


def is_app(obj: Any) -> bool:
    """A Django URLconf: a module with ``urlpatterns``, or a list of URL patterns."""
    urls = sys.modules.get("django.urls")
    if urls is None:
        return False
    kinds = (urls.URLPattern, urls.URLResolver)
    if isinstance(obj, ModuleType):
        patterns = getattr(obj, "urlpatterns", None)
        return isinstance(patterns, (list, tuple)) and all(isinstance(p, kinds)
                                                            for p in patterns)
    return isinstance(obj, (list, tuple)) and bool(obj) and all(isinstance(p, kinds)
                                                                 for p in obj)


def routeset_from_app(obj: Any, *, append_slash: bool = True, debug: bool = False,
                      label: str = "") -> RouteSet:
    """The RouteSet (``django`` dialect) of a URLconf module or ``urlpatterns`` list."""
    patterns = obj.urlpatterns if isinstance(obj, ModuleType) else obj
    routes = read_urlpatterns(list(patterns))
    return RouteSet(routes, sources=[label or getattr(obj, "__name__", "urlpatterns")],
                    dialect="django", options={"append_slash": append_slash, "debug": debug,
                                               "django_version": _version()})


def _version() -> str:
    """The running Django's "major.minor"."""
    import django

    return f"{django.VERSION[0]}.{django.VERSION[1]}"


def read_urlpatterns(urlpatterns: Any, depth: int = 0) -> list:
    """Routes and include Groups of a ``urlpatterns`` list (URLPattern/URLResolver)."""
    from django.urls import URLPattern, URLResolver

    if depth > MAX_DEPTH:
        raise RouteError(f"include() nested deeper than {MAX_DEPTH} levels")
    out: list = []
    for item in urlpatterns:
        if isinstance(item, URLResolver):
            options = _pattern_options(item.pattern)
            options.update(namespace=item.namespace, app_name=item.app_name,
                           kwargs=dict(item.default_kwargs or {}))
            out.append(Group("include", str(item.pattern),
                             read_urlpatterns(item.url_patterns, depth + 1), options,
                             site_of(item), name=item.namespace))
        elif isinstance(item, URLPattern):
            out.append(read_endpoint(item))
        else:
            raise RouteError(f"urlpatterns holds {type(item).__name__} {item!r}, which is "
                             "not a path() or re_path() pattern (Django: urls.E004)")
    return out


def read_endpoint(item: Any) -> Route:
    from routecli.sources.python.user_code import describe_view

    callback = item.callback
    view, view_source, _body, _cbv = describe_view(callback, item.name)
    source = site_of(item) or view_source
    options = _pattern_options(item.pattern)
    extra = {"regex": options.get("regex", False), "kwargs": dict(item.default_args or {}),
             "append_slash": getattr(callback, "should_append_slash", True) is not False}
    if view_source is not None and source is not view_source:
        extra["view_source"] = str(view_source)  # the pattern's source is its path() line
    return Route(str(item.pattern), item.name or "", view_methods(callback), name=item.name,
                 view=func_path(callback) or view, source=source,
                 converters=options.get("converters"), extra=extra)


def _pattern_options(pattern: Any) -> dict[str, Any]:
    """How routecli's twin of a Django pattern object is built (build.py): a regex, a
    language prefix, or a route with the project's own converter objects by name."""
    from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

    if isinstance(pattern, RoutePattern):
        by_name = {}
        for found in dj_patterns.PARAMETER.finditer(str(pattern)):
            name = found.group("converter") or "str"
            converter = pattern.converters.get(found.group("parameter"))
            if converter is not None:
                by_name[name] = from_object(name, converter)
        return {"regex": False, "converters": by_name}
    if isinstance(pattern, RegexPattern):
        return {"regex": True}
    if isinstance(pattern, LocalePrefixPattern):
        return {"locale": True}
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


# Django's view decorators that never answer before the view they wrap does (they mark
# the request or edit the response): the method check below them is still what answers.
# Keyed by the function that builds the wrapper, the first part of its code's qualname.
_TRANSPARENT = frozenset({
    "csrf_exempt", "never_cache", "cache_control", "xframe_options_deny",
    "xframe_options_sameorigin", "xframe_options_exempt", "vary_on_headers", "vary_on_cookie",
    "sensitive_post_parameters", "sensitive_variables", "no_append_slash"})
# Middleware turned into decorators (csrf_protect, cache_page, gzip_page) whose request
# hooks let a plain request through: CSRF checks are off, as in Django's test client.
_TRANSPARENT_MIDDLEWARE = frozenset({
    "django.middleware.csrf.CsrfViewMiddleware", "django.middleware.cache.CacheMiddleware",
    "django.middleware.gzip.GZipMiddleware"})
_DJANGO_DECORATORS = ("django/views/decorators/", "django/utils/decorators.py")


def view_methods(callback: Any) -> tuple[str, ...] | None:
    """The methods a view accepts, in its ``Allow`` header's order, or None when any
    method reaches it or it cannot be told. Known: a class-based view answering from
    ``View.dispatch``, or the list of a ``require_http_methods``-style decorator, below
    only decorators known to let every request through to it (login_required and
    unknown decorators may answer first: None)."""
    func = callback
    for _ in range(50):
        if isinstance(func, functools.partial):
            func = func.func
            continue
        code = getattr(func, "__code__", None)
        if code is None:
            return None
        qualname = getattr(code, "co_qualname", code.co_name)
        filename = code.co_filename.replace("\\", "/")
        if qualname == "View.as_view.<locals>.view" and filename.endswith(
                "django/views/generic/base.py"):
            return class_view_methods(getattr(func, "view_class", None),
                                      getattr(func, "view_initkwargs", None) or {})
        if not any(part in filename for part in _DJANGO_DECORATORS):
            return None
        maker = qualname.split(".", 1)[0]
        if maker == "require_http_methods":
            return _closure_methods(func, code)
        if maker == "make_middleware_decorator":
            if _wrapped_middleware(func) not in _TRANSPARENT_MIDDLEWARE:
                return None
        elif maker not in _TRANSPARENT:
            return None
        func = getattr(func, "__wrapped__", None)
    return None


def class_view_methods(view_class: Any, initkwargs: dict) -> tuple[str, ...] | None:
    """``View._allowed_methods()``: each of ``http_method_names`` with a handler (HEAD
    whenever ``get`` exists, as ``View.setup`` adds it); OPTIONS is a View handler.
    None when the class answers before the method check (its own ``dispatch``, as
    ``PasswordResetConfirmView`` and DRF's views have) or refuses otherwise."""
    from django.views import View

    if not isinstance(view_class, type) or not issubclass(view_class, View):
        return None
    if view_class.dispatch is not View.dispatch or \
            view_class.http_method_not_allowed is not View.http_method_not_allowed:
        return None
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


def _wrapped_middleware(func: Any) -> str | None:
    """The dotted class name of the middleware a ``make_middleware_decorator`` wrapper
    runs: its instance sits in the wrapper's closure or in a helper's closure."""
    cells = list(func.__closure__ or ())
    for cell in cells:
        try:
            value = cell.cell_contents
        except ValueError:
            continue
        cls = value if isinstance(value, type) else type(value)
        if cls.__module__.startswith("django.middleware."):
            return f"{cls.__module__}.{cls.__name__}"
        if inspect.isfunction(value) and value.__closure__ and len(cells) < 50:
            cells.extend(value.__closure__)
    return None


def _closure_value(func: Any, code: Any, name: str) -> Any:
    if name not in code.co_freevars or not func.__closure__:
        return None
    try:
        return func.__closure__[code.co_freevars.index(name)].cell_contents
    except ValueError:
        return None


def _closure_methods(func: Any, code: Any) -> tuple[str, ...] | None:
    """The ``request_method_list`` a ``require_http_methods`` wrapper checks."""
    value = _closure_value(func, code, "request_method_list")
    if isinstance(value, (list, tuple)) and all(isinstance(m, str) for m in value):
        return tuple(value)
    return None
