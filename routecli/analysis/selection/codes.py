"""Rule selection: selector syntax (codes, prefixes, ``ALL``), the default codes, and how
``select`` / ``extend-select`` / ``ignore`` layers resolve (docs/lint.md#selecting-rules)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from routecli.errors import RouteError, quoted

ALL = "ALL"
_SELECTOR = re.compile(r"RL\d{0,3}")


def rule_codes() -> tuple[str, ...]:
    """Every registered rule code, sorted."""
    from routecli.analysis.registry import RULES

    return tuple(sorted(RULES))


def default_codes(codes: Sequence[str] | None = None) -> tuple[str, ...]:
    """The codes enabled when nothing is selected: the rules that are on by default, not
    the opt-in ones (RL105 crossed overlaps, ...) nor those lint never reports (RL104)."""
    from routecli.analysis.registry import RULES
    from routecli.analysis.rule import DEFAULT_ON

    codes = rule_codes() if codes is None else tuple(codes)
    return tuple(code for code in codes if code not in RULES or RULES[code].default == DEFAULT_ON)


def listed_codes(codes: Sequence[str] | None = None) -> tuple[str, ...]:
    """The codes ``conflicts`` lists when nothing is selected: every rule lint can report
    (opt-in ones included: conflicts is the inventory), not those that are off (RL104
    specialisations, RL206 specific-first), which are listed only when selected."""
    from routecli.analysis.registry import RULES
    from routecli.analysis.rule import DEFAULT_OFF

    codes = rule_codes() if codes is None else tuple(codes)
    return tuple(code for code in codes if code not in RULES or RULES[code].default != DEFAULT_OFF)


def parse_codes(value: Any, codes: Sequence[str] | None = None) -> tuple[str, ...]:
    """Parse a selector list: ``"RL101,RL2"`` or ``["RL101", "RL2"]`` -> ``("RL101", "RL2")``.

    Selectors are upper-cased; each must be ``ALL`` or a code or code prefix that names
    at least one registered rule. Raises RouteError("unknown rule code 'RL999' (did you
    mean ...)") without a location: the caller knows where the value came from.
    """
    if isinstance(value, str):
        items = [item for item in re.split(r"[\s,]+", value) if item]
    elif isinstance(value, (list, tuple)):
        items = []
        for item in value:
            if not isinstance(item, str):
                raise RouteError(f"expected rule codes as strings, got {describe_value(item)}")
            items.append(item.strip())
    else:
        raise RouteError(f"expected a list of rule codes like [\"RL102\"], got "
                         f"{describe_value(value)}")
    codes = rule_codes() if codes is None else tuple(codes)
    out: list[str] = []
    for item in items:
        selector = item.upper()
        if selector != ALL and not (_SELECTOR.fullmatch(selector)
                                    and any(code.startswith(selector) for code in codes)):
            raise RouteError(f"unknown rule code {quoted(item)}{_suggest(item, codes)}")
        if selector not in out:
            out.append(selector)
    return tuple(out)


def suggest_code(item: str, choices: Sequence[str]) -> str | None:
    """The code (or prefix) ``item`` was probably meant to be: look-alike characters
    first (``RL1O2`` -> ``RL102``), then the closest spelling; None when nothing is close."""
    wanted = item.strip().upper()
    if wanted[:2] == "RL":
        fixed = "RL" + wanted[2:].translate(str.maketrans("OILSZ", "01152"))
        prefixes = {code[:n] for code in choices for n in range(2, len(code) + 1)}
        if fixed != wanted and fixed in prefixes:
            return fixed
    import difflib

    close = difflib.get_close_matches(wanted, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def _suggest(item: str, codes: Sequence[str]) -> str:
    close = suggest_code(item, list(codes) + [ALL])
    if close:
        return f" (did you mean {close!r}?)"
    return " (run 'routecli rule --all' for the list)"


def describe_value(value: Any) -> str:
    """A setting's value as error messages describe it ("a string", ...)."""
    from routecli.sources.route_file import describe

    return describe(value)


def _matches(selector: str, code: str) -> bool:
    return selector == ALL or code.startswith(selector)


def _specificity(selector: str) -> int:
    return 0 if selector == ALL else len(selector)


class Layer(NamedTuple):
    """One source of selection settings (defaults, config file or command line)."""

    select: tuple[str, ...] | None = None  # None: keep what earlier layers enabled
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


def resolve(layers: Iterable[Layer], codes: Sequence[str] | None = None) -> frozenset[str]:
    """The enabled codes after applying ``layers`` in order (see the module docstring)."""
    codes = rule_codes() if codes is None else tuple(codes)
    enabled: set[str] = set()
    for layer in layers:
        current = set() if layer.select is not None else set(enabled)
        chosen = tuple(layer.select or ()) + tuple(layer.extend_select)
        for code in codes:
            best: tuple[int, bool] | None = None  # (specificity, is_ignore): max wins
            for selector in chosen:
                if _matches(selector, code):
                    candidate = (_specificity(selector), False)
                    best = candidate if best is None else max(best, candidate)
            for selector in layer.ignore:
                if _matches(selector, code):
                    candidate = (_specificity(selector), True)
                    best = candidate if best is None else max(best, candidate)
            if best is None:
                continue
            if best[1]:
                current.discard(code)
            else:
                current.add(code)
        enabled = current
    return frozenset(enabled)


def explicitly_selected(layers: Iterable[Layer], enabled: Iterable[str]) -> frozenset[str]:
    """The ``enabled`` codes that some layer's ``select`` or ``extend-select`` names (by
    code, prefix or ``ALL``): asked for, not merely on by default. Their info findings are
    shown; other info findings are not (docs/lint.md#selection-and-configuration)."""
    chosen = [selector for layer in layers
              for selector in (*(layer.select or ()), *layer.extend_select)]
    return frozenset(code for code in enabled if any(_matches(s, code) for s in chosen))


def most_specific(selectors: Iterable[str], code: str) -> str | None:
    """The selector among ``selectors`` that names ``code`` most specifically, or None."""
    best = None
    for selector in selectors:
        if _matches(selector, code) and (best is None or
                                         _specificity(selector) > _specificity(best)):
            best = selector
    return best
