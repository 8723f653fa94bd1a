"""Lint findings NEW has and OLD had not, matched by fingerprint as baselines are
(docs/lint.md#baselines): moving a line creates no finding, a new overlap does."""

from __future__ import annotations


def new_findings(old, new) -> list:
    """Findings of ``lint(new)`` whose fingerprint ``lint(old)`` does not have (OLD is
    linted only when NEW has findings at all: a clean NEW needs no comparison)."""
    findings = new.lint().findings
    if not findings:
        return []
    before = {finding.fingerprint() for finding in old.lint().findings}
    return [finding for finding in findings if finding.fingerprint() not in before]
