"""A Starlette or FastAPI routing table: answers requests as the framework does.

Statuses: 200; 307 slash redirect (absolute ``location``, query kept, whatever the
method); 404; 405 with the Allow of the first route whose path matched; 422 when FastAPI
refuses a path parameter of the chosen route; 500 when a convertor raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote, unquote

from routecli.errors import RouteError
from routecli.gc_paused import gc_paused
from routecli.routing import batch
from routecli.routing.model import RouteSet, Settings
from routecli.routing.ordered import Entry
from routecli.routing.result import (
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    OK,
    SERVER_ERROR,
    TEMPORARY_REDIRECT,
    UNPROCESSABLE,
    MatchResult,
)
from routecli.routing.segment_index import sized
from routecli.routing.starlette.compiler import compile_routeset
from routecli.routing.starlette.matcher import candidates, dispatch
from routecli.routing.starlette.validation import refusal
from routecli.routing.urls import check_method, check_target, split_url

# What Starlette's RedirectResponse leaves unquoted in a Location.
_LOCATION_SAFE = ":/%#?=@[]!$&'()*+,;"
DEFAULT_HOST = "localhost"


class StarletteTable:
    """Routes compiled into Starlette's routers; ask it with :meth:`match`."""

    def __init__(self, routeset: RouteSet | Iterable) -> None:
        if not isinstance(routeset, RouteSet):
            routeset = RouteSet(list(routeset), dialect="starlette")
        self.routeset = routeset
        self.dialect_name = routeset.dialect
        self.options = dict(routeset.options)
        self.settings = Settings()  # Werkzeug's, at their defaults: readers expect one
        self.routes = routeset.routes
        with gc_paused():
            self.router, self.rules = compile_routeset(routeset)

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self) -> Iterator[Entry]:
        """Every entry (routes, mounts, hosts) in declaration order."""
        return iter(self.rules)

    # -- matching -----------------------------------------------------------------

    def match(self, method: str, url: str, host: str | None = None, *,
              explain: bool = False) -> MatchResult:
        """Answer ``method url`` as Starlette (or FastAPI) would; never raises for an
        answer. Raises :class:`RouteError` for a method or URL no client would send."""
        method = check_method(method)
        check_target(url, host)
        scheme, url_host, raw_path, query = split_url(url)
        scheme = scheme or "http"
        host = host or url_host or DEFAULT_HOST
        # an ASGI server hands the path on as sent: "//users" stays "//users" (Werkzeug
        # would strip the leading slashes to one; decode_path does that, so not here)
        path = unquote(raw_path, errors="replace") if "%" in raw_path else raw_path
        if not path.startswith("/"):
            path = "/" + path  # a request target always starts with one
        websocket = scheme in ("ws", "wss")
        outcome = dispatch(self.router, path, method, host, websocket)
        result = self._result(outcome, method, url, path, host, scheme, query)
        result.dialect = self.dialect_name
        if explain:
            result.explanation = self.explain(result)
        return result

    def match_cost(self, url: str) -> int:
        """How many top-level routes and mounts :meth:`match` tries for ``url`` (the index
        narrows them by literal segments): what one request costs, for callers that count
        the requests they ask (``diff``). Raises :class:`RouteError` as ``match`` does."""
        _, _, raw_path, _ = split_url(url)
        path = unquote(raw_path, errors="replace") if "%" in raw_path else raw_path
        return sized(candidates(self.router, path if path.startswith("/") else "/" + path))

    def _result(self, outcome, method: str, url: str, path: str, host: str, scheme: str,
                query: str) -> MatchResult:
        kind = outcome.kind
        if kind == "full":
            entry = outcome.item.entry
            handled = getattr(outcome.item, "handled", None)  # opaque apps have none
            if entry.kind == "endpoint" and handled is not None and method not in handled:
                # An HTTPEndpoint class takes every method and answers 405 itself.
                return MatchResult(method, url, path, host, METHOD_NOT_ALLOWED).with_details(allowed_methods=sorted(entry.allowed),
                                   reason=f"{entry.endpoint} (a class endpoint) has no "
                                          f"{method.lower()}() handler")
            types = entry.route.param_types
            if types:
                problem = refusal(types, outcome.params)
                if problem is not None:
                    return MatchResult(method, url, path, host, UNPROCESSABLE, entry,
                                       outcome.params).with_details(reason=problem)
            return MatchResult(method, url, path, host, OK, entry, outcome.params)
        if kind == "partial":
            entry = outcome.item.entry
            return MatchResult(method, url, path, host, METHOD_NOT_ALLOWED).with_details(allowed_methods=sorted(outcome.item.allowed or ()),
                               reason=f"{entry.rule!r} ({entry.endpoint}) matched the path "
                                      "first; its methods are the Allow header")
        if kind == "redirect":
            target = outcome.location_path.replace("?", "%3F").replace("#", "%23")
            target = target.replace("\\", "%5C")
            location = f"{scheme}://{host}{target}" + (f"?{query}" if query else "")
            return MatchResult(method, url, path, host, TEMPORARY_REDIRECT,
                               outcome.item.entry).with_details(location=quote(location, safe=_LOCATION_SAFE),
                               redirect="slash")
        if kind == "error":
            return MatchResult(method, url, path, host, SERVER_ERROR).with_details(reason=outcome.error)
        if outcome.item is not None:
            mount = outcome.item.entry
            return MatchResult(method, url, path, host, NOT_FOUND).with_details(reason=f"the mount {mount.rule!r} (#{mount.position}) took the "
                                      "request and none of its routes match it; Starlette "
                                      "never tries the routes after a mount")
        return MatchResult(method, url, path, host, NOT_FOUND)

    def match_lines(self, lines: Iterable[str], host: str | None = None
                    ) -> Iterator[tuple[int, MatchResult | RouteError]]:
        """Answer request lines (see :func:`routecli.routing.batch.match_lines`)."""
        return batch.match_lines(self, lines, host)

    def explain(self, result: MatchResult) -> list:
        """Which routes almost answered, and why they lost (``match --explain``)."""
        from routecli.routing.starlette.explain import explain

        return explain(self, result)

    def matching_rules(self, url: str, host: str | None = None) -> list[Entry]:
        """Every route whose own path matches ``url`` (any method, order ignored)."""
        from routecli.routing.starlette.explain import matching_entries

        return matching_entries(self, url, host)

    def url_path_for(self, name: str, /, **params: Any):
        """Starlette's ``router.url_path_for(name, **params)``: the path (a ``str`` with
        ``.protocol`` and ``.host``), or :class:`~routecli.routing.starlette.url_path_for.NoMatchFound`
        (a RouteError); ``ConvertorRefusal`` when a convertor refuses a value."""
        from routecli.routing.starlette.url_path_for import url_path_for

        return url_path_for(self.router, name, params)

    def build(self, endpoint: str, values: dict | None = None) -> str | None:
        """The path ``url_path_for(endpoint, **values)`` builds, None when no route does."""
        from routecli.routing.starlette.url_path_for import NoMatchFound

        try:
            return str(self.url_path_for(endpoint, **(values or {})))
        except NoMatchFound:
            return None

    # -- analysis (loaded on demand) ------------------------------------------------

    def conflicts(self, **options):
        """Every pair of routes that can answer the same request, classified and witnessed."""
        from routecli.analysis import conflicts

        return conflicts(self, **options)

    def lint(self, **options):
        """Run the dialect's checks; returns a report (docs/lint.md#findings)."""
        from routecli.analysis import lint

        return lint(self, **options)
