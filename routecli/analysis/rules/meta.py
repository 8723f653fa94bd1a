"""RL199 unverified: a question the exact engine could not decide, reported instead of
guessed."""

from __future__ import annotations

from routecli.analysis.findings import Finding
from routecli.analysis.messages import label
from routecli.analysis.rule import Rule

UNVERIFIED = Rule(
    "RL199", "unverified", "info",
    "An overlap or reachability question the analysis could not decide exactly.",
    "Custom converter regexes using backreferences, look-arounds and similar features "
    "(or very large automata) are beyond the exact engine. The pair or route is "
    "reported instead of being guessed about.",
    "Nothing is silently dropped.",
    "converters: {twice: {regex: '(a+)\\\\1'}}",
    "Simplify the converter's regex, or review the pair by hand.",
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
