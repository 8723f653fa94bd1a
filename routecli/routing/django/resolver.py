"""Django's resolution over a pattern tree: first match wins, an ``include()`` whose
children all fail falls back to its later siblings, a prefix matches once.

Each list of patterns is a :class:`Level`. A level with many patterns indexes them by
the whole path segments their literal prefix fixes (``api/v1/users/<int:pk>/`` by
``api/v1/users/``), so only patterns whose fixed segments the path starts with are tried,
in URLconf order; the answer is the same as trying all in order, because the skipped
ones cannot match.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from routecli.errors import RouteError
from routecli.routing.django.urlconf import Endpoint, Include
from routecli.routing.segment_index import SegmentIndex

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
    """One list of patterns (the root URLconf or an include's children), indexed by
    routing/segment_index.py when long: a pattern's key is the whole segments its literal
    prefix fixes; a regex that may match mid-path, or a prefix without "/", has none; a
    ``path()`` endpoint without parameters matches one path only, and is keyed by it."""

    __slots__ = ("items", "_index")

    def __init__(self, items: list) -> None:
        self.items = items
        for item in items:
            if isinstance(item, Include):
                item.level = Level(item.children)
        # False: long enough for an index, built at the first request (list, lint and url
        # never need it); None: scanned as it is
        self._index: SegmentIndex | bool | None = False if len(items) >= INDEX_FROM else None

    def _built_index(self) -> SegmentIndex:
        items = self.items
        index = self._index = SegmentIndex(
            items, [_key(item.pattern) for item in items], first=0, newline=False,
            key_segments=KEY_SEGMENTS, room=MERGED_PER_PATTERN * len(items) + MERGED_EXTRA)
        return index

    def candidates(self, path: str) -> Iterable:
        """The patterns that may match ``path``, in URLconf order."""
        index = self._index
        if index is None:
            return self.items
        if index is False:
            index = self._built_index()
        return index.candidates(path)

    def resolve(self, path: str) -> Hit | None:
        """The first pattern (recursively) that resolves ``path``, or None."""
        index = self._index  # (self.candidates, inline: once per level of every request)
        if index is False:
            index = self._built_index()
        for item in self.items if index is None else index.candidates(path):
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


def _key(pattern) -> str | None:
    """A pattern's key in the index (routing/segment_index.py): a ``path()`` endpoint
    without parameters by its one path, unless it ends in "/" ("users/" is then its own
    key: one lookup less for every request that does not end in it, and few requests
    under it are not it); else the whole segments its literal prefix fixes."""
    key = pattern.exact_path
    if key is None or key.endswith("/"):
        key = segment_key(pattern.literal_prefix)
    return key


def segment_key(prefix: str | None) -> str | None:
    """The whole path segments (each with its "/") that ``prefix`` fixes, or None."""
    if not prefix:
        return None
    slash = prefix.rfind("/")
    return None if slash < 0 else prefix[:slash + 1]
