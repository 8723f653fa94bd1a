"""``routecli coverage``: match the requests of access logs against the route table.

Reading logs: :mod:`routecli.coverage.logs` (the reader and its counters) over
:mod:`routecli.coverage.streams` (bytes: files, stdin, gzip, line cap) and
:mod:`routecli.coverage.log_formats` (one line to one request) and
:mod:`routecli.coverage.counts_format` (pre-aggregated counts). Answering one distinct
request: :mod:`routecli.coverage.answers` (404 shapes: :mod:`routecli.coverage.shapes`);
counting the answers: :mod:`routecli.coverage.counting`; on several cores:
:mod:`routecli.coverage.parallel`; the report and its results:
:mod:`routecli.coverage.report`. Imports run in that order, report last.
"""

from routecli.coverage.logs import LogReader, LogRequest, Malformed, read_requests
from routecli.coverage.report import CoverageReport, ShapeCounter, analyze, shape

__all__ = [
    "CoverageReport",
    "LogReader",
    "LogRequest",
    "Malformed",
    "ShapeCounter",
    "analyze",
    "read_requests",
    "shape",
]
