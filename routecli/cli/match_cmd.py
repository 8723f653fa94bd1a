"""``routecli match``: which route answers a request, and why."""

from __future__ import annotations

import sys

import click

from routecli.cli.common import (
    EXIT_INPUT,
    EXIT_NO,
    EXIT_OK,
    fail,
    load_table,
    printable,
    rich_console,
    routes_option,
    use_rich,
)
from routecli.errors import RouteError
from routecli.routing.result import MatchResult
from routecli.routing.werkzeug.table import MAX_LINE

STATUS_TEXT = {200: "OK", 308: "Permanent Redirect", 400: "Bad Request", 404: "Not Found",
               405: "Method Not Allowed", 500: "Internal Server Error"}

REDIRECT_REASONS = {
    "slash": "strict slashes: the rule is a branch, so the URL needs its trailing slash",
    "merge_slashes": "merge_slashes: repeated slashes are collapsed",
    "defaults": "redirect_defaults: these values are the defaults of a canonical URL",
    "alias": "alias: the canonical rule of the endpoint is preferred",
    "redirect_to": "redirect_to of the rule",
}


@click.command("match", epilog="Exit status: 0 for 200 and 308; 1 for 404 and 405 (or 400, or "
               "the status an app's converter answered; in batch mode: when any request got "
               "one); 2 for bad input.")
@click.argument("request", nargs=-1, metavar="[METHOD] URL")
@routes_option
@click.option("--host", metavar="HOST", help="Request host (default: the URL's host, else "
              "server_name, else localhost).")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "jsonl"]),
              default="text", show_default=True, help="Output format (jsonl: one object per "
              "line, for --batch).")
@click.option("--explain", is_flag=True, help="Also list the routes that almost matched, and why.")
@click.option("--batch", metavar="FILE", help="Answer every 'METHOD URL' (or 'URL') line of FILE "
              "('-' for standard input).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing; only the exit status answers.")
def match_command(request: tuple[str, ...], routes: tuple[str, ...], host: str | None, fmt: str,
                  explain: bool, batch: str | None, quiet: bool) -> None:
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
        _run_batch(batch, routes, host, fmt, explain, quiet)
        return
    if len(request) == 1:
        method, url = "GET", request[0]
    elif len(request) == 2:
        method, url = request
    else:
        raise click.UsageError("expected METHOD URL (or just URL for GET)")
    url = clean_url_argument(url)
    if not is_url(url):
        if len(request) == 1 and url.isalpha() and url.isupper():
            raise click.UsageError(f"missing the URL after the method {url}")
        first, _, rest = url.partition(" ")
        if len(request) == 1 and first.isalpha() and is_url(rest.strip()):
            raise click.UsageError(f"give METHOD and URL as two arguments: "
                                   f"routecli match {first} {rest.strip()}")
        raise click.UsageError(f"URL must start with '/' or a scheme like 'http://', got {url!r}")
    table = load_table(routes)
    result = table.match(method, url, host, explain=explain)
    if not quiet:
        if fmt in ("json", "jsonl"):
            data = result.to_dict()
            if explain:
                data["explain"] = [miss.to_dict() for miss in result.explanation or ()]
            if fmt == "json":
                import json

                click.echo(json.dumps(data, indent=2, ensure_ascii=False))
            else:
                import json

                click.echo(json.dumps(data, ensure_ascii=False))
        elif use_rich():
            _print_rich(result)
        else:
            click.echo(render_text(result))
    sys.exit(EXIT_OK if result.ok else EXIT_NO)


def _run_batch(path: str, routes, host, fmt: str, explain: bool, quiet: bool) -> None:
    import json

    if path == "-" and sys.stdin.isatty():
        raise click.UsageError("--batch - reads requests from standard input, which is a "
                               "terminal: pipe them in, or name a file")
    table = load_table(routes)
    try:
        # utf-8-sig: a byte-order mark (files saved on Windows) is not part of the method.
        stream = click.open_file(path, encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        fail(RouteError(f"cannot read batch file: {exc.strerror}", path))
    out = sys.stdout
    status = EXIT_OK
    dumps = json.dumps
    first = True
    if fmt == "json" and not quiet:
        out.write("[")
    with stream:
        for number, item in table.match_lines(capped_lines(stream), host):
            if isinstance(item, RouteError):
                status = EXIT_INPUT
                message = f"{path if path != '-' else '<stdin>'}:{number}: {item.message}"
                if quiet:
                    continue
                if fmt == "text":
                    click.echo(message, err=True)
                else:
                    record = dumps({"line": number, "error": item.message})
                    out.write(record + "\n" if fmt == "jsonl" else
                              ("\n" if first else ",\n") + record)
                    first = False
                continue
            if not item.ok and status == EXIT_OK:
                status = EXIT_NO
            if quiet:
                continue
            if explain:
                from routecli.routing.werkzeug.explain import explain as _explain

                item.explanation = _explain(table, item)
            if fmt == "text":
                out.write(render_line(item) + "\n")
            else:
                data = item.to_dict()
                if explain:
                    data["explain"] = [miss.to_dict() for miss in item.explanation or ()]
                record = dumps(data, ensure_ascii=False)
                if fmt == "jsonl":
                    out.write(record + "\n")
                else:
                    out.write(("\n" if first else ",\n") + record)
                    first = False
    if fmt == "json" and not quiet:
        out.write("\n]\n" if not first else "]\n")
    out.flush()
    sys.exit(status)


def capped_lines(stream, limit: int = MAX_LINE):
    """The stream's lines, reading at most ``limit + 1`` characters of a line at a time:
    a longer line is skipped to its end and yielded cut (the library reports it), so
    memory stays flat even on a line without a newline."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith("\n"):
            rest = line
            while rest and not rest.endswith("\n"):
                rest = stream.readline(limit)
        yield line


def clean_url_argument(url: str) -> str:
    """A URL typed on the command line, as a client would send it: surrounding blanks
    dropped, and bytes that are not UTF-8 (surrogate-escaped by Python) replaced."""
    url = url.strip(" \t\r\n")
    try:
        url.encode("utf-8")
    except UnicodeEncodeError:
        url = url.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return url


def is_url(text: str) -> bool:
    """A path ("/...") or an absolute URL ("scheme://...")."""
    return text.startswith("/") or "://" in text


def format_args(args: dict | None) -> str:
    if not args:
        return ""
    return ", ".join(f"{name}={value!r} ({type(value).__name__})" for name, value in args.items())


def render_line(result: MatchResult) -> str:
    """One line per request, for batch output."""
    return printable(_render_line(result))


def _render_line(result: MatchResult) -> str:
    head = f"{result.status} {result.method} {result.url}"
    if result.status == 200:
        args = ", ".join(f"{k}={v!r}" for k, v in (result.args or {}).items())
        return f"{head} -> {result.endpoint}" + (f" ({args})" if args else "")
    if result.status == 308:
        return f"{head} -> {result.location}"
    if result.status == 405:
        return f"{head} allowed: {', '.join(result.allowed_methods or ())}"
    return head


def _lines(result: MatchResult) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if result.status == 308:
        rows.append(("location", result.location or ""))
        rows.append(("reason", REDIRECT_REASONS.get(result.redirect or "", "redirect")))
    if result.status == 405:
        rows.append(("allowed", ", ".join(result.allowed_methods or ())))
        if result.reason:
            rows.append(("reason", result.reason))
    if result.status == 404:
        rows.append(("reason", result.reason or "no route matches this URL"))
    elif result.status not in (200, 308, 405):
        rows.append(("reason", result.reason or STATUS_TEXT.get(result.status, "error")))
    if result.rule is not None:
        rows.append(("endpoint", str(result.endpoint)))
        if result.rule.route.view:
            rows.append(("view", result.rule.route.view))
        rows.append(("rule", result.rule.rule))
        if result.rule.domain:
            rows.append(("host" if result.rule.route.host else "subdomain", result.rule.domain))
    if result.status == 200:
        rows.append(("args", format_args(result.args) or "(none)"))
        if result.automatic_options:
            rows.append(("note", "OPTIONS is answered by Flask's automatic handler"))
    if result.source:
        rows.append(("source", result.source))
    return rows


def render_text(result: MatchResult) -> str:
    """The plain-text answer (used when output is not a terminal)."""
    return printable(_render_text(result))


def _render_text(result: MatchResult) -> str:
    title = f"{result.status} {STATUS_TEXT.get(result.status, '')}  {result.method} {result.url}"
    width = max((len(key) for key, _ in _lines(result)), default=0)
    out = [title]
    out += [f"  {key.ljust(width)}  {value}" for key, value in _lines(result)]
    if result.status in (404, 405) and result.explanation is None:
        out.append("  (run with --explain to see the routes that almost matched)")
    if result.explanation is not None:
        if result.explanation:
            out.append("  near misses:")
            for miss in result.explanation:
                source = f"  [{miss.rule.source}]" if miss.rule.source else ""
                out.append(f"    {miss.rule.rule}  -> {miss.rule.endpoint}{source}")
                out.append(f"      {miss.reason}")
        else:
            out.append("  near misses: none")
    return "\n".join(out)


def _print_rich(result: MatchResult) -> None:
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    colour = {200: "green", 308: "yellow"}.get(result.status, "red")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for key, value in _lines(result):
        grid.add_row(key, escape(printable(value)))
    title = (f"[bold {colour}]{result.status} {STATUS_TEXT.get(result.status, '')}[/]  "
             f"{escape(result.method)} {escape(printable(result.url))}")
    console = rich_console()
    console.print(Panel(grid, title=title, title_align="left", border_style=colour,
                        expand=False))
    if result.explanation:
        table = Table(title="Near misses", title_justify="left", show_lines=False)
        table.add_column("Rule")
        table.add_column("Endpoint")
        table.add_column("Why not")
        table.add_column("Source", style="dim", overflow="fold")
        for miss in result.explanation:
            table.add_row(*(escape(printable(text)) for text in (
                miss.rule.rule, str(miss.rule.endpoint), miss.reason,
                str(miss.rule.source or ""))))
        console.print(table)
    elif result.explanation is not None:
        console.print("[dim]No near misses.[/]")
    elif result.status in (404, 405):
        console.print("[dim]Run with --explain to see the routes that almost matched.[/]")
