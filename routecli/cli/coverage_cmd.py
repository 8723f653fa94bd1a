"""``routecli coverage``: match access logs against the table — hits, dead routes, 404 shapes.

Reading and counting is :mod:`routecli.coverage`, the text and markdown formats
:mod:`routecli.output.coverage`; the progress bar and the terminal tables are drawn here."""

from __future__ import annotations

import os
import sys

import click

from routecli.cli.command import RoutecliCommand
from routecli.cli.common import (
    EXIT_NO,
    EXIT_OK,
    complete_files,
    get_env,
    load_table,
    rich_console,
    routes_option,
    use_rich,
)
from routecli.cli.failures import set_exit_status
from routecli.cli.formats import format_option
from routecli.cli.outputs import refuse_overwriting_inputs, table_inputs, write_report
from routecli.errors import RouteError, quoted
from routecli.output.coverage import (
    coverage_markdown,
    coverage_sections,
    coverage_text,
    summary_lines,
)

LOG_FORMATS = ("auto", "combined", "common", "json", "plain", "counts")
JSON_KEYS = ("method", "url", "host", "status")
PROGRESS_BYTES = 8 * 1024 * 1024  # the progress bar appears once this much has been read


def _json_fields(values: tuple[str, ...]) -> dict[str, tuple[str, ...]] | None:
    fields: dict[str, list[str]] = {}
    for value in values:
        key, eq, name = value.partition("=")
        key, name = key.strip(), name.strip()
        if not eq or not name or key not in JSON_KEYS:
            raise click.BadParameter(
                f"expected KEY=NAME with KEY one of {', '.join(JSON_KEYS)}, got {quoted(value)}",
                param_hint="--json-field",
            )
        fields.setdefault(key, []).append(name)
    return {key: tuple(names) for key, names in fields.items()} or None


@click.command(
    cls=RoutecliCommand, name="coverage",
    epilog="Exit status: 0; 1 with --fail-on-unused when some route is unused; "
    "2 for bad input (unreadable log or route file, bad option).",
)
@click.argument("logs", nargs=-1, metavar="[LOG]...", shell_complete=complete_files)
@routes_option
@format_option("text", "json", "markdown", "html",
               help="Output format (html: one self-contained page, best with -o report.html).")
@click.option("-o", "--output", "output", metavar="FILE", shell_complete=complete_files,
              help="Write the report to FILE instead of standard output.")
@click.option("--log-format", type=click.Choice(LOG_FORMATS), default="auto", show_default=True,
              help="Format of the logs (auto: detected per file; combined and common are "
                   "synonyms; counts: pre-aggregated requests, as 'METHOD URL COUNT' lines, "
                   "CSV with a header or JSON lines with a count field).")
@click.option("--json-field", "json_field", multiple=True, metavar="KEY=NAME",
              help="Field of JSON-lines logs holding KEY (method, url, host or status); "
                   "repeatable, names are tried in order; a dotted NAME reaches into nested "
                   "objects, e.g. url=request.uri.")
@click.option("--host", metavar="HOST",
              help="Request host for log lines that carry none (default: server_name, else "
                   "localhost).")
@click.option("--fail-on-unused", is_flag=True,
              help="Exit 1 when some route is unused (for CI against sampled traffic).")
@click.option("--min-hits", type=click.IntRange(min=1), default=1, show_default=True,
              metavar="N", help="A route answering fewer than N requests (hits + redirects) "
                                "counts as unused.")
@click.option("--top", type=click.IntRange(min=0), default=20, show_default=True, metavar="N",
              help="Rows shown per list (busiest routes, 404 shapes, 405s, endpoints); 0 for "
                   "all. JSON lists are complete unless --top is given.")
@click.option("--no-progress", is_flag=True, help="Never show the progress bar.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              metavar="N", help="Processes reading and answering big logs (0: every "
                                "core); the report is the same whatever N.")
def coverage_command(logs, routes, fmt, output, log_format, json_field, host, fail_on_unused, min_hits,
                     top, no_progress, jobs) -> None:
    """Match the requests of access logs against the routes: hits per route, routes
    never hit, 404s grouped by shape, 405s by route.

    LOG is an access log: nginx/Apache common or combined format, JSON lines, or plain
    'METHOD URL' / 'URL' lines; gzip-compressed files are read as such; '-' or no LOG
    reads standard input. Malformed lines are counted and shown, never fatal.

    \b
    Examples:
      routecli coverage /var/log/nginx/access.log*
      zcat access.log.*.gz | routecli coverage --format json > coverage.json
      routecli coverage app.jsonl --json-field url=request.uri --json-field method=verb
      routecli coverage sample_routes/access.log --fail-on-unused --min-hits 5
      routecli coverage access.log --format html -o coverage.html
    """
    from routecli.coverage.report import CoverageReport

    fields = _json_fields(json_field)
    paths = list(logs) or ["-"]
    if "-" in paths and _is_terminal(sys.stdin):
        raise click.UsageError("no LOG given and standard input is a terminal: name log files, "
                               "or pipe a log in ('-' reads standard input)")
    table = load_table(routes)
    _check_host(table, host)
    refuse_overwriting_inputs(output, "the report", [
        *table_inputs(table, (*get_env().routes, *routes)),
        # standard input redirected from a file (coverage -o access.log < access.log)
        *(("a log being read", "/dev/stdin" if path == "-" else path) for path in paths)])
    report = CoverageReport(table, host=host, jobs=jobs)
    progress = _Progress(paths, enabled=not no_progress and _is_terminal(sys.stderr))
    try:
        report.read(paths, log_format, fields, progress)
    finally:
        progress.stop()
    explicit = (click.get_current_context().get_parameter_source("top")
                is not click.core.ParameterSource.DEFAULT)
    data = report.to_dict(top=top if fmt != "json" or explicit else None, min_hits=min_hits)
    status = EXIT_NO if fail_on_unused and data["unused"] else EXIT_OK
    set_exit_status(status)
    if fmt == "json":
        from routecli.output.json_text import dumps

        write_report(dumps(data, indent=2) + "\n", output)
    elif fmt == "markdown":
        write_report(coverage_markdown(data, len(table), top), output)
    elif fmt == "html":
        from routecli.output.coverage_html import coverage_html

        write_report(coverage_html(data, len(table)), output)
    elif output is None and use_rich():
        _print_rich(data, len(table), top)
    else:
        write_report(coverage_text(data, len(table), top), output)
    sys.exit(status)


def _is_terminal(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        return False


class _Progress:
    """A rich progress bar on standard error, started only once a large input is being read."""

    def __init__(self, paths: list[str], enabled: bool) -> None:
        self.enabled = enabled and os.environ.get("TERM") != "dumb"
        self.total: int | None = None
        if self.enabled and "-" not in paths:
            try:
                self.total = sum(os.path.getsize(path) for path in paths)
            except OSError:
                self.total = None
            if self.total is not None and self.total < PROGRESS_BYTES:
                self.enabled = False  # small input: never worth a bar
        self.progress = None
        self.task = None

    def __call__(self, bytes_read: int, lines: int) -> None:
        if not self.enabled:
            return
        if self.progress is None:
            if bytes_read < PROGRESS_BYTES:
                return
            self._start(bytes_read, lines)
        self.progress.update(self.task, completed=bytes_read, lines=lines)

    def _start(self, bytes_read: int, lines: int) -> None:
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            ProgressColumn,
            SpinnerColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class LinesColumn(ProgressColumn):
            def render(self, task) -> Text:
                lines = task.fields.get("lines", 0)
                elapsed = task.elapsed or 0
                rate = f" {lines / elapsed:,.0f}/s" if elapsed > 0.2 else ""
                return Text(f"{lines:,} lines{rate}", style="cyan")

        columns = [SpinnerColumn(), TextColumn("reading logs")]
        if self.total:
            columns += [BarColumn(bar_width=24), DownloadColumn(), TimeRemainingColumn()]
        else:
            columns += [DownloadColumn()]
        columns.append(LinesColumn())
        self.progress = Progress(*columns, console=rich_console(stderr=True), transient=True,
                                 refresh_per_second=5)
        self.task = self.progress.add_task("read", total=self.total, completed=bytes_read,
                                           lines=lines)
        self.progress.start()

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def _print_rich(data: dict, total_routes: int, top: int) -> None:
    from rich.markup import escape

    from routecli.cli.tables import fitted_table

    console = rich_console()
    summary = summary_lines(data, total_routes)
    console.print(f"[bold]{escape(summary[0])}[/]")
    for line in summary[1:]:
        console.print(escape(line))
    for title, headers, rows, note in coverage_sections(data, top):
        console.print()
        console.print(f"[bold]{escape(title)}[/]")
        if not rows:
            console.print("  [dim](none)[/]")
            continue
        console.print(fitted_table(console, headers, [
            [c if isinstance(c, str) else "\n".join(c) for c in row] for row in rows]))
        if isinstance(note, list):
            console.print("[dim]examples:[/]")
            for line in note:
                console.print(f"  [dim]{escape(line)}[/]", soft_wrap=True)
        elif note:
            console.print(f"[dim]{escape(note)}[/]")


def _check_host(table, host: str | None) -> None:
    """A usage error for a --host the table refuses (as ``match --host`` is one): else
    every log line would be lost as malformed, and the report say nothing of why."""
    if not host:
        return
    try:
        table.match("GET", "/", host)
    except RouteError as error:
        if error.message.startswith("invalid host"):
            raise click.BadParameter(error.message, param_hint="--host") from None
