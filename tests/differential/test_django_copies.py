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
