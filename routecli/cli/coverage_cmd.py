"""``routecli coverage``: match access logs against the table — hits, dead routes, 404 shapes."""

from __future__ import annotations

import os
import sys

import click

from routecli.cli.common import (
    EXIT_NO,
    EXIT_OK,
    load_table,
    printable,
    rich_console,
    routes_option,
    use_rich,
)

LOG_FORMATS = ("auto", "combined", "common", "json", "plain")
JSON_KEYS = ("method", "url", "host", "status")
PROGRESS_BYTES = 8 * 1024 * 1024  # the progress bar appears once this much has been read


def _json_fields(values: tuple[str, ...]) -> dict[str, tuple[str, ...]] | None:
    fields: dict[str, list[str]] = {}
    for value in values:
        key, eq, name = value.partition("=")
        key, name = key.strip(), name.strip()
        if not eq or not name or key not in JSON_KEYS:
            raise click.BadParameter(
                f"expected KEY=NAME with KEY one of {', '.join(JSON_KEYS)}, got {value!r}",
                param_hint="--json-field",
            )
        fields.setdefault(key, []).append(name)
    return {key: tuple(names) for key, names in fields.items()} or None


@click.command(
    "coverage",
    epilog="Exit status: 0; 1 with --fail-on-unused when some route is unused; "
    "2 for bad input (unreadable log or route file, bad option).",
)
@click.argument("logs", nargs=-1, metavar="[LOG]...")
@routes_option
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json", "markdown"]),
              default="table", show_default=True, help="Output format.")
@click.option("--log-format", type=click.Choice(LOG_FORMATS), default="auto", show_default=True,
              help="Format of the logs (auto: detected per file; combined and common are "
                   "synonyms).")
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
def coverage_command(logs, routes, fmt, log_format, json_field, host, fail_on_unused, min_hits,
                     top, no_progress) -> None:
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
      routecli coverage sample.log --fail-on-unused --min-hits 5
    """
    from routecli.coverage.report import CoverageReport

    fields = _json_fields(json_field)
    paths = list(logs) or ["-"]
    if "-" in paths and _is_terminal(sys.stdin):
        raise click.UsageError("no LOG given and standard input is a terminal: name log files, "
                               "or pipe a log in ('-' reads standard input)")
    table = load_table(routes)
    report = CoverageReport(table, host=host)
    progress = _Progress(paths, enabled=not no_progress and _is_terminal(sys.stderr))
    try:
        report.read(paths, log_format, fields, progress)
    finally:
        progress.stop()
    explicit = (click.get_current_context().get_parameter_source("top")
                is not click.core.ParameterSource.DEFAULT)
    data = report.to_dict(top=top if fmt != "json" or explicit else None, min_hits=min_hits)
    if fmt == "json":
        import json

        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        _write_markdown(data, len(table), top)
    elif use_rich():
        _print_rich(data, len(table), top)
    else:
        _write_plain(data, len(table), top)
    if fail_on_unused and data["unused"]:
        sys.exit(EXIT_NO)
    sys.exit(EXIT_OK)


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


# -- rendering -------------------------------------------------------------------------------


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _methods(methods: list[str]) -> str:
    return "ANY" if methods == ["*"] else ", ".join(methods)


def _summary(data: dict, total_routes: int) -> list[str]:
    requests = data["requests"]
    lines = [
        f"{data['lines']:,} lines: {requests:,} requests, {data['malformed']:,} malformed"
        + (f", {data['skipped']:,} blank or comment lines skipped" if data["skipped"] else ""),
        "status: " + "  ".join(
            f"{code} {count:,} ({_percent(count, requests)})"
            for code, count in data["status"].items()
        ),
    ]
    unused = len(data["unused"])
    what = "unused" if data["min_hits"] == 1 else f"with fewer than {data['min_hits']} hits"
    lines.append(f"routes: {data['used_routes']:,} of {total_routes:,} used, {unused:,} {what}")
    return lines


def _sections(data: dict, top: int) -> list[tuple[str, list[str], list[list[str]], str]]:
    """``(title, headers, rows, note)`` for every section of the table and markdown outputs."""
    requests = data["requests"]
    limit = top or None
    sections = []

    busy = sorted((r for r in data["routes"] if r["hits"] or r["redirects"]),
                  key=lambda r: (-r["hits"], -r["redirects"]))
    shown = busy[:limit] if limit else busy
    sections.append((
        "Routes by hits",
        ["Hits", "Redirects", "Share", "Endpoint", "Methods", "Rule", "Source"],
        [[f"{r['hits']:,}", f"{r['redirects']:,}", _percent(r["hits"], requests), r["endpoint"],
          _methods(r["methods"]), r["rule"], r["source"] or ""] for r in shown],
        f"{len(shown)} of {len(busy)} routes with traffic" if len(shown) < len(busy) else "",
    ))

    title = ("Unused routes" if data["min_hits"] == 1
             else f"Routes with fewer than {data['min_hits']} hits")
    by_rule = {(r["rule"], r["endpoint"], r["source"]): r for r in data["routes"]}
    unused_rows = []
    for entry in data["unused"]:
        route = by_rule.get((entry["rule"], entry["endpoint"], entry["source"]), {})
        row = [entry["endpoint"], _methods(route.get("methods", [])), entry["rule"],
               entry["source"] or ""]
        if data["min_hits"] > 1:
            row.insert(0, f"{route.get('hits', 0) + route.get('redirects', 0):,}")
        unused_rows.append(row)
    headers = ["Endpoint", "Methods", "Rule", "Source"]
    if data["min_hits"] > 1:
        headers.insert(0, "Hits")
    sections.append((f"{title} ({len(unused_rows):,})", headers, unused_rows, ""))

    unmatched = data["unmatched"]
    note = ""
    if data["unmatched_other"]:
        note = f"{data['unmatched_other']:,} more 404s in other shapes"
    sections.append((
        f"Unmatched requests (404) by shape ({data['status'].get('404', 0):,})",
        ["Count", "Share", "Shape", "Examples"],
        [[f"{u['count']:,}", _percent(u["count"], requests), u["shape"],
          list(u["examples"])] for u in unmatched],  # a list: each renderer joins it
        note,
    ))

    sections.append((
        f"Method not allowed (405) by route ({data['status'].get('405', 0):,})",
        ["Count", "Methods tried", "Allowed", "Endpoint", "Rule", "Source"],
        [[f"{m['count']:,}", ", ".join(f"{k} {v:,}" for k, v in m["methods_tried"].items()),
          ", ".join(m["allowed"]), m["endpoint"] or "", m["rule"] or "", m["source"] or ""]
         for m in data["method_not_allowed"]],
        "",
    ))

    sections.append((
        "Share of traffic by endpoint",
        ["Hits", "Redirects", "Share", "Endpoint"],
        [[f"{e['hits']:,}", f"{e['redirects']:,}", _percent(e["hits"], requests), e["endpoint"]]
         for e in data["endpoints"]],
        "",
    ))

    if data["malformed"]:
        rows = [[f"{count:,}", reason] for reason, count in data["malformed_reasons"].items()]
        examples = [_malformed_example(m) for m in data["malformed_examples"]]
        sections.append((f"Malformed lines ({data['malformed']:,})", ["Count", "Reason"], rows,
                         examples))
    # Route data and logged URLs go to a terminal: no raw control characters.
    def clean(note):
        return [printable(line) for line in note] if isinstance(note, list) else printable(note)

    return [(title, headers, [[printable(str(cell)) for cell in row] for row in rows],
             clean(note)) for title, headers, rows, note in sections]


def _malformed_example(example: dict) -> str:
    where = example["file"] or "request"
    if example["line"]:
        where += f":{example['line']}"
    return f"{where}: {example['reason']}: {example['text']}"


def _write_plain(data: dict, total_routes: int, top: int) -> None:
    for line in _summary(data, total_routes):
        click.echo(line)
    for title, headers, rows, note in _sections(data, top):
        click.echo("")
        click.echo(title)
        rows = [[c if isinstance(c, str) else "  ".join(c) for c in row] for row in rows]
        if rows:
            widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
            click.echo("  " + "  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
            for row in rows:
                click.echo("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        else:
            click.echo("  (none)")
        if isinstance(note, list):
            click.echo("  examples:")
            for line in note:
                click.echo(f"    {line}")
        elif note:
            click.echo(f"  {note}")


def _write_markdown(data: dict, total_routes: int, top: int) -> None:
    def cell(text, code: bool = False) -> str:
        if not isinstance(text, str):  # a list of examples
            return " ".join(cell(item, True) for item in text)
        text = text.replace("|", r"\|").replace("\n", " ")
        if code and text:
            text = text.replace("`", "")
            return f"`{text}`"
        return text

    click.echo("# Route coverage")
    click.echo("")
    for line in _summary(data, total_routes):
        click.echo(f"- {line}")
    for title, headers, rows, note in _sections(data, top):
        click.echo("")
        click.echo(f"## {title}")
        click.echo("")
        if rows:
            code_columns = {i for i, h in enumerate(headers) if h in ("Rule", "Shape")}
            click.echo("| " + " | ".join(headers) + " |")
            click.echo("|" + "|".join("---:" if h in ("Count", "Hits", "Redirects", "Share")
                                      else "---" for h in headers) + "|")
            for row in rows:
                click.echo("| " + " | ".join(cell(c, i in code_columns)
                                             for i, c in enumerate(row)) + " |")
        else:
            click.echo("None.")
        if isinstance(note, list):
            click.echo("")
            click.echo("Examples:")
            click.echo("")
            for line in note:
                click.echo(f"- `{line.replace('`', '')}`")
        elif note:
            click.echo("")
            click.echo(cell(note))


def _print_rich(data: dict, total_routes: int, top: int) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = rich_console()
    summary = _summary(data, total_routes)
    console.print(f"[bold]{escape(summary[0])}[/]")
    for line in summary[1:]:
        console.print(escape(line))
    numeric = {"Count", "Hits", "Redirects", "Share"}
    for title, headers, rows, note in _sections(data, top):
        console.print()
        console.print(f"[bold]{escape(title)}[/]")
        if not rows:
            console.print("  [dim](none)[/]")
            continue
        table = Table(show_edge=False, header_style="bold", pad_edge=False)
        for header in headers:
            table.add_column(header, justify="right" if header in numeric else "left",
                             style="dim" if header in ("Source", "Examples") else None,
                             overflow="fold")
        for row in rows:
            table.add_row(*(escape(c if isinstance(c, str) else "\n".join(c)) for c in row))
        console.print(table)
        if isinstance(note, list):
            console.print("[dim]examples:[/]")
            for line in note:
                console.print(f"  [dim]{escape(line)}[/]", soft_wrap=True)
        elif note:
            console.print(f"[dim]{escape(note)}[/]")
