"""Compile a declared :class:`~routecli.model.Route` into matchable parts.

A rule becomes a list of :class:`Part` objects, one per ``/``-separated
segment (the host or subdomain pattern first), exactly as Werkzeug splits
it: static segments are compared by equality, dynamic ones by a regex (or
an equivalent regex-free test), and from the first slash-spanning converter
on, the rest of the rule is one *final* part. Each dynamic part carries
Werkzeug's sort weight, which decides matching priority.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from .converters import (
    Converter,
    ConverterArgumentError,
    ForeignConverter,
    make_converter,
)
from .errors import RouteError
from .model import Route, Settings
from .rules import RuleSyntaxError, Slash, Static, Variable, parse_converter_args, tokenize

_MULTI_SLASH = re.compile("/{2,}")
_PLACEHOLDER = re.compile(r"<([^>]+)>")

# Compiled regexes shared by every part with the same pattern.
_REGEX_CACHE: dict[str, re.Pattern] = {}


def _compiled(pattern: str) -> re.Pattern:
    regex = _REGEX_CACHE.get(pattern)
    if regex is None:
        regex = _REGEX_CACHE[pattern] = re.compile(pattern)
    return regex


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
    )

    def __init__(self, content, static, final, suffixed, weight, groups=(), converters=(),
                 text=""):
        self.content = content
        self.static = static
        self.final = final
        self.suffixed = suffixed
        self.weight = weight
        self.key = (content, final, static, suffixed, weight)
        self.groups: tuple[str, ...] = groups  # group names, in the order values come out
        self.converters: tuple[Converter, ...] = converters  # in the order they appear
        self.text = text  # the rule text this part came from, for messages
        self.regex = None if static else _compiled(content)
        self.quick: Callable[[str], bool] | None = None
        if not static and not final and len(converters) == 1 and content == _single(converters[0]):
            # A lone converter: a regex-free test is exact and several times faster.
            self.quick = converters[0].quick_match()

    def match(self, target: str) -> list[str] | None:
        """The converter values if ``target`` matches this dynamic part, else None."""
        if self.quick is not None:
            return [target] if self.quick(target) else None
        found = self.regex.match(target)
        if found is None:
            return None
        return [found.group(name) for name in self.groups]

    def __repr__(self) -> str:
        kind = "static" if self.static else ("final" if self.final else "dynamic")
        return f"<Part {kind} {self.content!r}>"


def _group(index: int) -> str:
    return f"__rc{index}"


def _single(converter: Converter) -> str:
    return f"(?P<{_group(0)}>{converter.regex})\\Z"


def _weight(static_weights, argument_weights):
    return (-len(static_weights), tuple(static_weights), -len(argument_weights),
            tuple(argument_weights))


def _value_order(count: int) -> tuple[str, ...]:
    # Werkzeug sorts a part's groups by *name as a string*, so with 11 or more
    # converters in one part "10" comes before "2" and values shift. Kept on purpose.
    return tuple(_group(i) for i in sorted(range(count), key=str))


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
            if not static:
                content += r"\Z"
            parts.append(Part(content, static, False, False,
                              _weight(static_weights, argument_weights),
                              _value_order(len(part_converters)), tuple(part_converters), text))
            content, static, text = "", True, ""
            static_weights, argument_weights, part_converters = [], [], []
    suffixed = False
    if final and content.endswith("/"):
        # A slash-spanning part ending in "/": allow the slash to be missing so
        # the matcher can answer with a trailing-slash redirect.
        suffixed = True
        content = content[:-1] + "(?<!/)(/?)"
    if not static:
        content += r"\Z"
    weight = _weight(static_weights, argument_weights)
    parts.append(Part(content, static, final, suffixed, weight,
                      _value_order(len(part_converters)), tuple(part_converters), text))
    if suffixed:
        parts.append(Part("", True, False, False, weight))
    return parts


class CompiledRule:
    """A route ready for matching: its parts, converters and resolved options."""

    __slots__ = (
        "route",
        "index",
        "rule",
        "endpoint",
        "methods",
        "declared_methods",
        "automatic_options",
        "parts",
        "converters",
        "variables",
        "python_converters",
        "defaults",
        "arguments",
        "strict_slashes",
        "merge_slashes",
        "redirect_to",
        "alias",
        "build_only",
        "websocket",
        "host",
        "subdomain",
        "domain",
        "trace",
        "source",
        "default_providers",
        "is_branch",
    )

    def __repr__(self) -> str:
        return f"<CompiledRule #{self.index} {self.rule!r} -> {self.endpoint!r}>"

    @property
    def dynamic(self) -> bool:
        """True when some part (path or host) holds a variable."""
        return bool(self.converters)

    def build_key(self) -> tuple[int, int, int]:
        """Werkzeug's URL-building preference: non-alias, more arguments, more defaults."""
        return (1 if self.alias else 0, -len(self.arguments), -len(self.defaults or ()))


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


def compile_route(route: Route, index: int, settings: Settings,
                  custom_converters: dict) -> CompiledRule:
    """Validate and compile one route; raises :class:`RouteError` located at the route."""
    try:
        return _compile(route, index, settings, custom_converters)
    except RouteError as exc:
        raise exc.with_source(str(route.source) if route.source else None) from None


def _rule_error(route: Route, what: str, message: str) -> RouteError:
    return RouteError(f"{what} {route.rule!r}: {message}" if what == "rule"
                      else f"{what}: {message}",
                      str(route.source) if route.source else None)


def _compile(route: Route, index: int, settings: Settings, custom: dict) -> CompiledRule:
    if not isinstance(route.rule, str):
        raise _rule_error(route, "rule", "must be a string")
    merge = settings.merge_slashes if route.merge_slashes is None else route.merge_slashes
    strict = settings.strict_slashes if route.strict_slashes is None else route.strict_slashes
    rule_text = _MULTI_SLASH.sub("/", route.rule) if merge else route.rule

    if settings.host_matching:
        domain_text, domain_what = route.host or "", "host"
    else:
        subdomain = settings.default_subdomain if route.subdomain is None else route.subdomain
        domain_text, domain_what = subdomain or "", "subdomain"

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

    converters: dict[str, Converter] = {}
    prebuilt = route.converters or {}

    def converter_for(token: Variable) -> Converter:
        obj = prebuilt.get(token.name)
        if obj is not None:
            converter = obj if isinstance(obj, Converter) else ForeignConverter(obj,
                                                                                token.converter)
        else:
            try:
                args, kwargs = parse_converter_args(token.arguments or "")
                converter = make_converter(token.converter, args, kwargs, custom)
            except RuleSyntaxError as exc:
                raise _rule_error(route, "rule",
                                  f"{exc.message} in '<{token.spec}:{token.name}>' at column "
                                  f"{token.column}") from None
            except LookupError:
                known = ", ".join(sorted(set(custom) | {"string", "int", "float", "path", "any",
                                                        "uuid"}))
                raise _rule_error(route, "rule",
                                  f"unknown converter '{token.converter}' at column "
                                  f"{token.column + 1} (known: {known})") from None
            except ConverterArgumentError as exc:
                raise _rule_error(route, "rule", f"{exc} at column {token.column}") from None
        converters[token.name] = converter
        return converter

    domain_parts = build_parts(domain_tokens, converter_for) if domain_tokens else [
        Part("", True, False, False, (0, (), 0, ()))]
    path_parts = build_parts(path_tokens, converter_for)
    for part in path_parts + domain_parts:
        if part.regex is None and not part.static:  # pragma: no cover - defensive
            raise _rule_error(route, "rule", "could not compile")

    defaults = route.defaults
    if defaults is not None and not isinstance(defaults, dict):
        raise _rule_error(route, "defaults", "must be a mapping")
    default_keys = set(map(str, defaults)) if defaults else set()
    for key in default_keys & {"None", "True", "False"}:
        raise _rule_error(route, "defaults", f"key {key!r} cannot be a variable name")

    # Werkzeug's URL builder refuses a variable used twice (unless a default fixes it).
    seen: set[str] = set()
    for token in domain_tokens + path_tokens:
        if isinstance(token, Variable):
            if token.name in seen and token.name not in default_keys:
                raise _rule_error(route, "rule",
                                  f"variable '{token.name}' is used twice (second at column "
                                  f"{token.column})" if token in path_tokens else
                                  f"variable '{token.name}' is used in both the host and the path")
            seen.add(token.name)
    # A default for a variable is converted to URL form when the rule is added.
    for name in default_keys & seen:
        try:
            converters[name].to_url(defaults[name])
        except Exception as exc:  # noqa: BLE001 - converter code decides
            raise _rule_error(route, "defaults",
                              f"default {name}={defaults[name]!r} is not valid for converter "
                              f"'{converters[name].name}': {exc}") from None

    methods, automatic = effective_methods(route, settings)
    if route.websocket and methods is not None and methods - {"GET", "HEAD", "OPTIONS"}:
        raise _rule_error(route, "methods",
                          "websocket rules can only use GET, HEAD and OPTIONS")
    if isinstance(route.redirect_to, str):
        for name in _PLACEHOLDER.findall(route.redirect_to):
            if name not in converters:
                raise _rule_error(route, "redirect_to",
                                  f"{route.redirect_to!r}: placeholder <{name}> is not a "
                                  f"variable of the rule (use bare <name> placeholders)")

    compiled = CompiledRule()
    compiled.route = route
    compiled.index = index
    compiled.rule = route.rule
    compiled.endpoint = route.endpoint
    compiled.methods = methods
    compiled.declared_methods = route.methods
    compiled.automatic_options = automatic
    compiled.parts = domain_parts + path_parts
    compiled.converters = converters
    compiled.variables = tuple(converters)
    compiled.python_converters = tuple(
        (name, conv) for name, conv in converters.items()
        if type(conv).to_python is not Converter.to_python or conv.validates
    )
    compiled.defaults = dict(defaults) if defaults else None
    compiled.arguments = frozenset(seen | default_keys)
    compiled.strict_slashes = bool(strict)
    compiled.merge_slashes = bool(merge)
    compiled.redirect_to = route.redirect_to
    compiled.alias = bool(route.alias)
    compiled.build_only = bool(route.build_only)
    compiled.websocket = bool(route.websocket)
    compiled.host = route.host
    compiled.subdomain = domain_text if not settings.host_matching else None
    compiled.domain = domain_text
    compiled.trace = _trace(domain_tokens, path_tokens)
    compiled.source = route.source
    compiled.default_providers = ()
    compiled.is_branch = route.rule.endswith("/")
    return compiled


def _trace(domain_tokens, path_tokens) -> tuple:
    """Werkzeug's rule identity: the token texts, with converters ignored."""
    out: list[tuple[bool, str]] = []
    for token in domain_tokens:
        out.append(_trace_item(token))
    out.append((False, "|"))
    for token in path_tokens:
        out.append(_trace_item(token))
    return tuple(out)


def _trace_item(token) -> tuple[bool, str]:
    if isinstance(token, Variable):
        return True, token.name
    if isinstance(token, Static):
        return False, token.text
    assert isinstance(token, Slash)
    return False, "/"


def link_default_providers(rules: list[CompiledRule]) -> dict[Any, list[CompiledRule]]:
    """Group rules by endpoint in build order and record, for each rule, the
    earlier same-endpoint rules whose defaults could redirect it (Werkzeug's
    ``redirect_defaults``). Returns the endpoint → rules mapping."""
    by_endpoint: dict[Any, list[CompiledRule]] = {}
    for rule in rules:
        by_endpoint.setdefault(rule.endpoint, []).append(rule)
    for endpoint, group in by_endpoint.items():
        group.sort(key=CompiledRule.build_key)
        if len(group) < 2:
            continue
        for position, rule in enumerate(group):
            providers = [
                other for other in group[:position]
                if other.defaults and not other.build_only and other.trace != rule.trace
                and other.arguments == rule.arguments
            ]
            rule.default_providers = tuple(providers)
    return by_endpoint
