"""The one way routecli writes a file it was asked to (``-o FILE``, ``--write-baseline``):
whole or not at all (docs/exit-codes.md#files-routecli-writes).

A regular file is written to a new file beside it, which then replaces it: a crash or a
full disk half-way leaves the previous file as it was, never a cut one. The new file
takes the old one's permissions; through a symlink, the file it points to is replaced and
the symlink stays. A file routecli may not write stays refused, as opening it was. A file with other hard links is refused, since replacing it would leave
its other names with the old text (and writing in place could cut it). A character device
(``/dev/null``, a terminal) and a named pipe with a reader are written as they are; a
named pipe that no process reads is refused rather than waited on, as are block devices,
sockets and directories. ``/dev/stdout`` and the like name a descriptor the caller opened
(perhaps a file opened to append to): written as they are too.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterable

from routecli.errors import RouteError

# Descriptors (a pipe, a file the shell opened with >>) and kernel files: what they name
# is the caller's, and nothing is renamed there
_IN_PLACE_PREFIXES = ("/dev/fd/", "/dev/std", "/proc/")


def write_file(path: str, parts: Iterable[str], what: str = "output") -> None:
    """Write the text ``parts`` to ``path`` (UTF-8; a file name that is not UTF-8 written
    as its bytes); raise RouteError ``path: cannot write {what}: ...`` or a refusal."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None  # a new file (or a symlink to one): created beside its name
    except OSError as exc:
        raise RouteError(f"cannot write {what}: {exc.strerror}", path) from None
    try:
        if info is not None and not stat.S_ISREG(info.st_mode):
            _write_special(path, info.st_mode, parts, what)
        elif os.path.abspath(path).startswith(_IN_PLACE_PREFIXES):
            _write_in_place(path, parts)
        else:
            if info is not None and info.st_nlink > 1:
                raise RouteError(
                    f"refusing to replace a file with {info.st_nlink} hard links (its other "
                    f"names would keep the old {what}): remove them or choose another file",
                    path)
            _replace(path, info, parts)
    except OSError as exc:
        raise RouteError(f"cannot write {what}: {exc.strerror}", path) from None


def _write_special(path: str, mode: int, parts: Iterable[str], what: str) -> None:
    if stat.S_ISCHR(mode):
        _write_in_place(path, parts)
        return
    if not stat.S_ISFIFO(mode):
        kind = ("a directory" if stat.S_ISDIR(mode) else "a socket" if stat.S_ISSOCK(mode)
                else "a block device" if stat.S_ISBLK(mode) else "not a regular file")
        raise RouteError(f"cannot write {what}: it is {kind}", path)
    try:
        # O_NONBLOCK: with no reader the open fails (ENXIO) instead of waiting forever
        descriptor = os.open(path, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise RouteError(f"cannot write {what}: it is a named pipe (FIFO) that no "
                             "process is reading", path) from None
        raise
    os.set_blocking(descriptor, True)  # a reader is there: wait for it as cat would
    _write_parts(descriptor, parts)


def _write_in_place(path: str, parts: Iterable[str]) -> None:
    _write_parts(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666), parts)


def _replace(path: str, info: os.stat_result | None, parts: Iterable[str]) -> None:
    target = os.path.realpath(path)  # through symlinks: the file replaced, the link kept
    if info is not None and not os.access(target, os.W_OK):
        # a read-only file stays so: renaming over it would need only the directory's leave
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
    directory, name = os.path.split(target)
    # a name NAME_MAX long leaves no room for the prefix and suffix: cut (only its bytes
    # count, and a name that is not UTF-8 holds surrogates, one per byte)
    temporary = os.path.join(directory, f".{name[:200]}.{secrets.token_hex(4)}.tmp")
    try:
        # O_EXCL: never opens an existing file or follows a symlink planted under the name
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except PermissionError:
        if info is None:
            raise
        # a file we may write in a directory we may not add to: in place, as before
        _write_in_place(path, parts)
        return
    try:
        if info is not None:  # the old file's permissions (and owner, where allowed)
            os.chmod(temporary, stat.S_IMODE(info.st_mode))
            if hasattr(os, "fchown") and (info.st_uid, info.st_gid) != (os.geteuid(),
                                                                        os.getegid()):
                with contextlib.suppress(OSError):
                    os.fchown(descriptor, info.st_uid, info.st_gid)
        _write_parts(descriptor, parts, sync=True)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _write_parts(descriptor: int, parts: Iterable[str], sync: bool = False) -> None:
    # surrogateescape: a file name that is not UTF-8 is written as its bytes
    with open(descriptor, "w", encoding="utf-8", errors="surrogateescape",
              newline="\n") as stream:
        for part in parts:
            stream.write(part)
        if sync:
            stream.flush()
            os.fsync(descriptor)
