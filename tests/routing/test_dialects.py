"""The dialect seam: route sets become tables, and commands reach a dialect's schema,
analysis and list columns, through routing.dialects only."""

import pytest

import routecli
from helpers import ordered
from routecli.errors import RouteError
from routecli.routing.dialects import DIALECTS, compile_table, dialect_of, get, table_class
from routecli.routing.model import Group, Route, RouteSet
from routecli.routing.werkzeug.table import RouteTable


def test_werkzeug_is_the_default_dialect_and_routecli_load_uses_the_seam(tmp_path):
    assert table_class() is RouteTable
    table = compile_table(RouteSet([Route("/a/<int:x>", "a")]))
    assert isinstance(table, RouteTable)
    assert dialect_of(table).name == "werkzeug"
    assert table.match("GET", "/a/7").args == {"x": 7}
    path = tmp_path / "r.yaml"
    path.write_text("routes:\n  - {rule: /a, endpoint: a}\n")
    assert isinstance(routecli.load(str(path)), RouteTable)


def test_every_registered_dialect_resolves_every_hook():
    for name, dialect in DIALECTS.items():
        assert dialect.name == name
        cls = table_class(name)
        for method in ("match", "match_lines", "explain", "matching_rules", "build", "lint",
                       "conflicts"):
            assert callable(getattr(cls, method)), (name, method)
        analysis = dialect.load("analysis")
        assert callable(analysis.lint_report) and callable(analysis.conflicts_report)
        if dialect.schema:
            assert callable(dialect.load("schema"))
        if dialect.app_source:
            module = dialect.load("app_source")
            assert callable(module.is_app) and callable(module.routeset_from_app)


def test_unknown_dialect_is_a_route_error_naming_the_known_ones():
    with pytest.raises(RouteError, match=r"unknown dialect 'rails' \(known: django, fastapi, "
                                         r"starlette, werkzeug"):
        table_class("rails")
    with pytest.raises(RouteError, match="unknown dialect"):
        get(None)


def test_a_route_file_names_its_dialect_and_gets_that_table(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("settings: {dialect: starlette}\nroutes:\n"
                    "  - {rule: '/users/{id}', endpoint: user}\n"
                    "  - mount: /api\n    routes:\n      - {rule: /x, endpoint: x}\n")
    table = routecli.load(str(path))
    assert dialect_of(table).name == "starlette"
    assert table.match("GET", "/users/5").args == {"id": "5"}
    assert table.match("GET", "/api/x").endpoint == "x"
    assert [entry.kind for entry in table] == ["route", "mount", "route"]


def test_a_misspelt_dialect_is_a_file_line_error(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("settings:\n  dialect: starlete\nroutes: []\n")
    with pytest.raises(RouteError) as caught:
        routecli.load(str(path))
    assert str(caught.value) == (f"{path}:2: settings.dialect: unknown dialect 'starlete' "
                                 "(did you mean 'starlette'?)")


def test_sources_of_different_dialects_do_not_merge(tmp_path):
    one = tmp_path / "a.yaml"
    one.write_text("routes:\n  - {rule: /a, endpoint: a}\n")
    two = tmp_path / "b.yaml"
    two.write_text("settings: {dialect: fastapi}\nroutes:\n  - {rule: /b, endpoint: b}\n")
    with pytest.raises(RouteError, match="one table has one dialect"):
        routecli.load(str(one), str(two))


def test_sources_of_one_first_match_dialect_merge_in_order(tmp_path):
    one = tmp_path / "a.yaml"
    one.write_text("settings: {dialect: starlette, redirect_slashes: false}\n"
                   "routes:\n  - {rule: '/u/{x}', endpoint: general}\n")
    two = tmp_path / "b.yaml"
    two.write_text("settings: {dialect: starlette}\nroutes:\n  - {rule: /u/me, endpoint: me}\n")
    table = routecli.load(str(one), str(two))
    assert table.match("GET", "/u/me").endpoint == "general"
    assert table.match("GET", "/u/me/").status == 404  # redirect_slashes off


def test_lint_and_list_dispatch_through_the_dialect():
    table = ordered("fastapi", {"rule": "/users/{user_id}", "endpoint": "user"},
                    {"rule": "/users/me", "endpoint": "me"}, docs_url=None, redoc_url=None,
                    openapi_url=None)
    assert dialect_of(table).list_columns == (("Kind", "kind"), ("#", "position"))
    codes = [f.code for f in table.lint().findings]
    assert [code for code in codes if code != "RL211"] == ["RL201"]  # RL211 is opt-in
    assert [e.position for e in table] == ["1", "2"]


def test_groups_nest_in_the_model():
    group = Group("mount", "/api", [Route("/x", "x")], {"redirect_slashes": False})
    routeset = RouteSet([group], dialect="starlette")
    table = compile_table(routeset)
    assert table.match("GET", "/api/x").endpoint == "x"
    assert table.match("GET", "/api/x/").status == 404


def test_naming_werkzeug_explicitly_is_the_default(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("settings: {dialect: werkzeug, strict_slashes: false}\n"
                    "routes:\n  - {rule: /a, endpoint: a}\n")
    table = routecli.load(str(path))
    assert isinstance(table, RouteTable)
    assert table.match("GET", "/a/").endpoint == "a"


def test_explain_names_the_route_that_took_the_request():
    table = ordered("starlette", {"rule": "/users/{user_id}", "endpoint": "user"},
                    {"rule": "/users/me", "endpoint": "me"})
    result = table.match("GET", "/users/me", explain=True)
    [miss] = [m.to_dict() for m in result.explanation]
    assert (miss["endpoint"], miss["kind"]) == ("me", "taken")
    assert miss["reason"] == ("never tried: '/users/{user_id}' (user, #1) is declared earlier "
                              "and took the request")
