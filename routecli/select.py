"""Selecting and ordering routes for ``routecli list`` (and anyone else)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from fnmatch import fnmatchcase

from routecli.errors import quoted
from routecli.routing.backtracking import backtracking_risk, linear_test
from routecli.routing.dialects import dialect_of
from routecli.routing.serialize import shown_methods
from routecli.routing.werkzeug.compiler import CompiledRule

SORT_KEYS = ("definition", "rule", "endpoint", "methods", "priority")

# fnmatch reads every unclosed "[" of a glob to its end: quadratic, minutes for a glob of
# 50,000 characters, a blink for this many.
MAX_GLOB = 4096


def glob_problem(glob: str) -> str | None:
    """Why ``glob`` cannot be matched in bounded time (too long), else None."""
    if len(glob) > MAX_GLOB:
        return f"a glob holds at most {MAX_GLOB:,} characters, got {quoted(glob)}"
    return None


def accepted_methods(rule) -> frozenset[str] | None:
    """The methods a rule accepts (None: every one); for a Django pattern, its view's
    (Django resolves for every method, the view refuses the others with 405)."""
    listed = getattr(rule, "listed_methods", None)
    return frozenset(listed) if listed is not None else rule.methods


def select(table, *, methods: Iterable[str] = (), endpoint: str | None = None,
           grep: str | None = None, path: str | None = None, host: str | None = None,
           ) -> list[CompiledRule]:
    """The table's rules that pass every given filter, in definition order.

    ``methods``: rules accepting any of them (HEAD counts via GET; "every
    method" rules always pass). ``endpoint``: a glob. ``grep``: a regex
    searched in rule, endpoint, methods, view and source. ``path``: a URL
    that the rule's pattern must match, whatever the method.
    """
    rules = list(table.rules)
    wanted = {m.upper() for m in methods}
    if wanted:
        rules = [r for r in rules if (m := accepted_methods(r)) is None or wanted & m]
    if endpoint:
        problem = glob_problem(endpoint)
        if problem:
            raise ValueError(problem)
        rules = [r for r in rules if fnmatchcase(str(r.endpoint), endpoint)]
    if grep:
        pattern = re.compile(grep)
        search = pattern.search
        if backtracking_risk(grep):  # (a+)+$ on a long rule: a linear-time test first
            test = linear_test(grep, search=True)
            if test is not None:
                search = lambda text: test(text) and pattern.search(text)  # noqa: E731
        rules = [r for r in rules if search(_grep_text(r))]
    if path:
        matching = {id(r) for r in table.matching_rules(path, host)}
        rules = [r for r in rules if id(r) in matching]
    return rules


def filter_counts(table, *, methods: Iterable[str] = (), endpoint: str | None = None,
                  grep: str | None = None, path: str | None = None, host: str | None = None,
                  ) -> list[tuple[str, int]]:
    """For each filter given, as the CLI spells it, how many routes it keeps on its own:
    why :func:`select` came back empty (``[("--method PATCH", 0), ...]``)."""
    given: list[tuple[str, dict]] = []
    if methods:
        shown = ",".join(m.upper() for m in methods)
        given.append((f"--method {shown if len(shown) <= 80 else quoted(shown)}",
                      {"methods": methods}))
    if endpoint:
        given.append((f"--endpoint {quoted(endpoint)}", {"endpoint": endpoint}))
    if grep:
        given.append((f"--grep {quoted(grep)}", {"grep": grep}))
    if path:
        given.append((f"--path {quoted(path)}" + (f" --host {quoted(host)}" if host else ""),
                      {"path": path, "host": host}))
    return [(name, len(select(table, **options))) for name, options in given]


def _grep_text(rule: CompiledRule) -> str:
    listed = accepted_methods(rule)
    methods = " ".join(sorted(listed)) if listed is not None else "*"
    return "\n".join(filter(None, (rule.rule, str(rule.endpoint), methods, rule.route.view,
                                   str(rule.source) if rule.source else None, rule.domain)))


def order(table, rules: list[CompiledRule], key: str = "definition",
          reverse: bool = False) -> list[CompiledRule]:
    """Sort rules by one of :data:`SORT_KEYS`; "priority" is the matcher's own order."""
    if key == "definition":
        ordered = sorted(rules, key=lambda r: r.index)
    elif key == "rule":
        ordered = sorted(rules, key=lambda r: (r.rule, r.index))
    elif key == "endpoint":
        ordered = sorted(rules, key=lambda r: (str(r.endpoint), r.index))
    elif key == "methods":
        ordered = sorted(rules, key=lambda r: (shown_methods(r), r.index))
    elif key == "priority" and dialect_of(table).first_match:
        ordered = sorted(rules, key=lambda r: r.index)  # tried in declaration order
    elif key == "priority":
        rank = priority_ranks(table)
        ordered = sorted(rules, key=lambda r: (rank.get(id(r), len(rank)), r.index))
    else:
        raise ValueError(f"unknown sort key {key!r}; use one of {', '.join(SORT_KEYS)}")
    if reverse:
        ordered.reverse()
    return ordered


def priority_ranks(table) -> dict[int, int]:
    """Rank every matchable rule by the order the matcher tries it (id(rule) → rank).

    Depth-first over the trie: rules at a node, then static children
    (alphabetically), then dynamic transitions in their sorted order.
    """
    ranks: dict[int, int] = {}
    stack = [table.matcher.root]
    while stack:
        state = stack.pop()
        for rule in state.rules:
            ranks.setdefault(id(rule), len(ranks))
        children = [state.static[key] for key in sorted(state.static)]
        children += [child for _, child in state.dynamic]
        stack.extend(reversed(children))
    return ranks
