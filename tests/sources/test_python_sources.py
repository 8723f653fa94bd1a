"""Python sources (routecli/sources/python/): spec forms, data modules, Flask apps, errors."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import flask
import pytest
from click.testing import CliRunner
from werkzeug.routing import Map, Rule

from routecli.cli.app import cli
from routecli.errors import RouteError
from routecli.routing.werkzeug.converters import (
    AnyConverter,
    FloatConverter,
    ForeignConverter,
    IntConverter,
    PathConverter,
    StringConverter,
    UUIDConverter,
)
from routecli.routing.werkzeug.table import RouteTable
from routecli.sources.discover import find_sources, load_routeset
from routecli.sources.python import load_python
from routecli.sources.python.flask_app import routeset_from_app
from routecli.sources.python.registration_order import record_rule_order, rule_order

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"


@pytest.fixture(autouse=True)
def forget_new_modules():
    """Modules imported by a test are forgotten afterwards, so the next import runs again."""
    before = set(sys.modules)
    path = list(sys.path)
    yield
    for name in set(sys.modules) - before:
        if not name.startswith(("routecli", "flask", "werkzeug", "fixtures_apps", "sample_routes",
                                "hypothesis", "_pytest", "click", "rich", "yaml", "jinja2",
                                "markupsafe", "itsdangerous", "blinker")):
            del sys.modules[name]
    assert sys.path == path, "load_python must restore sys.path"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A temporary current directory; ``project.write(name, source)`` adds a module."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FLASK_APP", raising=False)
    monkeypatch.delenv("ROUTECLI_ROUTES", raising=False)

    class Project:
        path = tmp_path

        def write(self, name: str, source: str) -> Path:
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
            return target

    return Project()


def error_of(spec: str) -> RouteError:
    with pytest.raises(RouteError) as info:
        load_python(spec)
    return info.value


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


APP_MODULE = """
from flask import Flask

app = Flask(__name__)

@app.route("/")
def index():
    return "index"

@app.post("/items")
def create_item():
    return "created"
"""


# ------------------------------------------------------------------------------- spec forms


def test_module_with_app_attribute(project):
    project.write("webapp.py", APP_MODULE)
    routeset = load_python("webapp")
    assert [(r.rule, r.endpoint) for r in routeset.routes] == [
        ("/static/<path:filename>", "static"), ("/", "index"), ("/items", "create_item")]
    assert routeset.sources == ["webapp"]


def test_module_attr_forms_agree(project):
    project.write("webapp.py", APP_MODULE + "\napplication = app\n")
    rules = [[r.rule for r in load_python(spec).routes]
             for spec in ("webapp", "webapp:app", "webapp:application")]
    assert rules[0] == rules[1] == rules[2]


def test_module_with_one_app_under_another_name(project):
    project.write("single.py", APP_MODULE.replace("app = Flask", "my_site = Flask")
                  .replace("@app.", "@my_site."))
    assert [r.endpoint for r in load_python("single").routes][-1] == "create_item"


def test_module_with_application_attribute(project):
    project.write("wsgi_mod.py", "from flask import Flask\napplication = Flask(__name__)\n"
                  "other = Flask('other')\n"
                  "application.add_url_rule('/w', 'w', lambda: 'w')\n")
    assert [r.endpoint for r in load_python("wsgi_mod").routes] == ["static", "w"]


def test_module_with_two_apps_needs_a_name(project):
    project.write("two.py", "from flask import Flask\nfront = Flask('a')\nback = Flask('b')\n")
    error = error_of("two")
    assert error.message == ("module 'two' holds 2 Flask apps (back, front): name one, "
                             "e.g. 'two:back'")
    assert error.source == "two"


@pytest.mark.parametrize("factory", ["create_app", "make_app"])
def test_module_with_only_a_factory(project, factory):
    project.write(f"fact_{factory}.py", f"""
        from flask import Flask

        def {factory}():
            app = Flask(__name__, static_folder=None)
            app.add_url_rule("/made", "made", lambda: "x")
            return app
    """)
    routeset = load_python(f"fact_{factory}")
    assert [r.rule for r in routeset.routes] == ["/made"]


def test_factory_by_name_and_with_literal_arguments(project):
    project.write("factory_args.py", """
        from flask import Flask

        def create_app(config="production", *, debug=False, prefixes=("/a",)):
            app = Flask(__name__, static_folder=None)
            for prefix in prefixes:
                app.add_url_rule(f"{prefix}/{config}", f"{prefix}-{debug}", lambda: "x")
            return app
    """)
    assert [r.rule for r in load_python("factory_args:create_app").routes] == ["/a/production"]
    routeset = load_python("factory_args:create_app('testing', debug=True, prefixes=['/x', '/y'])")
    assert [(r.rule, r.endpoint) for r in routeset.routes] == [
        ("/x/testing", "/x-True"), ("/y/testing", "/y-True")]
    assert routeset.sources == [("factory_args:create_app('testing', debug=True, "
                                 "prefixes=['/x', '/y'])")]


def test_file_path_specs(project):
    project.write("pkg/__init__.py", "")
    project.write("pkg/web.py", APP_MODULE)
    for spec in ("pkg/web.py", "pkg/web.py:app", "./pkg/web.py", str(project.path / "pkg/web.py")):
        routes = load_python(spec).routes
        assert routes[-1].view == "pkg.web.create_item", spec  # imported as pkg.web
        sys.modules.pop("pkg.web", None)
        sys.modules.pop("pkg", None)
    assert error_of("pkg/missing.py").message == "no such file"


def test_file_path_outside_the_current_directory(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "remote_app.py").write_text(textwrap.dedent(APP_MODULE), encoding="utf-8")
    routeset = load_python(str(elsewhere / "remote_app.py"))
    # relative to the current directory, though outside it: the file the spec named
    # (docs/python-sources.md#paths)
    shown = routeset.routes[1].source.file
    assert shown == os.path.relpath(elsewhere / "remote_app.py")
    assert Path(shown).resolve() == (elsewhere / "remote_app.py").resolve()


def test_flask_app_environment_variable(project, monkeypatch):
    project.write("envapp.py", APP_MODULE)
    monkeypatch.setenv("FLASK_APP", "envapp")
    assert find_sources() == ["envapp"]
    import routecli

    assert routecli.load().match("POST", "/items").endpoint == "create_item"
    result = run("match", "GET", "/", "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["endpoint"] == "index"


def test_current_directory_is_importable_and_sys_path_restored(project):
    project.write("localmod.py", APP_MODULE)
    assert str(project.path) not in sys.path
    load_python("localmod")
    assert str(project.path) not in sys.path


def test_werkzeug_map_and_routeset_objects(project):
    project.write("objects.py", """
        from werkzeug.routing import Map, Rule
        from routecli.routing.model import Route, RouteSet

        url_map = Map([Rule("/m/<int:n>", endpoint="m"), Rule("/any", endpoint="any")])
        ROUTESET = RouteSet([Route("/r", "r")])
    """)
    routeset = load_python("objects:url_map")
    assert [(r.rule, r.methods) for r in routeset.routes] == [("/m/<int:n>", None),
                                                              ("/any", None)]
    table = RouteTable(routeset)
    assert table.match("BREW", "/any").endpoint == "any"
    assert table.match("GET", "/m/5").args == {"n": 5}
    assert [r.rule for r in load_python("objects:ROUTESET").routes] == ["/r"]


# ------------------------------------------------------------------------------- data modules


def test_data_module_routes_settings_converters():
    routeset = load_python("fixtures_apps.data_routes")
    assert [r.endpoint for r in routeset.routes] == [
        "index", "about", "get_blog_post", "get_blog_post", "new_post", "page"]
    assert routeset.routes[4].methods == ("GET", "POST")  # a tuple in Python is fine
    assert "slug" in routeset.converters
    origin = os.path.join("tests", "fixtures_apps", "data_routes.py")
    lines = [(r.source.file, r.source.line) for r in routeset.routes]
    # INDEX is defined on line 9; the others sit in the ROUTES list
    assert lines == [(origin, 9), (origin, 13), (origin, 14), (origin, 19), (origin, 20),
                     (origin, 21)]
    table = RouteTable(routeset)
    assert table.match("GET", "/blog/posts").args == {"post_id": None}
    assert table.match("GET", "/p/my-page").args == {"slug": "my-page"}


def test_data_module_routes_function():
    routeset = load_python("fixtures_apps.data_function")
    assert routeset.settings.strict_slashes is False
    assert [(r.rule, r.source.line) for r in routeset.routes] == [("/", 8), ("/feed/", 9)]


def test_data_by_attribute_list_dict_and_function(project):
    project.write("datas.py", """
        SETTINGS = {"merge_slashes": False}
        ROUTES = [
            {"rule": "/a", "endpoint": "a"},
        ]
        DATA = {
            "settings": {"strict_slashes": False},
            "routes": [{"rule": "/d", "endpoint": "d"}],
        }

        def get_routes():
            return [{"rule": "/f", "endpoint": "f"}]
    """)
    routes = load_python("datas:ROUTES")
    assert [r.rule for r in routes.routes] == ["/a"]
    assert routes.routes[0].source.line == 3
    assert routes.settings.merge_slashes is True  # naming ROUTES takes the list alone
    data = load_python("datas:DATA")
    assert data.settings.strict_slashes is False and data.routes[0].source.line == 7
    function = load_python("datas:get_routes")
    assert [(r.rule, r.source.line) for r in function.routes] == [("/f", 11)]
    module = load_python("datas")
    assert module.settings.merge_slashes is False


def test_data_module_errors_match_route_files(project):
    """The same mistake gives the same message in a module and in a YAML file."""
    project.write("bad_data.py", """
        ROUTES = [
            {"rule": "/", "endpoint": "index"},
            {
                "rule": "/x",
                "endpoint": "x",
                "methodz": ["GET"],
            },
        ]
    """)
    project.write("bad.yaml", """
        routes:
          - rule: /
            endpoint: index
          - rule: /x
            endpoint: x
            methodz: [GET]
    """)
    from_module = error_of("bad_data")
    with pytest.raises(RouteError) as info:
        load_routeset(["bad.yaml"])
    assert from_module.message == info.value.message
    assert from_module.message == "routes[1]: unknown key 'methodz' (did you mean 'methods'?)"
    assert from_module.source == "bad_data.py:6"


@pytest.mark.parametrize("source, message, line", [
    ('ROUTES = {"rule": "/"}\n', "routes: expected a list of routes, got a mapping", 1),
    ('ROUTES = [\n    "/a",\n]\n',
     "routes[0]: expected a mapping with 'rule' and 'endpoint', got string '/a'", 2),
    ('SETTINGS = {"strict_slashes": "no"}\nROUTES = []\n',
     "settings.strict_slashes: expected a boolean (true or false), got string 'no'", 1),
    ('ROUTES = [{"rule": "/", "endpoint": "e", "defaults": {"x": object()}}]\n',
     ("routes[0].defaults.x: expected a JSON-like value (string, number, boolean, null, list "
      "or mapping), got object"), 1),
    ("def routes():\n    return 42\n",
     "'data_err:routes()' returned an int, not a mapping with 'routes' or a list of routes", 1),
])
def test_data_module_validation_errors(project, source, message, line):
    project.write("data_err.py", source)
    error = error_of("data_err")
    assert error.message == message
    assert error.source == f"data_err.py:{line}"


def test_data_module_with_a_comprehension_points_at_the_assignment(project):
    project.write("gen_data.py", """
        NAMES = ["a", "b"]
        ROUTES = [{"rule": f"/{n}", "endpoint": n} for n in NAMES] + [{"rule": 5}]
    """)
    error = error_of("gen_data")
    assert error.source == "gen_data.py:2"
    assert error.message == "routes[2]: missing required key 'endpoint'"


def test_data_modules_do_not_import_werkzeug():
    code = ("import sys; from routecli.sources.python import load_python; "
            "load_python('fixtures_apps.data_routes'); "
            "print(sorted(m for m in sys.modules if m.startswith(('werkzeug', 'flask'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=TESTS, capture_output=True,
                         text=True, timeout=60, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# ------------------------------------------------------------------------------- errors


def test_missing_module(project):
    error = error_of("nosuchmodule")
    assert error.message == ("no module named 'nosuchmodule' (in the current directory or on "
                             "sys.path)")
    assert error.source == "nosuchmodule"
    error = error_of("nosuchpkg.sub:app")
    assert error.message == ("cannot import 'nosuchpkg.sub': no module named 'nosuchpkg' (in the "
                             "current directory or on sys.path)")


def test_failing_import_inside_the_module(project):
    project.write("inner_fail.py", "import os\nimport no_such_dependency_xyz\n")
    error = error_of("inner_fail")
    assert error.message == ("error while importing 'inner_fail': ModuleNotFoundError: No module "
                             "named 'no_such_dependency_xyz'")
    assert error.source == "inner_fail.py:2"


def test_exception_while_importing_points_at_the_innermost_user_frame(project):
    project.write("boom.py", """
        import json

        def configure():
            raise RuntimeError("DATABASE_URL is not set\\nsecond line")

        configure()
    """)
    error = error_of("boom:app")
    assert error.message == ("error while importing 'boom': RuntimeError: DATABASE_URL is not "
                             "set")
    assert error.source == "boom.py:4"
    assert isinstance(error.__cause__, RuntimeError)  # --debug shows the original
    project.write("boom_lib.py", "import json\njson.loads('{')\n")
    error = error_of("boom_lib")
    assert error.source == "boom_lib.py:2"  # not inside the json module
    assert error.message.startswith("error while importing 'boom_lib': JSONDecodeError: ")


def test_syntax_error(project):
    project.write("broken_syntax.py", "x = 1\ndef f(:\n    pass\n")
    error = error_of("broken_syntax")
    assert error.source == "broken_syntax.py:2"
    assert error.message == "cannot import 'broken_syntax': SyntaxError: invalid syntax"


def test_system_exit_while_importing(project):
    project.write("exits.py", "import sys\nsys.exit(3)\n")
    error = error_of("exits")
    assert error.message == ("importing 'exits' exited (SystemExit: 3); guard the module's script "
                             "code with if __name__ == '__main__'")
    assert error.source == "exits.py:2"


def test_flask_missing_names_the_extra(project, monkeypatch):
    project.write("needs_flask.py", "from flask import Flask\napp = Flask(__name__)\n")
    monkeypatch.setitem(sys.modules, "flask", None)  # what an environment without Flask does
    error = error_of("needs_flask:app")
    assert "Flask is not installed" in error.message
    assert "pip install 'routecli[flask]'" in error.message
    assert error.source == "needs_flask.py:1"


@pytest.mark.parametrize("line, missing, package", [
    ("from flask._compat import text_type", "flask._compat", "Flask"),
    ("from werkzeug.contrib.fixers import ProxyFix", "werkzeug.contrib", "Werkzeug"),
])
def test_a_module_gone_from_flask_is_not_flask_missing(project, line, missing, package):
    # Issue #9: an app written for an old Flask imports what newer versions removed.
    project.write("old_flask_app.py", f"from flask import Flask\n{line}\napp = Flask('x')\n")
    error = error_of("old_flask_app")
    assert error.source == "old_flask_app.py:2"
    assert error.message == (
        f"cannot import 'old_flask_app': ModuleNotFoundError: No module named '{missing}'; "
        f"{package} is installed, but not this module: the code was written for another "
        f"version of {package}")


def test_a_library_importing_a_module_gone_from_flask_is_named(project):
    project.write("old_ext.py", "from flask._compat import text_type\n")
    project.write("uses_ext.py", "import old_ext\n")
    error = error_of("uses_ext")
    assert error.source == "old_ext.py:1"  # the innermost of the user's frames
    assert "No module named 'flask._compat'" in error.message
    assert "Flask is not installed" not in error.message


def test_missing_attribute_suggests(project):
    project.write("attrs.py", APP_MODULE)
    assert error_of("attrs:ap").message == "module 'attrs' has no attribute 'ap' (did you mean 'app'?)"
    assert error_of("attrs:zzz").message == ("module 'attrs' has no attribute 'zzz' (it has the "
                                             "Flask app 'app')")


@pytest.mark.parametrize("source, framework", [
    ("from fastapi import FastAPI\nAPP = FastAPI()\n", "FastAPI"),
    ("from starlette.applications import Starlette\nAPP = Starlette()\n", "Starlette"),
])
def test_missing_attribute_names_the_apps_framework(project, source, framework):
    # piccolo_admin's example module keeps its FastAPI app in APP.
    project.write(f"asgi_{framework.lower()}.py", source)
    assert error_of(f"asgi_{framework.lower()}:app").message == (
        f"module 'asgi_{framework.lower()}' has no attribute 'app' (it has the {framework} "
        "app 'APP')")


@pytest.mark.parametrize("attr, found", [
    ("NAME", "a str"), ("COUNT", "an int"), ("NOTHING", "None"), ("Flask", "the class Flask"),
    ("json", "a module"),
])
def test_attribute_of_the_wrong_kind(project, attr, found):
    project.write("kinds.py", "import json\nfrom flask import Flask\nNAME = 'x'\nCOUNT = 3\n"
                  "NOTHING = None\n")
    error = error_of(f"kinds:{attr}")
    assert error.message == f"'{attr}' is {found}, not a Flask app, an app factory or route data"
    assert error.source == f"kinds:{attr}"


def test_module_with_nothing_usable(project):
    project.write("empty_mod.py", "ROUTS = []\n")
    error = error_of("empty_mod")
    assert error.message == (
        "module 'empty_mod' has no Flask app ('app', 'application' or a single Flask instance), "
        "no route data (ROUTES or routes()) and no app factory (create_app or make_app) "
        "(it defines ROUTS: did you mean ROUTES?); name the object, e.g. 'empty_mod:app'")


def test_factory_errors(project):
    project.write("factories.py", """
        from flask import Flask

        def create_app(config):
            if config == "bad":
                raise KeyError(config)
            return Flask(__name__)

        def make_nothing():
            return None

        def make_broken():
            return len(1)
    """)
    error = error_of("factories:create_app")
    assert error.message == ("cannot call 'factories:create_app()': TypeError: create_app() "
                             "missing 1 required positional argument: 'config'; pass arguments "
                             "like 'factories:create_app(\"testing\")'")
    assert error.source == "factories:create_app"
    project.write("kwfactory.py", "def create_app(*, base_url):\n    return None\n")
    # marimo's create_starlette_app(*, base_url): the hint must be callable as written
    assert error_of("kwfactory:create_app").message.endswith(
        "pass arguments like 'kwfactory:create_app(base_url=\"...\")'")
    error = error_of("factories:create_app('bad')")
    assert error.message == "calling 'factories:create_app('bad')' raised KeyError: 'bad'"
    assert error.source == "factories.py:5"
    error = error_of("factories")
    assert error.message.startswith("cannot call 'factories:create_app()': TypeError:")
    error = error_of("factories:make_nothing")
    assert error.message == ("'factories:make_nothing()' returned None, not a Flask app or route "
                             "data")
    error = error_of("factories:make_broken()")
    assert error.message == ("calling 'factories:make_broken()' raised TypeError: object of type "
                             "'int' has no len()")  # raised inside: not an arguments problem
    assert error.source == "factories.py:12"


@pytest.mark.parametrize("expression, message", [
    ("create_app(os.environ)", ("the arguments of 'create_app(os.environ)' must be Python "
                                "literals (strings, numbers, True/False/None, lists, dicts); "
                                "they are never evaluated")),
    ("a[0]", ("'a[0]' is neither a name nor a call of a name: expected 'module:name' or "
              "'module:factory(args)'")),
    ("create_app(", ("cannot parse 'create_app(': expected 'module:name' or "
                     "'module:factory(args)'")),
    ("create_app(**{'a': 1})", "'create_app(**{'a': 1})': *args and **kwargs are not supported"),
    ("NAME()", "'literal:NAME' is a str, not a function to call"),
])
def test_bad_expressions(project, expression, message):
    project.write("literal.py", "NAME = 'x'\ndef create_app(**kw):\n    pass\n")
    error = error_of(f"literal:{expression}")
    assert error.message == message
    assert error.source == f"literal:{expression}"


def test_bad_spec_shapes(project):
    assert error_of("not a module").message == ("'not a module' is not a module name like "
                                               "'package.module' or a path to a .py file")
    assert error_of(":app").message == "missing module name before ':'"
    assert error_of("mod:").message == "missing attribute name after ':'"


def test_cli_errors_exit_2_without_traceback_and_debug_shows_it(project):
    project.write("clifail.py", "def f():\n    raise ValueError('bad config')\nf()\n")
    result = run("-r", "clifail", "list")
    assert result.exit_code == 2
    assert result.output == ("clifail.py:2: error while importing 'clifail': ValueError: bad "
                             "config\n")
    sys.modules.pop("clifail", None)
    result = run("--debug", "-r", "clifail", "list")
    assert isinstance(result.exception, RouteError)
    assert isinstance(result.exception.__cause__, ValueError)


def test_cli_debug_traceback_shows_the_original_exception(project):
    project.write("clitb.py", "raise LookupError('missing key')\n")
    out = subprocess.run([sys.executable, "-m", "routecli", "--debug", "-r", "clitb", "list"],
                         capture_output=True, text=True, timeout=60, check=False, cwd=project.path,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode != 0
    assert "LookupError: missing key" in out.stderr
    assert "The above exception was the direct cause" in out.stderr
    out = subprocess.run([sys.executable, "-m", "routecli", "-r", "clitb", "list"],
                         capture_output=True, text=True, timeout=60, check=False, cwd=project.path,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 2
    assert out.stderr == "clitb.py:1: error while importing 'clitb': LookupError: missing key\n"


def test_module_output_does_not_reach_stdout(project):
    project.write("chatty.py", APP_MODULE + "\nprint('hello from the app')\n")
    result = CliRunner(mix_stderr=False).invoke(cli, ["-r", "chatty", "match", "GET", "/",
                                                      "-f", "json"]) \
        if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else \
        CliRunner().invoke(cli, ["-r", "chatty", "match", "GET", "/", "-f", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["endpoint"] == "index"
    assert "hello from the app" in result.stderr


def test_app_run_at_import_does_not_block(project):
    project.write("runs.py", APP_MODULE + "\napp.run(port=1)\n")
    out = subprocess.run([sys.executable, "-m", "routecli", "-r", "runs", "match", "GET", "/"],
                         capture_output=True, text=True, timeout=60, check=False, cwd=project.path,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    assert "index" in out.stdout
    assert "FLASK_RUN_FROM_CLI" not in os.environ


ARGPARSE_FACTORY = """
import argparse
from flask import Flask

def create_app():
    # calibre-web's create_app() parses the command line it was started with
    args = argparse.ArgumentParser().parse_args()
    app = Flask(__name__)
    app.add_url_rule("/", "index", lambda: "")
    return app

args_at_import = argparse.ArgumentParser().parse_args()
"""


def test_app_parsing_its_command_line_sees_no_arguments(project):
    project.write("argapp.py", ARGPARSE_FACTORY)
    out = subprocess.run([sys.executable, "-m", "routecli", "-r", "argapp:create_app()",
                          "match", "GET", "/"],
                         capture_output=True, text=True, timeout=60, check=False, cwd=project.path,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    assert "index" in out.stdout


def test_command_line_is_given_back_after_loading(project, monkeypatch):
    project.write("argapp2.py", ARGPARSE_FACTORY + "seen = __import__('sys').argv[:]\n")
    monkeypatch.setattr(sys, "argv", ["routecli", "-r", "argapp2:create_app()", "list"])
    table = RouteTable(load_python("argapp2:create_app()"))
    assert table.match("GET", "/").endpoint == "index"
    assert sys.argv == ["routecli", "-r", "argapp2:create_app()", "list"]
    assert sys.modules["argapp2"].seen == ["routecli"]


# ------------------------------------------------------------------------------- translation


@pytest.fixture(scope="module")
def sink():
    from fixtures_apps import kitchen_sink

    with record_rule_order():
        app = kitchen_sink.create_app()
    routeset = routeset_from_app(app)
    by_rule = {r.rule: r for r in routeset.routes}
    by_rule.update({r.endpoint: r for r in routeset.routes})  # "/items" has two rules
    return app, routeset, by_rule


def test_methods_translation(sink):
    _app, routeset, by_rule = sink
    assert by_rule["items"].methods == ("GET", "POST")  # HEAD and OPTIONS are implied
    assert by_rule["items"].provide_automatic_options is None
    assert by_rule["items_put"].methods == ("PUT",)
    assert by_rule["/cors"].methods == ("GET", "OPTIONS")  # explicit OPTIONS stays
    assert by_rule["/cors"].provide_automatic_options is False
    assert by_rule["/nopts"].methods == ("POST",)
    assert by_rule["/nopts"].provide_automatic_options is False
    assert by_rule["/forced"].methods == ("GET",)
    assert by_rule["/forced"].provide_automatic_options is True
    assert by_rule["/nothing"].methods == ()
    table = RouteTable(routeset)
    assert table.match("PUT", "/nopts").allowed_methods == ["POST"]
    assert table.match("GET", "/nothing").allowed_methods == ["OPTIONS"]
    assert table.match("OPTIONS", "/items").automatic_options is True
    assert table.match("OPTIONS", "/cors").automatic_options is False


def test_methods_without_automatic_options_config():
    from fixtures_apps import kitchen_sink

    routeset = routeset_from_app(kitchen_sink.create_app(automatic_options=False))
    assert routeset.settings.automatic_options is False
    by_endpoint = {r.endpoint: r for r in routeset.routes}
    assert by_endpoint["items"].methods == ("GET", "POST")
    assert by_endpoint["items"].provide_automatic_options is False
    assert RouteTable(routeset).match("OPTIONS", "/items").allowed_methods == [
        "GET", "HEAD", "POST", "PUT"]


def test_forced_automatic_options_with_config_off():
    app = flask.Flask(__name__, static_folder=None)
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    app.add_url_rule("/x", "x", lambda: "x", methods=["GET", "OPTIONS"],
                     provide_automatic_options=True)
    route = routeset_from_app(app).routes[0]
    assert route.methods == ("GET", "OPTIONS") and route.provide_automatic_options is True
    result = RouteTable(routeset_from_app(app)).match("OPTIONS", "/x")
    assert result.status == 200 and result.automatic_options is True


def test_slash_settings_are_resolved_per_rule():
    from fixtures_apps import kitchen_sink

    routeset = routeset_from_app(kitchen_sink.create_app(strict_slashes=False,
                                                         merge_slashes=False))
    assert routeset.settings.strict_slashes is False
    assert routeset.settings.merge_slashes is False
    by_rule = {r.rule: r for r in routeset.routes}
    # the static rule was bound before the map settings changed
    assert by_rule["/static/<path:filename>"].strict_slashes is True
    assert by_rule["/static/<path:filename>"].merge_slashes is True
    assert by_rule["/feed"].strict_slashes is False  # resolved: the map's when it was added
    assert by_rule["/strict/"].strict_slashes is True
    assert by_rule["/merge//me"].merge_slashes is True
    assert by_rule["/raw//double"].merge_slashes is False


def test_app_routes_keep_their_slash_behaviour_when_merged(project):
    project.write("merged_app.py", APP_MODULE.replace('@app.route("/")', '@app.route("/dir/")'))
    project.write("extra.yaml", "settings: {strict_slashes: false}\nroutes: []\n")
    table = RouteTable(load_routeset(["merged_app", "extra.yaml"]))
    assert table.settings.strict_slashes is False
    assert table.match("GET", "/dir").location == "/dir/"  # the app's rule stays strict


def test_options_translation(sink):
    _app, routeset, by_rule = sink
    assert by_rule["/posts/"].defaults == {"page": 1}
    assert by_rule["/u/<int:id>"].alias is True
    assert by_rule["/old/<slug:slug>"].redirect_to == "/posts/<slug>"
    assert callable(by_rule["/legacy/<int:id>"].redirect_to)
    assert by_rule["/build-only/<x>"].build_only is True
    assert by_rule["/v1/status"].subdomain == "api"
    assert by_rule["/admin/members/<int:member_id>"].endpoint == "admin.members.member"
    table = RouteTable(routeset)
    assert table.match("GET", "/legacy/7").location == "/users/7"
    assert table.match("GET", "/old/a-b?x=1").location == "/posts/a-b"
    assert table.match("GET", "/posts/page/1").location == "/posts/"
    assert table.match("GET", "/v1/status").status == 404  # no subdomain matching in this app


def test_converters_translation(sink):
    _app, routeset, by_rule = sink

    def conv(rule, name):
        return by_rule[rule].converters[name]

    assert isinstance(conv("/users/<int:id>", "id"), IntConverter)
    assert isinstance(conv("/users/<name>", "name"), StringConverter)
    assert conv("/users/<name>", "name").spec == "default"
    short = conv("/short/<string(minlength=2, maxlength=4):s>", "s")
    assert (short.minlength, short.maxlength, short.regex) == (2, 4, "[^/]{2,4}")
    assert conv("/cc/<string(length=2):cc>", "cc").length == 2
    price = conv("/price/<float(max=100.0):p>", "p")
    assert isinstance(price, FloatConverter) and price.max == 100.0
    signed = conv("/signed/<int(signed=True, min=0):v>", "v")
    assert (signed.signed, signed.min, signed.regex) == (True, 0, r"-?\d+")
    assert conv("/pad/<int(fixed_digits=3):v>", "v").fixed_digits == 3
    lang = conv("/lang/<any(en, fr, 'de-ch'):lang>/", "lang")
    assert isinstance(lang, AnyConverter) and lang.items == ("en", "fr", "de-ch")
    assert isinstance(conv("/obj/<uuid:u>", "u"), UUIDConverter)
    assert isinstance(conv("/files/<path:p>", "p"), PathConverter)
    # custom converters stay the app's own objects
    from fixtures_apps.kitchen_sink import ListConverter

    assert isinstance(conv("/tags/<list:tags>", "tags"), ListConverter)
    assert {"slug", "list", "even", "span", "lower", "fixed"} <= set(routeset.converters)
    assert routeset.converters["span"].part_isolating is False
    assert routeset.converters["lower"].part_isolating is False
    table = RouteTable(routeset)
    compiled = next(r for r in table.rules if r.rule == "/tags/<list:tags>")
    assert isinstance(compiled.converters["tags"], ForeignConverter)
    assert table.match("GET", "/tags/a,b").args == {"tags": ["a", "b"]}
    assert table.match("GET", "/tags/a,b,c,d").status == 404  # ValidationError
    assert table.match("GET", "/n/4").endpoint == "even"
    assert table.match("GET", "/n/5").status == 404  # even refuses, int is never tried
    assert table.match("GET", "/files/ab/cd/raw").args == {"sp": "ab/cd"}
    assert table.match("GET", "/fixed/abc").endpoint == "fixed"
    assert table.match("GET", "/fixed/abcd").endpoint is None


def test_odd_builtin_arguments_fall_back_to_the_apps_converter():
    app = flask.Flask(__name__, static_folder=None)
    app.add_url_rule("/i/<int(min=a):x>", "i", lambda x: "x")  # Werkzeug accepts, then fails
    app.url_map.converters["str2"] = app.url_map.converters["string"]
    app.add_url_rule("/s/<str2(length=2):y>", "s", lambda y: "y")
    by_rule = {r.rule: r for r in routeset_from_app(app).routes}
    assert not isinstance(by_rule["/i/<int(min=a):x>"].converters["x"], IntConverter)
    native = by_rule["/s/<str2(length=2):y>"].converters["y"]
    assert isinstance(native, StringConverter) and native.spec == "str2(length=2)"


def test_views_and_sources(sink):
    _app, _routeset, by_rule = sink
    origin = os.path.join("tests", "fixtures_apps", "kitchen_sink.py")
    source = Path(ROOT / origin).read_text().splitlines()
    users = by_rule["/users/<name>"]
    assert users.view == "fixtures_apps.kitchen_sink.create_app.<locals>.user"
    # each rule of a multi-decorator view points at its own decorator
    assert source[users.source.line - 1].strip() == '@app.route("/users/<name>")'
    int_users = by_rule["/users/<int:id>"]
    assert source[int_users.source.line - 1].strip() == '@app.route("/users/<int:id>")'
    assert int_users.source.file == origin
    secret = by_rule["/secret"]  # functools.wraps is unwrapped
    assert secret.view.endswith("create_app.<locals>.secret")
    assert source[secret.source.line - 1].strip() == '@app.route("/secret")'
    thing = by_rule["/things/<int:thing_id>"]  # a MethodView: the class...
    assert thing.view == "fixtures_apps.kitchen_sink.ThingAPI"
    # ... and the rule's own add_url_rule line (was: the class line)
    assert source[thing.source.line - 1].strip().startswith(
        'app.add_url_rule("/things/<int:thing_id>", view_func=ThingAPI.as_view(')
    static = by_rule["/static/<path:filename>"]
    assert static.view == "flask.app.Flask.send_static_file"
    assert "Flask(__name__" in source[static.source.line - 1]
    member = by_rule["/admin/members/<int:member_id>"]
    assert source[member.source.line - 1].strip() == '@members.get("/<int:member_id>")'


def test_static_route_matches_like_flask(sink):
    _app, routeset, _by_rule = sink
    table = RouteTable(routeset)
    result = table.match("GET", "/static/css/site.css")
    assert result.endpoint == "static" and result.args == {"filename": "css/site.css"}
    assert table.match("POST", "/static/x").allowed_methods == ["GET", "HEAD", "OPTIONS"]


def test_host_matching_settings():
    from fixtures_apps import hosts_app

    routeset = routeset_from_app(hosts_app.create_app())
    assert routeset.settings.host_matching is True
    assert routeset.routes[0].host == "static.example.com"
    table = RouteTable(routeset)
    assert table.match("GET", "http://bob.example.com/users/3").args == {"tenant": "bob", "id": 3}
    assert table.match("GET", "http://static.example.com/static/a.css").endpoint == "static"


def test_subdomain_settings():
    from fixtures_apps import subdomains_app

    routeset = routeset_from_app(subdomains_app.create_app("www"))
    assert routeset.settings.server_name == "example.com"
    assert routeset.settings.default_subdomain == "www"
    by_endpoint = {r.endpoint: r for r in routeset.routes}
    assert by_endpoint["index"].subdomain is None  # the map's default
    assert by_endpoint["api.item"].subdomain == "api"
    assert by_endpoint["outer.inner.line"].subdomain == "shop"
    assert routeset.settings.subdomain_matching is True
    app = subdomains_app.create_app()
    app.subdomain_matching = False
    settings = routeset_from_app(app).settings
    # SERVER_NAME still decides where redirects point; subdomains are not matched.
    assert (settings.server_name, settings.subdomain_matching) == ("example.com", False)


# ------------------------------------------------------------------------------- rule order


def test_recorded_order_is_registration_order():
    from fixtures_apps import kitchen_sink

    with record_rule_order():
        app = kitchen_sink.create_app()
    rules, sites, how = rule_order(app.url_map)
    assert how == "recorded"
    assert [r.rule for r in rules[:5]] == ["/static/<path:filename>", "/", "/about/",
                                           "/users/<name>", "/users/<int:id>"]
    assert all(site is not None for site in sites.values())


def test_recording_restores_map_add():
    add = Map.add
    with record_rule_order():
        assert Map.add is not add
        with record_rule_order():  # nested: still one wrapper
            pass
        assert Map.add is not add
    assert Map.add is add


def test_load_python_records_factory_apps():
    routeset = load_python("fixtures_apps.kitchen_sink:create_app")
    assert [r.rule for r in routeset.routes[3:5]] == ["/users/<name>", "/users/<int:id>"]


def test_derived_order_keeps_equal_weight_transition_order():
    """Walk order would put B's transition first; the greedy pass keeps Flask's tie order.

    P creates the path transition, A the <x> one, B the <any> one (equal weight to <x>,
    created later). A must wait for P (same endpoint, equal build key), and B must wait
    for A's transition."""
    app = flask.Flask(__name__, static_folder=None)
    view = lambda **kw: "x"
    app.add_url_rule("/<path:x>", "e", view)                # P
    app.add_url_rule("/<x>/a", "e", view)                   # A
    app.add_url_rule("/<any(q,r):y>/a", "f", view)          # B
    rules, _, how = rule_order(app.url_map)
    assert how == "derived"
    assert [r.rule for r in rules] == ["/<path:x>", "/<x>/a", "/<any(q,r):y>/a"]
    with app.test_request_context("/q/a"):
        assert flask.request.url_rule.rule == "/<x>/a"
    assert RouteTable(routeset_from_app(app)).match("GET", "/q/a").rule.rule == "/<x>/a"


def test_derived_order_keeps_endpoint_ties_for_redirect_defaults():
    app = flask.Flask(__name__, static_folder=None)
    view = lambda **kw: "x"
    app.add_url_rule("/a/zzz", "other", view)
    app.add_url_rule("/b/", "e", view, defaults={"page": 1})
    app.add_url_rule("/a/", "e", view, defaults={"page": 1})
    app.add_url_rule("/p/<int:page>", "e", view)
    rules, _, how = rule_order(app.url_map)
    assert how == "derived"
    assert [r.rule for r in rules][:3] == ["/a/zzz", "/b/", "/a/"]
    with app.test_request_context("/p/1"):
        assert flask.request.routing_exception.new_url == "http://localhost/b/"
    assert RouteTable(routeset_from_app(app)).match("GET", "/p/1").location == "/b/"


def test_derived_order_transition_sharing():
    """Transition sharing (docs/semantics.md#priority): R3 shares R1's transition."""
    app = flask.Flask(__name__, static_folder=None)
    view = lambda **kw: "x"
    app.add_url_rule("/<a>/x", "R1", view)
    app.add_url_rule("/<any(p,q):b>/y", "R2", view)
    app.add_url_rule("/<c>/y", "R3", view)
    assert RouteTable(routeset_from_app(app)).match("GET", "/p/y").endpoint == "R3"


def test_raw_rules_and_factories_added_to_the_map():
    from werkzeug.routing import Submount

    with record_rule_order():
        app = flask.Flask(__name__, static_folder=None)
        app.url_map.add(Rule("/raw", endpoint="raw"))
        app.url_map.add(Submount("/sub", [Rule("/one", endpoint="one"),
                                          Rule("/two", endpoint="two")]))
    rules, _, how = rule_order(app.url_map)
    assert how == "recorded"
    assert [r.rule for r in rules] == ["/raw", "/sub/one", "/sub/two"]
    route = routeset_from_app(app).routes[0]
    assert route.methods is None and route.view is None


# ------------------------------------------------------------------------------- CLI


@pytest.fixture
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("FLASK_APP", raising=False)
    monkeypatch.delenv("ROUTECLI_ROUTES", raising=False)


def test_sample_flask_blog_match(at_root):
    result = run("-r", "sample_routes.flask_blog:app", "match", "GET", "/blog/posts/42",
                 "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["endpoint"] == "get_blog_post" and data["args"] == {"post_id": "42"}
    assert data["source"].startswith(os.path.join("sample_routes", "flask_blog.py") + ":")


@pytest.mark.parametrize("spec", ["sample_routes.flask_blog", "sample_routes/flask_blog.py"])
def test_sample_flask_blog_other_spellings(at_root, spec):
    assert run("-r", spec, "match", "GET", "/blog/post/foo").exit_code == 1
    result = run("-r", spec, "match", "GET", "/api/tags/flask+python", "-f", "json")
    assert json.loads(result.output)["args"] == {"tags": ["flask", "python"]}


def test_sample_flask_blog_seed_examples(at_root):
    table = RouteTable(load_python("sample_routes.flask_blog:app"))
    assert table.match("GET", "/blog/posts").args == {"post_id": None}
    assert table.match("GET", "/blog/post/foo").status == 404
    assert table.match("POST", "/blog/new").endpoint == "new_post"
    assert table.match("PUT", "/login").allowed_methods == ["GET", "HEAD", "OPTIONS", "POST"]
    assert table.match("GET", "/endpoint").endpoint == "get_endpoint"
    assert table.match("DELETE", "/endpoint").endpoint == "post_or_put"
    assert table.match("GET", "/api/posts/My-Post").status == 404  # slug is lower-case
    assert table.match("GET", "/api/tags/a+b+c+d+e+f").status == 404  # six tags: refused


def test_list_shows_view_column(at_root):
    result = run("-r", "sample_routes.flask_blog:app", "list")
    assert result.exit_code == 0
    header = result.output.splitlines()[0].split()
    assert header[:3] == ["Endpoint", "Methods", "Rule"] and "View" in header
    assert "sample_routes.flask_blog.get_blog_post" in result.output
    rows = json.loads(run("-r", "sample_routes.flask_blog:app", "list", "-f", "json").output)
    assert rows[0]["endpoint"] == "static" and rows[0]["view"] == "flask.app.Flask.send_static_file"


def test_python_and_file_sources_merge(at_root):
    result = run("-r", "sample_routes.flask_blog:app", "-r", "sample_routes/catch_all.yaml",
                 "list", "-f", "json")
    assert result.exit_code == 0, result.output
    endpoints = [row["endpoint"] for row in json.loads(result.output)]
    assert endpoints[0] == "static" and endpoints[-1] == "catch_all"


@pytest.mark.parametrize("command", ["lint", "conflicts"])
def test_lint_and_conflicts_accept_python_sources(at_root, command):
    result = run("-r", "sample_routes.flask_blog:app", command, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.output)
    assert "findings" in data
    for finding in data["findings"]:
        for route in finding["routes"]:
            assert route["source"] is None or "flask_blog.py:" in route["source"]


def _trie_signature(url_map):
    url_map.update()

    def state(node):
        return (
            [(r.rule, r.endpoint) for r in node.rules],
            {key: state(child) for key, child in node.static.items()},
            [(part.content, part.weight, state(child)) for part, child in node.dynamic],
        )

    by_endpoint = {e: [r.rule for r in rules] for e, rules in url_map._rules_by_endpoint.items()}
    return state(url_map._matcher._root), by_endpoint


def test_derived_order_rebuilds_werkzeugs_own_matcher():
    """Random maps, rules added in random order: re-adding the rules in the derived order
    gives Werkzeug the same trie (rules per state, transitions and their tie order) and
    the same per-endpoint build order."""
    import random

    pieces = ["a", "b", "new", "<{}>", "<int:{}>", "<any(a,b):{}>", "<any(q,r):{}>",
              "<path:{}>", "<{}>.json", "v<int:{}>"]
    rng = random.Random(7)
    for _ in range(300):
        rules = []
        for _ in range(rng.randint(2, 9)):
            segments = [rng.choice(pieces).format(f"v{i}") for i in range(rng.randint(0, 3))]
            text = "/" + "/".join(segments) + ("/" if segments and rng.random() < 0.3 else "")
            options = {}
            if rng.random() < 0.3:
                options["defaults"] = {"page": 1}
            if rng.random() < 0.1:
                options["build_only"] = True
            rules.append(Rule(text, endpoint=rng.choice(["e1", "e2", "e3"]), **options))
        original = Map(rules)
        derived, _, how = rule_order(original)
        assert how == "derived"
        rebuilt = Map([rule.empty() for rule in derived])
        assert _trie_signature(rebuilt) == _trie_signature(original), [r.rule for r in rules]


def test_python_package_directory_spec(project):
    project.write("mypkg/__init__.py", APP_MODULE)
    for spec in ("mypkg", "mypkg/"):
        routeset = load_routeset([spec])
        assert [r.endpoint for r in routeset.routes] == ["static", "index", "create_item"], spec
        sys.modules.pop("mypkg", None)


def test_recording_installs_itself_when_werkzeug_is_imported_later():
    code = ("import sys; from routecli.sources.python import load_python; "
            "from routecli.sources.python.registration_order import rule_order; "
            "assert 'werkzeug' not in sys.modules; "
            "load_python('sample_routes.flask_blog:app'); "
            "from sample_routes.flask_blog import app; from werkzeug.routing import Map; "
            "print(rule_order(app.url_map)[2], Map.add.__name__)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["recorded", "add"]


def test_validation_error_subclass_is_a_404():
    from werkzeug.routing import BaseConverter, ValidationError

    class Refused(ValidationError):
        pass

    class Picky(BaseConverter):
        def to_python(self, value):
            raise Refused()

    app = flask.Flask(__name__, static_folder=None)
    app.url_map.converters["picky"] = Picky
    app.add_url_rule("/c/<picky:x>", "c", lambda x: x)
    with app.test_request_context("/c/a"):
        assert flask.request.routing_exception.code == 404
    assert RouteTable(routeset_from_app(app)).match("GET", "/c/a").status == 404


def test_help_warns_that_python_sources_run_code():
    result = run("list", "--help")
    assert "which runs its code" in " ".join(result.output.split())


def test_routecli_entry_frames_are_never_the_users_code():
    import types

    from routecli.cli import main
    from routecli.sources.python.user_code import is_routecli_entry

    assert is_routecli_entry({"main": main})  # the console script
    assert is_routecli_entry({"__spec__": types.SimpleNamespace(name="routecli.__main__")})
    assert not is_routecli_entry({"__spec__": None, "main": print})  # a user's own script


def test_attribute_of_an_object_and_a_hint_for_wrappers(tmp_path, monkeypatch):
    (tmp_path / "dash_like_mod.py").write_text(
        "from flask import Flask\n"
        "class Dash:\n"
        "    def __init__(self):\n"
        "        self.server = Flask('d')\n"
        "        self.server.add_url_rule('/x', 'x', lambda: '')\n"
        "app = Dash()\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RouteError, match=r"use -r 'dash_like_mod:app.server'"):
        load_python("dash_like_mod:app")
    routes = load_python("dash_like_mod:app.server").routes
    assert [r.rule for r in routes] == ["/static/<path:filename>", "/x"]


# ------------------------------------------------------------------------------- true source lines


def _source_lines(spec: str) -> list[tuple[str, str]]:
    """(rule, the stripped source line it points at) for each rule of ``spec``, in order."""
    lines = []
    for route in load_python(spec).routes:
        text = Path(ROOT / route.source.file).read_text().splitlines()[route.source.line - 1]
        lines.append((route.rule, text.strip()))
    return lines


def test_blueprint_and_class_based_rules_point_at_their_own_lines(at_root):
    """docs/python-sources.md#what-routecli-reads-from-a-flask-app: every rule at its own
    decorator or add_url_rule line, the static routes at the Flask()/Blueprint() calls."""
    assert _source_lines("fixtures_apps.blueprint_views:create_app") == [
        ("/static/<path:filename>", "app = Flask(__name__)"),
        ("/shop/assets/<path:filename>",
         'shop = Blueprint("shop", __name__, url_prefix="/shop", static_folder="static",'),
        # stacked decorators apply bottom-up
        ("/shop/all", '@shop.route("/all", defaults={"page": 0})'),
        ("/shop/page/<int:page>", '@shop.route("/page/<int:page>")'),
        ("/shop/", '@shop.route("/")'),
        ("/shop/product/<slug>", '@shop.post("/product/<slug>")'),
        ("/shop/product/<slug>", '@shop.get("/product/<slug>")'),
        ("/shop/items/", 'shop.add_url_rule("/items/", view_func=items, methods=["GET", "POST"])'),
        ("/shop/items/<int:item_id>",
         'shop.add_url_rule("/items/<int:item_id>", view_func=items, methods=["GET", '
         '"DELETE"])'),
        ("/shop/admin/orders/", '@admin.route("/orders/")'),
        ("/shop/admin/orders/<int:order>", '@admin.route("/orders/<int:order>")'),
        ("/shop/admin/reports/<int:year>",
         'admin.add_url_rule("/reports/<int:year>", view_func=ReportView.as_view("reports"))'),
        ("/ping", 'app.add_url_rule("/ping", view_func=PingAPI.as_view("ping"))'),
    ]


INSTALLED_APP = '''
from flask import Blueprint, Flask
from flask.blueprints import BlueprintSetupState
from flask.views import MethodView


class HostState(BlueprintSetupState):  # as flask_admin.blueprints does
    def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
        super().add_url_rule(rule, endpoint, view_func, **options)


class PanelBlueprint(Blueprint):
    def make_setup_state(self, app, options, first_registration=False):
        return HostState(self, app, options, first_registration)


app = Flask(__name__)
panel = PanelBlueprint("panel", __name__, static_folder="static", url_prefix="/panel")


def home():
    return "home"


class ModelView(MethodView):
    def get(self):
        return "model"


panel.add_url_rule("/", view_func=home)
panel.add_url_rule("/model", view_func=ModelView.as_view("model"))
app.register_blueprint(panel)
'''


def test_installed_package_sources_are_import_paths(project, tmp_path_factory, monkeypatch):
    """An app built inside an installed package (a site-packages directory on sys.path):
    its rules point into the package as import paths, the static routes at the package's
    own Flask()/Blueprint() calls, never at the user's import line
    (docs/python-sources.md#paths)."""
    site = tmp_path_factory.mktemp("venv") / "lib" / "site-packages"
    (site / "fakeadmin").mkdir(parents=True)
    (site / "fakeadmin" / "__init__.py").write_text("")
    (site / "fakeadmin" / "app.py").write_text(INSTALLED_APP.lstrip())
    monkeypatch.syspath_prepend(str(site))
    project.write("wrapper.py", "import os\nfrom fakeadmin.app import app\n")
    try:
        routes = load_python("wrapper:app").routes
    finally:
        for name in ("fakeadmin", "fakeadmin.app", "wrapper"):
            sys.modules.pop(name, None)
    shown = os.path.join("fakeadmin", "app.py")
    lines = INSTALLED_APP.lstrip().splitlines()

    def at(text: str) -> str:
        return f"{shown}:{next(n for n, line in enumerate(lines, 1) if line.startswith(text))}"

    assert [(r.endpoint, str(r.source)) for r in routes] == [
        ("static", at("app = Flask(")),
        ("panel.static", at("panel = PanelBlueprint(")),
        ("panel.home", at("def home(")),
        ("panel.model", at("class ModelView(")),  # the user did not register it
    ]


@pytest.mark.parametrize("module_name", ["argparse", "unittest.mock", "flask.sansio.app",
                                         "fixtures_apps.kitchen_sink",
                                         "fixtures_apps.blueprint_views"])
def test_class_first_lines_agree_with_inspect(module_name):
    """The one-parse table gives every class the line inspect.getsourcelines gives."""
    import importlib

    from routecli.sources.python.user_code import class_lines

    module = importlib.import_module(module_name)
    classes = [obj for obj in vars(module).values()
               if isinstance(obj, type) and obj.__module__ == module_name]
    table = class_lines(module.__file__, module)
    assert classes and table
    for cls in classes:
        assert table[cls.__qualname__] == inspect.getsourcelines(cls)[1], cls


def test_class_sources_parse_each_file_once(monkeypatch):
    """Issue #9: one parse per file, not one per class-based view."""
    from fixtures_apps import blueprint_views
    from routecli.sources.python import user_code

    classes = (blueprint_views.ItemAPI, blueprint_views.ReportView, blueprint_views.PingAPI)
    expected = [inspect.getsourcelines(cls)[1] for cls in classes]
    parses = []
    real_parse = user_code.ast.parse
    monkeypatch.setattr(user_code, "_CLASS_LINES", {})
    monkeypatch.setattr(user_code.ast, "parse", lambda *a, **k: parses.append(1) or
                        real_parse(*a, **k))
    assert [user_code.class_source(cls).line for cls in classes] == expected
    assert len(parses) == 1
