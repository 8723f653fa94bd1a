"""Coverage of a route table by real traffic: hits per route, dead routes, 404 shapes.

:class:`CoverageReport` matches a stream of requests (from :mod:`routecli.coverage.logs`
or anywhere else) against a route table and counts what happened
(:mod:`routecli.coverage.counting`: what is counted, and how fast);
:meth:`CoverageReport.to_dict` is the JSON object of docs/coverage.md#json-fields.
:func:`analyze` reads log files and returns the filled report. With ``jobs``, big batches
and big files are answered on worker processes (:mod:`routecli.coverage.parallel`), with
the same report as on one core.

Used and unused routes
  A route is *used* when ``hits + redirects >= min_hits`` (default 1: it answered at least
  once). ``unused`` lists the other routes, in definition order, except ``build_only``
  routes, which exist for URL building and can never answer a request.

Unmatched requests (404) by shape
  See :mod:`routecli.coverage.shapes`.

405s by route
  A 405 is attributed to the routes whose pattern matched the path (found by asking the
  table again with each allowed method), with the methods that were tried and their counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from routecli.coverage.counting import BATCH, CACHE_SIZE, RequestTally
from routecli.coverage.parallel import Resolver, cpu_jobs, file_parts
from routecli.coverage.shapes import MAX_SHAPES, ShapeCounter, shape
from routecli.routing.serialize import route_ref

__all__ = ["CoverageReport", "ShapeCounter", "analyze", "shape"]


class CoverageReport(RequestTally):
    """Counts of how the requests fed to it were answered by ``table``.

    Feed it with :meth:`read` (log files), :meth:`add_requests` (an iterable of
    ``(method, target, host, status)`` tuples such as :class:`~routecli.coverage.logs.LogRequest`),
    :meth:`add` (one request) and :meth:`add_malformed`; then call :meth:`to_dict`.

    ``host`` is the request host for requests that carry none (default: the table's
    server name, else ``localhost``). ``jobs`` > 1 (0 or None: every core) answers big
    batches on worker processes.
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
        workers = cpu_jobs(jobs)
        resolver = Resolver(table, host or None, workers) if workers > 1 else None
        super().__init__(table, host=host, max_shapes=max_shapes, cache_size=cache_size,
                         batch=batch, resolver=resolver)

    # -- reading logs ------------------------------------------------------------------------

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

    def _parts(self, path: str, fmt: str) -> list[tuple[int, int]] | None:
        """The byte ranges to read ``path`` in on the workers (:func:`file_parts`), or
        None to read it here."""
        if self._resolver is None:
            return None
        return file_parts(path, fmt, self._resolver.jobs)

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

    def close(self) -> None:
        """Stop the worker processes, if any were started (:meth:`read` does it)."""
        if self._resolver is not None:
            self._resolver.close()

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
