"""Which earlier entries of a first-match table can share a path with an entry, read off
the literal heads of their languages (the text every path of one starts with), or their
literal suffixes (the text every path ends with).

Two languages share a path only when one head is a prefix of the other. A *literal* entry
(its language is its head alone: ``/users/me``) narrows that further: it shares its one
path only with entries whose head is a prefix of it. So an earlier literal entry with a
head shorter than the entry's, or an earlier entry of any kind with a head longer than a
literal entry's, is never a candidate: in a table of 100,000 REST routes those were nine
candidates in ten, each asked to the automata for nothing.

Within a head, the entries are also kept by the methods they take: an entry limited to
some methods meets only earlier entries taking one of them (or every method), so 10,000
routes on one path with a method each are not 10,000^2 candidates.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right


class ByMethod:
    """Indices of entries, ascending, added in that order: all of them, and by the methods
    they take (None: every method)."""

    __slots__ = ("every", "all", "by_method")

    def __init__(self) -> None:
        self.all: list[int] = []
        self.every: list[int] = []  # the entries taking every method
        self.by_method: dict[str, list[int]] = {}

    def add(self, index: int, methods) -> None:
        self.all.append(index)
        if methods is None:
            self.every.append(index)
        else:
            for method in methods:
                self.by_method.setdefault(method, []).append(index)

    def before(self, index: int, methods) -> list[int]:
        """The indices below ``index`` of the entries taking a method of ``methods``
        (None: every entry), ascending."""
        if methods is None:
            return _before(self.all, index)
        found = _before(self.every, index)
        for method in methods:
            found += _before(self.by_method.get(method), index)
        if len(methods) > 1:
            found = sorted(set(found))  # an entry taking two of them is listed once
        else:
            found.sort()
        return found


class HeadIndex:
    """Entries by head. ``shapes`` are (head, literal, index, methods) of the entries that
    can be earlier entries for others (``methods``: the methods an entry takes, None for
    every method), ``asking`` (head, literal, index) of the entries that will ask for
    theirs (in any order; an entry may be in both)."""

    def __init__(self, shapes: list[tuple[str, bool, int, object]],
                 asking: list[tuple[str, bool, int]]) -> None:
        self._open: dict[str, ByMethod] = {}  # head -> its entries
        self._literal: dict[str, ByMethod] = {}
        for head, literal, index, methods in sorted(shapes, key=lambda shape: shape[2]):
            group = (self._literal if literal else self._open).get(head)
            if group is None:
                group = (self._literal if literal else self._open)[head] = ByMethod()
            group.add(index, methods)
        # For an asking entry that is not literal: the earlier entries whose head strictly
        # extends its own (found from theirs, by its prefixes: no scan of every longer head).
        open_asking: dict[str, list[int]] = {}
        for head, literal, index in sorted(asking, key=lambda shape: shape[2]):
            if not literal:
                open_asking.setdefault(head, []).append(index)
        self._taken = {index: methods for _, _, index, methods in shapes}
        self._deeper: dict[int, list[int]] = {}
        for head, _, index, _ in shapes:
            for cut in range(len(head)):
                group = open_asking.get(head[:cut])
                if group:
                    for later in group[bisect_right(group, index):]:
                        self._deeper.setdefault(later, []).append(index)

    def earlier(self, index: int, head: str, literal: bool, methods=None) -> list[int]:
        """Indices before ``index`` (an asking entry's) whose entries can share a path with
        it, given its head and whether it is ``literal``, ascending; with ``methods``,
        only those taking one of them or every method."""
        found: list[int] = []
        for group in (*(self._open.get(head[:cut]) for cut in range(len(head))),
                      self._open.get(head), self._literal.get(head)):
            if group is not None:
                found += group.before(index, methods)
        if not literal:
            deeper = self._deeper.get(index, ())
            if methods is not None:
                taken = self._taken
                deeper = [i for i in deeper
                          if taken[i] is None or not methods.isdisjoint(taken[i])]
            found += deeper
        found.sort()
        return found


def _before(group: list[int] | None, index: int) -> list[int]:
    if not group:
        return []
    return group[:bisect_left(group, index)]


class SuffixIndex:
    """Entries by literal suffix, from (suffix, index) ``shapes``. Two languages share a
    path only when one suffix ends the other; routes after a leading parameter
    (``/{tenant}/orders``) all have the head "/", and their suffixes find the few
    candidates directly, where the heads would offer every earlier route."""

    def __init__(self, shapes: list[tuple[str, int]]) -> None:
        self._exact: dict[str, list[int]] = {}  # suffix -> indices, ascending
        for suffix, index in sorted(shapes, key=lambda shape: shape[1]):
            self._exact.setdefault(suffix, []).append(index)
        self._reversed = sorted((suffix[::-1], index) for suffix, index in shapes)
        self._keys = [key for key, _ in self._reversed]

    def few_earlier(self, index: int, suffix: str, most: int) -> list[int] | None:
        """Indices before ``index`` whose suffix ends ``suffix`` or is ended by it,
        ascending; None when more than ``most`` entries (before ``index`` or not) have
        such a suffix: the heads then pick the candidates."""
        if not suffix:
            return None  # every suffix ends ""
        # the entries whose suffix ends ours, the shortest first: "" (every route ending
        # in a parameter) mostly decides at once that there are too many
        count = 0
        shorter = []
        for cut in range(len(suffix), 0, -1):
            group = self._exact.get(suffix[cut:])
            if group:
                count += len(group)
                if count > most:
                    return None
                shorter.append(group)
        key = suffix[::-1]
        last = ord(key[-1])
        if last >= 0x10FFFF:
            return None
        # the entries whose reversed suffix starts with ``key``: theirs is ended by ours
        low = bisect_left(self._keys, key)
        high = bisect_left(self._keys, key[:-1] + chr(last + 1))
        if high - low + count > most:
            return None
        found = [at for _, at in self._reversed[low:high] if at < index]
        for group in shorter:
            found += _before(group, index)
        found.sort()
        return found
