"""Selection, suppression, configuration and baselines (routecli.analysis.selection),
over hand-made findings, so the semantics are pinned independently of the engine."""

import json
import os
from pathlib import Path

import pytest

from helpers import table
from routecli.analysis.findings import Finding, Report, Witness
from routecli.analysis.selection import (
    Baseline,
    Layer,
    LintSettings,
    apply,
    baseline_document,
    find_config,
    load_settings,
    noqa_suppresses,
    parse_codes,
    path_matches,
    read_baseline,
    resolve,
    settings_from_mapping,
    write_baseline,
)
from routecli.errors import RouteError
from routecli.routing.model import Source

CODES = tuple(f"RL{n}" for n in range(101, 112))


def rules(*specs):
    """Compiled rules from (rule, endpoint, file, line, noqa) tuples."""
    items = []
    for rule, endpoint, *rest in specs:
        options = {}
        if rest and rest[0]:
            options["source"] = Source(rest[0], rest[1] if len(rest) > 1 else None)
        if len(rest) > 2:
            options["noqa"] = rest[2]
        items.append((rule, endpoint, options))
    return list(table(*items))


def finding(code, severity, *routes, witness=("GET", "/x"), answered_by=None):
    return Finding(code, severity, f"{code} about {[r.rule for r in routes]}", routes,
                   Witness(*witness) if witness else None, answered_by)


def enabled(*layers):
    return sorted(resolve([Layer(select=CODES)] + list(layers), CODES))


# ----------------------------------------------------------------------------- codes


def test_parse_codes_accepts_commas_spaces_lists_prefixes_and_all():
    assert parse_codes("RL101, rl102,RL1", CODES) == ("RL101", "RL102", "RL1")
    assert parse_codes(["RL105", "ALL", "all"], CODES) == ("RL105", "ALL")
    assert parse_codes("", CODES) == ()


@pytest.mark.parametrize("bad, hint", [("RL999", "did you mean"), ("RL2", ""), ("E501", ""),
                                        ("RL1O2", "did you mean 'RL102'")])
def test_parse_codes_rejects_unknown_codes(bad, hint):
    with pytest.raises(RouteError) as info:
        parse_codes(f"RL101,{bad}", CODES)
    assert f"unknown rule code '{bad}'" in info.value.message
    assert hint in info.value.message


def test_parse_codes_rejects_non_strings():
    with pytest.raises(RouteError, match="expected rule codes as strings"):
        parse_codes(["RL101", 3], CODES)
    with pytest.raises(RouteError, match="expected a list of rule codes"):
        parse_codes(5, CODES)


# ----------------------------------------------------------------------------- selection


def test_default_selects_every_rule():
    assert enabled() == list(CODES)


def test_select_prefix_and_all():
    assert enabled(Layer(select=("RL10",))) == [c for c in CODES if c.startswith("RL10")]
    assert enabled(Layer(select=("ALL",))) == list(CODES)
    assert enabled(Layer(select=("RL101", "RL111"))) == ["RL101", "RL111"]


def test_most_specific_selector_wins_and_ignore_wins_ties():
    assert "RL105" not in enabled(Layer(select=("RL1",), ignore=("RL105",)))
    # A more specific select beats a broader ignore (ruff's rule).
    assert enabled(Layer(select=("RL105",), ignore=("RL1",))) == ["RL105"]
    assert enabled(Layer(select=("RL105",), ignore=("RL105",))) == []
    assert enabled(Layer(select=("ALL",), ignore=("ALL",))) == []


def test_layers_select_resets_and_ignore_or_extend_adjust():
    config = Layer(select=("RL1",), ignore=("RL105", "RL107"))
    # CLI --ignore adds to the configured ignores.
    assert enabled(config, Layer(ignore=("RL101",))) == [
        c for c in CODES if c not in ("RL101", "RL105", "RL107")]
    # CLI --extend-select re-enables a configured ignore.
    assert "RL105" in enabled(config, Layer(extend_select=("RL105",)))
    # CLI --select replaces the configured selection, ignores included.
    assert enabled(config, Layer(select=("RL105",))) == ["RL105"]


def test_apply_drops_unselected_and_keeps_unknown_codes():
    a, b = rules(("/a", "a"), ("/b", "b"))
    report = Report([finding("RL101", "error", a, b), finding("RL105", "warning", a),
                     finding("RL999", "warning", b)], 2)
    settings = LintSettings([Layer(ignore=("RL105",))])
    result = apply(report, settings, codes=CODES)
    assert [f.code for f in result.findings] == ["RL101", "RL999"]
    assert result.unselected == 1 and result.exit_status == 1


# ----------------------------------------------------------------------------- noqa


def test_noqa_on_any_route_suppresses_and_is_counted():
    a, b, c = rules(("/a", "a", "r.yaml", 2), ("/b", "b", "r.yaml", 4, ("RL101",)),
                    ("/c", "c", "r.yaml", 6, ("all",)))
    pair = finding("RL101", "error", a, b)  # silenced from b's side
    other = finding("RL102", "warning", a, b)  # b's noqa names another code
    anything = finding("RL110", "warning", c)
    assert noqa_suppresses(pair) and not noqa_suppresses(other) and noqa_suppresses(anything)
    result = apply(Report([pair, other, anything], 3), codes=CODES)
    assert [f.code for f in result.findings] == ["RL102"]
    assert result.noqa == 2 and result.exit_status == 0
    assert len(apply(Report([pair, other, anything], 3), ignore_noqa=True,
                     codes=CODES).findings) == 3


def test_noqa_does_not_count_unselected_findings():
    (a,) = rules(("/a", "a", "r.yaml", 2, ("all",)))
    result = apply(Report([finding("RL105", "warning", a)], 1),
                   LintSettings([Layer(ignore=("RL105",))]), codes=CODES)
    assert result.noqa == 0 and result.unselected == 1


# ----------------------------------------------------------------------------- per-file


def test_path_matches(tmp_path):
    root = str(tmp_path)
    legacy = os.path.join(root, "routes", "legacy", "old.yaml")
    assert path_matches(legacy, "routes/legacy/*.yaml", root)
    assert path_matches(legacy, "./routes/*", root)  # * crosses "/"
    assert path_matches(legacy, "old.yaml", root)  # no "/": the base name
    assert not path_matches(legacy, "routes/new/*.yaml", root)
    assert not path_matches(os.path.join(root, "routes", "new.yaml"), "old.yaml", root)


def test_per_file_ignores_use_the_reported_file(tmp_path):
    root = str(tmp_path)
    old = os.path.join(root, "legacy.yaml")
    new = os.path.join(root, "app.yaml")
    a, b = rules(("/a", "a", old, 1), ("/b", "b", new, 1))
    report = Report([finding("RL102", "warning", a, b), finding("RL102", "warning", b, a),
                     finding("RL101", "error", a, b)], 2)
    settings = LintSettings(per_file_ignores={"legacy.yaml": ("RL10",)}, root=root)
    result = apply(report, settings, codes=CODES)
    assert [(f.code, f.routes[0].endpoint) for f in result.findings] == [("RL102", "b")]


# ----------------------------------------------------------------------------- severity


def test_severity_overrides_most_specific_wins():
    (a,) = rules(("/a", "a"))
    report = Report([finding("RL105", "warning", a), finding("RL107", "warning", a),
                     finding("RL101", "error", a)], 1)
    # selected (RL105 and RL107 are opt-in), so the findings made info are shown
    settings = LintSettings([Layer(select=("ALL",))], severity={"RL1": "info", "RL105": "error"})
    result = apply(report, settings, codes=CODES)
    assert [(f.code, f.severity) for f in result.findings] == [
        ("RL105", "error"), ("RL107", "info"), ("RL101", "info")]
    assert report.findings[0].severity == "warning"  # the engine's findings are not mutated


def test_fail_on_threshold():
    (a,) = rules(("/a", "a"))
    report = Report([finding("RL102", "warning", a)], 1)
    assert apply(report, codes=CODES).exit_status == 0
    assert apply(report, LintSettings(fail_on="warning"), codes=CODES).exit_status == 1
    assert apply(report, LintSettings(fail_on="info"), codes=CODES).exit_status == 1


# ----------------------------------------------------------------------------- config


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_config_from_pyproject(tmp_path):
    path = write(tmp_path / "pyproject.toml", """
[tool.routecli]
routes = ["routes.yaml"]

[tool.routecli.lint]
select = ["RL1"]
extend-select = ["RL111"]
ignore = ["RL105"]
fail-on = "warning"
strict = true
baseline = "base.json"

[tool.routecli.lint.per-file-ignores]
"legacy/*.yaml" = ["RL107"]

[tool.routecli.lint.severity]
RL102 = "error"
""")
    settings = load_settings(path, codes=CODES)
    assert settings.layers == [Layer(("RL1",), ("RL111",), ("RL105",))]
    assert settings.fail_on == "warning" and settings.strict is True
    assert settings.per_file_ignores == {"legacy/*.yaml": ("RL107",)}
    assert settings.severity == {"RL102": "error"}
    assert settings.root == str(tmp_path)
    assert settings.baseline_path() == os.path.join(str(tmp_path), "base.json")


def test_config_is_discovered_upward_and_skips_unrelated_pyprojects(tmp_path, monkeypatch):
    write(tmp_path / "pyproject.toml", '[tool.routecli.lint]\nignore = ["RL105"]\n')
    sub = tmp_path / "pkg" / "deep"
    sub.mkdir(parents=True)
    write(tmp_path / "pkg" / "pyproject.toml", '[project]\nname = "pkg"\n')
    assert find_config(str(sub)) == str(tmp_path / "pyproject.toml")
    monkeypatch.chdir(sub)
    assert load_settings(codes=CODES).layers == [Layer(None, (), ("RL105",))]
    assert load_settings(isolated=True, codes=CODES).layers == []


def test_standalone_toml_uses_its_lint_table(tmp_path):
    path = write(tmp_path / "routecli.toml", '[lint]\nselect = ["RL101"]\n')
    assert load_settings(path, codes=CODES).layers == [Layer(("RL101",), (), ())]


@pytest.mark.parametrize("body, line, message", [
    ('fail_on = "warning"', 3, ("unknown key 'fail_on' in [tool.routecli.lint] "
                                 "(did you mean 'fail-on'?)")),
    ('select = ["RL1", "RL999"]', 3, "select: unknown rule code 'RL999'"),
    ('ignore = ["RL105"]\nselect = 3', 4, "select: expected a list of rule codes"),
    ('ignore = "RL105,RL107"', 3, 'ignore: expected a list of rule codes, got string '),
    ('fail-on = "fatal"', 3, ("fail-on: expected one of 'info', 'warning', 'error', "
                              "got 'fatal'")),
    ('strict = "yes"', 3, "strict: expected true or false"),
    ('baseline = 1', 3, "baseline: expected a file path"),
    ('per-file-ignores = ["x"]', 3, "per-file-ignores must be a table"),
    ('severity = {RL105 = "fatal"}', 3, "severity 'RL105': expected one of"),
    ('severity = {RL905 = "error"}', 3, "severity: unknown rule code 'RL905'"),
])
def test_config_errors_have_file_and_line(tmp_path, body, line, message):
    path = write(tmp_path / "pyproject.toml", f"[tool.routecli.lint]\n\n{body}\n")
    with pytest.raises(RouteError) as info:
        load_settings(path, codes=CODES)
    assert message in info.value.message
    assert info.value.source == f"{path}:{line}"


def test_config_lint_must_be_a_table(tmp_path):
    path = write(tmp_path / "pyproject.toml", '[tool.routecli]\nlint = "strict"\n')
    with pytest.raises(RouteError, match="must be a table") as info:
        load_settings(path, codes=CODES)
    assert info.value.source == f"{path}:2"


def test_cli_override_replaces_and_validates():
    settings = settings_from_mapping({"select": ["RL1"], "ignore": ["RL105"], "fail-on": "info"},
                                     codes=CODES)
    cli = settings.override(select="RL105,RL107", fail_on="error", strict=True, codes=CODES)
    assert sorted(cli.enabled(CODES)) == ["RL105", "RL107"]
    assert cli.fail_on == "error" and cli.strict is True
    assert settings.fail_on == "info"  # the original is untouched
    with pytest.raises(RouteError, match="unknown rule code 'RL000'"):
        settings.override(ignore="RL000", codes=CODES)


# ----------------------------------------------------------------------------- baseline


def test_baseline_round_trip_and_line_shifts(tmp_path):
    a, b, c = rules(("/a", "a", "r.yaml", 2), ("/a", "b", "r.yaml", 4), ("/c", "c", "r.yaml", 6))
    old = [finding("RL101", "error", a, b), finding("RL102", "warning", c)]
    path = str(tmp_path / "baseline.json")
    assert write_baseline(path, old) == 2
    data = json.loads(Path(path).read_text())
    assert data["routecli-baseline"] == 1
    assert {e["code"] for e in data["findings"]} == {"RL101", "RL102"}
    assert all({"fingerprint", "code", "message", "source"} <= set(e) for e in data["findings"])
    baseline = read_baseline(path)
    assert len(baseline) == 2

    # The same routes, now on other lines: still baselined.
    a2, b2, c2, _d2 = rules(("/new", "new", "r.yaml", 2), ("/a", "a", "r.yaml", 12),
                           ("/a", "b", "r.yaml", 14), ("/c", "c", "r.yaml", 16))
    again = Report([finding("RL101", "error", b2, c2)], 4)
    result = apply(again, baseline=baseline, codes=CODES)
    assert result.findings == [] and result.baselined == 1 and result.exit_status == 0
    assert result.stale == 1  # RL102 on /c is gone
    # A new finding still fails.
    fresh = Report(again.findings + [finding("RL101", "error", a2, b2)], 4)
    result = apply(fresh, baseline=baseline, codes=CODES)
    assert [f.routes[0].endpoint for f in result.findings] == ["new"]
    assert result.exit_status == 1
    assert len(result.accepted) == 2  # what --write-baseline would record now


def test_baseline_entries_for_unselected_rules_are_not_stale(tmp_path):
    (a,) = rules(("/a", "a", "r.yaml", 2))
    path = str(tmp_path / "b.json")
    write_baseline(path, [finding("RL105", "warning", a)])
    result = apply(Report([], 1), LintSettings([Layer(ignore=("RL105",))]),
                   baseline=read_baseline(path), codes=CODES)
    assert result.stale == 0


def test_baseline_document_is_deterministic():
    a, b = rules(("/a", "a"), ("/b", "b"))
    findings = [finding("RL105", "warning", b), finding("RL101", "error", a)]
    assert baseline_document(findings) == baseline_document(findings[::-1])
    assert [e["code"] for e in baseline_document(findings)["findings"]] == ["RL101", "RL105"]


@pytest.mark.parametrize("text, message", [
    (None, "baseline file not found"),
    ("{", "invalid baseline JSON"),
    ("[]", "not a routecli baseline"),
    ('{"routecli-baseline": 9, "findings": []}', "unsupported baseline format 9"),
    ('{"routecli-baseline": 1, "findings": [{"code": "RL101"}]}', "entry 1 has no"),
])
def test_bad_baselines(tmp_path, text, message):
    path = tmp_path / "b.json"
    if text is not None:
        path.write_text(text)
    with pytest.raises(RouteError, match=message) as info:
        read_baseline(str(path))
    assert info.value.source.startswith(str(path))


def test_baseline_membership():
    (a,) = rules(("/a", "a"))
    f = finding("RL101", "error", a)
    assert f in Baseline([f.fingerprint()]) and f not in Baseline([])


def test_baseline_to_stdout_and_non_regular_files(tmp_path, capsys):
    import os

    from routecli.analysis import selection
    from routecli.errors import RouteError

    assert selection.write_baseline("-", []) == 0
    assert '"routecli-baseline"' in capsys.readouterr().out
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(RouteError, match="not a regular file"):
        selection.read_baseline(str(fifo))
