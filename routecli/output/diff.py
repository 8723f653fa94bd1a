"""``routecli diff`` as plain text, JSON, Markdown (a pull-request comment) and GitHub
annotations; the terminal view is drawn by the CLI from :func:`route_groups`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from routecli.output.json_text import dumps
from routecli.output.lint import escape_data, escape_property, project_root, relative_path
from routecli.output.text import listed, one_line, printable

SEVERITY_LABELS = {"breaking": "BREAKING", "non_breaking": "non-breaking", "info": "info"}
GITHUB_LEVELS = {"breaking": "error", "non_breaking": "warning", "info": "notice"}


def answer_text(answer) -> str:
    """``200 user (id='x')``, ``308 -> /c/``, ``405 (allowed: GET, HEAD)``, ``404``."""
    text = str(answer.status)
    if answer.endpoint is not None and answer.location is None:
        text += f" {answer.endpoint}"
    if answer.args:
        text += " (" + ", ".join(f"{k}={v!r}" for k, v in answer.args.items()) + ")"
    if answer.location is not None:
        text += f" -> {answer.location}"
    if answer.allowed_methods:
        text += f" (allowed: {listed(answer.allowed_methods)})"
    return text


def request_text(evidence) -> str:
    """``GET /users/me: 200 user (id='me') => 200 me``"""
    request = evidence.request
    where = f" (host {request.host})" if request.host else ""
    return (f"{request.method} {request.url}{where}: {answer_text(evidence.old)} "
            f"=> {answer_text(evidence.new)}")


def summary_text(report) -> str:
    s = report.summary
    return (f"{s['breaking']} breaking, {s['non_breaking']} non-breaking, {s['info']} info "
            f"change(s); {s['new_findings']} new lint finding(s) "
            f"({report.old_routes} -> {report.new_routes} routes)")


def route_groups(report) -> list[tuple[str, list]]:
    """Changes grouped by the route they are about (its pattern), in report order."""
    groups: dict[str, list] = {}
    for change in report.changes:
        rule = change.subject
        key = rule.rule if rule is not None else "(settings)"
        groups.setdefault(key, []).append(change)
    return list(groups.items())


def _where(change) -> str:
    rule = change.subject
    return f" [{rule.source}]" if rule is not None and rule.source is not None else ""


def diff_text(report) -> str:
    """The plain report: one block per route, its changes and their witness requests."""
    lines: list[str] = []
    for key, changes in route_groups(report):
        lines.append(printable(one_line(key)))
        for change in changes:
            lines.append(f"  {SEVERITY_LABELS[change.severity]:<12} {change.kind}: "
                         f"{printable(one_line(change.message))}{printable(_where(change))}")
            for evidence in change.requests:
                lines.append(f"      {printable(one_line(request_text(evidence)))}")
    for finding in report.new_findings:
        lines.append(f"new lint finding {finding.code} {finding.severity}: "
                     f"{printable(one_line(finding.message))}"
                     + (f" [{printable(finding.source)}]" if finding.source else ""))
    if not lines:
        lines.append("no changes")
    lines.append(summary_text(report))
    return "\n".join(lines) + "\n"


def diff_json(report) -> str:
    """docs/diff.md#json-output"""
    return dumps(report.to_dict(), indent=2) + "\n"


def _cell(text: Any) -> str:
    """Text for a Markdown table cell: one line; pipes, backticks and HTML escaped (a
    rule's ``<id>`` would otherwise vanish as an unknown tag)."""
    text = one_line(str(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")


def diff_markdown(report) -> str:
    """A pull-request comment: the counts, then a table of changes per route, with
    the witness requests under each."""
    s = report.summary
    out = ["## routecli diff", "",
           f"**{s['breaking']} breaking**, {s['non_breaking']} non-breaking, {s['info']} info; "
           f"{s['new_findings']} new lint finding(s) "
           f"({report.old_routes} → {report.new_routes} routes)", ""]
    if report.changes:
        out += ["| severity | change | route | requests (OLD ⇒ NEW) |", "|---|---|---|---|"]
        for change in report.changes:
            requests = "<br>".join(_cell(request_text(e)) for e in change.requests) or "—"
            out.append(f"| {SEVERITY_LABELS[change.severity]} | {_cell(change.kind)}: "
                       f"{_cell(change.message)} | {_cell(_route_cell(change))} | {requests} |")
        out.append("")
    if report.new_findings:
        out += ["### New lint findings", ""]
        for finding in report.new_findings:
            where = f" ({_cell(finding.source)})" if finding.source else ""
            out.append(f"- **{finding.code}** {finding.severity}: {_cell(finding.message)}{where}")
        out.append("")
    return "\n".join(out)


def _route_cell(change) -> str:
    rule = change.subject
    if rule is None:
        return "(settings)"
    return f"{rule.rule} ({rule.endpoint})" + (f" {rule.source}" if rule.source else "")


def github_lines(report, root: str | None = None) -> Iterator[str]:
    """GitHub Actions annotations on the changed lines of NEW (a removed route on its
    line in OLD's file): ``::error file=F,line=L,title=routecli diff: KIND::message``."""
    root = os.path.abspath(root or project_root())
    for change in report.changes:
        properties = []
        rule = change.subject
        source = getattr(rule, "source", None)
        if source is not None and source.file and not source.file.startswith("<"):
            file = source.file
            if file.startswith("git:"):  # git:REV:path -> path, as checked out now
                file = file.split(":", 2)[-1]
            properties.append(f"file={escape_property(relative_path(file, root) or file)}")
            if source.line:
                properties.append(f"line={source.line}")
        properties.append(f"title={escape_property(f'routecli diff: {change.kind}')}")
        # Route data in a message shows escaped, as lint's messages do (exit-codes.md)
        message = printable(change.message)
        if change.requests:
            message += "\n" + "\n".join(printable(request_text(e)) for e in change.requests)
        yield f"::{GITHUB_LEVELS[change.severity]} {','.join(properties)}::{escape_data(message)}"
    for finding in report.new_findings:
        properties = [f"title={escape_property(f'new lint finding {finding.code}')}"]
        source = finding.routes[0].source if finding.routes else None
        if source is not None and source.file and not source.file.startswith("<"):
            properties.insert(0, f"file={escape_property(relative_path(source.file, root) or source.file)}")
            if source.line:
                properties.insert(1, f"line={source.line}")
        level = {"error": "error", "warning": "warning"}.get(finding.severity, "notice")
        yield f"::{level} {','.join(properties)}::{escape_data(printable(finding.message))}"
