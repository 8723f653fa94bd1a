"""What every routecli command shares in how it talks to a person: help that shows the
command's own options first and the shared source options once, in their own section, and
"did you mean" for commands and options people bring from other tools (``routes`` ->
``list``, ``--app`` -> ``-r``)."""

from __future__ import annotations

import click

#: command names people try first (other tools' words) -> routecli's command
COMMAND_ALIASES = {
    "routes": "list",
    "ls": "list",
    "show": "list",
    "show-urls": "list",
    "show_urls": "list",
    "urls": "list",
    "check": "lint",
    "validate": "lint",
    "resolve": "match",
    "find": "match",
    "test": "match",
    "route": "match",
    "build": "url",
    "url-for": "url",
    "url_for": "url",
    "reverse": "url",
    "overlaps": "conflicts",
    "duplicates": "conflicts",
    "rules": "rule",
    "explain": "rule",
    "logs": "coverage",
    "cov": "coverage",
    "compare": "diff",
    "changes": "diff",
}

#: options of other tools (flask --app, django --settings habits) -> what routecli takes
OPTION_ALIASES = {
    "--app": "-r/--routes (e.g. -r myapp:app)",
    "-a": "-r/--routes",
    "--file": "-r/--routes",
    "--source": "-r/--routes",
    "--routes-file": "-r/--routes",
    "--json": "--format json",
    "--output-format": "--format",
    "--fmt": "--format",
    "--verbose": "--explain (match) or --debug",
    # django-admin's spelling: routecli reads a settings module through -r (docs/django.md)
    "--settings": "-r mysite.settings (a settings module: its ROOT_URLCONF), or "
                  "DJANGO_SETTINGS_MODULE",
}


class SharedOption(click.Option):
    """An option every command accepts (the route source and the global flags): its
    help is listed once, after the command's own options."""


class SuggestingParse:
    """Mixed into commands and the group: an unknown option another tool would take gets
    the routecli spelling as its hint."""

    def make_parser(self, ctx: click.Context):
        parser = super().make_parser(ctx)  # type: ignore[misc]
        match_long = getattr(parser, "_match_long_opt", None)
        long_opts = getattr(parser, "_long_opt", None)
        prefixes = getattr(parser, "_opt_prefixes", None)
        if match_long is None or long_opts is None or prefixes is None:
            return parser  # another click: its own parser as it is

        def match_long_first(opt: str, explicit_value, state) -> None:
            # click tries every short option ("-r") as a long one first and drops the
            # NoSuchOption it makes, whose suggestions import difflib: at every start-up.
            if opt not in long_opts and opt[:2] not in prefixes:
                raise click.NoSuchOption(opt, ctx=ctx)
            match_long(opt, explicit_value, state)

        parser._match_long_opt = match_long_first
        return parser

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except click.NoSuchOption as error:
            name = error.option_name.split("=", 1)[0]
            hint = OPTION_ALIASES.get(name)
            if hint is None:
                raise escaped(error) from None
            raise click.NoSuchOption(
                error.option_name, f"No such option {error.option_name!r}. Did you mean {hint}?",
                ctx=ctx) from None
        except click.ClickException as error:
            raise escaped(error) from None
        except OSError as error:  # --help or --version could not print: before any command
            from routecli.cli.failures import failed_before_a_command

            ctx.exit(failed_before_a_command(error))
            raise  # not reached: ctx.exit raises


def escaped(error: click.ClickException) -> click.ClickException:
    """``error`` with controls, C1 and bidi characters (newlines too) in its message
    escaped: click quotes what was typed as it is ("Got unexpected extra argument (...)")."""
    from routecli.output.text import one_line

    if isinstance(error.message, str):
        error.message = one_line(error.message)
    return error


class RoutecliCommand(SuggestingParse, click.Command):
    """A subcommand: own options first, shared ones in their own section."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        own, shared = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            # an argument without help of its own is described in the command's text
            if record is not None and not (isinstance(param, click.Argument) and not record[1]):
                (shared if isinstance(param, SharedOption) else own).append(record)
        if own:
            with formatter.section("Options"):
                formatter.write_dl(own)
        if shared:
            with formatter.section("Global options (also accepted before the command)"):
                formatter.write_dl(shared)


def suggest_command(name: str, known: list[str]) -> str | None:
    """The command someone typing ``name`` most likely meant, or None."""
    lowered = name.lower()
    if lowered in known:
        return lowered
    if lowered in COMMAND_ALIASES:
        return COMMAND_ALIASES[lowered]
    import difflib  # only for a mistyped command: not at start-up

    close = difflib.get_close_matches(lowered, known, n=1, cutoff=0.6)
    return close[0] if close else None


def first_sentence(text: str | None) -> str:
    """A help text's first sentence (its summary), whole: command lists never cut it."""
    if not text:
        return ""
    paragraph = text.strip().split("\n\n", 1)[0]
    paragraph = " ".join(line.strip() for line in paragraph.splitlines() if line.strip() != "\b")
    end = paragraph.find(". ")
    return paragraph if end < 0 else paragraph[: end + 1]
