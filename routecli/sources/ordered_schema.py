"""The route-file schema of first-match dialects (docs/dialects.md#route-files).

A file with ``settings: {dialect: starlette}`` (or another first-match dialect) lists
routes in the order the framework tries them; an item may instead be a group that nests
routes under a prefix: ``mount:`` (a Starlette Mount, or an opaque mounted app with
``app:``), ``include:`` (FastAPI's ``include_router``), ``host:`` (a Starlette Host).
Which settings and group keys exist, and which methods a route has when it lists none,
come from the dialect's :class:`~routecli.routing.dialects.Dialect` entry; rule syntax
(parameter names, convertors) is checked when the table compiles, at each route's line.
"""

from __future__ import annotations

from typing import Any

from routecli.routing.dialects import Dialect, get
from routecli.routing.model import ConverterDef, Group, Route, RouteSet
from routecli.routing.starlette import versions
from routecli.sources.route_file import describe
from routecli.sources.schema import ExplicitSettings, LineOf, _Validator, did_you_mean

TOP_KEYS = ("settings", "converters", "routes")
ROUTE_KEYS = ("rule", "endpoint", "methods", "kind", "name", "params", "noqa", "view")
ROUTE_KINDS = ("route", "websocket", "endpoint", "docs")
GROUP_COMMON = ("routes", "app", "noqa")
# What an annotated path parameter may be declared as (FastAPI validates it after the
# route is chosen): routing/starlette/validation.py knows each.
PARAM_TYPES = ("str", "int", "float", "bool", "uuid")


def parse_routeset(data: Any, origin: str, line_of: LineOf | None = None
                   ) -> tuple[RouteSet, ExplicitSettings]:
    """Validate a first-match route file (its ``settings.dialect`` names the dialect)."""
    return _OrderedValidator(origin, line_of, get(data["settings"]["dialect"])).routeset(data)


class _OrderedValidator(_Validator):
    def __init__(self, origin: str, line_of: LineOf | None, dialect: Dialect) -> None:
        super().__init__(origin, line_of)
        self.dialect = dialect
        self.group_keys = {kind: (kind, *GROUP_COMMON, *extra)
                           for kind, extra in dialect.groups.items()}

    def routeset(self, data: dict) -> tuple[RouteSet, ExplicitSettings]:
        self.check_keys(data, (), TOP_KEYS)
        if "routes" not in data:
            raise self.fail((), "missing required key 'routes' (a list of routes)")
        options, explicit = self.options(data["settings"])
        converters = self.converters(data.get("converters"))
        routes = self.items(data["routes"], ("routes",))
        routeset = RouteSet(routes, converters=converters, sources=[self.origin],
                            dialect=self.dialect.name, options=options)
        return routeset, explicit

    def options(self, data: dict) -> tuple[dict[str, Any], ExplicitSettings]:
        keys: tuple = ("settings",)
        known = self.dialect.settings
        self.check_keys(data, keys, ("dialect", *known))
        options = {name: default for name, (_, default) in known.items()}
        explicit: ExplicitSettings = {"dialect": (self.dialect.name, self.source(keys + ("dialect",)))}
        for name, value in data.items():
            if name == "dialect":
                continue
            kind = known[name][0]
            if name.endswith("_version") and isinstance(value, (int, float)):
                raise self.fail(keys + (name,), f"write the version as a string, "
                                                f"'{value}' (YAML reads it as a number)")
            options[name] = self.expect(value, keys + (name,), kind, nullable=kind is str)
            explicit[name] = (value, self.source(keys + (name,)))
            if name.endswith("_version"):
                wrong = versions.problem(name, value)
                if wrong:
                    raise self.fail(keys + (name,), wrong)
        return options, explicit

    def converter(self, name: Any, spec: Any, keys: tuple) -> ConverterDef:
        if isinstance(spec, dict):
            self.check_keys(spec, keys, ("regex",))
        return super().converter(name, spec, keys)

    # -- routes and groups

    def items(self, data: Any, keys: tuple) -> list[Route | Group]:
        if not isinstance(data, list):
            hint = " (write routes: [] for no routes)" if data is None else ""
            raise self.fail(keys, f"expected a list of routes, got {describe(data)}{hint}")
        return [self.item(item, keys + (index,)) for index, item in enumerate(data)]

    def item(self, data: Any, keys: tuple) -> Route | Group:
        if not isinstance(data, dict):
            raise self.fail(keys, "expected a mapping with 'rule' and 'endpoint' (or a group "
                                  f"such as 'mount:'), got {describe(data)}")
        kinds = [kind for kind in self.group_keys if kind in data]
        if len(kinds) > 1:
            raise self.fail(keys, f"an item is one group: {kinds[0]!r} or {kinds[1]!r}, "
                                  "not both")
        if kinds:
            return self.group(kinds[0], data, keys)
        other_groups = [key for key in ("mount", "include", "host") if key in data]
        if other_groups:
            raise self.fail(keys + (other_groups[0],),
                            f"the {self.dialect.title} dialect has no {other_groups[0]!r} "
                            f"groups (it has: {', '.join(self.group_keys) or 'none'})")
        return self.route(data, keys)

    def route(self, data: dict, keys: tuple) -> Route:
        self.check_keys(data, keys, ROUTE_KEYS + self.dialect.route_keys)
        rule, endpoint = self.rule_and_endpoint(data, keys)
        kind = self.expect(data.get("kind", "route"), keys + ("kind",), str)
        if kind not in ROUTE_KINDS:
            raise self.fail(keys + ("kind",), f"unknown kind {kind!r}"
                                              f"{did_you_mean(kind, ROUTE_KINDS)}")
        if "methods" in data:
            methods = self.shared_list("methods", data["methods"], keys + ("methods",))
            if methods == () and self.dialect.default_methods == ("GET",):
                raise self.fail(keys + ("methods",), f"{self.dialect.title} refuses an empty "
                                                     'method list: write methods: "*"')
        else:
            methods = None if kind == "endpoint" else self.dialect.default_methods
        if kind == "websocket":
            methods = ()
        elif kind == "docs":
            methods = ("GET", "HEAD")  # FastAPI adds its docs pages as plain Starlette routes
        options: dict[str, Any] = {"kind": kind}
        for name in ("name", "view"):
            if name in data:
                options[name] = self.expect(data[name], keys + (name,), str, nullable=True)
        if "params" in data:
            options["param_types"] = self.params(data["params"], keys + ("params",))
        if "noqa" in data:
            options["noqa"] = self.shared_list("noqa", data["noqa"], keys + ("noqa",))
        extra = {}
        for name in self.dialect.route_keys:
            if name in data:
                self.json_value(data[name], keys + (name,))
                extra[name] = data[name]
        if extra:
            options["extra"] = extra
        return Route(rule, endpoint, methods, websocket=kind == "websocket",
                     source=self.source(keys), **options)

    def params(self, value: Any, keys: tuple) -> dict[str, str]:
        self.expect(value, keys, dict)
        for name, kind in value.items():
            if not isinstance(kind, str) or kind not in PARAM_TYPES:
                raise self.fail(keys + (name,), f"expected a parameter type "
                                                f"({', '.join(PARAM_TYPES)}), got "
                                                f"{describe(kind)}")
        return dict(value)

    def group(self, kind: str, data: dict, keys: tuple) -> Group:
        self.check_keys(data, keys, self.group_keys[kind])
        prefix = self.expect(data[kind], keys + (kind,), str)
        options: dict[str, Any] = {}
        for name in self.group_keys[kind][1 + len(GROUP_COMMON):]:
            if name in data:
                expected = bool if name == "redirect_slashes" else str
                options[name] = self.expect(data[name], keys + (name,), expected)
        name = options.pop("name", None)
        if "noqa" in data:
            options["noqa"] = self.shared_list("noqa", data["noqa"], keys + ("noqa",))
        if "app" in data:
            if "routes" in data:
                raise self.fail(keys, "a group has either 'routes' or 'app' (an opaque "
                                      "mounted app), not both")
            if kind != "mount":
                raise self.fail(keys + ("app",), "only a mount can hold an opaque 'app'")
            app = self.expect(data["app"], keys + ("app",), str)
            return Group(kind, prefix, [], {**options, "app": app}, self.source(keys), name)
        if "routes" not in data:
            raise self.fail(keys, f"missing required key 'routes' (the {kind}'s routes)")
        routes = self.items(data["routes"], keys + ("routes",))
        return Group(kind, prefix, routes, options, self.source(keys), name)
