"""Random first-match route tables (Starlette and Django route-file data) and one random
edit of each (add, remove, reorder, change a convertor, methods, slashes), shared by the
routecli diff property tests (tests/diff)."""

import re

from hypothesis import strategies as st

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


def first_match_table(dialect, items, options):
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
