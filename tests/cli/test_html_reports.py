"""`--format html` of `routecli coverage` and `routecli lint` through the CLI: where the page
goes (-o or standard output), exit statuses, and the inputs -o never overwrites. The page
itself is checked in tests/output/test_html.py."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from routecli.cli.app import cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_routes"


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_coverage_html_to_a_file(tmp_path):
    out = tmp_path / "report.html"
    result = run("-r", str(SAMPLES / "blog.yaml"), "coverage", str(SAMPLES / "access.log"),
                 "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    assert "Unused routes (1)" in page


def test_coverage_html_fail_on_unused_still_exits_1(tmp_path):
    result = run("-r", str(SAMPLES / "blog.yaml"), "coverage", str(SAMPLES / "access.log"),
                 "--format", "html", "--fail-on-unused")
    assert result.exit_code == 1
    assert result.output.startswith("<!DOCTYPE html>")


def test_coverage_o_writes_every_format(tmp_path):
    for fmt, start in [("json", "{"), ("markdown", "# Route coverage"), ("table", "300 lines")]:
        out = tmp_path / f"report.{fmt}"
        result = run("-r", str(SAMPLES / "blog.yaml"), "coverage", str(SAMPLES / "access.log"),
                     "--format", fmt, "-o", str(out))
        assert result.exit_code == 0, result.output
        assert out.read_text(encoding="utf-8").startswith(start)


def test_coverage_o_never_overwrites_a_log_or_the_routes(tmp_path):
    log = tmp_path / "access.log"
    shutil.copy(SAMPLES / "access.log", log)
    before = log.read_bytes()
    result = run("-r", str(SAMPLES / "blog.yaml"), "coverage", str(log), "--format", "html",
                 "-o", str(log))
    assert result.exit_code == 2
    assert "refusing to write the report onto a log being read" in result.output
    assert log.read_bytes() == before
    routes = tmp_path / "blog.yaml"
    shutil.copy(SAMPLES / "blog.yaml", routes)
    result = run("-r", str(routes), "coverage", str(log), "-o", str(routes))
    assert result.exit_code == 2 and "refusing" in result.output


def test_lint_html_to_standard_output_keeps_the_exit_status():
    result = run("-r", str(SAMPLES / "lint_demo.yaml"), "lint", "--format", "html")
    assert result.exit_code == 1  # errors among the findings
    assert result.output.startswith("<!DOCTYPE html>")
    assert 'class="finding error"' in result.output


def test_lint_html_to_a_file_and_statistics_refused(tmp_path):
    out = tmp_path / "lint.html"
    result = run("-r", str(SAMPLES / "lint_demo.yaml"), "lint", "--format", "html", "-o",
                 str(out), "--exit-zero")
    assert result.exit_code == 0 and result.output == ""
    assert "RL103" in out.read_text(encoding="utf-8")
    result = run("-r", str(SAMPLES / "lint_demo.yaml"), "lint", "--format", "html",
                 "--statistics")
    assert result.exit_code == 2
    assert "--statistics has no html form" in result.output
