"""Lint and conflicts for first-match dialects: the rules of the dialect's families, over
the relations :mod:`routecli.analysis.first_match` finds, each witness confirmed by the
dialect's own matcher (``table.match``) before it is reported."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import quote

from routecli.analysis.findings import Finding, Report, Witness
from routecli.analysis.first_match import OTHER_METHOD, FirstMatch
from routecli.analysis.registry import checks_for, families_of, rules_of
from routecli.analysis.rules.meta import checked_within_budget, unverified_findings
from routecli.routing.dialects import dialect_of

# Characters a witness path keeps as they are; everything else is percent-encoded, so
# that the URL decodes back to the path the analysis chose.
_URL_SAFE = "/-._~!$&'()*+,;=:@"


class FirstMatchRun:
    """One lint run: the table, its first-match relations, and witness checking."""

    def __init__(self, table, strict: bool = False, idiom: bool = False,
                 focus: set[int] | None = None) -> None:
        self.table = table
        self.strict = strict
        self.focus = focus  # judge only these entries' order relations (routecli diff)
        self.core = FirstMatch(table.rules, idiom, focus)
        self.stats = {"model_disagreements": 0, "unconfirmed": 0}
        self._answers: dict[tuple[str, str], object] = {}
        families = families_of(dialect_of(table))
        self._traps = [family.trap_rule for family in families if hasattr(family, "trap_rule")]
        self._overrides = [family.is_override for family in families
                           if hasattr(family, "is_override")]
        self._harmless = [family.changes_no_answer for family in families
                          if hasattr(family, "changes_no_answer")]

    def trap_rule(self, relation):
        """The dialect's own trap code for a dead route, or None (the order code)."""
        for trap in self._traps:
            rule = trap(relation)
            if rule is not None:
                return rule
        return None

    def is_override(self, relation) -> bool:
        """Whether the dialect calls a dead route its own override idiom (an earlier route
        meant to replace it): no finding, RL206 in conflicts."""
        return any(override(relation) for override in self._overrides)

    def changes_no_answer(self, relation) -> bool:
        """Whether the dialect says a dead route's requests reach the same code anyway (a
        duplicate with the same view): its finding is an info."""
        return any(harmless(relation) for harmless in self._harmless)

    def url(self, path: str, entry) -> str:
        """The request URL that asks for ``path`` (absolute when the entry has a host)."""
        url = quote(path, safe=_URL_SAFE)
        if entry.domain:
            host = self.host_for(entry.domain)
            if host is not None:
                return f"http://{host}{url}"
        return url

    def host_for(self, domain: str) -> str | None:
        """A host name that a host pattern matches (its shortest readable one)."""
        from routecli.automata import Undecidable, compile_regex, intersect_witness

        entry = next((e for e in self.table.rules if e.kind == "host" and e.domain == domain),
                     None)
        if entry is None:
            return None
        try:
            return intersect_witness(compile_regex(entry.data.regex.pattern))
        except Undecidable:
            return None

    def answer(self, method: str, path: str, entry):
        """The dialect's answer to ``method`` on the witness ``path`` of ``entry``."""
        return self.match(method, self.url(path, entry))

    def match(self, method: str, url: str):
        """``table.match``, once per request: copies of a route ask the same questions,
        and a first-match table may scan all of them for each answer."""
        key = (method, url)
        found = self._answers.get(key)
        if found is None:
            found = self._answers[key] = self.table.match(method, url)
        return found

    def confirm(self, method: str, path: str, loser, winners=()) -> tuple[Witness, object] | None:
        """The witness and the matcher's answer when the request does not reach ``loser``
        (and, when ``winners`` are given, is answered by one of them or a Mount holding
        one); None, counted as a model disagreement, otherwise."""
        if method == OTHER_METHOD:
            method = "GET"
        url = self.url(path, loser)
        result = self.match(method, url)
        answered = result.rule
        # A 404 proves the point only when a Mount took the request (its router 404s).
        ok = answered is not loser and (result.status != 404
                                        or any(w.captures for w in winners))
        if ok and winners and answered is not None:
            ok = any(answered is w or w in answered.parents or answered.index < loser.index
                     for w in winners)
        if not ok:
            # An earlier entry whose language over-approximates (a prefix that can split
            # a path several ways, a converter that may decline) may not take a path of
            # its language: no witness then, but no disagreement either.
            sure = all(w.exact and not w.may_decline for w in winners)
            self.stats["model_disagreements" if sure else "unconfirmed"] += 1
            return None
        return Witness(method, url), result

    def unverified_findings(self) -> list[Finding]:
        """RL199 for every route the exact engine could not decide about."""
        from routecli.analysis.messages import label
        from routecli.analysis.rules.meta import UNVERIFIED

        def finding(question) -> Finding:
            entry, reason = question
            return Finding(UNVERIFIED.code, UNVERIFIED.severity,
                           f"could not decide which earlier routes take {label(entry)}: "
                           f"{reason}", [entry], details={"reason": reason},
                           kind="unverified")

        return unverified_findings([q for q in self.core.unverified
                                    if self.focus is None or q.entry.index in self.focus],
                                   lambda q: (q.entry,), finding)

    def report(self, findings: list[Finding]) -> Report:
        findings.sort(key=_sort_key)
        stats = {**self.stats, **self.core.stats}
        return Report(findings, len(self.table.rules), stats)


def lint_report(table, strict: bool = False, focus: set[int] | None = None,
                only: Collection[str] | None = None) -> Report:
    """Every check of the table's dialect families, before selection and noqa; with
    ``focus``, the order relations of those entries only (the other checks whole);
    ``only``: the codes wanted, whose checks run with those they read
    (:func:`~routecli.analysis.registry.checks_for`; None: every check)."""
    run = FirstMatchRun(table, strict, focus=focus)
    findings: list[Finding] = []
    for rule in checks_for(rules_of(dialect_of(table)), only):
        if rule.check is not None:
            findings += checked_within_budget(rule.check, run, rule.code)
    return run.report(findings + run.unverified_findings())


def conflicts_report(table, only: Collection[str] | None = None) -> Report:
    """Every relation between routes that decides who answers, each witnessed; the
    specific-first idiom too (as info; the CLI lists it only when selected, as it is off).
    ``only`` changes nothing here: the relations are found together, and a witness is one
    request to the matcher."""
    from routecli.analysis.rules import first_match_order

    run = FirstMatchRun(table, idiom=True)
    findings = first_match_order.relation_findings(run)
    return run.report(findings + run.unverified_findings())


def _sort_key(finding: Finding):
    first = finding.routes[0] if finding.routes else None
    source = getattr(first, "source", None)
    return (getattr(source, "file", "") or "", getattr(source, "line", 0) or 0,
            first.index if first is not None else -1, finding.code, finding.message)
