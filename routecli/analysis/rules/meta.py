"""RL199 unverified: a question the exact engine could not decide, reported instead of
guessed."""

from __future__ import annotations

from routecli.analysis.findings import Finding
from routecli.analysis.messages import label
from routecli.analysis.rule import READS_DEFAULT_ON, Rule
from routecli.automata.limits import BudgetSpent

UNVERIFIED = Rule(
    "RL199", "unverified", "info",
    "An overlap or reachability question the analysis could not decide exactly.",
    "Custom converter regexes using backreferences, look-arounds and similar features "
    "(or very large automata) are beyond the exact engine. The pair or route is "
    "reported instead of being guessed about. Lint runs only the checks of the rules "
    "it reports: these are the questions met by the default rule set's checks and by "
    "those of the rules selected.",
    "Nothing is silently dropped.",
    "converters: {twice: {regex: '(a+)\\\\1'}}",
    "Simplify the converter's regex, or review the pair by hand.",
    reads=READS_DEFAULT_ON,  # selected alone, the questions of the default rule set
)


def unverified_finding(question) -> Finding:
    """The RL199 finding for an :class:`~routecli.analysis.engine.Unverified` question."""
    first, second, reason, count = question
    more = f" ({count} route pairs below these transitions)" if count > 1 else ""
    return Finding(UNVERIFIED.code, UNVERIFIED.severity,
                   f"could not decide whether {label(first)} and {label(second)} overlap: "
                   f"{reason}{more}",
                   [first, second], details={"reason": reason, "pairs": count},
                   kind="unverified")


def incomplete_finding(code: str, reason: str) -> Finding:
    """RL199 for a rule whose check stopped when the analysis's work budget ran out (its
    findings so far are lost with it: the rule is reported as not checked)."""
    return Finding(UNVERIFIED.code, UNVERIFIED.severity,
                   f"{code} was not checked to the end: {reason}; its findings are "
                   "missing", [], details={"reason": reason, "rule": code},
                   kind="unverified")


def checked_within_budget(check, run, code: str) -> list[Finding]:
    """``check(run)``'s findings; when the work budget runs out inside it, the RL199
    finding that says so instead (:mod:`routecli.analysis.budget`)."""
    try:
        return check(run)
    except BudgetSpent as exc:
        return [incomplete_finding(code, str(exc))]


def budget_finding(routes: list, questions: int, reason: str) -> Finding:
    """The one RL199 finding for every question left when the work budget ran out: its
    ``routes`` are those the questions were about, in table order."""
    count = len(routes)
    return Finding(UNVERIFIED.code, UNVERIFIED.severity,
                   f"{reason}: {questions:,} question{'' if questions == 1 else 's'} about "
                   f"{count:,} route{'' if count == 1 else 's'} left undecided (the budget "
                   "grows with the table; `--budget`, or `budget=` from Python, sets it)",
                   routes, details={"reason": reason, "questions": questions,
                                    "budget": True}, kind="unverified")


def unverified_findings(questions: list, routes_of, finding_of) -> list[Finding]:
    """RL199 for each undecided question (``finding_of``), except those left when the
    work budget ran out: one finding for them all, naming the routes ``routes_of`` each
    was about (hundreds of thousands of pairs can be left)."""
    findings = []
    spent: dict[int, object] = {}
    reason = None
    count = 0
    for question in questions:
        why = question.reason
        if BudgetSpent.MESSAGE in why:
            count += 1
            reason = reason or why[why.index(BudgetSpent.MESSAGE):]
            for route in routes_of(question):
                spent.setdefault(route.index, route)
        else:
            findings.append(finding_of(question))
    if count:
        findings.append(budget_finding([spent[i] for i in sorted(spent)], count, reason))
    return findings
