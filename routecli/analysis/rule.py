"""What a lint rule is: its code, name, severity, documentation and check, in one object.

Every rule is declared once, in its family's module under :mod:`routecli.analysis.rules`,
next to the check that emits it; :mod:`routecli.analysis.registry` collects them. The
severity a rule's findings get is the rule's own (a few rules document a second one for
a named case, e.g. RL107 for twins with one endpoint); selection and config overrides
come afterwards, outside the rules (:mod:`routecli.analysis.selection`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SEVERITY_OFF = "off"  # shown as the default severity of a rule lint does not run by default

# Whether lint reports a rule when nothing is selected (docs/lint.md#rules): "on" for what a
# maintainer would fix, "opt-in" for findings about designs that are usually intended
# (reported with --select or --extend-select), "off" for rules lint never reports.
DEFAULT_ON = "on"
DEFAULT_OPT_IN = "opt-in"
DEFAULT_OFF = "off"

# ``Rule.reads`` of a rule about the questions other checks meet (RL199): the checks of
# every rule that is on by default, whichever of them the run reports.
READS_DEFAULT_ON = DEFAULT_ON


class Rule:
    """One lint rule.

    ``severity`` is what its findings get; ``enabled`` says whether lint can report it at
    all (RL104 is listed by ``conflicts`` only, when selected); ``opt_in`` rules are reported only when
    selected: they flag designs that are usually intended, which a default run would bury
    the real defects under. ``reserved`` marks a code
    that is documented so that the numbering stays stable but is never emitted (RL109).
    ``check`` (set with :meth:`checks`) produces the rule's lint findings from a
    :class:`~routecli.analysis.engine.LintRun`; ``describe_pair`` (set with
    :meth:`describes_pairs`) words a classified overlapping pair for ``conflicts``.

    ``reads``: the rules whose checks this rule's findings depend on (they set what its
    check reads, and come earlier in code order), or :data:`READS_DEFAULT_ON`; a run that
    wants this rule's findings runs those checks too, and a check that no wanted rule is
    or reads is not run at all (:func:`~routecli.analysis.registry.checks_for`).
    """

    __slots__ = ("code", "name", "severity", "summary", "what", "why", "example", "fix",
                 "enabled", "opt_in", "reserved", "reads", "check", "describe_pair")

    def __init__(self, code: str, name: str, severity: str, summary: str, what: str,
                 why: str, example: str, fix: str, *, enabled: bool = True,
                 reserved: bool = False, opt_in: bool = False,
                 reads: tuple[Rule, ...] | str = ()) -> None:
        self.code = code
        self.name = name
        self.severity = severity
        self.summary = summary
        self.what = what
        self.why = why
        self.example = example
        self.fix = fix
        self.enabled = enabled and not reserved
        self.reserved = reserved
        self.opt_in = opt_in
        self.reads = reads
        self.check: Callable[[Any], list] | None = None
        self.describe_pair: Callable[..., tuple[str, str]] | None = None

    @property
    def default_severity(self) -> str:
        """The severity ``routecli rule`` shows: the rule's, or "off" when lint does not
        run it by default."""
        return self.severity if self.enabled else SEVERITY_OFF

    @property
    def default(self) -> str:
        """"on" (reported when nothing is selected), "opt-in" or "off"."""
        if not self.enabled:
            return DEFAULT_OFF
        return DEFAULT_OPT_IN if self.opt_in else DEFAULT_ON

    def checks(self, function: Callable[[Any], list]) -> Callable[[Any], list]:
        """Decorator: ``function(run)`` is this rule's lint check."""
        self.check = function
        return function

    def describes_pairs(self, function: Callable[..., tuple[str, str]]
                        ) -> Callable[..., tuple[str, str]]:
        """Decorator: ``function(analysis, pair, checked, details, strict)`` returns the
        (severity, message) of an overlapping pair this rule classifies."""
        self.describe_pair = function
        return function

    def __repr__(self) -> str:
        return f"<Rule {self.code} {self.name}>"
