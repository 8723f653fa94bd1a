"""The ``routecli`` command: a thin layer over the library."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script and ``python -m routecli``."""
    from routecli.cli.app import cli

    try:
        cli.main(args=argv, prog_name="routecli")
    except SystemExit as exit_:
        import threading

        if threading.active_count() > 1:
            # An imported app left non-daemon threads running (a scheduler, a pool):
            # the answer is printed, so leave without waiting for them.
            import os
            import sys

            code = exit_.code
            status = code if isinstance(code, int) else (0 if code is None else 1)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
        raise
