"""The compiled routing structure and its search.

Rules are stored in a trie of parts that mirrors Werkzeug's state machine:
each state has a dict of static children, an ordered list of dynamic
transitions (sorted by part weight, ties in creation order) and the rules
that end there. :meth:`Matcher.search` walks it depth-first with
backtracking and reports the raw outcome; turning that into an HTTP answer
(conversion, redirects) is :mod:`routecli.routing.werkzeug.table`'s job.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from routecli.routing.urls import merge_slashes
from routecli.routing.werkzeug.compiler import CompiledRule, Part

# Most states are leaves: they share these empty containers until :func:`insert` gives a
# state its own (the only place that adds to a state; never add to these).
_NO_STATIC: dict = {}
_NO_DYNAMIC: list = []
_NO_RULES: list = []
# From this many dynamic transitions on, a state finds them by key (State.keyed).
_KEYED_MIN = 16
# From this many rules on, a state's rules find the first taking a method by index.
_WIDE_RULES = 32


class WideRules(tuple):
    """The rules of a state with many (one path, a rule per method): the first that
    takes a method is found by index, not by trying each, and a method no rule takes
    is answered with every method declared at once (``_leaf`` tries them in turn
    otherwise: 10,000 rules, 10,000 steps a request)."""

    def __reduce__(self):
        return (WideRules, (tuple(self),))

    def _index(self) -> tuple[dict, frozenset, dict]:
        index = self.__dict__.get("index")
        if index is None:  # built on the first request: most wide states never get one
            index = self.__dict__["index"] = _method_index(self)
        return index

    def first_taking(self, method: str, websocket: bool):
        """The first rule taking ``method`` for this kind of request; else None, and
        whether some rule takes it (for the other kind: the rules must be tried)."""
        first, declared, every = self._index()
        found = [at for at in (every.get(websocket), first.get((method, websocket)))
                 if at is not None]
        if found:
            return self[min(found)], True
        return None, bool(every) or any((method, kind) in first for kind in (False, True))

    @property
    def declared(self) -> frozenset:
        """Every method a rule here declares."""
        return self._index()[1]


def first_rule_taking(rules, method: str, websocket: bool):
    """The first of a state's ``rules`` taking ``method`` for this kind of request (a
    websocket one or not), None if none does."""
    if rules.__class__ is WideRules:
        return rules.first_taking(method, websocket)[0]
    for rule in rules:
        methods = rule.methods
        if (methods is None or method in methods) and rule.websocket == websocket:
            return rule
    return None


def _method_index(rules) -> tuple[dict, frozenset, dict]:
    """({(method, websocket): position of the first rule declaring it}, every method
    declared, {websocket: position of the first rule taking every method})."""
    first: dict = {}
    every: dict = {}
    declared: set = set()
    for at, rule in enumerate(rules):
        if rule.methods is None:
            every.setdefault(rule.websocket, at)
            continue
        declared.update(rule.methods)
        for method in rule.methods:
            first.setdefault((method, rule.websocket), at)
    return first, frozenset(declared), every


class State:
    """A node of the trie."""

    __slots__ = ("static", "dynamic", "rules", "branching", "single", "keyed")

    def __init__(self) -> None:
        self.static: dict[str, State] = _NO_STATIC
        self.dynamic: list[tuple[Part, State]] = _NO_DYNAMIC
        self.rules: list[CompiledRule] = _NO_RULES
        # False when a failed static descent from here can only mean "no match":
        # no dynamic transitions and no non-strict rule to answer a trailing slash.
        self.branching = False
        # The lone dynamic transition (part, child) when it is the only alternative to
        # a static child: then a failed descent through it can only mean "no match".
        self.single: tuple[Part, State] | None = None
        # key -> child of the dynamic transitions, once there are many of them (routes
        # differing only in a converter argument, `string(length=K)`): finding a key's
        # transition stays one lookup instead of a scan, so building stays linear.
        self.keyed: dict | None = None


class _FrozenState:
    """A state of a built trie, lighter than :class:`State` (README.md#performance): a
    class per shape keeps in slots only the fields its states use; the others are class
    attributes at their empty values. Read like a State, never changed."""

    __slots__ = ()
    static: dict[str, State] = _NO_STATIC
    dynamic: tuple = ()
    rules: tuple = ()
    branching = False
    single: tuple | None = None
    keyed = None


class Leaf(_FrozenState):
    """Rules only, all strict (most rules end in one)."""

    __slots__ = ("rules",)


class Passage(_FrozenState):
    """Dynamic transitions only (several, or a slash-spanning one)."""

    __slots__ = ("dynamic", "single")
    branching = True


class Step(_FrozenState):
    """One dynamic transition and nothing else, which the walk takes as the state's
    ``single`` (most variable segments of a table): the transitions tuple is made when
    asked (the analysis, the code generator), not kept."""

    __slots__ = ("single",)
    branching = True

    @property
    def dynamic(self) -> tuple:
        return (self.single,)


class Fork(_FrozenState):
    """Static children only (a lone one in a :class:`OneChild`)."""

    __slots__ = ("static",)


class OneChild(Mapping):
    """The static children of a state that has one: a read-only mapping of one text,
    a quarter of a one-entry dict (README.md#performance). Found by ``get`` and ``in``
    without a KeyError, like a dict."""

    __slots__ = ("text", "child")

    def __init__(self, text: str, child) -> None:
        self.text = text
        self.child = child

    def __getitem__(self, text: str):
        if text == self.text:
            return self.child
        raise KeyError(text)

    def get(self, text: str, default=None):
        return self.child if text == self.text else default

    def __contains__(self, text: object) -> bool:
        return text == self.text

    def __iter__(self) -> Iterator[str]:
        return iter((self.text,))

    def __len__(self) -> int:
        return 1

    # A dict's views can be reversed (the trie walks read children last to first): these
    # are tuples; keys() stays a KeysView for set operations.
    def __reversed__(self) -> Iterator[str]:
        return iter((self.text,))

    def values(self) -> tuple:  # type: ignore[override]
        return (self.child,)

    def items(self) -> tuple:  # type: ignore[override]
        return ((self.text, self.child),)

    def __repr__(self) -> str:
        return f"OneChild({self.text!r}: {self.child!r})"


def _frozen(state: State):
    """``state`` (sorted, with frozen children) as the lightest class of its shape."""
    if state.static:
        if state.dynamic or state.rules:
            return state
        frozen = Fork()
        if len(state.static) == 1:
            [(text, child)] = state.static.items()
            frozen.static = OneChild(text, child)
        else:
            frozen.static = state.static
        return frozen
    if state.dynamic:
        if state.rules:
            return state
        if state.single is not None:
            frozen = Step()
        else:
            frozen = Passage()
            frozen.dynamic = state.dynamic
        frozen.single = state.single
        return frozen
    if state.branching or not state.rules:  # a non-strict rule (or the empty root)
        return state
    frozen = Leaf()
    frozen.rules = state.rules
    return frozen


def insert(root: State, rule) -> State:
    """Put ``rule`` in the trie below ``root`` as Werkzeug does (a static child per text,
    one dynamic transition per converter key, created by the first part with that key);
    returns the state that holds it. The analysis builds its tries with this too."""
    state = root
    for part in rule.parts:
        if part.static:
            child = state.static.get(part.content)
            if child is None:
                if state.static is _NO_STATIC:
                    state.static = {}
                child = state.static[part.content] = State()
            state = child
        else:
            key = part.key
            keyed = state.keyed
            if keyed is None and len(state.dynamic) >= _KEYED_MIN:
                keyed = state.keyed = {}
                for existing, child in state.dynamic:
                    keyed.setdefault(existing.key, child)
            if keyed is not None:
                child = keyed.get(key)
            else:
                child = next((child for existing, child in state.dynamic
                              if existing is part or existing.key == key), None)
            if child is None:
                child = State()
                if state.dynamic is _NO_DYNAMIC:
                    state.dynamic = []
                state.dynamic.append((part, child))
                if keyed is not None:
                    keyed[key] = child
            state = child
    if state.rules is _NO_RULES:
        state.rules = []
    state.rules.append(rule)
    return state


def prioritise(root: State) -> None:
    """Order every state's dynamic transitions below ``root`` as Werkzeug tries them."""
    stack = [root]
    while stack:
        node = stack.pop()
        _prioritise(node)
        stack.extend(node.static.values())
        stack.extend(child for _, child in node.dynamic)


def _prioritise(state: State) -> None:
    # Werkzeug sorts every dynamic list by weight; the sort is stable, so equal weights
    # keep the order in which the transitions were created (werkzeug#3156's ties).
    state.dynamic.sort(key=lambda entry: entry[0].weight)


class SlashRequired(Exception):
    """A strict branch rule answers this path with a trailing slash added."""

    def __init__(self, rule: CompiledRule) -> None:
        super().__init__()
        self.rule = rule


class Matcher:
    """The trie of all matchable rules, built once, searched many times."""

    def __init__(self, rules: Iterable[CompiledRule], merge_slashes: bool) -> None:
        self.root = State()
        self.merge_slashes = merge_slashes
        # domain → {path → state}: states reached through static parts only, with rules.
        self.static_paths: dict[str, dict[str, State]] = {}
        for rule in rules:
            if not rule.build_only:
                self._add(rule)
        self.root = self._sort(self.root)

    def _add(self, rule: CompiledRule) -> None:
        state = insert(self.root, rule)
        if rule.static_path is not None:
            self.static_paths.setdefault(rule.parts[0].content, {})[rule.static_path] = state

    def _sort(self, state: State) -> State:
        """Order the trie below ``state`` and freeze it: the built trie never changes, so
        each state becomes the lightest class of its shape (see :func:`_frozen`). Returns
        the frozen ``state``; the static paths are pointed at the frozen states."""
        frozen: dict[int, State] = {}  # id(built state) -> its frozen form
        stack: list = [(state, False)]
        while stack:
            node, visited = stack.pop()
            if not visited:
                stack.append((node, True))
                stack.extend((child, False) for child in node.static.values())
                stack.extend((child, False) for _, child in node.dynamic)
                continue
            # Children first: they are frozen already.
            _prioritise(node)
            if node.static:
                node.static = {text: frozen[id(child)] for text, child in node.static.items()}
            # Built for good: exact-size tuples rather than lists grown by appends.
            if node.dynamic:
                node.dynamic = tuple((part, frozen[id(child)]) for part, child in node.dynamic)
            if node.rules:
                node.rules = (WideRules if len(node.rules) >= _WIDE_RULES else tuple)(
                    node.rules)
            nonstrict = any(not r.strict_slashes for r in node.rules)
            node.branching = bool(node.dynamic) or nonstrict
            node.single = (node.dynamic[0] if len(node.dynamic) == 1 and not nonstrict
                           and not node.dynamic[0][0].final else None)
            node.keyed = None
            frozen[id(node)] = _frozen(node)
        for paths in self.static_paths.values():
            for path, node in paths.items():
                paths[path] = frozen[id(node)]
        return frozen[id(state)]

    def search(self, domain: str, path: str, method: str, websocket: bool = False) -> Search:
        """Find the rule Werkzeug would choose for an already-decoded path.

        The returned :class:`Search` says what happened: ``kind`` is "match"
        (``rule``, raw ``values``), "slash" or "merge_slashes" (a redirect to
        ``path``, caused by ``rule``), or "none" (``allowed`` holds the methods
        of rules that matched the path only, for a 405; ``ws_mismatch``).
        """
        search = Search(method, websocket)
        try:
            start = self.root.static.get(domain)
            if start is not None and not self.root.dynamic:
                # The usual case: a static (or default) domain; skip one list build.
                rule = walk(start, path.split("/"), 0, search)
            else:
                rule = walk(self.root, [domain, *path.split("/")], 0, search)
        except SlashRequired as slash:
            return search.finish("slash", slash.rule, path + "/")
        if rule is not None:
            search.rule = rule
            return search
        if self.merge_slashes and "//" in path:
            merged = merge_slashes(path)
            search.values = []
            try:
                rule = walk(self.root, [domain, *merged.split("/")], 0, search)
            except SlashRequired as slash:
                return search.finish("merge_slashes", slash.rule, merged + "/")
            if rule is not None and rule.merge_slashes:
                return search.finish("merge_slashes", rule, merged)
        return search.finish("none", None, None)


class Search:
    """One search: the request, the evidence gathered, and the outcome."""

    __slots__ = ("method", "websocket", "values", "allowed", "ws_mismatch", "kind", "rule",
                 "path")

    def __init__(self, method: str, websocket: bool) -> None:
        self.method = method
        self.websocket = websocket
        self.values: list[str] = []
        self.allowed: set[str] = set()  # methods of rules that matched the path only
        self.ws_mismatch = False
        self.kind = "match"
        self.rule: CompiledRule | None = None
        self.path: str | None = None

    def finish(self, kind: str, rule: CompiledRule | None, path: str | None) -> Search:
        self.kind = kind
        self.rule = rule
        self.path = path
        return self


def _leaf(state: State, search: Search) -> CompiledRule | None:
    """All segments consumed: a rule here that takes the method, or a branch redirect."""
    method = search.method
    websocket = search.websocket
    rules = state.rules
    if rules.__class__ is WideRules:
        rule, taken = rules.first_taking(method, websocket)
        if rule is not None:
            return rule
        if not taken:  # every rule declares methods, none this one: as the loop below
            search.allowed.update(rules.declared)
            rules = ()
    for rule in rules:
        methods = rule.methods
        if methods is not None and method not in methods:
            search.allowed.update(methods)
        elif rule.websocket != websocket:
            search.ws_mismatch = True
        else:
            return rule
    branch = state.static.get("")
    if branch is not None:
        # A branch rule ("/foo/") seen without its slash: redirect if strict.
        for rule in branch.rules:
            if rule.websocket == websocket and (rule.methods is None or method in rule.methods):
                if rule.strict_slashes:
                    raise SlashRequired(rule)
                return rule
    return None


def walk(state: State, segments: list[str], index: int, search: Search) -> CompiledRule | None:
    """Werkzeug's depth-first search with backtracking, from ``state`` at ``index``."""
    count = len(segments)
    # Descend without recursion while nothing could be backtracked to: through static
    # children, and through a lone dynamic transition when no static child competes.
    while index < count:
        if not state.branching:
            state = state.static.get(segments[index])
            if state is None:
                return None
            index += 1
            continue
        single = state.single
        if single is None:
            break
        segment = segments[index]
        if segment in state.static:
            break
        part, child = single
        quick = part.quick
        if quick is not None:
            if not quick(segment):
                return None
            search.values.append(segment)
        else:
            captured = part.match(segment)
            if captured is None:
                return None
            search.values.extend(captured)
        state = child
        index += 1
    if index == count:
        rules = state.rules
        if rules:
            # The common case, inline: the first rule here takes the method.
            rule = rules[0]
            methods = rule.methods
            if (methods is None or search.method in methods) and (
                    rule.websocket is search.websocket):
                return rule
        return _leaf(state, search)

    segment = segments[index]
    values = search.values
    mark = len(values)
    child = state.static.get(segment)
    if child is not None:
        rule = walk(child, segments, index + 1, search)
        if rule is not None:
            return rule
        del values[mark:]  # a failed descent may have captured values on the way
    if state.dynamic:
        for part, child in state.dynamic:
            quick = part.quick
            if quick is not None:
                if not quick(segment):
                    continue
                values.append(segment)
                rule = walk(child, segments, index + 1, search)
            elif not part.final:
                captured = part.match(segment)
                if captured is None:
                    continue
                values.extend(captured)
                rule = walk(child, segments, index + 1, search)
            else:
                matched = part.match_rest(segments, index)
                if matched is None:
                    continue
                values.extend(matched[0])
                rule = walk(child, matched[1], 0, search)
            if rule is not None:
                return rule
            del values[mark:]

    if index == count - 1 and segment == "":
        # "/bar/" requested: a non-strict leaf "/bar" answers it.
        method = search.method
        for rule in state.rules:
            if rule.strict_slashes:
                continue
            methods = rule.methods
            if methods is not None and method not in methods:
                search.allowed.update(methods)
            elif rule.websocket != search.websocket:
                search.ws_mismatch = True
            else:
                return rule
    return None
