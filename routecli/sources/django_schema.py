"""The route-file schema of the ``django`` dialect (docs/django.md#route-files).

Items are patterns, in URLconf order::

    {rule: 'items/<int:pk>/', endpoint: item}               # path()
    {regex: '^items/(?P<pk>[0-9]+)/$', endpoint: item}       # re_path()

with optional ``view`` (dotted path), ``methods`` (the view accepts only these, in this
``Allow`` order; absent: any method), ``kwargs`` (extra kwargs, a mapping),
``append_slash: false`` (``@no_append_slash``) and ``noqa``; or includes::

    {include: 'shop/', namespace: shop, app_name: shop, kwargs: {...}, routes: [...]}
    {include_regex: '^shop/', routes: [...]}                 # re_path() prefix

What Django refuses when it builds or first resolves a pattern (an unknown converter, a
parameter name that is no identifier, whitespace in ``<...>``, an invalid regex) is
reported at the pattern's line when the table compiles.
"""

from __future__ import annotations

from typing import Any

from routecli.routing.dialects import get
from routecli.routing.model import Group, Route, RouteSet
from routecli.sources.ordered_schema import _OrderedValidator
from routecli.sources.route_file import describe
from routecli.sources.schema import ExplicitSettings, LineOf

PATTERN_KEYS = ("rule", "regex", "endpoint", "view", "methods", "kwargs", "append_slash",
                "noqa")
INCLUDE_KEYS = ("include", "include_regex", "namespace", "app_name", "kwargs", "routes",
                "noqa")

# Route.extra of a pattern that sets nothing else, shared by such routes (README.md#performance).
_REGEX_ONLY: dict[bool, dict[str, Any]] = {False: {"regex": False}, True: {"regex": True}}


def parse_routeset(data: Any, origin: str, line_of: LineOf | None = None
                   ) -> tuple[RouteSet, ExplicitSettings]:
    """Validate a ``settings: {dialect: django}`` route file."""
    return _DjangoValidator(origin, line_of, get("django")).routeset(data)


class _DjangoValidator(_OrderedValidator):
    def item(self, data: Any, keys: tuple) -> Route | Group:
        if not isinstance(data, dict):
            raise self.fail(keys, "expected a mapping with 'rule' (or 'regex') and "
                                  f"'endpoint', or an 'include', got {describe(data)}")
        if "include" in data or "include_regex" in data:
            return self.include(data, keys)
        if "mount" in data or "host" in data:
            kind = "mount" if "mount" in data else "host"
            raise self.fail(keys + (kind,), f"the Django dialect has no {kind!r} groups "
                                            "(it has: include)")
        return self.pattern(data, keys)

    def pattern(self, data: dict, keys: tuple) -> Route:
        self.check_keys(data, keys, PATTERN_KEYS)
        if ("rule" in data) == ("regex" in data):
            raise self.fail(keys, "a pattern has either 'rule' (path() syntax) or 'regex' "
                                  "(re_path()), not both" if "rule" in data else
                                  "missing required key 'rule' (or 'regex' for re_path())")
        regex = "regex" in data
        text = self.expect(data["regex" if regex else "rule"], keys + (
            "regex" if regex else "rule",), str)
        if "endpoint" not in data and "view" not in data:
            raise self.fail(keys, "missing required key 'endpoint' (the URL name; or "
                                  "'view' for a pattern without one)")
        endpoint = self.expect(data.get("endpoint"), keys + ("endpoint",), str, nullable=True)
        view = self.expect(data.get("view"), keys + ("view",), str, nullable=True)
        methods = None
        if "methods" in data:
            methods = self.shared_list("methods", data["methods"], keys + ("methods",))
            if methods == ():
                raise self.fail(keys + ("methods",), "an empty method list refuses every "
                                                     'request; write methods: "*" for any')
        extra: dict[str, Any] = {"regex": regex}
        if "kwargs" in data:
            kwargs = self.expect(data["kwargs"], keys + ("kwargs",), dict)
            self.json_value(kwargs, keys + ("kwargs",))
            extra["kwargs"] = kwargs
        if "append_slash" in data:
            extra["append_slash"] = self.expect(data["append_slash"],
                                                keys + ("append_slash",), bool)
        noqa = (self.shared_list("noqa", data["noqa"], keys + ("noqa",))
                if "noqa" in data else ())
        if len(extra) == 1:  # most patterns: one shared dict (never changed once built)
            extra = _REGEX_ONLY[regex]
        return Route(text, endpoint or "", methods, name=endpoint, view=view,
                     source=self.source(keys), noqa=noqa, extra=extra)

    def include(self, data: dict, keys: tuple) -> Group:
        self.check_keys(data, keys, INCLUDE_KEYS)
        if "include" in data and "include_regex" in data:
            raise self.fail(keys, "an include has either 'include' (a path() prefix) or "
                                  "'include_regex' (a re_path() prefix), not both")
        regex = "include_regex" in data
        key = "include_regex" if regex else "include"
        prefix = self.expect(data[key], keys + (key,), str)
        options: dict[str, Any] = {"regex": regex}
        for name in ("namespace", "app_name"):
            if name in data:
                options[name] = self.expect(data[name], keys + (name,), str, nullable=True)
        if options.get("namespace") and not options.get("app_name"):
            options["app_name"] = options["namespace"]  # include((patterns, name), name)
        elif options.get("app_name") and not options.get("namespace"):
            # include((patterns, app_name)): the instance namespace defaults to app_name
            options["namespace"] = options["app_name"]
        if "kwargs" in data:
            options["kwargs"] = self.expect(data["kwargs"], keys + ("kwargs",), dict)
            self.json_value(options["kwargs"], keys + ("kwargs",))
        if "noqa" in data:
            options["noqa"] = self.shared_list("noqa", data["noqa"], keys + ("noqa",))
        if "routes" not in data:
            raise self.fail(keys, "missing required key 'routes' (the include's patterns)")
        routes = self.items(data["routes"], keys + ("routes",))
        return Group("include", prefix, routes, options, self.source(keys),
                     options.get("namespace"))
