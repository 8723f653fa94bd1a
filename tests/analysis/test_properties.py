"""Properties of conflicts/lint on random small tables (hypothesis).

(a) Completeness: every pair of routes that brute force shows matching a common URL with a
    shared method (URLs built from the rules' own literals and converter sample values) is
    reported by ``conflicts``.
(b) Soundness of witnesses: every witness is matched by each listed route's pattern, and
    ``answered_by`` is what Flask itself answers for it (tests/flask_oracle.py).
(c) The engine never disagrees with the matcher about a witness it built.

"Matching" is a pattern's with its slash behaviour (docs/lint.md#how-overlaps-are-decided): a route with strict_slashes
off also matches its URLs with the trailing slash toggled (a leaf ``/a`` matches ``/a/``
unless it ends in a slash-spanning part, a branch ``/a/`` matches ``/a``), as Werkzeug lets it
answer them. The ``*_nonstrict`` variants draw many such routes (per route or map-wide).

``ROUTECLI_ANALYSIS_EXAMPLES=2000 pytest tests/analysis/test_properties.py`` runs longer.
"""

from __future__ import annotations

import itertools
import os
import warnings

from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from flask_oracle import FlaskOracle, flask_refusal
from helpers import slash_matches
from routecli.analysis import conflicts, lint
from routecli.analysis.overlap import GROUP_MIN, copy_key
from routecli.analysis.pairs import Index, effective_methods, shared_methods
from routecli.errors import RouteError
from routecli.routing.werkzeug.table import RouteTable


def examples(default: int) -> int:
    env = os.environ.get("ROUTECLI_ANALYSIS_EXAMPLES")
    return int(env) if env else default


SETTINGS = {"deadline": None,
            "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much]}

UUID = "12345678-1234-1234-1234-123456789012"
STATIC = ["a", "b", "1", "ab", "x", "1.5"]
# Segment templates; "{}" are replaced by unique variable names.
DYNAMIC = [
    "<{}>", "<int:{}>", "<int(max=5):{}>", "<int(signed=True):{}>", "<float:{}>",
    "<uuid:{}>", "<any(a,b):{}>", "<any(ab,x):{}>", "<string(length=1):{}>",
    "<string(minlength=2):{}>", "a<{}>", "<{}>-<int:{}>", "<int(fixed_digits=2):{}>",
    "<hex:{}>", "<word:{}>",
]
CONVERTERS = {"hex": {"regex": "[0-9a-f]+"}, "word": {"regex": "[a-z]+", "weight": 50}}
SUBDOMAINS = ["", "", "api", "<sub>"]
DOMAINS = ["", "api", "x"]
TAILS = ["<path:{}>", "<path:{}>/x", "<path:{}>.b"]
METHODS = [["GET"], ["POST"], ["GET", "POST"], ["PUT", "DELETE"], "*", ["HEAD"]]
# Segment values the brute force combines: the statics, converter samples, and a few more.
VALUES = sorted(set(STATIC + ["5", "6", "05", "-1", "1.0", UUID, "b-1", "y", "xy", "ab"]))


@st.composite
def rule_text(draw, branches: int = 1) -> str:
    """A rule; ``branches`` in 5 end with a slash."""
    count = draw(st.sampled_from([2, 1, 2, 3]))
    names = (f"v{i}" for i in itertools.count())
    segments = []
    for position in range(count):
        kind = draw(st.sampled_from(["dynamic", "static", "dynamic", "static", "tail"]))
        if kind == "tail" and position == count - 1:
            template = draw(st.sampled_from(TAILS))
        elif kind == "static":
            template = draw(st.sampled_from(STATIC))
        else:
            template = draw(st.sampled_from(DYNAMIC))
        segments.append(template.format(*(next(names) for _ in range(template.count("{}")))))
    slash = draw(st.sampled_from([""] * (5 - branches) + ["/"] * branches))
    return "/" + "/".join(segments) + slash


@st.composite
def route_data(draw, nonstrict: bool = False) -> dict:
    hosts = draw(st.sampled_from([False, False, True]))
    # map-wide strict_slashes off (routes may still turn it back on), or per route
    map_wide = nonstrict and draw(st.sampled_from([False, False, True]))
    odds = [False] * 9 + [True] if not nonstrict else [False, True]
    routes = []
    for index in range(draw(st.integers(2, 6))):
        text = draw(rule_text(2 if nonstrict else 1))
        if nonstrict and routes and draw(st.booleans()):
            # a slash twin of an earlier rule, or that rule's segments with this one's end
            base = draw(st.sampled_from([r["rule"] for r in routes]))
            toggled = base[:-1] if base.endswith("/") and base != "/" else base + "/"
            head = toggled.rstrip("/").rsplit("/", 1)[0]
            last = text.rstrip("/").rsplit("/", 1)[-1]
            mixed = f"{head}/{last}" + ("/" if toggled.endswith("/") else "")
            text = draw(st.sampled_from([toggled, mixed]))
        route = {"rule": text,
                 "endpoint": draw(st.sampled_from([f"r{index}", "e0", f"r{index}", "e1"])),
                 "methods": draw(st.sampled_from(METHODS))}
        if map_wide:
            if draw(st.sampled_from([False, False, False, True])):
                route["strict_slashes"] = True
        elif draw(st.sampled_from(odds)):
            route["strict_slashes"] = False
        if hosts:
            subdomain = draw(st.sampled_from(SUBDOMAINS))
            if subdomain:
                route["subdomain"] = subdomain
        routes.append(route)
    data = {"routes": routes, "converters": CONVERTERS}
    settings = {}
    if hosts:
        settings["server_name"] = "example.com"
    if map_wide:
        settings["strict_slashes"] = False
    if settings:
        data["settings"] = settings
    return data


def build(data: dict) -> RouteTable:
    try:
        return RouteTable.from_data(data)
    except RouteError:
        assume(False)
        raise



def brute_force_pairs(tbl: RouteTable) -> set:
    """Pairs of rule indexes that some generated URL matches with a shared method (slash
    behaviour included; the URLs come with and without a trailing slash)."""
    live = [r for r in tbl.rules if not r.build_only]
    urls = set()
    for depth in range(1, 5):
        for combo in itertools.product(VALUES, repeat=depth):
            urls.add(combo)
            if depth >= 3 and len(urls) > 20000:
                break
    found = set()
    domains = DOMAINS if tbl.settings.server_name else [""]
    for domain, combo in itertools.product(domains, urls):
        segments = [domain, "", *combo]
        for ends in (segments, segments + [""]):
            hits = [r for r in live if slash_matches(r, ends)]
            for a, b in itertools.combinations(hits, 2):
                shared = shared_methods(effective_methods(a), effective_methods(b))
                if (shared is None or shared) and a.websocket == b.websocket:
                    found.add((a.index, b.index))
    return found


@settings(max_examples=examples(60), **SETTINGS)
@given(route_data())
def test_conflicts_report_every_overlapping_pair(data):
    check_complete(data)


@settings(max_examples=examples(60), **SETTINGS)
@given(route_data(nonstrict=True))
def test_conflicts_report_every_overlapping_pair_nonstrict(data):
    check_complete(data)


def copy_representatives(tbl: RouteTable) -> dict[int, int]:
    """Rule index -> the first of its group of copies (GROUP_MIN or more routes on one trie
    state with one copy_key): conflicts reports such a group once, and pairs with any copy
    through the first."""
    index = Index(tbl)
    groups: dict = {}
    for rule in tbl.rules:
        if not rule.build_only:
            groups.setdefault((id(index.trail(rule)[0][-1]), copy_key(rule)), []).append(rule)
    return {rule.index: members[0].index for members in groups.values()
            if len(members) >= GROUP_MIN for rule in members}


def bystander_pair(tbl: RouteTable, report, pair: tuple, reported: set) -> bool:
    """True if one route of ``pair`` is listed in an RL198 ``bystanders`` group (it never
    answers on its pattern) and the other is reported with a route of that pattern that
    is not one: the group's other overlaps are its pattern's (docs/lint.md#conflicts)."""
    index = Index(tbl)
    bystanders = {r.index for f in report.findings if f.kind == "bystanders"
                  for r in f.routes[:-1]}
    state = {rule.index: id(index.trail(rule)[0][-1]) for rule in tbl.rules
             if not rule.build_only}
    for loser, other in (pair, pair[::-1]):
        if loser in bystanders and any(
                state.get(rule) == state[loser] and rule not in bystanders
                and tuple(sorted((rule, other))) in reported for rule in state):
            return True
    return False


def check_complete(data):
    tbl = build(data)
    report = conflicts(tbl)
    first = copy_representatives(tbl)

    def pairs_of(finding):
        indexes = sorted({first.get(r.index, r.index) for r in finding.routes})
        return set(itertools.combinations(indexes, 2))

    reported = set().union(*(pairs_of(f) for f in report.findings if f.code != "RL199"))
    unverified = set().union(*(pairs_of(f) for f in report.findings if f.code == "RL199"))
    brute = brute_force_pairs(tbl)
    normalised = {tuple(sorted((first.get(a, a), first.get(b, b)))) for a, b in brute}
    missing = {(a, b) for a, b in normalised if a != b} - reported - unverified
    missing = {pair for pair in missing if not bystander_pair(tbl, report, pair, reported)}
    listed = {r.index for f in report.findings for r in f.routes}
    copies_unlisted = {(a, b) for a, b in brute if a in first and first[a] == first.get(b)
                       and not {a, b} <= listed}
    note(copies_unlisted)
    assert not copies_unlisted
    note([(tbl.rules[a].rule, tbl.rules[b].rule) for a, b in missing])
    assert not missing
    assert report.stats["model_disagreements"] == 0


@settings(max_examples=examples(40), **SETTINGS)
@given(route_data())
def test_witnesses_hold_and_flask_agrees(data):
    check_witnesses(data)


@settings(max_examples=examples(40), **SETTINGS)
@given(route_data(nonstrict=True))
def test_witnesses_hold_and_flask_agrees_nonstrict(data):
    check_witnesses(data)


def check_witnesses(data):
    tbl = build(data)
    assume(flask_refusal(data) is None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        oracle = FlaskOracle(data)
    for report in (conflicts(tbl), lint(tbl)):
        assert report.stats["model_disagreements"] == 0
        for finding in report.findings:
            witness = finding.witness
            if witness is None:
                continue
            result = tbl.match(witness.method, witness.url, witness.host)
            segments = [tbl.bind(result.host).domain, *result.path.split("/")]
            # Slash findings: the URL is the leaf's; the branch route answers it via its slash.
            matched = finding.routes[:1] if finding.code in ("RL107", "RL108") else finding.routes
            for rule in matched:
                assert slash_matches(rule, segments), (finding.code, rule.rule, witness)
            answer = oracle.match(witness.method, witness.url, witness.host)
            note((finding.code, finding.message, witness, answer))
            assert answer["endpoint"] == finding.answered_by


@settings(max_examples=examples(40), **SETTINGS)
@given(route_data())
def test_unreachable_routes_answer_no_sampled_request(data):
    """(d) RL103 is never a false alarm: no sampled URL reaches a route for a method it is
    said never to answer; and lint's pair findings are the ones conflicts lists."""
    check_unreachable(data)


@settings(max_examples=examples(40), **SETTINGS)
@given(route_data(nonstrict=True))
def test_unreachable_routes_answer_no_sampled_request_nonstrict(data):
    check_unreachable(data)


def check_unreachable(data):
    tbl = build(data)
    report = lint(tbl)
    listing = {(f.code, tuple(r.index for r in f.routes)) for f in conflicts(tbl).findings}
    for finding in report.findings:
        if finding.code in ("RL101", "RL102", "RL105"):
            assert (finding.code, tuple(r.index for r in finding.routes)) in listing
    dead = [(f.routes[0], f.details["methods"]) for f in report.findings if f.code == "RL103"]
    if not dead:
        return
    domains = DOMAINS if tbl.settings.server_name else [""]
    host = {d: (f"{d}.example.com" if d else None) for d in domains}
    for domain in domains:
        for combo in itertools.islice(itertools.product(VALUES, repeat=2), 400):
            for depth in (1, 2):
                path = "/" + "/".join(combo[:depth])
                for url in (path, path + "/"):
                    for rule, methods in dead:
                        for method in methods:
                            result = tbl.match(method, url, host[domain])
                            assert result.rule is not rule or result.status not in (200, 308) \
                                or result.redirect == "slash", (rule.rule, method, url)
