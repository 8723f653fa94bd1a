"""Hostile inputs at scale: repeated patterns for lint/conflicts, and ReDoS regexes for
match, with Werkzeug beside routecli where it finishes. Run by hand, never in the tests.

    python bench/bench_hostile.py                  # everything (a minute or two)
    python bench/bench_hostile.py --only repeats   # or: nested, adversarial, deep, redos
    python bench/bench_hostile.py --only adversarial --timeout 120 --tables cycles
    python bench/bench_hostile.py --only repeats --dialects first-match --sizes 100,250

Sections:
- repeats: ``routecli lint`` and ``conflicts`` (the whole CLI, a child process) on N copies
           of ``/same/<int:x>`` (N = 1,000 / 2,000 / 10,000), with N/3 per method, on
           N copies of two overlapping patterns, and on N routes differing only in a
           converter argument (``int(max=K)``, ``string(length=K)``), on N/2 such
           variants on one trie state against N/2 on another (``/a/<int(max=K)>`` and
           ``/<s>/<int(max=K)>``: N^2/4 pairs, one block in lint) and on three kinds of
           variants mixed on one state's edges: wall time and peak memory; the same
           copies for the first-match dialects, as Starlette and Django route files
           (``/same/{x:int}``, ``same/<int:x>/``: N copies, N/3 per method, N copies of
           two overlapping patterns) and, in Django, N copies under an include whose
           regex prefix makes their language approximate and N copies with a registered
           converter whose ``to_python`` may reject (a live URLconf module), and in
           Starlette N copies under a Mount whose ``{rest:path}`` prefix does the same;
- nested:  lint and conflicts on N routes of nested counted repetitions (converter
           regexes ``[0-9]{1,i}``, Starlette convertors, Django re_paths; N = 300 /
           1,000): the exact engine's work budget bounds them;
- adversarial: valid tables whose cost grows badly (issue #13), each at its own sizes, in
           every dialect that can spell it: N routes on one path with N distinct custom
           converters (pairwise disjoint languages; Starlette's RL214 makes N^2/2 findings),
           N routes ``(?:a{k})+`` (k = 2..N+1: periodic languages, subset constructions near
           the state budget), N routes of a repeated 20-word alternation, N Werkzeug host
           and subdomain patterns that pairwise overlap, an alternation of N words next to
           half of it, one route listing M methods (``match``: the route file's method list
           is deduplicated in quadratic time), ``match --batch`` of 10,000 requests on
           the alternation tables, and N routes ``/<x>/rI/<y>`` crossing N routes
           ``/rJ/<x>/<path:y>`` (N^2 pairs with no automaton: lint of both, diff from the
           first N to the second, in each dialect); N routes on one path with a method
           each, N routes of one endpoint (``lint --select ALL``: RL117), and N of one
           endpoint on one path (lint, and diff of an edit: every 7th removed, every
           11th endpoint renamed): wall time and peak memory (``--timeout`` stops a run);
- deep:    lint on two rules of 1,000 / 3,000 segments;
- redos:   ``(a+)+$`` and ``(a|aa)+b`` against growing runs of "a" that do not match:
           routecli's Part.match vs ``re`` as Werkzeug runs it (stopped at a time budget).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


TIMEOUT = 600.0  # a child running longer is stopped (--timeout); its exit shows -9
TABLES: list[str] = []  # --tables: run only the repeats tables whose label holds one


def chosen(label: str) -> bool:
    return not TABLES or any(part in label for part in TABLES)


def run_cli(args: list[str], path: str | None = None) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in MB, exit status) of ``python -m routecli ARGS``
    (``path``: a directory put first on PYTHONPATH, for a live URLconf module)."""
    env = None
    if path is not None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (path, os.environ.get("PYTHONPATH")) if p)}
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "routecli", *args], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    timer = threading.Timer(TIMEOUT, child.kill)
    timer.start()
    _, status, usage = os.wait4(child.pid, 0)
    timer.cancel()
    return time.perf_counter() - start, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status)


def write(directory: str, name: str, routes: list[dict], dialect: str | None = None,
          converters: dict | None = None) -> str:
    path = os.path.join(directory, name)
    document: dict = {"routes": routes}
    if dialect is not None:
        document["settings"] = {"dialect": dialect}
    if converters:
        document["converters"] = converters
    with open(path, "w", encoding="utf-8") as stream:
        json.dump(document, stream)
    return path


def repeats(directory: str, sizes: list[int]) -> None:
    print("## repeated patterns (whole CLI)")
    print(f"{'table':<34} {'command':<10} {'s':>7} {'MB':>6} {'exit':>5}")
    for count in sizes:
        tables = {
            f"{count:,} copies": [{"rule": "/same/<int:x>", "endpoint": f"e{i}"}
                                  for i in range(count)],
            f"{count:,} copies, 3 methods": [
                {"rule": "/same/<int:x>", "endpoint": f"e{i}",
                 "methods": [("GET", "POST", "PUT")[i % 3]]} for i in range(count)],
            f"{count:,} int(max=K) variants": [
                {"rule": f"/same/<int(max={i}):x>", "endpoint": f"e{i}"}
                for i in range(count)],
            f"{count:,} string(length=K) variants": [
                {"rule": f"/same/<string(length={i + 1}):x>", "endpoint": f"e{i}"}
                for i in range(count)],
            f"{count:,} variants on 2 states": [
                {"rule": f"/a/<int(max={i}):x>" if i % 2 else f"/<s>/<int(max={i}):x>",
                 "endpoint": f"e{i}"} for i in range(count)],
            f"{count:,} mixed variants": [
                {"rule": (f"/same/<int(max={i}):x>", f"/same/<string(maxlength={i % 50 + 1}):x>",
                          f"/same/<any(a{i % 7},b):x>")[i % 3], "endpoint": f"e{i}"}
                for i in range(count)],
            f"{count:,} copies of 2 patterns": [
                {"rule": "/same/<int:x>" if i % 2 else "/same/<x>", "endpoint": f"e{i}"}
                for i in range(count)],
        }
        for label, routes in tables.items():
            if not chosen(label):
                continue
            path = write(directory, "routes.json", routes)
            for command in ("lint", "conflicts"):
                seconds, peak, code = run_cli(["-r", path, command])
                print(f"{label:<34} {command:<10} {seconds:7.2f} {peak:6d} {code:5d}")


def nested(directory: str, sizes: list[int]) -> None:
    """N routes whose patterns all meet, each an automaton of up to N states (counted
    repetitions ``[0-9]{1,i}``): N^3 steps of the exact engine, stopped by the work
    budget (docs/lint.md, "The work budget")."""
    print("\n## nested counted repetitions (whole CLI; the work budget stops them)")
    print(f"{'table':<44} {'command':<10} {'s':>7} {'MB':>6} {'exit':>5}")
    for count in sizes:
        numbers = range(1, count + 1)
        converters = {f"c{i}": {"regex": f"[0-9]{{1,{i}}}"} for i in numbers}
        tables = {
            f"werkzeug {count:,} nested converters": (
                [{"rule": f"/same/<c{i}:x>", "endpoint": f"e{i}"} for i in numbers],
                None, converters),
            f"starlette {count:,} nested convertors": (
                [{"rule": f"/same/{{x:c{i}}}", "endpoint": f"e{i}"} for i in numbers],
                "starlette", converters),
            f"django {count:,} nested re_paths": (
                [{"regex": f"^same/(?P<x>[0-9]{{1,{i}}})/$", "endpoint": f"e{i}"}
                 for i in numbers], "django", None),
        }
        for label, (routes, dialect, defs) in tables.items():
            if not chosen(label):
                continue
            path = write(directory, "routes.json", routes, dialect, defs)
            for command in ("lint", "conflicts"):
                seconds, peak, code = run_cli(["-r", path, command])
                print(f"{label:<44} {command:<10} {seconds:7.2f} {peak:6d} {code:5d}")


def first_match_repeats(directory: str, sizes: list[int]) -> None:
    """Copies of one route in the first-match dialects (route files)."""
    print("\n## repeated patterns, first-match dialects (whole CLI)")
    print(f"{'table':<44} {'command':<10} {'s':>7} {'MB':>6} {'exit':>5}")
    methods = ("GET", "POST", "PUT")
    for count in sizes:
        for dialect, same, broad in (("starlette", "/same/{x:int}", "/same/{x}"),
                                     ("django", "same/<int:x>/", "same/<x>/")):
            tables = {
                f"{dialect} {count:,} copies": [{"rule": same, "endpoint": f"e{i}"}
                                                for i in range(count)],
                f"{dialect} {count:,} copies, 3 methods": [
                    {"rule": same, "endpoint": f"e{i}", "methods": [methods[i % 3]]}
                    for i in range(count)],
                f"{dialect} {count:,} copies of 2 patterns": [
                    {"rule": same if i % 2 else broad, "endpoint": f"e{i}"}
                    for i in range(count)],
            }
            if dialect == "starlette":
                # Copies that do not dominate: under a Mount whose prefix holds a path
                # convertor (it can split a path several ways: an approximate language).
                tables[f"starlette {count:,} copies under a path mount"] = [
                    {"mount": "/{rest:path}/v", "routes": [
                        {"rule": same, "endpoint": f"e{i}"} for i in range(count)]}]
            if dialect == "django":
                # Copies that do not dominate: under an include whose regex prefix can
                # split a path several ways (an approximate language).
                tables[f"django {count:,} copies under a regex include"] = [
                    {"include_regex": "^(?P<lang>[a-z]+)/", "routes": [
                        {"rule": same, "endpoint": f"e{i}"} for i in range(count)]}]
            for label, routes in tables.items():
                if not chosen(label):
                    continue
                path = write(directory, "routes.json", routes, dialect)
                for command in ("lint", "conflicts"):
                    seconds, peak, code = run_cli(["-r", path, command])
                    print(f"{label:<44} {command:<10} {seconds:7.2f} {peak:6d} {code:5d}")
        # A live URLconf: copies with a registered converter whose to_python may raise
        # ValueError (may_reject: such a pattern never dominates another).
        if not chosen(f"django {count:,} copies, declining converter"):
            continue
        module = f"declining_urls_{count}"
        with open(os.path.join(directory, f"{module}.py"), "w", encoding="utf-8") as stream:
            stream.write(DECLINING_URLCONF.format(count=count))
        for command in ("lint", "conflicts"):
            seconds, peak, code = run_cli(["-r", module, command], path=directory)
            label = f"django {count:,} copies, declining converter"
            print(f"{label:<44} {command:<10} {seconds:7.2f} {peak:6d} {code:5d}")


DECLINING_URLCONF = """\
from django.urls import path, register_converter


class Even:
    regex = "[0-9]+"

    def to_python(self, value):
        if len(value) > 9:  # refuses what an int column would not hold
            raise ValueError(value)
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(Even, "even")


def view(request, **kwargs):
    pass


urlpatterns = [path("same/<even:x>/", view, name=f"e{{i}}") for i in range({count})]
"""


def _regex_routes(dialect: str, regexes: list[str]) -> tuple[dict, list[dict]]:
    """One route per regex, all on one path: a custom converter each (Django: re_path)."""
    converters: dict = {}
    routes: list[dict] = []
    for i, regex in enumerate(regexes):
        if dialect == "django":
            routes.append({"regex": f"^x/(?P<v>{regex})/$", "endpoint": f"e{i}"})
            continue
        converters[f"c{i}"] = {"regex": regex}
        rule = f"/x/<c{i}:v>" if dialect == "werkzeug" else f"/x/{{v:c{i}}}"
        routes.append({"rule": rule, "endpoint": f"e{i}"})
    return converters, routes


def _words(first: int, count: int) -> str:
    return "|".join(f"w{j}" for j in range(first, first + count))


# label -> (sizes, dialects, regexes of size N); each table is lint on _regex_routes.
ADVERSARIAL_REGEXES = {
    "distinct converters on one path": (
        (300, 1_000, 2_000), ("werkzeug", "starlette", "django"),
        lambda n: [f"q{i}[a-z]+" for i in range(n)]),
    "periodic (?:a{k})+": (
        (10, 20, 50), ("werkzeug", "starlette", "django"),
        lambda n: [f"(?:a{{{k}}})+" for k in range(2, n + 2)]),
    "repeated 20-word alternations": (
        (5, 10, 20, 40), ("werkzeug", "starlette", "django"),
        lambda n: [f"(?:{_words(i, 20)}){{1,10}}" for i in range(n)]),
    "N-word alternation and its half": (
        (1_000, 3_000, 10_000), ("starlette", "django"),
        lambda n: [_words(0, n), "|".join(f"w{j}" for j in range(0, n, 2)), "[a-z0-9]+"]),
}


def _crossing(dialect: str, count: int) -> tuple[list[dict], list[dict]]:
    """N routes of a variable, a static and a variable segment, and N of a static, a
    variable and a catch-all: every route of one kind overlaps every one of the other."""
    spelled = {"werkzeug": ("/<x>/r{}/<y>", "/r{}/<x>/<path:y>"),
               "starlette": ("/{{x}}/r{}/{{y}}", "/r{}/{{x}}/{{y:path}}"),
               "django": ("<x>/r{}/<y>/", "r{}/<x>/<path:y>")}[dialect]
    return ([{"rule": spelled[0].format(i), "endpoint": f"a{i}"} for i in range(count)],
            [{"rule": spelled[1].format(count - i), "endpoint": f"b{i}"}
             for i in range(count)])


def adversarial(directory: str) -> None:
    print("\n## adversarial tables (whole CLI)")
    print(f"{'table':<44} {'command':<10} {'s':>7} {'MB':>6} {'exit':>5}")

    def run(label: str, document: dict, command: list[str]) -> None:
        path = os.path.join(directory, "adversarial.json")
        with open(path, "w", encoding="utf-8") as stream:
            json.dump(document, stream)
        seconds, peak, code = run_cli(["--no-cache", "-r", path, *command])
        print(f"{label:<44} {command[0]:<10} {seconds:7.2f} {peak:6d} {code:5d}")

    for name, (sizes, dialects, make) in ADVERSARIAL_REGEXES.items():
        for dialect in dialects:
            for count in sizes:
                label = f"{dialect} {count:,} {name}"
                if not chosen(label):
                    continue
                converters, routes = _regex_routes(dialect, make(count))
                document: dict = {"routes": routes, "converters": converters}
                if dialect != "werkzeug":
                    document["settings"] = {"dialect": dialect}
                run(label, document, ["lint"])
                if name == "repeated 20-word alternations":
                    requests = os.path.join(directory, "requests.txt")
                    with open(requests, "w", encoding="utf-8") as stream:
                        stream.writelines(
                            "GET /x/" + "".join(f"w{(i * 7 + j) % 30}" for j in range(i % 14 + 1))
                            + ("/\n" if dialect == "django" else "\n") for i in range(10_000))
                    run(label, document, ["match", "--batch", requests, "-q"])
    for count in (100, 300):
        label = f"werkzeug {count:,} overlapping host patterns"
        if chosen(label):
            run(label, {"settings": {"host_matching": True}, "routes": [
                {"rule": "/p/<v>", "endpoint": f"e{i}", "host": f"<a>.h{i}.<b>"}
                for i in range(count)]}, ["lint"])
        label = f"werkzeug {count:,} subdomain patterns"
        if chosen(label):
            run(label, {"settings": {"server_name": "example.com"}, "routes": [
                {"rule": f"/p{i % 10}/<v>", "endpoint": f"e{i}", "subdomain": f"<s>.t{i}"}
                for i in range(count)]}, ["lint"])
    for dialect in ("werkzeug", "starlette", "django"):
        for count in (300, 1_000, 3_000):
            label = f"{dialect} {count:,}+{count:,} crossing routes"
            if not chosen(label):
                continue
            firsts, seconds = _crossing(dialect, count)
            named = None if dialect == "werkzeug" else dialect
            settings = {"settings": {"dialect": named}} if named else {}
            run(label, {**settings, "routes": firsts + seconds}, ["lint"])
            old = write(directory, "crossing_old.json", firsts, named)
            new = write(directory, "crossing_new.json", seconds, named)
            seconds_taken, peak, code = run_cli(["--no-cache", "diff", old, new])
            print(f"{label:<44} {'diff':<10} {seconds_taken:7.2f} {peak:6d} {code:5d}")
    for dialect, count in itertools.product(("werkzeug", "starlette", "fastapi"), (3_000, 10_000)):
        variable = "<x>" if dialect == "werkzeug" else "{x}"
        named = None if dialect == "werkzeug" else dialect
        settings = {"settings": {"dialect": named}} if named else {}
        for label, routes, command in (
                (f"{dialect} {count:,} routes on one path, a method each",
                 [{"rule": "/x", "methods": [f"M{i}"], "endpoint": f"e{i}"}
                  for i in range(count)], ["lint"]),
                (f"{dialect} {count:,} routes of one endpoint",
                 [{"rule": f"/p{i}/{variable}", "endpoint": "e"} for i in range(count)],
                 ["lint", "--select", "ALL"]),
                (f"{dialect} {count:,} routes of one endpoint on one path",
                 [{"rule": f"/p/{variable}", "methods": [f"M{i}"], "endpoint": "e"}
                  for i in range(count)], ["lint", "--select", "ALL"])):
            if not chosen(label):
                continue
            run(label, {**settings, "routes": routes}, command)
            # diff: every 7th route removed, every 11th endpoint renamed
            edited = [dict(route, endpoint=route["endpoint"] + ("z" if i % 11 == 0 else ""))
                      for i, route in enumerate(routes) if i % 7]
            old = write(directory, "edit_old.json", routes, named)
            new = write(directory, "edit_new.json", edited, named)
            seconds_taken, peak, code = run_cli(["--no-cache", "diff", old, new])
            print(f"{label:<44} {'diff':<10} {seconds_taken:7.2f} {peak:6d} {code:5d}")
    for count in (10_000, 30_000, 100_000):
        label = f"werkzeug one route of {count:,} methods"
        if chosen(label):
            run(label, {"routes": [{"rule": "/m", "endpoint": "m",
                                    "methods": [f"M{i}" for i in range(count)]}]},
                ["match", "GET", "/m"])


def deep(directory: str) -> None:
    print("\n## rules of many segments (whole CLI, lint)")
    for count in (1_000, 3_000):
        variables = "/".join(f"<v{i}>" for i in range(count))
        uuids = "/".join(f"<uuid:u{i}>" for i in range(count))
        path = write(directory, "deep.json", [{"rule": f"/{variables}", "endpoint": "a"},
                                              {"rule": f"/{uuids}", "endpoint": "b"}])
        seconds, peak, code = run_cli(["-r", path, "lint"])
        print(f"{count:,} segments: {seconds:.2f} s, {peak} MB, exit {code}")


def redos(budget: float) -> None:
    from routecli.routing.model import ConverterDef, Route, RouteSet
    from routecli.routing.werkzeug.table import RouteTable

    print("\n## ReDoS: one non-matching segment (seconds)")
    print(f"{'regex':<12} {'length':>7} {'routecli':>10} {'re (Werkzeug)':>14}")
    for regex, make in (("(a+)+$", lambda n: "a" * n + "!"), ("(a|aa)+b", lambda n: "a" * n)):
        table = RouteTable(RouteSet([Route("/x/<c:v>", "x")],
                                    converters={"c": ConverterDef("c", regex=regex)}))
        part = table.rules[0].parts[-1]
        werkzeug = re.compile(f"(?P<v>{regex})\\Z")
        slow = False
        for length in (16, 20, 22, 24, 26, 28, 32, 40, 1_000, 5_000, 100_000):
            segment = make(length)
            start = time.perf_counter()
            assert part.match(segment) is None
            ours = time.perf_counter() - start
            theirs = "skipped"
            if not slow:
                start = time.perf_counter()
                werkzeug.match(segment)
                elapsed = time.perf_counter() - start
                theirs = f"{elapsed:.4f}"
                slow = elapsed > budget  # the next, longer one would take ages
            print(f"{regex:<12} {length:>7,} {ours:10.4f} {theirs:>14}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("repeats", "nested", "adversarial", "deep", "redos"))
    parser.add_argument("--nested-sizes", default="300,1000",
                        help="routes per nested table, comma-separated")
    parser.add_argument("--budget", type=float, default=2.0,
                        help="stop timing re once one segment takes this long (s)")
    parser.add_argument("--sizes", default="1000,2000,10000",
                        help="copies per repeats table, comma-separated")
    parser.add_argument("--dialects", default="werkzeug,first-match",
                        help="repeats tables to run: werkzeug, first-match or both")
    parser.add_argument("--timeout", type=float, default=TIMEOUT,
                        help="stop a CLI run after this many seconds (exit -9)")
    parser.add_argument("--tables", default="",
                        help="repeats tables to run: comma-separated parts of their labels "
                             "(e.g. 'variants on 2 states,declining')")
    args = parser.parse_args()
    globals()["TIMEOUT"] = args.timeout
    TABLES.extend(part for part in args.tables.split(",") if part)
    sizes = [int(size) for size in args.sizes.split(",")]
    resource.setrlimit(resource.RLIMIT_AS, (4 * 1024 ** 3, 4 * 1024 ** 3))
    with tempfile.TemporaryDirectory() as directory:
        if args.only in (None, "repeats"):
            if "werkzeug" in args.dialects:
                repeats(directory, sizes)
            if "first-match" in args.dialects:
                first_match_repeats(directory, sizes)
        if args.only in (None, "nested"):
            nested(directory, [int(size) for size in args.nested_sizes.split(",")])
        if args.only in (None, "adversarial"):
            adversarial(directory)
        if args.only in (None, "deep"):
            deep(directory)
    if args.only in (None, "redos"):
        redos(args.budget)


if __name__ == "__main__":
    main()
