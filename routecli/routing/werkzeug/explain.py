"""Near misses: the routes that *almost* answered a request, and why they did not.

Used by ``routecli match --explain`` and ``list --path``. Each rule is tried
on its own against the request (no priorities), which is cheap enough for a
diagnostic even on large tables, and never affects what :meth:`match` answers.
"""

from __future__ import annotations

from routecli.routing.result import NearMiss
from routecli.routing.werkzeug.compiler import CompiledRule, part_texts
from routecli.routing.werkzeug.converters import ValidationError

# docs/match.md#explain: every near miss, closest first (the CLI shows a few, --all the rest)
KIND_ORDER = {"shadowed": 0, "method": 1, "converter": 2, "slash": 3, "host": 4, "segment": 5}


def pattern_values(rule: CompiledRule, segments: list[str]) -> list[str] | None:
    """The raw variable values if ``rule`` alone matches these segments, else None.

    ``segments`` is ``[domain, *path.split("/")]``. Each part matches as it does in the
    matcher's trie (:meth:`Part.match`, :meth:`Part.match_rest`), so branch rules match
    only with their trailing slash; priorities are ignored.
    """
    values: list[str] = []
    index = 0
    for part in rule.parts:
        if index >= len(segments):
            return None
        if part.final:
            matched = part.match_rest(segments, index)
            if matched is None:
                return None
            captured, segments = matched
            index = 0
        else:
            segment = segments[index]
            if part.static:
                if segment != part.content:
                    return None
                captured = ()
            else:
                captured = part.match(segment)
                if captured is None:
                    return None
            index += 1
        values.extend(captured)
    return values if index == len(segments) else None


def segments_for(table, host: str, path: str, scheme: str = "http") -> list[str]:
    """The segment list the matcher walks for this host and decoded path."""
    return [table.bind(host, scheme).domain, *path.split("/")]


def matching_rules(table, url: str, host: str | None = None) -> list[CompiledRule]:
    """Every rule whose pattern matches ``url`` (any method), in definition order."""
    from routecli.routing.urls import decode_path, split_url

    scheme, url_host, raw_path, _ = split_url(url)
    segments = segments_for(table, host or url_host, decode_path(raw_path), scheme or "http")
    return [rule for rule in table.rules
            if not rule.build_only and pattern_values(rule, segments) is not None]


def explain(table, result) -> list[NearMiss]:
    """Why the other plausible routes did not answer ``result``'s request, closest first:
    by kind (a route matching the whole URL before one off by a slash, a host or some
    segments), then by how many segments it matched, then definition order."""
    segments = segments_for(table, result.host, result.path)
    winner = result.rule if result.status == 200 else None
    misses: list[NearMiss] = []
    matched: dict[int, int] = {}  # id(miss) -> segments it matched (segment misses)
    toggled = _toggle_slash(result.path)
    toggled_segments = segments_for(table, result.host, toggled) if toggled else None
    other_hosts = _other_domains(table, segments)
    for rule in table.rules:
        if rule is winner or rule.build_only:
            continue
        values = pattern_values(rule, segments)
        if values is not None:
            misses.append(_full_match_reason(table, rule, values, result, winner))
            continue
        if toggled_segments is not None and pattern_values(rule, toggled_segments) is not None:
            if rule.is_branch:
                reason = f"needs a trailing slash: {toggled}"
                if rule is result.rule and result.status == 308:
                    reason += " (the request is redirected there)"
            else:
                reason = f"matches without the trailing slash: {toggled}"
                if rule.strict_slashes:
                    reason += " (strict_slashes: a leaf does not answer with a slash)"
            misses.append(NearMiss(rule, "slash", reason))
            continue
        for domain in other_hosts:
            if pattern_values(rule, [domain, *segments[1:]]) is not None:
                misses.append(NearMiss(rule, "host", _host_reason(table, rule)))
                break
        else:
            off = _segments_off(rule, segments)
            if off is not None:
                miss = NearMiss(rule, "segment", off[0])
                matched[id(miss)] = off[1]
                misses.append(miss)
    misses.sort(key=lambda miss: (KIND_ORDER[miss.kind], -matched.get(id(miss), 0)))
    return misses


def _full_match_reason(table, rule, values, result, winner) -> NearMiss:
    method = result.method
    if rule.methods is not None and method not in rule.methods:
        allowed = ", ".join(sorted(rule.methods)) or "no method"
        return NearMiss(rule, "method", f"matches the URL but not {method} (allows {allowed})")
    for name, value in zip(rule.variables, values):
        converter = rule.converters[name]
        try:
            converter.to_python(value)
        except ValidationError:
            return NearMiss(rule, "converter",
                            f"{converter.spec} refused {value!r} for '{name}'")
    if winner is not None:
        return NearMiss(rule, "shadowed", f"matches too, but {winner.rule!r} wins: "
                        f"{priority_reason(table, winner, rule)}")
    if result.status == 308:
        return NearMiss(rule, "shadowed", "matches too, but the request is redirected first")
    return NearMiss(rule, "shadowed", "matches the URL, but an earlier route was chosen and "
                    "refused the request")


def priority_reason(table, winner: CompiledRule, loser: CompiledRule) -> str:
    """Why ``winner`` is tried before ``loser`` in Werkzeug's order."""
    for index, (a, b) in enumerate(zip(winner.parts, loser.parts)):
        if a.key == b.key:
            continue
        # Part 0 is the host, part 1 the empty text before the first "/".
        where = "the host" if index == 0 else f"segment {index - 1}"
        if a.static and not b.static:
            return f"static text beats a variable at {where}"
        if a.weight < b.weight:
            return f"its part at {where} sorts first ({_weight_words(a.weight, b.weight)})"
        if a.weight == b.weight:
            return f"equal weight at {where}; decided by definition order"
        return f"it is tried first at {where}"
    if winner.index < loser.index:
        return "same pattern; defined earlier"
    return "defined earlier"


def _weight_words(a, b) -> str:
    if a[0] != b[0]:
        return "more static text"
    if a[1] != b[1]:
        return "longer static text"
    if a[2] != b[2]:
        return "more converters"
    return "lighter converters, e.g. int before string"


def _toggle_slash(path: str) -> str | None:
    if path == "/":
        return None
    return path[:-1] if path.endswith("/") else path + "/"


def _other_domains(table, segments: list[str]) -> list[str]:
    domains = []
    for rule in table.rules:
        first = rule.parts[0]
        if first.static and first.content != segments[0] and first.content not in domains:
            domains.append(first.content)
    return domains[:20]


def _host_reason(table, rule: CompiledRule) -> str:
    if table.settings.host_matching:
        return f"matches the path, but only for host {rule.domain!r}"
    if rule.domain:
        return f"matches the path, but only for subdomain {rule.domain!r}"
    return "matches the path, but only without a subdomain"


def _segments_off(rule: CompiledRule, segments: list[str]) -> tuple[str, int] | None:
    """``(reason, segments matched)`` when the rule has as many segments as the URL, fits
    at least one real one and misses some: the reason names the first miss.

    Sharing at least one non-empty segment keeps unrelated one-segment routes
    ("/about" for "/login") out of the list. A variable taking a segment is no kinship
    on its own: a route that shares only variables is near when each segment it misses
    reads like a typo of its static text (``/user/5`` for ``/users/<id>``, not
    ``/months/13`` for ``/users/<name>``).
    """
    parts = rule.parts
    if len(parts) != len(segments) or any(p.final for p in parts):
        return None
    misses = []
    shared = variables = 0
    for index, (part, segment) in enumerate(zip(parts, segments)):
        ok = (segment == part.content) if part.static else part.match(segment) is not None
        if not ok:
            if index == 0 or segment == "" or (part.static and part.content == ""):
                return None  # the host, or an empty segment: nothing "almost" about it
            misses.append((index, part, segment))
        elif index >= 2 and segment:
            if part.static:
                shared += 1
            else:
                variables += 1
    if not misses or not (shared or variables and all(
            part.static and _looks_like(segment, part.content) for _, part, segment in misses)):
        return None
    index, part, segment = misses[0]
    number = index - 1  # path segments counted from 1, as a user reads "/a/b"
    if part.static:
        reason = f"segment {number}: {segment!r} is not {part.content!r}"
    else:
        specs = ", ".join(c.spec for c in part.converters)
        text = part_texts(rule)[index]
        reason = f"segment {number}: {segment!r} does not match {text!r} ({specs})"
    if len(misses) > 1:
        more = len(misses) - 1
        reason += f", and {more} more segment{'s differ' if more > 1 else ' differs'}"
    return reason, shared + variables


def _looks_like(typed: str, meant: str) -> bool:
    """Whether ``typed`` reads like a typo of ``meant`` (``user``/``users``, ``blgo``/``blog``)."""
    from difflib import SequenceMatcher

    return SequenceMatcher(None, typed, meant).ratio() >= 0.6
