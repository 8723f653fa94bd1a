"""Pre-aggregated input (docs/coverage.md#pre-aggregated-counts): ``METHOD URL COUNT`` lines
give the report of the expanded log, and a warehouse's GROUP BY (DuckDB) feeds it."""

import random

import pytest

from helpers import table
from routecli.coverage import CoverageReport
from routecli.coverage.counts_format import CountedRequest, counts_line

ROUTES = [("/", "index"), ("/users/<int:id>", "user", {"methods": ["GET", "PUT"]}),
          ("/users/", "users"), ("/files/<path:p>", "files"), ("/old", "old",
                                                                {"redirect_to": "/"})]
REQUESTS = ["GET /", "GET /users/1", "PUT /users/2", "DELETE /users/3", "GET /users",
            "GET /nothing/9", "POST /files/a/b", "GET /old", "GET /users/1?x=2", "bogus /x",
            "GET /%ff"]


def _expanded_and_counted(tmp_path, seed=3):
    rng = random.Random(seed)
    counts = {request: rng.randint(1, 40) for request in REQUESTS}
    log = tmp_path / "access.log"
    lines = [request for request, n in counts.items() for _ in range(n)]
    rng.shuffle(lines)
    log.write_text("\n".join(lines) + "\n")
    counted = tmp_path / "counts.txt"
    counted.write_text("".join(f"{request} {n}\n" for request, n in counts.items()))
    return log, counted


def test_counts_give_the_report_of_the_expanded_log(tmp_path):
    log, counted = _expanded_and_counted(tmp_path)
    expanded = CoverageReport(table(*ROUTES)).read([str(log)], "plain").to_dict()
    aggregated = CoverageReport(table(*ROUTES)).read([str(counted)], "counts").to_dict()
    for key in ("status", "routes", "unused", "unmatched", "unmatched_other", "method_not_allowed"):
        assert aggregated.get(key) == expanded.get(key), key
    assert aggregated["requests"] == expanded["requests"]
    assert aggregated["malformed"] == expanded["malformed"] == 0
    assert set(expanded) >= {"status", "routes", "unused", "unmatched", "method_not_allowed"}


@pytest.mark.parametrize("line,reason", [
    (b"GET /x", "not a METHOD URL COUNT line"), (b"GET /x 1 2", "not a METHOD URL COUNT line"),
    (b"GET /x 0", "invalid count"), (b"GET /x -1", "invalid count"),
    (b"GET /x 1e3", "invalid count"), (b"GET /x " + b"9" * 19, "invalid count"),
    (b"G(T /x 3", "invalid method"), (b"GET x 3", "invalid target"),
])
def test_bad_count_lines(line, reason):
    assert counts_line(line) == reason


def test_count_line():
    assert counts_line(b"get /a%20b?q=1 12\r\n") == CountedRequest("get", "/a%20b?q=1", None,
                                                                      None, 12)
    assert counts_line(b"  # a comment") is None


def test_duckdb_group_by_recipe(tmp_path):
    """The docs recipe: DuckDB groups a raw log, routecli matches the distinct requests."""
    import duckdb
    log, _ = _expanded_and_counted(tmp_path, seed=5)
    out = tmp_path / "grouped.txt"
    duckdb.sql(f"""
        COPY (
          SELECT method, url, count(*) AS n
          FROM read_csv('{log}', delim=' ', header=false, columns={{'method': 'VARCHAR', 'url': 'VARCHAR'}})
          GROUP BY method, url
        ) TO '{out}' (HEADER false, DELIMITER ' ', QUOTE '')
    """)
    expanded = CoverageReport(table(*ROUTES)).read([str(log)], "plain").to_dict()
    aggregated = CoverageReport(table(*ROUTES)).read([str(out)], "counts").to_dict()
    assert aggregated["status"] == expanded["status"]
    assert aggregated["routes"] == expanded["routes"]


def _write_counts(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_csv_and_json_lines_counts_give_the_same_report(tmp_path):
    log, counted = _expanded_and_counted(tmp_path, seed=7)
    rows = [line.rsplit(" ", 1) for line in counted.read_text().splitlines()]
    rows = [(*request.split(" ", 1), n) for request, n in rows]
    csv_file = _write_counts(tmp_path, "counts.csv", "Method,URL,count\n" + "".join(
        f'{m},"{u}",{n}\n' for m, u, n in rows))
    import json
    jsonl = _write_counts(tmp_path, "counts.jsonl", "".join(
        json.dumps({"request_method": m, "path": u, "hits": int(n)}) + "\n" for m, u, n in rows))
    expanded = CoverageReport(table(*ROUTES)).read([str(log)], "plain").to_dict()
    for path in (str(counted), csv_file, jsonl):
        got = CoverageReport(table(*ROUTES)).read([path], "counts").to_dict()
        for key in ("status", "routes", "unmatched", "method_not_allowed", "requests"):
            assert got[key] == expanded[key], (path, key)
        assert got["counted_lines"] == len(rows) and got["lines"] == len(rows)


@pytest.mark.parametrize("text,reason", [
    ("method,url\nGET,/,3\n", "CSV header without method, URL and count columns"),
    ("method,url,n\nGET,/,x\n", "invalid count"),
    ("method,url,n\nGET,/\n", "invalid CSV line"),
    ('method,url,n\nGET,"/,3\n', "invalid CSV line"),
    ('{"method": "GET", "url": "/"}\n', "no count field"),
    ('{"method": "GET", "url": "/", "count": 0}\n', "invalid count"),
    # a count field of the wrong type is there: an invalid count, not a missing one
    ('{"method": "GET", "url": "/", "count": true}\n', "invalid count"),
    ('{"method": "GET", "url": "/", "hits": null}\n', "invalid count"),
    ('{"method": "GET", "url": "/", "n": [3]}\n', "invalid count"),
    ('{"method": "GET", "url": "/", "count": ""}\n', "invalid count"),
    ('{"method": "GET", "url": "/", "count": 2}\nnot json\n', "invalid JSON"),
])
def test_bad_csv_and_json_counts_are_malformed_lines(tmp_path, text, reason):
    report = CoverageReport(table(*ROUTES)).read([_write_counts(tmp_path, "c", text)], "counts")
    assert set(report.reasons) == {reason}  # (a bad header: its rows too)


def test_the_text_report_tells_requests_from_lines(tmp_path):
    from routecli.output.coverage import summary_lines

    path = _write_counts(tmp_path, "c", "GET / 1200\nGET /nothing 3\nbad\n")
    report = CoverageReport(table(*ROUTES)).read([path], "counts")
    first = summary_lines(report.to_dict(), len(ROUTES))[0]
    assert first == "3 lines: 1,203 requests (counted on 2 lines), 1 malformed"
    data = report.to_dict()
    assert data["lines"] == data["counted_lines"] + data["malformed"]


def test_duckdb_csv_recipe(tmp_path):
    """DuckDB's own CSV (a header, quoting) read as counts."""
    import duckdb
    log, _ = _expanded_and_counted(tmp_path, seed=11)
    out = tmp_path / "grouped.csv"
    duckdb.sql(f"""
        COPY (
          SELECT method, url, count(*) AS requests
          FROM read_csv('{log}', delim=' ', header=false, columns={{'method': 'VARCHAR', 'url': 'VARCHAR'}})
          GROUP BY method, url
        ) TO '{out}' (HEADER, DELIMITER ',')
    """)
    expanded = CoverageReport(table(*ROUTES)).read([str(log)], "plain").to_dict()
    aggregated = CoverageReport(table(*ROUTES)).read([str(out)], "counts").to_dict()
    assert aggregated["status"] == expanded["status"]
    assert aggregated["routes"] == expanded["routes"]


SAMPLES = __import__("pathlib").Path(__file__).resolve().parents[2] / "sample_routes"


@pytest.mark.parametrize("name", ["blog.yaml", "django_urls.yaml", "fastapi_routes.yaml",
                                  "diff_starlette_new.yaml", "starlette_app.py"])
def test_counts_of_every_dialect_give_the_report_of_the_expanded_log(tmp_path, name):
    """Werkzeug, Django and Starlette/FastAPI route files and a live Starlette app: the
    three counts shapes give the report of the log they stand for."""
    import json

    import routecli

    original = routecli.load(str(SAMPLES / name))
    rng = random.Random(name)
    paths = ["/", "/nothing/here", "/users/1/"]
    for rule in original:
        path = str(rule.rule)
        for old, new in (("{", ""), ("}", ""), ("<", ""), (">", ""), (":", "_")):
            path = path.replace(old, new)
        paths.append(path if path.startswith("/") else "/" + path)
    counts = {(method, path): rng.randint(1, 30) for path in paths
              for method in ("GET", "POST", "DELETE")}
    log = tmp_path / "access.log"
    log.write_text("".join(f"{m} {p}\n" for (m, p), n in counts.items() for _ in range(n)))
    spaced = _write_counts(tmp_path, "counts.txt", "".join(
        f"{m} {p} {n}\n" for (m, p), n in counts.items()))
    csv_file = _write_counts(tmp_path, "counts.csv", "verb,path,count(*)\n" + "".join(
        f"{m},{p},{n}\n" for (m, p), n in counts.items()))
    jsonl = _write_counts(tmp_path, "counts.jsonl", "".join(
        json.dumps({"method": m, "url": p, "count": n}) + "\n" for (m, p), n in counts.items()))
    expanded = CoverageReport(original).read([str(log)], "plain").to_dict()
    assert {"200", "404"} <= {code for code, n in expanded["status"].items() if n}
    for path in (spaced, csv_file, jsonl):
        got = CoverageReport(original).read([path], "counts").to_dict()
        for key in ("status", "routes", "unused", "unmatched", "method_not_allowed",
                    "requests", "endpoints"):
            assert got[key] == expanded[key], (path, key)
        assert got["malformed"] == 0 and got["counted_lines"] == len(counts)


@pytest.mark.parametrize("text,reason", [
    ("GET / -3\n", "invalid count"), ("GET / 1.5\n", "invalid count"),
    ("GET / 99999999999999999999999\n", "invalid count"),  # over 18 digits
    ("GET / \u0661\u0662\n", "invalid count"),  # digits, not ASCII ones
    ("GET / +4\n", "invalid count"), ("GET / 0x10\n", "invalid count"),
    ('{"method": "GET", "url": "/", "count": 1e400}\n', "invalid count"),  # inf
    ('{"method": "GET", "url": "/", "count": 2.0}\n', "invalid count"),
    ('{"method": "GET", "url": "/", "count": -1}\n', "invalid count"),
    ('{"method": "GET", "url": "/", "count": 1000000000000000001}\n', "invalid count"),
    ('{"method": "GET", "url": "/", "count": "7 "}\n', "invalid count"),
    ("method,url,n\nGET,/,-1\n", "invalid count"),
    ("method,url,n\nGET,/,99999999999999999999999\n", "invalid count"),
])
def test_hostile_counts_are_malformed_lines_with_their_place(tmp_path, text, reason):
    """A bad count never counts and never stops the run: one malformed line, shown with
    its file and line, as every bad line of a log (docs/coverage.md#input)."""
    from click.testing import CliRunner

    from routecli.cli.app import cli

    good = ('{"method": "GET", "url": "/", "count": 5}\n' if text.startswith("{")
            else "GET,/,5\n" if "," in text else "GET / 5\n")
    path = _write_counts(tmp_path, "c", text + good)
    report = CoverageReport(table(*ROUTES)).read([path], "counts")
    assert report.reasons == {reason: 1} and report.requests == 5
    line = text.count("\n")
    result = CliRunner().invoke(cli, ["-r", str(SAMPLES / "blog.yaml"), "coverage", path,
                                       "--log-format", "counts"])
    assert result.exit_code == 0
    assert f"{path}:{line}: {reason}: " in result.output


def test_the_docs_duckdb_recipe_runs_as_written(tmp_path, monkeypatch):
    """The Python example of docs/coverage.md#pre-aggregated-counts, run as it is written
    (in a directory holding its access.log), then `routecli coverage counts.txt
    --log-format counts` as the docs say: the report of the raw log."""
    import re
    from pathlib import Path

    from click.testing import CliRunner

    from routecli.cli.app import cli

    docs = Path(__file__).resolve().parents[2] / "docs" / "coverage.md"
    blocks = re.findall(r"^```python\n(.*?)^```", docs.read_text(), re.S | re.M)
    recipe = next(block for block in blocks if "import duckdb" in block)
    log, _ = _expanded_and_counted(tmp_path, seed=13)
    monkeypatch.chdir(tmp_path)
    exec(compile(recipe, f"{docs}:duckdb recipe", "exec"), {})
    routes = str(SAMPLES / "blog.yaml")
    runner = CliRunner()
    grouped = runner.invoke(cli, ["-r", routes, "coverage", "counts.txt", "--log-format",
                                  "counts", "--format", "json"])
    raw = runner.invoke(cli, ["-r", routes, "coverage", str(log), "--log-format", "plain",
                              "--format", "json"])
    assert grouped.exit_code == raw.exit_code == 0, grouped.output
    import json

    grouped, raw = json.loads(grouped.output), json.loads(raw.output)
    assert grouped["requests"] == raw["requests"] > 0 and grouped["malformed"] == 0
    for key in ("status", "routes", "unmatched", "method_not_allowed"):
        assert grouped[key] == raw[key], key
