"""Several cores give the report of one core (docs/coverage.md#big-logs)."""

import os
import random

import pytest

from helpers import table
from routecli.coverage import CoverageReport
from routecli.coverage import parallel as parallel_module
from routecli.coverage.answers import Answerer

ROUTES = [("/", "index"), ("/users/<int:id>", "user", {"methods": ["GET", "PUT"]}),
          ("/users/", "users"), ("/files/<path:p>", "files"),
          ("/old/<int:id>", "old", {"redirect_to": "/users/<id>"}),
          ("/ws/<room>", "ws", {"websocket": True}),
          ("/teams/<name>/<int:n>", "team", {"methods": ["POST"]})]


def _requests(count, seed=7):
    rng = random.Random(seed)
    out = []
    for i in range(count):
        kind = rng.randrange(8)
        n = rng.randrange(100000)
        target = [f"/users/{n}", f"/files/{n}/x.txt", f"/nothing/{n}", f"/old/{n}",
                  f"/ws/r{n}", f"/teams/t{n}/{n}?q={i}", "/users", f"/users/{n}#f"][kind]
        method = rng.choice(["GET", "GET", "PUT", "DELETE", "POST", "get"])
        status = 101 if kind == 4 and rng.random() < 0.5 else 200
        out.append((method, target, None, status))
    return out


@pytest.fixture
def answering(tmp_path, monkeypatch):
    """The processes that answered requests (fork copies the patched method)."""
    where = tmp_path / "pids"
    where.mkdir()
    resolve = Answerer.resolve

    def recorded(self, key):
        (where / str(os.getpid())).touch()
        return resolve(self, key)

    monkeypatch.setattr(Answerer, "resolve", recorded)
    return where


@pytest.mark.parametrize("batch", [500, 3000])
def test_jobs_give_the_one_core_report(monkeypatch, answering, batch):
    monkeypatch.setattr(parallel_module, "MIN_PARALLEL", 50)
    requests = _requests(6000)
    one = CoverageReport(table(*ROUTES), batch=batch, cache_size=700)
    one.add_requests(requests)
    for name in answering.iterdir():
        name.unlink()
    many = CoverageReport(table(*ROUTES), batch=batch, cache_size=700, jobs=2)
    try:
        many.add_requests(requests)
    finally:
        many.close()
    workers = {int(name.name) for name in answering.iterdir()} - {os.getpid()}
    assert len(workers) == 2  # two worker processes did answer
    assert many.to_dict() == one.to_dict()


def test_jobs_with_counts(monkeypatch):
    monkeypatch.setattr(parallel_module, "MIN_PARALLEL", 50)
    rows = [(*request, i % 5 + 1) for i, request in enumerate(_requests(3000, seed=9))]
    one = CoverageReport(table(*ROUTES))
    one.add_counts(rows)
    many = CoverageReport(table(*ROUTES), jobs=2)
    try:
        many.add_counts(rows)
    finally:
        many.close()
    assert many.to_dict() == one.to_dict()


def test_jobs_on_a_read_log_give_the_one_core_report(tmp_path, monkeypatch, answering):
    """A gzip log is read on one core and its batches' new requests answered by the
    workers: the reader's "METHOD TARGET" keys (queries and fragments sharing the path's
    answer) go to the workers as they are."""
    import gzip

    monkeypatch.setattr(parallel_module, "MIN_PARALLEL", 50)
    routes = [route for route in ROUTES if route[0] != "/ws/<room>"]  # no websocket rule:
    lines = [f'1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "{method} {target} HTTP/1.1" 200 5'
             for method, target, _, _ in _requests(4000, seed=11) if " " not in target]
    path = tmp_path / "access.log.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    one = CoverageReport(table(*routes), batch=700, cache_size=300).read([str(path)])
    for name in answering.iterdir():
        name.unlink()
    many = CoverageReport(table(*routes), batch=700, cache_size=300, jobs=2)
    many.read([str(path)])
    workers = {int(name.name) for name in answering.iterdir()} - {os.getpid()}
    assert len(workers) == 2
    assert many.to_dict() == one.to_dict()
    assert one.to_dict()["status"]["404"] and one.to_dict()["status"]["405"]
