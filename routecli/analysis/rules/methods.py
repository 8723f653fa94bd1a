"""HTTP-method rules: RL106 method shadow (a route loses some methods on shared URLs but
keeps others) and RL115 non-standard method."""

from __future__ import annotations

import difflib

from routecli.analysis.blocks import shadow_candidates
from routecli.analysis.findings import Finding
from routecli.analysis.messages import (
    label,
    method_rank,
    methods_text,
    pick_method,
    show,
    where,
)
from routecli.analysis.rule import Rule
from routecli.analysis.rules import unreachable
from routecli.routing.serialize import route_ref

METHOD_SHADOW = Rule(
    "RL106", "method-shadow", "warning",
    "On some URLs a route loses some of its methods to another route but keeps others.",
    "Reports a route that, on the URLs it shares with routes tried first, loses the "
    "methods those routes also accept while still answering its other methods there, "
    "e.g. `/users/me` [GET] before `/users/<id>` [GET, DELETE]: DELETE /users/me reaches "
    "`<id>` with id='me'. One finding per losing route. Implicit HEAD counts. Methods the "
    "route loses everywhere are RL103; routes accepting every method are not reported. "
    "Opt-in: in real apps the generic route's argument is an identifier that never "
    "equals the literal (a project or dataset named `search`), so the shadow is moot.",
    "Requests that look like they should get a 405 (or the specific view) reach a "
    "generic view with a surprising argument.",
    "- rule: /users/me\n  endpoint: me\n"
    "- rule: /users/<id>\n  endpoint: user\n  methods: [GET, DELETE]",
    "Give the narrower route the same methods (returning 405 itself if needed), or make "
    "the generic route reject the literal value.",
    opt_in=True,
    reads=(unreachable.UNREACHABLE,),  # run.dead: the methods RL103 found dead
)


@METHOD_SHADOW.checks
def check(run) -> list:
    """RL106, one finding per losing route (methods RL103 found dead are not repeated)."""
    analysis = run.analysis
    sink = run.pairs
    dead = run.dead
    out = []
    methods = analysis.index.methods
    for index in sorted(sink.shadows):
        loser = analysis.table.rules[index]
        gone = dead.get(index, set())
        declared = set(loser.declared_methods or ())

        def lost_of(shared, gone=gone, declared=declared):
            lost = {m for m in shared if m not in gone}
            if not lost or (lost <= {"HEAD"} and "HEAD" not in declared and "GET" in gone):
                return None
            return lost

        candidates, count, winners = shadow_candidates(analysis.index, loser,
                                                       sink.shadows[index], lost_of)
        for pair, lost in candidates:
            method = pick_method(frozenset(lost))
            checked, verified = analysis.pair_witness(pair, method)
            if not verified:
                continue
            kept = sorted(methods[index] - (methods[pair.first.index] or frozenset()),
                          key=method_rank)
            answered = None
            for other in kept:
                result = analysis.witnesses.ask(other, checked.witness.url, checked.witness.host)
                if result is not None and result.rule is loser:
                    answered = other
                    break
            if answered is None:
                continue
            winner = pair.first
            more = f" (likewise with {count - 1} more routes)" if count > 1 else ""
            message = (f"method shadow: {label(winner)} ({where(winner, loser)}) takes "
                       f"{methods_text(frozenset(lost))} of URLs like "
                       f"{show(checked.witness)}, while this route still answers "
                       f"{answered} there{more}")
            details = {"lost": sorted(lost), "kept": kept,
                       "winners": [route_ref(rule) for rule in winners],
                       "winner_count": count}
            out.append(Finding(METHOD_SHADOW.code, METHOD_SHADOW.severity, message, [loser, winner],
                               checked.witness, checked.result.endpoint, details,
                               "method-shadow"))
            break
    return out


# ``conflicts`` lists two routes of one pattern that share only HEAD or OPTIONS (not
# duplicates, docs/lint.md) under this code, as information: nothing answers differently
# than the methods say.
SAME_PATTERN_SEVERITY = "info"


@METHOD_SHADOW.describes_pairs
def describe_same_pattern(analysis, pair, checked, details: dict, strict: bool
                          ) -> tuple[str, str]:
    """``conflicts``' wording of two same-pattern routes that are not duplicates."""
    first, second = pair.first, pair.second
    return SAME_PATTERN_SEVERITY, (
        f"same pattern as {label(first)} ({where(first, second)}), which answers "
        f"{methods_text(pair.methods)} first")


NONSTANDARD_METHOD = Rule(
    "RL115", "nonstandard-method", "warning",
    "A method that is not a standard HTTP method.",
    "Reports declared methods outside GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, "
    "TRACE and PATCH. Methods registered with IANA for extensions (WebDAV's PROPFIND, "
    "MKCOL, ...; QUERY) are info, anything else is a warning with a suggestion.",
    "A typo like `PSOT` makes the route unreachable for the intended method.",
    "- rule: /x\n  methods: [GET, PSOT]",
    "Fix the spelling, or keep the custom method deliberately (suppress with noqa).",
)


STANDARD_METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"})
# Registered in IANA's HTTP method registry for extensions (WebDAV, versioning, ...).
REGISTERED_METHODS = frozenset({
    "ACL", "BASELINE-CONTROL", "BIND", "CHECKIN", "CHECKOUT", "COPY", "LABEL", "LINK", "LOCK",
    "MERGE", "MKACTIVITY", "MKCALENDAR", "MKCOL", "MKREDIRECTREF", "MKWORKSPACE", "MOVE",
    "ORDERPATCH", "PRI", "PROPFIND", "PROPPATCH", "QUERY", "REBIND", "REPORT", "SEARCH",
    "UNBIND", "UNCHECKOUT", "UNLINK", "UNLOCK", "UPDATE", "UPDATEREDIRECTREF",
    "VERSION-CONTROL",
})
# A registered extension method is deliberate more often than not (documented above).
REGISTERED_SEVERITY = "info"


@NONSTANDARD_METHOD.checks
def check_nonstandard(run) -> list:
    """RL115 for every declared method outside the standard ones."""
    out = []
    for rule in run.analysis.table.rules:
        for method in rule.declared_methods or ():
            if method in STANDARD_METHODS:
                continue
            if method in REGISTERED_METHODS:
                out.append(Finding(NONSTANDARD_METHOD.code, REGISTERED_SEVERITY,
                                   f"method {method} is an HTTP extension method "
                                   f"(registered, but uncommon)", [rule],
                                   kind="nonstandard-method"))
                continue
            close = difflib.get_close_matches(method, sorted(STANDARD_METHODS), n=1,
                                              cutoff=0.5)
            hint = f"; did you mean {close[0]}?" if close else ""
            out.append(Finding(NONSTANDARD_METHOD.code, NONSTANDARD_METHOD.severity,
                               f"method {method} is not a standard HTTP method{hint}", [rule],
                               kind="nonstandard-method"))
    return out
