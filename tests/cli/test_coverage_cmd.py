"""`routecli coverage` through click's CliRunner: formats, exit codes, inputs."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from routecli.cli.app import cli

ROOT = Path(__file__).resolve().parents[2]
BLOG = str(ROOT / "sample_routes" / "blog.yaml")
DATE = "[10/Oct/2023:13:55:36 +0000]"

ROUTES_YAML = """\
routes:
  - rule: /
    endpoint: index
  - rule: /users/
    endpoint: users
    methods: [GET, POST]
  - rule: /users/<int:user_id>
    endpoint: user
  - rule: /admin
    endpoint: admin
"""


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def clf(method: str, target: str, status: int = 200) -> str:
    return f'198.51.100.7 - - {DATE} "{method} {target} HTTP/1.1" {status} 10 "-" "ua"'


@pytest.fixture
def routes(tmp_path) -> str:
    path = tmp_path / "routes.yaml"
    path.write_text(ROUTES_YAML)
    return str(path)


@pytest.fixture
def log(tmp_path) -> str:
    lines = [
        clf("GET", "/"),
        clf("GET", "/?utm=1"),
        clf("GET", "/users"),  # 308 from /users/
        clf("GET", "/users/"),
        clf("GET", "/users/42"),
        clf("DELETE", "/users/42"),  # 405
        clf("GET", "/api/v1/users/12/avatar", 404),
        clf("GET", "/api/v1/users/13/avatar", 404),
        '198.51.100.7 - - [10/Oct/2023:13:55:36 +0000] "\\x16\\x03\\x01" 400 0 "-" "-"',
    ]
    path = tmp_path / "access.log"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_json_is_the_contract_object(routes, log):
    result = run("-r", routes, "coverage", log, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["lines"], data["requests"], data["malformed"]) == (9, 8, 1)
    assert data["status"] == {"200": 4, "308": 1, "404": 2, "405": 1}
    assert [(r["endpoint"], r["hits"], r["redirects"]) for r in data["routes"]] == [
        ("index", 2, 0), ("users", 1, 1), ("user", 1, 0), ("admin", 0, 0)]
    assert data["routes"][1]["methods"] == ["GET", "POST"]
    assert data["routes"][1]["source"] == f"{routes}:4"
    assert data["unused"] == [{"rule": "/admin", "endpoint": "admin", "source": f"{routes}:9"}]
    assert data["unmatched"] == [{"shape": "/api/v1/users/<int>/avatar", "count": 2,
                                  "examples": ["/api/v1/users/12/avatar",
                                               "/api/v1/users/13/avatar"]}]
    assert data["method_not_allowed"][0]["methods_tried"] == {"DELETE": 1}
    assert data["malformed_examples"][0]["line"] == 9


def test_table_is_plain_when_piped(routes, log):
    result = run("-r", routes, "coverage", log)
    assert result.exit_code == 0
    out = result.output
    assert "\x1b[" not in out  # no colour or rich boxes when piped
    assert out.startswith("9 lines: 8 requests, 1 malformed")
    assert "routes: 3 of 4 used, 1 unused" in out
    assert "Unused routes (1)" in out and "/admin" in out
    assert "/api/v1/users/<int>/avatar" in out
    assert "Method not allowed (405)" in out and "DELETE 1" in out
    assert "not an HTTP request line" in out


def test_table_with_rich(routes, log):
    result = run("--color", "always", "-r", routes, "coverage", log)
    assert result.exit_code == 0
    assert "Routes by hits" in result.output and "/api/v1/users/<int>/avatar" in result.output


def test_markdown(routes, log):
    result = run("-r", routes, "coverage", log, "--format", "markdown")
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("# Route coverage\n")
    assert "## Unused routes (1)" in out
    assert "| Count | Share | Shape | Examples |" in out
    assert "| `/api/v1/users/<int>/avatar` |" in out
    assert "`/admin`" in out


def test_fail_on_unused_exit_codes(routes, log, tmp_path):
    assert run("-r", routes, "coverage", log, "--fail-on-unused").exit_code == 1
    assert run("-r", routes, "coverage", log).exit_code == 0
    full = tmp_path / "full.log"
    full.write_text(Path(log).read_text() + clf("GET", "/admin") + "\n")
    assert run("-r", routes, "coverage", str(full), "--fail-on-unused").exit_code == 0
    # --min-hits 2: admin (1 hit) and user (1 hit) are under-used
    result = run("-r", routes, "coverage", str(full), "--fail-on-unused", "--min-hits", "2",
                 "-f", "json")
    assert result.exit_code == 1
    assert [u["endpoint"] for u in json.loads(result.output)["unused"]] == ["user", "admin"]


def test_bad_input_exit_2(routes, log, tmp_path):
    result = run("-r", routes, "coverage", str(tmp_path / "missing.log"))
    assert result.exit_code == 2
    assert "missing.log: cannot read log file" in result.output
    assert run("-r", routes, "coverage", log, "--json-field", "nope").exit_code == 2
    assert run("-r", routes, "coverage", log, "--json-field", "verb=x").exit_code == 2
    assert run("-r", routes, "coverage", log, "--min-hits", "0").exit_code == 2
    assert run("-r", routes, "coverage", log, "--log-format", "xml").exit_code == 2
    assert run("-r", str(tmp_path / "nope.yaml"), "coverage", log).exit_code == 2
    assert run("-r", routes, "coverage", str(tmp_path)).exit_code == 2  # a directory


def test_stdin_and_gzip(routes, tmp_path):
    data = "GET /\nGET /users/1\nPOST /users/\n/nope/7\n"
    result = run("-r", routes, "coverage", "-f", "json", input=data)  # no LOG: stdin
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["requests"] == 4 and out["formats"] == {"<stdin>": "plain"}
    zipped = tmp_path / "a.log.gz"
    zipped.write_bytes(gzip.compress(data.encode()))
    result = run("-r", routes, "coverage", "-f", "json", "-", str(zipped),
                 input=gzip.compress(data.encode()))
    out = json.loads(result.output)
    assert out["requests"] == 8 and out["status"]["200"] == 6 and out["status"]["404"] == 2
    assert out["unmatched"][0] == {"shape": "/nope/<int>", "count": 2, "examples": ["/nope/7"]}


def test_json_fields(routes, tmp_path):
    path = tmp_path / "app.jsonl"
    path.write_text(
        '{"verb": "GET", "req": {"uri": "/users/5"}, "url": "/ignored"}\n'
        '{"verb": "POST", "req": {"uri": "/users/"}}\n'
        '{"verb": "GET"}\n'
    )
    result = run("-r", routes, "coverage", str(path), "-f", "json",
                 "--json-field", "method=verb", "--json-field", "url=req.uri")
    out = json.loads(result.output)
    assert (out["requests"], out["malformed"]) == (2, 1)
    assert out["malformed_reasons"] == {"no URL field": 1}
    assert [r["hits"] for r in out["routes"]] == [0, 1, 1, 0]


def test_host_option(tmp_path):
    routes = tmp_path / "r.yaml"
    routes.write_text("settings:\n  host_matching: true\nroutes:\n"
                      "  - {rule: /, endpoint: a, host: a.example.com}\n"
                      "  - {rule: /, endpoint: b, host: b.example.com}\n")
    result = run("-r", str(routes), "coverage", "-f", "json", "--host", "b.example.com",
                 input="GET /\nGET http://a.example.com/\n")
    assert [r["hits"] for r in json.loads(result.output)["routes"]] == [1, 1]


def test_top_limits_rows(routes, tmp_path):
    path = tmp_path / "many.log"
    path.write_text("".join(f"/thing-{chr(97 + k)}\n" for k in range(10)))
    out = json.loads(run("-r", routes, "coverage", str(path), "-f", "json", "--top", "3").output)
    assert len(out["unmatched"]) == 3 and out["unmatched_other"] == 7
    table = run("-r", routes, "coverage", str(path), "--top", "3").output
    assert "7 more 404s in other shapes" in table


def test_empty_input(routes):
    result = run("-r", routes, "coverage", "-f", "json", input="")
    out = json.loads(result.output)
    assert (out["lines"], out["requests"]) == (0, 0) and len(out["unused"]) == 4
    assert run("-r", routes, "coverage", input="").exit_code == 0


def test_sample_routes_and_help():
    result = run("-r", BLOG, "coverage", "-f", "json", input="GET /blog/posts/42\n")
    assert result.exit_code == 0
    assert any(r["endpoint"] == "get_blog_post" and r["hits"] == 1
               for r in json.loads(result.output)["routes"])
    assert "--fail-on-unused" in run("coverage", "--help").output


def test_match_does_not_import_coverage():
    code = ("import sys; from routecli.cli import main\n"
            f"try:\n    main(['-r', {BLOG!r}, 'match', 'GET', '/'])\n"
            "except SystemExit:\n    pass\n"
            "print('routecli.coverage' in sys.modules, 'rich.progress' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.strip().endswith("False False")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_counts_input_gives_the_report_of_the_log(routes, log, jobs):
    """--log-format counts (docs/coverage.md#pre-aggregated-counts): METHOD URL COUNT lines,
    here the GROUP BY of the fixture log's requests, give its report; -j never changes it."""
    counts = "GET / 1\nGET /?utm=1 1\nGET /users 1\nGET /users/ 1\nGET /users/42 1\n" \
             "DELETE /users/42 1\nGET /api/v1/users/12/avatar 1\nGET /api/v1/users/13/avatar 1\n"
    expanded = json.loads(run("-r", routes, "coverage", log, "--format", "json").output)
    result = run("-r", routes, "coverage", "-", "--log-format", "counts", "-j", jobs,
                 "--format", "json", input=counts)
    assert result.exit_code == 0, result.output
    aggregated = json.loads(result.output)
    for key in ("status", "routes", "unused", "unmatched", "method_not_allowed"):
        assert aggregated[key] == expanded[key], key


def test_counts_input_bad_line_is_malformed(routes):
    result = run("-r", routes, "coverage", "-", "--log-format", "counts", "--format", "json",
                 input="GET /users/42 3\nGET /users/42 lots\n")
    data = json.loads(result.output)
    assert result.exit_code == 0
    assert data["status"]["200"] == 3
    assert data["malformed_reasons"] == {"invalid count": 1}


@pytest.mark.parametrize("command", ["coverage", "batch"])
def test_a_named_pipe_is_read_once_its_writer_comes(tmp_path, routes, command):
    # docs/coverage.md, docs/match.md: a FIFO is a log like any other (process substitution);
    # routecli waits for its writer, as cat does, and reads until the writer closes it.
    import os
    import threading

    fifo = tmp_path / "pipe.log"
    os.mkfifo(fifo)
    lines = [clf("GET", "/users/42"), clf("DELETE", "/users/42")] if command == "coverage" \
        else ["GET /users/42", "DELETE /users/42"]

    def write():
        with open(fifo, "w") as out:  # blocks until routecli opens the reading end
            out.write("\n".join(lines) + "\n")

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    args = ["coverage", str(fifo), "--format", "json"] if command == "coverage" \
        else ["match", "--batch", str(fifo), "--format", "jsonl"]
    result = run("-r", routes, *args)
    writer.join(timeout=10)
    assert not writer.is_alive()
    if command == "coverage":
        data = json.loads(result.output)
        hits = {r["endpoint"]: r["hits"] for r in data["routes"]}
        assert hits["user"] == 1, data
    else:
        answers = [json.loads(line) for line in result.output.splitlines()]
        assert [a["status"] for a in answers] == [200, 405]
