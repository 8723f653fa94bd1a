"""``routecli coverage``: match the requests of access logs against the route table.

The log-reading layer lives in :mod:`routecli.coverage.logs`; matching and counting in
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
