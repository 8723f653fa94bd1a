"""Lint findings NEW has and OLD had not, matched by fingerprint as baselines are
(docs/lint.md#baselines): moving a line creates no finding, a new overlap does.

As with a baseline, each route's own finding is matched before findings of one cause are
grouped. Only the findings a change can alter are computed, by the dialect's region hook
(:data:`REGIONS`): Werkzeug lints each side restricted to the touched routes and what
their findings depend on (:mod:`.werkzeug_region`), the first-match dialects judge only
the entries near the change (:mod:`.first_match_region`). Two sides that cannot share a
region (settings or dialect differ) lint both whole tables.
"""

from __future__ import annotations

from importlib import import_module

#: dialect name -> "module" whose ``findings(old, new, touched)`` returns NEW's findings
#: that the change can concern and a function giving OLD's (imported on first use)
REGIONS: dict[str, str] = {
    "werkzeug": "routecli.diff.werkzeug_region",
    "starlette": "routecli.diff.first_match_region",
    "fastapi": "routecli.diff.first_match_region",
    "django": "routecli.diff.first_match_region",
}


def new_findings(old, new, touched=None) -> list:
    """Findings of ``lint(new)`` whose fingerprint ``lint(old)`` does not have; with
    ``touched`` (:class:`~routecli.diff.identity.Touched`), only around the change."""
    from routecli.diff.candidates import dialect_of

    dialect = dialect_of(new)
    hook = REGIONS.get(dialect)
    if (touched is None or hook is None or dialect_of(old) != dialect
            or _settings(old) != _settings(new)):
        return _fresh(_findings(new), old)
    if not touched.old and not touched.new:
        return []  # the same routes in the same order: the same findings
    found, before = import_module(hook).findings(old, new, touched)
    return _fresh(found, old, before)


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


def _findings(table) -> list:
    """Every finding of ``table`` (noqa applied, one per route)."""
    if not table.rules:
        return []
    return table.lint(group=False).findings


def _settings(table) -> tuple:
    return (table.settings, getattr(table, "options", None))
