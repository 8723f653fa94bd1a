"""Memory of a loaded route table, per route: tracemalloc and RSS, in fresh subprocesses.

    python bench/bench_memory.py                    # 10,000 and 100,000 routes
    python bench/bench_memory.py --sizes 10000 --top 15

"Loaded" is what a process holding the table keeps: the routes as loaded from a JSON file
(the route model), the compiled rules and the matcher's trie, measured after the file's
text and parsed data are gone. tracemalloc counts Python's own allocations (the figure the
target is about); the RSS delta adds the allocator's overhead and fragmentation. ``--top``
lists the biggest allocation sites (by source line) to see where the bytes go.
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

from tables import as_data, rest_routes  # noqa: E402


def rss_kb() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() // 1024


def measure(size: int, top: int) -> dict:
    import os

    os.environ["ROUTECLI_NO_CACHE"] = "1"  # both loads parse the file
    import routecli

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "routes.json"
        path.write_text(json.dumps(as_data(rest_routes(size))))
        small = Path(tmp) / "small.json"
        small.write_text(json.dumps(as_data(rest_routes(50))))
        routecli.load(str(small)).match("GET", "/x")  # modules imported lazily: not the table's
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
    out = {"routes": count, "load_s": round(loaded, 3),
           "tracemalloc_bytes_per_route": round(current / count),
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
    parser.add_argument("--top", type=int, default=0, help="list the N biggest allocation sites")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.top)))
        return
    for size in [int(s) for s in args.sizes.split(",") if s]:
        done = subprocess.run([sys.executable, __file__, "--one", str(size), "--top",
                               str(args.top)], capture_output=True, text=True, check=False)
        if done.returncode:
            print(f"{size}: failed\n{done.stderr}", file=sys.stderr)
            continue
        row = json.loads(done.stdout)
        print(f"{row['routes']:>7,} routes: {row['tracemalloc_bytes_per_route']:,} B/route "
              f"(tracemalloc), {row['rss_delta_bytes_per_route']:,} B/route (RSS delta), "
              f"load {row['load_s']} s, tracemalloc peak {row['tracemalloc_peak_mb']} MB",
              flush=True)
        for line in row.get("top", []):
            print("   ", line)


if __name__ == "__main__":
    main()
