"""FastAPI's path-parameter validation, which runs after the route is chosen.

Annotations do not route: ``/users/{user_id}`` with ``user_id: int`` takes ``/users/me``
and pydantic then refuses ``me``, so FastAPI answers 422 and no later route is tried.
A route file declares such types in ``params:``; their checks follow pydantic's lax
mode for path strings (``4.0`` and ``-5`` are ints, ``yes`` is a bool). A live app's
parameters carry the app's own validator (``validate(text) -> error or None``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

_INT = re.compile(r"[+-]?[0-9](?:_?[0-9])*(?:\.0*)?")
_FLOAT_WORDS = {"nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
_BOOLS = {"true", "false", "1", "0", "yes", "no", "on", "off", "t", "f", "y", "n"}


def _int(value) -> str | None:
    if isinstance(value, int):
        return None
    if isinstance(value, float):
        return None if value.is_integer() else "a valid integer"
    if isinstance(value, str):
        return None if _INT.fullmatch(value.strip(" \t\n\r")) else "a valid integer"
    return "a valid integer"


def _float(value) -> str | None:
    if isinstance(value, (int, float)):
        return None
    if not isinstance(value, str):
        return "a valid number"
    stripped = value.strip(" \t\n\r")
    if not stripped.isascii():
        return "a valid number"
    if stripped.lower() in _FLOAT_WORDS:
        return None
    try:
        float(stripped)
    except ValueError:
        return "a valid number"
    return None


def _bool(value) -> str | None:
    if isinstance(value, (int, float)):
        return None if value in (0, 1) else "a valid boolean"
    if isinstance(value, str) and value.strip(" \t\n\r").lower() in _BOOLS:
        return None
    return "a valid boolean"


def _uuid(value) -> str | None:
    if isinstance(value, uuid.UUID):
        return None
    if not isinstance(value, str) or not value.isascii():
        return "a valid UUID"
    try:
        uuid.UUID(value)
    except ValueError:
        return "a valid UUID"
    return None


def _str(value) -> str | None:
    # Pydantic's lax mode does not turn numbers into text: a {x:int} convertor feeding a
    # `x: str` parameter is always a 422.
    return None if isinstance(value, str) else "a valid string"


#: the checks of a route file's declared types, on the value Starlette's convertor made
CHECKS: dict[str, Callable[[object], str | None]] = {
    "str": _str,
    "int": _int,
    "float": _float,
    "bool": _bool,
    "uuid": _uuid,
}


def refusal(param_types: dict, values: dict) -> str | None:
    """Why FastAPI answers 422 for these raw path values, or None when they pass."""
    for name, kind in param_types.items():
        if name not in values:
            continue
        value = values[name]
        if isinstance(kind, str):  # a route file's type name: pydantic's lax rules
            problem = CHECKS[kind](value)
            if problem is not None:
                return f"path parameter {name!r}={value!r} is not {problem}"
            continue
        problem = kind(value)  # a live app's own validator
        if problem is not None:
            return f"path parameter {name!r}={value!r} {problem}"
    return None
