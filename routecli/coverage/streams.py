"""Access-log bytes as batches of lines: files, standard input, gzip, and the line cap.

Files are read as bytes in chunks of ``CHUNK``. A file or standard input that starts with
the gzip magic bytes ``1f 8b`` is decompressed on the fly (several concatenated members are
fine); the file name does not matter. bzip2, xz and zstd data are not read: such a file
is one lost line, ``unsupported compression (xz)``. A UTF-8 byte order mark is dropped.
Lines end with ``\\n`` and are handed out decoded as latin-1 (one character per byte).
A line over ``MAX_LINE`` bytes is lost as ``line too long`` (the rest of it is skipped
unread). A damaged gzip stream ends the file and is lost once, as one line holding the
bytes after the last complete line: ``truncated gzip data``, ``corrupt gzip data`` or
``trailing garbage after gzip data``. Memory stays flat: one chunk and at most one partial
line are held at a time. A missing or unreadable file raises
:class:`routecli.errors.RouteError`.
"""

from __future__ import annotations

import os
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator

from routecli.errors import RouteError

MAX_LINE = 64 * 1024  # longer lines are malformed; bounds the memory one line can take
CHUNK = 256 * 1024  # bytes read (and decompressed) at a time

_GZIP_MAGIC = b"\x1f\x8b"
_UNSUPPORTED_MAGIC = {
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"\x28\xb5\x2f\xfd": "zstd",
}

Read = Callable[[int], bytes]
# (line number, reason, the line or what to show instead) for a line that holds no data
OnLost = Callable[[int, str, str], None]


def check_readable(paths: Iterable[str | os.PathLike]) -> list[str]:
    """The paths as strings, once each (``"-"`` aside) is known to be a readable file."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [os.fspath(path) for path in paths]
    for path in paths:
        if path == "-":
            continue
        try:
            mode = os.stat(path).st_mode
        except OSError as error:
            raise RouteError(
                f"cannot read log file: {error.strerror or error}", source=path
            ) from None
        if stat.S_ISDIR(mode):
            raise RouteError("cannot read log file: it is a directory", source=path)
        if not os.access(path, os.R_OK):
            raise RouteError("cannot read log file: Permission denied", source=path)
    return paths


def open_inputs(paths: list[str]) -> Iterator[tuple[str, Read]]:
    """``(name, read)`` per path in order, each file open only while it is being read."""
    for path in paths:
        if path == "-":
            stdin = getattr(sys.stdin, "buffer", None)
            if stdin is None:
                raise RouteError("standard input is not available", source="<stdin>")
            yield "<stdin>", getattr(stdin, "read1", None) or stdin.read
            continue
        try:
            file = open(path, "rb", buffering=0)  # noqa: SIM115 - closed below
        except OSError as error:
            raise RouteError(
                f"cannot read log file: {error.strerror or error}", source=path
            ) from None
        with file:
            yield path, file.read


class StreamError(Exception):
    """A compressed stream that cannot be read further; ``reason`` says why."""

    def __init__(self, reason: str, text: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.text = text  # what to show instead of the cut line, if anything


def read_chunks(name: str, read: Read, on_bytes: Callable[[int], None]) -> Iterator[bytes]:
    """The input's bytes in chunks, gunzipped if it starts with the gzip magic bytes.

    ``on_bytes`` gets the size of every raw chunk read. A damaged or unsupported
    compressed stream raises :class:`StreamError` when its chunks are read.
    """
    first = b""
    while len(first) < 6:  # enough to tell gzip, bzip2, xz and zstd apart
        more = _read_raw(name, read, on_bytes)
        if not more:
            break
        first += more
    for magic, kind in _UNSUPPORTED_MAGIC.items():
        if first.startswith(magic):
            return _refuse(f"unsupported compression ({kind})", first)
    raw = _raw_chunks(name, read, on_bytes, first)
    if first.startswith(_GZIP_MAGIC):
        return _gunzip(raw)
    return raw


def _read_raw(name: str, read: Read, on_bytes: Callable[[int], None]) -> bytes:
    try:
        data = read(CHUNK)
    except OSError as error:
        raise RouteError(
            f"cannot read log file: {error.strerror or error}", source=name
        ) from None
    if data:
        on_bytes(len(data))
    return data or b""


def _raw_chunks(name: str, read: Read, on_bytes: Callable[[int], None], first: bytes):
    if first:
        yield first
        while data := _read_raw(name, read, on_bytes):
            yield data


def _refuse(reason: str, first: bytes) -> Iterator[bytes]:
    """Chunks that end at once with ``reason``: the whole file is one malformed line."""
    raise StreamError(reason, first.decode("latin-1"))
    yield b""  # a generator: the error comes when the chunks are read


def _gunzip(raw: Iterator[bytes]) -> Iterator[bytes]:
    """Decompress gzip members one after another; raise StreamError where it breaks."""
    decompressor = zlib.decompressobj(31)  # 16 + 15: gzip header, 32 KiB window
    started = True  # the current member has been fed without error
    for data in raw:
        while data:
            if decompressor.eof:  # a member ended: what follows must start another
                if not data.strip(b"\0"):  # zero padding after the last member
                    break
                decompressor = zlib.decompressobj(31)
                started = False
            saved = decompressor.copy()  # to replay this input if it turns out corrupt
            try:
                # max_length keeps a gzip bomb from blowing up one chunk
                out = decompressor.decompress(data, CHUNK)
            except zlib.error:
                if not started:
                    raise StreamError("trailing garbage after gzip data") from None
                yield from _salvage(saved, data)
                raise StreamError("corrupt gzip data") from None
            started = True
            if out:
                yield out
            if decompressor.eof:
                data = decompressor.unused_data
            else:
                data = decompressor.unconsumed_tail
    if not decompressor.eof:
        try:
            rest = decompressor.flush()  # output still held back, if any
        except zlib.error:
            rest = b""
        if rest:
            yield rest
        if not decompressor.eof:
            raise StreamError("truncated gzip data")


def _salvage(decompressor, data: bytes) -> Iterator[bytes]:
    """What ``data`` decompresses to before its corrupt part, fed in small slices."""
    for start in range(0, len(data), 512):
        try:
            out = decompressor.decompress(data[start : start + 512])  # at most ~0.5 MB
        except zlib.error:
            return
        if out:
            yield out


def line_batches(chunks: Iterator[bytes], on_lost: OnLost) -> Iterator[tuple[int, list[str]]]:
    """``(number of the first line, lines)`` per chunk, over-long lines taken out.

    Lines are the bytes decoded as latin-1 (one character per byte, no failure): the
    fast paths of the line formats work on them directly, the slow paths encode them
    back to bytes. Over-long lines and a broken compressed stream go to ``on_lost``.
    """
    lineno = 1  # number of the next line
    pending = ""  # the unfinished last line of the previous chunk
    skipping = False  # inside an over-long line: drop everything up to its newline
    bom = True  # a UTF-8 byte order mark may start the file
    try:
        for chunk in chunks:
            if bom and chunk:
                bom = False
                chunk = chunk.removeprefix(b"\xef\xbb\xbf")
            if skipping:
                end = chunk.find(b"\n")
                if end < 0:
                    continue
                chunk = chunk[end + 1 :]
                skipping = False
            text = chunk.decode("latin-1")
            lines = (pending + text if pending else text).split("\n")
            pending = lines.pop()
            if lines:
                if max(map(len, lines)) <= MAX_LINE:
                    yield lineno, lines
                else:
                    yield from _split_long(lineno, lines, on_lost)
                lineno += len(lines)
            if len(pending) > MAX_LINE:
                on_lost(lineno, "line too long", pending)
                lineno += 1
                pending = ""
                skipping = True
    except StreamError as error:
        # the bytes after the last newline are a line cut short: report it once
        on_lost(lineno, error.reason, error.text or pending)
        return
    if pending:
        yield lineno, [pending]


def _split_long(lineno: int, lines: list[str], on_lost: OnLost):
    start = 0
    for index, line in enumerate(lines):
        if len(line) > MAX_LINE:
            if index > start:
                yield lineno + start, lines[start:index]
            on_lost(lineno + index, "line too long", line)
            start = index + 1
    if start < len(lines):
        yield lineno + start, lines[start:]
