"""Answering the distinct requests of big batches on several cores, for ``coverage``.

Worker processes each hold a copy of the table (a :class:`RouteTable` pickles as its routes
and compiles again) and a :class:`~routecli.coverage.report.CoverageReport` of their own used
only for its ``_resolve``: an answer depends on the request and the table alone, so the
answers, and the report built from them, are the same as on one core. The pool starts on
the first batch with enough new requests to be worth it, so small inputs never pay for it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

MIN_PARALLEL = 4096  # new distinct requests in a batch before the workers are used
CHUNK = 1024  # requests sent to a worker at a time
PART_MIN_BYTES = 16 * 1024 * 1024  # smaller files are read on one core
PART_MAX_BYTES = 64 * 1024 * 1024  # a file is read in parts of at most this size

_worker_report = None


def _start_worker(table, host) -> None:
    global _worker_report
    from routecli.coverage.report import CoverageReport

    _worker_report = CoverageReport(table, host=host)


def _app_failure(exc: BaseException):
    """A worker that dies loses its task and the pool waits for it forever: the parent
    gets the app's BaseException (SystemExit arrives as AppExit) as an error instead."""
    from routecli.errors import RouteError
    from routecli.sources.python.user_code import user_site

    return RouteError(f"the app's code raised {type(exc).__name__}({exc}) while "
                      "answering a request", user_site(exc.__traceback__))


def _resolve_chunk(keys: list[tuple]) -> list[tuple]:
    resolve = _worker_report._resolve
    try:
        return [resolve(key) for key in keys]
    except Exception:
        raise
    except BaseException as exc:  # noqa: BLE001 - the app's code raised BaseException
        raise _app_failure(exc) from None


def _read_part(task: tuple) -> dict:
    """A worker's count of one byte range of a file (CoverageReport.read_part)."""
    try:
        return _count_part(task)
    except Exception:
        raise
    except BaseException as exc:  # noqa: BLE001 - the app's code raised BaseException
        raise _app_failure(exc) from None


def _count_part(task: tuple) -> dict:
    from routecli.coverage.report import CoverageReport

    path, start, end, fmt, json_fields, options = task
    report = CoverageReport(_worker_report.table, host=_worker_report.default_host, **options)
    # the worker's answer cache carries over from part to part: the popular requests of a
    # log are answered once per worker, not once per part
    report._cache, report._old = _worker_report._cache, _worker_report._old
    physical = report.read_part(path, start, end, fmt, json_fields)
    _worker_report._cache, _worker_report._old = report._cache, report._old
    return report.partial(physical)


def cpu_jobs(jobs: int | None) -> int:
    """``jobs`` as a process count: 0 or None means every core this process may use."""
    if jobs:
        return max(1, jobs)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Resolver:
    """A pool of ``jobs`` workers answering lists of answer keys, started on first use."""

    def __init__(self, table, host: str | None, jobs: int) -> None:
        self.table = table
        self.host = host
        self.jobs = jobs
        self._pool = None

    def _start(self) -> None:
        if self._pool is None:
            import multiprocessing

            self._pool = multiprocessing.get_context().Pool(
                self.jobs, initializer=_start_worker, initargs=(self.table, self.host))

    def read_parts(self, tasks: list[tuple]) -> Iterator[dict]:
        """The workers' counts of parts of files (see ``_read_part``), in order."""
        self._start()
        return self._pool.imap(_read_part, tasks)

    def resolve(self, keys: list[tuple]) -> list[tuple]:
        """The answers to ``keys``, in order."""
        self._start()
        chunks = [keys[i:i + CHUNK] for i in range(0, len(keys), CHUNK)]
        answers: list[tuple] = []
        for part in self._pool.imap(_resolve_chunk, chunks):
            answers.extend(part)
        return answers

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None
