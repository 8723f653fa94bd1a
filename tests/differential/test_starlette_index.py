"""The matcher's index of whole literal segments (routing/starlette/matcher.py): a router
level tries only the items whose fixed segments the path starts with, the templates
without parameters equal to the path (or to it less one final newline: "$"), and the
items with no key (Hosts, heads fixing no segment), in declaration order. Items of nested
keys (``/api/``, ``/api/v1/``, ``/api/v1/users/``), Mounts, a Host, a WebSocket route and
a convertor that raises interleave; Starlette itself must give every answer (status,
endpoint, parameters, Allow, redirect), with the merged lists cached, cut by the budget,
or keys cut to fewer segments."""

from __future__ import annotations

import pytest
from starlette.convertors import CONVERTOR_TYPES, Convertor, register_url_convertor
from starlette_oracle import answer, build_app, client_for, routecli_answer

from routecli.routing.dialects import compile_table
from routecli.routing.starlette import matcher
from routecli.sources.python.starlette_app import routeset_from_app
from routecli.sources.schema import routeset_from_data

BOOM = "indexboom"  # a convertor that raises on "bad": Starlette answers 500


class _Boom(Convertor):
    regex = "[a-z]+"

    def convert(self, value: str) -> str:
        if value == "bad":
            raise ValueError("bad value")
        return value

    def to_string(self, value) -> str:
        return str(value)


if BOOM not in CONVERTOR_TYPES:
    register_url_convertor(BOOM, _Boom())


def r(rule, endpoint, methods=None, **more):
    return {"rule": rule, "endpoint": endpoint, **({"methods": methods} if methods else {}),
            **more}


def _file() -> dict:
    """The routes as a route file (its convertor a regex: it never raises)."""
    return {"settings": {"dialect": "starlette"}, "converters": {BOOM: {"regex": "[a-z]+"}},
            "routes": _routes()}


def _routes() -> list:
    inner = [r("/users", "m_users"), r("/users/", "m_users_slash"),
             r("/users/{name}", "m_user"), r("/items/{x:" + BOOM + "}", "m_boom"),
             r("/items/{x}", "m_item"), r("/{any}/x", "m_any_x"), r("/z", "m_z")]
    inner += [r(f"/fill{i}/{{x}}", f"m_fill{i}") for i in range(6)]
    host = [r("/api/v1/hosted", "h_hosted"), r("/items", "h_items")]
    return [
        r("/api/v1/users/{id:int}", "u_int"),
        r("/api/{rest:path}", "api_post", ["POST"]),  # key /api/: a 405 for GET under it
        r("/api/v1/users/{name:" + BOOM + "}", "u_boom"),
        r("/api/v1/users/{name}", "u_name", ["PUT"]),
        {"host": "{sub}.example.com", "routes": host},  # no key: tried for every path
        {"rule": "/api/v1/ws", "endpoint": "ws", "kind": "websocket"},  # never http's
        {"mount": "/api/v1", "routes": inner},
        r("/api/v1/users", "users_after_mount"),
        r("/api/v1", "v1_exact"),
        r("/items", "items"),
        r("/items/", "items_slash"),
        r("/itemsx", "itemsx", ["POST"]),
        r("/items\n", "items_newline"),  # "$": also "/items\n\n"
        r("/{lang}/about", "about"),  # head "/": no key
        r("/a/b/c/d/e/f/g/h/{x}", "deep8"),
        r("/a/b/c/{x}/e", "deep3"),
        r("/a/b/{x:path}", "a_b_path", ["POST"]),
        {"mount": "/static", "app": "static"},
        r("/", "root"),
    ] + [r(f"/other{i}/{{x}}", f"other{i}") for i in range(10)]


PATHS = ["/", "/api/v1/users/7", "/api/v1/users/ok", "/api/v1/users/bad",
         "/api/v1/users/Bob", "/api/v1/users", "/api/v1/users/", "/api/v1", "/api/v1/",
         "/api/v1/items/bad", "/api/v1/items/ok", "/api/v1/items/7", "/api/v1/q/x",
         "/api/v1/z/", "/api/v1/fill3/x", "/api/v1/hosted", "/api/v1/ws", "/api",
         "/api/", "/api/x", "/items", "/items/", "/items%0A", "/items%0A%0A",
         "/items/%0A", "/itemsx", "/itemsx/", "/itemsx%0A", "/items//", "/en/about",
         "/en/about/", "/a/b/c/d/e/f/g/h/1", "/a/b/c/d/e/f/g/h/1/", "/a/b/c/d/e",
         "/a/b/c/d/e/", "/a/b/c/d/e/f", "/a/b/", "/a/b", "/static", "/static/x.css",
         "/other3/4", "/other3/4/", "/other3", "/nothing/here", "/api/v1/users/7%0A",
         "/api/v1/users%0A", "/api/v1%0A", "//api/v1/users/7", "/API/v1/users/7"]
HOSTS = [None, "www.example.com"]


@pytest.fixture(scope="module")
def app_and_client():
    app = build_app({"routes": _routes()})
    return app, client_for(app)


@pytest.mark.parametrize("budget", [None, 0])
@pytest.mark.parametrize("key_segments", [6, 1, 2])
def test_every_request_is_answered_as_starlette_does(monkeypatch, app_and_client, budget,
                                                     key_segments):
    app, client = app_and_client
    monkeypatch.setattr(matcher, "KEY_SEGMENTS", key_segments)
    if budget is not None:  # nothing merged is kept: each request merges again
        monkeypatch.setattr(matcher, "MERGED_PER_ITEM", budget)
        monkeypatch.setattr(matcher, "MERGED_EXTRA", budget)
    from_file = compile_table(routeset_from_data(_file(), "<index>"))
    live = compile_table(routeset_from_app(app))
    for _ in range(2):  # the second time from the merged lists kept
        for host in HOSTS:
            for method in ("GET", "POST"):
                for url in PATHS:
                    expected = answer(client, method, url, host)
                    got = routecli_answer(live, method, url, host)
                    assert got == expected, (method, url, host)
                    if expected[0] != 500:  # (a route file's convertors are regexes)
                        assert routecli_answer(from_file, method, url, host) == expected, (
                            method, url, host)


def test_the_index_narrows_a_level_to_the_keys_a_path_starts_with():
    table = compile_table(routeset_from_data(_file(), "<index>"))
    router = table.router

    def tried(path):
        return {item.template for item in matcher.candidates(router, path)}

    found = tried("/api/v1/users/7")
    assert {"/api/v1/users/{id:int}", "/api/{rest:path}", "/api/v1/users/{name}",
            "/api/v1/{path:path}", "{sub}.example.com", "/{lang}/about", "/"} <= found
    assert not {"/other3/{x}", "/a/b/c/{x}/e", "/items", "/api/v1/users", "/api/v1"} & found
    assert "/api/v1/users" in tried("/api/v1/users")
    assert "/api/v1/users" in tried("/api/v1/users\n")
    assert {"/items", "/items\n"} <= tried("/items\n")
    assert "/items" not in tried("/items/") and "/items/" in tried("/items/")
    assert tried("") == {"{sub}.example.com", "/{lang}/about", "/"}  # the unkeyed
    assert "/other3/{x}" in tried("/other3/4") and "/other4/{x}" not in tried("/other3/4")
