"""Benchmark reading a big live Flask app against building it (docs/python-sources.md).

    python bench/bench_app_load.py                  # 2,000 rules, best of 3
    python bench/bench_app_load.py --rules 4000 --repeat 5

Generates, in a temporary directory, a package ``genapp`` whose import builds a Flask app of
about ``--rules`` rules: blueprints (each with a nested one), functions under stacked
``@bp.route`` decorators (some wrapped with ``functools.wraps``), ``MethodView`` classes
registered twice with ``add_url_rule`` and ``View.as_view`` classes (some class-decorated).
Each figure is the best of ``--repeat`` fresh subprocesses (nothing warm but the .pyc files):

- build: ``import genapp`` (which runs ``create_app()``);
- load:  ``routecli.load("genapp:app")`` in-process, which is what ``routecli -r genapp:app
  list --format json`` spends before printing (import, build, read the app, compile).

The ratio load / build is what the issue asks to keep at or below ~1.5.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Rules per section module: 2 x FUNCS (stacked decorators) + 2 x METHOD_VIEWS (each class
# registered twice) + VIEWS (View.as_view, nested blueprint) + NESTED_FUNCS.
FUNCS, METHOD_VIEWS, VIEWS, NESTED_FUNCS = 40, 30, 20, 20
RULES_PER_SECTION = 2 * FUNCS + 2 * METHOD_VIEWS + VIEWS + NESTED_FUNCS


def section_module(n: int) -> str:
    """The source of one section: a blueprint and a nested one, ~200 rules."""
    out = [textwrap.dedent(f"""\
        from functools import wraps

        from flask import Blueprint
        from flask.views import MethodView, View

        bp = Blueprint("s{n}", __name__, url_prefix="/s{n}")
        nested = Blueprint("s{n}_admin", __name__, url_prefix="/admin")


        def logged(view):
            @wraps(view)
            def wrapper(*args, **kwargs):
                return view(*args, **kwargs)

            return wrapper


        def tagged(cls):
            cls.tag = "x"
            return cls

        """)]
    for i in range(FUNCS):
        wrap = "@logged\n" if i % 4 == 0 else ""
        out.append(f'@bp.route("/f{i}")\n@bp.route("/f{i}/<int:page>")\n{wrap}'
                   f'def f{i}(page=1):\n    """A view."""\n    return "f{i}"\n\n\n')
    for i in range(METHOD_VIEWS):
        out.append(f'class Item{i}API(MethodView):\n'
                   f'    def get(self, item_id=None):\n        return "item"\n\n'
                   f'    def post(self):\n        return "created"\n\n'
                   f'    def delete(self, item_id):\n        return "gone"\n\n\n')
    for i in range(VIEWS):
        deco = "@tagged\n" if i % 2 == 0 else ""
        out.append(f'{deco}class Page{i}(View):\n    methods = ["GET", "POST"]\n\n'
                   f'    def dispatch_request(self, slug):\n        return slug\n\n\n')
    for i in range(NESTED_FUNCS):
        out.append(f'@nested.get("/n{i}/<slug>")\ndef n{i}(slug):\n    return slug\n\n\n')
    out.append("def register(app):\n")
    for i in range(METHOD_VIEWS):
        out.append(f'    item{i} = Item{i}API.as_view("item{i}")\n'
                   f'    bp.add_url_rule("/items{i}/", view_func=item{i}, methods=["GET", '
                   f'"POST"])\n'
                   f'    bp.add_url_rule("/items{i}/<int:item_id>", view_func=item{i}, '
                   f'methods=["GET", "DELETE"])\n')
    for i in range(VIEWS):
        out.append(f'    nested.add_url_rule("/p{i}/<slug>", view_func=Page{i}.as_view('
                   f'"page{i}"))\n')
    out.append("    bp.register_blueprint(nested)\n    app.register_blueprint(bp)\n")
    return "".join(out)


def write_app(directory: Path, rules: int) -> int:
    """Write package ``genapp`` into ``directory``; returns the number of rules it makes."""
    sections = max(1, round(rules / RULES_PER_SECTION))
    package = directory / "genapp"
    package.mkdir()
    for n in range(sections):
        (package / f"section{n}.py").write_text(section_module(n), encoding="utf-8")
    imports = "".join(f"from genapp import section{n}\n" for n in range(sections))
    registers = "".join(f"    section{n}.register(app)\n" for n in range(sections))
    (package / "__init__.py").write_text(
        f"from flask import Flask\n\n{imports}\n\ndef create_app():\n"
        f"    app = Flask(__name__)\n{registers}    return app\n\n\napp = create_app()\n",
        encoding="utf-8")
    return sections * RULES_PER_SECTION + 1  # + the static rule


BUILD = """
import time
start = time.perf_counter()
import genapp
elapsed = time.perf_counter() - start
print(elapsed, len(list(genapp.app.url_map.iter_rules())))
"""

LOAD = """
import time
import routecli
start = time.perf_counter()
table = routecli.load("genapp:app")
elapsed = time.perf_counter() - start
print(elapsed, len(table.routes))
"""


def best_of(code: str, directory: Path, repeat: int) -> tuple[float, int]:
    """Best seconds (and the rule count printed) over ``repeat`` fresh interpreters."""
    times = []
    count = 0
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c", code], cwd=directory, check=True,
                              capture_output=True, text=True,
                              env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
        seconds, count_text = done.stdout.split()
        times.append(float(seconds))
        count = int(count_text)
    return min(times), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR", help="write the app here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="routecli-bench-app-") as tmp:
        directory = Path(args.keep or tmp)
        directory.mkdir(parents=True, exist_ok=True)
        expected = write_app(directory, args.rules)
        best_of(BUILD, directory, 1)  # writes the .pyc files, not timed
        build, built = best_of(BUILD, directory, args.repeat)
        load, loaded = best_of(LOAD, directory, args.repeat)
    assert built == expected, (built, expected)
    print(f"rules: {built:,} (routes read: {loaded:,})")
    print(f"build (import genapp, create_app): {build:.3f} s  (best of {args.repeat})")
    print(f"load  (routecli.load('genapp:app')): {load:.3f} s  (best of {args.repeat})")
    print(f"ratio load / build: {load / build:.2f}")


if __name__ == "__main__":
    main()
