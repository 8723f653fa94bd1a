"""The dialect seam: which framework's routing answers for a route set.

A dialect is one :class:`Dialect` entry in :data:`DIALECTS`. It names, as
``"module:attr"`` strings imported on first use (start-up stays lean):

* ``table``: the table class that compiles a :class:`~routecli.routing.model.RouteSet`
  and answers ``match``, ``match_lines``, ``explain``, ``matching_rules``, ``build`` and
  iteration over its compiled rules (docs/architecture.md#dialects);
* ``schema``: the route-file hook that turns a mapping with ``settings: {dialect: X}``
  into a RouteSet (its rule syntax, nested ``mount:``/``include:`` groups, its settings);
* ``app_source``: a module with ``is_app(obj)`` and ``routeset_from_app(obj)``, which
  recognises the framework's live objects for ``-r module:obj``;
* ``analysis``: a module with ``lint_report(table, strict, only=None)`` and
  ``conflicts_report(table)``; ``rule_families`` are the rule modules (under
  :mod:`routecli.analysis.rules`) whose checks lint runs for this dialect;
* ``list_columns``: extra ``(title, key)`` columns ``routecli list`` shows;
* ``url_builder``: the function ``routecli url`` builds with, ``(table, name, values,
  method, host, *, force_external)`` -> :class:`~routecli.routing.url_answer.UrlAnswer`
  ("" when the dialect builds no URLs); ``url_names``: ``(table)`` -> the names it builds
  from, each with a rule and the parameters it takes (shell completion offers them).

Sources produce route sets, :func:`compile_table` turns them into tables, and the
commands ask :func:`dialect_of` a table: nothing else compares dialect names.
"""

# No "from __future__ import annotations": typing.NamedTuple would turn each string
# annotation into a ForwardRef, compiling it, at every start-up.
from importlib import import_module
from typing import Any, NamedTuple

from routecli.errors import RouteError

_WERKZEUG_FAMILIES = ("duplicates", "overlaps", "unreachable", "methods", "slashes",
                      "converters", "endpoints", "backtracking", "meta")
_FIRST_MATCH_FAMILIES = ("first_match_order", "first_match_starlette", "backtracking", "meta")


class Dialect(NamedTuple):
    """One framework's routing, as the rest of routecli plugs into it (a NamedTuple, not
    a dataclass: ``routecli match`` imports this at start-up, and dataclasses costs)."""

    name: str
    title: str  # as users write it in prose: "Starlette"
    table: str
    schema: str = ""  # "" = the Werkzeug schema of sources/schema.py
    app_source: str = ""  # "" = recognised by sources/python/resolve.py itself (Flask)
    analysis: str = "routecli.analysis.run"
    rule_families: tuple[str, ...] = _WERKZEUG_FAMILIES
    list_columns: tuple[tuple[str, str], ...] = ()
    #: route-file settings of this dialect (besides ``dialect``): name -> (type, default);
    #: a setting whose default is None may be null
    settings: dict[str, tuple[type, Any]] = {}  # noqa: RUF012 - never changed
    #: the nested group keys a route file may use, each with its own extra keys
    groups: dict[str, tuple[str, ...]] = {}  # noqa: RUF012 - never changed
    #: route keys of this dialect beyond the common ones, kept in ``Route.extra``
    route_keys: tuple[str, ...] = ()
    #: methods of a route that lists none (None: every method)
    default_methods: tuple[str, ...] | None = ("GET",)
    #: first-match dialects try routes in declaration order ("priority" sorts by it)
    first_match: bool = False
    #: ``routecli url``'s builder ("" when the dialect offers none)
    url_builder: str = "routecli.routing.werkzeug.url_for:build_url"
    url_names: str = "routecli.routing.werkzeug.url_for:url_names"

    @property
    def builds_urls(self) -> bool:
        return bool(self.url_builder)

    def load(self, attr: str) -> Any:
        """The object one of the ``"module:attr"`` fields names, imported now."""
        module, _, name = getattr(self, attr).partition(":")
        loaded = import_module(module)
        return getattr(loaded, name) if name else loaded


# What Starlette and FastAPI share: one routing package, schema, app reader and analysis.
_STARLETTE: dict[str, Any] = {
    "table": "routecli.routing.starlette.table:StarletteTable",
    "schema": "routecli.sources.ordered_schema:parse_routeset",
    "app_source": "routecli.sources.python.starlette_app",
    "analysis": "routecli.analysis.first_match_run",
    "rule_families": _FIRST_MATCH_FAMILIES,
    "list_columns": (("Kind", "kind"), ("#", "position")),
    "first_match": True,
    "url_builder": "routecli.routing.starlette.url_path_for:build_url",
    "url_names": "routecli.routing.starlette.url_path_for:url_names",
}

DIALECTS: dict[str, Dialect] = {
    "werkzeug": Dialect("werkzeug", "Werkzeug", "routecli.routing.werkzeug.table:RouteTable"),
    "starlette": Dialect(
        "starlette", "Starlette", **_STARLETTE,
        settings={"redirect_slashes": (bool, True), "starlette_version": (str, None)},
        groups={"mount": ("redirect_slashes", "name"), "host": ("name",)},
        default_methods=("GET", "HEAD")),
    "fastapi": Dialect(
        "fastapi", "FastAPI", **_STARLETTE,
        # FastAPI()'s own keyword arguments: its docs routes come first unless None.
        settings={"redirect_slashes": (bool, True), "openapi_url": (str, "/openapi.json"),
                  "docs_url": (str, "/docs"), "redoc_url": (str, "/redoc"),
                  "swagger_ui_oauth2_redirect_url": (str, "/docs/oauth2-redirect"),
                  # the versions whose behaviour the file describes (None: the newest)
                  "fastapi_version": (str, None), "starlette_version": (str, None)},
        groups={"mount": ("redirect_slashes", "name"), "host": ("name",), "include": ()},
        default_methods=("GET",)),
    "django": Dialect(
        "django", "Django", "routecli.routing.django.table:DjangoTable",
        schema="routecli.sources.django_schema:parse_routeset",
        app_source="routecli.sources.python.django_urlconf",
        analysis="routecli.analysis.first_match_run",
        rule_families=("first_match_order", "django_traps", "backtracking", "meta"),
        list_columns=(("Kind", "kind"), ("#", "position")),
        settings={"append_slash": (bool, True), "debug": (bool, False),
                  "django_version": (str, "5.2")},
        groups={"include": ("namespace", "app_name", "kwargs")},
        route_keys=("regex", "kwargs", "append_slash"),
        default_methods=None, first_match=True,
        url_builder="routecli.routing.django.reverse:build_url",
        url_names="routecli.routing.django.reverse:url_names"),
}


def get(name: str = "werkzeug") -> Dialect:
    """The dialect called ``name``; RouteError for an unknown one."""
    try:
        return DIALECTS[name]
    except (KeyError, TypeError):
        known = ", ".join(sorted(DIALECTS))
        raise RouteError(f"unknown dialect {name!r} (known: {known})") from None


def dialect_of(table: Any) -> Dialect:
    """The dialect of a compiled table (a table without one is Werkzeug's)."""
    return get(getattr(table, "dialect_name", "werkzeug"))


def table_class(dialect: str = "werkzeug") -> type:
    """The table class of ``dialect``; RouteError for an unknown one."""
    return get(dialect).load("table")


def compile_table(routeset: Any, dialect: str | None = None) -> Any:
    """Compile ``routeset`` with ``dialect``'s routing (default: the route set's own)."""
    name = dialect or getattr(routeset, "dialect", "werkzeug")
    return table_class(name)(routeset)


def app_sources() -> list[Any]:
    """The modules that recognise live apps of other frameworks than Flask, once each."""
    seen: dict[str, Any] = {}
    for dialect in DIALECTS.values():
        if dialect.app_source and dialect.app_source not in seen:
            seen[dialect.app_source] = dialect.load("app_source")
    return list(seen.values())
