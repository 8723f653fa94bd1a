"""Django's resolution over a pattern tree: first match wins, an ``include()`` whose
children all fail falls back to its later siblings, a prefix matches once.

Each list of patterns is a :class:`Level`. A level with many patterns indexes them by
the whole path segments their literal prefix fixes (``api/v1/users/<int:pk>/`` by
``api/v1/users/``), so only patterns whose fixed segments the path starts with are tried,
in URLconf order; the answer is the same as trying all in order, because the skipped
ones cannot match.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Iterable
from typing import Any

from routecli.errors import RouteError
from routecli.routing.django.urlconf import Endpoint, Include

INDEX_FROM = 8  # shorter lists are scanned as they are
# Entries of the merged candidate lists a level keeps: a few per pattern, and more
MERGED_PER_PATTERN = 8
MERGED_EXTRA = 65_536
# Segments of a key: a request looks up at most this many of its own prefixes
KEY_SEGMENTS = 6


class Hit:
    """A resolution: the endpoint, positional args and kwargs (as the view gets them)."""

    __slots__ = ("endpoint", "args", "kwargs")

    def __init__(self, endpoint: Endpoint, args: tuple, kwargs: dict[str, Any]) -> None:
        self.endpoint = endpoint
        self.args = args
        self.kwargs = kwargs

    def __repr__(self) -> str:
        return f"<Hit {self.endpoint.endpoint!r} {self.args!r} {self.kwargs!r}>"


class Level:
    """One list of patterns (the root URLconf or an include's children).

    The index: ``_own`` maps a key (segments ending in "/") to the positions of the
    patterns whose fixed segments are exactly that key; a pattern with none (a regex that
    may match mid-path, a prefix without "/") is in ``_unkeyed``; a ``path()`` endpoint
    without parameters matches one path only, and is in ``_exact`` under it (unless
    that path ends in "/": then it is its own key). The
    patterns that can match a path are those of every key the path starts with, the
    unkeyed, and the exact ones of the path itself: the keys the path starts with are
    all above the longest such key, so the candidates depend on that key (or on the
    exact path) alone and are merged once for it (``_merged``, up to a budget of
    entries: a URLconf of thousands of keys and thousands of unkeyed patterns is not
    multiplied out)."""

    __slots__ = ("items", "_own", "_exact", "_unkeyed", "_unkeyed_items", "_depth",
                 "_merged", "_exact_merged", "_room")

    def __init__(self, items: list) -> None:
        self.items = items
        for item in items:
            if isinstance(item, Include):
                item.level = Level(item.children)
        self._own: dict[str, int | array] | None = None
        if len(items) >= INDEX_FROM:
            self._index()

    def _index(self) -> None:
        own: dict[str, int | array] = {}
        exact: dict[str, int | array] = {}
        unkeyed = array("L")
        for position, item in enumerate(self.items):
            pattern = item.pattern
            key = pattern.exact_path
            index = exact
            if key is None or key.endswith("/"):
                # ("users/" is its own key: one lookup less for every request that
                # does not end in it, and few requests under it are not it)
                key = segment_key(pattern.literal_prefix)
                index = own
            if key is None:
                unkeyed.append(position)
                continue
            # one position as an int: most keys have one pattern, and an array costs more
            positions = index.get(key)
            if positions is None:
                index[key] = position
            elif positions.__class__ is int:
                index[key] = array("L", (positions, position))
            else:
                positions.append(position)
        self._own = own
        self._exact = exact
        self._unkeyed = unkeyed
        self._unkeyed_items = [self.items[position] for position in unkeyed]
        self._depth = max((key.count("/") for key in own), default=1)
        self._merged: dict[str, list] = {}
        self._exact_merged: dict[str, list] = {}
        self._room = MERGED_PER_PATTERN * len(self.items) + MERGED_EXTRA

    def candidates(self, path: str) -> Iterable:
        """The patterns that may match ``path``, in URLconf order."""
        own = self._own
        if own is None:
            return self.items
        exact = self._exact
        if exact and path in exact:
            merged = self._exact_merged.get(path)
            return self._merge(path, exact=True) if merged is None else merged
        end = path.find("/")
        if end < 0:
            return self._unkeyed_items
        key = path[:end + 1]
        depth = self._depth - 1
        if not depth:  # most levels key one segment
            merged = self._merged.get(key)
            if merged is not None:
                return merged
            return self._merge(key) if key in own else self._unkeyed_items
        longest = key if key in own else None
        while depth:
            end = path.find("/", end + 1)
            if end < 0:
                break
            key = path[:end + 1]
            if key in own:
                longest = key
            depth -= 1
        if longest is None:
            return self._unkeyed_items
        merged = self._merged.get(longest)
        return self._merge(longest) if merged is None else merged

    def _merge(self, key: str, exact: bool = False) -> Iterable:
        """The patterns of every key ``key`` starts with and the unkeyed, with the exact
        ones of ``key`` as a path when ``exact``, in order: a list kept for ``key``, or,
        past the budget, an iterator over them (a request that matches early does not pay
        for a merge of thousands of unkeyed patterns)."""
        own = self._own
        positions: list[int] = []
        if exact:
            _add(positions, self._exact[key])
        end = key.find("/")
        while end >= 0:
            found = own.get(key[:end + 1])
            if found is not None:
                _add(positions, found)
            end = key.find("/", end + 1)
        positions.sort()
        items = self.items
        unkeyed = self._unkeyed
        if len(positions) + len(unkeyed) > self._room:
            return map(items.__getitem__, heapq.merge(positions, unkeyed))
        positions += unkeyed
        positions.sort()  # two sorted runs: a merge
        merged = [items[position] for position in positions]
        self._room -= len(merged)
        (self._exact_merged if exact else self._merged)[key] = merged
        return merged

    def resolve(self, path: str) -> Hit | None:
        """The first pattern (recursively) that resolves ``path``, or None."""
        for item in self.candidates(path):
            try:
                found = item.pattern.match(path)
            except RouteError as error:  # a regex past its time budget: name the route
                raise error.with_source(str(item.source) if item.source else None) from None
            if found is None:
                continue
            rest, args, kwargs = found
            if item.__class__ is Endpoint:
                return Hit(item, args, {**kwargs, **item.kwargs} if item.kwargs else kwargs)
            sub = item.level.resolve(rest)
            if sub is None:
                continue  # the include's children all failed: on to the next sibling
            merged = {**kwargs, **item.kwargs}
            merged.update(sub.kwargs)
            return Hit(sub.endpoint, sub.args if merged else args + sub.args, merged)
        return None

    def tried(self, path: str) -> list[tuple[Any, ...]]:
        """What Django lists as tried when ``path`` does not resolve here: one tuple of
        patterns (outermost first) per pattern or failed include branch."""
        tried: list[tuple[Any, ...]] = []
        for item in self.items:
            found = item.pattern.match(path)
            if found is None or item.__class__ is Endpoint:
                tried.append((item,))
                continue
            tried.extend((item, *sub) for sub in item.level.tried(found[0]))
        return tried


def segment_key(prefix: str | None) -> str | None:
    """The whole path segments (each with its "/") that ``prefix`` fixes, at most
    ``KEY_SEGMENTS`` of them, or None."""
    if not prefix:
        return None
    slash = prefix.rfind("/")
    if slash < 0:
        return None
    key = prefix[:slash + 1]
    if key.count("/") > KEY_SEGMENTS:
        key = "/".join(key.split("/", KEY_SEGMENTS)[:KEY_SEGMENTS]) + "/"
    return key


def _add(positions: list[int], found: int | array) -> None:
    if found.__class__ is int:
        positions.append(found)
    else:
        positions += found
