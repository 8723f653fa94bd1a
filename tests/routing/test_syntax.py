"""The rule grammar: accepts what Werkzeug accepts, explains the rest with a column."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Map, Rule

from routecli.errors import RouteError
from routecli.routing.model import Route, RouteSet
from routecli.routing.werkzeug.syntax import (
    RuleSyntaxError,
    Slash,
    Static,
    Variable,
    parse_converter_args,
    tokenize,
)
from routecli.routing.werkzeug.table import RouteTable


def test_tokens_of_a_typical_rule():
    tokens = tokenize("/blog/<int(min=1):post_id>/edit")
    assert tokens == [
        Slash(1), Static("blog", 2), Slash(6),
        Variable("post_id", "int", "min=1", 7), Slash(27), Static("edit", 28),
    ]


def test_default_converter_and_spec():
    (_, var) = tokenize("/<name>")
    assert var.converter == "default" and var.arguments is None and var.spec == "default"
    (_, var) = tokenize('/<any("a)b", c):x>')
    assert var.arguments == '"a)b", c' and var.spec == 'any("a)b", c)'


def test_greater_than_is_static_text():
    assert tokenize("/a>b") == [Slash(1), Static("a>b", 2)]


@pytest.mark.parametrize(
    "rule, message, column",
    [
        ("/blog/<post_id", "'<' at column 7 is never closed", 7),
        ("/a<b", "'<' at column 3 is never closed", 3),
        ("/<>", "empty variable '<>' at column 2", 2),
        ("/< a >", "spaces are not allowed", 2),
        ("/<1a>", "invalid variable name '1a'", 3),
        ("/<a-b>", "invalid variable name 'a-b'", 3),
        ("/<int:>", "missing variable name after 'int:'", 2),
        ("/<int()>", "has converter arguments but no ':name'", 2),
        ("/<in-t:x>", "invalid converter name 'in-t'", 3),
        ("/<in t:x>", "spaces are not allowed", 2),
        ("/<None>", "variable name 'None' at column 2 is reserved", 2),
        ("blog", "a rule must start with '/'", 1),
    ],
)
def test_rejections_point_at_the_column(rule, message, column):
    with pytest.raises(RuleSyntaxError) as info:
        tokenize(rule)
    assert message in info.value.message
    assert info.value.column == column


def test_error_from_a_table_names_file_line_and_rule():
    route = Route("/blog/<post_id", "e", source=None)
    from routecli.routing.model import Source

    route.source = Source("routes.yaml", 12)
    with pytest.raises(RouteError) as info:
        RouteTable(RouteSet([route]))
    assert str(info.value) == ("routes.yaml:12: rule '/blog/<post_id': '<' at column 7 is "
                               "never closed")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1, 2", ((1, 2), {})),
        ("1,2", (("1,2",), {})),  # the unescaped '.' in Werkzeug's number pattern
        ('"5"', (("5",), {})),
        ("007", ((7,), {})),
        ("1e3", ((1000.0,), {})),
        ("0x10", (("0x10",), {})),
        ("true", (("true",), {})),
        ("True, None", ((True, None), {})),
        ("min=1, max=10", ((), {"min": 1, "max": 10})),
        ("2, signed=True", ((2,), {"signed": True})),
        ("u'a)b'", (("a)b",), {})),
        ("x=1,x=2", ((), {"x": 2})),
        ("5, -", ((5,), {})),  # Werkzeug ignores an unparsable tail with nothing after it
        ("", ((), {})),
    ],
)
def test_converter_arguments_like_werkzeug(text, expected):
    assert parse_converter_args(text) == expected


@pytest.mark.parametrize("text, bad", [("min=-5", "min=-"), ("a,,b", ",")])
def test_converter_argument_errors(text, bad):
    with pytest.raises(RuleSyntaxError, match=f"cannot parse converter argument '{bad}'"):
        parse_converter_args(text)


# -- differential fuzzing against Werkzeug's own parser ----------------------------------

RULE_ALPHABET = st.sampled_from(list("/<>:()ab1_-., =\"'") + ["int", "any", "string", "path",
                                                              "uuid", "float", "min=", "max="])


def _werkzeug_accepts(rule: str) -> bool:
    try:
        Map([Rule(rule, endpoint="e")])
    except Exception:  # noqa: BLE001 - any refusal counts
        return False
    return True


def _routecli_accepts(rule: str) -> bool:
    try:
        RouteTable(RouteSet([Route(rule, "e")]))
    except RouteError:
        return False
    return True


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(RULE_ALPHABET, max_size=14).map("".join))
def test_fuzz_same_acceptance_as_werkzeug(body):
    rule = "/" + body
    # Werkzeug accepts a few argument values it then crashes on at match time
    # (min > max lengths, non-numeric int bounds); routecli refuses those.
    werkzeug = _werkzeug_accepts(rule)
    ours = _routecli_accepts(rule)
    if werkzeug and not ours:
        with pytest.raises(RouteError) as info:
            RouteTable(RouteSet([Route(rule, "e")]))
        assert any(word in info.value.message for word in ("not a number", "less than")), (
            rule, info.value.message)
    else:
        assert werkzeug == ours, rule


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_fuzz_any_text_only_raises_rule_syntax_error(text):
    try:
        tokenize(text)
    except RuleSyntaxError as exc:
        assert exc.message
    try:
        parse_converter_args(text)
    except RuleSyntaxError as exc:
        assert exc.message.startswith("cannot parse converter argument")
