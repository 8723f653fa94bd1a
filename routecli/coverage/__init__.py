"""``routecli coverage``: match the requests of access logs against the route table.

Reading logs: :mod:`routecli.coverage.logs` (the reader and its counters) over
:mod:`routecli.coverage.streams` (bytes: files, stdin, gzip, line cap) and
:mod:`routecli.coverage.log_formats` (one line to one request); matching and counting in
:mod:`routecli.coverage.report`.
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
