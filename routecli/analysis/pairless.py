"""Checks of single routes (and of one endpoint's routes): RL111 to RL118."""

from __future__ import annotations

import difflib

from routecli.analysis.checks import label
from routecli.analysis.findings import Finding, Witness
from routecli.routing.serialize import route_ref
from routecli.routing.werkzeug.converters import (
    AnyConverter,
    PathConverter,
    RegexConverter,
    StringConverter,
    UUIDConverter,
)
from routecli.routing.werkzeug.syntax import _ARGUMENT_RE, RuleSyntaxError, Variable, tokenize

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
_MANY_CONVERTERS = 11
_MIN_PIECE = 2  # both halves of a glued segment are at least this long


def single_rule_findings(analysis) -> list[Finding]:
    """Every single-route and per-endpoint finding of the table."""
    out: list[Finding] = []
    table = analysis.table
    for rule in table.rules:
        out += _never_matches(analysis, rule)
        out += _self_ambiguous(analysis, rule)
        out += _converter_arguments(rule)
        out += _many_converters(rule)
        out += _methods(rule)
    out += _dangling_redirects(analysis)
    out += _endpoint_arguments(table)
    out += _missing_slashes(analysis)
    return out


def _never_matches(analysis, rule) -> list[Finding]:
    reason = analysis.index.never.get(rule.index)
    if reason is None:
        return []
    return [Finding("RL118", "error", f"never matches: {reason}", [rule], kind="never-matches")]


def _self_ambiguous(analysis, rule) -> list[Finding]:
    out = []
    for part in rule.parts:
        spanning = [c for c in part.converters if not c.part_isolating]
        if len(spanning) >= 2:
            finding = _path_ambiguity(analysis, rule, part)
            if finding is not None:
                out.append(finding)
    for name, conv in rule.converters.items():
        if isinstance(conv, AnyConverter):
            if not conv.items:
                out.append(Finding("RL111", "info", f"'{name}': any() without items matches "
                                   f"only an empty segment", [rule], kind="self-ambiguous"))
            dead = [item for item in conv.items if "/" in item]
            if dead:
                shown = ", ".join(repr(item) for item in dead)
                out.append(Finding("RL111", "info", f"'{name}': any() item {shown} contains "
                                   f"'/' and can never match a segment", [rule],
                                   kind="self-ambiguous"))
    return out


def _path_ambiguity(analysis, rule, part) -> Finding | None:
    """RL111 for ≥2 slash-spanning converters: a URL that they can split in two ways."""
    try:
        tokens = tokenize(part.text, require_slash=False)
    except RuleSyntaxError:
        return None
    names = [t.name for t in tokens if isinstance(t, Variable)]
    spanning = [n for n in names if not rule.converters[n].part_isolating]
    first, second = spanning[0], spanning[1]
    between = []
    seen_first = False
    for token in tokens:
        if isinstance(token, Variable):
            if token.name == first:
                seen_first = True
            elif token.name == second:
                break
            elif seen_first:
                return None  # another converter in between: keep the check simple
        elif seen_first:
            between.append(getattr(token, "text", "/"))
    middle = "".join(between)
    fill = {first: "1", second: f"2{middle}3"}
    text = []
    for token in tokens:
        if isinstance(token, Variable):
            text.append(fill.get(token.name, "a"))
        else:
            text.append(getattr(token, "text", "/"))
    witnesses = analysis.witnesses
    position = rule.parts.index(part)
    candidates = (values[:position] + ["".join(text)] for values in witnesses.rule_values(rule))
    for checked in witnesses.answers(candidates, _method(rule), rule.websocket):
        if not witnesses.matches(checked, rule):
            analysis.stats["model_disagreements"] += 1
            continue
        message = (f"'{first}' and '{second}' both span slashes: {checked.witness.url} gives "
                   f"{first}='1', {second}='2{middle}3' although {first}='1{middle}2', "
                   f"{second}='3' fits too (werkzeug#1288)")
        return Finding("RL111", "info", message, [rule], checked.witness,
                       checked.result.endpoint, {"variables": [first, second]},
                       "self-ambiguous")
    return None


def _variables(rule) -> list[Variable]:
    out = []
    for text in (rule.domain, rule.rule):
        if not text:
            continue
        try:
            out += [t for t in tokenize(text, require_slash=False) if isinstance(t, Variable)]
        except RuleSyntaxError:
            continue
    return out


def _converter_arguments(rule) -> list[Finding]:
    """RL112 (any(1,2)) and RL114 (arguments Werkzeug ignores)."""
    out = []
    for var in _variables(rule):
        if var.arguments is None:
            continue
        conv = rule.converters.get(var.name)
        if conv is None:
            continue
        spec = f"<{var.spec}:{var.name}>"
        text = var.arguments + ","
        position = 0
        glued = []
        for item in _ARGUMENT_RE.finditer(text):
            if item.start() != position:
                break
            value = item.group("value")
            if item.group("stringval") is None and _glued_number(value):
                glued.append(value)
            position = item.end()
        if glued and isinstance(conv, AnyConverter):
            items = ", ".join(repr(g) for g in glued)
            quoted = ", ".join(repr(part) for g in glued for part in _split_glued(g))
            out.append(Finding("RL112", "warning",
                               f"{spec}: {items} is read as one item; write "
                               f"any({quoted}) for separate items", [rule], kind="pitfall"))
        if position < len(text) and text[position:].strip(", "):
            ignored = text[position:].rstrip(",").strip()
            out.append(Finding("RL114", "warning",
                               f"{spec}: the arguments from {ignored!r} on cannot be parsed "
                               f"and Werkzeug silently ignores them", [rule], kind="pitfall"))
        if isinstance(conv, (PathConverter, UUIDConverter, RegexConverter)) and (
                conv.args or conv.kwargs):
            out.append(Finding("RL114", "warning",
                               f"{spec}: converter '{conv.name}' takes no arguments; they are "
                               f"ignored", [rule], kind="pitfall"))
        if isinstance(conv, StringConverter) and conv.length is not None and (
                "minlength" in conv.kwargs or "maxlength" in conv.kwargs or len(conv.args) > 1):
            out.append(Finding("RL114", "warning",
                               f"{spec}: 'length' is given, so minlength and maxlength are "
                               f"ignored", [rule], kind="pitfall"))
    return out


def _glued_number(value: str) -> bool:
    # "\d+.\d+" with an unescaped dot: "1,2" or "1;2" is one token.
    return (len(value) >= 2 and value[0].isdigit() and not value.replace(".", "").isdigit()
            and any(not ch.isdigit() for ch in value))


def _split_glued(value: str) -> list[str]:
    out, current = [], ""
    for ch in value:
        if ch.isdigit():
            current += ch
        else:
            if current:
                out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


def _many_converters(rule) -> list[Finding]:
    out = []
    for part in rule.parts:
        if len(part.converters) >= _MANY_CONVERTERS:
            out.append(Finding(
                "RL113", "warning",
                f"{len(part.converters)} converters in one segment ({part.text!r}): Werkzeug "
                f"before 3.1.9 orders their values by name as text, so the variables get "
                f"each other's values", [rule], kind="pitfall"))
    return out


def _methods(rule) -> list[Finding]:
    out = []
    for method in rule.declared_methods or ():
        if method in STANDARD_METHODS:
            continue
        if method in REGISTERED_METHODS:
            out.append(Finding("RL115", "info", f"method {method} is an HTTP extension "
                               f"method (registered, but uncommon)", [rule],
                               kind="nonstandard-method"))
            continue
        close = difflib.get_close_matches(method, sorted(STANDARD_METHODS), n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]}?" if close else ""
        out.append(Finding("RL115", "warning", f"method {method} is not a standard HTTP "
                           f"method{hint}", [rule], kind="nonstandard-method"))
    return out


def _dangling_redirects(analysis) -> list[Finding]:
    out = []
    table = analysis.table
    witnesses = analysis.witnesses
    for rule in table.rules:
        if not isinstance(rule.redirect_to, str) or not analysis.index.live[rule.index]:
            continue
        method = _method(rule)
        for checked in witnesses.answers(witnesses.rule_values(rule), method, rule.websocket):
            result = checked.result
            if result.rule is not rule or result.status != 308 or not result.location:
                continue
            request = checked.witness
            answered = witnesses.answer(Witness(method, result.location, request.host))
            target = None if answered is None else answered.result
            if target is not None and target.status in (404, 405):
                out.append(Finding(
                    "RL116", "warning",
                    f"redirect_to {rule.redirect_to!r}: {request.url} redirects to "
                    f"{result.location}, which gets a {target.status}", [rule],
                    checked.witness, rule.endpoint,
                    {"location": result.location, "status": target.status},
                    "dangling-redirect"))
            break
    return out


def _endpoint_arguments(table) -> list[Finding]:
    out = []
    by_endpoint: dict = {}
    for rule in table.rules:
        if rule.alias or rule.redirect_to is not None or rule.build_only:
            continue
        by_endpoint.setdefault(rule.endpoint, []).append(rule)
    for endpoint, rules in by_endpoint.items():
        for i, later in enumerate(rules):
            clash = next((r for r in rules[:i] if not (r.arguments <= later.arguments
                                                       or later.arguments <= r.arguments)),
                         None)
            if clash is None:
                continue
            mine = ", ".join(sorted(later.arguments)) or "none"
            theirs = ", ".join(sorted(clash.arguments)) or "none"
            out.append(Finding(
                "RL117", "warning",
                f"endpoint {endpoint!r} gets arguments ({mine}) from this route but "
                f"({theirs}) from `{clash.rule}`: its view must accept both, and url_for "
                f"needs different arguments for each", [later, clash],
                details={"other": route_ref(clash)}, kind="endpoint-arguments"))
            break
    return out


def _missing_slashes(analysis) -> list[Finding]:
    """RL119: a static segment that reads as two sibling segments glued together
    (``2.0mlflow`` next to ``2.0`` → ``mlflow``): a slash was probably lost."""
    out = []
    stack = [analysis.index.root]
    while stack:
        state = stack.pop()
        statics = state.static
        stack.extend(statics.values())
        stack.extend(child for _, child in state.dynamic)
        if len(statics) < 2:
            continue
        for key, child in statics.items():
            for cut in range(_MIN_PIECE, len(key) - _MIN_PIECE + 1):
                head, rest = key[:cut], key[cut:]
                sibling = statics.get(head)
                if sibling is None or rest not in sibling.static:
                    continue
                for rule in _rules_below(child):
                    # The rule is in the message: one view's variants (mlflow's /api/...
                    # and /ajax-api/...) share a source line and would read the same.
                    out.append(Finding(
                        "RL119", "warning",
                        f"segment {key!r} of {label(rule)} looks like {head!r} + {rest!r} "
                        f"with the slash missing: other routes continue with /{head}/{rest}",
                        [rule],
                        details={"segment": key, "split": [head, rest]},
                        kind="missing-slash"))
                break
    return out


def _rules_below(state) -> list:
    found, stack = [], [state]
    while stack:
        node = stack.pop()
        found.extend(node.rules)
        stack.extend(node.static.values())
        stack.extend(child for _, child in node.dynamic)
    return sorted(found, key=lambda rule: rule.index)


def _method(rule) -> str:
    methods = rule.declared_methods
    if not methods or "GET" in methods:
        return "GET"
    return min(methods)


__all__ = ["REGISTERED_METHODS", "STANDARD_METHODS", "single_rule_findings"]
