"""The path language of each Django endpoint, as one regular expression over the path
after the root ``/``, for the automata (:mod:`routecli.analysis.automata`).

An endpoint answers a path when each pattern on its include chain matches in turn, each
on what the previous one left. Flattened, the chain is one concatenation:

* a ``path()`` route is its literals and converter regexes (anchored where the previous
  pattern stopped); an endpoint's ends the path;
* a ``re_path()`` regex with ``^`` is anchored there; without it, anything may come first
  (Django searches); an endpoint regex ending in ``$`` is fullmatched; other endpoint
  regexes let anything follow;
* an ``i18n_patterns`` prefix is its literal text.

The flat language is exactly what reaches the endpoint (earlier patterns aside) when
every include prefix on the chain splits a path in one way only (its language is
prefix-free: Django matches a prefix once, greedily, and never re-splits, D08) and no
converter may reject a value (a ``to_python`` that raises ValueError). Otherwise it is
an over-approximation: good for "this endpoint is dead" (a superset covered is covered),
never used as a dominator (see :attr:`EndpointLanguage.exact`).
"""

from __future__ import annotations

import re
from functools import cached_property

from routecli.analysis.automata import Undecidable, compile_regex, intersect_witness
from routecli.routing.django.patterns import PARAMETER
from routecli.routing.django.urlconf import Endpoint

ANY = "(?s:.)*"
_NAMED_GROUP = re.compile(r"(?<!\\)\(\?P<[A-Za-z_][A-Za-z0-9_]*>")
_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


class EndpointLanguage:
    """One endpoint's flattened path language (over the path without its leading "/").

    ``regex`` is None when the chain cannot be flattened faithfully (a lookbehind or a
    ``^`` below the first level, global flags); ``exact`` says whether the language is
    exactly what reaches the endpoint; ``literal`` is text every path of it starts with.
    """

    __slots__ = ("endpoint", "regex", "exact", "literal", "anchored_regex", "ended_regex",
                 "__dict__")

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.regex: str | None = None
        self.anchored_regex: str | None = None  # every re_path anchored at its start
        self.ended_regex: str | None = None  # every endpoint re_path ended with \Z
        self.exact = False
        self.literal = ""
        try:
            self._flatten()
        except Undecidable:
            self.regex = None

    def _flatten(self) -> None:
        chain = (*self.endpoint.parents, self.endpoint)
        parts, anchored, ended = [], [], []
        exact, literal, literal_open = True, [], True
        for depth, item in enumerate(chain):
            pattern = item.pattern
            is_endpoint = item is self.endpoint
            if pattern.kind == "path":
                piece = route_piece(pattern)
                if is_endpoint:
                    piece += r"\Z"
                if any(c.may_reject for c in pattern.converters.values()):
                    exact = False
                parts.append(piece)
                anchored.append(piece)
                ended.append(piece)
                text = pattern.literal_prefix
            elif pattern.kind == "regex":
                body, starts = regex_body(pattern.source, depth)
                lead = "" if starts or pattern.fullmatch else ANY
                if pattern.fullmatch:
                    piece = f"(?:{body})\\Z"
                    tail = piece
                elif is_endpoint:
                    piece = f"{lead}(?:{body}){ANY}"
                    tail = f"{lead}(?:{body})\\Z"
                else:
                    piece = tail = f"{lead}(?:{body})"
                parts.append(piece)
                anchored.append(piece.removeprefix(ANY) if lead else piece)
                ended.append(tail)
                text = pattern.literal_prefix if (starts or pattern.fullmatch) else ""
                text = text or ""
            else:  # an i18n language prefix
                piece = re.escape(pattern.prefix)
                parts.append(piece)
                anchored.append(piece)
                ended.append(piece)
                text = pattern.prefix
            if literal_open:
                literal.append(text)
                literal_open = text == str(pattern) and pattern.kind != "regex"
            if not is_endpoint and exact and not prefix_free(piece):
                exact = False
        self.regex = "".join(parts)
        self.anchored_regex = "".join(anchored)
        self.ended_regex = "".join(ended)
        self.exact = exact
        self.literal = "".join(literal)

    @cached_property
    def automaton(self):
        """The automaton of :attr:`regex` (Undecidable when it cannot be modelled)."""
        if self.regex is None:
            raise Undecidable("cannot be flattened")
        return compile_regex(self.regex)


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


def regex_body(source: str, depth: int) -> tuple[str, bool]:
    """A ``re_path()`` regex without its leading ``^`` and group names, and whether it
    had the ``^``. Undecidable when it cannot stand inside a longer regex."""
    starts = source.startswith("^")
    body = source[1:] if starts else source
    if _GLOBAL_FLAGS.search(body):
        raise Undecidable("inline global flags")
    if depth > 0 and ("(?<" in body.replace("(?<P", "") or re.search(r"(?<![\\\[])\^", body)
                      or "\\A" in body):
        # A look-behind or a start anchor sees the whole path once flattened, but only
        # what the include left in Django.
        raise Undecidable("a start anchor or look-behind below an include")
    return _NAMED_GROUP.sub("(?:", body), starts


def prefix_free(piece: str) -> bool:
    """True when no word of ``piece`` is a proper prefix of another: an include prefix
    then splits a path in one way only."""
    try:
        return intersect_witness(compile_regex(piece), compile_regex(f"(?:{piece})(?s:.)+")) \
            is None
    except Undecidable:
        return False
