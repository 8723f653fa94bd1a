"""Which findings a lint run reports, decided once, outside the checks (as ruff does).

The checks report everything they find; this module then applies, in order:

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
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from routecli.analysis.findings import SEVERITIES, SEVERITY_RANK, Finding, Report
from routecli.errors import RouteError

# Keys of [tool.routecli.lint], in the order the docs list them.
CONFIG_KEYS = ("select", "extend-select", "ignore", "per-file-ignores", "severity", "fail-on",
               "strict", "baseline")

ALL = "ALL"
_SELECTOR = re.compile(r"RL\d{0,3}")
BASELINE_FORMAT = 1


# ----------------------------------------------------------------------------- codes


def rule_codes() -> tuple[str, ...]:
    """Every registered rule code, sorted."""
    from routecli.analysis.registry import RULES

    return tuple(sorted(RULES))


def default_codes(codes: Sequence[str] | None = None) -> tuple[str, ...]:
    """The codes enabled when nothing is selected: every rule except those whose default
    severity is ``"off"`` (which lint never reports, e.g. RL104 specialisations)."""
    try:
        from routecli.analysis.registry import RULES
    except ImportError:  # pragma: no cover - the registry ships with the package
        RULES = {}
    codes = rule_codes() if codes is None else tuple(codes)
    return tuple(code for code in codes
                 if getattr(RULES.get(code), "default_severity", None) != "off")


def parse_codes(value: Any, codes: Sequence[str] | None = None) -> tuple[str, ...]:
    """Parse a selector list: ``"RL101,RL2"`` or ``["RL101", "RL2"]`` -> ``("RL101", "RL2")``.

    Selectors are upper-cased; each must be ``ALL`` or a code or code prefix that names
    at least one registered rule. Raises RouteError("unknown rule code 'RL999' (did you
    mean ...)") without a location: the caller knows where the value came from.
    """
    if isinstance(value, str):
        items = [item for item in re.split(r"[\s,]+", value) if item]
    elif isinstance(value, (list, tuple)):
        items = []
        for item in value:
            if not isinstance(item, str):
                raise RouteError(f"expected rule codes as strings, got {_describe(item)}")
            items.append(item.strip())
    else:
        raise RouteError(f"expected a list of rule codes like [\"RL102\"], got {_describe(value)}")
    codes = rule_codes() if codes is None else tuple(codes)
    out: list[str] = []
    for item in items:
        selector = item.upper()
        if selector != ALL and not (_SELECTOR.fullmatch(selector)
                                    and any(code.startswith(selector) for code in codes)):
            raise RouteError(f"unknown rule code {item!r}{_suggest(item, codes)}")
        if selector not in out:
            out.append(selector)
    return tuple(out)


def suggest_code(item: str, choices: Sequence[str]) -> str | None:
    """The code (or prefix) ``item`` was probably meant to be: look-alike characters
    first (``RL1O2`` -> ``RL102``), then the closest spelling; None when nothing is close."""
    wanted = item.strip().upper()
    if wanted[:2] == "RL":
        fixed = "RL" + wanted[2:].translate(str.maketrans("OILSZ", "01152"))
        prefixes = {code[:n] for code in choices for n in range(2, len(code) + 1)}
        if fixed != wanted and fixed in prefixes:
            return fixed
    import difflib

    close = difflib.get_close_matches(wanted, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def _suggest(item: str, codes: Sequence[str]) -> str:
    close = suggest_code(item, list(codes) + [ALL])
    if close:
        return f" (did you mean {close!r}?)"
    return " (run 'routecli rule --all' for the list)"


def _describe(value: Any) -> str:
    from routecli.sources.route_file import describe

    return describe(value)


def _matches(selector: str, code: str) -> bool:
    return selector == ALL or code.startswith(selector)


def _specificity(selector: str) -> int:
    return 0 if selector == ALL else len(selector)


class Layer(NamedTuple):
    """One source of selection settings (defaults, config file or command line)."""

    select: tuple[str, ...] | None = None  # None: keep what earlier layers enabled
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


def resolve(layers: Iterable[Layer], codes: Sequence[str] | None = None) -> frozenset[str]:
    """The enabled codes after applying ``layers`` in order (see the module docstring)."""
    codes = rule_codes() if codes is None else tuple(codes)
    enabled: set[str] = set()
    for layer in layers:
        current = set() if layer.select is not None else set(enabled)
        chosen = tuple(layer.select or ()) + tuple(layer.extend_select)
        for code in codes:
            best: tuple[int, bool] | None = None  # (specificity, is_ignore): max wins
            for selector in chosen:
                if _matches(selector, code):
                    candidate = (_specificity(selector), False)
                    best = candidate if best is None else max(best, candidate)
            for selector in layer.ignore:
                if _matches(selector, code):
                    candidate = (_specificity(selector), True)
                    best = candidate if best is None else max(best, candidate)
            if best is None:
                continue
            if best[1]:
                current.discard(code)
            else:
                current.add(code)
        enabled = current
    return frozenset(enabled)


def most_specific(selectors: Iterable[str], code: str) -> str | None:
    """The selector among ``selectors`` that names ``code`` most specifically, or None."""
    best = None
    for selector in selectors:
        if _matches(selector, code) and (best is None or
                                         _specificity(selector) > _specificity(best)):
            best = selector
    return best


# ----------------------------------------------------------------------------- settings


class LintSettings:
    """Everything that decides what a lint run reports, merged from its layers.

    ``root`` is the directory ``per-file-ignores`` globs and a configured ``baseline``
    are relative to (the config file's directory; the current directory otherwise).
    ``config`` is the config file's path, or None.
    """

    def __init__(self, layers: Sequence[Layer] = (), per_file_ignores: dict | None = None,
                 severity: dict | None = None, fail_on: str = "error", strict: bool = False,
                 baseline: str | None = None, root: str | None = None,
                 config: str | None = None) -> None:
        self.layers = list(layers)
        self.per_file_ignores: dict[str, tuple[str, ...]] = dict(per_file_ignores or {})
        self.severity: dict[str, str] = dict(severity or {})
        self.fail_on = fail_on
        self.strict = strict
        self.baseline = baseline
        self.root = root if root is not None else os.getcwd()
        self.config = config

    def override(self, *, select: Any = None, extend_select: Any = None, ignore: Any = None,
                 fail_on: str | None = None, strict: bool | None = None,
                 baseline: str | None = None, codes: Sequence[str] | None = None
                 ) -> LintSettings:
        """A copy with command-line values on top; code lists may be comma-separated
        strings. Raises RouteError for unknown codes or levels."""
        layer = Layer(
            select=parse_codes(select, codes) if select is not None else None,
            extend_select=parse_codes(extend_select, codes) if extend_select is not None else (),
            ignore=parse_codes(ignore, codes) if ignore is not None else (),
        )
        if fail_on is not None and fail_on not in SEVERITY_RANK:
            raise RouteError(f"fail-on must be one of {', '.join(SEVERITIES)}, got {fail_on!r}")
        new = LintSettings(self.layers + ([layer] if layer != Layer() else []),
                           self.per_file_ignores, self.severity,
                           self.fail_on if fail_on is None else fail_on,
                           self.strict if strict is None else strict,
                           self.baseline if baseline is None else baseline, self.root,
                           self.config)
        if baseline is not None:
            new.baseline = os.path.abspath(baseline)  # given on the command line: from cwd
        return new

    def enabled(self, codes: Sequence[str] | None = None) -> frozenset[str]:
        """The rule codes this run reports."""
        codes = rule_codes() if codes is None else tuple(codes)
        return resolve([Layer(select=default_codes(codes))] + self.layers, codes)

    def baseline_path(self) -> str | None:
        """The configured baseline file as a path usable from the current directory."""
        if self.baseline is None:
            return None
        return os.path.normpath(os.path.join(self.root, self.baseline))

    def __repr__(self) -> str:
        return (f"LintSettings(layers={self.layers!r}, fail_on={self.fail_on!r}, "
                f"strict={self.strict!r}, baseline={self.baseline!r})")


# ----------------------------------------------------------------------------- config


def find_config(start: str | None = None) -> str | None:
    """The nearest ``pyproject.toml`` with a ``[tool.routecli]`` table, from ``start``
    (default: the current directory) upward, or None. The same search as route discovery."""
    directory = os.path.abspath(start or os.getcwd())
    while True:
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate) and _mentions_routecli(candidate):
            from routecli.sources.route_file import read_document

            doc = read_document(_display(candidate))
            tool = doc.data.get("tool")
            if isinstance(tool, dict) and "routecli" in tool:
                return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _mentions_routecli(path: str) -> bool:
    try:
        with open(path, "rb") as stream:
            return b"routecli" in stream.read()
    except OSError:
        return False


def _display(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def load_settings(config: str | None = None, *, isolated: bool = False,
                  start: str | None = None, codes: Sequence[str] | None = None
                  ) -> LintSettings:
    """Lint settings from ``config`` (a pyproject.toml, whose ``[tool.routecli.lint]`` is
    read, or another TOML file, whose ``[lint]`` table is read), else from the
    discovered pyproject.toml, else the defaults. ``isolated`` ignores every config file.
    Raises RouteError with ``file:line`` for a bad setting."""
    if isolated:
        return LintSettings()
    path = config if config is not None else find_config(start)
    if path is None:
        return LintSettings()
    from routecli.sources.route_file import read_document

    display = _display(path) if config is None else path
    if not os.path.isfile(path):
        raise RouteError("config file not found", path)
    if not path.lower().endswith(".toml"):
        raise RouteError("config file must be TOML (pyproject.toml or a .toml file)", path)
    try:
        doc = read_document(display)
    except RouteError as error:
        if "empty" in error.message:  # an empty config file is simply no settings
            return LintSettings(root=os.path.dirname(os.path.abspath(path)), config=display)
        raise
    if os.path.basename(path) == "pyproject.toml":
        prefix: tuple = ("tool", "routecli", "lint")
    else:
        prefix = ("lint",)
    data: Any = doc.data
    for key in prefix:
        data = data.get(key) if isinstance(data, dict) else None
    root = os.path.dirname(os.path.abspath(path))

    def where(keys: tuple = ()) -> str:
        line = doc.line_of(prefix + tuple(keys))
        return f"{doc.path}:{line}" if line else doc.path

    if data is None:
        return LintSettings(root=root, config=display)
    return settings_from_mapping(data, where, root=root, config=display,
                                 table="[" + ".".join(prefix) + "]", codes=codes)


def settings_from_mapping(data: Any, where: Callable[[tuple], str] = lambda keys: None,
                          *, root: str | None = None, config: str | None = None,
                          table: str = "[tool.routecli.lint]",
                          codes: Sequence[str] | None = None) -> LintSettings:
    """Validate a ``[tool.routecli.lint]`` mapping. ``where(keys)`` gives the
    ``file:line`` of a key for error messages."""
    from routecli.sources.schema import did_you_mean

    if not isinstance(data, dict):
        raise RouteError(f"{table} must be a table, got {_describe(data)}", where(()))
    for key in data:
        if key not in CONFIG_KEYS:
            raise RouteError(f"unknown key {key!r} in {table}{did_you_mean(key, CONFIG_KEYS)}",
                             where((key,)))

    def codes_at(key: str, value: Any, keys: tuple) -> tuple[str, ...]:
        if isinstance(value, str):  # TOML has lists: say so rather than guess
            raise RouteError(f"{key}: expected a list of rule codes, got {_describe(value)} "
                             f"(write [{', '.join(repr(c) for c in value.split(',') if c)}])"
                             .replace("'", '"'), where(keys))
        try:
            return parse_codes(value, codes)
        except RouteError as error:
            raise RouteError(f"{key}: {error.message}", where(keys)) from None

    select = codes_at("select", data["select"], ("select",)) if "select" in data else None
    extend = (codes_at("extend-select", data["extend-select"], ("extend-select",))
              if "extend-select" in data else ())
    ignore = codes_at("ignore", data["ignore"], ("ignore",)) if "ignore" in data else ()

    per_file: dict[str, tuple[str, ...]] = {}
    if "per-file-ignores" in data:
        value = data["per-file-ignores"]
        if not isinstance(value, dict):
            raise RouteError('per-file-ignores must be a table of glob = ["RL105", ...], got '
                             f"{_describe(value)}", where(("per-file-ignores",)))
        for glob, selectors in value.items():
            keys = ("per-file-ignores", glob)
            if not glob:
                raise RouteError("per-file-ignores: empty glob", where(keys))
            per_file[glob] = codes_at(f"per-file-ignores {glob!r}", selectors, keys)

    severity: dict[str, str] = {}
    if "severity" in data:
        value = data["severity"]
        if not isinstance(value, dict):
            raise RouteError('severity must be a table of code = "error" | "warning" | "info", '
                             f"got {_describe(value)}", where(("severity",)))
        for selector, level in value.items():
            keys = ("severity", selector)
            (parsed,) = codes_at("severity", [selector], keys) or (selector,)
            if level not in SEVERITY_RANK:
                raise RouteError(f"severity {selector!r}: expected one of "
                                 f"{', '.join(map(repr, SEVERITIES))}, got {_show(level)}"
                                 f"{did_you_mean(level, SEVERITIES) if isinstance(level, str) else ''}",
                                 where(keys))
            severity[parsed] = level

    fail_on = "error"
    if "fail-on" in data:
        fail_on = data["fail-on"]
        if fail_on not in SEVERITY_RANK:
            raise RouteError(f"fail-on: expected one of {', '.join(map(repr, SEVERITIES))}, "
                             f"got {_show(fail_on)}", where(("fail-on",)))
    strict = False
    if "strict" in data:
        strict = data["strict"]
        if not isinstance(strict, bool):
            raise RouteError(f"strict: expected true or false, got {_show(strict)}",
                             where(("strict",)))
    baseline = None
    if "baseline" in data:
        baseline = data["baseline"]
        if not isinstance(baseline, str) or not baseline:
            raise RouteError(f"baseline: expected a file path, got {_show(baseline)}",
                             where(("baseline",)))
    layer = Layer(select=select, extend_select=extend, ignore=ignore)
    return LintSettings([layer] if layer != Layer() else [], per_file, severity, fail_on,
                        strict, baseline, root, config)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    return _describe(value)


# ----------------------------------------------------------------------------- suppression


def noqa_suppresses(finding: Finding) -> bool:
    """True when any route of ``finding`` lists its code, or ``"all"``, under ``noqa``."""
    code = finding.code.upper()
    for rule in finding.routes:
        noqa = getattr(getattr(rule, "route", None), "noqa", None)
        if not noqa:
            continue
        if isinstance(noqa, str):
            noqa = (noqa,)
        for item in noqa:
            item = str(item).upper()
            if item == ALL or item == code:
                return True
    return False


def drop_noqa(findings: Iterable[Finding]) -> tuple[list[Finding], int]:
    """The findings no route's noqa suppresses, and how many it did."""
    kept: list[Finding] = []
    dropped = 0
    for finding in findings:
        if noqa_suppresses(finding):
            dropped += 1
        else:
            kept.append(finding)
    return kept, dropped


def finding_file(finding: Finding) -> str | None:
    """The file a finding is reported at: its first route that has a source."""
    for rule in finding.routes:
        if rule.source is not None:
            return rule.source.file
    return None


def path_matches(path: str, glob: str, root: str) -> bool:
    """Whether ``path`` (as loaded, relative to the current directory or absolute) matches
    the per-file-ignores ``glob`` written relative to ``root``. ``*`` also matches "/";
    a glob without "/" also matches the file's base name (``"legacy.yaml"``)."""
    from fnmatch import fnmatchcase

    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive (Windows)
        relative = absolute
    relative = relative.replace(os.sep, "/")
    glob = glob.replace(os.sep, "/")
    glob = glob.removeprefix("./")
    if fnmatchcase(relative, glob) or fnmatchcase(absolute.replace(os.sep, "/"), glob):
        return True
    return "/" not in glob and fnmatchcase(os.path.basename(absolute), glob)


def _with_severity(finding: Finding, severity: str) -> Finding:
    if finding.severity == severity:
        return finding
    return Finding(finding.code, severity, finding.message, finding.routes, finding.witness,
                   finding.answered_by, finding.details, finding.kind)


# ----------------------------------------------------------------------------- baseline


class Baseline:
    """A set of accepted findings, by fingerprint (``path`` is where it was read)."""

    def __init__(self, fingerprints: Iterable[str] = (), path: str | None = None,
                 codes: dict[str, str] | None = None) -> None:
        self.fingerprints = frozenset(fingerprints)
        self.path = path
        self.codes = dict(codes or {})  # fingerprint -> code, when the file says

    def __contains__(self, finding: Finding) -> bool:
        return finding.fingerprint() in self.fingerprints

    def __len__(self) -> int:
        return len(self.fingerprints)


def baseline_document(findings: Iterable[Finding]) -> dict[str, Any]:
    """The baseline file's JSON: fingerprints, with code, message and source for humans."""
    entries = {}
    for finding in findings:
        entries.setdefault(finding.fingerprint(), {
            "fingerprint": finding.fingerprint(),
            "code": finding.code,
            "message": finding.message,
            "source": finding.source,
        })
    return {
        "routecli-baseline": BASELINE_FORMAT,
        "about": "Findings accepted by `routecli lint --write-baseline`: lint does not report "
                 "them. A finding is matched by its fingerprint (code, and the routes' rule, "
                 "endpoint and methods), so moving lines does not break the baseline; "
                 "'message' and 'source' are only for people.",
        "findings": sorted(entries.values(), key=lambda e: (e["code"], e["fingerprint"])),
    }


def write_baseline(path: str, findings: Iterable[Finding]) -> int:
    """Write the baseline file for ``findings``; returns the number of entries."""
    import json

    document = baseline_document(findings)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if path == "-":  # standard output, like every other "-" on the command line
        import sys

        sys.stdout.write(text)
        return len(document["findings"])
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
    except OSError as exc:
        raise RouteError(f"cannot write baseline: {exc.strerror}", path) from None
    return len(document["findings"])


def read_baseline(path: str) -> Baseline:
    """Read a baseline file written by :func:`write_baseline`; raise RouteError."""
    import json
    import os
    import stat

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # /dev/zero or a FIFO would never end
            raise RouteError("not a regular file, not a baseline", path)
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    except FileNotFoundError:
        raise RouteError("baseline file not found (create it with --write-baseline FILE)",
                         path) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise RouteError(f"cannot read baseline: {reason}", path) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RouteError(f"invalid baseline JSON: {exc.msg}", f"{path}:{exc.lineno}") from None
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(data, dict) or "routecli-baseline" not in data or not isinstance(entries,
                                                                                       list):
        raise RouteError("not a routecli baseline (expected an object with "
                         "'routecli-baseline' and 'findings'; write one with --write-baseline)",
                         path)
    if data["routecli-baseline"] != BASELINE_FORMAT:
        raise RouteError(f"unsupported baseline format {data['routecli-baseline']!r} "
                         f"(this routecli writes {BASELINE_FORMAT})", path)
    fingerprints = []
    codes = {}
    for index, entry in enumerate(entries):
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fingerprint, str) or not fingerprint:
            raise RouteError(f"baseline entry {index + 1} has no 'fingerprint'", path)
        fingerprints.append(fingerprint)
        if isinstance(entry.get("code"), str):
            codes[fingerprint] = entry["code"]
    return Baseline(fingerprints, path, codes)


# ----------------------------------------------------------------------------- applying


class LintResult:
    """What a run reports after selection and suppression.

    ``findings`` are the reported findings; ``accepted`` adds the ones the baseline
    dropped (what ``--write-baseline`` records). ``noqa`` and ``baselined`` count the
    suppressed findings, ``unselected`` those dropped by selection and per-file ignores,
    ``stale`` the baseline entries no finding matched any more. ``stats`` are the
    analysis' counters (:attr:`Report.stats`), e.g. ``app_error_findings``.
    """

    def __init__(self, findings: list[Finding], routes: int, fail_on: str = "error",
                 noqa: int = 0, baselined: int = 0, unselected: int = 0, stale: int = 0,
                 accepted: list[Finding] | None = None,
                 stats: dict[str, int] | None = None) -> None:
        self.findings = findings
        self.routes = routes
        self.fail_on = fail_on
        self.noqa = noqa
        self.baselined = baselined
        self.unselected = unselected
        self.stale = stale
        self.accepted = accepted if accepted is not None else list(findings)
        self.stats: dict[str, int] = dict(stats or {})

    def report(self) -> Report:
        """The reported findings as a Report (``to_dict()`` is docs/lint.md#findings JSON)."""
        return Report(self.findings, self.routes)

    def failing(self) -> list[Finding]:
        """Reported findings at or above ``fail_on``."""
        return self.report().failing(self.fail_on)

    @property
    def exit_status(self) -> int:
        """1 when a finding at or above ``fail_on`` remains, else 0."""
        return 1 if self.failing() else 0

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)


def apply(report: Report, settings: LintSettings | None = None, *,
          baseline: Baseline | None = None, ignore_noqa: bool = False,
          codes: Sequence[str] | None = None) -> LintResult:
    """Apply selection, per-file ignores, severity overrides, noqa and ``baseline`` (in
    that order) to the findings of ``report``."""
    settings = settings if settings is not None else LintSettings()
    codes = rule_codes() if codes is None else tuple(codes)
    enabled = settings.enabled(codes)
    known = set(codes)
    file_globs = list(settings.per_file_ignores.items())
    kept: list[Finding] = []
    accepted: list[Finding] = []
    noqa = baselined = unselected = 0
    seen: set[str] = set()
    file_cache: dict[str, tuple[str, ...]] = {}
    for finding in report.findings:
        # A code the registry does not know (a newer engine) is kept, never silently lost.
        if finding.code in known and finding.code not in enabled:
            unselected += 1
            continue
        if file_globs:
            path = finding_file(finding)
            if path is not None:
                if path not in file_cache:
                    file_cache[path] = tuple(
                        selector for glob, selectors in file_globs
                        if path_matches(path, glob, settings.root) for selector in selectors)
                if most_specific(file_cache[path], finding.code) is not None:
                    unselected += 1
                    continue
        if settings.severity:
            selector = most_specific(settings.severity, finding.code)
            if selector is not None:
                finding = _with_severity(finding, settings.severity[selector])
        if not ignore_noqa and noqa_suppresses(finding):
            noqa += 1
            continue
        accepted.append(finding)
        if baseline is not None:
            fingerprint = finding.fingerprint()
            if fingerprint in baseline.fingerprints:
                seen.add(fingerprint)
                baselined += 1
                continue
        kept.append(finding)
    stale = 0
    if baseline is not None:
        # Entries for rules this run does not report are not stale, only out of view.
        stale = sum(1 for fingerprint in baseline.fingerprints - seen
                    if baseline.codes.get(fingerprint) not in known - enabled)
    return LintResult(kept, report.routes, settings.fail_on, noqa, baselined, unselected, stale,
                      accepted, getattr(report, "stats", None))


# ----------------------------------------------------------------------------- runs


def load_baseline(settings: LintSettings, *, missing_ok: bool = False) -> Baseline | None:
    """The settings' baseline file, read; None when there is none (or it is missing and
    ``missing_ok``, as when ``--write-baseline`` is about to create it)."""
    path = settings.baseline_path()
    if path is None:
        return None
    if missing_ok and not os.path.exists(path):
        return None
    return read_baseline(_display(path))


def lint_table(table, settings: LintSettings | None = None, *, baseline: Baseline | None = None,
               ignore_noqa: bool = False) -> LintResult:
    """Run every check on ``table`` and apply ``settings``: what ``routecli lint`` reports."""
    from routecli.analysis import lint

    settings = settings if settings is not None else LintSettings()
    # noqa is applied once, by apply(), after selection: only selected findings count as
    # suppressed (the library's lint() would drop them before selection).
    report = lint(table, strict=settings.strict, noqa=False)
    return apply(report, settings, baseline=baseline, ignore_noqa=ignore_noqa)


def table_conflicts(table, *, fail_on: str = "error", ignore_noqa: bool = False) -> LintResult:
    """Every overlapping pair of ``table`` (no rule selection: ``conflicts`` is an
    inventory), minus the pairs a route's ``noqa`` silences."""
    from routecli.analysis import conflicts

    report = conflicts(table)
    kept, noqa = (list(report.findings), 0) if ignore_noqa else drop_noqa(report.findings)
    return LintResult(kept, report.routes, fail_on, noqa=noqa,
                      stats=getattr(report, "stats", None))
