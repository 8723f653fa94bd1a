"""The matcher's trie as Python code, generated one subtree at a time, for the hot path.

:func:`routecli.routing.werkzeug.matcher.walk` interprets the trie: a loop and a recursive
call per state, attribute look-ups at every step. For the requests most tables see (a plain
path on the default host, not a websocket), the same search written out as nested ``if``
statements runs several times faster: a static child is a string comparison, a dynamic
transition a call of its converter's test, and backtracking is simply falling through to
the next alternative. Captured values are local variables (``v0``, ``v1``...), so a failed
descent leaves nothing to undo.

The code is generated lazily: the root's function is compiled on the first request, and it
inlines its subtree up to a budget; a state with many static children looks the segment up
in a dict of per-child functions. Those start as stand-ins that walk the trie
(:func:`interpret`, same protocol) and compile their subtree once it has been asked
:data:`COMPILE_AFTER` times. Building a table therefore costs nothing here, and a large
table compiles only the parts its traffic keeps visiting.

A generated function answers exactly what ``walk`` (with ``_leaf``) and the table's general
path answer for a request that is not a websocket:

- the final :class:`MatchResult` when a rule matches: built right there for a rule that is
  ``simple`` (nothing to do after matching but converting: the arguments are converted once
  the rule is chosen, as Werkzeug does; a converter's exception propagates, and the caller
  then takes the general path, which answers it as Flask does); for any other rule (or a
  strict branch rule answering with a slash added, where ``walk`` raises ``SlashRequired``)
  the :class:`Answers`' ``found`` / ``slashed`` give it;
- with ``rule_only`` (:class:`Answers`; the table's ``match_index``), the answering rule's
  index instead of that result, when the code would have built it: a match of a simple
  rule. The converters still run where they may refuse a value (an ``int`` of more digits
  than Python converts, a bound, an app's converter), so the rule is the one the full answer names;
  only those that cannot (:attr:`Converter.total`) are skipped. Every other answer is the
  full one;
- None for no match, after appending to ``misses`` what ``walk``'s ``Search`` would have
  recorded: for each state whose rules matched the path but not the method, either the
  sorted tuple of their methods (the usual case: known when the code is generated), a
  :class:`Miss` (a state with websocket rules) or :data:`WEBSOCKET_MISMATCH`;
  :func:`missed` adds them up.

:mod:`.match_function` writes the table's whole ``match`` from these pieces.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

from routecli.routing.result import OK, MatchResult, bare_answer_classes
from routecli.routing.werkzeug import converters
from routecli.routing.werkzeug.matcher import Search, SlashRequired, walk
from routecli.routing.werkzeug.prefixes import (
    NOT_PLAIN,
)

# A state with more static children than this dispatches through a dict, not an if-chain.
_FANOUT = 8
# States written into one function before children get functions of their own.
_BUDGET = 48
# Nesting of inlined states in one function (Python allows 100 levels of indentation).
_DEPTH = 12
#: A table whose trie has at most this many states is written into its ``match`` whole
#: (no functions per subtree, wide states dispatch by a binary search over their children's
#: numbers): a few milliseconds of compiling once, no call per request below the root.
EAGER_STATES = 400
# Indentation an eagerly written table stays within (Python allows 100 levels).
_EAGER_INDENT = 80
#: A leaf's code of at most this many lines is short enough for ``if n == i: <leaf> else:
#: <the rest>`` to keep the jump past it short (see Unit.guard): an answer is 8 lines.
_SHORT_LINES = 16
# Methods a rule takes without being declared with them (Flask adds them).
_AUTOMATIC = frozenset(("HEAD", "OPTIONS"))
# Digits ``int`` converts whatever limit sys.set_int_max_str_digits sets (none is lower).
_INT_DIGITS_SAFE = sys.int_info.str_digits_check_threshold


def count_states(state, limit: int) -> int:
    """The states of ``state``'s subtree, counting stops past ``limit``."""
    count = 0
    stack = [state]
    while stack and count <= limit:
        node = stack.pop()
        count += 1
        stack.extend(node.static.values())
        stack.extend(child for _, child in node.dynamic)
    return count


def written_whole(state) -> bool:
    """Whether ``state``'s subtree is small enough to be written out whole
    (:data:`EAGER_STATES`), not compiled subtree by subtree as traffic asks."""
    return count_states(state, EAGER_STATES) <= EAGER_STATES


class Answers:
    """What generated code needs from its table: the host plain requests are answered on,
    and the general answers for a match the code does not finish itself.

    ``found(method, url, rule, values, misses)`` answers a match of a rule that is not
    ``simple`` (``values``: the raw strings, in order); ``slashed(method, url)`` answers a
    path a strict branch rule redirects (both: the table's general path). ``rule_only``:
    a match of a simple rule answers with the rule's index, not a :class:`MatchResult`
    (see the module's protocol)."""

    __slots__ = ("host", "found", "slashed", "classes", "rule_only")

    def __init__(self, host: str, found: Callable, slashed: Callable,
                 rule_only: bool = False) -> None:
        self.host = host
        self.found = found
        self.slashed = slashed
        self.classes = bare_answer_classes(host)  # 200, 404, 405
        self.rule_only = rule_only


def namespace_of(unit: Unit) -> dict:
    namespace = unit.consts
    ok, not_found, not_allowed = unit.answers.classes
    namespace.update(ANSWER_200=ok, ANSWER_404=not_found, ANSWER_405=not_allowed,
                     FOUND=unit.answers.found, SLASHED=unit.answers.slashed)
    return namespace


def compile_state(state, answers: Answers, index: int = 0, captured: int = 0) -> Callable:
    """The function searching ``state``'s subtree from segment ``index`` with ``captured``
    values taken on the way:
    ``f(segments, count, method, url, misses, v0, ..., v{captured-1})``."""
    unit = Unit(answers)
    params = "".join(f", v{j}" for j in range(captured))
    unit.lines.append(f"def search(segs, n, method, url, misses{params}):")
    unit.exit = "return None"
    unit.state(state, "segs", "n", index, captured, 1, 0)
    unit.lines.append("    return None")
    # The constants are the function's globals: a stand-in replaces itself there.
    namespace = namespace_of(unit)
    exec(compiled_code("\n".join(unit.lines)), namespace)  # noqa: S102
    return namespace["search"]


@functools.lru_cache(maxsize=256)
def compiled_code(source: str):
    """Compiled generated code; tables of one shape (tests, diff's two sides, a table
    loaded again) share it: compiling is most of what generating costs."""
    return compile(source + "\n", "<routecli matcher>", "exec")


class _Rules:
    """Some of a state's rules, where :class:`Miss` takes a state."""

    __slots__ = ("rules",)

    def __init__(self, rules) -> None:
        self.rules = tuple(rules)


class Miss:
    """A state whose rules matched the path but not the request, when what that adds to
    the answer depends on the method (it has websocket rules)."""

    __slots__ = ("state", "non_strict_only")

    def __init__(self, state, non_strict_only: bool) -> None:
        self.state = state
        self.non_strict_only = non_strict_only


def missed(misses: list, method: str) -> tuple[set[str], bool]:
    """(allowed methods, websocket mismatch) of a search from what its generated code
    recorded in ``misses`` (``walk`` gathers the same in ``Search``)."""
    allowed: set[str] = set()
    websocket = False
    for miss in misses:
        if miss.__class__ is tuple:
            allowed.update(miss)
            continue
        if miss is WEBSOCKET_MISMATCH:
            websocket = True
            continue
        for rule in miss.state.rules:
            if miss.non_strict_only and rule.strict_slashes:
                continue
            methods = rule.methods
            if methods is not None and method not in methods:
                allowed.update(methods)
            elif rule.websocket:
                websocket = True
    return allowed, websocket


#: A state with more rules and dynamic edges than this is never written out: the trie walk
#: answers it (as a lazy subtree's first calls do). Its code would grow with each of them
#: (10,000 ``int(max=K)`` variants, 5,000 rules on each of two states, made 5.8 MB of
#: source, 2 s and 300 MB to compile) while a request tries them one by one anyway; REST
#: tables stay far below.
WIDE_STATE = 256


def _walked(state, answers: Answers, index: int, captured: int) -> Callable:
    """``state``'s function (the module's protocol), answered by the walk alone."""
    def walked(segs, n, method, url, misses, *values):
        return interpret(state, answers, index, segs, method, url, misses, values)
    return walked


#: Calls a subtree answers through the trie walk before its code is generated: compiling
#: costs about a thousand walks, so only the subtrees traffic keeps visiting pay it (lint,
#: diff and a log of scattered requests visit thousands of subtrees once or twice).
COMPILE_AFTER = 16


def _lazy(state, answers: Answers, index: int, captured: int, store: dict, key: Any
          ) -> Callable:
    """A stand-in for ``state``'s function: it walks the trie for the first
    :data:`COMPILE_AFTER` calls, then compiles the function and puts it in ``store[key]``,
    where the calling code looks it up, so later calls go straight to it."""
    calls = 0

    def stand_in(segs, n, method, url, misses, *values):
        nonlocal calls
        calls += 1
        if calls > COMPILE_AFTER:
            compiled = store[key] = compile_state(state, answers, index, captured)
            return compiled(segs, n, method, url, misses, *values)
        return interpret(state, answers, index, segs, method, url, misses, values)
    return stand_in


class NotPlain(Exception):
    """Raised by the table's generated ``match`` when the path it searched is not plain
    after all (a query, a fragment or an escape): the general path answers it."""


#: Recorded in ``misses`` by :func:`interpret`: a websocket rule matched the path.
WEBSOCKET_MISMATCH = object()


def interpret(state, answers: Answers, index: int, segs: list[str], method: str, url: str,
              misses: list, values: tuple) -> MatchResult | int | None:
    """What ``state``'s generated function answers (the module's protocol), by the walk."""
    search = Search(method, False)
    search.values = list(values)
    try:
        rule = walk(state, segs, index, search)
    except SlashRequired:
        return answers.slashed(method, url)
    if rule is None:
        if search.allowed:
            misses.append(tuple(sorted(search.allowed)))
        if search.ws_mismatch:
            misses.append(WEBSOCKET_MISMATCH)
        return None
    values = search.values
    if not rule.simple or len(rule.variables) != len(values):
        # Rules passed over for their methods before it count when its converter refuses
        # (a 405, not a 404), as the generated code records them.
        if search.allowed:
            misses.append(tuple(sorted(search.allowed)))
        if search.ws_mismatch:
            misses.append(WEBSOCKET_MISMATCH)
        return answers.found(method, url, rule, tuple(values), misses)
    args = dict(zip(rule.variables, values))
    for name, convert in rule.to_python:
        args[name] = convert(args[name])  # raises as the generated code does
    if answers.rule_only:
        return rule.index
    answer = MatchResult(method, url, url, answers.host, OK, rule, args)
    if method == "OPTIONS" and rule.automatic_options:
        answer.automatic_options = True
    return answer


class Unit:
    """The source of one generated function and the objects it refers to."""

    def __init__(self, answers: Answers) -> None:
        self.answers = answers
        self.lines: list[str] = []
        self.consts: dict[str, Any] = {}
        self.states = 0
        self.eager = False  # the whole subtree written out (see EAGER_STATES)
        # ``misses`` is None until something is recorded, then a list, or for a first miss
        # known to be on a plain path, its methods alone (see _miss)
        self.lazy_misses = False
        # The table's ``match`` searches a path before knowing it is plain (no "?", "#"
        # or "%"): it checks before answering, unless every segment on the way was a
        # static text or a decimal value, which hold none. ``doubtful``: the segments on
        # the current way that may hold one: a captured value's variable, or None for a
        # static text.
        self.checks_plain = False
        self.doubtful: list[str | None] = []
        self.empty_texts = 0  # "" static texts on the current way (a "//" in the path)
        # A search falling through a static child need not try its siblings (they cannot
        # match), nor anything else when no part or non-strict leaf is left to try on the
        # way (``pending``: how many): ``exit`` (a statement) ends it at once.
        self.exit: str | None = None
        self.pending = 0
        self._names: dict[int, str] = {}

    def const(self, prefix: str, value: Any) -> str:
        name = self._names.get(id(value))
        if name is None or self.consts.get(name) is not value:
            name = f"{prefix}{len(self.consts)}"
            self.consts[name] = value
            self._names[id(value)] = name
        return name

    def emit(self, indent: int, text: str) -> None:
        self.lines.append("    " * indent + text)

    def guard(self, mark: int, indent: int, negated: str) -> None:
        """Make the ``if`` at ``self.lines[mark]`` (its body after it) a guard: ``if
        <negated>: pass`` and the body under ``else:``. CPython 3.11 specialises a
        comparison only when the jump after it is short (no EXTENDED_ARG, a target within
        255 code units): this form's is, however long the body (see _SHORT_LINES)."""
        self.lines[mark:mark + 1] = ["    " * indent + f"if {negated}: pass",
                                     "    " * indent + "else:"]

    def result(self, indent: int, kind: str) -> None:
        """``r = MatchResult(method, url, url, host, status, ...)``, written as stores into
        a bare answer of the table's class for the status (``ANSWER_200``, ``ANSWER_404``,
        ``ANSWER_405``: see :func:`bare_answer_classes`): no ``__init__`` frame on the hot
        path, and no stores of what the class says (the host, the status)."""
        self.emit(indent, f"r = {kind}()")
        self.emit(indent, "r.method = method")
        self.emit(indent, "r.url = r.path = url")

    def found(self, indent: int, rule: str, args: str) -> None:
        """``result`` for a match of ``rule`` with the arguments ``args``."""
        self.result(indent, "ANSWER_200")
        self.emit(indent, f"r.rule = {rule}")
        self.emit(indent, f"r.args = {args}")

    def plain_check(self, indent: int, always: bool = False) -> None:
        """Stop (NotPlain) a search whose path may not be plain (``doubtful``: always, for
        a function that answers from it) before it answers from it."""
        if not self.checks_plain or not (always or self.doubtful):
            return
        condition = NOT_PLAIN
        if not always and None not in self.doubtful:
            # A value of letters and digits holds none: most values, told by one call.
            letters = " and ".join(f"{value}.isalnum()" for value in self.doubtful)
            condition = f"not ({letters}) and ({condition})"
        self.emit(indent, f"if {condition}:")
        self.emit(indent + 1, "raise NOT_PLAIN")

    # -- one state ---------------------------------------------------------------------

    def state(self, state, segs: str, n: str, index: int, captured: int, indent: int,
              depth: int, onward: bool = False) -> None:
        """Code searching ``state`` with ``segs[index]`` next (``walk``'s body);
        ``onward``: the path is known to go on past ``state``, which has no rules (nor a
        branch rule): no code for the path ending there."""
        self.states += 1
        if len(state.rules) + len(state.dynamic) > WIDE_STATE and segs == "segs":
            store = self.consts
            name = f"F{len(store)}"
            store[name] = _walked(state, self.answers, index, captured)
            self._call(name, indent, captured)
            return
        non_strict = [rule for rule in state.rules if not rule.strict_slashes]
        if onward:
            self._children(state, segs, n, index, captured, indent, depth, non_strict)
            return
        mark = len(self.lines)
        self.emit(indent, f"if {n} == {index}:")
        leaf = self._leaf(state, captured, indent + 1)
        if not (state.static or state.dynamic or non_strict):
            if not leaf:  # nothing to find here
                del self.lines[mark:]
                self.emit(indent, "pass")
            else:
                self.guard(mark, indent, f"{n} != {index}")
            return
        if leaf and len(self.lines) - mark > _SHORT_LINES:
            # The leaf's code is long: its test and the rest's, each a guard.
            self.guard(mark, indent, f"{n} != {index}")
            self.emit(indent, f"if {n} == {index}: pass")
            self.emit(indent, "else:")
        elif leaf:
            self.emit(indent, "else:")
        else:
            del self.lines[mark:]
            self.emit(indent, f"if {n} <= {index}: pass")
            self.emit(indent, "else:")
        self._children(state, segs, n, index, captured, indent + 1, depth, non_strict)

    def _children(self, state, segs, n, index, captured, inner, depth, non_strict) -> None:
        """``state``'s code for a path going on past it (``segs[index]`` is there)."""
        segment = f"{segs}_{index}"
        self.emit(inner, f"{segment} = {segs}[{index}]")
        self._static_children(state, segs, n, index, captured, inner, depth, segment,
                              bool(non_strict))
        for position, (part, child) in enumerate(state.dynamic):
            # What the search tries here after this part (see exit)
            later = position + 1 < len(state.dynamic) or bool(non_strict)
            self.pending += later
            try:
                self._dynamic(part, child, segs, n, index, captured, inner, depth, segment)
            finally:
                self.pending -= later
        if non_strict:
            # "/bar/" requested: a non-strict leaf "/bar" answers it.
            self.emit(inner, f"if {n} == {index + 1} and {segment} == '':")
            if not self._accept(non_strict, captured, inner + 1):
                self._miss(state, non_strict, inner + 1, non_strict_only=True)

    def _leaf(self, state, captured: int, indent: int) -> bool:
        """``walk`` with every segment consumed (``_leaf``); False when it writes nothing."""
        wrote = False
        if state.rules:
            if self._accept(state.rules, captured, indent):
                return True
            self._miss(state, state.rules, indent, non_strict_only=False)
            wrote = True
        branch = state.static.get("")
        if branch is not None:
            # A branch rule ("/foo/") seen without its slash: a redirect if strict.
            for rule in branch.rules:
                if rule.websocket:
                    continue
                if rule.strict_slashes:
                    if rule.methods is None:
                        self.plain_check(indent)
                        self.emit(indent, "return SLASHED(method, url)")
                        return True
                    self.emit(indent, f"if method in {self.const('M', rule.methods)}:")
                    self.plain_check(indent + 1)
                    self.emit(indent + 1, "return SLASHED(method, url)")
                elif self._accept([rule], captured, indent):
                    return True
                wrote = True
        return wrote

    def _accept(self, rules, captured: int, indent: int) -> bool:
        """Return the first rule taking the method; True when one always does."""
        for position, rule in enumerate(rules):
            if rule.websocket:
                continue  # a websocket rule never answers here: the miss notes it
            if rule.methods is None:
                self._answer(rule, captured, indent, rules[:position])
                return True
            self.emit(indent, f"if {self._takes(rule.methods)}:")
            self._answer(rule, captured, indent + 1, rules[:position])
        return False

    def _takes(self, methods) -> str:
        """The test of a request's method against a rule's ``methods``: the one the rule
        is most likely asked with (GET, or its only method besides HEAD and OPTIONS)
        compared first, a test of the set otherwise. A comparison costs less than the
        set's look-up, which CPython does not specialise."""
        test = f"method in {self.const('M', methods)}"
        declared = methods - _AUTOMATIC
        likely = "GET" if "GET" in declared else (
            next(iter(declared)) if len(declared) == 1 else None)
        return test if likely is None else f"method == {likely!r} or {test}"

    def _answer(self, rule, captured: int, indent: int, passed=()) -> None:
        """Return what a match of ``rule`` answers (see the module's protocol); ``passed``:
        the rules before it here, which did not take the request."""
        name = self.const("R", rule)
        if not rule.simple or len(rule.variables) != captured:
            self.plain_check(indent)
            values = "".join(f"v{j}, " for j in range(captured))
            misses = "LISTED(misses)" if self.lazy_misses else "misses"
            if passed:
                # ``walk`` records their methods before it takes this rule: a 405 if its
                # converter then refuses.
                misses = f"({misses}) + [{self._passed_miss(passed)}]"
            self.emit(indent, f"return FOUND(method, url, {name}, ({values}), {misses})")
            return
        converting = dict(rule.to_python)
        if self.answers.rule_only:
            self.plain_check(indent)
            self._checks(rule, converting, indent)
            self.emit(indent, f"return {rule.index}")
            return
        items = []
        for position, variable in enumerate(rule.variables):
            value = f"v{position}"
            convert = converting.get(variable)
            if convert is converters.plain_int:
                # Its ValueError (4,300 digits and more) sends the caller the general way.
                value = f"int({value})"
            elif convert is not None:
                value = f"{self.const('C', convert)}({value})"
            items.append(f"{variable!r}: {value}")
        self.plain_check(indent)
        self.found(indent, name, f"{{{', '.join(items)}}}")
        if rule.automatic_options:
            self.emit(indent, "if method == 'OPTIONS':")
            self.emit(indent + 1, "r.automatic_options = True")
        self.emit(indent, "return r")

    def _checks(self, rule, converting: dict, indent: int) -> None:
        """For ``rule_only``: run, in order, the converters of a matched simple rule that
        may refuse its values (their values are not kept), as the dict of the full answer
        would. A total converter cannot; nor can ``int`` on a value of at most
        ``str_digits_check_threshold`` characters (640: no integer string limit Python
        allows is lower), so only a longer one is converted."""
        for position, variable in enumerate(rule.variables):
            convert = converting.get(variable)
            if convert is None or converters.is_total(convert):
                continue
            if convert is converters.plain_int:
                self.emit(indent, f"if len(v{position}) > {_INT_DIGITS_SAFE}: int(v{position})")
            else:
                self.emit(indent, f"{self.const('C', convert)}(v{position})")

    def _passed_miss(self, rules) -> str:
        """What ``walk`` records for ``rules`` passed over (see ``missed``)."""
        if any(rule.websocket for rule in rules):
            return self.const("X", Miss(_Rules(rules), False))
        methods: set[str] = set()
        for rule in rules:
            methods.update(rule.methods)
        return self.const("A", tuple(sorted(methods)))

    def _miss(self, state, rules, indent: int, non_strict_only: bool) -> None:
        """Record that ``rules`` (all refusing the method) matched the path."""
        websocket = any(rule.websocket for rule in rules)
        if websocket:
            miss = self.const("X", Miss(state, non_strict_only))
        else:
            methods: set[str] = set()
            for rule in rules:
                methods.update(rule.methods)
            if not methods:
                return  # rules with no methods at all add nothing: a 404 stays a 404
            miss = self.const("A", tuple(sorted(methods)))
        if self.lazy_misses:
            # The first miss is kept as its methods alone where the path is then known to be
            # plain (only static texts, none empty, decimal values and values of letters
            # and digits on the way): the 405 needs no list and no scan of the path. Any
            # other is a list.
            first = f"[{miss}]"
            if not (websocket or self.empty_texts or None in self.doubtful):
                letters = " and ".join(f"{value}.isalnum()" for value in self.doubtful)
                first = f"{miss} if {letters} else {first}" if letters else miss
            self.emit(indent, f"if misses is None: misses = {first}")
            self.emit(indent, f"elif misses.__class__ is tuple: misses = [misses, {miss}]")
            self.emit(indent, f"else: misses.append({miss})")
        else:
            self.emit(indent, f"misses.append({miss})")

    # -- transitions -------------------------------------------------------------------

    def _static_children(self, state, segs, n, index, captured, indent, depth, segment,
                         non_strict: bool):
        children = state.static
        if not children:
            return
        primary = segs == "segs"  # below a slash-spanning part everything is inlined
        if self.eager and len(children) > _FANOUT and indent < _EAGER_INDENT:
            # A binary search over the children's numbers: a few comparisons, no call.
            items = list(children.items())
            numbers = self.const("K", {text: number for number, (text, _) in enumerate(items)})
            # Another text is numbered past the last child: it runs the tree's right edge
            # to its last leaf (a right half has no guard of its own, see _number_tree).
            self.emit(indent, f"k = {numbers}.get({segment}, {len(items)})")
            self._number_tree(items, 0, len(items), state, segs, n, index, captured, indent,
                              depth, non_strict)
            return
        if primary and len(children) > _FANOUT:
            table: dict[str, Callable] = {}
            for text, child in children.items():
                table[text] = _lazy(child, self.answers, index + 1, captured, table, text)
            name = self.const("D", table)
            self.emit(indent, f"f = {name}.get({segment})")
            self.emit(indent, "if f is not None:")
            self._call("f", indent + 1, captured)
            return
        keyword = "if"
        for text, child in children.items():
            mark = len(self.lines)
            self.emit(indent, f"{keyword} {segment} == {text!r}:")
            self._static_child(state, text, child, segs, n, index + 1, captured, indent + 1,
                               depth, non_strict)
            keyword = "elif"
            if len(self.lines) - mark > _SHORT_LINES:
                # A long child: a guard (see guard). The segment equals one text at most,
                # so the siblings after it can take the if-statements of their own.
                self.guard(mark, indent, f"{segment} != {text!r}")
                keyword = "if"

    def _number_tree(self, items, low, high, state, segs, n, index, captured, indent, depth,
                     non_strict: bool):
        """Code descending into ``items[k]`` for ``low <= k < high`` (nothing for others).
        Guards (see guard), not if/elif/else: the jump past a long first half (every
        child's code but the smallest) would be long. The second half is not guarded:
        its leaves test ``k`` (the first half's children end the search when nothing
        else is left to try, so they seldom fall into it), which saves a comparison on
        every way to the right."""
        if high - low <= 3:
            for number in range(low, high):
                self.emit(indent, f"if k != {number}: pass")
                self.emit(indent, "else:")
                text, child = items[number]
                self._static_child(state, text, child, segs, n, index + 1, captured,
                                   indent + 1, depth, non_strict)
            return
        middle = (low + high) // 2
        self.emit(indent, f"if k >= {middle}: pass")
        self.emit(indent, "else:")
        self._number_tree(items, low, middle, state, segs, n, index, captured, indent + 1,
                          depth, non_strict)
        self._number_tree(items, middle, high, state, segs, n, index, captured, indent,
                          depth, non_strict)

    def _static_child(self, state, text, child, segs, n, index, captured, indent, depth,
                      non_strict: bool) -> None:
        """``_descend_static`` into a static child of ``state``, and the search's end
        (see exit) after it when what follows cannot match: the other static texts, and
        ``state``'s dynamic parts and non-strict leaf when it has none (or, for the
        latter, when the text is not empty)."""
        later = bool(state.dynamic) or (non_strict and not text)
        self.pending += later
        try:
            self._descend_static(text, child, segs, n, index, captured, indent, depth)
        finally:
            self.pending -= later
        if not (later or self.pending) and self.exit:
            self.emit(indent, self.exit)

    def _dynamic(self, part, child, segs, n, index, captured, indent, depth, segment):
        # Only a decimal value is known to hold no "?", "#" or "%" (see plain_check).
        mark = len(self.doubtful)
        if part.quick is not str.isdecimal:
            taken = 1 if part.quick is not None else len(part.groups)
            self.doubtful.extend(f"v{captured + j}" for j in range(taken))
        try:
            self._dynamic_part(part, child, segs, n, index, captured, indent, depth, segment)
        finally:
            del self.doubtful[mark:]

    def _dynamic_part(self, part, child, segs, n, index, captured, indent, depth, segment):
        if part.quick is not None:
            self.emit(indent, f"if {self._test(part.quick, segment)}:")
            self.emit(indent + 1, f"v{captured} = {segment}")
            self._descend(child, segs, n, index + 1, captured + 1, indent + 1, depth)
            return
        taken = "".join(f"v{captured + j}, " for j in range(len(part.groups)))
        if not part.final:
            self.emit(indent, f"m = {self.const('P', part.match)}({segment})")
            self.emit(indent, "if m is not None:")
            self.emit(indent + 1, f"{taken} = m")
            self._descend(child, segs, n, index + 1, captured + len(part.groups), indent + 1,
                          depth)
            return
        # A slash-spanning part takes the rest of the path; what it leaves ([] or [""]) is
        # searched below it.
        rest = f"r{len(self.consts)}"
        self.emit(indent, f"m = {self.const('P', part.match_rest)}({segs}, {index})")
        self.emit(indent, "if m is not None:")
        self.emit(indent + 1, f"{taken} = m[0]")
        self.emit(indent + 1, f"{rest} = m[1]")
        self.emit(indent + 1, f"{rest}n = len({rest})")
        self.state(child, rest, f"{rest}n", 0, captured + len(part.groups), indent + 1,
                   depth + 1)

    def _test(self, quick, segment: str) -> str:
        """The condition of a quick segment test, written out for the common converters."""
        if quick is bool:  # a non-empty segment
            return segment
        if quick is str.isdecimal:
            return f"{segment}.isdecimal()"
        return f"{self.const('Q', quick)}({segment})"

    def _descend_static(self, text, child, segs, n, index, captured, indent, depth) -> None:
        """``_descend`` past a static segment ``text`` (doubtful if it holds "?#%")."""
        doubtful = any(c in text for c in "?#%")
        if doubtful:
            self.doubtful.append(None)
        empty = not text
        self.empty_texts += empty
        try:
            self._descend(child, segs, n, index, captured, indent, depth)
        finally:
            self.empty_texts -= empty
            if doubtful:
                self.doubtful.pop()

    def _descend(self, child, segs, n, index, captured, indent, depth) -> None:
        if segs != "segs" or (self.eager and indent < _EAGER_INDENT) or (
                self.states < _BUDGET and depth < _DEPTH):
            self.state(child, segs, n, index, captured, indent, depth + 1)
            return
        store = self.consts
        name = f"F{len(store)}"
        store[name] = _lazy(child, self.answers, index, captured, store, name)
        self._call(name, indent, captured)

    def _call(self, function: str, indent: int, captured: int) -> None:
        values = "".join(f", v{j}" for j in range(captured))
        self.plain_check(indent, always=True)  # the function answers from the path
        if self.lazy_misses:  # the function records into the caller's list
            self.emit(indent, "if misses is None: misses = []")
            self.emit(indent, "elif misses.__class__ is tuple: misses = [misses]")
        self.emit(indent, f"r = {function}(segs, n, method, url, misses{values})")
        self.emit(indent, "if r is not None:")
        self.emit(indent + 1, "return r")
