"""The ``counts`` input format: pre-aggregated requests, one line to one counted request.

One distinct request per line with how many times it was made, as a ``GROUP BY`` in a
warehouse writes them; yields :class:`CountedRequest` (:class:`CountsParser`, one per
file). Per file, its first data line tells the shape: ``{`` starts JSON lines (the ``json``
format's field names, :data:`~routecli.coverage.log_formats.JSON_FIELDS`, plus a count
field, :data:`COUNT_FIELDS`); a line with a comma is the header of a CSV file, whose
columns are named like those fields (case ignored); else ``METHOD URL COUNT`` lines
(whitespace-separated). A count is a positive decimal integer. Never detected by
``auto``.

A line's request is checked and cleaned as in every log format
(:mod:`routecli.coverage.log_formats`); the reasons of its own malformed lines are ``not
a METHOD URL COUNT line``, ``invalid count``, ``no count field``, ``invalid CSV line`` and
``CSV header without method, URL and count columns``.
"""

from __future__ import annotations

from typing import NamedTuple

from routecli.coverage.log_formats import (
    JSON_FIELDS,
    JsonParser,
    clean_target,
    field_spec,
    field_value,
    request_problem,
)

# Field names tried, in order, for the count of a pre-aggregated JSON line or CSV column.
COUNT_FIELDS = ("count", "requests", "hits", "n", "cnt", "total", "count_star()", "count(*)")


class CountedRequest(NamedTuple):
    """One distinct request of a pre-aggregated input, and how many times it was made."""

    method: str
    target: str
    host: str | None
    status: int | None
    count: int


MAX_COUNT_DIGITS = 18  # ~10^18 requests per line: more than any log, still a small int


def counts_line(line: bytes) -> CountedRequest | str | None:
    """One ``METHOD URL COUNT`` line of pre-aggregated requests."""
    stripped = line.strip()
    if not stripped or stripped[0] == 0x23:
        return None
    if b"\0" in stripped:
        return "binary data"
    parts = stripped.decode("utf-8", "surrogateescape").split()
    if len(parts) != 3:
        return "not a METHOD URL COUNT line"
    return _counted(parts[0], parts[1], None, parts[2])


def _counted(method: str, target: str, host: str | None, count) -> CountedRequest | str:
    """A counted request from its fields (the count as text or a JSON number)."""
    if count.__class__ is str:
        if not (count.isascii() and count.isdigit()) or len(count) > MAX_COUNT_DIGITS:
            return "invalid count"
        count = int(count)
    elif count.__class__ is not int or count >= 10 ** MAX_COUNT_DIGITS:
        return "invalid count"  # bools, floats, strings of digits only
    if count <= 0:
        return "invalid count"
    problem = request_problem(method, target)
    if problem:
        return problem
    return CountedRequest(method, clean_target(target), host, None, count)


class CountsParser:
    """One file of pre-aggregated requests: its first data line says which shape it has
    (JSON lines, CSV with a header, ``METHOD URL COUNT``); one parser per file."""

    def __init__(self, json_fields: dict | None = None) -> None:
        self._json_fields = json_fields
        self._parse = self._first_line
        self._columns: tuple[int, int, int | None, int] | None = None

    def __call__(self, line: bytes) -> CountedRequest | str | None:
        return self._parse(line)

    def _first_line(self, line: bytes) -> CountedRequest | str | None:
        stripped = line.strip()
        if not stripped or stripped[0] == 0x23:
            return None
        if stripped[0] == 0x7B:  # "{"
            self._parse = _CountedJson(self._json_fields)
        elif b"," in stripped:
            self._parse = self._csv_row
            return self._csv_header(stripped)
        else:
            self._parse = counts_line
        return self._parse(line)

    def _csv_header(self, line: bytes) -> str | None:
        names = [name.strip().lower() for name in _csv_fields(line) or ()]

        def column(candidates) -> int | None:
            for candidate in candidates:
                if candidate.lower() in names:
                    return names.index(candidate.lower())
            return None

        method = column(JSON_FIELDS["method"])
        url = column(JSON_FIELDS["url"])
        count = column(COUNT_FIELDS)
        if method is None or url is None or count is None:
            return "CSV header without method, URL and count columns"
        self._columns = (method, url, column(JSON_FIELDS["host"]), count)
        return None

    def _csv_row(self, line: bytes) -> CountedRequest | str | None:
        stripped = line.strip()
        if not stripped or stripped[0] == 0x23:
            return None
        if self._columns is None:
            return "CSV header without method, URL and count columns"
        if b"\0" in stripped:
            return "binary data"
        fields = _csv_fields(stripped)
        method, url, host, count = self._columns
        if fields is None or len(fields) <= max(method, url, count, host or 0):
            return "invalid CSV line"
        host_name = None if host is None else fields[host] or None
        return _counted(fields[method], fields[url], host_name, fields[count].strip())


def _csv_fields(line: bytes) -> list[str] | None:
    """The fields of one CSV line (RFC 4180 quoting), or None when it is not CSV."""
    import csv  # only CSV counts need it

    try:
        return next(csv.reader([line.decode("utf-8", "surrogateescape")], strict=True))
    except (csv.Error, StopIteration):
        return None


class _CountedJson:
    """One JSON object per line: a request (the ``json`` format's fields) and its count."""

    def __init__(self, json_fields: dict | None) -> None:
        self._request = JsonParser(json_fields)
        self._count = field_spec(COUNT_FIELDS)

    def __call__(self, line: bytes) -> CountedRequest | str | None:
        request = self._request(line)
        if request is None or request.__class__ is str:
            return request
        obj = self._request.last_object
        count = field_value(obj, self._count, (int, str, float))  # a float: an invalid count
        if count is None:
            # a count field holding true, null, a list or "" is there, only not a count
            present = any(name in obj for name, _path in self._count)
            return "invalid count" if present else "no count field"
        return _counted(request.method, request.target, request.host, count)
