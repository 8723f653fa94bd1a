"""Baselines: findings accepted by ``--write-baseline``, matched by fingerprint
(docs/lint.md#baselines)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from routecli.analysis.findings import Finding
from routecli.analysis.selection.config import LintSettings, display_path
from routecli.errors import RouteError

BASELINE_FORMAT = 1


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
    from routecli.output.json_text import dumps

    document = baseline_document(findings)
    # a file name that is not UTF-8 as \udcXX escapes: the file stays readable UTF-8
    text = dumps(document, indent=2) + "\n"
    if path == "-":  # standard output, like every other "-" on the command line
        import sys

        sys.stdout.write(text)
        return len(document["findings"])
    from routecli.output.files import write_file

    write_file(path, [text], "baseline")
    return len(document["findings"])


def read_baseline(path: str) -> Baseline:
    """Read a baseline file written by :func:`write_baseline`; raise RouteError."""
    import json
    import stat

    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise RouteError("is a directory, not a baseline", path)
        if not stat.S_ISREG(mode):  # /dev/zero or a FIFO would never end
            raise RouteError("not a regular file, not a baseline", path)
        with open(path, "rb") as stream:
            raw = stream.read()
    except FileNotFoundError:
        raise RouteError("baseline file not found (create it with --write-baseline FILE)",
                         path) from None
    except OSError as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise RouteError(f"cannot read baseline: {reason}", path) from None
    from routecli.sources.route_file import decode

    text = decode(raw, path, "baseline")  # a UTF-16 one is named as such
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RouteError(f"invalid baseline JSON: {exc.msg}", f"{path}:{exc.lineno}") from None
    except RecursionError:
        # json's decoder recurses per nesting level; no baseline nests more than 3 deep
        raise RouteError("invalid baseline JSON: nested too deeply", path) from None
    except ValueError:  # int() refuses a number of over 4,300 digits: no baseline has one
        raise RouteError("invalid baseline JSON: a number too large to read", path) from None
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


def load_baseline(settings: LintSettings, *, missing_ok: bool = False) -> Baseline | None:
    """The settings' baseline file, read; None when there is none (or it is missing and
    ``missing_ok``, as when ``--write-baseline`` is about to create it)."""
    path = settings.baseline_path()
    if path is None:
        return None
    if missing_ok and not os.path.exists(path):
        return None
    return read_baseline(display_path(path))
