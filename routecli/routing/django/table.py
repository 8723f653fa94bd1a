"""A Django URLconf ready to answer requests as Django (with CommonMiddleware) would."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from routecli.errors import RouteError
from routecli.gc_paused import gc_paused
from routecli.routing import batch
from routecli.routing.django.build import tree_from_routeset
from routecli.routing.django.language import ANY, flatten
from routecli.routing.django.request import path_info, slash_location
from routecli.routing.django.resolver import Hit, Level
from routecli.routing.django.urlconf import Endpoint, Include, finish, join_route
from routecli.routing.lazy import LazySlots
from routecli.routing.model import Route, RouteSet, Settings
from routecli.routing.ordered import Entry, position_text
from routecli.routing.result import (
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    OK,
    SERVER_ERROR,
    MatchResult,
)
from routecli.routing.segment_index import sized
from routecli.routing.urls import KNOWN_METHODS, check_method, check_target, split_url

MOVED_PERMANENTLY = 301
# Methods whose APPEND_SLASH redirect is a RuntimeError (a 500) under DEBUG: DELETE
# only from Django 5.0 on.
_BODY_METHODS = frozenset({"DELETE", "POST", "PUT", "PATCH"})
_BODY_METHODS_4 = frozenset({"POST", "PUT", "PATCH"})


class DjangoSettings:
    """The settings resolution depends on: APPEND_SLASH (CommonMiddleware installed,
    as in the project template), DEBUG, and the Django version ("4.2", "5.2": which
    methods DEBUG refuses to redirect)."""

    __slots__ = ("append_slash", "debug", "django_version")
    FIELDS = __slots__

    def __init__(self, append_slash: bool = True, debug: bool = False,
                 django_version: str = "5.2") -> None:
        self.append_slash = append_slash
        self.debug = debug
        self.django_version = django_version

    @property
    def body_methods(self) -> frozenset[str]:
        """The methods APPEND_SLASH answers with a 500 under DEBUG."""
        major = self.django_version.split(".", 1)[0]
        return _BODY_METHODS_4 if major.isdigit() and int(major) < 5 else _BODY_METHODS

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}

    def __repr__(self) -> str:
        return f"DjangoSettings({self.to_dict()!r})"


class DjangoMatch(MatchResult):
    """A :class:`MatchResult` with what Django adds: the view's dotted path, positional
    args (``re_path`` groups without names) and, for a 404, the patterns tried."""

    __slots__ = ("positional", "tried")

    dialect = "django"

    def __init__(self, method: str, url: str, path: str, host: str, status: int,
                 rule=None, args=None, *, positional: tuple = (), **details) -> None:
        super().__init__(method, url, path, host, status, rule, args)
        self.with_details(**details)
        self.positional = positional
        self.tried = None

    @property
    def view(self) -> str | None:
        return None if self.rule is None else self.rule.route.view

    @property
    def view_source(self) -> str | None:
        """Where a live project's view is defined (the source is the path() line)."""
        return None if self.rule is None else (self.rule.route.extra or {}).get("view_source")

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["view"] = self.view
        if self.view_source:
            data["view_source"] = self.view_source
        if self.positional:
            data["positional_args"] = list(self.positional)
        if self.tried is not None:
            data["tried"] = self.tried
        return data


class DjangoTable:
    """A URLconf compiled for matching, from a :class:`RouteSet` of the ``django``
    dialect (see :mod:`routecli.routing.django.build`)."""

    def __init__(self, routeset: RouteSet | Iterable) -> None:
        if not isinstance(routeset, RouteSet):
            routeset = RouteSet(list(routeset), dialect="django")
        self.routeset = routeset
        self.dialect_name = "django"
        self.options = dict(routeset.options)
        self.settings = Settings()  # Werkzeug's, at their defaults: readers expect one
        self.django = DjangoSettings(append_slash=self.options.get("append_slash", True),
                                     debug=self.options.get("debug", False),
                                     django_version=str(self.options.get("django_version",
                                                                         "5.2")))
        self.routes = routeset.routes
        self.sources = routeset.sources
        with gc_paused():
            self.patterns = tree_from_routeset(routeset)
            self.endpoints: list[Endpoint] = finish(self.patterns)
            self.root = Level(self.patterns)
            self.rules: list[Entry] = entries(self.patterns)
        self._reverser = None

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self) -> Iterator[Entry]:
        """Every entry (includes and patterns) in URLconf order."""
        return iter(self.rules)

    def resolve(self, path: str) -> Hit | None:
        """``django.urls.resolve(path)``: the hit, or None for Resolver404."""
        if not path.startswith("/"):  # the root resolver's pattern is ^/
            return None
        return self.root.resolve(path[1:])

    def tried(self, path: str) -> list[str]:
        """The patterns Django's 404 page lists for ``path``, one line per attempt."""
        if not path.startswith("/"):
            return []
        return [" ".join(_describe(p) for p in attempt)
                for attempt in self.root.tried(path[1:])]

    def match_cost(self, url: str) -> int:
        """How many top-level patterns :meth:`match` tries for ``url`` (the index narrows
        them by literal segments): what one request costs, for callers that count the
        requests they ask (``diff``). Raises :class:`RouteError` as ``match`` does."""
        _, _, raw_path, _ = split_url(url)
        path = path_info(raw_path)
        return sized(self.root.candidates(path[1:])) if path.startswith("/") else 0

    def match(self, method: str, url: str, host: str | None = None, *,
              explain: bool = False) -> DjangoMatch:
        """Answer ``method url`` as Django with CommonMiddleware would: 200, a view's 405,
        APPEND_SLASH's 301 (or its DEBUG 500), or 404. Raises RouteError for input no
        client would send."""
        upper = KNOWN_METHODS.get(method) if isinstance(method, str) else None
        if upper is None:
            upper = check_method(method)
        check_target(url, host)
        _scheme, url_host, raw_path, query = split_url(url)
        path = path_info(raw_path)
        result = self._answer(upper, url, path, query, host or url_host or "localhost")
        if explain:
            if result.status == NOT_FOUND:
                result.tried = self.tried(path)
            result.explanation = self.explain(result)
        return result

    def _answer(self, method: str, url: str, path: str, query: str, host: str) -> DjangoMatch:
        hit = self.resolve(path)
        if hit is not None:
            endpoint = hit.endpoint
            allowed = endpoint.methods
            status = OK if allowed is None or method in allowed else METHOD_NOT_ALLOWED
            return DjangoMatch(method, url, path, host, status, rule=endpoint.entry,
                               args=hit.kwargs,
                               allowed_methods=None if allowed is None else list(allowed),
                               positional=hit.args)
        settings = self.django
        if settings.append_slash and not path.endswith("/"):
            target = self.resolve(path + "/")
            if target is not None and target.endpoint.append_slash:
                location = slash_location(path, query)
                if settings.debug and method in settings.body_methods:
                    return DjangoMatch(method, url, path, host, SERVER_ERROR,
                                       rule=target.endpoint.entry,
                                       reason=f"RuntimeError: APPEND_SLASH cannot redirect "
                                              f"a {method} to {location} under DEBUG")
                return DjangoMatch(method, url, path, host, MOVED_PERMANENTLY,
                                   rule=target.endpoint.entry, location=location,
                                   redirect="append_slash")
        if settings.debug and self._welcome_page(path):
            return DjangoMatch(method, url, path, host, OK,
                               reason="Django's default page: DEBUG is on and the URLconf "
                                      "is empty (or holds only the admin)")
        return DjangoMatch(method, url, path, host, NOT_FOUND)

    def _welcome_page(self, path: str) -> bool:
        """Django's DEBUG 404 handler answers 200 with its welcome page when nothing was
        tried (an empty URLconf) or, for "/", only the admin include was."""
        if not path.startswith("/"):
            return False
        tried = self.root.tried(path[1:])
        if not tried:
            return True
        if path != "/" or len(tried) != 1 or len(tried[0]) != 1:
            return False
        only = tried[0][0]
        return getattr(only, "app_name", "") == getattr(only, "namespace", "") == "admin"

    def match_lines(self, lines: Iterable[str], host: str | None = None
                    ) -> Iterator[tuple[int, MatchResult | RouteError]]:
        """Answer request lines (see :func:`routecli.routing.batch.match_lines`)."""
        return batch.match_lines(self, lines, host)

    def explain(self, result: MatchResult) -> list:
        """Patterns that match the path on their own but did not answer (``match
        --explain``): taken by an earlier pattern, or refused by a converter."""
        from routecli.routing.django.explain import explain

        return explain(self, result)

    def matching_rules(self, url: str, host: str | None = None) -> list[Entry]:
        """Every pattern whose own include chain matches ``url`` (order ignored)."""
        from routecli.routing.django.explain import matching_endpoints

        _scheme, _host, raw_path, _query = split_url(url)
        return [e.entry for e in matching_endpoints(self, path_info(raw_path))]

    @property
    def reverser(self):
        """The URLconf indexed for ``reverse()`` (built on first use)."""
        if self._reverser is None:
            from routecli.routing.django.reverse import Reverser

            self._reverser = Reverser(self.patterns)
        return self._reverser

    def reverse(self, viewname: str, /, **kwargs: Any) -> str:
        """Django's ``reverse(viewname, kwargs=kwargs)``: the path, or
        :class:`~routecli.routing.django.reverse.NoReverseMatch` (a RouteError).
        Unnamed ``re_path`` groups are ``_0``, ``_1``... (as Django names them)."""
        return self.reverser.reverse(viewname, kwargs)[0]

    def build(self, endpoint: str, values: dict | None = None) -> str | None:
        """The path ``reverse(endpoint, kwargs=values)`` builds, None when no pattern does."""
        from routecli.routing.django.reverse import NoReverseMatch

        try:
            return self.reverse(endpoint, **(values or {}))
        except NoReverseMatch:
            return None

    # -- analysis (loaded on demand) ------------------------------------------------

    def conflicts(self, **options):
        """Every pair of patterns that can answer the same request, witnessed."""
        from routecli.analysis import conflicts

        return conflicts(self, **options)

    def lint(self, **options):
        """Run the Django checks; returns a report (docs/lint.md#findings)."""
        from routecli.analysis import lint

        return lint(self, **options)


class DjangoEntry(LazySlots, Entry):
    """An :class:`Entry` that also says which methods its view accepts (``routecli list``
    shows them: Django resolves for every method, the view answers 405 for the others;
    None when any method reaches it or it cannot be told). A pattern's ``pattern`` and
    ``exact`` (its language, for the analysis) are made when read."""

    __slots__ = ()

    @property
    def listed_methods(self) -> tuple[str, ...] | None:
        return None if self.kind == "include" else self.allowed

    @property
    def matching_identity(self):
        """The pattern (or an include's prefix) as Django matches it on what its
        includes left: its regex source
        and, for a ``path()``, each converter's regex and ``to_python`` (the project's
        converter object: a pattern with the same text and another converter registered
        under the name is another pattern). Django asks an earlier pattern first and, when
        its converter rejects the value, asks the next the same question: the same
        answer, as ``to_python`` is taken to answer alike for one value."""
        pattern = getattr(self.data, "pattern", None)
        if pattern is None:
            return None
        if pattern.kind == "regex":
            return ("regex", pattern.source, pattern.fullmatch)
        if pattern.kind != "path":
            return None
        converters = tuple((name, c.regex, c.to_python)
                           for name, c in pattern.converters.items())
        try:
            hash(converters)
        except TypeError:  # a converter object that cannot be told apart: not a copy
            return None
        return ("path", pattern.source, converters)


def _language(entry: DjangoEntry):
    return flatten((*(parent.data for parent in entry.parents), entry.data))


DjangoEntry._MAKERS = {"pattern": lambda entry: _language(entry).pattern,
                       "exact": lambda entry: _language(entry).exact}


def entries(patterns: list) -> list[Entry]:
    """One :class:`Entry` per include and per pattern, in URLconf order."""
    out: list[Entry] = []

    def walk(items: list, parents: tuple[Entry, ...], at: tuple[int, ...]) -> None:
        for number, item in enumerate(items):
            position = position_text((*at, number))
            chain = (*(p.data for p in parents), item)
            if isinstance(item, Include):
                language = flatten(chain, endpoint=False)
                group = item.group
                shown = join_prefixes(chain)
                route = Route(shown, item.namespace or "(include)", None, kind="include",
                              source=item.source,
                              noqa=tuple(group.options.get("noqa", ()) if group else ()))
                entry = DjangoEntry(len(out), position, route, shown, route.endpoint, "include",
                              None, language.pattern + ANY, exact=False,
                              source=item.source, parents=parents, data=item)
                item.entry = entry
                out.append(entry)
                walk(item.children, (*parents, entry), (*at, number))
                continue
            route = item.route or Route(item.rule, item.endpoint, item.methods,
                                        view=item.view, source=item.source)
            may_decline = any(c.may_reject for link in chain
                              for c in link.pattern.converters.values())
            entry = DjangoEntry(len(out), position, route, item.rule, item.endpoint, "route", None,
                          None, allowed=item.methods, exact=None,
                          may_decline=may_decline, source=item.source, parents=parents,
                          data=item)
            item.entry = entry
            out.append(entry)

    walk(patterns, (), ())
    return out


def join_prefixes(chain: tuple) -> str:
    route = ""
    for item in chain:
        route = join_route(route, str(item.pattern))
    return route


def _describe(pattern_item) -> str:
    text = str(pattern_item.pattern)
    name = getattr(pattern_item, "name", None)
    if isinstance(pattern_item, Endpoint) and name:
        return f"{text} [name='{name}']"
    namespace = getattr(pattern_item, "namespace", None)
    if namespace:
        return f"{text} [namespace='{namespace}']"
    return text
