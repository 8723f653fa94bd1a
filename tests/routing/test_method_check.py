"""Every dialect refuses a method that is no HTTP token with the same RouteError, and takes
any case of a real one (routing/urls.check_method); a URL or host that is no string is
refused alike too (routing/urls.check_target), its value cut short in the message."""

import pytest

from routecli.errors import RouteError
from routecli.routing.dialects import compile_table
from routecli.sources.schema import routeset_from_data

ROUTES = {"werkzeug": "/a", "starlette": "/a", "fastapi": "/a", "django": "a"}


def _table(dialect):
    data = {"routes": [{"rule": ROUTES[dialect], "endpoint": "a", "methods": ["GET"]}]}
    if dialect != "werkzeug":
        data["settings"] = {"dialect": dialect}
    return compile_table(routeset_from_data(data, "<data>"), dialect)


@pytest.mark.parametrize("dialect", sorted(ROUTES))
def test_a_bad_method_is_refused_alike(dialect):
    table = _table(dialect)
    for bad in ("G T", "", "GET\n"):
        with pytest.raises(RouteError, match=r"^invalid HTTP method "):
            table.match(bad, "/a")
    assert table.match("get", "/a").status == table.match("GET", "/a").status


@pytest.mark.parametrize("dialect", sorted(ROUTES))
def test_a_url_or_host_that_is_no_string_is_refused_alike(dialect):
    table = _table(dialect)
    with pytest.raises(RouteError, match=r"^invalid URL b'/a': expected a string$"):
        table.match("GET", b"/a")
    with pytest.raises(RouteError, match=r"^invalid host 7: expected a string$"):
        table.match("GET", "/a", host=7)
    with pytest.raises(RouteError) as caught:
        table.match("GET", ["x" * 100_000])
    assert len(str(caught.value)) < 200
