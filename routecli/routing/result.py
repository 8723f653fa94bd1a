"""The answer to one request: :class:`MatchResult`."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

# Status codes routecli answers with.
OK, REDIRECT, BAD_REQUEST, NOT_FOUND, METHOD_NOT_ALLOWED = 200, 308, 400, 404, 405
TEMPORARY_REDIRECT, UNPROCESSABLE, SERVER_ERROR = 307, 422, 500
#: answers that serve the request (exit status 0): a route, or a redirect to one
SERVED = frozenset((OK, 301, TEMPORARY_REDIRECT, REDIRECT))


class MatchResult:
    """What the app would answer: a route (200), a redirect (308), 404 or 405.

    ``rule`` is the compiled rule that answered or redirected (None otherwise);
    ``args`` the converted arguments with defaults merged (Python values);
    ``redirect`` says why a 308 happened: "slash", "merge_slashes",
    "defaults", "alias" or "redirect_to"; ``automatic_options`` is True when
    Flask's automatic OPTIONS handler answers; ``explanation`` holds
    near misses when asked for (see :mod:`routecli.routing.werkzeug.explain`).
    """

    # Every answer sets these; the rest are rare, so they are class-level defaults that an
    # answer overrides in its own ``__dict__`` only when it has them (building an answer is
    # on the hot path of ``match``, ``--batch`` and ``coverage``).
    __slots__ = ("method", "url", "path", "host", "status", "rule", "args", "__dict__")

    allowed_methods: list[str] | None = None
    location: str | None = None
    redirect: str | None = None
    automatic_options = False
    explanation: list | None = None
    explanation_more = 0  # near misses left out of ``explanation`` (shown_misses)
    reason: str | None = None
    dialect: str | None = None  # set by first-match dialects: their JSON names it

    def __init__(self, method: str, url: str, path: str, host: str, status: int,
                 rule=None, args=None) -> None:
        self.method = method
        self.url = url
        self.path = path
        self.host = host
        self.status = status
        self.rule = rule
        self.args = args

    def with_details(self, *, allowed_methods: list[str] | None = None,
                     location: str | None = None, redirect: str | None = None,
                     automatic_options: bool = False, reason: str | None = None
                     ) -> MatchResult:
        """Set the rarer fields that are given; returns the answer itself."""
        if allowed_methods is not None:
            self.allowed_methods = allowed_methods
        if location is not None:
            self.location = location
        if redirect is not None:
            self.redirect = redirect
        if automatic_options:
            self.automatic_options = automatic_options
        if reason is not None:
            self.reason = reason
        return self

    @property
    def endpoint(self) -> str | None:
        return None if self.rule is None else self.rule.endpoint

    @property
    def source(self) -> str | None:
        if self.rule is None or self.rule.source is None:
            return None
        return str(self.rule.source)

    @property
    def ok(self) -> bool:
        """True for 200 and redirects (301, 307, 308): the request is answered (exit
        status 0)."""
        return self.status in SERVED

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of docs/match.md#json-output (exactly its fields)."""
        data = {
            "method": self.method,
            "url": self.url,
            "path": self.path,
            "status": self.status,
            "endpoint": self.endpoint,
            "rule": None if self.rule is None else self.rule.rule,
            "args": None if self.args is None else {k: json_value(v) for k, v in
                                                     self.args.items()},
            "allowed_methods": self.allowed_methods,
            "location": self.location,
            "source": self.source,
        }
        if self.dialect is not None:
            data["dialect"] = self.dialect
        return data

    def __repr__(self) -> str:
        return (f"<MatchResult {self.method} {self.url!r} {self.status} "
                f"{self.endpoint!r} {self.args!r}>")


class BareMatchResult(MatchResult):
    """A :class:`MatchResult` whose maker stores every field itself (the generated
    ``match`` of routing/werkzeug/codegen.py): ``BareMatchResult()`` runs no ``__init__``,
    and calling the class costs less than ``object.__new__(MatchResult)``, which a request
    on a small table notices. The same fields, the same answer."""

    __slots__ = ()
    __init__ = object.__init__

    def __reduce__(self):
        # A table's own subclasses (bare_answer_classes) cannot be imported by name:
        # pickled and copied, an answer is a plain MatchResult with the same fields.
        return _rebuilt, (self.method, self.url, self.path, self.host, self.status,
                          self.rule, self.args, dict(vars(self)))


def _rebuilt(method, url, path, host, status, rule, args, details) -> MatchResult:
    answer = MatchResult(method, url, path, host, status, rule, args)
    answer.__dict__.update(details)
    return answer


# The generated ``match``'s answers by status. What a status fixes is a class attribute,
# which an instance reads as it reads a slot (an assignment would go to its ``__dict__``):
# fewer stores per request.
class BareFound(BareMatchResult):
    """A route's answer (200)."""

    __slots__ = ()
    status = OK


class BareNotFound(BareMatchResult):
    """A 404."""

    __slots__ = ()
    status = NOT_FOUND
    rule = None
    args = None


class BareNotAllowed(BareMatchResult):
    """A 405 (``allowed_methods`` set by the maker)."""

    __slots__ = ()
    status = METHOD_NOT_ALLOWED
    rule = None
    args = None


def bare_answer_classes(host: str) -> tuple[type, type, type]:
    """A table's 200, 404 and 405 answer classes, whose ``host`` is ``host``: every answer
    of the generated ``match`` is on the table's one plain host (one store fewer)."""
    return tuple(type(base.__name__, (base,), {"__slots__": (), "host": host,
                                               "__module__": base.__module__})
                 for base in (BareFound, BareNotFound, BareNotAllowed))


class NearMiss(NamedTuple):
    """A route that almost answered: ``kind`` is one of "shadowed", "method",
    "converter", "slash", "host", "segment" (first-match dialects: also "taken",
    "validation"); ``reason`` is a sentence."""

    rule: Any
    kind: str
    reason: str

    def to_dict(self) -> dict:
        from routecli.routing.serialize import route_ref

        return {**route_ref(self.rule, all_methods=True), "kind": self.kind,
                "reason": self.reason}


def shown_value(value: Any) -> str:
    """``repr(value)``; for a value holding an integer too large for Python to print
    (over 4,300 digits: an app's own default), its JSON form with the integer described."""
    try:
        return repr(value)
    except ValueError:
        import json

        return json.dumps(json_value(value), default=str, ensure_ascii=False)


# Below this many bits every integer prints (4,300 decimal digits hold over 14,000 bits).
_PRINTABLE_BITS = 14_000


def json_value(value: Any) -> Any:
    """A converted value as JSON: numbers stay numbers, UUIDs and others become strings
    (and an integer too large for Python to print, its description)."""
    if isinstance(value, int) and value.bit_length() > _PRINTABLE_BITS:
        try:
            repr(value)
        except ValueError:
            return f"<an integer of {value.bit_length():,} bits>"
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (list, tuple)):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return str(value)
