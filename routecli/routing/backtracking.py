"""Which regexes make a backtracking matcher (Python's ``re``, so Werkzeug and Django) take
exponential or heavy polynomial time, read from the pattern's structure alone; and, for
those, a test that runs in linear time (:func:`linear_test`).

The test is sound for the shapes that cause catastrophic backtracking, and simple: it may
flag a harmless regex, never the reverse for these shapes (docs/lint.md#rl120):

- *ambiguous iteration*: a repeat (at most more than once) whose body matches strings of
  different lengths and can end with a character it can also start with: ``(a+)+``,
  ``(a|aa)+``, ``(\\w+\\s?)*``. Then a run of such characters splits into iterations in
  exponentially many ways, all tried before a failure;
- *overlapping alternation under a repeat*: two alternatives that can start with the
  same character, inside a repeat: ``(a.|ab)+``;
- *polynomial*: three or more unbounded repeats in a row over overlapping characters,
  with only optional items between them: ``\\d*\\d*\\d*x`` (cubic and worse).

Characters are compared through sets that know their members when there are few (literals,
ranges) and a membership test otherwise (``\\d``, ``\\w``, negations); two sets that are both
large are assumed to overlap. Only the standard library's own parser is used, so the test
costs nothing at start-up (tests/routing/test_backtracking.py pins the shapes).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from re import _constants as _c  # the parser's opcodes (see routecli/automata)
from re import _parser as _p

_MAX = _c.MAXREPEAT
_SMALL = 4096  # a character set this small is enumerated
_IGNORECASE = _c.SRE_FLAG_IGNORECASE


class _Chars:
    """A set of characters: a membership test, and its members when there are few."""

    __slots__ = ("contains", "members")

    def __init__(self, contains, members: frozenset | None) -> None:
        self.contains = contains
        self.members = members

    def overlaps(self, other: _Chars) -> bool:
        if self.members is not None:
            return any(other.contains(c) for c in self.members)
        if other.members is not None:
            return any(self.contains(c) for c in other.members)
        return True  # two large sets: assume they meet

    def __or__(self, other: _Chars) -> _Chars:
        if self.members is not None and other.members is not None:
            members = self.members | other.members
            return _Chars(members.__contains__, members)
        a, b = self.contains, other.contains
        return _Chars(lambda c: a(c) or b(c), None)


_NONE = _Chars(lambda c: False, frozenset())
_EVERY = _Chars(lambda c: True, None)

_CATEGORY_TESTS = {
    _c.CATEGORY_DIGIT: str.isdecimal,
    _c.CATEGORY_NOT_DIGIT: lambda c: not c.isdecimal(),
    _c.CATEGORY_SPACE: str.isspace,
    _c.CATEGORY_NOT_SPACE: lambda c: not c.isspace(),
    _c.CATEGORY_WORD: lambda c: c.isalnum() or c == "_",
    _c.CATEGORY_NOT_WORD: lambda c: not (c.isalnum() or c == "_"),
}


def _literal(code: int) -> _Chars:
    char = chr(code)
    return _Chars(char.__eq__, frozenset(char))


def _in_set(items) -> _Chars:
    negate = False
    members: set | None = set()
    tests = []
    for op, av in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            if members is not None:
                members.add(chr(av))
            tests.append(chr(av).__eq__)
        elif op is _c.RANGE:
            low, high = av
            if members is not None and high - low < _SMALL:
                members.update(map(chr, range(low, high + 1)))
            else:
                members = None
            tests.append(lambda c, low=low, high=high: low <= ord(c) <= high)
        elif op is _c.CATEGORY and av in _CATEGORY_TESTS:
            members = None
            tests.append(_CATEGORY_TESTS[av])
        else:
            return _EVERY  # unknown item: assume anything
    if negate:
        return _Chars(lambda c: not any(test(c) for test in tests), None)
    if members is not None and len(members) <= _SMALL:
        frozen = frozenset(members)
        return _Chars(frozen.__contains__, frozen)
    return _Chars(lambda c: any(test(c) for test in tests), None)


class _Shape:
    """What the checks need of a sub-pattern: may it be empty, its shortest and longest
    lengths (None: unbounded), and the characters it can start and end with."""

    __slots__ = ("nullable", "low", "high", "first", "last")

    def __init__(self, nullable, low, high, first, last) -> None:
        self.nullable = nullable
        self.low = low
        self.high = high
        self.first = first
        self.last = last


def _add(a, b):
    return None if a is None or b is None else a + b


class _Checker:
    """Walks a parsed pattern, computing shapes and collecting the reasons it is risky."""

    def __init__(self, ignorecase: bool) -> None:
        self.ignorecase = ignorecase
        self.reasons: list[str] = []
        self.repeat_depth = 0

    def chars(self, found: _Chars) -> _Chars:
        return _EVERY if self.ignorecase else found

    def sequence(self, items) -> _Shape:
        shapes = [self.item(op, av) for op, av in items]
        self.polynomial(items, shapes)
        nullable, low, high = True, 0, 0
        first = _NONE
        for shape in shapes:
            if nullable:
                first = first | shape.first
            nullable = nullable and shape.nullable
            low, high = low + shape.low, _add(high, shape.high)
        last = _NONE
        for shape in reversed(shapes):
            last = last | shape.last
            if not shape.nullable:
                break
        return _Shape(nullable, low, high, first, last)

    def item(self, op, av) -> _Shape:
        if op is _c.LITERAL:
            found = self.chars(_literal(av))
            return _Shape(False, 1, 1, found, found)
        if op in (_c.NOT_LITERAL, _c.ANY):
            return _Shape(False, 1, 1, _EVERY, _EVERY)
        if op is _c.IN:
            found = self.chars(_in_set(av))
            return _Shape(False, 1, 1, found, found)
        if op is _c.SUBPATTERN:
            _, add_flags, _, sub = av
            if add_flags & _IGNORECASE and not self.ignorecase:
                self.ignorecase = True
                try:
                    return self.sequence(sub)
                finally:
                    self.ignorecase = False
            return self.sequence(sub)
        if op is _c.ATOMIC_GROUP:
            return self.sequence(av)
        if op is _c.BRANCH:
            return self.branch(av[1])
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            # An atomic body never gives characters back: its iterations split one way.
            atomic = op is _c.POSSESSIVE_REPEAT or (
                len(av[2]) == 1 and av[2][0][0] is _c.ATOMIC_GROUP)
            return self.repeat(*av, atomic=atomic)
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            if op is not _c.AT:
                self.sequence(av[1])  # a look-around backtracks too
            return _Shape(True, 0, 0, _NONE, _NONE)
        # a backreference, a conditional: any characters, any length
        return _Shape(True, 0, None, _EVERY, _EVERY)

    def branch(self, alternatives) -> _Shape:
        shapes = [self.sequence(alt) for alt in alternatives]
        if self.repeat_depth:
            for i, a in enumerate(shapes):
                for b in shapes[i + 1:]:
                    if a.first.overlaps(b.first):
                        self.note("alternatives that can start with the same character, "
                                  "inside a repeat")
        first = last = _NONE
        for shape in shapes:
            first, last = first | shape.first, last | shape.last
        highs = [s.high for s in shapes]
        return _Shape(any(s.nullable for s in shapes), min(s.low for s in shapes),
                      None if None in highs else max(highs), first, last)

    def repeat(self, low, high, body, atomic: bool = False) -> _Shape:
        many = high is _MAX or high > 1
        if many:
            self.repeat_depth += 1
        try:
            shape = self.sequence(body)
        finally:
            if many:
                self.repeat_depth -= 1
        if (many and not atomic and shape.low != shape.high
                and shape.last.overlaps(shape.first)):
            self.note("a repeated group whose iterations can split a run of characters "
                      "in many ways (a quantifier over a variable-length part that can end "
                      "with a character it starts with)")
        top = None if high is _MAX or shape.high is None else shape.high * high
        return _Shape(low == 0 or shape.nullable, shape.low * low, top, shape.first,
                      shape.last)

    def polynomial(self, items, shapes) -> None:
        chain = 0
        previous = None
        for (op, av), shape in zip(items, shapes, strict=True):
            unbounded = op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[1] is _MAX
            if unbounded:
                if previous is not None and previous.overlaps(shape.first):
                    chain += 1
                else:
                    chain = 1
                previous = shape.last
                if chain >= 3:
                    self.note("three or more unbounded repeats in a row over the same "
                              "characters")
                    return
            elif not shape.nullable:
                chain, previous = 0, None

    def note(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)


@lru_cache(maxsize=1024)
def backtracking_risk(regex: str) -> str | None:
    """Why ``re`` may backtrack exponentially (or polynomially, cubic and worse) on
    ``regex``, or None when its structure allows neither (or it does not compile)."""
    try:
        parsed = _p.parse(regex)
    except Exception:  # noqa: BLE001 - an invalid regex is reported where it is compiled
        return None
    checker = _Checker(bool(parsed.state.flags & _IGNORECASE))
    checker.sequence(list(parsed))
    return "; ".join(checker.reasons) or None


def linear_test(content: str, search: bool = False,
                prefix: bool = False) -> Callable[[str], bool] | None:
    """A test, in time linear in the target, of whether ``content`` matches it: as
    ``re.fullmatch`` does (and so ``re.match`` for a Werkzeug part's regex, which ends in
    ``\\Z``); with ``prefix`` as ``re.match`` does, on a prefix of the target (a Starlette
    path regex, whose ``$`` also takes a final newline); with ``search`` whether
    ``re.search`` finds a match anywhere (a Django ``re_path``). An
    automaton simulation; None when the regex has features an automaton cannot model
    (backreferences...), or cannot be wrapped for a search: then re alone it is.

    A matcher runs the test before ``re`` for a regex :func:`backtracking_risk` flags:
    re backtracks for ages only when there is no match, and then the test says so first.
    The automata are imported only here, so that ``routecli match`` starts as lean as ever
    on tables without such regexes."""
    from routecli.automata import Undecidable, compile_regex
    from routecli.automata.automaton import membership_test
    from routecli.automata.limits import unbudgeted

    if search:
        content = f"(?s:.*)(?:{content})(?s:.*)"
    elif prefix:
        content = f"(?:{content})(?s:.*)"
    try:
        with unbudgeted():  # a matcher inside an analysis (a witness checked) guards all the same
            automaton = compile_regex(content)
    except (Undecidable, RecursionError, re.error):
        return None
    return membership_test(automaton)


class GuardedPattern:
    """A compiled regex that ``re`` could backtrack on for ages, with a linear-time test
    run before each ``match`` or ``fullmatch`` (re backtracks long only when there is no
    match, and then the test says so first). Stands in for the ``re.Pattern``."""

    __slots__ = ("regex", "source", "pattern", "groupindex", "_tests")

    def __init__(self, regex: re.Pattern, source: str) -> None:
        self.regex = regex
        self.source = source  # the pattern, case folding made inline
        self.pattern = regex.pattern
        self.groupindex = regex.groupindex
        self._tests: dict[bool, Callable[[str], bool] | None] = {}

    def _passes(self, text: str, prefix: bool) -> bool:
        if prefix not in self._tests:
            self._tests[prefix] = linear_test(self.source, prefix=prefix)
        test = self._tests[prefix]
        return test is None or test(text)

    def match(self, text: str, pos: int = 0):
        # ``pos`` as re's (a Starlette item compiled whole passes 0: the test reads the
        # text from ``pos`` on, where re could still look behind it)
        return (self.regex.match(text, pos) if self._passes(text[pos:] if pos else text, True)
                else None)

    def fullmatch(self, text: str):
        return self.regex.fullmatch(text) if self._passes(text, False) else None


def guarded(regex: re.Pattern, what: str = "a convertor regex"):
    """``regex`` itself, or a :class:`GuardedPattern` when its structure lets re backtrack
    exponentially and an automaton can model it (a :class:`BudgetedPattern` when none can:
    ``what`` names it in the message)."""
    if not backtracking_risk(regex.pattern):
        return regex
    source = f"(?i:{regex.pattern})" if regex.flags & re.IGNORECASE else regex.pattern
    if linear_test(source, prefix=True) is None:
        return BudgetedPattern(regex, what)  # beyond the automata (RL120 says so)
    return GuardedPattern(regex, source)


BUDGET = 5.0  # seconds one risky regex beyond the automata may take on one target
AFTER_EXPIRY = 0.1  # and on every later target, once it has used up a budget


class BudgetedPattern:
    """A compiled regex that re could backtrack on for ages and no automaton can model
    (a backreference, a lookaround): ``re`` runs it, but for at most :data:`BUDGET`
    seconds (re checks for signals while it backtracks); past that, a RouteError says
    the framework would hang on this request too. A regex that has used up its budget
    once gets :data:`AFTER_EXPIRY` from then on, so that a log of such requests costs
    time linear in its length (an answer is never wrong, at worst refused). Without a
    timer to use (not the main thread, another timer running, no SIGALRM) it runs as
    the framework runs it."""

    __slots__ = ("regex", "what", "pattern", "groupindex", "flags", "budget")

    def __init__(self, regex: re.Pattern, what: str) -> None:
        self.regex = regex
        self.what = what
        self.pattern = regex.pattern
        self.groupindex = regex.groupindex
        self.flags = regex.flags
        self.budget: float | None = None  # None: BUDGET (read late, tests shorten it)

    def match(self, text: str, pos: int = 0):
        return self._within(self.regex.match, text, pos)

    def fullmatch(self, text: str):
        return self._within(self.regex.fullmatch, text)

    def search(self, text: str):
        return self._within(self.regex.search, text)

    def _within(self, method: Callable, text: str, pos: int = 0):
        import signal
        import threading

        if (not hasattr(signal, "setitimer") or threading.current_thread() is not
                threading.main_thread() or signal.getitimer(signal.ITIMER_REAL)[0]
                or signal.getsignal(signal.SIGALRM) is not signal.SIG_DFL):
            return method(text, pos) if pos else method(text)
        budget = BUDGET if self.budget is None else self.budget

        def expired(signum, frame):
            from routecli.errors import RouteError

            self.budget = min(budget, AFTER_EXPIRY)
            raise RouteError(f"{self.what} {self.pattern!r} backtracked for over {budget:g} s "
                             f"on a {len(text):,}-character target, and routecli gave up: "
                             "the framework would hang on this request (RL120)")

        signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, budget)
        try:
            return method(text, pos) if pos else method(text)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
