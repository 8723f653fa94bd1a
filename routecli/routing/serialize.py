"""A route as data: the one place a compiled rule becomes a JSON-ready dict.

Every command that names a route (list, match's near misses, lint, conflicts,
coverage) builds it here, so the fields mean the same thing everywhere. Works on
any compiled rule with ``rule``, ``endpoint``, ``methods``, ``declared_methods``,
``defaults``, ``strict_slashes``, ``source`` and ``route``.
"""

from __future__ import annotations

from typing import Any

from routecli.routing.result import json_value


def shown_methods(rule, all_methods: bool = False) -> list[str]:
    """Methods as a list for display: declared ones, plus the implicit HEAD and
    automatic OPTIONS only when ``all_methods``; ``["*"]`` means every method."""
    if rule.methods is None:
        return ["*"]
    if all_methods:
        return sorted(rule.methods)
    declared = set(rule.declared_methods or ())
    return sorted(declared)


def source_text(rule) -> str | None:
    """The rule's ``file:line`` as a string, or None when it has no known source."""
    return str(rule.source) if rule.source else None


def route_ref(rule, *, methods: bool = True, all_methods: bool = False) -> dict[str, Any]:
    """A route as lint, conflicts, explain and coverage name it: rule, endpoint,
    methods (declared; every one the rule answers with ``all_methods``; none
    without ``methods``) and source."""
    ref: dict[str, Any] = {"rule": rule.rule, "endpoint": rule.endpoint}
    if methods:
        ref["methods"] = shown_methods(rule, all_methods)
    ref["source"] = source_text(rule)
    return ref


def route_row(rule, all_methods: bool = False, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """One route as the JSON object ``routecli list`` prints; ``extra`` names the
    dialect's own attributes to add (its ``list_columns``, e.g. kind and position)."""

    route = rule.route
    listed = getattr(rule, "listed_methods", None)  # what a Django view accepts
    row = {
        "rule": rule.rule,
        "endpoint": rule.endpoint,
        "methods": shown_methods(rule, all_methods) if listed is None else list(listed),
        "defaults": None if rule.defaults is None else json_value(rule.defaults),
        "host": route.host,
        "subdomain": route.subdomain,
        "strict_slashes": rule.strict_slashes,
        "redirect_to": route.redirect_to if isinstance(route.redirect_to, (str, type(None)))
        else _callable_name(route.redirect_to),
        "source": source_text(rule),
        "view": route.view,
    }
    for key in extra:
        row[key] = getattr(rule, key)
    return row


def _callable_name(obj: Any) -> str:
    module = getattr(obj, "__module__", None)
    name = getattr(obj, "__qualname__", None) or repr(obj)
    return f"{module}.{name}" if module else name
