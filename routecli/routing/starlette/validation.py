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


def _int(text: str) -> str | None:
    return None if _INT.fullmatch(text.strip(" \t\n\r")) else "a valid integer"


def _float(text: str) -> str | None:
    stripped = text.strip(" \t\n\r")
    if not stripped.isascii():
        return "a valid number"
    if stripped.lower() in _FLOAT_WORDS:
        return None
    try:
        float(stripped)
    except ValueError:
        return "a valid number"
    return None


def _bool(text: str) -> str | None:
    return None if text.strip(" \t\n\r").lower() in _BOOLS else "a valid boolean"


def _uuid(text: str) -> str | None:
    if not text.isascii():
        return "a valid UUID"
    try:
        uuid.UUID(text)
    except ValueError:
        return "a valid UUID"
    return None


CHECKS: dict[str, Callable[[str], str | None]] = {
    "str": lambda text: None,
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
        text = values[name]
        if not isinstance(text, str):
            text = str(text)
        check = CHECKS[kind] if isinstance(kind, str) else kind
        problem = check(text)
        if problem is not None:
            return f"path parameter {name!r}={text!r} is not {problem}"
    return None
