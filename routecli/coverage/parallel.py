"""Answering and counting on several cores, for ``coverage``: the worker processes and
the parent's side of them.

Worker processes each hold a copy of the table (a :class:`RouteTable` pickles as its routes
and compiles again) and an :class:`~routecli.coverage.answers.Answerer` of their own: an
answer depends on the request and the table alone, so the answers, and the report built
from them, are the same as on one core. Two kinds of work go to them: the new distinct
requests of a big batch (:meth:`Resolver.prefetch`), and whole byte ranges of a big
uncompressed file (:func:`file_parts`), each counted in a
:class:`~routecli.coverage.counting.RequestTally` of its own and merged in file order. The
pool starts on the first batch or file with enough work to be worth it, so small inputs
never pay for it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator

from routecli.coverage.answers import Answerer, answer_key, plain_answer_key
from routecli.coverage.counting import RequestTally
from routecli.coverage.streams import is_compressed
from routecli.coverage.text_input import cr_line_ends, marked_encoding

MIN_PARALLEL = 4096  # new distinct requests in a batch before the workers are used
CHUNK = 1024  # requests sent to a worker at a time
PART_MIN_BYTES = 16 * 1024 * 1024  # smaller files are read on one core
PART_MAX_BYTES = 64 * 1024 * 1024  # a file is read in parts of at most this size

# -- the worker side ---------------------------------------------------------------------------

_worker_answers: Answerer | None = None
# the worker's answer cache (two generations) carries over from part to part: the popular
# requests of a log are answered once per worker, not once per part
_worker_caches: tuple[dict, dict] = ({}, {})


def _start_worker(table, host) -> None:
    global _worker_answers
    import signal

    # Ctrl-C reaches the whole process group: the parent alone handles it (exit 130 and
    # the pool terminated), so an idle worker never prints a traceback of its own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_answers = Answerer(table, host)


def _app_failure(exc: BaseException):
    """A worker that dies loses its task and the pool waits for it forever: the parent
    gets the app's BaseException (SystemExit arrives as AppExit) as an error instead."""
    from routecli.errors import RouteError
    from routecli.sources.python.user_code import user_site

    return RouteError(f"the app's code raised {type(exc).__name__}({exc}) while "
                      "answering a request", user_site(exc.__traceback__))


class _Interrupted(Exception):
    """The app's code raised KeyboardInterrupt in a worker: the parent raises it again, so
    that it ends the run as on one core (exit 130), not as the app's error."""


def _resolve_chunk(keys: list[tuple]) -> list[tuple]:
    resolve = _worker_answers.resolve
    try:
        return [resolve(key) for key in keys]
    except Exception:
        raise
    except KeyboardInterrupt:
        raise _Interrupted from None
    except BaseException as exc:  # noqa: BLE001 - the app's code raised BaseException
        raise _app_failure(exc) from None


def _read_part(task: tuple) -> dict:
    """A worker's count of one byte range of a file (RequestTally.read_part)."""
    try:
        return _count_part(task)
    except Exception:
        raise
    except KeyboardInterrupt:
        raise _Interrupted from None
    except BaseException as exc:  # noqa: BLE001 - the app's code raised BaseException
        raise _app_failure(exc) from None


def _count_part(task: tuple) -> dict:
    global _worker_caches
    path, start, end, fmt, json_fields, options = task
    tally = RequestTally(_worker_answers.table, host=_worker_answers.default_host, **options)
    tally._cache, tally._old = _worker_caches
    physical = tally.read_part(path, start, end, fmt, json_fields)
    _worker_caches = (tally._cache, tally._old)
    return tally.partial(physical)


# -- the parent side ---------------------------------------------------------------------------


JOBS_PER_CORE = 4  # -j above this many per usable core is capped: -j 100000 is no fork bomb


def cpu_jobs(jobs: int | None) -> int:
    """``jobs`` as a process count: 0 or None means every core this process may use; more
    than ``JOBS_PER_CORE`` per core are capped (each worker holds a copy of the table,
    and more processes than cores only cost memory)."""
    try:
        cores = max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    if jobs:
        return max(1, min(jobs, JOBS_PER_CORE * cores))
    return cores


def file_parts(path: str, fmt: str, jobs: int) -> list[tuple[int, int]] | None:
    """The byte ranges to read ``path`` in on ``jobs`` workers, or None to read it on one
    core: only a big uncompressed regular file of requests (not counts, whose CSV header
    is in its first line)."""
    if fmt == "counts" or path == "-":
        return None
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size < PART_MIN_BYTES:
            return None
        with open(path, "rb") as file:
            start = file.read(64 * 1024)
        # byte ranges split at b"\n": not UTF-16 (a "\n" is two bytes) nor CR line ends
        if is_compressed(start) or marked_encoding(start) or cr_line_ends(start):
            return None
    except OSError:
        return None  # read on one core, to fail as one core would
    size = info.st_size
    count = max(jobs * 4, size // PART_MAX_BYTES + 1)
    step = -(-size // count)
    return [(start, min(start + step, size)) for start in range(0, size, step)]


def _worker_pids() -> set[int]:
    """The pids of this process's live multiprocessing children: the pool's workers (the
    only ones routecli starts; an app's subprocesses are not multiprocessing children)."""
    import multiprocessing

    return {child.pid for child in multiprocessing.active_children()}


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
        return self._results(_read_part, tasks)

    def resolve(self, keys: list[tuple]) -> list[tuple]:
        """The answers to ``keys``, in order."""
        self._start()
        chunks = [keys[i:i + CHUNK] for i in range(0, len(keys), CHUNK)]
        answers: list[tuple] = []
        for part in self._results(_resolve_chunk, chunks):
            answers.extend(part)
        return answers

    def _results(self, function, tasks: list) -> Iterator:
        """``function``'s results over ``tasks``, in order. A worker that dies (the app's
        code called ``os._exit``, or crashed Python) loses its task, and Pool waits for it
        for ever: the workers are watched while waiting, and a death is an error."""
        import multiprocessing

        pool = self._pool
        workers = _worker_pids()
        results = pool.imap(function, tasks)
        while True:
            try:
                yield results.next(timeout=0.5)
            except StopIteration:
                return
            except multiprocessing.TimeoutError:
                # Pool replaces a dead worker: a changed set of pids means a death
                # (workers never end on their own: no maxtasksperchild)
                if _worker_pids() != workers:
                    self._pool = None
                    pool.terminate()
                    from routecli.errors import RouteError

                    raise RouteError("a worker process died while answering requests (the "
                                     "app's code ended it, or it crashed); run with -j 1 "
                                     "to see where") from None
            except _Interrupted:
                self.close()
                raise KeyboardInterrupt from None

    def prefetch(self, counts, cache: dict, old: dict, websocket: bool,
                 resolve: Callable[[tuple | str], tuple]
                 ) -> Callable[[tuple | str], tuple] | None:
        """Answer the new distinct requests of a batch (the keys of ``counts``, not in
        the answer cache's generations ``cache`` and ``old``) on the workers; returns the
        resolver for the batch (the answers found, else ``resolve``), or None when the
        batch is too small for the workers to be worth it."""
        if len(counts) < MIN_PARALLEL:
            return None
        akeys = (plain_answer_key(key) if key.__class__ is str else answer_key(key, websocket)
                 for key in counts)
        new = list({akey: None for akey in akeys if akey not in cache and akey not in old})
        if len(new) < MIN_PARALLEL:
            return None
        found = dict(zip(new, self.resolve(new)))

        def prefetched(akey: tuple | str) -> tuple:
            answer = found.get(akey)
            return resolve(akey) if answer is None else answer

        return prefetched

    def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.terminate()  # no work is left for it: closing would wait for idle workers
            pool.join()
