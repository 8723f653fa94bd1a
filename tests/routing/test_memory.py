"""What a loaded table keeps per route (README.md#performance).

Not a timing test: the layout of the objects every route has (no instance dict for a
plain route, parts shared between segments that differ only in variable names) and a
generous bound on the bytes a 2,000-route table holds, which a regression to the old
layout would break.
"""

from __future__ import annotations

import gc
import json
import tracemalloc

import routecli
from routecli.routing.model import Route, Source
from routecli.routing.werkzeug.compiler import part_texts
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
    # About 0.9 KB today; the layout before #15 kept about 1.4 KB on this table.
    assert kept / count < 1_200, f"{kept / count:.0f} bytes per route"


def _states(root):
    stack = [root]
    while stack:
        state = stack.pop()
        yield state
        stack.extend(state.static.values())
        stack.extend(child for _, child in state.dynamic)
