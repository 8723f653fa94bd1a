"""`routecli url` through click's CliRunner (docs/url.md): the URL alone on standard
output, the reasons for no URL on standard error, JSON, and every error's exit status."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from routecli.cli.app import cli
from routecli.sources.route_file import display_path

ROOT = Path(__file__).resolve().parents[2]
BLOG = str(ROOT / "sample_routes" / "blog.yaml")
SHOWN = display_path(BLOG)  # how outputs name it: relative below the current directory
CONVERTERS = str(ROOT / "sample_routes" / "converters.yaml")


def run(*args):
    return CliRunner().invoke(cli, ["-r", BLOG, "url", *args])


@pytest.mark.parametrize(("args", "url"), [
    (["get_blog_post", "post_id=42"], "/blog/posts/42"),
    (["get_blog_post"], "/blog/posts"),  # the rule whose default post_id=None fits
    (["show_post", "post_id=7", "ref=mail", "tag=a", "tag=b"],
     "/blog/post/7?ref=mail&tag=a&tag=b"),
    (["login", "--method", "post"], "/login"),
    (["login", "--external"], "http://localhost/login"),
    (["login", "--host", "example.com", "--external"], "http://example.com/login"),
])
def test_prints_the_url_alone(args, url):
    result = run(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (0, url + "\n", "")


def test_json_object():
    result = run("get_blog_post", "post_id=42", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "endpoint": "get_blog_post", "values": {"post_id": "42"}, "url": "/blog/posts/42",
        "method": None, "rule": "/blog/posts/<post_id>",
        "source": f"{SHOWN}:19", "warning": None}


def test_refused_value_exit_1_with_reason_on_stderr():
    result = run("show_post", "post_id=abc")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "no URL: no rule of endpoint 'show_post' can build a URL from these values",
        f"  /blog/post/<int:post_id> [{SHOWN}:23]: post_id='abc' is not an integer "
        "(<int:post_id>)"]


def test_missing_value_exit_1():
    result = run("show_post")
    assert result.exit_code == 1 and result.stderr.endswith(": needs post_id\n")


def test_method_not_accepted_exit_1():
    result = run("login", "--method", "PUT")
    assert result.exit_code == 1
    assert "does not accept PUT (accepts GET, HEAD, OPTIONS, POST)" in result.stderr


def test_unknown_endpoint_exit_1_with_suggestion():
    result = run("show_pst", "post_id=1")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "no URL: no endpoint 'show_pst' (did you mean 'show_post' or " \
                            "'new_post'?)\n"


def test_error_json_on_stdout():
    result = run("show_pst", "-f", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1 and result.stderr == ""
    assert data["url"] is None and data["suggestions"] == ["show_post", "new_post"]
    assert data["error"].startswith("no endpoint 'show_pst'")
    data = json.loads(run("show_post", "post_id=x", "-f", "json").stdout)
    assert data["refusals"] == [{"rule": "/blog/post/<int:post_id>", "source": f"{SHOWN}:23",
                                 "reason": "post_id='x' is not an integer (<int:post_id>)"}]


def converters(*args):
    return CliRunner().invoke(cli, ["-r", CONVERTERS, "url", *args])


def test_typed_values_on_the_converter_sample():
    assert converters("year_archive", "year=7").stdout == "/years/0007\n"
    assert converters("delta", "delta=-2").stdout == "/deltas/-2.0\n"
    assert converters("object_detail", "object_id=2B5B0911FDCF4DD2921B28ACE88DB8A0"
                      ).stdout == "/objects/2b5b0911-fdcf-4dd2-921b-28ace88db8a0\n"


def test_round_trip_warning_keeps_the_url_and_exit_0():
    result = converters("month_archive", "month=13")
    assert (result.exit_code, result.stdout) == (0, "/months/13\n")
    assert result.stderr == ("warning: GET /months/13 is answered 404, not by "
                             "'month_archive'; Flask's url_for builds this URL all the same\n")


def test_any_refusal_exit_1():
    result = converters("language_home", "lang=es")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("no URL: a converter refuses a value: 'es' is not one of "
                             "'de', 'en', 'fr'\n")


@pytest.mark.parametrize(("args", "message"), [
    (["show_post", "post_id"], "expected NAME=VALUE, got 'post_id'"),
    (["show_post", "=7"], "expected NAME=VALUE, got '=7'"),
    (["login", "--method", "GE T"], "invalid HTTP method 'GE T'"),
    (["login", "--format", "xml"], "'xml' is not one of"),
    ([], "Missing argument 'ENDPOINT'"),
])
def test_bad_input_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.output


def test_bad_host_exit_2():
    result = run("login", "--host", "exa mple.com")
    assert result.exit_code == 2 and result.stdout == ""
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_help_has_examples():
    result = CliRunner().invoke(cli, ["url", "--help"])
    assert result.exit_code == 0 and "routecli url get_blog_post post_id=42" in result.output
