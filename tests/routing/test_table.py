"""RouteTable.match: Flask's answers for the cases the core handles itself."""

import uuid

import pytest

from helpers import answer, table
from routecli.errors import RouteError
from routecli.routing.model import Source


def test_static_and_dynamic_and_404():
    t = table(("/blog/<x>", "dyn"), ("/blog/new", "new"))
    assert answer(t, "GET", "/blog/new") == (200, "new", {})
    assert answer(t, "GET", "/blog/abc") == (200, "dyn", {"x": "abc"})
    assert answer(t, "GET", "/nope") == (404,)


def test_static_fast_path_falls_back_to_dynamic_on_method_mismatch():
    t = table(("/x", "sp", {"methods": ["POST"]}), ("/<y>", "dg"))
    assert answer(t, "GET", "/x") == (200, "dg", {"y": "x"})
    assert answer(t, "POST", "/x") == (200, "sp", {})


def test_automatic_options_and_head():
    t = table(("/post", "p", {"methods": ["POST"]}), ("/g", "g"))
    assert answer(t, "GET", "/post") == (405, ["OPTIONS", "POST"])
    assert answer(t, "OPTIONS", "/post") == (200, "p", {})
    assert t.match("OPTIONS", "/post").automatic_options is True
    assert answer(t, "HEAD", "/g") == (200, "g", {})


def test_provide_automatic_options_false_and_setting():
    t = table(("/n", "n", {"provide_automatic_options": False}))
    assert answer(t, "OPTIONS", "/n") == (405, ["GET", "HEAD"])
    t = table(("/n", "n"), automatic_options=False)
    assert answer(t, "OPTIONS", "/n") == (405, ["GET", "HEAD"])


def test_empty_methods_only_options():
    t = table(("/none", "n", {"methods": []}))
    assert answer(t, "GET", "/none") == (405, ["OPTIONS"])


def test_any_method_rule():
    t = table(("/x", "x", {"methods": None}))
    assert answer(t, "BREW", "/x") == (200, "x", {})


def test_converted_argument_types_and_json():
    t = table(("/u/<uuid:u>/<int:n>/<float:f>", "e"))
    res = t.match("GET", "/u/2B5B0911-FDCF-4DD2-921B-28ACE88DB8A0/7/1.5")
    assert res.args == {"u": uuid.UUID("2b5b0911-fdcf-4dd2-921b-28ace88db8a0"), "n": 7, "f": 1.5}
    assert res.to_dict()["args"] == {"u": "2b5b0911-fdcf-4dd2-921b-28ace88db8a0", "n": 7,
                                     "f": 1.5}


def test_to_dict_has_exactly_the_contract_fields():
    t = table(("/a", "a", {"source": Source("r.yaml", 3)}))
    data = t.match("get", "/a?x=1").to_dict()
    assert data == {"method": "GET", "url": "/a?x=1", "path": "/a", "status": 200,
                    "endpoint": "a", "rule": "/a", "args": {}, "allowed_methods": None,
                    "location": None, "source": "r.yaml:3"}


def test_query_and_fragment_are_dropped_and_percent_decoded():
    t = table(("/blog/<x>", "b"), ("/p/<path:p>", "p"))
    assert answer(t, "GET", "/blog/a%20b?q=1#frag") == (200, "b", {"x": "a b"})
    assert answer(t, "GET", "/blog/a%2Fb") == (404,)
    assert answer(t, "GET", "/p/a%2Fb") == (200, "p", {"p": "a/b"})
    assert answer(t, "GET", "/blog/%E4") == (200, "b", {"x": "\ufffd"})
    assert answer(t, "GET", "/blog/a+b") == (200, "b", {"x": "a+b"})


def test_slash_redirect_keeps_query_and_quotes_path():
    t = table(("/dir/", "d"), ("/<x>/", "b"))
    assert answer(t, "GET", "/dir?q=1") == (308, "/dir/?q=1")
    assert answer(t, "GET", "/a%20b") == (308, "/a%20b/")
    res = t.match("GET", "/dir")
    assert res.endpoint == "d" and res.redirect == "slash"


def test_merge_slashes_redirect():
    t = table(("/blog/<x>", "b"))
    res = t.match("GET", "/blog//x")
    assert (res.status, res.location, res.redirect) == (308, "/blog/x", "merge_slashes")


def test_full_url_host_and_ports():
    t = table(("/", "main"), ("/", "user", {"subdomain": "<user>"}), server_name="example.com")
    assert answer(t, "GET", "http://bob.example.com/") == (200, "user", {"user": "bob"})
    assert answer(t, "GET", "http://example.com/") == (200, "main", {})
    assert answer(t, "GET", "http://EXAMPLE.com:80/") == (200, "main", {})
    assert answer(t, "GET", "/", host="alice.example.com") == (200, "user", {"user": "alice"})
    # No host given: the server name.
    assert answer(t, "GET", "/") == (200, "main", {})


def test_subdomain_rules_never_match_without_server_name():
    t = table(("/", "user", {"subdomain": "<user>"}))
    assert answer(t, "GET", "http://bob.example.com/") == (404,)


def test_host_matching():
    t = table(("/", "nohost"), ("/", "main", {"host": "example.com"}),
              ("/<x>", "any", {"host": "<h>.org"}), host_matching=True)
    assert answer(t, "GET", "http://example.com/") == (200, "main", {})
    assert answer(t, "GET", "http://other.org/") == (404,)
    assert answer(t, "GET", "http://other.org/z") == (200, "any", {"h": "other", "x": "z"})
    assert answer(t, "GET", "http://bücher.org/z") == (200, "any", {"h": "xn--bcher-kva",
                                                                   "x": "z"})


def test_defaults_redirect_and_zero_padding():
    t = table(("/all/", "all", {"defaults": {"page": 1}}), ("/all/page/<int:page>", "all"))
    assert answer(t, "GET", "/all/page/1?x=2") == (308, "/all/?x=2")
    assert answer(t, "GET", "/all/page/01") == (308, "/all/")
    assert answer(t, "GET", "/all/page/2") == (200, "all", {"page": 2})
    assert t.match("GET", "/all/page/1").redirect == "defaults"


def test_redirect_to_relative_absolute_and_other_host():
    t = table(("/foo/<slug>", "foo"), ("/old/<slug>", "old", {"redirect_to": "foo/<slug>"}),
              ("/ext", "ext", {"redirect_to": "https://example.org/x"}))
    assert answer(t, "GET", "/old/hi?q=1") == (308, "/foo/hi")  # redirect_to drops the query
    assert answer(t, "GET", "/ext") == (308, "https://example.org/x")


def test_redirect_to_placeholder_must_be_a_variable():
    with pytest.raises(RouteError, match="placeholder <id> is not a variable"):
        table(("/old/<slug>", "old", {"redirect_to": "/new/<id>"}))


def test_alias_redirects_to_canonical_rule():
    t = table(("/users/<int:id>", "user"), ("/u/<int:id>", "user", {"alias": True}))
    assert answer(t, "GET", "/u/5?a=b") == (308, "/users/5?a=b")
    assert t.match("GET", "/u/5").redirect == "alias"
    t = table(("/users/<int:id>", "user"), ("/u/<int:id>", "user", {"alias": True}),
              redirect_defaults=False)
    assert answer(t, "GET", "/u/5") == (200, "user", {"id": 5})


def test_build_only_never_matches():
    t = table(("/static/<path:f>", "static", {"build_only": True}))
    assert answer(t, "GET", "/static/a.css") == (404,)


def test_websocket_rules():
    t = table(("/ws", "ws", {"websocket": True}))
    assert answer(t, "GET", "ws://localhost/ws") == (200, "ws", {})
    assert t.match("GET", "/ws").status == 400
    with pytest.raises(RouteError, match="websocket rules can only use"):
        table(("/ws", "ws", {"websocket": True, "methods": ["POST"]}))


def test_validation_error_gives_404_or_405_without_fallback():
    t = table(("/<x>", "str"), ("/<int(max=10):x>", "int"))
    assert answer(t, "GET", "/50") == (404,)
    res = t.match("GET", "/50")
    assert "max" in res.reason
    t = table(("/x/9", "s9", {"methods": ["POST"]}), ("/x/<int(max=5):n>", "int"))
    assert answer(t, "GET", "/x/9") == (405, ["OPTIONS", "POST"])


def test_huge_int_is_a_404_not_a_crash():
    t = table(("/<int:n>", "n"))
    assert answer(t, "GET", "/" + "9" * 5000) == (404,)


def test_custom_converters_from_file():
    t = table(("/<slug:s>", "slug"), ("/f/<rest:r>", "rest"),
              converters={"slug": {"regex": "[a-z0-9-]+"}, "rest": {"regex": "[a-z/]+"}})
    assert answer(t, "GET", "/hello-1") == (200, "slug", {"s": "hello-1"})
    assert answer(t, "GET", "/Hello") == (404,)
    assert answer(t, "GET", "/f/a/b") == (200, "rest", {"r": "a/b"})


def test_bad_method_and_bad_host_are_input_errors():
    t = table(("/", "i"))
    with pytest.raises(RouteError, match="invalid HTTP method"):
        t.match("GE T", "/")
    with pytest.raises(RouteError, match="invalid host"):
        t.match("GET", "http://" + "a" * 70 + ".com/")


@pytest.mark.parametrize(
    "rule, kwargs, message",
    [
        ("/<a>/<int:a>", {}, "variable 'a' is used twice"),
        ("/<foo:x>", {}, "unknown converter 'foo'"),
        ("/<string(2,5):x>", {}, "is not an integer"),
        ("/<any(1, 2):x>", {}, "is not a string; quote it"),
        ("/<int(x=1):n>", {}, "unexpected keyword argument 'x'"),
        ("/<string(minlength=5, maxlength=2):x>", {}, "maxlength=2 is less than minlength=5"),
        ("/<int:a>", {"defaults": {"a": "x"}}, "default a='x' is not valid for converter 'int'"),
        ("/<any(a, b):a>", {"defaults": {"a": "c"}}, "is not valid for converter 'any'"),
    ],
)
def test_compile_errors(rule, kwargs, message):
    with pytest.raises(RouteError, match=message):
        table((rule, "e", kwargs))


def test_duplicate_variable_allowed_when_defaulted():
    # Werkzeug resolves a defaulted variable to a constant, so no duplicate argument.
    t = table(("/<a>/<a>", "e", {"defaults": {"a": "z"}}))
    assert answer(t, "GET", "/x/y") == (200, "e", {"a": "z"})


def test_build_like_url_for():
    t = table(("/users/<int:id>", "user"), ("/all/", "all", {"defaults": {"page": 1}}),
              ("/all/page/<int:page>", "all"))
    assert t.build("user", {"id": 5}) == "/users/5"
    assert t.build("all", {"page": 1}) == "/all/"
    assert t.build("all", {"page": 3}) == "/all/page/3"
    assert t.build("user", {}) is None


def test_batch_lines_stream_and_report_bad_lines():
    t = table(("/", "i"), ("/login", "login", {"methods": ["POST"]}))
    items = list(t.match_lines(["# comment", "", "/", "POST /login", "a b c", "GE@T /"]))
    assert [number for number, _ in items] == [3, 4, 5, 6]
    assert [getattr(i, "status", None) for _, i in items] == [200, 200, None, None]
    assert isinstance(items[2][1], RouteError) and "expected 'METHOD URL'" in items[2][1].message
    assert "invalid HTTP method" in items[3][1].message


def test_server_name_without_subdomain_matching_points_redirects_there():
    # Flask with SERVER_NAME but subdomain_matching off: routing ignores the host,
    # redirects go to SERVER_NAME.
    t = table(("/dir/", "d"), ("/", "user", {"subdomain": "<u>"}), server_name="example.com",
              subdomain_matching=False)
    assert answer(t, "GET", "http://localhost/dir") == (308, "http://example.com/dir/")
    assert answer(t, "GET", "http://example.com/dir") == (308, "/dir/")
    assert answer(t, "GET", "http://bob.example.com/") == (404,)


def test_server_name_redirect_matches_flask():
    from flask import Flask

    app = Flask(__name__, static_folder=None)
    app.config["SERVER_NAME"] = "example.com"
    app.add_url_rule("/dir/", "d", lambda: "")
    response = app.test_client().get("/dir", base_url="http://localhost")
    assert response.status_code == 308
    t = table(("/dir/", "d"), server_name="example.com", subdomain_matching=False)
    assert t.match("GET", "http://localhost/dir").location == response.headers["Location"]


def test_server_name_default_ports_follow_the_scheme():
    # Werkzeug drops :443 for https (and :80 for http) from the request host and SERVER_NAME.
    t = table(("/", "i"), ("/b/", "b"), ("/s", "sub", {"subdomain": "api"}),
              server_name="example.com:443")
    assert answer(t, "GET", "https://example.com/") == (200, "i", {})
    assert answer(t, "GET", "https://example.com/b") == (308, "/b/")
    assert answer(t, "GET", "https://api.example.com/s") == (200, "sub", {})
    t = table(("/b/", "b"), server_name="example.com:80")
    assert answer(t, "GET", "http://example.com/b") == (308, "/b/")


def test_invalid_server_name_is_an_input_error():
    with pytest.raises(RouteError, match="settings.server_name"):
        table(("/", "i"), server_name="a..b")


def test_invalid_hosts_are_route_errors_everywhere():
    from routecli.select import select

    t = table(("/x", "x"))
    with pytest.raises(RouteError, match="invalid host"):
        select(t, path="http://a..b/x")
    with pytest.raises(RouteError, match="invalid host"):
        t.build("x", host="a..b")


def test_non_string_method_or_url_is_a_route_error():
    t = table(("/", "i"))
    for method, url in ((["GET"], "/"), (None, "/"), ("GET", None), ("GET", b"/")):
        with pytest.raises(RouteError):
            t.match(method, url)


def test_build_appends_unknown_values_like_url_for():
    t = table(("/b/<int:n>", "b"))
    assert t.build("b", {"n": 5, "page": 2}) == "/b/5?page=2"
    assert t.build("b", {"n": 5, "tag": ["a", "b c"]}) == "/b/5?tag=a&tag=b+c"


def test_answers_do_not_share_mutable_defaults():
    t = table(("/t", "t", {"defaults": {"tags": ["a"]}}))
    first = t.match("GET", "/t")
    first.args["tags"].append("changed")
    assert t.match("GET", "/t").args == {"tags": ["a"]}
    assert t.rules[0].route.defaults == {"tags": ["a"]}


def test_websocket_mismatch_then_validation_gives_400():
    t = table(("/w/<int:n>", "ws", {"websocket": True}), ("/w/<int(max=5):m>", "small"))
    assert t.match("GET", "/w/9").status == 400


def test_a_failing_app_converter_answers_like_flask():
    # abort() in to_python answers with its status; any other exception is a 500.
    from werkzeug.exceptions import Gone

    class Broken:
        regex = "[a-z]+"
        weight = 100
        part_isolating = True

        def to_python(self, value):
            if value == "gone":
                raise Gone()
            raise KeyError(value)

        def to_url(self, value):
            return value

    from routecli.routing.model import Route, RouteSet
    from routecli.routing.werkzeug.table import RouteTable

    route = Route("/b/<x>", "b", source=Source("app.py", 7), converters={"x": Broken()})
    t = RouteTable(RouteSet([route, Route("/<path:p>", "catch_all")]))
    result = t.match("GET", "/b/abc")
    assert (result.status, result.endpoint) == (500, None)
    assert "KeyError" in result.reason
    assert t.match("GET", "/b/gone").status == 410  # no fallback to the catch-all


def test_trusted_hosts_like_flask():
    from flask import Flask

    app = Flask(__name__, static_folder=None)
    app.config["TRUSTED_HOSTS"] = [".example.com", "localhost"]
    app.add_url_rule("/", "i", lambda: "")
    client = app.test_client()
    t = table(("/", "i"), trusted_hosts=[".example.com", "localhost"])
    for base in ("http://localhost", "http://example.com", "http://api.example.com:8080",
                 "http://evil.test", "http://badexample.com"):
        flask_status = client.get("/", base_url=base).status_code
        assert t.match("GET", base + "/").status == flask_status, base
    assert "not in trusted_hosts" in t.match("GET", "http://evil.test/").reason


def test_build_like_werkzeug_adapter_build():
    from werkzeug.routing import Map, Rule

    url_map = Map([Rule("/any/<any(red, green, 'blue sky'):color>", endpoint="a"),
                   Rule("/b/<int:n>", endpoint="b")])
    adapter = url_map.bind("localhost")
    t = table(("/any/<any(red, green, 'blue sky'):color>", "a"), ("/b/<int:n>", "b"))
    assert t.build("a", {"color": "blue sky"}) == adapter.build("a", {"color": "blue sky"})
    assert t.build("b", {"n": 2, "q": "x y"}) == adapter.build("b", {"n": 2, "q": "x y"})
    assert t.build("b", {"n": 2}, force_external=True) == adapter.build(
        "b", {"n": 2}, force_external=True)
    assert t.build("b", {"n": 2}, url_scheme="https") == adapter.build(
        "b", {"n": 2}, url_scheme="https")
    assert t.build("b", {"n": 2, "q": 1}, append_unknown=False) == "/b/2"


def test_redirect_to_callables_get_an_adapter_like_werkzeugs():
    t = table(
        ("/target/<int:n>", "target"),
        ("/r3", "r3", {"redirect_to": lambda a: "/search?" + a.query_args}),
        ("/r4", "r4", {"redirect_to": lambda a: a.path_info + "/more"}),
        ("/r5", "r5", {"redirect_to": lambda a: a.get_host(None) + "/x"}),
        ("/r7/<int:n>", "r7", {"redirect_to": lambda a, n: a.build(
            "target", {"n": n}, url_scheme="https", force_external=True)}),
    )
    assert t.match("GET", "/r3?a=1").location == "/search?a=1"
    assert t.match("GET", "/r4").location == "/r4/more"
    assert t.match("GET", "/r5").location == "/localhost/x"
    assert t.match("GET", "/r7/2").location == "https://localhost/target/2"


def test_redirects_that_cannot_be_built_are_500s_like_flask():
    from flask import Flask

    # An alias whose canonical rule cannot take the value.
    t = table(("/old/<x>", "e", {"alias": True}), ("/new/<any(a,b):x>", "e"))
    assert answer(t, "GET", "/old/a") == (308, "/new/a")
    result = t.match("GET", "/old/c")
    assert result.status == 500 and "is not one of" in result.reason
    # A defaults provider whose converter refuses the default: no loop back to itself.
    t = table(("/", "e", {"defaults": {"n": "b"}, "alias": True}), ("/<int:n>", "e"))
    assert t.match("GET", "/").status == 500
    # A redirect_to callable that fails or returns something else than a string.
    t = table(("/r", "r", {"redirect_to": lambda adapter: 5}))
    assert t.match("GET", "/r").status == 500
    app = Flask(__name__, static_folder=None)
    app.add_url_rule("/r", "r", redirect_to=lambda adapter: 5)
    assert app.test_client().get("/r").status_code == 500


def test_empty_any_matches_an_empty_segment_like_werkzeug():
    t = table(("/<any():x>", "e"))
    assert answer(t, "GET", "/") == (200, "e", {"x": ""})


def test_alias_to_a_websocket_rule_is_an_absolute_ws_url():
    t = table(("/a", "a", {"alias": True}), ("/b", "a", {"websocket": True}))
    assert answer(t, "GET", "/a") == (308, "ws://localhost/b")


def test_non_ascii_server_name_is_refused_with_its_punycode():
    with pytest.raises(RouteError, match="write 'xn--bcher-kva.example.com'"):
        table(("/", "i"), server_name="bücher.example.com")


def test_redirect_to_other_schemes_is_kept_as_written():
    t = table(("/js", "js", {"redirect_to": "javascript:alert(1)"}),
              ("/mail", "mail", {"redirect_to": "mailto:a@b.c"}))
    assert answer(t, "GET", "/js") == (308, "javascript:alert(1)")
    assert answer(t, "GET", "/mail") == (308, "mailto:a@b.c")


def test_hosts_are_validated_like_a_host_header():
    t = table(("/", "i"))
    for bad in ("a b", "x.com:99999", "x.com:abc"):
        with pytest.raises(RouteError, match="invalid host"):
            t.match("GET", "/", host=bad)
    assert t.match("GET", "http://example.com:/").status == 200  # empty port: the default
    assert t.match("GET", "/", host="my_app:5000").status == 200
