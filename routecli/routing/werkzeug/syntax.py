"""The rule-string grammar: ``/blog/<int(min=1):post_id>`` → tokens.

Accepts exactly the strings Werkzeug accepts (its grammar, including the
converter-argument syntax and its quirks) and explains every rejection with
the column where it went wrong. No converters are looked up here: that is
:mod:`routecli.routing.werkzeug.converters`' job; turning tokens into matchable parts is
:mod:`routecli.routing.werkzeug.compiler`'s.
"""

# No "from __future__ import annotations": typing.NamedTuple would turn each string
# annotation into a ForwardRef, compiling it, at every start-up.
import re
from functools import cache
from typing import Any, NamedTuple

_IDENTIFIER = r"[a-zA-Z_][a-zA-Z0-9_]*"

# One token of a rule: a slash, static text, or a <converter(args):name> variable.
# The args are matched lazily, so the shortest text after which "):name>" parses
# wins; this is what makes any("a)b") and any("a>b") legal.
_TOKEN_RE = re.compile(
    rf"""
    (?P<slash>/)
    | (?P<static>[^</]+)
    | <(?:(?P<converter>{_IDENTIFIER})(?:\((?P<arguments>.*?)\))?:)?(?P<variable>{_IDENTIFIER})>
    """,
    re.VERBOSE,
)

# One converter argument: optional "name =", then a value token, then a comma
# (a comma is appended to the whole argument string before scanning). Note the
# unescaped "." in the number patterns: "1,2" is a single token, as in Werkzeug.
_ARGUMENT_PATTERN = (
    r"""
    \s*
    ((?P<name>\w+)\s*=\s*)?
    (?P<value>
        True|False|
        \d+.\d+|
        \d+.|
        \d+|
        [\w\d_.]+|
        [urUR]?(?P<stringval>"[^"]*?"|'[^']*')
    )\s*,
    """
)


@cache
def converter_argument_re() -> re.Pattern:
    # compiled on the first rule with converter arguments, not at start-up
    return re.compile(_ARGUMENT_PATTERN, re.VERBOSE)

_CONSTANTS: dict[str, Any] = {"None": None, "True": True, "False": False}
_RESERVED_NAMES = frozenset(_CONSTANTS)


class RuleSyntaxError(ValueError):
    """A rule string Werkzeug would refuse; ``column`` is 1-based when known."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


class Slash(NamedTuple):
    column: int


class Static(NamedTuple):
    text: str
    column: int


class Variable(NamedTuple):
    name: str
    converter: str  # "default" when the rule names no converter
    arguments: str | None  # the raw text between the parentheses, or None
    column: int  # column of the "<"

    @property
    def spec(self) -> str:
        """The converter as written, e.g. ``int(min=1)``."""
        if self.arguments is None:
            return self.converter
        return f"{self.converter}({self.arguments})"


Token = Slash | Static | Variable


def tokenize(rule: str, *, require_slash: bool = True) -> list[Token]:
    """Split a rule string into slashes, static text and variables.

    Raises :class:`RuleSyntaxError` for anything Werkzeug's grammar rejects.
    ``require_slash`` is off for host and subdomain patterns.
    """
    if require_slash and not rule.startswith("/"):
        raise RuleSyntaxError("a rule must start with '/'", 1 if rule else None)
    tokens: list[Token] = []
    pos = 0
    length = len(rule)
    while pos < length:
        match = _TOKEN_RE.match(rule, pos)
        if match is None:
            raise _diagnose(rule, pos)
        column = pos + 1
        if match.group("slash") is not None:
            tokens.append(Slash(column))
        elif match.group("static") is not None:
            tokens.append(Static(match.group("static"), column))
        else:
            name = match.group("variable")
            if name in _RESERVED_NAMES:
                raise RuleSyntaxError(
                    f"variable name '{name}' at column {column} is reserved; choose another name",
                    column,
                )
            tokens.append(
                Variable(name, match.group("converter") or "default", match.group("arguments"),
                         column)
            )
        pos = match.end()
    return tokens


def _diagnose(rule: str, pos: int) -> RuleSyntaxError:
    """Explain why no token starts at ``pos`` (always a '<')."""
    column = pos + 1
    close = rule.find(">", pos)
    if close < 0:
        return RuleSyntaxError(f"'<' at column {column} is never closed", column)
    inner = rule[pos + 1 : close]
    if not inner:
        return RuleSyntaxError(f"empty variable '<>' at column {column}", column)
    if "<" in inner:
        return RuleSyntaxError(f"'<' at column {column} is never closed", column)
    if "\n" in inner:
        return RuleSyntaxError(f"line break inside the variable at column {column}", column)
    if inner != inner.strip() or (" " in inner and "(" not in inner):
        return RuleSyntaxError(
            f"spaces are not allowed in '<{inner}>' at column {column}", column
        )
    head, colon, name = inner.rpartition(":") if ":" in inner else ("", "", inner)
    if "(" in inner and not colon:
        conv = inner.split("(", 1)[0]
        return RuleSyntaxError(
            f"'<{inner}>' at column {column} has converter arguments but no ':name'; "
            f"write '<{conv}(...):name>'",
            column,
        )
    if colon:
        converter = head.split("(", 1)[0]
        if not re.fullmatch(_IDENTIFIER, converter):
            return RuleSyntaxError(
                f"invalid converter name '{converter}' at column {column + 1}", column + 1
            )
        if "(" in head and not head.endswith(")"):
            return RuleSyntaxError(
                f"converter arguments of '{converter}' at column {column + 1} are not closed "
                f"with ')'",
                column + 1,
            )
        if "(" not in head and head != converter:
            return RuleSyntaxError(
                f"unexpected text after converter '{converter}' at column {column + 1}",
                column + 1,
            )
        if not name:
            return RuleSyntaxError(
                f"missing variable name after '{head}:' at column {column}", column
            )
    if not re.fullmatch(_IDENTIFIER, name):
        name_column = close - len(name) + 1
        return RuleSyntaxError(
            f"invalid variable name '{name}' at column {name_column}: use letters, digits and "
            f"'_', not starting with a digit",
            name_column,
        )
    return RuleSyntaxError(f"malformed variable '<{inner}>' at column {column}", column)


def parse_converter_args(text: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Parse converter arguments the way Werkzeug does: ``"2, max=5"`` → ``((2,), {"max": 5})``.

    Values become None/True/False, then int, then float, then str (quotes
    stripped). Raises :class:`RuleSyntaxError` naming the unparsable slice.
    """
    text += ","
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    position = 0
    for item in converter_argument_re().finditer(text):
        if item.start() != position:
            raise RuleSyntaxError(
                f"cannot parse converter argument '{text[position:item.start()]}'"
            )
        raw = item.group("stringval")
        if raw is None:
            raw = item.group("value")
        value = _pythonize(raw)
        name = item.group("name")
        if name:
            kwargs[name] = value
        else:
            args.append(value)
        position = item.end()
    # Like Werkzeug, an unparsable tail with no parsable token after it is
    # silently ignored (``int(5, -)`` is ``int(5)``); lint reports it.
    return tuple(args), kwargs


def _pythonize(value: str) -> Any:
    if value in _CONSTANTS:
        return _CONSTANTS[value]
    for convert in (int, float):
        try:
            return convert(value)
        except ValueError:
            pass
    if value[:1] == value[-1:] and value[0] in "\"'":
        value = value[1:-1]
    return str(value)
