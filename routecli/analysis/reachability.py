"""Reachability (RL103): does a rule answer *some* request for a given method?

Two steps. First a cheap positive proof: a few readable URLs of the rule are answered by the
table itself, and if one of them reaches the rule, it is reachable. Only if none does, an
exact decision follows: the rule's language (values its converters accept) is tested for
inclusion in the *union* of its dominators -- the rules that the matcher tries first on their
common URLs for that method, validation capture included (a dominator that captures a URL and
then refuses it still stops the search). It splits on one part at a time, like a box cover:
finite value sets (static text, ``any`` items) are enumerated, the rest of a converter's
language is one cell when only whole-cover dominators remain, or is cut into cells with the
automata when a dominator covers it partly.

A route with strict_slashes off has a second form, its pattern with the final slash toggled
(:mod:`.slashes`); ``uncovered`` works on either form (anything with ``parts``), and the
caller asks about both, each against the dominators' forms that line up with it.
"""

from __future__ import annotations

from routecli.analysis.languages import NO_NEWLINE, NO_SLASH_NEWLINE, literals, product
from routecli.analysis.witness import LETTERS, converted
from routecli.automata import Undecidable, difference_witness, intersect_witness

_MAX_PARTIAL = 8  # dominators cutting one part into cells, beyond which we give up
# More candidates for "a value outside the listed ones": zero-padded numbers stay valid
# for int converters whose range the plain numbers exhaust.
_MORE_VALUES = ["0", "00", "01", "001", "000", "0001", "11111", "x1", "xy", "xyz", "1.0",
                "0.5", "10.0"]


class Reach:
    """Answers "is this rule reachable for this method?" against given dominators."""

    def __init__(self, analysis) -> None:
        self.table = analysis.table
        self.langs = analysis.index.langs
        self.witnesses = analysis.witnesses
        self.slashes = analysis.slashes
        self._weights: dict = {}
        self._candidates: tuple = (None, 0, [])  # (form, limit, its first candidates)

    def answered(self, rule, method: str, limit: int = 6):
        """A checked witness the table answers with ``rule`` for ``method``, or None.

        A route with strict_slashes off also answers the URLs of its slash form (a leaf's
        with a slash added, a branch's without it); those are tried too."""
        witnesses = self.witnesses
        for form in self.slashes.forms_of(rule):
            for checked in witnesses.answers(self._rule_values(form, limit), method,
                                             rule.websocket):
                result = checked.result
                if result.rule is rule and result.status in (200, 308) and (
                        result.redirect not in ("slash", "merge_slashes")):
                    return checked
        return None

    def _rule_values(self, form, limit: int) -> list:
        """The first ``limit`` candidate value lists of ``form``: RL103 asks about a
        route once per method, and the candidates do not depend on the method."""
        last, size, found = self._candidates
        if last is not form or size != limit:
            found = list(_take(self.witnesses.rule_values(form), limit))
            self._candidates = (form, limit, found)
        return found

    def uncovered(self, rule, dominators, pos: int = 0, weights: dict | None = None
                  ) -> list[str] | None:
        """Values for ``rule``'s parts from ``pos`` on that the rule accepts (converters
        included) and no dominator matches; None when the dominators cover it all.
        ``weights``: rule index -> how many dominators of the same pattern it stands for
        (:meth:`~routecli.analysis.blocks.Dominators.for_reach`), counted against the
        budget for partly covering dominators.

        Raises :class:`Undecidable` when the question is beyond the engine."""
        self._weights = weights or {}
        return run_steps(self._uncovered(rule, dominators, pos))

    def _uncovered(self, rule, dominators, pos: int):
        # A generator: each question about the next part is yielded to run_steps, which
        # sends the answer back (one part per step, so a rule of thousands of segments
        # does not exhaust the recursion limit).
        parts = rule.parts
        if not dominators:
            return self.valid_values(rule, pos)
        if pos >= len(parts):
            return None
        if parts[pos].final or any(d.parts[pos].final for d in dominators):
            return self._tail_cover(rule, dominators, pos)
        langs = self.langs
        part = parts[pos]
        lang = langs.lang(part)
        whole, finite, partial = [], [], []
        for dom in dominators:
            other = dom.parts[pos]
            if langs.subset(part, other):
                whole.append(dom)
            elif langs.intersects(part, other):
                (finite if langs.lang(other).finite is not None else partial).append(dom)

        if whole and partial:
            # Dominators only add URLs: when the ones taking this whole part cover the
            # rest, no cut of the part by the partial ones can leave an escape (and the
            # cut costs automata as large as the part, e.g. `string(length=5000)`).
            rest = yield self._uncovered(rule, whole, pos + 1)
            if rest is None:
                return None
        by_value: dict[str, list] = {}
        for dom in finite:
            for value in langs.lang(dom.parts[pos]).finite:
                by_value.setdefault(value, []).append(dom)

        def try_value(value: str):
            if not converted(part, value):
                return None  # the rule refuses it itself: nothing to reach here
            alive = whole + by_value.get(value, []) + [
                d for d in partial if langs.lang(d.parts[pos]).match(value)]
            rest = yield self._uncovered(rule, alive, pos + 1)
            return None if rest is None else [value, *rest]

        if lang.finite is not None:
            for value in lang.finite:
                found = yield from try_value(value)
                if found is not None:
                    return found
            return None
        points = sorted(v for v in by_value if lang.match(v))
        # The rest of the part's language, outside those points, first: it is usually
        # where an escape is, and it costs one step whatever the number of points.
        pending = None
        if not partial:
            rest = yield self._uncovered(rule, whole, pos + 1)
            if rest is not None:
                try:
                    return [self._value_outside(rule, pos, set(points)), *rest]
                except Undecidable as exc:
                    pending = exc
        else:
            weights = self._weights
            if sum(weights.get(dom.index, 1) for dom in partial) > _MAX_PARTIAL:
                raise Undecidable("too many partly overlapping dominators")
            for value, members in self._cells(part, partial, points, pos):
                if not converted(part, value):
                    raise Undecidable("a converter's validation meets a partial cover")
                rest = yield self._uncovered(rule, whole + members, pos + 1)
                if rest is not None:
                    return [value, *rest]
        for value in points:
            found = yield from try_value(value)
            if found is not None:
                return found
        if pending is not None:
            raise pending
        return None

    def valid_values(self, rule, pos: int) -> list[str]:
        """Readable values for ``rule``'s parts from ``pos`` on that its converters accept."""
        out: list[str] = []
        witnesses = self.witnesses
        index = 0
        for i in range(pos, len(rule.parts)):
            part = rule.parts[i]
            if part.final:
                rest = witnesses.rule_rest_values(rule, i, LETTERS[index % len(LETTERS)])
                if not rest:
                    raise Undecidable("no readable value for a tail")
                if any(c.validates for c in part.converters):
                    raise Undecidable("validation inside a tail")
                out.append(rest[0])
                break
            values = [v for v in witnesses.position_values(rule, rule, i,
                                                           LETTERS[index % len(LETTERS)])
                      if converted(part, v)]
            if not values:
                values = [self._value_outside(rule, i, set())]
            if not part.static:
                index += 1
            out.append(values[0])
        return out

    def _value_outside(self, rule, pos: int, exclude: set) -> str:
        part = rule.parts[pos]
        lang = self.langs.lang(part)
        pool = self.witnesses.position_values(rule, rule, pos, "x") + _MORE_VALUES
        for value in pool:
            if value not in exclude and lang.match(value) and converted(part, value):
                return value
        raise Undecidable("no accepted value outside the listed ones")

    def _cells(self, part, partial, points, pos):
        """(a member, the dominators containing it) for each non-empty cell of the part's
        language outside ``points``, cut by the partly covering dominators."""
        langs = self.langs
        outs = [literals(points)] if points else []
        cells = [([langs.automaton(part), NO_SLASH_NEWLINE], outs, [])]
        for dom in partial:
            language = langs.automaton(dom.parts[pos])
            split = []
            for ins, excluded, members in cells:
                split.append((ins + [language], excluded, members + [dom]))
                split.append((ins, excluded + [language], members))
            cells = [cell for cell in split if _member(cell) is not None]
        for cell in cells:
            yield _member(cell), cell[2]

    def _tail_cover(self, rule, dominators, pos: int) -> list[str] | None:
        langs = self.langs
        language = product(langs.rest(rule, pos), NO_NEWLINE)
        found = difference_witness(language, *(langs.rest(d, pos) for d in dominators))
        if found is None:
            return None
        if any(c.validates for part in rule.parts[pos:] for c in part.converters):
            raise Undecidable("validation inside a slash-spanning part")
        return [found]


def run_steps(steps):
    """Run a generator that yields sub-generators for the answers it needs (each sent back
    as the value of its ``yield``) and returns its result; exceptions travel up as in a
    recursion. The recursion's order and result, with an explicit stack."""
    stack = [steps]
    value = None
    error = None
    while True:
        top = stack[-1]
        try:
            if error is not None:
                step, error = top.throw(error), None
            else:
                step = top.send(value)
        except StopIteration as done:
            stack.pop()
            if not stack:
                return done.value
            value = done.value
            continue
        except Exception as exc:  # noqa: BLE001 - re-raised in the caller's frame
            stack.pop()
            if not stack:
                raise
            error = exc
            continue
        stack.append(step)
        value = None


def _member(cell) -> str | None:
    ins, outs, _ = cell
    if outs:
        return difference_witness(product(*ins), *outs)
    return intersect_witness(*ins)


def _take(iterator, limit: int):
    for count, item in enumerate(iterator):
        if count >= limit:
            return
        yield item
