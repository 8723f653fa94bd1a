"""``routecli lint``, ``routecli conflicts`` and ``routecli rule``: thin commands over
:mod:`routecli.analysis.selection` (what is reported) and :mod:`routecli.output.lint`
(how it is written)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

import click

from routecli.cli.command import RoutecliCommand
from routecli.cli.common import (
    EXIT_INPUT,
    EXIT_NO,
    EXIT_OK,
    budget_option,
    complete_files,
    get_env,
    global_flags,
    load_table,
    note_budget_ran_out,
    one_line,
    rich_console,
    routes_option,
    use_rich,
)
from routecli.cli.completion import complete_code_list, complete_rule
from routecli.cli.failures import set_exit_status
from routecli.cli.formats import format_option
from routecli.cli.outputs import refuse_overwriting_inputs, table_inputs, write_report
from routecli.errors import RouteError, quoted

SEVERITY_CHOICE = click.Choice(["error", "warning", "info"])
SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}

LINT_EPILOG = (
    "Exit status: 0 when no finding at or above --fail-on remains (after selection, noqa "
    "and the baseline), and after --write-baseline; 1 when one does; 2 for bad input "
    "(unreadable routes or config, unknown rule codes)."
)
CONFLICTS_EPILOG = (
    "Exit status: 0 when no listed pair is at or above --fail-on (default error, e.g. "
    "a duplicate); 1 when one is; 2 for bad input."
)
RULE_EPILOG = "Exit status: 0; 2 for an unknown rule code."


def files_argument(func):
    return click.argument("files", nargs=-1, metavar="[FILES]...",
                          shell_complete=complete_files)(func)


def _codes(value: str | None, option: str) -> str | None:
    """Validate a comma-separated code list now, so a typo is a usage error naming the option."""
    if value is None:
        return None
    from routecli.analysis.selection import parse_codes

    try:
        parse_codes(value)
    except RouteError as error:
        raise click.BadParameter(error.message, param_hint=option) from None
    return value


def _write(lines: Iterable[str], output: str | None, human: bool = True) -> None:
    """Lines to standard output or ``output``; human formats (not JSON) made terminal-safe,
    in a file too: it will be shown with cat."""
    if human:
        lines = map(one_line, lines)
    if output is None or output == "-":  # "-": standard output, as every other writer
        for line in lines:
            click.echo(line)
        return
    from routecli.output.files import write_file

    write_file(output, (line + "\n" for line in lines))


def _write_text(text: str, output: str | None) -> None:
    """A document that ends with a newline (markdown), made terminal-safe line by line."""
    _write(text.rstrip("\n").split("\n"), output)


def _dump(data: Any, output: str | None) -> None:
    from routecli.output.json_text import dumps

    # JSON keeps the data: json.dumps escapes controls itself (C1 and bidi stay as data)
    _write([dumps(data, indent=2)], output, human=False)


# ----------------------------------------------------------------------------- lint


@click.command(cls=RoutecliCommand, name="lint", epilog=LINT_EPILOG)
@files_argument
@routes_option
@format_option("text", "json", "markdown", "sarif", "github", "html",
               help="text: one line per finding (rich on a terminal); json: findings + "
                    "summary; markdown: a table for a pull-request comment; sarif: SARIF "
                    "2.1.0 for code scanning; github: Actions annotations; html: one "
                    "self-contained page (findings, route tree), best with -o report.html.")
@click.option("--select", metavar="CODES", shell_complete=complete_code_list,
              help="Only these rules: comma-separated codes or "
              "prefixes (RL1 = every RL1xx, ALL = every rule). Replaces the configured select.")
@click.option("--extend-select", metavar="CODES", shell_complete=complete_code_list,
              help="Add rules to the selection, e.g. "
              "the opt-in RL105 (routecli rule --all lists which are on by default).")
@click.option("--ignore", metavar="CODES", shell_complete=complete_code_list,
              help="Skip these rules (adds to the configured "
              "ignore; the most specific code or prefix wins).")
@click.option("--fail-on", type=SEVERITY_CHOICE, default=None,
              help="Exit 1 when a finding at or above this severity remains [default: error, "
                   "or fail-on from the config]; info also shows info findings.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings fail (2 is still "
              "returned for bad input).")
@click.option("--strict/--no-strict", default=None, help="Order-dependent ambiguities (RL102) "
              "are errors, not warnings.")
@click.option("--baseline", metavar="FILE", shell_complete=complete_files, help="Do not report findings recorded in FILE "
              "(written by --write-baseline).")
@click.option("--write-baseline", metavar="FILE", shell_complete=complete_files, help="Record every current finding in FILE "
              "and exit 0: adopt lint without fixing old findings first.")
@click.option("--ignore-noqa", is_flag=True, help="Report findings that a route's noqa "
              "would suppress.")
@click.option("--statistics", is_flag=True, help="Print counts per rule instead of findings.")
@click.option("--show-source", is_flag=True, help="Show the route-file line of each route "
              "(text format).")
@click.option("-o", "--output", "output", metavar="FILE", shell_complete=complete_files,
              help="Write the report to FILE "
              "instead of standard output.")
@click.option("--config", metavar="FILE", shell_complete=complete_files, help="Read settings from FILE (a pyproject.toml's "
              "[tool.routecli.lint], or another TOML file's [lint]) instead of the nearest "
              "pyproject.toml.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@budget_option
def lint_command(files, routes, fmt, select, extend_select, ignore, fail_on, exit_zero, strict,
                 baseline, write_baseline, ignore_noqa, statistics, show_source, output, config,
                 isolated, budget) -> None:
    """Run the default rule set on the route table and report findings, each proven by a witness request.

    FILES are route files to lint, an alternative to -r (as pre-commit passes
    them); with neither, routes are discovered as for every command. Several
    files merge into one table in the order given.

    By default lint reports what a maintainer would fix; opt-in rules (crossed
    overlaps, method shadows, slash twins and captures, endpoint arguments) are
    reported when selected, and info findings when their code is selected or
    with --fail-on info. A cause affecting many routes is one finding.

    Settings come from [tool.routecli.lint] in the nearest pyproject.toml
    (select, extend-select, ignore, per-file-ignores, severity, fail-on,
    strict, baseline); options given here override them. A route silences a
    finding with `noqa: [RL105]` (or `noqa: [all]`); for a conflict between
    two routes, either route's noqa is enough. `routecli rule CODE` explains
    a rule.

    \b
    Examples:
      routecli lint
      routecli -r sample_routes/lint_demo.yaml lint
      routecli lint routes.yaml --select RL1 --ignore RL105
      routecli lint --extend-select RL105,RL107
      routecli lint --format github --fail-on warning
      routecli lint --format sarif -o routecli.sarif
      routecli lint --format html -o lint.html
      routecli lint --write-baseline .routecli-baseline.json
      routecli lint --baseline .routecli-baseline.json
      routecli lint --statistics
    """
    from routecli.analysis import lint, selection
    from routecli.output import lint as emit

    if statistics and fmt == "html":
        raise click.UsageError("--statistics has no html form (the html page counts findings "
                               "per rule itself): drop one of them")
    _codes(select, "--select")
    _codes(extend_select, "--extend-select")
    _codes(ignore, "--ignore")
    for value, option in ((baseline, "--baseline"), (write_baseline, "--write-baseline")):
        if value == "":  # joined to the config's directory, it would name the directory
            raise click.BadParameter("expected a file path, got an empty one",
                                     param_hint=option)
    settings = selection.load_settings(config, isolated=isolated)
    settings = settings.override(select=select, extend_select=extend_select, ignore=ignore,
                                 fail_on=fail_on, strict=strict, baseline=baseline)
    table = load_table(tuple(routes) + tuple(files))
    inputs = [*table_inputs(table, (*get_env().routes, *routes, *files)),
              ("the lint config", settings.config)]
    refuse_overwriting_inputs(write_baseline, "the baseline", inputs)
    refuse_overwriting_inputs(output, "the report",
                              [*inputs, ("the baseline being read", settings.baseline_path())])
    accepted = selection.load_baseline(settings, missing_ok=write_baseline is not None)
    # noqa is applied once, by apply(), after selection: only selected findings count as
    # suppressed. Only the selected rules' checks run (and those they read).
    report = lint(table, strict=settings.strict, noqa=False, group=False, budget=budget,
                  only=settings.enabled())
    result = selection.apply(report, settings, baseline=accepted, ignore_noqa=ignore_noqa)

    if write_baseline is not None:
        count = selection.write_baseline(write_baseline, result.accepted)
        click.echo(f"routecli: wrote {count:,} finding{'' if count == 1 else 's'} to the "
                   f"baseline {write_baseline}", err=True)
        sys.exit(EXIT_OK)

    set_exit_status(EXIT_OK if exit_zero else result.exit_status)
    if statistics:
        rows = emit.statistics(result.findings)
        summary = emit.summary_line(result.findings, result.routes, noqa=result.noqa,
                                    baselined=result.baselined, stale=result.stale,
                                    hidden_info=result.hidden_info)
        if fmt == "json":
            _dump(rows, output)
        elif fmt == "markdown":
            _write_text(emit.statistics_markdown(rows, summary), output)
        else:
            _write(list(emit.statistics_lines(rows)) + [summary], output)
    elif fmt == "json":
        _dump(emit.json_document(result.findings, result.routes, result.stats), output)
    elif fmt == "markdown":
        _write_text(emit.lint_markdown(result.findings, _summary(result).removeprefix(
            "routecli: ")), output)
    elif fmt == "sarif":
        _dump(emit.sarif_document(result.findings), output)
    elif fmt == "html":
        from routecli.output.lint_html import lint_html

        write_report(lint_html(result.findings, table, noqa=result.noqa,
                               baselined=result.baselined, stale=result.stale), output)
    elif fmt == "github":
        _write(emit.github_lines(result.findings), output)
        click.echo(_summary(result), err=True)
    elif output is None and use_rich():
        _print_rich(result, show_source)
    else:
        source = emit.SourceLines() if show_source else None
        _write(emit.text_lines(result.findings, result.routes, noqa=result.noqa,
                               baselined=result.baselined, stale=result.stale,
                               hidden_info=result.hidden_info, show_source=source), output)
    _note_app_errors(result)
    note_budget_ran_out(result.stats, "the questions left are not decided (RL199 lists "
                                      "their routes)")
    sys.exit(EXIT_OK if exit_zero else result.exit_status)


def _note_app_errors(result) -> None:
    """Say so (on standard error, whatever the format) when findings went unproven because
    the app's own code failed on every example request."""
    count = result.stats.get("app_error_findings", 0)
    if count:
        click.echo(f"routecli: {count:,} possible finding{'' if count == 1 else 's'} not "
                   f"reported: the app's own code (a converter) failed on every example "
                   f"request (a 500 or an abort()), so no witness proves "
                   f"{'it' if count == 1 else 'them'}", err=True)


def _summary(result) -> str:
    from routecli.output.lint import summary_line

    return "routecli: " + summary_line(result.findings, result.routes, noqa=result.noqa,
                                       baselined=result.baselined, stale=result.stale,
                                       hidden_info=result.hidden_info)


def _print_rich(result, show_source: bool) -> None:
    """Findings grouped by file: line, coloured code and severity, the message with a
    hanging indent, then the witness (and the routes' source lines)."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from routecli.output.lint import (
        SourceLines,
        also_at,
        describe_witness,
        sort_findings,
        summary_line,
    )

    console = rich_console()
    lines = SourceLines() if show_source else None
    groups: dict[Any, list] = {}
    for finding in sort_findings(result.findings):
        first = next((rule for rule in finding.routes if rule.source is not None), None)
        groups.setdefault(first.source.file if first is not None else None, []).append(
            (first, finding))
    for file, items in groups.items():
        console.print(Text(one_line(file or "(routes without a source)"),
                           style="bold underline"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", style="dim", min_width=6)
        grid.add_column(ratio=1)
        for first, finding in items:
            line = str(first.source.line) if first is not None and first.source.line else ""
            body = Text()
            body.append(f"{finding.code} {finding.severity}",
                        style=SEVERITY_STYLES[finding.severity])
            body.append("  " + one_line(finding.message))
            grid.add_row(line, body)
            witness = describe_witness(finding)
            if witness:
                grid.add_row("", Text.assemble(("witness: ", "dim"), one_line(witness)))
            also = also_at(finding)
            if also:
                grid.add_row("", Text(one_line(also), style="dim"))
            if lines is not None:
                for rule in finding.routes:
                    text = lines(rule.source.file, rule.source.line) if rule.source else None
                    if text is not None:
                        grid.add_row("", Text.assemble((f"{rule.source} | ", "dim"),
                                                       text.rstrip()))
        console.print(grid)
        console.print()
    colour = "red" if result.failing() else ("yellow" if result.findings else "green")
    summary = summary_line(result.findings, result.routes, noqa=result.noqa,
                           baselined=result.baselined, stale=result.stale,
                           hidden_info=result.hidden_info)
    console.print(f"[bold {colour}]{escape(summary)}[/]")


# ----------------------------------------------------------------------------- conflicts


@click.command(cls=RoutecliCommand, name="conflicts", epilog=CONFLICTS_EPILOG)
@files_argument
@routes_option
@format_option("text", "json", "markdown",
               help="json: every pair, in the shape of lint's JSON; markdown: a table.")
@click.option("--select", metavar="CODES", shell_complete=complete_code_list,
              help="Only pairs of these rules (codes or prefixes; ALL = every pair, "
              "specialisations included).")
@click.option("--extend-select", metavar="CODES", shell_complete=complete_code_list,
              help="Also list these rules' pairs, e.g. RL104 (specialisations, off by "
              "default).")
@click.option("--ignore", metavar="CODES", shell_complete=complete_code_list,
              help="Leave out these rules' pairs.")
@click.option("-n", "--limit", type=click.IntRange(min=0), default=5, show_default=True,
              help="Text: pairs shown per route that overlaps many others (0 = only counts).")
@click.option("--fail-on", type=SEVERITY_CHOICE, default="error", show_default=True,
              help="Exit 1 when a pair at or above this severity is listed.")
@click.option("--ignore-noqa", is_flag=True, help="Also list pairs a route's noqa silences.")
@click.option("-o", "--output", "output", metavar="FILE", shell_complete=complete_files,
              help="Write to FILE.")
@budget_option
def conflicts_command(files, routes, fmt, select, extend_select, ignore, limit, fail_on,
                      ignore_noqa, output, budget) -> None:
    """List every pair of routes that can answer the same request.

    Each pair is classified (duplicate, order-dependent tie, specialisation,
    crossed overlap, ...) and proven by a witness request that both routes
    match, with the endpoint that actually answers it. Unlike lint, no
    configuration applies: this is the inventory of every rule that is not off
    (opt-in ones included). Specialisations (RL104: `/users/me` before
    `/users/<id>`, as intended) are off: --extend-select RL104 lists them.
    Pairs silenced by a route's noqa are left out (and counted). A route that
    overlaps many others is shown once with its pairs grouped under it.

    \b
    Examples:
      routecli conflicts
      routecli -r sample_routes/lint_demo.yaml conflicts --extend-select RL104
      routecli conflicts --limit 20
      routecli conflicts routes.yaml --format json
      routecli conflicts --fail-on warning
    """
    from routecli.analysis import conflicts, selection
    from routecli.output import lint as emit

    _codes(select, "--select")
    _codes(extend_select, "--extend-select")
    _codes(ignore, "--ignore")
    table = load_table(tuple(routes) + tuple(files))
    refuse_overwriting_inputs(output, "the report",
                              table_inputs(table, (*get_env().routes, *routes, *files)))
    chosen = {"select": select, "extend_select": extend_select, "ignore": ignore}
    # Text and markdown count the pairs left out, which takes witnessing them (a pair no
    # witness proves is not listed by --select ALL either); JSON counts none, so the
    # pairs of rules it will not list are not witnessed.
    only = selection.listed(**chosen) if fmt == "json" else None
    result = selection.listing(conflicts(table, budget=budget, only=only), fail_on=fail_on,
                               ignore_noqa=ignore_noqa, **chosen)
    set_exit_status(result.exit_status)
    if fmt == "json":
        _dump(emit.json_document(result.findings, result.routes, result.stats), output)
    elif fmt == "markdown":
        _write_text(emit.conflicts_markdown(result.findings, emit.conflicts_summary(
            len(result.findings), result.routes, noqa=result.noqa,
            unselected=result.unselected)), output)
    elif output is None and use_rich():
        _print_conflicts_rich(result, limit)
    else:
        _write(emit.conflicts_lines(result.findings, result.routes, limit=limit,
                                    noqa=result.noqa, unselected=result.unselected), output)
    _note_app_errors(result)
    note_budget_ran_out(result.stats, "the questions left are not decided (RL199 lists "
                                      "their routes)")
    sys.exit(result.exit_status)


def _print_conflicts_rich(result, limit: int) -> None:
    from rich.markup import escape
    from rich.padding import Padding
    from rich.text import Text

    from routecli.output.lint import (
        conflict_groups,
        conflicts_head,
        conflicts_summary,
        describe_witness,
        group_entry,
        route_label,
    )

    console = rich_console()

    def pair(finding, indent: int, others: list, message: str) -> None:
        # The same words as the plain text (conflicts_head), coloured by severity.
        code, severity, kind = conflicts_head(finding).split(" ", 2)
        head = Text()
        head.append(f"{code} {severity}", style=SEVERITY_STYLES[finding.severity])
        head.append(f" {kind}:", style="dim")
        head.append(" " + one_line(" / ".join(route_label(rule) for rule in others)))
        console.print(Padding(head, (0, 0, 0, indent)))
        body = Text(one_line(message))
        witness = describe_witness(finding)
        if witness:
            body.append("\n")
            body.append("witness: ", style="dim")
            body.append(one_line(witness))
        console.print(Padding(body, (0, 0, 0, indent + 4)))

    groups, rest = conflict_groups(result.findings)
    for rule, members in groups:
        shown = members[:limit]
        console.print(Text.assemble((one_line(route_label(rule)), "bold"), " overlaps ",
                                    (f"{len(members):,}", "bold"),
                                    f" routes; {len(shown):,} shown"))
        for finding in shown:
            pair(finding, 2, *group_entry(finding, rule))
        if len(members) > len(shown):
            console.print(f"  [dim]... {len(members) - len(shown):,} more (--limit N, or "
                          "--format json for all)[/]")
        console.print()
    for finding in rest:
        pair(finding, 0, finding.routes, finding.message)
    count = len(result.findings)
    colour = "red" if result.failing() else ("yellow" if count else "green")
    summary = conflicts_summary(count, result.routes, noqa=result.noqa,
                                unselected=result.unselected)
    console.print(f"[bold {colour}]{escape(summary)}[/]")


# ----------------------------------------------------------------------------- rule


@click.command(cls=RoutecliCommand, name="rule", epilog=RULE_EPILOG)
@click.argument("code", required=False, shell_complete=complete_rule)
@click.option("-a", "--all", "show_all", is_flag=True, help="List every rule: code, name, "
              "default severity and summary.")
@format_option("text", "json", "markdown",
               help="markdown: the rule's page, or with --all a table.")
@global_flags
def rule_command(code, show_all, fmt) -> None:
    """Explain a lint rule: what it does, why it matters, an example, how to fix it.

    \b
    Examples:
      routecli rule RL102
      routecli rule --all
      routecli rule --all --format markdown
      routecli rule RL103 --format json
    """
    from routecli.analysis.registry import RULES
    from routecli.output import lint as emit

    if show_all == bool(code):
        raise click.UsageError("give a rule CODE, or --all")
    if show_all:
        if fmt == "json":
            _dump([emit.rule_dict(RULES[c]) for c in sorted(RULES)], None)
        elif fmt == "markdown":
            _write_text(emit.rules_markdown(RULES), None)
        elif use_rich():
            _print_rules_rich(RULES)
        else:
            _write(emit.rules_table_lines(RULES), None)
        return
    info = _find_rule(code, RULES)
    if fmt == "json":
        _dump(emit.rule_dict(info), None)
    elif fmt == "markdown" or not use_rich():
        _write_text(emit.rule_markdown(info), None)
    else:
        from rich.markdown import Markdown

        rich_console().print(Markdown(emit.rule_markdown(info)))


def _find_rule(code: str, rules) -> Any:
    wanted = code.strip()
    if wanted.upper() in rules:
        return rules[wanted.upper()]
    for info in rules.values():  # a rule's name works too: `routecli rule duplicate`
        if info.name == wanted.lower():
            return info
    from routecli.analysis.selection import suggest_code

    if wanted[:2].upper() == "RL":
        close = suggest_code(wanted, list(rules))
    else:
        import difflib

        names = difflib.get_close_matches(wanted.lower(), [i.name for i in rules.values()], n=1)
        close = names[0] if names else None
    hint = (f" (did you mean {close!r}?)" if close
            else " (run 'routecli rule --all' for the list)")
    raise RouteError(f"unknown rule code {quoted(code)}{hint}")


def _print_rules_rich(rules) -> None:
    from rich.text import Text

    from routecli.cli.tables import fitted_table

    console = rich_console()
    rows = [[code, rules[code].name, rules[code].default_severity,
             getattr(rules[code], "default", "on"), rules[code].summary]
            for code in sorted(rules)]
    console.print(fitted_table(
        console, ["Code", "Name", "Severity", "Default", "Summary"], rows,
        {"Severity": lambda text: Text(text, style=SEVERITY_STYLES.get(text, "dim")),
         "Default": lambda text: Text(text, style=None if text == "on" else "dim")}))


__all__ = ["EXIT_INPUT", "EXIT_NO", "conflicts_command", "lint_command", "rule_command"]
