"""Logs and request lists as editors and other tools save them (issue #13): a gzip file
whose checksum is wrong, CR-only line ends (classic Mac OS), UTF-16 and UTF-32 text with
a byte-order mark. Each is read or refused as docs/coverage.md#input and
docs/match.md#batch say: never one line of "binary data", never lines lost unsaid."""

from __future__ import annotations

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
