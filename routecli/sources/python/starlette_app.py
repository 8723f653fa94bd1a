"""Live Starlette and FastAPI apps (``-r main:app``; docs/dialects.md#live-apps).

The app's routes are walked in order, carrying the mount prefixes: Routes and FastAPI's
APIRoutes, WebSocket routes, Mounts (their routes nested with the mounted app's own
``redirect_slashes``; a mounted app without routes, such as StaticFiles, is an opaque
catch-all), Hosts, and FastAPI ≥0.137's included-router nodes (read through
``fastapi.routing.iter_route_contexts``, which yields them already prefixed, exactly
like the routes FastAPI ≤0.136 copies at include time). FastAPI's docs routes are kept
where they are (first), marked as such. Each route keeps its endpoint's ``file:line``;
an APIRoute keeps FastAPI's own validators of its path parameters, so a value they
refuse is a 422 as in the app.

Starlette and FastAPI are never imported here: an object is an app only when the user's
code has imported them.
"""

from __future__ import annotations

import inspect
import re
import sys
from typing import Any

from routecli.routing.model import Group, Route, RouteSet, Source
from routecli.sources.python.user_code import class_source, code_path

HTTP_ENDPOINT_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "QUERY")
MAX_DEPTH = 100  # nested mounts deeper than this are an app building itself forever


def _class(module: str, name: str) -> type | None:
    loaded = sys.modules.get(module)
    found = getattr(loaded, name, None)
    return found if isinstance(found, type) else None


def is_app(obj: Any) -> bool:
    """Whether ``obj`` is a Starlette or FastAPI app, or a Router."""
    classes = tuple(cls for cls in (_class("starlette.applications", "Starlette"),
                                    _class("starlette.routing", "Router")) if cls is not None)
    return bool(classes) and isinstance(obj, classes)


def routeset_from_app(app: Any) -> RouteSet:
    """The routes of a Starlette/FastAPI app (or Router), in the order they are tried."""
    fastapi_class = _class("fastapi.applications", "FastAPI")
    router_class = _class("fastapi.routing", "APIRouter")
    fastapi = ((fastapi_class is not None and isinstance(app, fastapi_class))
               or (router_class is not None and isinstance(app, router_class)))
    router = _router_of(app)
    walker = _Walker()
    routes = walker.walk(getattr(router, "routes", []), 0)
    if fastapi and getattr(sys.modules.get("fastapi.routing"), "iter_route_contexts",
                           None) is None:
        routes += _lost_by_include(getattr(router, "routes", []))
    options = {"redirect_slashes": bool(getattr(router, "redirect_slashes", True))}
    if fastapi:
        # The docs routes are in app.routes already, where FastAPI put them.
        options.update(openapi_url=None, docs_url=None, redoc_url=None,
                       swagger_ui_oauth2_redirect_url=None)
    return RouteSet(routes, dialect="fastapi" if fastapi else "starlette", options=options,
                    converters=walker.convertors())


def _router_of(app: Any) -> Any:
    """The Router that dispatches for ``app`` (an app's ``.router``, or a Router)."""
    router_class = _class("starlette.routing", "Router")
    base = app
    for _ in range(MAX_DEPTH):  # middleware wrappers keep the app in .app
        if router_class is not None and isinstance(base, router_class):
            return base
        inner = getattr(base, "router", None)
        if router_class is not None and isinstance(inner, router_class):
            return inner
        base = getattr(base, "app", None)
        if base is None:
            break
    return None


class _Walker:
    def __init__(self) -> None:
        self.custom: dict[str, Any] = {}

    def convertors(self) -> dict:
        """The app's custom convertors (registered in Starlette's process-wide table)."""
        from routecli.routing.model import ConverterDef
        from routecli.routing.starlette.convertors import BUILT_IN

        table = getattr(sys.modules.get("starlette.convertors"), "CONVERTOR_TYPES", {})
        # The app's custom convertors, and built-in ones this Starlette spells differently
        # (older float and uuid regexes): the installed objects decide.
        return {name: ConverterDef(name, getattr(instance, "regex", "[^/]+"),
                                   factory=instance)
                for name, instance in table.items()
                if name not in BUILT_IN or type(instance).__module__ != "starlette.convertors"
                or getattr(instance, "regex", None) != BUILT_IN[name].regex}

    def walk(self, routes: list, depth: int) -> list:
        out: list = []
        if depth > MAX_DEPTH:
            return out
        contexts = _contexts(routes)
        for route, original in contexts:
            item = self.item(route, original, depth)
            if item is not None:
                out.append(item)
        return out

    def item(self, route: Any, original: Any, depth: int) -> Route | Group | None:
        mount = _class("starlette.routing", "Mount")
        host = _class("starlette.routing", "Host")
        websocket = _class("starlette.routing", "WebSocketRoute")
        if host is not None and isinstance(original, host):
            children = self.walk(list(getattr(route, "routes", []) or []), depth + 1)
            regex = getattr(original, "host_regex", None)
            fold_case = regex is None or bool(regex.flags & re.IGNORECASE)
            return Group("host", route.host, children, {"fold_case": fold_case}, None,
                         getattr(route, "name", None))
        if mount is not None and isinstance(original, mount):
            return self.mount(route, original, depth)
        if websocket is not None and isinstance(original, websocket):
            return Route(route.path, _name(route), (), websocket=True, kind="websocket",
                         name=_name(route), source=_source(route.endpoint))
        if not hasattr(route, "path") or not hasattr(route, "endpoint"):
            return None  # an object routecli cannot route (a custom BaseRoute)
        return self.route(route, original)

    def route(self, route: Any, original: Any) -> Route:
        endpoint = route.endpoint
        # The route as declared: FastAPI's included-router context reports a class
        # endpoint's methods (None: every method reaches the class) as an empty set.
        methods = getattr(original, "methods", route.methods)
        kind = "route"
        extra = None
        if methods is None:
            kind = "endpoint"  # a class or ASGI endpoint: every method reaches it
            methods = _handler_methods(endpoint)
            allow = _endpoint_allow(endpoint)
            extra = None if allow is None else {"allow": allow}
        elif not methods:
            methods = None  # methods=[]: every method
        else:
            methods = tuple(sorted(methods))
        source = _source(endpoint)
        if _is_docs(endpoint):
            kind, source = "docs", Source("fastapi/applications.py")
        return Route(route.path, _name(route), methods, kind=kind, name=_name(route),
                     source=source, param_types=_validators(original), extra=extra)

    def mount(self, route: Any, original: Any, depth: int) -> Group:
        base = getattr(original, "_base_app", None) or getattr(original, "app", None)
        inner_router = _router_of(base) if base is not None else None
        children = list(getattr(route, "routes", []) or [])
        options: dict[str, Any] = {}
        path = route.path
        if inner_router is None and not children:
            name = getattr(route, "name", None)
            return Group("mount", path, [], {"app": name or _app_name(base)}, _source(base),
                         name)
        options["redirect_slashes"] = bool(getattr(inner_router, "redirect_slashes", True))
        return Group("mount", path, self.walk(children, depth + 1), options, None,
                     getattr(route, "name", None))


def _lost_by_include(app_routes: list) -> list[Route]:
    """Routes and mounts FastAPI ≤0.136 lost: it copied an included router's routes at
    include time, so what was added to the router afterwards (and every Mount in it) is
    not in the app. A router counts as included when some of its routes' endpoints are
    in the app; the prefix is read off one of them. Routers are looked for in the modules
    that define the app's endpoints."""
    router_class = _class("fastapi.routing", "APIRouter")
    mount_class = _class("starlette.routing", "Mount")
    served: dict[int, str] = {}  # id(endpoint) -> the app's path for it
    modules = set()
    for route in app_routes:
        endpoint = getattr(route, "endpoint", None)
        if endpoint is not None and hasattr(route, "path"):
            served[id(endpoint)] = route.path
            modules.add(getattr(endpoint, "__module__", None))
    lost: list[Route] = []
    seen: set[int] = set()
    for name in sorted(m for m in modules if m):
        for value in list(vars(sys.modules.get(name, object())).values()):
            if router_class is None or not isinstance(value, router_class) or id(value) in seen:
                continue
            seen.add(id(value))
            prefix = None
            for route in value.routes:
                path = served.get(id(getattr(route, "endpoint", None)))
                if path is not None and path.endswith(route.path):
                    prefix = path[: len(path) - len(route.path)]
                    break
            if prefix is None:
                continue  # never included: nothing was lost
            for route in value.routes:
                if id(getattr(route, "endpoint", None)) in served:
                    continue
                is_mount = mount_class is not None and isinstance(route, mount_class)
                endpoint = getattr(route, "app", None) if is_mount else route.endpoint
                lost.append(Route(prefix + route.path, _name(route) if not is_mount else
                                  (getattr(route, "name", None) or _app_name(endpoint)),
                                  None if is_mount else tuple(sorted(route.methods or ())),
                                  kind="lost", source=_source(endpoint),
                                  extra={"mount": True} if is_mount else None))
    return lost


def _contexts(routes: list) -> list[tuple[Any, Any]]:
    """(route as it routes, the route object it came from), FastAPI's included-router nodes
    expanded in place (already prefixed) when this FastAPI has them."""
    iterate = getattr(sys.modules.get("fastapi.routing"), "iter_route_contexts", None)
    if iterate is None:
        return [(route, route) for route in routes]
    return [(context, context.original_route) for context in iterate(list(routes))]


def _name(route: Any) -> str:
    name = getattr(route, "name", None)
    if name:
        return str(name)
    endpoint = getattr(route, "endpoint", None)
    return getattr(endpoint, "__name__", None) or type(endpoint).__name__


def _app_name(app: Any) -> str:
    """An unnamed mounted app's name: its class (StaticFiles), or a function's name."""
    if app is None:
        return "app"
    return getattr(app, "__name__", None) or type(app).__name__


def _handler_methods(endpoint: Any) -> tuple[str, ...] | None:
    """The methods an HTTPEndpoint class handles (its own 405 lists them); None for an
    ASGI app that answers every method itself."""
    if not isinstance(endpoint, type):
        return None
    base = _class("starlette.endpoints", "HTTPEndpoint")
    if base is None or not issubclass(endpoint, base):
        return None
    return tuple(method for method in HTTP_ENDPOINT_METHODS
                 if getattr(endpoint, method.lower(), None) is not None
                 or (method == "HEAD" and getattr(endpoint, "get", None) is not None))


def _endpoint_allow(endpoint: Any) -> list[str] | None:
    """The Allow header an HTTPEndpoint class sends with its own 405, as this Starlette
    computes it (1.10 lists HEAD for get(), 0.46 does not): asked of an instance."""
    if _handler_methods(endpoint) is None:
        return None
    try:
        instance = endpoint({"type": "http", "method": "GET", "headers": []}, None, None)
        return list(instance._allowed_methods)
    except Exception:  # noqa: BLE001 - an endpoint that cannot be built here: computed
        return None


def _is_docs(endpoint: Any) -> bool:
    """FastAPI's own docs routes (openapi.json, Swagger UI, ReDoc), defined in FastAPI."""
    code = getattr(_unwrapped(endpoint), "__code__", None)
    filename = getattr(code, "co_filename", "").replace("\\", "/")
    return filename.endswith("fastapi/applications.py")


# What a decorator's inner function calls the function it wraps, by convention.
_WRAPPED_NAMES = frozenset({"func", "f", "fn", "function", "wrapped", "view", "view_func",
                            "endpoint", "handler"})


def _unwrapped(func: Any) -> Any:
    import functools

    for _ in range(100):
        if isinstance(func, functools.partial):
            func = func.func
            continue
        try:
            inner = inspect.unwrap(func)
        except ValueError:
            return func
        if inner is func:
            inner = _decorated(func)
            if inner is None:
                return getattr(func, "__func__", func)
        func = inner
    return func


def _decorated(wrapper: Any) -> Any:
    """The function a decorator's wrapper calls when the decorator did not use
    functools.wraps (marimo's routers register ``wrapper_func`` for every endpoint): the
    one function the nested wrapper closes over, under a conventional name (``func``);
    None for anything else."""
    code = getattr(wrapper, "__code__", None)
    cells = getattr(wrapper, "__closure__", None)
    if code is None or not cells or "<locals>" not in getattr(wrapper, "__qualname__", ""):
        return None
    found = []
    for name, cell in zip(code.co_freevars, cells):
        try:
            value = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if inspect.isfunction(value) or inspect.ismethod(value):
            found.append((name, value))
    if len(found) == 1 and found[0][0] in _WRAPPED_NAMES:
        return found[0][1]
    return None


def _source(endpoint: Any) -> Source | None:
    """Where ``endpoint`` (a function, method or class) is defined: the app's own code,
    or an installed package's as its import path (``sqladmin/application.py``); None for
    the framework's own endpoints (StaticFiles, the docs pages) and built-ins."""
    target = _unwrapped(endpoint)
    try:
        if isinstance(target, type) or getattr(target, "__code__", None) is None:
            cls = target if isinstance(target, type) else type(target)
            return None if _in_framework(getattr(cls, "__module__", "")) else class_source(cls)
        if _in_framework(getattr(target, "__module__", None) or ""):
            return None
        code = target.__code__
        return Source(code_path(code.co_filename), code.co_firstlineno)
    except Exception:  # noqa: BLE001 - a source location is a courtesy, never a failure
        return None


def _in_framework(module: str) -> bool:
    return module.split(".")[0] in ("starlette", "fastapi", "builtins")


def _validators(route: Any) -> dict | None:
    """FastAPI's validators of an APIRoute's path parameters: name -> check(value) that
    returns why the value is refused (FastAPI's 422), or None."""
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return None
    try:
        from fastapi.dependencies.utils import get_flat_dependant

        fields = get_flat_dependant(dependant).path_params
    except Exception:  # noqa: BLE001 - an older FastAPI: the route's own fields
        fields = getattr(dependant, "path_params", [])
    checks = {}
    for field in fields:
        checks[getattr(field, "alias", None) or field.name] = _check(field)
    return checks or None


def _check(field: Any):
    def check(value: Any) -> str | None:
        try:
            _, errors = field.validate(value, {}, loc=("path", field.name))
        except Exception as exc:  # noqa: BLE001 - the app's validator failed: FastAPI's 500
            return f"its validator raised {type(exc).__name__}"
        if not errors:
            return None
        first = errors[0] if isinstance(errors, list) else errors
        message = first.get("msg") if isinstance(first, dict) else str(first)
        return f"refused by FastAPI: {message}"
    return check
