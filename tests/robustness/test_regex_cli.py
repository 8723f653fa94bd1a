"""ReDoS through a custom converter regex, end to end: ``routecli match`` answers a request
that makes Werkzeug's ``re`` backtrack for ever at once, and ``lint`` reports RL120; in a
subprocess under a memory limit and a timeout."""

from __future__ import annotations

import json

from test_analysis_cli import TIME_LIMIT, routecli

ROUTES = {
    "converters": {"evil": {"regex": "(a+)+$"}, "alt": {"regex": "(a|aa)+b"}},
    "routes": [{"rule": "/x/<evil:v>", "endpoint": "x"},
               {"rule": "/y/<alt:v>", "endpoint": "y"},
               {"rule": "/z/pre-<evil:v>.html", "endpoint": "z"}],
}


def test_match_answers_catastrophic_inputs_at_once(tmp_path):
    routes = tmp_path / "routes.json"
    routes.write_text(json.dumps(ROUTES))
    long = "a" * 5000
    for url, status in ((f"/x/{long}!", 404), (f"/y/{long}", 404),
                        (f"/z/pre-{long}!.html", 404), (f"/x/{long}", 200)):
        done, seconds = routecli("-r", str(routes), "match", "GET", url, "--format", "json",
                                 cwd=tmp_path)
        assert seconds < TIME_LIMIT
        assert json.loads(done.stdout)["status"] == status
        assert done.returncode == (0 if status == 200 else 1)


def test_lint_reports_backtracking_regexes(tmp_path):
    routes = tmp_path / "routes.json"
    routes.write_text(json.dumps(ROUTES))
    done, seconds = routecli("-r", str(routes), "lint", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0 and seconds < TIME_LIMIT  # warnings do not fail by default
    found = [f for f in json.loads(done.stdout)["findings"] if f["code"] == "RL120"]
    assert sorted(f["routes"][0]["endpoint"] for f in found) == ["x", "y"]
    assert [len(f["routes"]) for f in found if f["routes"][0]["endpoint"] == "x"] == [2]
