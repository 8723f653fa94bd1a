"""The dialect seam: route sets become tables through routing.dialects only."""

import pytest

import routecli
from routecli.errors import RouteError
from routecli.routing.dialects import DIALECTS, compile_table, table_class
from routecli.routing.model import Route, RouteSet
from routecli.routing.werkzeug.table import RouteTable


def test_werkzeug_is_the_default_dialect_and_routecli_load_uses_the_seam(tmp_path):
    assert table_class() is RouteTable
    table = compile_table(RouteSet([Route("/a/<int:x>", "a")]))
    assert isinstance(table, RouteTable)
    assert table.match("GET", "/a/7").args == {"x": 7}
    path = tmp_path / "r.yaml"
    path.write_text("routes:\n  - {rule: /a, endpoint: a}\n")
    assert isinstance(routecli.load(str(path)), RouteTable)


def test_every_registered_dialect_resolves_to_a_table_class():
    for name in DIALECTS:
        cls = table_class(name)
        assert callable(cls.match) and callable(cls.build)


def test_unknown_dialect_is_a_route_error_naming_the_known_ones():
    with pytest.raises(RouteError, match=r"unknown dialect 'rails' \(known: werkzeug\)"):
        table_class("rails")
