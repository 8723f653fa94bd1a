"""Lint for a Django URLconf: the checks of :mod:`routecli.analysis.rules.django_rules`
over the flattened endpoint languages (:mod:`routecli.analysis.django_languages`).

Every witness is replayed with the table's own resolver; a witness the resolver does not
confirm is dropped and counted in ``stats["model_disagreements"]`` (which must stay 0).
"""

from __future__ import annotations

from urllib.parse import quote

from routecli.analysis.automata import (
    Undecidable,
    compile_regex,
    difference_witness,
    intersect_witness,
    is_subset,
)
from routecli.analysis.django_languages import EndpointLanguage
from routecli.analysis.findings import Finding, Report, Witness
from routecli.analysis.rules import django_rules as rules
from routecli.routing.django.request import path_info
from routecli.routing.django.urlconf import Include

_URL_SAFE = "/:@!$&'()*+,;=-._~"
MAX_OVERLAPS = 3  # RL304 findings per later pattern


def witness_url(word: str) -> str | None:
    """The request path whose decoded path is "/" + ``word``."""
    try:
        return "/" + quote(word, safe=_URL_SAFE)
    except UnicodeEncodeError:
        return None


class DjangoLint:
    """One lint run over a :class:`~routecli.routing.django.table.DjangoTable`."""

    def __init__(self, table) -> None:
        self.table = table
        self.languages = [EndpointLanguage(e) for e in table.endpoints]
        self.findings: list[Finding] = []
        self.stats = {"model_disagreements": 0, "undecided": 0, "unconfirmed": 0}
        self.dead: set[int] = set()
        self._by_segment: dict[str | None, list[int]] = {}
        for index, language in enumerate(self.languages):
            self._by_segment.setdefault(_segment(language.literal), []).append(index)

    def run(self) -> Report:
        for index in range(len(self.languages)):
            try:
                self._shadowing(index)
            except Undecidable:
                self.stats["undecided"] += 1
        for index in range(len(self.languages)):
            if index in self.dead:
                continue
            for check in (self._unanchored, self._leading_slash, self._slash_refused):
                try:
                    check(index)
                except Undecidable:
                    self.stats["undecided"] += 1
        self.findings.sort(key=lambda f: (f.routes[0].index, f.code))
        return Report(self.findings, len(self.languages), self.stats)

    # -- helpers ----------------------------------------------------------------------

    def _earlier(self, index: int) -> list[int]:
        """Earlier endpoints whose literal prefix is compatible with ``index``'s."""
        literal = self.languages[index].literal
        key = _segment(literal)
        pool = self._by_segment.get(key, []) + (self._by_segment.get(None, []) if key else [])
        if key is None:
            pool = range(index)
        out = []
        for other in sorted(pool):
            if other >= index:
                break
            theirs = self.languages[other].literal
            if theirs.startswith(literal) or literal.startswith(theirs):
                out.append(other)
        return out

    def _resolve(self, word: str):
        """(url, answering endpoint or None) for a witness word."""
        url = witness_url(word)
        if url is None:
            return None, None
        hit = self.table.resolve(path_info(url))
        return url, None if hit is None else hit.endpoint

    def _report(self, rule, message: str, routes: list, url: str, answered) -> None:
        self.findings.append(Finding(rule.code, rule.severity, message, routes,
                                     Witness("GET", url),
                                     None if answered is None else answered.endpoint))

    # -- RL301-RL304 -------------------------------------------------------------------

    def _shadowing(self, index: int) -> None:
        language = self.languages[index]
        if language.regex is None:
            self.stats["undecided"] += 1
            return
        mine = language.automaton
        rivals = []
        for other in self._earlier(index):
            theirs = self.languages[other]
            if not theirs.exact or theirs.regex is None:
                continue
            if intersect_witness(theirs.automaton, mine) is not None:
                rivals.append(other)
        if not rivals:
            return
        autos = [self.languages[i].automaton for i in rivals]
        endpoint = language.endpoint
        if difference_witness(mine, *autos) is None:
            self.dead.add(index)
            word = intersect_witness(mine)
            if word is None:
                return
            url, answered = self._resolve(word)
            if answered is None or answered.index >= index:
                self.stats["model_disagreements"] += 1
                return
            single = [i for i, auto in zip(rivals, autos) if is_subset(mine, auto)]
            swallowing = _swallowing_include(endpoint, [self.languages[i].endpoint
                                                        for i in rivals])
            if swallowing is not None:
                self._report(rules.INCLUDE_SWALLOWS,
                             f"'{endpoint.rule}' ({endpoint.endpoint}) is never reached: the "
                             f"patterns of include('{swallowing.pattern}') match every URL "
                             "of it", [endpoint, *(self.languages[i].endpoint
                                                    for i in rivals)], url, answered)
            elif single:
                general = self.languages[single[0]].endpoint
                self._report(rules.SHADOWED,
                             f"'{endpoint.rule}' ({endpoint.endpoint}) is never reached: "
                             f"the earlier, more general '{general.rule}' "
                             f"({general.endpoint}) matches every URL of it",
                             [endpoint, general], url, answered)
            else:
                names = ", ".join(f"'{self.languages[i].endpoint.rule}'" for i in rivals[:5])
                self._report(rules.UNREACHABLE,
                             f"'{endpoint.rule}' ({endpoint.endpoint}) is never reached: "
                             f"together, {names} match every URL of it",
                             [endpoint, *(self.languages[i].endpoint for i in rivals)],
                             url, answered)
            return
        for other in rivals[:MAX_OVERLAPS]:
            theirs = self.languages[other]
            if is_subset(theirs.automaton, mine):
                continue  # the specific one first: the intended order, silent
            word = intersect_witness(theirs.automaton, mine)
            url, answered = self._resolve(word)
            if answered is None or answered.index >= index:
                self.stats["model_disagreements"] += 1
                continue
            self._report(rules.PARTLY_SHADOWED,
                         f"'{endpoint.rule}' ({endpoint.endpoint}) loses some URLs to the "
                         f"earlier '{theirs.endpoint.rule}' ({theirs.endpoint.endpoint})",
                         [endpoint, theirs.endpoint], url, answered)

    # -- RL305-RL307 -------------------------------------------------------------------

    def _dominators(self, index: int) -> list:
        return [self.languages[i].automaton for i in self._earlier(index)
                if self.languages[i].exact and self.languages[i].regex is not None]

    def _unanchored(self, index: int) -> None:
        language = self.languages[index]
        if language.regex is None:
            return
        chain = (*language.endpoint.parents, language.endpoint)
        regexes = [item for item in chain if item.pattern.kind == "regex"]
        if not regexes:
            return
        loose = [item for item in regexes if not item.pattern.source.startswith("^")
                 and not item.pattern.fullmatch]
        endless = language.endpoint.pattern.kind == "regex" and \
            not language.endpoint.pattern.fullmatch
        for bound, culprit, what in (
                (language.anchored_regex, loose[0] if loose else None, "no '^'"),
                (language.ended_regex, language.endpoint if endless else None, "no '$'")):
            if culprit is None:
                continue
            word = difference_witness(language.automaton, compile_regex(bound),
                                      *self._dominators(index))
            if word is None:
                continue
            url, answered = self._resolve(word)
            if answered is not language.endpoint:
                # An inexact language (a greedy include prefix) may offer a URL that never
                # gets here, and an earlier pattern left out of the dominators (it may
                # answer less than its language) may take it: try no further. Anything
                # else is the model disagreeing with the resolver.
                earlier = answered is not None and answered.index < index
                self.stats["unconfirmed" if earlier or not language.exact
                           else "model_disagreements"] += 1
                continue
            endpoint = language.endpoint
            self._report(rules.UNANCHORED,
                         f"re_path '{culprit.pattern}' has {what}: '{endpoint.rule}' "
                         f"({endpoint.endpoint}) also answers {url}", [endpoint], url,
                         answered)
            return

    def _leading_slash(self, index: int) -> None:
        language = self.languages[index]
        endpoint = language.endpoint
        chain = (*endpoint.parents, endpoint)
        culprit = next((item for item in chain if str(item.pattern).removeprefix("^")
                        .startswith("/")), None)
        if culprit is None or language.regex is None:
            return
        word = intersect_witness(language.automaton)
        if word is None:
            return
        url, answered = self._resolve(word)
        if answered is not endpoint:
            return  # dead or taken: other rules say so
        self._report(rules.LEADING_SLASH,
                     f"'{culprit.pattern}' starts with '/': '{endpoint.rule}' "
                     f"({endpoint.endpoint}) answers only URLs like {url}", [endpoint], url,
                     answered)

    def _slash_refused(self, index: int) -> None:
        language = self.languages[index]
        endpoint = language.endpoint
        methods = endpoint.methods
        if not self.table.settings.append_slash or methods is None or "GET" in methods \
                or not methods or language.regex is None:
            return
        word = intersect_witness(language.automaton, compile_regex("(?s:.)*/"))
        if not word:
            return
        url, answered = self._resolve(word)
        if answered is not endpoint:
            return
        method = methods[0]
        bare = url[:-1]
        first = self.table.match(method, bare)
        if first.status not in (301, 500) or first.rule is not endpoint:
            return
        self._report(rules.SLASH_REDIRECT_REFUSED,
                     f"{method} {bare} gets APPEND_SLASH's 301 to {url} (a 500 under DEBUG "
                     f"for a body method), and the GET that follows gets 405 from "
                     f"'{endpoint.rule}' ({endpoint.endpoint}, allows "
                     f"{', '.join(methods)})", [endpoint], bare, endpoint)
        self.findings[-1].witness = Witness(method, bare)


def _segment(literal: str) -> str | None:
    slash = literal.find("/")
    return None if slash < 0 else literal[:slash + 1]


def _swallowing_include(endpoint, rivals) -> Include | None:
    """The outermost include holding every rival but not ``endpoint``, if any."""
    mine = set(map(id, endpoint.parents))
    shared = None
    for rival in rivals:
        outside = [p for p in rival.parents if id(p) not in mine]
        if not outside:
            return None
        shared = outside[0] if shared is None or shared is outside[0] else None
        if shared is None:
            return None
    return shared


def lint_django(table) -> Report:
    """The Django findings of ``table`` (a DjangoTable)."""
    return DjangoLint(table).run()
