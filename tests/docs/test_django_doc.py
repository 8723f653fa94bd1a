"""docs/django.md's route-file example loads and answers as the page says."""

from __future__ import annotations

from pathlib import Path

import yaml

from routecli.routing.dialects import compile_table
from routecli.sources.schema import routeset_from_data

DOC = Path(__file__).resolve().parents[2] / "docs" / "django.md"


def test_route_file_example():
    data = yaml.safe_load(DOC.read_text().split("```yaml\n")[1].split("```")[0])
    table = compile_table(routeset_from_data(data, "docs/django.md"))
    item = table.match("GET", "/shop/items/3/")
    assert (item.endpoint, item.rule.rule, item.args) == ("shop:item", "shop/items/<int:pk>/",
                                                          {"pk": 3})
    assert table.match("POST", "/login").location == "/login/"
    assert table.match("GET", "/login/").allowed_methods == ["POST"]
    assert table.match("GET", "/k/4/").args == {"id": "fixed"}
