"""noqa: a route's ``noqa`` list silences the findings that name it (any route of a pair)."""

from __future__ import annotations

from collections.abc import Iterable

from routecli.analysis.findings import Finding
from routecli.analysis.selection.codes import ALL


def noqa_suppresses(finding: Finding) -> bool:
    """True when any route of ``finding`` lists its code, or ``"all"``, under ``noqa``."""
    code = finding.code.upper()
    for rule in finding.routes:
        noqa = getattr(getattr(rule, "route", None), "noqa", None)
        if not noqa:
            continue
        if isinstance(noqa, str):
            noqa = (noqa,)
        for item in noqa:
            item = str(item).upper()
            if item == ALL or item == code:
                return True
    return False


def drop_noqa(findings: Iterable[Finding]) -> tuple[list[Finding], int]:
    """The findings no route's noqa suppresses, and how many it did."""
    kept: list[Finding] = []
    dropped = 0
    for finding in findings:
        if noqa_suppresses(finding):
            dropped += 1
        else:
            kept.append(finding)
    return kept, dropped
