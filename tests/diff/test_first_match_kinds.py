"""Hand-made OLD/NEW pairs for the first-match dialects (docs/diff.md#dialects): order
changes are shadowing, convertor and method edits are proven by requests both tables
answer differently, and a diff across two dialects works (docs/diff.md#two-dialects)."""

import pytest

from routecli.diff import diff
from routecli.routing.dialects import compile_table
from routecli.routing.werkzeug.table import RouteTable
from routecli.sources.schema import routeset_from_data


def table(dialect, *routes, **options):
    data = {"settings": {"dialect": dialect, **options}, "routes": list(routes)}
    return compile_table(routeset_from_data(data, "<test>"))


def kinds(report):
    return {change.kind: change for change in report.changes}


def assert_proven(report, old, new):
    for change in report.changes:
        if change.severity != "info":
            assert change.requests, change
        for e in change.requests:
            a = old.match(e.request.method, e.request.url)
            b = new.match(e.request.method, e.request.url)
            assert (a.status, a.endpoint, a.args, a.location, a.allowed_methods) != \
                (b.status, b.endpoint, b.args, b.location, b.allowed_methods), (change, e)


@pytest.mark.parametrize(("dialect", "me", "user"), [
    ("starlette", "/users/me", "/users/{name}"),
    ("fastapi", "/users/me", "/users/{name}"),
    ("django", "users/me/", "users/<name>/"),
])
def test_reorder_is_shadowing(dialect, me, user):
    first = {"rule": me, "endpoint": "me"}
    second = {"rule": user, "endpoint": "user"}
    old = table(dialect, first, second, {"rule": me.replace("me", "x"), "endpoint": "x"})
    new = table(dialect, second, first, {"rule": me.replace("me", "x"), "endpoint": "x"})
    report = diff(old, new, lint=False)
    assert_proven(report, old, new)
    change = next(c for c in report.changes if c.kind in ("route-shadows", "route-shadowed"))
    assert change.severity == "breaking"
    assert any(e.old.endpoint == "me" and e.new.endpoint == "user" for e in change.requests)
    back = diff(new, old, lint=False)  # and the other way round: the route gets its URL back
    assert {c.kind for c in back.changes} & {"route-shadows", "route-shadowed"}


def test_starlette_convertor_methods_and_slash():
    old = table("starlette", {"rule": "/items/{id}", "endpoint": "item"},
                {"rule": "/users/{uid:int}", "endpoint": "user", "methods": ["GET", "PUT"]},
                {"rule": "/about", "endpoint": "about"})
    new = table("starlette", {"rule": "/items/{id:int}", "endpoint": "item"},
                {"rule": "/users/{uid:int}", "endpoint": "user", "methods": ["GET"]},
                {"rule": "/about/", "endpoint": "about"})
    report = diff(old, new, lint=False)
    assert_proven(report, old, new)
    found = kinds(report)
    assert set(found) == {"converter-narrowed", "methods-removed", "trailing-slash-changed"}
    assert any(e.request.url == "/items/a" and e.new.status == 404
               for e in found["converter-narrowed"].requests)
    assert any(e.request.method == "PUT" and e.new.status == 405
               for e in found["methods-removed"].requests)
    assert all(c.severity == "breaking" for c in report.changes)


def test_django_convertor_widened_and_include():
    old = table("django", {"include": "shop/", "routes": [
        {"rule": "items/<int:pk>/", "endpoint": "item"}]})
    new = table("django", {"include": "shop/", "routes": [
        {"rule": "items/<str:pk>/", "endpoint": "item"}]})
    report = diff(old, new, lint=False)
    assert_proven(report, old, new)
    change = kinds(report)["converter-widened"]
    assert any(e.request.url == "/shop/items/a/" and e.old.status == 404
               and e.new.status == 200 for e in change.requests)
    # the same value now arrives as a string: breaking
    assert change.severity == "breaking"


def test_mount_redirect_slashes_is_a_change():
    old = table("starlette", {"mount": "/api", "routes": [{"rule": "/a", "endpoint": "a"}]})
    new = table("starlette", {"mount": "/api", "redirect_slashes": False,
                              "routes": [{"rule": "/a", "endpoint": "a"}]})
    report = diff(old, new, lint=False)
    assert_proven(report, old, new)
    assert any(e.request.url == "/api/a/" and e.old.status == 307 and e.new.status == 404
               for c in report.changes for e in c.requests)


def test_no_change_is_no_change():
    routes = ({"rule": "/users/me", "endpoint": "me"},
              {"mount": "/api", "routes": [{"rule": "/items/{id:int}", "endpoint": "i"}]})
    assert diff(table("starlette", *routes), table("starlette", *routes)).changes == []


def test_two_dialects():
    old = RouteTable.from_data({"routes": [
        {"rule": "/users/<int:uid>", "endpoint": "user"}, {"rule": "/gone", "endpoint": "g"}]})
    new = table("fastapi", {"rule": "/users/{uid:int}", "endpoint": "user"})
    report = diff(old, new, lint=False)
    assert_proven(report, old, new)
    found = kinds(report)
    assert found["route-removed"].old.rule == "/gone"
    assert "dialect 'werkzeug' -> 'fastapi'" in found["settings-changed"].message
    # /users/1 is answered alike by both: the route is paired, not removed and added
    user = [c for c in report.changes if c.new is not None and c.new.endpoint == "user"]
    assert all(c.old is not None and c.old.endpoint == "user" for c in user), user
    # FastAPI's own documentation routes are new URLs
    assert {c.new.rule for c in report.changes if c.kind == "route-added"} >= {"/docs"}
