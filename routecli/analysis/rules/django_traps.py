"""Django traps (docs/django.md#lint): RL301 an include's patterns swallow a later
sibling, RL302 a re_path that matches more than it reads (no ``^`` or no ``$``), RL303 a
pattern starting with ``/``, RL304 APPEND_SLASH redirecting to a view that refuses GET.
The order findings themselves (unreachable, shadowed, crossed) are the first-match
core's RL2xx; every witness here is answered by the Django matcher before it is
reported."""

from __future__ import annotations

from routecli.analysis.findings import Finding, Witness
from routecli.analysis.first_match import MAX_STATES
from routecli.analysis.messages import label
from routecli.analysis.rule import Rule
from routecli.automata import Undecidable, compile_regex, difference_witness

INCLUDE_SWALLOWS = Rule(
    "RL301", "django-include-swallows", "error",
    "The patterns of an earlier include() take every URL of a later pattern.",
    "Reports a pattern made dead by patterns inside one earlier `include()` that does not "
    "hold it. Django leaves an include and tries the next sibling only when none of the "
    "include's patterns matches; here one always does, so the later pattern never runs. "
    "(Reported instead of RL201/RL202 for that case.)",
    "The include's patterns live in another file; the pattern they shadow looks fine "
    "where it is written.",
    "- include: 'api/'\n  routes: [{rule: '<path:rest>', endpoint: proxy}]\n"
    "- {rule: 'api/health/', endpoint: health}   # GET /api/health/ -> proxy",
    "Move the pattern above the include, or narrow the include's catch-all.",
)

UNANCHORED = Rule(
    "RL302", "django-unanchored-regex", "warning",
    "A re_path() without ^ matches mid-path, or an endpoint regex without $ matches "
    "longer paths.",
    "Django searches a re_path regex in the path: without `^` it matches in the middle "
    "of a path (`anywhere/` answers `/x/anywhere/`), and an endpoint regex that does not "
    "end in `$` matches every path that starts with it (`^feed` answers `/feed/x/y`). "
    "Reported with a URL that reaches the pattern only because of the missing anchor "
    "(one the earlier patterns do not take).",
    "The extra URLs are rarely intended: a page served under URLs nobody wrote.",
    "- {regex: 'anywhere/', endpoint: a}      # also GET /x/anywhere/deeper/",
    "Anchor the regex (`^anywhere/$`), or use path().",
)

LEADING_SLASH = Rule(
    "RL303", "django-leading-slash", "warning",
    "A Django pattern starts with '/': only a URL with a doubled slash reaches it.",
    "Django strips the path's leading `/` before matching, so `path('/lead', ...)` "
    "answers `//lead` and `/lead` is a 404 (Django's own check urls.W002 warns as well). "
    "Also inside an include: `api/` + `/x` needs `/api//x`.",
    "The pattern is unreachable in practice.",
    "- {rule: /lead, endpoint: lead}      # GET /lead -> 404",
    "Remove the leading slash.",
)

SLASH_REFUSED = Rule(
    "RL304", "django-append-slash-refused", "warning",
    "APPEND_SLASH redirects to a view that refuses GET.",
    "For a view whose methods are known and exclude GET (`require_POST`, `methods: "
    "[POST]`, a class view with only `post`), a request for its URL without the "
    "trailing slash gets APPEND_SLASH's 301 (a 500 under DEBUG for POST, PUT, PATCH "
    "and DELETE); clients follow a 301 with a GET, which the view answers with 405.",
    "A client that forgets the slash loses its request body and gets a confusing 405.",
    "- {rule: login/, endpoint: login, methods: [POST]}   # POST /login -> 301 -> GET 405",
    "Point clients at the slashed URL, or add a pattern without the slash.",
    # Off by default: every POST-only view under Django's trailing-slash convention has
    # it, and its own forms post to the slashed URL (django CMS, Oscar: judged noise).
    enabled=False,
)


def trap_rule(relation) -> Rule | None:
    """RL301 for a pattern dead behind the patterns of an include not holding it."""
    entry, earlier = relation.entry, relation.earlier
    if relation.kind not in ("shadowed", "duplicate", "union") or not earlier:
        return None
    mine = set(entry.parents)
    outside = [next((p for p in other.parents if p not in mine), None) for other in earlier]
    if outside[0] is not None and all(o is outside[0] for o in outside):
        return INCLUDE_SWALLOWS
    return None


def is_override(relation) -> bool:
    """Whether a duplicate is Django's override idiom: a project (or an app) replaces a
    pattern one of Django's own apps declares (the admin's changelist, ``admin/login/``,
    an auth view) by declaring its pattern first, as ``ModelAdmin.get_urls()`` is meant to
    be extended. The later pattern stays for ``reverse()`` and the admin's own links,
    which lead to the override. Not the idiom: the same view under the same name twice
    (an URLconf included twice)."""
    if relation.kind != "duplicate" or len(relation.earlier) != 1:
        return False
    later, earlier = relation.entry.route, relation.earlier[0].route
    if not (later.view or "").startswith("django.contrib."):
        return False
    return (earlier.view, earlier.endpoint) != (later.view, later.endpoint)


def changes_no_answer(relation) -> bool:
    """Whether a duplicate pattern has the very view and kwargs of the one that answers
    instead: every request still reaches the same code (Django Ninja declares one pattern
    per operation of a path, all with the path's one view, which dispatches on the
    method), so the later pattern only gives reverse() another name."""
    if relation.kind != "duplicate" or len(relation.earlier) != 1:
        return False
    later, earlier = relation.entry.route, relation.earlier[0].route
    return (later.view is not None and later.view == earlier.view
            and (later.extra or {}).get("kwargs") == (earlier.extra or {}).get("kwargs"))


@INCLUDE_SWALLOWS.checks
def check_swallows(run) -> list:
    from routecli.analysis.rules.first_match_order import relation_findings

    return [f for f in relation_findings(run) if f.code == INCLUDE_SWALLOWS.code]


def _routes(run):
    return [e for e in run.table.rules if e.is_route]


def _dominators(run, entry) -> list:
    """Languages of the earlier patterns that surely take what they match."""
    head = run.core.head(entry)
    copies = run.core.later_copies()  # each has its group's first's language
    out = {}
    for other in run.table.rules[:entry.index]:
        if (not other.is_route or not other.exact or other.may_decline
                or other.index in copies):
            continue
        theirs = run.core.head(other)
        if theirs.startswith(head) or head.startswith(theirs):
            language = run.core.language(other)
            if language is not None:
                out[id(language)] = language  # one per pattern
    return list(out.values())


def _answered_here(run, entry, path: str):
    url = run.url(path, entry)
    result = run.match("GET", url)
    return (url, result) if result.rule is entry else (None, None)


@UNANCHORED.checks
def check_unanchored(run) -> list:
    from routecli.routing.django.language import flatten

    findings = []
    for entry in _routes(run):
        endpoint = entry.data
        chain = (*endpoint.parents, endpoint)
        loose = next((i for i in chain if i.pattern.kind == "regex"
                      and not i.pattern.source.startswith("^") and not i.pattern.fullmatch),
                     None)
        endless = endpoint.pattern.kind == "regex" and not endpoint.pattern.fullmatch
        if loose is None and not endless:
            continue
        mine = run.core.language(entry)
        if mine is None:
            continue
        flat = flatten(chain)
        for bound, culprit, what in ((flat.anchored, loose, "no '^': it matches mid-path"),
                                     (flat.ended, endpoint if endless else None,
                                      "no '$': it matches longer paths")):
            if culprit is None:
                continue
            try:
                word = difference_witness(mine, compile_regex(bound),
                                          *_dominators(run, entry), max_states=MAX_STATES)
            except Undecidable:
                continue
            if word is None:
                continue
            url, result = _answered_here(run, entry, word)
            if url is None:
                continue  # an earlier pattern left out of the dominators takes it
            findings.append(Finding(
                UNANCHORED.code, UNANCHORED.severity,
                f"re_path '{culprit.pattern}' has {what}; {label(entry)} "
                f"({entry.endpoint}) also answers {url}", [entry], Witness("GET", url),
                answered_by=result.endpoint, kind="unanchored"))
            break
    return findings


@LEADING_SLASH.checks
def check_leading_slash(run) -> list:
    findings = []
    for entry in _routes(run):
        endpoint = entry.data
        culprit = next((i for i in (*endpoint.parents, endpoint)
                        if str(i.pattern).removeprefix("^").startswith("/")), None)
        if culprit is None:
            continue
        word = run.core.witness_of(entry)
        if word is None:
            continue
        url, result = _answered_here(run, entry, word)
        if url is None:
            continue  # dead or taken: the order rules say so
        findings.append(Finding(
            LEADING_SLASH.code, LEADING_SLASH.severity,
            f"'{culprit.pattern}' starts with '/': {label(entry)} ({entry.endpoint}) answers "
            f"only URLs like {url}", [entry], Witness("GET", url),
            answered_by=result.endpoint, kind="leading-slash"))
    return findings


@SLASH_REFUSED.checks
def check_slash_refused(run) -> list:
    findings = []
    if not run.table.django.append_slash:
        return findings
    slashed: dict[str, str | None] = {}  # pattern -> its witness ending in "/"
    for entry in _routes(run):
        methods = entry.allowed
        if not methods or "GET" in methods:
            continue
        if entry.pattern not in slashed:
            slashed[entry.pattern] = _slashed_witness(run.core.language(entry))
        word = slashed[entry.pattern]
        if not word or len(word) < 2:
            continue
        url, _ = _answered_here(run, entry, word)
        if url is None:
            continue
        bare = url[:-1]
        method = methods[0]
        first = run.match(method, bare)
        if first.status not in (301, 500) or first.rule is not entry:
            continue
        findings.append(Finding(
            SLASH_REFUSED.code, SLASH_REFUSED.severity,
            f"{method} {bare} gets APPEND_SLASH's 301 to {url} (a 500 under DEBUG for a "
            f"body method), and the GET that follows gets 405 from {label(entry)} "
            f"({entry.endpoint}, allows {', '.join(methods)})", [entry], Witness(method, bare),
            answered_by=entry.endpoint, kind="append-slash"))
    return findings


def _slashed_witness(language) -> str | None:
    """A shortest path of ``language`` ending in "/" (None: none, or undecided)."""
    if language is None:
        return None
    from routecli.automata import intersect_witness

    try:
        return intersect_witness(language, compile_regex("(?s:.)*/"), max_states=MAX_STATES)
    except Undecidable:
        return None
