"""What bounds the engine: :class:`Undecidable` for a question it cannot answer exactly, and
the work budget that one analysis shares between all of its questions.

Each question already has a state cap (``max_states``), but an analysis asks one question
per pair of routes that meet, and a table of N routes whose patterns all meet, each of an
automaton of size N (``[0-9]{1,N}``), costs N^3 however small each question is. The budget
counts the engine's steps (states explored and built, edges compared; the analyses
count the trie pairs they walk and report, and diff its requests, in the same steps)
across every question asked inside :func:`work_budget`; once they run out, every further question is
:class:`BudgetSpent`, an :class:`Undecidable` that callers already report as unverified.
Steps, not seconds: the same table gives the same answers on any machine, under any load.
Outside :func:`work_budget` (matching, a single question from the API) nothing is counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar


class Undecidable(Exception):
    """The question cannot be answered exactly (unsupported regex feature, or too large)."""


class BudgetSpent(Undecidable):
    """The analysis's work budget ran out before this question was answered."""

    MESSAGE = "the analysis's work budget ran out"


class WorkBudget:
    """Steps left for one analysis (``limit`` in all); ``spent`` once a question ran out."""

    __slots__ = ("left", "limit", "spent")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.left = limit
        self.spent = False

    def spend(self, steps: int) -> None:
        self.left -= steps
        if self.left < 0:
            self.spent = True
            raise BudgetSpent(budget_spent_message(self))

    def check(self) -> None:
        """Fail at once when the budget is spent: work that would only find that out
        after parsing a pattern (compiling it again for every pair) is not started."""
        if self.spent:
            raise BudgetSpent(budget_spent_message(self))

    def charge(self, steps: int) -> bool:
        """Spend like :meth:`spend`, without raising: False once the budget is spent (for
        loops that note what they leave and stop, rather than unwind)."""
        if self.spent:
            return False
        self.left -= steps
        if self.left < 0:
            self.spent = True
            return False
        return True

    @property
    def used(self) -> int:
        return self.limit - self.left


class _Unlimited(WorkBudget):
    """The budget in force outside :func:`work_budget`: counts nothing."""

    __slots__ = ()

    def spend(self, steps: int) -> None:
        pass

    def check(self) -> None:
        pass

    def charge(self, steps: int) -> bool:
        return True


UNLIMITED = _Unlimited(0)
_current: ContextVar[WorkBudget] = ContextVar("routecli_work_budget", default=UNLIMITED)


def current_budget() -> WorkBudget:
    """The budget the engine's questions spend from now (:data:`UNLIMITED` outside
    :func:`work_budget`); read once per question, as its loops spend often."""
    return _current.get()


def budget_spent_message(budget: WorkBudget) -> str:
    """What a question asked after ``budget`` ran out is told (:class:`BudgetSpent`)."""
    return f"{BudgetSpent.MESSAGE} ({budget.limit:,} steps)"


@contextmanager
def unbudgeted() -> Iterator[None]:
    """Count nothing inside the block, even inside an analysis: what a matcher builds for
    itself (a regex's linear-time test) must not fail, or be skipped, for want of steps."""
    token = _current.set(UNLIMITED)
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def work_budget(limit: int | None) -> Iterator[WorkBudget]:
    """Count the engine's steps inside the block against ``limit`` (None: no limit; a
    block inside another keeps the outer budget, so an analysis that runs another one,
    as ``diff`` runs lint, is bounded once)."""
    outer = _current.get()
    if limit is None or outer is not UNLIMITED:
        yield outer
        return
    budget = WorkBudget(limit)
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)
