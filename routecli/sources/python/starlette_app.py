"""Live Starlette and FastAPI apps (``-r main:app``): placeholder filled in below."""

from __future__ import annotations

import sys
from typing import Any


def is_app(obj: Any) -> bool:
    """Whether ``obj`` is a Starlette app, FastAPI app or Router (never imports them)."""
    routing = sys.modules.get("starlette.routing")
    applications = sys.modules.get("starlette.applications")
    classes = tuple(cls for cls in (getattr(applications, "Starlette", None),
                                    getattr(routing, "Router", None)) if cls is not None)
    return bool(classes) and isinstance(obj, classes)


def routeset_from_app(obj: Any):
    raise NotImplementedError
