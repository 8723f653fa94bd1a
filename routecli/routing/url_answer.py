"""What ``routecli url`` answers, whatever the dialect builds with (docs/url.md).

A dialect's builder (``Dialect.url_builder``) returns a :class:`UrlAnswer`: the URL and
the rule that built it, or the error and, per rule of the name, why it refused.
``rule`` is the dialect's compiled rule or entry: anything with ``.rule`` (its path
template) and ``.source``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from routecli.errors import RouteError

TextValues = dict[str, "str | list[str]"]


@dataclass
class Refusal:
    """Why one rule of the endpoint builds no URL from the values."""

    rule: Any
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule.rule, "source": _source(self.rule), "reason": self.reason}


@dataclass
class UrlAnswer:
    """What ``routecli url`` answers: the URL and the rule that built it, or why not."""

    endpoint: str
    values: TextValues
    method: str | None
    url: str | None = None
    rule: Any = None
    error: str | None = None
    warning: str | None = None
    refusals: list[Refusal] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.url is not None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of docs/url.md#json-output."""
        data: dict[str, Any] = {"endpoint": self.endpoint, "values": self.values,
                                "url": self.url, "method": self.method,
                                "rule": self.rule.rule if self.rule else None,
                                "source": _source(self.rule) if self.rule else None,
                                "warning": self.warning}
        if not self.ok:
            data["error"] = self.error
            data["refusals"] = [refusal.to_dict() for refusal in self.refusals]
            data["suggestions"] = self.suggestions
        return data

    def suggest(self, names: list[str]) -> None:
        """Name the close ones among ``names`` in :attr:`suggestions` and the error."""
        self.suggestions = close_names(names, self.endpoint)
        if self.suggestions:
            self.error = (self.error or "") + " (did you mean " + " or ".join(
                repr(name) for name in self.suggestions) + "?)"


def check_plain_request(builder: str, method: str | None, values: TextValues,
                        chooses: str, noun: str) -> None:
    """Refuse what a builder that takes only names and one value each cannot take (for
    ``url_path_for`` and ``reverse()``): a method, or a value given several times."""
    if method is not None:
        raise RouteError(f"{builder} does not choose {chooses} by method; build without one")
    for key, value in values.items():
        if isinstance(value, list):
            raise RouteError(f"{key} is given {len(value)} times; {builder} takes one "
                             f"value for each {noun}")


def _source(rule: Any) -> str | None:
    return str(rule.source) if rule.source else None


def close_names(names: list[str], wanted: str, limit: int = 3) -> list[str]:
    """Names close to ``wanted`` (typos, a missing prefix), closest first."""
    close = difflib.get_close_matches(wanted, names, n=limit, cutoff=0.6)
    if len(close) < limit and wanted:
        lowered = wanted.lower()
        close += [name for name in names if lowered in name.lower() and name not in close]
    return close[:limit]
