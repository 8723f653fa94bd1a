"""The matcher's contract (routecli/routing/werkzeug/matcher.py): on small hand-built tables,
``Matcher.search`` reports the outcome Werkzeug's state machine reaches (docs/semantics.md):
static before dynamic, weights, backtracking, slash and merge-slashes redirects, 405
evidence, websocket mismatch. Werkzeug's ``MapAdapter.match`` is the oracle."""

from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, RequestRedirect, Rule

from routecli.routing.model import Route, Settings
from routecli.routing.werkzeug.compiler import RuleCompiler
from routecli.routing.werkzeug.matcher import Matcher

SETTINGS = Settings(automatic_options=False)  # Werkzeug alone adds no OPTIONS


def matcher_for(*rules: tuple) -> Matcher:
    """``("/rule", "endpoint", {route options})`` tuples → a Matcher of their rules."""
    compiler = RuleCompiler(SETTINGS, {})
    compiled = [compiler.compile(Route(rule, endpoint, **(rest[0] if rest else {})), index)
                for index, (rule, endpoint, *rest) in enumerate(rules)]
    return Matcher(compiled, SETTINGS.merge_slashes)


def outcome(matcher: Matcher, path: str, method: str = "GET", domain: str = "") -> tuple:
    """The search, in the oracle's terms."""
    search = matcher.search(domain, path, method)
    if search.kind == "match":
        return ("match", search.rule.endpoint, dict(zip(search.rule.variables, search.values)))
    if search.kind in ("slash", "merge_slashes"):
        return ("redirect", search.path)
    return ("none", sorted(search.allowed))


def werkzeug_outcome(rules: tuple, path: str, method: str = "GET") -> tuple:
    url_map = Map([Rule(rule, endpoint=endpoint, **(rest[0] if rest else {}))
                   for rule, endpoint, *rest in rules])
    try:
        rule, args = url_map.bind("localhost").match(path, method, return_rule=True)
    except RequestRedirect as redirect:
        return ("redirect", urlsplit(redirect.new_url).path)
    except MethodNotAllowed as error:
        return ("none", sorted(error.valid_methods))
    except NotFound:
        return ("none", [])
    return ("match", rule.endpoint, {name: str(value) for name, value in args.items()})


CASES = [
    # static text beats a variable; the variable takes the rest
    ((("/a/b", "static"), ("/a/<x>", "dynamic")), ["/a/b", "/a/c", "/a", "/a/b/c"]),
    # weights: int (50) before string (100) before path (200), whatever the definition order
    ((("/<path:p>", "path"), ("/<x>", "string"), ("/<int:n>", "int")), ["/5", "/q", "/q/r"]),
    # more static text in a part sorts first
    ((("/<x>", "bare"), ("/v<x>", "prefixed"), ("/v<x>.json", "both")),
     ["/v1", "/v1.json", "/w1"]),
    # equal weights: definition order
    ((("/<a>", "first"), ("/<b>", "second")), ["/x"]),
    # backtracking out of a failed static descent into a dynamic transition
    ((("/a/b/c", "abc"), ("/<x>/b/d", "xbd")), ["/a/b/c", "/a/b/d", "/z/b/d"]),
    # ...with values captured on the failed path thrown away
    ((("/a/<p>/c", "apc"), ("/<x>/<y>/d", "xyd")), ["/a/z/c", "/a/z/d"]),
    # a strict branch answers its path without the slash with a redirect
    ((("/dir/", "dir"),), ["/dir", "/dir/", "/dir//"]),
    # a strict leaf does not answer with a slash; a non-strict one does
    ((("/strict", "s"), ("/loose", "l", {"strict_slashes": False})),
     ["/strict/", "/loose/", "/loose"]),
    # merge_slashes: a redirect to the merged path
    # (leading slashes are the table's business: Werkzeug strips them before matching)
    ((("/a/b", "ab"), ("/c/<x>", "cx")), ["/a//b", "/a/b//", "/c//y"]),
    # methods: 405 evidence from every rule whose path matched, fall-through to others
    ((("/x", "post", {"methods": ["POST"]}), ("/x", "put", {"methods": ["PUT"]})),
     [("/x", "GET"), ("/x", "PUT"), ("/x", "HEAD")]),
    ((("/x", "post", {"methods": ["POST"]}), ("/<y>", "any")), [("/x", "GET"), ("/x", "POST")]),
    ((("/x", "get", {"methods": ["GET"]}),), [("/x", "HEAD"), ("/x", "DELETE")]),
    # slash-spanning converters: a final part, with and without a branch slash
    ((("/p/<path:rest>", "leaf"), ("/p/<path:rest>/edit", "edit")),
     ["/p/a/b", "/p/a/b/edit", "/p/a/b/", "/p/edit"]),
    ((("/q/<path:rest>/", "branch"),), ["/q/a/b", "/q/a/b/", "/q/a"]),
    ((("/r/<path:rest>/<int:n>/", "deep"),), ["/r/a/b/3/", "/r/a/b/3", "/r/a/x/"]),
    # several variables in one segment
    ((("/files/<name>.<ext>", "file"),), ["/files/a.tar.gz", "/files/noext"]),
    # the root and empty segments
    ((("/", "index"), ("/<x>", "x")), ["/", "/y", "/y/"]),
]


@pytest.mark.parametrize(("rules", "requests"), CASES)
def test_search_reaches_werkzeugs_outcome(rules, requests):
    matcher = matcher_for(*rules)
    for request in requests:
        path, method = request if isinstance(request, tuple) else (request, "GET")
        assert outcome(matcher, path, method) == werkzeug_outcome(rules, path, method), request


def test_outcomes_by_hand():
    # The same facts as above, spelled out, so a broken oracle cannot hide a broken matcher.
    m = matcher_for(("/a/b", "static"), ("/a/<x>", "dynamic"),
                    ("/dir/", "dir"), ("/x", "post", {"methods": ["POST"]}))
    assert outcome(m, "/a/b") == ("match", "static", {})
    assert outcome(m, "/a/c") == ("match", "dynamic", {"x": "c"})
    assert outcome(m, "/dir") == ("redirect", "/dir/")
    assert m.search("", "/dir", "GET").kind == "slash"
    assert m.search("", "/a//b", "GET").kind == "merge_slashes"
    assert outcome(m, "/x") == ("none", ["POST"])
    assert outcome(m, "/nothing") == ("none", [])


def test_values_are_raw_text_and_failed_descents_leave_none_behind():
    m = matcher_for(("/a/<int:p>/c", "apc"), ("/<x>/<y>/d", "xyd"))
    search = m.search("", "/a/7/d", "GET")
    assert (search.rule.endpoint, search.values) == ("xyd", ["a", "7"])  # not ints: raw


def test_domain_is_the_first_segment():
    m = matcher_for(("/", "root"), ("/", "api", {"subdomain": "api"}),
                    ("/t", "tenant", {"subdomain": "<tenant>"}))
    assert outcome(m, "/") == ("match", "root", {})
    assert outcome(m, "/", domain="api") == ("match", "api", {})
    assert outcome(m, "/t", domain="acme") == ("match", "tenant", {"tenant": "acme"})
    assert outcome(m, "/t") == ("none", [])  # "" is no value for <tenant>
    # rules reached through static parts only are also indexed by domain and path
    assert {domain: {path: [r.endpoint for r in state.rules] for path, state in paths.items()}
            for domain, paths in m.static_paths.items()} == {"": {"/": ["root"]},
                                                              "api": {"/": ["api"]}}


def test_websocket_rules_only_answer_websocket_requests():
    m = matcher_for(("/ws", "ws", {"websocket": True}), ("/http", "http"))
    plain = m.search("", "/ws", "GET", websocket=False)
    assert (plain.kind, plain.rule, plain.ws_mismatch) == ("none", None, True)
    assert m.search("", "/ws", "GET", websocket=True).rule.endpoint == "ws"
    upgraded = m.search("", "/http", "GET", websocket=True)
    assert (upgraded.kind, upgraded.ws_mismatch) == ("none", True)


def test_build_only_rules_are_not_in_the_trie():
    m = matcher_for(("/b", "b", {"build_only": True}))
    assert outcome(m, "/b") == ("none", [])
    assert not m.root.static and not m.static_paths


def test_parts_with_the_same_key_share_one_transition():
    # "<a>" and "<b>" differ only by name: one dynamic transition, both rules behind it.
    m = matcher_for(("/<a>", "first"), ("/<b>", "second", {"methods": ["POST"]}))
    start = m.root.static[""].static[""]  # the domain, then the text before the first "/"
    assert len(start.dynamic) == 1
    assert [rule.endpoint for rule in start.dynamic[0][1].rules] == ["first", "second"]
    assert outcome(m, "/x", "POST") == ("match", "second", {"b": "x"})


@pytest.mark.parametrize(("rules", "requests"), CASES)
def test_explains_pattern_values_agree_with_the_matcher_rule_by_rule(rules, requests):
    # routecli.routing.werkzeug.explain matches one rule alone with the same parts.
    from routecli.routing.werkzeug.explain import pattern_values

    for rule, endpoint, *_ in rules:
        m = matcher_for((rule, endpoint, {"methods": None}))
        (compiled,) = [r for state in _states(m.root) for r in state.rules]
        for request in requests:
            path = request[0] if isinstance(request, tuple) else request
            search = m.search("", path, "GET")
            expected = search.values if search.kind == "match" else None
            assert pattern_values(compiled, ["", *path.split("/")]) == expected, (rule, path)


def _states(state):
    yield state
    for child in state.static.values():
        yield from _states(child)
    for _, child in state.dynamic:
        yield from _states(child)
