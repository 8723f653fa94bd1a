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


def path_format(pieces: list[Piece]) -> str:
    """The template with convertors removed (FastAPI's ``path_format``)."""
    return "".join(piece.text if piece.name is None else "{" + piece.name + "}"
                   for piece in pieces)


def literal_head(pieces: list[Piece]) -> str:
    """The literal text every matching path starts with."""
    return pieces[0].text if pieces and pieces[0].name is None else ""
