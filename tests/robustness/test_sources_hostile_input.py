"""Hostile route sources (issue #13), through the real CLI in a subprocess.

Each case runs ``python -m routecli`` under a memory limit (RLIMIT_AS, 1 GiB) and a
timeout, and must end the way docs/exit-codes.md says bad input ends: exit status 2,
exactly one line on standard error (``file:line: message``, or ``file: message``
where there is no line), no traceback, the input files untouched, and nothing run
that the spec string asked for (docs/python-sources.md#spec-forms-resolved-like-flask---app).
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 1 << 30
TIMEOUT = 60


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(cwd: Path, *args: str, env: dict[str, str] | None = None):
    """``python -m routecli ARGS`` in ``cwd``, memory- and time-limited, without a cache."""
    environ = {key: value for key, value in os.environ.items()
               if key not in ("ROUTECLI_ROUTES", "FLASK_APP")}
    environ.update({"PYTHONPATH": str(ROOT), "ROUTECLI_NO_CACHE": "1", **(env or {})})
    return subprocess.run([sys.executable, "-m", "routecli", *args], cwd=cwd, env=environ,
                          capture_output=True, text=True, timeout=TIMEOUT, check=False,
                          preexec_fn=_limit_memory)


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and mtime of every file below ``directory``."""
    return {str(path.relative_to(directory)): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(directory.rglob("*")) if path.is_file()
            and "__pycache__" not in path.parts}


def assert_refused(project: Path, *args: str, where: str, message: str,
                   env: dict[str, str] | None = None) -> str:
    """Exit 2 and one ``where[:line]: message`` line on stderr (``message`` a regex),
    no traceback, nothing changed and nothing run."""
    before = snapshot(project)
    result = run_cli(project, *args, env=env)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n"), result.stderr
    line = result.stderr[:-1]
    assert line.isprintable(), line
    located = re.match(re.escape(where) + r"(?::\d+)?: ", line)  # file, maybe a line
    assert located, line
    assert re.search(message, line[located.end():]), line
    assert snapshot(project) == before
    assert not (project / "MARKER").exists()
    return line


@pytest.fixture
def project(tmp_path: Path) -> Path:
    directory = tmp_path / "project"
    directory.mkdir()
    (directory / "keep").mkdir()
    (directory / "keep" / "file.txt").write_text("precious\n")
    return directory


# ---------------------------------------------------------------- 1. code in the spec string

TOUCH = "touch MARKER"


@pytest.mark.parametrize("spec, message", [
    (f"os:system('{TOUCH}')", r"^'os:system' is not a factory defined in 'os' \(it is a "
                              r"built-in function\): routecli calls only Python functions"),
    ("builtins:exec(\"open('MARKER', 'w')\")", "'builtins:exec' is not a factory defined in"),
    ("builtins:eval(\"open('MARKER', 'w')\")", "'builtins:eval' is not a factory defined in"),
    (f"os:path.os.system('{TOUCH}')", "'os:path.os.system' is not a factory defined in 'os'"),
    ("shutil:rmtree('keep')", "'shutil:rmtree' belongs to Python's standard library"),
    ("subprocess:call(['touch', 'MARKER'])", "'subprocess:call' belongs to Python's standard"),
    ("os:getcwd", "'os:getcwd' is not a factory defined in 'os'"),
    ("shutil:rmtree", "'shutil:rmtree' belongs to Python's standard library"),
    ("helpers:create_app('x')", r"'helpers:create_app' is not a factory defined in 'helpers' "
                                r"\(it is defined in 'shutil'\)"),
    ("helpers:NotAnApp('x')", r"\(it is the class NotAnApp\)"),
])
def test_a_spec_string_runs_nothing_but_the_module_own_factory(project, spec, message):
    (project / "helpers.py").write_text(
        "from shutil import rmtree as create_app\n\nclass NotAnApp:\n"
        "    def __init__(self, *args):\n        open('MARKER', 'w').close()\n")
    assert_refused(project, "-r", spec, "list", where=spec, message=message)
    assert (project / "keep" / "file.txt").exists()


def test_an_imported_factory_is_refused_with_the_spec_to_use(project):
    (project / "factory.py").write_text(
        "def create_app():\n    open('MARKER', 'w').close()\n    return []\n")
    (project / "app.py").write_text("from factory import create_app\n")
    assert_refused(project, "-r", "app:create_app()", "list", where="app:create_app()",
                   message=r"\(it is defined in 'factory'\): .*; name that module instead "
                           r"\(-r 'factory:create_app\(\.\.\.\)'\)$")


def test_a_spec_in_a_cloned_pyproject_runs_nothing(project):
    (project / "pyproject.toml").write_text(
        f'[tool.routecli]\nroutes = ["os:system(\'{TOUCH}\')"]\n')
    assert_refused(project, "list", where=f"os:system('{TOUCH}')",
                   message="is not a factory defined in 'os'")


def test_a_huge_spec_is_refused_before_parsing(project):
    spec = "os:system('" + "a" * 100_000 + "')"
    line = assert_refused(project, "-r", spec, "list", where=repr(spec[:40]) + "...",
                          message="the Python source spec is 100,013 characters long")
    assert len(line) < 300


def test_a_spec_with_control_characters_is_shown_escaped(project):
    assert_refused(project, "-r", "app:x\x1b[31m", "list", where=r"'app:x\x1b[31m'",
                   message="holds control characters")


def test_the_module_own_factory_is_still_called(project):
    (project / "own.py").write_text(
        "def create_app(name):\n    return [{'rule': '/' + name, 'endpoint': name}]\n")
    result = run_cli(project, "-r", "own:create_app('x')", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert '"rule": "/x"' in result.stdout


# ------------------------------------------------------------------ 2. billion laughs (YAML)

def laughs(levels: int = 9) -> str:
    """A flow list of anchors, each holding nine aliases of the one before: 9**levels
    strings once expanded, in a few hundred bytes."""
    parts = ["&a0 [" + ", ".join(['"lol"'] * 9) + "]"]
    parts += [f"&a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "[" + ", ".join(parts) + "]"


@pytest.mark.parametrize("key", ["defaults: {a: %s}", "methods: %s", "noqa: %s"])
def test_billion_laughs_is_refused_quickly(project, key):
    path = project / "laughs.yaml"
    path.write_text("routes:\n  - rule: /x\n    endpoint: x\n    " + key % laughs() + "\n")
    assert len(path.read_bytes()) < 600
    assert_refused(project, "-r", "laughs.yaml", "list", where="laughs.yaml:4",
                   message="YAML aliases expand the data of this file beyond")


def test_an_alias_shared_by_many_routes_is_not_refused(project):
    routes = "".join(f"  - {{rule: /r{i}, endpoint: e{i}, methods: *m, defaults: *d}}\n"
                     for i in range(1, 2000))
    (project / "shared.yaml").write_text(
        "routes:\n  - {rule: /r0, endpoint: e0, methods: &m [GET, POST, PUT, DELETE],"
        " defaults: &d {lang: en, page: 1, tags: [a, b, c]}}\n" + routes)
    result = run_cli(project, "-r", "shared.yaml", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('"lang": "en"') == 2000


def test_python_data_shared_exponentially_is_refused(project):
    (project / "dag.py").write_text(
        "x = ['lol']\nfor _ in range(60):\n    x = (x, x)\n"
        "ROUTES = [{'rule': '/x', 'endpoint': 'x', 'defaults': {'a': x}}]\n")
    assert_refused(project, "-r", "dag", "list", where="dag.py:4",
                   message=r"routes\[0\]\.defaults\.a: the value is too large")


# -------------------------------------------------------------------------- 3. deep nesting

DEPTH = 100_000


def test_deep_toml_in_pyproject(project):
    (project / "pyproject.toml").write_text(
        '[tool.routecli]\nroutes = ["r.yaml"]\n\n[tool.other]\nx = '
        + "[" * DEPTH + "]" * DEPTH + "\n")
    assert_refused(project, "list", where="pyproject.toml", message="nested too deeply")


@pytest.mark.parametrize("name, text", [
    ("deep.json", '{"routes": ' + "[" * DEPTH + "]" * DEPTH + "}"),
    ("deep.toml", "routes = " + "[" * DEPTH + "]" * DEPTH + "\n"),
    ("deep.yaml", "routes: " + "[" * DEPTH + "]" * DEPTH + "\n"),
    ("deepdefaults.json", '{"routes": [{"rule": "/x", "endpoint": "x", "defaults": {"a": '
     + "[" * 500 + "]" * 500 + "}}]}"),
])
def test_deep_route_files(project, name, text):
    (project / name).write_text(text)
    assert_refused(project, "-r", name, "list", where=name, message="nested|nesting")


def test_deep_python_route_data(project):
    (project / "deepdata.py").write_text(
        "def routes():\n    x = []\n    for _ in range(100000):\n        x = [x]\n"
        "    return [{'rule': '/x', 'endpoint': 'x', 'defaults': {'a': x}}]\n")
    assert_refused(project, "-r", "deepdata", "list", where="deepdata.py:5",
                   message="the value is nested more than 100 levels deep")


def test_python_route_data_holding_itself(project):
    (project / "cyclic.py").write_text(
        "x = []\nx.append(x)\nROUTES = [{'rule': '/x', 'endpoint': 'x', 'defaults': {'a': x}}]\n")
    assert_refused(project, "-r", "cyclic", "list", where="cyclic.py:3",
                   message="the value refers to itself")


# -------------------------------------------------------------------- 4. misleading messages

@pytest.mark.parametrize("encoding, what", [
    ("utf-16", "is UTF-16 encoded"), ("utf-16-le", "looks UTF-16 encoded"),
    ("utf-32", "is UTF-32 encoded"),
])
def test_pyproject_in_utf16_is_named(project, encoding, what):
    (project / "r.yaml").write_text("routes: []\n")
    (project / "pyproject.toml").write_bytes(
        '[tool.routecli]\nroutes = ["r.yaml"]\n'.encode(encoding))
    assert_refused(project, "list", where="pyproject.toml", message=what)


@pytest.mark.parametrize("spec", ["foo.txt", "routes.yml.bak", "notes/foo.txt", "dir/routes"])
def test_a_missing_file_is_called_a_missing_file(project, spec):
    assert_refused(project, "-r", spec, "list", where=spec, message="^no such file")


@pytest.mark.parametrize("name", ["routes.yaml", "plain", "data.txt"])
def test_a_directory_is_called_a_directory(project, name):
    (project / name).mkdir()
    assert_refused(project, "-r", name, "list", where=name,
                   message="is a directory, not a route file")


def test_a_route_of_a_hundred_thousand_methods_loads_in_linear_time():
    # The method list was deduplicated in a list: 100,000 methods took 76 s to load.
    import time

    from routecli.sources.schema import routeset_from_data

    methods = [f"m{i}" for i in range(100_000)] + ["M7", "get"]
    start = time.process_time()
    routeset = routeset_from_data({"routes": [{"rule": "/m", "endpoint": "m",
                                               "methods": methods}]}, "r.yaml")
    assert time.process_time() - start < 10
    (route,) = routeset.routes
    assert len(route.methods) == 100_001 and "M7" in route.methods and "GET" in route.methods


@pytest.mark.parametrize("args", [["diff", "-", "r.yaml"], ["diff", "r.yaml", "-"],
                                  ["-r", "-", "list"], ["lint", "-"]])
def test_standard_input_is_said_not_to_be_a_route_source(tmp_path, args):
    # it was "-: no such file, and not a Python import spec ...": true, but no help
    (tmp_path / "r.yaml").write_text("routes:\n  - {rule: /a, endpoint: a}\n")
    with open(tmp_path / "r.yaml", "rb") as stdin:
        result = subprocess.run([sys.executable, "-m", "routecli", "--no-cache", *args],
                                cwd=tmp_path, stdin=stdin, capture_output=True, text=True,
                                timeout=TIMEOUT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "-: standard input is not read as routes: name a route file (.json, .toml, .yaml, "
        ".yml), a Python import spec or git:REV:path"]
