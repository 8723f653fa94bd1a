"""A report or a baseline is never written onto a file routecli reads (docs/exit-codes.md):
the route files (through symlinks and hard links too), an app's modules, the lint config,
the baseline being read. Refused with one line, exit 2, the file untouched."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60


def run(args, cwd):
    result = subprocess.run([sys.executable, "-m", "routecli", "--no-cache", *args],
                            capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd,
                            stdin=subprocess.DEVNULL,
                            env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)})
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture
def project(tmp_path):
    shutil.copy(ROOT / "sample_routes" / "blog.yaml", tmp_path / "routes.yaml")
    (tmp_path / "link.yaml").symlink_to("routes.yaml")
    os.link(tmp_path / "routes.yaml", tmp_path / "hard.yaml")
    return tmp_path


@pytest.mark.parametrize("args, target", [
    (["-r", "routes.yaml", "lint", "-o", "routes.yaml"], "routes.yaml"),
    (["-r", "routes.yaml", "lint", "--format", "json", "-o", "./link.yaml"], "./link.yaml"),
    (["-r", "link.yaml", "lint", "-o", "hard.yaml"], "hard.yaml"),
    (["lint", "-o", "routes.yaml"], "routes.yaml"),  # discovered, not named
    (["lint", "routes.yaml", "--write-baseline", "routes.yaml"], "routes.yaml"),
    (["-r", "routes.yaml", "lint", "--write-baseline", "link.yaml"], "link.yaml"),
    (["-r", "routes.yaml", "conflicts", "-o", "routes.yaml"], "routes.yaml"),
])
def test_route_files_are_never_overwritten(project, args, target):
    before = (project / "routes.yaml").read_bytes()
    result = run(args, project)
    assert result.returncode == 2
    what = "baseline" if "--write-baseline" in args else "report"
    assert result.stderr.splitlines() == [
        f"{target}: refusing to write the {what} onto a route source: choose another file"]
    assert (project / "routes.yaml").read_bytes() == before
    assert (project / "link.yaml").is_symlink()


def test_an_apps_module_is_never_overwritten():
    module = ROOT / "tests" / "fixtures_apps" / "hosts_app.py"
    before = module.read_bytes()
    result = run(["-r", "tests.fixtures_apps.hosts_app", "lint", "-o", str(module)], ROOT)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{module}: refusing to write the report onto a file the routes are read from: "
        "choose another file"]
    assert module.read_bytes() == before


def test_config_and_baseline_being_read_are_never_overwritten(project):
    config = '[tool.routecli]\nroutes = ["routes.yaml"]\n[tool.routecli.lint]\nbaseline = "b.json"\n'
    (project / "pyproject.toml").write_text(config)
    assert run(["lint", "--write-baseline", "b.json"], project).returncode == 0
    baseline = (project / "b.json").read_bytes()
    result = run(["lint", "-o", "pyproject.toml"], project)
    assert result.returncode == 2 and "onto the lint config" in result.stderr
    assert (project / "pyproject.toml").read_text() == config
    result = run(["lint", "-o", "b.json"], project)
    assert result.returncode == 2 and "onto the baseline being read" in result.stderr
    assert (project / "b.json").read_bytes() == baseline


def test_refreshing_the_baseline_and_new_reports_still_work(project):
    assert run(["-r", "routes.yaml", "lint", "--write-baseline", "b.json"], project).returncode == 0
    assert run(["-r", "routes.yaml", "lint", "--baseline", "b.json",
                "--write-baseline", "b.json"], project).returncode == 0
    assert run(["-r", "routes.yaml", "lint", "-o", "report.txt"], project).returncode == 0
    assert (project / "report.txt").read_text().startswith("no findings")


@pytest.mark.parametrize("logs", [[], ["-"]])
def test_a_log_read_on_standard_input_is_never_overwritten(project, logs):
    # coverage -o access.log < access.log: the log is read through standard input
    log = project / "access.log"
    log.write_text("GET /\n")
    with open(log, "rb") as stdin:
        result = subprocess.run(
            [sys.executable, "-m", "routecli", "--no-cache", "-r", "routes.yaml", "coverage",
             *logs, "-o", "access.log"], capture_output=True, text=True, timeout=TIMEOUT,
            cwd=project, stdin=stdin, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "access.log: refusing to write the report onto a log being read: choose another file"]
    assert log.read_text() == "GET /\n"
    with open(log, "rb") as stdin:  # another file is fine
        assert subprocess.run(
            [sys.executable, "-m", "routecli", "--no-cache", "-r", "routes.yaml", "coverage",
             *logs, "-o", "report.txt"], capture_output=True, timeout=TIMEOUT, cwd=project,
            stdin=stdin, env={**os.environ, "PYTHONPATH": str(ROOT)}).returncode == 0


def test_a_baseline_refreshed_in_place_is_never_left_cut(tmp_path):
    # --baseline b.json --write-baseline b.json on a full disk (here: a file size limit)
    import resource

    (tmp_path / "r.yaml").write_text("routes:\n  - {rule: /a, endpoint: a}\n")
    assert run(["-r", "r.yaml", "lint", "--write-baseline", "b.json"], tmp_path).returncode == 0
    before = (tmp_path / "b.json").read_bytes()
    (tmp_path / "r.yaml").write_text("routes:\n" + "".join(
        f"  - {{rule: '/a/<x{i}>', endpoint: a{i}}}\n" for i in range(20)))
    limit = len(before) + 10

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        [sys.executable, "-m", "routecli", "--no-cache", "-r", "r.yaml", "lint", "--baseline",
         "b.json", "--write-baseline", "b.json"], capture_output=True, text=True,
        timeout=TIMEOUT, cwd=tmp_path, stdin=subprocess.DEVNULL, preexec_fn=small_files,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["b.json: cannot write baseline: File too large"]
    assert (tmp_path / "b.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.json", "r.yaml"]
