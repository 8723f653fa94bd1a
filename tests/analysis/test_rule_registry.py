"""The registry and the rules agree: every documented code can be emitted (a table below
produces it), every code a rule module can emit is documented, and a code is written once,
in its rule's declaration (docs/lint.md#rules)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import ordered, table
from routecli.analysis import conflicts, lint
from routecli.analysis.registry import FAMILIES, RULES
from routecli.analysis.rule import Rule

ANALYSIS = Path(__file__).resolve().parents[2] / "routecli" / "analysis"
_ELEVEN = "-".join(f"<int:a{i}>" for i in range(11))

# code -> (how it is reported, the table that produces it)
EXAMPLES = {
    "RL101": (lint, lambda: table(("/blog/<int:post_id>", "show_post"),
                                  ("/blog/<int:id>", "show_entry"))),
    "RL102": (lint, lambda: table(("/p/<any(a,b):x>", "pick"), ("/p/<y>", "page"))),
    "RL103": (lint, lambda: table(("/u/<y>", "user"), ("/u/<uuid:x>", "by_uuid"))),
    "RL104": (conflicts, lambda: table(("/users/me", "me"), ("/users/<id>", "user"))),
    "RL105": (lint, lambda: table(("/<entity>/me", "me"), ("/books/<id>", "book"))),
    "RL106": (lint, lambda: table(("/users/me", "me"),
                                  ("/users/<id>", "user", {"methods": ["GET", "DELETE"]}))),
    "RL107": (lint, lambda: table(("/a", "leaf"), ("/a/", "branch"))),
    "RL108": (lint, lambda: table(("/<x>", "page"), ("/b/", "b"))),
    "RL110": (lint, lambda: table(("/n/<int(max=10):a>", "small"), ("/n/<s>", "name"))),
    "RL111": (lint, lambda: table(("/<path:a>/x/<path:b>", "two"))),
    "RL112": (lint, lambda: table(("/<any(1,2):x>", "pick"))),
    "RL113": (lint, lambda: table((f"/{_ELEVEN}", "many"))),
    "RL114": (lint, lambda: table(("/<path(maxlength=20):p>", "tail"))),
    "RL115": (lint, lambda: table(("/x", "x", {"methods": ["GET", "PSOT"]}))),
    "RL116": (lint, lambda: table(("/old/<slug>", "old", {"redirect_to": "new/<slug>"}))),
    "RL117": (lint, lambda: table(("/a/<int:id>", "show"), ("/b/<name>", "show"))),
    "RL118": (lint, lambda: table(("/", "api", {"subdomain": "api"}))),
    "RL119": (lint, lambda: table(("/api/2.0/mlflow/runs/search", "search"),
                                  ("/api/2.0mlflow/runs/list", "runs"))),
    "RL120": (lint, lambda: table(("/x/<evil:v>", "x"),
                                  converters={"evil": {"regex": "(a+)+$"}})),
    "RL198": (conflicts, lambda: table(("/<a>/x", "ax"), ("/y/<b>", "yb"), ("/y/x", "yx"))),
    "RL199": (lint, lambda: table(("/t/<twice:x>", "twice"), ("/t/<y>", "y"),
                                  converters={"twice": {"regex": r"(?=ab)[a-z]+"}})),
    "RL201": (lint, lambda: ordered("fastapi", _r("/users/{user_id}", "user"),
                                    _r("/users/me", "me"))),
    "RL202": (lint, lambda: ordered("starlette", _r("/a/{i:int}", "by_int"),
                                    _r("/a/{x}.{y}", "dotted"), _r("/a/{f:float}", "by_float"))),
    "RL203": (lint, lambda: ordered("starlette", _r("/items/{id}", "show"),
                                    _r("/items/{name}", "by_name"))),
    "RL204": (lint, lambda: ordered("fastapi", _r("/users/{id}", "user", ["GET", "DELETE"]),
                                    _r("/users/me", "me", ["GET", "PUT"]))),
    "RL205": (lint, lambda: ordered("starlette", _r("/{entity}/me", "me"),
                                    _r("/books/{id}", "book"))),
    "RL206": (conflicts, lambda: ordered("starlette", _r("/users/me", "me"),
                                         _r("/users/{user_id}", "user"))),
    "RL210": (lint, lambda: ordered("starlette", _r("/items", "list_items"),
                                    _r("/items", "create_item", ["POST"]))),
    "RL211": (lint,
              lambda: ordered("fastapi", _r("/health", "health"))),
    "RL212": (lint, lambda: ordered("fastapi", _r("/docs", "my_docs"))),
    "RL213": (lint, lambda: ordered("fastapi", _r("users", "users"))),
    "RL214": (lint, lambda: ordered("fastapi", _r("/items/{i:int}", "by_number"),
                                    _r("/items/{i:str}", "by_name"))),
    "RL215": (lint, lambda: _lost_table()),
    "RL301": (lint, lambda: _django({"include": "api/", "routes": [_r("<path:rest>", "proxy")]},
                                    _r("api/health/", "health"))),
    "RL302": (lint, lambda: _django({"regex": "anywhere/", "endpoint": "a"})),
    "RL303": (lint, lambda: _django(_r("/lead", "lead"))),
    "RL304": (lint, lambda: _django(_r("login/", "login", ["POST"]))),
}


def _django(*items):
    from routecli.routing.dialects import compile_table
    from routecli.sources.schema import routeset_from_data

    return compile_table(routeset_from_data({"settings": {"dialect": "django"},
                                             "routes": list(items)}, "urls.yaml"))


def _r(rule: str, endpoint: str, methods=None) -> dict:
    return {"rule": rule, "endpoint": endpoint, **({"methods": methods} if methods else {})}


def _lost_table():
    from routecli.routing.dialects import compile_table
    from routecli.routing.model import Route, RouteSet

    return compile_table(RouteSet([Route("/items/late", "late", ("GET",), kind="lost")],
                                  dialect="fastapi"))


def test_every_emittable_code_has_an_example():
    emittable = {code for code, rule in RULES.items() if not rule.reserved}
    assert emittable == set(EXAMPLES)


def test_reserved_codes_are_never_run():
    for rule in RULES.values():
        if rule.reserved:
            assert rule.check is None and rule.describe_pair is None and not rule.enabled
            assert rule.default_severity == "off"


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_every_documented_code_is_emitted(code):
    report_of, build = EXAMPLES[code]
    found = [f for f in report_of(build()).findings if f.code == code]
    assert found, code
    assert {f.severity for f in found} <= {"error", "warning", "info"}


def test_every_rule_is_registered_once():
    declared = [value for family in FAMILIES for value in vars(family).values()
                if isinstance(value, Rule)]
    assert len(declared) == len(RULES)
    assert all(RULES[rule.code] is rule for rule in declared)
    assert list(RULES) == sorted(RULES)


def test_codes_are_written_only_in_rule_declarations():
    # A finding's code comes from its Rule object: a literal "RLxxx" anywhere else in the
    # modules that make findings could emit a code the registry does not document.
    # (Selection only filters findings; its docstrings quote codes as examples.)
    literal = re.compile(r"""(["'])(RL\d{3})\1""")
    declaration = re.compile(r"""^\w+ = Rule\(\n\s+["'](RL\d{3})["']""", re.M)
    for path in sorted(ANALYSIS.rglob("*.py")):
        if "selection" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        declared = declaration.findall(text)
        assert sorted(code for _, code in literal.findall(text)) == sorted(declared), path
        assert set(declared) <= set(RULES), path
