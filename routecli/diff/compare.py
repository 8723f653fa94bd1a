"""``diff(old, new)``: what changed between two route tables, proven by requests.

1. :mod:`.identity` finds the touched routes (O(n log n));
2. the dialect's hook (:mod:`.candidates`) proposes requests around them;
3. both tables answer every request (:mod:`.answers`), each counted in the work budget;
   of the requests that differ alike (same routes, same kind of answers), the first few
   are kept: what classifying reads of them is the same;
4. touched routes of OLD and NEW are paired by the requests both answer (then by pattern
   and endpoint), never by line or name alone;
5. each request whose answer differs is filed under the change of the route that
   answered it in OLD, else in NEW; requests whose routes were both untouched (an order
   or sibling effect) get a change of their own, so none goes unexplained;
6. :mod:`.changes` classifies; lint findings NEW has and OLD had not are added by
   fingerprint (:mod:`.lint_delta`).
"""

from __future__ import annotations

from collections import Counter

from routecli.analysis.budget import REQUEST_STEPS
from routecli.automata.limits import current_budget
from routecli.diff.answers import ask
from routecli.diff.candidates import candidate_requests
from routecli.diff.changes import SHOWN_REQUESTS, Change, Evidence, classify
from routecli.diff.identity import (
    Touched,
    changed_converter_names,
    table_signatures,
    touched_by_signature,
)
from routecli.diff.pairing import pair_touched
from routecli.diff.report import DiffReport
from routecli.errors import RouteError

#: differing requests kept per kind (:func:`_kind`): as many as a change shows
KEPT_ALIKE = SHOWN_REQUESTS
#: said of a change without requests when the work budget ran out: none may have been asked
UNPROVEN = "; unproven: the work budget ran out before its requests were asked"


def diff(old, new, *, lint: bool = True, budget: int | None = None) -> DiffReport:
    """Compare two compiled tables (any dialect with ``match``); see the module doc.
    ``budget``: steps of the exact engine for both tables (None: the default for their
    sizes, 0: no limit); ``report.stats`` says whether it ran out (then some candidate
    requests were not found, and lint's questions left are RL199)."""
    from routecli.analysis.budget import analysis_budget, note_budget
    from routecli.gc_paused import gc_paused

    with gc_paused(), analysis_budget((old, new), budget) as spent:
        report = _diff(old, new, lint)
    note_budget(report.stats, spent)
    return report


def _diff(old, new, lint: bool) -> DiffReport:
    changed = changed_converter_names(old.routeset, new.routeset)
    touched = touched_by_signature(table_signatures(old, changed),
                                   table_signatures(new, changed))
    settings_changed = _settings(old) != _settings(new)
    asked = touched
    if settings_changed:  # every answer may change: every route is a candidate
        asked = Touched(set(range(len(old.rules))), set(range(len(new.rules))), {}, {})
    co_answered: Counter = Counter()
    differing: list[Evidence] = []
    alike: Counter = Counter()
    budget = current_budget()
    lists: dict[tuple, tuple] = {}  # allowed methods, each list once
    for request in candidate_requests(old, new, asked):  # each request once
        if not budget.charge(REQUEST_STEPS + _match_cost(old, request)
                             + _match_cost(new, request)):
            break  # the budget's stats say so (docs/diff.md)
        a, b = ask(old, request), ask(new, request)
        # A 405 lists its allowed methods: one path of 10,000 rules, 10,000 each,
        # counted, and kept once however many answers list them
        budget.charge(_listed(a) + _listed(b))
        a, b = _shared(a, lists), _shared(b, lists)
        if a is None or b is None:
            continue
        if a.rule is not None and b.rule is not None and \
                a.rule.index in touched.old and b.rule.index in touched.new:
            co_answered[a.rule.index, b.rule.index] += 1
        if not a.same(b):
            kind = _kind(request, a, b)
            alike[kind] += 1
            if alike[kind] <= KEPT_ALIKE:
                differing.append(Evidence(request, a, b))
    pairs = pair_touched(old, new, touched, co_answered)
    changes = _file(old, new, touched, pairs, differing)
    for change in changes:
        classify(change)
        if budget.spent and not change.requests:
            change.message += UNPROVEN
    changes += _moved_files(old, new, touched)
    if settings_changed:
        changes.append(_settings_change(old, new))
    new_findings = []
    if lint:
        from routecli.diff.lint_delta import new_findings as find_new

        new_findings = find_new(old, new, touched)
    return DiffReport(changes, new_findings, _count(old), _count(new))


def _match_cost(table, request) -> int:
    """Steps beyond :data:`REQUEST_STEPS` that asking ``table`` costs: one per route a
    first-match table tries in turn (a trie's lookup costs no more for more routes)."""
    cost = getattr(table, "match_cost", None)
    if cost is None:
        return 0
    try:
        return cost(request.url)
    except RouteError:  # not a request the table takes: ask() says None at once
        return 0


def _listed(answer) -> int:
    """Steps an answer took beyond the request's: one per allowed method it lists."""
    return 0 if answer is None or not answer.allowed_methods else len(answer.allowed_methods)


def _shared(answer, lists: dict):
    """``answer`` with its allowed methods the ones in ``lists`` (put there if new)."""
    if answer is None or not answer.allowed_methods:
        return answer
    allowed = lists.setdefault(answer.allowed_methods, answer.allowed_methods)
    return answer if allowed is answer.allowed_methods else answer._replace(
        allowed_methods=allowed)


def _kind(request, a, b) -> tuple:
    """What filing and classifying a differing request read of it (:mod:`.changes`): its
    routes on both sides (the routes it was asked for when neither answers), its method,
    both statuses and endpoints, whether each redirects, and whether the answers differ
    but for the endpoint. Of requests of one kind the first :data:`KEPT_ALIKE` are kept:
    the change is classified the same, and shows the same requests (10^5 requests about cross-overlapping tables were 500 MB)."""
    first, second = a.rule, b.rule
    return (None if first is None else first.index, None if second is None else second.index,
            request.about if first is None and second is None else None, request.method,
            a.status, b.status, a.endpoint, b.endpoint, a.location is None,
            b.location is None, a.same_but_endpoint(b))


def _count(table) -> int:
    """Routes as the summary counts them (a first-match table's groups are not)."""
    return sum(1 for rule in table.rules if getattr(rule, "is_route", True))


def _file(old, new, touched: Touched, pairs: dict[int, int],
          differing: list[Evidence]) -> list[Change]:
    """One change per touched route (pair), each differing request filed under one."""
    by_old: dict[int, Change] = {}
    by_new: dict[int, Change] = {}
    changes: list[Change] = []
    for i in sorted(touched.old):
        j = pairs.get(i)
        change = Change(old.rules[i], None if j is None else new.rules[j])
        by_old[i] = change
        if j is not None:
            by_new[j] = change
        changes.append(change)
    for j in sorted(touched.new):
        if j not in by_new:
            change = by_new[j] = Change(None, new.rules[j])
            changes.append(change)
    counterpart_new = {**touched.unchanged, **touched.moved}
    counterpart_old = {j: i for i, j in counterpart_new.items()}
    others: dict[tuple, Change] = {}
    for evidence in differing:
        a, b = evidence.old.rule, evidence.new.rule
        mine = None if a is None else by_old.get(a.index)
        theirs = None if b is None else by_new.get(b.index)
        # The cause: a removed route's own loss; else a route of NEW that now takes the
        # request from another; else the route that answered it in OLD.
        change = mine if mine is not None and (mine.new is None or theirs is None) else \
            theirs or mine
        if change is None and a is None and b is None:
            # No route answers it on either side (404 <-> 405): the routes it was asked for.
            for side, index in evidence.request.about:
                change = (by_old if side == "old" else by_new).get(index)
                if change is not None:
                    break
            else:
                side, index = evidence.request.about[0] if evidence.request.about else \
                    ("new", None)
                rules = old.rules if side == "old" else new.rules
                a = rules[index] if side == "old" and index is not None else None
                b = rules[index] if side == "new" and index is not None else None
        if change is None and a is None and b is None:
            continue  # no route to file it under (every hook names the routes it asks for)
        if change is None:
            # Both routes untouched: an order or endpoint-sibling effect of the change.
            key = (None if a is None else a.index, None if b is None else b.index)
            change = others.get(key)
            if change is None:
                if a is not None:
                    j = counterpart_new.get(a.index)
                    change = Change(a, new.rules[j] if j is not None else b)
                else:
                    i = counterpart_old.get(b.index)
                    change = Change(old.rules[i] if i is not None else None, b)
                others[key] = change
                changes.append(change)
        change.requests.append(evidence)
    return changes


def _moved_files(old, new, touched: Touched) -> list[Change]:
    """Info changes for unchanged routes now declared in another file that NEW also reads
    (comparing two different files, every route "moves": that is no news)."""
    new_files = {_file_name(rule.source.file) for rule in new.rules if rule.source is not None}
    out = []
    for i, j in touched.unchanged.items():
        a, b = old.rules[i].source, new.rules[j].source
        if a is None or b is None:
            continue
        before, after = _file_name(a.file), _file_name(b.file)
        if before != after and before in new_files:
            change = Change(old.rules[i], new.rules[j])
            classify(change)
            out.append(change)
    return out


def _file_name(file: str) -> str:
    """A route file's path, ``git:REV:path`` read as ``path`` (one file at two revisions)."""
    import os

    if file.startswith("git:"):
        file = file.split(":", 2)[-1]
    return os.path.normpath(file)


def _settings(table) -> dict:
    """Table-wide settings: Werkzeug's, and a first-match dialect's own options (e.g.
    ``redirect_slashes``, ``append_slash``)."""
    settings = table.settings
    out = dict(settings.to_dict() if hasattr(settings, "to_dict") else vars(settings))
    out.update(getattr(table, "options", None) or {})
    from routecli.routing.dialects import dialect_of

    out["dialect"] = dialect_of(table).name
    return out


def _settings_change(old, new) -> Change:
    before, after = _settings(old), _settings(new)
    names = [name for name in sorted(set(before) | set(after))
             if before.get(name) != after.get(name)]
    change = Change()
    change.kind = "settings-changed"
    change.severity = "info"
    change.message = "settings changed: " + ", ".join(
        f"{name} {before.get(name)!r} -> {after.get(name)!r}" for name in names)
    return change
