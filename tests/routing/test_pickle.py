"""A RouteTable pickles (docs/coverage.md#pre-aggregated-counts: shipped to Spark/Dask
workers) and the loaded copy answers exactly as the original."""

import pickle
from pathlib import Path

import pytest

import routecli
from helpers import answer, table

SAMPLES = Path(__file__).resolve().parents[2] / "sample_routes"

REQUESTS = [
    ("GET", "/"), ("GET", "/blog/posts/42"), ("GET", "/blog/posts/x"), ("PATCH", "/blog/posts/1"),
    ("GET", "/blog"), ("GET", "/blog/"), ("GET", "//blog//posts//7"), ("GET", "/files/a/b.txt"),
    ("GET", "/u/%C3%A9t%C3%A9?x=1"), ("OPTIONS", "/blog/posts/3"), ("HEAD", "/nothing/here"),
    ("GET", "http://api.example.com/v1/users/5"), ("GET", "/v1/users/-3"),
]


def _same(original, loaded, requests):
    for method, url in requests:
        assert answer(loaded, method, url) == answer(original, method, url), (method, url)
        a, b = original.match(method, url), loaded.match(method, url)
        assert a.to_dict() == b.to_dict(), (method, url)


def test_round_trip_answers_identically():
    original = table(
        ("/", "index"), ("/blog/", "blog"), ("/blog/posts/<int:id>", "post", {"methods": ["GET"]}),
        ("/blog/posts/<id>", "post_slug", {"methods": ["POST"]}),
        ("/files/<path:p>", "files"), ("/u/<name>", "user"),
        ("/v1/users/<int(signed=True):id>", "api_user", {"defaults": {"v": 1}}),
        ("/old/<int:id>", "old", {"redirect_to": "/blog/posts/<id>"}),
        subdomain_matching=True, server_name="example.com",
    )
    loaded = pickle.loads(pickle.dumps(original))
    assert len(loaded) == len(original)
    _same(original, loaded, REQUESTS + [("GET", "/old/4"), ("GET", "http://api.example.com/")])


def test_sample_files_round_trip():
    for name in ("blog.yaml", "converters.yaml", "github-api.yaml", "catch_all.yaml"):
        original = routecli.load(str(SAMPLES / name))
        loaded = pickle.loads(pickle.dumps(original, protocol=pickle.HIGHEST_PROTOCOL))
        paths = [rule.rule.replace("<", "").replace(">", "").replace(":", "_")
                 for rule in original]
        _same(original, loaded, REQUESTS + [("GET", p) for p in paths]
              + [("DELETE", p) for p in paths])


def _answers(loaded_table, requests):
    return [answer(loaded_table, method, url) for method, url in requests]


def _dialect_requests(original):
    paths = ["/", "/nothing/here"]
    for rule in original:
        path = str(rule.rule)
        for old, new in (("{", ""), ("}", ""), ("<", ""), (">", ""), (":", "_")):
            path = path.replace(old, new)
        paths.append(path if path.startswith("/") else "/" + path)
    return [(method, path) for path in paths for method in ("GET", "POST", "DELETE")]


def _answer_in_worker(data, requests):
    return _answers(pickle.loads(data), requests)


DIALECT_FILES = ["django_urls.yaml", "fastapi_routes.yaml", "diff_starlette_new.yaml",
                 "starlette_app.py", "blog.yaml"]


@pytest.mark.parametrize("name", DIALECT_FILES)
def test_every_dialect_round_trips_and_answers_alike_in_a_worker(name):
    """Starlette, FastAPI and Django route files, a live Starlette app, and Werkzeug: the
    loaded copy, here and in another process, answers every request as the original."""
    from concurrent.futures import ProcessPoolExecutor

    original = routecli.load(str(SAMPLES / name))
    data = pickle.dumps(original)
    loaded = pickle.loads(data)
    assert type(loaded) is type(original) and len(loaded) == len(original)
    requests = _dialect_requests(original)
    expected = _answers(original, requests)
    assert _answers(loaded, requests) == expected
    assert {status for status, *_ in expected} >= {200, 404}
    with ProcessPoolExecutor(1) as pool:
        assert pool.submit(_answer_in_worker, data, requests).result() == expected


def test_a_live_flask_app_table_says_why_it_cannot_be_pickled():
    table = routecli.load(str(SAMPLES / "flask_blog.py"))
    with pytest.raises(pickle.PicklingError, match="live Flask app.*load the table in each"):
        pickle.dumps(table)


def test_a_state_of_many_rules_pickles_with_or_without_its_method_index():
    # WideRules (one path, a rule per method) builds its index on the first request
    original = table(*[("/x", f"e{i}", {"methods": [f"M{i}"]}) for i in range(40)])
    requests = [("M7", "/x"), ("GET", "/x"), ("M39", "/x"), ("OPTIONS", "/x")]
    _same(original, pickle.loads(pickle.dumps(original)), requests)  # no index yet
    _same(original, pickle.loads(pickle.dumps(original)), requests)  # index built
