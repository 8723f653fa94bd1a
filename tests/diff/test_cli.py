"""`routecli diff` through click's CliRunner (docs/diff.md): sides, git sources, formats,
exit statuses and one-line errors."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from routecli.cli.app import cli

ROOT = Path(__file__).resolve().parents[2]
OLD = str(ROOT / "sample_routes" / "diff_old.yaml")
NEW = str(ROOT / "sample_routes" / "diff_new.yaml")


def run(*args, **kwargs):
    return CliRunner().invoke(cli, list(args), **kwargs)


def test_text_report_and_exit_status():
    result = run("diff", OLD, NEW)
    assert result.exit_code == 1
    assert "BREAKING     route-shadows" in result.stdout
    assert "GET /users/me: 200 user (user_id='me') => 200 me" in result.stdout
    assert result.stdout.endswith("4 breaking, 2 non-breaking, 0 info change(s); "
                                  "0 new lint finding(s) (4 -> 6 routes)\n")


def test_json_follows_the_contract():
    data = json.loads(run("diff", OLD, NEW, "--format", "json").stdout)
    assert data["summary"] == {"breaking": 4, "non_breaking": 2, "info": 0, "new_findings": 0,
                               "complete": True}
    kinds = {c["kind"] for c in data["changes"]}
    assert kinds == {"methods-removed", "route-shadows", "converter-narrowed",
                     "trailing-slash-changed", "endpoint-renamed", "route-added"}
    for change in data["changes"]:
        assert set(change) == {"kind", "severity", "message", "old", "new", "requests"}
        assert change["requests"], change
        for request in change["requests"]:
            assert request["old"] != request["new"]


def test_fail_on():
    same = run("diff", OLD, OLD)
    assert same.exit_code == 0 and "no changes" in same.stdout
    only_added = [OLD, "--new", OLD, "--new", str(ROOT / "sample_routes" / "blog.yaml")]
    assert run("diff", *only_added, "--no-lint").exit_code in (0, 1)
    assert run("diff", OLD, NEW, "--fail-on", "any").exit_code == 1


def test_non_breaking_only_passes_by_default(tmp_path):
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    old.write_text("routes:\n  - {rule: /a, endpoint: a}\n")
    new.write_text("routes:\n  - {rule: /a, endpoint: a}\n  - {rule: /b, endpoint: b}\n")
    assert run("diff", str(old), str(new)).exit_code == 0
    assert run("diff", str(old), str(new), "--fail-on", "any").exit_code == 1


def test_markdown_and_github():
    markdown = run("diff", OLD, NEW, "--format", "markdown").stdout
    assert markdown.startswith("## routecli diff\n")
    assert "/users/&lt;user_id&gt;" in markdown and "| BREAKING | route-shadows" in markdown
    github = run("diff", OLD, NEW, "--format", "github").stdout.splitlines()
    assert len(github) == 6
    assert github[0].startswith("::error file=sample_routes/diff_new.yaml,line=3,"
                                "title=routecli diff%3A methods-removed::")
    assert any(line.startswith("::warning ") for line in github)


def test_new_defaults_to_the_command_sources():
    result = run("-r", NEW, "diff", OLD, "--format", "json")
    assert json.loads(result.stdout)["summary"]["breaking"] == 4


@pytest.mark.parametrize(("args", "message"), [
    (["diff"], "give OLD"),
    (["diff", "nope.yaml", NEW], "nope.yaml: no such file"),
    (["diff", "git:--upload-pack=x:routes.yaml", NEW], "invalid git revision"),
    (["diff", "git:HEAD", NEW], "expected git:REVISION:PATH"),
    (["diff", "git:HEAD:/etc/passwd", NEW], "give a path relative to the current directory"),
])
def test_errors_are_one_line_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_help_has_examples():
    result = run("diff", "--help")
    assert result.exit_code == 0 and "routecli diff git:origin/main:routes.yaml" in result.output


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_revision_side(tmp_path, monkeypatch):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True,
                       env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})

    git("init", "-q")
    sub = tmp_path / "app"
    sub.mkdir()
    routes = sub / "routes.yaml"
    routes.write_text("routes:\n  - {rule: /a, endpoint: a}\n  - {rule: /b, endpoint: b}\n")
    git("add", ".")
    git("commit", "-qm", "one")
    routes.write_text("routes:\n  - {rule: /a, endpoint: a}\n")
    monkeypatch.chdir(sub)  # the path is relative to the current directory
    result = run("diff", "git:HEAD:routes.yaml", "routes.yaml", "--format", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert [c["kind"] for c in data["changes"]] == ["route-removed"]
    assert data["changes"][0]["old"]["source"] == "git:HEAD:routes.yaml:3"
    assert run("-r", "git:HEAD:routes.yaml", "list").exit_code == 0
    missing = run("diff", "git:HEAD:other.yaml", "routes.yaml")
    assert missing.exit_code == 2
    assert missing.output.startswith("git:HEAD:other.yaml: git cannot read it")


def test_starlette_sides():
    old = str(ROOT / "sample_routes" / "diff_starlette_old.yaml")
    new = str(ROOT / "sample_routes" / "diff_starlette_new.yaml")
    result = run("diff", old, new, "--format", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert {c["kind"] for c in data["changes"]} == {"methods-removed", "converter-narrowed"}
    assert [f["code"] for f in data["new_findings"]] == ["RL201"]  # /users/me now unreachable
    shadowing = next(c for c in data["changes"] if c["kind"] == "methods-removed")
    assert "now shadows /users/me (me)" in shadowing["message"]
    assert run("diff", new, old, "--format", "json").exit_code == 1


def test_two_dialects_from_the_cli():
    result = run("diff", OLD, str(ROOT / "sample_routes" / "diff_starlette_new.yaml"),
                 "--format", "json", "--no-lint")
    assert result.exit_code == 1, result.output
    changes = json.loads(result.stdout)["changes"]
    settings = [c for c in changes if c["kind"] == "settings-changed"]
    assert settings and "dialect 'werkzeug' -> 'starlette'" in settings[0]["message"]
    for change in changes:
        for request in change["requests"]:
            assert request["old"] != request["new"]


def test_rich_text_keeps_a_hanging_indent_at_80_columns(monkeypatch):
    """On a narrow terminal a change's message and its requests wrap in their own column:
    only the route headings and the summary start at the left edge."""
    import routecli.cli.diff_cmd as diff_cmd

    monkeypatch.setattr(diff_cmd, "use_rich", lambda *args: True)
    monkeypatch.setenv("COLUMNS", "80")
    result = run("diff", OLD, NEW)
    assert result.exit_code == 1
    lines = result.stdout.rstrip("\n").splitlines()
    assert all(len(line.rstrip()) <= 80 for line in lines)
    keys = {"/users/<user_id>", "/users/me", "/items/<int(max=1000):item_id>", "/about/",
            "/feed", "/help"}
    summary = [i for i, line in enumerate(lines) if line.startswith("4 breaking")][0]
    for line in lines[:summary]:
        assert line in keys or line.startswith("  "), line
    assert any(line.startswith(" " * 15 + "[") and "diff_new.yaml:3]" in line
               for line in lines)
    assert any(line.startswith(" " * 17 + "PUT /users/x: 200 user") for line in lines)


def test_a_long_allowed_list_is_cut_in_human_output_and_kept_in_json(tmp_path):
    # A path of 100 rules, a method each: every 405 of the diff listed all of them
    import json

    from click.testing import CliRunner

    from routecli.cli.app import cli

    routes = [{"rule": "/x", "methods": [f"M{i:03}"], "endpoint": f"e{i}"} for i in range(100)]
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps({"routes": routes}))
    new.write_text(json.dumps({"routes": routes[1:]}))
    text = CliRunner().invoke(cli, ["diff", str(old), str(new)]).output
    assert "405 (allowed: M001, M002, M003, M004, M005, M006, M007, M008, M009, M010, M011, " \
           "M012 and 88 more)" in text
    data = json.loads(CliRunner().invoke(cli, ["diff", str(old), str(new), "--format",
                                                "json"]).output)
    listed = [answer["allowed_methods"] for change in data["changes"]
              for request in change["requests"] for answer in (request["old"], request["new"])
              if answer.get("allowed_methods")]
    assert listed and all(len(methods) == 100 for methods in listed)
