"""Declaration order in first-match dialects (Starlette, FastAPI; docs/lint.md#first-match):
RL201 shadowed specialisation, RL202 unreachable, RL203 duplicate, RL204 method never
reached, RL205 crossed overlap, RL206 specific-first (conflicts only). Each finding is a
relation from :mod:`routecli.analysis.first_match`, its witness answered by the
dialect's matcher."""

from __future__ import annotations

from routecli.analysis.findings import Finding
from routecli.analysis.first_match import OTHER_METHOD, Relation
from routecli.analysis.grouping import NAMED
from routecli.analysis.messages import label, show, where
from routecli.analysis.overlap import GROUP_MIN
from routecli.analysis.rule import Rule

SHADOWED = Rule(
    "RL201", "shadowed-route", "error",
    "A route declared after a more general one never answers: the earlier route takes "
    "every request it would (the `/users/me` trap).",
    "First-match routing tries routes in declaration order and never prefers the more "
    "specific one. When an earlier route's URLs include all of a later route's, for "
    "every method of the later route, the later route is dead. The witness is one of its "
    "URLs, answered as the framework does: by the earlier route, often with a 422 when "
    "FastAPI then validates an annotated parameter (`user_id: int` refusing `me`). The "
    "reverse order, specific first, is the intended idiom and is never reported.",
    "The route looks alive in the code and in the OpenAPI schema, but every request goes "
    "to the earlier route; FastAPI users see a puzzling 422.",
    "- rule: '/users/{user_id}'\n  endpoint: user\n"
    "- rule: /users/me\n  endpoint: me          # GET /users/me -> user",
    "Declare the specific route first, or give the general one a convertor that excludes "
    "its URLs (`{user_id:int}`).",
)

UNREACHABLE = Rule(
    "RL202", "unreachable-route", "error",
    "A route never answers: earlier routes or a Mount take all of its requests together.",
    "Decides exactly whether every URL of a route is taken, for each of its methods, by "
    "the union of the routes declared before it that take that method, or by a Mount "
    "whose prefix covers it (a Mount keeps every request under its prefix, for every "
    "method, and never gives one back, even when its own routes answer 404). Routes "
    "whose convertors could refuse a value do not count as taking it.",
    "Dead routes are dead code that looks alive.",
    "- rule: '/a/{i:int}'\n  endpoint: by_int\n"
    "- rule: '/a/{x}.{y}'\n  endpoint: dotted\n"
    "- rule: '/a/{f:float}'\n  endpoint: by_float   # every float is an int or x.y",
    "Remove the route, move it before the routes that take its URLs, or narrow them.",
)

DUPLICATE = Rule(
    "RL203", "duplicate-route", "error",
    "Two routes take exactly the same URLs and methods: only the first ever answers.",
    "Reports a route whose URLs and methods are all those of one earlier route with the "
    "same URL set (`{id}` and `{name}` are the same URLs). FastAPI documents the last "
    "in OpenAPI while the first answers. A Django pattern with the same view and kwargs "
    "as the one answering instead changes no answer (Django Ninja declares one pattern "
    "per operation, all with the path's one view): an info, for reverse() alone. Three "
    "or more copies of one route (differing only in endpoint, view or source) are one "
    "finding listing every later copy and, last, the route they lose to, with the count "
    "in the message (as RL101 does); so are the later copies made dead by an earlier "
    "route (RL201, RL202, RL301).",
    "The second view is dead; often a copy-paste or a router included twice.",
    "- rule: '/items/{id}'\n  endpoint: show_item\n"
    "- rule: '/items/{name}'\n  endpoint: item_by_name",
    "Remove one of them, or merge their views.",
)

METHOD_UNREACHABLE = Rule(
    "RL204", "method-unreachable", "error",
    "Some methods of a route never reach it: earlier routes take those requests.",
    "For each declared method separately, the route is checked against the earlier "
    "routes that take that method; the finding lists the methods it never answers.",
    "The handler code for those methods is dead, and requests for them reach another "
    "view.",
    "- rule: '/users/{id}'\n  endpoint: user\n  methods: [GET, DELETE]\n"
    "- rule: /users/me\n  endpoint: me\n  methods: [GET, PUT]   # GET never reaches me",
    "Declare the specific route first, or split its methods.",
)

CROSSED = Rule(
    "RL205", "crossed-overlap", "warning",
    "Two routes share some URLs and neither contains the other: the later one loses them.",
    "Reports a pair of routes with a common URL for a shared method where neither "
    "route's URLs include the other's (`/{entity}/me` and `/books/{id}` share "
    "`/books/me`). The earlier route answers the shared URLs, which is often not what "
    "the author of the later route expected. An earlier route under a longer literal "
    "prefix than the later one's (`admin/<str:x>/` before a page-tree catch-all) is the "
    "specific-first idiom and is not reported.",
    "Who answers the shared URLs depends on declaration order alone.",
    "- rule: '/{entity}/me'\n  endpoint: me\n"
    "- rule: '/books/{id}'\n  endpoint: book      # GET /books/me -> me",
    "Make the URL sets disjoint (a convertor, a literal prefix), or order them on purpose "
    "and mark the pair with noqa.",
)

SPECIFIC_FIRST = Rule(
    "RL206", "specific-first", "info",
    "A narrower route is declared before a broader one: the intended first-match idiom.",
    "Listed by `conflicts --extend-select RL206` only, to complete the inventory of "
    "overlapping routes: the "
    "earlier route's URLs are all URLs of the later one, so the later route answers "
    "everything else. In Django, a pattern declared before one of Django's own apps' "
    "patterns with the same URLs (a `ModelAdmin.get_urls()` override of the changelist, "
    "`admin/login/` before `admin.site.urls`) replaces it on purpose: listed here too, "
    "never as RL203.",
    "Nothing is wrong; it shows which order the table relies on.",
    "- rule: /users/me\n  endpoint: me\n"
    "- rule: '/users/{user_id}'\n  endpoint: user",
    "Nothing to fix; keep the order.",
    enabled=False,
)

# What a trap code adds to an order finding it takes over.
TRAP_NOTES = {"docs-url-route": "FastAPI's own docs route answers first"}

_RULE_OF = {"shadowed": SHADOWED, "union": UNREACHABLE, "captured": UNREACHABLE,
            "duplicate": DUPLICATE, "partly": METHOD_UNREACHABLE, "crossed": CROSSED,
            "idiom": SPECIFIC_FIRST, "override": SPECIFIC_FIRST}


def relation_findings(run) -> list[Finding]:
    """A finding for every relation whose witness the matcher confirms (once per run)."""
    cached = getattr(run, "_order_findings", None)
    if cached is not None:
        return cached
    findings = []
    for relation in _parts(run, run.core.relations()):
        if run.is_override(relation):
            if not run.core.idiom:
                continue
            relation = relation._replace(kind="override")
        rule = _RULE_OF[relation.kind]
        if relation.kind in ("shadowed", "duplicate", "union", "captured", "partly"):
            # A dialect's trap family may word a dead route as its own trap (RL212).
            rule = run.trap_rule(relation) or rule
        finding = _finding(run, rule, relation)
        if finding is not None:
            findings.append(finding)
    run._order_findings = findings
    return findings


def _parts(run, relations):
    """The relations to report: a group of copies (``Relation.copies``) split by how the
    dialect words each copy's own relation (an override, a copy that changes no answer,
    the others); a part of fewer than two copies is reported route by route, as is every
    override."""
    for relation in relations:
        if not relation.copies:
            yield relation
            continue
        parts: dict[tuple, list] = {}
        for member in (relation.entry, *relation.copies):
            own = relation._replace(entry=member, copies=())
            override = run.is_override(own)
            key = (override, run.changes_no_answer(own), member.index if override else 0)
            parts.setdefault(key, []).append(own)
        for part in parts.values():
            if len(part) >= GROUP_MIN - 1:
                yield part[0]._replace(copies=tuple(own.entry for own in part[1:]))
            else:
                yield from part


def _finding(run, rule: Rule, relation: Relation) -> Finding | None:
    """The relation's finding, its witness answered by the dialect's matcher; a group of
    copies (dead for one reason, witnessed once) is one finding: its routes are every
    later copy, then the entries they lose to."""
    entry, earlier = relation.entry, relation.earlier
    method = relation.methods[0] if relation.methods else "GET"
    if method == OTHER_METHOD:  # "any method" (Django's patterns): asked as GET
        method = "GET"
    if relation.kind == "idiom":
        witness = run.url(relation.witness, entry)
        from routecli.analysis.findings import Witness

        checked = Witness(method, witness), run.table.match(method, witness)
    else:
        checked = run.confirm(method, relation.witness, entry, earlier)
    if checked is None:
        return None
    witness, result = checked
    members = (entry, *relation.copies)
    many = len(members) > 1  # a group of copies: "N copies of `/x` (a, b, c and 7 more)"
    subject = _copies_text(members) if many else f"{label(entry)} ({entry.endpoint})"
    verb, it = ("", "them") if many else ("s", "it")
    others = ", ".join(f"{label(o)} ({_named(o, entry)})" for o in earlier)
    got = answer_text(result)
    kind = relation.kind
    if kind == "shadowed":
        message = (f"{subject} never answer{verb}: {others} is declared earlier and takes "
                   f"every URL of {it}; {show(witness)} {got}")
    elif kind == "captured":
        message = (f"{subject} never answer{verb}: the mount {others} takes every request "
                   f"under its prefix and never gives one back; {show(witness)} {got}")
    elif kind == "duplicate":
        message = (f"{subject} duplicate{verb} {others}, which is declared earlier and "
                   f"answers instead; {show(witness)} {got}")
    elif kind == "union":
        message = (f"{subject} never answers: the earlier routes {others} together take "
                   f"every URL of it; {show(witness)} {got}")
    elif kind == "partly":
        lost = ", ".join(relation.methods)
        message = (f"{subject} never answers {lost}: {others} declared earlier "
                   f"take{'s' if len(earlier) == 1 else ''} those requests; "
                   f"{show(witness)} {got}")
    elif kind == "crossed":
        message = (f"{subject} loses the URLs it shares with {others}, declared earlier; "
                   f"{show(witness)} {got}")
    elif kind == "override":
        message = (f"{others} is declared before {subject} and replaces it, which keeps "
                   f"its name for reverse(): the override idiom; {show(witness)} {got}")
    else:
        message = (f"{others} is declared before the broader {subject}: the specific-first "
                   f"idiom; {show(witness)} {got}")
    if rule.code != _RULE_OF[kind].code:  # a trap's own code says which trap
        message = f"{message} ({TRAP_NOTES.get(rule.name, rule.summary)})"
    severity = rule.severity
    if kind == "duplicate" and rule is DUPLICATE and run.changes_no_answer(relation):
        severity = "info"
        message += ("; all have the same view and kwargs, so no answer changes: the later "
                    "patterns only give reverse() other names" if many else
                    "; both have the same view and kwargs, so no answer changes: the later "
                    "pattern only gives reverse() another name")
    details = {"status": result.status, "methods": list(relation.methods)}
    if many:
        details["copies"] = len(members)
    return Finding(rule.code, severity, message, [*members, *earlier], witness,
                   answered_by=result.endpoint, details=details, kind=kind)


def _named(other, entry) -> str:
    """"name, line N" for an earlier entry; an unnamed Mount or Host has no name to give
    (its endpoint is the placeholder "(mount)"): "line N" alone."""
    if other.build_only and other.endpoint in ("(mount)", "(host)"):
        return where(other, entry)
    return f"{other.endpoint}, {where(other, entry)}"


def _copies_text(members: tuple) -> str:
    """A group of copies as a message names it: "3 copies of `/x` (a, b, c)"."""
    names = ", ".join(member.endpoint for member in members[:NAMED])
    if len(members) > NAMED:
        names += f" and {len(members) - NAMED:,} more"
    return f"{len(members):,} copies of {label(members[0])} ({names})"


def answer_text(result) -> str:
    """What the framework answers, as a clause: "is answered 422 by user (...)"."""
    status = result.status
    if status == 405:
        return f"is answered 405 (Allow: {', '.join(result.allowed_methods or ())})"
    if status == 404:
        return "is answered 404"
    if result.endpoint is None:
        reason = f" ({result.reason})" if result.reason else ""
        return f"is answered {status}{reason}"
    reason = f" ({result.reason})" if status == 422 and result.reason else ""
    return f"is answered {status} by {result.endpoint}{reason}"


def check_of(rule: Rule):
    """A rule's lint check: the run's relation findings that carry its code."""
    def check(run) -> list:
        return [f for f in relation_findings(run) if f.code == rule.code]
    return check


for _rule in (SHADOWED, UNREACHABLE, DUPLICATE, METHOD_UNREACHABLE, CROSSED):
    _rule.checks(check_of(_rule))
del _rule
