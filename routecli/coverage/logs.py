"""Read access logs as a stream of requests, for ``routecli coverage``.

Entry points: :func:`read_requests` (just the requests) and :class:`LogReader` (the same
stream, plus counters). Both take paths (``"-"`` is standard input), read them in order in
binary chunks, and yield one :class:`LogRequest` per logged request. Memory stays flat:
one chunk and at most one partial line (``MAX_LINE``) are held at a time.

Input
  Files are read as bytes. A file or standard input that starts with the gzip magic bytes
  ``1f 8b`` is decompressed on the fly (several concatenated members are fine); the file
  name does not matter. bzip2, xz and zstd data are not read: such a file counts as one
  malformed line, ``unsupported compression (xz)``. A UTF-8 byte order mark is dropped.
  Lines end with ``\\n`` (a ``\\r`` before it is ignored). Blank lines and lines starting
  with ``#`` are skipped silently; every other line is a *data line*, and each data line
  is either a request or malformed.

Formats (``fmt``)
  ``auto``      per file, by a vote of its first 10 data lines: ``json`` for lines that
                start with ``{``, ``combined`` for lines of the common-log shape, else
                ``plain``; ties go to json, then combined.
  ``combined``, ``common``
                nginx/Apache ``host ident user [date] "request" status bytes`` with any
                trailing fields (referer, user agent, X-Forwarded-For, request time...).
                A leading ``vhost:port`` (Apache ``vhost_combined``) fills ``host``, without
                a default port (80, 443). Escapes in the quoted request are undone
                (nginx ``\\x22``, Apache ``\\"`` and ``\\\\``). The two names are synonyms.
  ``json``      one JSON object per line. Field names are tried in the order of
                ``JSON_FIELDS``; a dotted name is first a literal key, then a path into
                nested objects. A string ``request`` field holding ``"GET /x HTTP/1.1"``
                stands in for a missing method or URL. ``json_fields`` overrides the names
                tried for ``method``, ``url``, ``host`` or ``status``.
  ``plain``     ``METHOD URL`` or ``URL`` (meaning GET), as ``routecli match --batch``;
                ``METHOD URL HTTP/1.1`` is accepted too.

Requests
  ``method`` is an RFC 7230 token, kept as logged (``get`` stays ``get``). ``target`` starts
  with ``/`` or is an absolute ``http(s)://`` URL. Targets are percent-encoded where they
  were not clean: valid UTF-8 is kept as text, but bytes that are not UTF-8, ASCII control
  characters and spaces become ``%XX``, so a matcher that unquotes and decodes as UTF-8
  with replacement (as Werkzeug does) sees what the server saw. A target never contains
  whitespace, control characters or lone surrogates.

Malformed data lines (``Malformed.reason``)
  ``line too long`` (over ``MAX_LINE`` bytes; the rest of it is skipped unread),
  ``binary data`` (a raw NUL byte where the request should be),
  ``not a common/combined log line``, ``no request line`` (``"-"`` or ``""``),
  ``not an HTTP request line`` (e.g. a TLS handshake logged by nginx), ``invalid method``,
  ``invalid target``, ``asterisk-form target`` (``OPTIONS *``: no route can answer it),
  ``authority-form target`` (``CONNECT host:443``), ``invalid JSON``,
  ``not a JSON object``, ``no method field``, ``no URL field``,
  ``not a METHOD URL line``. A damaged gzip stream ends that file and is reported once,
  as one malformed line holding the bytes after the last complete line:
  ``truncated gzip data``, ``corrupt gzip data`` or ``trailing garbage after gzip data``.
  Reading then goes on with the next file. A missing or unreadable file raises
  :class:`routecli.errors.RouteError` (checked for every path before anything is read).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from routecli.errors import RouteError
from routecli.routing.urls import split_request

FORMATS = ("auto", "combined", "common", "json", "plain")
MAX_LINE = 64 * 1024  # longer lines are malformed; bounds the memory one line can take
CHUNK = 256 * 1024  # bytes read (and decompressed) at a time
EXCERPT = 200  # bytes of a malformed line kept in Malformed.text

# Field names tried, in order, for each part of a request in JSON logs. Common shapes: plain
# nginx/Envoy/custom JSON, GCP (httpRequest.*), Caddy (request.*), Elastic Common Schema
# (http.request.method, url.original), Traefik (Request*), Cloudflare (ClientRequest*).
JSON_FIELDS: dict[str, tuple[str, ...]] = {
    "method": (
        "method",
        "request_method",
        "http_method",
        "verb",
        "httpRequest.requestMethod",
        "request.method",
        "http.request.method",
        "RequestMethod",
        "ClientRequestMethod",
    ),
    "url": (
        "url",
        "request_uri",  # before "uri": nginx's $uri is decoded and rewritten, $request_uri raw
        "uri",
        "path",
        "target",
        "request_path",
        "httpRequest.requestUrl",
        "request.url",
        "request.uri",
        "request.path",
        "url.original",
        "url.path",
        "RequestPath",
        "ClientRequestURI",
    ),
    "host": (
        "host",
        "http_host",
        "server_name",
        "httpRequest.host",
        "request.host",
        "authority",
        "url.domain",
        "RequestHost",
        "ClientRequestHost",
    ),
    "status": (
        "status",
        "status_code",
        "response_status",
        "httpRequest.status",
        "response.status",
        "http.response.status_code",
        "response_code",
        "DownstreamStatus",
        "EdgeResponseStatus",
    ),
}


class LogRequest(NamedTuple):
    """One logged request."""

    method: str  # as logged: an RFC 7230 token, not upper-cased
    target: str  # a path with optional query, or an absolute http(s) URL
    host: str | None  # when the log has one (a JSON field, a vhost)
    status: int | None  # the logged status, informational


class Malformed(NamedTuple):
    """A data line that holds no usable request."""

    file: str  # the path as given, "<stdin>" for standard input
    line: int  # 1-based
    reason: str  # one of the fixed reasons listed in the module docstring
    text: str  # the line: invalid UTF-8 replaced, controls escaped, cut to ~EXCERPT chars


# --- request-line pieces shared by every format -------------------------------------------

_TCHAR = r"[!#$%&'*+.^_`|~0-9A-Za-z-]"  # RFC 7230 token characters
_TOKEN = re.compile(_TCHAR + "+")
_PROTOCOL = re.compile(r"HTTP/[0-9](?:\.[0-9])?")
_AUTHORITY = re.compile(r"[^/?#\s@]+:[0-9]+")
_UNCLEAN = re.compile("[\x00-\x20\x7f\ud800-\udfff]")  # what a clean target cannot hold


def _escape_char(m: re.Match[str]) -> str:
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:  # a non-UTF-8 byte kept by surrogateescape
        return f"%{code - 0xDC00:02X}"
    if code >= 0xD800:  # a lone surrogate from a JSON \\uXXXX escape: not encodable
        return "%EF%BF%BD"
    return f"%{code:02X}"


def _clean_target(target: str) -> str:
    """The target with non-UTF-8 bytes, controls and spaces percent-encoded."""
    if _UNCLEAN.search(target) is None:
        return target
    return _UNCLEAN.sub(_escape_char, target)


def _target_problem(method: str, target: str) -> str | None:
    """Why ``target`` is no request target a route could answer, or None."""
    if target.startswith("/"):
        return None
    lowered = target[:8].lower()
    if (lowered.startswith("http://") and len(target) > 7) or (
        lowered == "https://" and len(target) > 8
    ):
        return None
    if target == "*":
        return "asterisk-form target"
    if method.upper() == "CONNECT" or _AUTHORITY.fullmatch(target):
        return "authority-form target"
    return "invalid target"


def _split_request(request: str) -> tuple[str, str] | str:
    """``(method, target)`` from ``"GET /x HTTP/1.1"``, or the reason it is malformed."""
    request = request.strip(" ")
    if request in ("", "-"):
        return "no request line"
    method, space, rest = request.partition(" ")
    if not space or _TOKEN.fullmatch(method) is None:
        return "not an HTTP request line"
    rest = rest.strip(" ")
    head, space, last = rest.rpartition(" ")
    if space and _PROTOCOL.fullmatch(last):
        # nginx before 1.21.1 accepted spaces in the URI: keep them (they get encoded)
        target = head.strip(" ")
    elif space:  # neither HTTP/0.9 "GET /x" nor a protocol at the end
        return "not an HTTP request line"
    else:
        target = rest
    if not target:
        return "not an HTTP request line"
    return _target_problem(method, target) or (method, target)


# --- common / combined --------------------------------------------------------------------

# The fast path: the usual shape, a clean ASCII target, nothing escaped. Everything it does
# not take goes to _CLF_LENIENT, which is slower but handles escapes, odd prefixes and
# explains what is wrong. The vhost:port group is lazy: the common 3-field prefix goes first.
_CLF_FAST = re.compile(
    r"(?!#)(?:((?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]):[0-9]+) )??"
    r"[^ \[]\S* [^ \[]\S* [^ \[]\S* \[[^\]]*\] "
    r'"(' + _TCHAR + r'+) ((?:/|https?://)[!#-\[\]-~]*) HTTP/[0-9](?:\.[0-9])?" '
    r"([0-9]{3})(?:[ \r]|$)",
    re.ASCII,
)
_CLF_LENIENT = re.compile(
    rb'((?:\[[0-9A-Fa-f:.]+\])?[^\[]*)\[[^\]]*\] +"((?:[^"\\]|\\.)*)" +([0-9]{3}|-)(?:\s|$)',
    re.DOTALL,
)
_VHOST = re.compile(rb"[A-Za-z0-9._-]+:[0-9]+|\[[0-9A-Fa-f:.]+\]:[0-9]+")
_LOG_ESCAPE = re.compile(rb"\\(x[0-9A-Fa-f]{2}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {
    b'"': b'"',
    b"\\": b"\\",
    b"n": b"\n",
    b"r": b"\r",
    b"t": b"\t",
    b"b": b"\b",
    b"v": b"\v",
    b"f": b"\f",
}
_STATUS = {f"{code:03d}": code for code in range(1000)}


def _unescape_one(m: re.Match[bytes]) -> bytes:
    escape = m.group(1)
    if len(escape) == 3:
        return bytes((int(escape[1:], 16),))
    return _SIMPLE_ESCAPES.get(escape, m.group())


def _vhost_host(vhost: bytes) -> str:
    """The host of an Apache ``%v:%p`` field, without a default port."""
    host = vhost.decode("utf-8", "replace")
    name, colon, port = host.rpartition(":")
    if colon and name and port in ("80", "443"):
        return name
    return host


def _clf_line(line: bytes) -> LogRequest | str | None:
    """Slow path for one common/combined line: a request, a reason, or None to skip."""
    stripped = line.strip()
    if not stripped or stripped[0] == 0x23:  # "#"
        return None
    m = _CLF_LENIENT.match(stripped)
    if m is None:
        return "binary data" if b"\0" in stripped else "not a common/combined log line"
    prefix, request, status = m.groups()
    if b"\0" in request:
        return "binary data"
    if b"\\" in request:
        request = _LOG_ESCAPE.sub(_unescape_one, request)
    parsed = _split_request(request.decode("utf-8", "surrogateescape"))
    if isinstance(parsed, str):
        return parsed
    fields = prefix.split()
    host = None
    if len(fields) >= 4 and _VHOST.fullmatch(fields[0]):
        host = _vhost_host(fields[0])
    status = int(status) if status != b"-" else None
    return LogRequest(parsed[0], _clean_target(parsed[1]), host, status)


# --- plain --------------------------------------------------------------------------------

_PLAIN_FAST = re.compile(r"(?!#)(?:(" + _TCHAR + r"+) +)?((?:/|https?://)[!-~]*)\r?")


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
    if _TOKEN.fullmatch(method) is None:
        return "invalid method"
    problem = _target_problem(method, target)
    if problem:
        return problem
    return LogRequest(method, _clean_target(target), None, None)


# --- JSON ---------------------------------------------------------------------------------


def _field_spec(names: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((name, tuple(name.split("."))) for name in names)


def _field(obj: dict, spec: tuple[tuple[str, tuple[str, ...]], ...], kind: type) -> object:
    """The first value of type ``kind`` (non-empty if a str) found under ``spec``'s names."""
    for name, path in spec:
        value = obj.get(name)
        if value is None and len(path) > 1:
            value = obj
            for key in path:
                if not isinstance(value, dict):
                    value = None
                    break
                value = value.get(key)
        if isinstance(value, kind) and value != "" and not isinstance(value, bool):
            return value
    return None


def _status_value(value: object) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 3:
        return int(value)
    return None


class _JsonParser:
    """Turns one JSON log line into a request, with the field names chosen once."""

    def __init__(self, json_fields: dict | None) -> None:
        import json  # only JSON logs need it

        self._loads = json.loads
        overrides = dict(json_fields or {})
        unknown = sorted(set(overrides) - set(JSON_FIELDS))
        if unknown:
            raise RouteError(
                f"unknown JSON field key {unknown[0]!r} (choose from {', '.join(JSON_FIELDS)})"
            )
        specs = {}
        for key, defaults in JSON_FIELDS.items():
            names = overrides.get(key, defaults)
            if isinstance(names, str):
                names = (names,)
            if (
                not isinstance(names, (list, tuple))
                or not names
                or not all(isinstance(name, str) and name for name in names)
            ):
                raise RouteError(f"JSON field name for {key!r} must be a non-empty string")
            specs[key] = _field_spec(names)
        # a whole "GET /x HTTP/1.1" in `request` stands in only for fields left at defaults
        self._request_for_method = "method" not in overrides
        self._request_for_url = "url" not in overrides
        specs["request"] = _field_spec(("request",))
        self._specs = tuple(specs[key] for key in ("method", "url", "host", "status", "request"))
        self._plans: dict[tuple, tuple] = {}

    def _plan(self, keys: tuple) -> tuple:
        """The specs cut down to the names that can exist in an object with these keys."""
        present = set(keys)
        return tuple(
            tuple(entry for entry in spec if entry[0] in present or entry[1][0] in present)
            for spec in self._specs
        )

    def __call__(self, line: bytes) -> LogRequest | str | None:
        stripped = line.strip()
        if not stripped or stripped[0] == 0x23:
            return None
        try:
            # surrogateescape: invalid UTF-8 inside a URL still parses, and gets %-encoded
            obj = self._loads(stripped.decode("utf-8", "surrogateescape"))
        except (ValueError, RecursionError):
            return "invalid JSON"
        if not isinstance(obj, dict):
            return "not a JSON object"
        # Logs repeat a few key sets: look the names up once per key set, not per line.
        shape = tuple(obj)
        plan = self._plans.get(shape)
        if plan is None:
            plan = self._plan(shape)
            if len(self._plans) < 256:
                self._plans[shape] = plan
        method_spec, url_spec, host_spec, status_spec, request_spec = plan
        method = _field(obj, method_spec, str)
        target = _field(obj, url_spec, str)
        if (method is None and self._request_for_method) or (
            target is None and self._request_for_url
        ):
            request = _field(obj, request_spec, str)
            if request is not None:
                parsed = _split_request(request)
                if isinstance(parsed, str):
                    return parsed
                method = parsed[0] if method is None else method
                target = parsed[1] if target is None else target
        if method is None:
            return "no method field"
        if target is None:
            return "no URL field"
        if _TOKEN.fullmatch(method) is None:
            return "invalid method"
        problem = _target_problem(method, target)
        if problem:
            return problem
        host = _field(obj, host_spec, str)
        status = _status_value(_field(obj, status_spec, (int, str)))
        return LogRequest(method, _clean_target(target), host, status)


# --- detection ----------------------------------------------------------------------------


DETECT_LINES = 10  # data lines looked at to tell a file's format


def _detect(lines: Iterable[str]) -> tuple[str, int]:
    """The likeliest format of a file starting with ``lines``, and how many data lines voted.

    Each of the first DETECT_LINES data lines votes: ``json`` if it starts with ``{``,
    ``combined`` if it has the common-log shape, else ``plain``; a tie goes to the first
    of json, combined, plain. A cut-off first line (as in a log copied mid-write) or
    junk such as TLS handshakes at the top does not decide on its own.
    """
    votes = {"json": 0, "combined": 0, "plain": 0}
    seen = 0
    for line in lines:
        stripped = line.encode("latin-1").strip()
        if not stripped or stripped[0] == 0x23:
            continue
        if stripped[0] == 0x7B:  # "{"
            votes["json"] += 1
        elif _CLF_LENIENT.match(stripped):
            votes["combined"] += 1
        else:
            votes["plain"] += 1
        seen += 1
        if seen == DETECT_LINES:
            break
    return max(votes, key=votes.__getitem__), seen


# --- the reader ---------------------------------------------------------------------------

_CONTROL_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}
_PARTIAL_ESCAPE = re.compile(r"\\(?:x[0-9a-f]?)?$")  # an escape cut in two by the excerpt
_GZIP_MAGIC = b"\x1f\x8b"
_UNSUPPORTED_MAGIC = {
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"\x28\xb5\x2f\xfd": "zstd",
}


class _StreamError(Exception):
    """A compressed stream that cannot be read further; ``reason`` is the Malformed reason."""

    def __init__(self, reason: str, text: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.text = text  # what to show instead of the cut line, if anything


def _refuse(reason: str, first: bytes) -> Iterator[bytes]:
    """Chunks that end at once with ``reason``: the whole file is one malformed line."""
    raise _StreamError(reason, first.decode("latin-1"))
    yield b""  # a generator: the error comes when the chunks are read


def _salvage(decompressor, data: bytes) -> Iterator[bytes]:
    """What ``data`` decompresses to before its corrupt part, fed in small slices."""
    import zlib

    for start in range(0, len(data), 512):
        try:
            out = decompressor.decompress(data[start : start + 512])  # at most ~0.5 MB
        except zlib.error:
            return
        if out:
            yield out


def _excerpt(line: str) -> str:
    """The start of ``line`` (bytes as latin-1 text) as safe text for Malformed.text."""
    line = line.removesuffix("\r")
    cut = line[:EXCERPT].encode("latin-1")
    text = cut.decode("utf-8", "replace").translate(_CONTROL_ESCAPES)
    if len(text) <= EXCERPT and len(line) <= EXCERPT:
        return text
    return _PARTIAL_ESCAPE.sub("", text[:EXCERPT]) + "..."


def _clf_fast(line: str, new=tuple.__new__) -> LogRequest | None:
    """The common CLF/combined line by one regex, or None for the careful parser."""
    m = _CLF_FAST.match(line)
    if m is None:
        return None
    vhost, method, target, status = m.groups()
    host = vhost and _vhost_host(vhost.encode("latin-1"))
    return new(LogRequest, (method, target, host, _STATUS[status]))


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
        self._json_parser: _JsonParser | None = None
        if fmt == "json" or json_fields:
            self._json_parser = _JsonParser(json_fields)  # bad field names fail early
        self._on_malformed = on_malformed
        self._on_progress = on_progress
        self._physical = 0  # data, blank and comment lines, and lost gzip tails
        self.skipped = 0
        self.malformed = 0
        self.reasons: dict[str, int] = {}
        self.bytes_read = 0
        self.formats: dict[str, str] = {}

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
        import os
        import stat

        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        paths = [os.fspath(path) for path in paths]
        for path in paths:
            if path == "-":
                continue
            try:
                mode = os.stat(path).st_mode
            except OSError as error:
                raise RouteError(
                    f"cannot read log file: {error.strerror or error}", source=path
                ) from None
            if stat.S_ISDIR(mode):
                raise RouteError("cannot read log file: it is a directory", source=path)
            if not os.access(path, os.R_OK):
                raise RouteError("cannot read log file: Permission denied", source=path)
        return self._read_all(paths)

    # -- plumbing ---------------------------------------------------------------------------

    def _read_all(self, paths: list[str]) -> Iterator[LogRequest]:
        for path in paths:
            if path == "-":
                stdin = getattr(sys.stdin, "buffer", None)
                if stdin is None:
                    raise RouteError("standard input is not available", source="<stdin>")
                read = getattr(stdin, "read1", None) or stdin.read
                yield from self._read_stream("<stdin>", read)
                continue
            try:
                file = open(path, "rb", buffering=0)  # noqa: SIM115 - closed below
            except OSError as error:
                raise RouteError(
                    f"cannot read log file: {error.strerror or error}", source=path
                ) from None
            with file:
                yield from self._read_stream(path, file.read)

    def _read_stream(self, name: str, read: Callable[[int], bytes]) -> Iterator[LogRequest]:
        batches = self._batches(name, self._chunks(name, read))
        fmt = self.fmt
        if fmt == "auto":
            # hold back the first batches (a few chunks at most) until enough lines voted
            head = []
            for batch in batches:
                head.append(batch)
                fmt, seen = _detect(line for _, lines in head for line in lines)
                if seen == DETECT_LINES or len(head) == 8:
                    break
            batches = _chain(head, batches)
        self.formats[name] = fmt
        if fmt in ("combined", "common"):
            yield from self._parse_lines(name, batches, _clf_line, _clf_fast)
        elif fmt == "json":
            if self._json_parser is None:
                self._json_parser = _JsonParser(self._json_fields)
            yield from self._parse_lines(name, batches, self._json_parser)
        else:
            yield from self._parse_lines(name, batches, _plain_line, _plain_fast)

    def _chunks(self, name: str, read: Callable[[int], bytes]) -> Iterator[bytes]:
        """The file's bytes in chunks, gunzipped if it starts with the gzip magic bytes."""
        first = b""
        while len(first) < 6:  # enough to tell gzip, bzip2, xz and zstd apart
            more = self._read_raw(name, read)
            if not more:
                break
            first += more
        for magic, kind in _UNSUPPORTED_MAGIC.items():
            if first.startswith(magic):
                return _refuse(f"unsupported compression ({kind})", first)
        raw = self._raw_chunks(name, read, first)
        if first.startswith(_GZIP_MAGIC):
            return self._gunzip(raw)
        return raw

    def _read_raw(self, name: str, read: Callable[[int], bytes]) -> bytes:
        try:
            data = read(CHUNK)
        except OSError as error:
            raise RouteError(
                f"cannot read log file: {error.strerror or error}", source=name
            ) from None
        if data:
            self.bytes_read += len(data)
            if self._on_progress is not None:
                self._on_progress(self.bytes_read)
        return data or b""

    def _raw_chunks(self, name: str, read: Callable[[int], bytes], first: bytes):
        if first:
            yield first
            while data := self._read_raw(name, read):
                yield data

    def _gunzip(self, raw: Iterator[bytes]) -> Iterator[bytes]:
        """Decompress gzip members one after another; raise _StreamError where it breaks."""
        import zlib

        decompressor = zlib.decompressobj(31)  # 16 + 15: gzip header, 32 KiB window
        started = True  # the current member has been fed without error
        for data in raw:
            while data:
                if decompressor.eof:  # a member ended: what follows must start another
                    if not data.strip(b"\0"):  # zero padding after the last member
                        break
                    decompressor = zlib.decompressobj(31)
                    started = False
                saved = decompressor.copy()  # to replay this input if it turns out corrupt
                try:
                    # max_length keeps a gzip bomb from blowing up one chunk
                    out = decompressor.decompress(data, CHUNK)
                except zlib.error:
                    if not started:
                        raise _StreamError("trailing garbage after gzip data") from None
                    yield from _salvage(saved, data)
                    raise _StreamError("corrupt gzip data") from None
                started = True
                if out:
                    yield out
                if decompressor.eof:
                    data = decompressor.unused_data
                else:
                    data = decompressor.unconsumed_tail
        if not decompressor.eof:
            try:
                rest = decompressor.flush()  # output still held back, if any
            except zlib.error:
                rest = b""
            if rest:
                yield rest
            if not decompressor.eof:
                raise _StreamError("truncated gzip data")

    def _batches(self, name: str, chunks: Iterator[bytes]) -> Iterator[tuple[int, list[str]]]:
        """``(number of the first line, lines)`` per chunk, over-long lines taken out.

        Lines are the file's bytes decoded as latin-1 (one character per byte, no failure):
        the fast paths work on them directly, the slow paths encode them back to bytes.
        """
        lineno = 1  # number of the next line
        pending = ""  # the unfinished last line of the previous chunk
        skipping = False  # inside an over-long line: drop everything up to its newline
        bom = True  # a UTF-8 byte order mark may start the file
        try:
            for chunk in chunks:
                if bom and chunk:
                    bom = False
                    chunk = chunk.removeprefix(b"\xef\xbb\xbf")
                if skipping:
                    end = chunk.find(b"\n")
                    if end < 0:
                        continue
                    chunk = chunk[end + 1 :]
                    skipping = False
                text = chunk.decode("latin-1")
                lines = (pending + text if pending else text).split("\n")
                pending = lines.pop()
                if lines:
                    if max(map(len, lines)) <= MAX_LINE:
                        yield lineno, lines
                    else:
                        yield from self._split_long(name, lineno, lines)
                    lineno += len(lines)
                if len(pending) > MAX_LINE:
                    self._too_long(name, lineno, pending)
                    lineno += 1
                    pending = ""
                    skipping = True
        except _StreamError as error:
            # the bytes after the last newline are a line cut short: report it once
            self._physical += 1
            self._report(name, lineno, error.reason, error.text or pending)
            return
        if pending:
            yield lineno, [pending]

    def _split_long(self, name: str, lineno: int, lines: list[str]):
        start = 0
        for index, line in enumerate(lines):
            if len(line) > MAX_LINE:
                if index > start:
                    yield lineno + start, lines[start:index]
                self._too_long(name, lineno + index, line)
                start = index + 1
        if start < len(lines):
            yield lineno + start, lines[start:]

    def _too_long(self, name: str, lineno: int, line: str) -> None:
        self._physical += 1
        self._report(name, lineno, "line too long", line)

    def _report(self, name: str, lineno: int, reason: str, line: str) -> None:
        self.malformed += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1
        if self._on_malformed is not None:
            self._on_malformed(Malformed(name, lineno, reason, _excerpt(line)))

    def _settle(self, result: object, name: str, lineno: int, line: str) -> None:
        """Count a line the slow path did not turn into a request."""
        if result is None:
            self.skipped += 1
        else:
            self._report(name, lineno, result, line)

    # -- the hot loops: one per format, everything per line kept inline --------------------

    def _parse_lines(self, name: str, batches, parse, fast=None) -> Iterator[LogRequest]:
        """Requests from batches of lines: ``fast`` (a request from the usual shape of
        line, else None) is tried on the text first, then ``parse`` on the raw bytes;
        anything else is settled as malformed at its line number."""
        request_type = LogRequest
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
