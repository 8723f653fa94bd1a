"""Requests as a browser sends them: split a URL, decode its path, quote paths back, and
read a ``METHOD URL`` request line."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from urllib.parse import quote, unquote

from routecli.errors import RouteError, quoted

DEFAULT_HOST = "localhost"
MAX_LINE = 64 * 1024  # a request line longer than this is refused, not read on
MAX_RUN = 16 * 1024 * 1024  # an endless input this long without a newline is not text
# RFC 9110 token characters: what an HTTP method name may be made of.
TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "abcdefghijklmnopqrstuvwxyz")
_DEFAULT_PORTS = {"http": "80", "ws": "80", "https": "443", "wss": "443"}


#: methods already checked, as given -> upper-cased (a cache for :func:`check_method`)
KNOWN_METHODS: dict[str, str] = {}


def check_method(method: str) -> str:
    """Validate and upper-case a method (remembering the common ones); RouteError for
    anything that is no HTTP method token."""
    if not isinstance(method, str) or not method or not TOKEN_CHARS.issuperset(method):
        raise RouteError(f"invalid HTTP method {quoted(method)}")
    upper = method.upper()
    if len(KNOWN_METHODS) < 256:
        KNOWN_METHODS[method] = upper
    return upper


def check_target(url: str, host: str | None) -> None:
    """RouteError unless ``url`` is a string and ``host`` a string or None: what every
    dialect's ``match`` takes (the values themselves are judged as the framework would)."""
    if not isinstance(url, str):
        raise RouteError(f"invalid URL {quoted(url)}: expected a string")
    if host is not None and not isinstance(host, str):
        raise RouteError(f"invalid host {quoted(host)}: expected a string")


class BadRequest(ValueError):
    """A URL or host that no server would route (e.g. an invalid host name)."""


def split_url(url: str) -> tuple[str, str, str, str]:
    """Split ``url`` into (scheme, host, raw path, raw query); scheme/host may be "".

    Fragments are dropped. A URL without ``scheme://`` is a path.
    """
    if "#" in url:
        url = url.split("#", 1)[0]
    scheme = host = ""
    if not url.startswith("/"):
        sep = url.find("://")
        if sep > 0 and url[:sep].isalpha():
            scheme = url[:sep].lower()
            rest = url[sep + 3:]
            end = len(rest)
            for stop in "/?":
                found = rest.find(stop)
                if 0 <= found < end:
                    end = found
            host, url = rest[:end], rest[end:]
            if "@" in host:
                host = host.rsplit("@", 1)[1]
    query = ""
    if "?" in url:
        url, query = url.split("?", 1)
    return scheme, host, url, query


@lru_cache(maxsize=1024)
def normalize_host(host: str, scheme: str = "http") -> str:
    """Lower-case and IDNA-encode a host, dropping the scheme's default port."""
    host = host.strip().lower()
    name, sep, port = host.rpartition(":") if _has_port(host) else (host, "", "")
    if sep and not port:
        sep = ""  # "example.com:" is the default port, as a browser reads it
    if sep and not (port.isdigit() and port.isascii() and 0 < int(port) < 65536):
        raise BadRequest(f"invalid host {quoted(host)}: the port must be a number from 1 to 65535")
    if sep and port == _DEFAULT_PORTS.get(scheme or "http"):
        sep = port = ""
    if not (name.isascii() and _plain_labels(name)):
        try:
            # Like Werkzeug's bind(): IDNA also refuses empty or over-long labels.
            name = name.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise BadRequest(f"invalid host name {quoted(host)}: {exc}") from None
    if not _HOST_NAME.fullmatch(name):
        raise BadRequest(f"invalid host {quoted(host)}: a host is letters, digits, '.', '-' "
                         "(or an [IPv6] address)")
    return f"{name}{sep}{port}"


# What a Host header may carry once IDNA-encoded (underscores are tolerated, as
# servers do); anything else (spaces, "/", "@", control characters) is no host.
_HOST_NAME = re.compile(r"[a-z0-9._-]+|\[[0-9a-f:.]+\]")


def _plain_labels(name: str) -> bool:
    """True when the IDNA codec would return this ASCII name unchanged."""
    labels = name.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()  # one trailing dot is allowed
    return all(0 < len(label) < 64 for label in labels)


def _has_port(host: str) -> bool:
    if host.startswith("["):  # IPv6 literal: a port only after the bracket
        return "]:" in host
    return ":" in host


def merge_slashes(path: str) -> str:
    """Runs of "/" collapsed to one (Werkzeug's merge_slashes, for rules and paths)."""
    while "//" in path:
        path = path.replace("//", "/")
    return path


def decode_path(raw: str) -> str:
    """Percent-decode like a WSGI server (UTF-8, bad bytes replaced), then strip
    leading slashes to one, as Werkzeug does; an empty path becomes "/"."""
    if "%" in raw:
        raw = unquote(raw, errors="replace")
    if not raw:
        return "/"
    if raw[0] != "/" or raw[1:2] == "/":
        raw = "/" + raw.lstrip("/")
    return raw


def iri_to_uri(location: str) -> str:
    """What a redirect's Location header carries: non-ASCII and unsafe characters
    quoted per part (existing escapes kept) and the host in Punycode, like
    Werkzeug does when it sends a redirect."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(location)
    path = quote(parts.path, safe="%!$&'()*+,/:;=@")
    query = quote(parts.query, safe="%!$&'()*+,/:;=?@")
    fragment = quote(parts.fragment, safe="%!#$&'()*+,/:;=?@")
    netloc = ""
    if parts.hostname:
        try:
            netloc = parts.hostname.encode("idna").decode("ascii")
        except UnicodeError:
            netloc = parts.hostname
        if ":" in netloc:
            netloc = f"[{netloc}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None:
        netloc = f"{netloc}:{port}"
    return urlunsplit((parts.scheme, netloc, path, query, fragment))


# -- request lines ("METHOD URL" or "URL") ------------------------------------------------


def is_request_url(text: str) -> bool:
    """A path (``/...``) or an absolute URL (``scheme://...``): what a request line asks for."""
    return text.startswith("/") or "://" in text


def split_request(fields: Sequence[str]) -> tuple[str, str] | None:
    """``(method, url)`` from the fields of a request: ``METHOD URL``, or ``URL`` alone
    meaning GET; None for any other number of fields."""
    if len(fields) == 1:
        return "GET", fields[0]
    if len(fields) == 2:
        return fields[0], fields[1]
    return None


def parse_request_line(text: str) -> tuple[str, str]:
    """``(method, url)`` from a ``METHOD URL`` or ``URL`` line (stripped, not blank), as
    ``routecli match --batch`` reads it (docs/match.md); raises :class:`RouteError` when
    the line has another shape or the URL is neither a path nor ``scheme://...``.
    The method is not checked here: matching checks it."""
    # split_request and is_request_url written out: this runs once per line of a batch.
    fields = text.split()
    if len(fields) == 2:
        method, url = fields
    elif len(fields) == 1:
        method, url = "GET", fields[0]
    else:
        raise RouteError(f"expected 'METHOD URL' or 'URL', got {quoted(text)}")
    if not (url.startswith("/") or "://" in url):
        raise RouteError(f"expected a URL starting with '/' or a scheme like 'http://', "
                         f"got {quoted(url)}")
    return method, url


def read_request_lines(stream, name: str, endless: bool = True, limit: int = MAX_LINE,
                       max_run: int = MAX_RUN) -> Iterator[str]:
    """The lines of a request list (``match --batch``, docs/match.md#batch) from a text
    stream, holding at most ``limit + 1`` characters of a line: a longer line is skipped to
    its end and yielded cut, for ``match_lines`` to report. A request list is text, so
    reading stops with a :class:`RouteError` at ``name:N`` at the first line holding a NUL
    byte (``binary input``), and, when the stream may be ``endless`` (a pipe, a device),
    at a line running ``max_run`` characters without a newline."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if "\0" in line:
            raise RouteError("binary input (a NUL byte): not a list of requests",
                             f"{name}:{number}")
        if len(line) > limit and not line.endswith("\n"):
            run = len(line)
            rest = line
            while rest and not rest.endswith("\n"):
                rest = stream.readline(limit)
                run += len(rest)
                if endless and run > max_run:
                    raise RouteError(f"no line end in {max_run // (1024 * 1024)} MiB: not a "
                                     "list of requests", f"{name}:{number}")
        yield line
