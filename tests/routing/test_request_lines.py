"""routecli.routing.urls: reading ``METHOD URL`` / ``URL`` request lines (docs/match.md)."""

import pytest

from routecli.errors import RouteError
from routecli.routing.urls import is_request_url, parse_request_line, split_request


def test_split_request_defaults_to_get():
    assert split_request(["/x"]) == ("GET", "/x")
    assert split_request(("post", "http://h/x")) == ("post", "http://h/x")
    assert split_request([]) is None and split_request(["GET", "/x", "HTTP/1.1"]) is None


def test_is_request_url():
    assert is_request_url("/") and is_request_url("https://h") and is_request_url("ws://h/x")
    assert not is_request_url("x/y") and not is_request_url("GET")


def test_parse_request_line_and_its_messages():
    assert parse_request_line("DELETE  /a?b=1") == ("DELETE", "/a?b=1")
    with pytest.raises(RouteError) as error:
        parse_request_line("A B C")
    assert error.value.message == "expected 'METHOD URL' or 'URL', got 'A B C'"
    with pytest.raises(RouteError) as error:
        parse_request_line("GET x")
    assert error.value.message == ("expected a URL starting with '/' or a scheme like "
                                   "'http://', got 'x'")


def test_match_lines_reports_the_same_messages():
    from helpers import table

    answers = dict(table(("/", "index")).match_lines(["/\n", "A B C\n", "nourl\n", "G@T /\n"]))
    assert answers[1].status == 200
    assert [answers[n].message for n in (2, 3, 4)] == [
        "expected 'METHOD URL' or 'URL', got 'A B C'",
        "expected a URL starting with '/' or a scheme like 'http://', got 'nourl'",
        "invalid HTTP method 'G@T'"]


@pytest.mark.parametrize("text", ["/", "GET /x", "post http://h/x", "x", "GET x", "A B C",
                                  "GET  ws://h", "/a /b"])
def test_parse_request_line_follows_split_request_and_is_request_url(text):
    # parse_request_line writes both out for speed: they must agree.
    request = split_request(text.split())
    if request is None or not is_request_url(request[1]):
        with pytest.raises(RouteError):
            parse_request_line(text)
    else:
        assert parse_request_line(text) == request
