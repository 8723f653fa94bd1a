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


def _small_files(limit):
    import resource

    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.parametrize("command", [
    ["lint", "-o", "report.txt"],  # written line by line
    ["lint", "--format", "html", "-o", "report.txt"],  # written as one text
    ["coverage", "log", "-o", "report.txt"],
])
def test_a_report_is_written_whole_or_not_at_all(project, command):
    # a full disk (here: a file size limit) half-way must not leave the old report cut
    (project / "log").write_text("GET /\n")
    (project / "report.txt").write_text("the previous report\n")
    os.chmod(project / "report.txt", 0o640)
    before = sorted(p.name for p in project.iterdir())
    result = subprocess.run(
        [sys.executable, "-m", "routecli", "--no-cache", "-r", "routes.yaml", *command],
        capture_output=True, text=True, timeout=TIMEOUT, cwd=project,
        stdin=subprocess.DEVNULL, preexec_fn=_small_files(8),
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["report.txt: cannot write output: File too large"]
    assert (project / "report.txt").read_text() == "the previous report\n"
    assert sorted(p.name for p in project.iterdir()) == before  # no temporary file left
    # written whole, it replaces the old one and keeps its permissions
    assert run(["-r", "routes.yaml", *command], project).returncode in (0, 1)
    assert (project / "report.txt").read_text() != "the previous report\n"
    assert (project / "report.txt").stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in project.iterdir()) == before


def test_a_report_through_a_symlink_replaces_the_file_and_keeps_the_link(project):
    (project / "reports").mkdir()
    (project / "reports" / "lint.txt").write_text("old\n")
    (project / "latest.txt").symlink_to("reports/lint.txt")
    assert run(["-r", "routes.yaml", "lint", "-o", "latest.txt"], project).returncode == 0
    assert (project / "latest.txt").is_symlink()
    assert (project / "reports" / "lint.txt").read_text().startswith("no findings")
    assert sorted(p.name for p in (project / "reports").iterdir()) == ["lint.txt"]


@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_a_hard_linked_output_is_refused_not_split(project, option):
    # replacing the file would leave its other name with the old text: refused
    (project / "out.json").write_text("old\n")
    os.link(project / "out.json", project / "other.json")
    result = run(["-r", "routes.yaml", "lint", option, "out.json"], project)
    what = "baseline" if option == "--write-baseline" else "output"
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"out.json: refusing to replace a file with 2 hard links (its other names would "
        f"keep the old {what}): remove them or choose another file"]
    assert (project / "out.json").read_text() == "old\n"
    assert os.path.samefile(project / "out.json", project / "other.json")


@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_a_named_pipe_nobody_reads_is_refused_not_waited_on(project, option):
    os.mkfifo(project / "pipe")
    result = run(["-r", "routes.yaml", "lint", option, "pipe"], project)
    what = "baseline" if option == "--write-baseline" else "output"
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"pipe: cannot write {what}: it is a named pipe (FIFO) that no process is reading"]


def test_a_named_pipe_with_a_reader_and_devices_are_written(project):
    os.mkfifo(project / "pipe")
    reader = subprocess.Popen(["cat", "pipe"], cwd=project, stdout=subprocess.PIPE)
    try:
        assert run(["-r", "routes.yaml", "lint", "-o", "pipe"], project).returncode == 0
        assert reader.communicate(timeout=TIMEOUT)[0].startswith(b"no findings")
    finally:
        reader.kill()
    assert run(["-r", "routes.yaml", "lint", "-o", "/dev/null"], project).returncode == 0
    result = subprocess.run(
        [sys.executable, "-m", "routecli", "--no-cache", "-r", "routes.yaml", "lint", "-o",
         "/dev/stdout"], capture_output=True, text=True, timeout=TIMEOUT, cwd=project,
        stdin=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0 and result.stdout.startswith("no findings")


@pytest.mark.parametrize("command", [["lint"], ["conflicts"], ["coverage", "log"]])
def test_a_pyproject_without_routecli_settings_is_never_overwritten(project, command):
    # route discovery reads it all the same; a report there would be the next run's config
    (project / "log").write_text("GET /\n")
    (project / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    result = run(["-r", "routes.yaml", *command, "-o", "pyproject.toml"], project)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "pyproject.toml: refusing to write the report onto a pyproject.toml (a project's "
        "configuration): choose another file"]
    assert (project / "pyproject.toml").read_text() == "[project]\nname = 'app'\n"


def test_a_config_file_without_settings_is_never_overwritten(project):
    (project / "settings.toml").write_text("# lint settings to come\n")
    result = run(["-r", "routes.yaml", "lint", "--config", "settings.toml", "-o",
                  "settings.toml"], project)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "settings.toml: refusing to write the report onto the lint config: choose another file"]
    assert (project / "settings.toml").read_text() == "# lint settings to come\n"


@pytest.mark.parametrize("command", [["lint"], ["lint", "--format", "json"], ["conflicts"],
                                     ["lint", "--format", "html"], ["coverage", "log"]])
def test_dash_is_standard_output_for_every_report(project, command):
    # lint's and conflicts' line formats wrote a file named "-"
    (project / "log").write_text("GET /\n")
    result = run(["-r", "routes.yaml", *command, "-o", "-"], project)
    assert result.returncode == 0 and result.stdout
    assert not (project / "-").exists()


def test_a_read_only_report_is_not_renamed_over(tmp_path, monkeypatch):
    # open(..., "w") refused it; a rename needs only the directory's leave: refused too
    from routecli.errors import RouteError
    from routecli.output import files

    target = tmp_path / "report.txt"
    target.write_text("kept\n")
    target.chmod(0o444)
    monkeypatch.setattr(files.os, "access", lambda path, mode: False)  # as a non-root user
    with pytest.raises(RouteError) as error:
        files.write_file(str(target), ["new\n"])
    assert str(error.value) == f"{target}: cannot write output: Permission denied"
    assert target.read_text() == "kept\n" and len(list(tmp_path.iterdir())) == 1


def test_a_report_with_a_name_as_long_as_the_system_allows(tmp_path):
    from routecli.output import files

    target = tmp_path / ("r" * 255)
    target.write_text("old\n")
    files.write_file(str(target), ["new\n"])
    assert target.read_text() == "new\n" and len(list(tmp_path.iterdir())) == 1
