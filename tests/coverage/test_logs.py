"""Tests for the access-log reader of ``routecli coverage``: routecli/coverage/logs.py, with
its streams (streams.py) and line formats (log_formats.py)."""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routecli.coverage import log_formats, logs, streams
from routecli.coverage.logs import LogReader, LogRequest, Malformed, read_requests
from routecli.errors import RouteError

DATE = "[10/Oct/2023:13:55:36 +0000]"
UA = '"-" "Mozilla/5.0 (X11; Linux x86_64)"'


def clf(request: str, status: str = "200", prefix: str = "203.0.113.9 - -", tail: str = UA):
    """One combined-format line (as bytes) with the given quoted request."""
    return f'{prefix} {DATE} "{request}" {status} 512 {tail}'.rstrip().encode()


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def read(paths, **options):
    """(requests, malformed, reader) for ``paths`` read with ``options``."""
    bad: list[Malformed] = []
    reader = LogReader(on_malformed=bad.append, **options)
    requests = list(reader.read(paths))
    assert reader.lines == reader.requests + reader.malformed
    assert reader.requests == len(requests)
    assert reader.malformed == len(bad)
    return requests, bad, reader


def read_bytes(tmp_path: Path, data: bytes, **options):
    return read([write(tmp_path, "access.log", data)], **options)


def one(tmp_path: Path, line: bytes, fmt: str = "auto") -> LogRequest | str:
    """The request in a one-line log, or the reason it is malformed."""
    requests, bad, _ = read_bytes(tmp_path, line + b"\n", fmt=fmt)
    assert len(requests) + len(bad) == 1
    return requests[0] if requests else bad[0].reason


# --- common / combined --------------------------------------------------------------------


def test_combined_line(tmp_path):
    line = clf("GET /api/v1/users/42?page=2 HTTP/1.1")
    assert one(tmp_path, line, "combined") == LogRequest(
        "GET", "/api/v1/users/42?page=2", None, 200
    )


def test_common_line_without_referer_and_agent(tmp_path):
    line = (
        b"127.0.0.1 user-identifier frank [10/Oct/2000:13:55:36 -0700] "
        b'"GET /apache_pb.gif HTTP/1.0" 200 2326'
    )
    assert one(tmp_path, line, "common") == LogRequest("GET", "/apache_pb.gif", None, 200)


@pytest.mark.parametrize(
    "tail",
    [
        '"-" "curl/8.5.0" "198.51.100.7, 10.0.0.1"',  # $http_x_forwarded_for
        '"https://example.com/" "curl/8.5.0" 0.004 0.003',  # request and upstream time
        '"-" "curl/8.5.0" rt=0.123 uct="0.000" uht="0.120"',
        "",
    ],
)
def test_nginx_variants_with_trailing_fields(tmp_path, tail):
    line = clf("POST /login HTTP/2.0", "302", tail=tail)
    assert one(tmp_path, line, "combined") == LogRequest("POST", "/login", None, 302)


@pytest.mark.parametrize(
    ("vhost", "host"),
    [
        ("-", None),  # no port: not taken for a vhost, the line still parses
        ("www.example.com:443", "www.example.com"),
        ("www.example.com:80", "www.example.com"),
        ("api.example.com:8443", "api.example.com:8443"),
        ("[2001:db8::1]:443", "[2001:db8::1]"),
    ],
)
def test_apache_vhost_combined_fills_host(tmp_path, vhost, host):
    line = clf("GET /x HTTP/1.1", prefix=f"{vhost} 203.0.113.9 - -")
    assert one(tmp_path, line) == LogRequest("GET", "/x", host, 200)


def test_user_with_spaces_and_ipv6_client(tmp_path):
    line = clf("GET /x HTTP/1.1", prefix="2001:db8::7 - John Smith")
    assert one(tmp_path, line) == LogRequest("GET", "/x", None, 200)


@pytest.mark.parametrize(
    ("request_line", "target"),
    [
        (r"GET /search?q=\x22hi\x22 HTTP/1.1", '/search?q="hi"'),  # nginx escapes " as \x22
        (r"GET /search?q=\"hi\" HTTP/1.1", '/search?q="hi"'),  # Apache as \"
        (r"GET /a\\b HTTP/1.1", "/a\\b"),  # Apache \\
        (r"GET /a\x5Cb HTTP/1.1", "/a\\b"),  # nginx \x5C
        (r"GET /caf\xC3\xA9 HTTP/1.1", "/café"),  # UTF-8 bytes escaped by nginx
        (r"GET /bad\xE4name HTTP/1.1", "/bad%E4name"),  # not UTF-8: percent-encoded
        (r"GET /tab\x09here HTTP/1.1", "/tab%09here"),  # a control character
        ("GET /a b HTTP/1.1", "/a%20b"),  # old nginx took spaces in the URI
        ("GET /old", "/old"),  # HTTP/0.9
        ("GET http://example.com/x?y=1 HTTP/1.1", "http://example.com/x?y=1"),
        ("GET HTTPS://example.com/ HTTP/1.1", "HTTPS://example.com/"),
    ],
)
def test_request_line_escapes_and_forms(tmp_path, request_line, target):
    assert one(tmp_path, clf(request_line)) == LogRequest("GET", target, None, 200)


def test_raw_bytes_in_target_are_kept_as_utf8_or_percent_encoded(tmp_path):
    line = clf("GET /é HTTP/1.1").replace(b"/\xc3\xa9", b"/\xc3\xa9/\xff\xfe")
    assert one(tmp_path, line) == LogRequest("GET", "/é/%FF%FE", None, 200)


def test_invalid_utf8_elsewhere_in_the_line_is_harmless(tmp_path):
    line = clf("GET /ok HTTP/1.1", tail='"-" "agent \xff\xfe"').replace(
        b"\xc3\xbf\xc3\xbe", b"\xff\xfe"
    )
    assert b"\xff\xfe" in line
    assert one(tmp_path, line) == LogRequest("GET", "/ok", None, 200)


def test_method_is_kept_as_logged(tmp_path):
    assert one(tmp_path, clf("get /x HTTP/1.1")) == LogRequest("get", "/x", None, 200)
    assert one(tmp_path, clf("PROPFIND /dav HTTP/1.1", "207")) == LogRequest(
        "PROPFIND", "/dav", None, 207
    )


def test_status_dash_is_none(tmp_path):
    assert one(tmp_path, clf("GET /x HTTP/1.1", "-")) == LogRequest("GET", "/x", None, None)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (clf("-", "400"), "no request line"),
        (clf("", "400"), "no request line"),
        (clf(r"\x16\x03\x01\x02\x00\x01\x00\x01\xFC\x03\x03", "400"), "not an HTTP request line"),
        (clf("GET", "400"), "not an HTTP request line"),
        (clf("GET /a b c", "400"), "not an HTTP request line"),
        (clf("G(T /x HTTP/1.1", "400"), "not an HTTP request line"),
        (clf("PRI * HTTP/2.0", "400"), "asterisk-form target"),
        (clf("OPTIONS * HTTP/1.1"), "asterisk-form target"),
        (clf("CONNECT example.com:443 HTTP/1.1", "405"), "authority-form target"),
        (clf("GET example.com:443 HTTP/1.1", "400"), "authority-form target"),
        (clf("GET index.html HTTP/1.1", "400"), "invalid target"),
        (clf("GET ftp://example.com/ HTTP/1.1", "400"), "invalid target"),
        (clf("GET /x HTTP/1.1")[:60], "not a common/combined log line"),  # cut off
        (
            b"203.0.113.9 - - " + DATE.encode() + b' "GET /x HTTP/1.1" OK 0',
            "not a common/combined log line",
        ),
        (clf("GET /x\x00y HTTP/1.1"), "binary data"),
        (b"\x00\x00\x00\x00\x17\x00garbage", "binary data"),
    ],
)
def test_malformed_clf_lines(tmp_path, line, reason):
    assert one(tmp_path, line, "combined") == reason


def test_fast_and_slow_paths_agree(tmp_path):
    """Lines the fast regex takes give the same request through the slow path."""
    lines = [
        clf("GET /a?b=1 HTTP/1.1"),
        clf("DELETE http://h.example/x HTTP/1.0", "204"),
        clf("GET /x HTTP/1.1", prefix="v.example:443 203.0.113.9 - -"),
        clf("head /x HTTP/1.1", "304", tail=""),
    ]
    for line in lines:
        fast = log_formats._CLF_FAST.match(line.decode("latin-1"))
        assert fast is not None
        assert log_formats.clf_line(line) == one(tmp_path, line, "combined")


# --- JSON ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (
            {"method": "GET", "url": "/a", "host": "h.example", "status": 200},
            LogRequest("GET", "/a", "h.example", 200),
        ),
        (
            {"request_method": "POST", "request_uri": "/b?x=1", "http_host": "h", "status": "201"},
            LogRequest("POST", "/b?x=1", "h", 201),
        ),
        (
            {"uri": "/index.php", "request_uri": "/blog/7?x=1", "request_method": "GET"},
            LogRequest("GET", "/blog/7?x=1", None, None),
        ),
        (
            {"verb": "PUT", "path": "/c", "server_name": "s", "status_code": 204},
            LogRequest("PUT", "/c", "s", 204),
        ),
        (
            {
                "httpRequest": {
                    "requestMethod": "GET",
                    "requestUrl": "https://x.example/d?q=1",
                    "status": 404,
                },
                "severity": "INFO",
            },
            LogRequest("GET", "https://x.example/d?q=1", None, 404),
        ),
        (
            {"request": {"method": "GET", "uri": "/e", "host": "caddy.example"}, "status": 200},
            LogRequest("GET", "/e", "caddy.example", 200),
        ),
        (
            {"request": "DELETE /f HTTP/1.1", "status": 500, "host": "h"},
            LogRequest("DELETE", "/f", "h", 500),
        ),
        (
            {"http.request.method": "get", "url.original": "/g", "http.response.status_code": 200},
            LogRequest("get", "/g", None, 200),
        ),
        (
            {"http": {"request": {"method": "GET"}}, "url": {"path": "/h"}},
            LogRequest("GET", "/h", None, None),
        ),
        (
            {"method": "GET", "url": None, "uri": "/i", "status": True},
            LogRequest("GET", "/i", None, None),
        ),
        (
            {"method": "GET", "url": "/j k", "status": "oops"},
            LogRequest("GET", "/j%20k", None, None),
        ),
    ],
)
def test_json_default_fields(tmp_path, record, expected):
    assert one(tmp_path, json.dumps(record).encode(), "json") == expected


def test_json_lines_with_the_same_keys_but_other_value_types(tmp_path):
    lines = [
        b'{"method": "GET", "url": null, "uri": "/a"}',
        b'{"method": "GET", "url": "/b", "uri": "/c"}',
        b'{"method": "GET", "url": {"path": "/d"}, "uri": "/e"}',  # "uri" comes first
    ]
    # and more key sets than the parser keeps plans for
    lines += [b'{"method": "GET", "uri": "/f", "k%d": 1}' % i for i in range(300)]
    requests, bad, _ = read_bytes(tmp_path, b"\n".join(lines), fmt="json")
    assert [r.target for r in requests] == ["/a", "/b", "/e"] + ["/f"] * 300 and bad == []


def test_json_field_overrides_with_nested_names(tmp_path):
    record = {"req": {"m": "PATCH", "u": "/o"}, "path": "/ignored", "vh": "v", "code": 418}
    data = json.dumps(record).encode() + b"\n"
    requests, bad, _ = read_bytes(
        tmp_path,
        data,
        fmt="json",
        json_fields={"method": "req.m", "url": "req.u", "host": "vh", "status": "code"},
    )
    assert requests == [LogRequest("PATCH", "/o", "v", 418)] and bad == []


def test_json_override_is_exact_no_fallback(tmp_path):
    data = b'{"method": "GET", "url": "/default", "request": "GET /line HTTP/1.1"}\n'
    requests, bad, _ = read_bytes(tmp_path, data, fmt="json", json_fields={"url": "missing"})
    assert requests == [] and [m.reason for m in bad] == ["no URL field"]


def test_json_override_list_of_names(tmp_path):
    data = b'{"a": "GET", "b": "/x"}\n{"a2": "POST", "b": "/y"}\n'
    requests, _, _ = read_bytes(
        tmp_path, data, fmt="json", json_fields={"method": ["a", "a2"], "url": "b"}
    )
    assert requests == [LogRequest("GET", "/x", None, None), LogRequest("POST", "/y", None, None)]


@pytest.mark.parametrize("fields", [{"verb": "x"}, {"method": ""}, {"url": 3}, {"url": []}])
def test_bad_json_field_overrides_are_errors(fields):
    with pytest.raises(RouteError):
        LogReader(fmt="json", json_fields=fields)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b'{"method": "GET", "url": "/x"', "invalid JSON"),
        (b"{not json}", "invalid JSON"),
        (b"[" * 50_000, "invalid JSON"),  # too deep for the parser
        (b'["GET", "/x"]', "not a JSON object"),
        (b"42", "not a JSON object"),
        (b'{"url": "/x"}', "no method field"),
        (b'{"method": "GET"}', "no URL field"),
        (b'{"method": "GET", "url": 7}', "no URL field"),
        (b'{"method": "G T", "url": "/x"}', "invalid method"),
        (b'{"method": "GET", "url": "x"}', "invalid target"),
        (b'{"method": "OPTIONS", "url": "*"}', "asterisk-form target"),
        (b'{"request": "-"}', "no request line"),
        (b'{"request": "\\u0016\\u0003\\u0001"}', "not an HTTP request line"),
        (b'{"method": "GET", "url": "/x\x00"}', "invalid JSON"),  # raw control character
    ],
)
def test_malformed_json_lines(tmp_path, line, reason):
    assert one(tmp_path, line, "json") == reason


def test_json_with_invalid_utf8_in_url(tmp_path):
    line = b'{"method": "GET", "url": "/caf\xe9/\xc3\xa9"}'
    assert one(tmp_path, line, "json") == LogRequest("GET", "/caf%E9/é", None, None)


def test_json_lone_surrogate_escape(tmp_path):
    line = b'{"method": "GET", "url": "/a\\ud800b"}'
    assert one(tmp_path, line, "json") == LogRequest("GET", "/a%EF%BF%BDb", None, None)


# --- plain --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b"GET /x", LogRequest("GET", "/x", None, None)),
        (b"/x?y=1", LogRequest("GET", "/x?y=1", None, None)),
        (b"post /x", LogRequest("post", "/x", None, None)),
        (b"https://api.example/x", LogRequest("GET", "https://api.example/x", None, None)),
        (b"DELETE /x HTTP/1.1", LogRequest("DELETE", "/x", None, None)),
        (b"  GET \t /x  ", LogRequest("GET", "/x", None, None)),
        (b"GET /caf\xc3\xa9\xff", LogRequest("GET", "/café%FF", None, None)),
        (b"GET /x\r", LogRequest("GET", "/x", None, None)),
        (b"GET /x extra", "not a METHOD URL line"),
        (b"GET", "invalid target"),
        (b"G@T /x", "invalid method"),
        (b"OPTIONS *", "asterisk-form target"),
        (b"GET /\x00", "binary data"),
    ],
)
def test_plain_lines(tmp_path, line, expected):
    assert one(tmp_path, line, "plain") == expected


# --- detection, blank lines, comments, line endings ---------------------------------------


def test_auto_detects_each_file(tmp_path):
    combined = write(tmp_path, "a.log", clf("GET /a HTTP/1.1") + b"\n")
    jsonl = write(tmp_path, "b.log", b'\n{"method": "POST", "path": "/b"}\n')
    plain = write(tmp_path, "c.txt", b"# urls\n/c\nPUT /d\n")
    requests, bad, reader = read([combined, jsonl, plain])
    assert requests == [
        LogRequest("GET", "/a", None, 200),
        LogRequest("POST", "/b", None, None),
        LogRequest("GET", "/c", None, None),
        LogRequest("PUT", "/d", None, None),
    ]
    assert bad == []
    assert reader.formats == {combined: "combined", jsonl: "json", plain: "plain"}


def test_auto_keeps_clf_when_first_lines_are_junk(tmp_path):
    data = b"\n".join([clf(r"\x16\x03\x01", "400"), clf("-", "400"), clf("GET /ok HTTP/1.1")])
    requests, bad, reader = read_bytes(tmp_path, data)
    assert reader.formats[str(tmp_path / "access.log")] == "combined"
    assert requests == [LogRequest("GET", "/ok", None, 200)]
    assert [(m.line, m.reason) for m in bad] == [
        (1, "not an HTTP request line"),
        (2, "no request line"),
    ]


@pytest.mark.parametrize("chunk", [1, 7, 1 << 18])
def test_auto_detection_is_a_vote_of_the_first_lines(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(streams, "CHUNK", chunk)
    cut_json = b'thod": "GET", "url": "/cut"}\n' + b'{"method": "GET", "url": "/j"}\n' * 3
    plain = b"GET /p\n" * 3 + b'{"method": "GET", "url": "/j"}\n' + clf("GET /c HTTP/1.1")
    bom_json = b'\xef\xbb\xbf{"method": "GET", "url": "/bom"}\n'
    paths = [
        write(tmp_path, name, data)
        for name, data in [("cut.log", cut_json), ("plain.log", plain), ("bom.log", bom_json)]
    ]
    requests, bad, reader = read(paths)
    assert list(reader.formats.values()) == ["json", "plain", "json"]
    assert [r.target for r in requests] == ["/j", "/j", "/j", "/p", "/p", "/p", "/bom"]
    assert [(m.file, m.line, m.reason) for m in bad] == [
        (paths[0], 1, "invalid JSON"),
        (paths[1], 4, "not a METHOD URL line"),
        (paths[1], 5, "not a METHOD URL line"),
    ]


def test_blank_and_comment_lines_are_skipped_but_numbered(tmp_path):
    data = b"\n#Fields: whatever\n   \n\t\nGET /a\n\n# c\nBAD LINE HERE\r\n/b\n"
    requests, bad, reader = read_bytes(tmp_path, data)
    assert requests == [LogRequest("GET", "/a", None, None), LogRequest("GET", "/b", None, None)]
    assert bad == [
        Malformed(str(tmp_path / "access.log"), 8, "not a METHOD URL line", "BAD LINE HERE")
    ]
    assert (reader.lines, reader.requests, reader.malformed, reader.skipped) == (3, 2, 1, 6)


@pytest.mark.parametrize("fmt", ["combined", "json", "plain"])
def test_crlf_line_endings(tmp_path, fmt):
    line = {
        "combined": clf("GET /x HTTP/1.1"),
        "json": b'{"method": "GET", "url": "/x"}',
        "plain": b"GET /x",
    }[fmt]
    requests, bad, _ = read_bytes(tmp_path, line + b"\r\n" + line + b"\r\n", fmt=fmt)
    expected = LogRequest("GET", "/x", None, 200 if fmt == "combined" else None)
    assert requests == [expected, expected] and bad == []


def test_last_line_without_newline(tmp_path):
    requests, _, reader = read_bytes(tmp_path, b"GET /a\nGET /b")
    assert [r.target for r in requests] == ["/a", "/b"] and reader.lines == 2


def test_empty_file(tmp_path):
    requests, bad, reader = read_bytes(tmp_path, b"")
    assert (requests, bad, reader.lines, reader.skipped) == ([], [], 0, 0)


# --- malformed reporting ------------------------------------------------------------------


def test_malformed_text_is_cut_escaped_and_decoded(tmp_path):
    long_junk = b"\x1b[31mred\x07 \xff\xfe " + b"x" * 500
    requests, bad, _ = read_bytes(tmp_path, b"GET /ok\n" + long_junk + b"\r\n", fmt="plain")
    assert len(requests) == 1
    (entry,) = bad
    assert entry.line == 2 and entry.reason == "not a METHOD URL line"
    assert entry.text.startswith("\\x1b[31mred\\x07 \ufffd\ufffd xxx")
    assert entry.text.endswith("x...") and len(entry.text) == 200 + 3
    assert "\r" not in entry.text


def test_reasons_are_tallied(tmp_path):
    data = b"\n".join([clf("-"), clf("-"), clf("PRI * HTTP/2.0"), clf("GET / HTTP/1.1")])
    _, _, reader = read_bytes(tmp_path, data)
    assert reader.reasons == {"no request line": 2, "asterisk-form target": 1}


# --- hostile input ------------------------------------------------------------------------


def test_huge_line_without_newline(tmp_path):
    data = clf("GET /a HTTP/1.1") + b"\n" + b"A" * (10 * 1024 * 1024)
    requests, bad, reader = read_bytes(tmp_path, data)
    assert requests == [LogRequest("GET", "/a", None, 200)]
    assert [(m.line, m.reason, m.text) for m in bad] == [(2, "line too long", "A" * 200 + "...")]
    assert reader.lines == 2 and reader.bytes_read == len(data)


def test_huge_lines_between_normal_lines(tmp_path):
    big = b"GET /" + b"b" * (streams.MAX_LINE + 10)
    data = b"\n".join([b"GET /1", big, b"GET /3", big, big, b"GET /6", b"x" * streams.MAX_LINE])
    requests, bad, reader = read_bytes(tmp_path, data + b"\n", fmt="plain")
    assert [r.target for r in requests] == ["/1", "/3", "/6"]
    assert [(m.line, m.reason) for m in bad] == [
        (2, "line too long"),
        (4, "line too long"),
        (5, "line too long"),
        (7, "invalid target"),
    ]
    assert reader.lines == 7


@pytest.mark.parametrize("chunk", [1, 2, 7, 64, 1000])
def test_results_do_not_depend_on_chunk_boundaries(tmp_path, monkeypatch, chunk):
    rng = random.Random(chunk)
    lines = [random_line(rng)[0] for _ in range(300)]
    lines += [b"GET /" + b"z" * 300, b"GET /tail"]
    data = b"\n".join(lines)
    monkeypatch.setattr(streams, "MAX_LINE", 256)
    expected = read_bytes(tmp_path, data, fmt="combined")
    monkeypatch.setattr(streams, "CHUNK", chunk)
    got = read_bytes(tmp_path, data, fmt="combined")
    assert got[0] == expected[0] and got[1] == expected[1]
    assert any(m.reason == "line too long" for m in got[1])


def test_nul_bytes_and_binary_garbage(tmp_path):
    data = (
        b"\x00" * 100
        + b"\n"  # a hole left by a crash
        + bytes(range(10))
        + bytes(range(11, 256))
        + b"\n"  # everything but a newline
        + clf("GET /ok HTTP/1.1")
        + b"\n"
    )
    requests, bad, _ = read_bytes(tmp_path, data, fmt="combined")
    assert requests == [LogRequest("GET", "/ok", None, 200)]
    assert [(m.line, m.reason) for m in bad] == [(1, "binary data"), (2, "binary data")]
    assert bad[0].text == "\\x00" * 50 + "..."


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32", "cp1252"])
def test_wrong_encodings(tmp_path, encoding):
    text = clf("GET /café HTTP/1.1").decode() + "\n"
    requests, bad, reader = read_bytes(tmp_path, text.encode(encoding), fmt="combined")
    if encoding == "cp1252":  # ASCII structure survives: the é byte gets percent-encoded
        assert requests == [LogRequest("GET", "/caf%E9", None, 200)] and bad == []
    elif encoding in ("utf-16", "utf-32"):  # a byte-order mark names it: read as UTF-8
        assert requests == [LogRequest("GET", "/café", None, 200)] and bad == []
    else:  # no mark, NUL bytes between the characters: nothing sensible to read
        assert requests == [] and {m.reason for m in bad} == {"binary data"}
        assert reader.malformed >= 1


# --- gzip, stdin, several files, errors ---------------------------------------------------


def test_gzip_is_detected_by_magic_bytes_not_name(tmp_path):
    body = clf("GET /z HTTP/1.1") + b"\n"
    zipped = write(tmp_path, "access.log", gzip.compress(body))
    not_zipped = write(tmp_path, "access.log.gz", body)
    requests, bad, reader = read([zipped, not_zipped])
    assert requests == [LogRequest("GET", "/z", None, 200)] * 2 and bad == []
    assert reader.bytes_read == len(gzip.compress(body)) + len(body)


def test_concatenated_gzip_members_and_zero_padding(tmp_path):
    parts = [b"GET /1\nGET /", b"2\n", b"", b"GET /3\n"]
    data = b"".join(gzip.compress(p) for p in parts) + b"\x00" * 1024
    requests, bad, _ = read_bytes(tmp_path, data, fmt="plain")
    assert [r.target for r in requests] == ["/1", "/2", "/3"] and bad == []


def test_big_gzip_in_small_chunks(tmp_path, monkeypatch):
    rng = random.Random(7)
    lines = [random_line(rng) for _ in range(3000)]
    data = b"\n".join(line for line, _ in lines) + b"\n"
    monkeypatch.setattr(streams, "CHUNK", 333)
    requests, _, reader = read_bytes(tmp_path, gzip.compress(data), fmt="combined")
    assert reader.lines + reader.skipped == 3000
    assert len(requests) == sum(1 for _, kind in lines if kind == "ok")


def test_truncated_gzip_reports_and_goes_on(tmp_path):
    body = b"".join(b"GET /%d\n" % i for i in range(5000))
    zipped = gzip.compress(body)
    broken = write(tmp_path, "broken.log", zipped[: len(zipped) // 2])
    after = write(tmp_path, "after.log", b"GET /after\n")
    requests, bad, _ = read([broken, after], fmt="plain")
    assert requests[-1] == LogRequest("GET", "/after", None, None)
    assert 0 < len(requests) - 1 < 5000
    assert [r.target for r in requests[:-1]] == [f"/{i}" for i in range(len(requests) - 1)]
    (entry,) = bad
    assert (entry.file, entry.line, entry.reason) == (broken, len(requests), "truncated gzip data")
    # the broken tail is the start of the next line, kept as the example text
    assert f"GET /{len(requests) - 1}".startswith(entry.text)


@pytest.mark.parametrize("chunk", [64, 1 << 18])
def test_corrupt_gzip_keeps_what_came_before(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(streams, "CHUNK", chunk)
    rng = random.Random(5)
    body = b"".join(b"GET /%d/%x\n" % (i, rng.getrandbits(64)) for i in range(20_000))
    zipped = bytearray(gzip.compress(body))
    middle = len(zipped) // 2
    zipped[middle : middle + 64] = b"\xff" * 64
    requests, bad, reader = read_bytes(tmp_path, bytes(zipped), fmt="plain")
    # the damage is found in the deflate data, or only by the member's CRC-32 at its end
    assert [m.reason for m in bad][-1] in ("corrupt gzip data",
                                           "corrupt gzip data (checksum mismatch)")
    # the lines before the damage come out intact, whatever the chunk size
    intact = 0
    for request in requests:
        if request.target.split("/")[1] != str(intact):
            break
        intact += 1
    assert 8_000 < intact < 10_200
    assert reader.lines < 20_000


def test_trailing_garbage_after_gzip(tmp_path):
    data = gzip.compress(b"GET /a\n") + b"garbage that is not gzip"
    requests, bad, _ = read_bytes(tmp_path, data, fmt="plain")
    assert requests == [LogRequest("GET", "/a", None, None)]
    assert [(m.line, m.reason) for m in bad] == [(2, "trailing garbage after gzip data")]


def test_only_gzip_magic(tmp_path):
    requests, bad, _ = read_bytes(tmp_path, b"\x1f\x8b")
    assert requests == [] and [(m.line, m.reason) for m in bad] == [(1, "truncated gzip data")]


@pytest.mark.parametrize(
    ("magic", "kind"),
    [(b"\xfd7zXZ\x00", "xz"), (b"BZh91AY&SY", "bzip2"), (b"\x28\xb5\x2f\xfd", "zstd")],
)
def test_other_compressions_are_refused(tmp_path, magic, kind):
    refused = write(tmp_path, "x.log", magic + b"\x00" * 20)
    after = write(tmp_path, "y.log", b"GET /y\n")
    requests, bad, reader = read([refused, after])
    assert requests == [LogRequest("GET", "/y", None, None)]
    assert [(m.file, m.line, m.reason) for m in bad] == [
        (refused, 1, f"unsupported compression ({kind})")
    ]
    data = magic + b"\x00" * 20
    assert bad[0].text == data.decode("utf-8", "replace").replace("\x00", "\\x00")
    assert reader.lines == 2


class FakeStdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


@pytest.mark.parametrize("zipped", [False, True])
def test_standard_input(tmp_path, monkeypatch, zipped):
    data = b"GET /in\nnot a line at all\n"
    monkeypatch.setattr(sys, "stdin", FakeStdin(gzip.compress(data) if zipped else data))
    other = write(tmp_path, "x.log", b"/file\n")
    requests, bad, reader = read(["-", other], fmt="plain")
    assert requests == [
        LogRequest("GET", "/in", None, None),
        LogRequest("GET", "/file", None, None),
    ]
    assert [(m.file, m.line, m.reason) for m in bad] == [("<stdin>", 2, "not a METHOD URL line")]
    assert set(reader.formats) == {"<stdin>", other}


def test_missing_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(RouteError) as error:
        list(read_requests(["-"]))
    assert error.value.source == "<stdin>"


def test_missing_file_is_an_error_before_reading(tmp_path):
    good = write(tmp_path, "good.log", b"GET /a\n")
    missing = str(tmp_path / "nope.log")
    with pytest.raises(RouteError) as error:
        read_requests([good, missing])  # raised by the call, not during iteration
    assert error.value.source == missing
    assert str(error.value) == f"{missing}: cannot read log file: No such file or directory"


def test_directory_is_an_error(tmp_path):
    with pytest.raises(RouteError) as error:
        read_requests([str(tmp_path)])
    assert error.value.source == str(tmp_path) and "directory" in error.value.message


def test_unknown_format_is_an_error():
    with pytest.raises(RouteError, match="unknown log format 'xml'"):
        LogReader(fmt="xml")


def test_single_path_string_is_accepted(tmp_path):
    path = write(tmp_path, "one.log", b"GET /a\n")
    assert list(read_requests(path)) == [LogRequest("GET", "/a", None, None)]


def test_progress_reports_bytes_read(tmp_path, monkeypatch):
    monkeypatch.setattr(streams, "CHUNK", 100)
    data = b"".join(b"GET /%d\n" % i for i in range(100))
    seen: list[int] = []
    path = write(tmp_path, "p.log", data)
    reader = LogReader(on_progress=seen.append)
    assert len(list(reader.read([path]))) == 100
    assert seen == sorted(seen) and seen[-1] == len(data) == reader.bytes_read
    assert len(seen) == -(-len(data) // 100)


def test_counters_are_exact_when_stopped_early(tmp_path):
    data = b"".join(b"GET /%d\n" % i for i in range(1000))
    reader = LogReader()
    stream = reader.read([write(tmp_path, "e.log", data)])
    first = [next(stream) for _ in range(3)]
    stream.close()
    assert [r.target for r in first] == ["/0", "/1", "/2"]
    assert (reader.lines, reader.requests) == (3, 3)


# --- counts against an independent computation ---------------------------------------------

GOOD_TARGETS = ["/", "/api/v1/users/42", "/a?b=c&d=e", "/x/y/", "http://h.example/p"]
BAD_REQUESTS = {
    "-": "no request line",
    r"\x16\x03\x01\x00\xa5\x01": "not an HTTP request line",
    "PRI * HTTP/2.0": "asterisk-form target",
    "CONNECT h:443 HTTP/1.1": "authority-form target",
    "GET nope HTTP/1.1": "invalid target",
}


def random_line(rng: random.Random) -> tuple[bytes, str]:
    """A random combined line and what it is: "ok", "skip", or a malformed reason."""
    roll = rng.random()
    if roll < 0.05:
        return rng.choice([b"", b"   ", b"# comment"]), "skip"
    if roll < 0.15:
        request = rng.choice(list(BAD_REQUESTS))
        return clf(request, "400"), BAD_REQUESTS[request]
    if roll < 0.2:
        whole = clf("GET /cut HTTP/1.1")
        return whole[: rng.randrange(1, whole.index(b'" ') + 1)], "not a common/combined log line"
    method = rng.choice(["GET", "POST", "HEAD", "get"])
    target = rng.choice(GOOD_TARGETS)
    if rng.random() < 0.1:
        target += r"\x22q\x22"  # an escaped quote: the slow path
    prefix = rng.choice(["10.0.0.1 - -", "v.example:443 10.0.0.1 - -", "::1 - bob"])
    return clf(f"{method} {target} HTTP/1.1", rng.choice(["200", "404"]), prefix=prefix), "ok"


@pytest.mark.parametrize("seed", range(5))
def test_counts_match_an_independent_tally(tmp_path, seed):
    rng = random.Random(seed)
    lines = [random_line(rng) for _ in range(2000)]
    data = b"\r\n".join(line for line, _ in lines)
    requests, bad, reader = read_bytes(tmp_path, data, fmt="auto")
    kinds = [kind for _, kind in lines]
    assert reader.skipped == kinds.count("skip")
    assert reader.requests == kinds.count("ok")
    assert reader.lines == len(kinds) - kinds.count("skip")
    assert [(m.line, m.reason) for m in bad] == [
        (number, kind) for number, kind in enumerate(kinds, 1) if kind not in ("ok", "skip")
    ]
    assert [r.method for r in requests] == [
        line.split(b'"')[1].split(b" ")[0].decode() for line, kind in lines if kind == "ok"
    ]


def test_generated_benchmark_log_matches_its_expected_counts(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "gen_access_log", Path(__file__).resolve().parents[2] / "bench" / "gen_access_log.py"
    )
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    path = tmp_path / "bench.log.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="\n") as out:
        counts = gen.generate(out, 20_000, gen.synth_routes(1000), 3, 0.02)
    requests, _, reader = read([str(path)])
    assert reader.lines == counts["lines"] == 20_000
    assert reader.requests == counts["requests"]
    assert reader.malformed == counts["malformed"]
    assert reader.reasons == {k: v for k, v in counts.items() if k in reader.reasons}
    statuses = {}
    for request in requests:
        statuses[request.status] = statuses.get(request.status, 0) + 1
    assert {f"status {k}": v for k, v in statuses.items()} == {
        k: v for k, v in counts.items() if k.startswith("status ")
    }


# --- robustness ---------------------------------------------------------------------------


def clean(request: LogRequest) -> bool:
    target = request.target
    return (
        (target.startswith("/") or target[:8].lower().startswith(("http://", "https://")))
        and not any(c.isspace() or ord(c) < 0x20 or 0xD800 <= ord(c) < 0xE000 for c in target)
        and log_formats.TOKEN.fullmatch(request.method) is not None
    )


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.lists(
            st.one_of(
                st.binary(max_size=80),
                st.sampled_from(
                    [
                        clf("GET /x HTTP/1.1"),
                        clf("-"),
                        b'{"method":"GET","url":"/j"}',
                        b"GET /p",
                        b"\x1f\x8b",
                        gzip.compress(b"GET /g\n"),
                    ]
                ),
            ),
            max_size=20,
        ).map(b"\n".join),
    ),
    fmt=st.sampled_from(log_formats.FORMATS),
)
def test_arbitrary_bytes_never_raise(tmp_path, data, fmt):
    requests, bad, _ = read_bytes(tmp_path, data, fmt=fmt)
    assert all(clean(request) for request in requests)
    assert all(m.line >= 1 and len(m.text) <= logs.EXCERPT + 3 for m in bad)


@settings(max_examples=200, deadline=None)
@given(
    method=st.from_regex(r"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,8}", fullmatch=True),
    target=st.from_regex(r"/[!#-\[\]-~]{0,30}", fullmatch=True),
    prefix=st.sampled_from(["1.2.3.4 - -", "h.example:8080 1.2.3.4 - -", "::1 - u"]),
    status=st.integers(100, 599).map(str),
)
def test_fast_path_equals_slow_path(method, target, prefix, status):
    line = clf(f"{method} {target} HTTP/1.1", status, prefix=prefix)
    fast = log_formats._CLF_FAST.match(line.decode("latin-1"))
    assert fast is not None
    vhost, m, t, s = fast.groups()
    expected = LogRequest(m, t, vhost and log_formats._vhost_host(vhost.encode()), int(s))
    assert (
        log_formats.clf_line(line)
        == expected
        == LogRequest(
            method, target, "h.example:8080" if prefix.startswith("h.") else None, int(status)
        )
    )
