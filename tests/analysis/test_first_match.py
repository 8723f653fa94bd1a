"""The dialect-neutral first-match core, on hand-made entries (any dialect compiles to these):
union coverage, shadowed specialisations versus the specific-first idiom, crossed overlaps,
per-method deadness, "any method" entries (Django), capturing groups, and entries that must
not dominate (approximate languages, converters that decline)."""

from routecli.analysis.first_match import FirstMatch
from routecli.routing.model import Route
from routecli.routing.ordered import Entry


def entries(*specs):
    """``(pattern, methods or None, options)`` → entries in order; the rule text is the pattern."""
    out = []
    for index, (pattern, methods, *rest) in enumerate(specs):
        options = rest[0] if rest else {}
        kind = options.pop("kind", "route")
        route = Route(pattern, f"e{index}", None if methods is None else tuple(methods))
        out.append(Entry(index, str(index + 1), route, pattern, f"e{index}", kind,
                         None if methods is None else frozenset(methods), pattern, **options))
    return out


def kinds(found):
    return [(r.kind, r.entry.index, tuple(o.index for o in r.earlier), r.methods, r.witness)
            for r in found.relations()]


def test_shadowed_specialisation_is_found_and_specific_first_is_silent():
    assert kinds(FirstMatch(entries(("/users/[^/]+", ["GET"]), ("/users/me", ["GET"])))) == [
        ("shadowed", 1, (0,), ("GET",), "/users/me")]
    assert kinds(FirstMatch(entries(("/users/me", ["GET"]), ("/users/[^/]+", ["GET"])))) == []


def test_the_idiom_is_listed_when_asked_for():
    found = FirstMatch(entries(("/users/me", ["GET"]), ("/users/[^/]+", ["GET"])), idiom=True)
    assert [r.kind for r in found.relations()] == ["idiom"]


def test_dead_by_the_union_of_earlier_routes_only():
    found = FirstMatch(entries(("/a/[0-9]+", ["GET"]), ("/a/[^/]+\\.[^/]+", ["GET"]),
                               ("/a/[0-9]+(\\.[0-9]+)?", ["GET"])))
    assert [(r.kind, tuple(o.index for o in r.earlier)) for r in found.relations()] == [
        ("union", (0, 1))]


def test_duplicates_are_equal_languages():
    found = FirstMatch(entries(("/i/[^/]+", ["GET"]), ("/i/[^/]+", ["GET"])))
    assert [r.kind for r in found.relations()] == ["duplicate"]


def test_methods_decide_per_method():
    found = FirstMatch(entries(("/u/[^/]+", ["GET", "DELETE"]), ("/u/me", ["GET", "PUT"])))
    assert kinds(found) == [("partly", 1, (0,), ("GET",), "/u/me")]
    # Methods that never meet: no relation at all.
    assert kinds(FirstMatch(entries(("/u/[^/]+", ["POST"]), ("/u/me", ["GET"])))) == []


def test_any_method_entries_compete_for_every_method():
    # Django: methods play no part, every entry takes every method.
    found = FirstMatch(entries(("users/[^/]+/", None), ("users/me/", None)))
    assert [(r.kind, r.methods) for r in found.relations()] == [("shadowed", ())]
    found = FirstMatch(entries(("users/[^/]+/", None), ("users/me/", ["GET"])))
    assert [r.kind for r in found.relations()] == ["shadowed"]


def test_crossed_overlap_has_an_intersection_witness():
    found = FirstMatch(entries(("/[^/]+/me", ["GET"]), ("/books/[^/]+", ["GET"])))
    assert kinds(found) == [("crossed", 1, (0,), ("GET",), "/books/me")]


def test_capturing_groups_take_everything_under_them():
    mount = entries(("/api/.*", None, {"kind": "mount", "captures": True}),
                    ("/api/y", ["GET"]))
    assert [r.kind for r in FirstMatch(mount).relations()] == ["captured"]


def test_routes_inside_a_group_compete_with_each_other_not_with_the_group():
    made = entries(("/api/.*", None, {"kind": "mount", "captures": True}),
                   ("/api/[^/]+", ["GET"]), ("/api/me", ["GET"]))
    made[1].parents = made[2].parents = (made[0],)
    assert [(r.kind, r.earlier[0].index) for r in FirstMatch(made).relations()] == [
        ("shadowed", 1)]


def test_approximate_or_declining_entries_never_dominate():
    for options in ({"exact": False}, {"may_decline": True}):
        made = entries(("/y/[^/]+", ["GET"], dict(options)), ("/y/me", ["GET"]))
        found = FirstMatch(made)
        # Not dead: the later route is reached whenever the earlier one declines.
        assert [r.kind for r in found.relations()] == []


def test_candidates_are_found_through_literal_heads():
    made = entries(*[(f"/r{i}/[^/]+", ["GET"]) for i in range(200)], ("/r7/x", ["GET"]))
    found = FirstMatch(made)
    assert kinds(found) == [("shadowed", 200, (7,), ("GET",), "/r7/x")]
    assert found.stats["pairs"] < 20  # only heads that can meet were compared


def test_a_crossing_below_an_earlier_literal_is_the_idiom_segment_by_segment():
    """/static/{path:path} before /{key}/edit cross (/static/edit), but at their first
    differing segment the earlier spells a literal where the later has a parameter: the
    order a most-specific-first router would choose, so lint is silent (starlette-admin's
    static files before its /{identity}/edit pages)."""
    def table(first, second):
        rows = entries((first[0], ["GET"]), (second[0], ["GET"]))
        rows[0].rule, rows[1].rule = first[1], second[1]
        return rows

    static = ("/admin/static/.*", "/admin/static/{path:path}")
    edit = ("/admin/[^/]+/edit", "/admin/{key}/edit")
    assert kinds(FirstMatch(table(static, edit))) == []
    assert [r.kind for r in FirstMatch(table(static, edit), idiom=True).relations()] == [
        "idiom"]
    # the trap the other way round: a parameter before a literal still crosses
    entity = ("/[^/]+/me", "/{entity}/me")
    books = ("/books/[^/]+", "/books/{id}")
    assert [r.kind for r in FirstMatch(table(entity, books)).relations()] == ["crossed"]
    # a regex's segment is no plain literal, but an earlier regex under a longer literal
    # prefix is the same idiom (judged on real Django projects: docs/django.md)
    regex_first = table(("/a/.*", "^a/(?P<x>.*)$"), ("/[^/]+/b", "^(?P<k>[^/]+)/b$"))
    assert [r.kind for r in FirstMatch(regex_first).relations()] == []
    # ... and the other way round it crosses
    assert [r.kind for r in FirstMatch(table(("/[^/]+/b", "^(?P<k>[^/]+)/b$"),
                                             ("/a/.*", "^a/(?P<x>.*)$"))
                                       ).relations()] == ["crossed"]
