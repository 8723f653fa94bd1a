"""``routecli diff OLD NEW``: the click layer over :mod:`routecli.diff` (docs/diff.md)."""

from __future__ import annotations

import sys

import click

from routecli.cli.command import RoutecliCommand
from routecli.cli.common import (
    EXIT_NO,
    EXIT_OK,
    budget_option,
    get_env,
    note_budget_ran_out,
    printable,
    rich_console,
    routes_option,
    use_rich,
)
from routecli.cli.failures import set_exit_status
from routecli.cli.formats import format_option
from routecli.errors import RouteError

EPILOG = ("Exit status: 0 when nothing fails --fail-on; 1 when a change does (breaking ones by "
          "default; with --fail-on any, every change and new lint finding); 2 for bad input.")


@click.command(cls=RoutecliCommand, name="diff", epilog=EPILOG)
@routes_option
@click.argument("old_source", metavar="OLD", required=False)
@click.argument("new_source", metavar="[NEW]", required=False)
@click.option("--old", "old_more", multiple=True, metavar="SOURCE",
              help="Another source of OLD (repeatable; merged in order after OLD).")
@click.option("--new", "new_more", multiple=True, metavar="SOURCE",
              help="Another source of NEW (repeatable). Without NEW or --new, NEW is the "
                   "routes -r or discovery gives, as for every other command.")
@format_option("text", "json", "markdown", "github",
               help="Output format: markdown for a pull-request comment, github for "
                    "annotations on the changed lines.")
@click.option("--fail-on", type=click.Choice(["breaking", "any"]), default="breaking",
              show_default=True, help="Exit 1 on a breaking change, or on any change or "
                                      "new lint finding.")
@click.option("--no-lint", is_flag=True, help="Skip the lint findings NEW adds.")
@budget_option
def diff_command(routes, old_source, new_source, old_more, new_more, fmt, fail_on,
                 no_lint, budget) -> None:
    """Compare two route tables by the requests whose answers change.

    Each side is any route source (file, Python app, several with --old/--new) or
    git:REV:path, a route file as it was at a git revision (read with git, no
    checkout). Every breaking change comes with witness requests that OLD and
    NEW answer differently.

    \b
    Examples:
      routecli diff sample_routes/diff_old.yaml sample_routes/diff_new.yaml
      routecli diff git:origin/main:routes.yaml routes.yaml
      routecli diff git:HEAD~1:routes.yaml            # NEW: -r or discovery
      routecli diff old.yaml new.yaml --format json
      routecli diff old.yaml --old extra.yaml new.yaml --format markdown
      routecli diff git:origin/main:routes.yaml --fail-on any --format github
    """
    import routecli
    from routecli.diff import diff
    from routecli.output.diff import diff_json, diff_markdown, diff_text, github_lines

    old_specs = [spec for spec in (old_source, *old_more) if spec]
    if not old_specs:
        raise click.UsageError("give OLD: a route source or git:REV:path")
    new_specs = [spec for spec in (new_source, *new_more) if spec]
    if not new_specs:
        new_specs = [*get_env().routes, *routes]
    old = _load(routecli, old_specs, "OLD")
    new = _load(routecli, new_specs, "NEW")
    report = diff(old, new, lint=not no_lint, budget=budget)
    note_budget_ran_out(report.stats, "requests whose answers change may be missing")
    status = EXIT_NO if report.failing(fail_on) else EXIT_OK
    set_exit_status(status)  # kept if the pipe closes early
    if fmt == "text" and use_rich():
        _print_rich(report)
    elif fmt == "github":
        for line in github_lines(report):
            click.echo(line)
    else:
        writer = {"json": diff_json, "markdown": diff_markdown, "text": diff_text}[fmt]
        sys.stdout.write(writer(report))
        sys.stdout.flush()
    sys.exit(status)


def _load(routecli, specs: list[str], side: str):
    """One side's table; an error names the side when the source does not."""
    try:
        return routecli.load(*specs)
    except RouteError as exc:
        if exc.source is None:
            raise RouteError(f"{side}: {exc.message}") from None
        raise


SEVERITY_STYLES = {"breaking": "bold red", "non_breaking": "yellow", "info": "dim"}


def _print_rich(report) -> None:
    """Changes grouped by route; each change's words wrap in their own column (a hanging
    indent), so a narrow terminal still reads label | message | requests."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from routecli.output.diff import SEVERITY_LABELS, request_text, route_groups, summary_text

    console = rich_console()
    for key, changes in route_groups(report):
        console.print(Text(printable(key), style="bold"))
        grid = Table.grid(padding=(0, 1), pad_edge=False)
        grid.add_column(no_wrap=True, min_width=14)  # "  non-breaking"
        grid.add_column(ratio=1)
        for change in changes:
            body = Text(change.kind, style="cyan")
            body.append(f"  {printable(change.message)}")
            rule = change.subject
            if rule is not None and rule.source is not None:
                body.append(f"  [{printable(str(rule.source))}]", style="dim")
            grid.add_row(Text("  " + SEVERITY_LABELS[change.severity],
                              style=SEVERITY_STYLES[change.severity]), body)
            for evidence in change.requests:
                grid.add_row("", Padding(Text(printable(request_text(evidence)), style="dim"),
                                         (0, 0, 0, 2)))
        console.print(grid)
    for finding in report.new_findings:
        console.print(Text(f"new lint finding {finding.code} {finding.severity}: "
                           f"{printable(finding.message)}", style="magenta"))
    if not report.changes and not report.new_findings:
        console.print("no changes")
    console.print(Text(summary_text(report), style="bold"))
