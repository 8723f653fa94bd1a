"""The user's code, as messages and sources show it.

Errors and ``source`` locations point at the user's code, never at Flask's,
Werkzeug's, routecli's or the standard library's: :func:`is_user_frame` decides
which frames are the user's, :func:`user_site` gives the ``file:line`` of the
innermost one, :func:`class_source` where a class is defined (each file parsed once),
:func:`code_path` how a Python file is shown (relative to the project, or an installed
package's import path); :func:`summary` and :func:`what_it_is` name an exception or an
object in one line (docs/python-sources.md#errors,
docs/python-sources.md#what-routecli-reads-from-a-flask-app).
"""

from __future__ import annotations

import ast
import inspect
import linecache
import os
import sys
from typing import Any

from routecli.routing.model import Source

# Packages whose frames are never "the user's code" in messages and sources.
_INTERNAL_PACKAGES = frozenset({"flask", "werkzeug", "django", "routecli", "importlib", "click",
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


_IN_LIBRARY: dict[str, bool] = {}


def _in_library(filename: str) -> bool:
    """Whether ``filename`` lies in Python's own or installed packages (cached: a big app
    asks once per rule)."""
    known = _IN_LIBRARY.get(filename)
    if known is None:
        real = os.path.realpath(filename)
        known = _IN_LIBRARY[filename] = any(_below(real, root) for root in _library_roots())
    return known


def imported_user_files() -> list[str]:
    """The files of the modules imported so far from outside Python's own and installed
    packages: the app's code (its settings, urlconfs, views), which no report may replace."""
    files = []
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if isinstance(file, str) and not _in_library(file):
            files.append(file)
    return files


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
    return not _in_library(filename)


# Directories the spec was imported from (set while importing, see .importing): files
# below one of them are shown relative to the current directory even outside it.
PROJECT_DIRS: list[str] = []
_CODE_PATHS: dict[tuple[str, str, tuple[str, ...]], str] = {}


def code_path(filename: str) -> str:
    """How a Python file is shown in sources and messages.

    Relative to the current directory when below it (or below the directory the spec was
    imported from); an installed package's or the standard library's file as its import
    path (``flask_admin/base.py``); anything else as given
    (docs/python-sources.md#paths).
    """
    if filename.startswith("<"):
        return filename
    cwd = os.getcwd()
    key = (filename, cwd, tuple(PROJECT_DIRS))
    shown = _CODE_PATHS.get(key)
    if shown is None:
        shown = _CODE_PATHS[key] = _code_path(filename, cwd)
    return shown


def _code_path(filename: str, cwd: str) -> str:
    path = os.path.abspath(filename)
    if _below(path, cwd):
        return os.path.relpath(path, cwd)
    real = os.path.realpath(path)
    roots = [root for root in _library_roots() if _below(real, root)]
    if roots:  # the longest root is the import root: site-packages under a venv's lib
        return os.path.relpath(real, max(roots, key=len))
    if any(_below(path, os.path.abspath(root)) for root in PROJECT_DIRS):
        return os.path.relpath(path, cwd)
    return filename


def _below(path: str, directory: str) -> bool:
    return path.startswith(directory.rstrip(os.sep) + os.sep)


def _library_roots() -> list[str]:
    """Import roots of installed code: the interpreter's library directories and every
    ``site-packages``/``dist-packages`` directory on ``sys.path``."""
    roots = [root.rstrip(os.sep) for root in _library_dirs()]
    for entry in sys.path:
        if entry and os.path.basename(entry.rstrip(os.sep)) in ("site-packages",
                                                                "dist-packages"):
            roots.append(os.path.realpath(entry))
    return roots


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
    return f"{code_path(frame.f_code.co_filename)}:{line}"


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
    """Where the user's code defines ``cls`` (its first decorator line, as
    ``inspect.getsourcelines`` says); None for Flask's or routecli's class or when unknown."""
    if is_internal_module(getattr(cls, "__module__", "")):
        return None
    try:
        filename = inspect.getsourcefile(cls)
    except TypeError:  # a built-in class
        return None
    if not filename:
        return None
    line = getattr(cls, "__firstlineno__", None)  # Python 3.13+
    if line is None:
        module = sys.modules.get(cls.__module__)
        line = class_lines(filename, module).get(cls.__qualname__)
    return Source(code_path(filename), line) if line is not None else None


# filename -> (stat signature, {class qualname: first line})
_CLASS_LINES: dict[str, tuple[tuple, dict[str, int]]] = {}


def class_lines(filename: str, module: Any = None) -> dict[str, int]:
    """``{qualname: first line}`` of every class defined in ``filename``, the file parsed
    once (``inspect.getsourcelines`` parses the whole file again for every class)."""
    try:
        stat = os.stat(filename)
        signature: tuple = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        signature = ()
    cached = _CLASS_LINES.get(filename)
    if cached is not None and cached[0] == signature:
        return cached[1]
    linecache.checkcache(filename)
    lines = linecache.getlines(filename, getattr(module, "__dict__", None))
    try:
        tree = ast.parse("".join(lines))
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        table: dict[str, int] = {}
    else:
        finder = _ClassLines()
        finder.visit(tree)
        table = finder.lines
    _CLASS_LINES[filename] = (signature, table)
    return table


class _ClassLines:
    """Walks a module like ``inspect``'s class finder (functions add ``<locals>``; the
    first class of a qualname wins, in the same depth-first field order; a decorated
    class starts at its first decorator), but only through statements: a class is never
    inside an expression, and expressions are most of a module's nodes."""

    _STATEMENTS = (ast.stmt, ast.excepthandler, ast.match_case)

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.lines: dict[str, int] = {}

    def visit(self, node) -> None:
        pushed = 0
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.stack += [node.name, "<locals>"]
            pushed = 2
        elif isinstance(node, ast.ClassDef):
            self.stack.append(node.name)
            pushed = 1
            first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
            self.lines.setdefault(".".join(self.stack), first)
        for _name, value in ast.iter_fields(node):
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, self._STATEMENTS):
                        self.visit(item)
        if pushed:
            del self.stack[-pushed:]


def is_internal_module(name: str | None) -> bool:
    """Whether module ``name`` belongs to Flask, Werkzeug, routecli or the import system."""
    return (name or "").split(".")[0] in _INTERNAL_PACKAGES


# (``module.qualname``, where it is defined, the line its body starts on, a class?)
ViewInfo = tuple[str | None, Source | None, int | None, bool]


def describe_view(func: Any, endpoint: Any) -> ViewInfo:
    """(``module.qualname`` of a view function, where it is defined, the line its body
    starts on, whether it is a class-based view), best effort. The definition line of a
    decorated function is its first decorator's."""
    if func is None:
        return None, None, None, False
    try:
        view_class = getattr(func, "view_class", None)
        if isinstance(view_class, type):  # View.as_view(): the class is what the user wrote
            name = f"{view_class.__module__}.{view_class.__qualname__}"
            return name, class_source(view_class), None, True
        import functools

        target = func
        for _ in range(100):
            try:
                target = inspect.unwrap(target)
            except ValueError:
                break
            if isinstance(target, functools.partial):
                target = target.func
            elif inspect.ismethod(target):
                target = target.__func__
            else:
                break
        module = getattr(target, "__module__", None)
        qualname = getattr(target, "__qualname__", None)
        if qualname is None:  # a callable object
            qualname = type(target).__qualname__
            module = type(target).__module__
        if (is_internal_module(module) and qualname.endswith("<lambda>")
                and str(endpoint).rsplit(".", 1)[-1] == "static"):
            qualname = "Flask.send_static_file"  # the app's static route
            module = "flask.app"
        name = f"{module}.{qualname}" if module else qualname
        if is_internal_module(module):
            return name, None, None, False
        code = getattr(target, "__code__", None)
        if code is None:
            return name, None, None, False
        first = code.co_firstlineno
        body = min((line for _, _, line in code.co_lines() if line is not None and line > first),
                   default=None)
        return name, Source(code_path(code.co_filename), first), body, False
    except Exception:  # noqa: BLE001 - describing a view must never fail the load
        return None, None, None, False
