"""A small, exact regular-language engine for route patterns.

It answers three questions about Python ``re`` patterns as Werkzeug builds them, over the full
Unicode alphabet:

* can two (or more) patterns match a common string? (:func:`intersect_witness`)
* is every string of A matched by one of B1..Bn? (:func:`difference_witness`)
* does a pattern match a string? (:func:`accepts`, agrees with ``re.fullmatch``)

Witnesses are shortest strings, with ties broken toward readable characters (``a``-``z``, then
digits, upper case, ``-_.~``, other printable ASCII, then the rest).

Design:

* Character sets are :class:`CharSet` objects: sorted, disjoint, half-open code-point intervals.
  Characters are never enumerated, so ``[^/]`` and ``\\w`` cost a handful of integers.
* Patterns are parsed with the standard library's own parser (``re._parser``), turned into a
  Thompson NFA with epsilon edges, then into an epsilon-free NFA whose edges are labelled with
  CharSets (:class:`Automaton`). Epsilon closures are resolved once, at construction.
* Zero-width assertions are resolved at construction too, by tracking a little context next to
  each NFA state: whether anything was consumed yet and which look-behind classes the last
  character belongs to, and a pending constraint on the next character (look-ahead). This makes
  ``^ $ \\A \\Z`` anywhere, and one-character look-arounds such as Werkzeug's ``(?<!/)``, exact.
* Intersection is a lazy product explored breadth-first; inclusion is a lazy subset construction
  of the right-hand side, paired with the left-hand NFA. Both only visit reachable states and are
  guarded by a state budget (:class:`Undecidable` ``"too large"`` beyond it).

Anything whose language this engine cannot model exactly (backreferences, conditionals, ``\\b``,
multi-character look-arounds, atomic groups, possessive repeats) raises :class:`Undecidable`; the
caller must then report the question as unverified rather than guess.

Modules: :mod:`.charsets` (character sets and readable ranks), :mod:`.automaton` (the
automaton, its Thompson construction and constructors), :mod:`.regex` (``re`` patterns to
automata), :mod:`.search` (intersection, inclusion and their witnesses) and :mod:`.limits`
(what bounds the engine: Undecidable, and the work budget one analysis shares).
"""

from __future__ import annotations

from routecli.automata.automaton import Automaton, Undecidable, accepts, is_empty
from routecli.automata.charsets import MAX_CODE_POINT, CharSet, char_rank
from routecli.automata.limits import BudgetSpent, WorkBudget, current_budget, work_budget
from routecli.automata.regex import _all_code_points, _class_set, compile_regex
from routecli.automata.search import (
    DEFAULT_MAX_STATES,
    difference_witness,
    intersect_witness,
    intersection,
    intersects,
    is_subset,
)

__all__ = [
    "DEFAULT_MAX_STATES",
    "MAX_CODE_POINT",
    "Automaton",
    "BudgetSpent",
    "CharSet",
    "Undecidable",
    "WorkBudget",
    "_all_code_points",
    "_class_set",
    "accepts",
    "char_rank",
    "compile_regex",
    "current_budget",
    "difference_witness",
    "intersect_witness",
    "intersection",
    "intersects",
    "is_empty",
    "is_subset",
    "work_budget",
]
