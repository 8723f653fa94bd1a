"""RL101 duplicate: two routes with one pattern answering one method."""

from __future__ import annotations

from routecli.analysis.engine import url_for_only
from routecli.analysis.findings import Finding
from routecli.analysis.messages import label, methods_text, show, where
from routecli.analysis.pairs import Pair, shared_methods
from routecli.analysis.rule import Rule
from routecli.routing.serialize import route_ref

DUPLICATE = Rule(
    "RL101", "duplicate", "error",
    "Two routes with the same pattern answer the same method.",
    "Reports a route whose parts equal an earlier route's (variable names ignored, "
    "converter arguments too: `<int(max=10):a>` and `<int(min=11):b>` compile to the "
    "same pattern), on the same host and websocket flag, when they share a method other "
    "than HEAD and OPTIONS, or when either accepts every method. This is exactly "
    "Werkzeug 3.2's DuplicateRuleError, used whatever Werkzeug version the app runs. "
    "The OPTIONS method Flask adds automatically never counts. An error when the copy "
    "changes an answer; info when it cannot: both routes have the same endpoint, "
    "defaults and redirect (the message says \"redundant\"), or both serve static files (`static` or "
    "`<blueprint>.static` endpoints, as when a blueprint with `url_prefix=\"/\"` "
    "registers `/static/<path:filename>` again: the first folder answers, which changes "
    "nothing when both are one folder). A route that loses only to "
    "its duplicates gets no RL103 as well: this finding already says it never answers. "
    "When the losing route comes from a Flask app and its endpoint has no view function "
    "(`app.add_url_rule(\"/\", endpoint=\"index\")` after a blueprint's `/`, as in "
    "the Flask tutorial), it exists so that `url_for` can build it: the finding is "
    "info and says so. When the *winning* route has no view function, the message says "
    "that Flask answers the shared requests with a 500. Three or more copies of one "
    "route (differing only in endpoint or source) are one finding, listing every copy "
    "and the route they all lose to, with the count in the message.",
    "Werkzeug keeps the first route registered and silently ignores the second for the "
    "shared methods; Werkzeug 3.2 refuses to start.",
    "- rule: /blog/<int:post_id>\n  endpoint: show_post\n"
    "- rule: /blog/<int:id>\n  endpoint: show_entry   # GET /blog/1 -> show_post",
    "Delete one of the routes, or give them disjoint methods.",
)


# A losing route whose endpoint has no view function exists for url_for (documented above).
URL_FOR_ONLY_SEVERITY = "info"
# A copy that cannot change an answer: one endpoint twice, or two static-file routes.
HARMLESS_SEVERITY = "info"


def harmless(first, second) -> str | None:
    """Why a duplicate changes no answer ("redundant", "static"), or None."""
    if (first.endpoint == second.endpoint and first.defaults == second.defaults
            and first.redirect_to == second.redirect_to):
        return "redundant"
    if _static_files(first) and _static_files(second):
        return "static"
    return None


def _static_files(rule) -> bool:
    """True for Flask's static-file route of the app or of a blueprint."""
    endpoint = rule.endpoint
    return ((endpoint == "static" or endpoint.endswith(".static"))
            and rule.rule.endswith("/<path:filename>"))


@DUPLICATE.checks
def check(run) -> list:
    """RL101 for every duplicate pair a witness proves; notes the losing routes in
    ``run.duplicated`` so that RL103 does not report them again."""
    out = []
    for pair in run.pairs.duplicates:
        finding = run.analysis.pair_finding(pair, "duplicate", DUPLICATE)
        if finding is not None:
            out.append(finding)
            run.duplicated.add(pair.second.index)
    for first, copies in run.pairs.copies:
        finding = copies_finding(run.analysis, first, copies)
        if finding is not None:
            out.append(finding)
            run.duplicated.update(copy.index for copy in copies)
    return out


@DUPLICATE.describes_pairs
def describe(analysis, pair, checked, details: dict, strict: bool) -> tuple[str, str]:
    """The duplicate's severity and message (``strict`` does not apply)."""
    first, second = pair.first, pair.second
    witness = checked.witness
    why = harmless(first, second)
    same = why == "redundant"
    methods = methods_text(pair.methods, drop_implicit=True)
    if url_for_only(second):
        # Flask's pattern (the tutorial's `add_url_rule("/", endpoint="index")`): a
        # rule without a view function exists so that url_for() can build it.
        details["url_for_only"] = True
        return URL_FOR_ONLY_SEVERITY, (
            f"duplicate of {label(first)} ({where(first, second)}), which answers "
            f"{methods} first; endpoint {second.endpoint!r} has no view function, "
            f"so this route only serves url_for({second.endpoint!r})")
    message = (f"{'redundant ' if same else ''}duplicate of {label(first)} "
               f"({where(first, second)}): both answer {methods} on the same "
               f"pattern; the first registered wins, so this route never answers "
               f"{'them' if ',' in methods or methods == 'every method' else 'it'}")
    slashes = analysis.slashes
    if slashes.has(second) and not slashes.has(first):
        url = witness.url[:-1] if second.is_branch else witness.url + "/"
        toggled = analysis.witnesses.ask(witness.method, url, witness.host)
        if toggled is not None and toggled.rule is second:
            message += (f" as written (strict_slashes is off: it still answers "
                        f"{show(witness._replace(url=url))})")
            details["still_answers"] = url
    if url_for_only(first):
        message += (f", and endpoint {first.endpoint!r} has no view function: "
                    f"Flask answers {show(witness)} with a 500")
        return DUPLICATE.severity, message
    if why == "static":
        details["harmless"] = why
        return HARMLESS_SEVERITY, message + (
            "; both serve static files, so only files missing from the first folder are "
            "affected (none when both are one folder)")
    if same:
        details["harmless"] = why
        return HARMLESS_SEVERITY, message + "; both have one endpoint, so no answer changes"
    return DUPLICATE.severity, message


def copies_finding(analysis, first, copies: list) -> Finding | None:
    """One RL101 finding for a group of copies of ``first`` (three routes or more that
    only differ in endpoint or source, walked as one rule by the join): the copies lose
    to ``first`` or, when ``first`` loses too, to the duplicate that answers them all.
    None when no witness proves it (counted, like any pair's)."""
    methods = analysis.index.methods[first.index]
    proven = analysis.proven_pair(Pair(first, copies[0], None, False, methods))
    if proven is None:
        return None
    checked, verified = proven
    winner = first
    if not verified:
        winner = checked.raw
        shared = None if winner is None else shared_methods(
            analysis.index.methods[winner.index], methods)
        if (winner is None or checked.result.rule is not winner
                or analysis.index.trail(winner)[0][-1] is not analysis.index.trail(first)[0][-1]
                or not analysis.is_duplicate(Pair(winner, first, None, False, shared))):
            return None
        analysis.stats["masked"] -= 1  # reported after all, as duplicates of the winner
        methods = shared
    count = len(copies)
    shown = methods_text(methods, drop_implicit=True)
    pronoun = "them" if "," in shown or shown == "every method" else "it"
    reasons = {harmless(winner, copy) for copy in copies}
    same = reasons == {"redundant"}
    details = {"relation": "duplicate", "first": route_ref(winner), "copies": count}
    severity = DUPLICATE.severity
    message = (f"{count:,} {'redundant ' if same else ''}duplicates of {label(winner)} "
               f"({where(winner, copies[0])}): all answer {shown} on the same pattern; the "
               f"first registered wins, so these {count:,} routes never answer {pronoun}")
    if url_for_only(copies[0]):
        details["url_for_only"] = True
        severity = URL_FOR_ONLY_SEVERITY
        message += "; their endpoints have no view function, so they only serve url_for"
    if url_for_only(winner):
        message += (f", and endpoint {winner.endpoint!r} has no view function: "
                    f"Flask answers {show(checked.witness)} with a 500")
    elif None not in reasons and severity == DUPLICATE.severity:
        severity = HARMLESS_SEVERITY
        details["harmless"] = "redundant" if same else "static"
        message += ("; all have one endpoint, so no answer changes" if same else
                    "; they serve static files or share one endpoint, so only files "
                    "missing from the first folder are affected")
    return Finding(DUPLICATE.code, severity, message, [*copies, winner], checked.witness,
                   checked.result.endpoint, details, "duplicate")
