"""Differential tests: routecli on a Flask app answers what ``app.url_map`` answers.

Real apps (tests/fixtures_apps/: blueprints, nested blueprints, custom converters with
and without ``to_python``/``ValidationError``, part_isolating=False converters, host
matching, SERVER_NAME + subdomain matching, ``redirect_to`` strings and callables,
defaults and ``redirect_defaults``, non-strict rules, explicit OPTIONS,
``provide_automatic_options=False``, the static route, map settings changed after the
static rule was added) are loaded through :mod:`routecli.sources.python` and asked many
requests, derived from their rules and then mutated; Flask's answer comes from the app
itself (``test_request_context(...).match_request()``, i.e. ``create_url_adapter`` +
``bind_to_environ`` + ``match``, exactly what a request goes through).

The hypothesis tables of tests/generated_tables.py are run through Flask apps too
(built by tests/flask_oracle.py), loaded with and without the ``Map.add`` recording, so
both ways of recovering the rule order are held to Flask's answers.

Scale: ``ROUTECLI_DIFF_EXAMPLES=N`` multiplies the work like in test_flask_client.py.
"""

from __future__ import annotations

import os
import random
import re
import uuid
import warnings
from urllib.parse import quote, urlsplit

import generated_tables as generated
import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import RequestRedirect
from werkzeug.routing import converters as wz
from werkzeug.sansio.utils import get_host

from fixtures_apps import blueprint_views, hosts_app, kitchen_sink, subdomains_app
from flask_oracle import FlaskOracle, comparable
from routecli.routing.werkzeug.syntax import Slash, Static, Variable, tokenize
from routecli.routing.werkzeug.table import RouteTable
from routecli.sources.python.flask_app import routeset_from_app
from routecli.sources.python.registration_order import record_rule_order, rule_order

SCALE = max(1, int(os.environ.get("ROUTECLI_DIFF_EXAMPLES", "0")) // 100)
PATH_SAFE = "/!$&'()*+,;=:@~"


# ------------------------------------------------------------------------------- the oracle


def flask_answer(app, method: str, path: str, host: str, scheme: str = "http",
                 query: str = "") -> dict:
    """What Flask's routing answers for a request whose decoded path is ``path``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Current server name doesn't match configured"
        ctx = app.test_request_context(
            base_url=f"{scheme}://{host}", method=method, query_string=query,
            environ_overrides={"PATH_INFO": path.encode("utf-8").decode("latin-1")},
        )
        ctx.match_request()
    request = ctx.request
    error = request.routing_exception
    if error is None:
        return {"status": 200, "endpoint": request.url_rule.endpoint,
                "args": typed(request.view_args)}
    if isinstance(error, RequestRedirect):
        return {"status": 308, "location": contract_location(error.new_url, scheme, host)}
    if isinstance(error, MethodNotAllowed):
        return {"status": 405, "allowed": sorted(error.valid_methods)}
    assert isinstance(error, HTTPException)
    return {"status": error.code}


def contract_location(location: str, scheme: str, host: str) -> str:
    target = urlsplit(location)
    if target.scheme == scheme and (get_host(target.scheme, target.netloc).lower()
                                    == get_host(scheme, host).lower()):
        return (target.path or "/") + (f"?{target.query}" if target.query else "")
    return location


def routecli_answer(table: RouteTable, method: str, path: str, host: str,
                    scheme: str = "http", query: str = "") -> dict:
    url = f"{scheme}://{host}{quote(path, safe=PATH_SAFE)}" + (f"?{query}" if query else "")
    result = table.match(method, url)
    if result.status == 200:
        return {"status": 200, "endpoint": result.endpoint, "args": typed(result.args)}
    if result.status == 308:
        return {"status": 308, "location": result.location}
    if result.status == 405:
        return {"status": 405, "allowed": result.allowed_methods}
    return {"status": result.status}


def typed(value):
    """Values tagged with their type: 1, 1.0, True and "1" all differ."""
    if isinstance(value, dict):
        return {str(k): typed(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


# ------------------------------------------------------------------------------- requests

UUID = "2b5b0911-fdcf-4dd2-921b-28ace88db8a0"
VALUES = {
    "string": ["abc", "new", "42", "a.b", "héllo", "x y", "ab", "abcde", "de-ch", "zz"],
    "int": ["0", "7", "42", "-3", "007", "100", "1", "٤٢", "2024"],
    "float": ["1.5", "99.9", "100.5", "-2.5", "3", "0.0"],
    "path": ["a", "a/b", "a/b/", "x/raw", "ab/cd", "a//b", "a/edit"],
    "uuid": [UUID, UUID.upper(), UUID.replace("-", "")],
    "custom": ["hello-world", "a,b", "a,b,c,d", "ab/cd", "abc", "xyz", "12", "13", "Abc", "ab",
               "-x"],
}
GENERIC = ["x", "new", "42", "a.b", "é", "a b", "a/b", "", "page", "%", "?"]
METHODS = ["GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"]
MUTATIONS = ["none"] * 6 + ["toggle-slash", "toggle-slash", "double-slash", "drop-last",
                            "extra-segment", "leading-double", "upper"]
QUERIES = ["", "", "", "", "q=1", "a=%20b"]


def kind_of(converter) -> str:
    kinds = {wz.UnicodeConverter: "string", wz.IntegerConverter: "int",
             wz.FloatConverter: "float", wz.PathConverter: "path", wz.UUIDConverter: "uuid",
             wz.AnyConverter: "any"}
    return kinds.get(type(converter), "custom")


def fill(text: str, converters, rng: random.Random, require_slash: bool = True) -> str:
    out = ""
    for token in tokenize(text, require_slash=require_slash):
        if isinstance(token, Slash):
            out += "/"
        elif isinstance(token, Static):
            out += token.text
        else:
            assert isinstance(token, Variable)
            converter = converters[token.name]
            kind = kind_of(converter)
            pool = sorted(converter.items) + ["zz"] if kind == "any" else VALUES[kind]
            if not require_slash:  # a host label: keep it a valid one
                pool = [v for v in pool if re.fullmatch(r"[a-z0-9-]+", v)] or ["bob"]
            elif rng.random() < 0.15:
                pool = GENERIC
            out += rng.choice(pool)
    return out


def mutate(path: str, rng: random.Random) -> str:
    how = rng.choice(MUTATIONS)
    if how == "toggle-slash":
        return path[:-1] if path.endswith("/") and len(path) > 1 else path + "/"
    if how == "double-slash":
        slashes = [i for i, c in enumerate(path) if c == "/"]
        at = rng.choice(slashes)
        return path[:at] + "/" + path[at:]
    if how == "drop-last":
        return path.rstrip("/").rsplit("/", 1)[0] or "/"
    if how == "extra-segment":
        return path.rstrip("/") + "/" + rng.choice(["edit", "raw", "x", "end"])
    if how == "leading-double":
        return "/" + path
    if how == "upper":
        return path.upper()
    return path


def requests_for(app, hosts: list[str], count: int, seed: int):
    """(method, path, host, scheme, query) tuples made from the app's own rules."""
    rng = random.Random(seed)
    url_map = app.url_map
    rules = list(url_map.iter_rules())
    server = app.config.get("SERVER_NAME") or "example.com"
    for _ in range(count):
        rule = rng.choice(rules)
        path = mutate(fill(rule.rule, rule._converters, rng), rng)
        if rng.random() < 0.08:
            path = "/" + "/".join(rng.choice(["a", "static", "admin", "users", "n", "x"])
                                  for _ in range(rng.randint(0, 3)))
        host = rng.choice(hosts)
        domain = rule.host if url_map.host_matching else rule.subdomain
        if domain and rng.random() < 0.7:
            filled = fill(domain, rule._converters, rng, require_slash=False)
            host = filled if url_map.host_matching else f"{filled}.{server}"
        method = rng.choice(METHODS + sorted(rule.methods or ()))
        scheme = "https" if rng.random() < 0.1 else "http"
        yield method, path, host, scheme, rng.choice(QUERIES)


def compare(app, hosts: list[str], count: int, seed: int = 0) -> int:
    """Ask routecli and Flask the same requests; fail with the first differences."""
    table = RouteTable(routeset_from_app(app))
    failures = []
    statuses: dict[int, int] = {}
    for method, path, host, scheme, query in requests_for(app, hosts, count * SCALE, seed):
        expected = flask_answer(app, method, path, host, scheme, query)
        got = routecli_answer(table, method, path, host, scheme, query)
        statuses[expected["status"]] = statuses.get(expected["status"], 0) + 1
        if got != expected:
            failures.append(f"{method} {scheme}://{host}{path!r} ?{query}\n"
                            f"    flask:    {expected}\n    routecli: {got}")
    assert not failures, f"{len(failures)} differences:\n" + "\n".join(failures[:10])
    return len(statuses)


# ------------------------------------------------------------------------------- real apps


@pytest.mark.parametrize("options", [
    {},
    {"strict_slashes": False},
    {"merge_slashes": False, "redirect_defaults": False},
    {"static": False, "automatic_options": False},
], ids=["defaults", "non-strict-map", "no-merge-no-redirect-defaults", "no-static-no-options"])
def test_kitchen_sink_app(options):
    app = kitchen_sink.create_app(**options)
    kinds = compare(app, ["localhost", "localhost", "example.com", "api.localhost"], 1500,
                    seed=len(options))
    assert kinds >= 4  # 200, 308, 404 and 405 all came up


def test_host_matching_app():
    app = hosts_app.create_app()
    compare(app, ["example.com", "api.example.com", "bob.example.com", "static.example.com",
                  "example.com:8080", "Example.COM", "other.org", "localhost"], 1200, seed=1)


@pytest.mark.parametrize("default_subdomain", ["", "www"])
def test_subdomain_matching_app(default_subdomain):
    app = subdomains_app.create_app(default_subdomain)
    compare(app, ["example.com", "www.example.com", "api.example.com", "bob.example.com",
                  "shop.example.com", "a.b.example.com", "EXAMPLE.com", "other.org"], 1200,
            seed=2)


def test_blueprint_views_app():
    """Stacked blueprint decorators and class-based views (true source lines, issue #9)."""
    compare(blueprint_views.create_app(), ["localhost"], 600, seed=4)


def test_sample_flask_blog_app():
    from sample_routes import flask_blog

    compare(flask_blog.app, ["localhost"], 600, seed=3)


def test_server_name_without_subdomain_matching_on_its_host():
    """SERVER_NAME set, subdomain_matching off: exact for requests to SERVER_NAME.

    (For other hosts Flask still redirects to SERVER_NAME while routecli redirects to
    the request's host: routecli's settings cannot express that; see docs.)"""
    app = subdomains_app.create_app()
    app.subdomain_matching = False
    compare(app, ["example.com"], 500, seed=4)


def test_both_order_paths_agree_with_flask():
    """An app built while recording and one built before: same answers as Flask."""
    with record_rule_order():
        recorded = kitchen_sink.create_app()
    derived = kitchen_sink.create_app()
    assert rule_order(recorded.url_map)[2] == "recorded"
    assert rule_order(derived.url_map)[2] == "derived"
    compare(recorded, ["localhost"], 500, seed=5)
    compare(derived, ["localhost"], 500, seed=5)


# ------------------------------------------------------------------------------- generated tables

def check_generated(table, record: bool, data) -> None:
    try:
        if record:
            with record_rule_order():
                oracle = FlaskOracle(table.data)
        else:
            oracle = FlaskOracle(table.data)
    except Exception:  # noqa: BLE001 - Flask refuses the table: nothing to compare
        assume(False)
    assert rule_order(oracle.app.url_map)[2] == ("recorded" if record else "derived")
    ours = RouteTable(routeset_from_app(oracle.app))
    for _ in range(generated.REQUESTS_PER_TABLE):
        request = data.draw(generated.requests_for(table))
        expected = oracle.match(request.method, request.url, host=request.host)
        if expected["status"] == 500:
            continue
        got = ours.match(request.method, request.url, host=request.host).to_dict()
        assert comparable(got) == comparable(expected), (
            f"{request}\n  flask:    {generated.short(expected)}\n"
            f"  routecli: {generated.short(got)}")
        event(f"status {expected['status']}")


@settings(max_examples=generated.examples(80), **generated.COMMON_SETTINGS)
@given(table=generated.tables("plain"), record=st.booleans(), data=st.data())
def test_generated_plain_tables_via_flask_apps(table, record, data):
    check_generated(table, record, data)

@settings(max_examples=generated.examples(30), **generated.COMMON_SETTINGS)
@given(table=generated.tables("subdomain"), record=st.booleans(), data=st.data())
def test_generated_subdomain_tables_via_flask_apps(table, record, data):
    check_generated(table, record, data)

@settings(max_examples=generated.examples(30), **generated.COMMON_SETTINGS)
@given(table=generated.tables("host"), record=st.booleans(), data=st.data())
def test_generated_host_tables_via_flask_apps(table, record, data):
    check_generated(table, record, data)



def test_uuid_values_are_canonical():
    app = kitchen_sink.create_app()
    table = RouteTable(routeset_from_app(app))
    result = table.match("GET", f"/obj/{UUID.upper()}")
    assert result.args == {"u": uuid.UUID(UUID)}
    assert result.to_dict()["args"] == {"u": UUID}
