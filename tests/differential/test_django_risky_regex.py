"""re_path regexes that make ``re`` backtrack for ages (``^(a+)+$``): routecli tests them in
linear time first (routecli/routing/backtracking.linear_test), so a long request that does not
match is answered at once, while every answer stays Django's (checked with resolve() on
requests short enough for Django to answer quickly)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("django")

from django.urls import include, re_path  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import django_oracle as oracle  # noqa: E402
from routecli.routing.django.patterns import RegexPattern  # noqa: E402
from routecli.routing.django.table import DjangoTable  # noqa: E402
from routecli.sources.python.django_urlconf import routeset_from_app  # noqa: E402

oracle.setup()

RISKY = [r"^(a+)+$", r"^x/(?P<n>(a|aa)+)b/$", r"(a+)+b", r"^(?P<w>(\w+\s?)*)!$", r"^y/(a|ab)+/$"]
URLPATTERNS = [
    *[re_path(regex, oracle.view(f"risky{i}")) for i, regex in enumerate(RISKY)],
    re_path(r"^inc/(?P<p>(b+)+)/", include([re_path(r"^(a|aa)+$", oracle.view("inner"))])),
]


def test_risky_regexes_get_a_linear_test():
    assert all(RegexPattern(regex, True).guard is not None for regex in RISKY)
    assert RegexPattern(r"^articles/(?P<year>[0-9]{4})/$", True).guard is None


@settings(max_examples=300)
@given(st.lists(st.text("abx/!y ", max_size=14), min_size=1, max_size=6))
def test_risky_regexes_answer_like_django(paths):
    oracle.install(URLPATTERNS)
    table = DjangoTable(routeset_from_app(URLPATTERNS))
    for raw in paths:
        url = "/" + raw.lstrip("/")
        hit = table.resolve(url)
        resolved = oracle.resolve(url)
        if resolved["status"] == 404:
            assert hit is None, (url, hit)
        else:
            assert hit is not None, (url, resolved)
            assert (hit.endpoint.endpoint, hit.args, hit.kwargs) == (
                resolved["view_name"], resolved["args"], resolved["kwargs"])


def test_a_long_request_that_cannot_match_is_answered_at_once(tmp_path):
    # Django's own resolve() would run for longer than the universe; routecli answers 404.
    routes = tmp_path / "urls.yaml"
    routes.write_text("settings: {dialect: django}\nroutes:\n" + "".join(
        f"  - {{regex: '{regex}', endpoint: risky{i}}}\n" for i, regex in enumerate(RISKY)
        if regex != "(a+)+b"),  # which any "ab" matches
        encoding="utf-8")
    code = textwrap.dedent(f"""
        import routecli
        table = routecli.load({str(routes)!r})
        for url in ["/" + "a" * 5000 + "-", "/x/" + "a" * 5000 + "c/", "/" + "a " * 3000 + "?",
                    "/y/" + "ab" * 3000 + "a"]:
            assert table.resolve(url) is None, url
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip() == "ok", done.stderr


def test_lint_names_each_risky_re_path_once(tmp_path):
    import routecli

    routes = tmp_path / "urls.yaml"
    routes.write_text("settings: {dialect: django}\nroutes:\n"
                      "  - {regex: '^(a+)+$', endpoint: one}\n"
                      "  - include: '^inc/'\n    routes:\n"
                      "      - {regex: '^(a|aa)+b/$', endpoint: two}\n"
                      "      - {regex: '^(a|aa)+c/$', endpoint: three}\n"
                      "  - {regex: '^articles/(?P<year>[0-9]{4})/$', endpoint: safe}\n",
                      encoding="utf-8")
    found = [f for f in routecli.load(str(routes)).lint().findings if f.code == "RL120"]
    assert sorted(f.details["regex"] for f in found) == [
        "^(a+)+$", "^(a|aa)+b/$", "^(a|aa)+c/$"]
    assert all(f.details["linear_in_routecli"] and "Django" in f.message for f in found)
