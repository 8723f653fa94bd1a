"""Static analysis of route tables (overlap, shadowing, unreachable rules).

``conflicts(table)`` lists every pair of routes that can answer one request, classified and
proven by a witness request; ``lint(table)`` runs every check. "Can answer" is about patterns
with their slash behaviour: a route with strict_slashes off also answers its URLs with the
trailing slash toggled (:mod:`routecli.analysis.slashes`), and pairs that meet only there are
listed too, their findings naming the route that matches only because of it. Both return a
:class:`~routecli.analysis.findings.Report`. The codes and their documentation live in
:mod:`routecli.analysis.registry`.
"""

from __future__ import annotations


def conflicts(table):
    """Every overlapping pair of routes, classified, each with a verified witness request."""
    from routecli.analysis.checks import Analysis
    from routecli.gc_paused import gc_paused

    with gc_paused():
        return Analysis(table).conflicts()


def lint(table, *, strict: bool = False, noqa: bool = True):
    """Every check over the table; specialisations (RL104) stay silent. ``strict`` makes
    order-dependent ties (RL102) errors.

    Like ``routecli lint``, findings a route's ``noqa`` names (its code, or ``"all"``; for a
    pair, either route's) are left out and counted in ``report.stats["noqa"]``; ``noqa=False``
    keeps them (``--ignore-noqa``). Rule selection and config files are the CLI's: see
    :func:`routecli.analysis.selection.lint_table`."""
    from routecli.analysis.checks import Analysis
    from routecli.gc_paused import gc_paused

    with gc_paused():
        report = Analysis(table).lint(strict=strict)
    if noqa:
        from routecli.analysis.selection import drop_noqa

        report.findings, report.stats["noqa"] = drop_noqa(report.findings)
    return report


__all__ = ["conflicts", "lint"]
