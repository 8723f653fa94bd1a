"""The real CLI on hostile tables and lint inputs, in a subprocess under a memory limit and
a timeout: repeated patterns, rules of a thousand segments, a deeply nested baseline, a
directory given as config. Exit status, one-line messages, time, untouched inputs."""

from __future__ import annotations

import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

MEMORY_LIMIT = 2 * 1024 ** 3  # address space, bytes
TIME_LIMIT = 30  # seconds; generous on a loaded machine


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def routecli(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess, float]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "routecli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=TIME_LIMIT * 2,
                          preexec_fn=_limit_memory)
    return done, time.perf_counter() - start


def write_routes(path: Path, rules: list[str]) -> str:
    path.write_text(json.dumps({"routes": [{"rule": rule, "endpoint": f"e{i}"}
                                           for i, rule in enumerate(rules)]}, indent=1))
    return hashlib.sha256(path.read_bytes()).hexdigest()


def unchanged(path: Path, digest: str) -> bool:
    return hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_ten_thousand_copies_lint_and_conflicts(tmp_path):
    routes = tmp_path / "routes.json"
    digest = write_routes(routes, ["/same/<int:x>"] * 10_000)
    for command in ("lint", "conflicts"):
        done, seconds = routecli("-r", str(routes), command, "--format", "json", cwd=tmp_path)
        assert done.returncode == 1, done.stderr
        assert seconds < TIME_LIMIT
        (finding,) = json.loads(done.stdout)["findings"]
        assert finding["code"] == "RL101" and len(finding["routes"]) == 10_000
        assert "9,999 duplicates" in finding["message"]
    assert unchanged(routes, digest)


def test_rules_of_a_thousand_segments(tmp_path):
    thousand = "/".join(["a"] * 1000)
    variables = "/".join(f"<v{i}>" for i in range(1000))
    uuids = "/".join(f"<uuid:u{i}>" for i in range(1000))
    tables = {
        "duplicate": [f"/{thousand}/<x>", f"/{thousand}/<y>"],
        "unreachable": [f"/{variables}", f"/{uuids}"],
        "specialisation": [f"/{thousand}/<path:p>", f"/{thousand}/b"],
    }
    for name, rules in tables.items():
        routes = tmp_path / f"{name}.json"
        digest = write_routes(routes, rules)
        for command in ("lint", "conflicts"):
            done, seconds = routecli("-r", str(routes), command, cwd=tmp_path)
            assert done.returncode in (0, 1), (name, command, done.stderr)
            assert done.stderr == "" and seconds < TIME_LIMIT, (name, command)
        assert unchanged(routes, digest)


def test_deeply_nested_baseline_is_one_line(tmp_path):
    routes = tmp_path / "routes.json"
    write_routes(routes, ["/a"])
    baseline = tmp_path / "baseline.json"
    baseline.write_text("[" * 100_000 + "]" * 100_000)
    digest = hashlib.sha256(baseline.read_bytes()).hexdigest()
    done, _ = routecli("-r", str(routes), "lint", "--baseline", str(baseline), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "baseline.json: invalid baseline JSON: nested too deeply\n"
    assert unchanged(baseline, digest)


def test_config_directory_says_so(tmp_path):
    routes = tmp_path / "routes.json"
    write_routes(routes, ["/a"])
    (tmp_path / "conf").mkdir()
    done, _ = routecli("-r", str(routes), "lint", "--config", str(tmp_path / "conf"),
                       cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(f"{tmp_path / 'conf'}: is a directory")
    assert done.stderr.count("\n") == 1


def test_ten_thousand_converter_argument_variants_lint_in_bounded_time(tmp_path):
    # Routes differing only in converter arguments: `int(max=K)` and `int(min=K)` share
    # one trie state, `string(length=K)` get one edge each. Lint pairs each route of a
    # state only with the earlier routes taking its methods, and sweeps edges by length.
    for make, count in ((lambda k: f"/same/<int(max={k}):x>", 10_000),
                        (lambda k: f"/same/<int(min={k}):x>", 10_000),
                        (lambda k: f"/same/<string(length={k + 1}):x>", 10_000)):
        routes = tmp_path / "routes.json"
        digest = write_routes(routes, [make(k) for k in range(count)] + ["/other/<x>"])
        done, seconds = routecli("-r", str(routes), "lint", "--format", "json", cwd=tmp_path)
        assert done.returncode in (0, 1), done.stderr
        assert seconds < TIME_LIMIT * 2
        findings = json.loads(done.stdout)["findings"]
        if "length" not in make(0):
            # every later route is a duplicate of the first: one grouped RL101 (one line)
            rl101 = [f for f in findings if f["code"] == "RL101"]
            assert rl101 and sum(len(f.get("affected", f["routes"])) - 1 for f in rl101) >= 1
            assert all(f["witness"] for f in findings)
        else:
            assert findings == []  # distinct lengths never overlap
        assert unchanged(routes, digest)


def test_variants_on_one_state_against_variants_on_another(tmp_path):
    # 3,000 int(max=K) routes under /a/ tried before 3,000 under /<s>/: nine million
    # pairs one by one (gigabytes), one block in lint (docs/lint.md#how-overlaps-are-decided)
    routes = tmp_path / "routes.json"
    digest = write_routes(routes, [f"/a/<int(max={k}):x>" if k % 2 else f"/<s>/<int(max={k}):x>"
                                   for k in range(6_000)])
    done, seconds = routecli("-r", str(routes), "lint", "--format", "json", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert seconds < TIME_LIMIT * 2
    findings = json.loads(done.stdout)["findings"]
    codes = [f["code"] for f in findings]
    # Every later route of a state is a duplicate of that state's first: RL101 alone
    # (one finding per cause: the /a/ routes that also take its URLs are not RL103).
    assert set(codes) == {"RL101", "RL110"}
    assert sum(len(f.get("affected", f["routes"])) - 1
               for f in findings if f["code"] == "RL101") >= 5_998
    assert unchanged(routes, digest)


def test_two_thousand_variants_conflicts_in_json(tmp_path):
    # routes differing only in a converter argument share one pattern: the later ones
    # are paired with the first only, and listed once as a group (docs/rules.md RL198)
    routes = tmp_path / "routes.json"
    digest = write_routes(routes, [f"/same/<int(max={i}):x>" for i in range(1, 2001)])
    done, seconds = routecli("-r", str(routes), "conflicts", "--format", "json", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert seconds < TIME_LIMIT
    findings = json.loads(done.stdout)["findings"]
    assert sorted({f["code"] for f in findings}) == ["RL101", "RL198"]
    assert len(findings) == 2000
    assert unchanged(routes, digest)
