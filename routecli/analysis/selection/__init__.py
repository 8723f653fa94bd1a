"""Which findings a lint run reports, decided once, outside the checks (as ruff does).

The checks report everything they find (``routecli lint`` runs only those of the rules
it will report and of the rules they read: ``lint(table, only=settings.enabled())``, and
each of these rules' findings is what a run of every check gives); this package then
applies, in order:

1. **rule selection** — ``select`` / ``extend-select`` / ``ignore`` with codes or
   prefixes (``RL1`` is every RL1xx rule, ``ALL`` every rule). Settings come in layers
   (defaults, then ``[tool.routecli.lint]``, then the command line); within a layer the
   most specific selector wins and ``ignore`` wins a tie; a layer with ``select`` starts
   afresh, one without it adjusts the layer before (so ``--ignore`` on the command line
   adds to the configured ignores, and ``--select`` replaces the configured selection);
2. **per-file ignores** — ``{glob: [codes]}``: a finding is dropped when the file it is
   reported at (the source of its first route) matches the glob;
3. **severity overrides** — ``{code-or-prefix: "error" | "warning" | "info"}``;
4. **noqa** — a finding is suppressed when *any* of its routes lists its code, or
   ``"all"``, in the route's ``noqa`` list (a pair conflict can be silenced from either
   side); these are counted;
5. **baseline** — a finding whose fingerprint (code + the routes' rule, endpoint and
   methods, never line numbers) is in the baseline file is dropped and counted.

What remains decides the exit status: 1 when a finding at or above ``fail-on``
(default ``error``) remains, else 0.

Modules: :mod:`.codes` (selectors and their layers), :mod:`.config` (settings and config
files), :mod:`.noqa`, :mod:`.baseline` and :mod:`.apply` (the steps above, in order).
"""

from __future__ import annotations

from routecli.analysis.selection.apply import (
    LintResult,
    apply,
    finding_file,
    listed,
    listing,
    path_matches,
)
from routecli.analysis.selection.baseline import (
    BASELINE_FORMAT,
    Baseline,
    baseline_document,
    load_baseline,
    read_baseline,
    write_baseline,
)
from routecli.analysis.selection.codes import (
    ALL,
    Layer,
    default_codes,
    listed_codes,
    most_specific,
    parse_codes,
    resolve,
    rule_codes,
    suggest_code,
)
from routecli.analysis.selection.config import (
    CONFIG_KEYS,
    LintSettings,
    find_config,
    load_settings,
    settings_from_mapping,
)
from routecli.analysis.selection.noqa import drop_noqa, noqa_suppresses

__all__ = [
    "ALL", "BASELINE_FORMAT", "CONFIG_KEYS", "Baseline", "Layer", "LintResult", "LintSettings",
    "apply", "baseline_document", "default_codes", "drop_noqa", "find_config", "finding_file",
    "listed", "listed_codes", "listing", "load_baseline", "load_settings", "most_specific",
    "noqa_suppresses", "parse_codes", "path_matches", "read_baseline", "resolve", "rule_codes",
    "settings_from_mapping", "suggest_code", "write_baseline",
]
