"""``routecli list``: the routing table, filtered and sorted; the formats are
:mod:`routecli.output.routes`, the terminal table is drawn here."""

from __future__ import annotations

import re
import sys

import click

from routecli.cli.command import RoutecliCommand
from routecli.cli.common import (
    checked_method,
    load_table,
    rich_console,
    routes_option,
    use_rich,
)
from routecli.cli.formats import format_option
from routecli.errors import quoted
from routecli.output.routes import (
    route_cell,
    route_columns,
    routes_csv,
    routes_json,
    routes_markdown,
    routes_text,
)
from routecli.routing.dialects import dialect_of
from routecli.routing.serialize import route_row
from routecli.routing.urls import is_request_url
from routecli.select import SORT_KEYS, filter_counts, order, select


@click.command(cls=RoutecliCommand, name="list",
               epilog="Exit status: 0 (also when no route is selected); 2 for bad input.")
@routes_option
@format_option("text", "json", "markdown", "csv")
@click.option("-m", "--method", "methods", multiple=True, metavar="METHOD",
              help="Only routes accepting METHOD (repeatable; routes accepting every method "
                   "are included).")
@click.option("-e", "--endpoint", metavar="GLOB",
              help="Only endpoints matching GLOB, e.g. 'api.*'.")
@click.option("-g", "--grep", metavar="REGEX",
              help="Only routes whose rule, endpoint, methods, view or source match REGEX.")
@click.option("-p", "--path", metavar="URL", help="Only routes whose pattern matches URL "
              "(any method).")
@click.option("--host", metavar="HOST", help="Host for --path (default: the URL's).")
@click.option("-s", "--sort", "sort_key", type=click.Choice(SORT_KEYS), default="definition",
              show_default=True, help="Order; 'priority' is the order the matcher tries routes.")
@click.option("--reverse", is_flag=True, help="Reverse the order.")
@click.option("--all-methods", is_flag=True, help="Show the implicit HEAD and automatic OPTIONS.")
def list_command(routes, fmt, methods, endpoint, grep, path, host, sort_key, reverse,
                 all_methods) -> None:
    """List routes: endpoint, methods, rule and source.

    \b
    Examples:
      routecli list
      routecli list --method POST --sort rule
      routecli list --endpoint 'api.*' --format json
      routecli list --path /blog/posts/42
      routecli list --format markdown > ROUTES.md
    """
    filters = _checked_filters(methods, endpoint, grep, path, host)
    table = load_table(routes)
    rules = order(table, select(table, **filters), sort_key, reverse)
    extra = dialect_of(table).list_columns
    rows = [route_row(rule, all_methods, tuple(key for _, key in extra)) for rule in rules]
    if not rows:
        _say_why_empty(table, filters, fmt)
        if fmt == "text":
            return
    if fmt == "csv":
        # Written as is: click.echo would strip escape sequences that are route data here.
        sys.stdout.write(routes_csv(rows, extra))
    elif fmt == "text" and use_rich():
        _print_rich(rows, len(table), extra)
    else:
        writer = {"json": routes_json, "markdown": routes_markdown, "text": routes_text}[fmt]
        click.echo(writer(rows, extra), nl=False)


def _checked_filters(methods, endpoint, grep, path, host) -> dict:
    """The filters, validated as `match` validates its input (usage error, exit 2)."""
    import re

    methods = tuple(checked_method(m, "--method") for m in methods)
    if endpoint:
        from routecli.select import glob_problem

        problem = glob_problem(endpoint)
        if problem:
            raise click.BadParameter(problem, param_hint="--endpoint")
    if grep:
        try:
            re.compile(grep)
        except (re.error, OverflowError, RecursionError) as exc:  # a{99999999999}: Overflow
            raise click.BadParameter(f"invalid regex: {exc}", param_hint="--grep") from None
    if path is not None and not is_request_url(path):
        raise click.BadParameter(f"URL must start with '/' or a scheme like 'http://', "
                                 f"got {quoted(path)}", param_hint="--path")
    if host is not None and path is None:
        raise click.UsageError("--host only applies to --path (the host to match it on)")
    return {"methods": methods, "endpoint": endpoint, "grep": grep, "path": path, "host": host}


def _say_why_empty(table, filters: dict, fmt: str) -> None:
    """An empty selection says what emptied it: the table itself, or which filters (each
    with the routes it keeps on its own). On standard output for the text format, on
    standard error for the data formats, whose output stays valid data."""
    total = len(table)
    counts = filter_counts(table, **filters)
    routes = f"{'all ' if total > 1 else ''}{total:,} route{'s' if total != 1 else ''}"
    if not total:
        message = "No routes: the route table is empty."
    elif len(counts) == 1:
        message = f"No routes: {counts[0][0]} excludes {routes}."
    else:
        alone = ", ".join(f"{name} keeps {count:,}" for name, count in counts)
        message = f"No routes: the filters exclude {routes} (alone, {alone})."
    click.echo(message, err=fmt != "text")


METHOD_STYLES = {"GET": "blue", "HEAD": "blue", "POST": "yellow", "PUT": "yellow",
                 "PATCH": "yellow", "DELETE": "red", "ANY": "red"}


def _print_rich(rows: list[dict], total: int, extra: tuple = ()) -> None:
    from rich.text import Text

    from routecli.cli.tables import fitted_table

    def methods(text: str) -> Text:
        styled = Text(text)
        for match in re.finditer(r"[^,\s]+", text):
            styled.stylize(METHOD_STYLES.get(match.group(), "magenta"), match.start(),
                           match.end())
        return styled

    console = rich_console()
    columns = route_columns(rows, extra)
    console.print(fitted_table(console, [title for title, _ in columns],
                               [[route_cell(row, key) for _, key in columns] for row in rows],
                               {"Methods": methods, "Rule": _styled_rule}))
    shown = len(rows)
    console.print(f"[dim]{shown} of {total} routes[/]" if shown != total else
                  f"[dim]{total} routes[/]")


def _styled_rule(rule: str):
    from rich.text import Text

    text = Text()
    depth = 0
    for char in rule:
        if char in "<{":
            depth += 1
        text.append(char, style="cyan" if depth else None)
        if char in ">}" and depth:
            depth -= 1
    return text
