"""`routecli url`'s warning when the built path is answered by another route of the
same name (one router included twice, as drf-nested-routers' NestedDefaultRouter does):
the name alone said "resolves to 'api-root' ..., not to 'api-root'"; the route that built
the path is named by its rule and list number too. The frameworks build the same path and
answer it with the other route."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from routecli.cli.app import cli


def url(tmp_path, document: dict, *args):
    path = tmp_path / "routes.json"
    path.write_text(json.dumps(document))
    return CliRunner().invoke(cli, ["--no-cache", "-r", str(path), "url", *args])


def test_starlette_names_the_building_route_when_both_share_the_name(tmp_path):
    from starlette.routing import Route, Router

    result = url(tmp_path, {"settings": {"dialect": "starlette"}, "routes": [
        {"rule": "/u/{name}", "endpoint": "u"}, {"rule": "/u/me", "endpoint": "u"}]}, "u")
    assert (result.exit_code, result.stdout) == (0, "/u/me\n")
    assert result.stderr == (
        "warning: GET /u/me is answered 200 by 'u' (/u/{name}, #1), not by 'u' (/u/me, #2); "
        "url_path_for builds this path all the same\n")

    def first(request):  # never called
        raise AssertionError

    def second(request):
        raise AssertionError

    router = Router([Route("/u/{name}", first, name="u"), Route("/u/me", second, name="u")])
    assert router.url_path_for("u") == "/u/me"
    scope = {"type": "http", "path": "/u/me", "method": "GET", "root_path": ""}
    assert next(r for r in router.routes if r.matches(scope)[0].name == "FULL").endpoint is first


def test_django_names_the_building_pattern_when_both_share_the_name(tmp_path):
    pytest.importorskip("django")
    from django.urls import include, path

    import django_oracle as oracle

    items = [{"include": "api/", "routes": [{"rule": "<str:x>/", "endpoint": "root"}]},
             {"include": "api/", "routes": [{"rule": "me/", "endpoint": "root"}]}]
    result = url(tmp_path, {"settings": {"dialect": "django"}, "routes": items}, "root")
    assert (result.exit_code, result.stdout) == (0, "/api/me/\n")
    assert result.stderr == (
        "warning: GET /api/me/ resolves to 'root' (api/<str:x>/, #1.1), not to 'root' "
        "(api/me/, #2.1); reverse() builds this path all the same\n")

    first, second = oracle.view("first"), oracle.view("second")
    oracle.install([path("api/", include([path("<str:x>/", first, name="root")])),
                    path("api/", include([path("me/", second, name="root")]))])
    from django.urls import resolve, reverse

    assert reverse("root") == "/api/me/"
    assert resolve("/api/me/").func is first
