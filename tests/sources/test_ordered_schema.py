"""Route files of the Starlette and FastAPI dialects: every refusal is one file:line message,
as the framework refuses the same table (docs/dialects.md#route-files)."""

from __future__ import annotations

import pytest

import routecli
from routecli.errors import RouteError


def load(tmp_path, text: str, dialect: str = "fastapi"):
    path = tmp_path / "routes.yaml"
    path.write_text(f"settings: {{dialect: {dialect}}}\nroutes:\n{text}")
    return path, routecli.load(str(path))


@pytest.mark.parametrize("item, message", [
    ("- {rule: '/a/{x:nope}', endpoint: a}",
     "unknown path convertor 'nope' in '/a/{x:nope}' (known: float, int, path, str, uuid)"),
    ("- {rule: '/a/{x}/{x}', endpoint: a}", "duplicated parameter name x in '/a/{x}/{x}'"),
    ("- {include: /admin/, routes: []}",
     "an include prefix must start with '/' and must not end with '/', got '/admin/'"),
    ("- {rule: /a, endpoint: a, methods: []}",
     'routes[0].methods: FastAPI refuses an empty method list: write methods: "*"'),
    ("- {rule: /a, endpoint: a, strict_slashes: false}",
     "routes[0]: unknown key 'strict_slashes' (expected one of: rule, endpoint, methods, "
     "kind, name, params, noqa, view)"),
    ("- {mount: /m, app: x, routes: []}",
     "routes[0]: a group has either 'routes' or 'app' (an opaque mounted app), not both"),
    ("- {mount: /m}", "routes[0]: missing required key 'routes' (the mount's routes)"),
    ("- {rule: /a, endpoint: a, params: {x: long}}",
     "routes[0].params.x: expected a parameter type (str, int, float, bool, uuid), got "
     "string 'long'"),
    ("- {rule: /a, endpoint: a, params: {x: int}}", "params: 'x' is not a parameter of '/a'"),
    ("- {mount: m, routes: []}", "a mount path must start with '/' (or be empty), got 'm'"),
    ("- {host: /x, routes: []}", "a host pattern must not start with '/', got '/x'"),
    ("- 5", "routes[0]: expected a mapping with 'rule' and 'endpoint' (or a group such as "
            "'mount:'), got integer 5"),
    ("- {rule: '/a', endpoint: a, kind: view}",
     "routes[0].kind: unknown kind 'view' (expected one of: route, websocket, endpoint, docs)"),
])
def test_refusals_are_one_line_at_the_item(tmp_path, item, message):
    with pytest.raises(RouteError) as caught:
        load(tmp_path, "  " + item + "\n")
    assert str(caught.value) == f"{tmp_path / 'routes.yaml'}:3: {message}"


def test_settings_belong_to_the_dialect(tmp_path):
    path = tmp_path / "routes.yaml"
    path.write_text("settings: {dialect: starlette, redoc_url: x}\nroutes: []\n")
    with pytest.raises(RouteError, match=r":1: settings: unknown key 'redoc_url' \(expected "
                                         r"one of: dialect, redirect_slashes, starlette_version\)"):
        routecli.load(str(path))


def test_groups_belong_to_the_dialect(tmp_path):
    with pytest.raises(RouteError, match="the Starlette dialect has no 'include' groups "
                                         r"\(it has: mount, host\)"):
        load(tmp_path, "  - {include: /a, routes: []}\n", "starlette")


def test_a_fastapi_path_without_a_slash_loads_and_never_matches(tmp_path):
    _, table = load(tmp_path, "  - {rule: users, endpoint: users}\n")
    assert table.match("GET", "/users").status == 404
    assert [f.code for f in table.lint().findings] == ["RL213"]


def test_docs_urls_follow_fastapi_settings(tmp_path):
    path = tmp_path / "routes.yaml"
    path.write_text("settings: {dialect: fastapi, docs_url: null, openapi_url: /api.json}\n"
                    "routes: []\n")
    table = routecli.load(str(path))
    assert [(e.rule, e.endpoint) for e in table] == [("/api.json", "openapi"),
                                                    ("/redoc", "redoc_html")]


def test_a_docs_route_is_a_get_and_head_route_listed_as_docs():
    """A mounted FastAPI app's own docs pages, where the settings cannot put them."""
    from routecli.routing.dialects import compile_table
    from routecli.sources.schema import routeset_from_data

    table = compile_table(routeset_from_data({
        "settings": {"dialect": "fastapi", "openapi_url": None},
        "routes": [{"mount": "/api", "routes": [
            {"rule": "/openapi.json", "endpoint": "openapi", "kind": "docs"}]}]}, "<t>"))
    docs = [entry for entry in table if entry.kind == "docs"]
    assert [(e.rule, sorted(e.methods)) for e in docs] == [("/api/openapi.json",
                                                           ["GET", "HEAD"])]
    assert table.match("HEAD", "/api/openapi.json").status == 200


@pytest.mark.parametrize(("value", "message"), [
    ("0.136", "write the version as a string, '0.136' (YAML reads it as a number)"),
    ('"x.y"', "expected a version like '0.136' or '0.136.3', got 'x.y'"),
    ('"0.100"', "routecli models FastAPI 0.115 and later, got '0.100'"),
])
def test_a_version_setting_is_checked_at_its_line(tmp_path, value, message):
    path = tmp_path / "routes.yaml"
    path.write_text(f"settings:\n  dialect: fastapi\n  fastapi_version: {value}\n"
                    "routes: []\n")
    with pytest.raises(RouteError) as caught:
        routecli.load(str(path))
    assert str(caught.value) == f"{path}:3: settings.fastapi_version: {message}"


@pytest.mark.parametrize(("value", "message"), [
    ('"3.2"', "routecli models Django 4.2 and later, got '3.2'"),
    ('"five"', "expected a version like '0.136' or '0.136.3', got 'five'"),
    ("5.2", "write the version as a string, '5.2' (YAML reads it as a number)"),
])
def test_the_django_version_setting_is_checked_at_its_line(tmp_path, value, message):
    path = tmp_path / "urls.yaml"
    path.write_text(f"settings:\n  dialect: django\n  django_version: {value}\nroutes: []\n")
    with pytest.raises(RouteError) as caught:
        routecli.load(str(path))
    assert str(caught.value) == f"{path}:3: settings.django_version: {message}"


def test_versions_change_what_the_table_answers():
    """docs/dialects.md#versions: FastAPI <0.137 drops groups in includes, Starlette <0.53
    compares hosts by case, Starlette <1.0 leaves HEAD out of an HTTPEndpoint's Allow."""
    from routecli.routing.dialects import compile_table
    from routecli.sources.schema import routeset_from_data

    def table(**versions):
        return compile_table(routeset_from_data({
            "settings": {"dialect": "fastapi", "openapi_url": None, **versions},
            "routes": [
                {"include": "/api", "routes": [{"mount": "/static", "app": "StaticFiles"}]},
                {"host": "Admin.example.com", "routes": [
                    {"rule": "/t", "endpoint": "T", "kind": "endpoint",
                     "methods": ["GET", "POST"]}]}]}, "<t>"))

    new, old = table(), table(fastapi_version="0.136.3", starlette_version="0.46.2")
    assert new.match("GET", "/api/static/x").status == 200
    assert [e.kind for e in old][:1] == ["lost"]
    assert old.match("GET", "/api/static/x").status == 404
    assert new.match("GET", "http://admin.example.com/t").status == 200
    assert old.match("GET", "http://admin.example.com/t").status == 404
    assert new.match("DELETE", "http://Admin.example.com/t").allowed_methods == [
        "GET", "HEAD", "POST"]
    assert old.match("DELETE", "http://Admin.example.com/t").allowed_methods == ["GET", "POST"]
