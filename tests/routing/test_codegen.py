"""The generated search (routecli/routing/werkzeug/codegen.py) answers every plain request
exactly as the general path (the trie walk, ``RouteTable._answer``) does, which the
differential tests hold to Flask: random tables, and the corners the generator has its own
code for (websocket rules, slash redirects, slash-spanning converters, wide and deep tables
split into lazily compiled functions)."""

import pytest
from generated_tables import COMMON_SETTINGS, REQUEST_METHODS, request_paths, tables
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import table
from routecli.errors import RouteError
from routecli.routing.result import MatchResult
from routecli.routing.urls import check_method
from routecli.routing.werkzeug import codegen, match_function
from routecli.routing.werkzeug.prefixes import prefix_ranges, route_by_prefix


@pytest.fixture(autouse=True, params=["eager", "compiled", "walked", "wide"])
def subtree_mode(request, monkeypatch):
    """Every test four times: the whole table written into its ``match`` (small tables),
    subtrees compiled at once, subtrees only ever walked (their stand-ins,
    :func:`codegen.interpret`), and every state taken as too wide to write out (walked
    from the function that reaches it)."""
    if request.param not in ("eager", "wide"):
        monkeypatch.setattr(codegen, "EAGER_STATES", 0)
    if request.param == "wide":
        monkeypatch.setattr(codegen, "WIDE_STATE", 0)
    monkeypatch.setattr(codegen, "COMPILE_AFTER", 10**9 if request.param == "walked" else 0)
    return request.param


FIELDS = ("method", "url", "path", "host", "status", "rule", "args", "allowed_methods",
          "location", "redirect", "automatic_options", "reason")


def takes_hot_path(path: str) -> bool:
    return (path[:1] == "/" and path[1:2] != "/"
            and not any(c in path for c in "?#%"))


def assert_same_as_general(tbl, method: str, path: str) -> None:
    """The hot path's answer equals the general path's, field by field."""
    fast = tbl.match(method, path)
    upper = check_method(method)
    general = tbl._answer(upper, path, path, "", tbl._default)
    for name in FIELDS:
        assert getattr(fast, name) == getattr(general, name), (name, method, path)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[*COMMON_SETTINGS["suppress_health_check"],
                                 HealthCheck.function_scoped_fixture])
@given(st.data())
def test_random_tables_answer_as_the_general_path(data):
    generated = data.draw(tables("plain", max_routes=8))
    try:
        tbl = table_from(generated.data)
    except RouteError:
        return
    for _ in range(12):
        route = data.draw(st.sampled_from(generated.routes))
        path = data.draw(request_paths(route.shape))
        if takes_hot_path(path):
            assert_same_as_general(tbl, data.draw(st.sampled_from(REQUEST_METHODS)), path)


def table_from(data):
    from routecli import RouteTable

    return RouteTable.from_data(data)


def test_websocket_rules_are_a_405_or_a_400_as_in_the_general_path():
    tbl = table(("/ws", "ws", {"websocket": True}), ("/ws/<int:n>", "wn", {"websocket": True}),
                ("/ws/<int:n>", "post", {"methods": ["POST"]}))
    for method in ("GET", "POST", "PUT"):
        for path in ("/ws", "/ws/1", "/ws/x"):
            assert_same_as_general(tbl, method, path)
    assert tbl.match("GET", "/ws").status == 400  # only a websocket rule matched
    assert tbl.match("GET", "/ws/1").allowed_methods == ["OPTIONS", "POST"]  # 405 first


def test_slash_redirects_and_non_strict_rules():
    tbl = table(("/dir/", "dir"), ("/loose/<x>", "loose", {"strict_slashes": False}),
                ("/files/<path:p>/", "files"), ("/raw/<path:p>", "raw"),
                ("/d/<int:n>/", "d", {"methods": ["POST"]}))
    for method in ("GET", "POST"):
        for path in ("/dir", "/dir/", "/loose/a", "/loose/a/", "/files/a/b", "/files/a/b/",
                     "/raw/a/b/", "/d/1", "/d/1/", "/d/x"):
            assert_same_as_general(tbl, method, path)
    assert tbl.match("GET", "/dir").status == 308
    assert tbl.match("GET", "/loose/a/").args == {"x": "a"}
    assert tbl.match("GET", "/raw/a/b/").args == {"p": "a/b/"}


def test_segments_with_several_converters_and_defaults():
    tbl = table(("/v<int:major>.<int:minor>", "version"),
                ("/page/<int:n>", "page"), ("/page/", "page", {"defaults": {"n": 1}}),
                ("/old/<x>", "old", {"redirect_to": "/new/<x>"}))
    for path in ("/v1.2", "/v1.x", "/page/1", "/page/2", "/page/", "/old/a"):
        assert_same_as_general(tbl, "GET", path)
    assert tbl.match("GET", "/v10.20").args == {"major": 10, "minor": 20}
    assert tbl.match("GET", "/page/1").status == 308  # redirect_defaults: to /page/


@pytest.mark.parametrize("width", [3, 50])
@pytest.mark.parametrize("depth", [2, 30])
def test_wide_and_deep_tables_split_into_functions_answer_the_same(width, depth):
    rules = []
    for i in range(width):
        deep = "/".join(f"s{j}" if j % 3 else f"<int:n{j}>" for j in range(depth))
        rules.append((f"/r{i}/{deep}", f"e{i}", {"methods": ["GET", "PUT"]}))
        rules.append((f"/r{i}/<name>/x", f"n{i}"))
    tbl = table(*rules)
    for i in (0, width - 1):
        ok = "/".join(f"s{j}" if j % 3 else "7" for j in range(depth))
        for path in (f"/r{i}/{ok}", f"/r{i}/{ok}/", f"/r{i}/{ok[:-1]}x", f"/r{i}/a/x",
                     f"/r{i}/a/y", f"/r{width}/a/x"):
            for method in ("GET", "PATCH"):
                assert_same_as_general(tbl, method, path)
    ok = "/".join(f"s{j}" if j % 3 else "7" for j in range(depth))
    assert tbl.match("GET", f"/r0/{ok}").endpoint == "e0"
    assert tbl.match("PATCH", f"/r0/{ok}").allowed_methods == ["GET", "HEAD", "OPTIONS", "PUT"]


def test_generated_functions_are_compiled_only_for_subtrees_asked_often(monkeypatch):
    monkeypatch.setattr(codegen, "COMPILE_AFTER", 3)
    monkeypatch.setattr(codegen, "EAGER_STATES", 0)
    tbl = table(*[(f"/r{i}/<int:n>", f"e{i}") for i in range(100)])
    dispatch = next(value for name, value in tbl.match.__globals__.items()
                    if name.startswith("D"))
    assert {function.__name__ for function in dispatch.values()} == {"stand_in"}  # root only
    for _ in range(4):
        tbl.match("GET", "/r5/1")
    tbl.match("GET", "/r6/1")
    compiled = [text for text, function in dispatch.items()
                if function.__name__ == "search"]
    assert compiled == ["r5"]  # r6 was walked, once


def test_missed_adds_up_what_the_search_recorded():
    tbl = table(("/a", "a", {"methods": ["POST"]}), ("/a", "w", {"websocket": True}))
    state = tbl._plain_statics["/a"]
    assert codegen.missed([("PUT",), codegen.Miss(state, False)], "GET") == (
        {"PUT", "POST", "OPTIONS"}, True)
    assert codegen.missed([codegen.WEBSOCKET_MISMATCH], "GET") == (set(), True)


def generated(tbl) -> bool:
    """The table answers through its generated ``match`` (made on first look-up)."""
    found = tbl.__dict__.get("match")
    return found is not None and found.__code__.co_filename == "<routecli matcher>"


def test_batch_and_coverage_take_the_generated_match(tmp_path):
    from routecli.coverage.report import CoverageReport

    tbl = table(("/r/<int:n>", "r"))
    assert not generated(tbl)  # nothing generated until asked
    assert [result.status for _, result in tbl.match_lines(["GET /r/1", "/r/x"])] == [200, 404]
    assert generated(tbl)
    log = tmp_path / "access.log"
    log.write_text("GET /r/1\nGET /r/2\n")
    tbl = table(("/r/<int:n>", "r"))
    CoverageReport(tbl).read([str(log)], "plain")
    assert generated(tbl)


def test_one_request_from_the_cli_takes_the_general_match(tmp_path, monkeypatch):
    """``routecli match`` answers one request: generating the fast path would cost more."""
    from routecli.routing.werkzeug import table as table_module

    made = []
    original = table_module.RouteTable._compile_match
    monkeypatch.setattr(table_module.RouteTable, "_compile_match",
                        lambda self: made.append(self) or original(self))
    routes = tmp_path / "routes.yaml"
    routes.write_text("routes:\n  - rule: /r/<int:n>\n    endpoint: r\n")
    from click.testing import CliRunner

    from routecli.cli.app import cli

    outcome = CliRunner().invoke(cli, ["-r", str(routes), "match", "GET", "/r/1"])
    assert outcome.exit_code == 0, outcome.output
    assert not made



PREFIX_TEXT = "/ab.0?%\U0010ffff"  # around "/" and "0", not plain, the highest code point


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(PREFIX_TEXT, min_size=1, max_size=4).map(lambda text: "/" + text),
                max_size=4),
       st.text(PREFIX_TEXT, max_size=6), st.sampled_from([len, lambda prefix: 1]),
       st.booleans())
def test_the_prefix_routing_says_what_startswith_says(prefixes, text, weight, merge_slashes):
    """The generated routing by prefixes (a binary search over merged ranges, heaviest
    first) lets a path through to the search exactly when it starts with a prefix
    (``str.startswith``: adjacent, nested and equal prefixes, the highest code point, none
    at all), answers 404 for any other plain path ("/x", not "//x", no "?", "#", "%", and
    no "//" when slashes are merged) and leaves the rest to the general path."""
    unit = codegen.Unit(None)
    unit.lines.append("def route(method, url):")
    ranges = prefix_ranges(tuple(prefixes), weight)
    route_by_prefix(unit, ranges, None, None, 1, merge_slashes)
    unit.emit(1, "return 'search'")
    namespace = {"ANSWER_404": lambda: type("Answer", (), {})(),
                 "GENERAL": lambda method, url: "general"}
    exec("\n".join(unit.lines), namespace)  # noqa: S102
    answer = namespace["route"]("GET", text)
    plain = (text[:1] == "/" and text[1:2] != "/" and not any(c in text for c in "?#%")
             and not (merge_slashes and "//" in text))
    expected = ("search" if text.startswith(tuple(prefixes)) else
                "404" if plain else "general")
    assert (answer if isinstance(answer, str) else "404") == expected


def test_fast_answers_are_match_results_that_copy_and_pickle_as_the_general_ones():
    import copy
    import pickle

    tbl = table(("/a/<int:n>", "a", {"methods": ["GET"]}), ("/b", "b"))
    for method, path in [("GET", "/a/1"), ("PUT", "/a/1"), ("GET", "/zzz"), ("GET", "/b")]:
        fast = tbl.match(method, path)
        assert generated(tbl) and isinstance(fast, MatchResult)
        general = tbl._answer(method, path, path, "", tbl._default)
        for other in (copy.copy(fast), pickle.loads(pickle.dumps(fast))):
            assert [getattr(other, name) == getattr(general, name) for name in FIELDS
                    if name != "rule"] == [True] * (len(FIELDS) - 1)
        fast.status = 500  # a caller may change its answer
        assert (fast.status, tbl.match(method, path).status) == (500, general.status)


def test_the_generated_match_takes_explain_positionally_too():
    tbl = table(("/a/<int:n>", "a"))
    assert tbl.match("GET", "/a/x", None, True).explanation == tbl.match(
        "GET", "/a/x", explain=True).explanation


# -- match_index: the rule's index instead of the answer (coverage) ---------------------


def assert_index_agrees(tbl, method: str, url: str) -> None:
    """``match_index`` names the rule ``match`` names for a 200 it would have built, and
    otherwise gives ``match``'s whole answer (or raises as it does)."""
    try:
        full = tbl.match(method, url)
    except RouteError as error:
        with pytest.raises(RouteError) as raised:
            tbl.match_index(method, url)
        assert raised.value.message == error.message
        return
    quick = tbl.match_index(method, url)
    if quick.__class__ is int:
        assert (full.status, full.rule) == (200, tbl.rules[quick]), (method, url)
        return
    assert isinstance(quick, MatchResult), (method, url, quick)
    for name in FIELDS:
        assert getattr(quick, name) == getattr(full, name), (name, method, url)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[*COMMON_SETTINGS["suppress_health_check"],
                                 HealthCheck.function_scoped_fixture])
@given(st.data())
def test_match_index_names_the_rule_match_names_on_random_tables(data):
    generated = data.draw(tables(data.draw(st.sampled_from(["plain", "plain", "host"])),
                                 max_routes=8))
    try:
        tbl = table_from(generated.data)
    except RouteError:
        return
    for _ in range(12):
        route = data.draw(st.sampled_from(generated.routes))
        path = data.draw(request_paths(route.shape))
        path += data.draw(st.sampled_from(["", "", "", "?q=1", "#f"]))
        assert_index_agrees(tbl, data.draw(st.sampled_from(REQUEST_METHODS)), path)


def test_match_index_answers_simple_matches_with_the_rule_index():
    tbl = table(("/a/<int:n>", "a"), ("/u/<uuid:u>", "u"), ("/s", "s"),
                ("/p/<path:rest>", "p"), ("/old", "old", {"redirect_to": "/s"}),
                ("/f/<float:x>", "f"), ("/m/<int(max=5):n>", "m"))
    tbl.match("GET", "/")  # the first request of a method takes the general path
    uuid = "2b5b0911-fdcf-4dd2-921b-28ace88db8a0"
    for path, index in [("/a/7", 0), (f"/u/{uuid}", 1), (f"/u/{uuid.upper()}", 1),
                        ("/s", 2), ("/p/x/y", 3), ("/f/1.5", 5), ("/m/5", 6)]:
        assert tbl.match_index("GET", path) == index
        assert_index_agrees(tbl, "GET", path)
    # the full answer where a rule refuses, redirects or nothing matches
    for path in ("/a/" + "7" * 5000, "/m/6", "/old", "/a/x", "/s/", "/nothing"):
        assert isinstance(tbl.match_index("GET", path), MatchResult)
        assert_index_agrees(tbl, "GET", path)
    assert isinstance(tbl.match_index("POST", "/s"), MatchResult)  # a 405
    assert isinstance(tbl.match_index("GET", "/s", "other.host"), MatchResult)


@pytest.mark.parametrize("limit", [640, 4300, 0])
def test_match_index_refuses_the_int_values_python_refuses(limit):
    """``int`` refuses a string of more digits than ``sys.set_int_max_str_digits`` allows
    (never fewer than 640): no match, as in ``match``."""
    import sys

    tbl = table(("/a/<int:n>", "a"), ("/b/<int(signed=True):n>", "b"))
    tbl.match("GET", "/")
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(limit)
    try:
        for digits in (1, 639, 640, 641, 700, 4300, 4301):
            for path in (f"/a/{'7' * digits}", f"/b/-{'7' * digits}"):
                assert_index_agrees(tbl, "GET", path)
        assert isinstance(tbl.match_index("GET", "/a/" + "7" * 641),
                          int if limit != 640 else MatchResult)
    finally:
        sys.set_int_max_str_digits(old)


def test_match_index_runs_the_app_converters_that_may_refuse():
    """An app's converter may refuse a value (Werkzeug's ValidationError: no match) or
    fail (a 500): ``match_index`` runs it as ``match`` does."""
    from werkzeug.routing import BaseConverter, ValidationError

    from routecli.routing.werkzeug.table import RouteTable
    from routecli.sources.python.flask_app import routeset_from_app

    flask = pytest.importorskip("flask")
    seen = []

    class Picky(BaseConverter):
        def to_python(self, value):
            seen.append(value)
            if value == "no":
                raise ValidationError()
            if value == "boom":
                raise RuntimeError("boom")
            return value

    app = flask.Flask("picky", static_folder=None)
    app.url_map.converters["picky"] = Picky
    app.add_url_rule("/x/<picky:v>", "picky", lambda v: "")
    app.add_url_rule("/x/<v>", "any", lambda v: "")
    tbl = RouteTable(routeset_from_app(app))
    tbl.match("GET", "/")
    assert tbl.match_index("GET", "/x/yes") == 0
    assert seen == ["yes"]
    assert tbl.match_index("GET", "/x/no").status == 404  # refused: as Werkzeug, no match
    assert tbl.match_index("GET", "/x/boom").status == 500
    assert {"no", "boom"} <= set(seen)  # (a refusal is asked again on the general path)
    for path in ("/x/yes", "/x/no", "/x/boom"):
        assert_index_agrees(tbl, "GET", path)


def test_a_state_with_hundreds_of_rules_is_walked_not_written_out(subtree_mode):
    # 5,000 int(max=K) variants on one state made megabytes of source (2 s and 300 MB to
    # compile) for a search that tries them one by one anyway: past WIDE_STATE rules the
    # state is walked, with the same answers.
    import unittest.mock

    tbl = table_from({"routes": [{"rule": f"/a/<int(max={i}):x>", "endpoint": f"e{i}"}
                                 for i in range(1, 600)] + [
                      {"rule": "/a/<int:x>/more", "endpoint": "more"}]})
    source: list[int] = []
    compiled = codegen.compiled_code.__wrapped__

    def spy(text):
        source.append(len(text))
        return compiled(text)

    with unittest.mock.patch.object(codegen, "compiled_code", spy), \
            unittest.mock.patch.object(match_function, "compiled_code", spy):
        for path in ("/a/1", "/a/7", "/a/600", "/a/x", "/a/3/more", "/a/", "/b/1"):
            assert_same_as_general(tbl, "GET", path)
            assert_same_as_general(tbl, "POST", path)
    assert sum(source) < 20_000
