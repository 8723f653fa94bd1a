#!/usr/bin/env python3
"""Generate a combined-format access log for benchmarking ``routecli coverage``.

Paths come from a route list (``METHOD PATH`` lines with ``<x>`` placeholders, e.g.
shared/corpora/github-api.routes) or from a synthetic table of ``--synth-routes`` routes.
Traffic is Zipf-like (a few routes and parameter values take most hits, as in real logs),
with ~5% junk 404 paths, some query strings, HEAD and POST requests, and a few malformed
lines of the kinds real servers write ("-" request lines, TLS handshakes, HTTP/2 prefaces,
CONNECT probes, cut-off lines). The expected counts are printed on standard error.

    python bench/gen_access_log.py -n 1000000 -o /tmp/access.log --bench
    python bench/gen_access_log.py --routes shared/corpora/github-api.routes -o - | head
"""

from __future__ import annotations

import argparse
import bisect
import gzip
import itertools
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
WORDS = words(
    "octocat torvalds alice bob carol dave erin frank grace heidi ivan judy mallory oscar "
    "peggy trent victor walter linux git flask werkzeug requests django rails react vue "
    "kubernetes docker nginx apache redis postgres sqlite hello-world dotfiles website "
    "blog api docs main develop release v1 v2 stable"
)
RESOURCES = words(
    "users orgs teams repos issues pulls comments commits branches tags releases projects "
    "columns cards milestones labels hooks keys gists notifications events invoices "
    "orders products carts payments customers accounts sessions tokens files folders "
    "reports metrics alerts dashboards jobs builds deployments artifacts logs"
)
SHAPES = (
    "/api/v1/{r}",
    "/api/v1/{r}/<int:id>",
    "/api/v1/{r}/<int:id>/{s}",
    "/api/v1/{r}/<int:id>/{s}/<int:sub_id>",
    "/api/v2/{r}",
    "/api/v2/{r}/<uuid:uid>",
    "/api/v2/{r}/<uuid:uid>/{s}",
    "/{r}",
    "/{r}/<slug>",
    "/{r}/<slug>/{s}",
    "/{r}/<int:id>/edit",
    "/admin/{r}",
    "/admin/{r}/<int:id>",
    "/static/{r}/<path:filename>",
    "/{r}/<owner>/<repo>/{s}",
    "/api/v1/{r}/search",
    "/api/v1/{r}/<int:id>/{s}/export",
    "/embed/{r}/<slug>",
    "/feeds/{r}.xml",
    "/api/internal/{r}/<int:id>/{s}/stats",
)
JUNK = (
    "/wp-login.php",
    "/.env",
    "/.git/config",
    "/phpmyadmin/index.php",
    "/xmlrpc.php",
    "/admin.php",
    "/cgi-bin/luci",
    "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
    "/favicon.ico",
    "/robots.txt",
    "/apple-touch-icon.png",
    "/api/v3/users",
    "/login.action",
)
AGENTS = (
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Safari/537.36"
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.2 Safari/605.1.15"
    ),
    "curl/8.5.0",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
)
# Malformed lines, by the reason routecli.coverage.logs gives for them.
TLS_HELLO = r"\x16\x03\x01\x02\x00\x01\x00\x01\xFC\x03\x03\xA7\x1B\x9E\x12\xE0"
MALFORMED_REQUESTS = {
    "no request line": ('"-"', 400),
    "not an HTTP request line": (f'"{TLS_HELLO}"', 400),
    "asterisk-form target": ('"PRI * HTTP/2.0"', 400),
    "authority-form target": ('"CONNECT example.com:443 HTTP/1.1"', 405),
}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def synth_routes(count: int) -> list[tuple[str, str]]:
    """``count`` distinct (method, rule) pairs of realistic shape, all shapes mixed."""
    per_shape = []
    for shape in SHAPES:
        rules = []
        for k, resource in enumerate(RESOURCES):
            subs = [RESOURCES[(k + step) % len(RESOURCES)] for step in (1, 5, 11, 17, 23)]
            for sub in subs if "{s}" in shape else subs[:1]:
                rules.append(shape.format(r=resource, s=sub))
        per_shape.append(rules)
    routes = []
    for rules in itertools.zip_longest(*per_shape):
        for rule in filter(None, rules):
            routes.append(("GET", rule))
            if "<" not in rule or rule.endswith("<int:id>"):
                routes.append(("POST" if "<" not in rule else "PUT", rule))
    return routes[:count]


def read_routes(path: str) -> list[tuple[str, str]]:
    routes = []
    for line in Path(path).read_text().splitlines():
        parts = line.split()
        if len(parts) == 2 and not line.startswith("#"):
            routes.append((parts[0].upper(), parts[1]))
    return routes


class Zipf:
    """Draws 0..n-1 with probability proportional to 1/(k+1)**s."""

    def __init__(self, n: int, s: float, rng: random.Random) -> None:
        self.cumulative = list(itertools.accumulate(1 / (k + 1) ** s for k in range(n)))
        self.rng = rng

    def __call__(self) -> int:
        total = self.cumulative[-1]
        return bisect.bisect(self.cumulative, self.rng.random() * total)


class Traffic:
    def __init__(self, routes: list[tuple[str, str]], rng: random.Random,
                 unique: float = 0.0) -> None:
        self.rng = rng
        # a share of the requests gets parameter values never drawn before (crawlers,
        # IDs in paths): each such request is distinct, the worst case for the caches
        self.unique = unique
        self.fresh = 0  # the next never-seen value
        self.dynamic = [route for route in routes if "<" in route[1]]
        shuffled = routes[:]
        rng.shuffle(shuffled)  # popularity unrelated to definition order
        self.routes = shuffled
        self.pick_route = Zipf(len(routes), 1.1, rng)
        self.pick_value = Zipf(5000, 1.2, rng)
        self.pick_word = Zipf(len(WORDS), 1.0, rng)

    def value(self, converter: str | None, name: str) -> str:
        rng = self.rng
        k = self.pick_value()
        if converter == "int" or name in ("id", "number") or name.endswith("_id"):
            return str(k + 1)
        if converter == "uuid":
            return f"{k:08x}-0000-4000-8000-{k * 7919:012x}"
        if converter == "path":
            extension = rng.choice(("js", "css", "png"))
            return f"{WORDS[self.pick_word()]}/{WORDS[k % len(WORDS)]}.{extension}"
        if name in ("sha", "ref", "commit_sha"):
            return "%040x" % (k * 2654435761)
        if converter == "float":
            return f"{k}.5"
        return WORDS[self.pick_word()] + ("" if k < 50 else str(k))

    def unique_value(self, converter: str | None, name: str) -> str:
        self.fresh += 1
        k = 10**7 + self.fresh
        if converter == "uuid":
            return f"{k:08x}-0000-4000-8000-{k * 7919 % 16**12:012x}"
        if converter == "path":
            return f"u{k}/{WORDS[k % len(WORDS)]}.js"
        if converter in ("float",):
            return f"{k}.5"
        if converter is None and not (name in ("id", "number") or name.endswith("_id")):
            return f"{WORDS[k % len(WORDS)]}{k}"
        return str(k)

    def request(self) -> tuple[str, str, int]:
        """(method, target, status) of one well-formed request."""
        rng = self.rng
        if self.unique and rng.random() < self.unique:
            method, rule = self.dynamic[rng.randrange(len(self.dynamic))]
            path = PLACEHOLDER.sub(lambda m: self.unique_value(m.group(1), m.group(2)), rule)
            return method, path, 201 if method == "POST" else 200
        roll = rng.random()
        if roll < 0.05:
            return "GET", rng.choice(JUNK) if roll < 0.03 else f"/x{rng.randrange(10**6)}", 404
        method, rule = self.routes[self.pick_route()]
        path = PLACEHOLDER.sub(lambda m: self.value(m.group(1), m.group(2)), rule)
        if method == "GET" and roll > 0.98:
            method = "HEAD"
        if method in ("GET", "HEAD") and rng.random() < 0.15:
            path += f"?page={rng.randrange(1, 20)}&per_page={rng.choice((20, 50, 100))}"
        if roll > 0.995:  # what nginx logs for a raw non-ASCII byte or a quote
            path += rng.choice((r"/caf\xC3\xA9", r"?q=\x22x\x22"))
        status = 201 if method == "POST" else 200
        return method, path, status


def generate(out, lines: int, routes, seed: int, malformed_rate: float,
             unique: float = 0.0) -> Counter:
    """Write ``lines`` log lines to ``out`` (text); returns expected counts by kind."""
    rng = random.Random(seed)
    traffic = Traffic(routes, rng, unique)
    counts: Counter = Counter()
    ips = [
        f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{k % 250 + 1}"
        for k in range(2000)
    ]
    pick_ip = Zipf(len(ips), 1.0, rng)
    reasons = list(MALFORMED_REQUESTS)
    second = 0
    write = out.write
    for _ in range(lines):
        second += rng.random() < 0.02
        day, month = 1 + second // 86400 % 28, MONTHS[second // (86400 * 28) % 12]
        hour, minute = second // 3600 % 24, second // 60 % 60
        date = f"{day:02d}/{month}/2024:{hour:02d}:{minute:02d}:{second % 60:02d} +0000"
        ip = ips[pick_ip()]
        roll = rng.random()
        if roll < malformed_rate:
            kind = rng.choice(reasons + ["not a common/combined log line"])
            if kind in MALFORMED_REQUESTS:
                request, status = MALFORMED_REQUESTS[kind]
                line = f'{ip} - - [{date}] {request} {status} 150 "-" "-"'
            else:  # a line cut off before its request ended, e.g. by a full disk
                method, target, status = traffic.request()
                whole = f'{ip} - - [{date}] "{method} {target} HTTP/1.1" {status} 0'
                line = whole[: rng.randrange(1, whole.rindex('"'))]
            counts["malformed"] += 1
            counts[kind] += 1
        else:
            method, target, status = traffic.request()
            size = 0 if method == "HEAD" else rng.randrange(200, 60000)
            referer = "-" if rng.random() < 0.7 else "https://example.com/"
            line = (
                f'{ip} - - [{date}] "{method} {target} HTTP/1.1" {status} {size} '
                f'"{referer}" "{AGENTS[rng.randrange(len(AGENTS))]}"'
            )
            counts["requests"] += 1
            counts[f"status {status}"] += 1
        write(line + "\n")
        counts["lines"] += 1
    return counts


def bench(path: str, repeat: int) -> None:
    """Time routecli's log reader over ``path`` and print lines per second."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from collections import deque

    from routecli.coverage.logs import LogReader

    best = None
    for _ in range(repeat):
        reader = LogReader()
        started = time.perf_counter()
        deque(reader.read([path]), maxlen=0)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    print(
        f"read_requests: {reader.lines:,} lines, {reader.requests:,} requests, "
        f"{reader.malformed:,} malformed in {best:.3f} s (best of {repeat}): "
        f"{reader.lines / best:,.0f} lines/s, {best / max(reader.lines, 1) * 1e6:.2f} µs/line",
        file=sys.stderr,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--lines", type=int, default=1_000_000)
    parser.add_argument("-o", "--output", default="-", help="file to write, - for stdout")
    parser.add_argument("--routes", action="append", help="METHOD PATH file (repeatable)")
    parser.add_argument(
        "--synth-routes",
        type=int,
        default=1000,
        help="size of the synthetic table used without --routes",
    )
    parser.add_argument("--write-routes", help="also write the route list used, as METHOD PATH")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--malformed-rate", type=float, default=0.002)
    parser.add_argument("--gzip", action="store_true", help="gzip the output")
    parser.add_argument("--unique", type=float, default=0.0,
                        help="share of requests (0-1) to dynamic routes with values never "
                             "seen before, each one distinct")
    parser.add_argument(
        "--bench", action="store_true", help="then time routecli's log reader over the output"
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    routes = []
    for path in args.routes or ():
        routes += read_routes(path)
    if not routes:
        routes = synth_routes(args.synth_routes)
    if args.write_routes:
        Path(args.write_routes).write_text("".join(f"{m} {p}\n" for m, p in routes))

    started = time.perf_counter()
    if args.output == "-":
        if args.gzip:
            with gzip.open(sys.stdout.buffer, "wt", encoding="utf-8") as out:
                counts = generate(out, args.lines, routes, args.seed, args.malformed_rate,
                                  args.unique)
        else:
            counts = generate(sys.stdout, args.lines, routes, args.seed, args.malformed_rate,
                                  args.unique)
    else:
        opener = gzip.open if args.gzip else open
        with opener(args.output, "wt", encoding="utf-8", newline="\n") as out:
            counts = generate(out, args.lines, routes, args.seed, args.malformed_rate,
                                  args.unique)
    elapsed = time.perf_counter() - started
    print(
        f"wrote {counts['lines']:,} lines ({len(routes)} routes) in {elapsed:.1f} s; "
        f"expected: {counts['requests']:,} requests, {counts['malformed']:,} malformed",
        file=sys.stderr,
    )
    for key, value in sorted(counts.items()):
        if key not in ("lines", "requests", "malformed"):
            print(f"  {key}: {value:,}", file=sys.stderr)
    if args.bench:
        if args.output == "-":
            parser.error("--bench needs -o FILE")
        bench(args.output, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
