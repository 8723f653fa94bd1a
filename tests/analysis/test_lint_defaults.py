"""What lint reports by default (docs/lint.md#rules, #selection-and-configuration and
#one-finding-per-cause): the default rule set, info findings shown only when asked for,
one finding per cause in every format and in baselines, severities that match the harm."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from helpers import table
from routecli.analysis import lint
from routecli.analysis.registry import RULES
from routecli.analysis.selection import Baseline, LintSettings, apply, default_codes
from routecli.cli.app import cli

OPT_IN = {"RL105", "RL106", "RL107", "RL108", "RL117", "RL210", "RL211"}


def reported(tbl, **override):
    settings = LintSettings().override(**override) if override else LintSettings()
    return apply(lint(tbl, noqa=False, group=False), settings)


def codes(result):
    return sorted(finding.code for finding in result.findings)


# -- the default rule set ----------------------------------------------------------------


def test_opt_in_rules_are_not_default_but_selectable():
    assert {code for code, rule in RULES.items() if rule.default == "opt-in"} == OPT_IN
    assert not OPT_IN & set(default_codes())
    assert {"RL101", "RL102", "RL103", "RL110", "RL119"} <= set(default_codes())
    crossed = table(("/<entity>/me", "me"), ("/books/<id>", "book"))
    assert codes(reported(crossed)) == []
    assert codes(reported(crossed, select="RL105")) == ["RL105"]
    assert codes(reported(crossed, extend_select="RL105")) == ["RL105"]
    assert codes(reported(crossed, select="ALL")) == ["RL105"]


def test_info_findings_are_shown_only_when_asked_for():
    twins = table(("/a", "same"), ("/a/", "same"))  # RL107 info: one endpoint
    assert lint(twins).findings[0].severity == "info"
    # selected by name, prefix or ALL: shown; merely on by default: hidden and counted
    assert codes(reported(twins, extend_select="RL107")) == ["RL107"]
    assert codes(reported(twins, select="RL1")) == ["RL107"]
    ambiguous = table(("/<path:a>/x/<path:b>", "two"))  # RL111 is on by default, info
    hidden = reported(ambiguous)
    assert hidden.findings == [] and hidden.hidden_info == 1
    assert codes(reported(ambiguous, fail_on="info")) == ["RL111"]
    assert codes(reported(ambiguous, extend_select="RL111")) == ["RL111"]


# -- severity that matches harm ----------------------------------------------------------


@pytest.mark.parametrize("routes, severity", [
    ((("/blog/<int:a>", "post"), ("/blog/<int:b>", "entry")), "error"),
    ((("/blog/<int:a>", "post"), ("/blog/<int:b>", "post")), "info"),
    ((("/blog/<int:a>", "post"), ("/blog/<int:b>", "post", {"defaults": {"x": 1}})), "error"),
    ((("/static/<path:filename>", "static"), ("/static/<path:filename>", "bp.static")), "info"),
    ((("/static/<path:filename>", "static"), ("/static/<path:filename>", "files")), "error"),
])
def test_a_duplicate_is_an_error_only_when_it_changes_an_answer(routes, severity):
    [finding] = [f for f in lint(table(*routes)).findings if f.code == "RL101"]
    assert (finding.code, finding.severity) == ("RL101", severity)


def test_three_static_copies_are_one_info_finding():
    copies = table(("/static/<path:filename>", "static"),
                   ("/static/<path:filename>", "a.static"),
                   ("/static/<path:filename>", "b.static"))
    [finding] = lint(copies).findings
    assert (finding.code, finding.severity) == ("RL101", "info")
    assert reported(copies).findings == []  # and exit status 0


def test_a_tie_between_slash_twins_is_info():
    # moto's shape: converters that span slashes, every URL registered in both forms
    twins = table(("/<arn:v>/functions", "list", {"strict_slashes": False}),
                  ("/<arn:v>/functions/", "list2", {"strict_slashes": False}),
                  converters={"arn": {"regex": "[^/]+", "part_isolating": False}})
    ties = [f for f in lint(twins).findings if f.code == "RL102"]
    assert ties and all(f.severity == "info" for f in ties)
    assert "RL102" not in codes(reported(twins))


def test_missing_slash_is_silent_for_a_word_of_its_own():
    # privacyIDEA: /tokengroup/ is an API of its own next to /token/group/<serial>
    own = table(("/token/group/<serial>", "assign"), ("/tokengroup/", "groups"),
                ("/tokengroup/<name>", "group"))
    assert [f for f in lint(own).findings if f.code == "RL119"] == []
    # a word that appears elsewhere unglued is a word too
    elsewhere = table(("/token/group/<serial>", "assign"), ("/tokengroup/<name>", "group"),
                      ("/admin/tokengroup/<name>", "admin"))
    assert [f for f in lint(elsewhere).findings if f.code == "RL119"] == []
    # what follows must follow the pieces: /token/group/<serial> vs /tokengroup/list/x
    other = table(("/token/group/<serial>", "assign"), ("/tokengroup/list/<n>", "list"))
    assert [f for f in lint(other).findings if f.code == "RL119"] == []


def test_missing_slash_is_one_finding_per_joined_word():
    glued = table(("/api/2.0/mlflow/runs/search", "search"),
                  ("/api/2.0mlflow/runs/list", "runs"),
                  ("/api/2.0mlflow/runs/get", "get"),
                  ("/ajax/2.0/mlflow/runs/x", "ax"), ("/ajax/2.0mlflow/runs", "ajax_runs"))
    [finding] = [f for f in reported(glued).findings if f.code == "RL119"]
    assert finding.count == 3
    assert [rule.rule for rule in finding.affected] == [
        "/api/2.0mlflow/runs/list", "/api/2.0mlflow/runs/get", "/ajax/2.0mlflow/runs"]


# -- one finding per cause -----------------------------------------------------------------

CATCH_ALL = [("/api/watch/<int(max=99):n>", "watch"),
             ("/api/tag/<int(max=99):n>", "tag"),
             ("/api/run/<int(max=99):n>/log", "log"),
             ("/<path:filename>", "static")]


def test_traps_on_a_catch_all_are_one_info_finding():
    tbl = table(*CATCH_ALL)
    assert reported(tbl).findings == []  # info: not shown by default
    [finding] = reported(tbl, extend_select="RL110").findings
    assert (finding.code, finding.severity, finding.count) == ("RL110", "info", 3)
    assert [rule.endpoint for rule in finding.affected] == ["watch", "tag", "log"]
    assert "(3 in all)" in finding.message and "`/api/tag/<int(max=99):n>`" in finding.message
    assert finding.routes[-1].endpoint == "static"
    data = finding.to_dict()
    assert [ref["endpoint"] for ref in data["affected"]] == ["watch", "tag", "log"]


def test_a_trap_on_a_real_route_stays_a_warning():
    tbl = table(("/n/<int(max=10):a>", "small"), ("/n/<s>", "name"))
    [finding] = reported(tbl).findings
    assert (finding.code, finding.severity, finding.count) == ("RL110", "warning", 1)
    assert "affected" not in finding.to_dict()


def test_one_view_on_many_prefixes_is_one_finding():
    view = {"view": "app.views.feed"}
    tbl = table(*[(f"/{p}/feed", f"{p}.feed", view) for p in ("a", "b", "c")],
                *[(f"/{p}/feed/", f"{p}.other", {"view": "app.views.other"})
                  for p in ("a", "b", "c")])
    [finding] = reported(tbl, select="RL107").findings
    assert finding.count == 3
    # without a shared origin, the findings stay apart
    apart = table(*[(f"/{p}/feed", f"{p}.feed") for p in ("a", "b")],
                  *[(f"/{p}/feed/", f"{p}.other") for p in ("a", "b")])
    assert len(reported(apart, select="RL107").findings) == 2


def test_baselines_act_on_each_route_of_a_cause():
    tbl = table(*CATCH_ALL)
    settings = LintSettings().override(extend_select="RL110")
    raw = lint(tbl, noqa=False, group=False)
    members = [f for f in raw.findings if f.code == "RL110"]
    assert len(members) == 3
    # a baseline written before grouping (one entry per route) still suppresses
    old = Baseline([f.fingerprint() for f in members])
    result = apply(raw, settings, baseline=old)
    assert result.findings == [] and result.baselined == 3 and result.stale == 0
    # a route newly affected by a baselined cause is reported, alone
    partial = Baseline([f.fingerprint() for f in members[:2]])
    [left] = apply(raw, settings, baseline=partial).findings
    assert left.count == 1 and left.routes[0].endpoint == "log"
    # the grouped finding's fingerprint is its first route's: stable as routes join
    [grouped] = apply(raw, settings).findings
    assert grouped.fingerprint() == members[0].fingerprint()
    assert grouped.fingerprints() == [f.fingerprint() for f in members]


def test_baseline_entries_for_hidden_info_are_not_stale():
    tbl = table(*CATCH_ALL)
    raw = lint(tbl, noqa=False, group=False)
    everything = apply(raw, LintSettings().override(select="ALL", fail_on="info"))
    baseline = Baseline([f.fingerprint() for f in everything.accepted])
    plain = apply(raw, LintSettings(), baseline=baseline)
    assert plain.findings == [] and plain.stale == 0 and plain.hidden_info == 1


@pytest.fixture
def catch_all_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    routes = [{"rule": rule, "endpoint": endpoint} for rule, endpoint in CATCH_ALL]
    (tmp_path / "routes.yaml").write_text(yaml.safe_dump({"routes": routes}))
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli, ["-r", "routes.yaml", "lint", *args])


def test_cli_formats_show_one_finding_per_cause(catch_all_file):
    text = run()
    assert text.exit_code == 0
    assert text.output.strip() == ("no findings in 4 routes; 1 info not shown "
                                   "(select their codes to see them)")
    shown = run("--extend-select", "RL110")
    assert shown.output.count("RL110") == 1 and "(3 in all)" in shown.output
    assert "    also at routes.yaml:4, routes.yaml:6\n" in shown.output
    data = json.loads(run("--extend-select", "RL110", "-f", "json").output)
    [finding] = data["findings"]
    assert len(finding["affected"]) == 3 and data["summary"]["infos"] == 1
    sarif = json.loads(run("--extend-select", "RL110", "-f", "sarif").output)
    rules = {rule["id"]: rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["RL105"]["defaultConfiguration"] == {"level": "warning", "enabled": False}
    assert rules["RL110"]["defaultConfiguration"] == {"level": "warning", "enabled": True}
    [result] = sarif["runs"][0]["results"]
    related = [loc["physicalLocation"]["region"]["startLine"]
               for loc in result["relatedLocations"]]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    assert sorted(related) == [4, 6, 8]  # the other two traps and the catch-all
    assert len(result["properties"]["affected"]) == 3
    github = run("--extend-select", "RL110", "-f", "github")
    assert github.output.count("::notice") == 1
    stats = json.loads(run("--extend-select", "RL110", "--statistics", "-f", "json").output)
    assert stats == [{"code": "RL110", "name": "validation-trap", "severity": "info",
                      "count": 1}]


def test_cli_baseline_records_every_route_of_a_cause(catch_all_file):
    written = run("--extend-select", "RL110", "--write-baseline", "base.json")
    assert "wrote 3 findings" in written.output
    entries = json.loads((catch_all_file / "base.json").read_text())["findings"]
    assert len(entries) == 3
    again = run("--extend-select", "RL110", "--baseline", "base.json")
    assert again.exit_code == 0 and "3 in baseline" in again.output


def test_rule_pages_say_whether_a_rule_is_on_by_default():
    page = CliRunner().invoke(cli, ["rule", "RL105"])
    assert "opt-in" in page.output and "--extend-select RL105" in page.output
    data = json.loads(CliRunner().invoke(cli, ["rule", "RL105", "-f", "json"]).output)
    assert (data["default_severity"], data["default"]) == ("warning", "opt-in")
    on = json.loads(CliRunner().invoke(cli, ["rule", "RL101", "-f", "json"]).output)
    assert on["default"] == "on"
    listing = CliRunner().invoke(cli, ["rule", "--all"]).output.splitlines()
    crossed = next(line for line in listing if line.startswith("RL105"))
    assert crossed.split()[2:4] == ["warning", "opt-in"]


PREFIXED_APP = '''\
from flask import Blueprint, Flask

bp = Blueprint("pages", __name__, static_folder="static")


@bp.route("/p/<any(a, b):section>")
def section(section):
    return section


@bp.route("/p/<name>")
def page(name):
    return name


app = Flask(__name__)
for prefix in ("v1", "v2", "v3"):
    app.register_blueprint(bp, url_prefix=f"/{prefix}", name=f"pages_{prefix}")
app.register_blueprint(bp, url_prefix="/", name="root")  # static again at /static/...
'''


def test_a_flask_blueprint_on_many_prefixes_is_one_finding(tmp_path, monkeypatch):
    # Flask itself: one blueprint under four names; its tie is one cause, written once
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "prefixed_app.py").write_text(PREFIXED_APP)
    import sys

    import routecli

    try:
        tbl = routecli.load("prefixed_app:app")
    finally:
        sys.modules.pop("prefixed_app", None)
    result = reported(tbl)
    [tie] = result.findings
    assert (tie.code, tie.count) == ("RL102", 4)
    assert sorted(rule.endpoint for rule in tie.affected) == [
        "pages_v1.page", "pages_v2.page", "pages_v3.page", "root.page"]
    assert {str(rule.source) for rule in tie.affected} == {"prefixed_app.py:11"}
    # the blueprint's static route at /static/<path:filename> repeats the app's: info, so
    # a warning is all there is and the run passes
    assert result.exit_status == 0 and result.hidden_info == 1
    duplicates = [f for f in reported(tbl, extend_select="RL101").findings
                  if f.code == "RL101"]
    assert [(f.severity, f.routes[0].endpoint) for f in duplicates] == [("info", "root.static")]
