"""Access-log bytes as batches of lines: files, standard input, gzip, and the line cap.

Files are read as bytes in chunks of ``CHUNK``. A file or standard input that starts with
the gzip magic bytes ``1f 8b`` is decompressed on the fly (several concatenated members are
fine); the file name does not matter. bzip2, xz and zstd data are not read: such a file
is one lost line, ``unsupported compression (xz)``. A UTF-8 byte order mark is dropped;
UTF-16 or UTF-32 text with its byte order mark is read as UTF-8, and CR-only line ends are
made newlines (:mod:`routecli.coverage.text_input`). Lines end with ``\\n`` and are handed
out decoded as latin-1 (one character per byte).
A line over ``MAX_LINE`` bytes is lost as ``line too long`` (the rest of it is skipped
unread). A damaged gzip stream ends the file and is lost once, as one line holding the
bytes after the last complete line: ``truncated gzip data``, ``corrupt gzip data``,
``corrupt gzip data (checksum mismatch)`` (the data decoded to its end, and is kept as
zcat keeps it, but its CRC-32 or size is not the one recorded: some of it may be wrong)
or ``trailing garbage after gzip data``. Memory stays flat: one chunk and at most one
partial line are held at a time. A missing or unreadable file raises
:class:`routecli.errors.RouteError`.

Hostile input ends an input early, lost once as one line (docs/coverage.md#input): gzip
data expanding over ``BOMB_RATIO``:1 in a window of ``BOMB_WINDOW`` output bytes is a
decompression bomb (``gzip data expands over 100:1``); an input that may never end
(standard input, a pipe, a device: not a regular file) going ``MAX_RUN`` bytes without a
newline is not text (``no line end in 16 MiB``). A regular file is finite, so an over-long
line in it is skipped however long it runs.
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
MAX_RUN = 16 * 1024 * 1024  # an endless input this long without a newline is not text
# Real access logs compress 5-50:1; a bomb (1 MB -> 1 GiB of newlines) expands ~1000:1 at
# gzip -6/-9 but only ~230:1 at -1..-3, hence 100. Judged per window of output, so a bomb
# appended to a real log is caught too.
BOMB_RATIO = 100
BOMB_WINDOW = 1024 * 1024  # decompressed bytes per judged window

_GZIP_MAGIC = b"\x1f\x8b"
_UNSUPPORTED_MAGIC = {
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"\x28\xb5\x2f\xfd": "zstd",
}

Read = Callable[[int], bytes]
# (line number, reason, the line or what to show instead) for a line that holds no data
OnLost = Callable[[int, str, str], None]
# (text, end or None for all of it) -> one item per line of text[:end] (line_batches)
Scan = Callable[[str, "int | None"], list]


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


def open_inputs(paths: list[str]) -> Iterator[tuple[str, Read, bool]]:
    """``(name, read, endless)`` per path in order, each file open only while it is being
    read; ``endless`` for an input that may never end (not a regular file)."""
    for path in paths:
        if path == "-":
            stdin = getattr(sys.stdin, "buffer", None)
            if stdin is None:
                raise RouteError("standard input is not available", source="<stdin>")
            yield "<stdin>", getattr(stdin, "read1", None) or stdin.read, may_be_endless(stdin)
            continue
        try:
            file = open(path, "rb", buffering=0)  # noqa: SIM115 - closed below
        except OSError as error:
            raise RouteError(
                f"cannot read log file: {error.strerror or error}", source=path
            ) from None
        with file:
            yield path, file.read, may_be_endless(file)


def may_be_endless(stream) -> bool:
    """Whether ``stream`` may never end: anything but a regular file (a pipe, a device)."""
    try:
        return not stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (AttributeError, OSError, ValueError):
        return True  # no file descriptor (a test's stream): assume the worst


class StreamError(Exception):
    """A compressed stream that cannot be read further; ``reason`` says why."""

    def __init__(self, reason: str, text: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.text = text  # what to show instead of the cut line, if anything


def is_compressed(start: bytes) -> bool:
    """Whether data starting with ``start`` (6 bytes or more) is compressed (gzip, or one
    of the formats not read)."""
    return start.startswith(_GZIP_MAGIC) or any(
        start.startswith(magic) for magic in _UNSUPPORTED_MAGIC)


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
    from routecli.coverage.text_input import utf8_lines

    raw = _raw_chunks(name, read, on_bytes, first)
    # UTF-16 with its byte-order mark, CR-only line ends: gzipped or not
    return utf8_lines(_gunzip(raw) if first.startswith(_GZIP_MAGIC) else raw)


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
    window_in = window_out = 0  # compressed bytes consumed, bytes out, in this window
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
            except zlib.error as error:
                # "incorrect data check" / "incorrect length check": the member decoded
                # to its end (kept, as zcat prints it) but its CRC-32 or size differs
                checksum = str(error).endswith(("incorrect data check",
                                                "incorrect length check"))
                if not started and not checksum:
                    raise StreamError("trailing garbage after gzip data") from None
                yield from _salvage(saved, data, whole=checksum)
                raise StreamError("corrupt gzip data (checksum mismatch)" if checksum
                                  else "corrupt gzip data") from None
            started = True
            rest = decompressor.unused_data if decompressor.eof else decompressor.unconsumed_tail
            window_in += len(data) - len(rest)
            window_out += len(out)
            if window_out >= BOMB_WINDOW:
                if window_out > BOMB_RATIO * window_in:
                    raise StreamError(f"gzip data expands over {BOMB_RATIO}:1")
                window_in = window_out = 0
            if out:
                yield out
            data = rest
    if not decompressor.eof:
        try:
            rest = decompressor.flush()  # output still held back, if any
        except zlib.error:
            rest = b""
        if rest:
            yield rest
        if not decompressor.eof:
            raise StreamError("truncated gzip data")


def _salvage(decompressor, data: bytes, whole: bool = False) -> Iterator[bytes]:
    """What ``data`` decompresses to before its corrupt part, fed in small slices. With
    ``whole`` (the data decoded to its end, only its checksum failed), the slice the
    error is in is fed again byte by byte: zlib keeps no output of a failing call, and
    the lines that slice holds would be lost without a word."""
    for start in range(0, len(data), 512):
        saved = decompressor.copy()
        try:
            out = decompressor.decompress(data[start : start + 512])  # at most ~0.5 MB
        except zlib.error:
            if not whole:
                return
            for index in range(start, min(start + 512, len(data))):
                try:
                    out = saved.decompress(data[index : index + 1])
                except zlib.error:
                    return
                if out:
                    yield out
            return
        if out:
            yield out


def line_batches(chunks: Iterator[bytes], on_lost: OnLost, max_run: int | None = None,
                 bom: bool = True, scan: Scan | None = None) -> Iterator[tuple[int, list]]:
    """``(number of the first line, lines)`` per chunk, over-long lines taken out.

    Lines are the bytes decoded as latin-1 (one character per byte, no failure): the
    fast paths of the line formats work on them directly, the slow paths encode them
    back to bytes. Over-long lines and a broken compressed stream go to ``on_lost``.
    With ``max_run``, an over-long line still without a newline after ``max_run`` bytes
    ends the input, lost as ``no line end in N MiB``.

    With ``scan``, a batch is ``scan(text, end)`` instead of its lines: one item per line
    of ``text[:end]``, the lines joined by newlines, which is the decoded chunk itself
    whenever no line is too long (nothing split, joined or copied).
    """
    lineno = 1  # number of the next line
    pending = ""  # the unfinished last line of the previous chunk
    skipping = False  # inside an over-long line: drop everything up to its newline
    skipped = 0  # bytes of the over-long line seen so far
    # a UTF-8 byte order mark may start the file (not a part of it: ``bom`` False)
    try:
        for chunk in chunks:
            if bom and chunk:
                bom = False
                chunk = chunk.removeprefix(b"\xef\xbb\xbf")
            if skipping:
                end = chunk.find(b"\n")
                if end < 0:
                    skipped += len(chunk)
                    if max_run is not None and skipped > max_run:
                        on_lost(lineno, f"no line end in {max_run // (1024 * 1024)} MiB",
                                pending)
                        return
                    continue
                chunk = chunk[end + 1 :]
                skipping = False
                _lose_long(on_lost, lineno, pending)
                lineno += 1
                pending = ""
            text = chunk.decode("latin-1")
            if pending:
                text = pending + text
            if scan is not None and (end := text.rfind("\n")) >= 0 and _lines_fit(text, end):
                pending = text[end + 1 :]
                scanned = scan(text, end)
                yield lineno, scanned
                lineno += len(scanned)
            else:
                lines = text.split("\n")
                pending = lines.pop()
                if lines:
                    if max(map(len, lines)) <= MAX_LINE:
                        yield lineno, _scanned(lines, scan)
                    else:
                        for start, batch in _split_long(lineno, lines, on_lost):
                            yield start, _scanned(batch, scan)
                    lineno += len(lines)
            if len(pending) > MAX_LINE:
                # reported once its end (or the input's) is found; only its start is kept
                pending = pending[: MAX_LINE + 1]
                skipped = len(pending)
                skipping = True
    except StreamError as error:
        if skipping:
            _lose_long(on_lost, lineno, pending)
            lineno += 1
            pending = ""
        # the bytes after the last newline are a line cut short: report it once
        on_lost(lineno, error.reason, error.text or pending)
        return
    if skipping:
        _lose_long(on_lost, lineno, pending)
    elif pending:
        yield lineno, _scanned([pending], scan)


def _lines_fit(text: str, end: int) -> bool:
    """Whether no line of ``text[:end]`` is over MAX_LINE, without splitting it: every
    aligned window of MAX_LINE / 2 characters holds a newline (a longer line would cover
    one). False may be wrong (a line of 33-64 KiB): the caller then splits and measures."""
    step = MAX_LINE // 2
    find = text.find
    return all(find("\n", start, start + step) >= 0
               for start in range(0, end - step + 1, step))


def _scanned(lines: list[str], scan: Scan | None) -> list:
    return lines if scan is None else scan("\n".join(lines), None)


def _lose_long(on_lost: OnLost, lineno: int, start: str) -> None:
    on_lost(lineno, "line too long", start)


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


def range_chunks(file, start: int, end: int, on_bytes: Callable[[int], None]
                 ) -> Iterator[bytes]:
    """The bytes of the lines of an uncompressed regular ``file`` that start in the byte
    range ``[start, end)``, in chunks: from the first line start at or after ``start``
    through the end of the line holding byte ``end - 1``. Consecutive ranges cover every
    line exactly once, so files can be read in parts on several cores."""
    if start > 0:  # skip to the start of the first line starting in the range
        file.seek(start - 1)
        position = start - 1 + sum(map(len, _through_newline(file, on_bytes)))
        if position >= end:
            return  # one line runs through the whole range: the previous range's
        file.seek(position)
    else:
        position = 0
    last = b"\n"
    while position < end:
        data = file.read(min(CHUNK, end - position))
        if not data:
            return
        on_bytes(len(data))
        position += len(data)
        last = data[-1:]
        yield data
    if last != b"\n":  # the last line runs on past the range: finish it
        yield from _through_newline(file, on_bytes)


def _through_newline(file, on_bytes: Callable[[int], None]) -> Iterator[bytes]:
    """The file's bytes from where it stands through the next newline (or its end)."""
    while data := file.read(CHUNK):
        on_bytes(len(data))
        newline = data.find(b"\n")
        if newline >= 0:
            yield data[: newline + 1]
            return
        yield data
