"""docs/django.md's route-file example loads and answers as the page says."""

from __future__ import annotations

from pathlib import Path

import yaml

from routecli.routing.django.build import converters_from_data, patterns_from_data
from routecli.routing.django.table import DjangoSettings, DjangoTable

DOC = Path(__file__).resolve().parents[2] / "docs" / "django.md"


def test_route_file_example():
    data = yaml.safe_load(DOC.read_text().split("```yaml\n")[1].split("```")[0])
    options = {k: v for k, v in data["settings"].items() if k != "dialect"}
    table = DjangoTable(patterns_from_data(data["routes"],
                                           converters_from_data(data["converters"])),
                        DjangoSettings(**options))
    item = table.match("GET", "/shop/items/3/")
    assert (item.endpoint, item.rule.rule, item.args) == ("shop:item", "shop/items/<int:pk>/",
                                                          {"pk": 3})
    assert table.match("POST", "/login").location == "/login/"
    assert table.match("GET", "/login/").allowed_methods == ["POST"]
    assert table.match("GET", "/k/4/").args == {"id": "fixed"}
