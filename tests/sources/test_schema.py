"""routecli.sources.schema: the route-file schema (docs/sources.md#route-file-schema), errors."""

from __future__ import annotations

import datetime
import textwrap

import pytest

from routecli.errors import RouteError
from routecli.routing.model import ConverterDef, Route, RouteSet, Settings, Source
from routecli.sources.route_file import read_document
from routecli.sources.schema import (
    ROUTE_KEYS,
    did_you_mean,
    format_keys,
    parse_routeset,
    routeset_from_data,
)


def load(data, origin="r.yaml", line_of=None) -> RouteSet:
    return routeset_from_data(data, origin, line_of)


def fails(data, line_of=None) -> RouteError:
    with pytest.raises(RouteError) as info:
        routeset_from_data(data, "r.yaml", line_of)
    return info.value


def one_route(**fields) -> dict:
    return {"routes": [{"rule": "/x", "endpoint": "x", **fields}]}


def route_error(**fields) -> str:
    return fails(one_route(**fields)).message


def from_yaml(tmp_path, text: str):
    path = tmp_path / "r.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    doc = read_document(str(path))
    return doc, str(path)


def yaml_error(tmp_path, text: str) -> RouteError:
    doc, path = from_yaml(tmp_path, text)
    with pytest.raises(RouteError) as info:
        routeset_from_data(doc.data, path, doc.line_of)
    return info.value


# ----------------------------------------------------------------------------- valid data


def test_minimal_route_and_defaults():
    routeset = load({"routes": [{"rule": "/", "endpoint": "index"}]})
    assert isinstance(routeset, RouteSet)
    assert routeset.sources == ["r.yaml"]
    assert routeset.settings == Settings()
    assert routeset.converters == {}
    (route,) = routeset.routes
    assert isinstance(route, Route)
    assert (route.rule, route.endpoint, route.methods) == ("/", "index", ("GET",))
    assert route.defaults is None
    assert route.strict_slashes is None and route.merge_slashes is None
    assert route.provide_automatic_options is None
    assert (route.alias, route.build_only, route.websocket) == (False, False, False)
    assert (route.redirect_to, route.host, route.subdomain, route.view) == (None,) * 4
    assert route.noqa == ()
    assert route.source == Source("r.yaml", None)


def test_empty_routes_list_is_allowed():
    assert load({"routes": []}).routes == []


def test_every_route_option():
    data = one_route(
        methods=["get", "Post", "GET"],
        defaults={"page": 1, "tags": ["a"], "meta": {"k": None}, "ratio": 0.5, "on": True},
        strict_slashes=False,
        merge_slashes=None,
        redirect_to="/y",
        alias=True,
        build_only=True,
        host="example.com",
        subdomain="api",
        provide_automatic_options=False,
        websocket=True,
        noqa=["RL105", "all"],
        view="app.views:x",
    )
    (route,) = load(data).routes
    assert route.methods == ("GET", "POST")  # upper-cased, duplicates dropped, order kept
    assert route.defaults == {
        "page": 1,
        "tags": ["a"],
        "meta": {"k": None},
        "ratio": 0.5,
        "on": True,
    }
    assert route.strict_slashes is False and route.merge_slashes is None
    assert route.redirect_to == "/y"
    assert route.alias is True and route.build_only is True and route.websocket is True
    assert route.host == "example.com" and route.subdomain == "api"
    assert route.provide_automatic_options is False
    assert route.noqa == ("RL105", "all")
    assert route.view == "app.views:x"


def test_star_means_every_method():
    (route,) = load(one_route(methods="*")).routes
    assert route.methods is None


def test_empty_method_list_is_allowed():
    (route,) = load(one_route(methods=[])).routes
    assert route.methods == ()


def test_nullable_options_may_be_null():
    (route,) = load(
        one_route(strict_slashes=None, provide_automatic_options=None, host=None, defaults=None)
    ).routes
    assert route.strict_slashes is None and route.host is None and route.defaults is None


def test_route_order_and_sources_lines(tmp_path):
    doc, path = from_yaml(
        tmp_path,
        """
        routes:
          - rule: /b
            endpoint: b
          - rule: /a
            endpoint: a

          - {rule: /c, endpoint: c}
        """,
    )
    routeset = routeset_from_data(doc.data, path, doc.line_of)
    assert [r.endpoint for r in routeset.routes] == ["b", "a", "c"]
    assert [r.source for r in routeset.routes] == [
        Source(path, 2),
        Source(path, 4),
        Source(path, 7),
    ]
    assert str(routeset.routes[2].source) == f"{path}:7"


def test_settings():
    routeset = load(
        {
            "settings": {
                "strict_slashes": False,
                "merge_slashes": False,
                "redirect_defaults": False,
                "automatic_options": False,
                "host_matching": True,
                "server_name": "example.com",
                "default_subdomain": "www",
            },
            "routes": [],
        }
    )
    assert routeset.settings == Settings(False, False, False, False, True, "example.com", "www")


def test_settings_and_converters_may_be_null():
    routeset = load({"settings": None, "converters": None, "routes": []})
    assert routeset.settings == Settings() and routeset.converters == {}


def test_parse_routeset_reports_explicit_settings(tmp_path):
    doc, path = from_yaml(
        tmp_path, "settings:\n  strict_slashes: true\n  server_name: a\nroutes: []\n"
    )
    routeset, explicit = parse_routeset(doc.data, path, doc.line_of)
    assert explicit == {
        "strict_slashes": (True, Source(path, 2)),
        "server_name": ("a", Source(path, 3)),
    }
    assert routeset.settings.server_name == "a"


def test_converters(tmp_path):
    doc, path = from_yaml(
        tmp_path,
        """
        converters:
          slug: {regex: "[a-z0-9]+(?:-[a-z0-9]+)*"}
          ymd:
            regex: "\\\\d{4}/\\\\d{2}"
            weight: 150
          word: {regex: "(a|b)+", weight: -1, part_isolating: false}
          int: {regex: "[0-9a-f]+"}
        routes: []
        """,
    )
    converters = routeset_from_data(doc.data, path, doc.line_of).converters
    assert list(converters) == ["slug", "ymd", "word", "int"]
    slug, ymd, word, builtin = converters.values()
    assert isinstance(slug, ConverterDef)
    assert (slug.name, slug.regex, slug.weight, slug.part_isolating) == (
        "slug",
        "[a-z0-9]+(?:-[a-z0-9]+)*",
        100,
        True,
    )
    assert slug.source == Source(path, 2)
    assert slug.factory is None
    # A "/" in the regex makes the converter span segments unless said otherwise.
    assert (ymd.regex, ymd.weight, ymd.part_isolating) == (r"\d{4}/\d{2}", 150, False)
    assert ymd.source == Source(path, 3)
    assert (word.weight, word.part_isolating) == (-1, False)
    assert builtin.regex == "[0-9a-f]+"  # built-in names may be overridden, as in Werkzeug


# ------------------------------------------------------------------------------ top level


@pytest.mark.parametrize(
    "data, got", [([], "a list"), ("routes", "string 'routes'"), (None, "null")]
)
def test_top_level_must_be_a_mapping(data, got):
    assert fails(data).message == f"the top level must be a mapping with a 'routes' key, got {got}"


def test_missing_routes():
    err = fails({"settings": {}})
    assert err.message == "missing required key 'routes' (a list of routes)"
    assert err.source == "r.yaml"


def test_unknown_top_level_key_with_suggestion(tmp_path):
    err = yaml_error(tmp_path, "routes: []\nrotues: []\n")
    assert err.message == "unknown key 'rotues' (did you mean 'routes'?)"
    assert err.source.endswith("r.yaml:2")


def test_unknown_top_level_key_without_a_close_match():
    err = fails({"routes": [], "zzz": 1})
    assert err.message == "unknown key 'zzz' (expected one of: settings, converters, routes)"


def test_yaml_boolean_key_gets_a_hint(tmp_path):
    err = yaml_error(tmp_path, "routes: []\non: 1\n")
    assert err.message.startswith("unknown key True (YAML reads unquoted yes/no/on/off")


@pytest.mark.parametrize(
    "routes, message",
    [
        ("/x", "routes: expected a list of routes, got string '/x'"),
        ({"rule": "/"}, "routes: expected a list of routes, got a mapping"),
        (None, "routes: expected a list of routes, got null (write routes: [] for no routes)"),
    ],
)
def test_routes_must_be_a_list(routes, message):
    assert fails({"routes": routes}).message == message


# ---------------------------------------------------------------------------------- routes


def test_route_must_be_a_mapping(tmp_path):
    err = yaml_error(tmp_path, "routes:\n  - {rule: /, endpoint: i}\n  - /about\n")
    assert (
        err.message
        == "routes[1]: expected a mapping with 'rule' and 'endpoint', got string '/about'"
    )
    assert err.source.endswith("r.yaml:3")


def test_unknown_route_key_did_you_mean(tmp_path):
    err = yaml_error(
        tmp_path,
        """
        routes:
          - rule: /
            endpoint: index
          - rule: /a
            endpiont: a
          - rule: /b
            endpoint: b
            endpiont: b
        """,
    )
    assert str(err).endswith(
        "r.yaml:5: routes[1]: unknown key 'endpiont' (did you mean 'endpoint'?)"
    )


@pytest.mark.parametrize(
    "key, suggestion",
    [
        ("method", "methods"),
        ("Methods", "methods"),
        ("strict_slash", "strict_slashes"),
        ("redirect", "redirect_to"),
        ("default", "defaults"),
        ("sub_domain", "subdomain"),
    ],
)
def test_route_key_suggestions(key, suggestion):
    assert (
        route_error(**{key: 1}) == f"routes[0]: unknown key {key!r} (did you mean {suggestion!r}?)"
    )


def test_unknown_route_key_lists_known_keys():
    message = route_error(zzz=1)
    assert message == f"routes[0]: unknown key 'zzz' (expected one of: {', '.join(ROUTE_KEYS)})"


@pytest.mark.parametrize("missing", ["rule", "endpoint"])
def test_missing_required_route_keys(tmp_path, missing):
    other = "endpoint: e" if missing == "rule" else "rule: /"
    err = yaml_error(tmp_path, f"routes:\n  - methods: [GET]\n    {other}\n")
    assert err.message == f"routes[0]: missing required key {missing!r}"
    assert err.source.endswith("r.yaml:2")


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"rule": 5}, "routes[0].rule: expected a string, got integer 5"),
        ({"rule": None}, "routes[0].rule: expected a string, got null"),
        ({"endpoint": 404}, "routes[0].endpoint: expected a string, got integer 404"),
        ({"endpoint": ""}, "routes[0].endpoint: the endpoint must not be empty"),
        ({"endpoint": ["a"]}, "routes[0].endpoint: expected a string, got a list"),
    ],
)
def test_rule_and_endpoint_types(fields, message):
    assert fails({"routes": [{"rule": "/x", "endpoint": "x", **fields}]}).message == message


def test_rule_grammar_is_not_checked_here():
    (route,) = load({"routes": [{"rule": "no-slash/<", "endpoint": "x"}]}).routes
    assert route.rule == "no-slash/<"


@pytest.mark.parametrize(
    "methods, message",
    [
        (
            "GET",
            (
                "routes[0].methods: expected a list of strings, got string 'GET' "
                '(write ["GET"], or "*" for every method)'
            ),
        ),
        ({"GET": 1}, "routes[0].methods: expected a list of strings, got a mapping"),
        (None, "routes[0].methods: expected a list of strings, got null"),
        (["GET", 1], "routes[0].methods[1]: expected a method name, got integer 1"),
        (["GET", ""], "routes[0].methods[1]: invalid HTTP method name ''"),
        (
            ["GET POST"],
            (
                "routes[0].methods[0]: invalid HTTP method name 'GET POST' "
                "(list each method separately)"
            ),
        ),
        (
            ["GET,POST"],
            (
                "routes[0].methods[0]: invalid HTTP method name 'GET,POST' "
                "(list each method separately)"
            ),
        ),
        (["*"], 'routes[0].methods[0]: for every method write methods: "*", not a list'),
    ],
)
def test_methods_errors(methods, message):
    assert route_error(methods=methods) == message


def test_methods_error_line(tmp_path):
    err = yaml_error(tmp_path, "routes:\n  - rule: /\n    endpoint: e\n    methods: GET\n")
    assert err.source.endswith("r.yaml:4")


@pytest.mark.parametrize("name", ["strict_slashes", "merge_slashes", "provide_automatic_options"])
@pytest.mark.parametrize(
    "value, got",
    [("yes", "string 'yes'"), (1, "integer 1"), (0, "integer 0"), ("true", "string 'true'")],
)
def test_nullable_booleans(name, value, got):
    assert route_error(**{name: value}) == (
        f"routes[0].{name}: expected a boolean (true or false) or null, got {got}"
    )


@pytest.mark.parametrize("name", ["alias", "build_only", "websocket"])
@pytest.mark.parametrize("value, got", [(None, "null"), (1, "integer 1"), ("no", "string 'no'")])
def test_plain_booleans(name, value, got):
    assert route_error(**{name: value}) == (
        f"routes[0].{name}: expected a boolean (true or false), got {got}"
    )


@pytest.mark.parametrize("name", ["redirect_to", "host", "subdomain", "view"])
def test_optional_strings(name):
    assert route_error(**{name: 5}) == f"routes[0].{name}: expected a string or null, got integer 5"
    assert route_error(**{name: True}) == (
        f"routes[0].{name}: expected a string or null, got boolean true"
    )


@pytest.mark.parametrize(
    "defaults, message",
    [
        ("x", "routes[0].defaults: expected a mapping, got string 'x'"),
        ([1], "routes[0].defaults: expected a mapping, got a list"),
        ({1: "a"}, "routes[0].defaults: keys must be strings, got integer 1"),
        ({"a": {"b": {2: 1}}}, "routes[0].defaults.a.b: keys must be strings, got integer 2"),
        (
            {"d": datetime.date(2024, 1, 2)},
            (
                "routes[0].defaults.d: expected a JSON-like value (string, number, boolean, null, "
                "list or mapping), got date"
            ),
        ),
        (
            {"a": [1, {1, 2}]},
            (
                "routes[0].defaults.a[1]: expected a JSON-like value (string, number, boolean, null, "
                "list or mapping), got set"
            ),
        ),
    ],
)
def test_defaults_errors(defaults, message):
    assert route_error(defaults=defaults) == message


def test_defaults_toml_datetime_is_rejected_at_its_line(tmp_path):
    path = tmp_path / "r.toml"
    path.write_text(
        '[[routes]]\nrule = "/"\nendpoint = "e"\n[routes.defaults]\nwhen = 2024-01-02\n'
    )
    doc = read_document(str(path))
    with pytest.raises(RouteError) as info:
        routeset_from_data(doc.data, str(path), doc.line_of)
    assert info.value.source == f"{path}:5"
    assert info.value.message.startswith("routes[0].defaults.when: expected a JSON-like value")


def test_defaults_shared_values_are_checked_once():
    shared = [1, 2]
    nested = {"a": shared, "b": shared, "c": [shared, shared]}
    (route,) = load(one_route(defaults=nested)).routes
    assert route.defaults == nested


@pytest.mark.parametrize(
    "noqa, message",
    [
        (
            "RL105",
            "routes[0].noqa: expected a list of lint codes, got string 'RL105' (write [\"RL105\"])",
        ),
        (
            "all",
            "routes[0].noqa: expected a list of lint codes, got string 'all' (write [\"all\"])",
        ),
        (
            5,
            'routes[0].noqa: expected a list of lint codes like ["RL105"] or ["all"], got integer 5',
        ),
        (
            ["RL1"],
            "routes[0].noqa[0]: expected a lint code like 'RL105' or 'all', got string 'RL1'",
        ),
        (
            ["RL105", "rl106"],
            "routes[0].noqa[1]: expected a lint code like 'RL105' or 'all', got string 'rl106'",
        ),
        ([105], "routes[0].noqa[0]: expected a lint code like 'RL105' or 'all', got integer 105"),
        (
            ["RL1055"],
            "routes[0].noqa[0]: expected a lint code like 'RL105' or 'all', got string 'RL1055'",
        ),
        (  # Arabic-Indic digits are digits, but no lint code is spelled with them
            ["RL\u0661\u0660\u0665"],
            "routes[0].noqa[0]: expected a lint code like 'RL105' or 'all', "
            "got string 'RL\u0661\u0660\u0665'",
        ),
    ],
)
def test_noqa_errors(noqa, message):
    assert route_error(noqa=noqa) == message


# -------------------------------------------------------------------------------- settings


def test_unknown_setting_did_you_mean(tmp_path):
    err = yaml_error(tmp_path, "settings:\n  strict_slash: false\nroutes: []\n")
    assert err.message == "settings: unknown key 'strict_slash' (did you mean 'strict_slashes'?)"
    assert err.source.endswith("r.yaml:2")


@pytest.mark.parametrize(
    "settings, message",
    [
        ([], "settings: expected a mapping, got a list"),
        (
            {"strict_slashes": "no"},
            "settings.strict_slashes: expected a boolean (true or false), got string 'no'",
        ),
        (
            {"host_matching": 1},
            "settings.host_matching: expected a boolean (true or false), got integer 1",
        ),
        ({"server_name": 5}, "settings.server_name: expected a string, got integer 5"),
        ({"default_subdomain": None}, "settings.default_subdomain: expected a string, got null"),
    ],
)
def test_settings_errors(settings, message):
    assert fails({"settings": settings, "routes": []}).message == message


def test_settings_error_line(tmp_path):
    err = yaml_error(tmp_path, "routes: []\nsettings:\n  server_name: 5\n")
    assert err.source.endswith("r.yaml:3")


# ------------------------------------------------------------------------------ converters


def converter_error(spec, name="slug") -> str:
    return fails({"converters": {name: spec}, "routes": []}).message


def test_unknown_converter_key(tmp_path):
    err = yaml_error(tmp_path, "converters:\n  slug:\n    regx: '[a-z]+'\nroutes: []\n")
    assert err.message == "converters.slug: unknown key 'regx' (did you mean 'regex'?)"
    assert err.source.endswith("r.yaml:3")


@pytest.mark.parametrize(
    "spec, message",
    [
        ("[a-z]+", "converters.slug: expected a mapping like {regex: '[a-z]+'}, got a string"),
        (5, "converters.slug: expected a mapping, got integer 5"),
        ({}, "converters.slug: missing required key 'regex'"),
        ({"weight": 5}, "converters.slug: missing required key 'regex'"),
        ({"regex": 5}, "converters.slug.regex: expected a string, got integer 5"),
        (
            {"regex": "a", "weight": True},
            "converters.slug.weight: expected an integer, got boolean true",
        ),
        (
            {"regex": "a", "weight": "5"},
            "converters.slug.weight: expected an integer, got string '5'",
        ),
        (
            {"regex": "a", "weight": 1.5},
            "converters.slug.weight: expected an integer, got number 1.5",
        ),
        (
            {"regex": "a", "part_isolating": "no"},
            (
                "converters.slug.part_isolating: expected a "
                "boolean (true or false) or null, got string 'no'"
            ),
        ),
    ],
)
def test_converter_errors(spec, message):
    assert converter_error(spec) == message


def test_converters_must_be_a_mapping():
    assert fails({"converters": ["slug"], "routes": []}).message == (
        "converters: expected a mapping, got a list"
    )


@pytest.mark.parametrize("name", ["1slug", "my-slug", "my slug", ""])
def test_converter_name_must_be_an_identifier(name):
    assert converter_error({"regex": "a"}, name) == (
        f"converters: invalid converter name {name!r}: use letters, digits and underscores, "
        "not starting with a digit"
    )


def test_converter_regex_must_compile(tmp_path):
    err = yaml_error(tmp_path, "converters:\n  slug:\n    regex: '[a-z'\nroutes: []\n")
    assert err.message == (
        "converters.slug.regex: invalid regular expression '[a-z': "
        "unterminated character set at position 0"
    )
    assert err.source.endswith("r.yaml:3")


def test_converter_named_groups_are_rejected():
    assert converter_error({"regex": "(?P<x>[a-z]+)"}).startswith(
        "converters.slug.regex: named groups are not allowed in '(?P<x>[a-z]+)'"
    )


def test_converter_regex_that_cannot_be_embedded():
    assert converter_error({"regex": "(?i)[a-z]+"}).startswith(
        "converters.slug.regex: regular expression '(?i)[a-z]+' cannot be used inside a rule: "
        "global flags not at the start"
    )


def test_converter_plain_groups_and_anchors_are_allowed():
    converters = load(
        {"converters": {"a": {"regex": "(x|y)+"}, "b": {"regex": "^z$"}}, "routes": []}
    ).converters
    assert converters["a"].regex == "(x|y)+" and converters["b"].regex == "^z$"


# --------------------------------------------------------------------------------- helpers


def test_error_sources_without_line_of():
    err = fails({"routes": [{"rule": "/"}]})
    assert err.source == "r.yaml"
    assert str(err) == "r.yaml: routes[0]: missing required key 'endpoint'"


def test_error_sources_with_line_of():
    lines = {("routes", 0): 7, ("routes", 0, "methods"): 9}

    def line_of(keys):
        return lines.get(tuple(keys)) or lines.get(tuple(keys)[:2])

    err = fails(one_route(methods="GET"), line_of)
    assert err.source == "r.yaml:9"
    err = fails(one_route(alias=1), line_of)
    assert err.source == "r.yaml:7"


def test_format_keys():
    assert format_keys(()) == ""
    assert format_keys(("routes", 2, "methods", 0)) == "routes[2].methods[0]"
    assert format_keys(("converters", "slug", "regex")) == "converters.slug.regex"
    assert format_keys(("routes", 0, "defaults", "a b")) == "routes[0].defaults['a b']"
    assert format_keys(("x", True)) == "x[True]"


def test_did_you_mean():
    assert did_you_mean("endpiont", ROUTE_KEYS) == " (did you mean 'endpoint'?)"
    assert did_you_mean("RULE", ROUTE_KEYS) == " (did you mean 'rule'?)"
    assert did_you_mean("zzzz", ("a", "b")) == " (expected one of: a, b)"
    assert did_you_mean(3, ("a",)) == ""


def test_self_referencing_defaults_are_refused():
    loop: list = []
    loop.append(loop)
    with pytest.raises(RouteError, match="refers to itself"):
        routeset_from_data({"routes": [{"rule": "/", "endpoint": "a",
                                        "defaults": {"x": loop}}]}, "<data>")


def test_trusted_hosts_and_subdomain_matching_settings():
    routeset = routeset_from_data({"settings": {"trusted_hosts": [".example.com"],
                                                "subdomain_matching": False},
                                   "routes": []}, "<data>")
    assert routeset.settings.trusted_hosts == [".example.com"]
    assert routeset.settings.subdomain_matching is False
    with pytest.raises(RouteError, match=r"settings.trusted_hosts\[0\]: expected a host name"):
        routeset_from_data({"settings": {"trusted_hosts": [5]}, "routes": []}, "<data>")
