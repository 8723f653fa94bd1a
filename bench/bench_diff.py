"""`routecli diff` at scale: two 10,000-route tables that differ in 50 routes.

Times the library diff (compiled tables in, report out; with and without the new-lint
pass) and the whole CLI on two JSON route files, and shows that the cost follows the
change: the same 50-route edit on 1,000 / 10,000 / 40,000 routes, and 5 / 50 / 500 edits
on 10,000 routes. Werkzeug is timed in the same run building a Map of the same routes,
as the yardstick this noisy machine needs (ratios, not absolute times, are comparable).

The same tables written for Starlette and Django (``{id:int}``, ``items/<int:id>``) are
diffed too: their answers come from a first-match matcher, which tries, in order, the
routes under the whole literal segments a request starts with (all of these are under
``/api``: a first-segment index would scan nearly all of them).

    python bench/bench_diff.py            # everything (a few minutes)
    python bench/bench_diff.py --quick    # 10,000 Werkzeug routes only
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tables import rest_routes  # noqa: E402


def edit(routes, changes: int, seed: int = 7):
    """``routes`` with ``changes`` edits: a fifth each removed, added, methods changed,
    converters changed and endpoints renamed."""
    rng = random.Random(seed)
    new = [dict(route) for route in routes]
    picks = rng.sample(range(len(new)), changes)
    for n, i in enumerate(picks):
        kind = n % 5
        route = new[i]
        if kind == 0:
            route["rule"] = route["rule"] + "/gone"  # a different route (the old one removed)
        elif kind == 1:
            new.append({"rule": f"/added/{n}/<int:id>", "endpoint": f"added{n}",
                        "methods": ["GET"]})
        elif kind == 2:
            route["methods"] = ["GET"] if route["methods"] != ["GET"] else ["GET", "POST"]
        elif kind == 3:
            route["rule"] = route["rule"].replace("<int:", "<int(max=100):", 1) \
                if "<int:" in route["rule"] else route["rule"].replace("<name>", "<int:name>")
        else:
            route["endpoint"] = route["endpoint"] + "_renamed"
    return new


def as_data(routes):
    return [{"rule": rule, "endpoint": endpoint, "methods": methods}
            for rule, methods, endpoint in routes]


def best(func, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def library(size: int, changes: int, lint: bool) -> tuple[float, float, int]:
    from werkzeug.routing import Map, Rule

    from routecli.diff import diff
    from routecli.routing.werkzeug.table import RouteTable

    old_data = as_data(rest_routes(size))
    new_data = edit(old_data, changes)
    old = RouteTable.from_data({"routes": old_data})
    new = RouteTable.from_data({"routes": new_data})
    report = diff(old, new, lint=lint)
    took = best(lambda: diff(old, new, lint=lint))
    werkzeug = best(lambda: Map([Rule(r["rule"], endpoint=r["endpoint"], methods=r["methods"])
                                 for r in old_data]))
    return took, werkzeug, len(report.changes)


def first_match(dialect: str, rule: str) -> str:
    """A Werkzeug rule of the generated tables in ``dialect``'s own syntax."""
    rule = re.sub(r"<int(?:\([^)]*\))?:(\w+)>", r"<int:\1>", rule)
    if dialect == "django":
        return rule.lstrip("/")
    def braces(match) -> str:
        kind, name = match.groups()
        return "{" + name + (f":{kind}" if kind else "") + "}"

    return re.sub(r"<(?:(\w+):)?(\w+)>", braces, rule)


def first_match_library(dialect: str, size: int, changes: int) -> tuple[float, float, int]:
    """(diff without lint, with lint, changes) for ``dialect`` tables of the same routes."""
    from routecli.diff import diff
    from routecli.routing.dialects import compile_table
    from routecli.sources.schema import routeset_from_data

    old_data = as_data(rest_routes(size))
    new_data = edit(old_data, changes)
    old, new = (compile_table(routeset_from_data(
        {"settings": {"dialect": dialect},
         "routes": [dict(r, rule=first_match(dialect, r["rule"])) for r in data]}, "<bench>"))
        for data in (old_data, new_data))
    report = diff(old, new, lint=False)
    took = best(lambda: diff(old, new, lint=False), repeat=1)
    with_lint = best(lambda: diff(old, new), repeat=1)
    return took, with_lint, len(report.changes)


def cli(size: int, changes: int, *extra: str) -> float:
    old_data = as_data(rest_routes(size))
    new_data = edit(old_data, changes)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, data in (("old.json", old_data), ("new.json", new_data)):
            path = os.path.join(tmp, name)
            with open(path, "w") as stream:
                json.dump({"routes": data}, stream)
            paths.append(path)
        command = [sys.executable, "-m", "routecli", "--no-cache", "diff", *paths,
                   "--format", "json", *extra]

        def run() -> None:
            subprocess.run(command, stdout=subprocess.DEVNULL, check=False)

        return best(run, repeat=5)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print("library diff (compiled tables in), best of 3:")
    print(f"{'routes':>8} {'edits':>6} {'diff':>9} {'diff+lint':>10} {'werkzeug Map()':>15}"
          f" {'changes':>8}")
    cases = [(10_000, 50)] if args.quick else [(1_000, 50), (10_000, 5), (10_000, 50),
                                                (10_000, 500), (40_000, 50)]
    for size, changes in cases:
        took, werkzeug, found = library(size, changes, lint=False)
        with_lint, _, _ = library(size, changes, lint=True)
        print(f"{size:>8,} {changes:>6} {took:>8.3f}s {with_lint:>9.3f}s {werkzeug:>14.3f}s"
              f" {found:>8}")
    took, quick = cli(10_000, 50), cli(10_000, 50, "--no-lint")
    print(f"whole CLI, two 10,000-route JSON files, 50 edits (start-up, load, compile, diff): "
          f"{took:.2f}s with the lint pass, {quick:.2f}s with --no-lint (best of 5)")
    if args.quick:
        return
    print("first-match dialects, library diff, 50 edits (one run each):")
    for dialect in ("starlette", "django"):
        for size in (1_000, 10_000):
            took, with_lint, found = first_match_library(dialect, size, 50)
            print(f"{dialect:>10} {size:>7,} routes: {took:.2f}s, {with_lint:.2f}s with the "
                  f"lint pass ({found} changes)")


if __name__ == "__main__":
    main()
