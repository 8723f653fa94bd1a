"""The ``routecli`` click group: global options, error handling, commands."""

from __future__ import annotations

import click

from routecli.cli.command import SuggestingParse, first_sentence, suggest_command
from routecli.cli.common import EXIT_CODES_HELP, Env, routes_only_option
from routecli.version import __version__

# Commands are imported only when used, to keep start-up lean.
COMMANDS = {
    "match": ("match_cmd", "match_command"),
    "list": ("list_cmd", "list_command"),
    "lint": ("lint_cmd", "lint_command"),
    "conflicts": ("lint_cmd", "conflicts_command"),
    "rule": ("lint_cmd", "rule_command"),
    "coverage": ("coverage_cmd", "coverage_command"),
    "url": ("url_cmd", "url_command"),
    "diff": ("diff_cmd", "diff_command"),
}


class RoutecliGroup(SuggestingParse, click.Group):
    """Loads commands lazily, suggests the command meant by an unknown name, and turns
    input errors into ``file:line: message`` + exit 2, never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name]
        from importlib import import_module

        return getattr(import_module(f"{__package__}.{module}"), attr)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if name and name not in COMMANDS and not name.startswith("-"):
            meant = suggest_command(name, list(COMMANDS))
            hint = f" Did you mean '{meant}'?" if meant else ""
            ctx.fail(f"No such command {name!r}.{hint}")
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # each command's whole first sentence, wrapped: click would cut it at the width
        rows = [(name, first_sentence(self.get_command(ctx, name).help))
                for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def _main_shell_completion(self, ctx_args, prog_name, complete_var=None) -> None:
        import os

        if complete_var is None:
            complete_var = f"_{prog_name.replace('-', '_').replace('.', '_')}_COMPLETE".upper()
        if os.environ.get(complete_var):  # the shell asks for a completion
            from routecli.cli.completion import register_shells

            register_shells()
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except KeyboardInterrupt:  # click would print "Aborted!" and exit 1, "the answer is no"
            from routecli.cli.failures import EXIT_INTERRUPTED, _say

            _say("routecli: interrupted (Ctrl-C)")
            raise SystemExit(EXIT_INTERRUPTED) from None

    def invoke(self, ctx: click.Context):
        from routecli.cli.failures import reported_failures

        with reported_failures(ctx, debug=lambda: _debug(ctx)):
            return super().invoke(ctx)


def _debug(ctx: click.Context) -> bool:
    env = ctx.find_object(Env)
    return bool(env and env.debug)


@click.group(cls=RoutecliGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=EXIT_CODES_HELP)
@routes_only_option
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour and rich tables (auto: only on a terminal; "
              "NO_COLOR is honoured).")
@click.option("--debug", is_flag=True, help="Show full tracebacks for errors.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the parsed-file cache.")
@click.version_option(__version__, "-V", "--version", prog_name="routecli")
@click.pass_context
def cli(ctx: click.Context, routes: tuple[str, ...], color: str, debug: bool,
        no_cache: bool) -> None:
    """Inspect web-app routes exactly as the framework routes requests.

    \b
    Examples:
      routecli match GET /blog/posts/42
      routecli match POST http://api.example.com/users --explain
      routecli list --method POST --format json
      routecli url get_blog_post post_id=42
      routecli -r routes.yaml -r more.toml list --sort priority
      routecli -r myapp:app lint --format github
      routecli diff git:origin/main:routes.yaml routes.yaml

    Routes come from -r SOURCE (files or Python import specs, repeatable), else
    ROUTECLI_ROUTES, else [tool.routecli] routes in pyproject.toml, else FLASK_APP,
    else ./routes.yaml (.yml, .toml, .json). A Python source is imported, which
    runs its code: only name modules you trust. Routing is Flask/Werkzeug's, or
    Starlette/FastAPI's and Django's for their apps and for route files with
    settings: {dialect: ...}.
    """
    ctx.obj = Env(routes, debug, color)
    # Set every time, so that one invocation's --no-cache does not outlive it.
    from routecli.sources import cache

    cache.set_enabled(not no_cache)
