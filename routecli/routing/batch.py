"""Answering a list of request lines (``match --batch``) with any dialect's table."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from routecli.errors import RouteError
from routecli.routing.urls import MAX_LINE, parse_request_line


def match_lines(table, lines: Iterable[str], host: str | None = None,
                match: Callable | None = None) -> Iterator[tuple[int, object]]:
    """Answer ``METHOD URL`` (or ``URL``, meaning GET) lines, skipping blanks and
    ``#`` comments; yields (line number, result) per request line, with the
    RouteError for a bad one. Streams: nothing is kept between lines. ``match``
    answers instead of ``table.match`` (``table.match_index``: a caller that needs only
    the status, as ``match --batch --quiet``)."""
    if match is None:
        match = table.match
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_LINE:
            yield number, RouteError(f"line too long (over {MAX_LINE:,} characters)")
            continue
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            method, url = parse_request_line(text)
            yield number, match(method, url, host)
        except RouteError as exc:
            yield number, exc
