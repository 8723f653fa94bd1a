"""The forms Django's ``reverse()`` fills in for a URL regex (its ``normalize``).

Django does not invert a regex; it reads it once, left to right, and keeps a few
``%(name)s`` templates with the parameters each needs. The reading is crude on purpose
and :func:`forms` follows it quirk for quirk, because ``reverse()`` answers from these
forms (then checks the result against the real regex):

* a capturing group becomes ``%(name)s`` (unnamed ones ``%(_0)s``, ``%(_1)s``... in
  order) and what is inside it is skipped; ``(?P=name)`` becomes ``%(name)s`` too but
  needs no parameter;
* a quantifier keeps its minimum: ``?``/``*``/``{0,n}`` drop the element, unless it holds
  a group, which is then optional (a form without it and one with it); ``{3}`` repeats
  it; a lazy ``?`` after a quantifier is ignored, and the character after a quantifier
  is read as unescaped;
* a character class gives its first character (``[^/]`` gives ``^``); ``\\d`` gives
  ``0``, ``\\w``/``\\S``/``\\D`` ``x``, ``\\s`` a space, ``\\W`` ``!``; ``\\A \\b \\B \\Z``
  vanish; any other escaped character stands for itself; ``.`` stays ``.``;
* ``^`` vanishes, ``$`` ends the reading, lookarounds vanish;
* any ``|`` outside a group gives the single empty form (nothing can be reversed);
* ``(?i)``-style groups are an error (:class:`Irreversible`, Django's ValueError),
  which Django raises for every ``reverse()`` of the URLconf.
"""

from __future__ import annotations

# Escapes that stand for a class of characters: the one Django writes for each (None:
# an assertion, written as nothing).
_ESCAPE_FORMS = {"A": None, "b": None, "B": None, "Z": None, "d": "0", "D": "x", "s": " ",
                 "S": "x", "w": "x", "W": "!"}


class Irreversible(ValueError):
    """A construct Django's reading refuses (``(?i``, ``(?P>``, a bad ``{m,n}``...)."""


class _Param(tuple):
    """A capturing group: ``(template, name)``; name None for a backreference."""


class _Sequence(list):
    """A non-capturing group's elements."""


class _Optional(list):
    """An optional element holding a group: ``[None, element]``."""


class _End(Exception):
    """The pattern is read to its end."""


class _Reader:
    """The pattern's characters, an escape read as the character it stands for."""

    __slots__ = ("text", "at")

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def next(self) -> tuple[str, bool]:
        text = self.text
        while self.at < len(text):
            char = text[self.at]
            self.at += 1
            if char != "\\":
                return char, False
            if self.at >= len(text):
                raise Irreversible("a pattern cannot end in a lone backslash")
            char = text[self.at]
            self.at += 1
            form = _ESCAPE_FORMS.get(char, char)
            if form is not None:
                return form, True
        raise _End

    def skip_group(self, first: str) -> None:
        """Skip to the ``)`` closing the group just opened (``first`` was read in it)."""
        depth = 1 if first == "(" else 0
        while True:
            char, escaped = self.next()
            if escaped:
                continue
            if char == "(":
                depth += 1
            elif char == ")":
                if not depth:
                    return
                depth -= 1


def forms(pattern: str) -> list[tuple[str, list[str]]]:
    """The ``(template, parameters)`` forms Django's ``reverse()`` tries for ``pattern``,
    in its order. Raises :class:`Irreversible` where Django raises."""
    reader = _Reader(pattern)
    try:
        char, escaped = reader.next()
    except _End:
        return [("", [])]
    elements: list = []
    open_groups: list[int] = []
    positional = 0
    try:
        while True:
            carried = None  # a character a quantifier read past
            if escaped:
                elements.append(char)
            elif char == ".":
                elements.append(".")
            elif char == "|":
                return [("", [])]
            elif char == "^":
                pass
            elif char == "$":
                break
            elif char == ")":
                if not open_groups:
                    raise Irreversible("unbalanced parenthesis")
                start = open_groups.pop()
                elements[start:] = [_Sequence(elements[start:])]
            elif char == "[":
                char, escaped = reader.next()
                elements.append(char)
                char, escaped = reader.next()
                while escaped or char != "]":
                    char, escaped = reader.next()
            elif char == "(":
                positional = _group(reader, elements, open_groups, positional)
            elif char in "*?+{":
                least, carried = _quantifier(reader, char)
                _repeat(elements, least)
            else:
                elements.append(char)
            if carried is not None:
                char, escaped = carried, False
            else:
                char, escaped = reader.next()
    except _End:
        pass
    return list(zip(*_flatten(elements)))


def _group(reader: _Reader, elements: list, open_groups: list[int], positional: int) -> int:
    """Read what follows a ``(``; returns the count of positional groups so far."""
    char, escaped = reader.next()
    if char != "?" or escaped:
        name = f"_{positional}"
        elements.append(_Param((f"%({name})s", name)))
        reader.skip_group(char)
        return positional + 1
    char, escaped = reader.next()
    if char in "!=<":  # a lookaround
        reader.skip_group(char)
    elif char == ":":
        open_groups.append(len(elements))
    elif char != "P":
        raise Irreversible(f"Non-reversible reg-exp portion: '(?{char}'")
    else:
        char, escaped = reader.next()
        if char not in "<=" or not char:
            raise Irreversible(f"Non-reversible reg-exp portion: '(?P{char}'")
        closing = ">" if char == "<" else ")"
        name = []
        char, escaped = reader.next()
        while char != closing:
            name.append(char)
            char, escaped = reader.next()
        param = "".join(name)
        if closing == ">":
            elements.append(_Param((f"%({param})s", param)))
            reader.skip_group(char)
        else:
            elements.append(_Param((f"%({param})s", None)))  # (?P=name): a backreference
    return positional


def _quantifier(reader: _Reader, char: str) -> tuple[int, str | None]:
    """The quantifier's minimum, and the character read past it (None if none or a
    lazy ``?``)."""
    if char in "*?+":
        return (1 if char == "+" else 0), _past_quantifier(reader)
    inside = []
    while char != "}":
        char, _escaped = reader.next()
        inside.append(char)
    least = "".join(inside[:-1]).split(",")[0]
    after = _past_quantifier(reader)
    try:
        return int(least), after
    except ValueError:
        raise Irreversible(f"invalid literal for int() with base 10: {least!r}") from None


def _past_quantifier(reader: _Reader) -> str | None:
    """The character after a quantifier (its escape forgotten, as Django's reading
    forgets it), None at the end or for a lazy ``?``."""
    try:
        after, _escaped = reader.next()
    except _End:
        return None
    return None if after == "?" else after


def _repeat(elements: list, least: int) -> None:
    if least != 1 and not elements:
        raise Irreversible("nothing to repeat")
    if least == 0:
        if _holds_param(elements[-1]):
            elements[-1] = _Optional([None, elements[-1]])
        else:
            elements.pop()
    elif least > 1:
        elements.extend([elements[-1]] * (least - 1))


def _holds_param(element) -> bool:
    if isinstance(element, _Param):
        return True
    return isinstance(element, _Sequence) and any(_holds_param(e) for e in element)


def _flatten(element) -> tuple[list[str], list[list[str]]]:
    """Every template ``element`` stands for, with the parameters of each."""
    if element is None:
        return [""], [[]]
    if isinstance(element, _Param):
        template, name = element
        return [template], [[name] if name else []]
    templates, params = [""], [[]]
    text: list[str] = []
    for item in element:
        if isinstance(item, str):
            text.append(item)
            continue
        piece = "".join(text)
        text = []
        name = None
        if isinstance(item, _Param):
            piece += item[0]
            name = item[1]
        templates = [t + piece for t in templates]
        if name:
            for names in params:
                names.append(name)
        if isinstance(item, (_Optional, _Sequence)):
            choices = [item] if isinstance(item, _Sequence) else item
            inner_templates: list[str] = []
            inner_params: list[list[str]] = []
            for choice in choices:
                more_templates, more_params = _flatten(choice)
                inner_templates += more_templates
                inner_params += more_params
            templates, params = (
                [t + i for t in templates for i in inner_templates],
                [p + q for p in params for q in inner_params])
    tail = "".join(text)
    return [t + tail for t in templates], params
