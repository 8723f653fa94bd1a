"""Classifying overlapping pairs into findings, and running every check for ``lint``.

Every finding about an overlap carries a witness request built by :mod:`.witness` and
answered by the table itself; a finding whose witness does not behave as claimed is never
emitted, it is counted in ``Report.stats["model_disagreements"]`` instead.

A candidate witness that the app's own code fails on (a converter raising something other
than a ValidationError: Flask's 500, or the status of an ``abort()``; older tables raise a
RouteError) says nothing about routing: it is skipped and counted in
``stats["app_errors"]``, and the next candidate is tried. A finding left with no usable
witness for that reason is dropped and counted in ``stats["app_error_findings"]`` (not as a
model disagreement): lint reports what it can prove, and never dies on the app's code.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from routecli.analysis.automata import Undecidable
from routecli.analysis.findings import Finding, Report
from routecli.analysis.overlap import Index, Pair, SelfJoin, effective_methods, shared_methods
from routecli.analysis.reach import Reach
from routecli.analysis.slashes import Slashes
from routecli.analysis.witness import Witnesses
from routecli.routing.serialize import route_ref

# Methods that never make two same-pattern routes duplicates (Werkzeug 3.2's rule).
_IMPLICIT = frozenset({"HEAD", "OPTIONS"})
_METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# A method nobody declares, to ask about routes that accept every method.
_ANY_METHODS = ("BREW", "ROUTECLI", "XANY")
_MAX_LISTED = 50

RELATION_CODES = {
    "duplicate": "RL101",
    "tie": "RL102",
    "cover": "RL103",
    "specialisation": "RL104",
    "crossed": "RL105",
    "same-pattern": "RL106",
    "masked": "RL198",
}
_CONFLICT_SEVERITY = {"RL101": "error", "RL102": "warning", "RL103": "error", "RL104": "info",
                      "RL105": "warning", "RL106": "info", "RL198": "info"}


class Analysis:
    """One table under analysis: the trie index, witnesses and debug counters."""

    def __init__(self, table) -> None:
        self.table = table
        self.index = Index(table)
        self.langs = self.index.langs
        self.stats: Counter = Counter()
        self.witnesses = Witnesses(table, self.langs, self.index.trail, self.stats)
        self.slashes = Slashes(self.index)
        self.unverified: list[Finding] = []
        self._seen_unverified: set = set()

    # -- the join -----------------------------------------------------------------------------

    def join(self, on_pair, on_slash=None) -> SelfJoin:
        """Every overlapping pair to ``on_pair``: the patterns' self-join, then (only when
        some route has strict_slashes off) the pairs that slash forms add."""
        slashes = self.slashes
        if not slashes.active:
            join = SelfJoin(self.index, on_pair, on_slash, self.note_unverified)
            join.run()
            return join
        seen: set = set()
        forms = slashes.forms

        def collect(pair: Pair) -> None:
            a, b = pair.first.index, pair.second.index
            if a in forms or b in forms:
                seen.add((a, b) if a < b else (b, a))
            on_pair(pair)

        join = SelfJoin(self.index, collect, on_slash, self.note_unverified)
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
        methods = self.index.methods
        if methods[pair.first.index] is None or methods[pair.second.index] is None:
            return True
        return bool(pair.methods - _IMPLICIT)

    def refines(self, first, second, start: int) -> bool:
        """True if every URL ``first`` matches from part ``start`` on, ``second`` matches."""
        langs = self.langs
        a, b = first.parts, second.parts
        for pos in range(start, min(len(a), len(b))):
            if a[pos].final or b[pos].final:
                return langs.rest_subset(first, second, pos)
            if not langs.subset(a[pos], b[pos]):
                return False
        return len(a) == len(b)

    # -- witnesses ----------------------------------------------------------------------------

    def pair_witness(self, pair: Pair, method: str | None = None, reject: bool = False):
        """(checked witness, verified) for a pair: verified when the table answers it with
        ``pair.first`` (for ``reject``: ``first`` captured it and refused it)."""
        first, second = pair.first, pair.second
        method = method or pick_method(pair.methods)
        witnesses = self.witnesses
        slashes = self.slashes
        fallback = None
        for form_first, form_second in pair.forms or ((first, second),):
            for values in witnesses.pair_values(form_first, form_second, reject=reject):
                request = witnesses.request(values, method, first.websocket)
                if request is None:
                    continue
                checked = witnesses.answer(request)
                if checked is None:
                    continue  # the app's own code failed on it (counted as an app error)
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
        """An RL199 finding for a question the automata could not decide."""
        first, second = rules[0], others[0]
        key = (first.index, second.index)
        if key in self._seen_unverified:
            return
        self._seen_unverified.add(key)
        self.stats["unverified"] += 1
        count = len(rules) * len(others)
        more = f" ({count} route pairs below these transitions)" if count > 1 else ""
        self.unverified.append(Finding(
            "RL199", "info",
            f"could not decide whether {label(first)} and {label(second)} overlap: "
            f"{reason}{more}",
            [first, second], details={"reason": reason, "pairs": count}, kind="unverified"))

    # -- conflicts ----------------------------------------------------------------------------

    def conflicts(self) -> Report:
        """Every overlapping pair, classified, each with a verified witness."""
        pairs: list[Pair] = []
        self.join(pairs.append)
        self.stats["pairs"] = len(pairs)
        findings = []
        for pair in pairs:
            try:
                relation = self.relation(pair)
            except Undecidable as exc:
                self.note_unverified([pair.first], [pair.second], str(exc))
                continue
            finding = self.pair_finding(pair, relation, listing=True)
            if finding is not None:
                findings.append(finding)
        return self.report(findings + self.unverified)

    def pair_finding(self, pair: Pair, relation: str, listing: bool = False,
                     strict: bool = False) -> Finding | None:
        """The finding for one classified pair, or None when no witness verifies it (for
        ``listing``, a masked pair becomes RL198)."""
        failures = self.stats["app_errors"]
        checked, verified = self.pair_witness(pair)
        if checked is None:
            self._unproven(failures)
            return None
        first, second = pair.first, pair.second
        answered = checked.result.endpoint
        details = {"relation": relation, "first": route_ref(first)}
        if not verified:
            self.stats["masked"] += 1
            if not listing:
                return None
            other = checked.raw or checked.result.rule
            details["masked_by"] = route_ref(other) if other is not None else None
            message = (f"{label(second)} and {label(first)} overlap ({relation}) only on URLs "
                       f"that {label(other) if other is not None else 'no route'} answers "
                       f"first, e.g. {show(checked.witness)}")
            message += self._slash_note(pair, checked, details)
            return Finding("RL198", "info", message, [second, first], checked.witness, answered,
                           details, "masked")
        code = RELATION_CODES[relation]
        severity = _CONFLICT_SEVERITY[code]
        if code == "RL102" and strict:
            severity = "error"
        witness = checked.witness
        if relation == "duplicate":
            same = first.endpoint == second.endpoint
            methods = methods_text(pair.methods, drop_implicit=True)
            if url_for_only(second):
                # Flask's pattern (the tutorial's `add_url_rule("/", endpoint="index")`): a
                # rule without a view function exists so that url_for() can build it.
                severity = "info"
                details["url_for_only"] = True
                message = (f"duplicate of {label(first)} ({where(first, second)}), which answers "
                           f"{methods} first; endpoint {second.endpoint!r} has no view function, "
                           f"so this route only serves url_for({second.endpoint!r})")
            else:
                message = (f"{'redundant ' if same else ''}duplicate of {label(first)} "
                           f"({where(first, second)}): both answer {methods} on the same "
                           f"pattern; the first registered wins, so this route never answers "
                           f"{'them' if ',' in methods or methods == 'every method' else 'it'}")
                if self.slashes.has(second) and not self.slashes.has(first):
                    url = witness.url[:-1] if second.is_branch else witness.url + "/"
                    toggled = self.witnesses.ask(witness.method, url, witness.host)
                    if toggled is not None and toggled.rule is second:
                        message += (f" as written (strict_slashes is off: it still answers "
                                    f"{show(witness._replace(url=url))})")
                        details["still_answers"] = url
                if url_for_only(first):
                    message += (f", and endpoint {first.endpoint!r} has no view function: "
                                f"Flask answers {show(witness)} with a 500")
        elif relation == "same-pattern":
            message = (f"same pattern as {label(first)} ({where(first, second)}), which answers "
                       f"{methods_text(pair.methods)} first")
        elif relation == "tie":
            message = (f"ties with {label(first)} ({where(first, second)}) at {position(pair.div)}: "
                       f"{show(witness)} goes to {first.endpoint!r} only because its "
                       f"transition was created first")
            creator = self.creator(first, pair.div)
            if creator is not None and creator is not first and creator is not second:
                message += (f", by the unrelated route {label(creator)} ({where(creator, second)}; "
                            f"werkzeug#3156)")
            details["after_reorder"] = second.endpoint
        elif relation == "cover":
            message = (f"covered by {label(first)} ({where(first, second)}): every URL of this route "
                       f"matches it too and it is tried first, e.g. {show(witness)}")
        elif relation == "specialisation":
            message = (f"{label(first)} ({where(first, second)}) specialises this route: it answers "
                       f"{show(witness)} first")
        else:
            message = (f"crossed overlap with {label(first)} ({where(first, second)}): both match "
                       f"{show(witness)}, which goes to {first.endpoint!r}, and neither route "
                       f"is narrower than the other")
        message += self._slash_note(pair, checked, details)
        return Finding(code, severity, message, [second, first], witness, answered, details,
                       relation)

    def _slash_note(self, pair: Pair, checked, details: dict) -> str:
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

    # -- lint ---------------------------------------------------------------------------------

    def lint(self, strict: bool = False) -> Report:
        """Every check; RL104 stays silent."""
        from routecli.analysis.pairless import single_rule_findings

        sink = _LintSink(self)
        join = self.join(sink.on_pair, sink.on_slash)
        self.stats["state_pairs"] = join.state_pairs
        findings: list[Finding] = []
        duplicated: set[int] = set()  # the routes RL101 reports as losing to a duplicate
        for pair in sink.duplicates:
            finding = self.pair_finding(pair, "duplicate")
            if finding is not None:
                findings.append(finding)
                duplicated.add(pair.second.index)
        dead = self._unreachable(sink, findings, duplicated)
        for pair in sink.ordered:
            relation = "tie" if pair.tie else "crossed"
            finding = self.pair_finding(pair, relation, strict=strict)
            if finding is not None:
                findings.append(finding)
        findings += self._traps(sink, dead)
        findings += self._shadows(sink, dead)
        findings += self._slashes(sink)
        findings += single_rule_findings(self)
        return self.report(findings + self.unverified)

    def _unreachable(self, sink, findings: list, duplicated: set) -> dict:
        """RL103; returns rule index -> the set of declared methods it never answers.

        ``duplicated`` holds the routes RL101 reported. For such a route, a method lost
        only to routes it duplicates (same pattern, shared method) is RL101's news ("this
        route never answers it"), so RL103 stays silent about it; it reports the route when
        some other route takes part of it too (then, for a route dead for every method,
        with all of them). A route without a view function (``has_view`` False) exists for
        url_for and is never reported."""
        reach = Reach(self)
        rules = self.table.rules
        dead_methods: dict[int, set] = {}
        for index in sorted(sink.dominated):
            rule = rules[index]
            pairs = sink.dominated[index]
            checks = _methods_to_check(rule, self.table)
            dead: dict[str, list] = {}
            for method in checks:
                if rule.methods is None:
                    doms = _unique(p.first for p in pairs if p.methods is None)
                else:
                    doms = _unique(p.first for p in pairs
                                   if p.methods is None or method in p.methods)
                if not doms or reach.answered(rule, method) is not None:
                    continue
                if not self._covered(reach, rule, method, doms, sink.twins.get(index, ())):
                    continue
                dead[method] = doms
            if not dead:
                continue
            dead_methods[index] = set(dead)
            if url_for_only(rule):
                self.stats["url_for_only"] += 1
                continue
            unexplained = set(dead)
            if index in duplicated:
                same = {p.first.index for p in pairs
                        if p.div is None and self.is_duplicate(p)}
                unexplained = {m for m, doms in dead.items()
                               if any(d.index not in same for d in doms)}
                if not unexplained:
                    continue
            whole = len(dead) == len(checks)
            if not whole:
                dead = {m: d for m, d in dead.items() if m in unexplained}
            finding = self._unreachable_finding(rule, dead, whole, unexplained)
            if finding is not None:
                findings.append(finding)
        return dead_methods

    def _covered(self, reach, rule, method: str, doms: list, twins) -> bool:
        """True if the dominators take every URL of the route for ``method``: those of its
        pattern and, with strict_slashes off, those of its slash form (which twin routes
        take too). False when some URL escapes or the question is undecided (RL199)."""
        slashes = self.slashes
        forms = slashes.forms_of(rule)
        for form in forms:
            if not slashes.active:
                candidates = doms
            else:
                others = list(doms)
                if form is not rule:
                    others += _unique(p.first for p in twins if p.methods is None or (
                        rule.methods is not None and method in p.methods))
                candidates = [g for d in others for g in slashes.forms_of(d)
                              if _aligned(form, g)]
            try:
                escape = reach.uncovered(form, candidates)
            except Undecidable as exc:
                what = "reachability" if form is rule else (
                    "reachability of its slash form (strict_slashes is off)")
                self.note_unverified([rule], doms, f"{what}: {exc}")
                return False
            if escape is None:
                continue
            request = self.witnesses.request(escape, method, rule.websocket)
            checked = self.witnesses.answer(request) if request is not None else None
            if request is not None and checked is None:
                pass  # the app's code failed on the escape: counted, nothing claimed
            elif checked is not None and checked.result.redirect == "slash":
                # A branch route's slash redirect got there first: slash captures
                # are RL108's business, not part of the dominator model.
                self.stats["slash_interference"] += 1
            elif checked is None or checked.result.rule is not rule:
                self.stats["model_disagreements"] += 1
            return False
        return True

    def _unreachable_finding(self, rule, dead: dict, whole: bool,
                             prefer: set) -> Finding | None:
        """The RL103 finding; its witness uses a method of ``prefer`` (one not explained by
        a duplicate), so the message names the routes that matter."""
        method = (pick_method(frozenset(prefer)) if rule.methods is not None
                  else next(iter(prefer)))
        doms = dead[method]
        failures = self.stats["app_errors"]
        witnesses = self.witnesses
        found = None
        for checked in witnesses.answers(witnesses.rule_values(rule), method, rule.websocket):
            if not witnesses.matches(checked, rule):
                self.stats["model_disagreements"] += 1
                continue
            if checked.result.rule is rule and checked.result.status in (200, 308):
                self.stats["model_disagreements"] += 1
                return None
            # The route shown next to this one matches the witness too (docs/lint.md#findings): the
            # dominator answering it, else one that matches it (the answer may be another
            # route's slash redirect); a witness some dominator answers is preferred.
            answering = checked.raw or checked.result.rule
            matching = [d for d in doms if self.slashes.matches(d, checked.segments)]
            if answering in matching:
                found = (checked, answering)
                break
            if found is None and matching:
                found = (checked, matching[0])
        if found is not None:
            checked, shown = found
            names = ", ".join(label(d) for d in doms[:3]) + (
                f" and {len(doms) - 3} more" if len(doms) > 3 else "")
            if whole:
                what = "never answers any request" if rule.methods is None or len(dead) > 1 \
                    else "never answers a request"
                message = (f"unreachable: this route {what}; {names} "
                           f"{'takes' if len(doms) == 1 else 'take'} every URL it matches, "
                           f"e.g. {show(checked.witness)}")
            else:
                message = (f"unreachable for {methods_text(frozenset(dead))}: {names} "
                           f"{'takes' if len(doms) == 1 else 'take'} every URL it matches "
                           f"for {'that method' if len(dead) == 1 else 'those methods'}, e.g. "
                           f"{show(checked.witness)}")
            details = {"methods": sorted(dead),
                       "dominators": [route_ref(d) for d in doms[:_MAX_LISTED]],
                       "dominator_count": len(doms)}
            return Finding("RL103", "error", message, [rule, shown], checked.witness,
                           checked.result.endpoint, details, "unreachable")
        self._unproven(failures)
        return None

    def _unproven(self, failures_before: int) -> None:
        """Count a finding left without a witness: an app error when the app's code failed
        on some candidate since ``failures_before``, else a model disagreement."""
        if self.stats["app_errors"] > failures_before:
            self.stats["app_error_findings"] += 1
        else:
            self.stats["model_disagreements"] += 1

    def _traps(self, sink, dead: dict) -> list[Finding]:
        """RL110, one finding per capturing route."""
        out = []
        for index in sorted(sink.traps):
            pairs = sorted(sink.traps[index], key=lambda p: p.second.index)
            first = pairs[0].first
            found = None
            victims = []
            fatal = False
            for pair in pairs:
                method = pick_method(pair.methods)
                checked, verified = self.pair_witness(pair, method, reject=True)
                if verified:
                    victims.append(pair.second)
                    fatal = fatal or method in dead.get(pair.second.index, ())
                    if found is None:
                        found = (pair, checked)
            if found is None:
                continue
            pair, checked = found
            victim = pair.second
            refused = ", ".join(sorted({c.spec for c in first.converters.values()
                                        if c.validates}))
            more = f" (and {len(victims) - 1} more routes)" if len(victims) > 1 else ""
            message = (f"validation trap: this route captures URLs that {label(victim)} "
                       f"({where(victim, first)}){more} would answer, then {refused} refuses them: "
                       f"{show(checked.witness)} gets a {checked.result.status}")
            details = {"victims": [route_ref(v) for v in victims[:_MAX_LISTED]],
                       "victim_count": len(victims)}
            out.append(Finding("RL110", "error" if fatal else "warning", message,
                               [first, victim], checked.witness, checked.result.endpoint,
                               details, "validation-trap"))
        return out

    def _shadows(self, sink, dead: dict) -> list[Finding]:
        """RL106, one finding per losing route."""
        out = []
        methods = self.index.methods
        for index in sorted(sink.shadows):
            loser = self.table.rules[index]
            gone = dead.get(index, set())
            candidates = []
            for pair in sorted(sink.shadows[index], key=lambda p: p.first.index):
                lost = {m for m in pair.methods if m not in gone}
                if not lost or (lost <= {"HEAD"} and "HEAD" not in _declared(loser)
                                and "GET" in gone):
                    continue
                candidates.append((pair, lost))
            for pair, lost in candidates:
                method = pick_method(frozenset(lost))
                checked, verified = self.pair_witness(pair, method)
                if not verified:
                    continue
                kept = sorted(methods[index] - (methods[pair.first.index] or frozenset()),
                              key=_method_rank)
                answered = None
                for other in kept:
                    result = self.witnesses.ask(other, checked.witness.url, checked.witness.host)
                    if result is not None and result.rule is loser:
                        answered = other
                        break
                if answered is None:
                    continue
                winner = pair.first
                more = (f" (likewise with {len(candidates) - 1} more routes)"
                        if len(candidates) > 1 else "")
                message = (f"method shadow: {label(winner)} ({where(winner, loser)}) takes "
                           f"{methods_text(frozenset(lost))} of URLs like "
                           f"{show(checked.witness)}, while this route still answers "
                           f"{answered} there{more}")
                details = {"lost": sorted(lost), "kept": kept, "winners": [
                    route_ref(p.first) for p, _ in candidates[:_MAX_LISTED]],
                    "winner_count": len(candidates)}
                out.append(Finding("RL106", "warning", message, [loser, winner],
                                   checked.witness, checked.result.endpoint, details,
                                   "method-shadow"))
                break
        return out

    def _slashes(self, sink) -> list[Finding]:
        """RL107 slash twins (one per pair) and RL108 slash captures (one per leaf route)."""
        out = []
        captures: dict[int, list] = defaultdict(list)
        for leaf, branch, twin in sink.slashes:
            if twin:
                found = self._slash_witness(leaf, branch, True)
                if found is None:
                    continue
                witness = found.witness
                same = leaf.endpoint == branch.endpoint
                message = (f"slash twins: {show(witness)} goes to this route and "
                           f"{_add_slash(witness.url)} to {label(branch)} ({where(branch, leaf)})")
                out.append(Finding("RL107", "info" if same else "warning", message,
                                   [leaf, branch], witness, found.result.endpoint,
                                   {"twin_url": _add_slash(witness.url)}, "slash-twins"))
            else:
                captures[leaf.index].append(branch)
        for index in sorted(captures):
            leaf = self.table.rules[index]
            branches = sorted(captures[index], key=lambda rule: rule.index)
            for branch in branches:
                found = self._slash_witness(leaf, branch, False)
                if found is None:
                    continue
                how = ("redirects it to add a slash" if found.result.status == 308
                       else "answers it (strict_slashes is off)")
                more = (f" (and {len(branches) - 1} more branch routes take other URLs of it)"
                        if len(branches) > 1 else "")
                message = (f"slash capture: this route matches {show(found.witness)}, but the "
                           f"branch route {label(branch)} ({where(branch, leaf)}) {how}{more}")
                details = {"status": found.result.status, "branch_count": len(branches),
                           "branches": [route_ref(b) for b in branches[:_MAX_LISTED]]}
                out.append(Finding("RL108", "warning", message, [leaf, branch], found.witness,
                                   found.result.endpoint, details, "slash-capture"))
                break
        return out

    def _slash_witness(self, leaf, branch, twin: bool):
        """A checked request for the leaf's URL that shows the slash relation, or None."""
        witnesses = self.witnesses
        methods = self.index.methods
        shared = shared_methods(methods[leaf.index], methods[branch.index])
        if shared is not None and not shared:
            return None
        method = pick_method(shared)
        first, second = (leaf, branch) if twin else (branch, leaf)
        for values in witnesses.pair_values(first, second):
            if values[-1].endswith("/") and any(part.final for part in leaf.parts):
                # a tail value built with the branch's slash: the leaf URL is without it
                values = [*values[:-1], values[-1][:-1]]
            request = witnesses.request(values, method, leaf.websocket)
            if request is None:
                continue
            checked = witnesses.answer(request)
            if checked is None:
                continue
            if not witnesses.matches(checked, leaf):
                self.stats["model_disagreements"] += 1
                continue
            result = checked.result
            if twin:
                slashed = witnesses.ask(method, _add_slash(request.url), request.host)
                if (result.rule is leaf and result.status == 200 and slashed is not None
                        and slashed.rule is branch):
                    return checked
            elif result.rule is branch:
                return checked
        self.stats["masked"] += 1
        return None

    def report(self, findings: list[Finding]) -> Report:
        findings.sort(key=_sort_key)
        stats = {"model_disagreements": 0, **self.stats}
        return Report(findings, len(self.table.rules), stats)


class _LintSink:
    """Collects what lint needs from the join without keeping silent pairs around."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.validating = [any(c.validates for c in rule.converters.values())
                           for rule in analysis.table.rules]
        self.methods = analysis.index.methods
        self.dominated: dict[int, list[Pair]] = defaultdict(list)
        self.duplicates: list[Pair] = []
        self.ordered: list[Pair] = []  # ties and crossed pairs
        self.traps: dict[int, list[Pair]] = defaultdict(list)
        self.shadows: dict[int, list[Pair]] = defaultdict(list)
        self.slashes: list[tuple] = []
        self._slash_seen: set = set()
        # rule index -> twin routes that take its slash form's URLs (never its pattern's)
        self.twins: dict[int, list[Pair]] = defaultdict(list)
        self._forms = analysis.slashes.forms

    def on_pair(self, pair: Pair) -> None:
        first, second = pair.first, pair.second
        analysis = self.analysis
        if pair.twin:
            for rule, other in ((first, second), (second, first)):
                if rule.index in self._forms:
                    self.twins[rule.index].append(pair._replace(first=other, second=rule))
        else:
            self.dominated[second.index].append(pair)
        if pair.div is None:
            if analysis.is_duplicate(pair):
                self.duplicates.append(pair)
        elif pair.tie:
            self.ordered.append(pair)
        elif pair.twin:
            pass  # each answers its own pattern's URLs: a specialisation
        else:
            try:
                if self._forms and (first.index in self._forms or second.index in self._forms):
                    crossed = analysis.relation(pair) == "crossed"
                else:
                    crossed = not (analysis.refines(first, second, pair.div)
                                   or analysis.refines(second, first, pair.div))
            except Undecidable as exc:
                analysis.note_unverified([first], [second], str(exc))
                return
            if crossed:
                self.ordered.append(pair)
        if self.validating[first.index]:
            self.traps[first.index].append(pair)
        if pair.div is not None and second.methods is not None:
            mine, theirs = self.methods[second.index], self.methods[first.index]
            if theirs is not None and mine - theirs:
                self.shadows[second.index].append(pair)

    def on_slash(self, leaf, branch, twin: bool) -> None:
        key = (leaf.index, branch.index)
        if key not in self._slash_seen:
            self._slash_seen.add(key)
            self.slashes.append((leaf, branch, twin))


# -- helpers -----------------------------------------------------------------------------------


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


def pick_method(methods: frozenset | None) -> str:
    """The method a witness uses: GET when shared, else the most common one."""
    if methods is None:
        return "GET"
    return min(methods, key=_method_rank)


def _method_rank(method: str):
    return (_METHOD_ORDER.index(method) if method in _METHOD_ORDER else len(_METHOD_ORDER),
            method)


def methods_text(methods: frozenset | None, drop_implicit: bool = False) -> str:
    if methods is None:
        return "every method"
    shown = set(methods) - (_IMPLICIT if drop_implicit else set())
    return ", ".join(sorted(shown or methods, key=_method_rank))


def _declared(rule) -> set:
    return set(rule.declared_methods or ())


def _methods_to_check(rule, table) -> list[str]:
    """The methods whose reachability RL103 decides for a rule."""
    if rule.methods is None:
        return [_unused_method(table)]
    declared = _declared(rule)
    if rule.automatic_options:
        declared.discard("OPTIONS")
    methods = effective_methods(rule) or frozenset()
    return sorted((m for m in declared if m in methods), key=_method_rank)


def _unused_method(table) -> str:
    """A method no route declares: what a route accepting every method answers alone."""
    used = {m for rule in table.rules if rule.methods for m in rule.methods}
    return next(m for m in _ANY_METHODS if m not in used)


def _aligned(form, other) -> bool:
    """True if ``other`` can share a URL with ``form`` part by part: the same number of
    parts, or both reaching the first slash-spanning part either has."""
    tails = [pos for f in (form, other) for pos, part in enumerate(f.parts) if part.final]
    if not tails:
        return len(form.parts) == len(other.parts)
    first = min(tails)
    return len(form.parts) > first and len(other.parts) > first


def _unique(rules) -> list:
    seen, out = set(), []
    for rule in rules:
        if rule.index not in seen:
            seen.add(rule.index)
            out.append(rule)
    return out


def url_for_only(rule) -> bool:
    """True for a route loaded from an app whose endpoint has no view function: it exists
    only so that url_for() can build it (``has_view`` is None when that is unknown)."""
    return getattr(getattr(rule, "route", None), "has_view", None) is False


def label(rule) -> str:
    """A rule as messages show it: its pattern, with its host when it has one."""
    if rule.domain:
        return f"`{rule.rule}` (host {rule.domain})"
    return f"`{rule.rule}`"


def where(rule, subject=None) -> str:
    """Where a route was defined: "line N" in the subject's own file, "file:line" in
    another, else its position in the table."""
    source = rule.source
    line = getattr(source, "line", None)
    if source is None or not line:
        return f"route #{rule.index + 1}"
    if subject is not None and getattr(subject.source, "file", None) == source.file:
        return f"line {line}"
    return str(source)


def position(div: int) -> str:
    return "the host" if div == 0 else f"segment {div - 1}"


def show(witness) -> str:
    text = f"{witness.method} {witness.url}"
    if witness.host and "://" not in witness.url:
        text += f" (host {witness.host})"
    return text


def _add_slash(url: str) -> str:
    return url + "/"


def _sort_key(finding: Finding):
    first = finding.routes[0] if finding.routes else None
    source = getattr(first, "source", None)
    file = getattr(source, "file", "") if source is not None else ""
    line = getattr(source, "line", 0) if source is not None else 0
    return (file or "", line or 0, first.index if first is not None else -1, finding.code,
            tuple(rule.index for rule in finding.routes), finding.message)
