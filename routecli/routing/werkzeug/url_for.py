"""``url_for`` from text: values typed on a command line (``id=7``) built into the URL Flask
builds from the typed values a program would pass, or the reason no rule can build it.

A command line only has strings, but ``url_for`` compares values with a rule's defaults
(``page=1`` is not ``page="1"``) and hands them to the converters' ``to_url``. So each
rule of the endpoint gets the values the way its view would receive them: a converter
variable is converted to its type (``int``, ``float``, ``uuid``, a Python app's own
``to_python``), a value for a default takes the default's type when its text reads as it,
other values stay strings (the query string). The building itself is
:meth:`RouteTable.build_with_rule`, Werkzeug's ``MapAdapter.build`` (docs/url.md).
"""

from __future__ import annotations

import uuid
from typing import Any

from routecli.errors import quoted
from routecli.routing.url_answer import Refusal, TextValues, UrlAnswer
from routecli.routing.werkzeug.compiler import CompiledRule
from routecli.routing.werkzeug.converters import (
    FloatConverter,
    ForeignConverter,
    IntConverter,
    UUIDConverter,
)

__all__ = ["Refusal", "UrlAnswer", "build_url", "typed_values"]


class RefusedValue(ValueError):
    """A text value a rule cannot take: not of its converter's type, or given twice."""


def typed_value(rule: CompiledRule, key: str, text: str | list[str]) -> Any:
    """``text`` as ``rule`` takes the value ``key`` (see the module docstring)."""
    converter = rule.converters.get(key)
    defaults = rule.defaults or {}
    if converter is None and key not in defaults:
        return text  # not the rule's: the query string, where repeats are fine
    if isinstance(text, list):
        raise RefusedValue(f"{key} is given {len(text)} times; the rule takes one value")
    if converter is not None:
        return _converted(converter, key, text)
    default = defaults[key]
    if isinstance(default, bool):
        return default if text == str(default) else text
    if isinstance(default, (int, float)):
        try:
            number = type(default)(text)
        except ValueError:
            return text
        return number if number == default else text
    return default if text == str(default) else text


def _converted(converter, key: str, text: str) -> Any:
    if isinstance(converter, IntConverter):
        try:
            return int(text)
        except ValueError:
            raise RefusedValue(f"{key}={text!r} is not an integer "
                               f"(<{converter.spec}:{key}>)") from None
    if isinstance(converter, FloatConverter):
        try:
            return float(text)
        except ValueError:
            raise RefusedValue(f"{key}={text!r} is not a number "
                               f"(<{converter.spec}:{key}>)") from None
    if isinstance(converter, UUIDConverter):
        try:
            return uuid.UUID(text)
        except ValueError:
            raise RefusedValue(f"{key}={text!r} is not a UUID (<uuid:{key}>)") from None
    if isinstance(converter, ForeignConverter):
        try:
            return converter.to_python(text)
        except ValueError as exc:
            raise RefusedValue(f"{key}={text!r} is refused by <{converter.spec}:{key}>: "
                               f"{exc}") from None
    return text  # string, path, any, a route file's regex converters: text is their type


def typed_values(rule: CompiledRule, values: TextValues) -> dict[str, Any]:
    """Every value as ``rule`` takes it; raises :class:`RefusedValue`."""
    return {key: typed_value(rule, key, text) for key, text in values.items()}


def _prepare(rule: CompiledRule, values: TextValues) -> dict[str, Any] | None:
    try:
        return typed_values(rule, values)
    except RefusedValue:
        return None


def build_url(table, endpoint: str, values: TextValues, method: str | None = None,
              host: str | None = None, *, force_external: bool = False) -> UrlAnswer:
    """The URL ``url_for(endpoint, **typed values)`` gives, or why there is none. With
    no ``host``, as ``url_for`` outside a request: on the server name and default
    subdomain. Raises RouteError for an invalid host, as :meth:`RouteTable.build` does."""
    answer = UrlAnswer(endpoint, values, method)
    rules = table.rules_by_endpoint.get(endpoint)
    if not rules:
        answer.error = f"no endpoint {quoted(endpoint)}"
        answer.suggest([name for name in table.rules_by_endpoint if isinstance(name, str)])
        return answer
    settings = table.settings
    if (host is None and settings.server_name and settings.subdomain_matching
            and settings.default_subdomain and not settings.host_matching):
        # url_for outside a request binds to SERVER_NAME on the default subdomain.
        host = f"{settings.default_subdomain}.{settings.server_name}"
    try:
        built = table.build_with_rule(endpoint, values, method, host,
                                      force_external=force_external, prepare=_prepare)
    except ValueError as exc:
        # A converter's to_url refused a value (an `any` non-member): url_for raises too.
        answer.error = f"a converter refuses a value: {exc}"
        return answer
    if built is not None:
        answer.url, answer.rule = built
        answer.warning = round_trip_warning(table, answer, host)
        return answer
    answer.refusals = [Refusal(rule, refusal_reason(rule, values, method)) for rule in rules]
    answer.error = f"no rule of endpoint {endpoint!r} can build a URL from these values"
    return answer


def round_trip_warning(table, answer: UrlAnswer, host: str | None) -> str | None:
    """A warning when the built URL does not lead back to the endpoint: ``url_for`` does
    not check values against the converters' patterns or bounds (``int(max=12)`` builds
    ``/13``), nor that another rule does not answer the URL first."""
    rule = answer.rule
    if rule is None or answer.url is None or rule.build_only or rule.websocket:
        return None
    method = answer.method
    if method is None and rule.methods is not None and not rule.methods:
        return None  # a rule with no method answers nothing; lint says so (RL103)
    if method is None:
        method = "GET" if rule.methods is None or "GET" in rule.methods else min(rule.methods)
    from routecli.errors import RouteError

    try:
        result = table.match(method, answer.url, host)
    except RouteError:
        return None
    if result.status == 308 or (result.status == 200 and result.endpoint == answer.endpoint):
        return None
    answered = (f"by endpoint {result.endpoint!r} ({result.rule.rule})" if result.status == 200
                else f"{result.status}")
    return (f"{method} {answer.url} is answered {answered}, not by {answer.endpoint!r}; "
            f"Flask's url_for builds this URL all the same")


def refusal_reason(rule: CompiledRule, values: TextValues, method: str | None) -> str:
    """Why ``rule`` cannot build from ``values`` (Werkzeug's ``suitable_for``, spelt out)."""
    if method is not None and rule.methods is not None and method not in rule.methods:
        return f"does not accept {method} (accepts {', '.join(sorted(rule.methods))})"
    try:
        typed = typed_values(rule, values)
    except RefusedValue as exc:
        return str(exc)
    defaults = rule.defaults or {}
    missing = [name for name in rule.variables if name not in defaults and name not in typed]
    if missing:
        return "needs " + ", ".join(missing)
    for key, default in defaults.items():
        if key in typed and typed[key] != default:
            return f"has the default {key}={default!r}, which {key}={values[key]!r} contradicts"
    return "cannot be built from these values"


def url_names(table) -> list[tuple[str, str, list[str]]]:
    """Every endpoint with each of its rules and the rule's variables, in table order."""
    return [(rule.endpoint, rule.rule, list(rule.arguments)) for rule in table]
