"""The ``routecli`` command: a thin layer over the library."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script and ``python -m routecli``."""
    from .app import cli

    cli.main(args=argv, prog_name="routecli")
