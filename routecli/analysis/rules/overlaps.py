"""How two overlapping routes with different patterns relate: RL102 order-dependent tie,
RL104 specialisation (conflicts only), RL105 crossed overlap, RL198 masked overlap
(conflicts only)."""

from __future__ import annotations

from routecli.analysis.findings import Finding
from routecli.analysis.messages import label, position, show, where
from routecli.analysis.pairs import Pair, shared_methods
from routecli.analysis.rule import Rule
from routecli.routing.serialize import route_ref

TIE = Rule(
    "RL102", "order-dependent-tie", "warning",
    "Which of two overlapping routes answers depends on registration order.",
    "Reports two routes that match a common URL and whose paths split at a part where "
    "Werkzeug's priority keys are equal (e.g. `<any(a,b):x>` vs `<y>`, `<uuid:u>` vs "
    "`<name>`, `<int(signed=True):n>` vs `<int:m>`). Werkzeug then tries the branch "
    "that was registered first, and an unrelated route registered earlier can decide "
    "that (werkzeug#3156). `--strict` makes it an error. Info when the two routes are the "
    "same rule but for a trailing slash, both with strict_slashes off (`/a` and `/a/`: "
    "each answers both forms, so the first registered takes both): an app that "
    "registers a URL in both forms on purpose.",
    "Reordering imports or blueprints silently changes which view answers.",
    "- rule: /p/<any(a,b):x>\n  endpoint: pick\n"
    "- rule: /p/<y>\n  endpoint: page          # GET /p/a -> pick, only because it is first",
    "Make one route clearly more specific (a static segment, an int converter, a "
    "different prefix), or make their URL sets disjoint.",
)


@TIE.checks
def check_ties(run) -> list:
    """RL102 for every tie a witness proves (an error with ``--strict``)."""
    found = (run.analysis.pair_finding(pair, "tie", TIE, run.strict)
             for pair in run.pairs.ordered if pair.tie)
    return [finding for finding in found if finding is not None]


@TIE.describes_pairs
def describe_tie(analysis, pair, checked, details: dict, strict: bool) -> tuple[str, str]:
    """The tie's message, naming the unrelated route that created the transition."""
    first, second = pair.first, pair.second
    message = (f"ties with {label(first)} ({where(first, second)}) at {position(pair.div)}: "
               f"{show(checked.witness)} goes to {first.endpoint!r} only because ")
    # Werkzeug tries equal-weight branches in the order they were created: by the first
    # route registered below that branch, which may be an unrelated one (werkzeug#3156).
    creator = analysis.creator(first, pair.div)
    if creator is not None and creator is not first and creator is not second:
        message += (f"the unrelated route {label(creator)} ({where(creator, second)}) was "
                    f"registered before both (werkzeug#3156)")
    else:
        message += "it was registered first"
    details["after_reorder"] = second.endpoint
    if slash_twins(first, second):
        details["slash_twins"] = True
        return TWINS_SEVERITY, message
    return ("error" if strict else TIE.severity), message


# A tie between a rule and its own trailing-slash twin (documented above).
TWINS_SEVERITY = "info"


def slash_twins(first, second) -> bool:
    """True for two routes whose rules differ only by a trailing slash."""
    a, b = first.rule, second.rule
    return a != b and a.rstrip("/") == b.rstrip("/") and (a + "/" == b or b + "/" == a)


SPECIALISATION = Rule(
    "RL104", "specialisation", "info",
    "A narrower route takes part of a broader route's URLs (intended).",
    "Reports an overlapping pair where the route tried first refines the other part by "
    "part (`/users/me` vs `/users/<id>`, `<int:i>` vs `<s>`, a route vs a `<path:...>` "
    "catch-all) and the broader one still answers other URLs. Silent in `lint`; "
    "listed by `conflicts --extend-select RL104`. Inclusion ignores URLs holding a line feed (%0A): strictly, "
    "`<name>` accepts one and `<path:p>` does not, but no route table is designed "
    "around that. A route with strict_slashes off counts with the URLs it answers with "
    "the trailing slash toggled (`/a/` non-strict and `/<x>` both answer `/a`): the pair "
    "is a specialisation when each of the first route's forms is inside the other's or "
    "apart from it, and a leaf with its branch twin (`/a`, `/a/`, one of them non-strict) "
    "always is; such findings say which route matches only because strict_slashes is "
    "off.",
    "This is how route tables are meant to be written; it is listed for completeness.",
    "- rule: /users/me\n  endpoint: me\n- rule: /users/<id>\n  endpoint: user",
    "Nothing to fix.",
    enabled=False,
)


@SPECIALISATION.describes_pairs
def describe_specialisation(analysis, pair, checked, details: dict, strict: bool
                            ) -> tuple[str, str]:
    """The specialisation's message (conflicts only: lint has no RL104 check)."""
    first, second = pair.first, pair.second
    return SPECIALISATION.severity, (
        f"{label(first)} ({where(first, second)}) specialises this route: it answers "
        f"{show(checked.witness)} first")


CROSSED = Rule(
    "RL105", "crossed-overlap", "warning",
    "Two routes overlap but neither is narrower than the other.",
    "Reports a pair that matches a common URL, with a fixed winner, where each route is "
    "narrower than the other somewhere (`/<entity>/me` vs `/books/<id>`: `/books/me` "
    "goes to the second). Opt-in: in real apps such pairs are nearly always intended "
    "(`/<project>/edit` next to `/static/<path:filename>`: a project named `static` "
    "is nobody's concern); select it to review them. A pair whose common URLs all go "
    "to a third route is not reported (conflicts lists it as RL198).",
    "One route silently takes URLs the other was written for, and the split depends on "
    "segment positions nobody looks at together.",
    "- rule: /<entity>/me\n  endpoint: me\n"
    "- rule: /books/<id>\n  endpoint: book       # GET /books/me -> book",
    "Make the URL sets disjoint (a distinct prefix), or add the crossing URL as its own "
    "static route.",
    opt_in=True,
)


@CROSSED.checks
def check_crossed(run) -> list:
    """RL105 for every crossed pair a witness proves."""
    found = (run.analysis.pair_finding(pair, "crossed", CROSSED)
             for pair in run.pairs.ordered if not pair.tie)
    return [finding for finding in found if finding is not None]


@CROSSED.describes_pairs
def describe_crossed(analysis, pair, checked, details: dict, strict: bool) -> tuple[str, str]:
    """The crossed overlap's message."""
    first, second = pair.first, pair.second
    return CROSSED.severity, (
        f"crossed overlap with {label(first)} ({where(first, second)}): both match "
        f"{show(checked.witness)}, which goes to {first.endpoint!r}, and neither route "
        f"is narrower than the other")


MASKED = Rule(
    "RL198", "masked-overlap", "info",
    "Two routes overlap only on URLs that a third route answers first.",
    "Listed by `conflicts` only: the pair's patterns share URLs, but on the URLs "
    "tried another route answers them, so their own order does not matter. Also, once "
    "per pattern, the routes that never answer on it because earlier routes on it take "
    "each of their methods, when there are two or more (variants of one route that "
    "differ only in converter arguments: `<int(max=1):x>`, `<int(max=2):x>`, ...): "
    "each is still paired with the routes that take its methods (RL101), but its "
    "overlaps with the others and with other routes -- its pattern's, listed for the "
    "route that answers it -- are left out, so that N variants make N pairs, not N^2.",
    "For completeness of the overlap listing.",
    "- rule: /<a>/x\n- rule: /y/<b>\n- rule: /y/x",
    "Nothing to fix.",
)


def masked_finding(analysis, pair, relation: str, checked) -> Finding:
    """RL198 for a pair whose witness a third route answers (``conflicts`` only)."""
    first, second = pair.first, pair.second
    details = {"relation": relation, "first": route_ref(first)}
    other = checked.raw or checked.result.rule
    details["masked_by"] = route_ref(other) if other is not None else None
    message = (f"{label(second)} and {label(first)} overlap ({relation}) only on URLs "
               f"that {label(other) if other is not None else 'no route'} answers "
               f"first, e.g. {show(checked.witness)}")
    message += analysis.slash_note(pair, checked, details)
    return Finding(MASKED.code, MASKED.severity, message, [second, first], checked.witness,
                   checked.result.endpoint, details, "masked")


def bystanders_finding(analysis, rules, bystanders: list) -> Finding | None:
    """RL198 once for a pattern's ``bystanders``: routes that never answer there, as the
    earlier of ``rules`` (the pattern's other routes) take each of their methods; their
    pairs other than with those routes are left out of ``conflicts``. None when no
    witness shows the first bystander losing (counted, like any pair's)."""
    methods = analysis.index.methods
    loser = bystanders[0]
    taker = shared = None
    for rule in rules:
        if rule.index > loser.index:
            break
        if rule.websocket == loser.websocket:
            shared = shared_methods(methods[rule.index], methods[loser.index])
            if shared is None or shared:
                taker = rule
                break
    if taker is None:
        return None
    proven = analysis.proven_pair(Pair(taker, loser, None, False, shared))
    if proven is None:
        return None
    checked = proven[0]
    count = len(bystanders)
    details = {"relation": "bystanders", "first": route_ref(taker), "bystanders": count}
    message = (f"{count:,} routes on the pattern of {label(taker)} ({where(taker, loser)}) "
               f"never answer: earlier routes on it take each of their methods, and only "
               f"those pairs are listed for them; their overlaps with one another and "
               f"with other routes (their pattern's, listed for the route answering it) "
               f"are left out, e.g. {show(checked.witness)}")
    return Finding(MASKED.code, MASKED.severity, message, [*bystanders, taker],
                   checked.witness, checked.result.endpoint, details, "bystanders")


def masked_copies_finding(analysis, first, copies: list) -> Finding | None:
    """RL198 once for a group of copies of ``first`` (``conflicts`` only) whose shared
    URLs a route that is not their duplicate answers first (a branch route's slash
    redirect, say), so RL101's group cannot name a winner: the copies are listed all the
    same. None when no witness is usable."""
    methods = analysis.index.methods[first.index]
    checked, verified = analysis.pair_witness(Pair(first, copies[0], None, False, methods))
    if checked is None or verified:
        return None
    other = checked.raw or checked.result.rule
    count = len(copies)
    details = {"relation": "duplicate", "first": route_ref(first), "copies": count,
               "masked_by": route_ref(other) if other is not None else None}
    message = (f"{count:,} copies of {label(first)} ({where(first, copies[0])}) overlap it "
               f"and one another only on URLs that "
               f"{label(other) if other is not None else 'no route'} answers first, e.g. "
               f"{show(checked.witness)}")
    return Finding(MASKED.code, MASKED.severity, message, [*copies, first], checked.witness,
                   checked.result.endpoint, details, "masked")
