"""Route data (the items of a Django route file) against the equivalent live URLconf:
generated items are turned into path()/re_path()/include() calls for Django, and both
must answer every generated request alike (status, view name, kwargs, Location, Allow)."""

from __future__ import annotations

import pytest

pytest.importorskip("django")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import django_oracle as oracle  # noqa: E402
from routecli.routing.dialects import compile_table  # noqa: E402
from routecli.sources.schema import routeset_from_data  # noqa: E402

oracle.setup()

SEGMENTS = ["a", "b", "<int:n>", "<str:s>", "<slug:g>", "<path:p>", "<hex:h>", "x<int:k>"]
REGEXES = ["^a/$", "a/", "^a", "^(?P<n>[0-9]+)/$", "^([a-z]+)/$", "b/$", "^a/(?P<r>.*)$"]
PREFIXES = ["a/", "b/", "<int:m>/", "<int:n>/", "", "<path:w>/", "<hex:q>/"]
WORDS = ["a", "b", "1", "2", "x3", "ab", "a.b", "", "f0", "-1"]


class HexConverter:
    regex = "[0-9a-f]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


@st.composite
def items(draw, depth=0, counter=None):
    counter = counter if counter is not None else [0]
    out = []
    for _ in range(draw(st.integers(0, 8 if depth == 0 else 3))):
        if depth < 2 and draw(st.integers(0, 4)) == 0:
            item = {"include": draw(st.sampled_from(PREFIXES)),
                    "routes": draw(items(depth + 1, counter))}
            if draw(st.booleans()):
                item["namespace"] = draw(st.sampled_from(["ns", "other"]))
            if draw(st.booleans()):
                item["kwargs"] = {"n": "inc"}
            out.append(item)
            continue
        counter[0] += 1
        item = {"endpoint": f"v{counter[0]}"}
        if draw(st.integers(0, 3)) == 0:
            item["regex"] = draw(st.sampled_from(REGEXES))
        else:
            parts = draw(st.lists(st.sampled_from(SEGMENTS), max_size=3, unique=True))
            item["rule"] = "/".join(parts) + draw(st.sampled_from(["/", ""]))
        if draw(st.booleans()):
            item["methods"] = draw(st.sampled_from([["GET"], ["POST", "GET"], ["PUT"]]))
        if draw(st.integers(0, 3)) == 0:
            item["kwargs"] = {"n": "kw"}
        out.append(item)
    return out


@st.composite
def requests(draw):
    parts = draw(st.lists(st.sampled_from(WORDS), max_size=4))
    url = "/" + "/".join(parts) + draw(st.sampled_from(["", "/"]))
    return draw(st.sampled_from(["GET", "POST", "HEAD", "PUT"])), url


@settings(max_examples=200)
@given(items(), st.lists(requests(), min_size=1, max_size=8))
def test_route_data_answers_like_the_live_urlconf(data, reqs):
    from django.urls.converters import get_converters

    if "hex" not in get_converters():
        from django.urls import register_converter

        register_converter(HexConverter, "hex")
    oracle.install(oracle.urlconf_from_items(data))
    table = compile_table(routeset_from_data({
        "settings": {"dialect": "django"}, "converters": {"hex": {"regex": "[0-9a-f]+"}},
        "routes": data}, "generated.yaml"))
    for method, url in reqs:
        ours = table.match(method, url)
        theirs = oracle.request(method, url)
        assert (ours.status, ours.location) == (theirs["status"], theirs["location"]), (
            method, url, ours, theirs)
        if ours.status == 405:
            assert ours.allowed_methods == theirs["allow"]
        resolved = oracle.resolve(ours.path)
        if resolved["status"] == 200:
            assert (ours.endpoint, ours.args) == (resolved["view_name"], resolved["kwargs"])
