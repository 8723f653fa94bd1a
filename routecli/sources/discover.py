"""Find route sources (docs/sources.md#discovery-order) and load several of them into one RouteSet.

Without ``-r``, :func:`find_sources` looks, in this order, for:

1. ``ROUTECLI_ROUTES``: entries separated by ``os.pathsep``; empty entries are skipped
   (so on POSIX, where the separator is ":", a Python spec there cannot have ``:attr``);
2. ``[tool.routecli] routes = [...]`` in the nearest ``pyproject.toml`` that has it,
   from the current directory upward (pyproject files without it are passed over);
   file entries are relative to that ``pyproject.toml``'s directory, and Python specs
   are imported from there;
3. ``FLASK_APP``: like ``flask --app``, that app is the source (loaded by
   :mod:`routecli.sources.python`); it comes after the project's own configuration so
   that a shell-wide ``FLASK_APP`` cannot silently replace it;
4. ``routes.yaml``, ``routes.yml``, ``routes.toml`` or ``routes.json`` in the current
   directory, the first that exists;

and otherwise raises a RouteError that says how to point routecli at routes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from routecli.errors import RouteError
from routecli.routing.model import ConverterDef, RouteSet, Settings
from routecli.sources.git_file import GIT_PREFIX
from routecli.sources.route_file import FORMATS, describe, read_document
from routecli.sources.schema import ExplicitSettings, explicit_from_settings, parse_routeset

ROUTE_FILE_NAMES = ("routes.yaml", "routes.yml", "routes.toml", "routes.json")
TOOL_KEYS = ("routes", "lint")  # what [tool.routecli] may hold
NO_SOURCES_MESSAGE = (
    "no routes found: pass -r FILE (or -r package.module:app), set ROUTECLI_ROUTES, "
    'add [tool.routecli] routes = ["routes.yaml"] to pyproject.toml, set FLASK_APP, '
    "or create routes.yaml in this directory"
)

# package.module, package.module:attr, package.module:factory('arg'), or path/app.py[:attr]
_PYTHON_SPEC = re.compile(r"(?:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*|[^:]+\.py)(?::.*)?", re.ASCII)


def find_sources(cwd: str | None = None, environ: Mapping[str, str] | None = None) -> list[str]:
    """The route sources to use when no ``-r`` was given (see the module docstring)."""
    environ = os.environ if environ is None else environ
    base = os.getcwd() if cwd is None else cwd
    entries = [entry for entry in environ.get("ROUTECLI_ROUTES", "").split(os.pathsep) if entry]
    if entries:
        return [_resolve(entry, base) for entry in entries]
    found = _from_pyproject(base)
    if found is not None:
        return found
    flask_app = environ.get("FLASK_APP", "").strip()
    if flask_app:
        return [flask_app]
    for name in ROUTE_FILE_NAMES:
        candidate = os.path.join(base, name)
        if os.path.isfile(candidate):
            return [_resolve(name, base)]
    raise RouteError(NO_SOURCES_MESSAGE)


def _is_file_spec(spec: str) -> bool:
    return os.path.splitext(spec)[1].lower() in FORMATS


class PythonSpec(str):
    """A Python source spec read from a config file: ``base_dir`` (the config's
    directory) is made importable while loading it, so ``myapp:app`` in a
    pyproject.toml works from any subdirectory."""

    base_dir: str | None = None

    @classmethod
    def at(cls, spec: str, base_dir: str) -> PythonSpec:
        """``spec`` as written in a config file in ``base_dir``."""
        made = cls(spec)
        made.base_dir = os.path.abspath(base_dir)
        return made


def _resolve(entry: str, directory: str) -> str:
    """An entry written relative to ``directory``, usable from the process cwd: a
    route file as a path, a Python spec as a :class:`PythonSpec` importable from there."""
    if os.path.isabs(entry):
        return entry
    joined = os.path.normpath(os.path.join(directory, entry))
    if not _is_file_spec(entry) and not os.path.exists(joined):
        # A Python spec (or a missing file, reported when loaded). A file path in it
        # (app.py:app) is relative to the config's directory too.
        head, colon, tail = entry.partition(":")
        if (head.endswith(".py") and not os.path.isabs(head)
                and os.path.abspath(directory) != os.getcwd()):
            entry = os.path.abspath(os.path.join(directory, head)) + colon + tail
        return PythonSpec.at(entry, directory)
    here = os.getcwd()
    if os.path.abspath(directory) == here:
        return os.path.normpath(entry)
    try:
        relative = os.path.relpath(joined, here)
    except ValueError:  # another drive (Windows)
        return os.path.abspath(joined)
    return relative if not relative.startswith(os.pardir) else os.path.abspath(joined)


def _from_pyproject(start: str) -> list[str] | None:
    directory = os.path.abspath(start)
    while True:
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate):
            routes = _pyproject_routes(candidate)
            if routes is not None:
                return [_resolve(entry, directory) for entry in routes]
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _pyproject_routes(path: str) -> list[str] | None:
    """``[tool.routecli] routes`` of one pyproject.toml, or None when it has none."""
    from routecli.sources.route_file import decode, display_path, read_bytes

    display = display_path(path)
    try:
        raw = read_bytes(path)
    except RouteError:
        return None  # unreadable: not ours to complain about, keep looking upward
    if b"routecli" not in raw:
        if _mentions_routecli_in_utf16_or_32(raw):
            decode(raw, display)  # raises, naming the encoding
        return None  # cheap: most pyproject files never mention routecli
    from routecli.sources.cache import cached_pyproject_routes

    return cached_pyproject_routes(path, raw, lambda: _routes_of(raw, display))


def _routes_of(raw: bytes, display: str) -> list[str] | None:
    """``[tool.routecli] routes`` of a pyproject.toml's bytes, checked (RouteError)."""
    from routecli.sources.route_file import decode
    from routecli.sources.toml_file import load_toml

    doc = load_toml(decode(raw, display), display)  # a broken one that does is an error
    config = tool_table(doc)
    if config is None or "routes" not in config:
        return None
    routes: Any = config["routes"]
    where = ("tool", "routecli", "routes")
    if isinstance(routes, str):
        routes = [routes]
    if not isinstance(routes, list):
        raise _pyproject_error(
            doc, where, f"[tool.routecli] routes: expected a list of paths, got {describe(routes)}"
        )
    for index, entry in enumerate(routes):
        if not isinstance(entry, str) or not entry:
            raise _pyproject_error(
                doc, where + (index,),
                f"[tool.routecli] routes[{index}]: expected a path or Python spec, "
                f"got {describe(entry)}")
        if "\0" in entry:  # no file name holds one: the system refuses it
            raise _pyproject_error(
                doc, where + (index,),
                f"[tool.routecli] routes[{index}]: a path or Python spec cannot hold a NUL "
                "character")
    if not routes:
        raise _pyproject_error(doc, where, "[tool.routecli] routes is empty")
    return routes


def tool_table(doc: Any) -> dict | None:
    """The ``[tool.routecli]`` table of a parsed TOML document (None when it has none),
    its keys checked: every reader of it (routes here, lint settings) refuses the same
    mistakes."""
    tool = doc.data.get("tool") if isinstance(doc.data, dict) else None
    config = tool.get("routecli") if isinstance(tool, dict) else None
    if config is None:
        return None
    where = ("tool", "routecli")
    if not isinstance(config, dict):
        raise _pyproject_error(
            doc, where, f"[tool.routecli] must be a table, got {describe(config)}"
        )
    for key in config:
        if key not in TOOL_KEYS:
            from routecli.sources.schema import did_you_mean, shown_key

            raise _pyproject_error(doc, where + (key,),
                                   f"unknown key {shown_key(key)} in [tool.routecli]"
                                   f"{did_you_mean(key, TOOL_KEYS)}")
    return config


def _mentions_routecli_in_utf16_or_32(raw: bytes) -> bool:
    """Whether text saved as UTF-16 or UTF-32 (which no TOML reader accepts) mentions
    routecli: such a pyproject.toml must be named, not silently passed over."""
    if b"\x00" not in raw[:4]:
        return False
    for encoding in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        try:
            if "routecli" in raw.decode(encoding):
                return True
        except UnicodeDecodeError:
            continue
    return False


def _pyproject_error(doc: Any, keys: tuple, message: str) -> RouteError:
    line = doc.line_of(keys)
    return RouteError(message, f"{doc.path}:{line}" if line else doc.path)


# ------------------------------------------------------------------------------------ loading


def spec_kind(spec: str) -> str:
    """``"file"``, ``"git"`` (``git:REV:path``) or ``"python"``: how :func:`load_routeset`
    will read ``spec``."""
    if spec.startswith(GIT_PREFIX):
        return "git"
    if _is_file_spec(spec):
        return "file"
    if spec.endswith(".py") or ".py:" in spec:
        return "python"  # like FLASK_APP=app.py
    if _is_package_dir(spec):
        return "python"  # like flask --app mypkg
    if os.path.exists(spec):
        return "file"
    if _PYTHON_SPEC.fullmatch(spec):
        return "python"
    return "missing"


def _is_package_dir(spec: str) -> bool:
    """``-r mypkg`` where ``mypkg/__init__.py`` exists: a Python package, like ``flask --app``."""
    return os.path.isdir(spec) and os.path.isfile(os.path.join(spec, "__init__.py"))


def load_routeset(specs: list[str]) -> RouteSet:
    """Load every source in order and merge them into one RouteSet; raise RouteError."""
    from routecli.gc_paused import gc_paused

    with gc_paused():
        return _load_routeset(specs)


def _load_routeset(specs: list[str]) -> RouteSet:
    # The same source named twice (-r a.yaml -r ./a.yaml) is loaded once: twice
    # would only make every route a duplicate of itself.
    unique: dict[str, str] = {}
    for spec in specs:
        key = os.path.realpath(spec) if spec_kind(spec) == "file" else spec.strip()
        unique.setdefault(key, spec)
    specs = list(unique.values())
    merger = _Merger()
    for spec in specs:
        routeset, explicit = _load_one(spec)
        if len(specs) == 1:
            routeset.sources = [spec]
            return routeset
        merger.add(spec, routeset, explicit)
    return merger.result(list(specs))


def _load_one(spec: str) -> tuple[RouteSet, ExplicitSettings]:
    kind = spec_kind(spec)
    if kind == "file":
        from routecli.sources.cache import cached
        from routecli.sources.route_file import display_path

        # shown as Python sources' files are: relative below the current directory
        spec = display_path(spec)

        def parse() -> tuple[RouteSet, ExplicitSettings]:
            doc = read_document(spec)
            try:
                return parse_routeset(doc.data, spec, doc.line_of)
            except RecursionError:  # a last guard: the validator itself does not recurse
                raise RouteError("the file is nested too deeply to be a route file",
                                 spec) from None

        return cached(spec, parse)
    if kind == "git":
        from routecli.sources.git_file import read_git_document

        doc = read_git_document(spec)
        return parse_routeset(doc.data, spec, doc.line_of)
    if kind == "python":
        from routecli.sources.python import load_python

        routeset = load_python(spec)
        return routeset, explicit_from_settings(routeset.settings, spec)
    if spec == "-":  # a route file's format is its extension: standard input has none
        raise RouteError("standard input is not read as routes: name a route file "
                         f"({', '.join(sorted(FORMATS))}), a Python import spec or "
                         "git:REV:path", spec)
    raise RouteError(
        "no such file, and not a Python import spec like 'package.module:app' "
        f"(route files end in {', '.join(sorted(FORMATS))})",
        spec,
    )


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


class _Merger:
    """Concatenates routes; converters and settings must agree across sources."""

    def __init__(self) -> None:
        self.routes: list = []
        self.converters: dict[str, ConverterDef] = {}
        self.converter_where: dict[str, str] = {}
        self.settings: ExplicitSettings = {}
        self.dialect: str | None = None
        self.dialect_where = ""
        self.options: dict[str, Any] = {}  # a first-match dialect's settings

    def add(self, spec: str, routeset: RouteSet, explicit: ExplicitSettings) -> None:
        if self.dialect is None:
            self.dialect, self.dialect_where = routeset.dialect, spec
        elif routeset.dialect != self.dialect:
            raise RouteError(f"this source is {routeset.dialect} routing but "
                             f"{self.dialect_where} is {self.dialect}: one table has one "
                             "dialect", spec)
        self.options.update(routeset.options)
        self.routes.extend(routeset.routes)
        for name, converter in routeset.converters.items():
            where = str(converter.source) if converter.source else spec
            previous = self.converters.get(name)
            if previous is None:
                self.converters[name] = converter
                self.converter_where[name] = where
            elif _converter_key(previous) != _converter_key(converter):
                raise RouteError(
                    f"converter {name!r} is defined differently here and in "
                    f"{self.converter_where[name]}",
                    where,
                )
        for name, (value, source) in explicit.items():
            previous = self.settings.get(name)
            if previous is None:
                self.settings[name] = (value, source)
            elif previous[0] != value or type(previous[0]) is not type(value):
                raise RouteError(
                    f"settings.{name} is {_show(value)} here but {_show(previous[0])} "
                    f"in {previous[1]}",
                    str(source),
                )

    def result(self, specs: list[str]) -> RouteSet:
        dialect = self.dialect or "werkzeug"
        if dialect != "werkzeug":
            # Settings all sources agree on (checked in add), over each source's defaults.
            options = {**self.options, **{name: value for name, (value, _) in
                                          self.settings.items() if name != "dialect"}}
            return RouteSet(self.routes, converters=self.converters, sources=specs,
                            dialect=dialect, options=options)
        settings = Settings(**{name: value for name, (value, _) in self.settings.items()})
        return RouteSet(self.routes, settings, self.converters, specs)


def _converter_key(converter: ConverterDef) -> tuple:
    return (converter.regex, converter.weight, converter.part_isolating, converter.factory)
