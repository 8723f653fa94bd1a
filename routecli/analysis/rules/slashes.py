"""Trailing-slash and lost-slash rules: RL107 slash twins (`/a` next to `/a/`), RL108
slash capture (a branch route takes `/b` from another route), RL119 missing slash (a
static segment that reads as two segments glued together)."""

from __future__ import annotations

from collections import Counter, defaultdict

from routecli.analysis.findings import Finding
from routecli.analysis.messages import MAX_LISTED, add_slash, label, pick_method, show, where
from routecli.analysis.pairs import shared_methods
from routecli.analysis.rule import Rule
from routecli.routing.serialize import route_ref

SLASH_TWINS = Rule(
    "RL107", "slash-twins", "warning",
    "A route and a trailing-slash variant of the same pattern both exist.",
    "Reports `/a` next to `/a/` (or `/<x>` next to `/<y>/`) sharing a method: `/a` and "
    "`/a/` then reach different routes. Info when both have the same endpoint. Opt-in: "
    "apps register both forms on purpose (`/rss/` redirecting to the feed at `/rss`).",
    "URLs differing only by a trailing slash usually mean the same thing to users, "
    "crawlers and proxies.",
    "- rule: /a\n  endpoint: leaf\n- rule: /a/\n  endpoint: branch",
    "Keep one of them; Werkzeug already redirects `/a` to `/a/` for a lone branch route.",
    opt_in=True,
)


# Twins with one endpoint are one view under two URLs (documented above).
SAME_ENDPOINT_SEVERITY = "info"


@SLASH_TWINS.checks
def check_twins(run) -> list:
    """RL107, one finding per leaf/branch pair of one pattern."""
    out = []
    for leaf, branch, twin in run.pairs.slashes:
        if not twin:
            continue
        found = _slash_witness(run.analysis, leaf, branch, True)
        if found is None:
            continue
        witness = found.witness
        severity = (SAME_ENDPOINT_SEVERITY if leaf.endpoint == branch.endpoint
                    else SLASH_TWINS.severity)
        message = (f"slash twins: {show(witness)} goes to this route and "
                   f"{add_slash(witness.url)} to {label(branch)} ({where(branch, leaf)})")
        out.append(Finding(SLASH_TWINS.code, severity, message, [leaf, branch], witness,
                           found.result.endpoint, {"twin_url": add_slash(witness.url)},
                           "slash-twins"))
    return out


SLASH_CAPTURE = Rule(
    "RL108", "slash-capture", "warning",
    "A branch route (`/b/`) takes a URL without the slash that another route matches.",
    "Reports a route whose URL `/b` is answered by a branch route `/b/` tried first: a "
    "strict branch redirects it to `/b/` (308), a non-strict one answers it directly. "
    "Opt-in: it is how a section (`/admin/`) next to a catch-all or an `<id>` route is "
    "meant to work.",
    "The other route never sees `/b`, although its pattern matches it.",
    "- rule: /<x>\n  endpoint: page\n- rule: /b/\n  endpoint: b   # GET /b -> 308 /b/",
    "Rename one of the routes, or accept the redirect deliberately.",
    opt_in=True,
)


@SLASH_CAPTURE.checks
def check_captures(run) -> list:
    """RL108, one finding per leaf route some branch route takes URLs from."""
    analysis = run.analysis
    captures: dict[int, list] = defaultdict(list)
    for leaf, branch, twin in run.pairs.slashes:
        if not twin:
            captures[leaf.index].append(branch)
    out = []
    for index in sorted(captures):
        leaf = analysis.table.rules[index]
        branches = sorted(captures[index], key=lambda rule: rule.index)
        for branch in branches:
            found = _slash_witness(analysis, leaf, branch, False)
            if found is None:
                continue
            how = ("redirects it to add a slash" if found.result.status == 308
                   else "answers it (strict_slashes is off)")
            more = (f" (and {len(branches) - 1} more branch routes take other URLs of it)"
                    if len(branches) > 1 else "")
            message = (f"slash capture: this route matches {show(found.witness)}, but the "
                       f"branch route {label(branch)} ({where(branch, leaf)}) {how}{more}")
            details = {"status": found.result.status, "branch_count": len(branches),
                       "branches": [route_ref(b) for b in branches[:MAX_LISTED]]}
            out.append(Finding(SLASH_CAPTURE.code, SLASH_CAPTURE.severity, message,
                               [leaf, branch], found.witness, found.result.endpoint, details,
                               "slash-capture"))
            break
    return out


def _slash_witness(analysis, leaf, branch, twin: bool):
    """A checked request for the leaf's URL that shows the slash relation, or None."""
    witnesses = analysis.witnesses
    methods = analysis.index.methods
    shared = shared_methods(methods[leaf.index], methods[branch.index])
    if shared is not None and not shared:
        return None
    method = pick_method(shared)
    first, second = (leaf, branch) if twin else (branch, leaf)
    tail = any(part.final for part in leaf.parts)

    def leaf_values(values: list[str]) -> list[str]:
        if tail and values[-1].endswith("/"):
            # a tail value built with the branch's slash: the leaf URL is without it
            return [*values[:-1], values[-1][:-1]]
        return values

    candidates = (leaf_values(values) for values in witnesses.pair_values(first, second))
    for checked in witnesses.answers(candidates, method, leaf.websocket):
        if not witnesses.matches(checked, leaf):
            analysis.stats["model_disagreements"] += 1
            continue
        result = checked.result
        if twin:
            request = checked.witness
            slashed = witnesses.ask(method, add_slash(request.url), request.host)
            if (result.rule is leaf and result.status == 200 and slashed is not None
                    and slashed.rule is branch):
                return checked
        elif result.rule is branch:
            return checked
    analysis.stats["masked"] += 1
    return None


MISSING_SLASH = Rule(
    "RL119", "missing-slash", "warning",
    "A static segment that reads as two neighbouring segments with the slash lost.",
    "Reports a route whose static segment equals a sibling segment followed by a "
    "segment that comes right after that sibling elsewhere in the table, e.g. "
    "`/api/2.0mlflow/runs` next to `/api/2.0/mlflow/...` (a real defect in mlflow's "
    "url_map). Both pieces are at least two characters long. Only when the joined word "
    "is not a segment in its own right: no route ends at it (`/tokengroup/` next to "
    "`/token/group/<serial>` is an API of its own), it appears nowhere else in the table "
    "except where it is glued the same way, and what follows it also follows the two "
    "pieces (the same next static segment, or a variable where one follows). One "
    "finding per joined word, listing the routes below it.",
    "The route answers a URL nobody requests, and the intended URL gets a 404.",
    "- rule: /api/2.0/mlflow/runs/search\n- rule: /api/2.0mlflow/runs/list",
    "Add the missing slash (usually a prefix joined without '/').",
)


_MIN_PIECE = 2  # both halves of a glued segment are at least this long


@MISSING_SLASH.checks
def check_missing_slashes(run) -> list:
    """RL119: a static segment that reads as two sibling segments glued together
    (``2.0mlflow`` next to ``2.0`` → ``mlflow``): a slash was probably lost."""
    return missing_slashes(run.analysis.index.root)


def missing_slashes(root, focus: dict | None = None, words: frozenset = frozenset()) -> list:
    """RL119's findings below the trie ``root``. With ``focus`` (state id -> (state, its
    segments to look at)), only those segments, and the ``words`` wherever they are
    (routecli diff: the caller makes them the segments an edit can concern)."""
    seen: Counter = Counter()  # static segment -> trie positions holding it
    glued: list[tuple] = []  # (segment, its state, head, rest, the state below head/rest)
    for state, keys in (focus or {}).values():
        statics = state.static
        glued += _glued(statics, {key: statics[key] for key in keys - words if key in statics})
    stack = [root]
    while stack:
        state = stack.pop()
        statics = state.static
        if statics:
            stack.extend(statics.values())
        if state.dynamic:
            stack.extend([child for _, child in state.dynamic])
        if not statics:
            continue  # most states are leaves: no Counter.update call (a Python one)
        seen.update(statics.keys())  # counted in C: this walk sees every state
        if len(statics) < 2:
            continue
        if focus is None:
            glued += _glued(statics, statics)
        elif words:
            hits = statics.keys() & words
            if hits:
                glued += _glued(statics, {key: statics[key] for key in hits})
    return _missing_slash_findings(seen, glued)


def joined_segments(state, keys) -> set[str]:
    """The segments among ``keys`` of ``state`` that read as two of its siblings glued."""
    statics = state.static
    return {item[0] for item in _glued(statics, {k: statics[k] for k in keys if k in statics})}


def _glued(statics: dict, keys: dict) -> list[tuple]:
    """The segments among ``keys`` that read as two siblings in ``statics`` glued."""
    glued = []
    for key, child in keys.items():
        for cut in range(_MIN_PIECE, len(key) - _MIN_PIECE + 1):
            head, rest = key[:cut], key[cut:]
            sibling = statics.get(head)
            if sibling is not None and rest in sibling.static:
                glued.append((key, child, head, rest, sibling.static[rest]))
                break
    return glued


def _missing_slash_findings(seen: dict[str, int], glued: list[tuple]) -> list:
    glued_at: dict[str, int] = defaultdict(int)
    for key, *_ in glued:
        glued_at[key] += 1
    out = []
    for key, child, head, rest, split in glued:
        if seen[key] > glued_at[key] or _own_word(child, split):
            continue
        for rule in _rules_below(child):
            # The rule is in the message: one view's variants (mlflow's /api/...
            # and /ajax-api/...) share a source line and would read the same.
            out.append(Finding(
                MISSING_SLASH.code, MISSING_SLASH.severity,
                f"segment {key!r} of {label(rule)} looks like {head!r} + {rest!r} "
                f"with the slash missing: other routes continue with /{head}/{rest}",
                [rule],
                details={"segment": key, "split": [head, rest]},
                kind="missing-slash", cause=("missing-slash", key, head, rest)))
    return out


def _own_word(glued, split) -> bool:
    """True when the joined segment's state reads as a resource of its own rather than
    the two pieces: a route ends there, or what follows it does not follow the pieces."""
    branch = glued.static.get("")
    if glued.rules or (branch is not None and branch.rules):
        return True
    if any(name and name not in split.static for name in glued.static):
        return True
    return bool(glued.dynamic) and not split.dynamic


def _rules_below(state) -> list:
    """The rules at ``state`` and below it in the trie, in table order."""
    found, stack = [], [state]
    while stack:
        node = stack.pop()
        found.extend(node.rules)
        stack.extend(node.static.values())
        stack.extend(child for _, child in node.dynamic)
    return sorted(found, key=lambda rule: rule.index)
