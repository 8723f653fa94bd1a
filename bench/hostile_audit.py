"""The full sweep of hostile inputs over every entry point (issue #13), run by hand:

    python bench/hostile_audit.py            # every case (~520), several minutes
    python bench/hostile_audit.py -k django  # the cases whose name holds "django"

The cases and checks live in tests/robustness/hostile_cases.py (the standing test runs a
sample of every category); this prints one row per case and an inventory per category.
Known limitations are listed as KNOWN with the reason, not counted as failures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "robustness"))

from hostile_cases import cases, run_case  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default="", help="only cases whose name contains this")
    parser.add_argument("--fails", action="store_true", help="print only failures")
    parser.add_argument("-j", type=int, default=2, help="cases run at once")
    options = parser.parse_args()
    selected = [case for case in cases() if options.k in case.name]
    base = Path(tempfile.mkdtemp(prefix="hostile-"))
    tally: dict[str, Counter] = defaultdict(Counter)
    try:
        with ThreadPoolExecutor(options.j) as pool:
            futures = [(case, pool.submit(run_case, case, base)) for case in selected]
            for case, future in futures:
                try:
                    verdict, detail, seconds = future.result()
                except Exception as error:  # noqa: BLE001 - a broken setup is a failed case
                    verdict, detail, seconds = "FAIL", f"setup: {error!r}", 0.0
                if verdict == "FAIL" and case.known:
                    verdict, detail = "KNOWN", f"{detail} ({case.known})"
                tally[case.category][verdict] += 1
                if verdict != "ok" or not options.fails:
                    print(f"{verdict:5} {seconds:6.1f}s {case.name:<45} {detail}", flush=True)
    finally:
        for path in base.rglob("*"):
            try:
                if not path.is_symlink():
                    os.chmod(path, 0o700 if path.is_dir() else 0o600)
            except OSError:
                pass
        shutil.rmtree(base, ignore_errors=True)
    print(f"\n{'category':<12} {'cases':>6} {'ok':>5} {'known':>6} {'fail':>5}")
    total: Counter = Counter()
    for category, counts in tally.items():
        total.update(counts)
        print(f"{category:<12} {sum(counts.values()):6} {counts['ok']:5} {counts['KNOWN']:6} "
              f"{counts['FAIL']:5}")
    print(f"{'total':<12} {sum(total.values()):6} {total['ok']:5} {total['KNOWN']:6} "
          f"{total['FAIL']:5}")


if __name__ == "__main__":
    main()
