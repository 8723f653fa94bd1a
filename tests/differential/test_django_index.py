"""The resolver's index of whole literal segments (routing/django/resolver.py): a level
tries only the patterns whose fixed segments the path starts with, plus those with none,
in URLconf order. Patterns of nested keys (``api/``, ``api/v1/``, ``api/v1/users/``)
and unkeyed ones (unanchored regexes, prefixes without "/") interleave; Django's own
resolve() must give every answer, with the merged lists cached, cut by the budget, or
keys cut to fewer segments."""

from __future__ import annotations

import pytest

pytest.importorskip("django")

from django.urls import include, path, re_path  # noqa: E402

import django_oracle as oracle  # noqa: E402
from routecli.routing.django import resolver  # noqa: E402
from routecli.routing.django.table import DjangoTable  # noqa: E402
from routecli.sources.python.django_urlconf import routeset_from_app  # noqa: E402

oracle.setup()


def _urlpatterns():
    v = oracle.view
    return [
        path("api/v1/users/<int:pk>/", v("deep_first")),
        re_path(r"^api/(?P<rest>v1/users/7/)$", v("shallow_regex")),  # key api/
        re_path(r"users/(?P<n>[0-9]+)/$", v("fullmatched")),  # an endpoint's $: anchored
        re_path(r"v1/(?P<k>x)/", include([path("y/", v("mid_path"))])),  # searched: unkeyed
        path("api/v1/", include([
            path("users/<str:name>/", v("inc_user")),
            path("users/", v("inc_users")),
            path("items/<slug:s>/", v("inc_item")),
        ] + [path(f"filler{i}/", v(f"filler{i}")) for i in range(8)])),
        path("api/v1/users/", v("after_include")),
        path("apiv1", v("no_slash")),  # unkeyed: its fixed text holds no "/"
        path("api/v1/users/<int:pk>/orgs/", v("orgs")),
        re_path(r"^api/v1/users/(?P<pk>[0-9]+)/orgs/(?P<o>[a-z]+)/$", v("org")),
        path("a/b/c/d/e/f/g/h/<int:x>/", v("very_deep")),
        path("a/b/c/d/e/f/g/<int:x>/", v("deep")),
        re_path(r"^a/", v("any_a")),
        path("", v("root")),
    ] + [path(f"other{i}/<int:x>/", v(f"other{i}")) for i in range(12)]


PATHS = ["/", "/api/v1/users/7/", "/api/v1/users/8/", "/api/v1/users/bob/", "/api/v1/users/",
         "/api/v1/items/x-1/", "/api/v1/users/8/orgs/", "/api/v1/users/8/orgs/acme/",
         "/x/users/3/", "/apiv1", "/api/", "/api/v1/filler3/", "/a/b/c/d/e/f/g/h/1/",
         "/a/b/c/d/e/f/g/2/", "/a/b/c/d/e/f/g/h/i/", "/a/", "/other3/4/", "/other3/x/",
         "/api/v1/users/8", "/nothing/", "/api/v1/users/8/orgs/acme/x/",
         "/api/v1/x/y/", "/v1/x/y/", "/users/5/"]


@pytest.mark.parametrize("budget", [None, 0])
@pytest.mark.parametrize("key_segments", [6, 1, 3])
def test_every_path_resolves_as_django_does(monkeypatch, budget, key_segments):
    patterns = _urlpatterns()
    oracle.install(patterns)
    monkeypatch.setattr(resolver, "KEY_SEGMENTS", key_segments)
    if budget is not None:  # nothing merged is kept: each request merges again
        monkeypatch.setattr(resolver, "MERGED_PER_PATTERN", budget)
        monkeypatch.setattr(resolver, "MERGED_EXTRA", budget)
    table = DjangoTable(routeset_from_app(patterns))
    for _ in range(2):  # the second time from the merged lists kept
        for url in PATHS:
            resolved = oracle.resolve(url)
            hit = table.resolve(url)
            if resolved["status"] == 404:
                assert hit is None, url
            else:
                assert hit is not None, (url, resolved)
                assert (hit.endpoint.endpoint, hit.args, hit.kwargs) == (
                    resolved["view_name"], resolved["args"], resolved["kwargs"]), url


def test_the_index_narrows_a_level_to_the_keys_a_path_starts_with():
    table = DjangoTable(routeset_from_app(_urlpatterns()))
    tried = {str(item.pattern) for item in table.root.candidates("api/v1/users/8/orgs/")}
    assert "other3/<int:x>/" not in tried and "a/b/c/d/e/f/g/<int:x>/" not in tried
    assert {"api/v1/users/<int:pk>/", r"^api/(?P<rest>v1/users/7/)$", "api/v1/",
            "v1/(?P<k>x)/"} <= tried
    # an endpoint's anchored regex under another key; path() endpoints without
    # parameters, each tried only for its own path (one ending in "/" is a key)
    assert r"users/(?P<n>[0-9]+)/$" not in tried
    assert not {"apiv1", ""} & tried and "api/v1/users/" in tried
    assert {str(item.pattern) for item in table.root.candidates("apiv1")} == {
        "apiv1", "v1/(?P<k>x)/"}
    assert r"^api/v1/users/(?P<pk>[0-9]+)/orgs/(?P<o>[a-z]+)/$" in tried


def test_merged_lists_stay_within_the_budget_and_answers_do_not_change(monkeypatch):
    # many keys and many unkeyed regexes: merging every key with every unkeyed pattern
    # was keys x unkeyed entries (20,000 x 5,000 took 849 MB before the budget)
    monkeypatch.setattr(resolver, "MERGED_PER_PATTERN", 1)
    monkeypatch.setattr(resolver, "MERGED_EXTRA", 0)
    v = oracle.view
    patterns = ([path(f"k{i}/x/", v(f"k{i}")) for i in range(300)]
                + [re_path(rf"(?P<a>z{i})/", v(f"z{i}")) for i in range(100)])
    oracle.install(patterns)
    table = DjangoTable(routeset_from_app(patterns))
    for url in [f"/k{i}/x/" for i in range(300)] + ["/k7/z3/", "/k8/y/", "/z99/"]:
        resolved = oracle.resolve(url)
        hit = table.resolve(url)
        assert (None if hit is None else hit.endpoint.endpoint) == (
            None if resolved["status"] == 404 else resolved["view_name"]), url
    kept = sum(len(merged) for merged in table.root._index.merged.values())
    assert 0 < kept <= len(patterns)


def test_a_table_pickles_before_and_after_its_index_is_built():
    import pickle

    patterns = _urlpatterns()
    oracle.install(patterns)
    fresh = DjangoTable(routeset_from_app(patterns))
    used = DjangoTable(routeset_from_app(patterns))
    expected = [used.match("GET", url).status for url in PATHS]  # builds the index
    for table in (fresh, used):
        copy = pickle.loads(pickle.dumps(table))
        assert [copy.match("GET", url).status for url in PATHS] == expected
