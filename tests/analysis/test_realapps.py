"""The default rule set on real route tables (docs/lint.md#rules): every finding `routecli
lint` reports by default on the corpus is recorded and judged a true positive in
tests/realapps/judgements.json (rebuilt by tools/realapps.py). A new default finding, or one
judged noise, fails here: the default output must not grow noise. The corpus is the shared
route corpora, snapshots of thirteen Flask apps and extensions and four Starlette/FastAPI
apps from PyPI (run everywhere), and the live apps themselves where they are installed
(python tools/realapps.py explains how), whose every route's sample request routecli must
answer as the app's own TestClient does.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import realapps  # tools/realapps.py

JUDGED = realapps.load_judgements()


def _table(name: str):
    kind, stem = name.split("/", 1)
    if kind == "corpus":
        return realapps.corpus_table(realapps.CORPORA / f"{stem}.routes")
    import routecli

    return routecli.load(str(realapps.TABLES / f"{stem}.json"))


def _fingerprint(finding) -> str:
    return finding.fingerprint()


def _endpoints(finding) -> tuple:
    """A finding's identity across a live app and its snapshot, whose rules spell the
    app's own converters differently (``<regex("[a-z]+"):x>`` and ``<app1:x>``)."""
    return (finding.code, tuple(rule.endpoint for rule in finding.routes))


def _check(name: str, default: list, key=_fingerprint) -> None:
    if key is _fingerprint:
        recorded = {entry["fingerprint"]: entry for entry in JUDGED[name]}
    else:
        recorded = {(entry["code"], tuple(entry["endpoints"])): entry for entry in JUDGED[name]}
    for finding in default:
        entry = recorded.get(key(finding))
        assert entry is not None and entry["default"], (
            f"{name}: a new default finding, judge it (python tools/realapps.py judge): "
            f"{finding.code} {finding.severity}: {finding.message}")
        assert entry["verdict"] == "true-positive", (
            f"{name}: the default output reports noise: {finding.code}: {finding.message} "
            f"({entry['why']})")
    reported = {key(finding) for finding in default}
    missed = [entry for entry_key, entry in recorded.items()
              if entry["default"] and entry_key not in reported]
    assert not missed, f"{name}: true positives no longer reported: {missed}"


def test_the_corpus_is_what_the_issue_asks_for():
    apps = [name for name in JUDGED if name.startswith("app/")]
    corpora = {path.stem for path in realapps.CORPORA.glob("*.routes")}
    assert len(apps) >= 8
    assert {name.split("/", 1)[1] for name in JUDGED if name.startswith("corpus/")} == corpora
    assert {f"app/{name}" for name in realapps.APPS} == set(apps)


@pytest.mark.parametrize("name", sorted(JUDGED))
def test_default_findings_are_judged_true_positives(name):
    default, everything = realapps.findings(_table(name))
    _check(name, default)
    # every finding of every rule is recorded too, so opt-in rules keep their judgements
    recorded = {entry["fingerprint"] for entry in JUDGED[name]}
    assert {finding.fingerprint() for finding in everything} == recorded


def test_precision_of_the_default_rule_set():
    good, noise, unjudged = realapps.precision(JUDGED)
    assert unjudged == 0
    assert good >= 3 and noise == 0
    # the opt-in rules are where the noise went: recorded, judged, not shown by default
    good_all, noise_all, _ = realapps.precision(JUDGED, default=False)
    assert noise_all > 10 * good_all


def test_judgements_file_is_well_formed():
    data = json.loads(realapps.JUDGEMENTS.read_text())
    for entries in data["tables"].values():
        for entry in entries:
            assert entry["verdict"] in realapps.VERDICTS
            assert entry["why"]


@pytest.mark.parametrize("name", sorted(realapps.APPS))
def test_live_apps_report_what_their_snapshots_do(name, tmp_path, monkeypatch):
    spec = realapps.APPS[name][1]
    if not realapps.installed(name):
        pytest.skip(f"{name} is not installed here (see tools/realapps.py)")
    import routecli

    monkeypatch.chdir(tmp_path)  # apps write logs where they run

    default, _ = realapps.findings(routecli.load(spec))
    _check(f"app/{name}", default, _endpoints)


@pytest.mark.parametrize("name", sorted(realapps.STARLETTE_APPS))
def test_live_starlette_apps_answer_sample_requests_as_routecli_does(name, tmp_path,
                                                                     monkeypatch):
    if not realapps.installed(name):
        pytest.skip(f"{name} is not installed here (see tools/realapps.py)")
    from realapps_ordered import compare, live_app, sample_requests

    import routecli
    from routecli.routing.dialects import compile_table
    from routecli.sources.python.starlette_app import routeset_from_app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    app = live_app(realapps.APPS[name][1])
    table = compile_table(routeset_from_app(app))
    problems = [p for p in compare(app, table, sample_requests(table))
                if "unverified" not in p]
    assert not problems
    # the snapshot lists what the live app does, position by position
    snapshot = routecli.load(str(realapps.TABLES / f"{name}.json"))
    assert [(e.position, e.kind, e.rule, e.endpoint, e.methods) for e in snapshot] == [
        (e.position, e.kind, e.rule, e.endpoint, e.methods) for e in table]
