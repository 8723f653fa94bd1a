"""Applying the settings to a run's findings, in order: selection, per-file ignores,
severity overrides, noqa, baseline; what remains decides the exit status."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from routecli.analysis.findings import Finding, Report
from routecli.analysis.selection.baseline import Baseline
from routecli.analysis.selection.codes import (
    Layer,
    listed_codes,
    most_specific,
    parse_codes,
    resolve,
    rule_codes,
)
from routecli.analysis.selection.config import LintSettings
from routecli.analysis.selection.noqa import drop_noqa, noqa_suppresses


def finding_file(finding: Finding) -> str | None:
    """The file a finding is reported at: its first route that has a source."""
    for rule in finding.routes:
        if rule.source is not None:
            return rule.source.file
    return None


def path_matches(path: str, glob: str, root: str) -> bool:
    """Whether ``path`` (as loaded, relative to the current directory or absolute) matches
    the per-file-ignores ``glob`` written relative to ``root``. ``*`` also matches "/";
    a glob without "/" also matches the file's base name (``"legacy.yaml"``)."""
    from fnmatch import fnmatchcase

    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive (Windows)
        relative = absolute
    relative = relative.replace(os.sep, "/")
    glob = glob.replace(os.sep, "/")
    glob = glob.removeprefix("./")
    if fnmatchcase(relative, glob) or fnmatchcase(absolute.replace(os.sep, "/"), glob):
        return True
    return "/" not in glob and fnmatchcase(os.path.basename(absolute), glob)


def _with_severity(finding: Finding, severity: str) -> Finding:
    """The finding with another severity (itself when unchanged)."""
    if finding.severity == severity:
        return finding
    return Finding(finding.code, severity, finding.message, finding.routes, finding.witness,
                   finding.answered_by, finding.details, finding.kind, finding.cause)


class LintResult:
    """What a run reports after selection and suppression.

    ``findings`` are the reported findings; ``accepted`` adds the ones the baseline
    dropped (what ``--write-baseline`` records). ``noqa`` and ``baselined`` count the
    suppressed findings, ``unselected`` those dropped by selection and per-file ignores,
    ``stale`` the baseline entries no finding matched any more, ``hidden_info`` the info
    findings not shown because nobody asked for them (one per cause, as they would be
    shown). ``stats`` are the analysis' counters
    (:attr:`Report.stats`), e.g. ``app_error_findings``.
    """

    def __init__(self, findings: list[Finding], routes: int, fail_on: str = "error",
                 noqa: int = 0, baselined: int = 0, unselected: int = 0, stale: int = 0,
                 accepted: list[Finding] | None = None,
                 stats: dict[str, int] | None = None, hidden_info: int = 0) -> None:
        self.findings = findings
        self.routes = routes
        self.fail_on = fail_on
        self.noqa = noqa
        self.baselined = baselined
        self.unselected = unselected
        self.stale = stale
        self.hidden_info = hidden_info
        self.accepted = accepted if accepted is not None else list(findings)
        self.stats: dict[str, int] = dict(stats or {})

    def report(self) -> Report:
        """The reported findings as a Report (``to_dict()`` is docs/lint.md#findings JSON)."""
        return Report(self.findings, self.routes)

    def failing(self) -> list[Finding]:
        """Reported findings at or above ``fail_on``."""
        return self.report().failing(self.fail_on)

    @property
    def exit_status(self) -> int:
        """1 when a finding at or above ``fail_on`` remains, else 0."""
        return 1 if self.failing() else 0

    def count(self, severity: str) -> int:
        """How many reported findings have ``severity``."""
        return sum(1 for finding in self.findings if finding.severity == severity)


def apply(report: Report, settings: LintSettings | None = None, *,
          baseline: Baseline | None = None, ignore_noqa: bool = False,
          codes: Sequence[str] | None = None) -> LintResult:
    """Apply selection, per-file ignores, severity overrides, the info filter, noqa and
    ``baseline`` (in that order) to the findings of ``report``, then report the findings
    of one cause as one (:mod:`routecli.analysis.grouping`).

    An info finding is shown only when its code was selected by name, prefix or ``ALL``
    (not merely on by default), or with ``fail-on`` info; the others are counted in
    ``hidden_info``."""
    from routecli.analysis.grouping import group_findings

    settings = settings if settings is not None else LintSettings()
    codes = rule_codes() if codes is None else tuple(codes)
    enabled = settings.enabled(codes)
    shown_info = settings.shown_info(codes)
    known = set(codes)
    file_globs = list(settings.per_file_ignores.items())
    kept: list[Finding] = []
    accepted: list[Finding] = []
    noqa = baselined = unselected = 0
    hidden: list[Finding] = []
    seen: set[str] = set()
    file_cache: dict[str, tuple[str, ...]] = {}
    for finding in report.findings:
        # A code the registry does not know (a newer engine) is kept, never silently lost.
        if finding.code in known and finding.code not in enabled:
            unselected += 1
            continue
        if file_globs:
            path = finding_file(finding)
            if path is not None:
                if path not in file_cache:
                    file_cache[path] = tuple(
                        selector for glob, selectors in file_globs
                        if path_matches(path, glob, settings.root) for selector in selectors)
                if most_specific(file_cache[path], finding.code) is not None:
                    unselected += 1
                    continue
        if settings.severity:
            selector = most_specific(settings.severity, finding.code)
            if selector is not None:
                finding = _with_severity(finding, settings.severity[selector])
        if finding.severity == "info" and finding.code in known and finding.code not in shown_info:
            hidden.append(finding)
            if baseline is not None:  # out of view, not gone: its entry is not stale
                seen.add(finding.fingerprint())
            continue
        if not ignore_noqa and noqa_suppresses(finding):
            noqa += 1
            continue
        accepted.append(finding)
        if baseline is not None:
            fingerprint = finding.fingerprint()
            if fingerprint in baseline.fingerprints:
                seen.add(fingerprint)
                baselined += 1
                continue
        kept.append(finding)
    stale = 0
    if baseline is not None:
        # Entries for rules this run does not report are not stale, only out of view.
        stale = sum(1 for fingerprint in baseline.fingerprints - seen
                    if baseline.codes.get(fingerprint) not in known - enabled)
    return LintResult(group_findings(kept), report.routes, settings.fail_on, noqa, baselined,
                      unselected, stale, accepted, getattr(report, "stats", None),
                      len(group_findings(hidden)))


def listed(*, select: Any = None, extend_select: Any = None, ignore: Any = None
           ) -> frozenset[str]:
    """The codes :func:`listing` keeps: those of the rules that are not off, narrowed or
    widened by ``select``/``extend_select``/``ignore``."""
    codes = rule_codes()
    layer = Layer(select=parse_codes(select, codes) if select is not None else None,
                  extend_select=parse_codes(extend_select, codes) if extend_select else (),
                  ignore=parse_codes(ignore, codes) if ignore else ())
    return resolve([Layer(select=listed_codes(codes)), layer], codes)


def listing(report: Report, *, fail_on: str = "error", ignore_noqa: bool = False,
            select: Any = None, extend_select: Any = None, ignore: Any = None) -> LintResult:
    """``conflicts``' findings as a result: every pair of the rules that are not off
    (:func:`~routecli.analysis.selection.codes.listed_codes`; no configuration applies, it
    is an inventory), narrowed or widened by ``select``/``extend_select``/``ignore`` (code
    lists as for lint: ``"RL104"``, ``"RL1,RL2"``, ``"ALL"``), minus the pairs a route's
    ``noqa`` silences. Pairs left out by selection are counted in ``unselected``."""
    codes = rule_codes()
    enabled = listed(select=select, extend_select=extend_select, ignore=ignore)
    known = set(codes)
    chosen = [finding for finding in report.findings
              if finding.code not in known or finding.code in enabled]
    kept, noqa = (chosen, 0) if ignore_noqa else drop_noqa(chosen)
    return LintResult(kept, report.routes, fail_on, noqa=noqa,
                      unselected=len(report.findings) - len(chosen),
                      stats=getattr(report, "stats", None))
