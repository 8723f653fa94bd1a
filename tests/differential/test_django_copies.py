"""Copies of a Django pattern that does not dominate (a converter that may reject, a
regex include that can split a path several ways) against Django itself: lint calls
the later copies dead as one group, and Django never answers with one of them."""

from __future__ import annotations

import pytest

pytest.importorskip("django")

from django.urls import include, path, re_path, register_converter  # noqa: E402
from django.urls.converters import get_converters  # noqa: E402

import django_oracle as oracle  # noqa: E402
from routecli.routing.django.table import DjangoTable  # noqa: E402
from routecli.sources.python.django_urlconf import routeset_from_app  # noqa: E402


class SmallConverter:
    """Refuses numbers above 999 (ValueError: Django tries the next pattern)."""

    regex = "[0-9]+"

    def to_python(self, value):
        if int(value) > 999:
            raise ValueError(value)
        return int(value)

    def to_url(self, value):
        return str(value)


def urlpatterns():
    oracle.setup()  # registers "even"
    if "small" not in get_converters():
        register_converter(SmallConverter, "small")
    view = oracle.view
    return [
        *[path("y/<small:n>/", view(f"s{i}"), name=f"s{i}") for i in range(4)],
        *[path("e/<even:n>/", view(f"v{i}"), name=f"v{i}") for i in range(3)],
        re_path(r"^(?P<lang>[a-z]+)/", include([
            *[path("p/<int:x>/", view(f"p{i}"), name=f"p{i}") for i in range(3)],
            path("p/<str:s>/", view("broad"), name="broad")])),
        path("y/<int:n>/", view("any"), name="any"),
        path("e/<int:n>/", view("odd"), name="odd"),
    ]


REQUESTS = ["/y/1/", "/y/999/", "/y/1000/", "/e/2/", "/e/3/", "/ab/p/1/", "/ab/p/x/",
            "/a/b/p/1/", "/p/1/"]


def test_later_copies_are_one_dead_group_and_django_never_answers_them():
    patterns = urlpatterns()
    oracle.install(patterns)
    table = DjangoTable(routeset_from_app(patterns))
    report = table.lint()
    assert report.stats["model_disagreements"] == 0
    dead = sorted((f.code, [r.endpoint for r in f.routes])
                  for f in report.findings if f.code == "RL203")
    # The even copies are dead too, but the analysis' witness (/e/1/) is odd: the
    # converter refuses it, so the finding is not confirmed and not reported.
    assert dead == [("RL203", ["p1", "p2", "p0"]), ("RL203", ["s1", "s2", "s3", "s0"])]
    never = {"s1", "s2", "s3", "p1", "p2", "v1", "v2"}
    for url in REQUESTS:
        theirs = oracle.resolve(url)
        ours = table.match("GET", url)
        assert theirs.get("view_name") == ours.endpoint, url
        assert theirs.get("view_name") not in never, url


class OtherSmallConverter(SmallConverter):
    """The same regex and rule, another ``to_python``: a pattern using it is no copy."""


def test_copies_in_two_includes_of_one_prefix_are_dead_and_django_never_answers_them():
    # drf-nested-routers' NestedDefaultRouter: ``path("api/", include(router.urls))`` for
    # each router, both with DRF's format-suffix root pattern (one converter object). The
    # second include's copy never answers: before, it was no copy (another parent) and
    # `conflicts` called the first "declared before the broader" one.
    oracle.setup()
    for name, converter in (("small", SmallConverter), ("small2", OtherSmallConverter)):
        if name not in get_converters():
            register_converter(converter, name)
    view = oracle.view
    patterns = [
        path("api/", include([path("<small:n>/", view("r0"), name="r0")])),
        path("api/", include([path("<small:n>/", view("r1"), name="r1"),
                              path("own/", view("own"), name="own")])),
        path("<small:k>/", include([path("q/", view("q0"), name="q0")])),
        path("<small:k>/", include([path("q/", view("q1"), name="q1")])),
        path("b/", include([path("<small:n>/", view("b0"), name="b0")])),
        path("b/", include([path("<small2:n>/", view("b1"), name="b1")])),
    ]
    oracle.install(patterns)
    table = DjangoTable(routeset_from_app(patterns))
    report = table.lint()
    assert report.stats["model_disagreements"] == 0
    dead = sorted((f.code, f.kind, [r.endpoint for r in f.routes])
                  for f in report.findings)
    assert dead == [("RL301", "duplicate", ["q1", "q0"]), ("RL301", "duplicate", ["r1", "r0"])]
    for url in ["/api/1/", "/api/1000/", "/api/own/", "/1/q/", "/1000/q/", "/b/5/",
                "/b/1000/"]:
        theirs = oracle.resolve(url)
        assert theirs.get("view_name") == table.match("GET", url).endpoint, url
        assert theirs.get("view_name") not in {"r1", "q1"}, url
