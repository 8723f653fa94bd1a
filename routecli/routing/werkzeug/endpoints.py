"""What a table knows of its rules across rules: Werkzeug's rule identity, the rules of
each endpoint in URL-building order, and the earlier rules whose defaults redirect a rule
(with what the matcher's hot path may then skip for it).

Kept apart from :mod:`routecli.routing.werkzeug.compiler`, which turns one route into
parts: everything here runs once the whole rule list is compiled.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from routecli.routing.werkzeug.compiler import CompiledRule
from routecli.routing.werkzeug.syntax import Slash, Static, Variable, tokenize


def rule_trace(rule: CompiledRule) -> tuple:
    """Werkzeug's rule identity (``Rule.__eq__``): token texts, converters ignored."""
    if rule._trace is None:
        domain_tokens = tokenize(rule.domain, require_slash=False) if rule.domain else []
        rule._trace = _trace(domain_tokens, tokenize(rule.rule_text))
    return rule._trace


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


def endpoint_groups(rules: list[CompiledRule]) -> EndpointIndex:
    """The rules of each endpoint, in Werkzeug's URL-building preference."""
    by_endpoint: dict[Any, list[CompiledRule]] = {}
    for rule in rules:
        by_endpoint.setdefault(rule.endpoint, []).append(rule)
    groups: dict[Any, Any] = {}
    for endpoint, group in by_endpoint.items():
        if len(group) > 1:
            group.sort(key=CompiledRule.build_key)
            groups[endpoint] = tuple(group)
        else:
            groups[endpoint] = group[0]
    return EndpointIndex(groups)


class EndpointIndex(Mapping):
    """Endpoint -> its rules (a tuple) in URL-building preference. Most endpoints have one
    rule, kept bare rather than in a tuple of its own (README.md#performance); a look-up
    gives a tuple either way."""

    __slots__ = ("_groups",)

    def __init__(self, groups: dict[Any, Any]) -> None:
        self._groups = groups

    def __getitem__(self, endpoint: Any) -> tuple[CompiledRule, ...]:
        found = self._groups[endpoint]
        return found if found.__class__ is tuple else (found,)

    def get(self, endpoint: Any, default: Any = None) -> Any:
        found = self._groups.get(endpoint, _MISSING)
        if found is _MISSING:
            return default
        return found if found.__class__ is tuple else (found,)

    def __contains__(self, endpoint: object) -> bool:
        return endpoint in self._groups

    def __iter__(self) -> Iterator[Any]:
        return iter(self._groups)

    def __len__(self) -> int:
        return len(self._groups)


_MISSING = object()


def link_default_providers(rules: list[CompiledRule]) -> None:
    """Record, for each rule, the earlier same-endpoint rules (in build order) whose
    defaults could redirect it (Werkzeug's ``redirect_defaults``), and what the
    matcher's hot path may skip for it."""
    by_endpoint: dict[Any, list[CompiledRule]] = {}
    for rule in rules:
        by_endpoint.setdefault(rule.route.endpoint, []).append(rule)
    for group in by_endpoint.values():
        if len(group) < 2:
            continue
        group.sort(key=CompiledRule.build_key)
        # The earlier rules that can provide defaults, by the arguments they build with
        # (a provider needs the same): 10,000 routes of one endpoint, each with its own
        # default, were compared pairwise (31 s for any command).
        providing: dict[frozenset, list[CompiledRule]] = {}
        for rule in group:
            earlier = providing.get(rule.arguments)
            if earlier:
                trace = rule_trace(rule)
                providers = [other for other in earlier if rule_trace(other) != trace]
                if providers:
                    rule.default_providers = tuple(providers)
            if rule.defaults and not rule.build_only:
                providing.setdefault(rule.arguments, []).append(rule)
    shared: dict = {}  # id(converters) -> to_python, while every rule holds its map
    methods: dict = {}  # id(converter) -> its to_python (one bound method each)
    for rule in rules:
        _mark_fast_path(rule, shared, methods)


def _mark_fast_path(rule: CompiledRule, shared: dict, methods: dict) -> None:
    """What the matcher's hot path may skip for this rule (needs default providers)."""
    route = rule.route
    # Rules sharing their converters (RuleCompiler._converter_map) share this too.
    found = shared.get(id(rule.converters))
    if found is None:
        found = []
        for name, conv in rule.python_converters:
            method = methods.get(id(conv))
            if method is None:
                method = methods[id(conv)] = conv.to_python
            found.append((name, method))
        found = shared[id(rule.converters)] = tuple(found)
    extras = (rule.defaults or route.alias or route.redirect_to is not None
              or rule.default_providers)
    rule.plain = not (extras or found)  # nothing to do after matching
    rule.simple = not extras  # at most converting the values after matching
    rule.to_python = found
