"""sample_routes/: every sample loads, formats agree, and Werkzeug accepts and answers them."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import BaseConverter, Map, RequestRedirect, Rule

from routecli.routing.model import Route, RouteSet
from routecli.sources.discover import find_sources, load_routeset
from routecli.sources.route_file import display_path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_routes"
CORPORA = Path(__file__).resolve().parents[1] / "data" / "corpora"  # vendored shared corpora
# Werkzeug's samples (a file naming another dialect is checked in tests/differential).
ALL_SAMPLES = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".yaml", ".toml", ".json")
                     and "dialect:" not in p.read_text(encoding="utf-8"))


def load(name: str) -> RouteSet:
    return load_routeset([str(SAMPLES / name)])


def werkzeug_map(routeset: RouteSet) -> Map:
    """The Map Flask would build from the same add_url_rule calls (no static route)."""
    converters = {
        name: type(
            f"{name.title()}Converter",
            (BaseConverter,),
            {"regex": c.regex, "weight": c.weight, "part_isolating": c.part_isolating},
        )
        for name, c in routeset.converters.items()
    }
    s = routeset.settings
    rules = [
        Rule(
            r.rule,
            endpoint=r.endpoint,
            methods=r.methods,
            defaults=r.defaults,
            strict_slashes=r.strict_slashes,
            merge_slashes=r.merge_slashes,
            redirect_to=r.redirect_to,
            alias=r.alias,
            build_only=r.build_only,
            host=r.host,
            subdomain=r.subdomain,
            websocket=r.websocket,
        )
        for r in routeset.routes
    ]
    return Map(
        rules,
        converters=converters,
        strict_slashes=s.strict_slashes,
        merge_slashes=s.merge_slashes,
        redirect_defaults=s.redirect_defaults,
        host_matching=s.host_matching,
        default_subdomain=s.default_subdomain,
    )


def match(routeset: RouteSet, path: str, method: str = "GET"):
    return werkzeug_map(routeset).bind("example.com").match(path, method)


def comparable(routeset: RouteSet) -> list[tuple]:
    """Everything about the routes except where they were defined."""
    fields = [f for f in Route.FIELDS if f != "source"] if routeset.routes else []
    return [tuple(getattr(r, f) for f in fields) for r in routeset.routes]


def comparable_converters(routeset: RouteSet) -> dict:
    return {n: (c.regex, c.weight, c.part_isolating) for n, c in routeset.converters.items()}


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_every_sample_loads_and_werkzeug_accepts_it(name):
    routeset = load(name)
    assert routeset.routes
    assert routeset.sources == [str(SAMPLES / name)]
    for route in routeset.routes:
        assert route.source.file == display_path(str(SAMPLES / name))
        assert route.source.line is not None
    lines = [r.source.line for r in routeset.routes]
    assert lines == sorted(set(lines)), "each route has its own, increasing line"
    werkzeug_map(routeset)  # raises on anything Werkzeug would reject


def test_expected_samples_exist():
    for name in [
        "blog.yaml",
        "blog.toml",
        "blog.json",
        "catch_all.yaml",
        "converters.yaml",
        "converters.toml",
        "github-api.yaml",
        "github-api.toml",
    ]:
        assert name in ALL_SAMPLES


# ------------------------------------------------------------------------------ blog


def test_blog_formats_agree():
    yaml_set, toml_set = load("blog.yaml"), load("blog.toml")
    assert comparable(load("blog.json")) == comparable(yaml_set)
    # The one documented difference: TOML has no null, so blog.toml leaves the default
    # post_id=None of /blog/posts to the view function.
    assert yaml_set.routes[2].defaults == {"post_id": None}
    assert toml_set.routes[2].defaults is None
    toml_set.routes[2].defaults = {"post_id": None}
    assert comparable(toml_set) == comparable(yaml_set)


def test_blog_routes():
    routes = load("blog.yaml").routes
    assert [(r.rule, r.endpoint, r.methods) for r in routes] == [
        ("/", "index", ("GET",)),
        ("/about", "about", ("GET",)),
        ("/blog/posts", "get_blog_post", ("GET",)),
        ("/blog/posts/<post_id>", "get_blog_post", ("GET",)),
        ("/blog/post/<int:post_id>", "show_post", ("GET",)),
        ("/blog/new", "new_post", ("GET", "POST")),
        ("/login", "login", ("GET", "POST")),
        ("/endpoint", "get_endpoint", ("GET",)),
        ("/endpoint", "post_or_put", ("POST", "PUT", "DELETE")),
    ]


@pytest.mark.parametrize("name", ["blog.yaml", "blog.toml", "blog.json"])
def test_blog_answers_like_flask(name):
    routeset = load(name)
    assert match(routeset, "/") == ("index", {})
    assert match(routeset, "/about") == ("about", {})
    assert match(routeset, "/blog/posts/42") == ("get_blog_post", {"post_id": "42"})
    assert match(routeset, "/blog/post/42") == ("show_post", {"post_id": 42})
    with pytest.raises(NotFound):
        match(routeset, "/blog/post/foo")
    assert match(routeset, "/blog/new", "POST") == ("new_post", {})
    with pytest.raises(MethodNotAllowed):
        match(routeset, "/blog/new", "DELETE")
    assert match(routeset, "/login", "POST") == ("login", {})
    assert match(routeset, "/endpoint", "GET") == ("get_endpoint", {})
    for method in ("POST", "PUT", "DELETE"):
        assert match(routeset, "/endpoint", method) == ("post_or_put", {})
    expected = {"post_id": None} if name != "blog.toml" else {}
    assert match(routeset, "/blog/posts") == ("get_blog_post", expected)


def test_blog_with_routecli_table():
    import routecli

    table = routecli.load(str(SAMPLES / "blog.yaml"))
    result = table.match("GET", "/blog/posts/42").to_dict()
    assert (result["status"], result["endpoint"], result["args"]) == (
        200,
        "get_blog_post",
        {"post_id": "42"},
    )
    assert result["source"] == f"{display_path(str(SAMPLES / 'blog.yaml'))}:19"
    assert table.match("GET", "/blog/post/foo").to_dict()["status"] == 404


def test_project_pyproject_points_at_the_blog_sample(monkeypatch):
    monkeypatch.chdir(ROOT)
    sources = find_sources(environ={})
    assert sources == [os.path.join("sample_routes", "blog.yaml")]
    assert len(load_routeset(sources).routes) == 9


# ------------------------------------------------------------------------- catch-all


def test_catch_all():
    routeset = load("catch_all.yaml")
    assert match(routeset, "/") == ("catch_all", {"u_path": ""})
    assert match(routeset, "/hello") == ("catch_all", {"u_path": "hello"})
    assert match(routeset, "/hello/stack/overflow/") == (
        "catch_all",
        {"u_path": "hello/stack/overflow/"},
    )


# ------------------------------------------------------------------------ converters


def test_converters_formats_agree():
    yaml_set, toml_set = load("converters.yaml"), load("converters.toml")
    assert comparable(yaml_set) == comparable(toml_set)
    assert comparable_converters(yaml_set) == comparable_converters(toml_set)


def test_converters_showcase_uses_every_builtin_and_argument():
    rules = " ".join(r.rule for r in load("converters.yaml").routes)
    for needle in [
        "<username>",
        "string(minlength=",
        "maxlength=",
        "string(length=",
        "int(fixed_digits=",
        "int(min=",
        "max=",
        "int(signed=True)",
        "float(min=",
        "float(signed=True)",
        "<path:",
        "<any('",
        "<uuid:",
        "<slug:",
        "<ymd:",
    ]:
        assert needle in rules, needle
    converters = load("converters.yaml").converters
    assert converters["slug"].part_isolating is True
    assert converters["ymd"].part_isolating is False  # its regex spans segments


@pytest.mark.parametrize("name", ["converters.yaml", "converters.toml"])
def test_converters_answer_like_flask(name):
    routeset = load(name)
    object_id = uuid.UUID("12345678-1234-5678-1234-567812345678")
    cases = {
        "/users/ada": ("user_profile", {"username": "ada"}),
        "/tags/py": ("tag_page", {"tag": "py"}),
        "/countries/fr": ("country", {"code": "fr"}),
        "/years/2024": ("year_archive", {"year": 2024}),
        "/months/12": ("month_archive", {"month": 12}),
        "/offsets/-3": ("offset", {"offset": -3}),
        "/ratings/4.5": ("rating", {"rating": 4.5}),
        "/deltas/-0.5": ("delta", {"delta": -0.5}),
        "/files/a/b/c.txt": ("download", {"filepath": "a/b/c.txt"}),
        "/lang/fr/": ("language_home", {"lang": "fr"}),
        f"/objects/{object_id}": ("object_detail", {"object_id": object_id}),
        "/articles/hello-world": ("article", {"slug": "hello-world"}),
        "/archive/2024/05/17": ("archive_day", {"date": "2024/05/17"}),
    }
    for path, expected in cases.items():
        assert match(routeset, path) == expected, path
    for path in [
        "/tags/p",
        "/countries/fra",
        "/years/24",
        "/months/13",
        "/ratings/5.5",
        "/lang/es/",
        "/articles/Hello",
        "/archive/2024/5/17",
        "/objects/xyz",
    ]:
        with pytest.raises(NotFound):
            match(routeset, path)
    with pytest.raises(RequestRedirect):
        match(routeset, "/lang/en")


# ------------------------------------------------------------------------- github api


def test_github_formats_agree():
    assert comparable(load("github-api.yaml")) == comparable(load("github-api.toml"))


def test_github_matches_the_corpus():
    corpus = CORPORA / "github-api.routes"
    pairs = [line.split() for line in corpus.read_text().splitlines() if line.strip()]
    routes = load("github-api.yaml").routes
    # One route per distinct path, in order of first appearance, with every method.
    assert [r.rule for r in routes] == list(dict.fromkeys(path for _, path in pairs))
    declared = {(m, r.rule) for r in routes for m in r.methods}
    assert declared == {(m, p) for m, p in pairs}
    endpoints = [r.endpoint for r in routes]
    assert len(set(endpoints)) == len(endpoints)
    assert "repos_owner_repo_issues_get_post" in endpoints


def test_github_generator_is_reproducible():
    corpus = CORPORA / "github-api.routes"
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import corpus_to_routes
    finally:
        sys.path.remove(str(ROOT / "tools"))
    routes = corpus_to_routes.read_corpus(corpus.read_text())
    yaml_text = (SAMPLES / "github-api.yaml").read_text()
    header = [
        line[2:] if line.startswith("# ") else ""
        for line in yaml_text.split("\n\nroutes:")[0].splitlines()
    ]
    assert corpus_to_routes.to_yaml(routes, header) == yaml_text
    assert corpus_to_routes.to_toml(routes, header) == (SAMPLES / "github-api.toml").read_text()


def test_github_every_route_matches_itself():
    routeset = load("github-api.yaml")
    adapter = werkzeug_map(routeset).bind("api.github.com")
    for route in routeset.routes:
        path = route.rule
        while "<" in path:
            start, end = path.index("<"), path.index(">")
            path = path[:start] + "v1" + path[end + 1 :]
        for method in route.methods:
            assert adapter.match(path, method)[0] == route.endpoint
