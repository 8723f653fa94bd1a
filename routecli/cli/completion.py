"""Shell completion beyond what click derives itself (commands, options, ``--format``
choices): rule codes, the endpoints of the configured route table, url's ``NAME=``
values, and files for ``-r``.

Setup is click's own (docs/completion.md): ``eval "$(_ROUTECLI_COMPLETE=bash_source
routecli)"``. A completion runs on every Tab, inside the user's shell: it must be quick
and must never print. So the route table is read only from route files (a Python source
would be imported, running the app's code on every Tab), nothing is compiled for
endpoints, and any failure — no source, a broken file, anything else — means no
candidates, silently.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import click
from click.shell_completion import CompletionItem

from routecli.output.text import one_line

# ----------------------------------------------------------------------------- rule codes


def _rules() -> dict[str, Any]:
    from routecli.analysis.registry import RULES

    return RULES


def complete_code_list(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    """``--select``/``--extend-select``/``--ignore``: the last item of a comma-separated
    list (``RL101,RL1`` -> ``RL101,RL102``, ...); codes already in the list are not offered
    again. Candidates are every code, each family prefix (``RL1``) and ``ALL``."""
    head, comma, last = incomplete.rpartition(",")
    before = head + comma
    taken = {item.strip().upper() for item in head.split(",")} if comma else set()
    rules = _rules()
    items = [(code, f"{info.name}: {info.summary}") for code, info in sorted(rules.items())]
    families = sorted({code[:3] for code in rules})
    items += [(family, f"every {family}xx rule") for family in families]
    items.append(("ALL", "every rule"))
    wanted = last.strip().upper()
    return [CompletionItem(before + code, help=help_) for code, help_ in items
            if code.startswith(wanted) and code not in taken]


def complete_rule(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    """``routecli rule CODE``: codes, or rule names (``routecli rule dup<Tab>``)."""
    rules = _rules()
    codes = [CompletionItem(code, help=f"{info.name}: {info.summary}")
             for code, info in sorted(rules.items()) if code.startswith(incomplete.upper())]
    if codes or not incomplete:
        return codes
    return [CompletionItem(info.name, help=f"{code}: {info.summary}")
            for code, info in sorted(rules.items()) if info.name.startswith(incomplete.lower())]


# ----------------------------------------------------------------------------- endpoints


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Nothing reaches the shell: output and warnings are swallowed."""
    sink = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(sink), \
            contextlib.redirect_stderr(sink):
        warnings.simplefilter("ignore")
        yield


def _sources(ctx: click.Context) -> list[str]:
    """``-r`` given to the group and to the command, in order, else discovered."""
    specs: list[str] = []
    node: click.Context | None = ctx
    chain = []
    while node is not None:
        chain.append(node)
        node = node.parent
    for node in reversed(chain):
        specs += list(node.params.get("routes") or ())
    if specs:
        return specs
    from routecli.sources.discover import find_sources

    return find_sources()


def _quietly(ctx: click.Context, read: Callable[[list[str]], list]) -> list:
    """``read(specs)`` on the configured route files; [] when a source is not a route
    file, or when anything at all fails."""
    try:
        with _quiet():
            from routecli.sources.discover import spec_kind

            specs = _sources(ctx)
            if not specs or any(spec_kind(spec) != "file" for spec in specs):
                return []
            return read(specs)
    except (Exception, SystemExit):
        return []


def _offerable(name: object) -> bool:
    """A name the shell can take as one word: the completion protocols are lines of
    comma-separated fields, and a control character would reach the terminal."""
    return (isinstance(name, str) and bool(name) and one_line(name) == name
            and not any(char in name for char in ", \t"))


def _url_names(specs: list[str]) -> list[tuple[str, str, list[str]]]:
    """The names ``routecli url`` builds from, for the table's dialect."""
    from routecli.routing.dialects import compile_table, dialect_of
    from routecli.sources.discover import load_routeset

    table = compile_table(load_routeset(specs))
    return dialect_of(table).load("url_names")(table)


def complete_endpoints(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    """``routecli url ENDPOINT``: the names the table builds URLs from (Flask endpoints,
    Starlette route names, Django URL names), each with its rules as help."""

    def read(specs: list[str]) -> list:
        rules: dict[str, list[str]] = {}
        for name, rule, _params in _url_names(specs):
            if _offerable(name) and name.startswith(incomplete):
                rules.setdefault(name, []).append(rule)
        return [CompletionItem(name, help=one_line(" ".join(found)))
                for name, found in sorted(rules.items())]

    return _quietly(ctx, read)


def complete_url_values(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    """``routecli url ENDPOINT NAME=VALUE``: ``NAME=`` for the variables of the endpoint's
    rules not given yet (nothing once a ``=`` is typed: values are the user's)."""
    endpoint = ctx.params.get("endpoint")
    if not endpoint or "=" in incomplete:
        return []
    given = {value.partition("=")[0] for value in ctx.params.get("values") or ()}

    def read(specs: list[str]) -> list:
        names: list[str] = []
        for name, _rule, params in _url_names(specs):
            if name == endpoint:
                names += [param for param in params if param not in names]
        return [CompletionItem(f"{name}=") for name in names
                if _offerable(name) and name.startswith(incomplete) and name not in given]

    return _quietly(ctx, read)


class FishComplete(click.shell_completion.FishComplete):
    """click's fish script with one change: a candidate line (``plain,RL101,RL102<TAB>
    duplicate: ...``) is split at its first comma only, so a code list after a comma and a
    description holding a comma arrive whole (click's own splits at every comma)."""

    source_template = click.shell_completion.FishComplete.source_template.replace(
        'string split "," $completion', 'string split -m 1 "," $completion')


def register_shells() -> None:
    """Use :class:`FishComplete` for ``_ROUTECLI_COMPLETE=fish_*`` (called only when the
    shell asks for a completion, to keep start-up lean)."""
    click.shell_completion.add_completion_class(FishComplete, "fish")
