"""The compiler's contract (routecli/routing/werkzeug/compiler.py): a rule's parts, their
regexes and sort weights, exactly as Werkzeug's own rule parser makes them
(docs/semantics.md); Part.match / match_rest; converted arguments; effective methods."""

import re

import pytest
from werkzeug.routing import Map, Rule

from helpers import table
from routecli.errors import RouteError
from routecli.routing.model import Route, Settings
from routecli.routing.werkzeug.compiler import RuleCompiler, effective_methods
from routecli.routing.werkzeug.endpoints import link_default_providers, rule_trace


def compile_one(rule: str, **options):
    """One compiled rule, through the compiler's own (fast or general) path."""
    settings = Settings(host_matching="host" in options)
    compiled = RuleCompiler(settings, {}).compile(Route(rule, "e", **options), 0)
    link_default_providers([compiled])
    return compiled


def werkzeug_parts(rule: str, **options):
    url_map = Map([Rule(rule, endpoint="e", **options)], host_matching="host" in options)
    return next(url_map.iter_rules())._parts


def as_werkzeug(part) -> tuple:
    # Werkzeug names its groups __werkzeug_N, routecli __rcN: the same N, in the same order.
    content = re.sub(r"\(\?P<__rc(\d+)>", r"(?P<__werkzeug_\1>", part.content)
    return content, part.final, part.static, part.suffixed, part.weight


RULES = [
    "/",
    "/static/page",
    "/users/",
    "/users/<id>",
    "/users/<int:id>/posts/<int:post>",
    "/n/<int(fixed_digits=4):y>",
    "/n/<int(min=1, max=99, signed=True):n>",
    "/f/<float:x>",
    "/f/<float(signed=True):x>",
    "/u/<uuid:u>",
    "/s/<string(length=3):code>",
    "/s/<string(minlength=2, maxlength=5):code>",
    "/a/<any(red, green, 'blue sky'):color>",
    "/p/<path:rest>",
    "/p/<path:rest>/",
    "/p/<path:rest>/edit",
    "/p/<path:rest>/<int:n>/",
    "/files/<name>.<ext>",
    "/v<int:major>.<int:minor>/api",
    "/mixed/a<x>b<y>c",
    "/esc/a.b+c/<x>",
    "/<a>/<b>/<c>/<d>/<e>/<f>/<g>/<h>/<i>/<j>/<k>/<l>",
    "/many/<a>-<b>-<c>-<d>-<e>-<f>-<g>-<h>-<i>-<j>-<k>",
]


@pytest.mark.parametrize("rule", RULES)
def test_parts_are_werkzeugs_rule_parts(rule):
    assert [as_werkzeug(p) for p in compile_one(rule).parts] == [
        (p.content, p.final, p.static, p.suffixed,
         (p.weight[0], tuple(p.weight[1]), p.weight[2], tuple(p.weight[3])))
        for p in werkzeug_parts(rule)]


@pytest.mark.parametrize(("rule", "options"), [
    ("/x", {"subdomain": "api"}),
    ("/x/<int:n>", {"subdomain": "<tenant>"}),
    ("/", {"host": "<sub>.example.com"}),
    ("/y", {"host": "static.example.com"}),
])
def test_domain_part_comes_first_like_werkzeug(rule, options):
    assert [as_werkzeug(p) for p in compile_one(rule, **options).parts] == [
        (p.content, p.final, p.static, p.suffixed,
         (p.weight[0], tuple(p.weight[1]), p.weight[2], tuple(p.weight[3])))
        for p in werkzeug_parts(rule, **options)]


def test_part_weights_sort_like_werkzeug_priorities():
    # Static before dynamic text, more static chunks first, int (50) before string (100)
    # before path (200).
    weights = {rule: compile_one(rule).parts[-1].weight
               for rule in ("/<int:x>", "/<x>", "/<path:x>", "/a<x>", "/a<x>b")}
    assert sorted(weights, key=weights.__getitem__) == [
        "/a<x>b", "/a<x>", "/<int:x>", "/<x>", "/<path:x>"]


def test_dynamic_part_match_gives_values_in_converter_order():
    part = compile_one("/files/<name>.<ext>").parts[-1]
    assert part.match("report.tar.gz") == ["report.tar", "gz"]
    assert part.match("noext") is None
    many = compile_one("/many/<a>-<b>-<c>-<d>-<e>-<f>-<g>-<h>-<i>-<j>-<k>").parts[-1]
    assert many.match("-".join("abcdefghijk")) == list("abcdefghijk")


@pytest.mark.parametrize(("rule", "segment", "expected"), [
    ("/<int:x>", "42", ["42"]),
    ("/<int:x>", "-4", None),
    ("/<int(signed=True):x>", "-4", ["-4"]),
    ("/<int:x>", "٣", ["٣"]),  # \d takes Arabic-Indic digits, as Werkzeug's regex does
    ("/<float:x>", "1.5", ["1.5"]),
    ("/<float:x>", "1", None),
    ("/<string(length=2):x>", "ab", ["ab"]),
    ("/<string(length=2):x>", "abc", None),
    ("/<any(a, 'b c'):x>", "b c", ["b c"]),
    ("/<any(a, 'b c'):x>", "b", None),
    ("/<uuid:x>", "2B5B0911-FDCF-4DD2-921B-28ACE88DB8A0", ["2B5B0911-FDCF-4DD2-921B-28ACE88DB8A0"]),
    ("/<x>", "", None),
])
def test_lone_converter_quick_test_agrees_with_its_regex(rule, segment, expected):
    part = compile_one(rule).parts[-1]
    regex = re.compile(part.content)
    found = regex.match(segment)
    assert ([found.group(name) for name in part.groups] if found else None) == expected
    assert part.match(segment) == expected


def test_match_rest_of_a_final_part():
    leaf = compile_one("/p/<path:rest>").parts
    final = leaf[-1]
    assert final.final and not final.suffixed
    assert final.match_rest(["", "", "p", "a", "b"], 3) == (["a/b"], [])
    assert final.match_rest(["", "", "p", "a", "b", ""], 3) == (["a/b/"], [])  # path takes "/"

    branch = compile_one("/p/<path:rest>/").parts
    final, empty = branch[-2], branch[-1]
    assert final.suffixed and empty.static and empty.content == ""
    # The branch's own slash present: only the trailing "" part is left to match.
    assert final.match_rest(["", "", "p", "a", "b", ""], 3) == (["a/b"], [""])
    # Missing: nothing is left, so the rule answers only through a slash redirect.
    assert final.match_rest(["", "", "p", "a", "b"], 3) == (["a/b"], [])

    inner = compile_one("/p/<path:rest>/edit").parts[-1]
    assert inner.match_rest(["", "", "p", "a", "b", "edit"], 3) == (["a/b"], [])
    assert inner.match_rest(["", "", "p", "edit"], 3) is None


def werkzeug_args(rule: str, path: str) -> dict:
    return Map([Rule(rule, endpoint="e")]).bind("localhost").match(path)[1]


@pytest.mark.parametrize(("rule", "path"), [
    ("/<int:n>/<x>", "/7/a b"),
    ("/<float:f>", "/2.50"),
    ("/<uuid:u>", "/2B5B0911-FDCF-4DD2-921B-28ACE88DB8A0"),
    ("/<any(a, b):c>/<path:p>", "/b/x/y"),
    ("/<int(fixed_digits=3):n>", "/007"),
    ("/<x>", "/plain"),
])
def test_matched_arguments_are_converted_like_werkzeug(rule, path):
    # The hot path (the generated search) converts them: same values, same types.
    args = table((rule, "e")).match("GET", path).args
    expected = werkzeug_args(rule, path)
    assert args == expected
    assert [type(v) for v in args.values()] == [type(v) for v in expected.values()]


def test_a_refusing_converter_answers_as_werkzeug_and_says_why():
    tbl = table(("/<int(max=5):n>/<x>", "e"))
    assert tbl.match("GET", "/5/x").args == {"n": 5, "x": "x"}
    refused = tbl.match("GET", "/6/x")
    assert refused.status == 404 and "refused '6'" in refused.reason
    assert table(("/<u>/<v>", "e")).match("GET", "/1/2").args == {"u": "1", "v": "2"}
    # More digits than int() takes (4,300): Werkzeug's ValueError is a 404, not a crash.
    assert table(("/<int:n>", "e")).match("GET", "/" + "9" * 5000).status == 404


@pytest.mark.parametrize(("methods", "provide", "automatic_options", "expected"), [
    (None, None, True, (None, False)),
    (("GET",), None, True, (frozenset({"GET", "HEAD", "OPTIONS"}), True)),
    (("POST",), None, True, (frozenset({"POST", "OPTIONS"}), True)),
    (("GET",), None, False, (frozenset({"GET", "HEAD"}), False)),
    (("GET",), False, True, (frozenset({"GET", "HEAD"}), False)),
    (("GET", "OPTIONS"), None, True, (frozenset({"GET", "HEAD", "OPTIONS"}), False)),
    (("GET", "OPTIONS"), True, True, (frozenset({"GET", "HEAD", "OPTIONS"}), True)),
    ((), None, True, (frozenset({"OPTIONS"}), True)),
])
def test_effective_methods_add_head_and_flasks_automatic_options(
        methods, provide, automatic_options, expected):
    route = Route("/x", "x", methods=methods, provide_automatic_options=provide)
    assert effective_methods(route, Settings(automatic_options=automatic_options)) == expected


def test_rule_trace_is_werkzeugs_rule_identity():
    # Rule.__eq__ compares the token texts and ignores converters.
    assert rule_trace(compile_one("/a/<int:x>")) == rule_trace(compile_one("/a/<x>"))
    assert rule_trace(compile_one("/a/<x>")) != rule_trace(compile_one("/a/<y>"))
    rules = [Rule("/a/<int:x>"), Rule("/a/<x>"), Rule("/a/<y>")]
    for rule in rules:
        Map([rule])  # Werkzeug computes a rule's identity when it is bound to a map
    assert (rules[0] == rules[1], rules[1] == rules[2]) == (True, False)


def test_compiled_rule_fields():
    rule = compile_one("/Users/<int:id>/", defaults={"page": 1}, strict_slashes=False)
    assert rule.variables == ("id",)
    assert rule.arguments == frozenset({"id", "page"})
    assert rule.is_branch and not rule.strict_slashes
    assert rule.static_path is None and compile_one("/a/b").static_path == "/a/b"
    assert not rule.simple  # defaults: more than converting after a match
    assert compile_one("/<int:n>").simple and not compile_one("/<int:n>").plain
    assert compile_one("/<n>").plain


@pytest.mark.parametrize(("rule", "options", "message"), [
    ("/<a>/<a>", {}, "variable 'a' is used twice"),
    ("/<nope:x>", {}, "unknown converter 'nope'"),
    ("/<int:x>", {"defaults": {"x": "y"}}, "is not valid for converter 'int'"),
    ("/<x>", {"redirect_to": "/<y>"}, "placeholder <y> is not a variable"),
    ("/ws", {"websocket": True, "methods": ("POST",)}, "websocket rules can only use"),
])
def test_compile_errors(rule, options, message):
    with pytest.raises(RouteError, match=re.escape(message)):
        compile_one(rule, **options)


def test_the_fast_and_general_paths_give_the_same_parts():
    # A rule with converter objects always takes the general path; without, the segment cache.
    settings = Settings()
    compiler = RuleCompiler(settings, {})
    for rule in RULES:
        fast = compiler.compile(Route(rule, "e"), 0)
        general = RuleCompiler(settings, {})._general_parts(
            Route(rule, "e"), rule, "", "subdomain", {})
        assert [as_werkzeug(p) for p in fast.parts] == [
            as_werkzeug(p) for p in general[0] + general[1]], rule
