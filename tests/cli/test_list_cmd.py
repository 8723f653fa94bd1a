"""`routecli list` through click's CliRunner."""

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from routecli.cli.app import cli

ROOT = Path(__file__).resolve().parents[2]
BLOG = str(ROOT / "sample_routes" / "blog.yaml")


def run(*args, **kwargs):
    return CliRunner().invoke(cli, ["-r", BLOG, "list", *args], **kwargs)


def test_plain_table_when_piped():
    result = run()
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["Endpoint", "Methods", "Rule", "Source"]
    assert set(lines[1]) == {"-", " "}
    assert any("post_or_put" in line and "DELETE, POST, PUT" in line for line in lines)
    assert "blog.yaml:19" in result.output


def test_json_contract_fields_in_definition_order():
    data = json.loads(run("--format", "json").output)
    assert [row["endpoint"] for row in data][:3] == ["index", "about", "get_blog_post"]
    first = data[2]
    assert set(first) >= {"rule", "endpoint", "methods", "defaults", "host", "subdomain",
                          "strict_slashes", "redirect_to", "source"}
    assert first["defaults"] == {"post_id": None} and first["methods"] == ["GET"]


def test_all_methods_shows_head_and_options():
    data = json.loads(run("--format", "json", "--all-methods").output)
    assert data[0]["methods"] == ["GET", "HEAD", "OPTIONS"]


def test_filters_and_sort():
    data = json.loads(run("-f", "json", "--method", "DELETE").output)
    assert [row["endpoint"] for row in data] == ["post_or_put"]
    data = json.loads(run("-f", "json", "--endpoint", "get_*", "--sort", "rule",
                          "--reverse").output)
    assert [row["rule"] for row in data] == ["/endpoint", "/blog/posts/<post_id>",
                                             "/blog/posts"]
    data = json.loads(run("-f", "json", "--path", "/blog/posts/42").output)
    assert [row["endpoint"] for row in data] == ["get_blog_post"]
    data = json.loads(run("-f", "json", "--grep", "login").output)
    assert [row["rule"] for row in data] == ["/login"]


def test_csv_and_markdown():
    rows = list(csv.reader(io.StringIO(run("-f", "csv").output)))
    assert rows[0][:3] == ["endpoint", "methods", "rule"]
    assert ["post_or_put", "DELETE POST PUT", "/endpoint"] == rows[-1][:3]
    markdown = run("-f", "markdown").output.splitlines()
    assert markdown[0] == "| Endpoint | Methods | Rule | Source |"
    assert markdown[1] == "|---|---|---|---|"
    assert "`/blog/posts/<post_id>`" in markdown[5]


def test_rich_table_when_forced_and_no_color_honoured(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    result = CliRunner().invoke(cli, ["--color", "always", "-r", BLOG, "list"])
    assert result.exit_code == 0
    assert "get_blog_post" in result.output and "9 routes" in result.output
    assert "\x1b[3" not in result.output  # no colour codes


def test_empty_selection_exit_0_and_says_which_filter_emptied_it():
    result = run("--endpoint", "nothing*")
    assert result.exit_code == 0
    assert result.output.strip() == "No routes: --endpoint 'nothing*' excludes all 9 routes."


def test_empty_selection_counts_what_each_filter_keeps_alone():
    result = run("--method", "patch", "--endpoint", "get*")
    assert result.output.strip() == ("No routes: the filters exclude all 9 routes (alone, "
                                     "--method PATCH keeps 0, --endpoint 'get*' keeps 3).")


def test_empty_selection_in_json_is_still_json_with_the_reason_on_stderr():
    result = CliRunner().invoke(cli, ["-r", BLOG, "list", "-f", "json", "-e", "x"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert result.stderr.strip() == "No routes: --endpoint 'x' excludes all 9 routes."


def test_an_empty_table_says_so(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("routes: []\n")
    result = CliRunner().invoke(cli, ["-r", str(empty), "list"])
    assert result.exit_code == 0
    assert result.output.strip() == "No routes: the route table is empty."


@pytest.mark.parametrize("args, message", [
    (["--method", "G T"], "Invalid value for --method: invalid HTTP method 'G T'"),
    (["--method", ""], "Invalid value for --method: invalid HTTP method ''"),
    (["--path", "blog/posts"], "Invalid value for --path: URL must start with '/'"),
    (["--host", "example.com"], "--host only applies to --path"),
])
def test_filters_are_validated_like_match_input(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output


def test_bad_regex_is_a_usage_error():
    result = run("--grep", "(")
    assert result.exit_code == 2 and "invalid regex" in result.output


def test_python_m_routecli_works():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "routecli", "-r", BLOG, "list", "-f", "json"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and json.loads(out.stdout)[0]["endpoint"] == "index"


def test_json_defaults_of_python_objects_are_strings(tmp_path, monkeypatch):
    import uuid

    module = tmp_path / "uuid_defaults_app.py"
    module.write_text(
        "import uuid\n"
        "from flask import Flask\n"
        "app = Flask(__name__)\n"
        "@app.route('/', defaults={'id': uuid.UUID(int=1)})\n"
        "def index(id):\n"
        "    return ''\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["-r", "uuid_defaults_app:app", "list", "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["endpoint"]: row for row in json.loads(result.output)}
    assert rows["index"]["defaults"] == {"id": str(uuid.UUID(int=1))}


def test_control_characters_never_reach_the_terminal(tmp_path):
    routes = tmp_path / "r.yaml"
    routes.write_text('routes:\n  - {rule: /x, endpoint: "evil\\e[2J"}\n')
    for args in (["list"], ["list", "-f", "markdown"], ["match", "GET", "/x"],
                 ["match", "GET", "/x", "--color", "always"]):
        result = CliRunner().invoke(cli, ["-r", str(routes), *args])
        assert "evil\\x1b[2J" in result.output and "evil\x1b" not in result.output, args
    data = json.loads(CliRunner().invoke(cli, ["-r", str(routes), "list", "-f", "json"]).output)
    assert data[0]["endpoint"] == "evil\x1b[2J"  # JSON keeps the data as it is


def test_a_route_file_named_by_absolute_path_is_shown_relative(tmp_path, monkeypatch):
    (tmp_path / "routes.yaml").write_text("routes:\n  - {rule: /a, endpoint: a}\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["-r", str(tmp_path / "routes.yaml"), "list", "-f", "json"])
    assert json.loads(result.stdout)[0]["source"] == "routes.yaml:2"
    bad = tmp_path / "bad.yaml"
    bad.write_text("routes:\n  - {rule: a, endpoint: a}\n")
    result = CliRunner().invoke(cli, ["-r", str(bad), "list"])
    assert result.exit_code == 2 and result.stderr.startswith("bad.yaml:2: ")
