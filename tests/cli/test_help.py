"""Help that helps (docs/README.md#commands): own options first, the shared ones once in
their own section, whole command summaries, and "did you mean" for words of other tools."""

import pytest
from click.testing import CliRunner

from routecli.cli.app import COMMANDS, cli

SHARED = "Global options (also accepted before the command):"


def run(*args):
    return CliRunner().invoke(cli, list(args), terminal_width=80)


def sections(text: str) -> dict[str, str]:
    """Help text split at its unindented section titles."""
    out: dict[str, str] = {}
    title = ""
    for line in text.splitlines():
        if line and not line.startswith(" ") and line.endswith(":"):
            title = line
            out[title] = ""
        elif title:
            out[title] += line + "\n"
    return out


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - {"rule"}))
def test_own_options_come_first_and_shared_ones_once(command):
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    parts = sections(result.output)
    assert list(parts).index("Options:") < list(parts).index(SHARED)
    shared = parts[SHARED]
    for option in ("-r, --routes SOURCE", "--no-cache", "--color", "--debug"):
        assert option in shared, (command, option)
        assert option not in parts["Options:"], (command, option)
    assert result.output.count("--routes SOURCE") == 1


def test_rule_shows_no_option_that_does_nothing_for_it():
    result = run("rule", "--help")
    assert "--routes" not in result.output and "--no-cache" not in result.output
    assert "--color" in sections(result.output)[SHARED]
    assert run("rule", "-r", "x.yaml", "RL101").exit_code == 2


def test_arguments_without_help_are_not_listed_as_options():
    options = sections(run("lint", "--help").output)["Options:"]
    assert "[FILES]" not in options and "--select CODES" in options


def test_command_summaries_are_whole_sentences():
    text = " ".join(sections(run("--help").output)["Commands:"].split())
    assert "hits per route, routes never hit, 404s grouped by shape, 405s by route." in text
    assert "Print the URL that url_for(ENDPOINT, NAME=VALUE, ...) builds, alone on one line." in text
    for name in COMMANDS:
        # each summary runs to its full stop: the next command's name follows one
        assert f" {name} " in f" {text} "
    assert not any(word.endswith("...") for word in text.split())


@pytest.mark.parametrize("typed, meant", [
    ("routes", "list"), ("ls", "list"), ("lsit", "list"), ("check", "lint"),
    ("resolve", "match"), ("url_for", "url"), ("overlaps", "conflicts"), ("LIST", "list"),
])
def test_unknown_command_suggests_the_one_meant(typed, meant):
    result = run(typed)
    assert result.exit_code == 2
    assert f"No such command '{typed}'. Did you mean '{meant}'?" in result.output


def test_unknown_command_without_a_likely_meaning_gets_no_guess():
    result = run("frobnicate")
    assert result.exit_code == 2
    assert "No such command 'frobnicate'." in result.output
    assert "Did you mean" not in result.output


@pytest.mark.parametrize("args, hint", [
    (["--app", "x", "list"], "Did you mean -r/--routes (e.g. -r myapp:app)?"),
    (["list", "--app", "x"], "Did you mean -r/--routes (e.g. -r myapp:app)?"),
    (["match", "--json", "GET", "/"], "Did you mean --format json?"),
    (["lint", "--file=x.yaml"], "Did you mean -r/--routes?"),
    (["--settings", "mysite.settings", "list"],
     "Did you mean -r mysite.settings (a settings module: its ROOT_URLCONF), or "
     "DJANGO_SETTINGS_MODULE?"),
])
def test_options_of_other_tools_get_the_routecli_spelling(args, hint):
    result = run(*args)
    assert result.exit_code == 2
    assert hint in result.output


def test_click_still_suggests_near_misses_of_real_options():
    result = run("list", "--formt", "json")
    assert result.exit_code == 2
    assert "--format" in result.output


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_help_has_examples_and_the_runnable_ones_run(command):
    """Each --help ends its description with examples; those that need nothing but the
    repository (its sample_routes/ and pyproject.toml) run as written: exit 0 or 1."""
    import shlex
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    text = run(command, "--help").output
    assert "\n  Examples:\n" in text
    block = text.split("\n  Examples:\n", 1)[1].split("\n\n", 1)[0]
    examples = [line.strip().split("  #")[0] for line in block.splitlines()]
    assert examples and all(line.startswith(("routecli ", "printf ", "zcat "))
                            for line in examples), examples
    ran = 0
    for line in examples:
        words = shlex.split(line)
        if words[0] != "routecli" or any(w in ("-o", "--write-baseline", ">", "|")
                                         for w in words):
            continue  # a pipe, or writes a file
        files = [w for w in words if "." in w and "/" in w or w.endswith((".yaml", ".json",
                                                                         ".log", ".jsonl"))]
        if any(not (root / w).exists() for w in files) or any(
                w.startswith(("git:", "myapp")) for w in words):
            continue  # the user's own files, app or repository
        import os

        cwd = os.getcwd()
        os.chdir(root)
        try:
            result = CliRunner().invoke(cli, words[1:])
        finally:
            os.chdir(cwd)
        assert result.exit_code in (0, 1), (line, result.output[-300:])
        ran += 1
    assert ran, f"no example of {command} runs from the repository"
