"""The JSON reader: JSON text -> a :class:`~routecli.sources.route_file.Document`.

``json.loads`` parses (refusing duplicate object keys, docs/sources.md#toml-and-json);
lines are found lazily by :class:`_JsonIndex`, which walks only the containers on the way
to a requested key path. A lone surrogate escape (``\\ud800``) is refused, as YAML and
TOML refuse it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from routecli.errors import RouteError
from routecli.sources.route_file import Document, KeyPath, LineIndex, location, one_line

_JSON_SPACE = re.compile(r"[ \t\n\r]*")


class _DuplicateKey(Exception):
    pass


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey
    return result


def load_json(text: str, path: str) -> Document:
    """Parse JSON text; RouteError (at its line) for invalid JSON or a duplicate key."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_pairs)
    except json.JSONDecodeError as exc:
        raise RouteError(
            f"invalid JSON: {exc.msg} at column {exc.colno}", location(path, exc.lineno)
        ) from None
    except ValueError as exc:  # Python refuses integers of more than 4300 digits
        digits = re.search(r"\d{4301,}", text)
        line = text.count("\n", 0, digits.start()) + 1 if digits else None
        raise RouteError(f"a number too long to read ({one_line(str(exc)).split(':')[0]})",
                         location(path, line)) from None
    except _DuplicateKey:
        data = None
        duplicate = _JsonIndex(text, {}).find_duplicate()
        if duplicate is not None:
            key, line, first = duplicate
            raise RouteError(
                f"duplicate key {key!r} (first defined at line {first})", location(path, line)
            ) from None
        raise RouteError("duplicate key in a JSON object", path) from None
    lines: dict[KeyPath, int] = {}
    index = _JsonIndex(text, lines)
    document = Document(path, data, "json", lines, index.expand_for)
    if "\\u" in text and re.search(r"\\u[dD][89a-fA-F]", text):
        # JSON can spell half of a surrogate pair (\ud800), which no UTF-8 text holds;
        # YAML and TOML refuse it, so JSON must too.
        where = _lone_surrogate(data, ())
        if where is not None:
            raise RouteError(f"{_key_path_text(where)}: a lone surrogate escape "
                             "(\\ud800-\\udfff) is not text",
                             location(path, document.line_of(where)))
    return document


def _lone_surrogate(value: Any, keys: KeyPath) -> KeyPath | None:
    """The key path of the first string (key or value) holding a lone surrogate."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return keys
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _lone_surrogate(key, keys) or _lone_surrogate(item, keys + (key,))
            if found is not None:
                return found
    elif isinstance(value, list):
        for number, item in enumerate(value):
            found = _lone_surrogate(item, keys + (number,))
            if found is not None:
                return found
    return None


def _key_path_text(keys: KeyPath) -> str:
    """("routes", 3, "rule") → "routes[3].rule"; () → "the document"."""
    out = ""
    for key in keys:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out or "the document"


class _JsonIndex:
    """Lazily finds lines of JSON values by walking containers with ``raw_decode``.

    The C scanner does the parsing; only the containers on the way to a requested key
    path are walked, so a line lookup never costs more than a few re-parses.
    """

    def __init__(self, text: str, lines: dict[KeyPath, int]) -> None:
        self.text = text
        self.lines = lines
        self.decode = json.JSONDecoder().raw_decode
        self.index = LineIndex(text)
        root = _JSON_SPACE.match(text).end()
        self.containers: dict[KeyPath, int] = {}
        if root < len(text) and text[root] in "[{":
            self.containers[()] = root
        self.expanded: set[KeyPath] = set()

    def expand_for(self, keys: KeyPath) -> None:
        try:
            for n in range(len(keys)):
                prefix = keys[:n]
                if prefix not in self.expanded:
                    offset = self.containers.get(prefix)
                    if offset is None:
                        return
                    self.expanded.add(prefix)
                    for key, key_offset, value_offset, _ in self.children(offset):
                        child = prefix + (key,)
                        self.lines.setdefault(child, self.index.line(key_offset))
                        if self.text[value_offset] in "[{":
                            self.containers[child] = value_offset
                if keys[: n + 1] not in self.lines:
                    return
        except (ValueError, IndexError):
            return  # best-effort: the data itself was parsed by json.loads

    def children(self, offset: int):
        """Yield (key or index, key offset, value offset, value end) of the container at offset."""
        text, decode, space = self.text, self.decode, _JSON_SPACE
        is_object = text[offset] == "{"
        closing = "}" if is_object else "]"
        pos = space.match(text, offset + 1).end()
        if text[pos] == closing:
            return
        index = 0
        while True:
            key_offset = pos
            if is_object:
                key, pos = decode(text, pos)
                pos = space.match(text, pos).end()
                if text[pos] != ":":
                    raise ValueError("expected ':'")
                pos = space.match(text, pos + 1).end()
            else:
                key = index
            value_offset = pos
            _, pos = decode(text, pos)
            yield key, key_offset, value_offset, pos
            pos = space.match(text, pos).end()
            if text[pos] == ",":
                pos = space.match(text, pos + 1).end()
                index += 1
            elif text[pos] == closing:
                return
            else:
                raise ValueError(f"expected ',' or {closing!r}")

    def find_duplicate(self) -> tuple[str, int, int] | None:
        """The first duplicate object key as (key, line, line of the first one), if any."""
        try:
            stack = [self.containers[()]] if () in self.containers else []
            while stack:
                offset = stack.pop()
                seen: dict[Any, int] = {}
                is_object = self.text[offset] == "{"
                found = []
                for key, key_offset, value_offset, _ in self.children(offset):
                    if is_object:
                        line = self.index.line(key_offset)
                        if key in seen:
                            return key, line, seen[key]
                        seen[key] = line
                    if self.text[value_offset] in "[{":
                        found.append(value_offset)
                stack.extend(reversed(found))
        except (ValueError, IndexError):
            pass
        return None
