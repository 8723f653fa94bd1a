"""What the Flask differential (test_flask_client.py) leaves out, against Flask and
Werkzeug themselves:

* **websocket rules** next to HTTP rules, requested over ``ws://``/``wss://`` and
  ``http://`` (Werkzeug's 400 for a websocket mismatch, its ``ws`` redirects);
* **converter arguments** at their edges: signed ``int``/``float`` with bounds,
  ``fixed_digits=1``, ``string(length=1)``, ``any`` with dotted and non-ASCII members,
  bounds that no value can meet;
* **URL building with typed values** (what a program passes to ``url_for``): ints for
  string converters, floats, ``UUID`` objects, lists and ``None`` for query values,
  text with ``/ % ? # & +`` and spaces, every ``method``, ``force_external``,
  ``append_unknown`` off and ``url_scheme``, on plain, subdomain and host-matching maps
  (``table.build`` against ``MapAdapter.build``).

Scale with ROUTECLI_DIFF_EXAMPLES (as the other generated tests).
"""

from __future__ import annotations

import json
import uuid

import generated_tables as gen
import pytest
from generated_tables import (
    COMMON_SETTINGS,
    GenRoute,
    Request,
    Shape,
    Table,
    Var,
    check_build_agreement,
    examples,
    requests_for,
    routecli_table,
    short,
    tables,
)
from hypothesis import assume, event, given, note, settings
from hypothesis import strategies as st
from werkzeug.routing import BuildError, Map, Rule

from flask_oracle import FlaskOracle, comparable

EDGE_CONVERTERS = {
    "int(min=-5, signed=True)": "int",
    "int(max=0)": "int",
    "int(min=10, max=2)": "int",
    "int(fixed_digits=1)": "int",
    "int(signed=True, max=-1)": "int",
    "float(min=1.5, signed=True)": "float",
    "float(max=0.5)": "float",
    "float(signed=True, min=-1.0, max=1.0)": "float",
    "string(length=1)": "string",
    "string(minlength=1, maxlength=1)": "string",
    "string(maxlength=0)": "string",
    "default(minlength=3)": "string",
    "any('a', 'a.b', 'é')": "any-edge",
    "any(x)": "any",
    "path": "path",
    "uuid": "uuid",
}
# Custom converters at their edges: groups inside the regex, part_isolating said
# explicitly (against what the regex suggests), a low weight.
EDGE_CUSTOM = {
    "alt": {"regex": "(?:a|b)+"},
    "grp": {"regex": "(x|y)z"},
    "wide": {"regex": "[a-z]+/[a-z]+", "part_isolating": True},
    "narrow": {"regex": "[a-z]+", "part_isolating": False},
    "dotty": {"regex": "[^/]+\\.[a-z]+", "weight": 10},
}
EDGE_CONVERTERS.update({"alt": "custom-edge", "grp": "custom-edge", "wide": "twoseg",
                        "narrow": "custom-edge", "dotty": "custom-edge"})
gen.CONVERTERS.update(EDGE_CONVERTERS)  # their value families (for the requests)
gen.VALUES.setdefault("any-edge", ["a", "a.b", "é", "axb", "%C3%A9", "A"])
gen.VALUES.setdefault("custom-edge", ["ab", "abba", "xz", "yz", "a.json", "a.b.c", "ab/cd"])
ALL_CONVERTERS = sorted(gen.CONVERTERS)


@st.composite
def edged(draw, route: GenRoute) -> GenRoute:
    """The route with some of its converters swapped for edge ones."""
    segments = tuple(
        tuple(Var(draw(st.sampled_from(ALL_CONVERTERS)), p.name)
              if isinstance(p, Var) and draw(st.booleans()) else p for p in seg)
        for seg in route.shape.segments)
    shape = Shape(segments, route.shape.trailing)
    return GenRoute(shape, {**route.data, "rule": shape.render()})


@st.composite
def wide_tables(draw, scenario: str) -> Table:
    table = draw(tables(scenario))
    routes = [draw(edged(r)) for r in table.routes]
    for route in routes:
        if draw(st.integers(0, 6)) == 0:
            route.data["websocket"] = True
            if draw(st.booleans()):
                route.data["methods"] = draw(st.sampled_from([["GET"], [], ["GET", "POST"]]))
    if draw(st.integers(0, 5)) == 0:  # a websocket twin of an HTTP rule
        twin = draw(st.sampled_from(routes))
        routes.insert(draw(st.integers(0, len(routes))),
                      GenRoute(twin.shape, {"rule": twin.data["rule"], "endpoint": "ws",
                                            "websocket": True}))
    data = {**table.data, "routes": [r.data for r in routes]}
    if "converters" in data:
        data["converters"] = {**data["converters"], **EDGE_CUSTOM}
    else:  # the edge converters' names are unknown: Flask refuses, routecli must too
        known = [r for r in routes if not any(v.conv in EDGE_CUSTOM for v in r.shape.variables)]
        routes = known or routes
        data["routes"] = [r.data for r in routes]
    return Table(scenario, routes, data)


@st.composite
def wide_requests(draw, table: Table, oracle) -> Request:
    req = draw(requests_for(table))
    if draw(st.integers(0, 2)) == 0:
        scheme = draw(st.sampled_from(["ws", "wss", "ws", "https"]))
        url = req.url
        if "://" in url:
            url = url.split("://", 1)[1]
            url = url[url.find("/"):] if "/" in url else "/"
        host = req.host or oracle.default_host()
        if url.startswith("//"):
            url = url[1:]
        return Request(req.method, f"{scheme}://{host}{url}", None)
    return req


def check(table: Table, data) -> None:
    note(f"table: {json.dumps(table.data, ensure_ascii=False)}")
    oracle, ours = check_build_agreement(table.data)
    assume(oracle is not None)
    for _ in range(10):
        req = data.draw(wide_requests(table, oracle))
        expected = oracle.match(req.method, req.url, host=req.host)
        if expected["status"] == 500:
            event("excluded: Flask 500")
            continue
        got = ours.match(req.method, req.url, host=req.host).to_dict()
        assert comparable(got) == comparable(expected), (
            f"{req}\n  flask:    {short(expected)}\n  routecli: {short(got)}")
        event(f"status {expected['status']}")


@settings(max_examples=examples(300), **COMMON_SETTINGS)
@given(table=st.sampled_from(["plain", "plain", "subdomain", "host"]).flatmap(wide_tables),
       data=st.data())
def test_websockets_and_edge_converters_answer_like_flask(table, data):
    check(table, data)


# --------------------------------------------------------------------------------------
# Building with typed values
# --------------------------------------------------------------------------------------

TYPED_VALUES = [0, 7, -3, 10, 1.5, -0.5, 2.0, "a", "a/b", "a b", "é", "x?y#z", "50%", "a&b=c",
                "a+b", "", uuid.UUID("2b5b0911-fdcf-4dd2-921b-28ace88db8a0"), True, "new",
                "edit", "a.b", "/lead", ["1", "2"], ("x", None), None]


def werkzeug_build(adapter, endpoint, values, method, external, append, scheme):
    try:
        return adapter.build(endpoint, values, method, force_external=external,
                             append_unknown=append, url_scheme=scheme)
    except BuildError:
        return None
    except (ValueError, TypeError, AttributeError):  # a converter's to_url raised
        return "refused"  # the type is left open: a list for an `any` is TypeError here


def routecli_build(ours, endpoint, values, method, host, external, append, scheme):
    try:
        return ours.build(endpoint, values, method, host, force_external=external,
                          append_unknown=append, url_scheme=scheme)
    except (ValueError, TypeError, AttributeError):
        return "refused"


@st.composite
def build_calls(draw, ours):
    endpoints = sorted(ours.rules_by_endpoint)
    endpoint = draw(st.sampled_from([*endpoints, "nope"]))
    rules = ours.rules_by_endpoint.get(endpoint, [])
    keys = sorted({k for r in rules for k in (*r.converters, *(r.defaults or {}))})
    values = {key: draw(st.sampled_from(TYPED_VALUES))
              for key in (draw(st.lists(st.sampled_from(keys), unique=True)) if keys else [])}
    if draw(st.booleans()):
        values[draw(st.sampled_from(["q", "page", "lang"]))] = draw(st.sampled_from(
            TYPED_VALUES))
    return (endpoint, values, draw(st.sampled_from([None, None, "GET", "POST", "PUT", "HEAD"])),
            draw(st.booleans()), draw(st.sampled_from([True, True, False])),
            draw(st.sampled_from([None, None, "https", "ws"])))


@settings(max_examples=examples(300), **COMMON_SETTINGS)
@given(table=st.sampled_from(["plain", "plain", "subdomain", "host"]).flatmap(wide_tables),
       data=st.data())
def test_typed_values_build_what_werkzeug_builds(table, data):
    note(f"table: {json.dumps(table.data, ensure_ascii=False)}")
    oracle, ours = check_build_agreement(table.data)
    assume(oracle is not None)
    server = "localhost" if table.scenario == "plain" else "example.com"
    host = "example.com" if table.scenario == "host" else None
    default_subdomain = table.data["settings"].get("default_subdomain")
    if table.scenario == "subdomain" and default_subdomain:
        host = f"{default_subdomain}.example.com"  # where Map.bind(server) binds
    adapter = oracle.app.url_map.bind(server)
    for _ in range(6):
        endpoint, values, method, external, append, scheme = data.draw(build_calls(ours))
        note(f"build {endpoint} {values!r} method={method} external={external} "
             f"append_unknown={append} url_scheme={scheme}")
        expected = werkzeug_build(adapter, endpoint, dict(values), method, external, append,
                                  scheme)
        got = routecli_build(ours, endpoint, dict(values), method, host, external, append,
                             scheme)
        assert got == expected
        event("built" if expected and "/" in expected else f"no URL: {expected}")



# --------------------------------------------------------------------------------------
# Regressions the wide generators found
# --------------------------------------------------------------------------------------


def test_an_alias_redirect_from_a_websocket_request_to_an_http_rule_is_http():
    """Werkzeug builds an HTTP rule's URL with http(s) even when bound to ws(s)."""
    data = {"routes": [{"rule": "/a/", "endpoint": "e0", "defaults": {"page": 1}},
                       {"rule": "/", "endpoint": "e0", "defaults": {"page": 1}, "alias": True,
                        "websocket": True}]}
    oracle, ours = FlaskOracle(data), routecli_table(data)
    for url in ("ws://localhost/", "wss://localhost/?q=1"):
        expected = oracle.match("GET", url)
        assert expected["location"].startswith("http")
        assert comparable(ours.match("GET", url).to_dict()) == comparable(expected)


@pytest.mark.parametrize("scheme", ["ws", "wss", "", "ftp", "https", None])
@pytest.mark.parametrize("external", [False, True])
def test_build_picks_the_scheme_as_werkzeug_does(scheme, external):
    """url_scheme="ws" builds an HTTP rule as http://, "" as a scheme-relative //host."""


    data = {"routes": [{"rule": "/h", "endpoint": "h"},
                       {"rule": "/w", "endpoint": "w", "websocket": True}]}
    ours = routecli_table(data)
    adapter = Map([Rule("/h", endpoint="h"), Rule("/w", endpoint="w", websocket=True)]
                  ).bind("localhost")
    for endpoint in ("h", "w"):
        expected = adapter.build(endpoint, {"x": "1"}, force_external=external,
                                 url_scheme=scheme)
        assert ours.build(endpoint, {"x": "1"}, force_external=external,
                          url_scheme=scheme) == expected
