"""The lint rules by code, collected from the rule family modules under
:mod:`routecli.analysis.rules` (where each rule's documentation, severity and check live);
``routecli rule CODE`` prints an entry's documentation."""

from __future__ import annotations

from routecli.analysis.rule import Rule
from routecli.analysis.rules import (
    backtracking,
    converters,
    duplicates,
    endpoints,
    meta,
    methods,
    overlaps,
    slashes,
    unreachable,
)

FAMILIES = (duplicates, overlaps, unreachable, methods, slashes, converters, endpoints,
            backtracking, meta)


def _collect() -> dict[str, Rule]:
    found = {}
    for family in FAMILIES:
        for value in vars(family).values():
            if isinstance(value, Rule):
                if value.code in found and found[value.code] is not value:
                    raise AssertionError(f"rule code {value.code} declared twice")
                found[value.code] = value
    return dict(sorted(found.items()))


RULES: dict[str, Rule] = _collect()


def rule_info(code: str) -> Rule:
    """The documentation of one code; raises KeyError for an unknown code."""
    return RULES[code.upper()]
