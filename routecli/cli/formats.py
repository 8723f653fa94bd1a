"""``--format``: one vocabulary for every command (docs/README.md#output-formats):
``text`` the default for people (rich on a terminal, plain in a pipe), ``json`` everywhere,
``markdown`` where tables are printed, and the command's own extras (csv, sarif, html...).
Names a command used before (``table``) are still accepted, never offered."""

from __future__ import annotations

import click

# Old names, still accepted: `list --format table` is `--format text`.
ALIASES = {"table": "text"}


class FormatChoice(click.Choice):
    """A ``click.Choice`` of format names that also takes the old names in ALIASES; help
    and completion show only the current names."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and value in ALIASES and ALIASES[value] in self.choices:
            value = ALIASES[value]
        return super().convert(value, param, ctx)


def format_option(*names: str, help: str = "Output format."):
    """``-f/--format`` with ``names`` (the first is the default)."""
    return click.option("-f", "--format", "fmt", type=FormatChoice(list(names)),
                        default=names[0], show_default=True, help=help)
