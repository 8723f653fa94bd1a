"""Text as other tools save it, made the UTF-8, newline-ended text the line readers take
(access logs, docs/coverage.md#input; request lists, docs/match.md#batch):

- UTF-16 or UTF-32 with a byte-order mark (Windows' "Unicode" and PowerShell's ``>``)
  is decoded; without a mark it stays bytes (and its NULs make it binary data).
- CR-only line ends (classic Mac OS) are line ends when the first block that holds a line
  end (the first chunk read, for a file) holds a ``"\\r"`` and no ``"\\n"``. Otherwise lines
  end at ``"\\n"`` only, and a stray ``"\\r"`` is inside a line, so line numbers stay those
  of ``wc -l``.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator

# UTF-32 first: its little-endian mark starts with UTF-16's
_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def marked_encoding(start: bytes) -> str | None:
    """``"utf-16"`` or ``"utf-32"`` when ``start`` begins with its byte-order mark."""
    for mark, encoding in _MARKS:
        if start.startswith(mark):
            return encoding
    return None


def cr_line_ends(block: bytes | str) -> bool:
    """Whether text starting with ``block`` ends its lines with a lone ``"\\r"``."""
    cr, lf = ("\r", "\n") if isinstance(block, str) else (b"\r", b"\n")
    return cr in block and lf not in block


def utf8_lines(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """``chunks`` of text as UTF-8 chunks whose lines end with ``"\\n"``."""
    first = b""
    for chunk in chunks:
        first += chunk
        if len(first) >= 4:  # a byte-order mark is told
            break
    if not first:
        return
    encoding = marked_encoding(first)
    text = _chain(first, chunks)
    yield from _newlines(_recoded(text, encoding) if encoding else text)


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _recoded(chunks: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    decoder = codecs.getincrementaldecoder(encoding)("replace")  # drops the mark
    for chunk in chunks:
        if text := decoder.decode(chunk):
            yield text.encode("utf-8")
    if text := decoder.decode(b"", True):
        yield text.encode("utf-8")


def _newlines(chunks: Iterator[bytes]) -> Iterator[bytes]:
    held = b""  # a "\r" ending a chunk: "\r\n" or a line end, the next chunk tells
    for chunk in chunks:
        chunk = held + chunk
        held = b""
        if b"\n" in chunk:
            yield chunk  # newline line ends: the rest as it is
            yield from chunks
            return
        if b"\r" in chunk[:-1]:
            yield chunk.replace(b"\r", b"\n")
            for rest in chunks:  # CR line ends ("\r\n" too, should one come later)
                yield rest.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            return
        if chunk.endswith(b"\r"):
            chunk, held = chunk[:-1], b"\r"
        if chunk:
            yield chunk
    if held:
        yield b"\n"
