"""Converters: what a ``<conv(args):name>`` variable matches and what it yields.

Each converter knows its regex, weight and whether it stays inside one path
segment (``part_isolating``), converts matched text (``to_python``, raising
:class:`ValidationError` for a 404) and back (``to_url``). The built-ins copy
Werkzeug's behaviour, argument binding included; custom converters come from
a route file (a regex and a weight) or from a Python app (its own objects).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

# Characters Werkzeug leaves unescaped when it builds a URL path.
URL_SAFE = "!$&'()*+,/:;=@"


class ValidationError(ValueError):
    """The text matched the regex but the converter refuses it (→ 404)."""


class ConverterArgumentError(ValueError):
    """Converter arguments Werkzeug would refuse (or that would crash at match time)."""


class Converter:
    """Base converter: any text of one segment, returned unchanged."""

    name = "custom"
    regex = "[^/]+"
    weight = 100
    part_isolating = True
    # True when to_python can refuse a value that the regex matched.
    validates = False
    # True when to_python accepts every value the regex matched and does nothing else: an
    # answer that needs no arguments (a table's ``match_index``) may skip it.
    total = False

    def __init__(self, args: tuple[Any, ...] = (), kwargs: dict[str, Any] | None = None) -> None:
        self.args = args
        self.kwargs = kwargs or {}

    def to_python(self, value: str) -> Any:
        return value

    def to_url(self, value: Any) -> str:
        return quote(str(value), safe=URL_SAFE)

    def quick_match(self) -> Callable[[str], bool] | None:
        """A regex-free test of a whole segment, exact for this converter, or None."""
        return None

    @property
    def spec(self) -> str:
        """The converter as a rule would write it, e.g. ``int(max=10)``."""
        parts = [repr(a) if isinstance(a, str) else str(a) for a in self.args]
        parts += [f"{k}={v!r}" if isinstance(v, str) else f"{k}={v}" for k, v in
                  self.kwargs.items()]
        return f"{self.name}({', '.join(parts)})" if parts else self.name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.spec}>"


def _bind(signature: Callable[..., dict[str, Any]], name: str, args: tuple, kwargs: dict):
    try:
        return signature(*args, **kwargs)
    except TypeError as exc:
        message = str(exc).replace(signature.__name__ + "()", f"converter '{name}'")
        raise ConverterArgumentError(message) from None


def _string_signature(minlength=1, maxlength=None, length=None):
    return {"minlength": minlength, "maxlength": maxlength, "length": length}


def _int_signature(fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
    return {"fixed_digits": fixed_digits, "min": min, "max": max, "signed": signed}


def _float_signature(min=None, max=None, signed=False):  # noqa: A002
    return {"fixed_digits": 0, "min": min, "max": max, "signed": signed}


def _as_int(name: str, key: str, value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ConverterArgumentError(
            f"converter '{name}': {key}={value!r} is not an integer"
            + (" (write string(minlength=2, maxlength=5), with a space after the comma)"
               if isinstance(value, str) and "," in value else "")
        ) from None


class StringConverter(Converter):
    """``string`` / ``default``: text without a slash, with optional length bounds."""

    name = "string"

    def __init__(self, args=(), kwargs=None, name: str = "string") -> None:
        super().__init__(args, kwargs)
        self.name = name
        bound = _bind(_string_signature, name, args, self.kwargs)
        # Like Werkzeug, minlength and maxlength are not even read when length is given.
        self.length = self.minlength = self.maxlength = None
        if bound["length"] is not None:
            self.length = _as_int(name, "length", bound["length"])
            self.regex = f"[^/]{{{self.length}}}"
        else:
            self.minlength = _as_int(name, "minlength", bound["minlength"])
            if bound["maxlength"] is not None:
                self.maxlength = _as_int(name, "maxlength", bound["maxlength"])
                if self.maxlength < self.minlength:
                    raise ConverterArgumentError(
                        f"converter '{name}': maxlength={self.maxlength} is less than "
                        f"minlength={self.minlength}"
                    )
            upper = "" if self.maxlength is None else str(self.maxlength)
            self.regex = f"[^/]{{{self.minlength},{upper}}}"

    @property
    def bounds(self) -> tuple[int, int | None]:
        """The accepted lengths as (low, high or None)."""
        if self.length is not None:
            return self.length, self.length
        return self.minlength, self.maxlength

    def quick_match(self):
        low, high = self.bounds
        if high is None:
            if low == 1:
                return bool  # a segment never holds "/", so any non-empty one matches
            return lambda segment: len(segment) >= low
        return lambda segment: low <= len(segment) <= high


class AnyConverter(Converter):
    """``any(a, b)``: one of the listed items."""

    name = "any"

    def __init__(self, args=(), kwargs=None) -> None:
        super().__init__(args, kwargs)
        if self.kwargs:
            key = next(iter(self.kwargs))
            raise ConverterArgumentError(
                f"converter 'any' got an unexpected keyword argument '{key}'"
            )
        for item in args:
            if not isinstance(item, str):
                raise ConverterArgumentError(
                    f"converter 'any': item {item!r} is not a string; quote it, "
                    f"e.g. any('{item}')"
                )
        self.items: tuple[str, ...] = tuple(args)
        self.regex = "(?:" + "|".join(re.escape(item) for item in args) + ")"

    def quick_match(self):
        if not self.items:
            return "".__eq__  # any() is the regex (?:), which matches only ""
        members = frozenset(self.items)
        return members.__contains__

    def to_url(self, value: Any) -> str:
        if value in self.items:
            return str(value)
        valid = ", ".join(f"'{item}'" for item in sorted(set(self.items)))
        raise ValueError(f"'{value}' is not one of {valid}")


class PathConverter(Converter):
    """``path``: like string but spans slashes; arguments are ignored, as in Werkzeug."""

    name = "path"
    regex = "[^/].*?"
    weight = 200
    part_isolating = False


class NumberConverter(Converter):
    """Shared by ``int`` and ``float``: regex match, then fixed_digits/min/max checks."""

    digits_regex = r"\d+"

    def __init__(self, args=(), kwargs=None) -> None:
        super().__init__(args, kwargs)
        signature = _int_signature if self.name == "int" else _float_signature
        bound = _bind(signature, self.name, args, self.kwargs)
        self.fixed_digits = bound["fixed_digits"]
        self.min = bound["min"]
        self.max = bound["max"]
        self.signed = bound["signed"]
        # Werkzeug would accept non-numbers here and then crash (or always 404) at match time.
        for key in ("fixed_digits", "min", "max"):
            value = bound[key]
            if value is not None and not isinstance(value, (int, float)):
                raise ConverterArgumentError(
                    f"converter '{self.name}': {key}={value!r} is not a number"
                )
        self.regex = ("-?" if self.signed else "") + self.digits_regex
        self.validates = bool(self.fixed_digits) or self.min is not None or self.max is not None

    def convert(self, text: str) -> Any:
        raise NotImplementedError

    def to_python(self, value: str) -> Any:
        if self.fixed_digits and len(value) != self.fixed_digits:
            raise ValidationError(f"{len(value)} digits, not {self.fixed_digits}")
        number = self.convert(value)
        if self.min is not None and number < self.min:
            raise ValidationError(f"below min={self.min}")
        if self.max is not None and number > self.max:
            raise ValidationError(f"above max={self.max}")
        return number

    def to_url(self, value: Any) -> str:
        # Plain int()/float(), as Werkzeug: a value that is no number raises ValueError.
        text = str(self.number_type(value))
        if self.fixed_digits:
            text = text.zfill(self.fixed_digits)
        return text


def plain_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValidationError("too many digits") from None


class IntConverter(NumberConverter):
    """``int``: decimal digits (any Unicode Nd digit, like Python's ``\\d``)."""

    name = "int"
    weight = 50
    number_type = int

    def __init__(self, args=(), kwargs=None) -> None:
        super().__init__(args, kwargs)
        if not self.validates:
            self.to_python = plain_int  # the hot path of most dynamic routes

    def convert(self, text: Any) -> int:
        try:
            return int(text)
        except ValueError:
            # More than 4300 digits: Python refuses; treat it as not found.
            raise ValidationError("too many digits") from None

    def quick_match(self):
        if self.signed:
            def signed_digits(segment: str) -> bool:
                return segment.isdecimal() or (segment[:1] == "-" and segment[1:].isdecimal())
            return signed_digits
        return str.isdecimal


class FloatConverter(NumberConverter):
    """``float``: ``digits.digits``; no exponent, no bare integers."""

    name = "float"
    weight = 50
    number_type = float
    digits_regex = r"\d+\.\d+"

    def convert(self, text: Any) -> float:
        return float(text)


class UUIDConverter(Converter):
    """``uuid``: the dashed 8-4-4-4-12 hex form, either case; arguments are ignored."""

    name = "uuid"
    regex = ("[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}")
    total = True  # uuid.UUID takes any 32 hex digits, dashes anywhere

    def to_python(self, value: str) -> Any:
        import uuid  # only when a uuid is actually matched: keeps start-up lean

        return uuid.UUID(value)

    def to_url(self, value: Any) -> str:
        return str(value)


class RegexConverter(Converter):
    """A custom converter from a route file: its regex and weight; arguments are ignored."""

    def __init__(self, definition, args=(), kwargs=None) -> None:
        super().__init__(args, kwargs)
        self.name = definition.name
        self.regex = definition.regex
        self.weight = definition.weight
        self.part_isolating = definition.part_isolating
        self.definition = definition


class ForeignConverter(Converter):
    """A converter object from a Python app (e.g. a Werkzeug ``BaseConverter``).

    Its regex, weight and part_isolating are read once; ``to_python`` and
    ``to_url`` call the object, so the app's own conversion is honoured.
    """

    def __init__(self, obj: Any, name: str, args=(), kwargs=None) -> None:
        super().__init__(args, kwargs)
        self.obj = obj
        self.name = name
        self.regex = str(getattr(obj, "regex", "[^/]+"))
        self.weight = getattr(obj, "weight", 100)
        self.part_isolating = bool(getattr(obj, "part_isolating", True))
        # We cannot know whether foreign code refuses values: assume it may.
        self.validates = True

    def to_python(self, value: str) -> Any:
        try:
            return self.obj.to_python(value)
        except ValueError as exc:
            # Werkzeug's ValidationError subclasses ValueError; other errors propagate.
            if any(cls.__name__ == "ValidationError" for cls in type(exc).__mro__):
                raise ValidationError(str(exc)) from None
            raise

    def to_url(self, value: Any) -> str:
        return self.obj.to_url(value)


def is_total(to_python: Callable) -> bool:
    """Whether a rule's ``to_python`` (a converter's bound method) is one of a
    :attr:`Converter.total` converter."""
    converter = getattr(to_python, "__self__", None)
    return isinstance(converter, Converter) and converter.total


BUILTIN_NAMES = ("default", "string", "any", "path", "int", "float", "uuid")


def make_converter(name: str, args: tuple, kwargs: dict, custom: dict | None = None) -> Converter:
    """Instantiate converter ``name`` with parsed arguments.

    ``custom`` maps names to :class:`routecli.routing.model.ConverterDef`; a custom
    definition overrides a built-in of the same name, as Werkzeug's
    ``Map(converters=...)`` does. Raises :class:`LookupError` for an unknown
    name and :class:`ConverterArgumentError` for bad arguments.
    """
    if custom and name in custom:
        definition = custom[name]
        if definition.factory is not None:
            try:
                obj = definition.factory(*args, **kwargs)
            except Exception as exc:  # foreign code: any failure is bad input
                raise ConverterArgumentError(
                    f"converter '{name}' refused its arguments: {exc}"
                ) from None
            return ForeignConverter(obj, name, args, kwargs)
        return RegexConverter(definition, args, kwargs)
    if name in ("default", "string"):
        return StringConverter(args, kwargs, name=name)
    if name == "int":
        return IntConverter(args, kwargs)
    if name == "float":
        return FloatConverter(args, kwargs)
    if name == "any":
        return AnyConverter(args, kwargs)
    if name == "path":
        return PathConverter(args, kwargs)
    if name == "uuid":
        return UUIDConverter(args, kwargs)
    raise LookupError(name)
