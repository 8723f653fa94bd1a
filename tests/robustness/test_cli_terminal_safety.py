"""Route data and URLs never drive the terminal (docs/list.md, docs/match.md): C0 and C1
controls, bidi overrides and other invisible format characters are escaped in every human
format, and a one-line answer stays one line; JSON keeps the data."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from routecli.output.text import one_line, printable

ROOT = Path(__file__).resolve().parents[2]
NASTY = "\x1b]0;pwned\x07\x9b2J\u202enimda\u2066x\u2069\u200b\ufeff\U000e0041"
# what must never reach a terminal raw (colour codes aside, removed before checking)
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
                    "\u2060-\u2069\ufeff\U000e0000-\U000e007f]")
SGR = re.compile("\x1b\\[[0-9;]*m")  # rich's own colours with --color always


def test_printable_escapes_c1_bidi_and_format_characters():
    assert printable(NASTY + "\tok\n") == (
        "\\x1b]0;pwned\\x07\\x9b2J\\u202enimda\\u2066x\\u2069\\u200b\\ufeff\\U000e0041\tok\n")
    assert one_line("a\nb\tc\rd") == "a\\x0ab\\x09c\\x0dd"
    assert printable("café /naïve 東京 ok") == "café /naïve 東京 ok"  # text stays text
    # not str.isprintable(), yet safe: these take the escaping path and come out unchanged
    assert printable("a\u00a0b\u3000c\tz") == "a\u00a0b\u3000c\tz"
    assert one_line("a\u00a0b\u2003c") == "a\u00a0b\u2003c"


def test_printable_escapes_every_format_character():
    # Every Cf character of the running Python's Unicode (and the separators) is escaped:
    # the hostile audit found U+0605, a number sign drawn over its neighbours, passing through.
    import sys
    import unicodedata

    unsafe = [chr(c) for c in range(sys.maxunicode + 1)
              if unicodedata.category(chr(c)) in ("Cc", "Cf") or c in (0x2028, 0x2029)]
    kept = [c for c in unsafe if printable(c) == c and c not in "\t\n"]
    assert kept == []
    assert printable("\u0605/a\U000e0041") == "\\u0605/a\\U000e0041"


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar (YAML spells characters beyond U+FFFF as \\UXXXXXXXX)."""
    return json.dumps(text).replace("\\udb40\\udc41", "\\U000e0041")


@pytest.fixture
def routes(tmp_path):
    endpoint = yaml_string("admin" + NASTY)
    multiline = yaml_string("multi\nline" + NASTY)
    text = ("routes:\n"
            f"  - {{rule: /a, endpoint: {endpoint}, view: {yaml_string('v' + NASTY)}}}\n"
            f"  - {{rule: /a, endpoint: {yaml_string('other' + NASTY)}}}\n"
            f"  - {{rule: '/u/<int:id>', endpoint: {multiline}}}\n")
    path = tmp_path / "routes.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(args, stdin=None):
    result = subprocess.run([sys.executable, "-m", "routecli", "--no-cache", *args],
                            input=stdin, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert "Traceback" not in result.stderr
    return result


HUMAN = [
    ["list"], ["list", "--format", "markdown"], ["list", "--color", "always"],
    ["match", "GET", "/a"], ["match", "GET", "/a", "--color", "always"],
    ["match", "GET", "/u/x", "--explain"], ["match", "GET", "/u/x", "--explain", "--color", "always"],
    ["lint"], ["lint", "--format", "github"], ["lint", "--color", "always"], ["lint", "--show-source"],
    ["conflicts"], ["conflicts", "--color", "always"],
    ["coverage", "-"], ["coverage", "-", "--format", "markdown"],
    ["coverage", "-", "--color", "always"],
]


@pytest.mark.parametrize("args", HUMAN, ids=" ".join)
def test_human_formats_escape_route_data(routes, args):
    log = "GET /a\nGET /u/1\nGET /nope" + NASTY.replace("\x07", "") + "\n"
    result = run(["-r", routes, *args], stdin=log if "-" in args else None)
    assert result.returncode in (0, 1), result.stderr
    for stream in (result.stdout, result.stderr):
        assert not UNSAFE.search(SGR.sub("", stream)), ascii(stream)
    if "always" not in args:  # (rich may fold or cut a long cell)
        assert "\\u202e" in result.stdout + result.stderr


def test_lint_report_file_is_escaped_too(routes, tmp_path):
    report = tmp_path / "report.txt"
    assert run(["-r", routes, "lint", "-o", str(report)]).returncode == 1
    text = report.read_text(encoding="utf-8")
    assert not UNSAFE.search(text) and "\\u202e" in text


@pytest.mark.parametrize("args", [["list", "--format", "json"], ["match", "GET", "/a", "-f", "json"],
                                  ["lint", "--format", "json"]])
def test_json_keeps_the_data(routes, args):
    result = run(["-r", routes, *args])
    assert any(NASTY in text for text in strings(json.loads(result.stdout)))


def strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


def test_a_url_with_a_newline_stays_one_line(routes):
    plain = run(["-r", routes, "match", "GET", "/nope"]).stdout.splitlines()
    result = run(["-r", routes, "match", "GET", "/no\npe\u202e"])
    lines = result.stdout.splitlines()
    assert len(lines) == len(plain)
    assert lines[0] == "404 Not Found  GET /no\\x0ape\\u202e"
    batch = run(["-r", routes, "match", "--batch", "-"], stdin="GET /a\x1b[2J\u202e\r\n")
    assert batch.stdout == "404 GET /a\\x1b[2J\\u202e\n"


def test_error_messages_are_escaped(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text('routes:\n  - {rule: "/x<\u202e", endpoint: e}\n', encoding="utf-8")
    result = run(["-r", str(bad), "list"])
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert not UNSAFE.search(line) and "\\u202e" in line
    batch = run(["-r", str(ROOT / "sample_routes" / "blog.yaml"), "match", "--batch", "-"],
                stdin="A B \u202eC\n")
    assert batch.returncode == 2 and not UNSAFE.search(batch.stderr)
