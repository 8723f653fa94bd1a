"""routecli's Starlette dialect against Starlette's own router, in the same run.

A generated REST-like table of N routes (default 10,000: resources with list, item, int
item, sub-resource and POST routes, a few mounts) is compiled once by routecli and once by
Starlette; then the same requests (static hits, dynamic hits, 405s, 404s, hits deep in the
table) are answered by ``StarletteTable.match`` and by Starlette's dispatch loop itself
(``route.matches(scope)`` over ``router.routes``, what ``Router.app`` runs before calling an
endpoint). Prints per-request times and the ratio; also times lint on the table.

    python bench/bench_starlette.py             # 10,000 routes
    python bench/bench_starlette.py --routes 1000 --requests 2000
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from starlette.routing import Match, Mount, Route, Router  # noqa: E402

from routecli.routing.dialects import compile_table  # noqa: E402
from routecli.routing.model import Group, RouteSet  # noqa: E402
from routecli.routing.model import Route as RouteDef  # noqa: E402


def table_items(count: int) -> list[tuple]:
    """(kind, path, methods, endpoint) items in declaration order, nested for mounts."""
    items: list[tuple] = []
    resource = 0
    leaves = 0  # counted as they are added: recounting made 100,000 routes take a minute
    while leaves < count:
        name = f"res{resource}"
        if resource % 50 == 49:
            items.append(("mount", f"/m{resource}", [
                ("route", "/items", ["GET"], f"{name}_m_list"),
                ("route", "/items/{id:int}", ["GET"], f"{name}_m_item"),
            ]))
            leaves += 2
        else:
            items += [("route", f"/{name}", ["GET"], f"{name}_list"),
                      ("route", f"/{name}", ["POST"], f"{name}_create"),
                      ("route", f"/{name}/{{id:int}}", ["GET", "PUT"], f"{name}_item"),
                      ("route", f"/{name}/{{id:int}}/children/{{child}}", ["GET"],
                       f"{name}_child")]
            leaves += 4
        resource += 1
    return items


def _leaves(items):
    for item in items:
        if item[0] == "mount":
            yield from _leaves(item[2])
        else:
            yield item


async def _endpoint(request):  # never called: only matching is timed
    return None


def starlette_router(items) -> Router:
    def build(level):
        out = []
        for item in level:
            if item[0] == "mount":
                out.append(Mount(item[1], routes=build(item[2])))
            else:
                out.append(Route(item[1], _endpoint, methods=item[2], name=item[3]))
        return out
    return Router(build(items))


def routecli_table(items):
    def build(level):
        out = []
        for item in level:
            if item[0] == "mount":
                out.append(Group("mount", item[1], build(item[2])))
            else:
                out.append(RouteDef(item[1], item[3], tuple(item[2])))
        return out
    return compile_table(RouteSet(build(items), dialect="starlette",
                                  options={"redirect_slashes": True}))


def starlette_dispatch(router: Router, method: str, path: str):
    """Starlette's own scan (Router.app without calling the endpoint), Mounts followed."""
    scope = {"type": "http", "method": method, "path": path, "root_path": "",
             "headers": [], "query_string": b""}
    while True:
        partial = None
        for route in router.routes:
            match, child = route.matches(scope)
            if match is Match.FULL:
                if isinstance(route, Mount):
                    scope = {**scope, **child}
                    router = route.app
                    break
                return route
            if match is Match.PARTIAL and partial is None:
                partial = route
        else:
            return partial


def requests(items, count: int, rng: random.Random) -> list[tuple[str, str]]:
    leaves = list(_leaves(items))
    out = []
    for _ in range(count):
        kind = rng.random()
        _, path, methods, _ = rng.choice(leaves)
        url = path.replace("{id:int}", str(rng.randint(1, 999))).replace("{child}", "c")
        if kind < 0.6:
            out.append((methods[0], url))
        elif kind < 0.8:
            out.append(("DELETE", url))  # a 405
        else:
            out.append(("GET", url + "/nope/x"))  # a 404
    return out


def timed(function, reqs) -> float:
    start = time.perf_counter()
    for method, url in reqs:
        function(method, url)
    return (time.perf_counter() - start) / len(reqs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routes", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=3_000)
    parser.add_argument("--no-lint", action="store_true")
    args = parser.parse_args()
    rng = random.Random(7)
    items = table_items(args.routes)
    start = time.perf_counter()
    table = routecli_table(items)
    build_routecli = time.perf_counter() - start
    start = time.perf_counter()
    router = starlette_router(items)
    build_starlette = time.perf_counter() - start
    reqs = requests(items, args.requests, rng)
    # Same answers first (routes by name), then times.
    for method, url in reqs[:300]:
        ours = table.match(method, url)
        theirs = starlette_dispatch(router, method, url)
        assert (ours.endpoint if ours.status == 200 else None) == (
            theirs.name if theirs is not None and ours.status == 200 else None), (method, url)
    ours = timed(lambda m, u: table.match(m, u), reqs)
    theirs = timed(lambda m, u: starlette_dispatch(router, m, u), reqs)
    routes = len(list(_leaves(items)))
    print(f"{routes:,} routes: build routecli {build_routecli:.2f} s, Starlette "
          f"{build_starlette:.2f} s")
    print(f"match: routecli {ours * 1e6:,.1f} µs/request, Starlette's router "
          f"{theirs * 1e6:,.1f} µs/request, ratio {theirs / ours:,.1f}x faster")
    if not args.no_lint:
        from routecli.analysis.selection import apply

        start = time.perf_counter()
        result = apply(table.lint())  # the default rule set, as `routecli lint` reports
        print(f"lint: {time.perf_counter() - start:.2f} s, {len(result.findings)} findings "
              "(default rules)")


if __name__ == "__main__":
    main()
