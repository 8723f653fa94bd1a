"""routecli.sources.discover: where routes come from (docs/sources.md#discovery-order), merging."""

from __future__ import annotations

import os
import sys
import textwrap
import types

import pytest

from routecli.errors import RouteError
from routecli.routing.model import ConverterDef, Route, RouteSet, Settings, Source
from routecli.sources.discover import (
    NO_SOURCES_MESSAGE,
    find_sources,
    load_routeset,
    spec_kind,
)

NO_ENV: dict[str, str] = {}


def write(path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return str(path)


def route_file(path, *endpoints: str, extra: str = "") -> str:
    routes = "".join(f"  - {{rule: /{e}, endpoint: {e}}}\n" for e in endpoints)
    return write(path, f"{extra}routes:\n{routes}" if endpoints else f"{extra}routes: []\n")


def ancestors_mention_routecli(path) -> bool:
    """A pyproject.toml above tmp_path that configures routecli would change the answers."""
    for parent in path.parents:
        candidate = parent / "pyproject.toml"
        if candidate.is_file() and "routecli" in candidate.read_text(errors="replace"):
            return True
    return False


@pytest.fixture
def project(tmp_path, monkeypatch):
    if ancestors_mention_routecli(tmp_path):
        pytest.skip("a pyproject.toml above the temporary directory configures routecli")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---------------------------------------------------------------------------- find_sources


def test_environment_variable_first(project):
    write(project / "routes.yaml", "routes: []\n")
    write(project / "pyproject.toml", '[tool.routecli]\nroutes = ["x.yaml"]\n')
    env = {"ROUTECLI_ROUTES": os.pathsep.join(["a.yaml", "", "b.toml", ""]), "FLASK_APP": "app"}
    assert find_sources(environ=env) == ["a.yaml", "b.toml"]


def test_environment_variable_keeps_python_specs(project):
    # On POSIX the separator is ":", so only specs without ":attr" fit in the variable.
    env = {"ROUTECLI_ROUTES": os.pathsep.join(["pkg.routes", "app.py"])}
    assert find_sources(environ=env) == ["pkg.routes", "app.py"]


def test_empty_environment_variable_is_ignored(project):
    write(project / "routes.yaml", "routes: []\n")
    assert find_sources(environ={"ROUTECLI_ROUTES": ""}) == ["routes.yaml"]
    assert find_sources(environ={"ROUTECLI_ROUTES": os.pathsep * 2}) == ["routes.yaml"]


def test_environment_variable_relative_to_the_given_cwd(tmp_path, monkeypatch):
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.chdir(tmp_path)
    env = {"ROUTECLI_ROUTES": "r.yaml"}
    assert find_sources(cwd=str(other), environ=env) == [os.path.join("other", "r.yaml")]


def test_flask_app_after_pyproject_before_routes_yaml(project):
    write(project / "routes.yaml", "routes: []\n")
    env = {"FLASK_APP": " myapp:create_app() "}
    assert find_sources(environ=env) == ["myapp:create_app()"]
    # The project's own configuration wins over a shell-wide FLASK_APP.
    write(project / "pyproject.toml", '[tool.routecli]\nroutes = ["x.yaml"]\n')
    assert find_sources(environ=env) == ["x.yaml"]


def test_python_specs_from_pyproject_import_from_its_directory(project, monkeypatch):
    from routecli.sources.discover import load_routeset

    write(project / "pyproject.toml", '[tool.routecli]\nroutes = ["routes_mod_xyz"]\n')
    write(project / "routes_mod_xyz.py", 'ROUTES = [{"rule": "/hi", "endpoint": "hi"}]\n')
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    specs = find_sources(environ={})
    assert specs == ["routes_mod_xyz"] and specs[0].base_dir == str(project)
    assert [r.rule for r in load_routeset(specs).routes] == ["/hi"]


def test_pyproject_in_the_current_directory(project):
    write(project / "routes.yaml", "routes: []\n")
    write(
        project / "pyproject.toml",
        """
        [project]
        name = "demo"

        [tool.routecli]
        routes = ["sample_routes/blog.yaml", "./more.toml", "pkg.routes"]
        """,
    )
    assert find_sources(environ=NO_ENV) == [
        os.path.join("sample_routes", "blog.yaml"),
        "more.toml",
        "pkg.routes",
    ]


def test_pyproject_found_upward_paths_relative_to_it(project, monkeypatch):
    write(project / "pyproject.toml", '[tool.routecli]\nroutes = ["conf/routes.yaml"]\n')
    deep = project / "src" / "pkg"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert find_sources(environ=NO_ENV) == [str(project / "conf" / "routes.yaml")]


def test_pyproject_entries_under_the_current_directory_stay_relative(project):
    write(project / "pyproject.toml", '[tool.routecli]\nroutes = ["a/b.yaml"]\n')
    # Called with an explicit cwd below the project while the process sits at the project.
    sub = project / "a"
    sub.mkdir()
    assert find_sources(cwd=str(sub), environ=NO_ENV) == [os.path.join("a", "b.yaml")]


def test_pyproject_without_routecli_is_passed_over(project, monkeypatch):
    write(project / "pyproject.toml", '[tool.routecli]\nroutes = ["top.yaml"]\n')
    inner = project / "inner"
    write(inner / "pyproject.toml", '[project]\nname = "inner"\n')
    write(inner / "routes.yaml", "routes: []\n")
    monkeypatch.chdir(inner)
    assert find_sources(environ=NO_ENV) == [str(project / "top.yaml")]


def test_pyproject_with_routecli_but_no_routes_is_passed_over(project, monkeypatch):
    write(project / "pyproject.toml", '[tool.routecli]\nroutes = ["top.yaml"]\n')
    inner = project / "inner"
    write(inner / "pyproject.toml", "[tool.routecli.lint]\nselect = ['RL1']\n")
    monkeypatch.chdir(inner)
    assert find_sources(environ=NO_ENV) == [str(project / "top.yaml")]


def test_pyproject_routes_may_be_a_single_string(project):
    write(project / "pyproject.toml", '[tool.routecli]\nroutes = "r.toml"\n')
    assert find_sources(environ=NO_ENV) == ["r.toml"]


def test_malformed_pyproject_is_an_error_at_its_line(project):
    write(project / "pyproject.toml", '[tool.routecli]\nroutes = ["a.yaml"\n\n[x]\n')
    with pytest.raises(RouteError) as info:
        find_sources(environ=NO_ENV)
    assert info.value.source == "pyproject.toml:4"
    assert info.value.message.startswith("invalid TOML:")


@pytest.mark.parametrize(
    "content, line, message",
    [
        (
            "[tool.routecli]\nroutes = 5\n",
            2,
            "[tool.routecli] routes: expected a list of paths, got integer 5",
        ),
        (
            "[tool.routecli]\nroutes = ['a', 1]\n",
            2,
            "[tool.routecli] routes[1]: expected a path or Python spec, got integer 1",
        ),
        ("[tool.routecli]\nroutes = []\n", 2, "[tool.routecli] routes is empty"),
        ("[tool]\nroutecli = 5\n", 2, "[tool.routecli] must be a table, got integer 5"),
    ],
)
def test_bad_pyproject_routes(project, content, line, message):
    write(project / "pyproject.toml", content)
    with pytest.raises(RouteError) as info:
        find_sources(environ=NO_ENV)
    assert info.value.message == message
    assert info.value.source == f"pyproject.toml:{line}"


def test_unrelated_broken_pyproject_is_ignored(project):
    write(project / "pyproject.toml", "[project\nname = \n")
    write(project / "routes.toml", "routes = []\n")
    assert find_sources(environ=NO_ENV) == ["routes.toml"]


@pytest.mark.parametrize(
    "present, expected",
    [
        (["routes.yaml", "routes.yml", "routes.toml", "routes.json"], "routes.yaml"),
        (["routes.yml", "routes.toml", "routes.json"], "routes.yml"),
        (["routes.toml", "routes.json"], "routes.toml"),
        (["routes.json"], "routes.json"),
    ],
)
def test_route_files_in_the_current_directory(project, present, expected):
    for name in present:
        write(project / name, "routes: []\n")
    assert find_sources(environ=NO_ENV) == [expected]


def test_route_file_must_be_a_file(project):
    (project / "routes.yaml").mkdir()
    write(project / "routes.toml", "routes = []\n")
    assert find_sources(environ=NO_ENV) == ["routes.toml"]


def test_nothing_found_says_how_to_fix_it(project):
    with pytest.raises(RouteError) as info:
        find_sources(environ=NO_ENV)
    message = info.value.message
    assert message == NO_SOURCES_MESSAGE
    for hint in (
        "-r FILE",
        "ROUTECLI_ROUTES",
        "[tool.routecli] routes",
        "pyproject.toml",
        "routes.yaml",
    ):
        assert hint in message
    assert "\n" not in message


def test_explicit_cwd_without_chdir(project, tmp_path):
    other = tmp_path / "elsewhere"
    write(other / "routes.yml", "routes: []\n")
    assert find_sources(cwd=str(other), environ=NO_ENV) == [os.path.join("elsewhere", "routes.yml")]


def test_environ_defaults_to_os_environ(project, monkeypatch):
    monkeypatch.setenv("ROUTECLI_ROUTES", "from_env.yaml")
    assert find_sources() == ["from_env.yaml"]


# ---------------------------------------------------------------------------- spec_kind


@pytest.mark.parametrize(
    "spec, kind",
    [
        ("routes.yaml", "file"),
        ("missing/dir/ROUTES.YML", "file"),
        ("r.toml", "file"),
        ("r.json", "file"),
        ("pkg.mod", "python"),
        ("pkg.mod:app", "python"),
        ("pkg.mod:create_app('dev', debug=True)", "python"),
        ("app.py", "python"),
        ("src/app.py:create_app()", "python"),
        ("app", "python"),
        ("no such file.txt", "missing"),
        ("-", "missing"),
        ("", "missing"),
    ],
)
def test_spec_kind(project, spec, kind):
    assert spec_kind(spec) == kind


def test_existing_path_is_a_file_whatever_its_name(project):
    write(project / "routes.txt", "routes: []\n")
    assert spec_kind("routes.txt") == "file"
    with pytest.raises(RouteError) as info:
        load_routeset(["routes.txt"])
    assert info.value.message.startswith("unsupported file type '.txt'")


# ---------------------------------------------------------------------------- load_routeset


def test_load_one_file(project):
    route_file(project / "r.yaml", "a", "b")
    routeset = load_routeset(["r.yaml"])
    assert [r.endpoint for r in routeset.routes] == ["a", "b"]
    assert routeset.sources == ["r.yaml"]
    assert routeset.routes[1].source == Source("r.yaml", 3)


def test_load_merges_in_order(project):
    route_file(project / "a.yaml", "a1", "a2")
    write(project / "b.toml", '[[routes]]\nrule = "/b"\nendpoint = "b"\n')
    write(project / "c.json", '{"routes": [{"rule": "/c", "endpoint": "c"}]}')
    routeset = load_routeset(["b.toml", "a.yaml", "c.json"])
    assert [r.endpoint for r in routeset.routes] == ["b", "a1", "a2", "c"]
    assert [str(r.source) for r in routeset.routes] == [
        "b.toml:1",
        "a.yaml:2",
        "a.yaml:3",
        "c.json:1",
    ]
    assert routeset.sources == ["b.toml", "a.yaml", "c.json"]


def test_load_empty_list_gives_an_empty_routeset():
    routeset = load_routeset([])
    assert routeset.routes == [] and routeset.sources == [] and routeset.settings == Settings()


def test_settings_union(project):
    route_file(project / "a.yaml", "a", extra="settings: {strict_slashes: false}\n")
    route_file(
        project / "b.yaml", "b", extra="settings: {host_matching: true, strict_slashes: false}\n"
    )
    route_file(project / "c.yaml", "c")
    settings = load_routeset(["a.yaml", "b.yaml", "c.yaml"]).settings
    assert settings == Settings(strict_slashes=False, host_matching=True)


def test_settings_conflict_names_both_places(project):
    route_file(project / "a.yaml", "a", extra="settings:\n  merge_slashes: false\n")
    route_file(project / "b.yaml", "b", extra="# b\nsettings:\n  merge_slashes: true\n")
    with pytest.raises(RouteError) as info:
        load_routeset(["a.yaml", "b.yaml"])
    assert str(info.value) == "b.yaml:3: settings.merge_slashes is true here but false in a.yaml:2"


def test_settings_equal_to_the_default_still_conflict_when_explicit(project):
    route_file(project / "a.yaml", "a", extra="settings: {server_name: ''}\n")
    route_file(project / "b.yaml", "b", extra="settings: {server_name: example.com}\n")
    with pytest.raises(RouteError) as info:
        load_routeset(["a.yaml", "b.yaml"])
    assert info.value.message == "settings.server_name is 'example.com' here but '' in a.yaml:1"


def test_same_converter_twice_is_fine(project):
    conv = "converters:\n  slug: {regex: '[a-z]+'}\n"
    route_file(project / "a.yaml", "a", extra=conv)
    route_file(project / "b.yaml", "b", extra=conv)
    routeset = load_routeset(["a.yaml", "b.yaml"])
    assert list(routeset.converters) == ["slug"]
    assert routeset.converters["slug"].source == Source("a.yaml", 2)


def test_converter_conflict_names_both_places(project):
    route_file(project / "a.yaml", "a", extra="converters:\n  slug: {regex: '[a-z]+'}\n")
    write(project / "b.toml", "routes = []\n[converters.slug]\nregex = '[a-z]+'\nweight = 50\n")
    with pytest.raises(RouteError) as info:
        load_routeset(["a.yaml", "b.toml"])
    assert (
        str(info.value) == "b.toml:2: converter 'slug' is defined differently here and in a.yaml:2"
    )


def test_converters_union(project):
    route_file(project / "a.yaml", "a", extra="converters:\n  x: {regex: 'x'}\n")
    route_file(project / "b.yaml", "b", extra="converters:\n  y: {regex: 'y'}\n")
    assert list(load_routeset(["a.yaml", "b.yaml"]).converters) == ["x", "y"]


def test_missing_file_spec(project):
    with pytest.raises(RouteError) as info:
        load_routeset(["nope.yaml"])
    assert str(info.value) == "nope.yaml: no such file"


def test_neither_file_nor_python_spec(project):
    with pytest.raises(RouteError) as info:
        load_routeset(["no such thing.txt"])
    assert info.value.source == "no such thing.txt"
    assert info.value.message.startswith("no such file, and not a Python import spec")


def test_error_in_the_second_source_names_it(project):
    route_file(project / "a.yaml", "a")
    write(project / "b.yaml", "routes:\n  - rule: /b\n")
    with pytest.raises(RouteError) as info:
        load_routeset(["a.yaml", "b.yaml"])
    assert str(info.value) == "b.yaml:2: routes[0]: missing required key 'endpoint'"


def test_python_sources_use_load_python(project, monkeypatch):
    calls = []

    def load_python(spec):
        calls.append(spec)
        return RouteSet(
            [Route("/py", "py")],
            Settings(strict_slashes=False),
            {"hex": ConverterDef("hex", "[0-9a-f]+")},
            [spec],
        )

    fake = types.ModuleType("routecli.sources.python")
    fake.load_python = load_python
    monkeypatch.setitem(sys.modules, "routecli.sources.python", fake)
    route_file(project / "a.yaml", "a", extra="settings: {strict_slashes: false}\n")
    routeset = load_routeset(["a.yaml", "myapp:create_app()"])
    assert calls == ["myapp:create_app()"]
    assert [r.endpoint for r in routeset.routes] == ["a", "py"]
    assert routeset.settings.strict_slashes is False
    assert routeset.sources == ["a.yaml", "myapp:create_app()"]
    assert list(routeset.converters) == ["hex"]

    # A Python source's non-default settings count as set: they conflict like a file's.
    route_file(project / "b.yaml", "b", extra="settings: {strict_slashes: true}\n")
    with pytest.raises(RouteError) as info:
        load_routeset(["b.yaml", "myapp:create_app()"])
    assert str(info.value) == (
        "myapp:create_app(): settings.strict_slashes is false here but true in b.yaml:1"
    )


def test_pyproject_tool_table_is_checked(project):
    write(project / "pyproject.toml", '[tool.routecli]\nroute = ["r.yaml"]\n')
    with pytest.raises(RouteError, match=r"unknown key 'route' in \[tool.routecli\] "
                                         r"\(did you mean 'routes'\?\)"):
        find_sources(environ={})
    write(project / "pyproject.toml", '[tool.routecli]\nroutes = ["a.yaml", 1]\n')
    with pytest.raises(RouteError, match=r"routes\[1\]: expected a path or Python spec"):
        find_sources(environ={})


def test_the_same_source_twice_is_loaded_once(project):
    from routecli.sources.discover import load_routeset

    write(project / "r.yaml", "routes:\n  - {rule: /, endpoint: i}\n")
    routeset = load_routeset(["r.yaml", "./r.yaml", str(project / "r.yaml")])
    assert [r.rule for r in routeset.routes] == ["/"]
