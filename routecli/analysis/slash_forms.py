"""Routes with strict_slashes off: the URLs they answer with the trailing slash toggled.

Werkzeug lets such a route answer more than its pattern. A non-strict *leaf* ``/bar`` also
answers ``/bar/``: when the search reaches its state with only an empty segment left and no
static or dynamic transition there takes it, the leaf is the fallback. A non-strict *branch*
``/foo/`` also answers ``/foo``: the leaf check returns it instead of raising the slash
redirect. "Can answer the same request" (docs/lint.md#conflicts) is about patterns *with their slash
behaviour*, so the analysis gives such a route two **forms**: its pattern, and its *slash
form*, the pattern with the final slash toggled (``/bar/``; ``/foo``; for ``/<path:p>/`` the
tail without its slash). A leaf ending in a slash-spanning part has no slash form (its tail
already decides what a trailing slash does, and Werkzeug never falls back after a tail), and
neither has the root ``/`` (no request has an empty path).

Overlap, ordering and relations
-------------------------------
A pair of routes overlaps when some form of one and some form of the other share a URL and
a method. Pairs of patterns come from the usual self-join of the trie
(:mod:`.overlap`); the pairs only slash forms add come from :meth:`Slashes.pairs`: the slash
forms are put in a small trie of their own, joined against the real trie and against
themselves, so the cost follows the number of non-strict routes (nothing at all when there
are none, Flask's default).

Who is tried first follows the real trie: where the two routes' paths split, a static child
before any dynamic transition, dynamic ones in the state's sorted order (equal weights: a
*tie*, decided by creation order). When one route's path is a prefix of the other's, the
longer one is tried first (a leaf's slash fallback comes after everything below its state),
except for **slash twins** -- a leaf ``/a`` and a branch ``/a/`` on the same state: each
answers its own pattern's URLs, and only the other's slash form loses to it. Every claim
is still checked on the real matcher: a pair whose witness goes elsewhere is "masked".

Relations extend the pattern ones to forms: *cover* when every form of the second route is
inside the first's forms; *specialisation* when each form of the first route is either
inside the second's forms or disjoint from them (``/about`` with strict_slashes off against
``/<page>``: ``/about/`` is not the other route's business); twins are always a
specialisation (each is the narrower route on its own URLs); otherwise *crossed*.
"""

from __future__ import annotations

from routecli import automata
from routecli.analysis.languages import _SUFFIX, NO_NEWLINE, product
from routecli.automata import Undecidable
from routecli.routing.werkzeug.compiler import Part
from routecli.routing.werkzeug.explain import pattern_values
from routecli.routing.werkzeug.matcher import State, insert, prioritise

# The empty segment a leaf's slash form ends with.
_EMPTY = Part("", True, False, False, (0, (), 0, ()))


class SlashForm:
    """The slash form of a non-strict route: what the analysis needs of a rule (``index``,
    ``parts``, ``websocket``), with ``origin`` the real route."""

    __slots__ = ("index", "origin", "parts", "websocket")

    def __init__(self, origin, parts: list) -> None:
        self.origin = origin
        self.index = origin.index
        self.parts = parts
        self.websocket = origin.websocket

    @property
    def rule(self) -> str:
        """The slash form's pattern as text (the route's with the final slash toggled)."""
        text = self.origin.rule
        return text[:-1] if self.origin.is_branch else text + "/"

    def __repr__(self) -> str:
        return f"<SlashForm of #{self.index} {self.rule!r}>"


def slash_form(rule) -> SlashForm | None:
    """The slash form of a route with strict_slashes off, or None."""
    if rule.strict_slashes:
        return None
    parts = rule.parts
    if rule.is_branch:
        if not (parts[-1].static and parts[-1].content == ""):
            return None  # pragma: no cover - a branch always ends with the empty part
        head = parts[:-1]
        last = head[-1]
        if last.final and last.suffixed:
            bare = last.content[: -len(_SUFFIX)] + "(?<!/)\\Z"
            head = [*head[:-1], Part(bare, False, True, False, last.weight, last.groups,
                                     last.converters, last.text)]
        if len(head) < 3:
            return None  # the root "/": no request has an empty path
        return SlashForm(rule, head)
    if parts[-1].final:
        return None
    return SlashForm(rule, [*parts, _EMPTY])


def origin(rule):
    """The real route of a rule or slash form."""
    return getattr(rule, "origin", rule)


class Slashes:
    """The slash forms of a table's live routes, and what the analysis asks about them."""

    def __init__(self, index) -> None:
        self.index = index
        self.langs = index.langs
        self.forms: dict[int, SlashForm] = {}
        for rule in index.rules:
            if index.live[rule.index] and not rule.strict_slashes:
                form = slash_form(rule)
                if form is not None:
                    self.forms[rule.index] = form
        self.active = bool(self.forms)

    # -- forms ---------------------------------------------------------------------------------

    def has(self, rule) -> bool:
        """True if the route has a slash form (strict_slashes off, and one exists)."""
        return rule.index in self.forms

    def forms_of(self, rule) -> list:
        """The route itself, then its slash form if it has one."""
        form = self.forms.get(rule.index)
        return [rule] if form is None else [rule, form]

    def matches(self, rule, segments) -> bool:
        """True if the route's pattern, or its slash form, matches the segments."""
        if pattern_values(rule, segments) is not None:
            return True
        form = self.forms.get(rule.index)
        return form is not None and pattern_values(form, segments) is not None

    def via_slash(self, rules, segments) -> list:
        """The routes that match the segments only through their slash form."""
        return [rule for rule in rules if pattern_values(rule, segments) is None
                and self.has(rule) and pattern_values(self.forms[rule.index], segments)
                is not None]

    # -- the pairs slash forms add -----------------------------------------------------------

    def pairs(self, seen: set, on_unverified=None) -> list:
        """Pairs of routes that overlap only through a slash form (``seen`` holds the
        ``(low, high)`` index pairs the pattern join already found), oriented and flagged
        as :class:`~.pairs.Pair` objects with their overlapping ``forms``."""
        from routecli.analysis.overlap import SelfJoin

        found: dict[tuple[int, int], list] = {}

        def collect(pair) -> None:
            a, b = pair.first, pair.second
            ra, rb = origin(a), origin(b)
            if ra is rb:
                return
            key = (ra.index, rb.index) if ra.index < rb.index else (rb.index, ra.index)
            if key in seen:
                return
            combo = (a, b) if ra.index < rb.index else (b, a)
            entry = found.get(key)
            if entry is None:
                found[key] = [pair.methods, combo]
            elif combo not in entry[1:]:
                entry.append(combo)

        def unverified(rules, others, reason: str) -> None:
            if on_unverified is None:
                return
            rules = _unique_origins(rules)
            others = [r for r in _unique_origins(others) if all(r is not s for s in rules)]
            if rules and others:
                on_unverified(rules, others, reason)

        vroot = _trie(self.forms.values())
        join = SelfJoin(self.index, collect, on_unverified=unverified)
        join._pair(vroot, self.index.root, 0, 0, True, False)
        join._same(vroot, 0)
        rules = self.index.rules
        out = []
        for (low, high), (methods, *combos) in sorted(found.items()):
            out.append(self.oriented(rules[low], rules[high], methods, combos))
        return out

    def oriented(self, a, b, methods, combos):
        """The Pair for routes ``a`` and ``b`` (``combos``: their overlapping forms, in
        that order), with the route the matcher tries first as ``first``."""
        from routecli.analysis.pairs import Pair

        first, div, tie, twin = self.order(a, b, combos)
        if first is b:
            a, b = b, a
            combos = [(y, x) for x, y in combos]
        if twin:
            # The combination where the first route answers with its own pattern first.
            combos.sort(key=lambda combo: combo[0] is not a)
        return Pair(a, b, div, tie, methods, tuple(combos), twin)

    def order(self, a, b, combos):
        """(the route tried first, the part index where the paths split, tie?, twins?)."""
        trail = self.index.trail
        pa, pb = a.parts, b.parts
        _, edges_a = trail(a)
        _, edges_b = trail(b)
        for i in range(min(len(pa), len(pb))):
            p, q = pa[i], pb[i]
            if p.static and q.static:
                if p.content == q.content:
                    continue
                return a, i, False, False  # pragma: no cover - no common URL splits here
            if p.static != q.static:
                return (a if p.static else b), i, False, False
            if p.key == q.key:
                continue
            first = a if edges_a[i] < edges_b[i] else b
            return first, i, p.weight == q.weight, False
        short, long = (a, b) if len(pa) < len(pb) else (b, a)
        split = len(short.parts)
        if len(long.parts) == split + 1 and long.parts[-1].static and long.parts[-1].content == "":
            # Twins: the leaf wins the URLs of its pattern, the branch those of its own.
            leaf_pattern = any(x is short for x, _ in combos) or any(
                y is short for _, y in combos)
            return (short if leaf_pattern else long), split, False, True
        # The longer route continues below the state where the shorter one's slash
        # fallback would answer: everything there is tried first.
        return long, split, False, False

    # -- relations -----------------------------------------------------------------------------

    def relation(self, first, second) -> str:
        """cover, specialisation or crossed for two routes of which ``first`` is tried
        first, at least one of them with a slash form (ties and twins are decided before)."""
        mine, theirs = self.forms_of(first), self.forms_of(second)
        if all(self.covered(form, mine) for form in theirs):
            return "cover"
        if all(self.covered(form, theirs) or not self.meets(form, theirs) for form in mine):
            return "specialisation"
        return "crossed"

    def covered(self, form, others) -> bool:
        """True if every URL of ``form`` is matched by one of the ``others`` (line feeds
        aside)."""
        if any(self._subset(form, other) for other in others):
            return True
        if len(others) < 2 or not any(p.final for f in (form, *others) for p in f.parts):
            return False  # segment counts differ between the others: no union to consider
        langs = self.langs
        others = [other for other in others if self._intersects(form, other)]
        if len(others) < 2:
            return False
        if any(p.final and langs.lang(p).pure for p in form.parts) and not any(
                p.final for other in others for p in other.parts):
            return False  # any depth against a bounded number of segments
        witness = automata.difference_witness(product(langs.rest(form, 0), NO_NEWLINE),
                                              *(langs.rest(other, 0) for other in others))
        return witness is None

    def meets(self, form, others) -> bool:
        return any(self._intersects(form, other) for other in others)

    def _subset(self, inner, outer) -> bool:
        langs = self.langs
        a, b = inner.parts, outer.parts
        for pos in range(min(len(a), len(b))):
            if a[pos].final or b[pos].final:
                return langs.rest_subset(inner, outer, pos)
            if not langs.subset(a[pos], b[pos]):
                return False
        return len(a) == len(b)

    def _intersects(self, x, y) -> bool:
        langs = self.langs
        a, b = x.parts, y.parts
        for pos in range(min(len(a), len(b))):
            p, q = a[pos], b[pos]
            if p.final and q.final:
                return langs.tails_intersect(p, q)
            if p.final:
                return langs.tail_overlaps(p, y, pos)
            if q.final:
                return langs.tail_overlaps(q, x, pos)
            if not langs.intersects(p, q):
                return False
        return len(a) == len(b)


def _unique_origins(rules) -> list:
    seen, out = set(), []
    for rule in rules:
        real = origin(rule)
        if real.index not in seen:
            seen.add(real.index)
            out.append(real)
    return out


def _trie(forms) -> State:
    """A trie of slash forms built and ordered by the matcher's own rules, for the join."""
    root = State()
    for form in forms:
        insert(root, form)
    prioritise(root)
    return root


__all__ = ["SlashForm", "Slashes", "Undecidable", "origin", "slash_form"]
