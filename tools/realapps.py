"""The real-app lint corpus: snapshot live Flask apps' route tables, lint every table of
the corpus with the default rule set, and keep a judgement per default finding.

    python tools/realapps.py snapshot [NAME...]   # live apps -> tests/realapps/tables/NAME.json
    python tools/realapps.py judge                # lint -> tests/realapps/judgements.json
    python tools/realapps.py show                 # every finding with its verdict, precision
    python tools/realapps.py requests [NAME...]   # Starlette/FastAPI apps: every route's
                                                  # sample request and variations of it,
                                                  # routecli vs TestClient
    python tools/realapps.py flask-requests [NAME...]  # Flask apps: 3,000 requests made
                                                  # from the rules, routecli vs the app

``judge`` rebuilds the judgement file from what lint reports now with every rule selected
(each entry says whether the default rule set reports it), keeping the verdict
(``true-positive`` or ``noise``) and the reason recorded for a finding with the same
fingerprint; a new finding gets ``"verdict": null`` until someone judges it by editing the
file. tests/analysis/test_realapps.py fails when the default output reports a finding that
is not recorded as a true positive, or stops reporting one that is.

The apps come from PyPI, installed into a virtual environment of their own (their pins must
not move the test environment's Flask)::

    python3 -m venv .venv-apps
    .venv-apps/bin/pip install -e . privacyidea ihatemoney rq-dashboard 'moto[server]' \\
        dash flask-monitoringdashboard flask-appbuilder flask-admin flask-restx \\
        changedetection-io flask-security-too pgadmin4
    python3 -m venv .venv-flask2  # Calibre-Web pins Flask 2.3
    .venv-flask2/bin/pip install -e . mlflow lektor calibreweb
    .venv-apps/bin/pip install prefect gradio sqladmin starlette-admin marimo nicegui \\
        piccolo_admin 'fastapi-users[sqlalchemy]' aiosqlite \\
        'strawberry-graphql[fastapi]'  # first-match apps
    .venv-apps/bin/python tools/realapps.py snapshot

Starlette and FastAPI apps (``STARLETTE_APPS``) are snapshotted as first-match route
files by tools/realapps_ordered.py, which also sends every route's sample request to the
live app (``requests``).

A snapshot is a JSON route file holding each route's rule, endpoint, methods, options and
view (``module.qualname``, which groups findings about one view on many prefixes). A
converter object of the app's own (``<regex("[a-z]+"):x>``) becomes a custom converter of
the file with the object's regex and weight, so the snapshot matches as the app does.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "tests" / "realapps"
TABLES = HERE / "tables"
JUDGEMENTS = HERE / "judgements.json"
CORPORA = ROOT / "tests" / "data" / "corpora"
DEMOS = HERE / "apps"

# name -> (its distribution on PyPI, the -r source that builds the app without network or a
# database server). Each is
# a different kind of Flask application or extension; the demos under tests/realapps/apps/
# set an extension up as its documentation does.
APPS = {
    "privacyidea": ("privacyidea", "privacyidea.app:create_app('testing', silent=True)"),
    "ihatemoney": ("ihatemoney", "ihatemoney.run:create_app()"),
    "rq-dashboard": ("rq-dashboard", "rq_dashboard.cli:make_flask_app(None, None, None, '')"),
    "moto-lambda": ("moto", "moto.moto_server.werkzeug_app:create_backend_app('lambda')"),
    "moto-apigateway": ("moto",
                        "moto.moto_server.werkzeug_app:create_backend_app('apigateway')"),
    "changedetection": ("changedetection.io", str(DEMOS / "changedetection_demo.py")),
    "flask-admin": ("Flask-Admin", str(DEMOS / "flask_admin_demo.py")),
    "flask-appbuilder": ("Flask-AppBuilder", str(DEMOS / "appbuilder_demo.py")),
    "flask-restx": ("flask-restx", str(DEMOS / "flask_restx_demo.py")),
    "dash": ("dash", str(DEMOS / "dash_demo.py")),
    "flask-monitoringdashboard": ("Flask-MonitoringDashboard",
                                  str(DEMOS / "monitoring_dashboard_demo.py")),
    "flask-security": ("Flask-Security-Too", str(DEMOS / "flask_security_demo.py")),
    "pgadmin4": ("pgadmin4", str(DEMOS / "pgadmin_demo.py")),
    "mlflow": ("mlflow", "mlflow.server:app"),
    "calibre-web": ("calibreweb", str(DEMOS / "calibreweb_demo.py")),
    "lektor": ("Lektor", str(DEMOS / "lektor_demo.py")),
}
# Starlette and FastAPI applications, each a different kind: an API server (Prefect), a UI
# framework's server (Gradio), admin interfaces mounted into an app (SQLAdmin on FastAPI,
# starlette-admin on Starlette), a notebook server with routers of its own (marimo), a UI
# framework's pages (NiceGUI), an admin app of mounts and sub-apps (Piccolo Admin), an
# auth library's routers (fastapi-users) and a GraphQL router whose HTTP routes and
# websocket share one path (strawberry).
STARLETTE_APPS = {
    "prefect": ("prefect", "prefect.server.api.server:create_app()"),
    "gradio": ("gradio", str(DEMOS / "gradio_demo.py") + ":app"),
    "sqladmin": ("sqladmin", str(DEMOS / "sqladmin_demo.py") + ":app"),
    "starlette-admin": ("starlette-admin", str(DEMOS / "starlette_admin_demo.py") + ":app"),
    "marimo": ("marimo", str(DEMOS / "marimo_demo.py") + ":app"),
    "nicegui": ("nicegui", str(DEMOS / "nicegui_demo.py") + ":app"),
    "piccolo-admin": ("piccolo_admin", "piccolo_admin.example.app:APP"),
    "fastapi-users": ("fastapi-users", str(DEMOS / "fastapi_users_demo.py") + ":app"),
    "strawberry": ("strawberry-graphql", str(DEMOS / "strawberry_demo.py") + ":app"),
}
APPS.update(STARLETTE_APPS)

VERDICTS = ("true-positive", "noise")


# ----------------------------------------------------------------------------- tables


def corpus_table(path: Path):
    """A shared ``METHOD PATH`` corpus as a table (bench/bench_lint.py reads them alike)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_lint import corpus_routes

    import routecli

    return routecli.RouteTable.from_data({"routes": corpus_routes(path)}, str(path))


def tables() -> dict[str, object]:
    """Every table of the corpus that runs everywhere: the shared corpora and the snapshots."""
    import routecli

    out = {}
    for path in sorted(CORPORA.glob("*.routes")):
        out[f"corpus/{path.stem}"] = corpus_table(path)
    for path in sorted(TABLES.glob("*.json")):
        out[f"app/{path.stem}"] = routecli.load(str(path.relative_to(Path.cwd()))
                                                if path.is_relative_to(Path.cwd()) else str(path))
    return out


def snapshot_document(table) -> dict:
    """A loaded table as a route file (see the module docstring)."""
    from routecli.routing.dialects import dialect_of
    from routecli.routing.werkzeug.converters import ForeignConverter

    if dialect_of(table).first_match:
        from realapps_ordered import snapshot_document as ordered_document

        return ordered_document(table)

    settings = table.settings
    converters: dict[str, dict] = {}
    names: dict[tuple, str] = {}
    routes = []
    for rule in table.rules:
        route = rule.route
        text = rule.rule
        for var, conv in rule.converters.items():
            if not isinstance(conv, ForeignConverter):
                continue
            key = (conv.regex, conv.weight, conv.part_isolating)
            if key not in names:
                names[key] = f"app{len(names) + 1}"
                converters[names[key]] = {"regex": conv.regex, "weight": conv.weight,
                                          "part_isolating": conv.part_isolating}
            text = _rename_converter(text, var, names[key])
        item = {"rule": text, "endpoint": rule.endpoint,
                "methods": "*" if route.methods is None else list(route.methods)}
        for key in ("strict_slashes", "merge_slashes", "host", "subdomain",
                    "provide_automatic_options"):
            if getattr(route, key) is not None:
                item[key] = getattr(route, key)
        for key in ("alias", "build_only", "websocket"):
            if getattr(route, key):
                item[key] = True
        if isinstance(route.redirect_to, str):
            item["redirect_to"] = route.redirect_to
        if route.defaults:
            item["defaults"] = json.loads(json.dumps(route.defaults, default=str))
        if route.view:
            item["view"] = route.view
        routes.append(item)
    document: dict = {"settings": {
        "strict_slashes": settings.strict_slashes, "merge_slashes": settings.merge_slashes,
        "host_matching": settings.host_matching, "server_name": settings.server_name or ""}}
    if converters:
        document["converters"] = converters
    document["routes"] = routes
    return document


def _rename_converter(text: str, var: str, name: str) -> str:
    """``/<regex("[a-z]+"):x>`` with ``x``'s converter renamed: ``/<app1:x>``."""
    end = text.index(f":{var}>")
    start = text.rindex("<", 0, end)
    return f"{text[:start]}<{name}:{var}>{text[end + len(var) + 2:]}"


def _scratch() -> None:
    """Run the apps in a scratch directory: they write logs and databases where they run
    (and Prefect under PREFECT_HOME)."""
    scratch = tempfile.mkdtemp(prefix="realapps-")
    os.chdir(scratch)
    os.environ.setdefault("PREFECT_HOME", scratch)


def installed(name: str) -> bool:
    """Whether the app's distribution is installed here."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        distribution(APPS[name][0])
    except PackageNotFoundError:
        return False
    return True


def snapshot(names: list[str]) -> None:
    import routecli

    TABLES.mkdir(parents=True, exist_ok=True)
    _scratch()
    for name in names or list(APPS):
        try:
            table = routecli.load(APPS[name][1])
        except Exception as exc:  # noqa: BLE001 - an app that does not build here
            print(f"{name}: not snapshotted: {exc}", file=sys.stderr)
            continue
        document = snapshot_document(table)
        path = TABLES / f"{name}.json"
        path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
        print(f"{name}: {len(document['routes'])} routes -> {path.relative_to(ROOT)}")


def check_requests(names: list[str]) -> int:
    """Send every route's sample request to each installed Starlette/FastAPI app and
    print where routecli answers otherwise; the number of disagreements."""
    from realapps_ordered import compare, live_app, sample_requests, variant_requests

    from routecli.routing.dialects import compile_table
    from routecli.sources.python.starlette_app import routeset_from_app

    _scratch()
    wrong = 0
    for name in names or list(STARLETTE_APPS):
        if not installed(name):
            print(f"{name}: not installed", file=sys.stderr)
            continue
        app = live_app(APPS[name][1])
        table = compile_table(routeset_from_app(app))  # what `routecli -r SPEC` reads
        requests = sample_requests(table)
        requests += [r for r in variant_requests(table) if r[:2] not in
                     {q[:2] for q in requests}]
        problems = compare(app, table, requests)
        router = getattr(app, "router", None)
        stopped = [p for p in problems if p.split(": ", 1)[-1].startswith("unverified")]
        if stopped and router is not None:
            # Middleware that needs a running server (marimo's sessions) stopped them
            # before routing: routing is the router's alone, so ask it without them.
            again = [r for r in requests if any(p.startswith(f"{r[0]} {r[1]} (")
                                                 for p in stopped)]
            problems = [p for p in problems if p not in stopped] + compare(router, table,
                                                                           again)
            print(f"{name}: {len(again)} requests stopped by middleware sent to app.router")
        unverified = [p for p in problems if p.split(": ", 1)[-1].startswith("unverified")]
        wrong += len(problems) - len(unverified)
        print(f"{name}: {len(requests) - len(problems)}/{len(requests)} requests "
              f"answered alike, {len(unverified)} stopped before routing")
        for problem in problems:
            print(f"  {problem}")
    return wrong


def check_flask_requests(names: list[str], count: int = 3000) -> int:
    """Ask each installed Flask app (a snapshot's live app) ``count`` requests made from its
    own rules and mutated (tests/differential/test_flask_apps.py makes them), through the
    app's own routing (``test_request_context().match_request()``) and through the table
    ``routecli -r SPEC`` loads; print the disagreements, return how many."""
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "differential")]
    from test_flask_apps import flask_answer, requests_for, routecli_answer

    import routecli
    from routecli.sources.python.resolve import _flask_class

    _scratch()
    wrong = 0
    for name in names or [n for n in APPS if n not in STARLETTE_APPS]:
        if name in STARLETTE_APPS or not installed(name):
            print(f"{name}: not installed (or not a Flask app)", file=sys.stderr)
            continue
        table = routecli.load(APPS[name][1])
        app = _live_flask_app(APPS[name][1], _flask_class())
        bad = []
        for method, path, host, scheme, query in requests_for(app, ["localhost"], count, 0):
            expected = flask_answer(app, method, path, host, scheme, query)
            got = routecli_answer(table, method, path, host, scheme, query)
            if got != expected:
                bad.append(f"  {method} {path!r}: flask {expected}, routecli {got}")
        wrong += len(bad)
        print(f"{name}: {count - len(bad)}/{count} requests answered alike")
        print("\n".join(bad[:20]))
    return wrong


def _live_flask_app(spec: str, flask_class):
    """The app object routecli just loaded for ``spec`` (its module stays imported)."""
    target, _, expression = spec.rpartition(":") if ":" in spec else (spec, "", "")
    module = sys.modules[Path(target).stem if target.endswith(".py") else target.split("(")[0]]
    if expression:
        return eval(expression, vars(module))  # noqa: S307 - the corpus's own specs
    return next(v for v in vars(module).values() if isinstance(v, flask_class))


# ----------------------------------------------------------------------------- judging


def findings(table) -> tuple[list, list]:
    """(what ``routecli lint`` reports with no configuration, what ``--select ALL
    --fail-on info`` reports)."""
    from routecli.analysis import lint
    from routecli.analysis.selection import LintSettings, apply

    report = lint(table, noqa=False, group=False)
    everything = LintSettings().override(select="ALL", fail_on="info")
    return apply(report, LintSettings()).findings, apply(report, everything).findings


def entry(finding, default: bool) -> dict:
    return {"fingerprint": finding.fingerprint(), "code": finding.code,
            "severity": finding.severity, "default": default, "routes": finding.count,
            "endpoints": [rule.endpoint for rule in finding.routes],
            "message": finding.message}


def load_judgements() -> dict:
    if not JUDGEMENTS.exists():
        return {}
    return json.loads(JUDGEMENTS.read_text())["tables"]


def judged(named_tables: dict, old: dict) -> dict:
    """Every finding of every table, with the verdicts ``old`` records by fingerprint
    (tools/realapps_django.py judges its own tables with it)."""
    out = {}
    for name, table in named_tables.items():
        known = {e["fingerprint"]: e for e in old.get(name, [])}
        entries = []
        default, everything = findings(table)
        shown = {finding.fingerprint() for finding in default}
        for finding in everything:
            item = entry(finding, finding.fingerprint() in shown)
            before = known.get(item["fingerprint"], {})
            item["verdict"] = before.get("verdict")
            item["why"] = before.get("why", "")
            entries.append(item)
        out[name] = entries
    return out


def judge() -> None:
    out = judged(tables(), load_judgements())
    document = {
        "about": "Every finding `routecli lint` reports by default on the real-app corpus, "
                 "judged: true-positive (a maintainer would fix it) or noise. Rebuilt by "
                 "tools/realapps.py judge, which keeps verdicts by fingerprint.",
        "tables": out,
    }
    JUDGEMENTS.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    show()


def precision(judgements: dict, default: bool = True) -> tuple[int, int, int]:
    """(true positives, noise, unjudged) over the findings lint reports by default (or,
    ``default=False``, over every finding of every rule)."""
    verdicts = [e["verdict"] for entries in judgements.values() for e in entries
                if e["default"] or not default]
    return (verdicts.count("true-positive"), verdicts.count("noise"),
            sum(1 for v in verdicts if v not in VERDICTS))


def show(judgements: dict | None = None) -> None:
    judgements = load_judgements() if judgements is None else judgements
    for name, entries in judgements.items():
        print(f"{name}: {len(entries)} findings")
        for e in entries:
            shown = "default" if e["default"] else "opt-in"
            print(f"  [{e['verdict']}] {shown} {e['code']} {e['severity']} x{e['routes']}: "
                  f"{e['message'][:150]}")
    for default, what in ((True, "default rule set"), (False, "every rule (--select ALL)")):
        good, noise, unjudged = precision(judgements, default)
        total = good + noise
        print(f"{what}: precision {good}/{total} = {good / total if total else 1:.0%}; "
              f"{unjudged} unjudged")


def main(argv: list[str]) -> int:
    os.chdir(ROOT)
    command, *rest = argv or ["show"]
    if command == "snapshot":
        snapshot(rest)
    elif command == "judge":
        judge()
    elif command == "show":
        show()
    elif command == "requests":
        return 1 if check_requests(rest) else 0
    elif command == "flask-requests":
        return 1 if check_flask_requests(rest) else 0
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
