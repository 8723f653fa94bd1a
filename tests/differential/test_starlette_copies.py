"""Copies of a Starlette route whose language is approximate (under a Mount whose prefix
holds a ``path`` convertor, which can split a path several ways) against Starlette itself:
lint calls the later copies dead as one RL203 group, and Starlette never answers them."""

from __future__ import annotations

import pytest

pytest.importorskip("starlette")

from starlette_oracle import answer, build_app, client_for, routecli_answer  # noqa: E402

from routecli.routing.dialects import compile_table  # noqa: E402
from routecli.sources.schema import routeset_from_data  # noqa: E402

COPIES = [{"rule": "/same/{x:int}", "endpoint": f"c{i}"} for i in range(4)]
DATA = {"settings": {"dialect": "starlette"}, "routes": [
    {"mount": "/{rest:path}/v", "routes": [*COPIES, {"rule": "/same/{x}", "endpoint": "broad"}]},
    {"rule": "/{rest:path}/v/same/{x:int}", "endpoint": "after"},
]}
REQUESTS = ["/a/v/same/1", "/a/b/v/same/2", "/a/v/v/same/3", "/a/v/same/x", "/v/same/1",
            "//v/same/1", "/a/v/same/-1"]


def test_later_copies_are_one_dead_group_and_starlette_never_answers_them():
    table = compile_table(routeset_from_data(DATA, "<copies>"))
    entries = [e for e in table.rules if e.endpoint.startswith("c")]
    assert entries and not any(e.exact for e in entries)  # the approximate case
    report = table.lint()
    assert report.stats["model_disagreements"] == 0
    dead = [[r.endpoint for r in f.routes] for f in report.findings if f.code == "RL203"]
    assert dead == [["c1", "c2", "c3", "c0"]]
    client = client_for(build_app(DATA))
    for url in REQUESTS:
        theirs = answer(client, "GET", url)
        assert routecli_answer(table, "GET", url) == theirs, url
        assert theirs[1] not in {"c1", "c2", "c3"}, url
