"""Starlette and FastAPI themselves as the oracle for routecli's first-match dialect.

``build_app(data)`` builds the app a route-file mapping (``settings: {dialect: starlette |
fastapi}``) describes, with the framework's own classes: Route/APIRoute, WebSocketRoute,
Mount (``routes:`` or an opaque ``app:``), Host, ``include_router``, HTTPEndpoint classes
(``kind: endpoint``), ``redirect_slashes``, custom convertors (regex only) and FastAPI
path-parameter annotations (``params: {name: int}``). Every endpoint answers JSON naming
itself and its path parameters.

``answer(client, method, url, host)`` sends the request through ``TestClient`` (redirects
not followed) and returns what routecli's ``MatchResult`` must say:
``(status, endpoint, params, allow, location)``, with params as strings, Allow sorted.
"""

from __future__ import annotations

import uuid
import warnings
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Path
from starlette.applications import Starlette
from starlette.convertors import Convertor, register_url_convertor
from starlette.endpoints import HTTPEndpoint
from starlette.responses import JSONResponse
from starlette.routing import Host, Mount, Route, Router, WebSocketRoute

with warnings.catch_warnings():  # Starlette now prefers httpx2; httpx works the same here
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

def _version(module) -> tuple[int, ...]:
    return tuple(int(part) for part in module.__version__.split(".")[:3] if part.isdigit())


import fastapi as _fastapi  # noqa: E402
import starlette as _starlette  # noqa: E402

#: FastAPI 0.137+ keeps included routers as live nodes (earlier versions copy their routes)
FASTAPI_TREE = _version(_fastapi) >= (0, 137)
#: Starlette 0.53+ (1.x): Host matching ignores case; HTTPEndpoint's Allow lists HEAD
STARLETTE_1 = _version(_starlette) >= (1, 0)

def installed_versions(dialect: str) -> dict[str, str]:
    """Route-file settings naming the installed frameworks' versions (the file then
    describes what they do, docs/dialects.md#versions)."""
    versions = {"starlette_version": _starlette.__version__}
    if dialect == "fastapi":
        versions["fastapi_version"] = _fastapi.__version__
    return versions


PYTHON_TYPES = {"str": str, "int": int, "float": float, "bool": bool, "uuid": uuid.UUID}


def _params(request) -> dict[str, str]:
    return {k: str(v) for k, v in request.path_params.items()}


def starlette_endpoint(name: str):
    async def endpoint(request):
        return JSONResponse({"endpoint": name, "params": _params(request)})
    endpoint.__name__ = name
    return endpoint


def class_endpoint(name: str, methods: list[str] | None):
    handlers = {}
    for method in methods or ("GET", "POST", "PUT", "PATCH", "DELETE"):
        async def handler(self, request, _name=name):
            return JSONResponse({"endpoint": _name, "params": _params(request)})
        handlers[method.lower()] = handler
    return type(name, (HTTPEndpoint,), handlers)


def fastapi_endpoint(name: str, rule: str, params: dict[str, str]):
    """A FastAPI view whose path parameters carry the declared annotations."""
    import re

    names = re.findall(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-zA-Z_][a-zA-Z0-9_]*)?}", rule)
    # Only declared parameters are annotated (as a route file's params: says); the others
    # reach the view unvalidated.
    annotations = {n: Annotated[PYTHON_TYPES[params[n]], Path()] for n in names if n in params}

    from starlette.requests import Request

    async def endpoint(request: Request, **kwargs):
        return {"endpoint": name, "params": _params(request)}
    import inspect

    parameters = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                    annotation=Request)]
    parameters += [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=a)
                   for n, a in annotations.items()]
    endpoint.__signature__ = inspect.Signature(parameters)
    endpoint.__name__ = name
    return endpoint


class RegexConvertor(Convertor):
    def __init__(self, regex: str) -> None:
        self.regex = regex

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


def build_app(data: dict) -> Any:
    settings = data.get("settings", {})
    fastapi = settings.get("dialect") == "fastapi"
    for name, spec in (data.get("converters") or {}).items():
        register_url_convertor(name, RegexConvertor(spec["regex"]))
    redirect = settings.get("redirect_slashes", True)
    if fastapi:
        docs = {key: settings[key] for key in ("openapi_url", "docs_url", "redoc_url",
                                                "swagger_ui_oauth2_redirect_url")
                if key in settings}
        app = FastAPI(redirect_slashes=redirect, **docs)
        _add_fastapi(app.router, data["routes"])
        return app
    app = Starlette(routes=_starlette_routes(data["routes"], False))
    app.router.redirect_slashes = redirect
    return app


def opaque_app(name: str):
    """A mounted ASGI app (like StaticFiles): answers every request under its prefix."""
    async def app(scope, receive, send):
        params = {k: str(v) for k, v in scope.get("path_params", {}).items()}
        await JSONResponse({"endpoint": name, "params": params})(scope, receive, send)
    app.__name__ = name  # how routecli names an unnamed mounted app
    return app


def _name(item: dict) -> str:
    """A route's name: its ``name``, else its endpoint (a function of that name)."""
    return item.get("name") or item["endpoint"]


def _methods(item: dict, default):
    methods = item.get("methods", default)
    return [] if methods == "*" else methods


def _starlette_routes(items: list, fastapi: bool) -> list:
    out = []
    for item in items:
        if "mount" in item:
            if "app" in item:
                out.append(Mount(item["mount"], app=opaque_app(item["app"]),
                                 name=item.get("name")))
            else:
                inner = Router(_starlette_routes(item["routes"], fastapi),
                               redirect_slashes=item.get("redirect_slashes", True))
                out.append(Mount(item["mount"], app=inner, name=item.get("name")))
        elif "host" in item:
            out.append(Host(item["host"], app=Router(_starlette_routes(item["routes"],
                                                                       fastapi)),
                            name=item.get("name")))
        elif item.get("kind") == "websocket":
            async def ws(websocket):
                await websocket.close()
            out.append(WebSocketRoute(item["rule"], ws, name=_name(item)))
        elif item.get("kind") == "endpoint":
            out.append(Route(item["rule"], class_endpoint(item["endpoint"],
                                                          item.get("methods")),
                             name=_name(item)))
        else:
            out.append(Route(item["rule"], starlette_endpoint(item["endpoint"]),
                             methods=_methods(item, None), name=_name(item)))
    return out


def _add_fastapi(router, items: list) -> None:
    for item in items:
        if "include" in item:
            sub = APIRouter()
            _add_fastapi(sub, item["routes"])
            router.include_router(sub, prefix=item["include"])
        elif "mount" in item and "routes" in item:
            # A FastAPI table's mounted routes are FastAPI routes: an APIRouter mounted.
            sub = APIRouter(redirect_slashes=item.get("redirect_slashes", True))
            _add_fastapi(sub, item["routes"])
            router.routes.append(Mount(item["mount"], app=sub, name=item.get("name")))
        elif "host" in item:
            # Likewise a Host's: an APIRouter behind it (a route file's fastapi routes).
            sub = APIRouter()
            _add_fastapi(sub, item["routes"])
            router.routes.append(Host(item["host"], app=sub, name=item.get("name")))
        elif "mount" in item or item.get("kind") in ("websocket",
                                                                       "endpoint"):
            router.routes.extend(_starlette_routes([item], True))
        else:
            router.add_api_route(item["rule"],
                                 fastapi_endpoint(item["endpoint"], item["rule"],
                                                  item.get("params", {})),
                                 methods=_methods(item, ["GET"]), name=_name(item))


def client_for(app) -> TestClient:
    return TestClient(app, raise_server_exceptions=False, follow_redirects=False)


def answer(client: TestClient, method: str, url: str, host: str | None = None) -> tuple:
    headers = {"host": host} if host else {}
    if url.startswith("//"):
        # httpx would read "//users" as a network-path reference (host "users"): send the
        # path as a server receives it, "GET //users HTTP/1.1", by giving the whole URL
        url = "http://" + (host or "testserver") + url
    response = client.request(method, url, headers=headers)
    status = response.status_code
    endpoint = params = allow = location = None
    if status in (200,) and method != "HEAD":
        try:
            body = response.json()
        except ValueError:
            body = {"endpoint": response.text}
        if isinstance(body, dict):
            endpoint, params = body.get("endpoint"), body.get("params")
    if status == 405:
        allow = sorted(m.strip() for m in response.headers.get("allow", "").split(",")
                       if m.strip())
    if status in (301, 307, 308):
        location = response.headers.get("location")
    return status, endpoint, params, allow, location


def routecli_answer(table, method: str, url: str, host: str | None = None) -> tuple:
    """routecli's answer in the oracle's shape (endpoint and params only for 200)."""
    result = table.match(method, "http://" + (host or "testserver") + url)
    endpoint = params = allow = location = None
    if result.status == 200 and method != "HEAD":
        endpoint = result.endpoint
        params = {k: str(v) for k, v in (result.args or {}).items()}
    if result.status == 405:
        allow = sorted(result.allowed_methods or ())
    if result.status in (301, 307, 308):
        location = result.location
    return result.status, endpoint, params, allow, location
