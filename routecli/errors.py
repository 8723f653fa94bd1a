"""The one exception type routecli raises for bad input."""

from __future__ import annotations


class RouteError(Exception):
    """Bad input: a route file, rule, converter or source that cannot be used.

    ``source`` is ``"file:line"`` (or just ``"file"``) when known, else ``None``;
    ``message`` is one line saying what is wrong. ``str(error)`` is the line the
    CLI prints: ``file:line: message``.
    """

    def __init__(self, message: str, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __reduce__(self):  # keeps the source across processes (coverage's workers)
        return (type(self), (self.message, self.source))

    def __str__(self) -> str:
        if self.source:
            return f"{self.source}: {self.message}"
        return self.message

    def with_source(self, source: str | None) -> RouteError:
        """The same error, located at ``source`` unless it already has a location."""
        if self.source or not source:
            return self
        return RouteError(self.message, source)


class AppExit(Exception):
    """The app's own code (a converter, a redirect builder) called ``sys.exit()`` while
    routecli answered a request: the library reports it as the app's error, raised from
    the ``SystemExit`` (its ``__cause__``), instead of letting it end the caller's
    process. Not a RouteError: the input is fine, the app stopped; a batch of requests
    stops there too. ``status`` is the exit code the app asked for."""

    def __init__(self, status, where: str) -> None:
        super().__init__(f"the app's code raised SystemExit({status!r}) in {where}")
        self.status = status
        self.where = where

    def __reduce__(self):  # coverage's worker processes send it back to the parent
        return (type(self), (self.status, self.where))


def quoted(value: object, limit: int = 80) -> str:
    """``repr(value)`` for a message, cut in the middle when longer than ``limit`` and
    followed by the value's length: a 100,000-character host is not echoed in full."""
    text = repr(value)
    if len(text) <= limit:
        return text
    keep = max(limit - 5, 10) // 2
    size = f" ({len(value):,} characters)" if isinstance(value, str) else ""
    return f"{text[:keep]}…{text[-keep:]}{size}"
