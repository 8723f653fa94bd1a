"""A first-match pattern's language built from its literal head and a shared tail is the
automaton compiling the whole pattern gives: the same states, language and literal head (a
state's edges with equally readable labels may be listed in another order, which changes
no witness), or is that one."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routecli.analysis.first_match_languages import (
    literal_shape,
    path_language,
    path_witness,
    split_literal_head,
    whole_language,
)
from routecli.automata import Undecidable, intersect_witness, is_subset

PATTERNS = [
    "/res0\n?", "/res0/(?:[0-9]+)\n?", "/res0/(?:[0-9]+)/children/(?:[^/]+)\n?",
    "/users/(?:[^/]+)/\\Z", "/(?:archive/(?:[0-9]{4})/$)\\Z", "/shop/(?s:.)*",
    "/(?s:.)*(?:feed)(?s:.)*", "/openapi\\.json\n?", "/docs/oauth2\\-redirect\n?",
    "/static/.*\n?", "^/a/b", "\\A/x(?:[0-9]+)\\Z", "/ab*", "/ab+c", "/a\\.*", "/a{2}",
    "/a{x", "/x(?i)y", "/x(?<!/)y", "/x(?<=x)y", "/x(?m)^y", "/x$", "/x\n", "/a[^\\s\\S]",
    "/a(?=b)b", "/a(?!\n)", "/x(?:a|b)", "a|b", "/é(?:x)", "/p(\\d+)\\1", "/a(?:b)\\Z",
    "/x(?:y)", "", "\\Z", "/",
]

# Pieces of random patterns: text, groups, quantifiers, anchors, flags, alternation.
PIECES = ["/", "a", "b", "\\.", "-", "(?:[0-9]+)", "(?:[^/]+)", "*", "+", "?", "{2}", "\n?",
          "\\Z", "$", "^", "(?<!/)", "(?i)", ".*", "[ab]", "|", "(?=a)"]


def _witness(find, pattern, language, budget):
    try:
        return find(pattern, language, budget)
    except Undecidable as exc:
        return str(exc)


def _same(pattern: str):
    def outcome(build):
        try:
            found = build(pattern)
        except (Undecidable, re.error) as exc:
            return type(exc).__name__, str(exc)
        if build is path_language:
            assert (found.head, found.literal) == literal_shape(found.automaton), pattern
            for budget in (3, 100_000):
                assert _witness(path_witness, pattern, found.automaton, budget) == _witness(
                    lambda _, language, most: intersect_witness(language, max_states=most),
                    pattern, found.automaton, budget), pattern
            return found.automaton
        return found

    ours, theirs = outcome(path_language), outcome(whole_language)
    if isinstance(theirs, tuple):
        assert ours == theirs, pattern
        return
    assert ours.num_states == theirs.num_states, pattern
    assert is_subset(ours, theirs) and is_subset(theirs, ours), pattern
    assert intersect_witness(ours) == intersect_witness(theirs), pattern
    assert literal_shape(ours) == literal_shape(theirs), pattern


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_pattern_gets_the_automaton_of_its_whole_compilation(pattern):
    _same(pattern)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=8))
def test_any_pattern_gets_the_automaton_of_its_whole_compilation(parts):
    _same("".join(parts))


def test_the_head_stops_before_a_quantified_character():
    assert split_literal_head("/a/b(?:[0-9]+)") == ("/a/b", "(?:[0-9]+)")
    assert split_literal_head("/ab*") == ("/a", "b*")
    assert split_literal_head("/a\\.+x") == ("/a", "\\.+x")
    assert split_literal_head("^/a") == ("/a", "")
    assert split_literal_head("/a|/b") == ("", "/a|/b")


# -- the literal suffix: text every path ends with (candidates must share it; the longest
# one where the walk back from the accepting states reads it, not always)

def _suffix_holds(pattern: str) -> None:
    try:
        found = path_language(pattern)
    except (Undecidable, re.error):
        return
    suffix, language = found.suffix, found.automaton
    if intersect_witness(language) is None:
        return  # an empty language: any text is vacuously its suffix
    ends = whole_language("(?s:.)*" + re.escape(suffix))
    assert is_subset(language, ends), (pattern, suffix)  # every path ends with it
    if found.literal:
        assert suffix == found.head, pattern  # a literal route's suffix is its one path


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_suffix_is_what_every_path_ends_with(pattern):
    _suffix_holds(pattern)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, "(?:a|xa)", "0"]), max_size=8))
def test_any_pattern_gets_the_suffix_every_path_ends_with(parts):
    _suffix_holds("".join(parts))


def test_suffixes_of_route_patterns():
    assert path_language("/(?:[^/]+)/0\n?").suffix == "/0"
    assert path_language("/(?:(?:[a-z]+)/0/$)\\Z").suffix == "/0/"
    assert path_language("/(?:.*)/x0\n?").suffix == "/x0"
    assert path_language("/res0/(?:[0-9]+)\n?").suffix == ""
    assert path_language("/res0\n?").suffix == "/res0"
    assert path_language("/a/?").suffix == ""
    assert path_language("/(?:ab|cb)").suffix == "b"
