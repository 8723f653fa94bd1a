"""Read route files (YAML, TOML, JSON) into plain data that remembers line numbers.

:func:`read_document` is the only entry point. The format comes from the file
extension. Every problem is a :class:`~routecli.errors.RouteError` located at
``file:line`` when the line is known.

YAML is read as plain data only: the node tree is composed by PyYAML (the C
loader when available) and turned into dicts, lists and scalars here, so no
object is ever constructed from a tag. Scalars keep PyYAML's safe (YAML 1.1)
resolution, so ``on``/``off``/``yes``/``no`` are booleans; timestamps are kept
as the text written; anchors, aliases and ``<<`` merge keys work; any other
tag, a duplicate key, a recursive alias or a second document is an error.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from routecli.errors import RouteError

# Extension (lower case) -> format name.
FORMATS = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json"}
SUPPORTED_EXTENSIONS = ".yaml, .yml, .toml or .json"

KeyPath = tuple  # ("routes", 3, "methods"): mapping keys and list indexes


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


def _loc(path: str, line: int | None) -> str:
    return f"{path}:{line}" if line else path


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def read_document(path: str) -> Document:
    """Read and parse one route file; raise RouteError (and nothing else) when it is unusable."""
    try:
        return _read_document(path)
    except RouteError:
        raise
    except RecursionError:
        raise RouteError("the file is nested too deeply to be a route file", str(path)) from None
    except MemoryError:
        raise RouteError("the file is too large to load", str(path)) from None
    except Exception as exc:  # noqa: BLE001 - a loader bug must still reach the user as one line
        message = _one_line(f"cannot read route file: {type(exc).__name__}: {exc}")
        raise RouteError(message, str(path)) from None


def _read_document(path: str) -> Document:
    fmt = FORMATS.get(os.path.splitext(path)[1].lower())
    raw = _read_bytes(path)
    if fmt is None:
        ext = os.path.splitext(path)[1]
        what = f"file type {ext!r}" if ext else "file without an extension"
        raise RouteError(f"unsupported {what}: route files end in {SUPPORTED_EXTENSIONS}", path)
    text = _decode(raw, path)
    if not text.strip():
        raise RouteError("no routes: the file is empty", path)
    if fmt == "yaml":
        doc = _load_yaml(text, path)
    elif fmt == "toml":
        doc = _load_toml(text, path)
    else:
        doc = _load_json(text, path)
    data = doc.data
    if data is None or (fmt == "toml" and data == {}):
        raise RouteError("no routes: the file is empty (nothing but comments)", path)
    if not isinstance(data, dict):
        raise RouteError(
            f"the top level must be a mapping with a 'routes' key, got {describe(data)}",
            _loc(path, doc.line_of((0,)) if isinstance(data, list) else None),
        )
    return doc


MAX_FILE_BYTES = 1 << 30  # a route file larger than 1 GiB is surely not one


def _read_bytes(path: str) -> bytes:
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
        raise RouteError(_one_line(f"cannot read the file: {exc.strerror or exc}"), path) from None


def _decode(raw: bytes, path: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RouteError("the file is UTF-16 encoded: save it as UTF-8", path)
    nul = raw.find(b"\x00")
    if nul != -1:
        raise RouteError("binary file (it contains NUL bytes), not a route file", path)
    try:
        # utf-8-sig: a leading byte-order mark is accepted and dropped.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise RouteError(
            f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at column {column}; "
            "save the file as UTF-8",
            _loc(path, line),
        ) from None


class _LineIndex:
    """Offset -> 1-based line number, for formats whose parsers report no positions."""

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        self.starts = [0]
        self.starts.extend(m.end() for m in re.finditer("\n", text))

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset)


# --------------------------------------------------------------------------------------- YAML

_YAML = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_YAML + t for t in ("str", "int", "float", "bool", "null"))
_TIMESTAMP, _MERGE, _SEQ, _MAP = (_YAML + t for t in ("timestamp", "merge", "seq", "map"))


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


def _load_yaml(text: str, path: str) -> Document:
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    loader = loader_class(text)
    try:
        if not loader.check_node():
            return Document(path, None, "yaml")
        node = loader.get_node()
        if loader.check_node():
            # The C loader has consumed the second document's start; the pure one has not.
            if isinstance(loader.peek_event(), yaml.DocumentStartEvent):
                loader.get_event()
            mark = loader.peek_event().start_mark
            raise RouteError(
                "a route file holds one YAML document, found a second one",
                _loc(path, mark.line + 1),
            )
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, path) from None
    finally:
        loader.dispose()
    lines: dict[KeyPath, int] = {}
    builder = _YamlBuilder(path, lines, yaml.constructor.SafeConstructor(), yaml.nodes)
    data = builder.build(node, ())
    return Document(path, data, "yaml", lines)


def _yaml_error(exc: Exception, text: str, path: str) -> RouteError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem is None:
        # ReaderError (bad characters) has a character offset and a reason instead.
        problem = getattr(exc, "reason", None) or str(exc)
    message = f"invalid YAML: {_one_line(problem)}"
    if context:
        message += f" ({_one_line(context)})"
    line = None
    if mark is not None:
        line = mark.line + 1
        message += f" at column {mark.column + 1}"
    elif isinstance(getattr(exc, "position", None), int):
        line = text.count("\n", 0, exc.position) + 1
    return RouteError(message, _loc(path, line))


class _YamlBuilder:
    """Composed YAML nodes -> plain data, recording the line of every key and list item."""

    def __init__(self, path: str, lines: dict[KeyPath, int], constructor: Any, nodes: Any) -> None:
        self.path = path
        self.lines = lines
        self.constructor = constructor
        self.ScalarNode = nodes.ScalarNode
        self.SequenceNode = nodes.SequenceNode
        self.MappingNode = nodes.MappingNode
        # Aliases share node objects: build each once (no alias "billion laughs" blow-up)
        # and record lines only under the first path that reaches it.
        self.built: dict[int, Any] = {}
        self.active: set[int] = set()

    def error(self, message: str, node: Any) -> RouteError:
        return RouteError(message, _loc(self.path, node.start_mark.line + 1))

    def build(self, node: Any, keys: KeyPath) -> Any:
        if isinstance(node, self.ScalarNode):
            return self.scalar(node)
        ident = id(node)
        if ident in self.built:
            return self.built[ident]
        if ident in self.active:
            raise self.error("recursive YAML alias: a value cannot contain itself", node)
        self.active.add(ident)
        if isinstance(node, self.SequenceNode):
            if node.tag != _SEQ:
                raise self.unsupported_tag(node)
            value: Any = []
            for index, item in enumerate(node.value):
                item_keys = keys + (index,)
                self.lines.setdefault(item_keys, item.start_mark.line + 1)
                value.append(self.build(item, item_keys))
        else:
            if node.tag != _MAP:
                raise self.unsupported_tag(node)
            value = self.mapping(node, keys)
        self.active.discard(ident)
        self.built[ident] = value
        return value

    def mapping(self, node: Any, keys: KeyPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        merges = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE and isinstance(key_node, self.ScalarNode):
                merges.append((key_node, value_node))
                continue
            if not isinstance(key_node, self.ScalarNode):
                kind = "list" if isinstance(key_node, self.SequenceNode) else "mapping"
                raise self.error(f"a mapping key must be a plain value, not a {kind}", key_node)
            key = self.scalar(key_node)
            line = key_node.start_mark.line + 1
            if key in first_line:
                raise self.error(
                    f"duplicate key {key!r} (first defined at line {first_line[key]})", key_node
                )
            first_line[key] = line
            self.lines.setdefault(keys + (key,), line)
            result[key] = self.build(value_node, keys + (key,))
        # "<<" merge keys: explicit keys win, then earlier merged mappings win.
        for key_node, value_node in merges:
            line = key_node.start_mark.line + 1
            sources = (
                value_node.value if isinstance(value_node, self.SequenceNode) else [value_node]
            )
            for source in sources:
                if not isinstance(source, self.MappingNode):
                    raise self.error("'<<' merges a mapping or a list of mappings", key_node)
                merged = self.build(source, keys)
                for key, value in merged.items():
                    if key not in result:
                        result[key] = value
                        self.lines.setdefault(keys + (key,), line)
        return result

    def scalar(self, node: Any) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag in (_TIMESTAMP, _MERGE):
            return node.value  # dates stay as written: route data is JSON-like
        constructor = self.constructor
        method = {
            _INT: constructor.construct_yaml_int,
            _FLOAT: constructor.construct_yaml_float,
            _BOOL: constructor.construct_yaml_bool,
            _NULL: constructor.construct_yaml_null,
        }.get(tag)
        if method is None:
            raise self.unsupported_tag(node)
        try:
            return method(node)
        except Exception:  # noqa: BLE001 - PyYAML raises assorted errors for bad explicit tags
            raise self.error(f"invalid {_short_tag(tag)} value {node.value!r}", node) from None

    def unsupported_tag(self, node: Any) -> RouteError:
        return self.error(
            f"unsupported YAML tag {_short_tag(node.tag)!r}: route files hold plain data only", node
        )


# --------------------------------------------------------------------------------------- TOML

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def _load_toml(text: str, path: str) -> Document:
    import tomllib

    try:
        data = tomllib.loads(text)
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
        raise RouteError(f"invalid TOML: {_one_line(message)}", _loc(path, line)) from None
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
        _TomlScanner(text, lines).scan()

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
    index = _LineIndex(text)
    for number, offset in enumerate(starts):
        line = index.line(offset)
        if number == 0:
            lines[("routes",)] = line
        lines[("routes", number)] = line
    return True


# Inside strings, characters that would look like structure are masked so that the
# structural scan never mistakes `[[routes]]` or `key =` in a string for the real thing.
_TOML_MASK = str.maketrans({c: "_" for c in "[]{}=#,.\"'\\"})
# Compiled on first use (re caches it): YAML and JSON users do not pay for it.
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


class _TomlScanner:
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
        self.index = _LineIndex(self.text)
        self.lines = lines
        self.array_count: dict[KeyPath, int] = {}
        self.array_last: dict[KeyPath, int] = {}

    def scan(self) -> None:
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


# --------------------------------------------------------------------------------------- JSON

_JSON_SPACE = re.compile(r"[ \t\n\r]*")


class _DuplicateKey(Exception):
    pass


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey
    return result


def _load_json(text: str, path: str) -> Document:
    import json

    try:
        data = json.loads(text, object_pairs_hook=_unique_pairs)
    except json.JSONDecodeError as exc:
        raise RouteError(
            f"invalid JSON: {exc.msg} at column {exc.colno}", _loc(path, exc.lineno)
        ) from None
    except ValueError as exc:  # Python refuses integers of more than 4300 digits
        digits = re.search(r"\d{4301,}", text)
        line = text.count("\n", 0, digits.start()) + 1 if digits else None
        raise RouteError(f"a number too long to read ({_one_line(str(exc)).split(':')[0]})",
                         _loc(path, line)) from None
    except _DuplicateKey:
        data = None
        duplicate = _JsonIndex(text, {}).find_duplicate()
        if duplicate is not None:
            key, line, first = duplicate
            raise RouteError(
                f"duplicate key {key!r} (first defined at line {first})", _loc(path, line)
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
            raise RouteError(f"{format_key_path(where)}: a lone surrogate escape "
                             "(\\ud800-\\udfff) is not text", _loc(path, document.line_of(where)))
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


def format_key_path(keys: KeyPath) -> str:
    """("routes", 3, "rule") → "routes[3].rule"."""
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
        import json

        self.text = text
        self.lines = lines
        self.decode = json.JSONDecoder().raw_decode
        self.index = _LineIndex(text)
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
