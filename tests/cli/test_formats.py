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
