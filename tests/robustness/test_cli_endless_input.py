"""The real CLI on endless and hostile input: it ends in bounded time and memory, with a
one-line message or a malformed-line record (docs/match.md#batch, docs/coverage.md#input)."""

import gzip
import json
import os
import resource
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROUTES = str(ROOT / "sample_routes" / "blog.yaml")
MEMORY = 512 * 1024 * 1024  # address space allowed to the CLI: memory must stay flat
TIMEOUT = 60  # seconds; every case here ends in well under a few seconds


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_cli(*args, stdin=subprocess.DEVNULL, shell_input=None):
    """Run ``routecli -r blog.yaml ARGS`` under RLIMIT_AS; ``shell_input`` is a shell
    command piped into it (``cat /dev/zero``)."""
    command = [sys.executable, "-m", "routecli", "--no-cache", "-r", ROUTES, *args]
    env = {**os.environ, "NO_COLOR": "1"}
    start = time.monotonic()
    if shell_input is not None:
        feeder = subprocess.Popen(shell_input, shell=True, stdout=subprocess.PIPE)
        stdin = feeder.stdout
    try:
        result = subprocess.run(command, stdin=stdin, capture_output=True, text=True,
                                timeout=TIMEOUT, preexec_fn=_limit_memory, env=env, cwd=ROOT)
    finally:
        if shell_input is not None:
            feeder.stdout.close()
            feeder.kill()
            feeder.wait()
    result.seconds = time.monotonic() - start
    assert "Traceback" not in result.stderr, result.stderr
    return result


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_batch_of_dev_zero_is_binary_input():
    result = run_cli("match", "--batch", "/dev/zero")
    assert result.returncode == 2
    assert one_line(result.stderr) == "/dev/zero:1: binary input (a NUL byte): not a list of requests"


def test_batch_of_endless_nuls_on_stdin():
    result = run_cli("match", "--batch", "-", shell_input="cat /dev/zero")
    assert result.returncode == 2
    assert one_line(result.stderr) == "<stdin>:1: binary input (a NUL byte): not a list of requests"


def test_batch_of_an_endless_line_of_text_on_stdin():
    result = run_cli("match", "--batch", "-", "-f", "json",
                     shell_input="printf 'GET /\\n'; tr '\\0' a < /dev/zero")
    assert result.returncode == 2
    assert one_line(result.stderr) == "<stdin>:2: no line end in 16 MiB: not a list of requests"
    assert [r["status"] for r in json.loads(result.stdout)] == [200]  # still valid JSON


def test_batch_binary_line_after_good_ones(tmp_path):
    batch = tmp_path / "requests.txt"
    batch.write_bytes(b"GET /\n/about\n\x00\x01\x02\n/never-read\n")
    result = run_cli("match", "--batch", str(batch))
    assert result.returncode == 2
    assert result.stdout.splitlines() == ["200 GET / -> index", "200 GET /about -> about"]
    assert one_line(result.stderr) == f"{batch}:3: binary input (a NUL byte): not a list of requests"


def test_batch_long_line_in_a_regular_file_is_one_error(tmp_path):
    batch = tmp_path / "requests.txt"
    batch.write_bytes(b"GET /" + b"a" * (20 * 1024 * 1024) + b"\nGET /about\n")
    result = run_cli("match", "--batch", str(batch))
    assert result.returncode == 2
    assert result.stdout.splitlines() == ["200 GET /about -> about"]
    assert one_line(result.stderr) == f"{batch}:1: line too long (over 65,536 characters)"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("source", ["file", "pipe"])
def test_coverage_of_dev_zero_ends(source):
    if source == "file":
        result = run_cli("coverage", "/dev/zero", "-f", "json")
    else:
        result = run_cli("coverage", "-f", "json", shell_input="cat /dev/zero")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["malformed_reasons"] == {"no line end in 16 MiB": 1}
    assert (report["lines"], report["requests"]) == (1, 0)


@pytest.fixture(scope="module")
def gzip_bomb(tmp_path_factory):
    """1 GiB of newlines in about 1 MB of gzip."""
    path = tmp_path_factory.mktemp("bomb") / "access.log.gz"
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\n" * (1024 * 1024)
    with open(path, "wb") as out:
        for _ in range(1024):
            out.write(compressor.compress(block))
        out.write(compressor.flush())
    return path


def test_coverage_of_a_gzip_bomb_ends_quickly(gzip_bomb):
    result = run_cli("coverage", str(gzip_bomb), "-f", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["malformed_reasons"] == {"gzip data expands over 100:1": 1}
    assert result.seconds < 20  # was minutes: only the first MiB is read


def test_coverage_of_a_gzip_bomb_on_stdin(gzip_bomb):
    with open(gzip_bomb, "rb") as stdin:
        result = run_cli("coverage", "-f", "json", stdin=stdin)
    assert json.loads(result.stdout)["malformed_reasons"] == {"gzip data expands over 100:1": 1}


def test_coverage_reads_the_next_log_after_a_hostile_one(gzip_bomb, tmp_path):
    log = tmp_path / "good.log.gz"
    log.write_bytes(gzip.compress(b"GET /\nGET /about\n"))
    result = run_cli("coverage", str(gzip_bomb), str(log), "-f", "json")
    report = json.loads(result.stdout)
    assert report["requests"] == 2 and report["malformed"] == 1


@pytest.mark.skipif(not os.path.exists("/dev/urandom"), reason="needs /dev/urandom")
def test_coverage_of_endless_noise_ends():
    """/dev/urandom has newlines, so its lines are short, but it never ends: once nearly
    all of 100,000 lines are malformed the input stops as one more malformed line."""
    result = run_cli("coverage", "/dev/urandom", "-f", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["malformed_reasons"]["not an access log: over 90% of 100,000 lines malformed"] == 1
    assert report["requests"] < report["malformed"] // 10


def test_a_mostly_good_endless_log_is_read_to_its_end():
    """The noise stop needs 90% malformed lines: a pipe with one bad line in five is read whole."""
    result = run_cli("coverage", "-f", "json",
                     shell_input="yes 'GET /about' | head -n 400000 | awk 'NR%5==0{print \"junk\"; next} {print}'")
    report = json.loads(result.stdout)
    assert (report["requests"], report["malformed"]) == (320_000, 80_000)
