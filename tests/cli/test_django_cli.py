"""The CLI on Django URLconfs: a route file (sample_routes/django_urls.yaml) in process,
and a live project (tests/fixtures_apps/django_site) in a child process, since Django can
be configured once per process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from routecli.cli.app import cli

ROOT = Path(__file__).resolve().parents[2]
URLS = str(ROOT / "sample_routes" / "django_urls.yaml")
FIXTURES = ROOT / "tests" / "fixtures_apps"


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_match_namespaced_view():
    result = run("-r", URLS, "match", "--format", "json", "GET", "/shop/items/3/")
    data = json.loads(result.output)
    assert result.exit_code == 0
    assert (data["endpoint"], data["rule"], data["args"], data["dialect"]) == (
        "shop:item", "shop/items/<int:pk>/", {"pk": 3}, "django")


def test_append_slash_is_a_301_with_a_relative_location_and_exit_0():
    result = run("-r", URLS, "match", "--format", "json", "GET", "/users/x?q=1")
    data = json.loads(result.output)
    assert result.exit_code == 0
    assert (data["status"], data["location"]) == (301, "/users/x/?q=1")


def test_view_methods_give_405_exit_1():
    result = run("-r", URLS, "match", "GET", "/login/")
    assert result.exit_code == 1
    assert result.output.startswith("405 Method Not Allowed") and "allowed   POST" in result.output


def test_404_explain_lists_the_patterns_tried():
    result = run("-r", URLS, "match", "--format", "json", "--explain", "GET", "/nope/")
    data = json.loads(result.output)
    assert result.exit_code == 1
    assert data["status"] == 404 and "users/<str:username>/ [name='user']" in data["tried"]


def test_batch():
    result = run("-r", URLS, "match", "--batch", "-", input="GET /\nPOST /login\nGET /x/\n")
    assert result.output.splitlines() == ["200 GET / -> home", "301 POST /login -> /login/",
                                          "404 GET /x/"]


def test_lint_finds_the_trap_and_the_specific_after_general():
    result = run("-r", URLS, "lint", "--format", "json")
    codes = {f["code"] for f in json.loads(result.output)["findings"]}
    assert result.exit_code == 1
    assert {"RL201", "RL302"} <= codes and "RL304" not in codes  # RL304 is opt-in
    result = run("-r", URLS, "lint", "--format", "json", "--extend-select", "RL304")
    assert "RL304" in {f["code"] for f in json.loads(result.output)["findings"]}


def test_rule_page():
    result = run("rule", "RL301")
    assert result.exit_code == 0 and "include()" in result.output


def test_bad_pattern_is_one_line_at_its_file_line(tmp_path):
    bad = tmp_path / "urls.yaml"
    bad.write_text("settings: {dialect: django}\nroutes:\n  - {rule: 'a/<nope:x>/', "
                   "endpoint: a}\n")
    result = run("-r", str(bad), "match", "GET", "/a/1/")
    assert result.exit_code == 2
    assert f"{bad}:3:" in result.output and "invalid converter 'nope'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("spec", ["django_site.urls", "django_site.settings"])
def test_live_project(spec):
    pytest.importorskip("django")
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([sys.executable, "-m", "routecli", "-r", spec, "match",
                           "--format", "json", "DELETE", "/y/2000/"], cwd=FIXTURES,
                          capture_output=True, text=True, env=env, timeout=120)
    data = json.loads(done.stdout)
    assert done.returncode == 1, done.stderr
    assert (data["status"], data["allowed_methods"], data["source"]) == (
        405, ["GET", "PUT"], "django_site/urls.py:12")  # its path() line
    assert data["view_source"] == "django_site/views.py:25"  # the view's own


def test_live_project_import_error_is_one_line(tmp_path):
    pytest.importorskip("django")
    (tmp_path / "broken_urls.py").write_text(
        "from django.urls import path\nimport nothing_here\nurlpatterns = []\n")
    done = subprocess.run([sys.executable, "-m", "routecli", "-r", "broken_urls", "list"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "broken_urls.py:2" in done.stderr


def test_coverage_counts_views_and_append_slash_redirects():
    result = run("-r", URLS, "coverage", "--format", "json", "-",
                 input="GET /users/bob/\nGET /shop/items/3/\nPOST /login\nGET /nope\n")
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.output)
    text = json.dumps(data)
    assert "shop:item" in text and "/nope" in text


def test_404_explain_text_lists_the_patterns_tried():
    result = run("-r", URLS, "match", "--explain", "GET", "/nope")
    assert "patterns tried (8):" in result.output
    assert "    users/<str:username>/ [name='user']" in result.output.splitlines()


@pytest.mark.parametrize("item, message", [
    ("{regex: 'a/(', endpoint: a}", "is not a valid regular expression"),
    ("{rule: 'a/<int:x>/<str:x>/', endpoint: a}", "uses parameter name 'x' twice"),
    ("{rule: 'a/<int: x>/', endpoint: a}", "cannot contain whitespace"),
    ("{rule: 'a/<int:1x>/', endpoint: a}", "isn't a valid Python identifier"),
    ("{mount: /a, routes: []}", "has no 'mount' groups"),
    ("{rule: a/, regex: a/, endpoint: a}", "not both"),
    ("{include: a/}", "missing required key 'routes'"),
])
def test_what_django_refuses_is_one_line_at_its_line(tmp_path, item, message):
    bad = tmp_path / "urls.yaml"
    bad.write_text(f"settings: {{dialect: django}}\nroutes:\n  - {{rule: ok/, endpoint: ok}}\n"
                   f"  - {item}\n")
    result = run("-r", str(bad), "list")
    assert result.exit_code == 2, result.output
    assert f"{bad}:4" in result.output and message in result.output, result.output
    assert "Traceback" not in result.output and result.output.count("\n") == 1


def test_list_shows_what_each_view_accepts():
    rows = json.loads(run("-r", URLS, "list", "--format", "json").output)
    methods = {row["endpoint"]: row["methods"] for row in rows}
    assert methods["login"] == ["POST"]
    assert methods["shop:item"] == ["GET", "POST", "HEAD", "OPTIONS"]
    assert methods["home"] == ["*"]
    rows = json.loads(run("-r", URLS, "list", "--method", "DELETE", "--format", "json").output)
    assert "login" not in {row["endpoint"] for row in rows}
    assert "home" in {row["endpoint"] for row in rows}
