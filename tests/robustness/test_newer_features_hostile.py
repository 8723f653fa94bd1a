"""Hostile input for the features the third audit (issue #13 point 8) added cases for: the
pre-aggregated counts reader, git revision specs and git sources, coverage on worker
processes, and a FIFO given as a log. Fuzzing: whatever the bytes, a counts line is a
counted request, a reason or nothing, and a git spec reads or fails with one RouteError
line, never anything else. The rest pins the fixes of the audit (bench/README.md,
"Hostile inputs")."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routecli.coverage.counts_format import CountedRequest, CountsParser, counts_line
from routecli.errors import RouteError
from routecli.sources import git_file

ROOT = Path(__file__).resolve().parents[2]
FUZZ = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
GOOD_YAML = "routes:\n  - {rule: '/a/<x>', endpoint: a}\n  - {rule: /b, endpoint: b}\n"

# ------------------------------------------------------------------ the counts reader

PIECES = st.sampled_from([
    b"GET", b"POST", b"get", b" ", b"\t", b",", b";", b'"', b"'", b"{", b"}", b"[", b"]",
    b":", b"/a/1", b"/", b"%ff", b"%00", b"\x00", b"\xff", b"\xef\xbb\xbf", b"\r", b"#",
    b"3", b"-3", b"0", b"1e3", b"3.5", b"9" * 19, b"9" * 5000, b"nan", b"\xd9\xa3",
    b'"method"', b'"path"', b'"url"', b'"count"', b'"requests"', b"method", b"path", b"count",
    b"null", b"true", b"http://h:99999/a", b"\x1b[2J", "\u202e".encode(), b"\\u0000",
])
LINES = st.lists(st.lists(PIECES, max_size=12).map(b"".join) | st.binary(max_size=80),
                 min_size=1, max_size=8)


def _check(result) -> None:
    if result is None or isinstance(result, str):
        return
    assert isinstance(result, CountedRequest)
    assert result.count.__class__ is int and 0 < result.count < 10 ** 18
    assert isinstance(result.method, str) and isinstance(result.target, str)


@FUZZ
@given(LINES)
def test_counts_lines_are_a_counted_request_a_reason_or_nothing(lines):
    parser = CountsParser()
    for line in lines:
        _check(parser(line))
        _check(counts_line(line))


@FUZZ
@given(st.lists(st.sampled_from([
    b'{"method": "GET", "path": "/a/1", "count": 3}', b"method,path,count", b"GET,/a/1,3",
    b"GET /a/1 3", b"", b"#", b"\xef\xbb\xbfGET /a/1 3", b'{"count": [1]}', b"GET,/a/1,-1",
    b'{"method": "GET", "path": "/a/1", "count": 1e999}', b',,,', b'"GET,/a/1,3',
]), min_size=1, max_size=10))
def test_counts_files_of_mixed_shapes_never_raise(lines):
    parser = CountsParser()
    for line in lines:
        _check(parser(line))


def test_counts_reports_through_the_cli_add_up(tmp_path):
    (tmp_path / "r.yaml").write_text(GOOD_YAML)
    (tmp_path / "c.txt").write_bytes(
        b"\xef\xbb\xbfGET /a/1 999999999999999999\nGET /a/1 999999999999999999\n"
        b"GET /a/1 9999999999999999999\nGET /a/1 -1\nGET /a/\x00 3\n")
    done = subprocess.run([sys.executable, "-m", "routecli", "-r", "r.yaml", "coverage",
                           "--log-format", "counts", "c.txt", "--format", "json"],
                          cwd=tmp_path, capture_output=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    import json

    report = json.loads(done.stdout)
    assert done.returncode == 0
    assert report["requests"] == 2 * 999999999999999999
    assert report["lines"] == report["counted_lines"] + report["malformed"] == 5


# ------------------------------------------------------------------ git revision specs

SPEC_PIECES = st.sampled_from([
    "HEAD", "main", "-", "--", "--output=x", "~", "^", "@", "{", "}", "..", ".", "/", ":",
    "a", "0", " ", "\n", "\r", "\x00", "\x1b", "\u202e", "*", "?", "[", "\\", "r.yaml",
    "./", "../", "=", "+", "\udcff",
])


@FUZZ
@given(st.lists(SPEC_PIECES, max_size=10).map("".join))
def test_git_specs_split_or_refuse(text):
    spec = "git:" + text
    try:
        revision, path = git_file.split_git_spec(spec)
    except RouteError as error:
        assert "\n" not in str(error.args[0])
        return
    # nothing git could read as an option, a second line of cat-file's input or a range
    assert not revision.startswith("-") and ".." not in revision
    assert not path.startswith("-") and not os.path.isabs(path)
    assert not any(c in path + revision for c in "\n\r\x00")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    env = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@b", "GIT_CONFIG_GLOBAL": "/dev/null"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    (tmp_path / "r.yaml").write_text(GOOD_YAML)
    (tmp_path / "sub.yaml").mkdir()
    (tmp_path / "sub.yaml" / "f").write_text("x")
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "x"]):
        subprocess.run(["git", *command], cwd=tmp_path, check=True, capture_output=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@FUZZ
@given(st.lists(SPEC_PIECES, max_size=6).map("".join))
def test_git_sources_read_or_refuse_in_one_line(repo, text):
    try:
        data = git_file.read_git_bytes("git:" + text)
    except RouteError as error:
        assert "\n" not in str(error.args[0])
        return
    assert isinstance(data, bytes)


def test_a_missing_path_with_glob_characters_is_missing_not_empty(repo):
    # `git show HEAD:./x*.yaml` takes a missing path with *, ? or [ for a pathspec and
    # prints nothing: it read as an empty file ("no routes: the file is empty")
    for path in ("x*.yaml", "r[ab].yaml", "r?.yaml", "r\x1b[2J.yaml"):
        with pytest.raises(RouteError, match="does not exist"):
            git_file.read_git_bytes(f"git:HEAD:{path}")


def test_a_directory_at_the_revision_is_named_as_one(repo):
    # `git show` printed the tree's listing, which then failed as YAML
    with pytest.raises(RouteError, match="'sub.yaml' is a directory at 'HEAD'"):
        git_file.read_git_bytes("git:HEAD:sub.yaml")


def test_a_blob_larger_than_a_route_file_is_refused_unread(repo, monkeypatch):
    from routecli.sources import route_file

    monkeypatch.setattr(route_file, "MAX_FILE_BYTES", 10)
    with pytest.raises(RouteError, match="too large"):
        git_file.read_git_bytes("git:HEAD:r.yaml")
    monkeypatch.setattr(route_file, "MAX_FILE_BYTES", 1 << 30)
    assert git_file.read_git_bytes("git:HEAD:r.yaml") == GOOD_YAML.encode()


# ------------------------------------------------------------- coverage on workers

CONVERTER_APP = (
    "import os, sys\nfrom flask import Flask\nfrom werkzeug.routing import BaseConverter\n"
    "class C(BaseConverter):\n    def to_python(self, v):\n        {code}\n"
    "app = Flask(__name__)\napp.url_map.converters['boom'] = C\n"
    "app.add_url_rule('/x/<boom:v>', 'x', lambda v: v)\n")


def _coverage(tmp_path, code: str, jobs: str = "2"):
    (tmp_path / "capp.py").write_text(CONVERTER_APP.format(code=code))
    lines = b"".join(b"GET /x/%d\n" % i for i in range(20_000))  # a batch for the workers
    return subprocess.run([sys.executable, "-m", "routecli", "-r", "capp:app", "coverage",
                           "-j", jobs, "-"], input=lines, cwd=tmp_path, capture_output=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize("code", ["os._exit(3)", "os.kill(os.getpid(), 9)"])
def test_a_worker_that_dies_is_an_error_not_a_hang(tmp_path, code):
    # Pool loses a dead worker's task and waited for it for ever
    done = _coverage(tmp_path, code)
    assert done.returncode == 2
    assert done.stderr.decode().count("\n") == 1
    assert done.stderr.decode().startswith("routecli: a worker process died")


def test_the_app_raising_keyboardinterrupt_in_a_worker_is_ctrl_c_as_on_one_core(tmp_path):
    one = _coverage(tmp_path, "raise KeyboardInterrupt", jobs="1")
    two = _coverage(tmp_path, "raise KeyboardInterrupt", jobs="2")
    assert one.returncode == two.returncode == 130  # was 2 on workers: the app's error
    assert b"Traceback" not in two.stderr


def test_ctrl_c_on_the_process_group_ends_coverage_on_workers_with_one_line(tmp_path):
    # a terminal's Ctrl-C signals the workers too: they ignore it, the parent reports it
    (tmp_path / "capp.py").write_text(
        CONVERTER_APP.format(code="import time; time.sleep(0.005); return v"))
    (tmp_path / "log").write_bytes(b"".join(b"GET /x/%d\n" % i for i in range(20_000)))
    run = subprocess.Popen([sys.executable, "-m", "routecli", "-r", "capp:app", "coverage",
                            "-j", "2", "log"], cwd=tmp_path, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, start_new_session=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    time.sleep(3)  # start-up, the table loaded, the pool answering the batch
    os.killpg(run.pid, signal.SIGINT)
    _out, err = run.communicate(timeout=60)
    assert run.returncode == 130
    assert err.decode() == "routecli: interrupted (Ctrl-C) while running 'coverage'\n"


def test_a_worker_ignores_ctrl_c_so_that_only_the_parent_reports_it():
    # the process-group test above passes either way when the workers are busy in the
    # app's code; an idle worker would print its own traceback
    import routecli
    from routecli.coverage import parallel

    table = routecli.load(str(ROOT / "sample_routes" / "blog.yaml"))
    saved = signal.getsignal(signal.SIGINT)
    try:
        parallel._start_worker(table, None)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, saved)
        parallel._worker_answers = None


def test_jobs_are_capped_per_core():
    from routecli.coverage.parallel import JOBS_PER_CORE, cpu_jobs

    cores = cpu_jobs(0)
    assert cpu_jobs(100_000) == JOBS_PER_CORE * cores  # -j 100000 forked 100,000 workers
    assert cpu_jobs(2) == min(2, JOBS_PER_CORE * cores)


# ------------------------------------------------------------------ a FIFO as a log

def test_ctrl_c_ends_the_wait_for_a_fifo_writer_with_130(tmp_path):
    # A FIFO is a stream (as <(zcat log.gz) is): coverage waits for its writer like cat;
    # Ctrl-C ends the wait as it ends any run.
    (tmp_path / "r.yaml").write_text(GOOD_YAML)
    os.mkfifo(tmp_path / "fifo")
    process = subprocess.Popen([sys.executable, "-m", "routecli", "-r", "r.yaml", "coverage",
                                "fifo"], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env={**os.environ,
                                                            "PYTHONPATH": str(ROOT)})
    try:
        time.sleep(3)  # started and waiting in open(); no timing is asserted
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130
    assert err.decode().count("\n") == 1 and b"Traceback" not in err


def test_a_closed_pipe_keeps_the_status_on_workers_and_leaves_no_process(tmp_path):
    from routecli.coverage.parallel import PART_MIN_BYTES

    (tmp_path / "r.yaml").write_text(GOOD_YAML)
    line = b"GET /a/1\nPOST /zz\n"
    (tmp_path / "big.log").write_bytes(line * (PART_MIN_BYTES // len(line) + 1000))
    process = subprocess.Popen([sys.executable, "-m", "routecli", "-r", "r.yaml", "coverage",
                                "-j", "2", "big.log", "--fail-on-unused"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    process.stdout.readline()
    process.stdout.close()  # as `| head -1` does
    err = process.stderr.read()
    assert process.wait(timeout=120) == 1  # /b is unused: the answer's status, not 141
    assert err == b""
    time.sleep(1)
    left = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True)
    assert left.stdout.split() == []
