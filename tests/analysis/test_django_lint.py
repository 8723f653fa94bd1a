"""Django lint (RL301-RL307): each rule on its example, and on generated URLconfs the
soundness of "dead": no request resolves to an endpoint lint calls unreachable, and every
witness is confirmed by the resolver."""

from __future__ import annotations

import itertools
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routecli.analysis.django_lint import lint_django
from routecli.routing.django.build import converters_from_data, patterns_from_data
from routecli.routing.django.table import DjangoSettings, DjangoTable


def lint(items, converters=None, **options):
    table = DjangoTable(patterns_from_data(items, converters_from_data(converters)),
                        DjangoSettings(**options))
    report = lint_django(table)
    assert report.stats["model_disagreements"] == 0
    return table, report


def codes(report):
    return [(f.code, f.routes[0].endpoint, f.witness.url, f.answered_by)
            for f in report.findings]


def test_specific_after_general_is_an_error_with_the_real_answer():
    _, report = lint([{"rule": "users/<str:username>/", "endpoint": "user"},
                      {"rule": "users/me/", "endpoint": "me"}])
    assert codes(report) == [("RL302", "me", "/users/me/", "user")]
    assert report.findings[0].severity == "error"


def test_specific_first_is_silent():
    _, report = lint([{"rule": "users/me/", "endpoint": "me"},
                      {"rule": "users/<str:username>/", "endpoint": "user"}])
    assert report.findings == []


def test_union_of_earlier_patterns():
    _, report = lint([{"rule": "a/<int:x>/", "endpoint": "int"},
                      {"rule": "a/<slug:x>-<slug:y>/", "endpoint": "pair"},
                      {"regex": "^a/(?P<v>[0-9]+(-[0-9]+)?)/$", "endpoint": "never"}])
    assert [c[:2] for c in codes(report)] == [("RL301", "never")]


def test_include_swallows_a_later_sibling():
    _, report = lint([{"include": "api/", "namespace": "api",
                       "routes": [{"rule": "<path:rest>", "endpoint": "proxy"}]},
                      {"rule": "api/health/", "endpoint": "health"}])
    assert codes(report) == [("RL303", "health", "/api/health/", "api:proxy")]


def test_failed_include_does_not_shadow():
    # D03: the include's children fail on special/, Django backtracks.
    _, report = lint([{"include": "api/<int:ver>/",
                       "routes": [{"rule": "things/<int:id>/", "endpoint": "thing"}]},
                      {"rule": "api/<int:ver>/things/special/", "endpoint": "special"}])
    assert report.findings == []


def test_rejecting_converter_never_dominates():
    from routecli.routing.django.converters import Converter

    def even(value):
        if int(value) % 2:
            raise ValueError
        return int(value)

    table = DjangoTable(patterns_from_data(
        [{"rule": "y/<even:year>/", "endpoint": "even"},
         {"rule": "y/<int:year>/", "endpoint": "any"}],
        {"even": Converter("even", "[0-9]+", even)}))
    assert lint_django(table).findings == []


def test_crossed_overlap_warns_with_the_shared_url():
    _, report = lint([{"rule": "<slug:entity>/me/", "endpoint": "mine"},
                      {"rule": "books/<slug:id>/", "endpoint": "book"}])
    assert codes(report) == [("RL304", "book", "/books/me/", "mine")]


@pytest.mark.parametrize("regex, url", [("anywhere/", "/aanywhere/"), ("^feed", "/feeda")])
def test_unanchored_re_path(regex, url):
    table, report = lint([{"regex": regex, "endpoint": "r"}])
    assert codes(report) == [("RL305", "r", url, "r")]
    assert table.match("GET", url).endpoint == "r"


def test_anchored_re_path_is_silent():
    _, report = lint([{"regex": "^feed/$", "endpoint": "r"}, {"regex": "x/$", "endpoint": "x"}])
    assert report.findings == []


def test_leading_slash():
    table, report = lint([{"rule": "/lead", "endpoint": "lead"}])
    assert codes(report) == [("RL306", "lead", "//lead", "lead")]
    assert table.match("GET", "/lead").status == 404


def test_append_slash_to_a_view_refusing_get():
    table, report = lint([{"rule": "login/", "endpoint": "login", "methods": ["POST"]}])
    assert [(f.code, f.witness.method, f.witness.url) for f in report.findings] == [
        ("RL307", "POST", "/login")]
    assert table.match("POST", "/login").status == 301
    assert table.match("GET", "/login/").status == 405
    _, report = lint([{"rule": "login/", "endpoint": "login", "methods": ["POST"]}],
                     append_slash=False)
    assert report.findings == []


# -- generated URLconfs: "dead" is never wrong ----------------------------------------

SEGMENTS = ["a", "b", "<int:n>", "<str:s>", "<slug:g>", "<path:p>", "x<int:k>"]
REGEXES = ["^a/$", "a/", "^a", "^(?P<n>[0-9]+)/$", "^([a-z]+)/$", "b/$", "^a/(?P<r>.*)$"]
PREFIXES = ["a/", "b/", "<int:m>/", "", "<path:w>/", "x<int:j>/"]
WORDS = ["a", "b", "1", "x1", "ab", ""]


@st.composite
def items(draw, depth=0):
    out = []
    for _ in range(draw(st.integers(0, 6 if depth == 0 else 3))):
        if depth < 2 and draw(st.integers(0, 4)) == 0:
            out.append({"include": draw(st.sampled_from(PREFIXES)),
                        "routes": draw(items(depth + 1))})
        elif draw(st.integers(0, 3)) == 0:
            out.append({"regex": draw(st.sampled_from(REGEXES)), "endpoint": "r"})
        else:
            parts = draw(st.lists(st.sampled_from(SEGMENTS), max_size=3, unique=True))
            out.append({"rule": "/".join(parts) + draw(st.sampled_from(["/", ""])),
                        "endpoint": "p"})
    return out


ALL_PATHS = ["/" + "/".join(p) + tail for n in range(4)
             for p in itertools.product(WORDS, repeat=n) for tail in ("", "/")]


@settings(max_examples=int(os.environ.get("ROUTECLI_DJANGO_EXAMPLES", "150")))
@given(items())
def test_dead_endpoints_never_answer(data):
    table, report = lint(data)
    dead = {f.routes[0].index for f in report.findings if f.code in ("RL301", "RL302", "RL303")}
    for path in ALL_PATHS:
        hit = table.resolve(path)
        assert hit is None or hit.endpoint.index not in dead, (path, hit)
