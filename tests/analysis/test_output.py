"""Emitters (routecli.output.lint): text, JSON (docs/lint.md#findings), SARIF 2.1.0, GitHub
workflow commands, statistics and the conflicts grouping, over hand-made findings."""

import json
import os
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import table
from routecli.analysis.findings import Finding, Witness
from routecli.output import lint as output
from routecli.routing.model import Source

NAMES = {"RL101": ("duplicate", "error"), "RL102": ("order-dependent-ambiguity", "warning"),
         "RL104": ("specialisation", "info"), "RL105": ("crossed-overlap", "warning"),
         "RL109": ("converter-clash", "off")}
RULES = {code: SimpleNamespace(code=code, name=name, default_severity=severity,
                               summary=f"{name} summary", what=f"What {name} does.",
                               why="Because.", example="routes:\n  - rule: /a\n    endpoint: a",
                               fix="Fix it.")
         for code, (name, severity) in NAMES.items()}


@pytest.fixture
def root(tmp_path):
    return str(tmp_path)


@pytest.fixture
def findings(root):
    path = os.path.join(root, "routes", "app.yaml")
    a, b, c = table(("/a", "a", {"source": Source(path, 3)}),
                    ("/a", "b", {"source": Source(path, 7), "methods": ["GET", "POST"]}),
                    ("/p/<x>", "p", {"source": Source(os.path.join(root, "other.yaml"), 1)}))
    return [
        Finding("RL102", "warning", "tie: 100%, a,b: c", [c], Witness("GET", "/p/a"), "p"),
        Finding("RL101", "error", "/a (b) duplicates /a (a)", [b, a], Witness("POST", "/a"),
                "a", kind="duplicate"),
        Finding("RL104", "info", "line one\nline two\r", [a], None, None),
    ]


# ----------------------------------------------------------------------------- text


def test_text_lines_sorted_with_witness_and_summary(findings):
    lines = list(output.text_lines(findings, 12, noqa=4, baselined=2))
    assert lines[0].endswith("other.yaml:1: RL102 warning: tie: 100%, a,b: c")
    assert lines[1] == "    witness: GET /p/a -> answered by p"
    assert lines[2].endswith("app.yaml:3: RL104 info: line one\nline two\r")
    assert lines[3].endswith("app.yaml:7: RL101 error: /a (b) duplicates /a (a)")
    assert lines[4] == "    witness: POST /a -> answered by a"
    assert lines[-1] == "1 error, 1 warning, 1 info in 12 routes; 4 suppressed by noqa; " \
                        "2 in baseline"


def test_summary_line_wording():
    assert output.summary_line([], 1) == "no findings in 1 route"
    assert output.summary_line([], 1200, stale=2) == (
        "no findings in 1,200 routes; 2 baseline entries no longer found "
        "(refresh with --write-baseline)")


def test_witness_without_answer_and_with_host():
    (a,) = table(("/a", "a"))
    f = Finding("RL110", "warning", "m", [a], Witness("GET", "/a", "api.example.com"), None)
    assert output.describe_witness(f) == "GET /a (host api.example.com) -> no route answers it"


def test_show_source_lines(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("routes:\n  - rule: /a\n    endpoint: a\n")
    (a,) = table(("/a", "a", {"source": Source(str(path), 2)}))
    lines = output.finding_lines(Finding("RL111", "info", "m", [a]), output.SourceLines())
    assert lines[-1] == "        2 |   - rule: /a"


# ----------------------------------------------------------------------------- json


def test_json_is_exactly_the_contract_shape(findings):
    data = output.json_document(findings, 3)
    assert set(data) == {"findings", "summary"}
    assert data["summary"] == {"routes": 3, "errors": 1, "warnings": 1, "infos": 1,
                               "complete": True}
    for item in data["findings"]:
        assert set(item) == {"code", "severity", "message", "routes", "witness", "answered_by"}
        for route in item["routes"]:
            assert set(route) == {"rule", "endpoint", "methods", "source"}
    dup = data["findings"][1]
    assert dup["witness"] == {"method": "POST", "url": "/a"} and dup["answered_by"] == "a"
    assert data["findings"][2]["witness"] is None
    json.dumps(data)


def test_statistics(findings):
    rows = output.statistics(findings + findings[:1], RULES)
    assert rows[0] == {"code": "RL102", "name": "order-dependent-ambiguity",
                       "severity": "warning", "count": 2}
    assert [row["code"] for row in rows] == ["RL102", "RL101", "RL104"]
    assert next(output.statistics_lines(rows)) == "2  RL102  order-dependent-ambiguity  (warning)"


def test_statistics_count_each_severity_apart(findings):
    # An info RL107 (twins with one endpoint) is not counted as a warning.
    twins = [Finding("RL107", severity, "slash twins", findings[0].routes)
             for severity in ("warning", "info", "warning")]
    rows = output.statistics(twins, RULES)
    assert [(row["severity"], row["count"]) for row in rows] == [("warning", 2), ("info", 1)]
    assert sum(row["count"] for row in rows) == len(twins)


# ----------------------------------------------------------------------------- sarif


def test_sarif_required_structure(findings, root):
    log = output.sarif_document(findings, rules=RULES, version="9.9", root=root)
    json.dumps(log)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "routecli" and driver["version"] == "9.9"
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == sorted(RULES)
    for rule in driver["rules"]:
        assert rule["name"] == RULES[rule["id"]].name
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and "## What it does" in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note", "none")
    assert driver["rules"][ids.index("RL104")]["defaultConfiguration"]["level"] == "note"
    assert driver["rules"][ids.index("RL109")]["defaultConfiguration"] == {
        "level": "none", "enabled": False}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file://")
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    levels = {}
    for result in run["results"]:
        assert result["ruleId"] in RULES
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("none", "note", "warning", "error")
        assert result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert physical["region"]["startLine"] >= 1
        assert set(result["partialFingerprints"]) == {output.FINGERPRINT_KEY}
        levels[result["ruleId"]] = (result["level"], physical["artifactLocation"]["uri"],
                                    physical["region"]["startLine"])
    assert levels == {"RL101": ("error", "routes/app.yaml", 7),
                      "RL102": ("warning", "other.yaml", 1),
                      "RL104": ("note", "routes/app.yaml", 3)}
    dup = next(r for r in run["results"] if r["ruleId"] == "RL101")
    assert dup["partialFingerprints"][output.FINGERPRINT_KEY] == findings[1].fingerprint()
    (related,) = dup["relatedLocations"]
    assert related["physicalLocation"]["region"]["startLine"] == 3
    assert related["message"]["text"] == "/a (a)"
    assert "witness: POST /a -> answered by a" in dup["message"]["text"]
    assert dup["properties"]["witness"] == {"method": "POST", "url": "/a"}


def test_sarif_paths_are_uris_and_outside_files_are_absolute(tmp_path):
    inside = tmp_path / "repo"
    inside.mkdir()
    (a,) = table(("/a", "a", {"source": Source(str(inside / "my routes.yaml"), 1)}))
    (b,) = table(("/b", "b", {"source": Source(str(tmp_path / "elsewhere.yaml"), 2)}))
    (c,) = table(("/c", "c"))  # no source at all: no location, still a result
    log = output.sarif_document([Finding("RL101", "error", "m", [a]),
                                 Finding("RL101", "error", "m", [b]),
                                 Finding("RL101", "error", "m", [c])],
                                rules=RULES, root=str(inside))
    results = log["runs"][0]["results"]
    artifacts = [r["locations"][0]["physicalLocation"]["artifactLocation"]
                 for r in results if "locations" in r]
    assert {"uri": "my%20routes.yaml", "uriBaseId": "%SRCROOT%"} in artifacts
    (outside,) = [a for a in artifacts if "uriBaseId" not in a]
    assert outside["uri"].startswith("file:///") and outside["uri"].endswith("/elsewhere.yaml")
    assert sum(1 for r in results if "locations" not in r) == 1


def test_project_root_finds_git(tmp_path):
    (tmp_path / ".git").mkdir()
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert output.project_root(str(deep)) == str(tmp_path)


# ----------------------------------------------------------------------------- github


def test_github_escaping():
    assert output.escape_data("100% a\r\nb:c,d") == "100%25 a%0D%0Ab:c,d"
    assert output.escape_property("100% a\r\nb:c,d") == "100%25 a%0D%0Ab%3Ac%2Cd"


def test_github_commands(findings, root):
    lines = list(output.github_lines(findings, rules=RULES, root=root))
    assert lines[0] == ("::warning file=other.yaml,line=1,title=RL102 order-dependent-ambiguity"
                        "::tie: 100%25, a,b: c%0Awitness: GET /p/a -> answered by p")
    assert lines[1] == "::notice file=routes/app.yaml,line=3,title=RL104 specialisation" \
                       "::line one%0Aline two%0D"
    assert lines[2].startswith("::error file=routes/app.yaml,line=7,title=RL101 duplicate::")
    for line in lines:
        assert "\n" not in line and "\r" not in line


def test_github_property_escaping_in_file_and_title(tmp_path):
    (a,) = table(("/a", "a", {"source": Source(str(tmp_path / "a,b:c.yaml"), 4)}))
    rules = {"RL101": SimpleNamespace(name="dup, really: yes")}
    (line,) = output.github_lines([Finding("RL101", "error", "m", [a])], rules=rules,
                                  root=str(tmp_path))
    assert line == "::error file=a%2Cb%3Ac.yaml,line=4,title=RL101 dup%2C really%3A yes::m"


def test_github_without_source():
    (a,) = table(("/a", "a"))
    (line,) = output.github_lines([Finding("RL101", "error", "m", [a])], rules=RULES)
    assert line == "::error title=RL101 duplicate::m"


# ----------------------------------------------------------------------------- rule docs


def test_rule_docs_renderings():
    info = RULES["RL101"]
    markdown = output.rule_markdown(info)
    assert markdown.startswith("# RL101 duplicate\n")
    for title in ("What it does", "Why it matters", "Example", "How to fix"):
        assert f"## {title}" in markdown and f"{title}:" in output.rule_text(info)
    assert "```yaml\nroutes:" in markdown
    assert output.rule_dict(info) == {
        "code": "RL101", "name": "duplicate", "default_severity": "error", "default": "on",
        "summary": "duplicate summary", "what": "What duplicate does.", "why": "Because.",
        "example": info.example, "fix": "Fix it."}
    assert "(routecli lint does not report it)" in output.rule_markdown(RULES["RL109"])
    assert output.rule_dict(RULES["RL109"])["default"] == "off"
    opt_in = SimpleNamespace(**vars(RULES["RL105"]), default="opt-in")
    assert "opt-in: lint reports it when selected" in output.rule_markdown(opt_in)
    assert output.rule_dict(opt_in)["default"] == "opt-in"
    lines = list(output.rules_table_lines(RULES))
    assert lines[0].startswith("RL101  duplicate ") and len(lines) == len(RULES)


# ----------------------------------------------------------------------------- conflicts


def test_conflicts_grouping_and_limit():
    hub, *others = table(("/<path:p>", "hub"), *[(f"/r{i}", f"r{i}") for i in range(8)],
                         ("/x", "x"), ("/x", "y"))
    pairs = [Finding("RL104", "info", f"spec {o.rule}", [hub, o], Witness("GET", o.rule), o.endpoint,
                     kind="specialisation") for o in others[:8]]
    single = Finding("RL101", "error", "dup", others[8:], Witness("GET", "/x"), "x",
                     kind="duplicate")
    groups, rest = output.conflict_groups(pairs + [single])
    assert [(rule.endpoint, len(members)) for rule, members in groups] == [("hub", 8)]
    assert rest == [single]
    lines = list(output.conflicts_lines(pairs + [single], 11, limit=3))
    assert lines[0] == "/<path:p> (hub) overlaps 8 routes; 3 shown"
    assert lines[1] == "  RL104 info [specialisation]: /r0 (r0)"
    assert sum(1 for line in lines if line.startswith("  RL104")) == 3
    assert any("5 more" in line for line in lines)
    assert "RL101 error [duplicate]: /x (x) / /x (y)" in lines
    assert lines[-1] == "9 conflicts in 11 routes"


def test_conflicts_group_entries_show_the_other_route():
    """Under a group header for route X, each entry names the pair's other route, and a
    message about X itself says so: never "X ... ties with X"."""
    tbl = table(("/p/<any(a,b):x>", "pick"), ("/p/<y>", "page"), ("/p/<any(a,c):z>", "pick2"),
                ("/p/<uuid:u>", "u"))
    pick, page, pick2, uuid = tbl.rules
    ties = [Finding("RL102", "warning", "ties with `/p/<any(a,b):x>`", [page, pick],
                    Witness("GET", "/p/a"), "pick", kind="tie"),
            Finding("RL102", "warning", "ties with `/p/<y>`", [pick2, page],
                    Witness("GET", "/p/c"), "page", kind="tie"),
            Finding("RL102", "warning", "ties with `/p/<y>`", [uuid, page],
                    Witness("GET", "/p/u"), "page", kind="tie")]
    assert output.group_entry(ties[0], page) == (
        [pick], "/p/<y> (page): ties with `/p/<any(a,b):x>`")
    assert output.group_entry(ties[1], page) == ([pick2], "ties with `/p/<y>`")
    lines = list(output.conflicts_lines(ties, 4))
    assert lines[0] == "/p/<y> (page) overlaps 3 routes; 3 shown"
    entries = [(lines[i], lines[i + 1]) for i in range(1, len(lines) - 1)
               if lines[i].startswith("  RL102")]
    assert entries[0] == ("  RL102 warning [tie]: /p/<any(a,b):x> (pick)",
                          "      /p/<y> (page): ties with `/p/<any(a,b):x>`")
    assert entries[1] == ("  RL102 warning [tie]: /p/<any(a,c):z> (pick2)",
                          "      ties with `/p/<y>`")


def test_conflicts_groups_on_a_real_table():
    from routecli.analysis import conflicts

    tbl = table(("/p/<any(a,b):x>", "pick"), ("/p/<y>", "page"), ("/p/<any(a,c):z>", "pick2"),
                ("/p/<uuid:u>", "u"))
    report = conflicts(tbl)
    groups, _ = output.conflict_groups(report.findings)
    for rule, members in groups:
        for finding in members:
            others, message = output.group_entry(finding, rule)
            assert rule not in others
            # the message names the group's route unless it is about the group's route
            assert f"`{rule.rule}`" in message or message.startswith(output.short_label(rule))


def test_absolute_witness_in_every_format(tmp_path):
    path = str(tmp_path / "routes.yaml")
    a, b = table(("/", "api", {"subdomain": "api", "source": Source(path, 2)}),
                 ("/", "api2", {"subdomain": "api", "source": Source(path, 5)}),
                 server_name="example.com")
    f = Finding("RL101", "error", "dup", [b, a],
                Witness("GET", "http://api.example.com/", "api.example.com"), "api")
    assert output.describe_witness(f) == "GET http://api.example.com/ -> answered by api"
    assert f.to_dict()["witness"] == {"method": "GET", "url": "http://api.example.com/"}
    (line,) = output.github_lines([f], root=str(tmp_path))
    assert line.endswith("%0Awitness: GET http://api.example.com/ -> answered by api")
    sarif = output.sarif_document([f], root=str(tmp_path), version="0")
    (result,) = sarif["runs"][0]["results"]
    assert result["properties"]["witness"] == {"method": "GET", "url": "http://api.example.com/"}
    assert "(witness: GET http://api.example.com/ -> answered by api)" in result["message"]["text"]


def _unescape(text: str) -> str:
    import re

    return re.sub(r"%([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), text)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_github_escaping_round_trips(text):
    prop = output.escape_property(text)
    assert not set(prop) & set(",:\r\n")
    assert _unescape(prop) == text
    data = output.escape_data(text)
    assert "\n" not in data and "\r" not in data and _unescape(data) == text
