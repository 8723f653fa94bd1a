"""Static analysis of route tables (overlap, shadowing, unreachable rules).

``conflicts(table)`` lists every pair of routes that can answer one request, classified and
proven by a witness request; ``lint(table)`` runs every rule's check. "Can answer" is about
patterns with their slash behaviour: a route with strict_slashes off also answers its URLs
with the trailing slash toggled (:mod:`routecli.analysis.slash_forms`), and pairs that meet
only there are listed too, their findings naming the route that matches only because of it.
Both return a :class:`~routecli.analysis.findings.Report`. Each rule (code, severity,
documentation and check) lives in its family's module under :mod:`routecli.analysis.rules`;
:mod:`routecli.analysis.registry` collects them, and :mod:`routecli.analysis.selection`
applies the CLI's rule selection, config, noqa and baselines to a report.
"""

from __future__ import annotations

from collections.abc import Collection


def conflicts(table, *, budget: int | None = None, only: Collection[str] | None = None):
    """Every overlapping pair of routes, classified, each with a verified witness request.
    ``budget``: steps of the exact engine (None: the default for the table's size, 0: no
    limit; :mod:`routecli.analysis.budget`). ``only``: a collection of rule codes: the
    report holds their findings only, and a pair whose finding can only be of another
    code is not witnessed (a pair whose witness a third route answers is RL198's, so
    with RL198 wanted every pair is)."""
    from routecli.analysis.budget import analysis_budget, note_budget
    from routecli.gc_paused import gc_paused
    from routecli.routing.dialects import dialect_of

    with gc_paused(), analysis_budget((table,), budget) as spent:
        only = None if only is None else frozenset(only)
        report = dialect_of(table).load("analysis").conflicts_report(table, only=only)
    if only is not None:
        report.findings = [finding for finding in report.findings if finding.code in only]
    note_budget(report.stats, spent)
    return report


def lint(table, *, strict: bool = False, noqa: bool = True, group: bool = True,
         budget: int | None = None, only: Collection[str] | None = None):
    """Every check over the table, opt-in rules and info findings included (selecting them
    is :func:`routecli.analysis.selection.apply`'s); specialisations (RL104) stay silent.
    ``strict`` makes order-dependent ties (RL102) errors. The findings of one cause are
    one finding (:mod:`routecli.analysis.grouping`); ``group=False`` keeps one per route,
    as the CLI needs before noqa and baselines act on each.

    Like ``routecli lint``, findings a route's ``noqa`` names (its code, or ``"all"``; for a
    pair, either route's) are left out and counted in ``report.stats["noqa"]``; ``noqa=False``
    keeps them (``--ignore-noqa``). Rule selection, config files and baselines are the CLI's:
    :func:`routecli.analysis.selection.apply` applies them to this report. The table's
    dialect decides which rules run (:mod:`routecli.routing.dialects`).

    The exact engine works within ``budget`` steps (None: the default for the table's
    size, 0: no limit): questions left when it runs out are unverified (RL199), and
    ``report.stats["budget_ran_out"]`` says so (:mod:`routecli.analysis.budget`).

    ``only``: a collection of rule codes (the CLI passes its selection's,
    :meth:`~routecli.analysis.selection.LintSettings.enabled`): the report holds these
    codes' findings only, and the checks of other rules are not run at all unless a
    wanted one reads what they set (``Rule.reads``: RL103 reads RL101's), which is
    faster when a costly opt-in rule (RL105) is not wanted. A run that does not check
    a rule does not spend the work budget on it either, so when the budget runs out
    more of the wanted questions may be decided than in a run of every check."""
    from routecli.analysis.budget import analysis_budget, note_budget
    from routecli.gc_paused import gc_paused
    from routecli.routing.dialects import dialect_of

    with gc_paused(), analysis_budget((table,), budget) as spent:
        only = None if only is None else frozenset(only)
        report = dialect_of(table).load("analysis").lint_report(table, strict=strict,
                                                                only=only)
    if only is not None:
        report.findings = [finding for finding in report.findings if finding.code in only]
    note_budget(report.stats, spent)
    if noqa:
        from routecli.analysis.selection.noqa import drop_noqa

        report.findings, report.stats["noqa"] = drop_noqa(report.findings)
    if group:
        from routecli.analysis.grouping import group_findings

        report.findings = group_findings(report.findings)
    return report


__all__ = ["conflicts", "lint"]
