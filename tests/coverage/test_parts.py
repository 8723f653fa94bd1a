"""Big files read in byte ranges on several processes give the one-core report, byte for
byte (docs/coverage.md#big-logs); the ranges cover every line exactly once."""

import io
import json
import os
import random

import pytest

from helpers import table
from routecli.coverage import CoverageReport
from routecli.coverage import parallel as parallel_module
from routecli.coverage.counting import RequestTally
from routecli.coverage.streams import range_chunks

ROUTES = [("/", "index"), ("/users/<int:id>", "user", {"methods": ["GET", "PUT"]}),
          ("/files/<path:p>", "files"), ("/old", "old", {"redirect_to": "/"}),
          ("/teams/<name>", "team", {"methods": ["POST"]})]

LINES = [
    '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET /users/{n} HTTP/1.1" 200 5 "-" "curl"',
    '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "PUT /users/{n}?x={n} HTTP/1.0" 200 5',
    '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "DELETE /users/{n} HTTP/1.1" 405 5\r',
    '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "PATCH /teams/t{n} HTTP/1.1" 405 5',
    'api.example.com:443 1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET /files/{n} HTTP/1.1" 200 1',
    '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET /caf\\xC3\\xA9/{n} HTTP/1.1" 404 1',
    '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET /nothing/x{n}/y HTTP/1.1" 404 1',
    '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "-" 400 0 "-" "-"',
    '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET /old HTTP/1.1" 308 0',
    '1.2.3.4 - - [10/Oct/2024:13:55',
    "", "# a comment", "\x00\x00binary", "x" * 70000,
]


def _log(tmp_path, count, seed, name="access.log", end="\n"):
    rng = random.Random(seed)
    lines = [rng.choice(LINES).format(n=rng.randrange(300)) for _ in range(count)]
    path = tmp_path / name
    path.write_bytes(("\ufeff" + "\n".join(lines) + end).encode("utf-8"))
    return str(path)


@pytest.fixture
def pids(tmp_path, monkeypatch):
    """The processes that read parts (fork copies the patched function to the workers)."""
    where = tmp_path / "pids"
    where.mkdir()
    read_part = RequestTally.read_part

    def recorded(self, *args, **kwargs):
        (where / str(os.getpid())).touch()
        return read_part(self, *args, **kwargs)

    monkeypatch.setattr(RequestTally, "read_part", recorded)
    return where


@pytest.mark.parametrize("seed,part", [(1, 3001), (2, 20000), (3, 70001)])
def test_parts_on_workers_give_the_one_core_report(tmp_path, monkeypatch, pids, seed, part):
    monkeypatch.setattr(parallel_module, "PART_MIN_BYTES", 1)
    monkeypatch.setattr(parallel_module, "PART_MAX_BYTES", part)
    path = _log(tmp_path, 3000, seed, end="" if seed == 2 else "\n")
    one = CoverageReport(table(*ROUTES), batch=500).read([path, path])
    many = CoverageReport(table(*ROUTES), batch=500, jobs=2).read([path, path])
    assert json.dumps(many.to_dict()) == json.dumps(one.to_dict())  # same order too
    workers = {int(name.name) for name in pids.iterdir()}
    assert len(workers) == 2 and os.getpid() not in workers
    data = one.to_dict()
    assert data["malformed"] and data["status"]["405"] and data["unmatched"]


def test_malformed_lines_of_later_parts_keep_their_line_numbers(tmp_path, monkeypatch, pids):
    monkeypatch.setattr(parallel_module, "PART_MIN_BYTES", 1)
    monkeypatch.setattr(parallel_module, "PART_MAX_BYTES", 5000)
    good = LINES[0].format(n=1)
    lines = [good] * 3000
    bad = [1200, 1201, 2048, 2999, 3000]
    for number in bad:
        lines[number - 1] = "junk"
    path = tmp_path / "access.log"
    path.write_text("\n".join(lines) + "\n")
    many = CoverageReport(table(*ROUTES), jobs=2).read([str(path)]).to_dict()
    assert [example["line"] for example in many["malformed_examples"]] == bad
    assert many == CoverageReport(table(*ROUTES)).read([str(path)]).to_dict()
    assert len(list(pids.iterdir())) == 2


def test_small_files_compressed_files_and_counts_are_read_here(tmp_path, monkeypatch, pids):
    import gzip

    path = _log(tmp_path, 200, 5)
    gz = tmp_path / "access.log.gz"
    gz.write_bytes(gzip.compress(open(path, "rb").read()))
    report = CoverageReport(table(*ROUTES), jobs=2)
    assert report._parts(path, "auto") is None  # under PART_MIN_BYTES
    monkeypatch.setattr(parallel_module, "PART_MIN_BYTES", 1)
    assert report._parts(str(gz), "auto") is None
    assert report._parts(path, "counts") is None
    assert report._parts("-", "auto") is None
    assert len(report._parts(path, "auto")) >= 2
    one = CoverageReport(table(*ROUTES)).read([str(gz)])
    assert report.read([str(gz)]).to_dict() == one.to_dict()
    assert not list(pids.iterdir())


@pytest.mark.parametrize("chunk", [3, 1 << 18])
@pytest.mark.parametrize("seed", range(30))
def test_ranges_cover_every_line_once(monkeypatch, seed, chunk):
    from routecli.coverage import streams

    monkeypatch.setattr(streams, "CHUNK", chunk)
    rng = random.Random(seed)
    data = b"".join(rng.choice([b"a", b"bb\n", b"\n", b"c" * rng.randrange(1, 40), b"\r\n"])
                    for _ in range(rng.randrange(0, 200)))
    cuts = sorted({0, len(data), *(rng.randrange(len(data) + 1) for _ in range(5))})
    offset = 0  # where the next part starts in the file
    for start, end in zip(cuts, cuts[1:]):
        part = b"".join(range_chunks(io.BytesIO(data), start, end, lambda size: None))
        assert data[offset : offset + len(part)] == part
        if part:  # from the first line starting in the range to the end of a line
            assert offset == 0 or data[offset - 1 : offset] == b"\n"
            assert start <= offset < end
            assert part.endswith(b"\n") or offset + len(part) == len(data)
            assert offset + len(part) >= end
        offset += len(part)
    assert offset == len(data)


def test_an_app_exiting_in_a_part_worker_is_an_error_not_a_hang(tmp_path, monkeypatch):
    import sys

    sys.path.insert(0, str(tmp_path))
    (tmp_path / "exiting_app.py").write_text(
        "import sys\nfrom flask import Flask\nfrom werkzeug.routing import BaseConverter\n"
        "class Exiting(BaseConverter):\n    def to_python(self, value):\n        sys.exit(7)\n"
        "app = Flask(__name__)\napp.url_map.converters['exiting'] = Exiting\n"
        "app.add_url_rule('/item/<exiting:item>', 'item', lambda item: 'ok')\n")
    from routecli import load
    from routecli.errors import AppExit

    monkeypatch.setattr(parallel_module, "PART_MIN_BYTES", 1)
    monkeypatch.setattr(parallel_module, "PART_MAX_BYTES", 2000)
    path = tmp_path / "access.log"
    path.write_text("GET /item/1\n" * 1000)
    with pytest.raises(AppExit):  # the CLI's coverage stops with exit 2 on it
        CoverageReport(load("exiting_app:app"), jobs=2).read([str(path)])


def test_a_base_exception_in_a_part_worker_is_an_error_not_a_hang(tmp_path):
    # A worker dying of a BaseException loses its part and Pool.imap waits for ever: the
    # worker hands it back as the app's error instead. Run apart, under a timeout.
    import subprocess
    import sys

    (tmp_path / "dying_app.py").write_text(
        "from flask import Flask\nfrom werkzeug.routing import BaseConverter\n"
        "class Dying(BaseConverter):\n    def to_python(self, value):\n"
        "        raise GeneratorExit('gone')\n"
        "app = Flask(__name__)\napp.url_map.converters['dying'] = Dying\n"
        "app.add_url_rule('/item/<dying:item>', 'item', lambda item: 'ok')\n")
    (tmp_path / "access.log").write_text("GET /item/1\n" * 1000)
    script = (
        "import sys\nsys.path.insert(0, '.')\n"
        "from routecli import load\nfrom routecli.coverage import CoverageReport\n"
        "from routecli.coverage import parallel\nfrom routecli.errors import RouteError\n"
        "parallel.PART_MIN_BYTES, parallel.PART_MAX_BYTES = 1, 2000\n"
        "try:\n    CoverageReport(load('dying_app:app'), jobs=2).read(['access.log'])\n"
        "except RouteError as exc:\n    print('error:', exc)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert "error:" in done.stdout and "GeneratorExit(gone)" in done.stdout, done.stderr
