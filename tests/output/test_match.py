"""routecli.output.match: answers of ``routecli match`` as text and JSON (docs/match.md)."""

import io
import json

from helpers import table
from routecli.output.match import BatchWriter, match_json, match_line, match_record, match_text

BLOG = table(("/posts/<int:id>", "post"), ("/login", "login", {"methods": ["POST"]}),
             ("/dir/", "dir"))


def test_text_of_a_hit_aligns_fields():
    text = match_text(BLOG.match("GET", "/posts/7"))
    assert text.splitlines() == ["200 OK  GET /posts/7",
                                 "  endpoint  post",
                                 "  rule      /posts/<int:id>",
                                 "  args      id=7 (int)"]


def test_text_of_a_miss_hints_at_explain_and_lists_near_misses_when_explained():
    assert match_text(BLOG.match("GET", "/nope")).splitlines()[-1] == (
        "  (run with --explain to see the routes that almost matched)")
    explained = match_text(BLOG.match("GET", "/login", explain=True))
    assert explained.splitlines()[:2] == ["405 Method Not Allowed  GET /login",
                                          "  allowed  OPTIONS, POST"]
    assert "  near misses:" in explained and "    /login  -> login" in explained


def test_text_escapes_control_characters():
    text = match_text(BLOG.match("GET", "/a\x1b[2J"))
    assert "\x1b" not in text and r"/a\x1b[2J" in text


def test_one_line_per_request():
    assert match_line(BLOG.match("GET", "/posts/7")) == "200 GET /posts/7 -> post (id=7)"
    assert match_line(BLOG.match("GET", "/dir")) == "308 GET /dir -> /dir/"
    assert match_line(BLOG.match("GET", "/login")) == "405 GET /login allowed: OPTIONS, POST"
    assert match_line(BLOG.match("GET", "/x")) == "404 GET /x"


def test_json_record_adds_explain_only_when_asked():
    result = BLOG.match("GET", "/posts/7")
    assert "explain" not in match_record(result)
    assert match_record(result, explain=True)["explain"] == []
    assert json.loads(match_json(result)) == result.to_dict()
    assert "\n" in match_json(result) and "\n" not in match_json(result, lines=True)


def batch(fmt, *, error=False):
    out = io.StringIO()
    writer = BatchWriter(out, fmt)
    writer.write(BLOG.match("GET", "/posts/7"))
    if error:
        writer.write_error(3, "bad line")
    writer.write(BLOG.match("GET", "/x"))
    writer.close()
    return out.getvalue()


def test_batch_formats():
    assert batch("text") == "200 GET /posts/7 -> post (id=7)\n404 GET /x\n"
    lines = batch("jsonl", error=True).splitlines()
    assert [json.loads(line).get("status") for line in lines] == [200, None, 404]
    assert json.loads(lines[1]) == {"line": 3, "error": "bad line"}
    array = batch("json", error=True)
    assert array.startswith("[\n{") and array.endswith("}\n]\n")
    assert [item.get("status") for item in json.loads(array)] == [200, None, 404]


def test_batch_json_of_nothing_is_an_empty_array():
    out = io.StringIO()
    BatchWriter(out, "json").close()
    assert out.getvalue() == "[]\n"
