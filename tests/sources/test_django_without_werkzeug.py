"""Reading a Django project needs Django, not Flask or Werkzeug (the `django` extra
installs Django alone): the loader imports neither."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("django")

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures_apps"

SCRIPT = """
import sys
sys.modules["werkzeug"] = None  # any import of it fails
sys.modules["flask"] = None
from routecli.routing.dialects import compile_table
from routecli.sources.python.django_project import load_urlconf
table = compile_table(load_urlconf(settings_module="django_site.settings"))
print(table.match("GET", "/shop/items/3/").status, table.match("DELETE", "/y/2000/").status)
"""


def test_a_django_project_loads_without_werkzeug():
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=FIXTURES, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["200", "405"]
