"""Werkzeug routing cases confirmed by running Werkzeug 3.1 / Flask 3.1, as named regression tests.

The cases below (``CASES``, then the Flask test-client cases) are the project's record of
Werkzeug's behaviour; docs/semantics.md describes the rules they pin down.

Every case is checked three ways, each a separate test with the case id as its pytest id:

* ``test_werkzeug_case``  - the case exactly as written, against a bare Werkzeug ``Map``
  (``Map(rules, **map).bind("example.com", **bind).match(path, method)``), so the data
  below is proven, not just copied;
* ``test_oracle_case``    - the same case translated to routecli's route data and a URL,
  answered by the Flask oracle (tests/flask_oracle.py), so the translation is proven too;
* ``test_routecli_case``  - routecli on that translation: it must give the expected answer
  and agree with the Flask oracle on every compared field.

Translation: a rule without ``[METHODS]`` is a bare Werkzeug ``Rule`` (any method), i.e.
``methods: "*"``; these cases are plain Werkzeug, so ``automatic_options`` is off.  The
request path of a case is already decoded, so it is percent-encoded into the URL (``?``,
space, newline, non-ASCII...) and the host is ``example.com`` (or the bind's host).
A redirect to ``http://example.com/p`` is the contract's ``location: "/p"``.

The 12 Flask test-client cases at the end are checked against the literal Flask apps they
describe (decorators, blueprint, default static folder) and against routecli.
"""

from __future__ import annotations

import importlib.metadata
from typing import Any, NamedTuple
from urllib.parse import quote, urlsplit

import pytest
from flask import Blueprint, Flask
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, RequestRedirect, Rule

from flask_oracle import FlaskOracle, comparable

# --------------------------------------------------------------------------------------
# Case notation
# --------------------------------------------------------------------------------------


class RuleSpec(NamedTuple):
    """``RULE [METHODS] -> endpoint {options}`` of a case (methods None: a bare Rule)."""

    rule: str
    endpoint: str
    methods: list[str] | None
    options: dict[str, Any]


def R(rule: str, endpoint: str, methods: list[str] | None = None, **options: Any) -> RuleSpec:
    return RuleSpec(rule, endpoint, methods, options)


class Expect(NamedTuple):
    status: int
    endpoint: str | None = None
    args: dict[str, Any] | None = None
    allow: list[str] | None = None
    url: str | None = None  # absolute redirect target, as the case writes it


def ok(endpoint: str, args: dict[str, Any]) -> Expect:
    return Expect(200, endpoint=endpoint, args=args)


def not_allowed(allow: list[str]) -> Expect:
    return Expect(405, allow=allow)


def redirect(url: str) -> Expect:
    return Expect(308, url=url)


NOT_FOUND = Expect(404)


class Case(NamedTuple):
    id: str
    rules: list[RuleSpec]
    method: str
    path: str  # decoded, as passed to MapAdapter.match
    expect: Expect
    map: dict[str, Any] | None = None  # Map(**map)
    bind: dict[str, Any] | None = None  # Map.bind(**bind)


# Each case as first confirmed against Werkzeug, in a fixed order (the ids are stable).
CASES = [
    Case('static-beats-dyn', [R('/blog/<x>', 'dyn'), R('/blog/new', 'new')], 'GET', '/blog/new', ok('new', {})),
    Case('static-seg-beats-path', [R('/<path:p>', 'path'), R('/a/<b>', 'ab')], 'GET', '/a/x', ok('ab', {'b': 'x'})),
    Case('int-before-string', [R('/<x>', 'str'), R('/<int:x>', 'int')], 'GET', '/42', ok('int', {'x': 42})),
    Case('int-unsigned', [R('/<x>', 'str'), R('/<int:x>', 'int')], 'GET', '/-1', ok('str', {'x': '-1'})),
    Case('int-max-no-fallback', [R('/<x>', 'str'), R('/<int(max=10):x>', 'int')], 'GET', '/50', NOT_FOUND),
    Case('identical-first-wins', [R('/x', 'first'), R('/x', 'second')], 'GET', '/x', ok('first', {})),
    Case('same-regex-first-wins', [R('/<a>', 'first'), R('/<b>', 'second')], 'GET', '/q', ok('first', {'a': 'q'})),
    Case('any-ties-string', [R('/<x>', 'str'), R('/<any(a,b):x>', 'any')], 'GET', '/a', ok('str', {'x': 'a'})),
    Case('any-first-if-registered-first', [R('/<any(a,b):x>', 'any'), R('/<x>', 'str')], 'GET', '/a', ok('any', {'x': 'a'})),
    Case('uuid-ties-string', [R('/<x>', 'str'), R('/<uuid:x>', 'uuid')], 'GET', '/2b5b0911-fdcf-4dd2-921b-28ace88db8a0', ok('str', {'x': '2b5b0911-fdcf-4dd2-921b-28ace88db8a0'})),
    Case('longer-static-chunk', [R('/<a>.<b>', 'dot'), R('/<a>.html', 'html')], 'GET', '/x.html', ok('html', {'a': 'x'})),
    Case('static-chunk-count-beats-conv', [R('/<x>', 'str'), R('/<path:p>.html', 'pathhtml')], 'GET', '/a.html', ok('pathhtml', {'p': 'a'})),
    Case('more-converters-first', [R('/<a>', 'one'), R('/<a><b>', 'two')], 'GET', '/xy', ok('two', {'a': 'x', 'b': 'y'})),
    Case('transition-sharing', [R('/<a>/x', 'R1'), R('/<any(p,q):b>/y', 'R2'), R('/<c>/y', 'R3')], 'GET', '/p/y', ok('R3', {'c': 'p'})),
    Case('path-non-greedy', [R('/<path:a>/<path:b>', 'pp')], 'GET', '/a/b/c', ok('pp', {'a': 'a', 'b': 'b/c'})),
    Case('slash-redirect', [R('/foo/', 'foo')], 'GET', '/foo', redirect('http://example.com/foo/')),
    Case('slash-redirect-beats-dyn-leaf', [R('/foo/', 'branch'), R('/<x>', 'leaf')], 'GET', '/foo', redirect('http://example.com/foo/')),
    Case('leaf-no-trailing', [R('/bar', 'bar')], 'GET', '/bar/', NOT_FOUND),
    Case('nonstrict-leaf', [R('/bar', 'bar')], 'GET', '/bar/', ok('bar', {}), map={'strict_slashes': False}),
    Case('nonstrict-branch', [R('/foo/', 'foo', strict_slashes=False)], 'GET', '/foo', ok('foo', {})),
    Case('leaf-and-branch', [R('/foo', 'leaf'), R('/foo/', 'branch')], 'GET', '/foo', ok('leaf', {})),
    Case('redirect-despite-405-leaf', [R('/x', 'leafpost', methods=['POST']), R('/x/', 'branchget', methods=['GET'])], 'GET', '/x', redirect('http://example.com/x/')),
    Case('405-ignores-branch', [R('/x', 'leafpost', methods=['POST']), R('/x/', 'branchget', methods=['GET'])], 'PUT', '/x', not_allowed(['POST'])),
    Case('branch-wrong-method-404', [R('/dir/', 'd', methods=['GET'])], 'POST', '/dir', NOT_FOUND),
    Case('dyn-branch-int', [R('/<int:x>/', 'bint'), R('/<y>', 'lstr')], 'GET', '/5', redirect('http://example.com/5/')),
    Case('path-branch', [R('/<path:p>/', 'pb')], 'GET', '/a/b', redirect('http://example.com/a/b/')),
    Case('path-leaf-eats-slash', [R('/<path:p>', 'p')], 'GET', '/a/', ok('p', {'p': 'a/'})),
    Case('path-needs-one-char', [R('/files/<path:p>', 'f')], 'GET', '/files/', NOT_FOUND),
    Case('path-beats-string-seg', [R('/<x>/edit', 'stredit'), R('/<path:p>/edit', 'pathedit')], 'GET', '/a/edit', ok('pathedit', {'p': 'a'})),
    Case('path-more-convs-first', [R('/<x>/<y>', 'strstr'), R('/<path:p>/<y>', 'pathstr')], 'GET', '/a/b', ok('pathstr', {'p': 'a', 'y': 'b'})),
    Case('merge-slashes', [R('/a/b', 'ab')], 'GET', '/a//b', redirect('http://example.com/a/b')),
    Case('merge-plus-slash', [R('/u/<name>/', 'user')], 'GET', '/u//bob', redirect('http://example.com/u/bob/')),
    Case('path-keeps-double', [R('/<path:p>', 'p')], 'GET', '/a//b', ok('p', {'p': 'a//b'})),
    Case('leading-slashes', [R('/a/b', 'ab')], 'GET', '//a/b', ok('ab', {})),
    Case('405-union', [R('/x', 'g', methods=['GET']), R('/x', 'p', methods=['POST'])], 'PUT', '/x', not_allowed(['GET', 'HEAD', 'POST'])),
    Case('method-fallback-dyn', [R('/x', 'sp', methods=['POST']), R('/<y>', 'dg', methods=['GET'])], 'GET', '/x', ok('dg', {'y': 'x'})),
    Case('405-across-rules', [R('/a/<y>', 'p', methods=['PUT']), R('/<x>/b', 'd', methods=['DELETE'])], 'GET', '/a/b', not_allowed(['DELETE', 'PUT'])),
    Case('head-implicit', [R('/g', 'g', methods=['GET'])], 'HEAD', '/g', ok('g', {})),
    Case('head-only', [R('/h', 'h', methods=['HEAD'])], 'GET', '/h', not_allowed(['HEAD'])),
    Case('no-methods-any', [R('/x', 'x')], 'BREW', '/x', ok('x', {})),
    Case('405-from-rejected-conv', [R('/x/9', 's9', methods=['POST']), R('/x/<int(max=5):n>', 'int', methods=['GET'])], 'GET', '/x/9', not_allowed(['POST'])),
    Case('405-before-to_python', [R('/y/<int(max=5):n>', 'g', methods=['GET']), R('/y/<int(max=5):n>', 'p', methods=['POST'])], 'PUT', '/y/9', not_allowed(['GET', 'HEAD', 'POST'])),
    Case('defaults-redirect', [R('/all/', 'all', defaults={'page': 1}), R('/all/page/<int:page>', 'all')], 'GET', '/all/page/1', redirect('http://example.com/all/')),
    Case('defaults-redirect-zero-pad', [R('/all/', 'all', defaults={'page': 1}), R('/all/page/<int:page>', 'all')], 'GET', '/all/page/01', redirect('http://example.com/all/')),
    Case('defaults-str-vs-int', [R('/all/', 'all', defaults={'page': '1'}), R('/all/page/<int:page>', 'all')], 'GET', '/all/page/1', ok('all', {'page': 1})),
    Case('defaults-no-redirect', [R('/all/', 'all', defaults={'page': 1}), R('/all/page/<int:page>', 'all')], 'GET', '/all/page/1', ok('all', {'page': 1}), map={'redirect_defaults': False}),
    Case('defaults-override-capture', [R('/<a>', 'e', defaults={'a': 'zz'})], 'GET', '/foo', ok('e', {'a': 'zz'})),
    Case('redirect-to', [R('/foo/<slug>', 'foo'), R('/old/<slug>', 'old', redirect_to='foo/<slug>')], 'GET', '/old/hi', redirect('http://example.com/foo/hi')),
    Case('alias', [R('/users/<int:id>', 'user'), R('/u/<int:id>', 'user', alias=True)], 'GET', '/u/5', redirect('http://example.com/users/5')),
    Case('build-only', [R('/static/<path:f>', 'static', build_only=True)], 'GET', '/static/a.css', NOT_FOUND),
    Case('any-unquoted-digits', [R('/<any(1,2):x>', 'e')], 'GET', '/1', NOT_FOUND),
    Case('unicode-digits', [R('/<int:x>', 'i')], 'GET', '/٤٢', ok('i', {'x': 42})),
    Case('path-no-newline', [R('/<path:p>', 'p')], 'GET', '/a\nb', NOT_FOUND),
    Case('string-newline-ok', [R('/<x>', 's')], 'GET', '/a\nb', ok('s', {'x': 'a\nb'})),
    Case('float-needs-dot', [R('/<float:x>', 'f')], 'GET', '/1', NOT_FOUND),
    Case('case-sensitive', [R('/Blog', 'b')], 'GET', '/blog', NOT_FOUND),
    Case('query-not-stripped', [R('/x', 'x'), R('/<y>', 'y')], 'GET', '/x?q=1', ok('y', {'y': 'x?q=1'})),
    Case('redirect-quoting', [R('/<x>/', 'b')], 'GET', '/a b', redirect('http://example.com/a%20b/')),
    Case('eleven-converters-bug', [R('/<int:a0>-<int:a1>-<int:a2>-<int:a3>-<int:a4>-<int:a5>-<int:a6>-<int:a7>-<int:a8>-<int:a9>-<int:a10>', 'many')], 'GET', '/0-1-2-3-4-5-6-7-8-9-10', ok('many', {'a0': 0, 'a1': 1, 'a2': 10, 'a3': 2, 'a4': 3, 'a5': 4, 'a6': 5, 'a7': 6, 'a8': 7, 'a9': 8, 'a10': 9})),
    Case('subdomain', [R('/', 'main'), R('/', 'user', subdomain='<user>')], 'GET', '/', ok('user', {'user': 'bob'}), bind={'subdomain': 'bob'}),
    Case('host-matching-no-host-rule', [R('/', 'nohost'), R('/', 'main', host='example.com')], 'GET', '/', NOT_FOUND, map={'host_matching': True}, bind={'server_name': 'other.org'}),
]
CASE_IDS = [case.id for case in CASES]

# The cases were first confirmed on Werkzeug 3.1.8.  Where a later release changed the answer, the
# installed Werkzeug is the judge: (first version with the new answer, the new answer).
WERKZEUG_VERSION = tuple(int(p) for p in importlib.metadata.version("werkzeug").split(".")[:3])
VERSION_DRIFT = {
    # 3.1.9 orders a part's values by group number, so the 11-converter shuffle is gone.
    "eleven-converters-bug": (
        (3, 1, 9),
        ok("many", {f"a{i}": i for i in range(11)}),
    ),
}


def expect_for(case: Case) -> Expect:
    """The case's answer on the installed Werkzeug (see VERSION_DRIFT)."""
    drift = VERSION_DRIFT.get(case.id)
    if drift is not None and WERKZEUG_VERSION >= drift[0]:
        return drift[1]
    return case.expect


def test_case_ids_are_unique_and_complete():
    assert len(CASES) == 61
    assert len(set(CASE_IDS)) == len(CASE_IDS)


# --------------------------------------------------------------------------------------
# (a) Werkzeug, exactly as the case states it
# --------------------------------------------------------------------------------------


def werkzeug_answer(case: Case) -> Expect:
    url_map = Map(
        [Rule(r.rule, endpoint=r.endpoint, methods=r.methods, **r.options) for r in case.rules],
        **(case.map or {}),
    )
    bind = {"server_name": "example.com", **(case.bind or {})}
    adapter = url_map.bind(**bind)
    try:
        endpoint, args = adapter.match(case.path, case.method)
    except RequestRedirect as exc:
        return Expect(308, url=exc.new_url)
    except MethodNotAllowed as exc:
        return Expect(405, allow=sorted(exc.valid_methods or []))
    except NotFound:
        return NOT_FOUND
    return Expect(200, endpoint=endpoint, args=args)


def typed(value: Any) -> Any:
    """Values tagged with their type, so 1, 1.0, True and "1" all differ."""
    return comparable({"args": value}, fields=("args",))["args"]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_werkzeug_case(case: Case):
    got = werkzeug_answer(case)
    assert got == expect_for(case)
    assert typed(got.args) == typed(expect_for(case).args)


# --------------------------------------------------------------------------------------
# The same case in routecli's terms
# --------------------------------------------------------------------------------------

PATH_SAFE = "/!$&'()*+,;=:@~"


def case_data(case: Case) -> dict[str, Any]:
    settings: dict[str, Any] = {"automatic_options": False}
    settings.update(case.map or {})
    if "subdomain" in (case.bind or {}):
        settings["server_name"] = "example.com"
    routes = []
    for r in case.rules:
        route: dict[str, Any] = {"rule": r.rule, "endpoint": r.endpoint}
        route["methods"] = "*" if r.methods is None else list(r.methods)
        route.update(r.options)
        routes.append(route)
    return {"settings": settings, "routes": routes}


def case_host(case: Case) -> str:
    bind = case.bind or {}
    if "subdomain" in bind:
        return f"{bind['subdomain']}.example.com"
    return bind.get("server_name", "example.com")


def case_url(case: Case) -> str:
    return quote(case.path, safe=PATH_SAFE)


def expected_dict(case: Case) -> dict[str, Any]:
    """The match JSON fields (docs/match.md#json-output) the case pins down (308 endpoints are left to the oracle)."""
    exp = expect_for(case)
    out: dict[str, Any] = {"status": exp.status}
    if exp.status == 200:
        out.update(endpoint=exp.endpoint, args=exp.args, allowed_methods=None, location=None)
    elif exp.status == 405:
        out.update(endpoint=None, args=None, allowed_methods=exp.allow, location=None)
    elif exp.status == 404:
        out.update(endpoint=None, args=None, allowed_methods=None, location=None)
    else:
        target = urlsplit(exp.url)
        assert target.netloc == case_host(case), "every case's redirect stays on the host"
        location = target.path + (f"?{target.query}" if target.query else "")
        out.update(allowed_methods=None, location=location)
    return out


def pick(answer: dict[str, Any], keys) -> dict[str, Any]:
    return {k: answer.get(k) for k in keys}


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_oracle_case(case: Case):
    oracle = FlaskOracle(case_data(case))
    answer = oracle.match(case.method, case_url(case), host=case_host(case))
    expected = expected_dict(case)
    assert comparable(pick(answer, expected), expected) == comparable(expected, expected)


def routecli_answer(data: dict[str, Any], method: str, url: str, host: str | None = None):
    from routecli import RouteTable  # the core; these tests run once it lands

    return RouteTable.from_data(data).match(method, url, host=host).to_dict()


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_routecli_case(case: Case):
    data, url, host = case_data(case), case_url(case), case_host(case)
    got = routecli_answer(data, case.method, url, host)
    expected = expected_dict(case)
    assert comparable(pick(got, expected), expected) == comparable(expected, expected)
    flask = FlaskOracle(data).match(case.method, url, host=host)
    assert comparable(got) == comparable(flask)
    assert got["method"] == case.method.upper()
    assert got["url"] == url


# --------------------------------------------------------------------------------------
# Flask 3.1.3 test-client cases (raw URLs; app with the default static folder)
# --------------------------------------------------------------------------------------


def _show(**kwargs: Any) -> str:
    return " ".join(f"{k}={v!r}" for k, v in sorted(kwargs.items()))


def app_blog() -> Flask:
    app = Flask(__name__)

    @app.route("/blog/<x>")
    def blog(**kw):
        return _show(**kw)

    return app


def app_path() -> Flask:
    app = Flask(__name__)

    @app.route("/p/<path:p>")
    def p(**kw):
        return _show(**kw)

    return app


def app_dir() -> Flask:
    app = Flask(__name__)

    @app.route("/dir/")
    def dir_(**kw):
        return _show(**kw)

    return app


def app_post() -> Flask:
    app = Flask(__name__)

    @app.post("/post")
    def post(**kw):
        return _show(**kw)

    return app


def app_get_post() -> Flask:
    app = Flask(__name__)

    @app.get("/x")
    def x_get(**kw):
        return _show(**kw)

    @app.post("/x")
    def x_post(**kw):
        return _show(**kw)

    return app


def app_nohead() -> Flask:
    app = Flask(__name__)

    @app.route("/nohead", methods=["GET"], provide_automatic_options=False)
    def nohead(**kw):
        return _show(**kw)

    return app


def app_none() -> Flask:
    app = Flask(__name__)

    @app.route("/none", methods=[])
    def none(**kw):
        return _show(**kw)

    return app


def app_blueprint() -> Flask:
    app = Flask(__name__)
    bp = Blueprint("api", __name__, url_prefix="/api/")

    @bp.route("")
    def index(**kw):
        return _show(**kw)

    app.register_blueprint(bp)
    return app


STATIC = {"rule": "/static/<path:filename>", "endpoint": "static"}


class ClientCase(NamedTuple):
    id: str
    app: str  # the case's description
    make_app: Any
    routes: list[dict[str, Any]]  # the same app as routecli data (static route first)
    method: str
    url: str
    expect: str  # the case's expectation
    status: int
    body: str | None = None  # for 200: the view's keyword arguments
    location: str | None = None  # Flask's absolute Location
    allow: list[str] | None = None
    endpoint: str | None = None  # who answers a 200 (for routecli)
    args: dict[str, Any] | None = None


CLIENT_CASES = [
    ClientCase("client-encoded-slash-404", "@route('/blog/<x>')", app_blog,
               [STATIC, {"rule": "/blog/<x>", "endpoint": "blog"}],
               "GET", "/blog/a%2Fb", "404", 404),
    ClientCase("client-path-encoded-slash", "@route('/p/<path:p>')", app_path,
               [STATIC, {"rule": "/p/<path:p>", "endpoint": "p"}],
               "GET", "/p/a%2Fb", "200 p='a/b'", 200, body="p='a/b'",
               endpoint="p", args={"p": "a/b"}),
    ClientCase("client-invalid-utf8", "@route('/blog/<x>')", app_blog,
               [STATIC, {"rule": "/blog/<x>", "endpoint": "blog"}],
               "GET", "/blog/%E4", "200 x='\ufffd'", 200, body="x='\ufffd'",
               endpoint="blog", args={"x": "\ufffd"}),
    ClientCase("client-plus-stays", "@route('/blog/<x>')", app_blog,
               [STATIC, {"rule": "/blog/<x>", "endpoint": "blog"}],
               "GET", "/blog/a+b", "200 x='a+b'", 200, body="x='a+b'",
               endpoint="blog", args={"x": "a+b"}),
    ClientCase("client-double-slash-merge", "@route('/blog/<x>')", app_blog,
               [STATIC, {"rule": "/blog/<x>", "endpoint": "blog"}],
               "GET", "/blog//x", "308 http://localhost/blog/x", 308,
               location="http://localhost/blog/x"),
    ClientCase("client-slash-redirect-query", "@route('/dir/')", app_dir,
               [STATIC, {"rule": "/dir/", "endpoint": "dir_"}],
               "GET", "/dir?q=1", "308 http://localhost/dir/?q=1", 308,
               location="http://localhost/dir/?q=1"),
    ClientCase("client-branch-post-404", "@route('/dir/')", app_dir,
               [STATIC, {"rule": "/dir/", "endpoint": "dir_"}],
               "POST", "/dir", "404", 404),
    ClientCase("client-post-only-405", "@post('/post')", app_post,
               [STATIC, {"rule": "/post", "endpoint": "post", "methods": ["POST"]}],
               "GET", "/post", "405 Allow: OPTIONS, POST", 405, allow=["OPTIONS", "POST"]),
    ClientCase("client-automatic-options", "@get('/x'); @post('/x')", app_get_post,
               [STATIC, {"rule": "/x", "endpoint": "x_get", "methods": ["GET"]},
                {"rule": "/x", "endpoint": "x_post", "methods": ["POST"]}],
               "OPTIONS", "/x", "200 Allow: GET, HEAD, OPTIONS, POST (automatic)", 200,
               allow=["GET", "HEAD", "OPTIONS", "POST"], endpoint="x_get", args={}),
    ClientCase("client-no-automatic-options", "@route('/nohead', methods=['GET'], provide_automatic_options=False)",
               app_nohead,
               [STATIC, {"rule": "/nohead", "endpoint": "nohead", "methods": ["GET"],
                         "provide_automatic_options": False}],
               "OPTIONS", "/nohead", "405 Allow: GET, HEAD", 405, allow=["GET", "HEAD"]),
    ClientCase("client-empty-methods-405", "@route('/none', methods=[])", app_none,
               [STATIC, {"rule": "/none", "endpoint": "none", "methods": []}],
               "GET", "/none", "405 Allow: OPTIONS", 405, allow=["OPTIONS"]),
    ClientCase("client-blueprint-empty-rule", "Blueprint(url_prefix='/api/') @route('')", app_blueprint,
               [STATIC, {"rule": "/api/", "endpoint": "api.index"}],
               "GET", "/api", "308 http://localhost/api/", 308, location="http://localhost/api/"),
]
CLIENT_IDS = [case.id for case in CLIENT_CASES]


def test_client_cases_complete():
    assert len(CLIENT_CASES) == 12
    assert len(set(CLIENT_IDS)) == 12


@pytest.mark.parametrize("case", CLIENT_CASES, ids=CLIENT_IDS)
def test_flask_client_case(case: ClientCase):
    """The literal Flask app, through its test client, as the case reports it."""
    app = case.make_app()
    assert sorted((r.rule, r.endpoint) for r in app.url_map.iter_rules()) == sorted(
        (r["rule"], r["endpoint"]) for r in case.routes
    ), "the routecli translation must list the app's rules"
    response = app.test_client().open(case.url, method=case.method)
    assert response.status_code == case.status
    if case.body is not None:
        assert response.get_data(as_text=True) == case.body
    if case.location is not None:
        assert response.headers["Location"] == case.location
    if case.allow is not None:
        assert sorted(m.strip() for m in response.headers["Allow"].split(",")) == case.allow


def client_expected(case: ClientCase) -> dict[str, Any]:
    out: dict[str, Any] = {"status": case.status}
    if case.status == 200:
        out.update(endpoint=case.endpoint, args=case.args, allowed_methods=None, location=None)
    elif case.status == 405:
        out.update(endpoint=None, args=None, allowed_methods=case.allow, location=None)
    elif case.status == 404:
        out.update(endpoint=None, args=None, allowed_methods=None, location=None)
    else:
        target = urlsplit(case.location)
        assert target.netloc == "localhost"
        out.update(allowed_methods=None,
                   location=target.path + (f"?{target.query}" if target.query else ""))
    return out


@pytest.mark.parametrize("case", CLIENT_CASES, ids=CLIENT_IDS)
def test_oracle_client_case(case: ClientCase):
    answer = FlaskOracle({"routes": case.routes}).match(case.method, case.url)
    expected = client_expected(case)
    assert comparable(pick(answer, expected), expected) == comparable(expected, expected)


@pytest.mark.parametrize("case", CLIENT_CASES, ids=CLIENT_IDS)
def test_routecli_client_case(case: ClientCase):
    data = {"routes": case.routes}
    got = routecli_answer(data, case.method, case.url)
    expected = client_expected(case)
    assert comparable(pick(got, expected), expected) == comparable(expected, expected)
    assert comparable(got) == comparable(FlaskOracle(data).match(case.method, case.url))
