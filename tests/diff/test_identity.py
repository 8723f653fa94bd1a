"""Touched routes (routecli/diff/identity.py): signatures ignore where a route is written,
equal routes pair in order, and only routes out of relative order count as moved."""

from routecli.diff.answers import toggle_slash
from routecli.diff.identity import signature, touched_routes
from routecli.routing.model import Route, Source


def test_signature_ignores_source_and_method_order():
    a = Route("/a", "a", ["GET", "POST"], source=Source("x.yaml", 1), defaults={"n": 1})
    b = Route("/a", "a", ["POST", "GET"], source=Source("y.yaml", 9), defaults={"n": 1})
    assert signature(a) == signature(b)
    assert signature(a) != signature(Route("/a", "a", ["GET"], defaults={"n": 1}))
    assert signature(a) != signature(Route("/a", "a", ["GET", "POST"], defaults={"n": 2}))


def test_touched_routes():
    routes = [Route(f"/{n}", n) for n in "abcde"]
    # c removed, x added, e moved to the front
    new = [routes[4], routes[0], routes[1], Route("/x", "x"), routes[3]]
    touched = touched_routes(routes, new)
    assert touched.old == {2, 4} and touched.new == {0, 3}
    assert touched.moved == {4: 0}
    assert touched.unchanged == {0: 1, 1: 2, 3: 4}


def test_duplicates_pair_in_order():
    same = [Route("/a", "a"), Route("/a", "a")]
    touched = touched_routes(same, same[:1])
    assert touched.old == {1} and touched.new == set()


def testtoggle_slash():
    assert toggle_slash("/a") == "/a/"
    assert toggle_slash("/a/") == "/a"
    assert toggle_slash("/") == "/"
    assert toggle_slash("http://h.example/a") == "http://h.example/a/"
    assert toggle_slash("http://h.example/") == "http://h.example/"
