"""Hostile inputs for every entry point (issue #13), as an attacker and a careless user
would try them: the case table and the checks, shared by the standing test
(tests/robustness/test_entry_points_hostile.py runs a sample of every category) and the
full sweep run by hand (``python bench/hostile_audit.py``).

Each case builds a small project in a temporary directory, runs ``python -m routecli``
there under a memory limit (RLIMIT_AS) and a timeout, and checks what docs/exit-codes.md
promises: the expected exit status; on exit 2 exactly one line on standard error, no
traceback and no "internal error"; no raw control, C1 or bidi character in human output;
every file of the project untouched; nothing run that the input asked for (no MARKER).
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY = 1 << 30
TIMEOUT = 40
SPEC_BOUND = 30  # seconds a case may take before it counts as unbounded


@dataclass
class Case:
    category: str
    name: str  # unique; the standing test picks its sample by name
    args: list[str]
    files: dict[str, bytes | str] = field(default_factory=dict)
    exits: tuple[int, ...] = (2,)
    stdin: bytes | str | None = None  # bytes, or a path to open
    env: dict[str, str] = field(default_factory=dict)
    human: bool = True  # stdout is a human format: no raw controls allowed
    one_line: bool = True  # exit 2 must be one line on stderr
    message: str | None = None  # a substring the stderr line must hold
    setup: object = None  # callable(project_dir) run after the files are written
    timeout: float = TIMEOUT
    may_run: bool = False  # the named module's own code may run (the trust model allows it)
    known: str = ""  # a known limitation (reported, not fixed): why


def _unsafe(text: str) -> list[str]:
    bad = []
    for char in text:
        if char in "\n":
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cf") or char in "\u2028\u2029":
            bad.append(repr(char))
    return bad


def _snapshot(directory: Path) -> dict[str, tuple[bytes, int, int]]:
    state = {}
    for path in sorted(directory.rglob("*")):
        if "__pycache__" in path.parts or path.name == "MARKER":
            continue
        try:
            if path.is_symlink() or not path.is_file():
                continue
            info = path.stat()
            with open(path, "rb") as handle:
                data = handle.read(1 << 20)
            state[str(path.relative_to(directory))] = (data, info.st_mtime_ns, info.st_size)
        except OSError:
            continue
    return state


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    os.setsid()


def run_case(case: Case, base: Path) -> tuple[str, str, float]:
    project = Path(tempfile.mkdtemp(prefix=case.name[:40].replace("/", "_") + "-", dir=base))
    for name, content in case.files.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    if case.setup:
        case.setup(project)
    before = _snapshot(project)
    env = {key: value for key, value in os.environ.items()
           if key not in ("ROUTECLI_ROUTES", "FLASK_APP", "DJANGO_SETTINGS_MODULE")}
    env.update({"PYTHONPATH": str(ROOT), "NO_COLOR": "1",
                "ROUTECLI_CACHE_DIR": str(project / ".cache"), **case.env})
    stdin = subprocess.DEVNULL
    handle = None
    if isinstance(case.stdin, bytes):
        stdin = subprocess.PIPE
    elif isinstance(case.stdin, str):
        handle = open(case.stdin, "rb")  # noqa: SIM115
        stdin = handle
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "routecli", *case.args], cwd=project,
                               env=env, stdin=stdin, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, preexec_fn=_limits)
    try:
        out, err = process.communicate(case.stdin if isinstance(case.stdin, bytes) else None,
                                       timeout=case.timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.communicate()
        return "FAIL", f"no end within {case.timeout:.0f} s", case.timeout
    finally:
        if handle:
            handle.close()
    seconds = time.perf_counter() - start
    stdout = out.decode("utf-8", "replace")
    stderr = err.decode("utf-8", "replace")
    problems = []
    if process.returncode not in case.exits:
        problems.append(f"exit {process.returncode}, wanted {case.exits}")
    if "Traceback" in stderr:
        problems.append("traceback")
    if "internal error" in stderr:
        problems.append("internal error")
    if process.returncode == 2 and case.one_line and not stderr.startswith("Usage:"):
        if stderr.count("\n") != 1 or not stderr.endswith("\n"):
            problems.append(f"{stderr.count(chr(10))} lines on stderr")
    if case.message and case.message not in stderr:
        problems.append(f"message lacks {case.message!r}")
    unsafe = _unsafe(stderr) + (_unsafe(stdout) if case.human else [])
    if unsafe:
        problems.append(f"raw characters {sorted(set(unsafe))[:4]}")
    if (project / "MARKER").exists() and not case.may_run:
        problems.append("code ran (MARKER)")
    after = _snapshot(project)
    if after != before:  # new files (reports) are fine; changed or lost ones are not
        changed = [k for k in before if before[k] != after.get(k) and not k.startswith(".cache")]
        if changed:
            problems.append(f"files changed: {sorted(changed)[:3]}")
    if seconds > SPEC_BOUND:
        problems.append(f"slow: {seconds:.1f} s")
    first = stderr.strip().splitlines()[:1]
    detail = "; ".join(problems) if problems else (first[0][:110] if first else "")
    return ("FAIL" if problems else "ok"), f"[{process.returncode}] {detail}", seconds


# ------------------------------------------------------------------------ building blocks

def laughs(levels: int = 9) -> str:
    parts = ["&a0 [" + ", ".join(['"lol"'] * 9) + "]"]
    parts += [f"&a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "[" + ", ".join(parts) + "]"


LAUGH = laughs()
DEEP = 100_000
FLASK_APP = (
    "from flask import Flask\napp = Flask(__name__)\n"
    "@app.route('/a/<x>')\ndef a(x):\n    return x\n")
STARLETTE_APP = (
    "from starlette.applications import Starlette\nfrom starlette.routing import Route, Mount\n"
    "async def e(request):\n    pass\n"
    "app = Starlette(routes=[Route('/users/{id:int}', e), Mount('/api', routes=[Route('/x', e)])])\n")
FASTAPI_APP = (
    "from fastapi import FastAPI\napp = FastAPI()\n"
    "@app.get('/items/{item_id}')\ndef item(item_id: int):\n    return item_id\n")
DJANGO_SETTINGS = (
    "SECRET_KEY = 'x'\nROOT_URLCONF = 'site_urls'\nINSTALLED_APPS = []\nALLOWED_HOSTS = ['*']\n")
DJANGO_URLS = (
    "from django.urls import path, re_path\n"
    "def v(request, **kw):\n    pass\n"
    "urlpatterns = [path('users/<int:id>/', v, name='user'), re_path(r'^a/(?P<x>[a-z]+)/$', v)]\n")
GOOD_YAML = "routes:\n  - {rule: '/a/<x>', endpoint: a}\n  - {rule: /b, endpoint: b}\n"
STAR_YAML = ("settings: {dialect: starlette}\nroutes:\n  - {rule: '/u/{id:int}', endpoint: u}\n"
             "  - mount: /api\n    routes:\n      - {rule: /x, endpoint: x}\n")
FAST_YAML = "settings: {dialect: fastapi}\nroutes:\n  - {rule: '/i/{id}', endpoint: i}\n"
DJ_YAML = ("settings: {dialect: django}\nroutes:\n  - {rule: 'u/<int:id>/', endpoint: u}\n"
           "  - {regex: '^a/(?P<x>[a-z]+)/$', endpoint: a}\n")
DIALECT_FILES = {"werkzeug": GOOD_YAML, "starlette": STAR_YAML, "fastapi": FAST_YAML,
                 "django": DJ_YAML}
NASTY = "\x1b[31mRED\x1b[0m\x9b2J\u202eevil\u2066x\r\x07"


def gzip_bomb() -> bytes:
    return gzip.compress(b"\n" * (256 << 20), 9)


def _kbi(name: str, exits: tuple[int, ...]) -> tuple[int, ...]:
    """A KeyboardInterrupt the app raises is Ctrl-C as far as Python can tell: 130."""
    return (130,) if name.endswith("kbi") else exits


def cases() -> list[Case]:  # noqa: C901, PLR0915 - one long inventory reads best
    out: list[Case] = []

    def add(category, name, args, **kw):
        if category == "app-exit":
            kw["exits"] = _kbi(name, kw.get("exits", (2,)))
        taken = {case.name for case in out}
        unique, count = name, 1
        while unique in taken:
            count += 1
            unique = f"{name}-{count}"
        out.append(Case(category, unique, list(args), **kw))

    # ---------------------------------------------------------------- 1. spec strings
    specs = {
        "os-system": "os:system('touch MARKER')",
        "builtins-exec": "builtins:exec(\"open('MARKER','w')\")",
        "builtins-eval": "builtins:eval(\"open('MARKER','w')\")",
        "builtins-open": "builtins:open('MARKER', 'w')",
        "attr-chain": "os:path.os.system('touch MARKER')",
        "shutil-rmtree": "shutil:rmtree('keep')",
        "subprocess": "subprocess:run(['touch', 'MARKER'])",
        "pathlib-touch": "pathlib:Path('MARKER')",
        "dunder-import": "builtins:__import__('os')",
        "getattr-chain": "os:__dict__",
        "non-literal-arg": "app:create_app(open('MARKER','w'))",
        "non-literal-name": "app:create_app(x)",
        "lambda-arg": "app:create_app(lambda: 1)",
        "call-in-arg": "app:create_app(__import__('os').system('touch MARKER'))",
        "fstring-arg": "app:create_app(f'{1}')",
        "starred-arg": "app:create_app(*['x'])",
        "kwargs-splat": "app:create_app(**{'a': 1})",
        "reexported-factory": "app:reexported()",
        "reexported-stdlib": "app:rmtree('keep')",
        "class-factory": "app:Klass()",
        "method-chain": "app:obj.method()",
        "flask-callable": "flask:Flask('x')",
        "werkzeug-map": "werkzeug.routing:Map()",
        "starlette-class": "starlette.applications:Starlette()",
        "django-include": "django.urls:include('x')",
        "routecli-own": "routecli:load('x.yaml')",
        "functools-partial": "app:part()",
        "subscription": "app:apps[0]",
        "walrus": "app:create_app((y := 1))",
        "huge-arg": "app:create_app('" + "a" * 120_000 + "')",
        "deep-literal": "app:create_app(" + "[" * 5000 + "]" * 5000 + ")",
        "big-int": "app:create_app(" + "9" * 100_000 + ")",
        "exp-int": "app:create_app(9**9**9)",
        "control-spec": "app:\x1b[2Jx",
        "path-traversal": "../../etc/passwd",
        "module-dotdot": "..os:system('x')",
        "file-colon": "app.py:reexported()",
    }
    app_py = ("import functools\nfrom shutil import rmtree\nfrom helper import make as reexported\n"
              "class Klass:\n    def __init__(self):\n        open('MARKER', 'w').close()\n"
              "class O:\n    def method(self):\n        open('MARKER', 'w').close()\n"
              "obj = O()\napps = [1]\npart = functools.partial(open, 'MARKER', 'w')\n"
              "def create_app(*a, **k):\n    open('MARKER', 'w').close()\n    return []\n")
    helper_py = "def make():\n    open('MARKER', 'w').close()\n    return []\n"
    for key, spec in specs.items():
        add("spec", f"spec-{key}", ["-r", spec, "list"],
            files={"app.py": app_py, "helper.py": helper_py, "keep/f": "x"},
            may_run=key == "method-chain")  # a method of the module's own class
    # the same specs through every entry point that takes one
    for where, args in {
        "pyproject": ["list"],
        "env": ["list"],
        "diff-old": ["diff", "os:system('touch MARKER')", "routes.yaml"],
        "diff-new-opt": ["diff", "routes.yaml", "routes.yaml", "--new", "os:system('touch MARKER')"],
        "coverage": ["-r", "os:system('touch MARKER')", "coverage", "log"],
        "url": ["-r", "os:system('touch MARKER')", "url", "a"],
        "match": ["-r", "os:system('touch MARKER')", "match", "GET", "/"],
        "completion": ["url", ""],
    }.items():
        files = {"routes.yaml": GOOD_YAML, "log": "GET /a/1\n"}
        env = {}
        if where == "pyproject":
            files["pyproject.toml"] = "[tool.routecli]\nroutes = [\"os:system('touch MARKER')\"]\n"
        if where == "env":
            env["ROUTECLI_ROUTES"] = "os:system('touch MARKER')"
        if where == "completion":
            env.update({"_ROUTECLI_COMPLETE": "bash_complete", "COMP_WORDS": "routecli url ",
                        "COMP_CWORD": "2", "ROUTECLI_ROUTES": "os:system('touch MARKER')"})
            add("spec", f"spec-via-{where}", args, files=files, env=env, exits=(0,), human=False)
            continue
        add("spec", f"spec-via-{where}", args, files=files, env=env)
    add("spec", "spec-django-settings-hostile", ["-r", "os:system('touch MARKER')", "list"],
        env={"DJANGO_SETTINGS_MODULE": "os"})
    add("spec", "spec-flask-app-env", ["list"], env={"FLASK_APP": "os:system('touch MARKER')"})
    add("spec", "spec-config-routes", ["lint", "--config", "cfg.toml"],
        files={"cfg.toml": "[tool.routecli]\nroutes = [\"os:system('touch MARKER')\"]\n"},
        exits=(2,))

    # ------------------------------------------------------------- 2. billion laughs
    for dialect, extra in {
        "werkzeug": ["defaults: {a: %s}", "methods: %s", "noqa: %s", "host: %s",
                     "redirect_to: %s", "endpoint: %s", "rule: %s"],
        "starlette": ["methods: %s", "defaults: %s", "name: %s"],
        "fastapi": ["methods: %s", "param_types: %s"],
        "django": ["methods: %s", "kwargs: %s", "regex: %s", "view: %s"],
    }.items():
        rule = {"werkzeug": "/x", "starlette": "/x", "fastapi": "/x", "django": "x/"}[dialect]
        for template in extra:
            body = (f"settings: {{dialect: {dialect}}}\nroutes:\n  - rule: {rule}\n"
                    f"    endpoint: x\n    {template % LAUGH}\n")
            add("laughs", f"laughs-{dialect}-{template.split(':')[0]}", ["-r", "l.yaml", "list"],
                files={"l.yaml": body})
    for name, body in {
        "settings": f"settings: {LAUGH}\nroutes: []\n",
        "converters": f"converters: {{c: {{regex: {LAUGH}}}}}\nroutes: []\n",
        "routes-list": f"routes: {LAUGH}\n",
        "mount-routes": f"settings: {{dialect: starlette}}\nroutes:\n  - mount: /m\n    routes: {LAUGH}\n",
        "include-ns": f"settings: {{dialect: django}}\nroutes:\n  - include: m/\n    namespace: {LAUGH}\n    routes: []\n",
        "top-level": f"x: {LAUGH}\n",
    }.items():
        add("laughs", f"laughs-{name}", ["-r", "l.yaml", "list"], files={"l.yaml": body})
    add("laughs", "laughs-diff-old", ["diff", "l.yaml", "r.yaml"],
        files={"l.yaml": f"routes:\n  - {{rule: /x, endpoint: x, defaults: {{a: {LAUGH}}}}}\n",
               "r.yaml": GOOD_YAML})
    add("laughs", "laughs-baseline", ["-r", "r.yaml", "lint", "--baseline", "b.json"],
        files={"r.yaml": GOOD_YAML, "b.json": "[" * 50 + "]" * 50})
    big_json = '{"routes": [' + ",".join(['{"rule": "/x", "endpoint": "x"}'] * 10) + "]}"
    add("laughs", "json-many-keys", ["-r", "r.json", "list"],
        files={"r.json": '{"routes": [], ' + ", ".join(f'"k{i}": 1' for i in range(200_000)) + "}"})
    add("laughs", "json-plain-ok", ["-r", "r.json", "list"], files={"r.json": big_json},
        exits=(0,))

    # ------------------------------------------------------------------ 3. deep nesting
    deep = {
        "yaml-flow": "routes: " + "[" * DEEP + "]" * DEEP + "\n",
        "yaml-block": "routes:\n" + "".join("  " * i + "- \n" for i in range(3000)),
        "json": '{"routes": ' + "[" * DEEP + "]" * DEEP + "}",
        "toml": "routes = " + "[" * DEEP + "]" * DEEP + "\n",
        "toml-inline-tables": "x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\nroutes = []\n",
        "yaml-mount-nesting": "settings: {dialect: starlette}\nroutes:\n" + "".join(
            "  " * i + "  - mount: /m\n" + "  " * i + "    routes:\n" for i in range(400))
            + "  " * 400 + "    - {rule: /x, endpoint: x}\n",
        "yaml-include-nesting": "settings: {dialect: django}\nroutes:\n" + "".join(
            "  " * i + "  - include: m/\n" + "  " * i + "    routes:\n" for i in range(400))
            + "  " * 400 + "    - {rule: x/, endpoint: x}\n",
    }
    for name, body in deep.items():
        ext = {"json": "json", "toml": "toml", "toml-inline-tables": "toml"}.get(name, "yaml")
        add("deep", f"deep-{name}", ["-r", f"d.{ext}", "list"], files={f"d.{ext}": body})
    add("deep", "deep-pyproject-lint-config", ["-r", "r.yaml", "lint"],
        files={"r.yaml": GOOD_YAML,
               "pyproject.toml": "[tool.routecli.lint]\nselect = " + "[" * DEEP + "]" * DEEP + "\n"})
    add("deep", "deep-config-file", ["-r", "r.yaml", "lint", "--config", "c.toml"],
        files={"r.yaml": GOOD_YAML, "c.toml": "x = " + "[" * DEEP + "]" * DEEP + "\n"})
    add("deep", "deep-baseline", ["-r", "r.yaml", "lint", "--baseline", "b.json"],
        files={"r.yaml": GOOD_YAML, "b.json": "[" * DEEP + "]" * DEEP})
    add("deep", "deep-jsonl-log", ["-r", "r.yaml", "coverage", "--log-format", "json", "log"],
        files={"r.yaml": GOOD_YAML, "log": '{"a": ' + "[" * DEEP + "]" * DEEP + "}\n"},
        exits=(0,))
    add("deep", "deep-counts-jsonl", ["-r", "r.yaml", "coverage", "--log-format", "counts", "log"],
        files={"r.yaml": GOOD_YAML, "log": '{"count": ' + "[" * 60000 + "]" * 60000 + "}\n"},
        exits=(0, 2))
    add("deep", "deep-python-urlpatterns", ["-r", "durls", "list"],
        files={"durls.py": "x = []\nfor _ in range(50000):\n    x = [x]\nurlpatterns = x\n"},
        env={"DJANGO_SETTINGS_MODULE": ""})
    add("deep", "deep-starlette-mounts", ["-r", "dapp:app", "list"],
        files={"dapp.py": "from starlette.routing import Mount, Route\n"
                          "from starlette.applications import Starlette\n"
                          "async def e(r): pass\nr = [Route('/x', e)]\n"
                          "for _ in range(3000):\n    r = [Mount('/m', routes=r)]\n"
                          "app = Starlette(routes=r)\n"}, exits=(0, 2))
    add("deep", "deep-django-includes", ["-r", "durls2", "list"],
        files={"durls2.py": "from django.urls import include, path\n"
                            "def v(r): pass\nr = [path('x/', v)]\n"
                            "for _ in range(3000):\n    r = [path('m/', include(r))]\n"
                            "urlpatterns = r\n"}, exits=(0, 2))

    # ------------------------------------------------------------ 4. huge files and lines
    add("huge", "huge-line-yaml", ["-r", "h.yaml", "list"],
        files={"h.yaml": "routes:\n  - {rule: /" + "a" * 5_000_000 + ", endpoint: x}\n"},
        exits=(0, 2), human=False)
    add("huge", "huge-endpoint-match", ["-r", "h.yaml", "match", "GET", "/x"],
        files={"h.yaml": "routes:\n  - {rule: /x, endpoint: " + "e" * 2_000_000 + "}\n"},
        exits=(0, 2), human=False)
    add("huge", "huge-url-arg", ["-r", "r.yaml", "match", "GET", "/a/" + "x" * 100_000],
        files={"r.yaml": GOOD_YAML}, exits=(0, 1, 2), human=False)
    add("huge", "huge-file-200mb", ["-r", "h.json", "list"],
        setup=lambda p: (p / "h.json").write_bytes(b'{"routes": [' + b" " * (200 << 20) + b"]}"),
        exits=(0, 2))
    add("huge", "huge-yaml-many-routes", ["-r", "h.yaml", "lint"],
        files={"h.yaml": "routes:\n" + "".join(f"  - {{rule: /r{i}/<x>, endpoint: e{i}}}\n"
                                                for i in range(20000))}, exits=(0, 1))
    # variants of one route (one compiled pattern): each pairs with the first only
    variants = "routes:\n" + "".join(f"  - {{rule: '/same/<int(max={i}):x>', endpoint: e{i}}}\n"
                                     for i in range(1, 5001))
    for command in ("lint", "conflicts"):
        add("huge", f"huge-variants-{command}", ["-r", "v.yaml", command, "--format", "json"],
            files={"v.yaml": variants}, exits=(1,), human=False)
    # nested counted repetitions: every pair meets over automata as large as the table
    # (N^3 steps); the work budget stops the analysis and says so on stderr
    numbers = range(1, 301)
    nested = {
        "werkzeug": {"converters": {f"c{i}": {"regex": f"[0-9]{{1,{i}}}"} for i in numbers},
                     "routes": [{"rule": f"/n/<c{i}:x>", "endpoint": f"e{i}"} for i in numbers]},
        "starlette": {"settings": {"dialect": "starlette"},
                      "converters": {f"c{i}": {"regex": f"[0-9]{{1,{i}}}"} for i in numbers},
                      "routes": [{"rule": f"/n/{{x:c{i}}}", "endpoint": f"e{i}"}
                                 for i in numbers]},
        "django": {"settings": {"dialect": "django"},
                   "routes": [{"regex": f"^n/(?P<x>[0-9]{{1,{i}}})/$", "endpoint": f"e{i}"}
                              for i in numbers]},
    }
    for dialect, document in nested.items():
        for command in ("lint", "conflicts"):
            add("huge", f"huge-nested-{dialect}-{command}",
                ["-r", "n.json", command, "--format", "json"],
                files={"n.json": json.dumps(document)}, exits=(0, 1), human=False)

    # ----------------------------------------------------------- 5. bytes and encodings
    enc = {
        "nul-yaml": ("r.yaml", b"routes:\n  - {rule: /a\x00, endpoint: a}\n"),
        "nul-toml": ("r.toml", b'[[routes]]\nrule = "/a\x00"\nendpoint = "a"\n'),
        "nul-json": ("r.json", b'{"routes": [{"rule": "/a\x00", "endpoint": "a"}]}'),
        "invalid-utf8": ("r.yaml", b"routes:\n  - {rule: /\xff\xfe, endpoint: a}\n"),
        "utf16-yaml": ("r.yaml", GOOD_YAML.encode("utf-16")),
        "utf16le-nobom": ("r.yaml", GOOD_YAML.encode("utf-16-le")),
        "utf32-json": ("r.json", big_json.encode("utf-32")),
        "bom-utf8-json": ("r.json", b"\xef\xbb\xbf" + big_json.encode()),
        "bom-utf8-toml": ("r.toml", b'\xef\xbb\xbf[[routes]]\nrule = "/a"\nendpoint = "a"\n'),
        "lone-surrogate-json": ("r.json", b'{"routes": [{"rule": "/\\ud800", "endpoint": "a"}]}'),
        "binary": ("r.yaml", bytes(range(256)) * 10),
        "empty": ("r.yaml", b""),
        "empty-json": ("r.json", b""),
        "whitespace": ("r.toml", b"   \n\n"),
        "dialect-bom-starlette": ("r.yaml", b"\xef\xbb\xbf" + STAR_YAML.encode()),
        "utf16-django": ("r.yaml", DJ_YAML.encode("utf-16")),
        "cp1252-toml": ("r.toml", '[[routes]]\nrule = "/caf\xe9"\nendpoint = "a"\n'.encode("cp1252")),
    }
    for name, (fname, data) in enc.items():
        exits = (0,) if name.startswith(("bom-utf8", "dialect-bom")) else (2,)
        add("encoding", f"enc-{name}", ["-r", fname, "list"], files={fname: data}, exits=exits)
    add("encoding", "enc-utf16-config", ["-r", "r.yaml", "lint", "--config", "c.toml"],
        files={"r.yaml": GOOD_YAML, "c.toml": "[tool.routecli.lint]\nselect = ['RL1']\n".encode("utf-16")})
    add("encoding", "enc-utf16-baseline", ["-r", "r.yaml", "lint", "--baseline", "b.json"],
        files={"r.yaml": GOOD_YAML, "b.json": '{"findings": []}'.encode("utf-16")},
        message="b.json: the file is UTF-16 encoded: save it as UTF-8")
    add("encoding", "enc-invalid-utf8-baseline", ["-r", "r.yaml", "lint", "--baseline", "b.json"],
        files={"r.yaml": GOOD_YAML, "b.json": b'{"findings": ["\xff"]}'},
        message="b.json:1: not valid UTF-8: byte 0xff at column 16")
    add("encoding", "enc-binary-baseline", ["-r", "r.yaml", "lint", "--baseline", "b.json"],
        files={"r.yaml": GOOD_YAML, "b.json": b'{"findings": []}\x00'},
        message="b.json: binary file (it contains NUL bytes), not a baseline")
    add("encoding", "enc-binary-py-module", ["-r", "binmod", "list"],
        files={"binmod.py": b"\xff\xfe\x00garbage"})
    add("encoding", "enc-nul-py-module", ["-r", "nulmod", "list"],
        files={"nulmod.py": b"ROUTES = []\x00\n"})
    # UTF-16 with its byte-order mark is read (docs/match.md#batch); without one, it is binary
    add("encoding", "enc-utf16-batch", ["-r", "r.yaml", "match", "--batch", "b.txt"],
        files={"r.yaml": GOOD_YAML, "b.txt": "GET /a/1\n".encode("utf-16")}, exits=(0,))
    add("encoding", "enc-utf16le-nobom-batch", ["-r", "r.yaml", "match", "--batch", "b.txt"],
        files={"r.yaml": GOOD_YAML, "b.txt": "GET /a/1\n".encode("utf-16-le")},
        message="b.txt:1: binary input (a NUL byte)")
    add("encoding", "enc-utf32-stdin-batch", ["-r", "r.yaml", "match", "--batch", "-"],
        files={"r.yaml": GOOD_YAML}, stdin="GET /a/1\nGET bad\n".encode("utf-32"),
        message="<stdin>:2: expected a URL")
    add("encoding", "enc-invalid-utf8-batch", ["-r", "r.yaml", "match", "--batch", "b.txt"],
        files={"r.yaml": GOOD_YAML, "b.txt": b"GET /a/\xff\n"}, exits=(0, 1, 2), one_line=False)
    add("encoding", "enc-utf16-log", ["-r", "r.yaml", "coverage", "log"],
        files={"r.yaml": GOOD_YAML, "log": "GET /a/1\n".encode("utf-16")}, exits=(0,))
    add("encoding", "enc-invalid-utf8-csv-counts", ["-r", "r.yaml", "coverage", "--log-format",
                                                     "counts", "log.csv"],
        files={"r.yaml": GOOD_YAML, "log.csv": b"method,path,count\nGET,/a/\xff,3\n"},
        exits=(0, 2))
    add("encoding", "enc-nul-csv-counts", ["-r", "r.yaml", "coverage", "--log-format",
                                            "counts", "log.csv"],
        files={"r.yaml": GOOD_YAML, "log.csv": b"method,path,count\nGET,/a/\x00,3\n"},
        exits=(0, 2))

    # --------------------------------------------------------------- 6. wrong types
    wrong = {
        "routes-int": "routes: 5\n",
        "routes-map": "routes: {a: 1}\n",
        "route-str": "routes: [x]\n",
        "rule-list": "routes: [{rule: [a], endpoint: x}]\n",
        "rule-int": "routes: [{rule: 5, endpoint: x}]\n",
        "endpoint-map": "routes: [{rule: /a, endpoint: {a: 1}}]\n",
        "methods-str-int": "routes: [{rule: /a, endpoint: a, methods: 5}]\n",
        "methods-nested": "routes: [{rule: /a, endpoint: a, methods: [[GET]]}]\n",
        "defaults-list": "routes: [{rule: /a, endpoint: a, defaults: [1]}]\n",
        "strict-str": "routes: [{rule: /a, endpoint: a, strict_slashes: 'yes'}]\n",
        "settings-list": "settings: [1]\nroutes: []\n",
        "dialect-int": "settings: {dialect: 5}\nroutes: []\n",
        "dialect-unknown": "settings: {dialect: rails}\nroutes: []\n",
        "converter-regex-int": "converters: {c: {regex: 5}}\nroutes: []\n",
        "converter-regex-bad": "converters: {c: {regex: '('}}\nroutes: [{rule: '/<c:x>', endpoint: a}]\n",
        "converter-weight-str": "converters: {c: {regex: a, weight: heavy}}\nroutes: []\n",
        "converter-weight-huge": "converters: {c: {regex: a, weight: 1e400}}\nroutes: []\n",
        "date-value": "routes: [{rule: /a, endpoint: 2024-01-01}]\n",
        "binary-tag": "routes: [{rule: !!binary aGVsbG8=, endpoint: a}]\n",
        "python-tag": "routes: [{rule: !!python/object/apply:os.system ['touch MARKER'], endpoint: a}]\n",
        "python-name-tag": "routes: !!python/name:os.system\n",
        "set-tag": "routes: !!set {a, b}\n",
        "merge-key": "base: &b {endpoint: a}\nroutes: [{<<: *b, rule: /a}]\n",
        "dup-keys": "routes: [{rule: /a, rule: /b, endpoint: a}]\n",
        "nan-default": "routes: [{rule: /a, endpoint: a, defaults: {x: .nan}}]\n",
        "star-mount-no-routes": "settings: {dialect: starlette}\nroutes: [{mount: /m}]\n",
        "star-mount-int": "settings: {dialect: starlette}\nroutes: [{mount: 5, routes: []}]\n",
        "star-redirect-slashes-str": "settings: {dialect: starlette, redirect_slashes: maybe}\nroutes: []\n",
        "star-methods-star-bad": "settings: {dialect: starlette}\nroutes: [{rule: /a, endpoint: a, methods: '**'}]\n",
        "star-bad-convertor": "settings: {dialect: starlette}\nroutes: [{rule: '/{x:nope}', endpoint: a}]\n",
        "star-rule-no-slash": "settings: {dialect: starlette}\nroutes: [{rule: 'a', endpoint: a}]\n",
        "fast-include-int": "settings: {dialect: fastapi}\nroutes: [{include: 5, routes: []}]\n",
        "fast-param-types-bad": "settings: {dialect: fastapi}\nroutes: [{rule: '/i/{x}', endpoint: a, param_types: {x: complex}}]\n",
        "dj-regex-bad": "settings: {dialect: django}\nroutes: [{regex: '(', endpoint: a}]\n",
        "dj-regex-and-rule": "settings: {dialect: django}\nroutes: [{regex: 'a', rule: 'a/', endpoint: a}]\n",
        "dj-namespace-list": "settings: {dialect: django}\nroutes: [{include: a/, namespace: [x], routes: []}]\n",
        "dj-append-slash-str": "settings: {dialect: django, append_slash: sure}\nroutes: []\n",
        "dj-bad-converter": "settings: {dialect: django}\nroutes: [{rule: '<nope:x>/', endpoint: a}]\n",
        "dj-rule-leading-slash": "settings: {dialect: django}\nroutes: [{rule: '/a/', endpoint: a}]\n",
        "dj-version-bad": "settings: {dialect: django, django_version: banana}\nroutes: []\n",
        "werk-mount-in-werkzeug": "routes: [{mount: /m, routes: []}]\n",
        "noqa-int": "routes: [{rule: /a, endpoint: a, noqa: 5}]\n",
        "host-int": "routes: [{rule: /a, endpoint: a, host: 5}]\n",
        "bad-rule-syntax": "routes: [{rule: '/<int:>', endpoint: a}]\n",
        "bad-rule-converter-args": "routes: [{rule: '/<int(max=__import__):x>', endpoint: a}]\n",
        "converter-arg-huge": "routes: [{rule: '/<int(max=" + "9" * 100_000 + "):x>', endpoint: a}]\n",
    }
    for name, body in wrong.items():
        lenient = ("merge-key", "nan-default", "dup-keys", "date-value", "dj-rule-leading-slash",
                   "converter-arg-huge")  # a string after all; Django's own leniency
        add("types", f"type-{name}", ["-r", "w.yaml", "list"], files={"w.yaml": body},
            exits=(0, 2) if name in lenient else (2,))
    tomls = {
        "toml-routes-str": 'routes = "x"\n',
        "toml-datetime": '[[routes]]\nrule = "/a"\nendpoint = 1979-05-27T07:32:00Z\n',
        "toml-bad-syntax": '[[routes]\nrule = "/a"\n',
        "toml-dup-table": '[settings]\n[settings]\n',
    }
    for name, body in tomls.items():
        add("types", f"type-{name}", ["-r", "w.toml", "list"], files={"w.toml": body})
    jsons = {
        "json-top-list": '[1, 2]',
        "json-bad": '{"routes": [}',
        "json-nan": '{"routes": [{"rule": "/a", "endpoint": "a", "defaults": {"x": NaN}}]}',
        "json-bigint": '{"routes": [{"rule": "/a", "endpoint": "a", "defaults": {"x": ' + "9" * 10000 + '}}]}',
        "json-dup": '{"routes": [], "routes": []}',
    }
    for name, body in jsons.items():
        add("types", f"type-{name}", ["-r", "w.json", "list"], files={"w.json": body},
            exits=(0, 2) if name in ("json-dup", "json-nan") else (2,))
    py_data = {
        "py-routes-int": "ROUTES = 5\n",
        "py-routes-obj": "class X:\n    pass\nROUTES = [X()]\n",
        "py-routes-gen": "ROUTES = (r for r in [])\n",
        "py-routes-func-raises": "def routes():\n    raise ValueError('boom')\n",
        "py-routes-func-exit": "import sys\ndef routes():\n    sys.exit(3)\n",
        "py-routes-func-kbi": "def routes():\n    raise KeyboardInterrupt\n",
        "py-routes-func-base": "def routes():\n    raise BaseException('x')\n",
        "py-settings-obj": "SETTINGS = object()\nROUTES = []\n",
        "py-str-subclass": "class S(str):\n    def __eq__(s, o):\n        open('MARKER','w')\n        return False\n    __hash__ = str.__hash__\nROUTES = [{'rule': S('/a'), 'endpoint': 'a'}]\n",
        "py-dict-subclass": "class D(dict):\n    def items(self):\n        open('MARKER','w')\n        return super().items()\nROUTES = [D(rule='/a', endpoint='a')]\n",
    }
    for name, body in py_data.items():
        add("types", f"type-{name}", ["-r", "pydata", "list"], files={"pydata.py": body},
            exits=(0, 2) if "subclass" in name else (130,) if name.endswith("kbi") else (2,),
            may_run="subclass" in name)  # the module's own methods

    # --------------------------------------------------------------- 7. regex backtracking
    add("redos", "redos-werkzeug-converter", ["-r", "r.yaml", "match", "GET", "/x/" + "a" * 5000 + "!"],
        files={"r.yaml": "converters: {c: {regex: '(a+)+$'}}\nroutes: [{rule: '/x/<c:v>', endpoint: x}]\n"},
        exits=(1,))
    add("redos", "redos-werkzeug-alt", ["-r", "r.yaml", "match", "GET", "/x/" + "a" * 5000],
        files={"r.yaml": "converters: {c: {regex: '(a|aa)+b'}}\nroutes: [{rule: '/x/<c:v>', endpoint: x}]\n"},
        exits=(1,))
    add("redos", "redos-starlette-convertor", ["-r", "r.yaml", "match", "GET", "/x/" + "a" * 5000 + "!"],
        files={"r.yaml": "settings: {dialect: starlette}\nconverters: {c: {regex: '(a+)+'}}\n"
                         "routes: [{rule: '/x/{v:c}', endpoint: x}]\n"}, exits=(1,))
    add("redos", "redos-django-re-path", ["-r", "r.yaml", "match", "GET", "/" + "a" * 5000 + "!"],
        files={"r.yaml": "settings: {dialect: django}\nroutes: [{regex: '^(a+)+$', endpoint: x}]\n"},
        exits=(1,))
    add("redos", "redos-django-backref", ["-r", "r.yaml", "match", "GET", "/" + "a" * 3000 + "!"],
        files={"r.yaml": "settings: {dialect: django}\nroutes: [{regex: '^(a*)*\\1$', endpoint: x}]\n"},
        exits=(2,), message="backtracked for over 5 s")  # beyond the automata: a time budget
    add("redos", "redos-django-lookahead", ["-r", "r.yaml", "match", "GET", "/" + "a" * 3000 + "!"],
        files={"r.yaml": "settings: {dialect: django}\nroutes: [{regex: '^(?=(a+)+$)a', endpoint: x}]\n"},
        exits=(2,), message="backtracked for over 5 s")
    add("redos", "redos-django-live", ["-r", "rurls", "match", "GET", "/" + "a" * 3000 + "!"],
        files={"rurls.py": "from django.urls import re_path\ndef v(r): pass\n"
                           "urlpatterns = [re_path(r'^(a|aa)+$', v)]\n"}, exits=(1,))
    add("redos", "redos-starlette-live", ["-r", "sapp:app", "match", "GET", "/x/" + "a" * 3000 + "!"],
        files={"sapp.py": "from starlette.applications import Starlette\n"
                          "from starlette.routing import Route\n"
                          "from starlette.convertors import Convertor, register_url_convertor\n"
                          "class C(Convertor):\n    regex = '(a+)+'\n"
                          "    def convert(self, v): return v\n    def to_string(self, v): return v\n"
                          "register_url_convertor('cc', C())\nasync def e(r): pass\n"
                          "app = Starlette(routes=[Route('/x/{v:cc}', e)])\n"}, exits=(1,))
    add("redos", "redos-lint", ["-r", "r.yaml", "lint"],
        files={"r.yaml": "settings: {dialect: django}\nroutes: [{regex: '^(a+)+$', endpoint: x},"
                         " {regex: '^(a|aa)+b$', endpoint: y}]\n"}, exits=(0, 1))
    add("redos", "redos-list-grep", ["-r", "r.yaml", "list", "--grep", "(a+)+$"],
        files={"r.yaml": "routes: [{rule: '/" + "a" * 3000 + "!', endpoint: x}]\n"}, exits=(0, 2))
    add("redos", "redos-batch", ["-r", "r.yaml", "match", "--batch", "b.txt"],
        files={"r.yaml": "converters: {c: {regex: '(a+)+$'}}\nroutes: [{rule: '/x/<c:v>', endpoint: x}]\n",
               "b.txt": "".join(f"GET /x/{'a' * 2000}!\n" for _ in range(200))}, exits=(1,))
    add("redos", "redos-coverage", ["-r", "r.yaml", "coverage", "log"],
        files={"r.yaml": "settings: {dialect: django}\nroutes: [{regex: '^(a+)+$', endpoint: x}]\n",
               "log": "".join(f"GET /{'a' * 2000}!\n" for _ in range(200))}, exits=(0,))
    add("redos", "redos-diff", ["diff", "o.yaml", "n.yaml"],
        files={"o.yaml": "settings: {dialect: django}\nroutes: [{regex: '^(a+)+$', endpoint: x}]\n",
               "n.yaml": "settings: {dialect: django}\nroutes: [{regex: '^(a|aa)+$', endpoint: x}]\n"},
        exits=(0, 1))
    add("redos", "redos-url-build", ["-r", "r.yaml", "url", "x", "v=" + "a" * 3000 + "!"],
        files={"r.yaml": "converters: {c: {regex: '(a+)+$'}}\nroutes: [{rule: '/x/<c:v>', endpoint: x}]\n"},
        exits=(0, 1))

    # -------------------------------------------------------------- 8. endless input
    for what, path in {"zero": "/dev/zero", "urandom": "/dev/urandom"}.items():
        add("endless", f"endless-batch-{what}", ["-r", "r.yaml", "match", "--batch", path],
            files={"r.yaml": GOOD_YAML}, exits=(2,), one_line=False, timeout=30)
        add("endless", f"endless-coverage-{what}", ["-r", "r.yaml", "coverage", path],
            files={"r.yaml": GOOD_YAML}, exits=(0, 2), one_line=False, timeout=30)
        add("endless", f"endless-coverage-counts-{what}", ["-r", "r.yaml", "coverage",
                                                            "--log-format", "counts", path],
            files={"r.yaml": GOOD_YAML}, exits=(0, 2), one_line=False, timeout=30)
        add("endless", f"endless-coverage-j2-{what}", ["-r", "r.yaml", "coverage", "-j", "2", path],
            files={"r.yaml": GOOD_YAML}, exits=(0, 2), one_line=False, timeout=30)
        add("endless", f"endless-stdin-batch-{what}", ["-r", "r.yaml", "match", "--batch", "-"],
            files={"r.yaml": GOOD_YAML}, stdin=path, exits=(2,), one_line=False, timeout=30)
        add("endless", f"endless-route-file-{what}", ["-r", path, "list"], exits=(2,), timeout=30)
        add("endless", f"endless-baseline-{what}", ["-r", "r.yaml", "lint", "--baseline", path],
            files={"r.yaml": GOOD_YAML}, exits=(2,), timeout=30)
        add("endless", f"endless-config-{what}", ["-r", "r.yaml", "lint", "--config", path],
            files={"r.yaml": GOOD_YAML}, exits=(2,), timeout=30)
        add("endless", f"endless-diff-{what}", ["diff", path, "r.yaml"],
            files={"r.yaml": GOOD_YAML}, exits=(2,), timeout=30)
    add("endless", "endless-fifo-route-file", ["-r", "fifo.yaml", "list"],
        setup=lambda p: os.mkfifo(p / "fifo.yaml"), exits=(2,), timeout=30)
    add("endless", "endless-fifo-config", ["-r", "r.yaml", "lint", "--config", "c.toml"],
        files={"r.yaml": GOOD_YAML}, setup=lambda p: os.mkfifo(p / "c.toml"), timeout=30,
        message="not a regular file")
    add("endless", "endless-zero-config-symlink", ["-r", "r.yaml", "lint", "--config", "z.toml"],
        files={"r.yaml": GOOD_YAML}, setup=lambda p: os.symlink("/dev/zero", p / "z.toml"),
        timeout=30, message="not a regular file")
    add("endless", "endless-zero-baseline-symlink", ["-r", "r.yaml", "lint", "--baseline", "z.json"],
        files={"r.yaml": GOOD_YAML}, setup=lambda p: os.symlink("/dev/zero", p / "z.json"),
        timeout=30)
    add("endless", "endless-fifo-log", ["-r", "r.yaml", "coverage", "fifo.log"],
        files={"r.yaml": GOOD_YAML}, setup=lambda p: os.mkfifo(p / "fifo.log"), exits=(0, 2),
        timeout=20, known="a FIFO nobody writes to: coverage waits for its writer, as cat "
        "does (a FIFO is a stream, <(zcat log.gz) is one; Ctrl-C ends the wait with 130)")
    add("endless", "endless-fifo-batch", ["-r", "r.yaml", "match", "--batch", "fifo.txt"],
        files={"r.yaml": GOOD_YAML}, setup=lambda p: os.mkfifo(p / "fifo.txt"), exits=(0, 2),
        timeout=20, known="a FIFO nobody writes to: --batch waits for its writer, as cat "
        "does (a FIFO is a stream; Ctrl-C ends the wait with 130)")
    # A FIFO is a stream like a pipe (process substitution, <(zcat log.gz), is one): read
    # with the caps of any endless input. Its writer here sends endless lines, then noise.
    for what, args in {"log": ["-r", "r.yaml", "coverage", "fifo"],
                       "counts": ["-r", "r.yaml", "coverage", "--log-format", "counts", "fifo"],
                       "batch": ["-r", "r.yaml", "match", "--batch", "fifo"],
                       "log-j2": ["-r", "r.yaml", "coverage", "-j", "2", "fifo"]}.items():
        line = b"GET /a/1 3\n" if what == "counts" else b"GET /a/1\n"
        add("endless", f"endless-fifo-{what}-writer", args, files={"r.yaml": GOOD_YAML},
            setup=_fifo_writer(line * 100_000 + b"x" * (40 << 20)),
            exits=(0, 1, 2), one_line=False, timeout=30)
        add("endless", f"endless-fifo-{what}-finite", args, files={"r.yaml": GOOD_YAML},
            setup=_fifo_writer(line * 1000), exits=(0, 1, 2), one_line=False)
    for name, compress in {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress}.items():
        data = compress(b"\n" * (64 << 20)) if name != "gz" else gzip_bomb()
        add("endless", f"bomb-{name}", ["-r", "r.yaml", "coverage", f"log.{name}"],
            files={"r.yaml": GOOD_YAML, f"log.{name}": data}, exits=(0, 2), one_line=False)
        add("endless", f"bomb-counts-{name}", ["-r", "r.yaml", "coverage", "--log-format", "counts",
                                               f"log.{name}"],
            files={"r.yaml": GOOD_YAML, f"log.{name}": data}, exits=(0, 2), one_line=False)
    add("endless", "bomb-batch-gz", ["-r", "r.yaml", "match", "--batch", "b.gz"],
        files={"r.yaml": GOOD_YAML, "b.gz": gzip_bomb()}, exits=(0, 1, 2), one_line=False)
    add("endless", "counts-huge-count", ["-r", "r.yaml", "coverage", "--log-format", "counts", "c.txt"],
        files={"r.yaml": GOOD_YAML, "c.txt": "GET /a/1 " + "9" * 5000 + "\n"}, exits=(0, 2))
    add("endless", "counts-negative", ["-r", "r.yaml", "coverage", "--log-format", "counts", "c.txt",
                                       "--format", "json"],
        files={"r.yaml": GOOD_YAML, "c.txt": "GET /a/1 -5\nGET /a/1 1e308\nGET /a/1 nan\n"},
        exits=(0,), human=False)

    # -------------------------------------------------------- 9. app code that exits
    raisers = {"exit7": "import sys\nsys.exit(7)", "kbi": "raise KeyboardInterrupt",
               "base": "raise BaseException('boom')", "gen-exit": "raise GeneratorExit",
               "recursion": "def f(): f()\nf()", "memory": "x = bytearray(1 << 40)",
               "os-exit": None}
    for name, code in raisers.items():
        if code is None:
            continue
        add("app-exit", f"import-flask-{name}", ["-r", "bad:app", "list"],
            files={"bad.py": code + "\n" + FLASK_APP})
        add("app-exit", f"import-starlette-{name}", ["-r", "bad:app", "list"],
            files={"bad.py": code + "\n" + STARLETTE_APP})
        add("app-exit", f"import-django-{name}", ["-r", "badurls", "list"],
            files={"badurls.py": code + "\n" + DJANGO_URLS})
        add("app-exit", f"import-django-settings-{name}", ["-r", "badsettings", "list"],
            files={"badsettings.py": code + "\n" + DJANGO_SETTINGS, "site_urls.py": DJANGO_URLS})
    for name, code in {"exit7": "sys.exit(7)", "kbi": "raise KeyboardInterrupt",
                       "base": "raise BaseException('x')"}.items():
        add("app-exit", f"match-starlette-convertor-{name}", ["-r", "sconv:app", "match", "GET", "/x/1"],
            files={"sconv.py": "import sys\nfrom starlette.applications import Starlette\n"
                               "from starlette.routing import Route\n"
                               "from starlette.convertors import Convertor, register_url_convertor\n"
                               "class C(Convertor):\n    regex = '[0-9]+'\n"
                               f"    def convert(self, v):\n        {code}\n"
                               "    def to_string(self, v): return v\n"
                               "register_url_convertor('boom', C())\nasync def e(r): pass\n"
                               "app = Starlette(routes=[Route('/x/{v:boom}', e)])\n"},
            exits=(0, 1, 2))
        add("app-exit", f"match-django-converter-{name}", ["-r", "dconv", "match", "GET", "/x/1/"],
            files={"dconv.py": "import sys\nfrom django.urls import path, register_converter\n"
                               "class C:\n    regex = '[0-9]+'\n"
                               f"    def to_python(self, v):\n        {code}\n"
                               "    def to_url(self, v): return v\n"
                               "register_converter(C, 'boom')\ndef v(r, v): pass\n"
                               "urlpatterns = [path('x/<boom:v>/', v)]\n"},
            exits=(0, 1, 2))
        add("app-exit", f"match-flask-converter-{name}", ["-r", "fconv:app", "match", "GET", "/x/1"],
            files={"fconv.py": "import sys\nfrom flask import Flask\nfrom werkzeug.routing import BaseConverter\n"
                               f"class C(BaseConverter):\n    def to_python(self, v):\n        {code}\n"
                               "app = Flask(__name__)\napp.url_map.converters['boom'] = C\n"
                               "app.add_url_rule('/x/<boom:v>', 'x', lambda v: v)\n"},
            exits=(2,))
        add("app-exit", f"url-flask-converter-{name}", ["-r", "fconv2:app", "url", "x", "v=1"],
            files={"fconv2.py": "import sys\nfrom flask import Flask\nfrom werkzeug.routing import BaseConverter\n"
                                f"class C(BaseConverter):\n    def to_url(self, v):\n        {code}\n"
                                "app = Flask(__name__)\napp.url_map.converters['boom'] = C\n"
                                "app.add_url_rule('/x/<boom:v>', 'x', lambda v: v)\n"},
            exits=(0, 1, 2))
        add("app-exit", f"coverage-flask-converter-{name}", ["-r", "fconv3:app", "coverage", "log"],
            files={"fconv3.py": "import sys\nfrom flask import Flask\nfrom werkzeug.routing import BaseConverter\n"
                                f"class C(BaseConverter):\n    def to_python(self, v):\n        {code}\n"
                                "app = Flask(__name__)\napp.url_map.converters['boom'] = C\n"
                                "app.add_url_rule('/x/<boom:v>', 'x', lambda v: v)\n",
                   "log": "GET /x/1\n"},
            exits=(0, 2))
        add("app-exit", f"factory-{name}", ["-r", "fac:create_app()", "list"],
            files={"fac.py": f"import sys\ndef create_app():\n    {code}\n"})
        add("app-exit", f"fastapi-dependency-import-{name}", ["-r", "fa:app", "list"],
            files={"fa.py": f"import sys\nfrom fastapi import FastAPI\napp = FastAPI()\n{code}\n"})

    # -------------------------------------------------------------- 10. terminal safety
    nasty_yaml = ("routes:\n  - {rule: '/n/<x>', endpoint: " + json.dumps("ep" + NASTY)
                  + ", methods: [GET]}\n  - {rule: '/n/<y>', endpoint: " + json.dumps("ep2" + NASTY) + "}\n")
    nasty_star = ("settings: {dialect: starlette}\nroutes:\n  - {rule: '/n/{x}', endpoint: "
                  + json.dumps("s" + NASTY) + "}\n  - {rule: '/n/{y}', endpoint: "
                  + json.dumps("t" + NASTY) + "}\n")
    nasty_dj = ("settings: {dialect: django}\nroutes:\n  - {rule: 'n/<x>/', endpoint: "
                + json.dumps("d" + NASTY) + "}\n  - {regex: " + json.dumps("^n/(?P<y>[^/]+)/$\x1b")
                + ", endpoint: " + json.dumps("e" + NASTY) + "}\n")
    for label, body in {"werkzeug": nasty_yaml, "starlette": nasty_star, "django": nasty_dj}.items():
        files = {"n.yaml": body, "log": f"GET /n/{NASTY.encode().hex()}\nGET /zz\x1b[2J\n"
                                        "GET /\u202ehidden\nPOST /n/1\n"}
        for cmd in (["list"], ["list", "--format", "markdown"], ["lint"], ["lint", "--format", "markdown"],
                    ["lint", "--format", "github"], ["conflicts"],
                    ["match", "GET", "/n/a\x1b[2J\u202e"], ["match", "--explain", "GET", "/n/a\u202e/z"],
                    ["match", "--explain", "POST", "/n/a"], ["coverage", "log"],
                    ["coverage", "log", "--format", "markdown"], ["url", "s" + NASTY[:3], "x=\x1b"],
                    ["url", "ep" + NASTY, "x=\u202e\x1b"], ["diff", "n.yaml", "e.yaml"],
                    ["diff", "n.yaml", "e.yaml", "--format", "markdown"],
                    ["diff", "n.yaml", "e.yaml", "--format", "github"]):
            extra = {"e.yaml": GOOD_YAML if label == "werkzeug" else DIALECT_FILES[label]}
            args = cmd if cmd[0] == "diff" else ["-r", "n.yaml", *cmd]
            add("terminal", f"term-{label}-{'-'.join(c for c in cmd if c.isalnum())[:30]}", args,
                files={**files, **extra}, exits=(0, 1, 2), one_line=False)
    add("terminal", "term-rule-arg", ["rule", "RL1\x1b[2J\u202e"], exits=(2,))
    add("terminal", "term-batch", ["-r", "r.yaml", "match", "--batch", "b.txt"],
        files={"r.yaml": GOOD_YAML, "b.txt": "GET /a/\x1b[2J\nGET /\u202ex\n\x9b\n"},
        exits=(1, 2), one_line=False)
    add("terminal", "term-error-file-name", ["-r", "bad\x1b[2J\u202e.yaml", "list"],
        files={"bad\x1b[2J\u202e.yaml": "routes: 5\n"})
    add("terminal", "term-html-report", ["-r", "n.yaml", "lint", "--format", "html", "-o", "out.html"],
        files={"n.yaml": nasty_yaml}, exits=(0, 1), human=False)
    add("terminal", "term-star-live-names", ["-r", "napp:app", "list"],
        files={"napp.py": STARLETTE_APP.replace("Route('/x', e)",
                                                "Route('/x\\x1b[2J', e, name='n\\u202e\\x9b')")},
        exits=(0,))
    add("terminal", "term-django-live-names", ["-r", "nurls", "lint"],
        files={"nurls.py": DJANGO_URLS.replace("name='user'", "name='u\\x1b[2J\\u202e'")},
        exits=(0, 1))
    add("terminal", "term-yaml-error-value", ["-r", "w.yaml", "list"],
        files={"w.yaml": "routes: [{rule: /a, endpoint: a, bogus\x1b[2J\u202e: 1}]\n"})
    add("terminal", "term-completion-endpoints", ["url", ""],
        files={"routes.yaml": nasty_yaml},
        env={"_ROUTECLI_COMPLETE": "bash_complete", "COMP_WORDS": "routecli url ", "COMP_CWORD": "2"},
        exits=(0,))

    # --------------------------------------------------------- 11. outputs onto inputs
    outs = {
        "lint-o-route": (["-r", "r.yaml", "lint", "-o", "r.yaml"], "r.yaml"),
        "lint-o-route-html": (["-r", "r.yaml", "lint", "--format", "html", "-o", "r.yaml"], "r.yaml"),
        "lint-wb-route": (["-r", "r.yaml", "lint", "--write-baseline", "r.yaml"], "r.yaml"),
        "lint-wb-config": (["-r", "r.yaml", "lint", "--config", "c.toml", "--write-baseline", "c.toml"], "c.toml"),
        "lint-wb-pyproject": (["-r", "r.yaml", "lint", "--write-baseline", "pyproject.toml"], "pyproject.toml"),
        "lint-o-pyproject": (["-r", "r.yaml", "lint", "-o", "pyproject.toml"], "pyproject.toml"),
        "lint-o-baseline": (["-r", "r.yaml", "lint", "--baseline", "b.json", "-o", "b.json"], "b.json"),
        "lint-o-eq-wb": (["-r", "r.yaml", "lint", "--write-baseline", "x.json", "-o", "x.json"], None),
        "lint-o-symlink": (["-r", "r.yaml", "lint", "-o", "link.yaml"], "r.yaml"),
        "lint-o-hardlink": (["-r", "r.yaml", "lint", "-o", "hard.yaml"], "r.yaml"),
        "lint-o-dotdot": (["-r", "r.yaml", "lint", "-o", "sub/../r.yaml"], "r.yaml"),
        "lint-o-py-module": (["-r", "mod", "lint", "-o", "mod.py"], "mod.py"),
        "lint-o-py-app": (["-r", "fapp:app", "lint", "-o", "fapp.py"], "fapp.py"),
        "lint-o-django-urls": (["-r", "dj_urls", "lint", "-o", "dj_urls.py"], "dj_urls.py"),
        "lint-o-star-app": (["-r", "sapp:app", "lint", "-o", "sapp.py"], "sapp.py"),
        "lint-o-django-settings": (["-r", "dj_settings", "lint", "-o", "dj_settings.py"],
                                   "dj_settings.py"),
        "lint-o-django-views": (["-r", "dj_settings", "lint", "-o", "views_mod.py"],
                                "views_mod.py"),
        "coverage-o-django-views": (["-r", "dj_settings", "coverage", "log", "-o",
                                     "views_mod.py"], "views_mod.py"),
        "lint-o-star-helper": (["-r", "sapp2:app", "lint", "-o", "views_mod.py"],
                               "views_mod.py"),
        "lint-o-dir": (["-r", "r.yaml", "lint", "-o", "sub"], None),
        "lint-o-env-route": (["lint", "-o", "r.yaml"], "r.yaml"),
        "lint-o-pyproject-routes": (["lint", "-o", "r.yaml"], "r.yaml"),
        "coverage-o-log": (["-r", "r.yaml", "coverage", "log", "-o", "log"], "log"),
        "coverage-o-route": (["-r", "r.yaml", "coverage", "log", "-o", "r.yaml"], "r.yaml"),
        "coverage-o-html-log": (["-r", "r.yaml", "coverage", "log", "--format", "html", "-o", "log"], "log"),
        "coverage-o-log-symlink": (["-r", "r.yaml", "coverage", "log", "-o", "loglink"], "log"),
        "coverage-o-gz-log": (["-r", "r.yaml", "coverage", "l.gz", "-o", "l.gz"], "l.gz"),
        "conflicts-o-route": (["-r", "r.yaml", "conflicts", "-o", "r.yaml"], "r.yaml"),
        "lint-o-dev-full": (["-r", "r.yaml", "lint", "-o", "/dev/full"], None),
        "lint-o-unwritable-dir": (["-r", "r.yaml", "lint", "-o", "ro/out.txt"
                                   if os.geteuid() else "/proc/version"], None),
        "lint-wb-symlink-baseline": (["-r", "r.yaml", "lint", "--baseline", "b.json", "--write-baseline", "blink.json"], "b.json"),
        # a pyproject.toml without [tool.routecli] and a --config file without settings
        # are still configuration; a FIFO nobody reads; a file with a second hard link
        "lint-o-pyproject-plain": (["-r", "r.yaml", "lint", "-o", "pyproject.toml"], "pyproject.toml"),
        "coverage-o-pyproject-plain": (["-r", "r.yaml", "coverage", "log", "-o", "pyproject.toml"], "pyproject.toml"),
        "lint-o-config-plain": (["-r", "r.yaml", "lint", "--config", "plain.toml", "-o", "plain.toml"], "plain.toml"),
        "lint-o-fifo": (["-r", "r.yaml", "lint", "-o", "fifo"], None),
        "lint-wb-fifo": (["-r", "r.yaml", "lint", "--write-baseline", "fifo"], None),
        "coverage-o-fifo": (["-r", "r.yaml", "coverage", "log", "-o", "fifo"], None),
        "lint-wb-hardlinked": (["-r", "r.yaml", "lint", "--write-baseline", "h.json"], None),
        "lint-o-hardlinked": (["-r", "r.yaml", "lint", "-o", "h.json"], None),
    }
    for name, (args, _target) in outs.items():
        files = {"r.yaml": GOOD_YAML.replace("/b", "/a/<y>"), "c.toml": "[tool.routecli.lint]\n",
                 "b.json": '{"findings": []}', "log": "GET /a/1\n", "l.gz": gzip.compress(b"GET /a/1\n"),
                 "mod.py": "ROUTES = [{'rule': '/a', 'endpoint': 'a'}]\n", "fapp.py": FLASK_APP,
                 "dj_urls.py": DJANGO_URLS, "sapp.py": STARLETTE_APP, "sub/x": "",
                 "dj_settings.py": DJANGO_SETTINGS.replace("site_urls", "dj_urls2"),
                 "dj_urls2.py": "from django.urls import path\nfrom views_mod import v\n"
                                "urlpatterns = [path('u/<int:id>/', v)]\n",
                 "views_mod.py": "def v(request, **kw):\n    pass\n",
                 "sapp2.py": "from views_mod import v\n" + STARLETTE_APP,
                 "pyproject.toml": "[project]\nname = 'x'\n" if "plain" in name else
                 "[tool.routecli]\n" + ('routes = ["r.yaml"]\n'
                                        if "pyproject-routes" in name else ""),
                 "plain.toml": "# settings to come\n", "h.json": "{}\n"}

        def setup(p, name=name):
            os.symlink("r.yaml", p / "link.yaml")
            os.link(p / "r.yaml", p / "hard.yaml")
            os.symlink("log", p / "loglink")
            os.symlink("b.json", p / "blink.json")
            (p / "ro").mkdir()
            os.chmod(p / "ro", 0o500)
            os.mkfifo(p / "fifo")
            os.link(p / "h.json", p / "h2.json")
        env = {"ROUTECLI_ROUTES": "r.yaml"} if "env-route" in name else {}
        stdin = b"GET /a/1\n" if "stdin" in name else None
        add("outputs", f"out-{name}", args, files=files, setup=setup, env=env, stdin=stdin,
            exits=(0, 1) if name == "lint-o-eq-wb" else (2,))

    # --------------------------------------------------- 12. files: links, perms, dirs
    def unreadable(p, name="r.yaml"):
        if os.geteuid() == 0:  # root reads any file: use one no one may read
            (p / name).unlink()
            os.symlink("/proc/sys/vm/compact_memory", p / name)
        else:
            os.chmod(p / name, 0)

    add("files", "unreadable-route", ["-r", "r.yaml", "list"], files={"r.yaml": GOOD_YAML},
        setup=unreadable)
    add("files", "unreadable-log", ["-r", "g.yaml", "coverage", "r.yaml"],
        files={"r.yaml": GOOD_YAML, "g.yaml": GOOD_YAML}, setup=unreadable)
    add("files", "unreadable-batch", ["-r", "g.yaml", "match", "--batch", "r.yaml"],
        files={"r.yaml": "GET /a/1\n", "g.yaml": GOOD_YAML}, setup=unreadable)
    add("files", "unreadable-baseline", ["-r", "g.yaml", "lint", "--baseline", "r.yaml"],
        files={"r.yaml": GOOD_YAML, "g.yaml": GOOD_YAML}, setup=unreadable)
    add("files", "unreadable-config", ["-r", "g.yaml", "lint", "--config", "r.yaml"],
        files={"r.yaml": GOOD_YAML, "g.yaml": GOOD_YAML}, setup=unreadable)

    add("files", "unreadable-diff-side", ["diff", "r.yaml", "g.yaml"],
        files={"r.yaml": GOOD_YAML, "g.yaml": GOOD_YAML}, setup=unreadable)
    add("files", "unreadable-py-module", ["-r", "r_mod", "list"], files={"r_mod.py": "ROUTES = []\n"},
        setup=lambda p: unreadable(p, "r_mod.py"))
    for what, args in {"route": ["-r", "d", "list"], "log": ["-r", "r.yaml", "coverage", "d"],
                       "batch": ["-r", "r.yaml", "match", "--batch", "d"],
                       "baseline": ["-r", "r.yaml", "lint", "--baseline", "d"],
                       "config": ["-r", "r.yaml", "lint", "--config", "d"],
                       "diff-old": ["diff", "d", "r.yaml"],
                       "pyproject-dir": ["list"]}.items():
        def mkdirs(p):
            (p / "d").mkdir()
            (p / "pyproject.toml").mkdir()
        add("files", f"dir-as-{what}", args, files={"r.yaml": GOOD_YAML}, setup=mkdirs,
            exits=(2,) if what != "pyproject-dir" else (0, 2))
    add("files", "symlink-loop-route", ["-r", "loop.yaml", "list"],
        setup=lambda p: os.symlink("loop.yaml", p / "loop.yaml"))
    add("files", "dangling-symlink", ["-r", "dangle.yaml", "list"],
        setup=lambda p: os.symlink("nowhere.yaml", p / "dangle.yaml"))
    add("files", "symlink-to-dev", ["-r", "dev.yaml", "list"],
        setup=lambda p: os.symlink("/dev/urandom", p / "dev.yaml"), timeout=20)
    add("files", "missing-txt", ["-r", "foo.txt", "list"])
    add("files", "missing-yml", ["-r", "foo.yml", "list"])
    add("files", "missing-log", ["-r", "r.yaml", "coverage", "nope.log"], files={"r.yaml": GOOD_YAML})
    add("files", "missing-config", ["-r", "r.yaml", "lint", "--config", "nope.toml"],
        files={"r.yaml": GOOD_YAML})
    add("files", "missing-git-rev", ["diff", "git:nope:r.yaml", "r.yaml"], files={"r.yaml": GOOD_YAML})
    add("files", "git-rev-hostile", ["diff", "git:--output=/tmp/x:r.yaml", "r.yaml"],
        files={"r.yaml": GOOD_YAML})
    add("files", "git-rev-option-path", ["diff", "git:HEAD:--help", "r.yaml"],
        files={"r.yaml": GOOD_YAML})
    add("files", "route-is-device", ["-r", "/dev/null", "list"])
    add("files", "log-is-dev-null", ["-r", "r.yaml", "coverage", "/dev/null"],
        files={"r.yaml": GOOD_YAML}, exits=(0,))

    # ----------------------------------------------------------------------- 13. cache
    big = "routes:\n" + "".join(f"  - {{rule: /r{i}/<x>, endpoint: e{i}}}\n" for i in range(3000))

    def corrupt_cache(kind):
        def setup(p):
            for entry in _cache_entries(p):
                if kind == "truncate":
                    entry.write_bytes(entry.read_bytes()[:100])
                elif kind == "garbage":
                    entry.write_bytes(os.urandom(4000))
                elif kind == "wrong-shape":
                    import marshal
                    entry.write_bytes(marshal.dumps((1, [("/x", 5, None)], [], {}, {})))
                elif kind in ("wrong-types", "lie"):  # re-signed, as the user could
                    import hashlib
                    import marshal
                    data = marshal.loads(entry.read_bytes()[32:])
                    first = 5 if kind == "wrong-types" else "/evil\x1b[2J"
                    routes = [(first,) + r[1:] for r in data[1]]
                    payload = marshal.dumps((data[0], routes, *data[2:]))
                    entry.write_bytes(hashlib.sha256(payload).digest() + payload)
                elif kind == "code-object":
                    import marshal
                    entry.write_bytes(marshal.dumps(compile("open('MARKER','w')", "x", "exec")))
                elif kind == "huge-size":
                    entry.write_bytes(b"[\xff\xff\xff\x7f")
                elif kind == "dir":
                    entry.unlink()
                    entry.mkdir()
                elif kind == "symlink-to-route":
                    entry.unlink()
                    os.symlink(p / "big.yaml", entry)
                elif kind == "fifo":
                    entry.unlink()
                    os.mkfifo(entry)
                elif kind == "deep":
                    entry.write_bytes(b"[\x01\x00\x00\x00" * 100_000)
        return setup

    for kind in ("truncate", "garbage", "wrong-shape", "wrong-types", "lie", "code-object",
                 "huge-size", "dir", "symlink-to-route", "fifo", "deep"):
        add("cache", f"cache-{kind}", ["-r", "big.yaml", "list", "--format", "json"],
            files={"big.yaml": big}, setup=corrupt_cache(kind), exits=(0,), human=False,
            timeout=30)

    def cache_readonly(p):
        (p / ".cache").mkdir()
        os.chmod(p / ".cache", 0o500)

    add("cache", "cache-readonly-dir", ["-r", "big.yaml", "list"], files={"big.yaml": big},
        setup=cache_readonly, exits=(0,), human=False)
    add("cache", "cache-dir-is-file", ["-r", "big.yaml", "list"], files={"big.yaml": big, ".cache": "x"},
        exits=(0,), human=False)
    add("cache", "cache-dir-symlink-to-route-dir", ["-r", "big.yaml", "list"],
        files={"big.yaml": big}, setup=lambda p: os.symlink(".", p / ".cache"), exits=(0,),
        human=False)
    add("cache", "cache-dir-dev-full", ["-r", "big.yaml", "list"], files={"big.yaml": big},
        env={"ROUTECLI_CACHE_DIR": "/dev/full"}, exits=(0,), human=False)
    add("cache", "cache-dir-nul", ["-r", "big.yaml", "list"], files={"big.yaml": big},
        env={"ROUTECLI_CACHE_DIR": "/tmp/x\udcff"}, exits=(0,), human=False)

    # ---------------------------------------------------------------------- 14. config
    configs = {
        "routes-int": "[tool.routecli]\nroutes = 5\n",
        "routes-nested": "[tool.routecli]\nroutes = [[\"r.yaml\"]]\n",
        "unknown-key": "[tool.routecli]\nrouts = [\"r.yaml\"]\n",
        "lint-select-int": "[tool.routecli]\nroutes = [\"r.yaml\"]\n[tool.routecli.lint]\nselect = 5\n",
        "lint-bad-code": "[tool.routecli]\nroutes = [\"r.yaml\"]\n[tool.routecli.lint]\nselect = [\"ZZ999\"]\n",
        "lint-severity-bad": "[tool.routecli]\nroutes = [\"r.yaml\"]\n[tool.routecli.lint.severity]\nRL101 = \"fatal\"\n",
        "lint-baseline-int": "[tool.routecli]\nroutes = [\"r.yaml\"]\n[tool.routecli.lint]\nbaseline = 5\n",
        "lint-fail-on-bad": "[tool.routecli]\nroutes = [\"r.yaml\"]\n[tool.routecli.lint]\nfail-on = \"doom\"\n",
        "bad-toml": "[tool.routecli\nroutes = [\"r.yaml\"]\n",
        "nul": "[tool.routecli]\nroutes = [\"r.yaml\x00\"]\n",
        "invalid-utf8": b"[tool.routecli]\nroutes = [\"r\xff.yaml\"]\n",
        "tool-not-table": "tool = 5\n",
        "routecli-not-table": "[tool]\nroutecli = 5\n",
        "routes-abs-missing": "[tool.routecli]\nroutes = [\"/nonexistent/r.yaml\"]\n",
        "routes-empty-str": "[tool.routecli]\nroutes = [\"\"]\n",
        "laughs-not-in-toml-but-long": "[tool.routecli]\nroutes = [\"" + "a" * 100_000 + "\"]\n",
        "coverage-bad": "[tool.routecli]\nroutes = [\"r.yaml\"]\n[tool.routecli.coverage]\nmin-hits = -1\n",
        "per-route-ignores-bad": "[tool.routecli]\nroutes = [\"r.yaml\"]\n[tool.routecli.lint]\nper-file-ignores = 5\n",
    }
    for name, body in configs.items():
        add("config", f"config-{name}", ["lint"], files={"pyproject.toml": body, "r.yaml": GOOD_YAML})
        add("config", f"config-flag-{name}", ["-r", "r.yaml", "lint", "--config", "c.toml"],
            files={"c.toml": body, "r.yaml": GOOD_YAML},
            exits=(0, 2) if name in ("routes-int", "routes-nested", "nul", "invalid-utf8",
                                     "routes-abs-missing", "routes-empty-str",
                                     "laughs-not-in-toml-but-long") else (2,))

    # ------------------------------------------------------ 15. coverage log shapes
    logs = {
        "csv-no-header": ("c.csv", "GET,/a/1,3\n", ["--log-format", "counts"], (0, 2)),
        "csv-bad-count": ("c.csv", "method,path,count\nGET,/a/1,many\n", ["--log-format", "counts"], (0, 2)),
        "csv-huge-field": ("c.csv", "method,path,count\nGET,/" + "a" * 300_000 + ",1\n", ["--log-format", "counts"], (0, 2)),
        "csv-quote-unclosed": ("c.csv", 'method,path,count\n"GET,/a/1,1\n' + "x\n" * 1000, ["--log-format", "counts"], (0, 2)),
        "csv-many-columns": ("c.csv", "method,path,count\n" + ",".join(["x"] * 100_000) + "\n", ["--log-format", "counts"], (0, 2)),
        "jsonl-count-str": ("c.jsonl", '{"method": "GET", "path": "/a/1", "count": "x"}\n', ["--log-format", "counts"], (0, 2)),
        "jsonl-count-float": ("c.jsonl", '{"method": "GET", "path": "/a/1", "count": 1e308}\n', ["--log-format", "counts"], (0, 2)),
        "jsonl-count-bigint": ("c.jsonl", '{"method": "GET", "path": "/a/1", "count": ' + "9" * 4500 + "}\n", ["--log-format", "counts"], (0, 2)),
        "jsonl-path-list": ("c.jsonl", '{"method": "GET", "path": ["/a"]}\n', ["--log-format", "json"], (0, 2)),
        "jsonl-method-null": ("c.jsonl", '{"method": null, "path": "/a/1"}\n', ["--log-format", "json"], (0, 2)),
        "jsonl-not-object": ("c.jsonl", '[1]\n"x"\n5\nnull\n', ["--log-format", "json"], (0, 2)),
        "json-field-bad": ("c.jsonl", '{"m": "GET"}\n', ["--log-format", "json", "--json-field", "nokey"], (2,)),
        "json-field-nested": ("c.jsonl", '{"r": {"m": "GET"}}\n', ["--log-format", "json", "--json-field", "method=r.m.x.y"], (0, 2)),
        "combined-garbage": ("access.log", '1.2.3.4 - - [xx] "GET /a/1 HTTP/1.1" 200 abc "-" "\x1b[2J"\n', [], (0,)),
        "combined-huge-ua": ("access.log", '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /a/1 HTTP/1.1" 200 1 "-" "' + "u" * 200_000 + '"\n', [], (0,)),
        "plain-method-huge": ("plain.log", "X" * 70000 + " /a/1\n", ["--log-format", "plain"], (0,)),
        "auto-mixed": ("mixed.log", 'GET /a/1\n{"path": "/a/1"}\n1.2.3.4 - - [x] "GET / HTTP/1.0" 200 1\n', [], (0,)),
        "jobs-zero-many": ("big.log", "GET /a/1\n" * 200_000, ["-j", "2"], (0,)),
        "counts-csv-j2": ("c.csv", "method,path,count\n" + "GET,/a/1,2\n" * 100_000, ["--log-format", "counts", "-j", "2"], (0,)),
    }
    crc = bytearray(gzip.compress(b"GET /a/1\n" * 3000))
    crc[-8] ^= 0xFF  # a CRC-32 that does not match: the lines kept, the mismatch reported
    logs["gzip-crc-mismatch"] = ("l.gz", bytes(crc), ["--format", "json"], (0,))
    for name, (fname, body, extra, exits) in logs.items():
        add("logs", f"log-{name}", ["-r", "r.yaml", "coverage", fname, *extra],
            files={"r.yaml": GOOD_YAML, fname: body}, exits=exits)
    add("logs", "log-j-huge", ["-r", "r.yaml", "coverage", "-j", "100000", "log"],
        files={"r.yaml": GOOD_YAML, "log": "GET /a/1\n"}, exits=(0, 2))
    add("logs", "log-j-negative", ["-r", "r.yaml", "coverage", "-j", "-3", "log"],
        files={"r.yaml": GOOD_YAML, "log": "GET /a/1\n"}, exits=(2,))
    add("logs", "log-min-hits-huge", ["-r", "r.yaml", "coverage", "--min-hits", "9" * 400, "log"],
        files={"r.yaml": GOOD_YAML, "log": "GET /a/1\n"}, exits=(0, 1, 2))
    add("logs", "log-top-negative", ["-r", "r.yaml", "coverage", "--top", "-1", "log"],
        files={"r.yaml": GOOD_YAML, "log": "GET /a/1\n"}, exits=(2,))

    # -------------------------------------------------------- 16. match / url / batch args
    margs = {
        "method-control": ["match", "G\x1bET", "/a/1"],
        "method-huge": ["match", "G" * 100_000, "/a/1"],  # a valid token: 405
        "url-pct-invalid": ["match", "GET", "/a/%ff%fe"],
        "url-pct-nul": ["match", "GET", "/a/%00"],
        "url-scheme-js": ["match", "GET", "javascript:alert(1)"],
        "url-host-control": ["match", "GET", "http://ex\x1bample.com/a/1"],
        "host-huge": ["match", "--host", "h" * 100_000, "GET", "/a/1"],
        "host-port-bad": ["match", "--host", "a:99999999", "GET", "/a/1"],
        "url-ipv6-broken": ["match", "GET", "http://[::1/a/1"],
        "url-only-spaces": ["match", "GET", "   "],
        "url-empty": ["match", "GET", ""],
        "url-surrogate": ["match", "GET", "/a/\udcff"],
        "url-arg-no-eq": ["url", "a", "x"],
        "url-arg-empty-name": ["url", "a", "=1"],
        "url-arg-dup": ["url", "a", "x=1", "x=2"],
        "url-arg-huge": ["url", "a", "x=" + "a" * 120_000],
        "url-external-bad-host": ["url", "--external", "--host", "\x1b", "a", "x=1"],
        "url-surrogate-arg": ["url", "a", "x=\udcff"],
        "rule-unknown": ["rule", "ZZ1"],
        "rule-huge": ["rule", "R" * 100_000],
        "rule-format-json-all": ["rule", "--all", "--format", "json"],
        "list-grep-bad": ["list", "--grep", "("],
        "list-grep-huge-rep": ["list", "--grep", "a{99999999999}"],
        "list-endpoint-glob-huge": ["list", "--endpoint", "*" * 100_000],
        "lint-select-garbage": ["lint", "--select", "\x1b,,,RL"],
        "lint-ignore-huge": ["lint", "--ignore", ",".join(["RL101"] * 20_000)],
    }
    for name, args in margs.items():
        exits = (0, 1, 2)
        if name.startswith(("rule-unknown", "rule-huge", "list-grep-bad", "url-arg-no-eq",
                            "url-arg-empty-name", "lint-select-garbage", "method-control")):
            exits = (2,)
        add("args", f"arg-{name}", ["-r", "r.yaml", *args] if args[0] != "rule" else args,
            files={"r.yaml": GOOD_YAML}, exits=exits, human=not name.endswith("json-all"))
    for dialect, body in DIALECT_FILES.items():
        for name, args in {"url-pct": ["match", "GET", "/u/%ff"],
                           "host": ["match", "--host", "\x1b", "GET", "/u/1"],
                           "method-lower": ["match", "get", "/u/1"],
                           "explain-long": ["match", "--explain", "GET", "/" + "u/" * 20000],
                           "url-build-missing": ["url", "nope"],
                           "batch-mixed": ["match", "--batch", "b.txt"]}.items():
            add("args", f"arg-{dialect}-{name}", ["-r", "r.yaml", *args],
                files={"r.yaml": body, "b.txt": "GET /u/1\nBREW /x\n\x00\nGET\n" + "x" * 70_000 + "\n"},
                exits=(0, 1, 2), one_line=name != "batch-mixed")

    # ----------------------------------------------------------------- 17. diff inputs
    add("diff", "diff-cross-dialect", ["diff", "w.yaml", "s.yaml"],
        files={"w.yaml": GOOD_YAML, "s.yaml": STAR_YAML}, exits=(0, 1))
    add("diff", "diff-django-vs-fastapi", ["diff", "d.yaml", "f.yaml"],
        files={"d.yaml": DJ_YAML, "f.yaml": FAST_YAML}, exits=(0, 1))
    add("diff", "diff-live-star-vs-file", ["diff", "sapp:app", "s.yaml"],
        files={"sapp.py": STARLETTE_APP, "s.yaml": STAR_YAML}, exits=(0, 1))
    add("diff", "diff-same-file", ["diff", "w.yaml", "w.yaml"], files={"w.yaml": GOOD_YAML},
        exits=(0,))
    add("diff", "diff-missing-side", ["diff", "w.yaml"], files={"w.yaml": GOOD_YAML})
    add("diff", "diff-baseline-flag", ["diff", "w.yaml", "w.yaml", "--baseline", "b.json"],
        files={"w.yaml": GOOD_YAML, "b.json": "[" * DEEP + "]" * DEEP}, exits=(0, 2))
    add("diff", "diff-baseline-laughs", ["diff", "w.yaml", "w.yaml", "--baseline", "b.json"],
        files={"w.yaml": GOOD_YAML, "b.json": '{"findings": 5}'}, exits=(0, 2))
    add("diff", "diff-git-outside-repo", ["diff", "git:HEAD:w.yaml", "w.yaml"],
        files={"w.yaml": GOOD_YAML})
    add("diff", "diff-stdin-sides", ["diff", "-", "-"], stdin=GOOD_YAML.encode(), exits=(0, 1, 2))
    # standard input is no route source: said plainly, not "no such file"
    for name, args in {"old": ["diff", "-", "w.yaml"], "new": ["diff", "w.yaml", "-"],
                       "r": ["-r", "-", "list"]}.items():
        add("diff", f"diff-stdin-{name}", args, files={"w.yaml": GOOD_YAML},
            stdin=GOOD_YAML.encode(), message="-: standard input is not read as routes")
    add("diff", "diff-huge-tables", ["diff", "h1.json", "h2.json"],
        files={"h1.json": json.dumps({"routes": [{"rule": f"/r{i}/<x>", "endpoint": f"e{i}"}
                                                  for i in range(3000)]}),
               "h2.json": json.dumps({"routes": [{"rule": f"/r{i}/<int:x>", "endpoint": f"e{i}"}
                                                  for i in range(3000)]})}, exits=(0, 1))
    add("diff", "diff-html-out", ["diff", "w.yaml", "s.yaml", "--format", "html"],
        files={"w.yaml": GOOD_YAML, "s.yaml": STAR_YAML}, exits=(2,), one_line=False)

    _newer_features(add, big)
    _second_audit(add)
    return out


def _fifo_writer(data: bytes):
    """A setup making the FIFO ``fifo`` with a writer thread that sends ``data``, then
    closes it (the thread waits for a reader; a daemon, it never holds the sweep up)."""
    def setup(p):
        import threading

        os.mkfifo(p / "fifo")

        def write():
            try:
                with open(p / "fifo", "wb") as handle:
                    handle.write(data)
            except OSError:  # the reader stopped early: a closed pipe
                pass
        threading.Thread(target=write, daemon=True).start()
    return setup


# ------------------------------------------------------- 18. the newer features (audit 3)

BIG_LOG_BYTES = 18 << 20  # over parallel.PART_MIN_BYTES: -j reads it in parts on workers


def _big_log(name: str, line: bytes, extra: bytes = b""):
    """A setup writing a log of ``line`` repeated past BIG_LOG_BYTES, ``extra`` midway."""
    def setup(p):
        half = line * (BIG_LOG_BYTES // 2 // len(line) + 1)
        (p / name).write_bytes(half + extra + half)
    return setup


def _git_repo(files: dict[str, bytes | str], after=None):
    """A setup making the project a git repository with ``files`` committed at HEAD."""
    def setup(p):
        env = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b",
               "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@b",
               "GIT_CONFIG_GLOBAL": "/dev/null"}
        for name, data in files.items():
            path = p / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.encode() if isinstance(data, str) else data)
        for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "x"]):
            subprocess.run(["git", *command], cwd=p, env=env, check=True, capture_output=True)
        if after:
            after(p)
    return setup


def _newer_features(add, big: str) -> None:  # noqa: PLR0915 - one inventory
    counts = ["-r", "r.yaml", "coverage", "--log-format", "counts"]
    # ---- pre-aggregated counts (coverage/counts_format.py)
    bodies: dict[str, tuple[bytes, tuple[int, ...]]] = {
        "bom-plain": (b"\xef\xbb\xbfGET /a/1 3\n", (0,)),
        "bom-csv": (b"\xef\xbb\xbfmethod,path,count\nGET,/a/1,3\n", (0,)),
        "bom-jsonl": (b'\xef\xbb\xbf{"method": "GET", "path": "/a/1", "count": 3}\n', (0,)),
        "bom-twice": (b"\xef\xbb\xbf\xef\xbb\xbfGET /a/1 3\n", (0,)),
        "utf16": ("GET /a/1 3\n".encode("utf-16"), (0, 2)),
        "nul-plain": (b"GET /a/\x001 3\nGET /a/1 \x00\n\x00\x00\x00\n", (0,)),
        "nul-csv-header": (b"method,pa\x00th,count\nGET,/a/1,3\n", (0,)),
        "nul-jsonl": (b'{"method": "GET", "path": "/a/\\u0000", "count": 3}\n', (0,)),
        "max-count-sum": (b"GET /a/1 999999999999999999\n" * 50_000, (0,)),
        "count-19-digits": (b"GET /a/1 9999999999999999999\n", (0,)),
        "count-signs": (b"GET /a/1 -3\nGET /a/1 +3\nGET /a/1 0\nGET /a/1 00\nGET /a/1 3.0\n"
                        b"GET /a/1 1e3\nGET /a/1 0x10\nGET /a/1 \xd9\xa3\nGET /a/1 \xef\xbc\x93\n"
                        b"GET /a/1 nan\nGET /a/1 inf\nGET /a/1 1_000\n", (0,)),
        "csv-odd-counts": (b"method,path,count\nGET,/a/1,-3\nGET,/a/1,3.5\nGET,/a/1,\n"
                           b"GET,/a/1\nGET,/a/1,1,extra\n,,\n\"GET\",\"/a/1\",\"3\"\n"
                           b"GET,/a/1, 3 \n", (0,)),
        "csv-header-only": (b"method,path,count\n", (0,)),
        "csv-header-bad": (b",,,\nGET,/a/1,3\n", (0,)),
        "csv-header-dup": (b"method,method,path,count,count\nGET,POST,/a/1,3,4\n", (0,)),
        "csv-header-quotes": (b'"method,path,count\nGET,/a/1,3\n', (0,)),
        "csv-header-huge": (b",".join([b"c"] * 30_000) + b",method,path,count\n"
                            + b",".join([b"x"] * 30_000) + b",GET,/a/1,3\n", (0,)),
        "csv-crlf": (b"method,path,count\r\nGET,/a/1,3\r\n", (0,)),
        "csv-semicolon": (b"method;path;count\nGET;/a/1;3\n", (0,)),
        "jsonl-count-types": (b"".join(
            b'{"method": "GET", "path": "/a/1", "count": ' + value + b"}\n" for value in (
                b"true", b"false", b"null", b"-1", b"0", b"1.0", b"1e999", b"-1e999", b"NaN",
                b"Infinity", b'"12"', b'" 12"', b'"+5"', b'""', b"[1]", b'{"a": 1}',
                b"9" * 19, b"9" * 4400)), (0,)),
        "jsonl-fields-missing": (b'{"count": 3}\n{"method": "GET", "count": 3}\n'
                                 b'{"path": "/a/1", "count": 3}\n{}\n[]\n"x"\n', (0,)),
        "jsonl-deep-extra": (b'{"method": "GET", "path": "/a/1", "count": 3, "x": '
                             + b"[" * 50_000 + b"]" * 50_000 + b"}\n", (0,)),
        "jsonl-dup-keys": (b'{"method": "GET", "path": "/a/1", "count": 3, "count": -1}\n', (0,)),
        "mixed-csv-first": (b"method,path,count\nGET,/a/1,3\n"
                            b'{"method": "GET", "path": "/a/1", "count": 3}\nGET /a/1 3\n', (0,)),
        "mixed-json-first": (b'{"method": "GET", "path": "/a/1", "count": 3}\n'
                             b"method,path,count\nGET /a/1 3\n", (0,)),
        "mixed-plain-first": (b"GET /a/1 3\nmethod,path,count\n"
                              b'{"method": "GET", "path": "/a/1", "count": 3}\n', (0,)),
        "control-chars": ("GET /a/\x1b[2J\u202e 3\n\x9b /a/1 3\nG\x1bET /a/1 3\n".encode(), (0,)),
        "long-line-regular": (b"GET /a/" + b"x" * (20 << 20) + b" 3\nGET /a/1 3\n", (0,)),
        "many-distinct": (b"".join(b"GET /z/%d 1\n" % i for i in range(300_000)), (0,)),
        "only-comments": (b"#\n# x\n\n   \n", (0,)),
    }
    for name, (body, exits) in bodies.items():
        add("counts", f"counts-{name}", [*counts, "c.txt"], files={"r.yaml": GOOD_YAML,
                                                                    "c.txt": body},
            exits=exits)
        add("counts", f"counts-{name}-json", [*counts, "c.txt", "--format", "json"],
            files={"r.yaml": GOOD_YAML, "c.txt": body}, exits=exits, human=False)
    for what, path in {"zero": "/dev/zero", "urandom": "/dev/urandom"}.items():
        add("counts", f"counts-stdin-endless-{what}", [*counts, "-"],
            files={"r.yaml": GOOD_YAML}, stdin=path, exits=(0, 2), one_line=False, timeout=30)
    add("counts", "counts-stdin-many", [*counts, "-"], files={"r.yaml": GOOD_YAML},
        stdin=b"GET /a/1 3\n" * 200_000, exits=(0,))
    add("counts", "counts-gz-bad-inside", [*counts, "c.gz"],
        files={"r.yaml": GOOD_YAML, "c.gz": gzip.compress(b"GET /a/1 3\n" * 10)[:-12]},
        exits=(0,))
    add("counts", "counts-json-field-url", [*counts, "c.txt", "--json-field", "url=u.v"],
        files={"r.yaml": GOOD_YAML, "c.txt": '{"method": "GET", "u": {"v": "/a/1"}, "count": 3}\n'
                                              '{"method": "GET", "u": 5, "count": 3}\n'}, exits=(0,))
    add("counts", "counts-json-field-count-key", [*counts, "c.txt", "--json-field", "count=n"],
        files={"r.yaml": GOOD_YAML, "c.txt": "GET /a/1 3\n"}, exits=(2,))
    add("counts", "counts-min-hits", [*counts, "c.txt", "--min-hits", "9" * 30],
        files={"r.yaml": GOOD_YAML, "c.txt": "GET /a/1 999999999999999999\n"}, exits=(0, 1))
    for dialect, body in DIALECT_FILES.items():
        add("counts", f"counts-{dialect}-hostile", ["-r", "r.yaml", "coverage", "--log-format",
                                                   "counts", "c.txt"],
            files={"r.yaml": body, "c.txt": "GET /u/%ff 3\nGET http://[::1/u/1 3\n"
                                            "GET //u/1 2\nOPTIONS * 4\nget /u/1 5\n"
                                            "GET /u/1/../1 6\nGET /api/x 7\n"}, exits=(0,))

    # ---- coverage on worker processes (coverage/parallel.py)
    jobs = ["-r", "r.yaml", "coverage", "-j", "2"]
    add("parallel", "par-big-plain", [*jobs, "big.log"], files={"r.yaml": GOOD_YAML},
        setup=_big_log("big.log", b"GET /a/1\nPOST /zz\n"), exits=(0,))
    add("parallel", "par-big-binary-middle", [*jobs, "big.log"], files={"r.yaml": GOOD_YAML},
        setup=_big_log("big.log", b"GET /a/1\n", bytes(range(256)) * 4096), exits=(0,))
    add("parallel", "par-big-long-line-middle", [*jobs, "big.log"], files={"r.yaml": GOOD_YAML},
        setup=_big_log("big.log", b"GET /a/1\n", b"GET /" + b"x" * (20 << 20) + b"\n"),
        exits=(0,))
    add("parallel", "par-big-no-newline", [*jobs, "big.log"], files={"r.yaml": GOOD_YAML},
        setup=lambda p: (p / "big.log").write_bytes(b"x" * BIG_LOG_BYTES), exits=(0,))
    add("parallel", "par-big-nul", [*jobs, "big.log"], files={"r.yaml": GOOD_YAML},
        setup=lambda p: (p / "big.log").write_bytes(b"\0" * BIG_LOG_BYTES), exits=(0,))
    add("parallel", "par-big-control", [*jobs, "big.log"], files={"r.yaml": GOOD_YAML},
        setup=_big_log("big.log", "GET /a/\x1b[2J\u202e\nGET /\x9b\n".encode()
                       + b"GET /a/1\n" * 20), exits=(0,))
    add("parallel", "par-big-json-mixed", [*jobs, "big.log", "--log-format", "json"],
        files={"r.yaml": GOOD_YAML},
        setup=_big_log("big.log", b'{"method": "GET", "path": "/a/1", "pad": "' + b"x" * 400
                       + b'"}\n[1]\n{"path": 5}\n'),  # long lines: ~13 s CPU if short
        exits=(0,))
    add("parallel", "par-counts", [*jobs, "c.log", "--log-format", "counts"],  # one core
        files={"r.yaml": GOOD_YAML, "c.log": b"GET /a/1 3\nGET /zz -1\n" * 200_000},
        exits=(0,))
    add("parallel", "par-many-distinct", [*jobs, "d.log"], files={"r.yaml": GOOD_YAML},
        setup=lambda p: (p / "d.log").write_bytes(b"".join(b"GET /z/%d\n" % i
                                                           for i in range(300_000))),
        exits=(0,))
    add("parallel", "par-stdin-many-distinct", [*jobs, "-"], files={"r.yaml": GOOD_YAML},
        stdin=b"".join(b"GET /a/%d\n" % i for i in range(200_000)), exits=(0,))
    add("parallel", "par-jobs-huge-big-log", ["-r", "r.yaml", "coverage", "-j", "100000",
                                              "big.log"],
        files={"r.yaml": GOOD_YAML}, setup=_big_log("big.log", b"GET /a/1\n"), exits=(0, 2))
    add("parallel", "par-jobs-huge-many-distinct", ["-r", "r.yaml", "coverage", "-j", "5000",
                                                    "-"],
        files={"r.yaml": GOOD_YAML}, stdin=b"".join(b"GET /a/%d\n" % i for i in range(20_000)),
        exits=(0, 2))
    add("parallel", "par-missing-second-file", [*jobs, "big.log", "nope.log"],
        files={"r.yaml": GOOD_YAML}, setup=_big_log("big.log", b"GET /a/1\n"))
    add("parallel", "par-big-then-dir", [*jobs, "big.log", "sub"],
        files={"r.yaml": GOOD_YAML, "sub/x": ""}, setup=_big_log("big.log", b"GET /a/1\n"))
    add("parallel", "par-big-gz", [*jobs, "big.gz"], files={"r.yaml": GOOD_YAML},
        setup=lambda p: (p / "big.gz").write_bytes(gzip.compress(b"GET /a/1\n" * 2_000_000, 1)),
        exits=(0,))
    conv = ("import sys\nfrom flask import Flask\nfrom werkzeug.routing import BaseConverter\n"
            "class C(BaseConverter):\n    def to_python(self, v):\n        {code}\n"
            "app = Flask(__name__)\napp.url_map.converters['boom'] = C\n"
            "app.add_url_rule('/x/<boom:v>', 'x', lambda v: v)\n")
    app_jobs = ["-r", "capp:app", "coverage", "-j", "2"]
    for name, code in {"exit7": "sys.exit(7)", "kbi": "raise KeyboardInterrupt",
                       "base": "raise BaseException('x')", "gen-exit": "raise GeneratorExit",
                       "value-error": "raise ValueError('no')", "os-exit": "os._exit(3)",
                       "kill": "os.kill(os.getpid(), 9)",
                       "memory": "x = bytearray(1 << 40)", "recursion": "f = lambda: f(); f()"
                       }.items():
        code = ("import os; " + code) if "os." in code else code
        # an Exception in a converter is a 500, as on one core; a worker's death an error
        exits = {"kbi": (130,), "value-error": (0,), "memory": (0,), "recursion": (0,)
                 }.get(name, (2,))
        add("parallel", f"par-app-{name}-parts", [*app_jobs, "big.log"],
            files={"r.yaml": GOOD_YAML}, exits=exits, timeout=40,
            setup=lambda p, code=code: ((p / "capp.py").write_text(conv.format(code=code)),
                                        _big_log("big.log", b"GET /x/1\n")(p)))
        add("parallel", f"par-app-{name}-batch", [*app_jobs, "-"],
            files={"r.yaml": GOOD_YAML}, exits=exits, timeout=40,  # 5,000 new: the workers'
            stdin=b"".join(b"GET /x/%d\n" % i for i in range(5_000)),
            setup=lambda p, code=code: (p / "capp.py").write_text(conv.format(code=code)))
    # ---- match --batch --quiet: table.match_index (routing/werkzeug/codegen.py)
    hostile_lines = ("GET /a/1\nGET /a/%ff\nGET /a/%00\nGET /a/\x00\n\x00\nGET\nGET  \n"
                     "GET /a/1 HTTP/1.1 extra\nget /a/1\nBREW /a/1\nOPTIONS *\nGET *\n"
                     "GET //a/1\nGET /a/../a/1\nGET /a/1?x=\x1b[2J\nGET /a/1#f\n"
                     "GET http://[::1/a/1\nGET http://h:99999/a/1\nGET javascript:x\n"
                     "GET /\u202e/a\nGET /a/\udcff\n" + "GET /a/" + "x" * 70_000 + "\n"
                     + "GET /" + "a/" * 20_000 + "\n" + "GET /b\n" * 1000)
    hostile_bytes = hostile_lines.encode("utf-8", "surrogateescape") + b"GET /a/\xff\xfe\n"
    for dialect, body in DIALECT_FILES.items():
        add("batch-quiet", f"quiet-{dialect}-hostile", ["-r", "r.yaml", "match", "--batch",
                                                        "b.txt", "--quiet"],
            files={"r.yaml": body, "b.txt": hostile_bytes}, exits=(0, 1, 2), one_line=False)
        add("batch-quiet", f"quiet-{dialect}-host", ["-r", "r.yaml", "match", "--host",
                                                     "\x1b" + "h" * 70_000, "--batch", "b.txt",
                                                     "-q"],
            files={"r.yaml": body, "b.txt": hostile_bytes}, exits=(0, 1, 2), one_line=False)
    add("batch-quiet", "quiet-big-table", ["-r", "big.yaml", "match", "--batch", "-", "-q"],
        files={"big.yaml": big}, stdin=hostile_bytes * 20 + b"".join(
            b"GET /r%d/%s\n" % (i, b"%ff" * (i % 3)) for i in range(3000)) * 10,
        exits=(0, 1, 2), one_line=False)
    add("batch-quiet", "quiet-redos", ["-r", "r.yaml", "match", "--batch", "b.txt", "-q"],
        files={"r.yaml": "converters: {c: {regex: '(a+)+$'}}\nroutes: [{rule: '/x/<c:v>', "
                         "endpoint: x}, {rule: /b, endpoint: b}]\n",
               "b.txt": "".join(f"GET /x/{'a' * 2000}!\n" for _ in range(200))}, exits=(1,))
    for what, path in {"zero": "/dev/zero", "urandom": "/dev/urandom"}.items():
        add("batch-quiet", f"quiet-endless-{what}", ["-r", "r.yaml", "match", "--batch", "-",
                                                     "-q"],
            files={"r.yaml": GOOD_YAML}, stdin=path, exits=(1, 2), one_line=False, timeout=30)
    add("batch-quiet", "quiet-app-converter-exit", ["-r", "capp:app", "match", "--batch",
                                                    "b.txt", "-q"],
        files={"capp.py": conv.format(code="sys.exit(7)"), "b.txt": "GET /x/1\n"})
    add("batch-quiet", "quiet-app-converter-kbi", ["-r", "capp:app", "match", "--batch",
                                                   "b.txt", "-q"],
        files={"capp.py": conv.format(code="raise KeyboardInterrupt"), "b.txt": "GET /x/1\n"},
        exits=(130,))

    # ---- diff with git:REV:path sources (sources/git_file.py)
    repo = _git_repo({"r.yaml": GOOD_YAML, "sub.yaml/f": "x", "d/r.yaml": GOOD_YAML,
                      "bin.yaml": bytes(range(256)), "u16.yaml": GOOD_YAML.encode("utf-16"),
                      "e.yaml": ""})
    revisions = {
        "opt-output": "--output=MARKER", "opt-short": "-p", "opt-upload": "--upload-pack=x",
        "opt-exec": "--exec=touch MARKER", "at-brace-opt": "HEAD@{--output=MARKER}",
        "range": "HEAD..HEAD", "sym-diff": "HEAD...HEAD", "reflog-neg": "@{-1}",
        "huge-ancestor": "HEAD~" + "9" * 30, "long": "a" * 300, "space": "HE AD",
        "control": "HEAD\x1b[2J", "bidi": "HEAD\u202e", "newline": "HEAD\nmain",
        "empty": "", "colon-only": ":", "star": "HEAD*", "glob": "refs/*",
        "caret-brace": "HEAD^{tree}", "question": "HEAD?", "backslash": "HEAD\\",
        "tilde-only": "~", "dot": ".", "at": "@", "hash-prefix": "0000", "upstream":
        "@{upstream}", "colon-path-rev": "HEAD:r.yaml",
    }
    for name, revision in revisions.items():
        add("git", f"git-rev-{name}", ["diff", f"git:{revision}:r.yaml", "r.yaml"],
            setup=repo, exits=(0, 2))
    paths = {
        "tree": "sub.yaml", "dot": ".", "dotdot-out": "../r.yaml", "abs": "/etc/passwd",
        "option": "--output=MARKER", "empty": "", "binary": "bin.yaml", "utf16": "u16.yaml",
        "empty-file": "e.yaml", "missing": "nope.yaml",
        "newline": "r\n.yaml", "control": "r\x1b[2J.yaml", "colons": "r.yaml:x:y",
        "subdir": "d/r.yaml", "dot-slash": "./r.yaml", "pathspec-magic": ":(glob)*.yaml",
        "long": "a/" * 3000 + "r.yaml",
    }
    for name, path in paths.items():
        add("git", f"git-path-{name}", ["diff", f"git:HEAD:{path}", "r.yaml"], setup=repo,
            exits=(0, 2))
    add("git", "git-missing-git", ["diff", "git:HEAD:r.yaml", "r.yaml"], setup=repo,
        env={"PATH": "/nonexistent"}, message="git")
    add("git", "git-huge-blob", ["diff", "git:HEAD:h.json", "r.yaml"],
        setup=_git_repo({"r.yaml": GOOD_YAML,
                         "h.json": b'{"routes": [' + b" " * (200 << 20) + b"]}"}),
        exits=(0, 1, 2), timeout=40)
    add("git", "git-laughs-blob", ["diff", "git:HEAD:l.yaml", "r.yaml"],
        setup=_git_repo({"r.yaml": GOOD_YAML, "l.yaml": f"routes: {LAUGH}\n"}))
    add("git", "git-textconv", ["diff", "git:HEAD:r.yaml", "r.yaml"], exits=(0,),
        setup=_git_repo({"r.yaml": GOOD_YAML, ".gitattributes": "*.yaml diff=evil\n"},
                        after=lambda p: subprocess.run(
                            ["git", "config", "diff.evil.textconv", "touch MARKER; cat"],
                            cwd=p, check=True)))
    add("git", "git-fsmonitor", ["diff", "git:HEAD:r.yaml", "r.yaml"], exits=(0,),
        setup=_git_repo({"r.yaml": GOOD_YAML},
                        after=lambda p: subprocess.run(
                            ["git", "config", "core.fsmonitor", "touch MARKER; true"],
                            cwd=p, check=True)))
    add("git", "git-both-sides", ["diff", "git:HEAD:r.yaml", "git:HEAD:d/r.yaml"], setup=repo,
        exits=(0,))
    add("git", "git-new-side", ["diff", "r.yaml", "git:HEAD~1:r.yaml"], setup=repo)
    add("git", "git-broken-repo", ["diff", "git:HEAD:r.yaml", "r.yaml"],
        setup=_git_repo({"r.yaml": GOOD_YAML},
                        after=lambda p: (p / ".git" / "HEAD").write_text("garbage\x1b[2J\n")))
    add("git", "git-corrupt-object", ["diff", "git:HEAD:r.yaml", "r.yaml"],
        setup=_git_repo({"r.yaml": GOOD_YAML}, after=_corrupt_objects))

    # ---- the parsed-file cache (sources/cache.py): more hostile entries and directories
    for kind in ("lie-settings", "lie-converter", "lie-methods", "lie-defaults", "lie-flags",
                 "lie-source", "lie-explicit", "lie-extra-field", "sparse-huge", "empty",
                 "digest-only"):
        add("cache", f"cache-{kind}", ["-r", "big.yaml", "list", "--format", "json"],
            files={"big.yaml": big}, setup=_hostile_cache(kind, big), exits=(0,), human=False,
            timeout=30)
        add("cache", f"cache-{kind}-lint", ["-r", "big.yaml", "lint"],
            files={"big.yaml": big}, setup=_hostile_cache(kind, big), exits=(0, 1),
            timeout=30)

    def shared_dir(p):
        (p / ".cache").mkdir()
        os.chmod(p / ".cache", 0o777)

    add("cache", "cache-dir-world-writable", ["-r", "big.yaml", "list"], files={"big.yaml": big},
        setup=shared_dir, exits=(0,), human=False)
    add("cache", "cache-dir-name-too-long", ["-r", "big.yaml", "list"], files={"big.yaml": big},
        env={"ROUTECLI_CACHE_DIR": "/tmp/" + "a" * 5000}, exits=(0,), human=False)
    add("cache", "cache-dir-relative-dotdot", ["-r", "big.yaml", "list"],
        files={"big.yaml": big}, env={"ROUTECLI_CACHE_DIR": "../../.."}, exits=(0,),
        human=False)
    add("cache", "cache-dir-dev-null", ["-r", "big.yaml", "list"], files={"big.yaml": big},
        env={"ROUTECLI_CACHE_DIR": "/dev/null/x"}, exits=(0,), human=False)
    add("cache", "cache-no-cache-env-odd", ["-r", "big.yaml", "list"], files={"big.yaml": big},
        env={"ROUTECLI_NO_CACHE": "\x1b[2J"}, exits=(0,), human=False)


def _second_audit(add) -> None:
    """A second audit's cases: odd numbers, shapes, arguments and outputs (issue #13)."""
    # ---- integers Python cannot print (over 4,300 digits) or builds in quadratic time:
    # YAML and TOML hex, binary and base-60 literals are read without Python's bound
    hex_big = "0x" + "f" * 20_000
    for name, value in {"hex": hex_big, "binary": "0b" + "1" * 14_300,
                        "base60": ":".join(["59"] * 3000), "base60-long": ":".join(["59"] * 200_000),
                        "decimal": "9" * 5000}.items():
        add("numbers", f"num-yaml-{name}", ["-r", "r.yaml", "list", "--format", "json"],
            files={"r.yaml": f"routes:\n  - {{rule: /x, endpoint: x, defaults: {{a: {value}}}}}\n"},
            human=False, message="r.yaml:2: ", timeout=20)
    for name, value in {"hex": hex_big, "decimal": "9" * 5000}.items():
        add("numbers", f"num-toml-{name}", ["-r", "r.toml", "list", "--format", "json"],
            files={"r.toml": f'[[routes]]\nrule = "/x"\nendpoint = "x"\ndefaults = {{a = {value}}}\n'},
            human=False, message="r.toml:4: ")
    add("numbers", "num-pyproject-decimal", ["lint"],
        files={"r.yaml": GOOD_YAML,
               "pyproject.toml": '[tool.routecli]\nroutes = ["r.yaml"]\nx = ' + "9" * 5000 + "\n"},
        message="pyproject.toml:3: ")
    # an app's own default too large to print: described, never an internal error
    huge_app = ("from flask import Flask\napp = Flask(__name__)\n"
                "app.add_url_rule('/x', 'x', lambda **k: '', defaults={'a': 10**5000})\n")
    for name, args in {"list-json": ["-r", "fapp:app", "list", "--format", "json"],
                       "list-csv": ["-r", "fapp:app", "list", "--format", "csv"],
                       "match": ["-r", "fapp:app", "match", "GET", "/x"],
                       "match-json": ["-r", "fapp:app", "match", "--format", "json", "GET", "/x"],
                       "diff": ["diff", "fapp:app", "fapp2:app"]}.items():
        add("numbers", f"num-app-default-{name}", args, exits=(0, 1), human="json" not in name,
            files={"fapp.py": huge_app, "fapp2.py": huge_app.replace("5000", "5001")})
    add("numbers", "num-baseline-decimal", ["-r", "r.yaml", "lint", "--baseline", "b.json"],
        files={"r.yaml": GOOD_YAML,
               "b.json": '{"routecli-baseline": ' + "9" * 5000 + ', "findings": []}'},
        message="b.json: ")
    # ---- coverage --host the table refuses: a usage error, as for match --host (every log
    # line was lost as malformed, exit 0)
    for name, host in {"bidi": "\u202eh", "space": "a b", "port": "h:99999"}.items():
        add("args", f"arg-coverage-host-{name}", ["-r", "r.yaml", "coverage", "--host", host, "-"],
            files={"r.yaml": GOOD_YAML}, stdin=b"GET /b\n", message="invalid host")
    # ---- the app's own code failing outside the import: its error at its line, never
    # "internal error"; what it changes (the current directory) does not move routecli's files
    for name, (code, message) in {
        "getattr-raises": ("def __getattr__(name):\n    raise RuntimeError('boom')\n",
                           "pm.py:2: the app's code raised RuntimeError"),
        "property-raises": ("import sys\nclass M:\n    @property\n    def app(self):\n"
                            "        raise ValueError('x')\nsys.modules[__name__] = M()\n",
                            "in place of the module"),
        "replaced-by-none": ("import sys\nsys.modules[__name__] = None\n",
                             "in place of the module"),
    }.items():
        add("app-exit", f"app-module-{name}", ["-r", "pm:app", "list"], files={"pm.py": code},
            message=message)
    add("outputs", "out-app-chdir", ["-r", "pm:app", "lint", "-o", "pm.py"],
        files={"pm.py": "import os\nos.chdir('/')\nfrom flask import Flask\n"
                        "app = Flask(__name__)\n@app.route('/x')\ndef x():\n    return ''\n"},
        message="pm.py: refusing to write the report onto")
    # `python -m routecli` (as run here) puts the directory first on sys.path: a json.py or
    # yaml.py there must not be imported in place of the library's own
    for module in ("json", "yaml", "click"):
        add("spec", f"spec-shadowing-{module}-py", ["-r", "r.yaml", "list", "--format", "json"],
            files={"r.yaml": GOOD_YAML, f"{module}.py": "open('MARKER', 'w').close()\n"},
            exits=(0,), human=False)
    # ---- url NAME=VALUE repeated (a query list): linear, not quadratic (150,000 took ~20 s)
    add("args", "arg-url-value-repeated", ["-r", "r.yaml", "url", "a", "x=1",
                                           *["q=v"] * 150_000],
        files={"r.yaml": GOOD_YAML}, exits=(0,), human=False, timeout=15)
    add("files", "dir-as-baseline-named", ["-r", "r.yaml", "lint", "--baseline", "d"],
        files={"r.yaml": GOOD_YAML, "d/x": ""}, message="d: is a directory")
    # ---- an empty path names no file (it was read as the current directory, '.')
    add("args", "arg-lint-baseline-empty-path", ["-r", "r.yaml", "lint", "--baseline", ""],
        files={"r.yaml": GOOD_YAML}, message="empty")
    # ---- globs fnmatch reads in quadratic time (every unclosed "[" to the end)
    add("args", "arg-list-endpoint-glob-brackets", ["-r", "r.yaml", "list", "-e", "[" * 50_000],
        files={"r.yaml": GOOD_YAML}, timeout=20)
    add("config", "config-per-file-ignores-glob-brackets", ["-r", "r.yaml", "lint"],
        files={"r.yaml": "routes:\n  - {rule: '/a/<x>', endpoint: a}\n"
                         "  - {rule: '/a/<y>', endpoint: b}\n",  # a finding to match it to
               "pyproject.toml": '[tool.routecli.lint.per-file-ignores]\n"' + "[" * 50_000
               + '" = ["RL101"]\n'}, message="pyproject.toml:1: ", timeout=20)
    # ---- a NUL in a path from a config file (no command line can hold one)
    add("config", "config-routes-nul-path", ["list"],
        files={"pyproject.toml": '[tool.routecli]\nroutes = ["r\\u0000.yaml"]\n'},
        message="pyproject.toml:2: ")
    add("config", "config-lint-baseline-nul-path", ["-r", "r.yaml", "lint"],
        files={"r.yaml": GOOD_YAML,
               "pyproject.toml": '[tool.routecli.lint]\nbaseline = "b\\u0000.json"\n'},
        message="pyproject.toml:2: ")
    add("config", "config-flag-baseline-nul-path", ["-r", "r.yaml", "lint", "--config", "c.toml"],
        files={"r.yaml": GOOD_YAML, "c.toml": '[tool.routecli.lint]\nbaseline = "\\u0000"\n'},
        message="c.toml:2: ")
    # ---- usage errors quote what was typed: escaped as every message is (click echoes it)
    typed = "x\x1b[2J\u202e\x07\x9b\nz"
    for name, args in {"list-extra": ["-r", "r.yaml", "list", typed],
                       "rule-extra": ["rule", "RL101", typed],
                       "diff-extra": ["diff", "r.yaml", "r.yaml", typed],
                       "command": [typed],
                       "choice": ["-r", "r.yaml", "list", "--format", typed],
                       "int": ["-r", "r.yaml", "coverage", "-j", typed, "r.yaml"]}.items():
        add("args", f"arg-usage-escaped-{name}", args, files={"r.yaml": GOOD_YAML})
    # ---- a batch file's lines end at "\n" only: a stray "\r" (or NEL, U+2028) is inside a
    # line, so later line numbers are the ones an editor and `wc -l` show
    add("args", "arg-batch-stray-cr-line-numbers", ["-r", "r.yaml", "match", "--batch", "b.txt"],
        files={"r.yaml": GOOD_YAML, "b.txt": "GET /a/1\rGET /b\nGET /a/\u2028\x85x\nGET bad\n"},
        one_line=False, message="b.txt:3: expected a URL")
    # ---- ... but a file whose lines all end with "\r" (classic Mac OS) is read line by line
    add("args", "arg-batch-cr-only", ["-r", "r.yaml", "match", "--batch", "b.txt"],
        files={"r.yaml": GOOD_YAML, "b.txt": "GET /a/1\rGET /b\rGET bad\r"},
        one_line=False, message="b.txt:3: expected a URL")
    add("args", "arg-batch-stdin-cr-only", ["-r", "r.yaml", "match", "--batch", "-"],
        files={"r.yaml": GOOD_YAML}, stdin=b"GET /a/1\rGET /b\rGET bad\r",
        one_line=False, message="<stdin>:3: expected a URL")
    add("args", "arg-batch-stdin-stray-cr-line-numbers", ["-r", "r.yaml", "match", "--batch", "-"],
        files={"r.yaml": GOOD_YAML}, stdin=b"GET /a/1\r\nGET /a/1\rGET /b\nGET bad\n",
        one_line=False, message="<stdin>:3: expected a URL")
    # ---- url arguments that are not UTF-8 (as a shell passes raw bytes): a usage error,
    # never their bytes in JSON nor exit 1 ("the answer is no")
    for name, args in {"value": ["a", os.fsdecode(b"x=\xff")],
                       "name": ["a", os.fsdecode(b"\xff=1")],
                       "endpoint": [os.fsdecode(b"a\xff")]}.items():
        add("args", f"arg-url-not-utf8-{name}", ["-r", "r.yaml", "url", "--format", "json", *args],
            files={"r.yaml": GOOD_YAML}, human=False, message="not valid UTF-8")


def _corrupt_objects(p):
    for path in (p / ".git" / "objects").rglob("*"):
        if path.is_file() and path.parent.name != "info":
            os.chmod(path, 0o600)
            path.write_bytes(b"\x78\x01garbage")


def _cache_entries(p) -> list[Path]:
    """The parsed-file cache entries of ``p/big.yaml``, written by a real run into ``p/.cache``."""
    subprocess.run([sys.executable, "-m", "routecli", "-r", "big.yaml", "list"], cwd=p,
                   env={**os.environ, "PYTHONPATH": str(ROOT),
                        "ROUTECLI_CACHE_DIR": str(p / ".cache")},
                   capture_output=True, check=False)
    entries = list((p / ".cache").glob("*.marshal"))
    assert entries, "no cache entry written"
    return entries


def _hostile_cache(kind: str, big: str):
    """A setup that writes a valid entry for big.yaml, then makes it ``kind``, re-signed
    (its checksum made to hold, as anyone able to write the directory could)."""
    def setup(p):
        import hashlib
        import marshal

        for entry in _cache_entries(p):
            if kind == "sparse-huge":
                with open(entry, "r+b") as handle:
                    handle.truncate(8 << 30)
                continue
            if kind == "empty":
                entry.write_bytes(b"")
                continue
            if kind == "digest-only":
                entry.write_bytes(entry.read_bytes()[:32])
                continue
            version, routes, converters, settings, explicit = marshal.loads(
                entry.read_bytes()[32:])
            routes = [list(r) for r in routes]
            if kind == "lie-settings":
                settings = {**settings, "strict_slashes": "x\x1b", "host_matching": 5}
            elif kind == "lie-converter":
                converters = [("c", "(", 100, None, ("big.yaml", 1))]
            elif kind == "lie-methods":
                for r in routes:
                    r[2] = ["G\x1bET", "", "GET" * 100]
            elif kind == "lie-defaults":
                for r in routes:
                    r[3] = {"x": compile("1", "x", "eval"), 5: b"\xff", "y": {1, 2}}
            elif kind == "lie-flags":
                for r in routes:
                    r[4:13] = [b"x", 5, 7, [], {}, 3.5, b"y", "z", None]
            elif kind == "lie-source":
                for r in routes:
                    r[13] = ("\x1b[2J", -5)
            elif kind == "lie-explicit":
                explicit = {"strict_slashes": ("x", ("f", 1)), 5: None}
            elif kind == "lie-extra-field":
                routes = [r + ["extra"] for r in routes]
            payload = marshal.dumps((version, [tuple(r) for r in routes], converters, settings,
                                     explicit))
            entry.write_bytes(hashlib.sha256(payload).digest() + payload)
    return setup

