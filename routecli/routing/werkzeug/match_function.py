"""The table's generated ``match``: :func:`compile_match`.

This module writes the table's whole ``match`` hot path (method, the prefixes'
404, then in each prefix's range its static paths and the search from the prefix's state,
404 and 405) as one function: a request takes one Python call and the answer's fields are
set in place (a bare answer of its status' class and slot stores: no ``__init__`` call),
which is most of what a request costs on a small table. On such a table every call, every
scan of the path and every comparison shows: prefixes are tested by comparisons
(:mod:`.prefixes`); tests before long bodies are guards, so that CPython 3.11 specialises their
comparisons (``Unit.guard``); a search that can find nothing more stops (``Unit.exit``);
and the path is checked for "?", "#" and "%" only where an answer could depend on it (see
``Unit.plain_check``).

The search in each range is :mod:`.codegen`'s code of the prefix's state (``Unit.state``);
a static path is answered from a dict before any search (:func:`_static_paths`).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from routecli.routing.werkzeug.codegen import (
    Answers,
    NotPlain,
    Unit,
    compiled_code,
    count_states,
    namespace_of,
    written_whole,
)
from routecli.routing.werkzeug.compiler import CompiledRule
from routecli.routing.werkzeug.prefixes import (
    NOT_PLAIN,
    WEIGHT_LIMIT,
    answerable_prefixes,
    prefix_ranges,
    route_by_prefix,
    state_at,
)


def compile_match(answers: Answers, start, statics: dict, merge_slashes: bool,
                  known_methods: dict, plain: Callable, no_match: Callable,
                  general: Callable) -> Callable:
    """The table's ``match(method, url, host=None, explain=False)`` for plain requests:
    a known method, a path (no host, query, fragment, escapes or leading "//") answered on
    the default host. ``statics``: such a path -> its static state; ``start``: the state
    the search starts from (None: no search here). ``plain(method, url)`` answers a plain
    request the general way (anything unusual: redirects, defaults, a converter refusing);
    ``no_match(method, url, misses)`` answers a search that found nothing but recorded
    more than one state's methods; ``general`` is the table's own ``match``, for every
    other request."""
    unit = Unit(answers)
    emit = unit.emit
    # ``explain`` is not keyword-only here (as in RouteTable.match): a function with
    # keyword-only parameters is called the slow way (CPython specialises only calls of
    # plain positional parameters), and every request pays for it.
    unit.lines.append("def match(method, url, host=None, explain=False):")
    emit(1, "if host is not None or url.__class__ is not str or explain:")
    emit(2, "return GENERAL(method, url, host, explain=explain)")
    emit(1, "try:")
    emit(2, "method = KNOWN[method]  # a look-up, not a call of .get: cheaper")
    emit(1, "except (KeyError, TypeError):  # new or unhashable: the general path judges it")
    emit(2, "return GENERAL(method, url)")
    prefixes = None if start is None else answerable_prefixes(start)
    if prefixes is None:
        _inside(unit, 1, start, None, merge_slashes, max(map(len, statics), default=0),
                False)
    else:
        # Most 404s leave the trie within a few static segments: they need no search (nor
        # the static paths, which all start with a prefix).
        def weight(prefix: str) -> int:
            return count_states(state_at(start, prefix), WEIGHT_LIMIT)

        ranges = prefix_ranges(prefixes, weight)
        lows = [low for low, *_ in ranges]
        longest = dict.fromkeys(lows, 0)  # the static paths' longest, per range
        for path in statics:
            found = bisect.bisect_right(lows, path) - 1
            if found >= 0 and path < ranges[found][1]:  # in a range (every answered one)
                longest[lows[found]] = max(longest[lows[found]], len(path))

        def inside(indent: int, prefix: str | None, low: str, high: str) -> None:
            _inside(unit, indent, start, prefix, merge_slashes, longest[low], True)

        route_by_prefix(unit, ranges, None, None, 1, merge_slashes, inside)
    emit(1, "return GENERAL(method, url)")
    namespace = namespace_of(unit)
    namespace.update(KNOWN=known_methods, STATICS=_static_answers(statics), RULE=CompiledRule,
                     PLAIN=plain,
                     GENERAL=general, MISSED=no_match, NOT_PLAIN=NotPlain, LISTED=_listed)
    exec(compiled_code("\n".join(unit.lines)), namespace)  # noqa: S102
    return namespace["match"]


def _inside(unit: Unit, at: int, start, prefix: str | None, merge_slashes: bool,
            longest: int, ranged: bool) -> None:
    """``compile_match``'s code for a path inside a prefix's range (``ranged``; ``prefix``:
    the range's one prefix, None for several) or any path (no prefixes): the static
    paths (``longest``: the longest there, 0 for none), then the search and its 404 or
    405; every way through it returns, except when there is no search (``start`` None)
    or a path no search from the root takes."""
    emit = unit.emit
    if longest:
        _static_paths(unit, at, longest)
    if start is None:
        return
    # The path is split and searched before it is known to be plain (no "?", "#" or
    # "%"): a match whose segments are all static texts or decimal values cannot hold
    # one, so only the other answers look (see Unit.plain_check).
    emit(at, "segs = url.split('/')")
    emit(at, "n = len(segs)")
    if not ranged:
        # A path is "/..." (not "//host..."); inside a prefix's range it is.
        emit(at, "if n > 1 and not segs[0] and (segs[1] or n == 2):")
        at += 1
    emit(at, "misses = None  # what was missed (see Unit._miss): most requests, nothing")
    unit.lazy_misses = unit.checks_plain = True
    emit(at, "try:")
    unit.eager = written_whole(start)
    # A loop run once: a search that can find nothing more leaves it (Unit.exit).
    emit(at + 1, "while True:")
    unit.exit = "break"
    if prefix is not None and not any(c in prefix for c in "?#%"):
        # The path starts with the prefix: the search starts at its state (the states on
        # the way have nothing else to try: answerable_prefixes). Past "/api/v1/", the
        # state has no rules and the path goes on; past "/api/v1", once its last
        # segment is known to be whole ("v1", not "v10").
        texts = prefix.split("/")
        last = len(texts) - 1
        if texts[last]:
            emit(at + 2, f"if segs[{last}] != {texts[last]!r}: break")
            last += 1
        unit.state(state_at(start, prefix), "segs", "n", last, 0, at + 2, 0,
                   onward=not texts[-1])
    elif start.dynamic:
        unit.state(start, "segs", "n", 0, 0, at + 2, 0)
    else:
        # segs[0] is "": only the state after the leading slash can take it.
        root = start.static.get("")
        if root is not None:
            unit.state(root, "segs", "n", 1, 0, at + 2, 0)
    emit(at + 2, "break")
    emit(at, "except (Exception, SystemExit):  # a converter refused or failed, or")
    emit(at + 1, f"if {NOT_PLAIN}:  # the path was no plain one (NotPlain):")
    emit(at + 2, "return GENERAL(method, url)  # the general path says how")
    emit(at + 1, "return PLAIN(method, url)")
    # One miss, its methods alone: recorded where only static texts (none empty),
    # decimal values and values of letters and digits led, so the path is plain and
    # holds no "//" (see Unit._miss).
    emit(at, "if misses.__class__ is tuple:")
    unit.result(at + 1, "ANSWER_405")
    emit(at + 1, "r.allowed_methods = [*misses]  # no call of list: cheaper")
    emit(at + 1, "return r")
    emit(at, f"if {NOT_PLAIN}:")
    emit(at + 1, "return GENERAL(method, url)")
    if merge_slashes:
        emit(at, "if '//' in url:  # maybe a redirect to the merged path")
        emit(at + 1, "return PLAIN(method, url)")
    emit(at, "if not misses:")
    unit.result(at + 1, "ANSWER_404")
    emit(at + 1, "return r")
    emit(at, "if len(misses) == 1 and misses[0].__class__ is tuple:")
    unit.result(at + 1, "ANSWER_405")
    emit(at + 1, "r.allowed_methods = [*misses[0]]")
    emit(at + 1, "return r")
    emit(at, "return MISSED(method, url, misses)")


def _static_answers(statics: dict) -> dict:
    """``STATICS`` of the generated ``match``: a static path -> its one rule when that is
    a plain rule for some methods (most paths), else its state."""
    answers = {}
    for path, state in statics.items():
        rules = state.rules
        if len(rules) == 1:
            rule = rules[0]
            if rule.plain and not rule.websocket and rule.methods is not None:
                answers[path] = rule
                continue
        answers[path] = state
    return answers


def _static_paths(unit: Unit, at: int, longest: int) -> None:
    """The answer to a static path (``STATICS``, see _static_answers) of at most
    ``longest`` characters."""
    emit = unit.emit
    # The length first (a guard, see Unit.guard), then a test of the dict (not a call
    # of its .get): most longer paths are spared the dict, whose look-up costs more.
    emit(at, f"if len(url) > {longest}: pass")
    emit(at, "elif url in STATICS:")
    emit(at + 1, "rule = STATICS[url]")
    emit(at + 1, "if rule.__class__ is RULE:  # the path's one rule, a plain one")
    emit(at + 2, "if method in rule.methods:")
    _static_answer(unit, at + 3)
    emit(at + 2, "return PLAIN(method, url)")
    emit(at + 1, "for rule in rule.rules:")
    emit(at + 2, "methods = rule.methods")
    emit(at + 2, "if (methods is None or method in methods) and not rule.websocket:")
    emit(at + 3, "if rule.plain:")
    _static_answer(unit, at + 4)
    emit(at + 3, "break")
    emit(at + 1, "return PLAIN(method, url)")


def _static_answer(unit: Unit, at: int) -> None:
    """Return the answer of ``rule``, a plain rule matching a static path."""
    if unit.answers.rule_only:
        unit.emit(at, "return rule.index")
        return
    unit.found(at, "rule", "{}")
    unit.emit(at, "if method == 'OPTIONS' and rule.automatic_options:")
    unit.emit(at + 1, "r.automatic_options = True")
    unit.emit(at, "return r")


def _listed(misses) -> list:
    """The list of misses the table's ``match`` recorded (None, one tuple, or a list)."""
    if misses is None:
        return []
    return [misses] if misses.__class__ is tuple else misses
