"""The commands on a FastAPI route file (docs/dialects.md): statuses and exit codes, the
dialect in JSON, batch lines, list columns and priority order, coverage of 307s."""

import json
from pathlib import Path

from click.testing import CliRunner

from routecli.cli.app import cli

SAMPLE = str(Path(__file__).resolve().parents[2] / "sample_routes" / "fastapi_routes.yaml")


def run(*args, input=None):
    return CliRunner().invoke(cli, ["-r", SAMPLE, *args], input=input)


def test_a_422_is_answered_with_exit_1_and_the_dialect_in_json():
    result = run("match", "GET", "/users/me", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert (data["status"], data["endpoint"], data["rule"], data["dialect"]) == (
        422, "read_user", "/users/{user_id}", "fastapi")
    assert data["args"] == {"user_id": "me"}


def test_a_307_is_a_served_answer_with_an_absolute_location():
    result = run("match", "GET", "/admin/stats/?x=1", "--host", "api.test", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert (data["status"], data["location"]) == (307, "http://api.test/admin/stats?x=1")


def test_batch_lines_say_what_each_request_got():
    result = run("match", "--batch", "-", input="GET /users/7\nGET /users/me\nPUT /items\n"
                                                 "GET /items/\n")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "200 GET /users/7 -> read_user (user_id='7')",
        "422 GET /users/me -> read_user: path parameter 'user_id'='me' is not a valid integer",
        "405 PUT /items allowed: GET",
        "307 GET /items/ -> http://localhost/items",
    ]


def test_list_shows_kind_and_position_and_priority_is_declaration_order():
    rows = json.loads(run("list", "--format", "json", "--sort", "priority").output)
    assert [(row["position"], row["kind"]) for row in rows][:5] == [
        ("1", "docs"), ("2", "docs"), ("3", "docs"), ("4", "route"), ("5", "route")]
    assert [row["rule"] for row in rows][3:5] == ["/users/{user_id}", "/users/me"]


def test_url_is_refused_with_one_line():
    result = CliRunner().invoke(cli, ["-r", SAMPLE, "url", "read_me"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "routecli url does not build URLs for FastAPI routes yet "
        "(docs/dialects.md#known-limits)"]


def test_coverage_counts_307_redirects_for_the_route(tmp_path):
    log = tmp_path / "access.log"
    log.write_text('1.2.3.4 - - [05/Dec/2026:05:00:00 +0000] "GET /items/ HTTP/1.1" 307 0\n')
    data = json.loads(run("coverage", str(log), "--format", "json").output)
    assert data["status"]["307"] == 1
    [route] = [r for r in data["routes"] if r["endpoint"] == "list_items"]
    assert route["redirects"] == 1
