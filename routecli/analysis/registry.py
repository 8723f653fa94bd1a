"""The lint rules by code, collected from the rule family modules under
:mod:`routecli.analysis.rules` (where each rule's documentation, severity and check live);
``routecli rule CODE`` prints an entry's documentation."""

from __future__ import annotations

from collections.abc import Collection

from routecli.analysis.rule import DEFAULT_ON, READS_DEFAULT_ON, Rule
from routecli.analysis.rules import (
    backtracking,
    converters,
    django_traps,
    duplicates,
    endpoints,
    first_match_order,
    first_match_starlette,
    meta,
    methods,
    overlaps,
    slashes,
    unreachable,
)

FAMILIES = (duplicates, overlaps, unreachable, methods, slashes, converters, endpoints,
            backtracking, first_match_order, first_match_starlette, django_traps, meta)


def _collect() -> tuple[dict[str, Rule], dict[str, str]]:
    found = {}
    family_of = {}
    for family in FAMILIES:
        for value in vars(family).values():
            if isinstance(value, Rule):
                if value.code in found and found[value.code] is not value:
                    raise AssertionError(f"rule code {value.code} declared twice")
                found[value.code] = value
                family_of[value.code] = family.__name__.rsplit(".", 1)[1]
    return dict(sorted(found.items())), family_of


RULES, FAMILY_OF = _collect()


def families_of(dialect) -> list:
    """The rule modules of a dialect's ``rule_families``."""
    wanted = set(dialect.rule_families)
    return [family for family in FAMILIES if family.__name__.rsplit(".", 1)[1] in wanted]


def rules_of(dialect) -> list[Rule]:
    """The rules a dialect's lint runs (its ``rule_families``), in code order."""
    wanted = set(dialect.rule_families)
    return [rule for code, rule in RULES.items() if FAMILY_OF[code] in wanted]


def checks_for(rules: list[Rule], wanted: Collection[str] | None) -> list[Rule]:
    """The rules of ``rules`` (in their order) whose checks a run reporting the codes
    ``wanted`` must run: those codes' own and, transitively, the ones they read
    (``Rule.reads``). None wants every rule."""
    if wanted is None:
        return list(rules)
    by_code = {rule.code: rule for rule in rules}
    needed: set[str] = set()
    todo = [code for code in wanted if code in by_code]
    while todo:
        code = todo.pop()
        if code in needed:
            continue
        needed.add(code)
        reads = by_code[code].reads
        if reads == READS_DEFAULT_ON:
            todo += [rule.code for rule in rules if rule.default == DEFAULT_ON]
        else:
            todo += [rule.code for rule in reads if rule.code in by_code]
    return [rule for rule in rules if rule.code in needed]


def rule_info(code: str) -> Rule:
    """The documentation of one code; raises KeyError for an unknown code."""
    return RULES[code.upper()]
