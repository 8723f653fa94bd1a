"""Why the intended route lost (``match --explain`` for Starlette and FastAPI).

Every route whose own path matches the request is listed with what happened to it:
tried before the answer and passed over (its method, a websocket route), or never tried
because an earlier route or Mount took the request first, which is how first-match
routing loses a route (``/users/me`` declared after ``/users/{user_id}``).
"""

from __future__ import annotations

import re
from typing import Any

from routecli.routing.backtracking import guarded
from routecli.routing.ordered import Entry
from routecli.routing.result import MatchResult, NearMiss
from routecli.routing.urls import decode_path, split_url

LIMIT = 200  # a bound for huge tables; the CLI shows the closest few (docs/match.md#explain)

_compiled: dict[str, Any] = {}  # re.Pattern, or a GuardedPattern for a risky one


def _language(entry: Entry) -> Any:
    found = _compiled.get(entry.pattern)
    if found is None:
        found = _compiled[entry.pattern] = guarded(re.compile(entry.pattern))
    return found


def _takes_path(entry: Entry, path: str, host: str | None) -> bool:
    if entry.domain and host is None:
        return False
    return _language(entry).fullmatch(path) is not None


def matching_entries(table, url: str, host: str | None = None) -> list[Entry]:
    """Routes whose full path matches ``url``, whatever the method and the order."""
    _, url_host, raw_path, _ = split_url(url)
    path = decode_path(raw_path or "/")
    return [entry for entry in table.rules
            if entry.is_route and _takes_path(entry, path, host or url_host or None)]


def explain(table, result: MatchResult) -> list[NearMiss]:
    """Near misses of ``result``: the routes that match its path, and why each lost."""
    winner = result.rule if result.status in (200, 422) else None
    misses: list[NearMiss] = []
    for entry in matching_entries(table, result.url, result.host):
        if entry is winner:
            continue
        misses.append(NearMiss(entry, *_why(entry, winner, result)))
        if len(misses) >= LIMIT:
            break
    return misses


def _why(entry: Entry, winner: Entry | None, result: MatchResult) -> tuple[str, str]:
    method = result.method
    captor = _captor(entry, winner)
    if winner is not None and winner.index < entry.index:
        first = f"{winner.rule!r} ({winner.endpoint}, #{winner.position})"
        if captor is not None:
            return "taken", (f"never tried: the mount {captor.rule!r} (#{captor.position}) "
                             "took the request and never gives it back")
        if result.status == 422:
            return "taken", (f"never tried: {first} is declared earlier and took the "
                             f"request, then FastAPI refused it with 422 ({result.reason})")
        return "taken", f"never tried: {first} is declared earlier and took the request"
    if entry.websocket:
        return "method", "a websocket route: http requests pass it by"
    if entry.methods is not None and method not in entry.methods:
        takes = ", ".join(sorted(entry.methods))
        return "method", f"its path matched but it does not take {method} (it takes {takes})"
    if winner is None and result.status == 404:
        return "taken", "an earlier mount took the request and answered 404"
    return "shadowed", "tried after the route that answered"


def _captor(entry: Entry, winner: Entry | None) -> Entry | None:
    """The Mount that took the request away from ``entry``, if one did."""
    if winner is None:
        return None
    for parent in winner.parents:
        if parent not in entry.parents and parent.index < entry.index:
            return parent
    return None
