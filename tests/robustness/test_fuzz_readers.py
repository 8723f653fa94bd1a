"""Hypothesis fuzzing of the readers the route-file fuzzers (tests/sources/test_loader_fuzz.py)
and log fuzzers (tests/coverage/test_logs.py) do not reach: the spec-string parser, the
lint config and baseline readers, and the live-app readers of Django urlconfs and
Starlette/FastAPI apps. Whatever the input, the only exception allowed is RouteError (one
line), and a spec string never calls anything but the module's own factory."""

from __future__ import annotations

import json
import sys
import types

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from routecli.errors import RouteError
from routecli.routing.dialects import compile_table

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _one_line(error: RouteError) -> None:
    assert "\n" not in str(error) and str(error).strip()


# ------------------------------------------------------------------------ spec strings

SPEC_PIECES = st.sampled_from([
    "create_app", "helper", "obj", ".", "(", ")", "'x'", ",", "=", "debug", "True", "[", "]",
    "{", "}", ":", "*", "**", "__import__", "os", "system", "lambda", " ", "1", "9**9",
    "f'{x}'", "(y:=1)", "\\", "\x00", "\u202e", "#", "\n", "exec", "__class__",
])
CALLS: list = []


@pytest.fixture(scope="module")
def fuzz_module():
    module = types.ModuleType("routecli_fuzz_spec_target")
    module.__file__ = __file__

    def create_app(*args, **kwargs):
        CALLS.append("create_app")
        return []

    create_app.__module__ = module.__name__
    module.create_app = create_app
    module.helper = sorted  # a builtin it merely holds
    module.obj = types.SimpleNamespace(method=print)
    sys.modules[module.__name__] = module
    yield module
    del sys.modules[module.__name__]


@FUZZ
@given(st.lists(SPEC_PIECES, max_size=12).map("".join))
def test_spec_expressions_parse_or_refuse_and_call_only_the_own_factory(fuzz_module, text):
    from routecli.sources.python.resolve import find_by_expression
    from routecli.sources.python.spec import check_spec_text, parse_expression

    spec = f"{fuzz_module.__name__}:{text}"
    CALLS.clear()
    try:
        check_spec_text(spec)  # as every loader does first
        parsed = parse_expression(text, spec)
        find_by_expression(fuzz_module, fuzz_module.__name__, text, parsed, spec)
    except RouteError as error:
        _one_line(error)
    assert set(CALLS) <= {"create_app"}


# -------------------------------------------------------------- lint config, baseline

TOML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
    | st.text(max_size=8) | st.sampled_from(["RL102", "RL1", "ALL", "error", "E", "rl9"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["select", "ignore", "extend-select", "fail-on", "strict", "baseline",
                         "severity", "per-file-ignores", "RL102", "x"]), inner, max_size=4),
    max_leaves=12)


@FUZZ
@given(TOML_VALUES)
def test_lint_config_mappings_validate_or_refuse(data):
    from routecli.analysis.selection.config import settings_from_mapping

    try:
        settings_from_mapping(data, lambda keys: "pyproject.toml:3", root="/tmp")
    except RouteError as error:
        _one_line(error)


@FUZZ
@given(st.one_of(st.binary(max_size=300), TOML_VALUES.map(
    lambda value: json.dumps(value, default=str).encode())))
def test_baselines_read_or_refuse(tmp_path, data):
    from routecli.analysis.selection.baseline import read_baseline

    path = tmp_path / "baseline.json"
    path.write_bytes(data)
    try:
        read_baseline(str(path))
    except RouteError as error:
        _one_line(error)


# ------------------------------------------------------------------- live-app readers

SEGMENTS = st.sampled_from([
    "a", "users", "<int:id>", "<str:name>", "<path:rest>", "<slug:s>", "<uuid:u>", "<x>",
    "<int:>", "<:x>", "<bad:x>", "{x}", "%41", "\x1b", "\u202e", "..", "", " ", "<<x>>",
])
REGEX_PIECES = st.sampled_from([
    "^", "$", "a", "(?P<x>[0-9]+)", "(a+)+", "(?P<y>", ")", "/", ".*", "\\d", "(", "[",
    "(?P<x>a)", "(?i)", "\\1", "(?=a)",
])
ROUTE_PATH = st.lists(SEGMENTS, max_size=4).map("/".join)


def _django_tree(depth: int):
    leaf = st.tuples(st.sampled_from(["path", "re_path"]), ROUTE_PATH,
                     st.lists(REGEX_PIECES, max_size=5).map("".join), st.just(None))
    if depth == 0:
        return st.lists(leaf, max_size=4)
    node = st.tuples(st.sampled_from(["include"]), ROUTE_PATH, st.just(""),
                     _django_tree(depth - 1))
    return st.lists(leaf | node, max_size=4)


def _django_patterns(tree):
    from django.urls import include, path, re_path

    def view(request, **kwargs):
        return None

    out = []
    for kind, route, regex, children in tree:
        try:
            if kind == "path":
                out.append(path(route, view))
            elif kind == "re_path":
                out.append(re_path(regex, view))
            else:
                out.append(path(route, include(_django_patterns(children))))
        except Exception:  # noqa: BLE001 - Django refused to build it: not our input
            continue
    return out


@FUZZ
@given(_django_tree(2), st.text(alphabet="ab/0129<>%x.", max_size=12))
def test_django_urlconfs_load_and_answer_or_refuse(tree, url):
    from django_oracle import setup

    setup()
    from routecli.sources.python.django_urlconf import routeset_from_app

    patterns = _django_patterns(tree)
    try:
        table = compile_table(routeset_from_app(patterns, label="fuzz_urls"))
        table.match("GET", "/" + url)
    except RouteError as error:
        _one_line(error)


STARLETTE_PATHS = st.lists(st.sampled_from([
    "a", "users", "{id}", "{id:int}", "{p:path}", "{f:float}", "{u:uuid}", "{x:nope}",
    "{", "}", "{}", "{a-b}", "\x1b", "%2F", "",
]), max_size=3).map(lambda parts: "/" + "/".join(parts))


def _starlette_tree(depth: int):
    leaf = st.tuples(st.sampled_from(["route", "websocket"]), STARLETTE_PATHS, st.just(None))
    if depth == 0:
        return st.lists(leaf, max_size=4)
    node = st.tuples(st.sampled_from(["mount", "host"]), STARLETTE_PATHS,
                     _starlette_tree(depth - 1))
    return st.lists(leaf | node, max_size=4)


def _starlette_routes(tree):
    from starlette.routing import Host, Mount, Route, Router, WebSocketRoute

    async def endpoint(request):
        return None

    out = []
    for kind, route_path, children in tree:
        try:
            if kind == "route":
                out.append(Route(route_path, endpoint))
            elif kind == "websocket":
                out.append(WebSocketRoute(route_path, endpoint))
            elif kind == "mount":
                out.append(Mount(route_path.rstrip("/") or "", routes=_starlette_routes(children)))
            else:
                out.append(Host(route_path.strip("/") or "h", Router(_starlette_routes(children))))
        except Exception:  # noqa: BLE001 - Starlette refused to build it: not our input
            continue
    return out


@FUZZ
@given(_starlette_tree(2), st.text(alphabet="ab/0129{}%x.", max_size=12))
def test_starlette_apps_load_and_answer_or_refuse(tree, url):
    from starlette.applications import Starlette

    from routecli.sources.python.starlette_app import routeset_from_app

    routes = _starlette_routes(tree)
    assume(routes)
    try:
        table = compile_table(routeset_from_app(Starlette(routes=routes)))
        table.match("GET", "/" + url, "h")
    except RouteError as error:
        _one_line(error)
