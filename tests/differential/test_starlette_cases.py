"""Every confirmed Starlette/FastAPI case of the first-match reference that a route file can
state (docs/dialects.md), judged three ways: routecli on the route file, the real app built
from the same data answering through TestClient, and routecli reading that live app."""

from __future__ import annotations

import pytest
from starlette_oracle import (
    FASTAPI_TREE,
    STARLETTE_1,
    answer,
    build_app,
    client_for,
    installed_versions,
    routecli_answer,
)

from routecli.routing.dialects import compile_table
from routecli.sources.python.starlette_app import routeset_from_app
from routecli.sources.schema import routeset_from_data


def r(rule, endpoint, methods=None, **more):
    return {"rule": rule, "endpoint": endpoint, **({"methods": methods} if methods else {}),
            **more}


NO_DOCS = {"openapi_url": None, "docs_url": None, "redoc_url": None}
ME = [r("/users/{user_id}", "id"), r("/users/me", "me")]
ITEMS = [r("/items", "g", ["GET"]), r("/items", "p", ["POST"])]

# id, dialect, settings, routes, method, url, host, expected (status, endpoint, params,
# allow, location); None in expected means "not checked" (HEAD has no body).
CASES = [
    ("S01", "starlette", {}, ME, "GET", "/users/me", None,
     (200, "id", {"user_id": "me"}, None, None)),
    ("S02", "starlette", {}, ME[::-1], "GET", "/users/me", None, (200, "me", {}, None, None)),
    ("S03", "starlette", {}, [r("/items/{id:int}", "i"), r("/items/{name}", "n")], "GET",
     "/items/007", None, (200, "i", {"id": "7"}, None, None)),
    ("S04", "starlette", {}, [r("/items/{id:int}", "i"), r("/items/{name}", "n")], "GET",
     "/items/-1", None, (200, "n", {"name": "-1"}, None, None)),
    ("S05", "starlette", {}, [r("/f/{x:float}", "f")], "GET", "/f/1", None,
     (200, "f", {"x": "1.0"}, None, None)),
    ("S06", "starlette", {}, [r("/f/{x:float}", "f")], "GET", "/f/.5", None,
     (404, None, None, None, None)),
    ("S07", "starlette", {}, [r("/u/{u:uuid}", "u")], "GET",
     "/u/ABCDEF12ABCD1234ABCD1234ABCD1234", None,
     (200, "u", {"u": "abcdef12-abcd-1234-abcd-1234abcd1234"}, None, None)),
    ("S08", "starlette", {}, [r("/files/{p:path}", "f")], "GET", "/files/", None,
     (200, "f", {"p": ""}, None, None)),
    ("S09", "starlette", {}, [r("/files/{p:path}", "f")], "GET", "/files", None,
     (307, None, None, None, "http://testserver/files/")),
    ("S10", "starlette", {}, [r("/files/{name}.{ext}", "f")], "GET", "/files/a.b.c", None,
     (200, "f", {"name": "a.b", "ext": "c"}, None, None)),
    ("S11", "starlette", {}, [r("/s/{name}", "s")], "GET", "/s/a%2Fb", None,
     (404, None, None, None, None)),
    ("S12", "starlette", {}, ITEMS, "POST", "/items", None, (200, "p", {}, None, None)),
    ("S13", "starlette", {}, ITEMS, "PUT", "/items", None,
     (405, None, None, ["GET", "HEAD"], None)),
    ("S14", "starlette", {}, ITEMS, "HEAD", "/items", None, (200, None, None, None, None)),
    ("S15", "starlette", {}, ITEMS, "OPTIONS", "/items", None,
     (405, None, None, ["GET", "HEAD"], None)),
    ("S16", "starlette", {}, [r("/x", "a", ["POST", "PUT"]), r("/x", "b", ["DELETE"])],
     "GET", "/x", None, (405, None, None, ["POST", "PUT"], None)),
    ("S17", "starlette", {}, [r("/trail/", "t")], "GET", "/trail?q=1", None,
     (307, None, None, None, "http://testserver/trail/?q=1")),
    ("S18", "starlette", {}, [r("/notrail", "n")], "POST", "/notrail//", None,
     (307, None, None, None, "http://testserver/notrail")),
    ("S19", "starlette", {}, [r("/items", "g", ["GET"])], "DELETE", "/items/", None,
     (307, None, None, None, "http://testserver/items")),
    ("S20", "starlette", {"redirect_slashes": False}, [r("/trail/", "t")], "GET", "/trail",
     None, (404, None, None, None, None)),
    ("S21", "starlette", {}, [{"mount": "/api", "routes": [r("/", "root")]}], "GET", "/api",
     None, (307, None, None, None, "http://testserver/api/")),
    ("S22", "starlette", {}, [{"mount": "/api", "routes": [r("/x", "x")]}, r("/api/y", "y")],
     "GET", "/api/y", None, (404, None, None, None, None)),
    ("S23", "starlette", {}, [{"mount": "/api", "routes": [r("/x", "x")]}], "GET", "/api/x/",
     None, (307, None, None, None, "http://testserver/api/x")),
    ("S24", "starlette", {}, [{"mount": "/v{ver:int}", "routes": [r("/items/{id}", "v")]}],
     "GET", "/v2/items/a", None, (200, "v", {"ver": "2", "id": "a"}, None, None)),
    ("S25", "starlette", {}, [{"mount": "/m/{x:path}", "routes": [r("/a/b", "ab")]}], "GET",
     "/m/q/a/b", None, (404, None, None, None, None)),
    ("S26", "starlette", {}, [{"mount": "", "routes": [r("/z", "z")]}, r("/after", "a")],
     "GET", "/after", None, (404, None, None, None, None)),
    ("S27", "starlette", {}, [r("/things", "things", ["GET", "POST"], kind="endpoint"),
                              r("/things", "d", ["DELETE"])], "DELETE", "/things", None,
     (405, None, None, ["GET", "HEAD", "POST"], None)),
    ("S28", "starlette", {}, [r("/any", "a", "*")], "PATCH", "/any", None,
     (200, "a", {}, None, None)),
    ("S29", "starlette", {}, [{"host": "{sub}.example.com", "routes": [r("/", "h")]},
                              r("/", "r")], "GET", "/", "FOO.Example.com:8080",
     (200, "h", {"sub": "foo"}, None, None)),
    ("S30", "starlette", {}, [r("/ws", "ws", kind="websocket"), r("/ws", "h")], "GET", "/ws",
     None, (200, "h", {}, None, None)),
    ("S31", "starlette", {}, [r("/u/{user-id}", "l")], "GET", "/u/%7Buser-id%7D", None,
     (200, "l", {}, None, None)),
    ("S32", "starlette", {}, [r("/u/{user-id}", "l")], "GET", "/u/5", None,
     (404, None, None, None, None)),
    ("S33", "starlette", {}, [r("/users/{id}", "u", ["GET"]),
                              {"mount": "/users", "routes": [r("/{id}", "m", ["POST"])]}],
     "POST", "/users/5", None, (200, "m", {"id": "5"}, None, None)),
    ("S34", "starlette", {}, [r("/items", "i")], "GET", "/items%0A", None,
     (200, "i", {}, None, None)),
    ("F01", "fastapi", NO_DOCS, [r("/users/{user_id}", "id", params={"user_id": "int"}),
                                 r("/users/me", "me")], "GET", "/users/me", None,
     (422, None, None, None, None)),
    ("F02", "fastapi", NO_DOCS, [r("/users/{user_id:int}", "id"), r("/users/me", "me")], "GET",
     "/users/me", None, (200, "me", {}, None, None)),
    ("F03", "fastapi", NO_DOCS, [r("/users/{user_id}", "id", params={"user_id": "int"}),
                                 r("/users/me", "me")], "GET", "/users/4.0", None,
     (200, "id", {"user_id": "4.0"}, None, None)),
    ("F05", "fastapi", NO_DOCS, [r("/ge/{n}", "ge", params={"n": "int"})], "HEAD", "/ge/30",
     None, (405, None, None, ["GET"], None)),
    ("F06", "fastapi", NO_DOCS, [r("/multi", "m", ["GET", "POST"])], "PUT", "/multi", None,
     (405, None, None, ["GET", "POST"], None)),
    ("F07a", "fastapi", {}, [r("/docs", "d"), r("/docs", "p", ["POST"])], "POST", "/docs",
     None, (200, "p", {}, None, None)),
    ("F07b", "fastapi", {}, [r("/docs", "d"), r("/docs", "p", ["POST"])], "DELETE", "/docs",
     None, (405, None, None, ["GET", "HEAD"], None)),
    ("F08a", "fastapi", NO_DOCS, [{"include": "/items", "routes": [r("", "e"), r("/", "s")]}],
     "GET", "/items", None, (200, "e", {}, None, None)),
    ("F08b", "fastapi", NO_DOCS, [{"include": "/items", "routes": [r("", "e"), r("/", "s")]}],
     "GET", "/items/", None, (200, "s", {}, None, None)),
    ("F10", "fastapi", NO_DOCS, [r("users", "u")], "GET", "/users", None,
     (404, None, None, None, None)),
    ("F12", "fastapi", {**NO_DOCS, "redirect_slashes": False}, [r("/x", "x")], "GET", "/x/",
     None, (404, None, None, None, None)),
    ("F14", "fastapi", NO_DOCS, [r("/items/{i:str}", "s"), r("/items/{i:int}", "n")], "GET",
     "/items/5", None, (200, "s", {"i": "5"}, None, None)),
    ("F15", "fastapi", NO_DOCS, [{"include": "/users/{uid}", "routes": [
        {"include": "/inner", "routes": [r("/{iid}", "in")]}]}], "GET", "/users/bob/inner/3",
     None, (200, "in", {"uid": "bob", "iid": "3"}, None, None)),
]


# What the older frameworks (Starlette 0.46, FastAPI 0.115) answer instead: route files
# describe the current ones, a live app is read as the installed framework routes.
OLD = {"S27": (405, None, None, ["GET", "POST"], None),
       "S29": (200, "r", {}, None, None)}


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_confirmed_case(case):
    name, dialect, settings, routes, method, url, host, expected = case
    data = {"settings": {"dialect": dialect, **settings}, "routes": routes}
    from_file = compile_table(routeset_from_data(data, "<case>"))
    app = build_app(data)
    live = compile_table(routeset_from_app(app))
    oracle = answer(client_for(app), method, url, host)
    installed = expected if STARLETTE_1 and FASTAPI_TREE else OLD.get(name, expected)
    assert oracle == installed  # the framework still behaves as the reference says
    assert routecli_answer(from_file, method, url, host) == expected
    assert routecli_answer(live, method, url, host) == installed
    # a route file naming the installed versions answers as they do
    pinned = {**data, "settings": {**data["settings"], **installed_versions(dialect)}}
    from_pinned = compile_table(routeset_from_data(pinned, "<case>"))
    assert routecli_answer(from_pinned, method, url, host) == installed


def test_head_is_answered_by_the_get_route():  # S14: which route answers
    data = {"settings": {"dialect": "starlette"}, "routes": ITEMS}
    table = compile_table(routeset_from_data(data, "<case>"))
    assert table.match("HEAD", "/items").endpoint == "g"


def test_docs_route_answers_get_first():  # F07: GET /docs is FastAPI's Swagger UI
    data = {"settings": {"dialect": "fastapi"}, "routes": [r("/docs", "d")]}
    table = compile_table(routeset_from_data(data, "<case>"))
    response = client_for(build_app(data)).get("/docs")
    assert response.status_code == 200 and "swagger" in response.text.lower()
    result = table.match("GET", "/docs")
    assert (result.status, result.endpoint, result.rule.kind) == (200, "swagger_ui_html", "docs")


@pytest.mark.parametrize("dialect", ["starlette", "fastapi"])
def test_routes_of_one_shape_in_a_row_answer_like_the_framework(dialect):
    # The matcher runs the regex and convertors once for routes of one shape in a row
    # (matcher.py): which of them takes a method, the first 405 and the convertors'
    # values must stay the framework's, with other shapes and a websocket in between.
    routes = [r("/i/{x:int}", f"m{k}", [f"M{k}"]) for k in range(6)]
    routes[3:3] = [r("/i/{x}", "any-str", ["PATCH"]), r("/j/{x:int}", "other-literal", ["PUT"])]
    routes += [r("/i/{x:int}", "get", ["GET"]), r("/i/{y}", "str", ["PUT"]),
               r("/i/{x:int}", "post", ["POST"])]
    # and one level too small for the prefix index: every route is tried in turn
    few = [*routes[:2], r("/j/{x:int}", "other-literal", ["PUT"]), *routes[2:4],
           r("/i/{x}", "any-str", ["PATCH"]), r("/i/{x:int}", "get", ["GET"])]
    for table_routes in (routes, few):
        data = {"settings": {"dialect": dialect}, "routes": table_routes}
        table = compile_table(routeset_from_data(data, "<case>"))
        client = client_for(build_app(data))
        for method in ("M0", "M3", "M4", "M5", "PATCH", "PUT", "GET", "POST", "DELETE"):
            for url in ("/i/7", "/i/x", "/j/7", "/i/007"):
                assert routecli_answer(table, method, url) == answer(client, method, url), \
                    (len(table_routes), method, url)
