"""The table's generated ``match`` (routecli/routing/werkzeug/codegen.py, docs/performance.md)
answers as the general path and as Flask, three ways at once, on random tables.

The generated ``match`` takes every plain request (a path on the default host: no query,
no escapes) on its own: static paths, the search, 404s (a path starting with no prefix a
route could answer is a 404 without any search), 405s, and it hands redirects, defaults
and refusing converters to the general path. Each request here is answered by
``table.match`` (the generated code, in each of its forms: the whole table written out,
subtrees compiled at once, subtrees walked), by ``RouteTable.match(table, ...)`` (the
general path) and by Flask, and the three must agree.
"""

from __future__ import annotations

import pytest
from generated_tables import (
    COMMON_SETTINGS,
    REQUEST_METHODS,
    WORDS,
    check_build_agreement,
    examples,
    request_paths,
    tables,
)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from flask_oracle import FlaskOracle, comparable
from routecli import RouteTable
from routecli.routing.werkzeug import codegen, prefixes

FIELDS = ("method", "url", "path", "host", "status", "rule", "args", "allowed_methods",
          "location", "redirect", "automatic_options", "reason")
# (EAGER_STATES, COMPILE_AFTER, WIDE_STATE); "wide": every state too wide to write out.
MODES = {"eager": (codegen.EAGER_STATES, 0, codegen.WIDE_STATE),
         "compiled": (0, 0, codegen.WIDE_STATE), "walked": (0, 10**9, codegen.WIDE_STATE),
         "wide": (codegen.EAGER_STATES, 0, 0)}


@pytest.fixture(params=list(MODES))
def mode(request):
    """The generated code's forms (EAGER_STATES, COMPILE_AFTER, WIDE_STATE), restored
    after."""
    saved = codegen.EAGER_STATES, codegen.COMPILE_AFTER, codegen.WIDE_STATE
    codegen.EAGER_STATES, codegen.COMPILE_AFTER, codegen.WIDE_STATE = MODES[request.param]
    yield request.param
    codegen.EAGER_STATES, codegen.COMPILE_AFTER, codegen.WIDE_STATE = saved


@st.composite
def plain_paths(draw, table) -> str:
    """A path the generated ``match`` takes: a route's, one of words (mostly a 404), or a
    route's path cut or changed (a 404 close to a prefix, a redirect, a 405)."""
    route = draw(st.sampled_from(table.routes))
    path = draw(request_paths(route.shape))
    kind = draw(st.integers(0, 5))
    if kind == 0:
        path = "/" + "/".join(draw(st.lists(st.sampled_from(WORDS), max_size=3)))
    elif kind == 1 and len(path) > 1:
        path = path[:draw(st.integers(1, len(path) - 1))]
    elif kind == 2:
        path += draw(st.sampled_from(["x", "/", "/x", "0"]))
    return path


def assert_three_agree(oracle, tbl, method: str, path: str) -> None:
    fast = tbl.match(method, path)
    general = RouteTable.match(tbl, method, path)
    for name in FIELDS:
        assert getattr(fast, name) == getattr(general, name), (name, method, path)
    expected = oracle.match(method, path)
    if expected["status"] != 500:
        assert comparable(fast.to_dict()) == comparable(expected), (method, path)


@settings(max_examples=examples(60), deadline=None,
          suppress_health_check=[*COMMON_SETTINGS["suppress_health_check"],
                                 HealthCheck.function_scoped_fixture])  # the mode is fixed
@given(data=st.data())
def test_generated_match_general_match_and_flask_agree(mode, data):
    generated = data.draw(tables("plain", max_routes=8))
    oracle, tbl = check_build_agreement(generated.data)
    assume(tbl is not None)
    for _ in range(10):
        path = data.draw(plain_paths(generated))
        method = data.draw(st.sampled_from(REQUEST_METHODS))
        assert_three_agree(oracle, tbl, method, path)


TABLE = {"routes": [
    {"rule": "/api/v1/users", "endpoint": "users", "methods": ["GET", "POST"]},
    {"rule": "/api/v1/users/<int:id>", "endpoint": "user", "methods": ["GET", "PUT"]},
    {"rule": "/api/v1/users/<int:id>/<name>", "endpoint": "named"},
    {"rule": "/docs/", "endpoint": "docs"},
    {"rule": "/pages/about.html", "endpoint": "about"},
    {"rule": "/old/<x>", "endpoint": "old", "redirect_to": "/pages/about.html"},
]}


@pytest.mark.parametrize("path", [
    "/api/v1/users", "/api/v1/users/7", "/api/v1/users/7/ann", "/api/v1/users/x",
    "/api/v10/users", "/api/v1", "/api/v1/", "/api", "/apix", "/docs", "/docs/",
    "/docs/x", "/pages/about.html", "/pages/about.htm", "/pages", "/old/a", "/old",
    "/old/", "/old//a", "/old0", "/nothing", "/", "/api//v1/users", "/api/v1//users/7",
    "/Api/v1/users"])
@pytest.mark.parametrize("method", ["GET", "PATCH", "OPTIONS", "get"])
def test_prefix_rejection_and_its_neighbours(mode, method, path):
    """Requests next to the prefixes (``/api/v1``, ``/docs``, ``/pages/about.html``,
    ``/old/``, which has no rule of its own): one character more or less, a branch rule's
    redirect, merged slashes."""
    tbl = RouteTable.from_data(TABLE)
    assert set(prefixes.answerable_prefixes(tbl._plain_start)) == {
        "/docs", "/old/", "/api/v1/users", "/pages/about.html"}
    assert_three_agree(FlaskOracle(TABLE), tbl, method, path)


def test_a_404_without_a_candidate_prefix_is_not_searched(mode, monkeypatch):
    tbl = RouteTable.from_data(TABLE)

    def no_search(*args):
        raise AssertionError("searched")

    monkeypatch.setattr(tbl, "_plain_answer", no_search)
    assert tbl.match("GET", "/nothing/here").status == 404
    assert tbl.match("GET", "/api/v2/users").status == 404


def test_no_prefixes_when_the_root_takes_anything():
    tbl = RouteTable.from_data({"routes": [{"rule": "/<page>", "endpoint": "page"},
                                           {"rule": "/a/b", "endpoint": "ab"}]})
    assert prefixes.answerable_prefixes(tbl._plain_start) is None
    assert tbl.match("GET", "/zzz").endpoint == "page"


# The generated ``match`` splits and searches a path before it knows the path is plain:
# a match through static texts and decimal values only cannot hold "?", "#" or "%", any
# other answer checks first and leaves a path that is not plain to the general path.
NOT_PLAIN_TABLE = {"routes": [
    {"rule": "/api/v1/users/<int:id>", "endpoint": "user", "methods": ["GET"]},
    {"rule": "/api/v1/users/<int:id>/<name>", "endpoint": "named"},
    {"rule": "/api/v1/files/<path:p>", "endpoint": "file"},
    {"rule": "/api/v1/100%/<int:n>", "endpoint": "percent"},
    {"rule": "/api/v1/<any(a, b):k>/x", "endpoint": "any"},
    {"rule": "/api/v1/q?/<int:n>", "endpoint": "question"},
    *({"rule": f"/wide/w{i}/<int:n>", "endpoint": f"w{i}"} for i in range(10)),
    {"rule": "/wide/w0/<int:n>/<name>", "endpoint": "wide_named"},
    {"rule": "/u/<name>/", "endpoint": "branch"},
    {"rule": "/wide/50%/<int:n>", "endpoint": "wide_percent"},
    {"rule": "/docs/", "endpoint": "docs"},
    {"rule": "/loose", "endpoint": "loose", "strict_slashes": False},
    {"rule": "/old/<x>", "endpoint": "old", "redirect_to": "/docs/"},
    {"rule": "/dflt/<int:n>", "endpoint": "dflt", "defaults": {"k": 1}},
]}


@pytest.mark.parametrize("path", [
    "/api/v1/users/7", "/api/v1/users/7?x=1", "/api/v1/users/7#f", "/api/v1/users/%37",
    "/api/v1/users/7/ann", "/api/v1/users/7/a?b", "/api/v1/users/7/a%20b",
    "/api/v1/users/7/a#b", "/api/v1/users/7?/ann", "/api/v1/users/7/?x", "/api/v1/users?x",
    "/api/v1/files/a/b", "/api/v1/files/a/b?c", "/api/v1/files/a%2Fb", "/api/v1/files/a#/b",
    "/api/v1/100%/3", "/api/v1/100%25/3", "/api/v1/a/x", "/api/v1/a/x?y", "/api/v1/%61/x",
    "/api/v1/q?/3", "/api/v1/q%3F/3", "/wide/w3/4", "/wide/w3/4?", "/wide/50%/4",
    "/wide/50%25/4", "/wide/w%33/4", "/wide/w0/4/a", "/wide/w0/4/a?b", "/wide/w0/4/a%20b",
    "/wide/w0/4/a#b", "/u/a", "/u/a/", "/u/a?x", "/u/a%20b", "/u/a#x", "/u/a?x/", "/docs",
    "/docs?x", "/docs#x", "/docs%2F", "/loose/",
    "/loose/?x", "/loose?x/", "/old/a", "/old/a?b", "/old/%61", "/dflt/3", "/dflt/3?k=2",
    "/dflt/%33", "/nothing?x", "/nothing%", "/api/v1/users/7%"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_paths_that_are_not_plain_take_the_general_path(mode, method, path):
    tbl = RouteTable.from_data(NOT_PLAIN_TABLE)
    assert_three_agree(FlaskOracle(NOT_PLAIN_TABLE), tbl, method, path)


# Found by the hypothesis test above (the fast path answered 404, Flask and the general
# path 405): a rule the search passed over for its methods counts when a later rule of the
# same state, which the general path finishes (a redirect here), has its converter refuse.
PASSED_OVER_TABLE = {"settings": {"automatic_options": False}, "routes": [
    {"rule": "/<int(max=10):a>", "endpoint": "e1", "methods": ["PATCH", "PUT"]},
    {"rule": "/<int(max=10):a>", "endpoint": "e4", "strict_slashes": False,
     "redirect_to": "http://elsewhere.org/<a>"},
    {"rule": "/w/<int(max=10):a>", "endpoint": "ws", "websocket": True},
    {"rule": "/w/<int(max=10):a>", "endpoint": "w4", "strict_slashes": False,
     "redirect_to": "http://elsewhere.org/<a>"},
]}


@pytest.mark.parametrize("path", ["/42", "/4", "/42/", "/w/42", "/w/4", "/w/42/"])
@pytest.mark.parametrize("method", ["GET", "PUT", "get"])
def test_rules_passed_over_for_their_methods_count_when_a_later_one_refuses(mode, method,
                                                                           path):
    tbl = RouteTable.from_data(PASSED_OVER_TABLE)
    tbl.match(method, path)  # the first request of a method takes the general path
    assert_three_agree(FlaskOracle(PASSED_OVER_TABLE), tbl, method, path)


# A 405 recorded at the end of static texts and decimal values is answered at once (the
# path is plain and holds no "//"), unless an empty text (a rule keeping "//") was on the
# way: the general path then looks for the merged path's rules, as Flask does.
EMPTY_TEXT_TABLE = {"routes": [
    {"rule": "/c//d", "endpoint": "cd2", "methods": ["GET"], "merge_slashes": False},
    {"rule": "/c/d", "endpoint": "cd", "methods": ["POST"]},
    {"rule": "/g/<int:n>//h", "endpoint": "gh2", "methods": ["GET"], "merge_slashes": False},
    {"rule": "/g/<int:n>/h", "endpoint": "gh", "methods": ["POST"]},
    {"rule": "/g/<int:n>/<name>", "endpoint": "gname", "methods": ["PUT"]},
]}


@pytest.mark.parametrize("path", ["/c//d", "/c/d", "/c//d/", "/g/5//h", "/g/5/h", "/g//5//h",
                                  "/g/5/ab", "/g/5/a%62"])
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH"])
def test_a_405_on_a_path_that_kept_a_doubled_slash(mode, method, path):
    tbl = RouteTable.from_data(EMPTY_TEXT_TABLE)
    assert_three_agree(FlaskOracle(EMPTY_TEXT_TABLE), tbl, method, path)
