"""Hostile streams end in bounded time and memory (docs/coverage.md#input): endless input
without a line end, and gzip data that expands like a decompression bomb."""

import gzip
import itertools
import zlib

import pytest

from routecli.coverage import streams
from routecli.coverage.logs import LogReader


def lost_and_lines(chunks, max_run=None):
    lost = []
    lines = []
    for _, batch in streams.line_batches(chunks, lambda n, r, t: lost.append((n, r, len(t))),
                                         max_run):
        lines += batch
    return lost, lines


def test_an_endless_line_stops_an_endless_input():
    endless = itertools.repeat(b"\0" * streams.CHUNK)  # /dev/zero
    lost, lines = lost_and_lines(endless, streams.MAX_RUN)
    assert lines == []
    assert [(n, r) for n, r, _ in lost] == [(1, "no line end in 16 MiB")]
    assert lost[0][2] <= streams.MAX_LINE + 1  # only the start of the line is kept


def test_an_endless_line_after_good_lines_keeps_them():
    chunks = itertools.chain([b"GET /a\nGET /b\nxx"], itertools.repeat(b"y" * streams.CHUNK))
    lost, lines = lost_and_lines(chunks, streams.MAX_RUN)
    assert lines == ["GET /a", "GET /b"]
    assert [(n, r) for n, r, _ in lost] == [(3, "no line end in 16 MiB")]


def test_a_finite_long_line_is_skipped_however_long():
    # a regular file (no max_run): a crash's hole of NULs over 16 MiB is one lost line
    hole = [b"\0" * streams.CHUNK] * (streams.MAX_RUN // streams.CHUNK + 4)
    lost, lines = lost_and_lines(iter([b"GET /a\n", *hole, b"\nGET /b\n"]))
    assert lines == ["GET /a", "GET /b"]
    assert [(n, r) for n, r, _ in lost] == [(2, "line too long")]


def test_a_long_line_ending_within_the_run_limit_is_one_lost_line():
    long = [b"z" * streams.CHUNK] * 8
    lost, lines = lost_and_lines(iter([b"GET /a\n", *long, b"\nGET /b"]), streams.MAX_RUN)
    assert lines == ["GET /a", "GET /b"]
    assert [(n, r) for n, r, _ in lost] == [(2, "line too long")]


@pytest.mark.parametrize("seed", range(6))
def test_a_scan_sees_the_lines_of_a_split_whatever_their_length(seed):
    """``line_batches`` with a scan (``coverage``'s combined keys) skips the split while
    every window of MAX_LINE / 2 holds a newline: the same lines, numbers and lost lines
    as the split, for lines around those lengths, in chunks of any size."""
    import random

    rng = random.Random(seed)
    half = streams.MAX_LINE // 2
    sizes = [0, 1, 80, half - 1, half, half + 1, streams.MAX_LINE - 1, streams.MAX_LINE,
             streams.MAX_LINE + 1, streams.MAX_LINE + 2, 3 * half, 5 * streams.CHUNK]
    data = b"\n".join(b"%d" % n + b"x" * max(0, rng.choice(sizes) - len(b"%d" % n))
                      for n in range(rng.randrange(1, 60)))
    data += rng.choice([b"", b"\n", b"\r\n"])
    step = rng.choice([7, 1000, streams.CHUNK, 3 * streams.CHUNK, len(data)])
    chunks = [data[i:i + step] for i in range(0, len(data), step)]

    def batches(scan):
        lost = []
        out = list(streams.line_batches(iter(chunks), lambda *a: lost.append(a), None,
                                        True, scan))
        return out, lost

    split, split_lost = batches(None)
    scanned, scan_lost = batches(lambda text, end: text[:end].split("\n"))
    flat = [(start + i, line) for start, lines in split for i, line in enumerate(lines)]
    assert [(start + i, line) for start, lines in scanned
            for i, line in enumerate(lines)] == flat
    assert scan_lost == split_lost


@pytest.mark.parametrize("before", [0, 1, 2, 100, streams.MAX_LINE // 2 - 1,
                                    streams.MAX_LINE // 2, streams.MAX_LINE - 3])
@pytest.mark.parametrize("extra", [-1, 0, 1, 2])
def test_a_scan_loses_a_line_one_byte_too_long_wherever_it_starts(before, extra):
    line = b"x" * (streams.MAX_LINE + extra)
    data = b"y" * before + b"\nGET /a\n" + line + b"\nGET /b\n"
    lost = []
    scanned = [line for _, lines in streams.line_batches(
        iter([data]), lambda *a: lost.append(a[:2]), None, True,
        lambda text, end: text[:end].split("\n")) for line in lines]
    long = extra > 0
    assert scanned == ["y" * before, "GET /a", *([] if long else [line.decode()]), "GET /b"]
    assert lost == ([(3, "line too long")] if long else [])


def bomb(byte: bytes, size: int, level: int) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31)
    block = byte * (1024 * 1024)
    parts = [compressor.compress(block) for _ in range(size // len(block))]
    return b"".join(parts) + compressor.flush()


def read_gzip(data: bytes):
    lost = []
    reader = LogReader("auto", on_malformed=lost.append)
    chunks = iter([data[i:i + streams.CHUNK] for i in range(0, len(data), streams.CHUNK)])
    requests = list(reader._read_stream("bomb.gz", lambda _n: next(chunks, b"")))
    return requests, lost, reader


@pytest.mark.parametrize("byte", [b"\n", b"\0", b"a"])
@pytest.mark.parametrize("level", [1, 6, 9])
def test_a_decompression_bomb_is_stopped_early(byte, level):
    data = bomb(byte, 32 * 1024 * 1024, level)
    requests, lost, reader = read_gzip(data)
    assert requests == []
    assert [m.reason for m in lost][-1] == "gzip data expands over 100:1"
    assert reader.lines <= streams.BOMB_WINDOW + 1  # stopped within the first window


def test_a_bomb_appended_to_a_real_log_is_stopped():
    log = b"".join(b"GET /item/%d\n" % i for i in range(200_000))
    requests, lost, _ = read_gzip(gzip.compress(log) + bomb(b"\n", 64 * 1024 * 1024, 9))
    assert len(requests) == 200_000
    assert [m.reason for m in lost] == ["gzip data expands over 100:1"]


def test_a_repetitive_real_log_is_read():
    # the same client polling one URL every second: ~35:1 at gzip -9, under the bound
    line = ('10.0.0.7 - - [01/Jan/2024:00:%02d:%02d +0000] "GET /health HTTP/1.1" 200 2 "-" '
            '"kube-probe/1.29"\n')
    log = "".join(line % divmod(i % 3600, 60) for i in range(100_000)).encode()
    requests, lost, _ = read_gzip(gzip.compress(log, 9))
    assert len(requests) == 100_000 and lost == []


def test_one_line_repeated_a_million_times_is_taken_for_a_bomb():
    # documented: decompress such a file first (zcat FILE | routecli coverage -)
    requests, lost, _ = read_gzip(gzip.compress(b"GET /\n" * 1_000_000, 9))
    assert [m.reason for m in lost] == ["gzip data expands over 100:1"]
    assert len(requests) < 1_000_000
