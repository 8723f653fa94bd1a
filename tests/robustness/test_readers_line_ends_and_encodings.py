"""Logs and request lists as editors and other tools save them (issue #13): a gzip file
whose checksum is wrong, CR-only line ends (classic Mac OS), UTF-16 and UTF-32 text with
a byte-order mark. Each is read or refused as docs/coverage.md#input and
docs/match.md#batch say: never one line of "binary data", never lines lost unsaid."""

from __future__ import annotations

import codecs
import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest

from routecli.coverage.logs import LogReader, Malformed

ROOT = Path(__file__).resolve().parents[2]
LINES = b"".join(b"GET /a/%d\n" % i for i in range(3000))
TABLE = "routes:\n  - {rule: '/a/<int:x>', endpoint: a}\n"


def read(path):
    bad: list[Malformed] = []
    reader = LogReader(on_malformed=bad.append)
    requests = list(reader.read([str(path)]))
    assert reader.lines == reader.requests + reader.malformed
    return requests, [(m.line, m.reason) for m in bad]


def run(args, cwd, stdin=None):
    result = subprocess.run([sys.executable, "-m", "routecli", "--no-cache", *args],
                            capture_output=True, text=True, timeout=60, cwd=cwd,
                            input=stdin, env={**os.environ, "NO_COLOR": "1",
                                              "PYTHONPATH": str(ROOT)})
    assert "Traceback" not in result.stderr
    return result


# ------------------------------------------------------------------ gzip checksums

@pytest.mark.parametrize("lines", [LINES, b"GET /a/1\nGET /a/2\nGET /a/3\n"])
@pytest.mark.parametrize("trailer_byte", [-8, -1])  # the CRC-32, the size
def test_a_gzip_checksum_mismatch_keeps_the_lines_and_says_so(tmp_path, lines, trailer_byte):
    # zcat prints the data and then complains; the lines were lost without a word
    data = bytearray(gzip.compress(lines))
    data[trailer_byte] ^= 0xFF
    (tmp_path / "log.gz").write_bytes(bytes(data))
    requests, bad = read(tmp_path / "log.gz")
    count = lines.count(b"\n")
    assert len(requests) == count
    assert bad == [(count + 1, "corrupt gzip data (checksum mismatch)")]


def test_a_gzip_checksum_mismatch_in_a_later_member(tmp_path):
    data = bytearray(gzip.compress(LINES))
    data[-8] ^= 0xFF
    (tmp_path / "log.gz").write_bytes(gzip.compress(b"GET /a/1\n") + bytes(data))
    requests, bad = read(tmp_path / "log.gz")
    assert len(requests) == 3001 and bad == [(3002, "corrupt gzip data (checksum mismatch)")]


# ------------------------------------------------------------ CR-only line ends, UTF-16

SAVED_AS = {
    "cr": lambda text: text.replace("\n", "\r").encode(),
    "crlf": lambda text: text.replace("\n", "\r\n").encode(),
    "utf-16": lambda text: text.encode("utf-16"),
    "utf-16-be": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "utf-32": lambda text: text.encode("utf-32"),
    "utf-16-cr": lambda text: text.replace("\n", "\r").encode("utf-16"),
    "gzip-utf-16": lambda text: gzip.compress(text.encode("utf-16")),
}


@pytest.mark.parametrize("saved", sorted(SAVED_AS))
def test_a_log_saved_by_another_tool_is_read_line_by_line(tmp_path, saved):
    # these read as one over-long line, or as "binary data", line after line
    text = "GET /a/1\nGET /a/2\n# a comment\nGET /caf\u00e9\nGET /a/3\n"
    (tmp_path / "log").write_bytes(SAVED_AS[saved](text))
    requests, bad = read(tmp_path / "log")
    assert [r.target for r in requests] == ["/a/1", "/a/2", "/caf\u00e9", "/a/3"]
    assert bad == []


@pytest.mark.parametrize("saved", ["cr", "utf-16", "utf-32", "utf-16-cr"])
def test_a_big_log_saved_by_another_tool_is_read_on_one_core(tmp_path, monkeypatch, saved):
    # byte ranges split at b"\n": in UTF-16 a newline is two bytes, CR lines have none
    from routecli.coverage import parallel

    monkeypatch.setattr(parallel, "PART_MIN_BYTES", 1)
    (tmp_path / "log").write_bytes(SAVED_AS[saved]("GET /a/1\n" * 1000))
    (tmp_path / "plain").write_text("GET /a/1\n" * 1000)
    assert parallel.file_parts(str(tmp_path / "log"), "plain", 2) is None
    assert parallel.file_parts(str(tmp_path / "plain"), "plain", 2) is not None


@pytest.mark.parametrize("saved", ["cr", "utf-16", "utf-16-cr", "utf-32"])
@pytest.mark.parametrize("where", ["file", "stdin"])
def test_a_request_list_saved_by_another_tool_is_read_line_by_line(tmp_path, saved, where):
    (tmp_path / "r.yaml").write_text(TABLE)
    data = SAVED_AS[saved]("GET /a/1\n/a/2\nGET bad\nGET /b\n")
    (tmp_path / "b.txt").write_bytes(data)
    args = ["-r", "r.yaml", "match", "--batch", "b.txt" if where == "file" else "-"]
    with open(tmp_path / "b.txt", "rb") as stdin:
        result = subprocess.run([sys.executable, "-m", "routecli", "--no-cache", *args],
                                capture_output=True, text=True, timeout=60, cwd=tmp_path,
                                stdin=stdin, env={**os.environ, "NO_COLOR": "1",
                                                  "PYTHONPATH": str(ROOT)})
    name = "b.txt" if where == "file" else "<stdin>"
    assert result.returncode == 2  # the malformed line 3
    assert result.stdout.splitlines() == [
        "200 GET /a/1 -> a (x=1)", "200 GET /a/2 -> a (x=2)", "404 GET /b"]
    assert result.stderr.splitlines() == [
        f"{name}:3: expected a URL starting with '/' or a scheme like 'http://', got 'bad'"]


def test_a_stray_cr_in_a_newline_file_stays_inside_its_line(tmp_path):
    # line numbers stay those of wc -l and editors: only a file without "\n" is CR-ended
    (tmp_path / "r.yaml").write_text(TABLE)
    (tmp_path / "log").write_bytes(b"GET /a/1\rGET /a/2\nGET /a/3\n")
    requests, bad = read(tmp_path / "log")
    assert [r.target for r in requests] == ["/a/3"] and [line for line, _ in bad] == [1]
