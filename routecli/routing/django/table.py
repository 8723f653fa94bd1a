"""A Django URLconf ready to answer requests as Django (with CommonMiddleware) would."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from routecli.errors import RouteError
from routecli.routing import batch
from routecli.routing.django.request import path_info, slash_location
from routecli.routing.django.resolver import Hit, Level
from routecli.routing.django.urlconf import Endpoint, finish
from routecli.routing.result import METHOD_NOT_ALLOWED, NOT_FOUND, OK, MatchResult
from routecli.routing.urls import KNOWN_METHODS, check_method, split_url

MOVED_PERMANENTLY, SERVER_ERROR = 301, 500
# Methods whose APPEND_SLASH redirect is a RuntimeError (a 500) under DEBUG.
_BODY_METHODS = frozenset({"DELETE", "POST", "PUT", "PATCH"})


class DjangoSettings:
    """The settings resolution depends on: APPEND_SLASH (CommonMiddleware installed,
    as in the project template) and DEBUG."""

    __slots__ = ("append_slash", "debug")
    FIELDS = __slots__

    def __init__(self, append_slash: bool = True, debug: bool = False) -> None:
        self.append_slash = append_slash
        self.debug = debug

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}

    def __repr__(self) -> str:
        return f"DjangoSettings({self.to_dict()!r})"


class DjangoMatch(MatchResult):
    """A :class:`MatchResult` with what Django adds: the view's dotted path, positional
    args (``re_path`` groups without names) and, for a 404, the patterns tried."""

    __slots__ = ("positional", "tried")
    dialect = "django"

    def __init__(self, *args, positional: tuple = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.positional = positional
        self.tried = None

    @property
    def view(self) -> str | None:
        return None if self.rule is None else self.rule.view

    @property
    def ok(self) -> bool:
        return self.status in (OK, MOVED_PERMANENTLY)

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["dialect"] = self.dialect
        data["view"] = self.view
        if self.positional:
            data["positional_args"] = list(self.positional)
        if self.tried is not None:
            data["tried"] = self.tried
        return data


class DjangoTable:
    """A URLconf (a list of :class:`Endpoint` / :class:`Include`) compiled for matching."""

    dialect = "django"

    def __init__(self, patterns: list, settings: DjangoSettings | None = None,
                 sources: list[str] | None = None) -> None:
        self.patterns = patterns
        self.settings = settings or DjangoSettings()
        self.sources = sources or []
        self.endpoints: list[Endpoint] = finish(patterns)
        self.root = Level(patterns)

    def __len__(self) -> int:
        return len(self.endpoints)

    def __iter__(self) -> Iterator[Endpoint]:
        """The endpoints (views), in URLconf order."""
        return iter(self.endpoints)

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

    def match(self, method: str, url: str, host: str | None = None, *,
              explain: bool = False) -> DjangoMatch:
        """Answer ``method url`` as Django with CommonMiddleware would: 200, a view's 405,
        APPEND_SLASH's 301 (or its DEBUG 500), or 404. Raises RouteError for input no
        client would send."""
        upper = KNOWN_METHODS.get(method) if isinstance(method, str) else None
        if upper is None:
            upper = check_method(method)
        if not isinstance(url, str):
            raise RouteError(f"invalid URL {url!r}: expected a string")
        _scheme, url_host, raw_path, query = split_url(url)
        path = path_info(raw_path)
        result = self._answer(upper, url, path, query, host or url_host or "localhost")
        if explain and result.status == NOT_FOUND:
            result.tried = self.tried(path)
        return result

    def _answer(self, method: str, url: str, path: str, query: str, host: str) -> DjangoMatch:
        hit = self.resolve(path)
        if hit is not None:
            endpoint = hit.endpoint
            allowed = endpoint.methods
            if allowed is not None and method not in allowed:
                return DjangoMatch(method, url, path, host, METHOD_NOT_ALLOWED, rule=endpoint,
                                   args=hit.kwargs, allowed_methods=list(allowed),
                                   positional=hit.args)
            return DjangoMatch(method, url, path, host, OK, rule=endpoint, args=hit.kwargs,
                               allowed_methods=None if allowed is None else list(allowed),
                               positional=hit.args)
        if self.settings.append_slash and not path.endswith("/"):
            target = self.resolve(path + "/")
            if target is not None and target.endpoint.append_slash:
                location = slash_location(path, query)
                if self.settings.debug and method in _BODY_METHODS:
                    return DjangoMatch(method, url, path, host, SERVER_ERROR,
                                       rule=target.endpoint,
                                       reason=f"RuntimeError: APPEND_SLASH cannot redirect "
                                              f"a {method} to {location} under DEBUG")
                return DjangoMatch(method, url, path, host, MOVED_PERMANENTLY,
                                   rule=target.endpoint, location=location,
                                   redirect="append_slash")
        if self.settings.debug and self._welcome_page(path):
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


def _describe(pattern_item) -> str:
    text = str(pattern_item.pattern)
    name = getattr(pattern_item, "name", None)
    if isinstance(pattern_item, Endpoint) and name:
        return f"{text} [name='{name}']"
    namespace = getattr(pattern_item, "namespace", None)
    if namespace:
        return f"{text} [namespace='{namespace}']"
    return text
