"""A first-match entry's path language, built as its pattern's literal head followed by the
automaton of the rest, compiled once for every pattern that ends the same way.

A route table spells one tail after many heads (``/res1/(?:[0-9]+)``, ``/res2/(?:[0-9]+)``):
compiling each pattern, then intersecting it with "no newline", was most of a first-match
lint (100,000 routes: 20 of 32 s, and an automaton of its own per route). The head is a
chain of one-character states in front of the tail's states, which are shared, shifted,
by every pattern with that tail and a head of that length.

The result is the automaton :func:`whole_language` builds (the chain is what epsilon
elimination makes of literal characters; the tail's states are those it reaches after
them; only a state's edges with equally readable labels may come in another order, which
changes no witness), whenever the tail reads no context (no look-behind, no ``^``, no
global flag) and fits the state budgets with the head's states added; otherwise the whole
pattern is compiled, as before, and decides (an Undecidable too).
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from routecli.automata import Automaton, compile_regex, intersect_witness, intersection
from routecli.automata.automaton import _MAX_BUILD_STATES, is_empty
from routecli.automata.charsets import _single
from routecli.automata.limits import BudgetSpent
from routecli.automata.regex import compile_tail

# Paths with a newline (%0A) are left out: no client reaches a route with one, and the
# frameworks' "$" and "." treat it unlike any other character.
NO_NEWLINE = Automaton.any_string("\n")

# Characters that end a pattern's literal text; a quantifier takes back the last character.
_SPECIAL = frozenset("()[].^$|\\")
_QUANTIFIERS = frozenset("?*+{")


class PathLanguage(NamedTuple):
    automaton: Automaton
    head: str  # the literal text every path starts with (what literal_shape reads)
    literal: bool  # the head is the one path
    suffix: str = ""  # text every path ends with (literal_suffix: possibly not the longest)


def path_language(pattern: str) -> PathLanguage:
    """The paths without a newline that ``pattern`` matches whole (Undecidable when the
    engine cannot model it), with their literal head."""
    head, rest = _shared_split(pattern)
    if rest is not None:
        automaton = _prefixed(head, rest)
        if is_empty(automaton):
            return PathLanguage(automaton, "", False)
        more, literal = _tail_shape(rest)
        # a literal route's one path is all of its suffix
        suffix = head + more if literal else _tail_suffix(rest)
        return PathLanguage(automaton, head + more, literal, suffix)
    automaton = whole_language(pattern)
    return PathLanguage(automaton, *literal_shape(automaton), literal_suffix(automaton))


def path_witness(pattern: str, language: Automaton, max_states: int) -> str | None:
    """``intersect_witness(language, max_states=max_states)`` for ``language``, the
    automaton of :func:`path_language` of ``pattern``: its head then the shortest readable
    path of its tail (found once per tail) where that search could not run out of budget."""
    head, rest = _shared_split(pattern)
    if rest is not None:
        tail = _newline_free(rest)
        if len(head) + len(tail.edges) <= max_states:
            found = _tail_witness(rest)
            return None if found is None else head + found
    return intersect_witness(language, max_states=max_states)


def _shared_split(pattern: str) -> tuple[str, str | None]:
    """(head, rest) when the language is built from a shared tail, (_, None) otherwise."""
    head, rest = split_literal_head(pattern)
    if head and "\n" not in head:
        tail = _tail(rest)
        if tail is not None and _fits(tail, len(head)):
            return head, rest
    return head, None


def whole_language(pattern: str) -> Automaton:
    """:func:`path_language` by compiling the whole pattern."""
    return intersection(compile_regex(pattern), NO_NEWLINE)


def split_literal_head(pattern: str) -> tuple[str, str]:
    """(the literal text every match starts with, the pattern text after it), read off the
    text: ``/a/b(?:[0-9]+)`` gives ``("/a/b", "(?:[0-9]+)")``, ``/ab*`` ``("/a", "b*")``
    (a quantified character belongs to the rest). A leading ``^`` or ``\\A`` is dropped
    (always true before the first character); a ``|`` anywhere leaves the whole as rest."""
    if "|" in pattern:
        return "", pattern
    at = 2 if pattern.startswith("\\A") else 1 if pattern.startswith("^") else 0
    chars: list[str] = []
    starts: list[int] = []
    while at < len(pattern):
        char = pattern[at]
        if char in _QUANTIFIERS:
            if chars:
                chars.pop()
                at = starts.pop()
            break
        if char == "\\":
            following = pattern[at + 1:at + 2]
            if not following or following.isalnum():
                break
            chars.append(following)
            starts.append(at)
            at += 2
            continue
        if char in _SPECIAL:
            break
        chars.append(char)
        starts.append(at)
        at += 1
    if not chars:
        return "", pattern
    return "".join(chars), pattern[at:]


@functools.lru_cache(maxsize=4096)
def _tail(rest: str):
    """The rest's compiled form when it can follow a head as it is (None: it reads its
    context, is invalid or undecidable on its own: the whole pattern decides)."""
    try:
        tail = compile_tail(rest)
    except BudgetSpent:
        raise  # not a property of the rest: kept out of the cache
    except Exception:  # noqa: BLE001 - re.error, Undecidable...: the whole pattern decides
        return None
    return tail if tail.context_free else None


def _fits(tail, head: int) -> bool:
    """Whether the whole pattern stays within the budgets that its tail met: the head adds
    two Thompson states a character (and two for an anchor) and one extended state a
    character, and the newline product never exceeds the automaton's own states."""
    return (tail.built + 2 * head + 2 < _MAX_BUILD_STATES
            and tail.extended + head + 1 < _MAX_BUILD_STATES)


@functools.lru_cache(maxsize=4096)
def _shifted(rest: str, head: int) -> tuple[tuple, tuple[bool, ...]] | None:
    """The tail's rows renumbered to follow a head of ``head`` characters, and the states'
    accepting flags with the head's, shared by every pattern with this rest and head
    length (None: empty)."""
    language = _newline_free(rest)
    if is_empty(language):
        return None
    rows = tuple(tuple((chars, target + head) for chars, target in row)
                 for row in language.edges)
    return rows, (False,) * head + language.accepting


@functools.lru_cache(maxsize=4096)
def _newline_free(rest: str) -> Automaton:
    return intersection(_tail(rest).automaton, NO_NEWLINE)


@functools.lru_cache(maxsize=4096)
def _tail_shape(rest: str) -> tuple[str, bool]:
    # The chain's states each have one edge of one character and do not accept: the head
    # read off the whole automaton goes on into the tail's as it would alone.
    return literal_shape(_newline_free(rest))


@functools.lru_cache(maxsize=4096)
def _tail_suffix(rest: str) -> str:
    # every path ends as the tail does (the head only comes before it)
    return literal_suffix(_newline_free(rest))


@functools.lru_cache(maxsize=4096)
def _tail_witness(rest: str) -> str | None:
    # The chain is walked one state a layer: the search goes on from the tail's start.
    return intersect_witness(_newline_free(rest), max_states=_MAX_BUILD_STATES)


def literal_shape(automaton: Automaton) -> tuple[str, bool]:
    """The automaton's literal head (the characters of the chain of one-edge, one-character,
    non-accepting states from its start), and whether it is its whole language."""
    out = []
    state = 0
    edges, accepting = automaton.edges, automaton.accepting
    seen = set()
    while not accepting[state] and len(edges[state]) == 1 and state not in seen:
        seen.add(state)
        chars, target = edges[state][0]
        bounds = chars.bounds  # half-open intervals: one character is (c, c + 1)
        if len(bounds) != 2 or bounds[1] - bounds[0] != 1:
            break
        out.append(chr(bounds[0]))
        state = target
    return "".join(out), accepting[state] and not edges[state]


# A suffix this long already tells the routes that have one apart.
_MAX_SUFFIX = 256


def literal_suffix(automaton: Automaton) -> str:
    """The text every string of the (trimmed) automaton ends with: read backwards from
    its accepting states while every edge into the states reached carries one and the
    same character and none of them is the start (where a shorter string could end)."""
    edges, accepting = automaton.edges, automaton.accepting
    into: list[list[tuple]] = [[] for _ in edges]
    for source, row in enumerate(edges):
        for chars, target in row:
            into[target].append((chars, source))
    states = {state for state, final in enumerate(accepting) if final}
    out: list[str] = []
    while states and 0 not in states and len(out) < _MAX_SUFFIX:
        char = None
        sources = set()
        for state in states:
            for chars, source in into[state]:
                bounds = chars.bounds  # half-open intervals: one character is (c, c + 1)
                if len(bounds) != 2 or bounds[1] - bounds[0] != 1 or (
                        char is not None and bounds[0] != char):
                    return "".join(reversed(out))
                char = bounds[0]
                sources.add(source)
        if char is None:
            break
        out.append(chr(char))
        states = sources
    return "".join(reversed(out))


@functools.lru_cache(maxsize=8192)
def _chain_row(char: str, position: int) -> tuple:
    return ((_single(ord(char)), position + 1),)


def _prefixed(head: str, rest: str) -> Automaton:
    shifted = _shifted(rest, len(head))
    if shifted is None:
        return Automaton.empty()
    rows, accepting = shifted
    chain = tuple(_chain_row(char, i) for i, char in enumerate(head))
    return Automaton(chain + rows, accepting)
