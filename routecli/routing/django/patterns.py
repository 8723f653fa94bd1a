"""The three kinds of Django pattern, each answering ``match(path)`` as Django does.

* :class:`RoutePattern` - ``path()`` syntax, compiled to ``^...`` (+ ``\\Z`` for an
  endpoint) and searched; converters run on the captures and a ValueError means no match.
* :class:`RegexPattern` - ``re_path()``: an endpoint regex ending in ``$`` is fullmatched,
  anything else is *searched* (no ``^``: it may match mid-path; no ``$``: a prefix).
* :class:`LocalePrefixPattern` - ``i18n_patterns``: a fixed language prefix.

``match`` returns ``(rest, args, kwargs)`` or None. ``literal_prefix`` is text every
matched path starts with (possibly ""), or None when the pattern may match mid-path;
``exact_path`` the one path a pattern matches, when it matches only one (else None);
the resolver indexes patterns by them.
"""

from __future__ import annotations

import re
import string

from routecli.errors import RouteError
from routecli.routing.backtracking import BudgetedPattern, backtracking_risk, linear_test
from routecli.routing.django.converters import BUILTIN, Converter
from routecli.routing.lazy import LazySlots

# Django's path() parameter syntax: <name> or <converter:name>.
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
_WHITESPACE = frozenset(string.whitespace)
_REGEX_SPECIAL = frozenset(".^$*+?{}[]|()\\")
_QUANTIFIERS = frozenset("*+?{")


class RoutePattern(LazySlots):
    """A ``path()`` route (``items/<int:pk>/``).

    Its ``source`` (the regex Django compiles) and ``regex`` are made on first read
    (routing/lazy.py): most patterns of a large URLconf are never tried for
    a given request (the resolver's index skips them). What could fail to compile is
    checked now: each converter's regex, and a parameter used twice; a converter regex
    with groups of its own is compiled with the route. ``shared`` (a dict kept while a
    URLconf is built) gives equal converter maps one dict."""

    kind = "path"
    __slots__ = ("route", "is_endpoint", "source", "regex", "converters", "_plain")

    def __init__(self, route: str, is_endpoint: bool,
                 converters: dict[str, Converter] | None = None,
                 shared: dict | None = None) -> None:
        self.route = route
        self.is_endpoint = is_endpoint
        by_parameter = route_converters(route, converters or {})
        if shared is not None:
            key = ("converters", *((name, id(c)) for name, c in by_parameter.items()))
            by_parameter = shared.setdefault(key, by_parameter)  # it keeps them alive
        self.converters = by_parameter
        for converter in by_parameter.values():
            _check_converter(converter)
        if any(c.regex.count("(") for c in by_parameter.values()):
            self.regex = compile_regex(self.source)
        # No converter: Django compares strings; the regex would answer the same.
        self._plain = not by_parameter

    @property
    def exact_path(self) -> str | None:
        """The one path an endpoint without parameters matches (the resolver's index)."""
        return self.route if self._plain and self.is_endpoint else None

    @property
    def literal_prefix(self) -> str:
        """The route up to its first parameter (read once, by the resolver's index)."""
        first = PARAMETER.search(self.route)
        return self.route if first is None else self.route[:first.start()]

    def match(self, path: str):
        if self._plain:
            if self.is_endpoint:
                return ("", (), {}) if path == self.route else None
            return (path[len(self.route):], (), {}) if path.startswith(self.route) else None
        # search, as Django does: a custom converter regex may break out of its group.
        found = self.regex.search(path)
        if found is None:
            return None
        kwargs = found.groupdict()
        converters = self.converters
        for key, value in kwargs.items():
            try:
                kwargs[key] = converters[key].to_python(value)
            except ValueError:
                return None
        return path[found.end():], (), kwargs

    def __str__(self) -> str:
        return self.route


class RegexPattern:
    """A ``re_path()`` regex (``^articles/(?P<year>[0-9]{4})/$``)."""

    kind = "regex"
    converters: dict[str, Converter] = {}
    exact_path = None  # (indexed by its literal prefix)
    __slots__ = ("source", "is_endpoint", "regex", "fullmatch", "literal_prefix", "guard")

    def __init__(self, source: str, is_endpoint: bool) -> None:
        self.source = source
        self.is_endpoint = is_endpoint
        self.regex = compile_regex(source)
        self.fullmatch = is_endpoint and source.endswith("$")
        # fullmatch anchors at the start even without "^".
        anchored = source if source.startswith("^") or not self.fullmatch else "^" + source
        self.literal_prefix = regex_literal_prefix(anchored)
        # A regex re could backtrack on for ages (``^(a+)+$``): a linear-time test first,
        # so that a request it cannot match is answered at once (docs/django.md).
        self.guard = (linear_test(source, search=not self.fullmatch)
                      if backtracking_risk(source) else None)
        if self.guard is None and backtracking_risk(source):  # beyond the automata
            self.regex = BudgetedPattern(self.regex, "re_path() regex")

    def match(self, path: str):
        if self.guard is not None and not self.guard(path):
            return None
        found = self.regex.fullmatch(path) if self.fullmatch else self.regex.search(path)
        if found is None:
            return None
        named = found.groupdict()
        # Any named group: only named groups are passed (as kwargs); else positional.
        args = () if named else found.groups()
        return path[found.end():], args, {k: v for k, v in named.items() if v is not None}

    def __str__(self) -> str:
        return self.source


class LocalePrefixPattern:
    """``i18n_patterns``: the language prefix (``"en/"``, or "" for an unprefixed
    default language)."""

    kind = "locale"
    converters: dict[str, Converter] = {}
    is_endpoint = False
    exact_path = None
    __slots__ = ("prefix",)

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    @property
    def literal_prefix(self) -> str:
        return self.prefix

    def match(self, path: str):
        if path.startswith(self.prefix):
            return path[len(self.prefix):], (), {}
        return None

    def __str__(self) -> str:
        return self.prefix


def route_converters(route: str, custom: dict[str, Converter]) -> dict[str, Converter]:
    """The converters of a ``path()`` route, by parameter.

    Raises :class:`RouteError` where Django raises ImproperlyConfigured.
    """
    converters: dict[str, Converter] = {}
    for found in PARAMETER.finditer(route):
        if found.group("parameter") in converters:
            # Django accepts the route and fails when resolving (a regex group redefined).
            raise RouteError(f"URL route {route!r} uses parameter name "
                             f"{found.group('parameter')!r} twice")
        if not _WHITESPACE.isdisjoint(found[0]):
            raise RouteError(f"URL route {route!r} cannot contain whitespace in angle "
                             "brackets <...>")
        name, parameter = found.group("converter") or "str", found.group("parameter")
        if not parameter.isidentifier():
            raise RouteError(f"URL route {route!r} uses parameter name {parameter!r} which "
                             "isn't a valid Python identifier")
        converter = custom.get(name) or BUILTIN.get(name)
        if converter is None:
            raise RouteError(f"URL route {route!r} uses invalid converter {name!r}")
        converters[parameter] = converter
    return converters


def route_regex(route: str, is_endpoint: bool, converters: dict[str, Converter]) -> str:
    """The regex Django compiles a ``path()`` route to (``converters`` by parameter, as
    :func:`route_converters` gives them)."""
    parts = ["^"]
    end = 0
    for found in PARAMETER.finditer(route):
        parameter = found.group("parameter")
        parts.append(re.escape(route[end:found.start()]))
        parts.append(f"(?P<{parameter}>{converters[parameter].regex})")
        end = found.end()
    parts.append(re.escape(route[end:]))
    if is_endpoint:
        parts.append(r"\Z")
    return "".join(parts)


def _route_source(pattern: RoutePattern) -> str:
    return route_regex(pattern.route, pattern.is_endpoint, pattern.converters)


def _route_compiled(pattern: RoutePattern) -> re.Pattern:
    return compile_regex(pattern.source)


RoutePattern._MAKERS = {"source": _route_source, "regex": _route_compiled}


_CHECKED_REGEXES: set[str] = set()


def _check_converter(converter: Converter) -> None:
    if converter.regex not in _CHECKED_REGEXES:
        compile_regex(converter.regex)
        if len(_CHECKED_REGEXES) < 4096:
            _CHECKED_REGEXES.add(converter.regex)


def compile_regex(source: str) -> re.Pattern:
    try:
        return re.compile(source)
    except re.error as exc:
        raise RouteError(f"{source!r} is not a valid regular expression: {exc}") from None
    except (OverflowError, RecursionError, ValueError) as exc:
        raise RouteError(f"{source!r} is not a usable regular expression: {exc}") from None


def regex_literal_prefix(source: str) -> str | None:
    """Text every match of ``source`` (searched) starts with at position 0, or None when
    it may match later in the path (no leading ``^``). Conservative: stops at the first
    construct it does not read as plain text."""
    if not source.startswith("^") or "|" in source:
        return None  # unanchored, or an alternative that may be
    text: list[str] = []
    i = 1
    while i < len(source):
        char = source[i]
        if char == "\\":
            nxt = source[i + 1:i + 2]
            if not nxt or nxt.isalnum() or nxt.isspace():
                break
            text.append(nxt)
            i += 2
        elif char in _REGEX_SPECIAL:
            if char in _QUANTIFIERS and text:
                text.pop()  # the last character is quantified: it may be absent
            break
        else:
            text.append(char)
            i += 1
    return "".join(text)
