"""The shape of an unmatched (404) request, and a bounded count of shapes.

A 404's decoded path becomes a *shape* segment by segment (see :func:`shape`): numbers
become ``<int>``, UUIDs ``<uuid>``, long hex strings ``<hex>``, long random-looking tokens
``<str>``; a file extension is kept (``<int>.json``). The query string is not part of the
shape. Shapes are counted with at most three example targets each (as logged, cut to 200
characters). The shape table is bounded (:class:`ShapeCounter`): it holds at most
``2 * max_shapes`` shapes; when it is full the ``max_shapes`` most frequent are kept and
the counts of the others move to ``unmatched_other``, so ``sum(unmatched counts) +
unmatched_other == status["404"]`` always holds. A shape seen steadily is never dropped;
one that was dropped and comes back starts again from zero (its count is then a lower
bound).
"""

from __future__ import annotations

import re

MAX_SHAPES = 1000  # unmatched shapes kept (the table holds at most twice as many)
EXAMPLES = 3  # example targets kept per shape
EXAMPLE_CHARS = 200  # an example target is cut to this many characters
SHAPE_CHARS = 200  # a shape is cut to this many characters


# One pass over the whole path: a segment (between slashes) that is entirely one of these
# is replaced; every other segment is kept as it is.
_SEGMENTS = re.compile(
    r"""(?<=/)(?:
        (?P<long>[^/]{65,})
      | (?:
            (?P<int>-?[0-9]+)
          | (?P<float>-?[0-9]+\.[0-9]+)
          | (?P<uuid>[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12})
          | (?P<hex>(?=[A-Fa-f]*[0-9])[0-9A-Fa-f]{16,})
          | (?P<str>(?=(?:[A-Za-z_=+~-]*[0-9]){2})(?=[0-9_=+~-]*[A-Za-z])[A-Za-z0-9_=+~-]{16,})
          | (?P<word>[A-Za-z][A-Za-z_-]*?)(?P<number>[0-9]{3,})
        )(?P<extension>\.[A-Za-z][A-Za-z0-9]{0,5})?
    )(?=/|$)""",
    re.VERBOSE,
)
_KINDS = ("int", "float", "uuid", "hex", "str", "number")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# control characters as \xNN, for str.translate
CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}


def _placeholder(m: re.Match) -> str:
    kind = m.lastgroup
    if kind == "long":
        return "<str>"
    extension = m.group("extension")
    if extension is None:
        extension = ""
    else:  # lastgroup is "extension": find the alternative that matched before it
        kind = next(name for name in _KINDS if m.group(name) is not None)
    if kind == "number":  # x870975, INV2024001: a word then a number of 3+ digits
        return m.group("word") + "<int>" + extension
    return f"<{kind}>{extension}"


def shape(path: str, host: str | None = None) -> str:
    """The shape of a decoded path: variable-looking segments replaced by placeholders.

    Segment by segment, in one pass; a segment that is entirely one of these (the first that
    fits) is replaced, optionally followed by a file extension (a dot, a letter and up to five
    letters or digits), which is kept: ``1234.json`` becomes ``<int>.json``.

    ========================================  ===========  ===========================
    segment                                   becomes      e.g.
    ========================================  ===========  ===========================
    digits (optionally signed)                ``<int>``    ``42``, ``1234.json``
    a decimal number                          ``<float>``  ``3.14``
    a UUID (with or without dashes)           ``<uuid>``
    16+ hex digits, at least one a digit      ``<hex>``    a commit SHA, an MD5
    16+ letters/digits/``_=+~-`` with 2+      ``<str>``    API keys, session tokens
    digits and a letter
    a word then 3+ digits                     word<int>    ``x870975``, ``INV2024001``
    over 64 characters (checked first)        ``<str>``
    anything else                             kept         ``users``, ``v1``, ``wp-login.php``
    ========================================  ===========  ===========================

    Control characters are shown as ``\\xNN``; a shape is cut to 200 characters (ending in
    ``...``). With ``host``, the shape starts with it (``api.example.com/users/<int>``).
    """
    result = _SEGMENTS.sub(_placeholder, path)
    if host:
        result = host + result
    if len(result) > SHAPE_CHARS:
        result = result[: SHAPE_CHARS - 3] + "..."
    if _CONTROL.search(result) is not None:
        result = result.translate(CONTROLS)
    return result


class ShapeCounter:
    """Counts per shape, with a bounded number of shapes and a few examples each.

    Holds at most ``2 * capacity`` shapes: when full, the ``capacity`` most frequent are
    kept and the counts of the others are added to :attr:`other` (so ``total`` is exact).
    """

    def __init__(self, capacity: int = MAX_SHAPES, examples: int = EXAMPLES) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.examples = examples
        self.entries: dict[str, list] = {}  # shape -> [count, [examples]]
        self.other = 0  # requests whose shape was dropped
        self.dropped = 0  # shapes dropped so far (a shape may be dropped more than once)

    def add(self, key: str, count: int = 1, example: str | None = None) -> None:
        entry = self.entries.get(key)
        if entry is None:
            if len(self.entries) >= 2 * self.capacity:
                self._prune()
            self.entries[key] = [count, [example] if example is not None else []]
            return
        entry[0] += count
        examples = entry[1]
        if example is not None and len(examples) < self.examples and example not in examples:
            examples.append(example)

    def merge(self, entries: dict[str, list], other: int = 0, dropped: int = 0) -> None:
        """Add another counter's ``entries`` (read after this one's) and dropped counts."""
        for key, (count, examples) in entries.items():
            self.add(key, count)
            mine = self.entries[key][1]
            for example in examples:
                if len(mine) >= self.examples:
                    break
                if example not in mine:
                    mine.append(example)
        self.other += other
        self.dropped += dropped

    def _prune(self) -> None:
        ranked = sorted(self.entries.items(), key=lambda item: -item[1][0])
        for _, (count, _) in ranked[self.capacity :]:
            self.other += count
            self.dropped += 1
        self.entries = dict(ranked[: self.capacity])

    @property
    def total(self) -> int:
        return self.other + sum(entry[0] for entry in self.entries.values())

    def most_common(self, n: int | None = None) -> list[tuple[str, int, list[str]]]:
        """``(shape, count, examples)``, most frequent first (ties by shape)."""
        ranked = sorted(self.entries.items(), key=lambda item: (-item[1][0], item[0]))
        if n is not None:
            ranked = ranked[:n]
        return [(key, count, list(examples)) for key, (count, examples) in ranked]

    def __len__(self) -> int:
        return len(self.entries)


def example(target: str) -> str:
    """A logged target as an example: cut to EXAMPLE_CHARS characters."""
    if len(target) > EXAMPLE_CHARS:
        return target[: EXAMPLE_CHARS - 3] + "..."
    return target
