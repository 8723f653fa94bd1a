"""The new lint findings of routecli diff (issue #12, point 4) come from linting only the
region around the change (docs/diff.md#new-lint-findings): on random tables and random
edits they are exactly those of linting both whole tables (Werkzeug; Starlette and
Django with the tables of test_first_match_property.py)."""

from first_match_edits import edited as first_match_edited
from first_match_edits import first_match_table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routecli.diff.identity import (
    changed_converter_names,
    table_signatures,
    touched_by_signature,
    touched_routes,
)
from routecli.diff.lint_delta import full_new_findings, new_findings
from routecli.routing.model import Source
from routecli.routing.werkzeug.table import RouteTable

# Segments that glue ("abcd" reads as "ab" + "cd": RL119), overlap and tie.
STATIC = ["ab", "cd", "abcd", "me", "x"]
DYNAMIC = ["<x>", "<int:x>", "<int(max=5):x>", "<any(ab,me):x>", "<string(length=2):x>",
           "<float:x>", "<path:p>"]
METHODS = [["GET"], ["POST"], ["GET", "POST"], None]


@st.composite
def route(draw):
    # a few separate neighbourhoods, so that the linted region is not always everything
    parts = [draw(st.sampled_from(["p", "q", "r", "ab"]))]
    parts += draw(st.lists(st.sampled_from(STATIC + DYNAMIC), min_size=0, max_size=2))
    if draw(st.integers(0, 9)) == 0:
        parts = parts[1:]
    rule = "/" + "/".join(parts)
    if parts and draw(st.integers(0, 3)) == 0:
        rule += "/"
    out = {"rule": rule, "endpoint": f"e{draw(st.integers(0, 6))}"}
    methods = draw(st.sampled_from(METHODS))
    if methods is not None:
        out["methods"] = methods
    if draw(st.integers(0, 5)) == 0:
        out["strict_slashes"] = False
    if draw(st.integers(0, 8)) == 0:
        out["redirect_to"] = draw(st.sampled_from(["/ab", "/nowhere", "/ab/<x>"]))
    if draw(st.integers(0, 8)) == 0 and "<" not in rule:
        out["defaults"] = {"x": "ab"}
    return out


def _table(routes):
    """The routes as a route file declares them: each with its line (messages name a
    route by its line; the linted region numbers routes otherwise)."""
    try:
        table = RouteTable.from_data({"routes": routes})
    except Exception:  # noqa: BLE001 - e.g. a variable named twice: not a table
        return None
    for line, declared in enumerate(table.routes, 2):
        declared.source = Source("routes.yaml", line)
    return RouteTable(table.routeset)


@st.composite
def edited(draw):
    old = draw(st.lists(route(), min_size=1, max_size=14))
    new = [dict(r) for r in old]
    for _ in range(draw(st.integers(1, 3))):
        edit = draw(st.sampled_from(["add", "remove", "reorder", "change", "methods",
                                     "slash", "endpoint"]))
        if not new:
            new.append(draw(route()))
            continue
        i = draw(st.integers(0, len(new) - 1))
        if edit == "add":
            new.insert(draw(st.integers(0, len(new))), draw(route()))
        elif edit == "remove":
            del new[i]
        elif edit == "reorder":
            new.insert(draw(st.integers(0, len(new) - 1)), new.pop(i))
        elif edit == "change":
            new[i] = draw(route())
        elif edit == "methods":
            new[i]["methods"] = draw(st.sampled_from(METHODS[:3]))
        elif edit == "slash":
            rule = new[i]["rule"]
            new[i]["rule"] = rule[:-1] if rule.endswith("/") and rule != "/" else rule + "/"
        else:
            new[i]["endpoint"] = f"e{draw(st.integers(0, 6))}"
    return old, new


def _shown(findings):
    return sorted((f.fingerprint(), f.code, f.message, f.count) for f in findings)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(edited())
def test_region_gives_the_whole_tables_new_findings(pair):
    old, new = (_table(routes) for routes in pair)
    if old is None or new is None:
        return
    touched = touched_routes(old.routes, new.routes,
                             changed_converter_names(old.routeset, new.routeset))
    fast = new_findings(old, new, touched)
    assert _shown(fast) == _shown(full_new_findings(old, new)), (pair[0], pair[1])


def test_a_far_edit_lints_a_small_region():
    """Cost follows the change: 200 unrelated resources, one route edited."""
    from routecli.diff.werkzeug_region import lint_region

    routes = [{"rule": f"/r{n}/<int:id>", "endpoint": f"r{n}"} for n in range(200)]
    edited_routes = [dict(r) for r in routes]
    edited_routes[50] = {"rule": "/r50/<int(max=9):id>", "endpoint": "r50"}
    old, new = RouteTable.from_data({"routes": routes}), \
        RouteTable.from_data({"routes": edited_routes})
    touched = touched_routes(old.routes, new.routes)
    olds, news = lint_region(old, new, touched)
    assert olds == [50] and news == [50]


def test_new_findings_are_found_and_old_ones_are_not_repeated():
    old = RouteTable.from_data({"routes": [
        {"rule": "/a/<x>", "endpoint": "a"}, {"rule": "/a/<y>", "endpoint": "b"},
        *({"rule": f"/r{n}", "endpoint": f"r{n}"} for n in range(30))]})
    new = RouteTable.from_data({"routes": [
        {"rule": "/a/<x>", "endpoint": "a"}, {"rule": "/a/<y>", "endpoint": "b"},
        {"rule": "/u/<id>", "endpoint": "user"}, {"rule": "/u/<name>", "endpoint": "name"},
        *({"rule": f"/r{n}", "endpoint": f"r{n}"} for n in range(30))]})
    touched = touched_routes(old.routes, new.routes)
    found = new_findings(old, new, touched)
    assert [(f.code, [r.rule for r in f.routes]) for f in found] == \
        [("RL101", ["/u/<name>", "/u/<id>"])]


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(first_match_edited())
def test_first_match_focus_gives_the_whole_tables_new_findings(case):
    """Starlette and Django: judging only the entries near the change gives the new
    findings of linting both whole tables."""
    dialect, options, old_items, new_items = case
    old, new = (first_match_table(dialect, items, options) for items in (old_items, new_items))
    if old is None or new is None:
        return
    touched = touched_by_signature(table_signatures(old), table_signatures(new))
    fast = new_findings(old, new, touched)
    assert _shown(fast) == _shown(full_new_findings(old, new)), (old_items, new_items)
