"""Importing the user's module and calling its functions, safely and with clear errors.

While importing (:func:`import_context`), the current directory is first on ``sys.path``
(removed again afterwards), standard output goes to standard error (so a module that
prints cannot corrupt ``--format json``), ``FLASK_RUN_FROM_CLI=true`` is set, so a stray
``app.run()`` returns at once instead of serving forever, as under ``flask``, ``sys.argv``
holds the program name alone (an app that parses its command line while it is built
must not read routecli's arguments as its own), and rule registration order is recorded
(:mod:`.registration_order`). A module that is already
imported is not imported again. Any exception from the import or from a factory call
becomes one RouteError at the user's line (docs/python-sources.md#errors).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

from routecli.errors import RouteError
from routecli.sources.python.registration_order import Recorder, record_rule_order
from routecli.sources.python.user_code import (
    PROJECT_DIRS,
    code_path,
    summary,
    user_frames,
    user_site,
)

FLASK_EXTRA_HINT = "install it with: pip install 'routecli[flask]'"


@contextlib.contextmanager
def import_context(extra_dir: str | None) -> Iterator[Recorder]:
    """cwd (and ``extra_dir``) first on sys.path, stdout to stderr, FLASK_RUN_FROM_CLI,
    a bare command line and rule-order recording; all undone afterwards, and the current
    directory restored if the app changed it."""
    inserted = []
    cwd = os.getcwd()
    for directory in (cwd, extra_dir):
        if directory is not None and directory not in inserted:
            sys.path.insert(0, directory)
            inserted.append(directory)
    previous_env = os.environ.get("FLASK_RUN_FROM_CLI")
    os.environ["FLASK_RUN_FROM_CLI"] = "true"
    previous_argv = sys.argv
    sys.argv = sys.argv[:1] or ["routecli"]
    if extra_dir is not None:
        PROJECT_DIRS.append(extra_dir)  # its files are the project's, shown relative
    try:
        with contextlib.redirect_stdout(sys.stderr), record_rule_order() as recorder:
            yield recorder
    finally:
        if extra_dir is not None:
            PROJECT_DIRS.remove(extra_dir)
        sys.argv = previous_argv
        if previous_env is None:
            os.environ.pop("FLASK_RUN_FROM_CLI", None)
        else:
            os.environ["FLASK_RUN_FROM_CLI"] = previous_env
        for directory in inserted:
            try:
                sys.path.remove(directory)
            except ValueError:
                pass
        # An app that changes directory while it loads (os.chdir) must not move where
        # routecli's own relative paths (-o, logs, baselines) point: back to the user's.
        with contextlib.suppress(OSError):
            if os.getcwd() != cwd:
                os.chdir(cwd)


def import_module(name: str, spec: str) -> ModuleType:
    """Import module ``name``; every failure (even SystemExit) becomes a RouteError."""
    try:
        return importlib.import_module(name)
    except KeyboardInterrupt:
        raise
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        chain = [".".join(name.split(".")[: i + 1]) for i in range(name.count(".") + 1)]
        if missing in chain and not user_frames(exc.__traceback__):
            where = "in the current directory or on sys.path"
            if missing == chain[0] and missing != name and ":" not in spec:
                # -r notes.txt, -r routes.yml.bak: a file name, more likely than a module.
                raise RouteError(f"no such file, and not an importable module (no module "
                                 f"named '{missing}' {where})", spec) from exc
            if missing != name:
                raise RouteError(f"cannot import '{name}': no module named '{missing}' ({where})",
                                 spec) from exc
            raise RouteError(f"no module named '{name}' ({where})", spec) from exc
        raise _import_failure(exc, name, spec) from exc
    except SyntaxError as exc:
        where = code_path(exc.filename) if exc.filename else spec
        if exc.lineno:
            where = f"{where}:{exc.lineno}"
        detail = exc.msg or "invalid syntax"
        raise RouteError(f"cannot import '{name}': {type(exc).__name__}: {detail}",
                         where) from exc
    except BaseException as exc:
        raise _import_failure(exc, name, spec) from exc


def _import_failure(exc: BaseException, name: str, spec: str) -> RouteError:
    missing = (getattr(exc, "name", None) or "") if isinstance(exc, ImportError) else ""
    top = missing.split(".")[0]
    if top in ("flask", "werkzeug"):
        package = "Flask" if top == "flask" else "Werkzeug"
        if missing == top or not _installed(top):
            return RouteError(
                f"cannot import '{name}': {package} is not installed ({summary(exc)}); "
                f"{FLASK_EXTRA_HINT}",
                user_site(exc.__traceback__) or spec,
            )
        # flask._compat, werkzeug.contrib: gone from the installed version, not missing.
        importer = _importer_site(exc.__traceback__)
        where = user_site(exc.__traceback__) or importer or spec
        by = f" (imported by {importer})" if importer and importer != where else ""
        return RouteError(
            f"cannot import '{name}': {summary(exc)}{by}; {package} is installed, but not "
            f"this module: the code was written for another version of {package}", where)
    if isinstance(exc, SystemExit):
        return RouteError(f"importing '{name}' exited (SystemExit: {exc.code}); guard the "
                          "module's script code with if __name__ == '__main__'",
                          user_site(exc.__traceback__) or spec)
    return RouteError(f"error while importing '{name}': {summary(exc)}",
                      user_site(exc.__traceback__) or spec)


def _installed(package: str) -> bool:
    """Whether top-level ``package`` can be imported (found, not imported)."""
    if sys.modules.get(package) is not None:
        return True
    if package in sys.modules:  # None: imports of it are blocked
        return False
    import importlib.util

    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):
        return False


def _importer_site(tb) -> str | None:
    """``file:line`` of the innermost frame outside the import system: the import statement
    that failed, in whatever code (the user's or a library's) wrote it."""
    site = None
    while tb is not None:
        frame = tb.tb_frame
        module = frame.f_globals.get("__name__") or ""
        if not frame.f_code.co_filename.startswith("<") and not module.startswith("importlib"):
            site = f"{code_path(frame.f_code.co_filename)}:{tb.tb_lineno}"
        tb = tb.tb_next
    return site


def call_user(func: Callable, args: tuple, kwargs: dict, label: str, module_name: str,
              name: str, spec: str) -> Any:
    """``func(*args, **kwargs)`` (a factory or data function named ``label`` in messages);
    anything it raises becomes a RouteError at the user's line."""
    try:
        return func(*args, **kwargs)
    except KeyboardInterrupt:
        raise
    except TypeError as exc:
        if _called_with_wrong_args(func, exc):
            hint = "" if args or kwargs else (
                f"; pass arguments like '{module_name}:{name}({_example_arguments(func)})'")
            raise RouteError(f"cannot call '{label}': {summary(exc)}{hint}",
                             user_site(exc.__traceback__) or spec) from exc
        raise RouteError(f"calling '{label}' raised {summary(exc)}",
                         user_site(exc.__traceback__) or spec) from exc
    except BaseException as exc:
        raise RouteError(f"calling '{label}' raised {summary(exc)}",
                         user_site(exc.__traceback__) or spec) from exc


def _example_arguments(func: Callable) -> str:
    """Arguments for the hint of a factory called without the ones it requires:
    ``"testing"`` for a positional parameter (a config name, as Flask factories take), and
    ``name="..."`` for a keyword-only one (marimo's ``create_starlette_app(*, base_url)``)."""
    import inspect

    try:
        parameters = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return '"testing"'
    keyword_only = [p.name for p in parameters
                    if p.kind is p.KEYWORD_ONLY and p.default is p.empty]
    positional = any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                     and p.default is p.empty for p in parameters)
    if not keyword_only:
        return '"testing"'
    return ", ".join((['"testing"'] if positional else [])
                     + [f'{name}="..."' for name in keyword_only])


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
