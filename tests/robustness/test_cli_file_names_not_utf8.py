"""A route file whose name is not UTF-8 (a Linux file name is bytes): text output shows
the name as its bytes, as ls does, whatever the locale's error handler; JSON output stays
valid UTF-8, the bytes written as escapes that read back to the same name."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NAME = b"\xff.yaml"
ROUTES = "routes:\n  - {rule: '/a/<x>', endpoint: a}\n  - {rule: '/a/<y>', endpoint: b}\n"


def run(args, cwd, stdin=b""):
    # utf-8:strict is the handler of most UTF-8 locales (C.UTF-8 has surrogateescape)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8:strict",
           "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-m", "routecli", "--no-cache", *args],
                            capture_output=True, input=stdin, timeout=60, cwd=cwd, env=env)
    assert b"Traceback" not in result.stderr and b"internal error" not in result.stderr
    return result


@pytest.fixture
def project(tmp_path):
    (tmp_path / os.fsdecode(NAME)).write_text(ROUTES)
    return tmp_path


@pytest.mark.parametrize("args", [["list"], ["lint"], ["match", "GET", "/a/1"]])
def test_text_shows_the_name_as_its_bytes(project, args):
    result = run(["-r", os.fsdecode(NAME), *args], project)
    assert result.returncode in (0, 1)
    assert NAME + b":" in result.stdout


@pytest.mark.parametrize("args", [
    ["list", "--format", "json"], ["lint", "--format", "json"], ["lint", "--format", "sarif"],
    ["conflicts", "--format", "json"], ["match", "--format", "json", "GET", "/a/1"],
    ["match", "--format", "jsonl", "--batch", "-"], ["coverage", "--format", "json", "-"],
])
def test_json_stays_valid_utf8_and_keeps_the_name(project, args):
    result = run(["-r", os.fsdecode(NAME), *args], project, stdin=b"GET /a/1\n")
    assert result.returncode in (0, 1)
    data = json.dumps(json.loads(result.stdout.decode("utf-8")))  # strict: valid UTF-8
    assert "\\udcff.yaml" in data or "%FF.yaml" in data  # the name, or its URI (SARIF)


def test_diff_json_too(project):
    (project / "new.yaml").write_text("routes: []\n")
    result = run(["diff", os.fsdecode(NAME), "new.yaml", "--format", "json"], project)
    assert result.returncode == 1
    json.loads(result.stdout.decode("utf-8"))


@pytest.mark.parametrize("args, report", [
    (["lint", "-o", "r.txt"], "r.txt"), (["lint", "--format", "html", "-o", "r.html"], "r.html"),
    (["lint", "--format", "markdown", "-o", "r.md"], "r.md"),
    (["conflicts", "-o", "r.txt"], "r.txt"), (["coverage", "-", "-o", "r.txt"], "r.txt"),
    (["coverage", "-", "--format", "html", "-o", "r.html"], "r.html"),
])
def test_report_files_hold_the_name_as_its_bytes(project, args, report):
    result = run(["-r", os.fsdecode(NAME), *args], project, stdin=b"GET /a/1\n")
    assert result.returncode in (0, 1)
    assert NAME in (project / report).read_bytes()


def test_a_baseline_keeps_the_name_and_reads_back(project):
    args = ["-r", os.fsdecode(NAME), "lint", "--baseline", "b.json"]
    assert run([*args[:3], "--write-baseline", "b.json"], project).returncode == 0
    json.loads((project / "b.json").read_bytes().decode("utf-8"))  # valid UTF-8
    result = run(args, project)
    assert result.returncode == 0 and b"1 in baseline" in result.stdout
