"""The routing table: compile routes once, then answer requests like Flask would."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from routecli.errors import AppExit, RouteError
from routecli.gc_paused import gc_paused
from routecli.routing import batch
from routecli.routing.model import Route, RouteSet
from routecli.routing.result import (
    BAD_REQUEST,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    MatchResult,
)
from routecli.routing.urls import KNOWN_METHODS, check_method, check_target, decode_path, split_url
from routecli.routing.werkzeug import binding
from routecli.routing.werkzeug.binding import Bound
from routecli.routing.werkzeug.compiler import CompiledRule, RuleCompiler
from routecli.routing.werkzeug.converters import URL_SAFE, ValidationError
from routecli.routing.werkzeug.endpoints import endpoint_groups, link_default_providers
from routecli.routing.werkzeug.matcher import Matcher, Search, first_rule_taking

if TYPE_CHECKING:  # building and codegen load when first needed (start-up)
    from routecli.routing.werkzeug import building


class _GeneratedMatch:
    """``RouteTable.match`` (and ``match_index``): on the class, the general method (every
    request, and ``RouteTable.match(table, ...)``); on a table, its generated ``match``
    (see :meth:`RouteTable._compile_match`), made when ``table.match`` is first looked up
    and kept in the table's ``__dict__``, where later look-ups find it first (and a caller
    that holds ``table.match`` holds the generated function). A table nobody asks (lint,
    ``routecli match`` with one request) never generates it."""

    def __init__(self, general, rule_only: bool = False) -> None:
        self.general = general
        self.rule_only = rule_only
        functools.update_wrapper(self, general)

    def __get__(self, table, owner=None):
        if table is None:
            return self.general
        if table._plain is None:  # the host can change the answer: always the general path
            found = self.general.__get__(table, owner)
        else:
            found = table._compile_match(self.rule_only)
        table.__dict__[self.general.__name__] = found
        return found


class RouteTable:
    """Routes compiled into Werkzeug's matching structure.

    Build one with :func:`routecli.load`, :meth:`from_data` or from a
    :class:`~routecli.routing.model.RouteSet`; ask it with :meth:`match`.
    """

    dialect_name = "werkzeug"

    def __init__(self, routeset: RouteSet | Iterable[Route]) -> None:
        with gc_paused():
            self._compile_routes(routeset)

    def _compile_routes(self, routeset: RouteSet | Iterable[Route]) -> None:
        if not isinstance(routeset, RouteSet):
            routeset = RouteSet(list(routeset))
        self.routeset = routeset
        self.settings = settings = routeset.settings
        self.routes: list[Route] = routeset.routes
        compiler = RuleCompiler(settings, routeset.converters)
        self.rules: list[CompiledRule] = [
            compiler.compile(route, index) for index, route in enumerate(self.routes)
        ]
        link_default_providers(self.rules)
        self.matcher = Matcher(self.rules, settings.merge_slashes)
        try:
            if not settings.server_name.isascii():
                # Flask compares SERVER_NAME with the request's (Punycode) host as written.
                try:
                    punycode = settings.server_name.encode("idna").decode("ascii")
                except UnicodeError:
                    punycode = "its xn-- form"
                raise RouteError(f"{settings.server_name!r} is not ASCII: write {punycode!r}")
            self._default = binding.bind(settings, None)
        except RouteError as exc:
            raise RouteError(f"settings.server_name: {exc.message}",
                             ", ".join(routeset.sources) or None) from None
        # The hot path: requests without a host, when the host cannot change the answer.
        self._plain = (self._default if not settings.host_matching and self._default.trusted
                       and (not settings.server_name or not settings.subdomain_matching)
                       else None)
        self._plain_host = self._default.host
        # Static paths a request can name as they are (no "?", "#", "%" or leading "//").
        statics = self.matcher.static_paths.get(self._default.domain, {})
        self._plain_statics = {
            path: state for path, state in statics.items()
            if path[:1] == "/" and path[1:2] != "/" and not any(c in path for c in "?#%")}
        if len(self._plain_statics) == len(statics):
            self._plain_statics = statics  # the same entries: one dict, not two
        # Where a plain path's search starts: the default domain's state, when no dynamic
        # domain part could compete with it (else None: the matcher's general search).
        root = self.matcher.root
        self._plain_start = None if root.dynamic else root.static.get(self._default.domain)
        self._merge_slashes = settings.merge_slashes

    @cached_property
    def rules_by_endpoint(self) -> Mapping[Any, tuple[CompiledRule, ...]]:
        """Each endpoint's rules in URL-building preference; made when first needed
        (building a URL, an alias redirect), not kept by every loaded table."""
        return endpoint_groups(self.rules)

    def __reduce__(self):
        # Compiled parts hold closures (quick converter tests, regex automata), so a table
        # pickles as its routes and compiles again when loaded: a Spark/Dask worker gets
        # the same table, answering the same.
        return (type(self), (self.routeset,))

    @classmethod
    def from_data(cls, data: Any, origin: str = "<data>") -> RouteTable:
        """Build a table from the route-file mapping (docs/sources.md#route-file-schema) (``{"routes": [...]}``), already parsed."""
        from routecli.sources.schema import routeset_from_data

        return cls(routeset_from_data(data, origin))

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self) -> Iterator[CompiledRule]:
        """The compiled rules, in definition order."""
        return iter(self.rules)

    # -- matching -----------------------------------------------------------------

    def match(self, method: str, url: str, host: str | None = None, *,
              explain: bool = False) -> MatchResult:
        """Answer ``method url`` as Flask would; never raises for 404/405/308.

        ``url`` is a path (with optional query) or an absolute URL; ``host``
        sets the request host (else the URL's, else the server name or
        "localhost"). Raises :class:`RouteError` for input no client would
        send (an invalid method, URL or host). When the app's own code (a
        converter, a ``redirect_to`` callable) fails, the answer is Flask's:
        a 500, or the status a converter's ``abort()`` raised.
        """
        # The general path: every request. A table whose host cannot change the answer
        # answers plain requests through its generated ``match`` (see _compile_match).
        if explain:
            result = RouteTable.match(self, method, url, host)
            result.explanation = self.explain(result)
            return result
        try:
            upper = KNOWN_METHODS.get(method)
        except TypeError:  # unhashable: certainly not a method
            upper = None
        if upper is None:
            upper = check_method(method)
        check_target(url, host)
        scheme, url_host, raw_path, query = split_url(url)
        scheme = scheme or "http"
        bound = self.bind(host or url_host, scheme)
        return self._answer(upper, url, decode_path(raw_path), query, bound)

    match = _GeneratedMatch(match)

    def match_index(self, method: str, url: str, host: str | None = None) -> MatchResult | int:
        """:meth:`match`'s answer, or only the index in :attr:`rules` of the rule that
        answers 200 when that is all it would add (the usual match, whose arguments would
        be converted): for callers that count answers (``coverage``), which need neither
        the arguments nor the result object. The rule is always the one :meth:`match`
        names; an ``int`` means status 200."""
        return self.match(method, url, host)

    match_index = _GeneratedMatch(match_index, rule_only=True)

    def _compile_match(self, rule_only: bool = False):
        """The table's generated ``match`` (see codegen; ``--batch`` takes it too), or with
        ``rule_only`` its ``match_index`` (``coverage``): it answers plain requests (a
        known method, a path on the default host, nothing to parse or decode), hands
        anything unusual (redirects, defaults, a converter refusing) to
        :meth:`_plain_answer`, which handles every case and gives the same answers, and
        every other request to the general :meth:`match`. Only the root's code is
        generated here; subtrees are compiled as traffic visits them."""
        from routecli.routing.werkzeug import codegen, match_function

        answers = codegen.Answers(self._plain_host, self._plain_found, self._plain_answer,
                                  rule_only)
        return match_function.compile_match(
            answers, self._plain_start, self._plain_statics, self._merge_slashes,
            KNOWN_METHODS, self._plain_answer, self._plain_no_match,
            functools.partial(RouteTable.match, self))

    def _plain_answer(self, method: str, path: str) -> MatchResult:
        """A plain request (see _compile_match) answered the general way."""
        return self._answer(method, path, path, "", self._plain)

    def _plain_no_match(self, method: str, path: str, misses: list) -> MatchResult:
        """The generated search found nothing but recorded ``misses`` (codegen's
        protocol) that are no single state's methods."""
        from routecli.routing.werkzeug import codegen

        allowed, websocket_mismatch = codegen.missed(misses, method)
        return self._no_match(method, path, path, self._plain_host, allowed,
                              websocket_mismatch)

    def _plain_found(self, method: str, path: str, rule: CompiledRule, values: tuple,
                     misses: list) -> MatchResult:
        """The generated search matched a rule that is not ``simple`` (redirects,
        defaults): the general path, told what the search found (and the methods it saw
        on the way, should a converter refuse: a 405)."""
        from routecli.routing.werkzeug import codegen

        outcome = Search(method, False)
        outcome.rule = rule
        outcome.values = list(values)
        outcome.allowed, outcome.ws_mismatch = codegen.missed(misses, method)
        return self._answer(method, path, path, "", self._plain, outcome)

    def explain(self, result: MatchResult) -> list:
        """The near misses of an answer (``match --explain``)."""
        from routecli.routing.werkzeug.explain import explain

        return explain(self, result)

    def matching_rules(self, url: str, host: str | None = None) -> list[CompiledRule]:
        """Every rule whose pattern matches ``url`` (any method), in definition order."""
        from routecli.routing.werkzeug.explain import matching_rules

        return matching_rules(self, url, host)

    def bind(self, host: str | None, scheme: str = "http") -> Bound:
        """The request context for a host (None: the default), as Flask binds it."""
        if not host and scheme == "http":
            return self._default
        return binding.bind(self.settings, host, scheme)

    def _answer(self, method: str, url: str, path: str, query: str, bound: Bound,
                outcome=None) -> MatchResult:
        """Every case; ``outcome`` is the matcher's search when the caller already ran it."""
        host = bound.host
        if not bound.trusted:
            return MatchResult(method, url, path, host, BAD_REQUEST).with_details(reason=f"host {host!r} is not in trusted_hosts")
        websocket = bound.scheme in ("ws", "wss")
        rule = None
        state = None
        if outcome is None:
            statics = self.matcher.static_paths.get(bound.domain)
            state = None if statics is None else statics.get(path)
        if state is not None:
            rule = first_rule_taking(state.rules, method, websocket)
        ws_mismatch = False
        if rule is not None:
            if rule.plain:
                return MatchResult(method, url, path, host, OK, rule, {}).with_details(automatic_options=method == "OPTIONS" and rule.automatic_options)
            values: list[str] = []
            allowed: set[str] = set()
        else:
            if outcome is None:
                outcome = self.matcher.search(bound.domain, path, method, websocket)
            if outcome.kind != "match" and outcome.kind != "none":
                from routecli.routing.werkzeug import building

                target = building.redirect_location(bound, quote(outcome.path, safe=URL_SAFE),
                                                    query, None, self.settings.host_matching)
                return MatchResult(method, url, path, host, REDIRECT, outcome.rule).with_details(location=target, redirect=outcome.kind)
            if outcome.kind == "none":
                return self._no_match(method, url, path, host, outcome.allowed,
                                      outcome.ws_mismatch)
            rule, values, allowed = outcome.rule, outcome.values, outcome.allowed
            ws_mismatch = outcome.ws_mismatch

        args: dict[str, Any] = dict(zip(rule.variables, values))
        for name, to_python in rule.to_python:  # the converters' own, shared by rules
            try:
                args[name] = to_python(args[name])
            except ValidationError:
                # No fallback to other rules: Werkzeug answers 405/400/404 right here.
                return self._no_match(method, url, path, host, allowed, ws_mismatch,
                                      reason=f"converter {rule.converters[name].spec} "
                                             f"refused {args[name]!r} for '{name}'")
            except Exception as exc:  # noqa: BLE001 - the app's converter failed
                return _converter_failure(method, url, path, host, rule,
                                          rule.converters[name], exc)
            except SystemExit as exc:  # the app's code must not end the caller's process
                raise AppExit(exc.code, f"converter {rule.converters[name].spec} of "
                                        f"{rule.rule!r}") from exc
        if not rule.simple and rule.defaults:  # (simple: no defaults, no redirect)
            # A copy: callers may change the answer's values without changing the table.
            if rule.mutable_defaults:
                import copy

                args.update(copy.deepcopy(rule.defaults))
            else:
                args.update(rule.defaults)

        try:
            redirect = self._rule_redirect(rule, args, method, path, query, bound)
        except SystemExit as exc:  # the app's code must not end the caller's process
            raise AppExit(exc.code, f"building the redirect of {rule.rule!r}") from exc
        except Exception as exc:  # noqa: BLE001 - building the target failed: a 500 in Flask
            return _server_error(method, url, path, host,
                                 f"building the redirect of {rule.rule!r} failed: "
                                 f"{type(exc).__name__}: {exc}")
        if redirect is not None:
            kind, target = redirect
            return MatchResult(method, url, path, host, REDIRECT, rule).with_details(location=target,
                               redirect=kind)
        automatic = method == "OPTIONS" and rule.automatic_options
        return MatchResult(method, url, path, host, OK, rule, args).with_details(automatic_options=automatic)

    def _rule_redirect(self, rule: CompiledRule, args: dict, method: str, path: str,
                       query: str, bound: Bound) -> tuple[str, str | None] | None:
        """(kind, location) when the matched rule answers with a redirect: alias,
        redirect_defaults or redirect_to, in Werkzeug's order; else None. Raises what
        building raises (Flask answers 500 then)."""
        if rule.simple:  # no alias, redirect_to or default providers
            return None
        from routecli.routing.werkzeug import building

        settings = self.settings
        if rule.alias and settings.redirect_defaults:
            values = {k: v for k, v in args.items() if v is not None}
            built = building.build_for_endpoint(self.rules_by_endpoint[rule.endpoint], values,
                                                method, bound, settings.host_matching)
            if built is None:
                raise ValueError(f"no rule of endpoint {rule.endpoint!r} builds {values!r}")
            domain_part, built_path, target_rule = built
            scheme = binding.built_scheme(bound.scheme, target_rule.websocket)
            target = f"{scheme}://{binding.host_for(bound, domain_part, settings.host_matching)}"
            target += "/" + built_path.lstrip("/")
            if query:
                target += "?" + query
            return "alias", binding.location(bound, target)
        if settings.redirect_defaults and rule.default_providers:
            for provider in rule.default_providers:
                if building.suitable(provider, args, method):
                    values = dict(args)
                    values.update(provider.defaults)
                    # A provider that cannot build makes Werkzeug fail (500), not skip it.
                    domain_part, built_path = building.build_rule(provider, values)
                    return "defaults", building.redirect_location(
                        bound, built_path, query, domain_part, settings.host_matching)
        if rule.redirect_to is not None:
            return "redirect_to", building.redirect_to_location(self, rule, args, bound,
                                                                (method, path, query))
        return None

    def _no_match(self, method, url, path, host, allowed, websocket_mismatch,
                  reason=None) -> MatchResult:
        if allowed:
            return MatchResult(method, url, path, host, METHOD_NOT_ALLOWED).with_details(allowed_methods=sorted(allowed), reason=reason)
        if websocket_mismatch:
            return MatchResult(method, url, path, host, BAD_REQUEST).with_details(reason="websocket mismatch")
        return MatchResult(method, url, path, host, NOT_FOUND).with_details(reason=reason)

    # -- URL building ---------------------------------------------------------------

    def build(self, endpoint: str, values: dict | None = None, method: str | None = None,
              host: str | None = None, *, force_external: bool = False,
              append_unknown: bool = True, url_scheme: str | None = None,
              prepare: building.Prepare | None = None) -> str | None:
        """Werkzeug's ``MapAdapter.build`` (what ``url_for`` calls): a path on the
        request's host, else an absolute URL; values no variable takes become the query
        string (``append_unknown``); None when no rule of the endpoint can be built.
        ``prepare(rule, values)`` adapts the values to each rule (e.g. typing text values,
        :mod:`routecli.routing.werkzeug.url_for`); None means that rule cannot take them."""
        built = self.build_with_rule(endpoint, values, method, host,
                                     force_external=force_external,
                                     append_unknown=append_unknown, url_scheme=url_scheme,
                                     prepare=prepare)
        return None if built is None else built[0]

    def build_with_rule(self, endpoint: str, values: dict | None = None,
                        method: str | None = None, host: str | None = None, *,
                        force_external: bool = False, append_unknown: bool = True,
                        url_scheme: str | None = None, prepare: building.Prepare | None = None
                        ) -> tuple[str, CompiledRule] | None:
        """:meth:`build`, also saying which rule built the URL: (url, rule) or None."""
        from routecli.routing.werkzeug import building

        bound = self.bind(host)
        values = {k: v for k, v in (values or {}).items() if v is not None}
        host_matching = self.settings.host_matching
        built = building.build_for_endpoint(self.rules_by_endpoint.get(endpoint, ()), values,
                                            method, bound, host_matching, prepare)
        if built is None:
            return None
        domain_part, path, rule = built
        if prepare is not None:
            values = prepare(rule, values)
        scheme = binding.built_scheme(bound.scheme if url_scheme is None else url_scheme,
                                      rule.websocket)
        host = binding.host_for(bound, domain_part, host_matching)
        url = "/" + path.lstrip("/")
        query = building.unknown_values_query(rule, values) if append_unknown else ""
        if query:
            url += "?" + query
        # A path when the target is the request's host (whatever the scheme, as Werkzeug);
        # a websocket rule's URL is always absolute.
        if force_external or rule.websocket or host != bound.host:
            url = (f"{scheme}:" if scheme else "") + f"//{host}{url}"
        return url, rule

    # -- batch ----------------------------------------------------------------------

    def match_lines(self, lines: Iterable[str], host: str | None = None
                    ) -> Iterator[tuple[int, MatchResult | RouteError]]:
        """Answer ``METHOD URL`` (or ``URL``, meaning GET) lines, skipping blanks and
        ``#`` comments; yields (line number, result) per request line, with the
        RouteError for a bad one. Streams: nothing is kept between lines."""
        return batch.match_lines(self, lines, host)

    # -- analysis (loaded on demand) ------------------------------------------------

    def conflicts(self, **options):
        """Every pair of routes that can answer the same request, classified and witnessed."""
        from routecli.analysis import conflicts

        return conflicts(self, **options)

    def lint(self, **options):
        """Run every check; returns a report whose ``to_dict()`` is docs/lint.md#findings JSON."""
        from routecli.analysis import lint

        return lint(self, **options)


def _server_error(method: str, url: str, path: str, host: str, reason: str) -> MatchResult:
    """What Flask answers when the app's own code fails while answering: a 500."""
    return MatchResult(method, url, path, host, 500).with_details(reason=reason.replace("\n", " "))


def _converter_failure(method: str, url: str, path: str, host: str, rule: CompiledRule,
                       converter, exc: Exception) -> MatchResult:
    """What Flask answers when an app's converter raises something other than a
    ValidationError: an HTTPException (``abort(404)``) answers with its own status,
    anything else is a 500. Matching stops there, as in Werkzeug."""
    code = getattr(exc, "code", None)
    is_http = any(cls.__name__ == "HTTPException" and cls.__module__ == "werkzeug.exceptions"
                  for cls in type(exc).__mro__)
    status = code if is_http and isinstance(code, int) and 300 <= code < 600 else 500
    location = getattr(exc, "new_url", None) if 300 <= status < 400 else None
    reason = (f"converter {converter.spec} of {rule.rule!r} raised "
              f"{type(exc).__name__}: {exc}".replace("\n", " "))
    return MatchResult(method, url, path, host, status, rule if location else None).with_details(location=location, reason=reason)
