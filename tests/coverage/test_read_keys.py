"""``LogReader.read_keys`` (what ``coverage`` reads with: requests counted by key, the usual
combined lines by one regex over many lines) gives the requests and counters of the
per-line reader, so ``CoverageReport.read`` gives the report of ``add_requests`` over the
per-line stream (docs/coverage.md#big-logs)."""

import gzip
import random
from collections import Counter

import pytest

from helpers import table
from routecli.coverage import CoverageReport
from routecli.coverage import logs as logs_module
from routecli.coverage.logs import LogReader

ROUTES = [("/", "index"), ("/users/<int:id>", "user", {"methods": ["GET", "PUT"]}),
          ("/files/<path:p>", "files"), ("/old", "old", {"redirect_to": "/"})]

LINES = [
    '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET /users/{n} HTTP/1.1" 200 5 "-" "curl"',
    '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "PUT /users/{n}?x={n} HTTP/1.0" 200 5',
    '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "DELETE /users/{n} HTTP/1.1" 405 5\r',
    'api.example.com:443 1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET /files/{n} HTTP/1.1" 200 1',
    '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET /caf\\xC3\\xA9/{n} HTTP/1.1" 404 1',
    '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET http://h.example/x/{n} HTTP/1.1" 404 1',
    '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "-" 400 0 "-" "-"',
    '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "\\x16\\x03\\x01" 400 0',
    '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET /old HTTP/1.1" 308 0',
    '1.2.3.4 - - [10/Oct/2024:13:55',  # cut off
    "", "# a comment", "\x00\x00binary",
    '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET /a b/{n} HTTP/1.1" 404 1',
    '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "G(T / HTTP/1.1" 400 1',
]


def _log(tmp_path, count=5000, seed=1, compress=False):
    rng = random.Random(seed)
    text = "".join(rng.choice(LINES).format(n=rng.randrange(50)) + "\n" for _ in range(count))
    path = tmp_path / ("access.log.gz" if compress else "access.log")
    data = text.encode("latin-1")
    path.write_bytes(gzip.compress(data) if compress else data)
    return str(path)


def _as_tuples(counts):
    """Counts keyed by ``(method, target, host)``: a ``"METHOD TARGET"`` key is a request
    without a host."""
    out = Counter()
    for key, count in counts.items():
        out[(*key.split(" "), None) if key.__class__ is str else key] += count
    return out


def _per_line(path, **options):
    """The report of the per-line reader's requests, with its counters."""
    report = CoverageReport(table(*ROUTES), **options)
    reader = LogReader(on_malformed=report._reader_malformed)
    report.add_requests(reader.read([path]))
    report.skipped += reader.skipped
    report.bytes_read += reader.bytes_read
    report.formats.update(reader.formats)
    return report, reader


@pytest.mark.parametrize("compress", [False, True])
@pytest.mark.parametrize("batch", [7, 100, 65536])
def test_read_gives_the_report_of_the_per_line_reader(tmp_path, compress, batch):
    path = _log(tmp_path, compress=compress)
    expected, reader = _per_line(path, batch=batch)
    got = CoverageReport(table(*ROUTES), batch=batch).read([path])
    assert got.to_dict() == expected.to_dict()
    assert got.lines == reader.lines and got.malformed == reader.malformed
    assert got.to_dict()["malformed"] > 0 and got.to_dict()["status"]["405"] > 0


def test_read_keys_counts_what_read_yields(tmp_path):
    path = _log(tmp_path, count=3000, seed=4)
    by_line = Counter(request[:3] for request in LogReader().read([path]))
    reader = LogReader()
    by_key = Counter()
    for counts in reader.read_keys([path], batch=500):
        by_key.update(_as_tuples(counts))
    assert by_key == by_line
    plain = LogReader()
    list(plain.read([path]))
    assert (reader.lines, reader.malformed, reader.skipped, reader.reasons) == (
        plain.lines, plain.malformed, plain.skipped, plain.reasons)


def test_an_endless_noisy_input_stops_at_the_same_line(tmp_path, monkeypatch):
    """The noise stop (an endless input nearly all malformed) cuts a batch in the middle:
    the requests before it are counted, those after it never read."""
    monkeypatch.setattr(logs_module, "NOISE_LINES", 50)
    good = '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET /users/{n} HTTP/1.1" 200 5\n'
    text = "".join(good.format(n=n) for n in range(5)) + "junk\n" * 200 + good.format(n=9) * 5

    def reader_of(text):
        data = text.encode()
        return lambda size, pos=[0]: (data[pos[0]:pos[0] + size], pos.__setitem__(0, pos[0] + size))[0]

    plain = LogReader("combined")
    requests = Counter(r[:3] for r in plain._read_stream("<stdin>", reader_of(text), True))
    keyed = LogReader("combined")
    counts = Counter()
    for part in keyed._read_stream("<stdin>", reader_of(text), True, 65536):
        counts.update(_as_tuples(part))
    assert counts == requests and sum(counts.values()) == 5
    assert (keyed.lines, keyed.malformed, keyed.reasons) == (
        plain.lines, plain.malformed, plain.reasons)
