"""Shared path regexes (routing/starlette/compiler.py, ``Compiler.path``) against
Starlette's own ``route.matches``: a route's or Mount's regex is the template's rest
after its literal head, shared by templates of one shape, with whole literal segments
compared as strings where no parameter can span a "/". Hypothesis makes templates
(every built-in convertor, ``path`` last or not, a registered custom one, several
parameters in one segment, brace text, trailing and doubled slashes, dots, spaces,
unicode, newlines) and paths around them (values swapped, segments dropped or added, a
final newline, slashes toggled), and each path's answer is compared: matched or not, and
the converted parameters, types included. Tables hold several templates at once, so that
their shared regexes meet."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.convertors import CONVERTOR_TYPES, Convertor, register_url_convertor
from starlette.routing import Match, Mount, Route

from routecli.routing.model import ConverterDef, Group, RouteSet
from routecli.routing.model import Route as RouteDef
from routecli.routing.starlette.table import StarletteTable

CUSTOM = "shapehex"  # a registered custom convertor: its regex is kept whole


class _Hex(Convertor):
    regex = "[0-9a-f]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value) -> str:
        return str(value)


if CUSTOM not in CONVERTOR_TYPES:
    register_url_convertor(CUSTOM, _Hex())

LITERALS = ("a", "users", "x.y", "a b", "é", "{x-y}", "v1", ".", "-", "a\nb", "~")
PARAMS = ("{%s}", "{%s:str}", "{%s:int}", "{%s:float}", "{%s:uuid}", "{%s:path}",
          "{%s:" + CUSTOM + "}", "{%s}.{%s_e}", "v{%s:int}", "{%s:int}-x", "x{%s}")
VALUES = ("a", "users", "x.y", "1", "007", "1.5", "-1", "", "a/b", "é", "a b", "{x-y}",
          "v1", "v12", "12-x", "x12", "ab.cd", "ff0a", "a\n", "\n", "a\nb", ".", "~",
          "2b5b0911-fdcf-4dd2-921b-28ace88db8a0", "2B5B0911FDCF4DD2921B28ACE88DB8A0")


@st.composite
def templates(draw) -> str:
    segments = []
    for number in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):
            segments.append(draw(st.sampled_from(LITERALS)))
        else:
            form = draw(st.sampled_from(PARAMS))
            segments.append(form % ((f"p{number}",) * form.count("%s")))
    text = "/" + "/".join(segments)
    if segments and draw(st.integers(0, 5)) == 0:
        text += "/"
    if segments and draw(st.integers(0, 8)) == 0:
        text = text.replace("/", "//", 1)
    return text


@st.composite
def paths_for(draw, template: str) -> str:
    """A path near ``template``: its literal segments kept or swapped, values drawn."""
    out = []
    for segment in template.split("/")[1:]:
        choice = draw(st.integers(0, 9))
        if choice == 0:
            continue  # a segment dropped
        if "{" in segment and "}" in segment and choice < 8 and segment != "{x-y}":
            out.append(draw(st.sampled_from(VALUES)))
        elif choice == 9:
            out.append(draw(st.sampled_from(VALUES)))
        else:
            out.append(segment)
    path = "/" + "/".join(out)
    tail = draw(st.integers(0, 9))
    if tail == 0:
        path += "\n"
    elif tail == 1:
        path += "/"
    elif tail == 2:
        path += "/" + draw(st.sampled_from(VALUES))
    return path


def _starlette(route, path: str):
    scope = {"type": "http", "method": "GET", "path": path, "root_path": "",
             "headers": [], "query_string": b""}
    match, child = route.matches(scope)
    if match is not Match.FULL:
        return None
    return dict(child.get("path_params", {}))


async def _app(scope, receive, send):  # never called: only matching is compared
    return None


def _ours(table: StarletteTable, path: str):
    result = table.match("GET", quote(path, safe="/"))
    return dict(result.args) if result.status == 200 else None


def _answers(kind: str, template: str, paths: list[str]) -> None:
    if kind == "mount":
        template = template.rstrip("/")
        if "{" not in template and not template:
            return
        try:
            theirs = Mount(template, app=_app, name="m")
        except (AssertionError, ValueError):
            return
        group = Group("mount", template, [], {"app": "m"})
        ours = StarletteTable(RouteSet([group], dialect="starlette",
                                       converters={CUSTOM: ConverterDef(CUSTOM, _Hex.regex)}))
    else:
        try:
            theirs = Route(template, _app, methods=["GET"])
        except (AssertionError, ValueError):
            with pytest.raises(Exception):  # noqa: B017 - routecli refuses it too
                StarletteTable(RouteSet([RouteDef(template, "r", ("GET",))],
                                        dialect="starlette"))
            return
        ours = StarletteTable(RouteSet([RouteDef(template, "r", ("GET",))],
                                       dialect="starlette",
                                       converters={CUSTOM: ConverterDef(CUSTOM, _Hex.regex)}))
    for path in paths:
        expected = _starlette(theirs, path)
        if kind == "mount" and expected is not None:
            expected.pop("path", None)
            got = _ours(ours, path)
            if got is not None:
                got.pop("path", None)
        else:
            got = _ours(ours, path)
        assert got == expected, (template, path)
        if got is not None:
            assert [type(v) for v in got.values()] == [type(v) for v in expected.values()]


@st.composite
def cases(draw):
    template = draw(templates())
    paths = draw(st.lists(paths_for(template), min_size=1, max_size=12))
    return template, paths


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_a_route_matches_what_starlette_matches(case):
    template, paths = case
    _answers("route", template, paths)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_a_mount_matches_what_starlette_matches(case):
    template, paths = case
    _answers("mount", template, paths)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cases(), min_size=2, max_size=6))
def test_templates_sharing_a_regex_answer_each_as_starlette(group):
    """Several templates in one table (first match wins): each path's winner and its
    parameters are Starlette's own scan's."""
    routes, theirs = [], []
    for number, (template, _) in enumerate(group):
        try:
            theirs.append(Route(template, _app, methods=["GET"], name=f"r{number}"))
        except (AssertionError, ValueError):
            return
        routes.append(RouteDef(template, f"r{number}", ("GET",)))
    names = [route.name for route in theirs]
    if len(set(template for template, _ in group)) < len(group):
        return
    table = StarletteTable(RouteSet(routes, dialect="starlette",
                                    converters={CUSTOM: ConverterDef(CUSTOM, _Hex.regex)}))
    for _, paths in group:
        for path in paths:
            expected = next(((name, params) for name, route in zip(names, theirs)
                             if (params := _starlette(route, path)) is not None), None)
            result = table.match("GET", quote(path, safe="/"))
            got = (result.endpoint, dict(result.args)) if result.status == 200 else None
            assert got == expected, (path, [t for t, _ in group])


def test_templates_of_one_shape_share_one_regex():
    table = StarletteTable(RouteSet([
        RouteDef("/users/{id:int}/posts", "a", ("GET",)),
        RouteDef("/orgs/{id:int}/teams", "b", ("GET",)),
        RouteDef("/users/{id:int}/teams", "c", ("GET",)),
        RouteDef("/files/{name}.{ext}", "d", ("GET",)),
        RouteDef("/pics/{name}.{ext}", "e", ("GET",)),
    ], dialect="starlette"))
    a, b, c, d, e = (entry.data for entry in table)
    assert a.regex is b.regex is c.regex and (a.literals, b.literals) == ("posts", "teams")
    assert d.regex is e.regex and d.literals is None  # "." shares its segment: in the regex
    assert (table.match("GET", "/orgs/3/teams").endpoint, table.match("GET", "/orgs/3/posts").status,
            table.match("GET", "/users/3/teams").args) == ("b", 404, {"id": 3})
    assert table.match("GET", "/users/3/posts%0A").endpoint == "a"  # "$" takes a final newline
