"""Memory of a loaded route table, per route: tracemalloc and RSS, in fresh subprocesses.

    python bench/bench_memory.py                    # Werkzeug, 10,000 and 100,000 routes
    python bench/bench_memory.py --sizes 10000 --top 15
    python bench/bench_memory.py --dialects werkzeug,starlette,django --sizes 10000

"Loaded" is what a process holding the table keeps: the routes as loaded from a route
file (the route model with each route's source line), the compiled rules and the
matcher's structures, measured after the file's text and parsed data are gone. The file
is written as a person writes one (indented JSON: every route on its own lines, so line
numbers are real). "Warmed" adds what the table keeps after one request of each kind
(static, dynamic, 404, 405) and one URL built: caches made on first use (the generated
search, the endpoint index). tracemalloc counts Python's own allocations (the figure the
target is about); the RSS delta adds the allocator's overhead and fragmentation.
``--top`` lists the biggest allocation sites (by source line) to see where the bytes go.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from tables import as_data, fill, rest_routes  # noqa: E402

DIALECTS = ("werkzeug", "starlette", "django")


def route_file(size: int, dialect: str) -> dict:
    """The REST-like table of ``size`` routes as a route file of ``dialect``."""
    data = as_data(rest_routes(size))
    if dialect == "werkzeug":
        return data
    import re

    for route in data["routes"]:
        rule = route["rule"]
        if dialect == "starlette":  # <int:id> -> {id:int}, <name> -> {name}
            rule = re.sub(r"<(?:(\w+):)?(\w+)>",
                          lambda m: "{" + m[2] + (":" + m[1] if m[1] else "") + "}", rule)
        else:  # Django: no leading slash, <name> is <str:name>
            rule = re.sub(r"<(\w+)>", r"<str:\1>", rule)[1:]
        route["rule"] = rule
    return {"settings": {"dialect": dialect}, **data}


def warm(table, dialect: str) -> None:
    """One request of each kind and one URL built: the caches a working table fills."""
    import random

    routes = rest_routes(len(table))
    rng = random.Random(3)
    static = next(rule for rule, _, _ in routes if "<" not in rule)
    dynamic = next(rule for rule, _, _ in routes if "<" in rule)
    for method, url in (("GET", static), ("GET", fill(dynamic, rng)), ("GET", "/nothing/here"),
                        ("PATCH", fill(dynamic, rng))):
        table.match(method, url)
    if dialect == "werkzeug":
        table.build(routes[0][2], {})


def rss_kb() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() // 1024


def measure(size: int, top: int, dialect: str = "werkzeug") -> dict:
    import os

    os.environ["ROUTECLI_NO_CACHE"] = "1"  # both loads parse the file
    import routecli

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "routes.json"
        path.write_text(json.dumps(route_file(size, dialect), indent=2))
        small = Path(tmp) / "small.json"
        small.write_text(json.dumps(route_file(50, dialect), indent=2))
        warm(routecli.load(str(small)), dialect)  # modules imported lazily: not the table's
        gc.collect()
        rss_before = rss_kb()
        started = time.perf_counter()
        table = routecli.load(str(path))
        loaded = time.perf_counter() - started
        gc.collect()
        rss_after = rss_kb()
        count = len(table)
        del table
        gc.collect()
        tracemalloc.start(1)
        before = tracemalloc.take_snapshot() if top else None
        table = routecli.load(str(path))  # kept alive while measured
        gc.collect()
        assert len(table) == count
        current, peak = tracemalloc.get_traced_memory()
        after = tracemalloc.take_snapshot() if top else None
        warm(table, dialect)
        gc.collect()
        warmed = tracemalloc.get_traced_memory()[0]
    out = {"routes": count, "dialect": dialect, "load_s": round(loaded, 3),
           "tracemalloc_bytes_per_route": round(current / count),
           "warmed_bytes_per_route": round(warmed / count),
           "tracemalloc_peak_mb": round(peak / 2**20, 1),
           "rss_delta_bytes_per_route": round((rss_after - rss_before) * 1024 / count)}
    if top:
        stats = after.compare_to(before, "lineno")[:top]
        out["top"] = [f"{stat.size_diff / count:7.0f} B/route  {stat.traceback[0]}"
                      for stat in stats]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--dialects", default="werkzeug",
                        help=f"comma-separated, of: {', '.join(DIALECTS)}")
    parser.add_argument("--top", type=int, default=0, help="list the N biggest allocation sites")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.top, args.dialects)))
        return
    for dialect, size in [(d, int(s)) for d in args.dialects.split(",") if d
                          for s in args.sizes.split(",") if s]:
        done = subprocess.run([sys.executable, __file__, "--one", str(size), "--top",
                               str(args.top), "--dialects", dialect],
                              capture_output=True, text=True, check=False)
        if done.returncode:
            print(f"{size}: failed\n{done.stderr}", file=sys.stderr)
            continue
        row = json.loads(done.stdout)
        print(f"{dialect:>9} {row['routes']:>7,} routes: "
              f"{row['tracemalloc_bytes_per_route']:,} B/route loaded, "
              f"{row['warmed_bytes_per_route']:,} warmed (tracemalloc), "
              f"{row['rss_delta_bytes_per_route']:,} B/route (RSS delta), "
              f"load {row['load_s']} s, tracemalloc peak {row['tracemalloc_peak_mb']} MB",
              flush=True)
        for line in row.get("top", []):
            print("   ", line)


if __name__ == "__main__":
    main()
