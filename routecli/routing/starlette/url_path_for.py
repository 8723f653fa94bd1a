"""Starlette's ``url_path_for``: the path a route name and parameters build (docs/dialects.md#building-urls).

The walk is Starlette's own, over the compiled routers: the first item in declaration
order that builds wins. A route builds when the name is its own and the parameters are
exactly its own (no query string: one value too many and it refuses). A named Mount or
Host builds itself from ``path=`` under its own name, and hands ``"name:child"`` on to its
routes with the prefix's parameters taken out; an unnamed one hands every name on. The
quirks come along: a Mount's own parameter left out stays ``{x}`` in the path, a Mount
drops the host of a Host under it, and a convertor refusing a value stops the whole walk
(Starlette raises there, it does not try the next route).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlunsplit

from routecli.errors import RouteError
from routecli.routing.ordered import name_apart

# Starlette's path_format placeholders: "{name}" (convertors already removed)
_PLACEHOLDER = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)}")
_TEMPLATE_PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-zA-Z_][a-zA-Z0-9_]*)?}")


class NoMatchFound(RouteError):
    """No route of the name builds from these parameters (Starlette's ``NoMatchFound``)."""

    def __init__(self, name: str, params: dict) -> None:
        names = ", ".join(params)
        super().__init__(f'No route exists for name "{name}" and params "{names}".')
        self.name = name
        self.params = params


class ConvertorRefusal(RouteError):
    """A convertor's ``to_string`` refused a value: Starlette raises, the walk stops."""


class BuiltPath(str):
    """The path built (Starlette's ``URLPath``), with its ``protocol`` ("http",
    "websocket", or "" for a Mount or Host built by its own name) and ``host``."""

    protocol: str
    host: str
    entry: Any  # the routing entry that built it

    def __new__(cls, path: str, protocol: str = "", host: str = "", entry: Any = None):
        path = path.replace("\\", "%5C")
        if path.startswith("//"):
            path = "/%2F" + path[2:]  # a leading "//" would read as a host
        built = super().__new__(cls, path)
        built.protocol, built.host, built.entry = protocol, host, entry
        return built

    def absolute(self, base: str = "http://localhost") -> str:
        """The absolute URL against ``base`` (``URLPath.make_absolute_url``, what
        ``request.url_for`` answers): the route's protocol, secure when the base is, and
        the Host route's host, else the base's."""
        scheme, netloc, base_path = _split_base(base)
        secure = scheme in ("https", "wss")
        if self.protocol == "http":
            scheme = "https" if secure else "http"
        elif self.protocol == "websocket":
            scheme = "wss" if secure else "ws"
        return urlunsplit((scheme, self.host or netloc, base_path.rstrip("/") + self, "", ""))


def _split_base(base: str) -> tuple[str, str, str]:
    scheme, sep, rest = base.partition("://")
    if not sep:
        raise RouteError(f"invalid base URL {base!r}: expected scheme://host[/path]")
    netloc, slash, path = rest.partition("/")
    return scheme, netloc, slash + path


def _replace(template: str, convertors: dict, params: dict[str, Any]) -> tuple[str, dict]:
    """Starlette's ``replace_params``: fill the placeholders ``params`` has, leave the
    others as ``{name}``; returns the path and the parameters left over (``params``
    itself, emptied of the used ones)."""
    path_format = _TEMPLATE_PARAM.sub(lambda match: "{" + match.group(1) + "}", template)
    if not params:
        return path_format, params
    parts = _PLACEHOLDER.split(path_format)
    for index in range(1, len(parts), 2):
        key = parts[index]
        if key in params:
            value = params.pop(key)
            convertor = convertors[key]
            try:
                parts[index] = convertor.to_string(value)
            except Exception as exc:  # an app's own to_string may raise anything  # noqa: BLE001
                raise ConvertorRefusal(f"the {convertor.name} convertor of {{{key}}} refuses "
                                       f"{value!r}: {exc or type(exc).__name__}") from None
        else:
            parts[index] = "{" + key + "}"
    return "".join(parts), params


def route_name(entry: Any) -> str | None:
    """The name ``url_path_for`` knows a route or group by: its ``name``, else (a
    route) its endpoint, as Starlette names a route after its endpoint function."""
    name = entry.route.name
    if name is None and entry.kind not in ("mount", "app", "host"):
        return entry.endpoint
    return name


def _route(item: Any, name: str, params: dict[str, Any]) -> BuiltPath:
    if name != route_name(item.entry) or set(params) != set(item.convertors):
        raise NoMatchFound(name, params)
    path, _ = _replace(item.template, item.convertors, dict(params))
    return BuiltPath(path, "websocket" if item.websocket else "http", entry=item.entry)


def _children(item: Any) -> list:
    return item.router.items if item.router is not None else []


def _mount(item: Any, name: str, params: dict[str, Any]) -> BuiltPath:
    own = route_name(item.entry)
    params = dict(params)
    if own is not None and name == own and "path" in params:
        params["path"] = str(params["path"]).lstrip("/")
        path, left = _replace(item.template, item.convertors, params)
        if not left:
            return BuiltPath(path, entry=item.entry)
    elif own is None or name.startswith(own + ":"):
        rest = name if own is None else name[len(own) + 1:]
        given_path = params.get("path")
        params["path"] = ""
        prefix, left = _replace(item.template, item.convertors, params)
        if given_path is not None:
            left["path"] = given_path
        for child in _children(item):
            try:
                built = build_item(child, rest, left)
            except NoMatchFound:
                continue
            return BuiltPath(prefix.rstrip("/") + built, built.protocol, entry=built.entry)
    raise NoMatchFound(name, params)


def _host(item: Any, name: str, params: dict[str, Any]) -> BuiltPath:
    own = route_name(item.entry)
    params = dict(params)
    if own is not None and name == own and "path" in params:
        path = params.pop("path")
        host, left = _replace(item.template, item.convertors, params)
        if not left:
            return BuiltPath(str(path), host=host, entry=item.entry)
    elif own is None or name.startswith(own + ":"):
        rest = name if own is None else name[len(own) + 1:]
        host, left = _replace(item.template, item.convertors, params)
        for child in _children(item):
            try:
                built = build_item(child, rest, left)
            except NoMatchFound:
                continue
            return BuiltPath(built, built.protocol, host=host, entry=built.entry)
    raise NoMatchFound(name, params)


def build_item(item: Any, name: str, params: dict[str, Any]) -> BuiltPath:
    """What one router item's ``url_path_for(name, **params)`` gives."""
    if not hasattr(item, "router"):
        return _route(item, name, params)
    return _host(item, name, params) if item.host else _mount(item, name, params)


def url_path_for(router: Any, name: str, params: dict[str, Any]) -> BuiltPath:
    """``Router.url_path_for(name, **params)`` over a compiled router: the first item
    that builds, else :class:`NoMatchFound`; :class:`ConvertorRefusal` when a convertor
    refuses a value on the way."""
    for item in router.items:
        try:
            return build_item(item, name, params)
        except NoMatchFound:
            continue
    raise NoMatchFound(name, params)


# -- routecli url: text values, the answer, and why no route builds -------------------


def named_items(router: Any, outer: str = "", taken: frozenset[str] = frozenset()
                ) -> list[tuple[str, Any, frozenset[str]]]:
    """Every route and named group with the full name ``url_path_for`` reaches it by
    (``"mount:child"``), and the parameters the groups above it take, in order."""
    out: list[tuple[str, Any, frozenset[str]]] = []
    for item in router.items:
        name = route_name(item.entry)
        full = outer + name if name is not None else None
        if full is not None:
            out.append((full, item, taken))
        if hasattr(item, "router") and item.router is not None:
            prefix = outer if name is None else full + ":"
            own = frozenset(key for key in item.convertors if key != "path")
            out.extend(named_items(item.router, prefix, taken | own))
    return out


def url_names(table: Any) -> list[tuple[str, str, list[str]]]:
    """Every name ``url_path_for`` builds, with the item's path and the parameters it
    takes (its groups' first; ``path`` for a Mount or Host by its own name)."""
    out = []
    for full, item, taken in named_items(table.router):
        params = [*sorted(taken), *(key for key in item.convertors if key not in taken)]
        if hasattr(item, "router") and "path" not in params:
            params.append("path")
        out.append((full, item.entry.rule, params))
    return out


def _reason(item: Any, taken: frozenset[str], given: set[str]) -> str:
    """Why ``item`` (reached by its full name) refuses the parameters ``given``."""
    if hasattr(item, "router"):  # a Mount or Host by its own name
        own = set(item.convertors)
        if "path" not in given:
            return "needs path (the path under the " + (
                "host" if item.host else "mount") + ")"
    else:
        own = set(item.convertors)
    missing = sorted(own - given)
    extra = sorted(given - own - taken)
    if missing:
        return "needs " + ", ".join(missing)
    if extra:
        return "takes no " + ", ".join(extra) + " (url_path_for builds no query string)"
    return "cannot be built from these parameters"


def build_url(table: Any, name: str, values: dict, method: str | None = None,
              host: str | None = None, *, force_external: bool = False) -> Any:
    """``routecli url`` for a Starlette/FastAPI table: ``url_path_for(name, **values)``
    with the command line's text values (as a program passing strings gets it), a
    :class:`~routecli.routing.url_answer.UrlAnswer`. The URL is the path, absolute
    (``request.url_for``, on ``host`` or localhost) with ``force_external`` or when a
    Host route gives it a host of its own. Raises RouteError for a method (url_path_for
    takes none) or a name given twice."""
    from routecli.routing.url_answer import Refusal, UrlAnswer, check_plain_request

    check_plain_request("url_path_for", method, values, "a route", "parameter")
    answer = UrlAnswer(name, values, None)
    base = f"http://{host or 'localhost'}"
    try:
        built = table.url_path_for(name, **values)
    except ConvertorRefusal as exc:
        answer.error = f"a convertor refuses a value: {exc.message}"
        return answer
    except NoMatchFound:
        named = named_items(table.router)
        mine = [(item, taken) for full, item, taken in named if full == name]
        if not mine:
            answer.error = f"no route named {name!r}"
            answer.suggest(list(dict.fromkeys(full for full, _, _ in named)))
        else:
            answer.error = f"no route named {name!r} builds from these parameters"
            answer.refusals = [Refusal(item.entry, _reason(item, taken, set(values)))
                               for item, taken in mine]
        return answer
    answer.rule = built.entry
    answer.url = built.absolute(base) if force_external or built.host else str(built)
    answer.warning = round_trip_warning(table, built, base)
    return answer


def round_trip_warning(table: Any, built: BuiltPath, base: str) -> str | None:
    """A warning when the built path is not answered by the route that built it:
    ``url_path_for`` never checks (an earlier route takes it first, a value the
    convertor's regex refuses, a mount parameter left as ``{x}``)."""
    entry = built.entry
    if entry is None or not entry.is_route or entry.kind == "app":
        return None  # a Mount or Host built by its own name: its app decides
    methods = entry.methods
    method = "GET" if not methods or "GET" in methods else min(methods)
    url = built.absolute(base)
    try:
        result = table.match(method, url)
    except RouteError:
        return None
    if result.status == 200 and result.rule is entry:
        return None
    why = f": {result.reason}" if result.reason else ""
    if result.rule is entry:
        answered = f"answered {result.status} by {entry.endpoint!r} itself{why}"
    elif result.rule is not None and result.status != 307:
        answered = (f"answered {result.status} by {result.rule.endpoint!r} "
                    f"({result.rule.rule}, #{result.rule.position}), not by "
                    f"{name_apart(entry.endpoint, entry, result.rule.endpoint)}{why}")
    else:
        answered = f"answered {result.status}, not by {entry.endpoint!r}{why}"
    return (f"{method} {built} is {answered}; url_path_for builds this path all the same")
