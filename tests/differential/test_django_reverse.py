"""``routecli url`` for Django tables against Django's own ``reverse()``: generated
URLconfs (names shared by several patterns, nested and application namespaces with
several instances, include kwargs, path() converters incl. one with its own ``to_url``,
re_path() with optional, unnamed and repeated groups) and generated arguments; the path,
or NoReverseMatch, must be Django's. Also the regex reading alone (``regex_forms``)
against ``django.utils.regex_helper.normalize`` on random regexes."""

from __future__ import annotations

import os
import re
import warnings

import pytest

pytest.importorskip("django")

from django.urls import NoReverseMatch, include, path, re_path  # noqa: E402
from django.urls import reverse as dj_reverse  # noqa: E402
from django.utils.regex_helper import normalize  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import django_oracle as oracle  # noqa: E402
from routecli.errors import RouteError  # noqa: E402
from routecli.routing.django.regex_forms import Irreversible, forms  # noqa: E402
from routecli.routing.django.reverse import NoReverseMatch as OurNoReverseMatch  # noqa: E402
from routecli.routing.django.table import DjangoTable  # noqa: E402
from routecli.sources.python.django_urlconf import routeset_from_app  # noqa: E402

oracle.setup()

NAMES = ["a", "b", "c"]
ROUTES = ["x/", "x/<int:n>/", "<str:s>/", "<slug:s>/y/", "<even:e>/", "<path:p>", "",
          "<int:n>/<int:m>/", "p<int:n>", "<uuid:u>/"]
REGEXES = [r"^r/$", r"^r/(?P<n>[0-9]+)/$", r"^r/([a-z]+)/(\d+)/$", r"^(?:o/(?P<n>\d+)/)?end/$",
           r"^q/(?P<s>[a-z]*)$", r"^t/(?P<n>\d{2})/(?P=n)$", r"^alt/(a|b)/$", r"r2/",
           r"^u/(?P<n>\d+)?/?$", r"^w\.(?P<s>\w+)$"]
PREFIXES = ["i/", "<int:k>/", "", "j/<slug:g>/"]
PREFIX_REGEXES = [r"^re/", r"^(?P<k>\d+)/", "^"]
VALUES = ["1", "2", "07", "abc", "a-b", "a/b", "x y", "é", "", "-3",
          "12345678-1234-1234-1234-123456789abc", "10"]
ARGUMENT_NAMES = ["n", "m", "s", "e", "p", "u", "k", "g", "_0", "_1", "z"]


@st.composite
def urlconfs(draw, depth=0):
    items = []
    for _ in range(draw(st.integers(1, 6 if depth == 0 else 4))):
        if depth < 2 and draw(st.integers(0, 3)) == 0:
            children = draw(urlconfs(depth + 1))
            kwargs = draw(st.sampled_from([None, None, {"z": "1"}, {"n": "5"}]))
            app = draw(st.sampled_from([None, None, "app", "other"]))
            target = (children, app) if app else children
            namespace = draw(st.sampled_from([None, "ns1", "ns2", app])) if app else None
            if draw(st.integers(0, 3)) == 0:
                items.append(re_path(draw(st.sampled_from(PREFIX_REGEXES)),
                                     include(target, namespace=namespace), kwargs))
            else:
                items.append(path(draw(st.sampled_from(PREFIXES)),
                                  include(target, namespace=namespace), kwargs))
            continue
        name = draw(st.sampled_from(NAMES))
        kwargs = draw(st.sampled_from([None, None, None, {"z": "1"}, {"n": "5"}]))
        if draw(st.integers(0, 2)) == 0:
            items.append(re_path(draw(st.sampled_from(REGEXES)), oracle.view(name), kwargs,
                                 name=name))
        else:
            items.append(path(draw(st.sampled_from(ROUTES)), oracle.view(name), kwargs,
                              name=name))
    return items


@st.composite
def lookups(draw):
    namespaces = draw(st.lists(st.sampled_from(["ns1", "ns2", "app", "other", "nope"]),
                               max_size=2))
    name = ":".join([*namespaces, draw(st.sampled_from(NAMES + ["d"]))])
    keys = draw(st.lists(st.sampled_from(ARGUMENT_NAMES), max_size=3, unique=True))
    return name, {key: draw(st.sampled_from(VALUES)) for key in keys}


def django_reverse(name, kwargs):
    try:
        return dj_reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return NoReverseMatch
    except Exception as exc:  # noqa: BLE001 - Django's own failure, compared as a failure
        return type(exc)


def our_reverse(table, name, kwargs):
    try:
        return table.reverse(name, **kwargs)
    except OurNoReverseMatch:
        return NoReverseMatch
    except RouteError:
        return Exception


@settings(max_examples=int(os.environ.get("ROUTECLI_DJANGO_EXAMPLES", "300")), deadline=None)
@given(urlconfs(), st.lists(lookups(), min_size=1, max_size=10))
def test_generated_urlconfs_reverse_like_django(urlpatterns, wanted):
    oracle.install(urlpatterns)
    table = DjangoTable(routeset_from_app(urlpatterns))
    for name, kwargs in wanted:
        theirs = django_reverse(name, kwargs)
        ours = our_reverse(table, name, kwargs)
        if isinstance(theirs, type) and theirs is not NoReverseMatch:
            assert ours is Exception, (name, kwargs, ours, theirs)
        else:
            assert ours == theirs, (name, kwargs)


def test_the_last_pattern_of_a_name_that_fits_is_built():
    urlpatterns = [path("first/<int:n>/", oracle.view("v"), name="v"),
                   path("second/<int:n>/", oracle.view("v"), name="v"),
                   path("third/", oracle.view("v"), name="v")]
    oracle.install(urlpatterns)
    table = DjangoTable(routeset_from_app(urlpatterns))
    assert table.reverse("v", n="3") == dj_reverse("v", kwargs={"n": "3"}) == "/second/3/"
    assert table.reverse("v") == "/third/"


def test_an_application_namespace_builds_its_default_instance():
    children = [path("<int:n>/", oracle.view("v"), name="v")]
    urlpatterns = [path("one/", include((children, "app"), namespace="first")),
                   path("two/", include((children, "app"), namespace="second")),
                   path("three/", include((children, "app"), namespace="app")),
                   path("four/", include((children, "solo"), namespace="only"))]
    oracle.install(urlpatterns)
    table = DjangoTable(routeset_from_app(urlpatterns))
    for name, expected in [("app:v", "/three/1/"), ("first:v", "/one/1/"),
                           ("solo:v", "/four/1/"), ("only:v", "/four/1/")]:
        assert table.reverse(name, n=1) == dj_reverse(name, kwargs={"n": 1}) == expected


def test_values_are_quoted_as_django_quotes_them():
    urlpatterns = [path("f/<path:p>", oracle.view("f"), name="f")]
    oracle.install(urlpatterns)
    table = DjangoTable(routeset_from_app(urlpatterns))
    for value in ["a b/c", "é?x#y", "//host", "!$&'()*+,;=:@~%"]:
        assert table.reverse("f", p=value) == dj_reverse("f", kwargs={"p": value})


def test_a_live_converter_builds_with_its_own_to_url():
    class Year:
        regex = "[0-9]{4}"

        def to_python(self, value):
            return int(value)

        def to_url(self, value):
            if str(value).startswith("9"):
                raise ValueError("no nineties")
            return f"{int(value):04d}"

    from django.urls import register_converter

    register_converter(Year, "routecli_year")
    urlpatterns = [path("y/<routecli_year:y>/", oracle.view("y"), name="y")]
    oracle.install(urlpatterns)
    table = DjangoTable(routeset_from_app(urlpatterns))
    assert table.reverse("y", y="12") == dj_reverse("y", kwargs={"y": "12"}) == "/y/0012/"
    with pytest.raises(OurNoReverseMatch):
        table.reverse("y", y="900")
    with pytest.raises(NoReverseMatch):
        dj_reverse("y", kwargs={"y": "900"})


REGEX_ALPHABET = list("ab/.^$|?*+()[]{},:<>=!P\\-0123dwsZ") + ["(?P<n>", "(?:", "(?P=n)",
                                                                   "{2}", "{1,3}", "[^/]"]


@settings(max_examples=int(os.environ.get("ROUTECLI_DJANGO_EXAMPLES", "300")) * 10,
          deadline=None)
@given(st.lists(st.sampled_from(REGEX_ALPHABET), max_size=14).map("".join))
def test_regex_forms_read_regexes_as_django_does(source):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile(source)
    except (re.error, OverflowError, RecursionError):
        return  # routecli refuses such a pattern when loading it; Django when resolving
    try:
        theirs = [(template, list(params)) for template, params in normalize(source)]
    except Exception:  # noqa: BLE001 - every failure of Django's is one of ours
        theirs = None
    try:
        ours = [(template, list(params)) for template, params in forms(source)]
    except Irreversible:
        ours = None
    assert ours == theirs, source


def test_i18n_patterns_build_with_the_language_prefix():
    from django.conf.urls.i18n import i18n_patterns

    for prefixed in (True, False):
        urlpatterns = [path("plain/", oracle.view("p"), name="plain"),
                       *i18n_patterns(path("about/<int:n>/", oracle.view("a"), name="about"),
                                      prefix_default_language=prefixed)]
        oracle.install(urlpatterns)
        table = DjangoTable(routeset_from_app(urlpatterns))
        theirs = dj_reverse("about", kwargs={"n": "2"})
        assert theirs == ("/en/about/2/" if prefixed else "/about/2/")
        assert table.reverse("about", n="2") == theirs
        assert table.reverse("plain") == dj_reverse("plain") == "/plain/"
