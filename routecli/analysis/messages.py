"""How findings word things: a route's label and place, a witness, a method list.

Shared by every rule family so that all messages name routes, positions and requests the
same way (docs/lint.md#findings).
"""

from __future__ import annotations

# Methods that never make two same-pattern routes duplicates (Werkzeug 3.2's rule).
IMPLICIT_METHODS = frozenset({"HEAD", "OPTIONS"})
_METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# How many routes a finding's details list at most (dominators, victims, ...).
MAX_LISTED = 50


def pick_method(methods: frozenset | None) -> str:
    """The method a witness uses: GET when shared, else the most common one."""
    if methods is None:
        return "GET"
    return min(methods, key=method_rank)


def method_rank(method: str):
    """Sort key for methods: the common ones in a fixed order, then the rest by name."""
    return (_METHOD_ORDER.index(method) if method in _METHOD_ORDER else len(_METHOD_ORDER),
            method)


def methods_text(methods: frozenset | None, drop_implicit: bool = False) -> str:
    """``GET, POST`` (``every method`` for None); ``drop_implicit`` leaves HEAD and OPTIONS
    out unless they are all there is."""
    if methods is None:
        return "every method"
    shown = set(methods) - (IMPLICIT_METHODS if drop_implicit else set())
    return ", ".join(sorted(shown or methods, key=method_rank))


def label(rule) -> str:
    """A rule as messages show it: its pattern, with its host when it has one."""
    if rule.domain:
        return f"`{rule.rule}` (host {rule.domain})"
    return f"`{rule.rule}`"


def where(rule, subject=None) -> str:
    """Where a route was defined: "line N" in the subject's own file, "file:line" in
    another, else its position in the table: the ``#`` that ``routecli list`` shows for
    a first-match entry (``8``, ``5.13``), also when both were declared on one line (a
    library's loop: the line tells them apart no more)."""
    source = rule.source
    line = getattr(source, "line", None)
    position = getattr(rule, "position", None)
    number = f"route #{position or rule.index + 1}"
    if source is None or not line:
        return number
    if subject is not None and getattr(subject.source, "file", None) == source.file:
        if position and getattr(subject.source, "line", None) == line:
            return number
        return f"line {line}"
    return str(source)


def position(div: int) -> str:
    """Where two patterns split: "the host" or "segment N"."""
    return "the host" if div == 0 else f"segment {div - 1}"


def show(witness) -> str:
    """A witness request as messages show it: ``GET /a`` (with its host when relative)."""
    text = f"{witness.method} {witness.url}"
    if witness.host and "://" not in witness.url:
        text += f" (host {witness.host})"
    return text


def add_slash(url: str) -> str:
    """The URL with a trailing slash added."""
    return url + "/"


