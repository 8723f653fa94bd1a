"""routecli.output.coverage: the coverage report as text and markdown (docs/coverage.md)."""

from helpers import table
from routecli.coverage.report import CoverageReport
from routecli.output.coverage import coverage_markdown, coverage_sections, coverage_text

ROUTES = table(("/a|b/<int:id>", "pipe|end"), ("/quiet", "quiet"), ("/x`y", "tick"))


def report_data(*requests, min_hits=1, top=None):
    report = CoverageReport(ROUTES)
    for method, url in requests:
        report.add(method, url)
    return report.to_dict(top=top, min_hits=min_hits)


def test_text_summary_and_sections():
    data = report_data(("GET", "/a|b/1"), ("GET", "/a|b/2"), ("GET", "/nope"))
    lines = coverage_text(data, len(ROUTES), 20).splitlines()
    assert lines[0] == "3 lines: 3 requests, 0 malformed"
    assert lines[1] == "status: 200 2 (66.7%)  308 0 (0.0%)  404 1 (33.3%)  405 0 (0.0%)"
    assert lines[2] == "routes: 1 of 3 used, 2 unused"
    assert lines[4] == "Routes by hits"
    assert lines[5].split() == ["Hits", "Redirects", "Share", "Endpoint", "Methods", "Rule",
                                "Source"]
    assert lines[6].split() == ["2", "0", "66.7%", "pipe|end", "GET", "/a|b/<int:id>"]
    assert "Unused routes (2)" in lines


def test_empty_sections_say_none():
    data = report_data()
    text = coverage_text(data, len(ROUTES), 20)
    assert text.startswith("0 lines: 0 requests, 0 malformed\n"
                           "status: 200 0 (-)  308 0 (-)  404 0 (-)  405 0 (-)\n")
    assert "Routes by hits\n  (none)\n" in text
    markdown = coverage_markdown(data, len(ROUTES), 20)
    assert "## Routes by hits\n\nNone.\n" in markdown


def test_markdown_escapes_pipes_right_aligns_numbers_and_codes_rules():
    data = report_data(("GET", "/a|b/1"), ("GET", "/x`y"))
    markdown = coverage_markdown(data, len(ROUTES), 20)
    lines = markdown.splitlines()
    assert lines[:2] == ["# Route coverage", ""]
    assert lines[2] == "- 2 lines: 2 requests, 0 malformed"
    assert "|---:|---:|---:|---|---|---|---|" in lines
    assert r"| 1 | 0 | 50.0% | pipe\|end | GET | `/a\|b/<int:id>` |  |" in lines
    # Backticks cannot be escaped inside code: dropped.
    assert "| 1 | 0 | 50.0% | tick | GET | `/xy` |  |" in lines
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")


def test_top_limits_rows_and_says_how_many_are_left_out():
    data = report_data(("GET", "/a|b/1"), ("GET", "/quiet"), ("GET", "/quiet"))
    title, _, rows, note = coverage_sections(data, 1)[0]
    assert title == "Routes by hits" and len(rows) == 1 and rows[0][3] == "quiet"
    assert note == "1 of 2 routes with traffic"
    assert len(coverage_sections(data, 0)[0][2]) == 2  # 0: all


def test_min_hits_names_the_threshold_and_adds_a_hits_column():
    data = report_data(("GET", "/quiet"), min_hits=2)
    title, headers, rows, _ = coverage_sections(data, 20)[1]
    assert title == "Routes with fewer than 2 hits (3)"
    assert headers[0] == "Hits" and ["1", "quiet", "GET", "/quiet", ""] in rows


def test_a_long_allowed_list_is_cut_in_text_and_kept_in_json():
    tbl = table(*[("/x", f"e{i}", {"methods": [f"M{i:02}"]}) for i in range(40)])
    report = CoverageReport(tbl)
    for k in range(30):
        report.add(f"Z{k}", "/x")
    data = report.to_dict()
    [row] = data["method_not_allowed"]
    assert len(row["allowed"]) == 41  # the 40 methods and OPTIONS, in JSON
    text = coverage_text(data, len(tbl), 20)
    assert "M00, M01, M02, M03, M04, M05, M06, M07, M08, M09, M10, M11 and 29 more" in text
    assert "and 18 more" in text  # of the 30 methods tried
