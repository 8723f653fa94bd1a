"""routecli: inspect web-app routes with Flask/Werkzeug semantics.

    import routecli
    table = routecli.load("routes.yaml")
    table.match("GET", "/blog/posts/42").to_dict()

Everything is imported on first use, so ``import routecli`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from routecli.version import __version__

__all__ = ["__version__", "load", "RouteTable", "RouteError", "MatchResult", "Route", "Settings",
           "RouteSet"]

if TYPE_CHECKING:
    from routecli.errors import RouteError
    from routecli.routing.model import Route, RouteSet, Settings
    from routecli.routing.result import MatchResult
    from routecli.routing.werkzeug.table import RouteTable

_LAZY = {
    "RouteTable": ("routing.werkzeug.table", "RouteTable"),
    "RouteError": ("errors", "RouteError"),
    "MatchResult": ("routing.result", "MatchResult"),
    "Route": ("routing.model", "Route"),
    "Settings": ("routing.model", "Settings"),
    "RouteSet": ("routing.model", "RouteSet"),
}


def __getattr__(name: str):
    if name in _LAZY:
        module, attr = _LAZY[name]
        from importlib import import_module

        value = getattr(import_module(f"{__name__}.{module}"), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'routecli' has no attribute {name!r}")


def load(*sources: str) -> RouteTable:
    """Load and compile routes from files or Python import specs (like ``-r``).

    With no sources, discover them as the CLI does (ROUTECLI_ROUTES,
    pyproject.toml, FLASK_APP, routes.yaml). Raises :class:`RouteError` on bad input.
    """
    from routecli.routing.dialects import compile_table
    from routecli.sources.discover import find_sources, load_routeset

    specs = list(sources) or find_sources()
    return compile_table(load_routeset(specs))
