"""Flask translation of converters: a rule's Werkzeug converter objects and a map's custom
converter classes, as routecli's (docs/python-sources.md#what-routecli-reads-from-a-flask-app).

A built-in converter object (``int(min=1)``, ``string(length=2)``, ``any(a, b)``...)
becomes routecli's own when its regex and weight prove the arguments were understood, so
analysis knows it; anything else stays the app's object. Imported only for an app or a
map, so Werkzeug is imported at the top.
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.routing import converters as wz

from routecli.routing.model import ConverterDef
from routecli.routing.werkzeug.converters import (
    AnyConverter,
    FloatConverter,
    IntConverter,
    PathConverter,
    StringConverter,
    UUIDConverter,
)
from routecli.routing.werkzeug.syntax import RuleSyntaxError, Variable, tokenize
from routecli.sources.python.user_code import class_source


def _same(native: Any, obj: Any) -> bool:
    return (native.regex == obj.regex and native.weight == obj.weight
            and bool(native.part_isolating) == bool(obj.part_isolating))


def _native_string(obj: Any, name: str):
    found = re.fullmatch(r"\[\^/\]\{(\d+)(?:(,)(\d*))?\}", obj.regex)
    if found is None:
        return None
    low, comma, high = found.groups()
    if comma is None:
        kwargs: dict[str, Any] = {"length": int(low)}
    else:
        kwargs = {} if low == "1" else {"minlength": int(low)}
        if high:
            kwargs["maxlength"] = int(high)
    native = StringConverter((), kwargs, name=name if name in ("default", "string") else "string")
    native.name = name
    return native if _same(native, obj) else None


def _native_any(obj: Any, name: str):
    body = obj.regex
    if not (body.startswith("(?:") and body.endswith(")")):
        return None
    items = [re.sub(r"\\(.)", r"\1", item, flags=re.DOTALL)
             for item in re.split(r"(?<!\\)\|", body[3:-1])]
    native = AnyConverter(tuple(items))
    native.name = name
    if set(native.items) != set(obj.items) or not _same(native, obj):
        return None
    return native


def _native_number(obj: Any, name: str):
    is_float = isinstance(obj, wz.FloatConverter)
    values = {"fixed_digits": obj.fixed_digits, "min": obj.min, "max": obj.max,
              "signed": obj.signed}
    defaults = {"fixed_digits": 0, "min": None, "max": None, "signed": False}
    if is_float:
        if obj.fixed_digits:
            return None
        del values["fixed_digits"]
    kwargs = {key: value for key, value in values.items()
              if not (value == defaults[key] and type(value) is type(defaults[key]))}
    native = (FloatConverter if is_float else IntConverter)((), kwargs)
    native.name = name
    if not _same(native, obj):
        return None
    for key, value in values.items():
        mine = getattr(native, key)
        if mine != value or type(mine) is not type(value):
            return None
    return native


def _native_plain(obj: Any, name: str):
    native = (PathConverter if isinstance(obj, wz.PathConverter) else UUIDConverter)()
    native.name = name
    return native if _same(native, obj) else None


# Werkzeug's built-in converter classes -> a maker of the equivalent routecli converter.
_NATIVE = {
    wz.UnicodeConverter: _native_string,
    wz.AnyConverter: _native_any,
    wz.PathConverter: _native_plain,
    wz.IntegerConverter: _native_number,
    wz.FloatConverter: _native_number,
    wz.UUIDConverter: _native_plain,
}


def rule_converters(rule: Any, host_matching: bool) -> dict[str, Any]:
    """Werkzeug's built-in converter objects as routecli's own (so analysis knows
    them); anything else as the app's object (wrapped in ForeignConverter)."""
    objects = dict(getattr(rule, "_converters", {}) or {})
    if not objects:
        return {}
    names: dict[str, str] = {}
    domain = (rule.host if host_matching else rule.subdomain) or ""
    for text, slash in ((domain, False), (rule.rule, True)):
        if not text:
            continue
        try:
            tokens = tokenize(text, require_slash=slash)
        except RuleSyntaxError:
            continue
        for token in tokens:
            if isinstance(token, Variable):
                names.setdefault(token.name, token.converter)
    out: dict[str, Any] = {}
    for name, obj in objects.items():
        make = _NATIVE.get(type(obj))
        native = None
        if make is not None:
            try:
                native = make(obj, names.get(name) or "default")
            except Exception:  # noqa: BLE001 - anything odd: keep the app's object
                native = None
        out[name] = native if native is not None else obj
    return out


class _ConverterFactory:
    """Builds an app's custom converter like ``Map`` does: ``cls(map, *args, **kwargs)``."""

    def __init__(self, cls: type, url_map: Any) -> None:
        self.cls = cls
        self.map = url_map

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.cls(self.map, *args, **kwargs)

    def __reduce__(self):
        # The app's url_map (locks, the app's own objects) cannot go to another process;
        # the table can be loaded there again (docs/coverage.md#pre-aggregated-counts).
        import pickle

        raise pickle.PicklingError(
            f"a table read from a live Flask app cannot be pickled: its converter "
            f"{self.cls.__qualname__} is built with the app's url_map; load the table "
            f"in each worker instead (routecli.load('module:app'))")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ConverterFactory) and other.cls is self.cls

    def __hash__(self) -> int:
        return hash(self.cls)


def custom_converters(url_map: Any) -> dict[str, ConverterDef]:
    """The map's converters that are not Werkzeug's defaults, as ConverterDefs."""
    out: dict[str, ConverterDef] = {}
    for name, cls in url_map.converters.items():
        if wz.DEFAULT_CONVERTERS.get(name) is cls:
            continue
        regex = getattr(cls, "regex", "[^/]+")
        out[name] = ConverterDef(
            name,
            regex=regex if isinstance(regex, str) else "[^/]+",
            weight=getattr(cls, "weight", 100),
            part_isolating=bool(getattr(cls, "part_isolating", True)),
            factory=_ConverterFactory(cls, url_map),
            source=class_source(cls),
        )
    return out
