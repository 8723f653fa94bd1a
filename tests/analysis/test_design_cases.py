"""43 lint design cases, one named test each: the table of overlaps the analysis was designed
against (docs/lint.md describes the codes).

Each case lists its rules (registration order; GET unless stated), the codes ``lint`` reports
(RL104 is silent there, so specialisation cases also check ``conflicts``), and for the
finding that proves the case, its witness request and the endpoint ``routecli match`` answers.

Where these expectations differ from the original design table, its own definitions decided
(noted per case): witnesses use the readable values of docs/lint.md#witnesses (``x`` for strings, ``1``
for int), so e.g. case 8's witness is /i/1, not /i/12.

A route that loses its methods only to RL101 duplicates gets no RL103 as well (RL101
already says "this route never answers it"): cases 1, 12, 14 and 22 report the duplicate
once. RL103 stays when another route takes part of the route too (cases 6, 7, 32, 36).
"""

from __future__ import annotations

import pytest

from helpers import table
from routecli.analysis import conflicts, lint

G = {"methods": ["GET"]}
P = {"methods": ["POST"]}


def R(rule, endpoint, **options):
    return (rule, endpoint, options)


# (id, rules, settings, lint codes, conflicts codes or None, (code, method, url, answered_by))
CASES = [
    # The design's expectation: RL101 only (b loses GET to its duplicate and to nothing else).
    ("01-duplicate", [R("/blog/<int:post_id>", "a"), R("/blog/<int:id>", "b")], {},
     {"RL101"}, {"RL101"}, ("RL101", "GET", "/blog/1", "a")),
    ("02-methods-disjoint", [R("/blog/<int:a>", "a"), R("/blog/<int:b>", "b", methods=["POST"])],
     {}, set(), set(), None),
    ("03-static-first", [R("/users/me", "me"), R("/users/<id>", "user")], {},
     set(), {"RL104"}, ("RL104", "GET", "/users/me", "me")),
    ("04-static-wins-regardless", [R("/users/<id>", "user"), R("/users/me", "me")], {},
     set(), {"RL104"}, ("RL104", "GET", "/users/me", "me")),
    ("05-any-string-tie", [R("/p/<any(a,b):x>", "any"), R("/p/<y>", "str")], {},
     {"RL102"}, {"RL102"}, ("RL102", "GET", "/p/a", "any")),
    ("06-string-any-tie-dead", [R("/p/<y>", "str"), R("/p/<any(a,b):x>", "any")], {},
     {"RL102", "RL103"}, {"RL102"}, ("RL102", "GET", "/p/a", "str")),
    ("07-string-covers-uuid", [R("/u/<y>", "str"), R("/u/<uuid:x>", "uuid")], {},
     {"RL102", "RL103"}, {"RL102"},
     ("RL103", "GET", "/u/12345678-1234-1234-1234-123456789012", "str")),
    ("08-int-before-string", [R("/i/<y>", "str"), R("/i/<int:x>", "int")], {},
     set(), {"RL104"}, ("RL104", "GET", "/i/1", "int")),
    ("09-int-covers-any", [R("/q/<any('1','2'):x>", "any"), R("/q/<int:n>", "int")], {},
     {"RL103"}, {"RL103"}, ("RL103", "GET", "/q/1", "int")),
    ("10-float-int-disjoint", [R("/f/<float:y>", "f"), R("/f/<int:x>", "i")], {},
     set(), set(), None),
    ("11-uuid-int-disjoint", [R("/w/<uuid:u>", "u"), R("/w/<int:n>", "i")], {},
     set(), set(), None),
    ("12-validation-duplicate", [R("/n/<int(max=10):a>", "small"),
                                 R("/n/<int(min=11):b>", "big")], {},
     # big is dead, but only its duplicate takes it: RL101 (and RL110, an error because a
     # victim is dead), no RL103 on top.
     {"RL101", "RL110"}, {"RL101"}, ("RL110", "GET", "/n/11", None)),
    ("13-validation-trap", [R("/n/<s>", "str"), R("/n/<int(max=10):a>", "small")], {},
     {"RL110"}, {"RL104"}, ("RL110", "GET", "/n/11", None)),
    # Design lists RL103 + RL110; both parts compile to \d+, so by RL101's own definition
    # (and Werkzeug 3.2's DuplicateRuleError) the pair is a duplicate, and a route lost only
    # to its duplicate is RL101's finding alone: RL101 + RL110.
    ("14-fixed-digits", [R("/z/<int(fixed_digits=4):n>", "fixed"), R("/z/<int:m>", "any")], {},
     {"RL101", "RL110"}, {"RL101"}, ("RL110", "GET", "/z/1", None)),
    ("15-path-vs-segment", [R("/files/<path:p>", "path"), R("/files/<name>", "name")], {},
     set(), {"RL104"}, ("RL104", "GET", "/files/x", "name")),
    ("16-path-vs-path-suffix", [R("/files/<path:p>", "path"), R("/files/<path:p>/edit", "edit")],
     {}, set(), {"RL104"}, ("RL104", "GET", "/files/a/edit", "edit")),
    ("17-catch-all", [R("/<path:p>", "path"), R("/<a>/<b>", "ab")], {},
     set(), {"RL104"}, ("RL104", "GET", "/x/y", "ab")),
    ("18-crossed", [R("/<a>/x", "ax"), R("/y/<b>", "yb")], {},
     {"RL105"}, {"RL105"}, ("RL105", "GET", "/y/x", "yb")),
    ("19-crossed-entity", [R("/<entity>/me", "me"), R("/books/<id>", "book")], {},
     {"RL105"}, {"RL105"}, ("RL105", "GET", "/books/me", "book")),
    ("20-crossed-deep", [R("/a/<x>/b/c/<y>", "first"), R("/a/<x>/b/<z>/d", "second")], {},
     {"RL105"}, {"RL105"}, ("RL105", "GET", "/a/x/b/c/d", "first")),
    ("21-crossed-counts", [R("/<a>/x/<b>", "axb"), R("/y/<c>/z", "ycz")], {},
     {"RL105"}, {"RL105"}, ("RL105", "GET", "/y/x/z", "ycz")),
    # get is dead, lost only to its duplicate (which accepts every method): RL101 alone.
    ("22-all-then-get", [R("/m", "all", methods=None), R("/m", "get")], {},
     {"RL101"}, {"RL101"}, ("RL101", "GET", "/m", "all")),
    ("23-get-then-all", [R("/m", "get"), R("/m", "all", methods=None)], {},
     {"RL101"}, {"RL101"}, ("RL101", "GET", "/m", "get")),
    ("24-method-overlap", [R("/o", "first", methods=["GET", "POST"]),
                           R("/o", "second", methods=["POST", "PUT"])], {},
     {"RL101"}, {"RL101"}, ("RL101", "POST", "/o", "first")),
    ("25-implicit-head", [R("/h", "get"), R("/h", "head", methods=["HEAD"])], {},
     {"RL103"}, {"RL106"}, ("RL103", "HEAD", "/h", "get")),
    ("26-method-backtracking", [R("/users/me", "me"), R("/users/<id>", "user", methods=["POST"])],
     {}, set(), set(), None),
    ("27-slash-twins", [R("/a", "leaf"), R("/a/", "branch")], {},
     {"RL107"}, set(), ("RL107", "GET", "/a", "leaf")),
    ("28-slash-capture", [R("/<x>", "page"), R("/b/", "b")], {},
     {"RL108"}, set(), ("RL108", "GET", "/b", "b")),
    # The non-strict branch also answers /s/lit, which /s/<x> matches: both routes can
    # answer it, so conflicts lists the pair (a specialisation: lit is tried first there).
    ("29-nonstrict-branch", [R("/s/<x>", "x"), R("/s/lit/", "lit", strict_slashes=False)], {},
     {"RL108"}, {"RL104"}, ("RL108", "GET", "/s/lit", "lit")),
    ("30-any-length-tie", [R("/r/<any(ab,cd):x>", "any"), R("/r/<string(length=2):s>", "s")],
     {}, {"RL102"}, {"RL102"}, ("RL102", "GET", "/r/ab", "any")),
    ("31-disjoint-lengths", [R("/s/<string(maxlength=3):a>", "a"),
                             R("/s/<string(minlength=4):b>", "b")], {}, set(), set(), None),
    ("32-unrelated-order", [R("/<string:v>/no_match", "nm"), R("/<any(foo,bar):v>", "any"),
                            R("/<string:v>", "str")], {},
     {"RL102", "RL103"}, {"RL102"}, ("RL102", "GET", "/bar", "str")),
    ("33-prefix-int", [R("/item-<s>", "s"), R("/item-<int:id>", "int")], {},
     set(), {"RL104"}, ("RL104", "GET", "/item-1", "int")),
    ("34-static-piece", [R("/<c>", "c"), R("/<a>-<b>", "ab")], {},
     set(), {"RL104"}, ("RL104", "GET", "/x-y", "ab")),
    ("35-any-any-tie", [R("/k/<any(a,b):x>", "ab"), R("/k/<any(b,c):y>", "bc")], {},
     {"RL102"}, {"RL102"}, ("RL102", "GET", "/k/b", "ab")),
    ("36-signed-tie", [R("/g/<int(signed=True):n>", "signed"), R("/g/<int:m>", "unsigned")], {},
     {"RL102", "RL103"}, {"RL102"}, ("RL102", "GET", "/g/1", "signed")),
    ("37-api-catch-all", [R("/api/<path:rest>", "rest"), R("/api/v1/users", "users")], {},
     set(), {"RL104"}, ("RL104", "GET", "/api/v1/users", "users")),
    ("38-api-typed", [R("/api/<path:rest>", "rest"), R("/api/<v>/users/<int:id>", "typed")], {},
     set(), {"RL104"}, ("RL104", "GET", "/api/x/users/1", "typed")),
    ("39-any-uuid-disjoint", [R("/ua/<any(new,latest):k>", "k"), R("/ua/<uuid:u>", "u")], {},
     set(), set(), None),
    ("40-build-only", [R("/z", "z", build_only=True), R("/<x>", "x")], {}, set(), set(), None),
    ("41-case-sensitive", [R("/About", "about"), R("/<x>", "x")], {},
     set(), {"RL104"}, ("RL104", "GET", "/About", "about")),
    ("42-two-paths", [R("/<path:a>/x/<path:b>", "pp")], {},
     {"RL111"}, set(), ("RL111", "GET", "/1/x/2/x/3", "pp")),
    ("43-hosts-disjoint", [R("/", "api", subdomain="api"), R("/", "main")],
     {"server_name": "example.com"}, set(), set(), None),
]


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_design_case(case):
    _, rules, settings, lint_codes, conflict_codes, proof = case
    tbl = table(*rules, **settings)
    report = lint(tbl)
    assert {f.code for f in report.findings} == lint_codes, [f.message for f in report.findings]
    assert report.stats["model_disagreements"] == 0
    listing = conflicts(tbl)
    if conflict_codes is not None:
        assert {f.code for f in listing.findings} == conflict_codes, [
            f.message for f in listing.findings]
    assert listing.stats["model_disagreements"] == 0
    if proof is None:
        return
    code, method, url, answered_by = proof
    pool = report.findings if code != "RL104" else listing.findings
    found = [f for f in pool + listing.findings if f.code == code]
    assert found, f"no {code}"
    finding = found[0]
    assert (finding.witness.method, finding.witness.url) == (method, url)
    assert finding.answered_by == answered_by
    # The witness is a request every listed route matches (slash findings: the leaf only).
    result = tbl.match(method, url, finding.witness.host)
    assert result.endpoint == answered_by
