"""RL101 duplicate: two routes with one pattern answering one method."""

from __future__ import annotations

from routecli.analysis.engine import url_for_only
from routecli.analysis.messages import label, methods_text, show, where
from routecli.analysis.rule import Rule

DUPLICATE = Rule(
    "RL101", "duplicate", "error",
    "Two routes with the same pattern answer the same method.",
    "Reports a route whose parts equal an earlier route's (variable names ignored, "
    "converter arguments too: `<int(max=10):a>` and `<int(min=11):b>` compile to the "
    "same pattern), on the same host and websocket flag, when they share a method other "
    "than HEAD and OPTIONS, or when either accepts every method. This is exactly "
    "Werkzeug 3.2's DuplicateRuleError, used whatever Werkzeug version the app runs. "
    "The OPTIONS method Flask adds automatically never counts. When both routes have "
    "the same endpoint the message says \"redundant\". A route that loses only to "
    "its duplicates gets no RL103 as well: this finding already says it never answers. "
    "When the losing route comes from a Flask app and its endpoint has no view function "
    "(`app.add_url_rule(\"/\", endpoint=\"index\")` after a blueprint's `/`, as in "
    "the Flask tutorial), it exists so that `url_for` can build it: the finding is "
    "info and says so. When the *winning* route has no view function, the message says "
    "that Flask answers the shared requests with a 500.",
    "Werkzeug keeps the first route registered and silently ignores the second for the "
    "shared methods; Werkzeug 3.2 refuses to start.",
    "- rule: /blog/<int:post_id>\n  endpoint: show_post\n"
    "- rule: /blog/<int:id>\n  endpoint: show_entry   # GET /blog/1 -> show_post",
    "Delete one of the routes, or give them disjoint methods.",
)


# A losing route whose endpoint has no view function exists for url_for (documented above).
URL_FOR_ONLY_SEVERITY = "info"


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
    return out


@DUPLICATE.describes_pairs
def describe(analysis, pair, checked, details: dict, strict: bool) -> tuple[str, str]:
    """The duplicate's severity and message (``strict`` does not apply)."""
    first, second = pair.first, pair.second
    witness = checked.witness
    same = first.endpoint == second.endpoint
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
