"""``table.match`` of two routecli trees and Falcon, in one process, in the same minutes.

    python bench/match_ab.py /tmp/base-tree . --sizes 100,1000,10000 --repeat 25

Each tree (a checkout: ``git worktree add /tmp/base-tree <commit>``) is imported under its
own set of ``routecli`` modules, its tables built and every request answered once (the
generated code made, lazy subtrees compiled) before timing. Then, per request kind (the
``bench_match.py`` tables and requests), the trees and Falcon's ``CompiledRouter`` run in
turn, ``--repeat`` times: CPU time of this thread (steadier than wall time on a loaded
machine), the best run per request. Printed: µs per request and Falcon ÷ routecli (above 1:
routecli is faster).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_match import falcon_router, falcon_runner  # noqa: E402
from tables import rest_routes, sample_requests  # noqa: E402


def _ours() -> dict:
    return {name: module for name, module in sys.modules.items()
            if name == "routecli" or name.startswith("routecli.")}


def _use(modules: dict) -> None:
    """Make ``modules`` the imported routecli (lazy imports find them)."""
    for name in _ours():
        del sys.modules[name]
    sys.modules.update(modules)


def load_tree(root: str) -> dict:
    _use({})
    sys.path.insert(0, root)
    try:
        import routecli.routing.model  # noqa: F401
        import routecli.routing.werkzeug.codegen  # noqa: F401
        import routecli.routing.werkzeug.match_function  # noqa: F401
        import routecli.routing.werkzeug.table  # noqa: F401
    finally:
        sys.path.remove(root)
    return _ours()


def build(modules: dict, routes, requests):
    _use(modules)
    model = modules["routecli.routing.model"]
    table = modules["routecli.routing.werkzeug.table"].RouteTable(model.RouteSet(
        [model.Route(rule, endpoint, methods) for rule, methods, endpoint in routes]))
    for _, method, path in requests:
        table.match(method, path)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("trees", nargs="+", help="routecli checkouts to compare")
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=25)
    args = parser.parse_args()
    trees = {root: load_tree(str(Path(root).resolve())) for root in args.trees}
    clock = time.thread_time
    for size in (int(size) for size in args.sizes.split(",")):
        routes = rest_routes(size)
        requests = sample_requests(routes, 500)
        tables = {root: build(modules, routes, requests) for root, modules in trees.items()}
        router = falcon_router(routes)
        for kind in ("static", "dynamic", "404", "405"):
            sub = [(method, path) for k, method, path in requests if k == kind]
            runs = {}
            for root, table in tables.items():
                def run(match=table.match, sub=sub):
                    for method, path in sub:
                        match(method, path)
                runs[root] = run
            if router is not None:
                runs["falcon"] = falcon_runner(router, sub)
            best = dict.fromkeys(runs, float("inf"))
            for _ in range(args.repeat):
                for name, run in runs.items():
                    start = clock()
                    run()
                    best[name] = min(best[name], clock() - start)
            falcon = best.pop("falcon", None)
            cells = [f"{name} {seconds / len(sub) * 1e6:.3f}"
                     + ("" if falcon is None else f" ({falcon / seconds:.2f})")
                     for name, seconds in best.items()]
            if falcon is not None:
                cells.append(f"falcon {falcon / len(sub) * 1e6:.3f}")
            print(f"{size:>6} {kind:>7}: " + "  ".join(cells), flush=True)


if __name__ == "__main__":
    main()
