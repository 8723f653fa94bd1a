"""Which earlier rules of an endpoint may provide defaults to a later one (Werkzeug's
``redirect_defaults``): found through an index by build arguments, checked here against
the definition read pairwise."""

from __future__ import annotations

from helpers import table
from routecli.routing.werkzeug.compiler import CompiledRule
from routecli.routing.werkzeug.endpoints import rule_trace


def pairwise(rules) -> dict[int, tuple[int, ...]]:
    by_endpoint: dict = {}
    for rule in rules:
        by_endpoint.setdefault(rule.route.endpoint, []).append(rule)
    found = {}
    for group in by_endpoint.values():
        group = sorted(group, key=CompiledRule.build_key)
        for position, rule in enumerate(group):
            providers = tuple(other.index for other in group[:position]
                              if other.defaults and not other.build_only
                              and other.arguments == rule.arguments
                              and rule_trace(other) != rule_trace(rule))
            if providers:
                found[rule.index] = providers
    return found


def test_providers_are_those_of_the_pairwise_definition():
    rules = [
        ("/p/", "e", {"defaults": {"x": 1}}),
        ("/p/<x>", "e"),
        ("/b/", "e", {"defaults": {"x": 2}, "build_only": True}),  # never a provider
        ("/q/<x>", "e"),
        ("/p/", "e", {"defaults": {"x": 3}}),  # the same trace as the first: not its
        ("/r/<x>/<y>", "e"),  # other arguments: none
        ("/s/", "e", {"defaults": {"x": 4, "y": 5}}),
        ("/t/<x>/<y>", "e"),
        ("/u/", "f", {"defaults": {"x": 1}}),  # another endpoint
        ("/u/<x>", "f"),
    ]
    tbl = table(*rules)
    expected = pairwise(tbl.rules)
    got = {rule.index: tuple(other.index for other in rule.default_providers)
           for rule in tbl.rules if rule.default_providers}
    assert got == expected
    assert expected  # the table exercises providers at all
    assert {2} & {i for providers in got.values() for i in providers} == set()


def test_many_rules_of_one_endpoint_each_with_its_own_default():
    # each its own arguments: no provider, and no pairwise scan (10,000 took 31 s)
    tbl = table(*[(f"/v{i}/<int:a>/<b>", "one", {"defaults": {f"k{i}": i}})
                  for i in range(3000)])
    assert not any(rule.default_providers for rule in tbl.rules)
    assert pairwise(tbl.rules) == {}
