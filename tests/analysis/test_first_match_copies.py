"""Copies of one route in the first-match dialects (issue #13, bounded cost): the later
copies are judged once and reported as one group, as RL101 reports Werkzeug's; they take
part in no relation with other routes; thousands of them lint in about a second."""

from __future__ import annotations

from test_first_match import entries

from routecli.analysis.first_match import FirstMatch
from routecli.routing.dialects import compile_table
from routecli.sources.schema import routeset_from_data


def table(dialect, items, converters=None):
    data = {"settings": {"dialect": dialect}, "routes": items}
    if converters:
        data["converters"] = converters
    return compile_table(routeset_from_data(data, "routes.yaml"))


def lint(dialect, items, converters=None):
    report = table(dialect, items, converters).lint()
    assert report.stats["model_disagreements"] == 0
    return report.findings


def test_later_copies_are_one_relation_carried_by_the_first_later_copy():
    found = FirstMatch(entries(*[("/i/[0-9]+", ["GET"])] * 5))
    [relation] = found.relations()
    assert (relation.kind, relation.entry.index, [o.index for o in relation.earlier],
            [c.index for c in relation.copies], relation.witness) == (
        "duplicate", 1, [0], [2, 3, 4], "/i/1")
    assert found.later_copies() == {1, 2, 3, 4}


def test_two_copies_stay_an_ordinary_pair():
    found = FirstMatch(entries(("/i/[0-9]+", ["GET"]), ("/i/[0-9]+", ["GET"])))
    assert [(r.kind, r.entry.index, r.copies) for r in found.relations()] == [
        ("duplicate", 1, ())]


def test_copies_that_differ_in_what_matching_reads_are_not_copies():
    # Other methods, or a converter that may decline: each is judged on its own.
    found = FirstMatch(entries(("/i/[0-9]+", ["GET"]), ("/i/[0-9]+", ["POST"]),
                               ("/i/[0-9]+", ["GET"]), ("/i/[0-9]+", ["POST"])))
    assert [(r.entry.index, r.copies) for r in found.relations()] == [(2, ()), (3, ())]
    declining = entries(*[("/i/[0-9]+", ["GET"], {"may_decline": True})] * 4)
    assert FirstMatch(declining).copy_groups() == {}


def test_thousands_of_copies_cost_one_judgement():
    found = FirstMatch(entries(*[("/same/[0-9]+", ["GET"])] * 2_000))
    [relation] = found.relations()
    assert len(relation.copies) == 1_998
    assert found.stats["pairs"] == 1  # the first later copy against the first, only


def test_copies_behind_a_broader_route_are_shadowed_by_it_as_a_group():
    found = FirstMatch(entries(("/i/[^/]+", ["GET"]), *[("/i/[0-9]+", ["GET"])] * 4))
    assert [(r.kind, r.entry.index, tuple(o.index for o in r.earlier),
             tuple(c.index for c in r.copies)) for r in found.relations()] == [
        ("shadowed", 1, (0,), ()), ("shadowed", 2, (0,), (3, 4))]


def test_a_later_route_meets_only_the_first_copy():
    # Before, /i/me crossed every copy: one RL205 per copy, all answered by the first.
    found = FirstMatch(entries(*[("/[a-z]+/me", ["GET"])] * 4, ("/i/[^/]+", ["GET"])))
    assert [(r.kind, r.entry.index, tuple(o.index for o in r.earlier))
            for r in found.relations()] == [("duplicate", 1, (0,)), ("crossed", 4, (0,))]


def test_starlette_copies_are_one_rl203_listing_every_copy_then_the_winner():
    findings = lint("starlette", [{"rule": "/same/{x:int}", "endpoint": f"e{i}"}
                                  for i in range(2_000)])
    [finding] = findings
    assert finding.code == "RL203" and finding.severity == "error"
    assert [r.endpoint for r in finding.routes] == [f"e{i}" for i in range(1, 2_000)] + ["e0"]
    assert finding.details["copies"] == 1_999
    assert (finding.witness.method, finding.witness.url, finding.answered_by) == (
        "GET", "/same/1", "e0")
    assert finding.message.startswith(
        "1,999 copies of `/same/{x:int}` (e1, e2, e3 and 1,996 more) duplicate "
        "`/same/{x:int}` (e0, route #1), which is declared earlier and answers instead; "
        "GET /same/1 is answered 200 by e0")


def test_conflicts_list_the_group_once():
    report = table("starlette", [{"rule": "/same/{x:int}", "endpoint": f"e{i}"}
                                 for i in range(500)]).conflicts()
    assert [(f.code, len(f.routes)) for f in report.findings] == [("RL203", 500)]


def test_copies_of_two_spellings_pair_once_and_give_no_convertor_pairs():
    # /same/{x} then /same/{x:int} alternating: the first int route is shadowed, the
    # later copies of each spelling are groups; before, every pair of a later copy
    # with a copy of the other spelling was an RL214 (N^2/4 findings).
    findings = lint("starlette", [{"rule": "/same/{x:int}" if i % 2 else "/same/{x}",
                                   "endpoint": f"e{i}"} for i in range(2_000)])
    found = sorted((f.code, f.routes[0].endpoint, f.routes[-1].endpoint, len(f.routes))
                   for f in findings if f.code != "RL214")
    assert found == [("RL201", "e1", "e0", 2), ("RL201", "e3", "e0", 1_000),
                     ("RL203", "e2", "e0", 1_000)]
    assert [f for f in findings if f.code == "RL214"] == []


def test_copies_split_by_method_are_three_groups():
    findings = lint("starlette", [{"rule": "/same/{x:int}", "endpoint": f"e{i}",
                                   "methods": [("GET", "POST", "PUT")[i % 3]]}
                                  for i in range(300)])
    # RL210 (opt-in): each POST and PUT route is left out of the GET route's Allow.
    assert len([f for f in findings if f.code == "RL210"]) == 200
    assert sorted((f.code, f.routes[0].endpoint, f.routes[-1].endpoint, len(f.routes))
                  for f in findings if f.code != "RL210") == [("RL203", "e3", "e0", 100),
                                         ("RL203", "e4", "e1", 100),
                                         ("RL203", "e5", "e2", 100)]


def test_django_copies_are_one_group_and_same_view_copies_are_their_own_info():
    items = [{"rule": "same/<int:x>/", "endpoint": f"e{i}",
              "view": "app.views.same" if i % 2 == 0 else f"app.views.v{i}"}
             for i in range(2_000)]
    findings = lint("django", items)
    found = sorted((f.code, f.severity, f.routes[0].endpoint, len(f.routes))
                   for f in findings)
    # e0's view again changes no answer (info); other views are lost (error).
    assert found == [("RL203", "error", "e1", 1_001), ("RL203", "info", "e2", 1_000)]
    info = next(f for f in findings if f.severity == "info")
    assert "all have the same view and kwargs, so no answer changes" in info.message


def test_a_part_of_one_copy_is_reported_on_its_own():
    # Three copies, the last with the first's view: two parts of one route each.
    findings = lint("django", [{"rule": "same/<int:x>/", "endpoint": "a", "view": "v.a"},
                               {"rule": "same/<int:x>/", "endpoint": "b", "view": "v.b"},
                               {"rule": "same/<int:x>/", "endpoint": "c", "view": "v.a"}])
    assert [(f.code, f.severity, [r.endpoint for r in f.routes], "copies" in f.details)
            for f in findings] == [("RL203", "error", ["b", "a"], False),
                                   ("RL203", "info", ["c", "a"], False)]


def test_django_copies_inside_an_include_are_swallowed_as_a_group():
    findings = lint("django", [
        {"include": "api/", "routes": [{"rule": "<path:rest>", "endpoint": "proxy"}]},
        *[{"rule": "api/health/", "endpoint": f"h{i}"} for i in range(1_000)]])
    assert sorted((f.code, f.routes[0].endpoint, f.routes[-1].endpoint, len(f.routes))
                  for f in findings) == [("RL301", "h0", "proxy", 2),
                                         ("RL301", "h1", "proxy", 1_000)]


def test_a_focused_run_judges_a_focused_copy_as_its_group():
    # routecli diff judges the entries near a change: a copy there gives the whole
    # table's group relation, and a route after the copies meets the first only.
    specs = [*[("/i/[0-9]+", ["GET"])] * 5, ("/i/[^/]+", ["GET"])]

    def shown(found):
        return [(r.kind, r.entry.index, tuple(o.index for o in r.earlier),
                 tuple(c.index for c in r.copies)) for r in found.relations()]

    whole = shown(FirstMatch(entries(*specs)))
    assert whole == [("duplicate", 1, (0,), (2, 3, 4))]
    for focus in ({3}, {1}, {0, 4}, {2, 5}):
        assert shown(FirstMatch(entries(*specs), focus=focus)) == whole


def _declining_table(*rules_and_converters):
    from routecli.routing.django.table import DjangoTable
    from routecli.routing.model import Route, RouteSet

    routes = [Route(rule, f"e{i}", None, name=f"e{i}", view=f"app.views.v{i}",
                    converters={"small": converter})
              for i, (rule, converter) in enumerate(rules_and_converters)]
    return DjangoTable(RouteSet(routes, dialect="django"))


def _small_converter():
    """A converter refusing values above 999 (the analysis' witness, 1, passes)."""
    from routecli.routing.django.converters import Converter

    def small(value):
        if int(value) < 1_000:
            return int(value)
        raise ValueError(value)

    return Converter("small", "[0-9]+", small)


def test_copies_of_a_declining_pattern_are_duplicates_of_the_first():
    # Django asks each copy in turn; what the first one's converter rejects, the next
    # one's rejects too: the later copies never answer (before: no finding, and every
    # copy judged against every earlier one).
    even = _small_converter()
    table = _declining_table(*[("y/<small:n>/", even)] * 2)
    [finding] = table.lint().findings
    assert (finding.code, [r.endpoint for r in finding.routes], finding.witness.url,
            finding.answered_by) == ("RL203", ["e1", "e0"], "/y/1/", "e0")
    assert (table.match("GET", "/y/1/").endpoint, table.match("GET", "/y/1000/").status) == (
        "e0", 404)
    report = _declining_table(*[("y/<small:n>/", even)] * 1_000).lint()
    [group] = report.findings
    assert (group.code, group.details["copies"], group.routes[-1].endpoint) == (
        "RL203", 999, "e0")
    assert report.stats["pairs"] == 1


def test_a_declining_pattern_with_another_converter_is_no_copy():
    # Same text, same regex, another to_python (another converter registered under the
    # name): the later pattern may answer what the first rejects.
    table = _declining_table(("y/<small:n>/", _small_converter()),
                             ("y/<small:n>/", _small_converter()))
    assert table.lint().findings == []
    assert table.match("GET", "/y/1/").endpoint == "e0"


def test_copies_under_an_approximate_include_are_one_group():
    # A regex prefix can split a path several ways (the language over-approximates):
    # no route of it dominates another, but its copies decide every path alike.
    def include(count):
        return [{"include_regex": "^(?P<lang>[a-z]+)/",
                 "routes": [{"rule": "p/<int:x>/", "endpoint": f"e{i}",
                             "view": f"app.views.v{i}"} for i in range(count)]}]

    [pair] = lint("django", include(2))
    assert (pair.code, [r.endpoint for r in pair.routes], pair.witness.url) == (
        "RL203", ["e1", "e0"], "/a/p/1/")
    report = table("django", include(2_000)).lint()
    [group] = report.findings
    assert (group.code, group.details["copies"], group.routes[0].endpoint,
            group.routes[-1].endpoint) == ("RL203", 1_999, "e1", "e0")
    assert report.stats["pairs"] == 1


def test_a_route_after_approximate_copies_meets_the_first_only():
    found = table("django", [{"include_regex": "^(?P<lang>[a-z]+)/", "routes": [
        *[{"rule": "p/<int:x>/", "endpoint": f"e{i}"} for i in range(4)],
        {"rule": "p/<str:s>/", "endpoint": "broad"}]}]).lint()
    assert found.stats["pairs"] == 2  # e1 against e0, broad against e0


def test_routes_of_one_path_with_other_convertors_are_one_finding_each():
    # RL214 names, for each later route, the first earlier one of another spelling that
    # shares a method: N spellings of one path are N - 1 findings (were N^2 / 2 pairs).
    converters = {f"c{i}": {"regex": f"[0-9]{{{i}}}"} for i in range(1, 400)}
    items = [{"rule": f"/same/{{x:c{i}}}", "endpoint": f"e{i}"} for i in range(1, 400)]
    findings = [f for f in lint("starlette", items, converters=converters)
                if f.code == "RL214"]
    assert [(f.routes[0].endpoint, f.routes[1].endpoint) for f in findings] == [
        (f"e{i}", "e1") for i in range(2, 400)]
    # a method the first does not take: the next earlier route that does
    items = [{"rule": "/p/{x}", "endpoint": "a", "methods": ["POST"]},
             {"rule": "/p/{x:int}", "endpoint": "b", "methods": ["GET"]},
             {"rule": "/p/{x:float}", "endpoint": "c", "methods": ["GET"]}]
    assert [(f.routes[0].endpoint, f.routes[1].endpoint)
            for f in lint("starlette", items) if f.code == "RL214"] == [("c", "b")]
