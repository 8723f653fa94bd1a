"""Exit statuses that survive hostile conditions (docs/exit-codes.md): a reader closing the
pipe early, a full disk, Ctrl-C, the app's own sys.exit(), running out of memory or
recursion. Each is one line on standard error, never a traceback."""

import os
import re
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from routecli.cli.app import cli

ROOT = Path(__file__).resolve().parents[2]
ROUTES = str(ROOT / "sample_routes" / "blog.yaml")
MEMORY = 512 * 1024 * 1024
TIMEOUT = 60
FULL_DISK = "routecli: cannot write to standard output: No space left on device"


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def command(*args):
    return [sys.executable, "-m", "routecli", "--no-cache", *args]


def env():
    return {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}


def run(args, **kwargs):
    kwargs.setdefault("stdin", subprocess.DEVNULL)
    result = subprocess.run(command(*args), capture_output=True, text=True, timeout=TIMEOUT,
                            preexec_fn=_limit_memory, env=env(), cwd=ROOT, **kwargs)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def closed_early(args, stdin_text=None, read_lines=0):
    """Run with standard output a pipe the reader closes after ``read_lines`` lines."""
    process = subprocess.Popen(command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.PIPE if stdin_text else subprocess.DEVNULL,
                               preexec_fn=_limit_memory, env=env(), cwd=ROOT)
    if stdin_text:
        writer = threading.Thread(target=_feed, args=(process.stdin, stdin_text.encode()))
        writer.start()
    for _ in range(read_lines):
        process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.stderr.close()
    status = process.wait(timeout=TIMEOUT)
    if stdin_text:
        writer.join(TIMEOUT)
    return status, stderr


def _feed(stream, data: bytes) -> None:
    try:
        stream.write(data)
        stream.close()
    except BrokenPipeError:
        pass  # routecli stopped reading: that is the point


@pytest.fixture
def failing_routes(tmp_path):
    """A route file lint fails on (the same rule twice: an error), with lots to print."""
    rules = "".join(f"  - {{rule: /r{i}, endpoint: e{i}}}\n  - {{rule: /r{i}, endpoint: f{i}}}\n"
                    for i in range(300))
    path = tmp_path / "routes.yaml"
    path.write_text("routes:\n" + rules, encoding="utf-8")
    return str(path)


# --- a reader that closes the pipe early keeps the command's status ---------------------


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_lint_into_a_closed_pipe_still_fails(failing_routes, fmt):
    assert run(["-r", failing_routes, "lint", "--format", fmt]).returncode == 1
    status, stderr = closed_early(["-r", failing_routes, "lint", "--format", fmt])
    assert (status, stderr) == (1, "")


def test_lint_piped_into_head_with_pipefail(failing_routes):
    script = f"set -o pipefail; {' '.join(command('-r', failing_routes, 'lint'))} | head -1"
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                            timeout=TIMEOUT, env=env(), cwd=ROOT)
    assert result.returncode == 1 and len(result.stdout.splitlines()) == 1
    assert result.stderr == ""


@pytest.mark.parametrize("args, expected", [
    (["list"], 0),
    (["match", "GET", "/"], 0),
    (["match", "GET", "/nothing/here"], 1),
    (["conflicts"], 0),
    (["rule", "--all"], 0),
])
def test_closed_pipe_keeps_the_status(args, expected):
    assert closed_early(["-r", ROUTES, *args]) == (expected, "")


def test_batch_into_a_closed_pipe_keeps_the_status_so_far():
    requests = "GET /nothing\n" + "GET /\n" * 200_000
    assert closed_early(["-r", ROUTES, "match", "--batch", "-"], requests, 1) == (1, "")
    bad = "GET /\nnot-a-url\n" + "GET /\n" * 200_000
    assert closed_early(["-r", ROUTES, "match", "--batch", "-"], bad, 1)[0] == 2


def test_coverage_into_a_closed_pipe_keeps_the_status():
    args = ["-r", ROUTES, "coverage", "-", "--fail-on-unused"]
    assert closed_early(args, "GET /\n") == (1, "")


# --- a full disk ------------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [
    ["list"], ["list", "--format", "json"], ["match", "GET", "/"], ["lint"],
    ["conflicts"], ["coverage", "-"], ["match", "--batch", "-"],
])
def test_full_disk_is_one_line(args):
    with open("/dev/full", "w") as full:
        result = subprocess.run(command("-r", ROUTES, *args), input="GET /\n", stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=TIMEOUT,
                                preexec_fn=_limit_memory, env=env(), cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [FULL_DISK]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["--help"], ["-V"], ["list", "--help"]])
def test_help_and_version_onto_a_full_disk_are_one_line(args):
    # printed while the options are parsed, before any command runs
    with open("/dev/full", "w") as full:
        result = subprocess.run(command(*args), stdout=full, stderr=subprocess.PIPE,
                                text=True, timeout=TIMEOUT, env=env(), cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [FULL_DISK]


@pytest.mark.parametrize("args", [["--help"], ["-V"]])
def test_help_and_version_into_a_closed_pipe_exit_0(args):
    assert closed_early(list(args)) == (0, "")


def _closed_fd(fd):
    return lambda: os.close(fd)


@pytest.mark.parametrize("args", [["list"], ["match", "GET", "/"], ["--help"]])
def test_standard_output_closed_is_one_line(args):
    # routecli list >&-: Python has no sys.stdout; the answer is not dropped in silence
    result = subprocess.run(command("-r", ROUTES, *args), stdout=None, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, timeout=TIMEOUT, env=env(),
                            cwd=ROOT, preexec_fn=_closed_fd(1))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "routecli: cannot write to standard output: Bad file descriptor"]


def test_batch_from_a_closed_standard_input_is_one_line():
    result = subprocess.run(command("-r", ROUTES, "match", "--batch", "-"),
                            capture_output=True, text=True, timeout=TIMEOUT, env=env(),
                            cwd=ROOT, preexec_fn=_closed_fd(0))
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["<stdin>: standard input is not available"]


# --- Ctrl-C -----------------------------------------------------------------------------


def test_ctrl_c_while_the_options_are_parsed_exits_130(monkeypatch):
    # before any command runs: click alone would print "Aborted!" and exit 1
    from routecli.cli.command import SuggestingParse

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(SuggestingParse, "parse_args", interrupted)
    result = CliRunner().invoke(cli, ["-r", ROUTES, "list"])
    assert result.exit_code == 130
    assert result.stderr.splitlines() == ["routecli: interrupted (Ctrl-C)"]


def test_ctrl_c_while_importing_an_app_exits_130():
    process = subprocess.Popen(command("-r", "tests.fixtures_apps.slow_import:app", "list"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env(), cwd=ROOT)
    assert process.stderr.readline() == "slow_import: importing\n"  # inside the import now
    start = time.monotonic()
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=TIMEOUT)
    assert time.monotonic() - start < 20  # not after the 60 s sleep
    assert process.returncode == 130
    assert stderr.splitlines() == ["routecli: interrupted (Ctrl-C) while running 'list'"]
    assert stdout == ""


# --- the app's own sys.exit() ------------------------------------------------------------


@pytest.mark.parametrize("args", [["match", "/item/3"], ["match", "--batch", "-"]])
def test_app_converter_exiting_is_the_apps_error(args):
    result = run(["-r", "tests.fixtures_apps.exiting_converter:app", *args],
                 input="/\n/item/3\n/\n", stdin=None)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line == ("tests/fixtures_apps/exiting_converter.py:11: the app's code raised "
                    "SystemExit(7) while routecli ran 'match'; routecli stopped there")


def test_app_exiting_on_import_is_the_apps_error():
    result = run(["-r", "tests.fixtures_apps.exiting_import", "list"])
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("tests/fixtures_apps/exiting_import.py:5: importing ")
    assert "SystemExit: 7" in line


# --- memory and recursion ----------------------------------------------------------------


def test_real_out_of_memory_is_one_line():
    code = ("import routecli.cli.list_cmd as m\n"
            "m.routes_text = lambda rows, *_: 'x' * (1 << 40)\n"
            "from routecli.cli import main\n"
            f"main(['-r', {ROUTES!r}, 'list'])\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=TIMEOUT, preexec_fn=_limit_memory, env=env(), cwd=ROOT,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["routecli: out of memory while running 'list'"]


HERE = r"tests/robustness/test_cli_exit_status\.py:\d+: "  # where fail() raised: "user code"


@pytest.mark.parametrize("error, pattern", [
    (MemoryError(), HERE + "out of memory while running 'list'"),
    (RecursionError("maximum recursion depth exceeded"),
     HERE + "input nested too deeply for Python's recursion limit while running 'list'"),
    (OSError(24, "Too many open files"),
     "routecli: operating system error while running 'list': Too many open files"),
    (PermissionError(13, "Permission denied", "/some/file"), "/some/file: Permission denied"),
    # raised here, in "user code": the app's error, not routecli's
    (ValueError("a bug"), HERE + r"the app's code raised ValueError\(a bug\) while routecli "
                                 r"ran 'list'; routecli stopped there"),
])
def test_failures_are_one_line(monkeypatch, error, pattern):
    def fail(*_args, **_kwargs):
        raise error

    monkeypatch.setattr("routecli.cli.list_cmd.routes_text", fail)
    result = CliRunner().invoke(cli, ["-r", ROUTES, "list", "--color", "never"])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert re.fullmatch(pattern, line), line


def test_a_bug_in_routecli_is_an_internal_error(monkeypatch):
    import functools

    # raised with no frame of user code on the stack: routecli's own bug
    monkeypatch.setattr("routecli.cli.list_cmd.routes_text", functools.partial(divmod, 1, 0))
    result = CliRunner().invoke(cli, ["-r", ROUTES, "list", "--color", "never"])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("routecli: internal error: TypeError: "), line


def test_debug_shows_the_traceback(monkeypatch):
    def fail(*_args, **_kwargs):
        raise MemoryError

    monkeypatch.setattr("routecli.cli.list_cmd.routes_text", fail)
    result = CliRunner().invoke(cli, ["-r", ROUTES, "list", "--color", "never", "--debug"])
    assert isinstance(result.exception, MemoryError)


def test_library_reports_an_app_converter_exiting_as_the_apps_error():
    # `import routecli` never lets the app's sys.exit() end the caller's process: it is
    # an AppExit (a RouteError) raised from the SystemExit, with the status the app asked.
    import routecli
    from routecli.errors import AppExit, RouteError

    table = routecli.load("tests.fixtures_apps.exiting_converter:app")
    assert table.match("GET", "/").endpoint == "index"
    with pytest.raises(AppExit) as caught:
        table.match("GET", "/item/3")
    assert not isinstance(caught.value, RouteError) and caught.value.status == 7
    assert isinstance(caught.value.__cause__, SystemExit)
    assert "SystemExit(7) in " in str(caught.value) and "/item/<exiting:item>" in str(caught.value)
    # also once the search is generated code (after many requests to the same subtree)
    for _ in range(40):
        with pytest.raises(AppExit):
            table.match("GET", "/item/3")
