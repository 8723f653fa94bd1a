"""Starlette's path templates: ``/users/{user_id}``, ``/files/{name}.{ext}``,
``/items/{id:int}``; a template not starting with ``/`` is a host pattern.

A parameter is ``{name}`` or ``{name:convertor}`` with identifier-like names; any other
brace text is literal (``/u/{user-id}`` matches only that URL). Starlette refuses a
repeated name and an unknown convertor when the route is created; so does
:func:`parse`, with a RouteError.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from routecli.errors import RouteError

PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(:[a-zA-Z_][a-zA-Z0-9_]*)?}")


class Piece(NamedTuple):
    """Literal text (``name`` None) or one parameter."""

    text: str
    name: str | None = None
    convertor: str | None = None


def parse(template: str, known: dict) -> list[Piece]:
    """The literal and parameter pieces of ``template``; ``known`` maps convertor names."""
    pieces: list[Piece] = []
    seen: set[str] = set()
    repeated: set[str] = set()
    end = 0
    for match in PARAM.finditer(template):
        name, convertor = match.group(1), (match.group(2) or ":str")[1:]
        if convertor not in known:
            raise RouteError(f"unknown path convertor {convertor!r} in {template!r} "
                             f"(known: {', '.join(sorted(known))})")
        if match.start() > end:
            pieces.append(Piece(template[end:match.start()]))
        if name in seen:
            repeated.add(name)
        seen.add(name)
        pieces.append(Piece(match.group(0), name, convertor))
        end = match.end()
    if repeated:
        raise RouteError(f"duplicated parameter name{'s' if len(repeated) > 1 else ''} "
                         f"{', '.join(sorted(repeated))} in {template!r}")
    if end < len(template):
        pieces.append(Piece(template[end:]))
    return pieces


def regex_source(pieces: list[Piece], known: dict, *, host: bool = False,
                 named: bool = True) -> str:
    """The regex Starlette compiles (``^...$``); ``named=False`` leaves the groups
    unnamed, for the analysis. A host pattern drops a ``:port`` after the last parameter."""
    out = "^"
    for index, piece in enumerate(pieces):
        if piece.name is None:
            text = piece.text
            if host and index == len(pieces) - 1 and not text.endswith("]"):
                text = text.rsplit(":", 1)[0]
            out += re.escape(text)
        else:
            regex = known[piece.convertor].regex
            out += f"(?P<{piece.name}>{regex})" if named else f"(?:{regex})"
    return out + "$"


# A whole literal segment a shared regex leaves to a string comparison: anything up to the
# next "/" except a newline, so that "$" still takes a final newline after it (it is
# compared only when the literal holds no newline).
_SEGMENT = "([^/\\n]*)"


def tail_source(pieces: list[Piece], known: dict, head: str, *, compare: bool
                ) -> tuple[str, tuple[int, ...], tuple[str, ...]]:
    """The regex of a path template after its literal ``head`` (no ``^``: it is matched
    from the head's end; ``$`` at its end), and the literal segments it captures to be
    compared as strings, with their group numbers (``compare``: the caller knows no
    parameter of the template can span a "/", so the path's slashes before any ``path``
    parameter fall on the template's, and each literal segment meets a whole segment).

    Literal segments are whole ones only (``/users/{id}/posts``: ``posts``); text sharing
    a segment with a parameter (``/{name}.{ext}``) stays in the regex. With ``head``
    checked apart and the segments compared apart, templates of one *shape* share one
    regex: ``/users/{id}/posts`` and ``/orgs/{id}/teams`` both match
    ``(?P<id>[^/]+)/([^/\\n]*)$``."""
    out = []
    literals: list[str] = []
    spots: list[int] = []
    groups = 0  # groups so far (only counted when comparing: Starlette's own convertors)
    rest = pieces[1:] if head else pieces
    last = len(rest) - 1
    for index, piece in enumerate(rest):
        if piece.name is not None:
            regex = known[piece.convertor].regex
            out.append(f"(?P<{piece.name}>{regex})")
            if compare:
                groups += 1 + _groups(regex)
            continue
        chunks = piece.text.split("/")
        for number, chunk in enumerate(chunks):
            whole = 0 < number and (number < len(chunks) - 1 or index == last)
            if number:
                out.append("/")
            if compare and whole and chunk and "\n" not in chunk:
                out.append(_SEGMENT)
                groups += 1
                spots.append(groups)
                literals.append(chunk)
            else:
                out.append(re.escape(chunk))
    return "".join(out) + "$", tuple(spots), tuple(literals)


_GROUP_COUNTS: dict[str, int] = {}


def _groups(regex: str) -> int:
    """How many groups a convertor's regex has (float's has one)."""
    count = _GROUP_COUNTS.get(regex)
    if count is None:
        count = _GROUP_COUNTS[regex] = re.compile(regex).groups
    return count


def path_format(pieces: list[Piece]) -> str:
    """The template with convertors removed (FastAPI's ``path_format``)."""
    return "".join(piece.text if piece.name is None else "{" + piece.name + "}"
                   for piece in pieces)


def literal_head(pieces: list[Piece]) -> str:
    """The literal text every matching path starts with."""
    return pieces[0].text if pieces and pieces[0].name is None else ""
