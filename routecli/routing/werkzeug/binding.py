"""Binding a request to the table, as Flask's ``create_url_adapter`` does.

Which server name and subdomain a request is bound to, whether its host is
trusted, and how a URL built for that request is shown (a path when it points
at the request's own host). Plain functions over a :class:`Bound` request.
"""

# No "from __future__ import annotations": typing.NamedTuple would turn each string
# annotation into a ForwardRef, compiling it, at every start-up.
from typing import NamedTuple

from routecli.errors import RouteError
from routecli.routing.model import Settings
from routecli.routing.urls import DEFAULT_HOST, BadRequest, iri_to_uri, normalize_host


class Bound(NamedTuple):
    """A request bound to the table, like a Werkzeug ``MapAdapter``."""

    host: str  # the request's host: lower-case, Punycode, default port dropped
    scheme: str
    server_name: str  # what URLs are built against (SERVER_NAME, else the request host)
    domain: str  # the matcher's first segment: the subdomain, or the host when host matching
    subdomain: str | None  # None under host matching
    trusted: bool = True  # False: Flask refuses the request (TRUSTED_HOSTS) with a 400


def bind(settings: Settings, host: str | None, scheme: str = "http") -> Bound:
    """Bind a request host (None: the server name, else localhost) the way Flask does.

    Raises RouteError for a host no server would route.
    """
    try:
        request_host = normalize_host(host or settings.server_name or DEFAULT_HOST, scheme)
        server = normalize_host(settings.server_name, scheme) if settings.server_name else ""
    except BadRequest as exc:
        raise RouteError(str(exc)) from None
    if settings.trusted_hosts and not host_is_trusted(request_host, settings.trusted_hosts):
        return Bound(request_host, scheme, server or request_host, "", None, False)
    if settings.host_matching:
        # Flask ignores SERVER_NAME here: the request's own host is matched.
        return Bound(request_host, scheme, request_host, request_host, None)
    if not server or not settings.subdomain_matching:
        # Without subdomain matching Flask binds every request to the default subdomain.
        default = settings.default_subdomain
        return Bound(request_host, scheme, server or request_host, default, default)
    current, wanted = request_host.split("."), server.split(".")
    if current[-len(wanted):] != wanted:
        subdomain = "<invalid>"  # Werkzeug's marker for a host outside SERVER_NAME
    else:
        subdomain = ".".join(filter(None, current[:-len(wanted)]))
    return Bound(request_host, scheme, server, subdomain, subdomain)


def host_is_trusted(host: str, trusted: list[str]) -> bool:
    """Werkzeug's check of a host (port ignored) against TRUSTED_HOSTS: an entry
    matches itself, or with a leading "." also every subdomain."""
    name = host.rpartition(":")[0] if host.rpartition(":")[2].isdigit() else host
    for entry in trusted:
        suffix = entry.startswith(".")
        entry = entry[1:] if suffix else entry
        try:
            entry = entry.partition(":")[0].encode("idna").decode("ascii").lower()
        except UnicodeError:
            return False
        if name == entry or (suffix and name.endswith("." + entry)):
            return True
    return False


def built_scheme(scheme: str, websocket: bool) -> str:
    """The scheme of a URL Werkzeug builds for a rule: ``ws``/``wss`` for a websocket
    rule, ``http``/``https`` for any other (bound to a websocket or not), secure when
    ``scheme`` is; an empty scheme stays empty for an HTTP rule (``//host/path``)."""
    secure = scheme in ("https", "wss")
    if websocket:
        return "wss" if secure else "ws"
    return ("https" if secure else "http") if scheme else ""


def host_for(bound: Bound, domain_part: str | None, host_matching: bool) -> str:
    """Werkzeug's ``get_host``: the host a URL built for ``domain_part`` points at."""
    if host_matching:
        return bound.server_name if domain_part is None else domain_part
    sub = bound.subdomain if domain_part is None else domain_part
    return f"{sub}.{bound.server_name}" if sub else bound.server_name


def relative(bound: Bound, url: str) -> str:
    """``url`` as a path when it points at the request's own scheme and host."""
    own = f"{bound.scheme}://{bound.host}"
    if url.startswith(own) and url[len(own):len(own) + 1] in ("/", "?", "#", ""):
        return url[len(own):] or "/"
    return url


def location(bound: Bound, url: str) -> str:
    """A redirect's Location as the client sees it: quoted like Werkzeug's redirect
    response, and a path when it points at the request's own scheme and host."""
    return relative(bound, iri_to_uri(url))
