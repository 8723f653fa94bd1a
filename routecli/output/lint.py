"""Lint and conflicts output: one list of findings, several formats (text, json, sarif,
github, statistics, and the grouping of conflicts by route).

Plain library code: functions return strings, lists of lines or JSON-ready data and
never print, colour or import click/rich. The CLI picks an emitter and writes its output.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from routecli.analysis.findings import SEVERITY_RANK, Finding, Report
from routecli.routing.serialize import route_ref

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
FINGERPRINT_KEY = "routecli/v1"
INFORMATION_URI = "https://github.com/routecli/routecli"


def _rules(rules: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if rules is not None:
        return rules
    from routecli.analysis.registry import RULES

    return RULES


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings by file, then line, then code (definition order when there is no source)."""

    def key(finding: Finding):
        for rule in finding.routes:
            if rule.source is not None:
                return (0, rule.source.file, rule.source.line or 0, finding.code)
        index = finding.routes[0].index if finding.routes else 0
        return (1, "", index, finding.code)

    return sorted(findings, key=key)


# ----------------------------------------------------------------------------- text


def describe_witness(finding: Finding) -> str | None:
    """``GET /p/a -> answered by ep`` (None when the finding has no witness). A witness
    that needs a host has an absolute URL (``GET http://api.example.com/a``), which
    ``routecli match`` replays as it stands; a hand-made one with a path and a host shows
    the host in parentheses."""
    witness = finding.witness
    if witness is None:
        return None
    request = f"{witness.method} {witness.url}"
    if witness.host and "://" not in witness.url:
        request += f" (host {witness.host})"
    answer = (f"answered by {finding.answered_by}" if finding.answered_by is not None
              else "no route answers it")
    return f"{request} -> {answer}"


def route_label(rule) -> str:
    """``/p/<y> (endpoint) at f.yaml:3``"""
    where = f" at {rule.source}" if rule.source is not None else ""
    return f"{rule.rule} ({rule.endpoint}){where}"


class SourceLines:
    """Reads route-file lines for ``--show-source``, each file once."""

    def __init__(self) -> None:
        self._files: dict[str, list[str] | None] = {}

    def __call__(self, file: str, line: int | None) -> str | None:
        if not line:
            return None
        if file not in self._files:
            try:
                with open(file, encoding="utf-8", errors="replace") as stream:
                    self._files[file] = stream.read().splitlines()
            except OSError:
                self._files[file] = None
        lines = self._files[file]
        if lines is None or not 0 < line <= len(lines):
            return None
        return lines[line - 1]


# A finding of one cause on many routes names at most this many of them on screen.
MAX_ALSO = 10


def also_at(finding: Finding) -> str | None:
    """For a finding of one cause on several routes: ``also at f.py:3, f.py:9, ... and 12
    more`` (the other routes' sources, or their rules when they have none); else None."""
    others = finding.affected[1:]
    if not others:
        return None
    names = [str(rule.source) if rule.source is not None and rule.source.line else rule.rule
             for rule in others[:MAX_ALSO]]
    more = len(others) - len(names)
    return "also at " + ", ".join(names) + (f" and {more:,} more" if more else "")


def finding_lines(finding: Finding, show_source: Callable | None = None) -> list[str]:
    """A finding in plain text: ``file:line: CODE severity: message``, then indented
    lines for the witness, the other routes of its cause (and, with ``show_source``, each
    route's source line)."""
    where = finding.source or (finding.routes[0].rule if finding.routes else "<table>")
    lines = [f"{where}: {finding.code} {finding.severity}: {finding.message}"]
    witness = describe_witness(finding)
    if witness:
        lines.append(f"    witness: {witness}")
    also = also_at(finding)
    if also:
        lines.append(f"    {also}")
    if show_source is not None:
        for rule in finding.routes:
            if rule.source is None:
                continue
            text = show_source(rule.source.file, rule.source.line)
            if text is not None:
                lines.append(f"    {rule.source.line:>5} | {text.rstrip()}")
    return lines


def summary_line(findings: Sequence[Finding], routes: int, *, noqa: int = 0,
                 baselined: int = 0, stale: int = 0, hidden_info: int = 0) -> str:
    """``3 errors, 2 warnings, 1 info in 120 routes; 4 suppressed by noqa; 2 in baseline;
    5 info not shown (select their codes to see them)``"""
    counts = {severity: 0 for severity in SEVERITY_RANK}
    for finding in findings:
        counts[finding.severity] += 1
    parts = [_plural(counts[s], s) for s in ("error", "warning") if counts[s]]
    if counts["info"]:
        parts.append(f"{counts['info']:,} info")
    head = ", ".join(parts) if parts else "no findings"
    line = f"{head} in {_plural(routes, 'route')}"
    if noqa:
        line += f"; {noqa:,} suppressed by noqa"
    if baselined:
        line += f"; {baselined:,} in baseline"
    if hidden_info:
        line += f"; {hidden_info:,} info not shown (select their codes to see them)"
    if stale:
        line += (f"; {_plural(stale, 'baseline entry')} no longer found"
                 .replace("entrys", "entries") + " (refresh with --write-baseline)")
    return line


def text_lines(findings: Sequence[Finding], routes: int, *, noqa: int = 0, baselined: int = 0,
               stale: int = 0, show_source: Callable | None = None,
               hidden_info: int = 0) -> Iterator[str]:
    """The plain-text report: every finding (by file and line), then the summary line."""
    for finding in sort_findings(findings):
        yield from finding_lines(finding, show_source)
    yield summary_line(findings, routes, noqa=noqa, baselined=baselined, stale=stale,
                       hidden_info=hidden_info)


# ----------------------------------------------------------------------------- json


def json_document(findings: Sequence[Finding], routes: int,
                  stats: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """docs/lint.md#findings' object, exactly: ``{"findings": [...], "summary": {...}}``
    (``stats``: the analysis', which say whether its work budget ran out)."""
    return Report(list(findings), routes, dict(stats or {})).to_dict()


def statistics(findings: Iterable[Finding], rules: Mapping[str, Any] | None = None
               ) -> list[dict[str, Any]]:
    """Counts per code and severity, most frequent first:
    ``[{"code", "name", "severity", "count"}]``. A code reported at two severities (RL107
    twins with one endpoint are info, others warnings) gets a row for each, so the counts
    add up to the summary line's."""
    rules = _rules(rules)
    counts: dict[tuple[str, str], int] = {}
    for finding in findings:
        key = (finding.code, finding.severity)
        counts[key] = counts.get(key, 0) + 1
    rows = [{"code": code, "name": getattr(rules.get(code), "name", ""), "severity": severity,
             "count": count} for (code, severity), count in counts.items()]
    rows.sort(key=lambda row: (-row["count"], row["code"], -SEVERITY_RANK[row["severity"]]))
    return rows


def statistics_lines(rows: Sequence[Mapping[str, Any]]) -> Iterator[str]:
    """``   12  RL102  order-dependent-ambiguity  (warning)``, one line per code."""
    width = max((len(f"{row['count']:,}") for row in rows), default=1)
    for row in rows:
        yield f"{row['count']:>{width},}  {row['code']}  {row['name']}  ({row['severity']})"


# ----------------------------------------------------------------------------- rule docs


DOC_SECTIONS = (("what", "What it does"), ("why", "Why it matters"), ("example", "Example"),
                ("fix", "How to fix"))


def rule_dict(info: Any) -> dict[str, Any]:
    """A registry entry as JSON: code, name, default_severity, default ("on", "opt-in"
    or "off"), summary and the docs."""
    return {
        "code": info.code,
        "name": info.name,
        "default_severity": info.default_severity,
        "default": _default(info),
        "summary": info.summary,
        **{key: getattr(info, key, "") or "" for key, _ in DOC_SECTIONS},
    }


def rule_markdown(info: Any, *, heading: str = "#") -> str:
    """A rule's documentation as Markdown (``routecli rule CODE``, SARIF help)."""
    out = [f"{heading} {info.code} {info.name}", "", f"{info.summary}", "",
           f"Default severity: **{info.default_severity}**{_off_note(info)}."]
    for key, title in DOC_SECTIONS:
        text = (getattr(info, key, "") or "").strip("\n")
        if not text:
            continue
        out += ["", f"{heading}# {title}", ""]
        if key == "example" and "```" not in text:
            out += ["```yaml", text.rstrip(), "```"]
        else:
            out.append(text.rstrip())
    return "\n".join(out) + "\n"


def _default(info: Any) -> str:
    return getattr(info, "default", "off" if info.default_severity == "off" else "on")


def _off_note(info: Any) -> str:
    if info.default_severity == "off":
        return " (routecli lint does not report it)"
    if _default(info) == "opt-in":
        return f" (opt-in: lint reports it when selected, e.g. --extend-select {info.code})"
    return ""


def rule_text(info: Any) -> str:
    """A rule's documentation as plain text."""
    title = f"{info.code} {info.name} (default severity: {info.default_severity}{_off_note(info)})"
    out = [title, "", info.summary]
    for key, title in DOC_SECTIONS:
        text = (getattr(info, key, "") or "").strip("\n")
        if not text:
            continue
        out += ["", f"{title}:"]
        out += [("    " + line) if line.strip() else "" for line in text.rstrip().splitlines()]
    return "\n".join(out) + "\n"


def rules_table_lines(rules: Mapping[str, Any] | None = None) -> Iterator[str]:
    """One line per registered rule: code, name, default severity, whether lint reports it
    by default (on, opt-in, off), summary."""
    rules = _rules(rules)
    infos = [rules[code] for code in sorted(rules)]
    name_width = max((len(info.name) for info in infos), default=4)
    for info in infos:
        yield (f"{info.code}  {info.name.ljust(name_width)}  {info.default_severity.ljust(7)}  "
               f"{_default(info).ljust(6)}  {info.summary}")


# ----------------------------------------------------------------------------- locations


def project_root(start: str | None = None) -> str:
    """The repository root (the nearest directory upward holding ``.git``), else ``start``
    (default: the current directory). SARIF and GitHub paths are relative to it."""
    start = os.path.abspath(start or os.getcwd())
    directory = start
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return start
        directory = parent


def relative_path(file: str, root: str) -> str | None:
    """``file`` relative to ``root`` with "/" separators, or None when it is outside."""
    absolute = os.path.abspath(file)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive (Windows)
        return None
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return relative.replace(os.sep, "/")


def _is_real_file(file: str) -> bool:
    return bool(file) and not file.startswith("<")


# ----------------------------------------------------------------------------- sarif


def _artifact_location(file: str, root: str) -> dict[str, Any]:
    from pathlib import Path
    from urllib.parse import quote

    relative = relative_path(file, root)
    if relative is not None:
        # the name's bytes (a file name need not be UTF-8), as Path.as_uri() quotes them
        return {"uri": quote(os.fsencode(relative), safe="/"), "uriBaseId": "%SRCROOT%"}
    return {"uri": Path(os.path.abspath(file)).as_uri()}


def _physical_location(rule, root: str) -> dict[str, Any] | None:
    source = rule.source
    if source is None or not _is_real_file(source.file):
        return None
    location: dict[str, Any] = {"artifactLocation": _artifact_location(source.file, root)}
    if source.line:
        location["region"] = {"startLine": source.line}
    return {"physicalLocation": location}


def sarif_rule(info: Any) -> dict[str, Any]:
    """A SARIF reportingDescriptor for a registry entry."""
    return {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": (getattr(info, "what", "") or info.summary).strip()},
        "help": {"text": rule_text(info), "markdown": rule_markdown(info)},
        "defaultConfiguration": ({"level": "none", "enabled": False}
                                 if info.default_severity == "off"
                                 else {"level": SARIF_LEVELS[info.default_severity],
                                       "enabled": getattr(info, "default", "on") == "on"}),
        "properties": {"tags": ["routes"], "precision": "very-high"},
    }


def sarif_document(findings: Sequence[Finding], *, rules: Mapping[str, Any] | None = None,
                   version: str | None = None, root: str | None = None) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run: every registered rule, and one result per finding
    (a finding of one cause on many routes lists them as related locations).

    Locations are relative to ``root`` (default: the repository root) under the
    ``%SRCROOT%`` base id, as GitHub code scanning expects; the finding's fingerprint is
    the result's ``partialFingerprints``.
    """
    from pathlib import Path

    if version is None:
        from routecli.version import __version__ as version
    rules = _rules(rules)
    root = os.path.abspath(root or project_root())
    codes = sorted(rules)
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for finding in sort_findings(findings):
        text = finding.message
        witness = describe_witness(finding)
        if witness:
            text += f" (witness: {witness})"
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "level": SARIF_LEVELS[finding.severity],
            "message": {"text": text},
        }
        if finding.code in index:
            result["ruleIndex"] = index[finding.code]
        locations = []
        related = []
        # the finding's routes, then the other routes its cause affects
        for rule in [*finding.routes, *finding.affected[1:]]:
            location = _physical_location(rule, root)
            if location is None:
                continue
            if not locations:
                locations.append(location)
            else:
                related.append({"id": len(related) + 1, **location,
                                "message": {"text": f"{rule.rule} ({rule.endpoint})"}})
        if locations:
            result["locations"] = locations
        if related:
            result["relatedLocations"] = related
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint()}
        properties: dict[str, Any] = {
            "routes": [route_ref(rule) for rule in finding.routes],
        }
        if finding.members:
            properties["affected"] = [route_ref(rule) for rule in finding.affected]
        if finding.witness is not None:
            properties["witness"] = finding.witness.to_dict()
            properties["answeredBy"] = finding.answered_by
        if finding.kind:
            properties["kind"] = finding.kind
        result["properties"] = properties
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": "routecli",
                "version": version,
                "semanticVersion": version,
                "informationUri": INFORMATION_URI,
                "rules": [sarif_rule(rules[code]) for code in codes],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(root).as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


# ----------------------------------------------------------------------------- github


def escape_data(text: str) -> str:
    """Escape a workflow-command message: ``%``, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow-command property value: as data, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(findings: Sequence[Finding], *, rules: Mapping[str, Any] | None = None,
                 root: str | None = None) -> Iterator[str]:
    """GitHub Actions workflow commands, one per finding:
    ``::error file=F,line=L,title=RL102 name::message`` (``warning`` / ``notice`` for the
    other severities). Files are relative to ``root`` (default: the repository root)."""
    rules = _rules(rules)
    root = os.path.abspath(root or project_root())
    for finding in sort_findings(findings):
        properties = []
        for rule in finding.routes:
            source = rule.source
            if source is None or not _is_real_file(source.file):
                continue
            path = relative_path(source.file, root) or os.path.abspath(source.file)
            properties.append(f"file={escape_property(path)}")
            if source.line:
                properties.append(f"line={source.line}")
            break
        name = getattr(rules.get(finding.code), "name", "")
        title = f"{finding.code} {name}".strip()
        properties.append(f"title={escape_property(title)}")
        message = finding.message
        witness = describe_witness(finding)
        if witness:
            message += f"\nwitness: {witness}"
        yield f"::{GITHUB_LEVELS[finding.severity]} {','.join(properties)}::{escape_data(message)}"


# ----------------------------------------------------------------------------- conflicts


def conflict_groups(findings: Sequence[Finding]) -> tuple[list[tuple[Any, list[Finding]]],
                                                          list[Finding]]:
    """Group pair findings around the routes that overlap many others.

    Returns ``(groups, rest)``: each group is ``(route, findings)`` for a route involved in
    at least two of the remaining findings, largest first; ``rest`` are the findings left.
    """
    by_route: dict[int, list[Finding]] = {}
    rules: dict[int, Any] = {}
    for finding in findings:
        for rule in finding.routes:
            key = id(rule)
            rules[key] = rule
            by_route.setdefault(key, []).append(finding)
    order = sorted(by_route, key=lambda key: (-len(by_route[key]),
                                              getattr(rules[key], "index", 0)))
    taken: set[int] = set()
    groups = []
    for key in order:
        members = [f for f in by_route[key] if id(f) not in taken]
        if len(members) < 2:
            continue
        taken.update(id(f) for f in members)
        groups.append((rules[key], members))
    rest = [f for f in findings if id(f) not in taken]
    return groups, rest


def _other_routes(finding: Finding, rule) -> list:
    return [other for other in finding.routes if other is not rule]


# A conflict line names at most this many routes (a group of copies can hold thousands).
MAX_ROUTES_NAMED = 6


def route_labels(routes: Sequence, separator: str) -> str:
    """The routes' labels joined by ``separator``; past MAX_ROUTES_NAMED, the first few,
    a count of the rest, and the last (the route a group of copies loses to)."""
    if len(routes) <= MAX_ROUTES_NAMED:
        return separator.join(route_label(rule) for rule in routes)
    head = [route_label(rule) for rule in routes[:MAX_ROUTES_NAMED - 2]]
    more = len(routes) - MAX_ROUTES_NAMED + 1
    return separator.join([*head, f"... {more:,} more", route_label(routes[-1])])


def short_label(rule) -> str:
    """``/p/<y> (page)``: a route without its source, to name a message's subject."""
    return f"{rule.rule} ({rule.endpoint})"


def group_entry(finding: Finding, rule) -> tuple[list, str]:
    """How a pair finding reads under the group of ``rule``: the other routes of the pair
    (the entry's heading) and the message. A message is written about the finding's first
    route and names the others; when that first route is the group's own, the message is
    prefixed with it, so that it never reads as the other route "tying with" itself."""
    others = _other_routes(finding, rule) or list(finding.routes)
    message = finding.message
    if finding.routes and finding.routes[0] is rule:
        message = f"{short_label(rule)}: {message}"
    return others, message


def conflicts_lines(findings: Sequence[Finding], routes: int, *, limit: int = 5,
                    noqa: int = 0, baselined: int = 0, unselected: int = 0) -> Iterator[str]:
    """Plain-text ``routecli conflicts``: routes overlapping many others are grouped
    (``/<path:p> overlaps 4,212 routes; 5 shown``), at most ``limit`` shown per group."""
    groups, rest = conflict_groups(findings)
    for rule, members in groups:
        shown = members[:limit] if limit >= 0 else members
        yield (f"{route_label(rule)} overlaps {_plural(len(members), 'route')}; "
               f"{len(shown):,} shown")
        for finding in shown:
            others, message = group_entry(finding, rule)
            yield f"  {conflicts_head(finding)}: " + route_labels(others, ", ")
            yield f"      {message}"
            witness = describe_witness(finding)
            if witness:
                yield f"      witness: {witness}"
        if len(members) > len(shown):
            yield f"  ... {len(members) - len(shown):,} more (--limit to show more, --format json for all)"
    for finding in rest:
        yield f"{conflicts_head(finding)}: " + route_labels(finding.routes, " / ")
        yield f"    {finding.message}"
        witness = describe_witness(finding)
        if witness:
            yield f"    witness: {witness}"
    yield conflicts_summary(len(findings), routes, noqa=noqa, baselined=baselined,
                            unselected=unselected)


def conflicts_head(finding: Finding) -> str:
    """``RL101 error [duplicate]``: how a pair starts, on a terminal and in a pipe."""
    return f"{finding.code} {finding.severity} [{finding.kind or '-'}]"


def conflicts_summary(pairs: int, routes: int, *, noqa: int = 0, baselined: int = 0,
                      unselected: int = 0) -> str:
    """``3 conflicts in 9 routes; 1 more not selected (--select ALL lists every pair)``:
    pairs of rules that are off (RL104 specialisations) or were not selected."""
    return (f"{_plural(pairs, 'conflict')} in {_plural(routes, 'route')}"
            + (f"; {noqa:,} suppressed by noqa" if noqa else "")
            + (f"; {baselined:,} in baseline" if baselined else "")
            + (f"; {unselected:,} more not selected (--select ALL lists every pair)"
               if unselected else ""))


# ----------------------------------------------------------------------------- markdown


def _witness_cell(finding: Finding) -> str:
    from routecli.output.markdown import cell, code

    witness = finding.witness
    if witness is None:
        return ""
    answer = finding.answered_by if finding.answered_by is not None else "no route"
    return f"{code(f'{witness.method} {witness.url}')} → {cell(answer)}"


def _route_cell(rule) -> str:
    from routecli.output.markdown import cell, code

    where = f" at {cell(rule.source)}" if rule.source is not None else ""
    return f"{code(rule.rule)} ({cell(rule.endpoint)}){where}"


def lint_markdown(findings: Sequence[Finding], summary: str) -> str:
    """``lint --format markdown``: a heading, the summary line, and one table row per
    finding (where, rule, severity, message, witness), for a pull-request comment."""
    from routecli.output.markdown import cell, table

    rules = _rules(None)
    rows = [[cell(finding.source or ""),
             f"{finding.code} {cell(getattr(rules.get(finding.code), 'name', ''))}".strip(),
             finding.severity, cell(finding.message), _witness_cell(finding)]
            for finding in sort_findings(findings)]
    out = ["## routecli lint", "", cell(summary)]
    if rows:
        out += ["", *table(["Where", "Rule", "Severity", "Finding", "Witness"], rows)]
    return "\n".join(out) + "\n"


def conflicts_markdown(findings: Sequence[Finding], summary: str) -> str:
    """``conflicts --format markdown``: every pair as a table row (rule, severity, kind,
    the two routes, message, witness), after the summary line."""
    from routecli.output.markdown import cell, table

    rows = [[finding.code, finding.severity, cell(finding.kind or ""),
             "<br>".join(_route_cell(rule) for rule in finding.routes),
             cell(finding.message), _witness_cell(finding)]
            for finding in findings]
    out = ["## routecli conflicts", "", cell(summary)]
    if rows:
        out += ["", *table(["Rule", "Severity", "Kind", "Routes", "Finding", "Witness"], rows)]
    return "\n".join(out) + "\n"


def statistics_markdown(rows: Sequence[Mapping[str, Any]], summary: str) -> str:
    """``lint --statistics --format markdown``: counts per rule as a table."""
    from routecli.output.markdown import cell, table

    body = [[f"{row['count']:,}", row["code"], cell(row["name"]), row["severity"]]
            for row in rows]
    return "\n".join([*table(["Count", "Code", "Name", "Severity"], body, right=["Count"]),
                      "", cell(summary)]) + "\n"


def rules_markdown(rules: Mapping[str, Any] | None = None) -> str:
    """``rule --all --format markdown``: every rule's code, name, default severity,
    default (on, opt-in, off) and summary."""
    from routecli.output.markdown import cell, table

    rules = _rules(rules)
    rows = [[info.code, cell(info.name), info.default_severity, _default(info),
             cell(info.summary)] for info in (rules[code] for code in sorted(rules))]
    return "\n".join(table(["Code", "Name", "Severity", "Default", "Summary"], rows)) + "\n"
