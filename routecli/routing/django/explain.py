"""Why patterns did not answer a request (``match --explain``), and which patterns match a
path on their own (for coverage)."""

from __future__ import annotations

from routecli.routing.result import NearMiss


def chain_match(endpoint, path: str):
    """(True, args) when ``endpoint``'s include chain alone resolves ``path`` (after the
    root ``/``); (False, "converter") when a converter refused a value; (False, None)."""
    if not path.startswith("/"):
        return False, None
    rest = path[1:]
    for item in (*endpoint.parents, endpoint):
        found = item.pattern.match(rest)
        if found is None:
            if _regex_only(item.pattern, rest):
                return False, "converter"
            return False, None
        rest = found[0]
    return True, None


def _regex_only(pattern, path: str) -> bool:
    """The pattern's regex matches but a converter refused the value."""
    if pattern.kind != "path" or not pattern.converters:
        return False
    return pattern.regex.search(path) is not None


def matching_endpoints(table, path: str) -> list:
    return [e for e in table.endpoints if chain_match(e, path)[0]]


def explain(table, result) -> list[NearMiss]:
    answered = None if result.rule is None else result.rule.data
    misses = []
    for endpoint in table.endpoints:
        if endpoint is answered:
            continue
        ok, why = chain_match(endpoint, result.path)
        if ok:
            if answered is not None and endpoint.index > answered.index:
                misses.append(NearMiss(endpoint.entry, "taken",
                                       f"matches too, but '{answered.rule}' "
                                       f"({answered.endpoint}) comes first and answers"))
        elif why == "converter":
            misses.append(NearMiss(endpoint.entry, "converter",
                                   "its regex matches, but a converter's to_python raised "
                                   "ValueError (Django goes on with the next pattern)"))
    return misses
