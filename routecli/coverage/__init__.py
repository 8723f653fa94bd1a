"""``routecli coverage``: match the requests of access logs against the route table.

The log-reading layer lives in :mod:`routecli.coverage.logs`.
"""

from routecli.coverage.logs import LogReader, LogRequest, Malformed, read_requests

__all__ = ["LogReader", "LogRequest", "Malformed", "read_requests"]
