"""Binding a request to the table, building URLs (``url_for``) and redirect targets.

This is the part of Werkzeug's ``MapAdapter`` that is not matching: which
server name and subdomain a request is bound to (Flask's
``create_url_adapter``), how a rule is turned back into a URL, and where each
kind of redirect points. :mod:`routecli.table` uses it; it is plain functions
over a :class:`Bound` request and the table's settings.
"""

from __future__ import annotations

from typing import Any, NamedTuple
from urllib.parse import quote, urlencode, urljoin

from .compiler import REDIRECT_PLACEHOLDER, CompiledRule, rule_trace
from .converters import URL_SAFE, ValidationError
from .errors import RouteError
from .model import Settings
from .urls import DEFAULT_HOST, BadRequest, iri_to_uri, normalize_host


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


def redirect_location(bound: Bound, quoted_path: str, query: str, domain_part: str | None,
                      host_matching: bool) -> str:
    """Where a slash, merge-slashes or defaults redirect points (the query is kept)."""
    url = f"{bound.scheme}://{host_for(bound, domain_part, host_matching)}/"
    url += quoted_path.lstrip("/")
    if query:
        url += "?" + query
    return location(bound, url)


def redirect_to_location(table, rule: CompiledRule, args: dict, bound: Bound,
                         request: tuple[str, str, str]) -> str:
    """Where a rule's ``redirect_to`` points (the query is dropped, as in Werkzeug).
    ``request`` is (method, path, query), for a callable's adapter."""
    target = rule.redirect_to
    if isinstance(target, str):
        target = REDIRECT_PLACEHOLDER.sub(
            lambda m: rule.converters[m.group(1)].to_url(args[m.group(1)]), target)
    else:
        # The app's own callable; if it fails, the caller answers 500 as Flask does.
        target = target(AdapterShim(table, bound, *request), **args)
    netloc = f"{bound.subdomain}.{bound.server_name}" if bound.subdomain else bound.server_name
    return location(bound, urljoin(f"{bound.scheme}://{netloc}/", target))


def suitable(rule: CompiledRule, values: dict, method: str | None) -> bool:
    """Werkzeug's ``Rule.suitable_for``: can this rule build a URL from ``values``?"""
    if method is not None and rule.methods is not None and method not in rule.methods:
        return False
    defaults = rule.defaults or {}
    for key in rule.arguments:
        if key not in defaults and key not in values:
            return False
    for key, value in defaults.items():
        if key in values and value != values[key]:
            return False
    return True


def build_rule(rule: CompiledRule, values: dict) -> tuple[str, str]:
    """(domain part, quoted path) of ``rule`` filled with ``values``."""
    defaults = rule.defaults or {}
    domain: list[str] = []
    path: list[str] = []
    out = domain
    for dynamic, text in rule_trace(rule):
        if not dynamic and text == "|" and out is domain:
            out = path
            continue
        if dynamic:
            source = defaults if text in defaults else values
            out.append(rule.converters[text].to_url(source[text]))
        else:
            out.append(quote(text, safe=URL_SAFE))
    return "".join(domain), "".join(path)


def build_for_endpoint(rules: list[CompiledRule], values: dict, method: str | None,
                       bound: Bound, host_matching: bool) -> tuple[str, str, CompiledRule] | None:
    """Werkzeug's ``_partial_build``: the first suitable rule (in build order) that
    builds; with no method, GET is tried first. Returns (domain part, path, rule)."""
    if method is None:
        found = build_for_endpoint(rules, values, "GET", bound, host_matching)
        if found is not None:
            return found
    first = None
    for rule in rules:
        if suitable(rule, values, method):
            try:
                domain_part, path = build_rule(rule, values)
            except ValidationError:
                continue
            if not host_matching or domain_part == bound.server_name:
                return domain_part, path, rule
            if first is None:
                first = (domain_part, path, rule)
    return first


def unknown_values_query(rule: CompiledRule, values: dict) -> str:
    """The query string ``url_for`` adds for values the rule does not take."""
    items = []
    for key, value in values.items():
        if key in rule.arguments or value is None:
            continue
        if isinstance(value, (list, tuple)):
            items.extend((key, item) for item in value if item is not None)
        else:
            items.append((key, value))
    return urlencode(items, safe="!$'()*,/:;?@")


class AdapterShim:
    """What a ``redirect_to`` callable gets instead of Werkzeug's ``MapAdapter``: the
    same attributes and methods, answered by routecli's table."""

    def __init__(self, table, bound: Bound, method: str = "GET", path: str = "/",
                 query: str = "") -> None:
        self._table = table
        self._bound = bound
        self.server_name = bound.server_name
        self.subdomain = bound.subdomain
        self.url_scheme = bound.scheme
        self.script_name = "/"
        self.path_info = path
        self.query_args = query
        self.default_method = method
        self.websocket = bound.scheme in ("ws", "wss")

    def get_host(self, domain_part: str | None) -> str:
        return host_for(self._bound, domain_part, self._table.settings.host_matching)

    def build(self, endpoint: Any, values: dict | None = None, method: str | None = None,
              force_external: bool = False, append_unknown: bool = True,
              url_scheme: str | None = None) -> str | None:
        return self._table.build(endpoint, values, method, self._bound.host,
                                 force_external=force_external, append_unknown=append_unknown,
                                 url_scheme=url_scheme)
