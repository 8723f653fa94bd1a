"""Property test of routecli diff for the first-match dialects (issue #12, points 1 and 6):
for a random Starlette or Django table and a random edit (add, remove, reorder, change a
convertor, methods, slashes), every request whose answer differs between the two tables
(brute force over a small URL universe, asked of both tables' ``match``) is explained by
a reported change, and every reported witness really differs. Reordering is the edit
that matters most here: routes are tried in declaration order."""

import itertools
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routecli.diff import diff
from routecli.diff.answers import Request, ask
from routecli.routing.dialects import compile_table
from routecli.sources.schema import routeset_from_data

# Parameter templates: "%s" is replaced by a name unique in the table.
STARLETTE = {
    "static": ["a", "b", "me"],
    "dynamic": ["{%s}", "{%s:int}", "{%s:float}", "{%s}.{%s}"],
    "tail": "{%s:path}",
    "methods": [["GET"], ["POST"], ["GET", "POST"], ["PUT"]],
    "convertor": (re.compile(r"\{(\w+)(:\w+)?\}"), ["{%s}", "{%s:int}", "{%s:float}",
                                                     "{%s:str}"]),
}
DJANGO = {
    "static": ["a", "b", "me"],
    "dynamic": ["<%s>", "<int:%s>", "<slug:%s>", "x<int:%s>"],
    "tail": "<path:%s>",
    "methods": [["GET"], ["POST"], ["GET", "POST"], None],
    "convertor": (re.compile(r"<(?:\w+:)?(\w+)>"), ["<%s>", "<int:%s>", "<slug:%s>",
                                                    "<str:%s>"]),
}
VALUES = ["a", "b", "me", "1", "1.5", "x7", "a.b"]
METHODS = ["GET", "POST", "PUT", "HEAD"]


def _words(dialect):
    return DJANGO if dialect == "django" else STARLETTE


@st.composite
def route(draw, dialect, counter):
    words = _words(dialect)
    parts = draw(st.lists(st.sampled_from(words["static"] + words["dynamic"]),
                          min_size=0 if dialect != "django" else 1, max_size=2))
    tail = draw(st.integers(0, 6)) == 0
    if tail:
        parts.append(words["tail"])
    named = []
    for part in parts:
        names = []
        for _ in range(part.count("%s")):
            counter[0] += 1
            names.append(f"v{counter[0]}")
        named.append(part % tuple(names))
    counter[0] += 1
    slash = bool(named) and not tail and draw(st.booleans())
    text = "/".join(named) + ("/" if slash else "")
    out = {"rule": text if dialect == "django" else "/" + text,
           "endpoint": f"e{counter[0]}"}
    methods = draw(st.sampled_from(words["methods"]))
    if methods is not None:
        out["methods"] = methods
    return out


def _table(dialect, items, options):
    try:
        data = {"settings": {"dialect": dialect, **options}, "routes": items}
        return compile_table(routeset_from_data(data, "<prop>"))
    except Exception:  # noqa: BLE001 - a table the framework refuses
        return None


@st.composite
def edited(draw):
    dialect = draw(st.sampled_from(["starlette", "django"]))
    words = _words(dialect)
    counter = [0]
    old = draw(st.lists(route(dialect, counter), min_size=1, max_size=6))
    if draw(st.integers(0, 3)) == 0:  # a group: a Mount, or a Django include()
        children = draw(st.lists(route(dialect, counter), min_size=1, max_size=2))
        group = ({"mount": "/a", "routes": children} if dialect != "django"
                 else {"include": "a/", "routes": children})
        old.insert(draw(st.integers(0, len(old))), group)
    options = {}
    if draw(st.integers(0, 4)) == 0:
        options = {"redirect_slashes": False} if dialect != "django" else {"append_slash": False}
    new = [dict(item) for item in old]
    plain = [i for i, item in enumerate(new) if "rule" in item]
    edit = draw(st.sampled_from(["add", "remove", "reorder", "reorder", "convertor",
                                 "methods", "slash"]))
    i = draw(st.sampled_from(plain)) if plain else 0
    if edit == "add" or not plain:
        new.insert(draw(st.integers(0, len(new))), draw(route(dialect, counter)))
    elif edit == "remove":
        del new[i]
    elif edit == "reorder":
        new.insert(draw(st.integers(0, len(new) - 1)), new.pop(i))
    elif edit == "convertor":
        pattern, choices = words["convertor"]
        choice = draw(st.sampled_from(choices))
        new[i]["rule"] = pattern.sub(lambda m: choice % m.group(1), new[i]["rule"], count=1)
    elif edit == "methods":
        new[i]["methods"] = draw(st.sampled_from([m for m in words["methods"] if m]))
    else:
        rule = new[i]["rule"]
        if rule not in ("/", ""):
            new[i]["rule"] = rule[:-1] if rule.endswith("/") else rule + "/"
    return dialect, options, old, new


def universe():
    paths = ["/"]
    for size in (1, 2, 3):
        for combo in itertools.product(VALUES, repeat=size):
            path = "/" + "/".join(combo)
            paths += [path, path + "/"]
    return [Request(m, p) for m in METHODS for p in paths]


UNIVERSE = universe()


def responsible(table, answer, request):
    """The entries behind an answer: the one that answered or redirected; for a 404 or
    405, every entry whose own path takes the URL (a 405 lists their methods)."""
    if answer.rule is not None:
        return {id(answer.rule)}
    return {id(entry) for entry in table.matching_rules(request.url)}


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(edited())
def test_every_differing_request_is_explained(case):
    dialect, options, old_items, new_items = case
    old, new = _table(dialect, old_items, options), _table(dialect, new_items, options)
    if old is None or new is None:
        return
    report = diff(old, new, lint=False)
    involved = set()
    for change in report.changes:
        involved |= {id(change.old), id(change.new)} - {id(None)}
        if change.severity != "info":
            assert change.requests, change
        for e in change.requests:  # every reported witness really differs
            a, b = ask(old, e.request), ask(new, e.request)
            assert a.key != b.key, e
            assert e.old.key == a.key and e.new.key == b.key
    for request in UNIVERSE:
        a, b = ask(old, request), ask(new, request)
        if a is None or b is None or a.key == b.key:
            continue
        behind = responsible(old, a, request) | responsible(new, b, request)
        assert behind & involved, (
            f"{request.method} {request.url}: {a.key} -> {b.key} unexplained by "
            f"{report.changes}\nOLD {old_items}\nNEW {new_items}")
