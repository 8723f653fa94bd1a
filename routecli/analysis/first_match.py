"""The first-match analysis core, for every dialect that tries routes in order.

Input: a table's :class:`~routecli.routing.ordered.Entry` list, in declaration order.
Each entry's ``pattern`` is its path language (compiled with the automata engine),
``methods`` the methods it takes (None: every method), ``captures`` says it keeps every
request of its language (a Mount), ``domain`` the host pattern it is limited to. An
entry dominates others only when its language is exact and it never declines a value
(``exact`` and not ``may_decline``), so "dead" is never claimed from an approximation.
Languages are taken over paths without a newline (``%0A``), which no client uses to reach
a route and which the frameworks' regexes treat specially.

For each route R, per method m, with E(m) the earlier entries that take m (capturing
groups take every method) and intersect R:

* **dead** when L(R) ⊆ ∪ L(E(m)): one earlier entry covering it alone makes R a
  *duplicate* (same language), *captured* (by a Mount) or a *shadowed specialisation*
  (R is strictly more specific, ``/users/me`` after ``/users/{id}``); else it is dead by
  the *union* (``/a/{i:int}`` and ``/a/{x}.{y}`` together take ``/a/{f:float}``);
* **partly dead** when that holds for some of R's methods only;
* **crossed** when an earlier E intersects R on a shared method and neither contains
  the other (``/{entity}/me`` then ``/books/{id}``: ``/books/me`` goes to the first).
  An earlier entry contained in R, or under a longer literal prefix than R's, is the
  intended specific-first idiom: silent; so is a crossing where, at the first path segment
  the two templates spell differently, the earlier has a plain literal and R a parameter
  (``/static/{path:path}`` before ``/{key}/edit``: the literal is the specific one).

Each :class:`Relation` carries a witness path; the rules confirm it with the dialect's
own matcher before reporting (:mod:`routecli.analysis.first_match_run`).

Copies of one route (everything matching reads is equal: pattern, kind, methods, flags,
host, enclosing groups; the endpoint, view or source may differ) after a first one that
dominates are all dead for the same reason as the first of them. From
:data:`~routecli.analysis.overlap.GROUP_MIN` routes on (as in the Werkzeug analysis), the
first later copy is judged and carries the others (``Relation.copies``), and no later copy
is an earlier entry for anyone: N copies cost one judgement, not N^2 pairs.

An entry that does not dominate (an approximate language, a converter that may decline)
still dominates its own copies when the dialect tells what its matching reads
(``Entry.matching_identity``: a Django pattern's source and converter functions): a later
copy is asked the same question on the same path after the first, and a value the first
one's converter rejects, the copy's rejects too (Django runs ``to_python`` once per
pattern it tries). So such copies are duplicates of the first and grouped like the others.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

from routecli.analysis.budget import CANDIDATE_STEPS
from routecli.analysis.first_match_heads import ByMethod, HeadIndex, SuffixIndex
from routecli.analysis.first_match_languages import path_language, path_witness
from routecli.analysis.overlap import GROUP_MIN
from routecli.automata import (
    Automaton,
    Undecidable,
    accepts,
    compile_regex,
    difference_witness,
    intersect_witness,
    intersection,
    intersects,
    is_subset,
)
from routecli.automata.limits import budget_spent_message, current_budget

# A route whose suffix this many routes at most can share takes its candidates from them
# (checked against the heads); otherwise from the heads (checked against the suffixes).
_FEW_BY_SUFFIX = 64

# A method no route declares: what "every other method" is asked as.
OTHER_METHOD = "ROUTECLI-OTHER"
MAX_STATES = 20_000  # per question; beyond it the question is reported as unverified


@cache
def readable() -> Automaton:
    """Paths a client sends as they are: "/" or not starting with "//" (compiled on first
    use: importing the rules, as every lint does, should not cost a regex compilation)."""
    return compile_regex(r"/(?:[^/][\s\S]*)?")


class Relation(NamedTuple):
    """What the core found about ``entry`` (the later route) and ``earlier`` entries.

    ``kind``: "duplicate", "captured", "shadowed", "union" (dead for every method),
    "partly" (dead for ``methods`` only), "crossed", or "idiom" (an earlier, narrower
    route: the intended order, only when asked for). ``witness`` is a decoded path
    that ``entry`` matches and the earlier entries take instead (for ``methods[0]``).
    ``copies``: later copies of ``entry`` that are dead for the same reason (a group).
    """

    kind: str
    entry: object
    earlier: tuple
    methods: tuple[str, ...]
    witness: str
    copies: tuple = ()


class Unverified(NamedTuple):
    entry: object
    reason: str


class FirstMatch:
    """Languages and relations of one table's entries (computed once, on demand)."""

    def __init__(self, entries: Iterable, idiom: bool = False,
                 focus: set[int] | None = None) -> None:
        self.entries = list(entries)
        self.idiom = idiom  # also yield "idiom" relations (specific first), for conflicts
        # Only these entries are judged (routecli diff: the entries a change can concern);
        # the others' languages are compiled only when a judged entry meets them.
        self.focus = focus
        self._languages: dict[str, Automaton | None] = {}
        self._heads: dict[str, tuple[str, bool]] = {}
        self.unverified: list[Unverified] = []
        self.stats = {"pairs": 0, "questions": 0}
        self._relations: list[Relation] | None = None
        self._copies: dict | None = None
        self._firsts: dict[int, object] | None = None
        self._later: set[int] | None = None
        self._witnesses: dict[str, str | None] = {}
        self._suffixes: dict[str, str] = {}  # pattern -> text every path of it ends with

    # -- languages

    def language(self, entry) -> Automaton | None:
        """The entry's path language (None when the engine cannot model it)."""
        pattern = entry.pattern
        if pattern not in self._languages:
            try:
                found = path_language(pattern)
            except Undecidable as exc:
                self._languages[pattern] = None
                self._heads[pattern] = ("", False)
                self._suffixes[pattern] = ""
                self.unverified.append(Unverified(entry, str(exc)))
            else:
                self._languages[pattern] = found.automaton
                self._heads[pattern] = (found.head, found.literal)
                self._suffixes[pattern] = found.suffix
        return self._languages[pattern]

    def head(self, entry) -> str:
        """The literal text every path of the entry starts with."""
        return self._shape(entry)[0]

    def word(self, entry) -> str | None:
        """The entry's one path when its language has one path only (a literal route)."""
        head, whole = self._shape(entry)
        return head if whole else None

    def _shape(self, entry) -> tuple[str, bool]:
        pattern = entry.pattern
        found = self._heads.get(pattern)
        if found is None:
            self.language(entry)  # finds the head with the language
            found = self._heads[pattern]
        return found

    def witness_of(self, entry) -> str | None:
        """A shortest readable path of the entry's language (None: none, or undecided);
        once per pattern, as copies of a route ask for the same one."""
        pattern = entry.pattern
        if pattern not in self._witnesses:
            language = self.language(entry)
            try:
                found = (None if language is None
                         else path_witness(pattern, language, MAX_STATES))
            except Undecidable:
                found = None
            self._witnesses[pattern] = found
        return self._witnesses[pattern]

    # -- who competes with whom

    def contenders(self) -> list:
        """Entries that take requests at their own position: routes, and groups that
        capture (an entry inside an earlier capturing group is represented by it)."""
        out = []
        for entry in self.entries:
            if entry.is_route or entry.captures:
                if self.language(entry) is not None:
                    out.append(entry)
        return out

    def copy_groups(self) -> dict:
        """The table's groups of copies (see :func:`copy_groups`), found once."""
        if self._copies is None:
            # Read off the entries' fields: a focused run compiles no other language.
            self._copies, self._firsts = copy_groups(self.entries)
        return self._copies

    def first_copy(self, entry):
        """The first of the copies ``entry`` is a later copy of, when it does not dominate
        by itself (None otherwise): it dominates ``entry`` all the same."""
        self.copy_groups()
        return self._firsts.get(entry.index)

    def later_copies(self) -> set[int]:
        """Indices of the copies after the first of each group: they never answer, and
        take part in no relation with other routes."""
        if self._later is None:
            self._later = {c.index for first, rest in self.copy_groups().items()
                           for c in (first, *rest)}
        return self._later

    def relations(self) -> list[Relation]:
        if self._relations is None:
            self._relations = list(self._find())
        return self._relations

    def _find(self):
        if self.focus is not None:
            yield from self._find_focused()
            return
        contenders = self.contenders()
        groups = self.copy_groups()
        # Later copies are dead behind the first: never an earlier entry for anyone.
        later = self.later_copies()
        carried = {c.index for rest in groups.values() for c in rest}
        judged = [e for e in contenders
                  if e.is_route and e.kind != "docs" and e.index not in carried]
        heads = HeadIndex([(*self._shape(e), e.index, _taken(e)) for e in contenders
                           if e.index not in later],
                          [(*self._shape(e), e.index) for e in judged])
        by_index = {e.index: e for e in contenders}
        universe = sorted({m for e in contenders if e.methods for m in e.methods})
        suffixes = self._suffixes
        ends = SuffixIndex([(suffixes.get(e.pattern, ""), e.index) for e in contenders
                            if e.index not in later])
        budget = current_budget()
        for entry in judged:
            if budget.spent:  # the entries left are noted, not given candidates first
                self._left(entry, groups.get(entry, ()), budget)
                continue
            # Two languages share a path only if one's suffix ends the other's: most
            # routes after a leading parameter (/{tenant}/orders, /{tenant}/users, ...)
            # all start with "/", and only their ends tell them apart.
            mine = suffixes.get(entry.pattern, "")
            head = self._shape(entry)[0]
            near = ends.few_earlier(entry.index, mine, _FEW_BY_SUFFIX)
            if near is not None:
                earlier = [other for i in near if _competes(other := by_index[i], entry)
                           and _heads_meet(head, self._shape(other)[0])]
            else:
                earlier = [other for i in heads.earlier(entry.index, *self._shape(entry),
                                                        _asked(entry))
                           if _competes(other := by_index[i], entry)
                           and _ends_meet(mine, suffixes.get(other.pattern, ""))]
            if earlier:
                yield from self._judged(entry, earlier, universe, groups.get(entry, ()))

    def _find_focused(self):
        """:meth:`_find` for the focus entries alone: the same relations, with candidates
        found by the literal heads of the patterns' text (prefixes of the true heads, so
        every true candidate is among them) instead of compiling every language."""
        groups = self.copy_groups()
        later = self.later_copies()
        # A focused copy is judged as its group, carried by the group's first later copy.
        carrier = {c.index: first for first, rest in groups.items() for c in (first, *rest)}
        takers = [e for e in self.entries if (e.is_route or e.captures) and e.index not in later]
        by_head = sorted((literal_head(e.pattern), e.index) for e in takers)
        heads = [head for head, _ in by_head]
        by_index = {e.index: e for e in takers}
        universe = sorted({m for e in takers if e.methods for m in e.methods})
        focused = {carrier[i].index if i in carrier else i for i in self.focus}
        carriers = {first.index: first for first in groups}
        near_head: dict[str, ByMethod] = {}  # the candidates of each head, found once
        budget = current_budget()
        for index in sorted(focused):
            entry = by_index.get(index) or carriers.get(index)
            if entry is None or not entry.is_route or entry.kind == "docs":
                continue
            if budget.spent:
                self._left(entry, groups.get(entry, ()), budget)
                continue
            if self.language(entry) is None:
                continue
            head = literal_head(entry.pattern)
            near = near_head.get(head)
            if near is None:
                near = near_head[head] = ByMethod()
                for i in candidates_by_head(head, heads, by_head):
                    near.add(i, _taken(by_index[i]))
            earlier = [by_index[i] for i in near.before(entry.index, _asked(entry))
                       if _competes(by_index[i], entry)
                       and self.language(by_index[i]) is not None]
            if earlier:
                yield from self._judged(entry, earlier, universe, groups.get(entry, ()))

    def _judged(self, entry, earlier: list, universe: list[str], copies: tuple = ()):
        """:meth:`_judge`, a question the automata cannot decide kept as unverified (for
        ``entry`` and the ``copies`` it stands for)."""
        try:
            # Charged before the judgement: 10,000 routes under one head are 10,000^2
            # candidates however few of them the automata are asked about.
            current_budget().spend(CANDIDATE_STEPS * len(earlier))
            yield from self._judge(entry, earlier, universe, copies)
        except Undecidable as exc:
            self.unverified += [Unverified(e, str(exc)) for e in (entry, *copies)]

    def _left(self, entry, copies: tuple, budget) -> None:
        """``entry`` (and the ``copies`` it stands for) not judged: the budget is spent."""
        reason = budget_spent_message(budget)
        self.unverified += [Unverified(e, reason) for e in (entry, *copies)]

    def _judge(self, entry, earlier: list, universe: list[str], copies: tuple = ()):
        mine = self.language(entry)
        meeting = []
        for other in earlier:
            self.stats["pairs"] += 1
            if _methods_meet(other, entry) and self._meet(other, entry):
                meeting.append(other)
        if not meeting:
            return
        methods = sorted(entry.methods) if entry.methods is not None else [*universe,
                                                                            OTHER_METHOD]
        dead: dict[str, tuple] = {}
        verdicts: dict[tuple, bool] = {}
        first = self.first_copy(entry)
        for method in methods:
            doms = tuple(o for o in meeting
                         if _takes(o, method) and (_dominates(o) or o is first))
            if not doms:
                continue
            if doms not in verdicts:
                self.stats["questions"] += 1
                verdicts[doms] = is_subset(mine, *(self.language(o) for o in doms),
                                           max_states=MAX_STATES)
            if verdicts[doms]:
                dead[method] = doms
        if dead and len(dead) == len(methods):
            relation = self._dead(entry, dead, methods)
            # The copies' first dominates them all: they are dead for the entry's reason.
            yield relation._replace(witness=self._witness(mine, _others(meeting, relation)),
                                    copies=copies)
            return
        if dead and entry.methods is not None:
            lost = tuple(m for m in methods if m in dead)
            doms = _unique(o for m in lost for o in dead[m])
            witness = self._witness(mine, [o for o in meeting if o not in doms])
            yield Relation("partly", entry, doms, lost, witness)
        for other in meeting:
            shared = [m for m in methods if _takes(other, m) and m not in dead]
            if not shared or not (other.exact and entry.exact):
                continue  # an approximate language proves no crossing
            theirs = self.language(other)
            if is_subset(theirs, mine, max_states=MAX_STATES) or self._deeper(other, entry):
                # The specific-first idiom: the earlier route is narrower, or sits under a
                # longer literal prefix (``admin/<str:x>/`` before a page-tree catch-all
                # ``^([\w-]+/)*$``: they cross only on the characters ``str`` adds).
                if self.idiom:
                    point = intersect_witness(theirs, max_states=MAX_STATES) or ""
                    yield Relation("idiom", entry, (other,), tuple(shared), point)
                continue
            if is_subset(mine, theirs, max_states=MAX_STATES):
                continue  # dead for these methods would have said so; a declining cover
            # A path of both that an entry before ``other`` takes (a Mount capturing
            # its prefix) would not show the crossing: avoid those when possible.
            point = self._witness(intersection(theirs, mine),
                                  [o for o in meeting if o.index < other.index])
            if point and literal_first(other.rule, entry.rule):
                # Crossed only below a literal the earlier route spells where the later
                # has a parameter (/static/{path:path} before /{key}/edit): the
                # specific-first idiom, segment by segment.
                if self.idiom:
                    yield Relation("idiom", entry, (other,), tuple(shared), point)
            elif point:
                yield Relation("crossed", entry, (other,), tuple(shared), point)

    def _meet(self, other, entry) -> bool:
        """Whether the languages of ``other`` and ``entry`` share a path, as
        ``intersect_witness(...) is not None`` but with no witness built: for a literal
        route, its one path tried on the other's head, then run through the other's
        automaton (where the product search could not have run out of budget)."""
        theirs, mine = self.language(other), self.language(entry)
        for word, side, language in ((self.word(entry), other, theirs),
                                     (self.word(other), entry, mine)):
            if word is not None and (len(word) + 1) * len(language.edges) <= MAX_STATES:
                return word.startswith(self.head(side)) and accepts(language, word)
        return intersects(theirs, mine, max_states=MAX_STATES)

    def _deeper(self, earlier, entry) -> bool:
        """Whether ``earlier``'s literal head strictly extends ``entry``'s."""
        head = self.head(entry)
        theirs = self.head(earlier)
        return len(theirs) > len(head) and theirs.startswith(head)

    def _witness(self, language: Automaton, avoid: list) -> str:
        """A shortest readable path of ``language``: one no entry of ``avoid`` (earlier
        entries the finding does not name) takes first, and not starting with ``//`` (a
        client would read a host there), when there is one."""
        tried = [(language, readable(), *(self.language(o) for o in avoid)),
                 (language, readable()), (language,)]
        for first, *others in tried:
            base = intersection(first, others[0]) if others else first
            rest = others[1:]
            try:
                found = (difference_witness(base, *rest, max_states=MAX_STATES) if rest
                         else intersect_witness(base, max_states=MAX_STATES))
            except Undecidable:
                found = None
            if found is not None:
                return found
        return ""

    def _dead(self, entry, dead: dict, methods: list[str], witness: str = "") -> Relation:
        mine = self.language(entry)
        everyone = _unique(o for m in methods for o in dead[m])
        for other in everyone:
            if all(other in dead[m] for m in methods) and is_subset(
                    mine, self.language(other), max_states=MAX_STATES):
                if other.captures:
                    kind = "captured"
                elif is_subset(self.language(other), mine, max_states=MAX_STATES):
                    kind = "duplicate"
                else:
                    kind = "shadowed"
                shown = tuple(m for m in methods if m != OTHER_METHOD)
                return Relation(kind, entry, (other,), shown, witness)
        shown = tuple(m for m in methods if m != OTHER_METHOD)
        return Relation("union", entry, _minimal(mine, everyone, self), shown, witness)


def copy_key(entry) -> tuple | None:
    """What makes two entries take the same requests at the same place: everything
    matching reads (the endpoint, view, kwargs and source only shape an answer, and a
    later copy never gives one). For an entry that does not dominate, its pattern does
    not say it all: the dialect's ``matching_identity`` too (None: no copies), and its
    enclosing groups are compared by theirs where the dialect tells it (two includes of
    one prefix: Django tries the second's patterns on the same remainder, after the
    first's declined)."""
    key = (entry.pattern, entry.kind, entry.methods, entry.captures, entry.exact,
           entry.may_decline, entry.domain)
    if _dominates(entry):
        return (*key, entry.parents)
    own = entry.matching_identity
    return None if own is None else (*key, _groups_key(entry.parents), own)


def _groups_key(parents: tuple) -> tuple:
    """Enclosing groups as their matching reads them (each group itself when the dialect
    does not tell)."""
    out = []
    for parent in parents:
        identity = parent.matching_identity
        out.append(parent if identity is None else ("group", identity))
    return tuple(out)


def copy_groups(contenders: list) -> tuple[dict, dict]:
    """Groups of :data:`GROUP_MIN` or more copies of one route: {first later copy: (the
    later copies after it)}; and, for copies that do not dominate by themselves (two or
    more), {index of a later copy: the first copy}."""
    by_key: dict[tuple, list] = {}
    for entry in contenders:
        if entry.is_route and entry.kind != "docs":
            key = copy_key(entry)
            if key is not None:
                by_key.setdefault(key, []).append(entry)
    groups = {members[1]: tuple(members[2:]) for members in by_key.values()
              if len(members) >= GROUP_MIN}
    firsts = {later.index: members[0] for members in by_key.values()
              if len(members) >= 2 and not _dominates(members[0]) for later in members[1:]}
    return groups, firsts


def _others(meeting: list, relation: Relation) -> list:
    """The entries meeting a route that a witness of ``relation`` should avoid: every
    one but those the relation names (they are what the witness shows)."""
    return [o for o in meeting if o not in relation.earlier]


def _minimal(mine: Automaton, others: tuple, core: FirstMatch) -> tuple:
    """A smaller set of dominators that still covers ``mine`` (dropping those not needed)."""
    kept = list(others)
    for other in list(kept):
        rest = [o for o in kept if o is not other]
        if rest and difference_witness(mine, *(core.language(o) for o in rest),
                                       max_states=MAX_STATES) is None:
            kept = rest
    return tuple(kept)


# Characters that end a pattern's literal text (a quantifier also takes back the last one).
_SPECIAL = frozenset("()[].^$|\\+")
_OPTIONAL = frozenset("?*{")


def literal_head(pattern: str) -> str:
    """The literal text every path of the regex ``pattern`` starts with, read off its text
    without compiling it: a prefix of the true head (it stops at the first construct it
    does not read), so whatever can share a path by heads still can by these."""
    if "|" in pattern:
        return ""
    out: list[str] = []
    at = 2 if pattern.startswith("\\A") else 1 if pattern.startswith("^") else 0
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            following = pattern[at + 1:at + 2]
            if not following or following.isalnum():
                break
            out.append(following)
            at += 2
            continue
        if char in _OPTIONAL:
            if out:
                out.pop()
            break
        if char in _SPECIAL:
            break
        out.append(char)
        at += 1
    return "".join(out)


def candidates_by_head(head: str, heads: list[str], by_head: list[tuple[str, int]]) -> list[int]:
    """Indices of entries whose head is a prefix of ``head`` or starts with it: only
    those can share a path with it."""
    found = []
    for cut in range(len(head) + 1):
        prefix = head[:cut]
        start = bisect.bisect_left(heads, prefix)
        while start < len(heads) and heads[start] == prefix:
            found.append(by_head[start][1])
            start += 1
    start = bisect.bisect_right(heads, head)
    while start < len(heads) and heads[start].startswith(head):
        found.append(by_head[start][1])
        start += 1
    return sorted(set(found))


_LITERAL_SEGMENT = re.compile(r"[A-Za-z0-9._~!$&'*+,;=:@%-]*")


def literal_first(earlier: str, later: str) -> bool:
    """Whether, at the first segment the templates ``earlier`` and ``later`` spell
    differently, ``earlier`` has a plain literal and ``later`` something else (a
    parameter, a pattern): the order a most-specific-first router would choose too."""
    for mine, theirs in zip(earlier.split("/"), later.split("/"), strict=False):
        if mine != theirs:
            return (_LITERAL_SEGMENT.fullmatch(mine) is not None
                    and _LITERAL_SEGMENT.fullmatch(theirs) is None)
    return False


def _heads_meet(head: str, other: str) -> bool:
    """Whether two languages starting with these texts can share a path (the head index
    rules out more for literal routes; the automata decide what this lets through)."""
    return head.startswith(other) if len(head) >= len(other) else other.startswith(head)


def _ends_meet(suffix: str, other: str) -> bool:
    """Whether two languages ending with these texts can share a path."""
    return suffix.endswith(other) if len(suffix) >= len(other) else other.endswith(suffix)


def _competes(other, entry) -> bool:
    """Whether ``other`` (earlier) is tried for ``entry``'s requests at all: not a group
    holding ``entry``, not inside a group that does not hold it, same kind of request."""
    if other in entry.parents:
        return False
    for parent in other.parents:
        if parent.captures and parent not in entry.parents:
            return False  # that group itself competes, for everything under it
    if other.domain and other.domain != entry.domain:
        return False
    if other.is_route and other.websocket != entry.websocket:
        return False
    return True


def _takes(entry, method: str) -> bool:
    return entry.methods is None or entry.captures or method in entry.methods


def _taken(entry):
    """The methods an earlier ``entry`` takes for others (None: every method)."""
    return None if entry.methods is None or entry.captures else entry.methods


def _asked(entry):
    """The methods a later ``entry`` meets earlier entries on (None: every method; a
    websocket route meets them whatever they take)."""
    return None if entry.methods is None or entry.websocket else entry.methods


def _methods_meet(other, entry) -> bool:
    if other.methods is None or other.captures or entry.methods is None:
        return True
    return bool(other.methods & entry.methods) or entry.websocket


def _dominates(entry) -> bool:
    return entry.exact and not entry.may_decline


def _unique(items) -> tuple:
    out = []
    for item in items:
        if item not in out:
            out.append(item)
    return tuple(out)
