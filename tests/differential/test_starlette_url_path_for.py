"""``url_path_for`` against Starlette's and FastAPI's own, on generated tables: routes sharing
names, named and unnamed mounts (``"mount:child"``), opaque mounted apps, hosts with
parameters, websocket routes, FastAPI includes; parameters exact, missing, extra, a
``path``, and values the convertors refuse. Both readings are compared: the route file and
the live app routecli reads back. docs/dialects.md#building-urls"""

from __future__ import annotations

import random

import pytest
from first_match_tables import Maker
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette_oracle import STARLETTE_1, build_app

from routecli.routing.dialects import compile_table
from routecli.routing.starlette.url_path_for import ConvertorRefusal, NoMatchFound, named_items
from routecli.sources.python.starlette_app import routeset_from_app
from routecli.sources.schema import routeset_from_data

NAMES = ("a", "b", "c")
GROUP_NAMES = ("m", "n", None)
VALUES = ("7", "007", "1.5", "-1", "x", "a/b", "", "/lead", "nan", "1e3", "a\\b", "//x",
          "12345678-1234-1234-1234-123456789abc", " 8")
HOSTS = ("api.example.com", "{sub}.example.com", "{sub}.{tld:str}", "h.test:8000")


class UrlMaker(Maker):
    """Maker's tables, with names that repeat, named groups, hosts and websockets."""

    def route(self) -> dict:
        item = super().route()
        item["endpoint"] = self.rng.choice(NAMES)
        if self.rng.random() < 0.15:
            item = {"rule": item["rule"], "endpoint": item["endpoint"], "kind": "websocket"}
        return item

    def items(self, depth: int = 0) -> list:
        rng = self.rng
        out = super().items(depth)
        for item in out:
            if "mount" in item and rng.random() < 0.7:
                name = rng.choice(GROUP_NAMES)
                if name:
                    item["name"] = name
        if depth < 2 and rng.random() < 0.3:
            self.count += 1
            fastapi, self.fastapi = self.fastapi, False  # a Host holds Starlette routes
            host = {"host": rng.choice(HOSTS).replace("sub", f"sub{self.count}"),
                    "routes": self.items(depth + 1)}
            self.fastapi = fastapi
            if rng.random() < 0.6:
                host["name"] = rng.choice(("h", "m"))
            out.insert(rng.randint(0, len(out)), host)
        return out


def url_table(seed: int, fastapi: bool) -> dict:
    rng = random.Random(seed)
    settings = {"dialect": "fastapi" if fastapi else "starlette"}
    return {"settings": settings, "routes": UrlMaker(rng, fastapi).items()}


def framework_answer(app, name: str, params: dict) -> tuple:
    try:
        path = app.url_path_for(name, **params)
    except Exception as exc:  # noqa: BLE001 - any other exception is a refused value
        return ("no match",) if type(exc).__name__ == "NoMatchFound" else ("refused",)
    return ("built", str(path), path.protocol, path.host,
            str(path.make_absolute_url("http://testserver")),
            str(path.make_absolute_url("https://example.org/base/")))


def routecli_answer(table, name: str, params: dict) -> tuple:
    try:
        path = table.url_path_for(name, **params)
    except NoMatchFound:
        return ("no match",)
    except ConvertorRefusal:
        return ("refused",)
    return ("built", str(path), path.protocol, path.host, path.absolute("http://testserver"),
            path.absolute("https://example.org/base/"))


def queries(table, rng: random.Random) -> list[tuple[str, dict]]:
    """Every name the table knows (and near misses), with parameter sets around each
    item's own: exact, one missing, one extra, a ``path`` added."""
    out = []
    for full, item, taken in named_items(table.router):
        own = sorted(item.convertors)
        names = own + sorted(taken)
        for _ in range(3):
            params = {key: rng.choice(VALUES) for key in names if rng.random() < 0.9}
            roll = rng.random()
            if roll < 0.2 and params:
                params.pop(rng.choice(sorted(params)))
            elif roll < 0.35:
                params["q"] = "1"
            elif roll < 0.5:
                params["path"] = rng.choice(VALUES)
            out.append((full, params))
        out.append((full + ":x", {}))
    out.append(("nothing", {}))
    return out


def _check(seed: int, fastapi: bool) -> int:
    if not STARLETTE_1:
        pytest.skip("Starlette <1.0's URLPath keeps '\\' and a leading '//' as they are; "
                    "routecli builds 1.x's paths (docs/dialects.md#known-limits)")
    data = url_table(seed, fastapi)
    try:
        app = build_app(data)
    except (AssertionError, ValueError):
        return 0
    from_file = compile_table(routeset_from_data(data, "<gen>"))
    live = compile_table(routeset_from_app(app))
    checked = 0
    for name, params in queries(from_file, random.Random(seed)):
        expected = framework_answer(app, name, dict(params))
        assert routecli_answer(from_file, name, dict(params)) == expected, (data, name, params)
        assert routecli_answer(live, name, dict(params)) == expected, (data, name, params)
        checked += expected[0] == "built"
    return checked


@settings(max_examples=120, deadline=None)
@given(st.integers(0, 10**9))
def test_starlette_url_path_for_is_starlettes(seed):
    _check(seed, False)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**9))
def test_fastapi_url_path_for_is_fastapis(seed):
    _check(seed, True)


def test_generated_tables_build_many_urls():
    """The generator is not vacuous: most names with their exact parameters build."""
    assert sum(_check(seed, False) for seed in range(40)) > 100
    assert sum(_check(seed, True) for seed in range(20)) > 40
