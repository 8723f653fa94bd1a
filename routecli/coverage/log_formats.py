"""The line formats of access logs: one line of text in, one request (or why not) out.

Formats (``fmt``)
  ``auto``      per file, by a vote of its first 10 data lines (:func:`detect_format`):
                ``json`` for lines that start with ``{``, ``combined`` for lines of the
                common-log shape, else ``plain``; ties go to json, then combined.
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
                ``METHOD URL HTTP/1.1`` is accepted too (parsed in
                :mod:`routecli.coverage.logs`).
  ``counts``    pre-aggregated requests (:mod:`routecli.coverage.counts_format`); never
                detected by ``auto``.

Requests
  ``method`` is an RFC 7230 token, kept as logged (``get`` stays ``get``). ``target`` starts
  with ``/`` or is an absolute ``http(s)://`` URL. Targets are percent-encoded where they
  were not clean: valid UTF-8 is kept as text, but bytes that are not UTF-8, ASCII control
  characters and spaces become ``%XX``, so a matcher that unquotes and decodes as UTF-8
  with replacement (as Werkzeug does) sees what the server saw. A target never contains
  whitespace, control characters or lone surrogates.

Each format has a careful parser taking the line's bytes (``clf_line``, a
:class:`JsonParser`): it returns a :class:`LogRequest`, None for a blank or ``#`` line, or
the reason the line is malformed (``binary data``, ``not a common/combined log line``,
``no request line``, ``not an HTTP request line``, ``invalid method``, ``invalid target``,
``asterisk-form target``, ``authority-form target``, ``invalid JSON``, ``not a JSON
object``, ``no method field``, ``no URL field``). A fast path (``clf_fast``) takes the
usual shape of line as latin-1 text and returns None for anything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from routecli.errors import RouteError

FORMATS = ("auto", "combined", "common", "json", "plain", "counts")

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


# --- request-line pieces shared by every format -------------------------------------------

TCHAR = r"[!#$%&'*+.^_`|~0-9A-Za-z-]"  # RFC 7230 token characters
TOKEN = re.compile(TCHAR + "+")
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


def clean_target(target: str) -> str:
    """The target with non-UTF-8 bytes, controls and spaces percent-encoded."""
    if _UNCLEAN.search(target) is None:
        return target
    return _UNCLEAN.sub(_escape_char, target)


def request_problem(method: str, target: str) -> str | None:
    """Why ``method target`` is no request a server would route, or None: the method must
    be a token, then the target as :func:`target_problem` says."""
    if TOKEN.fullmatch(method) is None:
        return "invalid method"
    return target_problem(method, target)


def target_problem(method: str, target: str) -> str | None:
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
    if not space or TOKEN.fullmatch(method) is None:
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
    return target_problem(method, target) or (method, target)


# --- common / combined --------------------------------------------------------------------

# The fast path: the usual shape, a clean ASCII target, nothing escaped. Everything it does
# not take goes to _CLF_LENIENT, which is slower but handles escapes, odd prefixes and
# explains what is wrong. The vhost:port group is lazy: the common 3-field prefix goes first.
_CLF_FAST = re.compile(
    r"(?!#)(?:((?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]):[0-9]+) )??"
    r"[^ \[]\S* [^ \[]\S* [^ \[]\S* \[[^\]]*\] "
    r'"(' + TCHAR + r'+) ((?:/|https?://)[!#-\[\]-~]*) HTTP/[0-9](?:\.[0-9])?" '
    r"([0-9]{3})(?:[ \r]|$)",
    re.ASCII,
)
# The same shape without a vhost, over many lines at once (``\n``-joined) by ``findall``:
# exactly one match per line (every line matches the second branch, if not the first),
# ``("METHOD TARGET", "")`` for a line of the usual shape and ``("", line)`` for any other
# line (the careful parsers take those). The repeats are possessive: none can give back a
# character the pattern could use next (``\S`` no space, the date no ``]``...), so the
# matches are the same, found without keeping backtracking positions.
_CLF_LINES = re.compile(
    r"^(?:(?!#)[^ \[\n]\S*+ [^ \[\n]\S*+ [^ \[\n]\S*+ \[[^\]\n]*+\] "
    r'"(' + TCHAR + r'++ (?:/|https?://)[!#-\[\]-~]*+) HTTP/[0-9](?:\.[0-9])?" '
    r"[0-9]{3}(?:[ \r][^\n]*+)?|([^\n]*+))$",
    re.ASCII | re.MULTILINE,
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


def clf_line(line: bytes) -> LogRequest | str | None:
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
    return LogRequest(parsed[0], clean_target(parsed[1]), host, status)


def clf_fast(line: str, new=tuple.__new__) -> LogRequest | None:
    """The common CLF/combined line by one regex, or None for the careful parser."""
    m = _CLF_FAST.match(line)
    if m is None:
        return None
    vhost, method, target, status = m.groups()
    host = vhost and _vhost_host(vhost.encode("latin-1"))
    return new(LogRequest, (method, target, host, _STATUS[status]))


def clf_scan(text: str, end: int | None = None) -> list[tuple[str, str]]:
    """:func:`clf_fast` for the newline-separated lines of ``text[:end]`` in one
    ``findall`` (a ``line_batches`` scan): per line, ``("METHOD TARGET", "")`` for a
    request without a host (its status is not kept), or ``("", line)`` for a line the
    careful parser must see (a vhost, an escape, a comment, anything unusual)."""
    return _CLF_LINES.findall(text, 0, len(text) if end is None else end)



# --- JSON ---------------------------------------------------------------------------------


def field_spec(names: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((name, tuple(name.split("."))) for name in names)


def field_value(obj: dict, spec: tuple[tuple[str, tuple[str, ...]], ...],
                kind: type) -> object:
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


class JsonParser:
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
            specs[key] = field_spec(names)
        # a whole "GET /x HTTP/1.1" in `request` stands in only for fields left at defaults
        self._request_for_method = "method" not in overrides
        self._request_for_url = "url" not in overrides
        specs["request"] = field_spec(("request",))
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
        self.last_object = obj  # what a counts file's parser reads its count from
        # Logs repeat a few key sets: look the names up once per key set, not per line.
        shape = tuple(obj)
        plan = self._plans.get(shape)
        if plan is None:
            plan = self._plan(shape)
            if len(self._plans) < 256:
                self._plans[shape] = plan
        method_spec, url_spec, host_spec, status_spec, request_spec = plan
        method = field_value(obj, method_spec, str)
        target = field_value(obj, url_spec, str)
        if (method is None and self._request_for_method) or (
            target is None and self._request_for_url
        ):
            request = field_value(obj, request_spec, str)
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
        problem = request_problem(method, target)
        if problem:
            return problem
        host = field_value(obj, host_spec, str)
        status = _status_value(field_value(obj, status_spec, (int, str)))
        return LogRequest(method, clean_target(target), host, status)


# --- detection ----------------------------------------------------------------------------


DETECT_LINES = 10  # data lines looked at to tell a file's format


def detect_format(lines: Iterable[str]) -> tuple[str, int]:
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
