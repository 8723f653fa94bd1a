"""Paths reach a Starlette app as sent: "//users" is not "/users" (an ASGI server strips
no slashes, unlike Werkzeug). Found by the first-match witness property (seed 8032)."""

import pytest
from starlette_oracle import answer, build_app, client_for, routecli_answer

from routecli.routing.dialects import compile_table
from routecli.sources.schema import routeset_from_data

DATA = {"settings": {"dialect": "fastapi", "redirect_slashes": False}, "routes": [
    {"rule": "/{p:path}/users", "endpoint": "deep"},
    {"mount": "", "routes": [{"rule": "/users", "endpoint": "users"}]},
]}


@pytest.mark.parametrize("method, url", [("GET", "//users"), ("HEAD", "//users"),
                                         ("GET", "/users"), ("GET", "///users"),
                                         ("GET", "/%2Fusers")])
def test_leading_slashes_are_kept_as_the_framework_keeps_them(method, url):
    table = compile_table(routeset_from_data(DATA, "<data>"), "fastapi")
    client = client_for(build_app(DATA))
    assert routecli_answer(table, method, url) == answer(client, method, url)
