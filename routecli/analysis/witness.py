"""Witness requests: readable URLs that given rules all match, checked on the real matcher.

Values follow docs/lint.md#witnesses: the literal when a side is static, the first sorted ``any``
item, ``1`` for int (padded, and passing validation when it can), ``1.0`` for float, a
fixed uuid, ``x``/``y``/... for strings, ``a`` for slash-spanning tails. Values equal to a
static sibling that would be tried first are avoided. Nothing here decides priority: every
request is answered by :meth:`RouteTable.match` and the matcher's own search.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import NamedTuple
from urllib.parse import quote

from routecli import automata
from routecli.analysis.findings import Witness
from routecli.analysis.languages import NO_NEWLINE, NO_SLASH_NEWLINE, Languages, product
from routecli.errors import RouteError
from routecli.routing.werkzeug.converters import (
    AnyConverter,
    FloatConverter,
    IntConverter,
    StringConverter,
    UUIDConverter,
    ValidationError,
)
from routecli.routing.werkzeug.explain import pattern_values
from routecli.routing.werkzeug.syntax import Static, Variable, tokenize

LETTERS = "xyzwvutsrqponmlkjihgfedcb"
UUID_SAMPLE = "12345678-1234-1234-1234-123456789012"
UUID_OTHER = "00000000-0000-0000-0000-000000000001"
_URL_SAFE = "/!$&'()*+,:;=@"
_PER_POSITION = 3
# Less readable values, used only when static siblings take the readable ones.
_ESCAPES = ["12345", "987654321", "xq", "zq9", "x-q", "x.q", "1.25", "98765.4321", UUID_OTHER]
_COMBINATIONS = 8
_COMBINED = 512  # pieces whose combinations Witnesses keeps
_ALIKE_AFTER = 16  # position memo misses below one trie state before parts are compared
# What routing itself answers (Werkzeug's 400 is a websocket mismatch or an untrusted host).
ROUTING_STATUSES = frozenset({200, 308, 400, 404, 405})


class Checked(NamedTuple):
    """A witness request and what the table does with it."""

    witness: Witness
    result: object  # routecli.routing.result.MatchResult
    segments: list  # [domain, *path segments] as the matcher walks them
    raw: object  # the rule the matcher chose before conversion (None if none)


class Witnesses:
    """Builds candidate requests for rules and answers them on the table."""

    def __init__(self, table, langs: Languages, trails, stats: Counter | None = None) -> None:
        self.table = table
        self.langs = langs
        self.trails = trails  # rule -> (states before each part, edge index per part)
        self.stats: Counter = stats if stats is not None else Counter()
        settings = table.settings
        self.host_matching = settings.host_matching
        self.server_name = settings.server_name
        self.default_subdomain = settings.default_subdomain
        self._fittings: dict = {}
        self._positions: dict = {}
        self._pools: dict = {}
        self._lang_members: dict = {}
        self._validity: dict = {}
        # (pattern, letter, reject, the parts' pools) -> (a number, the candidates both
        # parts' pattern accepts); (part, number) -> which of them its converters accept;
        # (number, trie states, both acceptances) -> the position's values (_alike)
        self._candidates: dict = {}
        self._alike_found: dict = {}
        self._misses: dict = {}  # (pattern, trie states) -> position memo misses there
        self._acceptance: dict = {}
        self._combined: dict = {}  # pair_values' pieces -> their combinations
        # witness -> (Checked or None, what answering it added to ``stats``): rules ask the
        # same few requests about thousands of routes (RL101, RL110, RL103 on converter
        # variants), and the table answers a request alike each time in one run.
        self._answered: dict = {}

    # -- values for one position ---------------------------------------------------------

    def position_values(self, first, second, pos: int, letter: str,
                        reject: bool = False) -> list[str]:
        """Readable values for part ``pos`` that both rules' parts accept, best first.

        ``first`` is the rule that wins; with ``reject``, values its converter refuses
        (and ``second`` accepts) come first.
        """
        p, q = first.parts[pos], second.parts[pos]
        if p.static:
            return [p.content]
        if q.static:
            return [q.content]
        # The answer depends on the two parts and the trie states around them alone, which
        # thousands of pairs share (a rule's variants against one first rule).
        states, edges = self.trails(first)
        state = states[pos] if pos < len(states) else None
        edge = edges[pos] if pos < len(edges) else -1
        if second is first:
            other = state
        else:
            states = self.trails(second)[0]
            other = states[pos] if pos < len(states) else None
        memo = (p, q, letter, reject, state, edge, other)
        found = self._positions.get(memo)
        if found is None:
            lang = self.langs.lang(p)
            if q is p or lang is self.langs.lang(q):
                # Only where parts keep missing the memo below one trie state (variants
                # of a route): elsewhere the eager acceptances would cost more than they
                # save.
                slot = (lang, state, edge, other)
                misses = self._misses[slot] = self._misses.get(slot, 0) + 1
                if misses > _ALIKE_AFTER:
                    found = self._alike(p, q, letter, reject, state, edge, other)
            if found is None:
                found = self._position_values(p, q, letter, reject, state, edge, other)
            self._positions[memo] = found
        return list(found)

    def _alike(self, p, q, letter: str, reject: bool, state, edge: int, other
               ) -> tuple[str, ...] | None:
        """:meth:`_position_values` for two parts of one pattern (or one part), shared by
        the parts alike on the candidates: ``<int(max=K)>`` variants have a part each, so
        the memo by parts never hits. The candidates depend on the pattern and the parts'
        readable pools alone, their ranking on which of them each part's converters accept
        and on the trie states. None when no readable candidate fits (the fallback asks
        the parts' own automata and converters)."""
        alone = q is p  # then q's pool is not added (_matching)
        pools = (self.langs.lang(p), letter, reject, self._pool(p, letter, reject),
                 self._pool(p, letter, False) if reject else None,
                 None if alone else self._pool(q, letter, False))
        found = self._candidates.get(pools)
        if found is None:  # numbered: the keys below hash a number, not the pools again
            found = self._candidates[pools] = (len(self._candidates),
                                               tuple(self._matching(p, q, letter, reject)))
        number, values = found
        if not values:
            return None
        accepted = self._accepted(p, number, values)
        key = (number, state, edge, other, accepted,
               accepted if alone else self._accepted(q, number, values))
        found = self._alike_found.get(key)
        if found is None:
            found = self._alike_found[key] = self._position_values(p, q, letter, reject,
                                                                   state, edge, other)
        return found

    def _accepted(self, part, number: int, values: tuple[str, ...]) -> tuple[bool, ...]:
        """Whether ``part``'s converters accept each of the candidates numbered ``number``
        (``values``), memoised."""
        key = (part, number)
        found = self._acceptance.get(key)
        if found is None:
            valid = self._valid_values(part)
            accepted = []
            for value in values:
                ok = valid.get(value)
                if ok is None:
                    ok = valid[value] = _valid(part, value)
                accepted.append(ok)
            found = self._acceptance[key] = tuple(accepted)
        return found

    def _position_values(self, p, q, letter: str, reject: bool, state, edge: int, other
                         ) -> tuple[str, ...]:
        """:meth:`position_values` for parts ``p`` and ``q`` below trie states ``state``
        (``p``'s, its dynamic edge ``edge``) and ``other`` (``q``'s).

        Each candidate is tried on the state's earlier edges: thousands of converters on
        one state make this the cost of their pairs, counted in the analysis's work
        budget (a pair whose witness runs out of it is unverified:
        :meth:`Analysis.pair_witness`)."""
        spend = automata.current_budget().spend if p is not q else _no_spending
        spend(1 + max(edge, 0))
        avoid = set() if state is None else state.static.keys()
        if other is not state and other is not None:
            avoid = avoid | other.static.keys()
        earlier = ([part for part, _ in state.dynamic[:edge] if not part.final]
                   if edge >= 0 else [])

        def rank(item):
            order, (value, ok_first, ok_second) = item
            return ((ok_first if reject else not ok_first), not ok_second, value in avoid,
                    any(edge.match(value) is not None for edge in earlier), order)

        # The best values rank (False, False, False, False, order): when the first
        # _PER_POSITION candidates of that rank come early, they are the answer, and the
        # rest of the candidates need neither ranking nor (for a pair of parts seen the
        # first time) their converters run -- a witness per finding stays cheap.
        key = (p, q, letter, reject)
        fitting = self._fittings.get(key)
        if fitting is None and p is q:
            fitting = self._fitting(p, q, letter, reject)
        best = []
        scanned = []  # the items worked out so far, when not from the cache
        for item in (fitting if fitting is not None
                     else self._fitting_lazily(p, q, letter, reject)):
            spend(1 + len(earlier))
            if fitting is None:
                scanned.append(item)
            # rank(item)[:4] all false, spelled out: this runs per candidate and position
            # of every witness (RL103 asks ~10,000 of them at 100,000 routes)
            value, ok_first, ok_second = item
            if ((ok_first if reject else not ok_first) or not ok_second or value in avoid
                    or (earlier and any(edge.match(value) is not None for edge in earlier))):
                continue
            best.append(value)
            if len(best) == _PER_POSITION:
                return tuple(best)
        if fitting is None:  # every candidate is worked out: no converter runs twice
            fitting = self._fitting(p, q, letter, reject, scanned)
        ranked = sorted(enumerate(fitting), key=rank)
        return tuple(value for _, (value, _, _) in ranked[:_PER_POSITION])

    def _fitting(self, p, q, letter: str, reject: bool, items: list | None = None
                 ) -> list[tuple[str, bool, bool]]:
        """The candidates both parts' patterns accept, each with whether ``p``'s and
        ``q``'s converters accept its value: what :meth:`position_values` ranks. They
        depend on the parts alone, which rules share (``<int:id>`` is one part), so they
        are computed once per lint run. ``items``: every one of them, already worked
        out by :meth:`_fitting_lazily`."""
        key = (p, q, letter, reject)
        found = self._fittings.get(key)
        if found is not None:
            return found
        if items is None:
            items = list(self._fitting_lazily(p, q, letter, reject))
        if not items:
            shortest = _shortest(lambda: (self.langs.automaton(p), self.langs.automaton(q),
                                          NO_SLASH_NEWLINE))
            if shortest is not None:
                items.append((shortest, _valid(p, shortest), _valid(q, shortest)))
        found = self._fittings[key] = items
        return found

    def _matching(self, p, q, letter: str, reject: bool) -> Iterator[str]:
        """The readable candidates both parts' patterns accept, in order, one by one."""
        lp, lq = self.langs.lang(p), self.langs.lang(q)
        pool = self._values(p, letter, reject)
        if reject:
            pool += self._values(p, letter, False)
        if q is not p:
            pool += self._values(q, letter, False)
        pool += _ESCAPES  # for when static siblings take every readable value
        seen: set[str] = set()
        in_p, in_q = self._members(lp), self._members(lq)
        for value in pool:
            if value in seen or "/" in value or "\n" in value:
                continue
            seen.add(value)
            ok = in_p.get(value)
            if ok is None:
                ok = in_p[value] = lp.match(value)
            if not ok:
                continue
            if lq is not lp:
                ok = in_q.get(value)
                if ok is None:
                    ok = in_q[value] = lq.match(value)
            if ok:
                yield value

    def _fitting_lazily(self, p, q, letter: str, reject: bool):
        """:meth:`_fitting`'s items one by one, without its fallback or its cache."""
        valid_p, valid_q = self._valid_values(p), self._valid_values(q)
        for value in self._matching(p, q, letter, reject):
            ok_p = valid_p.get(value)
            if ok_p is None:
                ok_p = valid_p[value] = _valid(p, value)
            ok_q = valid_q.get(value)
            if ok_q is None:
                ok_q = valid_q[value] = _valid(q, value)
            yield value, ok_p, ok_q

    # Per-run memos of what depends on one part (or language) and one value alone: a
    # witness per finding asks the same few values of the same shared parts for
    # thousands of pairs (10,000 converter variants: issue #13).

    def _values(self, part, letter: str, reject: bool) -> list[str]:
        """:func:`_values`, memoised (a fresh list: callers extend it)."""
        return list(self._pool(part, letter, reject))

    def _pool(self, part, letter: str, reject: bool) -> tuple[str, ...]:
        """:func:`_values`, memoised."""
        key = (part, letter, reject)
        found = self._pools.get(key)
        if found is None:
            found = self._pools[key] = tuple(_values(part, letter, reject))
        return found

    def _members(self, lang) -> dict:
        """value -> ``lang.match(value)``, filled as asked."""
        found = self._lang_members.get(lang)
        if found is None:
            found = self._lang_members[lang] = {}
        return found

    def _valid_values(self, part) -> dict:
        """value -> :func:`_valid` for ``part``, filled as asked."""
        found = self._validity.get(part)
        if found is None:
            found = self._validity[part] = {}
        return found

    def tail_values(self, first, second, pos: int, letter: str,
                    reject: bool = False) -> list[str]:
        """Values for the rest of the path from ``pos``, where one rule has a tail; with
        ``reject``, values ``first``'s converters refuse come first (a catch-all as the
        victim of a validation trap)."""
        p, q = first.parts[pos], second.parts[pos]
        tail, other = (first, second) if p.final else (second, first)
        tail_part = tail.parts[pos]
        if self.langs.lang(tail_part).pure and not tail_part.suffixed:
            rest = self.rule_rest_values(other, pos, letter, reject and other is first)
            if rest:
                return rest
        if p.final and q.final:
            found = _shortest(lambda: (self.langs.automaton(p, "slash"),
                                       self.langs.automaton(q, "slash"), NO_NEWLINE))
        else:
            found = _shortest(lambda: (self.langs.automaton(tail_part, "slash"),
                                       self.langs.rest(other, pos), NO_NEWLINE))
        return [] if found is None else [found]

    def rule_rest_values(self, rule, pos: int, letter: str, reject: bool = False
                         ) -> list[str]:
        """A few readable texts for ``rule``'s parts from ``pos`` on, joined with "/"
        (with ``reject``: values its converters refuse first)."""
        pieces: list[list[str]] = []
        index = LETTERS.index(letter) if letter in LETTERS else 0
        for i in range(pos, len(rule.parts)):
            part = rule.parts[i]
            if part.final:
                if self.langs.lang(part).pure:
                    pieces.append(["a/", "a/b/"] if part.suffixed else ["a", "a/b"])
                else:
                    found = _shortest(lambda tail=part: (self.langs.automaton(tail, "slash"),
                                                         NO_NEWLINE))
                    pieces.append([] if found is None else [found])
                break
            values = self.position_values(rule, rule, i, LETTERS[index % len(LETTERS)],
                                          reject)
            if values and not part.static and values[0][:1] == LETTERS[index % len(LETTERS)]:
                index += 1
            pieces.append(values)
        if any(not values for values in pieces):
            return []
        return ["/".join(combo) for combo in _combinations(pieces, 3)]

    # -- whole requests ---------------------------------------------------------------------

    def pair_values(self, first, second, reject: bool = False) -> Iterator[list[str]]:
        """Candidate value lists (one per aligned position; a tail's value holds the rest of
        the path) that both rules' patterns match, best first."""
        pieces: list[list[str]] = []
        index = 0
        for pos in range(min(len(first.parts), len(second.parts))):
            letter = LETTERS[index % len(LETTERS)]
            if first.parts[pos].final or second.parts[pos].final:
                values = self.tail_values(first, second, pos, letter, reject)
                pieces.append(values)
                break
            values = self.position_values(first, second, pos, letter, reject)
            if values and values[0][:1] == letter and not (
                    first.parts[pos].static or second.parts[pos].static):
                index += 1
            pieces.append(values)
        if any(not values for values in pieces):
            return iter(())
        # Thousands of pairs (variants of one route) have the same pieces one after
        # another; most tables' pieces are all different (a bounded memo).
        key = tuple(map(tuple, pieces))
        combined = self._combined
        found = combined.get(key)
        if found is None:
            if len(combined) >= _COMBINED:
                combined.clear()
            found = combined[key] = tuple(map(tuple, _combinations(pieces, _COMBINATIONS)))
        return map(list, found)

    def rule_values(self, rule) -> Iterator[list[str]]:
        """Candidate value lists for one rule alone."""
        return self.pair_values(rule, rule)

    def request(self, values: list[str], method: str, websocket: bool = False) -> Witness | None:
        """The request for a value list: ``values[0]`` is the host/subdomain part."""
        path = "/".join(values[1:]) or "/"
        url = quote(path, safe=_URL_SAFE)
        domain = values[0]
        if self.host_matching:
            host = domain
        elif self.server_name:
            # The bare server name is every request's default host.
            host = f"{domain}.{self.server_name}" if domain else None
        elif domain == self.default_subdomain:
            host = None
        else:
            return None  # without a server name no request reaches another subdomain
        if websocket:
            url = f"ws://{host or self.server_name or 'localhost'}{url}"
        elif host:
            # Absolute, so that `routecli match METHOD URL` replays it as it stands.
            url = f"http://{host}{url}"
        return Witness(method, url, host)

    def ask(self, method: str, url: str, host: str | None = None):
        """``table.match``, or None when the answer is not routing's but the app's own code
        failing (see :meth:`answer`); such answers are counted in ``stats``."""
        try:
            result = self.table.match(method, url, None if "://" in url else host)
        except RouteError as exc:
            # The app's converter or redirect_to callable raised (older tables raise instead
            # of answering 500); anything else is a request this module should not build.
            self.stats["app_errors" if exc.__cause__ is not None else "model_disagreements"] += 1
            return None
        if result.status not in ROUTING_STATUSES or (
                result.status == 308 and result.redirect is None):
            # A 500, or the status of an HTTPException the app's converter raised (a
            # RequestRedirect raised by a converter is the only 308 without a redirect kind).
            self.stats["app_errors"] += 1
            return None
        return result

    def answer(self, witness: Witness) -> Checked | None:
        """Ask the table about a witness; ``raw`` is the matcher's choice before conversion.

        None when the table's answer comes from the app's own code failing rather than
        from routing: ``table.match`` raising, a status other than 200, 308, 400, 404 and
        405 (a converter raising, Flask's 500), or a 404/405 where the matched rule's
        converter raises something other than a ValidationError (``abort(404)`` in
        ``to_python``). Such a request proves nothing about the routes, so callers try
        their next candidate; ``stats["app_errors"]`` counts them.

        Memoised per run; a repeated request counts its ``stats`` again, as when it
        was asked anew.
        """
        found = self._answered.get(witness)
        if found is not None:
            checked, counted = found
            if counted:
                self.stats.update(counted)
            return checked
        before = dict(self.stats)
        checked = self._answer(witness)
        stats = self.stats
        counted = {key: stats[key] - before.get(key, 0) for key in stats
                   if stats[key] != before.get(key, 0)}
        self._answered[witness] = (checked, counted)
        return checked

    def _answer(self, witness: Witness) -> Checked | None:
        """:meth:`answer`, asking the table."""
        table = self.table
        result = self.ask(witness.method, witness.url, witness.host)
        if result is None:
            return None
        domain = table.bind(result.host).domain
        segments = [domain, *result.path.split("/")]
        raw = result.rule
        if result.status in (404, 405):
            websocket = witness.url.startswith(("ws://", "wss://"))
            outcome = table.matcher.search(domain, result.path, result.method, websocket)
            raw = outcome.rule if outcome.kind == "match" else None
            if raw is not None and result.rule is None and _raises(raw, outcome.values):
                self.stats["app_errors"] += 1
                return None
        return Checked(witness, result, segments, raw)

    def answers(self, values_list: Iterable[list[str]], method: str,
                websocket: bool = False) -> Iterator[Checked]:
        """The table's answers for candidate value lists, skipping the ones that make no
        request or whose answer proves nothing (see :meth:`answer`)."""
        for values in values_list:
            request = self.request(values, method, websocket)
            if request is None:
                continue
            checked = self.answer(request)
            if checked is not None:
                yield checked

    @staticmethod
    def matches(checked: Checked, *rules) -> bool:
        """True if every rule's pattern matches the witness."""
        return all(pattern_values(rule, checked.segments) is not None for rule in rules)

    # -- helpers ------------------------------------------------------------------------------


def _no_spending(steps: int) -> None:
    """A route's own values are memoised per part and state: no pair cost to count."""


def _shortest(automata_of) -> str | None:
    """The shortest readable common member of the automata ``automata_of()`` builds, or
    None (also when the engine cannot decide: then there is simply no witness)."""
    try:
        return automata.intersect_witness(*automata_of())
    except automata.Undecidable:
        return None


def _combinations(pieces: list[list[str]], limit: int) -> list[list[str]]:
    """The all-best combination first, then one position at a time varied."""
    out = [[values[0] for values in pieces]]
    for pos, values in enumerate(pieces):
        for value in values[1:]:
            combo = list(out[0])
            combo[pos] = value
            out.append(combo)
            if len(out) >= limit:
                return out
    if len(out) < limit:
        for combo in itertools.islice(itertools.product(*pieces), limit * 2):
            combo = list(combo)
            if combo not in out:
                out.append(combo)
            if len(out) >= limit:
                break
    return out


def _raises(rule, values) -> bool:
    """True if one of ``rule``'s converters raises something other than a ValidationError
    for the raw ``values`` (the app's own failure, not a refusal)."""
    captured = dict(zip(rule.variables, values or ()))
    for name, conv in rule.python_converters:
        if name not in captured:
            continue
        try:
            conv.to_python(captured[name])
        except ValidationError:
            return False  # refused: routing's own 404, whatever later converters do
        except Exception:  # noqa: BLE001 - foreign converter code
            return True
    return False


def converted(part, value: str) -> bool:
    """True if the part's converters accept the values they capture from ``value``."""
    return _valid(part, value)


def _valid(part, value: str) -> bool:
    converters = part.converters
    if not converters or not any(c.validates for c in converters):
        return True
    captured = part.match(value)
    if captured is None or len(captured) != len(converters):
        return False
    for conv, text in zip(converters, captured):
        if conv.validates:
            try:
                conv.to_python(text)
            except (ValidationError, ValueError):
                return False
            except Exception:  # noqa: BLE001 - foreign converter code
                return False
    return True


def _values(part, letter: str, reject: bool) -> list[str]:
    """Readable candidates for one part (not all of them need to match it)."""
    if part.final:
        return ["a", "a/b"]
    converters = part.converters
    if len(converters) == 1 and part.content == f"(?P<__rc0>{converters[0].regex})\\Z":
        return _converter_values(converters[0], letter, reject)
    return _template_values(part, letter, reject)


def _converter_values(conv, letter: str, reject: bool) -> list[str]:
    if isinstance(conv, IntConverter):
        return _int_values(conv, reject)
    if isinstance(conv, FloatConverter):
        return _float_values(conv, reject)
    if isinstance(conv, AnyConverter):
        return sorted(conv.items)
    if isinstance(conv, UUIDConverter):
        return [UUID_SAMPLE, UUID_OTHER]
    if isinstance(conv, StringConverter):
        low, high = conv.bounds
        return _string_values(letter, low, high)
    return _string_values(letter, 1, None) + ["1", "a", UUID_SAMPLE]


def _string_values(letter: str, low: int, high: int | None) -> list[str]:
    size = max(low, 1)
    if high is not None and high < size:
        size = high
    start = LETTERS.index(letter) if letter in LETTERS else 0
    letters = [LETTERS[(start + k) % len(LETTERS)] for k in range(3)]
    out = [ch * size for ch in letters]
    if size and (high is None or high > size):
        out.append(letter * size + "1")
    elif size > 1:
        out.append(letter * (size - 1) + "1")
    out += ["1" * size, "1" * max(size, 3)]
    return out


def _int_values(conv, reject: bool) -> list[str]:
    low, high, digits = conv.min, conv.max, conv.fixed_digits
    base = 1
    if low is not None and base < low:
        base = int(low) if low == int(low) else int(low) + 1
    if high is not None and base > high:
        base = int(high)
    numbers = [base, base + 1, base + 2, 1, 2, 10, 100, 1000]
    if reject:
        numbers = []
        if high is not None:
            numbers.append(int(high) + 1)
        if low is not None and low > 0:
            numbers.append(int(low) - 1 if low == int(low) else int(low))
        if digits:
            numbers += [1, 10 ** digits] if digits != 1 else [10]
    out = []
    for number in numbers:
        if number < 0 and not conv.signed:
            continue
        text = str(number)
        if digits and not reject:
            text = text.zfill(digits)
        out.append(text)
    if digits and reject:
        out += [str(max(base, 0)).zfill(digits + 1)]
    if conv.signed and not reject:
        out.append("-1")
    return out


def _float_values(conv, reject: bool) -> list[str]:
    low, high = conv.min, conv.max
    base = 1.0
    if low is not None and base < low:
        base = float(low)
    if high is not None and base > high:
        base = float(high)
    numbers = [base, base + 1, 1.0, 2.0, 1.5]
    if reject:
        numbers = []
        if high is not None:
            numbers.append(float(high) + 1)
        if low is not None and low > 0:
            numbers.append(max(float(low) - 1, 0.0) if low >= 1 else 0.0)
    out = [_float_text(n) for n in numbers if n >= 0 or conv.signed]
    if conv.signed and not reject:
        out.append("-1.0")
    return out


def _float_text(number: float) -> str:
    text = f"{number:.6f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _template_values(part, letter: str, reject: bool) -> list[str]:
    """Fill a mixed part's converters with their readable values, e.g. ``x-y``."""
    try:
        tokens = tokenize(part.text, require_slash=False) if part.text else []
    except Exception:  # noqa: BLE001 - a part text we cannot re-read: no template
        tokens = []
    converters = iter(part.converters)
    index = LETTERS.index(letter) if letter in LETTERS else 0
    first: list[str] = []
    second: list[str] = []
    for token in tokens:
        if isinstance(token, Static):
            first.append(token.text)
            second.append(token.text)
        elif isinstance(token, Variable):
            conv = next(converters, None)
            if conv is None:
                return []
            values = _converter_values(conv, LETTERS[index % len(LETTERS)], reject)
            if isinstance(conv, StringConverter):
                index += 1
            if not values:
                return []
            first.append(values[0])
            second.append(values[1] if len(values) > 1 else values[0])
        else:
            first.append("/")
            second.append("/")
    out = ["".join(first), "".join(second)] if tokens else []
    try:
        found = automata.intersect_witness(automata.compile_regex(part.content),
                                           NO_SLASH_NEWLINE)
    except automata.Undecidable:
        found = None
    if found is not None:
        out.append(found)
    return out


__all__ = ["LETTERS", "Checked", "Witnesses", "converted", "product"]
