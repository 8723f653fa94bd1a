"""Random first-match route tables (route-file data) and requests made from them, shared by
the differential tests and the lint properties."""

from __future__ import annotations

import random

LITERALS = ("a", "b", "users", "me", "x.y")
PARAMS = ("{%s}", "{%s:int}", "{%s:float}", "{%s:path}", "{%s}.{%s_ext}")
VALUES = ("a", "me", "1", "007", "1.5", "-1", "x.y", "a/b", "", "ABC")
METHODS = ("GET", "POST", "PUT", "DELETE")


class Maker:
    def __init__(self, rng: random.Random, fastapi: bool) -> None:
        self.rng = rng
        self.fastapi = fastapi
        self.count = 0

    def name(self) -> str:
        self.count += 1
        return f"e{self.count}"

    def path(self, allow_empty: bool = False) -> str:
        rng = self.rng
        self.count += 1  # parameter names stay unique across prefixes and routes
        parts = []
        for _ in range(rng.randint(0 if allow_empty else 1, 3)):
            if rng.random() < 0.6:
                parts.append(rng.choice(LITERALS))
            else:
                name = f"p{self.count}_{len(parts)}"
                template = rng.choice(PARAMS)
                parts.append(template % ((name,) * template.count("%s")))
        text = "/" + "/".join(parts)
        if parts and rng.random() < 0.25:
            text += "/"
        return text

    def route(self) -> dict:
        rng = self.rng
        item = {"rule": self.path(), "endpoint": self.name()}
        roll = rng.random()
        if roll < 0.5:
            item["methods"] = sorted(rng.sample(METHODS, rng.randint(1, 2)))
        elif roll < 0.55 and not self.fastapi:
            item["methods"] = "*"
        if self.fastapi and "{" in item["rule"] and rng.random() < 0.5:
            names = [piece.split("}")[0] for piece in item["rule"].split("{")[1:]]
            plain = [n for n in names if ":" not in n]
            if plain:
                item["params"] = {rng.choice(plain): rng.choice(("int", "float"))}
        return item

    def items(self, depth: int = 0) -> list:
        out = []
        for _ in range(self.rng.randint(1, 6 if depth == 0 else 3)):
            roll = self.rng.random()
            if depth < 2 and roll < 0.15:
                out.append({"mount": self.path(allow_empty=True).rstrip("/") or "",
                            "routes": self.items(depth + 1),
                            **({"redirect_slashes": False} if self.rng.random() < 0.2 else {})})
            elif depth < 2 and roll < 0.2 and self.fastapi:
                prefix = self.path().rstrip("/")
                out.append({"include": prefix if prefix != "/" else "/inc",
                            "routes": self.items(depth + 1)})
            elif roll < 0.23 and not self.fastapi:
                out.append({"mount": "/" + self.rng.choice(LITERALS), "app": self.name()})
            else:
                out.append(self.route())
        return out


def requests_for(data: dict, rng: random.Random) -> list[tuple[str, str]]:
    """Requests made from the table's own templates: values substituted, slashes toggled."""
    templates = []

    def walk(items, prefix):
        for item in items:
            if "routes" in item:
                walk(item["routes"], prefix + (item.get("mount") or item.get("include") or ""))
            elif "rule" in item:
                templates.append(prefix + item["rule"])
            else:
                templates.append(prefix + item["mount"] + "/x")
    walk(data["routes"], "")
    out = []
    for template in templates:
        for _ in range(3):
            parts = template.split("{")
            url = parts[0]
            for part in parts[1:]:
                url += rng.choice(VALUES) + part.split("}", 1)[1]
            roll = rng.random()
            if roll < 0.2:
                url = url.rstrip("/") if url.endswith("/") and url != "/" else url + "/"
            if url.startswith("//") or not url.startswith("/"):
                url = "/" + url.lstrip("/")  # "//x" would be a host to the test client
            out.append((rng.choice(METHODS + ("HEAD", "PATCH")), url))
    return out


def table_data(seed: int, fastapi: bool, maker: type | None = None) -> dict:
    """A random table of seed ``seed``; ``maker`` (default :class:`Maker`) draws its
    routes from the seed's generator after the settings."""
    rng = random.Random(seed)
    settings = {"dialect": "fastapi" if fastapi else "starlette"}
    if rng.random() < 0.2:
        settings["redirect_slashes"] = False
    if fastapi and rng.random() < 0.5:
        settings.update(openapi_url=None)
    return {"settings": settings, "routes": (maker or Maker)(rng, fastapi).items()}


def groups_in_includes(items: list, inside: bool = False) -> bool:
    """Whether a FastAPI table includes a router holding a mount or host: FastAPI 0.136
    and earlier drop those, so such a route file describes only FastAPI 0.137+."""
    return any((inside and ("mount" in item or "host" in item))
               or groups_in_includes(item.get("routes", []), inside or "include" in item)
               for item in items)
