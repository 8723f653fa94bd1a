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

A generated function answers exactly what ``walk`` (with ``_leaf``) answers for a request
that is not a websocket, with a different protocol:

- the :class:`MatchResult` (200) for a match of a rule that is ``simple`` (nothing to do
  after matching but converting): the arguments are converted once the rule is chosen, as
  Werkzeug does; a converter's exception propagates (the caller then takes the general
  path, which answers it as Flask does);
- ``(rule, values)`` for any other rule: ``values`` the tuple of raw strings, in order;
- :data:`SLASH` where ``walk`` raises ``SlashRequired`` (the caller takes the general path);
- None for no match, after appending to ``misses`` what ``walk``'s ``Search`` would have
  recorded: for each state whose rules matched the path but not the method, either the
  sorted tuple of their methods (the usual case: known when the code is generated), a
  :class:`Miss` (a state with websocket rules) or :data:`WEBSOCKET_MISMATCH`;
  :func:`missed` adds them up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from routecli.routing.result import OK, MatchResult
from routecli.routing.werkzeug import converters
from routecli.routing.werkzeug.matcher import Search, SlashRequired, walk

#: A strict branch rule answers the path with a slash added (``walk`` raises SlashRequired).
SLASH = object()

# A state with more static children than this dispatches through a dict, not an if-chain.
_FANOUT = 8
# States written into one function before children get functions of their own.
_BUDGET = 48
# Nesting of inlined states in one function (Python allows 100 levels of indentation).
_DEPTH = 12


def compile_state(state, host: str, index: int = 0, captured: int = 0) -> Callable:
    """The function searching ``state``'s subtree from segment ``index`` with ``captured``
    values taken on the way, answering on ``host``:
    ``f(segments, count, method, url, misses, v0, ..., v{captured-1})``."""
    unit = _Unit(host)
    params = "".join(f", v{j}" for j in range(captured))
    unit.lines.append(f"def search(segs, n, method, url, misses{params}):")
    unit.state(state, "segs", "n", index, captured, 1, 0)
    unit.lines.append("    return None")
    # The constants are the function's globals: a stand-in replaces itself there.
    namespace = unit.consts
    namespace.update(SLASH=SLASH, MatchResult=MatchResult, HOST=host, OK=OK)
    exec(compile("\n".join(unit.lines) + "\n", "<routecli matcher>", "exec"),  # noqa: S102
         namespace)
    return namespace["search"]


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


#: Calls a subtree answers through the trie walk before its code is generated: compiling
#: costs about a thousand walks, so only the subtrees traffic keeps visiting pay it (lint,
#: diff and a log of scattered requests visit thousands of subtrees once or twice).
COMPILE_AFTER = 16


def _lazy(state, host: str, index: int, captured: int, store: dict, key: Any) -> Callable:
    """A stand-in for ``state``'s function: it walks the trie for the first
    :data:`COMPILE_AFTER` calls, then compiles the function and puts it in ``store[key]``,
    where the calling code looks it up, so later calls go straight to it."""
    calls = 0

    def stand_in(segs, n, method, url, misses, *values):
        nonlocal calls
        calls += 1
        if calls > COMPILE_AFTER:
            compiled = store[key] = compile_state(state, host, index, captured)
            return compiled(segs, n, method, url, misses, *values)
        return interpret(state, host, index, segs, method, url, misses, values)
    return stand_in


#: Recorded in ``misses`` by :func:`interpret`: a websocket rule matched the path.
WEBSOCKET_MISMATCH = object()


def interpret(state, host: str, index: int, segs: list[str], method: str, url: str,
              misses: list, values: tuple) -> Any:
    """What ``state``'s generated function answers (the module's protocol), by the walk."""
    search = Search(method, False)
    search.values = list(values)
    try:
        rule = walk(state, segs, index, search)
    except SlashRequired:
        return SLASH
    if rule is None:
        if search.allowed:
            misses.append(tuple(sorted(search.allowed)))
        if search.ws_mismatch:
            misses.append(WEBSOCKET_MISMATCH)
        return None
    values = search.values
    if not rule.simple or len(rule.variables) != len(values):
        return rule, tuple(values)
    args = dict(zip(rule.variables, values))
    for name, convert in rule.to_python:
        args[name] = convert(args[name])  # raises as the generated code does
    answer = MatchResult(method, url, url, host, OK, rule, args)
    if method == "OPTIONS" and rule.automatic_options:
        answer.automatic_options = True
    return answer


class _Unit:
    """The source of one generated function and the objects it refers to."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.lines: list[str] = []
        self.consts: dict[str, Any] = {}
        self.states = 0
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

    # -- one state ---------------------------------------------------------------------

    def state(self, state, segs: str, n: str, index: int, captured: int, indent: int,
              depth: int) -> None:
        """Code searching ``state`` with ``segs[index]`` next (``walk``'s body)."""
        self.states += 1
        self.emit(indent, f"if {n} == {index}:")
        if not self._leaf(state, captured, indent + 1):
            self.emit(indent + 1, "pass")
        self.emit(indent, "else:")
        inner = indent + 1
        segment = f"{segs}_{index}"
        self.emit(inner, f"{segment} = {segs}[{index}]")
        self._static_children(state, segs, n, index, captured, inner, depth, segment)
        for part, child in state.dynamic:
            self._dynamic(part, child, segs, n, index, captured, inner, depth, segment)
        non_strict = [rule for rule in state.rules if not rule.strict_slashes]
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
                        self.emit(indent, "return SLASH")
                        return True
                    self.emit(indent, f"if method in {self.const('M', rule.methods)}:")
                    self.emit(indent + 1, "return SLASH")
                elif self._accept([rule], captured, indent):
                    return True
                wrote = True
        return wrote

    def _accept(self, rules, captured: int, indent: int) -> bool:
        """Return the first rule taking the method; True when one always does."""
        for rule in rules:
            if rule.websocket:
                continue  # a websocket rule never answers here: the miss notes it
            if rule.methods is None:
                self._answer(rule, captured, indent)
                return True
            self.emit(indent, f"if method in {self.const('M', rule.methods)}:")
            self._answer(rule, captured, indent + 1)
        return False

    def _answer(self, rule, captured: int, indent: int) -> None:
        """Return what a match of ``rule`` answers (see the module's protocol)."""
        name = self.const("R", rule)
        if not rule.simple or len(rule.variables) != captured:
            self.emit(indent, f"return {name}, ({''.join(f'v{j}, ' for j in range(captured))})")
            return
        converting = dict(rule.to_python)
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
        answer = f"MatchResult(method, url, url, HOST, OK, {name}, {{{', '.join(items)}}})"
        if not rule.automatic_options:
            self.emit(indent, f"return {answer}")
            return
        self.emit(indent, f"answer = {answer}")
        self.emit(indent, "if method == 'OPTIONS':")
        self.emit(indent + 1, "answer.automatic_options = True")
        self.emit(indent, "return answer")

    def _miss(self, state, rules, indent: int, non_strict_only: bool) -> None:
        """Record that ``rules`` (all refusing the method) matched the path."""
        if any(rule.websocket for rule in rules):
            miss = self.const("X", Miss(state, non_strict_only))
        else:
            methods: set[str] = set()
            for rule in rules:
                methods.update(rule.methods)
            if not methods:
                return  # rules with no methods at all add nothing: a 404 stays a 404
            miss = self.const("A", tuple(sorted(methods)))
        self.emit(indent, f"misses.append({miss})")

    # -- transitions -------------------------------------------------------------------

    def _static_children(self, state, segs, n, index, captured, indent, depth, segment):
        children = state.static
        if not children:
            return
        primary = segs == "segs"  # below a slash-spanning part everything is inlined
        if primary and len(children) > _FANOUT:
            table: dict[str, Callable] = {}
            for text, child in children.items():
                table[text] = _lazy(child, self.host, index + 1, captured, table, text)
            name = self.const("D", table)
            self.emit(indent, f"f = {name}.get({segment})")
            self.emit(indent, "if f is not None:")
            self._call("f", indent + 1, captured)
            return
        keyword = "if"
        for text, child in children.items():
            self.emit(indent, f"{keyword} {segment} == {text!r}:")
            self._descend(child, segs, n, index + 1, captured, indent + 1, depth)
            keyword = "elif"

    def _dynamic(self, part, child, segs, n, index, captured, indent, depth, segment):
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

    def _descend(self, child, segs, n, index, captured, indent, depth) -> None:
        if segs != "segs" or (self.states < _BUDGET and depth < _DEPTH):
            self.state(child, segs, n, index, captured, indent, depth + 1)
            return
        store = self.consts
        name = f"F{len(store)}"
        store[name] = _lazy(child, self.host, index, captured, store, name)
        self._call(name, indent, captured)

    def _call(self, function: str, indent: int, captured: int) -> None:
        values = "".join(f", v{j}" for j in range(captured))
        self.emit(indent, f"r = {function}(segs, n, method, url, misses{values})")
        self.emit(indent, "if r is not None:")
        self.emit(indent + 1, "return r")
