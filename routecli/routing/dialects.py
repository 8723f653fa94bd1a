"""The dialect seam: which framework's routing compiles a route set.

A dialect is a subpackage of :mod:`routecli.routing` whose table class takes a
:class:`~routecli.routing.model.RouteSet` and offers ``match``, ``build``,
``match_lines`` and iteration over its compiled rules (see
docs/architecture.md). Sources produce route sets; :func:`compile_table` is the
one place that turns them into a table, so a new dialect is one entry here.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from routecli.errors import RouteError

#: dialect name -> "module:class" of its table (imported on first use)
DIALECTS: dict[str, str] = {
    "werkzeug": "routecli.routing.werkzeug.table:RouteTable",
}


def table_class(dialect: str = "werkzeug") -> type:
    """The table class of ``dialect``; RouteError for an unknown one."""
    try:
        module, _, name = DIALECTS[dialect].partition(":")
    except KeyError:
        known = ", ".join(sorted(DIALECTS))
        raise RouteError(f"unknown dialect {dialect!r} (known: {known})") from None
    return getattr(import_module(module), name)


def compile_table(routeset: Any, dialect: str = "werkzeug") -> Any:
    """Compile ``routeset`` with ``dialect``'s routing."""
    return table_class(dialect)(routeset)
