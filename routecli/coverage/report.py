"""Coverage of a route table by real traffic: hits per route, dead routes, 404 shapes.

:class:`CoverageReport` matches a stream of requests (from :mod:`routecli.coverage.logs`
or anywhere else) against a :class:`~routecli.routing.werkzeug.table.RouteTable` and counts what happened;
:meth:`CoverageReport.to_dict` is the JSON object of docs/coverage.md#json-fields. :func:`analyze` reads log
files and returns the filled report.

Counting
  Every request is answered exactly as :meth:`RouteTable.match` answers it (Flask/Werkzeug
  semantics). ``hits`` of a route counts the requests it answered (200, including HEAD
  through GET and Flask's automatic OPTIONS); ``redirects`` those it answered with a 308
  (strict-slash, merge-slashes, defaults, alias and ``redirect_to`` redirects; the route is
  the one that redirected). ``status`` counts every request by outcome: 200, 308, 404, 405,
  and only when they happen 400 (a websocket rule asked without a websocket, or the
  reverse; a host outside ``trusted_hosts``) and the status a Python app's own code answers
  when it fails (500, or what a converter's ``abort()`` raised), as ``routecli match`` does.
  A request the table refuses outright counts as a malformed line, never as a request:
  reason ``invalid host`` (a host that is no valid host name), ``invalid method``, or
  ``cannot be answered`` (anything else the table raises on).
  So ``lines == requests + malformed`` for logs and ``requests == sum(status.values())``.
  Pre-aggregated counts are lines too, but one line stands for ``count`` requests:
  ``counted_lines`` says how many lines were counts, and for such an input
  ``lines == counted_lines + malformed`` (a counts line the table refuses is one
  malformed line, whatever its count).

  Access logs do not record ``Upgrade: websocket``; when the table has websocket rules, a
  request logged with status 101 (Switching Protocols) is matched as a websocket request.

Used and unused routes
  A route is *used* when ``hits + redirects >= min_hits`` (default 1: it answered at least
  once). ``unused`` lists the other routes, in definition order, except ``build_only``
  routes, which exist for URL building and can never answer a request.

Unmatched requests (404) by shape
  A 404's decoded path becomes a *shape* segment by segment (see :func:`shape`): numbers
  become ``<int>``, UUIDs ``<uuid>``, long hex strings ``<hex>``, long random-looking tokens
  ``<str>``; a file extension is kept (``<int>.json``). The query string is not part of the
  shape. Shapes are counted with at most three example targets each (as logged, cut to 200
  characters). The shape table is bounded: it holds at most ``2 * max_shapes`` shapes; when
  it is full the ``max_shapes`` most frequent are kept and the counts of the others move
  to ``unmatched_other``, so ``sum(unmatched counts) + unmatched_other == status["404"]``
  always holds. A shape seen steadily is never dropped; one that was dropped and comes back
  starts again from zero (its count is then a lower bound).

405s by route
  A 405 is attributed to the routes whose pattern matched the path (found by asking the
  table again with each allowed method), with the methods that were tried and their counts.

Speed and memory
  Requests are counted in batches of :data:`BATCH` by ``(method, target, host)`` in C
  (``collections.Counter``); each distinct key of a batch is then answered once. Answers
  are cached per ``(method, path, host)`` (the query string never changes an outcome that
  is counted) in a two-generation dict of at most ``2 * cache_size`` entries. Memory is
  bounded by ``BATCH``, ``cache_size``, ``max_shapes`` and the size of the table, whatever
  the size of the logs.
"""

from __future__ import annotations

import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import islice
from operator import itemgetter
from typing import Any

from routecli.coverage.parallel import (
    MIN_PARALLEL,
    PART_MAX_BYTES,
    PART_MIN_BYTES,
    Resolver,
    cpu_jobs,
)
from routecli.coverage.streams import is_compressed
from routecli.errors import AppExit, RouteError
from routecli.routing.serialize import route_ref

BATCH = 65536  # requests counted together before their distinct keys are answered
CACHE_SIZE = 65536  # entries per generation of the answer cache
MAX_SHAPES = 1000  # unmatched shapes kept (the table holds at most twice as many)
EXAMPLES = 3  # example targets kept per shape
EXAMPLE_CHARS = 200  # an example target is cut to this many characters
SHAPE_CHARS = 200  # a shape is cut to this many characters
MALFORMED_EXAMPLES = 5  # malformed lines kept as examples
MAX_METHODS = 32  # distinct methods counted per 405 group; more are counted as "*other*"
MAX_405_GROUPS = 10000  # distinct 405 groups; more are counted in one "unknown" group

OTHER_METHOD = "*other*"

# -- shapes ----------------------------------------------------------------------------------

# One pass over the whole path: a segment (between slashes) that is entirely one of these
# is replaced; every other segment is kept as it is.
_SEGMENTS = re.compile(
    r"""(?<=/)(?:
        (?P<long>[^/]{65,})
      | (?:
            (?P<int>-?[0-9]+)
          | (?P<float>-?[0-9]+\.[0-9]+)
          | (?P<uuid>[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12})
          | (?P<hex>(?=[A-Fa-f]*[0-9])[0-9A-Fa-f]{16,})
          | (?P<str>(?=(?:[A-Za-z_=+~-]*[0-9]){2})(?=[0-9_=+~-]*[A-Za-z])[A-Za-z0-9_=+~-]{16,})
          | (?P<word>[A-Za-z][A-Za-z_-]*?)(?P<number>[0-9]{3,})
        )(?P<extension>\.[A-Za-z][A-Za-z0-9]{0,5})?
    )(?=/|$)""",
    re.VERBOSE,
)
_KINDS = ("int", "float", "uuid", "hex", "str", "number")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}


def _placeholder(m: re.Match) -> str:
    kind = m.lastgroup
    if kind == "long":
        return "<str>"
    extension = m.group("extension")
    if extension is None:
        extension = ""
    else:  # lastgroup is "extension": find the alternative that matched before it
        kind = next(name for name in _KINDS if m.group(name) is not None)
    if kind == "number":  # x870975, INV2024001: a word then a number of 3+ digits
        return m.group("word") + "<int>" + extension
    return f"<{kind}>{extension}"


def shape(path: str, host: str | None = None) -> str:
    """The shape of a decoded path: variable-looking segments replaced by placeholders.

    Segment by segment, in one pass; a segment that is entirely one of these (the first that
    fits) is replaced, optionally followed by a file extension (a dot, a letter and up to five
    letters or digits), which is kept: ``1234.json`` becomes ``<int>.json``.

    ========================================  ===========  ===========================
    segment                                   becomes      e.g.
    ========================================  ===========  ===========================
    digits (optionally signed)                ``<int>``    ``42``, ``1234.json``
    a decimal number                          ``<float>``  ``3.14``
    a UUID (with or without dashes)           ``<uuid>``
    16+ hex digits, at least one a digit      ``<hex>``    a commit SHA, an MD5
    16+ letters/digits/``_=+~-`` with 2+      ``<str>``    API keys, session tokens
    digits and a letter
    a word then 3+ digits                     word<int>    ``x870975``, ``INV2024001``
    over 64 characters (checked first)        ``<str>``
    anything else                             kept         ``users``, ``v1``, ``wp-login.php``
    ========================================  ===========  ===========================

    Control characters are shown as ``\\xNN``; a shape is cut to 200 characters (ending in
    ``...``). With ``host``, the shape starts with it (``api.example.com/users/<int>``).
    """
    result = _SEGMENTS.sub(_placeholder, path)
    if host:
        result = host + result
    if len(result) > SHAPE_CHARS:
        result = result[: SHAPE_CHARS - 3] + "..."
    if _CONTROL.search(result) is not None:
        result = result.translate(_CONTROLS)
    return result


class ShapeCounter:
    """Counts per shape, with a bounded number of shapes and a few examples each.

    Holds at most ``2 * capacity`` shapes: when full, the ``capacity`` most frequent are
    kept and the counts of the others are added to :attr:`other` (so ``total`` is exact).
    """

    def __init__(self, capacity: int = MAX_SHAPES, examples: int = EXAMPLES) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.examples = examples
        self.entries: dict[str, list] = {}  # shape -> [count, [examples]]
        self.other = 0  # requests whose shape was dropped
        self.dropped = 0  # shapes dropped so far (a shape may be dropped more than once)

    def add(self, key: str, count: int = 1, example: str | None = None) -> None:
        entry = self.entries.get(key)
        if entry is None:
            if len(self.entries) >= 2 * self.capacity:
                self._prune()
            self.entries[key] = [count, [example] if example is not None else []]
            return
        entry[0] += count
        examples = entry[1]
        if example is not None and len(examples) < self.examples and example not in examples:
            examples.append(example)

    def merge(self, entries: dict[str, list], other: int = 0, dropped: int = 0) -> None:
        """Add another counter's ``entries`` (read after this one's) and dropped counts."""
        for key, (count, examples) in entries.items():
            self.add(key, count)
            mine = self.entries[key][1]
            for example in examples:
                if len(mine) >= self.examples:
                    break
                if example not in mine:
                    mine.append(example)
        self.other += other
        self.dropped += dropped

    def _prune(self) -> None:
        ranked = sorted(self.entries.items(), key=lambda item: -item[1][0])
        for _, (count, _) in ranked[self.capacity :]:
            self.other += count
            self.dropped += 1
        self.entries = dict(ranked[: self.capacity])

    @property
    def total(self) -> int:
        return self.other + sum(entry[0] for entry in self.entries.values())

    def most_common(self, n: int | None = None) -> list[tuple[str, int, list[str]]]:
        """``(shape, count, examples)``, most frequent first (ties by shape)."""
        ranked = sorted(self.entries.items(), key=lambda item: (-item[1][0], item[0]))
        if n is not None:
            ranked = ranked[:n]
        return [(key, count, list(examples)) for key, (count, examples) in ranked]

    def __len__(self) -> int:
        return len(self.entries)


# -- the report ------------------------------------------------------------------------------


def _example(target: str) -> str:
    if len(target) > EXAMPLE_CHARS:
        return target[: EXAMPLE_CHARS - 3] + "..."
    return target


class CoverageReport:
    """Counts of how the requests fed to it were answered by ``table``.

    Feed it with :meth:`read` (log files), :meth:`add_requests` (an iterable of
    ``(method, target, host, status)`` tuples such as :class:`~routecli.coverage.logs.LogRequest`),
    :meth:`add` (one request) and :meth:`add_malformed`; then call :meth:`to_dict`.

    ``host`` is the request host for requests that carry none (default: the table's
    server name, else ``localhost``).
    """

    def __init__(
        self,
        table,
        *,
        host: str | None = None,
        max_shapes: int = MAX_SHAPES,
        cache_size: int = CACHE_SIZE,
        batch: int = BATCH,
        jobs: int | None = 1,
    ) -> None:
        self.table = table
        self.default_host = host or None
        self.cache_size = max(1, cache_size)
        self.batch = max(1, batch)
        rules = table.rules
        # one slot per rule, plus a last one for an answer without a rule (never expected)
        self.hits = [0] * (len(rules) + 1)
        self.redirects = [0] * (len(rules) + 1)
        self.status: dict[int, int] = {200: 0, 308: 0, 404: 0, 405: 0}
        self.lines = 0
        self.counted_lines = 0  # lines of pre-aggregated counts (each stands for many requests)
        self.requests = 0
        self.malformed = 0
        self.skipped = 0
        self.bytes_read = 0
        self.reasons: dict[str, int] = {}
        self.malformed_examples: list[dict[str, Any]] = []
        self.formats: dict[str, str] = {}
        self.shapes = ShapeCounter(max_shapes)
        # 405s: group (tuple of rule indices) -> [count, {method: count}, allowed methods]
        self.not_allowed: dict[tuple, list] = {}
        settings = table.settings
        self._shape_hosts = bool(settings.host_matching or settings.server_name)
        self._websocket = any(rule.websocket for rule in rules)
        # Answers: shared tuples (status, rule index, detail) per rule for 200 and 308.
        self._ok = [(200, index, None) for index in range(len(rules) + 1)]
        self._redirected = [(308, index, None) for index in range(len(rules) + 1)]
        self._cache: dict[tuple, tuple] = {}
        self._old: dict[tuple, tuple] = {}
        self.cache_misses = 0
        # jobs > 1 (0 or None: every core): big batches are answered on worker processes.
        workers = cpu_jobs(jobs)
        self._resolver = Resolver(table, self.default_host, workers) if workers > 1 else None

    # -- feeding -----------------------------------------------------------------------------

    def read(
        self,
        paths: Iterable[str],
        fmt: str = "auto",
        json_fields: dict | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> CoverageReport:
        """Read the logs at ``paths`` (``"-"`` is standard input) and count their requests.

        ``on_progress(bytes_read, lines)`` is called after every chunk read. Raises
        :class:`~routecli.errors.RouteError` for a missing or unreadable file or bad options
        (before anything is read). With worker processes, a big uncompressed file is read
        in parts on every core (:meth:`_read_parts`).
        """
        from routecli.coverage.logs import LogReader
        from routecli.coverage.streams import check_readable

        done = [0, 0]  # bytes and lines of the files read in parts
        callback = None
        if on_progress is not None:

            def callback(bytes_read: int) -> None:
                on_progress(done[0] + bytes_read, done[1] + reader.lines)

        reader = LogReader(fmt, json_fields, self._reader_malformed, callback)
        paths = check_readable(list(paths))
        try:
            for path in paths:
                parts = self._parts(path, fmt)
                if parts:
                    self._read_parts(path, parts, fmt, json_fields, done, on_progress)
                else:
                    self._consume(reader, reader.read([path]), reader.read_keys([path],
                                                                                self.batch))
                    self.formats.update(reader.formats)
        finally:
            self.close()
        self.skipped += reader.skipped
        self.bytes_read += reader.bytes_read
        return self

    def _consume(self, reader, requests, keys) -> None:
        """Count what a reader reads: the ``requests`` stream (pre-aggregated counts, or
        a table with websocket rules, whose keys hold the logged status), else its
        ``keys`` counted as they are read (no request object per line)."""
        if reader.fmt == "counts":
            self.add_counts(requests)
        elif self._websocket:
            self.add_requests(requests)
        else:
            for counts in keys:
                self._fold(counts)

    def read_part(self, path: str, start: int, end: int, fmt: str,
                  json_fields: dict | None = None) -> int:
        """Count the lines of the uncompressed file ``path`` that start in the byte range
        ``[start, end)`` (``fmt`` not ``auto``); malformed lines are numbered from the
        range's first line. Returns the number of lines in the range. A worker's part of
        :meth:`_read_parts`."""
        from routecli.coverage.logs import LogReader

        reader = LogReader(fmt, json_fields, self._reader_malformed)
        self._consume(reader, reader.read_part(path, start, end),
                      reader.read_part(path, start, end, self.batch))
        self.skipped += reader.skipped
        return reader._physical

    def _parts(self, path: str, fmt: str) -> list[tuple[int, int]] | None:
        """The byte ranges to read ``path`` in on the workers, or None to read it here:
        only with workers, for a big uncompressed regular file of requests (not counts,
        whose CSV header is in its first line)."""
        if self._resolver is None or fmt == "counts" or path == "-":
            return None
        try:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode) or info.st_size < PART_MIN_BYTES:
                return None
            with open(path, "rb") as file:
                if is_compressed(file.read(8)):
                    return None
        except OSError:
            return None  # read here, to fail as one core would
        size = info.st_size
        count = max(self._resolver.jobs * 4, size // PART_MAX_BYTES + 1)
        step = -(-size // count)
        return [(start, min(start + step, size)) for start in range(0, size, step)]

    def _read_parts(self, path: str, parts: list[tuple[int, int]], fmt: str, json_fields,
                    done: list[int], on_progress) -> None:
        """Read ``path`` in byte ranges on the workers, each counting its lines in a
        report of its own, and add their counts up in file order (:meth:`merge`)."""
        from routecli.coverage.logs import detect_file_format

        if fmt == "auto":
            fmt = detect_file_format(path)
        options = {"batch": self.batch, "cache_size": self.cache_size,
                   "max_shapes": self.shapes.capacity}
        tasks = [(path, start, end, fmt, json_fields, options) for start, end in parts]
        offset = 0  # lines of the file before the part
        for (start, end), partial in zip(parts, self._resolver.read_parts(tasks)):
            self.merge(partial, offset)
            offset += partial["physical"]
            done[0] += end - start
            done[1] += partial["lines"]
            if on_progress is not None:
                on_progress(done[0], done[1])
        self.bytes_read += parts[-1][1]
        self.formats[path] = fmt

    def _reader_malformed(self, bad) -> None:
        self.add_malformed(bad.reason, bad.text, bad.file, bad.line)

    def add_malformed(
        self, reason: str, text: str = "", file: str | None = None, line: int | None = None
    ) -> None:
        """Count one data line that holds no usable request."""
        self.lines += 1
        self.malformed += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1
        if len(self.malformed_examples) < MALFORMED_EXAMPLES:
            self.malformed_examples.append(
                {"file": file, "line": line, "reason": reason, "text": text}
            )

    def add(
        self, method: str, target: str, host: str | None = None, status: int | None = None
    ) -> None:
        """Count one request (``status`` is the logged one: only 101 matters, see above)."""
        self.add_requests(((method, target, host, status),))

    def add_requests(self, requests: Iterable[tuple]) -> None:
        """Count ``(method, target, host, status)`` requests (e.g. LogRequest tuples)."""
        key_of = itemgetter(0, 1, 2, 3) if self._websocket else itemgetter(0, 1, 2)
        keys = map(key_of, requests)
        batch = self.batch
        while True:
            counts = Counter(islice(keys, batch))  # counted in C
            if not counts:
                break
            self._fold(counts)

    def add_counts(self, requests: Iterable[tuple]) -> None:
        """Count pre-aggregated ``(method, target, host, status, count)`` requests (e.g.
        CountedRequest tuples, or the rows of a warehouse's ``GROUP BY``): the same report
        as ``count`` copies of each request given to :meth:`add_requests`."""
        key_of = itemgetter(0, 1, 2, 3) if self._websocket else itemgetter(0, 1, 2)
        rows = iter(requests)
        batch = self.batch
        while True:
            counts: Counter = Counter()
            lines: Counter = Counter()  # rows per distinct request (a file may repeat one)
            for row in islice(rows, batch):
                key = key_of(row)
                counts[key] += row[4]
                lines[key] += 1
            if not counts:
                break
            self._fold(counts, lines)

    def _fold(self, counts: Counter, lines: Counter | None = None) -> None:
        """Answer each distinct request of a batch once and add its count; ``lines`` are
        the rows of pre-aggregated counts per request (None: one line per request). A key
        is ``(method, target, host[, status])``, or for a request without a host the
        string ``"METHOD TARGET"`` (the log readers' keys: no tuple per request)."""
        cache, old = self._cache, self._old
        cache_get, old_get = cache.get, old.get
        limit = self.cache_size
        hits, redirects, status = self.hits, self.redirects, self.status
        add_shape = self.shapes.add
        resolve = self._resolve
        resolve_plain = self._plain_resolver()
        websocket = self._websocket
        requests = ok = misses = 0
        refused = []
        if self._resolver is not None and len(counts) >= MIN_PARALLEL:
            resolve = resolve_plain = self._prefetch(counts)
        for key, n in counts.items():
            if key.__class__ is str:  # "METHOD TARGET": most requests of a log
                akey = key if "?" not in key and "#" not in key else plain_answer_key(key)
                miss = resolve_plain
            else:
                target = key[1]
                akey = answer_key(key, websocket) if "?" in target or "#" in target or \
                    websocket else key
                miss = resolve
            answer = cache_get(akey)
            if answer is None:
                answer = old_get(akey)
                if answer is None:
                    answer = miss(akey)
                    misses += 1
                cache[akey] = answer
                if len(cache) >= limit:
                    self._old = old = cache
                    self._cache = cache = {}
                    cache_get, old_get = cache.get, old.get
            code = answer[0]
            if code == 200:  # most requests: their status is added up after the loop
                hits[answer[1]] += n
                ok += n
                continue
            if key.__class__ is str:
                method, _, target = key.partition(" ")
                key = (method, target, None)
            if code == 308 or code == 307 or code == 301:
                redirects[answer[1]] += n
            elif code == 404:
                add_shape(answer[2], n, _example(target))
            elif code == 405:
                self._count_405(answer, key[0], n)
            elif code == 0:  # refused by the table (e.g. invalid host): a malformed line
                self._count_refused(answer[2], key, n if lines is None else lines[key])
                refused.append(key)
                continue
            # else 400 (websocket mismatch, untrusted host) or what an app converter
            # answered (500, an abort() status): counted under that status only
            status[code] = status.get(code, 0) + n
            requests += n
        status[200] += ok
        requests += ok
        self.requests += requests
        self.cache_misses += misses
        if lines is None:
            self.lines += requests
        else:
            counted = sum(lines.values()) - sum(lines[key] for key in refused)
            self.lines += counted
            self.counted_lines += counted

    def _prefetch(self, counts: Counter) -> Callable[[tuple | str], tuple]:
        """Answer a batch's new distinct requests on the workers; returns the resolver
        :meth:`_fold` uses for them (the answers found, else :meth:`_resolve`)."""
        cache, old = self._cache, self._old
        websocket = self._websocket
        akeys = (plain_answer_key(key) if key.__class__ is str else answer_key(key, websocket)
                 for key in counts)
        new = list({akey: None for akey in akeys if akey not in cache and akey not in old})
        if len(new) < MIN_PARALLEL:
            return self._resolve
        found = dict(zip(new, self._resolver.resolve(new)))
        resolve = self._resolve

        def prefetched(akey: tuple | str) -> tuple:
            answer = found.get(akey)
            return resolve(akey) if answer is None else answer

        return prefetched

    def partial(self, physical: int) -> dict[str, Any]:
        """The counts of a worker's part (:meth:`read_part`), for :meth:`merge`."""
        return {
            "physical": physical, "lines": self.lines, "requests": self.requests,
            "malformed": self.malformed, "skipped": self.skipped,
            "counted_lines": self.counted_lines, "cache_misses": self.cache_misses,
            "hits": self.hits, "redirects": self.redirects, "status": self.status,
            "reasons": self.reasons, "malformed_examples": self.malformed_examples,
            "shapes": self.shapes.entries, "shapes_other": self.shapes.other,
            "shapes_dropped": self.shapes.dropped, "not_allowed": self.not_allowed,
        }

    def merge(self, part: dict[str, Any], offset: int = 0) -> None:
        """Add the counts of a :meth:`partial` report of the lines after the ``offset``
        lines read so far. Parts merged in file order give the one-core report: sums,
        and the first examples in file order (the first three distinct of a shape are
        among the first three of each part). Only bounded tables that overflowed (over
        ``2 * max_shapes`` 404 shapes, over MAX_METHODS methods or MAX_405_GROUPS groups
        of 405s) may keep other entries than one core would; their totals stay exact."""
        for name in ("lines", "requests", "malformed", "skipped", "counted_lines",
                     "cache_misses"):
            setattr(self, name, getattr(self, name) + part[name])
        for mine, theirs in ((self.hits, part["hits"]), (self.redirects, part["redirects"])):
            for index, count in enumerate(theirs):
                if count:
                    mine[index] += count
        for code, count in part["status"].items():
            self.status[code] = self.status.get(code, 0) + count
        for reason, count in part["reasons"].items():
            self.reasons[reason] = self.reasons.get(reason, 0) + count
        for example in part["malformed_examples"]:
            if len(self.malformed_examples) >= MALFORMED_EXAMPLES:
                break
            self.malformed_examples.append({**example, "line": example["line"] + offset})
        self.shapes.merge(part["shapes"], part["shapes_other"], part["shapes_dropped"])
        for group, (_count, tried, allowed) in part["not_allowed"].items():  # count: the sum
            for method, n in tried.items():
                self._add_405(group, allowed, method, n)

    def close(self) -> None:
        """Stop the worker processes, if any were started (:meth:`read` does it)."""
        if self._resolver is not None:
            self._resolver.close()

    def _count_405(self, answer: tuple, method: str, n: int) -> None:
        self._add_405(answer[1], answer[2], method.upper(), n)

    def _add_405(self, group: tuple, allowed: tuple, upper: str, n: int) -> None:
        """Count ``n`` 405s of ``upper`` (an upper-cased method) on a group of routes."""
        entry = self.not_allowed.get(group)
        if entry is None:
            if len(self.not_allowed) >= MAX_405_GROUPS:
                group = ()
                entry = self.not_allowed.get(group)
            if entry is None:
                entry = self.not_allowed[group] = [0, {}, allowed]
        entry[0] += n
        tried = entry[1]
        if upper not in tried and len(tried) >= MAX_METHODS:
            upper = OTHER_METHOD
        tried[upper] = tried.get(upper, 0) + n

    def _count_refused(self, reason: str, key: tuple, n: int) -> None:
        method, target, host = key[0], key[1], key[2]
        text = f"{method} {target}" + (f" (host {host})" if host else "")
        self.add_malformed(reason, _example(text.translate(_CONTROLS)))
        if n > 1:
            self.lines += n - 1
            self.malformed += n - 1
            self.reasons[reason] += n - 1

    def _resolve(self, akey: tuple | str) -> tuple:
        """The answer to one distinct request: ``(status, rule index or group, detail)``;
        ``akey`` is ``(method, path, host[, websocket])`` or ``"METHOD PATH"`` (no host)."""
        if akey.__class__ is str:
            method, _, path = akey.partition(" ")
            host, websocket = None, False
        else:
            method, path, host = akey[0], akey[1], akey[2]
            websocket = len(akey) == 4 and akey[3]
        if host is None and path[:1] == "/":  # an absolute URL's own host beats the default
            host = self.default_host
        url = self._websocket_url(path, host) if websocket else path
        try:
            result = self.table.match(method, url, host)
        except Exception as error:  # noqa: BLE001 - one hostile line must not end the run
            return _refusal(error)
        return self._answer(result, url, host)

    def _plain_resolver(self) -> Callable[[str], tuple]:
        """:meth:`_resolve` for ``"METHOD PATH"`` keys (the requests of most logs),
        without a tuple or a frame more than the table's own ``match`` per request."""
        if self.default_host is not None:
            return self._resolve
        match = self.table.match  # a Werkzeug table's generated fast path
        ok = self._ok
        answer = self._answer

        def resolve_plain(akey: str) -> tuple:
            method, _, path = akey.partition(" ")
            try:
                result = match(method, path)
            except Exception as error:  # noqa: BLE001 - as in _resolve
                return _refusal(error)
            rule = result.rule
            if result.status == 200 and rule is not None:
                return ok[rule.index]
            return answer(result, path, None)

        return resolve_plain

    def _answer(self, result, url: str, host: str | None) -> tuple:
        """The cached answer of the table's ``result`` for ``url`` on ``host``."""
        code = result.status
        rule = result.rule
        if code == 200:
            return self._ok[rule.index if rule is not None else -1]
        if code == 308:
            return self._redirected[rule.index if rule is not None else -1]
        if code in (301, 307):  # a first-match dialect's slash redirect to the route
            return (code, rule.index if rule is not None else -1, None)
        if code == 405:
            return (405, self._group_405(result, url, host), tuple(result.allowed_methods or ()))
        if code != 404:
            # 400 (websocket mismatch), or what an app converter answered (abort(410), 500).
            return (code, None, None)
        shape_host = result.host if self._shape_hosts else None
        return (404, None, shape(result.path, shape_host))

    def _websocket_url(self, path: str, host: str | None) -> str:
        lowered = path[:8].lower()
        if lowered.startswith("https://"):
            return "wss://" + path[8:]
        if lowered.startswith("http://"):
            return "ws://" + path[7:]
        return f"ws://{host or self.table.settings.server_name or 'localhost'}{path}"

    def _group_405(self, result, url: str, host: str | None) -> tuple:
        """The indices of the routes whose pattern matched a 405's path."""
        allowed = list(result.allowed_methods or ())
        tried = [m for m in allowed if m not in ("HEAD", "OPTIONS")] or allowed
        found: set[int] = set()
        for method in tried:
            try:
                other = self.table.match(method, url, host)
            except RouteError:
                continue
            if other.rule is not None and other.status in (200, 301, 307, 308):
                found.add(other.rule.index)
        if not found:
            try:
                found = {rule.index for rule in self.table.matching_rules(url, host)}
            except Exception:  # noqa: BLE001 - a diagnostic only
                found = set()
        return tuple(sorted(found))

    # -- results -----------------------------------------------------------------------------

    def is_used(self, index: int, min_hits: int = 1) -> bool:
        return self.hits[index] + self.redirects[index] >= min_hits

    def unused_rules(self, min_hits: int = 1) -> list:
        """Routes answering fewer than ``min_hits`` requests, in definition order."""
        return [
            rule
            for rule in self.table.rules
            if not rule.build_only and not self.is_used(rule.index, min_hits)
        ]

    def status_counts(self) -> dict[str, int]:
        counts = {str(code): self.status.get(code, 0) for code in (200, 308, 404, 405)}
        for code, count in sorted(self.status.items()):
            if str(code) not in counts and count:
                counts[str(code)] = count
        return counts

    def endpoints(self) -> list[dict[str, Any]]:
        """Endpoints that answered, most hits first; ``share`` is hits / requests."""
        totals: dict[str, list[int]] = {}
        for rule in self.table.rules:
            hits, redirects = self.hits[rule.index], self.redirects[rule.index]
            if hits or redirects:
                entry = totals.setdefault(str(rule.endpoint), [0, 0])
                entry[0] += hits
                entry[1] += redirects
        requests = self.requests or 1
        ranked = sorted(totals.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
        return [
            {
                "endpoint": endpoint,
                "hits": hits,
                "redirects": redirects,
                "share": round(hits / requests, 6),
            }
            for endpoint, (hits, redirects) in ranked
        ]

    def method_not_allowed(self) -> list[dict[str, Any]]:
        """405s per group of routes, most first."""
        rules = self.table.rules
        out = []
        for group, (count, tried, allowed) in self.not_allowed.items():
            routes = [route_ref(rules[i], methods=False) for i in group]
            first = routes[0] if routes else {"rule": None, "endpoint": None, "source": None}
            out.append(
                {
                    **first,
                    "routes": routes,
                    "allowed": list(allowed),
                    "methods_tried": dict(sorted(tried.items(), key=lambda kv: (-kv[1], kv[0]))),
                    "count": count,
                }
            )
        out.sort(key=lambda entry: (-entry["count"], str(entry["rule"])))
        return out

    def to_dict(self, top: int | None = None, min_hits: int = 1) -> dict[str, Any]:
        """The JSON object of docs/coverage.md#json-fields, plus extra keys.

        ``top`` limits the lists of unmatched shapes, 405 groups and endpoints (None or 0:
        all that are kept); ``routes`` and ``unused`` are always complete.
        """
        limit = top or None
        rules = self.table.rules
        unmatched = self.shapes.most_common(limit)
        listed = sum(count for _, count, _ in unmatched)
        not_allowed = self.method_not_allowed()
        endpoints = self.endpoints()
        return {
            "lines": self.lines,
            "counted_lines": self.counted_lines,
            "requests": self.requests,
            "malformed": self.malformed,
            "status": self.status_counts(),
            "routes": [
                {**route_ref(rule), "hits": self.hits[rule.index],
                 "redirects": self.redirects[rule.index]}
                for rule in rules
            ],
            "unused": [
                route_ref(rule, methods=False) for rule in self.unused_rules(min_hits)
            ],
            "unmatched": [
                {"shape": key, "count": count, "examples": examples}
                for key, count, examples in unmatched
            ],
            # extras
            "unmatched_other": self.status.get(404, 0) - listed,
            "method_not_allowed": not_allowed[:limit] if limit else not_allowed,
            "endpoints": endpoints[:limit] if limit else endpoints,
            "min_hits": min_hits,
            "used_routes": sum(
                1 for rule in rules if not rule.build_only and self.is_used(rule.index, min_hits)
            ),
            "skipped": self.skipped,
            "malformed_reasons": dict(
                sorted(self.reasons.items(), key=lambda kv: (-kv[1], kv[0]))
            ),
            "malformed_examples": list(self.malformed_examples),
            "formats": dict(self.formats),
            "bytes_read": self.bytes_read,
        }


def answer_key(key: tuple, websocket: bool) -> tuple:
    """The cache key of a counted request key: its path without query or fragment, and,
    for a table with websocket rules, whether it was a websocket (logged status 101)."""
    target = key[1]
    path = target.partition("#")[0].partition("?")[0]
    if websocket:
        return (key[0], path, key[2], key[3] == 101)
    return (key[0], path, key[2])


def plain_answer_key(request: str) -> str:
    """:func:`answer_key` of a ``"METHOD TARGET"`` key (a request without a host)."""
    method, _, target = request.partition(" ")
    return f"{method} {target.partition('#')[0].partition('?')[0]}"


def _refusal(error: Exception) -> tuple:
    """The answer to a request the table raised on: refused (a malformed line, with the
    reason), except the app's ``sys.exit()``, which ends the run as in ``match``
    (exit-codes.md)."""
    if isinstance(error, AppExit):
        raise error
    if isinstance(error, RouteError):
        message = error.message
        if message.startswith("invalid HTTP method"):
            return (0, None, "invalid method")
        if message.startswith("invalid host"):
            return (0, None, "invalid host")
    return (0, None, "cannot be answered")


def analyze(
    table,
    paths: Iterable[str],
    fmt: str = "auto",
    json_fields: dict | None = None,
    host: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    **options: Any,
) -> CoverageReport:
    """Read the logs at ``paths`` and return the filled :class:`CoverageReport`."""
    return CoverageReport(table, host=host, **options).read(paths, fmt, json_fields, on_progress)
