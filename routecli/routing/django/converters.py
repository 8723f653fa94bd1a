"""Path converters: the five Django ships and custom ones (a regex and, for a live
project, the real ``to_python``).

A converter rejects a value by raising ValueError from ``to_python``; Django then
treats the pattern as not matching and goes on with the next one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any


class Converter:
    """What resolution and ``reverse()`` need of a converter: its regex, ``to_python``
    and ``to_url`` (the built-ins' give text back unchanged; a route file's custom
    converter is taken to do the same).

    ``may_reject`` is False when ``to_python`` can never raise ValueError on text its
    regex matched (the built-ins): the analysis then treats the regex as exact.
    """

    __slots__ = ("name", "regex", "to_python", "to_url", "may_reject", "source")

    def __init__(self, name: str, regex: str, to_python: Callable[[str], Any] | None = None,
                 may_reject: bool = True, source: str | None = None,
                 to_url: Callable[[Any], str] | None = None) -> None:
        self.name = name
        self.regex = regex
        self.to_python = to_python if to_python is not None else _same
        self.to_url = to_url if to_url is not None else _text
        self.may_reject = may_reject if to_python is not None else False
        self.source = source

    def __repr__(self) -> str:
        return f"Converter({self.name!r}, {self.regex!r})"


def _same(value: str) -> str:
    return value


def _text(value: Any) -> str:
    """The built-ins' ``to_url``: ``str(value)`` (int, uuid), the value itself (str,
    slug, path: the same for the text ``routecli url`` passes)."""
    return value if isinstance(value, str) else str(value)


# Django's built-in converters (django.urls.converters): regexes and value types.
BUILTIN: dict[str, Converter] = {
    "int": Converter("int", "[0-9]+", int, may_reject=False),
    "path": Converter("path", ".+"),
    "slug": Converter("slug", "[-a-zA-Z0-9_]+"),
    "str": Converter("str", "[^/]+"),
    "uuid": Converter("uuid", "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                      uuid.UUID, may_reject=False),
}


def from_object(name: str, converter: Any, source: str | None = None) -> Converter:
    """A live project's converter instance (``register_converter``) as a :class:`Converter`.

    Built-in ones are recognised by class so their ``to_python`` is known not to reject.
    """
    cls = type(converter)
    if cls.__module__ == "django.urls.converters" and name in BUILTIN:
        builtin = BUILTIN[name]
        if builtin.regex == getattr(converter, "regex", None):
            return builtin
    return Converter(name, str(converter.regex), converter.to_python, may_reject=True,
                     source=source, to_url=converter.to_url)
