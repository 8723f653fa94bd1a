"""Every dialect refuses a method that is no HTTP token with the same RouteError, and takes
any case of a real one (routing/urls.check_method)."""

import pytest

from routecli.errors import RouteError
from routecli.routing.dialects import compile_table
from routecli.sources.schema import routeset_from_data

ROUTES = {"werkzeug": "/a", "starlette": "/a", "fastapi": "/a", "django": "a"}


@pytest.mark.parametrize("dialect", sorted(ROUTES))
def test_a_bad_method_is_refused_alike(dialect):
    data = {"routes": [{"rule": ROUTES[dialect], "endpoint": "a", "methods": ["GET"]}]}
    if dialect != "werkzeug":
        data["settings"] = {"dialect": dialect}
    table = compile_table(routeset_from_data(data, "<data>"), dialect)
    for bad in ("G T", "", "GET\n"):
        with pytest.raises(RouteError, match=r"^invalid HTTP method "):
            table.match(bad, "/a")
    assert table.match("get", "/a").status == table.match("GET", "/a").status
