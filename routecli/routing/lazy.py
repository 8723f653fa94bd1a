"""Slots filled on first read, for compiled routes that keep things few requests need.

A large table holds one compiled object per route, and most of a route's regex, its
analysis pattern or its derived strings are never read for a given run (a request meets
only the routes its first segment indexes; only lint reads the analysis patterns). A
class deriving from :class:`LazySlots` leaves such a slot unset and names, in
``_MAKERS``, the function that makes its value from the object: the first read makes it
and stores it in the slot, so every later read is a plain slot read (the matcher's hot
path pays nothing). What could fail when the value is made is checked when the object
is built, so that a table still refuses at load what the framework refuses
(README.md#performance).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar


class LazySlots:
    """A slotted class whose slots named in ``_MAKERS`` are made on first read."""

    __slots__ = ()
    _MAKERS: ClassVar[dict[str, Callable[[Any], Any]]] = {}

    def __getattr__(self, name: str) -> Any:
        # Only called when normal look-up fails: an unset slot, or no such attribute.
        maker = self._MAKERS.get(name)
        if maker is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        value = maker(self)
        setattr(self, name, value)
        return value

    def __getstate__(self) -> tuple[None, dict[str, Any]]:
        # The slots set so far (a pickle stays as lazy as the object; the default state
        # would read, and so make, every lazy slot).
        state = {}
        for cls in type(self).__mro__:
            for name in cls.__dict__.get("__slots__", ()):
                try:
                    state[name] = object.__getattribute__(self, name)
                except AttributeError:
                    continue
        return None, state
