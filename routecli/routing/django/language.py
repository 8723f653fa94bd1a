"""Each Django endpoint's path language as one regex (an :class:`Entry`'s ``pattern``):
a full match over the decoded request path, include chain flattened.

Django matches each pattern of the chain on what the previous one left, after the root
strips the leading ``/``. Flattened:

* a ``path()`` route is its literals and converter regexes, anchored where the previous
  pattern stopped; an endpoint's ends the path;
* a ``re_path()`` regex with ``^`` is anchored there; without it anything may come first
  (Django searches); an endpoint regex ending in ``$`` is fullmatched; other endpoint
  regexes let anything follow;
* an ``i18n_patterns`` prefix is its literal text.

The result is exactly what reaches the endpoint (earlier patterns aside) when every
include prefix on the chain splits a path one way only: Django matches a prefix once,
greedily, and never re-splits it (D08). That holds for a literal prefix, and for a
``path()`` prefix ending in ``/`` whose converters cannot match ``/``; any other prefix
makes the language an over-approximation (``exact`` False). A chain that cannot stand in
one regex (a look-behind or a ``^`` inside a regex below the root, inline global flags)
gets the pattern ``(?!)`` and ``exact`` False: the analysis then leaves it alone.
"""

from __future__ import annotations

import re

from routecli.routing.django.patterns import PARAMETER

ANY = "(?s:.)*"
NOTHING = "(?!)"
_NAMED_GROUP = re.compile(r"(?<!\\)\(\?P<[A-Za-z_][A-Za-z0-9_]*>")
_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")
_LITERAL_REGEX = re.compile(r"(?:[^.^$*+?{}\[\]|()\\]|\\[^A-Za-z0-9])*")
_SLASH_FREE = frozenset(("str", "int", "slug", "uuid"))  # built-ins that never match "/"


class Flattened:
    """``pattern`` (full match over the decoded path), ``anchored`` (the same with every
    re_path anchored at its start), ``ended`` (every endpoint re_path ended), ``exact``."""

    __slots__ = ("pattern", "anchored", "ended", "exact")

    def __init__(self, pattern: str, anchored: str, ended: str, exact: bool) -> None:
        self.pattern = pattern
        self.anchored = anchored
        self.ended = ended
        self.exact = exact


def flatten(chain: tuple, endpoint: bool = True) -> Flattened:
    """The language of the last pattern of ``chain`` (includes first, then the endpoint;
    with ``endpoint`` False, the chain is includes only: what their prefixes consume)."""
    parts, anchored, ended = ["/"], ["/"], ["/"]
    exact = True
    last = len(chain) - 1 if endpoint else -1
    for depth, item in enumerate(chain):
        pattern = item.pattern
        is_endpoint = depth == last
        if pattern.kind == "path":
            piece = route_piece(pattern) + (r"\Z" if is_endpoint else "")
            if not is_endpoint and not _route_splits_once(pattern):
                exact = False
            parts.append(piece)
            anchored.append(piece)
            ended.append(piece)
            continue
        if pattern.kind == "locale":
            piece = re.escape(pattern.prefix)
            parts.append(piece)
            anchored.append(piece)
            ended.append(piece)
            continue
        body, starts = regex_body(pattern.source)
        if body is None:
            return Flattened(NOTHING, NOTHING, NOTHING, False)
        lead = "" if starts or pattern.fullmatch else ANY
        if pattern.fullmatch:
            piece = whole = tail = f"(?:{body})\\Z"
        elif is_endpoint:
            piece, whole, tail = f"{lead}(?:{body}){ANY}", f"(?:{body}){ANY}", \
                f"{lead}(?:{body})\\Z"
        else:
            piece, whole, tail = f"{lead}(?:{body})", f"(?:{body})", f"{lead}(?:{body})"
            if not (starts and _LITERAL_REGEX.fullmatch(body)):
                exact = False  # only a literal prefix surely splits a path one way
        parts.append(piece)
        anchored.append(whole)
        ended.append(tail)
    return Flattened("".join(parts), "".join(anchored), "".join(ended), exact)


def route_piece(pattern) -> str:
    """A ``path()`` route as a regex without its ``^`` and without group names."""
    parts, end = [], 0
    route = pattern.route
    for found in PARAMETER.finditer(route):
        parts.append(re.escape(route[end:found.start()]))
        parts.append(f"(?:{pattern.converters[found.group('parameter')].regex})")
        end = found.end()
    parts.append(re.escape(route[end:]))
    return "".join(parts)


def regex_body(source: str) -> tuple[str | None, bool]:
    """A ``re_path()`` regex without its leading ``^`` and group names, and whether it
    had the ``^``; None when it cannot stand inside a longer regex."""
    starts = source.startswith("^")
    body = source[1:] if starts else source
    if (_GLOBAL_FLAGS.search(body) or "(?<" in body.replace("(?<P", "")
            or re.search(r"(?<![\\\[])\^", body) or "\\A" in body):
        # Flags must lead a regex; a look-behind or a start anchor would see the whole
        # path once flattened, but only what the include left in Django.
        return None, starts
    return _NAMED_GROUP.sub("(?:", body), starts


def _route_splits_once(pattern) -> bool:
    """A ``path()`` prefix whose language is prefix-free: every word has as many ``/``
    as the literals and ends with one."""
    if not pattern.route.endswith("/"):
        return not pattern.converters  # a literal prefix is one word
    return all(c.name in _SLASH_FREE and c.regex == _BUILTIN_REGEX[c.name]
               for c in pattern.converters.values())


def _builtin_regexes() -> dict[str, str]:
    from routecli.routing.django.converters import BUILTIN

    return {name: conv.regex for name, conv in BUILTIN.items()}


_BUILTIN_REGEX = _builtin_regexes()
