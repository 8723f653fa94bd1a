"""``url_for`` from text values (routecli/routing/werkzeug/url_for.py, docs/url.md).

The URL built from command-line strings must be the one Werkzeug's ``MapAdapter.build``
(what Flask's ``url_for`` calls) builds from the typed values a program would pass:
checked by hand on a few tables and differentially on hypothesis-generated ones
(tests/generated_tables.py, built in Flask by tests/flask_oracle.py).
"""

from __future__ import annotations

import uuid

import pytest
from generated_tables import (
    COMMON_SETTINGS,
    GENERIC_VALUES,
    VALUES,
    check_build_agreement,
    examples,
    tables,
)
from hypothesis import assume, event, given, note, settings
from hypothesis import strategies as st
from werkzeug.routing import BuildError

from helpers import table
from routecli.routing.werkzeug.converters import FloatConverter, IntConverter, UUIDConverter
from routecli.routing.werkzeug.url_for import build_url, typed_values

ROUTES = [
    ("/", "index"),
    ("/users/<int:id>", "user"),
    ("/all/", "all", {"defaults": {"page": 1}}),
    ("/all/page/<int:page>", "all"),
    ("/year/<int(fixed_digits=4):y>", "year"),
    ("/price/<float:p>", "price"),
    ("/item/<uuid:u>", "item"),
    ("/color/<any(red, blue):c>", "color"),
    ("/months/<int(min=1, max=12):m>", "month"),
    ("/form", "form", {"methods": ["GET"]}),
    ("/form/submit", "form", {"methods": ["POST"]}),
    ("/lang/", "lang", {"defaults": {"lang": "en"}}),
    ("/lang/<lang>", "lang"),
]


@pytest.mark.parametrize(("endpoint", "values", "url"), [
    ("user", {"id": "42"}, "/users/42"),
    ("user", {"id": "42", "q": "x y", "tag": ["a", "b"]}, "/users/42?q=x+y&tag=a&tag=b"),
    ("all", {"page": "1"}, "/all/"),            # "1" is the default 1, as url_for(page=1)
    ("all", {"page": "01"}, "/all/"),           # it reads as 1 too
    ("all", {"page": "3"}, "/all/page/3"),
    ("all", {}, "/all/"),
    ("year", {"y": "7"}, "/year/0007"),         # to_url of the integer 7
    ("price", {"p": "2"}, "/price/2.0"),        # url_for(p=2.0)
    ("item", {"u": "2B5B0911FDCF4DD2921B28ACE88DB8A0"},
     "/item/2b5b0911-fdcf-4dd2-921b-28ace88db8a0"),
    ("lang", {"lang": "en"}, "/lang/"),
    ("lang", {"lang": "fr"}, "/lang/fr"),
])
def test_text_values_build_what_typed_values_build(endpoint, values, url):
    answer = build_url(table(*ROUTES), endpoint, values)
    assert answer.url == url, answer.to_dict()
    assert answer.warning is None


def test_method_picks_the_rule_and_is_reported():
    t = table(*ROUTES)
    assert build_url(t, "form", {}).url == "/form"
    answer = build_url(t, "form", {}, "POST")
    assert (answer.url, answer.rule.rule, answer.to_dict()["method"]) == (
        "/form/submit", "/form/submit", "POST")


@pytest.mark.parametrize(("endpoint", "values", "method", "reasons"), [
    ("user", {"id": "abc"}, None, ["id='abc' is not an integer (<int:id>)"]),
    ("user", {}, None, ["needs id"]),
    ("user", {"id": ["1", "2"]}, None, ["id is given 2 times; the rule takes one value"]),
    ("price", {"p": "x"}, None, ["p='x' is not a number (<float:p>)"]),
    ("item", {"u": "nope"}, None, ["u='nope' is not a UUID (<uuid:u>)"]),
    ("form", {}, "PUT", ["does not accept PUT (accepts GET, HEAD, OPTIONS)",
                         "does not accept PUT (accepts OPTIONS, POST)"]),
])
def test_no_url_says_why_for_each_rule(endpoint, values, method, reasons):
    answer = build_url(table(*ROUTES), endpoint, values, method)
    assert answer.url is None
    assert answer.error == f"no rule of endpoint {endpoint!r} can build a URL from these values"
    assert [refusal.reason for refusal in answer.refusals] == reasons


def test_default_contradicted():
    t = table(("/p/", "p", {"defaults": {"page": 1}}))
    answer = build_url(t, "p", {"page": "2"})
    assert [r.reason for r in answer.refusals] == [
        "has the default page=1, which page='2' contradicts"]


def test_unknown_endpoint_suggests_close_ones():
    answer = build_url(table(*ROUTES), "usr", {})
    assert answer.url is None and answer.suggestions == ["user"]
    assert answer.error == "no endpoint 'usr' (did you mean 'user'?)"
    assert build_url(table(*ROUTES), "zzz", {}).suggestions == []


def test_converter_refusing_in_to_url_is_an_error_as_in_flask():
    answer = build_url(table(*ROUTES), "color", {"c": "green"})
    assert answer.url is None
    assert answer.error == "a converter refuses a value: 'green' is not one of 'blue', 'red'"


def test_url_that_does_not_route_back_gets_a_warning():
    # url_for does not check bounds: Flask builds /months/13, which answers 404.
    answer = build_url(table(*ROUTES), "month", {"m": "13"})
    assert answer.url == "/months/13"
    assert answer.warning == ("GET /months/13 is answered 404, not by 'month'; "
                              "Flask's url_for builds this URL all the same")
    shadowed = table(("/<name>", "page"), ("/<int:n>", "number"))
    assert "by endpoint 'number' (/<int:n>)" in build_url(shadowed, "page", {"name": "7"}).warning


def test_typed_values_per_rule():
    t = table(("/a/<int:x>", "e"), ("/b/<x>", "e"), ("/c/", "e", {"defaults": {"x": 1.5}}))
    assert [typed_values(rule, {"x": "2", "q": "1"}) for rule in t.rules] == [
        {"x": 2, "q": "1"}, {"x": "2", "q": "1"}, {"x": "2", "q": "1"}]
    assert typed_values(t.rules[2], {"x": "1.50"}) == {"x": 1.5}


def test_python_app_converter_types_the_value():
    flask = pytest.importorskip("flask")
    from werkzeug.routing import BaseConverter

    from routecli.routing.werkzeug.table import RouteTable
    from routecli.sources.python.flask_app import routeset_from_app

    class ListConverter(BaseConverter):
        def to_python(self, value):
            return value.split("+")

        def to_url(self, value):
            return "+".join(str(item).upper() for item in value)

    app = flask.Flask("lists", static_folder=None)
    app.url_map.converters["list"] = ListConverter
    app.add_url_rule("/tags/<list:tags>", "tags", lambda tags: "")
    t = RouteTable(routeset_from_app(app))
    with app.test_request_context():
        expected = flask.url_for("tags", tags=["a", "b"])
    assert build_url(t, "tags", {"tags": "a+b"}).url == expected == "/tags/A+B"


# --------------------------------------------------------------------------------------
# Differential: generated tables, Werkzeug's MapAdapter.build on the typed values
# --------------------------------------------------------------------------------------

METHODS = [None, None, None, "GET", "POST", "PUT"]


def value_type(converter):
    for kind, name in ((IntConverter, "int"), (FloatConverter, "float"), (UUIDConverter, "uuid")):
        if isinstance(converter, kind):
            return name
    return "str"


def expected_types(rules, key: str) -> set[str]:
    """The Python type(s) a program would pass for ``key`` to these rules."""
    types = set()
    for rule in rules:
        if key in rule.converters:
            types.add(value_type(rule.converters[key]))
        elif key in (rule.defaults or {}):
            default = rule.defaults[key]
            types.add({int: "int", float: "float"}.get(type(default), "str"))
    return types


def as_type(kind: str, text: str):
    return {"int": int, "float": float, "uuid": uuid.UUID, "str": str}[kind](text)


@st.composite
def url_requests(draw, generated, ours):
    endpoints = sorted(ours.rules_by_endpoint)
    endpoint = draw(st.sampled_from([*endpoints, "nope"]))
    rules = ours.rules_by_endpoint.get(endpoint, [])
    keys = sorted({k for r in rules for k in (*r.converters, *(r.defaults or {}))})
    chosen = draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []
    values: dict[str, str] = {}
    for key in chosen:
        pools = [VALUES[value_type(r.converters[key]) if value_type(r.converters[key]) in VALUES
                        else "string"] for r in rules if key in r.converters]
        pools += [[str(r.defaults[key])] for r in rules if key in (r.defaults or {})]
        pools.append(GENERIC_VALUES)
        values[key] = draw(st.sampled_from(draw(st.sampled_from(pools))))
    if draw(st.booleans()):
        values["q"] = draw(st.sampled_from(["1", "a b", "é/?"]))
    return endpoint, values, draw(st.sampled_from(METHODS)), draw(st.booleans())


def werkzeug_build(adapter, endpoint, values, method, external):
    try:
        return adapter.build(endpoint, values, method, force_external=external)
    except BuildError:
        return None
    except ValueError:  # a converter's to_url refused the value
        return "ValueError"


@settings(max_examples=examples(300), **COMMON_SETTINGS)
@given(generated=st.sampled_from(["plain", "plain", "subdomain", "host"]).flatmap(tables),
       data=st.data())
def test_url_for_text_agrees_with_werkzeug_build(generated, data):
    oracle, ours = check_build_agreement(generated.data)
    assume(oracle is not None)
    # No host: the server name (and default subdomain), as url_for outside a request.
    host = "example.com" if generated.scenario == "host" else None
    adapter = oracle.app.url_map.bind("localhost" if generated.scenario == "plain"
                                      else "example.com")
    for _ in range(5):
        endpoint, values, method, external = data.draw(url_requests(generated, ours))
        note(f"url {endpoint} {values} method={method} external={external}")
        typed = {}
        for key, text in values.items():
            kinds = expected_types(ours.rules_by_endpoint.get(endpoint, []), key) or {"str"}
            if len(kinds) > 1:
                event("skipped: the rules take different types for one value")
                break
            try:
                typed[key] = as_type(kinds.pop(), text)
            except ValueError:
                event("skipped: a value no program could pass as its type")
                break
            if str(typed[key]) != text:
                # "007" for 7: the query string keeps the text as typed.
                event("skipped: a value not written as str() writes its typed value")
                break
        else:
            expected = werkzeug_build(adapter, endpoint, typed, method, external)
            answer = build_url(ours, endpoint, values, method, host, force_external=external)
            got = answer.url
            if got is None and answer.error.startswith("a converter refuses"):
                got = "ValueError"
            assert got == expected, answer.to_dict()
            event("built" if got not in (None, "ValueError") else f"no URL: {got}")
