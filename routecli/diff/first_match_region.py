"""The first-match dialects' lint region (Starlette, FastAPI, Django): which entries' order
relations a change can alter.

An entry's order relations (dead, shadowed, crossed: RL201-RL206, RL301) depend on the
entry and the earlier entries that can share a path with it. An entry that is untouched
and shares no path with a touched entry of either side has the same relations in OLD and
NEW, so only the touched entries and the entries sharing a literal head with one (the
over-approximation of "can share a path" that first-match lint itself starts from) are
judged, on each side, in the whole table: languages are compiled only for them and their
candidates. The dialects' other checks (traps, Allow headers, convertor formats) run over
the whole tables as they are. tests/diff/test_lint_delta.py compares this with linting
both whole tables.
"""

from __future__ import annotations

from routecli.analysis.first_match import candidates_by_head, literal_head


def findings(old, new, touched) -> tuple[list, object]:
    """(NEW's findings that can be new, a function giving OLD's to compare with)."""
    focus_old, focus_new = _focus(old, new, touched)
    return _lint(new, focus_new), lambda: _lint(old, focus_old)


def _lint(table, focus: set[int]) -> list:
    from routecli.analysis.first_match_run import lint_report
    from routecli.analysis.selection.noqa import drop_noqa
    from routecli.gc_paused import gc_paused

    with gc_paused():
        report = lint_report(table, focus=focus)
    return drop_noqa(report.findings)[0]


def _focus(old, new, touched) -> tuple[set[int], set[int]]:
    """The entries to judge on each side: the touched ones, and the untouched entries
    (the same on both sides) whose literal head is compatible with a touched entry's."""
    to_new = touched.unchanged
    to_old = {j: i for i, j in to_new.items()}
    near_new: set[int] = set()
    for table, seeds, mapped in ((old, touched.old, to_new.get), (new, touched.new, None)):
        index = _HeadIndex(table)
        # Once per head: touched routes sharing one path would each list the same entries.
        for head in {literal_head(table.rules[i].pattern) for i in seeds}:
            for k in index.near(head):
                j = k if mapped is None else mapped(k)
                if j is not None and j not in touched.new:
                    near_new.add(j)
    return (set(touched.old) | {to_old[j] for j in near_new if j in to_old},
            set(touched.new) | near_new)


class _HeadIndex:
    def __init__(self, table) -> None:
        self.by_head = sorted((literal_head(entry.pattern), entry.index)
                              for entry in table.rules if entry.is_route or entry.captures)
        self.heads = [head for head, _ in self.by_head]

    def near(self, head: str) -> list[int]:
        return candidates_by_head(head, self.heads, self.by_head)
