"""Generated URLconfs (nested include(), namespaces, kwargs, path()/re_path(), a converter
that rejects odd numbers, method-restricted and class-based views) answered by routecli's
Django dialect and by Django itself: resolve() and the test client with CommonMiddleware
must agree on every generated request, with and without the resolver's segment index."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("django")

from django.urls import include, path, re_path  # noqa: E402
from django.views.decorators.http import require_http_methods  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import django_oracle as oracle  # noqa: E402
from routecli.routing.django import resolver  # noqa: E402
from routecli.routing.django.table import DjangoTable  # noqa: E402
from routecli.sources.python.django_urlconf import routeset_from_app  # noqa: E402

oracle.setup()

SEGMENTS = ["a", "b", "<int:n>", "<str:s>", "<slug:g>", "<path:p>", "<even:e>", "x<int:k>",
            "<uuid:u>", "a.b"]
REGEXES = ["^a/$", "a/", "^a", "^(?P<n>[0-9]+)/$", "^([a-z]+)/$", "b/$", "^a/(?P<r>.*)$",
           "^$", "(?P<q>[ab])/", r"^x\.y/", "^a/b/"]
PREFIXES = ["a/", "b/", "<int:m>/", "<int:n>/", "", "<path:w>/", "x<int:j>/", "<even:d>/"]
PREFIX_REGEXES = ["^a/", "a/", "^(?P<m>[0-9]+)/", "^", "^(b)/"]
REQUEST_SEGMENTS = ["a", "b", "1", "2", "x3", "ab", "a.b", "x.y", "", "-1", "07",
                    "12345678-1234-1234-1234-123456789abc", "%2F", "A"]


@st.composite
def urlconfs(draw, depth=0, counter=None):
    counter = counter if counter is not None else [0]
    items = []
    for _ in range(draw(st.integers(0, 10 if depth == 0 else 4))):
        if depth < 2 and draw(st.integers(0, 4)) == 0:
            children = draw(urlconfs(depth + 1, counter))
            if draw(st.booleans()):
                namespaced = draw(st.booleans())
                prefix = path(draw(st.sampled_from(PREFIXES)), include(
                    (children, "app") if namespaced else children,
                    namespace=draw(st.sampled_from([None, "ns", "other"])) if namespaced
                    else None),
                    draw(st.sampled_from([None, {"n": "inc"}, {"z": 1}])))
            else:
                prefix = re_path(draw(st.sampled_from(PREFIX_REGEXES)), include(children))
            items.append(prefix)
            continue
        counter[0] += 1
        name = f"v{counter[0]}"
        kind = draw(st.integers(0, 3))
        view = (oracle.view(name) if kind < 2 else
                require_http_methods(draw(st.sampled_from([["GET"], ["POST", "GET"]])))(
                    oracle.view(name)) if kind == 2 else
                oracle.class_view(name.upper(), draw(st.sampled_from([("get",), ("post", "put")]))))
        kwargs = draw(st.sampled_from([None, None, {"n": "kw"}, {"extra": 2}]))
        if draw(st.integers(0, 3)) == 0:
            items.append(re_path(draw(st.sampled_from(REGEXES)), view, kwargs, name=name))
        else:
            # A parameter name twice is Django's ImproperlyConfigured (at resolve time).
            parts = draw(st.lists(st.sampled_from(SEGMENTS), max_size=3, unique=True))
            route = "/".join(parts) + draw(st.sampled_from(["/", "/", ""]))
            if route == "/" and not parts:
                route = ""
            items.append(path(route, view, kwargs,
                              name=None if draw(st.integers(0, 5)) == 0 else name))
    return items


@st.composite
def requests(draw):
    parts = draw(st.lists(st.sampled_from(REQUEST_SEGMENTS), max_size=4))
    url = "/" + "/".join(parts) + draw(st.sampled_from(["", "/"]))
    if draw(st.integers(0, 5)) == 0:
        url += "?q=1"
    method = draw(st.sampled_from(["GET", "GET", "POST", "HEAD", "PUT", "OPTIONS"]))
    return method, url


@settings(max_examples=int(os.environ.get("ROUTECLI_DJANGO_EXAMPLES", "300")))
@given(urlconfs(), st.lists(requests(), min_size=1, max_size=8), st.booleans(), st.booleans())
def test_generated_urlconfs_answer_like_django(urlpatterns, reqs, indexed, debug):
    oracle.install(urlpatterns)
    saved = resolver.INDEX_FROM
    resolver.INDEX_FROM = 1 if indexed else 10_000
    try:
        table = DjangoTable(routeset_from_app(urlpatterns, debug=debug))
    finally:
        resolver.INDEX_FROM = saved
    for method, url in reqs:
        ours = table.match(method, url)
        theirs = oracle.request(method, url, debug=debug)
        assert (ours.status, ours.location) == (theirs["status"], theirs["location"]), (
            method, url, ours, theirs)
        if ours.status == 405:
            assert ours.allowed_methods == theirs["allow"]
        resolved = oracle.resolve(ours.path)
        hit = table.resolve(ours.path)
        if resolved["status"] == 404:
            assert hit is None, (url, hit)
            tried = [[str(p.pattern) for p in t] for t in table.root.tried(ours.path[1:])]
            assert tried == resolved["tried"]
        else:
            assert hit is not None, (url, resolved)
            assert (hit.endpoint.endpoint, hit.endpoint.rule, hit.args, hit.kwargs) == (
                resolved["view_name"], resolved["route"], resolved["args"], resolved["kwargs"])
