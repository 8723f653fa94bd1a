"""From a Python ``re`` pattern to an :class:`~routecli.automata.automaton.Automaton`:
the standard library's own parser, Unicode classes (``\\d \\w \\s``) and case folding
computed exactly, and the conversion of each parse-tree node into Thompson fragments.
Features whose language cannot be modelled exactly raise Undecidable."""

from __future__ import annotations

import array
import functools
import itertools
import re
import sys

# The standard library's own regex parser and opcode tables are private (re._parser and
# re._constants since Python 3.11), but they are the only way to read a pattern exactly as
# `re` does: a parser of our own would disagree with Werkzeug's compiled regexes on corner
# cases. tests/analysis/test_automata.py checks the attributes used here, so a Python
# release that changes them fails loudly there.
from re import _constants as _sre_c
from re import _parser as _sre_parse
from typing import NamedTuple

from routecli.automata.automaton import (
    _G_AHEAD,
    _G_AT_START,
    _G_PREV_IN,
    _G_PREV_IN_OR_START,
    _G_PREV_NOT_IN,
    _MUST_END,
    Automaton,
    Undecidable,
    _Builder,
    _eliminate_epsilons,
    _epsilon_free,
    _make,
)
from routecli.automata.charsets import (
    _NEWLINE,
    _NOT_NEWLINE,
    ANY_CHAR,
    EMPTY_SET,
    MAX_CODE_POINT,
    CharSet,
    _single,
)
from routecli.automata.limits import current_budget

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
    from re._casefix import _EXTRA_CASES as extra  # private, like re._parser (see above)

    cps: set[int] = set()
    cased = list(itertools.compress(range(MAX_CODE_POINT),
                                    map(_sre.unicode_iscased, range(MAX_CODE_POINT))))
    cps.update(cased)
    cps.update(map(_sre.unicode_tolower, cased))
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
    current_budget().check()  # a miss after the budget ran out is not parsed per question
    parsed = _sre_parse.parse(pattern, flags)
    b = _Builder()
    s, f = _convert(b, parsed, parsed.state.flags)
    return _eliminate_epsilons(b, s, f)


class SizedTail(NamedTuple):
    """A pattern compiled to be the tail of longer ones (:func:`compile_tail`)."""

    automaton: Automaton
    built: int  # Thompson states the builder made (what its budget counts)
    extended: int  # states epsilon elimination reached (what its budget counts)
    context_free: bool  # no look-behind, no "^" or "\\A", no global flag: reads no context


@functools.lru_cache(maxsize=4096)
def compile_tail(pattern: str) -> SizedTail:
    """:func:`compile_regex` of ``pattern``, with what it takes to know whether the same
    text after a literal prefix compiles to the prefix then this automaton (context_free)
    and within which budgets (the prefix adds its states to both counts)."""
    current_budget().check()
    parsed = _sre_parse.parse(pattern, 0)
    b = _Builder()
    s, f = _convert(b, parsed, parsed.state.flags)
    edges, accepting = _epsilon_free(b, s, f)
    return SizedTail(_make(edges, accepting), len(b.moves), len(edges),
                     not b.uses_start and parsed.state.flags == _sre_c.SRE_FLAG_UNICODE)
