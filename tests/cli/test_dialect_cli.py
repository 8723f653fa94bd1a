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


def test_url_builds_what_url_path_for_builds():
    assert run("url", "read_user", "user_id=7").output == "/users/7\n"
    assert run("url", "openapi").output == "/openapi.json\n"  # FastAPI's docs routes
    result = run("url", "stats", "--external", "--host", "api.test")
    assert (result.exit_code, result.output) == (0, "http://api.test/admin/stats\n")


def test_url_warns_when_an_earlier_route_answers_the_built_path():
    result = CliRunner().invoke(cli, ["-r", SAMPLE, "url", "read_me"])
    assert result.exit_code == 0
    assert result.stdout == "/users/me\n"
    assert result.stderr == (
        "warning: GET /users/me is answered 422 by 'read_user' (/users/{user_id}, #4), not "
        "by 'read_me': path parameter 'user_id'='me' is not a valid integer; url_path_for "
        "builds this path all the same\n")


def test_url_refuses_extra_and_missing_parameters_with_exit_1():
    result = run("url", "read_user", "user_id=7", "q=1")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "no URL: no route named 'read_user' builds from these parameters",
        "  /users/{user_id} [sample_routes/fastapi_routes.yaml:6]: takes no q (url_path_for "
        "builds no query string)"]
    data = json.loads(run("url", "read_user", "--format", "json").stdout)
    assert (data["url"], data["refusals"][0]["reason"]) == (None, "needs user_id")
    result = run("url", "read_usr", "user_id=1")
    assert result.stderr.startswith("no URL: no route named 'read_usr' (did you mean "
                                    "'read_user'")


def test_url_mount_names_and_convertor_refusals(tmp_path):
    routes = tmp_path / "routes.yaml"
    routes.write_text(
        "settings: {dialect: starlette}\n"
        "routes:\n"
        "  - mount: /static\n"
        "    app: StaticFiles\n"
        "    name: static\n"
        "  - mount: /api/{version:int}\n"
        "    name: api\n"
        "    routes:\n"
        "      - {rule: '/users/{id:int}', endpoint: user}\n"
        "  - host: '{tenant}.example.com'\n"
        "    name: tenant\n"
        "    routes:\n"
        "      - {rule: /home, endpoint: home}\n")

    def url(*args):
        return CliRunner().invoke(cli, ["-r", str(routes), "url", *args])

    assert url("static", "path=/css/site.css").stdout == "/static/css/site.css\n"
    assert url("api:user", "version=2", "id=7").stdout == "/api/2/users/7\n"
    assert url("tenant:home", "tenant=acme").stdout == "http://acme.example.com/home\n"
    refused = url("api:user", "version=2", "id=-1")
    assert (refused.exit_code, refused.stderr) == (
        1, "no URL: a convertor refuses a value: the int convertor of {id} refuses '-1': "
           "Negative integers are not supported\n")
    method = url("api:user", "version=2", "id=1", "--method", "POST")
    assert method.exit_code == 2
    assert "url_path_for does not choose a route by method" in method.stderr


def test_coverage_counts_307_redirects_for_the_route(tmp_path):
    log = tmp_path / "access.log"
    log.write_text('1.2.3.4 - - [05/Dec/2026:05:00:00 +0000] "GET /items/ HTTP/1.1" 307 0\n')
    data = json.loads(run("coverage", str(log), "--format", "json").output)
    assert data["status"]["307"] == 1
    [route] = [r for r in data["routes"] if r["endpoint"] == "list_items"]
    assert route["redirects"] == 1
