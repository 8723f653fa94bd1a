"""Small builders shared by the core tests."""

from routecli.routing.model import ConverterDef, Route, RouteSet, Settings
from routecli.routing.werkzeug.table import RouteTable


def table(*rules, converters=None, **settings) -> RouteTable:
    """``table(("/x", "ep", {"methods": ["POST"]}), ...)`` → a compiled RouteTable."""
    routes = []
    for item in rules:
        rule, endpoint, *rest = item
        routes.append(Route(rule, endpoint, **(rest[0] if rest else {})))
    defs = {name: ConverterDef(name, **spec) for name, spec in (converters or {}).items()}
    return RouteTable(RouteSet(routes, Settings(**settings), defs))


def ordered(dialect: str, *items, **settings):
    """A first-match table from route-file items: ``ordered("starlette", {"rule": "/a",
    "endpoint": "a"}, {"mount": "/m", "routes": [...]})``, through the route-file schema."""
    from routecli.routing.dialects import compile_table
    from routecli.sources.schema import routeset_from_data

    data = {"settings": {"dialect": dialect, **settings}, "routes": list(items)}
    return compile_table(routeset_from_data(data, "<test>"))


def answer(tbl: RouteTable, method: str, url: str, host=None):
    """A compact answer: (200, endpoint, args) / (308, location) / (405, allowed) / (404,)."""
    res = tbl.match(method, url, host)
    if res.status == 200:
        return (200, res.endpoint, res.args)
    if res.status == 308:
        return (308, res.location)
    if res.status == 405:
        return (405, res.allowed_methods)
    return (res.status,)


def slash_matches(rule, segments) -> bool:
    """The route's pattern matches, or (strict_slashes off) Werkzeug's slash fallback makes
    it answer: a leaf not ending in a slash-spanning part takes its URLs with "/" added, a
    branch its URLs without the final "/" (never the empty path). Written out independently
    of the analysis engine, for brute-force checks of it."""
    from routecli.routing.werkzeug.explain import pattern_values

    if pattern_values(rule, segments) is not None:
        return True
    if rule.strict_slashes:
        return False
    if rule.is_branch:
        return len(segments) > 2 and pattern_values(rule, [*segments, ""]) is not None
    return (not rule.parts[-1].final and segments[-1] == ""
            and pattern_values(rule, segments[:-1]) is not None)


def request_universe(values, methods, depth: int = 3) -> list:
    """Every ``METHOD /v1/.../vk`` (and its slashed form) with up to ``depth`` segments
    drawn from ``values``, plus ``/``: the requests a diff property sweeps both tables with."""
    import itertools

    from routecli.diff.answers import Request

    paths = ["/"]
    for size in range(1, depth + 1):
        for combo in itertools.product(values, repeat=size):
            path = "/" + "/".join(combo)
            paths += [path, path + "/"]
    return [Request(m, p) for m in methods for p in paths]
