"""Django's resolution over a pattern tree: first match wins, an ``include()`` whose
children all fail falls back to its later siblings, a prefix matches once.

Each list of patterns is a :class:`Level`. A level with many patterns indexes them by
the first path segment their literal prefix fixes, so only patterns that can match the
path's first segment are tried; the answer is the same as trying all in order, because
the skipped ones cannot match.
"""

from __future__ import annotations

from typing import Any

from routecli.errors import RouteError
from routecli.routing.django.urlconf import Endpoint, Include

INDEX_FROM = 8  # shorter lists are scanned as they are


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
    """One list of patterns (the root URLconf or an include's children)."""

    __slots__ = ("items", "_by_segment", "_unkeyed")

    def __init__(self, items: list) -> None:
        self.items = items
        for item in items:
            if isinstance(item, Include):
                item.level = Level(item.children)
        self._by_segment: dict[str, list] | None = None
        self._unkeyed = items
        if len(items) >= INDEX_FROM:
            self._index()

    def _index(self) -> None:
        keyed: dict[str, list[int]] = {}
        unkeyed: list[int] = []
        for position, item in enumerate(self.items):
            key = segment_key(item.pattern.literal_prefix)
            if key is None:
                unkeyed.append(position)
            else:
                keyed.setdefault(key, []).append(position)
        items = self.items
        self._unkeyed = [items[i] for i in unkeyed]
        self._by_segment = {key: [items[i] for i in sorted(positions + unkeyed)]
                            for key, positions in keyed.items()}

    def candidates(self, path: str) -> list:
        if self._by_segment is None:
            return self.items
        slash = path.find("/")
        if slash < 0:
            return self._unkeyed
        return self._by_segment.get(path[:slash + 1], self._unkeyed)

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
    """The first path segment (with its "/") that ``prefix`` fixes, or None."""
    if not prefix:
        return None
    slash = prefix.find("/")
    return None if slash < 0 else prefix[:slash + 1]
