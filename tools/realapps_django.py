"""The real-app corpus of the Django dialect: live Django projects from PyPI, snapshotted
as route files, their default lint findings judged, and routecli's answers compared with
Django's own on thousands of requests (tools/realapps.py does the same for Flask apps).

    python tools/realapps_django.py snapshot [NAME...]  # live -> tables/ and answers/
    python tools/realapps_django.py judge               # lint -> judgements.json
    python tools/realapps_django.py show                # findings, verdicts, precision

Everything lives under tests/realapps/django_corpus/:

- ``apps/``: one settings module (and URLconf) per project, set up as the app's
  documentation says (no network, an in-memory SQLite database that is never touched);
- ``tables/NAME.json``: the project's URLconf as a ``dialect: django`` route file (each
  pattern's text, name, view, methods the view accepts, kwargs, includes with namespaces;
  an ``i18n_patterns`` prefix as the plain prefix of the active language; a project
  converter as its regex, without its ``to_python``);
- ``answers/NAME.json``: requests made from every pattern (its shortest path and
  variations of it: slash added or removed, a segment changed, text appended) with
  Django's answer to each: ``resolve()`` (view name, route, args, kwargs),
  CommonMiddleware's APPEND_SLASH redirect, and the view's own 405 where routecli says
  the view refuses the method (the view is called; it refuses before it reads anything).
  ``snapshot`` also checks the live routecli table against these answers and prints
  each disagreement;
- ``judgements.json``: every finding of every rule with a verdict, as for Flask.

Each project is loaded in a process of its own (Django is configured once per process),
from a virtual environment of its own::

    python3 -m venv .venv-apps
    .venv-apps/bin/pip install -e . django-oscar wagtail django-cms djangorestframework \
        "django-allauth[socialaccount,mfa]" django-debug-toolbar django-filer \
        django-two-factor-auth phonenumberslite django-ninja drf-nested-routers
    .venv-apps/bin/python tools/realapps_django.py snapshot
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "tests" / "realapps" / "django_corpus"
APPS_DIR = HERE / "apps"
TABLES = HERE / "tables"
ANSWERS = HERE / "answers"
JUDGEMENTS = HERE / "judgements.json"

# name -> (its distribution on PyPI, its settings module under apps/)
APPS = {
    "django-admin": ("Django", "admin_site.settings"),
    "wagtail": ("wagtail", "wagtail_site.settings"),
    "django-oscar": ("django-oscar", "oscar_shop.settings"),
    "django-cms": ("django-cms", "cms_site.settings"),
    "drf": ("djangorestframework", "drf_api.settings"),
    "django-allauth": ("django-allauth", "allauth_site.settings"),
    "django-debug-toolbar": ("django-debug-toolbar", "debug_toolbar_site.settings"),
    "django-filer": ("django-filer", "filer_site.settings"),
    "django-two-factor-auth": ("django-two-factor-auth", "two_factor_site.settings"),
    "django-ninja": ("django-ninja", "ninja_api.settings"),
    "drf-nested-routers": ("drf-nested-routers", "nested_api.settings"),
}

METHODS = ("GET", "POST", "DELETE")
MAX_REQUESTS = 10_000  # per project, a bound on the answers file


# ----------------------------------------------------------------------------- snapshots


def snapshot_document(routeset) -> dict:
    """A live project's RouteSet (sources/python/django_urlconf.py) as a route file."""
    from routecli.routing.django.converters import BUILTIN
    from routecli.routing.result import json_value

    converters: dict[str, dict] = {}

    def rename(text: str, own: dict | None) -> str:
        for name, conv in (own or {}).items():
            if BUILTIN.get(name) is conv:
                continue
            final = name
            while final in converters and converters[final]["regex"] != conv.regex:
                final += "_"
            converters[final] = {"regex": conv.regex}
            if final != name:
                text = text.replace(f"<{name}:", f"<{final}:")
        return text

    def walk(items: list) -> list:
        out = []
        for item in items:
            if getattr(item, "kind", None) == "include":
                options = item.options
                regex = bool(options.get("regex")) and not options.get("locale")
                node: dict = {"include_regex" if regex else "include":
                              rename(item.prefix, options.get("converters"))}
                for key in ("namespace", "app_name"):
                    if options.get(key):
                        node[key] = options[key]
                if options.get("kwargs"):
                    node["kwargs"] = json_value(options["kwargs"])
                node["routes"] = walk(item.routes)
                out.append(node)
                continue
            extra = item.extra or {}
            key = "regex" if extra.get("regex") else "rule"
            node = {key: rename(item.rule, item.converters)}
            if item.name:
                node["endpoint"] = item.name
            if item.view:
                node["view"] = item.view
            if item.methods is not None:
                node["methods"] = list(item.methods)
            if extra.get("kwargs"):
                node["kwargs"] = json_value(extra["kwargs"])
            if extra.get("append_slash") is False:
                node["append_slash"] = False
            out.append(node)
        return out

    routes = walk(routeset.routes)
    document: dict = {"settings": {"dialect": "django",
                                   "append_slash": bool(routeset.options["append_slash"]),
                                   "debug": bool(routeset.options["debug"]),
                                   "django_version": routeset.options["django_version"]}}
    if converters:
        document["converters"] = converters
    document["routes"] = routes
    return document


# ----------------------------------------------------------------------------- requests


def sample_requests(table) -> list[tuple[str, str]]:
    """``(method, path)`` requests (paths decoded, as Django resolves them) made from
    every pattern: its shortest path with GET, POST and DELETE (a view's 405), then
    GET of variations that land on neighbours, APPEND_SLASH redirects and 404s."""
    from routecli.analysis.first_match import FirstMatch

    analysis = FirstMatch(table.rules)
    seen: dict[tuple[str, str], None] = {(method, "/"): None for method in METHODS}
    for entry in table.rules:
        if not entry.is_route:
            continue
        witness = analysis.witness_of(entry)
        if witness is None:
            continue
        path = witness if witness.startswith("/") else "/" + witness
        for method in METHODS:
            seen.setdefault((method, path), None)
        variants = [path + "x", path + "/x/"]
        variants.append(path[:-1] if path.endswith("/") else path + "/")
        segments = path.split("/")
        for i in range(1, len(segments)):
            if segments[i]:
                variants.append("/".join(segments[:i] + [segments[i] + "9"] + segments[i + 1:]))
        for variant in variants:
            if variant.startswith("/"):
                seen.setdefault(("GET", variant), None)
    return list(seen)[:MAX_REQUESTS]


def django_answer(method: str, path: str) -> dict:
    """Django's answer to ``method path``: resolve(), then CommonMiddleware's APPEND_SLASH
    on a 404. Views are not run here (their methods are checked apart)."""
    from django.http import HttpResponseNotFound
    from django.middleware.common import CommonMiddleware
    from django.test import RequestFactory
    from django.urls import Resolver404, resolve

    try:
        found = resolve(path)
    except Resolver404:
        request = RequestFactory().generic(method, "/", PATH_INFO=wsgi_path(path))
        middleware = CommonMiddleware(lambda request: HttpResponseNotFound())
        try:
            response = middleware.process_response(request, HttpResponseNotFound())
        except RuntimeError:
            return {"status": 500}
        if response.status_code == 301:
            return {"status": 301, "location": response["Location"]}
        return {"status": 404}
    return _hit(found.view_name, found.route, found.kwargs, found.args)


def _hit(endpoint: str, rule: str, kwargs: dict, args) -> dict:
    """A resolved request's answer; kwargs and args as text, left out when empty."""
    answer = {"status": 200, "endpoint": endpoint, "rule": rule}
    if kwargs:
        answer["args"] = {k: str(v) for k, v in kwargs.items()}
    if args:
        answer["positional_args"] = [str(v) for v in args]
    return answer


def wsgi_path(path: str) -> str:
    """A decoded path as a WSGI server puts it in PATH_INFO (its UTF-8 bytes as latin-1
    text): passed as it is, a path with a character beyond latin-1 fails in Django's
    request, and one within it (é) reaches APPEND_SLASH as other text."""
    return path.encode("utf-8").decode("latin-1")


def view_refusal(method: str, path: str) -> dict:
    """The view's own answer to a method routecli says it refuses: 405 and Allow."""
    from django.test import RequestFactory
    from django.urls import resolve

    found = resolve(path)
    request = RequestFactory().generic(method, "/", PATH_INFO=wsgi_path(path))
    request._dont_enforce_csrf_checks = True  # as Django's test client: no CSRF checks
    try:
        response = found.func(request, *found.args, **found.kwargs)
    except Exception as exc:  # noqa: BLE001 - the view got past the method check
        return {"status": f"raised {type(exc).__name__}"}
    allow = response.get("Allow")
    return {"status": response.status_code,
            "allowed_methods": None if allow is None else [m.strip() for m in
                                                            allow.split(",")]}


def routecli_answer(table, method: str, path: str) -> dict:
    """routecli's answer in the shape of :func:`django_answer`."""
    result = table.match(method, quote(path))
    data = result.to_dict()
    status = data["status"]
    if status == 301:
        return {"status": 301, "location": data["location"]}
    if status in (200, 405):
        answer = _hit(data["endpoint"], data["rule"], result.args or {},
                      getattr(result, "positional", ()))
        if status == 405:
            answer["refused"] = data["allowed_methods"]
        return answer
    return {"status": status}


def compare(table, answers: list, unconverted: frozenset = frozenset()) -> list[str]:
    """Where ``table`` answers otherwise than the recorded Django answers. A snapshot
    keeps a project converter's regex, not its ``to_python``: for a route using one of
    ``unconverted``, only the names of the kwargs are compared, not their values."""
    wrong = []
    for method, path, expected in answers:
        got = routecli_answer(table, method, path)
        refused = got.pop("refused", None)
        view = expected.get("view")
        expected = {k: v for k, v in expected.items() if k != "view"}
        if any(f"<{name}:" in (expected.get("rule") or "") for name in unconverted):
            for answer in (got, expected):
                answer["args"] = sorted(answer.get("args", {}))
        if got != expected:
            wrong.append(f"{method} {path}: routecli {got} != Django {expected}")
        elif refused is not None and view != {"status": 405, "allowed_methods": refused}:
            wrong.append(f"{method} {path}: routecli 405 allow {refused} != view {view}")
        elif refused is None and view is not None:
            wrong.append(f"{method} {path}: the view refused ({view}), routecli did not")
    return wrong


# ----------------------------------------------------------------------------- commands


def snapshot(names: list[str]) -> int:
    failed = 0
    for name in names or list(APPS):
        done = subprocess.run([sys.executable, __file__, "one", name], cwd=ROOT)
        failed += done.returncode != 0
    return 1 if failed else 0


def one(name: str) -> int:
    """Load project ``name`` live, write its snapshot and answers, check routecli."""
    from routecli.routing.dialects import compile_table
    from routecli.sources.python.django_project import load_urlconf

    os.environ["DJANGO_SETTINGS_MODULE"] = APPS[name][1]
    routeset = load_urlconf(settings_module=APPS[name][1], base_dir=str(APPS_DIR))
    table = compile_table(routeset)
    answers = []
    for method, path in sample_requests(table):
        expected = django_answer(method, path)
        if expected["status"] == 200 and table.match(method, quote(path)).status == 405:
            expected["view"] = view_refusal(method, path)
        answers.append([method, path, expected])
    TABLES.mkdir(parents=True, exist_ok=True)
    ANSWERS.mkdir(parents=True, exist_ok=True)
    document = snapshot_document(routeset)
    (TABLES / f"{name}.json").write_text(json.dumps(document, indent=1) + "\n")
    (ANSWERS / f"{name}.json").write_text(
        "[\n" + ",\n".join(json.dumps(a) for a in answers) + "\n]\n")
    wrong = compare(table, answers)
    statuses: dict = {}
    for _method, _path, expected in answers:
        statuses[expected["status"]] = statuses.get(expected["status"], 0) + 1
    print(f"{name}: {len(table.rules)} entries, {len(answers)} requests "
          f"{dict(sorted(statuses.items(), key=str))}, {len(wrong)} disagreements")
    for line in wrong[:30]:
        print("  " + line)
    return 1 if wrong else 0


def tables() -> dict[str, object]:
    import routecli

    return {f"app/{path.stem}": routecli.load(str(path))
            for path in sorted(TABLES.glob("*.json"))}


def load_judgements() -> dict:
    if not JUDGEMENTS.exists():
        return {}
    return json.loads(JUDGEMENTS.read_text())["tables"]


def judge() -> None:
    """As tools/realapps.py judge, for the Django snapshots."""
    import realapps

    document = {"about": "Every finding `routecli lint` reports on the Django projects of "
                         "the real-app corpus, judged: true-positive (a maintainer would fix "
                         "it) or noise. Rebuilt by tools/realapps_django.py judge, which "
                         "keeps verdicts by fingerprint.",
                "tables": realapps.judged(tables(), load_judgements())}
    JUDGEMENTS.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    show()


def show() -> None:
    import realapps

    realapps.show(load_judgements())


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "tools"))
    command, *rest = argv or ["show"]
    if command == "snapshot":
        return snapshot(rest)
    if command == "one" and len(rest) == 1:
        return one(rest[0])
    if command == "judge":
        judge()
    elif command == "show":
        show()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
