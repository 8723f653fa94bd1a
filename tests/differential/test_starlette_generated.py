"""Random first-match tables against the real frameworks: Starlette tables (routes, mounts,
opaque apps, methods, slash redirects) and FastAPI tables (includes, annotated path
parameters, docs routes), each compared with TestClient on requests made from its own
routes, both as a route file and as the live app routecli reads back."""

from __future__ import annotations

import random

import pytest
from first_match_tables import groups_in_includes, requests_for, table_data
from starlette_oracle import (
    FASTAPI_TREE,
    answer,
    build_app,
    client_for,
    installed_versions,
    routecli_answer,
)

from routecli.routing.dialects import compile_table
from routecli.sources.python.starlette_app import routeset_from_app
from routecli.sources.schema import routeset_from_data


def _check(seed: int, fastapi: bool) -> int:
    data = table_data(seed, fastapi)
    try:
        app = build_app(data)
    except (AssertionError, ValueError):  # the framework refuses the table
        with pytest.raises(Exception):  # noqa: B017 - routecli must refuse it too
            compile_table(routeset_from_data(data, "<gen>"))
        return 0
    from_file = compile_table(routeset_from_data(data, "<gen>"))
    live = compile_table(routeset_from_app(app))
    # Route files describe FastAPI 0.137+; an older FastAPI drops mounts inside included
    # routers, so the plain file is compared there only without them, and the file that
    # names the installed versions always.
    compare_file = FASTAPI_TREE or not groups_in_includes(data["routes"])
    pinned = {**data, "settings": {**data["settings"],
                                   **installed_versions(data["settings"]["dialect"])}}
    from_pinned = compile_table(routeset_from_data(pinned, "<gen>"))
    client = client_for(app)
    checked = 0
    for method, url in requests_for(data, random.Random(seed + 1)):
        expected = answer(client, method, url)
        if expected[0] == 200 and expected[1] is None and method != "HEAD":
            continue  # a docs page (HTML, no endpoint to compare)
        if compare_file:
            assert routecli_answer(from_file, method, url) == expected, (data, method, url)
        assert routecli_answer(from_pinned, method, url) == expected, (data, method, url)
        assert routecli_answer(live, method, url) == expected, (data, method, url)
        checked += 1
    return checked


@pytest.mark.parametrize("block", range(6))
def test_generated_starlette_tables_answer_like_starlette(block):
    assert sum(_check(seed, False) for seed in range(block * 40, block * 40 + 40)) > 200


@pytest.mark.parametrize("block", range(4))
def test_generated_fastapi_tables_answer_like_fastapi(block):
    assert sum(_check(seed, True) for seed in range(block * 30, block * 30 + 30)) > 100


def test_a_host_in_an_included_router_is_under_the_include_prefix():
    """FastAPI 0.137+ serves it as Host(host, Router([Mount(prefix, app)])): the route
    file compiles it so, and answers as the live app (and its reading) does."""
    data = {"settings": {"dialect": "fastapi"}, "routes": [
        {"include": "/inc/{n:int}", "routes": [
            {"host": "h.test", "routes": [{"rule": "/a", "endpoint": "a"}]}]}]}
    app = build_app(data)
    client = client_for(app)
    pinned = {**data, "settings": {**data["settings"], **installed_versions("fastapi")}}
    # FastAPI <0.137 drops the Host: only the file naming that version says so
    tables = (compile_table(routeset_from_data(pinned, "<gen>")),
              compile_table(routeset_from_app(app)),
              *((compile_table(routeset_from_data(data, "<gen>")),) if FASTAPI_TREE else ()))
    for url in ("/a", "/inc/1/a", "/inc/x/a", "/inc/1/a/"):
        expected = answer(client, "GET", url, "h.test")
        for table in tables:
            assert routecli_answer(table, "GET", url, "h.test") == expected, url
    if FASTAPI_TREE:
        assert [entry.rule for entry in tables[0]] == [entry.rule for entry in tables[1]]
