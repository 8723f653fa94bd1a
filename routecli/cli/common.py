"""Options and helpers shared by every command: ``-r/--routes`` and the global flags,
exit codes, loading the table, and the choice between rich and plain output."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import click

from routecli.cli.command import SharedOption
from routecli.errors import RouteError
from routecli.output.text import one_line, printable

# printable and one_line live in routecli.output.text; re-exported for the commands'
# rich renderers.
__all__ = ["EXIT_CODES_HELP", "EXIT_INPUT", "EXIT_NO", "EXIT_OK", "Env", "checked_method",
           "budget_option", "fail", "get_env", "global_flags", "load_table",
           "note_budget_ran_out", "one_line", "printable", "rich_console",
           "routes_only_option", "routes_option", "use_rich"]

EXIT_OK, EXIT_NO, EXIT_INPUT = 0, 1, 2

EXIT_CODES_HELP = (
    "Exit status: 0 success; 1 the answer is no (no match, failing findings); "
    "2 usage or input error (message on standard error as file:line: message)."
)


ROUTES_HELP = (
    "Route file (.yaml/.yml/.toml/.json) or Python source like flask --app "
    "(pkg.mod, pkg.mod:app, \"pkg.mod:create_app('dev')\", app.py). Repeatable; "
    "sources merge in order. Default: ROUTECLI_ROUTES, then [tool.routecli] routes in "
    "pyproject.toml, then FLASK_APP, then ./routes.yaml (.yml, .toml, .json). "
    "A Python source is imported, which runs its code: name only modules you trust."
)


def complete_files(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    """Let the shell complete file names (route files, logs, outputs); here, not in
    cli/completion.py: ``-r`` names it at start-up, and completion runs only on a Tab."""
    from click.shell_completion import CompletionItem

    return [CompletionItem(incomplete, type="file")]


def routes_only_option(func: Callable) -> Callable:
    """``-r/--routes SOURCE`` (repeatable), for the group itself."""
    return click.option("-r", "--routes", "routes", multiple=True, metavar="SOURCE",
                        help=ROUTES_HELP, cls=SharedOption, shell_complete=complete_files)(func)


def routes_option(func: Callable) -> Callable:
    """``-r/--routes SOURCE`` (repeatable), ``--no-cache`` and the global flags, accepted
    by every command that reads routes: ``routecli match / --debug`` works like
    ``routecli --debug match /``."""
    func = routes_only_option(func)
    func = global_flags(func)
    func = click.option("--no-cache", is_flag=True, expose_value=False, callback=_set_no_cache,
                        help="Do not read or write the parsed-file cache.",
                        cls=SharedOption)(func)
    return func


def global_flags(func: Callable) -> Callable:
    """``--debug`` and ``--color``, for commands that read no routes (``rule``)."""
    func = click.option("--debug", is_flag=True, expose_value=False, callback=_set_debug,
                        help="Show full tracebacks for errors.", cls=SharedOption)(func)
    func = click.option("--color", type=click.Choice(["auto", "always", "never"]),
                        expose_value=False, callback=_set_color, cls=SharedOption,
                        help="Colour and rich tables (default auto: only on a terminal; "
                             "NO_COLOR is honoured).")(func)
    return func


def _set_debug(ctx: click.Context, _param, value: bool) -> None:
    if value:
        ctx.ensure_object(Env).debug = True


def _set_color(ctx: click.Context, _param, value: str | None) -> None:
    if value:
        ctx.ensure_object(Env).color = value


def _set_no_cache(ctx: click.Context, _param, value: bool) -> None:
    if value:
        from routecli.sources import cache

        cache.set_enabled(False)


class Env:
    """What the group parsed, handed to commands through click's context."""

    def __init__(self, routes: tuple[str, ...] = (), debug: bool = False, color: str = "auto"):
        self.routes = routes
        self.debug = debug
        self.color = color


def get_env() -> Env:
    """What the group and the command's global flags parsed (defaults outside a command)."""
    ctx = click.get_current_context()
    env = ctx.find_object(Env)
    return env if env is not None else Env()


def load_table(command_routes: tuple[str, ...] = ()):
    """Load the route table from -r sources (group's, then command's) or discovery."""
    from routecli import load

    return load(*get_env().routes, *command_routes)


def checked_method(method: str, param_hint: str) -> str:
    """An HTTP method option's value, upper-cased; a usage error when it is no token."""
    from routecli.routing.urls import check_method

    try:
        return check_method(method)
    except RouteError as error:
        raise click.BadParameter(error.message, param_hint=param_hint) from None


def fail(error: RouteError | str) -> None:
    """Print an input error as ``file:line: message`` and exit 2."""
    from routecli.cli.failures import error_line

    line = error_line(error) if isinstance(error, RouteError) else error
    click.echo(one_line(line), err=True)
    raise SystemExit(EXIT_INPUT)


def use_rich() -> bool:
    """Rich output only on a terminal (and never with --color never)."""
    env = get_env()
    if env.color == "never":
        return False
    if env.color == "always":
        return True
    try:
        return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


def rich_console(stderr: bool = False) -> Any:
    """A rich Console honouring NO_COLOR and --color."""
    from rich.console import Console

    env = get_env()
    kwargs: dict[str, Any] = {"stderr": stderr, "highlight": False}
    if env.color == "always":
        kwargs["force_terminal"] = True
    if env.color == "never" or os.environ.get("NO_COLOR"):
        kwargs["no_color"] = True
    return Console(**kwargs)


def budget_option(func: Callable) -> Callable:
    """``--budget STEPS``: the exact engine's work budget (lint, conflicts, diff)."""
    return click.option(
        "--budget", type=click.IntRange(min=0), default=None, metavar="STEPS",
        help="Steps the exact engine may take (default: grows with the table, see "
             "docs/lint.md; 0: no limit). Questions left when it runs out are RL199.")(func)


def note_budget_ran_out(stats: dict, consequence: str) -> None:
    """Say so on standard error, whatever the format, when the analysis ran out of its
    work budget (``stats``: a report's), and what that means for this command."""
    if stats.get("budget_ran_out"):
        click.echo(f"routecli: the analysis ran out of its work budget "
                   f"({stats['budget_steps']:,} steps): {consequence}; --budget STEPS "
                   "allows more, --budget 0 no limit", err=True)
