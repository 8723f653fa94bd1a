"""Read access logs as a stream of requests, for ``routecli coverage``.

Entry points: :func:`read_requests` (just the requests) and :class:`LogReader` (the same
stream, plus counters). Both take paths (``"-"`` is standard input), read them in order,
and yield one :class:`LogRequest` per logged request (a ``CountedRequest`` per line of
pre-aggregated ``counts``). The bytes come in batches of lines
from :mod:`routecli.coverage.streams` (files, stdin, gzip, the line cap); each line is
parsed by its file's format from :mod:`routecli.coverage.log_formats` (counts:
:mod:`routecli.coverage.counts_format`). Blank lines and
lines starting with ``#`` are skipped silently; every other line is a *data line*, and
each data line is either a request or malformed.

Malformed data lines (``Malformed.reason``): the reasons of the line formats
(:mod:`routecli.coverage.log_formats`, :mod:`routecli.coverage.counts_format`), ``not a
METHOD URL line`` (plain format), and the
lines the stream lost (``line too long``, ``unsupported compression (xz)``, ``truncated
gzip data``, ``corrupt gzip data``, ``corrupt gzip data (checksum mismatch)``, ``trailing garbage after gzip data``, ``gzip data
expands over 100:1``, ``no line end in 16 MiB``; see :mod:`routecli.coverage.streams`),
and ``NOT_A_LOG`` for an endless input that is nearly all malformed.
After a damaged or hostile stream reading goes on with the next file. A missing or unreadable file raises :class:`routecli.errors.RouteError`
(checked for every path before anything is read).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from operator import itemgetter
from typing import NamedTuple

from routecli.coverage.counts_format import CountedRequest, CountsParser
from routecli.coverage.log_formats import (
    DETECT_LINES,
    FORMATS,
    TCHAR,
    JsonParser,
    LogRequest,
    clean_target,
    clf_fast,
    clf_line,
    clf_scan,
    detect_format,
    request_problem,
)
from routecli.coverage.streams import (
    MAX_RUN,
    StreamError,
    check_readable,
    line_batches,
    open_inputs,
    range_chunks,
    read_chunks,
)
from routecli.errors import RouteError
from routecli.routing.urls import split_request

EXCERPT = 200  # bytes of a malformed line kept in Malformed.text
# An input that may never end (a pipe, a device) and is nearly all malformed after this
# many lines is not an access log (``/dev/urandom``): it ends as one malformed line.
NOISE_LINES = 100_000
NOT_A_LOG = "not an access log: over 90% of 100,000 lines malformed"


class Malformed(NamedTuple):
    """A data line that holds no usable request."""

    file: str  # the path as given, "<stdin>" for standard input
    line: int  # 1-based
    reason: str  # one of the fixed reasons listed in the module docstring
    text: str  # the line: invalid UTF-8 replaced, controls escaped, cut to ~EXCERPT chars



# --- plain --------------------------------------------------------------------------------

_PLAIN_FAST = re.compile(r"(?!#)(?:(" + TCHAR + r"+) +)?((?:/|https?://)[!-~]*)\r?")


def _plain_line(line: bytes) -> LogRequest | str | None:
    """Slow path for one ``METHOD URL`` / ``URL`` line."""
    stripped = line.strip()
    if not stripped or stripped[0] == 0x23:
        return None
    if b"\0" in stripped:
        return "binary data"
    parts = stripped.decode("utf-8", "surrogateescape").split()
    if len(parts) == 3 and parts[2].startswith("HTTP/"):
        del parts[2]  # logs may keep the protocol of the request line
    request = split_request(parts)
    if request is None:
        return "not a METHOD URL line"
    method, target = request
    problem = request_problem(method, target)
    if problem:
        return problem
    return LogRequest(method, clean_target(target), None, None)



_CONTROL_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}
_PARTIAL_ESCAPE = re.compile(r"\\(?:x[0-9a-f]?)?$")  # an escape cut in two by the excerpt


def _excerpt(line: str) -> str:
    """The start of ``line`` (bytes as latin-1 text) as safe text for Malformed.text."""
    line = line.removesuffix("\r")
    cut = line[:EXCERPT].encode("latin-1")
    text = cut.decode("utf-8", "replace").translate(_CONTROL_ESCAPES)
    if len(text) <= EXCERPT and len(line) <= EXCERPT:
        return text
    return _PARTIAL_ESCAPE.sub("", text[:EXCERPT]) + "..."


def _plain_fast(line: str, new=tuple.__new__) -> LogRequest | None:
    """The common plain ``METHOD URL`` / ``URL`` line, or None for the careful parser."""
    m = _PLAIN_FAST.fullmatch(line)
    if m is None:
        return None
    method, target = m.groups()
    return new(LogRequest, (method or "GET", target, None, None))


class LogReader:
    """Reads access logs as :class:`LogRequest` objects and counts what it saw.

    Counters (final once the iterator from :meth:`read` is exhausted or closed):
    ``lines`` data lines seen (``== requests + malformed``), ``requests``, ``malformed``,
    ``skipped`` blank and ``#`` lines, ``reasons`` malformed count per reason,
    ``bytes_read`` bytes read from the files (compressed bytes for gzip), ``formats`` the
    format used for each file. They add up over several calls of :meth:`read`.
    ``on_malformed`` gets every :class:`Malformed` line as it is met; ``on_progress`` gets
    ``bytes_read`` after each chunk read.
    """

    def __init__(
        self,
        fmt: str = "auto",
        json_fields: dict | None = None,
        on_malformed: Callable[[Malformed], None] | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        if fmt not in FORMATS:
            raise RouteError(f"unknown log format {fmt!r} (choose from {', '.join(FORMATS)})")
        self.fmt = fmt
        self._json_fields = json_fields
        self._json_parser: JsonParser | None = None
        if fmt == "json" or json_fields:
            self._json_parser = JsonParser(json_fields)  # bad field names fail early
        self._on_malformed = on_malformed
        self._on_progress = on_progress
        self._physical = 0  # data, blank and comment lines, and lost gzip tails
        self.skipped = 0
        self.malformed = 0
        self.reasons: dict[str, int] = {}
        self.bytes_read = 0
        self.formats: dict[str, str] = {}
        self._noise_check: tuple[int, int] | None = None  # endless stream: (physical, malformed) at its start

    @property
    def lines(self) -> int:
        """Data lines seen: every line but blank and ``#`` lines."""
        return self._physical - self.skipped

    @property
    def requests(self) -> int:
        """Requests yielded."""
        return self._physical - self.skipped - self.malformed

    def read(self, paths: Iterable[str]) -> Iterator[LogRequest]:
        """Check that every path can be read, then return the stream of their requests."""
        return self._read_all(check_readable(paths))

    def read_keys(self, paths: Iterable[str], batch: int = 65536) -> Iterator[dict]:
        """The same requests counted by key, in Counters of about ``batch`` lines each
        (what ``coverage`` needs: no request object per line). A key is ``(method,
        target, host)``; for a request without a host it may be the string ``"METHOD
        TARGET"`` instead (a common/combined log's usual lines: no tuple per request)."""
        return self._read_all(check_readable(paths), batch)

    # -- plumbing ---------------------------------------------------------------------------

    def _read_all(self, paths: list[str], counted: int | None = None) -> Iterator:
        for name, read, endless in open_inputs(paths):
            yield from self._read_stream(name, read, endless, counted)

    def read_part(self, path: str, start: int, end: int, counted: int | None = None
                  ) -> Iterator:
        """:meth:`read` (or, with ``counted``, :meth:`read_keys`) of the lines of an
        uncompressed regular file that start in the byte range ``[start, end)`` (see
        :func:`~routecli.coverage.streams.range_chunks`); the format must be given, not
        ``auto``. Line numbers count from the range's first line: add the lines of the
        ranges before it (``_physical``) to place them in the file."""
        with open(path, "rb", buffering=0) as file:
            chunks = range_chunks(file, start, end, self._count_bytes)
            yield from self._read_chunks(path, chunks, False, counted, bom=start == 0)

    def _read_stream(self, name: str, read: Callable[[int], bytes], endless: bool = False,
                     counted: int | None = None) -> Iterator:
        chunks = read_chunks(name, read, self._count_bytes)
        return self._read_chunks(name, chunks, endless, counted)

    def _read_chunks(self, name: str, chunks: Iterator[bytes], endless: bool,
                     counted: int | None, bom: bool = True) -> Iterator:
        def lost(lineno: int, reason: str, line: str) -> None:
            self._physical += 1
            self._report(name, lineno, reason, line)

        fmt = self.fmt
        if fmt == "auto":
            fmt, chunks = _detect(chunks, bom)
        self.formats[name] = fmt
        # common/combined keys are scanned from the chunk's text (_count_clf)
        scan = clf_scan if counted and fmt in ("combined", "common") else None
        batches = line_batches(chunks, lost, MAX_RUN if endless else None, bom, scan)
        self._noise_check = (self._physical, self.malformed) if endless else None
        try:
            yield from self._parse_stream(name, batches, counted, fmt)
        except _NotALog as stop:
            self._noise_check = None
            lost(stop.lineno, NOT_A_LOG, "")
        finally:
            self._noise_check = None

    def _parse_stream(self, name: str, batches, counted: int | None, fmt: str) -> Iterator:
        """The requests of one input; with ``counted``, Counters of their keys instead."""
        if fmt in ("combined", "common"):
            if counted:
                yield from self._count_clf(name, batches, counted)
                return
            requests = self._parse_lines(name, batches, clf_line, clf_fast)
        elif fmt == "counts":
            requests = self._parse_lines(name, batches, CountsParser(self._json_fields),
                                         request_type=CountedRequest)
        elif fmt == "json":
            if self._json_parser is None:
                self._json_parser = JsonParser(self._json_fields)
            requests = self._parse_lines(name, batches, self._json_parser)
        else:
            requests = self._parse_lines(name, batches, _plain_line, _plain_fast)
        if not counted:
            yield from requests
            return
        keys = map(_KEY, requests)
        while counts := Counter(islice(keys, counted)):  # counted in C
            yield counts

    def _count_bytes(self, size: int) -> None:
        self.bytes_read += size
        if self._on_progress is not None:
            self._on_progress(self.bytes_read)

    def _report(self, name: str, lineno: int, reason: str, line: str) -> None:
        self.malformed += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1
        if self._on_malformed is not None:
            self._on_malformed(Malformed(name, lineno, reason, _excerpt(line)))
        if self._noise_check is not None:
            physical, malformed = self._noise_check
            bad = self.malformed - malformed
            # lines of this stream so far: counted per batch, so the current batch is a
            # lower bound (bad lines); judged only once NOISE_LINES are bad
            if bad >= NOISE_LINES and bad * 10 > max(self._physical - physical, bad) * 9:
                raise _NotALog(lineno)

    def _settle(self, result: object, name: str, lineno: int, line: str) -> None:
        """Count a line the slow path did not turn into a request."""
        if result is None:
            self.skipped += 1
        else:
            self._report(name, lineno, result, line)

    # -- the hot loops: one per format, everything per line kept inline --------------------

    def _parse_lines(self, name: str, batches, parse, fast=None, request_type=LogRequest
                     ) -> Iterator[LogRequest]:
        """Requests from batches of lines: ``fast`` (a request from the usual shape of
        line, else None) is tried on the text first, then ``parse`` on the raw bytes;
        anything else is settled as malformed at its line number."""
        start = lineno = 0
        try:
            for start, lines in batches:
                lineno = start - 1
                for line in lines:
                    lineno += 1
                    if fast is not None:
                        request = fast(line)
                        if request is not None:
                            yield request
                            continue
                    result = parse(line.encode("latin-1"))
                    if result.__class__ is request_type:
                        yield result
                    else:
                        self._settle(result, name, lineno, line)
                self._physical += len(lines)
                start = lineno = 0
        finally:
            if start:  # stopped inside a batch: count the lines handed out so far
                self._physical += lineno - start + 1


    def _count_clf(self, name: str, batches, size: int) -> Iterator[dict]:
        """Counts of the request keys of a common/combined log: the usual lines are
        taken by one ``findall`` per batch of lines (``clf_scan``) and counted in C; the
        others one by one, by the parsers :meth:`_parse_lines` uses (a vhost, an escape,
        a malformed line), in line order."""
        found: list[str] = []  # "METHOD TARGET" per line, "" for the other lines
        keys: list[tuple] = []  # keys of the requests on the other lines
        try:
            for start, scanned in batches:
                taken = list(map(_FIRST, scanned))
                found += taken
                if "" in taken:
                    self._other_lines(name, start, scanned, taken, found, keys)
                self._physical += len(taken)
                if len(found) >= size:
                    yield _counted_keys(found, keys)
                    found, keys = [], []
        except _NotALog:
            yield _counted_keys(found, keys)  # the requests before the stop
            raise
        if found or keys:
            yield _counted_keys(found, keys)

    def _other_lines(self, name: str, start: int, scanned: list[tuple[str, str]],
                     taken: list[str], found: list[str], keys: list) -> None:
        """Settle the lines of a batch that ``clf_scan`` did not take."""
        index = -1
        find = taken.index  # to the next "" in C: most lines were taken
        try:
            while True:
                try:
                    index = find("", index + 1)
                except ValueError:
                    break
                line = scanned[index][1]
                request = clf_fast(line) or clf_line(line.encode("latin-1"))
                if request.__class__ is LogRequest:
                    keys.append(request[:3] if request[2] is not None
                                else f"{request[0]} {request[1]}")
                else:
                    self._settle(request, name, start + index, line)
        except _NotALog:  # the lines after the stop were never read
            del found[len(found) - len(taken) + index + 1 :]
            self._physical += index + 1
            raise


def _counted_keys(found: list[str], keys: list) -> Counter:
    """Counts per request key: the ``"METHOD TARGET"`` strings (counted in C, ``""``
    left out) and the keys of requests read one by one."""
    counts = Counter(found)
    counts.pop("", None)
    for key in keys:
        counts[key] += 1
    return counts


_KEY = itemgetter(0, 1, 2)  # a request's key: (method, target, host)
_FIRST = itemgetter(0)  # clf_scan's key of a line


class _NotALog(Exception):
    """An endless input that is nearly all malformed: stop reading it."""

    def __init__(self, lineno: int) -> None:
        super().__init__(lineno)
        self.lineno = lineno


DETECT_BYTES = 2 * 1024 * 1024  # at most this much of an input is held back to tell its format


def _detect(chunks: Iterator[bytes], bom: bool = True) -> tuple[str, Iterator[bytes]]:
    """The format of an input (``auto``) from its first lines, and its chunks again. The
    first chunks (up to eight ending lines, at most DETECT_BYTES) are held back until
    enough lines voted; lines are only
    cut out of them afterwards, so lines lost on the way (too long) are reported in order
    with the others."""
    head: list[bytes] = []
    fmt = "auto"  # no line at all: read as plain, named auto
    ended = size = 0  # chunks that ended a line, bytes held
    try:
        for chunk in chunks:
            head.append(chunk)
            size += len(chunk)
            if b"\n" not in chunk and size < DETECT_BYTES:
                continue
            ended += 1
            data = b"".join(head)
            if bom:
                data = data.removeprefix(b"\xef\xbb\xbf")
            lines = data.split(b"\n")
            lines.pop()  # a line not ended yet
            fmt, seen = _vote(lines)
            if seen == DETECT_LINES or ended == 8 or size >= DETECT_BYTES:
                return fmt, _chain(head, chunks)
        if head:  # the whole input was read: its last line counts too
            data = b"".join(head)
            fmt = _vote((data.removeprefix(b"\xef\xbb\xbf") if bom else data).split(b"\n"))[0]
    except StreamError as error:  # raised again where line_batches reports it
        return fmt, _chain(head, _raise(error))
    return fmt, iter(head)


def _vote(lines: list[bytes]) -> tuple[str, int]:
    from routecli.coverage.streams import MAX_LINE

    return detect_format(line.decode("latin-1") for line in lines if len(line) <= MAX_LINE)


def _raise(error: Exception) -> Iterator[bytes]:
    raise error
    yield b""  # a generator: the error comes when it is read


def detect_file_format(path: str) -> str:
    """The format ``auto`` finds for a regular file, from its first lines."""
    with open(path, "rb", buffering=0) as file:
        return _detect(read_chunks(path, file.read, lambda size: None))[0]


def _chain(head: list, rest: Iterator) -> Iterator:
    yield from head
    yield from rest


def read_requests(
    paths: list[str],
    fmt: str = "auto",
    json_fields: dict | None = None,
    on_malformed: Callable[[Malformed], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[LogRequest]:
    """The requests of the logs at ``paths``, in order; use :class:`LogReader` for counters."""
    return LogReader(fmt, json_fields, on_malformed, on_progress).read(paths)
