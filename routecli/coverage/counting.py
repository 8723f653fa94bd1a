"""Counting how the requests fed in were answered: the loop under ``coverage``.

Counting
  Every request is answered exactly as the table's ``match`` answers it
  (:mod:`routecli.coverage.answers`). ``hits`` of a route counts the requests it answered
  (200, including HEAD through GET and Flask's automatic OPTIONS); ``redirects`` those it
  answered with a 308 (strict-slash, merge-slashes, defaults, alias and ``redirect_to``
  redirects; the route is the one that redirected). ``status`` counts every request by
  outcome: 200, 308, 404, 405, and only when they happen 400 (a websocket rule asked
  without a websocket, or the reverse; a host outside ``trusted_hosts``) and the status a
  Python app's own code answers when it fails (500, or what a converter's ``abort()``
  raised), as ``routecli match`` does. A request the table refuses outright counts as a
  malformed line, never as a request: reason ``invalid host`` (a host that is no valid
  host name), ``invalid method``, or ``cannot be answered`` (anything else the table
  raises on). So ``lines == requests + malformed`` for logs and ``requests ==
  sum(status.values())``. Pre-aggregated counts are lines too, but one line stands for
  ``count`` requests: ``counted_lines`` says how many lines were counts, and for such an
  input ``lines == counted_lines + malformed`` (a counts line the table refuses is one
  malformed line, whatever its count).

  Access logs do not record ``Upgrade: websocket``; when the table has websocket rules, a
  request logged with status 101 (Switching Protocols) is matched as a websocket request.

Speed and memory
  Requests are counted in batches of :data:`BATCH` by ``(method, target, host)`` in C
  (``collections.Counter``); each distinct key of a batch is then answered once. Answers
  are cached per ``(method, path, host)`` (the query string never changes an outcome that
  is counted) in a two-generation dict of at most ``2 * cache_size`` entries, except the
  200s a Werkzeug table's ``match_index`` finds for a request seen once in its batch:
  such a request is seldom seen again (5-21% of them on the bench's logs), and storing it
  (the dict's growth, its misses in the CPU cache) costs nearly half of finding the rule
  again; logs of many unique requests are mostly those. Memory is
  bounded by ``BATCH``, ``cache_size``, ``max_shapes`` and the size of the table, whatever
  the size of the logs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import islice
from operator import itemgetter
from typing import Any

from routecli.coverage.answers import Answerer, answer_key, plain_answer_key
from routecli.coverage.shapes import CONTROLS, MAX_SHAPES, ShapeCounter, example

BATCH = 65536  # requests counted together before their distinct keys are answered
CACHE_SIZE = 65536  # entries per generation of the answer cache
MALFORMED_EXAMPLES = 5  # malformed lines kept as examples
MAX_METHODS = 32  # distinct methods counted per 405 group; more are counted as "*other*"
MAX_405_GROUPS = 10000  # distinct 405 groups; more are counted in one "unknown" group

OTHER_METHOD = "*other*"


class RequestTally:
    """The counts of how the requests fed to it were answered by ``table``, and the loop
    that adds them up. Feed it with :meth:`add_requests` (an iterable of ``(method, target,
    host, status)`` tuples such as :class:`~routecli.coverage.logs.LogRequest`),
    :meth:`add_counts` (pre-aggregated requests), :meth:`add` (one request),
    :meth:`add_malformed` and :meth:`read_part`; :meth:`partial` and :meth:`merge` carry
    the counts of a part of a file from a worker process.

    ``host`` is the request host for requests that carry none (default: the table's
    server name, else ``localhost``). ``resolver``, when given, answers the new requests
    of a big batch on worker processes (:class:`routecli.coverage.parallel.Resolver`).
    """

    def __init__(
        self,
        table,
        *,
        host: str | None = None,
        max_shapes: int = MAX_SHAPES,
        cache_size: int = CACHE_SIZE,
        batch: int = BATCH,
        resolver=None,
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
        self._websocket = any(rule.websocket for rule in rules)
        self._answers = Answerer(table, self.default_host)
        self._cache: dict[tuple, tuple] = {}
        self._old: dict[tuple, tuple] = {}
        self.cache_misses = 0
        self._resolver = resolver

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
        a file read on every core (``CoverageReport.read``)."""
        from routecli.coverage.logs import LogReader

        reader = LogReader(fmt, json_fields, self._reader_malformed)
        self._consume(reader, reader.read_part(path, start, end),
                      reader.read_part(path, start, end, self.batch))
        self.skipped += reader.skipped
        return reader._physical

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
        resolve = self._answers.resolve
        resolve_plain = self._answers.plain_resolver()
        websocket = self._websocket
        requests = ok = misses = 0
        refused = []
        if self._resolver is not None:  # a big batch's new requests, on the workers
            prefetched = self._resolver.prefetch(counts, cache, old, websocket, resolve)
            if prefetched is not None:
                resolve = resolve_plain = prefetched
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
                    if n == 1 and answer.__class__ is int:
                        # match_index's 200 for a request seen once in its batch: seldom
                        # asked again (an ID in the path), and storing it costs nearly
                        # half of finding it again, so it is not kept
                        hits[answer] += 1
                        ok += 1
                        continue
                cache[akey] = answer
                if len(cache) >= limit:
                    self._old = old = cache
                    self._cache = cache = {}
                    cache_get, old_get = cache.get, old.get
            if answer.__class__ is int:  # status 200 by that rule (plain_resolver)
                hits[answer] += n
                ok += n
                continue
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
                add_shape(answer[2], n, example(target))
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
        for malformed in part["malformed_examples"]:
            if len(self.malformed_examples) >= MALFORMED_EXAMPLES:
                break
            self.malformed_examples.append({**malformed, "line": malformed["line"] + offset})
        self.shapes.merge(part["shapes"], part["shapes_other"], part["shapes_dropped"])
        for group, (_count, tried, allowed) in part["not_allowed"].items():  # count: the sum
            for method, n in tried.items():
                self._add_405(group, allowed, method, n)


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
        self.add_malformed(reason, example(text.translate(CONTROLS)))
        if n > 1:
            self.lines += n - 1
            self.malformed += n - 1
            self.reasons[reason] += n - 1
