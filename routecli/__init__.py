"""routecli: inspect web-app routes with Flask/Werkzeug semantics.

    import routecli
    table = routecli.load("routes.yaml")
    table.match("GET", "/blog/posts/42").to_dict()

Everything is imported on first use, so ``import routecli`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["load", "RouteTable", "RouteError", "MatchResult", "Route", "Settings", "RouteSet"]

if TYPE_CHECKING:
    from .errors import RouteError
    from .model import Route, RouteSet, Settings
    from .result import MatchResult
    from .table import RouteTable

_LAZY = {
    "RouteTable": ("table", "RouteTable"),
    "RouteError": ("errors", "RouteError"),
    "MatchResult": ("result", "MatchResult"),
    "Route": ("model", "Route"),
    "Settings": ("model", "Settings"),
    "RouteSet": ("model", "RouteSet"),
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
    pyproject.toml, routes.yaml). Raises :class:`RouteError` on bad input.
    """
    from .sources.discover import find_sources, load_routeset
    from .table import RouteTable

    specs = list(sources) or find_sources()
    return RouteTable(load_routeset(specs))
