"""Answers of ``routecli match`` as plain text and JSON, one request or a batch.

:func:`match_text` is the answer as a pipe or a file gets it (the terminal panel is drawn
by the CLI from the same :func:`answer_fields`), :func:`match_line` the one-line form of
``--batch``, :func:`match_record` the JSON object of docs/match.md. :class:`BatchWriter`
streams a batch in any format, so memory stays flat on a million requests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from routecli.output.text import one_line, printable
from routecli.routing.result import MatchResult

STATUS_TEXT = {200: "OK", 301: "Moved Permanently", 307: "Temporary Redirect",
               308: "Permanent Redirect", 400: "Bad Request", 404: "Not Found",
               405: "Method Not Allowed", 422: "Unprocessable Content",
               500: "Internal Server Error"}

MAX_TRIED_SHOWN = 20

REDIRECT_REASONS = {
    "slash": "strict slashes: the rule is a branch, so the URL needs its trailing slash",
    "merge_slashes": "merge_slashes: repeated slashes are collapsed",
    "defaults": "redirect_defaults: these values are the defaults of a canonical URL",
    "alias": "alias: the canonical rule of the endpoint is preferred",
    "redirect_to": "redirect_to of the rule",
}
# First-match dialects redirect the path with its trailing slash toggled.
TOGGLE_REASONS = {307: "redirect_slashes: no route takes this path, one takes it with its "
                       "trailing slash toggled",
                  301: "APPEND_SLASH: no pattern takes this path, one takes it with a "
                       "trailing slash"}


def format_args(args: dict | None) -> str:
    """Matched arguments as ``name=value (type)``, comma-separated ("" for none); a
    default of None is shown as ``name=None``, without a type."""
    if not args:
        return ""
    from routecli.routing.result import shown_value

    return ", ".join(f"{name}={shown_value(value)}"
                     + ("" if value is None else f" ({type(value).__name__})")
                     for name, value in args.items())


def answer_fields(result: MatchResult) -> list[tuple[str, str]]:
    """``(label, value)`` lines of an answer (location, reason, endpoint, rule, args...),
    raw: the caller makes them terminal-safe."""
    rows: list[tuple[str, str]] = []
    if result.status == 308:
        rows.append(("location", result.location or ""))
        rows.append(("reason", REDIRECT_REASONS.get(result.redirect or "", "redirect")))
    if result.status in TOGGLE_REASONS:
        rows.append(("location", result.location or ""))
        rows.append(("reason", TOGGLE_REASONS[result.status]))
    if result.status == 405:
        rows.append(("allowed", ", ".join(result.allowed_methods or ())))
        if result.reason:
            rows.append(("reason", result.reason))
    if result.status == 404:
        rows.append(("reason", result.reason or "no route matches this URL"))
    elif result.status not in (200, 405, *TOGGLE_REASONS, 308):
        rows.append(("reason", result.reason or STATUS_TEXT.get(result.status, "error")))
    if result.rule is not None:
        rows.append(("endpoint", str(result.endpoint)))
        if result.rule.route.view:
            where = getattr(result, "view_source", None)
            view = result.rule.route.view
            rows.append(("view", f"{view} ({where})" if where else view))
        rows.append(("rule", result.rule.rule))
        if result.rule.domain:
            # Werkzeug's rules match a host or a subdomain; a Starlette Host always a host.
            is_host = result.rule.route.host or result.dialect is not None
            rows.append(("host" if is_host else "subdomain", result.rule.domain))
    if result.status in (200, 422):
        rows.append(("args", format_args(result.args) or "(none)"))
        if result.automatic_options:
            rows.append(("note", "OPTIONS is answered by Flask's automatic handler"))
    if result.source:
        rows.append(("source", result.source))
    return rows


FEW_NEAR_MISSES = 5  # docs/match.md#explain: the closest few, unless --all


def limit_misses(result: MatchResult, show_all: bool = False) -> MatchResult:
    """Keep the ``FEW_NEAR_MISSES`` closest near misses of an explained result (all with
    ``show_all``), counting the rest in ``explanation_more``; returns ``result``."""
    misses = result.explanation
    if misses is not None and not show_all and len(misses) > FEW_NEAR_MISSES:
        result.explanation = misses[:FEW_NEAR_MISSES]
        result.explanation_more = len(misses) - FEW_NEAR_MISSES
    return result


def more_misses_note(result: MatchResult) -> str | None:
    """"N more near misses (--all lists them)" when some were left out."""
    more = getattr(result, "explanation_more", 0)
    if not more:
        return None
    return f"{more} more near miss{'es' if more > 1 else ''} (--all lists them)"


def match_text(result: MatchResult) -> str:
    """The plain-text answer: a status line, the aligned fields, and the near misses
    when the result was explained (else a hint for 404 and 405); terminal-safe, no
    final newline."""
    return printable(_match_text(result))


def _match_text(result: MatchResult) -> str:
    title = f"{result.status} {STATUS_TEXT.get(result.status, '')}  {result.method} {result.url}"
    fields = answer_fields(result)
    width = max((len(key) for key, _ in fields), default=0)
    out = [one_line(title)]
    out += [f"  {key.ljust(width)}  {one_line(value)}" for key, value in fields]
    if result.status in (404, 405) and result.explanation is None:
        out.append("  (run with --explain to see the routes that almost matched)")
    tried = getattr(result, "tried", None)  # Django: the patterns its 404 page lists
    if tried:
        out.append(f"  patterns tried ({len(tried)}):")
        out += [one_line(f"    {line}") for line in tried[:MAX_TRIED_SHOWN]]
        if len(tried) > MAX_TRIED_SHOWN:
            out.append(f"    ... and {len(tried) - MAX_TRIED_SHOWN} more (--format json lists all)")
    if result.explanation is not None:
        if result.explanation:
            out.append("  near misses:")
            for miss in result.explanation:
                source = f"  [{miss.rule.source}]" if miss.rule.source else ""
                out.append(one_line(f"    {miss.rule.rule}  -> {miss.rule.endpoint}{source}"))
                out.append(one_line(f"      {miss.reason}"))
            note = more_misses_note(result)
            if note:
                out.append(f"    ... {note}")
        else:
            out.append("  near misses: none")
    return "\n".join(out)


def match_line(result: MatchResult) -> str:
    """One line per request, as ``--batch`` prints it: status, method, URL and the
    endpoint with its arguments, the location or the allowed methods; terminal-safe."""
    head = f"{result.status} {result.method} {result.url}"
    if result.status == 200:
        args = ", ".join(f"{k}={v!r}" for k, v in (result.args or {}).items())
        line = f"{head} -> {result.endpoint}" + (f" ({args})" if args else "")
    elif result.status in (301, 307, 308):
        line = f"{head} -> {result.location}"
    elif result.status == 422:
        line = f"{head} -> {result.endpoint}: {result.reason}"
    elif result.status == 405:
        line = f"{head} allowed: {', '.join(result.allowed_methods or ())}"
    else:
        line = head
    return one_line(line)


def match_record(result: MatchResult, explain: bool = False) -> dict:
    """The answer's JSON object (docs/match.md), with its ``explain`` list when asked."""
    data = result.to_dict()
    if explain:
        data["explain"] = [miss.to_dict() for miss in result.explanation or ()]
        if getattr(result, "explanation_more", 0):
            data["explain_more"] = result.explanation_more
    return data


def match_json(result: MatchResult, explain: bool = False, lines: bool = False) -> str:
    """:func:`match_record` as indented JSON, or on one line (``lines``: the jsonl form);
    no final newline."""
    from routecli.output.json_text import dumps  # only for JSON output: not at start-up

    data = match_record(result, explain)
    if lines:
        return dumps(data)
    return dumps(data, indent=2)



class BatchWriter:
    """Writes ``--batch`` answers as they come: ``text`` (one :func:`match_line` each),
    ``jsonl`` (one object a line) or ``json`` (one array, opened here and closed by
    :meth:`close`). ``write(result)`` writes one answer (explained beforehand when
    ``explain``); errors of request lines go in the JSON formats as
    ``{"line": N, "error": message}`` (:meth:`write_error`), in text the caller reports them."""

    def __init__(self, out: TextIO, fmt: str, explain: bool = False) -> None:
        self.out = out
        self.fmt = fmt
        self.explain = explain
        self.first = True
        from routecli.output.json_text import dumps

        self._dumps = dumps
        # Chosen once: write() runs once per request of a batch that may hold millions.
        self.write: Callable[[MatchResult], None] = {
            "text": self._write_line, "jsonl": self._write_jsonl}.get(fmt, self._write_record)
        if fmt == "json":
            out.write("[")

    def _write_line(self, result: MatchResult) -> None:
        self.out.write(match_line(result) + "\n")

    def _write_jsonl(self, result: MatchResult) -> None:
        data = result.to_dict() if not self.explain else match_record(result, True)
        self.out.write(self._dumps(data) + "\n")

    def _write_record(self, result: MatchResult) -> None:
        self._record(self._dumps(match_record(result, self.explain)))

    def write_error(self, number: int, message: str) -> None:
        """A request line that is no request (JSON formats only)."""
        self._record(self._dumps({"line": number, "error": message}))

    def _record(self, record: str) -> None:
        if self.fmt == "jsonl":
            self.out.write(record + "\n")
        else:
            self.out.write(("\n" if self.first else ",\n") + record)
            self.first = False

    def close(self) -> None:
        """End the JSON array (nothing to do for the line formats)."""
        if self.fmt == "json":
            self.out.write("\n]\n" if not self.first else "]\n")
