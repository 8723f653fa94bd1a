"""Starlette and FastAPI traps (docs/lint.md#first-match): RL210 incomplete Allow, RL211
FastAPI HEAD gap (RL210 and RL211 are opt-in), RL212 user route under a FastAPI docs URL, RL213 path
without a leading slash, RL214 one path with different convertors, RL215 lost by an
include (FastAPI ≤0.136, live apps)."""

from __future__ import annotations

import re

from routecli.analysis.findings import Finding, Witness
from routecli.analysis.messages import label, show, where
from routecli.analysis.rule import Rule
from routecli.analysis.rules import first_match_order

INCOMPLETE_ALLOW = Rule(
    "RL210", "incomplete-allow", "info",
    "Routes split one path's methods: a 405 lists only the first route's methods.",
    "Starlette answers a method no route takes with the Allow header of the first route "
    "whose path matched, not the union (Werkzeug unions them). Reported for routes with "
    "the same path and different methods; the witness is a method neither takes. "
    "Opt-in: one decorator per method (`@app.get`, `@app.post` on one path) is how "
    "FastAPI apps are written, so every such path has it; select RL210 where Allow "
    "matters.",
    "Clients and tools that read Allow (CORS preflights, API explorers, RFC 9110 "
    "checkers) are told that methods which work are not allowed.",
    "- rule: /items\n  endpoint: list_items\n"
    "- rule: /items\n  endpoint: create_item\n  methods: [POST]   # PUT -> Allow: GET, HEAD",
    "Serve the path's methods from one route (`api_route(methods=[...])`, an "
    "HTTPEndpoint), or accept the partial header.",
    opt_in=True,
)

HEAD_GAP = Rule(
    "RL211", "fastapi-head-gap", "info",
    "A FastAPI GET route answers HEAD with 405.",
    "FastAPI's `@app.get` does not add HEAD, unlike Starlette's Route and Werkzeug; "
    "monitors and link checkers that send HEAD get 405 (fastapi#1773). Opt-in, "
    "since it concerns every GET route: select RL211 to list them.",
    "Uptime checks and caches probing with HEAD see errors.",
    "- rule: /health\n  endpoint: health   # HEAD /health -> 405 (Allow: GET)",
    "Declare HEAD too (`api_route(methods=['GET', 'HEAD'])`) where HEAD matters.",
    opt_in=True,
)

DOCS_SHADOW = Rule(
    "RL212", "docs-url-route", "error",
    "A user route sits under one of FastAPI's docs URLs, which answer first.",
    "FastAPI() adds `/openapi.json`, `/docs`, `/docs/oauth2-redirect` and `/redoc` (GET "
    "and HEAD) before any user route, so a user route on one of those paths never gets "
    "those methods.",
    "The route works in tests that call it directly, never over HTTP.",
    "- rule: /docs\n  endpoint: my_docs     # GET /docs -> FastAPI's Swagger UI",
    "Move the route, or change or disable the docs URL (`FastAPI(docs_url=None)`).",
)

NO_LEADING_SLASH = Rule(
    "RL213", "no-leading-slash", "error",
    "A FastAPI path without a leading `/` never matches any request.",
    "`@app.get('users')` is accepted by FastAPI, but the path compiles as a host pattern "
    "(Starlette reads a template not starting with `/` as a host), so no request path "
    "ever matches it.",
    "The endpoint is unreachable while it appears in the OpenAPI schema.",
    "- rule: users\n  endpoint: users",
    "Start the path with `/`.",
)

CONVERTOR_MISMATCH = Rule(
    "RL214", "convertor-mismatch", "warning",
    "Two routes have the same path with different convertors: the runtime and OpenAPI "
    "disagree.",
    "Routes whose paths differ only in convertors (`/items/{i:str}` and `/items/{i:int}`) "
    "share one OpenAPI path: the runtime answers with the first that matches, while the "
    "schema documents the last (fastapi PR #16370).",
    "Clients generated from the schema call a route that is not the one answering.",
    "- rule: '/items/{i:str}'\n  endpoint: by_name\n"
    "- rule: '/items/{i:int}'\n  endpoint: by_number   # GET /items/5 -> by_name",
    "Give the routes different paths, or keep only one.",
)

LOST_INCLUDE = Rule(
    "RL215", "lost-by-include", "error",
    "A route or mount added to a FastAPI router after `include_router` is missing from the "
    "app (FastAPI ≤0.136).",
    "Before FastAPI 0.137, `include_router` copies the router's routes at that moment: "
    "routes added to it later, and `router.mount()` inside an included router, are not "
    "served (404). Found in live apps by comparing each included router with the routes "
    "the app holds.",
    "The route exists in the code and the router, but the app answers 404.",
    "router = APIRouter()\napp.include_router(router, prefix='/items')\n"
    "@router.get('/late')   # GET /items/late -> 404 before FastAPI 0.137",
    "Include the router after adding all its routes, or upgrade FastAPI.",
)

_PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(:[a-zA-Z_][a-zA-Z0-9_]*)?}")
_DOCS_OR_405 = ("DELETE", "PATCH", "PUT", "POST", "OPTIONS", "TRACE")


def path_format(rule: str) -> str:
    """The template with convertors removed, as FastAPI's ``path_format``."""
    return _PARAM.sub(lambda m: "{" + m.group(1) + "}", rule)


def trap_rule(relation) -> Rule | None:
    """RL212 for a route dead behind a FastAPI docs route (instead of the order code);
    :class:`~routecli.analysis.first_match_run.FirstMatchRun` asks every family of the
    dialect that defines ``trap_rule``."""
    if len(relation.earlier) != 1:
        return None
    other, entry = relation.earlier[0], relation.entry
    return DOCS_SHADOW if other.kind == "docs" and entry.kind != "docs" else None


DOCS_SHADOW.checks(first_match_order.check_of(DOCS_SHADOW))


@INCOMPLETE_ALLOW.checks
def check_allow(run) -> list:
    findings = []
    seen: dict[tuple, object] = {}
    for entry in run.table.rules:
        if not entry.is_route or entry.methods is None or entry.websocket:
            continue
        key = (entry.pattern, entry.domain, entry.parents)
        first = seen.setdefault(key, entry)
        if first is entry or first.methods is None or entry.methods <= first.methods:
            continue
        method = next((m for m in _DOCS_OR_405 if m not in first.methods | entry.methods),
                      None)
        if method is None:
            continue
        path = run.core.witness_of(entry)
        if path is None:
            continue
        url = run.url(path, entry)
        result = run.match(method, url)
        missing = sorted(entry.methods - set(result.allowed_methods or ()))
        if result.status != 405 or not missing:
            continue
        witness = Witness(method, url)
        findings.append(Finding(
            INCOMPLETE_ALLOW.code, INCOMPLETE_ALLOW.severity,
            f"{show(witness)} is answered 405 with Allow: "
            f"{', '.join(result.allowed_methods or ())}, the methods of {label(first)} "
            f"({first.endpoint}, {where(first, entry)}) only; {', '.join(missing)} of "
            f"{entry.endpoint} (declared later on the same path) "
            f"{'is' if len(missing) == 1 else 'are'} left out",
            [entry, first], witness, None, details={"missing": missing}, kind="allow"))
    return findings


@HEAD_GAP.checks
def check_head(run) -> list:
    findings = []
    for entry in run.table.rules:
        if (entry.kind != "route" or entry.methods is None or "GET" not in entry.methods
                or "HEAD" in entry.methods):
            continue
        path = run.core.witness_of(entry)
        if path is None:
            continue
        url = run.url(path, entry)
        result = run.match("HEAD", url)
        if result.status != 405:
            continue
        witness = Witness("HEAD", url)
        findings.append(Finding(
            HEAD_GAP.code, HEAD_GAP.severity,
            f"{label(entry)} ({entry.endpoint}) takes GET but not HEAD: {show(witness)} "
            f"is answered 405 (Allow: {', '.join(result.allowed_methods or ())})",
            [entry], witness, None, kind="head"))
    return findings


@NO_LEADING_SLASH.checks
def check_slash(run) -> list:
    return [Finding(NO_LEADING_SLASH.code, NO_LEADING_SLASH.severity,
                    f"{label(entry)} ({entry.endpoint}) does not start with '/': it compiles "
                    "as a host pattern and never matches a request path", [entry],
                    kind="no-slash")
            for entry in run.table.rules
            if entry.is_route and not entry.rule.startswith("/")]


@CONVERTOR_MISMATCH.checks
def check_convertors(run) -> list:
    # A later route dead behind the other is RL201's news; this is about the rest. (A
    # group of copies lists the copies, then the one route they all lose to.)
    reported = {(f.routes[-1].index, later.index)
                for f in first_match_order.relation_findings(run)
                if len(f.routes) == 2 or "copies" in f.details
                for later in f.routes[:-1]}
    # Copies after the first of a group never answer and take part in no pair (their
    # group is one RL203 finding, or RL201).
    copies = run.core.later_copies()
    findings = []
    by_format: dict[tuple, list] = {}
    for entry in run.table.rules:
        if entry.is_route and not entry.websocket and entry.index not in copies:
            by_format.setdefault((path_format(entry.rule), entry.domain), []).append(entry)
    for group in by_format.values():
        # Only routes spelled differently pair up: copies of one rule cost no N^2 loop.
        spelled: dict[str, list] = {}
        for entry in group:
            spelled.setdefault(entry.rule, []).append(entry)
        if len(spelled) < 2:
            continue
        # One finding per later route, with the first earlier route of another spelling
        # that shares a method (the one its requests meet first): N routes of one path
        # are N - 1 findings, not N^2 / 2 (the pairs among the earlier ones are theirs).
        for later in group:
            for earlier in group:
                if earlier.index >= later.index:
                    break
                if earlier.rule == later.rule or (earlier.index, later.index) in reported:
                    continue
                if (earlier.methods is not None and later.methods is not None
                        and not earlier.methods & later.methods):
                    continue
                findings.append(Finding(
                    CONVERTOR_MISMATCH.code, CONVERTOR_MISMATCH.severity,
                    f"{label(later)} ({later.endpoint}) has the same path as {label(earlier)} "
                    f"({earlier.endpoint}, {where(earlier, later)}) with other convertors: "
                    "requests go to the first that matches, OpenAPI documents the last",
                    [later, earlier], kind="convertors"))
                break
    return findings


@LOST_INCLUDE.checks
def check_lost(run) -> list:
    findings = []
    for entry in run.table.rules:
        if entry.kind != "lost":
            continue
        if (entry.route.extra or {}).get("mount"):
            group = f"host {entry.route.host!r}" if entry.route.host else "mount"
            why = f"is a {group} inside an included router: this FastAPI version drops it"
        else:
            why = ("was added to its router after include_router: this FastAPI version "
                   "never serves it")
        findings.append(Finding(LOST_INCLUDE.code, LOST_INCLUDE.severity,
                                f"{label(entry)} ({entry.endpoint}) {why}", [entry],
                                kind="lost"))
    return findings
