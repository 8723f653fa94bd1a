"""Files a command writes (``-o``, ``--write-baseline``) never replace what it reads: the
route files, the Python sources that declared routes, the lint config, the baseline
being read (docs/exit-codes.md#files-routecli-writes)."""

from __future__ import annotations

import os
from collections.abc import Iterable

from routecli.errors import RouteError


def refuse_overwriting_inputs(output: str | None, option: str,
                              inputs: Iterable[tuple[str, str | None]]) -> None:
    """Raise RouteError when ``output`` is the same file (symlinks and hard links
    included) as one of ``inputs`` (``(what it is, path)`` pairs) or as a module of the
    app's code that loading the routes imported; or when it is a pyproject.toml."""
    if output is None or output == "-":
        return
    if os.path.exists(output):  # a new file cannot be an input
        _refuse_inputs(output, option, inputs)
    # Route discovery reads every pyproject.toml from here up, with or without a
    # [tool.routecli] table; a report in one's place would be the next run's config.
    if os.path.basename(os.path.realpath(output)).lower() == "pyproject.toml":
        raise RouteError(f"refusing to write {option} onto a pyproject.toml (a project's "
                         "configuration): choose another file", output)


def _refuse_inputs(output: str, option: str,
                   inputs: Iterable[tuple[str, str | None]]) -> None:
    from routecli.sources.python.user_code import imported_user_files

    # -r mysite.settings: the settings module, the urlconfs and views it imported too
    imported = [("a Python module of the app", file) for file in imported_user_files()]
    for what, path in [*inputs, *imported]:
        if not path:
            continue
        try:
            same = os.path.samefile(output, path)
        except (OSError, ValueError):
            continue  # not a file (an import spec), or gone
        if same:
            raise RouteError(f"refusing to write {option} onto {what}: choose another file",
                             output)


def table_inputs(table, specs: Iterable[str] = ()) -> list[tuple[str, str | None]]:
    """The files a route table was read from: the sources named, and every file a route
    was declared in (an app's Python modules too)."""
    inputs = [("a route source", spec) for spec in specs]
    inputs += [("a route source", spec) for spec in getattr(table.routeset, "sources", ())]
    files = {route.source.file for route in table.routes if route.source is not None}
    inputs += [("a file the routes are read from", file) for file in sorted(files)]
    return inputs


def write_report(text: str, output: str | None) -> None:
    """``text`` (ending with a newline) to standard output, or to the file ``output``."""
    if output is None or output == "-":
        import click

        click.echo(text, nl=False)
        return
    from routecli.output.files import write_file

    write_file(output, [text])
