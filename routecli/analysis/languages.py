"""The strings each compiled part accepts, and how two parts relate.

A dynamic part made of one built-in converter gets a small descriptor (:class:`Lang`) with
closed-form answers for "do these intersect?" and "is this one inside that one?" (the table of
docs/lint.md#how-overlaps-are-decided). Everything else -- parts mixing text and converters, custom regexes,
slash-spanning tails -- goes through the exact automata engine.

Inclusion is decided *modulo line feeds*: ``[^/]`` accepts ``\\n`` while a path converter's
``.`` does not, so strictly no string part would ever be "inside" a path part. URLs holding
``%0A`` are not what routes are designed around, so the analysis leaves them out everywhere
(overlaps, inclusion, reachability) and never builds a witness containing one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from routecli import automata
from routecli.automata import Automaton, compile_regex
from routecli.automata.limits import current_budget, unbudgeted
from routecli.routing.werkzeug.converters import (
    AnyConverter,
    FloatConverter,
    IntConverter,
    StringConverter,
    UUIDConverter,
)

# The compiled content of a lone `<path:...>` tail, with and without a trailing "/".
PATH_TAIL = "(?P<__rc0>[^/].*?)\\Z"
PATH_TAIL_SUFFIXED = "(?P<__rc0>[^/].*?)(?<!/)(/?)\\Z"
_SUFFIX = "(?<!/)(/?)\\Z"

NO_SLASH = Automaton.any_string("/")
NO_NEWLINE = Automaton.any_string("\n")
NO_SLASH_NEWLINE = Automaton.any_string("/\n")

_FLOAT_SHAPE = re.compile(r"-?\d+\.\d+\Z")


class Lang:
    """The language of one part: ``kind`` is static, string, any, int, float, uuid, regex
    (a segment part the automata decide) or tail (a slash-spanning final part)."""

    __slots__ = ("hi", "items", "kind", "lo", "part", "pure", "signed", "text")

    def __init__(self, part) -> None:
        self.part = part
        self.text = part.content if part.static else None
        self.lo = self.hi = None
        self.items: tuple[str, ...] = ()
        self.signed = False
        # A lone path converter tail: "any non-empty text not starting with '/'".
        self.pure = part.final and part.content in (PATH_TAIL, PATH_TAIL_SUFFIXED)
        if part.static:
            self.kind = "static"
        elif part.final:
            self.kind = "tail"
        else:
            self.kind = "regex"
            converters = part.converters
            if len(converters) == 1 and part.content == f"(?P<__rc0>{converters[0].regex})\\Z":
                self._single(converters[0])

    def _single(self, conv) -> None:
        if isinstance(conv, StringConverter):
            self.kind = "string"
            self.lo, self.hi = conv.bounds
        elif isinstance(conv, AnyConverter):
            # An item holding "/" never matches a segment; any() matches only "".
            self.items = tuple(sorted({i for i in conv.items if "/" not in i and "\n" not in i}))
            if self.items and len(self.items) == len(set(conv.items)):
                self.kind = "any"
        elif isinstance(conv, IntConverter):
            self.kind = "int"
            self.signed = bool(conv.signed)
        elif isinstance(conv, FloatConverter):
            self.kind = "float"
            self.signed = bool(conv.signed)
        elif isinstance(conv, UUIDConverter):
            self.kind = "uuid"

    @property
    def finite(self) -> tuple[str, ...] | None:
        """Every member, when the language is a short list (static or any), else None."""
        if self.kind == "static":
            return (self.text,)
        if self.kind == "any":
            return self.items
        return None

    def match(self, text: str) -> bool:
        """True if this (non-final) part accepts ``text`` as a whole segment."""
        if self.kind == "static":
            return text == self.text
        return self.part.match(text) is not None

    def __repr__(self) -> str:
        return f"<Lang {self.kind} {self.part.content!r}>"


class Languages:
    """Cached part languages and the relations the analysis asks about."""

    def __init__(self) -> None:
        self._langs: dict = {}
        self._by_part: dict = {}
        self._odd_parts: dict = {}  # rule -> positions of parts that are not _plain
        self._plain_parts: dict = {}  # part -> _plain_part's answer (parts are shared)
        self._nonempty_parts: dict = {}  # part -> can_be_nonempty's answer
        self._any_text: dict = {}  # part -> takes_any_text's answer
        self._starts_text: dict = {}  # part -> _starts_with_text's answer
        self._inter: dict = {}
        self._subset: dict = {}
        self._auto: dict = {}
        self._rest: dict = {}
        self._nonempty: dict = {}
        self._tails: dict = {}

    def lang(self, part) -> Lang:
        # By the part itself first (an identity hash): hashing its key tuple on every call
        # cost lint seconds at 100,000 routes. Parts with equal keys share one Lang.
        lang = self._by_part.get(part)
        if lang is None:
            lang = self._langs.get(part.key)
            if lang is None:
                lang = self._langs[part.key] = Lang(part)
            self._by_part[part] = lang
        return lang

    # -- automata -------------------------------------------------------------------------

    def automaton(self, part, variant: str = "") -> Automaton:
        """The exact language of a part as an automaton. For a tail ending in "/",
        ``variant`` "slash" keeps the strings with the slash (what the route matches) and
        "bare" those without (what it redirects)."""
        key = (part.key, variant)
        found = self._auto.get(key)
        if found is not None:
            return found
        if part.static:
            result = Automaton.literal(part.content)
        else:
            content = part.content
            if part.suffixed:
                head = content[: -len(_SUFFIX)]
                content = head + ("(?<!/)\\Z" if variant == "bare" else "(?<!/)/\\Z")
            result = compile_regex(content)
            if not part.final and self.lang(part).kind in ("regex", "any"):
                # A custom regex may accept "/" although a segment never holds one.
                result = product(result, NO_SLASH)
        self._auto[key] = result
        return result

    def rest(self, rule, pos: int, end: int | None = None) -> Automaton:
        """The language of ``rule``'s parts from ``pos`` (to ``end``), joined with "/"."""
        parts = rule.parts[pos:end]
        key = tuple(p.key for p in parts)
        found = self._rest.get(key)
        if found is None:
            pieces: list[Automaton] = []
            for part in parts:
                if pieces:
                    pieces.append(Automaton.literal("/"))
                pieces.append(self.automaton(part, "slash"))
                if part.suffixed:
                    break  # the "" part after a slash-ending tail adds no text
            found = self._rest[key] = Automaton.concat(*pieces)
        return found

    def lengths(self, part) -> tuple[int, float]:
        """(shortest, longest) segment a non-final part can accept, ``inf`` for no bound:
        a bound, not always reached. Two parts whose ranges do not meet never intersect,
        which lets the join skip most pairs of edges that differ in a length argument."""
        lang = self.lang(part)
        kind = lang.kind
        if kind == "static":
            return len(part.content), len(part.content)
        if kind == "string":
            return lang.lo, INFINITE if lang.hi is None else lang.hi
        if kind == "any":
            return min(map(len, lang.items)), max(map(len, lang.items))
        return _KIND_LENGTHS.get(kind, (0, INFINITE))

    # -- relations of two segment parts ------------------------------------------------------

    def intersects(self, p, q) -> bool:
        """True if some segment is accepted by both non-final parts (line feeds aside)."""
        if p.key == q.key:
            return True
        key = (p.key, q.key)
        found = self._inter.get(key)
        if found is None:
            a, b = self.lang(p), self.lang(q)
            listed = a.finite if a.finite is not None else b.finite
            if listed is not None or "regex" not in (a.kind, b.kind):
                # Decided by a list or by shapes: recomputed rather than kept (N disjoint
                # any() on one state would keep N^2 answers), and counted in the work
                # budget by the items tried, so the budget bounds their pairs too.
                current_budget().spend(1 + len(listed or ()))
                return _intersects(self, a, b)
            found = _intersects(self, a, b)
            self._inter[key] = self._inter[(q.key, p.key)] = found
        return found

    def subset(self, p, q) -> bool:
        """True if every segment ``p`` accepts is accepted by ``q`` (line feeds aside)."""
        if p.key == q.key:
            return True
        key = (p.key, q.key)
        found = self._subset.get(key)
        if found is None:
            found = self._subset[key] = _subset(self, self.lang(p), self.lang(q))
        return found

    def can_be_nonempty(self, part) -> bool:
        """True if the part accepts some non-empty text without a line feed."""
        found = self._nonempty_parts.get(part)
        if found is None:
            found = self._nonempty_parts[part] = self._can_be_nonempty(part)
        return found

    def _can_be_nonempty(self, part) -> bool:
        found = self._nonempty.get(part.key)
        if found is None:
            lang = self.lang(part)
            if lang.kind == "static":
                found = part.content != "" and "\n" not in part.content
            elif lang.kind == "string":
                found = lang.hi is None or lang.hi >= 1
            elif lang.kind in ("any", "int", "float", "uuid") or lang.pure:
                found = True
            else:
                witness = automata.intersect_witness(
                    self.automaton(part, "slash"), NO_NEWLINE, _NONEMPTY)
                found = witness is not None
            self._nonempty[part.key] = found
        return found

    # -- tails --------------------------------------------------------------------------

    def takes_any_text(self, tail) -> bool:
        """True for a lone path converter tail without a trailing slash: it overlaps
        every plain rule whose part at its position can be non-empty (see
        :meth:`tail_overlaps`, :meth:`plain_from`)."""
        return self.lang(tail).pure and not tail.suffixed

    def plain_from(self, rule, pos: int) -> bool:
        """True if every part of ``rule`` from ``pos`` on is plain (see :meth:`_plain`)."""
        odd = self._odd_parts.get(rule)
        if odd is None:
            odd = self._odd(rule)
        return not odd or odd[-1] < pos

    def tail_overlaps(self, tail, rule, pos: int, end: int | None = None) -> bool:
        """True if the tail part accepts some text that ``rule``'s parts from ``pos`` on
        (to ``end``; joined with "/") also produce."""
        if self.takes_any_text(tail) and self._plain(rule, pos, end):
            # "[^/].*?" takes any text that is non-empty and does not start with "/".
            return self.can_be_nonempty(rule.parts[pos])
        parts = rule.parts[pos:end]
        key = (tail.key, tuple(p.key for p in parts))
        found = self._tails.get(key)
        if found is None:
            found = self._tails[key] = automata.intersect_witness(
                self.automaton(tail, "slash"), self.rest(rule, pos, end), NO_NEWLINE) is not None
        return found

    def tails_intersect(self, p, q) -> bool:
        """True if two tail parts (both reaching the end of the path) share a text."""
        if p.key == q.key:
            return True
        if self.lang(p).pure and self.lang(q).pure and not (p.suffixed or q.suffixed):
            return True
        key = (p.key, q.key)
        found = self._tails.get(key)
        if found is None:
            found = automata.intersect_witness(self.automaton(p, "slash"),
                                               self.automaton(q, "slash"),
                                               NO_NEWLINE) is not None
            self._tails[key] = self._tails[(q.key, p.key)] = found
        return found

    def rest_subset(self, inner, outer, pos: int) -> bool:
        """True if ``inner``'s parts from ``pos`` on produce only texts that ``outer``'s
        parts from ``pos`` on produce too (line feeds aside)."""
        if len(outer.parts) == pos + 1 and self.plain_from(inner, pos):
            # Inside a catch-all (most calls at 100,000 routes): two answers per part.
            tail = outer.parts[pos]
            any_text = self._any_text.get(tail)
            if any_text is None:
                any_text = self._any_text[tail] = self.takes_any_text(tail)
            if any_text:
                return self.starts_text(inner.parts[pos])
        inner_parts, outer_parts = inner.parts[pos:], outer.parts[pos:]
        inner_tails = [p for p in inner_parts if p.final]
        if not any(p.final for p in outer_parts):
            if not inner_tails:
                return len(inner_parts) == len(outer_parts) and all(
                    self.subset(a, b) for a, b in zip(inner_parts, outer_parts))
            # A path tail reaches any depth, a fixed list of segments does not; only a
            # custom tail could be bounded, and the automata settle that.
            if all(self.lang(p).pure for p in inner_tails):
                return False
        witness = automata.difference_witness(
            product(self.rest(inner, pos), NO_NEWLINE), self.rest(outer, pos))
        return witness is None

    def starts_text(self, first) -> bool:
        """:meth:`_starts_with_text`, cached: a plain rest starting with ``first`` lies
        inside an any-text tail (:meth:`rest_subset`'s catch-all case)."""
        found = self._starts_text.get(first)
        if found is None:
            found = self._starts_text[first] = self._starts_with_text(first)
        return found

    def _starts_with_text(self, first) -> bool:
        """True if a plain part never accepts the empty piece, which alone would start
        the joined text with "/" (what a path tail refuses)."""
        lang = self.lang(first)
        if lang.kind == "static":
            return first.content != ""
        if lang.kind == "string":
            return lang.lo >= 1
        return lang.kind in ("any", "int", "float", "uuid") or lang.pure

    def _plain(self, rule, pos: int, end: int | None = None) -> bool:
        """True if every part of ``rule`` from ``pos`` (to ``end``) is static text or a
        built-in converter (no custom regex)."""
        odd = self._odd_parts.get(rule)
        if odd is None:
            odd = self._odd(rule)
        if not odd:
            return True
        return not any(pos <= i and (end is None or i < end) for i in odd)

    def _odd(self, rule) -> tuple[int, ...]:
        """The positions of ``rule``'s parts that are not plain, ascending (cached)."""
        plain = self._plain_parts
        parts = rule.parts
        for part in parts:
            if part not in plain:
                plain[part] = self._plain_part(part)
        # most rules are plain throughout: one pass in C says so
        found = () if all(map(plain.__getitem__, parts)) else tuple(
            i for i, part in enumerate(parts) if not plain[part])
        self._odd_parts[rule] = found
        return found

    def plain_part(self, part) -> bool:
        """True if the part is static text without a line feed or a built-in converter
        (no custom regex) (cached)."""
        found = self._plain_parts.get(part)
        if found is None:
            found = self._plain_parts[part] = self._plain_part(part)
        return found

    def _plain_part(self, part) -> bool:
        lang = self.lang(part)
        if lang.kind == "regex" or (lang.kind == "tail" and not lang.pure):
            return False
        return not (lang.kind == "static" and not plain_text(part.content))


def plain_text(text: str) -> bool:
    """True if a static part or trie key of this text is plain (no line feed)."""
    return "\n" not in text


with unbudgeted():  # imported lazily, maybe inside an analysis: not its work
    _NONEMPTY = compile_regex("(?s).+")
INFINITE = float("inf")
# Length bounds of the built-in converters' segments: "1", "1.0", a 36-character uuid.
_KIND_LENGTHS = {"int": (1, INFINITE), "float": (3, INFINITE), "uuid": (36, 36)}


def _intersects(langs: Languages, a: Lang, b: Lang) -> bool:
    if a.kind == "static":
        return b.match(a.text)
    if b.kind == "static":
        return a.match(b.text)
    if a.finite is not None:
        return any(b.match(item) for item in a.finite)
    if b.finite is not None:
        return any(a.match(item) for item in b.finite)
    kinds = {a.kind, b.kind}
    if "regex" not in kinds:
        if a.kind == b.kind:
            if a.kind == "string":
                return _length_overlap(a.lo, a.hi, b.lo, b.hi)
            return True  # int/int, float/float, uuid/uuid share "1", "1.0", any uuid
        if "string" in kinds:
            other = b if a.kind == "string" else a
            string = a if a.kind == "string" else b
            shortest = {"int": 1, "float": 3}.get(other.kind)
            if shortest is not None:
                return string.hi is None or string.hi >= max(string.lo, shortest)
            return _length_overlap(string.lo, string.hi, 36, 36)  # uuid
        return False  # int, float and uuid never share a string
    witness = automata.intersect_witness(langs.automaton(a.part), langs.automaton(b.part),
                                         NO_SLASH_NEWLINE)
    return witness is not None


def _length_overlap(lo1, hi1, lo2, hi2) -> bool:
    low = max(lo1, lo2)
    highs = [h for h in (hi1, hi2) if h is not None]
    return not highs or low <= min(highs)


def _subset(langs: Languages, a: Lang, b: Lang) -> bool:
    finite = a.finite
    if finite is not None:
        return all(b.match(item) for item in finite)
    if b.kind == "static" or b.kind == "any":
        return False  # an infinite (or astronomically large) language in a short list
    if a.kind == "string" and b.kind == "string":
        return b.lo <= a.lo and (b.hi is None or (a.hi is not None and a.hi <= b.hi))
    if a.kind in ("int", "float", "uuid") and b.kind in ("int", "float", "uuid", "string"):
        if b.kind == "string":
            if a.kind == "uuid":
                return b.lo <= 36 and (b.hi is None or b.hi >= 36)
            return b.lo <= (1 if a.kind == "int" else 3) and b.hi is None
        return a.kind == b.kind and (b.signed or not a.signed)
    if a.kind == "string" and b.kind in ("int", "float", "uuid"):
        return False
    witness = automata.difference_witness(product(langs.automaton(a.part), NO_SLASH_NEWLINE),
                                          langs.automaton(b.part))
    return witness is None


def float_shaped(text: str) -> bool:
    """True if the text reads as Werkzeug's float converter's syntax."""
    return _FLOAT_SHAPE.match(text) is not None


# -- automata helpers ---------------------------------------------------------------------


def product(*parts: Automaton) -> Automaton:
    """An automaton for the intersection of the parts' languages."""
    return automata.intersection(*parts)


def literals(texts: Iterable[str]) -> Automaton:
    """The finite language of ``texts``."""
    return Automaton.union(*(Automaton.literal(t) for t in texts))
