"""The confirmed Django cases (docs/django.md#how-django-resolves), each answered by
routecli's Django dialect and by Django itself (resolve() and the test client with
CommonMiddleware); both must agree, and the case's known outcome must hold."""

from __future__ import annotations

import pytest

pytest.importorskip("django")

from django.urls import include, path, re_path  # noqa: E402
from django.views.decorators.common import no_append_slash  # noqa: E402
from django.views.decorators.http import (  # noqa: E402
    require_GET,
    require_http_methods,
    require_safe,
)

import django_oracle as oracle  # noqa: E402
from routecli.routing.django.table import DjangoTable  # noqa: E402
from routecli.routing.urls import split_url  # noqa: E402
from routecli.sources.python.django_urlconf import routeset_from_app  # noqa: E402

oracle.setup()
v = oracle.view


def both(urlpatterns, method, url, debug=False, append_slash=True):
    """routecli's and Django's answers, compared field by field; returns routecli's."""
    oracle.install(urlpatterns)
    table = DjangoTable(routeset_from_app(urlpatterns, append_slash=append_slash, debug=debug))
    ours = table.match(method, url, explain=True)
    theirs = oracle.request(method, url, debug=debug, append_slash=append_slash)
    assert ours.status == theirs["status"], (ours, theirs)
    assert ours.location == theirs["location"]
    if ours.status == 405:
        assert ours.allowed_methods == theirs["allow"]
    path = ours.path
    resolved = oracle.resolve(path)
    hit = table.resolve(path)
    if resolved["status"] == 404:
        assert hit is None
        tried = [[str(p.pattern) for p in attempt] for attempt in table.root.tried(path[1:])]
        assert tried == resolved["tried"]
    else:
        assert hit is not None
        assert hit.endpoint.endpoint == resolved["view_name"]
        assert hit.endpoint.rule == resolved["route"]
        assert hit.args == resolved["args"]
        assert hit.kwargs == resolved["kwargs"]
    return ours


def test_d01_first_match_wins_over_a_later_literal():
    r = both([path("users/<str:username>/", v("n"), name="n"),
              path("users/me/", v("me"), name="me")], "GET", "/users/me/")
    assert (r.endpoint, r.args) == ("n", {"username": "me"})


def test_d02_converter_value_error_falls_through():
    r = both([path("y/<even:year>/", v("e"), name="e"), path("y/<str:year>/", v("s"), name="s")],
             "GET", "/y/1801/")
    assert (r.endpoint, r.args) == ("s", {"year": "1801"})
    r = both([path("y/<even:year>/", v("e"), name="e"), path("y/<str:year>/", v("s"), name="s")],
             "GET", "/y/1800/")
    assert (r.endpoint, r.args) == ("e", {"year": 1800})


def test_d03_failed_include_backtracks_to_later_siblings():
    r = both([path("api/<int:ver>/", include([path("things/<int:id>/", v("t"), name="t")])),
              path("api/<int:ver>/things/special/", v("sp"), name="sp")],
             "GET", "/api/2/things/special/")
    assert (r.endpoint, r.args) == ("sp", {"ver": 2})


@pytest.mark.parametrize("url, status", [("/n/-1/", 404), ("/n/007/", 200)])
def test_d04_int_has_no_sign(url, status):
    r = both([path("n/<int:n>/", v("i"), name="i")], "GET", url)
    assert r.status == status
    if status == 200:
        assert r.args == {"n": 7}


def test_d05_slug_has_no_dot():
    assert both([path("s/<slug:s>/", v("s"), name="s")], "GET", "/s/h.e/").status == 404


@pytest.mark.parametrize("value", ["ABCDEF12-ABCD-1234-ABCD-1234ABCD1234",
                                   "abcdef12abcd1234abcd1234abcd1234"])
def test_d06_uuid_is_lower_case_with_hyphens(value):
    assert both([path("u/<uuid:u>/", v("u"), name="u")], "GET", f"/u/{value}/").status == 404


def test_d07_path_converter_is_not_empty():
    assert both([path("p/<path:rest>", v("p"), name="p")], "GET", "/p/").status == 404


def test_d08_prefix_matches_once():
    assert both([path("g/<path:p>/", include([path("x/", v("x"), name="x")]))],
                "GET", "/g/a/x/").status == 404


def test_d09_re_path_without_caret_matches_mid_path():
    r = both([re_path("anywhere/", v("a"), name="a")], "GET", "/x/anywhere/deeper/")
    assert r.endpoint == "a"


def test_d10_re_path_without_dollar_is_a_prefix():
    assert both([re_path("^prefixonly", v("p"), name="p")], "GET",
                "/prefixonly/whatever").endpoint == "p"


def test_d11_unnamed_groups_are_positional():
    r = both([re_path("^re2/([0-9]+)/([a-z]+)/$", v("r"), name="r")], "GET", "/re2/12/ab/")
    assert r.positional == ("12", "ab") and r.args == {}


def test_d12_named_groups_drop_unnamed_ones():
    r = both([re_path("^re3/(?P<a>[0-9]+)/([a-z]+)/$", v("r"), name="r")], "GET", "/re3/12/ab/")
    assert r.positional == () and r.args == {"a": "12"}


def test_d13_dollar_endpoint_is_fullmatched():
    assert both([re_path("anywhere/$", v("a"), name="a")], "GET", "/x/anywhere/").status == 404


def test_d14_methods_play_no_part_in_resolution():
    r = both([path("gp/", require_http_methods(["GET", "POST"])(v("first")), name="first"),
              path("gp/", v("second"), name="second")], "PUT", "/gp/")
    assert (r.status, r.endpoint, r.allowed_methods) == (405, "first", ["GET", "POST"])


def test_d15_require_get_refuses_head():
    r = both([path("og/", require_GET(v("og")), name="og")], "HEAD", "/og/")
    assert (r.status, r.allowed_methods) == (405, ["GET"])
    assert both([path("os/", require_safe(v("os")), name="os")], "HEAD", "/os/").status == 200


@pytest.mark.parametrize("method, status", [("HEAD", 200), ("OPTIONS", 200), ("DELETE", 405),
                                            ("GET", 200)])
def test_d16_class_based_view_methods(method, status):
    r = both([path("items/<int:pk>/", oracle.class_view("Item", ("get", "post")), name="item")],
             method, "/items/3/")
    assert r.status == status
    if status == 405:
        assert r.allowed_methods == ["GET", "POST", "HEAD", "OPTIONS"]


def test_d17_append_slash_keeps_the_query():
    r = both([path("slashy/", v("s"), name="s")], "GET", "/slashy?x=1")
    assert (r.status, r.location) == (301, "/slashy/?x=1")


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "GET", "OPTIONS"])
@pytest.mark.parametrize("debug", [False, True])
def test_d18_append_slash_body_methods_under_debug(method, debug):
    r = both([path("slashy/", v("s"), name="s")], method, "/slashy", debug=debug)
    import django

    refused = ("POST", "PUT", "PATCH") + (("DELETE",) if django.VERSION >= (5,) else ())
    expected = 500 if debug and method in refused else 301
    assert r.status == expected


@pytest.mark.parametrize("version, status", [("4.2", 301), ("5.0", 500), ("5.2", 500)])
def test_d18_route_files_name_the_django_version(version, status):
    from routecli.routing.dialects import compile_table
    from routecli.sources.schema import routeset_from_data

    data = {"settings": {"dialect": "django", "debug": True, "django_version": version},
            "routes": [{"rule": "slashy/", "endpoint": "s"}]}
    table = compile_table(routeset_from_data(data, "urls.yaml"))
    assert table.match("DELETE", "/slashy").status == status
    assert table.match("POST", "/slashy").status == 500


def test_d20_no_append_slash_view():
    assert both([path("na/", no_append_slash(v("na")), name="na")], "GET", "/na").status == 404


def test_d21_slash_is_never_stripped():
    assert both([path("exact", v("e"), name="e")], "GET", "/exact/").status == 404


def test_d22_leading_slash_only_matches_a_double_slash():
    patterns = [path("/lead", v("l"), name="l")]
    assert both(patterns, "GET", "/lead").status == 404
    oracle.install(patterns)
    table = DjangoTable(routeset_from_app(patterns))
    assert oracle.resolve("//lead")["view_name"] == "l"
    assert table.resolve("//lead").endpoint.endpoint == "l"


def test_d23_namespace_and_app_name():
    r = both([path("shop/", include(([path("items/<int:pk>/", v("item"), name="item")], "shop"),
                                    namespace="shop2"))], "GET", "/shop/items/3/")
    assert (r.endpoint, r.rule.rule) == ("shop2:item", "shop/items/<int:pk>/")


def test_d24_double_slash_is_not_collapsed():
    assert both([path("slashy/", v("s"), name="s")], "GET", "/slashy//").status == 404


def test_d25_empty_route_is_the_root():
    assert both([path("", v("home"), name="home")], "GET", "/").endpoint == "home"


def test_d26_extra_kwargs_override_captures():
    r = both([path("k/<int:id>/", v("k"), {"id": "kw"}, name="k")], "GET", "/k/5/")
    assert r.args == {"id": "kw"}


def test_d27_encoded_slash_is_a_slash():
    assert both([path("users/<str:name>/", v("u"), name="u")], "GET",
                "/users/a%2Fb/").status == 404


def test_include_kwargs_lose_to_child_captures_and_reach_children():
    patterns = [path("a/<int:x>/", include([path("<str:y>/", v("c"), name="c")]),
                     {"x": "inc", "y": "inc"})]
    r = both(patterns, "GET", "/a/1/b/")
    assert r.args == {"x": "inc", "y": "b"}


def test_view_name_without_url_name_is_the_dotted_path():
    r = both([path("f/", v("plain"))], "GET", "/f/")
    assert r.endpoint == "oracle_views.plain"


def test_append_slash_location_is_quoted_and_a_leading_double_slash_escaped():
    r = both([path("/x/", v("x"), name="x")], "GET", "//x?q=%C3%A9 1")
    assert r.location == "/%2Fx/?q=%C3%A9%201"
    r = both([path("é b/", v("e"), name="e")], "GET", "/%C3%A9%20b")
    assert r.location == "/%C3%A9%20b/"


def test_broken_utf8_is_requoted():
    r = both([re_path(r"^(?P<raw>.+)/$", v("raw"), name="raw")], "GET", "/a%FFb/")
    assert r.args == {"raw": "a%FFb"}


def test_i18n_prefix_of_the_active_language():
    from django.conf.urls.i18n import i18n_patterns

    patterns = i18n_patterns(path("about/", v("about"), name="about"))
    assert both(patterns, "GET", "/en/about/").endpoint == "about"
    assert both(patterns, "GET", "/about/").status == 404


@pytest.mark.parametrize("url", ["/about/", "/en/about/", "/de/about/", "/about", "/x/",
                                 "/en/x/", "/"])
def test_i18n_without_the_default_language_prefix(url):
    from django.conf.urls.i18n import i18n_patterns

    patterns = [path("x/", v("x"), name="x"),
                *i18n_patterns(path("about/", v("about"), name="about"),
                               path("", v("home"), name="home"),
                               prefix_default_language=False)]
    both(patterns, "GET", url)  # routecli answers as Django does, field by field


@pytest.mark.parametrize("url", ["/de/about/", "/en/about/", "/about/", "/de/about"])
def test_i18n_prefix_of_another_active_language(url):
    from django.conf.urls.i18n import i18n_patterns
    from django.utils import translation

    with translation.override("de"):
        patterns = i18n_patterns(path("about/", v("about"), name="about"),
                                 prefix_default_language=False)
        both(patterns, "GET", url)


def test_split_url_keeps_a_double_slash_path():
    assert split_url("//lead")[2] == "//lead"
