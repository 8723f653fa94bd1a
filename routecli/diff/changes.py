"""Changes: routes of OLD and NEW paired by what they answer, classified, with evidence.

A change is about one route of OLD, one of NEW, or a pair (the same route, edited). Its
``requests`` are the witness requests whose answers differ, each with both answers. The
kind says what was edited; the severity follows from the evidence alone
(docs/diff.md#classification): *breaking* when some request a route used to answer (or
redirect) now gets another answer, *non-breaking* when answers changed only where there
was none before (404/405 now answered, a method added), *info* when no answer changed.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from routecli.diff.answers import Answer, Request
from routecli.routing.serialize import route_ref

SEVERITIES = ("breaking", "non_breaking", "info")
SHOWN_REQUESTS = 3  # witnesses kept per change (one per kind of answer change first)
_VARIABLE = re.compile(r"<[^<>]*>|\{[^{}]*\}")


class Evidence(NamedTuple):
    """A request whose answer differs, with OLD's and NEW's answers."""

    request: Request
    old: Answer
    new: Answer

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.request.method, "url": self.request.url,
                "old": self.old.to_dict(), "new": self.new.to_dict()}


class Change:
    """One change: ``old`` and ``new`` are compiled routes (either may be None)."""

    __slots__ = ("kind", "severity", "message", "old", "new", "requests")

    def __init__(self, old=None, new=None) -> None:
        self.old = old
        self.new = new
        self.requests: list[Evidence] = []
        self.kind = ""
        self.severity = "info"
        self.message = ""

    @property
    def subject(self):
        """The route the change is shown under: NEW's when there is one."""
        return self.new if self.new is not None else self.old

    def to_dict(self) -> dict[str, Any]:
        """The change object of docs/diff.md#json-output."""
        return {"kind": self.kind, "severity": self.severity, "message": self.message,
                "old": None if self.old is None else route_ref(self.old),
                "new": None if self.new is None else route_ref(self.new),
                "requests": [evidence.to_dict() for evidence in self.requests]}

    def __repr__(self) -> str:
        return f"<Change {self.kind} {self.severity} {self.message!r}>"


def classify(change: Change) -> None:
    """Set ``kind``, ``severity`` and ``message`` from the routes and the evidence, and
    keep the most telling requests."""
    old, new = change.old, change.new
    evidence = change.requests
    lost = [e for e in evidence if _lost(e, old, new)]
    change.severity = ("breaking" if lost else "non_breaking" if evidence else "info")
    if old is None:
        change.kind, change.message = _added(new, evidence)
    elif new is None:
        change.kind, change.message = _removed(old, evidence)
    else:
        change.kind, change.message = _edited(old, new, evidence, lost)
    lost_ids = {id(e) for e in lost}  # a set: thousands of requests per change
    change.requests = _varied(lost + [e for e in evidence if id(e) not in lost_ids])
    del change.requests[SHOWN_REQUESTS:]


def _lost(e: Evidence, old, new) -> bool:
    """True when OLD answered (or redirected) the request and NEW answers otherwise; the
    same route answering under a renamed endpoint is not a loss."""
    if not e.old.ok or e.old.same(e.new):
        return False
    renamed = (old is not None and new is not None and e.old.rule is old
               and e.new.rule is new and e.old.same_but_endpoint(e.new))
    return not renamed


def _varied(evidence: list[Evidence]) -> list[Evidence]:
    """One request per kind of answer change first, then the rest, in order."""
    first, rest, seen = [], [], set()
    for e in evidence:
        key = (e.old.status, e.old.endpoint, e.new.status, e.new.endpoint)
        (rest if key in seen else first).append(e)
        seen.add(key)
    return first + rest


def label(rule) -> str:
    """``/users/<int:id> (user)``"""
    return f"{rule.rule} ({rule.endpoint})"


def _others(evidence: list[Evidence], side: str, route) -> list[str]:
    """Labels of the routes other than ``route`` that answered the evidence on ``side``."""
    names: dict[str, None] = {}
    for e in evidence:
        rule = getattr(e, side).rule
        if rule is not None and rule is not route:
            names[label(rule)] = None
    return list(names)


def _added(new, evidence) -> tuple[str, str]:
    taken = _others(evidence, "old", None)
    if taken:
        return ("route-shadows",
                f"new route {label(new)} now answers requests {', '.join(taken)} answered")
    if not evidence:
        return "route-added", f"route {label(new)} was added but answers no request differently"
    return "route-added", f"route {label(new)} was added"


def _removed(old, evidence) -> tuple[str, str]:
    message = f"route {label(old)} was removed"
    others = _others(evidence, "new", None)
    if others:
        message += f"; its requests now go to {', '.join(others)}"
    return "route-removed", message


def _edited(old, new, evidence, lost) -> tuple[str, str]:
    kind, message = _edit_kind(old, new, evidence)
    notes = (_methods_note(old, new), _endpoint_note(old, new))
    if kind not in ("route-shadows", "route-shadowed"):
        notes += (_shadow_note(old, new, evidence),)
    also = [what for what in notes if what and what not in message]
    return kind, message + "".join(f"; {what}" for what in also)


def _methods_note(old, new) -> str:
    a, b = old.declared_methods, new.declared_methods
    if a == b or set(a or ("*",)) == set(b or ("*",)):
        return ""
    shown_a = ", ".join(sorted(a)) if a is not None else "every method"
    shown_b = ", ".join(sorted(b)) if b is not None else "every method"
    return f"methods {shown_a} -> {shown_b}"


def _shadow_note(old, new, evidence) -> str:
    """For an edited route that now takes requests other routes answered, or loses its
    own to them: which (the edit changed who comes first)."""
    taken = {label(e.old.rule): None for e in evidence
             if e.new.rule is new and e.old.rule is not None and e.old.rule is not old
             and e.old.ok}
    lost_to = {label(e.new.rule): None for e in evidence
               if e.old.rule is old and e.new.rule is not None and e.new.rule is not new
               and e.new.ok}
    notes = []
    if taken:
        notes.append(f"now shadows {', '.join(taken)}")
    if lost_to:
        notes.append(f"is now shadowed by {', '.join(lost_to)}")
    return "; ".join(notes)


def _endpoint_note(old, new) -> str:
    if old.endpoint == new.endpoint:
        return ""
    return f"endpoint {old.endpoint!r} renamed to {new.endpoint!r}"


def _edit_kind(old, new, evidence) -> tuple[str, str]:
    a, b = old.route, new.route
    if _route_field(a, "rule") != _route_field(b, "rule"):
        return _rule_edit(old, new, evidence)
    methods_a, methods_b = old.declared_methods, new.declared_methods
    if methods_a != methods_b and set(methods_a or ("*",)) != set(methods_b or ("*",)):
        shown_a = ", ".join(sorted(methods_a)) if methods_a is not None else "every method"
        shown_b = ", ".join(sorted(methods_b)) if methods_b is not None else "every method"
        removed = (methods_b is not None
                   and (methods_a is None or bool(set(methods_a) - set(methods_b))))
        kind = "methods-removed" if removed else "methods-added"
        return kind, f"{label(new)}: methods {shown_a} -> {shown_b}"
    if old.endpoint != new.endpoint:
        return ("endpoint-renamed",
                f"{new.rule}: endpoint {old.endpoint!r} renamed to {new.endpoint!r}")
    for field, kind in (("strict_slashes", "strict-slashes-changed"),
                        ("defaults", "defaults-changed"), ("host", "host-changed"),
                        ("subdomain", "subdomain-changed")):
        before, after = _route_field(a, field), _route_field(b, field)
        if before != after:
            return kind, f"{label(new)}: {field} {_show(before)} -> {_show(after)}"
    redirect_a = (_route_field(a, "redirect_to"), _route_field(a, "alias"))
    redirect_b = (_route_field(b, "redirect_to"), _route_field(b, "alias"))
    if redirect_a != redirect_b:
        had, has = any(redirect_a), any(redirect_b)
        kind = ("redirect-added" if has and not had else "redirect-removed" if had and not has
                else "redirect-changed")
        return kind, (f"{label(new)}: redirect_to {_show(redirect_a[0])} -> "
                      f"{_show(redirect_b[0])}" if redirect_a[0] != redirect_b[0] else
                      f"{label(new)}: alias {_show(redirect_a[1])} -> {_show(redirect_b[1])}")
    differing = [name for name in _fields(a) if _route_field(a, name) != _route_field(b, name)]
    if differing:
        return "route-changed", f"{label(new)}: {', '.join(differing)} changed"
    return _reordered(old, new, evidence)


def _rule_edit(old, new, evidence) -> tuple[str, str]:
    before, after = old.rule, new.rule
    change = f"{before!r} -> {after!r}"
    if before.rstrip("/") == after.rstrip("/"):
        return "trailing-slash-changed", f"{label(new)}: trailing slash {change}"
    if _VARIABLE.sub("<>", before) == _VARIABLE.sub("<>", after):
        # Only methods both accept: a method edit says nothing about the converters.
        both = [e for e in evidence if _accepts(old, e.request.method)
                and _accepts(new, e.request.method)]
        fewer = any(e.old.rule is old and e.new.rule is not new for e in both)
        more = any(e.new.rule is new and e.old.rule is not old for e in both)
        if fewer and not more:
            return "converter-narrowed", f"{label(new)}: converter narrowed, {change}"
        if more and not fewer:
            return "converter-widened", f"{label(new)}: converter widened, {change}"
        return "converter-changed", f"{label(new)}: converter changed, {change}"
    return "rule-changed", f"{label(new)}: rule {change}"


def _accepts(rule, method: str) -> bool:
    methods = rule.declared_methods
    return methods is None or method in methods or (method == "HEAD" and "GET" in methods)


def _reordered(old, new, evidence) -> tuple[str, str]:
    lost_to = _others(evidence, "new", new)
    if lost_to:
        return ("route-shadowed",
                f"{label(new)} is now shadowed by {', '.join(lost_to)} (order changed)")
    taken = _others(evidence, "old", old)
    if taken:
        return ("route-shadows",
                f"{label(new)} now answers requests {', '.join(taken)} answered (order changed)")
    if any(e.new.location and not e.old.location for e in evidence):
        return "redirect-added", f"{label(new)} now answers with a redirect"
    if any(e.old.location and not e.new.location for e in evidence):
        return "redirect-removed", f"{label(new)} no longer redirects"
    if evidence:
        return "answer-changed", f"{label(new)} answers differently"
    where = (f" ({old.source} -> {new.source})"
             if old.source is not None and new.source is not None
             and str(old.source) != str(new.source) else "")
    return "route-moved", f"{label(new)} moved{where}; no answer changed"


def _fields(route) -> list[str]:
    kind = type(route)
    return [name for name in getattr(kind, "FIELDS", None) or getattr(kind, "__slots__", ())
            if name not in ("source", "view", "has_view", "noqa", "converters")]


def _route_field(route, name: str) -> Any:
    return getattr(route, name, None)


def _show(value: Any) -> str:
    if callable(value):
        return getattr(value, "__qualname__", repr(value))
    from routecli.routing.result import shown_value

    return "none" if value is None else shown_value(value)
