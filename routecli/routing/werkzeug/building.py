"""Building URLs (``url_for``) and redirect targets, like Werkzeug's ``MapAdapter.build``.

How a rule is turned back into a URL, and where each kind of redirect points.
:mod:`routecli.routing.werkzeug.table` uses it; plain functions over a
:class:`~routecli.routing.werkzeug.binding.Bound` request and the compiled rules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote, urlencode, urljoin

from routecli.routing.werkzeug.binding import Bound, host_for, location
from routecli.routing.werkzeug.compiler import REDIRECT_PLACEHOLDER, CompiledRule
from routecli.routing.werkzeug.converters import URL_SAFE, ValidationError
from routecli.routing.werkzeug.endpoints import rule_trace

# (rule, values) -> the values as that rule takes them, or None when it cannot.
Prepare = Callable[[CompiledRule, dict], dict | None]


def redirect_location(bound: Bound, quoted_path: str, query: str, domain_part: str | None,
                      host_matching: bool) -> str:
    """Where a slash, merge-slashes or defaults redirect points (the query is kept)."""
    url = f"{bound.scheme}://{host_for(bound, domain_part, host_matching)}/"
    url += quoted_path.lstrip("/")
    if query:
        url += "?" + query
    return location(bound, url)


def redirect_to_location(table, rule: CompiledRule, args: dict, bound: Bound,
                         request: tuple[str, str, str]) -> str:
    """Where a rule's ``redirect_to`` points (the query is dropped, as in Werkzeug).
    ``request`` is (method, path, query), for a callable's adapter."""
    target = rule.redirect_to
    if isinstance(target, str):
        target = REDIRECT_PLACEHOLDER.sub(
            lambda m: rule.converters[m.group(1)].to_url(args[m.group(1)]), target)
    else:
        # The app's own callable; if it fails, the caller answers 500 as Flask does.
        target = target(AdapterShim(table, bound, *request), **args)
    netloc = f"{bound.subdomain}.{bound.server_name}" if bound.subdomain else bound.server_name
    return location(bound, urljoin(f"{bound.scheme}://{netloc}/", target))


def suitable(rule: CompiledRule, values: dict, method: str | None) -> bool:
    """Werkzeug's ``Rule.suitable_for``: can this rule build a URL from ``values``?"""
    if method is not None and rule.methods is not None and method not in rule.methods:
        return False
    defaults = rule.defaults or {}
    for key in rule.arguments:
        if key not in defaults and key not in values:
            return False
    for key, value in defaults.items():
        if key in values and value != values[key]:
            return False
    return True


def build_rule(rule: CompiledRule, values: dict) -> tuple[str, str]:
    """(domain part, quoted path) of ``rule`` filled with ``values``."""
    defaults = rule.defaults or {}
    domain: list[str] = []
    path: list[str] = []
    out = domain
    for dynamic, text in rule_trace(rule):
        if not dynamic and text == "|" and out is domain:
            out = path
            continue
        if dynamic:
            source = defaults if text in defaults else values
            out.append(rule.converters[text].to_url(source[text]))
        else:
            out.append(quote(text, safe=URL_SAFE))
    return "".join(domain), "".join(path)


def build_for_endpoint(rules: Sequence[CompiledRule], values: dict, method: str | None,
                       bound: Bound, host_matching: bool, prepare: Prepare | None = None
                       ) -> tuple[str, str, CompiledRule] | None:
    """Werkzeug's ``_partial_build``: the first suitable rule (in build order) that
    builds; with no method, GET is tried first. Returns (domain part, path, rule).
    ``prepare(rule, values)`` gives the values as that rule should see them (None: the
    rule cannot take them); without it every rule sees ``values``."""
    if method is None:
        found = build_for_endpoint(rules, values, "GET", bound, host_matching, prepare)
        if found is not None:
            return found
    first = None
    for rule in rules:
        rule_values = values if prepare is None else prepare(rule, values)
        if rule_values is not None and suitable(rule, rule_values, method):
            try:
                domain_part, path = build_rule(rule, rule_values)
            except ValidationError:
                continue
            if not host_matching or domain_part == bound.server_name:
                return domain_part, path, rule
            if first is None:
                first = (domain_part, path, rule)
    return first


def unknown_values_query(rule: CompiledRule, values: dict) -> str:
    """The query string ``url_for`` adds for values the rule does not take."""
    items = []
    for key, value in values.items():
        if key in rule.arguments or value is None:
            continue
        if isinstance(value, (list, tuple)):
            items.extend((key, item) for item in value if item is not None)
        else:
            items.append((key, value))
    return urlencode(items, safe="!$'()*,/:;?@")


class AdapterShim:
    """What a ``redirect_to`` callable gets instead of Werkzeug's ``MapAdapter``: the
    same attributes and methods, answered by routecli's table."""

    def __init__(self, table, bound: Bound, method: str = "GET", path: str = "/",
                 query: str = "") -> None:
        self._table = table
        self._bound = bound
        self.server_name = bound.server_name
        self.subdomain = bound.subdomain
        self.url_scheme = bound.scheme
        self.script_name = "/"
        self.path_info = path
        self.query_args = query
        self.default_method = method
        self.websocket = bound.scheme in ("ws", "wss")

    def get_host(self, domain_part: str | None) -> str:
        return host_for(self._bound, domain_part, self._table.settings.host_matching)

    def build(self, endpoint: Any, values: dict | None = None, method: str | None = None,
              force_external: bool = False, append_unknown: bool = True,
              url_scheme: str | None = None) -> str | None:
        return self._table.build(endpoint, values, method, self._bound.host,
                                 force_external=force_external, append_unknown=append_unknown,
                                 url_scheme=url_scheme)
