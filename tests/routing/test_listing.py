"""Route selection and ordering (routecli.select) and near-miss explanations."""

import pytest

from helpers import table
from routecli.routing.serialize import route_row, shown_methods
from routecli.routing.werkzeug.explain import (
    explain,
    matching_rules,
    pattern_values,
    priority_reason,
)
from routecli.select import order, priority_ranks, select


@pytest.fixture
def blog():
    return table(
        ("/", "index"),
        ("/blog/posts/<post_id>", "get_blog_post"),
        ("/blog/post/<int:post_id>", "show_post"),
        ("/blog/new", "new_post", {"methods": ["GET", "POST"]}),
        ("/admin/<path:rest>", "admin", {"methods": None}),
        ("/endpoint", "post_or_put", {"methods": ["POST", "PUT", "DELETE"]}),
    )


def names(rules):
    return [r.endpoint for r in rules]


def test_method_filter_includes_any_method_rules_and_head(blog):
    assert names(select(blog, methods=["post"])) == ["new_post", "admin", "post_or_put"]
    assert "index" in names(select(blog, methods=["HEAD"]))


def test_endpoint_glob_and_grep(blog):
    assert names(select(blog, endpoint="*post*")) == ["get_blog_post", "show_post", "new_post",
                                                      "post_or_put"]
    assert names(select(blog, grep=r"<int:")) == ["show_post"]
    assert names(select(blog, grep="DELETE")) == ["post_or_put"]


def test_path_filter_is_pattern_match_any_method(blog):
    assert names(select(blog, path="/blog/post/7")) == ["show_post"]
    assert names(select(blog, path="/admin/a/b?x=1")) == ["admin"]
    assert names(select(blog, path="/endpoint")) == ["post_or_put"]


def test_sorts(blog):
    assert names(order(blog, list(blog), "rule"))[0] == "index"
    assert names(order(blog, list(blog), "endpoint"))[0] == "admin"
    assert names(order(blog, list(blog), "definition", reverse=True))[0] == "post_or_put"
    with pytest.raises(ValueError, match="unknown sort key"):
        order(blog, list(blog), "nope")


def test_priority_order_puts_static_before_dynamic_and_int_before_string():
    t = table(("/<x>", "string"), ("/<int:x>", "int"), ("/about", "static"),
              ("/<path:p>", "path"))
    ranked = names(order(t, list(t), "priority"))
    assert ranked == ["static", "int", "string", "path"]
    assert len(priority_ranks(t)) == 4


def test_shown_methods_hide_implicit_ones():
    t = table(("/a", "a"), ("/b", "b", {"methods": ["GET", "HEAD"]}), ("/c", "c",
              {"methods": None}))
    a, b, c = t.rules
    assert shown_methods(a) == ["GET"]
    assert shown_methods(a, all_methods=True) == ["GET", "HEAD", "OPTIONS"]
    assert shown_methods(b) == ["GET", "HEAD"]
    assert shown_methods(c) == ["*"]


def test_route_row_fields():
    t = table(("/all/", "all", {"defaults": {"page": 1}, "subdomain": "www"}))
    row = route_row(t.rules[0])
    assert row == {"rule": "/all/", "endpoint": "all", "methods": ["GET"],
                   "defaults": {"page": 1}, "host": None, "subdomain": "www",
                   "strict_slashes": True, "redirect_to": None, "source": None, "view": None}


def test_pattern_values_and_matching_rules(blog):
    segments = ["", "", "blog", "post", "12"]
    rule = blog.rules[2]
    assert pattern_values(rule, segments) == ["12"]
    assert pattern_values(rule, ["", "", "blog", "post", "x"]) is None
    assert names(matching_rules(blog, "/blog/posts/x")) == ["get_blog_post"]


def test_explain_reasons():
    t = table(("/blog/post/<int:post_id>", "show"), ("/blog/posts/<x>", "posts"),
              ("/login", "login", {"methods": ["POST"]}), ("/n/<int(max=10):n>", "small"),
              ("/dir/", "dir"))
    kinds = {m.rule.endpoint: (m.kind, m.reason) for m in explain(t, t.match("GET",
                                                                             "/blog/post/foo"))}
    assert kinds["show"][0] == "segment" and "'foo' does not match" in kinds["show"][1]
    assert kinds["posts"] == ("segment", "segment 2: 'post' is not 'posts'")
    (miss,) = explain(t, t.match("GET", "/login"))
    assert miss.kind == "method" and "allows OPTIONS, POST" in miss.reason
    (miss,) = explain(t, t.match("GET", "/n/50"))
    assert miss.kind == "converter" and "refused '50'" in miss.reason
    misses = explain(t, t.match("GET", "/login/"))
    assert misses[0].kind == "slash" and "without the trailing slash" in misses[0].reason


def test_explain_shadowed_names_the_winner_and_why():
    t = table(("/users/me", "me"), ("/users/<name>", "user"))
    (miss,) = explain(t, t.match("GET", "/users/me"))
    assert miss.kind == "shadowed" and "'/users/me' wins" in miss.reason
    assert "static text beats a variable" in miss.reason
    assert priority_reason(t, t.rules[0], t.rules[1]) == "static text beats a variable at segment 2"


def test_explain_host_mismatch():
    t = table(("/", "api", {"subdomain": "api"}), ("/x", "x"), server_name="example.com")
    misses = explain(t, t.match("GET", "http://example.com/"))
    assert [(m.rule.endpoint, m.kind) for m in misses] == [("api", "host")]
    assert "subdomain 'api'" in misses[0].reason
