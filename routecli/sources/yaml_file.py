"""The YAML reader: YAML text -> a :class:`~routecli.sources.route_file.Document` of plain data.

YAML is read as plain data only: the node tree is composed by PyYAML (the C
loader when available) and turned into dicts, lists and scalars here, so no
object is ever constructed from a tag. Scalars keep PyYAML's safe (YAML 1.1)
resolution, so ``on``/``off``/``yes``/``no`` are booleans; timestamps are kept
as the text written; anchors, aliases and ``<<`` merge keys work; any other
tag, a duplicate key, a recursive alias or a second document is an error
(docs/sources.md#toml-and-json).
"""

from __future__ import annotations

from typing import Any

import yaml

from routecli.errors import RouteError, quoted
from routecli.sources.route_file import Document, KeyPath, location, one_line

_YAML = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_YAML + t for t in ("str", "int", "float", "bool", "null"))
# The longest integer literal read: 0b and 14,300 bits is about as large as
# MAX_INT_DIGITS decimal digits (a larger value is refused by the schema anyway).
_MAX_INT_CHARS = 14_400
_TIMESTAMP, _MERGE, _SEQ, _MAP = (_YAML + t for t in ("timestamp", "merge", "seq", "map"))


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


def load_yaml(text: str, path: str) -> Document:
    """Parse one YAML document; RouteError (at its line) for anything but plain data."""
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
                location(path, mark.line + 1),
            )
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, path) from None
    finally:
        loader.dispose()
    lines: dict[KeyPath, int] = {}
    builder = _YamlBuilder(path, lines, yaml.constructor.SafeConstructor(), yaml.nodes,
                           expansion_limit(len(text)))
    data = builder.build(node, ())
    return Document(path, data, "yaml", lines)


def expansion_limit(text_chars: int) -> int:
    """How large the data of a YAML text of ``text_chars`` characters may be once its
    aliases are expanded: ample for aliases shared by many routes, but a "billion laughs"
    file (aliases of aliases) is refused before anything walks or prints its data."""
    return 1_000_000 + 10 * text_chars


def _yaml_error(exc: Exception, text: str, path: str) -> RouteError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem is None:
        # ReaderError (bad characters) has a character offset and a reason instead.
        problem = getattr(exc, "reason", None) or str(exc)
    message = f"invalid YAML: {one_line(problem)}"
    if context:
        message += f" ({one_line(context)})"
    line = None
    if mark is not None:
        line = mark.line + 1
        message += f" at column {mark.column + 1}"
    elif isinstance(getattr(exc, "position", None), int):
        line = text.count("\n", 0, exc.position) + 1
    return RouteError(message, location(path, line))


class _YamlBuilder:
    """Composed YAML nodes -> plain data, recording the line of every key and list item."""

    def __init__(self, path: str, lines: dict[KeyPath, int], constructor: Any, nodes: Any,
                 limit: int) -> None:
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
        # The size of the data with every alias expanded (a node or a scalar character
        # counts 1): what a consumer walking or serialising the data would pay.
        self.expanded = 0
        self.size: dict[int, int] = {}
        self.limit = limit

    def error(self, message: str, node: Any) -> RouteError:
        return RouteError(message, location(self.path, node.start_mark.line + 1))

    def build(self, node: Any, keys: KeyPath) -> Any:
        if isinstance(node, self.ScalarNode):
            self.expanded += 1 + len(node.value)
            if self.expanded > self.limit:
                raise self.too_large(keys, node)
            return self.scalar(node)
        ident = id(node)
        if ident in self.built:
            self.expanded += self.size[ident]
            if self.expanded > self.limit:
                raise self.too_large(keys, node)
            return self.built[ident]
        before = self.expanded
        self.expanded += 1
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
        self.size[ident] = self.expanded - before
        return value

    def too_large(self, keys: KeyPath, node: Any) -> RouteError:
        line = self.lines.get(keys) or node.start_mark.line + 1
        return RouteError(
            f"YAML aliases expand the data of this file beyond {self.limit:,} values and "
            "characters, the limit for its size (aliases nested in aliases, 'billion laughs')",
            location(self.path, line),
        )

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
        if tag == _INT and len(node.value) > _MAX_INT_CHARS:
            # PyYAML builds base-60 integers (1:2:3) in quadratic time: refuse before.
            raise self.error(f"the integer is too large: more than {_MAX_INT_CHARS:,} "
                             "characters", node)
        try:
            return method(node)
        except Exception:  # noqa: BLE001 - PyYAML raises assorted errors for bad explicit tags
            raise self.error(f"invalid {_short_tag(tag)} value {quoted(node.value)}",
                             node) from None

    def unsupported_tag(self, node: Any) -> RouteError:
        return self.error(
            f"unsupported YAML tag {_short_tag(node.tag)!r}: route files hold plain data only", node
        )
