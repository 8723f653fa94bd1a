"""lint/conflicts beyond the design cases: single-route checks, reachability, method and
slash relations, hosts, websockets, unverified questions, ordering, samples and corpora."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

import routecli
from helpers import table
from routecli.analysis import conflicts, lint
from routecli.analysis.registry import RULES, rule_info

ROOT = Path(__file__).resolve().parents[2]
CORPORA = Path(__file__).resolve().parents[1] / "data" / "corpora"  # vendored shared corpora
sys.path.insert(0, str(ROOT / "bench"))

from bench_lint import corpus_routes, generate


def codes(report) -> list[str]:
    return sorted(f.code for f in report.findings)


def only(report, code):
    found = [f for f in report.findings if f.code == code]
    assert len(found) == 1, [(f.code, f.message) for f in report.findings]
    return found[0]


# -- samples and corpora -----------------------------------------------------------------


# lint_demo.yaml, fastapi_routes.yaml, fastapi_0136_routes.yaml, django_urls.yaml and
# diff_starlette_new.yaml have findings on purpose (README "What it does", docs/dialects.md,
# docs/django.md, docs/diff.md: the new finding a diff reports); access.log is a log.
@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "sample_routes").glob("*.*")
                                        if p.name not in ("lint_demo.yaml", "access.log",
                                                          "fastapi_routes.yaml",
                                                          "fastapi_0136_routes.yaml",
                                                          "django_urls.yaml",
                                                          "diff_starlette_new.yaml")),
                         ids=lambda p: p.name)
def test_sample_routes_lint_clean(path):
    report = routecli.load(str(path)).lint()
    assert report.findings == []
    assert report.stats["model_disagreements"] == 0


def test_seed_method_split_is_not_a_conflict():
    tbl = routecli.load(str(ROOT / "sample_routes" / "blog.yaml"))
    assert conflicts(tbl).findings == []


def test_mlflow_duplicate_found():
    tbl = routecli.RouteTable.from_data(
        {"routes": corpus_routes(CORPORA / "mlflow-3.17.2.routes")})
    report = lint(tbl)
    # One glued word, two routes: one finding listing both (docs/lint.md#one-finding-per-cause)
    glued = only(report, "RL119")
    assert sorted(rule.rule for rule in glued.affected) == [
        "/ajax-api/2.0mlflow/experiments/search-datasets",
        "/api/2.0mlflow/experiments/search-datasets"]
    assert glued.count == 2 and "(2 in all)" in glued.message
    assert all(f"`{rule.rule}`" in glued.message for rule in glued.affected)
    assert len(glued.fingerprints()) == 2
    duplicate = only(report, "RL101")
    assert duplicate.routes[0].rule == "/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval"
    assert duplicate.witness.url == duplicate.routes[0].rule
    assert duplicate.witness.method == "GET"
    assert report.stats["model_disagreements"] == 0


@pytest.mark.parametrize("path", sorted(CORPORA.glob("*.routes")), ids=lambda p: p.name)
def test_corpora_agree_with_the_matcher(path):
    tbl = routecli.RouteTable.from_data({"routes": corpus_routes(path)})
    for report in (lint(tbl), conflicts(tbl)):
        assert report.stats["model_disagreements"] == 0


def test_generated_table_agrees_with_the_matcher():
    tbl = routecli.RouteTable.from_data({"routes": generate(1500)})
    report = lint(tbl)
    assert {"RL101", "RL102", "RL103", "RL105"} <= set(codes(report))
    assert "RL104" not in codes(report)
    assert report.stats["model_disagreements"] == 0
    listing = conflicts(tbl)
    assert listing.stats["model_disagreements"] == 0
    # The SPA catch-all registered last overlaps every GET route and loses to each.
    spa = tbl.rules[-1]
    assert sum(1 for f in listing.findings if spa in f.routes) > 1000


# -- ordering, JSON and options ----------------------------------------------------------------


def test_findings_sorted_by_source_then_code(tmp_path):
    path = tmp_path / "routes.yaml"
    path.write_text(textwrap.dedent("""\
        routes:
          - rule: /p/<y>
            endpoint: page
          - rule: /p/<any(a,b):x>
            endpoint: pick
          - rule: /x
            endpoint: x
            methods: [GET, PSOT]
        """))
    report = routecli.load(str(path)).lint()
    keys = [(f.source, f.code) for f in report.findings]
    assert keys == sorted(keys, key=lambda k: (int(k[0].rsplit(":", 1)[1]), k[1]))
    assert [f.code for f in report.findings] == ["RL102", "RL103", "RL115"]
    assert report.findings[0].source.endswith(":4")


def test_report_json_shape():
    report = lint(table(("/p/<any(a,b):x>", "any"), ("/p/<y>", "str")))
    data = report.to_dict()
    assert data["summary"] == {"routes": 2, "errors": 0, "warnings": 1, "infos": 0,
                               "complete": True}
    (finding,) = data["findings"]
    assert finding["code"] == "RL102"
    assert finding["witness"] == {"method": "GET", "url": "/p/a"}
    assert finding["answered_by"] == "any"
    assert [r["rule"] for r in finding["routes"]] == ["/p/<y>", "/p/<any(a,b):x>"]


def test_strict_makes_ties_errors():
    tbl = table(("/p/<any(a,b):x>", "any"), ("/p/<y>", "str"))
    assert only(lint(tbl), "RL102").severity == "warning"
    assert only(lint(tbl, strict=True), "RL102").severity == "error"


def test_output_is_deterministic():
    tbl = routecli.RouteTable.from_data({"routes": generate(400)})
    first = [f.to_dict() for f in lint(tbl).findings]
    again = [f.to_dict() for f in lint(tbl).findings]
    assert first == again


def test_generated_tables_depend_on_the_seed():
    def rules(seed):
        return [route["rule"] for route in generate(300, seed)]

    assert rules(1) == rules(1)
    assert rules(1) != rules(2)
    assert sorted(rules(1)) == sorted(rules(2))  # the same routes, in another order


def test_table_methods_delegate():
    tbl = table(("/a", "a"), ("/a", "b"))
    assert codes(tbl.lint()) == ["RL101"]
    assert codes(tbl.conflicts()) == ["RL101"]


# -- reachability -------------------------------------------------------------------------------


def test_unreachable_against_a_union_of_dominators():
    # No single route covers any(a,b,c); together they do.
    tbl = table(("/u/a", "a"), ("/u/<any(b,z):y>", "bz"), ("/u/c", "c"),
                ("/u/<any(a,b,c):x>", "abc"))
    finding = only(lint(tbl), "RL103")
    assert finding.routes[0].rule == "/u/<any(a,b,c):x>"
    assert len(finding.details["dominators"]) == 3
    assert finding.answered_by in {"a", "bz", "c"}


def test_partial_cover_is_reachable():
    tbl = table(("/u/a", "a"), ("/u/<any(a,b):x>", "ab"))
    assert "RL103" not in codes(lint(tbl))


def test_validation_capture_counts_for_unreachability():
    # int(max=5) beats any(): '1' is answered by it, '7' captured and refused (404).
    tbl = table(("/v/<int(max=5):n>", "small"), ("/v/<any('1','7'):k>", "k"))
    report = lint(tbl)
    assert "RL103" in codes(report)
    trap = only(report, "RL110")
    assert trap.severity == "error"
    assert (trap.witness.url, trap.answered_by) == ("/v/7", None)


def test_method_backtracking_keeps_routes_reachable():
    tbl = table(("/x/<int:id>", "post", {"methods": ["POST"]}), ("/x/<id>", "get"))
    assert lint(tbl).findings == []


def test_unreachable_for_one_method_only():
    tbl = table(("/h", "get"), ("/h", "head_put", {"methods": ["HEAD", "PUT"]}))
    finding = only(lint(tbl), "RL103")
    assert finding.details["methods"] == ["HEAD"]
    assert finding.message.startswith("unreachable for HEAD")
    assert (finding.witness.method, finding.answered_by) == ("HEAD", "get")


def test_duplicate_explains_lost_method():
    # Case 24 shape: the lost POST is the duplicate's story, PUT keeps the route alive.
    tbl = table(("/o", "a", {"methods": ["GET", "POST"]}), ("/o", "b", {"methods": ["POST", "PUT"]}))
    assert codes(lint(tbl)) == ["RL101"]


def test_tail_route_covered_by_tails():
    # second is dead, but only its duplicate takes it: RL101 says so, RL103 stays silent.
    tbl = table(("/f/<path:p>", "first"), ("/f/<path:q>", "second"))
    report = lint(tbl)
    assert codes(report) == ["RL101"]
    # Three copies are one grouped finding (docs/lint.md#rl101).
    tbl = table(("/f/<path:p>", "first"), ("/f/<path:q>", "second"), ("/f/<path:r>", "third"))
    (finding,) = lint(tbl).findings
    assert finding.code == "RL101"
    assert [r.endpoint for r in finding.routes] == ["second", "third", "first"]


def test_plain_duplicate_is_reported_once():
    tbl = table(("/blog/<int:post_id>", "a"), ("/blog/<int:id>", "b"))
    (finding,) = lint(tbl).findings
    assert (finding.code, finding.severity) == ("RL101", "error")
    assert finding.message.endswith("so this route never answers it")
    assert [f.code for f in conflicts(tbl).findings] == ["RL101"]


def test_duplicate_and_another_dominator_keep_rl103():
    # uuid2 is dominated by uuid (its duplicate) and by str (which wins the tie): RL103
    # stays. (The duplicate pair itself is masked by str, so lint has no RL101 for it.)
    tbl = table(("/u/<y>", "str"), ("/u/<uuid:x>", "uuid"), ("/u/<uuid:z>", "uuid2"))
    report = lint(tbl)
    dead = {f.routes[0].endpoint: f for f in report.findings if f.code == "RL103"}
    assert set(dead) == {"uuid", "uuid2"}
    assert "`/u/<y>`" in dead["uuid2"].message
    assert report.stats["model_disagreements"] == 0
    # A reported duplicate takes GET, a tie's winner takes POST, PUT still reaches b:
    # RL103 for POST only (GET is RL101's).
    tbl = table(("/v/<int(signed=True):s>", "signed", {"methods": ["POST"]}), ("/v/<int:a>", "a"),
                ("/v/<int:b>", "b", {"methods": ["GET", "POST", "PUT"]}))
    report = lint(tbl)
    assert [f.routes[0].endpoint for f in report.findings if f.code == "RL101"] == ["b"]
    finding = only(report, "RL103")
    assert finding.details["methods"] == ["POST"]
    assert finding.message.startswith("unreachable for POST: `/v/<int(signed=True):s>` takes")


def test_method_lost_to_a_duplicate_is_rl101s_even_when_a_sibling_takes_a_url():
    # Calibre-Web's Kobo API: DELETE /library/<book_uuid> first, /library/tags takes
    # DELETE too, then a forwarder /library/<dummy> for DELETE, GET, POST. DELETE never
    # reaches the forwarder because of its duplicate; that /library/tags goes to the tags
    # route (it would go to the duplicate otherwise) is no second finding.
    tbl = table(("/library/tags", "tags", {"methods": ["POST", "DELETE"]}),
                ("/library/<book_uuid>", "delete_book", {"methods": ["DELETE"]}),
                ("/library/<dummy>", "forward", {"methods": ["DELETE", "GET", "POST"]}))
    report = lint(tbl)
    assert "RL103" not in codes(report)
    assert only(report, "RL101").routes[0].endpoint == "forward"


def test_url_for_only_duplicate_is_info():
    # The Flask tutorial (flaskr): blog.index answers "/", and app.add_url_rule("/",
    # endpoint="index") without a view exists so that url_for("index") works.
    tbl = table(("/", "blog.index", {"has_view": True}), ("/", "index", {"has_view": False}))
    report = lint(tbl)
    (finding,) = report.findings
    assert (finding.code, finding.severity) == ("RL101", "info")
    assert "has no view function" in finding.message
    assert "only serves url_for('index')" in finding.message
    assert finding.answered_by == "blog.index"
    assert report.failing() == []
    (listed,) = conflicts(tbl).findings
    assert (listed.code, listed.severity) == ("RL101", "info")
    # Unknown (a route file): the duplicate is an error as always.
    tbl = table(("/", "blog.index"), ("/", "index"))
    assert [(f.code, f.severity) for f in lint(tbl).findings] == [("RL101", "error")]


def test_url_for_only_route_is_never_unreachable():
    # Dominated by a route that is not its duplicate: still no RL103, by design.
    tbl = table(("/u/<y>", "str"), ("/u/<uuid:x>", "by_uuid", {"has_view": False}))
    report = lint(tbl)
    assert "RL103" not in codes(report)
    assert report.stats["url_for_only"] == 1


def test_view_less_winner_is_an_error_that_says_500():
    tbl = table(("/", "index", {"has_view": False}), ("/", "home", {"has_view": True}))
    finding = only(lint(tbl), "RL101")
    assert finding.severity == "error"
    assert finding.message.endswith("endpoint 'index' has no view function: Flask answers "
                                    "GET / with a 500")


def test_whole_route_dead_partly_to_a_duplicate():
    # GET goes to the duplicate, POST to the tie's winner: the route is dead, and RL103
    # says so with the dominator that is not a duplicate.
    tbl = table(("/u/<y>", "str", {"methods": ["POST"]}), ("/u/<uuid:z>", "twin"),
                ("/u/<uuid:x>", "both", {"methods": ["GET", "POST"]}))
    report = lint(tbl)
    finding = only(report, "RL103")
    assert finding.routes[0].endpoint == "both"
    assert finding.details["methods"] == ["GET", "POST"]
    assert finding.message.startswith("unreachable: this route never answers any request")
    assert (finding.witness.method, finding.answered_by) == ("POST", "str")
    assert "RL101" in codes(report)


def test_reachable_catch_all_with_many_specialisations():
    rules = [(f"/api/r{i}", f"r{i}") for i in range(200)] + [("/api/<path:rest>", "rest")]
    report = lint(table(*rules))
    assert report.findings == []
    assert len(conflicts(table(*rules)).findings) == 200


# -- methods and slashes --------------------------------------------------------------------


def test_method_shadow_on_specialisation():
    tbl = table(("/users/me", "me"), ("/users/<id>", "user", {"methods": ["GET", "DELETE"]}))
    finding = only(lint(tbl), "RL106")
    assert finding.routes[0].rule == "/users/<id>"
    assert (finding.witness.method, finding.witness.url, finding.answered_by) == (
        "GET", "/users/me", "me")
    assert finding.details["kept"] == ["DELETE"]
    assert tbl.match("DELETE", "/users/me").endpoint == "user"


def test_method_shadow_not_reported_for_every_method_routes():
    tbl = table(("/users/me", "me"), ("/users/<id>", "user", {"methods": None}))
    assert lint(tbl).findings == []


def test_slash_twins_same_endpoint_is_info():
    tbl = table(("/a", "same"), ("/a/", "same"))
    assert only(lint(tbl), "RL107").severity == "info"


def test_dynamic_slash_twins():
    tbl = table(("/<x>", "leaf"), ("/<y>/", "branch"))
    finding = only(lint(tbl), "RL107")
    assert finding.details["twin_url"] == "/x/"


def test_slash_capture_of_a_catch_all_is_grouped():
    rules = [(f"/d{i}/", f"d{i}") for i in range(5)] + [("/<path:page>", "spa")]
    finding = only(lint(table(*rules)), "RL108")
    assert finding.routes[0].rule == "/<path:page>"
    assert finding.details["branch_count"] == 5
    assert finding.witness.url == "/d0"


# -- hosts, websockets ------------------------------------------------------------------------


def test_subdomains_overlap_with_a_host_witness():
    tbl = table(("/", "api", {"subdomain": "api"}), ("/", "user", {"subdomain": "<user>"}),
                server_name="example.com")
    finding = only(conflicts(tbl), "RL104")
    # An absolute URL: `routecli match GET http://api.example.com/` replays it as it stands.
    assert finding.witness.url == "http://api.example.com/"
    assert finding.witness.host == "api.example.com"  # kept internally, not in the JSON
    assert finding.to_dict()["witness"] == {"method": "GET", "url": "http://api.example.com/"}
    assert finding.answered_by == "api"
    assert tbl.match("GET", finding.witness.url).endpoint == "api"


def test_host_matching_witness():
    tbl = table(("/", "a", {"host": "<sub>.example.com"}), ("/", "b", {"host": "<name>.example.com"}),
                host_matching=True)
    finding = only(lint(tbl), "RL101")
    assert finding.witness.url == "http://x.example.com/"
    assert set(finding.to_dict()["witness"]) == {"method", "url"}  # docs/lint.md#findings
    assert tbl.match("GET", finding.witness.url).endpoint == "a"


def test_host_witnesses_replay_with_match_alone():
    """Every witness of a host-specific table is answered by `table.match(method, url)`
    with no separate host, as the finding says."""
    tbl = table(("/p/<any(a,b):x>", "pick", {"subdomain": "api"}),
                ("/p/<y>", "page", {"subdomain": "api"}),
                ("/d", "one", {"subdomain": "<s>"}), ("/d", "two", {"subdomain": "<t>"}),
                ("/a", "leaf", {"subdomain": "api"}), ("/a/", "branch", {"subdomain": "api"}),
                server_name="example.com")
    findings = [f for f in lint(tbl).findings + conflicts(tbl).findings if f.witness]
    assert {f.code for f in findings} >= {"RL101", "RL102", "RL107"}
    for finding in findings:
        assert finding.witness.url.startswith("http://"), finding.witness
        assert tbl.match(finding.witness.method, finding.witness.url).endpoint == \
            finding.answered_by
        assert "host" not in finding.to_dict()["witness"]


def test_websocket_rules_only_meet_websocket_rules():
    tbl = table(("/ws", "http"), ("/ws", "socket", {"websocket": True}))
    assert conflicts(tbl).findings == []
    tbl = table(("/ws", "one", {"websocket": True}), ("/ws", "two", {"websocket": True}))
    finding = only(lint(tbl), "RL101")
    assert finding.witness.url == "ws://localhost/ws"
    assert finding.answered_by == "one"


# -- single-route checks -----------------------------------------------------------------------


@pytest.mark.parametrize("routes,settings,code,severity,words", [
    ([("/<any(1,2):x>", "e")], {}, "RL112", "warning", "any('1', '2')"),
    ([("/" + "-".join(f"<int:a{i}>" for i in range(11)), "e")], {}, "RL113", "warning", "11"),
    ([("/<path(maxlength=5):p>", "e")], {}, "RL114", "warning", "takes no arguments"),
    ([("/<int(5, -):p>", "e")], {}, "RL114", "warning", "'-'"),
    ([("/<string(length=2, minlength=3):s>", "e")], {}, "RL114", "warning", "length"),
    ([("/x", "e", {"methods": ["GET", "PSOT"]})], {}, "RL115", "warning", "did you mean POST"),
    ([("/x", "e", {"methods": ["PROPFIND"]})], {}, "RL115", "info", "extension"),
    ([("/old/<slug>", "old", {"redirect_to": "new/<slug>"})], {}, "RL116", "warning",
     "/new/x"),
    ([("/a/<int:id>", "show"), ("/b/<name>", "show")], {}, "RL117", "warning", "id"),
    ([("/", "e")], {"host_matching": True}, "RL118", "error", "no host"),
    ([("/", "e", {"subdomain": "api"})], {}, "RL118", "error", "server_name"),
    ([("/x", "e", {"methods": [], "provide_automatic_options": False})], {}, "RL118", "error",
     "no method"),
    ([("/x/<int(min=10, max=5):n>", "e")], {}, "RL118", "error", "accepts no value"),
    ([("/x/<any('a/b', c):n>", "e")], {}, "RL111", "info", "'a/b'"),
])
def test_single_route_check(routes, settings, code, severity, words):
    finding = only(lint(table(*routes, **settings)), code)
    assert finding.severity == severity
    assert words in finding.message


def test_working_redirect_is_fine():
    tbl = table(("/new/<slug>", "new"), ("/old/<slug>", "old", {"redirect_to": "new/<slug>"}))
    assert lint(tbl).findings == []


def test_nested_endpoint_arguments_are_fine():
    tbl = table(("/users/", "users", {"defaults": {"page": 1}}), ("/users/<int:page>", "users"),
                ("/list", "users"))
    assert lint(tbl).findings == []


def test_dead_routes_take_no_part_in_overlaps():
    tbl = table(("/", "a", {"subdomain": "api"}), ("/", "b", {"subdomain": "api"}))
    assert codes(lint(tbl)) == ["RL118", "RL118"]
    assert conflicts(tbl).findings == []


# -- unverified questions -------------------------------------------------------------------


def test_undecidable_overlap_is_reported_not_dropped():
    tbl = table(("/t/<twice:x>", "twice"), ("/t/<y>", "y"),
                converters={"twice": {"regex": r"(?=ab)[a-z]+"}})
    for report in (lint(tbl), conflicts(tbl)):
        finding = only(report, "RL199")
        assert {r.endpoint for r in finding.routes} == {"twice", "y"}
        assert finding.severity == "info"


def test_custom_regex_converters_are_exact():
    tbl = table(("/c/<hex:h>", "hex"), ("/c/<word:w>", "word"),
                converters={"hex": {"regex": "[0-9a-f]+"}, "word": {"regex": "[g-z]+"}})
    assert conflicts(tbl).findings == []
    tbl = table(("/c/<hex:h>", "hex"), ("/c/<word:w>", "word"),
                converters={"hex": {"regex": "[0-9a-f]+"}, "word": {"regex": "[a-z]+"}})
    finding = only(conflicts(tbl), "RL102")
    assert finding.witness.url == "/c/a"


def test_static_fan_out_is_bucketed_exactly():
    statics = [(f"/n/{key}", key) for key in
               [str(i) for i in range(40)] + [f"w{i}" for i in range(40)] + ["1.5", "-3"]]
    tbl = table(*statics, ("/n/<int:i>", "int"), ("/n/<float:f>", "float"),
                ("/n/<int(signed=True):s>", "signed"))
    listing = conflicts(tbl)
    pairs = {(f.routes[1].endpoint, f.routes[0].endpoint) for f in listing.findings
             if f.code == "RL104"}
    assert {p for p in pairs if p[1] == "int"} == {(str(i), "int") for i in range(40)}
    assert {p for p in pairs if p[1] == "float"} == {("1.5", "float")}
    assert ("-3", "signed") in pairs


# -- registry -----------------------------------------------------------------------------------


def test_every_code_is_documented():
    emitted = {"RL101", "RL102", "RL103", "RL104", "RL105", "RL106", "RL107", "RL108",
               "RL110", "RL111", "RL112", "RL113", "RL114", "RL115", "RL116", "RL117",
               "RL118", "RL119", "RL120", "RL198", "RL199",
               "RL201", "RL202", "RL203", "RL204", "RL205", "RL206",
               "RL210", "RL211", "RL212", "RL213", "RL214", "RL215",
               "RL301", "RL302", "RL303", "RL304"}
    assert emitted | {"RL109"} == set(RULES)
    for info in RULES.values():
        assert all(getattr(info, field) for field in (
            "code", "name", "severity", "summary", "what", "why", "example", "fix")), info
        assert info.default_severity in ("error", "warning", "info", "off")
        assert "\n" not in info.summary
    assert rule_info("rl101").name == "duplicate"


def test_wide_fan_out_keeps_typed_routes_reachable():
    # Every readable int is a static sibling: the probe escapes them, the cover indexes them.
    statics = [(f"/items/{i}", f"n{i}") for i in range(3000)]
    tbl = table(*statics, ("/items/<int:id>", "id"), ("/items/<any('1','2'):k>", "k"))
    report = lint(tbl)
    finding = only(report, "RL103")
    assert finding.routes[0].endpoint == "k"
    assert report.stats["model_disagreements"] == 0


def test_undecidable_custom_regex_beside_a_static_sibling():
    # The static/dynamic pair needs no automata; the regex's reachability does.
    tbl = table(("/t/abc", "abc"), ("/t/<twice:x>", "twice"),
                converters={"twice": {"regex": r"(?=ab)[a-z]+"}})
    report = lint(tbl)
    assert codes(report) == ["RL199"]
    assert report.stats["model_disagreements"] == 0
    assert codes(conflicts(tbl)) == ["RL104"]


# -- the app's own code failing on a witness ----------------------------------------------------


class _Raising:
    """An app converter: raises ``exc`` for the values in ``bad`` (every value when None)."""

    regex = "[a-z]+"
    weight = 100
    part_isolating = True

    def __init__(self, bad=None, exc=KeyError):
        self.bad, self.exc = bad, exc

    def to_python(self, value):
        if self.bad is None or value in self.bad:
            raise self.exc(value)
        return value

    def to_url(self, value):
        return value


def _app_table(converter):
    from routecli.routing.model import Route, RouteSet
    from routecli.routing.werkzeug.table import RouteTable

    return RouteTable(RouteSet([Route("/b/<x>", "b", converters={"x": converter}),
                                Route("/b/<y>", "b2"), Route("/b/<any(x,y):z>", "b3")]))


@pytest.mark.parametrize("exc", ["KeyError", "NotFound", "Gone"])
def test_app_converter_failures_never_crash_lint(exc):
    # Every witness is a 500 (or abort()'s status): nothing can be proven, nothing is
    # claimed, and the skips are app errors, not model disagreements.
    from werkzeug import exceptions

    error = KeyError if exc == "KeyError" else getattr(exceptions, exc)
    tbl = _app_table(_Raising(exc=error))
    for report in (lint(tbl), conflicts(tbl)):
        assert report.findings == []
        assert report.stats["app_errors"] > 0
        assert report.stats["app_error_findings"] > 0
        assert report.stats["model_disagreements"] == 0


def test_app_converter_failing_on_one_value_uses_another_witness():
    from werkzeug.exceptions import NotFound

    tbl = _app_table(_Raising(bad={"x"}, exc=NotFound))
    report = lint(tbl)
    assert {"RL102", "RL103"} <= set(codes(report))
    for finding in report.findings:
        assert finding.witness.url != "/b/x"
        assert tbl.match(finding.witness.method, finding.witness.url).status == 200
    assert report.stats["app_errors"] > 0
    assert report.stats["model_disagreements"] == 0



def failing_under(prefix, real, asked=None):
    """A table's ``match`` that asks the real one, except for URLs under ``prefix``, whose
    converter fails as an app's can (a RouteError caused by the app's exception)."""
    from routecli.errors import RouteError

    def match(method, url, host=None, **options):
        if asked is not None:
            asked.append(url)
        if url.startswith(prefix):
            try:
                raise KeyError(url)
            except KeyError as exc:
                raise RouteError("converter failed") from exc
        return real(method, url, host, **options)

    return match

def test_match_raising_route_error_is_an_app_error(monkeypatch):
    # Before tables answered 500, an app converter's failure was a RouteError raised from
    # the app's exception: lint skips the witness rather than dying.

    tbl = table(("/a/<x>", "a"), ("/a/<y>", "b"))
    monkeypatch.setattr(tbl, "match", failing_under("/a/", tbl.match))
    report = lint(tbl)
    assert report.findings == []
    assert report.stats["app_errors"] > 0 and report.stats["model_disagreements"] == 0
    assert conflicts(tbl).findings == []


def test_witness_answers_are_memoised_with_their_counts(monkeypatch):
    # A witness request is answered once per run (thousands of findings ask the same few,
    # issue #13); asking it again returns the same answer and counts its app errors again,
    # as the table would have been asked anew.
    from routecli.analysis.engine import Analysis
    from routecli.analysis.findings import Witness

    tbl = table(("/a/<x>", "a"), ("/b/<y>", "b"))
    asked = []
    monkeypatch.setattr(tbl, "match", failing_under("/a/", tbl.match, asked))
    witnesses = Analysis(tbl).witnesses
    good = witnesses.answer(Witness("GET", "/b/1", None))
    assert good is not None and good.result.endpoint == "b"
    assert witnesses.answer(Witness("GET", "/b/1", None)) is good
    assert witnesses.answer(Witness("GET", "/a/1", None)) is None
    assert witnesses.answer(Witness("GET", "/a/1", None)) is None
    assert asked == ["/b/1", "/a/1"]
    assert witnesses.stats["app_errors"] == 2
