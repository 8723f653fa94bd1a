"""Python route sources: route-data modules and live Flask apps (docs/sources.md#discovery-order).

``load_python(spec)`` imports what ``spec`` names and returns a
:class:`~routecli.routing.model.RouteSet`. **Importing a module runs its code**: only
the module the user names is imported (plus whatever that module imports).

Spec forms, resolved the way ``flask --app`` resolves them:

* ``pkg.mod``: the module's Flask app: the attribute ``app`` or
  ``application``, else the only Flask instance among its attributes; else its
  route data (``ROUTES`` with optional ``SETTINGS``/``CONVERTERS``, or a
  function ``routes()``); else an app factory ``create_app``/``make_app``
  called with no arguments;
* ``pkg.mod:name``: a Flask app, an app factory or data function (called with
  no arguments), route data (a route-file mapping or a list of routes), a Werkzeug
  ``Map`` or a :class:`RouteSet`;
* ``pkg.mod:factory('testing', debug=True)``: a call with literal arguments
  only (parsed with :mod:`ast`, never evaluated);
* ``path/to/app.py`` or ``path/to/app.py:app``: a file, imported under its
  module name (the package chain is followed up through ``__init__.py`` files
  and the top directory is made importable), like ``flask --app app.py``.

While importing, the current directory is first on ``sys.path`` (removed
again afterwards), standard output goes to standard error (so a module that
prints cannot corrupt ``--format json``), and ``FLASK_RUN_FROM_CLI=true`` is
set, so a stray ``app.run()`` returns at once instead of serving forever, as
under ``flask``. A module that is already imported is not imported again.

From a Flask app, routecli reads ``app.url_map``: every rule with its
options and converters, the map settings, ``SERVER_NAME`` (when
``subdomain_matching`` is on) and ``PROVIDE_AUTOMATIC_OPTIONS``; each route's
``view`` is the view function as ``module.qualname`` and its ``source`` is
where that function is defined (the first decorator line). Views defined
inside Flask itself (the static route) point at the line that registered the
rule (for the static route, the ``Flask(...)`` call) when routecli saw the
registration, else nowhere.

Rule order matters to Werkzeug (rules at the same trie state, and
equal-weight transitions, are tried in registration order), but
``url_map.iter_rules()`` groups rules by endpoint. See :func:`rule_order` for
how the true order is recovered.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import itertools
import os
import re
import sys
import weakref
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from routecli.errors import RouteError
from routecli.routing.model import ConverterDef, Route, RouteSet, Settings, Source

__all__ = [
    "load_python",
    "record_rule_order",
    "routeset_from_app",
    "routeset_from_map",
    "rule_order",
]

FLASK_EXTRA_HINT = "install it with: pip install 'routecli[flask]'"
WRONG_KIND = "not a Flask app, an app factory or route data"
# Packages whose frames are never "the user's code" in messages and sources.
_INTERNAL_PACKAGES = frozenset({"flask", "werkzeug", "routecli", "importlib", "click",
                                "_frozen_importlib", "_frozen_importlib_external"})
_SPEC_SPLIT = re.compile(r":(?![\\/])")
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


# ==================================================================================== entry


def load_python(spec: str) -> RouteSet:
    """Import what ``spec`` names and return its routes; raises :class:`RouteError`.

    Errors carry ``source`` = the spec, or ``file:line`` in the user's code when
    known, and are raised ``from`` the original exception (``--debug`` shows it).
    """
    base_dir = getattr(spec, "base_dir", None)  # set for specs read from pyproject.toml
    spec = spec.strip()
    target, expression = _split_spec(spec)
    module_name, import_dir = _module_for(target, spec)
    with _import_context(import_dir or base_dir) as recorder:
        module = _import(module_name, spec)
        if expression is None:
            obj, label = _find_in_module(module, spec)
        else:
            obj, label = _find_by_expression(module, module_name, expression, spec)
        routeset = _to_routeset(obj, label, module, spec, recorder)
    routeset.sources = [spec]
    return routeset


# ==================================================================================== specs


def _split_spec(spec: str) -> tuple[str, str | None]:
    """``"pkg.mod:app"`` → ``("pkg.mod", "app")``; a Windows drive colon is not a separator."""
    if not spec:
        raise RouteError("empty Python source spec")
    parts = _SPEC_SPLIT.split(spec, maxsplit=1)
    target = parts[0].strip()
    expression = parts[1].strip() if len(parts) == 2 else None
    if not target:
        raise RouteError("missing module name before ':'", spec)
    if expression == "":
        raise RouteError("missing attribute name after ':'", spec)
    return target, expression


def _module_for(target: str, spec: str) -> tuple[str, str | None]:
    """The module name to import and a directory to make importable (for file paths)."""
    looks_like_path = target.endswith(".py") or "/" in target or os.sep in target
    if not looks_like_path:
        if not _DOTTED.fullmatch(target):
            raise RouteError(
                f"'{target}' is not a module name like 'package.module' or a path to a .py file",
                spec,
            )
        return target, None
    path = os.path.realpath(target)
    if os.path.isdir(path):
        path = os.path.join(path, "__init__.py")
    if not os.path.isfile(path):
        raise RouteError("no such file", target)
    if not path.endswith(".py"):
        raise RouteError("a Python source file must end in .py", target)
    # Like flask.cli.prepare_import: follow the package chain up through __init__.py files.
    path = path[:-3]
    if os.path.basename(path) == "__init__":
        path = os.path.dirname(path)
    names: list[str] = []
    while True:
        path, name = os.path.split(path)
        names.append(name)
        if not os.path.exists(os.path.join(path, "__init__.py")):
            break
    module_name = ".".join(reversed(names))
    if not _DOTTED.fullmatch(module_name):
        raise RouteError(f"'{module_name}' (from the file name) is not a valid module name",
                         target)
    return module_name, path


# ==================================================================================== importing


@contextlib.contextmanager
def _import_context(extra_dir: str | None) -> Iterator[_Recorder]:
    """cwd (and ``extra_dir``) first on sys.path, stdout to stderr, FLASK_RUN_FROM_CLI,
    and rule-order recording; all undone afterwards."""
    inserted = []
    for directory in (os.getcwd(), extra_dir):
        if directory is not None and directory not in inserted:
            sys.path.insert(0, directory)
            inserted.append(directory)
    previous_env = os.environ.get("FLASK_RUN_FROM_CLI")
    os.environ["FLASK_RUN_FROM_CLI"] = "true"
    try:
        with contextlib.redirect_stdout(sys.stderr), record_rule_order() as recorder:
            yield recorder
    finally:
        if previous_env is None:
            os.environ.pop("FLASK_RUN_FROM_CLI", None)
        else:
            os.environ["FLASK_RUN_FROM_CLI"] = previous_env
        for directory in inserted:
            try:
                sys.path.remove(directory)
            except ValueError:
                pass


def _import(name: str, spec: str):
    import importlib

    try:
        return importlib.import_module(name)
    except KeyboardInterrupt:
        raise
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        chain = [".".join(name.split(".")[: i + 1]) for i in range(name.count(".") + 1)]
        if missing in chain and not _user_frames(exc.__traceback__):
            where = "in the current directory or on sys.path"
            if missing != name:
                raise RouteError(f"cannot import '{name}': no module named '{missing}' ({where})",
                                 spec) from exc
            raise RouteError(f"no module named '{name}' ({where})", spec) from exc
        raise _import_failure(exc, name, spec) from exc
    except SyntaxError as exc:
        where = _display_path(exc.filename) if exc.filename else spec
        if exc.lineno:
            where = f"{where}:{exc.lineno}"
        detail = exc.msg or "invalid syntax"
        raise RouteError(f"cannot import '{name}': {type(exc).__name__}: {detail}",
                         where) from exc
    except BaseException as exc:
        raise _import_failure(exc, name, spec) from exc


def _import_failure(exc: BaseException, name: str, spec: str) -> RouteError:
    if isinstance(exc, ImportError) and (exc.name or "").split(".")[0] in ("flask", "werkzeug"):
        package = "Flask" if exc.name.startswith("flask") else "Werkzeug"
        return RouteError(
            f"cannot import '{name}': {package} is not installed ({summary(exc)}); "
            f"{FLASK_EXTRA_HINT}",
            _user_site(exc.__traceback__) or spec,
        )
    if isinstance(exc, SystemExit):
        return RouteError(f"importing '{name}' exited (SystemExit: {exc.code}); guard the "
                          "module's script code with if __name__ == '__main__'",
                          _user_site(exc.__traceback__) or spec)
    return RouteError(f"error while importing '{name}': {summary(exc)}",
                      _user_site(exc.__traceback__) or spec)


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


def _is_user_frame(frame) -> bool:
    module = frame.f_globals.get("__name__") or ""
    if module.split(".")[0] in _INTERNAL_PACKAGES:
        return False
    if module == "__main__" and _is_routecli_entry(frame.f_globals):
        return False
    filename = frame.f_code.co_filename
    if filename.startswith("<"):
        return False
    return not os.path.realpath(filename).startswith(_library_dirs())


def _is_routecli_entry(namespace: dict) -> bool:
    """The ``routecli`` console script or ``python -m routecli``: not the user's code."""
    spec = namespace.get("__spec__")
    if spec is not None and (getattr(spec, "name", "") or "").startswith("routecli"):
        return True
    main = namespace.get("main")
    return (getattr(main, "__module__", "") or "").startswith("routecli")


def _user_frames(tb) -> list:
    frames = []
    while tb is not None:
        if _is_user_frame(tb.tb_frame):
            frames.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    return frames


def _user_site(tb) -> str | None:
    """``file:line`` of the innermost traceback frame in the user's code, or None."""
    frames = _user_frames(tb)
    if not frames:
        return None
    frame, line = frames[-1]
    return f"{_display_path(frame.f_code.co_filename)}:{line}"


def _display_path(path: str) -> str:
    """A path relative to the current directory when it lies below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if relative.startswith(os.pardir) else relative


# ==================================================================================== resolving


def _flask_class():
    flask = sys.modules.get("flask")
    return getattr(flask, "Flask", None) if flask is not None else None


def _is_app(obj: Any) -> bool:
    cls = _flask_class()
    return cls is not None and isinstance(obj, cls)


def _is_map(obj: Any) -> bool:
    module = sys.modules.get("werkzeug.routing.map")
    return module is not None and isinstance(obj, module.Map)


def _is_factory(obj: Any) -> bool:
    import functools

    return inspect.isfunction(obj) or inspect.ismethod(obj) or isinstance(obj, functools.partial)


def _find_in_module(module, spec: str) -> tuple[Any, str]:
    """``flask --app pkg.mod``: an app, else route data, else an app factory."""
    name = module.__name__
    for attr in ("app", "application"):
        obj = getattr(module, attr, None)
        if _is_app(obj):
            return obj, f"{name}:{attr}"
    apps: dict[int, tuple[str, Any]] = {}
    for attr, value in vars(module).items():
        if _is_app(value):
            apps.setdefault(id(value), (attr, value))
    if len(apps) == 1:
        attr, obj = next(iter(apps.values()))
        return obj, f"{name}:{attr}"
    if len(apps) > 1:
        names = sorted(attr for attr, _ in apps.values())
        raise RouteError(
            f"module '{name}' holds {len(names)} Flask apps ({', '.join(names)}): name one, "
            f"e.g. '{name}:{names[0]}'",
            spec,
        )
    namespace = vars(module)
    if "ROUTES" in namespace or inspect.isfunction(namespace.get("routes")):
        return _ModuleData(module), name
    for attr in ("create_app", "make_app"):
        factory = namespace.get(attr)
        if inspect.isfunction(factory):
            label = f"{name}:{attr}()"
            result = _call(factory, (), {}, label, name, attr, spec)
            if not _is_app(result):
                raise RouteError(f"'{label}' returned {_a(result)}, not a Flask app", spec)
            return result, label
    raise RouteError(
        f"module '{name}' has no Flask app ('app', 'application' or a single Flask instance), "
        "no route data (ROUTES or routes()) and no app factory (create_app or make_app)"
        f"{_misspelt_hint(module)}; name the object, e.g. '{name}:app'",
        spec,
    )


def _misspelt_hint(module) -> str:
    """A module that defines e.g. ``ROUTS`` but not ``ROUTES``: say so."""
    import difflib

    for wanted, names in (("ROUTES", [n for n in vars(module) if n.isupper()]),
                          ("routes", [n for n in vars(module) if n.islower()])):
        close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.8)
        if close:
            return f" (it defines {close[0]}: did you mean {wanted}?)"
    return ""


def _find_by_expression(module, module_name: str, expression: str,
                        spec: str) -> tuple[Any, str]:
    """``pkg.mod:name`` or ``pkg.mod:factory(literal args)``."""
    try:
        node = ast.parse(expression, mode="eval").body
    except SyntaxError:
        raise RouteError(
            f"cannot parse '{expression}': expected 'module:name' or 'module:factory(args)'",
            spec,
        ) from None
    call = isinstance(node, ast.Call)
    func = node.func if call else node
    attributes: list[str] = []
    while isinstance(func, ast.Attribute):  # module:app.server (Dash), module:cx.app
        attributes.insert(0, func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        raise RouteError(
            f"'{expression}' is neither a name nor a call of a name: expected 'module:name' "
            "or 'module:factory(args)'",
            spec,
        )
    name = func.id
    args: tuple = ()
    kwargs: dict[str, Any] = {}
    if call:
        try:
            args = tuple(ast.literal_eval(arg) for arg in node.args)
            kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords
                      if kw.arg is not None}
        except ValueError:
            raise RouteError(
                f"the arguments of '{expression}' must be Python literals (strings, numbers, "
                "True/False/None, lists, dicts); they are never evaluated",
                spec,
            ) from None
        if any(kw.arg is None for kw in node.keywords) or any(
                isinstance(arg, ast.Starred) for arg in node.args):
            raise RouteError(f"'{expression}': *args and **kwargs are not supported", spec)
    try:
        obj = getattr(module, name)
    except AttributeError:
        raise RouteError(f"module '{module_name}' has no attribute '{name}'"
                         f"{_did_you_mean(name, module)}", spec) from None
    for attribute in attributes:
        try:
            obj = getattr(obj, attribute)
        except Exception as exc:  # noqa: BLE001 - a property of user code may raise
            raise RouteError(f"'{name}' has no attribute '{attribute}' "
                             f"({type(exc).__name__})", spec) from exc
        name = f"{name}.{attribute}"
    label = f"{module_name}:{expression}" if call else f"{module_name}:{name}"
    if call:
        if not callable(obj) or _is_app(obj):
            raise RouteError(f"'{module_name}:{name}' is {_a(obj)}, not a function to call",
                             spec)
        result = _call(obj, args, kwargs, label, module_name, name, spec)
        return _Returned(result, label), label
    if _is_factory(obj):
        result = _call(obj, (), {}, f"{label}()", module_name, name, spec)
        return _Returned(result, f"{label}()"), label
    return obj, label


def _did_you_mean(name: str, module) -> str:
    import difflib

    candidates = [n for n in dir(module) if not n.startswith("__")]
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    apps = [n for n in candidates if _is_app(getattr(module, n, None))]
    if apps:
        return f" (it has the Flask app '{apps[0]}')"
    return ""


def _call(func: Callable, args: tuple, kwargs: dict, label: str, module_name: str,
          name: str, spec: str) -> Any:
    try:
        return func(*args, **kwargs)
    except KeyboardInterrupt:
        raise
    except TypeError as exc:
        if _called_with_wrong_args(func, exc):
            hint = "" if args or kwargs else (
                f"; pass arguments like '{module_name}:{name}(\"testing\")'")
            raise RouteError(f"cannot call '{label}': {summary(exc)}{hint}",
                             _user_site(exc.__traceback__) or spec) from exc
        raise RouteError(f"calling '{label}' raised {summary(exc)}",
                         _user_site(exc.__traceback__) or spec) from exc
    except BaseException as exc:
        raise RouteError(f"calling '{label}' raised {summary(exc)}",
                         _user_site(exc.__traceback__) or spec) from exc


def _called_with_wrong_args(func: Callable, exc: TypeError) -> bool:
    """True when the TypeError comes from the call itself, not from inside ``func``
    (the test flask.cli uses)."""
    import functools

    while isinstance(func, functools.partial):
        func = func.func
    code = getattr(getattr(func, "__func__", func), "__code__", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code is code:
            return False
        tb = tb.tb_next
    return True


def _a(obj: Any) -> str:
    """``a str``, ``an int``, ``None``: what an object is, for messages."""
    if obj is None:
        return "None"
    if inspect.ismodule(obj):
        return "a module"
    if isinstance(obj, type):
        return f"the class {obj.__name__}"
    name = type(obj).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


class _Returned:
    """What a factory or data function returned (for better messages)."""

    def __init__(self, value: Any, label: str) -> None:
        self.value = value
        self.label = label


class _ModuleData:
    """A module holding route data: ROUTES (+ SETTINGS, CONVERTERS) or routes()."""

    def __init__(self, module) -> None:
        self.module = module


def _to_routeset(obj: Any, label: str, module, spec: str, recorder: _Recorder) -> RouteSet:
    returned = isinstance(obj, _Returned)
    value = obj.value if returned else obj
    if isinstance(value, _ModuleData):
        return _routeset_from_module(value.module, spec)
    if _is_app(value):
        return routeset_from_app(value, _recorded=recorder)
    if _is_map(value):
        return routeset_from_map(value, _recorded=recorder)
    if isinstance(value, RouteSet):
        return value
    if isinstance(value, (Mapping, list, tuple)) and not isinstance(value, str):
        name = label.split(":", 1)[1].split("(", 1)[0]
        data = dict(value) if isinstance(value, Mapping) else {"routes": value}
        lines = _ModuleLines(module)
        keys = () if isinstance(value, Mapping) else ("routes",)
        if returned:
            lines.index_function(name, keys)
        else:
            lines.index_name(name, keys)
        return _validate(data, lines)
    if returned:
        raise RouteError(f"'{obj.label}' returned {_a(value)}, not a Flask app or route data",
                         spec)
    shown = label.split(":", 1)[1] if ":" in label else label
    hint = ""
    for attribute in ("server", "app", "flask_app", "wsgi_app"):
        # Dash keeps its Flask app in .server, connexion's FlaskApp in .app.
        if _is_app(getattr(value, attribute, None)):
            hint = f"; its Flask app is '{shown}.{attribute}': use -r '{spec}.{attribute}'"
            break
    raise RouteError(f"'{shown}' is {_a(value)}, {WRONG_KIND}{hint}", spec)


# ==================================================================================== data modules


def _routeset_from_module(module, spec: str) -> RouteSet:
    namespace = vars(module)
    lines = _ModuleLines(module)
    extras = {}
    for key, var in (("settings", "SETTINGS"), ("converters", "CONVERTERS")):
        if var in namespace:
            extras[key] = namespace[var]
            lines.index_name(var, (key,))
    if "ROUTES" in namespace:
        data: Any = {"routes": namespace["ROUTES"], **extras}
        lines.index_name("ROUTES", ("routes",))
    else:
        func = namespace["routes"]
        result = _call(func, (), {}, f"{module.__name__}:routes()", module.__name__, "routes",
                       spec)
        if isinstance(result, (list, tuple)):
            data = {"routes": result, **extras}
            lines.index_function("routes", ("routes",))
        else:
            data = result
            lines.index_function("routes", ())
        if not isinstance(data, Mapping):
            raise RouteError(f"'{module.__name__}:routes()' returned {_a(data)}, not a mapping "
                             "with 'routes' or a list of routes",
                             lines.where(()) or spec)
        data = dict(data)
    return _validate(data, lines)


def _validate(data: Any, lines: _ModuleLines) -> RouteSet:
    from routecli.sources.schema import routeset_from_data

    return routeset_from_data(_lists(data), lines.origin, lines.line_of)


def _lists(value: Any, depth: int = 0) -> Any:
    """Tuples become lists (Python code writes ``methods=("GET", "POST")``)."""
    if depth > 50:
        return value
    if isinstance(value, tuple):
        return [_lists(item, depth + 1) for item in value]
    if isinstance(value, list):
        return [_lists(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {key: _lists(item, depth + 1) for key, item in value.items()}
    return value


class _ModuleLines:
    """Best-effort line numbers for key paths of route data defined in a module's source.

    ``ROUTES = [{"rule": ..., ...}, ...]`` gives each route (and each of its keys) its
    line; names bound at the top level (``ROUTES = [INDEX, ABOUT]``) are followed; a
    key path that cannot be placed falls back to its nearest placed parent.
    """

    def __init__(self, module) -> None:
        path = getattr(module, "__file__", None)
        self.origin = _display_path(path) if path else module.__name__
        self.lines: dict[tuple, int] = {}
        self.assignments: dict[str, ast.AST] = {}
        self.functions: dict[str, ast.AST] = {}
        self.tree = None
        if path and path.endswith(".py"):
            try:
                with open(path, "rb") as handle:
                    self.tree = ast.parse(handle.read(), filename=path)
            except (OSError, SyntaxError, ValueError):
                self.tree = None
        if self.tree is not None:
            for stmt in self.tree.body:
                if isinstance(stmt, ast.Assign):
                    for target in stmt.targets:
                        if isinstance(target, ast.Name):
                            self.assignments[target.id] = stmt.value
                elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    if stmt.value is not None:
                        self.assignments[stmt.target.id] = stmt.value
                elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self.functions[stmt.name] = stmt

    def index_name(self, name: str, keys: tuple) -> None:
        node = self.assignments.get(name)
        if node is not None:
            self._index(node, keys, 0)

    def index_function(self, name: str, keys: tuple) -> None:
        func = self.functions.get(name)
        if func is None:
            return
        self.lines.setdefault(keys, func.lineno)
        returns = [n for n in ast.walk(func) if isinstance(n, ast.Return) and n.value is not None]
        if len(returns) == 1:
            self._index(returns[0].value, keys, 0)

    def _index(self, node: ast.AST, keys: tuple, depth: int) -> None:
        if depth > 40:
            return
        if isinstance(node, ast.Name) and node.id in self.assignments:
            # ROUTES = [INDEX, ...]: the route is where INDEX is defined
            self._index(self.assignments[node.id], keys, depth + 1)
            return
        self.lines.setdefault(keys, node.lineno)
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    self.lines.setdefault(keys + (key.value,), key.lineno)
                    self._index(value, keys + (key.value,), depth + 1)
        elif isinstance(node, (ast.List, ast.Tuple)):
            for index, element in enumerate(node.elts):
                if isinstance(element, ast.Starred):
                    break  # later indexes are unknown
                self._index(element, keys + (index,), depth + 1)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id == "dict" and not node.args):
            for keyword in node.keywords:
                if keyword.arg is not None:
                    self.lines.setdefault(keys + (keyword.arg,), keyword.lineno)
                    self._index(keyword.value, keys + (keyword.arg,), depth + 1)

    def line_of(self, keys: tuple) -> int | None:
        keys = tuple(keys)
        while True:
            line = self.lines.get(keys)
            if line is not None or not keys:
                return line
            keys = keys[:-1]

    def where(self, keys: tuple) -> str | None:
        line = self.line_of(keys)
        return f"{self.origin}:{line}" if line else None


# ==================================================================================== rule order


class _Recorder:
    """Collects, per Werkzeug ``Map``, the rules in the order ``Map.add`` received them,
    with the ``file:line`` in the user's code that added each."""

    def __init__(self) -> None:
        self.maps: dict[int, tuple[Any, list[tuple[Any, Source | None]]]] = {}

    def note(self, url_map: Any, rule: Any, site: Source | None) -> None:
        entry = self.maps.get(id(url_map))
        if entry is None or entry[0] is not url_map:
            entry = self.maps[id(url_map)] = (url_map, [])
        entry[1].append((rule, site))

    def records_for(self, url_map: Any) -> list[tuple[Any, Source | None]] | None:
        entry = self.maps.get(id(url_map))
        return entry[1] if entry is not None and entry[0] is url_map else None


_ACTIVE: list[_Recorder] = []
_ORIGINAL_ADD: Any = None
_PATCHED: Any = None  # the Map class whose add is wrapped
_WATCHER: Any = None
# Orders recorded for maps, kept after the recording ends (weakly).
_RECORDED: weakref.WeakKeyDictionary[Any, list] = weakref.WeakKeyDictionary()


def _registration_site() -> Source | None:
    frame = sys._getframe(2)
    while frame is not None:
        if _is_user_frame(frame):
            return Source(_display_path(frame.f_code.co_filename), frame.f_lineno)
        frame = frame.f_back
    return None


def _recording_add(self, rulefactory) -> None:
    from werkzeug.routing import Rule

    site = _registration_site()
    if isinstance(rulefactory, Rule):
        _ORIGINAL_ADD(self, rulefactory)
        added = [rulefactory]
    else:
        # Rule factories (Submount, EndpointPrefix...) make new rules on every call of
        # get_rules, so add them one by one: Map.add does exactly this loop.
        added = []
        for rule in rulefactory.get_rules(self):
            _ORIGINAL_ADD(self, rule)
            added.append(rule)
    for rule in added:
        for recorder in _ACTIVE:
            recorder.note(self, rule, site)
        try:
            _RECORDED.setdefault(self, []).append((rule, site))
        except TypeError:  # a Map subclass that cannot be weakly referenced
            pass


def _patch(map_class: Any) -> None:
    global _ORIGINAL_ADD, _PATCHED
    if _PATCHED is None:
        _ORIGINAL_ADD = map_class.add
        map_class.add = _recording_add
        _PATCHED = map_class


def _unpatch() -> None:
    global _ORIGINAL_ADD, _PATCHED
    if _PATCHED is not None:
        if _PATCHED.__dict__.get("add") is _recording_add:
            _PATCHED.add = _ORIGINAL_ADD
        _PATCHED = _ORIGINAL_ADD = None


class _WerkzeugWatcher:
    """A meta-path finder that wraps ``Map.add`` as soon as ``werkzeug.routing.map`` is
    imported, so that route-data modules never pay for importing Werkzeug."""

    _busy = False

    def find_spec(self, name, path=None, target=None):
        if name != "werkzeug.routing.map" or self._busy:
            return None
        import importlib.util

        self._busy = True
        try:
            spec = importlib.util.find_spec(name)
        finally:
            self._busy = False
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None
        spec.loader = _PatchingLoader(spec.loader)
        return spec

    def invalidate_caches(self) -> None:
        pass


class _PatchingLoader:
    def __init__(self, inner) -> None:
        self._inner = inner

    def create_module(self, spec):
        return self._inner.create_module(spec)

    def exec_module(self, module) -> None:
        self._inner.exec_module(module)
        if _ACTIVE:
            _patch(module.Map)

    def __getattr__(self, name):
        return getattr(self._inner, name)


@contextlib.contextmanager
def record_rule_order() -> Iterator[_Recorder]:
    """While active, ``werkzeug.routing.Map.add`` records the order (and the user-code
    ``file:line``) in which rules are added to every map; restored afterwards.

    Werkzeug is not imported for this: if it is not imported yet, the wrapper is
    installed when it is.
    """
    global _WATCHER
    recorder = _Recorder()
    _ACTIVE.append(recorder)
    if len(_ACTIVE) == 1:
        module = sys.modules.get("werkzeug.routing.map")
        if module is not None:
            _patch(module.Map)
        else:
            _WATCHER = _WerkzeugWatcher()
            sys.meta_path.insert(0, _WATCHER)
    try:
        yield recorder
    finally:
        _ACTIVE.remove(recorder)
        if not _ACTIVE:
            _unpatch()
            if _WATCHER is not None:
                with contextlib.suppress(ValueError):
                    sys.meta_path.remove(_WATCHER)
                _WATCHER = None


def rule_order(url_map: Any, _recorded: _Recorder | None = None
               ) -> tuple[list[Any], dict[int, Source | None], str]:
    """The map's rules in an order that rebuilds Werkzeug's matcher exactly.

    Returns ``(rules, sites, how)``: ``sites`` maps ``id(rule)`` to where the user's
    code added it (when recorded); ``how`` is ``"recorded"`` or ``"derived"``.

    * **recorded**: the order ``Map.add`` saw while :func:`record_rule_order` was
      active (``load_python`` always records while it imports and calls factories),
      used when it covers exactly the map's rules;
    * **derived**, for maps built before recording started (e.g. a module that was
      already imported): a depth-first walk of ``url_map._matcher._root`` (the
      rules of each state in order, static children, then dynamic transitions in
      their sorted order, which keeps the trie's tie order), adjusted by a greedy
      pass so that (a) the rules of every state keep their order, (b) equal-weight
      transitions are created in their sorted order, and (c) rules of one endpoint
      that tie in Werkzeug's build order keep their order in
      ``url_map._rules_by_endpoint`` (which is registration order for ties; it
      decides ``redirect_defaults`` and alias targets). Matching and building then
      behave exactly as in the app; only the listed definition order may differ
      from the registration order.
    """
    url_map.update()
    rules = [rule for rules in url_map._rules_by_endpoint.values() for rule in rules]
    ids = {id(rule) for rule in rules}
    for records in (_recorded.records_for(url_map) if _recorded is not None else None,
                    _RECORDED.get(url_map) if _weakrefable(url_map) else None):
        if records and len(records) == len(rules) and {id(r) for r, _ in records} == ids:
            return [r for r, _ in records], {id(r): site for r, site in records}, "recorded"
    return _derived_order(url_map, rules), {}, "derived"


def _weakrefable(obj: Any) -> bool:
    try:
        weakref.ref(obj)
    except TypeError:
        return False
    return True


def _derived_order(url_map: Any, rules: list[Any]) -> list[Any]:
    root = url_map._matcher._root
    preferred: list[Any] = []
    state_previous: dict[int, Any] = {}
    paths: dict[int, tuple] = {}  # id(rule) -> transitions (as keys) on its way
    tie_previous: dict[tuple, tuple] = {}  # transition -> the equal-weight one sorted before it
    stack: list[tuple[Any, tuple]] = [(root, ())]
    while stack:
        state, path = stack.pop()
        previous = None
        for rule in state.rules:
            preferred.append(rule)
            paths[id(rule)] = path
            if previous is not None:
                state_previous[id(rule)] = previous
            previous = rule
        children: list[tuple[Any, tuple]] = [(child, path) for child in state.static.values()]
        for index, (part, child) in enumerate(state.dynamic):
            key = (id(state), index)
            if index and state.dynamic[index - 1][0].weight == part.weight:
                tie_previous[key] = (id(state), index - 1)
            children.append((child, path + (key,)))
        stack.extend(reversed(children))
    in_trie = {id(rule) for rule in preferred}
    preferred += [rule for rule in rules if id(rule) not in in_trie]  # build_only rules
    endpoint_previous: dict[int, Any] = {}
    for group in url_map._rules_by_endpoint.values():
        for before, after in itertools.pairwise(group):
            if before.build_compare_key() == after.build_compare_key():
                endpoint_previous[id(after)] = before

    emitted: set[int] = set()
    existing: set[tuple] = set()

    def ready(rule) -> bool:
        for previous in (state_previous.get(id(rule)), endpoint_previous.get(id(rule))):
            if previous is not None and id(previous) not in emitted:
                return False
        for key in paths.get(id(rule), ()):
            if key not in existing:
                tie = tie_previous.get(key)
                if tie is not None and tie not in existing:
                    return False
        return True

    order: list[Any] = []
    done = [False] * len(preferred)
    start = 0  # the first rule not emitted yet
    while start < len(preferred):
        position = start
        while position < len(preferred) and (done[position] or not ready(preferred[position])):
            position += 1
        if position == len(preferred):  # pragma: no cover - impossible for a map Werkzeug built
            order.extend(rule for rule, is_done in zip(preferred, done) if not is_done)
            break
        rule = preferred[position]
        done[position] = True
        order.append(rule)
        emitted.add(id(rule))
        existing.update(paths.get(id(rule), ()))
        while start < len(preferred) and done[start]:
            start += 1
    return order


# ==================================================================================== apps and maps


def routeset_from_app(app: Any, *, _recorded: _Recorder | None = None) -> RouteSet:
    """The routes of a Flask app, as :func:`load_python` reads them (see the module doc)."""
    config = app.config
    settings_extra = {
        "automatic_options": bool(config.get("PROVIDE_AUTOMATIC_OPTIONS", True)),
        # Under host matching Flask ignores SERVER_NAME for routing; otherwise it is
        # where redirects point, and with subdomain_matching it also decides subdomains.
        "server_name": (config.get("SERVER_NAME") or "")
        if not app.url_map.host_matching else "",
        "subdomain_matching": bool(getattr(app, "subdomain_matching", False)),
        "trusted_hosts": list(config.get("TRUSTED_HOSTS") or ()) or None,
    }
    return _routeset_from_map(app.url_map, getattr(app, "view_functions", {}), settings_extra,
                              _recorded, knows_views=True)


def routeset_from_map(url_map: Any, *, _recorded: _Recorder | None = None) -> RouteSet:
    """The routes of a bare Werkzeug ``Map`` (no Flask: no views, no automatic OPTIONS)."""
    return _routeset_from_map(url_map, {}, {}, _recorded)


def _routeset_from_map(url_map: Any, views: Mapping, extra: dict,
                       recorded: _Recorder | None, knows_views: bool = False) -> RouteSet:
    settings = Settings(
        strict_slashes=bool(url_map.strict_slashes),
        merge_slashes=bool(url_map.merge_slashes),
        redirect_defaults=bool(url_map.redirect_defaults),
        host_matching=bool(url_map.host_matching),
        default_subdomain=url_map.default_subdomain or "",
        **extra,
    )
    rules, sites, _how = rule_order(url_map, recorded)
    translator = _Translator(url_map, views, settings, knows_views)
    routes = [translator.route(rule, sites.get(id(rule))) for rule in rules]
    return RouteSet(routes, settings, _custom_converters(url_map))


class _Translator:
    def __init__(self, url_map: Any, views: Mapping, settings: Settings,
                 knows_views: bool = False) -> None:
        from werkzeug.routing import converters as wz

        self.map = url_map
        self.views = views
        self.knows_views = knows_views  # a Flask app: an endpoint without a view is known
        self.settings = settings
        self.view_info: dict[Any, tuple[str | None, Source | None, int | None]] = {}
        self.native = {
            wz.UnicodeConverter: _native_string,
            wz.AnyConverter: _native_any,
            wz.PathConverter: _native_plain,
            wz.IntegerConverter: _native_number,
            wz.FloatConverter: _native_number,
            wz.UUIDConverter: _native_plain,
        }

    def route(self, rule: Any, site: Source | None) -> Route:
        m = self.map
        settings = self.settings
        methods: tuple[str, ...] | None
        provide: bool | None = None
        if rule.methods is None:
            methods = None
        else:
            declared = {str(method).upper() for method in rule.methods}
            automatic = bool(getattr(rule, "provide_automatic_options", False))
            if automatic and "OPTIONS" in declared and settings.automatic_options:
                declared.discard("OPTIONS")  # routecli adds it back as automatic
            else:
                provide = automatic
            if "GET" in declared:
                declared.discard("HEAD")  # implied by GET
            methods = tuple(sorted(declared))
        strict = rule.strict_slashes
        merge = rule.merge_slashes
        subdomain = rule.subdomain
        if subdomain == (m.default_subdomain or ""):
            subdomain = None
        view, source, body_line = self.view_for(rule.endpoint)
        if source is None:
            source = site
        elif (site is not None and site.file == source.file and body_line is not None
              and source.line <= site.line < body_line):
            source = site  # this rule's own decorator line, for a view with several
        return Route(
            rule.rule,
            rule.endpoint if isinstance(rule.endpoint, str) else str(rule.endpoint),
            methods,
            defaults=dict(rule.defaults) if rule.defaults is not None else None,
            # As resolved when the rule was bound (the map's value then, or the rule's own):
            # exact even if the map setting changed later, or another source is merged in.
            strict_slashes=None if strict is None else bool(strict),
            merge_slashes=None if merge is None else bool(merge),
            redirect_to=rule.redirect_to,
            alias=bool(rule.alias),
            build_only=bool(rule.build_only),
            host=rule.host,
            subdomain=subdomain,
            provide_automatic_options=provide,
            websocket=bool(rule.websocket),
            source=source,
            view=view,
            has_view=(rule.endpoint in self.views) if self.knows_views else None,
            converters=self.converters(rule),
        )

    def converters(self, rule: Any) -> dict[str, Any]:
        """Werkzeug's built-in converter objects as routecli's own (so analysis knows
        them); anything else as the app's object (wrapped in ForeignConverter)."""
        from routecli.routing.werkzeug.syntax import RuleSyntaxError, Variable, tokenize

        objects = dict(getattr(rule, "_converters", {}) or {})
        if not objects:
            return {}
        names: dict[str, str] = {}
        domain = (rule.host if self.map.host_matching else rule.subdomain) or ""
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
            make = self.native.get(type(obj))
            native = None
            if make is not None:
                try:
                    native = make(obj, names.get(name) or "default")
                except Exception:  # noqa: BLE001 - anything odd: keep the app's object
                    native = None
            out[name] = native if native is not None else obj
        return out

    def view_for(self, endpoint: Any) -> tuple[str | None, Source | None, int | None]:
        if endpoint in self.view_info:
            return self.view_info[endpoint]
        info = _describe_view(self.views.get(endpoint), endpoint)
        self.view_info[endpoint] = info
        return info


def _same(native: Any, obj: Any) -> bool:
    return (native.regex == obj.regex and native.weight == obj.weight
            and bool(native.part_isolating) == bool(obj.part_isolating))


def _native_string(obj: Any, name: str):
    from routecli.routing.werkzeug.converters import StringConverter

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
    from routecli.routing.werkzeug.converters import AnyConverter

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
    from werkzeug.routing.converters import FloatConverter as WzFloat

    from routecli.routing.werkzeug.converters import FloatConverter, IntConverter

    is_float = isinstance(obj, WzFloat)
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
    from werkzeug.routing.converters import PathConverter as WzPath

    from routecli.routing.werkzeug.converters import PathConverter, UUIDConverter

    native = (PathConverter if isinstance(obj, WzPath) else UUIDConverter)()
    native.name = name
    return native if _same(native, obj) else None


class _ConverterFactory:
    """Builds an app's custom converter like ``Map`` does: ``cls(map, *args, **kwargs)``."""

    def __init__(self, cls: type, url_map: Any) -> None:
        self.cls = cls
        self.map = url_map

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.cls(self.map, *args, **kwargs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ConverterFactory) and other.cls is self.cls

    def __hash__(self) -> int:
        return hash(self.cls)


def _custom_converters(url_map: Any) -> dict[str, ConverterDef]:
    from werkzeug.routing.converters import DEFAULT_CONVERTERS

    out: dict[str, ConverterDef] = {}
    for name, cls in url_map.converters.items():
        if DEFAULT_CONVERTERS.get(name) is cls:
            continue
        regex = getattr(cls, "regex", "[^/]+")
        out[name] = ConverterDef(
            name,
            regex=regex if isinstance(regex, str) else "[^/]+",
            weight=getattr(cls, "weight", 100),
            part_isolating=bool(getattr(cls, "part_isolating", True)),
            factory=_ConverterFactory(cls, url_map),
            source=_class_source(cls),
        )
    return out


def _class_source(cls: type) -> Source | None:
    try:
        filename = inspect.getsourcefile(cls)
        line = getattr(cls, "__firstlineno__", None) or inspect.getsourcelines(cls)[1]
    except (OSError, TypeError):
        return None
    if not filename or _internal_module(getattr(cls, "__module__", "")):
        return None
    return Source(_display_path(filename), line)


def _internal_module(name: str | None) -> bool:
    return (name or "").split(".")[0] in _INTERNAL_PACKAGES


def _describe_view(func: Any, endpoint: Any) -> tuple[str | None, Source | None, int | None]:
    """(``module.qualname`` of a view function, where it is defined, the line its body
    starts on), best effort. The definition line of a decorated function is its first
    decorator's."""
    if func is None:
        return None, None, None
    try:
        view_class = getattr(func, "view_class", None)
        if isinstance(view_class, type):  # View.as_view(): the class is what the user wrote
            name = f"{view_class.__module__}.{view_class.__qualname__}"
            return name, _class_source(view_class), None
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
        if (_internal_module(module) and qualname.endswith("<lambda>")
                and str(endpoint).rsplit(".", 1)[-1] == "static"):
            qualname = "Flask.send_static_file"  # the app's static route
            module = "flask.app"
        name = f"{module}.{qualname}" if module else qualname
        if _internal_module(module):
            return name, None, None
        code = getattr(target, "__code__", None)
        if code is None:
            return name, None, None
        first = code.co_firstlineno
        body = min((line for _, _, line in code.co_lines() if line is not None and line > first),
                   default=None)
        return name, Source(_display_path(code.co_filename), first), body
    except Exception:  # noqa: BLE001 - describing a view must never fail the load
        return None, None, None
