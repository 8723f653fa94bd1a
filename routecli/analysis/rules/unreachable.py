"""Routes that never answer: RL103 unreachable (other routes take every URL of it, for
some or all of its methods) and RL118 never-matches (the table's settings or the route's
own converters leave it no request)."""

from __future__ import annotations

from routecli.analysis.blocks import Block, Dominators, any_dominator, shares_method
from routecli.analysis.engine import BystanderEntries, url_for_only
from routecli.analysis.findings import Finding
from routecli.analysis.messages import (
    MAX_LISTED,
    label,
    method_rank,
    methods_text,
    pick_method,
    show,
    where,
)
from routecli.analysis.pairs import effective_methods
from routecli.analysis.reachability import Reach
from routecli.analysis.rule import Rule
from routecli.analysis.rules import duplicates
from routecli.automata import Undecidable
from routecli.routing.serialize import route_ref

UNREACHABLE = Rule(
    "RL103", "unreachable", "error",
    "A route never answers a request, or never answers one of its methods.",
    "For each declared method of a route, decides exactly whether some URL it accepts "
    "(its converters' validation included) is answered by it. The test is against the "
    "union of every route tried before it on a common URL for that method, including "
    "routes that capture a URL and then refuse it in a converter (Werkzeug does not "
    "fall through after a validation error) and leaving out routes that lack the "
    "method (Werkzeug does fall through on a method mismatch). The finding names the "
    "dominating routes. A method lost to a route the route duplicates (RL101 reports "
    "it) is not reported again, even when other routes take part of it too; a route "
    "dead for every method is still reported as a whole when some method is lost "
    "to other routes only. Routes accepting every method "
    "are reported only when dead for every method. A route from a Flask app whose "
    "endpoint has no view function exists only for `url_for` and is never reported. "
    "A route with strict_slashes off also answers its URLs with the trailing slash "
    "toggled (a leaf `/a` answers `/a/`, a branch `/a/` answers `/a`): it is unreachable "
    "only when those are taken too, by the same dominators or by its slash twin; an "
    "undecided question is reported as RL199 rather than guessed.",
    "Dead routes are dead code that looks alive: tests that call the view directly pass "
    "while no request ever reaches it.",
    "- rule: /u/<y>\n  endpoint: user\n"
    "- rule: /u/<uuid:x>\n  endpoint: by_uuid     # every uuid is taken by /u/<y>",
    "Remove the route, or make the routes that dominate it narrower (or register it "
    "first when they tie).",
    reads=(duplicates.DUPLICATE,),  # run.duplicated: the routes RL101 reported
)


# A method nobody declares, to ask about routes that accept every method.
_ANY_METHODS = ("BREW", "ROUTECLI", "XANY")


@UNREACHABLE.checks
def check(run) -> list:
    """RL103; records in ``run.dead`` rule index -> the declared methods it never answers.

    ``run.duplicated`` holds the routes RL101 reported. For such a route, a method lost
    to a route it duplicates (same pattern, shared method) is RL101's news ("this route
    never answers it"), so RL103 stays silent about it even when other routes take some
    of its URLs first (they would take them from the duplicate too); it reports a route
    dead for every method, with all of them, when some method is lost to other routes
    only. A route without a view function (``has_view`` False) exists for
    url_for and is never reported."""
    analysis = run.analysis
    sink = run.pairs
    findings: list = []
    reach = Reach(analysis)
    rules = analysis.table.rules
    dead_methods = run.dead
    shared: dict = {}  # bystanders' dominators, see _dominators
    for index in sorted(sink.dominated):
        rule = rules[index]
        pairs = sink.dominated[index]
        checks = _methods_to_check(rule, analysis.table)
        if _lost_to_duplicates(run, rule, checks):
            if checks:
                dead_methods[index] = set(checks)
                if url_for_only(rule):
                    analysis.stats["url_for_only"] += 1
            continue
        dead: dict[str, list] = {}
        takers = sink.bystander_takers.get(index)
        for method in checks:
            asked = None if rule.methods is None else method
            entries = sink.dominating(rule, asked)
            # the witness first, the dominators only for a route it does not reach: a
            # catch-all's entries number tens of thousands
            if not any_dominator(analysis.index, rule, asked, entries) or (
                    reach.answered(rule, method) is not None):
                continue
            doms = _dominators(analysis.index, rule, asked, entries, shared)
            # a bystander's taker of the method is among them: it takes every URL of the
            # route (same pattern, tried first), no need to ask which escape
            taker = None if takers is None else takers.get(asked)
            if not (taker is not None and taker in doms) and not _covered(
                    analysis, reach, rule, method, doms, sink.twins.get(index, ())):
                continue
            dead[method] = doms
        if not dead:
            continue
        dead_methods[index] = set(dead)
        if url_for_only(rule):
            analysis.stats["url_for_only"] += 1
            continue
        unexplained = set(dead)
        if index in run.duplicated:
            same = {p.first.index for p in pairs
                    if p.div is None and analysis.is_duplicate(p)}
            # A duplicate ahead of the route (same pattern, the method shared) takes every
            # URL of it for that method that no other route takes first: the method is
            # dead because of the duplicate, whatever else takes part of it.
            unexplained = {m for m, doms in dead.items()
                           if all(d.index not in same for d in doms)}
            if not unexplained:
                continue
        whole = len(dead) == len(checks)
        if not whole:
            dead = {m: d for m, d in dead.items() if m in unexplained}
        finding = _unreachable_finding(analysis, rule, dead, whole, unexplained)
        if finding is not None:
            findings.append(finding)
    return findings

def _dominators(index, rule, method: str | None, entries, shared: dict) -> Dominators:
    """The route's :class:`Dominators` for ``method``. The bystanders of one state with
    the same dominators on it (their taker, mostly) and one taker across states have the
    same list: made once (the dominators depend on the route only through its websocket
    flag), not once per bystander -- 10,000 of them behind 10,000 static routes."""
    if not isinstance(entries, BystanderEntries):
        return Dominators(index, rule, method, entries)
    own = tuple(id(entry) if isinstance(entry, Block) else entry.first.index
                for entry in entries.own
                if isinstance(entry, Block) or shares_method(entry, method))
    key = (rule.websocket, method, id(entries.across), own)
    found = shared.get(key)
    if found is None:
        found = shared[key] = Dominators(index, rule, method, entries)
    return found


def _lost_to_duplicates(run, rule, checks: list) -> bool:
    """True for a bystander (a route whose state's earlier routes take each of its
    methods) that RL101 reports and whose taker of every checked method duplicates it:
    that taker takes every URL of the route for the method (same pattern, tried first),
    so the route is dead for each, all of it RL101's news -- decided without listing its
    dominators, which for 10,000 variants of one route behind 10,000 static routes would
    be 10^8 entries."""
    takers = run.pairs.bystander_takers.get(rule.index)
    if takers is None or rule.index not in run.duplicated:
        return False
    analysis = run.analysis
    same = {pair.first.index for pair in run.pairs.dominated[rule.index]
            if pair.div is None and analysis.is_duplicate(pair)}
    for method in checks:
        taker = takers.get(None if rule.methods is None else method)
        if taker is None or taker.index not in same:
            return False
    return True


def _covered(analysis, reach, rule, method: str, doms: list, twins) -> bool:
    """True if the dominators take every URL of the route for ``method``: those of its
    pattern and, with strict_slashes off, those of its slash form (which twin routes
    take too). False when some URL escapes or the question is undecided (RL199)."""
    slashes = analysis.slashes
    forms = slashes.forms_of(rule)
    for form in forms:
        weights = None
        if not slashes.active:
            candidates, weights = doms.for_reach()
        else:
            others = list(doms)
            if form is not rule:
                others += _unique(p.first for p in twins if p.methods is None or (
                    rule.methods is not None and method in p.methods))
            candidates = [g for d in others for g in slashes.forms_of(d)
                          if _aligned(form, g)]
        try:
            escape = reach.uncovered(form, candidates, weights=weights)
        except Undecidable as exc:
            what = "reachability" if form is rule else (
                "reachability of its slash form (strict_slashes is off)")
            analysis.note_unverified([rule], doms, f"{what}: {exc}")
            return False
        if escape is None:
            continue
        request = analysis.witnesses.request(escape, method, rule.websocket)
        checked = analysis.witnesses.answer(request) if request is not None else None
        if request is not None and checked is None:
            pass  # the app's code failed on the escape: counted, nothing claimed
        elif checked is not None and checked.result.redirect == "slash":
            # A branch route's slash redirect got there first: slash captures
            # are RL108's business, not part of the dominator model.
            analysis.stats["slash_interference"] += 1
        elif checked is None or checked.result.rule is not rule:
            analysis.stats["model_disagreements"] += 1
        return False
    return True

def _unreachable_finding(analysis, rule, dead: dict, whole: bool,
                         prefer: set) -> Finding | None:
    """The RL103 finding; its witness uses a method of ``prefer`` (one not explained by
    a duplicate), so the message names the routes that matter."""
    method = (pick_method(frozenset(prefer)) if rule.methods is not None
              else next(iter(prefer)))
    doms = dead[method]
    failures = analysis.stats["app_errors"]
    witnesses = analysis.witnesses
    found = None
    for checked in witnesses.answers(witnesses.rule_values(rule), method, rule.websocket):
        if not witnesses.matches(checked, rule):
            analysis.stats["model_disagreements"] += 1
            continue
        if checked.result.rule is rule and checked.result.status in (200, 308):
            analysis.stats["model_disagreements"] += 1
            return None
        # The route shown next to this one matches the witness too (docs/lint.md#findings): the
        # dominator answering it, else one that matches it (the answer may be another
        # route's slash redirect); a witness some dominator answers is preferred.
        answering = checked.raw or checked.result.rule
        slashes = analysis.slashes
        if answering in doms and slashes.matches(answering, checked.segments):
            found = (checked, answering)
            break
        if found is None:
            matching = next((d for d in doms if slashes.matches(d, checked.segments)), None)
            if matching is not None:
                found = (checked, matching)
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
                   "dominators": [route_ref(d) for d in doms[:MAX_LISTED]],
                   "dominator_count": len(doms)}
        return Finding(UNREACHABLE.code, UNREACHABLE.severity, message, [rule, shown],
                       checked.witness,
                       checked.result.endpoint, details, "unreachable")
    analysis.unproven(failures)
    return None


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
    return sorted((m for m in declared if m in methods), key=method_rank)


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


@UNREACHABLE.describes_pairs
def describe_cover(analysis, pair, checked, details: dict, strict: bool) -> tuple[str, str]:
    """``conflicts``' wording of a pair where the route tried first covers the other."""
    first, second = pair.first, pair.second
    return UNREACHABLE.severity, (
        f"covered by {label(first)} ({where(first, second)}): every URL of this route "
        f"matches it too and it is tried first, e.g. {show(checked.witness)}")


NEVER_MATCHES = Rule(
    "RL118", "never-matches", "error",
    "A route that no request can ever reach.",
    "Reports routes without a host when `host_matching` is on, subdomain routes while "
    "no `server_name` is set (every request then has the default subdomain), routes "
    "with no method at all (`methods: []` and no automatic OPTIONS), and converters "
    "whose min/max/fixed_digits admit no value.",
    "Dead routes hide configuration mistakes.",
    "- rule: /\n  subdomain: api        # with no server_name",
    "Fix the settings (server_name, host) or the route.",
)


@NEVER_MATCHES.checks
def check_never_matches(run) -> list:
    """RL118 for every route the index found no request for."""
    analysis = run.analysis
    out = []
    for rule in analysis.table.rules:
        reason = analysis.index.never.get(rule.index)
        if reason is not None:
            out.append(Finding(NEVER_MATCHES.code, NEVER_MATCHES.severity,
                               f"never matches: {reason}", [rule], kind="never-matches"))
    return out
