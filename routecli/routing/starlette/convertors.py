"""Starlette's path convertors: the regex a parameter matches and the value it becomes.

The built-in ones are Starlette 1.10's (the float dot escaped since 0.23, uuid upper
case and optional hyphens since 0.43). A custom convertor from a route file is its
regex, its value the matched text, and it builds a URL from a value's text; one from a
live app is the app's own object, whose ``convert`` may raise: Starlette does not guard
it, so the request answers 500. ``to_string`` is the other way round (``url_path_for``):
it raises :class:`ValueError` for a value the convertor refuses, where Starlette's own
fails an assertion or a conversion.
"""

from __future__ import annotations

import math
import uuid
from typing import Any


def _str_to_string(value: Any) -> str:
    value = str(value)
    if "/" in value:
        raise ValueError("May not contain path separators")
    if not value:
        raise ValueError("Must not be empty")
    return value


def _int_to_string(value: Any) -> str:
    value = int(value)
    if value < 0:
        raise ValueError("Negative integers are not supported")
    return str(value)


def _float_to_string(value: Any) -> str:
    value = float(value)
    if math.isnan(value):
        raise ValueError("NaN values are not supported")
    if math.isinf(value):
        raise ValueError("Infinite values are not supported")
    if value < 0.0:
        raise ValueError("Negative floats are not supported")
    return f"{value:0.20f}".rstrip("0").rstrip(".")


class Convertor:
    """What routing needs of a convertor: ``regex`` and ``convert(text)``."""

    __slots__ = ("name", "regex", "convert", "own", "to_string")

    def __init__(self, name: str, regex: str, convert: Any = str, own: bool = False,
                 to_string: Any = str) -> None:
        self.name = name
        self.regex = regex
        self.convert = convert
        self.own = own  # the app's own code: convert() and to_string() may raise anything
        self.to_string = to_string

    def __repr__(self) -> str:
        return f"Convertor({self.name!r}, {self.regex!r})"


BUILT_IN: dict[str, Convertor] = {
    "str": Convertor("str", "[^/]+", to_string=_str_to_string),
    "path": Convertor("path", ".*"),
    "int": Convertor("int", "[0-9]+", int, to_string=_int_to_string),
    "float": Convertor("float", r"[0-9]+(\.[0-9]+)?", float, to_string=_float_to_string),
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
            table[name] = Convertor(name, instance.regex, instance.convert, own=True,
                                    to_string=instance.to_string)
        else:
            table[name] = Convertor(name, definition.regex)
    return table
