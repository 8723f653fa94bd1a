"""``routecli match``: which route answers a request, and why."""

from __future__ import annotations

import io
import sys

import click

from routecli.cli.command import RoutecliCommand
from routecli.cli.common import (
    EXIT_INPUT,
    EXIT_NO,
    EXIT_OK,
    fail,
    load_table,
    one_line,
    rich_console,
    routes_option,
    use_rich,
)
from routecli.cli.failures import error_line, set_exit_status
from routecli.cli.formats import format_option
from routecli.errors import RouteError, quoted
from routecli.output.match import (
    STATUS_TEXT,
    BatchWriter,
    answer_fields,
    limit_misses,
    match_json,
    match_text,
    more_misses_note,
)
from routecli.routing.result import MatchResult
from routecli.routing.urls import is_request_url, read_request_lines, split_request


@click.command(cls=RoutecliCommand, name="match",
               epilog="Exit status: 0 for 200 and redirects (301, 307, 308); 1 for 404 and "
               "405 (or 400, 422, or the status an app's converter answered; in batch mode: "
               "when any request got one); 2 for bad input.")
@click.argument("request", nargs=-1, metavar="[METHOD] URL")
@routes_option
@click.option("--host", metavar="HOST", help="Request host (default: the URL's host, else "
              "server_name, else localhost).")
@format_option("text", "json", "jsonl",
               help="Output format (jsonl: one object per line, for --batch).")
@click.option("--explain", is_flag=True, help="Also list the routes that almost matched, and "
              "why: the closest few, ranked by how close they came.")
@click.option("--all", "show_all", is_flag=True,
              help="With --explain: every near miss, not only the closest few.")
@click.option("--batch", metavar="FILE", help="Answer every 'METHOD URL' (or 'URL') line of FILE "
              "('-' for standard input).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing; only the exit status answers.")
def match_command(request: tuple[str, ...], routes: tuple[str, ...], host: str | None, fmt: str,
                  explain: bool, show_all: bool, batch: str | None, quiet: bool) -> None:
    """Say which endpoint answers METHOD URL, with its arguments, or why none does.

    URL is a path ("/blog/posts/42?x=1") or a full URL ("https://api.example.com/users"),
    whose host is used for host and subdomain rules. METHOD defaults to GET.

    \b
    Examples:
      routecli match GET /blog/posts/42
      routecli match /blog/post/foo --explain
      routecli match DELETE https://api.example.com/users/7 --format json
      printf 'GET /\\nPOST /login\\n' | routecli match --batch - --format jsonl
    """
    if batch is not None:
        if request:
            raise click.UsageError("give either METHOD URL or --batch FILE, not both")
        _run_batch(batch, routes, host, fmt, explain, quiet, show_all)
        return
    fields = split_request(request)
    if fields is None:
        raise click.UsageError("expected METHOD URL (or just URL for GET)")
    method, url = fields[0], clean_url_argument(fields[1])
    # The library's message would do; these say what to type instead.
    if not is_request_url(url):
        if len(request) == 1 and url.isalpha() and url.isupper():
            raise click.UsageError(f"missing the URL after the method {url}")
        first, _, rest = url.partition(" ")
        if len(request) == 1 and first.isalpha() and is_request_url(rest.strip()):
            raise click.UsageError(f"give METHOD and URL as two arguments: "
                                   f"routecli match {first} {rest.strip()}")
        raise click.UsageError(f"URL must start with '/' or a scheme like 'http://', got {quoted(url)}")
    table = load_table(routes)
    if show_all and not explain:
        raise click.UsageError("--all lists every near miss: use it with --explain")
    # One request: the table's general match (the class's), as generating the fast path
    # of a Werkzeug table would cost more than it saves (``--batch`` takes the fast one).
    answer = type(table).match(table, method, url, host, explain=explain)
    result = limit_misses(answer, show_all)
    set_exit_status(EXIT_OK if result.ok else EXIT_NO)
    if not quiet:
        if fmt in ("json", "jsonl"):
            click.echo(match_json(result, explain, lines=fmt == "jsonl"))
        elif use_rich():
            _print_rich(result)
        else:
            click.echo(match_text(result))
    sys.exit(EXIT_OK if result.ok else EXIT_NO)


def _run_batch(path: str, routes, host, fmt: str, explain: bool, quiet: bool,
               show_all: bool = False) -> None:
    if path == "-" and sys.stdin is None:  # started with standard input closed
        fail(RouteError("standard input is not available", "<stdin>"))
    if path == "-" and sys.stdin.isatty():
        raise click.UsageError("--batch - reads requests from standard input, which is a "
                               "terminal: pipe them in, or name a file")
    table = load_table(routes)
    try:
        # a byte-order mark (files saved on Windows) is not part of the method; lines end
        # at "\n" only, as the line numbers of editors and `wc -l` count them (a stray
        # "\r" is inside a line, and "\r\n" ends one as blanks are stripped), unless the
        # file ends its lines with "\r" alone (classic Mac OS).
        stream = _open_batch(path)
    except OSError as exc:
        fail(RouteError(f"cannot read batch file: {exc.strerror}", path))
    status = EXIT_OK
    writer = None if quiet else BatchWriter(sys.stdout, fmt, explain)
    from routecli.coverage.streams import may_be_endless
    from routecli.routing.batch import match_lines as batch_answers

    name = path if path != "-" else "<stdin>"
    lines = read_request_lines(stream, name, may_be_endless(stream))
    try:
        with stream:
            # Printing nothing, only the status counts: the rule's index is enough for a
            # 200 (no result object, no arguments converted) where the table offers it.
            answers = (batch_answers(table, lines, host, getattr(table, "match_index", None))
                       if quiet else table.match_lines(lines, host))
            for number, item in answers:
                if isinstance(item, RouteError):
                    if status != EXIT_INPUT:
                        status = EXIT_INPUT
                        set_exit_status(status)
                    if writer is None:
                        continue
                    if fmt == "text":
                        click.echo(one_line(f"{name}:{number}: {item.message}"), err=True)
                    else:
                        writer.write_error(number, item.message)
                    continue
                if item.__class__ is int:  # a 200 (quiet: match_index)
                    continue
                if not item.ok and status == EXIT_OK:
                    status = EXIT_NO
                    set_exit_status(status)
                if writer is None:
                    continue
                if explain:
                    item.explanation = table.explain(item)
                    limit_misses(item, show_all)
                writer.write(item)
    except RouteError as error:  # the input is no request list: stop reading it
        status = EXIT_INPUT
        click.echo(one_line(error_line(error)), err=True)
    if writer is not None:
        writer.close()
    sys.stdout.flush()
    sys.exit(status)


def _open_batch(path: str) -> io.TextIOWrapper:
    from routecli.coverage.text_input import cr_line_ends, marked_encoding

    # closing it closes standard input, which nothing reads after the batch
    raw = open(path, "rb") if path != "-" else sys.stdin.buffer  # noqa: SIM115
    peek = getattr(raw, "peek", None)
    start = peek(1) if peek is not None else b""  # the first block read, not more
    # UTF-16 and UTF-32 by their byte-order mark, else UTF-8 (its mark dropped); CR-only
    # line ends when the first block has a "\r" and no "\n" (docs/match.md#batch)
    encoding = marked_encoding(start) or "utf-8-sig"
    newline = None if cr_line_ends(start.decode(encoding, "ignore")) else "\n"
    return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=newline)


def clean_url_argument(url: str) -> str:
    """A URL typed on the command line, as a client would send it: surrounding blanks
    dropped, and bytes that are not UTF-8 (surrogate-escaped by Python) replaced."""
    url = url.strip(" \t\r\n")
    try:
        url.encode("utf-8")
    except UnicodeEncodeError:
        url = url.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return url


def _print_rich(result: MatchResult) -> None:
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    from routecli.cli.tables import fitted_table

    colour = {200: "green", 301: "yellow", 307: "yellow", 308: "yellow"}.get(result.status,
                                                                            "red")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for key, value in answer_fields(result):
        grid.add_row(key, escape(one_line(value)))
    title = (f"[bold {colour}]{result.status} {STATUS_TEXT.get(result.status, '')}[/]  "
             f"{escape(one_line(result.method))} {escape(one_line(result.url))}")
    console = rich_console()
    console.print(Panel(grid, title=title, title_align="left", border_style=colour,
                        expand=False))
    if result.explanation:
        console.print("[bold]Near misses[/]")
        console.print(fitted_table(console, ["Rule", "Endpoint", "Why not", "Source"], [
            [one_line(text) for text in (miss.rule.rule, str(miss.rule.endpoint), miss.reason,
                                         str(miss.rule.source or ""))]
            for miss in result.explanation]))
        note = more_misses_note(result)
        if note:
            console.print(f"[dim]{note}[/]")
    elif result.explanation is not None:
        console.print("[dim]No near misses.[/]")
    elif result.status in (404, 405):
        console.print("[dim]Run with --explain to see the routes that almost matched.[/]")
