"""What the table answers to one distinct request, as ``coverage`` counts it.

Every request is answered exactly as the table's ``match`` answers it. An answer is a
small tuple ``(status, rule index or group, detail)``, shared for the 200s and 308s of a
rule: ``(200, index, None)``, ``(308, index, None)``, ``(301 or 307, index, None)`` (a
first-match dialect's slash redirect), ``(405, group, allowed methods)``, ``(404, None,
shape)``, ``(status, None, None)`` for any other status (400, what an app's converter
answered), and ``(0, None, reason)`` for a request the table refused (a malformed line).

A 405 is attributed to the routes whose pattern matched the path (found by asking the table
again with each allowed method). Answers depend on the request and the table alone: the
worker processes of :mod:`routecli.coverage.parallel` give the same ones.
"""

from __future__ import annotations

from collections.abc import Callable

from routecli.coverage.shapes import shape
from routecli.errors import AppExit, RouteError


class Answerer:
    """Answers distinct requests (their answer keys, :func:`answer_key`) with ``table``;
    ``default_host`` is the host of requests that carry none (None: the table's own)."""

    def __init__(self, table, default_host: str | None = None) -> None:
        self.table = table
        self.default_host = default_host
        rules = table.rules
        settings = table.settings
        self._shape_hosts = bool(settings.host_matching or settings.server_name)
        # Shared tuples per rule for 200 and 308, plus a last slot for an answer without
        # a rule (never expected).
        self._ok = [(200, index, None) for index in range(len(rules) + 1)]
        self._redirected = [(308, index, None) for index in range(len(rules) + 1)]
        # 405s by (url, host, allowed methods): their group is a function of these, and
        # one path of 10,000 rules, a method each, is asked with thousands of methods
        self._405s: dict[tuple, tuple] = {}

    def resolve(self, akey: tuple | str) -> tuple:
        """The answer to one distinct request: ``(status, rule index or group, detail)``;
        ``akey`` is ``(method, path, host[, websocket])`` or ``"METHOD PATH"`` (no host)."""
        if akey.__class__ is str:
            method, _, path = akey.partition(" ")
            host, websocket = None, False
        else:
            method, path, host = akey[0], akey[1], akey[2]
            websocket = len(akey) == 4 and akey[3]
        if host is None and path[:1] == "/":  # an absolute URL's own host beats the default
            host = self.default_host
        url = self._websocket_url(path, host) if websocket else path
        try:
            result = self.table.match(method, url, host)
        except Exception as error:  # noqa: BLE001 - one hostile line must not end the run
            return refusal(error)
        return self._answer(result, url, host)

    def plain_resolver(self) -> Callable[[str], tuple]:
        """:meth:`resolve` for ``"METHOD PATH"`` keys (the requests of most logs),
        without a tuple or a frame more than the table's own ``match`` per request; a
        200 found by the table's ``match_index`` is the rule's index alone (an ``int``)."""
        if self.default_host is not None:
            return self.resolve
        ok = self._ok
        answer = self._answer
        # A table that can answer with only the rule's index (a Werkzeug table's generated
        # ``match_index``) saves the result object and the arguments coverage never reads.
        match_index = getattr(self.table, "match_index", None)
        if match_index is not None:

            def resolve_index(akey: str) -> tuple:
                method, _, path = akey.partition(" ")
                try:
                    result = match_index(method, path)
                except Exception as error:  # noqa: BLE001 - as in resolve
                    return refusal(error)
                if result.__class__ is int:  # status 200, by that rule
                    return result
                return answer(result, path, None)

            return resolve_index
        match = self.table.match

        def resolve_plain(akey: str) -> tuple:
            method, _, path = akey.partition(" ")
            try:
                result = match(method, path)
            except Exception as error:  # noqa: BLE001 - as in resolve
                return refusal(error)
            rule = result.rule
            if result.status == 200 and rule is not None:
                return ok[rule.index]
            return answer(result, path, None)

        return resolve_plain

    def _answer(self, result, url: str, host: str | None) -> tuple:
        """The cached answer of the table's ``result`` for ``url`` on ``host``."""
        code = result.status
        rule = result.rule
        if code == 200:
            return self._ok[rule.index if rule is not None else -1]
        if code == 308:
            return self._redirected[rule.index if rule is not None else -1]
        if code in (301, 307):  # a first-match dialect's slash redirect to the route
            return (code, rule.index if rule is not None else -1, None)
        if code == 405:
            allowed = tuple(result.allowed_methods or ())
            key = (url, host, allowed)
            found = self._405s.get(key)
            if found is None:
                found = self._405s[key] = (405, self._group_405(result, url, host), allowed)
            return found
        if code != 404:
            # 400 (websocket mismatch), or what an app converter answered (abort(410), 500).
            return (code, None, None)
        shape_host = result.host if self._shape_hosts else None
        return (404, None, shape(result.path, shape_host))

    def _websocket_url(self, path: str, host: str | None) -> str:
        lowered = path[:8].lower()
        if lowered.startswith("https://"):
            return "wss://" + path[8:]
        if lowered.startswith("http://"):
            return "ws://" + path[7:]
        return f"ws://{host or self.table.settings.server_name or 'localhost'}{path}"

    def _group_405(self, result, url: str, host: str | None) -> tuple:
        """The indices of the routes whose pattern matched a 405's path."""
        allowed = list(result.allowed_methods or ())
        tried = [m for m in allowed if m not in ("HEAD", "OPTIONS")] or allowed
        found: set[int] = set()
        for method in tried:
            try:
                other = self.table.match(method, url, host)
            except RouteError:
                continue
            if other.rule is not None and other.status in (200, 301, 307, 308):
                found.add(other.rule.index)
        if not found:
            try:
                found = {rule.index for rule in self.table.matching_rules(url, host)}
            except Exception:  # noqa: BLE001 - a diagnostic only
                found = set()
        return tuple(sorted(found))


def answer_key(key: tuple, websocket: bool) -> tuple:
    """The cache key of a counted request key: its path without query or fragment, and,
    for a table with websocket rules, whether it was a websocket (logged status 101)."""
    target = key[1]
    path = target.partition("#")[0].partition("?")[0]
    if websocket:
        return (key[0], path, key[2], key[3] == 101)
    return (key[0], path, key[2])


def plain_answer_key(request: str) -> str:
    """:func:`answer_key` of a ``"METHOD TARGET"`` key (a request without a host)."""
    method, _, target = request.partition(" ")
    return f"{method} {target.partition('#')[0].partition('?')[0]}"


def refusal(error: Exception) -> tuple:
    """The answer to a request the table raised on: refused (a malformed line, with the
    reason), except the app's ``sys.exit()``, which ends the run as in ``match``
    (exit-codes.md)."""
    if isinstance(error, AppExit):
        raise error
    if isinstance(error, RouteError):
        message = error.message
        if message.startswith("invalid HTTP method"):
            return (0, None, "invalid method")
        if message.startswith("invalid host"):
            return (0, None, "invalid host")
    return (0, None, "cannot be answered")

