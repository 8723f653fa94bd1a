"""A wider random differential for the Starlette and FastAPI dialects than
test_starlette_generated.py: every convertor (a registered custom one too), several
parameters in one segment, brace text that is not a parameter, unicode and
percent-encoded literals, mounts whose prefix holds parameters (a ``path`` one too),
nested mounts and includes, hosts with parameters, websocket routes and class endpoints
among the HTTP routes; requests with encoded bytes, doubled and toggled slashes, unicode,
query strings, host names with ports and odd case, and every method (no ``.`` or ``..``
segments: TestClient's httpx removes them, an ASGI server passes them on). Each answer is
compared with TestClient's on the framework's own app, **argument types included** (an
``int`` and the string ``"7"`` differ), from the route file and from the live app.

Scale with ROUTECLI_WIDE_TABLES (tables per test block; default 30).
"""

from __future__ import annotations

import os
import random
from contextlib import contextmanager
from urllib.parse import quote

import first_match_tables
import pytest
import starlette_oracle as oracle
from starlette.responses import JSONResponse
from starlette_oracle import answer, build_app, client_for

from routecli.routing.dialects import compile_table
from routecli.sources.python.starlette_app import routeset_from_app
from routecli.sources.schema import routeset_from_data

TABLES = int(os.environ.get("ROUTECLI_WIDE_TABLES", "30"))
LITERALS = ("a", "b", "users", "me", "x.y", "é", "a b", "v1", "-", "a.", "~u", "%41")
PARAMS = ("{%s}", "{%s:str}", "{%s:int}", "{%s:float}", "{%s:uuid}", "{%s:path}",
          "{%s:slug}", "{%s:two}", "{%s}.{%s_e}", "v{%s:int}", "{%s:int}-{%s_b:int}",
          "{%s}-x", "{%s-lit}", "{%s:float}.{%s_e}")
CONVERTERS = {"slug": {"regex": "[a-z0-9]+(?:-[a-z0-9]+)*"}, "two": {"regex": "[a-z]+/[a-z]+"}}
VALUES = ("a", "me", "1", "007", "0", "1.5", "1.50", "-1", "x.y", "a/b", "", "ABC", "é",
          "a b", "ab-cd", "ab/cd", "2b5b0911-fdcf-4dd2-921b-28ace88db8a0",
          "2B5B0911FDCF4DD2921B28ACE88DB8A0", "1e3", "a.b.c", "9" * 30, "%2F", "%25", "x%20y",
          "a.", "١", "users", "~u", "%41")
HOSTS = ("api.example.com", "{sub}.example.com", "{sub:int}.test", "h.test:8000",
         "{a}.{b}.org")
REQUEST_HOSTS = (None, None, "testserver", "api.example.com", "API.Example.com",
                 "bob.example.com", "7.test", "x.test", "h.test:8000", "h.test",
                 "a.b.org", "api.example.com:8080")
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
REQUEST_METHODS = ("GET", "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW")


class WideMaker:
    def __init__(self, rng: random.Random, fastapi: bool) -> None:
        self.rng = rng
        self.fastapi = fastapi
        self.count = 0

    def name(self) -> str:
        self.count += 1
        return f"e{self.count}"

    def path(self, allow_empty: bool = False, mount: bool = False) -> str:
        rng = self.rng
        self.count += 1
        parts = []
        for _ in range(rng.randint(0 if allow_empty else 1, 3)):
            if rng.random() < 0.55:
                parts.append(rng.choice(LITERALS))
            else:
                template = rng.choice(PARAMS)
                name = f"p{self.count}_{len(parts)}"
                parts.append(template % ((name,) * template.count("%s")))
        text = "/" + "/".join(parts)
        if rng.random() < 0.08:
            text = text.replace("/", "//", 1)
        if parts and not mount and rng.random() < 0.25:
            text += "/"
        return text

    def route(self) -> dict:
        rng = self.rng
        item: dict = {"rule": self.path(), "endpoint": self.name()}
        roll = rng.random()
        if roll < 0.45:
            item["methods"] = sorted(rng.sample(METHODS + ("HEAD", "OPTIONS"),
                                                rng.randint(1, 3)))
        elif roll < 0.5 and not self.fastapi:
            item["methods"] = "*"
        kind = rng.random()
        if kind < 0.08:
            item = {"rule": item["rule"], "endpoint": item["endpoint"], "kind": "websocket"}
        elif kind < 0.16:
            item = {"rule": item["rule"], "endpoint": item["endpoint"].upper(),
                    "kind": "endpoint",
                    "methods": sorted(rng.sample(("GET", "POST", "PUT", "DELETE", "HEAD"),
                                                 rng.randint(1, 3)))}
        elif self.fastapi and "{" in item["rule"] and rng.random() < 0.4:
            names = [piece.split("}")[0] for piece in item["rule"].split("{")[1:]]
            plain = [n for n in names if ":" not in n and "-" not in n]
            if plain:
                item["params"] = {rng.choice(plain): rng.choice(("int", "float", "str",
                                                                 "bool", "uuid"))}
        return item

    def items(self, depth: int = 0) -> list:
        rng = self.rng
        out = []
        for _ in range(rng.randint(1, 7 if depth == 0 else 3)):
            roll = rng.random()
            if depth < 3 and roll < 0.17:
                prefix = self.path(allow_empty=True, mount=True).rstrip("/")
                item = {"mount": prefix, "routes": self.items(depth + 1)}
                if rng.random() < 0.25:
                    item["redirect_slashes"] = False
                out.append(item)
            elif depth < 3 and roll < 0.24 and self.fastapi:
                prefix = self.path(mount=True).rstrip("/")
                out.append({"include": prefix if prefix not in ("/", "") else "/inc",
                            "routes": self.items(depth + 1)})
            elif depth < 2 and roll < 0.3:
                host = rng.choice(HOSTS).replace("{", f"{{h{self.count}", 1)
                out.append({"host": host, "routes": self.items(depth + 1)})
            elif roll < 0.34 and not self.fastapi:
                out.append({"mount": self.path(mount=True).rstrip("/") or "/m",
                            "app": self.name()})
            else:
                out.append(self.route())
        return out


def table_data(seed: int, fastapi: bool) -> dict:
    data = first_match_tables.table_data(seed, fastapi, WideMaker)
    data["converters"] = CONVERTERS
    return data


def encode(value: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.6 or "%" in value:
        return value
    if roll < 0.8:
        return quote(value, safe="/")
    if roll < 0.9:
        return quote(value, safe="")
    return "".join(f"%{b:02X}" for b in value.encode())


def templates_of(items: list, prefix: str = "") -> list[str]:
    out = []
    for item in items:
        if "routes" in item:
            out += templates_of(item["routes"], prefix + (item.get("mount")
                                                          or item.get("include") or ""))
        elif "rule" in item:
            out.append(prefix + item["rule"])
        else:
            out.append(prefix + item["mount"] + "/x")
    return out


def requests_for(data: dict, rng: random.Random) -> list[tuple[str, str, str | None]]:
    out = []
    for template in templates_of(data["routes"]):
        for _ in range(4):
            parts = template.split("{")
            url = parts[0]
            for part in parts[1:]:
                url += encode(rng.choice(VALUES), rng) + part.split("}", 1)[-1]
            roll = rng.random()
            if roll < 0.2:
                url = url.rstrip("/") if url.endswith("/") and url != "/" else url + "/"
            elif roll < 0.27:
                at = url.find("/", 1)
                url = url[:at] + "/" + url[at:] if at > 0 else url + "//"
            elif roll < 0.32:
                url += "/" + rng.choice(LITERALS)
            if not url.startswith("/"):
                url = "/" + url
            if {".", ".."} & set(url.split("?")[0].split("/")):
                continue  # httpx drops dot segments before the app sees them; a server does not
            if rng.random() < 0.15:
                url += rng.choice(("?q=1", "?a=%20b&c=", "?x=%2F", "?", "?q=é"))
            out.append((rng.choice(REQUEST_METHODS), url, rng.choice(REQUEST_HOSTS)))
    return out


def _typed(params: dict) -> dict[str, str]:
    return {k: f"{type(v).__name__}:{v}" for k, v in params.items()}


def _typed_opaque_app(name: str):
    async def app(scope, receive, send):
        body = {"endpoint": name, "params": _typed(scope.get("path_params", {}))}
        await JSONResponse(body)(scope, receive, send)
    app.__name__ = name
    return app


@contextmanager
def typed_params():
    """The oracle's endpoints (mounted apps too) report each parameter's type with its
    value."""
    saved = oracle._params, oracle.opaque_app
    oracle._params = lambda request: _typed(request.path_params)
    oracle.opaque_app = _typed_opaque_app
    try:
        yield
    finally:
        oracle._params, oracle.opaque_app = saved


def routecli_answer(table, method: str, url: str, host: str | None) -> tuple:
    result = table.match(method, "http://" + (host or "testserver") + url)
    endpoint = params = allow = location = None
    if result.status == 200 and method != "HEAD":
        endpoint = result.endpoint
        params = _typed(result.args or {})
    if result.status == 405:
        allow = sorted(result.allowed_methods or ())
    if result.status in (301, 307, 308):
        location = result.location
    return result.status, endpoint, params, allow, location


def check(seed: int, fastapi: bool) -> int:
    data = table_data(seed, fastapi)
    try:
        with typed_params():
            app = build_app(data)
    except (AssertionError, ValueError):  # the framework refuses the table
        with pytest.raises(Exception):  # noqa: B017 - routecli must refuse it too
            compile_table(routeset_from_data(data, "<gen>"))
        return 0
    pinned = {**data, "settings": {**data["settings"],
                                   **oracle.installed_versions(data["settings"]["dialect"])}}
    tables = [compile_table(routeset_from_data(pinned, "<gen>")),
              compile_table(routeset_from_app(app))]
    client = client_for(app)
    checked = 0
    with typed_params():
        for method, url, host in requests_for(data, random.Random(seed + 1)):
            expected = answer(client, method, url, host)
            if expected[0] == 200 and expected[1] is None and method != "HEAD":
                continue  # a docs page
            for table in tables:
                got = routecli_answer(table, method, url, host)
                assert got == expected, (method, url, host, "framework", expected,
                                         "routecli", got, data)
            checked += 1
    return checked


@pytest.mark.parametrize("block", range(4))
def test_wide_starlette_tables_answer_like_starlette(block):
    assert sum(check(seed, False) for seed in range(block * TABLES, (block + 1) * TABLES)) > 0


@pytest.mark.parametrize("block", range(3))
def test_wide_fastapi_tables_answer_like_fastapi(block):
    seeds = range(10**6 + block * TABLES, 10**6 + (block + 1) * TABLES)
    assert sum(check(seed, True) for seed in seeds) > 0


# --------------------------------------------------------------------------------------
# Regressions the wide generator found
# --------------------------------------------------------------------------------------


def _compare(data: dict, requests: list[tuple[str, str, str | None]]) -> None:
    with typed_params():
        app = build_app(data)
    pinned = {**data, "settings": {**data["settings"],
                                   **oracle.installed_versions(data["settings"]["dialect"])}}
    tables = [compile_table(routeset_from_data(pinned, "<gen>")),
              compile_table(routeset_from_app(app))]
    client = client_for(app)
    with typed_params():
        for method, url, host in requests:
            expected = answer(client, method, url, host)
            for table in tables:
                assert routecli_answer(table, method, url, host) == expected, (method, url)


def test_a_class_endpoint_in_an_included_router_answers_its_own_405():
    """FastAPI 0.137+'s included-router context reports a class endpoint's methods as an
    empty set; the live reading took that for "every method" (seed 1000081)."""
    data = {"settings": {"dialect": "fastapi"}, "routes": [
        {"include": "/i", "routes": [
            {"rule": "/u/", "endpoint": "E6", "kind": "endpoint", "methods": ["HEAD"]},
            {"rule": "/v", "endpoint": "V", "kind": "endpoint", "methods": ["GET", "PUT"]}]}]}
    _compare(data, [("GET", "/i/u/", None), ("HEAD", "/i/u/", None), ("POST", "/i/u/", None),
                    ("PUT", "/i/v", None), ("DELETE", "/i/v", None), ("HEAD", "/i/v", None)])


def check_url_path_for(seed: int, fastapi: bool) -> int:
    """url_path_for on the wide tables: every name with parameter sets around its own."""
    from test_starlette_url_path_for import framework_answer, queries
    from test_starlette_url_path_for import routecli_answer as routecli_built

    data = table_data(seed, fastapi)
    try:
        app = build_app(data)
    except (AssertionError, ValueError):
        return 0
    tables = [compile_table(routeset_from_data(data, "<gen>")),
              compile_table(routeset_from_app(app))]
    built = 0
    for name, params in queries(tables[0], random.Random(seed)):
        expected = framework_answer(app, name, dict(params))
        for table in tables:
            assert routecli_built(table, name, dict(params)) == expected, (name, params, data)
        built += expected[0] == "built"
    return built


@pytest.mark.parametrize("fastapi", [False, True])
def test_wide_tables_build_urls_like_the_framework(fastapi):
    if not oracle.STARLETTE_1:
        pytest.skip("routecli builds Starlette 1.x's paths (docs/dialects.md#known-limits)")
    seeds = range(5 * 10**6 + fastapi * 10**5, 5 * 10**6 + fastapi * 10**5 + TABLES)
    assert sum(check_url_path_for(seed, fastapi) for seed in seeds) > 0
