"""The routing table: compile routes once, then answer requests like Flask would."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote, urljoin

from .compiler import (
    CompiledRule,
    RuleCompiler,
    args_builder,
    link_default_providers,
    rule_trace,
)
from .converters import URL_SAFE, ValidationError
from .errors import RouteError
from .gcpause import gc_paused
from .matcher import Matcher
from .model import Route, RouteSet
from .result import BAD_REQUEST, METHOD_NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, MatchResult
from .urls import DEFAULT_HOST, BadRequest, decode_path, iri_to_uri, normalize_host, split_url

_PLACEHOLDER = re.compile(r"<([^>]+)>")
_TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "abcdefghijklmnopqrstuvwxyz")


class RouteTable:
    """Routes compiled into Werkzeug's matching structure.

    Build one with :func:`routecli.load`, :meth:`from_data` or from a
    :class:`~routecli.model.RouteSet`; ask it with :meth:`match`.
    """

    def __init__(self, routeset: RouteSet | Iterable[Route]) -> None:
        with gc_paused():
            self._compile_routes(routeset)

    def _compile_routes(self, routeset: RouteSet | Iterable[Route]) -> None:
        if not isinstance(routeset, RouteSet):
            routeset = RouteSet(list(routeset))
        self.routeset = routeset
        self.settings = routeset.settings
        self.routes: list[Route] = routeset.routes
        compiler = RuleCompiler(self.settings, routeset.converters)
        self.rules: list[CompiledRule] = [
            compiler.compile(route, index) for index, route in enumerate(self.routes)
        ]
        self.rules_by_endpoint = link_default_providers(self.rules)
        for rule in self.rules:
            # Nothing to do after matching but report it: the fast path.
            extras = (rule.defaults or rule.alias or rule.redirect_to is not None
                      or rule.default_providers)
            rule.plain = not (extras or rule.python_converters)
            rule.convert_only = not extras and bool(rule.python_converters)
            rule.to_python = tuple((name, conv.to_python) for name, conv in
                                   rule.python_converters)
            rule.build_args = None  # generated on first use
        self.matcher = Matcher(self.rules, self.settings.merge_slashes)
        settings = self.settings
        self._default_host = normalize_host(settings.server_name or DEFAULT_HOST)
        # The domain segment of a request without a host, when it never depends on one.
        self._plain_domain = (settings.default_subdomain
                              if not settings.host_matching and (
                                  not settings.server_name or not settings.subdomain_matching)
                              else None)
        self._plain_statics = self.matcher.static_paths.get(self._plain_domain, {})

    @classmethod
    def from_data(cls, data: Any, origin: str = "<data>") -> RouteTable:
        """Build a table from the §2 mapping (``{"routes": [...]}``), already parsed."""
        from .sources.schema import routeset_from_data

        return cls(routeset_from_data(data, origin))

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self) -> Iterator[CompiledRule]:
        return iter(self.rules)

    # -- matching -----------------------------------------------------------------

    def match(self, method: str, url: str, host: str | None = None, *,
              explain: bool = False) -> MatchResult:
        """Answer ``method url`` as Flask would; never raises for 404/405/308.

        ``url`` is a path (with optional query) or an absolute URL; ``host``
        sets the request host (else the URL's, else the server name or
        "localhost"). Raises :class:`RouteError` only for a malformed
        method or host.
        """
        upper = _METHODS.get(method)
        if upper is None:
            upper = _check_method(method)
        if (host is None and self._plain_domain is not None and url[:1] == "/"
                and url[1:2] != "/" and "?" not in url and "#" not in url and "%" not in url):
            # The common case: a plain path on the default host; nothing to parse.
            result = self._answer_plain(upper, url)
        else:
            scheme, url_host, raw_path, query = split_url(url)
            scheme = scheme or "http"
            try:
                request_host = normalize_host(host or url_host or self.settings.server_name
                                              or DEFAULT_HOST, scheme)
            except BadRequest as exc:
                raise RouteError(str(exc)) from None
            domain, subdomain = self._domain(request_host)
            result = self._answer(upper, url, decode_path(raw_path), request_host, query,
                                  scheme, scheme in ("ws", "wss"), domain, subdomain)
        if explain:
            from .explain import explain as _explain

            result.explanation = _explain(self, result)
        return result

    def _domain(self, host: str) -> tuple[str, str | None]:
        """The matcher's first segment for a host, and the bound subdomain."""
        settings = self.settings
        if settings.host_matching:
            return host, None
        if not settings.server_name or not settings.subdomain_matching:
            # Flask without subdomain matching: every request gets the default subdomain.
            return settings.default_subdomain, settings.default_subdomain
        server = normalize_host(settings.server_name)
        current, wanted = host.split("."), server.split(".")
        if current[-len(wanted):] != wanted:
            subdomain = "<invalid>"  # Werkzeug's marker for a host outside SERVER_NAME
        else:
            subdomain = ".".join(filter(None, current[:-len(wanted)]))
        return subdomain, subdomain

    def _server_name(self, host: str) -> str:
        if self.settings.server_name and not self.settings.host_matching:
            return normalize_host(self.settings.server_name)
        return host

    def _answer_plain(self, method: str, path: str) -> MatchResult:
        """The hot path: a plain path on the default host answered by a rule with
        nothing to do after matching but converting. Anything else goes to
        :meth:`_answer`, which handles every case (and gives the same answers)."""
        state = self._plain_statics.get(path)
        if state is None:
            outcome = self.matcher.search(self._plain_domain, path, method, False)
            if outcome.kind == "match":
                rule = outcome.rule
                build = rule.build_args
                if build is None and (rule.plain or rule.convert_only):
                    build = rule.build_args = args_builder(rule)
                if build is not None:
                    try:
                        args = build(outcome.values)
                    except ValidationError:
                        pass
                    else:
                        return MatchResult(method, path, path, self._default_host, OK, rule,
                                           args, None, None, None,
                                           method == "OPTIONS" and rule.automatic_options)
            return self._answer(method, path, path, self._default_host, "", "http", False,
                                self._plain_domain, self._plain_domain, outcome)
        for rule in state.rules:
            methods = rule.methods
            if (methods is None or method in methods) and not rule.websocket:
                if rule.plain:
                    return MatchResult(method, path, path, self._default_host, OK, rule, {},
                                       None, None, None,
                                       method == "OPTIONS" and rule.automatic_options)
                break
        return self._answer(method, path, path, self._default_host, "", "http", False,
                            self._plain_domain, self._plain_domain)

    def _answer(self, method: str, url: str, path: str, host: str, query: str, scheme: str,
                websocket: bool, domain: str, subdomain: str | None,
                outcome=None) -> MatchResult:
        """Every case; ``outcome`` is the matcher's search when the caller already ran it."""
        rule = None
        state = None
        if outcome is None:
            statics = self.matcher.static_paths.get(domain)
            state = None if statics is None else statics.get(path)
        if state is not None:
            for candidate in state.rules:
                methods = candidate.methods
                if (methods is None or method in methods) and candidate.websocket == websocket:
                    rule = candidate
                    break
        if rule is not None:
            if rule.plain:
                return MatchResult(method, url, path, host, OK, rule, {},
                                   automatic_options=method == "OPTIONS" and rule.automatic_options)
            values: list[str] = []
            allowed: set[str] = set()
        else:
            if outcome is None:
                outcome = self.matcher.search(domain, path, method, websocket)
            if outcome.kind != "match" and outcome.kind != "none":
                location = self._redirect_url(quote(outcome.path, safe=URL_SAFE), query, host,
                                              subdomain, scheme, None)
                return MatchResult(method, url, path, host, REDIRECT, outcome.rule,
                                   location=location, redirect=outcome.kind)
            if outcome.kind == "none":
                return self._no_match(method, url, path, host, outcome.allowed,
                                      outcome.ws_mismatch)
            rule, values, allowed = outcome.rule, outcome.values, outcome.allowed
            if rule.plain or rule.convert_only:
                build = rule.build_args
                if build is None:
                    build = rule.build_args = args_builder(rule)
                try:
                    args = build(values)
                except ValidationError:
                    pass  # the general path below says which converter refused
                else:
                    return MatchResult(method, url, path, host, OK, rule, args, None, None, None,
                                       method == "OPTIONS" and rule.automatic_options)

        args: dict[str, Any] = dict(zip(rule.variables, values))
        for name, converter in rule.python_converters:
            try:
                args[name] = converter.to_python(args[name])
            except ValidationError:
                return self._no_match(method, url, path, host, allowed, False,
                                      reason=f"converter {converter.spec} refused "
                                             f"{args[name]!r} for '{name}'", rule=rule)
        if rule.defaults:
            args.update(rule.defaults)

        settings = self.settings
        if rule.alias and settings.redirect_defaults:
            target = self._build(rule.endpoint, {k: v for k, v in args.items() if v is not None},
                                 method, host)
            location = None
            if target is not None:
                domain_part, built = target
                location = self._absolute(domain_part, built, host, subdomain, scheme)
                if query:
                    location += "?" + query
                location = self._relative(location, host, subdomain, scheme)
            return MatchResult(method, url, path, host, REDIRECT, rule, location=location,
                               redirect="alias")
        if settings.redirect_defaults and rule.default_providers:
            for provider in rule.default_providers:
                if _suitable(provider, args, method):
                    values_for = dict(args)
                    values_for.update(provider.defaults)
                    try:
                        domain_part, built = _build_rule(provider, values_for)
                    except ValidationError:
                        continue
                    location = self._redirect_url(built, query, host, subdomain, scheme,
                                                  domain_part)
                    return MatchResult(method, url, path, host, REDIRECT, rule,
                                       location=location, redirect="defaults")
        if rule.redirect_to is not None:
            location = self._redirect_to(rule, args, host, subdomain, scheme)
            return MatchResult(method, url, path, host, REDIRECT, rule, location=location,
                               redirect="redirect_to")
        automatic = method == "OPTIONS" and rule.automatic_options
        return MatchResult(method, url, path, host, OK, rule, args=args,
                           automatic_options=automatic)

    def _no_match(self, method, url, path, host, allowed, websocket_mismatch, reason=None,
                  rule=None) -> MatchResult:
        if allowed:
            return MatchResult(method, url, path, host, METHOD_NOT_ALLOWED,
                               allowed_methods=sorted(allowed), reason=reason)
        if websocket_mismatch:
            return MatchResult(method, url, path, host, BAD_REQUEST,
                               reason="websocket mismatch")
        return MatchResult(method, url, path, host, NOT_FOUND, reason=reason)

    # -- redirects and URL building -----------------------------------------------------

    def _host_for(self, domain_part: str | None, host: str, subdomain: str | None) -> str:
        """Werkzeug's MapAdapter.get_host: the host a built URL points at."""
        server_name = self._server_name(host)
        if self.settings.host_matching:
            return server_name if domain_part is None else domain_part
        sub = subdomain if domain_part is None else domain_part
        return f"{sub}.{server_name}" if sub else server_name

    def _absolute(self, domain_part, path, host, subdomain, scheme) -> str:
        return f"{scheme}://{self._host_for(domain_part, host, subdomain)}/{path.lstrip('/')}"

    def _relative(self, location: str, host: str, subdomain: str | None, scheme: str) -> str:
        """The Location as sent (quoted like Werkzeug's redirect response), without
        scheme and host when they are the request's own."""
        location = iri_to_uri(location)
        own = f"{scheme}://{host}"
        if location.startswith(own) and location[len(own):len(own) + 1] in ("/", "?", ""):
            return location[len(own):] or "/"
        return location

    def _redirect_url(self, quoted_path: str, query: str, host: str, subdomain: str | None,
                      scheme: str, domain_part: str | None) -> str:
        location = self._absolute(domain_part, quoted_path, host, subdomain, scheme)
        if query:
            location += "?" + query
        return self._relative(location, host, subdomain, scheme)

    def _redirect_to(self, rule: CompiledRule, args: dict, host: str, subdomain: str | None,
                     scheme: str) -> str:
        target = rule.redirect_to
        if isinstance(target, str):
            target = _PLACEHOLDER.sub(
                lambda m: rule.converters[m.group(1)].to_url(args[m.group(1)]), target)
        else:
            try:
                target = target(_AdapterShim(self, host, subdomain, scheme), **args)
            except Exception as exc:  # noqa: BLE001 - the app's own callable
                raise RouteError(f"redirect_to callable of {rule.rule!r} failed: {exc}",
                                 str(rule.source) if rule.source else None) from None
        if self.settings.host_matching:
            netloc = host
        else:
            server_name = self._server_name(host)
            netloc = f"{subdomain}.{server_name}" if subdomain else server_name
        location = urljoin(f"{scheme}://{netloc}/", target)
        return self._relative(location, host, subdomain, scheme)

    def _build(self, endpoint: Any, values: dict, method: str | None,
               host: str) -> tuple[str, str] | None:
        """Werkzeug's URL building for an endpoint: (domain part, path) or None."""
        if method is None:
            built = self._build(endpoint, values, "GET", host)
            if built is not None:
                return built
        first = None
        for rule in self.rules_by_endpoint.get(endpoint, ()):
            if _suitable(rule, values, method):
                try:
                    built = _build_rule(rule, values)
                except ValidationError:
                    continue
                if not self.settings.host_matching or built[0] == host:
                    return built
                if first is None:
                    first = built
        return first

    def build(self, endpoint: str, values: dict | None = None, method: str | None = None,
              host: str | None = None) -> str | None:
        """The URL ``url_for(endpoint, **values)`` would give, or None if no rule fits."""
        request_host = normalize_host(host or self.settings.server_name or DEFAULT_HOST)
        domain, subdomain = self._domain(request_host)
        built = self._build(endpoint, {k: v for k, v in (values or {}).items() if v is not None},
                            method, request_host)
        if built is None:
            return None
        location = self._absolute(built[0], built[1], request_host, subdomain, "http")
        return self._relative(location, request_host, subdomain, "http")

    # -- batch ----------------------------------------------------------------------

    def match_lines(self, lines: Iterable[str], host: str | None = None
                    ) -> Iterator[MatchResult | RouteError]:
        """Answer ``METHOD URL`` (or ``URL``, meaning GET) lines, skipping blanks and
        ``#`` comments; yields a result per request line, or the RouteError for a bad one.
        Streams: nothing is kept between lines."""
        for line in lines:
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            fields = text.split()
            if len(fields) == 1:
                method, url = "GET", fields[0]
            elif len(fields) == 2:
                method, url = fields
            else:
                yield RouteError(f"expected 'METHOD URL' or 'URL', got {text!r}")
                continue
            try:
                yield self.match(method, url, host)
            except RouteError as exc:
                yield exc

    # -- analysis (loaded on demand) ------------------------------------------------

    def conflicts(self):
        """Every pair of routes that can answer the same request, classified and witnessed."""
        from .analysis import conflicts

        return conflicts(self)

    def lint(self, **options):
        """Run every check; returns a report whose ``to_dict()`` is CONTRACT §6's JSON."""
        from .analysis import lint

        return lint(self, **options)


_METHODS: dict[str, str] = {}


def _check_method(method: str) -> str:
    """Validate and upper-case a method (remembering the common ones)."""
    if not isinstance(method, str) or not method or not _TOKEN_CHARS.issuperset(method):
        raise RouteError(f"invalid HTTP method {method!r}")
    upper = method.upper()
    if len(_METHODS) < 256:
        _METHODS[method] = upper
    return upper


def _suitable(rule: CompiledRule, values: dict, method: str | None) -> bool:
    """Werkzeug's Rule.suitable_for: can this rule build a URL from ``values``?"""
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


def _build_rule(rule: CompiledRule, values: dict) -> tuple[str, str]:
    """Build (domain part, quoted path) from a rule's tokens and ``values``."""
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


class _AdapterShim:
    """The few MapAdapter attributes a ``redirect_to`` callable may use."""

    def __init__(self, table: RouteTable, host: str, subdomain: str | None, scheme: str):
        self._table = table
        self.server_name = table._server_name(host)
        self.subdomain = subdomain
        self.url_scheme = scheme
        self.script_name = "/"

    def build(self, endpoint, values=None, method=None, force_external=False, **_ignored):
        return self._table.build(endpoint, values, method, self.server_name)
