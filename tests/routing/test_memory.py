"""What a loaded table keeps per route (README.md#performance).

Not a timing test: the layout of the objects every route has (no instance dict for a
plain route, parts shared between segments that differ only in variable names) and a
generous bound on the bytes a 2,000-route table holds, which a regression to the old
layout would break.
"""

from __future__ import annotations

import gc
import json
import pickle
import tracemalloc

import pytest

import routecli
from routecli.errors import RouteError
from routecli.routing.django.language import flatten
from routecli.routing.django.table import DjangoTable
from routecli.routing.django.urlconf import NO_KWARGS
from routecli.routing.model import ConverterDef, Group, Route, RouteSet, Source
from routecli.routing.starlette.table import StarletteTable
from routecli.routing.werkzeug.compiler import StaticPart, part_texts
from routecli.routing.werkzeug.matcher import Fork, Leaf, OneChild, Step
from routecli.routing.werkzeug.table import RouteTable

RESOURCES = ["users", "repos", "orgs", "teams", "issues", "pulls", "comments", "gists"]


def rest_file(count: int) -> dict:
    """A REST-like route file: versions, resources with ids, nested sub-resources."""
    routes = []
    n = 0
    while len(routes) < count:
        resource = f"{RESOURCES[n % len(RESOURCES)]}{n // 40}"
        version = f"v{n % 5}"
        shapes = [
            (f"/api/{version}/{resource}", ["GET", "POST"]),
            (f"/api/{version}/{resource}/<int:{resource}_id>", ["GET", "PUT", "DELETE"]),
            (f"/api/{version}/{resource}/<int:id>/{RESOURCES[n % 3]}/<name>", ["GET"]),
            (f"/api/{version}/{resource}/<int:id>/edit", ["POST"]),
        ]
        for rule, methods in shapes:
            routes.append({"rule": rule, "endpoint": f"ep{len(routes)}", "methods": methods})
        n += 1
    return {"routes": routes[:count]}


def test_plain_route_and_rule_have_no_instance_dict():
    table = RouteTable.from_data(rest_file(8), "routes.json")
    for rule in table.rules:
        # Only what a route sets beyond the common fields makes a dict (none here).
        assert not any(isinstance(ref, dict) for ref in gc.get_referents(rule.route))
        assert not any(isinstance(ref, dict) and ref is not rule.converters
                       for ref in gc.get_referents(rule))
    for state in _states(table.matcher.root):
        assert not hasattr(state, "__dict__")
    assert not hasattr(table.rules[0].parts[1], "__dict__")


def test_a_route_option_set_is_kept_and_defaults_stay_shared():
    route = Route("/a", "a", ["get"], source=Source("r.yaml", 3), alias=True, defaults=None)
    assert (route.methods, route.alias, route.defaults, route.build_only) == (
        ("GET",), True, None, False)
    assert route.source == Source("r.yaml", 3)
    assert Route("/b", "b").source is None
    route.source = Source("other.yaml", 9)
    assert str(route.source) == "other.yaml:9"


def test_segments_differing_in_names_share_a_part_but_keep_their_own_texts():
    table = RouteTable.from_data({"routes": [
        {"rule": "/users/<int:user_id>", "endpoint": "user"},
        {"rule": "/teams/<int:team_id>", "endpoint": "team"},
    ]})
    user, team = table.rules
    assert user.parts[-1] is team.parts[-1]
    assert part_texts(user)[-1] == "<int:user_id>"
    assert part_texts(team)[-1] == "<int:team_id>"
    assert table.match("GET", "/teams/7").args == {"team_id": 7}


def test_a_loaded_table_stays_under_a_generous_bound_per_route(tmp_path, monkeypatch):
    monkeypatch.setenv("ROUTECLI_NO_CACHE", "1")
    path = tmp_path / "routes.json"
    count = 2_000
    path.write_text(json.dumps(rest_file(count), indent=2))
    routecli.load(str(path))  # modules imported on first use are not the table's
    gc.collect()
    tracemalloc.start()
    try:
        table = routecli.load(str(path))
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(table) == count
    # About 0.78 KB today (0.9 KB before the frozen trie); the layout before #15 kept
    # about 1.4 KB on this table.
    assert kept / count < 1_000, f"{kept / count:.0f} bytes per route"


def test_a_route_keeps_only_the_options_it_sets_and_equal_name_sets_are_shared():
    plain = Route("/a", "a")
    assert plain._options is None and plain.view is None and plain.kind == "route"
    one = Route("/b", "b", view="v", name="n", alias=True)
    two = Route("/c", "c", view="w", name="m", alias=True)
    assert (one.view, one.name, one.alias, one.defaults) == ("v", "n", True, None)
    assert one._options[0] is two._options[0]  # the names, once
    one.view = "changed"
    one.build_only = True
    assert (one.view, one.name, one.build_only, two.view) == ("changed", "n", True, "w")
    assert Route.alias is False  # the class gives the default


def test_equal_method_sets_and_converter_maps_are_shared_between_rules():
    table = RouteTable.from_data({"routes": [
        {"rule": "/a/<int:id>", "endpoint": "a", "methods": ["GET", "POST"]},
        {"rule": "/b/<int:id>", "endpoint": "b", "methods": ["GET", "POST"]},
        {"rule": "/c/<int:id>", "endpoint": "c", "methods": ["GET", "POST"],
         "defaults": {"x": 1}},
    ]})
    a, b, c = table.rules
    assert a.methods is b.methods is c.methods
    assert a.converters is b.converters and a.to_python is b.to_python
    assert a.variables is b.variables
    assert a.arguments == frozenset({"id"}) and c.arguments == frozenset({"id", "x"})
    assert a.python_converters == (("id", a.converters["id"]),)
    assert (a.defaults, c.defaults, a.default_providers) == (None, {"x": 1}, ())
    # The endpoint index gives tuples whether an endpoint has one rule or several.
    assert table.rules_by_endpoint["a"] == (a,) and table.rules_by_endpoint.get("z") is None


def test_the_built_trie_is_frozen_into_light_states_that_read_like_state():
    table = RouteTable.from_data({"routes": [
        {"rule": "/users/<int:id>/edit", "endpoint": "edit"},
        {"rule": "/users/<int:id>/edit/<int:n>", "endpoint": "step"},
        {"rule": "/about", "endpoint": "about"},
    ]})
    user_state = table.matcher.root.static[""].static[""].static["users"]  # host, "/", users
    assert isinstance(user_state, Step) and user_state.dynamic == (user_state.single,)
    assert isinstance(table.rules[0].parts[2], StaticPart)
    edit_parent = user_state.single[1]
    assert isinstance(edit_parent, Fork)
    edit = edit_parent.static
    assert isinstance(edit, OneChild)
    assert "edit" in edit and "x" not in edit and edit.get("x") is None
    assert list(edit) == ["edit"] and dict(edit) == {"edit": edit["edit"]}
    assert edit.keys() & {"edit", "y"} == {"edit"}
    # reversible like a dict's views (the lint's trie walks read children last to first)
    assert list(reversed(edit.values())) == [edit["edit"]] and list(reversed(edit)) == ["edit"]
    assert list(reversed(edit.items())) == [("edit", edit["edit"])]
    # A rule and a transition: a State as built; the rule alone at the end: a Leaf.
    assert not isinstance(edit["edit"], (Leaf, Fork, Step))
    assert isinstance(edit["edit"].single[1], Leaf)
    assert edit["edit"].single[1].rules == (table.rules[1],)
    assert (table.match("GET", "/users/3/edit").endpoint,
            table.match("GET", "/users/3/edit/4").args,
            table.match("GET", "/users/3").status) == ("edit", {"id": 3, "n": 4}, 404)


def test_starlette_routes_share_method_sets_and_convertor_maps():
    source = Source("routes.yaml", 4)
    table = StarletteTable(RouteSet([
        Route("/a/{id:int}", "a", ["GET"], source=source),
        Route("/b/{id:int}", "b", ["GET"]),
    ], dialect="starlette"))
    first, second = table
    a, b = first.data, second.data
    assert a.full is b.full and a.allowed is b.allowed and a.convertors is b.convertors
    assert (first.source, second.source) == (source, None)
    assert table.match("GET", "/b/3").args == {"id": 3}


def _states(root):
    stack = [root]
    while stack:
        state = stack.pop()
        yield state
        stack.extend(state.static.values())
        stack.extend(child for _, child in state.dynamic)


def test_a_fastapi_path_without_slash_is_a_host_pattern_that_never_matches_a_path():
    table = StarletteTable(RouteSet([Route("items", "a", ["GET"]),
                                     Route("/items", "b", ["GET"])], dialect="fastapi"))
    assert table.rules[0].data.head == ""
    assert table.match("GET", "/items").rule is table.rules[1]


def test_a_starlette_route_is_tried_only_on_paths_with_its_literal_head():
    table = StarletteTable(RouteSet([
        Route("/api/users/{id:int}", "user", ["GET"]),
        Route("/api/orgs/{id:int}", "org", ["GET"]),
        Group("mount", "/m", [Route("/x", "x", ["GET"])]),
    ], dialect="starlette"))
    user, org, mount, x = table
    assert (user.data.head, mount.data.head) == ("/api/users/", "/m/")
    assert table.match("PATCH", "/api/orgs/3").allowed_methods == ["GET", "HEAD"]
    assert table.match("GET", "/m/x").rule is x
    assert table.match("GET", "/api/users/3/").status == 307  # the probe, too


def _django(routes, **converters) -> DjangoTable:
    return DjangoTable(RouteSet(routes, dialect="django",
                                converters={name: ConverterDef(name, regex)
                                            for name, regex in converters.items()}))


def _unset(obj, name: str) -> bool:
    try:
        object.__getattribute__(obj, name)
    except AttributeError:
        return True
    return False


def test_a_django_path_keeps_its_regex_and_language_unmade_until_read():
    source = Source("urls.yaml", 3)
    table = _django([Route("users/<int:id>/", "user", None, source=source),
                     Route("orgs/<int:id>/", "org", None),
                     *(Route(f"r{n}/", f"r{n}", None) for n in range(8))])  # indexed
    user, org = table.rules[:2]
    for entry in (user, org):
        assert _unset(entry.data.pattern, "source") and _unset(entry.data.pattern, "regex")
        assert _unset(entry, "pattern") and _unset(entry, "exact")
    assert table.match("GET", "/orgs/3/").args == {"id": 3}
    assert _unset(user.data.pattern, "regex") and not _unset(org.data.pattern, "regex")
    # made on demand, as Django compiles it and as the analysis reads it
    assert user.data.pattern.regex.pattern == r"^users/(?P<id>[0-9]+)/\Z"
    assert user.data.pattern.literal_prefix == "users/"
    assert (user.pattern, user.exact) == (flatten((user.data,)).pattern, True)
    # shared: the converter map of equal parameters, the empty kwargs, the route's source
    assert user.data.pattern.converters is org.data.pattern.converters
    assert user.data.kwargs is org.data.kwargs and not user.data.kwargs
    with pytest.raises(TypeError):
        user.data.kwargs["x"] = 1  # read-only: shared by every pattern without kwargs
    assert user.data.source == source and _unset(user.data, "_source") is False
    assert user.data._source is None


def test_a_django_converter_regex_with_groups_is_compiled_with_the_route():
    table = _django([Route("a/<two:v>/", "a", None)], two="(x)(y)")
    assert not _unset(table.rules[0].data.pattern, "regex")
    with pytest.raises(RouteError, match="not a valid regular expression"):
        _django([Route("a/<bad:v>/", "a", None)], bad="(x")


def test_a_lazy_django_table_pickles_and_answers_alike():
    table = _django([Route("users/<int:id>/", "user", None)])
    copy = pickle.loads(pickle.dumps(table))
    assert _unset(copy.rules[0], "pattern") and copy.rules[0].data.kwargs is NO_KWARGS
    assert copy.match("GET", "/users/5/").args == {"id": 5}
    assert copy.rules[0].pattern == table.rules[0].pattern


def test_an_entry_reads_methods_noqa_and_websocket_through_its_route():
    table = StarletteTable(RouteSet([
        Route("/a", "a", ["GET"], noqa=["RL201"]),
        Route("/ws", "ws", None, kind="websocket"),
    ], dialect="starlette"))
    a, ws = table
    assert a.declared_methods == ("GET",) and a.noqa == ("RL201",) and not a.websocket
    assert ws.websocket and ws.declared_methods is None and ws.noqa == ()
    assert not hasattr(a, "__dict__")


def test_a_starlette_route_keeps_its_pattern_unmade_until_read():
    table = StarletteTable(RouteSet([
        Group("mount", "/m/{n:int}", [Route("/users/{id:int}/posts", "a", ["GET"])]),
        Route("/users/{id:int}/teams", "b", ["GET"]),
    ], dialect="starlette"))
    mount, a, b = table
    assert _unset(a, "pattern") and _unset(b, "pattern")
    assert table.match("GET", "/m/2/users/3/posts").args == {"n": 2, "id": 3}
    assert _unset(a, "pattern")  # matching never reads it
    assert a.pattern == "/m/(?:[0-9]+)/users/(?:[0-9]+)/posts\n?"
    assert b.pattern == "/users/(?:[0-9]+)/teams\n?"
    # one regex for both routes' rest (their mount's prefix is matched before)
    assert a.data.regex is b.data.regex and (a.data.literals, b.data.literals) == ("posts", "teams")
