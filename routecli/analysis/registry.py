"""The lint rules: one entry per code, with the documentation ``routecli rule CODE`` prints."""

from __future__ import annotations

from typing import NamedTuple


class RuleInfo(NamedTuple):
    """A lint rule: stable code, short name, default severity and its documentation."""

    code: str
    name: str
    default_severity: str  # "error", "warning", "info", or "off" (never shown by lint)
    summary: str  # one line
    what: str  # what it does
    why: str  # why it matters
    example: str  # routes (and requests) that trigger it
    fix: str  # how to make it go away


_RULES = [
    RuleInfo(
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
    ),
    RuleInfo(
        "RL102", "order-dependent-tie", "warning",
        "Which of two overlapping routes answers depends on registration order.",
        "Reports two routes that match a common URL and whose paths split at a part where "
        "Werkzeug's priority keys are equal (e.g. `<any(a,b):x>` vs `<y>`, `<uuid:u>` vs "
        "`<name>`, `<int(signed=True):n>` vs `<int:m>`). Werkzeug then tries the transition "
        "that was created first, and an unrelated route registered earlier can create it "
        "(werkzeug#3156). `--strict` makes it an error.",
        "Reordering imports or blueprints silently changes which view answers.",
        "- rule: /p/<any(a,b):x>\n  endpoint: pick\n"
        "- rule: /p/<y>\n  endpoint: page          # GET /p/a -> pick, only because it is first",
        "Make one route clearly more specific (a static segment, an int converter, a "
        "different prefix), or make their URL sets disjoint.",
    ),
    RuleInfo(
        "RL103", "unreachable", "error",
        "A route never answers a request, or never answers one of its methods.",
        "For each declared method of a route, decides exactly whether some URL it accepts "
        "(its converters' validation included) is answered by it. The test is against the "
        "union of every route tried before it on a common URL for that method, including "
        "routes that capture a URL and then refuse it in a converter (Werkzeug does not "
        "fall through after a validation error) and leaving out routes that lack the "
        "method (Werkzeug does fall through on a method mismatch). The finding names the "
        "dominating routes. A method lost only to routes the route duplicates (RL101 "
        "reports them) is not reported again; when other routes take part of it too, it "
        "is (for a route dead for every method, as a whole). Routes accepting every method "
        "are reported only when dead for every method. A route from a Flask app whose "
        "endpoint has no view function exists only for `url_for` and is never reported. "
        "A route with strict_slashes off also answers its URLs with the trailing slash "
        "toggled (a leaf `/a` answers `/a/`, a branch `/a/` answers `/a`): it is unreachable "
        "only when those are taken too, by the same dominators or by its slash twin; an "
        "undecided question is reported as RL199 rather than guessed.",
        "Dead routes are dead code that looks alive: tests that call the view directly pass "
        "while no request ever reaches it.",
        "- rule: /u/<y>\n  endpoint: user\n"
        "- rule: /u/<uuid:x>\n  endpoint: by_uuid     # every uuid is taken by /u/<y>",
        "Remove the route, or make the routes that dominate it narrower (or register it "
        "first when they tie).",
    ),
    RuleInfo(
        "RL104", "specialisation", "off",
        "A narrower route takes part of a broader route's URLs (intended).",
        "Reports an overlapping pair where the route tried first refines the other part by "
        "part (`/users/me` vs `/users/<id>`, `<int:i>` vs `<s>`, a route vs a `<path:...>` "
        "catch-all) and the broader one still answers other URLs. Silent in `lint`; "
        "listed by `conflicts`. Inclusion ignores URLs holding a line feed (%0A): strictly, "
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
    ),
    RuleInfo(
        "RL105", "crossed-overlap", "warning",
        "Two routes overlap but neither is narrower than the other.",
        "Reports a pair that matches a common URL, with a fixed winner, where each route is "
        "narrower than the other somewhere (`/<entity>/me` vs `/books/<id>`: `/books/me` "
        "goes to the second). Such overlaps are rarely designed, so this is a warning by "
        "default rather than opt-in; a pair whose common URLs all go to a third route is "
        "not reported (conflicts lists it as RL198).",
        "One route silently takes URLs the other was written for, and the split depends on "
        "segment positions nobody looks at together.",
        "- rule: /<entity>/me\n  endpoint: me\n"
        "- rule: /books/<id>\n  endpoint: book       # GET /books/me -> book",
        "Make the URL sets disjoint (a distinct prefix), or add the crossing URL as its own "
        "static route.",
    ),
    RuleInfo(
        "RL106", "method-shadow", "warning",
        "On some URLs a route loses some of its methods to another route but keeps others.",
        "Reports a route that, on the URLs it shares with routes tried first, loses the "
        "methods those routes also accept while still answering its other methods there, "
        "e.g. `/users/me` [GET] before `/users/<id>` [GET, DELETE]: DELETE /users/me reaches "
        "`<id>` with id='me'. One finding per losing route. Implicit HEAD counts. Methods the "
        "route loses everywhere are RL103; routes accepting every method are not reported.",
        "Requests that look like they should get a 405 (or the specific view) reach a "
        "generic view with a surprising argument.",
        "- rule: /users/me\n  endpoint: me\n"
        "- rule: /users/<id>\n  endpoint: user\n  methods: [GET, DELETE]",
        "Give the narrower route the same methods (returning 405 itself if needed), or make "
        "the generic route reject the literal value.",
    ),
    RuleInfo(
        "RL107", "slash-twins", "warning",
        "A route and a trailing-slash variant of the same pattern both exist.",
        "Reports `/a` next to `/a/` (or `/<x>` next to `/<y>/`) sharing a method: `/a` and "
        "`/a/` then reach different routes. Info when both have the same endpoint.",
        "URLs differing only by a trailing slash usually mean the same thing to users, "
        "crawlers and proxies.",
        "- rule: /a\n  endpoint: leaf\n- rule: /a/\n  endpoint: branch",
        "Keep one of them; Werkzeug already redirects `/a` to `/a/` for a lone branch route.",
    ),
    RuleInfo(
        "RL108", "slash-capture", "warning",
        "A branch route (`/b/`) takes a URL without the slash that another route matches.",
        "Reports a route whose URL `/b` is answered by a branch route `/b/` tried first: a "
        "strict branch redirects it to `/b/` (308), a non-strict one answers it directly.",
        "The other route never sees `/b`, although its pattern matches it.",
        "- rule: /<x>\n  endpoint: page\n- rule: /b/\n  endpoint: b   # GET /b -> 308 /b/",
        "Rename one of the routes, or accept the redirect deliberately.",
    ),
    RuleInfo(
        "RL109", "converter-clash", "off",
        "Different converters at one position (reported through other codes).",
        "Never emitted itself: a tie between converters is RL102, a converter that covers "
        "another completely is RL103, a priority order is RL104 (or RL105), and disjoint "
        "converters (`<int>` vs `<uuid>`, `<float>` vs `<int>`) are no finding at all.",
        "Kept so that the design's numbering stays stable.",
        "- rule: /q/<any('1','2'):x>\n- rule: /q/<int:n>     # RL103 for the any route",
        "See the code it is reported as.",
    ),
    RuleInfo(
        "RL110", "validation-trap", "warning",
        "A route captures URLs, refuses them in a converter, and the request gets a 404.",
        "Reports a route with int/float `min`, `max` or `fixed_digits` tried first on URLs "
        "that another route would answer: the values are checked only after the route was "
        "chosen, and Werkzeug does not try the next route (`/n/<int(max=10):a>` before "
        "`/n/<s>`: GET /n/20 is a 404). One finding per capturing route; an error when a "
        "victim becomes unreachable (RL103).",
        "Requests that another route was written for get a 404.",
        "- rule: /n/<s>\n  endpoint: name\n- rule: /n/<int(max=10):a>\n  endpoint: small",
        "Validate in the view instead of the converter, or make the other route's URLs "
        "disjoint.",
    ),
    RuleInfo(
        "RL111", "self-ambiguous", "info",
        "A single rule whose own pattern is ambiguous or partly dead.",
        "Reports a rule with two or more `path` converters (werkzeug#1288: `/<path:a>/x/"
        "<path:b>` splits `/1/x/2/x/3` one way, silently), an `any` item containing `/` "
        "(it can never match) and an empty `any()` (it matches only an empty segment).",
        "The values a view receives are not what the URL suggests.",
        "- rule: /<path:a>/x/<path:b>",
        "Keep one path converter per rule; drop the dead items.",
    ),
    RuleInfo(
        "RL112", "any-unquoted-numbers", "warning",
        "`any(1,2)` is one item \"1,2\", not two.",
        "Werkzeug's converter-argument grammar reads `1,2` as one number token (the dot in "
        "its number pattern is unescaped), so `any(1,2)` accepts only the text `1,2`.",
        "The route never matches `/1` or `/2`, which is what it was written for.",
        "- rule: /<any(1,2):x>     # GET /1 -> 404",
        "Quote the items: `any('1', '2')`.",
    ),
    RuleInfo(
        "RL113", "many-converters", "warning",
        "Eleven or more converters in one segment get their values shuffled (Werkzeug < 3.1.9).",
        "Werkzeug before 3.1.9 orders a segment's captured values by group *name as text*, so "
        "with 11 or more converters `10` sorts before `2` and variables receive each other's "
        "values. Werkzeug 3.1.9 fixed it (and routecli answers like 3.1.9), but an app pinned "
        "to an older Werkzeug still gets the shuffled values.",
        "On an older Werkzeug the view gets wrong arguments with no error.",
        "- rule: /<int:a0>-<int:a1>-...-<int:a10>",
        "Split the segment, or capture it as one string and parse it in the view. An app "
        "that requires Werkzeug 3.1.9 or later can ignore the rule (`ignore = [\"RL113\"]`).",
    ),
    RuleInfo(
        "RL114", "ignored-converter-arguments", "warning",
        "Converter arguments that Werkzeug silently ignores.",
        "Reports arguments to converters that take none (`path`, `uuid`, custom converters "
        "defined by a regex), an unparsable tail of an argument list (Werkzeug stops at it "
        "without an error: `int(5, -)` is `int(5)`), and `minlength`/`maxlength` next to "
        "`length` (length wins).",
        "The rule looks stricter than it is.",
        "- rule: /<path(maxlength=20):p>\n- rule: /<string(length=2, minlength=5):s>",
        "Remove the ignored arguments, or use a converter that supports them.",
    ),
    RuleInfo(
        "RL115", "nonstandard-method", "warning",
        "A method that is not a standard HTTP method.",
        "Reports declared methods outside GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, "
        "TRACE and PATCH. Methods registered with IANA for extensions (WebDAV's PROPFIND, "
        "MKCOL, ...; QUERY) are info, anything else is a warning with a suggestion.",
        "A typo like `PSOT` makes the route unreachable for the intended method.",
        "- rule: /x\n  methods: [GET, PSOT]",
        "Fix the spelling, or keep the custom method deliberately (suppress with noqa).",
    ),
    RuleInfo(
        "RL116", "dangling-redirect", "warning",
        "A `redirect_to` target that no route answers.",
        "Follows the redirect of a `redirect_to` route for a sample URL and reports it when "
        "the target gets a 404 or 405.",
        "Users are redirected to an error page.",
        "- rule: /old/<slug>\n  redirect_to: new/<slug>   # and no /new/<slug> route",
        "Point the redirect at an existing route, or add the target route.",
    ),
    RuleInfo(
        "RL117", "endpoint-arguments", "warning",
        "One endpoint's routes pass incompatible argument sets to its view.",
        "Reports an endpoint with two routes whose arguments (variables and defaults) are "
        "not nested, e.g. `/a/<int:id>` and `/b/<name>`: the view is called with `id` from "
        "one and `name` from the other, and `url_for` needs different arguments for each. "
        "Nested sets (an optional argument) are fine.",
        "The view must accept both or fails with a TypeError at request time.",
        "- rule: /a/<int:id>\n  endpoint: show\n- rule: /b/<name>\n  endpoint: show",
        "Give the routes their own endpoints, or the same arguments (use `defaults`).",
    ),
    RuleInfo(
        "RL118", "never-matches", "error",
        "A route that no request can ever reach.",
        "Reports routes without a host when `host_matching` is on, subdomain routes while "
        "no `server_name` is set (every request then has the default subdomain), routes "
        "with no method at all (`methods: []` and no automatic OPTIONS), and converters "
        "whose min/max/fixed_digits admit no value.",
        "Dead routes hide configuration mistakes.",
        "- rule: /\n  subdomain: api        # with no server_name",
        "Fix the settings (server_name, host) or the route.",
    ),
    RuleInfo(
        "RL119", "missing-slash", "warning",
        "A static segment that reads as two neighbouring segments with the slash lost.",
        "Reports a route whose static segment equals a sibling segment followed by a "
        "segment that comes right after that sibling elsewhere in the table, e.g. "
        "`/api/2.0mlflow/runs` next to `/api/2.0/mlflow/...` (a real defect in mlflow's "
        "url_map). Both pieces are at least two characters long. One finding per route, "
        "naming its rule (one view's routes share a source line).",
        "The route answers a URL nobody requests, and the intended URL gets a 404.",
        "- rule: /api/2.0/mlflow/runs/search\n- rule: /api/2.0mlflow/runs/list",
        "Add the missing slash (usually a prefix joined without '/').",
    ),
    RuleInfo(
        "RL198", "masked-overlap", "info",
        "Two routes overlap only on URLs that a third route answers first.",
        "Listed by `conflicts` only: the pair's patterns share URLs, but on the URLs "
        "tried another route answers them, so their own order does not matter.",
        "For completeness of the overlap listing.",
        "- rule: /<a>/x\n- rule: /y/<b>\n- rule: /y/x",
        "Nothing to fix.",
    ),
    RuleInfo(
        "RL199", "unverified", "info",
        "An overlap or reachability question the analysis could not decide exactly.",
        "Custom converter regexes using backreferences, look-arounds and similar features "
        "(or very large automata) are beyond the exact engine. The pair or route is "
        "reported instead of being guessed about.",
        "Nothing is silently dropped.",
        "converters: {twice: {regex: '(a+)\\\\1'}}",
        "Simplify the converter's regex, or review the pair by hand.",
    ),
]

RULES: dict[str, RuleInfo] = {rule.code: rule for rule in _RULES}


def rule_info(code: str) -> RuleInfo:
    """The documentation of one code; raises KeyError for an unknown code."""
    return RULES[code.upper()]
