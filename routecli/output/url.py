"""Answers of ``routecli url`` as plain text and JSON (docs/url.md).

On success the text form is the URL alone, so ``$(routecli url ...)`` is the URL; the
reasons for no URL and warnings are lines meant for standard error.
"""

from __future__ import annotations

from routecli.output.json_text import dumps
from routecli.output.text import printable
from routecli.routing.url_answer import UrlAnswer


def url_json(answer: UrlAnswer) -> str:
    """The JSON object of docs/url.md#json-output, on one line."""
    return dumps(answer.to_dict())


def url_problem_lines(answer: UrlAnswer) -> list[str]:
    """Why there is no URL (one line, then one per rule of the endpoint), or the warning
    that goes with a URL; [] when there is nothing to say."""
    if answer.ok:
        return [f"warning: {printable(answer.warning)}"] if answer.warning else []
    lines = [f"no URL: {printable(answer.error or '')}"]
    for refusal in answer.refusals:
        where = f" [{refusal.rule.source}]" if refusal.rule.source else ""
        lines.append(f"  {printable(refusal.rule.rule)}{printable(where)}: "
                     f"{printable(refusal.reason)}")
    return lines
