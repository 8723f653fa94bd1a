"""A message names another route where `routecli list` shows it: its ``#`` for a
first-match entry without a line of its own (a Mount), or declared on the subject's very
line (a library's loop), where "line N" would not tell the two apart."""

from __future__ import annotations

import pytest

from routecli.routing.dialects import compile_table


def _endpoint(request):  # never called
    raise AssertionError


def test_a_mount_is_named_by_its_list_number_not_its_flat_index():
    from starlette.applications import Starlette
    from starlette.routing import Mount, Route

    from routecli.sources.python.starlette_app import routeset_from_app

    # fastapi-versioning's shape: sub-apps mounted per version, then routes under their
    # prefixes declared after them (dead). The second mount is "#2" in `routecli list`
    # and the fourth entry of the flat table.
    app = Starlette(routes=[Mount("/v1", routes=[Route("/a", _endpoint), Route("/b", _endpoint)]),
                            Mount("/v2", routes=[Route("/a", _endpoint)]),
                            Route("/v2/docs", _endpoint)])
    table = compile_table(routeset_from_app(app))
    mount = next(e for e in table.rules if e.rule == "/v2")
    assert (mount.position, mount.index) == ("2", 3)
    [finding] = table.lint().findings
    assert finding.code == "RL202"
    # (an unnamed Mount has no name to give: "((mount), route #2)" before)
    assert "the mount `/v2` (route #2) takes every request" in finding.message


def test_copies_made_on_one_line_are_told_apart_by_their_list_numbers():
    pytest.importorskip("django")
    from django.urls import include, path

    import django_oracle as oracle
    from routecli.sources.python.django_urlconf import routeset_from_app

    oracle.setup()
    # One router's URLs included twice (drf-nested-routers' NestedDefaultRouter): every
    # pattern of the second include was made on the line of the first.
    patterns = [path("api/", include([path("", oracle.view(f"root{i}"), name="root")]))
                for i in range(2)]
    [finding] = compile_table(routeset_from_app(patterns)).lint().findings
    assert finding.code == "RL301"
    assert "duplicates `api/` (root, route #1.1), which is declared earlier" in finding.message
