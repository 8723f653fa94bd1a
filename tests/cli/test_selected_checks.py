"""``routecli lint`` runs only the checks of the rules it reports (and those they read):
its output, exit status, counts and baselines are those of a run of every check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import routecli.analysis
from routecli.analysis.rules import overlaps
from routecli.cli.app import cli

ROOT = Path(__file__).resolve().parents[2]
TABLES = [ROOT / "sample_routes" / "lint_demo.yaml",
          ROOT / "sample_routes" / "converters.yaml",
          ROOT / "sample_routes" / "fastapi_routes.yaml",
          ROOT / "sample_routes" / "django_urls.yaml",
          ROOT / "tests" / "realapps" / "tables" / "moto-lambda.json",
          ROOT / "tests" / "realapps" / "tables" / "ihatemoney.json"]
SELECTIONS = [(), ("--extend-select", "RL105"), ("--select", "RL103"),
              ("--select", "ALL", "--fail-on", "info"), ("--ignore", "RL101"),
              ("--select", "RL199"), ("--extend-select", "RL106,RL107,RL108,RL117,RL210"),
              ("--statistics",)]
CROSSING = """\
routes:
  - {rule: "/<entity>/me", endpoint: me}
  - {rule: "/books/<id>", endpoint: book}
  - {rule: "/a", endpoint: one}
  - {rule: "/a", endpoint: two}
"""


def every_check(monkeypatch) -> None:
    """lint as before: every check runs, whatever the selection."""
    real = routecli.analysis.lint

    def lint(table, **options):
        options.pop("only", None)
        return real(table, **options)

    monkeypatch.setattr(routecli.analysis, "lint", lint)


def run(*args) -> tuple:
    result = CliRunner().invoke(cli, ["--no-cache", *args])
    return result.exit_code, result.stdout, result.stderr


def both(monkeypatch, *args) -> tuple:
    """(this run, the same run with every check)."""
    with monkeypatch.context() as patch:
        selected = run(*args)
        every_check(patch)
        return selected, run(*args)


@pytest.mark.parametrize("path", TABLES, ids=lambda path: path.name)
def test_the_output_is_that_of_every_check(path, monkeypatch):
    for selection in SELECTIONS:
        for fmt in ("text", "json"):
            args = ("-r", str(path), "lint", "--isolated", "--format", fmt, *selection)
            selected, full = both(monkeypatch, *args)
            assert selected == full, args


@pytest.mark.parametrize("selection", [(), ("--extend-select", "RL105"), ("--select", "RL1")])
def test_baselines_are_those_of_every_check(selection, tmp_path, monkeypatch):
    routes = tmp_path / "routes.yaml"
    routes.write_text(CROSSING)
    written = []
    for name in ("selected.json", "full.json"):
        with monkeypatch.context() as patch:
            if name == "full.json":
                every_check(patch)
            assert run("-r", str(routes), "lint", "--isolated", *selection,
                       "--write-baseline", str(tmp_path / name))[0] == 0
        written.append(json.loads((tmp_path / name).read_text()))
    assert written[0] == written[1]
    # read back with another selection: the baselined and stale counts agree too
    for other in ((), ("--select", "ALL")):
        args = ("-r", str(routes), "lint", "--isolated", *other,
                "--baseline", str(tmp_path / "selected.json"))
        selected, full = both(monkeypatch, *args)
        assert selected == full, args



CONFIGS = [
    '[tool.routecli.lint]\nextend-select = ["RL105"]\nseverity = {RL105 = "error"}\n',
    '[tool.routecli.lint]\nselect = ["RL1"]\nignore = ["RL101"]\nfail-on = "info"\n',
    '[tool.routecli.lint]\nextend-select = ["RL105", "RL107"]\n'
    '[tool.routecli.lint.per-file-ignores]\n"*.yaml" = ["RL105"]\n',
]


@pytest.mark.parametrize("config", CONFIGS)
def test_a_configured_selection_is_that_of_every_check(config, tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(config)
    routes = tmp_path / "routes.yaml"
    routes.write_text(CROSSING)
    for path in (routes, ROOT / "sample_routes" / "lint_demo.yaml"):
        for extra in ((), ("--extend-select", "RL106"), ("--ignore", "RL105")):
            args = ("-r", str(path), "lint", "--config", str(tmp_path / "pyproject.toml"),
                    *extra)
            selected, full = both(monkeypatch, *args)
            assert selected == full, args

def test_the_default_run_never_calls_the_opt_in_crossed_check(tmp_path, monkeypatch):
    routes = tmp_path / "routes.yaml"
    routes.write_text(CROSSING)
    real = overlaps.CROSSED.check
    calls = []

    def spy(lint_run):
        calls.append(lint_run)
        return real(lint_run)

    monkeypatch.setattr(overlaps.CROSSED, "check", spy)
    default = run("-r", str(routes), "lint", "--isolated", "--format", "json")
    assert calls == []
    assert [f["code"] for f in json.loads(default[1])["findings"]] == ["RL101"]

    args = ("-r", str(routes), "lint", "--isolated", "--format", "json",
            "--extend-select", "RL105")
    selected, full = both(monkeypatch, *args)
    assert len(calls) == 2  # this run's, then the run of every check
    assert selected == full
    assert sorted(f["code"] for f in json.loads(selected[1])["findings"]) == ["RL101", "RL105"]


# ----------------------------------------------------------------------------- conflicts


def every_pair(monkeypatch) -> None:
    """conflicts as before: every pair witnessed, whatever the selection."""
    real = routecli.analysis.conflicts

    def conflicts(table, **options):
        options.pop("only", None)
        return real(table, **options)

    monkeypatch.setattr(routecli.analysis, "conflicts", conflicts)


CONFLICT_SELECTIONS = [(), ("--select", "RL101"), ("--extend-select", "RL104"),
                       ("--select", "RL105"), ("--ignore", "RL198"), ("--select", "RL2")]


@pytest.mark.parametrize("path", TABLES, ids=lambda path: path.name)
def test_conflicts_output_is_that_of_every_pair(path, monkeypatch):
    for selection in CONFLICT_SELECTIONS:
        for fmt in ("text", "json", "markdown"):
            args = ("-r", str(path), "conflicts", "--format", fmt, *selection)
            with monkeypatch.context() as patch:
                selected = run(*args)
                every_pair(patch)
                assert selected == run(*args), args


def test_conflicts_json_does_not_witness_pairs_it_will_not_list(tmp_path, monkeypatch):
    from routecli.analysis.engine import Analysis

    routes = tmp_path / "routes.yaml"
    routes.write_text(CROSSING)
    real = Analysis.proven_pair
    witnessed = []

    def spy(analysis, pair, listing=False):
        witnessed.append(pair.first.rule)
        return real(analysis, pair, listing)

    monkeypatch.setattr(Analysis, "proven_pair", spy)
    listed = run("-r", str(routes), "conflicts", "--format", "json", "--select", "RL101")
    assert witnessed == ["/a"]  # not the crossed pair
    assert [f["code"] for f in json.loads(listed[1])["findings"]] == ["RL101"]
    # text counts the pair left out: it is witnessed
    witnessed.clear()
    text = run("-r", str(routes), "conflicts", "--select", "RL101")
    assert sorted(witnessed) == ["/a", "/books/<id>"]
    assert "1 more not selected" in text[1]


CROSSING_APP = '''\
from flask import Flask
from werkzeug.routing import BaseConverter


class Lookup(BaseConverter):
    def to_python(self, value):
        raise RuntimeError(value)  # the app's own code fails on every value


app = Flask(__name__)
app.url_map.converters["lookup"] = Lookup


@app.route("/b/<lookup:x>")
def lookup(x):
    return x


@app.route("/<y>/c")
def page(y):
    return y
'''


def test_unprovable_findings_are_counted_for_the_rules_checked(tmp_path, monkeypatch):
    # The two routes cross at /b/c, which the failing converter answers with a 500: the
    # RL105 finding cannot be proven. The note on standard error counts it when RL105 is
    # checked, not in a default run, which never reports RL105 (every check ran before,
    # and the note counted a finding the run would not have reported anyway).
    (tmp_path / "crossing_app.py").write_text(CROSSING_APP)
    monkeypatch.syspath_prepend(str(tmp_path))
    note = "1 possible finding not reported: the app's own code (a converter) failed"
    try:
        default = run("-r", "crossing_app:app", "lint", "--isolated")
        assert default[:2] == (0, "no findings in 3 routes\n")
        assert default[2] == ""
        selected = run("-r", "crossing_app:app", "lint", "--isolated",
                       "--extend-select", "RL105")
        assert selected[0] == 0 and note in selected[2]
    finally:
        import sys

        sys.modules.pop("crossing_app", None)
