"""Running the rules over one table: lint's checks in code order, and the ``conflicts``
inventory of every overlapping pair, each worded by the rule of its relation."""

from __future__ import annotations

from collections.abc import Collection

from routecli.analysis.engine import Analysis, LintRun, PairCollector
from routecli.analysis.findings import Finding, Report
from routecli.analysis.registry import checks_for, rules_of
from routecli.analysis.rules import duplicates, methods, overlaps, unreachable
from routecli.analysis.rules.meta import (
    budget_finding,
    checked_within_budget,
    unverified_finding,
)
from routecli.automata import Undecidable

# The rule that words each relation Analysis.relation() finds between two routes.
RELATION_RULES = {
    "duplicate": duplicates.DUPLICATE,
    "tie": overlaps.TIE,
    "cover": unreachable.UNREACHABLE,
    "specialisation": overlaps.SPECIALISATION,
    "crossed": overlaps.CROSSED,
    "same-pattern": methods.METHOD_SHADOW,
}


def lint_report(table, strict: bool = False, skip: frozenset = frozenset(),
                only: Collection[str] | None = None) -> Report:
    """Every rule's check over ``table`` (RL104 has none: lint leaves specialisations out),
    before selection and noqa; ``skip``: codes whose checks do not run (routecli diff runs
    the whole-table ones apart); ``only``: the codes wanted, whose checks run with those
    they read (:func:`~routecli.analysis.registry.checks_for`; None: every check)."""
    analysis = Analysis(table)
    pairs = PairCollector(analysis)
    join = analysis.join(pairs.on_pair, pairs.on_slash, pairs.on_copies, takers_only=True,
                         on_block=pairs.on_block, on_trap=pairs.on_trap)
    pairs.bystander_takers = join.bystander_takers
    analysis.stats["state_pairs"] = join.state_pairs
    run = LintRun(analysis, pairs, strict)
    findings: list[Finding] = []
    from routecli.routing.dialects import dialect_of

    # code order: the rules a check reads (RL101, RL103: Rule.reads) run before it
    for rule in checks_for(rules_of(dialect_of(table)), only):
        if rule.check is not None and rule.code not in skip:
            findings += checked_within_budget(rule.check, run, rule.code)
    return analysis.report(findings + _unverified(analysis))


def conflicts_report(table, only: Collection[str] | None = None) -> Report:
    """Every overlapping pair, classified, each with a verified witness (RL198 for a pair
    whose shared URLs a third route answers, and once for a pattern's bystanders).
    ``only``: the codes wanted; a pair whose finding can only be of other codes is
    classified but not witnessed (its witness decides between its relation's rule and
    RL198, so RL198 wants every pair). None: every pair."""
    def wanted(rule) -> bool:
        return only is None or rule.code in only

    masked = wanted(overlaps.MASKED)
    analysis = Analysis(table)
    pairs = []
    groups = []
    bystanders = []
    analysis.join(pairs.append, on_copies=lambda first, copies: groups.append((first, copies)),
                  on_bystanders=lambda rules, losers: bystanders.append((rules, losers)))
    analysis.stats["pairs"] = len(pairs)
    findings = []
    if masked or wanted(duplicates.DUPLICATE):
        findings += [finding for first, copies in groups
                     if (finding := duplicates.copies_finding(analysis, first, copies)
                         or overlaps.masked_copies_finding(analysis, first, copies))
                     is not None]
    if masked:
        findings += [finding for rules, losers in bystanders
                     if (finding := overlaps.bystanders_finding(analysis, rules, losers))
                     is not None]
    for pair in pairs:
        try:
            relation = analysis.relation(pair)
        except Undecidable as exc:
            analysis.note_unverified([pair.first], [pair.second], str(exc))
            continue
        if not (masked or wanted(RELATION_RULES[relation])):
            continue
        proven = analysis.proven_pair(pair)
        if proven is None:
            continue
        checked, verified = proven
        if verified:
            findings.append(analysis.worded_pair(pair, relation, RELATION_RULES[relation],
                                                 checked))
        else:
            findings.append(overlaps.masked_finding(analysis, pair, relation, checked))
    return analysis.report(findings + _unverified(analysis))


def _unverified(analysis) -> list[Finding]:
    findings = [unverified_finding(question) for question in analysis.unverified]
    if analysis.left_questions:
        left = analysis.left_by_budget
        findings.append(budget_finding([left[i] for i in sorted(left)],
                                       analysis.left_questions, analysis.budget_reason))
    return findings
