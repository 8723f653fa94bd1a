"""The shared state of one analysis run: the trie index, witnesses, slash forms, the
classification of overlapping pairs, and what lint's rules read from the pair join.

Every finding about an overlap carries a witness request built by :mod:`.witness` and
answered by the table itself; a finding whose witness does not behave as claimed is never
emitted, it is counted in ``stats["model_disagreements"]`` instead.

A candidate witness that the app's own code fails on (a converter raising something other
than a ValidationError: Flask's 500, or the status of an ``abort()``; older tables raise a
RouteError) says nothing about routing: it is skipped and counted in
``stats["app_errors"]``, and the next candidate is tried. A finding left with no usable
witness for that reason is dropped and counted in ``stats["app_error_findings"]`` (not as a
model disagreement): lint reports what it can prove, and never dies on the app's code.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import NamedTuple

from routecli.analysis.blocks import Block
from routecli.analysis.blocks import pattern_of as _pattern
from routecli.analysis.budget import WITNESS_STEPS
from routecli.analysis.findings import Finding, Report
from routecli.analysis.messages import IMPLICIT_METHODS, label, pick_method
from routecli.analysis.overlap import SelfJoin
from routecli.analysis.pairs import Index, Pair, route_pairs
from routecli.analysis.slash_forms import Slashes
from routecli.analysis.witness import Witnesses
from routecli.automata import BudgetSpent, Undecidable, current_budget
from routecli.routing.serialize import route_ref


class Unverified(NamedTuple):
    """A question the automata could not decide: RL199's material."""

    first: object
    second: object
    reason: str
    pairs: int


class Analysis:
    """One table under analysis: the trie index, witnesses and debug counters."""

    def __init__(self, table) -> None:
        self.table = table
        self.index = Index(table)
        self.langs = self.index.langs
        self.stats: Counter = Counter()
        self.witnesses = Witnesses(table, self.langs, self.index.trail, self.stats)
        self.slashes = Slashes(self.index)
        self.unverified: list[Unverified] = []
        self._seen_unverified: set = set()
        # Questions left when the work budget ran out: the routes they were about and how
        # many (per pair they would be quadratic, and are all one RL199).
        self.left_by_budget: dict[int, object] = {}
        self.left_questions = 0
        self.budget_reason = ""

    # -- the join -----------------------------------------------------------------------------

    def join(self, on_pair, on_slash=None, on_copies=None, takers_only: bool = False,
             on_block=None, on_bystanders=None, on_trap=None) -> SelfJoin:
        """Every overlapping pair to ``on_pair``: the patterns' self-join, then (only when
        some route has strict_slashes off) the pairs that slash forms add. Groups of
        copies of one route go to ``on_copies(first, copies)``, once each.

        ``takers_only`` (lint's): routes of one trie state are paired only with the
        earlier routes that take one of their methods there, not with every earlier one
        (``SelfJoin.first_takers_only``): what lint reports stays the same, the cost stays
        linear in routes that differ only in converter arguments. With ``on_block`` too,
        the pairs of routes that never take a method on their state (bystanders) with
        another state's routes come as blocks (:mod:`.blocks`), not one by one.
        ``on_bystanders`` (``conflicts``'): the join groups a state's bystanders
        (:mod:`.overlap`) and reports each group to it. ``on_trap`` (lint's, with
        ``on_block``) gets the routes tried before bystanders of another state with those
        bystanders, which are paired with nothing else there: RL103 reads their takers'
        pairs instead (``SelfJoin.bystander_takers``)."""
        slashes = self.slashes
        if not slashes.active:
            join = SelfJoin(self.index, on_pair, on_slash, self.note_unverified, on_copies,
                            takers_only, on_block, on_bystanders, on_trap)
            join.run()
            return join
        seen: set = set()
        forms = slashes.forms

        def collect(pair: Pair) -> None:
            a, b = pair.first.index, pair.second.index
            if a in forms or b in forms:
                seen.add((a, b) if a < b else (b, a))
            on_pair(pair)

        join = SelfJoin(self.index, collect, on_slash, self.note_unverified, on_copies,
                        on_bystanders=on_bystanders)
        join.run()
        for pair in slashes.pairs(seen, self.note_unverified):
            self.stats["slash_pairs"] += 1
            on_pair(pair)
        return join

    # -- relations ----------------------------------------------------------------------------

    def relation(self, pair: Pair) -> str:
        """duplicate, same-pattern, tie, cover (the second is inside the first, which is
        tried first), specialisation (the first is inside the second) or crossed."""
        if pair.div is None:
            return "duplicate" if self.is_duplicate(pair) else "same-pattern"
        if pair.twin:
            return "specialisation"  # each answers its own pattern's URLs (slashes.py)
        if pair.tie:
            return "tie"
        slashes = self.slashes
        if slashes.active and (slashes.has(pair.first) or slashes.has(pair.second)):
            return slashes.relation(pair.first, pair.second)
        if self.refines(pair.second, pair.first, pair.div):
            return "cover"
        return "specialisation" if self.refines(pair.first, pair.second, pair.div) else "crossed"

    def is_duplicate(self, pair: Pair) -> bool:
        """True for a same-pattern pair Werkzeug 3.2 calls duplicates (RL101)."""
        methods = self.index.methods
        if methods[pair.first.index] is None or methods[pair.second.index] is None:
            return True
        return bool(pair.methods - IMPLICIT_METHODS)

    def refines(self, first, second, start: int) -> bool:
        """True if every URL ``first`` matches from part ``start`` on, ``second`` matches."""
        langs = self.langs
        a, b = first.parts, second.parts
        if len(b) == start + 1 and start < len(a) and b[start].final:
            # Inside a catch-all (most pairs of a big table): rest_subset's first case.
            return langs.rest_subset(first, second, start)
        for pos in range(start, min(len(a), len(b))):
            p, q = a[pos], b[pos]
            if p.final or q.final:
                return langs.rest_subset(first, second, pos)
            if p is not q and not langs.subset(p, q):  # parts are shared: one is cheap
                return False
        return len(a) == len(b)

    # -- witnesses ----------------------------------------------------------------------------

    def pair_witness(self, pair: Pair, method: str | None = None, reject: bool = False):
        """(checked witness, verified) for a pair: verified when the table answers it with
        ``pair.first`` (for ``reject``: ``first`` captured it and refused it)."""
        try:
            return self._pair_witness(pair, method, reject)
        except BudgetSpent as exc:  # the pair is reported as not decided (RL199)
            self.note_unverified([pair.first], [pair.second], str(exc))
            self.stats["budget_unwitnessed"] += 1
            return None, False

    def _pair_witness(self, pair: Pair, method: str | None, reject: bool):
        # Counted: 3,000 + 3,000 crossing routes are 240,000 pairs to witness once RL105
        # is selected, each a search for values and requests to the table
        current_budget().spend(WITNESS_STEPS)
        first, second = pair.first, pair.second
        method = method or pick_method(pair.methods)
        witnesses = self.witnesses
        slashes = self.slashes
        fallback = None
        for form_first, form_second in pair.forms or ((first, second),):
            # answers() skips candidates the app's own code fails on (counted as app errors)
            candidates = witnesses.pair_values(form_first, form_second, reject=reject)
            for checked in witnesses.answers(candidates, method, first.websocket):
                if not (slashes.matches(first, checked.segments)
                        and slashes.matches(second, checked.segments)):
                    self.stats["model_disagreements"] += 1
                    continue
                if fallback is None:
                    fallback = checked
                result = checked.result
                if reject:
                    if (result.status in (404, 405) and checked.raw is first
                            and accepts(second, checked.segments, slashes)):
                        return checked, True
                elif checked.raw is first and result.redirect not in ("slash", "merge_slashes"):
                    return checked, True
        return fallback, False

    # -- unverified questions ---------------------------------------------------------------

    def note_unverified(self, rules, others, reason: str) -> None:
        """Record a question the automata could not decide (once per route pair; those left
        when the work budget ran out, once per route); the run reports it as RL199."""
        if BudgetSpent.MESSAGE in reason:
            self.budget_reason = self.budget_reason or reason[reason.index(
                BudgetSpent.MESSAGE):]
            self.left_questions += len(rules) * len(others)
            for rule in (*rules, *others):
                self.left_by_budget.setdefault(rule.index, rule)
            return
        first, second = rules[0], others[0]
        key = (first.index, second.index)
        if key in self._seen_unverified:
            return
        self._seen_unverified.add(key)
        self.stats["unverified"] += 1
        self.unverified.append(Unverified(first, second, reason, len(rules) * len(others)))

    # -- findings about a pair ----------------------------------------------------------------

    def proven_pair(self, pair: Pair, listing: bool = False):
        """(checked witness, verified) for a pair's finding, or None when no candidate
        witness is usable (counted). Unverified means the witness goes to a third route:
        the pair is masked (counted; ``conflicts`` lists it as RL198, lint drops it)."""
        failures = self.stats["app_errors"]
        undecided = self.stats["budget_unwitnessed"]
        checked, verified = self.pair_witness(pair)
        if checked is None:
            if self.stats["budget_unwitnessed"] == undecided:  # else RL199 says it
                self.unproven(failures)
            return None
        if not verified:
            self.stats["masked"] += 1
        return checked, verified

    def pair_finding(self, pair: Pair, relation: str, rule, strict: bool = False
                     ) -> Finding | None:
        """Lint's finding for one classified pair, worded by ``rule``; None when no witness
        verifies it."""
        proven = self.proven_pair(pair)
        if proven is None or not proven[1]:
            return None
        return self.worded_pair(pair, relation, rule, proven[0], strict)

    def worded_pair(self, pair: Pair, relation: str, rule, checked, strict: bool = False
                    ) -> Finding:
        """The finding ``rule`` makes of a pair its witness ``checked`` verifies."""
        details = {"relation": relation, "first": route_ref(pair.first)}
        severity, message = rule.describe_pair(self, pair, checked, details, strict)
        message += self.slash_note(pair, checked, details)
        return Finding(rule.code, severity, message, [pair.second, pair.first], checked.witness,
                       checked.result.endpoint, details, relation)

    def slash_note(self, pair: Pair, checked, details: dict) -> str:
        """For a witness some route matches only through its slash form: a message suffix
        naming it (and ``details["slash_form"]``)."""
        if not self.slashes.active:
            return ""
        via = self.slashes.via_slash((pair.second, pair.first), checked.segments)
        if not via:
            return ""
        details["slash_form"] = [route_ref(rule) for rule in via]
        names = " and ".join(label(rule) for rule in via)
        return (f" ({names} {'matches' if len(via) == 1 else 'match'} it only because "
                f"strict_slashes is off)")

    def creator(self, rule, div: int):
        """The first rule registered below the transition ``rule`` takes at part ``div``."""
        states, edges = self.index.trail(rule)
        state = states[div]
        child = (state.static[rule.parts[div].content] if edges[div] < 0
                 else state.dynamic[edges[div]][1])
        best = None
        stack = [child]
        while stack:
            node = stack.pop()
            for candidate in node.rules:
                if best is None or candidate.index < best.index:
                    best = candidate
            stack.extend(node.static.values())
            stack.extend(c for _, c in node.dynamic)
        return best

    def unproven(self, failures_before: int) -> None:
        """Count a finding left without a witness: an app error when the app's code failed
        on some candidate since ``failures_before``, else a model disagreement."""
        if self.stats["app_errors"] > failures_before:
            self.stats["app_error_findings"] += 1
        else:
            self.stats["model_disagreements"] += 1

    def report(self, findings: list[Finding]) -> Report:
        """The run's Report: ``findings`` sorted by file, line and code, with the counters."""
        findings.sort(key=_sort_key)
        stats = {"model_disagreements": 0, **self.stats}
        return Report(findings, len(self.table.rules), stats)


class BystanderEntries:
    """What RL103 reads for a bystander (:meth:`PairCollector.dominating`): its own
    entries on its state, then ``across``, its taker's with other states' routes (one
    list per taker, shared by the taker's bystanders)."""

    __slots__ = ("across", "own")

    def __init__(self, own: list, across: list) -> None:
        self.own = own
        self.across = across

    def __iter__(self):
        yield from self.own
        yield from self.across


class PairCollector:
    """Collects what lint needs from the join without keeping silent pairs around."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.validating = [any(c.validates for c in rule.converters.values())
                           for rule in analysis.table.rules]
        self._validating_any = any(self.validating)
        self.methods = analysis.index.methods
        self.dominated: dict[int, list[Pair]] = defaultdict(list)
        self.duplicates: list[Pair] = []
        self.copies: list[tuple] = []  # (first, [later copies]): RL101's groups
        self.ordered: list[Pair] = []  # ties and crossed pairs
        self.traps: dict[int, list[Pair]] = defaultdict(list)
        self.shadows: dict[int, list[Pair]] = defaultdict(list)
        self.slashes: list[tuple] = []
        self._slash_seen: set = set()
        # rule index -> twin routes that take its slash form's URLs (never its pattern's)
        self.twins: dict[int, list[Pair]] = defaultdict(list)
        self._forms = analysis.slashes.forms
        self._decided: set = set()
        self._shared_reads: tuple | None = None  # on_block's last firsts (memo)
        # bystander index -> {method key: its taker} (SelfJoin.bystander_takers)
        self.bystander_takers: dict[int, dict] = {}
        self._across: dict[int, list] = {}  # taker index -> its entries across states

    def on_trap(self, firsts, losers: list, div: int, tie: bool) -> None:
        """Routes ``firsts`` (none a bystander) tried before bystanders ``losers`` of
        another state: RL110
        reads which of them a validating first traps; nothing else is read of these
        pairs (a bystander never answers: no order with it matters, RL106 has nothing
        to verify, and RL103 reads its taker's pairs, :meth:`dominating`)."""
        validating = self.validating
        trapping = [rule for rule in firsts if validating[rule.index]]
        if trapping:
            traps = self.traps
            for pair in route_pairs(self.analysis.index, trapping, losers, div, tie, True):
                traps[pair.first.index].append(pair)

    def dominating(self, rule, method: str | None) -> list:
        """What RL103 reads for ``rule`` (tried second) and ``method`` (None: a route
        accepting every method): its recorded pairs and blocks. A bystander's pairs with
        other states' routes were not recorded (``SelfJoin._emit``): the route of its
        state taking ``method`` meets the same routes first, for the same methods, so its
        pairs and blocks with them stand in, after the bystander's own on its state."""
        entries = self.dominated[rule.index]
        takers = self.bystander_takers.get(rule.index)
        taker = None if takers is None else takers.get(method)
        if taker is None:
            return entries
        own = [entry for entry in entries
               if not isinstance(entry, Block) and entry.div is None]
        across = self._across.get(taker.index)
        if across is None:  # one list per taker, shared by its bystanders
            across = self._across[taker.index] = [
                entry for entry in self.dominated.get(taker.index, ())
                if isinstance(entry, Block) or entry.div is not None]
        return BystanderEntries(own, across)

    def on_pair(self, pair: Pair, dominated: bool = True) -> None:
        """Sort one overlapping pair into the lists the rules read (``dominated`` False:
        a block recorded it there already)."""
        # unpacked once: this runs for every pair (180,000 at 100,000 routes)
        first, second, div, tie, _, _, twin = pair
        analysis = self.analysis
        if twin:
            for rule, other in ((first, second), (second, first)):
                if rule.index in self._forms:
                    self.twins[rule.index].append(pair._replace(first=other, second=rule))
        elif dominated:
            self.dominated[second.index].append(pair)
        if div is None:
            if analysis.is_duplicate(pair):
                self.duplicates.append(pair)
        elif tie:
            self.ordered.append(pair)
        elif twin:
            pass  # each answers its own pattern's URLs: a specialisation
        else:
            forms = self._forms
            try:
                if forms and (first.index in forms or second.index in forms):
                    crossed = analysis.relation(pair) == "crossed"
                else:
                    crossed = not (analysis.refines(first, second, div)
                                   or analysis.refines(second, first, div))
            except Undecidable as exc:
                analysis.note_unverified([first], [second], str(exc))
                return
            if crossed:
                self.ordered.append(pair)
        if self.validating[first.index]:
            self.traps[first.index].append(pair)
        if div is not None and second.methods is not None:
            methods = self.methods
            mine, theirs = methods[second.index], methods[first.index]
            if theirs is not None and mine - theirs:
                self.shadows[second.index].append(pair)

    def on_block(self, firsts, seconds, div: int, tie: bool, pairs: list, bystanders: set,
                 whole: bool = False) -> bool:
        """Record every pair of ``firsts`` (tried first) with ``seconds``, where some
        firsts are bystanders (:mod:`.blocks`): ``pairs`` (those of the other firsts)
        one by one, and the whole product as one block for the dominators and method
        shadows of each second. False (nothing recorded) when classifying a bystander's
        pair is undecided: the join then emits the pairs one by one, so that each is
        reported as before.

        ``whole``: the join has proven that no pair of the product is crossed or tied
        (routes inside a catch-all, :meth:`SelfJoin._tail_vs_state`), so the pairs of the
        other firsts stay in the block too (``Block.whole``), read from it where a rule
        needs them (RL106's candidates); only the traps (RL110) are recorded here, as
        their pairs would have been. Always accepted."""
        analysis = self.analysis
        index = analysis.index
        # The join hands one state's firsts and bystanders to each of its later edges:
        # their blocks share what is read of them (10,000 variants: 3,300 blocks)
        shared = self._shared_reads
        if not (shared is not None and shared[0] is firsts and shared[1] is bystanders
                and shared[2] == (len(firsts), len(bystanders))):
            shared = self._shared_reads = (firsts, bystanders,
                                           (len(firsts), len(bystanders)), {})
        if whole:
            block = Block(firsts, div, tie, bystanders, whole=True, filtered=shared[3])
            if self._validating_any:
                self._block_traps(firsts, seconds, div, tie, bystanders)
        else:
            if not tie and not self._classifiable(firsts, seconds, div, bystanders,
                                                  shared[3]):
                return False
            for pair in pairs:
                self.on_pair(pair, dominated=False)
            block = Block(firsts, div, tie, bystanders, filtered=shared[3])
        live = index.live
        for second in seconds:
            if live[second.index]:
                self.dominated[second.index].append(block)
                if second.methods is not None and block.shadows(index, second):
                    self.shadows[second.index].append(block)
        return True

    def _block_traps(self, firsts, seconds, div: int, tie: bool, bystanders: set) -> None:
        """What :meth:`on_pair` records of a whole block's pairs for RL110: the pairs of
        the firsts (not bystanders) that refuse values, by first route, in the same order."""
        validating = self.validating
        index = self.analysis.index
        for first in firsts:
            if validating[first.index] and first.index not in bystanders:
                for pair in route_pairs(index, (first,), seconds, div, tie, True):
                    self.traps[first.index].append(pair)

    def _classifiable(self, firsts, seconds, div: int, bystanders: set, reads: dict) -> bool:
        """True if classifying the pairs of the bystanders among ``firsts`` with
        ``seconds`` decides (routes of one pattern classify alike: one of each).
        ``reads``: what is read of these firsts and bystanders, shared by their blocks."""
        analysis = self.analysis
        live = analysis.index.live
        mine = reads.get("bystander patterns")
        if mine is None:  # once per state, not per later edge (10,000 variants: 5 x 10^7)
            mine = reads["bystander patterns"] = {
                _pattern(rule): rule for rule in firsts
                if rule.index in bystanders and live[rule.index]}
        theirs = {_pattern(rule): rule for rule in seconds if live[rule.index]}
        for first in mine.values():
            for second in theirs.values():
                key = (first.index, second.index, div)
                if key in self._decided:
                    continue
                try:
                    analysis.refines(first, second, div) or analysis.refines(second, first, div)
                except Undecidable:
                    return False
                self._decided.add(key)
        return True

    def on_copies(self, first, copies: list) -> None:
        """Record a group of copies of one route (walked as ``first`` alone)."""
        self.copies.append((first, copies))

    def on_slash(self, leaf, branch, twin: bool) -> None:
        """Record a leaf route and a branch route one trailing slash apart (RL107/RL108)."""
        key = (leaf.index, branch.index)
        if key not in self._slash_seen:
            self._slash_seen.add(key)
            self.slashes.append((leaf, branch, twin))


class LintRun:
    """What lint's rule checks share: the analysis, the collected pairs, ``strict``, and
    what earlier rules found that later ones must not repeat: ``duplicated`` (routes RL101
    reports as losing to a duplicate, set by RL101) and ``dead`` (rule index -> the declared
    methods it never answers, set by RL103). The registry runs the checks in code order,
    so both are set before they are read."""

    def __init__(self, analysis: Analysis, pairs: PairCollector, strict: bool) -> None:
        self.analysis = analysis
        self.pairs = pairs
        self.strict = strict
        self.duplicated: set[int] = set()
        self.dead: dict[int, set] = {}


def accepts(rule, segments, slashes=None) -> bool:
    """True if ``rule`` (or, given ``slashes``, its slash form) matches the segments and its
    converters accept the values."""
    from routecli.routing.werkzeug.converters import ValidationError
    from routecli.routing.werkzeug.explain import pattern_values

    values = pattern_values(rule, segments)
    if values is None and slashes is not None and slashes.has(rule):
        values = pattern_values(slashes.forms[rule.index], segments)
    if values is None:
        return False
    captured = dict(zip(rule.variables, values))
    for name, conv in rule.python_converters:
        try:
            conv.to_python(captured[name])
        except (ValidationError, ValueError):
            return False
        except Exception:  # noqa: BLE001 - a foreign converter's own failure
            return False
    return True

def catch_all(rule) -> bool:
    """True for a route ending in a ``path`` converter: it answers whole URL subtrees
    (a first-match dialect's entry says so itself: ``Entry.catch_all``)."""
    parts = getattr(rule, "parts", None)
    if parts is None:
        return bool(getattr(rule, "catch_all", False))
    return any(part.final for part in parts)


def url_for_only(rule) -> bool:
    """True for a route loaded from an app whose endpoint has no view function: it exists
    only so that url_for() can build it (``has_view`` is None when that is unknown)."""
    return getattr(getattr(rule, "route", None), "has_view", None) is False


def _sort_key(finding: Finding):
    """Findings in file, line, route and code order; the message breaks the last ties."""
    first = finding.routes[0] if finding.routes else None
    source = getattr(first, "source", None)
    file = getattr(source, "file", "") if source is not None else ""
    line = getattr(source, "line", 0) if source is not None else 0
    return (file or "", line or 0, first.index if first is not None else -1, finding.code,
            tuple(rule.index for rule in finding.routes), finding.message)


def rule_method(rule) -> str:
    """The method to ask about one route with: GET when it has it, else its first."""
    methods = rule.declared_methods
    if not methods or "GET" in methods:
        return "GET"
    return min(methods)
