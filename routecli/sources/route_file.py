"""A route file: reading it safely, and the parsed :class:`Document` that remembers lines.

:func:`read_document` is the only entry point for route files. It reads the bytes
(regular files only, never written), decodes them as UTF-8, hands the text to the
reader for the format named by the extension (:mod:`.yaml_file`, :mod:`.toml_file`,
:mod:`.json_file`, each imported only when a file of its format is read) and checks
the top level. Every problem is a :class:`~routecli.errors.RouteError` located at
``file:line`` when the line is known. The readers share :class:`Document`,
:class:`LineIndex`, :func:`location` and :func:`one_line` from here;
:func:`describe` names a value's type in messages (docs/sources.md#route-file-schema).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

from routecli.errors import RouteError

# Extension (lower case) -> format name.
FORMATS = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json"}
SUPPORTED_EXTENSIONS = ".yaml, .yml, .toml or .json"

KeyPath = tuple  # ("routes", 3, "methods"): mapping keys and list indexes

# Python's default bound on converting an integer to text: a larger one in route data
# could not be printed (readers and the schema refuse it).
MAX_INT_DIGITS = 4300


class Document:
    """A parsed route file: ``path`` as given, plain ``data``, and line lookup."""

    __slots__ = ("_expand", "_lines", "data", "format", "path")

    def __init__(
        self,
        path: str,
        data: Any,
        format: str,
        lines: dict[KeyPath, int] | None = None,
        expand: Callable[[KeyPath], None] | None = None,
    ) -> None:
        self.path = path
        self.data = data
        self.format = format
        self._lines = lines if lines is not None else {}
        # Some formats find lines lazily (JSON) or on first use (TOML).
        self._expand = expand

    def line_of(self, keys: KeyPath) -> int | None:
        """The 1-based line of the value at ``keys``, else of its nearest known enclosing value."""
        keys = tuple(keys)
        if self._expand is not None and keys not in self._lines:
            self._expand(keys)
        lines = self._lines
        for n in range(len(keys), -1, -1):
            line = lines.get(keys[:n])
            if line is not None:
                return line
        return None

    def __repr__(self) -> str:
        return f"Document({self.path!r}, format={self.format!r})"


def describe(value: Any) -> str:
    """A short user-facing description of a value's type: ``string 'GET'``, ``list``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {'true' if value else 'false'}"
    if isinstance(value, int):
        if value.bit_length() > 64:  # str() of a huge int is slow, then refused by Python
            return f"integer of {value.bit_length()} bits"
        return f"integer {value}"
    if isinstance(value, float):
        return f"number {value!r}"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"string {text!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def location(path: str, line: int | None) -> str:
    """``path:line`` when the line is known, else ``path``."""
    return f"{path}:{line}" if line else path


def display_path(path: str) -> str:
    """``path`` relative to the current directory when it lies below it, else as given."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if relative.startswith(os.pardir) else relative


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines too) made one space."""
    return " ".join(str(text).split())


def read_document(path: str, raw: bytes | None = None) -> Document:
    """Read and parse one route file; raise RouteError (and nothing else) when it is unusable.
    ``raw``: the file's bytes, already read (e.g. from git); ``path`` then only names it."""
    try:
        return _read_document(path, raw)
    except RouteError:
        raise
    except RecursionError:
        raise RouteError("the file is nested too deeply to be a route file", str(path)) from None
    except MemoryError:
        raise RouteError("the file is too large to load", str(path)) from None
    except Exception as exc:  # noqa: BLE001 - a loader bug must still reach the user as one line
        message = one_line(f"cannot read route file: {type(exc).__name__}: {exc}")
        raise RouteError(message, str(path)) from None


def _read_document(path: str, raw: bytes | None) -> Document:
    if raw is None:
        raw = read_bytes(path)
    fmt = FORMATS.get(os.path.splitext(path)[1].lower())
    if fmt is None:
        ext = os.path.splitext(path)[1]
        what = f"file type {ext!r}" if ext else "file without an extension"
        raise RouteError(f"unsupported {what}: route files end in {SUPPORTED_EXTENSIONS}", path)
    text = decode(raw, path)
    if not text.strip():
        raise RouteError("no routes: the file is empty", path)
    # Each reader is imported only for its own format: a YAML user never loads the others.
    if fmt == "yaml":
        from routecli.sources.yaml_file import load_yaml

        doc = load_yaml(text, path)
    elif fmt == "toml":
        from routecli.sources.toml_file import load_toml

        doc = load_toml(text, path)
    else:
        from routecli.sources.json_file import load_json

        doc = load_json(text, path)
    data = doc.data
    if data is None or (fmt == "toml" and data == {}):
        raise RouteError("no routes: the file is empty (nothing but comments)", path)
    if not isinstance(data, dict):
        raise RouteError(
            f"the top level must be a mapping with a 'routes' key, got {describe(data)}",
            location(path, doc.line_of((0,)) if isinstance(data, list) else None),
        )
    return doc


MAX_FILE_BYTES = 1 << 30  # a route file larger than 1 GiB is surely not one


def read_bytes(path: str) -> bytes:
    """The bytes of the file at ``path``; RouteError unless it is a readable regular file."""
    # Opened read-only, never written: route files belong to the user. Only regular
    # files: /dev/zero or a FIFO would never end.
    import stat

    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer before we can refuse it.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError
            if not stat.S_ISREG(info.st_mode):
                raise RouteError("not a regular file (a device, FIFO or socket), not a "
                                 "route file", path)
            if info.st_size > MAX_FILE_BYTES:
                raise RouteError(f"the file is too large ({info.st_size:,} bytes) to be a "
                                 "route file", path)
            return handle.read()
    except (FileNotFoundError, NotADirectoryError):
        raise RouteError("no such file", path) from None
    except IsADirectoryError:
        raise RouteError("is a directory, not a route file", path) from None
    except PermissionError:
        raise RouteError("cannot read the file: permission denied", path) from None
    except OSError as exc:
        raise RouteError(one_line(f"cannot read the file: {exc.strerror or exc}"), path) from None


def decode(raw: bytes, path: str, what: str = "route file") -> str:
    """``raw`` as text (UTF-8, an optional byte-order mark dropped); RouteError otherwise,
    naming the encoding it has (``what``: the kind of file, for a binary one)."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise RouteError("the file is UTF-32 encoded: save it as UTF-8", path)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RouteError("the file is UTF-16 encoded: save it as UTF-8", path)
    if len(raw) >= 2 and (raw[0] == 0) != (raw[1] == 0) and raw.count(b"\x00") * 3 > len(raw):
        # UTF-16 without a byte-order mark: every other byte of ASCII text is NUL.
        raise RouteError("the file looks UTF-16 encoded (no byte-order mark): save it as "
                         "UTF-8", path)
    nul = raw.find(b"\x00")
    if nul != -1:
        raise RouteError(f"binary file (it contains NUL bytes), not a {what}", path)
    # A leading byte-order mark is accepted and dropped (by hand, not with the utf-8-sig
    # codec: its error offsets would not count the mark, and its import costs start-up).
    start = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    try:
        return raw[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = start + exc.start
        line = raw.count(b"\n", 0, at) + 1
        line_start = raw.rfind(b"\n", 0, at) + 1 or start  # an editor does not show the mark
        column = at - line_start + 1
        raise RouteError(
            f"not valid UTF-8: byte 0x{raw[at]:02x} at column {column}; "
            "save the file as UTF-8",
            location(path, line),
        ) from None


class LineIndex:
    """Offset -> 1-based line number, for formats whose parsers report no positions."""

    __slots__ = ("_bisect_right", "starts")

    def __init__(self, text: str) -> None:
        # Imported here: only the TOML and JSON readers need it, YAML start-up does not.
        from bisect import bisect_right

        self._bisect_right = bisect_right
        self.starts = [0]
        self.starts.extend(m.end() for m in re.finditer("\n", text))

    def line(self, offset: int) -> int:
        """The 1-based line of ``offset``."""
        return self._bisect_right(self.starts, offset)
