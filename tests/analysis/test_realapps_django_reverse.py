"""``routecli url`` on the Django projects of the real-app corpus: every ``reverse()``
answer recorded from the live projects (tools/realapps_django_reverse.py: each URL name
with sample arguments) is given by routecli on the route-file snapshots too, except where
a value goes through a project's own converter: a snapshot keeps its regex, not its
``to_url`` (DRF's format suffix writes ``.json/`` from ``json``), and the live table,
checked when recording, runs the real one."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import realapps_django  # noqa: E402
import realapps_django_reverse as recorded  # noqa: E402

NAMES = sorted(realapps_django.APPS)


@pytest.mark.parametrize("name", NAMES)
def test_snapshots_reverse_as_the_live_projects_did(name):
    import routecli

    table = routecli.load(str(realapps_django.TABLES / f"{name}.json"))
    answers = json.loads((recorded.REVERSES / f"{name}.json").read_text(encoding="utf-8"))
    assert len(answers) >= 50  # every name, several argument sets each
    kept = [answer for answer in answers if not _through_own_converter(table, *answer[:2])]
    assert len(kept) >= 0.8 * len(answers)
    wrong = [(lookup, kwargs, expected, ours) for lookup, kwargs, expected in kept
             if (ours := recorded.routecli_reverse(table, lookup, kwargs)) != expected]
    assert wrong == []
    assert sum(expected not in (recorded.NO_MATCH, recorded.ERROR)
               for _, _, expected in answers) >= len(answers) // 4


def _through_own_converter(table, name: str, kwargs: dict) -> bool:
    from routecli.routing.django.converters import BUILTIN

    found, _ = table.reverser.candidates(name)
    return any(key in candidate.converters and candidate.converters[key] is not
               BUILTIN.get(candidate.converters[key].name)
               for candidate in found for key in kwargs)
