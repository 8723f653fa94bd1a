"""`routecli lint`, `routecli conflicts` and `routecli rule` through click's CliRunner.

Most tests run the commands over a small stand-in engine (duplicates -> RL101, rules
containing "tie" -> RL102, "cross" -> RL110), so selection, suppression, baselines,
formats and exit statuses are pinned whatever the real checks find; the end-to-end
tests at the bottom run the real engine on route files with known findings.
"""

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import routecli.analysis
from routecli.analysis.findings import Finding, Report, Witness
from routecli.cli.app import cli

ROOT = Path(__file__).resolve().parents[2]

ROUTES = """\
routes:
  - rule: /a
    endpoint: a
  - rule: /a
    endpoint: a2
  - rule: /tie/<x>
    endpoint: tie
  - rule: /cross/<y>
    endpoint: cross
  - rule: /quiet/tie
    endpoint: quiet
    noqa: [RL102]
"""


def stand_in_lint(table, strict=False, noqa=True, group=True, budget=None, only=None):
    rules = list(table)
    findings = []
    first = {}
    for rule in rules:
        if rule.rule in first:
            other = first[rule.rule]
            findings.append(Finding("RL101", "error", f"{rule.rule} ({rule.endpoint}) "
                                    f"duplicates {other.endpoint}", [rule, other],
                                    Witness("GET", rule.rule), other.endpoint, kind="duplicate"))
        first.setdefault(rule.rule, rule)
        if "tie" in rule.rule:
            findings.append(Finding("RL102", "error" if strict else "warning",
                                    f"{rule.rule}: tie", [rule], Witness("GET", "/tie/a"),
                                    rule.endpoint, kind="tie"))
        if "cross" in rule.rule:
            findings.append(Finding("RL110", "warning", f"{rule.rule}: trap", [rule],
                                    Witness("GET", "/cross/b"), None, kind="validation-trap"))
    if only is not None:  # as lint(only=...): the wanted codes' findings only
        findings = [finding for finding in findings if finding.code in only]
    return Report(findings, len(rules))


@pytest.fixture
def engine(monkeypatch):
    monkeypatch.setattr(routecli.analysis, "lint", stand_in_lint, raising=False)
    monkeypatch.setattr(routecli.analysis, "conflicts", stand_in_lint, raising=False)


@pytest.fixture
def project(tmp_path, monkeypatch, engine):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ROUTECLI_ROUTES", raising=False)
    monkeypatch.delenv("FLASK_APP", raising=False)
    (tmp_path / "routes.yaml").write_text(ROUTES)
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli, list(args))


def codes(result):
    return [f["code"] for f in json.loads(result.stdout)["findings"]]


# ----------------------------------------------------------------------------- lint


def test_plain_text_and_exit_1_on_errors(project):
    result = run("lint")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "routes.yaml:4: RL101 error: /a (a2) duplicates a"
    assert lines[1] == "    witness: GET /a -> answered by a"
    assert "routes.yaml:6: RL102 warning: /tie/<x>: tie" in lines
    assert lines[-1] == "1 error, 2 warnings in 5 routes; 1 suppressed by noqa"


def test_positional_files_and_r_are_the_same(project):
    a = run("lint", "routes.yaml", "--format", "json")
    b = run("lint", "-r", "routes.yaml", "--format", "json")
    c = run("-r", "routes.yaml", "lint", "--format", "json")
    assert a.exit_code == b.exit_code == c.exit_code == 1
    assert a.stdout == b.stdout == c.stdout


def test_select_ignore_and_fail_on(project):
    assert codes(run("lint", "--format", "json", "--select", "RL102,RL110")) == [
        "RL102", "RL110"]
    result = run("lint", "--format", "json", "--ignore", "RL101")
    assert codes(result) == ["RL102", "RL110"] and result.exit_code == 0
    assert run("lint", "--ignore", "RL101", "--fail-on", "warning").exit_code == 1
    assert run("lint", "--select", "RL110", "--fail-on", "info").exit_code == 1
    assert run("lint", "--select", "RL1", "--ignore", "RL10").exit_code == 0
    assert run("lint", "--exit-zero").exit_code == 0


def test_strict_promotes_ties(project):
    result = run("lint", "--ignore", "RL101", "--strict", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["summary"]["errors"] == 1


@pytest.mark.parametrize("option", ["--select", "--ignore", "--extend-select"])
def test_unknown_code_is_a_usage_error(project, option):
    result = run("lint", option, "RL101,RL999")
    assert result.exit_code == 2
    assert "unknown rule code 'RL999'" in result.stderr
    assert option in result.stderr and "Traceback" not in result.output


def test_noqa_is_counted_and_ignore_noqa_shows_it(project):
    data = json.loads(run("lint", "--format", "json", "--ignore-noqa").stdout)
    assert ["/quiet/tie" in f["routes"][0]["rule"] for f in data["findings"]].count(True) == 1


def test_config_and_cli_override(project):
    (project / "pyproject.toml").write_text(
        '[tool.routecli]\nroutes = ["routes.yaml"]\n\n'
        '[tool.routecli.lint]\nignore = ["RL101"]\nfail-on = "warning"\n')
    result = run("lint", "--format", "json")
    assert codes(result) == ["RL102", "RL110"] and result.exit_code == 1
    assert run("lint", "--fail-on", "error").exit_code == 0  # the option beats the file
    assert codes(run("lint", "--format", "json", "--select", "RL1")) == [
        "RL101", "RL102", "RL110"]  # --select replaces the configured selection
    assert codes(run("lint", "--format", "json", "--isolated"))[0] == "RL101"


def test_config_error_is_file_line_and_exit_2(project):
    (project / "pyproject.toml").write_text('[tool.routecli.lint]\nselect = ["RL1"]\n'
                                            'fail_on = "error"\n')
    result = run("lint")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("pyproject.toml:3: unknown key 'fail_on' in "
                                     "[tool.routecli.lint] (did you mean 'fail-on'?)")


def test_per_file_ignores_from_config(project):
    (project / "legacy.yaml").write_text("routes:\n  - rule: /cross/<z>\n    endpoint: old\n")
    (project / "pyproject.toml").write_text(
        '[tool.routecli.lint.per-file-ignores]\n"legacy.yaml" = ["RL110"]\n')
    data = json.loads(run("lint", "routes.yaml", "legacy.yaml", "--format", "json").stdout)
    assert [f["routes"][0]["source"] for f in data["findings"] if f["code"] == "RL110"] == [
        "routes.yaml:8"]


def test_baseline_round_trip(project):
    result = run("lint", "--write-baseline", "baseline.json")
    assert result.exit_code == 0
    assert "wrote 3 findings to the baseline baseline.json" in result.stderr
    entries = json.loads((project / "baseline.json").read_text())["findings"]
    assert {e["code"] for e in entries} == {"RL101", "RL102", "RL110"}

    result = run("lint", "--baseline", "baseline.json")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        "no findings in 5 routes; 1 suppressed by noqa; 3 in baseline")

    # Lines shift (a new route on top) and a new duplicate appears: only it is reported.
    text = ROUTES.replace("routes:\n", "routes:\n  - rule: /new\n    endpoint: new\n"
                                       "  - rule: /new\n    endpoint: new2\n")
    (project / "routes.yaml").write_text(text)
    result = run("lint", "--baseline", "baseline.json", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(f["code"], f["routes"][0]["endpoint"]) for f in data["findings"]] == [
        ("RL101", "new2")]


def test_baseline_from_config_and_missing_file(project):
    (project / "pyproject.toml").write_text('[tool.routecli.lint]\nbaseline = "b.json"\n')
    result = run("lint")
    assert result.exit_code == 2 and "b.json: baseline file not found" in result.stderr
    assert run("lint", "--write-baseline", "b.json").exit_code == 0
    assert run("lint").exit_code == 0


def test_json_format_is_the_contract(project):
    data = json.loads(run("lint", "--format", "json").stdout)
    assert set(data) == {"findings", "summary"}
    assert data["summary"] == {"routes": 5, "errors": 1, "warnings": 2, "infos": 0,
                               "complete": True}
    assert data["findings"][0] == {
        "code": "RL101", "severity": "error", "message": "/a (a2) duplicates a",
        "routes": [{"rule": "/a", "endpoint": "a2", "methods": ["GET"],
                    "source": "routes.yaml:4"},
                   {"rule": "/a", "endpoint": "a", "methods": ["GET"],
                    "source": "routes.yaml:2"}],
        "witness": {"method": "GET", "url": "/a"}, "answered_by": "a"}


def test_sarif_format(project):
    result = run("lint", "--format", "sarif", "--output", "out.sarif")
    assert result.exit_code == 1 and result.stdout == ""
    log = json.loads((project / "out.sarif").read_text())
    run_ = log["runs"][0]
    assert run_["tool"]["driver"]["name"] == "routecli"
    assert {r["ruleId"]: r["level"] for r in run_["results"]} == {
        "RL101": "error", "RL102": "warning", "RL110": "warning"}
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in run_["results"]}
    assert uris == {"routes.yaml"}


def test_github_format(project):
    result = run("lint", "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::error file=routes.yaml,line=4,title=RL101 ")
    assert lines[0].endswith("::/a (a2) duplicates a%0Awitness: GET /a -> answered by a")
    assert sum(line.startswith("::warning ") for line in lines) == 2
    assert "1 error, 2 warnings" in result.stderr


def test_statistics(project):
    result = run("lint", "--statistics")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1  RL101  ") and len(lines) == 4
    rows = json.loads(run("lint", "--statistics", "--format", "json").stdout)
    assert [row["code"] for row in rows] == ["RL101", "RL102", "RL110"]


def test_show_source_and_rich(project):
    result = run("lint", "--show-source")
    assert "        4 |   - rule: /a" in result.stdout
    result = run("--color", "always", "lint", "--show-source")
    assert result.exit_code == 1
    assert "routes.yaml" in result.stdout and "RL101" in result.stdout
    assert "\x1b[" in result.stdout


def test_bad_routes_exit_2(project):
    (project / "broken.yaml").write_text("routes:\n  - rule: /a\n")
    result = run("lint", "broken.yaml")
    assert result.exit_code == 2 and result.stderr.startswith("broken.yaml:")


def test_help_has_examples_and_exit_statuses():
    for command in ("lint", "conflicts", "rule"):
        text = run(command, "--help").output
        assert "Examples:" in text and "Exit status:" in text


# ----------------------------------------------------------------------------- conflicts


def test_conflicts_text_json_and_exit(project):
    result = run("conflicts")
    assert result.exit_code == 1  # a duplicate is an error
    assert "RL101 error [duplicate]: /a (a2) at routes.yaml:4 / /a (a) at routes.yaml:2" \
        in result.stdout
    assert result.stdout.splitlines()[-1] == "3 conflicts in 5 routes; 1 suppressed by noqa"
    data = json.loads(run("conflicts", "--format", "json").stdout)
    assert set(data) == {"findings", "summary"} and len(data["findings"]) == 3
    # No rule selection: the config does not hide pairs from the inventory.
    (project / "pyproject.toml").write_text('[tool.routecli.lint]\nignore = ["ALL"]\n')
    assert len(json.loads(run("conflicts", "--format", "json").stdout)["findings"]) == 3
    assert run("conflicts", "--fail-on", "error", "-r", "routes.yaml").exit_code == 1


def test_conflicts_groups_many_overlaps(project, monkeypatch):
    def hub(table, strict=False, budget=None, only=None):
        rules = list(table)
        return Report([Finding("RL104", "info", "specialisation", [rules[0], other],
                               Witness("GET", other.rule), other.endpoint,
                               kind="specialisation") for other in rules[1:]], len(rules))

    monkeypatch.setattr(routecli.analysis, "conflicts", hub)
    lines = ["routes:", "  - rule: /<path:p>", "    endpoint: hub"]
    for i in range(12):
        lines += [f"  - rule: /r{i}", f"    endpoint: r{i}"]
    (project / "hub.yaml").write_text("\n".join(lines) + "\n")
    # RL104 is off: listed only when selected
    hidden = run("conflicts", "hub.yaml")
    assert hidden.stdout.splitlines() == [
        "0 conflicts in 13 routes; 12 more not selected (--select ALL lists every pair)"]
    result = run("conflicts", "hub.yaml", "--limit", "3", "--extend-select", "RL104")
    assert result.exit_code == 0
    out = result.stdout.splitlines()
    assert out[0] == "/<path:p> (hub) at hub.yaml:2 overlaps 12 routes; 3 shown"
    assert sum(line.startswith("  RL104") for line in out) == 3
    assert any("9 more" in line for line in out)
    assert len(json.loads(run("conflicts", "hub.yaml", "-f", "json", "--select", "ALL"
                              ).stdout)["findings"]) == 12


# ----------------------------------------------------------------------------- rule


def test_rule_docs_for_every_registered_code():
    from routecli.analysis.registry import RULES

    assert RULES
    for code, info in RULES.items():
        assert info.code == code
        assert info.default_severity in ("error", "warning", "info", "off")
        for field in ("name", "summary", "what", "why", "example", "fix"):
            assert str(getattr(info, field)).strip(), (code, field)
        result = run("rule", code)
        assert result.exit_code == 0
        for title in ("What it does", "Why it matters", "Example", "How to fix"):
            assert title in result.stdout
        data = json.loads(run("rule", code, "--format", "json").stdout)
        assert data["code"] == code and data["what"] and data["fix"]


def test_rule_all_and_errors():
    from routecli.analysis.registry import RULES

    result = run("rule", "--all")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == len(RULES)
    rows = json.loads(run("rule", "--all", "--format", "json").stdout)
    assert [row["code"] for row in rows] == sorted(RULES)
    result = run("rule", "RL1O1")
    assert result.exit_code == 2
    assert result.stderr.strip() == "routecli: unknown rule code 'RL1O1' (did you mean 'RL101'?)"
    assert run("rule").exit_code == 2
    name = RULES["RL101"].name
    assert run("rule", name).stdout == run("rule", "RL101").stdout


# ----------------------------------------------------------------------------- pre-commit


def test_pre_commit_hooks_definition():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert isinstance(hooks, list)
    by_id = {hook["id"]: hook for hook in hooks}
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["entry"].startswith("routecli lint")
        assert hook["language"] == "python"
    lint = by_id["routecli-lint"]
    assert lint["pass_filenames"] is True
    import re

    pattern = re.compile(lint["files"])
    for name in ("routes.yaml", "app/routes.toml", "routes/admin.yml", "routes.api.json"):
        assert pattern.search(name), name
    for name in ("pyproject.toml", ".github/workflows/ci.yml", "package.json"):
        assert not pattern.search(name), name
    assert by_id["routecli-lint-project"]["pass_filenames"] is False


def test_lint_modules_load_only_for_lint_commands():
    import subprocess
    import sys

    code = ("import sys\nfrom click.testing import CliRunner\nfrom routecli.cli.app import cli\n"
            "CliRunner().invoke(cli, ['match', '--help'])\n"
            "print(sorted(m for m in sys.modules if m.startswith('routecli.analysis')"
            " or m == 'routecli.cli.lint_cmd' or m.startswith('rich')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


# ----------------------------------------------------------------------------- end to end


E2E = """\
routes:
  - rule: /blog/<int:post_id>
    endpoint: show_post
  - rule: /blog/<int:id>
    endpoint: show_entry
  - rule: /p/<any(a,b):x>
    endpoint: pick
  - rule: /p/<y>
    endpoint: page
  - rule: /users/me
    endpoint: me
  - rule: /users/<id>
    endpoint: user
"""


@pytest.fixture
def real(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ROUTECLI_ROUTES", raising=False)
    monkeypatch.delenv("FLASK_APP", raising=False)
    (tmp_path / "app.yaml").write_text(E2E)
    return tmp_path


def test_e2e_samples_are_clean():
    blog = str(ROOT / "sample_routes" / "blog.yaml")
    result = run("lint", blog)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "no findings in 9 routes"
    assert run("-r", blog, "lint", "--format", "json").exit_code == 0


def test_e2e_duplicate_fails_and_tie_warns(real):
    result = run("lint", "app.yaml", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    found = {(f["code"], f["routes"][0]["endpoint"]) for f in data["findings"]}
    assert ("RL101", "show_entry") in found and ("RL102", "page") in found
    assert not any(f["code"] == "RL104" for f in data["findings"])  # specialisation: silent
    dup = next(f for f in data["findings"] if f["code"] == "RL101")
    assert dup["severity"] == "error" and dup["routes"][0]["source"] == "app.yaml:4"
    assert dup["witness"]["url"].startswith("/blog/") and dup["answered_by"] == "show_post"
    # Without the duplicate the tie alone is a warning, unless --strict.
    assert run("lint", "app.yaml", "--ignore", "RL101,RL103").exit_code == 0
    assert run("lint", "app.yaml", "--ignore", "RL101,RL103", "--strict").exit_code == 1


def test_e2e_noqa_and_baseline(real):
    text = E2E.replace("endpoint: show_entry", "endpoint: show_entry\n    noqa: [all]")
    (real / "app.yaml").write_text(text)
    result = run("lint", "app.yaml")
    assert result.exit_code == 0, result.output
    assert "suppressed by noqa" in result.stdout.splitlines()[-1]
    (real / "app.yaml").write_text(E2E)
    assert run("lint", "app.yaml", "--write-baseline", "base.json").exit_code == 0
    # A route added on top shifts every line: the baseline still holds.
    (real / "app.yaml").write_text(E2E.replace("routes:\n", "routes:\n  - rule: /\n"
                                                              "    endpoint: index\n"))
    result = run("lint", "app.yaml", "--baseline", "base.json")
    assert result.exit_code == 0, result.output
    assert " in baseline" in result.stdout


def test_e2e_machine_formats(real):
    sarif = json.loads(run("lint", "app.yaml", "--format", "sarif").stdout)
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"RL101", "RL102"}
    rule_ids = [rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]]
    for result in results:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app.yaml"
    lines = run("lint", "app.yaml", "--format", "github").stdout.splitlines()
    assert any(line.startswith("::error file=app.yaml,line=4,title=RL101 duplicate::")
               for line in lines)


def test_e2e_conflicts_lists_specialisations_when_selected(real):
    """RL104 is off (routecli rule --all): conflicts lists it only when selected."""
    def found(*args):
        result = run("conflicts", "app.yaml", "--format", "json", *args)
        assert result.exit_code == (0 if args in (("--select", "RL104"), ("--ignore", "RL101"))
                                    else 1)  # 1: the duplicate
        return {(f["code"], f["routes"][0]["endpoint"])
                for f in json.loads(result.stdout)["findings"]}

    assert ("RL104", "user") not in found() and ("RL101", "show_entry") in found()
    for selection in (["--extend-select", "RL104"], ["--select", "ALL"]):
        assert ("RL104", "user") in found(*selection)
    assert found("--select", "RL104") == {("RL104", "user")} | {
        item for item in found("--select", "ALL") if item[0] == "RL104"}
    assert ("RL101", "show_entry") not in found("--ignore", "RL101")
    text = run("conflicts", "app.yaml").stdout
    assert "RL104" not in text.replace("--extend-select RL104", "")
    assert "more not selected (--select ALL lists every pair)" in text
    assert "RL104 info [specialisation]" in run("conflicts", "app.yaml",
                                                "--extend-select", "RL104").stdout


FLASKR = '''\
from flask import Blueprint, Flask

bp = Blueprint("blog", __name__)


@bp.route("/")
def index():
    return "posts"


@bp.route("/<int:id>/update", methods=("GET", "POST"))
def update(id):
    return "update"


app = Flask(__name__)
app.register_blueprint(bp)
app.add_url_rule("/", endpoint="index")  # no view: url_for("index") works, as in flaskr
'''


def test_e2e_flask_tutorial_url_for_only_rule(real, monkeypatch):
    (real / "flaskr_tutorial_app.py").write_text(FLASKR)
    monkeypatch.syspath_prepend(str(real))
    try:
        # info: not shown unless asked for (docs/lint.md#selection-and-configuration)
        hidden = run("lint", "-r", "flaskr_tutorial_app:app")
        assert hidden.exit_code == 0 and "1 info not shown" in hidden.stdout
        result = run("lint", "-r", "flaskr_tutorial_app:app", "--format", "json",
                     "--extend-select", "RL101")
        assert result.exit_code == 0, result.output
        (finding,) = json.loads(result.stdout)["findings"]
        assert (finding["code"], finding["severity"]) == ("RL101", "info")
        assert "only serves url_for('index')" in finding["message"]
        assert [r["endpoint"] for r in finding["routes"]] == ["index", "blog.index"]
        listing = run("conflicts", "-r", "flaskr_tutorial_app:app")
        assert listing.exit_code == 0, listing.output
    finally:
        import sys

        sys.modules.pop("flaskr_tutorial_app", None)


def test_conflicts_rich_groups_name_the_other_route(real, monkeypatch):
    import routecli.cli.lint_cmd as lint_cmd

    (real / "ties.yaml").write_text(
        "routes:\n"
        "  - {rule: '/p/<any(a,b):x>', endpoint: pick}\n"
        "  - {rule: '/p/<y>', endpoint: page}\n"
        "  - {rule: '/p/<any(a,c):z>', endpoint: pick2}\n"
        "  - {rule: '/p/<uuid:u>', endpoint: u}\n")
    monkeypatch.setattr(lint_cmd, "use_rich", lambda *args: True)
    monkeypatch.setenv("COLUMNS", "400")
    text = run("conflicts", "ties.yaml").stdout
    lines = [line.strip() for line in text.splitlines()]
    assert lines[0].startswith("/p/<y> (page) at ties.yaml:3 overlaps 3 routes")
    # The severity is shown as in a pipe ("RL102 warning [tie]"): docs/README.md#output-formats
    head = lines.index(next(line for line in lines
                            if line.startswith("RL102 warning [tie]: /p/<any(a,b)")))
    monkeypatch.setattr(lint_cmd, "use_rich", lambda *args: False)
    piped = run("conflicts", "ties.yaml").stdout
    assert "RL102 warning [tie]: /p/<any(a,b):x>" in piped
    # Under page's group, the pair with pick is shown as pick, and its message (about page)
    # says whose it is.
    assert lines[head + 1].startswith("/p/<y> (page): ties with `/p/<any(a,b):x>`")


def test_e2e_library_lint_applies_noqa_like_the_cli(real, monkeypatch):
    import routecli
    from routecli.analysis import lint

    text = E2E.replace("endpoint: page", "endpoint: page\n    noqa: [RL102]")
    (real / "app.yaml").write_text(text)
    tbl = routecli.load("app.yaml")
    report = tbl.lint()
    cli_json = json.loads(run("lint", "app.yaml", "--format", "json", "--isolated").stdout)
    assert report.to_dict() == cli_json
    assert "RL102" not in {f.code for f in report.findings}
    assert report.stats["noqa"] == 1
    everything = lint(tbl, noqa=False)
    assert "RL102" in {f.code for f in everything.findings}
    assert everything.to_dict() == json.loads(
        run("lint", "app.yaml", "--format", "json", "--isolated", "--ignore-noqa").stdout)
    # The CLI counts the suppressed finding once, and only when it is selected.
    assert run("lint", "app.yaml", "--isolated").stdout.splitlines()[-1].endswith(
        "; 1 suppressed by noqa")
    assert "suppressed" not in run("lint", "app.yaml", "--isolated", "--ignore",
                                   "RL102").stdout.splitlines()[-1]


def test_cli_asks_the_engine_for_every_finding_and_applies_noqa_once(project, monkeypatch):
    seen = []

    def recording(table, strict=False, noqa=True, group=True, budget=None, only=None):
        seen.append((noqa, group))
        return stand_in_lint(table, strict)

    monkeypatch.setattr(routecli.analysis, "lint", recording)
    result = run("lint")
    # one finding per route, so that noqa and the baseline act on each before grouping
    assert seen == [(False, False)]
    assert result.stdout.splitlines()[-1].endswith("; 1 suppressed by noqa")


FAILING_CONVERTER_APP = '''\
from flask import Flask, abort
from werkzeug.routing import BaseConverter


class Lookup(BaseConverter):
    def to_python(self, value):
        if value.startswith("x"):
            abort(404)  # e.g. a database lookup that finds nothing
        raise RuntimeError(value)


app = Flask(__name__)
app.url_map.converters["lookup"] = Lookup


@app.route("/b/<lookup:x>")
def b(x):
    return x


@app.route("/b/<y>")
def b2(y):
    return y
'''


@pytest.mark.parametrize("command", ["lint", "conflicts"])
def test_e2e_failing_app_converter_never_crashes(real, monkeypatch, command):
    (real / "lookup_converter_app.py").write_text(FAILING_CONVERTER_APP)
    monkeypatch.syspath_prepend(str(real))
    try:
        for fmt in ("text", "json"):
            result = run(command, "-r", "lookup_converter_app:app", "--format", fmt)
            assert result.exit_code == 0, result.output
            assert "Traceback" not in result.output
            # The duplicate cannot be witnessed: said on stderr, never claimed.
            assert "not reported: the app's own code (a converter) failed" in result.stderr
    finally:
        import sys

        sys.modules.pop("lookup_converter_app", None)
