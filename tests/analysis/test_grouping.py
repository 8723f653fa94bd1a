"""One finding per cause (routecli.analysis.grouping): the groups, checked against the
plain reading of the rule (docs/lint.md#one-finding-per-cause)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from routecli.analysis.findings import Finding
from routecli.analysis.grouping import group_findings


class _Rule:
    def __init__(self, index: int) -> None:
        self.index = index
        self.rule = f"/r{index}"
        self.endpoint = f"e{index}"
        self.source = None
        self.methods = None
        self.domain = None


def _slots_by_the_rule(findings):
    """The groups as the rule states them: a finding joins the first open group of its
    cause that has no finding about its route yet, else opens one."""
    slots, groups = [], {}
    for finding in findings:
        key = finding.cause
        for members in groups.setdefault(key, []):
            if all(member.routes[0] is not finding.routes[0] for member in members):
                members.append(finding)
                break
        else:
            members = [finding]
            groups[key].append(members)
            slots.append(members)
    return slots


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 2)), max_size=40))
def test_groups_are_those_of_the_rule(pairs):
    rules = [_Rule(i) for i in range(6)]
    findings = [Finding("RL101", "warning", f"finding {n}", [rules[route]], cause=cause)
                for n, (route, cause) in enumerate(pairs)]
    grouped = group_findings(findings)
    expected = _slots_by_the_rule(findings)
    assert len(grouped) == len(expected)
    for finding, members in zip(grouped, expected, strict=True):
        got = getattr(finding, "members", None) or [finding]
        assert sorted(m.message for m in got) == sorted(m.message for m in members)


def test_many_findings_about_few_routes_group_in_linear_time():
    # 300 routes each in 300 findings of one cause: 300 groups of 300 (was a scan of the
    # open groups per finding: quadratic in the findings of one route)
    rules = [_Rule(i) for i in range(300)]
    findings = [Finding("RL214", "warning", "m", [rules[i], rules[j]], cause="one")
                for j in range(300) for i in range(300)]
    grouped = group_findings(findings)
    assert len(grouped) == 300
    assert all(len(finding.members) == 300 for finding in grouped)
