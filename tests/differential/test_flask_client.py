"""Differential tests: routecli must answer every request exactly as Flask does.

Hypothesis generates random route tables and requests derived from them; the same table is
built in Flask (tests/flask_oracle.py) and in routecli (``RouteTable.from_data``), and each
request must get the same path, status, endpoint, rule, args (with their types: 1, 1.0,
True and "1" differ), allowed_methods and location.  Tables Flask refuses to build are
skipped for matching, and routecli must refuse exactly those tables with a ``RouteError``.

Scale: the whole file runs in about 30 s on 2 cores.  ``ROUTECLI_DIFF_EXAMPLES=5000 pytest
tests/differential/test_flask_client.py`` runs that many examples in every ``@given`` test instead.

Exclusions (inputs that are never generated, or answers that are not compared):
* requests Flask answers with 500 are skipped (``event`` records the exception).  They
  are rare here: a redirect whose target cannot be built (an alias or redirect_defaults
  target whose converter's ``to_url`` rejects the matched value: ``int("abc")``, an
  ``any`` non-member) - Werkzeug does not catch that ValueError;
* ``redirect_to`` only uses placeholders that name a converter variable of its own rule
  that no default overrides (anything else is a KeyError/ValueError 500 in Werkzeug);
* int values longer than 4300 digits are not generated (a 500 on Werkzeug 3.1.8; 3.1.9
  answers 404 - see test_int_over_4300_digits), nor floats that overflow to ``inf``
  (Flask's view arg is ``float("inf")``, which JSON cannot carry);
* websocket rules are not generated: an HTTP request whose only match is a websocket rule
  gets Werkzeug's 400, a status the contract does not have;
* URLs never contain raw control characters (urlsplit and browsers strip tab/newline);
  a newline reaches a rule only as ``%0A``;
* ``source`` is not compared, nor ``args`` of a 308 (the contract leaves them open).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from generated_tables import (
    COMMON_SETTINGS,
    CUSTOM_CONVERTERS,
    ENDPOINTS,
    check_build_agreement,
    check_requests,
    examples,
    routecli_table,
    shapes,
    short,
    tables,
)
from hypothesis import event, given, note, settings
from hypothesis import strategies as st

from flask_oracle import FlaskOracle, comparable


@settings(max_examples=examples(600), **COMMON_SETTINGS)
@given(table=tables("plain"), data=st.data())
def test_plain_tables_agree_with_flask(table, data):
    check_requests(table, data)


@settings(max_examples=examples(250), **COMMON_SETTINGS)
@given(table=tables("subdomain"), data=st.data())
def test_subdomain_tables_agree_with_flask(table, data):
    check_requests(table, data)


@settings(max_examples=examples(250), **COMMON_SETTINGS)
@given(table=tables("host"), data=st.data())
def test_host_matching_tables_agree_with_flask(table, data):
    check_requests(table, data)


@settings(max_examples=examples(400), **COMMON_SETTINGS)
@given(table=tables("plain", max_routes=3), data=st.data())
def test_small_tables_agree_with_flask(table, data):
    """Two or three rules: the shrinker's favourite size, and dense collisions."""
    check_requests(table, data)


# --------------------------------------------------------------------------------------
# Tables Flask refuses
# --------------------------------------------------------------------------------------

BAD_RULES = [
    "foo", "/<a", "/<1a>", "/<a-b>", "/<int:>", "/< a >", "/a<b", "/<int()>", "/<foo:x>",
    "/<a>/<int:a>", "/<a>-<a>", "/<None>", "/<True:x>", "/<string(2,5):x>", "/<any(1, 2):x>",
    "/<int(min=-5):x>", "/<int(x=1):x>", "/<string(a,,b):x>", "/<any(a)b):x>",
]
ODD_BUT_VALID_RULES = [
    "/<class>", "/<any(1,2):x>", "/<string(2):x>", "/<path(1):x>", "/<uuid(x=1):u>",
    "/<any(\"a)b\"):x>", "/<any('a>b'):x>", "/a>b", "/<int(min=a):x>", "/<int():x>",
    "/<string(maxlength=2, minlength=1):x>", "/<any(u'a', r'b'):x>", "/<int(007):x>",
    "/<float(1e3):x>", "/<slug(3):x>",
]
GRAMMAR_CHARS = list("<>():,=' \"/_1a")


@st.composite
def mutated_rules(draw) -> str:
    """A valid rule with one grammar character inserted, deleted or replaced."""
    rule = draw(shapes()).render()
    at = draw(st.integers(0, len(rule)))
    how = draw(st.sampled_from(["insert", "delete", "replace"]))
    char = draw(st.sampled_from(GRAMMAR_CHARS))
    if how == "insert":
        return rule[:at] + char + rule[at:]
    if how == "delete":
        return rule[:at] + rule[at + 1:]
    return rule[:at] + char + rule[at + 1:]


questionable_rules = st.one_of(
    st.sampled_from(BAD_RULES), st.sampled_from(ODD_BUT_VALID_RULES), mutated_rules()
)


@st.composite
def questionable_tables(draw) -> dict[str, Any]:
    table = draw(tables(draw(st.sampled_from(["plain", "plain", "subdomain", "host"])),
                        max_routes=3))
    data = table.data
    data["converters"] = CUSTOM_CONVERTERS
    rule = draw(questionable_rules)
    route: dict[str, Any] = {"rule": rule, "endpoint": draw(st.sampled_from(ENDPOINTS))}
    if draw(st.integers(0, 9)) == 0:
        route["methods"] = "GET"  # a string, not a list: Flask's TypeError
    if table.scenario == "subdomain" and draw(st.booleans()):
        route["subdomain"] = "<a>"  # may duplicate a path variable
    data["routes"].insert(draw(st.integers(0, len(data["routes"]))), route)
    return data


@settings(max_examples=examples(600), **COMMON_SETTINGS)
@given(data=questionable_tables())
def test_routecli_refuses_exactly_what_flask_refuses(data):
    note(f"table: {json.dumps(data, ensure_ascii=False)}")
    oracle, ours = check_build_agreement(data)
    event("Flask builds it" if oracle is not None else "Flask refuses it")
    assert (oracle is None) == (ours is None)


# --------------------------------------------------------------------------------------
# Deterministic: the shared corpora, and a probe or two
# --------------------------------------------------------------------------------------

# The shared corpora, vendored so that a fresh clone tests them too.
CORPORA_DIR = Path(os.environ.get("ROUTECLI_CORPORA",
                                  Path(__file__).resolve().parents[1] / "data" / "corpora"))
CORPORA = sorted(CORPORA_DIR.glob("*.routes"))
PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def corpus_table(path: Path) -> dict[str, Any]:
    """One route per distinct path, with every method listed for it, in first-seen order."""
    methods: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        method, rule = line.split(None, 1)
        methods.setdefault(rule.strip(), [])
        if method not in methods[rule.strip()]:
            methods[rule.strip()].append(method)
    return {"routes": [{"rule": rule, "endpoint": f"r{i}", "methods": ms}
                       for i, (rule, ms) in enumerate(methods.items())]}


def fill(rule: str, n: int) -> str:
    """The rule with every placeholder filled (path converters get two segments)."""
    def value(m: re.Match) -> str:
        return f"v{n}/w{n}.txt" if m.group(1) == "path" else f"v{n}"
    return PLACEHOLDER.sub(value, rule)


def corpus_requests(data: dict[str, Any]) -> list[tuple[str, str]]:
    reqs: list[tuple[str, str]] = []
    for n, route in enumerate(data["routes"]):
        url = fill(route["rule"], n)
        for method in route["methods"]:
            reqs.append((method, url))
        reqs.append(("TRACE" if n % 2 else "PATCH", url))  # usually a 405
        toggled = url[:-1] if url.endswith("/") and len(url) > 1 else url + "/"
        reqs.append(("GET", toggled + ("?q=1" if n % 3 == 0 else "")))
        reqs.append(("OPTIONS", url))
        second = url.find("/", 1)
        if second > 0:  # a doubled slash: merge_slashes' 308
            reqs.append(("GET", url[:second] + "/" + url[second:]))
    reqs += [("GET", "/__nothing_here__"), ("GET", "//"), ("POST", "/"), ("GET", "/%E4/x")]
    return reqs


@pytest.mark.parametrize("corpus", CORPORA, ids=[p.stem for p in CORPORA])
def test_corpus_routes_agree_with_flask(corpus: Path):
    data = corpus_table(corpus)
    oracle = FlaskOracle(data)
    ours = routecli_table(data)
    mismatches = []
    for method, url in corpus_requests(data):
        expected = oracle.match(method, url)
        got = ours.match(method, url).to_dict()
        if comparable(got) != comparable(expected):
            mismatches.append(f"{method} {url}\n  flask:    {short(expected)}\n"
                              f"  routecli: {short(got)}")
    assert not mismatches, f"{len(mismatches)} mismatches, first ones:\n" + "\n".join(
        mismatches[:10])


def test_corpora_are_present():
    assert CORPORA, f"no *.routes files in {CORPORA_DIR} (set ROUTECLI_CORPORA)"


def test_int_over_4300_digits():
    """Werkzeug 3.1.8 answers 500 (int() raises ValueError); 3.1.9 answers 404."""
    data = {"routes": [{"rule": "/<int:x>", "endpoint": "i"}]}
    url = "/" + "1" * 4301
    expected = FlaskOracle(data).match("GET", url)
    got = routecli_table(data).match("GET", url).to_dict()
    assert comparable(got) == comparable(expected)
