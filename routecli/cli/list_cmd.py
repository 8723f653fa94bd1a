"""``routecli list``: the routing table, filtered and sorted."""

from __future__ import annotations

import click

from routecli.cli.common import (
    load_table,
    printable,
    rich_console,
    routes_option,
    use_rich,
    write_json,
)
from routecli.routing.serialize import route_row
from routecli.select import SORT_KEYS, order, select


@click.command("list", epilog="Exit status: 0 (also when no route is selected); 2 for bad input.")
@routes_option
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json", "csv", "markdown"]),
              default="table", show_default=True, help="Output format.")
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
    if fmt == "json":
        write_json(rows)
    elif fmt == "csv":
        _write_csv(rows)
    elif fmt == "markdown":
        _write_markdown(rows)
    elif use_rich():
        _print_rich(rows, len(table))
    else:
        _write_plain(rows)


def _columns(rows: list[dict]) -> list[tuple[str, str]]:
    columns = [("Endpoint", "endpoint"), ("Methods", "methods"), ("Rule", "rule")]
    if any(row["host"] for row in rows):
        columns.append(("Host", "host"))
    if any(row["subdomain"] for row in rows):
        columns.append(("Subdomain", "subdomain"))
    if any(row["redirect_to"] for row in rows):
        columns.append(("Redirect", "redirect_to"))
    if any(row["view"] for row in rows):
        columns.append(("View", "view"))
    columns.append(("Source", "source"))
    return columns


def _cell(row: dict, key: str) -> str:
    value = row[key]
    if key == "methods":
        return ", ".join(value) if value != ["*"] else "ANY"
    return "" if value is None else printable(str(value))


def _write_plain(rows: list[dict]) -> None:
    if not rows:
        click.echo("No routes.")
        return
    columns = _columns(rows)
    cells = [[_cell(row, key) for _, key in columns] for row in rows]
    widths = [max(len(title), *(len(line[i]) for line in cells))
              for i, (title, _) in enumerate(columns)]
    click.echo("  ".join(title.ljust(w) for (title, _), w in zip(columns, widths)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for line in cells:
        click.echo("  ".join(value.ljust(w) for value, w in zip(line, widths)).rstrip())


def _write_csv(rows: list[dict]) -> None:
    import csv
    import json
    import sys

    writer = csv.writer(sys.stdout, lineterminator="\n")
    keys = ["endpoint", "methods", "rule", "host", "subdomain", "defaults", "strict_slashes",
            "redirect_to", "view", "source"]
    writer.writerow(keys)
    for row in rows:
        values = []
        for key in keys:
            value = row[key]
            if key == "methods":
                value = " ".join(value)
            elif key == "defaults":
                value = "" if value is None else json.dumps(value, default=str)
            elif value is None:
                value = ""
            values.append(value)
        writer.writerow(values)


def _write_markdown(rows: list[dict]) -> None:
    columns = _columns(rows)

    def escape(text: str) -> str:
        return text.replace("|", r"\|")

    click.echo("| " + " | ".join(title for title, _ in columns) + " |")
    click.echo("|" + "|".join("---" for _ in columns) + "|")
    for row in rows:
        cells = []
        for _, key in columns:
            text = escape(_cell(row, key))
            cells.append(f"`{text}`" if key == "rule" and text else text)
        click.echo("| " + " | ".join(cells) + " |")


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
    columns = _columns(rows)
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for title, key in columns:
        table.add_column(title, style="dim" if key == "source" else None,
                         overflow="ellipsis" if key == "methods" else "fold")
    for row in rows:
        cells = []
        for _, key in columns:
            text = _cell(row, key)
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
