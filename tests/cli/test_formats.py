"""One --format vocabulary (docs/README.md#output-formats): `text` is the default name
everywhere; `table`, the old name in list and coverage, still works and is never offered."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from routecli.cli.app import cli

SAMPLES = Path(__file__).resolve().parents[2] / "sample_routes"


def run(*args):
    return CliRunner().invoke(cli, ["-r", str(SAMPLES / "blog.yaml"), *args])


@pytest.mark.parametrize("command", [["list"], ["coverage", str(SAMPLES / "access.log")]])
def test_text_is_the_default_and_table_an_alias(command):
    default = run(*command)
    assert default.exit_code == 0
    assert run(*command, "--format", "text").output == default.output
    assert run(*command, "--format", "table").output == default.output
    help_text = run(*command, "--help").output
    assert "[default: text]" in help_text and "table" not in help_text.split("--format")[1][:60]


@pytest.mark.parametrize("command", ["match", "list", "lint", "conflicts", "rule", "coverage",
                                     "url"])
def test_every_command_has_text_default_and_json(command):
    from routecli.cli.app import COMMANDS

    assert command in COMMANDS
    cmd = cli.get_command(click.Context(cli), command)
    (option,) = [p for p in cmd.params if "--format" in getattr(p, "opts", ())]
    assert option.default == "text"
    assert "json" in option.type.choices and "table" not in option.type.choices


# ------------------------------------------------------------------ every command, every format

#: how to run each command on the bundled samples (exit 1 is an answer: findings, a 404...)
RUNS = {
    "match": ["match", "GET", "/blog/posts/42"],
    "list": ["list"],
    "lint": ["-r", str(SAMPLES / "lint_demo.yaml"), "lint"],
    "conflicts": ["-r", str(SAMPLES / "lint_demo.yaml"), "conflicts"],
    "rule": ["rule", "--all"],
    "coverage": ["coverage", str(SAMPLES / "access.log")],
    "url": ["url", "get_blog_post", "post_id=42"],
    "diff": ["diff", str(SAMPLES / "diff_old.yaml"), str(SAMPLES / "diff_new.yaml")],
}
#: the vocabulary: these names, in this order when a command has them
VOCABULARY = ["text", "json", "markdown", "jsonl", "csv", "sarif", "github", "html"]
#: commands whose output is a table or a report: they offer markdown
TABULAR = {"list", "lint", "conflicts", "rule", "coverage", "diff"}


def _format_choices(command: str) -> list[str]:
    cmd = cli.get_command(click.Context(cli), command)
    (option,) = [p for p in cmd.params if "--format" in getattr(p, "opts", ())]
    return list(option.type.choices)


def test_every_command_is_walked():
    from routecli.cli.app import COMMANDS

    assert set(RUNS) == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(RUNS))
def test_format_names_are_one_vocabulary(command):
    choices = _format_choices(command)
    assert choices[:2] == ["text", "json"]
    assert set(choices) <= set(VOCABULARY)
    assert choices == sorted(choices, key=VOCABULARY.index)
    assert ("markdown" in choices) == (command in TABULAR)


def _check(fmt: str, out: str) -> None:
    import csv
    import io
    import json

    assert out.strip(), "no output"
    assert "Traceback" not in out
    if fmt in ("json", "sarif"):
        json.loads(out)
    elif fmt == "jsonl":
        for line in out.splitlines():
            json.loads(line)
    elif fmt == "markdown":
        import re

        lines = out.splitlines()
        rules = [i for i, line in enumerate(lines) if re.fullmatch(r"\|(-+:?\|)+", line)]
        assert rules, "no table"
        for i in rules:  # each table: header, rule and rows have as many cells
            rows = [lines[i - 1]]
            for line in lines[i + 1:]:
                if not line.startswith("|"):
                    break
                rows.append(line)
            cells = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
            assert cells == {lines[i].count("|")}, rows
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert len({len(row) for row in rows}) == 1
    elif fmt == "html":
        assert out.lstrip().lower().startswith("<!doctype html>")
    elif fmt == "github":
        assert all(line.startswith("::") for line in out.splitlines())


@pytest.mark.parametrize("command,fmt", [(command, fmt) for command in sorted(RUNS)
                                         for fmt in _format_choices(command)])
def test_every_format_of_every_command_runs(command, fmt):
    """Each --format choice gives well-formed output of its kind, with the same exit
    status as the default format."""
    args = RUNS[command]
    default = CliRunner().invoke(cli, args)
    result = CliRunner().invoke(cli, [*args, "--format", fmt])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == default.exit_code in (0, 1), result.output[-500:]
    _check(fmt, result.stdout)


def test_the_docs_format_table_is_the_code():
    """docs/README.md#output-formats lists each command's formats as the code offers them."""
    import re

    text = (Path(__file__).resolve().parents[2] / "docs" / "README.md").read_text()
    section = text.split("## Output formats", 1)[1]
    documented = {}
    for names, formats in re.findall(r"^\| (`[a-z` ,]+`) \| (`[a-z` ,]+`) \|$", section, re.M):
        for name in re.findall(r"`(\w+)`", names):
            documented[name] = re.findall(r"`(\w+)`", formats)
    assert documented == {command: _format_choices(command) for command in RUNS}
