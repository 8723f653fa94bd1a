"""Hand-made OLD/NEW pairs, one per change kind of docs/diff.md#change-kinds: the kind, the
severity, and witness requests that both tables really answer differently."""

import pytest

from routecli.diff import diff
from routecli.routing.werkzeug.table import RouteTable


def table(*routes, **settings):
    return RouteTable.from_data({"routes": list(routes), "settings": settings})


def r(rule, endpoint, methods=None, **options):
    route = {"rule": rule, "endpoint": endpoint, **options}
    if methods is not None:
        route["methods"] = methods
    return route


def only(report, kind):
    kinds = kind if isinstance(kind, tuple) else (kind,)
    found = [c for c in report.changes if c.kind in kinds]
    assert found, f"no {kind} in {report.changes}"
    return found[0]


def assert_proven(report, old, new):
    """Every reported witness is answered differently by the two tables, and every
    non-info change has one."""
    for change in report.changes:
        if change.severity != "info":
            assert change.requests, change
        for e in change.requests:
            a = old.match(e.request.method, e.request.url, e.request.host)
            b = new.match(e.request.method, e.request.url, e.request.host)
            assert (a.status, a.endpoint, a.location) != (b.status, b.endpoint, b.location) \
                or a.args != b.args, (change, e)


CASES = [
    # (name, OLD routes, NEW routes, settings, kind, severity, (method, url, old status, new status))
    ("added", [r("/a", "a")], [r("/a", "a"), r("/b", "b")], {},
     "route-added", "non_breaking", ("GET", "/b", 404, 200)),
    ("removed", [r("/a", "a"), r("/b", "b")], [r("/a", "a")], {},
     "route-removed", "breaking", ("GET", "/b", 200, 404)),
    ("methods added", [r("/a", "a", ["GET"])], [r("/a", "a", ["GET", "POST"])], {},
     "methods-added", "non_breaking", ("POST", "/a", 405, 200)),
    ("methods removed", [r("/a", "a", ["GET", "POST"])], [r("/a", "a", ["GET"])], {},
     "methods-removed", "breaking", ("POST", "/a", 200, 405)),
    ("string to int", [r("/u/<id>", "u")], [r("/u/<int:id>", "u")], {},
     "converter-narrowed", "breaking", ("GET", "/u/x", 200, 404)),
    ("int to int(max)", [r("/u/<int:id>", "u")], [r("/u/<int(max=100):id>", "u")], {},
     "converter-narrowed", "breaking", ("GET", "/u/101", 200, 404)),
    ("int(max) to int", [r("/u/<int(max=100):id>", "u")], [r("/u/<int:id>", "u")], {},
     "converter-widened", "non_breaking", ("GET", "/u/101", 404, 200)),
    # wider, but /u/1 now passes "1" instead of 1 to the view: different converted arguments
    ("int to string", [r("/u/<int:id>", "u")], [r("/u/<id>", "u")], {},
     "converter-widened", "breaking", ("GET", "/u/x", 404, 200)),
    ("endpoint renamed", [r("/a", "a")], [r("/a", "b")], {},
     "endpoint-renamed", "non_breaking", ("GET", "/a", 200, 200)),
    ("trailing slash", [r("/a", "a")], [r("/a/", "a")], {},
     "trailing-slash-changed", "breaking", ("GET", "/a", 200, 308)),
    ("strict slashes off", [r("/a/", "a")], [r("/a/", "a", strict_slashes=False)], {},
     "strict-slashes-changed", "breaking", ("GET", "/a", 308, 200)),
    ("redirect added", [r("/old", "old")], [r("/old", "old", redirect_to="/new")], {},
     "redirect-added", "breaking", ("GET", "/old", 200, 308)),
    ("redirect removed", [r("/old", "old", redirect_to="/new")], [r("/old", "old")], {},
     "redirect-removed", "breaking", ("GET", "/old", 308, 200)),
    ("defaults", [r("/p", "p", defaults={"n": 1})], [r("/p", "p", defaults={"n": 2})], {},
     "defaults-changed", "breaking", ("GET", "/p", 200, 200)),
    ("host", [r("/a", "a", host="a.example.com")], [r("/a", "a", host="b.example.com")],
     {"host_matching": True}, "host-changed", "breaking", None),
    ("subdomain", [r("/a", "a", subdomain="api")], [r("/a", "a", subdomain="v2")],
     {"server_name": "example.com"}, "subdomain-changed", "breaking", None),
    ("now shadows", [r("/u/<id>", "user")], [r("/u/<id>", "user"), r("/u/me", "me")], {},
     "route-shadows", "breaking", ("GET", "/u/me", 200, 200)),
    ("reorder", [r("/x/<a>", "first"), r("/x/<b>", "second")],
     [r("/x/<b>", "second"), r("/x/<a>", "first")], {},
     ("route-shadows", "route-shadowed"), "breaking", ("GET", "/x/x", 200, 200)),
    ("rule changed", [r("/api/users", "users")], [r("/v2/users", "users")], {},
     "rule-changed", "breaking", ("GET", "/api/users", 200, 404)),
]


@pytest.mark.parametrize(("old_routes", "new_routes", "settings", "kind", "severity", "witness"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_change_kind(old_routes, new_routes, settings, kind, severity, witness):
    old, new = table(*old_routes, **settings), table(*new_routes, **settings)
    report = diff(old, new)
    change = only(report, kind)
    assert change.severity == severity
    assert_proven(report, old, new)
    if witness is not None:
        method, url, before, after = witness
        seen = [(e.request.method, e.request.url, e.old.status, e.new.status)
                for c in report.changes for e in c.requests]
        assert (method, url, before, after) in seen


def test_unchanged_tables_have_no_changes():
    routes = [r("/a", "a"), r("/u/<int:id>", "u", ["GET", "POST"])]
    report = diff(table(*routes), table(*routes))
    assert report.changes == [] and report.summary["breaking"] == 0


def test_paired_by_answers_not_by_name():
    """`/users/<id>` -> `/users/<name>`: one route, same requests, nothing changed;
    a base-path move of the same endpoint is one rule change, not a removal + addition."""
    report = diff(table(r("/users/<id>", "u")), table(r("/users/<name>", "u")))
    assert [c.kind for c in report.changes] == ["converter-changed"] or all(
        c.severity != "breaking" for c in report.changes)
    report = diff(table(r("/api/users", "users")), table(r("/v2/users", "users")))
    assert [c.kind for c in report.changes] == ["rule-changed"]


def test_reorder_without_effect_is_info():
    old = table(r("/a", "a"), r("/b", "b"))
    new = table(r("/b", "b"), r("/a", "a"))
    report = diff(old, new)
    assert {c.kind for c in report.changes} == {"route-moved"}
    assert all(c.severity == "info" and not c.requests for c in report.changes)


def test_edge_order_effect_of_an_unrelated_route_is_explained():
    """werkzeug#3156: removing `/<string:v>/no_match` changes which of two untouched
    routes answers /foo."""
    shared = [r("/<any(foo,bar):v>", "any"), r("/<string:v>", "string")]
    old = table(r("/<string:v>/no_match", "x"), *shared)
    new = table(*shared)
    before, after = old.match("GET", "/foo").endpoint, new.match("GET", "/foo").endpoint
    report = diff(old, new)
    assert_proven(report, old, new)
    if before != after:
        requests = [(e.request.url, e.old.endpoint, e.new.endpoint)
                    for c in report.changes for e in c.requests]
        assert ("/foo", before, after) in requests


def test_settings_change_is_reported():
    old = table(r("/a/", "a"))
    new = table(r("/a/", "a"), strict_slashes=False)
    report = diff(old, new)
    assert any(c.kind == "settings-changed" for c in report.changes)
    assert any(e.request.url == "/a" for c in report.changes for e in c.requests)


def test_new_lint_findings_by_fingerprint():
    old = table(r("/a", "a"), r("/b", "b"))
    new = table(r("/a", "a"), r("/b", "b"), r("/a", "a2"))
    report = diff(old, new)
    assert [f.code for f in report.new_findings] == ["RL101"]
    assert diff(new, new).new_findings == []
    assert diff(old, new, lint=False).new_findings == []


def test_json_shape():
    report = diff(table(r("/a", "a")), table(r("/b", "b")))
    data = report.to_dict()
    assert set(data) == {"changes", "new_findings", "summary"}
    assert data["summary"] == {"breaking": 1, "non_breaking": 1, "info": 0, "new_findings": 0,
                               "complete": True}
    removed = next(c for c in data["changes"] if c["kind"] == "route-removed")
    assert removed["old"] == {"rule": "/a", "endpoint": "a", "methods": ["GET"],
                              "source": "<data>"}
    assert removed["new"] is None
    assert removed["requests"][0] == {"method": "GET", "url": "/a",
                                      "old": {"status": 200, "endpoint": "a"},
                                      "new": {"status": 404, "endpoint": None}}


def test_route_moved_to_another_file_is_info(tmp_path):
    import routecli

    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("routes:\n  - {rule: /a, endpoint: a}\n  - {rule: /b, endpoint: b}\n")
    b.write_text("routes:\n  - {rule: /c, endpoint: c}\n")
    old = routecli.load(str(a), str(b))
    a.write_text("routes:\n  - {rule: /a, endpoint: a}\n")
    b.write_text("routes:\n  - {rule: /b, endpoint: b}\n  - {rule: /c, endpoint: c}\n")
    new = routecli.load(str(a), str(b))
    report = diff(old, new)
    assert [(c.kind, c.severity, c.old.rule) for c in report.changes] == [
        ("route-moved", "info", "/b")]
    # two different files with the same routes: nothing moved that NEW still reads
    assert diff(routecli.load(str(b)), routecli.load(str(a), str(b))).changes[0].kind \
        == "route-added"
