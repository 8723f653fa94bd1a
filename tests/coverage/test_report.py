"""Tests for the coverage report (routecli/coverage/report.py): counts checked against
Werkzeug's own matcher, every JSON field, shapes, bounded state, malformed lines."""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import random
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, RequestRedirect, Rule

from routecli.coverage.logs import LogReader
from routecli.coverage.report import CoverageReport, ShapeCounter, analyze, shape
from routecli.routing.werkzeug.table import RouteTable

ROOT = Path(__file__).resolve().parents[2]
DATE = "[10/Oct/2023:13:55:36 +0000]"

ROUTES = [
    {"rule": "/", "endpoint": "index"},
    {"rule": "/users/", "endpoint": "users", "methods": ["GET", "POST"]},
    {"rule": "/users/<int:user_id>", "endpoint": "user", "methods": ["GET", "PUT", "DELETE"]},
    {"rule": "/users/<int:user_id>/avatar", "endpoint": "avatar"},
    {"rule": "/posts/<slug>", "endpoint": "post"},
    {"rule": "/files/<path:name>", "endpoint": "files"},
    {"rule": "/login", "endpoint": "login", "methods": ["GET", "POST"]},
    {"rule": "/admin/stats", "endpoint": "admin_stats"},
    {"rule": "/legacy", "endpoint": "legacy"},
]

CONTRACT_KEYS = {"lines", "requests", "malformed", "status", "routes", "unused", "unmatched"}


def make_table(routes=ROUTES, **settings_) -> RouteTable:
    data = {"routes": routes}
    if settings_:
        data["settings"] = settings_
    return RouteTable.from_data(data)


def clf(method: str, target: str, status: int = 200, prefix: str = "203.0.113.9 - -") -> str:
    return f'{prefix} {DATE} "{method} {target} HTTP/1.1" {status} 512 "-" "curl/8"'


def random_requests(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """A mix of hits, redirects (/users), 405s, 404s with shapes, queries and escapes."""
    templates = [
        ("GET", lambda: "/"),
        ("GET", lambda: "/users/"),
        ("GET", lambda: "/users"),  # strict-slash redirect
        ("POST", lambda: "/users/"),
        ("GET", lambda: f"/users/{rng.randrange(50)}"),
        ("HEAD", lambda: f"/users/{rng.randrange(50)}?x=1"),
        ("DELETE", lambda: f"/users/{rng.randrange(50)}"),
        ("PATCH", lambda: f"/users/{rng.randrange(50)}"),  # 405
        ("GET", lambda: f"/users/{rng.randrange(50)}/avatar"),
        ("POST", lambda: f"/users/{rng.randrange(50)}/avatar"),  # 405
        ("GET", lambda: f"/users/abc{rng.randrange(9)}"),  # int converter refuses: 404
        ("GET", lambda: f"/posts/{rng.choice(['hello', 'caf%C3%A9', 'a%2Fb'])}"),
        ("GET", lambda: f"/files/{rng.choice(['a', 'b/c', 'd/e/f.png'])}"),
        ("OPTIONS", lambda: "/login"),
        ("post", lambda: "/login"),
        ("PUT", lambda: "/login"),  # 405
        ("GET", lambda: f"/api/v1/users/{rng.randrange(10**6)}/avatar"),  # 404 shape
        ("GET", lambda: f"/x{rng.randrange(10**6)}"),
        ("GET", lambda: "/wp-login.php"),
        ("GET", lambda: f"/orders/{rng.randrange(10**5):08x}-0000-4000-8000-00000000abcd"),
        ("GET", lambda: "http://localhost/users/7"),
    ]
    out = []
    for _ in range(count):
        method, target = rng.choice(templates)
        out.append((method, target()))
    return out


def werkzeug_counts(routes, requests):
    """Per-route hits/redirects and status counts from Werkzeug alone (Flask's methods:
    HEAD follows GET, OPTIONS added to every rule)."""
    rules = []
    for route in routes:
        methods = set(route.get("methods", ["GET"])) | {"OPTIONS"}
        rules.append(Rule(route["rule"], endpoint=route["endpoint"], methods=methods))
    adapter = Map(rules).bind("localhost")
    index = {route["endpoint"]: i for i, route in enumerate(routes)}
    hits, redirects = Counter(), Counter()
    status, shapes = Counter(), Counter()
    tried = Counter()
    for method, target in requests:
        parts = urlsplit(target)
        path = unquote(parts.path, errors="replace")
        try:
            rule, _ = adapter.match(path, method.upper(), return_rule=True)
        except RequestRedirect as redirect:  # only strict slashes in this table
            rule, _ = adapter.match(urlsplit(redirect.new_url).path, "GET", return_rule=True)
            redirects[index[rule.endpoint]] += 1
            status["308"] += 1
        except MethodNotAllowed:
            status["405"] += 1
            tried[method.upper()] += 1
        except NotFound:
            status["404"] += 1
            shapes[shape(path)] += 1
        else:
            hits[index[rule.endpoint]] += 1
            status["200"] += 1
    return hits, redirects, status, shapes, tried


def write_log(path: Path, requests, extra: list[str] = ()) -> str:
    lines = [clf(method, target) for method, target in requests] + list(extra)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


# --- counts against Werkzeug ---------------------------------------------------------------


@pytest.mark.parametrize(
    "options", [{}, {"cache_size": 7, "batch": 13}, {"cache_size": 1, "batch": 1}]
)
def test_counts_match_werkzeug(tmp_path, options):
    requests = random_requests(random.Random(5), 3000)
    path = write_log(tmp_path / "access.log", requests)
    report = CoverageReport(make_table(), **options).read([path])
    data = report.to_dict(top=0)
    hits, redirects, status, shapes, tried = werkzeug_counts(ROUTES, requests)

    assert data["lines"] == data["requests"] == 3000 and data["malformed"] == 0
    assert data["status"] == {code: status[code] for code in ("200", "308", "404", "405")}
    assert [r["hits"] for r in data["routes"]] == [hits[i] for i in range(len(ROUTES))]
    assert [r["redirects"] for r in data["routes"]] == [redirects[i] for i in range(len(ROUTES))]
    assert {u["shape"]: u["count"] for u in data["unmatched"]} == dict(shapes)
    assert data["unmatched_other"] == 0
    methods_405 = Counter()
    for entry in data["method_not_allowed"]:
        methods_405.update(entry["methods_tried"])
    assert methods_405 == tried
    assert {u["endpoint"] for u in data["unused"]} == {
        ROUTES[i]["endpoint"] for i in range(len(ROUTES)) if not hits[i] and not redirects[i]
    } == {"admin_stats", "legacy"}
    total_hits = sum(hits.values())
    assert sum(e["hits"] for e in data["endpoints"]) == total_hits
    assert sum(e["share"] for e in data["endpoints"]) == pytest.approx(total_hits / 3000, abs=1e-4)


def test_the_rule_index_path_gives_the_report_of_whole_answers(tmp_path):
    """Plain requests are answered through the table's ``match_index`` (the rule's index,
    no result object): the report is the one its ``match`` gives."""
    requests = random_requests(random.Random(7), 3000)
    path = write_log(tmp_path / "access.log", requests)
    fast = make_table()
    calls = []
    match_index = fast.match_index
    fast.match_index = lambda *request: calls.append(request) or match_index(*request)
    whole = make_table()
    whole.match_index = None  # no such entry point: every answer through ``match``
    assert json.dumps(CoverageReport(fast).read([path]).to_dict()) == json.dumps(
        CoverageReport(whole).read([path]).to_dict())
    assert calls


def test_generated_benchmark_log_against_werkzeug(tmp_path):
    """The benchmark generator's own expected counts, and Werkzeug's answers per request."""
    spec = importlib.util.spec_from_file_location("gen_access_log", ROOT / "bench" /
                                                  "gen_access_log.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    pairs = gen.synth_routes(120)
    routes = [{"rule": rule, "endpoint": f"{method.lower()}_{i}", "methods": [method]}
              for i, (method, rule) in enumerate(pairs)]
    path = tmp_path / "bench.log"
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        expected = gen.generate(out, 4000, pairs, 7, 0.02)
    report = CoverageReport(make_table(routes), cache_size=50, batch=300).read([str(path)])
    data = report.to_dict(top=0)
    assert data["lines"] == expected["lines"]
    assert data["requests"] == expected["requests"]
    assert data["malformed"] == expected["malformed"]
    assert data["malformed_reasons"] == {k: v for k, v in expected.items()
                                         if k in data["malformed_reasons"]}
    parsed = [(r.method, r.target) for r in LogReader().read([str(path)])]
    hits, _, status, shapes, _ = werkzeug_counts(routes, parsed)
    assert [r["hits"] for r in data["routes"]] == [hits[i] for i in range(len(routes))]
    assert [r["redirects"] for r in data["routes"]] == [0] * len(routes)
    assert data["status"] == {code: status[code] for code in ("200", "308", "404", "405")}
    assert {u["shape"]: u["count"] for u in data["unmatched"]} == dict(shapes)


# --- the JSON object -----------------------------------------------------------------------


def test_every_contract_field(tmp_path):
    routes = ROUTES + [{"rule": "/built", "endpoint": "built", "build_only": True}]
    yaml_lines = ["routes:"]
    for route in routes:
        yaml_lines.append(f"  - rule: {route['rule']}")
        yaml_lines.append(f"    endpoint: {route['endpoint']}")
        if "methods" in route:
            yaml_lines.append(f"    methods: [{', '.join(route['methods'])}]")
        if route.get("build_only"):
            yaml_lines.append("    build_only: true")
    route_file = tmp_path / "routes.yaml"
    route_file.write_text("\n".join(yaml_lines) + "\n")
    import routecli

    table = routecli.load(str(route_file))
    log = write_log(tmp_path / "a.log", [("GET", "/"), ("GET", "/"), ("GET", "/users"),
                                         ("GET", "/users/7/avatar"), ("PUT", "/login"),
                                         ("GET", "/api/v1/users/12/avatar?size=2")],
                    extra=['203.0.113.9 - - [x] "-" 400 0'])
    data = analyze(table, [log]).to_dict()
    assert CONTRACT_KEYS <= set(data)
    json.dumps(data)  # serialisable
    assert (data["lines"], data["requests"], data["malformed"]) == (7, 6, 1)
    assert data["status"] == {"200": 3, "308": 1, "404": 1, "405": 1}
    assert list(data["status"]) == ["200", "308", "404", "405"]
    assert [r["rule"] for r in data["routes"]] == [r["rule"] for r in routes]  # definition order
    first = data["routes"][0]
    assert first == {"rule": "/", "endpoint": "index", "methods": ["GET"],
                     "source": f"{route_file}:2", "hits": 2, "redirects": 0}
    users = data["routes"][1]
    assert users["methods"] == ["GET", "POST"] and (users["hits"], users["redirects"]) == (0, 1)
    for route in data["routes"]:
        assert set(route) == {"rule", "endpoint", "methods", "source", "hits", "redirects"}
    for entry in data["unused"]:
        assert set(entry) == {"rule", "endpoint", "source"}
    unused = [u["endpoint"] for u in data["unused"]]
    assert unused == ["user", "post", "files", "login", "admin_stats", "legacy"]  # no build_only
    assert data["unused"][0]["source"] == f"{route_file}:7"
    assert data["unmatched"] == [{"shape": "/api/v1/users/<int>/avatar", "count": 1,
                                  "examples": ["/api/v1/users/12/avatar?size=2"]}]
    assert data["method_not_allowed"] == [{
        "rule": "/login", "endpoint": "login", "source": f"{route_file}:16",
        "routes": [{"rule": "/login", "endpoint": "login", "source": f"{route_file}:16"}],
        "allowed": ["GET", "HEAD", "OPTIONS", "POST"], "methods_tried": {"PUT": 1}, "count": 1,
    }]
    assert data["endpoints"][0] == {"endpoint": "index", "hits": 2, "redirects": 0,
                                    "share": round(2 / 6, 6)}
    assert data["malformed_reasons"] == {"no request line": 1}
    assert data["malformed_examples"] == [{"file": log, "line": 7, "reason": "no request line",
                                           "text": '203.0.113.9 - - [x] "-" 400 0'}]
    assert data["used_routes"] == 3 and data["min_hits"] == 1


def test_min_hits_counts_hits_and_redirects():
    report = CoverageReport(make_table())
    for _ in range(3):
        report.add("GET", "/")
    report.add("GET", "/users")  # a redirect counts as a use
    report.add("GET", "/users/")
    unused = lambda n: [u["endpoint"] for u in report.to_dict(min_hits=n)["unused"]]
    assert "index" not in unused(1) and "users" not in unused(1)
    assert "index" not in unused(3) and "users" not in unused(2) and "users" in unused(3)
    assert "index" in unused(4)


def test_top_limits_lists_but_not_routes():
    report = CoverageReport(make_table())
    for k in range(30):
        report.add("GET", f"/nothing{k}/here")  # 30 distinct literal shapes
    data = report.to_dict(top=5)
    assert len(data["unmatched"]) == 5 and data["unmatched_other"] == 25
    assert len(data["routes"]) == len(ROUTES) and len(data["unused"]) == len(ROUTES)
    assert len(report.to_dict(top=0)["unmatched"]) == 30


# --- shapes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/api/v1/users/1234/avatar", "/api/v1/users/<int>/avatar"),
        ("/", "/"),
        ("/users/", "/users/"),
        ("/a//b", "/a//b"),
        ("/orders/123e4567-e89b-12d3-a456-426614174000", "/orders/<uuid>"),
        ("/orders/123E4567E89B12D3A456426614174000", "/orders/<uuid>"),
        ("/commit/9fceb02d0ae598e95dc970b74767f19372d61af8", "/commit/<hex>"),
        ("/commit/deadbeef", "/commit/deadbeef"),
        ("/t/aZ3kQ9xP0LmN2bV7wq", "/t/<str>"),
        ("/t/abcdefghijklmnopqrst", "/t/abcdefghijklmnopqrst"),  # a word, no digits
        ("/x870975", "/x<int>"),
        ("/invoices/INV2024001.pdf", "/invoices/INV<int>.pdf"),
        ("/api/v2/items", "/api/v2/items"),
        ("/feeds/12.json", "/feeds/<int>.json"),
        ("/price/3.14", "/price/<float>"),
        ("/wp-login.php", "/wp-login.php"),
        ("/p/" + "a" * 65, "/p/<str>"),
        ("/caf\u00e9/7", "/caf\u00e9/<int>"),
        ("/bad\x00byte", "/bad\\x00byte"),
    ],
)
def test_shape(path, expected):
    assert shape(path) == expected


def test_shape_is_cut_and_takes_a_host():
    assert len(shape("/" + "/seg" * 200)) == 200 and shape("/" + "/seg" * 200).endswith("...")
    assert shape("/users/1", "api.example.com") == "api.example.com/users/<int>"


def test_shapes_show_the_host_only_for_host_aware_tables():
    plain = CoverageReport(make_table())
    plain.add("GET", "http://api.example.com/nope/1")
    assert plain.to_dict()["unmatched"][0]["shape"] == "/nope/<int>"
    hosts = CoverageReport(make_table(
        [{"rule": "/", "endpoint": "i", "host": "a.example.com"}], host_matching=True))
    hosts.add("GET", "/nope/1", host="b.example.com")
    assert hosts.to_dict()["unmatched"][0]["shape"] == "b.example.com/nope/<int>"


# --- bounded state -------------------------------------------------------------------------


def test_shape_counter_stays_bounded_and_keeps_the_total():
    counter = ShapeCounter(capacity=50)
    rng = random.Random(1)
    total = 0
    for k in range(20_000):
        key = "/steady" if k % 10 == 0 else f"/junk{rng.randrange(10**9)}/x"
        counter.add(key, 1, key)
        total += 1
        assert len(counter) <= 100
    assert counter.total == total
    top = counter.most_common(1)[0]
    assert top[0] == "/steady" and top[1] == 2000 and top[2] == ["/steady"]


def test_report_state_is_bounded_with_many_distinct_unmatched_paths():
    report = CoverageReport(make_table(), max_shapes=20, cache_size=100, batch=500)
    words = ["alpha", "beta", "gamma", "delta", "omega", "kappa", "sigma", "theta"]
    rng = random.Random(2)
    requests = []
    for k in range(20_000):
        requests.append(("GET", f"/{rng.choice(words)}{k}/{rng.choice(words)}", None, 404))
        # plenty of distinct keys: distinct literal shapes, the cache keeps turning over
    requests += [("GET", "/", None, 200)] * 100
    report.add_requests(iter(requests))
    assert len(report.shapes) <= 40
    assert len(report._cache) <= 100 and len(report._old) <= 100
    data = report.to_dict(top=0)
    assert data["status"]["404"] == 20_000
    assert sum(u["count"] for u in data["unmatched"]) + data["unmatched_other"] == 20_000
    assert all(len(u["examples"]) <= 3 for u in data["unmatched"])
    assert data["routes"][0]["hits"] == 100


def test_examples_are_distinct_cut_and_at_most_three():
    report = CoverageReport(make_table())
    long_query = "?" + "q" * 500
    for k in range(10):
        report.add("GET", f"/api/items/{k}{long_query}")
    report.add("GET", "/api/items/1" + long_query)
    (entry,) = report.to_dict()["unmatched"]
    assert entry["count"] == 11 and len(entry["examples"]) == 3
    assert all(len(e) == 200 and e.endswith("...") for e in entry["examples"])
    assert len(set(entry["examples"])) == 3


def test_405_methods_per_route_are_bounded():
    report = CoverageReport(make_table())
    for k in range(100):
        report.add(f"M{k}", "/login")
    (entry,) = report.to_dict()["method_not_allowed"]
    assert entry["count"] == 100 and len(entry["methods_tried"]) == 33
    assert entry["methods_tried"]["*other*"] == 68


# --- malformed and refused requests --------------------------------------------------------


def test_hostile_lines_are_counted_with_examples(tmp_path):
    data = b"\n".join([
        clf("GET", "/").encode(),
        b"\x00\x01\x02 binary junk",
        b'203.0.113.9 - - [10/Oct/2023:13:55:36 +0000] "GET /users/1 HT',  # truncated
        b"x" * 70_000,  # huge
        '203.0.113.9 - - [10/Oct/2023:13:55:36 +0000] "GET /caf\xe9 HTTP/1.1" 404 1'
        .encode("latin-1"),  # not UTF-8: kept, percent-encoded
        b'203.0.113.9 - - [10/Oct/2023:13:55:36 +0000] "\\x16\\x03\\x01" 400 0',
        b"",
        b"# comment",
    ]) + b"\n"
    path = tmp_path / "hostile.log"
    path.write_bytes(data)
    report = CoverageReport(make_table()).read([str(path)], fmt="combined")
    out = report.to_dict()
    assert out["lines"] == out["requests"] + out["malformed"] == 6
    assert out["requests"] == 2 and out["skipped"] == 2
    assert out["status"]["200"] == 1 and out["status"]["404"] == 1
    assert out["unmatched"][0]["examples"] == ["/caf%E9"]
    assert out["unmatched"][0]["shape"] == "/caf\ufffd"
    assert sum(out["malformed_reasons"].values()) == 4
    assert "line too long" in out["malformed_reasons"]
    assert [m["line"] for m in out["malformed_examples"]] == [2, 3, 4, 6]
    assert all(m["file"] == str(path) for m in out["malformed_examples"])
    assert all(len(m["text"]) <= 210 for m in out["malformed_examples"])


def test_invalid_host_is_malformed_not_a_request(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"method": "GET", "url": "/", "host": "bad..host"}\n'
                    '{"method": "GET", "url": "/", "host": "bad..host"}\n'
                    '{"method": "GET", "url": "/", "host": "ok.example.com"}\n')
    out = CoverageReport(make_table()).read([str(path)]).to_dict()
    assert (out["lines"], out["requests"], out["malformed"]) == (3, 1, 2)
    assert out["malformed_reasons"] == {"invalid host": 2}
    assert out["malformed_examples"][0]["reason"] == "invalid host"
    assert "bad..host" in out["malformed_examples"][0]["text"]
    assert sum(out["status"].values()) == out["requests"]


def test_gzip_stdin_like_streams_and_several_files(tmp_path):
    first = write_log(tmp_path / "a.log", [("GET", "/")] * 3)
    second = tmp_path / "b.log.gz"
    second.write_bytes(gzip.compress(b"GET /login\nPOST /login\n/users/5\n"))
    out = analyze(make_table(), [first, str(second)]).to_dict()
    assert out["requests"] == 6 and out["formats"] == {first: "combined", str(second): "plain"}
    assert [r["hits"] for r in out["routes"]][:7] == [3, 0, 1, 0, 0, 0, 2]


def test_websocket_rules_match_101_requests():
    table = make_table([{"rule": "/ws", "endpoint": "ws", "websocket": True},
                        {"rule": "/", "endpoint": "index"}])
    report = CoverageReport(table)
    report.add("GET", "/ws", status=101)
    report.add("GET", "/ws?x=1", status=101)
    report.add("GET", "/ws", status=400)  # not upgraded: Werkzeug's websocket mismatch
    report.add("GET", "/", status=200)
    out = report.to_dict()
    assert [r["hits"] for r in out["routes"]] == [2, 1]
    assert out["status"] == {"200": 3, "308": 0, "404": 0, "405": 0, "400": 1}
    assert sum(out["status"].values()) == out["requests"] == 4


def test_default_host_applies_to_requests_without_one():
    table = make_table([{"rule": "/", "endpoint": "a", "host": "a.example.com"},
                        {"rule": "/", "endpoint": "b", "host": "b.example.com"}],
                       host_matching=True)
    report = CoverageReport(table, host="b.example.com")
    report.add("GET", "/")
    report.add("GET", "/", host="a.example.com")
    report.add("GET", "http://a.example.com/")
    assert [r["hits"] for r in report.to_dict()["routes"]] == [2, 1]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.binary(max_size=60),
                          st.sampled_from([b"GET /", b"/users/3", b"PATCH /login", b"/nope/9",
                                           clf("GET", "/users").encode(),
                                           b'{"method":"GET","url":"/x","host":"h"}'])),
                max_size=30))
def test_fuzzed_input_keeps_the_invariants(tmp_path_factory, chunks):
    path = tmp_path_factory.mktemp("fuzz") / "f.log"
    path.write_bytes(b"\n".join(chunks))
    out = CoverageReport(make_table(), cache_size=3, batch=4).read([str(path)]).to_dict()
    assert out["lines"] == out["requests"] + out["malformed"]
    assert sum(out["status"].values()) == out["requests"]
    assert (sum(r["hits"] + r["redirects"] for r in out["routes"])
            == out["status"]["200"] + out["status"]["308"])
    assert sum(u["count"] for u in out["unmatched"]) + out["unmatched_other"] == \
        out["status"]["404"]
    json.dumps(out)


def test_add_requests_accepts_any_iterable_of_tuples():
    report = CoverageReport(make_table())
    report.add_requests([("GET", "/", None, None), ("GET", "/login", None, 200)])
    report.add_requests(io.StringIO().readlines())  # empty
    assert report.to_dict()["requests"] == 2


def test_a_request_the_table_cannot_answer_is_malformed(monkeypatch):
    table = make_table()
    real = table.match

    def match(method, url, host=None, **kwargs):
        if url == "/boom":
            raise ValueError("a custom converter failed")
        return real(method, url, host, **kwargs)

    monkeypatch.setattr(table, "match", match)
    report = CoverageReport(table)
    report.add("GET", "/boom")
    report.add("GET", "/boom?again")
    report.add("GET", "/")
    out = report.to_dict()
    assert (out["lines"], out["requests"], out["malformed"]) == (3, 1, 2)
    assert out["malformed_reasons"] == {"cannot be answered": 2}


def test_redirect_to_routes_count_redirects_and_are_used():
    table = make_table([{"rule": "/", "endpoint": "index"},
                        {"rule": "/old/<int:n>", "endpoint": "old", "redirect_to": "/"}])
    report = CoverageReport(table)
    report.add("GET", "/old/1")
    report.add("GET", "/old/2")
    out = report.to_dict()
    assert [(r["hits"], r["redirects"]) for r in out["routes"]] == [(0, 0), (0, 2)]
    assert [u["endpoint"] for u in out["unused"]] == ["index"]
    assert out["status"]["308"] == 2


def test_a_failing_app_converter_counts_under_its_status():
    # As `routecli match` answers it (docs/coverage.md): 500, or the status abort() raised.
    from werkzeug.exceptions import Gone

    from routecli.routing.model import Route, RouteSet

    class Broken:
        regex = "[a-z]+"
        weight = 100
        part_isolating = True

        def to_python(self, value):
            if value == "gone":
                raise Gone()
            raise KeyError(value)

        def to_url(self, value):
            return value

    table = RouteTable(RouteSet([Route("/b/<x>", "b", converters={"x": Broken()}),
                                 Route("/", "index")]))
    report = CoverageReport(table)
    for target in ("/b/abc", "/b/abc?x=1", "/b/gone", "/"):
        report.add("GET", target)
    out = report.to_dict()
    assert (out["lines"], out["requests"], out["malformed"]) == (4, 4, 0)
    assert out["status"] == {"200": 1, "308": 0, "404": 0, "405": 0, "410": 1, "500": 2}
    assert out["malformed_reasons"] == {}
    assert [(r["endpoint"], r["hits"]) for r in out["routes"]] == [("b", 0), ("index", 1)]


def test_a_405_group_is_found_once_per_path_and_allowed_methods(monkeypatch):
    # One path of 100 rules, a method each, asked with 50 methods none takes: the group
    # (every rule, found by asking again with each allowed method) was 50 x 100 matches.
    from helpers import table as make_table
    from routecli.coverage.answers import Answerer

    routes = make_table(*[("/x", f"e{i}", {"methods": [f"M{i}"]}) for i in range(100)])
    answerer = Answerer(routes)
    asked = []
    match = routes.match

    def counted(method, url, host=None):
        asked.append(method)
        return match(method, url, host)

    monkeypatch.setattr(routes, "match", counted)
    answers = {answerer.resolve(f"Z{k} /x") for k in range(50)}
    assert len(answers) == 1
    [(status, group, allowed)] = answers
    assert status == 405 and group == tuple(range(100))
    assert set(allowed) == {"OPTIONS", *(f"M{i}" for i in range(100))}
    assert len(asked) == 50 + 100  # each request once, the allowed methods once
