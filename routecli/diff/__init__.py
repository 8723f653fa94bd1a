"""``routecli diff``: what a change to the routes does to requests (docs/diff.md).

    import routecli
    from routecli.diff import diff
    report = diff(routecli.load("git:HEAD:routes.yaml"), routecli.load("routes.yaml"))
    report.to_dict()  # {"changes": [...], "new_findings": [...], "summary": {...}}
"""

from __future__ import annotations


def diff(old, new, *, lint: bool = True, budget: int | None = None):
    """Compare two route tables; see :func:`routecli.diff.compare.diff`."""
    from routecli.diff.compare import diff as run

    return run(old, new, lint=lint, budget=budget)


__all__ = ["diff"]
