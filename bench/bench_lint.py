"""Benchmark ``lint`` (and ``conflicts``) on generated REST-like tables and the shared corpora.

    python bench/bench_lint.py                     # 1k, 10k, 100k routes + corpora
    python bench/bench_lint.py --sizes 10000       # one size
    python bench/bench_lint.py --conflicts         # also time conflicts (slower: every pair)

Every measurement runs in a fresh subprocess, so the peak memory (ru_maxrss) is its own;
``peak_rss_built_mb`` is the peak once the table is built (before lint), ``peak_rss_mb`` at
the end. CPU times (``*_cpu_s``) are printed next to wall times: on a shared machine the
wall time is mostly other jobs'.
Targets: lint at 10,000 routes < 1 s, at 100,000 < 15 s, memory < 1 GB (2-core machine).

Generated tables: resources x actions, the way a JSON API plus an HTML front end looks:
collection and item routes, sub-resources, a static ``search`` next to a ``<slug>``, typed
ids, plus three catch-alls (``/static/<path:f>``, ``/api/<path:rest>``, ``/<path:page>``)
that overlap nearly everything, and injected defects: duplicates, ties, crossed overlaps.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(__file__).resolve().parent.parent / "tests" / "data" / "corpora"
sys.path.insert(0, str(ROOT))

SUBS = ("comments", "tags", "history", "owners", "files")


def generate(count: int, seed: int = 1) -> list[dict]:
    """About ``count`` route dicts (docs/sources.md#route-file-schema), deterministic for a seed."""
    rng = random.Random(seed)
    routes: list[dict] = [
        {"rule": "/static/<path:filename>", "endpoint": "static"},
        {"rule": "/api/<path:rest>", "endpoint": "api_not_found",
         "methods": ["GET", "POST", "PUT", "DELETE"]},
    ]
    index = 0
    while len(routes) < count - 1:
        name = f"res{index}"
        base = f"/api/v{1 + index % 2}/{name}"
        sub = SUBS[index % len(SUBS)]
        block = [
            (base, ["GET", "POST"]),
            (f"{base}/<int:id>", ["GET", "PUT", "DELETE"]),
            (f"{base}/<int:id>/{sub}", ["GET", "POST"]),
            (f"{base}/<int:id>/{sub}/<int:sub_id>", ["GET", "DELETE"]),
            (f"{base}/search", ["GET"]),
            (f"{base}/<slug>", ["GET"]),
            (f"/{name}/", ["GET"]),
            (f"/{name}/<slug>", ["GET"]),
            (f"/{name}/<slug>/edit", ["GET", "POST"]),
            (f"/{name}/<uuid:key>/download", ["GET"]),
        ]
        if index % 50 == 7:  # a duplicate registered by another blueprint
            block.append((f"{base}/search", ["GET"]))
        if index % 70 == 11:  # a tie: any() after the string edge exists
            block.append((f"{base}/<any(new,latest):which>", ["GET"]))
        if index % 90 == 13:  # a crossed overlap
            block.append((f"/{name}/<slug>/<int:version>", ["GET"]))
            block.append((f"/{name}/latest/<action>", ["GET"]))
        tail = block[6:]  # a slice is a copy: shuffle it, then put it back
        rng.shuffle(tail)
        block[6:] = tail
        for rule, methods in block:
            routes.append({"rule": rule, "endpoint": f"e{len(routes)}", "methods": methods})
        index += 1
    routes = routes[: count - 1]
    routes.append({"rule": "/<path:page>", "endpoint": "spa"})
    return routes


def corpus_routes(path: Path) -> list[dict]:
    """A ``METHOD PATH`` corpus as routes: lines with the same path become one route with
    several methods, but a method seen again for a path is a second registration."""
    routes: list[dict] = []
    open_route: dict[str, dict] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        method, rule = line.split()
        route = open_route.get(rule)
        if route is None or method in route["methods"]:
            route = {"rule": rule, "endpoint": f"e{len(routes)}", "methods": []}
            routes.append(route)
            open_route[rule] = route
        route["methods"].append(method)
    return routes


def measure(kind: str, arg: str, with_conflicts: bool) -> dict:
    """Build the table and time lint in this process."""
    from routecli.routing.werkzeug.table import RouteTable

    routes = generate(int(arg)) if kind == "generated" else corpus_routes(Path(arg))
    started, cpu = time.perf_counter(), time.process_time()
    table = RouteTable.from_data({"routes": routes})
    built, built_cpu = time.perf_counter() - started, time.process_time() - cpu
    rss_built = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started, cpu = time.perf_counter(), time.process_time()
    report = table.lint()
    linted, linted_cpu = time.perf_counter() - started, time.process_time() - cpu
    # CPU time next to wall time: on a shared machine the wall time is mostly the others'.
    out = {"routes": len(routes), "build_s": round(built, 3), "build_cpu_s": round(built_cpu, 3),
           "lint_s": round(linted, 3), "lint_cpu_s": round(linted_cpu, 3),
           "peak_rss_built_mb": round(rss_built, 1)}
    codes: dict[str, int] = {}
    for finding in report.findings:
        codes[finding.code] = codes.get(finding.code, 0) + 1
    out["lint_findings"] = dict(sorted(codes.items()))
    out["stats"] = report.stats
    if with_conflicts:
        started = time.perf_counter()
        listing = table.conflicts()
        out["conflicts_s"] = round(time.perf_counter() - started, 3)
        out["pairs"] = len(listing.findings)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--no-corpora", action="store_true")
    parser.add_argument("--conflicts", action="store_true", help="also time conflicts")
    parser.add_argument("--one", nargs=2, metavar=("KIND", "ARG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one[0], args.one[1], args.conflicts)))
        return
    jobs = [("generated", size) for size in args.sizes.split(",") if size]
    if not args.no_corpora:
        jobs += [("corpus", str(path)) for path in sorted(CORPORA.glob("*.routes"))]
    for kind, arg in jobs:
        command = [sys.executable, __file__, "--one", kind, arg]
        if args.conflicts:
            command.append("--conflicts")
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        name = arg if kind == "generated" else Path(arg).name
        if done.returncode:
            print(f"{name}: failed\n{done.stderr}", file=sys.stderr)
            continue
        print(f"{name}: {done.stdout.strip()}")


if __name__ == "__main__":
    main()
