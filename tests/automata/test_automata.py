"""Tests for routecli.automata: unit tests per construct plus brute-force cross-checks."""

from __future__ import annotations

import itertools
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from routecli.automata import (
    MAX_CODE_POINT,
    Automaton,
    CharSet,
    Undecidable,
    _all_code_points,
    _class_set,
    accepts,
    char_rank,
    compile_regex,
    difference_witness,
    intersect_witness,
    intersects,
    is_empty,
    is_subset,
)

# Werkzeug 3.1 converter regexes.
STRING = r"[^/]{1,}"
STRING_2_5 = r"[^/]{2,5}"
STRING_4 = r"[^/]{4}"
INT = r"\d+"
SIGNED_INT = r"-?\d+"
FLOAT = r"\d+\.\d+"
SIGNED_FLOAT = r"-?\d+\.\d+"
UUID = r"[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}"
ANY_AB = r"(?:a|b)"
PATH = r"[^/].*?"
CONVERTERS = [STRING, STRING_2_5, STRING_4, INT, SIGNED_INT, FLOAT, SIGNED_FLOAT, UUID, ANY_AB,
              PATH]

FAST = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def strings(alphabet: str, max_len: int) -> list[str]:
    """Every string over ``alphabet`` of length 0..max_len, shortest first."""
    return ["".join(t) for n in range(max_len + 1) for t in itertools.product(alphabet, repeat=n)]


def key(s: str) -> tuple[int, ...]:
    return tuple(char_rank(c) for c in s)


def runs(pattern: str, flags: int = 0) -> CharSet:
    """Brute force over all code points: the set of characters a one-char pattern matches."""
    text = _all_code_points()
    bounds: list[int] = []
    for m in re.finditer(f"(?:{pattern})+", text, flags):
        bounds += m.span()
    return CharSet(tuple(bounds))


# --------------------------------------------------------------------------------------------
# CharSet
# --------------------------------------------------------------------------------------------

EDGE = [0, 1, 2, 46, 47, 48, 0xFFFF, MAX_CODE_POINT - 2, MAX_CODE_POINT - 1]
ranges = st.lists(st.tuples(st.sampled_from(EDGE), st.sampled_from(EDGE))
                  .map(lambda t: (min(t), max(t))), max_size=4)


def as_set(cs: CharSet) -> set[int]:
    return {c for c in EDGE if c in cs}


def ref_set(rs) -> set[int]:
    return {c for c in EDGE if any(lo <= c <= hi for lo, hi in rs)}


@FAST
@given(ranges, ranges)
def test_charset_algebra_matches_python_sets(r1, r2):
    a, b = CharSet.from_ranges(r1), CharSet.from_ranges(r2)
    sa, sb = ref_set(r1), ref_set(r2)
    assert as_set(a) == sa
    assert as_set(a & b) == sa & sb
    assert as_set(a | b) == sa | sb
    assert as_set(a - b) == sa - sb
    assert as_set(~a) == set(EDGE) - sa
    assert ~~a == a
    assert (a | b) == (b | a) and (a & b) == (b & a)
    for cs in (a & b, a | b, a - b, ~a):  # canonical: strictly increasing bounds
        assert all(x < y for x, y in itertools.pairwise(cs.bounds))
        assert len(cs.bounds) % 2 == 0


def test_charset_basics():
    cs = CharSet.from_chars("abcx/")
    assert cs.intervals() == [(47, 47), (97, 99), (120, 120)]
    assert "b" in cs and "d" not in cs and 120 in cs
    assert len(cs) == 5 and bool(cs) and not CharSet()
    assert len(~CharSet()) == MAX_CODE_POINT
    assert CharSet.from_ranges([(5, 10), (11, 20), (1, 6)]).intervals() == [(1, 20)]
    assert cs.first_in(100, 200) == 120 and cs.first_in(0, 47) is None
    with pytest.raises(ValueError):
        CharSet.from_ranges([(0, MAX_CODE_POINT)])


def test_readable_choice():
    assert CharSet.from_chars("zb9").best[1] == "b"
    assert CharSet.from_chars("90Z").best[1] == "9"  # digits before upper case, 1-9 before 0
    assert CharSet.from_chars("0Z").best[1] == "0"
    assert CharSet.from_chars("Z-").best[1] == "Z"
    assert CharSet.from_chars("/_-").best[1] == "-"
    assert CharSet.from_chars(" /").best[1] == "/"
    assert CharSet.from_chars("\n\x00é").best[1] == "é"
    assert CharSet.from_chars("\n\x00").best[1] == "\x00"
    assert (~CharSet.from_ranges([(0, 0x7F)])).best[1] == "¡"  # skips C1 controls and NBSP
    assert intersect_witness(compile_regex(r"[^/a-z0-9A-Z]")) == "-"


# --------------------------------------------------------------------------------------------
# Unicode classes and case folding, checked over every code point
# --------------------------------------------------------------------------------------------


def test_unicode_classes_match_str_predicates_and_unicodedata():
    digit, word, space = (_class_set(n, 0) for n in "dws")
    for cp in range(MAX_CODE_POINT):
        ch = chr(cp)
        assert (cp in digit) == (unicodedata.category(ch) == "Nd") == ch.isdecimal(), cp
        assert (cp in word) == (ch.isalnum() or ch == "_"), cp
        assert (cp in space) == ch.isspace(), cp


@pytest.mark.parametrize("cls", [r"\d", r"\D", r"\w", r"\W", r"\s", r"\S", ".", r"[^/]",
                                 r"[\w-]", r"[^\d\s]", r"[^\W_]"])
@pytest.mark.parametrize("flags", [0, re.ASCII, re.DOTALL])
def test_classes_match_re_on_every_code_point(cls, flags):
    a = compile_regex(cls, flags)
    assert [len(es) for es in a.edges] == [1, 0]
    assert a.edges[0][0][0] == runs(cls, flags)


@pytest.mark.parametrize("atom", [
    "k", "s", "i", "I", "ß", "σ", "Σ", "ǅ", "\u212a", "\u0130", "\u0131", "[a-z]", "[^a-z]", "[k]",
    "[^k]", "[a-fK-M]", r"\w", r"[^\W\d]", "[\u0100-\u017f]", "[\U00010400-\U0001044f]",
    "[^\U00010400]", "[\u1e9e]", "[^/]", ".", r"[\d.]", "[σ-ϊ]",
])
@pytest.mark.parametrize("flags", [re.IGNORECASE, re.IGNORECASE | re.ASCII])
def test_ignorecase_atoms_match_re_on_every_code_point(atom, flags):
    a = compile_regex(atom, flags)
    assert a.edges[0][0][0] == runs(atom, flags)


# --------------------------------------------------------------------------------------------
# Constructs, unit by unit
# --------------------------------------------------------------------------------------------

CASES = {
    "abc": ["abc", "ab", "abcd", ""],
    r"a\-b\.c\/": ["a-b.c/", "a-bxc/"],
    "[a-c]x": ["bx", "dx", "Bx"],
    "[^/]": ["a", "/", "\n", "é", "\U0001f600"],
    ".": ["a", "\n", "\r"],
    "(?s:.)": ["\n", "a"],
    r"\d\D": ["1a", "٣x", "11", "²a"],
    r"\w+\W": ["ab_9é-", "ab ", "ab_"],
    r"\s\S": [" a", "\u3000a", "\x1ca", "  "],
    "a|bc|": ["a", "bc", "", "b"],
    "(a)(?:b)(?P<n>c)": ["abc", "ab"],
    "a*": ["", "a", "aaaa", "ab"],
    "a+?": ["", "a", "aaa"],
    "a??b": ["b", "ab", "aab"],
    "a{2,3}": ["a", "aa", "aaa", "aaaa"],
    "a{2}?": ["aa", "a"],
    "a{2,}": ["a", "aa", "aaaaaa"],
    "(?:ab|a){0,2}b": ["b", "abb", "aabb", "ababb", "aaab"],
    "(?:a*)*b": ["b", "aab"],
    "(?:a|)+": ["", "aaa"],
    "(?i)ab": ["AB", "aB", "ab", "ac"],
    "a(?i:b)c": ["aBc", "Abc", "abC"],
    "(?i)a(?-i:b)": ["Ab", "AB"],
    "(?x) a b  # comment": ["ab", "a b"],
    "(?a)\\w": ["é", "a"],
    r"^a$": ["a", "a\n", "\na"],
    r"(?m)a$\n^b": ["a\nb", "ab"],
    r"\Aa\Z": ["a", "a\n"],
    r"a\Z|ab": ["a", "ab"],
    r"(?:a\Z)*": ["", "a", "aa"],
    r"a$\n": ["a\n", "a\n\n"],
    r"a(?<!/)/?": ["a", "a/", "a//"],
    r"(?<=a)": [""],
    r"(?<!a)b": ["b"],
    r"a(?<=[ab])b(?<!b)": ["ab"],
    r"(?=a)[ab]+": ["a", "b", "ab"],
    r"a(?!b)[a-c]": ["aa", "ab", "ac"],
    r"a(?!)": ["a"],
    r"a(?=)": ["a"],
    r"[^/].*?": ["a", "a/b", "/a", "a\n", ""],
    r"item\-(?P<__werkzeug_0>\d+)\Z": ["item-12", "item-", "item-1a"],
    r"(?P<__werkzeug_0>[^/].*?)(?<!/)(/?)\Z": ["a/b", "a/b/", "a//", "a/b//", "/"],
    r"(?P<__werkzeug_0>[^/].*?)/edit\Z": ["x/edit", "x/y/edit", "/edit", "x/edit/"],
    "\U0001f600+": ["\U0001f600\U0001f600", "\U0001f601"],
}


@pytest.mark.parametrize("pattern", list(CASES))
def test_construct_agrees_with_fullmatch(pattern):
    a = compile_regex(pattern)
    for s in CASES[pattern] + strings("ab/1\n", 3):
        assert accepts(a, s) == bool(re.fullmatch(pattern, s)), (pattern, s)
    w = intersect_witness(a)
    if w is not None:
        assert re.fullmatch(pattern, w)


@pytest.mark.parametrize("pattern,feature", [
    (r"(a)\1", "backreference"),
    (r"(?P<x>a)(?P=x)", "backreference"),
    (r"(a)?(?(1)b|c)", "conditional"),
    (r"\ba", "word boundary"),
    (r"a\B", "word boundary"),
    (r"(?=ab)a", "look-ahead"),
    (r"(?<=ab)c", "look-behind"),
    (r"(?<!a|b\d)c", "look-behind"),
    (r"(?>a*)a", "atomic"),
    (r"a*+", "possessive"),
])
def test_unsupported_features_raise_undecidable(pattern, feature):
    with pytest.raises(Undecidable, match=feature):
        compile_regex(pattern)


def test_invalid_patterns_raise_re_error():
    with pytest.raises(re.error):
        compile_regex("a(")


def test_huge_repeats_are_undecidable_not_slow():
    with pytest.raises(Undecidable, match="too large"):
        compile_regex(r"(?:a{1000}){1000}")


def test_compile_is_cached_and_accepts_compiled_patterns():
    assert compile_regex(INT) is compile_regex(INT)
    a = compile_regex(re.compile("ab", re.IGNORECASE))
    assert accepts(a, "AB") and not accepts(a, "ac")


def test_empty_languages():
    assert is_empty(compile_regex("a(?!)"))
    assert is_empty(compile_regex(r"a\Zb"))
    assert is_empty(compile_regex(r"[^\s\S]"))
    assert is_empty(Automaton.empty()) and is_empty(Automaton.union())
    assert not is_empty(compile_regex(""))
    assert intersect_witness(compile_regex("")) == ""


# --------------------------------------------------------------------------------------------
# Helpers for building route tails
# --------------------------------------------------------------------------------------------


def test_helpers():
    seg = Automaton.any_string(exclude="/")
    assert accepts(seg, "") and accepts(seg, "ab") and not accepts(seg, "a/b")
    assert accepts(Automaton.any_string(), "a/\n")
    lit = Automaton.literal("/x")
    assert accepts(lit, "/x") and not accepts(lit, "/x/")
    assert accepts(Automaton.literal(""), "")
    tail = Automaton.concat(compile_regex(STRING), Automaton.literal("/"), compile_regex(INT))
    assert accepts(tail, "ab/12") and not accepts(tail, "ab/x") and not accepts(tail, "/1")
    assert intersect_witness(tail) == "a/1"
    u = Automaton.union(compile_regex(INT), Automaton.literal("me"))
    assert accepts(u, "me") and accepts(u, "7") and not accepts(u, "m")
    star = Automaton.star(Automaton.literal("ab"))
    assert all(accepts(star, s) for s in ["", "ab", "abab"]) and not accepts(star, "aba")
    assert accepts(Automaton.charset(CharSet.from_chars("xy")), "y")
    assert is_empty(Automaton.concat(compile_regex(INT), Automaton.empty()))
    assert accepts(Automaton.concat(), "")


def test_route_tail_against_path_converter():
    # /files/<path:p>/edit  versus  /files/<a>/<int:b>  (the tail after "/files/").
    path_edit = compile_regex(r"(?P<__werkzeug_0>[^/].*?)/edit\Z")
    two_segments = Automaton.concat(compile_regex(STRING), Automaton.literal("/"),
                                    compile_regex(INT))
    assert intersect_witness(path_edit, two_segments) is None
    three = Automaton.concat(compile_regex(STRING), Automaton.literal("/"),
                             compile_regex(STRING), Automaton.literal("/"),
                             Automaton.literal("edit"))
    assert intersect_witness(path_edit, three) == "a/a/edit"
    assert difference_witness(path_edit, three) == "a/edit"
    # "." in the path converter refuses a newline that [^/] accepts.
    assert difference_witness(three, path_edit) == "a/\n/edit"
    no_newline = Automaton.concat(compile_regex(r"[^/\n]+"), Automaton.literal("/"),
                                  compile_regex(r"[^/\n]+"), Automaton.literal("/edit"))
    assert is_subset(no_newline, path_edit)


# --------------------------------------------------------------------------------------------
# Werkzeug converters (docs/semantics.md#converters)
# --------------------------------------------------------------------------------------------


def c(p: str) -> Automaton:
    return compile_regex(p)


@pytest.mark.parametrize("left,right,expected", [
    (STRING, INT, "1"),
    (STRING_2_5, INT, "11"),
    (STRING_4, INT, "1111"),
    (STRING_4, UUID, None),
    (STRING, UUID, "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"),
    (STRING_2_5, FLOAT, "1.1"),
    (STRING_2_5, ANY_AB, None),
    (STRING, ANY_AB, "a"),
    (INT, SIGNED_INT, "1"),
    (INT, FLOAT, None),
    (INT, UUID, None),
    (FLOAT, SIGNED_INT, None),
    (FLOAT, SIGNED_FLOAT, "1.1"),
    (UUID, INT, None),
    (ANY_AB, INT, None),
    (PATH, STRING, "a"),
    (PATH, INT, "1"),
    (r"(?:new|latest)", UUID, None),
    (r"(?:1|2)", INT, "1"),
    (r"item\-(?P<__werkzeug_0>\d+)\Z", r"item\-(?P<__werkzeug_0>[^/]{1,})\Z", "item-1"),
    (r"(?P<__werkzeug_0>[^/]{1,})\-(?P<__werkzeug_1>[^/]{1,})\Z", STRING, "a-a"),
])
def test_converter_intersections(left, right, expected):
    assert intersect_witness(c(left), c(right)) == expected
    assert intersect_witness(c(right), c(left)) == expected
    assert intersects(c(left), c(right)) is (expected is not None)
    if expected is not None:
        assert re.fullmatch(left, expected) and re.fullmatch(right, expected)


@pytest.mark.parametrize("left,rights,expected", [
    (INT, [STRING], None),
    (INT, [SIGNED_INT], None),
    (SIGNED_INT, [INT], "-1"),
    (STRING, [INT], "a"),
    (STRING, [INT, r"[^/]{2,}"], "a"),
    (STRING, [r"[a-z]", r"[^/]{2,}", r"[^a-z]"], None),
    (STRING_2_5, [STRING], None),
    (STRING, [STRING_2_5], "a"),
    (STRING, [STRING_4, r"[^/]{1,3}"], "aaaaa"),
    (UUID, [STRING], None),
    (ANY_AB, [r"(?:b|c)"], "a"),
    (r"(?:1|2)", [INT], None),
    (FLOAT, [SIGNED_FLOAT], None),
    (SIGNED_FLOAT, [FLOAT], "-1.1"),
    (PATH, [STRING], "a/"),
    (PATH, [STRING, r"[^/]+/.*"], None),
    (STRING, [PATH], "a\n"),  # "." refuses the newline that [^/] accepts
    (r"[^/\n]+", [PATH], None),
    (INT, [r"[0-9]+"], "\u0660"),  # \d is Unicode Nd: ARABIC-INDIC DIGIT ZERO
])
def test_converter_inclusion(left, rights, expected):
    w = difference_witness(c(left), *map(c, rights))
    assert w == expected
    assert is_subset(c(left), *map(c, rights)) == (expected is None)
    if w is not None:
        assert re.fullmatch(left, w) and not any(re.fullmatch(r, w) for r in rights)


def test_werkzeug_part_regexes():
    import werkzeug.routing as werkzeug_routing
    rules = ["/files/<path:p>/", "/item-<int:id>", "/x/<path:p>/edit", "/k/<any(a,b):x>.json",
             "/<a>-<string(length=2):b>", "/u/<uuid:u>", "/f/<float(signed=True):f>"]
    m = werkzeug_routing.Map([werkzeug_routing.Rule(r, endpoint=str(i))
                              for i, r in enumerate(rules)])
    samples = strings("a1/-.", 4) + ["item-12", "a.json", "x/edit", "ab-cd", "-1.5"]
    count = 0
    for rule in m.iter_rules():
        for part in rule._parts:
            if part.static:
                continue
            count += 1
            a = compile_regex(part.content)
            for s in samples:
                assert accepts(a, s) == bool(re.match(part.content, s)), (part.content, s)
            w = intersect_witness(a)
            assert w is not None and re.match(part.content, w)
    assert count == len(rules)


def test_path_tail_with_trailing_slash_brute_force():
    pattern = r"(?P<__werkzeug_0>[^/].*?)(?<!/)(/?)\Z"
    a = compile_regex(pattern)
    for s in strings("a/1", 6):
        assert accepts(a, s) == bool(re.match(pattern, s)), s


# --------------------------------------------------------------------------------------------
# Budgets
# --------------------------------------------------------------------------------------------


def test_difference_budget():
    # Determinising "the 8th character from the end is a" needs 2**8 subsets.
    hard = c(r"[ab]*a[ab]{7}")
    same = c(r"(?:a|b)*a(?:a|b){7}")
    with pytest.raises(Undecidable, match="too large"):
        difference_witness(hard, same, max_states=100)
    assert difference_witness(hard, same) is None
    assert difference_witness(c(r"[ab]*"), hard, max_states=1) == ""
    assert difference_witness(c(r"[ab]{8,}"), c("b.*"), hard) == "ab" + "a" * 7
    w = difference_witness(c(r"a[ab]{7,}"), hard)
    assert w is not None and not re.fullmatch(r"[ab]*a[ab]{7}", w)


def test_intersection_budget():
    with pytest.raises(Undecidable, match="too large"):
        intersect_witness(c(r"a{300}"), c(r"a{299}"), max_states=100)
    assert intersect_witness(c(r"a{300}"), c(r"a{299}")) is None


def test_three_way_intersection():
    assert intersect_witness(c(STRING), c(SIGNED_INT), c(r"-.*")) == "-1"
    assert intersect_witness(c(STRING), c(INT), c(r"[a-z]+")) is None


# --------------------------------------------------------------------------------------------
# Brute-force cross-checks with random regexes over a tiny alphabet
# --------------------------------------------------------------------------------------------

ALPHABET = "aA/1\n"
ALL_STRINGS = strings(ALPHABET, 4)

ATOMS = ["a", "A", "/", "1", "b", ".", r"\d", r"\w", r"\W", r"\s", r"\S", "[a/]", "[^/]",
         "[^a1]", "[a-z]", r"[\d/]", r"\/", "\\n", "(?i:a)", "(?i:[^a])", "(?s:.)", "(?:)"]
ANCHORS = ["^", "$", r"\A", r"\Z", "(?<!/)", "(?<=a)", "(?=/)", "(?!1)", "(?m:^)", "(?m:$)",
           "(?<![a1])", "(?=[^/])"]
QUANTIFIERS = ["*", "+", "?", "*?", "+?", "??", "{2}", "{0,2}", "{1,3}?", "{2,}"]


def _wrap(kind: int, body: str) -> str:
    return ["(?:%s)", "(%s)", "(?P<@>%s)"][kind] % body


regex_src = st.recursive(
    st.sampled_from(ATOMS) | st.sampled_from(ANCHORS),
    lambda inner: st.one_of(
        st.lists(inner, min_size=2, max_size=3).map("".join),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: "(?:" + "|".join(xs) + ")"),
        st.tuples(st.integers(0, 2), inner).map(lambda t: _wrap(*t)),
        st.tuples(inner, st.sampled_from(QUANTIFIERS)).map(lambda t: f"(?:{t[0]}){t[1]}"),
    ),
    max_leaves=6,
)


def _name_groups(src: str) -> str:
    counter = itertools.count()
    return re.sub("@", lambda _: f"g{next(counter)}", src)


regexes = st.tuples(st.sampled_from(["", "", "", "(?i)", "(?m)", "(?s)"]), regex_src).map(
    lambda t: t[0] + _name_groups(t[1]))


def language(pattern: str) -> list[str]:
    prog = re.compile(pattern)
    return [s for s in ALL_STRINGS if prog.fullmatch(s)]


@FAST
@given(regexes)
def test_accepts_agrees_with_fullmatch(pattern):
    a = compile_regex(pattern)
    prog = re.compile(pattern)
    for s in ALL_STRINGS:
        assert accepts(a, s) == bool(prog.fullmatch(s)), (pattern, s)
    w = intersect_witness(a)
    members = language(pattern)
    if members:  # w may be shorter by using a character outside ALPHABET ("b")
        assert w is not None and len(w) <= len(members[0])
    if w is not None:
        assert prog.fullmatch(w), (pattern, w)
    else:
        assert is_empty(a) and not members


def check_witness(w: str | None, expected: list[str], member, pattern_desc) -> None:
    """w must be a member; if brute force found members, w is shortest and most readable.

    The brute force only knows a tiny alphabet, so w may also be shorter than what it found.
    """
    if expected:
        assert w is not None, pattern_desc
        assert len(w) <= len(expected[0]), (pattern_desc, w, expected[0])
        shortest = [s for s in expected if len(s) == len(w)]
        if shortest:
            assert key(w) <= min(map(key, shortest)), (pattern_desc, w, shortest)
    if w is not None:
        assert member(w), (pattern_desc, w)


@FAST
@given(regexes, regexes)
def test_intersection_agrees_with_brute_force(p1, p2):
    r1, r2 = re.compile(p1), re.compile(p2)
    w = intersect_witness(compile_regex(p1), compile_regex(p2))
    common = [s for s in ALL_STRINGS if r1.fullmatch(s) and r2.fullmatch(s)]
    check_witness(w, common, lambda s: bool(r1.fullmatch(s) and r2.fullmatch(s)), (p1, p2))


@FAST
@given(regexes, st.lists(regexes, min_size=0, max_size=2))
def test_difference_agrees_with_brute_force(p, others):
    r = re.compile(p)
    rs = [re.compile(o) for o in others]

    def member(s: str) -> bool:
        return bool(r.fullmatch(s)) and not any(x.fullmatch(s) for x in rs)

    w = difference_witness(compile_regex(p), *map(compile_regex, others))
    check_witness(w, [s for s in ALL_STRINGS if member(s)], member, (p, others))


@FAST
@given(st.sampled_from(CONVERTERS), st.sampled_from(CONVERTERS))
def test_converter_pairs_agree_with_brute_force(p1, p2):
    alphabet = "a1-./"
    sample = strings(alphabet, 4)
    r1, r2 = re.compile(p1), re.compile(p2)
    w = intersect_witness(c(p1), c(p2))
    common = [s for s in sample if r1.fullmatch(s) and r2.fullmatch(s)]
    check_witness(w, common, lambda s: bool(r1.fullmatch(s) and r2.fullmatch(s)), (p1, p2))
    d = difference_witness(c(p1), c(p2))
    only = [s for s in sample if r1.fullmatch(s) and not r2.fullmatch(s)]
    check_witness(d, only, lambda s: bool(r1.fullmatch(s) and not r2.fullmatch(s)), (p1, p2))


@FAST
@given(st.sampled_from([INT, STRING, PATH, r"\w+", r"(?i)[a-z\d]+", r"\S\s?", UUID]), st.text())
def test_accepts_on_arbitrary_unicode_text(pattern, text):
    assume(len(text) < 40)
    assert accepts(c(pattern), text) == bool(re.fullmatch(pattern, text))


def test_the_private_re_parser_still_has_what_the_engine_reads():
    # routecli/automata/regex.py reads patterns with re._parser and re._constants
    # (private since Python 3.11). If a Python release renames or reshapes them, this test
    # fails by name rather than the analysis failing obscurely.
    import re
    from pathlib import Path
    from re import _constants, _parser

    source = (Path(__file__).resolve().parents[2] / "routecli" / "automata"
              / "regex.py").read_text(encoding="utf-8")
    opcodes = set(re.findall(r"_OP\.([A-Z_]+)", source))
    assert len(opcodes) > 20
    missing = sorted(name for name in opcodes if not hasattr(_constants, name))
    assert not missing, f"re._constants lacks {missing}"
    assert isinstance(_constants.MAXREPEAT, int)
    for name in ("GROUPREF", "GROUPREF_EXISTS", "ATOMIC_GROUP", "POSSESSIVE_REPEAT"):
        assert str(getattr(_constants, name)) == name  # the names Undecidable reports
    parsed = _parser.parse(r"a[b-d]+(?<!/)\Z", 0)
    assert isinstance(parsed.state.flags, int)
    ops = [op for op, _ in parsed]
    assert ops[:2] == [_constants.LITERAL, _constants.MAX_REPEAT]
    assert compile_regex(r"a[b-d]+(?<!/)\Z") is not None
    import _sre
    from re._casefix import _EXTRA_CASES  # case folding (regex.py's _cased_chars)

    assert isinstance(_EXTRA_CASES, dict)
    assert _sre.unicode_iscased(ord("a")) and _sre.unicode_tolower(ord("A")) == ord("a")


def test_only_small_unions_and_concatenations_are_memoised():
    # 1,024 memoised unions of hundreds of large languages held 1.2 GB (300 Django
    # regexes `^same/(?P<x>[0-9]{1,N})/$`): a large result is rebuilt, not kept
    from routecli.automata.automaton import _MEMO_MAX_STATES

    small = (compile_regex("a[0-9]"), compile_regex("b[0-9]"))
    assert Automaton.union(*small) is Automaton.union(*small)
    assert Automaton.concat(*small) is Automaton.concat(*small)
    large = (compile_regex(f"[0-9]{{1,{_MEMO_MAX_STATES}}}"), compile_regex("x[0-9]+"))
    assert Automaton.union(*large) is not Automaton.union(*large)
    assert Automaton.concat(*large) is not Automaton.concat(*large)
    assert accepts(Automaton.union(*large), "x12") and accepts(Automaton.concat(*large), "1x2")


def test_intersects_answers_as_the_witness_search_within_and_beyond_its_budget():
    a, b = c(r"(?:ab|[a-c])*x"), c(r"[ab]{3,}[xy]")
    assert intersects(a, b) and intersect_witness(a, b) == "aaax"
    assert not intersects(a, c(r"[ab]*y")) and not intersects(Automaton.empty(), a)
    wide = c(r"a[^x]{40}a")  # product of 42 x 42 states: beyond 100, the witness search
    assert intersects(wide, wide, max_states=100) is (intersect_witness(wide, wide) is not None)
    with pytest.raises(Undecidable):
        intersects(wide, c(r"a[^y]{40}b"), max_states=10)


def test_product_labels_are_shared_objects():
    # One label per distinct character set, not one per edge: a \w label is hundreds of
    # intervals, and 300 such routes held 600 MB of copies (now ~60 MB).
    from routecli.automata import compile_regex, intersection

    product = intersection(compile_regex(r"\w{1,200}"), compile_regex(r"[^\n]*"))
    labels = [chars for row in product.edges for chars, _ in row]
    assert len(labels) >= 200
    assert len({id(chars) for chars in labels}) == 1


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([r"(?:w0|w1|w12|w2){1,10}", r"(a+)+b", r"[a-c]*c[a-c]{3}",
                        r"(?:ab|a)*b?", r"\w{2,5}"]),
       st.lists(st.text(alphabet="abcw012!", max_size=14), min_size=1, max_size=30))
def test_membership_test_agrees_with_accepts_and_re(regex, texts):
    # A matcher's guard (a lazy DFA, routing/backtracking.py) against the plain
    # simulation and re, also once its tables are full.
    import re

    from routecli.automata import automaton as module
    from routecli.automata.automaton import membership_test

    automaton = compile_regex(regex)
    test = membership_test(automaton)
    for text in texts + texts:  # the second time from the tables
        assert test(text) == accepts(automaton, text) == bool(re.fullmatch(regex, text))
    limit = module._DFA_MAX_STEPS
    try:
        module._DFA_MAX_STEPS = 3
        small = membership_test(automaton)
        assert [small(text) for text in texts] == [accepts(automaton, t) for t in texts]
    finally:
        module._DFA_MAX_STEPS = limit
