"""The index of the first-match dialects (Starlette's router levels, Django's pattern lists):
the items of one level filed by the text every path they match starts with, so that a
request tries only those that can match it, in declaration order.

An item's key (the dialect reads it) is None (tried for every path), whole path segments
ending in "/" (``/api/v1/`` for ``/api/v1/users/{id}``, ``api/v1/`` for Django's
``api/v1/<int:pk>/``: the path must start with them), or a path not ending in "/" (a template
without parameters: the path must be it). The items that can match a path are those of
every key it starts with, of the path itself, and the unkeyed: the keys a path starts with
are all prefixes of the longest one, so the candidates depend on that key (or on the exact
path) alone, and are merged once for it, in declaration order (up to a budget of entries;
past it, merged lazily for each request: thousands of keys and thousands of unkeyed items
are not multiplied out). Skipped items
cannot match, so the answer is the one of trying all in order.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Iterable


class SegmentIndex:
    """``first``: where a path's first segment starts (1 when paths start with "/");
    ``newline``: an exact item also matches its path plus one final newline (a regex's
    ``$``); keys are cut to ``key_segments`` segments; ``room``: merged entries kept."""

    __slots__ = ("items", "first", "newline", "own", "exact", "unkeyed", "unkeyed_items",
                 "depth", "merged", "room")

    def __init__(self, items: list, keys, *, first: int, newline: bool, key_segments: int,
                 room: int) -> None:
        self.items = items
        self.first = first
        self.newline = newline
        own: dict[str, int | array] = {}
        exact: dict[str, int | array] = {}
        unkeyed = array("L")
        for position, key in enumerate(keys):
            if key is None:
                unkeyed.append(position)
                continue
            if key.endswith("/"):
                index = own
                if key.count("/") - first > key_segments:
                    end = first - 1
                    for _ in range(key_segments):
                        end = key.find("/", end + 1)
                    key = key[:end + 1]
            else:
                index = exact
            # one position as an int: most keys have one item, and an array costs more
            positions = index.get(key)
            if positions is None:
                index[key] = position
            elif positions.__class__ is int:
                index[key] = array("L", (positions, position))
            else:
                positions.append(position)
        self.own = own
        self.exact = exact
        self.unkeyed = unkeyed
        self.unkeyed_items = [items[position] for position in unkeyed]
        self.depth = max((key.count("/") - first for key in own), default=1)
        self.merged: dict[str, list] = {}
        self.room = room

    def candidates(self, path: str) -> Iterable:
        """The items that may match ``path``, in declaration order."""
        exact = self.exact
        if exact and (path in exact
                      or (self.newline and path[-1:] == "\n" and path[:-1] in exact)):
            merged = self.merged.get(path)  # (no key: keys end in "/")
            return self._merge(path, exact=True) if merged is None else merged
        first = self.first
        end = path.find("/", first)
        if end < 0 or (first and path[:first] != "/"):
            return self.unkeyed_items
        key = path[:end + 1]
        own = self.own
        depth = self.depth - 1
        if not depth:  # most levels key one segment
            merged = self.merged.get(key)
            if merged is not None:
                return merged
            return self._merge(key) if key in own else self.unkeyed_items
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
            return self.unkeyed_items
        merged = self.merged.get(longest)
        return self._merge(longest) if merged is None else merged

    def _merge(self, key: str, exact: bool = False) -> Iterable:
        """The items of every key ``key`` starts with and the unkeyed, with the exact ones
        of ``key`` as a path (or less its final newline) when ``exact``, in order: a list
        kept for ``key``, or, past the budget, an iterator over them (a request that
        matches early does not pay for a merge of thousands of unkeyed items)."""
        positions: list[int] = []
        if exact:
            for path in (key, key[:-1]) if self.newline and key[-1:] == "\n" else (key,):
                found = self.exact.get(path)
                if found is not None:
                    _add(positions, found)
        own = self.own
        end = key.find("/", self.first)
        while end >= 0:
            found = own.get(key[:end + 1])
            if found is not None:
                _add(positions, found)
            end = key.find("/", end + 1)
        positions.sort()
        items = self.items
        unkeyed = self.unkeyed
        if len(positions) + len(unkeyed) > self.room:
            return map(items.__getitem__, heapq.merge(positions, unkeyed))
        positions += unkeyed
        positions.sort()  # two sorted runs: a merge
        merged = [items[position] for position in positions]
        self.room -= len(merged)
        self.merged[key] = merged
        return merged


def _add(positions: list[int], found: int | array) -> None:
    if found.__class__ is int:
        positions.append(found)
    else:
        positions += found


def sized(items: Iterable) -> int:
    """How many ``items`` (:meth:`SegmentIndex.candidates` merges lazily the first time)."""
    return len(items) if hasattr(items, "__len__") else sum(1 for _ in items)
