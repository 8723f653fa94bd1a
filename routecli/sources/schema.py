"""Validate the route-file mapping and build a :class:`~routecli.routing.model.RouteSet`
(docs/sources.md#route-file-schema).

The schema is strict: unknown keys are errors with a "did you mean" suggestion,
booleans must be real booleans, and every error names its key path, e.g.
``routes[2].methods: expected a list of strings, got string 'GET'``. List indexes
in key paths count from 0.

Route ``methods``: a list of method names, upper-cased, duplicates dropped;
the default is ``["GET"]``. The string ``"*"`` (alone, not in a list) means
every method and becomes ``Route.methods = None``, like a Werkzeug ``Rule``
without methods. An empty list is allowed: Flask then answers only OPTIONS.

Rule strings are not parsed here: :mod:`routecli.routing.werkzeug.syntax` does that when the
table is compiled, reporting errors at ``Route.source``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from routecli.errors import RouteError, quoted
from routecli.routing.model import (
    ROUTE_OPTION_DEFAULTS,
    ConverterDef,
    Route,
    RouteSet,
    Settings,
    Source,
)
from routecli.routing.urls import TOKEN_CHARS
from routecli.sources.route_file import MAX_INT_DIGITS, describe

LineOf = Callable[[tuple], "int | None"]

TOP_KEYS = ("settings", "converters", "routes")
SETTING_TYPES: dict[str, type] = {
    "strict_slashes": bool,
    "merge_slashes": bool,
    "redirect_defaults": bool,
    "automatic_options": bool,
    "host_matching": bool,
    "server_name": str,
    "subdomain_matching": bool,
    "default_subdomain": str,
    "trusted_hosts": list,
}
CONVERTER_KEYS = ("regex", "weight", "part_isolating")
# The keys of one route: Route's own fields with Werkzeug/Flask meaning, plus noqa and view.
ROUTE_KEYS = ("rule", "endpoint", "methods", *ROUTE_OPTION_DEFAULTS, "noqa", "view")
_ROUTE_KEY_SET = frozenset(ROUTE_KEYS)
# Booleans that may be null, meaning "inherit the map-wide setting".
_NULLABLE_BOOLS = ("strict_slashes", "merge_slashes", "provide_automatic_options")
_PLAIN_BOOLS = ("alias", "build_only", "websocket")
_OPTIONAL_STRINGS = ("redirect_to", "host", "subdomain", "view")


# Checked with str methods rather than regexes: a compile at import would cost start-up.
def _is_identifier(text: str) -> bool:
    """``[A-Za-z_][A-Za-z0-9_]*``."""
    return text.isascii() and text.isidentifier()


def _is_method_name(text: str) -> bool:
    """RFC 9110 token characters, at least one: what an HTTP method name may be."""
    return bool(text) and TOKEN_CHARS.issuperset(text)


def _is_lint_code(text: str) -> bool:
    """``RL`` and three ASCII digits."""
    digits = text[2:]
    return text.startswith("RL") and len(digits) == 3 and digits.isascii() and digits.isdigit()


# Bounds on one ``defaults`` value: deeper or larger data is no route default, and
# would exhaust the stack or memory of whatever walks or prints it.
MAX_VALUE_DEPTH = 100
MAX_VALUE_SIZE = 1_000_000
# A larger integer (a YAML or TOML hex, binary or base-60 literal is read without
# Python's bound) could not be printed, in JSON or text.
_TOO_MANY_DIGITS = 10**MAX_INT_DIGITS

# The settings keys a source set explicitly: name -> (value, where).
ExplicitSettings = dict[str, tuple[Any, Source]]


def routeset_from_data(data: Any, origin: str, line_of: LineOf | None = None) -> RouteSet:
    """Validate a route-file mapping and build a RouteSet; ``origin`` names the file or module."""
    return parse_routeset(data, origin, line_of)[0]


def parse_routeset(
    data: Any, origin: str, line_of: LineOf | None = None
) -> tuple[RouteSet, ExplicitSettings]:
    """Like :func:`routeset_from_data`, also returning the settings set explicitly and where."""
    return _Validator(origin, line_of).routeset(data)


def format_keys(keys: tuple) -> str:
    """``("routes", 2, "methods")`` -> ``routes[2].methods``."""
    out = ""
    for key in keys:
        if isinstance(key, int) and not isinstance(key, bool):
            out += f"[{key}]"
        elif isinstance(key, str) and _is_identifier(key):
            out += f".{key}" if out else key
        else:
            out += f"[{key!r}]"
    return out


def shown_key(key: Any) -> str:
    """A mapping key as a message shows it: ``'name'``, ``1``, or ``null`` for YAML's ``~``
    (never Python's ``None``)."""
    return "null" if key is None else quoted(key)


def did_you_mean(key: Any, choices: tuple[str, ...] | list[str]) -> str:
    """A " (did you mean 'x'?)" suffix for a misspelt key, or ""."""
    if isinstance(key, bool):
        # YAML 1.1 reads unquoted yes/no/on/off as booleans, keys included.
        return " (YAML reads unquoted yes/no/on/off/true/false as booleans: quote the key)"
    if key is None:
        return " (YAML reads an unquoted ~ or null as no value: quote the key)"
    if not isinstance(key, str):
        return ""
    lowered = {choice.lower(): choice for choice in choices}
    if key.lower() in lowered:
        return f" (did you mean {lowered[key.lower()]!r}?)"
    import difflib  # only when there is something to suggest: start-up time matters

    close = difflib.get_close_matches(key, list(choices), n=1)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (expected one of: {', '.join(choices)})"


class _Validator:
    def __init__(self, origin: str, line_of: LineOf | None) -> None:
        self.origin = origin
        self.line_of = line_of
        # methods/noqa lists shared by many routes (a YAML alias) are checked once.
        self.checked_lists: dict[tuple[str, int], tuple[str, ...]] = {}

    # -- helpers

    def source(self, keys: tuple) -> Source:
        line = self.line_of(keys) if self.line_of is not None else None
        return Source(self.origin, line)

    def fail(self, keys: tuple, message: str, at: tuple | None = None) -> RouteError:
        where = format_keys(keys)
        text = f"{where}: {message}" if where else message
        return RouteError(text, str(self.source(keys if at is None else at)))

    def check_keys(self, mapping: dict, keys: tuple, allowed: tuple[str, ...]) -> None:
        allowed_set = _ROUTE_KEY_SET if allowed is ROUTE_KEYS else frozenset(allowed)
        for key in mapping:
            if key not in allowed_set:
                raise self.fail(
                    keys, f"unknown key {shown_key(key)}{did_you_mean(key, allowed)}", at=keys + (key,)
                )

    def expect(self, value: Any, keys: tuple, kind: type, nullable: bool = False) -> Any:
        if value is None and nullable:
            return None
        # bool is an int in Python, but never in a route file.
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return value
        expected = {
            bool: "a boolean (true or false)",
            str: "a string",
            int: "an integer",
            dict: "a mapping",
            list: "a list",
        }[kind]
        if nullable:
            expected += " or null"
        raise self.fail(keys, f"expected {expected}, got {describe(value)}")

    # -- the document

    def routeset(self, data: Any) -> tuple[RouteSet, ExplicitSettings]:
        if not isinstance(data, dict):
            raise self.fail(
                (), f"the top level must be a mapping with a 'routes' key, got {describe(data)}"
            )
        dialect = self.dialect(data.get("settings"))
        if dialect.schema:
            # Another framework's route file: its dialect's own schema reads it.
            return dialect.load("schema")(data, self.origin, self.line_of)
        self.check_keys(data, (), TOP_KEYS)
        if "routes" not in data:
            raise self.fail((), "missing required key 'routes' (a list of routes)")
        settings, explicit = self.settings(data.get("settings"))
        converters = self.converters(data.get("converters"))
        routes = self.routes(data["routes"])
        routeset = RouteSet(routes, settings, converters, [self.origin])
        return routeset, explicit

    def dialect(self, settings: Any):
        """The dialect a route file names in ``settings.dialect`` (default werkzeug)."""
        from routecli.routing import dialects

        if not isinstance(settings, dict) or "dialect" not in settings:
            return dialects.get("werkzeug")
        keys = ("settings", "dialect")
        name = self.expect(settings["dialect"], keys, str)
        if name not in dialects.DIALECTS:
            raise self.fail(keys, f"unknown dialect {name!r}"
                                  f"{did_you_mean(name, tuple(dialects.DIALECTS))}")
        return dialects.get(name)

    def settings(self, data: Any) -> tuple[Settings, ExplicitSettings]:
        keys: tuple = ("settings",)
        if data is None:
            return Settings(), {}
        self.expect(data, keys, dict)
        self.check_keys(data, keys, ("dialect", *SETTING_TYPES))
        explicit: ExplicitSettings = {}
        for name, value in data.items():
            if name == "dialect":
                continue  # werkzeug, the default: checked by dialect()
            self.expect(value, keys + (name,), SETTING_TYPES[name],
                        nullable=name == "trusted_hosts")
            if name == "trusted_hosts" and value is not None:
                for index, item in enumerate(value):
                    if not isinstance(item, str) or not item:
                        raise self.fail(keys + (name, index),
                                        f"expected a host name, got {describe(item)}")
                value = tuple(value)  # hashable and comparable when sources merge
            explicit[name] = (value, self.source(keys + (name,)))
        return Settings(**{name: value for name, (value, _) in explicit.items()}), explicit

    def converters(self, data: Any) -> dict[str, ConverterDef]:
        keys: tuple = ("converters",)
        if data is None:
            return {}
        self.expect(data, keys, dict)
        return {name: self.converter(name, spec, keys + (name,)) for name, spec in data.items()}

    def converter(self, name: Any, spec: Any, keys: tuple) -> ConverterDef:
        if not isinstance(name, str) or not _is_identifier(name):
            raise self.fail(
                keys[:-1],
                f"invalid converter name {name!r}: use letters, digits and underscores, "
                "not starting with a digit",
                at=keys,
            )
        if isinstance(spec, str):
            raise self.fail(keys, f"expected a mapping like {{regex: {spec!r}}}, got a string")
        self.expect(spec, keys, dict)
        self.check_keys(spec, keys, CONVERTER_KEYS)
        if "regex" not in spec:
            raise self.fail(keys, "missing required key 'regex'")
        regex = self.expect(spec["regex"], keys + ("regex",), str)
        self.check_regex(regex, keys + ("regex",))
        weight = self.expect(spec.get("weight", 100), keys + ("weight",), int)
        part_isolating = self.expect(
            spec.get("part_isolating"), keys + ("part_isolating",), bool, nullable=True
        )
        return ConverterDef(name, regex, weight, part_isolating, source=self.source(keys))

    def check_regex(self, regex: str, keys: tuple) -> None:
        problem = regex_problem(regex)
        if problem:
            raise self.fail(keys, problem)

    def routes(self, data: Any) -> list[Route]:
        keys: tuple = ("routes",)
        if not isinstance(data, list):
            hint = " (write routes: [] for no routes)" if data is None else ""
            raise self.fail(keys, f"expected a list of routes, got {describe(data)}{hint}")
        return [self.route(item, keys + (index,)) for index, item in enumerate(data)]

    def route(self, data: Any, keys: tuple) -> Route:
        if not isinstance(data, dict):
            raise self.fail(
                keys, f"expected a mapping with 'rule' and 'endpoint', got {describe(data)}"
            )
        self.check_keys(data, keys, ROUTE_KEYS)
        rule, endpoint = self.rule_and_endpoint(data, keys)
        options: dict[str, Any] = {}
        get = data.get
        if "methods" in data:
            methods = self.shared_list("methods", data["methods"], keys + ("methods",))
        else:
            methods = ("GET",)
        if "defaults" in data:
            options["defaults"] = self.defaults(data["defaults"], keys + ("defaults",))
        for name in _NULLABLE_BOOLS:
            if name in data:
                options[name] = self.expect(get(name), keys + (name,), bool, nullable=True)
        for name in _PLAIN_BOOLS:
            if name in data:
                options[name] = self.expect(get(name), keys + (name,), bool)
        for name in _OPTIONAL_STRINGS:
            if name in data:
                options[name] = self.expect(get(name), keys + (name,), str, nullable=True)
        if "noqa" in data:
            options["noqa"] = self.shared_list("noqa", data["noqa"], keys + ("noqa",))
        return Route(rule, endpoint, methods, source=self.source(keys), **options)

    def rule_and_endpoint(self, data: dict, keys: tuple) -> tuple[str, str]:
        """A route's two required keys, checked (every dialect's route has them)."""
        for required in ("rule", "endpoint"):
            if required not in data:
                raise self.fail(keys, f"missing required key {required!r}")
        rule = self.expect(data["rule"], keys + ("rule",), str)
        endpoint = self.expect(data["endpoint"], keys + ("endpoint",), str)
        if not endpoint:
            raise self.fail(keys + ("endpoint",), "the endpoint must not be empty")
        return rule, endpoint

    def shared_list(self, name: str, value: Any, keys: tuple) -> Any:
        """``methods`` or ``noqa`` of one route; a list already checked is not checked again."""
        if not isinstance(value, list):
            return getattr(self, name)(value, keys)
        memo = (name, id(value))
        checked = self.checked_lists.get(memo)
        if checked is None:
            checked = self.checked_lists[memo] = getattr(self, name)(value, keys)
        return checked

    def methods(self, value: Any, keys: tuple) -> tuple[str, ...] | None:
        if value == "*":
            return None
        if isinstance(value, str):
            raise self.fail(
                keys,
                f"expected a list of strings, got {describe(value)} "
                f'(write ["{value}"], or "*" for every method)',
            )
        if not isinstance(value, list):
            raise self.fail(keys, f"expected a list of strings, got {describe(value)}")
        methods: dict[str, None] = {}  # ordered, and a set: M methods cost M, not M^2
        for index, item in enumerate(value):
            item_keys = keys + (index,)
            if not isinstance(item, str):
                raise self.fail(item_keys, f"expected a method name, got {describe(item)}")
            if item == "*":
                raise self.fail(item_keys, 'for every method write methods: "*", not a list')
            if not _is_method_name(item):
                hint = " (list each method separately)" if any(c in item for c in " ,;") else ""
                raise self.fail(item_keys, f"invalid HTTP method name {item!r}{hint}")
            methods.setdefault(item.upper())
        return tuple(methods)

    def defaults(self, value: Any, keys: tuple) -> dict[str, Any] | None:
        if value is None:
            return None
        self.expect(value, keys, dict)
        for name, item in value.items():
            if not isinstance(name, str):
                raise self.fail(keys, f"keys must be strings, got {describe(name)}", at=keys)
            self.json_value(item, keys + (name,))
        return value

    def json_value(self, value: Any, keys: tuple) -> None:
        # Iterative (deep data cannot exhaust the stack), and each container walked once
        # (YAML aliases and Python data share values), while counting the size the value
        # has with shared parts repeated: what serialising it to JSON would produce.
        size: dict[int, int] = {}  # containers done -> expanded size
        stack: list[tuple[Any, tuple, int, bool]] = [(value, keys, 0, False)]
        active: set[int] = set()  # the containers on the current path: a cycle is refused
        while stack:
            item, where, depth, leaving = stack.pop()
            if leaving:
                active.discard(id(item))
                children = item.values() if isinstance(item, dict) else item
                total = 1 + sum(size.get(id(sub), 1) for sub in children)
                if total > MAX_VALUE_SIZE:
                    raise self.fail(keys, f"the value is too large: more than "
                                          f"{MAX_VALUE_SIZE:,} items once shared parts are "
                                          "repeated")
                size[id(item)] = total
                continue
            if isinstance(item, int) and item.bit_length() > 3 * MAX_INT_DIGITS and (
                    abs(item) >= _TOO_MANY_DIGITS):
                raise self.fail(where, f"the integer is too large: more than "
                                       f"{MAX_INT_DIGITS:,} digits")
            if item is None or isinstance(item, (str, bool, int, float)):
                continue
            if not isinstance(item, (list, dict)):
                raise self.fail(
                    where,
                    "expected a JSON-like value (string, number, boolean, null, list or "
                    f"mapping), got {describe(item)}",
                )
            if id(item) in size:
                continue
            if id(item) in active:
                raise self.fail(keys, "the value refers to itself")
            if depth >= MAX_VALUE_DEPTH:
                raise self.fail(keys, f"the value is nested more than {MAX_VALUE_DEPTH} "
                                      "levels deep")
            active.add(id(item))
            stack.append((item, where, depth, True))
            if isinstance(item, list):
                stack.extend((sub, where + (i,), depth + 1, False) for i, sub in enumerate(item))
                continue
            for name, sub in item.items():
                if not isinstance(name, str):
                    raise self.fail(where, f"keys must be strings, got {describe(name)}")
                stack.append((sub, where + (name,), depth + 1, False))

    def noqa(self, value: Any, keys: tuple) -> tuple[str, ...]:
        if isinstance(value, str):
            raise self.fail(
                keys, f'expected a list of lint codes, got {describe(value)} (write ["{value}"])'
            )
        if not isinstance(value, list):
            raise self.fail(
                keys,
                f'expected a list of lint codes like ["RL105"] or ["all"], got {describe(value)}',
            )
        for index, code in enumerate(value):
            if not isinstance(code, str) or not (code == "all" or _is_lint_code(code)):
                raise self.fail(
                    keys + (index,),
                    f"expected a lint code like 'RL105' or 'all', got {describe(code)}",
                )
        return tuple(value)


def explicit_from_settings(settings: Settings, origin: str) -> ExplicitSettings:
    """Settings that differ from Flask's defaults, for sources that cannot say what was set."""
    defaults = Settings().to_dict()
    return {
        name: (value, Source(origin))
        for name, value in settings.to_dict().items()
        if value != defaults[name]
    }


def regex_problem(regex: str) -> str | None:
    """Why a converter's regex cannot be used (None: it can). Also the parsed-file cache's
    check of a stored regex (sources/cache.py)."""
    try:
        compiled = re.compile(regex)
    except re.error as exc:
        return f"invalid regular expression {regex!r}: {exc}"
    if compiled.groupindex:
        return (f"named groups are not allowed in {regex!r}: Werkzeug wraps the regex in its "
                "own named group; use (...) or (?:...)")
    # Werkzeug embeds the regex in a larger pattern; some regexes (e.g. with global
    # flags such as "(?i)") compile alone but not there.
    try:
        re.compile(rf"^(?P<__werkzeug_0>{regex})\Z")
    except re.error as exc:
        return f"regular expression {regex!r} cannot be used inside a rule: {exc}"
    return None
