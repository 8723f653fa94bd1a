"""Every way a command can fail, turned into one line on standard error and an exit status
(docs/exit-codes.md): input errors, a closed pipe, a full disk, Ctrl-C, memory and
recursion limits, the app's own ``sys.exit()``; a traceback only for true bugs, and then
only with ``--debug``."""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from routecli.errors import AppExit, RouteError

EXIT_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for a process stopped by Ctrl-C
_STATUS_KEY = "routecli.exit_status"


def set_exit_status(status: int) -> None:
    """Record the status the running command will exit with, before it prints its answer:
    if the reader closes the pipe early (``routecli lint | head -1``), routecli still
    exits with it."""
    click.get_current_context().meta[_STATUS_KEY] = status


@contextmanager
def reported_failures(ctx: click.Context, debug: Callable[[], bool]) -> Iterator[None]:
    """Run a command, turning what it raises into a message and an exit status; with
    ``debug()`` true (``--debug``, read once the command has parsed it) errors propagate."""
    try:
        yield
    except AppExit as error:  # the library's report of the app's sys.exit()
        if debug():
            raise
        site = _user_site(error.__cause__)  # None once it came from a worker process
        where = "" if site else f" in {error.where}"
        _say(f"{site or 'routecli'}: the app's code raised SystemExit({error.status!r}){where} "
             f"while routecli ran '{_command(ctx)}'; routecli stopped there")
        ctx.exit(EXIT_INPUT)
    except RouteError as error:
        if debug():
            raise
        _say(error_line(error))
        ctx.exit(EXIT_INPUT)
    except click.ClickException as error:  # a usage error: click prints it
        from routecli.cli.command import escaped

        raise escaped(error) from None
    except (click.exceptions.Exit, click.exceptions.Abort):
        raise
    except SystemExit as exit_:
        site = None if _raised_by_the_cli(exit_) else _user_site(exit_)
        if site is None:  # routecli's own sys.exit(status)
            raise
        if debug():
            raise
        _say(f"{site}: the app's code raised SystemExit({exit_.code!r}) while routecli ran "
             f"'{_command(ctx)}'; routecli stopped there")
        ctx.exit(EXIT_INPUT)
    except KeyboardInterrupt:
        if debug():
            import traceback

            traceback.print_exc()
        _say(f"routecli: interrupted (Ctrl-C) while running '{_command(ctx)}'")
        ctx.exit(EXIT_INTERRUPTED)
    except MemoryError as error:
        if debug():
            raise
        _say(f"{_where(error)}out of memory while running '{_command(ctx)}'")
        ctx.exit(EXIT_INPUT)
    except RecursionError as error:
        if debug():
            raise
        _say(f"{_where(error)}input nested too deeply for Python's recursion limit while "
             f"running '{_command(ctx)}'")
        ctx.exit(EXIT_INPUT)
    except OSError as error:
        if error.errno == errno.EPIPE:
            # The reader closed the pipe early (`| head`): not an error for the user, and
            # the command's answer so far decides the status.
            silence_stdout()
            ctx.exit(ctx.meta.get(_STATUS_KEY, 0))
        if debug():
            raise
        _say(describe_os_error(error, _command(ctx)))
        ctx.exit(EXIT_INPUT)
    except Exception as error:  # noqa: BLE001 - last line of defence
        if debug():
            raise
        site = _user_site(error)
        if site is None:
            _say(f"routecli: internal error: {type(error).__name__}: {error} "
                 f"(run with --debug for the traceback, and please report it)")
        else:  # the app's own code failed (a module __getattr__, a property): not a bug here
            _say(f"{site}: the app's code raised {type(error).__name__}({error}) while "
                 f"routecli ran '{_command(ctx)}'; routecli stopped there")
        ctx.exit(EXIT_INPUT)
    except BaseException as error:  # raise BaseException(...), GeneratorExit from app code
        site = _user_site(error)
        if debug():
            raise
        if site is None:
            _say(f"routecli: internal error: {type(error).__name__}: {error} "
                 f"(run with --debug for the traceback, and please report it)")
        else:
            _say(f"{site}: the app's code raised {type(error).__name__}({error}) while "
                 f"routecli ran '{_command(ctx)}'; routecli stopped there")
        ctx.exit(EXIT_INPUT)


def error_line(error: RouteError) -> str:
    """An input error's line: ``file:line: message``, or ``routecli: message`` when no
    input is to blame (every line on standard error says where it comes from)."""
    return str(error) if error.source else f"routecli: {error.message}"


# Write errors: without a file name they are standard output's, since every file routecli
# writes (-o, baselines, the cache) reports its own errors with its name.
_WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF})


def describe_os_error(error: OSError, command: str) -> str:
    """One line naming what failed: the file, standard output, or the operating system."""
    reason = error.strerror or str(error)
    if error.filename:
        return f"{error.filename}: {reason}"
    if error.errno in _WRITE_ERRORS:
        return f"routecli: cannot write to standard output: {reason}"
    return f"routecli: operating system error while running '{command}': {reason}"


class ClosedStream(io.TextIOBase):
    """Standard output for a process started without one (``routecli list >&-``): writing
    fails as writing to a closed descriptor does, so an answer is never lost in silence."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def isatty(self) -> bool:
        return False


def silence_stdout() -> None:
    """Send what is left of standard output to /dev/null, so that nothing (not even
    Python's final flush) fails on a closed pipe again."""
    try:
        fd = sys.stdout.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
    except (AttributeError, OSError, ValueError):
        return  # not a real file (a test's capture): nothing will flush it at exit
    os.dup2(devnull, fd)
    os.close(devnull)


def finish(status: int) -> int:
    """Flush standard output at the end of a run; the status to exit with."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    except OSError as error:
        silence_stdout()
        _say(f"routecli: cannot write to standard output: {error.strerror or error}")
        return EXIT_INPUT
    except (AttributeError, ValueError):
        pass
    return status


def failed_before_a_command(error: OSError) -> int:
    """The status for an OS error raised while options were parsed, before a command ran
    (``routecli --help > /dev/full``, ``routecli -V | true``), its line said; a closed
    pipe is no error (click itself would exit 1, "the answer is no")."""
    if error.errno == errno.EPIPE:
        silence_stdout()
        return 0
    _say(describe_os_error(error, "routecli"))
    return EXIT_INPUT


def exit_status(exit_: SystemExit) -> int:
    """The status ``sys.exit(code)`` means: an int, 0 for None, 1 for anything else."""
    code = exit_.code
    return code if isinstance(code, int) else (0 if code is None else 1)


def _say(message: str) -> None:
    """One line on standard error, even when standard error itself is broken."""
    from routecli.output.text import one_line

    try:
        click.echo(one_line(message), err=True)
    except (OSError, ValueError):
        pass


def _command(ctx: click.Context) -> str:
    return ctx.invoked_subcommand or ctx.info_name or "routecli"


def _raised_by_the_cli(error: BaseException) -> bool:
    """True when a command's own ``sys.exit(status)`` raised ``error`` (its innermost frame
    is routecli's CLI): its usual end, told without loading the user-code locator."""
    tb = error.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    return os.path.dirname(tb.tb_frame.f_code.co_filename) == _CLI_DIR


_CLI_DIR = os.path.dirname(__file__)


def _user_site(error: BaseException) -> str | None:
    """``file:line`` in the app's code where ``error`` was raised, if it was."""
    from routecli.sources.python.user_code import user_site

    try:
        return user_site(error.__traceback__)
    except Exception:  # noqa: BLE001 - locating is a courtesy, never a new failure
        return None


def _where(error: BaseException) -> str:
    site = _user_site(error)
    return f"{site}: " if site else "routecli: "
