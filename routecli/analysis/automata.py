"""A small, exact regular-language engine for route patterns.

It answers three questions about Python ``re`` patterns as Werkzeug builds them, over the full
Unicode alphabet:

* can two (or more) patterns match a common string? (:func:`intersect_witness`)
* is every string of A matched by one of B1..Bn? (:func:`difference_witness`)
* does a pattern match a string? (:func:`accepts`, agrees with ``re.fullmatch``)

Witnesses are shortest strings, with ties broken toward readable characters (``a``-``z``, then
digits, upper case, ``-_.~``, other printable ASCII, then the rest).

Design:

* Character sets are :class:`CharSet` objects: sorted, disjoint, half-open code-point intervals.
  Characters are never enumerated, so ``[^/]`` and ``\\w`` cost a handful of integers.
* Patterns are parsed with the standard library's own parser (``re._parser``), turned into a
  Thompson NFA with epsilon edges, then into an epsilon-free NFA whose edges are labelled with
  CharSets (:class:`Automaton`). Epsilon closures are resolved once, at construction.
* Zero-width assertions are resolved at construction too, by tracking a little context next to
  each NFA state: whether anything was consumed yet and which look-behind classes the last
  character belongs to, and a pending constraint on the next character (look-ahead). This makes
  ``^ $ \\A \\Z`` anywhere, and one-character look-arounds such as Werkzeug's ``(?<!/)``, exact.
* Intersection is a lazy product explored breadth-first; inclusion is a lazy subset construction
  of the right-hand side, paired with the left-hand NFA. Both only visit reachable states and are
  guarded by a state budget (:class:`Undecidable` ``"too large"`` beyond it).

Anything whose language this engine cannot model exactly (backreferences, conditionals, ``\\b``,
multi-character look-arounds, atomic groups, possessive repeats) raises :class:`Undecidable`; the
caller must then report the question as unverified rather than guess.
"""

from __future__ import annotations

import array
import functools
import itertools
import re
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Sequence

try:  # Python >= 3.11
    from re import _constants as _sre_c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

__all__ = [
    "Automaton",
    "CharSet",
    "Undecidable",
    "accepts",
    "char_rank",
    "compile_regex",
    "difference_witness",
    "intersect_witness",
    "intersection",
    "is_empty",
    "is_subset",
]

#: One past the largest code point: the alphabet is [0, MAX_CODE_POINT).
MAX_CODE_POINT = 0x110000

#: Default cap on the states explored by one intersection or inclusion question.
DEFAULT_MAX_STATES = 100_000

# Cap on Thompson states while compiling one pattern (counted repeats are expanded into copies).
_MAX_BUILD_STATES = 100_000


class Undecidable(Exception):
    """The question cannot be answered exactly (unsupported regex feature, or too large)."""


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


# --------------------------------------------------------------------------------------------
# Unicode classes (\d \w \s) and case folding, computed lazily and exactly
# --------------------------------------------------------------------------------------------


def _all_code_points() -> str:
    """Every code point once, in order (lone surrogates included), built at C speed."""
    codec = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
    return array.array("I", range(MAX_CODE_POINT)).tobytes().decode(codec, "surrogatepass")


@functools.cache
def _class_sets() -> dict[tuple[str, bool], CharSet]:
    # Let the re engine itself classify every code point once (about 60 ms, C speed). This is
    # exact by construction for the running Python's Unicode database: \d is category Nd,
    # \w is str.isalnum() or "_", \s is str.isspace() (tests check this independently).
    text = _all_code_points()
    out: dict[tuple[str, bool], CharSet] = {}
    for name in "dws":
        for ascii_only in (False, True):
            scan = text[:128] if ascii_only else text
            flags = re.ASCII if ascii_only else 0
            bounds: list[int] = []
            for m in re.finditer(rf"\{name}+", scan, flags):
                bounds += m.span()
            out[name, ascii_only] = CharSet(tuple(bounds))
    return out


def _class_set(name: str, flags: int) -> CharSet:
    return _class_sets()[name, bool(flags & re.ASCII)]


@functools.cache
def _cased_chars() -> tuple[CharSet, str]:
    """Code points whose IGNORECASE behaviour can differ from a case-sensitive match.

    That is every cased character, every simple lower-case image of one, and sre's extra
    case-fold equivalences. For any other character c, lower(c) == upper(c) == c and nothing
    folds onto c, so a case-insensitive atom matches c exactly when the case-sensitive one does.
    """
    import _sre

    try:
        from re._casefix import _EXTRA_CASES as extra  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover
        extra = {}
    iscased = getattr(_sre, "unicode_iscased", None)
    tolower = getattr(_sre, "unicode_tolower", None)
    cps: set[int] = set()
    if iscased is not None and tolower is not None:
        cased = list(itertools.compress(range(MAX_CODE_POINT),
                                        map(iscased, range(MAX_CODE_POINT))))
        cps.update(cased)
        cps.update(map(tolower, cased))
    else:  # pragma: no cover - generous fallback
        for cp in range(MAX_CODE_POINT):
            ch = chr(cp)
            if ch.lower() != ch or ch.upper() != ch:
                cps.add(cp)
                cps.update(ord(x) for x in (ch.lower(), ch.upper()) if len(x) == 1)
    for k, vs in extra.items():
        cps.add(k)
        cps.update(vs)
    ordered = sorted(cps)
    return CharSet.from_chars(ordered), "".join(map(chr, ordered))


@functools.lru_cache(maxsize=2048)
def _fold_case(source: str, flags: int, sensitive: CharSet) -> CharSet:
    # Ask re itself about the few thousand characters where case-insensitivity can matter, and
    # keep the case-sensitive answer everywhere else (see _cased_chars for why that is sound).
    cased, cased_text = _cased_chars()
    matched = re.compile(source, flags).findall(cased_text)
    return (sensitive - cased) | CharSet.from_chars(matched)


# --------------------------------------------------------------------------------------------
# Thompson construction from re's parse tree
# --------------------------------------------------------------------------------------------

_OP = _sre_c
_MAXREPEAT = _sre_c.MAXREPEAT
_ATOM_OPS = (_OP.LITERAL, _OP.NOT_LITERAL, _OP.ANY, _OP.IN)
_CATEGORIES = {
    _OP.CATEGORY_DIGIT: ("d", False, r"\d"),
    _OP.CATEGORY_NOT_DIGIT: ("d", True, r"\D"),
    _OP.CATEGORY_SPACE: ("s", False, r"\s"),
    _OP.CATEGORY_NOT_SPACE: ("s", True, r"\S"),
    _OP.CATEGORY_WORD: ("w", False, r"\w"),
    _OP.CATEGORY_NOT_WORD: ("w", True, r"\W"),
}
_UNSUPPORTED = {
    "GROUPREF": "backreference",
    "GROUPREF_EXISTS": "conditional group",
    "ATOMIC_GROUP": "atomic group",
    "POSSESSIVE_REPEAT": "possessive repeat",
}

# Zero-width guards on epsilon edges.
#  - look-behind guards test the "previous character" context sigma: _START (nothing consumed) or
#    a bit mask telling which registered look-behind classes contain the last character;
#  - look-ahead guards add a constraint on what follows: (allowed next chars, may end here,
#    must end right after the next char).
_START = -1
_G_AT_START = 0  # \A, ^ without MULTILINE
_G_PREV_IN = 1  # (?<=C): something was consumed and it is in C
_G_PREV_NOT_IN = 2  # (?<!C): nothing consumed, or the last char is not in C
_G_PREV_IN_OR_START = 3  # ^ with MULTILINE: at start or after "\n"
_G_AHEAD = 4

# A look-ahead constraint: (allowed next characters, may end here, must end after the next char).
_Ahead = tuple[CharSet, bool, bool]
_FREE: _Ahead = (ANY_CHAR, True, False)
_MUST_END: _Ahead = (EMPTY_SET, True, False)


def _ahead_and(x: _Ahead, y: _Ahead) -> _Ahead:
    if x is _FREE:
        return y
    if y is _FREE:
        return x
    return (x[0] & y[0], x[1] and y[1], x[2] or y[2])


class _Builder:
    """Thompson NFA under construction: states with epsilon edges (maybe guarded) and char edges."""

    def __init__(self) -> None:
        self.eps: list[list[tuple[int, tuple | None]]] = []
        self.moves: list[list[tuple[CharSet, int]]] = []
        self.behind: list[CharSet] = []  # look-behind classes, indexed by guard
        self.uses_start = False

    def state(self) -> int:
        if len(self.moves) >= _MAX_BUILD_STATES:
            raise Undecidable("too large: pattern expands beyond the state budget")
        self.eps.append([])
        self.moves.append([])
        return len(self.moves) - 1

    def char(self, cs: CharSet) -> tuple[int, int]:
        s, f = self.state(), self.state()
        if cs:
            self.moves[s].append((cs, f))
        return s, f

    def epsilon(self, guard: tuple | None = None) -> tuple[int, int]:
        s, f = self.state(), self.state()
        self.eps[s].append((f, guard))
        return s, f

    def nothing(self) -> tuple[int, int]:
        return self.state(), self.state()

    def behind_class(self, cs: CharSet) -> int:
        self.uses_start = True
        if cs not in self.behind:
            self.behind.append(cs)
        return self.behind.index(cs)

    def seq(self, frags: Sequence[tuple[int, int]]) -> tuple[int, int]:
        if not frags:
            return self.epsilon()
        for (_, x), (e, _) in itertools.pairwise(frags):
            self.eps[x].append((e, None))
        return frags[0][0], frags[-1][1]

    def alt(self, frags: Sequence[tuple[int, int]]) -> tuple[int, int]:
        s, f = self.state(), self.state()
        for e, x in frags:
            self.eps[s].append((e, None))
            self.eps[x].append((f, None))
        return s, f

    def repeat(self, build: Callable[[], tuple[int, int]], lo: int, hi: int | None
               ) -> tuple[int, int]:
        if hi == 0:
            return self.epsilon()
        first = len(self.moves)
        frag = build()
        size = len(self.moves) - first
        copies = max(hi if hi is not None else lo, 1)
        if len(self.moves) + size * (copies - 1) > _MAX_BUILD_STATES:
            raise Undecidable(f"too large: repeat count {copies} exceeds the state budget")
        # Clone before wiring: the fragment's edges then all stay inside its state range.
        frags = [frag] + [self._clone(first, size, frag) for _ in range(copies - 1)]
        if hi is None:
            e, x = frags[max(lo, 1) - 1]
            s, f = self.state(), self.state()
            self.eps[s].append((e, None))
            self.eps[x].append((e, None))
            self.eps[x].append((f, None))
            if lo == 0:
                self.eps[s].append((f, None))
            return self.seq(frags[: max(lo, 1) - 1] + [(s, f)])
        s, f = self.state(), self.state()
        cur = s
        for e, x in frags[lo:hi]:
            self.eps[cur].append((e, None))
            self.eps[cur].append((f, None))
            cur = x
        self.eps[cur].append((f, None))
        return self.seq(frags[:lo] + [(s, f)])

    def _clone(self, first: int, size: int, frag: tuple[int, int]) -> tuple[int, int]:
        off = len(self.moves) - first
        for q in range(first, first + size):
            self.eps.append([(t + off, g) for t, g in self.eps[q]])
            self.moves.append([(cs, t + off) for cs, t in self.moves[q]])
        return frag[0] + off, frag[1] + off

    def embed(self, a: Automaton) -> tuple[int, int]:
        """Copy an epsilon-free automaton in as a fragment with fresh entry and exit states."""
        base = len(self.moves)
        for q in range(len(a.edges)):
            self.state()
            self.moves[base + q] = [(cs, t + base) for cs, t in a.edges[q]]
        s, f = self.state(), self.state()
        self.eps[s].append((base, None))
        for q, acc in enumerate(a.accepting):
            if acc:
                self.eps[base + q].append((f, None))
        return s, f


def _atom_source(op, av) -> str:
    """Regex source for a one-character atom, used to ask re about case folding."""
    def u(cp: int) -> str:
        return f"\\U{cp:08x}"

    if op is _OP.LITERAL:
        return u(av)
    if op is _OP.NOT_LITERAL:
        return f"[^{u(av)}]"
    if op is _OP.ANY:
        return "."
    parts = []
    for iop, iav in av:
        if iop is _OP.NEGATE:
            parts.append("^")
        elif iop is _OP.LITERAL:
            parts.append(u(iav))
        elif iop is _OP.RANGE:
            parts.append(f"{u(iav[0])}-{u(iav[1])}")
        elif iop is _OP.CATEGORY:
            parts.append(_CATEGORIES[iav][2])
        else:  # pragma: no cover - not produced by the parser for str patterns
            raise Undecidable(f"unsupported item in character class: {iop}")
    return "[" + "".join(parts) + "]"


def _atom_set(op, av, flags: int) -> CharSet:
    """The exact set of characters a one-character atom matches under ``flags``."""
    if op is _OP.LITERAL:
        cs = _single(av)
    elif op is _OP.NOT_LITERAL:
        cs = _single(av).complement()
    elif op is _OP.ANY:
        return ANY_CHAR if flags & re.DOTALL else _NOT_NEWLINE  # case never matters for "."
    else:
        cs = EMPTY_SET
        negate = False
        for iop, iav in av:
            if iop is _OP.NEGATE:
                negate = True
            elif iop is _OP.LITERAL:
                cs = cs | _single(iav)
            elif iop is _OP.RANGE:
                cs = cs | CharSet((iav[0], iav[1] + 1))
            elif iop is _OP.CATEGORY and iav in _CATEGORIES:
                name, negated, _ = _CATEGORIES[iav]
                cls = _class_set(name, flags)
                cs = cs | (cls.complement() if negated else cls)
            else:
                raise Undecidable(f"unsupported item in character class: {iop}")
        if negate:
            cs = cs.complement()
    if flags & re.IGNORECASE:
        probe_flags = flags & (re.IGNORECASE | re.ASCII | re.DOTALL)
        cs = _fold_case(_atom_source(op, av), probe_flags, cs)
    return cs


def _single_char_set(sub, flags: int) -> CharSet | None:
    """If a sub-pattern always matches exactly one character, the set of those; else None."""
    items = list(sub)
    if len(items) != 1:
        return None
    op, av = items[0]
    if op in _ATOM_OPS:
        return _atom_set(op, av, flags)
    if op is _OP.SUBPATTERN:
        _, add, dele, p = av
        return _single_char_set(p, (flags | add) & ~dele)
    if op is _OP.BRANCH:
        out = EMPTY_SET
        for p in av[1]:
            cs = _single_char_set(p, flags)
            if cs is None:
                return None
            out = out | cs
        return out
    return None


def _convert(b: _Builder, sub, flags: int) -> tuple[int, int]:
    return b.seq([_convert_item(b, op, av, flags) for op, av in sub])


def _convert_item(b: _Builder, op, av, flags: int) -> tuple[int, int]:
    if op in _ATOM_OPS:
        return b.char(_atom_set(op, av, flags))
    if op is _OP.SUBPATTERN:
        _, add, dele, p = av
        return _convert(b, p, (flags | add) & ~dele)
    if op is _OP.BRANCH:
        return b.alt([_convert(b, p, flags) for p in av[1]])
    if op is _OP.MAX_REPEAT or op is _OP.MIN_REPEAT:
        # Laziness changes which match is found, not whether the whole string matches.
        lo, hi, p = av
        return b.repeat(lambda: _convert(b, p, flags), lo, None if hi == _MAXREPEAT else hi)
    if op is _OP.AT:
        return _convert_at(b, av, flags)
    if op is _OP.ASSERT or op is _OP.ASSERT_NOT:
        return _convert_lookaround(b, op is _OP.ASSERT, av, flags)
    name = _UNSUPPORTED.get(str(op), str(op))
    raise Undecidable(f"unsupported regex feature: {name}")


def _convert_at(b: _Builder, at, flags: int) -> tuple[int, int]:
    multiline = bool(flags & re.MULTILINE)
    if at is _OP.AT_BEGINNING_STRING or (at is _OP.AT_BEGINNING and not multiline):
        b.uses_start = True
        return b.epsilon((_G_AT_START,))
    if at is _OP.AT_BEGINNING:
        return b.epsilon((_G_PREV_IN_OR_START, b.behind_class(_NEWLINE)))
    if at is _OP.AT_END_STRING:
        return b.epsilon((_G_AHEAD, _MUST_END))
    if at is _OP.AT_END:
        # "$": at the end, or before a newline that ends the string (any newline if MULTILINE).
        return b.epsilon((_G_AHEAD, (_NEWLINE, True, not multiline)))
    if at is _OP.AT_BOUNDARY or at is _OP.AT_NON_BOUNDARY:
        raise Undecidable(f"unsupported regex feature: {at} (word boundary)")
    raise Undecidable(f"unsupported regex feature: {at}")  # pragma: no cover


def _convert_lookaround(b: _Builder, positive: bool, av, flags: int) -> tuple[int, int]:
    direction, sub = av
    if not list(sub):  # (?=) always holds, (?!) never does
        return b.epsilon() if positive else b.nothing()
    cs = _single_char_set(sub, flags)
    if cs is None:
        kind = "look-behind" if direction < 0 else "look-ahead"
        raise Undecidable(f"unsupported regex feature: {kind} wider than one character")
    if direction < 0:
        idx = b.behind_class(cs)
        return b.epsilon((_G_PREV_IN if positive else _G_PREV_NOT_IN, idx))
    return b.epsilon((_G_AHEAD, (cs, False, False) if positive else (~cs, True, False)))


def _guard_passes(kind: int, arg: int, sigma: int) -> bool:
    if kind == _G_AT_START:
        return sigma == _START
    if sigma == _START:
        return kind != _G_PREV_IN
    inside = (sigma >> arg) & 1 == 1
    return inside if kind != _G_PREV_NOT_IN else not inside


def _eliminate_epsilons(b: _Builder, start: int, final: int) -> Automaton:
    """Epsilon-free NFA over extended states (Thompson state, previous-char context, look-ahead)."""
    behind = b.behind
    track = b.uses_start
    s0 = (start, _START if track else 0, _FREE)
    index: dict[tuple, int] = {s0: 0}
    order = [s0]
    edges: list[list[tuple[CharSet, int]]] = []
    accepting: list[bool] = []
    eps, moves = b.eps, b.moves

    def split(label: CharSet) -> list[tuple[CharSet, int]]:
        # Which look-behind classes will the consumed character belong to?
        parts = [(label, 0)]
        for i, cls in enumerate(behind):
            nxt = []
            for p, sig in parts:
                inside, outside = p & cls, p - cls
                if inside:
                    nxt.append((inside, sig | (1 << i)))
                if outside:
                    nxt.append((outside, sig))
            parts = nxt
        return parts

    i = 0
    while i < len(order):
        ext = order[i]
        i += 1
        # Epsilon closure of one extended state; guards are decided here, once.
        seen = {ext}
        stack = [ext]
        while stack:
            q, sigma, ahead = stack.pop()
            for t, g in eps[q]:
                if g is None:
                    nxt = (t, sigma, ahead)
                elif g[0] == _G_AHEAD:
                    na = _ahead_and(ahead, g[1])
                    if not na[0] and not na[1]:
                        continue  # no continuation can satisfy it
                    nxt = (t, sigma, na)
                elif _guard_passes(g[0], g[1] if len(g) > 1 else 0, sigma):
                    nxt = (t, sigma, ahead)
                else:
                    continue
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        acc = False
        targets: dict[tuple, CharSet] = {}
        for q, _, ahead in seen:
            if q == final and ahead[1]:
                acc = True
            if not moves[q]:
                continue
            after = _MUST_END if ahead is not _FREE and ahead[2] else _FREE
            for label, t in moves[q]:
                if ahead is not _FREE:
                    label = label & ahead[0]
                    if not label:
                        continue
                for part, sig in (split(label) if behind else ((label, 0),)):
                    key = (t, sig, after)
                    old = targets.get(key)
                    targets[key] = part if old is None else old | part
        out = []
        for key, label in targets.items():
            j = index.get(key)
            if j is None:
                if len(order) >= _MAX_BUILD_STATES:
                    raise Undecidable("too large: pattern expands beyond the state budget")
                j = index[key] = len(order)
                order.append(key)
            out.append((label, j))
        edges.append(out)
        accepting.append(acc)
    return _make(edges, accepting)


# --------------------------------------------------------------------------------------------
# Automata
# --------------------------------------------------------------------------------------------


class Automaton:
    """An epsilon-free NFA whose edges carry :class:`CharSet` labels.

    State 0 is the start state. Every state is reachable and can reach an accepting state
    (trimmed), so the language is empty exactly when no state accepts. Instances are immutable.
    """

    __slots__ = ("__weakref__", "accepting", "edges")

    edges: tuple[tuple[tuple[CharSet, int], ...], ...]
    accepting: tuple[bool, ...]

    def __init__(self, edges, accepting) -> None:
        # Trusted constructor; use compile_regex or the class methods.
        self.edges = edges
        self.accepting = accepting

    def __repr__(self) -> str:
        n_edges = sum(map(len, self.edges))
        return f"<Automaton states={len(self.edges)} edges={n_edges}>"

    @property
    def num_states(self) -> int:
        """Number of states (after trimming)."""
        return len(self.edges)

    # -- constructors ---------------------------------------------------------------------------

    @classmethod
    def empty(cls) -> Automaton:
        """The empty language."""
        return _EMPTY

    @classmethod
    def charset(cls, chars: CharSet) -> Automaton:
        """All one-character strings whose character is in ``chars``."""
        return _make([[(chars, 1)], []], [False, True])

    @classmethod
    def literal(cls, text: str) -> Automaton:
        """The language ``{text}``."""
        return _literal(text)

    @classmethod
    def any_string(cls, exclude: str = "") -> Automaton:
        """All strings (the empty one included) containing none of the characters in ``exclude``."""
        return _any_string(exclude)

    @classmethod
    def concat(cls, *parts: Automaton) -> Automaton:
        """Concatenation of the parts' languages, in order (no parts: the empty string)."""
        if not parts:
            return _literal("")
        if len(parts) == 1:
            return parts[0]
        return _concat(parts)

    @classmethod
    def union(cls, *parts: Automaton) -> Automaton:
        """Union of the parts' languages (no parts: the empty language)."""
        parts = tuple(p for p in parts if not is_empty(p))
        if not parts:
            return _EMPTY
        if len(parts) == 1:
            return parts[0]
        return _union(parts)

    @classmethod
    def star(cls, part: Automaton) -> Automaton:
        """Kleene star: zero or more strings of ``part``, concatenated."""
        b = _Builder()
        s, f = b.repeat(lambda: b.embed(part), 0, None)
        return _eliminate_epsilons(b, s, f)


# Automata are immutable and hash by identity, so compositions can be memoised on their parts:
# the overlap analysis builds the same route tails over and over.
@functools.lru_cache(maxsize=1024)
def _concat(parts: tuple[Automaton, ...]) -> Automaton:
    if any(is_empty(p) for p in parts):
        return _EMPTY
    b = _Builder()
    s, f = b.seq([b.embed(p) for p in parts])
    return _eliminate_epsilons(b, s, f)


@functools.lru_cache(maxsize=1024)
def _union(parts: tuple[Automaton, ...]) -> Automaton:
    # A fresh start state copies every part's start edges; old start states stay as they are.
    raw: list[list[tuple[CharSet, int]]] = [[]]
    acc = [False]
    for p in parts:
        base = len(raw)
        raw[0].extend((cs, t + base) for cs, t in p.edges[0])
        acc[0] = acc[0] or p.accepting[0]
        raw.extend([(cs, t + base) for cs, t in es] for es in p.edges)
        acc.extend(p.accepting)
    return _make(raw, acc)


def _make(raw_edges: Sequence[Sequence[tuple[CharSet, int]]], raw_accepting: Sequence[bool]
          ) -> Automaton:
    """Trim (reachable and co-reachable), merge parallel edges, renumber from 0, sort edges."""
    n = len(raw_edges)
    rev: list[list[int]] = [[] for _ in range(n)]
    for q, es in enumerate(raw_edges):
        for _, t in es:
            rev[t].append(q)
    alive = [False] * n
    stack = [q for q in range(n) if raw_accepting[q]]
    for q in stack:
        alive[q] = True
    while stack:
        for p in rev[stack.pop()]:
            if not alive[p]:
                alive[p] = True
                stack.append(p)
    if not n or not alive[0]:
        return _EMPTY
    index = {0: 0}
    order = [0]
    merged: list[list[tuple[CharSet, int]]] = []
    for q in order:  # grows while iterating: BFS numbering
        by_target: dict[int, CharSet] = {}
        for cs, t in raw_edges[q]:
            if alive[t] and cs:
                old = by_target.get(t)
                by_target[t] = cs if old is None else old | cs
        es = []
        for t, cs in by_target.items():
            j = index.get(t)
            if j is None:
                j = index[t] = len(order)
                order.append(t)
            es.append((cs, j))
        es.sort(key=lambda e: e[0].best[0])
        merged.append(es)
    return Automaton(tuple(map(tuple, merged)), tuple(raw_accepting[q] for q in order))


_EMPTY = Automaton(((),), (False,))


@functools.lru_cache(maxsize=4096)
def _literal(text: str) -> Automaton:
    edges = [((_single(ord(c)), i + 1),) for i, c in enumerate(text)] + [()]
    return Automaton(tuple(edges), tuple(i == len(text) for i in range(len(text) + 1)))


@functools.lru_cache(maxsize=256)
def _any_string(exclude: str) -> Automaton:
    allowed = CharSet.from_chars(exclude).complement()
    return Automaton((((allowed, 0),) if allowed else (),), (True,))


def compile_regex(pattern: str | re.Pattern[str], flags: int = 0) -> Automaton:
    """Automaton for the strings ``s`` with ``re.fullmatch(pattern, s, flags)``.

    A trailing ``\\Z`` (as in Werkzeug's part regexes) is fine. Raises :class:`Undecidable` for
    features the engine cannot model exactly, and ``re.error`` for invalid patterns.
    """
    if isinstance(pattern, re.Pattern):
        pattern, flags = pattern.pattern, pattern.flags | flags
    if not isinstance(pattern, str):
        raise TypeError("compile_regex expects a str pattern")
    return _compile_cached(pattern, int(flags))


@functools.lru_cache(maxsize=4096)
def _compile_cached(pattern: str, flags: int) -> Automaton:
    parsed = _sre_parse.parse(pattern, flags)
    b = _Builder()
    s, f = _convert(b, parsed, parsed.state.flags)
    return _eliminate_epsilons(b, s, f)


# --------------------------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------------------------


def is_empty(a: Automaton) -> bool:
    """True if the automaton accepts no string at all."""
    return not a.accepting[0] and not a.edges[0]


def accepts(a: Automaton, s: str) -> bool:
    """True if ``s`` is in the language (agrees with ``re.fullmatch`` for compiled patterns)."""
    edges = a.edges
    current = {0}
    for ch in s:
        cp = ord(ch)
        nxt = set()
        for q in current:
            for cs, t in edges[q]:
                if bisect_right(cs.bounds, cp) & 1:
                    nxt.add(t)
        if not nxt:
            return False
        current = nxt
    return any(a.accepting[q] for q in current)


def _shortest_readable(start: Hashable,
                       moves: Callable[[Hashable], Iterable[tuple[int, str, Hashable]]],
                       is_goal: Callable[[Hashable], bool], max_states: int) -> str | None:
    """Layered BFS: a shortest path to a goal, lexicographically smallest by character rank.

    ``moves(state)`` yields ``(rank, char, target)``. Within a layer, states are kept in the
    order of their best path string; states reached by equal strings share a class number, so
    sorting candidates by (parent class, rank) keeps that order exact for the next layer.
    """
    if is_goal(start):
        return ""
    parent: dict[Hashable, tuple[Hashable, str] | None] = {start: None}
    layer: list[tuple[int, Hashable]] = [(0, start)]
    while layer:
        cands = []
        for cls, st in layer:
            for rank, ch, t in moves(st):
                if t not in parent:
                    cands.append((cls, rank, ch, t, st))
        if not cands:
            return None
        cands.sort(key=lambda c: (c[0], c[1]))
        layer = []
        last = None
        cls = -1
        for pcls, rank, ch, t, st in cands:
            if t in parent:
                continue
            if (pcls, rank) != last:
                cls += 1
                last = (pcls, rank)
            parent[t] = (st, ch)
            if is_goal(t):
                out = []
                node: Hashable = t
                while (step := parent[node]) is not None:
                    node, c = step
                    out.append(c)
                return "".join(reversed(out))
            layer.append((cls, t))
        if len(parent) > max_states:
            raise Undecidable(f"too large: more than {max_states} states explored")
    return None


def intersection(*parts: Automaton) -> Automaton:
    """An automaton for the intersection of the parts' languages."""
    if len(parts) == 1:
        return parts[0]
    if any(is_empty(p) for p in parts):
        return Automaton.empty()
    start = (0,) * len(parts)
    index = {start: 0}
    order = [start]
    edges: list[list[tuple]] = []
    for state in order:  # grows while iterating
        out: list[tuple] = [(None, ())]
        for automaton, q in zip(parts, state):
            nxt = []
            for label, targets in out:
                for charset, target in automaton.edges[q]:
                    both = charset if label is None else label.intersection(charset)
                    if both:
                        nxt.append((both, (*targets, target)))
            out = nxt
            if not out:
                break
        row = []
        for label, targets in out:
            j = index.get(targets)
            if j is None:
                j = index[targets] = len(order)
                order.append(targets)
                if len(order) > DEFAULT_MAX_STATES:
                    raise Undecidable("too large: product automaton")
            row.append((label, j))
        edges.append(row)
    accepting = [all(p.accepting[q] for p, q in zip(parts, state)) for state in order]
    return _make(edges, accepting)


def intersect_witness(*automata: Automaton, max_states: int = DEFAULT_MAX_STATES) -> str | None:
    """A shortest string accepted by every automaton (readable on ties), or None if there is none.

    With a single automaton this is its shortest readable member.
    """
    if not automata:
        raise TypeError("intersect_witness needs at least one automaton")
    if any(is_empty(a) for a in automata):
        return None
    if len(automata) == 1:
        (a,) = automata
        return _shortest_readable(
            0, lambda q: [(cs.best[0], cs.best[1], t) for cs, t in a.edges[q]],
            a.accepting.__getitem__, max_states)

    all_edges = [a.edges for a in automata]
    all_acc = [a.accepting for a in automata]

    def moves(state: tuple[int, ...]) -> list[tuple[int, str, tuple[int, ...]]]:
        parts: list[tuple[CharSet, tuple[int, ...]]] = [(ANY_CHAR, ())]
        for edges, q in zip(all_edges, state, strict=True):
            nxt = []
            for label, ts in parts:
                for cs, t in edges[q]:
                    both = _and(label, cs)
                    if both:
                        nxt.append((both, (*ts, t)))
            parts = nxt
            if not parts:
                return []
        return [(cs.best[0], cs.best[1], ts) for cs, ts in parts]

    def is_goal(state: tuple[int, ...]) -> bool:
        return all(acc[q] for acc, q in zip(all_acc, state, strict=True))

    return _shortest_readable((0,) * len(automata), moves, is_goal, max_states)


def difference_witness(a: Automaton, *others: Automaton,
                       max_states: int = DEFAULT_MAX_STATES) -> str | None:
    """A shortest string of ``a`` matched by none of ``others``, or None if L(a) ⊆ ∪ L(others).

    The union of ``others`` is determinised on demand (subset construction, paired with the
    states of ``a``); raises :class:`Undecidable` ``"too large"`` beyond ``max_states`` pairs.
    """
    if is_empty(a):
        return None
    u = Automaton.union(*others)
    if is_empty(u):
        return intersect_witness(a, max_states=max_states)
    a_edges, a_acc = a.edges, a.accepting
    u_edges, u_acc = u.edges, u.accepting
    subset_moves: dict[frozenset[int], list[tuple[CharSet, int]]] = {}

    def moves_of(subset: frozenset[int]) -> list[tuple[CharSet, int]]:
        # Edges leaving a subset, merged per target so that each target splits labels once.
        es = subset_moves.get(subset)
        if es is None:
            by_target: dict[int, CharSet] = {}
            for q in subset:
                for cs, t in u_edges[q]:
                    old = by_target.get(t)
                    by_target[t] = cs if old is None else old | cs
            es = subset_moves[subset] = [(cs, t) for t, cs in by_target.items()]
        return es

    def moves(state: tuple[int, frozenset[int]]):
        qa, subset = state
        u_moves = moves_of(subset)
        out = []
        for cs_a, ta in a_edges[qa]:
            # Refine the a-edge's label by every edge of the subset: each piece knows exactly
            # which subset states it leads to.
            parts: list[tuple[CharSet, tuple[int, ...]]] = [(cs_a, ())]
            for cs_u, tu in u_moves:
                nxt = []
                for label, ts in parts:
                    inside = _and(label, cs_u)
                    if not inside:
                        nxt.append((label, ts))
                        continue
                    nxt.append((inside, (*ts, tu)))
                    outside = _sub(label, cs_u)
                    if outside:
                        nxt.append((outside, ts))
                parts = nxt
            for label, ts in parts:
                out.append((label.best[0], label.best[1], (ta, frozenset(ts))))
        return out

    def is_goal(state: tuple[int, frozenset[int]]) -> bool:
        qa, subset = state
        return a_acc[qa] and not any(u_acc[q] for q in subset)

    return _shortest_readable((0, frozenset((0,))), moves, is_goal, max_states)


def is_subset(a: Automaton, *others: Automaton, max_states: int = DEFAULT_MAX_STATES) -> bool:
    """True if every string of ``a`` is accepted by at least one of ``others``."""
    return difference_witness(a, *others, max_states=max_states) is None
