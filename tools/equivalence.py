#!/usr/bin/env python3
"""Behaviour-equivalence harness: prove that two routecli source trees answer identically.

Runs a fixed, deterministic battery of ``python -m routecli ...`` invocations against one
source tree and records, per invocation, the argv, exit code, standard output, standard
error (and the content of any file the invocation writes, e.g. ``lint -o`` or
``--write-baseline``). Two such captures are then compared.

    git worktree add --detach /work/old-baseline d54e4ae      # the tree before the change
    python tools/equivalence.py capture --tree /work/old-baseline --out old.json.gz \
        --inputs-from /work/old-baseline
    python tools/equivalence.py capture --tree /work/main --out new.json.gz \
        --inputs-from /work/old-baseline
    python tools/equivalence.py compare old.json.gz new.json.gz      # exit 1 on any difference

Run it with an interpreter that has routecli's dependencies (click, rich, PyYAML; Flask for
the Python sources), e.g. the project's .venv/bin/python. Give both captures the same
``--inputs-from`` (a pinned checkout), so that they run on identical inputs even when the
change moves or edits the test fixtures; compare warns when the inputs' digests differ.

``--quick`` captures a small subset (only comparable with another ``--quick`` capture).
``--jobs N`` sets the parallelism (default: the number of CPUs).

How it works
------------
* The interpreter is the one running this script (``sys.executable``); the tree is put on
  ``PYTHONPATH`` and capture aborts unless ``routecli.__file__`` resolves inside it.
* Every invocation runs from one fixed working directory of inputs (default
  ``/tmp/routecli-equiv-inputs``), deleted and rebuilt identically before each capture, so
  the ``source`` paths in outputs (relative to it) are the same whichever tree runs. The
  inputs are copied from ``--inputs-from`` (default: the repository holding this script):
  ``sample_routes/`` (with ``flask_blog.py``, imported from the copy),
  ``tests/fixtures_apps/`` (as the package ``fixtures_apps``) and ``tests/data/corpora/``.
  Everything else (route tables, request batches, access logs, bad inputs) is generated
  here from seeded ``random.Random`` instances: this script imports nothing from routecli
  or its tests, which may move.
* The environment is built from scratch (not inherited): ``NO_COLOR=1``, ``COLUMNS=100``,
  ``ROUTECLI_NO_CACHE=1``, ``TERM=dumb``, ``TZ=UTC``, a UTF-8 locale, an empty ``HOME``
  inside the inputs directory, and ``PYTHONHASHSEED=0`` (any output that depended on
  string-hash order would otherwise change from run to run; ``--hashseed random`` lets you
  check for that). Every invocation passes ``-r`` (or route files as arguments), and
  capture aborts when a ``pyproject.toml`` mentioning routecli or a ``.git`` lies above
  the inputs directory (lint config discovery and SARIF's project root walk up from it).
* ``--debug`` is never used: tracebacks name source files and line numbers, which a
  restructuring changes by design.

The capture file is gzipped JSON: a header (tree, interpreter, version output, digests of
the battery and of the inputs, runtime) and one record per invocation, in battery order.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import fcntl
import gzip
import hashlib
import json
import os
import random
import re
import resource
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

CAPTURE_FORMAT = 1
DEFAULT_WORKDIR = "/tmp/routecli-equiv-inputs"
REPO_ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 300  # seconds per invocation; a timeout is recorded as exit "timeout"

# =========================================================================================
# Vocabulary for generated tables and requests: small on purpose, so rules collide.
# =========================================================================================

WORDS = ["a", "b", "api", "v1", "users", "posts", "new", "edit", "42", "x.json", "item-1",
         "page", "files", "admin", "me", "2.0"]
VAR_NAMES = ["a", "b", "c", "id", "name", "p", "slug", "page", "u", "f", "x", "y"]
ENDPOINTS = ["e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "api.users", "admin.index"]
ROUTE_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
REQUEST_METHODS = ["GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
                   "BREW", "get"]
PATH_SAFE = "/!$&'()*+,;=:@~"
# (converter text, draw weight)
CONVERTERS = [
    ("", 8), ("string", 1), ("default", 1), ("string(minlength=2)", 1), ("string(length=3)", 1),
    ("string(maxlength=2)", 1), ("string(2)", 1), ("int", 6), ("int(min=3)", 1),
    ("int(max=10)", 1), ("int(min=2,max=50)", 1), ("int(signed=True)", 1),
    ("int(fixed_digits=2)", 1), ("int(signed=True, fixed_digits=3)", 1), ("float", 2),
    ("float(signed=True)", 1), ("float(max=5.5)", 1), ("path", 3), ("any(a,b)", 2),
    ("any('x','new')", 1), ("any(edit, new)", 1), ("any('a.b','x+y')", 1), ("uuid", 2),
]
CUSTOM_CONVERTERS = {
    "slug": {"regex": "[a-z0-9-]+"},
    "upper": {"regex": "[A-Z]+", "weight": 50},
    "twoseg": {"regex": "[a-z]+/[a-z]+", "weight": 150},  # a "/" spans segments
    "lower": {"regex": "[a-z]+", "part_isolating": False},
    "hexid": {"regex": "[0-9a-f]{4,8}"},
}
VALUES = {
    "string": ["v", "ab", "abc", "new", "edit", "x.json", "a.b", "héllo", "a b", "42", "me"],
    "int": ["0", "5", "42", "007", "-3", "-07", "10", "99", "05", "٤٢", "1234567", "2024"],
    "float": ["1.5", "0.0", "-2.5", "10.25", "5.5", "1", "1.", ".5", "1e3"],
    "path": ["a", "a/b", "a/b/c", "x.json", "a//b", "a/", "new/edit", "a/b.json", "x/raw"],
    "uuid": ["2b5b0911-fdcf-4dd2-921b-28ace88db8a0", "2B5B0911-FDCF-4DD2-921B-28ACE88DB8A0",
             "2b5b0911fdcf4dd2921b28ace88db8a0"],
    "slug": ["ab-1", "x", "AB", "a_b", "hello-world"],
    "upper": ["AB", "Ab", "X"],
    "twoseg": ["ab/cd", "ab", "a/b/c", "ab/CD"],
    "lower": ["abc", "ABC", "a1"],
    "hexid": ["beef", "deadbeef", "xyz1", "12"],
}
GENERIC_VALUES = ["x", "new", "42", "-1", "1.5", "a.b", "é", "a b", "a/b", "", "٤٢", "a+b",
                  "?", "#", "%", "\n", "page"]
# Batch lines are split on blanks, so batch queries never hold a raw space.
QUERIES = ["", "", "", "", "", "", "?q=1", "?a=%20b&c=", "?", "#frag", "?q=1#frag", "?x=%2F",
           "?q=é"]
BAD_UTF8 = ["%E4", "%FF", "%C3", "%C3%28"]
MUTATIONS = ["none"] * 6 + ["toggle-slash", "toggle-slash", "double-slash", "swap-segment",
                            "drop-last", "extra-segment", "leading-double"]
MIXED_TEMPLATES = ["item-{}", "{}.json", "{}.{}", "{}{}", "v{}x", "{}-{}", "report-{}.{}"]
# defaults a rule variable may take, per converter
DEFAULT_FOR: dict[str, list[Any]] = {"": ["x", "new"], "string": ["x"], "default": ["ab"],
                                     "int": [1, 2, 0], "path": ["a/b", "x"]}
PLACEHOLDER = re.compile(
    r"<(?:(?P<conv>[A-Za-z_]\w*)(?P<args>\([^)]*\))?:)?(?P<name>[A-Za-z_]\w*)>")

SCENARIO_HOSTS = {
    "plain": ["example.com", "other.org:8080"],
    "loose": ["example.com"],
    "subdomain": ["example.com", "api.example.com", "bob.example.com", "www.example.com",
                  "a.b.example.com", "EXAMPLE.com", "example.com:8080", "other.org",
                  "7.example.com"],
    "host": ["example.com", "api.example.com", "bob.example.com", "example.com:8080",
             "Example.COM", "example.com:80", "other.org"],
    "trusted": ["example.com", "api.example.com", "evil.org", "localhost", "x.example.com:8443"],
}

# =========================================================================================
# Writing route files (YAML, TOML, JSON) with the standard library only
# =========================================================================================


def to_json(doc: dict, header: str) -> str:
    del header  # JSON has no comments
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def to_yaml(doc: dict, header: str) -> str:
    """Block YAML whose scalars and small collections are JSON (a subset of YAML), so one
    route key per line and line numbers that mean something."""
    def value(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False)

    out = [f"# {line}" for line in header.splitlines()] + [""]
    if doc.get("settings") == {}:
        out.append("settings: {}")
    elif "settings" in doc:
        out.append("settings:")
        out += [f"  {k}: {value(v)}" for k, v in doc["settings"].items()]
    if "converters" in doc:
        out.append("converters:")
        out += [f"  {k}: {value(v)}" for k, v in doc["converters"].items()]
    if not doc["routes"]:
        out.append("routes: []")
    else:
        out.append("routes:")
        for route in doc["routes"]:
            for i, (k, v) in enumerate(route.items()):
                out.append(("  - " if i == 0 else "    ") + f"{k}: {value(v)}")
    return "\n".join(out) + "\n"


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, str)):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(x)}" for k, x in v.items()) + "}"
    raise ValueError(f"no TOML for {v!r}")


def to_toml(doc: dict, header: str) -> str:
    out = [f"# {line}" for line in header.splitlines()]
    if not doc["routes"]:
        out.append("routes = []")  # before any table header
    if "settings" in doc:
        out += ["", "[settings]"] + [f"{k} = {_toml_value(v)}" for k, v in doc["settings"].items()]
    for name, spec in doc.get("converters", {}).items():
        out += ["", f"[converters.{name}]"] + [f"{k} = {_toml_value(v)}" for k, v in spec.items()]
    for route in doc["routes"]:
        out += ["", "[[routes]]"] + [f"{k} = {_toml_value(v)}" for k, v in route.items()]
    text = "\n".join(out) + "\n"
    if tomllib.loads(text) != doc:  # the writer is ours: prove it round-trips
        raise AssertionError(f"TOML writer does not round-trip: {doc!r}")
    return text


WRITERS = {"yaml": to_yaml, "toml": to_toml, "json": to_json}

# =========================================================================================
# Generated route tables
# =========================================================================================


class TableGen:
    """One random route table (a §2 mapping) for a scenario, from a seeded Random."""

    def __init__(self, seed: int, scenario: str, size: int, custom: bool) -> None:
        self.rng = random.Random(seed)
        self.scenario = scenario
        self.size = size
        self.custom = custom
        self.converters = [c for c, _ in CONVERTERS]
        self.weights = [w for _, w in CONVERTERS]
        if custom:
            self.converters += list(CUSTOM_CONVERTERS)
            self.weights += [1] * len(CUSTOM_CONVERTERS)

    def conv(self) -> str:
        return self.rng.choices(self.converters, self.weights)[0]

    def var(self, names: list[str]) -> str:
        conv, name = self.conv(), names.pop()
        return f"<{conv}:{name}>" if conv else f"<{name}>"

    def segment(self, names: list[str]) -> str:
        rng = self.rng
        kind = rng.choices(["static", "var", "mixed", "empty"], [10, 8, 2, 0.4])[0]
        if kind == "static" or not names:
            return rng.choice(WORDS)
        if kind == "empty":
            return ""
        if kind == "var":
            return self.var(names)
        template = rng.choice(MIXED_TEMPLATES)
        if template.count("{}") > len(names):
            return self.var(names)
        return template.format(*(self.var(names) for _ in range(template.count("{}"))))

    def rule(self) -> str:
        names = VAR_NAMES[:]
        self.rng.shuffle(names)
        count = self.rng.choices([0, 1, 2, 3, 4], [1, 5, 8, 6, 2])[0]
        segs = [self.segment(names) for _ in range(count)]
        if not segs:
            return "/"
        return "/" + "/".join(segs) + ("/" if self.rng.random() < 0.3 else "")

    def methods(self) -> Any:
        rng = self.rng
        roll = rng.random()
        if roll < 0.45:
            return None
        if roll < 0.9:
            return rng.sample(ROUTE_METHODS, rng.randint(1, 3))
        if roll < 0.95:
            return "*"
        if roll < 0.98:
            return ["GET", "BREW"]
        return []

    def route(self, rule: str | None = None) -> dict:
        rng = self.rng
        rule = rule or self.rule()
        route: dict[str, Any] = {"rule": rule, "endpoint": rng.choice(ENDPOINTS)}
        methods = self.methods()
        if methods is not None:
            route["methods"] = methods
        convs = {m.group("name"): m.group("conv") or "" for m in PLACEHOLDER.finditer(rule)}
        names = list(convs)
        defaults: dict[str, Any] = {}
        if rng.random() < 0.1:
            # a rule variable's default must suit its converter (else the table is refused)
            usable = [n for n in names if convs[n] in DEFAULT_FOR]
            usable += [n for n in ("page", "lang") if n not in convs]
            keys = rng.sample(usable, min(len(usable), rng.randint(1, 2)))
            defaults = {k: rng.choice(DEFAULT_FOR[convs[k]] if k in convs
                                      else [1, 2, "1", "x", "new", 0, True]) for k in keys}
            route["defaults"] = defaults
        for option, chance in (("strict_slashes", 0.12), ("merge_slashes", 0.06)):
            if rng.random() < chance:
                route[option] = rng.random() < 0.5
        if rng.random() < 0.06:
            route["alias"] = True
        if rng.random() < 0.03:
            route["build_only"] = True
        if rng.random() < 0.07:
            usable = [n for n in names if n not in defaults]
            placeholder = f"<{rng.choice(usable)}>" if usable and rng.random() < 0.6 else ""
            base = rng.choice(["/moved/", "moved/", "http://elsewhere.org/", "/", "/users/",
                               "/nowhere/"])
            route["redirect_to"] = base + placeholder
        if rng.random() < 0.05:
            route["provide_automatic_options"] = rng.random() < 0.5
        if rng.random() < 0.05:
            route["noqa"] = rng.choice([["RL105"], ["all"], ["RL102", "RL106"], ["RL101"]])
        if rng.random() < 0.02:
            route["websocket"] = True  # websocket rules take only GET, HEAD and OPTIONS
            if isinstance(methods, list) or methods == "*":
                route["methods"] = ["GET"]
        if rng.random() < 0.04:
            route["view"] = f"app.views.{route['endpoint'].replace('.', '_')}"
        if self.scenario == "subdomain" and rng.random() < 0.6:
            route["subdomain"] = rng.choice(["", "api", "<user>", "<int:n>", "www"])
        elif self.scenario == "host":
            if rng.random() < 0.93:
                route["host"] = rng.choice(["example.com", "example.com", "api.example.com",
                                            "<sub>.example.com", "example.com:8080"])
        return route

    def pitfalls(self) -> list[dict]:
        """Rules that make the rarer lint codes fire, each with some chance."""
        rng = self.rng
        host = {"host": "example.com"} if self.scenario == "host" else {}
        options = [
            [{"rule": "/pit/<any(1,2):n>", "endpoint": "any_numbers"}],  # RL112
            [{"rule": "/pit/<path(maxlength=20):p>", "endpoint": "ignored_args"},  # RL114
             {"rule": "/pit/<string(length=2, minlength=5):s>/x", "endpoint": "ignored_args2"}],
            [{"rule": "/pit/" + "-".join(f"<int:v{i}>" for i in range(11)),
              "endpoint": "many_converters"}],  # RL113
            [{"rule": "/pit/<path:a>/x/<path:b>", "endpoint": "two_paths"}],  # RL111
            [{"rule": "/pit/<int(min=5, max=2):n>/never", "endpoint": "empty_range"}],  # RL118
            [{"rule": "/api/2.0/mlflow/runs", "endpoint": "runs"},  # RL119
             {"rule": "/api/2.0mlflow/runs/list", "endpoint": "runs_list"}],
            [{"rule": "/old/<x>", "endpoint": "old", "redirect_to": "/nowhere/<x>"}],  # RL116
            [{"rule": "/brew", "endpoint": "coffee", "methods": ["BREW", "GET"]}],  # RL115
            [{"rule": "/ep/<int:a>", "endpoint": "shared"},  # RL117
             {"rule": "/ep/<a>/<b>", "endpoint": "shared"}],
            [{"rule": "/n/<int(max=10):a>", "endpoint": "small"},  # RL110
             {"rule": "/n/<s>", "endpoint": "name"}],
            [{"rule": "/twin", "endpoint": "twin"}, {"rule": "/twin/", "endpoint": "twin_slash"}],
            [{"rule": "/dead", "endpoint": "dead", "methods": [],
              "provide_automatic_options": False}],
            [{"rule": "/p/", "endpoint": "paged", "defaults": {"page": 1}},
             {"rule": "/p/page/<int:page>", "endpoint": "paged"}],
            [{"rule": "/sub-only", "endpoint": "sub_only", "subdomain": "api"}],
        ]
        chosen = [r for group in options if rng.random() < 0.25 for r in group]
        return [dict(r, **host) if "host" not in r else r for r in chosen]

    def settings(self) -> dict:
        rng = self.rng
        out: dict[str, Any] = {}
        for name in ("strict_slashes", "merge_slashes", "redirect_defaults", "automatic_options"):
            if rng.random() < 0.25:
                out[name] = rng.random() < 0.6
        if self.scenario == "loose":
            out["strict_slashes"] = False
            if rng.random() < 0.5:
                out["merge_slashes"] = False
        elif self.scenario == "subdomain":
            out["server_name"] = "example.com"
            if rng.random() < 0.4:
                out["default_subdomain"] = "www"
            if rng.random() < 0.25:
                out["subdomain_matching"] = False
        elif self.scenario == "host":
            out["host_matching"] = True
        elif self.scenario == "trusted":
            out["server_name"] = "example.com"
            out["trusted_hosts"] = [".example.com", "localhost"]
        return out

    def table(self) -> dict:
        rng = self.rng
        routes: list[dict] = []
        for _ in range(self.size):
            if routes and rng.random() < 0.12:  # a duplicate or near-duplicate of an earlier rule
                routes.append(self.route(rng.choice(routes)["rule"]))
            else:
                routes.append(self.route())
        for extra in self.pitfalls():
            routes.insert(rng.randint(0, len(routes)), extra)
        doc: dict[str, Any] = {}
        settings = self.settings()
        if settings or rng.random() < 0.3:
            doc["settings"] = settings
        if self.custom:
            doc["converters"] = CUSTOM_CONVERTERS
        doc["routes"] = routes
        return doc


# (scenario, size, custom converters) for each generated table; formats rotate yaml/toml/json.
TABLE_PLAN = (
    [("plain", 12, False), ("plain", 25, True), ("loose", 20, True), ("subdomain", 18, True),
     ("host", 18, True), ("trusted", 15, False), ("plain", 40, True), ("loose", 30, False)] * 4
    + [("plain", 60, True), ("plain", 8, False), ("subdomain", 35, True), ("host", 35, False),
       ("loose", 50, True), ("plain", 5, True), ("plain", 200, True), ("plain", 120, False)]
)
QUICK_PLAN = TABLE_PLAN[:6] + [("plain", 120, True)]

# =========================================================================================
# Requests
# =========================================================================================


def _any_items(args: str | None) -> list[str]:
    if not args:
        return []
    return [item.strip().strip("'\"") for item in args.strip("()").split(",")]


def _values_for(conv: str | None, args: str | None, custom_names: set[str]) -> list[str]:
    conv = conv or "string"
    if conv in ("string", "default"):
        return VALUES["string"]
    if conv == "any":
        return _any_items(args) + ["c", "x"]
    if conv in VALUES:
        return VALUES[conv]
    if conv in custom_names:
        return VALUES.get(conv, GENERIC_VALUES)
    return GENERIC_VALUES


def _encode(rng: random.Random, value: str) -> str:
    style = rng.choices(["plain", "strict", "every", "bad-utf8"], [7, 1, 1, 1])[0]
    if style == "plain":
        return quote(value, safe=PATH_SAFE)
    if style == "strict":
        return quote(value, safe="")
    if style == "every":
        return "".join(f"%{b:02X}" for b in value.encode("utf-8"))
    return quote(value, safe=PATH_SAFE) + rng.choice(BAD_UTF8)


def request_path(rng: random.Random, rule: str, custom_names: set[str]) -> str:
    """A raw URL path made from a rule: its variables filled, then maybe mutated."""
    out, last = [], 0
    for m in PLACEHOLDER.finditer(rule):
        out.append(quote(rule[last:m.start()], safe=PATH_SAFE))
        values = _values_for(m.group("conv"), m.group("args"), custom_names)
        value = rng.choice(values if rng.random() < 0.8 else GENERIC_VALUES)
        out.append(_encode(rng, value))
        last = m.end()
    out.append(quote(rule[last:], safe=PATH_SAFE))
    path = "".join(out)
    mutation = rng.choice(MUTATIONS)
    segs = path.split("/")
    if mutation == "toggle-slash":
        path = path[:-1] if path.endswith("/") and len(path) > 1 else path + "/"
    elif mutation == "double-slash":
        at = rng.choice([i for i, c in enumerate(path) if c == "/"])
        path = path[:at] + "/" + path[at:]
    elif mutation == "swap-segment" and len(segs) > 1:
        segs[rng.randint(1, len(segs) - 1)] = rng.choice(WORDS)
        path = "/".join(segs)
    elif mutation == "drop-last" and len(segs) > 2:
        path = "/".join(segs[:-1])
    elif mutation == "extra-segment":
        path = path.rstrip("/") + "/" + rng.choice(WORDS)
    elif mutation == "leading-double":
        path = "/" + path
    return path


def _route_host(route: dict, scenario: str, rng: random.Random) -> str | None:
    pattern = route.get("host")
    if pattern is None and route.get("subdomain") is not None:
        sub = route["subdomain"].replace("<user>", "bob").replace("<int:n>", "7")
        return f"{sub}.example.com" if sub else "example.com"
    if pattern is None:
        return None
    return pattern.replace("<sub>", rng.choice(["bob", "api"]))


def make_requests(seed: int, routes: list[dict], count: int, scenario: str = "plain",
                  custom_names: set[str] | None = None) -> list[tuple[str, str]]:
    """``count`` (METHOD, URL) pairs aimed at the routes; a URL with a host is absolute."""
    rng = random.Random(seed)
    custom_names = custom_names or set()
    hosts = SCENARIO_HOSTS.get(scenario, SCENARIO_HOSTS["plain"])
    out: list[tuple[str, str]] = []
    for _ in range(count):
        route = rng.choice(routes) if routes else {"rule": "/"}
        if rng.random() < 0.1:
            path = "/" + "/".join(rng.choice(WORDS) for _ in range(rng.randint(0, 3)))
        else:
            path = request_path(rng, route["rule"], custom_names)
        url = path + rng.choice(QUERIES)
        own = route.get("methods")
        method = rng.choice(REQUEST_METHODS + (own if isinstance(own, list) else []))
        host = None
        if scenario in ("subdomain", "host", "trusted"):
            own_host = _route_host(route, scenario, rng)
            host = own_host if own_host and rng.random() < 0.7 else rng.choice(hosts + [None])
        elif rng.random() < 0.08:
            host = rng.choice(hosts)
        if host is not None:
            scheme = rng.choice(["http", "http", "https"])
            url = f"{scheme}://{host}{url[1:] if url.startswith('//') else url}"
        out.append((method, url))
    return out


def batch_text(requests: list[tuple[str, str]]) -> str:
    lines = ["# generated by tools/equivalence.py", ""]
    for i, (method, url) in enumerate(requests):
        # every 7th request without its method (a bare URL means GET)
        lines.append(url if i % 7 == 3 and method == "GET" else f"{method} {url}")
    return "\n".join(lines) + "\n"


# =========================================================================================
# Access logs for `coverage`
# =========================================================================================


def _split(url: str) -> tuple[str | None, str]:
    if url.startswith("/"):
        return None, url
    parts = urlsplit(url)
    target = url[len(f"{parts.scheme}://{parts.netloc}"):] or "/"
    return parts.netloc, target


def combined_log(requests: list[tuple[str, str]], seed: int) -> str:
    rng = random.Random(seed)
    lines = []
    for i, (method, url) in enumerate(requests):
        _, target = _split(url)
        status = rng.choice([200, 200, 200, 301, 404, 405, 500])
        stamp = f"[10/Oct/2023:13:{i // 60 % 60:02d}:{i % 60:02d} +0000]"
        ip = f"198.51.100.{i % 250 + 1}"
        if i % 5 == 4:  # common format, no referer/agent
            lines.append(f'{ip} - - {stamp} "{method.upper()} {target} HTTP/1.1" {status} {i}')
        else:
            lines.append(f'{ip} - - {stamp} "{method.upper()} {target} HTTP/1.1" {status} '
                         f'{100 + i} "-" "equiv/1.0"')
        if i % 37 == 5:
            lines.append(f'{ip} - - {stamp} "\\x16\\x03\\x01" 400 0 "-" "-"')
        if i % 53 == 7:
            lines.append("this is not a log line")
    return "\n".join(lines) + "\n"


def json_log(requests: list[tuple[str, str]], seed: int, nested: bool = False) -> str:
    rng = random.Random(seed)
    lines = []
    for i, (method, url) in enumerate(requests):
        host, target = _split(url)
        status = rng.choice([200, 200, 404, 405, 308])
        if nested:
            record: dict[str, Any] = {"request": {"verb": method.upper(), "uri": target},
                                      "status": status}
        else:
            record = {"time": f"2023-10-10T13:{i // 60 % 60:02d}:{i % 60:02d}Z",
                      "method": method.upper(), "url": target, "status": status}
            if host:
                record["host"] = host
        lines.append(json.dumps(record, ensure_ascii=False))
        if i % 41 == 3:
            lines.append("{not json")
    return "\n".join(lines) + "\n"


# =========================================================================================
# Bad inputs: (file name, content)
# =========================================================================================

BAD_FILES: list[tuple[str, str | bytes]] = [
    ("syntax.yaml", "routes:\n  - rule: /a\n    endpoint: [unclosed\n"),
    ("syntax.toml", "[[routes]]\nrule = /a\n"),
    ("syntax.json", '{"routes": [\n  {"rule": "/a",}\n]}'),
    ("types.yaml", "routes:\n  - rule: /a\n    endpoint: e\n    methods: GET\n"),
    ("missing.yaml", "routes:\n  - rule: /a\n"),
    ("unknown.yaml", "routes:\n  - rule: /a\n    endpiont: e\n"),
    ("toplevel.yaml", "rotues: []\n"),
    ("badrule.yaml", "routes:\n  - rule: /blog/<post_id\n    endpoint: e\n"),
    ("noslash.yaml", "routes:\n  - rule: blog\n    endpoint: e\n"),
    ("conv.yaml", "routes:\n  - rule: /<foo:x>\n    endpoint: e\n"),
    ("args.yaml", "routes:\n  - rule: /<int(x=1):n>\n    endpoint: e\n"),
    ("args2.yaml", "routes:\n  - rule: '/<string(2,5):s>'\n    endpoint: e\n"),
    ("dupvar.yaml", "routes:\n  - rule: /<a>/<int:a>\n    endpoint: e\n"),
    ("regex.yaml", "converters:\n  bad: {regex: '[a-'}\nroutes: []\n"),
    ("latin1.yaml", "routes:\n  - rule: /caf\xe9\n    endpoint: e\n".encode("latin-1")),
    ("binary.yaml", b"\x00\x01\x02routes"),
    ("empty.yaml", ""),
    ("comments.toml", "# nothing here\n"),
    ("tag.yaml", "routes: !!python/object:os.system {}\n"),
    ("format.txt", "routes: []\n"),
    ("minmax.yaml",
     "routes:\n  - rule: '/<string(minlength=5, maxlength=2):s>'\n    endpoint: e\n"),
    ("intmin.yaml", "routes:\n  - rule: '/<int(min=abc):n>'\n    endpoint: e\n"),
    ("redirect.yaml", "routes:\n  - rule: /a/<x>\n    endpoint: e\n    redirect_to: /b/<y>\n"),
    ("settype.yaml", "settings:\n  strict_slashes: 'yes'\nroutes: []\n"),
    ("boolkey.yaml", "routes:\n  - rule: /a\n    endpoint: e\n    yes: 1\n"),
    ("surrogate.json", '{"routes": [\n  {"rule": "/\\ud800", "endpoint": "a"}\n]}'),
    ("huge.json", '{"routes": [\n{"rule": "/a", "endpoint": "a", "defaults": {"n": '
     + "9" * 5000 + "}}]}"),
    ("setkey.toml", '[settings]\nserver-name = "example.com"\n\n[[routes]]\nrule = "/"\n'
     'endpoint = "i"\n'),
    ("convstr.yaml", "converters:\n  slug: '[a-z]+'\nroutes: []\n"),
    ("method.json", '{"routes": [{"rule": "/a", "endpoint": "a", "methods": ["GE T"]}]}'),
    ("trusted.yaml", "settings:\n  trusted_hosts: ['']\nroutes: []\n"),
    ("notalist.json", '{"routes": {"rule": "/a"}}'),
    ("noqa.yaml", "routes:\n  - rule: /a\n    endpoint: e\n    noqa: [XX1]\n"),
]

BAD_SPECS = ["bad/nope.yaml", "bad", "no_such_module_xyz:app", "fixtures_apps.kitchen_sink:ap",
             "equiv_apps.broken:app", "fixtures_apps", "fixtures_apps.kitchen_sink:create_app(",
             "fixtures_apps.kitchen_sink:create_app(os.environ)",
             "fixtures_apps.kitchen_sink:create_app(nope=1)", "equiv_apps.nothing",
             "equiv_apps/missing.py", "sample_routes/blog.yaml:app",
             "fixtures_apps.data_routes:ROUTES"]  # a bare list: its CONVERTERS are not used

EXTRA_APPS = {
    "__init__.py": '"""Extra Python sources for tools/equivalence.py."""\n',
    "broken.py": '"""Fails while importing."""\n\nraise RuntimeError("DATABASE_URL is not set")\n',
    "nothing.py": '"""Nothing routecli can use."""\n\nVALUE = 1\n',
    "noisy.py": (
        '"""Prints while importing; the output must go to standard error."""\n\n'
        "from flask import Flask\n\n"
        'print("hello from noisy")\n'
        "app = Flask(__name__, static_folder=None)\n\n\n"
        '@app.route("/hello/<name>")\n'
        "def hello(name):\n"
        "    return name\n"
    ),
    "factory.py": (
        '"""An app factory taking literal arguments."""\n\n'
        "from flask import Flask\n\n\n"
        "def create_app(prefix='/v1', strict=True, extra=()):\n"
        "    app = Flask(__name__, static_folder=None)\n"
        "    app.url_map.strict_slashes = strict\n\n"
        "    def view(**kwargs):\n"
        "        return 'ok'\n\n"
        "    app.add_url_rule(prefix + '/items/', 'items', view)\n"
        "    app.add_url_rule(prefix + '/items/<int:n>', 'item', view, methods=['GET', 'PUT'])\n"
        "    for i, rule in enumerate(extra):\n"
        "        app.add_url_rule(rule, f'extra{i}', view)\n"
        "    return app\n"
    ),
    "wzmap.py": (
        '"""A bare Werkzeug Map."""\n\n'
        "from werkzeug.routing import Map, Rule\n\n"
        "url_map = Map([\n"
        "    Rule('/', endpoint='index'),\n"
        "    Rule('/items/<int:n>', endpoint='item', methods=['GET', 'POST']),\n"
        "    Rule('/items/<name>', endpoint='item_by_name'),\n"
        "    Rule('/files/<path:p>', endpoint='files', strict_slashes=False),\n"
        "], strict_slashes=True)\n"
    ),
}

LINT_CONFIG = """\
# A lint config (--config FILE reads the [lint] table of a TOML file)
[lint]
select = ["ALL"]
ignore = ["RL111"]
fail-on = "warning"
strict = true

[lint.severity]
RL105 = "error"
RL107 = "info"

[lint.per-file-ignores]
"gen/*.json" = ["RL102", "RL117"]
"""
BAD_LINT_CONFIG = '[lint]\nselect = "RL101,RL102"\nfail-on = "fatal"\n'

# Requests for the Python fixture apps, whose rules are not data this script can read.
APP_REQUESTS = {
    "kitchen_sink": [
        "/", "/about", "/about/", "/users/7", "/users/bob", "/u/7", "/posts/", "/posts/page/1",
        "/posts/page/2", "/old/hello-world", "/legacy/3", "/feed", "/feed/", "/tree", "/tree/",
        "/strict", "/items", "/cors", "/nopts", "/forced", "/nothing", "/tags/a,b", "/tags/a,b,c,d",
        "/n/4", "/n/3", "/n/x", "/files/ab/cd/raw", "/files/a/b/c", "/low/abc/end",
        "/fixed/abc", "/fixed/ab", "/a/x/edit", "/a/x/y/edit", "/lang/en/", "/lang/de-ch",
        "/obj/2b5b0911-fdcf-4dd2-921b-28ace88db8a0", "/price/99.5", "/price/101.0", "/cc/fr",
        "/short/a", "/short/abc", "/signed/-1", "/signed/5", "/pad/007", "/pad/7",
        "/report-2024.csv", "/report-2024.xml", "/raw//double", "/merge//me", "/merge/me",
        "/lang-default", "/lang-page/en", "/over/zz", "/over/a", "/build-only/x", "/any-method",
        "/secret", "/things/3", "/admin", "/admin/", "/admin/settings", "/admin/settings/",
        "/admin/members/5", "/admin/members/", "http://api.localhost/v1/status", "/v1/status",
        "/shop/", "/shop/item-1", "/static/app.css", "/static/", "/nowhere",
    ],
    "hosts_app": [
        "http://example.com/", "http://bob.example.com/", "http://bob.example.com/dash",
        "http://bob.example.com/dash/", "http://bob.example.com/users/7",
        "http://example.com/users/alice", "http://example.com:8080/port", "http://example.com/port",
        "/nohost", "http://example.com/nohost", "http://example.com/go/3",
        "http://api.example.com/api/items/3", "http://api.example.com/api/items",
        "http://static.example.com/static/app.css", "http://other.org/", "/",
    ],
    "subdomains_app": [
        "http://example.com/", "http://bob.example.com/", "http://bob.example.com/posts/3",
        "http://www.example.com/dir", "http://www.example.com/dir/", "http://example.com/about",
        "http://api.example.com/v2/items/3", "http://api.example.com/v2/items",
        "http://api.example.com/v2/n/x", "http://shop.example.com/cart/2",
        "http://example.com/static/app.css", "http://other.org/", "/about", "/",
    ],
}

# =========================================================================================
# The battery
# =========================================================================================

LIST_FORMATS = ["table", "json", "csv", "markdown"]
SORTS = ["definition", "rule", "endpoint", "methods", "priority"]
RULE_CODES = [f"RL{n}" for n in range(101, 120)] + ["RL198", "RL199"]


class Battery:
    """Writes the inputs into ``work`` and collects jobs: lists of invocations run in order
    (an invocation may read a file an earlier one of its job wrote)."""

    def __init__(self, work: Path, quick: bool) -> None:
        self.work = work
        self.quick = quick
        self.jobs: list[list[dict]] = []
        self.ids: set[str] = set()

    def write(self, rel: str, content: str | bytes) -> str:
        path = self.work / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return rel

    def inv(self, ident: str, argv: list[str], stdin: str | None = None,
            files: tuple[str, ...] = (), cost: float = 1.0) -> dict:
        if ident in self.ids:
            raise AssertionError(f"duplicate invocation id {ident}")
        self.ids.add(ident)
        record: dict[str, Any] = {"id": ident, "argv": argv}
        if stdin is not None:
            record["stdin"] = stdin
        if files:
            record["files"] = list(files)
        record["cost"] = cost
        return record

    def add(self, ident: str, argv: list[str], **kwargs: Any) -> None:
        self.jobs.append([self.inv(ident, argv, **kwargs)])

    def chain(self, *invocations: dict) -> None:
        self.jobs.append(list(invocations))

    # ------------------------------------------------------------------ per route source

    def source_battery(self, name: str, sources: list[str], requests: list[tuple[str, str]],
                       *, full: bool = True, seed: int = 0, host: str | None = None,
                       cost: float = 1.0) -> None:
        """The commands for one route table: a core every table gets, plus (``full``) a
        seeded rotation through the variants, so that the battery covers every option
        without running every option on every table."""
        rng = random.Random(seed)
        r = [x for s in sources for x in ("-r", s)]
        tag = name.replace("/", "_")

        def pick(variants: list[tuple[str, list[str]]], k: int) -> list[tuple[str, list[str]]]:
            if not full:
                return []
            chosen = sorted(rng.sample(range(len(variants)), min(k, len(variants))))
            return [variants[i] for i in chosen]

        # list
        for fmt in LIST_FORMATS:
            self.add(f"{name}/list/{fmt}", [*r, "list", "-f", fmt])
        self.add(f"{name}/list/json/priority", [*r, "list", "-f", "json", "--sort", "priority"])
        list_variants = [
            ("list/json/rule", [*r, "list", "-f", "json", "--sort", "rule"]),
            ("list/csv/endpoint", [*r, "list", "-f", "csv", "--sort", "endpoint"]),
            ("list/table/methods", [*r, "list", "--sort", "methods"]),
            ("list/csv/priority-reverse", [*r, "list", "-f", "csv", "--sort", "priority",
                                           "--reverse"]),
            ("list/table/all-methods", [*r, "list", "--all-methods", "--sort", "rule"]),
            ("list/markdown/endpoint-reverse", [*r, "list", "-f", "markdown", "--sort",
                                                "endpoint", "--reverse"]),
            ("list/filter-method", [*r, "list", "-f", "csv", "-m", "POST", "-m", "delete"]),
            ("list/filter-endpoint", [*r, "list", "-f", "json", "-e", "e[0-3]*"]),
            ("list/filter-grep", [*r, "list", "-g", "users|api|<int"]),
            ("list/filter-path-host", [*r, "list", "-p", "/", "--host", "api.example.com",
                                       "--all-methods"]),
            ("list/color-always", [*r, "--color", "always", "list"]),
        ]
        if requests:
            probe = requests[rng.randrange(len(requests))][1]
            self.add(f"{name}/list/filter-path", [*r, "list", "-f", "json", "-p", probe])
        for ident, argv in pick(list_variants, 4):
            self.add(f"{name}/{ident}", argv)
        # match --batch, then single requests
        if requests:
            batch = self.write(f"batch/{name}.requests", batch_text(requests))
            explain = self.write(f"batch/{name}.explain.requests", batch_text(requests[:150]))
            self.add(f"{name}/batch/jsonl", [*r, "match", "--batch", batch, "-f", "jsonl"],
                     cost=0.5 + len(requests) / 1000)
            self.add(f"{name}/batch/explain-jsonl",
                     [*r, "match", "--batch", explain, "--explain", "-f", "jsonl"], cost=cost)
            batch_variants = [
                ("batch/text", [*r, "match", "--batch", batch]),
                ("batch/json", [*r, "match", "--batch", explain, "-f", "json"]),
                ("batch/quiet", [*r, "match", "--batch", explain, "-q"]),
                ("batch/explain-json", [*r, "match", "--batch", explain, "--explain", "-f",
                                        "json"]),
            ]
            for ident, argv in pick(batch_variants, 2):
                self.add(f"{name}/{ident}", argv)
            if host:
                self.add(f"{name}/batch/host", [*r, "match", "--batch", explain, "--host", host,
                                                "-f", "jsonl"])
            picks = rng.sample(range(len(requests)), min(6 if full else 3, len(requests)))
            for i, index in enumerate(picks):
                method, url = requests[index]
                req = [url] if method == "GET" and i % 2 else [method, url]
                style = ["text", "json", "explain", "text", "explain-json", "text"][i]
                extra = {"text": [], "json": ["-f", "json"], "explain": ["--explain"],
                         "explain-json": ["--explain", "-f", "json"]}[style]
                self.add(f"{name}/match/{i}/{style}", [*r, "match", *req, *extra])
            method, url = requests[picks[0]]
            match_variants = [
                ("match/quiet", [*r, "match", "-q", method, url]),
                ("match/color-always", [*r, "--color", "always", "match", method, url,
                                        "--explain"]),
                ("match/host", [*r, "match", "--host", host or "example.com", method,
                                urlsplit(url).path or "/"]),
            ]
            for ident, argv in pick(match_variants, 1):
                self.add(f"{name}/{ident}", argv)
        # lint
        self.add(f"{name}/lint/text", [*r, "lint"], cost=cost)
        for fmt in ("json", "sarif", "github"):
            self.add(f"{name}/lint/{fmt}", [*r, "lint", "-f", fmt], cost=cost)
        self.add(f"{name}/lint/statistics", [*r, "lint", "--statistics"], cost=cost)
        lint_variants = [
            ("lint/select-all", [*r, "lint", "--select", "ALL", "-f", "json"]),
            ("lint/select-ignore", [*r, "lint", "--select", "RL1", "--ignore", "RL105,RL102",
                                    "--fail-on", "warning"]),
            ("lint/strict", [*r, "lint", "--strict", "-f", "json"]),
            ("lint/extend-ignore-noqa", [*r, "lint", "--extend-select", "RL104,RL109",
                                         "--ignore-noqa", "--show-source", "--fail-on", "info"]),
            ("lint/exit-zero-github", [*r, "lint", "--exit-zero", "--fail-on", "info", "-f",
                                       "github", "--select", "RL101,RL103,RL11"]),
            ("lint/config", [*r, "lint", "--config", "lint-config.toml", "-f", "json"]),
            ("lint/statistics-all", [*r, "lint", "--statistics", "--select", "ALL",
                                     "--isolated"]),
            ("lint/sarif-output", [*r, "lint", "-f", "sarif", "-o", f"out/{tag}.sarif",
                                   "--exit-zero"]),
            ("lint/baseline", []),  # a chain: --write-baseline, then --baseline
        ]
        for ident, argv in pick(lint_variants, 3):
            if ident == "lint/baseline":
                baseline = f"out/{tag}.baseline.json"
                self.chain(
                    self.inv(f"{name}/lint/write-baseline",
                             [*r, "lint", "--write-baseline", baseline], files=(baseline,),
                             cost=cost),
                    self.inv(f"{name}/lint/baseline",
                             [*r, "lint", "--baseline", baseline, "-f", "json"], cost=cost))
            elif ident == "lint/sarif-output":
                self.add(f"{name}/{ident}", argv, files=(f"out/{tag}.sarif",), cost=cost)
            else:
                self.add(f"{name}/{ident}", argv, cost=cost)
        # conflicts
        self.add(f"{name}/conflicts/text", [*r, "conflicts"], cost=cost)
        self.add(f"{name}/conflicts/json", [*r, "conflicts", "-f", "json"], cost=cost)
        conflict_variants = [
            ("conflicts/limit0", [*r, "conflicts", "--limit", "0"]),
            ("conflicts/limit1", [*r, "conflicts", "-n", "1", "--fail-on", "warning",
                                  "--ignore-noqa"]),
            ("conflicts/json-info", [*r, "conflicts", "-f", "json", "--fail-on", "info"]),
        ]
        for ident, argv in pick(conflict_variants, 1):
            self.add(f"{name}/{ident}", argv, cost=cost)
        # coverage
        if requests:
            stem = f"logs/{name}"
            combined = self.write(f"{stem}.log", combined_log(requests, seed))
            self.add(f"{name}/coverage/text", [*r, "coverage", combined])
            self.add(f"{name}/coverage/json", [*r, "coverage", combined, "-f", "json"])
            if full:
                jsonl = self.write(f"{stem}.jsonl", json_log(requests, seed))
                self.add(f"{name}/coverage/jsonl-json", [*r, "coverage", jsonl, "-f", "json"])
                nested = json_log(requests, seed, nested=True).encode("utf-8")
                gz = self.write(f"{stem}.nested.jsonl.gz", gzip.compress(nested, mtime=0))
                coverage_variants = [
                    ("coverage/nested-gz-markdown",
                     [*r, "coverage", gz, "--json-field", "url=request.uri", "--json-field",
                      "method=request.verb", "-f", "markdown", "--top", "3"]),
                    ("coverage/two-logs-unused",
                     [*r, "coverage", combined, jsonl, "--fail-on-unused", "--min-hits", "2",
                      "--top", "0"]),
                    ("coverage/combined-json-host",
                     [*r, "coverage", "--log-format", "combined", combined, "--host",
                      host or "example.com", "-f", "json", "--top", "5", "--no-progress"]),
                    ("coverage/color-always",
                     [*r, "--color", "always", "coverage", combined, "--no-progress"]),
                    ("coverage/plain-json", [*r, "coverage", "--log-format", "plain",
                                             f"batch/{name}.requests", "-f", "json"]),
                ]
                for ident, argv in pick(coverage_variants, 2):
                    self.add(f"{name}/{ident}", argv)

    # ------------------------------------------------------------------ the whole battery

    def build(self, inputs_from: Path) -> None:
        self.copy_inputs(inputs_from)
        self.write("lint-config.toml", LINT_CONFIG)
        self.write("bad-lint-config.toml", BAD_LINT_CONFIG)
        (self.work / "out").mkdir(exist_ok=True)
        (self.work / "home").mkdir(exist_ok=True)
        for name, text in EXTRA_APPS.items():
            self.write(f"equiv_apps/{name}", text)
        self.help_and_rules()
        self.samples()
        self.fixture_apps()
        self.corpora()
        self.generated()
        self.bad_inputs()

    def copy_inputs(self, src: Path) -> None:
        pairs = [("sample_routes", "sample_routes"), ("tests/fixtures_apps", "fixtures_apps"),
                 ("tests/data/corpora", "corpora")]
        for rel, dest in pairs:
            if not (src / rel).is_dir():
                raise SystemExit(f"equivalence: {src / rel} is missing (use --inputs-from)")
            shutil.copytree(src / rel, self.work / dest,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))

    def help_and_rules(self) -> None:
        for command in ["", "match", "list", "lint", "conflicts", "rule", "coverage"]:
            argv = [command, "--help"] if command else ["--help"]
            self.add(f"help/{command or 'routecli'}", argv)
        self.add("help/short", ["list", "-h"])
        self.add("help/version", ["--version"])
        self.add("help/no-command", [])
        self.add("help/unknown-command", ["frobnicate"])
        self.add("rule/all", ["rule", "--all"])
        self.add("rule/all-json", ["rule", "--all", "-f", "json"])
        codes = RULE_CODES if not self.quick else ["RL101", "RL102", "RL110"]
        for code in codes:
            self.add(f"rule/{code}", ["rule", code])
            self.add(f"rule/{code}/json", ["rule", code, "-f", "json"])
        for ident, argv in [("rule/lowercase", ["rule", "rl101"]),
                            ("rule/unknown", ["rule", "RL999"]), ("rule/none", ["rule"]),
                            ("rule/bad-format", ["rule", "RL101", "-f", "x"])]:
            self.add(ident, argv)

    def samples(self) -> None:
        rules: dict[str, list[dict]] = {}
        for stem in ("blog", "converters", "github-api"):
            data = tomllib.loads((self.work / f"sample_routes/{stem}.toml").read_text("utf-8"))
            rules[stem] = data["routes"]
        catch_all = (self.work / "sample_routes/catch_all.yaml").read_text("utf-8")
        rules["catch_all"] = [{"rule": m.strip().strip("'\"")}
                              for m in re.findall(r"rule:\s*(.+)", catch_all)]
        flask_blog = (self.work / "sample_routes/flask_blog.py").read_text("utf-8")
        rules["flask_blog"] = [{"rule": m} for m in re.findall(r"[\"'](/[^\"']*)[\"']", flask_blog)]
        custom = {"slug", "ymd"}
        plan = [
            ("sample/blog.yaml", ["sample_routes/blog.yaml"], "blog", True),
            ("sample/blog.toml", ["sample_routes/blog.toml"], "blog", False),
            ("sample/blog.json", ["sample_routes/blog.json"], "blog", False),
            ("sample/catch_all", ["sample_routes/catch_all.yaml"], "catch_all", True),
            ("sample/converters.yaml", ["sample_routes/converters.yaml"], "converters", True),
            ("sample/converters.toml", ["sample_routes/converters.toml"], "converters", False),
            ("sample/github-api.yaml", ["sample_routes/github-api.yaml"], "github-api", True),
            ("sample/github-api.toml", ["sample_routes/github-api.toml"], "github-api", False),
            ("sample/flask_blog", ["sample_routes.flask_blog:app"], "flask_blog", True),
            ("sample/flask_blog.py", ["sample_routes/flask_blog.py"], "flask_blog", False),
            ("sample/merge-blog-catch_all",
             ["sample_routes/blog.yaml", "sample_routes/catch_all.yaml"], "blog", True),
            ("sample/merge-converters-blog",
             ["sample_routes/converters.toml", "sample_routes/blog.json"], "converters", False),
        ]
        if self.quick:
            plan = [p for p in plan if p[3]][:4]
        for i, (name, sources, key, full) in enumerate(plan):
            requests = make_requests(1000 + i, rules[key], 300 if full else 120,
                                     custom_names=custom)
            self.source_battery(name, sources, requests, full=full and not self.quick,
                                seed=1000 + i, cost=3 if "github" in name else 1)
        self.add("sample/blog/readme-match", ["-r", "sample_routes/blog.yaml", "match", "GET",
                                              "/blog/posts/42"])
        self.add("sample/blog/readme-explain", ["-r", "sample_routes/blog.yaml", "match", "GET",
                                                "/blog/post/foo", "--explain"])
        self.add("sample/blog/stdin-batch",
                 ["-r", "sample_routes/blog.yaml", "match", "--batch", "-", "-f", "jsonl"],
                 stdin="GET /\nPOST /login\n\n# comment\n/blog/posts/42\nDELETE /blog/posts/1\n")
        self.add("sample/blog/stdin-coverage",
                 ["-r", "sample_routes/blog.yaml", "coverage", "-", "-f", "json"],
                 stdin="GET /\nGET /blog/posts/42\nPOST /nowhere\n/blog/\n")
        self.add("sample/blog/lint-files", ["lint", "sample_routes/blog.yaml",
                                            "sample_routes/catch_all.yaml", "-f", "json"])
        self.add("sample/blog/conflicts-files", ["conflicts", "sample_routes/catch_all.yaml",
                                                 "sample_routes/converters.yaml"])

    def fixture_apps(self) -> None:
        specs = [
            ("app/kitchen_sink", ["fixtures_apps.kitchen_sink:app"], "kitchen_sink", True),
            ("app/kitchen_sink-module", ["fixtures_apps.kitchen_sink"], "kitchen_sink", False),
            ("app/kitchen_sink-factory",
             ["fixtures_apps.kitchen_sink:create_app(strict_slashes=False, static=False)"],
             "kitchen_sink", True),
            ("app/kitchen_sink-factory2",
             ["fixtures_apps.kitchen_sink:create_app(True, False, False, True, False)"],
             "kitchen_sink", False),
            ("app/hosts_app", ["fixtures_apps.hosts_app:app"], "hosts_app", True),
            ("app/hosts_app-factory", ["fixtures_apps.hosts_app:create_app"], "hosts_app", False),
            ("app/subdomains_app", ["fixtures_apps.subdomains_app:app"], "subdomains_app", True),
            ("app/subdomains_app-www", ["fixtures_apps.subdomains_app:create_app('www')"],
             "subdomains_app", False),
            ("app/data_routes", ["fixtures_apps.data_routes"], None, True),
            ("app/data_function", ["fixtures_apps.data_function:routes"], None, False),
            ("app/data_function-module", ["fixtures_apps.data_function"], None, False),
            ("app/data_routes-file", ["fixtures_apps/data_routes.py"], None, False),
            ("app/noisy", ["equiv_apps.noisy:app"], None, False),
            ("app/factory", ["equiv_apps.factory:create_app('/api', strict=False, "
                             "extra=('/x/<int:a>', '/x/<b>'))"], None, True),
            ("app/wzmap", ["equiv_apps.wzmap:url_map"], None, False),
            ("app/merge-app-file", ["fixtures_apps.kitchen_sink:app", "sample_routes/blog.yaml"],
             "kitchen_sink", False),
        ]
        if self.quick:
            specs = [s for s in specs if s[3]][:3]
        fixture_dir = self.work / "fixtures_apps"
        for i, (name, sources, key, full) in enumerate(specs):
            rng = random.Random(2000 + i)
            if key is not None:
                urls = APP_REQUESTS[key]
                found = re.findall(r"[\"'](/[^\"'\s]*)[\"']",
                                   (fixture_dir / f"{key}.py").read_text("utf-8"))
                routes = [{"rule": rule} for rule in found]
            else:
                urls = ["/", "/about", "/blog/posts", "/blog/posts/1", "/blog/new", "/p/a-b",
                        "/p/A", "/feed", "/feed/", "/hello/x", "/api/items/", "/api/items/3",
                        "/v1/items", "/x/1", "/x/y", "/items/3", "/items/n", "/files/a/b"]
                routes = [{"rule": u} for u in urls]
            requests = [(rng.choice(["GET", "GET", "POST", "PUT", "HEAD", "OPTIONS", "BREW"]), u)
                        for u in urls]
            requests += make_requests(2000 + i, routes, 100)
            self.source_battery(name, sources, requests, full=full and not self.quick,
                                seed=2000 + i, host="example.com" if "hosts" in name else None)

    def corpora(self) -> None:
        corpus_dir = self.work / "corpora"
        names = sorted(p.stem for p in corpus_dir.glob("*.routes"))
        if self.quick:
            names = names[:2]
        for i, stem in enumerate(names):
            routes = read_corpus((corpus_dir / f"{stem}.routes").read_text("utf-8"))
            doc = {"routes": routes}
            header = f"{stem}: generated from corpora/{stem}.routes by tools/equivalence.py"
            for ext, writer in WRITERS.items():
                self.write(f"corpora/{stem}.{ext}", writer(doc, header))
            requests = make_requests(3000 + i, routes, 400)
            self.source_battery(f"corpus/{stem}", [f"corpora/{stem}.json"], requests,
                                full=not self.quick, seed=3000 + i,
                                cost=2 if len(routes) > 100 else 1)
            for ext in ("yaml", "toml"):
                src = ["-r", f"corpora/{stem}.{ext}"]
                self.add(f"corpus/{stem}/{ext}/list-json", [*src, "list", "-f", "json"])
                self.add(f"corpus/{stem}/{ext}/lint-json", [*src, "lint", "-f", "json"])

    def generated(self) -> None:
        plan = QUICK_PLAN if self.quick else TABLE_PLAN
        for i, (scenario, size, custom) in enumerate(plan):
            ext = ["yaml", "toml", "json"][i % 3]
            doc = TableGen(4000 + i, scenario, size, custom).table()
            name = f"gen/t{i:02d}-{scenario}"
            header = f"generated table {i}: scenario {scenario}, {size} routes, seed {4000 + i}"
            path = self.write(f"{name}.{ext}", WRITERS[ext](doc, header))
            custom_names = set(doc.get("converters", {}))
            count = 150 if size <= 20 else 300
            requests = make_requests(5000 + i, doc["routes"], count, scenario, custom_names)
            host = {"subdomain": "api.example.com", "host": "example.com",
                    "trusted": "evil.org"}.get(scenario)
            full = not self.quick and (i % 4 != 3)
            self.source_battery(name, [path], requests, full=full, seed=6000 + i, host=host,
                                cost=1 + size / 40)
            if i < 3:  # the same table in the other two formats loads to the same answers
                for other in WRITERS:
                    if other != ext:
                        alt = self.write(f"{name}.alt.{other}", WRITERS[other](doc, header))
                        self.add(f"{name}/alt-{other}/list-json", ["-r", alt, "list", "-f", "json"])
                        self.add(f"{name}/alt-{other}/lint-json", ["-r", alt, "lint", "-f", "json"])
            if i % 8 == 1:  # lint given FILES, and a merge with the blog sample
                self.add(f"{name}/lint-files", ["lint", path, "sample_routes/blog.yaml"])
                self.add(f"{name}/merge-list", ["-r", "sample_routes/blog.toml", "-r", path, "list",
                                                "-f", "json", "--sort", "priority"])

    def bad_inputs(self) -> None:
        files = BAD_FILES if not self.quick else BAD_FILES[:6]
        for name, content in files:
            rel = self.write(f"bad/{name}", content)
            self.add(f"bad/{name}/list", ["-r", rel, "list"])
            self.add(f"bad/{name}/match", ["-r", rel, "match", "GET", "/"])
            self.add(f"bad/{name}/lint", ["lint", rel, "-f", "json"])
        for spec in BAD_SPECS if not self.quick else BAD_SPECS[:3]:
            self.add(f"bad-spec/{spec}", ["-r", spec, "list"])
        blog = ["-r", "sample_routes/blog.yaml"]
        bad_batch = self.write("bad/batch.requests",
                               "GET /\nGET\nGET /a b c\nFOO BAR BAZ\n\n# c\nget /blog/\nnot-a-url\n"
                               "\ufeffGET /\nPOST http://[::1/x\n/" + "a" * 9000 + "\n")
        usage = [
            ("match/no-url", [*blog, "match"]),
            ("match/method-only", [*blog, "match", "GET"]),
            ("match/one-arg", [*blog, "match", "GET /blog/"]),
            ("match/not-a-url", [*blog, "match", "GET", "blog"]),
            ("match/too-many", [*blog, "match", "GET", "/", "/x"]),
            ("match/batch-and-url", [*blog, "match", "--batch", bad_batch, "/"]),
            ("match/bad-batch-jsonl", [*blog, "match", "--batch", bad_batch, "-f", "jsonl"]),
            ("match/bad-batch-text", [*blog, "match", "--batch", bad_batch]),
            ("match/bad-batch-json", [*blog, "match", "--batch", bad_batch, "-f", "json"]),
            ("match/missing-batch", [*blog, "match", "--batch", "bad/none.requests"]),
            ("match/bad-host", [*blog, "match", "--host", "bad host!", "/"]),
            ("match/bad-port", [*blog, "match", "http://example.com:99999/"]),
            ("list/bad-sort", [*blog, "list", "--sort", "nope"]),
            ("list/bad-regex", [*blog, "list", "--grep", "(unclosed"]),
            ("list/bad-format", [*blog, "list", "-f", "yaml"]),
            ("lint/unknown-code", [*blog, "lint", "--select", "RL999"]),
            ("lint/bad-fail-on", [*blog, "lint", "--fail-on", "fatal"]),
            ("lint/missing-config", [*blog, "lint", "--config", "bad/none.toml"]),
            ("lint/bad-config", [*blog, "lint", "--config", "bad-lint-config.toml"]),
            ("lint/missing-baseline", [*blog, "lint", "--baseline", "bad/none.json"]),
            ("lint/bad-baseline", [*blog, "lint", "--baseline", "bad/syntax.json"]),
            ("conflicts/bad-limit", [*blog, "conflicts", "--limit", "-1"]),
            ("coverage/missing-log", [*blog, "coverage", "bad/none.log"]),
            ("coverage/bad-json-field", [*blog, "coverage", "--json-field", "nonsense",
                                         "bad/syntax.json"]),
            ("coverage/bad-min-hits", [*blog, "coverage", "--min-hits", "0", "-"]),
            ("coverage/binary-log", [*blog, "coverage", "bad/binary.yaml"]),
            ("global/bad-color", ["--color", "sometimes", *blog, "list"]),
            ("global/unknown-option", [*blog, "list", "--frobnicate"]),
        ]
        for ident, argv in usage if not self.quick else usage[:4]:
            self.add(f"usage/{ident}", argv, stdin="")


def read_corpus(text: str) -> list[dict]:
    """``METHOD PATH`` lines -> routes, one per path, methods in order of appearance."""
    by_path: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        method, path = line.split()
        methods = by_path.setdefault(path, [])
        if method.upper() not in methods:
            methods.append(method.upper())
    routes, used = [], set()
    for path, methods in by_path.items():
        words = PLACEHOLDER.sub(lambda m: m.group("name"), path)
        base = "_".join(w for w in re.split(r"[^A-Za-z0-9]+", words) if w) or "root"
        name = candidate = f"{base}_{'_'.join(m.lower() for m in methods)}"
        n = 2
        while candidate in used:
            candidate, n = f"{name}_{n}", n + 1
        used.add(candidate)
        routes.append({"rule": path, "endpoint": candidate, "methods": methods})
    return routes


# =========================================================================================
# Capture
# =========================================================================================


def make_env(tree: Path, work: Path, hashseed: str) -> dict[str, str]:
    """The whole environment of every invocation: nothing is inherited but PATH."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(work / "home"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        "PYTHONPATH": str(tree),
        "PYTHONHASHSEED": hashseed,
        "PYTHONIOENCODING": "utf-8",
        "NO_COLOR": "1",
        "COLUMNS": "100",
        "LINES": "40",
        "TERM": "dumb",
        "ROUTECLI_NO_CACHE": "1",
    }


def check_surroundings(work: Path) -> None:
    """Nothing above the inputs directory may change what routecli does."""
    for directory in work.parents:
        project = directory / "pyproject.toml"
        if project.is_file() and b"routecli" in project.read_bytes():
            raise SystemExit(f"equivalence: {project} would be found by lint's config search; "
                             "use --workdir elsewhere")
        if (directory / ".git").exists():
            raise SystemExit(f"equivalence: {directory}/.git would become SARIF's project root; "
                             "use --workdir elsewhere")


def digest_dir(work: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in work.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(work)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _text(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", "backslashreplace")


def run_job(job: list[dict], python: str, env: dict[str, str], work: Path) -> list[dict]:
    results = []
    for inv in job:
        stdin = inv.get("stdin")
        argv = [python, "-m", "routecli", *inv["argv"]]
        began = time.monotonic()
        try:
            proc = subprocess.run(argv, cwd=work, env=env, capture_output=True, timeout=TIMEOUT,
                                  input=stdin.encode("utf-8") if stdin is not None else None,
                                  stdin=subprocess.DEVNULL if stdin is None else None)
            exit_code: int | str = proc.returncode
            stdout, stderr = proc.stdout, proc.stderr
        except subprocess.TimeoutExpired as exc:
            exit_code, stdout, stderr = "timeout", exc.stdout, exc.stderr
        record = {"id": inv["id"], "argv": inv["argv"], "exit": exit_code,
                  "stdout": _text(stdout), "stderr": _text(stderr),
                  "ms": round((time.monotonic() - began) * 1000)}  # not compared
        if stdin is not None:
            record["stdin"] = stdin
        if inv.get("files"):
            files = {}
            for rel in inv["files"]:
                path = work / rel
                files[rel] = _text(path.read_bytes()) if path.is_file() else None
            record["files"] = files
        results.append(record)
    return results


def capture(args: argparse.Namespace) -> int:
    tree = Path(args.tree).resolve()
    work = Path(args.workdir)
    if not work.is_absolute():
        raise SystemExit("equivalence: --workdir must be absolute")
    inputs_from = Path(args.inputs_from).resolve()
    python = sys.executable
    started = time.time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = children.ru_utime + children.ru_stime
    check_surroundings(work)
    lock_path = Path(str(work) + ".lock")
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one capture at a time uses the inputs directory
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        battery = Battery(work, args.quick)
        battery.build(inputs_from)
        inputs_digest = digest_dir(work)
        env = make_env(tree, work, args.hashseed)

        probe = subprocess.run([python, "-c", "import routecli, sys; "
                                "sys.stdout.write(routecli.__file__ or '')"],
                               cwd=work, env=env, capture_output=True, text=True)
        located = Path(probe.stdout).resolve() if probe.returncode == 0 else None
        if located is None or not located.is_relative_to(tree):
            raise SystemExit(f"equivalence: routecli does not import from {tree} "
                             f"(got {probe.stdout or probe.stderr.strip()!r}); aborting")
        version = subprocess.run([python, "-m", "routecli", "--version"], cwd=work, env=env,
                                 capture_output=True, text=True).stdout.strip()

        specs = [[{k: v for k, v in inv.items() if k != "cost"} for inv in job]
                 for job in battery.jobs]
        battery_digest = hashlib.sha256(json.dumps(specs, sort_keys=True).encode()).hexdigest()
        total = sum(len(job) for job in specs)
        print(f"equivalence: {total} invocations in {len(specs)} jobs against {tree} "
              f"({args.jobs} at a time)", file=sys.stderr)
        # Longest jobs first, so the pool does not end on one slow job; results keep
        # battery order whatever the scheduling.
        order = sorted(range(len(specs)),
                       key=lambda i: -sum(inv["cost"] for inv in battery.jobs[i]))
        results: list[list[dict] | None] = [None] * len(specs)
        done = 0
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {i: pool.submit(run_job, specs[i], python, env, work) for i in order}
            for i in order:
                results[i] = futures[i].result()
                done += 1
                if not args.no_progress and done % 200 == 0:
                    print(f"  {done}/{len(specs)} jobs, {time.time() - started:.0f}s",
                          file=sys.stderr)
        records = [record for job in results for record in job or ()]
    seconds = time.time() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = children.ru_utime + children.ru_stime - cpu_before  # of every invocation together
    header = {
        "format": CAPTURE_FORMAT,
        "tree": str(tree),
        "workdir": str(work),
        "routecli_file": str(located),
        "python": python,
        "python_version": sys.version,
        "version_output": version,
        "quick": args.quick,
        "hashseed": args.hashseed,
        "battery_digest": battery_digest,
        "inputs_digest": inputs_digest,
        "inputs_from": str(inputs_from),
        "invocations": len(records),
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    with gzip.GzipFile(args.out, "wb", mtime=0) as stream:
        stream.write(json.dumps({"header": header, "records": records}, ensure_ascii=False,
                                indent=0).encode("utf-8"))
    exits: dict[str, int] = {}
    for record in records:
        exits[str(record["exit"])] = exits.get(str(record["exit"]), 0) + 1
    print(f"equivalence: wrote {args.out}: {len(records)} invocations in {seconds:.1f}s "
          f"({cpu:.0f} CPU-seconds); exit codes {dict(sorted(exits.items()))}", file=sys.stderr)
    return 0


# =========================================================================================
# Compare
# =========================================================================================

# What is normalised before comparing (applied identically to both captures), and why:
# * the routecli version, where the CLI prints it (`--version`: "routecli, version X"; SARIF's
#   tool.driver "version"/"semanticVersion"), because a release bump is not a behaviour change;
# * the source tree's own path followed by "/routecli" (only appears if a message names a
#   module file), because the two trees live in different directories;
# * the inputs directory's absolute path, in case the two captures used different --workdir;
# * memory addresses ("0x7f3a..."), which differ between processes.
# Nothing else: routecli prints no timings (the coverage progress bar, the only timed
# output, is off without a terminal), and every input path is the same relative path.
ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")


def normaliser(header: dict):
    version = header.get("version_output", "").rpartition(" ")[2]
    replacements = [(str(Path(header["tree"])) + "/routecli", "<TREE>/routecli"),
                    (header["workdir"], "<INPUTS>")]
    if version:
        replacements += [(f"routecli, version {version}", "routecli, version <VERSION>"),
                         (f'"version": "{version}"', '"version": "<VERSION>"'),
                         (f'"semanticVersion": "{version}"', '"semanticVersion": "<VERSION>"')]

    def normalise(text: str | None) -> str | None:
        if text is None:
            return None
        for old, new in replacements:
            text = text.replace(old, new)
        return ADDRESS.sub("0x<ADDR>", text)

    return normalise


def load_capture(path: str) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        data = json.load(stream)
    if data.get("header", {}).get("format") != CAPTURE_FORMAT:
        raise SystemExit(f"equivalence: {path} is not a capture of format {CAPTURE_FORMAT}")
    return data


def short_diff(a: str, b: str, label: str, cap: int) -> list[str]:
    lines = list(difflib.unified_diff(a.splitlines(), b.splitlines(), f"A {label}",
                                      f"B {label}", lineterm="", n=2))
    if len(lines) > cap:
        lines = lines[:cap] + [f"... {len(lines) - cap} more diff lines"]
    return ["    " + line[:300] for line in lines]


def compare(args: argparse.Namespace) -> int:
    a, b = load_capture(args.a), load_capture(args.b)
    ha, hb = a["header"], b["header"]
    out = sys.stdout
    print(f"A: {args.a}  tree {ha['tree']}  ({ha['invocations']} invocations, "
          f"{ha['seconds']}s)", file=out)
    print(f"B: {args.b}  tree {hb['tree']}  ({hb['invocations']} invocations, "
          f"{hb['seconds']}s)", file=out)
    for key in ("battery_digest", "inputs_digest", "quick", "hashseed", "python_version"):
        if ha.get(key) != hb.get(key):
            print(f"warning: {key} differs: {ha.get(key)!r} vs {hb.get(key)!r}", file=out)
    norm_a, norm_b = normaliser(ha), normaliser(hb)
    by_id_b = {r["id"]: r for r in b["records"]}
    ids_a = {r["id"] for r in a["records"]}
    differing = {"exit": 0, "stdout": 0, "stderr": 0, "files": 0}
    shown = diffs = 0
    for ra in a["records"]:
        rb = by_id_b.get(ra["id"])
        if rb is None:
            continue
        fields = []
        if ra["exit"] != rb["exit"]:
            fields.append("exit")
        for stream in ("stdout", "stderr"):
            if norm_a(ra[stream]) != norm_b(rb[stream]):
                fields.append(stream)
        files_a = {k: norm_a(v) for k, v in ra.get("files", {}).items()}
        files_b = {k: norm_b(v) for k, v in rb.get("files", {}).items()}
        if files_a != files_b:
            fields.append("files")
        if not fields:
            continue
        diffs += 1
        for field in fields:
            differing[field] += 1
        if shown >= args.max_shown:
            print(f"DIFF {ra['id']}  ({', '.join(fields)}; details not shown)", file=out)
            continue
        shown += 1
        print(f"DIFF {ra['id']}  ({', '.join(fields)})", file=out)
        command = shlex.join(["python", "-m", "routecli", *ra["argv"]])
        print(f"  run: cd {ha['workdir']} && PYTHONPATH=<tree> {command}"
              + ("  < (stdin in the capture)" if "stdin" in ra else ""), file=out)
        if "exit" in fields:
            print(f"  exit: {ra['exit']} -> {rb['exit']}", file=out)
        for stream in ("stdout", "stderr"):
            if stream in fields:
                out.write("\n".join(short_diff(norm_a(ra[stream]), norm_b(rb[stream]),
                                               stream, args.lines)) + "\n")
        if "files" in fields:
            for name in sorted(set(files_a) | set(files_b)):
                if files_a.get(name) != files_b.get(name):
                    out.write("\n".join(short_diff(files_a.get(name) or "",
                                                   files_b.get(name) or "", name,
                                                   args.lines)) + "\n")
    only_a = [r["id"] for r in a["records"] if r["id"] not in by_id_b]
    only_b = [r["id"] for r in b["records"] if r["id"] not in ids_a]
    for ident in only_a[:20]:
        print(f"ONLY IN A: {ident}", file=out)
    for ident in only_b[:20]:
        print(f"ONLY IN B: {ident}", file=out)
    common = len(a["records"]) - len(only_a)
    parts = ", ".join(f"{k} {v}" for k, v in differing.items() if v) or "none"
    print(f"SUMMARY: {common} invocations compared, {diffs} differ ({parts}); "
          f"{len(only_a)} only in A, {len(only_b)} only in B", file=out)
    return 1 if diffs or only_a or only_b else 0


# =========================================================================================


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    cap = sub.add_parser("capture", help="run the battery against one source tree")
    cap.add_argument("--tree", required=True, help="source tree holding the routecli package")
    cap.add_argument("--out", required=True, help="capture file to write (.json.gz)")
    cap.add_argument("--quick", action="store_true", help="a small subset of the battery")
    cap.add_argument("--jobs", type=int, default=os.cpu_count() or 2,
                     help="invocations run in parallel (default: CPU count)")
    cap.add_argument("--workdir", default=DEFAULT_WORKDIR,
                     help=f"inputs directory, recreated each time (default {DEFAULT_WORKDIR})")
    cap.add_argument("--inputs-from", default=str(REPO_ROOT),
                     help="repository to copy sample_routes/ and tests/ inputs from "
                          "(default: the one holding this script)")
    cap.add_argument("--hashseed", default="0",
                     help="PYTHONHASHSEED for every invocation (default 0; 'random' to check "
                          "that no output depends on hash order)")
    cap.add_argument("--no-progress", action="store_true", help="no progress lines")
    cmp_ = sub.add_parser("compare", help="compare two captures; exit 1 if they differ")
    cmp_.add_argument("a")
    cmp_.add_argument("b")
    cmp_.add_argument("--max-shown", type=int, default=40,
                      help="invocations whose diff is printed in full (default 40)")
    cmp_.add_argument("--lines", type=int, default=30,
                      help="diff lines printed per stream (default 30)")
    args = parser.parse_args(argv)
    if args.command == "capture":
        return capture(args)
    with contextlib.suppress(BrokenPipeError):
        return compare(args)
    return 1


if __name__ == "__main__":
    sys.exit(main())
