"""``routecli coverage`` with Starlette and Django tables against the framework's own loop.

The log and the 1,000-route table of ``bench_coverage.py`` (``--unique`` for many distinct
requests) are written as a Starlette and a Django route file (the same paths and methods);
then, in one run:

- routecli: ``CoverageReport(table).read([log])`` over the whole log, CPU time;
- Starlette: its dispatch scan (``route.matches(scope)`` over ``router.routes``, what
  ``Router.app`` does before calling an endpoint) per request of the first --sample
  requests, extrapolated per million lines;
- Django: ``django.urls.resolve(path)`` then the view's allowed methods, per request of
  the same sample, extrapolated.

Both frameworks try their patterns one by one, so their loops are far slower than
Werkzeug's; the sample keeps the run short. The statuses routecli gives the sample are
compared with the framework's first.

    python bench/bench_coverage_dialects.py --lines 1000000 --unique 0.25
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import types
from itertools import islice
from pathlib import Path
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_coverage import prepare  # noqa: E402

PARAM = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def route_list(route_file: Path) -> list[dict]:
    return json.loads(route_file.read_text())["routes"]


def starlette_rule(rule: str) -> str:
    def convert(m: re.Match) -> str:
        converter = f":{m.group(1)}" if m.group(1) else ""
        return "{" + m.group(2) + converter + "}"

    return PARAM.sub(convert, rule)


def write_route_files(directory: Path, routes: list[dict]) -> dict[str, Path]:
    files = {}
    for dialect, convert in (("starlette", starlette_rule),
                             ("django", lambda rule: rule.lstrip("/"))):
        data = {"settings": {"dialect": dialect},
                "routes": [{"rule": convert(r["rule"]), "endpoint": r["endpoint"],
                            "methods": r["methods"]} for r in routes]}
        if dialect == "django":
            data["settings"]["append_slash"] = False  # resolve() alone does no redirect
        files[dialect] = directory / f"routes-{dialect}.json"
        files[dialect].write_text(json.dumps(data, indent=1))
    return files


def starlette_loop(routes: list[dict]):
    from starlette.routing import Match, Route, Router

    async def endpoint(request):  # never called
        return None

    router = Router([Route(starlette_rule(r["rule"]), endpoint, methods=r["methods"],
                           name=r["endpoint"]) for r in routes])

    def answer(method: str, path: str) -> int:
        scope = {"type": "http", "method": method, "path": path, "root_path": "",
                 "headers": [], "query_string": b""}
        partial = False
        for route in router.routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return 200
            if match is Match.PARTIAL:
                partial = True
        return 405 if partial else 404

    return answer


def django_loop(routes: list[dict]):
    import django
    from django.conf import settings

    module = types.ModuleType("bench_coverage_urls")
    sys.modules[module.__name__] = module
    settings.configure(ROOT_URLCONF=module.__name__, DEBUG=False, ALLOWED_HOSTS=["*"])
    django.setup()
    from django.urls import Resolver404, path, resolve

    def view(request, **kwargs):  # never called
        raise AssertionError

    allowed = {}
    patterns = []
    for number, r in enumerate(routes):
        name = f"p{number}"
        allowed[name] = set(r["methods"])  # require_http_methods: HEAD only when named
        patterns.append(path(r["rule"].lstrip("/"), view, name=name))
    module.urlpatterns = patterns

    def answer(method: str, url_path: str) -> int:
        try:
            match = resolve(url_path)
        except Resolver404:
            return 404
        return 200 if method in allowed[match.url_name] else 405

    return answer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unique", type=float, default=0.0)
    parser.add_argument("--dir", default="/tmp/routecli-bench-coverage")
    parser.add_argument("--sample", type=int, default=5000,
                        help="requests answered by the frameworks' own loops")
    parser.add_argument("--repeat", type=int, default=3, help="routecli runs (best is shown)")
    args = parser.parse_args(argv)

    import routecli
    from routecli.coverage.logs import LogReader
    from routecli.coverage.report import CoverageReport

    log, route_file = prepare(Path(args.dir), args.lines, args.seed, args.unique)
    routes = route_list(route_file)
    files = write_route_files(Path(args.dir), routes)
    sample = [(r.method.upper(), r.target.partition("?")[0])
              for r in islice(LogReader().read([str(log)]), args.sample)]
    loops = {"starlette": starlette_loop(routes), "django": django_loop(routes)}
    print(f"{args.lines:,} lines, {len(routes):,} routes, unique share {args.unique}; "
          f"framework loops over {len(sample):,} requests, extrapolated per 1M lines")
    for dialect in ("starlette", "django"):
        table = routecli.load(str(files[dialect]))
        best = None
        for _ in range(args.repeat):
            started = time.process_time()
            report = CoverageReport(table).read([str(log)])
            spent = time.process_time() - started
            best = spent if best is None else min(best, spent)
        per_million = best / report.lines * 1e6
        answer = loops[dialect]
        decoded = [(method, unquote(path, errors="replace")) for method, path in sample]
        started = time.process_time()
        statuses = [answer(method, path) for method, path in decoded]
        framework = (time.process_time() - started) / len(sample) * 1e6
        disagree = sum(1 for (method, path), status in zip(sample, statuses)
                       if table.match(method, path).status != status)
        print(f"{dialect:9}  routecli coverage {per_million:6.2f} s/1M lines (CPU, best of "
              f"{args.repeat})  framework loop {framework:8.1f} s/1M lines  "
              f"ratio {framework / per_million:6.0f}x  disagreements {disagree}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
