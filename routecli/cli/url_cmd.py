"""``routecli url``: the URL the framework builds for an endpoint and values (Flask's
``url_for``, Starlette's ``url_path_for``, Django's ``reverse``: the dialect's
``url_builder``)."""

from __future__ import annotations

import sys

import click

from routecli.cli.command import RoutecliCommand
from routecli.cli.common import (
    EXIT_NO,
    EXIT_OK,
    checked_method,
    fail,
    load_table,
    printable,
    routes_option,
)
from routecli.cli.completion import complete_endpoints, complete_url_values
from routecli.cli.failures import set_exit_status
from routecli.cli.formats import format_option
from routecli.errors import RouteError, quoted
from routecli.output.text import one_line
from routecli.output.url import url_json, url_problem_lines
from routecli.routing.dialects import dialect_of


@click.command(cls=RoutecliCommand, name="url",
               epilog="Exit status: 0 with a URL; 1 when no rule of the endpoint can "
               "build one (or no such endpoint); 2 for bad input.")
@click.argument("endpoint", shell_complete=complete_endpoints)
@click.argument("values", nargs=-1, metavar="[NAME=VALUE]...",
                shell_complete=complete_url_values)
@routes_option
@click.option("-m", "--method", metavar="METHOD", help="Build with a rule accepting METHOD "
              "(url_for's _method; default: GET first, then any).")
@click.option("--host", metavar="HOST", help="Request host the URL is relative to (default: "
              "server_name, else localhost); a URL for another host is absolute.")
@click.option("--external", is_flag=True, help="Always an absolute URL (url_for's _external).")
@format_option("text", "json")
def url_command(endpoint: str, values: tuple[str, ...], routes: tuple[str, ...],
                method: str | None, host: str | None, external: bool, fmt: str) -> None:
    """Print the URL that url_for(ENDPOINT, NAME=VALUE, ...) builds, alone on one line.

    Values are typed as the rule's converters expect (id=7 is the integer 7 for
    <int:id>, a UUID for <uuid:...>), so the URL is the one Flask builds from the
    values a program would pass. Values no rule variable takes become the query
    string; repeat NAME for several values. When no rule can build the URL, the
    reason for each rule goes to standard error. For Starlette and FastAPI
    tables, ENDPOINT is a route name ("mount:child" inside a named mount) and the
    URL is what url_path_for builds (docs/dialects.md#building-urls); for Django
    tables, a URL name ("namespace:name") and what reverse() builds
    (docs/django.md#building-urls).

    \b
    Examples:
      routecli url get_blog_post post_id=42
      routecli url show_post post_id=7 ref=mail
      routecli url login --method POST --external
      routecli url get_blog_post post_id=42 --format json
    """
    _check_utf8(endpoint, "ENDPOINT")
    parsed = parse_values(values)
    if method is not None:
        method = checked_method(method, "--method")  # upper-cased, as `routecli match` takes it
    table = load_table(routes)
    dialect = dialect_of(table)
    if not dialect.builds_urls:
        fail(RouteError(f"routecli url does not build URLs for {dialect.title} routes yet "
                        "(docs/dialects.md#known-limits)"))
    try:
        answer = dialect.load("url_builder")(table, endpoint, parsed, method, host,
                                             force_external=external)
    except RouteError as exc:
        fail(exc)
    set_exit_status(EXIT_OK if answer.ok else EXIT_NO)  # kept if the pipe closes early
    if fmt == "json":
        click.echo(url_json(answer))
    elif answer.ok:
        click.echo(printable(answer.url or ""))
    if fmt == "text":
        for line in url_problem_lines(answer):
            click.echo(line, err=True)
    sys.exit(EXIT_OK if answer.ok else EXIT_NO)


def parse_values(arguments: tuple[str, ...]) -> dict[str, str | list[str]]:
    """``NAME=VALUE`` arguments as url_for's values; a repeated NAME gives a list."""
    values: dict[str, str | list[str]] = {}
    for argument in arguments:
        name, equals, value = argument.partition("=")
        if not equals or not name:
            raise click.UsageError(f"expected NAME=VALUE, got {quoted(argument)}")
        _check_utf8(argument, "NAME=VALUE")
        if name in values:
            previous = values[name]
            if isinstance(previous, list):
                previous.append(value)  # in place: 100,000 repeats stay linear
            else:
                values[name] = [previous, value]
        else:
            values[name] = value
    return values


def _check_utf8(argument: str, what: str) -> None:
    """A usage error for an argument holding bytes that are not UTF-8 (Python hands them
    over surrogate-escaped): no program passes such a value to url_for, and the answer
    must not carry the raw bytes into JSON."""
    try:
        argument.encode("utf-8")
    except UnicodeEncodeError as error:
        byte = argument[error.start].encode("utf-8", "surrogateescape")[0]
        shown = argument.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        raise click.BadParameter(f"{one_line(shown[:80])} is not valid UTF-8 (byte "
                                 f"0x{byte:02x})", param_hint=what) from None
