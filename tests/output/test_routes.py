"""routecli.output.routes: the list formats as library functions (docs/list.md)."""

import csv
import io
import json

from helpers import table
from routecli.output.routes import (
    CSV_KEYS,
    route_columns,
    routes_csv,
    routes_json,
    routes_markdown,
    routes_text,
)
from routecli.routing.serialize import route_row


def rows(*rules, **settings):
    return [route_row(rule) for rule in table(*rules, **settings).rules]


def test_csv_header_and_quoting():
    text = routes_csv(rows(('/q/"x",y', "quote|d", {"methods": ["POST", "GET"],
                                                  "defaults": {"n": 1}})))
    lines = text.splitlines()
    assert lines[0] == ",".join(CSV_KEYS)
    assert text.endswith("\n") and "\r" not in text
    record = next(csv.DictReader(io.StringIO(text)))
    assert record["rule"] == '/q/"x",y'  # quoted and doubled by the csv module
    assert record["endpoint"] == "quote|d"
    assert record["methods"] == "GET POST"
    assert record["defaults"] == '{"n": 1}'
    assert record["host"] == "" and record["redirect_to"] == ""


def test_csv_keeps_every_column_and_raw_data_when_empty_or_odd():
    assert routes_csv([]) == ",".join(CSV_KEYS) + "\n"
    text = routes_csv(rows(("/x", "esc\x1bape")))
    assert "esc\x1bape" in text  # data, not a terminal: no escaping


def test_markdown_escapes_pipes_and_code_formats_rules():
    text = routes_markdown(rows(("/a|b", "pipe|end", {"methods": "*"})))
    header, rule_line, line = text.splitlines()
    assert header == "| Endpoint | Methods | Rule | Source |"
    assert rule_line == "|---|---|---|---|"
    assert line == r"| pipe\|end | ANY | `/a\|b` |  |"


def test_markdown_of_no_routes_is_a_header_only():
    assert routes_markdown([]) == "| Endpoint | Methods | Rule | Source |\n|---|---|---|---|\n"


def test_optional_columns_only_when_some_row_fills_them():
    plain = rows(("/a", "a"))
    assert [key for _, key in route_columns(plain)] == ["endpoint", "methods", "rule", "source"]
    hosted = rows(("/a", "a", {"subdomain": "api", "redirect_to": "/b"}), ("/c", "c"),
                  server_name="example.com")
    assert [key for _, key in route_columns(hosted)] == [
        "endpoint", "methods", "rule", "subdomain", "redirect_to", "source"]


def test_text_aligns_columns_and_escapes_controls():
    text = routes_text(rows(("/a", "short"), ("/longer/rule", "esc\x1b[2J")))
    lines = text.splitlines()
    assert lines[0] == "Endpoint    Methods  Rule          Source"
    assert lines[1] == "----------  -------  ------------  ------"
    assert lines[2] == "short       GET      /a"
    assert lines[3] == r"esc\x1b[2J  GET      /longer/rule"
    assert "\x1b" not in text


def test_text_of_no_routes():
    assert routes_text([]) == "No routes.\n"


def test_json_is_the_rows():
    data = rows(("/a/<int:id>", "a"))
    text = routes_json(data)
    assert json.loads(text) == data and text.endswith("]\n")
    assert routes_json([]) == "[]\n"
