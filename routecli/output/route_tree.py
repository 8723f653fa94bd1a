"""Routes grouped by path prefix, for reports that show the table as a tree.

A route sits in the node of its parent path: ``/blog/posts/<id>`` under ``/blog/posts/``,
``/about`` under ``/``. A node without routes of its own and with a single child is merged
into that child (``/api/`` + ``v1/`` is one node ``/api/v1/``), so deep prefixes do not
nest for nothing. Works on any rule syntax: a ``/`` inside ``<...>``, ``{...}`` or
``(...)`` (a converter's arguments) does not split a segment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

_OPEN, _CLOSE = "<{(", ">})"


def segments(rule: str) -> list[str]:
    """``/blog/<path(a/b):p>/x`` -> ``["blog", "<path(a/b):p>", "x"]``; a trailing slash
    gives a last empty segment (``/blog/`` -> ``["blog", ""]``)."""
    parts, current, depth = [], [], 0
    for char in rule[1:] if rule.startswith("/") else rule:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
        if char == "/" and not depth:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


@dataclass
class PrefixNode:
    """A path prefix (``/blog/``), the routes directly under it, and the longer
    prefixes, both in the order the table first names them."""

    prefix: str
    routes: list[Mapping[str, Any]] = field(default_factory=list)
    children: list[PrefixNode] = field(default_factory=list)

    def walk(self) -> Iterable[Mapping[str, Any]]:
        """Every route in this subtree: its own first, then each child's."""
        yield from self.routes
        for child in self.children:
            yield from child.walk()

    def count(self) -> int:
        return sum(1 for _ in self.walk())


def route_tree(routes: Iterable[Mapping[str, Any]]) -> PrefixNode:
    """The tree of ``routes`` (mappings with a ``"rule"``), rooted at ``/``."""
    root = PrefixNode("/")
    by_prefix = {"/": root}
    for route in routes:
        node = root
        prefix = "/"
        for segment in segments(route["rule"])[:-1]:
            prefix += segment + "/"
            child = by_prefix.get(prefix)
            if child is None:
                child = by_prefix[prefix] = PrefixNode(prefix)
                node.children.append(child)
            node = child
        node.routes.append(route)
    return _merged(root)


def _merged(node: PrefixNode) -> PrefixNode:
    node.children = [_merged(child) for child in node.children]
    if node.prefix != "/" and not node.routes and len(node.children) == 1:
        return node.children[0]
    return node
