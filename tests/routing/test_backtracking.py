"""Custom converter regexes that make ``re`` backtrack for ages: the structural detector
(routecli/routing/backtracking.py) and the linear-time test the compiler puts in
front of them, which answers exactly as Werkzeug wherever Werkzeug terminates."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, Map, Rule

from helpers import table
from routecli.routing.backtracking import backtracking_risk

RISKY = ["(a+)+$", "(a|aa)+b", "(a*)*", "(\\w+\\s?)+$", "([a-z0-9]+[-_]?)+", "(.*)*x",
         "(a.|ab)+", "\\d*\\d*\\d*x", "(a|b|ab)*c", "(?i)(A+)+b"]
SAFE = ["[^/]+", "\\d+", "[a-z]+(-[a-z]+)*", "(?:ab|ac)+", "[\\w-]+", "a{2,5}",
        "[0-9a-f]{8}-[0-9a-f]{4}", "\\d+\\.?\\d*", "(-\\w+)*", "\\d+(\\.\\d+)*",
        "[^/].*?", "(?:[a-z]+/)*[a-z]+", "v\\d+", "(?>a+)+b", "(a+)++b"]


@pytest.mark.parametrize("regex", RISKY)
def test_risky_shapes_are_flagged(regex):
    assert backtracking_risk(regex)


@pytest.mark.parametrize("regex", SAFE)
def test_common_shapes_are_not_flagged(regex):
    assert backtracking_risk(regex) is None


def test_invalid_regex_is_not_this_detectors_business():
    assert backtracking_risk("(a") is None


def _werkzeug(regex: str, rules):
    class Custom(BaseConverter):
        pass

    Custom.regex = regex
    Custom.part_isolating = "/" not in regex
    return Map([Rule(rule, endpoint=endpoint) for rule, endpoint in rules],
               converters={"c": Custom}).bind("localhost")


RULES = [("/x/<c:v>", "lone"), ("/y/pre-<c:v>.html", "mixed"), ("/z/<c:v>/<int:n>", "two"),
         ("/w/<c:v>-<c:u>", "pair")]


# (?i) at the start is not allowed inside Werkzeug's part regex: scoped flags are.
@pytest.mark.parametrize("regex", [r for r in RISKY if not r.startswith("(?i)")]
                         + ["(?i:A+)+b", "(a|aa)+/?b", "(a+/?)+"])
def test_guarded_matching_equals_werkzeug_on_random_strings(regex):
    tbl = table(*RULES, converters={"c": {"regex": regex}})
    assert any(part.guard for rule in tbl.rules for part in rule.parts if not part.static)
    adapter = _werkzeug(regex, RULES)
    rng = random.Random(regex)
    alphabet = "aAb!x-_1 /\n."
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
        for path in (f"/x/{text}", f"/y/pre-{text}.html", f"/z/{text}/7", f"/w/{text}-{text}"):
            try:
                expected = adapter.match(path, method="GET")
            except HTTPException as exc:
                expected = exc.code
            result = tbl.match("GET", path)
            got = (result.endpoint, result.args) if result.status == 200 else result.status
            if expected in (301, 308):
                continue  # slash redirects: compared elsewhere, not this test's business
            assert got == expected, (regex, path)


def test_exponential_inputs_are_answered_at_once():
    tbl = table(("/x/<evil:v>", "x"), ("/y/<alt:v>", "y"), ("/z/pre-<evil:v>.html", "z"),
                converters={"evil": {"regex": "(a+)+$"}, "alt": {"regex": "(a|aa)+b"}})
    long = "a" * 5000
    assert tbl.match("GET", f"/x/{long}!").status == 404
    assert tbl.match("GET", f"/y/{long}").status == 404
    assert tbl.match("GET", f"/z/pre-{long}!.html").status == 404
    assert tbl.match("GET", f"/x/{long}").endpoint == "x"
    assert tbl.match("GET", f"/y/{long}b").endpoint == "y"


def test_match_without_risky_regex_does_not_import_the_automata():
    code = ("import sys\n"
            "from routecli.routing.model import ConverterDef, Route, RouteSet\n"
            "from routecli.routing.werkzeug.table import RouteTable\n"
            "defs = {'hex': ConverterDef('hex', regex='[0-9a-f]+')}\n"
            "t = RouteTable(RouteSet([Route('/<hex:h>', 'e')], converters=defs))\n"
            "t.match('GET', '/ff')\n"
            "print(any(m.startswith('routecli.analysis') for m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
