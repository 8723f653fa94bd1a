"""`routecli match` through click's CliRunner, on the bundled samples."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from routecli.cli.app import cli

ROOT = Path(__file__).resolve().parents[2]
BLOG = str(ROOT / "sample_routes" / "blog.yaml")


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_seed_example_answers_get_blog_post():
    result = run("-r", BLOG, "match", "GET", "/blog/posts/42")
    assert result.exit_code == 0
    assert "get_blog_post" in result.output and "post_id='42' (str)" in result.output
    assert "blog.yaml:" in result.output


def test_seed_example_404_exit_1():
    result = run("-r", BLOG, "match", "GET", "/blog/post/foo")
    assert result.exit_code == 1
    assert result.output.startswith("404 Not Found")


def test_json_output_is_the_contract_object():
    result = run("match", "-r", BLOG, "GET", "/blog/posts/42", "--format", "json")
    data = json.loads(result.output)
    assert data["status"] == 200 and data["endpoint"] == "get_blog_post"
    assert data["args"] == {"post_id": "42"}
    assert data["source"].endswith("blog.yaml:19")
    assert set(data) == {"method", "url", "path", "status", "endpoint", "rule", "args",
                         "allowed_methods", "location", "source"}


def test_405_lists_allowed_methods():
    result = run("-r", BLOG, "match", "PUT", "/login", "-f", "json")
    assert result.exit_code == 1
    assert json.loads(result.output)["allowed_methods"] == ["GET", "HEAD", "OPTIONS", "POST"]
    result = run("-r", BLOG, "match", "PUT", "/login")
    assert "allowed" in result.output and "GET, HEAD, OPTIONS, POST" in result.output


def test_method_split_on_endpoint():
    assert "get_endpoint" in run("-r", BLOG, "match", "GET", "/endpoint").output
    assert "post_or_put" in run("-r", BLOG, "match", "DELETE", "/endpoint").output


def test_single_argument_means_get():
    result = run("-r", BLOG, "match", "/about", "-f", "json")
    assert json.loads(result.output)["method"] == "GET"


def test_redirect_exit_0_with_location(tmp_path):
    routes = tmp_path / "r.yaml"
    routes.write_text("routes:\n  - {rule: /dir/, endpoint: d}\n")
    result = run("-r", str(routes), "match", "GET", "/dir?x=1")
    assert result.exit_code == 0
    assert "308 Permanent Redirect" in result.output and "/dir/?x=1" in result.output


def test_explain_lists_near_misses():
    result = run("-r", BLOG, "match", "GET", "/blog/post/foo", "--explain")
    assert "near misses" in result.output
    assert "/blog/post/<int:post_id>" in result.output and "does not match" in result.output
    data = json.loads(run("-r", BLOG, "match", "POST", "/about", "--explain", "-f", "json")
                      .output)
    assert data["status"] == 405
    assert data["explain"][0]["kind"] == "method"
    assert data["explain"][0]["rule"] == "/about"


def test_quiet_prints_nothing():
    result = run("-r", BLOG, "match", "-q", "GET", "/nope")
    assert result.exit_code == 1 and result.output == ""


def test_batch_jsonl_streams_in_order():
    lines = "# a comment\nGET /blog/posts/42\n\n/about\nPOST /about\n"
    result = run("-r", BLOG, "match", "--batch", "-", "--format", "jsonl", input=lines)
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["status"] for r in records] == [200, 200, 405]
    assert records[1]["method"] == "GET" and records[1]["endpoint"] == "about"
    assert result.exit_code == 1  # one request got a 405


def test_batch_json_is_a_valid_array_and_bad_lines_exit_2(tmp_path):
    batch = tmp_path / "reqs.txt"
    batch.write_text("GET /\nBAD LINE HERE\n")
    result = run("-r", BLOG, "match", "--batch", str(batch), "-f", "json")
    data = json.loads(result.output)
    assert data[0]["status"] == 200
    assert data[1] == {"line": 2, "error": "expected 'METHOD URL' or 'URL', got 'BAD LINE HERE'"}
    assert result.exit_code == 2


def test_batch_text_lines():
    result = run("-r", BLOG, "match", "--batch", "-", input="GET /blog/posts/7\nGET /x\n")
    assert result.output.splitlines() == [
        "200 GET /blog/posts/7 -> get_blog_post (post_id='7')",
        "404 GET /x",
    ]


@pytest.mark.parametrize("lines, status", [
    ("GET /blog/posts/7\n/about\n" * 3, 0),  # 200s only (answered by the rule's index)
    ("GET /blog/posts/7\nGET /x\n/about\n", 1),  # a 404
    ("GET /blog/posts/7\nPOST /about\n", 1),  # a 405
    ("GET /blog/posts/7\nBAD LINE HERE\nGET /x\n", 2),  # a line that is no request
])
def test_batch_quiet_exits_as_the_printing_batch(lines, status):
    quiet = run("-r", BLOG, "match", "--batch", "-", "--quiet", input=lines)
    loud = run("-r", BLOG, "match", "--batch", "-", "-f", "jsonl", input=lines)
    assert quiet.output == "" and quiet.exit_code == loud.exit_code == status


@pytest.mark.parametrize(
    "args, message",
    [
        (("match",), "expected METHOD URL"),
        (("match", "a", "b", "c"), "expected METHOD URL"),
        (("match", "GET", "/", "--batch", "-"), "not both"),
    ],
)
def test_usage_errors_exit_2(args, message):
    result = run("-r", BLOG, *args)
    assert result.exit_code == 2 and message in result.output


def test_bad_route_file_is_file_line_message_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("routes:\n  - rule: /blog/<post_id\n    endpoint: x\n")
    result = run("-r", str(bad), "match", "GET", "/")
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"{bad}:2: rule '/blog/<post_id': '<' at column 7 is "
                                     f"never closed")
    assert "Traceback" not in result.output


def test_missing_file_exit_2():
    result = run("-r", "does-not-exist.yaml", "match", "GET", "/")
    assert result.exit_code == 2 and "does-not-exist.yaml" in result.stderr


def test_invalid_method_exit_2():
    result = run("-r", BLOG, "match", "G(T", "/")
    assert result.exit_code == 2 and "invalid HTTP method" in result.stderr


def test_discovery_from_pyproject(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("ROUTECLI_ROUTES", raising=False)
    monkeypatch.delenv("FLASK_APP", raising=False)
    result = run("match", "GET", "/blog/posts/42", "-f", "json")
    assert json.loads(result.output)["endpoint"] == "get_blog_post"


def test_help_documents_exit_codes_and_examples():
    result = run("match", "--help")
    assert "Exit status" in result.output and "routecli match GET /blog/posts/42" in result.output
    assert "Exit status" in run("--help").output


def test_method_without_url_and_relative_urls_are_usage_errors():
    result = run("-r", BLOG, "match", "GET")
    assert result.exit_code == 2 and "missing the URL after the method GET" in result.output
    result = run("-r", BLOG, "match", "GET", "blog/posts")
    assert result.exit_code == 2 and "must start with '/'" in result.output
    result = run("-r", BLOG, "match", "--batch", "-", input="GET blog\n")
    assert result.exit_code == 2 and "expected a URL starting with '/'" in result.stderr


def test_global_flags_after_the_command():
    result = run("-r", BLOG, "match", "GET", "/about", "--no-cache", "--color", "never",
                 "--debug")
    assert result.exit_code == 0 and "about" in result.output


def test_batch_lines_are_capped_and_bom_is_dropped():
    long_line = "GET /" + "a" * 70000 + "\n"
    result = run("-r", BLOG, "match", "--batch", "-", "-f", "jsonl",
                 input="\ufeffGET /about\n" + long_line + "GET /\n")
    records = [json.loads(line) for line in result.output.splitlines()]
    assert records[0]["endpoint"] == "about"
    assert records[1] == {"line": 2, "error": "line too long (over 65,536 characters)"}
    assert records[2]["endpoint"] == "index"
    assert result.exit_code == 2


def test_url_argument_cleaned_and_two_words_hint():
    assert json.loads(run("-r", BLOG, "match", " /about\n", "-f", "json").output)[
        "endpoint"] == "about"
    result = run("-r", BLOG, "match", "GET /about")
    assert result.exit_code == 2 and "give METHOD and URL as two arguments" in result.output


NEAR = """routes:
  - {rule: /blog/posts/<int:id>, endpoint: posts}
  - {rule: /blog/archive/<int:year>, endpoint: archive}
  - {rule: /blog/post/<int:id>, endpoint: post}
  - {rule: /blog/tags/<tag>, endpoint: tag}
  - {rule: /blog/a/<int:x>, endpoint: a}
  - {rule: /blog/b/<int:x>, endpoint: b}
  - {rule: /blog/c/<int:x>, endpoint: c}
  - {rule: /shop/<int:x>/<int:y>, endpoint: shop}
"""


def explain_json(tmp_path, *extra):
    routes = tmp_path / "near.yaml"
    routes.write_text(NEAR)
    result = CliRunner().invoke(cli, ["-r", str(routes), "match", "GET", "/blog/post/foo",
                                      "--explain", "--format", "json", *extra])
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def test_explain_ranks_near_misses_by_how_many_segments_matched(tmp_path):
    data = explain_json(tmp_path)
    endpoints = [miss["endpoint"] for miss in data["explain"]]
    # two segments matched (blog + post, blog + foo as a tag) before one (blog only)
    assert endpoints[:2] == ["post", "tag"]
    assert set(endpoints[2:]) <= {"posts", "archive", "a", "b", "c"}
    assert len(endpoints) == 5 and data["explain_more"] == 2
    assert data["explain"][2]["reason"].endswith(", and 1 more segment differs")
    assert "shop" not in endpoints  # shares no segment: nothing "near" about it


def test_explain_all_lists_every_near_miss(tmp_path):
    data = explain_json(tmp_path, "--all")
    assert len(data["explain"]) == 7 and "explain_more" not in data


def test_explain_text_says_how_many_were_left_out(tmp_path):
    routes = tmp_path / "near.yaml"
    routes.write_text(NEAR)
    result = CliRunner().invoke(cli, ["-r", str(routes), "match", "/blog/post/foo", "--explain"])
    assert "    ... 2 more near misses (--all lists them)" in result.output.splitlines()


def test_all_without_explain_is_a_usage_error():
    result = run("-r", BLOG, "match", "GET", "/", "--all")
    assert result.exit_code == 2 and "use it with --explain" in result.output


def test_explain_leaves_out_routes_that_share_only_a_variable(tmp_path):
    """A route is a near miss when it shares a static segment with the URL, or when what
    it misses reads like a typo: `/months/13` is not near `/users/<username>` (issue #14)."""
    converters = str(ROOT / "sample_routes" / "converters.yaml")
    out = run("-r", converters, "match", "/months/13", "--explain").stdout
    assert "month_archive" in out and "user_profile" not in out and "'users'" not in out
    routes = tmp_path / "r.yaml"
    routes.write_text("routes:\n  - {rule: '/users/<id>', endpoint: u}\n"
                      "  - {rule: '/months/<int:m>', endpoint: m}\n")

    def near(url):
        data = json.loads(run("-r", str(routes), "match", url, "--explain", "--all",
                              "--format", "json").stdout)
        return [miss["endpoint"] for miss in data["explain"]]

    assert near("/user/5") == ["u"]          # a typo of 'users'
    assert near("/monts/5") == ["m"]
    assert near("/zzz/5") == []              # only the variable fits: unrelated
    assert near("/users/5/x") == []          # another length: not a segment miss
