"""Python source specs: what ``-r pkg.mod:factory('x')`` or ``-r path/app.py`` names.

Spec forms, resolved the way ``flask --app`` resolves them (docs/python-sources.md):

* ``pkg.mod``: the module decides (see :func:`~.resolve.find_in_module`);
* ``pkg.mod:name`` or ``pkg.mod:obj.attr``: that object;
* ``pkg.mod:factory('testing', debug=True)``: a call with literal arguments
  only (parsed with :mod:`ast`, never evaluated);
* ``path/to/app.py`` or ``path/to/app.py:app``: a file, imported under its
  module name (the package chain is followed up through ``__init__.py`` files
  and the top directory is made importable), like ``flask --app app.py``.

Nothing here imports or runs the user's code.
"""

from __future__ import annotations

import ast
import os
import re
from typing import Any, NamedTuple

from routecli.errors import RouteError

_SPEC_SPLIT = re.compile(r":(?![\\/])")
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


# A spec names a module and maybe a call with a few literal arguments: anything longer
# is not one (a 100,000-character argument once exhausted memory in the parser).
MAX_SPEC_CHARS = 4096


def check_spec_text(spec: str) -> None:
    """RouteError for a spec too long to be one or holding control characters (which
    messages would otherwise print raw)."""
    if len(spec) > MAX_SPEC_CHARS:
        raise RouteError(f"the Python source spec is {len(spec):,} characters long; a spec "
                         f"names a module and literal arguments in at most {MAX_SPEC_CHARS:,}",
                         f"{spec[:40]!r}...")
    if not spec.isprintable():
        raise RouteError("the Python source spec holds control characters", repr(spec))


def split_spec(spec: str) -> tuple[str, str | None]:
    """``"pkg.mod:app"`` → ``("pkg.mod", "app")``; a Windows drive colon is not a separator."""
    if not spec:
        raise RouteError("empty Python source spec")
    check_spec_text(spec)
    parts = _SPEC_SPLIT.split(spec, maxsplit=1)
    target = parts[0].strip()
    expression = parts[1].strip() if len(parts) == 2 else None
    if not target:
        raise RouteError("missing module name before ':'", spec)
    if expression == "":
        raise RouteError("missing attribute name after ':'", spec)
    return target, expression


def module_to_import(target: str, spec: str) -> tuple[str, str | None]:
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


class Expression(NamedTuple):
    """The part after ``:``: a name, attributes of it, and literal call arguments."""

    name: str
    attributes: list[str]
    is_call: bool
    args: tuple
    kwargs: dict[str, Any]


def parse_expression(expression: str, spec: str) -> Expression:
    """``app``, ``app.server`` or ``create_app('x', debug=True)``; RouteError for anything else."""
    try:
        node = ast.parse(expression, mode="eval").body
    except (SyntaxError, MemoryError, RecursionError):
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
    args: tuple = ()
    kwargs: dict[str, Any] = {}
    if call:
        try:
            args = tuple(ast.literal_eval(arg) for arg in node.args)
            kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords
                      if kw.arg is not None}
        except (ValueError, TypeError, MemoryError, RecursionError):
            raise RouteError(
                f"the arguments of '{expression}' must be Python literals (strings, numbers, "
                "True/False/None, lists, dicts); they are never evaluated",
                spec,
            ) from None
        if any(kw.arg is None for kw in node.keywords) or any(
                isinstance(arg, ast.Starred) for arg in node.args):
            raise RouteError(f"'{expression}': *args and **kwargs are not supported", spec)
    return Expression(func.id, attributes, call, args, kwargs)
