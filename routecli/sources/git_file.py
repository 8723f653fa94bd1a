"""``git:REV:path``: a route file as it was at a git revision (docs/diff.md#git-sources).

Read with ``git show REV:./path`` (an argument list, never a shell, and no checkout): the
path is relative to the current directory, like any other route file. The revision and
the path are checked before git sees them, so neither can be read as an option.
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
    import subprocess  # only when a git source is read: start-up stays lean

    revision, path = split_git_spec(spec)
    # "./" makes git read the path relative to the current directory, not the repo root.
    target = f"{revision}:./{path}" if not path.startswith("./") else f"{revision}:{path}"
    try:
        done = subprocess.run(["git", "show", "--no-textconv", target],
                              stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=_TIMEOUT, check=False)
    except FileNotFoundError:
        raise RouteError("git is not installed (needed to read git:REV:path)", spec) from None
    except subprocess.TimeoutExpired:
        raise RouteError(f"git show took over {_TIMEOUT} s", spec) from None
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
