"""Generated REST-like route tables for benchmarks (deterministic)."""

from __future__ import annotations

import random

RESOURCES = ["users", "repos", "orgs", "teams", "issues", "pulls", "comments", "gists", "events",
             "projects", "releases", "hooks", "keys", "labels", "milestones", "commits",
             "branches", "tags", "invitations", "deployments"]
ACTIONS = ["edit", "history", "stats", "members", "settings", "export", "archive", "star"]


def rest_routes(count: int, seed: int = 1) -> list[tuple[str, list[str], str]]:
    """``count`` routes as (rule, methods, endpoint): versioned resources, nested
    sub-resources with int/string ids, some static pages and a few catch-alls."""
    rng = random.Random(seed)
    routes: list[tuple[str, list[str], str]] = []
    seen: set[str] = set()
    n = 0
    while len(routes) < count:
        n += 1
        version = f"v{rng.randint(1, max(1, count // 400))}"
        resource = rng.choice(RESOURCES) + (str(rng.randint(1, count // 50)) if count > 500
                                             else "")
        sub = rng.choice(RESOURCES)
        kind = rng.random()
        if kind < 0.25:
            rule = f"/api/{version}/{resource}"
            methods = ["GET", "POST"]
        elif kind < 0.55:
            rule = f"/api/{version}/{resource}/<int:{resource}_id>"
            methods = ["GET", "PUT", "DELETE"]
        elif kind < 0.8:
            rule = f"/api/{version}/{resource}/<int:id>/{sub}/<name>"
            methods = ["GET"]
        elif kind < 0.95:
            rule = f"/api/{version}/{resource}/<int:id>/{rng.choice(ACTIONS)}"
            methods = ["POST"]
        elif kind < 0.99:
            rule = f"/pages/{resource}/{rng.choice(ACTIONS)}.html"
            methods = ["GET"]
        else:
            rule = f"/files/{resource}/<path:p>"
            methods = ["GET"]
        if rule in seen:
            continue
        seen.add(rule)
        routes.append((rule, methods, f"ep{len(routes)}"))
    return routes


def sample_requests(routes, count: int, seed: int = 2):
    """(kind, method, path) requests: static hits, dynamic hits, 404s and 405s."""
    rng = random.Random(seed)
    statics = [r for r in routes if "<" not in r[0]]
    dynamics = [r for r in routes if "<" in r[0]]
    out = []
    for i in range(count):
        if statics:
            rule, methods, _ = rng.choice(statics)
            out.append(("static", methods[0], rule))
        if dynamics:
            rule, methods, _ = rng.choice(dynamics)
            out.append(("dynamic", methods[0], fill(rule, rng)))
            rule, methods, _ = rng.choice(dynamics)
            out.append(("405", "PATCH", fill(rule, rng)))
        out.append(("404", "GET", f"/api/v9/nothing{i}/here"))
    return out


def fill(rule: str, rng: random.Random) -> str:
    import re

    def value(match):
        spec = match.group(1)
        if spec.startswith("int:"):
            return str(rng.randint(1, 99999))
        if spec.startswith("path:"):
            return "a/b/c.txt"
        return rng.choice(["alice", "main", "x1", "readme"])

    return re.sub(r"<([^>]+)>", value, rule)


def as_data(routes) -> dict:
    """The route-file mapping for a generated table."""
    return {"routes": [{"rule": r, "endpoint": e, "methods": m} for r, m, e in routes]}


def corpus_routes(path: str) -> list[tuple[str, list[str], str]]:
    """A shared corpus (METHOD PATH lines) grouped by path, first-appearance order."""
    grouped: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                method, rule = line.split()
                methods = grouped.setdefault(rule, [])
                if method not in methods:
                    methods.append(method)
    return [(rule, methods, f"ep{i}") for i, (rule, methods) in enumerate(grouped.items())]
