"""The result of a diff: changes, new lint findings and counts (docs/diff.md#json-output)."""

from __future__ import annotations

from typing import Any

from routecli.diff.changes import SEVERITIES

_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


class DiffReport:
    """Changes sorted breaking first, then by where the route is declared."""

    def __init__(self, changes: list, new_findings: list, old_routes: int,
                 new_routes: int) -> None:
        self.changes = sorted(changes, key=_sort_key)
        self.new_findings = new_findings
        self.old_routes = old_routes
        self.new_routes = new_routes
        self.stats: dict[str, Any] = {}  # the work budget's use (routecli.analysis.budget)

    def count(self, severity: str) -> int:
        return sum(1 for change in self.changes if change.severity == severity)

    def failing(self, fail_on: str = "breaking") -> list:
        """Changes that fail ``--fail-on``: breaking ones, or (``any``) every change and
        every new lint finding."""
        if fail_on == "breaking":
            return [c for c in self.changes if c.severity == "breaking"]
        return list(self.changes) + list(self.new_findings)

    @property
    def summary(self) -> dict[str, int]:
        return {"breaking": self.count("breaking"), "non_breaking": self.count("non_breaking"),
                "info": self.count("info"), "new_findings": len(self.new_findings)}

    def to_dict(self) -> dict[str, Any]:
        return {"changes": [change.to_dict() for change in self.changes],
                "new_findings": [finding.to_dict() for finding in self.new_findings],
                "summary": {**self.summary,
                            "complete": not self.stats.get("budget_ran_out", False)}}


def _sort_key(change) -> tuple:
    rule = change.subject
    source = getattr(rule, "source", None)
    return (_RANK[change.severity], getattr(source, "file", "") or "",
            getattr(source, "line", 0) or 0, change.kind, change.message)
