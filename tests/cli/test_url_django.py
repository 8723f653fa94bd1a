"""`routecli url` on Django tables (docs/django.md#building-urls): reverse()'s path, exit
statuses, the reasons when no pattern builds, JSON, and what reverse() does not take."""

import json
from pathlib import Path

from click.testing import CliRunner

from routecli import load
from routecli.cli.app import cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = str(ROOT / "sample_routes" / "django_urls.yaml")


def url(*args, routes=SAMPLE):
    return CliRunner().invoke(cli, ["-r", str(routes), "url", *args])


def test_names_with_namespaces_build_the_path():
    assert url("shop:item", "pk=3").stdout == "/shop/items/3/\n"
    assert url("archive", "year=2024").stdout == "/archive/2024/\n"  # a re_path()
    assert url("home").stdout == "/\n"
    assert url("user", "username=b b", "--external", "--host", "x.test").stdout == (
        "http://x.test/users/b%20b/\n")


def test_no_pattern_builds_exit_1_with_each_pattern_and_why():
    result = url("shop:item", "pk=three")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "no URL: no pattern named 'shop:item' builds from these arguments",
        "  shop/items/<int:pk>/ [sample_routes/django_urls.yaml:15]: '/shop/items/three/' "
        "does not match the pattern's regex 'shop/items/(?P<pk>[0-9]+)/\\\\Z'"]
    assert url("shop:item").stderr.endswith(": needs pk\n")
    assert url("shop:item", "pk=1", "page=2").stderr.endswith(": takes no page\n")


def test_unknown_names_and_namespaces_exit_1():
    result = url("item", "pk=1")  # inside a namespace: reached only with it
    assert result.exit_code == 1
    assert result.stderr == ("no URL: no URL pattern named 'item' "
                             "(did you mean 'shop:item'?)\n")
    assert url("cart:item").stderr == "no URL: 'cart' is not a registered namespace\n"


def test_the_built_path_answered_by_another_pattern_is_a_warning():
    result = url("me")
    assert (result.exit_code, result.stdout) == (0, "/users/me/\n")
    assert "resolves to 'user'" in result.stderr


def test_json_answer():
    data = json.loads(url("shop:item", "pk=3", "--format", "json").stdout)
    assert (data["url"], data["rule"], data["source"]) == (
        "/shop/items/3/", "shop/items/<int:pk>/", "sample_routes/django_urls.yaml:15")
    refused = json.loads(url("shop:item", "--format", "json").stdout)
    assert (refused["url"], refused["refusals"][0]["reason"]) == (None, "needs pk")


def test_what_reverse_does_not_take_is_exit_2():
    method = url("shop:item", "pk=1", "--method", "POST")
    assert method.exit_code == 2 and "reverse() does not choose a pattern by method" in (
        method.stderr)
    twice = url("shop:item", "pk=1", "pk=2")
    assert twice.exit_code == 2 and "pk is given 2 times" in twice.stderr


def test_an_inline_flag_makes_every_reverse_fail_as_django_does(tmp_path):
    routes = tmp_path / "urls.yaml"
    routes.write_text("settings: {dialect: django}\nroutes:\n"
                      "  - {rule: 'a/', endpoint: a}\n"
                      "  - {regex: '(?i)^b/$', endpoint: b}\n")
    result = url("a", routes=routes)
    assert result.exit_code == 2
    assert result.stderr.startswith("routecli: Django cannot reverse any URL of this URLconf: ")


def test_an_app_name_alone_is_the_namespace_as_in_django_include(tmp_path):
    routes = tmp_path / "urls.yaml"
    routes.write_text("settings: {dialect: django}\nroutes:\n"
                      "  - include: 'blog/'\n    app_name: blog\n"
                      "    routes: [{rule: '<int:n>/', endpoint: post}]\n")
    assert url("blog:post", "n=1", routes=routes).stdout == "/blog/1/\n"
    assert [rule.endpoint for rule in load(str(routes)) if rule.kind != "include"] == [
        "blog:post"]
