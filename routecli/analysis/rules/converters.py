"""Converter rules: RL109 converter clash (reserved), RL110 validation trap, RL111
self-ambiguous pattern, RL112 unquoted numbers in any(), RL113 many converters in one
segment, RL114 converter arguments Werkzeug ignores."""

from __future__ import annotations

from routecli.analysis.engine import catch_all, rule_method
from routecli.analysis.findings import Finding
from routecli.analysis.messages import MAX_LISTED, label, pick_method, show, where
from routecli.analysis.rule import Rule
from routecli.analysis.rules import unreachable
from routecli.routing.serialize import route_ref
from routecli.routing.werkzeug.compiler import part_texts
from routecli.routing.werkzeug.converters import (
    AnyConverter,
    PathConverter,
    RegexConverter,
    StringConverter,
    UUIDConverter,
)
from routecli.routing.werkzeug.syntax import (
    RuleSyntaxError,
    Variable,
    converter_argument_re,
    tokenize,
)

CONVERTER_CLASH = Rule(
    "RL109", "converter-clash", "info",
    "Different converters at one position (reported through other codes).",
    "Never emitted itself: a tie between converters is RL102, a converter that covers "
    "another completely is RL103, a priority order is RL104 (or RL105), and disjoint "
    "converters (`<int>` vs `<uuid>`, `<float>` vs `<int>`) are no finding at all.",
    "Kept so that the design's numbering stays stable.",
    "- rule: /q/<any('1','2'):x>\n- rule: /q/<int:n>     # RL103 for the any route",
    "See the code it is reported as.",
    reserved=True,
)


VALIDATION_TRAP = Rule(
    "RL110", "validation-trap", "warning",
    "A route captures URLs, refuses them in a converter, and the request gets a 404.",
    "Reports a route with int/float `min`, `max` or `fixed_digits` tried first on URLs "
    "that another route would answer: the values are checked only after the route was "
    "chosen, and Werkzeug does not try the next route (`/n/<int(max=10):a>` before "
    "`/n/<s>`: GET /n/20 is a 404). One finding per capturing route; an error when a "
    "victim becomes unreachable (RL103). Info when every victim is a catch-all (a route "
    "ending in a `path` converter, such as a static folder at `/<path:filename>`): the "
    "refused URLs are ones the catch-all only answers because it answers everything, "
    "and the traps it takes URLs from are reported as one finding.",
    "Requests that another route was written for get a 404.",
    "- rule: /n/<s>\n  endpoint: name\n- rule: /n/<int(max=10):a>\n  endpoint: small",
    "Validate in the view instead of the converter, or make the other route's URLs "
    "disjoint.",
    reads=(unreachable.UNREACHABLE,),  # run.dead: a victim RL103 found dead makes it an error
)


# A trap that makes a victim unreachable (RL103) is an error (documented above).
FATAL_SEVERITY = "error"
# A trap that only takes URLs from catch-alls is info (documented above).
CATCH_ALL_SEVERITY = "info"


@VALIDATION_TRAP.checks
def check_traps(run) -> list:
    """RL110, one finding per capturing route; an error when a victim is unreachable."""
    sink = run.pairs
    dead = run.dead
    out = []
    for index in sorted(sink.traps):
        pairs = sorted(sink.traps[index], key=lambda p: p.second.index)
        first = pairs[0].first
        found = None
        victims = []
        fatal = False
        for pair in pairs:
            method = pick_method(pair.methods)
            checked, verified = run.analysis.pair_witness(pair, method, reject=True)
            if verified:
                victims.append(pair.second)
                fatal = fatal or method in dead.get(pair.second.index, ())
                # the message names a real route over a catch-all: that is the harm
                if found is None or (catch_all(found[0].second) and not catch_all(pair.second)):
                    found = (pair, checked)
        if found is None:
            continue
        pair, checked = found
        victim = pair.second
        refused = ", ".join(sorted({c.spec for c in first.converters.values()
                                    if c.validates}))
        more = f" (and {len(victims) - 1} more routes)" if len(victims) > 1 else ""
        message = (f"validation trap: this route captures URLs that {label(victim)} "
                   f"({where(victim, first)}){more} would answer, then {refused} refuses them: "
                   f"{show(checked.witness)} gets a {checked.result.status}")
        details = {"victims": [route_ref(v) for v in victims[:MAX_LISTED]],
                   "victim_count": len(victims)}
        severity = FATAL_SEVERITY if fatal else VALIDATION_TRAP.severity
        cause = None
        if not fatal and all(catch_all(v) for v in victims):
            # one cause for every route trapping URLs of the same catch-all(s)
            severity = CATCH_ALL_SEVERITY
            cause = ("catch-all", tuple(v.index for v in victims))
        out.append(Finding(VALIDATION_TRAP.code, severity, message,
                           [first, victim], checked.witness, checked.result.endpoint,
                           details, "validation-trap", cause))
    return out


SELF_AMBIGUOUS = Rule(
    "RL111", "self-ambiguous", "info",
    "A single rule whose own pattern is ambiguous or partly dead.",
    "Reports a rule with two or more `path` converters (werkzeug#1288: `/<path:a>/x/"
    "<path:b>` splits `/1/x/2/x/3` one way, silently), an `any` item containing `/` "
    "(it can never match) and an empty `any()` (it matches only an empty segment).",
    "The values a view receives are not what the URL suggests.",
    "- rule: /<path:a>/x/<path:b>",
    "Keep one path converter per rule; drop the dead items.",
)


@SELF_AMBIGUOUS.checks
def check_self_ambiguous(run) -> list:
    """RL111 for every rule: two slash-spanning converters, dead or empty any() items."""
    out = []
    for rule in run.analysis.table.rules:
        out += _self_ambiguous(run.analysis, rule)
    return out


def _self_ambiguous(analysis, rule) -> list[Finding]:
    """RL111's findings for one rule."""
    out = []
    for part in rule.parts:
        converters = part.converters
        if len(converters) < 2:
            continue
        spanning = [c for c in converters if not c.part_isolating]
        if len(spanning) >= 2:
            finding = _path_ambiguity(analysis, rule, part)
            if finding is not None:
                out.append(finding)
    for name, conv in rule.converters.items():
        if isinstance(conv, AnyConverter):
            if not conv.items:
                out.append(Finding(SELF_AMBIGUOUS.code, SELF_AMBIGUOUS.severity,
                                   f"'{name}': any() without items matches "
                                   f"only an empty segment", [rule], kind="self-ambiguous"))
            dead = [item for item in conv.items if "/" in item]
            if dead:
                shown = ", ".join(repr(item) for item in dead)
                out.append(Finding(SELF_AMBIGUOUS.code, SELF_AMBIGUOUS.severity,
                                   f"'{name}': any() item {shown} contains "
                                   f"'/' and can never match a segment", [rule],
                                   kind="self-ambiguous"))
    return out


def _path_ambiguity(analysis, rule, part) -> Finding | None:
    """RL111 for ≥2 slash-spanning converters: a URL that they can split in two ways."""
    try:
        tokens = tokenize(part_texts(rule)[rule.parts.index(part)], require_slash=False)
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
    for checked in witnesses.answers(candidates, rule_method(rule), rule.websocket):
        if not witnesses.matches(checked, rule):
            analysis.stats["model_disagreements"] += 1
            continue
        message = (f"'{first}' and '{second}' both span slashes: {checked.witness.url} gives "
                   f"{first}='1', {second}='2{middle}3' although {first}='1{middle}2', "
                   f"{second}='3' fits too (werkzeug#1288)")
        return Finding(SELF_AMBIGUOUS.code, SELF_AMBIGUOUS.severity, message, [rule],
                       checked.witness,
                       checked.result.endpoint, {"variables": [first, second]},
                       "self-ambiguous")
    return None


ANY_UNQUOTED_NUMBERS = Rule(
    "RL112", "any-unquoted-numbers", "warning",
    "`any(1,2)` is one item \"1,2\", not two.",
    "Werkzeug's converter-argument grammar reads `1,2` as one number token (the dot in "
    "its number pattern is unescaped), so `any(1,2)` accepts only the text `1,2`.",
    "The route never matches `/1` or `/2`, which is what it was written for.",
    "- rule: /<any(1,2):x>     # GET /1 -> 404",
    "Quote the items: `any('1', '2')`.",
)


@ANY_UNQUOTED_NUMBERS.checks
def check_any_numbers(run) -> list:
    """RL112 for every any() whose unquoted items Werkzeug reads as one number token."""
    out = []
    for rule in run.analysis.table.rules:
        for var, conv, arguments in _converter_arguments(rule):
            if arguments.glued and isinstance(conv, AnyConverter):
                items = ", ".join(repr(g) for g in arguments.glued)
                quoted = ", ".join(repr(part) for g in arguments.glued
                                   for part in _split_glued(g))
                out.append(Finding(ANY_UNQUOTED_NUMBERS.code, ANY_UNQUOTED_NUMBERS.severity,
                                   f"{_spec(var)}: {items} is read as one item; write "
                                   f"any({quoted}) for separate items", [rule],
                                   kind="pitfall"))
    return out


MANY_CONVERTERS = Rule(
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
)


_MANY_CONVERTERS = 11


@MANY_CONVERTERS.checks
def check_many_converters(run) -> list:
    """RL113 for every segment with eleven or more converters."""
    out = []
    for rule in run.analysis.table.rules:
        for part in rule.parts:
            if len(part.converters) >= _MANY_CONVERTERS:
                out.append(Finding(
                    MANY_CONVERTERS.code, MANY_CONVERTERS.severity,
                    f"{len(part.converters)} converters in one segment ({part.text!r}): "
                    f"Werkzeug before 3.1.9 orders their values by name as text, so the "
                    f"variables get each other's values", [rule], kind="pitfall"))
    return out


IGNORED_ARGUMENTS = Rule(
    "RL114", "ignored-converter-arguments", "warning",
    "Converter arguments that Werkzeug silently ignores.",
    "Reports arguments to converters that take none (`path`, `uuid`, custom converters "
    "defined by a regex), an unparsable tail of an argument list (Werkzeug stops at it "
    "without an error: `int(5, -)` is `int(5)`), and `minlength`/`maxlength` next to "
    "`length` (length wins).",
    "The rule looks stricter than it is.",
    "- rule: /<path(maxlength=20):p>\n- rule: /<string(length=2, minlength=5):s>",
    "Remove the ignored arguments, or use a converter that supports them.",
)


@IGNORED_ARGUMENTS.checks
def check_ignored_arguments(run) -> list:
    """RL114: an unparsable argument tail, arguments to converters that take none, and
    minlength/maxlength next to length."""
    out = []
    for rule in run.analysis.table.rules:
        for var, conv, arguments in _converter_arguments(rule):
            spec = _spec(var)
            text, position = arguments.text, arguments.parsed_to
            if position < len(text) and text[position:].strip(", "):
                ignored = text[position:].rstrip(",").strip()
                out.append(_ignored(rule, f"{spec}: the arguments from {ignored!r} on cannot "
                                          f"be parsed and Werkzeug silently ignores them"))
            if isinstance(conv, (PathConverter, UUIDConverter, RegexConverter)) and (
                    conv.args or conv.kwargs):
                out.append(_ignored(rule, f"{spec}: converter '{conv.name}' takes no "
                                          f"arguments; they are ignored"))
            if isinstance(conv, StringConverter) and conv.length is not None and (
                    "minlength" in conv.kwargs or "maxlength" in conv.kwargs
                    or len(conv.args) > 1):
                out.append(_ignored(rule, f"{spec}: 'length' is given, so minlength and "
                                          f"maxlength are ignored"))
    return out


def _ignored(rule, message: str) -> Finding:
    return Finding(IGNORED_ARGUMENTS.code, IGNORED_ARGUMENTS.severity, message, [rule],
                   kind="pitfall")


# -- reading a converter's argument text as Werkzeug does ---------------------------------------


class _Arguments:
    """A converter's argument text (with the "," Werkzeug appends), how far Werkzeug's
    grammar parses it, and the unquoted items it reads as one glued number."""

    __slots__ = ("text", "parsed_to", "glued")

    def __init__(self, arguments: str) -> None:
        self.text = arguments + ","
        self.parsed_to = 0
        self.glued: list[str] = []
        for item in converter_argument_re().finditer(self.text):
            if item.start() != self.parsed_to:
                break
            value = item.group("value")
            if item.group("stringval") is None and _glued_number(value):
                self.glued.append(value)
            self.parsed_to = item.end()


def _converter_arguments(rule):
    """(variable, converter, parsed arguments) for each variable of the rule that has
    converter arguments."""
    if "(" not in rule.rule and "(" not in (rule.domain or ""):
        return  # no "<conv(...):name>" anywhere: nothing to tokenize (most rules)
    for var in _variables(rule):
        if var.arguments is None:
            continue
        conv = rule.converters.get(var.name)
        if conv is not None:
            yield var, conv, _Arguments(var.arguments)


def _spec(var) -> str:
    return f"<{var.spec}:{var.name}>"


def _variables(rule) -> list[Variable]:
    """The variables of the rule's host and path, as written."""
    out = []
    for text in (rule.domain, rule.rule):
        if not text:
            continue
        try:
            out += [t for t in tokenize(text, require_slash=False) if isinstance(t, Variable)]
        except RuleSyntaxError:
            continue
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
