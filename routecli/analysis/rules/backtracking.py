"""RL120 backtracking-regex: custom converter regexes (Werkzeug), custom convertor regexes
(Starlette, FastAPI) and ``re_path()`` regexes (Django) whose structure lets a backtracking matcher (Python's ``re``) take exponential or
heavy polynomial time on one request."""

from __future__ import annotations

from routecli.analysis.findings import Finding
from routecli.analysis.rule import Rule
from routecli.routing.backtracking import backtracking_risk
from routecli.routing.werkzeug.converters import ForeignConverter, RegexConverter

BACKTRACKING = Rule(
    "RL120", "backtracking-regex", "warning",
    "A custom converter's (or a Django re_path()) regex can make the framework backtrack "
    "for seconds, or forever, on one request (ReDoS).",
    "Reads the regex of every custom converter the routes use (from a route file's "
    "`converters`, a Flask app's `url_map.converters`, or a Starlette convertor registered "
    "with `register_url_convertor`), and of every Django `re_path()` "
    "pattern, and reports the shapes that make "
    "a backtracking matcher take exponential time: a repeated group whose iterations can "
    "split a run of characters in many ways (`(a+)+`, `(a|aa)+`, `(\\w+\\s?)*`), "
    "alternatives that can start with the same character inside a repeat (`(a.|ab)+`), "
    "and cubic or worse polynomial time: three or more unbounded repeats in a row over "
    "the same characters (`\\d*\\d*\\d*x`). The test reads the regex's structure only; it "
    "can flag a regex that is in fact harmless, and does not judge backreferences. One "
    "finding per converter, listing the routes that use it.",
    "Werkzeug, Starlette and Django match these regexes with Python's `re`, which backtracks: on a "
    "URL of a few dozen characters such a regex takes seconds, on a few thousand it never "
    "ends, and every worker that receives the request hangs. `routecli match` tests "
    "these regexes with a linear-time automaton first (docs/match.md), so it stays "
    "fast, but the application does not.",
    "converters:\n  evil:\n    regex: \"(a+)+$\"\nroutes:\n"
    "  - rule: /x/<evil:v>     # GET /x/aaaaaaaaaaaaaaaaaaaaaaaaaaaaa! takes seconds",
    "Rewrite the regex so that every string has one way through it: `a+` instead of "
    "`(a+)+`, `[a-z0-9]+(?:[-_][a-z0-9]+)*` instead of `([a-z0-9]+[-_]?)+`; or bound "
    "the length (`[^/]{1,64}`), or use an atomic group or possessive repeat (`(?>...)`, "
    "`a++`, Python 3.11+).",
)


@BACKTRACKING.checks
def check(run) -> list:
    """RL120: one finding per risky regex, on the routes that use it."""
    if not hasattr(run, "analysis"):
        if run.table.dialect_name == "django":
            return _django_findings(run)
        return _starlette_findings(run)
    users: dict[tuple, list] = {}
    for rule in run.analysis.table.rules:
        for conv in rule.converters.values():
            if isinstance(conv, (RegexConverter, ForeignConverter)):
                routes = users.setdefault((conv.name, conv.regex), [])
                if not routes or routes[-1] is not rule:
                    routes.append(rule)
    out = []
    for (name, regex), routes in users.items():
        reason = backtracking_risk(regex)
        if reason is None:
            continue
        guarded = any(part.guard is not None for rule in routes for part in rule.parts
                      if not part.static)
        out.append(_finding(f"converter '{name}' regex {regex!r}", "Werkzeug", reason,
                            guarded, routes, {"converter": name, "regex": regex}))
    return out


def _django_findings(run) -> list:
    """Django: every re_path() regex on a route's way (its own and its includes')."""
    users: dict[str, tuple[object, list]] = {}
    for entry in run.table.rules:
        if not entry.is_route:
            continue
        endpoint = entry.data
        for item in (*endpoint.parents, endpoint):
            pattern = item.pattern
            if pattern.kind == "regex" and backtracking_risk(pattern.source):
                guard, routes = users.setdefault(pattern.source, (pattern.guard, []))
                if not routes or routes[-1] is not entry:
                    routes.append(entry)
    return [_finding(f"re_path() regex {regex!r}", "Django", backtracking_risk(regex),
                     guard is not None, routes, {"regex": regex})
            for regex, (guard, routes) in users.items()]


def _starlette_findings(run) -> list:
    """Starlette and FastAPI: every custom convertor a route's path (its mounts' too) uses."""
    from routecli.routing.backtracking import GuardedPattern
    from routecli.routing.starlette.convertors import BUILT_IN

    framework = "FastAPI" if run.table.dialect_name == "fastapi" else "Starlette"
    users: dict[tuple, tuple[list, list]] = {}
    for entry in run.table.rules:
        if not entry.is_route:
            continue
        for convertor in entry.data.convertors.values():
            standard = BUILT_IN.get(convertor.name)
            if standard is not None and standard.regex == convertor.regex:
                continue
            if backtracking_risk(convertor.regex):
                guards, routes = users.setdefault((convertor.name, convertor.regex), ([], []))
                guards.append(isinstance(entry.data.regex, GuardedPattern))
                if not routes or routes[-1] is not entry:
                    routes.append(entry)
    return [_finding(f"convertor '{name}' regex {regex!r}", framework,
                     backtracking_risk(regex), all(guards), routes,
                     {"converter": name, "regex": regex})
            for (name, regex), (guards, routes) in users.items()]


def _finding(what: str, framework: str, reason: str, guarded: bool, routes: list,
             details: dict) -> Finding:
    message = (f"{what} can make {framework} backtrack exponentially (or polynomially) on "
               f"one request: {reason}; a long run of such characters followed by one the "
               f"regex refuses takes seconds to forever")
    message += ("; routecli match answers it in linear time, the app does not" if guarded
                else "; routecli match runs it in re too (the regex is beyond its automata) "
                     "and gives up on such a request after a few seconds")
    return Finding(BACKTRACKING.code, BACKTRACKING.severity, message, routes,
                   details={**details, "reason": reason, "linear_in_routecli": guarded},
                   kind="pitfall")
