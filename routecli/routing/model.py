"""Plain data: routes, settings and custom converter definitions, as loaded.

Nothing here is compiled or validated against Werkzeug's grammar; that is the
job of :mod:`routecli.routing.werkzeug.syntax` and :mod:`routecli.routing.werkzeug.table`. A loader (file or
Python) produces a :class:`RouteSet`; :class:`routecli.routing.werkzeug.table.RouteTable`
compiles it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple


class Source(NamedTuple):
    """Where something was defined: a file and, when known, a 1-based line."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


class Settings:
    """Map-wide settings; the defaults are Flask's."""

    __slots__ = (
        "strict_slashes",
        "merge_slashes",
        "redirect_defaults",
        "automatic_options",
        "host_matching",
        "server_name",
        "default_subdomain",
        "subdomain_matching",
        "trusted_hosts",
    )

    FIELDS = __slots__

    def __init__(
        self,
        strict_slashes: bool = True,
        merge_slashes: bool = True,
        redirect_defaults: bool = True,
        automatic_options: bool = True,
        host_matching: bool = False,
        server_name: str = "",
        default_subdomain: str = "",
        subdomain_matching: bool = True,
        trusted_hosts: list[str] | tuple[str, ...] | None = None,
    ) -> None:
        self.strict_slashes = strict_slashes
        self.merge_slashes = merge_slashes
        self.redirect_defaults = redirect_defaults
        self.automatic_options = automatic_options
        self.host_matching = host_matching
        self.server_name = server_name
        # With a server_name, match subdomains under it (Flask's subdomain_matching);
        # off, the server name only decides where redirects point.
        self.subdomain_matching = subdomain_matching
        # Flask's TRUSTED_HOSTS: a request for any other host is a 400 ("." prefix:
        # that domain and its subdomains). None or empty: every host is trusted.
        self.trusted_hosts = None if trusted_hosts is None else list(trusted_hosts)
        self.default_subdomain = default_subdomain

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return f"Settings({self.to_dict()!r})"


class ConverterDef:
    """A custom converter: a name and what Werkzeug would read from its class.

    ``regex``, ``weight`` and ``part_isolating`` have Werkzeug's meaning. For
    converters loaded from a Python app, ``factory`` builds the real converter
    object (``factory(*args, **kwargs)``) so its ``to_python`` is honoured;
    file converters have no factory and return the matched text unchanged.
    """

    __slots__ = ("name", "regex", "weight", "part_isolating", "factory", "source")

    def __init__(
        self,
        name: str,
        regex: str = "[^/]+",
        weight: int = 100,
        part_isolating: bool | None = None,
        factory: Callable[..., Any] | None = None,
        source: Source | None = None,
    ) -> None:
        self.name = name
        self.regex = regex
        self.weight = weight
        # Werkzeug: a class-level regex containing "/" makes the converter span segments.
        self.part_isolating = ("/" not in regex) if part_isolating is None else part_isolating
        self.factory = factory
        self.source = source

    def __repr__(self) -> str:
        return f"ConverterDef({self.name!r}, regex={self.regex!r}, weight={self.weight!r})"


# Route fields that have Werkzeug/Flask meaning, with their defaults.
ROUTE_OPTION_DEFAULTS: dict[str, Any] = {
    "defaults": None,
    "strict_slashes": None,
    "merge_slashes": None,
    "redirect_to": None,
    "alias": False,
    "build_only": False,
    "host": None,
    "subdomain": None,
    "provide_automatic_options": None,
    "websocket": False,
}


_METHOD_TUPLES: dict[tuple, tuple] = {}


def _methods_tuple(methods) -> tuple[str, ...]:
    """The upper-cased methods, one shared tuple per distinct list: a big table repeats a
    few method lists thousands of times (docs/README Performance: memory per route)."""
    key = tuple(methods)
    shared = _METHOD_TUPLES.get(key)
    if shared is None:
        shared = tuple(m.upper() for m in key)
        if len(_METHOD_TUPLES) < 1024:
            _METHOD_TUPLES[key] = shared
    return shared


class _Option:
    """A route option: the route's own value when it set one, else the default (also what
    the class gives: ``Route.alias`` is False).

    A route's own values live in its ``_options`` tuple: first the names it set (one tuple
    shared by every route that set the same names), then their values in that order.
    Routes of one source set the same few options, so this costs what an instance dict
    with shared keys would, and nothing when a route sets none."""

    __slots__ = ("name", "default")

    def __init__(self, default: Any) -> None:
        self.default = default

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, route: Route | None, owner: type | None = None) -> Any:
        if route is None:
            return self.default
        options = route._options
        if options is None:
            return self.default
        names = options[0]
        return options[names.index(self.name) + 1] if self.name in names else self.default

    def __set__(self, route: Route, value: Any) -> None:
        options = route._options
        if options is None:
            route._options = (_option_names((self.name,)), value)
            return
        names = options[0]
        if self.name in names:
            at = names.index(self.name) + 1
            route._options = (*options[:at], value, *options[at + 1:])
        else:
            route._options = (_option_names((*names, self.name)), *options[1:], value)


_OPTION_NAME_TUPLES: dict[tuple, tuple] = {}


def _option_names(names: tuple[str, ...]) -> tuple[str, ...]:
    return _OPTION_NAME_TUPLES.setdefault(names, names)


class Route:
    """One route as declared, the arguments of one ``add_url_rule`` call.

    ``methods`` is the declared method list, upper-cased (``None`` means every
    method, like a bare Werkzeug ``Rule``); HEAD and the automatic OPTIONS are
    added when the table is compiled. ``converters`` optionally maps variable
    names to ready-made converter objects (used for Python apps, whose
    converters are already instantiated).

    Memory (README.md#performance): a table holds one Route per rule, so the
    fields every route has live in slots, and every other option reads the route's
    own ``_options`` (see :class:`_Option`), None when the route sets none (most
    Werkzeug routes), and otherwise gives its default. The source is kept as its file (one string
    shared by the file's routes) and line; ``source`` gives the :class:`Source`.
    """

    __slots__ = ("rule", "endpoint", "methods", "_file", "_line", "_options")

    # Every field, in declaration order (what a route is, for comparisons and diffs).
    FIELDS = (
        "rule", "endpoint", "methods", "defaults", "strict_slashes", "merge_slashes",
        "redirect_to", "alias", "build_only", "host", "subdomain", "provide_automatic_options",
        "websocket", "source", "view", "has_view", "noqa", "converters", "kind", "name",
        "param_types", "extra",
    )

    # The options, at their defaults (a route's own _options override them).
    defaults: dict[str, Any] | None = _Option(None)
    strict_slashes: bool | None = _Option(None)
    merge_slashes: bool | None = _Option(None)
    redirect_to: str | Callable[..., str] | None = _Option(None)
    alias: bool = _Option(False)
    build_only: bool = _Option(False)
    host: str | None = _Option(None)
    subdomain: str | None = _Option(None)
    provide_automatic_options: bool | None = _Option(None)
    websocket: bool = _Option(False)
    view: str | None = _Option(None)
    # Python apps only: False when the endpoint has no view function (the rule is
    # there for URL building, like Flask's tutorial `add_url_rule("/", "index")`).
    has_view: bool | None = _Option(None)
    noqa: tuple[str, ...] = _Option(())
    converters: dict[str, Any] | None = _Option(None)
    # First-match dialects (docs/dialects.md): what the entry is ("route",
    # "websocket", "docs", "app" for an opaque mounted app), the framework's own
    # route name, and the annotated types of path parameters that are validated
    # after the route is chosen (FastAPI: a value failing them answers 422).
    kind: str = _Option("route")
    name: str | None = _Option(None)
    param_types: dict[str, str] | None = _Option(None)
    # A dialect's own route keys as the route file wrote them (Dialect.route_keys).
    extra: dict[str, Any] | None = _Option(None)

    def __init__(
        self,
        rule: str,
        endpoint: str,
        methods: tuple[str, ...] | list[str] | None = ("GET",),
        *,
        source: Source | None = None,
        noqa: tuple[str, ...] | list[str] = (),
        **options: Any,
    ) -> None:
        self.rule = rule
        self.endpoint = endpoint
        self.methods = None if methods is None else _methods_tuple(methods)
        self.source = source
        self._options = None
        if noqa:
            self.noqa = tuple(noqa)
        cls = type(self)
        for name, value in options.items():
            if name not in _OPTION_NAMES:
                raise TypeError(f"Route() got an unexpected keyword argument {name!r}")
            if value is not getattr(cls, name):
                setattr(self, name, value)

    @property
    def source(self) -> Source | None:
        """Where the route was declared (None when unknown)."""
        return None if self._file is None else Source(self._file, self._line)

    @source.setter
    def source(self, source: Source | None) -> None:
        self._file, self._line = (None, None) if source is None else source

    def __repr__(self) -> str:
        methods = "*" if self.methods is None else ",".join(self.methods)
        return f"Route({self.rule!r} [{methods}] -> {self.endpoint!r})"


_OPTION_NAMES = frozenset(Route.FIELDS) - {"rule", "endpoint", "methods", "source", "noqa"}


class Group:
    """Routes nested under a prefix, tried at the group's position (first-match dialects).

    ``kind`` is the dialect's word for it: ``"mount"`` (a Starlette Mount, which keeps
    every request its prefix matches), ``"include"`` (FastAPI's ``include_router``, or
    Django's ``include()``, which gives a request back to later siblings), ``"host"``
    (a Starlette Host). ``prefix`` is the prefix as written in the dialect's syntax (a
    host pattern for ``"host"``); ``routes`` holds Routes and Groups in order;
    ``options`` the group's own settings (e.g. ``redirect_slashes`` of a Mount).
    """

    __slots__ = ("kind", "prefix", "routes", "options", "source", "name")

    def __init__(self, kind: str, prefix: str, routes: list[Route | Group] | None = None,
                 options: dict[str, Any] | None = None, source: Source | None = None,
                 name: str | None = None) -> None:
        self.kind = kind
        self.prefix = prefix
        self.routes = routes if routes is not None else []
        self.options = options or {}
        self.source = source
        self.name = name

    def __repr__(self) -> str:
        return f"Group({self.kind} {self.prefix!r}, {len(self.routes)} routes)"


class RouteSet:
    """Everything one or more sources declared: settings, converters, routes.

    ``dialect`` names the framework whose routing answers (routing/dialects.py);
    Werkzeug's settings are ``settings``, another dialect's are ``options`` (e.g.
    ``redirect_slashes``). For a first-match dialect ``routes`` may hold :class:`Group`
    items, which nest routes in declaration order.
    """

    __slots__ = ("settings", "converters", "routes", "sources", "dialect", "options")

    def __init__(
        self,
        routes: list[Route] | None = None,
        settings: Settings | None = None,
        converters: dict[str, ConverterDef] | None = None,
        sources: list[str] | None = None,
        dialect: str = "werkzeug",
        options: dict[str, Any] | None = None,
    ) -> None:
        self.routes = routes if routes is not None else []
        self.settings = settings if settings is not None else Settings()
        self.converters = converters if converters is not None else {}
        self.sources = sources if sources is not None else []
        self.dialect = dialect
        self.options = options if options is not None else {}
