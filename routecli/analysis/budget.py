"""How much work the exact engine may do for one analysis (lint, conflicts, diff) of a
table: enough for any real table many times over, and bounded whatever the table
(docs/lint.md, "The work budget"). Once it is spent, the questions left are reported as
unverified (RL199), and the report's stats say so."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from routecli.automata.limits import WorkBudget, work_budget

# Steps of the automata engine (states explored or built, edges compared), a microsecond
# or a few each. Real tables use at most a few thousand per route (the heaviest in the
# test corpus: ~1,900 a route on 30 routes, ~350 a route on Django Oscar's 626); a table of
# N routes whose every pair meets over automata of N states uses N^3.
BASE_STEPS = 2_000_000
STEPS_PER_ROUTE = 1_000

# Work outside the automata engine, in the same steps (about what it takes in time):
STATE_PAIR_STEPS = 3  # a pair of trie states the overlap join visits
ROUTE_PAIR_STEPS = 30  # a pair of routes it reports (collected, classified, witnessed)
REQUEST_STEPS = 10  # a candidate request diff asks both tables
WITNESS_STEPS = 50  # a witness request found and answered for a pair (tens of us)
CANDIDATE_STEPS = 1  # an earlier entry a first-match route is compared with (heads, methods)


def default_budget(*tables) -> int:
    """The budget for one analysis of ``tables`` (diff's old and new together)."""
    return BASE_STEPS + STEPS_PER_ROUTE * sum(len(table.rules) for table in tables)


@contextmanager
def analysis_budget(tables: tuple, steps: int | None = None) -> Iterator[WorkBudget]:
    """Run the block under the budget of ``tables`` (``steps``: that many instead;
    0: no limit)."""
    limit = default_budget(*tables) if steps is None else steps or None
    with work_budget(limit) as budget:
        yield budget


def note_budget(stats: dict, budget: WorkBudget) -> None:
    """Put what the analysis spent in a report's ``stats``."""
    if budget.limit:
        stats["budget_steps"] = budget.limit
        stats["budget_used"] = min(budget.used, budget.limit)
        stats["budget_ran_out"] = budget.spent
