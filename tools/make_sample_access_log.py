#!/usr/bin/env python3
"""Write sample_routes/access.log: the small combined-format log the coverage examples in
README.md and docs/coverage.md run on, against sample_routes/blog.yaml.

Deterministic (a fixed seed and fixed timestamps), so the documented output stays true;
tests/docs/test_docs_examples.py checks that the shipped file is what this script writes.
It hits most routes, leaves /about and DELETE /endpoint unused, sends some 404s (a
scanner, a shape of API URLs), some 405s and one TLS handshake (a malformed line).

    python tools/make_sample_access_log.py            # rewrites sample_routes/access.log
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "sample_routes" / "access.log"
START = datetime(2025, 3, 14, 9, 0, 0, tzinfo=UTC)

# (weight, method, path template, status); {n} is a post number, {u} a user number.
TRAFFIC = [
    (30, "GET", "/", 200),
    (60, "GET", "/blog/posts/{n}", 200),
    (12, "GET", "/blog/posts", 200),
    (25, "GET", "/blog/post/{n}", 200),
    (6, "GET", "/blog/post/{word}", 404),
    (8, "GET", "/blog/new", 200),
    (5, "POST", "/blog/new", 302),
    (20, "GET", "/login", 200),
    (10, "POST", "/login", 302),
    (3, "DELETE", "/login", 405),
    (2, "PATCH", "/blog/new", 405),
    (6, "GET", "/endpoint", 200),
    (4, "PUT", "/endpoint", 200),
    (4, "HEAD", "/", 200),
    (8, "GET", "/api/v1/users/{u}/avatar", 404),
    (5, "GET", "/wp-login.php", 404),
    (2, "GET", "/.env", 404),
]
WORDS = ["foo", "latest", "draft", "hello-world"]
AGENTS = ["Mozilla/5.0 (X11; Linux x86_64) Firefox/136.0", "curl/8.5.0",
          "Mozilla/5.0 (Macintosh) Safari/605.1.15"]
LINES = 300


def lines() -> list[str]:
    rng = random.Random(14)
    weights = [weight for weight, *_ in TRAFFIC]
    out = []
    for index in range(LINES):
        when = (START + timedelta(seconds=17 * index)).strftime("%d/%b/%Y:%H:%M:%S +0000")
        client = f"203.0.113.{rng.randrange(1, 60)}"
        if index == 137:  # a TLS handshake sent to the plain-HTTP port
            out.append(f'{client} - - [{when}] "\\x16\\x03\\x01\\x02\\x00" 400 0 "-" "-"')
            continue
        _, method, template, status = rng.choices(TRAFFIC, weights)[0]
        path = template.format(n=rng.randrange(1, 120), u=rng.randrange(1, 2000),
                               word=rng.choice(WORDS))
        size = 0 if method == "HEAD" or status >= 300 else rng.randrange(800, 12000)
        out.append(f'{client} - - [{when}] "{method} {path} HTTP/1.1" {status} {size} '
                   f'"-" "{rng.choice(AGENTS)}"')
    return out


def text() -> str:
    return "\n".join(lines()) + "\n"


if __name__ == "__main__":
    TARGET.write_text(text(), encoding="ascii")
    print(f"wrote {TARGET} ({LINES} lines)", file=sys.stderr)
