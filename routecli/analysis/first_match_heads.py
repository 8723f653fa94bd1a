"""Which earlier entries of a first-match table can share a path with an entry, read off
the literal heads of their languages (the text every path of one starts with), or their
literal suffixes (the text every path ends with).

Two languages share a path only when one head is a prefix of the other. A *literal* entry
(its language is its head alone: ``/users/me``) narrows that further: it shares its one
path only with entries whose head is a prefix of it. So an earlier literal entry with a
head shorter than the entry's, or an earlier entry of any kind with a head longer than a
literal entry's, is never a candidate: in a table of 100,000 REST routes those were nine
candidates in ten, each asked to the automata for nothing.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right


class HeadIndex:
    """Entries by head. ``shapes`` are (head, literal, index) of the entries that can be
    earlier entries for others, ``asking`` those of the entries that will ask for theirs
    (in any order; an entry may be in both)."""

    def __init__(self, shapes: list[tuple[str, bool, int]],
                 asking: list[tuple[str, bool, int]]) -> None:
        self._open: dict[str, list[int]] = {}  # head -> indices, ascending
        self._literal: dict[str, list[int]] = {}
        for head, literal, index in sorted(shapes, key=lambda shape: shape[2]):
            (self._literal if literal else self._open).setdefault(head, []).append(index)
        # For an asking entry that is not literal: the earlier entries whose head strictly
        # extends its own (found from theirs, by its prefixes: no scan of every longer head).
        open_asking: dict[str, list[int]] = {}
        for head, literal, index in sorted(asking, key=lambda shape: shape[2]):
            if not literal:
                open_asking.setdefault(head, []).append(index)
        self._deeper: dict[int, list[int]] = {}
        for head, _, index in shapes:
            for cut in range(len(head)):
                group = open_asking.get(head[:cut])
                if group:
                    for later in group[bisect_right(group, index):]:
                        self._deeper.setdefault(later, []).append(index)

    def earlier(self, index: int, head: str, literal: bool) -> list[int]:
        """Indices before ``index`` (an asking entry's) whose entries can share a path with
        it, given its head and whether it is ``literal``, ascending."""
        found: list[int] = []
        for cut in range(len(head)):
            found += _before(self._open.get(head[:cut]), index)
        found += _before(self._open.get(head), index)
        found += _before(self._literal.get(head), index)
        if not literal:
            found += self._deeper.get(index, ())
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
