"""A wider random differential for the Django dialect than test_django_generated.py:
registered custom converters (one spanning a ``/``, one that changes the value, one that
rejects), every built-in converter, literals with regex metacharacters and non-ASCII
text, and ``re_path`` regexes at their edges: named and unnamed groups mixed, optional
groups (``None`` values), alternation without a group, inline flags, ``\\d``/``\\w`` on
Unicode, lookarounds, backreferences, ``$``-less and ``^``-less patterns, ``\\Z``;
include prefixes of both kinds, nested, with kwargs and namespaces, now and then under
``i18n_patterns``. Requests carry percent-encoded and invalid UTF-8 bytes, newlines,
spaces, doubled slashes and query strings. Django (resolve() and the test client with
CommonMiddleware, DEBUG on and off, APPEND_SLASH on and off) is the judge: status,
Location, Allow, view name, route, args and kwargs with their types.

Scale with ROUTECLI_DJANGO_WIDE_EXAMPLES (default 200).
"""

from __future__ import annotations

import os
import re

import pytest

pytest.importorskip("django")

from django.conf.urls.i18n import i18n_patterns  # noqa: E402
from django.urls import include, path, re_path, register_converter  # noqa: E402
from django.urls.converters import get_converters  # noqa: E402
from django.views.decorators.common import no_append_slash  # noqa: E402
from django.views.decorators.http import require_http_methods  # noqa: E402
from hypothesis import event, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import django_oracle as oracle  # noqa: E402
from routecli.routing.django.table import DjangoTable  # noqa: E402
from routecli.sources.python.django_urlconf import routeset_from_app  # noqa: E402

oracle.setup()


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:04d}"


class TwoConverter:
    regex = "[a-z]+/[a-z]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class LowerConverter:
    regex = "[A-Za-z]+"

    def to_python(self, value):
        return value.lower()

    def to_url(self, value):
        return value


for _name, _class in (("yyyy", YearConverter), ("two", TwoConverter),
                      ("lowr", LowerConverter)):
    if _name not in get_converters():
        register_converter(_class, _name)

SEGMENTS = ["a", "b", "a.b", "a+b", "(x)", "é", "a b", "x$", "[z]", "*", "<int:n>",
            "<str:s>", "<slug:g>", "<path:p>", "<uuid:u>", "<even:e>", "<yyyy:y>", "<two:t>",
            "<lowr:w>", "x<int:k>", "<str:s2>.json", "<int:i2>-<int:i3>"]
REGEXES = [
    "^a/$", "a/", "^a", r"^\d+/$", r"^(\w+)/$", "(?i)^abc/$", "^(?P<a>[0-9]+)?/$",
    "^(a)|(b)/$", "^(?:x|y)/$", r"^(?P<n>[a-z]+)/(?P=n)/$", "^(?=a)", "^(?!admin)(?P<v>[a-z]+)/$",
    "a/$", "^a/b$", r"^x\Z", "^$", "", "^.*$", "^(?P<rest>.*)$", "^é/$", "^a b/$", r"^\.$",
    "(?P<q>[ab])(?P<r>[cd])?/", "^(?P<m>[0-9]+)/(extra)/$", "^([0-9]+)?/?$", r"^(?P<d>\d+)$",
    "^a/(?#comment)$", "^(?P<x>[^/]+)/(?P<y>[^/]+)/$", "^a/?$",
]
PREFIXES = ["a/", "b/", "<int:m>/", "", "<path:w>/", "x<int:j>/", "<even:d>/", "<yyyy:yr>/",
            "<two:tw>/", "é/", "<lowr:lw>/"]
PREFIX_REGEXES = ["^a/", "a/", "^(?P<m>[0-9]+)/", "^", "^(b)/", "(?i)^a/", r"^(?P<lang>en|fr)/",
                  "^a/$", "^(?:x/)?", r"^\d"]
REQUEST_SEGMENTS = ["a", "b", "1", "2", "x3", "ab", "a.b", "a+b", "(x)", "é", "%C3%A9", "a b",
                    "a%20b", "x$", "[z]", "*", "", "-1", "07", "2024", "١٢", "ABC", "abc",
                    "admin", "extra", "%FF", "%0A", "a%0A", "%2F", "ab%2Fcd", "aa", "c", "x",
                    "en", "fr", "y", ".", "1.json", "1-2",
                    "12345678-1234-1234-1234-123456789abc"]


@st.composite
def urlconfs(draw, depth=0, counter=None):
    counter = counter if counter is not None else [0]
    items = []
    for _ in range(draw(st.integers(0, 8 if depth == 0 else 4))):
        if depth < 2 and draw(st.integers(0, 4)) == 0:
            children = draw(urlconfs(depth + 1, counter))
            kwargs = draw(st.sampled_from([None, None, {"n": "inc"}, {"z": 1}]))
            if draw(st.booleans()):
                namespaced = draw(st.booleans())
                target = include((children, "app") if namespaced else children,
                                 namespace=draw(st.sampled_from([None, "ns"]))
                                 if namespaced else None)
                items.append(path(draw(st.sampled_from(PREFIXES)), target, kwargs))
            else:
                items.append(re_path(draw(st.sampled_from(PREFIX_REGEXES)), include(children),
                                     kwargs))
            continue
        counter[0] += 1
        name = f"v{counter[0]}"
        kind = draw(st.integers(0, 4))
        if kind < 2:
            view = oracle.view(name)
        elif kind == 2:
            methods = draw(st.sampled_from([["GET"], ["POST", "GET"], ["PUT"]]))
            view = require_http_methods(methods)(oracle.view(name))
        elif kind == 3:
            view = oracle.class_view(name.upper(),
                                     draw(st.sampled_from([("get",), ("post", "put")])))
        else:
            view = no_append_slash(oracle.view(name))
        kwargs = draw(st.sampled_from([None, None, {"n": "kw"}, {"extra": 2}]))
        pattern_name = None if draw(st.integers(0, 5)) == 0 else name
        if draw(st.integers(0, 2)) == 0:
            items.append(re_path(draw(st.sampled_from(REGEXES)), view, kwargs,
                                 name=pattern_name))
        else:
            parts = draw(st.lists(st.sampled_from(SEGMENTS), max_size=3, unique=True))
            route = "/".join(parts) + draw(st.sampled_from(["/", "/", ""]))
            if route == "/" and not parts:
                route = ""
            items.append(path(route, view, kwargs, name=pattern_name))
    return items


@st.composite
def requests(draw):
    parts = draw(st.lists(st.sampled_from(REQUEST_SEGMENTS), max_size=4))
    url = "/" + "/".join(parts) + draw(st.sampled_from(["", "", "/", "//"]))
    if draw(st.integers(0, 9)) == 0:
        url = "/" + url
    if draw(st.integers(0, 5)) == 0:
        url += draw(st.sampled_from(["?q=1", "?a=%20b&c=", "?x=%2F&y=é"]))
    method = draw(st.sampled_from(["GET", "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS"]))
    return method, url


def check(urlpatterns, reqs, debug: bool, append_slash: bool) -> None:
    oracle.install(urlpatterns)
    table = DjangoTable(routeset_from_app(urlpatterns, debug=debug,
                                          append_slash=append_slash))
    for method, url in reqs:
        ours = table.match(method, url)
        theirs = oracle.request(method, url, debug=debug, append_slash=append_slash)
        assert (ours.status, ours.location) == (theirs["status"], theirs["location"]), (
            method, url, ours, theirs)
        event(f"status {ours.status}")
        if ours.status == 405:
            assert ours.allowed_methods == theirs["allow"], (method, url)
        resolved = oracle.resolve(ours.path)
        hit = table.resolve(ours.path)
        if resolved["status"] == 404:
            assert hit is None, (url, hit)
            tried = [[str(p.pattern) for p in t] for t in table.root.tried(ours.path[1:])]
            assert tried == resolved["tried"], url
        else:
            assert hit is not None, (url, resolved)
            ours_hit = (hit.endpoint.endpoint, hit.endpoint.rule, hit.args, hit.kwargs)
            theirs_hit = (resolved["view_name"], resolved["route"], resolved["args"],
                          resolved["kwargs"])
            assert ours_hit == theirs_hit, url
            event("resolved with args" if hit.args or hit.kwargs else "resolved")
            assert [type(v) for v in hit.args] == [type(v) for v in resolved["args"]]
            assert {k: type(v) for k, v in hit.kwargs.items()} == {
                k: type(v) for k, v in resolved["kwargs"].items()}


# Text that each regex (or a converter) takes, for requests made from the URLconf itself.
SAMPLES = {
    "int": ["1", "007", "42"], "str": ["a", "é", "a b", "x.y"], "slug": ["a-b_1", "x"],
    "path": ["a/b", "x", "a//b"], "uuid": ["12345678-1234-1234-1234-123456789abc"],
    "even": ["2", "3"], "yyyy": ["2024", "0001"], "two": ["ab/cd"], "lowr": ["ABC", "aB"],
    r"^\d+/$": ["12/", "١٢/"], r"^(\w+)/$": ["ab_1/", "é/"], "(?i)^abc/$": ["ABC/", "aBc/"],
    "^(?P<a>[0-9]+)?/$": ["/", "12/"], "^(a)|(b)/$": ["a", "b/", "axx", "xb/"],
    "^(?:x|y)/$": ["x/", "y/"], r"^(?P<n>[a-z]+)/(?P=n)/$": ["ab/ab/", "ab/cd/"],
    "^(?=a)": ["ab", "a"], "^(?!admin)(?P<v>[a-z]+)/$": ["admin/", "adm/"],
    "a/$": ["xa/", "a/"], "^a/b$": ["a/b"], r"^x\Z": ["x"], "^.*$": ["", "any/thing"],
    "^(?P<rest>.*)$": ["r/s"], "(?P<q>[ab])(?P<r>[cd])?/": ["ac/", "b/", "zzb/"],
    "^(?P<m>[0-9]+)/(extra)/$": ["1/extra/"], "^([0-9]+)?/?$": ["", "5", "5/"],
    r"^(?P<d>\d+)$": ["77", "٣"], "^a/(?#comment)$": ["a/"],
    "^(?P<x>[^/]+)/(?P<y>[^/]+)/$": ["p/q/"], "^a/?$": ["a", "a/"], r"^\.$": ["."],
    "^é/$": ["é/"], "^a b/$": ["a b/"], "^(?P<m>[0-9]+)/": ["3/"], "^(b)/": ["b/"],
    "(?i)^a/": ["A/", "a/"], r"^(?P<lang>en|fr)/": ["en/", "fr/"], "^(?:x/)?": ["x/", ""],
    r"^\d": ["4", "٤"],
}
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def chains(patterns, prefix: tuple = ()) -> list[tuple]:
    """Every pattern chain of a URLconf: the patterns from the root include down."""
    from django.urls import URLResolver

    out = []
    for item in patterns:
        if isinstance(item, URLResolver):
            out += chains(item.url_patterns, (*prefix, item.pattern))
        else:
            out.append((*prefix, item.pattern))
    return out


def _fill(pattern, draw) -> str:
    """URL text a pattern takes: a sample for a regex, converters filled in."""
    raw = str(pattern)
    if hasattr(pattern, "_route"):
        return CONVERTER.sub(lambda m: draw(st.sampled_from(SAMPLES.get(m.group(1) or "str",
                                                                         ["v"]))), raw)
    if hasattr(pattern, "language_prefix"):
        return raw
    return draw(st.sampled_from(SAMPLES.get(raw, [raw.strip("^$")])))


@st.composite
def derived_requests(draw, urlpatterns):
    templates = chains(urlpatterns)
    if not templates or draw(st.integers(0, 3)) == 0:
        return draw(requests())
    url = "/" + "".join(_fill(pattern, draw) for pattern in draw(st.sampled_from(templates)))
    roll = draw(st.integers(0, 5))
    if roll == 0:
        url = url[:-1] if url.endswith("/") and len(url) > 1 else url + "/"
    elif roll == 1:
        url = url.replace("/", "//", 1)
    if draw(st.integers(0, 5)) == 0:
        url += "?q=1&x=%2F"
    return draw(st.sampled_from(["GET", "GET", "POST", "HEAD", "PUT", "DELETE"])), url


@settings(max_examples=int(os.environ.get("ROUTECLI_DJANGO_WIDE_EXAMPLES", "200")))
@given(urlconfs(), st.booleans(), st.booleans(), st.integers(0, 5), st.data())
def test_wide_urlconfs_answer_like_django(urlpatterns, debug, append_slash, i18n, data):
    if i18n == 0:
        urlpatterns = i18n_patterns(*urlpatterns)
    elif i18n == 1:
        urlpatterns = i18n_patterns(*urlpatterns, prefix_default_language=False)
    oracle.install(urlpatterns)  # i18n prefixes are read for the active language
    reqs = data.draw(st.lists(derived_requests(urlpatterns), min_size=1, max_size=8))
    check(urlpatterns, reqs, debug, append_slash)


# --------------------------------------------------------------------------------------
# The same breadth as a route file: file items turned into the URLconf Django runs
# --------------------------------------------------------------------------------------


class _Identity:
    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


# A route file's converter passes the matched text on: Django gets identity ones.
FILE_CONVERTERS = {"yyyys": "[0-9]{4}", "twos": "[a-z]+/[a-z]+", "evens": "[0-9]*[02468]"}
for _name, _regex in FILE_CONVERTERS.items():
    if _name not in get_converters():
        register_converter(type(_name, (_Identity,), {"regex": _regex}), _name)
FILE_SEGMENTS = [s.replace("<yyyy:", "<yyyys:").replace("<two:", "<twos:")
                 .replace("<even:", "<evens:").replace("<lowr:w>", "<slug:w>")
                 for s in SEGMENTS]
FILE_PREFIXES = [p.replace("<yyyy:", "<yyyys:").replace("<two:", "<twos:")
                 .replace("<even:", "<evens:").replace("<lowr:lw>", "<slug:lw>")
                 for p in PREFIXES]


@st.composite
def file_items(draw, depth=0, counter=None):
    counter = counter if counter is not None else [0]
    out = []
    for _ in range(draw(st.integers(0, 8 if depth == 0 else 3))):
        if depth < 2 and draw(st.integers(0, 4)) == 0:
            if draw(st.booleans()):
                item = {"include": draw(st.sampled_from(FILE_PREFIXES))}
            else:
                item = {"include_regex": draw(st.sampled_from(PREFIX_REGEXES))}
            item["routes"] = draw(file_items(depth + 1, counter))
            roll = draw(st.integers(0, 3))
            if roll == 1:
                item["namespace"] = "ns"
            elif roll == 2:
                item["app_name"] = "app"
            elif roll == 3:
                item.update(app_name="app", namespace="inst")
            if draw(st.integers(0, 2)) == 0:
                item["kwargs"] = draw(st.sampled_from([{"n": "inc"}, {"z": 1}]))
            out.append(item)
            continue
        counter[0] += 1
        item = {"endpoint": f"v{counter[0]}"}
        if draw(st.integers(0, 2)) == 0:
            item["regex"] = draw(st.sampled_from(REGEXES))
        else:
            parts = draw(st.lists(st.sampled_from(FILE_SEGMENTS), max_size=3, unique=True))
            item["rule"] = "/".join(parts) + draw(st.sampled_from(["/", "/", ""]))
        if draw(st.integers(0, 2)) == 0:
            item["methods"] = draw(st.sampled_from([["GET"], ["POST", "GET"], ["PUT"],
                                                    ["GET", "HEAD", "OPTIONS"]]))
        if draw(st.integers(0, 3)) == 0:
            item["kwargs"] = draw(st.sampled_from([{"n": "kw"}, {"extra": 2}]))
        if draw(st.integers(0, 6)) == 0:
            item["append_slash"] = False
        out.append(item)
    return out


@settings(max_examples=int(os.environ.get("ROUTECLI_DJANGO_WIDE_EXAMPLES", "200")))
@given(file_items(), st.booleans(), st.booleans(), st.data())
def test_wide_route_files_answer_like_django(items, debug, append_slash, data):
    from routecli.routing.dialects import compile_table
    from routecli.sources.schema import routeset_from_data

    urlpatterns = oracle.urlconf_from_items(items)
    oracle.install(urlpatterns)
    table = compile_table(routeset_from_data({
        "settings": {"dialect": "django", "debug": debug, "append_slash": append_slash,
                     "django_version": django_version()},
        "converters": {name: {"regex": regex} for name, regex in FILE_CONVERTERS.items()},
        "routes": items}, "generated.yaml"))
    for method, url in data.draw(st.lists(derived_requests(urlpatterns), min_size=1,
                                          max_size=8)):
        ours = table.match(method, url)
        theirs = oracle.request(method, url, debug=debug, append_slash=append_slash)
        assert (ours.status, ours.location) == (theirs["status"], theirs["location"]), (
            method, url, ours.to_dict(), theirs)
        if ours.status == 405:
            assert ours.allowed_methods == theirs["allow"], (method, url)
        resolved = oracle.resolve(ours.path)
        if resolved["status"] == 200 and ours.status == 200:
            assert (ours.endpoint, ours.args) == (resolved["view_name"], resolved["kwargs"])
            assert list(ours.to_dict().get("positional_args") or ()) == list(resolved["args"])
            assert {k: type(v) for k, v in ours.args.items()} == {
                k: type(v) for k, v in resolved["kwargs"].items()}


def django_version() -> str:
    import django

    return ".".join(str(part) for part in django.VERSION[:2])


def test_an_app_name_alone_is_the_instance_namespace():
    """include((patterns, "app")) without a namespace names its views "app:..."; a route
    file's include with only app_name read them unnamespaced (found by the generator)."""
    from routecli.routing.dialects import compile_table
    from routecli.sources.schema import routeset_from_data

    items = [{"include": "a/", "app_name": "app",
              "routes": [{"rule": "b/", "endpoint": "v1"}]}]
    oracle.install(oracle.urlconf_from_items(items))
    table = compile_table(routeset_from_data({"settings": {"dialect": "django"},
                                              "routes": items}, "g.yaml"))
    assert table.match("GET", "/a/b/").endpoint == oracle.resolve("/a/b/")["view_name"] == (
        "app:v1")
