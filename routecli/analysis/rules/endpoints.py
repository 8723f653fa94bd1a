"""Rules about where a route leads: RL116 dangling redirect (a ``redirect_to`` target no
route answers) and RL117 endpoint arguments (one view gets incompatible arguments)."""

from __future__ import annotations

from routecli.analysis.engine import rule_method
from routecli.analysis.findings import Finding, Witness
from routecli.analysis.rule import Rule
from routecli.routing.serialize import route_ref

DANGLING_REDIRECT = Rule(
    "RL116", "dangling-redirect", "warning",
    "A `redirect_to` target that no route answers.",
    "Follows the redirect of a `redirect_to` route for a sample URL and reports it when "
    "the target gets a 404 or 405.",
    "Users are redirected to an error page.",
    "- rule: /old/<slug>\n  redirect_to: new/<slug>   # and no /new/<slug> route",
    "Point the redirect at an existing route, or add the target route.",
)


@DANGLING_REDIRECT.checks
def check_redirects(run) -> list:
    """RL116: follows each ``redirect_to`` route's redirect for a sample URL."""
    analysis = run.analysis
    out = []
    table = analysis.table
    witnesses = analysis.witnesses
    for rule in table.rules:
        if not isinstance(rule.redirect_to, str) or not analysis.index.live[rule.index]:
            continue
        method = rule_method(rule)
        for checked in witnesses.answers(witnesses.rule_values(rule), method, rule.websocket):
            result = checked.result
            if result.rule is not rule or result.status != 308 or not result.location:
                continue
            request = checked.witness
            answered = witnesses.answer(Witness(method, result.location, request.host))
            target = None if answered is None else answered.result
            if target is not None and target.status in (404, 405):
                out.append(Finding(
                    DANGLING_REDIRECT.code, DANGLING_REDIRECT.severity,
                    f"redirect_to {rule.redirect_to!r}: {request.url} redirects to "
                    f"{result.location}, which gets a {target.status}", [rule],
                    checked.witness, rule.endpoint,
                    {"location": result.location, "status": target.status},
                    "dangling-redirect"))
            break
    return out


ENDPOINT_ARGUMENTS = Rule(
    "RL117", "endpoint-arguments", "warning",
    "One endpoint's routes pass incompatible argument sets to its view.",
    "Reports an endpoint with two routes whose arguments (variables and defaults) are "
    "not nested, e.g. `/a/<int:id>` and `/b/<name>`: the view is called with `id` from "
    "one and `name` from the other, and `url_for` needs different arguments for each. "
    "Nested sets (an optional argument) are fine. Opt-in: views written for several "
    "URL shapes (keyword arguments with defaults) are common and work.",
    "The view must accept both or fails with a TypeError at request time.",
    "- rule: /a/<int:id>\n  endpoint: show\n- rule: /b/<name>\n  endpoint: show",
    "Give the routes their own endpoints, or the same arguments (use `defaults`).",
    opt_in=True,
)


@ENDPOINT_ARGUMENTS.checks
def check_endpoint_arguments(run) -> list:
    """RL117, once per route whose arguments do not nest with an earlier route's of the
    same endpoint."""
    table = run.analysis.table
    out = []
    by_endpoint: dict = {}
    for rule in table.rules:
        route = rule.route  # its options read directly: this loop sees every route
        if route.alias or route.redirect_to is not None or route.build_only:
            continue
        by_endpoint.setdefault(route.endpoint, []).append(rule)
    for endpoint, rules in by_endpoint.items():
        if len(rules) < 2:
            continue  # most endpoints have one route: nothing to clash with
        # The earlier routes by argument set, each set with its first route: a clash is
        # the first earlier route whose set does not nest, so the sets are what is
        # compared (one view with 10,000 routes of one set is not 10,000^2 comparisons).
        first_of: dict = {}
        for later in rules:
            mine_set = later.arguments
            clashing = [first for arguments, first in first_of.items()
                        if not (arguments <= mine_set or mine_set <= arguments)]
            first_of.setdefault(mine_set, later)
            if not clashing:
                continue
            clash = min(clashing, key=lambda rule: rule.index)
            mine = ", ".join(sorted(later.arguments)) or "none"
            theirs = ", ".join(sorted(clash.arguments)) or "none"
            out.append(Finding(
                ENDPOINT_ARGUMENTS.code, ENDPOINT_ARGUMENTS.severity,
                f"endpoint {endpoint!r} gets arguments ({mine}) from this route but "
                f"({theirs}) from `{clash.rule}`: its view must accept both, and url_for "
                f"needs different arguments for each", [later, clash],
                details={"other": route_ref(clash)}, kind="endpoint-arguments"))
            break
    return out
