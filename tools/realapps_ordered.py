"""The real-app corpus for first-match dialects (Starlette, FastAPI): a live app's route
set as a route file, and every route's sample request sent to the app itself.

``snapshot_document(table)`` writes what the route-file schema reads back
(docs/dialects.md#route-files): routes, websocket routes, class endpoints, docs pages, mounts (with
routes, or an opaque ``app``), hosts, custom convertors (their regex), FastAPI's leading
docs routes as its ``*_url`` settings, and FastAPI path-parameter types where they are
one of the schema's (``int``, ``float``, ``bool``, ``uuid``, ``str``; an enum or a
constrained type is left out, so the snapshot answers 200 where the app answers 422).

``sample_requests(table)`` makes one request per route from its template,
``variant_requests(table)`` more around each (other methods, the slash toggled, a
segment appended or changed), and
``compare(app, table, requests)`` sends each through the app's own ``TestClient`` and
reports every one where routecli's answer is not the app's: the status of a routing answer
(404, 405 with its Allow, 307 with its Location) and, when a route answers, that route's
endpoint (the ``scope["endpoint"]`` Starlette leaves after dispatch).
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

DOCS_SETTINGS = {"openapi": "openapi_url", "swagger_ui_html": "docs_url",
                 "swagger_ui_redirect": "swagger_ui_oauth2_redirect_url",
                 "redoc_html": "redoc_url"}
PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::([a-zA-Z_][a-zA-Z0-9_]*))?}")
SAMPLES = {"str": "x1", "int": "1", "float": "1.5", "path": "a/b",
           "uuid": "12345678-1234-5678-1234-567812345678"}
UNVERIFIED = "unverified"
TIMEOUT = 3.0  # seconds a sample request may take
TYPE_NAMES = {int: "int", float: "float", bool: "bool", uuid.UUID: "uuid", str: "str"}


# ----------------------------------------------------------------------------- snapshots


def snapshot_document(table) -> dict:
    """A live Starlette/FastAPI table's route set as a route file."""
    routeset = table.routeset
    settings: dict[str, Any] = {"dialect": routeset.dialect,
                                "redirect_slashes": routeset.options.get("redirect_slashes",
                                                                         True)}
    routes = list(routeset.routes)
    if routeset.dialect == "fastapi":
        for key in DOCS_SETTINGS.values():
            settings[key] = None
        while routes and getattr(routes[0], "kind", None) == "docs" \
                and getattr(routes[0], "endpoint", None) in DOCS_SETTINGS:
            docs = routes.pop(0)
            settings[DOCS_SETTINGS[docs.endpoint]] = docs.rule
    document: dict[str, Any] = {"settings": settings}
    if routeset.converters:
        document["converters"] = {name: {"regex": definition.regex}
                                  for name, definition in routeset.converters.items()}
    document["routes"] = [item for item in map(_item, routes) if item is not None]
    return document


def _item(item: Any) -> dict | None:
    from routecli.routing.model import Group

    if isinstance(item, Group):
        data: dict[str, Any] = {item.kind: item.prefix}
        if item.name is not None:
            data["name"] = item.name
        if "app" in item.options:
            data["app"] = item.options["app"]
            return data
        if item.kind == "mount" and "redirect_slashes" in item.options:
            data["redirect_slashes"] = item.options["redirect_slashes"]
        data["routes"] = [child for child in map(_item, item.routes) if child is not None]
        return data
    if item.kind == "lost":
        return None  # FastAPI <=0.136 never serves it: a route file cannot say so yet
    data = {"rule": item.rule, "endpoint": item.endpoint}
    if item.name is not None and item.name != item.endpoint:
        data["name"] = item.name
    kind = item.kind
    if kind != "route":
        data["kind"] = kind
    if kind in ("websocket", "docs"):
        return data
    if item.methods is None:
        if kind == "route":
            data["methods"] = "*"
    else:
        data["methods"] = list(item.methods)
    types = _param_types(item.param_types)
    if types:
        data["params"] = types
    return data


def _param_types(checks: dict | None) -> dict[str, str]:
    """The schema's name for each path parameter's annotated type, where it has one."""
    out = {}
    for name, check in (checks or {}).items():
        field = _closure_value(check, "field")
        annotation = getattr(getattr(field, "field_info", None), "annotation", None)
        if annotation is None:
            annotation = getattr(field, "type_", None)
        if annotation in TYPE_NAMES and annotation is not str:
            out[name] = TYPE_NAMES[annotation]
    return out


def _closure_value(function: Any, name: str) -> Any:
    code = getattr(function, "__code__", None)
    if code is None or name not in code.co_freevars:
        return None
    return function.__closure__[code.co_freevars.index(name)].cell_contents


# ----------------------------------------------------------------------------- requests


def live_app(spec: str) -> Any:
    """The app a ``module:expression`` or ``file.py:name`` spec names, built here (so the
    requests go to the very app routecli reads)."""
    import importlib
    import importlib.util
    import sys

    target, _, expression = spec.rpartition(":")
    name = Path(target).stem
    loaded = sys.modules.get(name)
    if target.endswith(".py") and getattr(loaded, "__file__", None) == target:
        # routecli imported it already (an app module built twice would register its
        # routes on a global app twice: NiceGUI's)
        module = loaded
    elif target.endswith(".py"):
        module_spec = importlib.util.spec_from_file_location(name, target)
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = module
        module_spec.loader.exec_module(module)
    else:
        module = importlib.import_module(target)
    return eval(expression, vars(module))  # noqa: S307 - the corpus's own specs


def sample_requests(table) -> list[tuple[str, str, Any]]:
    """(method, path, entry) for every route of the table: its template with a sample
    value for each parameter, and a method it takes (GET first)."""
    out = []
    for entry in table:
        if entry.kind not in ("route", "endpoint", "docs", "app"):
            continue
        path = PARAM.sub(lambda m: SAMPLES.get(m.group(2) or "str", "x1"), entry.rule)
        methods = entry.methods
        method = "GET" if not methods or "GET" in methods else sorted(methods)[0]
        out.append((method, path, entry))
    return out


def variant_requests(table) -> list[tuple[str, str, Any]]:
    """Requests near every route's sample (see :func:`sample_requests`): each method it
    takes and one it does not (a 405 or another route), the trailing slash toggled
    (``redirect_slashes``' 307 or a 404), a segment appended and the last one changed
    (a neighbour or a 404); each with the route it was made from."""
    out = []
    seen = set()
    for method, path, entry in sample_requests(table):
        if entry.kind == "app":
            continue
        candidates = [(m, path) for m in sorted(entry.methods or ())]
        candidates.append(("DELETE" if method != "DELETE" else "PUT", path))
        toggled = path[:-1] if path.endswith("/") and len(path) > 1 else path + "/"
        candidates += [(method, toggled), (method, path.rstrip("/") + "/x9")]
        head, _, last = path.rstrip("/").rpartition("/")
        if last:
            candidates.append((method, f"{head}/{last}9"))
        for candidate in candidates:
            # httpx sends "//" as "/": the app would be asked another path
            if candidate not in seen and not candidate[1].startswith("//"):
                seen.add(candidate)
                out.append((*candidate, entry))
    return out


def _is_app(endpoint: Any) -> bool:
    """A Mount's app or router (what a Mount leaves in scope["endpoint"])."""
    return hasattr(endpoint, "routes") or hasattr(endpoint, "router")


def _endpoint_source(endpoint: Any) -> str | None:
    from routecli.sources.python.starlette_app import _source

    try:
        source = _source(endpoint)
    except Exception:  # noqa: BLE001 - an object with no code: compare names only
        return None
    return str(source) if source else None


def compare(app: Any, table, requests: list[tuple[str, str, Any]]) -> list[str]:
    """Every request whose answer routecli gets wrong, as one line each ([] = all agree)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    seen: dict[str, Any] = {}

    async def recording(scope, receive, send):
        import anyio

        seen.clear()
        try:
            # A streaming endpoint (a queue, server-sent events) never finishes: routing
            # has chosen it by then, which is all that is compared.
            with anyio.fail_after(TIMEOUT):
                await app(scope, receive, send)
        finally:
            seen["endpoint"] = scope.get("endpoint")

    client = TestClient(recording, raise_server_exceptions=False, follow_redirects=False,
                        base_url="http://localhost")
    problems = []
    for method, path, entry in requests:
        result = table.match(method, path)
        try:
            response = client.request(method, path)
        except Exception:  # noqa: BLE001 - timed out (streaming), or the app failed
            response = None
        problem = _disagreement(result, response, seen.get("endpoint"))
        if problem:
            problems.append(f"{method} {path} ({entry.endpoint}, #{entry.position}): "
                            f"{problem}")
    return problems


def _disagreement(result, response, endpoint: Any) -> str | None:
    if response is None:  # no response, but routing chose ``endpoint``
        if result.status in (200, 422) and endpoint is not None and result.rule is not None:
            same = _endpoint_source(endpoint) == (str(result.rule.source)
                                                  if result.rule.source else None)
            return None if same else (f"routecli answers {result.status} by "
                                      f"{result.endpoint}, the app routed to {endpoint!r}")
        return f"{UNVERIFIED}: the app gave no response (endpoint {endpoint!r})"
    status = response.status_code
    if result.status in (404, 405, 307):
        # Starlette leaves in scope["endpoint"] the route that matched the path but not
        # the method (its 405), or the app of the Mount that took the path (a 404 inside
        # it); a plain endpoint is a disagreement only where routecli says 404.
        routed = endpoint is not None and not _is_app(endpoint)
        if status != result.status and not routed and status in (400, 401, 403, 500):
            return f"{UNVERIFIED}: the app answered {status} before routing reached a route"
        if result.status == 404 and (routed or status != 404):
            return f"routecli answers 404, the app {status} routed to {endpoint!r}"
        if result.status == 307 and (status != 307 or
                                     response.headers.get("location") != result.location):
            return (f"routecli answers 307 to {result.location}, the app {status} "
                    f"{response.headers.get('location')}")
        if result.status == 405:
            allow = sorted(m.strip() for m in response.headers.get("allow", "").split(","))
            if status != 405 or allow != sorted(result.allowed_methods or ()):
                return (f"routecli answers 405 Allow {sorted(result.allowed_methods or ())}, "
                        f"the app {status} Allow {allow}")
        return None
    if result.rule is None or result.rule.kind == "app":
        return None  # an opaque app answers what it likes
    if endpoint is None or _is_app(endpoint):
        # A middleware (of the app or of a mounted app) answered before routing got to a
        # route: nothing to compare, but not a disagreement either.
        return f"{UNVERIFIED}: the app answered {status} before routing reached a route"
    expected = str(result.rule.source) if result.rule.source else None
    if expected != _endpoint_source(endpoint) and result.rule.kind != "docs":
        return f"routecli answers {result.status} by {result.endpoint} ({expected}), the app " \
               f"routed to {endpoint!r} ({_endpoint_source(endpoint)})"
    if result.status == 422 and status != 422:
        return f"routecli answers 422 ({result.reason}), the app {status}"
    return None
