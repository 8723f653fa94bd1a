"""Property test of routecli diff for the first-match dialects (issue #12, points 1 and 6):
for a random Starlette or Django table and a random edit (add, remove, reorder, change a
convertor, methods, slashes), every request whose answer differs between the two tables
(brute force over a small URL universe, asked of both tables' ``match``) is explained by
a reported change, and every reported witness really differs. Reordering is the edit
that matters most here: routes are tried in declaration order."""


from first_match_edits import edited, first_match_table
from hypothesis import HealthCheck, given, settings

from helpers import request_universe
from routecli.diff import diff
from routecli.diff.answers import ask

VALUES = ["a", "b", "me", "1", "1.5", "x7", "a.b"]
METHODS = ["GET", "POST", "PUT", "HEAD"]

UNIVERSE = request_universe(VALUES, METHODS)


def responsible(table, answer, request):
    """The entries behind an answer: the one that answered or redirected; for a 404 or
    405, every entry whose own path takes the URL (a 405 lists their methods)."""
    if answer.rule is not None:
        return {id(answer.rule)}
    return {id(entry) for entry in table.matching_rules(request.url)}


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(edited())
def test_every_differing_request_is_explained(case):
    dialect, options, old_items, new_items = case
    old = first_match_table(dialect, old_items, options)
    new = first_match_table(dialect, new_items, options)
    if old is None or new is None:
        return
    report = diff(old, new, lint=False)
    involved = set()
    for change in report.changes:
        involved |= {id(change.old), id(change.new)} - {id(None)}
        if change.severity != "info":
            assert change.requests, change
        for e in change.requests:  # every reported witness really differs
            a, b = ask(old, e.request), ask(new, e.request)
            assert a.key != b.key, e
            assert e.old.key == a.key and e.new.key == b.key
    for request in UNIVERSE:
        a, b = ask(old, request), ask(new, request)
        if a is None or b is None or a.key == b.key:
            continue
        behind = responsible(old, a, request) | responsible(new, b, request)
        assert behind & involved, (
            f"{request.method} {request.url}: {a.key} -> {b.key} unexplained by "
            f"{report.changes}\nOLD {old_items}\nNEW {new_items}")
