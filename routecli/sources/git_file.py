"""``git:REV:path``: a route file as it was at a git revision (docs/diff.md#git-sources).

Read with ``git cat-file`` (an argument list, never a shell, and no checkout): the object
``REV:./path`` is looked up on its standard input, then read only when it is a blob no
larger than a route file may be. The path is relative to the current directory, like any
other route file. The revision and the path are checked before git sees them, so neither
can be read as an option.
"""

from __future__ import annotations

import os
import re

from routecli.errors import RouteError

GIT_PREFIX = "git:"
# What a revision may be written with: names, hashes, ~N, ^N, @{...}; never a leading "-".
_REVISION = r"[A-Za-z0-9_@{}~^./+-]{1,256}"  # a pattern: compiled when a git source is read
_TIMEOUT = 60  # seconds: reading one blob never takes longer


def split_git_spec(spec: str) -> tuple[str, str]:
    """(revision, path) of ``git:REV:path``; RouteError when either is unusable."""
    rest = spec[len(GIT_PREFIX):]
    revision, colon, path = rest.partition(":")
    if not colon or not revision or not path:
        raise RouteError("expected git:REVISION:PATH, e.g. git:origin/main:routes.yaml", spec)
    if revision.startswith("-") or not re.fullmatch(_REVISION, revision) or ".." in revision:
        raise RouteError(f"invalid git revision {revision!r}", spec)
    if (os.path.isabs(path) or "\x00" in path or "\n" in path or "\r" in path
            or path.startswith("-")):
        raise RouteError(f"invalid path {path!r}: give a path relative to the current "
                         "directory", spec)
    return revision, path


def read_git_bytes(spec: str) -> bytes:
    """The bytes of the file ``spec`` names, from git's object store."""
    from routecli.sources.route_file import MAX_FILE_BYTES

    revision, path = split_git_spec(spec)
    # "./" makes git read the path relative to the current directory, not the repo root.
    target = f"{revision}:./{path}" if not path.startswith("./") else f"{revision}:{path}"
    # The object is looked up first, on cat-file's standard input (never an argument): only
    # a blob is read, and only when its size is a route file's. `git show` alone would take
    # a missing path holding `*`, `?` or `[` for a pathspec and print nothing (an "empty
    # file"), print a listing for a directory, and hold a blob of any size in memory.
    found = _git(spec, ["cat-file", "--batch-check"], target.encode("utf-8", "surrogateescape")
                 + b"\n").split()
    # "OID TYPE SIZE", else "NAME missing" (or "ambiguous"), whose NAME may hold spaces
    exists = (len(found) == 3 and found[2].isdigit()
              and all(c in b"0123456789abcdef" for c in found[0]))
    if not exists or found[1] != b"blob":
        if exists:  # a tree (a directory), a commit or a tag
            kind = "a directory" if found[1] == b"tree" else f"a {found[1].decode('ascii')}"
            raise RouteError(f"git cannot read it: {path!r} is {kind} at {revision!r}, not a "
                             "file", spec)
        _git(spec, ["show", "--no-textconv", target])  # missing: git's own reason, one line
        raise RouteError(f"git cannot read it: {path!r} does not exist at {revision!r}", spec)
    if int(found[2]) > MAX_FILE_BYTES:
        raise RouteError(f"the file is too large ({int(found[2]):,} bytes) to be a route file",
                         spec)
    return _git(spec, ["cat-file", "blob", found[0].decode("ascii")])


def _git(spec: str, arguments: list[str], stdin: bytes | None = None) -> bytes:
    """git's standard output for ``arguments``; RouteError with its reason when it fails."""
    import subprocess  # only when a git source is read: start-up stays lean

    try:
        done = subprocess.run(["git", *arguments], input=stdin,
                              stdin=None if stdin is not None else subprocess.DEVNULL,
                              capture_output=True, timeout=_TIMEOUT, check=False)
    except FileNotFoundError:
        raise RouteError("git is not installed (needed to read git:REV:path)", spec) from None
    except subprocess.TimeoutExpired:
        raise RouteError(f"git took over {_TIMEOUT} s", spec) from None
    except OSError as exc:
        raise RouteError(f"cannot run git: {exc.strerror or exc}", spec) from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = lines[0].removeprefix("fatal: ") if lines else f"exit {done.returncode}"
        raise RouteError(f"git cannot read it: {reason}", spec)
    return done.stdout


def read_git_document(spec: str):
    """Read and parse the route file ``git:REV:path`` names (a route_file Document)."""
    from routecli.sources.route_file import read_document

    return read_document(spec, read_git_bytes(spec))
