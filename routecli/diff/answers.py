"""What a table answers to one request, reduced to what a client can tell apart.

Answers come from the table's public ``match`` only, so every dialect is compared the
same way. Two answers are the same when status, endpoint, converted arguments, redirect
target and allowed methods are (a redirect: its status and target); which compiled route gave them is kept apart (``rule``)
to say *why* an answer changed, never to decide *whether* it did.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from routecli.errors import RouteError
from routecli.routing.result import json_value

OK_STATUSES = frozenset({200, 301, 302, 307, 308})


class Request(NamedTuple):
    """A request to put to both tables: ``host`` is None for the table's default.

    ``about`` names the routes it was proposed for, ``("old", index)`` or ``("new",
    index)``: when neither table has a route answering it (404 before, 405 after), the
    change it belongs to is theirs."""

    method: str
    url: str
    host: str | None = None
    about: tuple = ()

    @property
    def key(self) -> tuple:
        return (self.method, self.url, self.host)


class Answer(NamedTuple):
    """One table's answer: the comparable part (``key``) and the route behind it."""

    status: int
    endpoint: str | None
    args: Any
    location: str | None
    allowed_methods: tuple | None
    rule: Any  # the compiled route that answered or redirected, None for none

    @property
    def key(self) -> tuple:
        if self.location is not None:
            # A redirect is its status and target: which route redirected (a slash
            # redirect names the route the other form matched) is not in the response.
            return (self.status, None, None, self.location, self.allowed_methods)
        return (self.status, self.endpoint, _frozen(self.args), self.location,
                self.allowed_methods)

    def same(self, other: Answer) -> bool:
        """True when the keys are equal (a client cannot tell the answers apart),
        compared without building them: diff compares hundreds of thousands."""
        return self.same_but_endpoint(other) and (
            self.location is not None or self.endpoint == other.endpoint)

    def same_but_endpoint(self, other: Answer) -> bool:
        """True when the keys are equal but for the endpoint (a renamed route's)."""
        if (self.status != other.status or self.location != other.location
                or self.allowed_methods != other.allowed_methods):
            return False
        return self.location is not None or self.args == other.args

    @property
    def ok(self) -> bool:
        """True when a route answered (200) or the request was redirected."""
        return self.status in OK_STATUSES

    def to_dict(self) -> dict[str, Any]:
        """The answer as docs/diff.md#json-output shows it: status and endpoint always,
        the rest when there is something to say."""
        out: dict[str, Any] = {"status": self.status, "endpoint": self.endpoint}
        if self.args:
            out["args"] = self.args
        if self.location is not None:
            out["location"] = self.location
        if self.allowed_methods:
            out["allowed_methods"] = list(self.allowed_methods)
        return out


def ask(table, request: Request) -> Answer | None:
    """``table``'s answer to ``request``; None when the table refuses the request itself
    (a URL or host no client would send)."""
    try:
        result = table.match(request.method, request.url, request.host)
    except RouteError:
        return None
    args = result.args
    return Answer(result.status, result.endpoint,
                  None if args is None else {k: json_value(v) for k, v in args.items()},
                  result.location,
                  None if not result.allowed_methods else tuple(result.allowed_methods),
                  result.rule)


def toggle_slash(url: str) -> str:
    """The URL with its trailing slash added or removed (the root stays the root): slash
    redirects and strict slashes answer there."""
    scheme, sep, rest = url.partition("://")
    prefix, path = "", url
    if sep:
        host, _, tail = rest.partition("/")
        prefix, path = f"{scheme}://{host}", "/" + tail
    if path == "/":
        return url
    return prefix + (path[:-1] if path.endswith("/") else path + "/")


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value
