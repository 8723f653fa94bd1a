"""Django lint: the first-match order rules (RL2xx) and the Django traps (RL301-RL304),
each on its example; on generated URLconfs the soundness of "dead": no request resolves
to a pattern lint calls unreachable, and every witness is confirmed by the matcher."""

from __future__ import annotations

import itertools
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routecli.routing.dialects import compile_table
from routecli.sources.schema import routeset_from_data

DEAD = ("RL201", "RL202", "RL203", "RL301")


def lint(items, **options):
    table = compile_table(routeset_from_data(
        {"settings": {"dialect": "django", **options}, "routes": items}, "urls.yaml"))
    report = table.lint()
    assert report.stats["model_disagreements"] == 0
    return table, report


def codes(report):
    return [(f.code, f.routes[0].endpoint, f.witness.url, f.answered_by)
            for f in report.findings]


def test_specific_after_general_is_an_error_with_the_real_answer():
    _, report = lint([{"rule": "users/<str:username>/", "endpoint": "user"},
                      {"rule": "users/me/", "endpoint": "me"}])
    assert codes(report) == [("RL201", "me", "/users/me/", "user")]
    assert report.findings[0].severity == "error"


def test_specific_first_is_silent():
    _, report = lint([{"rule": "users/me/", "endpoint": "me"},
                      {"rule": "users/<str:username>/", "endpoint": "user"}])
    assert report.findings == []


def test_union_of_earlier_patterns():
    _, report = lint([{"rule": "a/<int:x>/", "endpoint": "int"},
                      {"rule": "a/<slug:x>-<slug:y>/", "endpoint": "pair"},
                      {"regex": "^a/(?P<v>[0-9]+(-[0-9]+)?)/$", "endpoint": "never"}])
    assert [c[:2] for c in codes(report)] == [("RL202", "never")]


def test_include_swallows_a_later_sibling():
    _, report = lint([{"include": "api/", "namespace": "api",
                       "routes": [{"rule": "<path:rest>", "endpoint": "proxy"}]},
                      {"rule": "api/health/", "endpoint": "health"}])
    assert codes(report) == [("RL301", "health", "/api/health/", "api:proxy")]


ADMIN = "django.contrib.admin.options."


def _filer_shape(override_view="filer.admin.FolderAdmin.directory_listing",
                 override_name="filer-directory_listing-root"):
    """django-filer's FolderAdmin.get_urls(): its directory listing declared before the
    changelist ModelAdmin.get_urls() generates at the same URL."""
    return [{"include": "admin/", "namespace": "admin", "routes": [
        {"include": "filer/folder/", "routes": [
            {"rule": "", "endpoint": override_name, "view": override_view},
            {"rule": "", "endpoint": "filer_folder_changelist",
             "view": ADMIN + "changelist_view"},
            {"rule": "add/", "endpoint": "filer_folder_add", "view": ADMIN + "add_view"}]}]}]


def test_override_of_a_django_contrib_pattern_is_the_idiom():
    table, report = lint(_filer_shape())
    assert report.findings == []
    listed = [f for f in table.conflicts().findings if f.code == "RL206"]
    assert [(f.code, f.routes[0].endpoint, f.witness.url) for f in listed] == [
        ("RL206", "admin:filer_folder_changelist", "/admin/filer/folder/")]
    assert "replaces it" in listed[0].message


def test_specific_first_in_conflicts_is_witnessed_with_a_real_method():
    table, _ = lint([{"rule": "users/me/", "endpoint": "me"},
                     {"rule": "users/<str:username>/", "endpoint": "user"}])
    listed = [f for f in table.conflicts().findings if f.code == "RL206"]
    assert [(f.witness.method, f.witness.url) for f in listed] == [("GET", "/users/me/")]
    assert "ROUTECLI" not in listed[0].message


def test_login_override_before_the_admin_site():
    _, report = lint([{"rule": "admin/login/", "endpoint": "two_factor:login",
                       "view": "two_factor.views.core.LoginView"},
                      {"include": "admin/", "namespace": "admin", "routes": [
                          {"rule": "login/", "endpoint": "login",
                           "view": "django.contrib.admin.sites.login"}]}])
    assert report.findings == []


def test_a_contrib_urlconf_included_twice_is_not_the_override():
    view = ADMIN + "changelist_view"
    _, report = lint(_filer_shape(override_view=view, override_name="filer_folder_changelist"))
    assert [c[:3] for c in codes(report)] == [
        ("RL203", "admin:filer_folder_changelist", "/admin/filer/folder/")]
    assert report.findings[0].severity == "info"  # the same view: no answer changes


def test_django_ninja_patterns_per_operation_change_no_answer():
    # Django Ninja: GET and PUT of /items/<int:item_id> are two patterns (two names for
    # reverse()) with the path's one view, which dispatches on the method.
    view = "ninja.operation.sync_view_wrapper"
    _, report = lint([{"include": "api/", "namespace": "api-1.0.0", "routes": [
        {"rule": "items/<int:item_id>", "endpoint": "get_item", "view": view},
        {"rule": "items/<int:item_id>", "endpoint": "update_item", "view": view}]}])
    (finding,) = report.findings
    assert (finding.code, finding.severity) == ("RL203", "info")
    assert "no answer changes" in finding.message
    assert report.failing() == []
    # another view, or the same view with other kwargs, is still an error
    for second in ({"view": "site.views.other"}, {"view": view, "kwargs": {"x": 1}}):
        _, report = lint([{"rule": "items/<int:item_id>", "endpoint": "a", "view": view},
                          {"rule": "items/<int:item_id>", "endpoint": "b", **second}])
        assert [(f.code, f.severity) for f in report.findings] == [("RL203", "error")]


def test_a_duplicate_of_a_projects_own_view_is_still_reported():
    _, report = lint([{"rule": "about/", "endpoint": "about", "view": "site.views.about"},
                      {"rule": "about/", "endpoint": "about2", "view": "site.views.about2"}])
    assert [c[:2] for c in codes(report)] == [("RL203", "about2")]


def test_failed_include_does_not_shadow():
    # D03: the include's children fail on special/, Django backtracks.
    _, report = lint([{"include": "api/<int:ver>/",
                       "routes": [{"rule": "things/<int:id>/", "endpoint": "thing"}]},
                      {"rule": "api/<int:ver>/things/special/", "endpoint": "special"}])
    assert report.findings == []


def test_rejecting_converter_never_dominates():
    from routecli.routing.django.converters import Converter
    from routecli.routing.django.table import DjangoTable
    from routecli.routing.model import Route, RouteSet

    def even(value):
        if int(value) % 2:
            raise ValueError
        return int(value)

    routes = [Route("y/<even:year>/", "even", None, name="even",
                    converters={"even": Converter("even", "[0-9]+", even)}),
              Route("y/<int:year>/", "any", None, name="any")]
    table = DjangoTable(RouteSet(routes, dialect="django"))
    assert table.match("GET", "/y/3/").endpoint == "any"
    assert table.lint().findings == []


def test_crossed_overlap_warns_with_the_shared_url():
    _, report = lint([{"rule": "<slug:entity>/me/", "endpoint": "mine"},
                      {"rule": "books/<slug:id>/", "endpoint": "book"}])
    assert codes(report) == [("RL205", "book", "/books/me/", "mine")]


@pytest.mark.parametrize("regex, url", [("anywhere/", "/aanywhere/"), ("^feed", "/feeda")])
def test_unanchored_re_path(regex, url):
    table, report = lint([{"regex": regex, "endpoint": "r"}])
    assert codes(report) == [("RL302", "r", url, "r")]
    assert table.match("GET", url).endpoint == "r"


def test_anchored_re_path_is_silent():
    _, report = lint([{"regex": "^feed/$", "endpoint": "r"}, {"regex": "x/$", "endpoint": "x"}])
    assert report.findings == []


def test_leading_slash():
    table, report = lint([{"rule": "/lead", "endpoint": "lead"}])
    assert codes(report) == [("RL303", "lead", "//lead", "lead")]
    assert table.match("GET", "/lead").status == 404


def test_append_slash_to_a_view_refusing_get():
    table, report = lint([{"rule": "login/", "endpoint": "login", "methods": ["POST"]}])
    assert [(f.code, f.witness.method, f.witness.url) for f in report.findings] == [
        ("RL304", "POST", "/login")]
    assert table.match("POST", "/login").status == 301
    assert table.match("GET", "/login/").status == 405
    _, report = lint([{"rule": "login/", "endpoint": "login", "methods": ["POST"]}],
                     append_slash=False)
    assert report.findings == []


# -- generated URLconfs: "dead" is never wrong ----------------------------------------

SEGMENTS = ["a", "b", "<int:n>", "<str:s>", "<slug:g>", "<path:p>", "x<int:k>"]
REGEXES = ["^a/$", "a/", "^a", "^(?P<n>[0-9]+)/$", "^([a-z]+)/$", "b/$", "^a/(?P<r>.*)$"]
PREFIXES = ["a/", "b/", "<int:m>/", "", "<path:w>/", "x<int:j>/"]
WORDS = ["a", "b", "1", "x1", "ab", ""]


@st.composite
def items(draw, depth=0):
    out = []
    for _ in range(draw(st.integers(0, 6 if depth == 0 else 3))):
        if depth < 2 and draw(st.integers(0, 4)) == 0:
            out.append({"include": draw(st.sampled_from(PREFIXES)),
                        "routes": draw(items(depth + 1))})
        elif draw(st.integers(0, 3)) == 0:
            out.append({"regex": draw(st.sampled_from(REGEXES)), "endpoint": "r"})
        else:
            parts = draw(st.lists(st.sampled_from(SEGMENTS), max_size=3, unique=True))
            out.append({"rule": "/".join(parts) + draw(st.sampled_from(["/", ""])),
                        "endpoint": "p"})
    return out


ALL_PATHS = ["/" + "/".join(p) + tail for n in range(4)
             for p in itertools.product(WORDS, repeat=n) for tail in ("", "/")]


@settings(max_examples=int(os.environ.get("ROUTECLI_DJANGO_EXAMPLES", "150")))
@given(items())
def test_dead_endpoints_never_answer(data):
    table, report = lint(data)
    dead = {f.routes[0].data for f in report.findings if f.code in DEAD}
    for path in ALL_PATHS:
        hit = table.resolve(path)
        assert hit is None or hit.endpoint not in dead, (path, hit)
