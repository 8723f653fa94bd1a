"""The user's code, as messages and sources show it.

Errors and ``source`` locations point at the user's code, never at Flask's,
Werkzeug's, routecli's or the standard library's: :func:`is_user_frame` decides
which frames are the user's, :func:`user_site` gives the ``file:line`` of the
innermost one, :func:`class_source` where a class is defined; :func:`summary` and
:func:`what_it_is` name an exception or an object in one line
(docs/python-sources.md#errors).
"""

from __future__ import annotations

import inspect
import os
from typing import Any

from routecli.routing.model import Source
from routecli.sources.route_file import display_path

# Packages whose frames are never "the user's code" in messages and sources.
_INTERNAL_PACKAGES = frozenset({"flask", "werkzeug", "routecli", "importlib", "click",
                                "_frozen_importlib", "_frozen_importlib_external"})


def summary(exc: BaseException) -> str:
    """``"ExcType: first line of the message"`` (just the type when there is no message)."""
    text = str(exc).strip().splitlines()
    first = text[0].strip() if text else ""
    if len(first) > 300:
        first = first[:297] + "..."
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


_LIBRARY_DIRS: tuple[str, ...] | None = None


def _library_dirs() -> tuple[str, ...]:
    global _LIBRARY_DIRS
    if _LIBRARY_DIRS is None:
        import sysconfig

        paths = sysconfig.get_paths()
        dirs = {os.path.realpath(paths[key]) + os.sep
                for key in ("stdlib", "platstdlib", "purelib", "platlib") if key in paths}
        _LIBRARY_DIRS = tuple(sorted(dirs))
    return _LIBRARY_DIRS


def is_user_frame(frame) -> bool:
    """Whether ``frame`` runs the user's code: not a library's, Python's or routecli's own."""
    module = frame.f_globals.get("__name__") or ""
    if module.split(".")[0] in _INTERNAL_PACKAGES:
        return False
    if module == "__main__" and is_routecli_entry(frame.f_globals):
        return False
    filename = frame.f_code.co_filename
    if filename.startswith("<"):
        return False
    return not os.path.realpath(filename).startswith(_library_dirs())


def is_routecli_entry(namespace: dict) -> bool:
    """The ``routecli`` console script or ``python -m routecli``: not the user's code."""
    spec = namespace.get("__spec__")
    if spec is not None and (getattr(spec, "name", "") or "").startswith("routecli"):
        return True
    main = namespace.get("main")
    return (getattr(main, "__module__", "") or "").startswith("routecli")


def user_frames(tb) -> list:
    """``(frame, line)`` of each traceback entry in the user's code, outermost first."""
    frames = []
    while tb is not None:
        if is_user_frame(tb.tb_frame):
            frames.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    return frames


def user_site(tb) -> str | None:
    """``file:line`` of the innermost traceback frame in the user's code, or None."""
    frames = user_frames(tb)
    if not frames:
        return None
    frame, line = frames[-1]
    return f"{display_path(frame.f_code.co_filename)}:{line}"


def what_it_is(obj: Any) -> str:
    """``a str``, ``an int``, ``None``: what an object is, for messages."""
    if obj is None:
        return "None"
    if inspect.ismodule(obj):
        return "a module"
    if isinstance(obj, type):
        return f"the class {obj.__name__}"
    name = type(obj).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def class_source(cls: type) -> Source | None:
    """Where the user's code defines ``cls``; None for a library's class or when unknown."""
    try:
        filename = inspect.getsourcefile(cls)
        line = getattr(cls, "__firstlineno__", None) or inspect.getsourcelines(cls)[1]
    except (OSError, TypeError):
        return None
    if not filename or is_internal_module(getattr(cls, "__module__", "")):
        return None
    return Source(display_path(filename), line)


def is_internal_module(name: str | None) -> bool:
    """Whether module ``name`` belongs to Flask, Werkzeug, routecli or the import system."""
    return (name or "").split(".")[0] in _INTERNAL_PACKAGES
