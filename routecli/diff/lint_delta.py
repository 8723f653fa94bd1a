"""Lint findings NEW has and OLD had not, matched by fingerprint as baselines are
(docs/lint.md#baselines): moving a line creates no finding, a new overlap does.

As with a baseline, each route's own finding is matched before findings of one cause are
grouped. Only the findings a change can alter are computed: the dialect's region hook
(:data:`REGIONS`) names the routes to lint on each side (the touched routes and what their
findings depend on), and the checks that look at the whole table run on it whole. A
dialect without a hook, or two sides that cannot share one (settings or dialect differ),
lint both whole tables.
"""

from __future__ import annotations

from importlib import import_module

#: dialect name -> "module" with ``lint_region(old, new, touched)``, ``WIDE_CODES`` and
#: ``wide_findings(table, old, new, touched)`` (imported on first use)
REGIONS: dict[str, str] = {
    "werkzeug": "routecli.diff.werkzeug_region",
}


def new_findings(old, new, touched=None) -> list:
    """Findings of ``lint(new)`` whose fingerprint ``lint(old)`` does not have; with
    ``touched`` (:class:`~routecli.diff.identity.Touched`), only around the change."""
    from routecli.diff.candidates import dialect_of

    dialect = dialect_of(new)
    hook = REGIONS.get(dialect)
    if (touched is None or hook is None or dialect_of(old) != dialect
            or old.settings != new.settings):
        return _fresh(_findings(new), old)
    if not touched.old and not touched.new:
        return []  # the same routes in the same order: the same findings
    region = import_module(hook)
    olds, news = region.lint_region(old, new, touched)
    skip = region.WIDE_CODES
    found = _findings(_restricted(new, news), skip) + _noqa(region.wide_findings(new, old, new, touched))
    if not found:
        return []
    return _fresh(found, old, lambda: _findings(_restricted(old, olds), skip)
                  + _noqa(region.wide_findings(old, old, new, touched)))


def full_new_findings(old, new) -> list:
    """The same, from linting both whole tables (what the region must agree with)."""
    return _fresh(_findings(new), old)


def _fresh(found: list, old, old_findings=None) -> list:
    """``found`` without the fingerprints OLD's findings have, grouped by cause. OLD is
    linted only when there is something to compare."""
    if not found:
        return []
    before_list = old_findings() if old_findings is not None else _findings(old)
    before = {finding.fingerprint() for finding in before_list}
    from routecli.analysis.grouping import group_findings

    return group_findings([f for f in found if f.fingerprint() not in before])


def _findings(table, skip=frozenset()) -> list:
    """Every finding of ``table`` (noqa applied, one per route), without the ``skip``
    codes' checks."""
    if not table.rules:
        return []
    if not skip:
        return table.lint(group=False).findings
    from routecli.analysis.run import lint_report
    from routecli.gc_paused import gc_paused

    with gc_paused():
        report = lint_report(table, skip=skip)
    return _noqa(report.findings)


def _noqa(findings: list) -> list:
    from routecli.analysis.selection.noqa import drop_noqa

    return drop_noqa(findings)[0]


def _restricted(table, indices: list[int]):
    """``table`` with only the routes at ``indices`` (in order): the same settings and
    converters, compiled afresh."""
    from routecli.routing.model import RouteSet

    routeset = table.routeset
    routes = [table.routes[i] for i in indices]
    return type(table)(RouteSet(routes, routeset.settings, routeset.converters,
                                routeset.sources, routeset.dialect, routeset.options))
