"""Generated URLconfs aimed at the resolver's segment index (routing/django/resolver.py):
many patterns per level sharing deep literal prefixes drawn from a few segments, as
path() routes (exact endpoints, parameters, custom converters whose regex matches "/"
or nothing), re_path() regexes (escaped or not, anchored or fullmatched, a quantifier
after the last literal, "(?i)", "\\A", look-aheads, "[/]", "$" before a newline), nested
includes and i18n_patterns; requests built from the same prefixes or drawn from each
endpoint's own regexes (Hypothesis' from_regex), and near misses of those. Django's
resolve() and test client must give every answer, under each of the index's thresholds
(indexed from 1 pattern or from the default, keys cut to 1, 2 or 6 segments, merged
lists kept or not). Each index mutation tried while writing it (a quantified last
literal kept, "." or "\\A" read as text, an unanchored fullmatch, unkeyed patterns
dropped, a key not cut at its last "/", a path() include taken as exact, a level's key
depth one short) failed it in one run of the default examples."""

from __future__ import annotations

import os
import re

import pytest

pytest.importorskip("django")

from django.conf.urls.i18n import i18n_patterns  # noqa: E402
from django.urls import include, path, re_path, register_converter  # noqa: E402
from django.urls.converters import get_converters  # noqa: E402
from django.urls.resolvers import LocalePrefixPattern, URLResolver  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import django_oracle as oracle  # noqa: E402
from routecli.routing.django import resolver  # noqa: E402
from routecli.routing.django.table import DjangoTable  # noqa: E402
from routecli.sources.python.django_urlconf import routeset_from_app  # noqa: E402

oracle.setup()


class SlashyConverter:
    """A converter whose regex matches "/" (a literal prefix cannot end at it)."""

    regex = "[a-z/]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class MaybeConverter(SlashyConverter):
    """A converter whose regex matches nothing at all."""

    regex = "a*"


for _name, _cls in (("slashy", SlashyConverter), ("maybe", MaybeConverter)):
    if _name not in get_converters():
        register_converter(_cls, _name)

# Few segments, so prefixes collide deeply; "" makes "a//b/", the others test escaping.
SEGMENTS = ["a", "a", "a", "b", "b", "ab", "a.b", "é", "a b", ""]
TAILS = ["", "", "c", "c/", "<int:n>/", "<int:n>", "<str:s>/", "<path:p>", "x<int:k>/",
         "<slashy:q>/", "<maybe:m>/", "<even:e>/", "<slug:g>/end"]
REGEX_TAILS = ["$", "", "/?$", "(?P<n>[0-9]+)/$", "([a-z]+)/", r"\Z", "$\n", "{0,1}$",
               "c?/$", "[/]c/$", "(?=c)"]
REGEX_HEADS = ["^", "^", "", "(?i)^", r"^\A", "^(?=a)", r"^\/?"]
REQUEST_TAILS = ["", "c", "c/", "1", "1/", "2/", "x3/", "ab/", "a/c/", "A/", "end", "\n",
                 "/", "b/end", "axb/"]


def _regex_text(prefix: str, style: int) -> str:
    if style == 0:
        return re.escape(prefix)
    if style == 1:
        return re.escape(prefix).replace("/", r"\/")
    return prefix  # unescaped: "." matches any character, " " is itself


@st.composite
def prefixes(draw, slash: bool = True) -> str:
    parts = draw(st.lists(st.sampled_from(SEGMENTS), max_size=draw(st.sampled_from([2, 4, 8]))))
    text = "".join(part + "/" for part in parts)
    if not slash or draw(st.integers(0, 2)) == 0:
        text += draw(st.sampled_from(["a", "b", "x"]))  # a partial segment
    return text


@st.composite
def urlconfs(draw, used: list, depth: int = 0, counter: list | None = None) -> list:
    counter = counter if counter is not None else [0]
    items = []
    for _ in range(draw(st.integers(0, 16 if depth == 0 else 10))):
        prefix = draw(prefixes())
        used.append(prefix)
        kind = draw(st.integers(0, 11))
        if depth < 2 and kind < 2:
            children = draw(urlconfs(used, depth + 1, counter))
            route = prefix + draw(st.sampled_from(["", "", "<int:i>/", "<str:t>/"]))
            items.append(path(route, include(children),
                              draw(st.sampled_from([None, {"n": "inc"}, {"z": 1}]))))
            continue
        if depth < 2 and kind == 2:
            children = draw(urlconfs(used, depth + 1, counter))
            regex = (draw(st.sampled_from(["^", "^", "", "(?i)^"]))
                     + _regex_text(prefix, draw(st.integers(0, 2)))
                     + draw(st.sampled_from(["", "", "(?P<r>[0-9]+)/", "([a-z]+)/", "$"])))
            items.append(re_path(regex, include(children)))
            continue
        counter[0] += 1
        view = oracle.view(f"v{counter[0]}")
        kwargs = draw(st.sampled_from([None, None, {"n": "kw"}]))
        if kind < 8:
            items.append(path(prefix + draw(st.sampled_from(TAILS)), view, kwargs))
        else:
            head = draw(st.sampled_from(REGEX_HEADS))
            tail = draw(st.sampled_from(REGEX_TAILS))
            regex = head + _regex_text(prefix, draw(st.integers(0, 2))) + tail
            try:
                re.compile(regex)
            except re.error:  # ("(?i)" after "^", "^?" before a quantifier)
                regex = "^" + re.escape(prefix) + "$"
            items.append(re_path(regex, view, kwargs))
    if depth == 0 and draw(st.integers(0, 5)) == 0:
        inner = draw(urlconfs(used, 1, counter))
        items += i18n_patterns(*inner, prefix_default_language=draw(st.booleans()))
    return items


def _chains(patterns, parents=()):
    """Each endpoint's patterns, outermost first (Django's own objects)."""
    for item in patterns:
        if isinstance(item, URLResolver):
            yield from _chains(item.url_patterns, (*parents, item.pattern))
        else:
            yield (*parents, item.pattern)


@st.composite
def witnesses(draw, chain) -> str:
    """A path an endpoint's chain of patterns may match: a string each pattern's regex
    matches whole (Hypothesis' from_regex), or its literal text where it cannot say."""
    text = ""
    for pattern in chain:
        if isinstance(pattern, LocalePrefixPattern):
            text += pattern.language_prefix
            continue
        regex = pattern.regex
        if "(?=" in regex.pattern:  # (from_regex does not do look-aheads)
            text += _LITERAL.match(regex.pattern.lstrip("^")).group().replace("\\", "")
            continue
        text += draw(st.from_regex(regex, fullmatch=True, alphabet=_ALPHABET))
    # near misses: one character less or more, the segment cut, a slash more
    change = draw(st.integers(0, 5))
    if change == 1:
        text = text[:-1]
    elif change == 2:
        text += draw(st.sampled_from(REQUEST_TAILS))
    elif change == 3:
        text = text[:text.rfind("/", 0, len(text) - 1) + 1]
    return "/" + text


_LITERAL = re.compile(r"(?:[^.^$*+?{}\[\]|()\\]|\\[^A-Za-z0-9])*")
_ALPHABET = st.sampled_from("abcdenx0129/\né .A-_")


@st.composite
def request_paths(draw, used: list, chains: list) -> str:
    if chains and draw(st.integers(0, 3)):
        return draw(witnesses(draw(st.sampled_from(chains))))
    if used and draw(st.integers(0, 3)):
        start = draw(st.sampled_from(used))
        # a prefix of the prefix (fewer segments), or the prefix and more
        if draw(st.integers(0, 3)) == 0:
            start = start[:draw(st.integers(0, len(start)))]
    else:
        start = draw(prefixes())
    return "/" + start + draw(st.sampled_from(REQUEST_TAILS))


def _resolved(table, url):
    hit = table.resolve(url)
    return None if hit is None else (hit.endpoint.endpoint, hit.args, hit.kwargs)


def _django(url):
    found = oracle.resolve(url)
    if found["status"] == 404:
        return None
    return found["view_name"], found["args"], found["kwargs"]


# (index from, key segments, merged lists kept): each URLconf is answered under all
THRESHOLDS = [(1, 6, True), (1, 1, False), (8, 2, True), (8, 6, False)]


def _tables(urlpatterns):
    saved = (resolver.INDEX_FROM, resolver.KEY_SEGMENTS, resolver.MERGED_PER_PATTERN,
             resolver.MERGED_EXTRA)
    tables = []
    try:
        for index_from, key_segments, keep in THRESHOLDS:
            resolver.INDEX_FROM, resolver.KEY_SEGMENTS = index_from, key_segments
            # nothing kept: every request merges its candidates again, lazily
            resolver.MERGED_PER_PATTERN, resolver.MERGED_EXTRA = saved[2:] if keep else (0, 0)
            tables.append(DjangoTable(routeset_from_app(urlpatterns)))
    finally:
        (resolver.INDEX_FROM, resolver.KEY_SEGMENTS, resolver.MERGED_PER_PATTERN,
         resolver.MERGED_EXTRA) = saved
    return tables


@settings(max_examples=int(os.environ.get("ROUTECLI_DJANGO_INDEX_EXAMPLES", "150")))
@given(st.data())
def test_deep_shared_prefixes_resolve_as_django_does(data):
    used: list[str] = []
    urlpatterns = data.draw(urlconfs(used))
    oracle.install(urlpatterns)
    tables = _tables(urlpatterns)
    chains = list(_chains(urlpatterns))
    urls = data.draw(st.lists(request_paths(used, chains), min_size=1, max_size=20))
    for _ in range(2):  # the second time from what the first merged
        for url in urls:
            for each in (url, url + "/"):  # (APPEND_SLASH's second resolve)
                django = _django(each)
                for table in tables:
                    assert _resolved(table, each) == django, (repr(each), table.root._own)
    # the whole request: status, APPEND_SLASH's Location
    url = data.draw(st.sampled_from(urls))
    if "\n" not in url:
        theirs = oracle.request("GET", url.replace(" ", "%20"))
        for table in tables:
            ours = table.match("GET", url.replace(" ", "%20"))
            assert (ours.status, ours.location) == (theirs["status"], theirs["location"]), url
