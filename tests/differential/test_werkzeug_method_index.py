"""A trie state of many rules (one path, a rule per method) finds the rule taking a method
by index (routing/werkzeug/matcher.py, WideRules): which rule answers, the 405's allowed
methods and websocket mismatches must stay Werkzeug's, on a static path (answered before
the search) and on a dynamic one (the search; past codegen.WIDE_STATE rules a state is
walked, below it compiled after the first calls)."""

from __future__ import annotations

import json

from generated_tables import COMMON_SETTINGS, examples, routecli_table
from hypothesis import given, note, settings
from hypothesis import strategies as st

from flask_oracle import FlaskOracle, comparable

POOL = ["GET", "POST", "PUT", "DELETE", "PATCH", "M1", "M2", "M3"]


@st.composite
def many_rules_on_one_path(draw):
    count = draw(st.sampled_from([32, 40, 300]))
    routes = []
    for i in range(count):
        route = {"rule": draw(st.sampled_from(["/x", "/d/<v>"])), "endpoint": f"e{i}"}
        kind = draw(st.integers(0, 19))
        if kind == 0:
            pass  # every method
        else:
            route["methods"] = draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=2,
                                             unique=True))
        if kind == 1 or draw(st.integers(0, 24)) == 0:
            route["websocket"] = True  # which takes GET (HEAD, OPTIONS) only
            if "methods" in route:
                route["methods"] = ["GET"]
        routes.append(route)
    return {"routes": routes}


@settings(max_examples=examples(60), **COMMON_SETTINGS)
@given(data=many_rules_on_one_path())
def test_a_state_of_many_rules_answers_like_werkzeug(data):
    note(json.dumps(data))
    oracle, ours = FlaskOracle(data), routecli_table(data)
    for url in ("http://localhost/x", "http://localhost/d/1", "ws://localhost/x",
                "ws://localhost/d/7", "http://localhost/x/"):
        for method in (*POOL, "OPTIONS", "HEAD", "OTHER"):
            expected = oracle.match(method, url)
            got = ours.match(method, url).to_dict()
            assert comparable(got) == comparable(expected), (method, url)


def test_a_method_no_rule_takes_gets_every_declared_method():
    data = {"routes": [{"rule": "/x", "endpoint": f"e{i}", "methods": [f"M{i}"]}
                       for i in range(100)]}
    ours = routecli_table(data)
    answer = ours.match("GET", "/x")
    assert answer.status == 405
    assert set(answer.allowed_methods) == {"OPTIONS", *(f"M{i}" for i in range(100))}
    assert ours.match("M57", "/x").endpoint == "e57"
