"""Fuzzing the loaders: whatever the bytes, only RouteError may come out.

Random bytes, random mutations of the real sample files, and random data structures
go through read_document + routeset_from_data (and line_of, which must never fail).
Hostile shapes too (issue #13), each case bounded in time: YAML anchors of anchors
("billion laughs") wherever a route file holds a value, nesting deeper than any stack,
odd encodings of route files and pyproject.toml, and Python data that shares or holds
itself.
"""

from __future__ import annotations

import itertools
import time
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


# -------------------------------------------- hostile shapes (issue #13): each case bounded

CASE_SECONDS = 10.0  # generous for a shared CI machine; the bad cases took minutes
HOSTILE = settings(FUZZ, max_examples=60)


def load_bounded(path: Path) -> None:
    """:func:`load_only_route_errors`, which must also finish quickly."""
    start = time.perf_counter()
    load_only_route_errors(path)
    assert time.perf_counter() - start < CASE_SECONDS


ROUTE_PLACES = st.sampled_from([
    "routes:\n  - rule: /x\n    endpoint: x\n    defaults: {{a: {value}}}\n",
    "routes:\n  - rule: /x\n    endpoint: x\n    methods: {value}\n",
    "routes:\n  - rule: /x\n    endpoint: x\n    noqa: {value}\n",
    "routes: {value}\n",
    "x: {value}\nroutes: []\n",
    "settings: {{trusted_hosts: {value}}}\nroutes: []\n",
])


@HOSTILE
@given(place=ROUTE_PLACES, levels=st.integers(1, 40), width=st.integers(1, 12),
       leaf=st.sampled_from(['"lol"', "GET", "RL105", "{a: 1}", "[]", "x" * 200]),
       reuse=st.integers(0, 50))
def test_alias_heavy_yaml(fuzz_dir, place, levels, width, leaf, reuse):
    # Anchors of anchors ("billion laughs"), then aliases of the last reused by routes.
    parts = [f"&a0 [{', '.join([leaf] * width)}]"]
    parts += [f"&a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
    text = place.format(value="[" + ", ".join(parts) + "]")
    text += "".join(f"y{i}: *a{levels - 1}\n" for i in range(reuse))
    path = fresh(fuzz_dir, "yaml")
    path.write_text(text, encoding="utf-8")
    load_bounded(path)


@HOSTILE
@given(ext=st.sampled_from(["json", "yaml", "toml"]),
       depth=st.sampled_from([10, 99, 100, 101, 500, 999, 1000, 5000, 100_000]),
       mapping=st.booleans(), where=st.sampled_from(["routes", "defaults"]))
def test_deep_nesting(fuzz_dir, ext, depth, mapping, where):
    if ext == "json":
        opener, closer = ('{"a": ', "}") if mapping else ("[", "]")
        inner = opener * depth + "1" + closer * depth
        text = ('{"routes": ' + inner + "}" if where == "routes" else
                '{"routes": [{"rule": "/x", "endpoint": "x", "defaults": {"a": ' + inner + "}}]}")
    elif ext == "yaml":
        opener, closer = ("{a: ", "}") if mapping else ("[", "]")
        inner = opener * depth + "1" + closer * depth
        text = (f"routes: {inner}\n" if where == "routes" else
                f"routes:\n  - rule: /x\n    endpoint: x\n    defaults: {{a: {inner}}}\n")
    else:
        opener, closer = ("{a = ", "}") if mapping else ("[", "]")
        inner = opener * depth + "1" + closer * depth
        text = (f"routes = {inner}\n" if where == "routes" else
                f'[[routes]]\nrule = "/x"\nendpoint = "x"\ndefaults = {{a = {inner}}}\n')
    path = fresh(fuzz_dir, ext)
    path.write_text(text, encoding="utf-8")
    load_bounded(path)


@HOSTILE
@given(name=st.sampled_from(sorted(SAMPLE_TEXTS)),
       encoding=st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le",
                                 "utf-8-sig", "latin-1", "cp1252", "utf-7"]),
       prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00"]),
       mutations=st.lists(MUTATION, max_size=2))
def test_odd_encodings(fuzz_dir, name, encoding, prefix, mutations):
    ext = name.rsplit(".", 1)[1]
    text = mutate(SAMPLE_TEXTS[name], mutations) + "é\u2603"
    path = fresh(fuzz_dir, ext)
    path.write_bytes(prefix + text.encode(encoding, errors="replace"))
    load_bounded(path)


@HOSTILE
@given(encoding=st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1"]),
       body=st.sampled_from(['[tool.routecli]\nroutes = ["r.yaml"]\n',
                             '[project]\nname = "x"\n# routecli later\n',
                             '[tool.routecli]\nroutes = ["é.yaml"]\n']))
def test_pyproject_in_odd_encodings_is_named_when_it_mentions_routecli(tmp_path, encoding,
                                                                        body):
    from routecli.sources.discover import find_sources

    (tmp_path / "pyproject.toml").write_bytes(body.encode(encoding))
    readable = encoding == "latin-1" and "é" not in body  # plain ASCII is UTF-8 too
    try:
        find_sources(cwd=str(tmp_path), environ={})
    except RouteError as exc:
        if exc.source is None:  # "no routes found": only when the file could be read
            assert readable and "[tool.routecli]" not in body
        else:
            assert "pyproject.toml" in exc.source
            assert readable or "UTF-" in exc.message
    else:
        assert readable


@st.composite
def shared_data(draw):
    """Python route data whose values share (and may hold) themselves, or nest deeply."""
    leaf = draw(JSON_LEAF)
    value: object = [leaf]
    for _ in range(draw(st.integers(0, 80))):
        kind = draw(st.sampled_from(["pair", "tuple", "dict", "wrap"]))
        value = {"pair": [value, value], "tuple": (value, value), "dict": {"a": value, "b": value},
                 "wrap": [value]}[kind]
    for _ in range(draw(st.sampled_from([0, 150, 5000, 100_000]))):
        value = [value]  # deeper than any stack
    if draw(st.booleans()):
        holder: list = [value]
        holder.append(holder)  # a cycle
        value = holder
    route = {"rule": "/x", "endpoint": "x"}
    route[draw(st.sampled_from(["defaults", "methods", "noqa"]))] = (
        {"a": value} if draw(st.booleans()) else value)
    return {"routes": [route] * draw(st.integers(1, 20))}


@HOSTILE
@given(data=shared_data())
def test_shared_and_cyclic_python_data(data):
    from routecli.sources.python.data_module import _lists

    start = time.perf_counter()
    try:
        routeset_from_data(_lists(data, {}), "data.py", lambda keys: None)
    except RouteError as exc:
        assert exc.message and "\n" not in str(exc)
    assert time.perf_counter() - start < CASE_SECONDS


# ------------------------------ first-match dialects' route files (issue #13): the same rule

from routecli.sources.django_schema import INCLUDE_KEYS, PATTERN_KEYS  # noqa: E402
from routecli.sources.ordered_schema import ROUTE_KEYS as ORDERED_KEYS  # noqa: E402

RULE_TEXT = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", "users/<int:pk>/", "<path:p>", "<bad", "a/<str:x", "{x}", "/{x:path}",
                     "/{x:int}/{x}", "^(a+)+$", "(?P<y>[0-9]{4})/$", "(", "<slug:s>/<uuid:u>"]),
)
ORDERED_ROUTE = st.dictionaries(
    st.sampled_from(ORDERED_KEYS + PATTERN_KEYS + INCLUDE_KEYS + ("x",)),
    RULE_TEXT | ANY_VALUE, max_size=6)
ORDERED_DOCUMENT = st.fixed_dictionaries({
    "settings": st.fixed_dictionaries(
        {"dialect": st.sampled_from(["django", "starlette", "fastapi"])},
        optional={"append_slash": ANY_VALUE, "redirect_slashes": ANY_VALUE,
                  "bogus": ANY_VALUE}),
    "routes": st.lists(ORDERED_ROUTE | st.fixed_dictionaries(
        {"include": RULE_TEXT, "routes": st.lists(ORDERED_ROUTE, max_size=2)}), max_size=4),
}, optional={"converters": st.dictionaries(st.sampled_from(["yyyy", "1bad", "int"]),
                                          ANY_VALUE, max_size=2)})


@FUZZ
@given(data=ORDERED_DOCUMENT, url=st.text(max_size=12))
def test_first_match_route_files_and_their_rule_parsers(data, url):
    # the Starlette/FastAPI and Django schemas, then each dialect's rule (path) parser and
    # matcher: only RouteError may come out, as one line
    from routecli.routing.dialects import compile_table

    try:
        table = compile_table(routeset_from_data(data, "fuzz.yaml", lambda keys: None))
        table.match("GET", "/" + url.replace("\x00", ""))
    except RouteError as exc:
        assert exc.message and "\n" not in exc.message
