"""Django's ``reverse()``: the path a URL name and keyword arguments build
(docs/django.md#building-urls).

Django indexes a URLconf for reversing once, level by level, from the last pattern to
the first: a named pattern is a *candidate* for its name (the forms of its regex, see
:mod:`.regex_forms`, its regex, its extra kwargs as defaults, its converters); an
``include()`` with an ``app_name`` is a *namespace*, reached only by ``ns:name``; one
without passes its candidates up with its own prefix in front. ``reverse("ns:name")``
walks the namespaces (an application namespace stands for its default instance: the one
named like the application, else the last one included), then tries the candidates of
the name in that index's order: the first form whose parameters are exactly the
arguments given (less the defaults), whose values the converters' ``to_url`` accept and
whose filled-in path the full regex matches, wins. So with two patterns of one name,
the *last* one that fits is built.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from routecli.errors import RouteError, quoted
from routecli.routing.backtracking import backtracking_risk, linear_test
from routecli.routing.django.patterns import LocalePrefixPattern, compile_regex
from routecli.routing.django.regex_forms import Irreversible, forms
from routecli.routing.django.urlconf import Endpoint, Include
from routecli.routing.ordered import name_apart

# RFC 3986 sub-delims and the other pchar characters reverse() leaves unquoted.
_SAFE = "!$&'()*+,;=" + "/~:@"


class NoReverseMatch(RouteError):
    """No pattern of the name builds from the arguments (Django's ``NoReverseMatch``)."""


class Candidate:
    """One way to build a name: a pattern with everything above it in its level."""

    __slots__ = ("forms", "regex", "defaults", "converters", "endpoint")

    def __init__(self, regex: str, defaults: Mapping[str, Any],
                 converters: Mapping[str, Any], endpoint: Endpoint) -> None:
        self.forms = forms(regex)
        self.regex = regex
        self.defaults = dict(defaults)
        self.converters = dict(converters)
        self.endpoint = endpoint


class Index:
    """One level's reverse index (a URLResolver's reverse_dict, namespace_dict and
    app_dict): candidates by name, namespaces (prefix regex, include, converters) and the
    instance namespaces of each application namespace, each in Django's order."""

    __slots__ = ("candidates", "namespaces", "apps")

    def __init__(self, items: list, converters: Mapping[str, Any], index_of) -> None:
        self.candidates: dict[str, list[Candidate]] = {}
        self.namespaces: dict[str, tuple[str, Include, dict]] = {}
        self.apps: dict[str, list[str]] = {}
        for item in reversed(items):
            prefix = regex_of(item.pattern).removeprefix("^")
            if isinstance(item, Endpoint):
                if item.name is not None:
                    self.candidates.setdefault(item.name, []).append(Candidate(
                        prefix, item.kwargs, item.pattern.converters, item))
                continue
            inner = index_of(item)
            if item.app_name:
                self.apps.setdefault(item.app_name, []).append(item.namespace)
                self.namespaces[item.namespace] = (prefix, item, dict(item.pattern.converters))
                continue
            for name, found in inner.candidates.items():
                for candidate in found:
                    self.candidates.setdefault(name, []).append(Candidate(
                        prefix + candidate.regex, {**candidate.defaults, **item.kwargs},
                        {**converters, **item.pattern.converters, **candidate.converters},
                        candidate.endpoint))
            for namespace, (inner_prefix, include, inner_converters) in inner.namespaces.items():
                # Django updates the namespaced include's converters with this one's.
                self.namespaces[namespace] = (prefix + inner_prefix, include,
                                              {**inner_converters, **item.pattern.converters})
            for app, namespaces in inner.apps.items():
                self.apps.setdefault(app, []).extend(namespaces)


def regex_of(pattern: Any) -> str:
    """The regex Django's pattern object holds (``pattern.regex.pattern``)."""
    if isinstance(pattern, LocalePrefixPattern):
        return re.escape(pattern.prefix)
    return pattern.source


class Reverser:
    """``reverse()`` over one URLconf tree (the table's patterns)."""

    def __init__(self, patterns: list) -> None:
        self._indexes: dict[int, Index] = {}
        try:
            self.root = Index(patterns, {}, self.index_of)
            self.error = None
        except Irreversible as exc:
            # Django reads the whole URLconf before any reverse(): one bad regex and
            # every reverse() raises.
            self.root = None
            self.error = str(exc)

    def index_of(self, include: Include) -> Index:
        """An include's own index (built once)."""
        index = self._indexes.get(id(include))
        if index is None:
            index = Index(include.children, include.pattern.converters, self.index_of)
            self._indexes[id(include)] = index
        return index

    def candidates(self, name: str) -> tuple[list[Candidate], str]:
        """The candidates of ``name`` (``"ns:inner:name"``) in Django's order, and the
        namespaces resolved on the way (``"ns:inner"``); NoReverseMatch for an unknown
        namespace."""
        if self.root is None:
            raise RouteError(f"Django cannot reverse any URL of this URLconf: {self.error}")
        *path, view = name.split(":")
        index = self.root
        resolved: list[str] = []
        prefix = ""
        converters: dict[str, Any] = {}
        include = None
        for namespace in path:
            instances = index.apps.get(namespace)
            if instances is not None and namespace not in instances:
                namespace = instances[0]  # the application's default instance
            found = index.namespaces.get(namespace)
            if found is None:
                inside = f" inside {':'.join(resolved)!r}" if resolved else ""
                raise NoReverseMatch(f"{namespace!r} is not a registered namespace{inside}")
            resolved.append(namespace)
            extra, include, extra_converters = found
            prefix += extra
            converters.update(extra_converters)
            index = self.index_of(include)
        if include is None:
            return index.candidates.get(view, []), ""
        # Django reverses through a resolver of the namespace's patterns under the
        # joined prefix, which passes every candidate up with the prefix in front; the
        # joined prefix is compiled first (a group name twice fails every name in it).
        if prefix:
            compile_regex(prefix)
        inner = Index(include.children, converters, self.index_of)
        return ([Candidate(prefix + c.regex, c.defaults, {**converters, **c.converters},
                           c.endpoint) for c in inner.candidates.get(view, [])],
                ":".join(resolved))

    def reverse(self, name: str, kwargs: Mapping[str, Any]) -> tuple[str, Candidate]:
        """The path and the candidate that built it; NoReverseMatch with Django's
        reasons when none does."""
        found, _ = self.candidates(name)
        for candidate in found:
            built = build(candidate, kwargs)
            if built is not None:
                return built, candidate
        if not found:
            raise NoReverseMatch(f"Reverse for {name!r} not found. {name.split(':')[-1]!r} is "
                                 "not a valid view function or pattern name.")
        raise NoReverseMatch(f"Reverse for {name!r} with {_arguments(kwargs)} not found. "
                             f"{len(found)} pattern(s) tried: "
                             f"{[c.regex for c in found]}")


def _arguments(kwargs: Mapping[str, Any]) -> str:
    return f"keyword arguments '{kwargs}'" if kwargs else "no arguments"


def build(candidate: Candidate, kwargs: Mapping[str, Any]) -> str | None:
    """The path ``candidate`` builds from ``kwargs``, or None when it does not fit."""
    for template, params in candidate.forms:
        if refusal(candidate, template, params, kwargs) is None:
            return _quoted_path(_fill(template, _texts(candidate, kwargs)))
    return None


def refusal(candidate: Candidate, template: str, params: list[str],
            kwargs: Mapping[str, Any]) -> str | None:
    """Why one form of ``candidate`` does not build from ``kwargs`` (None: it does)."""
    defaults = candidate.defaults
    given, wanted = set(kwargs), set(params)
    unmatched = (given ^ wanted) - set(defaults)
    if unmatched:
        missing = sorted(unmatched & wanted)
        if missing:
            return "needs " + ", ".join(missing)
        return "takes no " + ", ".join(sorted(unmatched))
    for key, value in defaults.items():
        if key not in wanted and kwargs.get(key, value) != value:
            return f"{key} is fixed to {value!r} by the pattern's kwargs"
    texts = _texts(candidate, kwargs)
    if isinstance(texts, str):
        return texts
    path = _fill(template, texts)
    if not _matches(candidate.regex, path):
        return f"{quoted(path)} does not match the pattern's regex {quoted(candidate.regex)}"
    return None


def _texts(candidate: Candidate, kwargs: Mapping[str, Any]) -> dict[str, str] | str:
    """The values as text (each converter's ``to_url``), or why a converter refuses."""
    texts: dict[str, str] = {}
    for key, value in kwargs.items():
        converter = candidate.converters.get(key)
        if converter is None:
            texts[key] = str(value)
            continue
        try:
            texts[key] = converter.to_url(value)
        except ValueError as exc:
            return f"the {converter.name} converter refuses {key}={quoted(value)}: {exc}"
        except Exception as exc:  # an app's own to_url may raise anything  # noqa: BLE001
            raise RouteError(f"the {converter.name} converter's to_url raised "
                             f"{type(exc).__name__} for {key}={quoted(value)}: {exc}") from None
    return texts


def _fill(template: str, texts: dict[str, str]) -> str:
    try:
        return "/" + template % texts
    except (KeyError, ValueError, TypeError) as exc:
        # Django's reverse() raises the same (a "%" in the pattern, a default-only
        # parameter left out).
        raise RouteError(f"Django's reverse() fails on the form {template!r}: "
                         f"{type(exc).__name__}: {exc}") from None


_SEARCHES: dict[str, Any] = {}


def _matches(regex: str, path: str) -> bool:
    """Django's check of a filled-in path: ``re.search("^/" + regex, path)``."""
    search = _SEARCHES.get(regex)
    if search is None:
        source = "^/" + regex
        compiled = compile_regex(source)
        guard = linear_test(source, search=True) if backtracking_risk(source) else None
        if guard is None:
            search = compiled.search
        else:
            def search(text: str, compiled=compiled, guard=guard):
                return guard(text) and compiled.search(text)
        if len(_SEARCHES) < 4096:
            _SEARCHES[regex] = search
    return bool(search(path))


def _quoted_path(path: str) -> str:
    url = quote(path, safe=_SAFE)
    if url.startswith("//"):
        url = "/%2F" + url[2:]  # it would read as another host
    return url


# -- routecli url: the answer, and why no pattern builds -------------------------------


def names(reverser: Reverser) -> list[str]:
    """Every name ``reverse()`` knows, with its namespaces (``"shop:item"``); an
    application namespace stands for its default instance, so it is offered too."""
    if reverser.root is None:
        return []
    out: list[str] = []
    seen: set[int] = set()

    def walk(index: Index, outer: str) -> None:
        out.extend(outer + name for name in index.candidates)
        for namespace, (_prefix, include, _converters) in index.namespaces.items():
            if id(include) not in seen:  # an include reached twice is listed once
                seen.add(id(include))
                walk(reverser.index_of(include), f"{outer}{namespace}:")
        for app, instances in index.apps.items():
            if app not in index.namespaces and instances:
                out.extend(f"{outer}{app}:{name}" for name in
                           reverser.index_of(index.namespaces[instances[0]][1]).candidates)

    walk(reverser.root, "")
    return list(dict.fromkeys(out))


def url_names(table: Any) -> list[tuple[str, str, list[str]]]:
    """Every name ``reverse()`` builds, with each pattern of it (the one built first
    first) and the parameters of its forms."""
    reverser = table.reverser
    out = []
    for name in names(reverser):
        found, _ = reverser.candidates(name)
        for candidate in found:
            params = list(dict.fromkeys(p for _, form in candidate.forms for p in form))
            out.append((name, candidate.endpoint.rule, params))
    return out


def build_url(table: Any, name: str, values: dict, method: str | None = None,
              host: str | None = None, *, force_external: bool = False) -> Any:
    """``routecli url`` for a Django table: ``reverse(name, kwargs=values)`` with the
    command line's text values (as a program passing strings gets it), a
    :class:`~routecli.routing.url_answer.UrlAnswer`. The URL is the path (absolute on
    ``host`` or localhost with ``force_external``). Raises RouteError for a method
    (reverse() takes none) or a name given twice."""
    from routecli.routing.url_answer import Refusal, UrlAnswer, check_plain_request

    check_plain_request("reverse()", method, values, "a pattern", "argument")
    reverser = table.reverser
    answer = UrlAnswer(name, values, None)
    try:
        path, candidate = reverser.reverse(name, values)
    except NoReverseMatch:
        try:
            found, _ = reverser.candidates(name)
        except NoReverseMatch as exc:
            found, answer.error = [], exc.message
        if not found:
            answer.error = answer.error or f"no URL pattern named {name!r}"
            answer.suggest(names(reverser))
        else:
            answer.error = f"no pattern named {name!r} builds from these arguments"
            answer.refusals = [Refusal(candidate.endpoint.entry, _best_refusal(candidate,
                                                                               values))
                               for candidate in found]
        return answer
    answer.rule = candidate.endpoint.entry
    answer.url = f"http://{host or 'localhost'}{path}" if force_external else path
    answer.warning = round_trip_warning(table, path, candidate)
    return answer


def _best_refusal(candidate: Candidate, values: Mapping[str, Any]) -> str:
    """Why the form closest to the arguments given refuses them."""
    given = set(values)
    template, params = min(candidate.forms, key=lambda form: len(given ^ set(form[1])))
    return refusal(candidate, template, params, values) or "does not build"


def round_trip_warning(table: Any, path: str, candidate: Candidate) -> str | None:
    """A warning when the built path does not resolve to the pattern that built it:
    ``reverse()`` never checks (an earlier pattern takes the path first)."""
    try:
        result = table.match("GET", path)
    except RouteError:
        return None
    entry = candidate.endpoint.entry
    if result.rule is entry and result.status in (200, 405):
        return None
    if result.rule is not None and result.status in (200, 405):
        other = result.rule
        mine = name_apart(candidate.endpoint.endpoint, entry, other.endpoint)
        return (f"GET {path} resolves to {other.endpoint!r} ({other.rule}, "
                f"#{other.position}), not to {mine}; reverse() builds this path all the same")
    return (f"GET {path} is answered {result.status}, not by "
            f"{candidate.endpoint.endpoint!r}; reverse() builds this path all the same")
