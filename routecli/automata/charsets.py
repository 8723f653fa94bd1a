"""Character sets for the automata: sorted, disjoint, half-open code-point intervals over the
full Unicode alphabet, their algebra (memoised for the product loops), and the ranking that
makes witness characters readable (``a``-``z``, then digits, upper case, ``-_.~``, ...)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

#: One past the largest code point: the alphabet is [0, MAX_CODE_POINT).
MAX_CODE_POINT = 0x110000


# --------------------------------------------------------------------------------------------
# Character sets
# --------------------------------------------------------------------------------------------


class CharSet:
    """An immutable set of code points stored as sorted, disjoint, half-open intervals.

    ``bounds`` is a flat tuple ``(lo0, hi0, lo1, hi1, ...)`` with strictly increasing values, so
    adjacent intervals are always merged and equal sets have equal bounds.
    """

    __slots__ = ("_best", "_hash", "bounds")

    def __init__(self, bounds: tuple[int, ...] = ()) -> None:
        # Trusted constructor: callers pass canonical bounds. Use the class methods otherwise.
        self.bounds = bounds
        self._hash = hash(bounds)
        self._best: tuple[int, str] | None = None

    # -- construction --------------------------------------------------------------------------

    @classmethod
    def from_ranges(cls, ranges: Iterable[tuple[int, int]]) -> CharSet:
        """Build from inclusive ``(lo, hi)`` code-point ranges, in any order, overlaps allowed."""
        out: list[int] = []
        for lo, hi in sorted(ranges):
            if not 0 <= lo <= hi < MAX_CODE_POINT:
                raise ValueError(f"bad code-point range {lo}..{hi}")
            if out and lo <= out[-1]:
                out[-1] = max(out[-1], hi + 1)
            else:
                out += (lo, hi + 1)
        return cls(tuple(out))

    @classmethod
    def from_chars(cls, chars: Iterable[str | int]) -> CharSet:
        """Build from characters (or code points)."""
        cps = sorted({c if isinstance(c, int) else ord(c) for c in chars})
        return cls.from_ranges((c, c) for c in cps)

    # -- queries --------------------------------------------------------------------------------

    def __contains__(self, char: object) -> bool:
        cp = ord(char) if isinstance(char, str) else char
        return bisect_right(self.bounds, cp) & 1 == 1  # type: ignore[arg-type]

    def __bool__(self) -> bool:
        return bool(self.bounds)

    def __len__(self) -> int:
        b = self.bounds
        return sum(b[i + 1] - b[i] for i in range(0, len(b), 2))

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, CharSet) and self.bounds == other.bounds)

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        parts = []
        for lo, hi in self.intervals()[:8]:
            parts.append(f"{lo:#x}" if lo == hi else f"{lo:#x}-{hi:#x}")
        more = ", ..." if len(self.bounds) > 16 else ""
        return f"CharSet([{', '.join(parts)}{more}])"

    def intervals(self) -> list[tuple[int, int]]:
        """The inclusive ``(lo, hi)`` intervals, in order."""
        b = self.bounds
        return [(b[i], b[i + 1] - 1) for i in range(0, len(b), 2)]

    def first_in(self, lo: int, hi: int) -> int | None:
        """Smallest member in ``[lo, hi)``, or None."""
        b = self.bounds
        i = bisect_right(b, lo)
        if i & 1:
            return lo
        if i < len(b) and b[i] < hi:
            return b[i]
        return None

    @property
    def best(self) -> tuple[int, str]:
        """``(rank, char)`` of the most readable member (see :func:`char_rank`); needs a member."""
        if self._best is None:
            self._best = _pick_readable(self)
        return self._best

    # -- algebra --------------------------------------------------------------------------------

    def intersection(self, other: CharSet) -> CharSet:
        """Code points in both sets."""
        if self is other:
            return self
        return CharSet(_and_bounds(self.bounds, other.bounds))

    def union(self, other: CharSet) -> CharSet:
        """Code points in either set."""
        if self is other:
            return self
        inv = _and_bounds(_invert(self.bounds), _invert(other.bounds))
        return CharSet(_invert(inv))

    def difference(self, other: CharSet) -> CharSet:
        """Code points in this set but not in ``other``."""
        return CharSet(_and_bounds(self.bounds, _invert(other.bounds)))

    def complement(self) -> CharSet:
        """Every code point not in this set."""
        return CharSet(_invert(self.bounds))

    __and__ = intersection
    __or__ = union
    __sub__ = difference
    __invert__ = complement


def _invert(b: tuple[int, ...]) -> tuple[int, ...]:
    # Toggling the two ends of the boundary list complements a canonical interval set.
    b = b[1:] if b and b[0] == 0 else (0, *b)
    return b[:-1] if b and b[-1] == MAX_CODE_POINT else (*b, MAX_CODE_POINT)


def _and_bounds(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    # Walk the side with fewer intervals and slice the other with bisect: route labels are
    # usually tiny ([^/], a literal) while Unicode classes (\d, \w) have hundreds of intervals.
    if len(a) > len(b):
        a, b = b, a
    out: list[int] = []
    for k in range(0, len(a), 2):
        lo, hi = a[k], a[k + 1]
        i = bisect_right(b, lo)
        j = bisect_left(b, hi, i)
        if i & 1:
            out.append(lo)
        out.extend(b[i:j])
        if j & 1:
            out.append(hi)
    return tuple(out)


EMPTY_SET = CharSet()
ANY_CHAR = CharSet((0, MAX_CODE_POINT))
_NEWLINE = CharSet((10, 11))
_NOT_NEWLINE = _NEWLINE.complement()


def _single(cp: int) -> CharSet:
    return CharSet((cp, cp + 1))


# Memo tables for label algebra in the hot loops. Keys are CharSet pairs (hash is cached, equality
# short-circuits on identity), so repeated product steps reuse both the set and its best char.
_AND_MEMO: dict[tuple[CharSet, CharSet], CharSet] = {}
_SUB_MEMO: dict[tuple[CharSet, CharSet], CharSet] = {}
_MEMO_LIMIT = 50_000


def _and(x: CharSet, y: CharSet) -> CharSet:
    if x is y or y is ANY_CHAR:
        return x
    if x is ANY_CHAR:
        return y
    key = (x, y)
    r = _AND_MEMO.get(key)
    if r is None:
        if len(_AND_MEMO) > _MEMO_LIMIT:
            _AND_MEMO.clear()
        r = _AND_MEMO[key] = x & y
    return r


def _sub(x: CharSet, y: CharSet) -> CharSet:
    key = (x, y)
    r = _SUB_MEMO.get(key)
    if r is None:
        if len(_SUB_MEMO) > _MEMO_LIMIT:
            _SUB_MEMO.clear()
        r = _SUB_MEMO[key] = x - y
    return r


# --------------------------------------------------------------------------------------------
# Readable witness characters
# --------------------------------------------------------------------------------------------

# Preferred ASCII, best first. Digits start at 1 so numeric witnesses read like ids ("1", "1.1").
_READABLE = (
    "abcdefghijklmnopqrstuvwxyz"
    "1234567890"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "-_.~"
    "!\"#$%&'()*+,/:;<=>?@[\\]^`{|}"
    " "
)
_READABLE_RANK = {ord(c): i for i, c in enumerate(_READABLE)}
# Runs of _READABLE that are contiguous in code-point order, searched with one bisect each.
_READABLE_RUNS = ((0x61, 0x7B), (0x31, 0x3A), (0x30, 0x31), (0x41, 0x5B))
_READABLE_REST = [ord(c) for c in _READABLE[62:]]
_NON_ASCII_BASE = len(_READABLE)


def char_rank(ch: str) -> int:
    """Readability rank of a character (lower is more readable); used to break witness ties."""
    cp = ord(ch)
    r = _READABLE_RANK.get(cp)
    if r is not None:
        return r
    if cp >= 0x80 and ch.isprintable():
        return _NON_ASCII_BASE + cp
    return _NON_ASCII_BASE + MAX_CODE_POINT + cp


def _pick_readable(cs: CharSet) -> tuple[int, str]:
    for lo, hi in _READABLE_RUNS:
        c = cs.first_in(lo, hi)
        if c is not None:
            return _READABLE_RANK[c], chr(c)
    for c in _READABLE_REST:
        if c in cs:
            return _READABLE_RANK[c], chr(c)
    # Outside ASCII: the first printable character we can find cheaply, else the smallest member.
    b = cs.bounds
    budget = 256
    for k in range(bisect_right(b, 0x80) & ~1, len(b), 2):
        lo = max(b[k], 0x80)
        for cp in range(lo, min(b[k + 1], lo + budget)):
            if chr(cp).isprintable():
                return _NON_ASCII_BASE + cp, chr(cp)
        budget -= min(b[k + 1], lo + budget) - lo
        if budget <= 0:
            break
    cp = b[0]
    return char_rank(chr(cp)), chr(cp)
