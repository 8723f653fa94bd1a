"""A live Django project (tests/fixtures_apps/django_site) read by routecli and answered
like Django's own test client answers it; each run in a fresh process, since Django can
be configured once per process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("django")

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures_apps"

REQUESTS = [
    ("GET", "/"), ("GET", "/users/me/"), ("POST", "/users/me/"), ("GET", "/login/"),
    ("POST", "/login"), ("GET", "/y/1999/"), ("GET", "/y/1800/"), ("DELETE", "/y/2000/"),
    ("HEAD", "/y/2000/"), ("GET", "/shop/items/3/"), ("DELETE", "/shop/items/3/"),
    ("PUT", "/shop/items/3/"), ("OPTIONS", "/shop/items/3/"), ("GET", "/shop/items/3"),
    ("GET", "/shop/legacy/ab/"), ("GET", "/raw"), ("GET", "/x/feed/y"), ("GET", "/k/4/"),
    ("GET", "/en/about/"), ("GET", "/de/about/"), ("GET", "/en/about?x=1"), ("GET", "/nope"),
]

SCRIPT = """
import json, sys
from routecli.routing.dialects import compile_table
from routecli.sources.python.django_project import load_urlconf
table = compile_table(load_urlconf(sys.argv[1] or None, sys.argv[2] or None))
from django.test import Client
client = Client(raise_request_exception=False)
out = {"rows": [], "sources": {e.endpoint: [e.route.view, str(e.source),
                                            e.allowed and list(e.allowed)]
                               for e in table if e.is_route},
       "includes": [[e.rule, str(e.source)] for e in table if not e.is_route],
       "settings": table.django.to_dict()}
for method, url in json.loads(sys.argv[3]):
    ours = table.match(method, url)
    response = client.generic(method, url)
    allow = response.headers.get("Allow")
    out["rows"].append({"request": [method, url],
        "ours": [ours.status, ours.location, ours.allowed_methods if ours.status == 405 else None],
        "django": [response.status_code, response.headers.get("Location"),
                   [m.strip() for m in allow.split(",")] if allow and response.status_code == 405
                   else None]})
print(json.dumps(out))
"""


def run_loader(urlconf: str, settings: str, requests=REQUESTS) -> dict:
    done = subprocess.run([sys.executable, "-c", SCRIPT, urlconf, settings,
                           json.dumps(requests)], cwd=FIXTURES, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_live_project_answers_like_django():
    out = run_loader("", "django_site.settings")
    for row in out["rows"]:
        assert row["ours"] == row["django"], row
    import django

    assert out["settings"] == {"append_slash": True, "debug": False,
                               "django_version": f"{django.VERSION[0]}.{django.VERSION[1]}"}


def test_live_project_views_methods_and_sources():
    out = run_loader("django_site.urls", "django_site.settings", [])
    sources = out["sources"]
    # a pattern's source is its path()/re_path() call, nested includes too
    assert sources["me"] == ["django_site.views.me", "django_site/urls.py:10", ["GET"]]
    assert sources["store:item"][0] == "django_site.views.ItemView"
    assert sources["store:item"][1] == "django_site/shop/urls.py:6"
    assert sources["store:legacy"][1] == "django_site/shop/urls.py:7"
    assert sources["feed"][1] == "django_site/urls.py:16"
    assert sources["about"][1] == "django_site/urls.py:19"
    assert out["includes"] == [["shop/", "django_site/urls.py:14"],
                               ["en/", "django_site/urls.py:19"]]
    assert sources["store:item"][2] == ["GET", "DELETE", "HEAD", "OPTIONS"]
    assert sources["year"][2] == ["GET", "PUT"]
    assert sources["home"][2] is None


def test_bare_urlconf_without_settings():
    out = run_loader("django_site.urls", "", [("GET", "/users/bob/"), ("GET", "/login")])
    assert [row["ours"][0] for row in out["rows"]] == [200, 301]
