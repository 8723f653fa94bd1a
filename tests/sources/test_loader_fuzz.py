"""Fuzzing the loaders: whatever the bytes, only RouteError may come out.

Random bytes, random mutations of the real sample files, and random data structures
go through read_document + routeset_from_data (and line_of, which must never fail).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routecli.errors import RouteError
from routecli.sources.route_file import read_document
from routecli.sources.schema import ROUTE_KEYS, routeset_from_data

SAMPLES = Path(__file__).resolve().parents[2] / "sample_routes"
SAMPLE_TEXTS = {
    p.name: p.read_text(encoding="utf-8")
    for p in sorted(SAMPLES.iterdir())
    if p.suffix in (".yaml", ".toml", ".json") and p.stat().st_size < 5000
}
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_counter = itertools.count()


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def load_only_route_errors(path: Path) -> None:
    """read_document + routeset_from_data: any outcome but a non-RouteError exception."""
    try:
        doc = read_document(str(path))
    except RouteError as exc:
        assert exc.message and "\n" not in str(exc)
        return
    assert isinstance(doc.data, dict)
    for keys in [("routes",), ("routes", 0), ("routes", 0, "rule"), ("settings", "x"), (), (9,)]:
        line = doc.line_of(keys)
        assert line is None or line >= 1
    try:
        routeset_from_data(doc.data, str(path), doc.line_of)
    except RouteError as exc:
        assert exc.message and "\n" not in str(exc)


def fresh(fuzz_dir: Path, ext: str) -> Path:
    return fuzz_dir / f"f{next(_counter)}.{ext}"


@FUZZ
@given(data=st.binary(max_size=400), ext=st.sampled_from(["yaml", "yml", "toml", "json"]))
def test_random_bytes(fuzz_dir, data, ext):
    path = fresh(fuzz_dir, ext)
    path.write_bytes(data)
    load_only_route_errors(path)


@FUZZ
@given(text=st.text(max_size=300), ext=st.sampled_from(["yaml", "toml", "json"]))
def test_random_text(fuzz_dir, text, ext):
    path = fresh(fuzz_dir, ext)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    load_only_route_errors(path)


SPECIAL = st.sampled_from(
    list("[]{}:,#'\"\\\n\t -!&*<>|=.")
    + [
        '"""',
        "'''",
        "[[routes]]",
        "<<: ",
        "---\n",
        "\x00",
        "\ufeff",
        "!!python/object ",
        "~",
        "null",
        "true",
    ]
)
MUTATION = st.tuples(
    st.sampled_from(["delete", "insert", "replace", "duplicate_line", "swap_lines"]),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=10**6),
    st.one_of(SPECIAL, st.text(max_size=8)),
)


def mutate(text: str, mutations) -> str:
    for kind, a, b, piece in mutations:
        if not text:
            text = piece
            continue
        i, j = sorted((a % (len(text) + 1), b % (len(text) + 1)))
        if kind == "delete":
            text = text[:i] + text[j:]
        elif kind == "insert":
            text = text[:i] + piece + text[i:]
        elif kind == "replace":
            text = text[:i] + piece + text[i + 1 :]
        else:
            lines = text.split("\n")
            x, y = a % len(lines), b % len(lines)
            if kind == "duplicate_line":
                lines.insert(x, lines[x])
            else:
                lines[x], lines[y] = lines[y], lines[x]
            text = "\n".join(lines)
    return text


@FUZZ
@given(name=st.sampled_from(sorted(SAMPLE_TEXTS)), mutations=st.lists(MUTATION, max_size=6))
def test_mutated_samples(fuzz_dir, name, mutations):
    ext = name.rsplit(".", 1)[1]
    path = fresh(fuzz_dir, ext)
    path.write_text(mutate(SAMPLE_TEXTS[name], mutations), encoding="utf-8", errors="surrogatepass")
    load_only_route_errors(path)


JSON_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10)
)
ANY_VALUE = st.recursive(
    JSON_LEAF | st.sampled_from(["GET", "*", "/x", "RL105", "all", "[a-z]+", "(?P<x>a)", "("]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=6) | st.sampled_from(ROUTE_KEYS), children, max_size=3)
    ),
    max_leaves=12,
)
ROUTE = st.dictionaries(st.sampled_from(ROUTE_KEYS + ("endpiont", "x")), ANY_VALUE, max_size=6)
DOCUMENT = st.fixed_dictionaries(
    {},
    optional={
        "routes": st.lists(ROUTE, max_size=3) | ANY_VALUE,
        "settings": st.dictionaries(
            st.sampled_from(["strict_slashes", "server_name", "host_matching", "bogus"]),
            ANY_VALUE,
            max_size=3,
        )
        | ANY_VALUE,
        "converters": st.dictionaries(
            st.sampled_from(["slug", "1bad", "int"]),
            st.dictionaries(
                st.sampled_from(["regex", "weight", "part_isolating", "x"]), ANY_VALUE, max_size=3
            )
            | ANY_VALUE,
            max_size=2,
        ),
        "extra": ANY_VALUE,
    },
)


@FUZZ
@given(data=DOCUMENT | ANY_VALUE)
def test_random_data_structures(data):
    try:
        routeset = routeset_from_data(data, "fuzz.yaml", lambda keys: None)
    except RouteError as exc:
        assert exc.message and "\n" not in exc.message
        return
    for route in routeset.routes:
        assert isinstance(route.rule, str) and isinstance(route.endpoint, str)
        assert route.methods is None or all(isinstance(m, str) for m in route.methods)
