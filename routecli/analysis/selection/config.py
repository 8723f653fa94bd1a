"""Lint settings: the merged layers, per-file ignores, severity overrides, fail-on, strict
and baseline path, read from ``[tool.routecli.lint]`` (or a standalone TOML file's
``[lint]``) and overridden by the command line."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from routecli.analysis.findings import SEVERITIES, SEVERITY_RANK
from routecli.analysis.selection.codes import (
    Layer,
    default_codes,
    describe_value,
    explicitly_selected,
    parse_codes,
    resolve,
    rule_codes,
)
from routecli.errors import RouteError

CONFIG_KEYS = ("select", "extend-select", "ignore", "per-file-ignores", "severity", "fail-on",
               "strict", "baseline")


class LintSettings:
    """Everything that decides what a lint run reports, merged from its layers.

    ``root`` is the directory ``per-file-ignores`` globs and a configured ``baseline``
    are relative to (the config file's directory; the current directory otherwise).
    ``config`` is the config file's path, or None.
    """

    def __init__(self, layers: Sequence[Layer] = (), per_file_ignores: dict | None = None,
                 severity: dict | None = None, fail_on: str = "error", strict: bool = False,
                 baseline: str | None = None, root: str | None = None,
                 config: str | None = None) -> None:
        self.layers = list(layers)
        self.per_file_ignores: dict[str, tuple[str, ...]] = dict(per_file_ignores or {})
        self.severity: dict[str, str] = dict(severity or {})
        self.fail_on = fail_on
        self.strict = strict
        self.baseline = baseline
        self.root = root if root is not None else os.getcwd()
        self.config = config

    def override(self, *, select: Any = None, extend_select: Any = None, ignore: Any = None,
                 fail_on: str | None = None, strict: bool | None = None,
                 baseline: str | None = None, codes: Sequence[str] | None = None
                 ) -> LintSettings:
        """A copy with command-line values on top; code lists may be comma-separated
        strings. Raises RouteError for unknown codes or levels."""
        layer = Layer(
            select=parse_codes(select, codes) if select is not None else None,
            extend_select=parse_codes(extend_select, codes) if extend_select is not None else (),
            ignore=parse_codes(ignore, codes) if ignore is not None else (),
        )
        if fail_on is not None and fail_on not in SEVERITY_RANK:
            raise RouteError(f"fail-on must be one of {', '.join(SEVERITIES)}, got {fail_on!r}")
        new = LintSettings(self.layers + ([layer] if layer != Layer() else []),
                           self.per_file_ignores, self.severity,
                           self.fail_on if fail_on is None else fail_on,
                           self.strict if strict is None else strict,
                           self.baseline if baseline is None else baseline, self.root,
                           self.config)
        if baseline is not None:
            new.baseline = os.path.abspath(baseline)  # given on the command line: from cwd
        return new

    def enabled(self, codes: Sequence[str] | None = None) -> frozenset[str]:
        """The rule codes this run reports."""
        codes = rule_codes() if codes is None else tuple(codes)
        return resolve([Layer(select=default_codes(codes))] + self.layers, codes)

    def shown_info(self, codes: Sequence[str] | None = None) -> frozenset[str]:
        """The codes whose info findings this run shows: every code with ``fail-on info``,
        else the codes a ``select`` or ``extend-select`` names (not merely the defaults)."""
        enabled = self.enabled(codes)
        if self.fail_on == "info":
            return enabled
        return explicitly_selected(self.layers, enabled)

    def baseline_path(self) -> str | None:
        """The configured baseline file as a path usable from the current directory."""
        if self.baseline is None:
            return None
        return os.path.normpath(os.path.join(self.root, self.baseline))

    def __repr__(self) -> str:
        return (f"LintSettings(layers={self.layers!r}, fail_on={self.fail_on!r}, "
                f"strict={self.strict!r}, baseline={self.baseline!r})")


# ----------------------------------------------------------------------------- config


def find_config(start: str | None = None) -> str | None:
    """The nearest ``pyproject.toml`` with a ``[tool.routecli]`` table, from ``start``
    (default: the current directory) upward, or None. The same search as route discovery."""
    directory = os.path.abspath(start or os.getcwd())
    while True:
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate) and _mentions_routecli(candidate):
            from routecli.sources.route_file import read_document

            doc = read_document(display_path(candidate))
            tool = doc.data.get("tool")
            if isinstance(tool, dict) and "routecli" in tool:
                return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _mentions_routecli(path: str) -> bool:
    try:
        with open(path, "rb") as stream:
            return b"routecli" in stream.read()
    except OSError:
        return False


def display_path(path: str) -> str:
    """A path relative to the current directory when it is below it, else as given."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def load_settings(config: str | None = None, *, isolated: bool = False,
                  start: str | None = None, codes: Sequence[str] | None = None
                  ) -> LintSettings:
    """Lint settings from ``config`` (a pyproject.toml, whose ``[tool.routecli.lint]`` is
    read, or another TOML file, whose ``[lint]`` table is read), else from the
    discovered pyproject.toml, else the defaults. ``isolated`` ignores every config file.
    Raises RouteError with ``file:line`` for a bad setting."""
    if isolated:
        return LintSettings()
    path = config if config is not None else find_config(start)
    if path is None:
        return LintSettings()
    from routecli.sources.route_file import read_document

    display = display_path(path) if config is None else path
    if os.path.isdir(path):
        raise RouteError("is a directory, not a config file (give pyproject.toml or a "
                         ".toml file)", path)
    if not os.path.isfile(path):
        if os.path.exists(path):  # a device, a FIFO: reading it could never end
            raise RouteError("not a regular file, not a config file", path)
        raise RouteError("config file not found", path)
    if not path.lower().endswith(".toml"):
        raise RouteError("config file must be TOML (pyproject.toml or a .toml file)", path)
    try:
        doc = read_document(display)
    except RouteError as error:
        if "empty" in error.message:  # an empty config file is simply no settings
            return LintSettings(root=os.path.dirname(os.path.abspath(path)), config=display)
        raise
    from routecli.sources.discover import tool_table

    tool = doc.data.get("tool") if isinstance(doc.data, dict) else None
    if os.path.basename(path) == "pyproject.toml" or (isinstance(tool, dict)
                                                      and "routecli" in tool):
        prefix: tuple = ("tool", "routecli", "lint")  # a pyproject.toml by another name
        tool_table(doc)  # its keys checked as route discovery checks them
    else:
        prefix = ("lint",)
        # A standalone file holds routecli's settings only: a key beside [lint]
        # (`select = [...]` at the top) would otherwise be ignored without a word.
        for key in doc.data if isinstance(doc.data, dict) else ():
            if key != "lint":
                line = doc.line_of((key,))
                raise RouteError(f"unknown key {key!r}: a config file other than "
                                 "pyproject.toml holds its settings in a [lint] table",
                                 f"{doc.path}:{line}" if line else doc.path)
    data: Any = doc.data
    for key in prefix:
        data = data.get(key) if isinstance(data, dict) else None
    root = os.path.dirname(os.path.abspath(path))

    def where(keys: tuple = ()) -> str:
        line = doc.line_of(prefix + tuple(keys))
        return f"{doc.path}:{line}" if line else doc.path

    if data is None:
        return LintSettings(root=root, config=display)
    return settings_from_mapping(data, where, root=root, config=display,
                                 table="[" + ".".join(prefix) + "]", codes=codes)


def settings_from_mapping(data: Any, where: Callable[[tuple], str] = lambda keys: None,
                          *, root: str | None = None, config: str | None = None,
                          table: str = "[tool.routecli.lint]",
                          codes: Sequence[str] | None = None) -> LintSettings:
    """Validate a ``[tool.routecli.lint]`` mapping. ``where(keys)`` gives the
    ``file:line`` of a key for error messages."""
    from routecli.sources.schema import did_you_mean

    if not isinstance(data, dict):
        raise RouteError(f"{table} must be a table, got {describe_value(data)}", where(()))
    for key in data:
        if key not in CONFIG_KEYS:
            raise RouteError(f"unknown key {key!r} in {table}{did_you_mean(key, CONFIG_KEYS)}",
                             where((key,)))

    def codes_at(key: str, value: Any, keys: tuple) -> tuple[str, ...]:
        if isinstance(value, str):  # TOML has lists: say so rather than guess
            raise RouteError(f"{key}: expected a list of rule codes, got {describe_value(value)} "
                             f"(write [{', '.join(repr(c) for c in value.split(',') if c)}])"
                             .replace("'", '"'), where(keys))
        try:
            return parse_codes(value, codes)
        except RouteError as error:
            raise RouteError(f"{key}: {error.message}", where(keys)) from None

    select = codes_at("select", data["select"], ("select",)) if "select" in data else None
    extend = (codes_at("extend-select", data["extend-select"], ("extend-select",))
              if "extend-select" in data else ())
    ignore = codes_at("ignore", data["ignore"], ("ignore",)) if "ignore" in data else ()

    per_file: dict[str, tuple[str, ...]] = {}
    if "per-file-ignores" in data:
        value = data["per-file-ignores"]
        if not isinstance(value, dict):
            raise RouteError('per-file-ignores must be a table of glob = ["RL105", ...], got '
                             f"{describe_value(value)}", where(("per-file-ignores",)))
        for glob, selectors in value.items():
            keys = ("per-file-ignores", glob)
            if not glob:
                raise RouteError("per-file-ignores: empty glob", where(keys))
            from routecli.select import glob_problem

            problem = glob_problem(glob)
            if problem:
                raise RouteError(f"per-file-ignores: {problem}", where(keys))
            per_file[glob] = codes_at(f"per-file-ignores {glob!r}", selectors, keys)

    severity: dict[str, str] = {}
    if "severity" in data:
        value = data["severity"]
        if not isinstance(value, dict):
            raise RouteError('severity must be a table of code = "error" | "warning" | "info", '
                             f"got {describe_value(value)}", where(("severity",)))
        for selector, level in value.items():
            keys = ("severity", selector)
            (parsed,) = codes_at("severity", [selector], keys) or (selector,)
            if not isinstance(level, str) or level not in SEVERITY_RANK:  # [] is unhashable
                raise RouteError(f"severity {selector!r}: expected one of "
                                 f"{', '.join(map(repr, SEVERITIES))}, got {_show(level)}"
                                 f"{did_you_mean(level, SEVERITIES) if isinstance(level, str) else ''}",
                                 where(keys))
            severity[parsed] = level

    fail_on = "error"
    if "fail-on" in data:
        fail_on = data["fail-on"]
        if not isinstance(fail_on, str) or fail_on not in SEVERITY_RANK:
            raise RouteError(f"fail-on: expected one of {', '.join(map(repr, SEVERITIES))}, "
                             f"got {_show(fail_on)}", where(("fail-on",)))
    strict = False
    if "strict" in data:
        strict = data["strict"]
        if not isinstance(strict, bool):
            raise RouteError(f"strict: expected true or false, got {_show(strict)}",
                             where(("strict",)))
    baseline = None
    if "baseline" in data:
        baseline = data["baseline"]
        if not isinstance(baseline, str) or not baseline:
            raise RouteError(f"baseline: expected a file path, got {_show(baseline)}",
                             where(("baseline",)))
        if "\0" in baseline:  # no file name holds one: the system refuses it
            raise RouteError("baseline: a file path cannot hold a NUL character",
                             where(("baseline",)))
    layer = Layer(select=select, extend_select=extend, ignore=ignore)
    return LintSettings([layer] if layer != Layer() else [], per_file, severity, fail_on,
                        strict, baseline, root, config)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    return describe_value(value)
