"""One finding per cause: findings that report the same thing about several routes are
reported once, listing the routes (docs/lint.md#one-finding-per-cause).

Two findings share a cause when they have the same code and severity and either

- the rule named the cause (``Finding.cause``: the catch-all behind many validation traps,
  the glued segment of a missing slash), or
- their other routes are the same catch-alls (routes ending in a ``path`` converter,
  such as ``/static/<path:filename>``): one catch-all against many routes, or
- every route of one lines up with a route of the other that was written in the same
  place: the same view function at the same line of Python code (a blueprint registered
  under several prefixes: the endpoints differ, the code does not), the same view label
  in a route file, or else the same source line. Their findings read alike and are fixed
  in one place.

The grouped finding keeps its first member's message, routes and witness, adds how many
more routes it affects, and holds every member (:attr:`Finding.members`). Grouping runs
last, after noqa and the baseline, which therefore still act on each route's own finding:
a baseline written before findings were grouped still suppresses them, and a route newly
affected by a baselined cause is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from routecli.analysis.engine import catch_all
from routecli.analysis.findings import Finding
from routecli.analysis.messages import label

NAMED = 3  # affected routes named in a grouped finding's message; JSON lists them all


def group_findings(findings: Sequence[Finding]) -> list[Finding]:
    """``findings`` with each group of one cause replaced by one finding, in the order of
    each group's first member."""
    slots: list[Any] = []  # a Finding, or a list of members sharing a cause
    # cause -> its groups (lists of members), and how many of them hold each first route
    open_groups: dict[tuple, tuple[list[list[Finding]], dict[int, int]]] = {}
    for finding in findings:
        key = cause_key(finding)
        if key is None or not finding.routes:
            slots.append(finding)
            continue
        # Another finding about a route already in a group is another cause: it joins the
        # first group without that route. A route joins groups in their order, so the
        # groups holding it are the first ``held`` ones, and that group is the next.
        groups, held = open_groups.setdefault(key, ([], {}))
        route = id(finding.routes[0])
        at = held.get(route, 0)
        held[route] = at + 1
        if at < len(groups):
            groups[at].append(finding)
        else:
            groups.append([finding])
            slots.append(groups[-1])
    return [slot if isinstance(slot, Finding) else merged(slot) if len(slot) > 1 else slot[0]
            for slot in slots]


def cause_key(finding: Finding) -> tuple | None:
    """What findings must share to be one (None: this one stands alone)."""
    if finding.cause is not None:
        return (finding.code, finding.severity, "cause", finding.cause)
    others = finding.routes[1:]
    if others and all(catch_all(rule) for rule in others):
        return (finding.code, finding.severity, "catch-all",
                tuple(rule.index for rule in others))
    origins = []
    for rule in finding.routes:
        origin = _origin(rule)
        if origin is None:
            return None
        origins.append(origin)
    return (finding.code, finding.severity, "written", tuple(origins))


def _origin(rule) -> tuple | None:
    """Where a route was written (see the module docstring), or None when unknown."""
    view = getattr(getattr(rule, "route", None), "view", None)
    source = rule.source
    if source is not None and not source.line:
        source = None  # a file without lines (data) says nothing about where
    in_python = source is not None and str(source.file).endswith(".py")
    if view:
        return (view, str(source) if in_python else None)
    return None if source is None else (None, str(source))


def merged(members: list[Finding]) -> Finding:
    """One finding standing for ``members`` (two or more with one cause)."""
    members = sorted(members, key=lambda member: member.routes[0].index)
    first = members[0]
    others = [member.routes[0] for member in members[1:]]
    names = ", ".join(label(rule) for rule in others[:NAMED])
    if len(others) > NAMED:
        names += f" and {len(others) - NAMED:,} more"
    message = (f"{first.message}; the same cause affects {len(others):,} more "
               f"route{'' if len(others) == 1 else 's'} ({len(members):,} in all): {names}")
    details = dict(first.details, affected_count=len(members))
    finding = Finding(first.code, first.severity, message, first.routes, first.witness,
                      first.answered_by, details, first.kind, first.cause)
    finding.members = members
    return finding
