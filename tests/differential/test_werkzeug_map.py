"""Dense random differential against a bare Werkzeug Map (fast: thousands of tables).

Complements tests/differential/test_flask_client.py (hypothesis, through Flask's test client): plain
seeded random tables that pile up the cases where the matcher backtracks — static and
dynamic siblings, slash-spanning tails, converter validation, method mismatches, slashes —
and compare routecli's answer with ``Map.bind(...).match`` for several requests each.
Scale with ROUTECLI_WZDIFF_TABLES (default 1500).
"""

import os
import random
import re
from urllib.parse import unquote

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, RequestRedirect, Rule

from routecli.errors import RouteError
from routecli.routing.model import Route, RouteSet, Settings
from routecli.routing.werkzeug.table import RouteTable

STATIC = ["a", "b", "x", "users", "me", "new", "1", "42", "a.b", "item-1", "0x"]
VARIABLES = ["<{n}>", "<int:{n}>", "<string(length=2):{n}>", "<string(minlength=2):{n}>",
             "<int(max=10):{n}>", "<int(signed=True):{n}>", "<float:{n}>", "<any(a,b):{n}>",
             "<any(x, a):{n}>", "<path:{n}>", "<uuid:{n}>", "item-<int:{n}>", "<{n}>.json",
             "<{n}>.<{m}>", "<int(fixed_digits=2):{n}>", "<string(maxlength=3):{n}>"]
METHODS = ["GET", "POST", "PUT", "DELETE"]
VALUES = ["a", "1", "42", "-3", "1.5", "x.json", "a.b", "item-7", "ab", "abcd", "12", "/", "a/b",
          "2b5b0911-fdcf-4dd2-921b-28ace88db8a0", "", "me", "new", "é", "%2F", "a//b"]
TABLES = int(os.environ.get("ROUTECLI_WZDIFF_TABLES", "1500"))


def random_rule(rng: random.Random) -> str:
    names = iter("abcdefghijklmnop")
    segments = []
    for _ in range(rng.randint(0, 3)):
        if rng.random() < 0.5:
            segments.append(rng.choice(STATIC))
        else:
            segments.append(rng.choice(VARIABLES).format(n=next(names), m=next(names)))
    rule = "/" + "/".join(segments)
    if segments and rng.random() < 0.25:
        rule += "/"
    return rule


def random_table(rng: random.Random) -> list[tuple[str, str, dict]]:
    rules = []
    for index in range(rng.randint(1, 7)):
        options: dict = {}
        roll = rng.random()
        if roll < 0.8:
            options["methods"] = rng.sample(METHODS, rng.randint(0, 2))
        else:
            options["methods"] = None
        if rng.random() < 0.15:
            options["strict_slashes"] = False
        if rng.random() < 0.1:
            options["merge_slashes"] = False
        rule = random_rule(rng)
        if rng.random() < 0.1 and "<" not in rule:
            options["defaults"] = {"page": rng.choice([1, "1"])}
        if rng.random() < 0.05:
            options["build_only"] = True
        rules.append((rule, rng.choice(["e1", "e2", "e3", f"e{index}"]), options))
    return rules


def random_request(rng: random.Random, rules) -> tuple[str, str]:
    if rng.random() < 0.8:
        path = re.sub(r"<[^>]*>", lambda _: rng.choice(VALUES), rng.choice(rules)[0])
    else:
        path = "/" + "/".join(rng.choice(STATIC + VALUES) for _ in range(rng.randint(0, 3)))
    if rng.random() < 0.2:
        path = path + "/" if not path.endswith("/") else path[:-1]
    if rng.random() < 0.1:
        path = path.replace("/", "//", 1)
    return rng.choice(METHODS + ["HEAD", "OPTIONS", "PATCH"]), path or "/"


def werkzeug_answer(rules, settings, method, path):
    url_map = Map(strict_slashes=settings.get("strict_slashes", True),
                  merge_slashes=settings.get("merge_slashes", True),
                  redirect_defaults=settings.get("redirect_defaults", True))
    for rule, endpoint, options in rules:
        options = dict(options)
        if options.get("methods") is not None:
            options["methods"] = set(options["methods"]) | {"OPTIONS"}  # Flask's automatic
        url_map.add(Rule(rule, endpoint=endpoint, **options))
    decoded = "/" + unquote(path).lstrip("/")
    try:
        endpoint, args = url_map.bind("localhost").match(decoded, method)
        return (200, endpoint, args)
    except RequestRedirect as exc:
        return (308, exc.new_url.replace("http://localhost", "", 1))
    except MethodNotAllowed as exc:
        return (405, sorted(exc.valid_methods))
    except NotFound:
        return (404,)


def routecli_answer(table, method, path):
    result = table.match(method, path)
    if result.status == 200:
        return (200, result.endpoint, result.args)
    if result.status == 308:
        return (308, result.location)
    if result.status == 405:
        return (405, result.allowed_methods)
    return (result.status,)


@pytest.mark.parametrize("chunk", range(10))
def test_random_tables_answer_like_werkzeug(chunk):
    compared = 0
    for seed in range(chunk * TABLES // 10, (chunk + 1) * TABLES // 10):
        rng = random.Random(seed)
        rules = random_table(rng)
        settings = {}
        if rng.random() < 0.2:
            settings["strict_slashes"] = False
        if rng.random() < 0.1:
            settings["merge_slashes"] = False
        if rng.random() < 0.1:
            settings["redirect_defaults"] = False
        try:
            Map([Rule(rule, endpoint=endpoint, **options) for rule, endpoint, options in rules])
        except Exception:  # noqa: BLE001 - Werkzeug refuses it: routecli must too
            with pytest.raises(RouteError):
                RouteTable(RouteSet([Route(r, e, **o) for r, e, o in rules], Settings(**settings)))
            continue
        table = RouteTable(RouteSet([Route(r, e, **o) for r, e, o in rules], Settings(**settings)))
        for _ in range(6):
            method, path = random_request(rng, rules)
            expected = werkzeug_answer(rules, settings, method, path)
            assert routecli_answer(table, method, path) == expected, (seed, rules, settings,
                                                                     method, path)
            compared += 1
    assert compared >= 3 * (TABLES // 10)  # most tables are valid and get requests
