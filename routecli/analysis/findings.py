"""Findings: what lint and conflicts report, as plain data with docs/lint.md#findings JSON."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, NamedTuple

from routecli.routing.serialize import route_ref

SEVERITIES = ("info", "warning", "error")  # in increasing order
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


class Witness(NamedTuple):
    """A concrete request that every route of a finding matches.

    ``url`` is what ``routecli match METHOD URL`` replays: a path on the default host, or
    an absolute URL (``http://api.example.com/a``, ``ws://...`` for websockets) when the
    routes are host- or subdomain-specific. ``host`` repeats that host for internal use
    (answering relative redirect targets); it is not part of the JSON.
    """

    method: str
    url: str
    host: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """docs/lint.md#findings' witness object: ``{"method": ..., "url": ...}``, nothing else."""
        return {"method": self.method, "url": self.url}


class Finding:
    """One diagnostic.

    ``routes`` are compiled rules (:class:`routecli.routing.werkzeug.compiler.CompiledRule`),
    the first being the one the finding is about when that matters;
    ``witness`` proves an overlap (None for findings that are not about one);
    ``answered_by`` is the endpoint :meth:`RouteTable.match` answers for the
    witness (None for a 404/405). ``details`` holds code-specific extras for
    renderers (e.g. the dominators of an unreachable route); ``kind`` is the
    relationship for ``conflicts`` ("duplicate", "tie", "specialisation", ...).

    ``cause`` is what the finding reports, when a rule knows it to be shared by other
    findings (the catch-all behind many validation traps, the glued segment of a missing
    slash); findings with one cause are reported as one (:mod:`.grouping`), whose
    ``members`` are the findings it stands for, one per affected route.
    """

    __slots__ = ("code", "severity", "message", "routes", "witness", "answered_by", "details",
                 "kind", "cause", "members")

    def __init__(self, code: str, severity: str, message: str, routes: Iterable = (),
                 witness: Witness | None = None, answered_by: str | None = None,
                 details: dict[str, Any] | None = None, kind: str | None = None,
                 cause: Any = None) -> None:
        if severity not in SEVERITY_RANK:
            raise ValueError(f"unknown severity {severity!r}")
        self.code = code
        self.severity = severity
        self.message = message
        self.routes = list(routes)
        self.witness = witness
        self.answered_by = answered_by
        self.details = details or {}
        self.kind = kind
        self.cause = cause
        self.members: list[Finding] = []

    @property
    def affected(self) -> list:
        """The routes this finding is about: each member's first route (for a finding that
        stands alone, its own first route)."""
        if self.members:
            return [member.routes[0] for member in self.members]
        return self.routes[:1]

    @property
    def count(self) -> int:
        """How many routes the finding is about (1 unless one cause affects several)."""
        return len(self.members) or 1

    @property
    def source(self) -> str | None:
        """The "file:line" of the first route, where the finding is shown."""
        for rule in self.routes:
            if rule.source is not None:
                return str(rule.source)
        return None

    def fingerprint(self) -> str:
        """A stable identity for baselines: the code and the routes' rule, endpoint and
        methods — not their lines, so a baseline survives edits elsewhere in the file. A
        finding standing for several has its first member's: baselines record every
        member's (:meth:`fingerprints`), so one written before findings were grouped
        still matches."""
        if self.members:
            return self.members[0].fingerprint()
        parts = [self.code]
        for rule in self.routes:
            methods = "*" if rule.methods is None else ",".join(sorted(rule.methods))
            parts.append(f"{rule.domain}|{rule.rule}|{rule.endpoint}|{methods}")
        return hashlib.sha256("\n".join(parts).encode("utf-8", "replace")).hexdigest()[:16]

    def fingerprints(self) -> list[str]:
        """The fingerprint of each finding this one stands for (itself alone, usually)."""
        if self.members:
            return [member.fingerprint() for member in self.members]
        return [self.fingerprint()]

    def to_dict(self) -> dict[str, Any]:
        """The finding object of docs/lint.md#findings (``affected`` only when one cause
        affects several routes)."""
        data = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "routes": [route_ref(rule) for rule in self.routes],
            "witness": None if self.witness is None else self.witness.to_dict(),
            "answered_by": self.answered_by,
        }
        if self.members:
            data["affected"] = [route_ref(rule) for rule in self.affected]
        return data

    def __repr__(self) -> str:
        return f"<Finding {self.code} {self.severity} {self.message!r}>"



class Report:
    """The findings of one run over a table of ``routes`` rules.

    ``stats`` holds the analysis' debug counters (not part of the JSON), e.g.
    ``model_disagreements``: witnesses the matcher did not confirm, which must stay 0.
    """

    def __init__(self, findings: list[Finding], routes: int,
                 stats: dict[str, int] | None = None) -> None:
        self.findings = findings
        self.routes = routes
        self.stats: dict[str, int] = dict(stats or {})

    def count(self, severity: str) -> int:
        """How many findings have ``severity``."""
        return sum(1 for finding in self.findings if finding.severity == severity)

    def failing(self, fail_on: str = "error") -> list[Finding]:
        """Findings at or above ``fail_on``."""
        floor = SEVERITY_RANK[fail_on]
        return [f for f in self.findings if SEVERITY_RANK[f.severity] >= floor]

    def to_dict(self) -> dict[str, Any]:
        """the JSON object of docs/lint.md#findings."""
        return {
            "findings": [finding.to_dict() for finding in self.findings],
            "summary": {"routes": self.routes, "errors": self.count("error"),
                        "warnings": self.count("warning"), "infos": self.count("info"),
                        "complete": not self.stats.get("budget_ran_out", False)},
        }
