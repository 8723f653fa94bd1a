"""The ``routecli`` command: a thin layer over the library."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script and ``python -m routecli``."""
    import contextlib
    import sys

    try:
        from routecli.cli.app import cli
        from routecli.cli.failures import ClosedStream, exit_status, finish

        if sys.stdout is None:  # started with standard output closed: say so on writing
            sys.stdout = ClosedStream()
        elif getattr(sys.stdout, "errors", None) == "strict":
            # A file name that is not UTF-8 (Python holds its bytes surrogate-escaped) is
            # printed as its bytes, as ls prints it, not a UnicodeEncodeError (the strict
            # handler of UTF-8 locales other than C.UTF-8).
            with contextlib.suppress(AttributeError, ValueError):
                sys.stdout.reconfigure(errors="surrogateescape")

        try:
            cli.main(args=argv, prog_name="routecli")
            status = 0
        except SystemExit as exit_:
            status = exit_status(exit_)
        status = finish(status)
    except KeyboardInterrupt:  # before or after a command runs (the command's own: failures)
        sys.stderr.write("routecli: interrupted (Ctrl-C)\n")
        sys.exit(130)  # 128 + SIGINT
    import threading

    if threading.active_count() > 1:
        # An imported app left non-daemon threads running (a scheduler, a pool):
        # the answer is printed, so leave without waiting for them.
        import os

        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)
