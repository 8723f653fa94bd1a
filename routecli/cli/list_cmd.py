"""``routecli list``: the routing table, filtered and sorted; the formats are
:mod:`routecli.output.routes`, the terminal table is drawn here."""

from __future__ import annotations

import sys

import click

from routecli.cli.common import load_table, rich_console, routes_option, use_rich
from routecli.cli.formats import format_option
from routecli.output.routes import (
    route_cell,
    route_columns,
    routes_csv,
    routes_json,
    routes_markdown,
    routes_text,
)
from routecli.routing.serialize import route_row
from routecli.select import SORT_KEYS, order, select


@click.command("list", epilog="Exit status: 0 (also when no route is selected); 2 for bad input.")
@routes_option
@format_option("text", "json", "csv", "markdown")
@click.option("-m", "--method", "methods", multiple=True, metavar="METHOD",
              help="Only routes accepting METHOD (repeatable; routes accepting every method "
                   "are included).")
@click.option("-e", "--endpoint", metavar="GLOB", help="Only endpoints matching GLOB, e.g. 'api.*'.")
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
    import re

    table = load_table(routes)
    if grep:
        try:
            re.compile(grep)
        except re.error as exc:
            raise click.BadParameter(f"invalid regex: {exc}", param_hint="--grep") from None
    rules = order(table, select(table, methods=methods, endpoint=endpoint, grep=grep, path=path,
                                host=host), sort_key, reverse)
    rows = [route_row(rule, all_methods) for rule in rules]
    if fmt == "csv":
        # Written as is: click.echo would strip escape sequences that are route data here.
        sys.stdout.write(routes_csv(rows))
    elif fmt == "text" and use_rich():
        _print_rich(rows, len(table))
    else:
        writer = {"json": routes_json, "markdown": routes_markdown, "text": routes_text}[fmt]
        click.echo(writer(rows), nl=False)


METHOD_STYLES = {"GET": "blue", "HEAD": "blue", "POST": "yellow", "PUT": "yellow",
                 "PATCH": "yellow", "DELETE": "red", "ANY": "red"}


def _print_rich(rows: list[dict], total: int) -> None:
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    console = rich_console()
    if not rows:
        console.print("No routes.")
        return
    columns = route_columns(rows)
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for title, key in columns:
        table.add_column(title, style="dim" if key == "source" else None,
                         overflow="ellipsis" if key == "methods" else "fold")
    for row in rows:
        cells = []
        for _, key in columns:
            text = route_cell(row, key)
            if key == "methods":
                methods = Text()
                for i, method in enumerate(text.split(", ") if text else []):
                    if i:
                        methods.append(", ")
                    methods.append(method, style=METHOD_STYLES.get(method, "magenta"))
                cells.append(methods)
            elif key == "rule":
                cells.append(_styled_rule(text))
            else:
                cells.append(escape(text))
        table.add_row(*cells)
    console.print(table)
    shown = len(rows)
    console.print(f"[dim]{shown} of {total} routes[/]" if shown != total else
                  f"[dim]{total} routes[/]")


def _styled_rule(rule: str):
    from rich.text import Text

    text = Text()
    depth = 0
    for char in rule:
        if char == "<":
            depth += 1
        text.append(char, style="cyan" if depth else None)
        if char == ">" and depth:
            depth -= 1
    return text
