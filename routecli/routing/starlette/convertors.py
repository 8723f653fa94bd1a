"""Starlette's path convertors: the regex a parameter matches and the value it becomes.

The built-in ones are Starlette 1.10's (the float dot escaped since 0.23, uuid upper
case and optional hyphens since 0.43). A custom convertor from a route file is its
regex, its value the matched text; one from a live app is the app's own object, whose
``convert`` may raise: Starlette does not guard it, so the request answers 500.
"""

from __future__ import annotations

import uuid
from typing import Any


class Convertor:
    """What routing needs of a convertor: ``regex`` and ``convert(text)``."""

    __slots__ = ("name", "regex", "convert", "own")

    def __init__(self, name: str, regex: str, convert: Any = str, own: bool = False) -> None:
        self.name = name
        self.regex = regex
        self.convert = convert
        self.own = own  # the app's own code: convert() may raise anything

    def __repr__(self) -> str:
        return f"Convertor({self.name!r}, {self.regex!r})"


BUILT_IN: dict[str, Convertor] = {
    "str": Convertor("str", "[^/]+"),
    "path": Convertor("path", ".*"),
    "int": Convertor("int", "[0-9]+", int),
    "float": Convertor("float", r"[0-9]+(\.[0-9]+)?", float),
    "uuid": Convertor("uuid", "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                              "[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}", uuid.UUID),
}


def convertor_table(custom: dict) -> dict[str, Convertor]:
    """The built-in convertors plus a route set's custom ones (``ConverterDef``s): a
    definition from a live app carries the app's convertor object as ``factory``."""
    table = dict(BUILT_IN)
    for name, definition in custom.items():
        instance = definition.factory
        if instance is not None:
            table[name] = Convertor(name, instance.regex, instance.convert, own=True)
        else:
            table[name] = Convertor(name, definition.regex)
    return table
