"""URL building (routecli/routing/werkzeug/building.py through ``RouteTable.build``): every
answer compared with Werkzeug's ``Map(...).bind(...).build(...)`` (docs/api.md): defaults,
unknown values as the query string, each converter's ``to_url``, method choice, subdomains,
host matching, websockets, and rules that cannot be built."""

import uuid

import pytest
from werkzeug.routing import BuildError, Map, Rule

from helpers import table
from routecli.routing.werkzeug import building
from routecli.routing.werkzeug.table import RouteTable

ROUTES = [
    ("/", "index"),
    ("/users/<int:id>", "user"),
    ("/all/", "all", {"defaults": {"page": 1}}),
    ("/all/page/<int:page>", "all"),
    ("/year/<int(fixed_digits=4):y>", "year"),
    ("/price/<float:p>", "price"),
    ("/item/<uuid:u>", "item"),
    ("/files/<path:name>", "files"),
    ("/color/<any(red, 'blue sky'):c>", "color"),
    ("/text/<t>", "text"),
    ("/len/<string(length=2):code>", "code"),
    ("/form", "form", {"methods": ["GET"]}),
    ("/form/submit", "form", {"methods": ["POST"]}),
    ("/alias/<int:n>", "aliased", {"alias": True}),
    ("/canonical/<int:n>", "aliased"),
    ("/ws", "socket", {"websocket": True}),
    ("/fixed/<n>", "fixed", {"defaults": {"n": 1}}),
]

SUBDOMAIN_ROUTES = [
    ("/", "home"),
    ("/", "api", {"subdomain": "api"}),
    ("/t/<int:n>", "tenant", {"subdomain": "<tenant>"}),
]

HOST_ROUTES = [
    ("/", "main", {"host": "example.com"}),
    ("/s/<name>", "static", {"host": "static.example.com"}),
    ("/u", "user_host", {"host": "<user>.example.com"}),
]


def werkzeug_map(routes, **settings) -> Map:
    return Map([Rule(rule, endpoint=endpoint, **(rest[0] if rest else {}))
                for rule, endpoint, *rest in routes], **settings)


def werkzeug_build(adapter, endpoint, values=None, method=None, **options):
    try:
        return adapter.build(endpoint, values, method, **options)
    except BuildError:
        return None
    except ValueError as error:  # a converter's to_url refused the value
        return ("ValueError", str(error))


def routecli_build(t, endpoint, values=None, method=None, **options):
    try:
        return t.build(endpoint, values, method, **options)
    except ValueError as error:
        return ("ValueError", str(error))


VALUE_CASES = [
    ("index", {}),
    ("user", {"id": 42}),
    ("user", {"id": 42, "q": "x y", "tags": ["a", "b"], "gone": None, "n": 0}),
    ("user", {}),  # a missing variable: nothing builds
    ("all", {"page": 1}),  # the default picks the defaults rule
    ("all", {"page": 3}),
    ("all", {}),
    ("year", {"y": 7}),
    ("price", {"p": 1.5}),
    ("item", {"u": uuid.UUID("2b5b0911-fdcf-4dd2-921b-28ace88db8a0")}),
    ("files", {"name": "a/b c/ä?#%"}),
    ("color", {"c": "blue sky"}),
    ("color", {"c": "green"}),  # any's to_url raises, as in Werkzeug
    ("text", {"t": "ä/?#&=+ !$'()*,;:@"}),
    ("code", {"code": "abc"}),
    ("aliased", {"n": 3}),  # the alias is not preferred
    ("socket", {}),
    ("fixed", {}),  # a defaulted variable is filled from the default...
    ("fixed", {"n": 1.0}),  # ...even when an equal value is given
    ("fixed", {"n": 2}),
    ("nope", {}),
]


@pytest.mark.parametrize(("endpoint", "values"), VALUE_CASES)
def test_build_like_werkzeug(endpoint, values):
    t = table(*ROUTES)
    adapter = werkzeug_map(ROUTES).bind("localhost")
    assert routecli_build(t, endpoint, values) == werkzeug_build(adapter, endpoint, values)


@pytest.mark.parametrize("options", [
    {"force_external": True},
    {"url_scheme": "https"},
    {"append_unknown": False},
    {"url_scheme": "https", "force_external": True},
])
@pytest.mark.parametrize(("endpoint", "values"), [
    ("user", {"id": 1, "q": "1"}), ("socket", {}), ("files", {"name": "x/y"})])
def test_build_options_like_werkzeug(endpoint, values, options):
    t = table(*ROUTES)
    adapter = werkzeug_map(ROUTES).bind("localhost")
    assert t.build(endpoint, values, **options) == werkzeug_build(
        adapter, endpoint, values, **options)


@pytest.mark.parametrize("method", [None, "GET", "POST", "HEAD", "PUT"])
def test_build_picks_the_rule_for_the_method(method):
    t = table(*ROUTES)
    adapter = werkzeug_map(ROUTES).bind("localhost")
    assert t.build("form", {}, method) == werkzeug_build(adapter, "form", {}, method)


@pytest.mark.parametrize("host", [None, "example.com", "api.example.com", "acme.example.com"])
@pytest.mark.parametrize(("endpoint", "values"), [
    ("home", {}), ("api", {}), ("tenant", {"n": 1, "tenant": "acme"}), ("tenant", {"n": 1})])
def test_build_across_subdomains_like_werkzeug(host, endpoint, values):
    t = table(*SUBDOMAIN_ROUTES, server_name="example.com")
    subdomain = host[: -len(".example.com")] if host and host != "example.com" else None
    adapter = werkzeug_map(SUBDOMAIN_ROUTES).bind("example.com", subdomain=subdomain)
    assert t.build(endpoint, values, host=host) == werkzeug_build(adapter, endpoint, values)


@pytest.mark.parametrize("host", ["example.com", "static.example.com", "bob.example.com"])
@pytest.mark.parametrize(("endpoint", "values"), [
    ("main", {}), ("static", {"name": "a.css"}), ("user_host", {"user": "bob"}),
    ("user_host", {})])
def test_build_with_host_matching_like_werkzeug(host, endpoint, values):
    t = table(*HOST_ROUTES, host_matching=True)
    adapter = werkzeug_map(HOST_ROUTES, host_matching=True).bind(host)
    assert t.build(endpoint, values, host=host) == werkzeug_build(adapter, endpoint, values)


def test_build_by_hand():
    # The oracle's answers for a few cases, written out.
    t = table(*ROUTES)
    assert t.build("user", {"id": 42, "q": "x y", "gone": None}) == "/users/42?q=x+y"
    assert t.build("all", {"page": 1}) == "/all/"
    assert t.build("year", {"y": 7}) == "/year/0007"
    assert t.build("files", {"name": "a/b c"}) == "/files/a/b%20c"
    assert t.build("socket", {}) == "ws://localhost/ws"
    assert t.build("user", {}) is None


def test_unknown_values_query_and_suitable():
    rule = RouteTable.from_data({"routes": [
        {"rule": "/<int:n>", "endpoint": "e", "defaults": {"k": "v"}}]}).rules[0]
    assert building.unknown_values_query(rule, {"n": 1, "k": "v", "a": [1, None, "x/y"],
                                                "b": None, "c": "é"}) == "a=1&a=x/y&c=%C3%A9"
    assert building.suitable(rule, {"n": 1}, None)
    assert not building.suitable(rule, {"n": 1, "k": "other"}, None)  # defaults must agree
    assert not building.suitable(rule, {}, None)
    assert not building.suitable(rule, {"n": 1}, "POST")  # GET, HEAD, OPTIONS only
    assert building.build_rule(rule, {"n": 5}) == ("", "/5")
