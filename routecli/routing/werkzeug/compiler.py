"""Compile a declared :class:`~routecli.routing.model.Route` into matchable parts.

A rule becomes a list of :class:`Part` objects, one per ``/``-separated
segment (the host or subdomain pattern first), exactly as Werkzeug splits
it: static segments are compared by equality, dynamic ones by a regex (or
an equivalent regex-free test), and from the first slash-spanning converter
on, the rest of the rule is one *final* part. Each dynamic part carries
Werkzeug's sort weight, which decides matching priority.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

from routecli.errors import RouteError
from routecli.routing.model import Route, Settings
from routecli.routing.urls import merge_slashes
from routecli.routing.werkzeug.converters import (
    BUILTIN_NAMES,
    Converter,
    ConverterArgumentError,
    ForeignConverter,
    RegexConverter,
    make_converter,
)
from routecli.routing.werkzeug.syntax import (
    RuleSyntaxError,
    Slash,
    Static,
    Variable,
    parse_converter_args,
    tokenize,
)

# A redirect_to placeholder: a bare <name> filled with that variable's value.
REDIRECT_PLACEHOLDER = re.compile(r"<([^>]+)>")

# Compiled regexes shared by every part with the same pattern (bounded: a long-lived
# process may compile many tables).
_compiled = lru_cache(maxsize=4096)(re.compile)


class Part:
    """One step of a rule: a static segment, or a dynamic one matched by a regex.

    ``weight`` is Werkzeug's sort key for dynamic parts (lower sorts first):
    (-#static chunks, [(index, -len(chunk))...], -#converters, [converter weights]).
    ``key`` identifies parts that share one transition in the matcher (names ignored).
    """

    __slots__ = (
        "content",
        "static",
        "final",
        "suffixed",
        "weight",
        "key",
        "regex",
        "quick",
        "groups",
        "converters",
        "text",
        "guard",
        "guarded_whole",
    )

    def __init__(self, content, static, final, suffixed, weight, groups=(), converters=(),
                 text=""):
        self.content = content
        self.static = static
        self.final = final
        self.suffixed = suffixed
        self.weight = weight
        # A static part is its text (StaticPart); equal texts match alike whatever the weight.
        self.key = content if static else (content, final, static, suffixed, weight)
        self.groups: tuple[str, ...] = groups  # group names, in the order values come out
        self.converters: tuple[Converter, ...] = converters  # in the order they appear
        self.text = text  # the rule text this part came from, for messages
        self.regex = None if static else _compiled(content)
        self.quick: Callable[[str], bool] | None = None
        # For a custom regex re could backtrack on for ages: a linear-time test of the
        # whole part, run before (or, for a lone converter, instead of) the regex.
        self.guard: Callable[[str], bool] | None = None
        self.guarded_whole = False  # the guard decides, and the value is the whole target
        lone = len(converters) == 1 and content == _single(converters[0])
        if not static and not final and lone:
            # A lone converter: a regex-free test is exact and several times faster.
            self.quick = converters[0].quick_match()
        if not static and any(isinstance(conv, (RegexConverter, ForeignConverter))
                              and _backtracking().backtracking_risk(conv.regex)
                              for conv in converters):
            self.guard = _backtracking().linear_test(content)
            if self.guard is None:  # beyond the automata: re, for a bounded time
                self.regex = _backtracking().BudgetedPattern(self.regex, "a converter regex")
            if self.guard is not None and lone:
                self.guarded_whole = True
                if not final:
                    self.quick = self.guard  # the matcher's segment test

    def match(self, target: str) -> list[str] | None:
        """The converter values if ``target`` matches this dynamic part, else None."""
        if self.quick is not None:
            return [target] if self.quick(target) else None
        if self.guard is not None:
            if not self.guard(target):
                return None
            if self.guarded_whole:
                return [target]
        found = self.regex.match(target)
        if found is None:
            return None
        return [found.group(name) for name in self.groups]

    def match_rest(self, segments: list[str], index: int) -> tuple[list[str], list[str]] | None:
        """For a final part: its values over ``segments[index:]`` and the segments left, or None.

        What is left is ``[""]`` when a suffixed part's own trailing slash was present (only
        the rule's trailing ``""`` part can follow), else nothing: without that slash the
        rule matches only through a trailing-slash redirect.
        """
        target = "/".join(segments[index:])
        if self.suffixed:
            if self.guard is not None and not self.guard(target):
                return None
            found = self.regex.match(target)
            if found is None:
                return None
            return ([found.group(name) for name in self.groups],
                    [""] if found.groups()[-1] == "/" else [])
        captured = self.match(target)
        if captured is None:
            return None
        return captured, []

    def __repr__(self) -> str:
        kind = "static" if self.static else ("final" if self.final else "dynamic")
        return f"<Part {kind} {self.content!r}>"


class StaticPart:
    """A static segment, as :class:`Part` reads it but lighter (README.md#performance: a
    table has one per distinct segment text): its text and weight; every other field is
    a class attribute at a static part's value."""

    __slots__ = ("content", "weight")

    static = True
    final = False
    suffixed = False
    regex = None
    quick = None
    guard = None
    guarded_whole = False
    groups: tuple[str, ...] = ()
    converters: tuple = ()

    def __init__(self, content: str, weight) -> None:
        self.content = content
        self.weight = weight

    @property
    def key(self) -> str:
        """Equal texts match alike (as :attr:`Part.key` of a static part)."""
        return self.content

    @property
    def text(self) -> str:
        return self.content

    def __repr__(self) -> str:
        return f"<Part static {self.content!r}>"


def _group(index: int) -> str:
    return f"__rc{index}"


def _single(converter: Converter) -> str:
    return f"(?P<{_group(0)}>{converter.regex})\\Z"


def _weight(static_weights, argument_weights):
    return (-len(static_weights), tuple(static_weights), -len(argument_weights),
            tuple(argument_weights))


@cache
def _value_order(count: int) -> tuple[str, ...]:
    # Values come out in converter order. (Werkzeug before 3.1.9 sorted the groups
    # by name as a string, shuffling parts with 11+ converters; lint still warns.)
    return tuple(_group(i) for i in range(count))


def build_parts(tokens: list, converters_for: Callable[[Variable], Converter]) -> list[Part]:
    """Turn rule tokens into parts the way Werkzeug's rule parser does."""
    parts: list[Part] = []
    content = ""
    static = True
    final = False
    static_weights: list[tuple[int, int]] = []
    argument_weights: list[int] = []
    part_converters: list[Converter] = []
    text = ""
    for token in tokens:
        if isinstance(token, Static):
            static_weights.append((len(static_weights), -len(token.text)))
            content += token.text if static else re.escape(token.text)
            text += token.text
        elif isinstance(token, Variable):
            if static:
                content = re.escape(content)  # from now on the part is a regex
            static = False
            converter = converters_for(token)
            if not converter.part_isolating:
                final = True
            content += f"(?P<{_group(len(part_converters))}>{converter.regex})"
            part_converters.append(converter)
            argument_weights.append(converter.weight)
            text += f"<{token.spec}:{token.name}>"
        else:  # a slash
            if final:
                content += "/"
                text += "/"
                continue
            if static:
                parts.append(StaticPart(content, _weight(static_weights, argument_weights)))
            else:
                parts.append(Part(content + r"\Z", False, False, False,
                                  _weight(static_weights, argument_weights),
                                  _value_order(len(part_converters)), tuple(part_converters),
                                  text))
            content, static, text = "", True, ""
            static_weights, argument_weights, part_converters = [], [], []
    suffixed = False
    if final and content.endswith("/"):
        # A slash-spanning part ending in "/": allow the slash to be missing so
        # the matcher can answer with a trailing-slash redirect.
        suffixed = True
        content = content[:-1] + "(?<!/)(/?)"
    weight = _weight(static_weights, argument_weights)
    if static:
        parts.append(StaticPart(content, weight))
    else:
        parts.append(Part(content + r"\Z", False, final, suffixed, weight,
                          _value_order(len(part_converters)), tuple(part_converters), text))
    if suffixed:
        parts.append(StaticPart("", weight))
    return parts


class CompiledRule:
    """A route ready for matching: its parts, converters and resolved options.

    Memory (README.md#performance): what matching reads is in slots; what only
    messages, URL building and the analysis read (the rule's text, endpoint, source,
    redirect target...) is read through from the declared :class:`Route`, or derived
    (``arguments``, ``python_converters``). The fields few rules set (defaults, default
    providers, rule_trace's cache) share one slot, None for most rules; there is no
    instance dict.
    """

    __slots__ = (
        "route",
        "index",
        "methods",
        "automatic_options",
        "parts",
        "converters",
        "variables",
        "strict_slashes",
        "merge_slashes",
        "domain",
        "plain",
        "simple",
        "to_python",
        "websocket",
        "_rare",  # None, or a dict of the rarely set fields (the properties below)
    )

    def _set_rare(self, name: str, value, unset) -> None:
        rare = self._rare
        if value == unset:
            if rare is not None:
                rare.pop(name, None)
        elif rare is None:
            self._rare = {name: value}
        else:
            rare[name] = value

    @property
    def defaults(self) -> dict[str, Any] | None:
        rare = self._rare
        return None if rare is None else rare.get("defaults")

    @defaults.setter
    def defaults(self, value: dict[str, Any] | None) -> None:
        self._set_rare("defaults", value, None)

    @property
    def default_providers(self) -> tuple[CompiledRule, ...]:
        """The earlier same-endpoint rules whose defaults could redirect this one."""
        rare = self._rare
        return () if rare is None else rare.get("default_providers", ())

    @default_providers.setter
    def default_providers(self, value: tuple[CompiledRule, ...]) -> None:
        self._set_rare("default_providers", value, ())

    @property
    def _trace(self) -> tuple | None:
        """rule_trace's cache (only rules that build URLs or share an endpoint ask)."""
        rare = self._rare
        return None if rare is None else rare.get("trace")

    @_trace.setter
    def _trace(self, value: tuple | None) -> None:
        self._set_rare("trace", value, None)

    @property
    def arguments(self) -> frozenset[str]:
        """The names URL building takes: the variables and the defaults' keys."""
        rare = self._rare
        if rare is not None and "arguments" in rare:
            return rare["arguments"]
        return _variable_set(self.variables)

    @property
    def python_converters(self) -> tuple[tuple[str, Converter], ...]:
        """(name, converter) of the converters that convert or validate a value."""
        return _python_converters(self.converters)

    @property
    def rule(self) -> str:
        return self.route.rule

    @property
    def endpoint(self) -> str:
        return self.route.endpoint

    @property
    def declared_methods(self) -> tuple[str, ...] | None:
        return self.route.methods

    @property
    def redirect_to(self):
        return self.route.redirect_to

    @property
    def host(self) -> str | None:
        return self.route.host

    @property
    def source(self):
        return self.route.source

    @property
    def alias(self) -> bool:
        return bool(self.route.alias)

    @property
    def build_only(self) -> bool:
        return bool(self.route.build_only)

    @property
    def rule_text(self) -> str:
        """The rule as matched: with merge_slashes, its repeated slashes merged."""
        rule = self.route.rule
        return merge_slashes(rule) if self.merge_slashes and "//" in rule else rule

    @property
    def is_branch(self) -> bool:
        return self.route.rule.endswith("/")

    @property
    def static_path(self) -> str | None:
        """The path of a rule without variables (None if it has any)."""
        if not all(part.static for part in self.parts):
            return None
        # A static domain is one part per "/"-separated piece (build_parts).
        path = "/".join(part.content for part in self.parts[1 + self.domain.count("/"):])
        # Usually the rule's own text: keep that string rather than an equal copy.
        text = self.rule_text
        return text if path == text else path

    @property
    def mutable_defaults(self) -> bool:
        """Whether a default value is mutable (an answer gets a copy of it)."""
        return any(not isinstance(value, (str, int, float, bool, type(None)))
                   for value in (self.defaults or {}).values())

    def __repr__(self) -> str:
        return f"<CompiledRule #{self.index} {self.rule!r} -> {self.endpoint!r}>"

    def build_key(self) -> tuple[int, int, int]:
        """Werkzeug's URL-building preference: non-alias, more arguments, more defaults."""
        return (1 if self.route.alias else 0, -len(self.arguments), -len(self.defaults or ()))


def effective_methods(route: Route, settings: Settings) -> tuple[frozenset | None, bool]:
    """The methods a rule accepts once HEAD and Flask's automatic OPTIONS are added.

    Returns (methods or None for "any", whether OPTIONS was added automatically).
    """
    if route.methods is None:
        return None, False
    methods = set(route.methods)
    automatic = False
    provide = route.provide_automatic_options
    # Flask adds OPTIONS only when it decides on its own; an explicit True does not
    # add it, but still makes Flask answer OPTIONS itself when the rule lists it.
    if provide is None and "OPTIONS" not in methods and settings.automatic_options:
        methods.add("OPTIONS")
        automatic = True
    elif provide:
        automatic = True
    if "GET" in methods:
        methods.add("HEAD")
    return frozenset(methods), automatic


def _rule_error(route: Route, what: str, message: str) -> RouteError:
    return RouteError(f"{what} {route.rule!r}: {message}" if what == "rule"
                      else f"{what}: {message}",
                      str(route.source) if route.source else None)


# Equal variable sets shared (bounded: a long-lived process may compile many tables).
_VARIABLE_SETS: dict[tuple, frozenset] = {}


def _variable_set(variables: tuple[str, ...]) -> frozenset[str]:
    found = _VARIABLE_SETS.get(variables)
    if found is None:
        found = frozenset(variables)
        if len(_VARIABLE_SETS) < 4096:
            _VARIABLE_SETS[variables] = found
    return found


def _python_converters(converters: dict[str, Converter]) -> tuple[tuple[str, Converter], ...]:
    return tuple((name, conv) for name, conv in converters.items()
                 if conv.validates or type(conv).to_python is not Converter.to_python)


_NO_SEGMENT = object()  # cache marker: this segment needs the general path


class RuleCompiler:
    """Compiles the routes of one table, sharing work between them.

    Real tables repeat segments ("users", "<int:id>") thousands of times, so
    each distinct segment is parsed and turned into a :class:`Part` once, and
    each distinct converter spec is instantiated once (converters and parts
    are immutable). Anything unusual (a slash-spanning converter, a variable
    with a "/" in its arguments, an error) takes the general path, which
    gives the precise error messages.
    """

    def __init__(self, settings: Settings, custom: dict) -> None:
        self.settings = settings
        # Equal small immutables (variable names, argument sets) shared between the rules of
        # one table: REST tables repeat a few shapes thousands of times.
        self._shared: dict = {}
        self._maps: dict[tuple, dict] = {}
        self.custom = custom
        self._segments: dict[str, Any] = {}
        # One Part per shape: segments differing only in variable names ("<int:id>",
        # "<int:user_id>") match alike, so they share a part (see part_texts).
        self._parts: dict[tuple, Part] = {}
        self._converters: dict[tuple[str, str | None], Converter] = {}
        self._methods: dict[tuple, tuple[frozenset | None, bool]] = {}

    def compile(self, route: Route, index: int) -> CompiledRule:
        try:
            return self._compile(route, index)
        except RouteError as exc:
            raise exc.with_source(str(route.source) if route.source else None) from None

    # -- segments and converters ---------------------------------------------------------

    def _converter(self, token: Variable) -> Converter:
        key = (token.converter, token.arguments)
        converter = self._converters.get(key)
        if converter is None:
            args, kwargs = parse_converter_args(token.arguments or "")
            converter = make_converter(token.converter, args, kwargs, self.custom)
            self._converters[key] = converter
        return converter

    def _segment(self, text: str):
        """(Part, variable names) for one path segment, or _NO_SEGMENT."""
        cached = self._segments.get(text)
        if cached is not None:
            return cached
        result = _NO_SEGMENT
        try:
            tokens = tokenize("/" + text)[1:]
            names = tuple(t.name for t in tokens if isinstance(t, Variable))
            if not any(isinstance(t, Slash) for t in tokens):
                parts = build_parts(tokens, self._converter)
                if len(parts) == 1 and not parts[0].final:
                    result = (self._shared_part(parts[0]), names)
        except (RuleSyntaxError, LookupError, ValueError, TypeError):
            pass
        self._segments[text] = result
        return result

    def _fast_parts(self, rule_text: str):
        """The path parts of a rule via the segment cache, or None."""
        parts: list[Part] = []
        names: list[str] = []
        for text in rule_text.split("/"):
            if "<" not in text and ">" not in text:
                cached = self._segments.get(text)
                if cached is None:
                    cached = self._segments[text] = (self._shared_part(_static_part(text)), ())
            else:
                cached = self._segment(text)
                if cached is _NO_SEGMENT:
                    return None
            parts.append(cached[0])
            names.extend(cached[1])
        return parts, names

    def _share(self, value):
        return self._shared.setdefault(value, value)

    def _shared_part(self, part):
        """The table's part of this shape, its pieces shared with equal ones (REST tables
        repeat a few shapes thousands of times: README.md#performance)."""
        shape = (part.key, part.groups, tuple(map(id, part.converters)))
        found = self._parts.get(shape)
        if found is None:
            share = self._share
            part.content = share(part.content)
            part.weight = share(part.weight)
            if not part.static:
                part.key = share((part.content, part.final, part.static, part.suffixed,
                                  part.weight))
                part.converters = share(part.converters)
            found = self._parts[shape] = part
        return found

    def _converter_map(self, converters: dict[str, Converter]) -> dict[str, Converter]:
        """The rule's converters by name, one shared dict per distinct map (never changed
        once compiled): most rules repeat a few."""
        key = tuple((name, id(conv)) for name, conv in converters.items())
        found = self._maps.get(key)
        if found is None:
            found = self._maps[key] = converters
        return found

    def _methods_for(self, route: Route) -> tuple[frozenset | None, bool]:
        key = (route.methods, route.provide_automatic_options)
        found = self._methods.get(key)
        if found is None:
            found = self._methods[key] = effective_methods(route, self.settings)
        return found

    # -- one route -----------------------------------------------------------------------

    def _compile(self, route: Route, index: int) -> CompiledRule:
        settings = self.settings
        if not isinstance(route.rule, str):
            raise _rule_error(route, "rule", "must be a string")
        merge = settings.merge_slashes if route.merge_slashes is None else route.merge_slashes
        strict = settings.strict_slashes if route.strict_slashes is None else route.strict_slashes
        rule_text = route.rule
        if merge and "//" in rule_text:
            rule_text = merge_slashes(rule_text)

        if settings.host_matching:
            domain_text, domain_what = route.host or "", "host"
        else:
            subdomain = (settings.default_subdomain if route.subdomain is None
                         else route.subdomain)
            domain_text, domain_what = subdomain or "", "subdomain"

        converters: dict[str, Converter] = {}
        fast = None
        if not route.converters and rule_text.startswith("/") and not domain_text:
            fast = self._fast_parts(rule_text)
        if fast is not None:
            path_parts, names = fast
            domain_parts = [_EMPTY_DOMAIN]
            position = 0
            for part in path_parts:
                for converter in part.converters:
                    converters[names[position]] = converter
                    position += 1
            variables_seen = names
        else:
            domain_parts, path_parts, variables_seen = self._general_parts(
                route, rule_text, domain_text, domain_what, converters)

        defaults = route.defaults
        if defaults is not None and not isinstance(defaults, dict):
            raise _rule_error(route, "defaults", "must be a mapping")
        default_keys = set(map(str, defaults)) if defaults else set()
        for key in default_keys & {"None", "True", "False"}:
            raise _rule_error(route, "defaults", f"key {key!r} cannot be a variable name")

        # Werkzeug's URL builder refuses a variable used twice (unless a default fixes it).
        seen: set[str] = set()
        for name in variables_seen:
            if name in seen and name not in default_keys:
                raise _rule_error(route, "rule", f"variable '{name}' is used twice")
            seen.add(name)
        # A default for a variable is converted to URL form when the rule is added.
        for name in default_keys & seen:
            try:
                converters[name].to_url(defaults[name])
            except Exception as exc:  # noqa: BLE001 - converter code decides
                raise _rule_error(route, "defaults",
                                  f"default {name}={defaults[name]!r} is not valid for "
                                  f"converter '{converters[name].name}': {exc}") from None

        methods, automatic = self._methods_for(route)
        if route.websocket and methods is not None and methods - {"GET", "HEAD", "OPTIONS"}:
            raise _rule_error(route, "methods",
                              "websocket rules can only use GET, HEAD and OPTIONS")
        if isinstance(route.redirect_to, str):
            for name in REDIRECT_PLACEHOLDER.findall(route.redirect_to):
                if name not in converters:
                    raise _rule_error(route, "redirect_to",
                                      f"{route.redirect_to!r}: placeholder <{name}> is not a "
                                      f"variable of the rule (use bare <name> placeholders)")

        compiled = CompiledRule()
        compiled.route = route
        compiled.index = index
        compiled.methods = methods
        compiled.automatic_options = automatic
        compiled.parts = (*domain_parts, *path_parts)
        compiled.converters = self._converter_map(converters)
        compiled.variables = self._share(tuple(converters))
        compiled._rare = None
        if defaults:
            # The arguments are the variables (a derived set) unless defaults add keys.
            compiled._rare = {"defaults": dict(defaults),
                              "arguments": self._share(frozenset(seen | default_keys))}
        compiled.strict_slashes = bool(strict)
        compiled.merge_slashes = bool(merge)
        compiled.websocket = bool(route.websocket)
        compiled.domain = domain_text
        return compiled

    def _general_parts(self, route: Route, rule_text: str, domain_text: str, domain_what: str,
                       converters: dict) -> tuple[list[Part], list[Part], list[str]]:
        """Tokenize and build parts one token at a time, with precise error messages."""
        try:
            path_tokens = tokenize(route.rule)
            if rule_text != route.rule:
                path_tokens = tokenize(rule_text)
        except RuleSyntaxError as exc:
            raise _rule_error(route, "rule", exc.message) from None
        try:
            domain_tokens = tokenize(domain_text, require_slash=False) if domain_text else []
        except RuleSyntaxError as exc:
            raise _rule_error(route, domain_what, f"{domain_text!r}: {exc.message}") from None

        prebuilt = route.converters or {}
        custom = self.custom

        def converter_for(token: Variable) -> Converter:
            obj = prebuilt.get(token.name)
            if obj is not None:
                converter = obj if isinstance(obj, Converter) else ForeignConverter(
                    obj, token.converter)
            else:
                try:
                    converter = self._converter(token)
                except RuleSyntaxError as exc:
                    raise _rule_error(route, "rule",
                                      f"{exc.message} in '<{token.spec}:{token.name}>' at "
                                      f"column {token.column}") from None
                except LookupError:
                    known = ", ".join(sorted(set(custom) | set(BUILTIN_NAMES) - {"default"}))
                    raise _rule_error(route, "rule",
                                      f"unknown converter '{token.converter}' at column "
                                      f"{token.column + 1} (known: {known})") from None
                except ConverterArgumentError as exc:
                    raise _rule_error(route, "rule", f"{exc} at column {token.column}") from None
            converters[token.name] = converter
            return converter

        domain_parts = (build_parts(domain_tokens, converter_for) if domain_tokens
                        else [_EMPTY_DOMAIN])
        path_parts = build_parts(path_tokens, converter_for)
        names = [t.name for t in domain_tokens + path_tokens if isinstance(t, Variable)]
        return domain_parts, path_parts, names


def part_texts(rule: CompiledRule) -> list[str]:
    """The rule text each of ``rule.parts`` came from, e.g. ``<int:user_id>``.

    A part's own ``text`` is that of the first segment that made it, which may name
    another rule's variables (the compiler shares parts that differ only in names), so
    messages about a rule's part read the text here.
    """
    converters = rule.converters

    def converter_for(token: Variable) -> Converter:
        return converters[token.name]

    domain_tokens = tokenize(rule.domain, require_slash=False) if rule.domain else []
    domain_parts = build_parts(domain_tokens, converter_for) if domain_tokens else [_EMPTY_DOMAIN]
    path_parts = build_parts(tokenize(rule.rule_text), converter_for)
    return [part.text for part in (*domain_parts, *path_parts)]


def _static_part(text: str) -> StaticPart:
    """The part of a static segment (immutable; the compiler shares one per text)."""
    return StaticPart(text, _weight([(0, -len(text))] if text else [], []))


_EMPTY_DOMAIN = _static_part("")  # the domain part of every rule without host/subdomain


def _backtracking():
    """routing/backtracking, loaded for the first regex converter (not at start-up)."""
    from routecli.routing import backtracking

    return backtracking
