"""Route data in Python: data modules (``ROUTES``/``SETTINGS``/``CONVERTERS`` or ``routes()``)
and route-data objects named by a spec (docs/python-sources.md#route-data-modules).

The data is validated like a route file (:mod:`routecli.sources.schema`); tuples become
lists, and each key path gets the line where the module's source writes it, best effort.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

from routecli.errors import RouteError
from routecli.routing.model import RouteSet
from routecli.sources.python.importing import call_user
from routecli.sources.python.user_code import code_path, what_it_is
from routecli.sources.schema import MAX_VALUE_DEPTH, routeset_from_data


def routeset_from_module(module, spec: str) -> RouteSet:
    """The routes of a data module: ``ROUTES`` (+ ``SETTINGS``, ``CONVERTERS``) or ``routes()``."""
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
        result = call_user(func, (), {}, f"{module.__name__}:routes()", module.__name__,
                           "routes", spec)
        if isinstance(result, (list, tuple)):
            data = {"routes": result, **extras}
            lines.index_function("routes", ("routes",))
        else:
            data = result
            lines.index_function("routes", ())
        if not isinstance(data, Mapping):
            raise RouteError(f"'{module.__name__}:routes()' returned {what_it_is(data)}, "
                             "not a mapping with 'routes' or a list of routes",
                             lines.where(()) or spec)
        data = dict(data)
    return _validate(data, lines)


def routeset_from_value(value: Mapping | list | tuple, name: str, module,
                        returned: bool) -> RouteSet:
    """Route data bound to ``name`` in ``module``, or returned by its function ``name``:
    a route-file mapping, or a list of routes."""
    data = dict(value) if isinstance(value, Mapping) else {"routes": value}
    lines = _ModuleLines(module)
    keys = () if isinstance(value, Mapping) else ("routes",)
    if returned:
        lines.index_function(name, keys)
    else:
        lines.index_name(name, keys)
    return _validate(data, lines)


def _validate(data: Any, lines: _ModuleLines) -> RouteSet:
    return routeset_from_data(_lists(data, {}), lines.origin, lines.line_of)


def _lists(value: Any, done: dict[int, Any], depth: int = 0) -> Any:
    """Tuples become lists (Python code writes ``methods=("GET", "POST")``).

    A container shared by several places is converted once (``done``), so shared data
    stays shared instead of being copied out exponentially; below the depth the
    validator accepts (:data:`~routecli.sources.schema.MAX_VALUE_DEPTH`) values are
    left as they are, for it to refuse.
    """
    if depth > _MAX_DEPTH or not isinstance(value, (tuple, list, dict)):
        return value
    converted = done.get(id(value))
    if converted is None:
        # Registered before its items are converted: a value holding itself stays a
        # cycle, for the validator to name.
        if isinstance(value, dict):
            converted = done[id(value)] = {}
            for key, item in value.items():
                converted[key] = _lists(item, done, depth + 1)
        else:
            converted = done[id(value)] = []
            converted.extend(_lists(item, done, depth + 1) for item in value)
    return converted


_MAX_DEPTH = MAX_VALUE_DEPTH + 10


class _ModuleLines:
    """Best-effort line numbers for key paths of route data defined in a module's source.

    ``ROUTES = [{"rule": ..., ...}, ...]`` gives each route (and each of its keys) its
    line; names bound at the top level (``ROUTES = [INDEX, ABOUT]``) are followed; a
    key path that cannot be placed falls back to its nearest placed parent.
    """

    def __init__(self, module) -> None:
        path = getattr(module, "__file__", None)
        self.origin = code_path(path) if path else module.__name__
        self.lines: dict[tuple, int] = {}
        self.assignments: dict[str, ast.AST] = {}
        self.functions: dict[str, ast.AST] = {}
        self.tree = None
        if path and path.endswith(".py"):
            try:
                with open(path, "rb") as handle:
                    self.tree = ast.parse(handle.read(), filename=path)
            except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
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
        """Place the value bound to top-level ``name`` (and its items) at ``keys``."""
        node = self.assignments.get(name)
        if node is not None:
            self._index(node, keys, 0)

    def index_function(self, name: str, keys: tuple) -> None:
        """Place function ``name`` at ``keys``, and what it returns when it has one return."""
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
        """The line of ``keys``, else of its nearest placed parent."""
        keys = tuple(keys)
        while True:
            line = self.lines.get(keys)
            if line is not None or not keys:
                return line
            keys = keys[:-1]

    def where(self, keys: tuple) -> str | None:
        """``file:line`` of ``keys`` when placed, else None."""
        line = self.line_of(keys)
        return f"{self.origin}:{line}" if line else None
