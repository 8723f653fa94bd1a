"""Many copies of one pattern: lint and conflicts group identical routes (same compiled
parts, host, methods and converters) and report them once, in near-linear time."""

from __future__ import annotations

import time

from helpers import table
from routecli.analysis import conflicts, lint


def copies(count: int, rule: str = "/same/<int:x>", **options):
    return table(*[(rule, f"e{i}", dict(options)) for i in range(count)])


def test_copies_are_one_grouped_duplicate():
    report = lint(copies(300))
    (finding,) = report.findings
    assert finding.code == "RL101"
    assert len(finding.routes) == 300
    assert finding.routes[-1].endpoint == "e0"  # the winner last, as for a pair
    assert [r.endpoint for r in finding.routes[:3]] == ["e1", "e2", "e3"]
    assert "299 routes" in finding.message
    assert finding.answered_by == "e0"
    assert (finding.witness.method, finding.witness.url) == ("GET", "/same/1")


def test_conflicts_groups_copies_too():
    (finding,) = conflicts(copies(300)).findings
    assert finding.code == "RL101" and len(finding.routes) == 300


def test_two_copies_keep_the_pair_finding():
    (finding,) = lint(copies(2)).findings
    assert len(finding.routes) == 2
    assert finding.message.startswith("duplicate of `/same/<int:x>`")


def test_ten_thousand_copies_lint_in_seconds():
    tbl = copies(10_000)
    start = time.perf_counter()
    report = lint(tbl)
    assert time.perf_counter() - start < 20
    assert [f.code for f in report.findings] == ["RL101"]


def test_copies_with_different_methods_group_per_method_set():
    rules = []
    for i in range(3000):
        rules.append(("/same/<int:x>", f"e{i}", {"methods": [("GET", "POST", "PUT")[i % 3]]}))
    start = time.perf_counter()
    report = lint(table(*rules))
    assert time.perf_counter() - start < 20
    assert sorted(len(f.routes) for f in report.findings) == [1000, 1000, 1000]
    assert {f.witness.method for f in report.findings} == {"GET", "POST", "PUT"}


def test_copies_of_two_overlapping_patterns():
    rules = [("/same/<int:x>", f"i{i}") for i in range(1000)]
    rules += [("/same/<x>", f"s{i}") for i in range(1000)]
    start = time.perf_counter()
    report = lint(table(*rules))
    assert time.perf_counter() - start < 20
    assert sorted((f.code, len(f.routes)) for f in report.findings) == [
        ("RL101", 1000), ("RL101", 1000)]


def test_copies_losing_to_an_earlier_duplicate_name_it():
    tbl = table(("/u/<int:x>", "every", {"methods": None}),
                *[("/u/<int:x>", f"g{i}", {"methods": ["GET"]}) for i in range(4)])
    report = lint(tbl)
    pair, group = sorted(report.findings, key=lambda f: len(f.routes))
    assert [r.endpoint for r in pair.routes] == ["g0", "every"]
    assert [r.endpoint for r in group.routes] == ["g1", "g2", "g3", "every"]
    assert group.answered_by == "every"
    assert group.message.startswith("3 duplicates of `/u/<int:x>` (route #1)")
    assert report.stats["masked"] == 0


def test_conflicts_text_names_a_few_copies_and_counts_the_rest():
    from routecli.output.lint import conflicts_lines

    report = conflicts(copies(50))
    head = next(iter(conflicts_lines(report.findings, 50)))
    assert head.count("/same/<int:x>") == 5
    assert "... 45 more" in head and head.endswith("(e0)")


def variants(count: int, **options):
    """Routes that differ only in a converter argument: one compiled pattern."""
    return table(*[(f"/same/<int(max={i + 1}):x>", f"e{i}", dict(options))
                   for i in range(count)])


def test_conflicts_pair_variants_with_their_taker_only():
    report = conflicts(variants(1000))
    by_kind: dict = {}
    for finding in report.findings:
        by_kind.setdefault(finding.kind, []).append(finding)
    assert sorted(by_kind) == ["bystanders", "duplicate"]
    # each later variant against the first, which takes GET on the pattern: 999 pairs
    assert len(by_kind["duplicate"]) == 999
    assert {f.routes[1].endpoint for f in by_kind["duplicate"]} == {"e0"}
    (group,) = by_kind["bystanders"]
    assert group.code == "RL198"
    assert [r.endpoint for r in group.routes] == [f"e{i}" for i in range(1, 1000)] + ["e0"]
    assert group.details["bystanders"] == 999
    assert group.message.startswith("999 routes on the pattern of `/same/<int(max=1):x>`")
    assert (group.witness.method, group.witness.url, group.answered_by) == (
        "GET", "/same/1", "e0")


def test_two_variants_stay_one_pair_and_three_group():
    assert [f.kind for f in conflicts(variants(2)).findings] == ["duplicate"]
    kinds = sorted(f.kind for f in conflicts(variants(3)).findings)
    assert kinds == ["bystanders", "duplicate", "duplicate"]


def test_variants_before_a_catch_all_pair_it_through_their_taker():
    rules = [(f"/same/<int(max={i + 1}):x>", f"e{i}") for i in range(200)]
    rules.append(("/<path:p>", "files"))
    report = conflicts(table(*rules))
    with_files = [f for f in report.findings if any(r.endpoint == "files" for r in f.routes)]
    # the pattern's overlap with the catch-all is listed once, for the route answering it
    assert [[r.endpoint for r in f.routes] for f in with_files] == [["files", "e0"]]


def test_conflicts_list_copies_whose_urls_a_slash_redirect_takes():
    # Werkzeug redirects GET /a/x to /a/x/ (the branch route, registered first): the
    # copies never answer and RL101's group has no winner among them; still listed
    # (hypothesis found them missing from conflicts)
    tbl = table(("/<path:v0>/x/", "r0", {"methods": ["GET"]}),
                *[("/<path:v0>/x", f"r{i}", {"methods": ["GET"]}) for i in (1, 2, 3)])
    (finding,) = conflicts(tbl).findings
    assert (finding.code, finding.kind) == ("RL198", "masked")
    assert [r.endpoint for r in finding.routes] == ["r2", "r3", "r1"]
    assert finding.details["masked_by"]["endpoint"] == "r0"
    assert (finding.witness.url, finding.answered_by) == ("/a/x", "r0")
