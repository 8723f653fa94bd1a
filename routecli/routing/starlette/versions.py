"""The Starlette and FastAPI versions a route file may say it runs on, and what changes
with them (docs/dialects.md#versions).

Route files describe the newest behaviour unless ``settings`` names older versions:

* FastAPI before 0.137 copies an included router's routes at ``include_router``: a
  Mount or Host inside an included router is dropped (listed as ``lost``, RL215);
* Starlette before 0.53 compares Host patterns case-sensitively;
* Starlette before 1.0 leaves HEAD out of an HTTPEndpoint's own 405 Allow unless the
  class defines ``head()`` (modelled on 0.46.2, the oldest version routecli supports).
"""

from __future__ import annotations

import re

# Every ``*_version`` setting of a first-match route file is checked here, Django's too
# (what it changes is in routing/django/table.py).
MINIMUM = {"starlette_version": (0, 46), "fastapi_version": (0, 115), "django_version": (4, 2)}
FRAMEWORK = {"starlette_version": "Starlette", "fastapi_version": "FastAPI",
             "django_version": "Django"}
INCLUDE_TREE = (0, 137)  # FastAPI: included routers become live nodes
HOSTS_FOLD_CASE = (0, 53)  # Starlette: Host patterns ignore case
ENDPOINT_ALLOW_HEAD = (1, 0)  # Starlette: an HTTPEndpoint's Allow lists HEAD with get()

_VERSION = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")


def parse(text: str | None) -> tuple[int, ...] | None:
    """``"0.136.3"`` as ``(0, 136, 3)``; None for no version (the newest behaviour)."""
    if text is None:
        return None
    match = _VERSION.fullmatch(text)
    if match is None:
        raise ValueError(f"expected a version like '0.136' or '0.136.3', got {text!r}")
    return tuple(int(part) for part in match.groups() if part is not None)


def problem(setting: str, text: str | None) -> str | None:
    """Why ``text`` is not a version ``setting`` may name, or None."""
    try:
        version = parse(text)
    except ValueError as exc:
        return str(exc)
    minimum = MINIMUM[setting]
    if version is not None and version < minimum:
        return (f"routecli models {FRAMEWORK[setting]} {'.'.join(map(str, minimum))} and "
                f"later, got {text!r}")
    return None


def before(options: dict, setting: str, version: tuple[int, ...]) -> bool:
    """Whether the route set's ``setting`` names a version older than ``version``."""
    named = parse(options.get(setting))
    return named is not None and named < version
