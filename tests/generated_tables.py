"""Random route tables and requests for the differential tests (hypothesis strategies).

Shared by tests/differential/test_flask_client.py (tables built in Flask from route
data) and tests/differential/test_flask_apps.py (the same tables as live Flask apps).
See test_flask_client.py's docstring for what is generated and what is excluded.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from hypothesis import HealthCheck, assume, event, note
from hypothesis import strategies as st

from flask_oracle import FlaskOracle, comparable


def examples(default: int) -> int:
    """max_examples for one @given test; ROUTECLI_DIFF_EXAMPLES overrides it."""
    env = os.environ.get("ROUTECLI_DIFF_EXAMPLES")
    return int(env) if env else default


COMMON_SETTINGS: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much,
                              HealthCheck.data_too_large],
}
REQUESTS_PER_TABLE = 10

# --------------------------------------------------------------------------------------
# Vocabulary: small on purpose, so rules and requests collide.
# --------------------------------------------------------------------------------------

WORDS = ["a", "b", "api", "new", "edit", "users", "42", "x.json", "item-1", "page"]
VAR_NAMES = ["a", "b", "c", "id", "name", "p", "slug", "page"]
ENDPOINTS = ["e0", "e1", "e2", "e3", "e4", "e5"]
ROUTE_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
REQUEST_METHODS = ["GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
                   "BREW", "get"]
PATH_SAFE = "/!$&'()*+,;=:@~"

# converter text in the rule -> the family of values that exercise it
CONVERTERS: dict[str, str] = {
    "": "string",
    "string": "string",
    "default": "string",
    "string(minlength=2)": "string",
    "string(length=3)": "string",
    "string(maxlength=2)": "string",
    "string(2)": "string",
    "int": "int",
    "int(min=3)": "int",
    "int(max=10)": "int",
    "int(min=2,max=50)": "int",
    "int(signed=True)": "int",
    "int(fixed_digits=2)": "int",
    "int(signed=True, fixed_digits=3)": "int",
    "float": "float",
    "float(signed=True)": "float",
    "float(max=5.5)": "float",
    "path": "path",
    "any(a,b)": "any",
    "any('x','new')": "any",
    "any(edit, new)": "any",
    "any('a.b','x+y')": "any-escaped",
    "uuid": "uuid",
    "slug": "slug",
    "upper": "upper",
    "twoseg": "twoseg",
}
CUSTOM_CONVERTERS = {
    "slug": {"regex": "[a-z0-9-]+"},
    "upper": {"regex": "[A-Z]+", "weight": 50},
    "twoseg": {"regex": "[a-z]+/[a-z]+", "weight": 150},  # "/": spans segments
}
VALUES: dict[str, list[str]] = {
    "string": ["v", "ab", "abc", "new", "edit", "x.json", "a.b", "héllo", "a b", "42"],
    "int": ["0", "5", "42", "007", "-3", "-07", "10", "99", "05", "٤٢", "1234567"],
    "float": ["1.5", "0.0", "-2.5", "10.25", "5.5", "1", "1.", ".5", "1e3"],
    "path": ["a", "a/b", "a/b/c", "x.json", "a//b", "a/", "new/edit", "a/b.json"],
    "any": ["a", "b", "x", "new", "edit", "c"],
    "any-escaped": ["a.b", "x+y", "axb", "xxy"],  # an unescaped "." or "+" would match these
    "uuid": ["2b5b0911-fdcf-4dd2-921b-28ace88db8a0", "2B5B0911-FDCF-4DD2-921B-28ACE88DB8A0",
             "2b5b0911fdcf4dd2921b28ace88db8a0"],
    "slug": ["ab-1", "x", "AB", "a_b"],
    "upper": ["AB", "Ab", "X"],
    "twoseg": ["ab/cd", "ab", "a/b/c", "ab/CD"],
}
GENERIC_VALUES = ["x", "new", "42", "-1", "1.5", "a.b", "é", "a b", "a/b", "", "٤٢", "a+b",
                  "?", "#", "%", "\n", "page"]
QUERIES = ["", "", "", "", "", "", "?q=1", "?a=%20b&c=", "?", "#frag", "?q=1#frag", "?x=%2F",
           "?q=é", "?q=a b|c"]


# --------------------------------------------------------------------------------------
# Rule shapes
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lit:
    text: str


@dataclass(frozen=True)
class Var:
    conv: str
    name: str

    @property
    def family(self) -> str:
        return CONVERTERS[self.conv]

    def render(self) -> str:
        return f"<{self.conv}:{self.name}>" if self.conv else f"<{self.name}>"


@dataclass(frozen=True)
class Shape:
    """A rule as segments of pieces; renders to the rule string."""

    segments: tuple[tuple[Lit | Var, ...], ...]
    trailing: bool

    def render(self) -> str:
        body = "/".join(
            "".join(p.text if isinstance(p, Lit) else p.render() for p in seg)
            for seg in self.segments
        )
        if not self.segments:
            return "/"
        return "/" + body + ("/" if self.trailing else "")

    @property
    def variables(self) -> list[Var]:
        return [p for seg in self.segments for p in seg if isinstance(p, Var)]


@dataclass
class GenRoute:
    shape: Shape
    data: dict[str, Any]


@dataclass
class Table:
    scenario: str
    routes: list[GenRoute]
    data: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:  # what a failing example prints: the route-file data
        return f"Table({self.scenario!r}, {json.dumps(self.data, ensure_ascii=False)})"


# A segment template: "{}" marks a variable.
MIXED_TEMPLATES = ["item-{}", "{}.json", "{}.{}", "{}{}", "v{}x", "{}-{}"]

converters = st.sampled_from(list(CONVERTERS))
words = st.sampled_from(WORDS)


@st.composite
def segments(draw, names) -> tuple[Lit | Var, ...]:
    """One path segment: static text, one converter, or literals mixed with converters.

    Now and then an empty static segment: a rule with "//", which merge_slashes collapses.
    """
    kind = draw(st.sampled_from(["static"] * 6 + ["var"] * 6 + ["mixed"] * 2 + ["empty"]))
    if kind == "static":
        return (Lit(draw(words)),)
    if kind == "empty":
        return (Lit(""),)
    if kind == "var":
        return (Var(draw(converters), next(names)),)
    template = draw(st.sampled_from(MIXED_TEMPLATES))
    pieces: list[Lit | Var] = []
    for i, literal in enumerate(template.split("{}")):
        if i:
            pieces.append(Var(draw(converters), next(names)))
        if literal:
            pieces.append(Lit(literal))
    return tuple(pieces)


@st.composite
def shapes(draw, max_segments: int = 3) -> Shape:
    names = iter(draw(st.permutations(VAR_NAMES)))
    count = draw(st.integers(0, max_segments))
    segs = tuple(draw(segments(names)) for _ in range(count))
    return Shape(segs, trailing=draw(st.booleans()))


def maybe(strategy, chance_in_4: int = 1):
    """None most of the time, else a value from strategy."""
    return st.one_of(*([st.none()] * (4 - chance_in_4)), *([strategy] * chance_in_4))


ABSENT = object()
method_lists = st.lists(st.sampled_from(ROUTE_METHODS), max_size=3, unique=True)
route_methods = st.one_of(
    st.just(ABSENT), st.just(ABSENT), st.just(ABSENT), method_lists, method_lists, method_lists,
    st.just("*"), st.sampled_from(["*", []]),
)
default_values = st.sampled_from([1, 2, "1", "x", "new", 0])


@st.composite
def redirect_targets(draw, shape: Shape, defaults: dict[str, Any]) -> str:
    """A redirect_to string whose placeholders are this rule's own, non-defaulted variables."""
    usable = [v.name for v in shape.variables if v.name not in defaults]
    placeholder = f"<{draw(st.sampled_from(usable))}>" if usable and draw(st.booleans()) else ""
    base = draw(st.sampled_from(["/moved/", "moved/", "http://elsewhere.org/", "/"]))
    return base + placeholder


@st.composite
def routes(draw, scenario: str) -> GenRoute:
    shape = draw(shapes())
    route: dict[str, Any] = {"rule": shape.render(), "endpoint": draw(st.sampled_from(ENDPOINTS))}
    methods = draw(route_methods)
    if methods is not ABSENT:
        route["methods"] = methods
    names = [v.name for v in shape.variables]
    defaults: dict[str, Any] = {}
    if draw(st.integers(0, 5)) == 0:
        keys = draw(st.lists(st.sampled_from(names + ["page", "lang"]), min_size=1, max_size=2,
                             unique=True))
        defaults = {k: draw(default_values) for k in keys}
        route["defaults"] = defaults
    for option in ("strict_slashes", "merge_slashes"):
        value = draw(maybe(st.booleans()))
        if value is not None:
            route[option] = value
    if draw(st.integers(0, 9)) == 0:
        route["alias"] = True
    if draw(st.integers(0, 19)) == 0:
        route["build_only"] = True
    if draw(st.integers(0, 9)) == 0:
        route["redirect_to"] = draw(redirect_targets(shape, defaults))
    pao = draw(st.sampled_from([None] * 8 + [False, True]))
    if pao is not None:
        route["provide_automatic_options"] = pao
    if scenario == "subdomain":
        sub = draw(st.sampled_from([None, None, "", "api", "<user>", "<int:n>"]))
        if sub is not None:
            route["subdomain"] = sub
    elif scenario == "host":
        host = draw(st.sampled_from([None, "example.com", "example.com", "example.com",
                                     "api.example.com", "<sub>.example.com", "example.com:8080"]))
        if host is not None:
            route["host"] = host
    return GenRoute(shape, route)


@st.composite
def defaults_families(draw, scenario: str) -> list[GenRoute]:
    """`/p/` {page: 1} + `/p/page/<int:page>` on one endpoint: redirect_defaults' home turf."""
    prefix = draw(words)
    endpoint = draw(st.sampled_from(ENDPOINTS))
    value = draw(st.sampled_from([1, 1, "1", 2]))
    index = Shape(((Lit(prefix),),), trailing=True)
    paged = Shape(((Lit(prefix),), (Lit("page"),), (Var("int", "page"),)), trailing=False)
    family = [
        GenRoute(index, {"rule": index.render(), "endpoint": endpoint, "defaults": {"page": value}}),
        GenRoute(paged, {"rule": paged.render(), "endpoint": endpoint}),
    ]
    if scenario == "host":  # a rule without host never matches under host_matching
        for member in family:
            member.data["host"] = "example.com"
    return family if draw(st.booleans()) else family[::-1]


def mostly_true():
    return st.sampled_from([True, True, True, False])


@st.composite
def table_settings(draw, scenario: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("strict_slashes", "merge_slashes", "redirect_defaults", "automatic_options"):
        value = draw(mostly_true())
        if not value or draw(st.booleans()):
            out[name] = value
    if scenario == "subdomain":
        out["server_name"] = "example.com"
        default_subdomain = draw(st.sampled_from(["", "", "www"]))
        if default_subdomain:
            out["default_subdomain"] = default_subdomain
    elif scenario == "host":
        out["host_matching"] = True
    return out


@st.composite
def tables(draw, scenario: str, max_routes: int = 6) -> Table:
    table_routes = draw(st.lists(routes(scenario), min_size=1, max_size=max_routes))
    if draw(st.integers(0, 3)) == 0:
        family = draw(defaults_families(scenario))
        at = draw(st.integers(0, len(table_routes)))
        table_routes[at:at] = family
    data: dict[str, Any] = {"settings": draw(table_settings(scenario))}
    if draw(st.integers(0, 7)):  # now and then they are missing: Flask's LookupError
        data["converters"] = CUSTOM_CONVERTERS
    data["routes"] = [r.data for r in table_routes]
    return Table(scenario, table_routes, data)


# --------------------------------------------------------------------------------------
# Requests derived from a table
# --------------------------------------------------------------------------------------


def encode(text: str, style: str) -> str:
    """Percent-encode decoded text for a URL path, in one of several styles."""
    if style == "plain":  # what a browser sends: "/" stays a separator
        return quote(text, safe=PATH_SAFE)
    if style == "strict":  # "/" becomes %2F, which the server decodes to "/" anyway
        return quote(text, safe="")
    if style == "every":  # every byte escaped: %61 for "a"
        return "".join(f"%{b:02X}" for b in text.encode("utf-8"))
    raise ValueError(style)


def values_for(var: Var):
    """Values for a variable: ones its converter family is about, or anything."""
    own = st.sampled_from(VALUES[var.family])
    return st.one_of(own, own, own, st.sampled_from(GENERIC_VALUES))


value_styles = st.sampled_from(["plain"] * 6 + ["strict", "every", "bad-utf8"])
BAD_UTF8 = ["%E4", "%FF", "%C3", "%C3%28"]
MUTATIONS = ["none"] * 5 + ["toggle-slash", "toggle-slash", "double-slash", "swap-segment",
                            "drop-last", "extra-segment", "leading-double"]


@st.composite
def request_paths(draw, shape: Shape) -> str:
    """A raw URL path made from a rule: its variables filled, then maybe mutated."""
    segs: list[str] = []
    for seg in shape.segments:
        text = ""
        for piece in seg:
            if isinstance(piece, Lit):
                text += encode(piece.text, "plain")
                continue
            value = draw(values_for(piece))
            style = draw(value_styles)
            if style == "bad-utf8":
                text += encode(value, "plain") + draw(st.sampled_from(BAD_UTF8))
            else:
                text += encode(value, style)
        segs.append(text)
    path = "/" + "/".join(segs)
    if shape.segments and shape.trailing:
        path += "/"
    mutation = draw(st.sampled_from(MUTATIONS))
    if mutation == "toggle-slash":
        path = path[:-1] if path.endswith("/") and len(path) > 1 else path + "/"
    elif mutation == "double-slash":
        slashes = [i for i, c in enumerate(path) if c == "/"]
        at = draw(st.sampled_from(slashes))
        path = path[:at] + "/" + path[at:]
    elif mutation == "swap-segment" and segs:
        i = draw(st.integers(0, len(segs) - 1))
        segs[i] = draw(words)
        path = "/" + "/".join(segs) + ("/" if shape.trailing else "")
    elif mutation == "drop-last" and segs:
        path = "/" + "/".join(segs[:-1])
    elif mutation == "extra-segment":
        path = path.rstrip("/") + "/" + draw(words)
    elif mutation == "leading-double":
        path = "/" + path
    return path


HOSTS = {
    "plain": [None, None, None, "example.com", "other.org:8080"],
    "subdomain": [None, "example.com", "api.example.com", "bob.example.com", "www.example.com",
                  "a.b.example.com", "EXAMPLE.com", "example.com:8080", "other.org"],
    "host": [None, "example.com", "example.com", "api.example.com", "bob.example.com",
             "example.com:8080", "Example.COM", "example.com:80", "other.org"],
}


def hosts_for(route: GenRoute, table: Table) -> list[str]:
    """The host the route's own host/subdomain rule matches, if any."""
    pattern = route.data.get("host") or route.data.get("subdomain")
    if pattern is None:
        sub = table.data["settings"].get("default_subdomain")
        return [f"{sub}.example.com"] if sub else []
    host = pattern.replace("<sub>", "bob").replace("<user>", "bob").replace("<int:n>", "7")
    if table.scenario == "subdomain":
        host = f"{host}.example.com" if host else "example.com"
    return [host]


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    host: str | None

    def __str__(self) -> str:
        return f"{self.method} {self.url!r}" + (f" host={self.host!r}" if self.host else "")


@st.composite
def requests_for(draw, table: Table) -> Request:
    route = draw(st.sampled_from(table.routes))
    path = draw(request_paths(route.shape))
    if draw(st.integers(0, 9)) == 0:  # a path no rule was made for
        path = "/" + "/".join(draw(st.lists(words, max_size=3)))
    url = path + draw(st.sampled_from(QUERIES))
    own = route.data.get("methods")
    methods = REQUEST_METHODS + (own if isinstance(own, list) else [])
    method = draw(st.sampled_from(methods))
    own_hosts = hosts_for(route, table)
    if own_hosts and draw(st.integers(0, 2)):
        host = draw(st.sampled_from(own_hosts))
    else:
        host = draw(st.sampled_from(HOSTS[table.scenario]))
    if host is not None and draw(st.booleans()):
        scheme = draw(st.sampled_from(["http", "http", "https"]))
        if url.startswith("//"):
            url = url[1:]
        return Request(method, f"{scheme}://{host}{url}", None)
    return Request(method, url, host)


# --------------------------------------------------------------------------------------
# The comparison
# --------------------------------------------------------------------------------------


def routecli_table(data: dict[str, Any]):
    from routecli import RouteTable  # the core; these tests run once it lands

    return RouteTable.from_data(data)


def check_build_agreement(data: dict[str, Any]):
    """Flask refusing the table <=> routecli raising RouteError.  Returns both tables."""
    from routecli import RouteError

    try:
        oracle, refusal = FlaskOracle(data), None
    except Exception as exc:  # noqa: BLE001 - any refusal counts
        oracle, refusal = None, exc
    try:
        table = routecli_table(data)
        routecli_error = None
    except RouteError as exc:
        table, routecli_error = None, exc
    if refusal is not None:
        event(f"Flask refuses: {type(refusal).__name__}")
        assert routecli_error is not None, (
            f"Flask refuses this table ({type(refusal).__name__}: {refusal}) "
            "but routecli.RouteTable.from_data accepted it"
        )
        return None, None
    if routecli_error is not None and any(reason in routecli_error.message
                                          for reason in DELIBERATE_REFUSALS):
        # Flask builds it, then crashes (500) or 404s every request on that rule:
        # routecli refuses it at load time on purpose (README "Semantics").
        event("routecli refuses a rule Flask would fail on at request time")
        return None, None
    assert routecli_error is None, f"Flask builds this table but routecli raised {routecli_error!r}"
    return oracle, table


# Converter arguments Werkzeug accepts when the rule is added but that make it fail
# (TypeError/re.error → 500) or never match once a request reaches it.
DELIBERATE_REFUSALS = ("is not a number", "is less than minlength")


def check_requests(table: Table, data_strategy) -> None:
    note(f"table: {json.dumps(table.data, ensure_ascii=False)}")
    oracle, ours = check_build_agreement(table.data)
    assume(oracle is not None)
    compared = 0
    for _ in range(REQUESTS_PER_TABLE):
        req = data_strategy.draw(requests_for(table))
        expected = oracle.match(req.method, req.url, host=req.host)
        if expected["status"] == 500:
            event(f"excluded: Flask 500 ({expected['error'].split(':')[0]})")
            continue
        got = ours.match(req.method, req.url, host=req.host).to_dict()
        assert comparable(got) == comparable(expected), (
            f"{req}\n  flask:    {short(expected)}\n  routecli: {short(got)}"
        )
        event(f"status {expected['status']}")
        compared += 1
    event(f"compared {min(compared, REQUESTS_PER_TABLE)} requests")


def short(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: answer.get(k) for k in ("status", "endpoint", "rule", "args", "allowed_methods",
                                       "location", "error") if answer.get(k) is not None}
