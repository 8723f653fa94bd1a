"""The Django projects of the real-app corpus (tools/realapps_django.py): Django's admin
and auth views, Wagtail, django-oscar, django CMS (under i18n_patterns) and a Django REST
framework router, snapshotted from their live URLconfs.

* Django's own answers, recorded from the live projects (resolve(), CommonMiddleware's
  APPEND_SLASH, a view's 405), are given by routecli on the snapshots too, request for
  request;
* every lint finding on them is recorded and judged, and the default rule set reports
  nothing judged noise (docs/lint.md#rules).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import realapps  # tools/realapps.py
import realapps_django  # tools/realapps_django.py

JUDGED = realapps_django.load_judgements()
NAMES = sorted(realapps_django.APPS)


def _table(name: str):
    import routecli

    return routecli.load(str(realapps_django.TABLES / f"{name}.json"))


def test_every_project_is_snapshotted_answered_and_judged():
    assert {f"app/{name}" for name in NAMES} == set(JUDGED)
    for name in NAMES:
        assert (realapps_django.TABLES / f"{name}.json").exists()
        assert (realapps_django.ANSWERS / f"{name}.json").exists()


@pytest.mark.parametrize("name", NAMES)
def test_snapshots_answer_as_django_did(name):
    answers = json.loads((realapps_django.ANSWERS / f"{name}.json").read_text())
    assert len(answers) >= 80
    document = json.loads((realapps_django.TABLES / f"{name}.json").read_text())
    unconverted = frozenset(document.get("converters", {}))
    assert realapps_django.compare(_table(name), answers, unconverted) == []


def test_the_answers_reach_every_kind_of_outcome():
    statuses = set()
    refusals = 0
    for name in NAMES:
        for _method, _path, expected in json.loads(
                (realapps_django.ANSWERS / f"{name}.json").read_text()):
            statuses.add(expected["status"])
            refusals += "view" in expected
    assert statuses == {200, 301, 404}
    assert refusals >= 10  # views' own 405s, checked by calling them


@pytest.mark.parametrize("name", NAMES)
def test_default_findings_are_judged_true_positives(name):
    default, everything = realapps.findings(_table(name))
    recorded = {entry["fingerprint"]: entry for entry in JUDGED[f"app/{name}"]}
    for finding in default:
        entry = recorded.get(finding.fingerprint())
        assert entry is not None and entry["default"] and entry["verdict"] == "true-positive", (
            f"{name}: judge it (python tools/realapps_django.py judge): {finding.message}")
    assert {finding.fingerprint() for finding in everything} == set(recorded)
    for entry in recorded.values():
        assert entry["verdict"] in realapps.VERDICTS and entry["why"]
