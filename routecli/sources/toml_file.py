"""The TOML reader: TOML text -> a :class:`~routecli.sources.route_file.Document`.

``tomllib`` parses and reports no positions, so lines are found by scanning the text
(docs/sources.md#toml-and-json): on first use, and only as far as needed. Route starts
come from a cheap ``[[routes]]`` header search; :class:`TomlLineScanner` walks the whole
text only when a deeper key's line is asked for (an error message). ``pyproject.toml`` is
read through :func:`load_toml` too (:mod:`routecli.sources.discover`).
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from routecli.errors import RouteError
from routecli.sources.route_file import (
    MAX_INT_DIGITS,
    Document,
    KeyPath,
    LineIndex,
    location,
    one_line,
)

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)\s*$")
_LONG_DIGITS = re.compile(rf"[0-9][0-9_]{{{MAX_INT_DIGITS},}}")


def load_toml(text: str, path: str) -> Document:
    """Parse TOML text; RouteError (at its line) when tomllib refuses it."""
    try:
        data = tomllib.loads(text)
    except RecursionError:  # tomllib recurses once per nesting level
        raise RouteError("the file is nested too deeply to read", path) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = None
        position = _TOML_POSITION.search(message)
        if position:
            line = int(position.group(1))
            message = f"{message[: position.start()]} at column {position.group(2)}"
        elif _TOML_AT_END.search(message):
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
            message = f"{message[: _TOML_AT_END.search(message).start()]} at the end of the file"
        raise RouteError(f"invalid TOML: {one_line(message)}", location(path, line)) from None
    except ValueError:  # int() refuses a decimal integer beyond Python's printing bound
        run = _LONG_DIGITS.search(text)
        line = text.count("\n", 0, run.start()) + 1 if run else None
        raise RouteError(f"the integer is too large: more than {MAX_INT_DIGITS:,} digits",
                         location(path, line)) from None
    lines: dict[KeyPath, int] = {}
    done: list[str] = []

    def expand(keys: KeyPath) -> None:
        # tomllib reports no positions: scan the text once, on first use. Route
        # starts (all that loading needs) usually come from a cheap header search;
        # the full scan runs only when a deeper key is asked for (an error message).
        if "full" in done:
            return
        if len(keys) <= 2 and keys[:1] == ("routes",) and "headers" not in done:
            done.append("headers")
            if _toml_route_headers(text, data, lines):
                return
        done.append("full")
        TomlLineScanner(text, lines).scan()

    return Document(path, data, "toml", lines, expand)


_ROUTES_HEADER = r"^[ \t]*\[\[[ \t]*routes[ \t]*\]\]"


def _toml_route_headers(text: str, data: Any, lines: dict[KeyPath, int]) -> bool:
    """Find each ``[[routes]]`` header line without the full scan, when that is safe:
    no multi-line strings (the only place a line could start with one inside a
    string) and exactly one header per route. Returns False to ask for the scan."""
    routes = data.get("routes") if isinstance(data, dict) else None
    if not isinstance(routes, list) or '"""' in text or "'''" in text:
        return False
    starts = [m.start() for m in re.finditer(_ROUTES_HEADER, text, re.MULTILINE)]
    if len(starts) != len(routes):
        return False
    index = LineIndex(text)
    for number, offset in enumerate(starts):
        line = index.line(offset)
        if number == 0:
            lines[("routes",)] = line
        lines[("routes", number)] = line
    return True


# Inside strings, characters that would look like structure are masked so that the
# structural scan never mistakes `[[routes]]` or `key =` in a string for the real thing.
_TOML_MASK = str.maketrans({c: "_" for c in "[]{}=#,.\"'\\"})
# Compiled on first use (re caches it): most TOML files never need the full scan.
_TOML_TOKEN = (
    (
        r'"""(?:\\.|[^"\\]|"{1,2}(?!"))*"{3,5}'  # multi-line basic string
        r"|'''(?:[^']|'{1,2}(?!'))*'{3,5}"  # multi-line literal string
        r'|"(?:[^"\\\n]|\\.)*"'  # basic string
        r"|'[^'\n]*'"  # literal string
        r"|#[^\n]*"  # comment
    ),
    re.DOTALL,
)


def _toml_mask(match: re.Match[str]) -> str:
    token = match.group()
    if token[0] == "#":
        return " " * len(token)
    quote = 3 if token[:3] in ('"""', "'''") else 1
    return token[:quote] + token[quote:-quote].translate(_TOML_MASK) + token[-quote:]


class _ScanError(Exception):
    pass


class TomlLineScanner:
    """Finds the line of tables, keys and array items in TOML text already accepted by tomllib."""

    _SPACE = re.compile(r"[ \t]*")
    _BLANK = re.compile(r"\s*")
    _BARE = re.compile(r"[^,\]}\n]*")
    _SIMPLE = re.compile(
        r"([A-Za-z0-9_-]+)[ \t]*=[ \t]*"
        r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\[{\"'][^\n,\]}]*)[ \t]*(?=\n|\Z)"
    )

    def __init__(self, text: str, lines: dict[KeyPath, int]) -> None:
        self.text = re.compile(*_TOML_TOKEN).sub(_toml_mask, text)
        self.index = LineIndex(self.text)
        self.lines = lines
        self.array_count: dict[KeyPath, int] = {}
        self.array_last: dict[KeyPath, int] = {}

    def scan(self) -> None:
        """Record the line of every table, key and array item found, best effort."""
        try:
            self._scan()
        except (_ScanError, ValueError, IndexError):
            pass  # keep what was found: lines are best-effort, the data is already parsed

    def record(self, keys: KeyPath, offset: int) -> None:
        self.lines.setdefault(keys, self.index.line(offset))

    @staticmethod
    def key_parts(text: str) -> tuple[str, ...]:
        return tuple(part.strip().strip("\"'") for part in text.split("."))

    def concrete(self, parts: tuple[str, ...]) -> KeyPath:
        # In a header, a name that is an array of tables means its latest element.
        out: KeyPath = ()
        for part in parts:
            out += (part,)
            if out in self.array_last:
                out += (self.array_last[out],)
        return out

    def _scan(self) -> None:
        text, n = self.text, len(self.text)
        base: KeyPath = ()
        pos = 0
        while True:
            pos = self._BLANK.match(text, pos).end()
            if pos >= n:
                return
            if text.startswith("[[", pos):
                end = text.index("]]", pos)
                parts = self.key_parts(text[pos + 2 : end])
                array = self.concrete(parts[:-1]) + parts[-1:]
                index = self.array_count.get(array, 0)
                self.array_count[array] = index + 1
                self.array_last[array] = index
                base = array + (index,)
                self.record(array, pos)
                self.record(base, pos)
                pos = end + 2
            elif text[pos] == "[":
                end = text.index("]", pos)
                base = self.concrete(self.key_parts(text[pos + 1 : end]))
                for k in range(1, len(base) + 1):
                    self.record(base[:k], pos)
                pos = end + 1
            else:
                simple = self._SIMPLE.match(text, pos)
                if simple:  # the common `key = "scalar"` line, without the general walk
                    self.record(base + (simple.group(1),), pos)
                    pos = simple.end()
                else:
                    pos = self.key_value(pos, base, "\n")

    def key_value(self, pos: int, base: KeyPath, stop: str) -> int:
        equals = self.text.index("=", pos)
        if stop in self.text[pos:equals]:
            raise _ScanError
        parts = self.key_parts(self.text[pos:equals])
        for k in range(1, len(parts) + 1):
            self.record(base + parts[:k], pos)
        return self.value(equals + 1, base + parts)

    def value(self, pos: int, keys: KeyPath) -> int:
        text = self.text
        pos = self._SPACE.match(text, pos).end()
        char = text[pos]
        if char == "[":
            pos += 1
            index = 0
            while True:
                pos = self._BLANK.match(text, pos).end()
                if text[pos] == "]":
                    return pos + 1
                self.record(keys + (index,), pos)
                pos = self._BLANK.match(text, self.value(pos, keys + (index,))).end()
                if text[pos] == ",":
                    pos += 1
                    index += 1
                elif text[pos] == "]":
                    return pos + 1
                else:
                    raise _ScanError
        if char == "{":
            pos += 1
            while True:
                pos = self._BLANK.match(text, pos).end()
                if text[pos] == "}":
                    return pos + 1
                pos = self._BLANK.match(text, self.key_value(pos, keys, "}")).end()
                if text[pos] == ",":
                    pos += 1
                elif text[pos] == "}":
                    return pos + 1
                else:
                    raise _ScanError
        if char in "\"'":
            if text.startswith(char * 3, pos):
                return text.index(char * 3, pos + 3) + 3
            return text.index(char, pos + 1) + 1
        return self._BARE.match(text, pos).end()
