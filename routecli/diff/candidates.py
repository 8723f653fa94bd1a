"""The per-dialect hook that proposes requests worth asking both tables.

``candidate_requests(old, new, touched)`` yields :class:`~.answers.Request`\\ s around the
touched routes: what they match, where they overlap other routes of either table, and
their slash and method variants. The hook only proposes; both tables' own ``match``
decides which requests changed answer. A dialect plugs in one entry in :data:`HOOKS`.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module

from routecli.diff.answers import Request

#: dialect name -> "module:function" of its candidate hook (imported on first use)
HOOKS: dict[str, str] = {
    "werkzeug": "routecli.diff.werkzeug_requests:candidate_requests",
    "starlette": "routecli.diff.first_match_requests:candidate_requests",
    "fastapi": "routecli.diff.first_match_requests:candidate_requests",
    "django": "routecli.diff.first_match_requests:candidate_requests",
}


def dialect_of(table) -> str:
    """The name of the dialect a table was compiled with."""
    from routecli.routing.dialects import dialect_of as dialect

    return dialect(table).name


def candidate_requests(old, new, touched) -> Iterator[Request]:
    """Requests around the touched routes, from the dialect's hook (each once)."""
    dialect = dialect_of(new)
    if dialect_of(old) != dialect:
        # Two dialects (docs/diff.md#two-dialects): no shared index to join, and every
        # route of both is touched; each side's hook proposes around all its routes.
        sources = [_only(_hook(dialect_of(old))(old, old, _all(old)), "old"),
                   _only(_hook(dialect)(new, new, _all(new)), "new")]
    else:
        sources = [_hook(dialect)(old, new, touched)]
    seen: set[tuple] = set()
    for source in sources:
        for request in source:
            if request.key not in seen:
                seen.add(request.key)
                yield request


def _hook(dialect: str):
    from routecli.errors import RouteError

    try:
        module, _, name = HOOKS[dialect].partition(":")
    except KeyError:
        raise RouteError(f"routecli diff does not support the {dialect} dialect yet") from None
    return getattr(import_module(module), name)


def _only(requests, side: str):
    """Requests from a hook run on one side alone: every route they are about is that side's."""
    for request in requests:
        yield request._replace(about=tuple((side, i) for _, i in request.about))


def _all(table):
    from routecli.diff.identity import Touched

    indices = set(range(len(table.rules)))
    return Touched(indices, indices, {}, {})
