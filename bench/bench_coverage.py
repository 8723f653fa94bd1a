"""Benchmark ``routecli coverage`` end to end on a generated access log, against Werkzeug.

    python bench/bench_coverage.py                     # 1,000,000 lines, 1,000 routes
    python bench/bench_coverage.py --lines 200000      # quicker
    python bench/bench_coverage.py --repeat 3          # best of 3 CLI runs

Steps (files go to --dir, reused while the line count and seed are the same):
1. ``bench/gen_access_log.py`` writes an N-line combined-format log from its synthetic
   1,000-route table (``--write-routes``), which is turned into a JSON route file (one route
   per ``METHOD RULE`` line, endpoint ``<method>_<n>``).
2. The whole CLI, ``routecli -r routes.json coverage access.log --format json``, runs as a
   subprocess: wall time, CPU time (user + system) and peak memory (``ru_maxrss`` of that
   child), best of --repeat runs. Wall time is what the user waits for; on this shared
   2-core machine CPU time is the steadier figure.
3. The library pass in this process: the log reader alone, then
   ``CoverageReport(table).read([log])`` (reading, counting and matching).
4. Werkzeug: ``MapAdapter.match`` over the first --werkzeug-sample requests of the same log
   (path split and unquoted beforehand, outside the timing), extrapolated per million lines,
   with a check that routecli's per-request answers agree on that sample.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def prepare(directory: Path, lines: int, seed: int, unique: float = 0.0
            ) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    log = directory / f"access-{lines}-{seed}{f'-u{unique:g}' if unique else ''}.log"
    route_list = directory / "routes.txt"
    route_file = directory / "routes.json"
    if not log.exists() or not route_list.exists():
        print(f"generating {lines:,} lines into {log} ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, str(HERE / "gen_access_log.py"), "-n", str(lines), "-o", str(log),
             "--seed", str(seed), "--write-routes", str(route_list),
             "--unique", str(unique)],
            check=True,
        )
    routes = []
    for number, line in enumerate(route_list.read_text().splitlines()):
        method, rule = line.split()
        routes.append({"rule": rule, "endpoint": f"{method.lower()}_{number}",
                       "methods": [method]})
    route_file.write_text(json.dumps({"routes": routes}, indent=1))
    return log, route_file


def run_cli(log: Path, route_file: Path, out: Path) -> dict:
    """One CLI run as a child process: wall, CPU, peak RSS (from wait4) and its JSON."""
    command = [sys.executable, "-m", "routecli", "-r", str(route_file), "coverage", str(log),
               "--format", "json", "--no-progress"]
    with open(out, "wb") as stdout:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"routecli coverage exited with {process.returncode}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        "data": json.loads(out.read_text()),
    }


def library_pass(log: Path, route_file: Path, repeat: int = 1) -> dict:
    import resource

    import routecli
    from routecli.coverage.logs import LogReader
    from routecli.coverage.report import CoverageReport

    reader = LogReader()
    started = time.process_time()
    deque(reader.read([str(log)]), maxlen=0)
    read_only = time.process_time() - started

    started = time.perf_counter()
    table = routecli.load(str(route_file))
    loaded = time.perf_counter() - started
    full = None
    for _ in range(repeat):  # CPU time: steadier than wall time on a shared machine
        report = CoverageReport(table)
        started = time.process_time()
        report.read([str(log)])
        spent = time.process_time() - started
        full = spent if full is None else min(full, spent)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    children_before = children.ru_utime + children.ru_stime
    started, cpu_started = time.perf_counter(), time.process_time()
    every_core = CoverageReport(table, jobs=0).read([str(log)])
    parallel = time.perf_counter() - started
    parent_cpu = time.process_time() - cpu_started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers_cpu = children.ru_utime + children.ru_stime - children_before
    assert every_core.to_dict() == report.to_dict(), "jobs=0 must give the one-core report"
    return {"read": read_only, "load": loaded, "report": full, "parallel": parallel,
            "parallel_parent_cpu": parent_cpu, "parallel_workers_cpu": workers_cpu,
            "lines": report.lines,
            "misses": report.cache_misses, "table": table, "report_obj": report}


def werkzeug_loop(log: Path, route_file: Path, sample: int) -> dict:
    """The plain loop a user would write: per line, a regex for the request, the path
    unquoted, ``Map.bind`` and ``match``, the endpoint counted. CPU time."""
    import re
    from collections import Counter
    from urllib.parse import unquote

    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import Map, RequestRedirect, Rule

    routes = json.loads(route_file.read_text())["routes"]
    url_map = Map([Rule(r["rule"], endpoint=r["endpoint"], methods=[*r["methods"], "OPTIONS"])
                   for r in routes])
    request_line = re.compile(r'[^"]*"(\S+) (\S+)[^"]*" (\d{3})')
    counts: Counter = Counter()
    lines = 0
    with open(log, encoding="latin-1") as file:
        started = time.process_time()
        for line in file:
            lines += 1
            if lines > sample:
                break
            m = request_line.match(line)
            if m is None:
                counts["malformed"] += 1
                continue
            method, target, _ = m.groups()
            adapter = url_map.bind("localhost")
            try:
                endpoint, _ = adapter.match(unquote(target.partition("?")[0]),
                                            method.upper())
                counts[endpoint] += 1
            except RequestRedirect:
                counts[308] += 1
            except HTTPException as error:
                counts[error.code] += 1
        elapsed = time.process_time() - started
    return {"sample": min(lines, sample), "time": elapsed}


def werkzeug_pass(log: Path, route_file: Path, table, sample: int) -> dict:
    from itertools import islice
    from urllib.parse import unquote

    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import Map, RequestRedirect, Rule

    from routecli.coverage.logs import LogReader

    routes = json.loads(route_file.read_text())["routes"]
    # Flask adds OPTIONS to every rule (HEAD follows GET in Werkzeug itself).
    url_map = Map([Rule(r["rule"], endpoint=r["endpoint"], methods=[*r["methods"], "OPTIONS"])
                   for r in routes])
    adapter = url_map.bind("localhost")
    requests = []
    for request in islice(LogReader().read([str(log)]), sample):
        path = request.target.partition("?")[0]
        requests.append((request.method.upper(), unquote(path, errors="replace"),
                         request.method, request.target))
    match = adapter.match
    statuses = []
    started = time.perf_counter()
    for method, path, _, _ in requests:
        try:
            match(path, method)
            statuses.append(200)
        except RequestRedirect:
            statuses.append(308)
        except HTTPException as error:
            statuses.append(error.code)
    elapsed = time.perf_counter() - started
    disagree = sum(
        1 for (_, _, method, target), status in zip(requests, statuses)
        if table.match(method, target).status != status
    )
    return {"sample": len(requests), "time": elapsed, "disagree": disagree}


def paired(log: Path, route_file: Path, lines: int, rounds: int) -> dict:
    """routecli's ``CoverageReport.read`` (one core) and the plain Werkzeug loop over the
    same first ``lines`` lines, timed in turns (CPU time), ``rounds`` times: on a loaded
    machine both see the same load. Best of each."""
    import routecli
    from routecli.coverage.report import CoverageReport

    head = log.with_name(f"{log.stem}-head{lines}.log")
    if not head.exists():
        with open(log, "rb") as source, open(head, "wb") as out:
            for _, line in zip(range(lines), source):
                out.write(line)
    table = routecli.load(str(route_file))
    ours = theirs = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        CoverageReport(table).read([str(head)])
        ours = min(ours, time.process_time() - started)
        theirs = min(theirs, werkzeug_loop(head, route_file, lines)["time"])
    return {"lines": lines, "routecli": ours, "werkzeug": theirs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unique", type=float, default=0.0,
                        help="share of requests with never-seen values (gen_access_log.py)")
    parser.add_argument("--dir", default="/tmp/routecli-bench-coverage")
    parser.add_argument("--repeat", type=int, default=1, help="CLI runs (best is shown)")
    parser.add_argument("--werkzeug-sample", type=int, default=200_000,
                        help="requests timed with MapAdapter.match (0: skip)")
    parser.add_argument("--paired", type=int, default=0, metavar="N",
                        help="only time routecli and the plain Werkzeug loop in turns over "
                             "the first N lines (--repeat rounds), and print the ratio")
    args = parser.parse_args(argv)

    log, route_file = prepare(Path(args.dir), args.lines, args.seed, args.unique)
    if args.paired:
        result = paired(log, route_file, args.paired, args.repeat)
        per_million = 1e6 / result["lines"]
        print(f"first {result['lines']:,} lines, best of {args.repeat} rounds in turns (CPU): "
              f"routecli {result['routecli'] * per_million:.2f} s/1M lines, plain Werkzeug "
              f"loop {result['werkzeug'] * per_million:.2f} s/1M lines: "
              f"{result['werkzeug'] / result['routecli']:.1f}x")
        return 0
    size_mb = log.stat().st_size / 1e6
    runs = [run_cli(log, route_file, Path(args.dir) / "coverage.json")
            for _ in range(args.repeat)]
    best = min(runs, key=lambda run: run["wall"])
    data = best["data"]
    lines = data["lines"]
    per_million = 1e6 / max(lines, 1)
    lib = library_pass(log, route_file, args.repeat)
    assert lib["lines"] == lines
    wz = loop = None
    if args.werkzeug_sample:
        wz = werkzeug_pass(log, route_file, lib["table"], args.werkzeug_sample)
        loop = werkzeug_loop(log, route_file, args.werkzeug_sample)

    print(f"\nroutecli coverage: {lines:,} lines ({size_mb:.0f} MB), {len(data['routes']):,} "
          f"routes; {data['requests']:,} requests, {data['malformed']:,} malformed; "
          f"status {data['status']}; {len(data['unused'])} unused routes; "
          f"{lib['misses']:,} distinct (method, path) answered")
    rows = [
        (f"CLI, whole run (wall, best of {args.repeat})", best["wall"]),
        ("CLI, CPU time (user + system)", best["cpu"]),
        ("library: log reader alone (CPU)", lib["read"]),
        ("library: load routes.json + compile", lib["load"]),
        (f"library: CoverageReport.read, one core (CPU, best of {args.repeat})",
         lib["report"]),
        ("library: the same, jobs=0 (every core), wall", lib["parallel"]),
        ("  its parent process (CPU)", lib["parallel_parent_cpu"]),
        ("  its workers (CPU)", lib["parallel_workers_cpu"]),
    ]
    if wz:
        rows.append((f"Werkzeug MapAdapter.match alone (from {wz['sample']:,} requests)",
                     wz["time"] / wz["sample"] * lines))
        rows.append((f"plain Werkzeug loop: parse, bind, match (CPU, {loop['sample']:,} lines)",
                     loop["time"] / loop["sample"] * lines))
    width = max(len(name) for name, _ in rows)
    print(f"\n{'':{width}}  {'seconds':>8}  {'s / 1M lines':>12}  {'lines/s':>11}  {'µs/line':>8}")
    for name, seconds in rows:
        print(f"{name:{width}}  {seconds:8.2f}  {seconds * per_million:12.2f}  "
              f"{lines / seconds:11,.0f}  {seconds / lines * 1e6:8.2f}")
    print(f"\npeak memory of the CLI run: {best['rss_mb']:.0f} MB")
    if wz:
        ratio = (wz["time"] / wz["sample"] * lines) / best["wall"]
        print(f"Werkzeug matching alone / whole routecli coverage run: {ratio:.1f}x")
        print(f"Werkzeug matching alone / library pass, one core: "
              f"{wz['time'] / wz['sample'] * lines / lib['report']:.1f}x, every core: "
              f"{wz['time'] / wz['sample'] * lines / lib['parallel']:.1f}x")
        plain = loop["time"] / loop["sample"] * lines
        print(f"plain Werkzeug loop / CoverageReport.read: one core (CPU) "
              f"{plain / lib['report']:.1f}x, every core (wall) {plain / lib['parallel']:.1f}x")
        print(f"routecli vs Werkzeug answers on the sample: {wz['disagree']} disagreements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
