"""Starlette's dispatch, one router level at a time (docs/dialects.md#how-starlette-routes).

At each level the items are tried in order: the first that takes the request (FULL)
answers, a Mount or Host handing it to its own router, which never gives it back. Else
the first route whose path matched but not its method (PARTIAL) answers 405 with *its*
methods. Else, for http with ``redirect_slashes`` on and a path other than ``/``, the
path with its trailing slashes removed (or one added) is tried against every item:
anything but NONE answers 307. Else 404. Convertors run on every matching path, and one
that raises makes the request a 500. An item's regex is tried only on paths that start
with its literal head (its regex starts with it: the answer is the same, and a string
comparison is cheaper than a regex), from the head's end; its whole literal segments
after the head may be compared as strings after the match (compiler.PathRegex), so that
templates of one shape share a regex.

A level with many items keeps a prefix index (routing/segment_index.py): items are filed under the whole
path segments their literal head fixes (``/api/v1/users/{id}`` under ``/api/v1/users/``),
a template without parameters under its path; a request tries the items of every key it
starts with, of its own path, and those with no key (Hosts, ``/{lang}/...``), in
declaration order: the skipped items cannot match it (their regex starts with their head),
so no convertor of theirs could run, and the index never changes an answer, only what is
scanned.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from routecli.routing.segment_index import SegmentIndex
from routecli.routing.starlette.compiler import GroupItem, RouteItem, Router

INDEX_MIN = 8  # levels with fewer items are scanned as they are
# Entries of the merged candidate lists a level keeps: a few per item, and more
MERGED_PER_ITEM = 8
MERGED_EXTRA = 65_536
# Segments of a key: a request looks up at most this many of its own prefixes
KEY_SEGMENTS = 6


class Outcome:
    """What one request got: ``kind`` is "full", "partial" (405), "redirect", "none"
    (404; ``item`` is the innermost Mount that kept the request, if one did) or "error"
    (a convertor raised: 500)."""

    __slots__ = ("kind", "item", "params", "location_path", "error", "tried")

    def __init__(self, kind: str, item: Any = None, params: dict | None = None,
                 location_path: str | None = None, error: str | None = None) -> None:
        self.kind = kind
        self.item = item
        self.params = params or {}
        self.location_path = location_path
        self.error = error


class ConvertorFailed(Exception):
    """A convertor raised while a path was matched (Starlette answers 500)."""


def dispatch(router: Router, path: str, method: str, host: str | None, websocket: bool
             ) -> Outcome:
    """The outcome of ``method path`` (decoded) on ``host``, from the top router."""
    try:
        return _level(router, path, "", path, method, host, websocket, {})
    except ConvertorFailed as exc:
        return Outcome("error", error=str(exc))


def route_path(path: str, root_path: str) -> str:
    """Starlette's get_route_path: the path below a mount's matched prefix."""
    if not root_path or not path.startswith(root_path):
        return path
    if path == root_path:
        return ""
    if path[len(root_path)] == "/":
        return path[len(root_path):]
    return path


def _level(router: Router, path: str, root: str, full: str, method: str, host: str | None,
           websocket: bool, params: dict) -> Outcome:
    partial = None
    partial_params = None
    last_shape = last_values = None  # the values of the last route tried, by its shape
    for item in candidates(router, path):
        if item.__class__ is RouteItem:
            shape = item.shape
            if shape is None or shape is not last_shape:
                # routes of one shape in a row (one path, a route per method) match
                # alike: the regex and convertors run once for them
                last_shape, last_values = shape, _route_values(item, path, websocket)
            values = last_values
            if values is None:
                continue
            if item.full is None or method in item.full:
                return Outcome("full", item, {**params, **values})
            if partial is None:
                partial, partial_params = item, {**params, **values}
            continue
        if item.host:
            if host is None:
                continue
            match = item.regex.match(_host_name(host, item.fold_case))
            if match is None:
                continue
            values = _convert(item, match)
            return _level(item.router, path, root, full, method, host, websocket,
                          {**params, **values})
        match = _path_match(item, path)
        if match is None:
            continue
        values = _convert(item, match)
        rest = "/" + values.pop("path")
        inner = {**params, **values}
        if item.router is None:  # an opaque mounted app answers whatever it gets
            return Outcome("full", item, inner)
        root_inner = root + path[: -len(rest)]
        # The inner router reads the path below its root as Starlette's get_route_path
        # does: the rest, except where "$" left a final newline out of it (the slice
        # above is then one character short, and the whole path is read).
        if path[-1:] == "\n":
            rest = route_path(full, root_inner)
        outcome = _level(item.router, rest, root_inner, full, method, host, websocket,
                         inner)
        if outcome.kind == "none" and outcome.item is None:
            outcome.item = item  # the Mount that kept the request (and answered 404)
        return outcome
    if partial is not None:
        return Outcome("partial", partial, partial_params)
    if not websocket and router.redirect_slashes and path != "/":
        toggled = full.rstrip("/") if full.endswith("/") else full + "/"
        probe = route_path(toggled, root)
        for item in candidates(router, probe):
            if _takes_any(item, probe, host):
                return Outcome("redirect", item, location_path=toggled)
    return Outcome("none")


def _route_values(item, path: str, websocket: bool) -> dict | None:
    """A Route's converted values for ``path``, None when it does not match."""
    head = item.head
    if item.websocket != websocket or not path.startswith(head):
        # a WebSocketRoute is NONE for http and a Route for websockets; a path without
        # the template's literal head cannot match
        return None
    match = item.regex.match(path, len(head))
    if match is None:
        return None
    literals = item.literals
    if literals is not None and match.group(*item.spots) != literals:
        return None
    return _convert(item, match)


def _takes_any(item, path: str, host: str | None) -> bool:
    """Whether ``item`` is anything but NONE for an http request to ``path``."""
    if item.__class__ is RouteItem:
        if item.websocket:
            return False
        match = _path_match(item, path)
    elif item.host:
        match = None if host is None else item.regex.match(_host_name(host, item.fold_case))
    else:
        match = _path_match(item, path)
    if match is None:
        return False
    _convert(item, match)
    return True


def _path_match(item, path: str):
    """The match of a Route's or Mount's path regex (compiler.PathRegex), or None."""
    head = item.head
    if not path.startswith(head):
        return None
    match = item.regex.match(path, len(head))
    if match is None or (item.literals is not None
                         and match.group(*item.spots) != item.literals):
        return None
    return match


def _convert(item, match) -> dict:
    values = match.groupdict()
    for name, text in values.items():
        convertor = item.convertors[name]
        try:
            values[name] = convertor.convert(text)
        except Exception as exc:  # noqa: BLE001 - Starlette does not guard convert()
            raise ConvertorFailed(f"convertor {convertor.name!r} of {item.entry.rule!r} "
                                  f"raised {type(exc).__name__}: {exc}") from exc
    return values


def _host_name(host: str, fold_case: bool = True) -> str:
    """The Host header as Starlette's Host route compares it: no port, lower case
    (Starlette before 0.53 compared it as sent)."""
    if fold_case:
        host = host.lower()
    if host.startswith("["):
        end = host.find("]")
        return host[: end + 1] if end >= 0 else host
    return host.rsplit(":", 1)[0] if ":" in host else host


# -- the prefix index ---------------------------------------------------------------------


def candidates(router: Router, path: str) -> Iterable:
    """The items of ``router`` that may match ``path``, in declaration order."""
    index = router.index
    if index is None:
        items = router.items
        if len(items) < INDEX_MIN:
            return items
        # keys: compiler.index_key; "$" lets one final newline through (/items%0A
        # answers /items)
        index = router.index = SegmentIndex(
            items, [item.key for item in items], first=1, newline=True,
            key_segments=KEY_SEGMENTS, room=MERGED_PER_ITEM * len(items) + MERGED_EXTRA)
    return index.candidates(path)


__all__ = ["ConvertorFailed", "GroupItem", "Outcome", "RouteItem", "dispatch", "route_path"]
