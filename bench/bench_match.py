"""Benchmark routecli's core against Werkzeug, in the same run (ratios, not absolute times).

    python bench/bench_match.py                 # everything, ~2-3 minutes
    python bench/bench_match.py --quick         # smaller sizes, fewer repeats
    python bench/bench_match.py --only match    # one section: match, load, startup, batch

Sections:
- match:   build time and per-request match time (static hit, dynamic hit, 404, 405) on
           generated REST-like tables of 100 / 1,000 / 10,000 / 100,000 routes and on the
           shared corpora, routecli vs ``werkzeug.routing.MapAdapter.match``;
- load:    loading + compiling a 10,000-route file (JSON, TOML, YAML; YAML again from the
           parsed-file cache);
- startup: ``routecli -r sample_routes/blog.yaml match GET /blog/posts/42`` (and the
           README's ``routecli match GET /blog/posts/42``, routes from pyproject.toml) vs
           ``python -c "import click, yaml"``, with byte-code caches and without them
           (a copy of the package with no ``__pycache__``, PYTHONDONTWRITEBYTECODE=1:
           routecli's own modules compiled from source on every run); wall time and CPU
           time (user + system, steadier on a loaded machine), both the best of the runs;
- batch:   ``routecli match --batch - --format jsonl`` on 100,000 and 1,000,000 lines:
           wall time and peak memory (flat memory = streaming).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from tables import as_data, corpus_routes, rest_routes, sample_requests  # noqa: E402

CORPORA = ROOT / "tests" / "data" / "corpora"  # the shared corpora, vendored


def best_per_call(func, calls: int, repeat: int) -> float:
    """Best-of-``repeat`` seconds per call of ``func`` (which performs ``calls`` calls)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times) / calls


def routecli_table(routes):
    from routecli.routing.model import Route, RouteSet
    from routecli.routing.werkzeug.table import RouteTable

    return RouteTable(RouteSet([Route(rule, endpoint, methods) for rule, methods, endpoint
                                in routes]))


def werkzeug_adapter(routes):
    from werkzeug.routing import Map, Rule

    url_map = Map()
    for rule, methods, endpoint in routes:
        # Flask adds OPTIONS to every rule; do the same so both tables are equal.
        url_map.add(Rule(rule, endpoint=endpoint, methods=list(methods) + ["OPTIONS"]))
    adapter = url_map.bind("localhost")
    try:
        adapter.match("/", "GET")  # Map.update() sorts on first use: keep it out of timing
    except Exception:  # noqa: BLE001
        pass
    return adapter


def falcon_runner(router, requests):
    """A loop asking Falcon each ``(method, path)``: ``find``, then the method map."""
    find = router.find

    def run():
        for method, path in requests:
            found = find(path)
            if found is not None:
                found[1].get(method)

    return run


def falcon_router(routes):
    """Falcon's CompiledRouter over the same table (``pip install -e '.[bench]'``), or None.

    Falcon refuses two field names at one level of a path, so fields are named by their
    position (``/users/{f2:int}``); the converters stay. 405 is Falcon's way: the path
    is found, then the method looked up in the resource's method map."""
    try:
        from falcon.routing import CompiledRouter
    except ImportError:
        return None
    router = CompiledRouter()

    def responder(req, resp, **params):  # never called: only the method map matters
        return None

    for rule, methods, _endpoint in routes:
        resource = type("Resource", (), {f"on_{m.lower()}": responder for m in methods})()
        segments = rule.split("/")
        for i, segment in enumerate(segments):
            if segment.startswith("<"):
                spec = segment[1:-1]
                converter = ":" + spec.split(":")[0] if ":" in spec else ""
                segments[i] = f"{{f{i}{converter}}}"
        router.add_route("/".join(segments), resource)
    router.find("/")  # Falcon compiles its router on first use: keep it out of timing
    return router


def bench_table(name, routes, repeat, with_werkzeug=True, with_falcon=False):
    start = time.perf_counter()
    table = routecli_table(routes)
    build_rc = time.perf_counter() - start
    build_wz = adapter = None
    if with_werkzeug:
        start = time.perf_counter()
        adapter = werkzeug_adapter(routes)
        build_wz = time.perf_counter() - start
    build_fa = router = None
    if with_falcon:
        start = time.perf_counter()
        router = falcon_router(routes)
        build_fa = time.perf_counter() - start if router is not None else None
    requests = sample_requests(routes, 500)
    row = {"table": name, "routes": len(routes), "build_routecli_s": build_rc,
           "build_werkzeug_s": build_wz, "build_falcon_s": build_fa}
    for kind in ("static", "dynamic", "404", "405"):
        sub = [(m, p) for k, m, p in requests if k == kind]
        if not sub:
            continue
        match = table.match

        def run_rc(sub=sub, match=match):
            for method, path in sub:
                match(method, path)

        runners = {"routecli": run_rc}
        if adapter is not None:
            wz_match = adapter.match

            def run_wz(sub=sub, wz_match=wz_match):
                for method, path in sub:
                    try:
                        wz_match(path, method)
                    except Exception:  # noqa: BLE001 - 404/405/redirects are exceptions here
                        pass

            runners["werkzeug"] = run_wz
        if router is not None:
            runners["falcon"] = falcon_runner(router, sub)
        # Interleaved repeats: a burst of load from other jobs hits every peer alike.
        best = dict.fromkeys(runners, float("inf"))
        for _ in range(repeat):
            for name, run in runners.items():
                best[name] = min(best[name], best_per_call(run, len(sub), 1))
        for name, seconds in best.items():
            row[f"{kind}_{name}_us"] = seconds * 1e6
    return row


def section_match(args):
    sizes = [100, 1000, 10000] if args.quick else [100, 1000, 10000, 100000]
    if args.sizes:
        sizes = [int(size) for size in args.sizes.split(",")]
    rows = []
    for size in sizes:
        with_wz = (size <= 10000 or args.werkzeug_100k) and not args.no_werkzeug
        rows.append(bench_table(f"rest-{size}", rest_routes(size), args.repeat, with_wz,
                                with_falcon=size <= 10000))
        print_row(rows[-1])
    for path in sorted(CORPORA.glob("*.routes")) if not args.sizes else ():
        rows.append(bench_table(path.stem, corpus_routes(str(path)), args.repeat))
        print_row(rows[-1])
    return rows


def print_row(row):
    def cell(kind):
        rc = row.get(f"{kind}_routecli_us")
        wz = row.get(f"{kind}_werkzeug_us")
        if rc is None:
            return "-"
        text = f"{rc:.2f}" if wz is None else f"{rc:.2f}/{wz:.2f} ({wz / rc:.1f}x)"
        fa = row.get(f"{kind}_falcon_us")
        if fa is not None:
            text += f" falcon {fa:.2f} ({fa / rc:.2f}x)"
        return text

    build = f"{row['build_routecli_s'] * 1e3:.0f} ms"
    if row["build_werkzeug_s"] is not None:
        build += f" vs {row['build_werkzeug_s'] * 1e3:.0f} ms"
    if row.get("build_falcon_s") is not None:
        build += f", falcon {row['build_falcon_s'] * 1e3:.0f} ms"
    print(f"{row['table']:>22} {row['routes']:>7}  build {build:>22}  "
          f"static {cell('static'):>20}  dynamic {cell('dynamic'):>20}  "
          f"404 {cell('404'):>20}  405 {cell('405'):>20}", flush=True)


def section_load(args):
    from routecli.routing.werkzeug.table import RouteTable
    from routecli.sources import cache
    from routecli.sources.discover import load_routeset

    data = as_data(rest_routes(10000))
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            "json": Path(tmp) / "routes.json",
            "toml": Path(tmp) / "routes.toml",
            "yaml": Path(tmp) / "routes.yaml",
        }
        files["json"].write_text(json.dumps(data, indent=1))
        with open(files["toml"], "w") as handle:
            for route in data["routes"]:
                handle.write(f'[[routes]]\nrule = "{route["rule"]}"\n'
                             f'endpoint = "{route["endpoint"]}"\n'
                             f"methods = {json.dumps(route['methods'])}\n\n")
        with open(files["yaml"], "w") as handle:
            handle.write("routes:\n")
            for route in data["routes"]:
                handle.write(f'  - rule: "{route["rule"]}"\n    endpoint: {route["endpoint"]}\n'
                             f"    methods: [{', '.join(route['methods'])}]\n")
        os.environ["ROUTECLI_CACHE_DIR"] = str(Path(tmp) / "cache")
        for fmt, path in files.items():
            cache.set_enabled(False)
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                RouteTable(load_routeset([str(path)]))
                times.append(time.perf_counter() - start)
            rows[fmt] = min(times)
            print(f"load+compile 10,000 routes from {fmt}: {rows[fmt] * 1e3:.0f} ms", flush=True)
        cache.set_enabled(True)
        RouteTable(load_routeset([str(files["yaml"])]))  # fill the cache
        start = time.perf_counter()
        RouteTable(load_routeset([str(files["yaml"])]))
        rows["yaml_cached"] = time.perf_counter() - start
        print(f"load+compile 10,000 routes from yaml, cached: {rows['yaml_cached'] * 1e3:.0f} ms")
    return rows


def run_once(command, env, cwd=ROOT):
    """(wall seconds, CPU seconds: user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, env=env, cwd=cwd)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def section_startup(args):
    import shutil

    python = sys.executable
    runs = 10 if args.quick else 25
    # With caches: as installed (click and yaml have theirs from pip), even where the
    # environment sets PYTHONDONTWRITEBYTECODE. Without: a copy of routecli with no
    # __pycache__ and writing forbidden, so its modules compile from source every run.
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    baseline = [python, "-c", "import click, yaml"]
    command = [python, "-m", "routecli", "-r", str(ROOT / "sample_routes" / "blog.yaml"),
               "match", "GET", "/blog/posts/42"]
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(ROOT / "routecli", Path(tmp) / "routecli",
                        ignore=shutil.ignore_patterns("__pycache__"))
        uncached = dict(cached, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=tmp)
        # The README's command finds its routes through pyproject.toml's [tool.routecli]
        # (kept in the parsed-file cache after the first run, sparing the tomllib import).
        readme_command = [python, "-m", "routecli", "match", "GET", "/blog/posts/42"]
        cases = {"with byte-code caches": (cached, ROOT, command),
                 "with byte-code caches, routes from pyproject.toml": (cached, ROOT,
                                                                      readme_command),
                 "without byte-code caches": (uncached, tmp, command)}
        for env, cwd, rc_command in cases.values():
            for cmd in (baseline, rc_command):  # warm-up (writes the caches where allowed)
                run_once(cmd, env, cwd)
        best = {(case, which): [9e9, 9e9] for case in cases for which in ("base", "rc")}
        for _ in range(runs):  # interleaved, so a burst of load hits all alike
            for case, (env, cwd, rc_command) in cases.items():
                for which, cmd in (("base", baseline), ("rc", rc_command)):
                    wall, cpu = run_once(cmd, env, cwd)
                    cell = best[case, which]
                    cell[0], cell[1] = min(cell[0], wall), min(cell[1], cpu)
    for case in cases:
        (base_wall, base_cpu), (rc_wall, rc_cpu) = best[case, "base"], best[case, "rc"]
        print(f"startup {case}: python -c 'import click, yaml' {base_wall * 1e3:.0f} ms "
              f"(CPU {base_cpu * 1e3:.0f} ms); routecli match on the blog sample "
              f"{rc_wall * 1e3:.0f} ms (CPU {rc_cpu * 1e3:.0f} ms): "
              f"+{(rc_wall - base_wall) * 1e3:.0f} ms wall, +{(rc_cpu - base_cpu) * 1e3:.0f} ms "
              f"CPU (budget +30 ms)", flush=True)
        rows[case] = {"baseline_s": base_wall, "routecli_match_s": rc_wall,
                      "baseline_cpu_s": base_cpu, "routecli_match_cpu_s": rc_cpu}
    return rows


def section_batch(args):
    sizes = [100_000] if args.quick else [100_000, 1_000_000]
    routes = ROOT / "sample_routes" / "github-api.yaml"
    requests = [f"{m} {p}" for _, m, p in sample_requests(corpus_routes(
        str(CORPORA / "github-api.routes")), 200)]
    rows = {}
    for size in sizes:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
            for i in range(size):
                handle.write(requests[i % len(requests)] + "\n")
            batch = handle.name
        command = [sys.executable, "-c",
                   "import resource, subprocess, sys\n"
                   "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
                   "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
                   sys.executable, "-m", "routecli", "-r", str(routes), "match", "--batch", batch,
                   "--format", "jsonl"]
        start = time.perf_counter()
        out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        elapsed = time.perf_counter() - start
        peak_mb = int(out.stdout.strip() or 0) / 1024
        os.unlink(batch)
        rows[size] = {"seconds": elapsed, "peak_mb": peak_mb}
        print(f"batch {size:>9,} lines: {elapsed:.1f} s ({size / elapsed:,.0f} lines/s), "
              f"peak RSS {peak_mb:.0f} MB", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=["match", "load", "startup", "batch"])
    parser.add_argument("--no-werkzeug", action="store_true",
                        help="match: routecli and Falcon only (Werkzeug's 10,000-route Map "
                        "takes long on a loaded machine)")
    parser.add_argument("--sizes", help="match: these REST-table sizes only (e.g. "
                        "100,1000,10000), no corpora")
    parser.add_argument("--werkzeug-100k", action="store_true",
                        help="also build the 100,000-route Werkzeug map (over a minute)")
    args = parser.parse_args()
    if args.quick:
        args.repeat = min(args.repeat, 3)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; "
          f"cells are routecli/werkzeug µs per request (speed-up), "
          f"then falcon µs (falcon/routecli: above 1 means routecli is faster)")
    results = {}
    sections = {"match": section_match, "load": section_load, "startup": section_startup,
                "batch": section_batch}
    for name, section in sections.items():
        if args.only in (None, name):
            results[name] = section(args)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    saved = out / "bench_match.json"
    # --only re-runs one section: keep the others' last results beside it.
    try:
        kept = json.loads(saved.read_text())
    except (OSError, ValueError):
        kept = {}
    if not isinstance(kept, dict):
        kept = {}
    kept.update(results)
    saved.write_text(json.dumps(kept, indent=2, default=str))
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {usage:.0f} MB; results in bench/results/bench_match.json")


if __name__ == "__main__":
    main()
